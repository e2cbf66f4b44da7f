"""Resource levelling: feasibility, bounds, known optima, explanations, dated projects."""

from __future__ import annotations

import csv
import itertools
import json
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pmsm_core as pm
from pmsm_core import (
    Activity,
    Assignment,
    CalendarException,
    ConstraintType,
    Dependency,
    Duration,
    Improvement,
    LevelledSchedule,
    LinkType,
    PriorityRule,
    Project,
    Resource,
    ResourceKind,
    ScheduleConstraint,
    ScheduleScheme,
    SchedulingError,
    ValidationError,
    WorkCalendar,
    level,
    over_allocations,
    schedule,
)
from pmsm_core.io.json import make_converter
from pmsm_core.io.psplib import read_sm
from pmsm_core.scheduling.network import Network
from pmsm_core.scheduling.rcpsp import solve_cp_sat, solve_rcpsp

from .strategies_levelling import MONDAY, lag_minutes, resource_projects, violations, working

DATA = Path(__file__).parent / "data"
J30 = DATA / "psplib" / "j30"
d = Duration.from_days


def j30_optima() -> dict[str, int]:
    rows = csv.DictReader((J30 / "optimum.csv").open())
    return {r["problem"]: int(r["optimum"]) for r in rows}


def house(capacity: float = 3) -> Project:
    """A textbook example: foundation, then walls (2 workers), plumbing and electrics (1
    worker each) in parallel, then the roof after the walls."""
    w = [Assignment("W", 2)]
    return Project(
        "house",
        resources=[Resource("W", "Workers", capacity=capacity)],
        activities=[
            Activity("F", "Foundation", Duration(2), assignments=w),
            Activity("WL", "Walls", Duration(3), assignments=w),
            Activity("P", "Plumbing", Duration(2), assignments=[Assignment("W")]),
            Activity("E", "Electrics", Duration(2), assignments=[Assignment("W")]),
            Activity("R", "Roof", Duration(2), assignments=w),
            Activity("X", "Handover", milestone=True),
        ],
        dependencies=[
            Dependency("F", "WL"),
            Dependency("F", "P"),
            Dependency("F", "E"),
            Dependency("WL", "R"),
            Dependency("R", "X"),
            Dependency("P", "X"),
            Dependency("E", "X"),
        ],
    )


# --------------------------------------------------------------------------- by hand


class TestHandChecked:
    def test_house(self) -> None:
        """Walls need 2 of 3 workers for days 2-5: plumbing fits beside them, electrics
        waits two days for the worker plumbing holds; the finish stays at 7 (the CPM
        bound, so optimal)."""
        levelled = level(house())
        assert levelled.cpm.finish == levelled.finish == 7
        e = levelled["E"]
        assert (e.start, e.finish, e.delay, e.resource_delay) == (4, 6, 2, 2)
        assert [(w.resource, w.amount, w.holders) for w in e.waits] == [("W", 2, ("WL", "P"))]
        assert e.explanation == "waits 2 for W (held by WL, P)"
        assert levelled.delayed == ("E",)
        assert levelled["P"].start == 2 and levelled["P"].explanation == ""
        assert [(x.predecessor, x.successor) for x in levelled.resource_links] == [("P", "E")]

    def test_house_with_two_workers(self) -> None:
        """With 2 workers nothing runs beside the walls: the roof and the two one-worker
        trades share the days after them; 2 + 3 + 2 + 2 = 9 days, by hand."""
        levelled = level(house(2))
        assert levelled.finish == 9
        assert over_allocations(house(2), levelled) == ()
        lower = sum(a.duration.minutes * a.assignments[0].units for a in house(2).activities[:5])
        assert levelled.makespan >= lower / 2  # the resource bound: 18 worker-days / 2

    def test_explanations_pass_delays_on(self) -> None:
        """A successor of a delayed activity is 'behind its predecessors'."""
        r = [Assignment("R")]
        p = Project(
            "P",
            resources=[Resource("R")],
            activities=[
                Activity("A", duration=Duration(3), assignments=r),
                Activity("B", duration=Duration(2), assignments=r),
                Activity("C", duration=Duration(1)),
                Activity("D", duration=Duration(4)),
            ],
            dependencies=[Dependency("B", "C"), Dependency("A", "D")],
        )
        levelled = level(p, schedules=1)
        assert levelled["B"].explanation == "waits 3 for R (held by A)"
        assert levelled["C"].explanation == "3 behind its predecessors"
        assert (levelled["C"].delay, levelled["C"].resource_delay) == (3, 0)
        assert levelled.schedule["C"].driven_by == "links"
        assert levelled.schedule["B"].driven_by == "levelling: waits for R"

    def test_float_counts_resource_hand_overs(self) -> None:
        """After levelling, plumbing's float counts the hand-over of its worker to the
        electrics: it can slip one day (electrics can too), not three."""
        levelled = level(house())
        s = levelled.schedule
        assert s["P"].total_float == 1 and s["E"].total_float == 1
        assert s["P"].free_float == 0  # the electrics start the moment plumbing ends
        assert s.critical_paths == (("F", "WL", "R", "X"),)

    def test_ample_capacity_changes_nothing(self) -> None:
        """Enough workers for everything: the levelled schedule is the CPM schedule."""
        levelled = level(house(10))
        assert levelled.delayed == ()
        assert [a.start for a in levelled.schedule] == [a.start for a in schedule(house(10))]


