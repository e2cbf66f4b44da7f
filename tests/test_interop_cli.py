"""pmsm convert, pmsm gantt and pmsm schedule on Microsoft Project XML."""

from __future__ import annotations

import json
from pathlib import Path

import attrs
import matplotlib.pyplot as plt
import pytest

from pmsm_core.cli import main
from pmsm_core.examples import example_text
from pmsm_core.io import json as pjson
from pmsm_core.io import mspdi

DATA = Path(__file__).parent / "data" / "mspdi"


@pytest.fixture
def demo_json(tmp_path: Path) -> Path:
    path = tmp_path / "demo.json"
    path.write_text(example_text("service-desk-launch"), encoding="utf-8")
    return path


class TestConvert:
    """pmsm convert IN OUT between JSON documents and MSPDI."""

    def test_json_to_xml_and_back(self, demo_json: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
        """JSON -> MSPDI -> JSON keeps what MSPDI holds and warns about the rest."""
        xml = tmp_path / "demo.xml"
        assert main(["convert", str(demo_json), str(xml)]) == 0
        out, err = capsys.readouterr()
        assert "32 activities, 36 links" in out
        assert "warning: MSPDI has no place for" in err
        back = tmp_path / "back.json"
        assert main(["convert", str(xml), str(back)]) == 0
        original, again = pjson.load(demo_json), pjson.load(back)
        assert [a.id for _, a in original.walk()] == [a.id for a in again.activities]
        assert {(d.predecessor, d.successor, d.type, d.lag) for d in original.dependencies} == {
            (d.predecessor, d.successor, d.type, d.lag) for d in again.dependencies
        }
        # calendar ids come back made from their names; the calendar itself is the same
        assert again.calendar.id == "standard-with-public-holidays"
        assert attrs.evolve(again.calendar, id=original.calendar.id) == original.calendar

    def test_xml_to_json(self, tmp_path: Path) -> None:
        """An MSP-saved file converts to a valid JSON document."""
        out = tmp_path / "links.json"
        assert main(["convert", str(DATA / "task-links-project2019-mspdi.xml"), str(out)]) == 0
        assert json.loads(out.read_text())["project"]["id"] == "task-links-project2019-mspdi"

    def test_bad_output_type(self, demo_json: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
        """An unknown output extension is an error naming the known ones."""
        assert main(["convert", str(demo_json), str(tmp_path / "x.mpp")]) == 1
        assert ".json, .xml" in capsys.readouterr().err

    def test_hostile_input(self, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
        """A file with a DTD is refused with exit status 1."""
        bad = tmp_path / "bad.xml"
        bad.write_text('<!DOCTYPE p [<!ENTITY x "y">]><Project/>')
        assert main(["convert", str(bad), str(tmp_path / "o.json")]) == 1
        assert "DTD" in capsys.readouterr().err


class TestScheduleXml:
    """pmsm schedule and pmsm validate read .xml files."""

    def test_schedule(self, capsys) -> None:  # type: ignore[no-untyped-def]
        """The MSP file's critical chain and finish."""
        assert main(["schedule", str(DATA / "mspdirelations.xml"), "--format", "json"]) == 0
        data = json.loads(capsys.readouterr().out)
        assert data["finish"] == "2006-09-25T17:00"
        assert data["critical_paths"][0] == ["1", "2", "3", "4"]

    def test_validate(self, capsys) -> None:  # type: ignore[no-untyped-def]
        """pmsm validate reports an MSPDI file as a valid project, and what it cannot model."""
        assert main(["validate", str(DATA / "sample.xml")]) == 0
        out, err = capsys.readouterr()
        assert "valid Project 'sample', 19 activities" in out
        assert "pmsm validate: warning: tasks timed by their resources' calendars" in err


class TestGantt:
    """pmsm gantt FILE -o chart.png|svg."""

    def test_png_and_svg(self, demo_json: Path, tmp_path: Path) -> None:
        """Both formats are written and are real images."""
        png, svg = tmp_path / "g.png", tmp_path / "g.svg"
        assert main(["gantt", str(demo_json), "-o", str(png), "--status-date", "2026-02-16"]) == 0
        assert main(["gantt", str(DATA / "sample.xml"), "-o", str(svg), "--links"]) == 0
        pixels = plt.imread(png)
        assert pixels.shape[0] > 400 and pixels.shape[1] > 800
        assert svg.read_text().count("<path") > 20

    def test_errors(self, demo_json: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
        """Wrong extension and malformed status date are clear errors."""
        assert main(["gantt", str(demo_json), "-o", str(tmp_path / "g.txt")]) == 1
        assert (
            main(["gantt", str(demo_json), "-o", str(tmp_path / "g.png"), "--status-date", "x"])
            == 1
        )
        err = capsys.readouterr().err
        assert ".png, .svg or .pdf" in err and "--status-date" in err


def test_mspdi_reader_is_registered() -> None:
    """pmsm_core.io.READERS maps .xml to the MSPDI reader."""
    from pmsm_core.io import READERS

    assert READERS[".xml"] == "pmsm_core.io.mspdi:read"
    assert mspdi.read.__module__ == "pmsm_core.io.mspdi"
