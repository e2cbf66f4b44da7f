"""Microsoft Project XML (MSPDI): golden files, round trips, hostile input."""

from __future__ import annotations

import contextlib
import warnings
import xml.etree.ElementTree as ET
from datetime import date, datetime
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.strategies_interop import mspdi_projects

from pmsm_core import (
    Activity,
    CalendarException,
    ConstraintType,
    Dependency,
    DocumentError,
    Duration,
    LinkType,
    PercentLag,
    Project,
    ScheduleConstraint,
    TimeUnit,
    WorkCalendar,
    schedule,
)
from pmsm_core.io import mspdi
from pmsm_core.io import read as read_any

DATA = Path(__file__).parent / "data" / "mspdi"
FILES = sorted(DATA.glob("*.xml"))
NS = "{http://schemas.microsoft.com/project}"
START = "<Project xmlns='http://schemas.microsoft.com/project'><StartDate>2026-01-05T08:00:00</StartDate>"


def quiet_read(path: Path) -> Project:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", mspdi.MspdiWarning)
        return mspdi.read(path)


def quiet_reads(text: str | bytes) -> Project:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", mspdi.MspdiWarning)
        return mspdi.reads(text)


def stored_answers(path: Path) -> dict[str, dict[str, str | None]]:
    """What was saved for each task (by UID, or by the 'pmsm id' field), straight from the XML."""
    root = ET.parse(path).getroot()
    out = {}
    for task in root.iter(f"{NS}Task"):
        uid = task.findtext(f"{NS}UID")
        if uid == "0":
            continue
        key = uid
        for field in task.iter(f"{NS}ExtendedAttribute"):
            if field.findtext(f"{NS}FieldID") == "188743731":
                key = field.findtext(f"{NS}Value") or uid
        out[key] = {child.tag[len(NS) :]: child.text for child in task}
    return out


DATES = ["EarlyStart", "EarlyFinish", "LateStart", "LateFinish", "Start", "Finish"]
SLACKS = {
    "StartSlack": "start_slack",
    "FinishSlack": "finish_slack",
    "TotalSlack": "total_float",
    "FreeSlack": "free_float",
}
ATTR = {
    "EarlyStart": "early_start",
    "EarlyFinish": "early_finish",
    "LateStart": "late_start",
    "LateFinish": "late_finish",
    "Start": "start",
    "Finish": "finish",
}


def mismatches(project: Project, path: Path, skip: set[tuple[str, str]] = frozenset()) -> list[str]:
    """Every stored date, slack and critical flag against our schedule of the imported file.

    The comparison rule of the CPM golden tests: two instants are equal when no working time
    of the activity's calendar lies between them; slack in tenths of a minute.
    """
    s = schedule(project)
    wrong = []
    for uid, answer in stored_answers(path).items():
        got = s[uid]
        cal = project.activity_calendar(uid)
        for field in DATES:
            if (uid, field) in skip or answer.get(field) is None:
                continue
            want = datetime.fromisoformat(answer[field])
            have = getattr(got, ATTR[field])
            if cal.working_minutes_between(want, have) != 0:
                wrong.append(f"{uid} {field}: want {want}, got {have}")
        for field, attr in SLACKS.items():
            if (uid, field) in skip or answer.get(field) is None:
                continue
            if int(answer[field]) // 10 != getattr(got, attr):
                wrong.append(
                    f"{uid} {field}: want {int(answer[field]) // 10}, got {getattr(got, attr)}"
                )
        if (uid, "Critical") not in skip and (answer["Critical"] == "1") != got.critical:
            wrong.append(f"{uid} Critical: want {answer['Critical']}, got {got.critical}")
    return wrong


# --------------------------------------------------------------------------- golden files