# --------------------------------------------------------------------------- properties


class TestProperties:
    @settings(max_examples=40)
    @given(resource_projects(), st.integers(0, 3))
    def test_feasible(self, project: Project, seed: int) -> None:
        """Every link (all types, lags, leads, percent lags) and every capacity holds."""
        levelled = level(project, schedules=30, seed=seed)
        assert violations(project, levelled) == []
        assert levelled.unresolved == ()
        assert over_allocations(project, levelled) == ()

    @settings(max_examples=25)
    @given(resource_projects(dated=True, max_activities=8, constraints=True))
    def test_feasible_dated(self, project: Project) -> None:
        """Dated projects on the Standard calendar, hour and day durations, SNET and ALAP:
        feasible in working time."""
        levelled = level(project, schedules=20)
        assert violations(project, levelled) == []

    @settings(max_examples=40)
    @given(resource_projects(max_activities=8))
    def test_never_shorter_than_the_bounds(self, project: Project) -> None:
        """The makespan is at least the CPM length and each resource's work / capacity."""
        levelled = level(project, schedules=20)
        assert levelled.makespan >= levelled.cpm_makespan
        for r in project.resources:
            work = sum(
                a.duration.minutes * x.units
                for a in project.activities
                for x in a.assignments
                if x.resource == r.id
            )
            if r.kind is ResourceKind.WORK:
                assert levelled.makespan >= work / r.capacity - 1e-9

    @settings(max_examples=40)
    @given(resource_projects(ample=True, constraints=True), st.booleans())
    def test_ample_capacity_is_cpm(self, project: Project, dated: bool) -> None:
        """With capacity for everything at once, levelling returns the CPM dates (SNET
        and ALAP constraints included)."""
        if dated:
            project = pm.Project(
                project.id,
                start=MONDAY,
                activities=[
                    Activity(a.id, duration=d(a.duration.minutes), assignments=a.assignments)
                    for a in project.activities
                ],
                dependencies=[
                    Dependency(x.predecessor, x.successor, x.type) for x in project.dependencies
                ],
                resources=project.resources,
            )
        levelled = level(project, schedules=10)
        cpm = schedule(project)
        assert [(a.start, a.finish) for a in levelled.schedule] == [
            (a.start, a.finish) for a in cpm
        ]
        assert all(a.delay == 0 for a in levelled)

    @settings(max_examples=20)
    @given(resource_projects(max_activities=8), st.integers(0, 100))
    def test_deterministic(self, project: Project, seed: int) -> None:
        """The same seed gives the same result."""
        assert level(project, schedules=40, seed=seed) == level(project, schedules=40, seed=seed)

    @settings(max_examples=30)
    @given(
        resource_projects(max_activities=8),
        st.sampled_from(list(PriorityRule)),
        st.sampled_from(list(ScheduleScheme)),
    )
    def test_every_rule_and_scheme(
        self, project: Project, rule: PriorityRule, scheme: ScheduleScheme
    ) -> None:
        """One pass of each priority rule with either scheme, and sampling, is feasible."""
        for schedules in (1, 12):
            levelled = level(project, schedules=schedules, rule=rule, scheme=scheme)
            assert violations(project, levelled) == []

    @settings(max_examples=30)
    @given(resource_projects(max_activities=8))
    def test_within_float(self, project: Project) -> None:
        """Within float nothing starts after its CPM late start and the finish stays; any
        over-allocation left involves an activity reported as unresolved."""
        levelled = level(project, schedules=20, within_float=True)
        cpm = levelled.cpm
        for a in levelled:
            assert a.start <= cpm[a.id].late_start
        assert levelled.finish == cpm.finish
        broken = violations(project, levelled)
        assert [v for v in broken if not v.startswith("(")] == []  # links and durations hold
        assert not broken or levelled.unresolved  # capacity only where reported
        for x in over_allocations(project, levelled):
            assert set(x.activities) & set(levelled.unresolved)

    @settings(max_examples=15)
    @given(
        resource_projects(
            max_activities=7, link_types=(LinkType.FS,), negative_lags=False, percent_lags=False
        )
    )
    def test_cp_sat_oracle(self, project: Project) -> None:
        """CP-SAT proves the optimum, which equals a brute force over all activity lists;
        the heuristic never beats it and finds it on these small projects."""
        exact = level(project, method="cp-sat", schedules=1, time_limit=10)
        assert exact.optimal
        assert violations(project, exact) == []
        assert exact.makespan == brute_force(project)
        heuristic = level(project, schedules=200)
        assert heuristic.makespan == exact.makespan

    @settings(max_examples=10)
    @given(resource_projects(max_activities=8))
    def test_cp_sat_all_link_types(self, project: Project) -> None:
        """With every link type and lag, CP-SAT's schedule is feasible and no longer than
        the heuristic's."""
        exact = level(project, method="cp-sat", schedules=20, time_limit=10)
        assert violations(project, exact) == []
        assert exact.makespan <= level(project, schedules=20).makespan


