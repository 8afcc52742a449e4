"""Find the app's stylesheet: styles/ at the top of a checkout, or billing_tui/styles/ inside a wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent


def styles_dir() -> Path:
    """The folder holding app.tcss, wherever billing-tui was installed from."""
    for candidate in (_PACKAGE / "styles", _PACKAGE.parent / "styles"):
        if (candidate / "app.tcss").is_file():
            return candidate
    raise FileNotFoundError(f"billing-tui's styles/app.tcss is missing (looked in {_PACKAGE} and its parent)")


def stylesheet() -> Path:
    """The path of the app's main stylesheet, for App.CSS_PATH."""
    return styles_dir() / "app.tcss"
