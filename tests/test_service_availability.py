"""Availability: formulas, composition over the graph, Monte Carlo, outage figures."""

from __future__ import annotations

import itertools
import math
from datetime import date, datetime

import attrs
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from scipy import stats
from tests.strategies_services import dependency_catalogues
from tests.test_service_graph import oracle

import pmsm_core as pm
from pmsm_core import (
    CalendarException,
    ConfigurationItem,
    Outage,
    RedundancyGroup,
    Service,
    ServiceCatalogue,
    ServiceDependency,
    ValidationError,
    WorkCalendar,
    derived_outages,
    k_of_n_availability,
    outage_counts,
    outage_statistics,
    parallel_availability,
    series_availability,
    service_availability,
)
from pmsm_core.services.availability import report_window

fractions = st.floats(0, 1, allow_nan=False)


def brute_force(cat: ServiceCatalogue, service: str) -> float:
    """P(service up) by enumerating every component state, with the impact oracle."""
    items = [c for c in cat.configuration_items if c.availability not in (None, 1.0)]
    total = 0.0
    for states in itertools.product((True, False), repeat=len(items)):
        weight = 1.0
        failed = set()
        for item, up in zip(items, states, strict=True):
            a = item.availability
            assert a is not None
            weight *= a if up else 1 - a
            if not up:
                failed.add(item.id)
        if weight and oracle(cat, failed)[service] != "down":
            total += weight
    return total


def catalogue(
    items: dict[str, float | None],
    deps: list[tuple[str, str]],
    groups: list[RedundancyGroup] = (),  # type: ignore[assignment]
    services: tuple[str, ...] = ("S",),
) -> ServiceCatalogue:
    return ServiceCatalogue(
        "C",
        services=[Service(s) for s in services],
        configuration_items=[ConfigurationItem(k, availability=v) for k, v in items.items()],
        redundancy_groups=list(groups),
        dependencies=[ServiceDependency(a, b) for a, b in deps],
    )


class TestFormulas:
    def test_hand_values(self) -> None:
        """Series, parallel and 2-of-3 by hand."""
        assert series_availability([0.99, 0.98]) == pytest.approx(0.9702)
        assert parallel_availability([0.99, 0.98]) == pytest.approx(0.9998)
        assert k_of_n_availability(2, [0.9] * 3) == pytest.approx(3 * 0.81 * 0.1 + 0.729)
        assert k_of_n_availability(0, [0.1, 0.2]) == 1.0
        assert series_availability([]) == 1.0 and parallel_availability([]) == 0.0

    @given(st.integers(1, 12), fractions, st.data())
    def test_identical_members_binomial(self, n: int, a: float, data: st.DataObject) -> None:
        """k-of-n of identical members equals the binomial tail (scipy)."""
        k = data.draw(st.integers(1, n))
        assert k_of_n_availability(k, [a] * n) == pytest.approx(stats.binom.sf(k - 1, n, a))

    @given(st.lists(fractions, min_size=1, max_size=7), st.data())
    def test_unequal_members_enumeration(self, values: list[float], data: st.DataObject) -> None:
        """k-of-n of unequal members equals enumerating every state."""
        k = data.draw(st.integers(0, len(values)))
        expected = sum(
            math.prod(a if up else 1 - a for a, up in zip(values, ups, strict=True))
            for ups in itertools.product((True, False), repeat=len(values))
            if sum(ups) >= k
        )
        assert k_of_n_availability(k, values) == pytest.approx(expected, abs=1e-12)

    @given(st.lists(fractions, min_size=1, max_size=8))
    def test_series_and_parallel_bounds(self, values: list[float]) -> None:
        """Series is at most the weakest component; parallel at least the strongest."""
        assert series_availability(values) <= min(values) + 1e-12
        assert parallel_availability(values) >= max(values) - 1e-12
        assert k_of_n_availability(len(values), values) == pytest.approx(
            series_availability(values)
        )
        assert k_of_n_availability(1, values) == pytest.approx(parallel_availability(values))

    @pytest.mark.parametrize("bad", [[1.5], [-0.1], [float("nan")], ["0.9"], [True]])
    def test_outside_unit_interval(self, bad: list[object]) -> None:
        """Availabilities outside [0, 1] are rejected with their position."""
        with pytest.raises(ValidationError, match=r"availabilities\[0\]"):
            series_availability(bad)  # type: ignore[arg-type]

    def test_bad_k(self) -> None:
        """k must be a whole number within 0..n."""
        with pytest.raises(ValidationError, match=r"0\.\.2"):
            k_of_n_availability(3, [0.9, 0.9])