def brute_force(project: Project) -> int:
    """The shortest schedule over every activity order (serial SGS, FS links, undated):
    the active schedules contain an optimal one."""
    acts = list(project.activities)
    caps = {r.id: r.capacity for r in project.resources if r.kind is ResourceKind.WORK}
    preds = {a.id: [] for a in acts}
    for dep in project.dependencies:
        preds[dep.successor].append((dep.predecessor, lag_minutes(project, dep)))
    best = None
    for order in itertools.permutations(acts):
        pos = {a.id: i for i, a in enumerate(order)}
        if any(pos[p] > pos[a.id] for a in acts for p, _ in preds[a.id]):
            continue
        start: dict[str, int] = {}
        load: dict[tuple[str, int], float] = {}
        for a in order:
            t = max(
                [start[p] + project.activity(p).duration.minutes + lag for p, lag in preds[a.id]]
                + [0]
            )
            need = [(x.resource, x.units) for x in a.assignments if x.resource in caps]
            while any(
                load.get((r, u), 0) + units > caps[r] + 1e-9
                for r, units in need
                for u in range(t, t + a.duration.minutes)
            ):
                t += 1
            start[a.id] = t
            for r, units in need:
                for u in range(t, t + a.duration.minutes):
                    load[(r, u)] = load.get((r, u), 0) + units
        makespan = max(start[a.id] + a.duration.minutes for a in acts)
        best = makespan if best is None else min(best, makespan)
    assert best is not None
    return best


# --------------------------------------------------------------------------- PSPLIB j30


class TestJ30:
    def test_never_below_the_optimum(self) -> None:
        """All 480 instances, a few schedules each: feasible, never below the proven
        optimum, never below the CPM bound."""
        optima = j30_optima()
        assert len(optima) == 480
        for name, optimum in optima.items():
            project, info = read_sm(J30 / name)
            levelled = level(project, schedules=3)
            assert levelled.makespan >= optimum, name
            assert levelled.cpm_makespan == info.mpm_time, name
            assert violations(project, levelled) == [], name

    @pytest.mark.parametrize(("name", "optimum"), [("j301_1.sm", 43), ("j3013_1.sm", 58)])
    def test_defaults_reach_near_the_optimum(self, name: str, optimum: int) -> None:
        """The default search (1,000 schedules) finds j301_1's optimum and stays within
        5 % on j3013_1, one of the hardest instances."""
        project, _ = read_sm(J30 / name)
        levelled = level(project)
        assert optimum <= levelled.makespan <= optimum * 1.05
        if name == "j301_1.sm":
            assert levelled.makespan == optimum

    def test_cp_sat_proves_an_optimum(self) -> None:
        """CP-SAT proves j301_1's optimum 43 within a few seconds."""
        project, _ = read_sm(J30 / "j301_1.sm")
        exact = level(project, method="cp-sat", schedules=50, time_limit=20)
        assert exact.makespan == 43 and exact.optimal and exact.lower_bound == 43


