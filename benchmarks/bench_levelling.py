"""Resource levelling on all 480 PSPLIB j30 instances against their proven optima.

Goals (issue 8): <= 0.5 % average deviation from the optimum at 1,000 schedules and
<= 0.1 % at 5,000; <= 1 s per instance at 1,000 schedules. Tables:

* one pass of each priority rule, serial and parallel scheme;
* searches of N schedules: the baseline (regret-based biased random sampling with LFT,
  no improvement), sampling with forward-backward improvement, and the default
  (sampling, justification and evolution), with the deviation relative to the baseline;
* with ``--compare-rules``: the default search with each priority rule and scheme at the
  first budget (the measurement behind the default rule), on every ``--rules-every``-th
  instance.

Times are wall-clock seconds of ``level()`` per instance (reading the file excluded): the
mean, and the median of ``--repeat`` timed runs of the first instances.

Run: python benchmarks/bench_levelling.py [--schedules 1000 5000] [--every 1] [--out FILE]
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
from pathlib import Path

from _common import median_time, table
from pmsm_core import Improvement, PriorityRule, ScheduleScheme, level
from pmsm_core.io.psplib import read_sm

J30 = Path(__file__).resolve().parent.parent / "tests" / "data" / "psplib" / "j30"


def instances(every: int) -> list[tuple[str, object, int]]:
    rows = list(csv.DictReader((J30 / "optimum.csv").open()))
    out = []
    for row in rows[::every]:
        project, _ = read_sm(J30 / row["problem"])
        out.append((row["problem"], project, int(row["optimum"])))
    return out


def evaluate(data, **kwargs) -> tuple[float, int, float, float]:
    """Average % deviation, optimal hits, mean and median seconds per instance."""
    deviations, hits, times = [], 0, []
    for name, project, optimum in data:
        start = time.perf_counter()
        result = level(project, **kwargs)
        times.append(time.perf_counter() - start)
        if result.makespan < optimum:
            raise AssertionError(f"{name}: {result.makespan} below the optimum {optimum}")
        deviations.append(100.0 * (result.makespan - optimum) / optimum)
        hits += result.makespan == optimum
    return statistics.fmean(deviations), hits, statistics.fmean(times), statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schedules", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--every", type=int, default=1, help="use every k-th instance")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-rules", action="store_true", help="skip the single-pass table")
    parser.add_argument(
        "--default-only", action="store_true", help="only the default search per budget"
    )
    parser.add_argument(
        "--compare-rules", action="store_true", help="the default search with every rule"
    )
    parser.add_argument("--rules-every", type=int, default=4, help="instances for --compare-rules")
    parser.add_argument("--out", help="also write the tables to this file")
    args = parser.parse_args()
    data = instances(args.every)
    lines: list[str] = []

    def emit(text: str) -> None:
        print(text, flush=True)
        lines.append(text)

    emit(f"PSPLIB j30: {len(data)} instances (every {args.every}), seed 0")
    if not args.no_rules:
        rows = []
        for scheme in ScheduleScheme:
            for rule in PriorityRule:
                dev, hits, mean, _ = evaluate(data, schedules=1, rule=rule, scheme=scheme)
                rows.append([f"{rule.value} {scheme.value}", f"{dev:.2f}", hits, mean])
        emit("\nOne pass of each priority rule")
        emit(table(["rule, scheme", "avg dev %", "optimal", "s/instance"], rows))
    for n in args.schedules:
        variants = [
            ("default: sampling + justification + evolution", {}),
        ]
        if not args.default_only:
            variants = [
                ("baseline: LFT sampling, no improvement", {"improvement": Improvement.NONE}),
                ("sampling + justification (FBI)", {"improvement": Improvement.JUSTIFY}),
                *variants,
            ]
        rows = []
        base = None
        for label, kwargs in variants:
            dev, hits, mean, _ = evaluate(data, schedules=n, **kwargs)
            base = dev if base is None else base
            ratio = f"{dev / base:.2f}" if base else "-"
            rows.append([label, f"{dev:.3f}", hits, mean, ratio])
        # median of repeated runs of the default on the first instances
        first = data[: min(len(data), 10)]
        t_med, _ = median_time(
            lambda first=first, n=n: [level(p, schedules=n) for _, p, _ in first],
            repeat=args.repeat,
            warmup=0,
        )
        emit(f"\n{n:,} schedules")
        emit(table(["search", "avg dev %", "optimal", "s/instance", "dev vs baseline"], rows))
        emit(
            f"default, median of {args.repeat} runs over the first {len(first)} instances: "
            f"{t_med / len(first):.3f} s/instance"
        )
    if args.compare_rules:
        some = instances(args.every * args.rules_every)
        n = args.schedules[0]
        rows = []
        base = None
        for scheme in ScheduleScheme:
            for rule in PriorityRule:
                dev, hits, mean, _ = evaluate(some, schedules=n, rule=rule, scheme=scheme)
                base = dev if base is None else base
                ratio = f"{dev / base:.2f}" if base else "-"
                rows.append([f"{rule.value} {scheme.value}", f"{dev:.3f}", hits, mean, ratio])
        emit(f"\nDefault search, {n:,} schedules, each rule and scheme ({len(some)} instances)")
        emit(table(["rule, scheme", "avg dev %", "optimal", "s/instance", "dev vs first"], rows))
    emit("\ngoals: <= 0.5 % at 1,000, <= 0.1 % at 5,000 schedules, <= 1 s/instance at 1,000")
    if args.out:
        Path(args.out).write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
