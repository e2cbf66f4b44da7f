"""Compile a :class:`~pmsm_core.Project` into the integer form the engines run on.

Summary activities are not scheduled themselves: links to a summary apply to each of its
leaf activities; FS and FF links from a summary act from each of its leaves (the summary
finishes when its last leaf does); SS and SF links from a summary act from its earliest
leaf (found by a first pass without those links, as MPXJ does). Constraints on summaries:
SNET, FNLT and deadlines carry over to leaves without a constraint of their own (they mean
the same thing for every leaf); other summary constraints are ignored with a warning.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import attrs

from pmsm_core.calendars import Duration, WorkCalendar
from pmsm_core.model.project import ConstraintType, LinkType, PercentLag, Project
from pmsm_core.scheduling.network import ConstraintCode, LinkCode
from pmsm_core.scheduling.results import LagCalendar, ScheduleOptions, ScheduleWarning

__all__ = ["CompiledProject", "compile_project"]

_LINK = {"FS": LinkCode.FS, "SS": LinkCode.SS, "FF": LinkCode.FF, "SF": LinkCode.SF}
_PROPAGATED = (ConstraintType.SNET, ConstraintType.FNLT)
_CONSTRAINT_CODES = {t: int(ConstraintCode[t.value]) for t in ConstraintType}


@attrs.define
class CompiledProject:
    """Leaf activities and expanded links of a project, as plain lists.

    ``durations`` and ``lags`` are working minutes (dated) or units (undated);
    ``lag_elapsed`` marks elapsed lags; ``origin`` gives the index of the dependency each
    link came from.
    """

    project: Project
    leaves: list[str]
    index: dict[str, int]
    durations: list[int]
    calendars: list[WorkCalendar] | None
    predecessors: list[int] = attrs.field(factory=list)
    successors: list[int] = attrs.field(factory=list)
    types: list[int] = attrs.field(factory=list)
    lags: list[int] = attrs.field(factory=list)
    lag_elapsed: list[bool] = attrs.field(factory=list)
    origin: list[int] = attrs.field(factory=list)
    constraint_types: list[int] = attrs.field(factory=list)
    constraint_dates: list[datetime | int | None] = attrs.field(factory=list)
    deadlines: list[datetime | int | None] = attrs.field(factory=list)
    warnings: list[ScheduleWarning] = attrs.field(factory=list)
    deferred: list[tuple[int, list[int], int, int]] = attrs.field(factory=list)
    elapsed_lags: bool = False
    #: Actuals and the status date (a :class:`~pmsm_core.scheduling.progress.ProgressPlan`),
    #: None for a project without progress.
    progress: Any = None

    def add_link(self, dependency: int, p: int, s: int, code: int) -> None:
        """Append one expanded link from leaf ``p`` to leaf ``s``."""
        lag = self.project.dependencies[dependency].lag
        minutes, elapsed = _lag_minutes(lag, self.durations[p])
        self.predecessors.append(p)
        self.successors.append(s)
        self.types.append(code)
        self.lags.append(minutes)
        self.lag_elapsed.append(elapsed or self.elapsed_lags)
        self.origin.append(dependency)

    @property
    def dated(self) -> bool:
        """True for projects with a start datetime."""
        return self.project.start is not None

    @property
    def single_calendar(self) -> bool:
        """True when one calendar times every leaf and no lag is elapsed."""
        if not self.dated:
            return True
        if any(self.lag_elapsed):
            return False
        assert self.calendars is not None
        first = self.project.calendar
        return all(cal is first for cal in self.calendars)


def _lag_minutes(lag: Duration | PercentLag, predecessor_minutes: int) -> tuple[int, bool]:
    if isinstance(lag, PercentLag):
        return round(predecessor_minutes * lag.percent / 100), lag.elapsed
    return lag.minutes, lag.elapsed


def compile_project(project: Project, options: ScheduleOptions) -> CompiledProject:
    """Compile ``project`` for the engines (see the module docstring for summary rules)."""
    acts = [a for a in project.activities if not project.is_summary(a.id)]
    leaves = [a.id for a in acts]
    index = {aid: i for i, aid in enumerate(leaves)}
    calendars = (
        [project.calendar_by_id(a.calendar) for a in acts] if project.start is not None else None
    )
    elapsed_all = options.lag_calendar is LagCalendar.ELAPSED and project.start is not None
    compiled = CompiledProject(
        project=project,
        leaves=leaves,
        index=index,
        durations=[a.duration.minutes for a in acts],
        calendars=calendars,
        constraint_types=[_CONSTRAINT_CODES[a.constraint.type] for a in acts],
        constraint_dates=[a.constraint.date for a in acts],
        deadlines=[a.deadline for a in acts],
        elapsed_lags=elapsed_all,
    )
    _summary_constraints(project, compiled)
    durations = compiled.durations
    preds, succs, types = compiled.predecessors, compiled.successors, compiled.types
    lags, lag_elapsed, origin = compiled.lags, compiled.lag_elapsed, compiled.origin
    codes = {t: int(_LINK[t.value]) for t in LinkType}
    for k, dep in enumerate(project.dependencies):
        code = codes[dep.type]
        p_leaf = index.get(dep.predecessor)
        s_leaf = index.get(dep.successor)
        if p_leaf is not None and s_leaf is not None:
            # the common case: two ordinary activities
            lag = dep.lag
            if isinstance(lag, Duration):
                minutes, elapsed = lag.minutes, lag.elapsed
            else:
                minutes, elapsed = _lag_minutes(lag, durations[p_leaf])
            preds.append(p_leaf)
            succs.append(s_leaf)
            types.append(code)
            lags.append(minutes)
            lag_elapsed.append(elapsed or elapsed_all)
            origin.append(k)
            continue
        pred_leaves = [index[x] for x in project.leaves(dep.predecessor)]
        succ_leaves = [index[x] for x in project.leaves(dep.successor)]
        if p_leaf is None and code in (LinkCode.SS, LinkCode.SF):
            compiled.deferred.extend((k, pred_leaves, s, code) for s in succ_leaves)
            continue
        for p in pred_leaves:
            for s in succ_leaves:
                compiled.add_link(k, p, s, code)
    return compiled


def _summary_constraints(project: Project, compiled: CompiledProject) -> None:
    for activity in project.activities:
        if not project.is_summary(activity.id):
            continue
        kind = activity.constraint.type
        if kind is not ConstraintType.ASAP:
            if kind in _PROPAGATED:
                for leaf in project.leaves(activity.id):
                    i = compiled.index[leaf]
                    if compiled.constraint_types[i] == ConstraintCode.ASAP:
                        compiled.constraint_types[i] = ConstraintCode[kind.value]
                        compiled.constraint_dates[i] = activity.constraint.date
            else:
                compiled.warnings.append(
                    ScheduleWarning(
                        "summary-constraint",
                        activity.id,
                        f"{kind.value} on a summary activity is ignored; constrain its "
                        "children instead (SNET, FNLT and deadlines carry over)",
                    )
                )
        if activity.deadline is not None:
            for leaf in project.leaves(activity.id):
                i = compiled.index[leaf]
                current = compiled.deadlines[i]
                if current is None or _earlier(activity.deadline, current):
                    compiled.deadlines[i] = activity.deadline


def _earlier(a: Any, b: Any) -> bool:
    return bool(a < b)
