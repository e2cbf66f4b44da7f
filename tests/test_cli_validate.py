"""pmsm validate: every problem of a document, field errors and broken references alike."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.test_json import BROKEN_DEMO_PROBLEMS, broken_demo

from pmsm_core.cli import main


class TestValidateMixedErrors:
    def test_lists_field_and_reference_errors(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """A bad duration and four broken references: five lines, a count, status 1."""
        path = tmp_path / "broken.json"
        path.write_text(json.dumps(broken_demo()), encoding="utf-8")
        status = main(["validate", str(path)])
        out = capsys.readouterr().out
        assert status == 1
        assert out.splitlines() == [
            *(f"{where}: {message}" for where, message in BROKEN_DEMO_PROBLEMS),
            f"{path}: 5 problems",
        ]

    def test_reference_errors_alone(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """Without the field error the same references are reported, and nothing else."""
        path = tmp_path / "references.json"
        path.write_text(json.dumps(broken_demo(field_error=False)), encoding="utf-8")
        assert main(["validate", str(path)]) == 1
        lines = capsys.readouterr().out.splitlines()
        assert lines == [
            *(f"{where}: {message}" for where, message in BROKEN_DEMO_PROBLEMS[1:]),
            f"{path}: 4 problems",
        ]


class TestValidateCatalogues:
    """Service and process catalogues: field errors do not hide broken references."""

    @staticmethod
    def service_catalogue(*, field_errors: bool) -> dict[str, object]:
        from importlib import resources

        text = (resources.files("pmsm_core.examples") / "service_catalogue.json").read_text()
        data = json.loads(text)
        cat = data["service_catalogue"]
        cat["dependencies"][0]["provider"] = "NOPE"  # an unknown provider
        if field_errors:
            cat["configuration_items"][0]["availability"] = 1.5
            cat["services"][2]["colour"] = "blue"  # an unknown key
        return data

    def test_service_catalogue(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """The mixed report is the field problems, then the reference problems."""
        lines = {}
        for field_errors in (False, True):
            path = tmp_path / f"cat-{field_errors}.json"
            data = self.service_catalogue(field_errors=field_errors)
            path.write_text(json.dumps(data), encoding="utf-8")
            assert main(["validate", str(path)]) == 1
            lines[field_errors] = capsys.readouterr().out.splitlines()[:-1]
        references = lines[False]
        assert any(
            line.startswith("$.service_catalogue.dependencies[0].provider") for line in references
        )
        fields = [x for x in lines[True] if x not in references]
        assert fields == [
            "$.service_catalogue.services[2]: unknown key(s) ['colour']",
            (
                "$.service_catalogue.configuration_items[0].availability: configuration item "
                "'PDU-A': availability must lie in [0, 1] (a fraction, 0.999 for 99.9 %), got 1.5"
            ),
        ]
        assert lines[True] == fields + references

    def test_process_catalogue(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """A process with a bad field and an interface to an unknown process: both."""
        from pmsm_core import dumps, load_catalogue

        data = json.loads(dumps(load_catalogue("itil2011")))
        cat = data["process_catalogue"]
        cat["processes"][0]["kind"] = "ritual"
        cat["interfaces"][0]["source"] = "NOPE"
        path = tmp_path / "itil.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        assert main(["validate", str(path)]) == 1
        out = capsys.readouterr().out
        assert out.splitlines()[:2] == [
            (
                "$.process_catalogue.processes[0].kind: expected one of 'process', 'function', "
                "'practice', 'value-chain-activity', 'performance-domain', got \"ritual\""
            ),
            "$.process_catalogue.interfaces[0].source: unknown process 'NOPE'",
        ]
