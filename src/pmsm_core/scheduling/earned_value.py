"""Earned value management and earned schedule, at the status date and as a time series.

Definitions (PMI, *Practice Standard for Earned Value Management*, 2nd ed., 2011; PMBOK
Guide 6th ed., section 7.4.2.2 and table 7-1; W. Lipke, "Schedule is Different", *The
Measurable News*, March 2003, and the earned schedule formulas collected by the PMI
College of Performance Management):

* **BAC** (budget at completion): the sum of the baseline costs of the leaf activities.
* **PV** (planned value) at time *t*: each activity's baseline cost spread over its
  baseline dates, summed. The default accrual is *prorated*: linear over the activity's
  working time on its own calendar, as Microsoft Project accrues fixed costs by default;
  ``accrual`` can put the whole cost at the baseline start or finish instead. A
  zero-duration activity accrues its cost at its baseline date.
* **EV** (earned value) = sum of baseline cost x percent complete (the physical percent
  complete where recorded, else the duration percent complete; 100 % once finished).
* **AC** (actual cost) = sum of the recorded ``Progress.actual_cost``.
* SV = EV - PV, CV = EV - AC, SPI = EV / PV, CPI = EV / AC.
* EAC, the estimate at completion, by four named formulas: ``cpi`` BAC / CPI (the current
  cost efficiency continues), ``budget-rate`` AC + (BAC - EV) (the remaining work at the
  budgeted rate), ``cpi-spi`` AC + (BAC - EV) / (CPI x SPI) (both efficiencies weigh on
  the rest), ``bottom-up`` AC + ETC where ETC is re-estimated from the current plan: each
  activity's current planned cost x its remaining share (remaining duration over actual
  plus remaining duration; 1 when not started, 0 when complete).
* ETC = EAC - AC, VAC = BAC - EAC, TCPI to BAC = (BAC - EV) / (BAC - AC), TCPI to EAC =
  (BAC - EV) / (EAC - AC).
* **Earned schedule** (Lipke): on a grid of periods counted from the baseline start, with
  PV_k the cumulative planned value at the end of period k, ES = C + (EV - PV_C) /
  (PV_{C+1} - PV_C) where C is the last k with PV_k <= EV (ES = PD once EV reaches BAC);
  AT is the status date's position on the grid, PD the baseline finish's; SV(t) = ES - AT,
  SPI(t) = ES / AT, IEAC(t) = PD / SPI(t). Positions inside a period count its working
  time (the project calendar).

Ratios with a zero denominator are None (undefined), never infinite. The time series
spreads each activity's EV and AC linearly over its actual working time up to the status
date (only their values at the status date are measured; the curve between is an
interpolation); after the status date EV and AC are None. Its points are the period
boundaries plus the status date itself.
"""

from __future__ import annotations

import calendar
import enum
import itertools
import math
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Final

import attrs
import numpy as np
import numpy.typing as npt

from pmsm_core.calendars import from_minute_index, to_minute_index
from pmsm_core.exceptions import ValidationError
from pmsm_core.scheduling.baseline import baseline_of, planned_costs

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from pmsm_core.calendars import WorkingTimeTable
    from pmsm_core.model.project import Project

__all__ = [
    "EAC_METHODS",
    "ActivityEarnedValue",
    "BudgetCheck",
    "CostAccrual",
    "EarnedSchedule",
    "EarnedValue",
    "EarnedValuePoint",
    "EstimateAtCompletion",
    "earned_value",
]

FloatArray = npt.NDArray[np.float64]

#: The EAC formulas by name.
EAC_METHODS: Final = {
    "cpi": "BAC / CPI",
    "budget-rate": "AC + (BAC - EV)",
    "cpi-spi": "AC + (BAC - EV) / (CPI x SPI)",
    "bottom-up": "AC + ETC (bottom-up)",
}
_PERIODS: Final = ("day", "week", "month")
#: Forecasts further out than this many periods are not dated.
_MAX_PERIODS: Final = 100_000


class CostAccrual(enum.Enum):
    """When an activity's planned cost counts as planned value (Microsoft Project's fixed
    cost accrual)."""

    PRORATED = "prorated"
    """Linearly over the activity's working time (the default)."""
    START = "start"
    """All of it at the baseline start."""
    END = "end"
    """All of it at the baseline finish."""


