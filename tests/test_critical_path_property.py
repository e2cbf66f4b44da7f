"""Property: a listed critical path spans the project, joined by driving links."""

from __future__ import annotations

import itertools
from datetime import datetime

import attrs
from hypothesis import given, settings
from tests.strategies import projects

from pmsm_core import Duration, PercentLag, Project, Schedule, ScheduleConstraint, schedule


def unconstrained(project: Project) -> Project:
    """``project`` without constraints (ASAP for all, so no ALAP either), deadlines,
    progress, elapsed lags or activity calendars.

    Without the first three nothing but logic and the project start places an activity,
    so no float is negative and the chain of driving links must reach back to the start.
    Elapsed lags run through non-working time: a milestone at 08:00 with a 4-hour elapsed
    lag drives a successor to 12:00, yet may slip to 09:00 (13:00 is the same working
    instant after lunch), so it has float and the critical path begins at 12:00, not at
    the start. Activity calendars leave the same kind of gap: a predecessor finishing on a
    Tuesday drives a successor whose calendar works only on Mondays to the next Monday, yet
    may slip until Friday. Working-time lags (durations and percentages) on the project
    calendar (itself random) are kept.
    """

    def working(lag: Duration | PercentLag) -> Duration | PercentLag:
        if isinstance(lag, PercentLag):
            return PercentLag(lag.percent)
        return Duration(lag.minutes, unit=lag.unit) if lag.elapsed else lag

    return attrs.evolve(
        project,
        activities=[
            attrs.evolve(
                a, constraint=ScheduleConstraint(), deadline=None, progress=None, calendar=None
            )
            for a in project.activities
        ],
        dependencies=[attrs.evolve(d, lag=working(d.lag)) for d in project.dependencies],
    )


def same_instant(project: Project, activity: str, a: datetime | int, b: datetime | int) -> bool:
    """No working time of the activity's calendar lies between ``a`` and ``b``."""
    if not isinstance(a, datetime):
        return a == b
    assert isinstance(b, datetime)
    return project.activity_calendar(activity).working_minutes_between(a, b) == 0


def check_chain(s: Schedule, path: tuple[str, ...]) -> None:
    """Every activity of ``path`` is critical and each consecutive pair is joined by a
    driving link (gap 0) that the successor names among its driving predecessors."""
    links = {(x.predecessor, x.successor): x for x in s.links}
    for aid in path:
        assert s[aid].critical, aid
    for p, q in itertools.pairwise(path):
        link = links.get((p, q))
        assert link is not None, (p, q)
        assert link.driving and link.gap == 0, link
        assert p in s[q].driving_predecessors, (p, q, s[q].driving_predecessors)


class TestCriticalPathSpansTheProject:
    @settings(max_examples=100)
    @given(projects(with_extras=False).map(unconstrained))
    def test_a_critical_path_runs_from_start_to_finish(self, project: Project) -> None:
        """On the projects of :func:`unconstrained` (see there why constraints, deadlines,
        progress, elapsed lags and activity calendars are left out), schedule() lists at
        least one critical path; every listed path is a chain of critical activities joined
        by driving links; the first listed path begins with an activity driven by the
        project start alone, starting at the start, and ends at the schedule finish, so its
        length is the project length."""
        s = schedule(project)
        assert s.critical_paths
        for path in s.critical_paths:
            check_chain(s, path)
        path = s.critical_paths[0]
        first, last = s[path[0]], s[path[-1]]
        assert not first.driving_predecessors and first.driven_by == "project start", first
        assert same_instant(project, first.id, s.start, first.early_start), (s.start, first)
        assert same_instant(project, last.id, last.early_finish, s.finish), (s.finish, last)
        if isinstance(s.start, int):  # undated: the same in plain units
            assert isinstance(first.early_start, int) and isinstance(last.early_finish, int)
            assert isinstance(s.finish, int)
            assert last.early_finish - first.early_start == s.finish - s.start
