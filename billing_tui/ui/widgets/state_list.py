"""A state's text and its options in one scrolling list, so a state change repaints one widget and needs no layout.

The text (a question's steps and prompt, a verdict and its path, the home page) is the list's
first option, disabled, so the highlight and the number keys only ever reach the real options.
The list fills the body and keeps its size from state to state: replacing its options repaints
it alone, where a text widget above a list of another height made Textual lay out and repaint
the whole body. Because the text scrolls with the options, the arrows also read: Up at the
first option scrolls back to the text's top, and Down scrolls toward an option not yet in view.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.binding import Binding
from textual.content import Content
from textual.events import Resize, Show
from textual.widgets.option_list import Option

from billing_tui.ui.widgets.choice_list import ChoiceList

TEXT_INDEX = 0  # the text is always the first option


class StateList(ChoiceList):
    """A ChoiceList whose first, unselectable option is the state's text; the options below it are the choices."""

    DEFAULT_CSS = """
    StateList {
        scrollbar-gutter: stable;
        scrollbar-size-vertical: 1;
    }
    StateList > .option-list--option-disabled {
        color: $foreground;
    }
    """

    BINDINGS = [
        Binding("home", "top", "Top", show=False),
        Binding("end", "bottom", "Bottom", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.from_top = False  # the state is read from its top (a verdict): a resize does not scroll to the highlight

    @property
    def text(self) -> Content | None:
        """The state's text, as shown above the options."""
        if not self.options:
            return None
        prompt = self.options[TEXT_INDEX].prompt
        return prompt if isinstance(prompt, Content) else None

    @property
    def choice_ids(self) -> list[str | None]:
        """The ids of the options below the text, in order."""
        return [option.id for option in self.options[TEXT_INDEX + 1 :]]

    def show_state(self, text: Content, options: Iterable[Option], *, from_top: bool = False) -> None:
        """Show a new state: its text, then its options with the first highlighted.

        The view starts at the text's top; a question then scrolls just enough to show its first
        option, while a verdict (from_top) stays at its top so a small terminal shows the verdict itself.
        """
        self.from_top = from_top
        self.set_options([Option(text.append("\n"), disabled=True), *options])
        self.scroll_home(animate=False, immediate=True)
        # OptionList scrolls to a new highlight; the lines are measured at once, the list being one size in every state.
        self.highlighted = TEXT_INDEX + 1
        if from_top:
            self.scroll_home(animate=False, immediate=True)

    def _highlight_line(self) -> tuple[int, int] | None:
        """The first line and the height of the highlighted option, once the lines are measured."""
        highlighted = self.highlighted
        if highlighted is None or highlighted not in self._index_to_line:
            return None
        return self._index_to_line[highlighted], self._heights[highlighted]

    def action_cursor_down(self) -> None:
        """Scroll toward the highlighted option while it is below the view; else move the highlight down."""
        line = self._highlight_line()
        if line is not None and line[0] >= self.scroll_y + self.scrollable_content_region.height:
            self.scroll_down(animate=False, immediate=True)
            return
        self.from_top = False
        super().action_cursor_down()

    def action_cursor_up(self) -> None:
        """At the first option, scroll up through the text until its top shows; else move the highlight up."""
        first = self.highlighted == TEXT_INDEX + 1
        if first and self.scroll_y > 0:
            self.scroll_up(animate=False, immediate=True)
            return
        self.from_top = False
        super().action_cursor_up()

    def action_top(self) -> None:
        """Show the text's top and highlight the first option; a resize then keeps the top in view."""
        self.from_top = True
        self.highlighted = TEXT_INDEX + 1
        self.scroll_home(animate=False, immediate=True)

    def action_bottom(self) -> None:
        """Highlight the last option and show the end of the list."""
        self.from_top = False
        self.highlighted = len(self.options) - 1
        self.scroll_end(animate=False, immediate=True)

    def action_page_up(self) -> None:
        """Scroll up a page, the highlight staying where it is."""
        self.scroll_page_up(animate=False)

    def action_page_down(self) -> None:
        """Scroll down a page, the highlight staying where it is."""
        self.scroll_page_down(animate=False)

    def on_show(self, event: Show) -> None:  # type: ignore[override]
        """First shown: scroll to the highlight as OptionList does, except for a state read from its top."""
        event.prevent_default()
        if not self.from_top:
            self.scroll_to_highlight()

    def _on_resize(self, event: Resize) -> None:  # type: ignore[override]
        """Re-measure on a new width, and keep a question's highlighted option in view at the new size."""
        super()._on_resize(event)
        if not self.from_top:
            self.call_after_refresh(self.scroll_to_highlight)
