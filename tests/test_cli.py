"""The pmsm command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pmsm_core import __version__
from pmsm_core.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


class TestBasics:
    def test_version(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--version prints the package version."""
        with pytest.raises(SystemExit) as exc:
            main(["--version"])
        assert exc.value.code == 0
        assert __version__ in capsys.readouterr().out

    def test_no_command_shows_help(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Without a command, help is printed and the status is 2."""
        status, out, _ = run(capsys)
        assert status == 2 and "COMMAND" in out

    def test_python_dash_m(self) -> None:
        """python -m pmsm_core runs the same command."""
        done = subprocess.run(
            [sys.executable, "-m", "pmsm_core", "--version"],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0 and __version__ in done.stdout

    def test_startup_imports_nothing_heavy(self) -> None:
        """Starting pmsm loads neither numpy, networkx, cattrs nor attrs."""
        code = (
            "import sys; from pmsm_core.cli import build_parser; build_parser(); "
            "print(sorted(m for m in ('numpy', 'networkx', 'cattrs', 'attrs', 'attr') "
            "if m in sys.modules))"
        )
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        assert done.stdout.strip() == "[]"


class TestDemo:
    def test_demo_report(self, capsys: pytest.CaptureFixture[str]) -> None:
        """pmsm demo shows the project, its WBS, risks and stakeholders."""
        status, out, _ = run(capsys, "demo")
        assert status == 0
        assert "Launch of the customer-support service desk" in out
        assert "Procure ITSM tool licences" in out
        assert "communication channels n(n-1)/2 = 15" in out

    def test_demo_json(self, capsys: pytest.CaptureFixture[str]) -> None:
        """pmsm demo --json prints a valid project document."""
        status, out, _ = run(capsys, "demo", "--json")
        assert status == 0 and json.loads(out)["project"]["id"] == "SDL"


class TestValidate:
    def test_valid(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """A valid document: status 0 and a one-line summary."""
        path = tmp_path / "p.json"
        main(["demo", "--json"])
        path.write_text(capsys.readouterr().out)
        status, out, _ = run(capsys, "validate", str(path))
        assert status == 0 and "valid Project 'SDL', 32 activities, 36 dependencies" in out

    def test_invalid_lists_every_problem(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """An invalid document: one line per problem with its path, status 1."""
        path = tmp_path / "bad.json"
        path.write_text(
            json.dumps(
                {
                    "schema_version": 1,
                    "project": {
                        "id": "P",
                        "activities": [
                            {"id": "A", "duration": "-1d"},
                            {"id": "B", "milestone": "yes"},
                        ],
                    },
                }
            )
        )
        status, out, _ = run(capsys, "validate", str(path))
        assert status == 1
        lines = out.splitlines()
        assert lines[0].startswith("$.project.activities[0].duration:")
        assert lines[1].startswith("$.project.activities[1].milestone:")
        assert lines[-1].endswith("2 problems")

    def test_unknown_extension(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """An unsupported file type is reported, status 1."""
        path = tmp_path / "plan.docx"
        path.write_text("x")
        status, out, _ = run(capsys, "validate", str(path))
        assert status == 1 and "unknown file type" in out
