"""The pmsm service command and the service side of pmsm demo."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pmsm_core.cli import main
from pmsm_core.examples import example_text


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def catalogue_file(tmp_path: Path) -> str:
    path = tmp_path / "services.json"
    path.write_text(example_text("it-services"), encoding="utf-8")
    return str(path)


class TestImpact:
    def test_table(self, capsys: pytest.CaptureFixture[str], catalogue_file: str) -> None:
        """Failed items, services down and degraded with causes, redundancy groups."""
        status, out, _ = run(capsys, "service", "impact", catalogue_file, "--down", "HV1", "MX2")
        assert status == 0
        assert "Services down: 2, degraded: 4" in out
        assert "MAIL     E-mail               down      HV1, MX2" in out
        assert "MAIL-FARM         1 of 3      2  down" in out

    def test_json(self, capsys: pytest.CaptureFixture[str], catalogue_file: str) -> None:
        """JSON output lists services, items and groups."""
        status, out, _ = run(
            capsys, "service", "impact", catalogue_file, "--down", "SIP", "--format", "json"
        )
        data = json.loads(out)
        assert status == 0
        assert data["failed"] == ["SIP"]
        assert {s["service"]: s["status"] for s in data["services"]} == {
            "SD": "down",
            "TEL": "down",
        }

    def test_explain(self, capsys: pytest.CaptureFixture[str], catalogue_file: str) -> None:
        """--explain answers the reverse question."""
        status, out, _ = run(
            capsys, "service", "impact", catalogue_file, "--down", "SD", "PORTAL", "--explain"
        )
        assert status == 0
        assert "... and takes down nothing else: ITSM" in out
        status, out, _ = run(
            capsys,
            "service",
            "impact",
            catalogue_file,
            "--down",
            "SD",
            "PORTAL",
            "--explain",
            "--format",
            "json",
        )
        assert json.loads(out)["consistent"] == ["ITSM"]

    def test_unknown_id(self, capsys: pytest.CaptureFixture[str], catalogue_file: str) -> None:
        """Unknown ids: status 1 and a message naming them."""
        status, _, err = run(capsys, "service", "impact", catalogue_file, "--down", "NOPE")
        assert status == 1 and "unknown service or configuration item 'NOPE'" in err

    def test_not_a_catalogue(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """A project document is refused with a clear message."""
        path = tmp_path / "p.json"
        path.write_text(example_text("service-desk-launch"), encoding="utf-8")
        status, _, err = run(capsys, "service", "sla", str(path))
        assert status == 1 and "expected a service catalogue document, got a Project" in err

    def test_missing_sub_command(self, capsys: pytest.CaptureFixture[str]) -> None:
        """pmsm service without a sub-command is a usage error."""
        with pytest.raises(SystemExit) as exc:
            main(["service"])
        assert exc.value.code == 2


class TestAvailability:
    def test_table(self, capsys: pytest.CaptureFixture[str], catalogue_file: str) -> None:
        """Modelled availability, method, target and measured figures per service."""
        status, out, _ = run(capsys, "service", "availability", catalogue_file)
        assert status == 0
        assert "Measured from 2026-03-01 to 2026-06-01" in out
        tel = next(line for line in out.splitlines() if line.startswith("TEL "))
        assert "99.950 %" in tel and "series-parallel" in tel and "NO" in tel

    def test_json_and_window(self, capsys: pytest.CaptureFixture[str], catalogue_file: str) -> None:
        """JSON output with an explicit window and method."""
        status, out, _ = run(
            capsys,
            "service",
            "availability",
            catalogue_file,
            "--from",
            "2026-04-01",
            "--to",
            "2026-05-01",
            "--method",
            "monte-carlo",
            "--samples",
            "5000",
            "--format",
            "json",
        )
        data = {s["service"]: s for s in json.loads(out)["services"]}
        assert status == 0
        itsm = data["ITSM"]
        assert itsm["method"] == "monte-carlo" and len(itsm["interval"]) == 2
        assert itsm["breaks"] == 1 and itsm["downtime"] == 90
        assert itsm["window"] == ["2026-04-01T00:00", "2026-05-01T00:00"]

    def test_bad_window(self, capsys: pytest.CaptureFixture[str], catalogue_file: str) -> None:
        """A reversed window is an error; a malformed date a usage error."""
        status, _, err = run(
            capsys,
            "service",
            "availability",
            catalogue_file,
            "--from",
            "2026-05-01",
            "--to",
            "2026-04-01",
        )
        assert status == 1 and "must come after" in err
        with pytest.raises(SystemExit):
            main(["service", "availability", catalogue_file, "--from", "May"])


class TestSla:
    def test_table(self, capsys: pytest.CaptureFixture[str], catalogue_file: str) -> None:
        """Compliance per agreement, target and month, with goals."""
        status, out, _ = run(capsys, "service", "sla", catalogue_file)
        assert status == 0
        assert "SLA clocks as of Fri 2026-05-29 17:00" in out
        assert any(
            line.startswith("SLA-DESK   resolution P1 4h   2026-04-01") and "NO" in line
            for line in out.splitlines()
        )

    def test_clocks_json(self, capsys: pytest.CaptureFixture[str], catalogue_file: str) -> None:
        """--clocks adds every clock; --as-of moves the reporting instant."""
        status, out, _ = run(
            capsys,
            "service",
            "sla",
            catalogue_file,
            "--clocks",
            "--as-of",
            "2026-03-09T12:00",
            "--period",
            "week",
            "--format",
            "json",
        )
        data = json.loads(out)
        assert status == 0 and data["as_of"] == "2026-03-09T12:00"
        inc = next(
            c for c in data["clocks"] if c["ticket"] == "INC-1001" and c["metric"] == "resolution"
        )
        assert inc["elapsed"] == 210 and inc["outcome"] == "met"
        assert all(row["period"] in ("2026-03-02", "2026-03-09") for row in data["compliance"])

    def test_clocks_table(self, capsys: pytest.CaptureFixture[str], catalogue_file: str) -> None:
        """The clock listing shows elapsed business time and the outcome."""
        status, out, _ = run(capsys, "service", "sla", catalogue_file, "--clocks")
        assert status == 0
        line = next(
            line for line in out.splitlines() if line.startswith("INC-1001  SLA-DESK   resolution")
        )
        assert "3:30" in line and "met" in line

    def test_bad_instant(self, capsys: pytest.CaptureFixture[str], catalogue_file: str) -> None:
        """A malformed --as-of is a usage error."""
        with pytest.raises(SystemExit):
            main(["service", "sla", catalogue_file, "--as-of", "yesterday"])


def test_demo_shows_the_service_side(capsys: pytest.CaptureFixture[str]) -> None:
    """pmsm demo ends with the service catalogue overview."""
    status, out, _ = run(capsys, "demo")
    assert status == 0
    assert "IT services after the service desk launch (IT-SERVICES)" in out
    assert "Single points of failure" in out
    assert "SLA compliance by month" in out


def test_start_up_stays_light() -> None:
    """Building the parser with the service command loads no numpy or networkx."""
    code = (
        "import sys; from pmsm_core.cli import build_parser; build_parser(); "
        "print(sorted(m for m in ('numpy', 'networkx', 'cattrs', 'attrs') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
