"""Text renderings of a catalogue's process flow: Mermaid flowcharts and Graphviz DOT.

Both group the processes by stage or group (one subgraph or cluster per area) and label
every hand-off with its artefact. The text is plain and deterministic, so it can be
committed next to the documents it was drawn from.
"""

from __future__ import annotations

from pmsm_core.model.process import Catalogue

__all__ = ["flow_to_dot", "flow_to_mermaid"]


def _mermaid_text(text: str) -> str:
    return text.replace('"', "#quot;").replace("\n", " ")


def _dot_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


def _areas(catalogue: Catalogue, kept: set[str]) -> dict[str, list[int]]:
    areas: dict[str, list[int]] = {}
    for i, p in enumerate(catalogue.processes):
        if p.id in kept:
            areas.setdefault(p.area_label, []).append(i)
    return areas


def flow_to_mermaid(catalogue: Catalogue, *, direction: str = "LR") -> str:
    """Return a Mermaid flowchart of the catalogue's process flow.

    Node ids are ``n0``, ``n1`` ... (catalogue order), labelled with the process id and
    name; each stage or group is a subgraph; each edge carries its artefact.

    Parameters
    ----------
    direction
        ``"LR"`` (left to right, default), ``"TB"``, ``"RL"`` or ``"BT"``.

    Raises
    ------
    ValueError
        For another direction.

    Examples
    --------
    >>> from pmsm_core import Catalogue, Process
    >>> cat = Catalogue(
    ...     "c",
    ...     processes=[Process("A", "Plan", outputs=["plan"]), Process("B", "Do", inputs=["plan"])],
    ... )
    >>> print(flow_to_mermaid(cat))
    flowchart LR
      n0["A Plan"]
      n1["B Do"]
      n0 -->|"plan"| n1
    """
    from pmsm_core.processes.flow import flow_graph

    if direction not in ("LR", "TB", "RL", "BT"):
        msg = f"direction must be LR, TB, RL or BT, got {direction!r}"
        raise ValueError(msg)
    graph = flow_graph(catalogue)
    node = {p.id: f"n{i}" for i, p in enumerate(catalogue.processes)}
    lines = [f"flowchart {direction}"]
    for k, (label, members) in enumerate(_areas(catalogue, set(graph.nodes)).items()):
        indent = "  "
        if label:
            lines.append(f'  subgraph a{k}["{_mermaid_text(label)}"]')
            indent = "    "
        for i in members:
            p = catalogue.processes[i]
            lines.append(f'{indent}{node[p.id]}["{_mermaid_text(f"{p.id} {p.name}")}"]')
        if label:
            lines.append("  end")
    for u, v, artefact in graph.edges(data="artefact"):
        lines.append(f'  {node[u]} -->|"{_mermaid_text(artefact)}"| {node[v]}')
    return "\n".join(lines)


def flow_to_dot(catalogue: Catalogue) -> str:
    """Return a Graphviz DOT digraph of the catalogue's process flow.

    Each stage or group becomes a ``cluster`` subgraph; edges are labelled with their
    artefact, and edges from explicit interfaces carry the interface id as a tooltip.

    Examples
    --------
    >>> from pmsm_core import Catalogue, Process
    >>> cat = Catalogue(
    ...     "c",
    ...     processes=[Process("A", "Plan", outputs=["plan"]), Process("B", "Do", inputs=["plan"])],
    ... )
    >>> print(flow_to_dot(cat))
    digraph "c" {
      rankdir=LR;
      node [shape=box];
      "A" [label="A\\nPlan"];
      "B" [label="B\\nDo"];
      "A" -> "B" [label="plan"];
    }
    """
    from pmsm_core.processes.flow import flow_graph

    graph = flow_graph(catalogue)
    lines = [f'digraph "{_dot_text(catalogue.id)}" {{', "  rankdir=LR;", "  node [shape=box];"]
    for k, (label, members) in enumerate(_areas(catalogue, set(graph.nodes)).items()):
        indent = "  "
        if label:
            lines.append(f"  subgraph cluster_{k} {{")
            lines.append(f'    label="{_dot_text(label)}";')
            indent = "    "
        for i in members:
            p = catalogue.processes[i]
            lines.append(
                f'{indent}"{_dot_text(p.id)}" [label="{_dot_text(p.id)}\\n{_dot_text(p.name)}"];'
            )
        if label:
            lines.append("  }")
    for u, v, data in graph.edges(data=True):
        attrs = [f'label="{_dot_text(data["artefact"])}"']
        if data["interface"]:
            attrs.append(f'tooltip="{_dot_text(data["interface"])}"')
        lines.append(f'  "{_dot_text(u)}" -> "{_dot_text(v)}" [{", ".join(attrs)}];')
    lines.append("}")
    return "\n".join(lines)
