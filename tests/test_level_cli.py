"""pmsm level: table, JSON with the schedule's fields, progress on standard error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pmsm_core import dumps
from pmsm_core.cli import level as level_cli
from pmsm_core.cli import main

from .test_levelling import office

J301 = str(Path(__file__).parent / "data" / "psplib" / "j30" / "j301_1.sm")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


class TestLevelCommand:
    def test_table(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The table names the finish before and after and why each activity moved."""
        status, out, err = run(capsys, "level", J301, "--schedules", "200")
        assert status == 0 and err == ""
        first = out.splitlines()[0]
        assert first.startswith("j301_1: finish 38 -> ") and "200 schedules" in first
        assert "Over-allocations: 5 before levelling, 0 after" in out
        assert "waits" in out and "behind its predecessors" in out

    def test_json_has_the_schedule_fields(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """JSON: the fields of pmsm schedule, finish the levelled finish, plus delay."""
        path = tmp_path / "office.json"
        path.write_text(dumps(office()))
        _, plain, _ = run(capsys, "schedule", str(path), "--format", "json")
        status, out, _ = run(capsys, "level", str(path), "--format", "json", "--seed", "3")
        assert status == 0
        data, cpm = json.loads(out), json.loads(plain)
        assert set(cpm) <= set(data)
        assert set(data["activities"][0]) == set(cpm["activities"][0]) | {"delay", "explanation"}
        assert data["finish"] == "2026-03-10T12:00" and data["cpm_finish"] == cpm["finish"]
        delays = {a["id"]: a["delay"] for a in data["activities"]}
        assert delays["A"] == 720 and delays["B"] == 0

    def test_progress_bar_on_stderr(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """--progress draws the bar on standard error only, never on standard output."""
        monkeypatch.setattr(level_cli, "PROGRESS_AFTER", 0.0)
        status, out, err = run(capsys, "level", J301, "--schedules", "300", "--progress")
        assert status == 0
        assert "levelling [" in err and "300/300 schedules" in err and err.endswith("\n")
        assert "levelling [" not in out

    def test_no_bar_when_not_a_terminal(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Without --progress and with stderr not a terminal, nothing is drawn."""
        _, _, err = run(capsys, "level", J301, "--schedules", "50")
        assert err == ""

    def test_within_float_and_cp_sat(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--within-float keeps the CPM finish; --method cp-sat reports an optimum."""
        _, out, _ = run(capsys, "level", J301, "--within-float", "--schedules", "50")
        assert "finish 38 -> 38" in out and "Still over capacity" in out
        _, out, _ = run(capsys, "level", J301, "--method", "cp-sat", "--time-limit", "20")
        assert "finish 38 -> 43" in out and "CP-SAT (optimal)" in out

    def test_errors(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """Bad arguments and impossible assignments are errors with status 1."""
        status, _, err = run(capsys, "level", J301, "--schedules", "0")
        assert status == 1 and "schedules must be a whole number >= 1" in err
        bad = tmp_path / "bad.rcp"
        bad.write_text("1 1\n1\n3 2 0\n")
        status, _, err = run(capsys, "level", str(bad))
        assert status == 1 and "asks for 2 units of resource 'R1'" in err
