"""Microsoft Project XML: write and read a 10,000-task project.

Goal (issue 6): read and write of a 10,000-task MSPDI file <= 2 s each. The project has a
two-level WBS (one summary per 50 tasks), about 2.4 links per task with mixed types and
lags, a holiday calendar, resources and assignments. Writing includes scheduling the project
(the file carries the computed dates and slack). Baselines in the same run: the standard
library's ElementTree parsing the same file (no mapping to values) and serialising the
parsed tree back to text.

Run: python benchmarks/bench_mspdi.py [--n 10000]
"""

from __future__ import annotations

import argparse
import random
import warnings
import xml.etree.ElementTree as ET
from datetime import date, datetime

from _common import median_time, table
from pmsm_core import (
    Activity,
    Assignment,
    CalendarException,
    Dependency,
    Duration,
    LinkType,
    Project,
    Resource,
    WorkCalendar,
)
from pmsm_core.io import mspdi


def mspdi_project(n: int, seed: int = 6) -> Project:
    """n leaf tasks under n/50 summaries, links within a window, resources on a third."""
    rng = random.Random(seed)
    calendar = WorkCalendar.standard().with_exceptions(
        *(CalendarException(date(2026 + y, 12, 25), name="Christmas") for y in range(4))
    )
    resources = [
        Resource(f"R{k}", f"Team {k}", capacity=2.0, cost_per_hour=50.0) for k in range(20)
    ]
    activities, leaves = [], []
    for i in range(n):
        if i % 50 == 0:
            activities.append(Activity(f"S{i // 50}", f"Work package {i // 50}"))
        assignments = [Assignment(f"R{rng.randrange(20)}", 1.0)] if i % 3 == 0 else []
        activities.append(
            Activity(
                f"A{i}",
                f"Task {i}",
                Duration.from_days(rng.randint(1, 10)),
                parent=f"S{i // 50}",
                assignments=assignments,
            )
        )
        leaves.append(f"A{i}")
    dependencies, seen = [], set()
    kinds = [LinkType.FS] * 6 + [LinkType.SS, LinkType.FF]
    for j in range(1, n):
        for _ in range(rng.choice([1, 2, 2, 3, 4])):
            i = rng.randrange(max(0, j - 50), j)
            if (i, j) not in seen:
                seen.add((i, j))
                lag = Duration.from_days(rng.choice([0, 0, 0, 1, 2]))
                dependencies.append(Dependency(leaves[i], leaves[j], rng.choice(kinds), lag))
    return Project(
        "BIG",
        "Big",
        start=datetime(2026, 1, 5, 8),
        calendar=calendar,
        resources=resources,
        activities=activities,
        dependencies=dependencies,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    project = mspdi_project(args.n)
    warnings.simplefilter("ignore", mspdi.MspdiWarning)
    t_write, text = median_time(lambda: mspdi.writes(project), repeat=args.repeat)
    t_inputs, _ = median_time(lambda: mspdi.writes(project, schedule=False), repeat=args.repeat)
    data = text.encode("utf-8")
    t_read, back = median_time(lambda: mspdi.reads(data), repeat=args.repeat)
    assert back.activities == tuple(a for _, a in project.walk()), "round trip changed tasks"
    assert len(back.dependencies) == len(project.dependencies)
    t_parse, tree = median_time(lambda: ET.fromstring(data), repeat=args.repeat)
    t_serial, _ = median_time(lambda: ET.tostring(tree, encoding="unicode"), repeat=args.repeat)
    rows = [
        ["write (schedule + XML)", t_write, t_write / t_serial],
        ["write (inputs only)", t_inputs, t_inputs / t_serial],
        ["read (validated values)", t_read, t_read / t_parse],
        ["baseline: ElementTree.tostring", t_serial, 1.0],
        ["baseline: ElementTree.fromstring", t_parse, 1.0],
    ]
    print(
        f"{len(project.activities):,} tasks ({args.n:,} leaves), {len(project.dependencies):,} "
        f"links, {len(data) / 1e6:.1f} MB of XML (median of {args.repeat})"
    )
    print(table(["operation", "seconds", "x baseline"], rows))
    ok = t_write <= 2 and t_read <= 2
    print(f"goal: read and write <= 2 s each -> {'met' if ok else 'MISSED'}")


if __name__ == "__main__":
    main()
