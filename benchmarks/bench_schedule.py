"""schedule() end to end on a dated 100,000-activity project on the Standard calendar.

Goal (issue 3): <= 5 s. Baseline: the calendar engine (activity by activity, each on its own
calendar), which the library uses for multi-calendar projects, forced on the same project in
the same run; both must give equal schedules.

Run: python benchmarks/bench_schedule.py [--n 100000]
"""

from __future__ import annotations

import argparse

from _common import median_time, table
from bench_json import big_project
from pmsm_core import ScheduleOptions, schedule
from pmsm_core.scheduling.compile import compile_project
from pmsm_core.scheduling.schedule import _assemble, _run


def forced(project, engine: str):
    options = ScheduleOptions()
    compiled = compile_project(project, options)
    return _assemble(compiled, _run(compiled, options, engine=engine), options)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    project = big_project(args.n)
    t_fast, fast = median_time(lambda: schedule(project), repeat=args.repeat)
    t_slow, slow = median_time(lambda: forced(project, "calendar"), repeat=1, warmup=0)
    assert fast == slow, "engines disagree"
    rows = [
        ["schedule() (integer engine)", t_fast, t_slow / t_fast],
        ["baseline: calendar engine", t_slow, 1.0],
    ]
    print(
        f"{args.n:,} activities, {len(project.dependencies):,} links, Standard calendar "
        f"(median of {args.repeat}); finish {fast.finish:%Y-%m-%d %H:%M}"
    )
    print(table(["engine", "seconds", "x faster"], rows))
    print(f"goal: <= 5 s -> {'met' if t_fast <= 5 else 'MISSED'}")


if __name__ == "__main__":
    main()
