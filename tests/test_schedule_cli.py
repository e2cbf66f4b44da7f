"""pmsm schedule: CSV, table, --critical-threshold, PSPLIB files; pmsm demo's schedule."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from pmsm_core import Project, Schedule, ScheduleOptions, schedule
from pmsm_core.cli import main
from pmsm_core.examples import demo_project, example_text
from pmsm_core.io import read
from pmsm_core.io.psplib import read_sm

J30 = Path(__file__).parent / "data" / "psplib" / "j30"
J301 = J30 / "j301_1.sm"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def when(value: datetime | int) -> str:
    """How the table prints a time (written out here, not imported from the CLI)."""
    return value.strftime("%a %Y-%m-%d %H:%M") if isinstance(value, datetime) else str(value)


def iso(value: datetime | int) -> str:
    return value.isoformat(timespec="minutes") if isinstance(value, datetime) else str(value)


@pytest.fixture
def demo_file(tmp_path: Path) -> Path:
    """The demo project (dated, with summaries and negative float) as a JSON file."""
    path = tmp_path / "demo.json"
    path.write_text(example_text("service-desk-launch"), encoding="utf-8")
    return path


def project_of(path: Path) -> Project:
    project = read(path)
    assert isinstance(project, Project)
    return project


class TestCsv:
    """pmsm schedule --format csv."""

    @pytest.mark.parametrize("source", ["demo", "psplib"])
    def test_one_row_per_activity_with_the_schedule_values(
        self, capsys: pytest.CaptureFixture[str], demo_file: Path, source: str
    ) -> None:
        """One CSV row per activity, in project order, with the dates, floats and critical
        flag that schedule() gives for the same project."""
        path = demo_file if source == "demo" else J301
        status, out, err = run(capsys, "schedule", str(path), "--format", "csv")
        assert status == 0 and err == ""
        rows = list(csv.DictReader(io.StringIO(out)))
        s = schedule(project_of(path))
        assert [r["id"] for r in rows] == [a.id for a in s]
        assert len(rows) == len(project_of(path).activities)
        for row in rows:
            a = s[row["id"]]
            assert row["name"] == a.name
            for field in ("early_start", "early_finish", "late_start", "late_finish"):
                assert row[field] == iso(getattr(a, field)), (a.id, field)
            for field in ("start_slack", "finish_slack", "total_float", "free_float"):
                assert int(row[field]) == getattr(a, field), (a.id, field)
            assert row["critical"] == str(a.critical), a.id

    def test_dated_times_parse_back(
        self, capsys: pytest.CaptureFixture[str], demo_file: Path
    ) -> None:
        """Dated projects: CSV times are ISO date-times that parse back to schedule()'s."""
        _, out, _ = run(capsys, "schedule", str(demo_file), "--format", "csv")
        s = schedule(project_of(demo_file))
        for row in csv.DictReader(io.StringIO(out)):
            a = s[row["id"]]
            assert datetime.fromisoformat(row["early_start"]) == a.early_start
            assert datetime.fromisoformat(row["late_finish"]) == a.late_finish


