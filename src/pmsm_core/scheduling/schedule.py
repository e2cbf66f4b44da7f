"""``schedule(project)``: critical-path scheduling with Microsoft Project's semantics.

Two engines share one set of rules:

* **Integer engine.** Undated projects, and dated projects whose activities all run on the
  project calendar with working-time lags, are scheduled in working minutes by the lean
  :class:`~pmsm_core.scheduling.Network` core and converted to datetimes once, with
  vectorised calendar look-ups.
* **Calendar engine.** Projects with per-activity calendars or elapsed lags are scheduled
  activity by activity on each activity's own calendar, with lags counted on the calendar
  chosen by :attr:`~pmsm_core.ScheduleOptions.lag_calendar`.

Rules (see the docs page "Scheduling rules" for sources):

* A start is moved to the next working instant of the activity's calendar; a finish is
  read at the end of the previous working period (Friday 17:00, not Monday 08:00). A
  milestone takes the finish reading unless that lies before the project start.
* No activity starts before the project start, except by a hard constraint (MSO, MFO,
  SNLT, FNLT honoured).
* Constraint dates beat logic when ``honor_constraints`` (the default); the conflict
  shows as negative float and a warning. Deadlines never move early dates; they cap late
  finishes.
* Late finishes never exceed the project finish (one's own early finish for activities
  without successors under ``multiple_critical_paths``). MSO and MFO set the late dates to
  the constraint.
* Total float is the smaller of start and finish slack; free float is measured per link
  type on the predecessor's calendar, floored at 0 and capped by the total float.
* ALAP activities are placed at their late dates; their successors are driven by those
  late dates (a second forward pass) and their own floats are 0 (or negative when a
  constraint or deadline conflicts), as in MPXJ's model of Microsoft Project; late dates
  that a conflict puts before the early ones leave the activity at its early dates.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import attrs
import numpy as np

from pmsm_core._util import no_gc
from pmsm_core.calendars import WorkingTimeTable, from_minute_index, to_minute_index
from pmsm_core.model.project import Project
from pmsm_core.scheduling import progress as _progress
from pmsm_core.scheduling.compile import CompiledProject, compile_project
from pmsm_core.scheduling.network import NONE, ConstraintCode, LinkCode, Network
from pmsm_core.scheduling.results import (
    CriticalDefinition,
    LagCalendar,
    Schedule,
    ScheduledActivity,
    ScheduledLink,
    ScheduleOptions,
    ScheduleWarning,
)

__all__ = ["schedule"]

_LINK_NAMES = ("FS", "SS", "FF", "SF")
_CONSTRAINT_NAMES = tuple(c.name for c in ConstraintCode)
_MAX_PATH_STEPS = 200_000


@attrs.define
class _LeafTimes:
    """Per-leaf results of an engine, in the project's time domain."""

    es: list[Any]
    ef: list[Any]
    ls: list[Any]
    lf: list[Any]
    start: list[Any]
    finish: list[Any]
    start_slack: list[int]
    finish_slack: list[int]
    total: list[int]
    free: list[int]
    driving: list[bool]
    gaps: list[int]
    driven_by: list[str]
    project_finish: Any
    override: list[bool]
    below_start: list[bool]
    #: Progress (set by :func:`~pmsm_core.scheduling.progress.overlay`): complete leaves
    #: and the durations to report (actual plus remaining).
    finished: list[bool] = attrs.Factory(list)
    durations: list[int] | None = None


def schedule(project: Project, *, options: ScheduleOptions | None = None) -> Schedule:
    """Compute early and late dates, floats and critical paths of ``project``.

    Parameters
    ----------
    project
        A dated or undated :class:`~pmsm_core.Project`.
    options
        :class:`~pmsm_core.ScheduleOptions`; Microsoft Project's defaults when None.

    Returns
    -------
    Schedule
        Dates (datetimes, or numbers for undated projects), floats (working minutes, or
        units), critical flags and paths, driving links and warnings.

    Raises
    ------
    CycleError
        If the dependencies contain a cycle; the error lists the activities of one cycle.

    Examples
    --------
    >>> from datetime import datetime
    >>> from pmsm_core import Activity, Dependency, Duration, Project
    >>> p = Project(
    ...     "P",
    ...     start=datetime(2026, 1, 2, 8),
    ...     activities=[
    ...         Activity("A", duration=Duration.from_days(1)),
    ...         Activity("B", duration=Duration.from_days(2)),
    ...     ],
    ...     dependencies=[Dependency("A", "B")],
    ... )
    >>> s = schedule(p)
    >>> s["B"].early_start, s.finish
    (datetime.datetime(2026, 1, 5, 8, 0), datetime.datetime(2026, 1, 6, 17, 0))
    >>> s.critical_paths
    (('A', 'B'),)
    """
    options = options or ScheduleOptions()
    with no_gc():
        compiled, times = _compile_and_run(project, options)
        return _assemble(compiled, times, options)


