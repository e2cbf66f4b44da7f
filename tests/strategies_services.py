"""Hypothesis strategies for the service side, valid by construction.

``dependency_catalogues`` draws random acyclic dependency graphs (services, configuration
items, redundancy groups with k-of-n thresholds, shared components); ``catalogues`` adds
agreements, outages, tickets and measurements for round trips; ``histories`` draws ticket
state histories over a few days.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from hypothesis import strategies as st

from pmsm_core import (
    ConfigurationItem,
    Duration,
    LifecycleStage,
    Measurement,
    OperationalLevelAgreement,
    Outage,
    PortfolioStatus,
    QualityMetric,
    RedundancyGroup,
    Service,
    ServiceBoundary,
    ServiceCatalogue,
    ServiceDependency,
    ServiceLevelAgreement,
    ServiceLevelTarget,
    ServiceOffering,
    StateChange,
    Supplier,
    TargetMetric,
    Ticket,
    TicketType,
    UnderpinningContract,
    WorkCalendar,
)

STATES = ("new", "assigned", "pending", "resolved", "closed", "cancelled")
BUSINESS = WorkCalendar(
    "bh",
    {d: ["08:00-12:00", "13:00-18:00"] for d in ("mon", "tue", "wed", "thu", "fri")},
    name="Business hours",
)


@st.composite
def dependency_catalogues(
    draw: Any,
    *,
    max_nodes: int = 12,
    with_groups: bool = True,
    with_availability: bool = True,
    min_services: int = 1,
) -> ServiceCatalogue:
    """A catalogue whose dependency graph is a random DAG.

    Node ``i`` may only depend on nodes with a lower index, so there are no cycles; groups
    take members among lower nodes; components are often shared.
    """
    n = draw(st.integers(max(2, min_services + 1), max_nodes))
    kinds: list[str] = []
    for i in range(n):
        if i == 0:
            kinds.append("ci")
        elif i >= n - min_services:
            kinds.append("service")
        else:
            options = ["ci", "ci", "service"] + (["group"] if with_groups else [])
            kinds.append(draw(st.sampled_from(options)))
    ids = [f"{k[0].upper()}{i}" for i, k in enumerate(kinds)]
    services, items, groups, deps = [], [], [], []
    for i, (kind, node_id) in enumerate(zip(kinds, ids, strict=True)):
        lower = ids[:i]
        if kind == "group":
            members = draw(st.lists(st.sampled_from(lower), min_size=1, max_size=4, unique=True))
            k = draw(st.integers(1, len(members)))
            if draw(st.booleans()):
                groups.append(RedundancyGroup(node_id, members, min_up=k))
            else:
                groups.append(
                    RedundancyGroup(node_id, members, min_up_percent=100.0 * k / len(members))
                )
            continue
        if kind == "service":
            services.append(Service(node_id))
        else:
            availability = None
            if with_availability:
                availability = draw(st.sampled_from([0.9, 0.95, 0.99, 0.5, 1.0, 0.8, 0.999]))
            items.append(ConfigurationItem(node_id, availability=availability))
        if lower:
            providers = draw(st.lists(st.sampled_from(lower), max_size=3, unique=True))
            deps.extend(ServiceDependency(node_id, p) for p in providers)
    return ServiceCatalogue(
        "G",
        services=services,
        configuration_items=items,
        redundancy_groups=groups,
        dependencies=deps,
    )


@st.composite
def histories(
    draw: Any,
    *,
    start: datetime = datetime(2026, 3, 6, 7, 0),
    max_changes: int = 6,
    states: tuple[str, ...] = STATES,
) -> list[StateChange]:
    """A state history over at most about four days, in time order, opening with 'new'."""
    opened = start + timedelta(minutes=draw(st.integers(0, 3 * 1440)))
    changes = [StateChange(opened, "new")]
    when = opened
    for _ in range(draw(st.integers(0, max_changes - 1))):
        when += timedelta(minutes=draw(st.integers(0, 1500)))
        changes.append(StateChange(when, draw(st.sampled_from(states))))
    return changes


@st.composite
def catalogues(draw: Any) -> ServiceCatalogue:
    """A full catalogue: graph, agreements, suppliers, records (for round trips)."""
    base = draw(dependency_catalogues(max_nodes=8))
    service_ids = [s.id for s in base.services]
    services = [
        Service(
            s.id,
            draw(st.text(max_size=10)),
            owner=draw(st.text(max_size=8)),
            status=PortfolioStatus.CATALOGUE,
            stage=draw(st.sampled_from(list(LifecycleStage))),
            boundary=ServiceBoundary(
                inputs=draw(st.lists(st.text(max_size=5), max_size=2)),
                outputs=draw(st.lists(st.text(max_size=5), max_size=2)),
                results=[QualityMetric("R1", target=50.0, direction="min")],
            ),
            consumers=draw(st.lists(st.text(max_size=5), max_size=2)),
            offerings=[ServiceOffering("O1", draw(st.text(max_size=5)))],
        )
        for s in base.services
    ]
    covered = draw(st.lists(st.sampled_from(service_ids), min_size=1, unique=True))

    def targets() -> list[ServiceLevelTarget]:
        out = [ServiceLevelTarget(TargetMetric.AVAILABILITY, availability=draw(st.floats(90, 100)))]
        out.extend(
            ServiceLevelTarget(
                metric,
                time=Duration.from_hours(draw(st.integers(1, 40))),
                priority=draw(st.none() | st.integers(1, 5)),
                ticket_type=draw(st.none() | st.sampled_from(list(TicketType))),
                compliance=draw(st.none() | st.floats(50, 100)),
            )
            for metric in (TargetMetric.RESPONSE, TargetMetric.RESOLUTION)
        )
        return out

    sla = ServiceLevelAgreement(
        "SLA",
        services=covered,
        service_hours="bh",
        targets=targets(),
        customer="C",
        start=date(2026, 1, 1),
    )
    ola = OperationalLevelAgreement("OLA", services=covered, team="T", targets=targets())
    uc = UnderpinningContract("UC", services=covered, supplier="V", targets=targets())
    tickets = [
        Ticket(
            f"T{i}",
            draw(st.sampled_from(covered)),
            draw(histories()),
            priority=draw(st.integers(1, 5)),
            type=draw(st.sampled_from(list(TicketType))),
        )
        for i in range(draw(st.integers(0, 4)))
    ]
    outage_items = [s.id for s in base.services] + [c.id for c in base.configuration_items]
    outages = []
    for _ in range(draw(st.integers(0, 3))):
        begin = datetime(2026, 3, 1) + timedelta(minutes=draw(st.integers(0, 40_000)))
        outages.append(
            Outage(
                draw(st.sampled_from(outage_items)),
                begin,
                begin + timedelta(minutes=draw(st.integers(1, 600))),
            )
        )
    measurements = [
        Measurement(s, "R1", date(2026, m, 1), draw(st.floats(0, 100)))
        for s in covered
        for m in (3, 4)
    ]
    return ServiceCatalogue(
        "CAT",
        draw(st.text(max_size=10)),
        calendars=[BUSINESS],
        services=services,
        configuration_items=base.configuration_items,
        redundancy_groups=base.redundancy_groups,
        dependencies=base.dependencies,
        service_level_agreements=[sla],
        operational_level_agreements=[ola],
        underpinning_contracts=[uc],
        suppliers=[Supplier("V", "Vendor")],
        outages=outages,
        tickets=tickets,
        measurements=measurements,
    )
