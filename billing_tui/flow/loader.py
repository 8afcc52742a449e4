"""Load a content directory (graph.toml + texts/<lang>.toml) with tomllib, validate it, build a Guide per language."""

from __future__ import annotations

import os
import re
import stat
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, BinaryIO

import attrs

from billing_tui.flow.errors import ContentError, Problem
from billing_tui.flow.graph_check import check_graph
from billing_tui.flow.graph_spec import GraphSpec
from billing_tui.flow.models import (
    Choice,
    Flow,
    Guide,
    Home,
    Link,
    Question,
    Target,
    Verdict,
)
from billing_tui.flow.sanitize import clean_line, clean_text
from billing_tui.flow.texts_check import check_texts, reference_ui_keys

GRAPH_FILE = "graph.toml"
TEXTS_DIR = "texts"
DEFAULT_LANG = "pt-BR"
# A BCP 47-like tag: the file name is shown (top bar, transcripts, JSON), so nothing else may pass.
LANG_TAG = re.compile(r"[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*\Z")


def builtin_content_dir() -> Path:
    """The content directory shipped inside the package."""
    return Path(__file__).resolve().parent.parent / "content"


@attrs.frozen
class Content:
    """A validated content directory: one Guide per language, sharing the same ids."""

    directory: Path
    guides: Mapping[str, Guide] = attrs.field(hash=False)

    @property
    def langs(self) -> tuple[str, ...]:
        """The available language tags, default language first."""
        return tuple(sorted(self.guides, key=lambda lang: (lang != DEFAULT_LANG, lang)))

    def guide(self, lang: str) -> Guide:
        """The guide in this language; raises KeyError for an unknown language."""
        return self.guides[lang]


def read_toml(path: Path, label: str, problems: list[Problem]) -> dict[str, Any] | None:
    """Parse one TOML file, recording a problem (with the line, for syntax errors) instead of raising."""
    try:
        with _open_regular(path) as handle:
            return tomllib.load(handle)
    except NotRegularFile:
        problems.append(Problem(label, "-", "not a regular file"))
    except FileNotFoundError:
        problems.append(Problem(label, "-", "file not found"))
    except IsADirectoryError:
        problems.append(Problem(label, "-", "is a directory, not a file"))
    except PermissionError:
        problems.append(Problem(label, "-", "permission denied"))
    except UnicodeDecodeError as exc:
        problems.append(Problem(label, "-", f"not valid UTF-8 ({exc.reason})"))
    except tomllib.TOMLDecodeError as exc:
        problems.append(Problem(label, "syntax", f"invalid TOML: {exc}"))
    except OSError as exc:
        problems.append(Problem(label, "-", f"cannot read: {exc.strerror or exc}"))
    return None


class NotRegularFile(OSError):
    """A content file's name holds a FIFO, a device or a socket: reading one could block forever, so it is refused."""


def _open_regular(path: Path) -> BinaryIO:
    """Open a regular file (or a symbolic link to one) for reading; anything else is refused unopened.

    A FIFO would block open() until a writer came, a device may never end: the name is checked first
    (a folder keeps its own IsADirectoryError), and the open is non-blocking and checked again, so a
    FIFO swapped in between is still refused instead of waited on.
    """
    mode = path.stat().st_mode
    if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        raise NotRegularFile(path)
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(path)
        if not stat.S_ISREG(mode):
            raise NotRegularFile(path)
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def load_content(directory: Path | str | None = None) -> Content:
    """Load and validate a content directory (the built-in one by default); raise ContentError listing every problem."""
    root = Path(directory) if directory is not None else builtin_content_dir()
    problems: list[Problem] = []
    if not root.is_dir():
        raise ContentError([Problem(str(root), "-", "content directory not found")])
    graph_raw = read_toml(root / GRAPH_FILE, GRAPH_FILE, problems)
    spec = check_graph(graph_raw, GRAPH_FILE, problems) if graph_raw is not None else None
    texts = _read_texts(root, problems)
    if spec is not None and texts:
        ui_keys = reference_ui_keys(root, builtin_content_dir(), texts)
        check_texts(spec, texts, ui_keys, problems)
    if problems:
        raise ContentError(problems)
    assert spec is not None
    guides = {lang: build_guide(spec, lang, raw) for lang, raw in texts.items()}
    return Content(directory=root, guides=guides)


