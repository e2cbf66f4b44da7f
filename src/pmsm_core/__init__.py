"""pmsm_core: project management and IT service management as typed domain objects.

The public API is listed in ``__all__``; each name is imported from its module on first
access, so ``import pmsm_core`` and the ``pmsm`` command start quickly.

Examples
--------
>>> import pmsm_core as pm
>>> project = pm.Project("P", activities=[pm.Activity("A", duration=pm.Duration(3))])
>>> pm.loads(pm.dumps(project)) == project
True
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from pmsm_core._version import __version__

if TYPE_CHECKING:  # pragma: no cover - explicit imports for type checkers and readers
    from pmsm_core.calendars import (
        CalendarException,
        Duration,
        DurationFactors,
        TimeUnit,
        WorkCalendar,
        WorkingTime,
    )
    from pmsm_core.examples import demo_project
    from pmsm_core.exceptions import (
        CalendarError,
        CycleError,
        DocumentError,
        MissingExtraError,
        PmsmError,
        Problem,
        SchedulingError,
        ValidationError,
    )
    from pmsm_core.io import read
    from pmsm_core.io.json import dump, dumps, load, loads, make_converter
    from pmsm_core.model import (
        Activity,
        Assignment,
        Baseline,
        BaselineActivity,
        CommunicationChannel,
        ConstraintType,
        ContractType,
        Deliverable,
        Dependency,
        LinkType,
        PercentLag,
        Phase,
        ProcessGroup,
        ProcurementItem,
        Progress,
        Project,
        ProjectBuilder,
        QualityMetric,
        Resource,
        ResourceKind,
        Risk,
        RiskResponse,
        RiskStrategy,
        ScheduleConstraint,
        Stakeholder,
        Supplier,
        ThreePointEstimate,
        TripleConstraint,
    )
    from pmsm_core.scheduling import (
        CriticalDefinition,
        LagCalendar,
        Network,
        Schedule,
        ScheduledActivity,
        ScheduledLink,
        ScheduleOptions,
        ScheduleWarning,
        schedule,
    )

#: Public name -> module that defines it. Everything is imported on first access, so that
#: ``import pmsm_core`` and the ``pmsm`` command start in a few milliseconds and numpy,
#: networkx and cattrs load only when a feature needs them.
_LAZY: dict[str, str] = {
    **dict.fromkeys(
        [
            "CalendarException",
            "Duration",
            "DurationFactors",
            "TimeUnit",
            "WorkCalendar",
            "WorkingTime",
        ],
        "pmsm_core.calendars",
    ),
    **dict.fromkeys(
        [
            "CalendarError",
            "CycleError",
            "DocumentError",
            "MissingExtraError",
            "PmsmError",
            "Problem",
            "SchedulingError",
            "ValidationError",
        ],
        "pmsm_core.exceptions",
    ),
    **dict.fromkeys(
        [
            "Activity",
            "Assignment",
            "Baseline",
            "BaselineActivity",
            "CommunicationChannel",
            "ConstraintType",
            "ContractType",
            "Deliverable",
            "Dependency",
            "LinkType",
            "PercentLag",
            "Phase",
            "ProcessGroup",
            "ProcurementItem",
            "Progress",
            "Project",
            "ProjectBuilder",
            "QualityMetric",
            "Resource",
            "ResourceKind",
            "Risk",
            "RiskResponse",
            "RiskStrategy",
            "ScheduleConstraint",
            "Stakeholder",
            "Supplier",
            "ThreePointEstimate",
            "TripleConstraint",
        ],
        "pmsm_core.model",
    ),
    **dict.fromkeys(["dump", "dumps", "load", "loads", "make_converter"], "pmsm_core.io.json"),
    **dict.fromkeys(
        [
            "CriticalDefinition",
            "LagCalendar",
            "Network",
            "Schedule",
            "ScheduleOptions",
            "ScheduleWarning",
            "ScheduledActivity",
            "ScheduledLink",
            "schedule",
        ],
        "pmsm_core.scheduling",
    ),
    "demo_project": "pmsm_core.examples",
    "read": "pmsm_core.io",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        msg = f"module 'pmsm_core' has no attribute {name!r}"
        raise AttributeError(msg)
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "Activity",
    "Assignment",
    "Baseline",
    "BaselineActivity",
    "CalendarError",
    "CalendarException",
    "CommunicationChannel",
    "ConstraintType",
    "ContractType",
    "CriticalDefinition",
    "CycleError",
    "Deliverable",
    "Dependency",
    "DocumentError",
    "Duration",
    "DurationFactors",
    "LagCalendar",
    "LinkType",
    "MissingExtraError",
    "Network",
    "PercentLag",
    "Phase",
    "PmsmError",
    "Problem",
    "ProcessGroup",
    "ProcurementItem",
    "Progress",
    "Project",
    "ProjectBuilder",
    "QualityMetric",
    "Resource",
    "ResourceKind",
    "Risk",
    "RiskResponse",
    "RiskStrategy",
    "Schedule",
    "ScheduleConstraint",
    "ScheduleOptions",
    "ScheduleWarning",
    "ScheduledActivity",
    "ScheduledLink",
    "SchedulingError",
    "Stakeholder",
    "Supplier",
    "ThreePointEstimate",
    "TimeUnit",
    "TripleConstraint",
    "ValidationError",
    "WorkCalendar",
    "WorkingTime",
    "__version__",
    "demo_project",
    "dump",
    "dumps",
    "load",
    "loads",
    "make_converter",
    "read",
    "schedule",
]
