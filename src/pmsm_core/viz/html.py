"""HTML tables for notebooks: what ``_repr_html_`` of a project or a schedule shows.

Plain HTML built from the values (no optional package needed); long tables are cut after
:data:`MAX_ROWS` rows with a note saying how many were left out.
"""

from __future__ import annotations

from datetime import datetime
from html import escape
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:  # pragma: no cover
    from pmsm_core.model.project import Project
    from pmsm_core.scheduling.results import Schedule

__all__ = ["MAX_ROWS", "project_html", "schedule_html"]

#: Rows shown before the table is cut.
MAX_ROWS: Final = 60


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, bool):
        return "✓" if value else ""
    return escape(str(value))


def _table(title: str, headers: list[str], rows: list[list[Any]], total: int) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{_cell(v)}</td>" for v in row) + "</tr>" for row in rows)
    more = (
        f"<p><em>… {total - len(rows)} more rows; use to_dataframe() for all</em></p>"
        if total > len(rows)
        else ""
    )
    return (
        f"<div><p><strong>{escape(title)}</strong></p>"
        f'<table class="pmsm"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
        f"{more}</div>"
    )


def project_html(project: Project) -> str:
    """An HTML summary of a project: header line and its activities in WBS order.

    Examples
    --------
    >>> from pmsm_core import Activity, Duration, Project
    >>> html = project_html(
    ...     Project("P", "Demo", activities=[Activity("A", "Plan <v1>", Duration(3))])
    ... )
    >>> (
    ...     "<strong>Demo (P): undated, 1 activities, 0 links</strong>" in html,
    ...     "Plan &lt;v1&gt;" in html,
    ... )
    (True, True)
    """
    when = f"starts {_cell(project.start)}" if project.start is not None else "undated"
    title = (
        f"{project.name or project.id} ({project.id}): {when}, "
        f"{len(project.activities)} activities, {len(project.dependencies)} links"
    )
    preds: dict[str, list[str]] = {}
    for dep in project.dependencies:
        preds.setdefault(dep.successor, []).append(
            dep.predecessor if dep.type.value == "FS" else f"{dep.predecessor} {dep.type.value}"
        )
    rows: list[list[Any]] = []
    for level, a in project.walk():
        if len(rows) == MAX_ROWS:
            break
        summary = project.is_summary(a.id)
        duration = (
            ""
            if summary
            else (a.duration.format(project.factors) if project.is_dated else a.duration.minutes)
        )
        rows.append(
            [
                "\u2003" * level + a.id,
                a.name,
                duration,
                "summary" if summary else ("milestone" if a.is_milestone else ""),
                ", ".join(preds.get(a.id, ())),
                ", ".join(x.resource for x in a.assignments),
            ]
        )
    headers = ["id", "name", "duration", "kind", "predecessors", "resources"]
    return _table(title, headers, rows, len(project.activities))


def schedule_html(schedule: Schedule) -> str:
    """An HTML summary of a schedule: span, critical path, and dates and floats per activity.

    Examples
    --------
    >>> from pmsm_core import Activity, Dependency, Duration, Project, schedule
    >>> p = Project(
    ...     "P",
    ...     activities=[Activity("A", duration=Duration(3)), Activity("B", duration=Duration(2))],
    ...     dependencies=[Dependency("A", "B")],
    ... )
    >>> "critical path A → B" in schedule_html(schedule(p))
    True
    """
    path = " → ".join(schedule.critical_paths[0]) if schedule.critical_paths else "none"
    title = (
        f"Schedule of {schedule.project_id}: {_cell(schedule.start)} → {_cell(schedule.finish)}; "
        f"critical path {path}"
    )
    if schedule.warnings:
        title += f"; {len(schedule.warnings)} warnings"
    rows = [
        [
            a.id,
            a.name,
            a.start,
            a.finish,
            a.total_float,
            a.free_float,
            a.critical,
        ]
        for a in schedule.activities[:MAX_ROWS]
    ]
    headers = ["id", "name", "start", "finish", "total float", "free float", "critical"]
    return _table(title, headers, rows, len(schedule.activities))
