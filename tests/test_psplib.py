"""PSPLIB .sm and Patterson .rcp readers: every j30 file, by hand, both formats agree."""

from __future__ import annotations

from pathlib import Path

import pytest

from pmsm_core import DocumentError, Project, ResourceKind, level, read
from pmsm_core.io.psplib import read_rcp, read_sm, reads_rcp, reads_sm

J30 = Path(__file__).parent / "data" / "psplib" / "j30"

SM = """jobs (incl. supersource/sink ):  4
horizon                       :  9
RESOURCES
  - renewable                 :  1   R
  - nonrenewable              :  1   N
  - doubly constrained        :  0   D
************************************************************************
PRECEDENCE RELATIONS:
jobnr.    #modes  #successors   successors
   1        1          2           2   3
   2        1          1           4
   3        1          1           4
   4        1          0
************************************************************************
REQUESTS/DURATIONS:
jobnr. mode duration  R 1  N 1
------------------------------------------------------------------------
  1      1     0       0    0
  2      1     4       2    5
  3      1     3       2    1
  4      1     0       0    0
************************************************************************
RESOURCEAVAILABILITIES:
  R 1  N 1
    3    9
************************************************************************
"""


def to_rcp(project: Project) -> str:
    """Write a single-mode project in Patterson's format (the test's own writer)."""
    work = [r for r in project.resources if r.kind is ResourceKind.WORK]
    lines = [f"{len(project.activities)} {len(work)}", " ".join(f"{r.capacity:g}" for r in work)]
    index = {a.id: i + 1 for i, a in enumerate(project.activities)}
    for a in project.activities:
        units = {x.resource: x.units for x in a.assignments}
        succ = [index[s] for s in project.successors(a.id)]
        row = [a.duration.minutes, *(int(units.get(r.id, 0)) for r in work), len(succ), *succ]
        lines.append(" ".join(str(v) for v in row))
    return "\n".join(lines) + "\n"


class TestSm:
    def test_every_j30_file(self) -> None:
        """480 files: 32 jobs, dummies of zero length, 4 work resources, jobs numbered in
        topological order, every demand within its capacity."""
        files = sorted(J30.glob("*.sm"))
        assert len(files) == 480
        for path in files:
            project, info = read_sm(path)
            assert len(project.activities) == 32, path.name
            assert project.activities[0].duration.minutes == 0
            assert project.activities[-1].duration.minutes == 0
            assert [r.id for r in project.resources] == ["R1", "R2", "R3", "R4"]
            assert all(r.kind is ResourceKind.WORK for r in project.resources)
            caps = {r.id: r.capacity for r in project.resources}
            for a in project.activities:
                assert all(0 < x.units <= caps[x.resource] for x in a.assignments), path.name
            for dep in project.dependencies:
                assert int(dep.predecessor) < int(dep.successor), path.name
            assert info.horizon == sum(a.duration.minutes for a in project.activities)

    def test_j301_1_by_hand(self) -> None:
        """The numbers of j301_1.sm as printed in the file."""
        project, info = read_sm(J30 / "j301_1.sm")
        assert (info.horizon, info.mpm_time, info.due_date) == (158, 38, 38)
        assert [r.capacity for r in project.resources] == [12, 13, 4, 12]
        job2 = project.activity("2")
        assert job2.duration.minutes == 8
        assert [(x.resource, x.units) for x in job2.assignments] == [("R1", 4.0)]
        assert project.successors("1") == ("2", "3", "4")
        assert project.successors("32") == ()

    def test_nonrenewable_resources_are_material(self) -> None:
        """A nonrenewable resource becomes a material resource; levelling ignores it."""
        project, _ = reads_sm(SM)
        assert [(r.id, r.kind, r.capacity) for r in project.resources] == [
            ("R1", ResourceKind.WORK, 3.0),
            ("N1", ResourceKind.MATERIAL, 9.0),
        ]
        assert [(x.resource, x.units) for x in project.activity("2").assignments] == [
            ("R1", 2.0),
            ("N1", 5.0),
        ]
        assert level(project).makespan == 7  # jobs 2 and 3 share R1 one after the other

    def test_refused_variants(self) -> None:
        """Doubly constrained resources and several modes are refused with the line."""
        doubly = SM.replace("doubly constrained        :  0", "doubly constrained        :  1")
        with pytest.raises(DocumentError, match="doubly constrained"):
            reads_sm(doubly)
        multi = SM.replace(
            "   2        1          1           4", "   2        2          1           4"
        )
        with pytest.raises(DocumentError, match="2 modes"):
            reads_sm(multi)

    @pytest.mark.parametrize(
        ("old", "new", "text"),
        [
            ("  2      1     4       2    5", "  2      1     4       2", "demands"),
            ("    3    9", "    3", "capacities"),
            ("  3      1     3       2    1", "  3      1     x       2    1", "whole numbers"),
            (
                "   3        1          1           4",
                "   3        1          1          44",
                "successor",
            ),
        ],
    )
    def test_errors_name_the_line(self, old: str, new: str, text: str) -> None:
        """A malformed row is a DocumentError with its line number."""
        with pytest.raises(DocumentError, match=text) as info:
            reads_sm(SM.replace(old, new))
        assert "line" in str(info.value)


class TestRcp:
    @pytest.mark.parametrize("name", ["j301_1.sm", "j3013_1.sm", "j3048_10.sm"])
    def test_same_project_as_sm(self, name: str, tmp_path: Path) -> None:
        """A j30 instance written as .rcp reads back as the same project."""
        project, _ = read_sm(J30 / name)
        path = tmp_path / "instance.rcp"
        path.write_text(to_rcp(project))
        again = read_rcp(path)
        assert again.activities == project.activities
        assert again.dependencies == project.dependencies
        assert again.resources == project.resources
        assert read(path) == again

    def test_errors(self) -> None:
        """Truncated or over-long files are DocumentErrors."""
        with pytest.raises(DocumentError, match="ends before"):
            reads_rcp("2 1\n4\n0 0 1 2\n")
        with pytest.raises(DocumentError, match="unexpected numbers"):
            reads_rcp("1 1\n4\n0 0 0 7\n")
        with pytest.raises(DocumentError, match="not an activity"):
            reads_rcp("1 1\n4\n0 0 1 5\n")
