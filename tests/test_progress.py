"""Progress and the status date: validation and rescheduling from actuals."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.strategies import projects

from pmsm_core import (
    Activity,
    ConstraintType,
    Dependency,
    Duration,
    LinkType,
    Progress,
    Project,
    ScheduleConstraint,
    ScheduleOptions,
    ValidationError,
    WorkCalendar,
    loads,
    schedule,
)
from pmsm_core.scheduling import progress as progress_module
from pmsm_core.scheduling.compile import compile_project
from pmsm_core.scheduling.schedule import _assemble, _run

d = Duration.from_days
MON = datetime(2026, 1, 5, 8)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A datetime in January 2026 (5 = Monday)."""
    return datetime(2026, 1, day, hour, minute)


def work(project: Project, activity: str, a: Any, b: Any) -> int:
    if not isinstance(a, datetime):
        return int(b - a)
    return project.activity_calendar(activity).working_minutes_between(a, b)


@pytest.fixture
def tracked() -> Project:
    """A dated project on the Standard calendar, measured on Wednesday evening."""
    return Project(
        "P",
        start=MON,
        status_date=at(7, 17),
        activities=[
            Activity("A", "Design", d(2), progress=Progress(MON, at(6, 17), percent_complete=100)),
            Activity("B", "Build", d(3), progress=Progress(at(7, 8), percent_complete=20)),
            Activity("C", "Test", d(2)),
            Activity("D", "Document", d(4)),
            Activity("E", "Review", d(1), progress=Progress(at(6, 8), percent_complete=50)),
        ],
        dependencies=[
            Dependency("A", "B"),
            Dependency("B", "C"),
            Dependency("A", "D", LinkType.SS),
            Dependency("C", "E"),
        ],
    )


def both_engines(project: Project, options: ScheduleOptions | None = None) -> Any:
    """The schedule from the engine schedule() picks, checked against the calendar engine."""
    options = options or ScheduleOptions()
    fast = schedule(project, options=options)
    if project.is_dated:
        compiled = compile_project(project, options)
        compiled.progress = progress_module.plan_progress(compiled, options)
        slow = _assemble(compiled, _run(compiled, options, engine="calendar"), options)
        assert slow == fast
    return fast


class TestValidation:
    def test_actual_start_after_the_status_date(self) -> None:
        """An actual start after the status date names the activity, path and both dates."""
        with pytest.raises(ValidationError) as err:
            Project(
                "P",
                start=MON,
                status_date=at(6, 17),
                activities=[Activity("A", duration=d(3), progress=Progress(at(7, 8)))],
            )
        assert str(err.value) == (
            "activities[0].progress.actual_start: activity 'A': actual start 2026-01-07 08:00 "
            "is after the status date 2026-01-06 17:00; progress is measured up to the "
            "status date"
        )

    def test_actual_finish_after_the_status_date_undated(self) -> None:
        """Undated projects compare time units."""
        with pytest.raises(ValidationError) as err:
            Project(
                "P",
                status_date=4,
                activities=[
                    Activity(
                        "A", duration=Duration(3), progress=Progress(1, 6, percent_complete=100)
                    )
                ],
            )
        assert err.value.problems[0].path == "activities[0].progress.actual_finish"
        assert "actual finish 6 is after the status date 4" in str(err.value)

    def test_finish_before_start_and_percent_out_of_range(self) -> None:
        """Field rules of Progress: JSON paths lead to the value at fault."""
        doc = (
            '{"schema_version": 1, "project": {"id": "P", "start": "2026-01-05T08:00", '
            '"activities": [{"id": "A", "duration": "3d", "progress": {"actual_start": '
            '"2026-01-05T08:00", "actual_finish": "2026-01-02T08:00", "percent_complete": 100}},'
            ' {"id": "B", "progress": {"percent_complete": 120}},'
            ' {"id": "C", "progress": {"actual_start": "2026-01-05T08:00", '
            '"physical_percent_complete": -5}}]}}'
        )
        with pytest.raises(ValidationError) as err:
            loads(doc)
        text = str(err.value)
        assert (
            "$.project.activities[0].progress.actual_finish: progress: actual finish "
            "2026-01-02 08:00:00 comes before actual start 2026-01-05 08:00:00" in text
        )
        assert (
            "$.project.activities[1].progress.percent_complete: progress: percent_complete "
            "must be <= 100, got 120" in text
        )
        assert "activities[2].progress.physical_percent_complete" in text and ">= 0" in text

    def test_complete_with_remaining_work(self) -> None:
        """100 % complete and remaining work contradict each other."""
        with pytest.raises(ValidationError, match="no remaining duration"):
            Progress(MON, percent_complete=100, remaining_duration=d(1))

    def test_wrong_kind_of_time(self) -> None:
        """A dated project needs datetimes for actuals."""
        with pytest.raises(ValidationError, match=r"activities\[0\].progress.actual_start"):
            Project("P", start=MON, activities=[Activity("A", progress=Progress(3))])


