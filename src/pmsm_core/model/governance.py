"""The factors around a project's work: scope, budget, risks, suppliers, people, quality.

The essay this library grew from names them: a project is bound by time, budget and scope
(the *triple constraint*) and shaped by suppliers, risks, procurement, communication
channels, people and quality metrics. Each gets a small typed value here; the
:class:`~pmsm_core.Project` aggregate checks the references between them.
"""

from __future__ import annotations

import enum
from datetime import datetime

import attrs

from pmsm_core.calendars import Duration
from pmsm_core.model._validators import (
    check_duration,
    check_id,
    check_optional_id,
    check_str,
    check_timepoint,
    fail,
    instance_of,
    number,
    to_tuple,
    tuple_of,
)

__all__ = [
    "CommunicationChannel",
    "ContractType",
    "Deliverable",
    "ProcurementItem",
    "QualityMetric",
    "Risk",
    "RiskResponse",
    "RiskStrategy",
    "Stakeholder",
    "Supplier",
    "TripleConstraint",
]


@attrs.frozen
class Deliverable:
    """A piece of scope: something the project must hand over.

    Examples
    --------
    >>> Deliverable("D1", "Trained service desk", activities=["T1", "T2"]).activities
    ('T1', 'T2')
    """

    id: str = attrs.field(validator=check_id)
    name: str = attrs.field(default="", validator=check_str)
    description: str = attrs.field(default="", kw_only=True, validator=check_str)
    activities: tuple[str, ...] = attrs.field(
        default=(), kw_only=True, converter=to_tuple, validator=tuple_of(str)
    )
    acceptance_criteria: tuple[str, ...] = attrs.field(
        default=(), kw_only=True, converter=to_tuple, validator=tuple_of(str)
    )


@attrs.frozen
class TripleConstraint:
    """Time, budget and scope: the three limits every project is held to.

    Parameters
    ----------
    target_finish
        The finish the plan aims at (datetime, or time units for an undated project).
    deadline
        The latest acceptable finish.
    budget
        The spending cap in the project's currency.
    scope
        The deliverables.

    Examples
    --------
    >>> tc = TripleConstraint(budget=250_000.0)
    >>> tc.within_budget(240_000.0), tc.within_budget(260_000.0)
    (True, False)
    """

    target_finish: datetime | int | None = attrs.field(default=None, validator=check_timepoint())
    deadline: datetime | int | None = attrs.field(default=None, validator=check_timepoint())
    budget: float | None = attrs.field(default=None, validator=number(low=0, optional=True))
    scope: tuple[Deliverable, ...] = attrs.field(
        default=(), converter=to_tuple, validator=tuple_of(Deliverable)
    )

    def within_budget(self, cost: float) -> bool:
        """True when ``cost`` does not exceed the budget (always true without a budget)."""
        return self.budget is None or cost <= self.budget


class RiskStrategy(enum.Enum):
    """Response strategies for threats and opportunities (PMBOK 6, 11.5)."""

    AVOID = "avoid"
    MITIGATE = "mitigate"
    TRANSFER = "transfer"
    ACCEPT = "accept"
    ESCALATE = "escalate"
    EXPLOIT = "exploit"
    ENHANCE = "enhance"
    SHARE = "share"


@attrs.frozen
class RiskResponse:
    """The planned response to a risk and what it costs.

    Examples
    --------
    >>> RiskResponse(RiskStrategy.TRANSFER, "Insure the shipment", cost=900.0).strategy.value
    'transfer'
    """

    strategy: RiskStrategy = attrs.field(validator=instance_of(RiskStrategy))
    description: str = attrs.field(default="", validator=check_str)
    cost: float = attrs.field(default=0.0, kw_only=True, validator=number(low=0))


@attrs.frozen
class Risk:
    """An uncertain event that would affect the project if it happened.

    Parameters
    ----------
    probability
        Chance that it happens, 0 to 1.
    impact
        Severity score if it happens (any consistent scale, e.g. 1-5); see
        :attr:`exposure`.
    cost_impact
        Extra cost if it happens.
    schedule_impact
        Extra working time added to each affected activity if it happens.
    schedule_factor
        Factor applied to the duration of each affected activity if it happens
        (e.g. 1.2 for 20 % longer).
    affected_activities
        Ids of the activities it acts on.

    Examples
    --------
    >>> r = Risk("R1", "Vendor slips", probability=0.3, impact=4)
    >>> r.exposure
    1.2
    """

    id: str = attrs.field(validator=check_id)
    name: str = attrs.field(default="", validator=check_str)
    probability: float = attrs.field(default=0.0, kw_only=True, validator=number(low=0, high=1))
    impact: float = attrs.field(default=0.0, kw_only=True, validator=number(low=0))
    cost_impact: float = attrs.field(default=0.0, kw_only=True, validator=number())
    schedule_impact: Duration | None = attrs.field(
        default=None, kw_only=True, validator=check_duration(optional=True)
    )
    schedule_factor: float | None = attrs.field(
        default=None, kw_only=True, validator=number(low=0, optional=True)
    )
    owner: str | None = attrs.field(default=None, kw_only=True, validator=check_optional_id)
    response: RiskResponse | None = attrs.field(
        default=None, kw_only=True, validator=instance_of(RiskResponse, optional=True)
    )
    affected_activities: tuple[str, ...] = attrs.field(
        default=(), kw_only=True, converter=to_tuple, validator=tuple_of(str)
    )
    category: str = attrs.field(default="", kw_only=True, validator=check_str)
    description: str = attrs.field(default="", kw_only=True, validator=check_str)

    @property
    def exposure(self) -> float:
        """Probability × impact score."""
        return round(self.probability * self.impact, 12)

    @property
    def expected_cost(self) -> float:
        """Probability × cost impact (expected monetary value)."""
        return self.probability * self.cost_impact


