"""The base of home and flow screens: layout, shared keys, the too-small notice and the user actions."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.events import Resize
from textual.geometry import Size
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from billing_tui.files import default_transcript_name
from billing_tui.flow.machine import Wizard
from billing_tui.flow.transcript import to_markdown, to_text
from billing_tui.ui import messages
from billing_tui.ui.one_frame import hide_empty_toast_rack, sizes_without_relayout, update_changed
from billing_tui.ui.row_cache import RowCachingCompositor
from billing_tui.ui.text import literal
from billing_tui.ui.too_small import is_too_small, show_notice
from billing_tui.ui.web import clipboard_key, save_in_browser
from billing_tui.ui.widgets.key_hints import KeyHints
from billing_tui.ui.widgets.state_list import StateList

if TYPE_CHECKING:
    from billing_tui.ui.app import BillingApp


class WizardScreen(Screen[None]):
    """A screen that renders the app's wizard; subclasses fill its state list (text and options) for their state."""

    # Priority: a key acts as it reaches the app, not after a trip through the focused list and its parents
    # (the list binds none of these keys, and a dialog or the palette is a screen of its own).
    BINDINGS = [
        *[Binding(str(n), f"number({n})", show=False, priority=True) for n in range(1, 10)],
        Binding("backspace,b", "back", show=False, priority=True),
        Binding("h", "history", show=False, priority=True),
        Binding("r", "restart", show=False, priority=True),
        Binding("l", "language", show=False, priority=True),
        Binding("c", "copy", show=False, priority=True),
        Binding("s", "save", show=False, priority=True),
        Binding("e", "email", show=False, priority=True),
        Binding("question_mark,f1", "help", show=False, priority=True),
        Binding("q", "quit", show=False, priority=True),
    ]

    # show() focuses the state's list itself; Textual's pick on mount could take a hidden widget.
    AUTO_FOCUS = ""
    # Moving the focus restyles the two widgets concerned; a whole-screen repaint would be a second frame.
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)
    _focus_before_small: Widget | None = None
    _mounting = False  # set while on_mount shows the first state
    shown: Wizard | None = None

    def __init__(self) -> None:
        super().__init__()
        self._compositor = RowCachingCompositor()  # only changed rows reach the terminal (ui/row_cache.py)

    def on_screen_suspend(self) -> None:
        """Another screen covers this one: what the terminal shows is no longer this screen's to remember."""
        self._row_cache().forget()

    def _row_cache(self) -> RowCachingCompositor:
        """The compositor, typed."""
        return cast(RowCachingCompositor, self._compositor)

    def _refresh_layout(self, size: Size | None = None, scroll: bool = False) -> None:
        """Lay out and paint once: a state change is one frame (see ui/one_frame.py)."""
        with sizes_without_relayout():
            super()._refresh_layout(size, scroll)

    @property
    def billing_app(self) -> BillingApp:
        """The app, typed."""
        return cast("BillingApp", self.app)

    @property
    def wizard(self) -> Wizard:
        """The state to render: always the app's, never a copy kept here."""
        return self.billing_app.wizard

    def compose(self) -> ComposeResult:
        yield Static(id="topbar")
        yield Static(id="breadcrumb")
        with Vertical(id="body"):  # one list, the same size in every state: show() updates it in place
            yield StateList(id="choices")
        yield KeyHints(id="keys")
        yield Static(id="too-small")

    def on_mount(self) -> None:
        hide_empty_toast_rack(self)
        self._mounting = True
        try:
            self.show(self.wizard)
        finally:
            self._mounting = False

    def on_screen_resume(self) -> None:
        """A reused screen comes back: render the state it missed while another screen was up.

        Not when it is no longer the current screen: a state change that popped a dialog from it may
        already have switched to another screen, whose state this one cannot show.
        """
        if self.is_current and self.wizard is not self.shown:
            self.show(self.wizard)

    def show(self, wizard: Wizard) -> None:
        """Render this state: the top bar here, the rest in subclasses."""
        self.shown = wizard
        g = wizard.guide
        title = g.text("app_title") if wizard.flow is None else f"{g.text('app_title')} › {wizard.flow.label}"
        update_changed(self.query_one("#topbar", Static), literal(f"{title}  ·  {g.lang}"), layout=False)
        self._check_size()

    def on_resize(self, event: Resize) -> None:
        self._row_cache().resized(event.size)
        self._check_size()

    def _check_size(self) -> None:
        """Swap the layout for a notice when the terminal is too small to use."""
        width, height = self.app.size
        small = is_too_small(width, height)
        was_small = self.has_class("-too-small")
        if small and not was_small:
            self._focus_before_small = self.focused
            self.set_focus(None)  # a hidden list must not take Enter or arrows
        self.set_class(small, "-too-small")
        if small:
            show_notice(self.query_one("#too-small", Static), self.wizard.guide, width, height)
        elif was_small:
            self.call_after_refresh(self._refocus)

    def focus_usable(self, widget: Widget) -> None:
        """Focus widget now, or once the too-small notice goes away (while it shows, only q works)."""
        if self.has_class("-too-small"):
            self._focus_before_small = widget
        elif self._mounting:  # at once: the screen's first frame shows it focused, not a frame later
            self.set_focus(widget, scroll_visible=False)
        elif self.focused is not widget:  # after the move's other updates, in the same frame (tests/ui/test_frames.py)
            widget.focus(scroll_visible=False)

    def _refocus(self) -> None:
        """Give the focus back to the widget that had it before the notice, so arrows and Enter work again."""
        widget, self._focus_before_small = self._focus_before_small, None
        if widget is not None and widget.is_attached:
            widget.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While the terminal is too small, only quitting works."""
        return not (self.has_class("-too-small") and action != "quit")

    def notify_text(self, key: str, **values: object) -> None:
        """Show a localized notification (never parsed as markup)."""
        self.notify(self.wizard.guide.text(key, **values), markup=False)

    # -- actions shared by every screen ------------------------------------

    def action_number(self, number: int) -> None:
        self.post_message(messages.ChooseNumber(number))

    def action_back(self) -> None:
        self.post_message(messages.Back())

    def action_restart(self) -> None:
        self.post_message(messages.Restart())

    def action_language(self) -> None:
        self.post_message(messages.SwitchLanguage())

    def action_quit(self) -> None:
        self.billing_app.action_quit_app()

    def action_copy(self) -> None:
        """Copy the verdict summary with OSC 52 and say so."""
        wizard = self.wizard
        if wizard.verdict is None:
            self.notify_text("nothing_yet")
            return
        self.app.copy_to_clipboard(to_text(wizard, ascii_only=self.billing_app.ascii_only))
        self.notify_text(clipboard_key(self.app, "copied"))

    def action_save(self) -> None:
        """Open the save dialog with a suggested file name (in kiosk mode, the transcript view instead)."""
        from billing_tui.ui.screens.save import SaveDialog

        wizard = self.wizard
        if wizard.at_home:
            self.notify_text("nothing_yet")
            return
        if self.app.is_web:  # a browser tab downloads it; the server keeps no file
            save_in_browser(self.app, wizard)
            return
        if self.billing_app.kiosk:  # billing_tui.kiosk: nothing is written on the host; copy and show instead
            from billing_tui.ui.screens.transcript import TranscriptScreen

            markdown = to_markdown(wizard, ascii_only=self.billing_app.ascii_only)
            self.app.push_screen(TranscriptScreen(wizard.guide, markdown))
            return
        name = default_transcript_name(wizard.flow_id)
        self.app.push_screen(SaveDialog(wizard.guide, name, to_markdown(wizard)))

    def action_email(self) -> None:
        """Open the e-mail draft form, where the verdict offers one."""
        from billing_tui.ui.screens.email import EmailScreen

        verdict = self.wizard.verdict
        if verdict is None or not verdict.email_draft:
            self.app.bell()
            return
        self.app.push_screen(EmailScreen(self.wizard))

    def action_help(self) -> None:
        from billing_tui.ui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self.wizard.guide, kiosk=self.billing_app.kiosk))

    def action_history(self) -> None:
        """List the answered questions; picking one goes back to it."""
        from billing_tui.ui.screens.history import HistoryScreen

        def go_back(step_index: int | None) -> None:
            if step_index is not None:
                self.post_message(messages.BackTo(step_index))

        self.app.push_screen(HistoryScreen(self.wizard), go_back)
