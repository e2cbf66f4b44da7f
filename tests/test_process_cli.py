"""The pmsm catalog and pmsm flow commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import pmsm_core as pm
from pmsm_core.cli import main
from pmsm_core.processes.catalog import load_catalogue, tailor_catalogue


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


class TestCatalog:
    def test_table(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The table lists every element and the counts per stage."""
        status, out, _ = run(capsys, "catalog", "itil2011")
        assert status == 0
        assert "SO2   Incident management" in out
        assert "Total: 30 elements" in out and "Interfaces: 66 (paraphrase 66)" in out
        assert "Service Design                 process       8" in out

    def test_knowledge_areas_and_principles(self, capsys: pytest.CaptureFixture[str]) -> None:
        """PMBOK 6 shows knowledge areas; PMBOK 7 lists its principles."""
        _, out, _ = run(capsys, "catalog", "pmbok6")
        assert "Project Schedule Management" in out and "Total: 49 elements" in out
        _, out, _ = run(capsys, "catalog", "pmbok7")
        assert "PR11  Adaptability and resiliency" in out

    def test_json_reads_back(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """--format json prints the catalogue document; pmsm catalog FILE reads it back."""
        _, out, _ = run(capsys, "catalog", "itil4", "--format", "json")
        assert pm.loads(out) == load_catalogue("itil4")
        path = tmp_path / "itil4.json"
        path.write_text(out)
        status, out, _ = run(capsys, "catalog", str(path))
        assert status == 0 and "Total: 40 elements" in out

    def test_mermaid_and_dot(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Mermaid and DOT renderings of the flow."""
        _, out, _ = run(capsys, "catalog", "pmbok7", "--format", "mermaid")
        assert out.startswith("flowchart LR") and '-->|"plans and baselines"|' in out
        _, out, _ = run(capsys, "catalog", "pmbok7", "--format", "dot")
        assert out.startswith('digraph "pmbok7"')

    def test_unknown(self, capsys: pytest.CaptureFixture[str]) -> None:
        """An unknown catalogue is an error with status 1."""
        status, _, err = run(capsys, "catalog", "itil3")
        assert status == 1 and "unknown catalogue 'itil3'" in err

    def test_invalid_file(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """Problems in a user catalogue are reported with their JSON paths."""
        path = tmp_path / "bad.json"
        path.write_text(json.dumps({"schema_version": 1, "process_catalogue": {"id": 3}}))
        status, _, err = run(capsys, "catalog", str(path))
        assert status == 1 and "$.process_catalogue.id: expected a string" in err


class TestFlow:
    def test_report(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The report shows gaps, loops, cross-group hand-offs, bottlenecks, the critical path."""
        status, out, _ = run(capsys, "flow", "pmbok6")
        assert status == 0
        assert "49 processes, 202 hand-offs" in out
        assert "Inputs nobody produces: none" in out
        assert "Feedback loops: 1" in out
        assert "Initiating                  Planning                           20" in out
        assert "4.2      Develop Project Management Plan" in out
        assert "Critical path: 36 processes" in out

    def test_user_catalogue_with_gaps_and_loads(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """A tailored catalogue shows its gaps, Little's law and arrival overrides."""
        ops = tailor_catalogue(
            load_catalogue("itil2011"),
            keep=["SO2", "SO4", "ST7"],
            changes={
                "SO2": {"cycle_time": pm.Duration.from_hours(2), "capacity": 4},
                "SO4": {"cycle_time": pm.Duration.from_days(2)},
            },
            id="ops",
        )
        path = tmp_path / "ops.json"
        pm.dump(ops, path)
        status, out, _ = run(capsys, "flow", str(path), "--arrival", "SO2=3", "--top", "2")
        assert status == 0
        assert "SO2: 'exception event'" in out  # its producer, event management, was left out
        assert "Little's law" in out and "Total work in progress: 6.00" in out
        assert "overloaded" in out  # 3/h x 2h = 6 items for a capacity of 4

    def test_what_if_and_paths(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--remove reports what breaks; --paths lists routes."""
        status, out, _ = run(
            capsys,
            "flow",
            "itil2011",
            "--remove",
            "ST2",
            "--remove",
            "I17",
            "--paths",
            "SO1",
            "ST7",
        )
        assert status == 0
        assert "What if these are removed: ST2, I17" in out
        assert "ST4: 'authorised change'" in out and "ST1: 'service design package'" in out
        assert "Something breaks." in out
        assert "  SO1 -> SO4 -> ST7" in out

    def test_json(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--format json prints the analysis, the what-if and the routes."""
        _, out, _ = run(
            capsys,
            "flow",
            "itil2011",
            "--format",
            "json",
            "--remove",
            "SO4",
            "--paths",
            "SO1",
            "ST2",
        )
        data = json.loads(out)
        assert data["analysis"]["processes"] == 30
        assert data["what_if"]["removed_processes"] == ["SO4"]
        assert data["paths"][0] == ["SO1", "ST2"]

    def test_bad_arguments(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Unknown ids are errors (status 1); a malformed rate is a usage error (status 2)."""
        status, _, err = run(capsys, "flow", "itil2011", "--remove", "XX")
        assert status == 1 and "'XX' is neither a process nor an interface" in err
        status, _, err = run(
            capsys, "flow", "itil2011", "--arrival", "SO2=9", "--paths", "SO1", "Q"
        )
        assert status == 1 and "unknown process 'Q'" in err
        status, _, err = run(capsys, "flow", "itil2011", "--arrival", "ZZ=1")
        assert status == 1 and "unknown process 'ZZ'" in err
        with pytest.raises(SystemExit) as exc:
            main(["flow", "itil2011", "--arrival", "SO2=fast"])
        assert exc.value.code == 2
        status, _, err = run(capsys, "flow", "itil2011", "--top", "-1")
        assert status == 1 and "--top must be >= 0" in err


def test_validate_reads_catalogues(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """pmsm validate understands catalogue documents and lists their problems."""
    path = tmp_path / "p7.json"
    pm.dump(load_catalogue("pmbok7"), path)
    status, out, _ = run(capsys, "validate", str(path))
    assert status == 0 and "valid Catalogue 'pmbok7', 8 processes" in out
    data = json.loads(path.read_text())
    data["process_catalogue"]["interfaces"][0]["target"] = "PD99"
    path.write_text(json.dumps(data))
    status, out, _ = run(capsys, "validate", str(path))
    assert status == 1
    assert "$.process_catalogue.interfaces[0].target: unknown process 'PD99'" in out
