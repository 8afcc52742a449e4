"""Send the terminal only the rows that changed: a compositor that drops rows repainted with the same text.

A state change re-lays out the whole screen, and Textual (8.2, pinned) then repaints every row
whose widgets moved in its z-order, even rows whose cells are exactly what the terminal shows (the
top bar, the key hints, the blank rows below the choices). Over a slow SSH link the bytes are the
latency, so as an update is written each row is rendered, compared with the last text written to
that row over the same columns, and left out when identical. Only what is really written is
remembered; the screen forgets it all whenever another screen covers it, the terminal changes size
or application mode starts again (SIGCONT, a spare handed its client). A full update is sent whole,
unless every row of it is exactly what the terminal already shows: the repaint Textual makes right
after a screen's first frame (a Resize to the size it was just painted at) then costs no bytes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from textual._compositor import ChopsUpdate, Compositor, CompositorUpdate, LayoutUpdate
from textual.geometry import Size
from textual.screen import Screen
from textual.strip import Strip

# What a row shows, whatever cursor moves it was written with: the columns and the text without them.
Row = tuple[int, int, str]
_MOVE = re.compile(r"\x1b\[\d+;\d+H")


def _shown(x1: int, x2: int, text: str) -> Row:
    """A row's columns and its cells' text and styles, the cursor moves left out."""
    return x1, x2, _MOVE.sub("", text)


class _Remembering(CompositorUpdate):
    """An update that, as it is written, records what each row now shows (and, if partial, skips repeats)."""

    def __init__(self, update: ChopsUpdate | LayoutUpdate, compositor: RowCachingCompositor) -> None:
        self.update = update
        self.compositor = compositor
        self.written = compositor.written

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        """Rendered by Rich (a screenshot), not written to the terminal: remember nothing."""
        self.written.clear()
        yield from self.update.__rich_console__(console, options)

    def render_segments(self, console: Console) -> str:
        """The escape sequences to write: every row of a full update, the changed rows of a partial one."""
        if isinstance(self.update, LayoutUpdate):
            return self._full(self.update, console)
        return self._partial(self.update, console)

    def _full(self, update: LayoutUpdate, console: Console) -> str:
        region = update.region
        lines: Iterable[tuple[int, Iterable[Strip]]] = enumerate(update.strips, region.y)
        rows = {y: _shown(region.x, region.right, "".join(s.render(console) for s in line)) for y, line in lines}
        if rows == self.written and self.compositor.painted_size == region.size:
            return ""  # the terminal shows exactly this already
        self.written.clear()
        self.written.update(rows)
        self.compositor.painted_size = region.size
        return update.render_segments(console)

    def _partial(self, update: ChopsUpdate, console: Console) -> str:
        out: list[str] = []
        for y, x1, x2 in update.spans:
            text = ChopsUpdate(update.chops, [(y, x1, x2)], update.chop_ends).render_segments(console)
            shown = _shown(x1, x2, text)
            if self.written.get(y) != shown:
                self.written[y] = shown
                out.append(text)
        return "".join(out)


class RowCachingCompositor(Compositor):
    """Textual's compositor, whose partial updates leave out rows unchanged since they were last written."""

    def __init__(self) -> None:
        super().__init__()
        self.written: dict[int, Row] = {}
        self.painted_size: Size | None = None  # the size of the last full update written

    def forget(self) -> None:
        """The terminal may show something else now (another screen, a resize): send every row next time."""
        self.written.clear()
        self.painted_size = None

    def resized(self, size: Size) -> None:
        """The screen was resized: forget what was written unless it was painted at this very size already."""
        if size != self.painted_size:
            self.forget()

    def render_update(
        self, full: bool = False, screen_stack: list[Screen[object]] | None = None, simplify: bool = False
    ) -> RenderableType | None:
        update = super().render_update(full, screen_stack, simplify)
        if isinstance(update, ChopsUpdate | LayoutUpdate) and not simplify:
            return _Remembering(update, self)
        if update is not None:  # written some other way: what each row shows is no longer known
            self.forget()
        return update
