"""Resource usage over time and its histogram (the chart needs the ``plot`` extra).

The load of a resource in a period is its *peak units* there, as in Microsoft Project's
resource graph: the most units its assignments ask for at any one instant of the period.
For dated projects the periods are calendar days, and an activity is at work on a day when
it has working time on its own calendar that day between its scheduled start and finish;
two activities that use a resource one after the other on the same day load it once, not
twice. For undated projects each time unit counts while the activity runs. Loads above the
resource's capacity are over-allocations (what levelling removes), the same instants as
:func:`~pmsm_core.over_allocations` reports to the minute.
"""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Final

import attrs

from pmsm_core.exceptions import ValidationError
from pmsm_core.viz import _mpl

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.figure import Figure

    from pmsm_core.model.project import Project
    from pmsm_core.scheduling.results import Schedule

__all__ = ["ResourceUsage", "resource_histogram", "resource_usage"]


@attrs.frozen
class ResourceUsage:
    """The load of one resource per period.

    Attributes
    ----------
    resource, name
        The resource.
    capacity
        Units available at once.
    periods
        Start of each period: dates (dated projects) or time units.
    load
        Peak units in use in each period (the most at any one instant).

    Examples
    --------
    >>> u = ResourceUsage("ENG", "Engineers", 2.0, (0, 1, 2), (1.0, 3.0, 2.0))
    >>> u.peak, u.over_allocated
    (3.0, (1,))
    """

    resource: str
    name: str
    capacity: float
    periods: tuple[date | int, ...]
    load: tuple[float, ...]

    @property
    def peak(self) -> float:
        """The largest load (0 when the resource is not used)."""
        return max(self.load, default=0.0)

    @property
    def over_allocated(self) -> tuple[date | int, ...]:
        """Periods whose load exceeds the capacity."""
        return tuple(
            p for p, x in zip(self.periods, self.load, strict=True) if x > self.capacity + 1e-9
        )

    def to_dataframe(self) -> pd.DataFrame:
        """Load and capacity per period as a pandas DataFrame (``pandas`` extra).

        Examples
        --------
        >>> ResourceUsage("R", "", 1.0, (0, 1), (1.0, 2.0)).to_dataframe()["over"].tolist()
        [False, True]
        """
        from pmsm_core._util import require

        require("pandas", "pandas")
        import pandas as pd

        frame = pd.DataFrame({"period": list(self.periods), "load": list(self.load)})
        frame["capacity"] = self.capacity
        frame["over"] = frame["load"] > self.capacity + 1e-9
        return frame.set_index("period")


