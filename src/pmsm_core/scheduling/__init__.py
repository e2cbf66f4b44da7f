"""Scheduling engines: the lean CPM core (:class:`Network`), :func:`schedule`, and schedule
risk analysis (:func:`simulate`, :func:`pert_analysis`)."""

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
from pmsm_core.scheduling.risk import PertAnalysis, RiskResult, pert_analysis, simulate
from pmsm_core.scheduling.schedule import schedule

__all__ = [
    "CPMResult",
    "ConstraintCode",
    "CriticalDefinition",
    "LagCalendar",
    "LinkCode",
    "Network",
    "PertAnalysis",
    "RiskResult",
    "Schedule",
    "ScheduleOptions",
    "ScheduleWarning",
    "ScheduledActivity",
    "ScheduledLink",
    "pert_analysis",
    "schedule",
    "simulate",
]
