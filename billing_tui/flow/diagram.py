"""Draw a flow as a Mermaid or Graphviz DOT diagram: nodes are ids, edges carry choice labels."""

from __future__ import annotations

from billing_tui.flow.models import Flow, Guide


def _mermaid_id(prefix: str, ident: str) -> str:
    return f"{prefix}_{ident.replace('-', '_')}"


def _mermaid_text(text: str) -> str:
    """Quote-safe Mermaid label text."""
    return text.replace('"', "#quot;").replace("\n", " ")


def _edges(flow: Flow) -> list[tuple[str, str, str, bool]]:
    """(question id, choice label, target id, target is a verdict) for every choice of the flow."""
    return [
        (q.id, c.label, c.target.verdict or str(c.target.question), c.target.is_verdict)
        for q in flow.questions
        for c in q.choices
    ]


def to_mermaid(guide: Guide, flow: Flow) -> str:
    """A Mermaid flowchart of one flow."""
    lines = ["flowchart TD", f'  start(["{_mermaid_text(flow.id)}"]) --> {_mermaid_id("q", flow.start)}']
    lines += [f'  {_mermaid_id("q", q.id)}{{"{q.id}"}}' for q in flow.questions]
    verdict_ids = dict.fromkeys(t for _, _, t, is_v in _edges(flow) if is_v)
    for verdict_id in verdict_ids:
        kind = guide.verdict(verdict_id).kind
        lines.append(f'  {_mermaid_id("v", verdict_id)}(["{verdict_id} ({kind})"])')
    for source, label, target, is_verdict in _edges(flow):
        dest = _mermaid_id("v" if is_verdict else "q", target)
        lines.append(f'  {_mermaid_id("q", source)} -->|"{_mermaid_text(label)}"| {dest}')
    return "\n".join(lines) + "\n"


def _dot_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


def to_dot(guide: Guide, flow: Flow) -> str:
    """A Graphviz DOT digraph of one flow."""
    lines = [f'digraph "{_dot_text(flow.id)}" {{', "  rankdir=TB;", '  "start" [shape=oval, label="start"];']
    lines.append(f'  "start" -> "question:{flow.start}";')
    lines += [f'  "question:{q.id}" [shape=box, label="{q.id}"];' for q in flow.questions]
    verdict_ids = dict.fromkeys(t for _, _, t, is_v in _edges(flow) if is_v)
    for verdict_id in verdict_ids:
        kind = guide.verdict(verdict_id).kind
        lines.append(f'  "verdict:{verdict_id}" [shape=ellipse, label="{verdict_id} ({kind})"];')
    for source, label, target, is_verdict in _edges(flow):
        dest = f"verdict:{target}" if is_verdict else f"question:{target}"
        lines.append(f'  "question:{source}" -> "{dest}" [label="{_dot_text(label)}"];')
    lines.append("}")
    return "\n".join(lines) + "\n"
