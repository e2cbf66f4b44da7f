"""schedule(project): Microsoft-Project-compatible CPM on real and hand-checked data."""

from __future__ import annotations

import csv
import random
from datetime import date, datetime
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.mspdi_reader import read as read_mspdi
from tests.strategies import projects

from pmsm_core import (
    Activity,
    CalendarException,
    ConstraintType,
    CriticalDefinition,
    CycleError,
    Dependency,
    Duration,
    LagCalendar,
    LinkType,
    PercentLag,
    Project,
    ScheduleConstraint,
    ScheduleOptions,
    WorkCalendar,
    schedule,
)
from pmsm_core.io.psplib import read_sm
from pmsm_core.scheduling.compile import compile_project
from pmsm_core.scheduling.schedule import _assemble, _run

DATA = Path(__file__).parent / "data"
DAY = 480
MON = datetime(2026, 1, 5, 8)


def dt(day: int, hour: int, minute: int = 0) -> datetime:
    """A datetime in the week of Monday 2026-01-05 (day 5 = Monday)."""
    return datetime(2026, 1, day, hour, minute)


def days(n: float) -> Duration:
    return Duration.from_days(n)


def before_or_same(project: Project, activity: str, a: datetime | int, b: datetime | int) -> bool:
    """``a`` is not later than ``b`` by any working time of the activity's calendar."""
    if not isinstance(a, datetime):
        return a <= b
    return project.activity_calendar(activity).working_minutes_between(a, b) >= 0


def same_instant(cal: WorkCalendar, a: datetime, b: datetime) -> bool:
    """Instants are equal when no working time lies between them (finish readings)."""
    return cal.working_minutes_between(a, b) == 0


# --------------------------------------------------------------------------- golden files


FIELDS = [
    ("EarlyStart", "early_start"),
    ("EarlyFinish", "early_finish"),
    ("LateStart", "late_start"),
    ("LateFinish", "late_finish"),
    ("Start", "start"),
    ("Finish", "finish"),
]
SLACKS = [
    ("StartSlack", "start_slack"),
    ("FinishSlack", "finish_slack"),
    ("TotalSlack", "total_float"),
    ("FreeSlack", "free_float"),
]


def compare(project: Project, answers: dict, skip: set[tuple[str, str]] = frozenset()) -> list[str]:
    """Compare every stored date, slack and critical flag; return the mismatches."""
    s = schedule(project)
    wrong = []
    for uid, answer in answers.items():
        got = s[uid]
        cal = project.activity_calendar(uid)
        for field, attr in FIELDS:
            if (uid, field) in skip or answer[field] is None:
                continue
            want = datetime.fromisoformat(answer[field])
            if not same_instant(cal, want, getattr(got, attr)):
                wrong.append(f"{uid} {field}: want {want}, got {getattr(got, attr)}")
        for field, attr in SLACKS:
            if (uid, field) in skip or answer[field] is None:
                continue
            if int(answer[field]) // 10 != getattr(got, attr):
                wrong.append(
                    f"{uid} {field}: want {int(answer[field]) // 10}, got {getattr(got, attr)}"
                )
        if (uid, "Critical") not in skip and (answer["Critical"] == "1") != got.critical:
            wrong.append(f"{uid} Critical: want {answer['Critical']}, got {got.critical}")
    return wrong


