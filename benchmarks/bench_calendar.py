"""Calendar arithmetic: additions per second on the Standard calendar with holidays.

Goal (issue 2): 1,000,000 random additions of spans up to a year in <= 5 s. Baseline: a
straightforward day-by-day walk (what most business-time packages do), measured in the same
run on fewer spans and compared per operation.

Run: python benchmarks/bench_calendar.py [--n 1000000]
"""

from __future__ import annotations

import argparse
import random
from datetime import datetime, timedelta

import numpy as np

from _common import holiday_calendar, median_time, table
from pmsm_core import WorkCalendar

YEAR_OF_WORK = 52 * 2400


def day_walk_add(cal: WorkCalendar, start: datetime, minutes: int) -> datetime:
    """Baseline: walk day by day, intervals from the calendar, no tables."""
    day = start.date()
    minute = start.hour * 60 + start.minute
    left = minutes
    while True:
        for wt in cal.working_times_on(day):
            if wt.end <= minute:
                continue
            begin = max(wt.start, minute)
            room = wt.end - begin
            if left <= room:
                return datetime.combine(day, datetime.min.time()) + timedelta(minutes=begin + left)
            left -= room
        day += timedelta(days=1)
        minute = 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    cal = holiday_calendar()
    rng = random.Random(42)
    base = datetime(2026, 1, 1)
    starts = [base + timedelta(minutes=rng.randrange(0, 365 * 1440)) for _ in range(args.n)]
    spans = [rng.randrange(1, YEAR_OF_WORK) for _ in range(args.n)]

    def scalar() -> list[datetime]:
        add = cal.add
        return [add(s, m) for s, m in zip(starts, spans, strict=True)]

    starts64 = np.array(starts, dtype="datetime64[m]")
    spans64 = np.array(spans)

    def vector() -> np.ndarray:
        return cal.add_array(starts64, spans64)

    n_base = max(1, args.n // 100)

    def baseline() -> list[datetime]:
        return [
            day_walk_add(cal, s, m) for s, m in zip(starts[:n_base], spans[:n_base], strict=True)
        ]

    t_scalar, got = median_time(scalar, repeat=args.repeat)
    t_vector, got_vec = median_time(vector, repeat=args.repeat)
    t_base, want = median_time(baseline, repeat=args.repeat)
    assert got[:n_base] == want, "scalar and baseline disagree"
    assert [v.astype(datetime) for v in got_vec[:1000]] == got[:1000], "vector and scalar disagree"
    per_base = t_base / n_base
    rows = [
        [
            "WorkCalendar.add (scalar)",
            args.n,
            t_scalar,
            args.n / t_scalar,
            per_base / (t_scalar / args.n),
        ],
        [
            "WorkCalendar.add_array (numpy)",
            args.n,
            t_vector,
            args.n / t_vector,
            per_base / (t_vector / args.n),
        ],
        ["baseline: day-by-day walk", n_base, t_base, n_base / t_base, 1.0],
    ]
    print(
        "Calendar additions, spans up to a year of work, Standard + holidays "
        f"(median of {args.repeat})"
    )
    print(table(["method", "additions", "seconds", "per second", "x baseline"], rows))
    print(f"goal: {args.n:,} additions <= 5 s -> scalar {'met' if t_scalar <= 5 else 'MISSED'}")


if __name__ == "__main__":
    main()
