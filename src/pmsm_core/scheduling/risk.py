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
  (the longest-path definition is not simulated).
* **Progress** follows the rules of :func:`~pmsm_core.schedule`
  (:mod:`pmsm_core.scheduling.progress`), once some activity has an actual start.
  *Complete* activities stay at their actual dates in every iteration: their duration
  does not vary, risk events pass them by and they are never critical. Activities *in
  progress* keep their actual start; their remaining work starts where the schedule
  resumes it (the status date, or straight after the work done). An uncertain estimate
  describes the whole duration: each iteration draws a total and keeps the remaining
  share of it, ``remaining = sampled total * remaining / planned`` (the relative spread
  stays, the absolute one shrinks as work gets done); without an estimate, with a fixed
  one or with a planned duration of 0 the remaining duration is exact. Risk events act on
  the remaining work (``remaining * factor + impact``) and total float is finish float.
  *Unstarted* work starts no earlier than the status date. Links into started activities
  act in neither pass, SS and SF links from activities in progress count from the actual
  start, and percent lags from started activities keep their planned length. Mean
  durations report work done plus remaining work (the duration schedule() reports).
  Actual finishes are read on the project calendar like any finish: one recorded outside
  working time reads at the end of the working period before it.

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
from pmsm_core.scheduling import progress as _progress
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


def _to_time(
    calendar: WorkCalendar | None,
    start: datetime | int,
    offset: float,
    *,
    early_finish: bool = False,
) -> Time:
    """A finish offset (working minutes or units after the start) as a schedule time.

    A finish is read at the end of the previous working period; one that would read
    before the project start reads at the next working instant (as :func:`~pmsm_core.schedule`
    reads milestones) unless ``early_finish`` (as it reads activities with a duration).
    """
    if calendar is None or not isinstance(start, datetime):
        return float(offset) + _units(start)
    table = calendar.table
    origin, first = _origin(calendar, start)
    w = origin + math.ceil(offset)
    index = table.from_working(w, finish=True)
    if index < first and not early_finish:
        index = table.from_working(w, finish=False)
    return from_minute_index(index)


