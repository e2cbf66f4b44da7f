"""Readers for the project scheduling benchmark formats PSPLIB ``.sm`` and Patterson ``.rcp``.

Both describe single-mode resource-constrained projects: integer durations, finish-to-start
precedence without lags, renewable resources with constant capacity and per-activity
demands. They become undated :class:`~pmsm_core.Project` values: activities ``"1"`` ..
``"n"`` (the dummy source and sink included, as zero-duration milestones), work resources
``"R1"`` .. ``"Rk"`` with their capacity, and one assignment per positive demand (units =
demand); :func:`~pmsm_core.level` schedules them within those capacities. Nonrenewable
resources of ``.sm`` files (a total for the whole project) become material resources
``"N1"`` ...; multi-mode files and doubly constrained resources are refused.

PSPLIB: R. Kolisch and A. Sprecher (1997), PSPLIB - A project scheduling problem library,
European Journal of Operational Research 96(1), 205-216.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Final

import attrs

from pmsm_core.calendars import Duration
from pmsm_core.exceptions import DocumentError, Problem
from pmsm_core.model.project import Activity, Dependency, Project
from pmsm_core.model.resources import Assignment, Resource, ResourceKind

__all__ = ["SmInfo", "read", "read_rcp", "read_sm", "reads_rcp", "reads_sm"]

#: Largest file accepted (the biggest PSPLIB instances are well under 1 MB).
MAX_BYTES: Final = 64 * 1024 * 1024
#: Largest number of activities or resources accepted.
MAX_COUNT: Final = 1_000_000
_MAX_VALUE: Final = 10**9


@attrs.frozen
class SmInfo:
    """Header figures of a PSPLIB file: the horizon and the precedence-only CPM length."""

    horizon: int | None
    mpm_time: int | None
    due_date: int | None


class _Lines:
    def __init__(self, text: str, source: str) -> None:
        self.lines = text.splitlines()
        self.source = source
        self.pos = 0

    def error(self, message: str, line: int | None = None) -> DocumentError:
        where = f"line {(line if line is not None else self.pos) + 1}"
        return DocumentError([Problem(where, f"{self.source}: {message}")])

    def ints(self, line: int, text: str, what: str) -> list[int]:
        values = []
        for token in text.split():
            if not re.fullmatch(r"-?\d{1,12}", token):
                msg = f"expected whole numbers in {what}, got {token!r}"
                raise self.error(msg, line)
            value = int(token)
            if abs(value) > _MAX_VALUE:
                msg = f"{what}: {value} is out of range"
                raise self.error(msg, line)
            values.append(value)
        return values

    def find(self, pattern: str) -> int:
        regex = re.compile(pattern, re.I)
        for i in range(self.pos, len(self.lines)):
            if regex.search(self.lines[i]):
                self.pos = i + 1
                return i
        msg = f"missing section matching {pattern!r}"
        raise self.error(msg)

    def data_rows(self) -> list[tuple[int, str]]:
        """Rows after the current position up to the next line of asterisks."""
        rows = []
        for i in range(self.pos, len(self.lines)):
            line = self.lines[i]
            if line.startswith("***"):
                self.pos = i + 1
                break
            if line.strip() and not line.strip().startswith("-") and re.match(r"\s*-?\d", line):
                rows.append((i, line))
        else:
            self.pos = len(self.lines)
        return rows


def _decode(data: str | bytes, source: str) -> str:
    if len(data) > MAX_BYTES:
        msg = f"{source}: file of {len(data)} bytes exceeds the limit of {MAX_BYTES}"
        raise DocumentError(msg, path="$")
    if isinstance(data, bytes):
        try:
            return data.decode("ascii")
        except UnicodeDecodeError:
            msg = f"{source}: not a text file (PSPLIB files are ASCII)"
            raise DocumentError(msg, path="line 1") from None
    return data


def reads_sm(text: str | bytes, *, name: str = "instance") -> tuple[Project, SmInfo]:
    """Parse the text of a PSPLIB ``.sm`` file.

    Returns
    -------
    (Project, SmInfo)
        The undated project and the header figures (``mpm_time`` is the precedence-only
        critical-path length).

    Raises
    ------
    DocumentError
        With the line number and what was expected.

    Examples
    --------
    >>> text = '''jobs (incl. supersource/sink ):  3
    ... RESOURCES
    ...   - renewable                 :  1   R
    ... ************************************************************************
    ... PROJECT INFORMATION:
    ... pronr.  #jobs rel.date duedate tardcost  MPM-Time
    ...     1      1      0       5        0        4
    ... ************************************************************************
    ... PRECEDENCE RELATIONS:
    ... jobnr.    #modes  #successors   successors
    ...    1        1          1           2
    ...    2        1          1           3
    ...    3        1          0
    ... ************************************************************************
    ... REQUESTS/DURATIONS:
    ... jobnr. mode duration  R 1
    ... ------------------------------------------------------------------------
    ...   1      1     0       0
    ...   2      1     4       2
    ...   3      1     0       0
    ... ************************************************************************
    ... RESOURCEAVAILABILITIES:
    ...   R 1
    ...     3
    ... ************************************************************************'''
    >>> project, info = reads_sm(text)
    >>> [a.duration.minutes for a in project.activities], info.mpm_time
    ([0, 4, 0], 4)
    """
    lines = _Lines(_decode(text, name), name)
    horizon = _header_int(lines, r"^\s*horizon\s*:")
    lines.pos = 0
    jobs_line = lines.find(r"jobs\s*\(incl")
    jobs = lines.ints(jobs_line, lines.lines[jobs_line].split(":")[-1], "the number of jobs")
    if len(jobs) != 1 or not 1 <= jobs[0] <= MAX_COUNT:
        msg = "expected the number of jobs"
        raise lines.error(msg, jobs_line)
    n = jobs[0]
    lines.pos = 0
    res_line = lines.find(r"-\s*renewable\s*:")
    renewable = lines.ints(
        res_line, lines.lines[res_line].split(":")[-1].replace("R", " "), "resources"
    )
    if len(renewable) != 1 or not 0 <= renewable[0] <= 1000:
        msg = "expected the number of renewable resources"
        raise lines.error(msg, res_line)
    k = renewable[0]
    others = []
    for label in ("nonrenewable", "doubly constrained"):
        lines.pos = 0
        try:
            at = lines.find(rf"-\s*{label}\s*:")
        except DocumentError:
            others.append(0)
            continue
        count = lines.ints(at, re.sub(r"[A-Za-z]", " ", lines.lines[at].split(":")[-1]), label)
        if len(count) != 1 or not 0 <= count[0] <= 1000:
            msg = f"expected the number of {label} resources"
            raise lines.error(msg, at)
        others.append(count[0])
    nonrenewable, doubly = others
    if doubly:
        msg = "doubly constrained resources are not supported (only renewable and nonrenewable)"
        raise lines.error(msg)
    columns = k + nonrenewable
    lines.pos = res_line + 1
    mpm = due = None
    try:
        info_line = lines.find(r"PROJECT INFORMATION")
        lines.pos = info_line + 2
        rows = lines.data_rows()
        if rows:
            values = lines.ints(rows[0][0], rows[0][1], "project information")
            if len(values) >= 6:
                due, mpm = values[3], values[5]
    except DocumentError:
        lines.pos = 0
    lines.find(r"PRECEDENCE RELATIONS")
    lines.pos += 1
    successors: dict[int, list[int]] = {}
    for line_no, row in lines.data_rows():
        values = lines.ints(line_no, row, "a precedence row")
        if len(values) < 3 or len(values) != 3 + values[2]:
            msg = "a precedence row is 'job modes #successors successors...'"
            raise lines.error(msg, line_no)
        job = values[0]
        if not 1 <= job <= n or job in successors:
            msg = f"job number {job} is out of range or repeated"
            raise lines.error(msg, line_no)
        if values[1] != 1:
            msg = f"job {job} has {values[1]} modes; only single-mode files are read"
            raise lines.error(msg, line_no)
        for succ in values[3:]:
            if not 1 <= succ <= n:
                msg = f"job {job}: successor {succ} is not a job (1..{n})"
                raise lines.error(msg, line_no)
        successors[job] = values[3:]
    lines.find(r"REQUESTS/DURATIONS")
    durations: dict[int, int] = {}
    demands: dict[int, list[int]] = {}
    for line_no, row in lines.data_rows():
        values = lines.ints(line_no, row, "a request row")
        if len(values) != 3 + columns:
            msg = f"a request row is 'job mode duration' and {columns} demands"
            raise lines.error(msg, line_no)
        job, _, duration = values[:3]
        if not 1 <= job <= n or job in durations:
            msg = f"job number {job} is out of range or repeated"
            raise lines.error(msg, line_no)
        if duration < 0 or any(v < 0 for v in values[3:]):
            msg = f"job {job}: durations and demands must not be negative"
            raise lines.error(msg, line_no)
        durations[job] = duration
        demands[job] = values[3:]
    capacities: list[int] = []
    if columns:
        lines.find(r"RESOURCEAVAILABILITIES")
        rows = lines.data_rows()
        if not rows:
            msg = "missing resource capacities"
            raise lines.error(msg)
        capacities = lines.ints(rows[-1][0], rows[-1][1], "resource capacities")
        if len(capacities) != columns or any(c < 0 for c in capacities):
            msg = f"expected {columns} non-negative capacities"
            raise lines.error(msg, rows[-1][0])
    missing = sorted(set(range(1, n + 1)) - set(durations))
    if missing or len(successors) != n:
        gone = missing or sorted(set(range(1, n + 1)) - set(successors))
        msg = f"jobs {gone[:5]} have no precedence or request row"
        raise lines.error(msg)
    project = _build(name, n, durations, successors, demands, capacities, renewable=k)
    return project, SmInfo(horizon=horizon, mpm_time=mpm, due_date=due)


def _header_int(lines: _Lines, pattern: str) -> int | None:
    try:
        i = lines.find(pattern)
    except DocumentError:
        return None
    values = lines.ints(i, lines.lines[i].split(":")[-1], "the header")
    return values[0] if len(values) == 1 else None


def _build(
    name: str,
    n: int,
    durations: dict[int, int],
    successors: dict[int, list[int]],
    demands: dict[int, list[int]],
    capacities: list[int],
    *,
    renewable: int | None = None,
) -> Project:
    k = len(capacities) if renewable is None else renewable
    labels = [f"R{i + 1}" for i in range(k)] + [f"N{i + 1}" for i in range(len(capacities) - k)]
    resources = [
        Resource(
            label,
            f"{label[0]} {label[1:]}",
            capacity=float(c),
            kind=ResourceKind.WORK if i < k else ResourceKind.MATERIAL,
        )
        for i, (label, c) in enumerate(zip(labels, capacities, strict=True))
    ]
    activities = []
    for job in range(1, n + 1):
        assignments = [Assignment(labels[i], float(u)) for i, u in enumerate(demands[job]) if u > 0]
        activities.append(
            Activity(str(job), f"job {job}", Duration(durations[job]), assignments=assignments)
        )
    dependencies = [
        Dependency(str(job), str(succ)) for job in range(1, n + 1) for succ in successors[job]
    ]
    try:
        return Project(
            name, name, activities=activities, dependencies=dependencies, resources=resources
        )
    except DocumentError:
        raise
    except ValueError as exc:  # duplicate links and the like, reported with their paths
        problems = getattr(exc, "problems", None) or [Problem("$", str(exc))]
        raise DocumentError(problems) from None


def reads_rcp(text: str | bytes, *, name: str = "instance") -> Project:
    """Parse the text of a Patterson ``.rcp`` file.

    The format: a line ``n k``, a line of ``k`` capacities, then one line per activity:
    ``duration demand_1..demand_k #successors successors...`` (activities numbered from 1).

    Examples
    --------
    >>> p = reads_rcp('''3 1
    ... 4
    ... 0 0 1 2
    ... 5 3 1 3
    ... 0 0 0''')
    >>> [a.duration.minutes for a in p.activities], p.resources[0].capacity
    ([0, 5, 0], 4.0)
    """
    raw = _decode(text, name)
    lines = _Lines(raw, name)
    tokens: list[tuple[int, int]] = []
    for i, line in enumerate(lines.lines):
        tokens.extend((i, v) for v in lines.ints(i, line, "the file"))
    if len(tokens) < 2:
        msg = "expected 'activities resources' on the first line"
        raise lines.error(msg, 0)
    pos = 0

    def take(what: str) -> tuple[int, int]:
        nonlocal pos
        if pos >= len(tokens):
            msg = f"the file ends before {what}"
            raise lines.error(msg, len(lines.lines) - 1)
        pos += 1
        return tokens[pos - 1]

    _, n = take("the number of activities")
    line_k, k = take("the number of resources")
    if not 1 <= n <= MAX_COUNT or not 0 <= k <= 1000:
        msg = "activity or resource count out of range"
        raise lines.error(msg, line_k)
    capacities = [take("the capacities")[1] for _ in range(k)]
    durations: dict[int, int] = {}
    demands: dict[int, list[int]] = {}
    successors: dict[int, list[int]] = {}
    for job in range(1, n + 1):
        at, duration = take(f"activity {job}")
        if duration < 0:
            msg = f"activity {job}: negative duration"
            raise lines.error(msg, at)
        durations[job] = duration
        demands[job] = [take(f"activity {job}'s demands")[1] for _ in range(k)]
        count_line, count = take(f"activity {job}'s successor count")
        if not 0 <= count <= n:
            msg = f"activity {job}: {count} successors"
            raise lines.error(msg, count_line)
        succ = []
        for _ in range(count):
            at, value = take(f"activity {job}'s successors")
            if not 1 <= value <= n:
                msg = f"activity {job}: successor {value} is not an activity"
                raise lines.error(msg, at)
            succ.append(value)
        successors[job] = succ
    if pos != len(tokens):
        msg = "unexpected numbers after the last activity"
        raise lines.error(msg, tokens[pos][0])
    return _build(name, n, durations, successors, demands, capacities)


def read_sm(path: str | os.PathLike[str]) -> tuple[Project, SmInfo]:
    """Read a PSPLIB ``.sm`` file; see :func:`reads_sm`."""
    p = Path(path)
    return reads_sm(_read_bytes(p), name=p.stem)


def read_rcp(path: str | os.PathLike[str]) -> Project:
    """Read a Patterson ``.rcp`` file; see :func:`reads_rcp`."""
    p = Path(path)
    return reads_rcp(_read_bytes(p), name=p.stem)


def read(path: str | os.PathLike[str]) -> Project:
    """Read a ``.sm`` or ``.rcp`` file by extension and return the project.

    Examples
    --------
    >>> read("missing.sm")
    Traceback (most recent call last):
    ...
    pmsm_core.exceptions.DocumentError: $: cannot read 'missing.sm': No such file ...
    """
    p = Path(path)
    if p.suffix.lower() == ".rcp":
        return read_rcp(p)
    return read_sm(p)[0]


def _read_bytes(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        msg = f"cannot read {os.fspath(path)!r}: {exc.strerror}"
        raise DocumentError(msg, path="$") from None
    return data