class TestMicrosoftProjectFiles:
    """Files saved by Microsoft Project: its stored dates and slacks are the answers."""

    def test_all_link_types_auto_scheduled(self) -> None:
        """mspdirelations.xml (Project 2007): FS, SS +1d, FF, SF chain; every field matches."""
        project, answers = read_mspdi(DATA / "mspdi" / "mspdirelations.xml")
        assert compare(project, answers) == []

    def test_link_lags(self) -> None:
        """task-links (Project 2019): FS 0/1d/2d/1w/2w, SS/FF/SF +2d; every field matches
        except where Microsoft Project treats manual SS/SF predecessors specially."""
        project, answers = read_mspdi(DATA / "mspdi" / "task-links-project2019-mspdi.xml")
        manual_quirk = {
            (uid, f)
            for uid in ("11", "13")
            for f in ("LateStart", "LateFinish", "StartSlack", "FinishSlack", "TotalSlack")
        }
        assert compare(project, answers, manual_quirk) == []
        # auto-scheduled (textbook) values documented in the data README
        s = schedule(project)
        assert s["11"].total_float == 4800 and s["13"].total_float == 4320
        assert s["11"].late_finish == datetime(2018, 11, 1, 17) and s["13"].late_finish == datetime(
            2018, 10, 31, 17
        )

    def test_sample_with_summaries_negative_lag_snet_and_night_shift(self) -> None:
        """sample.xml: summaries, a milestone, SNET on Saturdays, a -1d lead, all link types.

        Task 2 is resource-driven in Microsoft Project (a Night Shift resource sets the project
        finish); we model it on the Night Shift calendar with the working time its resources
        gave it, so the project finish and every other task's late dates follow from logic."""
        project, answers = read_mspdi(DATA / "mspdi" / "sample.xml", task_calendars={"2": "cal-2"})
        night = project.calendar_by_id("cal-2")
        work = night.working_minutes_between(datetime(2003, 1, 7, 8), datetime(2003, 3, 18, 8))
        acts = [
            attrs.evolve(a, duration=Duration(work)) if a.id == "2" else a
            for a in project.activities
        ]
        project = attrs.evolve(project, activities=acts)
        # summary 1's late start comes from task 2's resource calendar reading (08:00 vs 23:00)
        assert compare(project, answers, {("1", "LateStart")}) == []
        s = schedule(project)
        assert s.finish == datetime(2003, 3, 18, 8)
        assert s["14"].early_start == datetime(
            2003, 1, 7, 8
        )  # FS -1d from a task ending 01-07 17:00
        assert s["7"].early_start == datetime(2003, 2, 3, 8)  # SNET on a Saturday
        assert s["19"].total_float == 22560  # summary slack from its children's dates

    def test_tasks_without_links(self) -> None:
        """The other Project 2019 files: unlinked tasks share the project span (slack only)."""
        for name in ("task-dates-project2019-mspdi.xml", "task-baselines-project2019-mspdi.xml"):
            project, answers = read_mspdi(DATA / "mspdi" / name)
            s = schedule(project)
            for uid, answer in answers.items():
                if answer["TotalSlack"] is not None and answer["Summary"] == "0":
                    assert s[uid].total_float == int(answer["TotalSlack"]) // 10, (name, uid)


class TestPsplib:
    """All 480 PSPLIB j30 instances: the CPM finish equals each file's MPM-Time."""

    FILES = sorted((DATA / "psplib" / "j30").glob("*.sm"))

    def test_every_instance(self) -> None:
        """480 files: finish == MPM-Time; a zero-float chain joins source and sink; no
        negative float."""
        assert len(self.FILES) == 480
        for path in self.FILES:
            project, info = read_sm(path)
            s = schedule(project)
            assert s.finish == info.mpm_time, path.name
            assert min(a.total_float for a in s) == 0, path.name
            path_ids = s.critical_paths[0]
            assert path_ids[0] == "1" and path_ids[-1] == str(len(project.activities)), path.name
            length = sum(project.activity(i).duration.minutes for i in path_ids)
            assert length == info.mpm_time, path.name

    def test_optimum_table_is_consistent(self) -> None:
        """Every proven optimum is at least the CPM bound (checks the copied data)."""
        rows = list(csv.DictReader((DATA / "psplib" / "j30" / "optimum.csv").open()))
        assert len(rows) == 480
        sample = {r["problem"]: int(r["optimum"]) for r in rows[:40]}
        for name, optimum in sample.items():
            _, info = read_sm(DATA / "psplib" / "j30" / name)
            assert optimum >= info.mpm_time


# --------------------------------------------------------------------------- hand-checked


def lag_project(lag_calendar_alt: bool = False) -> Project:
    a = Activity("A", duration=days(2))
    succ = [Activity(x, duration=days(1)) for x in "BCDEFGH"]
    deps = [
        Dependency("A", "B", LinkType.FS, days(1)),
        Dependency("A", "C", LinkType.FS, Duration.from_days(2, elapsed=True)),
        Dependency("A", "D", LinkType.FS, PercentLag(50)),
        Dependency("A", "E", LinkType.FS, days(-1)),
        Dependency("A", "F", LinkType.SS, Duration.from_hours(4)),
        Dependency("A", "G", LinkType.FF, days(1)),
        Dependency("A", "H", LinkType.SF, days(3)),
    ]
    return Project("lags", start=MON, activities=[a, *succ], dependencies=deps)


