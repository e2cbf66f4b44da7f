"""Hypothesis strategies for pmsm_core values, valid by construction.

Each strategy has keyword knobs (sizes, whether the project is dated ...), so that tests
can ask for exactly the shape they need.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from hypothesis import strategies as st

from pmsm_core import (
    Activity,
    Assignment,
    Baseline,
    BaselineActivity,
    CalendarException,
    ConstraintType,
    Deliverable,
    Dependency,
    Distribution,
    Duration,
    EmpiricalEstimate,
    FixedEstimate,
    LinkType,
    LognormalEstimate,
    PercentLag,
    Phase,
    ProcessGroup,
    ProcurementItem,
    Progress,
    Project,
    QualityMetric,
    Resource,
    Risk,
    RiskResponse,
    RiskStrategy,
    ScheduleConstraint,
    Stakeholder,
    Supplier,
    ThreePointEstimate,
    TimeUnit,
    TripleConstraint,
    UniformEstimate,
    WorkCalendar,
    WorkingTime,
)

ids = st.text(alphabet="ABCDEFGHJKLMNPQRSTUVWXYZ0123456789-_", min_size=1, max_size=6)
names = st.text(max_size=20)
money = st.floats(min_value=0, max_value=1e9, allow_nan=False).map(lambda x: round(x, 2))


@st.composite
def durations(
    draw: Any, *, max_minutes: int = 20_000, elapsed: bool | None = False, negative: bool = False
) -> Duration:
    """A duration in one of the display units; ``elapsed=None`` draws either kind."""
    is_elapsed = draw(st.booleans()) if elapsed is None else elapsed
    unit = draw(st.sampled_from([TimeUnit.MINUTE, TimeUnit.HOUR, TimeUnit.DAY, TimeUnit.WEEK]))
    per = {
        TimeUnit.MINUTE: 1,
        TimeUnit.HOUR: 60,
        TimeUnit.DAY: 1440 if is_elapsed else 480,
        TimeUnit.WEEK: 10080 if is_elapsed else 2400,
    }[unit]
    count = draw(
        st.integers(
            min_value=-max_minutes // per if negative else 0, max_value=max(1, max_minutes // per)
        )
    )
    return Duration(count * per, elapsed=is_elapsed, unit=unit)


@st.composite
def working_days(draw: Any, *, max_intervals: int = 3) -> tuple[WorkingTime, ...]:
    """Sorted, non-overlapping working intervals of one day (possibly none)."""
    cuts = sorted(set(draw(st.lists(st.integers(0, 96), max_size=2 * max_intervals))))
    if len(cuts) % 2:
        cuts = cuts[:-1]
    return tuple(WorkingTime(cuts[i] * 15, cuts[i + 1] * 15) for i in range(0, len(cuts), 2))


@st.composite
def calendars(
    draw: Any,
    *,
    calendar_id: str | None = None,
    max_exceptions: int = 4,
    first_day: date = date(2025, 12, 1),
) -> WorkCalendar:
    """A calendar with a random week and non-overlapping exceptions near ``first_day``."""
    week = [draw(working_days()) for _ in range(7)]
    if not any(week):
        week[0] = (WorkingTime(480, 1020),)
    starts = sorted(set(draw(st.lists(st.integers(0, 120), max_size=max_exceptions))))
    exceptions = []
    previous_end = -1
    for offset in starts:
        if offset <= previous_end:
            continue
        length = draw(st.integers(0, 4))
        start = first_day + timedelta(days=offset)
        end = start + timedelta(days=length)
        exceptions.append(
            CalendarException(start, end, working_times=draw(working_days()), name=draw(names))
        )
        previous_end = offset + length
    return WorkCalendar(calendar_id or draw(ids), week, exceptions=exceptions, name=draw(names))


def instants(
    *, start: datetime = datetime(2025, 12, 1), days: int = 150
) -> st.SearchStrategy[datetime]:
    """Whole-minute datetimes within ``days`` of ``start``."""
    return st.integers(0, days * 1440).map(lambda m: start + timedelta(minutes=m))


def _time_point(dated: bool) -> st.SearchStrategy[Any]:
    if dated:
        return instants(start=datetime(2026, 1, 5), days=200)
    return st.integers(0, 500)


@st.composite
def constraints(draw: Any, *, dated: bool) -> ScheduleConstraint:
    """Any schedule constraint, with a date of the right kind."""
    kind = draw(st.sampled_from(list(ConstraintType)))
    if kind.needs_date:
        return ScheduleConstraint(kind, draw(_time_point(dated)))
    return ScheduleConstraint(kind)


@st.composite
def estimates(draw: Any, *, dated: bool = True, max_minutes: int = 5000) -> Any:
    """Any kind of duration estimate with valid parameters (minute units when undated)."""

    def duration() -> Duration:
        if dated:
            return draw(durations(max_minutes=max_minutes))
        return Duration(draw(st.integers(0, max_minutes)))

    kind = draw(st.sampled_from(list(Distribution)))
    if kind in (Distribution.PERT, Distribution.TRIANGULAR):
        o, m, p = sorted([duration(), duration(), duration()], key=lambda d: d.minutes)
        return ThreePointEstimate(o, m, p, distribution=kind)
    if kind is Distribution.UNIFORM:
        low, high = sorted([duration(), duration()], key=lambda d: d.minutes)
        return UniformEstimate(low, high)
    if kind is Distribution.LOGNORMAL:
        mean = duration()
        if mean.minutes == 0:
            mean = Duration(1)
        return LognormalEstimate(mean, duration())
    if kind is Distribution.FIXED:
        return FixedEstimate(duration())
    return EmpiricalEstimate([duration() for _ in range(draw(st.integers(1, 5)))])


@st.composite
def projects(
    draw: Any,
    *,
    dated: bool | None = None,
    max_activities: int = 12,
    with_summaries: bool = True,
    with_extras: bool = True,
    link_types: tuple[LinkType, ...] = tuple(LinkType),
) -> Project:
    """A valid project: acyclic links (from lower to higher index), optional WBS,
    calendars, resources, risks and the other factors.
    """
    is_dated = draw(st.booleans()) if dated is None else dated
    n = draw(st.integers(1, max_activities))
    act_ids = [f"A{i}" for i in range(n)]
    summaries: set[int] = set()
    parents: dict[int, int] = {}
    if with_summaries and n >= 3:
        for i in range(1, n):
            if draw(st.integers(0, 4)) == 0:
                parent = draw(st.integers(0, i - 1))
                if parent not in parents:  # keep the WBS shallow and sensible
                    parents[i] = parent
                    summaries.add(parent)
    calendars_extra = (
        [draw(calendars(calendar_id="alt"))] if is_dated and draw(st.booleans()) else []
    )
    resources = [
        Resource(
            f"R{i}",
            capacity=draw(st.floats(0.5, 5).map(lambda x: round(x, 2))),
            cost_per_hour=draw(money),
        )
        for i in range(draw(st.integers(0, 3)))
    ]
    phases = [Phase(g.value, g.label, process_group=g) for g in ProcessGroup][
        : draw(st.integers(0, 5))
    ]
    activities = []
    for i, aid in enumerate(act_ids):
        if i in summaries:
            activities.append(
                Activity(aid, draw(names), parent=act_ids[parents[i]] if i in parents else None)
            )
            continue
        milestone = draw(st.integers(0, 6)) == 0
        duration = (
            Duration(0) if milestone else draw(durations(max_minutes=5000 if is_dated else 50))
        )
        if not is_dated:
            duration = Duration(duration.minutes)
        kwargs: dict[str, Any] = {
            "parent": act_ids[parents[i]] if i in parents else None,
            "milestone": milestone,
            "cost": draw(money),
        }
        if draw(st.integers(0, 3)) == 0:
            kwargs["constraint"] = draw(constraints(dated=is_dated))
        if draw(st.integers(0, 5)) == 0:
            kwargs["deadline"] = draw(_time_point(is_dated))
        if calendars_extra and draw(st.booleans()):
            kwargs["calendar"] = "alt"
        if phases and draw(st.booleans()):
            kwargs["phase"] = draw(st.sampled_from(phases)).id
        if resources and draw(st.booleans()):
            kwargs["assignments"] = [
                Assignment(
                    draw(st.sampled_from(resources)).id,
                    draw(st.floats(0.1, 2).map(lambda x: round(x, 2))),
                )
            ]
        if not milestone and draw(st.integers(0, 3)) == 0:
            kwargs["estimate"] = draw(
                estimates(dated=is_dated, max_minutes=5000 if is_dated else 50)
            )
        activities.append(Activity(aid, draw(names), duration, **kwargs))
    leaves = [i for i in range(n) if i not in summaries]
    dependencies = []
    seen: set[tuple[int, int]] = set()
    for _ in range(draw(st.integers(0, 2 * n))):
        if len(leaves) < 2:
            break
        a, b = sorted(draw(st.lists(st.sampled_from(leaves), min_size=2, max_size=2, unique=True)))
        if (a, b) in seen:
            continue
        seen.add((a, b))
        if draw(st.integers(0, 5)) == 0:
            lag: Duration | PercentLag = PercentLag(float(draw(st.integers(-50, 150))))
        else:
            lag = draw(
                durations(
                    max_minutes=2000 if is_dated else 20,
                    negative=True,
                    elapsed=None if is_dated else False,
                )
            )
        dependencies.append(
            Dependency(act_ids[a], act_ids[b], draw(st.sampled_from(link_types)), lag)
        )
    extras: dict[str, Any] = {}
    if with_extras:
        stakeholders = [
            Stakeholder(
                f"S{i}",
                draw(names),
                interest=draw(st.integers(1, 5)),
                influence=draw(st.integers(1, 5)),
            )
            for i in range(draw(st.integers(0, 4)))
        ]
        suppliers = [Supplier(f"V{i}", draw(names)) for i in range(draw(st.integers(0, 2)))]
        risks = []
        for i in range(draw(st.integers(0, 3))):
            affected = draw(st.lists(st.sampled_from(act_ids), max_size=2, unique=True))
            risks.append(
                Risk(
                    f"K{i}",
                    draw(names),
                    probability=draw(st.floats(0, 1)),
                    impact=draw(st.floats(0, 5)),
                    schedule_impact=Duration(draw(st.integers(0, 960)))
                    if draw(st.booleans())
                    else None,
                    owner=draw(st.sampled_from(stakeholders)).id if stakeholders else None,
                    response=RiskResponse(draw(st.sampled_from(list(RiskStrategy))), draw(names)),
                    affected_activities=affected,
                )
            )
        procurement = [
            ProcurementItem(
                f"PO{i}",
                draw(names),
                supplier=draw(st.sampled_from(suppliers)).id if suppliers else None,
                lead_time=Duration.from_days(draw(st.integers(0, 20))),
                cost=draw(money),
                activity=draw(st.sampled_from(act_ids)),
            )
            for i in range(draw(st.integers(0, 2)))
        ]
        deliverables = [
            Deliverable(
                f"D{i}",
                draw(names),
                activities=draw(st.lists(st.sampled_from(act_ids), max_size=3)),
            )
            for i in range(draw(st.integers(0, 2)))
        ]
        metrics = [
            QualityMetric(
                f"Q{i}",
                draw(names),
                target=draw(st.floats(0, 100)),
                tolerance=draw(st.floats(0, 10)),
                direction=draw(st.sampled_from(["target", "min", "max"])),
            )
            for i in range(draw(st.integers(0, 2)))
        ]
        baselines = []
        if draw(st.booleans()):
            baselines.append(
                Baseline(
                    draw(st.integers(0, 10)),
                    [
                        BaselineActivity(
                            act_ids[0],
                            draw(_time_point(is_dated)),
                            draw(_time_point(is_dated)),
                            duration=Duration(draw(st.integers(0, 4800))),
                            cost=draw(money),
                        )
                    ],
                )
            )
        extras = {
            "stakeholders": stakeholders,
            "suppliers": suppliers,
            "risks": risks,
            "procurement": procurement,
            "baselines": baselines,
            "quality_metrics": metrics,
            "triple_constraint": TripleConstraint(
                target_finish=draw(_time_point(is_dated)) if draw(st.booleans()) else None,
                budget=draw(money) if draw(st.booleans()) else None,
                scope=deliverables,
            ),
        }
    if is_dated and draw(st.booleans()):
        extras["calendar"] = draw(calendars(calendar_id="project"))
    start = draw(instants(start=datetime(2026, 1, 5), days=60)) if is_dated else None
    first = activities[leaves[0]] if leaves else None
    if (
        first is not None
        and draw(st.integers(0, 4)) == 0
        and first.id not in {a.parent for a in activities}
    ):
        t0 = start if is_dated else 0
        activities[leaves[0]] = Activity(
            first.id,
            first.name,
            first.duration,
            parent=first.parent,
            milestone=first.milestone,
            progress=Progress(t0, percent_complete=draw(st.floats(0, 99))),
        )
    return Project(
        draw(ids),
        draw(names),
        start=start,
        calendars=calendars_extra,
        phases=phases,
        activities=activities,
        dependencies=dependencies,
        resources=resources,
        **extras,
    )
