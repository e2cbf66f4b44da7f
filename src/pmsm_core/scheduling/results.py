"""Result values of scheduling: options, scheduled activities and links, the schedule.

Results are frozen values like the domain model: serialisable with the same converter,
comparable, and able to explain themselves (driving links, warnings).
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any

import attrs

from pmsm_core.model._validators import check_bool, instance_of, number

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx
    import pandas as pd

__all__ = [
    "CriticalDefinition",
    "LagCalendar",
    "Schedule",
    "ScheduleOptions",
    "ScheduleWarning",
    "ScheduledActivity",
    "ScheduledLink",
]


class LagCalendar(enum.Enum):
    """Which calendar working-time lags are counted on."""

    SUCCESSOR = "successor"
    """The successor's calendar (Microsoft Project's rule, the default)."""
    PREDECESSOR = "predecessor"
    """The predecessor's calendar (ProjectLibre's rule)."""
    PROJECT = "project"
    """The project calendar (Project 2000's rule)."""
    ELAPSED = "24h"
    """Round the clock, as if every lag were elapsed."""


class CriticalDefinition(enum.Enum):
    """What makes an activity critical."""

    TOTAL_FLOAT = "total-float"
    """Total float at most the threshold (Microsoft Project)."""
    LONGEST_PATH = "longest-path"
    """On a chain of driving links that ends at the project finish (Primavera P6)."""


@attrs.frozen
class ScheduleOptions:
    """Options of :func:`~pmsm_core.schedule`.

    Parameters
    ----------
    critical_threshold
        Activities with total float at most this (working minutes for dated projects,
        units for undated ones) are critical; Microsoft Project's "tasks are critical if
        slack is less than or equal to", 0 by default.
    multiple_critical_paths
        Each activity without successors gets its own early finish as late finish, so every
        chain shows its own critical path.
    honor_constraints
        Constraint dates beat logic (Microsoft Project's default); conflicts show as
        negative float and a warning. When False, logic wins.
    lag_calendar
        The calendar working-time lags are counted on.
    critical_definition
        Total float (default) or longest path.
    max_critical_paths
        At most this many critical paths are listed.
    move_incomplete_after_status_date
        For projects with progress and a status date: remaining work of activities in
        progress resumes at the status date and unstarted work starts no earlier (Microsoft
        Project's "move ... parts after status date" options). When False, remaining work
        follows the work done and unstarted work follows logic only.

    Examples
    --------
    >>> ScheduleOptions(critical_threshold=480).critical_threshold
    480
    """

    critical_threshold: int = attrs.field(default=0, validator=number(integer=True))
    multiple_critical_paths: bool = attrs.field(default=False, validator=check_bool)
    honor_constraints: bool = attrs.field(default=True, validator=check_bool)
    lag_calendar: LagCalendar = attrs.field(
        default=LagCalendar.SUCCESSOR, validator=instance_of(LagCalendar)
    )
    critical_definition: CriticalDefinition = attrs.field(
        default=CriticalDefinition.TOTAL_FLOAT, validator=instance_of(CriticalDefinition)
    )
    max_critical_paths: int = attrs.field(default=20, validator=number(low=1, integer=True))
    move_incomplete_after_status_date: bool = attrs.field(default=True, validator=check_bool)


@attrs.frozen
class ScheduleWarning:
    """Something the user should look at, e.g. a constraint that overrides logic.

    ``kind`` is one of ``"constraint-conflict"``, ``"negative-float"``,
    ``"missed-deadline"``, ``"before-project-start"``, ``"summary-constraint"`` and
    ``"out-of-sequence"`` (an activity started before its predecessors allowed).

    Examples
    --------
    >>> from pmsm_core import Activity, Duration, Project, schedule
    >>> p = Project("P", activities=[Activity("A", duration=Duration(5), deadline=3)])
    >>> for warning in schedule(p).warnings:
    ...     print(warning.kind, "|", warning)
    missed-deadline | A: finishes 5, after its deadline 3
    negative-float | A: 1 activity has negative total float; the worst is A with -2 units
    """

    kind: str
    activity: str
    message: str

    def __str__(self) -> str:
        return f"{self.activity}: {self.message}"


@attrs.frozen
class ScheduledLink:
    """A dependency as scheduled: whether it drives its successor, and its slack.

    ``gap`` is the working time between where the link allows the successor and where it
    is (on the predecessor's calendar). ``driving`` says the link sets the successor's
    *early* start, so a driving link has gap 0, except into an ALAP activity: that one
    sits at its late dates, and the gap of its driving link is how much later it is placed
    than the link allows.

    Examples
    --------
    >>> from pmsm_core import Activity, Dependency, Duration, Project, schedule
    >>> p = Project(
    ...     "P",
    ...     activities=[
    ...         Activity("A", duration=Duration(2)),
    ...         Activity("B", duration=Duration(5)),
    ...         Activity("C", duration=Duration(1)),
    ...     ],
    ...     dependencies=[Dependency("A", "C"), Dependency("B", "C")],
    ... )
    >>> [(x.predecessor, x.driving, x.gap) for x in schedule(p).links]
    [('A', False, 3), ('B', True, 0)]
    """

    predecessor: str
    successor: str
    type: str
    driving: bool
    gap: int


@attrs.frozen
class ScheduledActivity:
    """One activity's dates, floats and explanation.

    Times are datetimes for dated projects and numbers of time units for undated ones;
    floats are working minutes (dated) or units (undated). ``start`` and ``finish`` are
    where the activity is placed: its late dates for ALAP activities, its early dates
    otherwise.

    ``driving_predecessors`` lists the predecessors whose links set the early start;
    ``driven_by`` says in words what set it (``"links"``, ``"project start"``,
    ``"constraint SNET"`` ...).

    Examples
    --------
    >>> from pmsm_core import Activity, Dependency, Duration, Project, schedule
    >>> p = Project(
    ...     "P",
    ...     activities=[Activity("A", duration=Duration(2)), Activity("B", duration=Duration(3))],
    ...     dependencies=[Dependency("A", "B")],
    ... )
    >>> b = schedule(p)["B"]
    >>> b.early_start, b.total_float, b.critical, b.driving_predecessors, b.driven_by
    (2, 0, True, ('A',), 'links')
    """

    id: str
    name: str
    early_start: datetime | int
    early_finish: datetime | int
    late_start: datetime | int
    late_finish: datetime | int
    start: datetime | int
    finish: datetime | int
    duration: int
    start_slack: int
    finish_slack: int
    total_float: int
    free_float: int
    critical: bool
    summary: bool = False
    milestone: bool = False
    on_longest_path: bool = False
    driving_predecessors: tuple[str, ...] = ()
    driven_by: str = ""
    parent: str | None = None


@attrs.frozen(repr=False)
class Schedule:
    """The result of :func:`~pmsm_core.schedule`: dates and floats for every activity.

    Index it by activity id; iterate for all activities in project order.

    Examples
    --------
    >>> from pmsm_core import Activity, Dependency, Duration, Project, schedule
    >>> p = Project(
    ...     "P",
    ...     activities=[
    ...         Activity("A", duration=Duration(3)),
    ...         Activity("B", duration=Duration(2)),
    ...         Activity("C", duration=Duration(1)),
    ...     ],
    ...     dependencies=[Dependency("A", "B"), Dependency("A", "C")],
    ... )
    >>> s = schedule(p)
    >>> s.finish, s["C"].total_float, s.critical_paths
    (5, 1, (('A', 'B'),))
    """

    project_id: str
    start: datetime | int
    finish: datetime | int
    activities: tuple[ScheduledActivity, ...]
    links: tuple[ScheduledLink, ...] = ()
    critical_paths: tuple[tuple[str, ...], ...] = ()
    warnings: tuple[ScheduleWarning, ...] = ()
    options: ScheduleOptions = attrs.field(factory=ScheduleOptions)
    _index: dict[str, int] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_index", {a.id: i for i, a in enumerate(self.activities)})

    def __repr__(self) -> str:
        return (
            f"Schedule(project_id={self.project_id!r}, start={self.start!r}, "
            f"finish={self.finish!r}, activities={len(self.activities)}, "
            f"critical_paths={len(self.critical_paths)}, warnings={len(self.warnings)})"
        )

    def __getitem__(self, activity_id: str) -> ScheduledActivity:
        return self.activities[self._index[activity_id]]

    def __contains__(self, activity_id: object) -> bool:
        return activity_id in self._index

    def __iter__(self) -> Iterator[ScheduledActivity]:
        return iter(self.activities)

    def __len__(self) -> int:
        return len(self.activities)

    @property
    def is_dated(self) -> bool:
        """True when times are datetimes."""
        return isinstance(self.start, datetime)

    @property
    def critical(self) -> tuple[str, ...]:
        """Ids of the critical activities, in project order."""
        return tuple(a.id for a in self.activities if a.critical)

    def near_critical(self, threshold: int) -> tuple[str, ...]:
        """Ids of non-critical activities whose total float is at most ``threshold``.

        Examples
        --------
        >>> from pmsm_core import Activity, Dependency, Duration, Project, schedule
        >>> p = Project(
        ...     "P",
        ...     activities=[
        ...         Activity("A", duration=Duration(3)),
        ...         Activity("B", duration=Duration(2)),
        ...     ],
        ... )
        >>> schedule(p).near_critical(1)
        ('B',)
        """
        return tuple(a.id for a in self.activities if not a.critical and a.total_float <= threshold)

    def to_networkx(self) -> nx.DiGraph:
        """Return the scheduled network: activities as nodes with every result as node
        attributes, links as edges with ``type``, ``driving`` and ``gap``.

        Examples
        --------
        >>> from pmsm_core import Activity, Dependency, Duration, Project, schedule
        >>> p = Project(
        ...     "P",
        ...     activities=[
        ...         Activity("A", duration=Duration(3)),
        ...         Activity("B", duration=Duration(2)),
        ...     ],
        ...     dependencies=[Dependency("A", "B")],
        ... )
        >>> G = schedule(p).to_networkx()
        >>> G.nodes["B"]["early_start"], G.edges["A", "B"]["driving"]
        (3, True)
        """
        import networkx as nx

        graph = nx.DiGraph(project_id=self.project_id, start=self.start, finish=self.finish)
        for activity in self.activities:
            graph.add_node(activity.id, **attrs.asdict(activity, recurse=False))
        for link in self.links:
            graph.add_edge(
                link.predecessor, link.successor, type=link.type, driving=link.driving, gap=link.gap
            )
        return graph

    def to_dataframe(self) -> pd.DataFrame:
        """One row per activity as a pandas DataFrame (needs the ``pandas`` extra).

        See :func:`pmsm_core.viz.frames.schedule_frame` for the columns.

        Examples
        --------
        >>> from pmsm_core import Activity, Duration, Project, schedule
        >>> p = Project("P", activities=[Activity("A", duration=Duration(3))])
        >>> schedule(p).to_dataframe().loc["A", "early_finish"]
        np.int64(3)
        """
        from pmsm_core.viz.frames import schedule_frame

        return schedule_frame(self)

    def _repr_html_(self) -> str:
        from pmsm_core.viz.html import schedule_html

        return schedule_html(self)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data: the fields of ``pmsm schedule --format json``.

        Times are ISO datetimes for dated projects and numbers for undated ones.
        """

        def t(value: datetime | int) -> str | int:
            return value.isoformat(timespec="minutes") if isinstance(value, datetime) else value

        return {
            "project": self.project_id,
            "start": t(self.start),
            "finish": t(self.finish),
            "critical_paths": [list(path) for path in self.critical_paths],
            "warnings": [str(w) for w in self.warnings],
            "activities": [
                {
                    "id": a.id,
                    "name": a.name,
                    "early_start": t(a.early_start),
                    "early_finish": t(a.early_finish),
                    "late_start": t(a.late_start),
                    "late_finish": t(a.late_finish),
                    "start_slack": a.start_slack,
                    "finish_slack": a.finish_slack,
                    "total_float": a.total_float,
                    "free_float": a.free_float,
                    "critical": a.critical,
                }
                for a in self.activities
            ],
        }
