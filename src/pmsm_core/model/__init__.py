"""Frozen, validated domain values for projects (and, with later modules, services)."""

from pmsm_core.model.estimates import (
    Distribution,
    EmpiricalEstimate,
    FixedEstimate,
    LognormalEstimate,
    UniformEstimate,
)
from pmsm_core.model.frameworks import ProcessGroup
from pmsm_core.model.governance import (
    CommunicationChannel,
    ContractType,
    Deliverable,
    ProcurementItem,
    QualityMetric,
    Risk,
    RiskResponse,
    RiskStrategy,
    Stakeholder,
    Supplier,
    TripleConstraint,
)
from pmsm_core.model.progress import Baseline, BaselineActivity, Progress
from pmsm_core.model.project import (
    Activity,
    ConstraintType,
    Dependency,
    LinkType,
    PercentLag,
    Phase,
    Project,
    ProjectBuilder,
    ScheduleConstraint,
    ThreePointEstimate,
)
from pmsm_core.model.resources import Assignment, Resource, ResourceKind

__all__ = [
    "Activity",
    "Assignment",
    "Baseline",
    "BaselineActivity",
    "CommunicationChannel",
    "ConstraintType",
    "ContractType",
    "Deliverable",
    "Dependency",
    "Distribution",
    "EmpiricalEstimate",
    "FixedEstimate",
    "LinkType",
    "LognormalEstimate",
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
    "UniformEstimate",
]