def _compile_and_run(
    project: Project, options: ScheduleOptions
) -> tuple[CompiledProject, _LeafTimes]:
    """Compile ``project`` (summary links resolved, progress planned) and run the CPM
    engine on it."""
    compiled = compile_project(project, options)
    compiled.progress = _progress.plan_progress(compiled, options)
    times = _run(compiled, options)
    if compiled.deferred:
        _resolve_deferred(compiled, times)
        times = _run(compiled, options)
    return compiled, times


def _run(
    compiled: CompiledProject, options: ScheduleOptions, *, engine: str = "auto"
) -> _LeafTimes:
    if engine == "calendar" or (engine == "auto" and not compiled.single_calendar):
        times = _calendar_engine(compiled, options)
    else:
        times = _integer_engine(compiled, options)
    if compiled.progress is not None:
        _progress.overlay(compiled, compiled.progress, times)
    return times


def _resolve_deferred(compiled: CompiledProject, times: _LeafTimes) -> None:
    """Attach SS/SF links from summaries to each summary's earliest leaf."""
    for dependency, pred_leaves, succ, code in compiled.deferred:
        earliest = min(pred_leaves, key=lambda i: (times.es[i], i))
        compiled.add_link(dependency, earliest, succ, code)
    compiled.deferred = []


# --------------------------------------------------------------------------- integer engine


def _integer_network(
    compiled: CompiledProject,
) -> tuple[Network, WorkingTimeTable | None, int, list[int] | None, list[int] | None]:
    """The CPM network of a single-calendar project in working minutes (or units), with
    its constraints and deadlines; the project calendar's table and the working-minute
    coordinate of the project start (None and 0 for undated projects); with progress,
    the fixed starts of started leaves and the earliest starts of the others (see
    :func:`~pmsm_core.scheduling.progress.integer_inputs`), else None."""
    project = compiled.project
    plan = compiled.progress
    table: WorkingTimeTable | None = None
    origin = 0
    if project.start is not None:
        table = project.calendar.table
        origin = table.to_working(to_minute_index(project.start))
    lags: list[int] = compiled.lags
    fixed: list[int] | None = None
    floors: list[int] | None = None
    if plan is not None:
        lags, fixed, floors = _progress.integer_inputs(compiled, plan, origin)
    durations = np.asarray(compiled.durations if plan is None else plan.durations, dtype=np.int64)
    network = Network(
        durations,
        compiled.predecessors,
        compiled.successors,
        np.asarray(compiled.types, dtype=np.int8) if compiled.types else None,
        lags or None,
        ids=compiled.leaves,
    )

    ctypes = compiled.constraint_types
    if any(ctypes) or any(d is not None for d in compiled.deadlines):
        times = [
            _coordinate(table, origin, d) if d is not None else 0 for d in compiled.constraint_dates
        ]
        deadlines = [_coordinate(table, origin, d) for d in compiled.deadlines]
        network = network.with_constraints(ctypes, times, deadlines=deadlines)
    return network, table, origin, fixed, floors


def _coordinate(table: WorkingTimeTable | None, origin: int, value: datetime | int | None) -> int:
    """A date of the project in the integer engine's timeline (``NONE`` for None)."""
    if value is None:
        return int(NONE)
    if table is None:
        return int(value)  # type: ignore[arg-type]
    assert isinstance(value, datetime)
    return table.to_working(to_minute_index(value)) - origin


