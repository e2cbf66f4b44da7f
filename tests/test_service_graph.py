"""Dependency graph and impact analysis: hand examples, an independent oracle, properties."""

from __future__ import annotations

import itertools
import random
from unittest import mock

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.strategies_services import dependency_catalogues

import pmsm_core as pm
from pmsm_core import (
    ConfigurationItem,
    ImpactStatus,
    PortfolioStatus,
    RedundancyGroup,
    Service,
    ServiceCatalogue,
    ServiceDependency,
    ServiceGraph,
    ValidationError,
    blast_radius,
    explain_impact,
    impact,
    single_points_of_failure,
)
from pmsm_core.services import graph as graph_module
from pmsm_core.services.graph import ImpactExplanation, ServiceImpact, _at_least, _BitCounter


def oracle(cat: ServiceCatalogue, failed: set[str]) -> dict[str, str]:
    """Statuses by definition, evaluated over the whole graph in topological order."""
    G = cat.to_networkx()
    status: dict[str, str] = {}
    for v in nx.topological_sort(G):
        providers = list(G.predecessors(v))
        down = sum(1 for p in providers if status[p] == "down")
        touched = any(status[p] != "up" for p in providers)
        need = cat.group(v).required if cat.kind_of(v) == "group" else len(providers)
        if v in failed or len(providers) - down < need:
            status[v] = "down"
        elif touched:
            status[v] = "degraded"
        else:
            status[v] = "up"
    return status


def components(cat: ServiceCatalogue) -> list[str]:
    return [node for node, kind in cat.nodes() if kind != "group"]


@pytest.fixture
def farm() -> ServiceCatalogue:
    """APP needs a 2-of-3 web farm and a database; two web servers share host H1."""
    return ServiceCatalogue(
        "farm",
        services=[Service("APP"), Service("REPORTS")],
        configuration_items=[
            ConfigurationItem(i) for i in ("W1", "W2", "W3", "DB", "H1", "H2", "NET")
        ],
        redundancy_groups=[RedundancyGroup("WEB", ["W1", "W2", "W3"], min_up=2)],
        dependencies=[
            ServiceDependency("APP", "WEB"),
            ServiceDependency("APP", "DB"),
            ServiceDependency("W1", "H1"),
            ServiceDependency("W2", "H1"),
            ServiceDependency("W3", "H2"),
            ServiceDependency("DB", "NET"),
            ServiceDependency("H1", "NET"),
            ServiceDependency("H2", "NET"),
            ServiceDependency("REPORTS", "APP"),
        ],
    )


