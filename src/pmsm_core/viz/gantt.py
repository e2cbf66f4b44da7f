"""Gantt chart of a schedule (the ``plot`` extra).

Bars run from each activity's start to its finish, critical ones in orange-red; a light bar
after a non-critical activity shows its total float (up to its late finish); milestones are
diamonds, summaries black brackets; an optional line marks the status date and arrows show
the links.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from pmsm_core.viz import _mpl

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from pmsm_core.model.project import Project
    from pmsm_core.scheduling.results import Schedule

__all__ = ["gantt"]


def _levels(schedule: Schedule) -> dict[str, int]:
    parent = {a.id: a.parent for a in schedule.activities}
    levels: dict[str, int] = {}
    for a in schedule.activities:
        level, current, seen = 0, a.parent, set()
        while current is not None and current in parent and current not in seen:
            seen.add(current)
            level += 1
            current = parent[current]
        levels[a.id] = level
    return levels


def _order(schedule: Schedule) -> list[Any]:
    """Activities in WBS order: each summary followed by its children."""
    kids: dict[str | None, list[Any]] = {}
    for a in schedule.activities:
        kids.setdefault(a.parent if a.parent in schedule else None, []).append(a)
    out: list[Any] = []
    stack = list(reversed(kids.get(None, [])))
    while stack:
        a = stack.pop()
        out.append(a)
        stack.extend(reversed(kids.get(a.id, [])))
    return out


def gantt(
    source: Schedule | Project,
    *,
    ax: Axes | None = None,
    status_date: datetime | int | None = None,
    links: bool = False,
    floats: bool = True,
    title: str | None = None,
    label_width: int = 40,
) -> Axes:
    """Draw a Gantt chart with the critical path, float, milestones and summaries.

    Parameters
    ----------
    source
        A :class:`~pmsm_core.scheduling.Schedule`, or a :class:`~pmsm_core.Project` (scheduled
        with the default options; its ``status_date`` is drawn).
    ax
        Axes to draw on; new ones (a figure sized to the number of rows) when None.
    status_date
        Where to draw the status-date line (the project's status date when a project is
        given and this is None).
    links
        Draw an arrow for every link (best for small projects).
    floats
        Draw the total-float bars.
    title
        Title of the chart (the project id by default).
    label_width
        Longest label before it is cut.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Raises
    ------
    MissingExtraError
        If matplotlib is not installed.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from pmsm_core import Activity, Dependency, Duration, Project
    >>> p = Project(
    ...     "P",
    ...     start=datetime(2026, 1, 5, 8),
    ...     activities=[
    ...         Activity("A", "Design", Duration.from_days(2)),
    ...         Activity("B", "Build", Duration.from_days(3)),
    ...         Activity("C", "Docs", Duration.from_days(1)),
    ...         Activity("M", "Release", milestone=True),
    ...     ],
    ...     dependencies=[Dependency("A", "B"), Dependency("A", "C"), Dependency("B", "M")],
    ... )
    >>> ax = gantt(p, links=True)
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['Design (A)', 'Build (B)', 'Docs (C)', 'Release (M)']
    """
    from pmsm_core.model.project import Project

    if isinstance(source, Project):
        from pmsm_core.scheduling.schedule import schedule as run

        if status_date is None:
            status_date = source.status_date
        if title is None:
            title = source.name or source.id
        result = run(source)
    else:
        result = source
    rows = _order(result)
    levels = _levels(result)
    height = max(2.5, 0.32 * len(rows) + 1.4)
    fig, plot = _mpl.axes(ax, (11, height))
    dated = result.is_dated
    span = _span(result)

    def width(a: Any, b: Any) -> Any:
        return b - a

    y_of: dict[str, int] = {}
    labels = []
    bar_h = 0.56
    for y, a in enumerate(rows):
        y_of[a.id] = y
        indent = "   " * levels[a.id]
        labels.append(indent + _mpl.shorten(f"{a.name} ({a.id})" if a.name else a.id, label_width))
        if a.summary:
            _bracket(plot, y, a.start, a.finish, span)
        elif a.milestone:
            plot.scatter(
                [a.start],
                [y],
                marker="D",
                s=70,
                color=_mpl.CRITICAL if a.critical else _mpl.MILESTONE,
                zorder=4,
            )
        else:
            colour = _mpl.CRITICAL if a.critical else _mpl.NORMAL
            plot.barh(
                y, width(a.start, a.finish), left=a.start, height=bar_h, color=colour, zorder=3
            )
            if floats and a.total_float > 0 and a.late_finish > a.finish:
                plot.barh(
                    y,
                    width(a.finish, a.late_finish),
                    left=a.finish,
                    height=bar_h * 0.45,
                    color=_mpl.FLOAT,
                    zorder=2,
                )
    if links:
        _links(plot, result, y_of)
    if status_date is not None:
        plot.axvline(status_date, color=_mpl.STATUS, linestyle="--", linewidth=1.4, zorder=5)
    plot.set_yticks(range(len(rows)), labels)
    plot.set_ylim(len(rows) - 0.4, -0.6)
    plot.grid(axis="x", color=_mpl.GRID, linewidth=0.8, zorder=0)
    plot.set_axisbelow(True)
    for side in ("top", "right"):
        plot.spines[side].set_visible(False)
    if dated:
        _date_axis(plot, result)
    else:
        plot.set_xlabel("time units")
    plot.set_title(title if title is not None else result.project_id, loc="left", pad=20)
    _legend(plot, status_date is not None, floats)
    del fig
    drawn: Axes = plot
    return drawn


def _span(result: Schedule) -> Any:
    """A small length on the time axis (1 % of the schedule) for bracket ends."""
    start, finish = result.start, result.finish
    total = finish - start  # type: ignore[operator]
    if isinstance(total, timedelta):
        return max(total / 70, timedelta(hours=4))
    return max(total / 70, 0.1)


def _bracket(ax: Any, y: int, start: Any, finish: Any, tip: Any) -> None:
    ax.barh(y, finish - start, left=start, height=0.16, color=_mpl.SUMMARY, zorder=3)
    for x, direction in ((start, 1), (finish, -1)):
        ax.fill(
            [x, x + direction * tip, x],
            [y - 0.08, y - 0.08, y + 0.3],
            color=_mpl.SUMMARY,
            zorder=3,
            linewidth=0,
        )


def _links(ax: Any, result: Schedule, y_of: dict[str, int]) -> None:
    for link in result.links:
        p, s = result[link.predecessor], result[link.successor]
        x0 = p.finish if link.type in ("FS", "FF") else p.start
        x1 = s.start if link.type in ("FS", "SS") else s.finish
        critical = link.driving and p.critical and s.critical
        ax.annotate(
            "",
            xy=(x1, y_of[s.id]),
            xytext=(x0, y_of[p.id]),
            arrowprops={
                "arrowstyle": "-|>",
                "color": _mpl.CRITICAL if critical else "#777777",
                "linewidth": 1.1 if critical else 0.7,
                "shrinkA": 0,
                "shrinkB": 3,
                "connectionstyle": "angle,angleA=0,angleB=90,rad=0",
            },
            zorder=1,
        )


def _date_axis(ax: Any, result: Schedule) -> None:
    _mpl.date_axis(ax)
    pad = (result.finish - result.start) / 30  # type: ignore[operator]
    ax.set_xlim(result.start - pad, result.finish + pad)  # type: ignore[operator]


def _legend(ax: Any, status: bool, floats: bool) -> None:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles = [
        Patch(color=_mpl.CRITICAL, label="critical"),
        Patch(color=_mpl.NORMAL, label="not critical"),
        Line2D([], [], marker="D", color=_mpl.MILESTONE, linestyle="", label="milestone"),
        Patch(color=_mpl.SUMMARY, label="summary"),
    ]
    if floats:
        handles.insert(2, Patch(color=_mpl.FLOAT, label="total float"))
    if status:
        handles.append(Line2D([], [], color=_mpl.STATUS, linestyle="--", label="status date"))
    ax.legend(
        handles=handles,
        loc="lower right",
        bbox_to_anchor=(1.0, 1.0),
        ncol=len(handles),
        frameon=False,
        fontsize="small",
        borderaxespad=0.2,
    )
