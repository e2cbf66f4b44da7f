"""Durations, working calendars and working-time arithmetic.

One calendar implementation serves both halves of the library: activity dates in the
scheduling engine and SLA clocks in business hours.

Conventions
-----------
* **Naive local time.** Datetimes are naive and are read as the local wall-clock time of
  the project or service that owns the calendar. Time zones and daylight-saving shifts are
  out of scope; convert to local time before calling.
* **One-minute resolution**, as in Microsoft Project. Seconds and microseconds of a
  datetime passed in are dropped (floored to the minute).
* **Instants at period boundaries.** The end of one working period and the start of the
  next one are the same point in working time (Friday 17:00 and Monday 08:00 on the
  Standard calendar). Adding work returns the *finish* reading (Friday 17:00), moving to the
  next working instant returns the *start* reading (Monday 08:00).
* **Working coordinates.** :meth:`WorkingTimeTable.to_working` maps an instant to the number
  of working minutes since the table's origin; the scheduler does all its arithmetic in these
  integers and converts back once. The tables are cumulative per day and searched by
  bisection, so a span of years costs the same as a span of minutes.
"""

from __future__ import annotations

import enum
import itertools
import math
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, ClassVar, Final

import attrs

from pmsm_core.exceptions import CalendarError, ValidationError

if TYPE_CHECKING:  # pragma: no cover - typing only, never in attrs fields
    import numpy as np
    import numpy.typing as npt

__all__ = [
    "MINUTES_PER_DAY",
    "CalendarException",
    "Duration",
    "DurationFactors",
    "TimeUnit",
    "WorkCalendar",
    "WorkingTime",
    "WorkingTimeTable",
    "from_minute_index",
    "to_minute_index",
]

MINUTES_PER_DAY: Final = 1440
"""Minutes in a calendar (elapsed) day."""

#: Largest magnitude accepted for a duration, in minutes (about 19,000 years).
MAX_DURATION_MINUTES: Final = 10**10

_MIN_ORDINAL: Final = date.min.toordinal()
_MAX_ORDINAL: Final = date.max.toordinal()
_DEFAULT_ORIGIN: Final = date(2000, 1, 3).toordinal()
_MAX_GROWTH_DAYS: Final = 20 * 366
_DAY_NAMES: Final = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


# --------------------------------------------------------------------------- instants


def to_minute_index(when: datetime) -> int:
    """Return ``when`` as whole minutes since 0001-01-01 00:00 (seconds are dropped).

    Examples
    --------
    >>> to_minute_index(datetime(1, 1, 1, 0, 5, 59))
    1445
    """
    return when.toordinal() * MINUTES_PER_DAY + when.hour * 60 + when.minute


def from_minute_index(index: int) -> datetime:
    """Return the datetime of a minute index made by :func:`to_minute_index`.

    Raises
    ------
    CalendarError
        If the index lies outside the years 1 to 9999.

    Examples
    --------
    >>> from_minute_index(to_minute_index(datetime(2026, 3, 2, 8, 30)))
    datetime.datetime(2026, 3, 2, 8, 30)
    """
    day, minute = divmod(index, MINUTES_PER_DAY)
    if not _MIN_ORDINAL <= day <= _MAX_ORDINAL:
        msg = f"minute index {index} lies outside the years 1 to 9999"
        raise CalendarError(msg)
    return datetime.fromordinal(day) + timedelta(minutes=minute)


# --------------------------------------------------------------------------- durations


class TimeUnit(enum.Enum):
    """Unit in which a duration was given; it affects display, not arithmetic."""

    MINUTE = "m"
    HOUR = "h"
    DAY = "d"
    WEEK = "w"
    MONTH = "mo"


@attrs.frozen
class DurationFactors:
    """How many working minutes a day, week and month hold (project settings).

    The defaults are Microsoft Project's: 480 minutes per day, 2400 per week and
    20 days per month. Elapsed units are fixed: 1440 minutes per day, 10080 per week and
    30 days per month.

    Examples
    --------
    >>> DurationFactors().minutes_in(TimeUnit.WEEK, elapsed=False)
    2400
    >>> DurationFactors().minutes_in(TimeUnit.DAY, elapsed=True)
    1440
    """

    minutes_per_day: int = attrs.field(default=480, validator=attrs.validators.in_(range(1, 1441)))
    minutes_per_week: int = attrs.field(
        default=2400, validator=attrs.validators.in_(range(1, 10081))
    )
    days_per_month: int = attrs.field(default=20, validator=attrs.validators.in_(range(1, 32)))

    def minutes_in(self, unit: TimeUnit, *, elapsed: bool) -> int:
        """Return the number of minutes in one ``unit``."""
        if unit is TimeUnit.MINUTE:
            return 1
        if unit is TimeUnit.HOUR:
            return 60
        if elapsed:
            return {TimeUnit.DAY: 1440, TimeUnit.WEEK: 10080, TimeUnit.MONTH: 43200}[unit]
        if unit is TimeUnit.DAY:
            return self.minutes_per_day
        if unit is TimeUnit.WEEK:
            return self.minutes_per_week
        return self.days_per_month * self.minutes_per_day


DEFAULT_FACTORS: Final = DurationFactors()

_DURATION_RE: Final = re.compile(r"^\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*(e?)(mo|m|h|d|w)?\s*$")


