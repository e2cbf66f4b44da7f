"""Resource levelling: :func:`level`, its result, and the over-allocation report.

``level(project)`` schedules the project's activities so that no work resource is ever
asked for more units than its capacity, keeping every link (all four types, lags and
leads) and keeping the finish as early as it can find. It starts from the critical-path
schedule (:func:`~pmsm_core.schedule`) and reports, per activity, how much later it starts
and why: which resource it waited for, how long, and which activities held it.

What is levelled
----------------
* **Work resources** are renewable: ``capacity`` units at any instant; an activity uses
  ``units`` of each assigned resource from its start to its finish. Material and cost
  resources are consumed, not occupied, and are not levelled. Resources that can never be
  over-allocated (all their assignments together fit) are left out of the search.
* **Time** is the project calendar's working time (dated projects) or plain units
  (undated ones), compressed to the greatest common divisor of durations, lags and dates,
  and converted back to datetimes exactly as :func:`~pmsm_core.schedule` does.
  An activity on a calendar of its own, and an elapsed lag, take their length in project
  working time at the CPM dates; where levelling moves them, that length is re-checked on
  their own calendar (wall-clock time for elapsed lags) and, when it came out longer, the
  project is levelled again with the longer value (a few rounds at most). Working-time
  lags are counted on the project calendar. Resource calendars are not honoured: a
  warning names each levelled resource with a calendar of its own.
* **Constraints**: start- and finish-no-earlier-than dates and the project start are
  release times; must-start/finish-on activities are pinned (not moved; their load counts,
  and a link into them that levelling breaks is reported); ALAP activities start no
  earlier than their CPM late start; start/finish-no-later-than dates and deadlines are not
  enforced but reported when missed, and they cap the late dates (negative float).
* ``within_float=True`` never moves an activity past its CPM late start: what cannot fit
  stays at its logic start, over capacity, and is reported as unresolved.

Dates after levelling
---------------------
The levelled start and finish are the early dates of :attr:`LevelledSchedule.schedule`.
Late dates and floats come from a backward pass over the links *and the resource
hand-overs* that levelling created: an activity that waited for a resource gets an implied
finish-to-start link from the activities that released it (like Primavera's levelled
float), so the critical path runs through resource waits too.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Final

import attrs
import numpy as np
import numpy.typing as npt

from pmsm_core._util import no_gc
from pmsm_core.calendars import Duration, TimeUnit, to_minute_index
from pmsm_core.exceptions import SchedulingError, ValidationError
from pmsm_core.model.project import Project
from pmsm_core.model.resources import ResourceKind
from pmsm_core.scheduling.compile import CompiledProject
from pmsm_core.scheduling.network import NONE, ConstraintCode, Network
from pmsm_core.scheduling.rcpsp import (
    Improvement,
    PriorityRule,
    RcpspResult,
    ScheduleScheme,
    solve_cp_sat,
    solve_rcpsp,
)
from pmsm_core.scheduling.results import (
    Schedule,
    ScheduledLink,
    ScheduleOptions,
    ScheduleWarning,
)
from pmsm_core.scheduling.schedule import (
    _assemble,
    _compile_and_run,
    _coordinate,
    _LeafTimes,
    _to_datetimes,
)

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "LevelledActivity",
    "LevelledSchedule",
    "OverAllocation",
    "ResourceWait",
    "level",
    "over_allocations",
]

IntArray = npt.NDArray[np.int64]
_EPS: Final = 1e-9
_METHODS: Final = ("heuristic", "cp-sat")
#: CP-SAT's time limit when none is given (seconds).
CP_SAT_TIME_LIMIT: Final = 30.0
#: Rounds of re-levelling when elapsed lags come out longer in working time.
_REPAIRS: Final = 4


# --------------------------------------------------------------------------- results


@attrs.frozen
class ResourceWait:
    """Part of an activity's levelling delay: the time it waited for one resource.

    Attributes
    ----------
    resource
        The resource id.
    amount
        How long the resource was short while the activity could otherwise have started
        (working minutes for dated projects, units for undated ones). Several resources
        can be short at once, so the amounts may add up to more than the delay.
    holders
        The activities using the resource during those shortages.

    Examples
    --------
    >>> ResourceWait("ENG", 480, ("A",)).amount
    480
    """

    resource: str
    amount: int
    holders: tuple[str, ...] = ()


@attrs.frozen
class LevelledActivity:
    """One activity after levelling: where it went, where CPM had it, and why it moved.

    Attributes
    ----------
    start, finish
        The levelled dates.
    cpm_start, cpm_finish
        Where the critical-path schedule placed it.
    late_start
        Its CPM late start (the limit of ``within_float`` levelling).
    delay
        ``start - cpm_start`` in working minutes (dated) or units (undated).
    resource_delay
        The part of the delay spent waiting for resources; the rest is the delay of its
        predecessors passed on through its links.
    waits
        One :class:`ResourceWait` per resource it waited for.
    explanation
        The delay in words.
    unresolved
        True when it runs over a resource's capacity (pinned, or levelled only within
        its float).

    Examples
    --------
    >>> from pmsm_core import Activity, Assignment, Duration, Project, Resource, level
    >>> p = Project(
    ...     "P",
    ...     resources=[Resource("R", capacity=1)],
    ...     activities=[
    ...         Activity("A", duration=Duration(2), assignments=[Assignment("R")]),
    ...         Activity("B", duration=Duration(3), assignments=[Assignment("R")]),
    ...     ],
    ... )
    >>> b = level(p)["B"]
    >>> b.start, b.delay, b.explanation
    (2, 2, 'waits 2 for R (held by A)')
    """

    id: str
    name: str
    start: datetime | int
    finish: datetime | int
    cpm_start: datetime | int
    cpm_finish: datetime | int
    late_start: datetime | int
    delay: int
    resource_delay: int = 0
    waits: tuple[ResourceWait, ...] = ()
    explanation: str = ""
    unresolved: bool = False
    summary: bool = False


@attrs.frozen
class OverAllocation:
    """A stretch of time in which a resource is asked for more than its capacity.

    Attributes
    ----------
    resource
        The resource id.
    start, finish
        The stretch (datetimes for dated projects, units for undated ones).
    load
        The largest number of units asked for during the stretch.
    capacity
        Units available.
    activities
        The activities using the resource during the stretch.

    Examples
    --------
    >>> OverAllocation("ENG", 0, 2, 3.0, 2.0, ("A", "B")).excess
    1.0
    """

    resource: str
    start: datetime | int
    finish: datetime | int
    load: float
    capacity: float
    activities: tuple[str, ...]

    @property
    def excess(self) -> float:
        """Units asked for beyond the capacity at the peak."""
        return self.load - self.capacity

    def __str__(self) -> str:
        return (
            f"{self.resource}: {self.load:g} units asked for, {self.capacity:g} available, "
            f"{_when(self.start)} -> {_when(self.finish)} ({', '.join(self.activities)})"
        )


@attrs.frozen(repr=False)
class LevelledSchedule:
    """The result of :func:`level`: a resource-feasible schedule and why it differs.

    Attributes
    ----------
    schedule
        The levelled :class:`~pmsm_core.Schedule`: early dates are the levelled dates,
        late dates and floats count links and resource hand-overs, critical paths run
        through both. Pass it to :func:`~pmsm_core.viz.resources.resource_usage` or
        :func:`~pmsm_core.gantt`.
    cpm
        The critical-path schedule levelling started from.
    activities
        One :class:`LevelledActivity` per activity, in project order.
    resource_links
        The implied finish-to-start links from the activities that released a resource
        to the activities that waited for it (``type`` ``"resource"``).
    method
        ``"heuristic"`` or ``"cp-sat"``.
    makespan, cpm_makespan
        Levelled and CPM length from the project start (working minutes or units).
    schedules
        Schedules generated by the heuristic.
    seconds
        Wall time of the search (not compared by ``==``).
    optimal
        True when CP-SAT proved the makespan optimal.
    lower_bound
        The best lower bound on the makespan CP-SAT proved (None for the heuristic).
    unresolved
        Activities left over capacity.
    within_float
        Whether levelling was limited to the activities' float.

    Examples
    --------
    >>> from pmsm_core import Activity, Assignment, Duration, Project, Resource, level
    >>> p = Project(
    ...     "P",
    ...     resources=[Resource("R", capacity=2)],
    ...     activities=[
    ...         Activity(x, duration=Duration(3), assignments=[Assignment("R")]) for x in "ABC"
    ...     ],
    ... )
    >>> levelled = level(p)
    >>> levelled.cpm.finish, levelled.finish, levelled.delayed
    (3, 6, ('C',))
    """

    project_id: str
    schedule: Schedule
    cpm: Schedule
    activities: tuple[LevelledActivity, ...]
    resource_links: tuple[ScheduledLink, ...] = ()
    method: str = "heuristic"
    makespan: int = 0
    cpm_makespan: int = 0
    schedules: int = 0
    seconds: float = attrs.field(default=0.0, eq=False)
    optimal: bool = False
    lower_bound: int | None = None
    unresolved: tuple[str, ...] = ()
    within_float: bool = False
    _index: dict[str, int] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_index", {a.id: i for i, a in enumerate(self.activities)})

    def __repr__(self) -> str:
        return (
            f"LevelledSchedule(project_id={self.project_id!r}, method={self.method!r}, "
            f"finish={self.finish!r}, cpm_finish={self.cpm.finish!r}, "
            f"delayed={len(self.delayed)}, unresolved={len(self.unresolved)})"
        )

    def __getitem__(self, activity_id: str) -> LevelledActivity:
        return self.activities[self._index[activity_id]]

    def __contains__(self, activity_id: object) -> bool:
        return activity_id in self._index

    def __iter__(self) -> Iterator[LevelledActivity]:
        return iter(self.activities)

    def __len__(self) -> int:
        return len(self.activities)

    @property
    def start(self) -> datetime | int:
        """The levelled start of the project."""
        return self.schedule.start

    @property
    def finish(self) -> datetime | int:
        """The levelled finish."""
        return self.schedule.finish

    @property
    def warnings(self) -> tuple[ScheduleWarning, ...]:
        """Warnings of the levelled schedule (unresolved over-allocations, missed dates)."""
        return self.schedule.warnings

    @property
    def delayed(self) -> tuple[str, ...]:
        """Ids of the (non-summary) activities levelling moved later."""
        return tuple(a.id for a in self.activities if a.delay > 0 and not a.summary)

    def to_dataframe(self) -> pd.DataFrame:
        """One row per activity: levelled and CPM dates, delay and its explanation.

        Needs the ``pandas`` extra.

        Examples
        --------
        >>> from pmsm_core import Activity, Assignment, Duration, Project, Resource, level
        >>> p = Project(
        ...     "P",
        ...     resources=[Resource("R")],
        ...     activities=[
        ...         Activity(x, duration=Duration(2), assignments=[Assignment("R")]) for x in "AB"
        ...     ],
        ... )
        >>> level(p).to_dataframe()[["start", "delay", "explanation"]]
            start  delay                explanation
        id
        A       0      0
        B       2      2  waits 2 for R (held by A)
        """
        from pmsm_core._util import require

        require("pandas", "pandas")
        import pandas as pd

        rows = []
        for a in self.activities:
            s = self.schedule[a.id]
            rows.append(
                {
                    "id": a.id,
                    "name": a.name,
                    "start": a.start,
                    "finish": a.finish,
                    "cpm_start": a.cpm_start,
                    "cpm_finish": a.cpm_finish,
                    "delay": a.delay,
                    "resource_delay": a.resource_delay,
                    "waits_for": ", ".join(w.resource for w in a.waits),
                    "explanation": a.explanation,
                    "total_float": s.total_float,
                    "critical": s.critical,
                    "unresolved": a.unresolved,
                    "summary": a.summary,
                }
            )
        return pd.DataFrame(rows).set_index("id")

    def _repr_html_(self) -> str:
        from pmsm_core.viz.html import MAX_ROWS, _cell, _table

        title = (
            f"Levelled schedule of {self.project_id}: finish {_cell(self.cpm.finish)} → "
            f"{_cell(self.finish)}; {len(self.delayed)} activities moved"
        )
        if self.unresolved:
            title += f"; {len(self.unresolved)} over capacity"
        rows = [
            [a.id, a.name, a.start, a.finish, a.cpm_start, a.delay, a.explanation]
            for a in self.activities[:MAX_ROWS]
        ]
        headers = ["id", "name", "start", "finish", "CPM start", "delay", "why"]
        return _table(title, headers, rows, len(self.activities))

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data: the fields of ``pmsm level --format json``.

        The fields of :meth:`Schedule.to_dict <pmsm_core.Schedule.to_dict>` for the
        levelled schedule (``finish`` is the levelled finish, ``early_start`` and
        ``early_finish`` the levelled dates), plus ``cpm_finish``, ``method``,
        ``schedules`` and ``unresolved``, and per activity ``delay`` and
        ``explanation``.
        """
        data = self.schedule.to_dict()
        cpm = self.cpm.to_dict()
        data["cpm_finish"] = cpm["finish"]
        data["method"] = self.method
        data["schedules"] = self.schedules
        data["optimal"] = self.optimal
        data["unresolved"] = list(self.unresolved)
        for row in data["activities"]:
            a = self[row["id"]]
            row["delay"] = a.delay
            row["explanation"] = a.explanation
        return data


