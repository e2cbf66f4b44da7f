"""pmsm status: the variance and earned-value report, as a table and as JSON."""

from __future__ import annotations

import json
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from pmsm_core import compare_with_baseline, earned_value, schedule
from pmsm_core.cli import main
from pmsm_core.examples import example_text, load_example
from pmsm_core.io import mspdi


@pytest.fixture
def intranet(tmp_path: Path) -> Path:
    path = tmp_path / "intranet.json"
    path.write_text(example_text("intranet-status"), encoding="utf-8")
    return path


def test_table(intranet: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The table shows the finish variance, slipping activities, every EV figure, earned
    schedule and the budget verdict of the example."""
    assert main(["status", str(intranet)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(
        "Intranet upgrade (status example): status at Mon 2026-03-16 17:00 against baseline 0 "
        "(Approved plan)"
    )
    assert "finish    Mon 2026-04-06 17:00  Wed 2026-04-01 17:00       +3d" in out
    for line in [
        "BAC              budget at completion              26,980.00",
        "PV               planned value                     10,790.00",
        "EV               earned value                       6,393.00",
        "AC               actual cost                        8,780.00",
        "SPI              EV / PV                               0.592",
        "EAC cpi          BAC / CPI                         37,053.72",
        "SPI(t)   ES / AT                          0.695",
    ]:
        assert line in out
    assert "Budget 36,000.00: EAC 37,053.72 exceeds it by 1,053.72." in out
    slipping = out.split("Slipping activities", 1)[1].split("Earned value", 1)[0]
    assert [row.split()[0] for row in slipping.strip().splitlines()[2:]] == list("BCEMD")


def test_json_has_the_figures_of_the_api(
    intranet: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """JSON carries the same figures as the library computes."""
    assert main(["status", str(intranet), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    project = load_example("intranet-status")
    ev = earned_value(project)
    c = compare_with_baseline(project, schedule(project))
    assert data["earned_value"] == json.loads(json.dumps(ev.to_dict()))
    assert data["schedule"]["finish_variance"] == c.finish_variance == 3 * 480
    assert data["slipping"] == ["B", "C", "E", "M", "D"]
    assert data["status_date"] == "2026-03-16T17:00"


def test_options(intranet: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--status-date, --eac and --periods change the measurement."""
    assert (
        main(
            [
                "status",
                str(intranet),
                "--status-date",
                "2026-03-20T17:00",
                "--eac",
                "bottom-up",
                "--periods",
                "day",
                "--format",
                "json",
            ]
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out)["earned_value"]
    assert data["status_date"] == "2026-03-20T17:00"
    assert data["eac_method"] == "bottom-up" and data["earned_schedule"]["period"] == "day"
    assert data["eac"] == data["estimates"]["bottom-up"]


def test_errors(intranet: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A missing baseline, an actual after the status date and a bad date are errors."""
    assert main(["status", str(intranet), "--baseline", "4"]) == 1
    assert "has no baseline 4 (it has 0)" in capsys.readouterr().err
    assert main(["status", str(intranet), "--status-date", "2026-03-12T17:00"]) == 1
    err = capsys.readouterr().err
    assert "actual start 2026-03-13 08:00 is after the status date 2026-03-12 17:00" in err
    assert main(["status", str(intranet), "--status-date", "soon"]) == 1
    assert "--status-date: expected an ISO date" in capsys.readouterr().err


def test_microsoft_project_xml(
    intranet: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same project written as MSPDI (baseline, actuals, status date) reports the same
    earned value."""
    xml = tmp_path / "intranet.xml"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mspdi.write(load_example("intranet-status"), xml)
    assert main(["status", str(xml), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)["earned_value"]
    ev = earned_value(load_example("intranet-status"))
    assert data["bac"] == pytest.approx(ev.bac)
    assert (data["pv"], data["ev"], data["ac"]) == pytest.approx((ev.pv, ev.ev, ev.ac))


def test_starts_fast() -> None:
    """pmsm status --help imports no numpy (the command starts quickly)."""
    code = (
        "import sys; from pmsm_core.cli import main\n"
        "try: main(['status', '--help'])\nexcept SystemExit: pass\n"
        "print('numpy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().endswith("False")