def _integer_engine(compiled: CompiledProject, options: ScheduleOptions) -> _LeafTimes:
    n = len(compiled.leaves)
    network, table, origin, fixed, floors = _integer_network(compiled)
    durations = network.durations
    result = network.cpm(
        start=0,
        multiple_critical_paths=options.multiple_critical_paths,
        honor_constraints=options.honor_constraints,
        fixed_starts=fixed,
        earliest_starts=floors,
    )
    es, ef, ls, lf = result.early_start, result.early_finish, result.late_start, result.late_finish
    placed_s, placed_f = result.start, result.placed_finish
    milestone = durations == 0
    if table is None:
        convert_s = convert_f = _as_ints
    else:

        def convert_s(values: Any) -> list[Any]:
            return _to_datetimes(table, origin, values, milestone, start_reading=True)

        def convert_f(values: Any) -> list[Any]:
            return _to_datetimes(table, origin, values, milestone, start_reading=False)

    ef_values = convert_f(ef)
    if n:
        project_finish: Any = max(ef_values)
    elif table is None:
        project_finish = 0
    else:
        project_finish = from_minute_index(table.from_working(origin, finish=False))
    # gaps of every link, in the network's order of links
    p_arr = np.asarray(compiled.predecessors, dtype=np.int64)
    s_arr = np.asarray(compiled.successors, dtype=np.int64)
    gaps = (placed_s[s_arr] - placed_s[p_arr] - network.weights).tolist() if n else []
    driven = _driven_by(
        compiled,
        has_preds=np.bincount(s_arr, minlength=n) > 0 if n else np.zeros(0, bool),
        es=es,
        logic=result.logic_start,
        start=0,
        override=result.constraint_override,
    )
    return _LeafTimes(
        es=convert_s(es),
        ef=ef_values,
        ls=convert_s(ls),
        lf=convert_f(lf),
        start=convert_s(placed_s),
        finish=convert_f(placed_f),
        start_slack=result.start_slack.tolist(),
        finish_slack=result.finish_slack.tolist(),
        total=result.total_float.tolist(),
        free=result.free_float.tolist(),
        driving=result.driving.tolist(),
        gaps=gaps,
        driven_by=driven,
        project_finish=project_finish,
        override=result.constraint_override.tolist(),
        below_start=(es < 0).tolist(),
    )


def _as_ints(values: Any) -> list[Any]:
    return list(np.asarray(values).tolist())


def _to_datetimes(
    table: WorkingTimeTable,
    origin: int,
    values: Any,
    milestone: Any,
    *,
    start_reading: bool,
) -> list[Any]:
    """Working coordinates -> datetimes: starts at the next working instant, finishes at
    the end of the previous period, milestones at the finish reading unless before start."""
    w = np.asarray(values, dtype=np.int64) + origin
    if w.size == 0:
        return []
    start_read = table.from_working_array(w, finish=False)
    finish_read = table.from_working_array(w, finish=True)
    first = int(table.from_working(origin, finish=False))
    if start_reading:
        chosen = np.where(milestone & (finish_read >= first), finish_read, start_read)
    else:
        chosen = np.where(milestone & (finish_read < first), start_read, finish_read)
    from pmsm_core.calendars import _index_to_datetime64

    return list(_index_to_datetime64(chosen).astype("datetime64[m]").tolist())


def _driven_by(
    compiled: CompiledProject,
    *,
    has_preds: Any,
    es: Any,
    logic: Any,
    start: Any,
    override: Any,
) -> list[str]:
    out: list[str] = []
    types = compiled.constraint_types
    for i in range(len(compiled.leaves)):
        kind = types[i]
        if kind == ConstraintCode.ALAP:
            out.append("ALAP: placed at its late dates")
        elif override[i]:
            out.append(f"constraint {_CONSTRAINT_NAMES[kind]} (overrides its links)")
        elif has_preds[i] and logic[i] == es[i]:
            out.append("links")
        elif (
            kind
            in (
                ConstraintCode.SNET,
                ConstraintCode.FNET,
                ConstraintCode.MSO,
                ConstraintCode.MFO,
                ConstraintCode.SNLT,
                ConstraintCode.FNLT,
            )
            and es[i] != start
        ):
            out.append(f"constraint {_CONSTRAINT_NAMES[kind]}")
        else:
            out.append("project start")
    return out


# --------------------------------------------------------------------------- calendar engine


class _Clock:
    """Working-time operations on minute indices for one activity's calendar."""

    __slots__ = ("table",)

    def __init__(self, table: WorkingTimeTable) -> None:
        self.table = table

    def w(self, t: int) -> int:
        return self.table.to_working(t)

    def next_start(self, t: int) -> int:
        table = self.table
        return table.from_working(table.to_working(t), finish=False)

    def prev_finish(self, t: int) -> int:
        table = self.table
        w = table.to_working(t)
        return table.from_working(w, finish=True)

    def add(self, t: int, minutes: int) -> int:
        if minutes == 0:
            return t
        table = self.table
        return table.from_working(table.to_working(t) + minutes, finish=minutes > 0)

    def sub(self, t: int, minutes: int) -> int:
        if minutes == 0:
            return t
        table = self.table
        return table.from_working(table.to_working(t) - minutes, finish=minutes < 0)


