"""Widgets of the billing-tui UI."""
