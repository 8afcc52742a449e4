"""Textual's command palette, guarded so a fast typist (Ctrl+P and text in one read) can never crash the app.

Written against Textual 8.2.8 (pinned), whose `CommandPalette` searches in a worker that looks its
`CommandList` up again, directly and through the `_list_visible` watcher. When the palette closes while
such a worker is still running (closed by a key that arrived with Ctrl+P, or by a state change that
pops every dialog), the palette has already pruned its children: the lookup raised `NoMatches`, the
worker failed and took the app down. The private names used here are all in this module, and
tests/robustness/test_palette_race.py pins them.
"""

from __future__ import annotations

from textual import work
from textual.command import CommandList, CommandPalette
from textual.css.query import NoMatches

# Textual 8.2.8: the undecorated coroutine behind the palette's search worker, and that worker's group.
_GATHER = CommandPalette._gather_commands.__wrapped__  # type: ignore[attr-defined]
_GATHER_GROUP = CommandPalette._GATHER_COMMANDS_GROUP


class GuardedCommandPalette(CommandPalette):
    """The stock palette, except that a search still running while it closes stops quietly."""

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
