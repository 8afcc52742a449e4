"""The programs compared: billing-tui, the bare Textual app, whiptail and dialog, with their keys and markers."""

from __future__ import annotations

import shutil
import sys
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from benchmarks import bare_app, bare_inplace

REPO = Path(__file__).resolve().parent.parent
CONTENT_TEXTS = REPO / "billing_tui" / "content" / "texts"


@dataclass(frozen=True)
class Step:
    """A key that changes screen, and the text that shows the new screen is there."""

    name: str
    key: str
    marker: str


@dataclass(frozen=True)
class Target:
    """How to launch one program, reach its choice list, navigate it, change screen and quit."""

    name: str
    argv: tuple[str, ...]
    first_marker: str
    to_list: tuple[Step, ...] = ()
    after_list: tuple[Step, ...] = ()
    nav_keys: tuple[str, ...] = ("down", "up")
    states: tuple[Step, ...] = ()
    quit_key: str = "q"
    note: str = ""
    missing: str | None = None
    env: tuple[tuple[str, str], ...] = ()
    # For a target served by a session server: its live workers, whose CPU and memory belong to the session.
    workers: Callable[[], list[int]] | None = field(default=None, compare=False)
    wait_idle: Callable[[], None] | None = field(default=None, compare=False)
    # For a server with spares: each spare's CPU before the launch (spent before any client; not the session's).
    cpu_before: Callable[[], dict[int, float]] | None = field(default=None, compare=False)

    @property
    def markers(self) -> dict[str, str]:
        """Every marker by name: `first` and one per step."""
        named = {"first": self.first_marker}
        named.update({step.name: step.marker for step in (*self.to_list, *self.after_list, *self.states)})
        return named

    def with_marker(self, name: str, text: str) -> Target:
        """This target with one marker replaced (`first` or a step name)."""
        if name == "first":
            return replace(self, first_marker=text)
        if name not in self.markers:
            raise KeyError(f"{self.name} has no marker {name!r}; it has {', '.join(self.markers)}")

        def swap(steps: tuple[Step, ...]) -> tuple[Step, ...]:
            return tuple(replace(step, marker=text) if step.name == name else step for step in steps)

        return replace(self, to_list=swap(self.to_list), after_list=swap(self.after_list), states=swap(self.states))


def _billing_tui_texts(lang: str) -> dict[str, str]:
    """The home title, first question prompt and billing-admin verdict title, read from the content files."""
    with open(CONTENT_TEXTS / f"{lang}.toml", "rb") as texts_file:
        texts = tomllib.load(texts_file)
    questions = texts["flows"]["billing-center"]["questions"]
    return {
        "home": texts["home"]["title"],
        "question": questions["outcome"]["prompt"],
        "second": questions["my-account"]["prompt"],
        "back": questions["outcome"]["choices"]["unsure"],
        "verdict": texts["verdicts"]["billing-admin"]["title"],
    }


def billing_tui(lang: str = "en") -> Target:
    """billing-tui through `sys.executable -m billing_tui` (run from the repository): home, question, verdict."""
    texts = _billing_tui_texts(lang)
    return Target(
        name="billing-tui",
        argv=(sys.executable, "-m", "billing_tui", "--lang", lang),
        first_marker=texts["home"],
        to_list=(Step("question", "1", texts["question"]),),
        after_list=(Step("verdict", "1", texts["verdict"]),),
        note="home → `1` → question (navigated) → `1` → verdict; quit `q`",
    )


VIA_SERVER = "billing-tui via server"


def via_server(
    lang: str,
    socket: str,
    workers: Callable[[], list[int]],
    wait_idle: Callable[[], None],
    cpu_before: Callable[[], dict[int, float]] | None = None,
    spares: int = 0,
) -> Target:
    """billing-tui as the same command, attaching to a warm session server started for this run."""
    spare_note = (
        f"; `--spares {spares}`: each launch is handed a ready spare, whose CPU before the launch is left out"
        if spares
        else "; `--spares 0`: a worker forked per launch"
    )
    return replace(
        billing_tui(lang),
        name=VIA_SERVER,
        env=(("BILLING_TUI_SOCKET", socket),),
        workers=workers,
        wait_idle=wait_idle,
        cpu_before=cpu_before,
        note="the same command and keys, attached to `billing-tui serve` (started once per run, untimed); "
        "CPU and memory add the worker's to the client's" + spare_note,
    )


def bare() -> Target:
    """The bare Textual app: the framework floor."""
    return Target(
        name="bare-textual",
        argv=(sys.executable, str(Path(bare_app.__file__).resolve())),
        first_marker=bare_app.TITLE,
        after_list=(Step("done", "enter", bare_app.DONE_TITLE),),
        note="OptionList navigated; Enter → a second screen; quit `q`",
    )


def state_steps(second: str, back: str, verdict: str) -> tuple[Step, ...]:
    """`2` (question → question), `b`, `1` (question → verdict), `b`: each named by the change it makes."""
    return (
        Step("to_question", "2", second),
        Step("back_from_question", "b", back),
        Step("to_verdict", "1", verdict),
        Step("back_from_verdict", "b", back),
    )


def billing_tui_states(lang: str = "en") -> Target:
    """billing-tui started on the Billing Center question, changing state with `2`/`b` and `1`/`b`."""
    texts = _billing_tui_texts(lang)
    return Target(
        name="billing-tui-states",
        argv=(sys.executable, "-m", "billing_tui", "--lang", lang, "--flow", "billing-center"),
        first_marker=texts["question"],
        nav_keys=(),
        states=state_steps(texts["second"], texts["back"], texts["verdict"]),
        note="`--flow billing-center`: `2` → next question, `b`, `1` → verdict, `b`, repeated; quit `q`",
    )


def bare_states() -> Target:
    """The bare app updating its Static and OptionList in place: the floor for a state change."""
    return Target(
        name="bare-in-place",
        argv=(sys.executable, "-m", "benchmarks.bare_inplace"),
        first_marker=bare_app.TITLE,
        nav_keys=(),
        states=state_steps(bare_inplace.SECOND_TITLE, bare_app.CHOICES[-1], bare_app.DONE_TITLE),
        note="`benchmarks/bare_inplace.py`: the same keys replace a Static's text and an OptionList's options",
    )


def _menu(program: str) -> Target:
    """whiptail or dialog showing the same question and choices as a --menu; Enter selects and exits."""
    argv = [program, "--title", bare_app.TITLE, "--menu", bare_app.BODY, "20", "78", "3"]
    for number, choice in enumerate(bare_app.CHOICES, start=1):
        argv += [str(number), choice]
    return Target(
        name=program,
        argv=tuple(argv),
        first_marker=bare_app.TITLE,
        quit_key="enter",
        note="`--menu` navigated; quit is Enter (select and exit), since Escape is slow and ambiguous",
        missing=None if shutil.which(program) else f"{program} is not installed",
    )


def all_targets(lang: str = "en", server: Target | None = None) -> list[Target]:
    """Every target, billing-tui first (then billing-tui via the session server, when one runs)."""
    return [
        billing_tui(lang),
        *([server] if server else []),
        bare(),
        _menu("whiptail"),
        _menu("dialog"),
        billing_tui_states(lang),
        bare_states(),
    ]