class TestComposition:
    def test_series_parallel_tree(self) -> None:
        """A tree reduces exactly: (1 - 0.1²) × 0.99 with a 1-of-2 farm."""
        cat = catalogue(
            {"V1": 0.9, "V2": 0.9, "DB": 0.99},
            [("S", "FARM"), ("S", "DB")],
            [RedundancyGroup("FARM", ["V1", "V2"])],
        )
        r = service_availability(cat, "S")
        assert r.method == "series-parallel" and r.shared == ()
        assert r.availability == pytest.approx(0.99 * 0.99)
        assert r.interval is None and r.components == 3

    def test_shared_host_factoring(self) -> None:
        """Two VMs on one host: 0.99 × (1 - 0.1²) = 0.9801, not the naive 0.988119."""
        cat = catalogue(
            {"V1": 0.9, "V2": 0.9, "H": 0.99},
            [("S", "FARM"), ("V1", "H"), ("V2", "H")],
            [RedundancyGroup("FARM", ["V1", "V2"])],
        )
        r = service_availability(cat, "S")
        assert r.method == "factoring" and r.shared == ("H",)
        assert r.availability == pytest.approx(0.9801)
        naive = 1 - (1 - 0.99 * 0.9) ** 2
        assert naive == pytest.approx(0.988119)
        with pytest.raises(ValidationError, match="shares components"):
            service_availability(cat, "S", method="series-parallel")

    def test_bridge_of_two_hosts(self) -> None:
        """Two clusters spread over two hosts, by hand:
        h²(1 - (1 - v)²)² + 2h(1 - h)v² = 0.861696 for h = 0.9, v = 0.8."""
        cat = catalogue(
            {"A1": 0.8, "A2": 0.8, "B1": 0.8, "B2": 0.8, "H1": 0.9, "H2": 0.9},
            [
                ("S", "GA"),
                ("S", "GB"),
                ("A1", "H1"),
                ("B1", "H1"),
                ("A2", "H2"),
                ("B2", "H2"),
            ],
            [RedundancyGroup("GA", ["A1", "A2"]), RedundancyGroup("GB", ["B1", "B2"])],
        )
        for method in ("auto", "factoring", "enumeration"):
            assert service_availability(cat, "S", method=method).availability == pytest.approx(
                0.861696
            )

    def test_monte_carlo_interval(self) -> None:
        """Monte Carlo reports its interval, samples and confidence; it covers the exact."""
        cat = catalogue(
            {"A1": 0.8, "A2": 0.8, "H1": 0.9, "H2": 0.9},
            [("S", "GA"), ("A1", "H1"), ("A2", "H2"), ("S", "H1")],
            [RedundancyGroup("GA", ["A1", "A2"])],
        )
        exact = service_availability(cat, "S").availability
        mc = service_availability(cat, "S", method="monte-carlo", samples=50_000, seed=1)
        assert mc.method == "monte-carlo" and mc.samples == 50_000 and mc.confidence == 0.95
        assert mc.interval is not None
        assert mc.interval[0] <= exact <= mc.interval[1]
        assert mc.interval[1] - mc.interval[0] < 0.01
        again = service_availability(cat, "S", method="monte-carlo", samples=50_000, seed=1)
        assert again == mc

    def test_auto_falls_back_to_monte_carlo(self) -> None:
        """Beyond max_exact shared components, auto estimates."""
        cat = catalogue(
            {"V1": 0.9, "V2": 0.9, "H": 0.99},
            [("S", "FARM"), ("V1", "H"), ("V2", "H")],
            [RedundancyGroup("FARM", ["V1", "V2"])],
        )
        r = service_availability(cat, "S", max_exact=0, samples=20_000)
        assert r.method == "monte-carlo"
        assert r.interval is not None and r.interval[0] <= 0.9801 <= r.interval[1]

    def test_assumed_and_deterministic_components(self) -> None:
        """CIs without data count as up (and are listed); 0 and 1 are constants."""
        cat = catalogue({"A": None, "B": 1.0, "C": 0.0}, [("S", "A"), ("S", "B")])
        r = service_availability(cat, "S")
        assert r.availability == 1.0 and r.assumed == ("A",) and r.components == 0
        cat = catalogue({"C": 0.0, "D": 0.5}, [("S", "G")], [RedundancyGroup("G", ["C", "D"])])
        assert service_availability(cat, "S").availability == 0.5

    def test_targets(self) -> None:
        """The strictest agreed target is attached; meets_target compares in percent."""
        r = pm.AvailabilityResult("S", 0.995, "series-parallel", target=99.5)
        assert r.meets_target is True
        assert attrs.evolve(r, availability=0.9949).meets_target is False
        assert attrs.evolve(r, target=None).meets_target is None
        demo = {a.service: a for a in pm.catalogue_availability(pm.demo_catalogue())}
        assert demo["TEL"].target == 99.95 and demo["TEL"].meets_target is False
        assert demo["TEL"].availability == pytest.approx(0.9995 * 0.9995 * (1 - 0.0005**2) ** 2)

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"method": "magic"}, "method must be one of"),
            ({"samples": 0}, "samples must be"),
            ({"confidence": 1.0}, "confidence"),
        ],
    )
    def test_bad_options(self, kwargs: dict[str, object], message: str) -> None:
        """Options are checked."""
        cat = catalogue({"A": 0.9}, [("S", "A")])
        with pytest.raises(ValidationError, match=message):
            service_availability(cat, "S", **kwargs)  # type: ignore[arg-type]

    def test_enumeration_limit(self) -> None:
        """Enumeration refuses more than 20 components."""
        items = {f"X{i}": 0.9 for i in range(21)}
        cat = catalogue(items, [("S", k) for k in items])
        with pytest.raises(ValidationError, match="too large"):
            service_availability(cat, "S", method="enumeration")
        assert service_availability(cat, "S").availability == pytest.approx(0.9**21)

    def test_unknown_service(self) -> None:
        """Unknown ids are reported."""
        with pytest.raises(ValidationError, match="unknown"):
            service_availability(catalogue({"A": 0.9}, [("S", "A")]), "NOPE")


