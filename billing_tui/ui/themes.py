"""The app's colour themes: a calm default and a high-contrast one for bright rooms and tired eyes."""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.theme import Theme

DEFAULT_THEME = "default"

THEMES = (
    Theme(
        name="default",
        primary="#4A9EDB",
        secondary="#7FB3D5",
        accent="#F0B429",
        foreground="#E6E6E6",
        background="#14181F",
        surface="#1C222B",
        panel="#262E3A",
        success="#3FB950",
        warning="#F0B429",
        error="#F85149",
        dark=True,
    ),
    Theme(
        name="high-contrast",
        primary="#FFFFFF",
        secondary="#FFFF00",
        accent="#FFFF00",
        foreground="#FFFFFF",
        background="#000000",
        surface="#000000",
        panel="#000000",
        success="#00FF00",
        warning="#FFFF00",
        error="#FF5555",
        dark=True,
        variables={"border": "#FFFFFF", "footer-key-foreground": "#FFFF00"},
    ),
)
THEME_NAMES = tuple(theme.name for theme in THEMES)


def install_themes(app: App[Any]) -> None:
    """Register the themes and start in the default one, set before the stylesheet is first parsed.

    Assigning App.theme runs Textual's theme watcher, which parses the whole stylesheet again and
    restyles every widget once the app has started: work done twice on every cold start. The default
    theme is dark like Textual's own, so the watcher's other work (dark/light classes) is already done.
    """
    for theme in THEMES:
        app.register_theme(theme)
    app.set_reactive(App.theme, DEFAULT_THEME)
    app.set_class(True, f"-theme-{DEFAULT_THEME}", update=False)
    app.stylesheet.set_variables(app.get_css_variables())  # not parsed yet: only the values change
