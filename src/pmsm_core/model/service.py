"""The service side of the domain model: services, agreements, configuration items, tickets.

A *service* is ongoing work with a boundary (the inputs it takes, the outputs it hands over
and the results it must deliver consistently), consumers, offerings and a place in the
service portfolio and the ITIL lifecycle. *Agreements* state what is promised: service
level agreements with customers, operational level agreements with internal teams and
underpinning contracts with suppliers, each a set of :class:`ServiceLevelTarget` values
timed on agreed service hours (a :class:`~pmsm_core.WorkCalendar`). *Configuration items*
and *dependencies* say what a service needs; *redundancy groups* say how many of a set of
providers must be up. *Outages*, *tickets* and *measurements* are the records the engines
in :mod:`pmsm_core.services` turn into availability, SLA clocks and consistency figures.

Every value validates itself on construction; :class:`ServiceCatalogue` checks the
references between them once and collects every problem before raising, like
:class:`~pmsm_core.Project`.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import attrs

from pmsm_core.calendars import Duration, WorkCalendar
from pmsm_core.exceptions import Problem, ValidationError
from pmsm_core.model._validators import (
    check_date,
    check_datetime,
    check_duration,
    check_id,
    check_optional_id,
    check_str,
    fail,
    instance_of,
    number,
    to_tuple,
    tuple_of,
)
from pmsm_core.model.frameworks import LifecycleStage
from pmsm_core.model.governance import QualityMetric, Supplier

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__all__ = [
    "Agreement",
    "ConfigurationItem",
    "Measurement",
    "OperationalLevelAgreement",
    "Outage",
    "PortfolioStatus",
    "RedundancyGroup",
    "Service",
    "ServiceBoundary",
    "ServiceCatalogue",
    "ServiceDependency",
    "ServiceLevelAgreement",
    "ServiceLevelTarget",
    "ServiceOffering",
    "StateChange",
    "TargetMetric",
    "Ticket",
    "TicketType",
    "UnderpinningContract",
]

#: Id of the round-the-clock calendar used when an agreement names no service hours.
ROUND_THE_CLOCK = "24x7"


# --------------------------------------------------------------------------- vocabularies


class PortfolioStatus(enum.Enum):
    """Where a service sits in the service portfolio.

    ``pipeline``: proposed or being built; ``catalogue``: live or ready to be offered;
    ``retired``: phased out, kept for reference.
    """

    PIPELINE = "pipeline"
    CATALOGUE = "catalogue"
    RETIRED = "retired"


class TargetMetric(enum.Enum):
    """What a service level target measures."""

    AVAILABILITY = "availability"
    """Share of agreed service time the service is up, in percent."""
    RESPONSE = "response"
    """Business time from a ticket's opening until it first leaves its new states."""
    RESOLUTION = "resolution"
    """Business time a ticket spends open, outside pause states, until resolved."""


class TicketType(enum.Enum):
    """The two kinds of ticket a service desk handles."""

    INCIDENT = "incident"
    SERVICE_REQUEST = "service-request"


# --------------------------------------------------------------------------- helpers


