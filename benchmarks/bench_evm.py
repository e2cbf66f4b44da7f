"""Time-phased earned value of a 100,000-activity project over 500 periods.

Goal (issue 9): <= 5 s for earned_value() (PV, EV and AC at 500 period boundaries plus every
figure at the status date). Baseline: a straightforward per-activity Python loop computing
the same cumulative PV at every boundary, in the same run; it is too slow for the whole
project, so it is timed on the first --loop-n activities and extrapolated linearly (it is
linear in the number of activities), and its values are checked against the vectorised
ones on that subset. Also shown: schedule() of the same project with and without progress.

Run: python benchmarks/bench_evm.py [--n 100000] [--periods 500]
"""

from __future__ import annotations

import argparse
import random
from datetime import timedelta

import attrs

from _common import median_time, table
from bench_json import big_project
from pmsm_core import Progress, earned_value, save_baseline, schedule


def tracked_project(n: int, seed: int = 2):  # type: ignore[no-untyped-def]
    """big_project(n) with costs, baseline 0, and progress at a third of its span."""
    rng = random.Random(seed)
    plan = big_project(n)
    plan = attrs.evolve(
        plan,
        activities=[attrs.evolve(a, cost=float(rng.randint(100, 5000))) for a in plan.activities],
    )
    planned = schedule(plan)
    plan = save_baseline(plan, schedule=planned)
    status = planned.start + (planned.finish - planned.start) / 3
    status = status.replace(second=0, microsecond=0)
    acts = []
    for a in plan.activities:
        x = planned[a.id]
        if x.finish <= status:
            cost = a.cost * rng.uniform(0.8, 1.3)
            a = attrs.evolve(
                a, progress=Progress(x.start, x.finish, percent_complete=100, actual_cost=cost)
            )
        elif x.start < status:
            a = attrs.evolve(
                a,
                progress=Progress(
                    x.start, percent_complete=rng.uniform(0, 90), actual_cost=a.cost * rng.random()
                ),
            )
        acts.append(a)
    return attrs.evolve(plan, activities=acts, status_date=status), planned


def loop_pv(project, bounds, limit: int) -> list[float]:  # type: ignore[no-untyped-def]
    """The baseline: for each activity, for each boundary, its share of planned cost."""
    cal = project.calendar
    out = [0.0] * len(bounds)
    leaves = list(project.baselines[0].activities)[:limit]
    for b in leaves:
        span = cal.working_minutes_between(b.start, b.finish)
        for k, t in enumerate(bounds):
            if span > 0:
                done = cal.working_minutes_between(b.start, t)
                out[k] += b.cost * min(max(done / span, 0.0), 1.0)
            elif t >= b.start:
                out[k] += b.cost
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--periods", type=int, default=500)
    parser.add_argument("--loop-n", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    project, planned = tracked_project(args.n)
    step = (planned.finish - planned.start) / args.periods
    bounds = [
        (planned.start + step * k).replace(second=0, microsecond=0) for k in range(args.periods)
    ]
    bounds.append(planned.finish + timedelta(minutes=1))
    t_ev, ev = median_time(lambda: earned_value(project, periods=bounds), repeat=args.repeat)
    assert len(ev.series) >= args.periods

    # the baseline on a subset, checked against the vectorised kernel on the same subset
    subset = {b.activity for b in project.baselines[0].activities[: args.loop_n]}
    small = attrs.evolve(
        project,
        activities=[a for a in project.activities if a.id in subset],
        dependencies=[
            d for d in project.dependencies if d.predecessor in subset and d.successor in subset
        ],
        baselines=[
            attrs.evolve(
                project.baselines[0], activities=project.baselines[0].activities[: args.loop_n]
            )
        ],
    )
    t_loop, expect = median_time(lambda: loop_pv(project, bounds, args.loop_n), repeat=1, warmup=0)
    got = earned_value(small, periods=bounds)
    pv_at = {p.time: p.pv for p in got.series}
    worst = max(abs(pv_at[t] - e) for t, e in zip(bounds, expect, strict=True))
    assert worst <= 1e-6 * max(1.0, got.bac), worst
    t_loop_full = t_loop * args.n / args.loop_n

    plain = attrs.evolve(
        project,
        activities=[attrs.evolve(a, progress=None) for a in project.activities],
        status_date=None,
    )
    t_plain, _ = median_time(lambda: schedule(plain), repeat=args.repeat)
    t_prog, _ = median_time(lambda: schedule(project), repeat=args.repeat)

    print(
        f"{args.n:,} activities, {len(project.dependencies):,} links, {len(bounds) - 1} periods, "
        f"status {project.status_date:%Y-%m-%d %H:%M} (median of {args.repeat}); "
        f"SPI {ev.spi:.3f}, CPI {ev.cpi:.3f}, ES {ev.earned_schedule.es:.1f} periods"
    )
    rows = [
        ["earned_value() (numpy)", t_ev, t_loop_full / t_ev],
        [
            f"baseline: Python loop ({args.loop_n:,} timed, x{args.n // args.loop_n})",
            t_loop_full,
            1.0,
        ],
    ]
    print(table(["time-phased EVM", "seconds", "x faster"], rows))
    print(f"goal: earned_value() <= 5 s -> {'met' if t_ev <= 5 else 'MISSED'}")
    print(f"PV of the loop and numpy agree on the subset within {worst:.2e}")
    print()
    print(
        table(
            ["schedule()", "seconds", "ratio"],
            [
                ["without progress", t_plain, 1.0],
                ["with progress and status date", t_prog, t_prog / t_plain],
            ],
        )
    )


if __name__ == "__main__":
    main()
