"""Text diagrams for wikis and docs: Mermaid and Graphviz DOT.

* Schedules: a Mermaid ``gantt`` chart (:func:`schedule_to_mermaid`) and an activity-on-node
  DOT graph with record boxes (:func:`schedule_to_dot`).
* Dependency graphs of projects: Mermaid flowcharts and DOT digraphs with one subgraph per
  summary activity (:func:`dependencies_to_mermaid`, :func:`dependencies_to_dot`).
* Service dependency graphs: services, configuration items and redundancy groups, with the
  result of an impact analysis coloured in when given (:func:`services_to_mermaid`,
  :func:`services_to_dot`).
* Process flows of catalogues (:func:`flow_to_mermaid`, :func:`flow_to_dot`).

The text is plain and deterministic (same input, same text), so it can be committed next to
the documents it was drawn from and diffed.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:  # pragma: no cover
    from pmsm_core.model.process import Catalogue
    from pmsm_core.model.project import Project
    from pmsm_core.model.service import ServiceCatalogue
    from pmsm_core.scheduling.results import Schedule
    from pmsm_core.services.graph import ImpactResult

__all__ = [
    "dependencies_to_dot",
    "dependencies_to_mermaid",
    "flow_to_dot",
    "flow_to_mermaid",
    "schedule_to_dot",
    "schedule_to_mermaid",
    "services_to_dot",
    "services_to_mermaid",
]

_DIRECTIONS: Final = ("LR", "TB", "RL", "BT")
_UNDATED_ORIGIN: Final = datetime(1970, 1, 1)
_CRITICAL: Final = "#D55E00"


def mermaid_text(text: str) -> str:
    """Text safe inside a quoted Mermaid label.

    Examples
    --------
    >>> mermaid_text('say "hi"\\nnow')
    'say #quot;hi#quot; now'
    """
    return text.replace('"', "#quot;").replace("\n", " ")


def dot_text(text: str) -> str:
    """Text safe inside a quoted DOT string.

    Examples
    --------
    >>> dot_text('a "b" \\\\ c')
    'a \\\\"b\\\\" \\\\\\\\ c'
    """
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


def _record_text(text: str) -> str:
    return re.sub(r"([{}|<>])", r"\\\1", dot_text(text))


def _check_direction(direction: str) -> None:
    if direction not in _DIRECTIONS:
        msg = f"direction must be LR, TB, RL or BT, got {direction!r}"
        raise ValueError(msg)


def _scheduled(source: Schedule | Project) -> tuple[Schedule, Project | None]:
    from pmsm_core.model.project import Project

    if isinstance(source, Project):
        from pmsm_core.scheduling.schedule import schedule

        return schedule(source), source
    return source, None


# --------------------------------------------------------------------------- schedules


def schedule_to_mermaid(source: Schedule | Project, *, title: str | None = None) -> str:
    """A Mermaid ``gantt`` chart: one section per top-level summary, critical tasks marked.

    Undated schedules count one day per time unit from 1970-01-01.

    Examples
    --------
    >>> from datetime import datetime
    >>> from pmsm_core import Activity, Dependency, Duration, Project
    >>> p = Project(
    ...     "P",
    ...     "Release",
    ...     start=datetime(2026, 1, 5, 8),
    ...     activities=[
    ...         Activity("A", "Design", Duration.from_days(2)),
    ...         Activity("B", "Write docs", Duration.from_days(1)),
    ...         Activity("M", "Ship: v1", milestone=True),
    ...     ],
    ...     dependencies=[Dependency("A", "M"), Dependency("B", "M")],
    ... )
    >>> print(schedule_to_mermaid(p))
    gantt
      title Release
      dateFormat YYYY-MM-DD HH:mm
      axisFormat %d %b
      Design :crit, t0, 2026-01-05 08:00, 2026-01-06 17:00
      Write docs :t1, 2026-01-05 08:00, 2026-01-05 17:00
      Ship﹕ v1 :crit, milestone, t2, 2026-01-06 17:00, 0m
    """
    result, project = _scheduled(source)
    if title is None:
        title = (project.name or project.id) if project is not None else result.project_id
    dated = result.is_dated

    def when(value: Any) -> str:
        if not dated:
            value = _UNDATED_ORIGIN + timedelta(days=int(value))
        text: str = value.strftime("%Y-%m-%d %H:%M")
        return text

    def label(text: str) -> str:
        return re.sub(
            r"[:;#\n]", lambda m: {":": "﹕", ";": ",", "#": "No.", "\n": " "}[m.group()], text
        )

    lines = [
        "gantt",
        f"  title {label(title)}",
        "  dateFormat YYYY-MM-DD HH:mm",
        "  axisFormat %d %b" if dated else "  axisFormat day %j",
    ]
    code = {a.id: f"t{i}" for i, a in enumerate(result.activities)}
    top_of: dict[str, str | None] = {}
    for a in result.activities:
        top = a.id
        seen = set()
        while result[top].parent is not None and result[top].parent in result and top not in seen:
            seen.add(top)
            top = result[top].parent  # type: ignore[assignment]
        top_of[a.id] = top if top != a.id or result[a.id].summary else None
    section: str | None = None
    for a in result.activities:
        if a.summary:
            continue
        group = top_of[a.id]
        if group != section:
            section = group
            if group is not None:
                lines.append(f"  section {label(result[group].name or group)}")
        tags = (["crit"] if a.critical else []) + (["milestone"] if a.milestone else [])
        prefix = ", ".join([*tags, code[a.id]])
        end = "0m" if a.milestone else when(a.finish)
        lines.append(f"  {label(a.name or a.id)} :{prefix}, {when(a.start)}, {end}")
    return "\n".join(lines)


def schedule_to_dot(source: Schedule | Project, *, minutes_per_day: int = 480) -> str:
    """An activity-on-node DOT graph: record boxes with dates, duration and float.

    Each box reads ``ES | duration | EF`` over ``id: name`` over ``LS | total float | LF``;
    critical activities and the driving links between them are orange-red.

    Examples
    --------
    >>> from pmsm_core import Activity, Dependency, Duration, Project
    >>> p = Project(
    ...     "P",
    ...     activities=[Activity("A", duration=Duration(3)), Activity("B", duration=Duration(2))],
    ...     dependencies=[Dependency("A", "B")],
    ... )
    >>> print(schedule_to_dot(p))
    digraph "P" {
      rankdir=LR;
      node [shape=record, fontsize=10];
      "A" [label="{0|3|3}|A|{0|TF 0|3}", color="#D55E00", penwidth=2];
      "B" [label="{3|2|5}|B|{3|TF 0|5}", color="#D55E00", penwidth=2];
      "A" -> "B" [color="#D55E00", penwidth=2];
    }
    """
    result, project = _scheduled(source)
    if project is not None:
        minutes_per_day = project.minutes_per_day
    dated = result.is_dated

    def when(value: Any) -> str:
        return value.strftime("%d %b %H:%M") if isinstance(value, datetime) else str(value)

    def amount(minutes: int) -> str:
        return f"{minutes / minutes_per_day:g}d" if dated else str(minutes)

    lines = [
        f'digraph "{dot_text(result.project_id)}" {{',
        "  rankdir=LR;",
        "  node [shape=record, fontsize=10];",
    ]
    leaves = [a for a in result.activities if not a.summary]
    for a in leaves:
        name = f"{a.id}: {a.name}" if a.name else a.id
        record = (
            f"{{{_record_text(when(a.early_start))}|{amount(a.duration)}|"
            f"{_record_text(when(a.early_finish))}}}|{_record_text(name)}|"
            f"{{{_record_text(when(a.late_start))}|TF {amount(a.total_float)}|"
            f"{_record_text(when(a.late_finish))}}}"
        )
        style = f', color="{_CRITICAL}", penwidth=2' if a.critical else ""
        lines.append(f'  "{dot_text(a.id)}" [label="{record}"{style}];')
    by_id = {a.id: a for a in leaves}
    for link in result.links:
        attrs = []
        if link.type != "FS":
            attrs.append(f'label="{link.type}"')
        if link.driving and by_id[link.predecessor].critical and by_id[link.successor].critical:
            attrs += [f'color="{_CRITICAL}"', "penwidth=2"]
        extra = f" [{', '.join(attrs)}]" if attrs else ""
        lines.append(f'  "{dot_text(link.predecessor)}" -> "{dot_text(link.successor)}"{extra};')
    lines.append("}")
    return "\n".join(lines)


# --------------------------------------------------------------------------- dependency graphs


def _link_label(project: Project, dep: Any) -> str:
    lag = dep.lag
    minutes = getattr(lag, "minutes", None)
    parts = [] if dep.type.value == "FS" else [dep.type.value]
    if minutes != 0:
        if minutes is None:
            shown = str(lag)
        else:
            shown = lag.format(project.factors) if project.is_dated else str(minutes)
        parts.append(shown if shown.startswith("-") else f"+{shown}")
    return " ".join(parts)


def dependencies_to_mermaid(
    project: Project, *, schedule: Schedule | None = None, direction: str = "LR"
) -> str:
    """A Mermaid flowchart of a project's links, one subgraph per summary activity.

    With a ``schedule``, critical activities get the ``critical`` class (orange-red).

    Raises
    ------
    ValueError
        For a direction other than LR, TB, RL, BT.

    Examples
    --------
    >>> from pmsm_core import Activity, Dependency, Duration, LinkType, Project
    >>> p = Project(
    ...     "P",
    ...     activities=[
    ...         Activity("W", "Work"),
    ...         Activity("A", "Design", Duration(2), parent="W"),
    ...         Activity("B", "Build", Duration(3), parent="W"),
    ...         Activity("M", "Done", milestone=True),
    ...     ],
    ...     dependencies=[Dependency("A", "B", LinkType.SS, Duration(1)), Dependency("W", "M")],
    ... )
    >>> print(dependencies_to_mermaid(p))
    flowchart LR
      subgraph n0["W Work"]
        n1["A Design"]
        n2["B Build"]
      end
      n3(["M Done"])
      n1 -->|"SS +1"| n2
      n0 --> n3
    """
    _check_direction(direction)
    code = {a.id: f"n{i}" for i, a in enumerate(project.activities)}
    critical = set(schedule.critical) if schedule is not None else set()
    lines = [f"flowchart {direction}"]

    def emit(activity_id: str, depth: int) -> None:
        a = project.activity(activity_id)
        indent = "  " * (depth + 1)
        text = mermaid_text(f"{a.id} {a.name}".strip())
        if project.is_summary(a.id):
            lines.append(f'{indent}subgraph {code[a.id]}["{text}"]')
            for kid in project.children(a.id):
                emit(kid, depth + 1)
            lines.append(f"{indent}end")
        else:
            shape = ('(["', '"])') if a.is_milestone else ('["', '"]')
            css = ":::critical" if a.id in critical else ""
            lines.append(f"{indent}{code[a.id]}{shape[0]}{text}{shape[1]}{css}")

    for a in project.activities:
        if a.parent is None:
            emit(a.id, 0)
    for dep in project.dependencies:
        label = _link_label(project, dep)
        arrow = f'-->|"{mermaid_text(label)}"|' if label else "-->"
        lines.append(f"  {code[dep.predecessor]} {arrow} {code[dep.successor]}")
    if critical:
        lines.append(f"  classDef critical fill:#FBE3D6,stroke:{_CRITICAL},stroke-width:2px")
    return "\n".join(lines)


def dependencies_to_dot(project: Project, *, schedule: Schedule | None = None) -> str:
    """A DOT digraph of a project's links, one cluster per summary activity.

    Examples
    --------
    >>> from pmsm_core import Activity, Dependency, Duration, Project
    >>> p = Project(
    ...     "P",
    ...     activities=[Activity("A", "Design", Duration(2)), Activity("B", "Build", Duration(3))],
    ...     dependencies=[Dependency("A", "B", lag=Duration(1))],
    ... )
    >>> print(dependencies_to_dot(p))
    digraph "P" {
      rankdir=LR;
      node [shape=box, style=rounded];
      "A" [label="A\\nDesign"];
      "B" [label="B\\nBuild"];
      "A" -> "B" [label="+1"];
    }
    """
    critical = set(schedule.critical) if schedule is not None else set()
    lines = [
        f'digraph "{dot_text(project.id)}" {{',
        "  rankdir=LR;",
        "  node [shape=box, style=rounded];",
    ]

    def emit(activity_id: str, depth: int) -> None:
        a = project.activity(activity_id)
        indent = "  " * (depth + 1)
        if project.is_summary(a.id):
            lines.append(f'{indent}subgraph "cluster_{dot_text(a.id)}" {{')
            lines.append(f'{indent}  label="{dot_text(f"{a.id} {a.name}".strip())}";')
            for kid in project.children(a.id):
                emit(kid, depth + 1)
            lines.append(f"{indent}}}")
            return
        label = f"{dot_text(a.id)}\\n{dot_text(a.name)}" if a.name else dot_text(a.id)
        style = ", shape=diamond, style=solid" if a.is_milestone else ""
        if a.id in critical:
            style += f', color="{_CRITICAL}", penwidth=2'
        lines.append(f'{indent}"{dot_text(a.id)}" [label="{label}"{style}];')

    for a in project.activities:
        if a.parent is None:
            emit(a.id, 0)
    for dep in project.dependencies:
        label = _link_label(project, dep)
        attrs = f' [label="{dot_text(label)}"]' if label else ""
        head = (
            f' lhead="cluster_{dot_text(dep.successor)}"'
            if project.is_summary(dep.successor)
            else ""
        )
        del head
        lines.append(f'  "{dot_text(dep.predecessor)}" -> "{dot_text(dep.successor)}"{attrs};')
    lines.append("}")
    return "\n".join(lines)


# --------------------------------------------------------------------------- services

_STATUS_STYLE: Final = {"down": ("#F4CCCC", "#CC0000"), "degraded": ("#FFF2CC", "#B7950B")}


def _service_nodes(catalogue: ServiceCatalogue) -> Any:
    return catalogue.to_networkx()


def services_to_mermaid(
    catalogue: ServiceCatalogue, *, impact: ImpactResult | None = None, direction: str = "TB"
) -> str:
    """A Mermaid flowchart of the service dependency graph: arrows point from what needs
    to what it needs; services are rounded, configuration items square, redundancy groups
    hexagons labelled with how many members must be up. With an ``impact`` result, nodes
    down are red and degraded ones yellow.

    Examples
    --------
    >>> from pmsm_core import (
    ...     ConfigurationItem,
    ...     RedundancyGroup,
    ...     Service,
    ...     ServiceCatalogue,
    ...     ServiceDependency,
    ... )
    >>> cat = ServiceCatalogue(
    ...     "IT",
    ...     services=[Service("MAIL", "Mail")],
    ...     configuration_items=[ConfigurationItem(i) for i in ("MX1", "MX2")],
    ...     redundancy_groups=[RedundancyGroup("MX", ["MX1", "MX2"])],
    ...     dependencies=[ServiceDependency("MAIL", "MX")],
    ... )
    >>> print(services_to_mermaid(cat))
    flowchart TB
      s0("MAIL Mail")
      s1["MX1"]
      s2["MX2"]
      s3{{"MX: 1 of 2"}}
      s0 --> s3
      s3 --> s1
      s3 --> s2
    """
    _check_direction(direction)
    graph = _service_nodes(catalogue)
    code = {node: f"s{i}" for i, node in enumerate(graph.nodes)}
    lines = [f"flowchart {direction}"]
    classes: dict[str, list[str]] = {}
    for node, data in graph.nodes(data=True):
        text = mermaid_text(_service_label(graph, node, data))
        kind = data["kind"]
        shape = {"service": ('("', '")'), "ci": ('["', '"]'), "group": ('{{"', '"}}')}[kind]
        lines.append(f"  {code[node]}{shape[0]}{text}{shape[1]}")
        if impact is not None:
            status = impact.status(node).value
            if status in _STATUS_STYLE:
                classes.setdefault(status, []).append(code[node])
    for u, v in sorted(graph.edges, key=lambda e: (code[e[1]], code[e[0]])):
        lines.append(f"  {code[v]} --> {code[u]}")
    for status, nodes in classes.items():
        fill, stroke = _STATUS_STYLE[status]
        lines.append(f"  classDef {status} fill:{fill},stroke:{stroke},stroke-width:2px")
        lines.append(f"  class {','.join(nodes)} {status}")
    return "\n".join(lines)


def _service_label(graph: Any, node: str, data: dict[str, Any]) -> str:
    if data["kind"] == "group":
        members = graph.in_degree(node)
        return f"{node}: {data.get('min_up', members)} of {members}"
    name = data.get("name") or ""
    return f"{node} {name}".strip()


def services_to_dot(catalogue: ServiceCatalogue, *, impact: ImpactResult | None = None) -> str:
    """A DOT digraph of the service dependency graph (see :func:`services_to_mermaid`).

    Examples
    --------
    >>> from pmsm_core import ConfigurationItem, Service, ServiceCatalogue, ServiceDependency
    >>> from pmsm_core.services.graph import impact
    >>> cat = ServiceCatalogue(
    ...     "IT",
    ...     services=[Service("MAIL")],
    ...     configuration_items=[ConfigurationItem("DNS")],
    ...     dependencies=[ServiceDependency("MAIL", "DNS")],
    ... )
    >>> print(services_to_dot(cat, impact=impact(cat, ["DNS"])))  # doctest: +NORMALIZE_WHITESPACE
    digraph "IT" {
      rankdir=TB;
      "MAIL" [label="MAIL", shape=box, style="rounded,filled",
              fillcolor="#F4CCCC", color="#CC0000"];
      "DNS" [label="DNS", shape=box, style="filled", fillcolor="#F4CCCC", color="#CC0000"];
      "MAIL" -> "DNS";
    }
    """
    graph = _service_nodes(catalogue)
    lines = [f'digraph "{dot_text(catalogue.id)}" {{', "  rankdir=TB;"]
    for node, data in graph.nodes(data=True):
        kind = data["kind"]
        shape = {"service": "box", "ci": "box", "group": "hexagon"}[kind]
        styles = ["rounded"] if kind == "service" else []
        colour = ""
        if impact is not None:
            status = impact.status(node).value
            if status in _STATUS_STYLE:
                fill, stroke = _STATUS_STYLE[status]
                styles.append("filled")
                colour = f', fillcolor="{fill}", color="{stroke}"'
        style = f', style="{",".join(styles)}"' if styles else ""
        label = dot_text(_service_label(graph, node, data))
        lines.append(f'  "{dot_text(node)}" [label="{label}", shape={shape}{style}{colour}];')
    for u, v in graph.edges:
        lines.append(f'  "{dot_text(v)}" -> "{dot_text(u)}";')
    lines.append("}")
    return "\n".join(lines)


# --------------------------------------------------------------------------- process flows


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

    _check_direction(direction)
    graph = flow_graph(catalogue)
    node = {p.id: f"n{i}" for i, p in enumerate(catalogue.processes)}
    lines = [f"flowchart {direction}"]
    for k, (label, members) in enumerate(_areas(catalogue, set(graph.nodes)).items()):
        indent = "  "
        if label:
            lines.append(f'  subgraph a{k}["{mermaid_text(label)}"]')
            indent = "    "
        for i in members:
            p = catalogue.processes[i]
            lines.append(f'{indent}{node[p.id]}["{mermaid_text(f"{p.id} {p.name}")}"]')
        if label:
            lines.append("  end")
    for u, v, artefact in graph.edges(data="artefact"):
        lines.append(f'  {node[u]} -->|"{mermaid_text(artefact)}"| {node[v]}')
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
    lines = [f'digraph "{dot_text(catalogue.id)}" {{', "  rankdir=LR;", "  node [shape=box];"]
    for k, (label, members) in enumerate(_areas(catalogue, set(graph.nodes)).items()):
        indent = "  "
        if label:
            lines.append(f"  subgraph cluster_{k} {{")
            lines.append(f'    label="{dot_text(label)}";')
            indent = "    "
        for i in members:
            p = catalogue.processes[i]
            lines.append(
                f'{indent}"{dot_text(p.id)}" [label="{dot_text(p.id)}\\n{dot_text(p.name)}"];'
            )
        if label:
            lines.append("  }")
    for u, v, data in graph.edges(data=True):
        attrs = [f'label="{dot_text(data["artefact"])}"']
        if data["interface"]:
            attrs.append(f'tooltip="{dot_text(data["interface"])}"')
        lines.append(f'  "{dot_text(u)}" -> "{dot_text(v)}" [{", ".join(attrs)}];')
    lines.append("}")
    return "\n".join(lines)
