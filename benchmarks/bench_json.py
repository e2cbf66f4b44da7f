"""JSON documents: dump and load of a 100,000-activity project.

Goal (issue 2): <= 3 s each way. Baseline: the standard library's json.dumps/json.loads of
the same document (the floor any converter pays), measured in the same run.

Run: python benchmarks/bench_json.py [--n 100000]
"""

from __future__ import annotations

import argparse
import json
import random
from datetime import datetime

from _common import median_time, table
from pmsm_core import Activity, Dependency, Duration, Project
from pmsm_core.io.json import dumps, loads


def big_project(n: int, seed: int = 1) -> Project:
    """A dated project with n activities and about 2.4 links each."""
    rng = random.Random(seed)
    activities = [
        Activity(f"A{i}", f"Activity {i}", Duration.from_days(rng.randint(1, 10))) for i in range(n)
    ]
    dependencies, seen = [], set()
    for j in range(1, n):
        for _ in range(rng.choice([1, 2, 2, 3, 4])):
            i = rng.randrange(max(0, j - 50), j)
            if (i, j) not in seen:
                seen.add((i, j))
                dependencies.append(Dependency(f"A{i}", f"A{j}"))
    return Project(
        "BIG",
        "Big",
        start=datetime(2026, 1, 5, 8),
        activities=activities,
        dependencies=dependencies,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    project = big_project(args.n)
    t_dump, text = median_time(lambda: dumps(project, indent=None), repeat=args.repeat)
    t_load, back = median_time(lambda: loads(text), repeat=args.repeat)
    assert back == project
    raw = json.loads(text)
    t_jdump, _ = median_time(lambda: json.dumps(raw), repeat=args.repeat)
    t_jload, _ = median_time(lambda: json.loads(text), repeat=args.repeat)
    rows = [
        ["dumps (pmsm_core)", t_dump, t_dump / t_jdump],
        ["loads (pmsm_core, validated)", t_load, t_load / t_jload],
        ["baseline: json.dumps", t_jdump, 1.0],
        ["baseline: json.loads", t_jload, 1.0],
    ]
    print(
        f"{args.n:,} activities, {len(project.dependencies):,} dependencies, "
        f"{len(text) / 1e6:.1f} MB (median of {args.repeat})"
    )
    print(table(["operation", "seconds", "x json baseline"], rows))
    ok = t_dump <= 3 and t_load <= 3
    print(f"goal: <= 3 s each way -> {'met' if ok else 'MISSED'}")


if __name__ == "__main__":
    main()