class TestImpactExamples:
    def test_one_member_down_degrades(self, farm: ServiceCatalogue) -> None:
        """Losing one of three web servers (2 needed) degrades APP and what depends on it."""
        r = impact(farm, ["W3"])
        assert r.services_down == ()
        assert r.services_degraded == ("APP", "REPORTS")
        assert r.groups[0].members_up == 2 and r.groups[0].status is ImpactStatus.DEGRADED
        assert r.down == ("W3",)
        assert r.status("WEB") is ImpactStatus.DEGRADED
        assert r.status("DB") is ImpactStatus.UP

    def test_shared_host_takes_two_members(self, farm: ServiceCatalogue) -> None:
        """H1 hosts W1 and W2: its failure leaves one web server, so APP goes down."""
        r = impact(farm, ["H1"])
        assert r.services_down == ("APP", "REPORTS")
        assert r.down == ("APP", "H1", "REPORTS", "W1", "W2")
        assert r.groups[0].members_down == 2 and r.groups[0].status is ImpactStatus.DOWN
        assert r.services[0].causes == ("H1",)

    def test_series_dependency_takes_everything(self, farm: ServiceCatalogue) -> None:
        """The network under everything is a single point of failure."""
        assert impact(farm, ["NET"]).services_down == ("APP", "REPORTS")

    def test_causes_name_every_reaching_failure(self, farm: ServiceCatalogue) -> None:
        """Each affected service lists the failed items that reach it."""
        r = impact(farm, ["W1", "W3", "DB"])
        assert r.services[0] == ServiceImpact("APP", ImpactStatus.DOWN, ("W1", "W3", "DB"))

    def test_failed_service(self, farm: ServiceCatalogue) -> None:
        """Services can be named as failed too."""
        r = impact(farm, ["APP"])
        assert r.services_down == ("APP", "REPORTS")

    def test_no_failures(self, farm: ServiceCatalogue) -> None:
        """An empty failure set affects nothing."""
        assert impact(farm, []) == pm.ImpactResult(())

    def test_string_is_one_id(self, farm: ServiceCatalogue) -> None:
        """A single id may be given as a string."""
        assert impact(farm, "DB").services_down == ("APP", "REPORTS")

    @pytest.mark.parametrize(
        ("failed", "message"),
        [
            (["NOPE"], "unknown service or configuration item 'NOPE'"),
            (["WEB"], "redundancy group; it cannot fail by itself"),
            ([3], "unknown service or configuration item 3"),
        ],
    )
    def test_bad_ids(self, farm: ServiceCatalogue, failed: list[object], message: str) -> None:
        """Unknown ids and groups give a ValidationError naming them."""
        with pytest.raises(ValidationError, match=message):
            impact(farm, failed)  # type: ignore[arg-type]

    def test_not_a_graph(self) -> None:
        """Passing something else is a clear error."""
        with pytest.raises(ValidationError, match="expected a ServiceGraph or a ServiceCatalogue"):
            impact("catalogue.json", ["X"])  # type: ignore[arg-type]

    def test_graph_queries(self, farm: ServiceCatalogue) -> None:
        """The compiled graph answers structural questions and numbers in topological order."""
        G = ServiceGraph(farm)
        assert G.providers("APP") == ("WEB", "DB")
        assert G.required("WEB") == 2 and G.required("APP") == 2
        assert G.kind("WEB") == "group"
        assert set(G.dependents("NET")) == {"DB", "H1", "H2"}
        order = {node: i for i, node in enumerate(G.ids)}
        assert all(order[p] < order[v] for v in G.ids for p in G.providers(v))
        assert "farm" in repr(G) and "APP" in G
        with pytest.raises(ValidationError):
            G.providers("NOPE")


