"""Progress on activities and saved baselines (data; the engines live in scheduling)."""

from __future__ import annotations

from datetime import datetime

import attrs

from pmsm_core.calendars import Duration
from pmsm_core.model._validators import (
    check_duration,
    check_id,
    check_str,
    check_timepoint,
    fail,
    number,
    to_tuple,
    tuple_of,
)

__all__ = ["Baseline", "BaselineActivity", "Progress"]


@attrs.frozen
class Progress:
    """What has happened on an activity so far.

    Parameters
    ----------
    actual_start, actual_finish
        When work really started and finished.
    percent_complete
        Duration percent complete, 0 to 100.
    physical_percent_complete
        Physical (earned-value) percent complete, 0 to 100, when measured separately.
    remaining_duration
        Working time still needed; when absent it follows from the percent complete.
    actual_cost
        Cost incurred so far.

    Examples
    --------
    >>> Progress(actual_start=datetime(2026, 1, 5, 8), percent_complete=40.0).started
    True
    """

    actual_start: datetime | int | None = attrs.field(default=None, validator=check_timepoint())
    actual_finish: datetime | int | None = attrs.field(default=None, validator=check_timepoint())
    percent_complete: float = attrs.field(
        default=0.0, kw_only=True, validator=number(low=0, high=100)
    )
    physical_percent_complete: float | None = attrs.field(
        default=None, kw_only=True, validator=number(low=0, high=100, optional=True)
    )
    remaining_duration: Duration | None = attrs.field(
        default=None, kw_only=True, validator=check_duration(non_negative=True, optional=True)
    )
    actual_cost: float = attrs.field(default=0.0, kw_only=True, validator=number(low=0))

    def __attrs_post_init__(self) -> None:
        start, finish = self.actual_start, self.actual_finish
        if finish is not None and start is None:
            raise fail(self, "actual_start", "an actual finish needs an actual start")
        if start is not None and finish is not None:
            if type(start) is not type(finish):
                raise fail(
                    self, "actual_finish", "actual start and finish must be of the same kind"
                )
            if finish < start:  # type: ignore[operator]
                raise fail(
                    self,
                    "actual_finish",
                    f"actual finish {finish} comes before actual start {start}",
                )
        if finish is not None and self.percent_complete != 100:
            raise fail(
                self,
                "percent_complete",
                f"a finished activity is 100 % complete, got {self.percent_complete:g}",
            )
        remaining = self.remaining_duration
        if self.percent_complete == 100 and remaining is not None and remaining.minutes > 0:
            raise fail(
                self,
                "remaining_duration",
                f"a 100 % complete activity has no remaining duration, got {remaining}",
            )
        if self.percent_complete > 0 and start is None:
            raise fail(self, "actual_start", "progress above 0 % needs an actual start")

    @property
    def started(self) -> bool:
        """True once the activity has an actual start."""
        return self.actual_start is not None

    @property
    def finished(self) -> bool:
        """True once the activity has an actual finish."""
        return self.actual_finish is not None


@attrs.frozen
class BaselineActivity:
    """One activity as saved in a baseline.

    Examples
    --------
    >>> BaselineActivity("A", datetime(2026, 1, 5, 8), datetime(2026, 1, 6, 17)).activity
    'A'
    """

    activity: str = attrs.field(validator=check_id)
    start: datetime | int | None = attrs.field(default=None, validator=check_timepoint())
    finish: datetime | int | None = attrs.field(default=None, validator=check_timepoint())
    duration: Duration = attrs.field(
        default=Duration.ZERO, kw_only=True, validator=check_duration(non_negative=True)
    )
    cost: float = attrs.field(default=0.0, kw_only=True, validator=number(low=0))
    work: Duration | None = attrs.field(
        default=None, kw_only=True, validator=check_duration(non_negative=True, optional=True)
    )


@attrs.frozen
class Baseline:
    """A saved copy of the plan (Microsoft Project keeps baselines 0 to 10).

    Examples
    --------
    >>> Baseline(0, [BaselineActivity("A", 0, 5, duration=Duration(5))]).activities[0].finish
    5
    """

    number: int = attrs.field(validator=number(low=0, high=10, integer=True))
    activities: tuple[BaselineActivity, ...] = attrs.field(
        default=(), converter=to_tuple, validator=tuple_of(BaselineActivity)
    )
    name: str = attrs.field(default="", kw_only=True, validator=check_str)
    saved: datetime | None = attrs.field(default=None, kw_only=True, validator=check_timepoint())
