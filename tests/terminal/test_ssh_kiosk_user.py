"""The kiosk exactly as docs/ssh-kiosk.md builds it, for a real unprivileged user over a real OpenSSH server.

A kiosk user reaches a verdict in each language and tries to save with every way the UI offers
(the s key, the command palette, the verdict's button, the e-mail form), typing paths such as
`~/.ssh/authorized_keys` and pressing Enter twice. Afterwards nothing billing-tui could have
written has changed:
- the kiosk's home (which is also the session's working directory, checked in /proc), the
  install and the keys folder: every name, kind, size, mtime, mode and owner is as before;
- /tmp: other processes on this machine write there all the time, so the test does not compare
  all of it; it compares what a process of the kiosk user could have created there (every path
  owned by that user, outside the folder above) and the very names the test typed. A process
  of that user can create files in /tmp (it is world-writable), so this is exactly the set a
  kiosk write would have added to.
The copies reached the terminal as OSC 52 (the bytes the pane received), and the guide's install
and keys are not writable by the kiosk user (tried as that user).
"""

from __future__ import annotations

import base64
import os
import re
import subprocess
from pathlib import Path

import pytest
from kiosk_host import KioskHost, owned_by, probe_writes, snapshot
from test_tui_ssh import remote_processes, ssh_command
from tmux import TmuxSession
from tui import STEP_TIMEOUT, Tui, bold_map, flat, poll, start_recorded, until_marker, wait_raw

from billing_tui.flow import Content, Wizard
from billing_tui.flow.transcript import to_markdown

pytestmark = [pytest.mark.ssh, pytest.mark.terminal, pytest.mark.slow]

LOCALES = {"pt-BR": "pt_BR.UTF-8", "en": "en_US.UTF-8"}
PATHS = {
    "pt-BR": ("billing-center", ("invalid-page", "corporate-portal", "logged-in")),
    "en": ("admin-center", ("contact-billing-admin",)),
}
OSC52 = re.compile(rb"\x1b\]52;c;([A-Za-z0-9+/=]*)(?:\x07|\x1b\\)")
EMAIL = ("Ana Souza", "ana.souza@example.com", "Add two licenses.")


def typed_paths(host: KioskHost, tag: str) -> list[str]:
    """What a curious kiosk user types where a save dialog would ask for a path (none holds q or c, which act)."""
    paths = [
        "~/.ssh/authorized_keys",
        "~/.profile",
        "./notes.md",
        f"/tmp/bt-kiosk-typed-{tag}.md",
        str(host.install / "bin" / "billing-tui"),
    ]
    assert not any(key in path for path in paths for key in "qcQC"), paths
    return paths


def outside(root: Path, paths: set[str]) -> set[str]:
    return {path for path in paths if not path.startswith(f"{root}/") and path != str(root)}


def copies(raw: bytes) -> list[str]:
    """Every text the program sent to the clipboard (OSC 52), decoded."""
    return [base64.b64decode(payload).decode("utf-8") for payload in OSC52.findall(raw)]


def highlighted_action(session: TmuxSession, starts: list[str]) -> str | None:
    """Of the verdict's actions shown (each by its key and the start of its label), the highlighted one.

    Every action's key is bold; only the highlighted action's label is.
    """
    styled = session.tmux("capture-pane", "-p", "-e", "-t", "main").stdout
    for line in styled.splitlines():
        text, bold = bold_map(line)
        for start in starts:
            column = text.find(start)
            label_column = column + 2  # past the key and its space
            if column >= 0 and not text[:column].strip() and label_column < len(bold) and bold[label_column]:
                return start
    return None


def cursor_row(session: TmuxSession) -> int:
    """The row of the pane's cursor."""
    return int(session.tmux("display-message", "-p", "-t", "main", "#{cursor_y}").stdout.strip())


def _field_line(screen: str, label: str) -> str:
    return next((line for line in screen.splitlines() if label in line), "")


def _field_shows(screen: str, label: str, value: str) -> bool:
    return value in _field_line(screen, label)


