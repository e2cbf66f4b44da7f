"""Timing helpers shared by the benchmark scripts: medians, peak memory, tables."""

from __future__ import annotations

import gc
import statistics
import time
import tracemalloc
from collections.abc import Callable, Sequence
from typing import Any


def median_time(func: Callable[[], Any], *, repeat: int = 5, warmup: int = 1) -> tuple[float, Any]:
    """Median wall time of ``func()`` over ``repeat`` runs, and the last result."""
    result = None
    for _ in range(warmup):
        result = func()
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def peak_memory(func: Callable[[], Any]) -> tuple[float, Any]:
    """Peak Python-heap allocation of ``func()`` in MB (tracemalloc, numpy included)."""
    gc.collect()
    tracemalloc.start()
    try:
        result = func()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / 1e6, result


PUBLIC_HOLIDAYS = [
    (1, 1),
    (4, 3),
    (4, 6),
    (5, 1),
    (5, 14),
    (5, 25),
    (10, 3),
    (12, 24),
    (12, 25),
    (12, 26),
]


def holiday_calendar(
    years: range = range(2025, 2031), hours: tuple[str, ...] = ("08:00-12:00", "13:00-17:00")
) -> Any:
    """A Monday-Friday calendar with ten public holidays a year (benchmark fixture)."""
    from datetime import date

    from pmsm_core import CalendarException, WorkCalendar

    days = [
        CalendarException(date(year, month, day), name="holiday")
        for year in years
        for month, day in PUBLIC_HOLIDAYS
    ]
    week = {d: list(hours) for d in ("mon", "tue", "wed", "thu", "fri")}
    return WorkCalendar("business-hours", week, exceptions=days)


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A plain-text table with right-aligned numbers."""

    def cell(v: Any) -> str:
        if isinstance(v, float):
            return f"{v:,.3f}" if abs(v) < 1000 else f"{v:,.0f}"
        if isinstance(v, int):
            return f"{v:,}"
        return str(v)

    text = [[cell(v) for v in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in text)) for i, h in enumerate(headers)]
    lines = ["  ".join(h.rjust(w) for h, w in zip(headers, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) for r in text]
    return "\n".join(lines)