class TestTable:
    """pmsm schedule (the default table)."""

    def test_finish_and_critical_paths(
        self, capsys: pytest.CaptureFixture[str], demo_file: Path
    ) -> None:
        """The first line names start and finish; each critical path is listed by its ids."""
        status, out, _ = run(capsys, "schedule", str(demo_file))
        assert status == 0
        s = schedule(project_of(demo_file))
        lines = out.splitlines()
        assert lines[0].endswith(f": {when(s.start)} -> {when(s.finish)}")
        assert when(s.finish) == "Mon 2026-03-30 17:00"
        assert len(s.critical_paths) == 2
        for i, path in enumerate(s.critical_paths, 1):
            assert f"Critical path {i}: {' -> '.join(path)}" in lines

    def test_crit_column_marks_exactly_the_critical_activities(
        self, capsys: pytest.CaptureFixture[str], demo_file: Path
    ) -> None:
        """The crit column has a * on the rows of schedule()'s critical activities only."""
        _, out, _ = run(capsys, "schedule", str(demo_file))
        s = schedule(project_of(demo_file))
        lines = out.splitlines()
        header = next(i for i, line in enumerate(lines) if line.startswith("id "))
        column = lines[header].index("crit")
        marked = set()
        for line in lines[header + 2 : header + 2 + len(s)]:
            if line[column : column + 1] == "*":
                marked.add(line.split()[0])
        assert marked == set(s.critical) and marked

    def test_undated_finish_and_path(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Undated projects: the finish is a plain number and the critical path is listed."""
        _, out, _ = run(capsys, "schedule", str(J301))
        s = schedule(project_of(J301))
        assert out.splitlines()[0] == f"j301_1: 0 -> {s.finish}"
        assert f"Critical path: {' -> '.join(s.critical_paths[0])}" in out.splitlines()


class TestCriticalThreshold:
    """--critical-threshold X: activities with total float <= X are critical."""

    @staticmethod
    def critical_from_cli(capsys: pytest.CaptureFixture[str], path: Path, *extra: str) -> set[str]:
        status, out, err = run(capsys, "schedule", str(path), "--format", "json", *extra)
        assert status == 0 and err == ""
        return {a["id"] for a in json.loads(out)["activities"] if a["critical"]}

    def test_days_and_plain_minutes_agree_with_schedule_options(
        self, capsys: pytest.CaptureFixture[str], demo_file: Path
    ) -> None:
        """Dated: 2d and 960 (minutes) give schedule(critical_threshold=960)'s critical set,
        which is larger than the default one."""
        project = project_of(demo_file)
        want = set(schedule(project, options=ScheduleOptions(critical_threshold=960)).critical)
        default = set(schedule(project).critical)
        assert default < want  # the threshold makes a difference on this project
        assert self.critical_from_cli(capsys, demo_file, "--critical-threshold", "2d") == want
        assert self.critical_from_cli(capsys, demo_file, "--critical-threshold", "960") == want
        assert self.critical_from_cli(capsys, demo_file) == default

    def test_hours_threshold(self, capsys: pytest.CaptureFixture[str], demo_file: Path) -> None:
        """Dated: 8h is one working day (480 minutes)."""
        project = project_of(demo_file)
        want = set(schedule(project, options=ScheduleOptions(critical_threshold=480)).critical)
        assert "E2" in want  # total float 1d
        assert self.critical_from_cli(capsys, demo_file, "--critical-threshold", "8h") == want

    def test_undated_threshold_in_units(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Undated: the threshold is in plain units."""
        project = project_of(J301)
        want = set(schedule(project, options=ScheduleOptions(critical_threshold=7)).critical)
        assert set(schedule(project).critical) < want
        assert self.critical_from_cli(capsys, J301, "--critical-threshold", "7") == want

    @pytest.mark.parametrize("value", ["abc", "2x", "1.5"])
    @pytest.mark.parametrize("source", ["demo", "psplib"])
    def test_bad_value_is_a_clear_error(
        self, capsys: pytest.CaptureFixture[str], demo_file: Path, source: str, value: str
    ) -> None:
        """A value that is not a duration (dated) or a whole number (undated): status 1 and a
        message naming the option and the value, nothing on standard output."""
        if source == "demo" and value == "1.5":
            value = "1.5x"  # 1.5 is a valid number of minutes for a dated project
        path = demo_file if source == "demo" else J301
        status, out, err = run(capsys, "schedule", str(path), "--critical-threshold", value)
        assert status == 1 and out == ""
        assert err.startswith("pmsm schedule: error: --critical-threshold:")
        assert repr(value) in err

    def test_bad_value_from_the_shell_has_no_traceback(self) -> None:
        """Run as a program: exit status 1, one error line, no traceback."""
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "pmsm_core",
                "schedule",
                str(J301),
                "--critical-threshold",
                "abc",
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 1 and done.stdout == ""
        assert "Traceback" not in done.stderr
        message = (
            "pmsm schedule: error: --critical-threshold: expected a duration such as 1d "
            "(or units), got 'abc'"
        )
        assert done.stderr.strip().splitlines() == [message]


class TestPsplib:
    """pmsm schedule reads PSPLIB .sm files; the finish is the file's MPM-Time."""

    @pytest.mark.parametrize("name", ["j301_1.sm", "j3013_1.sm", "j3048_10.sm"])
    def test_finish_is_mpm_time(self, capsys: pytest.CaptureFixture[str], name: str) -> None:
        """The JSON finish equals the MPM-Time printed in the file, and the first critical
        path's durations add up to it."""
        path = J30 / name
        project, info = read_sm(path)
        status, out, err = run(capsys, "schedule", str(path), "--format", "json")
        assert status == 0 and err == ""
        data = json.loads(out)
        assert data["start"] == 0 and data["finish"] == info.mpm_time
        first = data["critical_paths"][0]
        assert sum(project.activity(i).duration.minutes for i in first) == info.mpm_time

    def test_j301_1_by_hand(self, capsys: pytest.CaptureFixture[str]) -> None:
        """j301_1.sm: MPM-Time 38, as printed in the file (and in test_psplib)."""
        _, out, _ = run(capsys, "schedule", str(J301), "--format", "json")
        assert json.loads(out)["finish"] == 38


class TestDemo:
    """pmsm demo prints the demo project's schedule."""

    def test_shows_finish_and_critical_paths(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The schedule part names the finish and lists every critical path by its ids."""
        status, out, _ = run(capsys, "demo")
        assert status == 0
        project = demo_project()
        s: Schedule = schedule(project)
        lines = out.splitlines()
        assert f"{project.name}: {when(s.start)} -> {when(s.finish)}" in lines
        assert "-> Mon 2026-03-30 17:00" in out
        assert s.critical_paths
        for i, path in enumerate(s.critical_paths[:3], 1):
            label = "Critical path" if len(s.critical_paths) == 1 else f"Critical path {i}"
            assert f"{label}: {' -> '.join(path)}" in lines
