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