class TestRescheduling:
    def test_hand_checked(self, tracked: Project) -> None:
        """Complete, in progress (from the status date), not started (after it), out of
        sequence (its links no longer act), each checked by hand."""
        s = both_engines(tracked)
        a, b, c, dd, e = (s[x] for x in "ABCDE")
        # A happened Mon 08:00 - Tue 17:00: it stays, floats 0, not critical
        assert (a.start, a.finish, a.late_start, a.late_finish) == (MON, at(6, 17), MON, at(6, 17))
        assert (a.total_float, a.free_float, a.critical, a.duration) == (0, 0, False, 960)
        # B: 20 % of 3d done (0.6d = 288 min), 2.4d = 1152 min remain from the status date
        # Wed 17:00: Thu 8h + Fri 8h = 960, 192 min more on Mon 12th -> 11:12
        assert (b.start, b.finish) == (at(7, 8), at(12, 11, 12))
        assert (b.late_start, b.duration, b.start_slack) == (at(7, 8), 1440, 0)
        assert b.driven_by == "actual start (in progress)" and b.critical
        # C follows B: 2d from Mon 11:12 -> Wed 14th 11:12, the project finish
        assert (c.start, c.finish, s.finish) == (at(12, 11, 12), at(14, 11, 12), at(14, 11, 12))
        # D (SS after A, which started Monday) cannot start before the status date
        assert (dd.start, dd.driven_by) == (at(8, 8), "status date")
        assert dd.finish == at(13, 17) and dd.total_float == 192
        # E started although C has not finished: half a day remains from Thursday 08:00;
        # its link from C no longer acts in either pass, so C keeps zero float
        assert (e.start, e.finish) == (at(6, 8), at(8, 12))
        assert c.total_float == 0 and b.total_float == 0
        assert [w.kind for w in s.warnings] == ["out-of-sequence"]
        assert "started before its predecessor C allowed it" in str(s.warnings[0])
        links = {(x.predecessor, x.successor): x for x in s.links}
        # C's finish (Wed 14th 11:12) lies 3072 working minutes after E's start (Tue 6th 08:00)
        assert links["C", "E"].gap == -3072 and not links["C", "E"].driving
        assert links["A", "D"].gap == 3 * 480 and links["B", "C"].driving

    def test_without_a_status_date_remaining_work_follows_the_work_done(
        self, tracked: Project
    ) -> None:
        """No status date (or the option off): remaining work continues from the actual part;
        unstarted work follows logic only."""
        for project, options in [
            (attrs.evolve(tracked, status_date=None), ScheduleOptions()),
            (tracked, ScheduleOptions(move_incomplete_after_status_date=False)),
        ]:
            s = both_engines(project, options)
            # B: Wed 08:00 + 3d -> Fri 17:00; D: SS after A's actual start -> Monday
            assert (s["B"].start, s["B"].finish) == (at(7, 8), at(9, 17))
            assert s["D"].start == MON and s["D"].driven_by == "links"
            # E: Tue 08:00 + 1d
            assert s["E"].finish == at(6, 17)

    def test_status_date_alone_changes_nothing(self, small_project: Project) -> None:
        """A plan with a status date but no actuals is scheduled as a plan."""
        assert schedule(attrs.evolve(small_project, status_date=at(9, 8))) == schedule(
            small_project
        )

    def test_percent_complete_without_a_finish(self) -> None:
        """100 % without an actual finish: finished where its work ends, at the latest at
        the status date; a started milestone sits at its actual start."""
        p = Project(
            "P",
            status_date=10,
            activities=[
                Activity("A", duration=Duration(4), progress=Progress(2, percent_complete=100)),
                Activity("B", duration=Duration(20), progress=Progress(1, percent_complete=100)),
                Activity("M", milestone=True, progress=Progress(3)),
                Activity("C", duration=Duration(5)),
            ],
            dependencies=[Dependency("A", "C"), Dependency("M", "C", LinkType.SS)],
        )
        s = schedule(p)
        assert (s["A"].start, s["A"].finish, s["A"].critical) == (2, 6, False)
        assert (s["B"].start, s["B"].finish) == (1, 10)
        # M has no remaining work: it finishes where its remaining work resumes (status date)
        assert (s["M"].start, s["M"].finish) == (3, 10)
        assert (s["C"].start, s["C"].finish, s.finish) == (10, 15, 15)

    def test_remaining_duration_beats_percent(self) -> None:
        """A recorded remaining duration is scheduled as given."""
        p = Project(
            "P",
            status_date=5,
            activities=[
                Activity(
                    "A",
                    duration=Duration(10),
                    progress=Progress(0, percent_complete=50, remaining_duration=Duration(8)),
                )
            ],
        )
        a = schedule(p)["A"]
        assert (a.start, a.finish, a.duration) == (0, 13, 13)

    def test_summary_rolls_up_and_constraints_of_started_work_no_longer_apply(self) -> None:
        """A started MSO activity keeps its actual start; the summary spans its children."""
        p = Project(
            "P",
            start=MON,
            status_date=at(6, 17),
            activities=[
                Activity("S", "Phase"),
                Activity(
                    "A",
                    duration=d(2),
                    parent="S",
                    constraint=ScheduleConstraint(ConstraintType.MSO, at(9, 8)),
                    progress=Progress(MON, percent_complete=50),
                ),
                Activity("B", duration=d(1), parent="S"),
            ],
            dependencies=[Dependency("A", "B")],
        )
        s = both_engines(p)
        assert s["A"].start == MON and s["A"].finish == at(7, 17)
        assert (s["S"].start, s["S"].finish) == (MON, at(8, 17))
        assert not s.warnings

    def test_other_calendar_and_elapsed_lag(self) -> None:
        """The calendar engine: an activity on a 24-hour calendar resumes at the status date;
        an elapsed SS lag from an activity in progress counts from its actual start."""
        p = Project(
            "P",
            start=MON,
            status_date=at(6, 13),
            calendars=[WorkCalendar.twenty_four_hours("24h")],
            activities=[
                Activity("A", duration=d(2), calendar="24h", progress=Progress(MON)),
                Activity("B", duration=d(1)),
            ],
            dependencies=[Dependency("A", "B", LinkType.SS, Duration(1440, elapsed=True))],
        )
        s = schedule(p)
        # 0 % done: 960 minutes of round-the-clock work from Tuesday 13:00 -> Wed 05:00
        assert (s["A"].start, s["A"].finish) == (MON, at(7, 5))
        # SS + 1ed from Monday 08:00 is Tuesday 08:00, but nothing starts before Tue 13:00;
        # 4 h on Tuesday afternoon and 4 h on Wednesday morning
        assert s["B"].start == at(6, 13) and s["B"].finish == at(7, 12)