def _to_times(
    calendar: WorkCalendar | None,
    start: datetime | int,
    offsets: Any,
    *,
    early_finish: Any = False,
) -> list[Time]:
    """:func:`_to_time` of many offsets (``early_finish`` a flag or one per offset)."""
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
    early = (index < first) & ~np.asarray(early_finish, dtype=bool)
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

    @property
    def _early_finish(self) -> bool:
        """True when the CPM finish reads before the project start (activities with a
        duration finishing there, see :func:`_to_time`): iterations read alike."""
        cpm, calendar, start = self.cpm_finish, self.calendar, self.start
        if not (isinstance(cpm, datetime) and isinstance(start, datetime) and calendar):
            return False
        return to_minute_index(cpm) < _origin(calendar, start)[1]

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
        return _to_time(self.calendar, self.start, offset, early_finish=self._early_finish)

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

    Projects in progress are scheduled as :func:`~pmsm_core.schedule` does (status date,
    actual dates). Complete work is fixed, with no variance, and never on the critical
    path; work in progress counts with the remaining share of its estimate (mean and
    standard deviation times remaining / planned duration, as :func:`simulate` draws it);
    started work without an uncertain estimate keeps its remaining duration exactly.

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

    def to_dataframe(self) -> pd.DataFrame:
        """The PERT finish distribution as a pandas DataFrame (needs the ``pandas`` extra).

        One row per percentile of :data:`PERCENTILES` (5, 10, ..., 95), indexed by
        ``percentile``: ``finish`` is :meth:`percentile` (datetimes for dated projects,
        time units otherwise) and ``probability`` is :meth:`probability` of that finish
        (at least the percentile; a little more when the finish rounds up to a whole
        minute). PERT keeps no per-activity figures: the activities are those of
        ``critical_path``.

        Returns
        -------
        pandas.DataFrame

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
        >>> pert_analysis(p).to_dataframe().loc[[5, 50, 95]].round(3)
                    finish  probability
        percentile
        5            8.047         0.05
        50          11.000         0.50
        95          13.953         0.95
        """
        from pmsm_core._util import require

        require("pandas", "pandas")
        import pandas as pd

        rows = []
        for q in PERCENTILES:
            finish = self.percentile(q)
            rows.append(
                {"percentile": q, "finish": finish, "probability": self.probability(finish)}
            )
        frame: pd.DataFrame = pd.DataFrame(
            rows, columns=["percentile", "finish", "probability"]
        ).set_index("percentile")
        return frame


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
    #: per row (forward order): the activity has an actual start
    started: np.ndarray[Any, np.dtype[np.bool_]] = attrs.field(factory=lambda: np.zeros(0, bool))


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
    # progress as schedule() plans it (pmsm_core.scheduling.progress): the deterministic
    # schedule below is schedule()'s, and the model follows the same rules
    compiled.progress = _progress.plan_progress(compiled, options)
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

    P_all = np.asarray(compiled.predecessors, dtype=np.intp)
    S_all = np.asarray(compiled.successors, dtype=np.intp)
    T_all = np.asarray(compiled.types, dtype=np.int64)
    planned_own = np.asarray(compiled.durations, dtype=np.float64)
    lag = np.asarray(compiled.lags, dtype=np.float64)
    frac = np.zeros(P_all.shape[0])
    for e, k in enumerate(compiled.origin):
        dep_lag = project.dependencies[k].lag
        if isinstance(dep_lag, PercentLag):
            frac[e] = dep_lag.percent / 100
    actuals = _actuals(compiled, calendar, origin, offset)
    # percent lags from started work keep their planned length (as in schedule())
    frac[actuals.state[P_all] != _progress.NOT_STARTED] = 0.0
    lag_num = np.ones(P_all.shape[0])
    lag_den = np.ones(P_all.shape[0])
    dur_num = np.ones(n)
    dur_den = np.ones(n)
    if dated and not compiled.single_calendar:
        _calibrate(compiled, times, options, offset, lag_num, lag_den, dur_num, dur_den)
        actuals.calibrate(times, offset, dur_num, dur_den)
        warnings.append(
            "per-activity calendars and elapsed lags are counted in project working time "
            "as they fell in the CPM schedule (see the notes of pmsm_core.simulate)"
        )
    lag_eff_all = lag * lag_num / lag_den  # scaled exactly: multiply first
    # links into started work act in neither pass; SS/SF links from work in progress
    # become earliest starts of their successors (progress.link_modes)
    floor_const, floor_var_old = actuals.link_floors(compiled, offset, lag_eff_all)
    keep = actuals.keep
    P, S, T = P_all[keep], S_all[keep], T_all[keep]
    m = P.shape[0]
    # ---------------------------------------------------------------- ordering
    network = Network(
        np.asarray(compiled.durations, dtype=np.int64),
        P,
        S,
        T.astype(np.int8) if m else None,
        None,
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
    # link constants
    lag_eff = lag_eff_all[keep]
    frac, lag_num, lag_den = frac[keep], lag_num[keep], lag_den[keep]
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
    # progress: started work at its actual start (or where its remaining work resumes),
    # unstarted work not before the status date and its SS/SF links from work in progress
    state = actuals.state[old_of_new] if n else actuals.state
    np.maximum(floor, floor_const[old_of_new] if n else floor_const, out=floor)
    started = state != _progress.NOT_STARTED
    floor[started] = actuals.start[old_of_new][started]
    fv_time = np.full(n, -np.inf)
    fv_time[floor_var] = ctime[floor_var]
    if n:
        np.maximum(fv_time, floor_var_old[old_of_new], out=fv_time)
    fv_rows = np.flatnonzero(np.isfinite(fv_time)).astype(np.intp)
    deadline_new = np.array([offset(x) for x in compiled.deadlines], dtype=np.float64)
    deadline_new = deadline_new[old_of_new] if n else deadline_new
    for level in levels:
        _level_constraints(level, ctype, ctime, ctype[perm], ctime[perm], deadline_new[perm], honor)
    alap = np.flatnonzero(ctype == ConstraintCode.ALAP).astype(np.intp)
    # without successors: counting links into started work, as schedule()'s engines do
    all_out = np.bincount(new_of_old[P_all], minlength=n) if n else np.zeros(0, np.int64)
    no_succ = np.flatnonzero(all_out == 0).astype(np.intp)
    # ---------------------------------------------------------------- sampling
    planned = actuals.work[old_of_new] if n else actuals.work
    base = planned.copy()
    samplers, prog_rows = _samplers(project, compiled, old_of_new, base, state)
    complete = state == _progress.COMPLETE
    events = _events(project, compiled, new_of_old, complete) if risk_events else []
    corr_rows, corr_chol = _correlation(
        project, compiled, new_of_old, samplers, correlation, complete
    )
    pinned_rows = np.flatnonzero(
        complete & (actuals.pinned[old_of_new] != planned if n else complete)
    ).astype(np.intp)
    done = actuals.done[old_of_new] if n else actuals.done
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
        floor_var_time=fv_time[fv_rows] if fv_rows.shape[0] else None,
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
        prog_rows=prog_rows if prog_rows.shape[0] else None,
        prog_num=planned[prog_rows] if prog_rows.shape[0] else None,
        prog_den=planned_own[old_of_new][prog_rows] if prog_rows.shape[0] else None,
        pinned_rows=pinned_rows if pinned_rows.shape[0] else None,
        pinned_d=actuals.pinned[old_of_new][pinned_rows] if pinned_rows.shape[0] else None,
        complete_rows=np.flatnonzero(complete).astype(np.intp) if complete.any() else None,
        done=done if np.any(done != 0) else None,
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
    check = mc.passes(model, planned[:, None], backward=False)
    det = check.finish[0] if n else 0.0
    cpm_finish = times.project_finish
    early = (
        isinstance(cpm_finish, datetime)
        and calendar is not None
        and isinstance(start, datetime)
        and to_minute_index(cpm_finish) < _origin(calendar, start)[1]
    )
    simulated = _to_time(calendar, start, float(det), early_finish=early)
    if n and simulated != _as_time(cpm_finish):
        warnings.append(
            f"with planned durations the simulation finishes {_fmt(simulated)}"
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
        started=started,
    )


@attrs.define
class _Actuals:
    """Progress of every leaf (compiled order) in the simulation's terms; see the notes
    of :func:`simulate`. Offsets are project working minutes (units) from the start."""

    #: ``progress.NOT_STARTED``, ``IN_PROGRESS`` or ``COMPLETE``
    state: np.ndarray[Any, np.dtype[np.int64]]
    #: what is scheduled, in the leaf's own working time: the planned duration, the
    #: remaining one when in progress, the actual one when complete
    work: np.ndarray[Any, np.dtype[np.float64]]
    #: work done of activities in progress (own working time), 0 for the others
    done: np.ndarray[Any, np.dtype[np.float64]]
    #: fixed starts: the actual start (complete) or where the remaining work resumes
    start: np.ndarray[Any, np.dtype[np.float64]]
    #: complete: actual finish minus actual start in project working time
    pinned: np.ndarray[Any, np.dtype[np.float64]]
    #: earliest start of unstarted work (the status date; -inf where none)
    floor: np.ndarray[Any, np.dtype[np.float64]]
    #: per link: it acts in the passes (``progress.link_modes`` 0)
    keep: np.ndarray[Any, np.dtype[np.bool_]]
    modes: list[int]
    plan: _progress.ProgressPlan | None

    def calibrate(
        self,
        times: Any,
        offset: Callable[[Any], float],
        dur_num: np.ndarray[Any, Any],
        dur_den: np.ndarray[Any, Any],
    ) -> None:
        """Calendar scaling of started work (other calendars): the remaining work takes
        the project working minutes it took in the CPM schedule; complete work is pinned."""
        for i, state in enumerate(self.state.tolist()):
            if state == _progress.NOT_STARTED:
                continue
            dur_num[i] = dur_den[i] = 1.0
            if state == _progress.IN_PROGRESS and self.work[i] > 0:
                dur_num[i] = offset(times.ef[i]) - self.start[i]
                dur_den[i] = self.work[i]

    def link_floors(
        self, compiled: CompiledProject, offset: Callable[[Any], float], lag: Any
    ) -> tuple[Any, Any]:
        """Earliest starts of unstarted work (per leaf): constant ones (the status date,
        SS links from work in progress) and ones that lose the successor's duration (SF
        links from work in progress), from the actual start plus the (calibrated) lag."""
        const = self.floor.copy()
        var = np.full(const.shape[0], -np.inf)
        plan = self.plan
        if plan is None:
            return const, var
        for e, mode in enumerate(self.modes):
            if mode != _progress.LINK_FROM_ACTUAL_START:
                continue
            p, s = compiled.predecessors[e], compiled.successors[e]
            bound = offset(plan.actual_start[p]) + float(lag[e])
            target = const if compiled.types[e] == LinkCode.SS else var
            target[s] = max(target[s], bound)
        return const, var


def _actuals(
    compiled: CompiledProject,
    calendar: WorkCalendar | None,
    origin: int,
    offset: Callable[[Any], float],
) -> _Actuals:
    """Progress of ``compiled`` (planned by :func:`~pmsm_core.scheduling.progress.plan_progress`)
    as fixed starts, durations, floors and the links that still act."""
    n, m = len(compiled.leaves), len(compiled.predecessors)
    work = np.asarray(compiled.durations, dtype=np.float64)
    out = _Actuals(
        state=np.zeros(n, np.int64),
        work=work.copy(),
        done=np.zeros(n),
        start=np.full(n, np.nan),
        pinned=work.copy(),
        floor=np.full(n, -np.inf),
        keep=np.ones(m, dtype=bool),
        modes=[0] * m,
        plan=compiled.progress,
    )
    plan = compiled.progress
    if plan is None:
        return out
    tables = None if compiled.calendars is None else [c.table for c in compiled.calendars]

    def leaf_offset(i: int, w: int) -> float:
        """A working coordinate of leaf ``i``'s calendar as a project offset."""
        if tables is None or calendar is None:
            return float(w)
        table = tables[i]
        if table is calendar.table:
            return float(w - origin)
        return float(calendar.table.to_working(table.from_working(w, finish=False)) - origin)

    out.state[:] = plan.state
    out.work[:] = plan.durations
    out.done[:] = np.asarray(plan.reported, dtype=np.float64) - out.work
    out.pinned[:] = out.work
    for i, state in enumerate(plan.state):
        if state == _progress.COMPLETE:
            out.start[i] = offset(plan.actual_start[i])
            out.pinned[i] = offset(plan.actual_finish[i]) - out.start[i]
        elif state == _progress.IN_PROGRESS:
            fixed = plan.fixed_w[i]
            assert fixed is not None
            out.start[i] = leaf_offset(i, fixed)
        else:
            floor = plan.floor_w[i]
            if floor is not None:
                out.floor[i] = leaf_offset(i, floor)
    out.modes = _progress.link_modes(compiled, plan)
    out.keep = np.asarray(out.modes, dtype=np.int64) == _progress.LINK_NORMAL
    return out


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
    project: Project, compiled: CompiledProject, old_of_new: Any, base: Any, state: Any
) -> tuple[list[mc.Sampler], mc.IntArray]:
    """Samplers of the uncertain durations (rows in forward order), fixed estimates into
    ``base``; and the rows in progress whose sampled total is scaled to the remaining
    share (``base`` holds the remaining duration of every started row)."""
    groups: dict[str, list[tuple[int, Any]]] = {}
    in_progress: list[int] = []
    for row, old in enumerate(old_of_new.tolist()):
        estimate = project.activity(compiled.leaves[old]).estimate
        if estimate is None:
            continue
        if state[row] != _progress.NOT_STARTED:
            # complete work is known; the remaining work varies only with an uncertain
            # estimate of a planned duration
            if (
                state[row] == _progress.COMPLETE
                or isinstance(estimate, FixedEstimate)
                or compiled.durations[old] <= 0
                or base[row] <= 0
            ):
                continue
            in_progress.append(row)
        elif isinstance(estimate, FixedEstimate):
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
    return out, np.asarray(in_progress, dtype=np.intp)


