"""The command line's failures as a user meets them: unwritable output, content that is not a file, wrong answers.

Each runs the real command in a subprocess (stdout on /dev/full or closed, a FIFO in the content, with a
timeout so a hang fails), and expects one line on stderr, no traceback and the README's exit code.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from core_helpers import REPO, assert_one_line_error, clean_env, copy_content, run_cli

TIMEOUT = 30
NO_SPACE = "billing-tui: cannot write the output: No space left on device"
CLOSED = "billing-tui: cannot write the output: standard output is closed"

# Every command that writes to stdout, with what it reads on stdin.
WRITERS = [
    (("answer", "billing-center", "invalid-page", "corporate-portal", "logged-in", "--format", "json"), ""),
    (("answer", "billing-center", "invalid-page", "corporate-portal", "logged-in"), ""),
    (("answer", "admin-center", "select-product", "--format", "markdown"), ""),
    (("graph", "admin-center"), ""),
    (("graph", "billing-center", "--format", "dot"), ""),
    (("validate",), ""),
    (("--plain", "--lang", "en"), "1\n"),
    (("doctor",), ""),
]
WRITER_IDS = [
    "answer-json",
    "answer-text",
    "answer-markdown-incomplete",
    "graph",
    "graph-dot",
    "validate",
    "plain",
    "doctor",
]


def run_raw(
    args: tuple[str, ...], stdin: str = "", stdout: int | None = None, close_stdout: bool = False
) -> tuple[int, str]:
    """Run `python -m billing_tui ARGS` with stdout as given (or closed), and return the exit code and stderr."""
    result = subprocess.run(
        [sys.executable, "-m", "billing_tui", *args],
        input=stdin.encode(),
        stdout=stdout,
        stderr=subprocess.PIPE,
        env=clean_env(),
        cwd=REPO,
        timeout=TIMEOUT,
        preexec_fn=(lambda: os.close(1)) if close_stdout else None,
    )
    return result.returncode, result.stderr.decode("utf-8", "replace")


# -- 1. output that cannot be written: exit 4 and one line, never a traceback ---------------------------------


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize(("args", "stdin"), WRITERS, ids=WRITER_IDS)
def test_a_full_disk_on_stdout_exits_4_with_one_line(args: tuple[str, ...], stdin: str) -> None:
    fd = os.open("/dev/full", os.O_WRONLY)
    try:
        code, err = run_raw(args, stdin, stdout=fd)
    finally:
        os.close(fd)
    assert (code, err) == (4, NO_SPACE + "\n")


@pytest.mark.parametrize(("args", "stdin"), WRITERS, ids=WRITER_IDS)
def test_a_closed_stdout_exits_4_with_one_line(args: tuple[str, ...], stdin: str) -> None:
    code, err = run_raw(args, stdin, close_stdout=True)
    assert (code, err) == (4, CLOSED + "\n")


def test_a_closed_stdout_without_plain_is_not_a_terminal() -> None:
    """With stdin on a terminal and stdout closed, choosing the mode must not crash on the missing stdout."""
    import pty

    controller, terminal = pty.openpty()
    try:
        result = subprocess.run(
            [sys.executable, "-m", "billing_tui", "--lang", "en"],
            stdin=terminal,
            stderr=subprocess.PIPE,
            env=clean_env(),
            cwd=REPO,
            timeout=TIMEOUT,
            preexec_fn=lambda: os.close(1),
        )
    finally:
        os.close(terminal)
        os.close(controller)
    assert (result.returncode, result.stderr.decode()) == (4, CLOSED + "\n")


@pytest.mark.parametrize(("args", "stdin"), WRITERS[:1] + WRITERS[-2:-1], ids=["answer", "plain"])
def test_a_reader_that_closed_the_pipe_is_still_success(args: tuple[str, ...], stdin: str) -> None:
    """A guard, not a bug: `billing-tui answer ... | head -c1` must stay exit 0 with nothing on stderr."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        code, err = run_raw(args, stdin, stdout=write_end)
    finally:
        os.close(write_end)
    assert (code, err) == (0, "")


def test_the_plain_mode_with_stdin_closed_ends_as_input_that_ended() -> None:
    """Not a traceback: no input is input that ended at home (exit 3, after the line saying so)."""
    result = subprocess.run(
        [sys.executable, "-m", "billing_tui", "--plain", "--lang", "en"],
        capture_output=True,
        text=True,
        env=clean_env(),
        cwd=REPO,
        timeout=TIMEOUT,
        preexec_fn=lambda: os.close(0),
    )
    assert (result.returncode, result.stderr) == (3, "")
    assert result.stdout.endswith("\n")


# -- 2. "1 problem", not "1 problems" -------------------------------------------------------------------------