# --------------------------------------------------------------------------- dated projects


def office(**kwargs: object) -> Project:
    eng = [Assignment("ENG", 2)]
    return Project(
        "office",
        "Office move",
        start=datetime(2026, 3, 5, 8),  # a Thursday
        resources=[
            Resource("ENG", "Engineers", capacity=2),
            Resource("CASH", kind=ResourceKind.COST),
        ],
        activities=[
            Activity("A", "Network", d(2), assignments=[*eng, Assignment("CASH", 5)]),
            Activity("B", "Phones", Duration.from_hours(4), assignments=eng),
            Activity("C", "Desks", d(1), assignments=[Assignment("ENG", 1)]),
            Activity("M", "Open", milestone=True),
        ],
        dependencies=[Dependency("A", "M"), Dependency("B", "M"), Dependency("C", "M")],
        **kwargs,  # type: ignore[arg-type]
    )


class TestDated:
    def test_dates_on_the_standard_calendar(self) -> None:
        """Levelled dates are datetimes with MSP's readings: the 4-hour activity first,
        then the desks and the network across the weekend."""
        levelled = level(office())
        s = levelled.schedule
        assert s["B"].start == datetime(2026, 3, 5, 8) and s["B"].finish == datetime(2026, 3, 5, 12)
        assert s["C"].start == datetime(2026, 3, 5, 13)
        assert s["A"].finish == datetime(2026, 3, 10, 12)
        assert levelled.finish == datetime(2026, 3, 10, 12)
        assert levelled.delayed == ("A", "C", "M")
        assert levelled["A"].explanation == "waits 1.5d for ENG (held by B, C)"
        assert levelled["A"].delay == 720
        assert violations(office(), levelled) == []

    def test_cost_and_material_resources_are_not_levelled(self) -> None:
        """CASH is a cost resource: never a reason to wait, never over-allocated."""
        levelled = level(office())
        assert all(w.resource == "ENG" for a in levelled for w in a.waits)

    def test_snet_mso_and_alap(self) -> None:
        """SNET is a release date, MSO pins the activity (its load counts; the link it
        breaks is reported), ALAP starts no earlier than its late start."""
        p = office()
        acts = list(p.activities)
        acts[2] = Activity(
            "C",
            duration=d(1),
            assignments=[Assignment("ENG", 1)],
            constraint=ScheduleConstraint(ConstraintType.MSO, datetime(2026, 3, 5, 8)),
        )
        acts.append(
            Activity(
                "D",
                duration=d(1),
                assignments=[Assignment("ENG", 1)],
                constraint=ScheduleConstraint(ConstraintType.SNET, datetime(2026, 3, 9, 8)),
            )
        )
        acts.append(
            Activity("L", duration=d(1), constraint=ScheduleConstraint(ConstraintType.ALAP))
        )
        deps = [*p.dependencies, Dependency("A", "C"), Dependency("L", "M")]
        q = Project("q", start=p.start, resources=p.resources, activities=acts, dependencies=deps)
        levelled = level(q)
        assert levelled["C"].start == datetime(2026, 3, 5, 8) and levelled["C"].delay == 0
        assert levelled["D"].start >= datetime(2026, 3, 9, 8)
        assert levelled["L"].start >= schedule(q)["L"].start
        kinds = {w.kind for w in levelled.warnings}
        assert "levelling-link" in kinds  # A now finishes after C, which must start on its date
        assert violations(q, levelled, links=False) == [] or levelled.unresolved

    def test_task_calendar_and_elapsed_lag(self) -> None:
        """An activity on a 24-hour calendar and an elapsed lag: both stay right in
        wall-clock time after levelling."""
        cal = WorkCalendar.twenty_four_hours()
        eng = [Assignment("ENG", 2)]
        p = Project(
            "P",
            start=datetime(2026, 3, 6, 8),  # a Friday
            calendars=[cal],
            resources=[Resource("ENG", capacity=2)],
            activities=[
                Activity("A", duration=d(1), assignments=eng),
                Activity("B", duration=d(1), assignments=eng),
                Activity(
                    "N", duration=Duration.from_hours(30), calendar="24-hours", assignments=eng
                ),
                Activity("Z", duration=d(1)),
            ],
            dependencies=[
                Dependency("A", "N"),
                Dependency("N", "Z", LinkType.FS, Duration.from_days(2, elapsed=True)),
            ],
        )
        levelled = level(p)
        n, z, a = levelled["N"], levelled["Z"], levelled["A"]
        assert isinstance(n.start, datetime) and isinstance(n.finish, datetime)
        assert n.finish == cal.add(n.start, 30 * 60)
        assert n.start >= a.finish
        assert z.start >= n.finish + timedelta(days=2)
        table = p.calendar.table
        spans = sorted(
            (working(p, levelled[x].start), working(p, levelled[x].finish)) for x in "AB"
        )
        assert spans[0][1] <= spans[1][0]  # A and B never share the two engineers
        assert table is not None
        assert over_allocations(p, levelled) == ()  # N neither, in wall-clock time

    def test_moved_task_calendar_activity_is_re_checked(self) -> None:
        """A 24-hour activity that CPM runs over a weekend (no project working time) but
        levelling moves into the week takes its real length there: no overlap."""
        cal = WorkCalendar.twenty_four_hours()
        eng = [Assignment("ENG", 2)]
        p = Project(
            "P",
            start=datetime(2026, 3, 6, 8),  # a Friday
            calendars=[cal],
            resources=[Resource("ENG", capacity=2)],
            activities=[
                Activity("W", duration=d(1), assignments=eng),
                Activity(
                    "N", duration=Duration.from_hours(40), calendar="24-hours", assignments=eng
                ),
                Activity("X", duration=d(2), assignments=eng),
                Activity("Y", duration=d(5)),
            ],
            dependencies=[Dependency("W", "N"), Dependency("X", "Y")],
        )
        assert schedule(p)["N"].start == datetime(2026, 3, 6, 17)  # Friday night
        levelled = level(p, schedules=50)
        n = levelled["N"]
        assert n.start == datetime(2026, 3, 10, 17)  # after X (Fri, Mon) and W (Tue)
        assert n.finish == cal.add(n.start, 40 * 60) == datetime(2026, 3, 12, 9)
        assert over_allocations(p, levelled) == ()
        assert not [w for w in levelled.warnings if w.kind == "levelling-calendar"]

    def test_resource_calendar_is_reported(self) -> None:
        """A levelled resource with a calendar of its own gets a warning."""
        alt = WorkCalendar.standard("alt").with_exceptions(
            CalendarException(datetime(2026, 3, 9).date())
        )
        p = office(calendars=[alt])
        resources = [Resource("ENG", capacity=2, calendar="alt"), *p.resources[1:]]
        q = Project(
            "q",
            start=p.start,
            calendars=[alt],
            resources=resources,
            activities=p.activities,
            dependencies=p.dependencies,
        )
        kinds = [w.kind for w in level(q, schedules=5).warnings]
        assert "resource-calendar" in kinds

    def test_summaries_roll_up(self) -> None:
        """A summary takes its children's levelled dates."""
        p = office()
        acts = [Activity("S", "Work")] + [
            Activity(
                a.id,
                a.name,
                a.duration,
                parent="S" if a.id != "M" else None,
                assignments=a.assignments,
                milestone=a.milestone,
            )
            for a in p.activities
        ]
        q = Project(
            "q", start=p.start, resources=p.resources, activities=acts, dependencies=p.dependencies
        )
        levelled = level(q)
        assert levelled["S"].summary
        assert levelled["S"].finish == max(levelled[x].finish for x in "ABC")
        assert levelled["S"].start == min(levelled[x].start for x in "ABC")

    def test_over_allocations_are_exact(self) -> None:
        """Two half-day activities on the same day, one after the other, are no
        over-allocation; the CPM schedule of the office move is."""
        report = over_allocations(office())
        assert [x.resource for x in report] == ["ENG"]
        assert report[0].start == datetime(2026, 3, 5, 8) and report[0].load == 5
        assert report[0].activities == ("A", "B", "C")