class TestGoldenFiles:
    """Imported and scheduled, every MSP-saved file reproduces Microsoft Project's answers."""

    def test_every_shared_file_reads(self) -> None:
        """All six files read into valid projects with the right task and link counts."""
        counts = {}
        for path in FILES:
            p = quiet_read(path)
            counts[path.name] = (len(p.activities), len(p.dependencies))
        assert counts == {
            "calendar-calendars-project2019-mspdi.xml": (0, 0),
            "mspdirelations.xml": (5, 4),
            "sample.xml": (19, 6),
            "task-baselines-project2019-mspdi.xml": (110, 0),
            "task-dates-project2019-mspdi.xml": (10, 0),
            "task-links-project2019-mspdi.xml": (16, 8),
        }

    def test_all_link_types(self) -> None:
        """mspdirelations.xml: FS, SS +1d, FF, SF; every date, slack and flag matches."""
        path = DATA / "mspdirelations.xml"
        assert mismatches(quiet_read(path), path) == []

    def test_link_lags(self) -> None:
        """task-links: FS 0/1d/2d/1w/2w and SS/FF/SF +2d match, except the manual-task quirk
        Microsoft Project applies to the SS/SF predecessors 11 and 13 (see the data README)."""
        path = DATA / "task-links-project2019-mspdi.xml"
        quirk = {
            (uid, f)
            for uid in ("11", "13")
            for f in ("LateStart", "LateFinish", "StartSlack", "FinishSlack", "TotalSlack")
        }
        project = quiet_read(path)
        assert mismatches(project, path, quirk) == []
        lags = {(d.predecessor, d.successor): d.lag for d in project.dependencies}
        assert lags[("7", "8")] == Duration(2400) and lags[("7", "8")].unit is TimeUnit.WEEK
        assert {d.type for d in project.dependencies} == set(LinkType)

    def test_sample_with_summaries_lead_snet_and_resource_calendars(self) -> None:
        """sample.xml: summaries, milestone, SNET on Saturdays, a -1d lead; task 2 is timed by
        its Night Shift resource in Microsoft Project, so it runs on that calendar here."""
        path = DATA / "sample.xml"
        with pytest.warns(mspdi.MspdiWarning, match="resource"):
            project = mspdi.read(path)
        night = project.calendar_by_id("night-shift")
        assert night.name == "Night Shift"
        work = night.working_minutes_between(datetime(2003, 1, 7, 8), datetime(2003, 3, 18, 8))
        acts = [
            attrs.evolve(a, calendar="night-shift", duration=Duration(work)) if a.id == "2" else a
            for a in project.activities
        ]
        project = attrs.evolve(project, activities=acts)
        assert mismatches(project, path, {("1", "LateStart")}) == []
        assert project.activity("3").milestone
        assert project.activity("7").constraint == ScheduleConstraint(
            ConstraintType.SNET, datetime(2003, 2, 1, 8)
        )
        lead = next(d for d in project.dependencies if d.successor == "14")
        assert lead.lag == Duration(-480)
        assert project.activity("1").notes == "Test Task Notes"

    def test_unlinked_manual_tasks(self) -> None:
        """task-dates and task-baselines: every stored date and the four slacks of the
        unlinked tasks match; only the Critical flag is left out."""
        for name in ("task-dates-project2019-mspdi.xml", "task-baselines-project2019-mspdi.xml"):
            path = DATA / name
            with pytest.warns(mspdi.MspdiWarning, match="manually scheduled"):
                project = mspdi.read(path)
            answers = stored_answers(path)
            # the comparison is not empty: every task carries every date and slack field
            for uid, answer in answers.items():
                assert all(answer.get(f) is not None for f in [*DATES, *SLACKS]), (name, uid)
            # Critical is left out: Microsoft Project stores Critical 0 for these unlinked,
            # manually scheduled tasks although their TotalSlack is 0, while we mark them
            # critical (total float <= 0); its rule for manual tasks is not known (see the
            # caveat "Manual tasks and Critical" in data/mspdi/README.md).
            skip = {(uid, "Critical") for uid in answers}
            assert mismatches(project, path, skip) == [], name
            # the known difference, pinned: if it goes away, drop the skip above
            assert all(answer["Critical"] == "0" for answer in answers.values())
            assert all(a.critical for a in schedule(project)), name

    def test_resources_assignments_and_costs(self) -> None:
        """sample.xml resources: rates per hour, cost per use in currency, calendars by base."""
        project = quiet_read(DATA / "sample.xml")
        first, second = project.resources
        assert (first.id, first.name, first.cost_per_hour, first.cost_per_use) == (
            "1",
            "First Resource",
            10.0,
            30.0,
        )
        assert (first.calendar, second.calendar) == ("standard", "night-shift")
        assert project.activity("2").assignments == (
            mspdi_assignment("1", 0.5, 200 * 60),
            mspdi_assignment("2", 0.75, 300 * 60),
        )

    def test_dangling_placeholder_calendar_is_tolerated(self) -> None:
        """calendar-calendars: the unnamed resource 0 points at a missing calendar; skipped."""
        project = quiet_read(DATA / "calendar-calendars-project2019-mspdi.xml")
        assert [r.name for r in project.resources] == ["Resource One", "Resource Two"]
        assert [c.id for c in project.calendars] == ["calendar1", "calendar2"]
        assert all(r.calendar == "standard" for r in project.resources)

    def test_baselines(self) -> None:
        """task-baselines: baselines 0..10 with start, finish, duration, cost and work."""
        project = quiet_read(DATA / "task-baselines-project2019-mspdi.xml")
        assert [b.number for b in project.baselines] == list(range(11))
        by_name = {a.id: a.name for a in project.activities}
        zero = {by_name[x.activity]: x for x in project.baselines[0].activities}
        assert zero["Baseline Cost - Task"].cost == 1.0
        assert zero["Baseline Duration - Task"].duration.minutes > 0
        assert zero["Baseline Start - Task"].start is not None
        assert zero["Baseline Work - Task"].work is not None

    def test_pmsm_io_read_dispatches_on_xml(self) -> None:
        """pmsm_core.io.read picks the MSPDI reader for .xml files."""
        assert read_any(DATA / "mspdirelations.xml") == quiet_read(DATA / "mspdirelations.xml")


