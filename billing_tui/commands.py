"""The non-interactive commands (answer, validate, graph) and the hand-off to the UI; none of them imports textual."""

from __future__ import annotations

import argparse
import sys
import unicodedata
from collections.abc import Mapping, MutableMapping, Sequence
from pathlib import Path

from billing_tui import kiosk, startup_gc
from billing_tui.display import THEME_NAMES, stream_is_unicode
from billing_tui.exit_codes import CliError, ExitCode, write_out
from billing_tui.flow import Content, ContentError, IllegalMove, Wizard, load_content
from billing_tui.flow.diagram import to_dot, to_mermaid
from billing_tui.flow.language import resolve_lang
from billing_tui.flow.sanitize import ascii_typography
from billing_tui.flow.transcript import to_dict, to_markdown, to_text
from billing_tui.mode import wants_plain

# Content loaded ahead of time by the session server, by the directory it was asked for (None: the built-in one).
_PRELOADED: dict[str | None, Content] = {}


def preload(directory: str | None) -> Content:
    """Load and validate content once, so later load() calls for the same directory reuse it (the server's warm-up)."""
    _PRELOADED[directory] = load(directory)
    return _PRELOADED[directory]


def load(directory: str | None) -> Content:
    """Load content, turning validation problems into an error that lists them."""
    if directory in _PRELOADED:
        return _PRELOADED[directory]
    try:
        return load_content(Path(directory) if directory else None)
    except ContentError as exc:
        lines = "\n".join(str(p) for p in exc.problems)
        raise CliError(f"invalid content ({problem_count(len(exc.problems))}):\n{lines}") from None


def problem_count(count: int) -> str:
    """`1 problem`, `2 problems`: the count of content problems as the error lines say it."""
    return f"{count} problem" if count == 1 else f"{count} problems"


def pick_lang(content: Content, requested: str | None, env: Mapping[str, str]) -> str:
    """The language to use, or a one-line error naming the available ones."""
    try:
        return resolve_lang(requested, env, content.langs)
    except LookupError as exc:
        raise CliError(str(exc.args[0])) from None


def fit_stdout(text: str) -> str:
    """Text stdout's encoding can show: a character it lacks becomes an ASCII look-alike (– as -, ç as c), else '?'.

    Without this, an ASCII or Latin-1 stdout turns dashes, quotes, accents and the ✔ of a yes verdict
    into '?', which reads like the unsure symbol.
    """
    encoding = getattr(sys.stdout, "encoding", None) or "ascii"
    try:
        text.encode(encoding)
        return text
    except LookupError:
        encoding = "ascii"
    except UnicodeEncodeError:
        pass
    out = []
    for char in text:
        try:
            char.encode(encoding)
            out.append(char)
        except UnicodeEncodeError:
            stripped = unicodedata.normalize("NFKD", ascii_typography(char))
            stripped = "".join(c for c in stripped if not unicodedata.combining(c))
            out.append(stripped.encode(encoding, "replace").decode(encoding))
    return "".join(out)


def walk(content: Content, lang: str, flow_id: str, choices: Sequence[str]) -> Wizard:
    """Start a flow and apply the choices, or fail with one line naming the valid ids."""
    try:
        wizard = Wizard(content.guide(lang)).start(flow_id)
        for choice_id in choices:
            if wizard.verdict is not None:
                raise CliError(
                    f"cannot use {choice_id!r}: the path already ended at the verdict {wizard.verdict.id!r} "
                    f"after {wizard.answers[-1]!r} (drop the answers after it)"
                )
            wizard = wizard.choose(choice_id)
    except IllegalMove as exc:
        raise CliError(str(exc)) from None
    return wizard


def answer(content: Content, lang: str, flow_id: str, choices: Sequence[str], fmt: str) -> int:
    """Walk a flow with the given choice ids; 0 at a verdict, 3 when stopped at a question."""
    wizard = walk(content, lang, flow_id, choices)
    if fmt == "json":
        import json  # only this format needs it: the answer path stays lean

        text = json.dumps(to_dict(wizard), ensure_ascii=not stream_is_unicode(sys.stdout), indent=2) + "\n"
    elif fmt == "markdown":
        text = fit_stdout(to_markdown(wizard, ascii_only=not stream_is_unicode(sys.stdout)))
    else:
        text = fit_stdout(to_text(wizard, ascii_only=not stream_is_unicode(sys.stdout)))
    write_out(sys.stdout, text)
    return ExitCode.OK if wizard.verdict is not None else ExitCode.INCOMPLETE


def validate(directory: str | None) -> int:
    """Validate a content directory: 0 when valid, 2 with one `FILE: KEY: message` line per problem."""
    try:
        content = load_content(Path(directory) if directory else None)
    except ContentError as exc:
        write_out(sys.stdout, "".join(f"{problem}\n" for problem in exc.problems))
        where = directory or "the built-in content"
        print(f"billing-tui: {problem_count(len(exc.problems))} in {where}", file=sys.stderr)
        return ExitCode.USAGE
    guide = content.guide(content.langs[0])
    write_out(
        sys.stdout,
        f"ok: {content.directory}: {len(guide.flows)} flows, {len(guide.verdicts)} verdicts, "
        f"languages: {', '.join(content.langs)}\n",
    )
    return ExitCode.OK


def graph(content: Content, lang: str, flow_id: str, fmt: str) -> int:
    """Print one flow as a Mermaid or DOT diagram."""
    guide = content.guide(lang)
    flow = guide.flow(flow_id)
    if flow is None:
        raise CliError(f"unknown flow {flow_id!r}; valid flows: {', '.join(guide.flow_ids)}")
    write_out(sys.stdout, fit_stdout(to_dot(guide, flow) if fmt == "dot" else to_mermaid(guide, flow)))
    return ExitCode.OK


def enter_kiosk(args: argparse.Namespace, environ: MutableMapping[str, str]) -> list[str]:
    """Check the options for kiosk mode and reduce the environment to the kiosk's; return the names dropped."""
    if getattr(args, "no_summary", False):
        raise CliError(
            "--kiosk leaves the summary in the user's terminal, the one copy they keep: drop --no-summary",
            ExitCode.USAGE,
        )
    dropped = kiosk.ignored(environ)
    kiosk.enter(environ)
    return dropped


def launch(content: Content, lang: str, args: argparse.Namespace, env: Mapping[str, str]) -> int:
    """Start the interactive wizard: the plain line mode, or the full-screen app."""
    if args.flow is not None and content.guide(lang).flow(args.flow) is None:
        raise CliError(f"unknown flow {args.flow!r}; valid flows: {', '.join(content.guide(lang).flow_ids)}")
    if args.theme is not None and args.theme not in THEME_NAMES:  # checked in both modes (the plain one ignores it)
        raise CliError(f"unknown theme {args.theme!r}; available: {', '.join(THEME_NAMES)}")
    if wants_plain(args, env):
        startup_gc.resume()  # a line-by-line session has no first frame to wait for
        from billing_tui.plain import run_plain

        return run_plain(content, lang, args.flow, sys.stdin, sys.stdout)
    from billing_tui.ui.launch import run_app

    return run_app(content, lang, flow=args.flow, theme=args.theme, summary=not args.no_summary, kiosk=args.kiosk)