class Kiosk:
    """One kiosk session in a tmux pane, driven by a stranger at the keyboard."""

    def __init__(self, session: TmuxSession, tui: Tui) -> None:
        self.session, self.tui, self.g = session, tui, tui.guide

    def view_open(self) -> str:
        return self.tui.wait(lambda s: flat(self.g.text("kiosk_title")) in flat(s), "the kiosk's transcript view")

    def type_path_and_enter_twice(self, path: str) -> None:
        """As in a save dialog: the path, Enter, and Enter again to confirm a replacement."""
        self.session.type(path)
        self.session.send_keys("Enter")
        screen = self.view_open()
        assert self.g.text("save_title") not in screen and self.g.text("save_path_label") not in screen

    def back_at(self, final: Wizard) -> None:
        self.tui.wait(lambda s: flat(self.g.text("kiosk_title")) not in flat(s), "the view closed")
        self.tui.wait_verdict(final)


@pytest.mark.parametrize("lang", LOCALES)
def test_a_kiosk_user_can_change_no_file_on_the_host(
    kiosk_host: KioskHost, tmux_session: TmuxSession, content: Content, lang: str
) -> None:
    host, server = kiosk_host, kiosk_host.server
    assert server is not None
    guide = content.guide(lang)
    paths = typed_paths(host, f"{lang}-{os.getpid()}")
    watched = (host.home, host.install, server.workdir / "keys")
    before, tmp_before = snapshot(*watched), outside(host.root, owned_by(host.uid, Path("/tmp")))

    with remote_processes(server) as remote:
        command = ssh_command(server, client_vars={"LANG": LOCALES[lang]}, options=["-o", "SendEnv=LANG"])
        start_recorded(tmux_session, command)
        tui = Tui(tmux_session, guide)
        flow, answers = PATHS[lang]
        final = tui.walk(flow, answers)
        (pid,) = remote.assert_one_running()
        assert os.stat(f"/proc/{pid}").st_uid == host.uid
        assert os.readlink(f"/proc/{pid}/cwd") == str(host.home)  # the working directory is the kiosk's home
        kiosk = Kiosk(tmux_session, tui)

        # The s key.
        tmux_session.send_keys("s")
        kiosk.view_open()
        kiosk.type_path_and_enter_twice(paths[0])
        kiosk.type_path_and_enter_twice(paths[1])
        tmux_session.send_keys("Escape")
        kiosk.back_at(final)

        # The command palette's entry.
        tmux_session.send_keys("C-p")
        title = guide.text("kiosk_cmd_save")
        tmux_session.type(title, enter=False)
        listed = flat(guide.text("kiosk_cmd_save_help"))  # shown under the entry once the search has listed it
        tui.wait(lambda s: listed in flat(s), "the palette's kiosk entry", STEP_TIMEOUT)
        tmux_session.send_keys("Enter")
        kiosk.view_open()
        kiosk.type_path_and_enter_twice(paths[2])
        tmux_session.send_keys("q")  # closes the view only
        kiosk.back_at(final)

        # The verdict's action: Down from the highlighted Copy (both verdicts here show it at 80x24 without
        # scrolling) to the save action, Enter; then c copies again. Each action by its key and label's start.
        buttons = [f"c {guide.text('action_copy')[:4]}", f"s {guide.text('kiosk_action_save')[:4]}"]
        poll(lambda: str(highlighted_action(tmux_session, buttons)), lambda f: f == buttons[0], "Copy highlighted", 30)
        tmux_session.send_keys("Down")
        poll(lambda: str(highlighted_action(tmux_session, buttons)), lambda f: f == buttons[1], "save highlighted", 30)
        tmux_session.send_keys("Enter")
        kiosk.view_open()
        kiosk.type_path_and_enter_twice(paths[3])
        kiosk.type_path_and_enter_twice(paths[4])
        tmux_session.send_keys("c", "Escape")
        kiosk.back_at(final)

        if final.verdict is not None and final.verdict.email_draft:  # the e-mail form copies, it never writes
            tmux_session.send_keys("e")
            tui.wait(lambda s: flat(guide.text("email_title")) in flat(s), "the e-mail form")
            labels = ("email_name_label", "email_address_label", "email_request_label")
            for label, value in zip(labels, EMAIL, strict=True):
                # Each value is seen in its own field before the next key; after Tab, the terminal's cursor (which
                # Textual keeps in the focused field) has moved down a row before anything more is typed.
                tmux_session.type(value, enter=False)
                tui.wait(lambda s, label=label, value=value: _field_shows(s, guide.text(label), value), value)
                row = cursor_row(tmux_session)
                tmux_session.send_keys("Enter" if label == labels[-1] else "Tab")
                if label != labels[-1]:
                    poll(lambda: str(cursor_row(tmux_session)), lambda r, row=row: r == str(row + 1), "Tab", 30)
            tui.wait(lambda s: flat(guide.text("email_draft_title")) in flat(s), "the e-mail draft")
            tmux_session.send_keys("Escape")
            tui.wait_verdict(final)

        markdown = to_markdown(final)
        raw = wait_raw(tmux_session, lambda raw: copies(raw).count(markdown) >= 4, "four OSC 52 copies")
        assert tui.quit() == 0
        tui.assert_summary(until_marker(tmux_session), final)
        remote.assert_gone({pid})

    sent = copies(raw)
    assert sent.count(markdown) >= 4  # s, the palette, the action and c in the view
    if final.verdict is not None and final.verdict.email_draft:
        assert any(EMAIL[1] in text and text != markdown for text in sent)
    assert snapshot(*watched) == before
    assert outside(host.root, owned_by(host.uid, Path("/tmp"))) == tmp_before == set()
    assert not Path(paths[3]).exists()
    assert not (host.home / ".ssh").exists() and not (host.home / "notes.md").exists()