def progress_as_planned(project: Project, planned: Any, status: Any) -> Project:
    """Record the progress the plan implies at ``status`` (complete, in progress with the
    remaining work the plan leaves, or not started)."""
    activities = []
    for a in project.activities:
        if project.is_summary(a.id):
            activities.append(a)
            continue
        x = planned[a.id]
        if x.start < status and x.finish <= status:
            a = attrs.evolve(a, progress=Progress(x.start, x.finish, percent_complete=100))
        elif x.start < status and a.duration.minutes:
            done = work(project, a.id, x.start, status)
            minutes = a.duration.minutes
            a = attrs.evolve(
                a,
                progress=Progress(
                    x.start,
                    percent_complete=min(99.0, 100 * done / minutes),
                    remaining_duration=Duration(minutes - done),
                ),
            )
        activities.append(a)
    return attrs.evolve(project, activities=activities, status_date=status)


@st.composite
def status_projects(draw: Any) -> tuple[Project, Any]:
    """A project without constraints, planned, and a status date within its span."""
    project = draw(projects(with_extras=False))
    project = attrs.evolve(
        project,
        activities=[
            attrs.evolve(a, constraint=ScheduleConstraint(), progress=None)
            for a in project.activities
        ],
    )
    planned = schedule(project)
    if project.is_dated:
        span = int((planned.finish - planned.start).total_seconds() // 60)
        status = planned.start + timedelta(minutes=draw(st.integers(0, max(span, 0))))
    else:
        status = draw(st.integers(max(planned.start, 0), max(planned.finish, 0)))
    return project, status


class TestProperties:
    @settings(max_examples=40)
    @given(status_projects())
    def test_progress_as_planned_changes_no_date(self, case: tuple[Project, Any]) -> None:
        """Recording exactly the planned progress at any status date reproduces the plan:
        every start and finish and the project finish (equal in working time)."""
        project, status = case
        planned = schedule(project)
        tracked = progress_as_planned(project, planned, status)
        again = both_engines(tracked)
        assert work(project, project.activities[0].id, planned.finish, again.finish) == 0 or (
            not project.is_dated and planned.finish == again.finish
        )
        for a in project.activities:
            if project.is_summary(a.id):
                continue
            assert work(project, a.id, planned[a.id].start, again[a.id].start) == 0
            assert work(project, a.id, planned[a.id].finish, again[a.id].finish) == 0

    @settings(max_examples=40)
    @given(status_projects(), st.data())
    def test_completed_work_never_moves(self, case: tuple[Project, Any], data: Any) -> None:
        """Whatever else is recorded, complete activities keep their actual dates exactly,
        started ones their actual start; nothing unstarted starts before the status date."""
        project, status = case
        planned = schedule(project)
        tracked = progress_as_planned(project, planned, status)
        acts = []
        for a in tracked.activities:  # in-progress work: any percent, any remaining work
            p = a.progress
            if p is not None and p.actual_finish is None:
                p = attrs.evolve(
                    p,
                    percent_complete=data.draw(st.floats(0, 99)),
                    remaining_duration=Duration(data.draw(st.integers(0, 3000)))
                    if data.draw(st.booleans())
                    else None,
                )
                a = attrs.evolve(a, progress=p)
            acts.append(a)
        tracked = attrs.evolve(tracked, activities=acts)
        s = both_engines(tracked)
        for a in tracked.activities:
            x = s[a.id]
            if a.progress is None:
                if not x.summary:
                    assert work(project, a.id, status, x.start) >= 0 or x.milestone
                continue
            assert x.start == a.progress.actual_start and x.late_start == x.start
            if a.progress.actual_finish is not None:
                assert x.finish == a.progress.actual_finish and not x.critical
                assert x.total_float == x.free_float == 0
            else:
                assert x.total_float == x.finish_slack

    @settings(max_examples=30)
    @given(projects(dated=True, with_extras=False), st.data())
    def test_engines_agree_with_progress(self, project: Project, data: Any) -> None:
        """On one calendar, the integer and the calendar engine agree with progress too."""
        project = attrs.evolve(
            project,
            activities=[attrs.evolve(a, calendar=None, progress=None) for a in project.activities],
            dependencies=[
                attrs.evolve(x, lag=x.lag if not x.lag.elapsed else Duration(x.lag.minutes))
                for x in project.dependencies
            ],
        )
        planned = schedule(project)
        span = int((planned.finish - planned.start).total_seconds() // 60)
        status = planned.start + timedelta(minutes=data.draw(st.integers(0, max(span, 0))))
        tracked = progress_as_planned(project, planned, status)
        both_engines(tracked, ScheduleOptions(honor_constraints=data.draw(st.booleans())))