class TestLinksAndLags:
    def test_every_link_type_and_lag_kind(self) -> None:
        """Working, elapsed, percent and negative lags on FS/SS/FF/SF, by hand."""
        s = schedule(lag_project())
        assert s["A"].early_finish == dt(6, 17)
        assert s["B"].early_start == dt(8, 8)  # Tue 17:00 + 1d = Wed 17:00 -> Thu 08:00
        assert s["C"].early_start == dt(9, 8)  # + 48 elapsed hours = Thu 17:00 -> Fri 08:00
        assert s["D"].early_start == dt(8, 8)  # 50 % of 2d = 1d
        assert s["E"].early_start == dt(6, 8)  # lead of 1d: Tue 08:00
        assert s["F"].early_start == dt(5, 13)  # Mon 08:00 + 4h = 12:00, after lunch 13:00
        assert s["G"].early_finish == dt(7, 17)  # finish >= Tue 17:00 + 1d
        assert s["H"].early_finish == dt(7, 17)  # finish >= Mon 08:00 + 3d
        assert s.finish == dt(9, 17)

    def test_lag_calendar_option(self) -> None:
        """Lags count on the successor's calendar by default, on others by option."""
        alt = WorkCalendar.standard("alt").with_exceptions(CalendarException(date(2026, 1, 7)))
        p = Project(
            "cal",
            start=MON,
            calendars=[alt],
            activities=[
                Activity("A", duration=days(2)),
                Activity("B", duration=days(1), calendar="alt"),
            ],
            dependencies=[Dependency("A", "B", lag=days(1))],
        )
        assert schedule(p)["B"].early_start == dt(9, 8)  # Tue 17 + 1d on alt (Wed off) = Thu 17
        pred = schedule(p, options=ScheduleOptions(lag_calendar=LagCalendar.PREDECESSOR))
        assert pred["B"].early_start == dt(8, 8)  # Tue 17 + 1d on Standard = Wed 17 -> Thu 08
        elapsed = schedule(p, options=ScheduleOptions(lag_calendar=LagCalendar.ELAPSED))
        assert elapsed["B"].early_start == dt(8, 8)  # + 24h = Wed 17:00 -> alt's next start Thu

    def test_two_calendars_with_a_holiday(self) -> None:
        """An activity on its own calendar skips that calendar's holiday; floats use it."""
        alt = WorkCalendar.standard("alt").with_exceptions(CalendarException(date(2026, 1, 7)))
        p = Project(
            "cal",
            start=MON,
            calendars=[alt],
            activities=[
                Activity("A", duration=days(2)),
                Activity("B", duration=days(2), calendar="alt"),
                Activity("C", duration=days(1)),
                Activity("L", duration=days(8)),
            ],
            dependencies=[Dependency("A", "B"), Dependency("B", "C")],
        )
        s = schedule(p)
        assert (s["B"].early_start, s["B"].early_finish) == (dt(8, 8), dt(9, 17))
        assert s["C"].early_start == dt(12, 8)
        assert s.finish == dt(14, 17)  # L: 8 days Mon..Wed next week
        assert s["C"].total_float == 2 * DAY
        assert s["B"].total_float == 2 * DAY  # on its own calendar

    def test_milestones_sit_at_the_finish(self) -> None:
        """A milestone after a task ending Friday 17:00 is at Friday 17:00, not Monday."""
        p = Project(
            "m",
            start=MON,
            activities=[Activity("A", duration=days(5)), Activity("M", milestone=True)],
            dependencies=[Dependency("A", "M")],
        )
        s = schedule(p)
        assert s["M"].early_start == s["M"].early_finish == dt(9, 17)
        assert s["M"].milestone and s["M"].critical

    def test_cycle(self) -> None:
        """A cycle raises CycleError naming its activities in order."""
        p = Project(
            "c",
            activities=[Activity(x, duration=Duration(1)) for x in "ABC"],
            dependencies=[Dependency("A", "B"), Dependency("B", "C"), Dependency("C", "A")],
        )
        with pytest.raises(CycleError) as exc:
            schedule(p)
        assert exc.value.cycle == ("A", "B", "C")


def chain(
    constraint: tuple[str, ScheduleConstraint] | None = None,
    deadline: tuple[str, datetime] | None = None,
) -> Project:
    """A(2d) -> B(1d) -> C(1d), and X(5d) alone setting the finish on Friday 17:00."""
    acts = {"A": days(2), "B": days(1), "C": days(1), "X": days(5)}
    activities = []
    for aid, d in acts.items():
        kwargs = {}
        if constraint and constraint[0] == aid:
            kwargs["constraint"] = constraint[1]
        if deadline and deadline[0] == aid:
            kwargs["deadline"] = deadline[1]
        activities.append(Activity(aid, duration=d, **kwargs))
    return Project(
        "chain",
        start=MON,
        activities=activities,
        dependencies=[Dependency("A", "B"), Dependency("B", "C")],
    )


