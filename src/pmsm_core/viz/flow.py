"""Process-flow diagram of a catalogue (the ``plot`` extra).

Processes are boxes in one column per stage or group (in catalogue order), or in columns by
depth when the catalogue has no areas; every hand-off between two processes is an arrow
(several artefacts between the same pair make a thicker one). Box colour deepens with the
process's betweenness centrality, so bottlenecks stand out; processes on the flow's
critical path (after loops are condensed) have an orange-red border.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pmsm_core.viz import _mpl

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from pmsm_core.model.process import Catalogue

__all__ = ["flow_diagram"]

_BOX_W, _BOX_H, _GAP_X, _GAP_Y = 2.3, 0.5, 1.1, 0.22


def flow_diagram(
    catalogue: Catalogue,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    label_width: int = 26,
) -> Axes:
    """Draw the process flow: processes by area, hand-offs as arrows, bottlenecks shaded.

    Parameters
    ----------
    catalogue
        A :class:`~pmsm_core.Catalogue` (see :func:`~pmsm_core.processes.flow.flow_graph`
        for how hand-offs are found).
    ax
        Axes to draw on; new ones sized to the catalogue when None.
    title
        Title (the catalogue's name or id by default).
    label_width
        Longest process label before it is cut.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from pmsm_core import Catalogue, Process
    >>> cat = Catalogue(
    ...     "c",
    ...     processes=[
    ...         Process("A", "Plan", outputs=["plan"]),
    ...         Process("B", "Build", inputs=["plan"], outputs=["product"]),
    ...         Process("C", "Check", inputs=["product"]),
    ...     ],
    ... )
    >>> ax = flow_diagram(cat)
    >>> len(ax.patches)  # three boxes, two arrows
    5
    """
    import matplotlib as mpl
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    from pmsm_core.processes.flow import analyse_flow, flow_graph
    from pmsm_core.viz.network import layered_layout

    graph = flow_graph(catalogue)
    analysis = analyse_flow(catalogue)
    central = {b.process: b.betweenness for b in analysis.bottlenecks}
    # the critical path after condensing loops: single processes and the hand-offs between
    # consecutive steps (a whole loop taken as one step is not highlighted)
    steps = [step[0] for step in analysis.critical_path if len(step) == 1]
    critical = set(steps)
    path_pairs = {
        (a[0], b[0])
        for a, b in zip(analysis.critical_path, analysis.critical_path[1:], strict=False)
        if len(a) == 1 and len(b) == 1
    }
    processes = [p for p in catalogue.processes if p.id in graph]
    areas: dict[str, list[str]] = {}
    for p in processes:
        areas.setdefault(p.area_label, []).append(p.id)
    pairs: dict[tuple[str, str], int] = {}
    for u, v in graph.edges():
        if u != v:
            pairs[(u, v)] = pairs.get((u, v), 0) + 1
    if len(areas) > 1:
        place = {
            pid: (c, r) for c, members in enumerate(areas.values()) for r, pid in enumerate(members)
        }
        headers = list(areas)
    else:
        place = layered_layout([p.id for p in processes], list(pairs))
        headers = []
    columns = 1 + max((c for c, _ in place.values()), default=0)
    rows = 1 + max((r for _, r in place.values()), default=0)
    width = columns * (_BOX_W + _GAP_X) + 0.4
    height = rows * (_BOX_H + _GAP_Y) + 1.2
    fig, plot = _mpl.axes(ax, (min(width, 60), min(height, 60)))
    centre = {
        pid: (0.2 + c * (_BOX_W + _GAP_X) + _BOX_W / 2, -0.5 - r * (_BOX_H + _GAP_Y) - _BOX_H / 2)
        for pid, (c, r) in place.items()
    }
    top = max(central.values(), default=0.0) or 1.0
    cmap = mpl.colormaps["Blues"]
    names = {p.id: p.name for p in processes}
    for pid, (x, y) in centre.items():
        share = central.get(pid, 0.0) / top
        face = cmap(0.08 + 0.6 * share)
        plot.add_patch(
            FancyBboxPatch(
                (x - _BOX_W / 2, y - _BOX_H / 2),
                _BOX_W,
                _BOX_H,
                boxstyle="round,pad=0.02,rounding_size=0.08",
                facecolor=face,
                edgecolor=_mpl.CRITICAL if pid in critical else "#4D4D4D",
                linewidth=1.8 if pid in critical else 0.8,
                zorder=3,
            )
        )
        plot.text(
            x,
            y,
            _mpl.shorten(f"{pid} {names[pid]}", label_width),
            ha="center",
            va="center",
            fontsize=7,
            color="white" if share > 0.6 else "black",
            zorder=4,
        )
    for c, label in enumerate(headers):
        plot.text(
            0.2 + c * (_BOX_W + _GAP_X) + _BOX_W / 2,
            -0.2,
            label,
            ha="center",
            va="center",
            fontsize=9,
            fontweight="bold",
        )
    for (u, v), count in pairs.items():
        (x0, y0), (x1, y1) = centre[u], centre[v]
        same_column = abs(x0 - x1) < 1e-9
        if same_column:
            start, end = (x0 + _BOX_W / 2, y0), (x1 + _BOX_W / 2, y1)
            style = f"arc3,rad={-0.5 if y1 < y0 else 0.5}"
        else:
            forward = x1 > x0
            start = (x0 + (_BOX_W / 2 if forward else -_BOX_W / 2), y0)
            end = (x1 - (_BOX_W / 2 if forward else -_BOX_W / 2), y1)
            style = "arc3,rad=0.08" if forward else "arc3,rad=0.25"
        on_path = (u, v) in path_pairs
        plot.add_patch(
            FancyArrowPatch(
                start,
                end,
                arrowstyle="-|>",
                mutation_scale=8,
                color=_mpl.CRITICAL if on_path else "#555555",
                alpha=0.9 if on_path else 0.35,
                linewidth=min(0.6 + 0.5 * (count - 1), 3.0),
                connectionstyle=style,
                zorder=2,
            )
        )
    plot.set_xlim(0, width)
    plot.set_ylim(-(height - 0.4), 0.2)
    plot.set_axis_off()
    plot.set_title(title if title is not None else (catalogue.name or catalogue.id), loc="left")
    plot.text(
        width - 0.2,
        0.1,
        "darker = more central (betweenness)  ·  orange border = critical path",
        ha="right",
        va="center",
        fontsize=7,
        color="#555555",
    )
    del fig
    drawn: Axes = plot
    return drawn