def _calendar_engine(compiled: CompiledProject, options: ScheduleOptions) -> _LeafTimes:
    project = compiled.project
    assert project.start is not None
    assert compiled.calendars is not None
    n = len(compiled.leaves)
    plan = compiled.progress
    d = compiled.durations if plan is None else plan.durations
    fixed_at: list[int | None] | None = None
    anchor_at: list[int | None] = [None] * n
    floor_at: list[int | None] = [None] * n
    skip = [False] * len(compiled.predecessors)
    if plan is not None:
        fixed_at, anchor_at, floor_at, skip = _progress.calendar_inputs(compiled, plan)
    clocks = [_Clock(cal.table) for cal in compiled.calendars]
    project_clock = _Clock(project.calendar.table)
    P, S, T, L = compiled.predecessors, compiled.successors, compiled.types, compiled.lags
    elapsed = compiled.lag_elapsed
    m = len(P)
    order = Network(d, P, S, ids=compiled.leaves).topological_order.tolist()
    ins: list[list[int]] = [[] for _ in range(n)]
    outs: list[list[int]] = [[] for _ in range(n)]
    for e in range(m):
        ins[S[e]].append(e)
        outs[P[e]].append(e)
    start_abs = to_minute_index(project.start)
    first_start = project_clock.next_start(start_abs)
    ctype = compiled.constraint_types
    cdate = [
        to_minute_index(x) if isinstance(x, datetime) else None for x in compiled.constraint_dates
    ]
    deadline = [to_minute_index(x) if isinstance(x, datetime) else None for x in compiled.deadlines]
    honor = options.honor_constraints
    lag_mode = options.lag_calendar

    def lag_clock(e: int) -> _Clock | None:
        if elapsed[e] or lag_mode is LagCalendar.ELAPSED:
            return None
        if lag_mode is LagCalendar.SUCCESSOR:
            return clocks[S[e]]
        if lag_mode is LagCalendar.PREDECESSOR:
            return clocks[P[e]]
        return project_clock

    lag_clocks = [lag_clock(e) for e in range(m)]

    def apply_lag(e: int, t: int) -> int:
        """The earliest instant ``lag`` after ``t`` (forward pass)."""
        lag = L[e]
        if lag == 0:
            return t
        clock = lag_clocks[e]
        if clock is None:
            return t + lag
        return clock.table.from_working(clock.w(t) + lag, finish=True)

    def remove_lag(e: int, t: int) -> int:
        """The latest instant ``lag`` before ``t`` (backward pass, the inverse bound)."""
        lag = L[e]
        if lag == 0:
            return t
        clock = lag_clocks[e]
        if clock is None:
            return t - lag
        return clock.table.from_working(clock.w(t) - lag, finish=False)

    tables = [c.table for c in clocks]

    def same_forward(e: int, j: int) -> bool:
        """The link's anchor instant was made on ``j``'s own calendar (W-equivalence holds)."""
        lag_clock = lag_clocks[e]
        if L[e] == 0:
            return tables[P[e]] is tables[j]
        return lag_clock is not None and lag_clock.table is tables[j]

    def same_backward(e: int, j: int) -> bool:
        lag_clock = lag_clocks[e]
        if L[e] == 0:
            return tables[S[e]] is tables[j]
        return lag_clock is not None and lag_clock.table is tables[j]

    def at_boundary(j: int, t: int) -> bool:
        table = tables[j]
        return table.is_working(t) or table.is_working(t - 1)

    def milestone_reading(j: int, t: int) -> int:
        clock = clocks[j]
        f = clock.prev_finish(t)
        return f if f >= first_start else clock.next_start(t)

    def start_at_least(j: int, t: int, same: bool) -> int:
        """The earliest start reading of ``j`` that respects a start bound ``t``."""
        if d[j]:
            return clocks[j].next_start(t)
        r = milestone_reading(j, t)
        if r < t and not same:
            r = t if at_boundary(j, t) else clocks[j].next_start(t)
        return r

    def start_for_finish_at_least(j: int, f: int, same: bool) -> int:
        """The earliest start of ``j`` whose finish respects a finish bound ``f``."""
        if d[j] == 0:
            return start_at_least(j, f, same)
        table = tables[j]
        w = table.to_working(f)
        if not same and table.from_working(w, finish=True) < f:
            w += 1  # the finish reading of f lies before f on this calendar
        return table.from_working(w - d[j], finish=False)

    def finish_at_most(j: int, x: int, same: bool) -> int:
        """The latest finish reading of ``j`` that respects a finish bound ``x``."""
        if d[j]:
            return clocks[j].prev_finish(x)
        r = milestone_reading(j, x)
        if r > x and not same:
            r = x if at_boundary(j, x) else clocks[j].prev_finish(x)
        return r

    def finish_for_start_at_most(j: int, y: int, same: bool) -> int:
        """The latest finish of ``j`` whose start respects a start bound ``y``."""
        if d[j] == 0:
            return finish_at_most(j, y, same)
        table = tables[j]
        w = table.to_working(y)
        if not same and table.from_working(w, finish=False) > y:
            w -= 1  # the start reading of y lies after y on this calendar
        return table.from_working(w + d[j], finish=True)

    es = [0] * n
    ef = [0] * n
    logic_w: list[int | None] = [None] * n
    override = [False] * n

    def forward(late_s: list[int] | None, late_f: list[int] | None) -> None:
        for j in order:
            clock = clocks[j]
            if fixed_at is not None and (fixed := fixed_at[j]) is not None:
                es[j], ef[j] = fixed, clock.add(fixed, d[j])  # started: progress beats logic
                continue
            kind = ctype[j]
            date = cdate[j]
            floor = floor_at[j]
            earliest = first_start if floor is None else max(floor, first_start)
            value = start_at_least(j, earliest, True)
            if date is not None:
                if kind == ConstraintCode.SNET:
                    value = max(value, start_at_least(j, date, True))
                elif kind == ConstraintCode.FNET:
                    value = max(value, start_for_finish_at_least(j, date, True))
            logic: int | None = None
            for e in ins[j]:
                p = P[e]
                alap = late_s is not None and ctype[p] == ConstraintCode.ALAP
                anchor = anchor_at[p]
                # an ALAP predecessor sits at its late dates, never before its early ones
                p_start = max(late_s[p], es[p]) if alap and late_s is not None else es[p]
                if anchor is not None:
                    p_start = anchor
                p_finish = max(late_f[p], ef[p]) if alap and late_f is not None else ef[p]
                kind_e = T[e]
                same = same_forward(e, j)
                if kind_e == LinkCode.FS:
                    cand = start_at_least(j, apply_lag(e, p_finish), same)
                elif kind_e == LinkCode.SS:
                    cand = start_at_least(j, apply_lag(e, p_start), same)
                elif kind_e == LinkCode.FF:
                    cand = start_for_finish_at_least(j, apply_lag(e, p_finish), same)
                else:
                    cand = start_for_finish_at_least(j, apply_lag(e, p_start), same)
                if logic is None or cand > logic:
                    logic = cand
            if logic is not None and logic > value:
                value = logic
            if date is not None:
                if honor:
                    if kind == ConstraintCode.SNLT:
                        value = min(value, start_at_least(j, date, True))
                    elif kind == ConstraintCode.FNLT:
                        value = min(value, start_for_finish_at_least(j, date, True))
                    elif kind == ConstraintCode.MSO:
                        value = start_at_least(j, date, True)
                    elif kind == ConstraintCode.MFO:
                        value = start_for_finish_at_least(j, date, True)
                elif kind == ConstraintCode.MSO:
                    value = max(value, start_at_least(j, date, True))
                elif kind == ConstraintCode.MFO:
                    value = max(value, start_for_finish_at_least(j, date, True))
            es[j] = value
            ef[j] = clock.add(value, d[j])
            logic_w[j] = clock.w(logic) if logic is not None else None
            override[j] = logic is not None and clock.w(value) < clock.w(logic)

    forward(None, None)
    project_finish = max(ef) if n else first_start
    finish_table = tables[max(range(n), key=lambda j: (ef[j], -j))] if n else None
    ls = [0] * n
    lf = [0] * n
    for j in reversed(order):
        clock = clocks[j]
        if options.multiple_critical_paths and not outs[j]:
            value = finish_at_most(j, min(ef[j], project_finish), True)
        else:
            value = finish_at_most(j, project_finish, tables[j] is finish_table)
        for e in outs[j]:
            if skip[e]:  # progress: see pmsm_core.scheduling.progress.link_modes
                continue
            s = S[e]
            kind_e = T[e]
            same = same_backward(e, j)
            succ_time = ls[s] if kind_e in (LinkCode.FS, LinkCode.SS) else lf[s]
            if not same:
                # across calendars (or elapsed lags) wall-clock time counts: take the latest
                # instant of the successor's date in its own working time (Monday 08:00
                # rather than Friday 17:00), as the forward pass never placed it earlier
                succ_time = clocks[s].next_start(succ_time)
            if kind_e in (LinkCode.FS, LinkCode.FF):
                cand = finish_at_most(j, remove_lag(e, succ_time), same)
            else:
                cand = finish_for_start_at_most(j, remove_lag(e, succ_time), same)
            value = min(value, cand)
        kind = ctype[j]
        date = cdate[j]
        if date is not None:
            if kind == ConstraintCode.SNLT:
                value = min(value, clock.add(start_at_least(j, date, True), d[j]))
            elif kind == ConstraintCode.FNLT:
                value = min(value, finish_at_most(j, date, True))
        dl = deadline[j]
        if dl is not None:
            value = min(value, finish_at_most(j, dl, True))
        if date is not None:
            if kind == ConstraintCode.MSO:
                value = clock.add(start_at_least(j, date, True), d[j])
            elif kind == ConstraintCode.MFO:
                value = finish_at_most(j, date, True)
        lf[j] = value
        ls[j] = tables[j].from_working(clock.w(value) - d[j], finish=False) if d[j] else value
    alap = [ctype[j] == ConstraintCode.ALAP for j in range(n)]
    if any(alap):
        forward(ls, lf)
        project_finish = max(ef)
    start_slack, finish_slack, total, free = [0] * n, [0] * n, [0] * n, [0] * n
    for j in range(n):
        clock = clocks[j]
        start_slack[j] = clock.w(ls[j]) - clock.w(es[j])
        finish_slack[j] = clock.w(lf[j]) - clock.w(ef[j])
        if alap[j]:  # its float is used up; negative float (a conflict) still shows
            start_slack[j], finish_slack[j] = min(start_slack[j], 0), min(finish_slack[j], 0)
        total[j] = min(start_slack[j], finish_slack[j])
    placed_s = [max(ls[j], es[j]) if alap[j] else es[j] for j in range(n)]
    placed_f = [max(lf[j], ef[j]) if alap[j] else ef[j] for j in range(n)]
    gaps = [0] * m
    driving = [False] * m
    for e in range(m):
        p, s = P[e], S[e]
        pc = clocks[p]
        kind_e = T[e]
        actual = anchor_at[p]
        start_p = placed_s[p] if actual is None else actual
        anchor = placed_f[p] if kind_e in (LinkCode.FS, LinkCode.FF) else start_p
        target = placed_s[s] if kind_e in (LinkCode.FS, LinkCode.SS) else placed_f[s]
        gaps[e] = pc.w(target) - pc.w(apply_lag(e, anchor))
        sc = clocks[s]
        same = same_forward(e, s)
        if kind_e in (LinkCode.FS, LinkCode.SS):
            cand = start_at_least(s, apply_lag(e, anchor), same)
        else:
            cand = start_for_finish_at_least(s, apply_lag(e, anchor), same)
        driving[e] = (
            logic_w[s] is not None and not override[s] and sc.w(cand) == logic_w[s] == sc.w(es[s])
        )
    for j in range(n):
        live = [gaps[e] for e in outs[j] if not skip[e]]
        if live:
            free[j] = min(max(min(live), 0), max(total[j], 0))
        else:
            free[j] = max(total[j], 0)
    has_preds = [bool(ins[j]) for j in range(n)]
    logic_vals = [
        es[j] if logic_w[j] is not None and logic_w[j] == clocks[j].w(es[j]) else None
        for j in range(n)
    ]
    driven = _driven_by(
        compiled, has_preds=has_preds, es=es, logic=logic_vals, start=first_start, override=override
    )

    def dt(values: Sequence[int]) -> list[Any]:
        return [from_minute_index(v) for v in values]

    return _LeafTimes(
        es=dt(es),
        ef=dt(ef),
        ls=dt(ls),
        lf=dt(lf),
        start=dt(placed_s),
        finish=dt(placed_f),
        start_slack=start_slack,
        finish_slack=finish_slack,
        total=total,
        free=free,
        driving=driving,
        gaps=gaps,
        driven_by=driven,
        project_finish=from_minute_index(project_finish),
        override=override,
        below_start=[clocks[j].w(es[j]) < clocks[j].w(first_start) for j in range(n)],
    )