@attrs.frozen
class EstimateAtCompletion:
    """One estimate at completion: its name, formula and value (None when undefined)."""

    method: str
    formula: str
    value: float | None


@attrs.frozen
class ActivityEarnedValue:
    """Earned-value figures of one leaf activity at the status date."""

    id: str
    name: str
    bac: float
    pv: float
    ev: float
    ac: float
    percent_complete: float
    sv: float
    cv: float
    spi: float | None
    cpi: float | None


@attrs.frozen
class EarnedValuePoint:
    """Cumulative PV, EV and AC at the end of a period (EV and AC None after the status
    date)."""

    time: datetime | int
    pv: float
    ev: float | None
    ac: float | None


@attrs.frozen
class EarnedSchedule:
    """Lipke's earned schedule at the status date, in periods counted from the baseline
    start (``period`` names them)."""

    period: str
    es: float
    at: float
    pd: float
    sv_t: float
    spi_t: float | None
    ieac_t: float | None
    es_time: datetime | int | None
    forecast_finish: datetime | int | None


@attrs.frozen
class BudgetCheck:
    """The budget of the triple constraint against the estimate at completion."""

    budget: float | None
    eac: float | None
    within: bool | None
    margin: float | None


def _ratio(a: float, b: float) -> float | None:
    """``a / b``, None when undefined (a zero or vanishing denominator)."""
    if not b:
        return None
    value = a / b
    return value if math.isfinite(value) else None


