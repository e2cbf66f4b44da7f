"""The service model: field validation, catalogue checks, JSON documents, hostile input."""

from __future__ import annotations

import json
import random
from datetime import date, datetime
from typing import Any

import attrs
import networkx as nx
import pytest
from hypothesis import given
from tests.strategies_services import catalogues

import pmsm_core as pm
from pmsm_core import (
    ConfigurationItem,
    DocumentError,
    Duration,
    LifecycleStage,
    Measurement,
    Outage,
    PmsmError,
    PortfolioStatus,
    QualityMetric,
    RedundancyGroup,
    Service,
    ServiceBoundary,
    ServiceCatalogue,
    ServiceDependency,
    ServiceLevelAgreement,
    ServiceLevelTarget,
    StateChange,
    TargetMetric,
    Ticket,
    TicketType,
    UnderpinningContract,
    ValidationError,
    WorkCalendar,
)
from pmsm_core.examples import example_text
from pmsm_core.io.json import dumps, loads, structure, unstructure


def problems(exc: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return [str(p) for p in exc.value.problems]


def paths(exc: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return [p.path for p in exc.value.problems]


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute)


class TestValues:
    def test_frozen(self) -> None:
        """Service values cannot be changed in place; evolve validates again."""
        ci = ConfigurationItem("X", availability=0.99)
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            ci.availability = 0.5  # type: ignore[misc]
        with pytest.raises(ValidationError, match=r"\[0, 1\]"):
            attrs.evolve(ci, availability=1.5)

    @pytest.mark.parametrize("value", [-0.1, 1.01, 99.9, float("nan"), float("inf"), True, "0.9"])
    def test_availability_outside_unit_interval(self, value: Any) -> None:
        """A CI's availability must be a fraction in [0, 1]."""
        with pytest.raises(ValidationError, match="configuration item 'X'"):
            ConfigurationItem("X", availability=value)

    def test_defaults(self) -> None:
        """A service is live and in operation unless said otherwise."""
        s = Service("S")
        assert s.status is PortfolioStatus.CATALOGUE
        assert s.stage is LifecycleStage.SERVICE_OPERATION
        assert s.boundary == ServiceBoundary()

    def test_lifecycle_stage_values(self) -> None:
        """The five ITIL stages, with the agreed string values."""
        assert [s.value for s in LifecycleStage] == [
            "service-strategy",
            "service-design",
            "service-transition",
            "service-operation",
            "continual-service-improvement",
        ]

    def test_boundary_result_ids_unique(self) -> None:
        """A boundary's results have unique ids."""
        with pytest.raises(ValidationError, match="duplicate result id 'Q'"):
            ServiceBoundary(results=[QualityMetric("Q"), QualityMetric("Q")])

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"members": []}, "at least one member"),
            ({"members": ["A", "A"]}, "twice"),
            ({"members": ["G", "A"]}, "its own member"),
            ({"members": ["A", "B"], "min_up": 0}, r"1\.\.2"),
            ({"members": ["A", "B"], "min_up": 1, "min_up_percent": 50.0}, "not both"),
            ({"members": ["A", "B"], "min_up_percent": 0.0}, r"\(0, 100\]"),
            ({"members": ["A", "B"], "min_up_percent": 150.0}, r"\(0, 100\]"),
        ],
    )
    def test_redundancy_group_rules(self, kwargs: dict[str, Any], message: str) -> None:
        """Groups need members, a threshold in range, and one way of giving it."""
        with pytest.raises(ValidationError, match=message):
            RedundancyGroup("G", **kwargs)

    @pytest.mark.parametrize(
        ("members", "percent", "k"),
        [(3, 50.0, 2), (4, 50.0, 2), (3, 100.0, 3), (3, 1.0, 1), (10, 33.3, 4), (3, 66.7, 3)],
    )
    def test_percentage_rounds_up(self, members: int, percent: float, k: int) -> None:
        """min_up_percent becomes ceil(n × p / 100) members."""
        group = RedundancyGroup("G", [f"M{i}" for i in range(members)], min_up_percent=percent)
        assert group.required == k

    def test_target_rules(self) -> None:
        """Availability targets take a percentage; time targets a positive working time."""
        with pytest.raises(ValidationError, match="needs availability"):
            ServiceLevelTarget(TargetMetric.AVAILABILITY)
        with pytest.raises(ValidationError, match="takes no time"):
            ServiceLevelTarget(TargetMetric.AVAILABILITY, availability=99.0, time=Duration(5))
        with pytest.raises(ValidationError, match="needs a time"):
            ServiceLevelTarget(TargetMetric.RESOLUTION)
        with pytest.raises(ValidationError, match="not elapsed"):
            ServiceLevelTarget(TargetMetric.RESOLUTION, time=Duration(60, elapsed=True))
        with pytest.raises(ValidationError, match="positive"):
            ServiceLevelTarget(TargetMetric.RESPONSE, time=Duration(0))
        with pytest.raises(ValidationError, match="<= 100"):
            ServiceLevelTarget(TargetMetric.AVAILABILITY, availability=100.5)
        with pytest.raises(ValidationError, match="<= 5"):
            ServiceLevelTarget(TargetMetric.RESPONSE, time=Duration(5), priority=6)

    def test_shortest_matching_target_wins(self) -> None:
        """Target selection: match metric, priority and type; the shortest time wins."""
        sla = ServiceLevelAgreement(
            "SLA",
            targets=[
                ServiceLevelTarget(TargetMetric.RESOLUTION, time=Duration(600)),
                ServiceLevelTarget(TargetMetric.RESOLUTION, time=Duration(240), priority=1),
                ServiceLevelTarget(
                    TargetMetric.RESOLUTION,
                    time=Duration(120),
                    priority=1,
                    ticket_type=TicketType.SERVICE_REQUEST,
                ),
            ],
        )
        pick = sla.target_for
        assert pick(TargetMetric.RESOLUTION, 1, TicketType.INCIDENT).time == Duration(240)
        assert pick(TargetMetric.RESOLUTION, 1, TicketType.SERVICE_REQUEST).time == Duration(120)
        assert pick(TargetMetric.RESOLUTION, 3, TicketType.INCIDENT).time == Duration(600)
        assert pick(TargetMetric.RESPONSE, 1, TicketType.INCIDENT) is None

    def test_agreement_state_sets_are_disjoint(self) -> None:
        """A state cannot both pause and resolve a clock."""
        with pytest.raises(ValidationError, match="both pause_states and resolved_states"):
            ServiceLevelAgreement("SLA", pause_states=["resolved"])

    def test_agreement_dates(self) -> None:
        """An agreement cannot end before it starts."""
        with pytest.raises(ValidationError, match="comes before"):
            ServiceLevelAgreement("SLA", start=date(2026, 2, 1), end=date(2026, 1, 1))

    def test_ticket_history_in_time_order(self) -> None:
        """Unordered state histories are rejected, naming the ticket and the change."""
        with pytest.raises(ValidationError) as exc:
            Ticket("T", "S", [StateChange(at(2, 10), "new"), StateChange(at(2, 9), "assigned")])
        assert paths(exc) == ["history[1].at"]
        assert "ticket 'T'" in str(exc.value)

    def test_ticket_needs_history(self) -> None:
        """A ticket has at least its opening state change."""
        with pytest.raises(ValidationError, match="at least its opening"):
            Ticket("T", "S", [])

    def test_outage_end_after_start(self) -> None:
        """An outage ends after it starts."""
        with pytest.raises(ValidationError, match="must come after start"):
            Outage("X", at(2, 10), at(2, 10))

    def test_state_change_minute_resolution(self) -> None:
        """State changes are naive whole-minute datetimes."""
        with pytest.raises(ValidationError, match="minute resolution"):
            StateChange(datetime(2026, 3, 2, 9, 0, 30), "new")