# --------------------------------------------------------------------------- assembly


def _assemble(compiled: CompiledProject, times: _LeafTimes, options: ScheduleOptions) -> Schedule:
    project = compiled.project
    leaves, _index = compiled.leaves, compiled.index
    n = len(leaves)
    P, S = compiled.predecessors, compiled.successors
    threshold = options.critical_threshold
    on_path = _longest_path(n, P, S, times)
    if options.critical_definition is CriticalDefinition.LONGEST_PATH:
        critical = on_path
    else:
        critical = [times.total[i] <= threshold for i in range(n)]
    if times.finished:  # complete work is never critical (Microsoft Project)
        critical = [c and not f for c, f in zip(critical, times.finished, strict=True)]
    durations = compiled.durations if times.durations is None else times.durations
    driving_preds: list[list[str]] = [[] for _ in range(n)]
    for e, flag in enumerate(times.driving):
        if flag and leaves[P[e]] not in driving_preds[S[e]]:
            driving_preds[S[e]].append(leaves[P[e]])
    scheduled: dict[str, ScheduledActivity] = {}
    acts = project.activities if len(project.activities) == n else map(project.activity, leaves)
    for i, (aid, activity) in enumerate(zip(leaves, acts, strict=True)):
        scheduled[aid] = ScheduledActivity(
            id=aid,
            name=activity.name,
            early_start=times.es[i],
            early_finish=times.ef[i],
            late_start=times.ls[i],
            late_finish=times.lf[i],
            start=times.start[i],
            finish=times.finish[i],
            duration=durations[i],
            start_slack=times.start_slack[i],
            finish_slack=times.finish_slack[i],
            total_float=times.total[i],
            free_float=times.free[i],
            critical=critical[i],
            milestone=activity.is_milestone,
            on_longest_path=on_path[i],
            driving_predecessors=tuple(driving_preds[i]),
            driven_by=times.driven_by[i],
            parent=activity.parent,
        )
    _roll_up(project, scheduled)
    activities = tuple(scheduled[a.id] for a in project.activities)
    names = _LINK_NAMES
    links = tuple(
        [
            ScheduledLink(leaves[p], leaves[s], names[t], flag, gap)
            for p, s, t, flag, gap in zip(
                P, S, compiled.types, times.driving, times.gaps, strict=True
            )
        ]
    )
    paths = _critical_paths(n, P, S, times, critical, leaves, options.max_critical_paths)
    starts = [times.start[i] for i in range(n)]
    start = min(starts) if starts else (project.start if project.start is not None else 0)
    warnings = [*compiled.warnings, *_warnings(compiled, times, scheduled)]
    return Schedule(
        project_id=project.id,
        start=start,
        finish=times.project_finish,
        activities=activities,
        links=links,
        critical_paths=paths,
        warnings=tuple(warnings),
        options=options,
    )


