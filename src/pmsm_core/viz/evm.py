"""The earned-value S-curve: cumulative PV, EV and AC over time (the ``plot`` extra)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from pmsm_core.viz import _mpl

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from pmsm_core.model.project import Project
    from pmsm_core.scheduling.earned_value import EarnedValue

__all__ = ["s_curve"]

#: Okabe-Ito colours: planned value blue, earned value green, actual cost vermillion.
PV_COLOUR = "#0072B2"
EV_COLOUR = "#009E73"
AC_COLOUR = "#D55E00"


def s_curve(
    source: EarnedValue | Project,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    **earned_value_options: Any,
) -> Axes:
    """Draw the S-curve: cumulative planned value, earned value and actual cost.

    PV runs over the whole baseline; EV and AC stop at the status date (a vertical line).
    A dashed line marks the budget at completion and, when the estimate at completion is
    defined, a dotted one the EAC.

    Parameters
    ----------
    source
        An :class:`~pmsm_core.EarnedValue`, or a :class:`~pmsm_core.Project` measured with
        :func:`~pmsm_core.earned_value` (``earned_value_options`` are passed on).
    ax
        Axes to draw on; new ones when None.
    title
        Title of the chart (the project id and status date by default).

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
    >>> from pmsm_core.examples import load_example
    >>> ax = s_curve(load_example("intranet-status"))
    >>> [line.get_label() for line in ax.get_lines()][:3]
    ['PV (planned value)', 'EV (earned value)', 'AC (actual cost)']
    """
    from pmsm_core.model.project import Project

    if isinstance(source, Project):
        from pmsm_core.scheduling.earned_value import earned_value

        source = earned_value(source, **earned_value_options)
    _, plot = _mpl.axes(ax, (9.5, 4.5))
    times = [p.time for p in source.series]
    measured = [p for p in source.series if p.ev is not None]
    plot.plot(
        times, [p.pv for p in source.series], color=PV_COLOUR, lw=2, label="PV (planned value)"
    )
    plot.plot(
        [p.time for p in measured],
        [p.ev for p in measured],
        color=EV_COLOUR,
        lw=2,
        marker="o",
        ms=3,
        label="EV (earned value)",
    )
    plot.plot(
        [p.time for p in measured],
        [p.ac for p in measured],
        color=AC_COLOUR,
        lw=2,
        marker="s",
        ms=3,
        label="AC (actual cost)",
    )
    plot.axvline(source.status_date, color=_mpl.STATUS, linestyle="--", lw=1.2, label="status date")
    plot.axhline(source.bac, color="#555555", linestyle="--", lw=1, label=f"BAC {source.bac:,.0f}")
    if source.eac is not None:
        plot.axhline(
            source.eac,
            color=AC_COLOUR,
            linestyle=":",
            lw=1.2,
            label=f"EAC ({source.eac_method}) {source.eac:,.0f}",
        )
    plot.set_ylabel("cumulative cost")
    plot.grid(True, color=_mpl.GRID, lw=0.6)
    plot.set_axisbelow(True)
    if times and isinstance(times[0], datetime):
        _mpl.date_axis(plot)
    else:
        plot.set_xlabel("time units")
    when = source.status_date
    shown = when.strftime("%Y-%m-%d %H:%M") if isinstance(when, datetime) else str(when)
    plot.set_title(title if title is not None else f"{source.project_id}: S-curve at {shown}")
    # outside the plot area, so the BAC and EAC lines never run through it
    plot.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small", frameon=False)
    axes: Axes = plot
    return axes