class TestCatalogueChecks:
    def test_collects_every_problem(self) -> None:
        """The catalogue lists all broken references at once, each with its path."""
        with pytest.raises(ValidationError) as exc:
            ServiceCatalogue(
                "C",
                services=[Service("S"), Service("S")],
                configuration_items=[ConfigurationItem("X")],
                redundancy_groups=[RedundancyGroup("G", ["X", "NOPE"])],
                dependencies=[
                    ServiceDependency("S", "MISSING"),
                    ServiceDependency("G", "X"),
                    ServiceDependency("S", "X"),
                    ServiceDependency("S", "X"),
                ],
                service_level_agreements=[
                    ServiceLevelAgreement("A", services=["S", "X"], service_hours="nope")
                ],
                underpinning_contracts=[UnderpinningContract("A", supplier="V")],
                outages=[Outage("G", at(2, 9), at(2, 10))],
                tickets=[
                    Ticket("T", "S", [StateChange(at(2, 9), "new")], agreement="ZZ"),
                    Ticket("T", "X", [StateChange(at(2, 9), "new")]),
                ],
                measurements=[Measurement("S", "FCR", date(2026, 3, 1), 1.0)],
            )
        assert paths(exc) == [
            "services[1].id",
            "service_level_agreements[0].services[1]",
            "service_level_agreements[0].service_hours",
            "underpinning_contracts[0].id",
            "underpinning_contracts[0].supplier",
            "dependencies[0].provider",
            "dependencies[1].dependent",
            "dependencies[3]",
            "redundancy_groups[0].members[1]",
            "outages[0].item",
            "tickets[0].agreement",
            "tickets[1].id",
            "tickets[1].service",
            "measurements[0].result",
        ]
        text = "\n".join(problems(exc))
        assert "a redundancy group cannot fail by itself" in text
        assert "share ids" in text

    def test_cycle_among_services(self) -> None:
        """A dependency cycle among services is reported with its path."""
        with pytest.raises(ValidationError) as exc:
            ServiceCatalogue(
                "C",
                services=[Service("A"), Service("B"), Service("C")],
                dependencies=[
                    ServiceDependency("A", "B"),
                    ServiceDependency("B", "C"),
                    ServiceDependency("C", "A"),
                ],
            )
        assert problems(exc) == ["dependencies[0]: dependency cycle: A -> B -> C -> A"]
        assert isinstance(exc.value, PmsmError)

    def test_cycle_through_a_group(self) -> None:
        """Cycles through redundancy group membership are found too."""
        with pytest.raises(
            ValidationError, match=r"dependencies\[0\]: dependency cycle: X -> G -> X"
        ):
            ServiceCatalogue(
                "C",
                configuration_items=[ConfigurationItem("X"), ConfigurationItem("Y")],
                redundancy_groups=[RedundancyGroup("G", ["X", "Y"])],
                dependencies=[ServiceDependency("X", "G")],
            )

    def test_live_service_on_retired_service(self) -> None:
        """A live service may not depend on a retired one."""
        with pytest.raises(ValidationError, match="depends on retired service 'OLD'"):
            ServiceCatalogue(
                "C",
                services=[Service("NEW"), Service("OLD", status=PortfolioStatus.RETIRED)],
                dependencies=[ServiceDependency("NEW", "OLD")],
            )

    def test_ticket_agreement_must_cover_service(self) -> None:
        """A ticket's named agreement must cover the ticket's service."""
        with pytest.raises(ValidationError, match="does not cover service 'S2'"):
            ServiceCatalogue(
                "C",
                services=[Service("S1"), Service("S2")],
                service_level_agreements=[ServiceLevelAgreement("SLA", services=["S1"])],
                tickets=[Ticket("T", "S2", [StateChange(at(2, 9), "new")], agreement="SLA")],
            )

    def test_queries(self) -> None:
        """Look-ups by id, kinds, providers, agreements and calendars."""
        cat = pm.demo_catalogue()
        assert cat.service("SD").name == "Service desk"
        assert cat.item("HV1").type == "hypervisor"
        assert cat.group("MAIL-FARM").required == 2
        assert cat.kind_of("DNS") == "group"
        assert "SD" in cat and "NOPE" not in cat
        assert cat.providers("SD") == ("ITSM", "TEL", "MAIL")
        assert [a.id for a in cat.agreements_for("TEL")] == ["UC-TEL"]
        assert cat.availability_target("SD") == 99.5
        assert cat.service_hours("SLA-MAIL").minutes_per_week == 7 * 1440
        assert cat.service_hours("SLA-DESK").id == "business-hours"
        with pytest.raises(KeyError):
            cat.service("HV1")
        with pytest.raises(KeyError):
            cat.providers("NOPE")

    def test_to_networkx_is_the_impact_direction(self) -> None:
        """Edges run from provider to dependent; descendants are what a failure reaches."""
        G = pm.demo_catalogue().to_networkx()
        assert G.nodes["MAIL-FARM"]["min_up"] == 2
        assert nx.is_directed_acyclic_graph(G)
        assert {"SD", "MAIL", "MAIL-FARM"} <= nx.descendants(G, "MX1")
        assert G.edges["MX1", "MAIL-FARM"]["relation"] == "member"