def test_problem_count_agrees_in_number() -> None:
    from billing_tui.commands import problem_count

    assert [problem_count(n) for n in (1, 2, 10)] == ["1 problem", "2 problems", "10 problems"]


def test_validate_counts_one_problem_in_the_singular(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    result = run_cli("validate", str(missing))
    assert result.returncode == 2
    assert result.stdout == f"{missing}: -: content directory not found\n"
    assert result.stderr == f"billing-tui: 1 problem in {missing}\n"


def test_invalid_content_counts_one_problem_in_the_singular(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    result = run_cli("--content", str(missing), "answer", "billing-center", "subscriptions")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == f"billing-tui: invalid content (1 problem):\n{missing}: -: content directory not found\n"


# -- 3. a FIFO (or any non-regular file) in the content is a problem, never a hang ---------------------------


@pytest.fixture
def fifo_content(tmp_path: Path) -> Path:
    """A copy of the built-in content with a FIFO at texts/fifo.toml."""
    root = copy_content(tmp_path / "content")
    os.mkfifo(root / "texts" / "fifo.toml")
    return root


def test_validate_reports_a_fifo_instead_of_hanging(fifo_content: Path) -> None:
    result = run_cli("validate", str(fifo_content))  # run_cli's timeout fails a hang
    assert result.returncode == 2
    assert result.stdout == "texts/fifo.toml: -: not a regular file\n"
    assert result.stderr == f"billing-tui: 1 problem in {fifo_content}\n"


def test_content_option_reports_a_fifo_instead_of_hanging(fifo_content: Path) -> None:
    result = run_cli("--content", str(fifo_content), "answer", "billing-center", "subscriptions")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == "billing-tui: invalid content (1 problem):\ntexts/fifo.toml: -: not a regular file\n"


def test_a_fifo_as_graph_toml_is_reported_too(fifo_content: Path) -> None:
    (fifo_content / "graph.toml").unlink()
    os.mkfifo(fifo_content / "graph.toml")
    result = run_cli("validate", str(fifo_content))
    assert result.returncode == 2
    assert result.stdout == "graph.toml: -: not a regular file\ntexts/fifo.toml: -: not a regular file\n"
    assert result.stderr == f"billing-tui: 2 problems in {fifo_content}\n"


RACE = r"""
import os, sys
from pathlib import Path
from billing_tui.flow.loader import read_toml

fifo, regular = sys.argv[1], sys.argv[2]
Path.stat = lambda self, **kw: os.stat(regular)  # the name looked regular when checked, a FIFO when opened
problems = []
print(read_toml(Path(fifo), "texts/fifo.toml", problems), [str(p) for p in problems])
"""


def test_a_fifo_swapped_in_after_the_check_is_refused_without_blocking(fifo_content: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", RACE, str(fifo_content / "texts" / "fifo.toml"), str(fifo_content / "graph.toml")],
        capture_output=True,
        text=True,
        env=clean_env(),
        cwd=REPO,
        timeout=TIMEOUT,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "None ['texts/fifo.toml: -: not a regular file']\n"


# -- 4. answer's errors speak of the command line ------------------------------------------------------------


def test_an_answer_after_the_verdict_says_where_the_path_ended() -> None:
    line = assert_one_line_error(run_cli("answer", "admin-center", "subscriptions", "extra"))
    assert line == (
        "billing-tui: cannot use 'extra': the path already ended at the verdict 'billing-admin' "
        "after 'subscriptions' (drop the answers after it)"
    )


def test_answer_without_a_flow_requires_only_the_flow() -> None:
    line = assert_one_line_error(run_cli("answer"))
    assert line == "billing-tui answer: error: the following arguments are required: FLOW (see --help)"


# -- 5. the plain mode rejects an unknown theme as full screen does ------------------------------------------


def plain_with_theme(theme: str) -> subprocess.CompletedProcess[str]:
    """`billing-tui --plain --theme THEME`, answering q."""
    return subprocess.run(
        [sys.executable, "-m", "billing_tui", "--plain", "--theme", theme],
        input="q\n",
        capture_output=True,
        text=True,
        env=clean_env(),
        cwd=REPO,
        timeout=TIMEOUT,
    )


def test_plain_mode_rejects_an_unknown_theme() -> None:
    line = assert_one_line_error(plain_with_theme("bogus"))
    assert line == "billing-tui: unknown theme 'bogus'; available: default, high-contrast"


@pytest.mark.parametrize("theme", ["default", "high-contrast"])
def test_plain_mode_accepts_the_real_themes(theme: str) -> None:
    result = plain_with_theme(theme)
    assert result.returncode == 0 and result.stderr == ""


def test_the_plain_modes_theme_names_are_the_uis() -> None:
    from billing_tui.display import THEME_NAMES
    from billing_tui.ui.themes import THEME_NAMES as UI_THEME_NAMES

    assert THEME_NAMES == UI_THEME_NAMES
