"""Textual's command palette in the wizard's language, guarded so a fast typist (Ctrl+P and text in one read)
can never crash the app.

Written against Textual 8.2.8 (pinned), whose `CommandPalette` searches in a worker that looks its
`CommandList` up again, directly and through the `_list_visible` watcher. When the palette closes while
such a worker is still running (closed by a key that arrived with Ctrl+P, or by a state change that
pops every dialog), the palette has already pruned its children: the lookup raised `NoMatches`, the
worker failed and took the app down. Its search prompt and its "No matches found" are English in
Textual; here they are the content's texts (the prompt through the palette's own `placeholder` argument,
given by the app). The private names used here are all in this module, and
tests/robustness/test_palette_race.py and tests/ui/test_ui_localized_chrome.py pin them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.align import Align
from rich.text import Text
from textual import work
from textual.command import CommandList, CommandPalette
from textual.css.query import NoMatches
from textual.widgets.option_list import Option

if TYPE_CHECKING:
    from billing_tui.ui.app import BillingApp

# Textual 8.2.8: the undecorated coroutine behind the palette's search worker, and that worker's group.
_GATHER = CommandPalette._gather_commands.__wrapped__  # type: ignore[attr-defined]
_GATHER_GROUP = CommandPalette._GATHER_COMMANDS_GROUP


class GuardedCommandPalette(CommandPalette):
    """The stock palette, in the wizard's language, except that a search still running while it closes stops quietly."""

    def _text(self, key: str) -> str:
        """One of the content's texts in the wizard's current language."""
        return cast("BillingApp", self.app).wizard.guide.text(key)

    def _start_no_matches_countdown(self, search_value: str) -> None:
        """Textual's 'No matches found' after half a second of no results, in the wizard's language."""
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if not search_value:  # discovery mode: an empty list needs no notice
                self._list_visible = False
                return
            notice = Align.center(Text(self._text("palette_no_matches"), style="not bold"))
            self.query_one(CommandList).add_option(Option(notice, disabled=True, id=self._NO_MATCHES))
            self._list_visible = True

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)

    def on_screen_suspend(self) -> None:
        """Closing (or covered): stop the search now, before the palette's children are pruned."""
        self.workers.cancel_group(self, _GATHER_GROUP)

    @work(exclusive=True, group=_GATHER_GROUP)
    async def _gather_commands(self, search_value: str) -> None:
        """Textual's search, ending quietly when the palette lost its list because it is closing."""
        try:
            await _GATHER(self, search_value)
        except NoMatches:
            if self.is_attached and self.query(CommandList):
                raise  # the list is there: a genuine error, not the closing race
