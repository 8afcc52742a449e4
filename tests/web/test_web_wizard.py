"""The wizard in a real headless Chromium, keyboard only: FLOWS.md paths in both languages, back, restart, the
live language switch, copy, save as a download, the e-mail draft, a resize, and the page left after quitting."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from browser import STEP_TIMEOUT, Tab, TabTerm, WebServer, poll
from contract import PATHS
from tui import Tui

from billing_tui.flow import Content, Wizard
from billing_tui.flow.transcript import to_markdown, to_text

pytestmark = pytest.mark.web

# Two paths per language, each flow once, ending in all three verdict kinds between them.
WALKS = [
    ("en", PATHS[1]),
    ("en", PATHS[7]),
    ("pt-BR", PATHS[4]),
    ("pt-BR", PATHS[6]),
]


def browser_lang(driver: Any, lang: str) -> None:
    """Make the browser ask for this language first (Accept-Language), as a user's browser settings do."""
    agent = driver.execute_script("return navigator.userAgent")
    driver.execute_cdp_cmd("Network.setUserAgentOverride", {"userAgent": agent, "acceptLanguage": f"{lang},en;q=0.5"})


def open_tab(driver: Any, server: WebServer, lang: str) -> Tab:
    browser_lang(driver, lang)
    driver.get(server.url)
    return Tab(driver)


@pytest.fixture
def en_tab(driver: Any, server: WebServer) -> Any:
    yield open_tab(driver, server, "en")
    driver.get("about:blank")


@pytest.mark.parametrize(("lang", "path"), WALKS, ids=[f"{lang}-{p[0]}-{p[2]}" for lang, p in WALKS])
def test_a_flows_path_reaches_its_verdict_in_the_browsers_language(
    driver: Any, server: WebServer, content: Content, lang: str, path: tuple[str, tuple[str, ...], str]
) -> None:
    flow_id, answers, verdict_id = path
    tui = Tui(TabTerm(open_tab(driver, server, lang)), content.guide(lang))  # type: ignore[arg-type]
    final = tui.walk(flow_id, answers)
    assert final.verdict is not None and final.verdict.id == verdict_id
    driver.get("about:blank")


def test_back_and_restart(en_tab: Tab, content: Content) -> None:
    tui = Tui(TabTerm(en_tab), content.guide("en"))  # type: ignore[arg-type]
    tui.wait_home()
    first = tui.start_flow("billing-center")
    second = tui.answer(first, "invalid-page")
    en_tab.press("BSpace")
    tui.wait_question(second.back())
    tui.answer(first, "invalid-page")
    en_tab.press("r")
    tui.wait_home()


def test_the_language_switches_live_keeping_the_place(en_tab: Tab, content: Content) -> None:
    tui = Tui(TabTerm(en_tab), content.guide("en"))  # type: ignore[arg-type]
    tui.wait_home()
    wizard = tui.answer(tui.start_flow("admin-center"), "select-product")
    en_tab.press("l")
    portuguese = Tui(TabTerm(en_tab), content.guide("pt-BR"))  # type: ignore[arg-type]
    portuguese.wait_question(wizard.with_guide(content.guide("pt-BR")))