@attrs.frozen(repr=False)
class EarnedValue:
    """Earned value and earned schedule of a project at its status date.

    Returned by :func:`earned_value`; see the module docstring for every definition.
    ``series`` holds the S-curve (cumulative PV, EV, AC per period); ``to_dataframe``
    turns it into a frame with SV, CV, SPI and CPI per period.

    Examples
    --------
    >>> from pmsm_core.examples import load_example
    >>> ev = earned_value(load_example("intranet-status"))
    >>> ev.bac, ev.pv, ev.ev, ev.ac
    (26980.0, 10790.0, 6393.0, 8780.0)
    >>> round(ev.spi, 3), round(ev.cpi, 3)
    (0.592, 0.728)
    >>> {e.method: round(e.value) for e in ev.estimates}
    {'cpi': 37054, 'budget-rate': 29367, 'cpi-spi': 56500, 'bottom-up': 29116}
    >>> ev.budget.within, round(ev.earned_schedule.spi_t, 3)
    (False, 0.695)
    >>> ev.to_dataframe().dropna().iloc[-1][["pv", "ev", "ac"]].round(2).tolist()  # status date
    [10790.0, 6393.0, 8780.0]
    """

    project_id: str
    baseline: int
    status_date: datetime | int
    bac: float
    pv: float
    ev: float
    ac: float
    sv: float
    cv: float
    spi: float | None
    cpi: float | None
    eac_method: str
    eac: float | None
    etc: float | None
    vac: float | None
    tcpi_bac: float | None
    tcpi_eac: float | None
    estimates: tuple[EstimateAtCompletion, ...]
    etc_bottom_up: float
    earned_schedule: EarnedSchedule | None
    budget: BudgetCheck
    activities: tuple[ActivityEarnedValue, ...]
    series: tuple[EarnedValuePoint, ...]
    period: str
    warnings: tuple[str, ...] = ()

    def __repr__(self) -> str:
        def f(x: float | None) -> str:
            return "None" if x is None else f"{x:.3f}"

        return (
            f"EarnedValue(project_id={self.project_id!r}, status_date={self.status_date!r}, "
            f"bac={self.bac:.2f}, pv={self.pv:.2f}, ev={self.ev:.2f}, ac={self.ac:.2f}, "
            f"spi={f(self.spi)}, cpi={f(self.cpi)}, eac={f(self.eac)})"
        )

    @property
    def percent_complete(self) -> float | None:
        """EV / BAC in percent (None without a budget)."""
        r = _ratio(self.ev, self.bac)
        return None if r is None else 100 * r

    def estimate(self, method: str) -> float | None:
        """The EAC of one named method (see :data:`EAC_METHODS`)."""
        for e in self.estimates:
            if e.method == method:
                return e.value
        raise KeyError(method)

    def to_dataframe(self) -> pd.DataFrame:
        """The time series as a DataFrame indexed by period end: ``pv``, ``ev``, ``ac``,
        ``sv``, ``cv``, ``spi``, ``cpi`` (needs the ``pandas`` extra)."""
        from pmsm_core._util import require

        require("pandas", "pandas")
        import pandas as pd

        frame = pd.DataFrame(
            {
                "pv": [p.pv for p in self.series],
                "ev": [np.nan if p.ev is None else p.ev for p in self.series],
                "ac": [np.nan if p.ac is None else p.ac for p in self.series],
            },
            index=pd.Index([p.time for p in self.series], name="time"),
        )
        frame["sv"] = frame["ev"] - frame["pv"]
        frame["cv"] = frame["ev"] - frame["ac"]
        frame["spi"] = frame["ev"] / frame["pv"].where(frame["pv"] != 0)
        frame["cpi"] = frame["ev"] / frame["ac"].where(frame["ac"] != 0)
        return frame

    def activities_dataframe(self) -> pd.DataFrame:
        """Per-activity figures as a DataFrame indexed by id (needs the ``pandas`` extra)."""
        from pmsm_core._util import require

        require("pandas", "pandas")
        import pandas as pd

        columns = [f.name for f in attrs.fields(ActivityEarnedValue)]
        rows = [attrs.asdict(a) for a in self.activities]
        return pd.DataFrame(rows, columns=columns).set_index("id")

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data: the figures of ``pmsm status --format json``."""

        def t(value: Any) -> Any:
            return value.isoformat(timespec="minutes") if isinstance(value, datetime) else value

        es = self.earned_schedule
        return {
            "project": self.project_id,
            "baseline": self.baseline,
            "status_date": t(self.status_date),
            "bac": self.bac,
            "pv": self.pv,
            "ev": self.ev,
            "ac": self.ac,
            "sv": self.sv,
            "cv": self.cv,
            "spi": self.spi,
            "cpi": self.cpi,
            "percent_complete": self.percent_complete,
            "eac_method": self.eac_method,
            "eac": self.eac,
            "etc": self.etc,
            "vac": self.vac,
            "tcpi_bac": self.tcpi_bac,
            "tcpi_eac": self.tcpi_eac,
            "estimates": {e.method: e.value for e in self.estimates},
            "earned_schedule": None
            if es is None
            else {
                "period": es.period,
                "es": es.es,
                "at": es.at,
                "pd": es.pd,
                "sv_t": es.sv_t,
                "spi_t": es.spi_t,
                "ieac_t": es.ieac_t,
                "es_time": t(es.es_time),
                "forecast_finish": t(es.forecast_finish),
            },
            "budget": attrs.asdict(self.budget),
            "warnings": list(self.warnings),
        }


# --------------------------------------------------------------------------- time grid


class _Grid:
    """Period boundaries counted from a time zero, and positions on them."""

    def __init__(
        self,
        project: Project,
        periods: str | int | Sequence[datetime | int],
        zero: datetime | int,
        last: datetime | int,
    ) -> None:
        self.project = project
        self.dated = project.is_dated
        self.table = project.calendar.table if self.dated else None
        if isinstance(periods, str):
            if not self.dated:
                msg = f"periods {periods!r} need a dated project; give a whole number of units"
                raise ValidationError(msg, path="periods")
            if periods not in _PERIODS:
                msg = f"periods must be 'day', 'week', 'month', a step or dates, got {periods!r}"
                raise ValidationError(msg, path="periods")
            self.name = periods
            self.explicit: list[Any] | None = None
            bounds = [zero]
            while bounds[-1] < last:  # type: ignore[operator]
                bounds.append(self._step(zero, len(bounds)))
        elif isinstance(periods, int) and not isinstance(periods, bool):
            if periods <= 0 or self.dated:
                msg = (
                    "a whole-number period is a step of time units for undated projects, "
                    f"got {periods!r}"
                )
                raise ValidationError(msg, path="periods")
            self.name = f"{periods} unit{'s' if periods > 1 else ''}"
            self.explicit = None
            self.step = periods
            bounds = [zero]
            while bounds[-1] < last:  # type: ignore[operator]
                bounds.append(bounds[-1] + periods)  # type: ignore[operator]
        else:
            bounds = list(periods)  # type: ignore[arg-type]
            kind = datetime if self.dated else int
            if len(bounds) < 2 or any(
                not isinstance(b, kind) or isinstance(b, bool) for b in bounds
            ):
                msg = f"explicit periods need at least two {'datetimes' if self.dated else 'units'}"
                raise ValidationError(msg, path="periods")
            if any(b >= c for b, c in itertools.pairwise(bounds)):  # type: ignore[operator]
                msg = "explicit period boundaries must increase strictly"
                raise ValidationError(msg, path="periods")
            self.name = "period"
            self.explicit = bounds
        self.bounds: list[Any] = bounds

    def _step(self, zero: Any, k: int) -> Any:
        if self.name == "day":
            return zero + timedelta(days=k)
        if self.name == "week":
            return zero + timedelta(days=7 * k)
        month = zero.month - 1 + k
        year, month = zero.year + month // 12, month % 12 + 1
        day = min(zero.day, calendar.monthrange(year, month)[1])
        return zero.replace(year=year, month=month, day=day)

    def bound(self, k: int) -> Any:
        """Boundary ``k`` (extended past the grid by the period rule or the last step)."""
        if k < len(self.bounds):
            return self.bounds[k]
        if self.explicit is not None:
            last, before = self.bounds[-1], self.bounds[-2]
            return last + (last - before) * (k - len(self.bounds) + 1)
        if not self.dated:
            return self.bounds[0] + self.step * k
        return self._step(self.bounds[0], k)

    def working(self, times: Sequence[Any]) -> FloatArray:
        if self.table is None:
            return np.asarray(times, dtype=np.float64)
        index = np.fromiter((to_minute_index(t) for t in times), np.int64, count=len(times))
        return self.table.to_working_array(index).astype(np.float64)

    def position(self, t: Any) -> float:
        """Periods from time zero to ``t`` (fractions by working time inside a period)."""
        k = 0
        while self.bound(k + 1) <= t:
            k += 1
            if k > 100_000:  # pragma: no cover - guarded by the callers' ranges
                break
        lo, hi = self.working([self.bound(k), self.bound(k + 1)])
        at = self.working([t])[0]
        span = hi - lo
        return float(k + ((at - lo) / span if span > 0 else 0.0))

    def time_at(self, position: float) -> Any:
        """The instant at ``position`` periods from time zero (None beyond reach)."""
        if not math.isfinite(position) or position > _MAX_PERIODS:
            return None
        try:
            return self._time_at(position)
        except (OverflowError, ValueError):
            return None

    def _time_at(self, position: float) -> Any:
        k = max(0, math.floor(position))
        frac = position - k
        lo, hi = self.working([self.bound(k), self.bound(k + 1)])
        w = lo + frac * (hi - lo)
        if self.table is None:
            return round(w)
        return from_minute_index(self.table.from_working(round(w), finish=True))


# --------------------------------------------------------------------------- kernel


def cumulative(
    starts: FloatArray,
    finishes: FloatArray,
    values: FloatArray,
    bounds: FloatArray,
    accrual: CostAccrual = CostAccrual.PRORATED,
) -> FloatArray:
    """Cumulative sum at each boundary of values spread over ``[start, finish]``.

    All arguments are working-time coordinates of one calendar (or plain units):
    ``values[i]`` accrues linearly from ``starts[i]`` to ``finishes[i]`` (prorated), at
    the start or at the finish; a zero-length span accrues at its instant.

    Each ramp contributes ``rate * (b - start)`` once started and loses
    ``rate * (b - finish)`` once finished, so with the ramps sorted by start and by finish
    two prefix sums (of rates and of rate x instant) answer every boundary with one binary
    search: O((n + m) log n) instead of n x m. Coordinates are taken relative to the first
    boundary to keep the sums small.

    Examples
    --------
    >>> import numpy as np
    >>> cumulative(
    ...     np.array([0.0, 2.0]),
    ...     np.array([4.0, 2.0]),
    ...     np.array([100.0, 10.0]),
    ...     np.array([0.0, 1.0, 2.0, 4.0]),
    ... ).tolist()
    [0.0, 25.0, 60.0, 110.0]
    """
    n, m = starts.shape[0], bounds.shape[0]
    out = np.zeros(m, dtype=np.float64)
    if n == 0 or m == 0:
        return out
    if accrual is CostAccrual.START:
        finishes = starts
    elif accrual is CostAccrual.END:
        starts = finishes
    span = finishes - starts
    ramp = span > 0
    # instants: a sorted cumulative sum answers every boundary at once
    ps, pv = starts[~ramp], values[~ramp]
    if ps.shape[0]:
        order = np.argsort(ps, kind="stable")
        csum = np.concatenate(([0.0], np.cumsum(pv[order])))
        out += csum[np.searchsorted(ps[order], bounds, side="right")]
    if ramp.any():
        ref = float(bounds.min())
        b = bounds - ref
        rate = values[ramp] / span[ramp]
        for edge, sign in ((starts[ramp] - ref, 1.0), (finishes[ramp] - ref, -1.0)):
            order = np.argsort(edge, kind="stable")
            rates = np.concatenate(([0.0], np.cumsum(rate[order])))
            moments = np.concatenate(([0.0], np.cumsum((rate * edge)[order])))
            k = np.searchsorted(edge[order], b, side="right")
            out += sign * (b * rates[k] - moments[k])
    return out


IntArray = npt.NDArray[np.int64]


def _instants(times: Sequence[Any], dated: bool) -> IntArray:
    """Minute indices of datetimes (dated projects) or the time units themselves."""
    if not dated:
        return np.asarray(times, dtype=np.int64)
    cache: dict[datetime, int] = {}  # many activities share dates (the status date ...)

    def index(t: datetime) -> int:
        value = cache.get(t)
        if value is None:
            value = cache[t] = to_minute_index(t)
        return value

    return np.fromiter((index(t) for t in times), dtype=np.int64, count=len(times))


def _coords(table: WorkingTimeTable | None, instants: IntArray) -> FloatArray:
    """Working-time coordinates of instants on ``table`` (the units themselves undated)."""
    if table is None:
        return instants.astype(np.float64)
    return table.to_working_array(instants).astype(np.float64)


def _spans(
    table: WorkingTimeTable | None,
    starts: IntArray,
    finishes: IntArray,
    accrual: CostAccrual,
) -> tuple[FloatArray, FloatArray, npt.NDArray[np.bool_], FloatArray]:
    """Working-time spans and, for what accrues at an instant (zero-length spans, start or
    end accrual), that instant on the wall clock: ``(start_w, finish_w, ramp, instant)``."""
    sw = _coords(table, starts)
    fw = np.maximum(_coords(table, finishes), sw)
    if accrual is CostAccrual.END:
        return sw, fw, np.zeros(sw.shape[0], bool), finishes.astype(np.float64)
    ramp = fw > sw if accrual is CostAccrual.PRORATED else np.zeros(sw.shape[0], bool)
    return sw, fw, ramp, starts.astype(np.float64)


def _groups(calendar_ids: list[str | None]) -> list[tuple[str | None, IntArray]]:
    """Activity positions per calendar (one group, all of them, in the common case)."""
    first = calendar_ids[0] if calendar_ids else None
    if all(c == first for c in calendar_ids):
        return [(first, np.arange(len(calendar_ids), dtype=np.int64))]
    groups: dict[str | None, list[int]] = {}
    for i, cal in enumerate(calendar_ids):
        groups.setdefault(cal, []).append(i)
    return [(cal, np.asarray(m, dtype=np.int64)) for cal, m in groups.items()]


def _spread(
    tables: dict[str | None, WorkingTimeTable | None],
    groups: list[tuple[str | None, IntArray]],
    starts: IntArray,
    finishes: IntArray,
    values: FloatArray,
    times: IntArray,
    accrual: CostAccrual,
) -> FloatArray:
    """Cumulative spread at ``times`` of values over per-activity spans, grouped by
    calendar (each group measured in its own working time; instants on the wall clock)."""
    out = np.zeros(times.shape[0], dtype=np.float64)
    wall = times.astype(np.float64)
    for cal, members in groups:
        table = tables[cal]
        sw, fw, ramp, instant = _spans(table, starts[members], finishes[members], accrual)
        vals = values[members]
        out += cumulative(sw[ramp], fw[ramp], vals[ramp], _coords(table, times))
        point = instant[~ramp]
        out += cumulative(point, point, vals[~ramp], wall)
    return out


# --------------------------------------------------------------------------- the engine


def earned_value(
    project: Project,
    *,
    baseline: int = 0,
    status_date: datetime | int | None = None,
    periods: str | int | Sequence[datetime | int] | None = None,
    accrual: CostAccrual = CostAccrual.PRORATED,
    eac_method: str = "cpi",
) -> EarnedValue:
    """Earned value, earned schedule and the S-curve of ``project`` at its status date.

    Parameters
    ----------
    project
        A project with a baseline (:func:`~pmsm_core.save_baseline`) and progress.
    baseline
        The baseline number PV comes from (0 by default).
    status_date
        The date of measurement; the project's ``status_date`` when None.
    periods
        The grid of the time series and of earned schedule: ``"day"``, ``"week"`` (the
        default for dated projects) or ``"month"`` counted from the baseline start, a step
        of time units (undated projects, 1 by default), or explicit boundaries (the first
        is time zero).
    accrual
        When planned cost counts as planned value (prorated by default).
    eac_method
        The EAC used for ETC, VAC, TCPI to EAC and the budget check: ``"cpi"``,
        ``"budget-rate"``, ``"cpi-spi"`` or ``"bottom-up"``; all four are in
        ``estimates``.

    Returns
    -------
    EarnedValue
        The figures at the status date, per activity, and the time series.

    Raises
    ------
    ValidationError
        Without a status date, without the baseline, or with bad periods.

    Examples
    --------
    >>> from pmsm_core import Activity, Dependency, Duration, Progress, Project, save_baseline
    >>> p = Project(
    ...     "P",
    ...     activities=[
    ...         Activity("A", duration=Duration(4), cost=400.0),
    ...         Activity("B", duration=Duration(4), cost=800.0),
    ...     ],
    ...     dependencies=[Dependency("A", "B")],
    ... )
    >>> p = save_baseline(p)
    >>> import attrs
    >>> p = attrs.evolve(
    ...     p,
    ...     status_date=4,
    ...     activities=[
    ...         attrs.evolve(
    ...             p.activities[0], progress=Progress(0, percent_complete=75, actual_cost=450.0)
    ...         ),
    ...         p.activities[1],
    ...     ],
    ... )
    >>> ev = earned_value(p)
    >>> ev.pv, ev.ev, ev.ac, ev.spi, round(ev.cpi, 4), round(ev.eac, 2)
    (400.0, 300.0, 450.0, 0.75, 0.6667, 1800.0)
    >>> ev.earned_schedule.es, ev.earned_schedule.spi_t
    (3.0, 0.75)
    """
    if eac_method not in EAC_METHODS:
        msg = f"eac_method must be one of {', '.join(EAC_METHODS)}, got {eac_method!r}"
        raise ValidationError(msg, path="eac_method")
    status = project.status_date if status_date is None else status_date
    if status is None:
        msg = (
            f"project {project.id!r} has no status date: set Project.status_date or pass "
            "status_date"
        )
        raise ValidationError(msg, path="status_date")
    if isinstance(status, datetime) != project.is_dated or isinstance(status, bool):
        kind = "a datetime" if project.is_dated else "whole time units"
        msg = f"the status date of project {project.id!r} must be {kind}, got {status!r}"
        raise ValidationError(msg, path="status_date")
    chosen = baseline_of(project, baseline)
    warnings: list[str] = []
    saved = {b.activity: b for b in chosen.activities}
    leaves = [a for a in project.activities if not project.is_summary(a.id)]
    tables: dict[str | None, WorkingTimeTable | None] = {}
    for a in leaves:
        if a.calendar not in tables:
            tables[a.calendar] = (
                project.calendar_by_id(a.calendar).table if project.is_dated else None
            )
    current = planned_costs(project)

    # per-activity inputs
    ids, names, cals = [], [], []
    bac_i: list[float] = []
    b_start: list[Any] = []
    b_finish: list[Any] = []
    pct: list[float] = []
    ac_i: list[float] = []
    a_start: list[Any] = []
    a_end: list[Any] = []
    remaining_share: list[float] = []
    missing = []
    for a in leaves:
        b = saved.get(a.id)
        cost = b.cost if b is not None else 0.0
        if b is None:
            missing.append(a.id)
        elif cost and (b.start is None or b.finish is None):
            warnings.append(f"{a.id}: baseline cost {cost:g} has no baseline dates; left out")
            cost = 0.0
        p = a.progress
        percent = 0.0
        share = 1.0
        if p is not None and p.started:
            if p.finished:
                percent, share = 100.0, 0.0
            else:
                percent = (
                    p.physical_percent_complete
                    if p.physical_percent_complete is not None
                    else p.percent_complete
                )
                d = a.duration.minutes
                done = round(d * p.percent_complete / 100)
                rest = (
                    p.remaining_duration.minutes if p.remaining_duration is not None else d - done
                )
                share = rest / (done + rest) if done + rest else 1 - p.percent_complete / 100
                if p.percent_complete >= 100:
                    share = 0.0
        ids.append(a.id)
        names.append(a.name)
        cals.append(a.calendar)
        bac_i.append(cost)
        fallback = status
        b_start.append(b.start if b is not None and b.start is not None else fallback)
        b_finish.append(b.finish if b is not None and b.finish is not None else fallback)
        pct.append(percent)
        ac_i.append(p.actual_cost if p is not None else 0.0)
        remaining_share.append(share)
        started = p is not None and p.actual_start is not None
        a_start.append(p.actual_start if started else status)  # type: ignore[union-attr]
        end = p.actual_finish if p is not None and p.actual_finish is not None else status
        a_end.append(min(end, status) if started else status)
    if missing:
        shown = ", ".join(missing[:5]) + (" ..." if len(missing) > 5 else "")
        warnings.append(
            f"{len(missing)} activit{'y is' if len(missing) == 1 else 'ies are'} not in "
            f"baseline {chosen.number} (no planned value, no earned value): {shown}"
        )
    bac_arr = np.asarray(bac_i, dtype=np.float64)
    ev_arr = bac_arr * np.asarray(pct, dtype=np.float64) / 100
    ac_arr = np.asarray(ac_i, dtype=np.float64)
    bac = math.fsum(bac_i)
    ev = math.fsum(ev_arr.tolist())
    ac = math.fsum(ac_i)

    # planned value at the status date, per activity (one boundary)
    dated = project.is_dated
    groups = _groups(cals)
    bs, bf = _instants(b_start, dated), _instants(b_finish, dated)
    as_, ae = _instants(a_start, dated), _instants(a_end, dated)
    status_i = int(_instants([status], dated)[0])
    pv_each = _per_activity_pv(tables, groups, bs, bf, bac_arr, status_i, accrual)
    pv = math.fsum(pv_each.tolist())

    # the time grid: from the baseline start to the latest of the dates involved
    zero = min(b_start) if ids else status  # time zero: the baseline start
    last = max([*b_finish, status]) if ids else status
    grid = _Grid(project, _default_periods(project, periods), zero, last)
    times = sorted({*grid.bounds, status})  # the status date is a point of the curve too
    ti = _instants(times, dated)
    pv_series = _spread(tables, groups, bs, bf, bac_arr, ti, accrual)
    ev_series = _spread(tables, groups, as_, ae, ev_arr, ti, CostAccrual.PRORATED)
    ac_series = _spread(tables, groups, as_, ae, ac_arr, ti, CostAccrual.PRORATED)
    series = tuple(
        EarnedValuePoint(
            t,
            float(pv_series[k]),
            float(ev_series[k]) if t <= status else None,
            float(ac_series[k]) if t <= status else None,
        )
        for k, t in enumerate(times)
    )

    spi, cpi = _ratio(ev, pv), _ratio(ev, ac)
    etc_bottom_up = math.fsum(
        c * r for c, r in zip(_currents(current, ids), remaining_share, strict=True)
    )
    estimates = (
        EstimateAtCompletion("cpi", EAC_METHODS["cpi"], None if not cpi else bac / cpi),
        EstimateAtCompletion("budget-rate", EAC_METHODS["budget-rate"], ac + (bac - ev)),
        EstimateAtCompletion(
            "cpi-spi",
            EAC_METHODS["cpi-spi"],
            None if not cpi or not spi else _plus(ac, _ratio(bac - ev, cpi * spi)),
        ),
        EstimateAtCompletion("bottom-up", EAC_METHODS["bottom-up"], ac + etc_bottom_up),
    )
    eac = next(e.value for e in estimates if e.method == eac_method)
    budget = project.triple_constraint.budget
    check = BudgetCheck(
        budget=budget,
        eac=eac,
        within=None if budget is None or eac is None else eac <= budget,
        margin=None if budget is None or eac is None else budget - eac,
    )
    if check.within is False:
        warnings.append(
            f"the estimate at completion {eac:,.2f} ({eac_method}) exceeds the budget "
            f"{budget:,.2f} by {-(check.margin or 0):,.2f}"
        )
    pv_l, ev_l = pv_each.tolist(), ev_arr.tolist()
    activities = tuple(
        ActivityEarnedValue(
            id=ids[i],
            name=names[i],
            bac=bac_i[i],
            pv=pv_l[i],
            ev=ev_l[i],
            ac=ac_i[i],
            percent_complete=pct[i],
            sv=ev_l[i] - pv_l[i],
            cv=ev_l[i] - ac_i[i],
            spi=_ratio(ev_l[i], pv_l[i]),
            cpi=_ratio(ev_l[i], ac_i[i]),
        )
        for i in range(len(ids))
    )
    return EarnedValue(
        project_id=project.id,
        baseline=chosen.number,
        status_date=status,
        bac=bac,
        pv=pv,
        ev=ev,
        ac=ac,
        sv=ev - pv,
        cv=ev - ac,
        spi=spi,
        cpi=cpi,
        eac_method=eac_method,
        eac=eac,
        etc=None if eac is None else eac - ac,
        vac=None if eac is None else bac - eac,
        tcpi_bac=_ratio(bac - ev, bac - ac),
        tcpi_eac=None if eac is None else _ratio(bac - ev, eac - ac),
        estimates=estimates,
        etc_bottom_up=etc_bottom_up,
        earned_schedule=_earned_schedule(grid, pv_series, ev, bac, b_finish, status, ids),
        budget=check,
        activities=activities,
        series=series,
        period=grid.name,
        warnings=tuple(warnings),
    )


def _plus(a: float, b: float | None) -> float | None:
    return None if b is None else a + b


def _currents(current: dict[str, float], ids: list[str]) -> list[float]:
    return [current.get(i, 0.0) for i in ids]


def _default_periods(
    project: Project, periods: str | int | Sequence[datetime | int] | None
) -> str | int | Sequence[datetime | int]:
    if periods is None:
        return "week" if project.is_dated else 1
    return periods


def _per_activity_pv(
    tables: dict[str | None, WorkingTimeTable | None],
    groups: list[tuple[str | None, IntArray]],
    starts: IntArray,
    finishes: IntArray,
    bac: FloatArray,
    status: int,
    accrual: CostAccrual,
) -> FloatArray:
    """Each activity's planned value at the status date (its baseline cost x the share of
    its baseline span elapsed, by the accrual rule)."""
    out = np.zeros(bac.shape[0], dtype=np.float64)
    at = np.asarray([status], dtype=np.int64)
    for cal, members in groups:
        table = tables[cal]
        sw, fw, ramp, instant = _spans(table, starts[members], finishes[members], accrual)
        t_w = float(_coords(table, at)[0])
        span = np.where(ramp, fw - sw, 1.0)
        frac = np.where(ramp, np.clip((t_w - sw) / span, 0.0, 1.0), (status >= instant) * 1.0)
        out[members] = bac[members] * frac
    return out


def _earned_schedule(
    grid: _Grid,
    pv: FloatArray,
    ev: float,
    bac: float,
    b_finish: list[Any],
    status: Any,
    ids: list[str],
) -> EarnedSchedule | None:
    """Lipke's ES, SV(t), SPI(t) and IEAC(t) on the grid (None without a budget)."""
    if not ids or bac <= 0:
        return None
    pd_ = grid.position(max(b_finish))
    at = grid.position(status)
    tol = 1e-9 * max(1.0, bac)
    if ev >= bac - tol:
        es = pd_
    else:
        reached = np.flatnonzero(pv <= ev + tol)
        c = int(reached[-1]) if reached.size else 0
        if c + 1 < pv.shape[0] and pv[c + 1] > pv[c]:
            es = c + (ev - float(pv[c])) / float(pv[c + 1] - pv[c])
        else:
            es = float(c)
        es = min(es, pd_)
    spi_t = _ratio(es, at)
    ieac_t = None if not spi_t else pd_ / spi_t
    es = float(es)
    return EarnedSchedule(
        period=grid.name,
        es=es,
        at=at,
        pd=pd_,
        sv_t=es - at,
        spi_t=spi_t,
        ieac_t=ieac_t,
        es_time=grid.time_at(es),
        forecast_finish=None if ieac_t is None else grid.time_at(ieac_t),
    )
