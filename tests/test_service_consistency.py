"""Consistency of delivered results: share of periods meeting each target, variation."""

from __future__ import annotations

import statistics
from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

import pmsm_core as pm
from pmsm_core import (
    ConfigurationItem,
    Duration,
    Measurement,
    Outage,
    QualityMetric,
    Service,
    ServiceBoundary,
    ServiceCatalogue,
    ServiceDependency,
    ServiceLevelAgreement,
    ServiceLevelTarget,
    StateChange,
    TargetMetric,
    Ticket,
    ValidationError,
    consistency,
)
from pmsm_core.services.consistency import TargetConsistency


class TestSummary:
    def test_hand_example(self) -> None:
        """Values 68.5, 72.0, 74.1 against 'at least 70': 2 of 3 met; mean 71.533,
        sample standard deviation 2.829, coefficient of variation 0.0395."""
        c = TargetConsistency.from_values(
            "SD",
            "result",
            "FCR",
            70.0,
            [(date(2026, 3, 1), 68.5), (date(2026, 4, 1), 72.0), (date(2026, 5, 1), 74.1)],
        )
        assert (c.met, c.measured) == (2, 3)
        assert c.mean == pytest.approx(71.5333, abs=1e-4)
        assert c.stdev == pytest.approx(2.8290, abs=1e-4)
        assert c.cv == pytest.approx(0.03955, abs=1e-5)
        assert (c.minimum, c.maximum) == (68.5, 74.1)

    def test_directions_and_gaps(self) -> None:
        """'max' targets, tolerances and periods without data."""
        c = TargetConsistency.from_values(
            "SD",
            "result",
            "Abandoned calls",
            5.0,
            [(date(2026, 3, 1), 6.2), (date(2026, 4, 1), None), (date(2026, 5, 1), 5.4)],
            direction="max",
            tolerance=0.5,
        )
        assert [p.met for p in c.periods] == [False, None, True]
        assert c.share_met == 0.5 and c.measured == 2
        one = TargetConsistency.from_values("S", "result", "x", 1.0, [(date(2026, 3, 1), 1.0)])
        assert one.stdev is None and one.cv is None and one.share_met == 1.0
        empty = TargetConsistency.from_values("S", "result", "x", 1.0, [])
        assert empty.share_met is None and empty.mean is None and empty.minimum is None
        with pytest.raises(ValidationError, match="direction"):
            TargetConsistency.from_values("S", "result", "x", 1.0, [], direction="up")

    @given(st.lists(st.floats(-1e6, 1e6) | st.none(), max_size=12), st.floats(-1e6, 1e6))
    def test_statistics(self, values: list[float | None], goal: float) -> None:
        """Share met and variation agree with the statistics module."""
        periods = [(date(2026, 1, 1).replace(month=i % 12 + 1), v) for i, v in enumerate(values)]
        c = TargetConsistency.from_values("S", "result", "x", goal, periods)
        known = [v for v in values if v is not None]
        assert c.measured == len(known)
        assert c.met == sum(1 for v in known if v >= goal - 1e-9)
        if len(known) >= 2:
            assert c.stdev == pytest.approx(statistics.stdev(known), rel=1e-9, abs=1e-9)


class TestCatalogue:
    def test_demo(self) -> None:
        """The demo catalogue yields availability, compliance and result rows."""
        rows = consistency(pm.demo_catalogue())
        sources = {r.source for r in rows}
        assert sources == {"availability", "compliance", "result"}
        sd = next(r for r in rows if r.source == "availability" and r.service == "SD")
        assert sd.goal == 99.5 and [p.period for p in sd.periods] == [
            date(2026, 3, 1),
            date(2026, 4, 1),
            date(2026, 5, 1),
        ]
        abandon = next(r for r in rows if r.target == "Abandoned calls")
        assert abandon.direction == "max" and abandon.met == 2

    def test_availability_per_period(self) -> None:
        """Monthly availability within service hours from derived outages, vs the SLA."""
        hours = pm.WorkCalendar(
            "bh", {d: ["08:00-18:00"] for d in ("mon", "tue", "wed", "thu", "fri")}
        )
        cat = ServiceCatalogue(
            "C",
            calendars=[hours],
            services=[
                Service(
                    "S",
                    boundary=ServiceBoundary(results=[QualityMetric("Q", target=5.0)]),
                )
            ],
            configuration_items=[ConfigurationItem("X")],
            dependencies=[ServiceDependency("S", "X")],
            service_level_agreements=[
                ServiceLevelAgreement(
                    "SLA",
                    services=["S"],
                    service_hours="bh",
                    targets=[
                        ServiceLevelTarget(TargetMetric.AVAILABILITY, availability=99.0),
                        ServiceLevelTarget(
                            TargetMetric.RESOLUTION, time=Duration(60), compliance=50.0
                        ),
                    ],
                )
            ],
            # March 2026 has 22 working days = 13,200 minutes; 3 hours down -> 98.64 %
            outages=[Outage("X", datetime(2026, 3, 3, 9), datetime(2026, 3, 3, 12))],
            tickets=[
                Ticket(
                    "T1",
                    "S",
                    [
                        StateChange(datetime(2026, 4, 1, 9), "new"),
                        StateChange(datetime(2026, 4, 1, 9, 30), "resolved"),
                    ],
                )
            ],
            measurements=[Measurement("S", "Q", date(2026, 3, 1), 5.0)],
        )
        rows = consistency(cat)
        availability = rows[0]
        assert availability.source == "availability"
        assert availability.periods[0].value == pytest.approx(100 * (1 - 180 / 13200))
        assert [p.met for p in availability.periods] == [False, True]
        compliance = rows[1]
        assert compliance.source == "compliance" and compliance.goal == 50.0
        assert [p.value for p in compliance.periods] == [None, 100.0]
        assert rows[2].source == "result" and rows[2].met == 1
        weekly = consistency(cat, start=date(2026, 3, 2), end=date(2026, 3, 16), period="week")
        assert [p.period for p in weekly[0].periods] == [date(2026, 3, 2), date(2026, 3, 9)]

    def test_errors_and_empty(self) -> None:
        """Bad windows are errors; a catalogue without records has nothing to report."""
        assert consistency(ServiceCatalogue("C")) == ()
        with pytest.raises(ValidationError, match="must come after"):
            consistency(pm.demo_catalogue(), start=date(2026, 5, 1), end=date(2026, 4, 1))
        with pytest.raises(ValidationError, match="must be a date"):
            consistency(pm.demo_catalogue(), start=datetime(2026, 3, 1), end=date(2026, 4, 1))
        with pytest.raises(ValidationError, match="period"):
            consistency(pm.demo_catalogue(), period="fortnight")
