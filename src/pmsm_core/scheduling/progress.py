"""Progress in the schedule: actual dates, remaining work and the status date.

:func:`~pmsm_core.schedule` calls ``plan_progress`` after compiling a project. When no
leaf activity has an actual start it returns None and the project is scheduled exactly as
a plan. Otherwise the engines schedule every leaf in one of three states:

* **Complete** (an actual finish, or 100 % complete): it stays where it happened.
  Early and late dates are its actual start and finish; its floats are 0 and it is never
  critical.
* **In progress** (an actual start, remaining work): early and late start are the actual
  start. Its remaining duration is scheduled from the status date (Microsoft Project's
  "move start of remaining parts before the status date forward to the status date" and
  "move end of completed parts after the status date back to the status date"), or, without
  a status date, straight after the work done. Total float is its finish float.
* **Not started**: scheduled by logic and constraints as usual, but never before the status
  date (Microsoft Project's "reschedule uncompleted work to start after the status date").

Links into a started activity no longer act in either pass (*progress override*): they
neither move it nor constrain its predecessors' late dates, so out-of-sequence progress
(an activity started before its predecessors allowed) shows as an ``out-of-sequence``
warning rather than as negative float.

Work done is ``round(duration * percent_complete / 100)``; the remaining duration is the
recorded one, else the duration minus the work done. Constraints of started activities no
longer apply (the actual start replaced them); deadlines still cap their late finish.
``ScheduleOptions.move_incomplete_after_status_date`` switches the two status
date rules off (remaining work then follows the work done, unstarted work only logic).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Final

import attrs

from pmsm_core.calendars import from_minute_index, to_minute_index
from pmsm_core.scheduling.network import ConstraintCode, LinkCode
from pmsm_core.scheduling.results import ScheduleOptions, ScheduleWarning

if TYPE_CHECKING:  # pragma: no cover
    from pmsm_core.calendars import WorkingTimeTable
    from pmsm_core.scheduling.compile import CompiledProject

__all__ = [
    "COMPLETE",
    "IN_PROGRESS",
    "LINK_FROM_ACTUAL_START",
    "LINK_INTO_STARTED",
    "LINK_NORMAL",
    "NOT_STARTED",
    "ProgressPlan",
    "plan_progress",
]

NOT_STARTED: Final = 0
IN_PROGRESS: Final = 1
COMPLETE: Final = 2

#: A lag that makes a link bind nowhere (links into complete activities, backward pass).
_UNBOUND: Final = -(10**12)


@attrs.define
class ProgressPlan:
    """Per-leaf progress of a compiled project, in each leaf's own working time.

    Working coordinates (``*_w``) are working minutes of the leaf's calendar (plain units
    for undated projects); ``None`` where a value does not apply.
    """

    state: list[int]
    actual_start: list[Any]
    actual_finish: list[Any]
    durations: list[int]
    reported: list[int]
    fixed_w: list[int | None]
    anchor_w: list[int | None]
    floor_w: list[int | None]
    status: datetime | int | None

    @property
    def started(self) -> list[bool]:
        """Per leaf: True once it has an actual start."""
        return [s != NOT_STARTED for s in self.state]


def _tables(compiled: CompiledProject) -> list[WorkingTimeTable] | None:
    if compiled.calendars is None:
        return None
    return [cal.table for cal in compiled.calendars]


def plan_progress(compiled: CompiledProject, options: ScheduleOptions) -> ProgressPlan | None:
    """Classify every leaf of ``compiled`` (see the module docstring); None without progress.

    Constraints of started leaves are set to ASAP in ``compiled`` (their actual start
    replaced them).
    """
    project = compiled.project
    if not any(a.progress is not None and a.progress.started for a in project.activities):
        return None  # the common case, without a look-up per leaf
    acts = [project.activity(aid) for aid in compiled.leaves]
    if not any(a.progress is not None and a.progress.started for a in acts):
        return None
    tables = _tables(compiled)
    status = project.status_date
    move = options.move_incomplete_after_status_date and status is not None
    # working coordinates of every actual date, looked up in bulk (one call per calendar)
    wanted: list[tuple[int, Any]] = []
    for i, a in enumerate(acts):
        p = a.progress
        if p is not None and p.actual_start is not None:
            wanted.append((i, p.actual_start))
            if p.actual_finish is not None:
                wanted.append((i, p.actual_finish))
    known = _working_coordinates(tables, wanted)
    status_w: dict[int, int] = {}

    def w(i: int, t: datetime | int) -> int:
        if tables is None:
            return int(t)  # type: ignore[arg-type]
        value = known.get((i, t))
        if value is not None:
            return value
        if t is status:  # the same status date on every leaf of a calendar
            key = id(tables[i])
            if key not in status_w:
                status_w[key] = tables[i].to_working(to_minute_index(t))  # type: ignore[arg-type]
            return status_w[key]
        assert isinstance(t, datetime)
        return tables[i].to_working(to_minute_index(t))

    def at(i: int, working: int) -> datetime | int:
        if tables is None:
            return working
        return from_minute_index(tables[i].from_working(working, finish=True))

    n = len(acts)
    state = [NOT_STARTED] * n
    actual_start: list[Any] = [None] * n
    actual_finish: list[Any] = [None] * n
    durations = list(compiled.durations)
    reported = list(compiled.durations)
    fixed_w: list[int | None] = [None] * n
    anchor_w: list[int | None] = [None] * n
    floor_w: list[int | None] = [None] * n
    for i, a in enumerate(acts):
        p = a.progress
        if p is None or p.actual_start is None:
            if move:
                assert status is not None
                floor_w[i] = w(i, status)
            continue
        d = compiled.durations[i]
        done = round(d * p.percent_complete / 100)
        remaining = p.remaining_duration.minutes if p.remaining_duration is not None else d - done
        start_w = w(i, p.actual_start)
        actual_start[i] = p.actual_start
        anchor_w[i] = fixed_w[i] = start_w
        compiled.constraint_types[i] = ConstraintCode.ASAP
        if p.actual_finish is not None or p.percent_complete >= 100:
            state[i] = COMPLETE
            finish = p.actual_finish
            if finish is None:  # 100 % without a recorded finish: where the work done ends
                finish_w = start_w + done
                if status is not None:
                    finish_w = min(finish_w, max(w(i, status), start_w))
                finish = at(i, finish_w) if finish_w > start_w else p.actual_start
            actual_finish[i] = finish
            durations[i] = reported[i] = max(0, w(i, finish) - start_w)
            continue
        state[i] = IN_PROGRESS
        resume = w(i, status) if move else start_w + done  # type: ignore[arg-type]
        fixed_w[i] = max(resume, start_w)
        durations[i] = remaining
        reported[i] = done + remaining
    return ProgressPlan(
        state=state,
        actual_start=actual_start,
        actual_finish=actual_finish,
        durations=durations,
        reported=reported,
        fixed_w=fixed_w,
        anchor_w=anchor_w,
        floor_w=floor_w,
        status=status if move else None,
    )


def _working_coordinates(
    tables: list[WorkingTimeTable] | None, wanted: list[tuple[int, Any]]
) -> dict[tuple[int, Any], int]:
    """``(leaf, instant) -> working coordinate`` on the leaf's calendar, computed with one
    vectorised look-up per calendar."""
    if tables is None or not wanted:
        return {}
    import numpy as np

    groups: dict[int, list[tuple[int, Any]]] = {}
    for item in wanted:
        groups.setdefault(id(tables[item[0]]), []).append(item)
    out: dict[tuple[int, Any], int] = {}
    for items in groups.values():
        table = tables[items[0][0]]
        index = np.fromiter((to_minute_index(t) for _, t in items), np.int64, count=len(items))
        values = table.to_working_array(index).tolist()
        out.update(zip(items, values, strict=True))
    return out


# --------------------------------------------------------------------------- engine hooks


#: How a link acts once progress is recorded (see :func:`link_modes`); the risk
#: simulation reads them too.
LINK_NORMAL: Final = 0
LINK_INTO_STARTED: Final = 1
LINK_FROM_ACTUAL_START: Final = 2
_NORMAL: Final = LINK_NORMAL
_INTO_STARTED: Final = LINK_INTO_STARTED
_FROM_ACTUAL_START: Final = LINK_FROM_ACTUAL_START


def link_modes(compiled: CompiledProject, plan: ProgressPlan) -> list[int]:
    """Per link: 0 it acts as usual; 1 it leads into a started activity (it acts in
    neither pass); 2 an SS or SF link from an activity in progress into one not started
    (it counts from the actual start in the forward pass and cannot move that actual
    start in the backward pass)."""
    state = plan.state
    modes = [_NORMAL] * len(compiled.predecessors)
    for e, (p, s, kind) in enumerate(
        zip(compiled.predecessors, compiled.successors, compiled.types, strict=True)
    ):
        if state[s] != NOT_STARTED:
            modes[e] = _INTO_STARTED
        elif state[p] == IN_PROGRESS and kind in (LinkCode.SS, LinkCode.SF):
            modes[e] = _FROM_ACTUAL_START
    return modes


def integer_inputs(
    compiled: CompiledProject, plan: ProgressPlan, origin: int
) -> tuple[list[int], list[int], list[int]]:
    """Lags, fixed starts and earliest starts for the integer engine (single calendar).

    Links of modes 1 and 2 (:func:`link_modes`) get a lag that never binds; a mode-2 link
    becomes an earliest start of its successor instead (the actual start plus the lag).
    """
    from pmsm_core.scheduling.network import NONE

    none = int(NONE)
    lags = list(compiled.lags)
    floors = [none if f is None else f - origin for f in plan.floor_w]
    for e, mode in enumerate(link_modes(compiled, plan)):
        if mode == _NORMAL:
            continue
        lags[e] = _UNBOUND
        if mode == _FROM_ACTUAL_START:
            p, s = compiled.predecessors[e], compiled.successors[e]
            anchor = plan.anchor_w[p]
            assert anchor is not None
            bound = anchor - origin + compiled.lags[e]
            if compiled.types[e] == LinkCode.SF:
                bound -= plan.durations[s]
            floors[s] = max(floors[s], bound)
    fixed = [none if f is None else f - origin for f in plan.fixed_w]
    return lags, fixed, floors


def calendar_inputs(
    compiled: CompiledProject, plan: ProgressPlan
) -> tuple[list[int | None], list[int | None], list[int | None], list[bool]]:
    """Fixed starts, SS/SF anchors and floors as minute indices, and the links to leave
    out of the backward pass and of free float (modes 1 and 2 of :func:`link_modes`), for
    the calendar engine."""
    assert compiled.calendars is not None
    tables = [cal.table for cal in compiled.calendars]

    def minute(i: int, working: int | None) -> int | None:
        return None if working is None else tables[i].from_working(working, finish=False)

    n = len(plan.state)
    fixed = [minute(i, plan.fixed_w[i]) for i in range(n)]
    anchors = [
        to_minute_index(plan.actual_start[i]) if plan.state[i] != NOT_STARTED else None
        for i in range(n)
    ]
    floors: list[int | None] = [None] * n
    if isinstance(plan.status, datetime):
        floor = to_minute_index(plan.status)
        floors = [floor if plan.state[i] == NOT_STARTED else None for i in range(n)]
    skip = [mode != _NORMAL for mode in link_modes(compiled, plan)]
    return fixed, anchors, floors, skip


# --------------------------------------------------------------------------- results


def overlay(compiled: CompiledProject, plan: ProgressPlan, times: Any) -> None:
    """Write actual dates, progress floats and link gaps into an engine's leaf times.

    ``times`` is the engine's ``_LeafTimes`` (lists in the project's time domain).
    """
    tables = _tables(compiled)

    def work(i: int, a: Any, b: Any) -> int:
        if tables is None:
            return int(b - a)
        table = tables[i]
        return table.to_working(to_minute_index(b)) - table.to_working(to_minute_index(a))

    finished = [False] * len(plan.state)
    for i, state in enumerate(plan.state):
        if state == NOT_STARTED:
            continue
        start = plan.actual_start[i]
        times.es[i] = times.ls[i] = times.start[i] = start
        times.start_slack[i] = 0
        times.override[i] = False
        times.below_start[i] = False
        if state == COMPLETE:
            finished[i] = True
            finish = plan.actual_finish[i]
            times.ef[i] = times.lf[i] = times.finish[i] = finish
            times.finish_slack[i] = times.total[i] = times.free[i] = 0
            times.driven_by[i] = "actual dates (complete)"
        else:
            times.finish[i] = times.ef[i]
            slack = work(i, times.ef[i], times.lf[i])
            times.finish_slack[i] = times.total[i] = slack
            times.free[i] = min(max(times.free[i], 0), max(slack, 0))
            times.driven_by[i] = "actual start (in progress)"
    if plan.status is not None:
        status = plan.status
        for i, state in enumerate(plan.state):
            if (
                state == NOT_STARTED
                and times.driven_by[i] == "project start"
                and work(i, status, times.es[i]) == 0
                and work(i, compiled_start(compiled), status)
            ):
                times.driven_by[i] = "status date"
    times.finished = finished
    times.durations = plan.reported
    _links(compiled, plan, times, tables)


def _gaps(
    tables: list[WorkingTimeTable],
    preds: list[int],
    anchors: list[datetime],
    targets: list[datetime],
    lags: list[int],
    elapsed: list[bool],
) -> list[int]:
    """Working time on each predecessor's calendar from anchor + lag to target."""
    import numpy as np

    out = [0] * len(preds)
    groups: dict[int, list[int]] = {}
    for k, p in enumerate(preds):
        groups.setdefault(id(tables[p]), []).append(k)
    for members in groups.values():
        table = tables[preds[members[0]]]
        a = np.fromiter((to_minute_index(anchors[k]) for k in members), np.int64, len(members))
        t = np.fromiter((to_minute_index(targets[k]) for k in members), np.int64, len(members))
        lag = np.asarray([lags[k] for k in members], dtype=np.int64)
        wall = np.asarray([elapsed[k] for k in members], dtype=bool)
        start = np.where(
            wall,
            table.to_working_array(a + np.where(wall, lag, 0)),
            table.to_working_array(a) + lag,
        )
        for k, gap in zip(members, (table.to_working_array(t) - start).tolist(), strict=True):
            out[k] = gap
    return out


