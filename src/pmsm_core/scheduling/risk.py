"""Schedule risk analysis: Monte Carlo simulation of the schedule network, and PERT.

:func:`simulate` draws every activity's duration from its estimate (see
:mod:`pmsm_core.model.estimates`), applies the risk events of the project's risk register,
optionally correlates durations, and runs the critical-path passes of
:func:`~pmsm_core.schedule` for thousands of iterations at once with numpy. The answer is
a :class:`RiskResult`: the distribution of the project finish, the chance of meeting the
target finish and each deadline, how often each activity is critical, and which durations
drive the finish (a tornado ranking).

:func:`pert_analysis` gives the classic PERT figures on the critical path of the expected
durations, with the normal approximation PERT is known for (and its optimism).

Rules of the simulation
-----------------------
* **Time.** Undated projects run in plain units. Dated projects run in working minutes of
  the project calendar, as the integer engine of :func:`~pmsm_core.schedule` does, and
  results are converted to datetimes at the end (a finish at a fraction of a minute counts
  as the next whole minute; finishes read as the end of the previous working period).
* **Per-activity calendars and elapsed lags** (dated projects): calibrated once on the
  deterministic schedule. An activity on another calendar takes, in project working
  minutes, what its planned duration took in the CPM schedule, scaled by its sampled
  duration over its planned duration; an elapsed lag (or a lag on another calendar) takes
  the project working minutes it spanned in the CPM schedule (percent lags scaled the same
  way). So fixed durations reproduce the CPM finish; when durations vary, the weekends an
  elapsed lag or a round-the-clock activity happens to span do not move with it. When the
  calibrated model does not reproduce the CPM finish (a calendar that skips working
  time of the project calendar), the result carries a warning saying by how much.
* **Constraints** are honoured exactly as :func:`~pmsm_core.schedule` does with the same
  :class:`~pmsm_core.ScheduleOptions`: SNET and FNET are floors; with
  ``honor_constraints`` (the default) MSO and MFO fix the dates and SNLT and FNLT cap them
  (without it, MSO and MFO are floors and the caps are dropped); deadlines cap late dates;
  ALAP activities sit at their late dates and drive their successors from there.
* **Summary SS/SF links** act from the summary's earliest leaf in the CPM schedule; that
  choice is kept for every iteration.
* **Risk events.** A risk with a probability, affected activities and a
  ``schedule_factor`` and/or ``schedule_impact`` occurs in an iteration with that
  probability; when it does, each affected activity (each leaf of an affected summary)
  takes ``duration * factor + impact``, floored at 0. Risks act after correlation.
* **Correlation** between durations uses the Iman-Conover method per block of 1,024
  iterations: each activity keeps its sampled values (its marginal distribution is
  unchanged) and they are reordered to reach the target Spearman rank correlation.
* **Critical** means total float at most ``critical_threshold``, measured per iteration
  (the longest-path definition is not simulated). Progress (actuals) is not used, as in
  :func:`~pmsm_core.schedule`.

Exactness and memory
--------------------
Iteration ``i`` draws its random numbers from streams seeded by ``(seed, i // 1024)``
only, so a seed gives bit-identical results whatever the ``chunk_size`` and executor.
Project finishes are kept for every iteration (8 bytes each): their mean, standard
deviation, percentiles and target probabilities are exact. Criticality counts and
deadline counts are exact integer sums; mean durations are sums per block added in block
order. Per-activity finish percentiles and duration sensitivities (Spearman) need every
value of every activity; they are computed on the first ``detail_iterations`` iterations
(by default all, up to about 2 million activity values and at least 256: 2,097
iterations of a 1,000-activity project), a fixed subset whatever the chunking. The caller
holds 8 bytes per iteration, the two detail matrices (16 bytes per activity and detail
iteration) and a few copies of one while computing the statistics; a running chunk holds
one block of sampled durations and the passes over a window of at most 1,024 iterations
(about 32 MiB of working set), whatever the chunk size.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Mapping
from concurrent.futures import Executor, as_completed
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final, cast

import attrs
import numpy as np

from pmsm_core.calendars import (
    WorkCalendar,
    from_minute_index,
    to_minute_index,
)
from pmsm_core.exceptions import ValidationError
from pmsm_core.model.estimates import (
    Distribution,
    EmpiricalEstimate,
    FixedEstimate,
    LognormalEstimate,
    ThreePointEstimate,
    UniformEstimate,
    pert_shape,
)
from pmsm_core.model.project import PercentLag, Project
from pmsm_core.scheduling import _montecarlo as mc
from pmsm_core.scheduling.compile import CompiledProject, compile_project
from pmsm_core.scheduling.network import ConstraintCode, LinkCode, Network
from pmsm_core.scheduling.results import CriticalDefinition, LagCalendar, ScheduleOptions

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "PERCENTILES",
    "ActivityRisk",
    "PertAnalysis",
    "RiskResult",
    "TargetProbability",
    "pert_analysis",
    "simulate",
]

#: The percentiles reported for every result (P5, P10, ..., P95).
PERCENTILES: Final = tuple(range(5, 100, 5))
#: Resolution of the stored finish distribution: quantiles at every 0.1 %.
QUANTILE_STEPS: Final = 1000
#: Activity values kept for the detail statistics by default (two float64 matrices).
DETAIL_VALUES: Final = 2**21
#: Largest number of iterations accepted.
MAX_ITERATIONS: Final = 10**9

Time = datetime | float


# --------------------------------------------------------------------------- time axis


def _origin(calendar: WorkCalendar, start: datetime) -> tuple[int, int]:
    table = calendar.table
    origin = table.to_working(to_minute_index(start))
    return origin, table.from_working(origin, finish=False)


def _units(start: datetime | int) -> float:
    """The start of an undated timeline (0 unless given otherwise)."""
    return 0.0 if isinstance(start, datetime) else float(start)


def _to_time(calendar: WorkCalendar | None, start: datetime | int, offset: float) -> Time:
    """A finish offset (working minutes or units after the start) as a schedule time."""
    if calendar is None or not isinstance(start, datetime):
        return float(offset) + _units(start)
    table = calendar.table
    origin, first = _origin(calendar, start)
    w = origin + math.ceil(offset)
    index = table.from_working(w, finish=True)
    if index < first:
        index = table.from_working(w, finish=False)
    return from_minute_index(index)


def _to_times(calendar: WorkCalendar | None, start: datetime | int, offsets: Any) -> list[Time]:
    values = np.asarray(offsets, dtype=np.float64)
    if calendar is None or not isinstance(start, datetime):
        base = _units(start)
        return [float(v) + base for v in values.tolist()]
    if values.size == 0:
        return []
    from pmsm_core.calendars import _index_to_datetime64

    table = calendar.table
    origin, first = _origin(calendar, start)
    w = origin + np.ceil(values).astype(np.int64)
    index = table.from_working_array(w, finish=True)
    early = index < first
    if early.any():
        index = np.where(early, table.from_working_array(w, finish=False), index)
    return list(_index_to_datetime64(index).astype("datetime64[m]").tolist())


def _to_offset(calendar: WorkCalendar | None, start: datetime | int, when: Any) -> float:
    """A schedule time as an offset from the start (the inverse of :func:`_to_time`)."""
    if isinstance(when, datetime):
        if calendar is None or not isinstance(start, datetime):
            msg = f"an undated result counts time in units; got the datetime {when.isoformat()}"
            raise ValidationError(msg, path="when")
        origin, _ = _origin(calendar, start)
        return float(calendar.table.to_working(to_minute_index(when)) - origin)
    if isinstance(when, bool) or not isinstance(when, int | float) or not math.isfinite(when):
        msg = f"expected a datetime or a number of time units, got {when!r}"
        raise ValidationError(msg, path="when")
    if calendar is not None and isinstance(start, datetime):
        msg = f"a dated result needs a datetime, got {when!r}"
        raise ValidationError(msg, path="when")
    return float(when) - _units(start)


def _check_percent(q: Any) -> float:
    if isinstance(q, bool) or not isinstance(q, int | float) or not 0 <= q <= 100:
        msg = f"a percentile is a number from 0 to 100, got {q!r}"
        raise ValidationError(msg, path="q")
    return float(q)


# --------------------------------------------------------------------------- results


@attrs.frozen
class ActivityRisk:
    """What the simulation found about one (leaf) activity.

    Attributes
    ----------
    id, name
        The activity.
    criticality
        Share of iterations in which it was critical (the criticality index), 0 to 1.
    sensitivity
        Spearman rank correlation of its duration with the project finish, -1 to 1; None
        when its duration never varies (or without detail iterations).
    mean_duration
        Mean simulated duration, risk events included (working minutes, or units).
    finish_percentiles
        Its finish at :data:`PERCENTILES` (P5, P10, ..., P95); empty without detail
        iterations.

    Examples
    --------
    >>> a = ActivityRisk("A", "Build", 0.8, 0.7, 960.0, ())
    >>> a.criticality, a.sensitivity
    (0.8, 0.7)
    """

    id: str
    name: str
    criticality: float
    sensitivity: float | None
    mean_duration: float
    finish_percentiles: tuple[datetime | float, ...] = ()


@attrs.frozen
class TargetProbability:
    """The chance of finishing by a date: the project's target finish or deadline, or an
    activity's deadline.

    Examples
    --------
    >>> print(TargetProbability("target finish", None, 40, 0.8))
    target finish 40: 80.0 %
    """

    name: str
    activity: str | None
    date: datetime | int
    probability: float

    def __str__(self) -> str:
        date = self.date
        when = date.strftime("%Y-%m-%d %H:%M") if isinstance(date, datetime) else date
        return f"{self.name} {when}: {100 * self.probability:.1f} %"


@attrs.frozen(repr=False)
class RiskResult:
    """The result of :func:`simulate`: the finish distribution and what drives it.

    Times are datetimes for dated projects and numbers of units for undated ones;
    standard deviations and durations are working minutes (units when undated).

    Attributes
    ----------
    project_id
        The project simulated.
    iterations, seed
        How many iterations, and the seed that reproduces them.
    start
        The project start (0 for undated projects).
    calendar
        The project calendar (None when undated), to turn offsets into dates.
    cpm_finish
        The finish :func:`~pmsm_core.schedule` computes with the planned durations.
    finish_quantiles
        The project finish (offset from the start, in working minutes or units) at every
        0.1 %: ``finish_quantiles[k]`` is the ``k / 10`` th percentile.
    mean_offset, std
        Mean (as an offset) and standard deviation of the project finish.
    activities
        One :class:`ActivityRisk` per leaf activity, in project order.
    targets
        The chance of meeting the target finish, the project deadline and each activity
        deadline (:class:`TargetProbability`).
    detail_iterations
        How many iterations the per-activity percentiles and sensitivities use.
    warnings
        Approximations the simulation had to make for this project.

    Examples
    --------
    >>> from pmsm_core import Activity, Dependency, Duration, Project
    >>> from pmsm_core import ThreePointEstimate as T
    >>> d = Duration
    >>> p = Project(
    ...     "P",
    ...     activities=[
    ...         Activity("A", duration=d(4), estimate=T(d(3), d(4), d(8))),
    ...         Activity("B", duration=d(6), estimate=T(d(5), d(6), d(9))),
    ...     ],
    ...     dependencies=[Dependency("A", "B")],
    ... )
    >>> r = simulate(p, 2000, seed=1)
    >>> r.cpm_finish, round(r.mean, 1), r.percentile(50) > 10
    (10, 10.8, True)
    >>> r.criticality
    {'A': 1.0, 'B': 1.0}
    """

    project_id: str
    iterations: int
    seed: int
    start: datetime | int
    calendar: WorkCalendar | None
    cpm_finish: datetime | int
    finish_quantiles: tuple[float, ...]
    mean_offset: float
    std: float
    activities: tuple[ActivityRisk, ...]
    targets: tuple[TargetProbability, ...] = ()
    detail_iterations: int = 0
    warnings: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return (
            f"RiskResult(project_id={self.project_id!r}, iterations={self.iterations}, "
            f"mean={self.mean!r}, P80={self.percentile(80)!r}, cpm_finish={self.cpm_finish!r})"
        )

    @property
    def is_dated(self) -> bool:
        """True when times are datetimes."""
        return isinstance(self.start, datetime)

    def time(self, offset: float) -> datetime | float:
        """The schedule time ``offset`` working minutes (or units) after the start: a finish
        read on the project calendar (see the module notes).

        Examples
        --------
        >>> from datetime import datetime
        >>> from pmsm_core import Activity, Duration, Project
        >>> p = Project(
        ...     "P",
        ...     start=datetime(2026, 1, 2, 8),
        ...     activities=[Activity("A", duration=Duration(480))],
        ... )
        >>> simulate(p, 10, seed=1).time(600)  # Friday's 480 minutes, then two hours on Monday
        datetime.datetime(2026, 1, 5, 10, 0)
        """
        return _to_time(self.calendar, self.start, offset)

    def offset(self, when: datetime | float) -> float:
        """The working minutes (or units) from the start to ``when``."""
        return _to_offset(self.calendar, self.start, when)

    @property
    def mean(self) -> datetime | float:
        """The mean project finish."""
        return self.time(self.mean_offset)

    @property
    def minimum(self) -> datetime | float:
        """The earliest simulated finish."""
        return self.time(self.finish_quantiles[0])

    @property
    def maximum(self) -> datetime | float:
        """The latest simulated finish."""
        return self.time(self.finish_quantiles[-1])

    def percentile_offset(self, q: float) -> float:
        """The ``q`` th percentile of the finish as an offset from the start.

        Exact (numpy's linear method over all iterations) for ``q`` in steps of 0.1;
        interpolated between those in between.
        """
        pos = _check_percent(q) * QUANTILE_STEPS / 100
        k = round(pos)
        values = self.finish_quantiles
        if abs(pos - k) < 1e-9:
            return values[k]
        lo = math.floor(pos)
        hi = min(lo + 1, QUANTILE_STEPS)
        frac = pos - lo
        return values[lo] + (values[hi] - values[lo]) * frac

    def percentile(self, q: float) -> datetime | float:
        """The project finish not exceeded in ``q`` % of the iterations (``q`` in 0..100).

        Examples
        --------
        >>> from pmsm_core import Activity, Duration, Project, UniformEstimate
        >>> d = Duration
        >>> p = Project("P", activities=[Activity("A", estimate=UniformEstimate(d(0), d(20)))])
        >>> round(simulate(p, 10_000, seed=3).percentile(80))
        16
        """
        return self.time(self.percentile_offset(q))

    @property
    def percentiles(self) -> dict[str, datetime | float]:
        """The finish at P5, P10, ..., P95, keyed ``"P5"`` ... ``"P95"``."""
        return {f"P{q}": self.percentile(q) for q in PERCENTILES}

    def probability(self, when: datetime | float) -> float:
        """The chance of finishing by ``when``, to within 0.1 percentage points.

        The project's target finish and deadlines are in :attr:`targets`, counted exactly.

        Examples
        --------
        >>> from pmsm_core import Activity, Duration, Project, UniformEstimate
        >>> p = Project(
        ...     "P", activities=[Activity("A", estimate=UniformEstimate(Duration(0), Duration(20)))]
        ... )
        >>> round(simulate(p, 10_000, seed=3).probability(5), 2)
        0.25
        """
        t = self.offset(when)
        count = int(np.searchsorted(np.asarray(self.finish_quantiles), t, side="right"))
        if count == 0:
            return 0.0
        return (count - 1) / QUANTILE_STEPS

    def _target(self, name: str) -> float | None:
        for target in self.targets:
            if target.name == name and target.activity is None:
                return target.probability
        return None

    @property
    def probability_target(self) -> float | None:
        """The chance of meeting the project's target finish (None without one)."""
        return self._target("target finish")

    @property
    def probability_deadline(self) -> float | None:
        """The chance of meeting the project's deadline (None without one)."""
        return self._target("deadline")

    @property
    def deadline_probabilities(self) -> dict[str, float]:
        """Activity id -> chance of finishing by its deadline (activities with one)."""
        return {t.activity: t.probability for t in self.targets if t.activity is not None}

    @property
    def criticality(self) -> dict[str, float]:
        """Activity id -> criticality index (share of iterations critical)."""
        return {a.id: a.criticality for a in self.activities}

    @property
    def sensitivity(self) -> dict[str, float]:
        """Activity id -> Spearman correlation of its duration with the finish, strongest
        first (the tornado order); empty without detail iterations."""
        ranked = [a for a in self.activities if a.sensitivity is not None]
        ranked.sort(key=lambda a: -abs(a.sensitivity or 0.0))
        return {a.id: float(a.sensitivity or 0.0) for a in ranked}

    def tornado(self, top: int = 10) -> tuple[tuple[str, float], ...]:
        """The ``top`` activities whose durations drive the finish most, as ``(id, rho)``.

        Examples
        --------
        >>> from pmsm_core import Activity, Dependency, Duration, Project, UniformEstimate
        >>> d = Duration
        >>> p = Project(
        ...     "P",
        ...     activities=[
        ...         Activity("A", estimate=UniformEstimate(d(0), d(20))),
        ...         Activity("B", estimate=UniformEstimate(d(4), d(6))),
        ...     ],
        ...     dependencies=[Dependency("A", "B")],
        ... )
        >>> [a for a, _ in simulate(p, 2000, seed=1).tornado()]
        ['A', 'B']
        """
        return tuple(list(self.sensitivity.items())[: max(0, top)])

    def activity(self, activity_id: str) -> ActivityRisk:
        """The :class:`ActivityRisk` of one activity.

        Raises
        ------
        KeyError
            For an id that is not a (leaf) activity of the result.
        """
        for a in self.activities:
            if a.id == activity_id:
                return a
        raise KeyError(activity_id)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data: the fields of ``pmsm risk --format json``.

        Times are ISO datetimes (dated) or numbers (undated); ``std`` is in working
        minutes (units when undated); ``percentiles`` has keys ``"P5"`` ... ``"P95"``;
        ``criticality`` and ``sensitivity`` map activity ids to numbers, the sensitivity
        strongest first.
        """

        def t(value: Any) -> Any:
            return value.isoformat(timespec="minutes") if isinstance(value, datetime) else value

        return {
            "project": self.project_id,
            "iterations": self.iterations,
            "seed": self.seed,
            "cpm_finish": t(self.cpm_finish),
            "mean": t(self.mean),
            "std": self.std,
            "percentiles": {k: t(v) for k, v in self.percentiles.items()},
            "criticality": self.criticality,
            "sensitivity": self.sensitivity,
            "targets": [
                {
                    "name": x.name,
                    "activity": x.activity,
                    "date": t(x.date),
                    "probability": x.probability,
                }
                for x in self.targets
            ],
            "warnings": list(self.warnings),
        }

    def to_dataframe(self) -> pd.DataFrame:
        """One row per activity (needs the ``pandas`` extra).

        Columns: ``name``, ``criticality``, ``sensitivity``, ``mean_duration``,
        ``deadline``, ``probability_deadline`` and the finish percentiles ``P5`` ...
        ``P95``; indexed by activity id.

        Examples
        --------
        >>> from pmsm_core import Activity, Duration, Project, UniformEstimate
        >>> p = Project(
        ...     "P",
        ...     activities=[
        ...         Activity("A", estimate=UniformEstimate(Duration(2), Duration(6))),
        ...         Activity("B", duration=Duration(3)),
        ...     ],
        ... )
        >>> simulate(p, 1000, seed=2).to_dataframe()[["criticality", "sensitivity"]].round(2)
            criticality  sensitivity
        id
        A          0.74         0.99
        B          0.26          NaN
        """
        from pmsm_core._util import require

        require("pandas", "pandas")
        import pandas as pd

        deadlines = {t.activity: t for t in self.targets if t.activity is not None}
        rows = []
        for a in self.activities:
            target = deadlines.get(a.id)
            row: dict[str, Any] = {
                "id": a.id,
                "name": a.name,
                "criticality": a.criticality,
                "sensitivity": a.sensitivity,
                "mean_duration": a.mean_duration,
                "deadline": target.date if target is not None else None,
                "probability_deadline": target.probability if target is not None else None,
            }
            for q, value in zip(PERCENTILES, a.finish_percentiles, strict=False):
                row[f"P{q}"] = value
            rows.append(row)
        columns = [
            "id",
            "name",
            "criticality",
            "sensitivity",
            "mean_duration",
            "deadline",
            "probability_deadline",
            *(f"P{q}" for q in PERCENTILES),
        ]
        frame: pd.DataFrame = pd.DataFrame(rows, columns=columns).set_index("id")
        return frame


@attrs.frozen(repr=False)
class PertAnalysis:
    """Classic PERT figures: the critical path of the expected durations and the normal
    approximation of its length.

    Expected durations are (o + 4m + p) / 6 with variance ((p - o) / 6)² for three-point
    estimates, the distribution's own mean and variance for other estimates, and the
    planned duration (no variance) without one. The project finish is taken as normal
    with the mean of the critical path (the deterministic schedule of the expected
    durations) and the sum of the variances along it; with several critical paths, the
    one with the largest variance.

    This is optimistic, a known flaw of PERT (merge bias): paths that are not critical in
    the expected schedule can run late too, and the project finishes with the latest of
    them, so the real chance of meeting a date is lower than the one given here.
    :func:`simulate` accounts for every path.

    Examples
    --------
    >>> from pmsm_core import Activity, Dependency, Duration, Project
    >>> from pmsm_core import ThreePointEstimate as T
    >>> d = Duration
    >>> p = Project(
    ...     "P",
    ...     activities=[
    ...         Activity("A", duration=d(4), estimate=T(d(2), d(4), d(12))),
    ...         Activity("B", duration=d(6), estimate=T(d(4), d(6), d(8))),
    ...     ],
    ...     dependencies=[Dependency("A", "B")],
    ... )
    >>> pert = pert_analysis(p)
    >>> pert.mean, round(pert.std, 3), pert.critical_path
    (11.0, 1.795, ('A', 'B'))
    >>> round(pert.probability(12), 3)
    0.711
    """

    project_id: str
    start: datetime | int
    calendar: WorkCalendar | None
    mean_offset: float
    std: float
    critical_path: tuple[str, ...]

    def __repr__(self) -> str:
        return (
            f"PertAnalysis(project_id={self.project_id!r}, mean={self.mean!r}, "
            f"std={self.std!r}, critical_path={self.critical_path!r})"
        )

    @property
    def mean(self) -> datetime | float:
        """The expected finish along the critical path."""
        return _to_time(self.calendar, self.start, self.mean_offset)

    def probability(self, when: datetime | float) -> float:
        """PERT's chance of finishing by ``when``: Φ((t - mean) / std) (optimistic)."""
        t = _to_offset(self.calendar, self.start, when)
        if self.std == 0:
            return 1.0 if t >= self.mean_offset else 0.0
        return statistics.NormalDist(self.mean_offset, self.std).cdf(t)

    def percentile(self, q: float) -> datetime | float:
        """The finish PERT gives ``q`` % chance of meeting (``0 < q < 100``)."""
        p = _check_percent(q)
        if self.std == 0 or p in (0.0, 100.0):
            offset = self.mean_offset
        else:
            offset = statistics.NormalDist(self.mean_offset, self.std).inv_cdf(p / 100)
        return _to_time(self.calendar, self.start, offset)


# --------------------------------------------------------------------------- compile


@attrs.define
class _Prepared:
    """A project compiled for the kernel, with what is needed to report on it."""

    project: Project
    compiled: CompiledProject
    model: mc.RiskModel
    calendar: WorkCalendar | None
    start: datetime | int
    cpm_finish: Any
    planned: np.ndarray[Any, np.dtype[np.float64]]
    warnings: list[str]
    deadline_targets: list[tuple[str, Any]]


def _prepare(
    project: Project,
    options: ScheduleOptions,
    *,
    iterations: int,
    entropy: int,
    detail: int | None,
    risk_events: bool,
    correlation: Mapping[tuple[str, str], float] | None,
) -> _Prepared:
    from pmsm_core.scheduling.schedule import _resolve_deferred, _run

    compiled = compile_project(project, options)
    times = _run(compiled, options)
    warnings: list[str] = []
    if compiled.deferred:
        _resolve_deferred(compiled, times)
        times = _run(compiled, options)
        warnings.append(
            "SS/SF links from summary activities act from the summary's earliest leaf "
            "in the CPM schedule in every iteration"
        )
    n = len(compiled.leaves)
    dated = project.start is not None
    calendar = project.calendar if dated else None
    start: datetime | int = project.start if project.start is not None else 0

    origin = (
        _origin(calendar, start)[0] if calendar is not None and isinstance(start, datetime) else 0
    )

    def offset(value: Any) -> float:
        if value is None:
            return math.nan
        if calendar is None or not isinstance(value, datetime):
            return float(value)
        return float(calendar.table.to_working(to_minute_index(value)) - origin)

    P = np.asarray(compiled.predecessors, dtype=np.intp)
    S = np.asarray(compiled.successors, dtype=np.intp)
    T = np.asarray(compiled.types, dtype=np.int64)
    planned_own = np.asarray(compiled.durations, dtype=np.float64)
    m = P.shape[0]
    lag = np.asarray(compiled.lags, dtype=np.float64)
    frac = np.zeros(m)
    for e, k in enumerate(compiled.origin):
        dep_lag = project.dependencies[k].lag
        if isinstance(dep_lag, PercentLag):
            frac[e] = dep_lag.percent / 100
    lag_num = np.ones(m)
    lag_den = np.ones(m)
    dur_num = np.ones(n)
    dur_den = np.ones(n)
    if dated and not compiled.single_calendar:
        _calibrate(compiled, times, options, offset, lag_num, lag_den, dur_num, dur_den)
        warnings.append(
            "per-activity calendars and elapsed lags are counted in project working time "
            "as they fell in the CPM schedule (see the notes of pmsm_core.simulate)"
        )
    # ---------------------------------------------------------------- ordering
    network = Network(
        np.asarray(compiled.durations, dtype=np.int64),
        P,
        S,
        T.astype(np.int8) if m else None,
        compiled.lags or None,
        ids=compiled.leaves,
    )
    level_sizes = np.diff(network._levels)
    level_of_old = np.empty(n, np.int64)
    level_of_old[network._order] = np.repeat(np.arange(level_sizes.shape[0]), level_sizes)
    indeg = np.bincount(S, minlength=n)
    old_of_new = np.lexsort((-indeg, level_of_old)).astype(np.intp)
    new_of_old = np.empty(n, np.intp)
    new_of_old[old_of_new] = np.arange(n, dtype=np.intp)
    bounds = np.concatenate([[0], np.cumsum(level_sizes)]).astype(np.intp)
    pn, sn = new_of_old[P], new_of_old[S]
    level_new = level_of_old[old_of_new]
    # backward order: the same levels, most successors first within each
    outdeg = np.bincount(pn, minlength=n)
    perm = np.lexsort((-outdeg, level_new)).astype(np.intp)
    inv_perm = np.empty(n, np.intp)
    inv_perm[perm] = np.arange(n, dtype=np.intp)
    # link constants (scaled exactly: multiply first)
    lag_eff = lag * lag_num / lag_den
    from_finish = (T == LinkCode.FS) | (T == LinkCode.FF)
    to_finish = (T == LinkCode.FF) | (T == LinkCode.SF)
    levels = _levels(
        n,
        bounds,
        level_new,
        pn,
        sn,
        inv_perm,
        from_finish,
        to_finish,
        lag_eff,
        frac,
        lag_num,
        lag_den,
    )
    # ---------------------------------------------------------------- constraints
    honor = options.honor_constraints
    ctype = np.asarray(compiled.constraint_types, dtype=np.int64)[old_of_new]
    ctime = np.array([offset(x) for x in compiled.constraint_dates], dtype=np.float64)
    ctime = ctime[old_of_new] if n else ctime
    floor = np.zeros(n)
    snet = ctype == ConstraintCode.SNET
    floor[snet] = np.maximum(0.0, ctime[snet])
    floor_var = ctype == ConstraintCode.FNET
    if not honor:
        mso = ctype == ConstraintCode.MSO
        floor[mso] = np.maximum(0.0, ctime[mso])
        floor_var |= ctype == ConstraintCode.MFO
    fv_rows = np.flatnonzero(floor_var).astype(np.intp)
    deadline_new = np.array([offset(x) for x in compiled.deadlines], dtype=np.float64)
    deadline_new = deadline_new[old_of_new] if n else deadline_new
    for level in levels:
        _level_constraints(level, ctype, ctime, ctype[perm], ctime[perm], deadline_new[perm], honor)
    alap = np.flatnonzero(ctype == ConstraintCode.ALAP).astype(np.intp)
    no_succ = np.flatnonzero(outdeg == 0).astype(np.intp)
    # ---------------------------------------------------------------- sampling
    base = planned_own[old_of_new].copy() if n else planned_own.copy()
    samplers = _samplers(project, compiled, old_of_new, base)
    events = _events(project, compiled, new_of_old) if risk_events else []
    corr_rows, corr_chol = _correlation(project, compiled, new_of_old, samplers, correlation)
    scale_rows = np.flatnonzero((dur_num != 1) | (dur_den != 1))
    deadline_rows: list[mc.IntArray] = []
    deadline_times: list[float] = []
    deadline_targets: list[tuple[str, Any]] = []
    for a in project.activities:
        if a.deadline is not None:
            rows = np.asarray(
                sorted(int(new_of_old[compiled.index[x]]) for x in project.leaves(a.id)),
                dtype=np.intp,
            )
            if rows.shape[0] == 0:
                continue
            deadline_rows.append(rows)
            deadline_times.append(offset(a.deadline))
            deadline_targets.append((a.id, a.deadline))
    if detail is None:
        detail = min(iterations, max(256, DETAIL_VALUES // max(n, 1)))
    model = mc.RiskModel(
        n=n,
        ids=[compiled.leaves[i] for i in old_of_new.tolist()],
        old_of_new=old_of_new,
        new_of_old=new_of_old,
        perm=perm,
        inv_perm=inv_perm,
        levels=levels,
        depth=len(levels),
        base=base,
        scale_rows=new_of_old[scale_rows] if scale_rows.shape[0] else None,
        scale_num=dur_num[scale_rows] if scale_rows.shape[0] else None,
        scale_den=dur_den[scale_rows] if scale_rows.shape[0] else None,
        floor=floor,
        floor_var_rows=fv_rows if fv_rows.shape[0] else None,
        floor_var_time=ctime[fv_rows] if fv_rows.shape[0] else None,
        no_successor=no_succ if no_succ.shape[0] else None,
        no_successor_back=inv_perm[no_succ] if no_succ.shape[0] else None,
        alap=alap if alap.shape[0] else None,
        alap_back=inv_perm[alap] if alap.shape[0] else None,
        samplers=samplers,
        events=events,
        corr_rows=corr_rows,
        corr_chol=corr_chol,
        deadline_rows=deadline_rows,
        deadline_time=np.asarray(deadline_times, dtype=np.float64),
        threshold=float(options.critical_threshold),
        entropy=entropy,
        iterations=iterations,
        detail=min(detail, iterations),
        honor=honor,
        multiple_critical_paths=options.multiple_critical_paths,
        fixed_rows=np.setdiff1d(
            np.arange(n, dtype=np.intp),
            np.concatenate([mc.empty_index(), *(x.rows for x in samplers)]),
        ).astype(np.intp),
        widest_slot=max(
            (x.src.shape[0] for level in levels for x in (*level.forward, *level.backward)),
            default=0,
        ),
    )
    if model.scale_rows is not None:
        order = np.argsort(model.scale_rows)
        model.scale_rows = model.scale_rows[order]
        assert model.scale_num is not None
        assert model.scale_den is not None
        model.scale_num = model.scale_num[order]
        model.scale_den = model.scale_den[order]
    if options.critical_definition is CriticalDefinition.LONGEST_PATH:
        warnings.append(
            "criticality counts total float <= the threshold; the longest-path definition "
            "is not simulated"
        )
    planned = planned_own[old_of_new] if n else planned_own
    check = mc.passes(model, planned[:, None], backward=False)
    det = check.finish[0] if n else 0.0
    cpm_finish = times.project_finish
    if n and _to_time(calendar, start, float(det)) != _as_time(cpm_finish):
        warnings.append(
            f"with planned durations the simulation finishes {_fmt(_to_time(calendar, start, det))}"
            f" instead of the CPM finish {_fmt(cpm_finish)}: per-activity calendars or "
            "elapsed lags do not map exactly onto project working time here"
        )
    return _Prepared(
        project=project,
        compiled=compiled,
        model=model,
        calendar=calendar,
        start=start,
        cpm_finish=cpm_finish,
        planned=planned,
        warnings=warnings,
        deadline_targets=deadline_targets,
    )


def _as_time(value: Any) -> Any:
    return value if isinstance(value, datetime) else float(value)


def _fmt(value: Any) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return f"{value:g}"


def _calibrate(
    compiled: CompiledProject,
    times: Any,
    options: ScheduleOptions,
    offset: Callable[[Any], float],
    lag_num: np.ndarray[Any, Any],
    lag_den: np.ndarray[Any, Any],
    dur_num: np.ndarray[Any, Any],
    dur_den: np.ndarray[Any, Any],
) -> None:
    """Project working minutes that other calendars and elapsed lags take in the CPM
    schedule: durations and lags are scaled by ``num / den`` in the simulation."""
    project = compiled.project
    assert compiled.calendars is not None
    first = project.calendar
    for i, cal in enumerate(compiled.calendars):
        d = compiled.durations[i]
        if cal is first or d == 0:
            continue
        dur_num[i] = offset(times.ef[i]) - offset(times.es[i])
        dur_den[i] = d
    lag_mode = options.lag_calendar
    for e, minutes in enumerate(compiled.lags):
        if minutes == 0:
            continue
        p, s = compiled.predecessors[e], compiled.successors[e]
        elapsed = compiled.lag_elapsed[e] or lag_mode is LagCalendar.ELAPSED
        if lag_mode is LagCalendar.SUCCESSOR:
            cal = compiled.calendars[s]
        elif lag_mode is LagCalendar.PREDECESSOR:
            cal = compiled.calendars[p]
        else:
            cal = first
        if not elapsed and cal is first:
            continue
        anchor = times.ef[p] if compiled.types[e] in (LinkCode.FS, LinkCode.FF) else times.es[p]
        at = to_minute_index(anchor)
        if elapsed:
            moved = at + minutes
        else:
            table = cal.table
            moved = table.from_working(table.to_working(at) + minutes, finish=True)
        lag_num[e] = offset(from_minute_index(moved)) - offset(anchor)
        lag_den[e] = minutes


def _levels(
    n: int,
    bounds: Any,
    level_new: Any,
    pn: Any,
    sn: Any,
    inv_perm: Any,
    from_finish: Any,
    to_finish: Any,
    lag_eff: Any,
    frac: Any,
    lag_num: Any,
    lag_den: Any,
) -> list[mc.Level]:
    """Slots of the forward pass (forward rows) and backward pass (backward rows)."""
    m = pn.shape[0]
    levels = [mc.Level(int(bounds[k]), int(bounds[k + 1]), [], []) for k in range(len(bounds) - 1)]
    if m == 0:
        return levels
    link_ids = np.arange(m)

    def slots(key_rows: Any) -> list[tuple[int, Any]]:
        # rank of each link within its group (the activity it updates): its slot
        order = np.lexsort((link_ids, key_rows))
        rows_sorted = key_rows[order]
        first = np.ones(m, dtype=bool)
        first[1:] = rows_sorted[1:] != rows_sorted[:-1]
        group_start = np.maximum.accumulate(np.where(first, np.arange(m), 0))
        slot = np.empty(m, np.int64)
        slot[order] = np.arange(m) - group_start
        lev = level_new[key_rows] if key_rows is sn else level_back[key_rows]
        order2 = np.lexsort((key_rows, slot, lev))
        keys = lev[order2] * (m + 1) + slot[order2]
        cut = np.flatnonzero(np.diff(keys)) + 1
        return [(int(lev[g[0]]), g) for g in np.split(order2, cut)]

    level_back = level_new  # both orders keep the levels in place
    pb, sb = inv_perm[pn], inv_perm[sn]
    for k, links in slots(sn):
        level = levels[k]
        rows = sn[links].astype(np.intp)
        if rows[0] != level.lo or rows[-1] != level.lo + rows.shape[0] - 1:  # pragma: no cover
            msg = "internal error: forward slots must be prefixes of their level"
            raise AssertionError(msg)
        src = (pn[links] + n * from_finish[links]).astype(np.intp)
        level.forward.append(
            _slot(rows, src, links, to_finish, sn, lag_eff, frac, pn, lag_num, lag_den)
        )
    for k, links in slots(pb):
        level = levels[k]
        rows = pb[links].astype(np.intp)
        if rows[0] != level.lo or rows[-1] != level.lo + rows.shape[0] - 1:  # pragma: no cover
            msg = "internal error: backward slots must be prefixes of their level"
            raise AssertionError(msg)
        src = (sb[links] + n * to_finish[links]).astype(np.intp)
        level.backward.append(
            _slot(rows, src, links, ~from_finish, pb, lag_eff, frac, pn, lag_num, lag_den)
        )
    return levels


def _slot(
    rows: Any,
    src: Any,
    links: Any,
    sub_flag: Any,
    sub_of: Any,
    lag_eff: Any,
    frac: Any,
    pn: Any,
    lag_num: Any,
    lag_den: Any,
) -> mc.Slot:
    lag = lag_eff[links].copy()
    pct = np.flatnonzero(frac[links] != 0).astype(np.intp)
    if pct.shape[0]:
        lag[pct] = 0.0
    sub = np.flatnonzero(sub_flag[links]).astype(np.intp)
    return mc.Slot(
        rows=rows,
        src=src,
        lag=lag[:, None] if np.any(lag != 0) else None,
        sub_d=sub if sub.shape[0] else None,
        sub_rows=sub_of[links][sub].astype(np.intp) if sub.shape[0] else None,
        sub_all=sub.shape[0] == rows.shape[0],
        pct_pos=pct if pct.shape[0] else None,
        pct_frac=frac[links][pct] if pct.shape[0] else None,
        pct_pred=pn[links][pct].astype(np.intp) if pct.shape[0] else None,
        pct_num=lag_num[links][pct] if pct.shape[0] else None,
        pct_den=lag_den[links][pct] if pct.shape[0] else None,
    )


def _level_constraints(
    level: mc.Level,
    ctype: Any,
    ctime: Any,
    ctype_back: Any,
    ctime_back: Any,
    deadline_back: Any,
    honor: bool,
) -> None:
    """Constraint operations of one level: early-start ones in forward rows, late-finish
    ones in backward rows."""
    lo, hi = level.lo, level.hi
    rows = np.arange(lo, hi, dtype=np.intp)

    def pick(mask: Any, minus_d: Any, times: Any) -> tuple[Any, Any, Any]:
        if not mask.any():
            return None, None, None
        return rows[mask], times[mask], minus_d[mask]

    kind, t = ctype[lo:hi], ctime[lo:hi]
    is_finish = (kind == ConstraintCode.FNLT) | (kind == ConstraintCode.MFO)
    if honor:
        caps = (kind == ConstraintCode.SNLT) | (kind == ConstraintCode.FNLT)
        level.cap_rows, level.cap_time, level.cap_sub_d = pick(caps, is_finish, t)
        fixed = (kind == ConstraintCode.MSO) | (kind == ConstraintCode.MFO)
        level.fix_rows, level.fix_time, level.fix_sub_d = pick(fixed, is_finish, t)
    kind, t = ctype_back[lo:hi], ctime_back[lo:hi]
    is_start = (kind == ConstraintCode.SNLT) | (kind == ConstraintCode.MSO)
    lcaps = (kind == ConstraintCode.SNLT) | (kind == ConstraintCode.FNLT)
    level.lcap_rows, level.lcap_time, level.lcap_sub_d = pick(lcaps, is_start, t)
    dl = deadline_back[lo:hi]
    has_dl = ~np.isnan(dl)
    level.ldl_rows, level.ldl_time, level.ldl_sub_d = pick(has_dl, ~has_dl, dl)
    sets = (kind == ConstraintCode.MSO) | (kind == ConstraintCode.MFO)
    level.lset_rows, level.lset_time, level.lset_sub_d = pick(sets, is_start, t)


def _samplers(
    project: Project, compiled: CompiledProject, old_of_new: Any, base: Any
) -> list[mc.Sampler]:
    groups: dict[str, list[tuple[int, Any]]] = {}
    for row, old in enumerate(old_of_new.tolist()):
        estimate = project.activity(compiled.leaves[old]).estimate
        if estimate is None:
            continue
        if isinstance(estimate, FixedEstimate):
            base[row] = estimate.duration.minutes
            continue
        groups.setdefault(estimate.kind.value, []).append((row, estimate))
    out: list[mc.Sampler] = []
    for kind in Distribution:
        items = groups.get(kind.value)
        if not items:
            continue
        rows = np.asarray([r for r, _ in items], dtype=np.intp)
        if kind in (Distribution.TRIANGULAR, Distribution.PERT):
            three = [e for _, e in items if isinstance(e, ThreePointEstimate)]
            o = np.asarray([e.optimistic.minutes for e in three], dtype=np.float64)
            ml = np.asarray([e.most_likely.minutes for e in three], dtype=np.float64)
            p = np.asarray([e.pessimistic.minutes for e in three], dtype=np.float64)
            if kind is Distribution.TRIANGULAR:
                w = p - o
                cut = np.divide(ml - o, w, out=np.zeros_like(w), where=w > 0)
                table = np.stack([w * (ml - o), w * (p - ml), cut], axis=1)
                out.append(mc.Sampler("triangular", rows, o, ml, p, table=table))
            else:
                shapes = [pert_shape(a, b, c) for a, b, c in zip(o, ml, p, strict=True)]
                alpha = np.asarray([s[0] for s in shapes])
                beta = np.asarray([s[1] for s in shapes])
                out.append(mc.Sampler("pert", rows, alpha, beta, p - o, table=o[:, None]))
        elif kind is Distribution.UNIFORM:
            uni = [e for _, e in items if isinstance(e, UniformEstimate)]
            low = np.asarray([e.low.minutes for e in uni], dtype=np.float64)
            high = np.asarray([e.high.minutes for e in uni], dtype=np.float64)
            out.append(mc.Sampler("uniform", rows, low, high, high))
        elif kind is Distribution.LOGNORMAL:
            logs = [e.log_parameters for _, e in items if isinstance(e, LognormalEstimate)]
            mu = np.asarray([x[0] for x in logs])
            sigma = np.asarray([x[1] for x in logs])
            out.append(mc.Sampler("lognormal", rows, mu, sigma, sigma))
        elif kind is Distribution.EMPIRICAL:
            emp = [e for _, e in items if isinstance(e, EmpiricalEstimate)]
            width = max(len(e.samples) for e in emp)
            table = np.zeros((len(emp), width))
            for i, e in enumerate(emp):
                table[i, : len(e.samples)] = [s.minutes for s in e.samples]
            sizes = np.asarray([len(e.samples) for e in emp], dtype=np.float64)
            out.append(mc.Sampler("empirical", rows, sizes, sizes, sizes, table, sizes))
    return out


def _events(project: Project, compiled: CompiledProject, new_of_old: Any) -> list[mc.RiskEvent]:
    out: list[mc.RiskEvent] = []
    for risk in project.risks:
        add = risk.schedule_impact.minutes if risk.schedule_impact is not None else 0
        factor = risk.schedule_factor if risk.schedule_factor is not None else 1.0
        if risk.probability <= 0 or not risk.affected_activities or (add == 0 and factor == 1):
            continue
        leaves = {x for ref in risk.affected_activities for x in project.leaves(ref)}
        rows = sorted(int(new_of_old[compiled.index[x]]) for x in leaves)
        if rows:
            out.append(
                mc.RiskEvent(
                    float(risk.probability), np.asarray(rows, np.intp), float(factor), float(add)
                )
            )
    return out


def _correlation(
    project: Project,
    compiled: CompiledProject,
    new_of_old: Any,
    samplers: list[mc.Sampler],
    correlation: Mapping[tuple[str, str], float] | None,
) -> tuple[Any, Any]:
    if not correlation:
        return None, None
    if not isinstance(cast(object, correlation), Mapping):
        msg = f"correlation must map (activity, activity) pairs to numbers, got {correlation!r}"
        raise ValidationError(msg, path="correlation")
    sampled = {int(r) for s in samplers for r in s.rows.tolist()}
    pairs: dict[tuple[int, int], float] = {}
    items: list[tuple[Any, Any]] = list(correlation.items())
    for key, value in items:
        where = f"correlation[{key!r}]"
        if not (isinstance(key, tuple) and len(key) == 2 and all(isinstance(k, str) for k in key)):
            msg = f"keys are pairs of activity ids, got {key!r}"
            raise ValidationError(msg, path=where)
        if isinstance(value, bool) or not isinstance(value, int | float) or not -1 <= value <= 1:
            msg = f"a rank correlation from -1 to 1, got {value!r}"
            raise ValidationError(msg, path=where)
        a, b = key
        if a == b:
            msg = "an activity is not correlated with itself"
            raise ValidationError(msg, path=where)
        rows = []
        for ref in (a, b):
            if ref not in compiled.index:
                what = "a summary" if ref in project else "an unknown activity"
                msg = f"{ref!r} is {what}; correlate leaf activities"
                raise ValidationError(msg, path=where)
            row = int(new_of_old[compiled.index[ref]])
            if row not in sampled:
                msg = (
                    f"activity {ref!r} has no uncertain duration (give it an "
                    "estimate other than a fixed one)"
                )
                raise ValidationError(msg, path=where)
            rows.append(row)
        pair = (min(rows), max(rows))
        if pair in pairs and pairs[pair] != float(value):
            msg = f"the pair {a!r}, {b!r} is given twice with different values"
            raise ValidationError(msg, path=where)
        pairs[pair] = float(value)
    involved = sorted({r for pair in pairs for r in pair})
    pos = {r: i for i, r in enumerate(involved)}
    k = len(involved)
    target = np.eye(k)
    for (r1, r2), rho in pairs.items():
        target[pos[r1], pos[r2]] = target[pos[r2], pos[r1]] = mc.spearman_to_pearson(rho)
    try:
        chol = np.linalg.cholesky(target)
    except np.linalg.LinAlgError:
        low = float(np.linalg.eigvalsh(target).min())
        msg = (
            "the correlations are inconsistent: the matrix is not positive definite "
            f"(smallest eigenvalue {low:.3f}); weaken some of them"
        )
        raise ValidationError(msg, path="correlation") from None
    return np.asarray(involved, dtype=np.intp), chol


# --------------------------------------------------------------------------- simulate


def _check_int(value: Any, name: str, low: int, high: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        msg = f"{name} must be a whole number, got {value!r}"
        raise ValidationError(msg, path=name)
    number = int(value)
    if number < low or (high is not None and number > high):
        bound = f">= {low}" if high is None else f"from {low} to {high}"
        msg = f"{name} must be {bound}, got {number}"
        raise ValidationError(msg, path=name)
    return number


def _fresh_entropy() -> int:
    """128 bits of fresh entropy (what ``SeedSequence()`` draws)."""
    entropy = np.random.SeedSequence().entropy
    return int(entropy) if isinstance(entropy, int) else int(np.asarray(entropy).ravel()[0])


def simulate(
    project: Project,
    iterations: int = 10_000,
    *,
    seed: int | None = None,
    executor: Executor | None = None,
    chunk_size: int | None = None,
    options: ScheduleOptions | None = None,
    correlation: Mapping[tuple[str, str], float] | None = None,
    risk_events: bool = True,
    detail_iterations: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> RiskResult:
    """Monte Carlo schedule risk analysis: simulate the project ``iterations`` times.

    Each iteration draws every activity's duration from its estimate (activities without
    one keep their planned duration), applies the risk events of the risk register and
    runs the forward and backward passes of the critical-path method; see the module
    notes for the exact rules.

    Parameters
    ----------
    project
        A dated or undated project; estimates on its activities, risks in its register.
    iterations
        Number of iterations.
    seed
        A non-negative integer for reproducible results; fresh entropy when None (the
        result's ``seed`` then reproduces it).
    executor
        A :class:`concurrent.futures.Executor` to run chunks on, e.g. a
        ``ProcessPoolExecutor`` or dask.distributed's ``Client.get_executor()``; in this
        process when None.
    chunk_size
        Iterations per chunk, rounded up to whole blocks of 1,024 (by default a sixteenth
        of the work with an executor, a twentieth without, at most 65,536). The results
        do not depend on it.
    options
        :class:`~pmsm_core.ScheduleOptions` (constraints, critical threshold, lag
        calendar, multiple critical paths), as for :func:`~pmsm_core.schedule`.
    correlation
        Target Spearman rank correlations between activity durations,
        ``{("A", "B"): 0.6, ...}``; the activities need uncertain estimates.
    risk_events
        Apply the risk register (True by default); False simulates estimates only.
    detail_iterations
        Iterations used for per-activity finish percentiles and sensitivities (the first
        ones; by default all of them up to about four million activity values, at least
        256); 0 skips them.
    progress
        Called as ``progress(done, total)`` (iterations) after each chunk.

    Returns
    -------
    RiskResult
        Finish distribution, target and deadline probabilities, criticality and
        sensitivity per activity.

    Raises
    ------
    ValidationError
        For bad arguments: iterations, seed, chunk size or correlations.
    CycleError
        If the dependencies contain a cycle.

    Examples
    --------
    >>> from pmsm_core import Activity, Dependency, Duration, Project
    >>> from pmsm_core import ThreePointEstimate as T
    >>> d = Duration
    >>> p = Project(
    ...     "P",
    ...     activities=[
    ...         Activity("A", duration=d(4), estimate=T(d(2), d(4), d(12))),
    ...         Activity("B", duration=d(6), estimate=T(d(4), d(6), d(8))),
    ...         Activity("C", duration=d(9), estimate=T(d(8), d(9), d(10))),
    ...     ],
    ...     dependencies=[Dependency("A", "B")],
    ... )
    >>> r = simulate(p, 10_000, seed=7)
    >>> r.cpm_finish, round(r.mean, 1), round(r.std, 1)
    (10, 11.1, 1.8)
    >>> r.percentile(80) > r.percentile(50) > r.cpm_finish
    True
    >>> r.criticality
    {'A': 0.85..., 'B': 0.85..., 'C': 0.14...}
    >>> [(a, round(rho, 1)) for a, rho in r.tornado(2)]
    [('A', 0.9), ('B', 0.4)]
    """
    if not isinstance(cast(object, project), Project):
        msg = f"expected a Project, got {type(project).__name__}"
        raise ValidationError(msg, path="project")
    iterations = _check_int(iterations, "iterations", 1, MAX_ITERATIONS)
    entropy = _fresh_entropy() if seed is None else _check_int(seed, "seed", 0)
    if chunk_size is not None:
        chunk_size = _check_int(chunk_size, "chunk_size", 1)
    if detail_iterations is not None:
        detail_iterations = _check_int(detail_iterations, "detail_iterations", 0)
    if executor is not None and not isinstance(cast(object, executor), Executor):
        msg = f"executor must be a concurrent.futures.Executor, got {type(executor).__name__}"
        raise ValidationError(msg, path="executor")
    options = options or ScheduleOptions()
    prepared = _prepare(
        project,
        options,
        iterations=iterations,
        entropy=entropy,
        detail=detail_iterations,
        risk_events=risk_events,
        correlation=correlation,
    )
    model = prepared.model
    blocks = model.blocks
    if chunk_size is not None:
        per_chunk = -(-chunk_size // mc.BLOCK)
    elif executor is None:
        per_chunk = max(1, min(64, -(-blocks // 20)))  # about 20 progress reports
    else:
        per_chunk = max(1, min(64, -(-blocks // 16)))
    plan = mc.chunk_plan(blocks, per_chunk)
    results: list[mc.ChunkResult] = []
    done = 0
    if executor is None:
        for b0, b1 in plan:
            chunk = mc.run_chunk(model, b0, b1)
            results.append(chunk)
            done += chunk.finishes.shape[0]
            if progress is not None:
                progress(done, iterations)
    else:
        futures = [executor.submit(mc.run_chunk, model, b0, b1) for b0, b1 in plan]
        try:
            for future in as_completed(futures):
                chunk = future.result()
                results.append(chunk)
                done += chunk.finishes.shape[0]
                if progress is not None:
                    progress(done, iterations)
        finally:
            for future in futures:
                future.cancel()
    return _summarise(prepared, results, entropy)


def _summarise(prepared: _Prepared, results: list[mc.ChunkResult], entropy: int) -> RiskResult:
    model = prepared.model
    project = prepared.project
    n, N = model.n, model.iterations
    results.sort(key=lambda r: r.first_block)
    finishes = np.empty(N)
    critical = np.zeros(n, np.int64)
    met = np.zeros(len(model.deadline_rows), np.int64)
    sums = np.zeros((model.blocks, n))
    detail_d = []
    detail_f = []
    for r in results:
        at = r.first_block * mc.BLOCK
        finishes[at : at + r.finishes.shape[0]] = r.finishes
        critical += r.critical
        met += r.deadlines_met
        sums[r.first_block : r.first_block + r.duration_sums.shape[0]] = r.duration_sums
        if r.detail_durations.shape[1]:
            detail_d.append(r.detail_durations)
            detail_f.append(r.detail_finishes)
            r.detail_durations = r.detail_finishes = np.empty((n, 0))
    calendar, start = prepared.calendar, prepared.start
    quantiles = np.quantile(finishes, np.arange(QUANTILE_STEPS + 1) / QUANTILE_STEPS)
    mean = float(finishes.mean())
    std = float(finishes.std(ddof=1)) if N > 1 else 0.0
    mean_duration = sums.sum(axis=0) / N
    S = model.detail
    if S and n:
        dd = detail_d[0] if len(detail_d) == 1 else np.concatenate(detail_d, axis=1)
        df = detail_f[0] if len(detail_f) == 1 else np.concatenate(detail_f, axis=1)
        del detail_d, detail_f
        rho = mc.spearman(dd, finishes[:S]).tolist()
        varies = (dd.max(axis=1) > dd.min(axis=1)).tolist()
        sens: list[float | None] = [
            float(x) if v else None for x, v in zip(rho, varies, strict=True)
        ]
        pct = mc.row_percentiles(df, PERCENTILES)  # (rows, percentiles)
        times = _to_times(calendar, start, pct.ravel())
        k = len(PERCENTILES)
        finish_pct = [tuple(times[r * k : (r + 1) * k]) for r in range(n)]
    else:
        sens = [None] * n
        finish_pct = [()] * n
    by_id = {aid: row for row, aid in enumerate(model.ids)}
    activities = []
    for aid in prepared.compiled.leaves:
        row = by_id[aid]
        activities.append(
            ActivityRisk(
                id=aid,
                name=project.activity(aid).name,
                criticality=float(critical[row]) / N,
                sensitivity=sens[row],
                mean_duration=float(mean_duration[row]),
                finish_percentiles=finish_pct[row],
            )
        )
    targets = []
    tc = project.triple_constraint
    for name, value in (("target finish", tc.target_finish), ("deadline", tc.deadline)):
        if value is not None:
            t = _to_offset(calendar, start, value)
            targets.append(TargetProbability(name, None, value, float((finishes <= t).sum()) / N))
    for (aid, when), count in zip(prepared.deadline_targets, met.tolist(), strict=True):
        targets.append(TargetProbability("deadline", aid, when, count / N))
    return RiskResult(
        project_id=project.id,
        iterations=N,
        seed=entropy,
        start=start,
        calendar=calendar,
        cpm_finish=prepared.cpm_finish,
        finish_quantiles=tuple(float(x) for x in quantiles.tolist()),
        mean_offset=mean,
        std=std,
        activities=tuple(activities),
        targets=tuple(targets),
        detail_iterations=S,
        warnings=tuple(prepared.warnings),
    )


# --------------------------------------------------------------------------- PERT


def pert_analysis(project: Project, *, options: ScheduleOptions | None = None) -> PertAnalysis:
    """Classic PERT: expected durations, their critical path, and a normal approximation.

    See :class:`PertAnalysis` for the formulas and the known optimism (merge bias).

    Parameters
    ----------
    project
        A dated or undated project with estimates on (some of) its activities.
    options
        :class:`~pmsm_core.ScheduleOptions`, as for :func:`~pmsm_core.schedule`.

    Returns
    -------
    PertAnalysis
        Expected finish, standard deviation and critical path.

    Examples
    --------
    Two identical parallel paths: PERT gives an even chance of finishing by the expected
    date, the simulation about one in four (both paths must make it):

    >>> from pmsm_core import Activity, Duration, Project
    >>> from pmsm_core import ThreePointEstimate as T
    >>> d = Duration
    >>> p = Project(
    ...     "P",
    ...     activities=[
    ...         Activity("A", duration=d(10), estimate=T(d(6), d(10), d(14))),
    ...         Activity("B", duration=d(10), estimate=T(d(6), d(10), d(14))),
    ...     ],
    ... )
    >>> pert = pert_analysis(p)
    >>> pert.mean, pert.probability(10)
    (10.0, 0.5)
    >>> round(simulate(p, 20_000, seed=1).probability(10), 2)
    0.25
    """
    if not isinstance(cast(object, project), Project):
        msg = f"expected a Project, got {type(project).__name__}"
        raise ValidationError(msg, path="project")
    options = options or ScheduleOptions()
    prepared = _prepare(
        project,
        options,
        iterations=1,
        entropy=0,
        detail=0,
        risk_events=False,
        correlation=None,
    )
    model = prepared.model
    n = model.n
    mean = prepared.planned.copy()
    var = np.zeros(n)
    for row, aid in enumerate(model.ids):
        estimate = project.activity(aid).estimate
        if isinstance(estimate, ThreePointEstimate):
            mean[row] = estimate.pert_mean
            var[row] = estimate.pert_std**2
        elif estimate is not None:
            mean[row] = estimate.mean_minutes
            var[row] = estimate.std_minutes**2
    calendar, start = prepared.calendar, prepared.start
    if n == 0:
        return PertAnalysis(project.id, start, calendar, 0.0, 0.0, ())
    result = mc.passes(model, mean[:, None])
    assert result.total_float is not None
    es = result.early[:n, 0]
    ef = result.early[n:, 0]
    finish = float(result.finish[0])
    tol = 1e-9 * (1 + abs(finish))
    critical = result.total_float_forward(model)[:, 0] <= model.threshold + tol
    d = mc.effective(model, mean[:, None])[:, 0]
    # driving links between critical activities, recomputed per forward slot
    preds: list[list[int]] = [[] for _ in range(n)]
    source = result.early[:, 0] if model.alap is None else _placed_source(result, model)
    for level in model.levels:
        for slot in level.forward:
            cand = source[slot.src].copy()
            if slot.lag is not None:
                cand += slot.lag[:, 0]
            if slot.pct_pos is not None:
                cand[slot.pct_pos] += mc.pct_lags(slot, mean[:, None])[:, 0]
            if slot.sub_d is not None and slot.sub_rows is not None:
                cand[slot.sub_d] -= d[slot.sub_rows]
            for i, row in enumerate(slot.rows.tolist()):
                p = int(slot.src[i]) % n
                if critical[row] and critical[p] and abs(cand[i] - es[row]) <= tol:
                    preds[row].append(p)
    best = np.zeros(n)
    back = [-1] * n
    for row in range(n):  # rows are in topological order
        if critical[row]:
            before = max(preds[row], key=lambda p: (best[p], -p), default=-1)
            best[row] = var[row] + (best[before] if before >= 0 else 0.0)
            back[row] = before
    ends = [r for r in range(n) if critical[r] and abs(ef[r] - finish) <= tol]
    if not ends:  # pragma: no cover - a finish is always reached by some activity
        ends = [int(np.argmax(ef))]
    end = max(ends, key=lambda r: (best[r], -r))
    path = []
    node = end
    while node != -1:
        path.append(model.ids[node])
        node = back[node]
    path.reverse()
    return PertAnalysis(
        project_id=project.id,
        start=start,
        calendar=calendar,
        mean_offset=finish,
        std=math.sqrt(max(0.0, float(best[end]))),
        critical_path=tuple(path),
    )


def _placed_source(result: mc.PassResult, model: mc.RiskModel) -> Any:
    """Link sources of the ALAP pass: late dates of ALAP activities, early ones otherwise."""
    n = model.n
    source = result.early[:, 0].copy()
    assert result.late is not None
    assert model.alap is not None
    assert model.alap_back is not None
    source[model.alap] = result.late[model.alap_back, 0]
    source[n + model.alap] = result.late[n + model.alap_back, 0]
    return source