SC = ScheduleConstraint
CT = ConstraintType


class TestConstraints:
    def test_baseline(self) -> None:
        """Without constraints A, B, C have one day of float."""
        s = schedule(chain())
        assert [s[x].total_float for x in "ABCX"] == [DAY, DAY, DAY, 0]

    @pytest.mark.parametrize(
        ("constraint", "expect"),
        [
            (
                ("B", SC(CT.SNET, dt(8, 8))),
                {"B": (dt(8, 8), 0), "C": (dt(9, 8), 0), "A": (dt(5, 8), DAY)},
            ),
            (("B", SC(CT.SNET, dt(10, 10))), {"B": (dt(12, 8), 0)}),  # Saturday -> Monday
            (
                ("B", SC(CT.FNET, dt(9, 17))),
                {"B": (dt(9, 8), 0), "C": (dt(12, 8), 0), "X": (dt(5, 8), DAY)},
            ),
            (("C", SC(CT.MSO, dt(9, 8))), {"C": (dt(9, 8), 0), "B": (dt(7, 8), DAY)}),
            (("B", SC(CT.MFO, dt(8, 17))), {"B": (dt(8, 8), 0), "C": (dt(9, 8), 0)}),
            (
                ("C", SC(CT.SNLT, dt(7, 8))),
                {"C": (dt(7, 8), 0), "B": (dt(7, 8), -DAY), "A": (dt(5, 8), -DAY)},
            ),
            (("C", SC(CT.FNLT, dt(7, 17))), {"C": (dt(7, 8), 0), "B": (dt(7, 8), -DAY)}),
            (("C", SC(CT.FNLT, dt(9, 17))), {"C": (dt(8, 8), DAY), "B": (dt(7, 8), DAY)}),
        ],
    )
    def test_each_constraint(self, constraint, expect) -> None:
        """Each constraint type moves early starts and float as Microsoft Project does."""
        s = schedule(chain(constraint))
        for aid, (start, total) in expect.items():
            assert (s[aid].early_start, s[aid].total_float) == (start, total), aid

    def test_conflict_warns_and_logic_wins_when_not_honoured(self) -> None:
        """An SNLT against logic warns; with honor_constraints=False logic wins."""
        p = chain(("C", SC(CT.SNLT, dt(7, 8))))
        s = schedule(p)
        kinds = {w.kind for w in s.warnings}
        assert "constraint-conflict" in kinds and "negative-float" in kinds
        loose = schedule(p, options=ScheduleOptions(honor_constraints=False))
        assert loose["C"].early_start == dt(8, 8)

    def test_alap(self) -> None:
        """ALAP: placed at its late dates, zero float, documented in driven_by."""
        s = schedule(chain(("C", SC(CT.ALAP))))
        assert (s["C"].start, s["C"].finish) == (dt(9, 8), dt(9, 17))
        assert s["C"].early_start == dt(8, 8) and s["C"].total_float == 0
        assert s["C"].driven_by.startswith("ALAP")
        # B -> C still sets C's early start; C sits a day later than the link allows
        link = next(x for x in s.links if (x.predecessor, x.successor) == ("B", "C"))
        assert (link.driving, link.gap) == (True, DAY)

    def test_alap_in_conflict_stays_at_its_early_dates(self) -> None:
        """An ALAP activity whose late dates fall before its early ones (a deadline it
        cannot meet) is not pulled before its predecessor: it sits at its early dates,
        and the negative float shows the conflict. Both engines agree."""
        alap = SC(CT.ALAP)
        undated = Project(
            "U",
            activities=[
                Activity("A", duration=Duration(5)),
                Activity("B", duration=Duration(3), constraint=alap, deadline=2),
            ],
            dependencies=[Dependency("A", "B")],
        )
        s = schedule(undated)
        assert (s["B"].start, s["B"].finish, s["B"].total_float) == (5, 8, -6)
        dated = chain(("C", alap), deadline=("C", dt(6, 17)))
        own = attrs.evolve(
            dated,
            calendars=[WorkCalendar.standard("copy")],
            activities=[attrs.evolve(a, calendar="copy") for a in dated.activities],
        )
        for project in (dated, own):  # the integer engine, then the calendar engine
            s = schedule(project)
            assert (s["C"].start, s["C"].finish) == (dt(8, 8), dt(8, 17)), project.calendars
            assert s["C"].total_float == -2 * DAY

    def test_deadline(self) -> None:
        """A missed deadline gives negative float upstream and a warning; dates stay."""
        s = schedule(chain(deadline=("C", dt(7, 17))))
        assert s["C"].early_start == dt(8, 8)
        assert [s[x].total_float for x in "ABC"] == [-DAY, -DAY, -DAY]
        assert any(w.kind == "missed-deadline" and w.activity == "C" for w in s.warnings)

    def test_constraint_before_project_start(self) -> None:
        """A hard constraint may place work before the project start, with a warning."""
        s = schedule(chain(("B", SC(CT.MSO, datetime(2026, 1, 2, 8)))))
        assert s["B"].early_start == datetime(2026, 1, 2, 8)
        assert any(w.kind == "before-project-start" for w in s.warnings)