# --------------------------------------------------------------------------- level()


@attrs.define
class _Problem:
    """A project's levelling problem in the project calendar's working minutes (or units).

    ``own`` marks activities on other calendars (pinned at their CPM dates, with their
    CPM length in project working time); ``elapsed`` marks links with elapsed lags, whose
    ``lags`` hold their length in working minutes as at the CPM dates.
    """

    compiled: CompiledProject
    table: Any
    origin: int
    durations: IntArray
    lags: IntArray
    types: npt.NDArray[np.int8]
    weights: IntArray
    own: npt.NDArray[np.bool_]
    started: npt.NDArray[np.bool_]
    elapsed: npt.NDArray[np.bool_]
    cpm_start: IntArray
    late_start: IntArray
    resources: list[str]
    demands: npt.NDArray[np.float64]
    capacities: npt.NDArray[np.float64]
    release: IntArray
    pinned: IntArray
    latest: IntArray | None
    warnings: list[ScheduleWarning]


def level(
    project: Project,
    *,
    schedules: int = 1000,
    seed: int = 0,
    time_limit: float | None = None,
    within_float: bool = False,
    method: str = "heuristic",
    options: ScheduleOptions | None = None,
    rule: PriorityRule = PriorityRule.LFT,
    scheme: ScheduleScheme = ScheduleScheme.SERIAL,
    improvement: Improvement = Improvement.EVOLVE,
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> LevelledSchedule:
    """Level the work resources of ``project``: no resource over its capacity, links kept.

    Parameters
    ----------
    project
        A dated or undated project with resources and assignments.
    schedules
        Schedules the heuristic generates (each forward or backward pass counts, as in
        the literature). ``1`` applies the priority ``rule`` once, deterministically.
    seed
        Seed of the random sampling; equal seeds give equal results (unless
        ``time_limit`` cuts the search short).
    time_limit
        Stop after about this many seconds with the best schedule so far (CP-SAT: its
        search limit, 30 s when None).
    within_float
        Never move an activity past its CPM late start, so the finish does not move;
        what cannot be resolved stays over capacity and is reported.
    method
        ``"heuristic"`` (default) or ``"cp-sat"``: Google OR-Tools' CP-SAT solver, exact
        on small projects (needs the ``ortools`` extra); the heuristic's best schedule is
        its starting point.
    options
        :class:`~pmsm_core.ScheduleOptions` of the CPM schedule (critical threshold,
        honouring constraints ...).
    rule, scheme, improvement
        The heuristic's priority rule, schedule generation scheme and improvement (see
        :mod:`pmsm_core.scheduling.rcpsp`); the defaults were picked on PSPLIB j30.
    workers
        CP-SAT search workers.
    progress
        Called with ``(schedules done, schedules planned)`` during the search.

    Returns
    -------
    LevelledSchedule

    Raises
    ------
    SchedulingError
        If an assignment asks for more units than its resource has.
    ValidationError
        On bad arguments.
    MissingExtraError
        ``method="cp-sat"`` without the ``ortools`` extra.

    Examples
    --------
    Two engineers, three activities that each need two of them:

    >>> from datetime import datetime
    >>> from pmsm_core import Activity, Assignment, Dependency, Duration, Project, Resource
    >>> d = Duration.from_days
    >>> p = Project(
    ...     "P",
    ...     start=datetime(2026, 3, 2, 8),
    ...     resources=[Resource("ENG", "Engineers", capacity=2)],
    ...     activities=[
    ...         Activity("A", "API", d(2), assignments=[Assignment("ENG", 2)]),
    ...         Activity("B", "UI", d(3), assignments=[Assignment("ENG", 2)]),
    ...         Activity("C", "Docs", d(1), assignments=[Assignment("ENG", 2)]),
    ...         Activity("M", "Release", milestone=True),
    ...     ],
    ...     dependencies=[Dependency("A", "M"), Dependency("B", "M"), Dependency("C", "M")],
    ... )
    >>> levelled = level(p)
    >>> levelled.cpm.finish, levelled.finish
    (datetime.datetime(2026, 3, 4, 17, 0), datetime.datetime(2026, 3, 9, 17, 0))
    >>> [(a.id, a.delay // 480) for a in levelled if a.delay]
    [('A', 1), ('B', 3), ('M', 3)]
    >>> levelled["B"].explanation
    'waits 3d for ENG (held by C, A)'
    >>> levelled["M"].explanation
    '3d behind its predecessors'
    """
    _check_arguments(schedules, seed, time_limit, method, workers)
    t0 = time.perf_counter()
    options = options or ScheduleOptions()
    with no_gc():
        compiled, times = _compile_and_run(project, options)
        cpm = _assemble(compiled, times, options)
    problem = _problem(compiled, cpm, options, within_float)
    deadline = None if time_limit is None else t0 + time_limit
    for attempt in range(_REPAIRS + 1):
        grid = _grid(problem)
        left = None if deadline is None else max(0.05, deadline - time.perf_counter())
        found = _solve(
            problem,
            grid,
            method=method,
            schedules=schedules,
            seed=seed,
            time_limit=left,
            rule=rule,
            scheme=scheme,
            improvement=improvement,
            workers=workers,
            progress=progress,
        )
        longer_lags, longer = _repairs(problem, found.starts.astype(np.int64) * grid)
        out_of_time = deadline is not None and time.perf_counter() >= deadline
        if attempt == _REPAIRS or out_of_time or not (longer_lags or longer):
            break
        # an elapsed lag or an activity on its own calendar came out longer in project
        # working time where levelling moved it: lengthen it and level again (the last
        # time, an elapsed lag counts in full, which can never be too short)
        last = attempt == _REPAIRS - 1
        for e, more in longer_lags.items():
            problem.lags[e] = max(problem.lags[e] + more, problem.compiled.lags[e] if last else 0)
        for i, more in longer.items():
            problem.durations[i] += more
        problem.weights = _weights(problem)
    for e in longer_lags:
        c = problem.compiled
        problem.warnings.append(
            ScheduleWarning(
                "levelling-calendar",
                c.leaves[c.successors[e]],
                f"the elapsed lag from {c.leaves[c.predecessors[e]]!r} is shorter than "
                "asked for after levelling (the search ran out of rounds or time)",
            )
        )
    for i in longer:
        problem.warnings.append(
            ScheduleWarning(
                "levelling-calendar",
                problem.compiled.leaves[i],
                "on its own calendar it runs longer than levelling assumed, so it may "
                "overlap its successors or other work (the search ran out of rounds or time)",
            )
        )
    starts = found.starts.astype(np.int64) * grid
    return _result(
        project,
        problem,
        cpm,
        options,
        starts,
        grid,
        found,
        method=method,
        within_float=within_float,
        seconds=time.perf_counter() - t0,
    )


def _solve(
    problem: _Problem,
    grid: int,
    *,
    method: str,
    schedules: int,
    seed: int,
    time_limit: float | None,
    rule: PriorityRule,
    scheme: ScheduleScheme,
    improvement: Improvement,
    workers: int,
    progress: Callable[[int, int], None] | None,
) -> RcpspResult:
    gnet = _network(problem, grid)

    def scaled(values: IntArray | None) -> IntArray | None:
        if values is None:
            return None
        return np.where(values == NONE, NONE, values // grid)

    kwargs: dict[str, Any] = {
        "release": problem.release // grid,
        "pinned": scaled(problem.pinned),
        "latest": scaled(problem.latest),
    }
    heuristic_limit = time_limit
    if method == "cp-sat" and time_limit is not None:
        heuristic_limit = time_limit / 4
    found = solve_rcpsp(
        gnet,
        problem.demands,
        problem.capacities,
        schedules=schedules,
        seed=seed,
        time_limit=heuristic_limit,
        rule=rule,
        scheme=scheme,
        improvement=improvement,
        progress=progress,
        **kwargs,
    )
    if method == "cp-sat":
        limit = CP_SAT_TIME_LIMIT if time_limit is None else max(0.1, time_limit - found.seconds)
        found = solve_cp_sat(
            gnet,
            problem.demands,
            problem.capacities,
            hint=found,
            time_limit=limit,
            seed=seed,
            workers=workers,
            **kwargs,
        )
    return found


def _check_arguments(
    schedules: int, seed: int, time_limit: float | None, method: str, workers: int
) -> None:
    def whole(value: object, low: int) -> bool:
        return isinstance(value, int) and not isinstance(value, bool) and value >= low

    problem: tuple[str, str, object] | None = None
    if not whole(schedules, 1):
        problem = ("schedules", "a whole number >= 1", schedules)
    elif not whole(seed, 0):
        problem = ("seed", "a whole number >= 0", seed)
    elif time_limit is not None and not _positive(time_limit):
        problem = ("time_limit", "a positive number of seconds or None", time_limit)
    elif method not in _METHODS:
        problem = ("method", "'heuristic' or 'cp-sat'", method)
    elif not whole(workers, 1):
        problem = ("workers", "a whole number >= 1", workers)
    if problem is not None:
        name, expected, value = problem
        msg = f"level(): {name} must be {expected}, got {value!r}"
        raise ValidationError(msg, path=name)


def _positive(value: object) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return math.isfinite(value) and value > 0


def _problem(
    compiled: CompiledProject, cpm: Schedule, options: ScheduleOptions, within_float: bool
) -> _Problem:
    """The levelling problem in the project calendar's working minutes (or units)."""
    project = compiled.project
    n = len(compiled.leaves)
    m = len(compiled.predecessors)
    d = np.asarray(compiled.durations, dtype=np.int64)
    lags = np.asarray(compiled.lags, dtype=np.int64)
    own = np.zeros(n, bool)
    elapsed = np.zeros(m, bool)
    rows = [cpm[aid] for aid in compiled.leaves]
    if project.start is None:
        table, origin = None, 0
        cpm_start = np.asarray([r.start for r in rows], dtype=np.int64)
        late_start = np.asarray([r.late_start for r in rows], dtype=np.int64)
    else:
        # the CPM dates in the project calendar's working time; with several calendars
        # or elapsed lags, an activity on another calendar takes its CPM length in project
        # working time and an elapsed lag its length in working time at the CPM dates
        # (both re-checked where levelling moves them)
        table = project.calendar.table
        origin = table.to_working(to_minute_index(project.start))

        def at(values: list[Any]) -> IntArray:
            minutes = np.asarray([to_minute_index(v) for v in values], dtype=np.int64)
            out: IntArray = table.to_working_array(minutes) - origin
            return out

        cpm_start = at([r.start for r in rows])
        late_start = at([r.late_start for r in rows])
        if not compiled.single_calendar:
            assert compiled.calendars is not None
            cpm_finish = at([r.finish for r in rows])
            own = np.asarray(
                [cal is not project.calendar for cal in compiled.calendars], dtype=bool
            )
            d = np.where(own, np.maximum(cpm_finish - cpm_start, 0), d)
            elapsed = np.asarray(compiled.lag_elapsed, dtype=bool)
            for e in np.flatnonzero(elapsed):
                p = compiled.predecessors[e]
                anchor = rows[p].finish if compiled.types[e] in (0, 2) else rows[p].start
                assert isinstance(anchor, datetime)
                lags[e] = _elapsed_in_working(table, origin, anchor, int(lags[e]))
    # progress: started leaves stay where the progress-aware CPM put them (their actual
    # start, and their span as their length); unstarted work starts after the status date
    plan = compiled.progress
    started = np.asarray(plan.started if plan is not None else [False] * n, dtype=bool)
    if started.any():
        if table is None:
            cpm_finish_at = np.asarray([r.finish for r in rows], dtype=np.int64)
        else:
            cpm_finish_at = at([r.finish for r in rows])
        d = np.where(started, np.maximum(cpm_finish_at - cpm_start, 0), d)
    types = np.asarray(compiled.types, dtype=np.int8)
    # work resources with assignments on leaves that take time
    resources: list[str] = []
    capacity: list[float] = []
    position: dict[str, int] = {}
    for r in project.resources:
        if r.kind is ResourceKind.WORK:
            position[r.id] = len(resources)
            resources.append(r.id)
            capacity.append(r.capacity)
    demands = np.zeros((n, len(resources)))
    for i, aid in enumerate(compiled.leaves):
        if d[i] <= 0:
            continue
        for a in project.activity(aid).assignments:
            k = position.get(a.resource)
            if k is not None:
                demands[i, k] += a.units
    for i, k in zip(*np.nonzero(demands > np.asarray(capacity)[None, :] + _EPS), strict=True):
        aid, rid = compiled.leaves[int(i)], resources[int(k)]
        msg = (
            f"activity {aid!r} asks for {demands[i, k]:g} units of resource {rid!r}, "
            f"which has a capacity of {capacity[int(k)]:g}: no levelling can fit it "
            "(raise the capacity or lower the assignment units)"
        )
        raise SchedulingError(msg)
    # release times, pinned activities, latest starts
    ctypes = compiled.constraint_types
    honor = options.honor_constraints
    release = np.zeros(n, np.int64)
    pinned = np.full(n, NONE, np.int64)
    for i in range(n):
        kind = ctypes[i]
        date_value = compiled.constraint_dates[i]
        if kind == ConstraintCode.ALAP:
            release[i] = max(0, int(cpm_start[i]))
        elif date_value is None:
            continue
        elif kind in (ConstraintCode.MSO, ConstraintCode.MFO) and honor:
            pinned[i] = int(cpm_start[i])
        elif kind in (ConstraintCode.SNET, ConstraintCode.MSO):
            release[i] = max(0, _coordinate(table, origin, date_value))
        elif kind in (ConstraintCode.FNET, ConstraintCode.MFO):
            release[i] = max(0, _coordinate(table, origin, date_value) - int(d[i]))
    pinned[started] = cpm_start[started]
    if plan is not None and plan.status is not None:
        status = _coordinate(table, origin, plan.status)
        release[~started] = np.maximum(release[~started], status)
    warnings: list[ScheduleWarning] = []
    used = demands.sum(axis=0) > 0
    by_id = {r.id: r for r in project.resources}
    for k, rid in enumerate(resources):
        resource = by_id[rid]
        if used[k] and resource.calendar is not None and resource.calendar != project.calendar.id:
            warnings.append(
                ScheduleWarning(
                    "resource-calendar",
                    rid,
                    f"a resource with its own calendar {resource.calendar!r}, which levelling "
                    "does not honour: its capacity counts on the project calendar",
                )
            )
    problem = _Problem(
        compiled=compiled,
        table=table,
        origin=origin,
        durations=d,
        lags=lags,
        types=types,
        weights=np.zeros(m, np.int64),
        own=own,
        started=started,
        elapsed=elapsed,
        cpm_start=cpm_start,
        late_start=late_start,
        resources=resources,
        demands=demands,
        capacities=np.asarray(capacity, dtype=np.float64),
        release=release,
        pinned=pinned,
        latest=late_start.copy() if within_float else None,
        warnings=warnings,
    )
    problem.weights = _weights(problem)
    return problem


def _elapsed_in_working(table: Any, origin: int, anchor: datetime, minutes: int) -> int:
    """An elapsed lag after ``anchor`` in working minutes of ``table``."""
    from datetime import timedelta

    base = table.to_working(to_minute_index(anchor))
    return int(table.to_working(to_minute_index(anchor + timedelta(minutes=minutes))) - base)


def _repairs(problem: _Problem, starts: IntArray) -> tuple[dict[int, int], dict[int, int]]:
    """Where levelling moved an activity on its own calendar or an elapsed lag, the true
    length in project working time; returns the links and activities that came out longer
    than assumed, and by how much."""
    from datetime import timedelta

    lags: dict[int, int] = {}
    lengths: dict[int, int] = {}
    if not (problem.elapsed.any() or problem.own.any()):
        return lags, lengths
    c = problem.compiled
    table, origin = problem.table, problem.origin
    assert c.calendars is not None
    d = problem.durations
    for i in np.flatnonzero(problem.own):
        if starts[i] == problem.cpm_start[i] or c.durations[i] == 0:
            continue
        _, last = _own_dates(problem, int(i), int(starts[i]))
        length = table.to_working(to_minute_index(last)) - origin - int(starts[i])
        if length > d[i]:
            lengths[int(i)] = int(length - d[i])
    for e in np.flatnonzero(problem.elapsed):
        p, s, kind = c.predecessors[e], c.successors[e], c.types[e]
        if problem.pinned[s] != NONE:
            continue  # links into pinned activities are not enforced
        anchor_w = int(starts[p] + (d[p] if kind in (0, 2) else 0))
        target_w = int(starts[s] + (d[s] if kind in (2, 3) else 0))
        anchor = _datetime_at(table, origin, anchor_w, finish=kind in (0, 2))
        moved = anchor + timedelta(minutes=int(c.lags[e]))
        need = table.to_working(to_minute_index(moved)) - origin
        if target_w < need:
            lags[int(e)] = int(need - target_w)
    return lags, lengths


def _own_dates(problem: _Problem, i: int, start: int) -> tuple[datetime, datetime]:
    """Start and finish of an activity on its own calendar that starts at ``start``."""
    c = problem.compiled
    assert c.calendars is not None
    assert c.project.start is not None
    calendar = c.calendars[i]
    # the earliest instant of that working minute (Friday 17:00 rather than Monday 08:00):
    # nothing on the project calendar runs between the two
    earliest = max(c.project.start, _datetime_at(problem.table, problem.origin, start, finish=True))
    first = calendar.next_working_instant(earliest)
    return first, calendar.add(first, c.durations[i]) if c.durations[i] else first


def _datetime_at(table: Any, origin: int, working: int, *, finish: bool) -> datetime:
    from pmsm_core.calendars import from_minute_index

    return from_minute_index(int(table.from_working(working + origin, finish=finish)))


def _grid(problem: _Problem) -> int:
    """The coarsest time step that keeps every duration, lag and date exact."""
    parts = [problem.durations, problem.lags]
    parts.append(problem.release)
    parts.append(problem.pinned[problem.pinned != NONE])
    if problem.latest is not None:
        parts.append(problem.latest)
    values = np.abs(np.concatenate(parts)) if parts else np.zeros(0, np.int64)
    values = values[values > 0]
    return int(np.gcd.reduce(values)) if values.size else 1


def _weights(problem: _Problem) -> IntArray:
    """One weight per link: ``start[s] >= start[p] + w`` (as in the CPM network)."""
    c = problem.compiled
    P = np.asarray(c.predecessors, dtype=np.int64)
    S = np.asarray(c.successors, dtype=np.int64)
    t, d = problem.types, problem.durations
    w = problem.lags.copy()
    if P.size:
        w += np.where((t == 0) | (t == 2), d[P], 0)
        w -= np.where((t == 2) | (t == 3), d[S], 0)
    return w


def _network(problem: _Problem, grid: int) -> Network:
    """The problem's network with times in steps of ``grid``."""
    c = problem.compiled
    return Network(
        problem.durations // grid,
        c.predecessors,
        c.successors,
        problem.types if problem.types.size else None,
        (problem.lags // grid) if problem.lags.size else None,
        ids=c.leaves,
    )


# --------------------------------------------------------------------------- explanation


@attrs.define
class _Analysis:
    """Per-leaf logic starts, waits and resource hand-overs of a levelled schedule."""

    logic: IntArray
    waits: list[list[tuple[int, int, list[int]]]]
    handovers: list[tuple[int, int]]
    unresolved: list[bool]


def _analyse(
    problem: _Problem, starts: IntArray, grid: int, forced: npt.NDArray[np.bool_]
) -> _Analysis:
    """Why each activity starts where it does, in grid steps."""
    n = starts.shape[0]
    d = problem.durations // grid
    s = starts // grid
    P = np.asarray(problem.compiled.predecessors, dtype=np.int64)
    S = np.asarray(problem.compiled.successors, dtype=np.int64)
    W = problem.weights // grid
    pinned = problem.pinned != NONE
    logic = problem.release // grid
    logic = logic.copy()
    if P.size:
        live = ~pinned[S]
        np.maximum.at(logic, S[live], s[P[live]] + W[live])
    logic = np.where(pinned, s, logic)
    dem = problem.demands
    cap = problem.capacities
    K = dem.shape[1]
    waits: list[list[tuple[int, int, list[int]]]] = [[] for _ in range(n)]
    handovers: list[tuple[int, int]] = []
    unresolved = [bool(x) for x in forced]
    if n == 0 or K == 0:
        return _Analysis(logic, waits, handovers, unresolved)
    lo = int(min(0, s.min()))
    hi = int((s + d).max()) + 1
    H = hi - lo
    load = np.zeros((K, H + 1))
    for j in np.flatnonzero((d > 0) & dem.any(axis=1)):
        load[:, s[j] - lo] += dem[j]
        load[:, s[j] + d[j] - lo] -= dem[j]
    load = np.cumsum(load, axis=1)[:, :H]
    over = load > cap[:, None] + _EPS
    if over.any():  # pinned activities over capacity (forced ones are flagged already)
        for j in np.flatnonzero((d > 0) & dem.any(axis=1) & pinned):
            k_used = dem[j] > 0
            if over[k_used, s[j] - lo : s[j] + d[j] - lo].any():
                unresolved[int(j)] = True
    users = [np.flatnonzero(dem[:, k] > 0) for k in range(K)]
    finish = s + d
    for j in np.flatnonzero((s > logic) & (d > 0) & dem.any(axis=1)):
        a, b, dj = int(logic[j]) - lo, int(s[j]) - lo, int(d[j])
        seg_hi = min(H, b + dj)
        for k in np.flatnonzero(dem[j] > 0):
            others = load[k, a:seg_hi].copy()
            mine = slice(b - a, b - a + dj)
            others[mine] -= dem[j, k]
            short = others + dem[j, k] > cap[k] + _EPS
            if not short.any():
                continue
            count = np.zeros(short.shape[0] + 1, np.int64)
            np.cumsum(short, out=count[1:])
            t = np.arange(b - a)
            ends = np.minimum(t + dj, short.shape[0])
            amount = int(((count[ends] - count[t]) > 0).sum())
            if amount == 0:
                continue
            holders = []
            for i in users[k]:
                if i == j:
                    continue
                x0 = max(int(s[i]) - lo, a) - a
                x1 = min(int(finish[i]) - lo, seg_hi) - a
                if x1 > x0 and count[x1] - count[x0] > 0:
                    holders.append(int(i))
            holders.sort(key=lambda i: (int(s[i]), i))
            waits[int(j)].append((int(k), amount * grid, holders))
            if short[b - a - 1]:
                handovers.extend((int(i), int(j)) for i in users[k] if i != j and finish[i] == s[j])
    handovers = sorted(set(handovers))
    return _Analysis(logic, waits, handovers, unresolved)


def _amount(project: Project, minutes: int) -> str:
    if not project.is_dated:
        return str(minutes)
    per_day = project.minutes_per_day
    unit = (
        TimeUnit.DAY
        if minutes % per_day == 0 or minutes >= per_day
        else TimeUnit.HOUR
        if minutes % 60 == 0
        else TimeUnit.MINUTE
    )
    return Duration(minutes, unit=unit).format(project.factors)


def _pin_reason(problem: _Problem, i: int) -> str | None:
    """Why leaf ``i`` is not moved by levelling (None when it may be moved)."""
    if problem.started[i]:
        return "pinned by its actual start"
    return "pinned by its constraint" if problem.pinned[i] != NONE else None


def _explain(
    project: Project,
    resource_ids: list[str],
    delay: int,
    behind: int,
    waits: list[tuple[int, int, list[int]]],
    leaves: list[str],
    unresolved: bool,
    pinned: str | None,
) -> str:
    parts = []
    for k, amount, holders in sorted(waits, key=lambda w: -w[1]):
        held = f" (held by {', '.join(leaves[i] for i in holders[:6])}"
        held += ", ...)" if len(holders) > 6 else ")"
        parts.append(
            f"waits {_amount(project, amount)} for {resource_ids[k]}{held if holders else ''}"
        )
    if behind > 0:
        parts.append(f"{_amount(project, behind)} behind its predecessors")
    if unresolved:
        parts.append(
            f"{pinned}, over capacity"
            if pinned
            else "over capacity: it could not be levelled within its float"
        )
    if delay > 0 and not parts:
        parts.append(f"{_amount(project, delay)} later")
    return "; ".join(parts)


# --------------------------------------------------------------------------- assembly


def _result(
    project: Project,
    problem: _Problem,
    cpm: Schedule,
    options: ScheduleOptions,
    starts: IntArray,
    grid: int,
    found: RcpspResult,
    *,
    method: str,
    within_float: bool,
    seconds: float,
) -> LevelledSchedule:
    compiled = problem.compiled
    leaves = compiled.leaves
    n = len(leaves)
    d = problem.durations
    analysis = _analyse(problem, starts, grid, found.forced)
    P = list(compiled.predecessors)
    S = list(compiled.successors)
    W = problem.weights
    m = len(P)
    hand_p = [p for p, _ in analysis.handovers]
    hand_s = [s for _, s in analysis.handovers]
    allP = np.asarray(P + hand_p, dtype=np.int64)
    allS = np.asarray(S + hand_s, dtype=np.int64)
    allW = np.concatenate([W, d[np.asarray(hand_p, dtype=np.int64)]]).astype(np.int64)
    finish = starts + d
    makespan = int(finish.max()) if n else 0
    pinned = problem.pinned != NONE
    ls = _late_starts(problem, starts, makespan, allP, allS, allW, pinned, options)
    total = ls - starts
    gaps = starts[allS] - starts[allP] - allW if allP.size else np.zeros(0, np.int64)
    free = np.maximum(total, 0)
    for e in range(allP.shape[0]):
        p = int(allP[e])
        free[p] = min(free[p], max(int(gaps[e]), 0))
    driving = (gaps == 0).tolist()
    table, origin = problem.table, problem.origin
    milestone = d == 0
    if table is None:

        def conv_s(values: Any) -> list[Any]:
            return list(np.asarray(values).tolist())

        conv_f = conv_s
    else:

        def conv_s(values: Any) -> list[Any]:
            return _to_datetimes(table, origin, values, milestone, start_reading=True)

        def conv_f(values: Any) -> list[Any]:
            return _to_datetimes(table, origin, values, milestone, start_reading=False)

    start_dates = conv_s(starts)
    finish_dates = conv_f(finish)
    for own in np.flatnonzero(problem.own).tolist():  # dates on their own calendar
        if starts[own] == problem.cpm_start[own]:
            start_dates[own], finish_dates[own] = cpm[leaves[own]].start, cpm[leaves[own]].finish
        else:
            start_dates[own], finish_dates[own] = _own_dates(problem, own, int(starts[own]))
    for i in np.flatnonzero(problem.started).tolist():  # actual dates, as the CPM read them
        start_dates[i], finish_dates[i] = cpm[leaves[i]].start, cpm[leaves[i]].finish
    resource_ids = problem.resources
    driven = []
    for i in range(n):
        if analysis.waits[i]:
            names = ", ".join(resource_ids[k] for k, _, _ in analysis.waits[i])
            driven.append(f"levelling: waits for {names}")
        elif problem.started[i]:
            driven.append(cpm[leaves[i]].driven_by)
        elif pinned[i]:
            driven.append(
                f"constraint {ConstraintCode(compiled.constraint_types[i]).name} (pinned)"
            )
        elif starts[i] == analysis.logic[i] * grid and starts[i] > problem.release[i]:
            driven.append("links")
        elif problem.release[i] > 0 and starts[i] == problem.release[i]:
            kind = ConstraintCode(compiled.constraint_types[i]).name
            driven.append(
                "ALAP: no earlier than its late start" if kind == "ALAP" else f"constraint {kind}"
            )
        else:
            driven.append("project start")
    times = _LeafTimes(
        es=start_dates,
        ef=finish_dates,
        ls=conv_s(ls),
        lf=conv_f(ls + d),
        start=start_dates,
        finish=finish_dates,
        start_slack=total.tolist(),
        finish_slack=total.tolist(),
        total=total.tolist(),
        free=free.tolist(),
        driving=driving,
        gaps=gaps.tolist(),
        driven_by=driven,
        project_finish=max(finish_dates) if n else cpm.finish,
        override=[False] * n,
        below_start=(starts < 0).tolist(),
    )
    augmented = attrs.evolve(
        compiled,
        predecessors=allP.tolist(),
        successors=allS.tolist(),
        types=[*compiled.types, *([0] * len(hand_p))],
        lags=[*compiled.lags, *([0] * len(hand_p))],
        lag_elapsed=[*compiled.lag_elapsed, *([False] * len(hand_p))],
        origin=[*compiled.origin, *([-1] * len(hand_p))],
        warnings=[],
    )
    levelled = _assemble(augmented, times, options)
    resource_links = tuple(attrs.evolve(link, type="resource") for link in levelled.links[m:])
    warnings = [*levelled.warnings, *problem.warnings]
    warnings += _levelling_warnings(project, problem, starts, pinned, analysis, start_dates)
    levelled = attrs.evolve(levelled, links=levelled.links[:m], warnings=tuple(warnings))
    # per-activity explanations
    by_id: dict[str, LevelledActivity] = {}
    for i, aid in enumerate(leaves):
        activity = project.activity(aid)
        delay = int(starts[i] - problem.cpm_start[i])
        logic = int(analysis.logic[i]) * grid
        behind = max(0, logic - int(problem.cpm_start[i]))
        c = cpm[aid]
        by_id[aid] = LevelledActivity(
            id=aid,
            name=activity.name,
            start=start_dates[i],
            finish=finish_dates[i],
            cpm_start=c.start,
            cpm_finish=c.finish,
            late_start=c.late_start,
            delay=delay,
            resource_delay=max(0, int(starts[i]) - logic),
            waits=tuple(
                ResourceWait(resource_ids[k], amount, tuple(leaves[h] for h in holders))
                for k, amount, holders in sorted(analysis.waits[i], key=lambda w: -w[1])
            ),
            explanation=_explain(
                project,
                resource_ids,
                delay,
                behind,
                analysis.waits[i],
                leaves,
                analysis.unresolved[i],
                _pin_reason(problem, i),
            ),
            unresolved=analysis.unresolved[i],
        )
    for activity in project.activities:
        if activity.id in by_id:
            continue
        s, c = levelled[activity.id], cpm[activity.id]
        delay = _work_between(project, c.start, s.start)
        by_id[activity.id] = LevelledActivity(
            id=activity.id,
            name=activity.name,
            start=s.start,
            finish=s.finish,
            cpm_start=c.start,
            cpm_finish=c.finish,
            late_start=c.late_start,
            delay=delay,
            explanation="its activities moved" if delay or s.finish != c.finish else "",
            summary=True,
        )
    cpm_makespan = int(max(int(problem.cpm_start[i] + d[i]) for i in range(n))) if n else 0
    return LevelledSchedule(
        project_id=project.id,
        schedule=levelled,
        cpm=cpm,
        activities=tuple(by_id[a.id] for a in project.activities),
        resource_links=resource_links,
        method=method,
        makespan=makespan,
        cpm_makespan=cpm_makespan,
        schedules=found.schedules,
        seconds=seconds,
        optimal=found.optimal,
        lower_bound=None if found.lower_bound is None else found.lower_bound * grid,
        unresolved=tuple(leaves[i] for i in range(n) if analysis.unresolved[i]),
        within_float=within_float,
    )


def _work_between(project: Project, a: Any, b: Any) -> int:
    if isinstance(a, datetime) and isinstance(b, datetime):
        table = project.calendar.table
        return table.to_working(to_minute_index(b)) - table.to_working(to_minute_index(a))
    return int(b - a)


def _late_starts(
    problem: _Problem,
    starts: IntArray,
    makespan: int,
    P: IntArray,
    S: IntArray,
    W: IntArray,
    pinned: npt.NDArray[np.bool_],
    options: ScheduleOptions,
) -> IntArray:
    """Latest starts by links and resource hand-overs against the levelled finish."""
    compiled = problem.compiled
    d = problem.durations
    n = d.shape[0]
    table, origin = problem.table, problem.origin
    ls = makespan - d
    if options.multiple_critical_paths and n:
        has_succ = np.zeros(n, bool)
        has_succ[P] = True
        ls = np.where(has_succ, ls, starts)
    for i in range(n):
        kind = compiled.constraint_types[i]
        when = compiled.constraint_dates[i]
        if when is not None and kind == ConstraintCode.SNLT:
            ls[i] = min(ls[i], _coordinate(table, origin, when))
        elif when is not None and kind == ConstraintCode.FNLT:
            ls[i] = min(ls[i], _coordinate(table, origin, when) - d[i])
        deadline = compiled.deadlines[i]
        if deadline is not None:
            ls[i] = min(ls[i], _coordinate(table, origin, deadline) - d[i])
    ls = np.where(pinned, starts, ls)
    if P.size:
        live = ~pinned[P]
        p, s, w = P[live], S[live], W[live]
        for _ in range(n + 1):
            before = ls.copy()
            np.minimum.at(ls, p, ls[s] - w)
            if np.array_equal(before, ls):
                break
    return ls


def _levelling_warnings(
    project: Project,
    problem: _Problem,
    starts: IntArray,
    pinned: npt.NDArray[np.bool_],
    analysis: _Analysis,
    start_dates: list[Any],
) -> list[ScheduleWarning]:
    out: list[ScheduleWarning] = []
    compiled = problem.compiled
    leaves = compiled.leaves
    d = problem.durations
    for e, (p, s) in enumerate(zip(compiled.predecessors, compiled.successors, strict=True)):
        if pinned[s] and not pinned[p] and starts[s] < starts[p] + problem.weights[e]:
            out.append(
                ScheduleWarning(
                    "levelling-link",
                    leaves[s],
                    f"{_pin_reason(problem, s)}, it no longer follows {leaves[p]!r}: "
                    "levelling delayed the predecessor",
                )
            )
    table, origin = problem.table, problem.origin
    for i, aid in enumerate(leaves):
        kind = compiled.constraint_types[i]
        when = compiled.constraint_dates[i]
        if when is None or kind not in (ConstraintCode.SNLT, ConstraintCode.FNLT):
            continue
        limit = _coordinate(table, origin, when)
        actual = int(starts[i]) if kind == ConstraintCode.SNLT else int(starts[i] + d[i])
        if actual > limit:
            out.append(
                ScheduleWarning(
                    "levelling-constraint",
                    aid,
                    f"levelling moved it past its {ConstraintCode(kind).name} date "
                    f"{_when(when)} by {_amount(project, actual - limit)}",
                )
            )
    for i, aid in enumerate(leaves):
        if analysis.unresolved[i]:
            out.append(
                ScheduleWarning(
                    "over-allocation",
                    aid,
                    f"starts {_when(start_dates[i])} over a resource's capacity "
                    + (
                        f"({_pin_reason(problem, i)})"
                        if pinned[i]
                        else "(it could not be levelled within its float)"
                    ),
                )
            )
    return out


def _when(value: Any) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


# --------------------------------------------------------------------------- report


def over_allocations(
    project: Project, schedule: Schedule | LevelledSchedule | None = None
) -> tuple[OverAllocation, ...]:
    """Every stretch of time in which a work resource is asked for more than it has.

    Exact to the minute (dated projects) or the unit (undated ones): two activities that
    share a resource on the same day, one after the other, are no over-allocation.

    Parameters
    ----------
    project
        The project with its resources and assignments.
    schedule
        Its schedule, e.g. a levelled one (the CPM schedule when None).

    Returns
    -------
    tuple of OverAllocation
        In order of resource, then time.

    Examples
    --------
    >>> from pmsm_core import Activity, Assignment, Duration, Project, Resource, level
    >>> p = Project(
    ...     "P",
    ...     resources=[Resource("R", capacity=1)],
    ...     activities=[
    ...         Activity("A", duration=Duration(2), assignments=[Assignment("R")]),
    ...         Activity("B", duration=Duration(3), assignments=[Assignment("R")]),
    ...     ],
    ... )
    >>> [str(x) for x in over_allocations(p)]
    ['R: 2 units asked for, 1 available, 0 -> 2 (A, B)']
    >>> over_allocations(p, level(p))
    ()
    """
    if isinstance(schedule, LevelledSchedule):
        schedule = schedule.schedule
    if schedule is None:
        from pmsm_core.scheduling.schedule import schedule as run

        schedule = run(project)
    out: list[OverAllocation] = []
    order = {a.id: i for i, a in enumerate(project.activities)}
    for resource in project.resources:
        if resource.kind is not ResourceKind.WORK:
            continue
        events: list[tuple[int, float, str]] = []
        for activity in project.activities:
            if activity.id not in schedule or project.is_summary(activity.id):
                continue
            units = sum(a.units for a in activity.assignments if a.resource == resource.id)
            sa = schedule[activity.id]
            a, b = _instant(sa.start), _instant(sa.finish)
            if units > 0 and b > a:
                events.append((a, units, activity.id))
                events.append((b, -units, activity.id))
        events.sort(key=lambda e: (e[0], e[1]))
        load = 0.0
        active: dict[str, None] = {}
        current: list[Any] | None = None
        for i, (t, units, aid) in enumerate(events):
            load += units
            if units > 0:
                active[aid] = None
            else:
                active.pop(aid, None)
            if i + 1 < len(events) and events[i + 1][0] == t:
                continue
            if load > resource.capacity + _EPS:
                if current is None:
                    current = [t, t, load, dict(active)]
                current[2] = max(current[2], load)
                current[3].update(active)
            elif current is not None:
                current[1] = t
                current[3] = sorted(current[3], key=order.__getitem__)
                out.append(_over(resource.id, resource.capacity, current, schedule))
                current = None
    return tuple(out)


def _instant(value: datetime | int) -> int:
    return to_minute_index(value) if isinstance(value, datetime) else int(value)


def _over(resource: str, capacity: float, item: list[Any], schedule: Schedule) -> OverAllocation:
    from pmsm_core.calendars import from_minute_index

    def back(t: int) -> datetime | int:
        return from_minute_index(t) if schedule.is_dated else t

    return OverAllocation(
        resource,
        back(item[0]),
        back(item[1]),
        round(float(item[2]), 9),
        capacity,
        tuple(item[3]),
    )
