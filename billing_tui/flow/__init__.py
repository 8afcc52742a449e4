"""The flow core: content models, the loader and validator, and the wizard state machine (no UI imports)."""

from billing_tui.flow.errors import ContentError, IllegalMove, Problem
from billing_tui.flow.loader import Content, builtin_content_dir, load_content
from billing_tui.flow.machine import Wizard
from billing_tui.flow.models import (
    KINDS,
    Choice,
    Flow,
    Guide,
    Link,
    Question,
    Verdict,
)

__all__ = [
    "KINDS",
    "Choice",
    "Content",
    "ContentError",
    "Flow",
    "Guide",
    "IllegalMove",
    "Link",
    "Problem",
    "Question",
    "Verdict",
    "Wizard",
    "builtin_content_dir",
    "load_content",
]
