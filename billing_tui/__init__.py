"""billing-tui: a keyboard-only wizard that tells you whether you are your account's billing contact."""

__version__ = "0.1.0"
