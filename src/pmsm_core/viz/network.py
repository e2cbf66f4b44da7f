"""Activity-on-node network diagram of a schedule (the ``plot`` extra).

Each activity is a box in the textbook layout::

    early start | duration    | early finish
    id: name
    late start  | total float | late finish

Boxes stand in columns by their depth in the network (the longest chain of links before
them) and are ordered within a column to keep links short; critical activities and the
driving links between them are drawn in orange-red. Summaries are left out: links to and
from them act on their leaves, as in the schedule.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from pmsm_core.viz import _mpl

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from pmsm_core.model.project import Project
    from pmsm_core.scheduling.results import Schedule

__all__ = ["layered_layout", "network_diagram"]

_BOX_W, _BOX_H, _GAP_X, _GAP_Y = 2.1, 0.86, 0.75, 0.32


def layered_layout(
    nodes: list[str], edges: list[tuple[str, str]], *, sweeps: int = 4
) -> dict[str, tuple[int, int]]:
    """Column and row of every node of a directed graph, for left-to-right drawings.

    The column is the node's depth (the longest chain of edges into it; in a graph with
    cycles, the depth within the graph with the cycles' back edges ignored); rows within a
    column are ordered by the mean row of the neighbours (barycentre sweeps), which keeps
    edges short and crossings few.

    Examples
    --------
    >>> layered_layout(["A", "B", "C", "D"], [("A", "B"), ("A", "C"), ("B", "D"), ("C", "D")])
    {'A': (0, 0), 'B': (1, 0), 'C': (1, 1), 'D': (2, 0)}
    """
    import networkx as nx

    graph = nx.DiGraph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from(edges)
    dag = graph.copy()
    if not nx.is_directed_acyclic_graph(dag):
        # drop edges that close a cycle, preferring those pointing back in the given order
        position = {n: i for i, n in enumerate(nodes)}
        for u, v in list(dag.edges()):
            if dag.has_edge(u, v) and position[v] <= position[u] and _on_cycle(dag, u, v):
                dag.remove_edge(u, v)
        while not nx.is_directed_acyclic_graph(dag):
            cycle = nx.find_cycle(dag)
            dag.remove_edge(*cycle[-1][:2])
    depth: dict[str, int] = {}
    for node in nx.topological_sort(dag):
        preds = list(dag.predecessors(node))
        depth[node] = 1 + max(depth[p] for p in preds) if preds else 0
    columns: dict[int, list[str]] = {}
    for node in nodes:
        columns.setdefault(depth[node], []).append(node)
    row = {n: i for col in columns.values() for i, n in enumerate(col)}
    order = sorted(columns)
    for sweep in range(sweeps):
        forward = sweep % 2 == 0
        for c in order if forward else reversed(order):
            members = columns[c]

            def centre(n: str, forward: bool = forward) -> float:
                near = list(graph.predecessors(n) if forward else graph.successors(n))
                near = [m for m in near if m in row and depth[m] != depth[n]]
                return sum(row[m] for m in near) / len(near) if near else row[n]

            members.sort(key=lambda n: (centre(n), row[n]))
            row.update({n: i for i, n in enumerate(members)})
    return {n: (depth[n], row[n]) for n in nodes}


def _on_cycle(graph: Any, u: str, v: str) -> bool:
    import networkx as nx

    return bool(nx.has_path(graph, v, u))


def _when(value: Any) -> str:
    if isinstance(value, datetime):
        plain = value.minute == 0 and value.hour in (8, 17)
        return value.strftime("%d %b") if plain else value.strftime("%d %b %H:%M")
    return str(value)


def network_diagram(
    source: Schedule | Project,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    minutes_per_day: int = 480,
) -> Axes:
    """Draw the activity-on-node diagram: dates, duration and float in every box.

    Parameters
    ----------
    source
        A :class:`~pmsm_core.scheduling.Schedule`, or a :class:`~pmsm_core.Project`
        (scheduled with the default options).
    ax
        Axes to draw on; new ones sized to the network when None.
    title
        Title (the project id by default).
    minutes_per_day
        For dated schedules, durations and floats are shown in days of this many minutes
        (a project passed in brings its own).

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from pmsm_core import Activity, Dependency, Duration, Project
    >>> p = Project(
    ...     "P",
    ...     activities=[Activity(x, duration=Duration(d)) for x, d in zip("ABCD", (3, 2, 4, 1))],
    ...     dependencies=[
    ...         Dependency("A", "B"),
    ...         Dependency("A", "C"),
    ...         Dependency("B", "D"),
    ...         Dependency("C", "D"),
    ...     ],
    ... )
    >>> ax = network_diagram(p)
    >>> len(ax.patches)  # four boxes and four arrows
    8
    """
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    from pmsm_core.model.project import Project

    if isinstance(source, Project):
        from pmsm_core.scheduling.schedule import schedule as run

        minutes_per_day = source.minutes_per_day
        if title is None:
            title = source.name or source.id
        result = run(source)
    else:
        result = source
    leaves = [a for a in result.activities if not a.summary]
    ids = [a.id for a in leaves]
    edges = [(x.predecessor, x.successor) for x in result.links]
    place = layered_layout(ids, edges)
    columns = 1 + max((c for c, _ in place.values()), default=0)
    rows = 1 + max((r for _, r in place.values()), default=0)
    width = columns * (_BOX_W + _GAP_X) + 0.4
    height = rows * (_BOX_H + _GAP_Y) + 0.9
    fig, plot = _mpl.axes(ax, (min(width, 60), min(height, 60)))
    centre: dict[str, tuple[float, float]] = {}
    for aid, (c, r) in place.items():
        centre[aid] = (
            0.2 + c * (_BOX_W + _GAP_X) + _BOX_W / 2,
            -(r * (_BOX_H + _GAP_Y)) - _BOX_H / 2,
        )
    dated = result.is_dated

    def amount(minutes: int) -> str:
        if not dated:
            return str(minutes)
        days = minutes / minutes_per_day
        return f"{days:g}d" if days == round(days, 2) else f"{minutes / 60:g}h"

    for a in leaves:
        x, y = centre[a.id]
        colour = _mpl.CRITICAL if a.critical else _mpl.NORMAL
        plot.add_patch(
            FancyBboxPatch(
                (x - _BOX_W / 2, y - _BOX_H / 2),
                _BOX_W,
                _BOX_H,
                boxstyle="round,pad=0.02,rounding_size=0.06",
                facecolor="#FFF4EC" if a.critical else "white",
                edgecolor=colour,
                linewidth=1.6 if a.critical else 1.0,
                zorder=3,
            )
        )
        third = _BOX_H / 3
        for k in (1, 2):
            plot.plot(
                [x - _BOX_W / 2, x + _BOX_W / 2],
                [y + _BOX_H / 2 - k * third] * 2,
                color=colour,
                linewidth=0.5,
                zorder=4,
            )
        top, bottom = y + third, y - third
        small: dict[str, Any] = {"fontsize": 6.5, "va": "center", "zorder": 5}
        plot.text(x - _BOX_W / 2 + 0.06, top, _when(a.early_start), ha="left", **small)
        plot.text(x, top, amount(a.duration), ha="center", **small)
        plot.text(x + _BOX_W / 2 - 0.06, top, _when(a.early_finish), ha="right", **small)
        plot.text(x - _BOX_W / 2 + 0.06, bottom, _when(a.late_start), ha="left", **small)
        plot.text(x, bottom, f"TF {amount(a.total_float)}", ha="center", **small)
        plot.text(x + _BOX_W / 2 - 0.06, bottom, _when(a.late_finish), ha="right", **small)
        label = a.id if not a.name else f"{a.id}: {_mpl.shorten(a.name, 24)}"
        plot.text(
            x,
            y,
            label,
            ha="center",
            va="center",
            fontsize=7.5,
            fontweight="bold" if a.critical else "normal",
            zorder=5,
        )
    by_id = {a.id: a for a in leaves}
    for link in result.links:
        (x0, y0), (x1, y1) = centre[link.predecessor], centre[link.successor]
        critical = (
            link.driving and by_id[link.predecessor].critical and by_id[link.successor].critical
        )
        rad = 0.0 if abs(y1 - y0) < 1e-9 else 0.12 * (1 if y1 < y0 else -1)
        plot.add_patch(
            FancyArrowPatch(
                (x0 + _BOX_W / 2, y0),
                (x1 - _BOX_W / 2, y1),
                arrowstyle="-|>",
                mutation_scale=9,
                color=_mpl.CRITICAL if critical else "#666666",
                linewidth=1.4 if critical else 0.8,
                connectionstyle=f"arc3,rad={rad}",
                zorder=2,
            )
        )
        if link.type != "FS":
            plot.text(
                (x0 + x1) / 2,
                (y0 + y1) / 2,
                link.type,
                fontsize=6,
                ha="center",
                va="center",
                color="#444444",
                bbox={"boxstyle": "round,pad=0.1", "facecolor": "white", "edgecolor": "none"},
                zorder=3,
            )
    plot.set_xlim(0, width)
    plot.set_ylim(-(height - 0.6), 0.3)
    plot.set_axis_off()
    plot.set_title(title if title is not None else result.project_id, loc="left")
    plot.text(
        width - 0.2,
        0.22,
        "ES | duration | EF   ·   LS | total float | LF   ·   critical in orange",
        ha="right",
        va="center",
        fontsize=6.5,
        color="#555555",
    )
    del fig
    drawn: Axes = plot
    return drawn