class TestDocuments:
    @given(catalogues())
    def test_round_trip(self, catalogue: ServiceCatalogue) -> None:
        """loads(dumps(c)) == c and structure(unstructure(c)) == c."""
        assert loads(dumps(catalogue)) == catalogue
        assert structure(unstructure(catalogue), ServiceCatalogue) == catalogue

    def test_example_round_trips(self) -> None:
        """The embedded example reads, validates and writes back to the same value."""
        cat = pm.demo_catalogue()
        assert loads(dumps(cat)) == cat
        assert len(cat.tickets) > 50 and len(cat.outages) >= 5

    def test_readable_forms(self) -> None:
        """Targets are written as durations, dates and datetimes as ISO strings."""
        doc = json.loads(dumps(pm.demo_catalogue()))["service_catalogue"]
        sla = doc["service_level_agreements"][0]
        assert {"metric": "resolution", "priority": 1, "time": "4h", "compliance": 95.0} in sla[
            "targets"
        ]
        assert doc["tickets"][0]["history"][0]["at"].startswith("2026-03-")
        assert doc["measurements"][0]["period"] == "2026-03-01"

    def test_errors_carry_json_paths(self) -> None:
        """Field and reference errors name the JSON path."""
        doc = json.loads(example_text("it-services"))
        body = doc["service_catalogue"]
        body["configuration_items"][0]["availability"] = 99.95
        body["tickets"][0]["history"][1]["at"] = "2020-01-01T00:00"
        body["dependencies"][0]["provider"] = "NOWHERE"
        body["colour"] = "red"
        with pytest.raises(DocumentError) as exc:
            loads(json.dumps(doc))
        found = paths(exc)
        assert "$.service_catalogue.configuration_items[0].availability" in found
        assert "$.service_catalogue.tickets[0].history[1].at" in found
        assert "$.service_catalogue" in found
        text = str(exc.value)
        assert "unknown key(s) ['colour']" in text

    def test_reference_errors_after_fields(self) -> None:
        """Cross-object problems are reported under the document key."""
        doc = json.loads(example_text("it-services"))
        doc["service_catalogue"]["dependencies"][0]["provider"] = "NOWHERE"
        with pytest.raises(DocumentError) as exc:
            loads(json.dumps(doc))
        assert paths(exc) == ["$.service_catalogue.dependencies[0].provider"]

    def test_wrong_kind_requested(self) -> None:
        """Asking for a Project but reading a catalogue is an error."""
        with pytest.raises(DocumentError, match="expected a Project document"):
            loads(example_text("it-services"), pm.Project)

    def test_fuzzed_documents_fail_cleanly(self) -> None:
        """Randomly damaged documents raise DocumentError, never another exception."""
        original = json.loads(example_text("it-services"))
        rng = random.Random(7)
        junk: list[Any] = [None, -1, 10**20, 1e308, "", "x", [], {}, True, [1, [2]], {"a": 1}]
        for _ in range(150):
            doc = json.loads(json.dumps(original))
            for _ in range(rng.randint(1, 3)):
                node: Any = doc
                path: list[Any] = []
                while isinstance(node, dict | list) and node and rng.random() < 0.8:
                    key = (
                        rng.choice(list(node))
                        if isinstance(node, dict)
                        else rng.randrange(len(node))
                    )
                    path.append((node, key))
                    node = node[key]
                if path:
                    parent, key = path[-1]
                    parent[key] = rng.choice(junk)
            try:
                value = loads(json.dumps(doc))
            except DocumentError:
                continue
            assert isinstance(value, ServiceCatalogue)

    def test_truncated_document(self) -> None:
        """Truncated JSON is a DocumentError."""
        with pytest.raises(DocumentError, match="not valid JSON"):
            loads(example_text("it-services")[:500])

    def test_validate_command_describes_a_catalogue(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Any
    ) -> None:
        """pmsm validate reads service catalogue documents too."""
        from pmsm_core.cli import main

        path = tmp_path / "c.json"
        path.write_text(example_text("it-services"))
        assert main(["validate", str(path)]) == 0
        assert (
            "valid ServiceCatalogue 'IT-SERVICES', 40 dependencies, 8 services"
            in capsys.readouterr().out
        )


def test_calendar_by_id_default_is_round_the_clock() -> None:
    """No service hours means a 24 × 7 calendar."""
    cal = ServiceCatalogue("C").calendar_by_id(None)
    assert isinstance(cal, WorkCalendar) and cal.minutes_per_week == 10080


class TestResultsAreValues:
    def test_results_round_trip(self) -> None:
        """Engine results are frozen values that survive the same converter."""
        cat = pm.demo_catalogue()
        graph = pm.ServiceGraph(cat)
        report = pm.sla_report(cat)
        values: list[Any] = [
            pm.impact(graph, ["HV1", "MX2"]),
            pm.explain_impact(graph, ["SD"]),
            *pm.single_points_of_failure(graph)[:2],
            *pm.blast_radius(graph, top=2),
            pm.service_availability(graph, "SD"),
            pm.service_availability(graph, "SD", method="monte-carlo", samples=1000),
            report.clock(0),
            report.compliance()[0],
            *pm.outage_counts(cat.outages)[:1],
        ]
        for value in values:
            assert structure(unstructure(value), type(value)) == value
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            values[0].failed = ()
