"""Screens of the billing-tui UI: home, one per flow, and the dialogs."""
