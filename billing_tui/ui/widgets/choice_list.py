"""An OptionList whose option ids are the machine's ids; it re-posts selections as a Picked message."""

from __future__ import annotations

from collections.abc import Iterable

from textual import on
from textual.binding import Binding
from textual.events import Resize
from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive
from textual.widgets import OptionList
from textual.widgets.option_list import Option


class ChoiceList(OptionList):
    """The outcomes (or flows) to choose from, navigable with arrows and j/k."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]

    # The list measures its lines as it paints; its height comes from its options, so a new virtual
    # size only moves the scrollbars (which the list updates itself), never the layout: no second frame.
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False, repaint=False)

    class Picked(Message):
        """An option was chosen; option_id is the flow or choice id."""

        def __init__(self, choice_list: ChoiceList, option_id: str) -> None:
            self.choice_list = choice_list
            self.option_id = option_id
            super().__init__()

        @property
        def control(self) -> ChoiceList:
            """The list that was chosen from, so handlers can filter with a selector."""
            return self.choice_list

    def __init__(self, options: Iterable[Option] = (), *, id: str | None = None) -> None:
        super().__init__(*options, id=id)
        self._measured_width: int | None = None
        self.highlighted = 0

    def _update_lines(self) -> None:
        """Measure new options' lines; nothing to do once every option is measured.

        OptionList calls this for every line it paints, and each call costs a region's worth of
        style lookups before finding nothing new (profiled: ~0.3 ms of a frame of twenty lines).
        """
        lines = self._line_cache.lines
        if lines and lines[-1][0] == len(self.options) - 1:
            return
        measuring = len(lines) == 0 and bool(self.options) and bool(self.scrollable_content_region)
        super()._update_lines()
        if measuring:  # the width the lines were wrapped in: a Resize to this same width changes nothing
            self._measured_width = self.size.width

    def _on_resize(self, event: Resize) -> None:  # type: ignore[override]
        """Re-measure the lines only when the width changed: a new height alone wraps nothing anew.

        (OptionList's own handler would clear them on every resize and paint the list again a frame later.)
        """
        event.prevent_default()
        if event.size.width != self._measured_width:
            self._measured_width = event.size.width
            self._clear_caches()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        """Stop the generic event and post the domain one with the option's id."""
        event.stop()
        if event.option.id is not None:
            self.post_message(self.Picked(self, event.option.id))
