"""The Textual UI: screens render the wizard's state and turn keys into machine events."""