def _read_texts(root: Path, problems: list[Problem]) -> dict[str, dict[str, Any]]:
    """Read every texts/<lang>.toml file, keyed by language tag."""
    texts_dir = root / TEXTS_DIR
    files = sorted(texts_dir.glob("*.toml")) if texts_dir.is_dir() else []
    if not files:
        problems.append(Problem(f"{TEXTS_DIR}/", "-", "no language files (texts/<lang>.toml)"))
    texts: dict[str, dict[str, Any]] = {}
    for path in files:
        if not LANG_TAG.match(path.stem):
            message = "the file name must be a language tag such as en or pt-BR (letters, digits and '-')"
            problems.append(Problem(f"{TEXTS_DIR}/{path.name}", "-", message))
            continue
        raw = read_toml(path, f"{TEXTS_DIR}/{path.name}", problems)
        if raw is not None:
            texts[path.stem] = raw
    return texts


def build_guide(spec: GraphSpec, lang: str, raw: dict[str, Any]) -> Guide:
    """Combine the validated graph and one language's validated texts into a Guide."""
    link_texts = raw.get("links", {})  # absent when the graph has no links
    links = {link_id: Link(link_id, clean_line(link_texts[link_id]), url) for link_id, url in spec.links.items()}
    flows = tuple(
        _build_flow(flow_id, flow_spec, raw["flows"][flow_id], links) for flow_id, flow_spec in spec.flows.items()
    )
    verdicts = tuple(
        Verdict(
            id=verdict_id,
            kind=v.kind,
            kind_label=clean_line(raw["kinds"][v.kind]),
            title=clean_line(raw["verdicts"][verdict_id]["title"]),
            body=clean_text(raw["verdicts"][verdict_id]["body"]),
            links=tuple(links[link_id] for link_id in v.links),
            email_draft=v.email_draft,
        )
        for verdict_id, v in spec.verdicts.items()
    )
    home = raw["home"]
    return Guide(
        lang=lang,
        language_name=clean_line(raw["language_name"]),
        home=Home(
            title=clean_line(home["title"]),
            intro=clean_text(home["intro"]),
            who_can_see=clean_text(home["who_can_see"]),
            prompt=clean_line(home["prompt"]),
        ),
        flows=flows,
        verdicts=verdicts,
        links=tuple(links.values()),
        ui={key: clean_text(value) for key, value in raw["ui"].items()},
    )


def _build_flow(flow_id: str, spec: Any, raw: dict[str, Any], links: dict[str, Link]) -> Flow:
    """Build one localized Flow from its validated spec and texts."""
    questions = []
    for question_id, q in spec.questions.items():
        q_raw = raw["questions"][question_id]
        choices = tuple(
            Choice(
                id=choice_id,
                label=clean_line(q_raw["choices"][choice_id]),
                target=Target(question=c.question, verdict=c.verdict),
            )
            for choice_id, c in q.choices.items()
        )
        questions.append(
            Question(
                id=question_id,
                flow_id=flow_id,
                title=clean_line(q_raw["title"]),
                steps=tuple(clean_text(step) for step in q_raw["steps"]),
                prompt=clean_line(q_raw["prompt"]),
                choices=choices,
                links=tuple(links[link_id] for link_id in q.links),
            )
        )
    return Flow(
        id=flow_id,
        label=clean_line(raw["label"]),
        audience=clean_text(raw["audience"]),
        start=spec.start,
        questions=tuple(questions),
    )