def _check_percent(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    number(low=0, high=100, optional=True)(instance, attribute, value)


def _check_fraction(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise fail(
            instance, attribute.name, f"{attribute.name} must be a number in [0, 1], got {value!r}"
        )
    if not 0.0 <= value <= 1.0:
        raise fail(
            instance,
            attribute.name,
            f"{attribute.name} must lie in [0, 1] (a fraction, 0.999 for 99.9 %), got {value!r}",
        )


def _check_ids(instance: object, attribute: attrs.Attribute[Any], value: tuple[Any, ...]) -> None:
    seen: set[str] = set()
    for index, item in enumerate(value):
        if not isinstance(item, str) or not item or item != item.strip():
            raise fail(
                instance,
                f"{attribute.name}[{index}]",
                f"{attribute.name}[{index}] must be a non-empty string without surrounding "
                f"blanks, got {item!r}",
            )
        if item in seen:
            raise fail(
                instance, f"{attribute.name}[{index}]", f"{attribute.name} lists {item!r} twice"
            )
        seen.add(item)


def _check_strings(
    instance: object, attribute: attrs.Attribute[Any], value: tuple[Any, ...]
) -> None:
    for index, item in enumerate(value):
        if not isinstance(item, str):
            raise fail(
                instance,
                f"{attribute.name}[{index}]",
                f"{attribute.name}[{index}] must be a string, got {item!r}",
            )


def _check_when(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    problem = check_datetime(value)
    if problem:
        raise fail(instance, attribute.name, f"{attribute.name}: {problem}")


def _priority(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    number(low=1, high=5, integer=True, optional=True)(instance, attribute, value)


# --------------------------------------------------------------------------- services


@attrs.frozen
class ServiceBoundary:
    """What crosses a service's edge and what it must deliver, consistently.

    Parameters
    ----------
    inputs
        What the service takes in (requests, data, supplies).
    outputs
        What it hands over to its consumers.
    results
        The results to be delivered on a consistent basis, each a measurable
        :class:`~pmsm_core.QualityMetric` (target, tolerance, direction). Their
        :class:`Measurement` records feed :func:`~pmsm_core.consistency`.

    Examples
    --------
    >>> from pmsm_core import QualityMetric
    >>> b = ServiceBoundary(
    ...     inputs=["Calls", "Portal requests"],
    ...     outputs=["Resolved incidents"],
    ...     results=[QualityMetric("FCR", target=70.0, direction="min", unit="%")],
    ... )
    >>> b.inputs, b.result("FCR").target
    (('Calls', 'Portal requests'), 70.0)
    """

    inputs: tuple[str, ...] = attrs.field(default=(), converter=to_tuple, validator=_check_strings)
    outputs: tuple[str, ...] = attrs.field(default=(), converter=to_tuple, validator=_check_strings)
    results: tuple[QualityMetric, ...] = attrs.field(
        default=(), converter=to_tuple, validator=tuple_of(QualityMetric)
    )

    def __attrs_post_init__(self) -> None:
        seen: set[str] = set()
        for index, metric in enumerate(self.results):
            if metric.id in seen:
                msg = f"service boundary: duplicate result id {metric.id!r}"
                raise ValidationError(
                    msg,
                    path=f"results[{index}].id",
                )
            seen.add(metric.id)

    def result(self, result_id: str) -> QualityMetric:
        """The result with id ``result_id``.

        Raises
        ------
        KeyError
            If the boundary has no such result.
        """
        for metric in self.results:
            if metric.id == result_id:
                return metric
        raise KeyError(result_id)


@attrs.frozen
class ServiceOffering:
    """A packaged way a service is offered to consumers (a catalogue entry).

    Examples
    --------
    >>> ServiceOffering("SD-GOLD", "Service desk, extended hours").name
    'Service desk, extended hours'
    """

    id: str = attrs.field(validator=check_id)
    name: str = attrs.field(default="", validator=check_str)
    description: str = attrs.field(default="", kw_only=True, validator=check_str)


@attrs.frozen
class Service:
    """An ongoing service: owner, portfolio status, lifecycle stage, boundary, consumers.

    Parameters
    ----------
    id, name
        Identity; the id shares one namespace with configuration items and redundancy
        groups, because all of them are nodes of the dependency graph.
    owner
        The person or team accountable for the service.
    status
        :class:`PortfolioStatus`, ``catalogue`` (live) by default.
    stage
        :class:`~pmsm_core.LifecycleStage`, ``service-operation`` by default.
    boundary
        Inputs, outputs and the results to be delivered consistently.
    consumers
        Who uses the service (departments, customer groups).
    offerings
        How it is offered.

    Examples
    --------
    >>> s = Service("SD", "Service desk", owner="Head of support", consumers=["All staff"])
    >>> s.status, s.stage.label
    (<PortfolioStatus.CATALOGUE: 'catalogue'>, 'Service Operation')
    """

    id: str = attrs.field(validator=check_id)
    name: str = attrs.field(default="", validator=check_str)
    owner: str = attrs.field(default="", kw_only=True, validator=check_str)
    status: PortfolioStatus = attrs.field(
        default=PortfolioStatus.CATALOGUE, kw_only=True, validator=instance_of(PortfolioStatus)
    )
    stage: LifecycleStage = attrs.field(
        default=LifecycleStage.SERVICE_OPERATION,
        kw_only=True,
        validator=instance_of(LifecycleStage),
    )
    boundary: ServiceBoundary = attrs.field(
        factory=ServiceBoundary, kw_only=True, validator=instance_of(ServiceBoundary)
    )
    consumers: tuple[str, ...] = attrs.field(
        default=(), kw_only=True, converter=to_tuple, validator=_check_strings
    )
    offerings: tuple[ServiceOffering, ...] = attrs.field(
        default=(), kw_only=True, converter=to_tuple, validator=tuple_of(ServiceOffering)
    )
    description: str = attrs.field(default="", kw_only=True, validator=check_str)

    def __attrs_post_init__(self) -> None:
        seen: set[str] = set()
        for index, offering in enumerate(self.offerings):
            if offering.id in seen:
                raise fail(self, f"offerings[{index}].id", f"duplicate offering {offering.id!r}")
            seen.add(offering.id)


@attrs.frozen
class ConfigurationItem:
    """A component that delivers services: a server, an application, a contract, a link.

    Parameters
    ----------
    id, name
        Identity (one namespace with services and redundancy groups).
    type
        The CMDB class, free text (``"server"``, ``"database"``, ``"network"`` ...).
    owner
        The team that manages it.
    availability
        Its own availability as a fraction in [0, 1] (0.999 for 99.9 %), used by
        :func:`~pmsm_core.service_availability`; None when unknown (then taken as 1.0 and
        reported).

    Examples
    --------
    >>> ConfigurationItem("DB1", "Database primary", type="database", availability=0.998)
    ConfigurationItem(id='DB1', name='Database primary', type='database', owner='', availability=0.998, description='')
    >>> ConfigurationItem("X", availability=99.9)
    Traceback (most recent call last):
    ...
    pmsm_core.exceptions.ValidationError: availability: configuration item 'X': availability must lie in [0, 1] (a fraction, 0.999 for 99.9 %), got 99.9
    """  # noqa: E501

    id: str = attrs.field(validator=check_id)
    name: str = attrs.field(default="", validator=check_str)
    type: str = attrs.field(default="", kw_only=True, validator=check_str)
    owner: str = attrs.field(default="", kw_only=True, validator=check_str)
    availability: float | None = attrs.field(default=None, kw_only=True, validator=_check_fraction)
    description: str = attrs.field(default="", kw_only=True, validator=check_str)


@attrs.frozen
class ServiceDependency:
    """``dependent`` needs ``provider`` to be up (service->service, service->CI, CI->CI).

    The dependent is a service or a configuration item; the provider is a service, a
    configuration item or a :class:`RedundancyGroup`. A dependent is down as soon as any
    of its providers is down.

    Examples
    --------
    >>> ServiceDependency("EMAIL", "MAIL-FARM").provider
    'MAIL-FARM'
    >>> ServiceDependency("A", "A")
    Traceback (most recent call last):
    ...
    pmsm_core.exceptions.ValidationError: provider: service dependency: 'A' cannot depend on itself
    """

    dependent: str = attrs.field(validator=check_id)
    provider: str = attrs.field(validator=check_id)
    description: str = attrs.field(default="", kw_only=True, validator=check_str)

    def __attrs_post_init__(self) -> None:
        if self.dependent == self.provider:
            raise fail(self, "provider", f"{self.dependent!r} cannot depend on itself")


@attrs.frozen
class RedundancyGroup:
    """A set of interchangeable providers of which at least *k* must be up.

    Give ``min_up`` as a count or ``min_up_percent`` as a share of the members (rounded
    up: 50 % of 3 members is 2); with neither, one member suffices (plain parallel
    redundancy). The group is a node of the dependency graph: services and configuration
    items depend on it through :class:`ServiceDependency`. Impact analysis and
    availability both use the same threshold: the group is down when fewer than *k*
    members are up, and *degraded* while some members are down but *k* are still up.

    Examples
    --------
    >>> RedundancyGroup("WEB", ["WEB1", "WEB2", "WEB3"], min_up=2).required
    2
    >>> RedundancyGroup("WEB", ["WEB1", "WEB2", "WEB3"], min_up_percent=50.0).required
    2
    >>> RedundancyGroup("WEB", ["WEB1", "WEB2"], min_up=3)
    Traceback (most recent call last):
    ...
    pmsm_core.exceptions.ValidationError: min_up: redundancy group 'WEB': min_up must lie in 1..2 (the number of members), got 3
    """  # noqa: E501

    id: str = attrs.field(validator=check_id)
    members: tuple[str, ...] = attrs.field(converter=to_tuple, validator=_check_ids)
    min_up: int | None = attrs.field(
        default=None, kw_only=True, validator=number(optional=True, integer=True)
    )
    min_up_percent: float | None = attrs.field(
        default=None, kw_only=True, validator=number(optional=True)
    )
    name: str = attrs.field(default="", kw_only=True, validator=check_str)

    def __attrs_post_init__(self) -> None:
        n = len(self.members)
        if n == 0:
            raise fail(self, "members", "a redundancy group needs at least one member")
        if self.id in self.members:
            raise fail(self, "members", f"group {self.id!r} cannot be its own member")
        if self.min_up is not None and self.min_up_percent is not None:
            raise fail(self, "min_up_percent", "give min_up or min_up_percent, not both")
        if self.min_up is not None and not 1 <= self.min_up <= n:
            raise fail(
                self,
                "min_up",
                f"min_up must lie in 1..{n} (the number of members), got {self.min_up}",
            )
        if self.min_up_percent is not None and not 0 < self.min_up_percent <= 100:
            raise fail(
                self,
                "min_up_percent",
                f"min_up_percent must lie in (0, 100], got {self.min_up_percent}",
            )

    @property
    def required(self) -> int:
        """*k*: how many members must be up for the group to be up."""
        n = len(self.members)
        if self.min_up is not None:
            return self.min_up
        if self.min_up_percent is not None:
            return max(1, min(n, math.ceil(n * self.min_up_percent / 100 - 1e-9)))
        return 1


# --------------------------------------------------------------------------- agreements


@attrs.frozen
class ServiceLevelTarget:
    """One promise of an agreement: an availability or a response/resolution time.

    Parameters
    ----------
    metric
        :class:`TargetMetric`.
    availability
        For availability targets: the agreed availability in percent (99.5).
    time
        For response and resolution targets: the allowed business time, consumed only
        inside the agreement's service hours (give it in hours or minutes, e.g. ``4h``).
    priority
        The ticket priority (1 highest .. 5) the target applies to; None for any.
    ticket_type
        The ticket type it applies to; None for any.
    compliance
        The share of tickets (percent) that must meet the time target in each period,
        used for consistency reporting; None when not agreed.
    warning
        Percent of the time target at which a clock warns (75 % by default).

    Examples
    --------
    >>> from pmsm_core import Duration
    >>> t = ServiceLevelTarget(TargetMetric.RESOLUTION, time=Duration.from_hours(4), priority=1)
    >>> t.time.minutes, t.warning, t.label
    (240, 75.0, 'resolution P1 4h')
    >>> ServiceLevelTarget(TargetMetric.AVAILABILITY, availability=99.5).label
    'availability 99.5 %'
    """

    metric: TargetMetric = attrs.field(validator=instance_of(TargetMetric))
    availability: float | None = attrs.field(default=None, kw_only=True, validator=_check_percent)
    time: Duration | None = attrs.field(
        default=None, kw_only=True, validator=check_duration(optional=True)
    )
    priority: int | None = attrs.field(default=None, kw_only=True, validator=_priority)
    ticket_type: TicketType | None = attrs.field(
        default=None, kw_only=True, validator=instance_of(TicketType, optional=True)
    )
    compliance: float | None = attrs.field(default=None, kw_only=True, validator=_check_percent)
    warning: float = attrs.field(default=75.0, kw_only=True, validator=number(low=1, high=100))
    name: str = attrs.field(default="", kw_only=True, validator=check_str)

    def __attrs_post_init__(self) -> None:
        if self.metric is TargetMetric.AVAILABILITY:
            if self.availability is None:
                raise fail(self, "availability", "an availability target needs availability (%)")
            for field in ("time", "priority", "ticket_type", "compliance"):
                if getattr(self, field) is not None:
                    raise fail(self, field, f"an availability target takes no {field}")
            return
        if self.availability is not None:
            raise fail(self, "availability", f"a {self.metric.value} target takes no availability")
        if self.time is None:
            raise fail(self, "time", f"a {self.metric.value} target needs a time")
        if self.time.elapsed:
            raise fail(
                self,
                "time",
                "target times are business time on the agreement's service hours, not elapsed "
                "time; use a round-the-clock calendar for 24x7 targets",
            )
        if self.time.minutes <= 0:
            raise fail(self, "time", f"time must be positive, got {self.time}")

    @property
    def label(self) -> str:
        """A short description such as ``"resolution P1 4h"`` or ``"availability 99.5 %"``."""
        if self.name:
            return self.name
        if self.metric is TargetMetric.AVAILABILITY:
            return f"availability {self.availability:g} %"
        parts = [self.metric.value]
        if self.ticket_type is not None:
            parts.append(self.ticket_type.value)
        if self.priority is not None:
            parts.append(f"P{self.priority}")
        assert self.time is not None
        parts.append(str(self.time))
        return " ".join(parts)

    def matches(self, metric: TargetMetric, priority: int, ticket_type: TicketType) -> bool:
        """True when the target applies to a ticket of this priority and type."""
        return (
            self.metric is metric
            and (self.priority is None or self.priority == priority)
            and (self.ticket_type is None or self.ticket_type is ticket_type)
        )


@attrs.frozen
class Agreement:
    """What service level agreements, OLAs and underpinning contracts have in common.

    Use one of the three kinds; the fields are described with
    :class:`ServiceLevelAgreement`.

    Examples
    --------
    >>> issubclass(ServiceLevelAgreement, Agreement), issubclass(UnderpinningContract, Agreement)
    (True, True)
    >>> Agreement("A")
    Traceback (most recent call last):
    ...
    pmsm_core.exceptions.ValidationError: agreement 'A': use ServiceLevelAgreement, OperationalLevelAgreement or UnderpinningContract
    """  # noqa: E501

    id: str = attrs.field(validator=check_id)
    name: str = attrs.field(default="", validator=check_str)
    services: tuple[str, ...] = attrs.field(
        default=(), kw_only=True, converter=to_tuple, validator=_check_ids
    )
    service_hours: str | None = attrs.field(default=None, kw_only=True, validator=check_optional_id)
    targets: tuple[ServiceLevelTarget, ...] = attrs.field(
        default=(), kw_only=True, converter=to_tuple, validator=tuple_of(ServiceLevelTarget)
    )
    new_states: tuple[str, ...] = attrs.field(
        default=("new",), kw_only=True, converter=to_tuple, validator=_check_ids
    )
    pause_states: tuple[str, ...] = attrs.field(
        default=("pending",), kw_only=True, converter=to_tuple, validator=_check_ids
    )
    resolved_states: tuple[str, ...] = attrs.field(
        default=("resolved", "closed"), kw_only=True, converter=to_tuple, validator=_check_ids
    )
    cancelled_states: tuple[str, ...] = attrs.field(
        default=("cancelled",), kw_only=True, converter=to_tuple, validator=_check_ids
    )
    start: date | None = attrs.field(default=None, kw_only=True, validator=check_date())
    end: date | None = attrs.field(default=None, kw_only=True, validator=check_date())
    description: str = attrs.field(default="", kw_only=True, validator=check_str)

    def __attrs_post_init__(self) -> None:
        if type(self) is Agreement:
            raise fail(
                self,
                "",
                "use ServiceLevelAgreement, OperationalLevelAgreement or UnderpinningContract",
            )
        if self.start is not None and self.end is not None and self.end < self.start:
            raise fail(self, "end", f"end {self.end} comes before start {self.start}")
        groups = {
            "new_states": self.new_states,
            "pause_states": self.pause_states,
            "resolved_states": self.resolved_states,
            "cancelled_states": self.cancelled_states,
        }
        seen: dict[str, str] = {}
        for field, states in groups.items():
            for state in states:
                if state in seen:
                    raise fail(
                        self,
                        field,
                        f"state {state!r} is in both {seen[state]} and {field}",
                    )
                seen[state] = field
        if not self.resolved_states:
            raise fail(self, "resolved_states", "at least one resolved state is needed")

    def target_for(
        self, metric: TargetMetric, priority: int, ticket_type: TicketType
    ) -> ServiceLevelTarget | None:
        """The target for a ticket: the shortest matching time target, or None.

        Examples
        --------
        >>> from pmsm_core import Duration
        >>> sla = ServiceLevelAgreement(
        ...     "SLA",
        ...     targets=[
        ...         ServiceLevelTarget(TargetMetric.RESOLUTION, time=Duration(480)),
        ...         ServiceLevelTarget(TargetMetric.RESOLUTION, time=Duration(240), priority=1),
        ...     ],
        ... )
        >>> sla.target_for(TargetMetric.RESOLUTION, 1, TicketType.INCIDENT).time.minutes
        240
        >>> sla.target_for(TargetMetric.RESPONSE, 1, TicketType.INCIDENT) is None
        True
        """
        best: ServiceLevelTarget | None = None
        for target in self.targets:
            if target.matches(metric, priority, ticket_type):
                assert target.time is not None
                if best is None or (best.time is not None and target.time < best.time):
                    best = target
        return best

    @property
    def availability_target(self) -> float | None:
        """The agreed availability in percent (the strictest if several), or None."""
        values = [
            t.availability
            for t in self.targets
            if t.metric is TargetMetric.AVAILABILITY and t.availability is not None
        ]
        return max(values) if values else None

    @property
    def kind(self) -> str:
        """``"SLA"``, ``"OLA"`` or ``"UC"``."""
        return _KINDS[type(self).__name__]


_KINDS = {
    "ServiceLevelAgreement": "SLA",
    "OperationalLevelAgreement": "OLA",
    "UnderpinningContract": "UC",
}


@attrs.frozen
class ServiceLevelAgreement(Agreement):
    """An agreement with a customer on the levels of one or more services.

    Parameters
    ----------
    id, name
        Identity (one namespace with OLAs and underpinning contracts).
    services
        Ids of the services it covers.
    customer
        The customer side of the agreement.
    service_hours
        Id of the catalogue calendar holding the agreed service hours; None means round
        the clock (24 × 7). Availability and every clock count only inside these hours.
    targets
        The :class:`ServiceLevelTarget` values; for a ticket the shortest matching time
        target applies.
    new_states, pause_states, resolved_states, cancelled_states
        How ticket states drive the clocks: the response clock runs until the ticket first
        leaves its new states; the resolution clock stops in pause states (e.g. waiting
        for the customer), completes in resolved states and is dropped in cancelled ones.
    start, end
        Validity dates.

    Examples
    --------
    >>> from pmsm_core import Duration
    >>> sla = ServiceLevelAgreement(
    ...     "SLA-SD",
    ...     "Service desk SLA",
    ...     customer="All departments",
    ...     services=["SD"],
    ...     service_hours="business-hours",
    ...     targets=[
    ...         ServiceLevelTarget(TargetMetric.AVAILABILITY, availability=99.5),
    ...         ServiceLevelTarget(TargetMetric.RESOLUTION, time=Duration.from_hours(8)),
    ...     ],
    ...     pause_states=["pending", "waiting-for-customer"],
    ... )
    >>> sla.kind, sla.availability_target, sla.pause_states
    ('SLA', 99.5, ('pending', 'waiting-for-customer'))
    """

    customer: str = attrs.field(default="", kw_only=True, validator=check_str)


@attrs.frozen
class OperationalLevelAgreement(Agreement):
    """An agreement with an internal team that supports the service level agreements.

    Examples
    --------
    >>> from pmsm_core import Duration
    >>> ola = OperationalLevelAgreement(
    ...     "OLA-INFRA",
    ...     team="Infrastructure",
    ...     services=["ITSM"],
    ...     targets=[ServiceLevelTarget(TargetMetric.RESOLUTION, time=Duration(120), priority=1)],
    ... )
    >>> ola.kind, ola.team
    ('OLA', 'Infrastructure')
    """

    team: str = attrs.field(default="", kw_only=True, validator=check_str)


@attrs.frozen
class UnderpinningContract(Agreement):
    """A contract with an external supplier that underpins the service levels.

    ``supplier`` names a :class:`~pmsm_core.Supplier` of the catalogue.

    Examples
    --------
    >>> uc = UnderpinningContract(
    ...     "UC-TEL",
    ...     supplier="TELCO",
    ...     services=["TEL"],
    ...     targets=[ServiceLevelTarget(TargetMetric.AVAILABILITY, availability=99.95)],
    ... )
    >>> uc.kind, uc.supplier, uc.availability_target
    ('UC', 'TELCO', 99.95)
    """

    supplier: str = attrs.field(kw_only=True, validator=check_id)


# --------------------------------------------------------------------------- records


@attrs.frozen
class Outage:
    """A recorded interruption of a service or configuration item, ``[start, end)``.

    Examples
    --------
    >>> o = Outage("EMAIL", datetime(2026, 3, 3, 10, 0), datetime(2026, 3, 3, 11, 30))
    >>> o.minutes
    90
    """

    item: str = attrs.field(validator=check_id)
    start: datetime = attrs.field(validator=_check_when)
    end: datetime = attrs.field(validator=_check_when)
    description: str = attrs.field(default="", kw_only=True, validator=check_str)

    def __attrs_post_init__(self) -> None:
        if self.end <= self.start:
            raise fail(
                self,
                "end",
                f"outage of {self.item!r}: end {self.end.isoformat()} must come after start "
                f"{self.start.isoformat()}",
            )

    @property
    def minutes(self) -> int:
        """Wall-clock length in minutes."""
        return int((self.end - self.start).total_seconds()) // 60


@attrs.frozen
class StateChange:
    """A ticket entering ``state`` at ``at``.

    Examples
    --------
    >>> StateChange(datetime(2026, 3, 2, 9, 15), "new").state
    'new'
    """

    at: datetime = attrs.field(validator=_check_when)
    state: str = attrs.field(validator=check_id)


@attrs.frozen
class Ticket:
    """An incident or service request with its state history.

    Parameters
    ----------
    id
        Unique within the catalogue.
    service
        Id of the service it concerns.
    history
        :class:`StateChange` records in time order; the first one opens the ticket.
    priority
        1 (highest) to 5.
    type
        :class:`TicketType`, incident by default.
    agreement
        Id of the one agreement that times it; None to time it under every agreement
        covering its service.

    Raises
    ------
    ValidationError
        When the history is empty or out of time order.

    Examples
    --------
    >>> t = Ticket(
    ...     "INC1",
    ...     "SD",
    ...     [
    ...         StateChange(datetime(2026, 3, 2, 9, 0), "new"),
    ...         StateChange(datetime(2026, 3, 2, 9, 20), "assigned"),
    ...         StateChange(datetime(2026, 3, 2, 11, 0), "resolved"),
    ...     ],
    ...     priority=2,
    ... )
    >>> t.opened, t.state
    (datetime.datetime(2026, 3, 2, 9, 0), 'resolved')
    >>> Ticket(
    ...     "INC2",
    ...     "SD",
    ...     [
    ...         StateChange(datetime(2026, 3, 2, 9), "new"),
    ...         StateChange(datetime(2026, 3, 1, 9), "resolved"),
    ...     ],
    ... )
    Traceback (most recent call last):
    ...
    pmsm_core.exceptions.ValidationError: history[1].at: ticket 'INC2': state changes must be in time order; 2026-03-01T09:00 comes before 2026-03-02T09:00
    """  # noqa: E501

    id: str = attrs.field(validator=check_id)
    service: str = attrs.field(validator=check_id)
    history: tuple[StateChange, ...] = attrs.field(
        converter=to_tuple, validator=tuple_of(StateChange)
    )
    priority: int = attrs.field(default=3, kw_only=True, validator=_priority)
    type: TicketType = attrs.field(
        default=TicketType.INCIDENT, kw_only=True, validator=instance_of(TicketType)
    )
    agreement: str | None = attrs.field(default=None, kw_only=True, validator=check_optional_id)
    title: str = attrs.field(default="", kw_only=True, validator=check_str)

    def __attrs_post_init__(self) -> None:
        if not self.history:
            raise fail(self, "history", "a ticket needs at least its opening state change")
        for index in range(1, len(self.history)):
            before, after = self.history[index - 1].at, self.history[index].at
            if after < before:
                raise fail(
                    self,
                    f"history[{index}].at",
                    f"state changes must be in time order; {after.isoformat(timespec='minutes')} "
                    f"comes before {before.isoformat(timespec='minutes')}",
                )

    @property
    def opened(self) -> datetime:
        """When the ticket was opened (its first state change)."""
        return self.history[0].at

    @property
    def state(self) -> str:
        """The latest state."""
        return self.history[-1].state


@attrs.frozen
class Measurement:
    """One period's measured value of a service result (see :class:`ServiceBoundary`).

    ``period`` is the first day of the period (a month, a week ...).

    Examples
    --------
    >>> Measurement("SD", "FCR", date(2026, 3, 1), 72.5).value
    72.5
    """

    service: str = attrs.field(validator=check_id)
    result: str = attrs.field(validator=check_id)
    period: date = attrs.field(validator=check_date(optional=False))
    value: float = attrs.field(validator=number())


# --------------------------------------------------------------------------- the catalogue


@attrs.frozen(repr=False)
class ServiceCatalogue:
    """Services, what they depend on, what is promised and what happened.

    The aggregate of the service side, stored as a ``"service_catalogue"`` document.

    Parameters
    ----------
    id, name, description
        Identity.
    calendars
        Calendars that agreements refer to for their service hours.
    services, configuration_items, redundancy_groups
        The nodes of the dependency graph (one id namespace).
    dependencies
        :class:`ServiceDependency` edges; the graph they form must be acyclic.
    service_level_agreements, operational_level_agreements, underpinning_contracts
        The agreements (one id namespace).
    suppliers
        Suppliers that underpinning contracts name.
    outages, tickets, measurements
        Records for availability, SLA clocks and consistency.

    Raises
    ------
    ValidationError
        With one :class:`~pmsm_core.Problem` per rule broken: duplicate ids, references to
        unknown ids, dependency cycles, live services relying on retired ones, tickets
        timed under agreements that do not cover their service.

    Examples
    --------
    >>> cat = ServiceCatalogue(
    ...     "IT",
    ...     services=[Service("MAIL", "E-mail")],
    ...     configuration_items=[ConfigurationItem("MX1"), ConfigurationItem("MX2")],
    ...     redundancy_groups=[RedundancyGroup("MX", ["MX1", "MX2"])],
    ...     dependencies=[ServiceDependency("MAIL", "MX")],
    ... )
    >>> cat
    ServiceCatalogue(id='IT', name='', services=1, configuration_items=2, agreements=0, tickets=0)
    >>> cat.providers("MAIL"), cat.kind_of("MX")
    (('MX',), 'group')
    >>> ServiceCatalogue(
    ...     "IT",
    ...     services=[Service("A"), Service("B")],
    ...     dependencies=[ServiceDependency("A", "B"), ServiceDependency("B", "A")],
    ... )
    Traceback (most recent call last):
    ...
    pmsm_core.exceptions.ValidationError: dependencies[0]: dependency cycle: A -> B -> A
    """

    id: str = attrs.field(validator=check_id)
    name: str = attrs.field(default="", validator=check_str)
    description: str = attrs.field(default="", kw_only=True, validator=check_str)
    calendars: tuple[WorkCalendar, ...] = attrs.field(
        default=(), kw_only=True, converter=to_tuple, validator=tuple_of(WorkCalendar)
    )
    services: tuple[Service, ...] = attrs.field(
        default=(), kw_only=True, converter=to_tuple, validator=tuple_of(Service)
    )
    configuration_items: tuple[ConfigurationItem, ...] = attrs.field(
        default=(), kw_only=True, converter=to_tuple, validator=tuple_of(ConfigurationItem)
    )
    redundancy_groups: tuple[RedundancyGroup, ...] = attrs.field(
        default=(), kw_only=True, converter=to_tuple, validator=tuple_of(RedundancyGroup)
    )
    dependencies: tuple[ServiceDependency, ...] = attrs.field(
        default=(), kw_only=True, converter=to_tuple, validator=tuple_of(ServiceDependency)
    )
    service_level_agreements: tuple[ServiceLevelAgreement, ...] = attrs.field(
        default=(), kw_only=True, converter=to_tuple, validator=tuple_of(ServiceLevelAgreement)
    )
    operational_level_agreements: tuple[OperationalLevelAgreement, ...] = attrs.field(
        default=(),
        kw_only=True,
        converter=to_tuple,
        validator=tuple_of(OperationalLevelAgreement),
    )
    underpinning_contracts: tuple[UnderpinningContract, ...] = attrs.field(
        default=(), kw_only=True, converter=to_tuple, validator=tuple_of(UnderpinningContract)
    )
    suppliers: tuple[Supplier, ...] = attrs.field(
        default=(), kw_only=True, converter=to_tuple, validator=tuple_of(Supplier)
    )
    outages: tuple[Outage, ...] = attrs.field(
        default=(), kw_only=True, converter=to_tuple, validator=tuple_of(Outage)
    )
    tickets: tuple[Ticket, ...] = attrs.field(
        default=(), kw_only=True, converter=to_tuple, validator=tuple_of(Ticket)
    )
    measurements: tuple[Measurement, ...] = attrs.field(
        default=(), kw_only=True, converter=to_tuple, validator=tuple_of(Measurement)
    )

    _nodes: dict[str, tuple[str, int]] = attrs.field(init=False, eq=False, repr=False)
    _providers: dict[str, tuple[str, ...]] = attrs.field(init=False, eq=False, repr=False)
    _agreements: dict[str, Agreement] = attrs.field(init=False, eq=False, repr=False)
    _calendars: dict[str, WorkCalendar] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        problems = _CatalogueChecker(self).run()
        if problems:
            raise ValidationError(problems)

    def __repr__(self) -> str:
        return (
            f"ServiceCatalogue(id={self.id!r}, name={self.name!r}, "
            f"services={len(self.services)}, "
            f"configuration_items={len(self.configuration_items)}, "
            f"agreements={len(self.agreements)}, tickets={len(self.tickets)})"
        )

    # ------------------------------------------------------------------ queries
    @property
    def agreements(self) -> tuple[Agreement, ...]:
        """Every agreement (SLAs, then OLAs, then underpinning contracts)."""
        return (
            *self.service_level_agreements,
            *self.operational_level_agreements,
            *self.underpinning_contracts,
        )

    def agreement(self, agreement_id: str) -> Agreement:
        """The agreement with id ``agreement_id``.

        Raises
        ------
        KeyError
            If there is none.
        """
        return self._agreements[agreement_id]

    def agreements_for(self, service_id: str) -> tuple[Agreement, ...]:
        """The agreements that cover ``service_id``."""
        return tuple(a for a in self.agreements if service_id in a.services)

    def availability_target(self, service_id: str) -> float | None:
        """The strictest agreed availability (percent) of ``service_id``, or None."""
        values = [
            a.availability_target
            for a in self.agreements_for(service_id)
            if a.availability_target is not None
        ]
        return max(values) if values else None

    def service(self, service_id: str) -> Service:
        """The service with id ``service_id`` (KeyError if there is none)."""
        kind, index = self._nodes[service_id]
        if kind != "service":
            raise KeyError(service_id)
        return self.services[index]

    def item(self, item_id: str) -> ConfigurationItem:
        """The configuration item with id ``item_id`` (KeyError if there is none)."""
        kind, index = self._nodes[item_id]
        if kind != "ci":
            raise KeyError(item_id)
        return self.configuration_items[index]

    def group(self, group_id: str) -> RedundancyGroup:
        """The redundancy group with id ``group_id`` (KeyError if there is none)."""
        kind, index = self._nodes[group_id]
        if kind != "group":
            raise KeyError(group_id)
        return self.redundancy_groups[index]

    def kind_of(self, node_id: str) -> str:
        """``"service"``, ``"ci"`` or ``"group"`` (KeyError for an unknown id)."""
        return self._nodes[node_id][0]

    def __contains__(self, node_id: object) -> bool:
        return node_id in self._nodes

    def providers(self, node_id: str) -> tuple[str, ...]:
        """What ``node_id`` needs: its providers, or a group's members."""
        if node_id not in self._nodes:
            raise KeyError(node_id)
        return self._providers.get(node_id, ())

    def calendar_by_id(self, calendar_id: str | None) -> WorkCalendar:
        """The calendar ``calendar_id``; a round-the-clock calendar for None.

        Raises
        ------
        KeyError
            If no calendar has that id.
        """
        if calendar_id is None:
            return _round_the_clock()
        return self._calendars[calendar_id]

    def service_hours(self, agreement_id: str) -> WorkCalendar:
        """The calendar of agreed service hours of an agreement."""
        return self.calendar_by_id(self.agreement(agreement_id).service_hours)

    def nodes(self) -> Iterator[tuple[str, str]]:
        """Yield ``(id, kind)`` for every node of the dependency graph."""
        for service in self.services:
            yield service.id, "service"
        for item in self.configuration_items:
            yield item.id, "ci"
        for group in self.redundancy_groups:
            yield group.id, "group"

    def to_networkx(self) -> nx.DiGraph:
        """Return the dependency graph as an ``nx.DiGraph`` in the *impact* direction.

        An edge ``u -> v`` means "a failure of u impacts v" (v depends on u, or v is a
        redundancy group with member u), so ``nx.descendants(G, ci)`` lists everything a
        failure of ``ci`` can reach. Nodes carry ``kind`` (``"service"``, ``"ci"``,
        ``"group"``), ``name``, ``value`` (the model value) and, for groups, ``min_up``.

        Examples
        --------
        >>> import networkx as nx
        >>> cat = ServiceCatalogue(
        ...     "IT",
        ...     services=[Service("MAIL")],
        ...     configuration_items=[ConfigurationItem("MX1"), ConfigurationItem("DNS")],
        ...     dependencies=[ServiceDependency("MAIL", "MX1"), ServiceDependency("MX1", "DNS")],
        ... )
        >>> sorted(nx.descendants(cat.to_networkx(), "DNS"))
        ['MAIL', 'MX1']
        """
        import networkx as nx

        graph = nx.DiGraph(id=self.id, name=self.name)
        for service in self.services:
            graph.add_node(service.id, kind="service", name=service.name, value=service)
        for item in self.configuration_items:
            graph.add_node(item.id, kind="ci", name=item.name, value=item)
        for group in self.redundancy_groups:
            graph.add_node(
                group.id, kind="group", name=group.name, value=group, min_up=group.required
            )
            for member in group.members:
                graph.add_edge(member, group.id, relation="member")
        for dep in self.dependencies:
            graph.add_edge(dep.provider, dep.dependent, relation="impacts", value=dep)
        return graph


_ROUND_THE_CLOCK: list[WorkCalendar] = []


def _round_the_clock() -> WorkCalendar:
    if not _ROUND_THE_CLOCK:
        _ROUND_THE_CLOCK.append(
            WorkCalendar.twenty_four_hours(ROUND_THE_CLOCK, name="Round the clock (24x7)")
        )
    return _ROUND_THE_CLOCK[0]


class _CatalogueChecker:
    """Cross-object checks of a catalogue; collects problems instead of stopping."""

    def __init__(self, catalogue: ServiceCatalogue) -> None:
        self.c = catalogue
        self.problems: list[Problem] = []

    def add(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    def run(self) -> list[Problem]:
        c = self.c
        nodes = self._nodes()
        calendars = self._calendars()
        suppliers = self._unique("suppliers", c.suppliers, "supplier")
        agreements = self._agreements(nodes, calendars, suppliers)
        providers = self._dependencies(nodes)
        self._groups(nodes)
        self._cycles(providers)
        self._retired(providers)
        self._records(nodes, agreements)
        object.__setattr__(c, "_providers", {k: tuple(v) for k, v in providers.items()})
        return self.problems

    def _unique(self, path: str, items: Iterable[Any], what: str) -> set[str]:
        seen: set[str] = set()
        for i, item in enumerate(items):
            if item.id in seen:
                self.add(f"{path}[{i}].id", f"duplicate {what} id {item.id!r}")
            seen.add(item.id)
        return seen

    def _nodes(self) -> dict[str, tuple[str, int]]:
        c = self.c
        nodes: dict[str, tuple[str, int]] = {}
        groups: tuple[tuple[str, str, tuple[Any, ...]], ...] = (
            ("services", "service", c.services),
            ("configuration_items", "ci", c.configuration_items),
            ("redundancy_groups", "group", c.redundancy_groups),
        )
        for path, kind, items in groups:
            for i, item in enumerate(items):
                if item.id in nodes:
                    other = nodes[item.id][0]
                    self.add(
                        f"{path}[{i}].id",
                        f"duplicate id {item.id!r} (services, configuration items and "
                        f"redundancy groups share ids; it is already a {_KIND_NAMES[other]})",
                    )
                else:
                    nodes[item.id] = (kind, i)
        object.__setattr__(c, "_nodes", nodes)
        return nodes

    def _calendars(self) -> set[str]:
        index: dict[str, WorkCalendar] = {}
        for i, cal in enumerate(self.c.calendars):
            if cal.id in index:
                self.add(f"calendars[{i}].id", f"duplicate calendar id {cal.id!r}")
            index.setdefault(cal.id, cal)
        object.__setattr__(self.c, "_calendars", index)
        return set(index)

    def _agreements(
        self, nodes: dict[str, tuple[str, int]], calendars: set[str], suppliers: set[str]
    ) -> dict[str, Agreement]:
        c = self.c
        index: dict[str, Agreement] = {}
        kinds: tuple[tuple[str, tuple[Agreement, ...]], ...] = (
            ("service_level_agreements", c.service_level_agreements),
            ("operational_level_agreements", c.operational_level_agreements),
            ("underpinning_contracts", c.underpinning_contracts),
        )
        for path, items in kinds:
            for i, agreement in enumerate(items):
                where = f"{path}[{i}]"
                if agreement.id in index:
                    self.add(f"{where}.id", f"duplicate agreement id {agreement.id!r}")
                else:
                    index[agreement.id] = agreement
                for j, ref in enumerate(agreement.services):
                    if nodes.get(ref, ("",))[0] != "service":
                        self.add(
                            f"{where}.services[{j}]",
                            f"{agreement.kind} {agreement.id!r}: unknown service {ref!r}",
                        )
                hours = agreement.service_hours
                if hours is not None and hours not in calendars:
                    self.add(
                        f"{where}.service_hours",
                        f"{agreement.kind} {agreement.id!r}: unknown calendar "
                        f"{agreement.service_hours!r}",
                    )
                if (
                    isinstance(agreement, UnderpinningContract)
                    and agreement.supplier not in suppliers
                ):
                    self.add(
                        f"{where}.supplier",
                        f"UC {agreement.id!r}: unknown supplier {agreement.supplier!r}",
                    )
        object.__setattr__(c, "_agreements", index)
        return index

    def _dependencies(self, nodes: dict[str, tuple[str, int]]) -> dict[str, list[str]]:
        providers: dict[str, list[str]] = {}
        seen: dict[tuple[str, str], int] = {}
        for i, dep in enumerate(self.c.dependencies):
            where = f"dependencies[{i}]"
            ok = True
            kind = nodes.get(dep.dependent, ("",))[0]
            if not kind:
                self.add(
                    f"{where}.dependent", f"unknown service or configuration item {dep.dependent!r}"
                )
                ok = False
            elif kind == "group":
                self.add(
                    f"{where}.dependent",
                    f"redundancy group {dep.dependent!r} cannot have dependencies; its members "
                    "are its providers",
                )
                ok = False
            if dep.provider not in nodes:
                self.add(
                    f"{where}.provider",
                    f"unknown service, configuration item or redundancy group {dep.provider!r}",
                )
                ok = False
            if not ok:
                continue
            key = (dep.dependent, dep.provider)
            if key in seen:
                self.add(
                    where,
                    f"duplicate dependency {dep.dependent!r} -> {dep.provider!r} "
                    f"(also dependencies[{seen[key]}])",
                )
                continue
            seen[key] = i
            providers.setdefault(dep.dependent, []).append(dep.provider)
        for group in self.c.redundancy_groups:
            providers[group.id] = [m for m in group.members if m in nodes]
        return providers

    def _groups(self, nodes: dict[str, tuple[str, int]]) -> None:
        for i, group in enumerate(self.c.redundancy_groups):
            for j, member in enumerate(group.members):
                if member not in nodes:
                    self.add(
                        f"redundancy_groups[{i}].members[{j}]",
                        f"redundancy group {group.id!r}: unknown member {member!r}",
                    )

    def _cycles(self, providers: dict[str, list[str]]) -> None:
        """Report dependency cycles with their path (iterative DFS, at most ten)."""
        state: dict[str, int] = {}
        dep_index: dict[tuple[str, str], int] = {}
        for i, dep in enumerate(self.c.dependencies):
            dep_index.setdefault((dep.dependent, dep.provider), i)
        group_index = {g.id: i for i, g in enumerate(self.c.redundancy_groups)}
        reported: set[frozenset[str]] = set()
        for root in providers:
            if root in state:
                continue
            stack: list[tuple[str, int]] = [(root, 0)]
            path: list[str] = [root]
            state[root] = 1
            while stack:
                node, pos = stack[-1]
                succ = providers.get(node, ())
                if pos >= len(succ):
                    state[node] = 2
                    stack.pop()
                    path.pop()
                    continue
                stack[-1] = (node, pos + 1)
                nxt = succ[pos]
                mark = state.get(nxt, 0)
                if mark == 0:
                    state[nxt] = 1
                    stack.append((nxt, 0))
                    path.append(nxt)
                elif mark == 1:
                    cycle = path[path.index(nxt) :]
                    key = frozenset(cycle)
                    if key in reported or len(reported) >= 10:
                        continue
                    reported.add(key)
                    first, second = cycle[0], cycle[1 % len(cycle)]
                    if (first, second) in dep_index:
                        where = f"dependencies[{dep_index[(first, second)]}]"
                    else:
                        where = f"redundancy_groups[{group_index.get(first, 0)}].members"
                    self.add(where, "dependency cycle: " + " -> ".join([*cycle, cycle[0]]))

    def _retired(self, providers: dict[str, list[str]]) -> None:
        c = self.c
        status = {s.id: s.status for s in c.services}
        for i, dep in enumerate(c.dependencies):
            if (
                status.get(dep.dependent) is PortfolioStatus.CATALOGUE
                and status.get(dep.provider) is PortfolioStatus.RETIRED
            ):
                self.add(
                    f"dependencies[{i}].provider",
                    f"live service {dep.dependent!r} depends on retired service {dep.provider!r}",
                )

    def _records(self, nodes: dict[str, tuple[str, int]], agreements: dict[str, Agreement]) -> None:
        c = self.c
        for i, outage in enumerate(c.outages):
            kind = nodes.get(outage.item, ("",))[0]
            if kind not in ("service", "ci"):
                self.add(
                    f"outages[{i}].item",
                    f"unknown service or configuration item {outage.item!r}"
                    + (" (a redundancy group cannot fail by itself)" if kind == "group" else ""),
                )
        seen: set[str] = set()
        for i, ticket in enumerate(c.tickets):
            where = f"tickets[{i}]"
            if ticket.id in seen:
                self.add(f"{where}.id", f"duplicate ticket id {ticket.id!r}")
            seen.add(ticket.id)
            if nodes.get(ticket.service, ("",))[0] != "service":
                self.add(
                    f"{where}.service", f"ticket {ticket.id!r}: unknown service {ticket.service!r}"
                )
            if ticket.agreement is not None:
                agreement = agreements.get(ticket.agreement)
                if agreement is None:
                    self.add(
                        f"{where}.agreement",
                        f"ticket {ticket.id!r}: unknown agreement {ticket.agreement!r}",
                    )
                elif ticket.service not in agreement.services:
                    self.add(
                        f"{where}.agreement",
                        f"ticket {ticket.id!r}: {agreement.kind} {agreement.id!r} does not cover "
                        f"service {ticket.service!r}",
                    )
        for i, m in enumerate(c.measurements):
            kind, index = nodes.get(m.service, ("", -1))
            if kind != "service":
                self.add(f"measurements[{i}].service", f"unknown service {m.service!r}")
                continue
            boundary = c.services[index].boundary
            if all(r.id != m.result for r in boundary.results):
                self.add(
                    f"measurements[{i}].result",
                    f"service {m.service!r} has no result {m.result!r} in its boundary",
                )


_KIND_NAMES = {"service": "service", "ci": "configuration item", "group": "redundancy group"}
