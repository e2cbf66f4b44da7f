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
    from pmsm_core.model.frameworks import (
        KnowledgeArea,
        LifecycleStage,
        PracticeGroup,
        ProcessKind,
    )
    from pmsm_core.model.measurement import (
        Answer,
        AssessmentArea,
        MaturityAssessment,
        MaturityLevel,
        Measure,
        MeasureDirection,
        MeasureLevel,
        MeasurementModel,
        ProcessAssessment,
        ProcessKPI,
        Question,
        Questionnaire,
    )
    from pmsm_core.model.process import (
        Catalogue,
        Crosswalk,
        CrosswalkEntry,
        Interface,
        LinkDirection,
        Principle,
        Process,
        ProjectServiceLink,
        Provenance,
    )
    from pmsm_core.processes.catalog import (
        catalogue_names,
        extend_catalogue,
        load_catalogue,
        load_crosswalk,
        map_interfaces,
        project_service_links,
        tailor_catalogue,
    )
    from pmsm_core.processes.flow import (
        ArtefactRef,
        Bottleneck,
        FlowAnalysis,
        FlowLoop,
        Handoff,
        ProcessLoad,
        WhatIf,
        analyse_flow,
        flow_graph,
        flow_paths,
        what_if,
    )
    from pmsm_core.processes.maturity import (
        AreaMaturity,
        LevelSummary,
        MaturityReport,
        MeasurementReport,
        MeasureResult,
        ProcessMaturity,
        RollUpRule,
        assess_maturity,
        default_questionnaire,
        evaluate_measures,
        process_level,
    )
    from pmsm_core.processes.render import (
        flow_to_dot,
        flow_to_mermaid,
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
            "KnowledgeArea",
            "LifecycleStage",
            "PracticeGroup",
            "ProcessKind",
        ],
        "pmsm_core.model.frameworks",
    ),
    **dict.fromkeys(
        [
            "Answer",
            "AssessmentArea",
            "ProcessKPI",
            "MaturityAssessment",
            "MaturityLevel",
            "Measure",
            "MeasureDirection",
            "MeasureLevel",
            "MeasurementModel",
            "ProcessAssessment",
            "Question",
            "Questionnaire",
        ],
        "pmsm_core.model.measurement",
    ),
    **dict.fromkeys(
        [
            "Catalogue",
            "Crosswalk",
            "CrosswalkEntry",
            "Interface",
            "LinkDirection",
            "Principle",
            "Process",
            "ProjectServiceLink",
            "Provenance",
        ],
        "pmsm_core.model.process",
    ),
    **dict.fromkeys(
        [
            "catalogue_names",
            "extend_catalogue",
            "load_catalogue",
            "load_crosswalk",
            "map_interfaces",
            "project_service_links",
            "tailor_catalogue",
        ],
        "pmsm_core.processes.catalog",
    ),
    **dict.fromkeys(
        [
            "ArtefactRef",
            "Bottleneck",
            "FlowAnalysis",
            "FlowLoop",
            "Handoff",
            "ProcessLoad",
            "WhatIf",
            "analyse_flow",
            "flow_graph",
            "flow_paths",
            "what_if",
        ],
        "pmsm_core.processes.flow",
    ),
    **dict.fromkeys(
        [
            "AreaMaturity",
            "LevelSummary",
            "MaturityReport",
            "MeasureResult",
            "MeasurementReport",
            "ProcessMaturity",
            "RollUpRule",
            "assess_maturity",
            "default_questionnaire",
            "evaluate_measures",
            "process_level",
        ],
        "pmsm_core.processes.maturity",
    ),
    **dict.fromkeys(
        [
            "flow_to_dot",
            "flow_to_mermaid",
        ],
        "pmsm_core.processes.render",
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
    "Answer",
    "AreaMaturity",
    "ArtefactRef",
    "AssessmentArea",
    "Assignment",
    "Baseline",
    "BaselineActivity",
    "Bottleneck",
    "CalendarError",
    "CalendarException",
    "Catalogue",
    "CommunicationChannel",
    "ConstraintType",
    "ContractType",
    "Crosswalk",
    "CrosswalkEntry",
    "CycleError",
    "Deliverable",
    "Dependency",
    "DocumentError",
    "Duration",
    "DurationFactors",
    "FlowAnalysis",
    "FlowLoop",
    "Handoff",
    "Interface",
    "KnowledgeArea",
    "LevelSummary",
    "LifecycleStage",
    "LinkDirection",
    "LinkType",
    "MaturityAssessment",
    "MaturityLevel",
    "MaturityReport",
    "Measure",
    "MeasureDirection",
    "MeasureLevel",
    "MeasureResult",
    "MeasurementModel",
    "MeasurementReport",
    "MissingExtraError",
    "PercentLag",
    "Phase",
    "PmsmError",
    "PracticeGroup",
    "Principle",
    "Problem",
    "Process",
    "ProcessAssessment",
    "ProcessGroup",
    "ProcessKPI",
    "ProcessKind",
    "ProcessLoad",
    "ProcessMaturity",
    "ProcurementItem",
    "Progress",
    "Project",
    "ProjectBuilder",
    "ProjectServiceLink",
    "Provenance",
    "QualityMetric",
    "Question",
    "Questionnaire",
    "Resource",
    "ResourceKind",
    "Risk",
    "RiskResponse",
    "RiskStrategy",
    "RollUpRule",
    "ScheduleConstraint",
    "SchedulingError",
    "Stakeholder",
    "Supplier",
    "ThreePointEstimate",
    "TimeUnit",
    "TripleConstraint",
    "ValidationError",
    "WhatIf",
    "WorkCalendar",
    "WorkingTime",
    "__version__",
    "analyse_flow",
    "assess_maturity",
    "catalogue_names",
    "default_questionnaire",
    "demo_project",
    "dump",
    "dumps",
    "evaluate_measures",
    "extend_catalogue",
    "flow_graph",
    "flow_paths",
    "flow_to_dot",
    "flow_to_mermaid",
    "load",
    "load_catalogue",
    "load_crosswalk",
    "loads",
    "make_converter",
    "map_interfaces",
    "process_level",
    "project_service_links",
    "read",
    "tailor_catalogue",
    "what_if",
]