class TestSummariesAndCriticality:
    def summary_project(self) -> Project:
        return Project(
            "s",
            start=MON,
            activities=[
                Activity("Z", duration=days(1)),
                Activity("S", "Summary"),
                Activity("S1", duration=days(2), parent="S"),
                Activity("S2", duration=days(3), parent="S"),
                Activity("X", duration=days(1)),
                Activity("Y", duration=days(1)),
            ],
            dependencies=[
                Dependency("Z", "S"),
                Dependency("S1", "S2"),
                Dependency("S", "X"),
                Dependency("S", "Y", LinkType.SS, days(1)),
            ],
        )

    def test_roll_up(self) -> None:
        """A summary spans its children; links to it apply to every child."""
        s = schedule(self.summary_project())
        assert s["S1"].early_start == dt(6, 8)  # after Z
        assert (s["S"].early_start, s["S"].early_finish) == (dt(6, 8), dt(12, 17))
        assert s["S"].summary and s["S"].duration == 5 * DAY
        assert s["S"].critical

    def test_links_from_a_summary(self) -> None:
        """FS from a summary waits for its last child; SS acts from its earliest child."""
        s = schedule(self.summary_project())
        assert s["X"].early_start == dt(13, 8)
        assert s["Y"].early_start == dt(7, 8)

    def test_threshold_and_near_critical(self) -> None:
        """The critical threshold widens the critical set; near_critical lists the next ones."""
        p = chain()
        assert schedule(p).critical == ("X",)
        wide = schedule(p, options=ScheduleOptions(critical_threshold=DAY))
        assert set(wide.critical) == {"A", "B", "C", "X"}
        assert set(schedule(p).near_critical(DAY)) == {"A", "B", "C"}

    def test_multiple_critical_paths(self) -> None:
        """With the option each chain ends at zero float."""
        s = schedule(chain(), options=ScheduleOptions(multiple_critical_paths=True))
        assert set(s.critical) == {"A", "B", "C", "X"}
        assert set(s.critical_paths) == {("A", "B", "C"), ("X",)}

    def test_longest_path_definition(self) -> None:
        """Longest path: the driving chain into the finish, whatever the float."""
        p = chain(deadline=("C", dt(6, 17)))
        s = schedule(
            p, options=ScheduleOptions(critical_definition=CriticalDefinition.LONGEST_PATH)
        )
        assert s.critical == ("X",)
        assert set(schedule(p).critical) == {"A", "B", "C", "X"}

    def test_driving_links_explain_starts(self) -> None:
        """driving_predecessors and driven_by say why each activity starts when it does."""
        s = schedule(chain(("B", SC(CT.SNET, dt(8, 8)))))
        assert s["C"].driving_predecessors == ("B",) and s["C"].driven_by == "links"
        assert s["B"].driving_predecessors == () and s["B"].driven_by == "constraint SNET"
        assert s["A"].driven_by == "project start"
        link = next(x for x in s.links if (x.predecessor, x.successor) == ("A", "B"))
        assert not link.driving and link.gap == DAY

    def test_networkx_and_dict(self) -> None:
        """to_networkx carries results on nodes; to_dict has the CLI's JSON fields."""
        s = schedule(chain())
        G = s.to_networkx()
        assert G.nodes["B"]["total_float"] == DAY and G.edges["A", "B"]["driving"]
        d = s.to_dict()
        assert d["finish"] == "2026-01-09T17:00"
        assert set(d["activities"][0]) == {
            "id",
            "name",
            "early_start",
            "early_finish",
            "late_start",
            "late_finish",
            "start_slack",
            "finish_slack",
            "total_float",
            "free_float",
            "critical",
        }


