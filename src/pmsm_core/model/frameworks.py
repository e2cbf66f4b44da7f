"""Vocabularies shared by projects, services and processes.

PMBOK process groups (projects) and ITIL lifecycle stages (services and processes).
"""

from __future__ import annotations

import enum

__all__ = ["LifecycleStage", "ProcessGroup"]


class ProcessGroup(enum.Enum):
    """The five PMBOK process groups every project runs through.

    Examples
    --------
    >>> [g.label for g in ProcessGroup][:2]
    ['Initiating', 'Planning']
    """

    INITIATING = "initiating"
    PLANNING = "planning"
    EXECUTING = "executing"
    MONITORING_AND_CONTROLLING = "monitoring-and-controlling"
    CLOSING = "closing"

    @property
    def label(self) -> str:
        """The group's name as PMBOK writes it."""
        return _LABELS[self]


_LABELS = {
    ProcessGroup.INITIATING: "Initiating",
    ProcessGroup.PLANNING: "Planning",
    ProcessGroup.EXECUTING: "Executing",
    ProcessGroup.MONITORING_AND_CONTROLLING: "Monitoring and Controlling",
    ProcessGroup.CLOSING: "Closing",
}


class LifecycleStage(enum.Enum):
    """The five stages of the ITIL service lifecycle a service moves through.

    Examples
    --------
    >>> LifecycleStage("service-operation").label
    'Service Operation'
    >>> len(LifecycleStage)
    5
    """

    SERVICE_STRATEGY = "service-strategy"
    SERVICE_DESIGN = "service-design"
    SERVICE_TRANSITION = "service-transition"
    SERVICE_OPERATION = "service-operation"
    CONTINUAL_SERVICE_IMPROVEMENT = "continual-service-improvement"

    @property
    def label(self) -> str:
        """The stage's name as ITIL writes it."""
        return _STAGE_LABELS[self]


_STAGE_LABELS = {
    LifecycleStage.SERVICE_STRATEGY: "Service Strategy",
    LifecycleStage.SERVICE_DESIGN: "Service Design",
    LifecycleStage.SERVICE_TRANSITION: "Service Transition",
    LifecycleStage.SERVICE_OPERATION: "Service Operation",
    LifecycleStage.CONTINUAL_SERVICE_IMPROVEMENT: "Continual Service Improvement",
}