class TestImpactProperties:
    @given(dependency_catalogues(), st.data())
    def test_matches_oracle(self, cat: ServiceCatalogue, data: st.DataObject) -> None:
        """impact() agrees with the definition evaluated over the whole graph."""
        failed = data.draw(st.lists(st.sampled_from(components(cat)), max_size=4, unique=True))
        r = impact(cat, failed)
        expected = oracle(cat, set(failed))
        for node, _kind in cat.nodes():
            assert r.status(node).value == expected[node], node

    @given(dependency_catalogues(), st.data())
    def test_monotone_in_the_failed_set(self, cat: ServiceCatalogue, data: st.DataObject) -> None:
        """More failures never bring anything back up."""
        nodes = components(cat)
        small = data.draw(st.lists(st.sampled_from(nodes), max_size=3, unique=True))
        extra = data.draw(st.lists(st.sampled_from(nodes), max_size=3, unique=True))
        a, b = impact(cat, small), impact(cat, sorted(set(small) | set(extra)))
        assert set(a.down) <= set(b.down)
        assert set(a.down) | set(a.degraded) <= set(b.down) | set(b.degraded)

    @given(dependency_catalogues())
    def test_single_points_of_failure_match_brute_force(self, cat: ServiceCatalogue) -> None:
        """SPOFs are exactly the components whose lone failure takes a service down."""
        services = [s.id for s in cat.services]
        expected = {}
        for c in components(cat):
            status = oracle(cat, {c})
            hit = tuple(sorted(s for s in services if s != c and status[s] == "down"))
            if hit:
                expected[c] = hit
        found = {s.component: s.services for s in single_points_of_failure(cat)}
        assert found == expected

    @given(dependency_catalogues())
    def test_blast_radius_matches_brute_force(self, cat: ServiceCatalogue) -> None:
        """Blast radius counts equal single-failure impact counts."""
        services = {s.id for s in cat.services}
        ranked = blast_radius(cat)
        assert [b.score for b in ranked] == sorted((b.score for b in ranked), reverse=True)
        for b in ranked:
            status = oracle(cat, {b.component})
            others = [v for v, kind in cat.nodes() if kind != "group" and v != b.component]
            assert b.services_down == sum(
                1 for v in others if v in services and status[v] == "down"
            )
            assert b.services_degraded == sum(
                1 for v in others if v in services and status[v] == "degraded"
            )
            assert b.items_down == sum(1 for v in others if status[v] == "down")

    @given(dependency_catalogues(min_services=2), st.data())
    def test_explain_matches_brute_force(self, cat: ServiceCatalogue, data: st.DataObject) -> None:
        """The reverse question: complete explanations equal single failures covering all."""
        services = [s.id for s in cat.services]
        impacted = data.draw(st.lists(st.sampled_from(services), min_size=1, unique=True))
        e = explain_impact(cat, impacted)
        complete = set()
        for c in components(cat):
            status = oracle(cat, {c})
            if all(status[s] == "down" for s in impacted):
                complete.add(c)
        assert set(e.complete) == complete
        if e.cover:
            covered = impact(cat, list(e.cover))
            explainable = set(impacted) - set(e.unexplained)
            assert explainable <= set(covered.down)

    @given(cat=dependency_catalogues(max_nodes=14), block=st.integers(1, 3))
    def test_blocks_do_not_change_answers(self, cat: ServiceCatalogue, block: int) -> None:
        """Evaluating candidates in small blocks gives the same answers as one block."""
        whole = (blast_radius(cat), single_points_of_failure(cat))
        with mock.patch.object(graph_module, "BLOCK", block):
            assert (blast_radius(cat), single_points_of_failure(cat)) == whole


class TestReverseQuestion:
    def test_shared_host_explains_the_outage(self, farm: ServiceCatalogue) -> None:
        """APP down: H1 (two web servers) explains it, a single web server does not."""
        e = explain_impact(farm, ["APP"])
        assert set(e.complete) == {"APP", "DB", "H1", "NET"}
        assert "W1" not in {c.component for c in e.candidates}
        degrading = {c.component: c.degrades for c in e.candidates}
        assert degrading["H1"] == ()

    def test_collateral_rules_out_candidates(self, farm: ServiceCatalogue) -> None:
        """When REPORTS stays up, only a cause that spares it is consistent."""
        e = explain_impact(farm, ["APP"])
        assert e.consistent == ()  # every cause of APP also takes REPORTS down
        e = explain_impact(farm, ["APP", "REPORTS"])
        assert set(e.consistent) == {"APP", "DB", "H1", "NET"}

    def test_unexplained_needs_several_failures(self) -> None:
        """Items behind full redundancy cannot be explained by one failure."""
        cat = ServiceCatalogue(
            "C",
            services=[Service("S")],
            configuration_items=[ConfigurationItem("A"), ConfigurationItem("B")],
            redundancy_groups=[RedundancyGroup("G", ["A", "B"])],
            dependencies=[ServiceDependency("S", "G")],
        )
        e = explain_impact(cat, ["S"])
        assert e.complete == ("S",)
        assert [c.component for c in e.candidates] == ["S"]
        assert e.cover == ("S",)

    def test_pipeline_services_are_not_collateral(self) -> None:
        """Only live services count as collateral (pipeline ones cannot be observed up)."""
        cat = ServiceCatalogue(
            "C",
            services=[Service("A"), Service("PLANNED", status=PortfolioStatus.PIPELINE)],
            configuration_items=[ConfigurationItem("X")],
            dependencies=[ServiceDependency("A", "X"), ServiceDependency("PLANNED", "X")],
        )
        e = explain_impact(cat, ["A"])
        assert e.consistent == ("A", "X")

    def test_demo(self) -> None:
        """On the demo catalogue, the ITSM platform explains desk and portal being down."""
        e = explain_impact(pm.demo_catalogue(), ["SD", "PORTAL"])
        assert e.consistent == ("ITSM",)
        assert set(e.complete) == {"ITSM", "IDM", "LB"}

    def test_empty(self, farm: ServiceCatalogue) -> None:
        """Nothing impacted, nothing to explain."""
        assert explain_impact(farm, []) == ImpactExplanation(())


