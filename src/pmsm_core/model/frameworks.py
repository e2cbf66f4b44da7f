"""Vocabularies shared by projects and processes (PMBOK process groups)."""

from __future__ import annotations

import enum

__all__ = ["ProcessGroup"]


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