def _roll_up(project: Project, scheduled: dict[str, ScheduledActivity]) -> None:
    """Summary dates are the min/max of their children; floats from those dates."""
    dated = project.start is not None
    table = project.calendar.table if dated else None

    def work(a: Any, b: Any) -> int:
        if table is None:
            return int(b - a)
        return table.to_working(to_minute_index(b)) - table.to_working(to_minute_index(a))

    if not project._children:  # no WBS: nothing to roll up (and no walk over every activity)
        return
    for _, activity in reversed(list(project.walk())):
        if not project.is_summary(activity.id):
            continue
        kids = [scheduled[k] for k in project.children(activity.id)]
        es = min(k.early_start for k in kids)
        ef = max(k.early_finish for k in kids)
        ls = min(k.late_start for k in kids)
        lf = max(k.late_finish for k in kids)
        start = min(k.start for k in kids)
        finish = max(k.finish for k in kids)
        start_slack, finish_slack = work(es, ls), work(ef, lf)
        total = min(start_slack, finish_slack)
        scheduled[activity.id] = ScheduledActivity(
            id=activity.id,
            name=activity.name,
            early_start=es,
            early_finish=ef,
            late_start=ls,
            late_finish=lf,
            start=start,
            finish=finish,
            duration=work(start, finish),
            start_slack=start_slack,
            finish_slack=finish_slack,
            total_float=total,
            free_float=max(total, 0),
            critical=any(k.critical for k in kids),
            summary=True,
            on_longest_path=any(k.on_longest_path for k in kids),
            driven_by="children",
            parent=activity.parent,
        )


