"""Durations, working times, calendars and working-time arithmetic."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.strategies import calendars, instants

from pmsm_core import (
    CalendarError,
    CalendarException,
    Duration,
    DurationFactors,
    TimeUnit,
    ValidationError,
    WorkCalendar,
    WorkingTime,
)
from pmsm_core.calendars import from_minute_index, to_minute_index


def ref_is_working(cal: WorkCalendar, t: datetime) -> bool:
    """Slow reference: is the minute starting at ``t`` working time?"""
    minute = t.hour * 60 + t.minute
    return any(wt.start <= minute < wt.end for wt in cal.working_times_on(t.date()))


def ref_between(cal: WorkCalendar, a: datetime, b: datetime) -> int:
    """Slow reference: count working minutes one by one."""
    sign = 1
    if b < a:
        a, b, sign = b, a, -1
    count, t = 0, a
    while t < b:
        count += ref_is_working(cal, t)
        t += timedelta(minutes=1)
    return sign * count


def ref_add(cal: WorkCalendar, a: datetime, minutes: int) -> datetime:
    """Slow reference: walk forward minute by minute; finish reading."""
    t, left = a, minutes
    while left > 0:
        if ref_is_working(cal, t):
            left -= 1
        t += timedelta(minutes=1)
    return t


def ref_next(cal: WorkCalendar, a: datetime) -> datetime:
    t = a
    while not ref_is_working(cal, t):
        t += timedelta(minutes=1)
    return t


class TestDuration:
    def test_constructors_use_minutes_per_day(self) -> None:
        """Days and weeks convert with minutes per day (480) and days per week (5)."""
        assert Duration.from_days(1).minutes == 480
        assert Duration.from_days(1, minutes_per_day=450).minutes == 450
        assert Duration.from_weeks(1).minutes == 2400
        assert Duration.from_weeks(1, elapsed=True).minutes == 10080
        assert Duration.from_hours(1.5).minutes == 90
        assert Duration.from_minutes(7).minutes == 7

    def test_unit_is_display_only(self) -> None:
        """Equal lengths are equal whatever unit they were given in."""
        assert Duration.from_days(1) == Duration.from_hours(8)
        assert Duration.from_days(1) != Duration.from_days(1, elapsed=True)
        assert str(Duration.from_days(1)) == "1d"

    @pytest.mark.parametrize(
        ("text", "minutes", "elapsed"),
        [
            ("3d", 1440, False),
            ("1.5h", 90, False),
            ("-1d", -480, False),
            ("2ed", 2880, True),
            ("36eh", 2160, True),
            ("1w", 2400, False),
            ("1mo", 9600, False),
            ("1emo", 43200, True),
            ("45", 45, False),
            ("0.25d", 120, False),
        ],
    )
    def test_parse(self, text: str, minutes: int, elapsed: bool) -> None:
        """Every unit, elapsed prefix, sign and decimal form parses exactly."""
        d = Duration.parse(text)
        assert (d.minutes, d.elapsed) == (minutes, elapsed)

    @pytest.mark.parametrize("text", ["", "d", "3x", "1.2.3d", "0.01h", "nan", "inf", "1e3d", "e"])
    def test_parse_rejects(self, text: str) -> None:
        """Malformed text and fractions of a minute are errors."""
        with pytest.raises(ValidationError):
            Duration.parse(text)

    def test_huge_values_rejected(self) -> None:
        """Durations beyond ±1e10 minutes are rejected, never silently wrapped."""
        with pytest.raises(ValidationError):
            Duration(10**11)
        with pytest.raises(ValidationError):
            Duration.from_days(1e300)
        with pytest.raises(ValidationError):
            Duration.parse("99999999999999999999d")

    def test_arithmetic_keeps_kind(self) -> None:
        """Adding working and elapsed durations is an error."""
        assert (Duration(60) + Duration(30)).minutes == 90
        assert (-Duration(60)).minutes == -60
        with pytest.raises(ValidationError):
            Duration(60) + Duration(60, elapsed=True)
        assert Duration(1) < Duration(2)

    @given(st.integers(-(10**6), 10**6), st.sampled_from(list(TimeUnit)), st.booleans())
    def test_format_parse_round_trip(self, minutes: int, unit: TimeUnit, elapsed: bool) -> None:
        """format() then parse() gives the same duration back."""
        d = Duration(minutes, elapsed=elapsed, unit=unit)
        factors = DurationFactors()
        assert Duration.parse(d.format(factors), factors) == d


class TestWorkingTime:
    def test_parse_and_str(self) -> None:
        """'HH:MM-HH:MM' with 24:00 as the end of the day."""
        assert WorkingTime.parse("23:00-24:00") == WorkingTime(1380, 1440)
        assert str(WorkingTime(480, 720)) == "08:00-12:00"

    @pytest.mark.parametrize(
        "text", ["12:00-08:00", "08:00-08:00", "25:00-26:00", "8-12", "08:60-09:00"]
    )
    def test_rejects(self, text: str) -> None:
        """Empty, reversed and impossible intervals are errors."""
        with pytest.raises(ValidationError):
            WorkingTime.parse(text)


class TestCalendarValidation:
    def test_no_working_time_rejected(self) -> None:
        """A calendar with no working time at all cannot be built."""
        with pytest.raises(ValidationError, match="no working time"):
            WorkCalendar("empty", [()] * 7)

    def test_overlaps_rejected(self) -> None:
        """Overlapping intervals in a day, or overlapping exceptions, are errors."""
        with pytest.raises(ValidationError, match="overlap"):
            WorkCalendar("x", {"mon": ["08:00-12:00", "11:00-13:00"]})
        with pytest.raises(ValidationError, match="overlap"):
            WorkCalendar.standard(
                exceptions=[
                    CalendarException(date(2026, 1, 1), date(2026, 1, 5)),
                    CalendarException(date(2026, 1, 5)),
                ]
            )

    def test_week_mapping(self) -> None:
        """A week may be a mapping of day names; missing days do not work."""
        cal = WorkCalendar("x", {"sat": ["10:00-14:00"]})
        assert cal.working_minutes_on(date(2026, 1, 3)) == 240
        assert cal.working_minutes_on(date(2026, 1, 5)) == 0
        with pytest.raises(ValidationError, match="unknown week day"):
            WorkCalendar("x", {"funday": ["10:00-14:00"]})


class TestPresets:
    def test_standard(self, standard: WorkCalendar) -> None:
        """Standard: Mon-Fri 08:00-12:00 and 13:00-17:00 = 2400 minutes a week."""
        assert standard.minutes_per_week == 2400
        assert standard.is_working(datetime(2026, 1, 5, 8))
        assert not standard.is_working(datetime(2026, 1, 5, 12, 30))
        assert not standard.is_working(datetime(2026, 1, 3, 10))

    def test_24_hours(self) -> None:
        """24 Hours: every minute works."""
        cal = WorkCalendar.twenty_four_hours()
        assert cal.minutes_per_week == 7 * 1440
        assert cal.add(datetime(2026, 1, 3, 23, 0), 120) == datetime(2026, 1, 4, 1, 0)

    def test_night_shift(self) -> None:
        """Night Shift: Monday 23:00 to Saturday 08:00, break 03:00-04:00."""
        cal = WorkCalendar.night_shift()
        assert cal.minutes_per_week == 60 + 4 * 480 + 420
        # Monday 23:00 + 8h of work = Tuesday 08:00 (one hour break at 03:00)
        assert cal.add(datetime(2026, 1, 5, 23), 480) == datetime(2026, 1, 6, 8)
        assert not cal.is_working(datetime(2026, 1, 6, 3, 30))


class TestArithmetic:
    def test_friday_evening_readings(self, standard: WorkCalendar) -> None:
        """Friday 17:00 and Monday 08:00 are the same point in working time."""
        fri = datetime(2026, 1, 2, 17)
        mon = datetime(2026, 1, 5, 8)
        assert standard.working_minutes_between(fri, mon) == 0
        assert standard.next_working_instant(fri) == mon
        assert standard.previous_working_instant(mon) == fri
        assert standard.add(datetime(2026, 1, 2, 8), 480) == fri
        assert standard.subtract(datetime(2026, 1, 6, 17), 960) == mon

    def test_holidays_are_skipped(self, standard: WorkCalendar) -> None:
        """A holiday range is skipped by add and by between."""
        cal = standard.with_exceptions(CalendarException(date(2026, 1, 5), date(2026, 1, 9)))
        assert cal.add(datetime(2026, 1, 2, 17), 60) == datetime(2026, 1, 12, 9)
        assert (
            cal.working_minutes_between(datetime(2026, 1, 1, 8), datetime(2026, 1, 13, 8))
            == 3 * 480
        )

    def test_extra_working_day(self, standard: WorkCalendar) -> None:
        """An exception with working times makes a Saturday work."""
        cal = standard.with_exceptions(
            CalendarException(date(2026, 1, 3), working_times=["09:00-13:00"])
        )
        assert cal.add(datetime(2026, 1, 2, 16), 120) == datetime(2026, 1, 3, 10)

    def test_long_spans_are_exact(self, standard: WorkCalendar) -> None:
        """Ten years of work land where 52-week arithmetic says."""
        start = datetime(2026, 1, 5, 8)
        end = standard.add(start, 2400 * 52 * 10)
        assert standard.working_minutes_between(start, end) == 2400 * 52 * 10
        assert end.weekday() == 4 and end.hour == 17

    def test_finite_working_time_gives_clear_error(self) -> None:
        """Running out of working time raises CalendarError, never loops."""
        cal = WorkCalendar(
            "once",
            [()] * 7,
            exceptions=[CalendarException(date(2026, 1, 1), working_times=["08:00-10:00"])],
        )
        assert cal.add(datetime(2025, 1, 1), 120) == datetime(2026, 1, 1, 10)
        with pytest.raises(CalendarError, match="no working time after"):
            cal.add(datetime(2025, 1, 1), 121)
        with pytest.raises(CalendarError, match="no working time before"):
            cal.subtract(datetime(2027, 1, 1), 121)

    def test_year_9999_limit(self, standard: WorkCalendar) -> None:
        """Arithmetic beyond the datetime range raises CalendarError."""
        with pytest.raises(CalendarError, match="9999"):
            standard.add(datetime(2026, 1, 1), 10**10)
        with pytest.raises(CalendarError):
            standard.subtract(datetime(2, 1, 1), 10**7)

    def test_seconds_are_floored(self, standard: WorkCalendar) -> None:
        """Calendar arithmetic has minute resolution."""
        assert to_minute_index(datetime(2026, 1, 5, 8, 0, 59)) == to_minute_index(
            datetime(2026, 1, 5, 8)
        )
        assert from_minute_index(to_minute_index(datetime(2026, 1, 5, 8, 1))) == datetime(
            2026, 1, 5, 8, 1
        )

    @given(calendars(), instants(), st.integers(0, 3000))
    def test_add_matches_reference(self, cal: WorkCalendar, start: datetime, minutes: int) -> None:
        """add() equals walking minute by minute (finish reading)."""
        assert cal.add(start, minutes) == ref_add(cal, start, minutes)

    @given(calendars(), instants(), instants())
    def test_between_matches_reference(self, cal: WorkCalendar, a: datetime, b: datetime) -> None:
        """working_minutes_between() equals counting minute by minute."""
        if abs((b - a).days) > 20:
            b = a + (b - a) / 10
            b = b.replace(second=0, microsecond=0)
        assert cal.working_minutes_between(a, b) == ref_between(cal, a, b)

    @given(calendars(), instants())
    def test_is_working_and_next(self, cal: WorkCalendar, t: datetime) -> None:
        """is_working and next_working_instant agree with the day's intervals."""
        assert cal.is_working(t) == ref_is_working(cal, t)
        assert cal.next_working_instant(t) == ref_next(cal, t)

    @given(calendars(), instants(), st.integers(0, 100_000))
    def test_laws(self, cal: WorkCalendar, start: datetime, minutes: int) -> None:
        """between(a, add(a, m)) == m; subtract(add(a, m), m) is a's next working instant."""
        end = cal.add(start, minutes)
        assert cal.working_minutes_between(start, end) == minutes
        back = cal.subtract(end, minutes)
        assert cal.working_minutes_between(start, back) == 0
        if minutes:
            assert back == cal.next_working_instant(start)

    @given(calendars(), instants(), st.integers(0, 5000), st.integers(0, 5000))
    def test_monotone(self, cal: WorkCalendar, start: datetime, m1: int, m2: int) -> None:
        """More work never finishes earlier."""
        lo, hi = sorted((m1, m2))
        assert cal.add(start, lo) <= cal.add(start, hi)

    @given(
        calendars(),
        st.lists(st.tuples(instants(), st.integers(-5000, 5000)), min_size=1, max_size=30),
    )
    def test_vectorised_matches_scalar(
        self, cal: WorkCalendar, pairs: list[tuple[datetime, int]]
    ) -> None:
        """add_array and working_minutes_between_array equal the scalar methods."""
        starts = np.array([p[0] for p in pairs], dtype="datetime64[m]")
        shifts = np.array([p[1] for p in pairs])
        got = cal.add_array(starts, shifts)
        want = [cal.add(s, m) for s, m in pairs]
        assert [g.astype(datetime) for g in got] == want
        between = cal.working_minutes_between_array(starts, got)
        assert list(between) == [
            cal.working_minutes_between(s, w) for (s, _), w in zip(pairs, want, strict=False)
        ]

    def test_far_apart_queries_share_one_table(self, standard: WorkCalendar) -> None:
        """Queries centuries apart stay consistent (the table grows both ways)."""
        a, b = datetime(1900, 1, 1, 8), datetime(2200, 1, 1, 8)
        m = standard.working_minutes_between(a, b)
        assert standard.add(a, m) == standard.previous_working_instant(b)
        assert standard.working_minutes_between(b, a) == -m