class TestCompositionProperties:
    @given(dependency_catalogues(max_nodes=10))
    def test_exact_methods_match_brute_force(self, cat: ServiceCatalogue) -> None:
        """Auto (series-parallel or factoring) and enumeration equal brute-force enumeration."""
        for service in cat.services:
            expected = brute_force(cat, service.id)
            auto = service_availability(cat, service.id)
            assert auto.method in ("series-parallel", "factoring")
            assert auto.availability == pytest.approx(expected, abs=1e-9)
            enum = service_availability(cat, service.id, method="enumeration")
            assert enum.availability == pytest.approx(expected, abs=1e-9)

    @given(dependency_catalogues(max_nodes=9), st.integers(0, 2**16))
    def test_monte_carlo_agrees_within_interval(self, cat: ServiceCatalogue, seed: int) -> None:
        """The exact value lies inside the Monte Carlo interval (99.9 % level; seeded)."""
        service = cat.services[-1].id
        exact = service_availability(cat, service).availability
        mc = service_availability(
            cat, service, method="monte-carlo", samples=4000, seed=seed, confidence=0.999
        )
        assert mc.interval is not None
        assert mc.interval[0] - 1e-12 <= exact <= mc.interval[1] + 1e-12

    # many random catalogues have no count-based group to grow; filtering them is intended
    @settings(suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
    @given(dependency_catalogues(max_nodes=9), st.data())
    def test_adding_a_member_never_lowers(self, cat: ServiceCatalogue, data: st.DataObject) -> None:
        """A redundancy group with one more member (same k) is never less available."""
        counted = [g for g in cat.redundancy_groups if g.min_up is not None]
        assume(counted)
        group = data.draw(st.sampled_from(counted))
        extra = ConfigurationItem("EXTRA", availability=data.draw(fractions))
        bigger = attrs.evolve(
            cat,
            configuration_items=[*cat.configuration_items, extra],
            redundancy_groups=[
                attrs.evolve(g, members=[*g.members, "EXTRA"]) if g is group else g
                for g in cat.redundancy_groups
            ],
        )
        for service in cat.services:
            before = service_availability(cat, service.id).availability
            after = service_availability(bigger, service.id).availability
            assert after >= before - 1e-12

    @given(dependency_catalogues(max_nodes=9), st.data())
    def test_doubling_a_component_never_lowers(
        self, cat: ServiceCatalogue, data: st.DataObject
    ) -> None:
        """Replacing a CI by a 1-of-2 pair of itself and a twin never lowers availability."""
        item = data.draw(st.sampled_from(cat.configuration_items))
        twin = attrs.evolve(item, id="TWIN")
        pair = RedundancyGroup("PAIR", [item.id, "TWIN"])

        def repoint(node: str) -> str:
            return "PAIR" if node == item.id else node

        deps = [attrs.evolve(d, provider=repoint(d.provider)) for d in cat.dependencies]
        deps += [
            ServiceDependency("TWIN", d.provider)
            for d in cat.dependencies
            if d.dependent == item.id
        ]
        groups = [
            attrs.evolve(g, members=[repoint(m) for m in g.members]) for g in cat.redundancy_groups
        ]
        doubled = attrs.evolve(
            cat,
            configuration_items=[*cat.configuration_items, twin],
            redundancy_groups=[*groups, pair],
            dependencies=deps,
        )
        for service in cat.services:
            before = service_availability(cat, service.id).availability
            after = service_availability(doubled, service.id).availability
            assert after >= before - 1e-12


BUSINESS = WorkCalendar("bh", {d: ["08:00-18:00"] for d in ("mon", "tue", "wed", "thu", "fri")})


class TestOutages:
    def test_hand_example(self) -> None:
        """One week of 10-hour days (3,000 minutes of AST); outages Tuesday 09:00-10:00,
        Thursday 16:30-18:30 (90 minutes inside hours) and Saturday (none):
        A = 2850/3000 = 95 %, MTRS = 75 min, MTBF = 1425 min, MTBSI = 1500 min."""
        records = [
            Outage("S", datetime(2026, 3, 3, 9), datetime(2026, 3, 3, 10)),
            Outage("S", datetime(2026, 3, 5, 16, 30), datetime(2026, 3, 5, 18, 30)),
            Outage("S", datetime(2026, 3, 7, 10), datetime(2026, 3, 7, 12)),
        ]
        s = outage_statistics(
            records, datetime(2026, 3, 2), datetime(2026, 3, 9), calendar=BUSINESS
        )
        assert (s.agreed_service_time, s.downtime, s.breaks) == (3000, 150, 2)
        assert s.availability == pytest.approx(0.95)
        assert (s.mtrs, s.mtbf, s.mtbsi) == (75.0, 1425.0, 1500.0)
        assert s.mtbsi == s.mtbf + s.mtrs
        assert s.availability == pytest.approx(s.mtbf / s.mtbsi)
        assert s.allowed_downtime(99.5) == pytest.approx(15.0)

    def test_round_the_clock_and_holidays(self) -> None:
        """Without service hours every minute counts; holidays are not service time."""
        records = [Outage("S", datetime(2026, 4, 3, 10), datetime(2026, 4, 3, 12))]
        window = (datetime(2026, 4, 1), datetime(2026, 4, 8))
        s = outage_statistics(records, *window)
        assert (s.agreed_service_time, s.downtime) == (7 * 1440, 120)
        easter = BUSINESS.with_exceptions(
            CalendarException(date(2026, 4, 3), date(2026, 4, 6), name="Easter")
        )
        s = outage_statistics(records, *window, calendar=easter)
        assert (s.agreed_service_time, s.downtime, s.breaks) == (3 * 600, 0, 0)
        assert s.mtbf is None and s.availability == 1.0

    def test_overlapping_records_are_merged(self) -> None:
        """Overlapping outages of one item count once, as one break."""
        records = [
            Outage("S", datetime(2026, 3, 3, 9), datetime(2026, 3, 3, 10)),
            Outage("S", datetime(2026, 3, 3, 9, 30), datetime(2026, 3, 3, 11)),
            Outage("T", datetime(2026, 3, 3, 9), datetime(2026, 3, 3, 17)),
        ]
        s = outage_statistics(records, datetime(2026, 3, 2), datetime(2026, 3, 9), item="S")
        assert (s.downtime, s.breaks) == (120, 1)

    def test_window_clips(self) -> None:
        """Only the part of an outage inside the window counts."""
        records = [Outage("S", datetime(2026, 2, 28, 22), datetime(2026, 3, 1, 2))]
        s = outage_statistics(records, datetime(2026, 3, 1), datetime(2026, 3, 2))
        assert (s.downtime, s.breaks, s.agreed_service_time) == (120, 1, 1440)

    def test_errors(self) -> None:
        """Reversed windows and ambiguous items are errors."""
        records = [
            Outage("S", datetime(2026, 3, 3, 9), datetime(2026, 3, 3, 10)),
            Outage("T", datetime(2026, 3, 3, 9), datetime(2026, 3, 3, 10)),
        ]
        with pytest.raises(ValidationError, match="must come after start"):
            outage_statistics(records, datetime(2026, 3, 2), datetime(2026, 3, 1), item="S")
        with pytest.raises(ValidationError, match="several items"):
            outage_statistics(records, datetime(2026, 3, 2), datetime(2026, 3, 9))
        with pytest.raises(ValidationError, match="must be an Outage"):
            outage_statistics(["x"], datetime(2026, 3, 2), datetime(2026, 3, 9))  # type: ignore[list-item]
        with pytest.raises(ValidationError, match="must be a datetime"):
            outage_statistics([], date(2026, 3, 2), datetime(2026, 3, 9))  # type: ignore[arg-type]

    def test_derived_outages_honour_redundancy(self) -> None:
        """A service is down only while its redundancy is exhausted."""
        cat = catalogue(
            {"A": 0.9, "B": 0.9},
            [("S", "G")],
            [RedundancyGroup("G", ["A", "B"])],
        )
        records = [
            Outage("A", datetime(2026, 3, 3, 9), datetime(2026, 3, 3, 12)),
            Outage("B", datetime(2026, 3, 3, 10), datetime(2026, 3, 3, 11)),
            Outage("B", datetime(2026, 3, 3, 11), datetime(2026, 3, 3, 13)),
        ]
        found = [(o.item, o.start.hour, o.end.hour) for o in derived_outages(cat, records)]
        assert found == [("A", 9, 12), ("B", 10, 13), ("S", 10, 12)]
        s_outage = next(o for o in derived_outages(cat, records) if o.item == "S")
        assert s_outage.description == "down because of: A, B"

    def test_counts_per_period(self) -> None:
        """Outages per item and week (weeks start on Monday)."""
        records = [
            Outage("S", datetime(2026, 3, 8, 23), datetime(2026, 3, 9, 1)),  # Sunday
            Outage("S", datetime(2026, 3, 9, 10), datetime(2026, 3, 9, 10, 30)),
            Outage("T", datetime(2026, 3, 10, 10), datetime(2026, 3, 10, 11)),
        ]
        counts = outage_counts(records, "week")
        assert [(c.item, c.period, c.outages, c.minutes) for c in counts] == [
            ("S", date(2026, 3, 2), 1, 120),
            ("S", date(2026, 3, 9), 1, 30),
            ("T", date(2026, 3, 9), 1, 60),
        ]
        with pytest.raises(ValidationError, match="period must be one of"):
            outage_counts(records, "fortnight")

    def test_report_window(self) -> None:
        """The default window covers whole months."""
        records = [Outage("S", datetime(2026, 3, 10), datetime(2026, 4, 2))]
        assert report_window(records) == (datetime(2026, 3, 1), datetime(2026, 5, 1))
        assert report_window([]) is None
        edge = [Outage("S", datetime(2026, 3, 10), datetime(2026, 4, 1))]
        assert report_window(edge) == (datetime(2026, 3, 1), datetime(2026, 4, 1))