def test_the_guides_install_and_keys_are_not_writable_by_the_kiosk_user(kiosk_host: KioskHost) -> None:
    """As the kiosk user: no folder takes a new file, no file opens for writing; the guide's find prints nothing."""
    host, server = kiosk_host, kiosk_host.server
    assert server is not None
    assert probe_writes(host, host.install) == []
    assert probe_writes(host, server.workdir / "keys") == []
    assert probe_writes(host, host.home) != []  # the control: the probe does find what the user can write
    found = subprocess.run(
        ["find", str(host.install), "!", "-type", "l", "(", "!", "-user", "root", "-o", "-perm", "/022", ")", "-print"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert found.stdout == ""
    done = host.as_user([str(host.install / "bin" / "billing-tui"), "answer", "billing-center", "subscriptions"])
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip()


def test_keys_in_the_kiosks_own_home_are_not_read(kiosk_host: KioskHost, tmp_path: Path) -> None:
    """AuthorizedKeysFile points at the root-owned file: a key the kiosk user adds to ~/.ssh gets no login."""
    host, server = kiosk_host, kiosk_host.server
    assert server is not None
    other = tmp_path / "other_ed25519"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(other)], check=True, timeout=30)
    ssh_dir = host.home / ".ssh"
    ssh_dir.mkdir(mode=0o700)
    try:
        (ssh_dir / "authorized_keys").write_text(Path(f"{other}.pub").read_text())
        os.chown(ssh_dir, host.uid, host.gid)
        os.chown(ssh_dir / "authorized_keys", host.uid, host.gid)
        argv = server.ssh_argv(tty=False)
        at = argv.index("-i")
        argv[at + 1] = str(other)
        refused = subprocess.run(argv, input="q\n", capture_output=True, text=True, timeout=60, check=False)
        assert refused.returncode == 255 and "Permission denied" in refused.stderr
        allowed = server.run(stdin="q\n", tty=False)
        assert allowed.returncode == 0, allowed.stderr + server.log()
    finally:
        for path in (ssh_dir / "authorized_keys", ssh_dir):
            if path.is_dir():
                path.rmdir()
            else:
                path.unlink(missing_ok=True)