def compiled_start(compiled: CompiledProject) -> datetime | int:
    """The project start (0 for undated projects)."""
    start = compiled.project.start
    return 0 if start is None else start


def _links(
    compiled: CompiledProject,
    plan: ProgressPlan,
    times: Any,
    tables: list[WorkingTimeTable] | None,
) -> None:
    """Gaps and driving flags of links that progress changed (:func:`link_modes`);
    out-of-sequence warnings."""
    state = plan.state
    out_of_sequence: dict[int, list[int]] = {}
    modes = link_modes(compiled, plan)
    changed = [e for e, mode in enumerate(modes) if mode != _NORMAL]
    P, S, T = compiled.predecessors, compiled.successors, compiled.types
    anchors = [
        times.finish[P[e]] if T[e] in (LinkCode.FS, LinkCode.FF) else times.start[P[e]]
        for e in changed
    ]
    targets = [
        times.start[S[e]] if T[e] in (LinkCode.FS, LinkCode.SS) else times.finish[S[e]]
        for e in changed
    ]
    lags = [compiled.lags[e] for e in changed]
    if tables is None:
        gaps = [int(t - a - lag) for a, t, lag in zip(anchors, targets, lags, strict=True)]
    else:
        gaps = _gaps(
            tables,
            [P[e] for e in changed],
            anchors,
            targets,
            lags,
            [compiled.lag_elapsed[e] for e in changed],
        )
    for k, e in enumerate(changed):
        p, s = P[e], S[e]
        times.gaps[e] = gaps[k]
        times.driving[e] = modes[e] == _FROM_ACTUAL_START and gaps[k] == 0
        reason = times.driven_by[s]
        if times.driving[e] and "overrides" not in reason and not reason.startswith("ALAP"):
            times.driven_by[s] = "links"  # as the link would say had it stayed a link
        if modes[e] == _FROM_ACTUAL_START:
            if gaps[k] < 0:  # only a hard constraint places a successor before its link
                name = ConstraintCode(compiled.constraint_types[s]).name
                times.override[s] = True
                times.driven_by[s] = f"constraint {name} (overrides its links)"
            continue
        needed = COMPLETE if T[e] in (LinkCode.FS, LinkCode.FF) else IN_PROGRESS
        if state[p] < needed:
            out_of_sequence.setdefault(s, []).append(p)
    leaves = compiled.leaves
    for s, preds in out_of_sequence.items():
        names = ", ".join(leaves[p] for p in preds)
        compiled.warnings.append(
            ScheduleWarning(
                "out-of-sequence",
                leaves[s],
                f"started before its predecessor{'s' if len(preds) > 1 else ''} {names} "
                "allowed it (out-of-sequence progress); its links no longer move it",
            )
        )