# --------------------------------------------------------------------------- API edges


class TestProgress:
    def _project(self, status: int) -> Project:
        """Three users of one analyst: A is done (late), B half done, C not started."""
        ba = [Assignment("BA", 1)]
        return Project(
            "prog",
            resources=[Resource("BA", capacity=1)],
            activities=[
                Activity(
                    "A",
                    duration=Duration(3),
                    assignments=ba,
                    progress=pm.Progress(0, 4, percent_complete=100),
                ),
                Activity(
                    "B",
                    duration=Duration(4),
                    assignments=ba,
                    progress=pm.Progress(4, percent_complete=50),
                ),
                Activity("C", duration=Duration(2), assignments=ba),
                Activity("M", milestone=True),
            ],
            dependencies=[Dependency("A", "M"), Dependency("B", "M"), Dependency("C", "M")],
            status_date=status,
        )

    def test_started_work_stays_and_the_rest_waits_after_the_status_date(self) -> None:
        """Complete and in-progress activities keep their actual dates; the analyst's
        unstarted task waits for the remaining work, which resumes at the status date."""
        p = self._project(status=6)
        cpm = schedule(p)
        assert (cpm["A"].start, cpm["A"].finish) == (0, 4)
        assert (cpm["B"].start, cpm["B"].finish) == (4, 8)  # 2 done, 2 left from 6
        assert cpm["C"].start == 6  # not before the status date, but over capacity
        levelled = level(p)
        assert [(a.id, a.start, a.finish) for a in levelled][:3] == [
            ("A", 0, 4),
            ("B", 4, 8),
            ("C", 8, 10),
        ]
        assert levelled["A"].delay == levelled["B"].delay == 0
        assert levelled["C"].delay == 2
        assert levelled["C"].explanation == "waits 2 for BA (held by B)"
        assert levelled.schedule["B"].driven_by == "actual start (in progress)"
        assert levelled.finish == 10

    def test_levelling_never_moves_started_work(self) -> None:
        """Whatever the status date, started activities keep their CPM (actual) dates."""
        for status in (4, 5, 6, 7):
            p = self._project(status)
            cpm, levelled = schedule(p), level(p, schedules=20)
            for aid in ("A", "B"):
                assert (levelled[aid].start, levelled[aid].finish) == (
                    cpm[aid].start,
                    cpm[aid].finish,
                )
            assert levelled["C"].start >= max(status, cpm["B"].finish)