def _longest_path(n: int, P: list[int], S: list[int], times: _LeafTimes) -> list[bool]:
    """Activities on a chain of driving links that ends at the project finish."""
    if n == 0:
        return []
    finish = times.project_finish
    on = [times.ef[i] == finish or times.finish[i] == finish for i in range(n)]
    back: list[list[int]] = [[] for _ in range(n)]
    for e, flag in enumerate(times.driving):
        if flag:
            back[S[e]].append(P[e])
    stack = [i for i in range(n) if on[i]]
    while stack:
        j = stack.pop()
        for p in back[j]:
            if not on[p]:
                on[p] = True
                stack.append(p)
    return on


def _critical_paths(
    n: int,
    P: list[int],
    S: list[int],
    times: _LeafTimes,
    critical: list[bool],
    leaves: list[str],
    limit: int,
) -> tuple[tuple[str, ...], ...]:
    """Chains of critical activities joined by driving links, latest-ending first."""
    nxt: list[list[int]] = [[] for _ in range(n)]
    has_in = [False] * n
    for e, flag in enumerate(times.driving):
        p, s = P[e], S[e]
        if flag and critical[p] and critical[s]:
            nxt[p].append(s)
            has_in[s] = True
    sources = [i for i in range(n) if critical[i] and not has_in[i]]
    sources.sort(key=lambda i: (times.es[i], i))
    paths: list[tuple[int, ...]] = []
    cap = 20 * limit
    steps = 0
    for src in sources:
        if len(paths) >= cap or steps >= _MAX_PATH_STEPS:
            break
        # depth-first over driving links with one shared path (the graph is acyclic)
        path, position = [src], [0]
        if not nxt[src]:
            paths.append((src,))
        while path and len(paths) < cap and steps < _MAX_PATH_STEPS:
            steps += 1
            node, i = path[-1], position[-1]
            if i < len(nxt[node]):
                position[-1] = i + 1
                child = nxt[node][i]
                path.append(child)
                position.append(0)
                if not nxt[child]:
                    paths.append(tuple(path))
            else:
                path.pop()
                position.pop()
    paths.sort(key=lambda p: (_neg(times.ef[p[-1]]), -len(p), p[0]))
    return tuple(tuple(leaves[i] for i in path) for path in paths[:limit])


