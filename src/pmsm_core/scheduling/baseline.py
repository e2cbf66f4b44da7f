"""Baselines: save the plan, compare any schedule with it, list the slipping activities.

A baseline is a :class:`~pmsm_core.Baseline` stored in ``Project.baselines``
(numbers 0 to 10, as Microsoft Project's Baseline and Baseline 1 ... 10). Each activity's
entry keeps its scheduled start, finish and duration, its planned cost and its work.

Planned cost of a leaf activity (:func:`planned_costs`) = its fixed cost + for each
assignment the resource's ``cost_per_hour`` x the assignment's work in hours (the work is
``duration x units`` when not given; undated projects count time units as hours, as
:attr:`~pmsm_core.Project.total_cost` does) + the resource's ``cost_per_use`` + the cost of
procurement items tied to the activity. Summaries carry the sum of their leaves; the fixed
cost of a summary itself and procurement tied to no leaf activity are *unallocated*
(:func:`unallocated_cost`): they count in the project's total cost but have no dates to
spread over, so they stay out of baselines and of the budget at completion.

Variances follow Microsoft Project's fields: *Start Variance* = start - baseline start,
*Finish Variance* = finish - baseline finish, *Duration Variance* = duration - baseline
duration, all in working minutes of the activity's calendar (time units when undated);
positive means later or longer. A *slipping* activity is one not yet complete whose finish
variance exceeds a threshold (Microsoft Project's "Slipping Tasks" filter).
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import TYPE_CHECKING, Any

import attrs

from pmsm_core.calendars import Duration, to_minute_index
from pmsm_core.exceptions import ValidationError
from pmsm_core.model.progress import Baseline, BaselineActivity
from pmsm_core.model.resources import ResourceKind

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from pmsm_core.model.project import Project
    from pmsm_core.scheduling.results import Schedule

__all__ = [
    "ActivityVariance",
    "BaselineComparison",
    "baseline_of",
    "compare_with_baseline",
    "planned_costs",
    "save_baseline",
    "unallocated_cost",
]


def planned_costs(project: Project) -> dict[str, float]:
    """Planned cost of every activity (summaries: the sum of their leaves).

    See the module docstring for the rule; the leaf costs plus procurement not tied to an
    activity add up to :attr:`~pmsm_core.Project.total_cost`.

    Examples
    --------
    >>> from pmsm_core import Activity, Assignment, Duration, Project, Resource
    >>> p = Project(
    ...     "P",
    ...     activities=[
    ...         Activity("A", duration=Duration(4), cost=100.0, assignments=[Assignment("R", 0.5)])
    ...     ],
    ...     resources=[Resource("R", cost_per_hour=50.0, cost_per_use=10.0)],
    ... )
    >>> planned_costs(p)
    {'A': 210.0}
    """
    rates = {r.id: r for r in project.resources}
    hours_per_unit = 1 / 60 if project.is_dated else 1.0
    costs: dict[str, float] = {}
    for activity in project.activities:
        if project.is_summary(activity.id):
            continue
        parts = [activity.cost]
        for assignment in activity.assignments:
            resource = rates[assignment.resource]
            work = (
                assignment.work.minutes
                if assignment.work is not None
                else activity.duration.minutes * assignment.units
            )
            parts.append(resource.cost_per_hour * work * hours_per_unit + resource.cost_per_use)
        costs[activity.id] = math.fsum(parts)
    for item in project.procurement:
        if item.activity is not None and item.activity in costs:
            costs[item.activity] += item.cost
    return _with_summaries(project, costs)


def unallocated_cost(project: Project) -> float:
    """Fixed costs of summaries and procurement tied to no leaf activity.

    Examples
    --------
    >>> from pmsm_core import Activity, ProcurementItem, Project
    >>> unallocated_cost(
    ...     Project("P", activities=[Activity("A")], procurement=[ProcurementItem("PO", cost=90.0)])
    ... )
    90.0
    """
    summaries = [a.cost for a in project.activities if project.is_summary(a.id)]
    items = [
        i.cost
        for i in project.procurement
        if i.activity is None or i.activity not in project or project.is_summary(i.activity)
    ]
    return math.fsum([*summaries, *items])


def _with_summaries(project: Project, leaf: dict[str, float]) -> dict[str, float]:
    out = dict(leaf)
    for activity in project.activities:
        if project.is_summary(activity.id):
            out[activity.id] = math.fsum(leaf.get(x, 0.0) for x in project.leaves(activity.id))
    return out


def _planned_work(project: Project) -> dict[str, int | None]:
    """Work of work resources per activity in minutes (units when undated); None without."""
    kinds = {r.id: r.kind for r in project.resources}
    leaf: dict[str, int | None] = {}
    for activity in project.activities:
        if project.is_summary(activity.id):
            continue
        parts = [
            a.work.minutes if a.work is not None else round(activity.duration.minutes * a.units)
            for a in activity.assignments
            if kinds[a.resource] is ResourceKind.WORK
        ]
        leaf[activity.id] = sum(parts) if parts else None
    out: dict[str, int | None] = {}
    for activity in project.activities:
        values = [leaf[x] for x in project.leaves(activity.id) if leaf.get(x) is not None]
        out[activity.id] = sum(v for v in values if v is not None) if values else None
    return out


def save_baseline(
    project: Project,
    number: int = 0,
    *,
    name: str | None = None,
    schedule: Schedule | None = None,
    saved: datetime | None = None,
) -> Project:
    """Return ``project`` with its current plan saved as baseline ``number``.

    Parameters
    ----------
    project
        The project to baseline.
    number
        0 to 10 (Microsoft Project's Baseline, Baseline 1 ... Baseline 10); a baseline
        with the same number is replaced.
    name
        A label ("Baseline" / "Baseline N" by default).
    schedule
        The schedule whose dates are saved; ``schedule(project)`` when None.
    saved
        When the baseline was taken (stored as given).

    Returns
    -------
    Project
        A new project value (``attrs.evolve``); the argument is unchanged.

    Raises
    ------
    ValidationError
        If ``number`` is not 0 to 10, or ``schedule`` lacks an activity of the project.

    Examples
    --------
    >>> from pmsm_core import Activity, Dependency, Duration, Project
    >>> p = Project(
    ...     "P",
    ...     activities=[
    ...         Activity("A", duration=Duration(3), cost=300.0),
    ...         Activity("B", duration=Duration(2)),
    ...     ],
    ...     dependencies=[Dependency("A", "B")],
    ... )
    >>> b = save_baseline(p, 1, name="Approved plan").baselines[0]
    >>> b.number, b.name, [(x.activity, x.start, x.finish, x.cost) for x in b.activities]
    (1, 'Approved plan', [('A', 0, 3, 300.0), ('B', 3, 5, 0.0)])
    """
    valid = type(number) is int and 0 <= number <= 10
    if not valid:
        msg = (
            f"baseline number must be a whole number from 0 to 10 (Microsoft Project keeps "
            f"11 baselines), got {number!r}"
        )
        raise ValidationError(msg, path="number")
    if schedule is None:
        from pmsm_core.scheduling.schedule import schedule as run

        schedule = run(project)
    missing = [a.id for a in project.activities if a.id not in schedule]
    if missing:
        msg = f"the schedule has no activity {missing[0]!r} of project {project.id!r}"
        raise ValidationError(msg, path="schedule")
    costs = planned_costs(project)
    work = _planned_work(project)
    entries = []
    for activity in project.activities:
        x = schedule[activity.id]
        minutes = work[activity.id]
        entries.append(
            BaselineActivity(
                activity.id,
                x.start,
                x.finish,
                duration=Duration(max(0, x.duration)),
                cost=costs[activity.id],
                work=Duration(minutes) if minutes is not None else None,
            )
        )
    label = name if name is not None else ("Baseline" if number == 0 else f"Baseline {number}")
    baseline = Baseline(number, entries, name=label, saved=saved)
    others = [b for b in project.baselines if b.number != number]
    return attrs.evolve(project, baselines=sorted([*others, baseline], key=lambda b: b.number))


def baseline_of(project: Project, number: int = 0) -> Baseline:
    """The baseline ``number`` of ``project``.

    Raises
    ------
    ValidationError
        If the project has no baseline with that number (the message lists those it has).

    Examples
    --------
    >>> from pmsm_core import Activity, Duration, Project
    >>> baseline_of(Project("P", activities=[Activity("A", duration=Duration(1))]), 2)
    Traceback (most recent call last):
    ...
    pmsm_core.exceptions.ValidationError: baselines: project 'P' has no baseline 2 (it has ...)
    """
    for b in project.baselines:
        if b.number == number:
            return b
    have = ", ".join(str(b.number) for b in project.baselines)
    hint = f"it has {have}" if have else "it has none; save one with save_baseline"
    msg = f"project {project.id!r} has no baseline {number} ({hint})"
    raise ValidationError(msg, path="baselines")


@attrs.frozen
class ActivityVariance:
    """One activity against the baseline.

    Times are datetimes (dated projects) or time units; variances are working minutes of
    the activity's calendar (units when undated), positive when later or longer, None when
    the baseline does not hold the value.
    """

    id: str
    name: str
    summary: bool
    complete: bool
    start: datetime | int
    finish: datetime | int
    duration: int
    baseline_start: datetime | int | None
    baseline_finish: datetime | int | None
    baseline_duration: int | None
    start_variance: int | None
    finish_variance: int | None
    duration_variance: int | None
    cost: float
    baseline_cost: float | None
    cost_variance: float | None


@attrs.frozen(repr=False)
class BaselineComparison:
    """A schedule against a saved baseline: per activity and for the whole project.

    ``activities`` follow the project's order; ``finish_variance`` and friends compare the
    project's start, finish and duration (working time of the project calendar).

    Examples
    --------
    >>> from pmsm_core import Activity, Dependency, Duration, Project
    >>> import attrs
    >>> p = Project(
    ...     "P",
    ...     activities=[Activity("A", duration=Duration(3)), Activity("B", duration=Duration(2))],
    ...     dependencies=[Dependency("A", "B")],
    ... )
    >>> p = save_baseline(p)
    >>> later = attrs.evolve(
    ...     p, activities=[attrs.evolve(p.activities[0], duration=Duration(5)), p.activities[1]]
    ... )
    >>> c = compare_with_baseline(later)
    >>> c.finish_variance, [(x.id, x.finish_variance) for x in c.slipping()]
    (2, [('A', 2), ('B', 2)])
    """

    project_id: str
    baseline: int
    baseline_name: str
    start: datetime | int
    finish: datetime | int
    baseline_start: datetime | int | None
    baseline_finish: datetime | int | None
    start_variance: int | None
    finish_variance: int | None
    duration_variance: int | None
    cost: float
    baseline_cost: float
    activities: tuple[ActivityVariance, ...]
    not_in_baseline: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return (
            f"BaselineComparison(project_id={self.project_id!r}, baseline={self.baseline}, "
            f"finish_variance={self.finish_variance!r}, activities={len(self.activities)}, "
            f"slipping={len(self.slipping())})"
        )

    def __getitem__(self, activity_id: str) -> ActivityVariance:
        for x in self.activities:
            if x.id == activity_id:
                return x
        raise KeyError(activity_id)

    def slipping(self, threshold: int = 0) -> tuple[ActivityVariance, ...]:
        """Activities not complete whose finish variance exceeds ``threshold``, the worst
        first (Microsoft Project's "Slipping Tasks"); summaries are left out."""
        out = [
            x
            for x in self.activities
            if not x.summary
            and not x.complete
            and x.finish_variance is not None
            and x.finish_variance > threshold
        ]
        out.sort(key=lambda x: -(x.finish_variance or 0))
        return tuple(out)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (times as ISO strings or numbers): the ``schedule`` part of
        ``pmsm status --format json``."""

        def t(value: Any) -> Any:
            return value.isoformat(timespec="minutes") if isinstance(value, datetime) else value

        fields = ("start_variance", "finish_variance", "duration_variance")
        return {
            "baseline": self.baseline,
            "baseline_name": self.baseline_name,
            "start": t(self.start),
            "finish": t(self.finish),
            "baseline_start": t(self.baseline_start),
            "baseline_finish": t(self.baseline_finish),
            **{f: getattr(self, f) for f in fields},
            "cost": self.cost,
            "baseline_cost": self.baseline_cost,
            "not_in_baseline": list(self.not_in_baseline),
            "activities": [{k: t(v) for k, v in attrs.asdict(x).items()} for x in self.activities],
        }

    def to_dataframe(self) -> pd.DataFrame:
        """One row per activity, indexed by id (needs the ``pandas`` extra).

        Examples
        --------
        >>> from pmsm_core import Activity, Duration, Project
        >>> p = save_baseline(Project("P", activities=[Activity("A", duration=Duration(3))]))
        >>> compare_with_baseline(p).to_dataframe().loc[
        ...     "A", ["finish", "baseline_finish", "finish_variance"]
        ... ].tolist()
        [3, 3, 0]
        """
        from pmsm_core._util import require

        require("pandas", "pandas")
        import pandas as pd

        rows = [attrs.asdict(x) for x in self.activities]
        columns = [f.name for f in attrs.fields(ActivityVariance)]
        return pd.DataFrame(rows, columns=columns).set_index("id")


def compare_with_baseline(
    project: Project,
    schedule: Schedule | None = None,
    *,
    baseline: int | Baseline = 0,
) -> BaselineComparison:
    """Compare ``schedule`` (``schedule(project)`` by default) with a baseline.

    Parameters
    ----------
    project
        The project (its calendars measure the variances; its costs are the current plan).
    schedule
        The schedule to compare, e.g. one rescheduled from progress.
    baseline
        A baseline number of ``project`` or a :class:`~pmsm_core.Baseline` value.

    Returns
    -------
    BaselineComparison
        Per-activity and project variances; :meth:`BaselineComparison.slipping` lists the
        slipping activities.

    Raises
    ------
    ValidationError
        If the project has no such baseline.

    Examples
    --------
    >>> import attrs
    >>> from pmsm_core import Activity, Duration, Progress, Project, schedule
    >>> p = save_baseline(Project("P", activities=[Activity("A", duration=Duration(3))]))
    >>> late = attrs.evolve(
    ...     p,
    ...     status_date=2,
    ...     activities=[attrs.evolve(p.activities[0], progress=Progress(2, percent_complete=10))],
    ... )
    >>> c = compare_with_baseline(late, schedule(late))
    >>> c["A"].start_variance, c["A"].finish_variance, c.finish_variance
    (2, 2, 2)
    """
    if schedule is None:
        from pmsm_core.scheduling.schedule import schedule as run

        schedule = run(project)
    chosen = baseline if isinstance(baseline, Baseline) else baseline_of(project, baseline)
    saved = {x.activity: x for x in chosen.activities}
    costs = planned_costs(project)
    dated = project.is_dated

    def work(calendar_of: str | None, a: Any, b: Any) -> int | None:
        if a is None or b is None or isinstance(a, datetime) != isinstance(b, datetime):
            return None
        if not dated:
            return int(b - a)
        table = project.calendar_by_id(calendar_of).table
        return table.to_working(to_minute_index(b)) - table.to_working(to_minute_index(a))

    rows = []
    missing = []
    for activity in project.activities:
        x = schedule[activity.id]
        b = saved.get(activity.id)
        if b is None and not x.summary:
            missing.append(activity.id)
        complete = bool(activity.progress and activity.progress.finished) or (
            x.summary
            and all(
                (p := project.activity(leaf).progress) is not None and p.finished
                for leaf in project.leaves(activity.id)
            )
        )
        calendar = activity.calendar
        rows.append(
            ActivityVariance(
                id=activity.id,
                name=activity.name,
                summary=x.summary,
                complete=complete,
                start=x.start,
                finish=x.finish,
                duration=x.duration,
                baseline_start=b.start if b else None,
                baseline_finish=b.finish if b else None,
                baseline_duration=b.duration.minutes if b else None,
                start_variance=work(calendar, b.start, x.start) if b else None,
                finish_variance=work(calendar, b.finish, x.finish) if b else None,
                duration_variance=x.duration - b.duration.minutes if b else None,
                cost=costs[activity.id],
                baseline_cost=b.cost if b else None,
                cost_variance=costs[activity.id] - b.cost if b else None,
            )
        )
    leaf_ids = {a.id for a in project.activities if not project.is_summary(a.id)}
    starts = [b.start for b in chosen.activities if b.activity in leaf_ids and b.start is not None]
    finishes = [
        b.finish for b in chosen.activities if b.activity in leaf_ids and b.finish is not None
    ]
    b_start = min(starts) if starts else None
    b_finish = max(finishes) if finishes else None
    start_var = work(None, b_start, schedule.start)
    finish_var = work(None, b_finish, schedule.finish)
    duration_var = None
    if start_var is not None and finish_var is not None:
        duration_var = finish_var - start_var
    return BaselineComparison(
        project_id=project.id,
        baseline=chosen.number,
        baseline_name=chosen.name,
        start=schedule.start,
        finish=schedule.finish,
        baseline_start=b_start,
        baseline_finish=b_finish,
        start_variance=start_var,
        finish_variance=finish_var,
        duration_variance=duration_var,
        cost=math.fsum(costs[x] for x in leaf_ids),
        baseline_cost=math.fsum(b.cost for b in chosen.activities if b.activity in leaf_ids),
        activities=tuple(rows),
        not_in_baseline=tuple(missing),
    )
