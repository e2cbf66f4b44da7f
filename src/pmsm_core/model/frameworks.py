"""Vocabularies shared by projects, services and processes.

PMBOK process groups and knowledge areas, ITIL lifecycle stages and ITIL 4 practice
groups, and the kinds of element a process catalogue holds. The names are the frameworks'
own (names and groupings are facts); everything else here is this library's.
"""

from __future__ import annotations

import enum

__all__ = ["KnowledgeArea", "LifecycleStage", "PracticeGroup", "ProcessGroup", "ProcessKind"]


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
    """The five stages of the ITIL service lifecycle (ITIL v3 / 2011).

    Examples
    --------
    >>> LifecycleStage("service-transition").label
    'Service Transition'
    >>> [s.short for s in LifecycleStage]
    ['SS', 'SD', 'ST', 'SO', 'CSI']
    """

    SERVICE_STRATEGY = "service-strategy"
    SERVICE_DESIGN = "service-design"
    SERVICE_TRANSITION = "service-transition"
    SERVICE_OPERATION = "service-operation"
    CONTINUAL_SERVICE_IMPROVEMENT = "continual-service-improvement"

    @property
    def label(self) -> str:
        """The stage's name as ITIL writes it."""
        return " ".join(word.capitalize() for word in self.value.split("-"))

    @property
    def short(self) -> str:
        """The usual abbreviation (SS, SD, ST, SO or CSI)."""
        return "".join(word[0].upper() for word in self.value.split("-"))


class KnowledgeArea(enum.Enum):
    """The ten knowledge areas of the PMBOK Guide, 6th edition (chapters 4 to 13).

    Examples
    --------
    >>> KnowledgeArea.SCHEDULE.label, KnowledgeArea.SCHEDULE.chapter
    ('Project Schedule Management', 6)
    """

    INTEGRATION = "integration"
    SCOPE = "scope"
    SCHEDULE = "schedule"
    COST = "cost"
    QUALITY = "quality"
    RESOURCE = "resource"
    COMMUNICATIONS = "communications"
    RISK = "risk"
    PROCUREMENT = "procurement"
    STAKEHOLDER = "stakeholder"

    @property
    def label(self) -> str:
        """The area's name as the 6th edition writes it."""
        return f"Project {self.value.capitalize()} Management"

    @property
    def chapter(self) -> int:
        """The chapter of the PMBOK Guide (6th edition) that describes the area."""
        return list(KnowledgeArea).index(self) + 4


class PracticeGroup(enum.Enum):
    """The three groups of ITIL 4 management practices.

    Examples
    --------
    >>> PracticeGroup.TECHNICAL_MANAGEMENT.label
    'Technical management practices'
    """

    GENERAL_MANAGEMENT = "general-management"
    SERVICE_MANAGEMENT = "service-management"
    TECHNICAL_MANAGEMENT = "technical-management"

    @property
    def label(self) -> str:
        """The group's name as ITIL 4 writes it."""
        return self.value.replace("-", " ").capitalize() + " practices"


class ProcessKind(enum.Enum):
    """What an element of a process catalogue is.

    ITIL 2011 has *processes* and *functions* (teams that carry out process work), ITIL 4
    has *practices* and the six *value-chain activities*, the PMBOK Guide 6th edition has
    *processes* and the 7th edition *performance domains*. All of them take inputs and hand
    outputs to each other, so all of them can be nodes of a process-flow graph.

    Examples
    --------
    >>> ProcessKind("value-chain-activity").label
    'value-chain activity'
    """

    PROCESS = "process"
    FUNCTION = "function"
    PRACTICE = "practice"
    VALUE_CHAIN_ACTIVITY = "value-chain-activity"
    PERFORMANCE_DOMAIN = "performance-domain"

    @property
    def label(self) -> str:
        """The kind in words."""
        return (
            "value-chain activity"
            if self.value == "value-chain-activity"
            else (self.value.replace("-", " "))
        )