def mspdi_assignment(resource: str, units: float, work: int):  # type: ignore[no-untyped-def]
    from pmsm_core import Assignment

    return Assignment(resource, units, work=Duration(work))


# --------------------------------------------------------------------------- round trips


class TestRoundTrips:
    """write -> read gives back an equal project; read -> write -> read too."""

    @pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
    def test_shared_files(self, path: Path) -> None:
        """Every shared file survives read -> write -> read unchanged."""
        first = quiet_read(path)
        again = quiet_reads(mspdi.writes(first))
        assert again == first

    @settings(max_examples=40)
    @given(mspdi_projects())
    def test_generated_projects(self, project: Project) -> None:
        """Random projects (WBS, all link and lag kinds, calendars, constraints, resources,
        assignments, baselines, progress) come back equal."""
        with warnings.catch_warnings():
            warnings.simplefilter("error", mspdi.MspdiWarning)  # nothing may be lost
            text = mspdi.writes(project, schedule=False)
        assert mspdi.reads(text) == project

    def test_written_schedule_matches_the_engine(self, small_project: Project) -> None:
        """The dates and slacks we write are our engine's, and re-scheduling agrees."""
        text = mspdi.writes(small_project)
        root = ET.fromstring(text)
        s = schedule(small_project)
        tasks = {t.findtext(f"{NS}Name"): t for t in root.iter(f"{NS}Task")}
        build = tasks["Build"]
        assert build.findtext(f"{NS}EarlyStart") == s["B"].early_start.strftime("%Y-%m-%dT%H:%M:00")
        assert int(build.findtext(f"{NS}TotalSlack")) == s["B"].total_float * 10
        path = Path("unused.xml")
        del path

    def test_written_file_reproduces_itself_as_golden_file(
        self, small_project: Project, tmp_path: Path
    ) -> None:
        """A file we write passes the same golden comparison as Microsoft Project's files."""
        path = tmp_path / "small.xml"
        mspdi.write(small_project, path)
        project = mspdi.read(path)
        assert project == small_project
        assert mismatches(project, path) == []

    def test_ids_survive_in_a_custom_field(self) -> None:
        """Ids that are not numbers travel in the custom text field aliased 'pmsm id'."""
        p = Project(
            "P",
            start=datetime(2026, 1, 5, 8),
            activities=[
                Activity("design", duration=Duration(60)),
                Activity("7", duration=Duration(60)),
            ],
        )
        text = mspdi.writes(p)
        assert "<Alias>pmsm id</Alias>" in text
        assert [a.id for a in mspdi.reads(text).activities] == ["design", "7"]
        plain = Project(
            "P", start=datetime(2026, 1, 5, 8), activities=[Activity("12", duration=Duration(60))]
        )
        assert "pmsm id" not in mspdi.writes(plain)
        assert "<UID>12</UID>" in mspdi.writes(plain)

    def test_unwritable_parts_warn(self) -> None:
        """Parts MSPDI cannot hold are reported, not silently dropped."""
        from pmsm_core import Phase

        p = Project(
            "P",
            start=datetime(2026, 1, 5, 8),
            phases=[Phase("x")],
            activities=[Activity("A", duration=Duration(60), phase="x"), Activity("B")],
            dependencies=[Dependency("A", "B", lag=PercentLag(12.5))],
        )
        with pytest.warns(mspdi.MspdiWarning) as caught:
            mspdi.writes(p)
        text = " | ".join(str(w.message) for w in caught)
        assert "1 phases" in text and "phases of activities" in text and "rounded" in text

    def test_undated_project_is_refused(self) -> None:
        """MSPDI is dated: an undated project gets a clear error."""
        with pytest.raises(DocumentError, match="undated"):
            mspdi.writes(Project("P", activities=[Activity("A", duration=Duration(3))]))

    def test_control_characters_are_refused(self) -> None:
        """Text XML cannot hold is an error naming the field."""
        p = Project("P", start=datetime(2026, 1, 5, 8), activities=[Activity("A", "bad\x01name")])
        with pytest.raises(DocumentError, match=r"activities\[A\]\.name.*U\+0001"):
            mspdi.writes(p)


