"""Scheduling engines: the lean CPM core (:class:`Network`) and :func:`schedule`."""

from pmsm_core.scheduling.network import ConstraintCode, CPMResult, LinkCode, Network
from pmsm_core.scheduling.results import (
    CriticalDefinition,
    LagCalendar,
    Schedule,
    ScheduledActivity,
    ScheduledLink,
    ScheduleOptions,
    ScheduleWarning,
)
from pmsm_core.scheduling.schedule import schedule

__all__ = [
    "CPMResult",
    "ConstraintCode",
    "CriticalDefinition",
    "LagCalendar",
    "LinkCode",
    "Network",
    "Schedule",
    "ScheduleOptions",
    "ScheduleWarning",
    "ScheduledActivity",
    "ScheduledLink",
    "schedule",
]