def resource_usage(
    project: Project, schedule: Schedule | None = None, *, period: str | int = "day"
) -> tuple[ResourceUsage, ...]:
    """The load (peak units) of every resource per period: days, weeks or months
    (dated projects), or runs of time units (undated).

    Parameters
    ----------
    project
        The project with its resources and assignments.
    schedule
        Its schedule (computed with the default options when None), e.g. a levelled one.
    period
        ``"day"`` (the default), ``"week"`` (labelled by its Monday) or ``"month"``
        (labelled by its first day) for dated projects; for undated ones a number of time
        units per period (``"day"`` means 1). A period's load is the largest of its days'
        (units') peaks.

    Raises
    ------
    ValidationError
        An unknown period, or one that does not suit the project (a week of an undated
        project, a count of units of a dated one).

    Examples
    --------
    >>> from pmsm_core import Activity, Assignment, Duration, Project, Resource
    >>> p = Project(
    ...     "P",
    ...     resources=[Resource("R", capacity=1.0)],
    ...     activities=[
    ...         Activity("A", duration=Duration(2), assignments=[Assignment("R")]),
    ...         Activity("B", duration=Duration(3), assignments=[Assignment("R", 0.5)]),
    ...     ],
    ... )
    >>> usage = resource_usage(p)[0]
    >>> usage.periods, usage.load, usage.over_allocated
    ((0, 1, 2), (1.5, 1.5, 0.5), (0, 1))
    >>> resource_usage(p, period=2)[0].load
    (1.5, 0.5)
    """
    dated = project.start is not None
    size = _period_size(period, dated=dated)
    if schedule is None:
        from pmsm_core.scheduling.schedule import schedule as run

        schedule = run(project)
    # per resource and period, the spans (start, finish, units) of the activities at work
    spans: dict[str, dict[Any, list[tuple[Any, Any, float]]]] = {
        r.id: {} for r in project.resources
    }
    first: Any = None
    last: Any = None
    for activity in project.activities:
        if not activity.assignments or activity.id not in schedule:
            continue
        sa = schedule[activity.id]
        if sa.summary or sa.finish <= sa.start:  # type: ignore[operator]
            continue
        periods = list(_periods(project, activity.id, sa.start, sa.finish))
        for p in periods:
            first = p if first is None or p < first else first
            last = p if last is None or p > last else last
        for assignment in activity.assignments:
            bucket = spans[assignment.resource]
            for p in periods:
                lo, hi = _clip(p, sa.start, sa.finish)
                bucket.setdefault(p, []).append((lo, hi, assignment.units))
    loads = {rid: {p: _peak(items) for p, items in by.items()} for rid, by in spans.items()}
    if first is None:
        axis: list[Any] = []
    elif isinstance(first, date):
        axis = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    else:
        axis = list(range(first, last + 1))
    labels = [_label(p, size) for p in axis]
    periods = list(dict.fromkeys(labels))
    out = []
    for r in project.resources:
        peaks: dict[Any, float] = dict.fromkeys(periods, 0.0)
        for p, label in zip(axis, labels, strict=True):
            peaks[label] = max(peaks[label], loads[r.id].get(p, 0.0))
        out.append(
            ResourceUsage(
                r.id, r.name, r.capacity, tuple(periods), tuple(round(x, 9) for x in peaks.values())
            )
        )
    return tuple(out)


#: Bar widths of the dated periods, in days.
_DAYS: Final[dict[str, int]] = {"day": 1, "week": 7, "month": 30}


def _period_size(period: str | int, *, dated: bool) -> str | int:
    """Check a period against the kind of project: a name (dated) or a unit count."""
    if dated and period in ("day", "week", "month"):
        return period
    if not dated:
        if period == "day":
            return 1
        if isinstance(period, int) and not isinstance(period, bool) and period > 0:
            return period
    expected = '"day", "week" or "month"' if dated else '"day" or a positive number of units'
    kind = "a dated" if dated else "an undated"
    msg = f"period must be {expected} for {kind} project, got {period!r}"
    raise ValidationError(msg, path="period")


def _label(period: Any, size: str | int) -> Any:
    """The start of the period that holds a day (or a time unit)."""
    if size == "week":
        return period - timedelta(days=period.weekday())
    if size == "month":
        return period.replace(day=1)
    if isinstance(size, int):
        return period - period % size
    return period


def _clip(period: Any, start: Any, finish: Any) -> tuple[Any, Any]:
    """The part of [start, finish) within a period (a day or a time unit)."""
    if isinstance(period, date):
        midnight = datetime.combine(period, datetime.min.time())
        return max(start, midnight), min(finish, midnight + timedelta(days=1))
    return max(start, period), min(finish, period + 1)


def _peak(spans: list[tuple[Any, Any, float]]) -> float:
    """The most units the spans ask for at one instant (a span ends before one that
    starts at its finish)."""
    events = sorted(
        [(a, 1, u) for a, _, u in spans] + [(b, 0, -u) for _, b, u in spans],
        key=lambda e: (e[0], e[1]),
    )
    load = peak = 0.0
    for _, _, units in events:
        load += units
        peak = max(peak, load)
    return peak