# --------------------------------------------------------------------------- codes


def one_link(lag: str, fmt: str, kind: str = "1") -> Dependency:
    text = (
        START
        + "<Tasks><Task><UID>1</UID><OutlineLevel>1</OutlineLevel><Duration>PT8H0M0S</Duration></Task>"
        "<Task><UID>2</UID><OutlineLevel>1</OutlineLevel><Duration>PT8H0M0S</Duration>"
        f"<PredecessorLink><PredecessorUID>1</PredecessorUID><Type>{kind}</Type>"
        f"<LinkLag>{lag}</LinkLag><LagFormat>{fmt}</LagFormat></PredecessorLink></Task></Tasks></Project>"
    )
    return quiet_reads(text).dependencies[0]


class TestCodes:
    """Link types, lag formats, constraints and calendars as the MSPDI reference gives them."""

    def test_link_type_codes(self) -> None:
        """0 FF, 1 FS, 2 SF, 3 SS."""
        assert [one_link("0", "7", k).type for k in "0123"] == [
            LinkType.FF,
            LinkType.FS,
            LinkType.SF,
            LinkType.SS,
        ]

    def test_lag_formats(self) -> None:
        """Tenths of a minute; elapsed formats elapsed; percent formats whole percentages;
        the estimated codes (35..44, 51, 52) read like their plain codes."""
        assert one_link("4800", "7") == Dependency("1", "2", lag=Duration(480))
        assert one_link("14400", "8").lag == Duration(1440, elapsed=True)
        assert one_link("600", "6").lag == Duration(60, elapsed=True)
        assert one_link("24000", "9").lag.unit is TimeUnit.WEEK
        assert one_link("50", "19").lag == PercentLag(50.0)
        assert one_link("25", "20").lag == PercentLag(25.0, elapsed=True)
        assert one_link("-4800", "39").lag == Duration(-480)
        assert one_link("4800", "40").lag == Duration(480, elapsed=True)

    def test_elapsed_and_percent_lags_schedule(self) -> None:
        """An elapsed day across a weekend and a 50 % lag after a two-day task."""
        text = (
            START.replace("2026-01-05", "2026-01-08")
            + "<Tasks><Task><UID>1</UID><OutlineLevel>1</OutlineLevel><Duration>PT16H0M0S</Duration></Task>"
            "<Task><UID>2</UID><OutlineLevel>1</OutlineLevel><Duration>PT8H0M0S</Duration>"
            "<PredecessorLink><PredecessorUID>1</PredecessorUID><Type>1</Type>"
            "<LinkLag>14400</LinkLag><LagFormat>8</LagFormat></PredecessorLink></Task>"
            "<Task><UID>3</UID><OutlineLevel>1</OutlineLevel><Duration>PT8H0M0S</Duration>"
            "<PredecessorLink><PredecessorUID>1</PredecessorUID><Type>1</Type>"
            "<LinkLag>50</LinkLag><LagFormat>19</LagFormat></PredecessorLink></Task></Tasks></Project>"
        )
        s = schedule(quiet_reads(text))
        # task 1: Thu 08:00 -> Fri 17:00; +1 elapsed day = Sat 17:00 -> Mon 08:00
        assert s["2"].early_start == datetime(2026, 1, 12, 8)
        # +50 % of 2 days = 1 working day: Mon 17:00 -> Tue 08:00
        assert s["3"].early_start == datetime(2026, 1, 13, 8)

    def test_constraints_and_deadline(self) -> None:
        """Constraint codes 0..7 with their dates, and the deadline."""
        tasks = "".join(
            f"<Task><UID>{c + 1}</UID><OutlineLevel>1</OutlineLevel><Duration>PT8H0M0S</Duration>"
            f"<ConstraintType>{c}</ConstraintType><ConstraintDate>2026-01-07T08:00:00</ConstraintDate>"
            "<Deadline>2026-01-09T17:00:00</Deadline></Task>"
            for c in range(8)
        )
        p = quiet_reads(START + f"<Tasks>{tasks}</Tasks></Project>")
        kinds = [a.constraint.type for a in p.activities]
        assert kinds == list(ConstraintType)
        assert p.activities[0].constraint.date is None  # ASAP ignores a stray date
        assert p.activities[4].constraint.date == datetime(2026, 1, 7, 8)
        assert all(a.deadline == datetime(2026, 1, 9, 17) for a in p.activities)

    def test_recurring_exceptions_expand(self) -> None:
        """Yearly by position (Thanksgiving: 4th Thursday of November), yearly by day,
        weekly by bit mask, a legacy DayType 0 range and a work week."""
        cal = (
            "<Calendars><Calendar><UID>1</UID><Name>Office</Name><IsBaseCalendar>1</IsBaseCalendar>"
            "<Exceptions>"
            "<Exception><EnteredByOccurrences>0</EnteredByOccurrences><TimePeriod>"
            "<FromDate>2026-11-01T00:00:00</FromDate><ToDate>2027-11-30T23:59:00</ToDate></TimePeriod>"
            "<Name>Thanksgiving</Name><Type>3</Type><Month>10</Month><MonthItem>7</MonthItem>"
            "<MonthPosition>3</MonthPosition><DayWorking>0</DayWorking></Exception>"
            "<Exception><EnteredByOccurrences>1</EnteredByOccurrences><TimePeriod>"
            "<FromDate>2026-01-01T00:00:00</FromDate><ToDate>2026-01-01T23:59:00</ToDate></TimePeriod>"
            "<Occurrences>3</Occurrences><Name>New Year</Name><Type>2</Type><Month>0</Month>"
            "<MonthDay>1</MonthDay><DayWorking>0</DayWorking></Exception>"
            "<Exception><EnteredByOccurrences>0</EnteredByOccurrences><TimePeriod>"
            "<FromDate>2026-03-02T00:00:00</FromDate><ToDate>2026-03-15T23:59:00</ToDate></TimePeriod>"
            "<Name>Team day</Name><Type>6</Type><Period>1</Period><DaysOfWeek>8</DaysOfWeek>"
            "<DayWorking>1</DayWorking><WorkingTimes><WorkingTime><FromTime>09:00:00</FromTime>"
            "<ToTime>12:00:00</ToTime></WorkingTime></WorkingTimes></Exception>"
            "</Exceptions>"
            "<WorkWeeks><WorkWeek><TimePeriod><FromDate>2026-07-06T00:00:00</FromDate>"
            "<ToDate>2026-07-12T23:59:00</ToDate></TimePeriod><Name>Summer</Name><WeekDays>"
            "<WeekDay><DayType>6</DayType><DayWorking>0</DayWorking></WeekDay></WeekDays>"
            "</WorkWeek></WorkWeeks></Calendar></Calendars>"
        )
        p = quiet_reads(START + "<CalendarUID>1</CalendarUID>" + cal + "</Project>")
        c = p.calendar
        assert c.id == "office"
        holidays = {(e.start, e.name) for e in c.exceptions if not e.working_times}
        assert (date(2026, 11, 26), "Thanksgiving") in holidays
        assert (date(2027, 11, 25), "Thanksgiving") in holidays
        assert {d for d, n in holidays if n == "New Year"} == {
            date(2026, 1, 1),
            date(2027, 1, 1),
            date(2028, 1, 1),
        }
        team = [e for e in c.exceptions if e.name == "Team day"]
        assert [e.start for e in team] == [date(2026, 3, 4), date(2026, 3, 11)]  # Wednesdays
        assert c.working_minutes_on(date(2026, 3, 4)) == 180
        assert c.working_minutes_on(date(2026, 7, 10)) == 0  # Friday off in the work week
        assert c.working_minutes_on(date(2026, 7, 9)) == 480

    def test_derived_calendar_inherits_and_overrides(self) -> None:
        """A derived calendar takes its base's week and exceptions and overrides days;
        a resource calendar without changes refers to its base."""
        week = "".join(
            f"<WeekDay><DayType>{d}</DayType><DayWorking>{int(d not in (1, 7))}</DayWorking></WeekDay>"
            for d in range(1, 8)
        )
        cals = (
            "<Calendars>"
            f"<Calendar><UID>1</UID><Name>Standard</Name><IsBaseCalendar>1</IsBaseCalendar><WeekDays>{week}</WeekDays>"
            "<Exceptions><Exception><TimePeriod><FromDate>2026-12-25T00:00:00</FromDate>"
            "<ToDate>2026-12-25T23:59:00</ToDate></TimePeriod><Name>Xmas</Name><Type>1</Type>"
            "<DayWorking>0</DayWorking></Exception></Exceptions></Calendar>"
            "<Calendar><UID>2</UID><Name>Ann</Name><IsBaseCalendar>0</IsBaseCalendar><BaseCalendarUID>1</BaseCalendarUID>"
            "<WeekDays><WeekDay><DayType>6</DayType><DayWorking>0</DayWorking></WeekDay></WeekDays></Calendar>"
            "<Calendar><UID>3</UID><Name>Bob</Name><IsBaseCalendar>0</IsBaseCalendar><BaseCalendarUID>1</BaseCalendarUID></Calendar>"
            "</Calendars>"
        )
        res = (
            "<Resources><Resource><UID>1</UID><Name>Ann</Name><CalendarUID>2</CalendarUID></Resource>"
            "<Resource><UID>2</UID><Name>Bob</Name><CalendarUID>3</CalendarUID></Resource></Resources>"
        )
        p = quiet_reads(START + "<CalendarUID>1</CalendarUID>" + cals + res + "</Project>")
        ann = p.calendar_by_id(p.resources[0].calendar)
        assert p.resources[1].calendar == "standard"
        assert ann.id == "ann" and ann.week[4] == () and ann.week[3] == p.calendar.week[3]
        assert [e.name for e in ann.exceptions] == ["Xmas"]

    def test_summaries_milestones_progress_and_ids_order(self) -> None:
        """Outline levels make the WBS; summaries drop their own duration and progress."""
        text = (
            START
            + "<Tasks><Task><UID>0</UID><Name>Proj</Name><OutlineLevel>0</OutlineLevel></Task>"
            "<Task><UID>5</UID><Name>Phase</Name><OutlineLevel>1</OutlineLevel><Summary>1</Summary>"
            "<Duration>PT16H0M0S</Duration><PercentComplete>50</PercentComplete>"
            "<ActualStart>2026-01-05T08:00:00</ActualStart></Task>"
            "<Task><UID>3</UID><Name>Work</Name><OutlineLevel>2</OutlineLevel><Duration>PT16H0M0S</Duration>"
            "<PercentComplete>50</PercentComplete><ActualStart>2026-01-05T08:00:00</ActualStart>"
            "<RemainingDuration>PT10H0M0S</RemainingDuration><ActualCost>12345</ActualCost></Task>"
            "<Task><UID>4</UID><Name>Done</Name><OutlineLevel>1</OutlineLevel><Milestone>1</Milestone>"
            "<Duration>PT0H0M0S</Duration></Task></Tasks></Project>"
        )
        p = quiet_reads(text)
        assert p.name == "Proj"
        assert [(a.id, a.parent) for a in p.activities] == [("5", None), ("3", "5"), ("4", None)]
        assert p.activity("5").progress is None and p.activity("5").duration == Duration(0)
        progress = p.activity("3").progress
        assert progress is not None
        assert (progress.percent_complete, progress.remaining_duration, progress.actual_cost) == (
            50.0,
            Duration(600),
            123.45,
        )
        assert p.activity("4").milestone

    def test_manual_and_elapsed_tasks_warn(self) -> None:
        """Behaviour the engine does not model is named in a warning."""
        text = (
            START + "<Tasks><Task><UID>1</UID><OutlineLevel>1</OutlineLevel><Manual>1</Manual>"
            "<Duration>PT8H0M0S</Duration></Task>"
            "<Task><UID>2</UID><OutlineLevel>1</OutlineLevel><Duration>PT48H0M0S</Duration>"
            "<DurationFormat>8</DurationFormat><Start>2026-01-09T08:00:00</Start>"
            "<Finish>2026-01-11T08:00:00</Finish></Task></Tasks></Project>"
        )
        with pytest.warns(mspdi.MspdiWarning) as caught:
            p = mspdi.reads(text)
        messages = " | ".join(str(w.message) for w in caught)
        assert "manually scheduled" in messages and "elapsed task durations" in messages
        assert p.activity("2").duration == Duration(480)  # Fri 08:00 -> Sun 08:00: one day


