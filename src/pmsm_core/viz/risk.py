"""Charts of schedule risk analysis results (the ``plot`` extra).

* :func:`risk_histogram`: how the simulated project finishes are spread, with the CPM
  finish, P50, P80 and the target finish marked.
* :func:`risk_s_curve`: the cumulative chance of finishing by each date (the S-curve),
  with the same marks.
* :func:`risk_tornado`: the activities whose durations drive the finish most (Spearman
  rank correlation), strongest on top.

All three read a :class:`~pmsm_core.RiskResult`; dated results are drawn on a date axis.
The distribution comes from the result's stored quantiles (every 0.1 %), so a chart of a
million iterations costs the same as one of a thousand.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from pmsm_core.viz import _mpl

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from pmsm_core.scheduling.risk import RiskResult

__all__ = ["risk_histogram", "risk_s_curve", "risk_tornado"]

_TARGET = "#009E73"
_MARK = "#555555"


def _times(result: RiskResult, offsets: Any) -> list[Any]:
    from pmsm_core.scheduling.risk import _to_times

    return _to_times(
        result.calendar,
        result.start,
        offsets,
        early_finish=result._early_finish,  # the same reading as result.time()
    )


def _x(values: list[Any]) -> Any:
    """Matplotlib x coordinates: date numbers for datetimes, floats otherwise."""
    import numpy as np

    if values and isinstance(values[0], datetime):
        import matplotlib.dates as mdates

        return np.asarray(mdates.date2num(values))  # type: ignore[no-untyped-call]
    return np.asarray(values, dtype=float)


def _marks(ax: Any, result: RiskResult, *, label_y: float) -> None:
    """Vertical lines: the CPM finish, P50, P80 and the target finish."""
    marks: list[tuple[str, Any, str, str]] = [
        ("CPM", result.cpm_finish, _mpl.NORMAL, "-"),
        ("P50", result.percentile(50), _MARK, ":"),
        ("P80", result.percentile(80), _mpl.CRITICAL, "--"),
    ]
    marks.extend(
        (f"target ({100 * target.probability:.0f} %)", target.date, _TARGET, "-.")
        for target in result.targets
        if target.activity is None and target.name == "target finish"
    )
    for label, when, colour, style in marks:
        x = float(_x([when])[0])
        ax.axvline(x, color=colour, linestyle=style, linewidth=1.3)
        ax.annotate(
            label,
            (x, label_y),
            xycoords=("data", "axes fraction"),
            rotation=90,
            ha="right",
            va="top",
            fontsize=8,
            color=colour,
            xytext=(-2, 0),
            textcoords="offset points",
        )


def _finish(ax: Any, result: RiskResult, title: str | None, default: str) -> None:
    if result.is_dated:
        _mpl.date_axis(ax)
        ax.set_xlabel("finish")
    else:
        ax.set_xlabel("finish (time units)")
    ax.grid(axis="y", color=_mpl.GRID, linewidth=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_title(
        title if title is not None else f"{default}: {result.project_id}",
        loc="left",
        fontsize=10,
    )


def risk_histogram(
    result: RiskResult,
    *,
    ax: Axes | None = None,
    bins: int = 40,
    title: str | None = None,
) -> Axes:
    """Draw the distribution of the project finish as a histogram.

    Parameters
    ----------
    result
        A :class:`~pmsm_core.RiskResult`.
    ax
        Axes to draw on; new ones when None.
    bins
        Number of bars.
    title
        Title of the chart (``"Finish distribution: <project>"`` by default).

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on; bar heights are the percentage of iterations.

    Raises
    ------
    MissingExtraError
        If matplotlib is not installed.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from pmsm_core import Activity, Duration, Project, UniformEstimate, simulate
    >>> p = Project(
    ...     "P", activities=[Activity("A", estimate=UniformEstimate(Duration(2), Duration(6)))]
    ... )
    >>> ax = risk_histogram(simulate(p, 2000, seed=1), bins=8)
    >>> len(ax.patches), round(sum(bar.get_height() for bar in ax.patches))
    (8, 100)
    """
    import numpy as np

    fig, ax = _mpl.axes(ax, (9, 4))
    del fig
    q = np.asarray(result.finish_quantiles)
    mids = (q[1:] + q[:-1]) / 2  # each holds 0.1 % of the iterations
    x = _x(_times(result, mids))
    counts, edges = np.histogram(x, bins=max(1, bins))
    share = 100 * counts / max(1, mids.shape[0])
    ax.bar(
        edges[:-1],
        share,
        width=np.diff(edges),
        align="edge",
        color=_mpl.FLOAT,
        edgecolor=_mpl.NORMAL,
        linewidth=0.6,
    )
    ax.set_ylabel("% of iterations")
    _marks(ax, result, label_y=0.98)
    _finish(ax, result, title, "Finish distribution")
    axes: Axes = ax
    return axes


def risk_s_curve(
    result: RiskResult,
    *,
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    """Draw the cumulative chance of finishing by each date (the S-curve).

    Parameters
    ----------
    result
        A :class:`~pmsm_core.RiskResult`.
    ax
        Axes to draw on; new ones when None.
    title
        Title of the chart (``"Chance of finishing by: <project>"`` by default).

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on; the y axis is the chance in percent.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from pmsm_core import Activity, Duration, Project, UniformEstimate, simulate
    >>> p = Project(
    ...     "P", activities=[Activity("A", estimate=UniformEstimate(Duration(2), Duration(6)))]
    ... )
    >>> ax = risk_s_curve(simulate(p, 2000, seed=1))
    >>> line = ax.get_lines()[0]
    >>> float(line.get_ydata()[0]), float(line.get_ydata()[-1])
    (0.0, 100.0)
    """
    import numpy as np

    fig, ax = _mpl.axes(ax, (9, 4))
    del fig
    q = np.asarray(result.finish_quantiles)
    x = _x(_times(result, q))
    y = np.linspace(0, 100, q.shape[0])
    ax.plot(x, y, color=_mpl.NORMAL, linewidth=2)
    ax.set_ylim(0, 100)
    ax.set_yticks([0, 20, 40, 50, 60, 80, 100])
    ax.set_ylabel("chance of finishing by (%)")
    _marks(ax, result, label_y=0.3)
    _finish(ax, result, title, "Chance of finishing by")
    ax.grid(axis="x", color=_mpl.GRID, linewidth=0.8)
    axes: Axes = ax
    return axes


def risk_tornado(
    result: RiskResult,
    *,
    top: int = 10,
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    """Draw the tornado chart: duration sensitivity of the ``top`` activities.

    Bars are the Spearman rank correlation of each activity's duration with the project
    finish, strongest on top; the criticality index is written beside each bar.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from pmsm_core import Activity, Duration, Project, UniformEstimate, simulate
    >>> p = Project(
    ...     "P",
    ...     activities=[
    ...         Activity("A", estimate=UniformEstimate(Duration(2), Duration(6))),
    ...         Activity("B", estimate=UniformEstimate(Duration(3), Duration(4))),
    ...     ],
    ... )
    >>> ax = risk_tornado(simulate(p, 2000, seed=1))
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['B', 'A']
    """
    fig, ax = _mpl.axes(ax, (8, 1.2 + 0.35 * max(1, min(top, len(result.activities)))))
    del fig
    ranked = list(result.tornado(top))
    ranked.reverse()  # barh draws bottom-up: strongest on top
    names = {a.id: a for a in result.activities}
    labels = [_mpl.shorten(f"{names[i].name} ({i})" if names[i].name else i, 40) for i, _ in ranked]
    values = [rho for _, rho in ranked]
    colours = [_mpl.CRITICAL if v >= 0 else _mpl.NORMAL for v in values]
    positions = list(range(len(ranked)))
    ax.barh(positions, values, color=colours, height=0.6)
    ax.set_yticks(positions, labels=labels)
    ax.axvline(0, color="#333333", linewidth=0.8)
    ax.set_xlim(min(-0.05, *values, 0) * 1.15 if values else -1, 1.1)
    for y, (aid, rho) in zip(positions, ranked, strict=True):
        ax.annotate(
            f"{rho:+.2f}  crit {100 * names[aid].criticality:.0f} %",
            (max(rho, 0), y),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )
    ax.set_xlabel("rank correlation of duration with project finish")
    ax.grid(axis="x", color=_mpl.GRID, linewidth=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_title(
        title if title is not None else f"What drives the finish: {result.project_id}",
        loc="left",
        fontsize=10,
    )
    axes: Axes = ax
    return axes