def _events(
    project: Project, compiled: CompiledProject, new_of_old: Any, complete: Any
) -> list[mc.RiskEvent]:
    """Risk events of the register, on the rows of work not yet complete."""
    out: list[mc.RiskEvent] = []
    for risk in project.risks:
        add = risk.schedule_impact.minutes if risk.schedule_impact is not None else 0
        factor = risk.schedule_factor if risk.schedule_factor is not None else 1.0
        if risk.probability <= 0 or not risk.affected_activities or (add == 0 and factor == 1):
            continue
        leaves = {x for ref in risk.affected_activities for x in project.leaves(ref)}
        rows = sorted(int(new_of_old[compiled.index[x]]) for x in leaves)
        rows = [r for r in rows if not complete[r]]
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
    complete: Any,
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
            if complete[row]:
                msg = f"activity {ref!r} is complete: its duration no longer varies"
                raise ValidationError(msg, path=where)
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

    A project in progress is simulated from where it stands, with the rules of
    :func:`~pmsm_core.schedule`: complete activities stay at their actual dates (never
    critical, no risk events), activities in progress keep their actual start and their
    remaining work, a sampled total scaled to the remaining share
    (``total * remaining / planned``; exact without an uncertain estimate), resumes at the
    status date, and unstarted work waits for the status date. So the answer is "what is
    our P80 now?".

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
        ones; by default as many as hold about two million activity values, 2**21, and
        at least 256); 0 skips them.
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

    At status date 6, A took 6 units and is complete, B starts now and C is half done:
    the remaining 5 units of C vary by 5/9 of its estimate's spread, and B drives the
    finish most of the time.

    >>> import attrs
    >>> from pmsm_core import Progress
    >>> a, b, c = p.activities
    >>> now = attrs.evolve(
    ...     p,
    ...     activities=[
    ...         attrs.evolve(a, progress=Progress(0, 6, percent_complete=100)),
    ...         attrs.evolve(b, progress=Progress(6)),
    ...         attrs.evolve(c, progress=Progress(0, percent_complete=50)),
    ...     ],
    ...     status_date=6,
    ... )
    >>> r = simulate(now, 10_000, seed=7)
    >>> r.cpm_finish, round(r.mean, 1), round(r.std, 1)
    (12, 12.0, 0.7)
    >>> r.criticality
    {'A': 0.0, 'B': 0.87..., 'C': 0.12...}
    >>> r.activity("A").finish_percentiles[0]  # where it really finished
    6.0
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
    detail: tuple[Any, Any] | None = None
    if executor is None:
        work = mc.workspace(model)  # one set of arrays for every chunk
        detail = (np.empty((model.n, model.detail)), np.empty((model.n, model.detail)))
        for b0, b1 in plan:
            chunk = mc.run_chunk(model, b0, b1, work, detail)
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
    return _summarise(prepared, results, entropy, detail)