# --------------------------------------------------------------------------- hostile input

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<Project xmlns="http://schemas.microsoft.com/project"><Name>&lol9;</Name></Project>"""


class TestHostileInput:
    """Hostile or broken files get a DocumentError naming the element, and read nothing else."""

    def test_billion_laughs(self) -> None:
        """Entity expansion never happens: the DTD is refused."""
        with pytest.raises(DocumentError, match="DTD"):
            mspdi.reads(BILLION_LAUGHS)

    def test_external_entity(self, tmp_path: Path) -> None:
        """An external entity pointing at a local file is refused, its content never read."""
        secret = tmp_path / "secret.txt"
        secret.write_text("TOP-SECRET")
        doc = (
            f'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file://{secret}">]>'
            '<Project xmlns="http://schemas.microsoft.com/project"><Name>&x;</Name></Project>'
        )
        with pytest.raises(DocumentError) as info:
            mspdi.reads(doc)
        assert "TOP-SECRET" not in str(info.value)
        assert "DTD" in str(info.value)

    def test_parameter_entity_and_external_dtd(self) -> None:
        """An external DTD and parameter entities are refused as well."""
        for doc in (
            '<!DOCTYPE Project SYSTEM "http://example.invalid/x.dtd"><Project/>',
            '<!DOCTYPE p [<!ENTITY % e SYSTEM "http://example.invalid/e">%e;]><Project/>',
        ):
            with pytest.raises(DocumentError, match="DTD"):
                mspdi.reads(doc)

    def test_undeclared_entity(self) -> None:
        """An entity reference without any DTD is a well-formedness error."""
        with pytest.raises(DocumentError, match="not well-formed"):
            mspdi.reads(START + "<Name>&x;</Name></Project>")

    @pytest.mark.parametrize(
        ("body", "where"),
        [
            ("<StatusDate>2026-13-01T08:00:00</StatusDate>", "Project/StatusDate"),
            (
                "<Tasks><Task><UID>1</UID><OutlineLevel>1</OutlineLevel><Deadline>tomorrow</Deadline></Task></Tasks>",
                "Tasks/Task[UID=1]/Deadline",
            ),
            (
                (
                    "<Tasks><Task><UID>1</UID><OutlineLevel>1</OutlineLevel></Task><Task><UID>2</UID>"
                    "<OutlineLevel>1</OutlineLevel><PredecessorLink><PredecessorUID>1</PredecessorUID>"
                    "<Type>9</Type></PredecessorLink></Task></Tasks>"
                ),
                "Tasks/Task[UID=2]/PredecessorLink[1]/Type",
            ),
            (
                (
                    "<Tasks><Task><UID>2</UID><OutlineLevel>1</OutlineLevel><PredecessorLink>"
                    "<PredecessorUID>77</PredecessorUID></PredecessorLink></Task></Tasks>"
                ),
                "Tasks/Task[UID=2]/PredecessorLink[1]/PredecessorUID",
            ),
            (
                "<Tasks><Task><UID>1</UID><OutlineLevel>1</OutlineLevel><CalendarUID>9</CalendarUID></Task></Tasks>",
                "Tasks/Task[UID=1]/CalendarUID",
            ),
            ("<CalendarUID>4</CalendarUID>", "Project/CalendarUID"),
            (
                (
                    "<Calendars><Calendar><UID>2</UID><Name>R</Name><IsBaseCalendar>0</IsBaseCalendar>"
                    "<BaseCalendarUID>8</BaseCalendarUID></Calendar></Calendars><CalendarUID>2</CalendarUID>"
                ),
                "Calendars/Calendar[UID=2]/BaseCalendarUID",
            ),
            (
                "<Tasks><Task><UID>1</UID><OutlineLevel>1</OutlineLevel><Duration>PT99999999999H0M0S</Duration></Task></Tasks>",
                "Tasks/Task[UID=1]/Duration",
            ),
            (
                "<Tasks><Task><UID>1</UID><OutlineLevel>1</OutlineLevel><FixedCost>1e400</FixedCost></Task></Tasks>",
                "Tasks/Task[UID=1]/FixedCost",
            ),
            (
                "<Tasks><Task><UID>1</UID></Task><Task><UID>1</UID></Task></Tasks>",
                "Tasks/Task[UID=1]/UID",
            ),
            (
                "<Tasks><Task><UID>1</UID><OutlineLevel>1</OutlineLevel><ConstraintType>12</ConstraintType></Task></Tasks>",
                "Tasks/Task[UID=1]/ConstraintType",
            ),
            (
                "<Tasks><Task><UID>1</UID><OutlineLevel>1</OutlineLevel></Task><Task><UID>2</UID>"
                "<PredecessorLink><PredecessorUID>1</PredecessorUID><LinkLag>"
                + "9" * 5000
                + "</LinkLag></PredecessorLink></Task></Tasks>",
                "Tasks/Task[UID=2]/PredecessorLink[1]/LinkLag",
            ),
            (
                (
                    "<Calendars><Calendar><UID>1</UID><Name>C</Name><IsBaseCalendar>1</IsBaseCalendar>"
                    "<Exceptions><Exception><EnteredByOccurrences>1</EnteredByOccurrences><TimePeriod>"
                    "<FromDate>2026-01-01T00:00:00</FromDate><ToDate>2026-01-01T00:00:00</ToDate></TimePeriod>"
                    "<Occurrences>99999999</Occurrences><Type>1</Type></Exception></Exceptions></Calendar></Calendars>"
                ),
                "Calendars/Calendar[UID=1]/Exceptions/Exception[1]/Occurrences",
            ),
            (
                "<Assignments><Assignment><UID>1</UID><TaskUID>3</TaskUID><ResourceUID>1</ResourceUID></Assignment></Assignments>",
                "Assignments/Assignment[UID=1]/TaskUID",
            ),
        ],
    )
    def test_bad_values_name_their_element(self, body: str, where: str) -> None:
        """Malformed dates, unknown codes, dangling references and huge numbers."""
        with pytest.raises(DocumentError) as info:
            mspdi.reads(START + body + "</Project>")
        assert where in [p.path for p in info.value.problems], info.value.problems

    @pytest.mark.parametrize(
        "doc",
        ["", "not xml", "<Project>", "<plan/>", "<?xml version='1.0'?>", "\x00\x01"],
    )
    def test_not_mspdi(self, doc: str) -> None:
        """Empty, malformed and foreign documents."""
        with pytest.raises(DocumentError):
            mspdi.reads(doc)

    def test_missing_file(self, tmp_path: Path) -> None:
        """A missing file is a DocumentError with the path."""
        with pytest.raises(DocumentError, match="cannot read"):
            mspdi.read(tmp_path / "nope.xml")

    def test_unknown_encoding(self) -> None:
        """A mangled encoding name in the XML declaration is a DocumentError (found by the
        fuzz test below: expat raised a bare LookupError)."""
        with pytest.raises(DocumentError, match="unknown encoding: xTF-8"):
            quiet_reads(b'<?xml version="1.0" encoding="xTF-8"?><Project/>')

    @settings(max_examples=60)
    @given(st.data())
    def test_fuzzed_files_never_crash(self, data: st.DataObject) -> None:
        """Random corruptions of a real file give a project or a DocumentError, nothing else."""
        raw = bytearray((DATA / "mspdirelations.xml").read_bytes())
        for _ in range(data.draw(st.integers(1, 8))):
            i = data.draw(st.integers(0, len(raw) - 1))
            raw[i] = data.draw(st.sampled_from(b"<>/&;0123456789-x ABT:"))
        with contextlib.suppress(DocumentError):
            quiet_reads(bytes(raw))

    @settings(max_examples=60)
    @given(st.data())
    def test_fuzzed_values_never_crash(self, data: st.DataObject) -> None:
        """Random text in any element of a real file: a project or a DocumentError."""
        root_text = (DATA / "sample.xml").read_text(encoding="utf-8")
        tags = sorted(set(ET.fromstring(root_text.encode()).iter()), key=id)
        names = sorted({t.tag[len(NS) :] for t in tags if t.text and not len(t)})
        tag = data.draw(st.sampled_from(names))
        value = data.draw(st.text(alphabet="0123456789-.:TPHMSx ", max_size=12))
        start = root_text.find(f"<{tag}>")
        end = root_text.find(f"</{tag}>", start)
        mutated = root_text[: start + len(tag) + 2] + value + root_text[end:]
        with contextlib.suppress(DocumentError):
            quiet_reads(mutated)


def test_calendar_exception_names_round_trip() -> None:
    """Holiday names and partial working days survive a write and a read."""
    cal = WorkCalendar.standard().with_exceptions(
        CalendarException(date(2026, 12, 24), date(2026, 12, 26), name="Christmas & Boxing <Day>"),
        CalendarException(date(2026, 12, 31), working_times=["08:00-12:00"], name="NYE"),
    )
    p = Project("P", start=datetime(2026, 1, 5, 8), calendar=cal)
    assert mspdi.reads(mspdi.writes(p)).calendar == cal
