"""Hypothesis strategies and an independent feasibility checker for resource levelling.

The checker reads only the project and the levelled dates: every link (type, lag,
percent lag) holds in working time, every activity keeps its duration, no work resource is
ever asked for more than its capacity. It shares no code with the engine.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from hypothesis import strategies as st

from pmsm_core import (
    Activity,
    Assignment,
    ConstraintType,
    Dependency,
    Duration,
    LevelledSchedule,
    LinkType,
    PercentLag,
    Project,
    Resource,
    ResourceKind,
    ScheduleConstraint,
)
from pmsm_core.calendars import to_minute_index

MONDAY = datetime(2026, 3, 2, 8)


@st.composite
def resource_projects(
    draw: Any,
    *,
    dated: bool = False,
    max_activities: int = 10,
    max_resources: int = 3,
    link_types: tuple[LinkType, ...] = tuple(LinkType),
    negative_lags: bool = True,
    percent_lags: bool = True,
    ample: bool = False,
    constraints: bool = False,
    halves: bool = True,
) -> Project:
    """A project with work resources, assignments and links of the given types.

    ``ample`` gives every resource the sum of all its assignments' units (so nothing is
    ever over-allocated); ``constraints`` adds SNET and ALAP constraints; ``halves``
    allows units such as 1.5.
    """
    n = draw(st.integers(1, max_activities))
    k = draw(st.integers(1, max_resources))
    step = 0.5 if halves else 1.0
    capacity = [draw(st.integers(1, 4)) * 1.0 for _ in range(k)]
    if dated:
        length = st.sampled_from([0, 60, 120, 240, 480, 480, 960, 1440])
        lag_values = st.sampled_from(
            [0, 0, 0, 60, 240, 480, 960] + ([-240, -480] if negative_lags else [])
        )
    else:
        length = st.integers(0, 8)
        lag_values = st.integers(-3 if negative_lags else 0, 4)
    activities = []
    for i in range(n):
        minutes = draw(length)
        assignments = []
        for r in range(k):
            if draw(st.integers(0, 2)) == 0:
                continue
            top = int(capacity[r] / step)
            units = draw(st.integers(1, top)) * step
            assignments.append(Assignment(f"R{r}", units))
        kwargs: dict[str, Any] = {"assignments": assignments}
        if constraints and draw(st.integers(0, 4)) == 0:
            if draw(st.booleans()):
                when = MONDAY if dated else 0
                offset = draw(st.integers(0, 6))
                if dated:
                    from datetime import timedelta

                    when = MONDAY + timedelta(days=offset)
                else:
                    when = offset
                kwargs["constraint"] = ScheduleConstraint(ConstraintType.SNET, when)
            else:
                kwargs["constraint"] = ScheduleConstraint(ConstraintType.ALAP)
        activities.append(Activity(f"A{i}", duration=Duration(minutes), **kwargs))
    if ample:
        totals = [0.0] * k
        for a in activities:
            for asg in a.assignments:
                totals[int(asg.resource[1:])] += asg.units
        capacity = [max(c, t) for c, t in zip(capacity, totals, strict=True)]
    resources = [Resource(f"R{r}", capacity=capacity[r]) for r in range(k)]
    if draw(st.booleans()):
        resources.append(Resource("M", kind=ResourceKind.MATERIAL, capacity=1.0))
    dependencies = []
    seen: set[tuple[int, int]] = set()
    for _ in range(draw(st.integers(0, 2 * n))):
        if n < 2:
            break
        a, b = sorted(draw(st.lists(st.integers(0, n - 1), min_size=2, max_size=2, unique=True)))
        if (a, b) in seen:
            continue
        seen.add((a, b))
        lag: Duration | PercentLag
        if percent_lags and draw(st.integers(0, 5)) == 0:
            lag = PercentLag(float(draw(st.sampled_from([-50, 25, 50, 100]))))
        else:
            lag = Duration(draw(lag_values))
        dependencies.append(Dependency(f"A{a}", f"A{b}", draw(st.sampled_from(link_types)), lag))
    return Project(
        "P",
        start=MONDAY if dated else None,
        activities=activities,
        dependencies=dependencies,
        resources=resources,
    )


def working(project: Project, value: datetime | int) -> int:
    """A schedule time in the project calendar's working minutes (or units)."""
    if isinstance(value, datetime):
        return project.calendar.table.to_working(to_minute_index(value))
    return int(value)


def lag_minutes(project: Project, dependency: Dependency) -> int:
    """A working-time lag in minutes; percent lags of the predecessor's duration."""
    lag = dependency.lag
    if isinstance(lag, PercentLag):
        return round(project.activity(dependency.predecessor).duration.minutes * lag.percent / 100)
    return lag.minutes


def violations(project: Project, levelled: LevelledSchedule, *, links: bool = True) -> list[str]:
    """Everything the levelled schedule breaks (an empty list when it is feasible)."""
    out: list[str] = []
    start = {a.id: working(project, levelled[a.id].start) for a in project.activities}
    finish = {a.id: working(project, levelled[a.id].finish) for a in project.activities}
    origin = working(project, project.start) if project.start is not None else 0
    pinned = {
        a.id
        for a in project.activities
        if a.constraint.type in (ConstraintType.MSO, ConstraintType.MFO)
    }
    for a in project.activities:
        if project.is_summary(a.id):
            continue
        if finish[a.id] - start[a.id] != a.duration.minutes:
            out.append(f"{a.id}: lasts {finish[a.id] - start[a.id]}, not {a.duration.minutes}")
        if start[a.id] < origin and a.id not in pinned:
            out.append(f"{a.id}: starts before the project")
        if a.constraint.type is ConstraintType.SNET:
            assert a.constraint.date is not None
            if start[a.id] < working(project, a.constraint.date):
                out.append(f"{a.id}: starts before its SNET date")
    if links:
        for dep in project.dependencies:
            if dep.successor in pinned:
                continue
            p, s, lag = dep.predecessor, dep.successor, lag_minutes(project, dep)
            anchor = finish[p] if dep.type in (LinkType.FS, LinkType.FF) else start[p]
            target = start[s] if dep.type in (LinkType.FS, LinkType.SS) else finish[s]
            if target < anchor + lag:
                out.append(f"link {p} -{dep.type.value}{lag}-> {s}: {target} < {anchor} + {lag}")
    out.extend(str(x) for x in overloads(project, start, finish))
    return out


def overloads(
    project: Project, start: dict[str, int], finish: dict[str, int]
) -> list[tuple[str, int, float]]:
    """(resource, instant, load) wherever a work resource is over its capacity."""
    out = []
    for resource in project.resources:
        if resource.kind is not ResourceKind.WORK:
            continue
        events: list[tuple[int, float]] = []
        for a in project.activities:
            units = sum(x.units for x in a.assignments if x.resource == resource.id)
            if units and finish[a.id] > start[a.id]:
                events += [(start[a.id], units), (finish[a.id], -units)]
        load = 0.0
        events.sort()
        for i, (t, units) in enumerate(events):
            load += units
            last = i + 1 == len(events) or events[i + 1][0] != t
            if last and load > resource.capacity + 1e-9:
                out.append((resource.id, t, load))
    return out