def _check_minutes(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        msg = f"{attribute.name} must be a whole number of minutes, got {value!r}"
        raise ValidationError(msg, path=attribute.name)
    if abs(value) > MAX_DURATION_MINUTES:
        msg = f"{attribute.name} must lie within ±{MAX_DURATION_MINUTES} minutes, got {value}"
        raise ValidationError(msg, path=attribute.name)


@attrs.frozen(order=False)
class Duration:
    """A span of time in whole minutes, of working time or of elapsed (24 × 7) time.

    Working durations are consumed only inside a calendar's working time; elapsed
    durations run round the clock. ``unit`` remembers the unit the value was given in, for
    display only: ``Duration.from_days(1) == Duration.from_hours(8)``. In an undated
    project (textbook CPM, PSPLIB) ``minutes`` holds plain time units.

    Parameters
    ----------
    minutes
        The length, negative for leads.
    elapsed
        Elapsed (wall-clock) time instead of working time.
    unit
        Display unit; does not take part in equality.

    Examples
    --------
    >>> Duration.from_days(2)
    Duration(minutes=960, elapsed=False, unit=<TimeUnit.DAY: 'd'>)
    >>> str(Duration.from_days(2)), str(Duration.from_hours(36, elapsed=True))
    ('2d', '36eh')
    >>> Duration.parse("1.5d").minutes
    720
    >>> Duration.from_days(1) + Duration.from_hours(4)
    Duration(minutes=720, elapsed=False, unit=<TimeUnit.DAY: 'd'>)
    """

    minutes: int = attrs.field(validator=_check_minutes)
    elapsed: bool = attrs.field(default=False, kw_only=True)
    unit: TimeUnit = attrs.field(default=TimeUnit.MINUTE, kw_only=True, eq=False)

    ZERO: ClassVar[Duration]

    @classmethod
    def from_minutes(cls, minutes: int, *, elapsed: bool = False) -> Duration:
        """Return a duration of ``minutes`` minutes."""
        return cls(minutes, elapsed=elapsed, unit=TimeUnit.MINUTE)

    @classmethod
    def from_hours(cls, hours: float | str, *, elapsed: bool = False) -> Duration:
        """Return a duration of ``hours`` hours (must come to whole minutes)."""
        return cls(_whole(hours, 60, "hours"), elapsed=elapsed, unit=TimeUnit.HOUR)

    @classmethod
    def from_days(
        cls, days: float, *, minutes_per_day: int = 480, elapsed: bool = False
    ) -> Duration:
        """Return a duration of ``days`` days.

        A working day is ``minutes_per_day`` minutes (480 by default); an elapsed day is
        always 1440 minutes.
        """
        per_day = MINUTES_PER_DAY if elapsed else minutes_per_day
        return cls(_whole(days, per_day, "days"), elapsed=elapsed, unit=TimeUnit.DAY)

    @classmethod
    def from_weeks(
        cls,
        weeks: float,
        *,
        minutes_per_day: int = 480,
        days_per_week: int = 5,
        elapsed: bool = False,
    ) -> Duration:
        """Return a duration of ``weeks`` weeks.

        A working week is ``days_per_week`` days of ``minutes_per_day`` minutes (2400
        minutes by default); an elapsed week is 10080 minutes.
        """
        per_week = 7 * MINUTES_PER_DAY if elapsed else minutes_per_day * days_per_week
        return cls(_whole(weeks, per_week, "weeks"), elapsed=elapsed, unit=TimeUnit.WEEK)

    @classmethod
    def parse(cls, text: str, factors: DurationFactors = DEFAULT_FACTORS) -> Duration:
        """Parse ``"3d"``, ``"1.5h"``, ``"-1d"``, ``"2ew"``, ``"90"`` (minutes).

        Units: ``m``, ``h``, ``d``, ``w``, ``mo``; an ``e`` prefix makes them elapsed
        (``em``, ``eh``, ``ed``, ``ew``, ``emo``). Working days, weeks and months use
        ``factors``.

        Raises
        ------
        ValidationError
            If the text is not a duration or does not come to whole minutes.

        Examples
        --------
        >>> Duration.parse("2ed")
        Duration(minutes=2880, elapsed=True, unit=<TimeUnit.DAY: 'd'>)
        >>> Duration.parse("1w", DurationFactors(minutes_per_week=2250)).minutes
        2250
        """
        raw: object = text
        match = _DURATION_RE.match(raw) if isinstance(raw, str) else None
        if match is None:
            msg = f"expected a duration such as '3d', '4h', '30m' or '2ed', got {text!r}"
            raise ValidationError(msg)
        number, e, unit_text = match.groups()
        elapsed = bool(e)
        if elapsed and unit_text is None:
            msg = f"expected a unit after 'e' in {text!r}"
            raise ValidationError(msg)
        unit = TimeUnit(unit_text) if unit_text else TimeUnit.MINUTE
        per_unit = factors.minutes_in(unit, elapsed=elapsed)
        return cls(_whole(number, per_unit, unit.name.lower() + "s"), elapsed=elapsed, unit=unit)

    def format(self, factors: DurationFactors = DEFAULT_FACTORS) -> str:
        """Return the duration in its display unit, e.g. ``"2d"`` or ``"36eh"``.

        Falls back to minutes when the value is not a short decimal in that unit.

        Examples
        --------
        >>> Duration.from_days(2.5).format()
        '2.5d'
        >>> Duration(700, unit=TimeUnit.DAY).format()
        '700m'
        """
        prefix = "e" if self.elapsed else ""
        per_unit = factors.minutes_in(self.unit, elapsed=self.elapsed)
        whole, rest = divmod(abs(self.minutes), per_unit)
        sign = "-" if self.minutes < 0 else ""
        if rest == 0:
            return f"{sign}{whole}{prefix}{self.unit.value}"
        for places in (1, 2, 3, 4):
            scaled, remainder = divmod(rest * 10**places, per_unit)
            if remainder == 0:
                digits = str(scaled).rjust(places, "0").rstrip("0")
                return f"{sign}{whole}.{digits}{prefix}{self.unit.value}"
        return f"{self.minutes}{prefix}m"

    def __str__(self) -> str:
        return self.format()

    def to_days(self, minutes_per_day: int = 480) -> float:
        """Return the length in (working or elapsed) days."""
        return self.minutes / (MINUTES_PER_DAY if self.elapsed else minutes_per_day)

    def _same_kind(self, other: object, op: str) -> Duration:
        if not isinstance(other, Duration):
            return NotImplemented  # type: ignore[no-any-return]
        if other.elapsed != self.elapsed:
            msg = f"cannot {op} a working and an elapsed duration"
            raise ValidationError(msg)
        return other

    def __add__(self, other: Duration) -> Duration:
        other = self._same_kind(other, "add")
        if other is NotImplemented:
            return NotImplemented
        return Duration(self.minutes + other.minutes, elapsed=self.elapsed, unit=self.unit)

    def __sub__(self, other: Duration) -> Duration:
        other = self._same_kind(other, "subtract")
        if other is NotImplemented:
            return NotImplemented
        return Duration(self.minutes - other.minutes, elapsed=self.elapsed, unit=self.unit)

    def __neg__(self) -> Duration:
        return Duration(-self.minutes, elapsed=self.elapsed, unit=self.unit)

    def __lt__(self, other: Duration) -> bool:
        return self.minutes < self._same_kind(other, "compare").minutes

    def __le__(self, other: Duration) -> bool:
        return self.minutes <= self._same_kind(other, "compare").minutes

    def __gt__(self, other: Duration) -> bool:
        return self.minutes > self._same_kind(other, "compare").minutes

    def __ge__(self, other: Duration) -> bool:
        return self.minutes >= self._same_kind(other, "compare").minutes


Duration.ZERO = Duration(0)


def _whole(value: float | str, per_unit: int, what: str) -> int:
    """Exact ``value × per_unit`` as whole minutes; ``value`` may be a decimal string."""
    if isinstance(value, int) and not isinstance(value, bool):
        minutes = value * per_unit
    else:
        if isinstance(value, float):
            if not math.isfinite(value):
                msg = f"{what} must be a finite number, got {value!r}"
                raise ValidationError(msg)
            value = repr(value)
        if not isinstance(value, str):
            msg = f"{what} must be a number, got {value!r}"
            raise ValidationError(msg)
        text = value.strip()
        sign = -1 if text.startswith("-") else 1
        text = text.lstrip("+-")
        mantissa, _, exponent = text.lower().partition("e")
        whole, _, frac = mantissa.partition(".")
        digits = (whole or "0") + frac
        if not digits.isdigit() or (exponent and not exponent.lstrip("+-").isdigit()):
            msg = f"{what} must be a number, got {value!r}"
            raise ValidationError(msg)
        shift = len(frac) - (int(exponent) if exponent else 0)
        if abs(shift) > 40 or len(digits) > 40:
            msg = f"{value} {what} is out of range"
            raise ValidationError(msg)
        numerator = sign * int(digits) * per_unit
        if shift <= 0:
            minutes = numerator * 10 ** (-shift)
        else:
            minutes, rest = divmod(numerator, 10**shift)
            if rest:
                msg = f"{value} {what} is not a whole number of minutes"
                raise ValidationError(msg)
    if abs(minutes) > MAX_DURATION_MINUTES:
        msg = f"{value} {what} exceeds ±{MAX_DURATION_MINUTES} minutes"
        raise ValidationError(msg)
    return minutes


# --------------------------------------------------------------------------- calendars

_TIME_RE: Final = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


@attrs.frozen(order=True)
class WorkingTime:
    """A working interval within one day, in minutes after midnight.

    ``end`` may be 1440 (24:00, midnight at the end of the day).

    Examples
    --------
    >>> WorkingTime.parse("08:00-12:00")
    WorkingTime(start=480, end=720)
    >>> str(WorkingTime(1380, 1440))
    '23:00-24:00'
    """

    start: int = attrs.field()
    end: int = attrs.field()

    @start.validator
    def _check_start(self, attribute: attrs.Attribute[int], value: object) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 1440:
            msg = f"start must be a minute of the day in 0..1439, got {value!r}"
            raise ValidationError(msg, path="start")

    @end.validator
    def _check_end(self, attribute: attrs.Attribute[int], value: object) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= 1440:
            msg = f"end must be a minute of the day in 1..1440, got {value!r}"
            raise ValidationError(msg, path="end")
        if value <= self.start:
            msg = f"end {_hhmm(value)} must come after start {_hhmm(self.start)}"
            raise ValidationError(msg, path="end")

    @classmethod
    def parse(cls, text: str) -> WorkingTime:
        """Parse ``"HH:MM-HH:MM"``; ``24:00`` is midnight at the end of the day."""
        raw: object = text
        match = _TIME_RE.match(raw) if isinstance(raw, str) else None
        if match is None:
            msg = f"expected a working time such as '08:00-12:00', got {text!r}"
            raise ValidationError(msg)
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        if m1 > 59 or m2 > 59 or h1 > 23 or h2 > 24 or (h2 == 24 and m2 != 0):
            msg = f"invalid clock time in {text!r}"
            raise ValidationError(msg)
        return cls(h1 * 60 + m1, h2 * 60 + m2)

    @property
    def minutes(self) -> int:
        """Length of the interval in minutes."""
        return self.end - self.start

    def __str__(self) -> str:
        return f"{_hhmm(self.start)}-{_hhmm(self.end)}"


def _hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _to_working_times(value: Iterable[WorkingTime | str]) -> tuple[WorkingTime, ...]:
    if isinstance(value, str | WorkingTime):
        value = [value]
    items = [WorkingTime.parse(v) if isinstance(v, str) else v for v in value]
    return tuple(sorted(items))


def _check_day(intervals: Sequence[object], where: str) -> None:
    checked: list[WorkingTime] = []
    for item in intervals:
        if not isinstance(item, WorkingTime):
            msg = f"{where}: expected working times, got {item!r}"
            raise ValidationError(msg, path=where)
        checked.append(item)
    for first, second in itertools.pairwise(checked):
        if second.start < first.end:
            msg = f"working times {first} and {second} overlap"
            raise ValidationError(msg, path=where)


@attrs.frozen
class CalendarException:
    """A date or date range whose working times replace the weekly pattern.

    Empty ``working_times`` make a holiday; non-empty ones define extra or changed working
    hours. ``end`` is inclusive and defaults to ``start``.

    Examples
    --------
    >>> CalendarException(date(2026, 12, 25), name="Christmas Day").is_working
    False
    >>> CalendarException(date(2026, 12, 5), working_times=["09:00-13:00"]).working_times
    (WorkingTime(start=540, end=780),)
    """

    start: date = attrs.field()
    end: date = attrs.field(default=attrs.Factory(lambda self: self.start, takes_self=True))
    working_times: tuple[WorkingTime, ...] = attrs.field(
        default=(), converter=_to_working_times, kw_only=True
    )
    name: str = attrs.field(default="", kw_only=True)

    def __attrs_post_init__(self) -> None:
        for name in ("start", "end"):
            value = getattr(self, name)
            if not isinstance(value, date) or isinstance(value, datetime):
                msg = f"{name} must be a date, got {value!r}"
                raise ValidationError(msg, path=name)
        if self.end < self.start:
            msg = f"end {self.end} comes before start {self.start}"
            raise ValidationError(msg, path="end")
        _check_day(self.working_times, "working_times")

    @property
    def is_working(self) -> bool:
        """True when the exception defines working time (not a holiday)."""
        return bool(self.working_times)

    @property
    def days(self) -> int:
        """Number of days the exception covers."""
        return (self.end - self.start).days + 1


def _to_week(value: Any) -> tuple[tuple[WorkingTime, ...], ...]:
    if isinstance(value, Mapping):
        unknown = set(value) - set(_DAY_NAMES)
        if unknown:
            msg = f"unknown week day(s) {sorted(unknown)}; expected {list(_DAY_NAMES)}"
            raise ValidationError(msg, path="week")
        return tuple(_to_working_times(value.get(day, ())) for day in _DAY_NAMES)
    if isinstance(value, str) or not isinstance(value, Iterable):
        msg = f"week must map mon..sun to working times, got {value!r}"
        raise ValidationError(msg, path="week")
    days = tuple(_to_working_times(day) for day in value)
    if len(days) != 7:
        msg = f"week must have 7 days (Monday first), got {len(days)}"
        raise ValidationError(msg, path="week")
    return days


def _to_exceptions(value: Iterable[Any]) -> tuple[CalendarException, ...]:
    return tuple(value)


_STANDARD_DAY: Final = (WorkingTime(480, 720), WorkingTime(780, 1020))


@attrs.frozen
class WorkCalendar:
    """A weekly pattern of working intervals with dated exceptions.

    Parameters
    ----------
    id
        Identifier used by activities, resources and SLAs to refer to the calendar.
    week
        Working intervals for Monday to Sunday: a sequence of seven sequences, or a mapping
        from ``"mon"`` .. ``"sun"`` to intervals (missing days are non-working). Intervals
        may be :class:`WorkingTime` values or strings ``"HH:MM-HH:MM"``.
    exceptions
        Holidays and changed working days; they may not overlap.
    name
        Human-readable name.

    Raises
    ------
    ValidationError
        On overlapping intervals or exceptions, or when the calendar has no working time at
        all (arithmetic on it could never finish).

    Examples
    --------
    >>> cal = WorkCalendar.standard()
    >>> cal.add(datetime(2026, 1, 2, 16, 0), 120)  # Friday 16:00 + 2 working hours
    datetime.datetime(2026, 1, 5, 9, 0)
    >>> cal.working_minutes_between(datetime(2026, 1, 2, 8), datetime(2026, 1, 5, 17))
    960
    >>> cal.next_working_instant(datetime(2026, 1, 3, 10, 0))  # a Saturday
    datetime.datetime(2026, 1, 5, 8, 0)
    """

    id: str = attrs.field(validator=attrs.validators.instance_of(str))
    week: tuple[tuple[WorkingTime, ...], ...] = attrs.field(
        default=(_STANDARD_DAY,) * 5 + ((), ()), converter=_to_week
    )
    exceptions: tuple[CalendarException, ...] = attrs.field(
        default=(), converter=_to_exceptions, kw_only=True
    )
    name: str = attrs.field(default="", kw_only=True)
    _table: WorkingTimeTable = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        if not self.id:
            msg = "calendar id must not be empty"
            raise ValidationError(msg, path="id")
        for index, day in enumerate(self.week):
            _check_day(day, f"week.{_DAY_NAMES[index]}")
        items: tuple[object, ...] = self.exceptions
        for index, exc in enumerate(items):
            if not isinstance(exc, CalendarException):
                msg = f"expected a CalendarException, got {exc!r}"
                raise ValidationError(msg, path=f"exceptions[{index}]")
        ordered = sorted(self.exceptions, key=lambda e: e.start)
        for first, second in itertools.pairwise(ordered):
            if second.start <= first.end:
                msg = (
                    f"calendar {self.id!r}: exceptions {first.start}..{first.end} and "
                    f"{second.start}..{second.end} overlap"
                )
                raise ValidationError(msg, path="exceptions")
        if not any(self.week) and not any(e.working_times for e in self.exceptions):
            msg = f"calendar {self.id!r} has no working time at all"
            raise ValidationError(msg, path="week")
        object.__setattr__(self, "_table", WorkingTimeTable(self))

    # ------------------------------------------------------------------ presets
    @classmethod
    def standard(cls, id: str = "standard", **kwargs: Any) -> WorkCalendar:
        """Microsoft Project's Standard calendar: Mon-Fri 08:00-12:00 and 13:00-17:00."""
        kwargs.setdefault("name", "Standard")
        return cls(id, (_STANDARD_DAY,) * 5 + ((), ()), **kwargs)

    @classmethod
    def twenty_four_hours(cls, id: str = "24-hours", **kwargs: Any) -> WorkCalendar:
        """Every minute of every day is working time."""
        kwargs.setdefault("name", "24 Hours")
        return cls(id, ((WorkingTime(0, 1440),),) * 7, **kwargs)

    @classmethod
    def night_shift(cls, id: str = "night-shift", **kwargs: Any) -> WorkCalendar:
        """Microsoft Project's Night Shift: Monday 23:00 to Saturday 08:00.

        Nightly blocks 23:00-03:00 and 04:00-08:00 (the night starting on Monday ends on
        Tuesday morning).
        """
        kwargs.setdefault("name", "Night Shift")
        late = WorkingTime(1380, 1440)
        early = (WorkingTime(0, 180), WorkingTime(240, 480))
        mid = (*early, late)
        week = ((late,), mid, mid, mid, mid, early, ())
        return cls(id, week, **kwargs)

    def with_exceptions(self, *exceptions: CalendarException) -> WorkCalendar:
        """Return a copy with ``exceptions`` added.

        Examples
        --------
        >>> cal = WorkCalendar.standard().with_exceptions(CalendarException(date(2026, 1, 1)))
        >>> cal.is_working(datetime(2026, 1, 1, 9))
        False
        """
        return attrs.evolve(self, exceptions=self.exceptions + exceptions)

    # ------------------------------------------------------------------ queries
    @property
    def table(self) -> WorkingTimeTable:
        """The precomputed working-time tables behind the arithmetic (low-level API)."""
        return self._table

    @property
    def minutes_per_week(self) -> int:
        """Working minutes in a week of the weekly pattern (exceptions ignored)."""
        return sum(wt.minutes for day in self.week for wt in day)

    def working_times_on(self, day: date) -> tuple[WorkingTime, ...]:
        """Working intervals on ``day``, exceptions applied."""
        for exc in self.exceptions:
            if exc.start <= day <= exc.end:
                return exc.working_times
        return self.week[day.weekday()]

    def working_minutes_on(self, day: date) -> int:
        """Working minutes on ``day``, exceptions applied."""
        return sum(wt.minutes for wt in self.working_times_on(day))

    def is_working(self, when: datetime) -> bool:
        """True when the minute starting at ``when`` is working time."""
        return self._table.is_working(to_minute_index(when))

    def add(self, start: datetime, minutes: int) -> datetime:
        """Return the instant after consuming ``minutes`` of working time from ``start``.

        The result is read as a finish: on the Standard calendar, Monday 08:00 + 480 is
        Monday 17:00 (not Tuesday 08:00). Adding zero returns ``start`` unchanged; negative
        ``minutes`` subtract, see :meth:`subtract`.
        """
        if minutes <= 0:
            return self.subtract(start, -minutes) if minutes else start
        table = self._table
        return from_minute_index(
            table.from_working(table.to_working(to_minute_index(start)) + minutes, finish=True)
        )

    def subtract(self, end: datetime, minutes: int) -> datetime:
        """Return the instant ``minutes`` of working time before ``end``, read as a start.

        Subtracting zero returns ``end`` unchanged.

        Examples
        --------
        >>> WorkCalendar.standard().subtract(datetime(2026, 1, 6, 17), 480)
        datetime.datetime(2026, 1, 6, 8, 0)
        """
        if minutes <= 0:
            return self.add(end, -minutes) if minutes else end
        table = self._table
        return from_minute_index(
            table.from_working(table.to_working(to_minute_index(end)) - minutes, finish=False)
        )

    def working_minutes_between(self, start: datetime, end: datetime) -> int:
        """Working minutes from ``start`` to ``end`` (negative when ``end`` is earlier)."""
        table = self._table
        return table.to_working(to_minute_index(end)) - table.to_working(to_minute_index(start))

    def next_working_instant(self, when: datetime) -> datetime:
        """``when`` itself if it is working time, else the start of the next working period."""
        table = self._table
        return from_minute_index(
            table.from_working(table.to_working(to_minute_index(when)), finish=False)
        )

    def previous_working_instant(self, when: datetime) -> datetime:
        """The latest instant at or before ``when`` that ends working time.

        Inside working time this is ``when`` itself; in a break it is the end of the
        previous working period (Monday 07:00 gives Friday 17:00 on the Standard calendar).

        Examples
        --------
        >>> WorkCalendar.standard().previous_working_instant(datetime(2026, 1, 5, 7))
        datetime.datetime(2026, 1, 2, 17, 0)
        """
        table = self._table
        index = to_minute_index(when)
        if table.is_working(index - 1) and table.is_working(index):
            return from_minute_index(index)
        return from_minute_index(table.from_working(table.to_working(index), finish=True))

    # ------------------------------------------------------------------ vectorised
    def add_array(
        self, starts: npt.NDArray[np.datetime64], minutes: npt.ArrayLike
    ) -> npt.NDArray[np.datetime64]:
        """Vectorised :meth:`add` for numpy ``datetime64`` arrays (minute resolution).

        Examples
        --------
        >>> import numpy as np
        >>> cal = WorkCalendar.standard()
        >>> cal.add_array(np.array(["2026-01-02T16:00"], "datetime64[m]"), [120])
        array(['2026-01-05T09:00'], dtype='datetime64[m]')
        """
        import numpy as np

        table = self._table
        index = _datetime64_to_index(starts)
        shift = np.asarray(minutes, dtype=np.int64)
        working = table.to_working_array(index) + shift
        result = np.where(
            shift > 0,
            table.from_working_array(working, finish=True),
            table.from_working_array(working, finish=False),
        )
        result = np.where(shift == 0, index, result)
        return _index_to_datetime64(result)

    def working_minutes_between_array(
        self, starts: npt.NDArray[np.datetime64], ends: npt.NDArray[np.datetime64]
    ) -> npt.NDArray[np.int64]:
        """Vectorised :meth:`working_minutes_between`."""
        table = self._table
        return table.to_working_array(_datetime64_to_index(ends)) - table.to_working_array(
            _datetime64_to_index(starts)
        )


_EPOCH_INDEX: Final = date(1970, 1, 1).toordinal() * MINUTES_PER_DAY


def _datetime64_to_index(values: Any) -> npt.NDArray[np.int64]:
    import numpy as np

    arr = np.asarray(values, dtype="datetime64[m]")
    return arr.astype(np.int64) + _EPOCH_INDEX


def _index_to_datetime64(index: npt.NDArray[np.int64]) -> npt.NDArray[np.datetime64]:

    return (index - _EPOCH_INDEX).astype("datetime64[m]")


class WorkingTimeTable:
    """Cumulative working-time tables of one calendar, grown on demand.

    Instants are minute indices (:func:`to_minute_index`); working coordinates count the
    working minutes since the table's origin (an arbitrary fixed day, so only differences
    are meaningful). Days are materialised in growing chunks around the instants asked for;
    each query is two bisections, whatever the span.

    This is the low-level interface the scheduler and SLA clocks use; most code calls the
    datetime methods of :class:`WorkCalendar`.

    Examples
    --------
    >>> table = WorkCalendar.standard().table
    >>> friday_5pm = to_minute_index(datetime(2026, 1, 2, 17))
    >>> w = table.to_working(friday_5pm)
    >>> from_minute_index(table.from_working(w, finish=False))
    datetime.datetime(2026, 1, 5, 8, 0)
    >>> from_minute_index(table.from_working(w, finish=True))
    datetime.datetime(2026, 1, 2, 17, 0)
    """

    __slots__ = (
        "_arrays",
        "_cum",
        "_exc_ends",
        "_exceptions",
        "_lo",
        "_name",
        "_pat",
        "_pat_cum",
        "_pat_ends",
        "_pat_starts",
        "_pat_total",
        "_week_pat",
        "_week_work",
        "_work_exc_hi",
        "_work_exc_lo",
    )

    def __init__(self, calendar: WorkCalendar) -> None:
        self._name = calendar.id
        patterns: dict[tuple[WorkingTime, ...], int] = {}
        self._pat_starts: list[list[int]] = []
        self._pat_ends: list[list[int]] = []
        self._pat_cum: list[list[int]] = []
        self._pat_total: list[int] = []

        def intern(day: tuple[WorkingTime, ...]) -> int:
            merged: list[list[int]] = []
            for wt in day:
                if merged and merged[-1][1] == wt.start:
                    merged[-1][1] = wt.end
                else:
                    merged.append([wt.start, wt.end])
            key = tuple(WorkingTime(s, e) for s, e in merged)
            if key not in patterns:
                patterns[key] = len(self._pat_starts)
                cum, total = [], 0
                for s, e in merged:
                    cum.append(total)
                    total += e - s
                self._pat_starts.append([s for s, _ in merged])
                self._pat_ends.append([e for _, e in merged])
                self._pat_cum.append(cum)
                self._pat_total.append(total)
            return patterns[key]

        self._week_pat = [intern(day) for day in calendar.week]
        self._week_work = sum(self._pat_total[p] for p in self._week_pat)
        self._exceptions = sorted(
            (e.start.toordinal(), e.end.toordinal(), intern(e.working_times))
            for e in calendar.exceptions
        )
        self._exc_ends = [hi for _, hi, _ in self._exceptions]
        working_exc = [(lo, hi) for lo, hi, p in self._exceptions if self._pat_total[p]]
        self._work_exc_lo = working_exc[0][0] if working_exc else _MAX_ORDINAL + 1
        self._work_exc_hi = working_exc[-1][1] if working_exc else _MIN_ORDINAL - 1
        self._lo = 0
        self._cum: list[int] = [0]
        self._pat: list[int] = []
        self._arrays: Any = None

    # ---------------------------------------------------------------- growth
    def _day_pattern(self, ordinal: int, exc_index: int) -> tuple[int, int]:
        exceptions = self._exceptions
        while exc_index < len(exceptions) and exceptions[exc_index][1] < ordinal:
            exc_index += 1
        if exc_index < len(exceptions) and exceptions[exc_index][0] <= ordinal:
            return exceptions[exc_index][2], exc_index
        # date.weekday() of ordinal 1 (0001-01-01) is Monday
        return self._week_pat[(ordinal - 1) % 7], exc_index

    def _build(self, first: int, count: int) -> tuple[list[int], list[int]]:
        """Return the patterns and working minutes of ``count`` days from ``first``."""
        pats: list[int] = []
        works: list[int] = []
        exc_index = bisect_left(self._exc_ends, first)
        totals = self._pat_total
        for ordinal in range(first, first + count):
            pat, exc_index = self._day_pattern(ordinal, exc_index)
            pats.append(pat)
            works.append(totals[pat])
        return pats, works

    def _start(self, ordinal: int) -> None:
        lo = max(_MIN_ORDINAL, ordinal - 366)
        count = min(_MAX_ORDINAL + 1, ordinal + 732) - lo
        pats, works = self._build(lo, count)
        cum = [0]
        total = 0
        for w in works:
            total += w
            cum.append(total)
        self._lo, self._pat, self._cum, self._arrays = lo, pats, cum, None

    def _grow_to_ordinal(self, ordinal: int) -> None:
        if not self._pat:
            self._start(ordinal)
            return
        lo, hi = self._lo, self._lo + len(self._pat)
        if ordinal >= hi:
            self._extend_forward(max(ordinal + 1 - hi, min(len(self._pat), _MAX_GROWTH_DAYS)))
        elif ordinal < lo:
            self._extend_backward(max(lo - ordinal, min(len(self._pat), _MAX_GROWTH_DAYS)))

    def _extend_forward(self, days: int) -> None:
        hi = self._lo + len(self._pat)
        days = min(days, _MAX_ORDINAL + 1 - hi)
        if days <= 0:
            msg = f"calendar {self._name!r}: working time beyond the year 9999 was needed"
            raise CalendarError(msg)
        pats, works = self._build(hi, days)
        cum = self._cum
        total = cum[-1]
        for w in works:
            total += w
            cum.append(total)
        self._pat.extend(pats)
        self._arrays = None

    def _extend_backward(self, days: int) -> None:
        lo = self._lo
        days = min(days, lo - _MIN_ORDINAL)
        if days <= 0:
            msg = f"calendar {self._name!r}: working time before the year 1 was needed"
            raise CalendarError(msg)
        pats, works = self._build(lo - days, days)
        head = [0] * days
        total = self._cum[0]
        for i in range(days - 1, -1, -1):
            total -= works[i]
            head[i] = total
        self._cum = head + self._cum
        self._pat = pats + self._pat
        self._lo = lo - days
        self._arrays = None

    def _ensure_working(self, working: int, *, finish: bool) -> None:
        """Grow until ``working`` falls strictly inside the materialised working range."""
        if not self._pat:
            self._start(_DEFAULT_ORIGIN)
        while True:
            cum = self._cum
            if finish:
                low_ok, high_ok = working > cum[0], working <= cum[-1]
            else:
                low_ok, high_ok = working >= cum[0], working < cum[-1]
            if low_ok and high_ok:
                return
            size = min(len(self._pat), _MAX_GROWTH_DAYS)
            if not high_ok:
                hi = self._lo + len(self._pat)
                if (working - cum[-1]) // MINUTES_PER_DAY > _MAX_ORDINAL - hi:
                    msg = f"calendar {self._name!r}: working time beyond the year 9999 was needed"
                    raise CalendarError(msg)
                if self._week_work:
                    days = (working - cum[-1] + 1) * 7 // self._week_work + 14
                elif hi <= self._work_exc_hi:
                    days = self._work_exc_hi + 1 - hi
                else:
                    msg = (
                        f"calendar {self._name!r} has no working time after "
                        f"{date.fromordinal(hi - 1)}"
                    )
                    raise CalendarError(msg)
                self._extend_forward(max(days, size))
            else:
                lo = self._lo
                if (cum[0] - working) // MINUTES_PER_DAY > lo - _MIN_ORDINAL:
                    msg = f"calendar {self._name!r}: working time before the year 1 was needed"
                    raise CalendarError(msg)
                if self._week_work:
                    days = (cum[0] - working + 1) * 7 // self._week_work + 14
                elif lo > self._work_exc_lo:
                    days = lo - self._work_exc_lo
                else:
                    msg = (
                        f"calendar {self._name!r} has no working time before {date.fromordinal(lo)}"
                    )
                    raise CalendarError(msg)
                self._extend_backward(max(days, size))

    # ---------------------------------------------------------------- scalar queries
    def is_working(self, index: int) -> bool:
        """True when the minute starting at minute index ``index`` is working time."""
        day, minute = divmod(index, MINUTES_PER_DAY)
        i = day - self._lo
        if i < 0 or i >= len(self._pat):
            self._grow_to_ordinal(day)
            i = day - self._lo
        p = self._pat[i]
        starts = self._pat_starts[p]
        j = bisect_right(starts, minute) - 1
        return j >= 0 and minute < self._pat_ends[p][j]

    def to_working(self, index: int) -> int:
        """Working minutes from the origin to minute index ``index``."""
        day, minute = divmod(index, MINUTES_PER_DAY)
        i = day - self._lo
        if i < 0 or i >= len(self._pat):
            self._grow_to_ordinal(day)
            i = day - self._lo
        p = self._pat[i]
        starts = self._pat_starts[p]
        j = bisect_right(starts, minute) - 1
        if j < 0:
            return self._cum[i]
        end = self._pat_ends[p][j]
        return self._cum[i] + self._pat_cum[p][j] + (minute if minute < end else end) - starts[j]

    def from_working(self, working: int, *, finish: bool) -> int:
        """Minute index at working coordinate ``working``.

        ``finish=False`` gives the start of the working minute ``working`` (the next working
        instant); ``finish=True`` gives the end of the minute before it (the end of the
        previous working period).
        """
        cum = self._cum
        if (
            not ((cum[0] < working <= cum[-1]) if finish else (cum[0] <= working < cum[-1]))
            or not self._pat
        ):
            self._ensure_working(working, finish=finish)
            cum = self._cum
        if finish:
            i = bisect_left(cum, working) - 1
            rest = working - cum[i]
            p = self._pat[i]
            pcum = self._pat_cum[p]
            j = bisect_left(pcum, rest) - 1
        else:
            i = bisect_right(cum, working) - 1
            rest = working - cum[i]
            p = self._pat[i]
            pcum = self._pat_cum[p]
            j = bisect_right(pcum, rest) - 1
        return (self._lo + i) * MINUTES_PER_DAY + self._pat_starts[p][j] + rest - pcum[j]

    def add(self, index: int, minutes: int, *, finish: bool = True) -> int:
        """Minute index after consuming ``minutes`` of work from ``index``."""
        return self.from_working(self.to_working(index) + minutes, finish=finish)

    # ---------------------------------------------------------------- vectorised
    def _vector_tables(self) -> Any:
        import numpy as np

        if self._arrays is None:
            width = max(1, *(len(s) for s in self._pat_starts))
            big = np.iinfo(np.int64).max // 4
            n = len(self._pat_starts)
            starts = np.full((n, width), big, dtype=np.int64)
            ends = np.full((n, width), big, dtype=np.int64)
            pcum = np.full((n, width), big, dtype=np.int64)
            for p in range(n):
                k = len(self._pat_starts[p])
                starts[p, :k] = self._pat_starts[p]
                ends[p, :k] = self._pat_ends[p]
                pcum[p, :k] = self._pat_cum[p]
            self._arrays = (
                np.asarray(self._cum, dtype=np.int64),
                np.asarray(self._pat, dtype=np.int64),
                starts,
                ends,
                pcum,
            )
        return self._arrays

    def to_working_array(self, index: npt.ArrayLike) -> npt.NDArray[np.int64]:
        """Vectorised :meth:`to_working` over an array of minute indices."""
        import numpy as np

        idx = np.asarray(index, dtype=np.int64)
        if idx.size == 0:
            return idx.copy()
        day = idx // MINUTES_PER_DAY
        self._grow_to_ordinal(int(day.min()))
        self._grow_to_ordinal(int(day.max()))
        cum, pat, starts, ends, pcum = self._vector_tables()
        i = day - self._lo
        minute = idx - day * MINUTES_PER_DAY
        p = pat[i]
        row_starts = starts[p]
        j = (row_starts <= minute[..., None]).sum(axis=-1) - 1
        jj = np.maximum(j, 0)
        take = np.take_along_axis
        s = take(row_starts, jj[..., None], axis=-1)[..., 0]
        e = take(ends[p], jj[..., None], axis=-1)[..., 0]
        c = take(pcum[p], jj[..., None], axis=-1)[..., 0]
        inside = c + np.minimum(minute, e) - s
        result: npt.NDArray[np.int64] = cum[i] + np.where(j >= 0, inside, 0)
        return result

    def from_working_array(self, working: npt.ArrayLike, *, finish: bool) -> npt.NDArray[np.int64]:
        """Vectorised :meth:`from_working`."""
        import numpy as np

        w = np.asarray(working, dtype=np.int64)
        if w.size == 0:
            return w.copy()
        self._ensure_working(int(w.min()), finish=finish)
        self._ensure_working(int(w.max()), finish=finish)
        cum, pat, starts, _ends, pcum = self._vector_tables()
        i = np.searchsorted(cum, w, side="left" if finish else "right") - 1
        rest = w - cum[i]
        p = pat[i]
        row_cum = pcum[p]
        if finish:
            j = (row_cum < rest[..., None]).sum(axis=-1) - 1
        else:
            j = (row_cum <= rest[..., None]).sum(axis=-1) - 1
        take = np.take_along_axis
        s = take(starts[p], j[..., None], axis=-1)[..., 0]
        c = take(row_cum, j[..., None], axis=-1)[..., 0]
        result: npt.NDArray[np.int64] = (self._lo + i) * MINUTES_PER_DAY + s + rest - c
        return result
