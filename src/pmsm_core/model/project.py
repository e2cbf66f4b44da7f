"""The project side of the domain model: activities, dependencies, phases, the project.

All values are frozen and validated on construction. Field checks live on each value;
checks that need the whole project (unique ids, references, the WBS tree, links that make
no sense) run once in :class:`Project`, which collects every problem before raising.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any

import attrs

from pmsm_core.calendars import Duration, DurationFactors, WorkCalendar
from pmsm_core.exceptions import Problem, ValidationError
from pmsm_core.model._validators import (
    check_bool,
    check_duration,
    check_id,
    check_optional_id,
    check_str,
    check_timepoint,
    fail,
    instance_of,
    number,
    to_tuple,
    tuple_of,
)
from pmsm_core.model.estimates import (
    ESTIMATE_TYPES,
    EmpiricalEstimate,
    FixedEstimate,
    LognormalEstimate,
    ThreePointEstimate,
    UniformEstimate,
)
from pmsm_core.model.frameworks import ProcessGroup
from pmsm_core.model.governance import (
    CommunicationChannel,
    ProcurementItem,
    QualityMetric,
    Risk,
    Stakeholder,
    Supplier,
    TripleConstraint,
)
from pmsm_core.model.progress import Baseline, Progress
from pmsm_core.model.resources import Assignment, Resource

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx
    import pandas as pd

__all__ = [
    "Activity",
    "ConstraintType",
    "Dependency",
    "LinkType",
    "PercentLag",
    "Phase",
    "Project",
    "ProjectBuilder",
    "ScheduleConstraint",
    "ThreePointEstimate",
]


class LinkType(enum.Enum):
    """How a dependency ties two activities (Microsoft Project's four link types)."""

    FS = "FS"
    """Finish-to-start, the successor starts after the predecessor finishes."""
    SS = "SS"
    """Start-to-start, the successor starts after the predecessor starts."""
    FF = "FF"
    """Finish-to-finish, the successor finishes after the predecessor finishes."""
    SF = "SF"
    """Start-to-finish, the successor finishes after the predecessor starts."""


class ConstraintType(enum.Enum):
    """Schedule constraint types, as in Microsoft Project."""

    ASAP = "ASAP"
    """As soon as possible (the default)."""
    ALAP = "ALAP"
    """As late as possible, placed at its late dates."""
    MSO = "MSO"
    """Must start on a date."""
    MFO = "MFO"
    """Must finish on a date."""
    SNET = "SNET"
    """Start no earlier than a date."""
    SNLT = "SNLT"
    """Start no later than a date."""
    FNET = "FNET"
    """Finish no earlier than a date."""
    FNLT = "FNLT"
    """Finish no later than a date."""

    @property
    def needs_date(self) -> bool:
        """True for every type except ASAP and ALAP."""
        return self not in (ConstraintType.ASAP, ConstraintType.ALAP)


@attrs.frozen
class ScheduleConstraint:
    """A constraint on when an activity may start or finish.

    Examples
    --------
    >>> ScheduleConstraint(ConstraintType.SNET, datetime(2026, 3, 2, 8))
    ScheduleConstraint(type=<ConstraintType.SNET: 'SNET'>, date=datetime.datetime(2026, 3, 2, 8, 0))
    >>> ScheduleConstraint(ConstraintType.MSO)
    Traceback (most recent call last):
    ...
    pmsm_core.exceptions.ValidationError: date: schedule constraint: MSO needs a date
    """

    type: ConstraintType = attrs.field(
        default=ConstraintType.ASAP, validator=instance_of(ConstraintType)
    )
    date: datetime | int | None = attrs.field(default=None, validator=check_timepoint())

    def __attrs_post_init__(self) -> None:
        if self.type.needs_date and self.date is None:
            raise fail(self, "date", f"{self.type.value} needs a date")
        if not self.type.needs_date and self.date is not None:
            raise fail(self, "date", f"{self.type.value} takes no date")


ASAP = ScheduleConstraint()


@attrs.frozen
class PercentLag:
    """A lag given as a percentage of the predecessor's duration.

    ``elapsed`` makes it Microsoft Project's ``e%``: the resulting length is applied as
    elapsed time.

    Examples
    --------
    >>> str(PercentLag(50.0)), str(PercentLag(25.0, elapsed=True))
    ('50%', '25e%')
    """

    percent: float = attrs.field(validator=number(low=-1e6, high=1e6))
    elapsed: bool = attrs.field(default=False, kw_only=True, validator=check_bool)

    def __str__(self) -> str:
        return f"{self.percent:g}{'e' if self.elapsed else ''}%"

    def of(self, duration: Duration) -> Duration:
        """The lag for a predecessor of ``duration`` (rounded to the minute)."""
        return Duration(round(duration.minutes * self.percent / 100), elapsed=self.elapsed)


def _to_lag(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        return Duration(value)
    return value


@attrs.frozen
class Dependency:
    """A logical link from a predecessor to a successor activity.

    Parameters
    ----------
    predecessor, successor
        Activity ids.
    type
        :class:`LinkType`, finish-to-start by default.
    lag
        A working or elapsed :class:`~pmsm_core.calendars.Duration` (negative for a lead)
        or a :class:`PercentLag`.

    Examples
    --------
    >>> Dependency("A", "B", LinkType.SS, Duration.from_days(2)).lag.minutes
    960
    """

    predecessor: str = attrs.field(validator=check_id)
    successor: str = attrs.field(validator=check_id)
    type: LinkType = attrs.field(default=LinkType.FS, validator=instance_of(LinkType))
    lag: Duration | PercentLag = attrs.field(
        default=Duration.ZERO, converter=_to_lag, validator=instance_of((Duration, PercentLag))
    )

    def __attrs_post_init__(self) -> None:
        if self.predecessor == self.successor:
            raise fail(self, "successor", f"activity {self.predecessor!r} cannot depend on itself")


@attrs.frozen
class Phase:
    """A stage of the project, optionally tied to one of the five PMBOK process groups.

    Examples
    --------
    >>> Phase(
    ...     "plan", "Planning", process_group=ProcessGroup.PLANNING, exit_criteria=["Plan approved"]
    ... ).exit_criteria
    ('Plan approved',)
    """

    id: str = attrs.field(validator=check_id)
    name: str = attrs.field(default="", validator=check_str)
    process_group: ProcessGroup | None = attrs.field(
        default=None, kw_only=True, validator=instance_of(ProcessGroup, optional=True)
    )
    entry_criteria: tuple[str, ...] = attrs.field(
        default=(), kw_only=True, converter=to_tuple, validator=tuple_of(str)
    )
    exit_criteria: tuple[str, ...] = attrs.field(
        default=(), kw_only=True, converter=to_tuple, validator=tuple_of(str)
    )
    description: str = attrs.field(default="", kw_only=True, validator=check_str)


@attrs.frozen
class Activity:
    """A unit of project work, a milestone, or a summary of other activities.

    An activity becomes a *summary* when other activities name it as their ``parent``;
    a summary takes its dates from its children and has no duration of its own.

    Parameters
    ----------
    id
        Unique within the project.
    name
        Display name.
    duration
        Working time the activity takes (plain units for undated projects).
    parent
        Id of the summary activity above this one in the WBS.
    milestone
        A zero-duration marker.
    calendar
        Id of a calendar that overrides the project calendar for this activity.
    constraint
        A :class:`ScheduleConstraint`; as soon as possible by default.
    deadline
        A soft target finish: it never moves the activity, it can make float negative.
    cost
        Fixed cost.
    phase
        Id of the :class:`Phase` it belongs to.
    estimate
        How long it may really take, for schedule risk analysis
        (:func:`~pmsm_core.simulate`): a :class:`ThreePointEstimate` (PERT-beta or
        triangular), :class:`~pmsm_core.UniformEstimate`,
        :class:`~pmsm_core.LognormalEstimate`, :class:`~pmsm_core.FixedEstimate` or
        :class:`~pmsm_core.EmpiricalEstimate`. Without one the planned duration is used.
    assignments
        Resources working on it.
    progress
        Actual dates, percent complete and actual cost.

    Examples
    --------
    >>> a = Activity("A", "Write runbook", Duration.from_days(3))
    >>> a.duration.minutes, a.constraint.type
    (1440, <ConstraintType.ASAP: 'ASAP'>)
    >>> Activity("M", "Go-live", milestone=True).is_milestone
    True
    """

    id: str = attrs.field(validator=check_id)
    name: str = attrs.field(default="", validator=check_str)
    duration: Duration = attrs.field(
        default=Duration.ZERO, converter=_to_lag, validator=check_duration()
    )
    parent: str | None = attrs.field(default=None, kw_only=True, validator=check_optional_id)
    milestone: bool = attrs.field(default=False, kw_only=True, validator=check_bool)
    calendar: str | None = attrs.field(default=None, kw_only=True, validator=check_optional_id)
    constraint: ScheduleConstraint = attrs.field(
        default=ASAP, kw_only=True, validator=instance_of(ScheduleConstraint)
    )
    deadline: datetime | int | None = attrs.field(
        default=None, kw_only=True, validator=check_timepoint()
    )
    cost: float = attrs.field(default=0.0, kw_only=True, validator=number(low=0))
    phase: str | None = attrs.field(default=None, kw_only=True, validator=check_optional_id)
    estimate: (
        ThreePointEstimate
        | UniformEstimate
        | LognormalEstimate
        | FixedEstimate
        | EmpiricalEstimate
        | None
    ) = attrs.field(
        default=None, kw_only=True, validator=instance_of(ESTIMATE_TYPES, optional=True)
    )
    assignments: tuple[Assignment, ...] = attrs.field(
        default=(), kw_only=True, converter=to_tuple, validator=tuple_of(Assignment)
    )
    progress: Progress | None = attrs.field(
        default=None, kw_only=True, validator=instance_of(Progress, optional=True)
    )
    notes: str = attrs.field(default="", kw_only=True, validator=check_str)

    def __attrs_post_init__(self) -> None:
        if self.duration.minutes < 0:
            raise fail(self, "duration", f"duration must not be negative, got {self.duration}")
        if self.duration.elapsed and self.duration.minutes:
            raise fail(self, "duration", "activity durations are working time, not elapsed")
        if self.milestone and self.duration.minutes:
            raise fail(self, "duration", f"a milestone has zero duration, got {self.duration}")
        if self.milestone and self.estimate is not None:
            raise fail(self, "estimate", "a milestone has zero duration; remove its estimate")

    @property
    def is_milestone(self) -> bool:
        """True for flagged milestones and for zero-duration activities."""
        return self.milestone or self.duration.minutes == 0


def _check_start(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None:
        check_timepoint(optional=False)(instance, attribute, value)
        if not isinstance(value, datetime):
            raise fail(
                instance, "start", "start must be a datetime, or absent for an undated project"
            )


def _id_map(items: Iterable[Any]) -> dict[str, Any]:
    return {item.id: item for item in items}


@attrs.frozen(repr=False)
class Project:
    """A temporary endeavour: its activities, their logic, and everything around them.

    A project with a ``start`` datetime is *dated*: durations are working time on its
    calendars and results are datetimes. Without a ``start`` it is *undated*: durations
    and dates are plain numbers of time units, as in textbook CPM and PSPLIB.

    Parameters
    ----------
    id, name
        Identity.
    start
        Start datetime (naive local time), or None for an undated project.
    calendar
        The project calendar; activities without their own calendar use it.
    calendars
        Further calendars that activities and resources refer to by id.
    phases, activities, dependencies
        The work and its logic.
    triple_constraint
        Time, budget and scope targets.
    resources, risks, suppliers, procurement, stakeholders, quality_metrics
        The factors the essay names around a project.
    baselines
        Saved plans to compare against.
    status_date
        The date progress was measured at.
    minutes_per_day, minutes_per_week, days_per_month
        How long a day, week and month of working time are (Microsoft Project's
        defaults: 480, 2400, 20).

    Raises
    ------
    ValidationError
        With one :class:`~pmsm_core.exceptions.Problem` per rule broken: duplicate ids,
        references to unknown ids, cycles in the WBS, summaries with their own duration,
        links between a summary and its own descendants, dates of the wrong kind.

    Examples
    --------
    >>> p = Project(
    ...     "P",
    ...     "Demo",
    ...     activities=[Activity("A", duration=Duration(3)), Activity("B", duration=Duration(2))],
    ...     dependencies=[Dependency("A", "B")],
    ... )
    >>> p.is_dated, len(p.activities), p.successors("A")
    (False, 2, ('B',))
    >>> Project("P", activities=[Activity("A"), Activity("A")])
    Traceback (most recent call last):
    ...
    pmsm_core.exceptions.ValidationError: activities[1].id: duplicate activity id 'A'
    """

    id: str = attrs.field(validator=check_id)
    name: str = attrs.field(default="", validator=check_str)
    start: datetime | None = attrs.field(default=None, kw_only=True, validator=_check_start)
    calendar: WorkCalendar = attrs.field(
        factory=WorkCalendar.standard, kw_only=True, validator=instance_of(WorkCalendar)
    )
    calendars: tuple[WorkCalendar, ...] = attrs.field(
        default=(), kw_only=True, converter=to_tuple, validator=tuple_of(WorkCalendar)
    )
    phases: tuple[Phase, ...] = attrs.field(
        default=(), kw_only=True, converter=to_tuple, validator=tuple_of(Phase)
    )
    activities: tuple[Activity, ...] = attrs.field(
        default=(), kw_only=True, converter=to_tuple, validator=tuple_of(Activity)
    )
    dependencies: tuple[Dependency, ...] = attrs.field(
        default=(), kw_only=True, converter=to_tuple, validator=tuple_of(Dependency)
    )
    triple_constraint: TripleConstraint = attrs.field(
        factory=TripleConstraint, kw_only=True, validator=instance_of(TripleConstraint)
    )
    resources: tuple[Resource, ...] = attrs.field(
        default=(), kw_only=True, converter=to_tuple, validator=tuple_of(Resource)
    )
    risks: tuple[Risk, ...] = attrs.field(
        default=(), kw_only=True, converter=to_tuple, validator=tuple_of(Risk)
    )
    suppliers: tuple[Supplier, ...] = attrs.field(
        default=(), kw_only=True, converter=to_tuple, validator=tuple_of(Supplier)
    )
    procurement: tuple[ProcurementItem, ...] = attrs.field(
        default=(), kw_only=True, converter=to_tuple, validator=tuple_of(ProcurementItem)
    )
    stakeholders: tuple[Stakeholder, ...] = attrs.field(
        default=(), kw_only=True, converter=to_tuple, validator=tuple_of(Stakeholder)
    )
    quality_metrics: tuple[QualityMetric, ...] = attrs.field(
        default=(), kw_only=True, converter=to_tuple, validator=tuple_of(QualityMetric)
    )
    baselines: tuple[Baseline, ...] = attrs.field(
        default=(), kw_only=True, converter=to_tuple, validator=tuple_of(Baseline)
    )
    status_date: datetime | int | None = attrs.field(
        default=None, kw_only=True, validator=check_timepoint()
    )
    minutes_per_day: int = attrs.field(
        default=480, kw_only=True, validator=number(low=1, high=1440, integer=True)
    )
    minutes_per_week: int = attrs.field(
        default=2400, kw_only=True, validator=number(low=1, high=10080, integer=True)
    )
    days_per_month: int = attrs.field(
        default=20, kw_only=True, validator=number(low=1, high=31, integer=True)
    )
    description: str = attrs.field(default="", kw_only=True, validator=check_str)

    _index: dict[str, int] = attrs.field(init=False, eq=False, repr=False)
    _children: dict[str, tuple[str, ...]] = attrs.field(init=False, eq=False, repr=False)
    _succ: dict[str, tuple[str, ...]] | None = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        index: dict[str, int] = {}
        for i, activity in enumerate(self.activities):
            if activity.id in index:
                problems.append(
                    Problem(f"activities[{i}].id", f"duplicate activity id {activity.id!r}")
                )
            else:
                index[activity.id] = i
        object.__setattr__(self, "_index", index)
        object.__setattr__(self, "_succ", None)
        children: dict[str, list[str]] = {}
        for activity in self.activities:
            if activity.parent is not None and activity.parent in index:
                children.setdefault(activity.parent, []).append(activity.id)
        object.__setattr__(self, "_children", {k: tuple(v) for k, v in children.items()})
        problems.extend(_ProjectChecker(self).run())
        if problems:
            raise ValidationError(problems)

    def __repr__(self) -> str:
        kind = f"start={self.start.isoformat()}" if self.start else "undated"
        return (
            f"Project(id={self.id!r}, name={self.name!r}, {kind}, "
            f"activities={len(self.activities)}, dependencies={len(self.dependencies)})"
        )

    # ------------------------------------------------------------------ queries
    @property
    def is_dated(self) -> bool:
        """True when the project has a start datetime."""
        return self.start is not None

    @property
    def factors(self) -> DurationFactors:
        """The project's minutes per day, week and month, for duration conversions."""
        return DurationFactors(self.minutes_per_day, self.minutes_per_week, self.days_per_month)

    def activity(self, activity_id: str) -> Activity:
        """Return the activity with id ``activity_id``.

        Raises
        ------
        KeyError
            If no activity has that id.
        """
        return self.activities[self._index[activity_id]]

    def index_of(self, activity_id: str) -> int:
        """Position of the activity in ``activities``."""
        return self._index[activity_id]

    def __contains__(self, activity_id: object) -> bool:
        return activity_id in self._index

    def children(self, activity_id: str) -> tuple[str, ...]:
        """Ids of the direct children of a summary activity (empty for others)."""
        return self._children.get(activity_id, ())

    def is_summary(self, activity_id: str) -> bool:
        """True when other activities name ``activity_id`` as their parent."""
        return activity_id in self._children

    def leaves(self, activity_id: str) -> tuple[str, ...]:
        """Non-summary descendants of ``activity_id`` (itself if it is not a summary)."""
        if activity_id not in self._children:
            return (activity_id,)
        out: list[str] = []
        stack = [activity_id]
        while stack:
            current = stack.pop()
            kids = self._children.get(current)
            if kids is None:
                out.append(current)
            else:
                stack.extend(reversed(kids))
        return tuple(out)

    def successors(self, activity_id: str) -> tuple[str, ...]:
        """Ids of the direct successors of ``activity_id`` by dependency."""
        if self._succ is None:
            succ: dict[str, list[str]] = {}
            for dep in self.dependencies:
                succ.setdefault(dep.predecessor, []).append(dep.successor)
            object.__setattr__(self, "_succ", {k: tuple(v) for k, v in succ.items()})
        assert self._succ is not None
        return self._succ.get(activity_id, ())

    def calendar_by_id(self, calendar_id: str | None) -> WorkCalendar:
        """The calendar with ``calendar_id``; the project calendar for None.

        Raises
        ------
        KeyError
            If no calendar has that id.
        """
        if calendar_id is None or calendar_id == self.calendar.id:
            return self.calendar
        for cal in self.calendars:
            if cal.id == calendar_id:
                return cal
        raise KeyError(calendar_id)

    def activity_calendar(self, activity_id: str) -> WorkCalendar:
        """The calendar that times ``activity_id`` (its own, else the project calendar)."""
        return self.calendar_by_id(self.activity(activity_id).calendar)

    def walk(self) -> Iterator[tuple[int, Activity]]:
        """Yield ``(level, activity)`` in WBS order (children after their parent)."""
        roots = [a for a in self.activities if a.parent is None]
        stack = [(0, a) for a in reversed(roots)]
        while stack:
            level, activity = stack.pop()
            yield level, activity
            kids = self._children.get(activity.id, ())
            stack.extend((level + 1, self.activity(k)) for k in reversed(kids))

    @property
    def communication_channels(self) -> tuple[CommunicationChannel, ...]:
        """Every pair of stakeholders, n(n-1)/2 lines of communication.

        Examples
        --------
        >>> p = Project("P", stakeholders=[Stakeholder(s) for s in "ABCD"])
        >>> len(p.communication_channels)
        6
        """
        ids = [s.id for s in self.stakeholders]
        return tuple(CommunicationChannel(a, b) for i, a in enumerate(ids) for b in ids[i + 1 :])

    @property
    def total_cost(self) -> float:
        """Planned cost, the sum of fixed activity costs, resource costs and procurement."""
        rates = {r.id: r for r in self.resources}
        total = math.fsum(a.cost for a in self.activities)
        for activity in self.activities:
            for assignment in activity.assignments:
                resource = rates[assignment.resource]
                work = (
                    assignment.work.minutes
                    if assignment.work is not None
                    else activity.duration.minutes * assignment.units
                )
                hours = work / 60 if self.is_dated else work
                total += resource.cost_per_hour * hours + resource.cost_per_use
        total += math.fsum(item.cost for item in self.procurement)
        return total

    def to_dataframe(self) -> pd.DataFrame:
        """The activities as a pandas DataFrame in WBS order (needs the ``pandas`` extra).

        See :func:`pmsm_core.viz.frames.project_frame` for the columns.

        Examples
        --------
        >>> p = Project("P", activities=[Activity("A", "Plan", Duration(3))])
        >>> p.to_dataframe().loc["A", "name"]
        'Plan'
        """
        from pmsm_core.viz.frames import project_frame

        return project_frame(self)

    def _repr_html_(self) -> str:
        from pmsm_core.viz.html import project_html

        return project_html(self)

    def to_networkx(self) -> nx.DiGraph:
        """Return the activity network as an ``nx.DiGraph``.

        Nodes are activity ids with the attributes ``name``, ``duration`` (minutes or
        units), ``milestone``, ``summary``, ``parent``, ``calendar`` and ``activity`` (the
        value itself); edges carry ``type`` (``"FS"`` ...), ``lag`` (minutes, or None for
        percent lags), ``lag_percent`` and ``dependency``.

        Examples
        --------
        >>> p = Project(
        ...     "P",
        ...     activities=[Activity("A", duration=Duration(3)), Activity("B")],
        ...     dependencies=[Dependency("A", "B")],
        ... )
        >>> G = p.to_networkx()
        >>> G.nodes["A"]["duration"], G.edges["A", "B"]["type"]
        (3, 'FS')
        """
        import networkx as nx

        graph = nx.DiGraph(id=self.id, name=self.name, start=self.start)
        for activity in self.activities:
            graph.add_node(
                activity.id,
                name=activity.name,
                duration=activity.duration.minutes,
                milestone=activity.is_milestone,
                summary=self.is_summary(activity.id),
                parent=activity.parent,
                calendar=activity.calendar,
                activity=activity,
            )
        for dep in self.dependencies:
            graph.add_edge(
                dep.predecessor,
                dep.successor,
                type=dep.type.value,
                lag=dep.lag.minutes if isinstance(dep.lag, Duration) else None,
                lag_percent=dep.lag.percent if isinstance(dep.lag, PercentLag) else None,
                dependency=dep,
            )
        return graph


class _ProjectChecker:
    """Cross-object checks of a project; collects problems instead of stopping."""

    def __init__(self, project: Project) -> None:
        self.p = project
        self.problems: list[Problem] = []
        self.dated = project.start is not None

    def add(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    def run(self) -> list[Problem]:
        p = self.p
        calendars = self._calendars()
        phases = self._unique("phases", p.phases, "phase")
        resources = self._unique("resources", p.resources, "resource")
        stakeholders = self._unique("stakeholders", p.stakeholders, "stakeholder")
        suppliers = self._unique("suppliers", p.suppliers, "supplier")
        self._unique("risks", p.risks, "risk")
        self._unique("procurement", p.procurement, "procurement item")
        self._unique("quality_metrics", p.quality_metrics, "quality metric")
        deliverables = self._unique(
            "triple_constraint.scope", p.triple_constraint.scope, "deliverable"
        )
        self._activities(calendars, phases, resources)
        self._dependencies()
        self._governance(stakeholders, suppliers, deliverables)
        self._resources(calendars, suppliers)
        self._baselines()
        self._times()
        self._progress()
        return self.problems

    def _unique(self, path: str, items: Iterable[Any], what: str) -> set[str]:
        seen: set[str] = set()
        for i, item in enumerate(items):
            if item.id in seen:
                self.add(f"{path}[{i}].id", f"duplicate {what} id {item.id!r}")
            seen.add(item.id)
        return seen

    def _calendars(self) -> set[str]:
        seen = {self.p.calendar.id}
        for i, cal in enumerate(self.p.calendars):
            if cal.id in seen:
                self.add(f"calendars[{i}].id", f"duplicate calendar id {cal.id!r}")
            seen.add(cal.id)
        return seen

    def _activities(self, calendars: set[str], phases: set[str], resources: set[str]) -> None:
        p = self.p
        index = p._index
        children = p._children
        for i, a in enumerate(p.activities):
            where = f"activities[{i}]"
            if a.parent is not None and a.parent not in index:
                self.add(
                    f"{where}.parent", f"activity {a.id!r}: unknown parent activity {a.parent!r}"
                )
            if a.calendar is not None and a.calendar not in calendars:
                self.add(f"{where}.calendar", f"activity {a.id!r}: unknown calendar {a.calendar!r}")
            if a.phase is not None and a.phase not in phases:
                self.add(f"{where}.phase", f"activity {a.id!r}: unknown phase {a.phase!r}")
            for j, asg in enumerate(a.assignments):
                if asg.resource not in resources:
                    self.add(
                        f"{where}.assignments[{j}].resource",
                        f"activity {a.id!r}: unknown resource {asg.resource!r}",
                    )
            if a.id in children:
                if a.duration.minutes:
                    self.add(
                        f"{where}.duration",
                        f"summary activity {a.id!r} takes its duration from its children; "
                        f"remove its own duration {a.duration}",
                    )
                if a.milestone:
                    self.add(
                        f"{where}.milestone", f"summary activity {a.id!r} cannot be a milestone"
                    )
                if a.assignments:
                    self.add(
                        f"{where}.assignments",
                        f"summary activity {a.id!r}: assign resources to its children instead",
                    )
                if a.progress is not None:
                    self.add(
                        f"{where}.progress",
                        f"summary activity {a.id!r}: record progress on its children instead",
                    )
                if a.estimate is not None:
                    self.add(
                        f"{where}.estimate",
                        f"summary activity {a.id!r} takes its duration from its children; "
                        "estimate its children instead",
                    )
            if not self.dated and a.calendar is not None:
                self.add(
                    f"{where}.calendar", f"activity {a.id!r}: an undated project has no calendars"
                )
        self._wbs_cycles()

    def _wbs_cycles(self) -> None:
        p = self.p
        index = p._index
        state: dict[str, int] = {}
        for a in p.activities:
            chain: list[str] = []
            current: str | None = a.id
            while current is not None and current in index and current not in state:
                state[current] = 1
                chain.append(current)
                current = p.activities[index[current]].parent
            if current is not None and state.get(current) == 1:
                cycle = chain[chain.index(current) :]
                self.add(
                    f"activities[{index[current]}].parent",
                    "the WBS has a cycle: " + " -> ".join([*cycle, current]),
                )
            for item in chain:
                state[item] = 2

    def _ancestors(self, activity_id: str) -> set[str]:
        p = self.p
        out: set[str] = set()
        current = p.activities[p._index[activity_id]].parent
        while current is not None and current in p._index and current not in out:
            out.add(current)
            current = p.activities[p._index[current]].parent
        return out

    def _dependencies(self) -> None:
        p = self.p
        index = p._index
        has_parent = {a.id for a in p.activities if a.parent is not None}
        seen: dict[tuple[str, str], int] = {}
        for i, dep in enumerate(p.dependencies):
            where = f"dependencies[{i}]"
            ok = True
            for field in ("predecessor", "successor"):
                ref = getattr(dep, field)
                if ref not in index:
                    self.add(f"{where}.{field}", f"unknown activity {ref!r}")
                    ok = False
            if not ok:
                continue
            key = (dep.predecessor, dep.successor)
            if key in seen:
                self.add(
                    where,
                    f"duplicate link {dep.predecessor!r} -> {dep.successor!r} "
                    f"(also dependencies[{seen[key]}]); keep one link per pair",
                )
            else:
                seen[key] = i
            if (
                dep.predecessor in has_parent
                and dep.successor in p._children
                and dep.successor in self._ancestors(dep.predecessor)
            ):
                self.add(
                    where,
                    f"link from {dep.predecessor!r} to its own summary {dep.successor!r} "
                    "makes no sense",
                )
            if (
                dep.successor in has_parent
                and dep.predecessor in p._children
                and dep.predecessor in self._ancestors(dep.successor)
            ):
                self.add(
                    where,
                    f"link from summary {dep.predecessor!r} to its own descendant "
                    f"{dep.successor!r} makes no sense",
                )
            lag = dep.lag
            if not self.dated and lag.elapsed:
                self.add(f"{where}.lag", "elapsed lags need a dated project")

    def _governance(
        self, stakeholders: set[str], suppliers: set[str], deliverables: set[str]
    ) -> None:
        p = self.p
        index = p._index
        for i, risk in enumerate(p.risks):
            if risk.owner is not None and risk.owner not in stakeholders:
                self.add(
                    f"risks[{i}].owner", f"risk {risk.id!r}: unknown stakeholder {risk.owner!r}"
                )
            for j, ref in enumerate(risk.affected_activities):
                if ref not in index:
                    self.add(
                        f"risks[{i}].affected_activities[{j}]",
                        f"risk {risk.id!r}: unknown activity {ref!r}",
                    )
            if risk.schedule_impact is not None and risk.schedule_impact.elapsed:
                self.add(f"risks[{i}].schedule_impact", "schedule impacts are working time")
        for i, item in enumerate(p.procurement):
            if item.supplier is not None and item.supplier not in suppliers:
                self.add(
                    f"procurement[{i}].supplier",
                    f"procurement item {item.id!r}: unknown supplier {item.supplier!r}",
                )
            if item.activity is not None and item.activity not in index:
                self.add(
                    f"procurement[{i}].activity",
                    f"procurement item {item.id!r}: unknown activity {item.activity!r}",
                )
        for i, d in enumerate(p.triple_constraint.scope):
            for j, ref in enumerate(d.activities):
                if ref not in index:
                    self.add(
                        f"triple_constraint.scope[{i}].activities[{j}]",
                        f"deliverable {d.id!r}: unknown activity {ref!r}",
                    )
        for i, m in enumerate(p.quality_metrics):
            if m.deliverable is not None and m.deliverable not in deliverables:
                self.add(
                    f"quality_metrics[{i}].deliverable",
                    f"quality metric {m.id!r}: unknown deliverable {m.deliverable!r}",
                )

    def _resources(self, calendars: set[str], suppliers: set[str]) -> None:
        for i, r in enumerate(self.p.resources):
            if r.calendar is not None and r.calendar not in calendars:
                self.add(
                    f"resources[{i}].calendar",
                    f"resource {r.id!r}: unknown calendar {r.calendar!r}",
                )
            if r.supplier is not None and r.supplier not in suppliers:
                self.add(
                    f"resources[{i}].supplier",
                    f"resource {r.id!r}: unknown supplier {r.supplier!r}",
                )

    def _baselines(self) -> None:
        p = self.p
        seen: set[int] = set()
        for i, b in enumerate(p.baselines):
            if b.number in seen:
                self.add(f"baselines[{i}].number", f"duplicate baseline number {b.number}")
            seen.add(b.number)
            for j, ba in enumerate(b.activities):
                if ba.activity not in p._index:
                    self.add(
                        f"baselines[{i}].activities[{j}].activity",
                        f"unknown activity {ba.activity!r}",
                    )
                self._time(f"baselines[{i}].activities[{j}].start", ba.start)
                self._time(f"baselines[{i}].activities[{j}].finish", ba.finish)

    def _time(self, path: str, value: datetime | int | None) -> None:
        if value is None:
            return
        if self.dated and not isinstance(value, datetime):
            self.add(path, f"a dated project needs a datetime here, got {value!r}")
        elif not self.dated and isinstance(value, datetime):
            self.add(
                path,
                f"an undated project counts time in units; got the datetime {value.isoformat()}",
            )

    def _times(self) -> None:
        p = self.p
        self._time("status_date", p.status_date)
        self._time("triple_constraint.target_finish", p.triple_constraint.target_finish)
        self._time("triple_constraint.deadline", p.triple_constraint.deadline)
        for i, a in enumerate(p.activities):
            if a.constraint.date is not None:
                self._time(f"activities[{i}].constraint.date", a.constraint.date)
            self._time(f"activities[{i}].deadline", a.deadline)
            if a.progress is not None:
                self._time(f"activities[{i}].progress.actual_start", a.progress.actual_start)
                self._time(f"activities[{i}].progress.actual_finish", a.progress.actual_finish)

    def _progress(self) -> None:
        """Actual dates lie on or before the status date (progress is measured there)."""
        status = self.p.status_date
        if status is None:
            return
        for i, a in enumerate(self.p.activities):
            progress = a.progress
            if progress is None:
                continue
            for field in ("actual_start", "actual_finish"):
                value = getattr(progress, field)
                if value is None or type(value) is not type(status):
                    continue  # absent, or of the wrong kind (reported by _times)
                if value > status:  # type: ignore[operator]
                    words = field.replace("_", " ")
                    self.add(
                        f"activities[{i}].progress.{field}",
                        f"activity {a.id!r}: {words} {_when(value)} is after the status date "
                        f"{_when(status)}; progress is measured up to the status date",
                    )


def _when(value: datetime | int) -> str:
    return (
        value.isoformat(sep=" ", timespec="minutes") if isinstance(value, datetime) else str(value)
    )


@attrs.define
class ProjectBuilder:
    """A mutable helper that collects activities and links, then builds a :class:`Project`.

    Examples
    --------
    >>> b = ProjectBuilder("P", "Demo")
    >>> b.add_activity("A", "Design", Duration(3))
    >>> b.add_activity("B", "Build", Duration(5))
    >>> b.link("A", "B")
    >>> b.build().successors("A")
    ('B',)
    """

    id: str
    name: str = ""
    settings: dict[str, Any] = attrs.field(factory=dict)
    activities: list[Activity] = attrs.field(factory=list)
    dependencies: list[Dependency] = attrs.field(factory=list)

    def add_activity(
        self,
        id: str,
        name: str = "",
        duration: Duration | int = 0,
        **kwargs: Any,
    ) -> None:
        """Add an activity; keyword arguments are :class:`Activity` fields."""
        self.activities.append(Activity(id, name, _to_lag(duration), **kwargs))

    def link(
        self,
        predecessor: str,
        successor: str,
        type: LinkType | str = LinkType.FS,
        lag: Duration | PercentLag | int = 0,
    ) -> None:
        """Add a dependency; ``type`` may be given as ``"FS"``, ``"SS"``, ``"FF"``, ``"SF"``."""
        self.dependencies.append(Dependency(predecessor, successor, LinkType(type), _to_lag(lag)))

    def build(self) -> Project:
        """Validate everything and return the immutable project."""
        return Project(
            self.id,
            self.name,
            activities=self.activities,
            dependencies=self.dependencies,
            **self.settings,
        )
