"""The README tells the truth: its Quick start and its code examples work."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).parent.parent / "README.md"


def _blocks(language: str) -> list[str]:
    text = README.read_text(encoding="utf-8")
    return re.findall(rf"```{language}\n(.*?)```", text, flags=re.S)


def test_quick_start_has_two_commands() -> None:
    """Quick start: one command installs and runs the demo, one runs the whole suite."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## Quick start", 1)[1].split("##", 1)[0]
    commands = re.findall(r"```bash\n(.*?)```", section, flags=re.S)[0].strip().splitlines()
    assert len(commands) == 2
    assert commands[0].startswith("pip install .") and "pmsm demo" in commands[0]
    assert "[test]" in commands[1] and "pytest" in commands[1]


def test_ci_runs_the_readme_test_command() -> None:
    """.ci/run runs the same test command as the README."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## Quick start", 1)[1].split("##", 1)[0]
    test_command = re.findall(r"```bash\n(.*?)```", section, flags=re.S)[0].strip().splitlines()[1]
    pytest_part = test_command.split("&&", 1)[1].strip()
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert pytest_part in ci


def test_python_examples_run() -> None:
    """Every python block of the README runs without error."""
    for block in _blocks("python"):
        exec(compile(block, str(README), "exec"), {})