class TestApi:
    def test_nothing_to_level(self) -> None:
        """An empty project, and one without resources, level to their CPM schedule."""
        empty = level(Project("E", resources=[Resource("R")]))
        assert empty.activities == () and empty.makespan == 0
        plain = Project("P", activities=[Activity("A", duration=Duration(3))])
        levelled = level(plain)
        assert levelled.finish == 3 and levelled.schedules == 1 and levelled.delayed == ()

    def test_demand_above_capacity(self) -> None:
        """An assignment no capacity can hold is a clear error."""
        p = Project(
            "P",
            resources=[Resource("R", capacity=1)],
            activities=[Activity("A", duration=Duration(1), assignments=[Assignment("R", 2)])],
        )
        with pytest.raises(SchedulingError, match="'A' asks for 2 units of resource 'R'"):
            level(p)

    @pytest.mark.parametrize(
        ("kwargs", "text"),
        [
            ({"schedules": 0}, "schedules"),
            ({"schedules": 2.5}, "schedules"),
            ({"seed": -1}, "seed"),
            ({"time_limit": 0}, "time_limit"),
            ({"method": "exact"}, "method"),
            ({"workers": 0}, "workers"),
        ],
    )
    def test_bad_arguments(self, kwargs: dict[str, object], text: str) -> None:
        """Bad arguments raise ValidationError naming the argument."""
        with pytest.raises(ValidationError, match=text):
            level(house(), **kwargs)  # type: ignore[arg-type]

    def test_cp_sat_needs_the_extra(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Without OR-Tools, method='cp-sat' names the extra to install."""
        import importlib.util

        real = importlib.util.find_spec
        monkeypatch.setattr(
            importlib.util,
            "find_spec",
            lambda name, *a: None if name == "ortools" else real(name, *a),
        )
        with pytest.raises(pm.MissingExtraError, match="ortools"):
            level(house(), method="cp-sat")

    def test_json_round_trip(self) -> None:
        """The result is a frozen value the project's converter round-trips."""
        levelled = level(office())
        conv = make_converter()
        data = conv.unstructure(levelled)
        json.dumps(data)
        assert conv.structure(data, LevelledSchedule) == levelled

    def test_to_dict_has_the_schedule_fields(self) -> None:
        """to_dict: the fields of Schedule.to_dict with the levelled finish, plus delay."""
        levelled = level(office())
        data = levelled.to_dict()
        plain = schedule(office()).to_dict()
        assert set(plain) <= set(data)
        assert set(plain["activities"][0]) | {"delay", "explanation"} == set(data["activities"][0])
        assert data["finish"] == "2026-03-10T12:00" and data["cpm_finish"] == plain["finish"]
        assert {a["id"]: a["delay"] for a in data["activities"]}["A"] == 720

    def test_html(self) -> None:
        """Notebooks show the finish before and after and why activities moved."""
        html = level(house())._repr_html_()
        assert "finish 7 → 7" in html and "waits 2 for W (held by WL, P)" in html

    def test_to_dataframe(self) -> None:
        """One row per activity with the delay and its explanation."""
        frame = level(house()).to_dataframe()
        assert frame.loc["E", "delay"] == 2 and frame.loc["E", "waits_for"] == "W"
        assert list(frame.index) == ["F", "WL", "P", "E", "R", "X"]

    def test_time_limit_and_progress(self) -> None:
        """A tiny time limit stops the search early; progress is reported as it goes."""
        project, _ = read_sm(J30 / "j3013_1.sm")
        seen: list[tuple[int, int]] = []
        levelled = level(
            project, schedules=100_000, time_limit=0.2, progress=lambda a, b: seen.append((a, b))
        )
        assert levelled.schedules < 100_000
        assert seen and all(b == 100_000 for _, b in seen)
        assert [a for a, _ in seen] == sorted(a for a, _ in seen)

    def test_improvements_and_rules(self) -> None:
        """Sampling alone, with justification and with evolution: each at least as good
        as one pass of its rule, and evolution no worse than plain sampling here."""
        project, _ = read_sm(J30 / "j3013_1.sm")
        one = level(project, schedules=1).makespan
        plain = level(project, schedules=300, improvement=Improvement.NONE).makespan
        justified = level(project, schedules=300, improvement=Improvement.JUSTIFY).makespan
        evolved = level(project, schedules=300).makespan
        assert one >= plain >= 58 and justified >= 58 and evolved >= 58
        assert evolved <= plain


class TestKernel:
    def test_horizon_grows(self) -> None:
        """Long chains of conflicts extend the free-capacity horizon as needed."""
        n = 60
        net = Network(np.full(n, 5), [], [])
        r = solve_rcpsp(net, np.ones((n, 1)), [1], schedules=4)
        assert r.makespan == 5 * n
        assert sorted(r.starts.tolist()) == list(range(0, 5 * n, 5))

    def test_fractional_units(self) -> None:
        """Units that are not whole (0.3 of a person) are compared with a tolerance."""
        net = Network([2, 2, 2, 2], [], [])
        r = solve_rcpsp(net, [[0.3], [0.3], [0.3], [0.3]], [0.9], schedules=5)
        assert r.makespan == 4

    def test_pinned_and_release(self) -> None:
        """A pinned activity keeps its start; released ones start no earlier."""
        net = Network([3, 3, 3], [], [])
        r = solve_rcpsp(
            net, [[1], [1], [1]], [1], pinned=[2, -(2**61), -(2**61)], release=[0, 0, 6]
        )
        assert r.starts[0] == 2 and r.starts[2] >= 6
        assert sorted([r.starts[1], r.starts[0]]) in ([0, 2],) or r.starts[1] >= 5

    def test_cp_sat_needs_units_in_steps(self) -> None:
        """CP-SAT works on whole numbers: units of a third of a person are refused."""
        net = Network([2, 2], [], [])
        with pytest.raises(ValidationError, match=r"steps of 0\.0001"):
            solve_cp_sat(net, [[1 / 3], [1 / 3]], [0.5])

    def test_schedule_budget_is_exact(self) -> None:
        """The search never generates more schedules than asked for."""
        project, _ = read_sm(J30 / "j3013_1.sm")
        for n in (2, 3, 7, 100):
            assert n - 2 <= level(project, schedules=n).schedules <= n

    def test_cp_sat_kernel(self) -> None:
        """The exact kernel on a three-activity network."""
        net = Network.from_edges([2, 3, 2], [(0, 2)])
        r = solve_cp_sat(net, [[1], [1], [1]], [1])
        assert r.makespan == 7 and r.optimal