@attrs.frozen
class Supplier:
    """An organisation that supplies goods or services to the project.

    Examples
    --------
    >>> Supplier("ACME", "Acme ITSM Ltd", rating=4.0).rating
    4.0
    """

    id: str = attrs.field(validator=check_id)
    name: str = attrs.field(default="", validator=check_str)
    contact: str = attrs.field(default="", kw_only=True, validator=check_str)
    rating: float | None = attrs.field(
        default=None, kw_only=True, validator=number(low=0, high=5, optional=True)
    )


class ContractType(enum.Enum):
    """Contract families used in procurement (PMBOK 6, 12.1)."""

    FIXED_PRICE = "fixed-price"
    TIME_AND_MATERIALS = "time-and-materials"
    COST_REIMBURSABLE = "cost-reimbursable"


@attrs.frozen
class ProcurementItem:
    """Something bought from a supplier, with its lead time.

    ``activity`` names the activity that needs the item; the lead time tells how long
    before that activity the order must be placed.

    Examples
    --------
    >>> ProcurementItem("PO1", "Licences", lead_time=Duration.from_days(10)).lead_time.minutes
    4800
    """

    id: str = attrs.field(validator=check_id)
    name: str = attrs.field(default="", validator=check_str)
    supplier: str | None = attrs.field(default=None, kw_only=True, validator=check_optional_id)
    lead_time: Duration = attrs.field(
        default=Duration.ZERO, kw_only=True, validator=check_duration(non_negative=True)
    )
    cost: float = attrs.field(default=0.0, kw_only=True, validator=number(low=0))
    activity: str | None = attrs.field(default=None, kw_only=True, validator=check_optional_id)
    contract_type: ContractType | None = attrs.field(
        default=None, kw_only=True, validator=instance_of(ContractType, optional=True)
    )


@attrs.frozen
class Stakeholder:
    """A person or group with an interest in the project.

    ``interest`` and ``influence`` are scores from 1 to 5 for the power/interest grid.

    Examples
    --------
    >>> Stakeholder("S1", "CIO", interest=5, influence=5).engagement
    'manage closely'
    """

    id: str = attrs.field(validator=check_id)
    name: str = attrs.field(default="", validator=check_str)
    role: str = attrs.field(default="", kw_only=True, validator=check_str)
    organisation: str = attrs.field(default="", kw_only=True, validator=check_str)
    interest: int = attrs.field(
        default=3, kw_only=True, validator=number(low=1, high=5, integer=True)
    )
    influence: int = attrs.field(
        default=3, kw_only=True, validator=number(low=1, high=5, integer=True)
    )
    communication: str = attrs.field(default="", kw_only=True, validator=check_str)

    @property
    def engagement(self) -> str:
        """How to engage this stakeholder, by quadrant of the power/interest grid."""
        high_power, high_interest = self.influence >= 3, self.interest >= 3
        if high_power and high_interest:
            return "manage closely"
        if high_power:
            return "keep satisfied"
        if high_interest:
            return "keep informed"
        return "monitor"


@attrs.frozen(order=True)
class CommunicationChannel:
    """A line of communication between two stakeholders (derived, never stored).

    A project with *n* stakeholders has *n(n-1)/2* channels; see
    :attr:`pmsm_core.Project.communication_channels`.

    Examples
    --------
    >>> CommunicationChannel("CIO", "HR")
    CommunicationChannel(first='CIO', second='HR')
    """

    first: str
    second: str


@attrs.frozen
class QualityMetric:
    """A measurable quality target with a tolerance.

    ``direction`` says which side of the target is acceptable: ``"target"`` (within
    ``tolerance`` either side), ``"min"`` (at least target − tolerance) or ``"max"`` (at most
    target + tolerance).

    Examples
    --------
    >>> m = QualityMetric(
    ...     "Q1", "First-contact resolution", target=70.0, tolerance=5.0, direction="min", unit="%"
    ... )
    >>> m.is_met(66.0), m.is_met(64.0)
    (True, False)
    """

    id: str = attrs.field(validator=check_id)
    name: str = attrs.field(default="", validator=check_str)
    target: float = attrs.field(default=0.0, kw_only=True, validator=number())
    tolerance: float = attrs.field(default=0.0, kw_only=True, validator=number(low=0))
    direction: str = attrs.field(default="target", kw_only=True)
    unit: str = attrs.field(default="", kw_only=True, validator=check_str)
    measured: float | None = attrs.field(
        default=None, kw_only=True, validator=number(optional=True)
    )
    deliverable: str | None = attrs.field(default=None, kw_only=True, validator=check_optional_id)

    @direction.validator
    def _check_direction(self, attribute: attrs.Attribute[str], value: str) -> None:
        if value not in ("target", "min", "max"):
            raise fail(
                self, "direction", f"direction must be 'target', 'min' or 'max', got {value!r}"
            )

    def is_met(self, value: float | None = None) -> bool:
        """True when ``value`` (default: the measured value) meets the target."""
        if value is None:
            value = self.measured
        if value is None:
            return False
        if self.direction == "min":
            return value >= self.target - self.tolerance
        if self.direction == "max":
            return value <= self.target + self.tolerance
        return abs(value - self.target) <= self.tolerance