def _periods(project: Project, activity: str, start: Any, finish: Any) -> Any:
    if not isinstance(start, datetime):
        yield from range(int(start), math.ceil(finish))
        return
    calendar = project.activity_calendar(activity)
    day = start.date()
    while datetime.combine(day, datetime.min.time()) < finish:
        lo = max(start, datetime.combine(day, datetime.min.time()))
        hi = min(finish, datetime.combine(day + timedelta(days=1), datetime.min.time()))
        if calendar.working_minutes_between(lo, hi) > 0:
            yield day
        day += timedelta(days=1)


def resource_histogram(
    project: Project,
    schedule: Schedule | None = None,
    *,
    resources: list[str] | None = None,
    title: str | None = None,
    period: str | int = "day",
) -> Figure:
    """Draw one load histogram per resource, with its capacity and over-allocations.

    Parameters
    ----------
    project
        The project with its resources and assignments.
    schedule
        Its schedule (computed with the default options when None).
    resources
        Ids of the resources to draw (every resource with a load by default).
    title
        Figure title (the project name or id by default).
    period
        Days, weeks, months or runs of time units, as for :func:`resource_usage`.

    Returns
    -------
    matplotlib.figure.Figure
        One row of axes per resource, sharing the time axis.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from pmsm_core import Activity, Assignment, Duration, Project, Resource
    >>> p = Project(
    ...     "P",
    ...     resources=[Resource("R", capacity=1.0)],
    ...     activities=[Activity("A", duration=Duration(2), assignments=[Assignment("R", 2.0)])],
    ... )
    >>> fig = resource_histogram(p)
    >>> len(fig.axes)
    1
    """
    everything = resource_usage(project, schedule, period=period)
    usage = [u for u in everything if u.peak > 0 or resources]
    if resources is not None:
        wanted = set(resources)
        known = sorted(r.id for r in project.resources)
        unknown = wanted - set(known)
        if unknown:
            msg = f"unknown resource(s) {sorted(unknown)}; the project has {known}"
            raise ValidationError(msg, path="resources")
        usage = [u for u in everything if u.resource in wanted]
    fig, first_ax = _mpl.axes(None, (11, 1.0 + 1.9 * max(1, len(usage))))
    fig.clear()
    axes = fig.subplots(max(1, len(usage)), 1, sharex=True, squeeze=False)[:, 0]
    del first_ax
    size = _period_size(period, dated=project.start is not None)  # checked above
    width = 0.85 * (size if isinstance(size, int) else _DAYS[size])
    for ax, u in zip(axes, usage, strict=False):
        over = [x > u.capacity + 1e-9 for x in u.load]
        colours = [_mpl.OVER if o else _mpl.NORMAL for o in over]
        positions: Any = list(u.periods)
        ax.bar(positions, u.load, width=width, color=colours, align="edge")
        ax.axhline(u.capacity, color="#333333", linestyle="--", linewidth=1.1)
        ax.set_ylabel("units")
        label = f"{u.name} ({u.resource})" if u.name else u.resource
        ax.set_title(
            f"{label}: capacity {u.capacity:g}, peak {u.peak:g}" + _over_text(u),
            loc="left",
            fontsize=9,
        )
        ax.set_ylim(0, max(u.peak, u.capacity) * 1.2 or 1)
        ax.grid(axis="y", color=_mpl.GRID, linewidth=0.8)
        ax.set_axisbelow(True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    if usage and isinstance(usage[0].periods[0], date):
        _mpl.date_axis(axes[-1])
    elif usage:
        axes[-1].set_xlabel("time units")
    fig.suptitle(
        title if title is not None else f"Resource load: {project.name or project.id}",
        x=0.01,
        ha="left",
    )
    figure: Figure = fig
    return figure


def _over_text(usage: ResourceUsage) -> str:
    count = len(usage.over_allocated)
    if not count:
        return ""
    unit = "day" if isinstance(usage.periods[0], date) else "period"
    return f", over capacity on {count} {unit}{'s' if count != 1 else ''}"
