"""Reporting periods (day, week, month, quarter, year) for outage counts, compliance and
consistency figures. Weeks start on Monday."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Final

from pmsm_core.exceptions import ValidationError

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    import numpy.typing as npt

PERIODS: Final = ("day", "week", "month", "quarter", "year")


def check_period(period: str) -> str:
    """Return ``period`` if it is a known period name, else raise ValidationError."""
    if period not in PERIODS:
        msg = f"period must be one of {', '.join(PERIODS)}; got {period!r}"
        raise ValidationError(msg, path="period")
    return period


def period_start(day: date | datetime, period: str) -> date:
    """The first day of the period that contains ``day``."""
    if isinstance(day, datetime):
        day = day.date()
    if period == "day":
        return day
    if period == "week":
        return day - timedelta(days=day.weekday())
    if period == "month":
        return day.replace(day=1)
    if period == "quarter":
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    if period == "year":
        return date(day.year, 1, 1)
    check_period(period)
    raise AssertionError  # pragma: no cover


def next_period(start: date, period: str) -> date:
    """The first day of the period after the one starting at ``start``."""
    if period == "day":
        return start + timedelta(days=1)
    if period == "week":
        return start + timedelta(days=7)
    months = {"month": 1, "quarter": 3, "year": 12}[period]
    index = start.year * 12 + start.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def period_range(start: date, end: date, period: str) -> list[date]:
    """Starts of every period that overlaps ``[start, end)``."""
    check_period(period)
    out = []
    current = period_start(start, period)
    while current < end:
        out.append(current)
        current = next_period(current, period)
    return out


def period_codes(days: npt.NDArray[np.int64], period: str) -> npt.NDArray[np.int64]:
    """Vectorised :func:`period_start` as ordinals, for day ordinals ``days``."""
    import numpy as np

    check_period(period)
    if period == "day":
        return days
    if period == "week":
        # ordinal 1 (0001-01-01) is a Monday
        return days - (days - 1) % 7
    unique, inverse = np.unique(days, return_inverse=True)
    starts = np.array(
        [period_start(date.fromordinal(int(d)), period).toordinal() for d in unique],
        dtype=np.int64,
    )
    result: npt.NDArray[np.int64] = starts[inverse]
    return result