class TestUndated:
    def test_plain_units(self) -> None:
        """Undated projects schedule in plain numbers."""
        p = Project(
            "u",
            activities=[
                Activity("A", duration=Duration(3)),
                Activity("B", duration=Duration(4)),
                Activity("C", duration=Duration(2)),
            ],
            dependencies=[Dependency("A", "B"), Dependency("A", "C", LinkType.SS, 1)],
        )
        s = schedule(p)
        assert s.finish == 7 and s["C"].early_start == 1 and s["C"].total_float == 4
        assert s.critical_paths == (("A", "B"),)


# --------------------------------------------------------------------------- properties


def _engines_agree(project: Project, options: ScheduleOptions) -> None:
    compiled = compile_project(project, options)
    fast = _assemble(compiled, _run(compiled, options, engine="integer"), options)
    compiled = compile_project(project, options)
    slow = _assemble(compiled, _run(compiled, options, engine="calendar"), options)
    assert fast == slow


class TestProperties:
    @given(projects(dated=True, with_extras=False), st.booleans(), st.booleans())
    def test_integer_and_calendar_engines_agree(
        self, project: Project, mcp: bool, honor: bool
    ) -> None:
        """On one calendar, the vectorised engine and the calendar engine give equal schedules."""
        project = attrs.evolve(
            project,
            activities=[attrs.evolve(a, calendar=None) for a in project.activities],
            dependencies=[
                attrs.evolve(d, lag=d.lag if not d.lag.elapsed else Duration(d.lag.minutes))
                for d in project.dependencies
            ],
        )
        _engines_agree(
            project, ScheduleOptions(multiple_critical_paths=mcp, honor_constraints=honor)
        )

    @given(projects(with_extras=False))
    def test_invariants(self, project: Project) -> None:
        """ES <= LS and EF <= LF (in the activity's working time) where float is not
        negative; free float <= max(total, 0)."""
        s = schedule(project)
        for a in s:
            if a.total_float >= 0 and not a.summary:
                assert before_or_same(project, a.id, a.early_start, a.late_start)
                assert before_or_same(project, a.id, a.early_finish, a.late_finish)
            assert 0 <= a.free_float <= max(a.total_float, 0) or a.summary

    @given(projects(with_extras=False, with_summaries=False))
    def test_unconstrained_float_is_non_negative_and_a_path_is_critical(
        self, project: Project
    ) -> None:
        """Without constraints or deadlines: no negative float; a critical path spans the project."""
        project = attrs.evolve(
            project,
            activities=[
                attrs.evolve(a, constraint=ScheduleConstraint(), deadline=None, calendar=None)
                for a in project.activities
            ],
        )
        s = schedule(project)
        assert min(a.total_float for a in s) >= 0
        assert s.critical_paths
        last = s[s.critical_paths[0][-1]]
        assert before_or_same(project, last.id, s.finish, last.early_finish)

    @given(projects(with_extras=False, with_summaries=False), st.randoms(use_true_random=False))
    def test_order_does_not_matter(self, project: Project, rnd: random.Random) -> None:
        """Shuffling activities and dependencies gives the same schedule."""
        acts, deps = list(project.activities), list(project.dependencies)
        rnd.shuffle(acts)
        rnd.shuffle(deps)
        other = attrs.evolve(project, activities=acts, dependencies=deps)
        a, b = schedule(project), schedule(other)
        assert a.finish == b.finish
        for x in a:
            y = b[x.id]
            assert (x.early_start, x.late_finish, x.total_float, x.free_float) == (
                y.early_start,
                y.late_finish,
                y.total_float,
                y.free_float,
            )

    @given(
        projects(with_extras=False, with_summaries=False, link_types=(LinkType.FS, LinkType.SS)),
        st.data(),
    )
    def test_longer_never_finishes_earlier(self, project: Project, data: st.DataObject) -> None:
        """With FS and SS links, lengthening an activity never makes the project finish
        earlier (FF and SF links allow the known duration paradox, see test_network)."""
        project = attrs.evolve(
            project,
            activities=[
                attrs.evolve(a, constraint=ScheduleConstraint(), deadline=None)
                for a in project.activities
            ],
        )
        base = schedule(project).finish
        i = data.draw(st.integers(0, len(project.activities) - 1))
        a = project.activities[i]
        if a.milestone:
            return
        longer = attrs.evolve(
            a, duration=Duration(a.duration.minutes + data.draw(st.integers(1, 600)))
        )
        acts = list(project.activities)
        acts[i] = longer
        assert schedule(attrs.evolve(project, activities=acts)).finish >= base