def _summarise(
    prepared: _Prepared,
    results: list[mc.ChunkResult],
    entropy: int,
    detail: tuple[Any, Any] | None = None,
) -> RiskResult:
    """The result from the chunks' aggregates (and the detail matrices, when the chunks
    wrote them in place)."""
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
    if model.done is not None:  # work done of activities in progress
        mean_duration += model.done
    S = model.detail
    if S and n:
        if detail is not None:
            dd, df = detail
        else:
            dd = detail_d[0] if len(detail_d) == 1 else np.concatenate(detail_d, axis=1)
            df = detail_f[0] if len(detail_f) == 1 else np.concatenate(detail_f, axis=1)
        del detail_d, detail_f, detail
        flags = np.zeros(n, dtype=bool)
        rho = mc.spearman(dd, finishes[:S], varies=flags).tolist()
        varies = flags.tolist()
        sens: list[float | None] = [
            float(x) if v else None for x, v in zip(rho, varies, strict=True)
        ]
        pct = mc.row_percentiles(df, PERCENTILES)  # (rows, percentiles)
        k = len(PERCENTILES)
        # activities with a duration finish at the end of a working period even before
        # the project start; milestones there at the start (as schedule() reads them)
        times = _to_times(
            calendar, start, pct.ravel(), early_finish=np.repeat(prepared.planned != 0, k)
        )
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
    mean = prepared.planned.copy()  # remaining durations of work in progress, actual ones
    var = np.zeros(n)  # of complete work
    share: dict[int, float] = {}
    if model.prog_rows is not None and model.prog_num is not None and model.prog_den is not None:
        share = dict(
            zip(
                model.prog_rows.tolist(),
                (model.prog_num / model.prog_den).tolist(),
                strict=True,
            )
        )
    for row, aid in enumerate(model.ids):
        estimate = project.activity(aid).estimate
        if estimate is None or (prepared.started[row] and row not in share):
            continue  # planned, or started work without uncertainty (exact)
        if isinstance(estimate, ThreePointEstimate):
            mu, sd = estimate.pert_mean, estimate.pert_std
        else:
            mu, sd = estimate.mean_minutes, estimate.std_minutes
        k = share.get(row, 1.0)  # work in progress: the remaining share
        mean[row] = mu * k
        var[row] = (sd * k) ** 2
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
    if model.complete_rows is not None:
        critical[model.complete_rows] = False  # complete work is never critical
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
    if not ends and critical.any():  # complete work sets the finish: the latest path left
        latest = ef[critical].max()
        ends = [r for r in range(n) if critical[r] and ef[r] == latest]
    path = []
    end = max(ends, key=lambda r: (best[r], -r)) if ends else -1
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
        std=math.sqrt(max(0.0, float(best[end]))) if ends else 0.0,
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