def _grant_clipboard(driver: Any, server: WebServer) -> None:
    driver.execute_cdp_cmd(
        "Browser.grantPermissions",
        {"origin": server.url, "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]},
    )


def _clipboard(driver: Any) -> str:
    return str(
        driver.execute_async_script(
            "const done = arguments[0]; navigator.clipboard.readText().then(done, e => done('ERROR ' + e));"
        )
    )


def test_escape_then_a_digit_typed_fast_closes_the_help_then_answers(en_tab: Tab, content: Content) -> None:
    """Escape and 2 typed in one go: the help closes and 2 opens the Admin Center (Textual read the two as ™)."""
    en = content.guide("en")
    Tui(TabTerm(en_tab), en).wait_home()  # type: ignore[arg-type]
    en_tab.press("?")
    en_tab.wait_text(en.text("help_title"))
    en_tab.press("Escape", "2")
    wizard = Wizard(en).start("admin-center")
    assert wizard.question is not None
    question, help_title = wizard.question.title, en.text("help_title")
    en_tab.wait(lambda screen: question in screen and help_title not in screen, f"{question!r} without the help")


def test_a_paste_with_colour_codes_types_no_key(en_tab: Tab, content: Content) -> None:
    """A paste of text with ESC codes in it, as the page sends it (one stdin message): no key acts, so its
    `q` does not end the session and the next key still starts from home."""
    en = content.guide("en")
    Tui(TabTerm(en_tab), en).wait_home()  # type: ignore[arg-type]
    paste = "\x1b[200~x\x1b[0mq\x1b[201~"
    en_tab.driver.execute_script('window.__clients[0].socket.send(JSON.stringify(["stdin", arguments[0]]))', paste)
    en_tab.press("1")
    en_tab.wait_text("https://billing.logmeininc.com")
    assert "-closed" not in en_tab.body_classes()


def test_copy_reaches_the_browsers_clipboard_and_says_so(
    driver: Any, server: WebServer, en_tab: Tab, content: Content
) -> None:
    _grant_clipboard(driver, server)
    guide = content.guide("en")
    final = Tui(TabTerm(en_tab), guide).walk("billing-center", ("subscriptions",))  # type: ignore[arg-type]
    en_tab.press("c")
    en_tab.wait_toast(guide.text("copied_web"))
    expected = to_text(final).strip()
    poll(lambda: _clipboard(driver).strip(), lambda text: text == expected, "the summary in the clipboard")


def test_save_downloads_the_transcript_and_writes_nothing_on_the_server(
    en_tab: Tab, content: Content, downloads: Path, server: WebServer
) -> None:
    guide = content.guide("en")
    final = Tui(TabTerm(en_tab), guide).walk("admin-center", ("subscriptions",))  # type: ignore[arg-type]
    before = set(downloads.iterdir())
    en_tab.press("s")
    name = poll(
        lambda: [p for p in set(downloads.iterdir()) - before if p.suffix == ".md"],
        lambda found: len(found) == 1,
        "the downloaded transcript",
    )[0]
    assert name.name.startswith("billing-contact-admin-center-")
    assert poll(name.read_text, lambda text: text == to_markdown(final), "the whole transcript") == to_markdown(final)
    en_tab.wait_toast(guide.text("saved_web", name=name.name))
    written = [p for p in server.cwd.rglob("billing-contact-*.md")]
    assert written == [], f"the server wrote {written}"


FIELD_BACKGROUNDS = """
const [labels] = arguments, t = window.__clients[0].terminal, b = t.buffer.active, found = {};
for (let y = 0; y < t.rows; y++) {
  const line = b.getLine(b.viewportY + y), text = line.translateToString(true);
  for (const label of labels) { const at = text.indexOf(label);
    if (at >= 0) found[label] = line.getCell(at + label.length + 40).getBgColor(); }
}
return found;
"""


def _focused_field(driver: Any, labels: list[str]) -> str | None:
    """The form field drawn with the focused background: the one whose background no other field has."""
    colours = driver.execute_script(FIELD_BACKGROUNDS, labels)
    unique = [label for label, colour in colours.items() if list(colours.values()).count(colour) == 1]
    return unique[0] if len(colours) == len(labels) and len(unique) == 1 else None


def _field_shows(screen: str, label: str, value: str) -> bool:
    """Whether the form's line with this label shows exactly this value in its field."""
    return any(line.split(label, 1)[1].split("│")[0].strip() == value for line in screen.splitlines() if label in line)


def test_the_email_draft_is_copied_and_its_mailto_opens_through_the_browser(
    driver: Any, server: WebServer, en_tab: Tab, content: Content
) -> None:
    _grant_clipboard(driver, server)
    guide = content.guide("en")
    Tui(TabTerm(en_tab), guide).walk("admin-center", ("contact-billing-admin",))  # type: ignore[arg-type]
    driver.execute_script("window.__opened = []; window.open = (url) => { window.__opened.push(url); return null; };")
    en_tab.press("e")
    en_tab.wait_text(guide.text("email_name_label"))
    labels = [guide.text(key) for key in ("email_name_label", "email_address_label", "email_request_label")]
    for label, value in zip(labels, ("Ana Souza", "ana@example.com", "Add two licenses"), strict=True):
        # As a person does: type into the field once it has the focus (its own background), then Enter.
        poll(lambda: _focused_field(driver, labels), lambda focused, label=label: focused == label, f"focus {label}")
        en_tab.press(value)
        en_tab.wait(lambda screen, label=label, value=value: _field_shows(screen, label, value), value)
        en_tab.press("Enter")
    en_tab.wait_toast(guide.text("email_copied_web"))
    en_tab.wait_text(guide.text("email_mailto_label"))
    poll(lambda: _clipboard(driver), lambda text: "ana@example.com" in text and "Add two licenses" in text, "the draft")
    en_tab.press("Enter")  # the focused link
    opened = poll(lambda: driver.execute_script("return window.__opened"), bool, "window.open of the mailto link")
    assert opened[0].startswith("mailto:ana@example.com?"), opened


def test_a_resize_relays_out_the_wizard_and_a_tiny_window_shows_the_notice(
    driver: Any, en_tab: Tab, content: Content
) -> None:
    guide = content.guide("en")
    Tui(TabTerm(en_tab), guide).wait_home()  # type: ignore[arg-type]
    wide = en_tab.size()
    try:
        driver.set_window_size(360, 260)
        small = poll(en_tab.size, lambda size: size[0] < 40 or size[1] < 12, "a terminal under 40x12")
        en_tab.wait_text(guide.text("too_small", width=small[0], height=small[1], min_width=40, min_height=12)[:20])
        driver.set_window_size(800, 600)
        medium = poll(en_tab.size, lambda size: 40 <= size[0] < wide[0], "a mid-size terminal")
        screen = en_tab.wait(lambda text: guide.home.prompt in text, "the home screen again")
        assert max(len(line.rstrip()) for line in screen.splitlines()) <= medium[0]
    finally:
        driver.set_window_size(1024, 768)


def test_quitting_leaves_a_session_ended_page_that_starts_again(driver: Any, en_tab: Tab, content: Content) -> None:
    from selenium.webdriver.common.by import By

    guide = content.guide("en")
    Tui(TabTerm(en_tab), guide).wait_home()  # type: ignore[arg-type]
    en_tab.press("q")
    poll(en_tab.body_classes, lambda classes: "-closed" in classes, "the page to see the session end", STEP_TIMEOUT)
    ended = driver.find_element(By.CSS_SELECTOR, ".closed-dialog")
    assert ended.is_displayed() and guide.text("web_ended") in ended.text
    link = driver.switch_to.active_element
    assert link.text == guide.text("web_restart")
    link.send_keys("\ue007")  # Enter
    Tui(TabTerm(Tab(driver)), guide).wait_home()  # type: ignore[arg-type]


CELL_BOX = """
const [text] = arguments, client = window.__clients[0], t = client.terminal, b = t.buffer.active;
const cell = t._core._renderService.dimensions.css.cell;
const box = t.element.querySelector('.xterm-screen').getBoundingClientRect();
for (let y = 0; y < t.rows; y++) { const x = b.getLine(b.viewportY + y).translateToString(true).indexOf(text);
  if (x >= 0) return {x: box.left + (x + 2.5) * cell.width, y: box.top + (y + 0.5) * cell.height}; }
return null;
"""


def _alert(driver: Any) -> Any:
    from selenium.common.exceptions import NoAlertPresentException

    try:
        alert = driver.switch_to.alert
        alert.text  # noqa: B018  (raises while there is none)
        return alert
    except NoAlertPresentException:
        return None


def test_a_click_on_a_link_opens_it_through_the_browser(driver: Any, en_tab: Tab, content: Content) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    tui = Tui(TabTerm(en_tab), content.guide("en"))  # type: ignore[arg-type]
    tui.wait_home()
    tui.start_flow("billing-center")
    driver.execute_script("window.__opened = []; window.open = (url) => { window.__opened.push(url); return null; };")
    point = poll(lambda: driver.execute_script(CELL_BOX, "https://billing.logmeininc.com"), bool, "the link's cell")
    body = driver.find_element(By.TAG_NAME, "body")
    size = body.rect
    ActionChains(driver).move_to_element_with_offset(
        body, int(point["x"] - size["width"] / 2), int(point["y"] - size["height"] / 2)
    ).click().perform()
    # xterm.js opens OSC 8 links itself, after asking: the browser's own confirm, then a new window.
    alert = poll(lambda: _alert(driver), bool, "the browser asking before it opens the link")
    assert "https://billing.logmeininc.com" in alert.text
    alert.accept()
    poll(lambda: driver.execute_script("return window.__opened.length"), lambda n: n == 1, "window.open")


# The terminal's size as xterm would fit it now, with the bundled font surely loaded, against the size it got.
FITTED = """
const client = window.__clients[0], t = client.terminal, fit = client.fitAddon.proposeDimensions();
return {loaded: document.fonts.check('16px "Roboto Mono"') && document.fonts.check('italic 16px "Roboto Mono"'),
        fitted: [fit.cols, fit.rows], started: [t.cols, t.rows]};
"""


def test_the_terminal_starts_before_the_page_load_event_yet_sized_with_the_bundled_font(
    en_tab: Tab, content: Content
) -> None:
    Tui(TabTerm(en_tab), content.guide("en")).wait_home()  # type: ignore[arg-type]
    sizes = en_tab.driver.execute_script(FITTED)
    assert sizes["loaded"], "both Roboto Mono faces are loaded"
    assert sizes["started"] == sizes["fitted"], "the page measured its cells with Roboto Mono, not a fallback font"
    assert en_tab.screen().splitlines()[0].rstrip(), "the home is drawn across the fitted width"