class TestSinglePointsOfFailure:
    def test_farm(self, farm: ServiceCatalogue) -> None:
        """H1 is a single point of failure although the web servers are redundant."""
        spofs = {s.component: s.services for s in single_points_of_failure(farm)}
        assert spofs == {
            "NET": ("APP", "REPORTS"),
            "H1": ("APP", "REPORTS"),
            "DB": ("APP", "REPORTS"),
            "APP": ("REPORTS",),
        }

    def test_for_chosen_services(self, farm: ServiceCatalogue) -> None:
        """Restricted to some services."""
        assert {s.component for s in single_points_of_failure(farm, ["APP"])} == {
            "NET",
            "H1",
            "DB",
        }
        with pytest.raises(ValidationError, match="not services"):
            single_points_of_failure(farm, ["DB"])

    def test_blast_radius_top(self, farm: ServiceCatalogue) -> None:
        """The top of the ranking and its counts."""
        top = blast_radius(farm, top=2)
        assert [(b.component, b.score) for b in top] == [("NET", (2, 0, 8)), ("H1", (2, 0, 4))]
        assert blast_radius(farm, ["W3"])[0].score == (0, 2, 0)


class TestBitHelpers:
    @given(st.lists(st.integers(0, 2**20), min_size=1, max_size=8), st.data())
    def test_at_least(self, masks: list[int], data: st.DataObject) -> None:
        """Bit-sliced 'at least t of n' equals counting bit by bit."""
        t = data.draw(st.integers(1, len(masks)))
        expected = 0
        for bit in range(21):
            if sum((m >> bit) & 1 for m in masks) >= t:
                expected |= 1 << bit
        assert _at_least(masks, t) == expected

    @given(st.lists(st.integers(0, 2**12 - 1), max_size=40))
    def test_bit_counter(self, masks: list[int]) -> None:
        """Per-bit counts from binary planes equal direct counts."""
        counter = _BitCounter()
        for m in masks:
            counter.add(m)
        counts = counter.counts(12)
        assert counts.tolist() == [sum((m >> b) & 1 for m in masks) for b in range(12)]


def test_large_random_graph_agrees_with_oracle() -> None:
    """A 2,000-node layered graph with groups: random queries agree with the oracle."""
    rng = random.Random(3)
    items = [ConfigurationItem(f"C{i}") for i in range(1500)]
    groups, deps = [], []
    for i in range(150):
        members = rng.sample(range(300), 3)
        groups.append(
            RedundancyGroup(f"G{i}", [f"C{m}" for m in members], min_up=rng.randint(1, 3))
        )
    for i in range(300, 1500):
        deps.extend(ServiceDependency(f"C{i}", f"C{p}") for p in rng.sample(range(i), 2))
        if rng.random() < 0.3:
            deps.append(ServiceDependency(f"C{i}", f"G{rng.randrange(150)}"))
    services = [Service(f"S{i}") for i in range(350)]
    for i in range(350):
        deps.extend(ServiceDependency(f"S{i}", f"C{p}") for p in rng.sample(range(1000, 1500), 3))
    cat = ServiceCatalogue(
        "big",
        services=services,
        configuration_items=items,
        redundancy_groups=groups,
        dependencies=deps,
    )
    G = ServiceGraph(cat)
    for failed in itertools.islice(
        (rng.sample([f"C{i}" for i in range(1500)], k) for k in itertools.cycle([1, 3, 8])), 6
    ):
        r = impact(G, failed)
        expected = oracle(cat, set(failed))
        assert sorted(v for v, s in expected.items() if s == "down" and not v.startswith("G")) == (
            sorted(r.down)
        )
