"""The command line: argparse, language and content selection, and dispatch (the UI loads only when launched)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from billing_tui import __version__, startup_gc
from billing_tui.exit_codes import CliError, ExitCode, OutputError

KIOSK_HELP = "for untrusted remote users: save no file; read no variable but TERM, COLORTERM, NO_COLOR, LANG, LC_*"


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line on stderr and exit code 2, and whose long options are spelled out.

    No abbreviations (`--kios` for `--kiosk`): the session server and its spares decide from exact option names.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        self.exit(ExitCode.USAGE, f"{self.prog}: error: {message} (see --help)\n")


def _common(parser: argparse.ArgumentParser, suppress: bool) -> None:
    """Options accepted before or after a subcommand."""
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument(
        "--lang", default=default, metavar="LANG", help="pt-BR or en (default: $BILLING_TUI_LANG, locale, pt-BR)"
    )
    parser.add_argument(
        "--content", default=default, metavar="DIR", help="a content directory laid out like billing_tui/content/"
    )


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser, with the interactive options and the non-interactive subcommands."""
    parser = _Parser(
        prog="billing-tui",
        description="Find out whether you are your GoToAssist Remote Support v5 account's billing contact.",
        epilog="Exit codes: 0 ok; 1 failure; 2 bad input or invalid content; 3 answers stop at a question; "
        "4 cannot write a file or the output; 5 terminal unusable; 130 interrupted.",
    )
    parser.add_argument("--version", action="version", version=f"billing-tui {__version__}")
    _common(parser, suppress=False)
    parser.add_argument("--flow", metavar="FLOW", help="start straight in a flow: billing-center or admin-center")
    parser.add_argument("--theme", metavar="NAME", help="colour theme (default or high-contrast)")
    parser.add_argument("--no-summary", action="store_true", help="do not print a summary on exit")
    parser.add_argument("--plain", action="store_true", help="numbered prompts on plain lines, no full-screen UI")
    parser.add_argument("--kiosk", action="store_true", help=KIOSK_HELP)
    parser.add_argument("--no-server", action="store_true", help="start on its own even when a session server runs")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    answer = sub.add_parser("answer", help="walk a flow non-interactively with choice ids")
    _common(answer, suppress=True)
    answer.add_argument("flow", metavar="FLOW")
    answer.add_argument("choices", nargs="*", default=[], metavar="CHOICE")  # a default: optional in the usage error
    answer.add_argument("--format", choices=("text", "json", "markdown"), default="text")

    validate = sub.add_parser("validate", help="check a content directory and list every problem")
    _common(validate, suppress=True)
    validate.add_argument("directory", nargs="?", metavar="DIR")

    doctor = sub.add_parser("doctor", help="explain what this terminal, locale and connection support")
    _common(doctor, suppress=True)
    doctor.add_argument("--kiosk", action="store_true", default=argparse.SUPPRESS, help=KIOSK_HELP)

    serve = sub.add_parser("serve", help="run the session server that starts full-screen launches at once")
    _common(serve, suppress=True)
    serve.add_argument("--theme", default=argparse.SUPPRESS, metavar="NAME", help="every session's default theme")
    serve.add_argument("--max-sessions", type=_positive, default=100, metavar="N", help="live sessions (default 100)")
    serve.add_argument("--kiosk", action="store_true", default=argparse.SUPPRESS, help="every session in kiosk mode")
    serve.add_argument("--grace", type=float, default=60.0, metavar="SECONDS", help="on SIGTERM (default 60)")
    serve.add_argument("--spares", type=_count, default=1, metavar="N", help="sessions started ahead (default 1)")

    graph = sub.add_parser("graph", help="draw a flow as a Mermaid or DOT diagram")
    _common(graph, suppress=True)
    graph.add_argument("flow", metavar="FLOW")
    graph.add_argument("--format", choices=("mermaid", "dot"), default="mermaid")

    webcmd = sub.add_parser("web", help="serve the wizard to web browsers (needs the web extra)")
    _common(webcmd, suppress=True)
    webcmd.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    webcmd.add_argument("--port", type=int, default=8000, help="TCP port (default: 8000; 0 picks a free one)")
    webcmd.add_argument("--public-url", metavar="URL", help="the address browsers use, behind a reverse proxy")
    webcmd.add_argument("--max-sessions", type=int, default=20, metavar="N", help="live tabs at most (default: 20)")
    webcmd.add_argument("--theme", default=argparse.SUPPRESS, metavar="NAME", help="colour theme of every tab")
    return parser


def _positive(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    if not text.isdecimal() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"want a whole number of at least 1, got {text!r}")
    return int(text)


def _count(text: str) -> int:
    """An argparse type: a whole number, 0 or more."""
    if not text.isdecimal():
        raise argparse.ArgumentTypeError(f"want a whole number of 0 or more, got {text!r}")
    return int(text)


def _attach(argv: Sequence[str], args: argparse.Namespace) -> int | None:
    """A full-screen launch runs in a session server's warm worker when one is there; None means start cold."""
    from billing_tui.mode import wants_plain
    from billing_tui.server.paths import socket_path, socket_present

    if args.command is not None or args.no_server or wants_plain(args, os.environ):
        return None
    if not socket_present(socket_path(os.environ)):
        return None  # the usual cold start: one lstat, and the client module is never imported
    from billing_tui.server.client import attach

    return attach(argv, args.content)


def run(argv: Sequence[str] | None = None) -> int:
    """Parse argv and run the command, turning every expected failure into one line and an exit code."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(argv)
    try:
        attached = _attach(argv, args)
        return attached if attached is not None else _dispatch(args)
    except OutputError as exc:
        _silence_stdout()  # what stdout still buffers would fail again at the exit flush
        _report(exc)
        return exc.code
    except CliError as exc:
        _report(exc)
        return exc.code
    except KeyboardInterrupt:
        return ExitCode.INTERRUPTED
    except BrokenPipeError:
        _silence_stdout()
        return ExitCode.OK


def _report(exc: CliError) -> None:
    """The error's one line on stderr (nowhere when stderr is closed too)."""
    if sys.stderr is not None:
        print(f"billing-tui: {exc}", file=sys.stderr)


def _silence_stdout() -> None:
    """After a closed pipe or a failed write, point stdout at /dev/null so Python's exit flush stays quiet."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # closed at start (None), or not a file (a test's StringIO)
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)


def _dispatch(args: argparse.Namespace) -> int:
    """Run the chosen subcommand, or the interactive app when there is none."""
    if args.command is None:  # a session: resumed at its first frame, or at once in the plain mode
        startup_gc.pause()
    from billing_tui import commands

    if args.command == "validate":
        return commands.validate(args.directory or args.content)
    if args.command == "serve":
        from billing_tui.server.serve import serve

        return serve(args, os.environ)
    dropped = commands.enter_kiosk(args, os.environ) if args.kiosk else None
    content = commands.load(args.content)
    lang = commands.pick_lang(content, args.lang, os.environ)
    if args.command == "answer":
        return commands.answer(content, lang, args.flow, args.choices, args.format)
    if args.command == "graph":
        return commands.graph(content, lang, args.flow, args.format)
    if args.command == "web":
        from billing_tui.web import run_web

        return run_web(content, args, os.environ)
    if args.command == "doctor":
        from billing_tui.doctor import run_doctor

        return run_doctor(lang, os.environ, sys.stdout, args.content, kiosk_dropped=dropped)
    return commands.launch(content, lang, args, os.environ)