def _neg(value: Any) -> Any:
    if isinstance(value, datetime):
        return -to_minute_index(value)
    return -value


def _warnings(
    compiled: CompiledProject, times: _LeafTimes, scheduled: dict[str, ScheduledActivity]
) -> list[ScheduleWarning]:
    out: list[ScheduleWarning] = []
    leaves = compiled.leaves
    negative: list[tuple[int, str]] = []
    for i, aid in enumerate(leaves):
        kind = compiled.constraint_types[i]
        if times.override[i]:
            out.append(
                ScheduleWarning(
                    "constraint-conflict",
                    aid,
                    f"{_CONSTRAINT_NAMES[kind]} {_fmt(compiled.constraint_dates[i])} overrides its "
                    f"links: it starts {_fmt(times.es[i])} although logic allows no earlier "
                    "than later dates; its predecessors get negative float",
                )
            )
        if times.below_start[i]:
            out.append(
                ScheduleWarning(
                    "before-project-start",
                    aid,
                    f"starts {_fmt(times.es[i])}, before the project start, because of its "
                    f"{_CONSTRAINT_NAMES[kind]} constraint",
                )
            )
        deadline = compiled.deadlines[i]
        if deadline is not None and _later(compiled, i, times.ef[i], deadline):
            out.append(
                ScheduleWarning(
                    "missed-deadline",
                    aid,
                    f"finishes {_fmt(times.ef[i])}, after its deadline {_fmt(deadline)}",
                )
            )
        if times.total[i] < 0:
            negative.append((times.total[i], aid))
    if negative:
        worst_value, worst = min(negative)
        out.append(
            ScheduleWarning(
                "negative-float",
                worst,
                f"{len(negative)} activit{'y has' if len(negative) == 1 else 'ies have'} negative "
                f"total float; the worst is {worst} with {_amount(compiled, worst_value)}",
            )
        )
    return out


def _amount(compiled: CompiledProject, minutes: int) -> str:
    if not compiled.dated:
        return f"{minutes} units"
    from pmsm_core.calendars import Duration, TimeUnit

    return Duration(minutes, unit=TimeUnit.DAY).format(compiled.project.factors)


def _later(compiled: CompiledProject, i: int, a: Any, b: Any) -> bool:
    """``a`` is later than ``b`` by some working time of leaf ``i``'s calendar."""
    if compiled.calendars is None:
        return bool(a > b)
    table = compiled.calendars[i].table
    return table.to_working(to_minute_index(a)) > table.to_working(to_minute_index(b))


def _fmt(value: Any) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return str(value)
