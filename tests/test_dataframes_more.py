"""to_dataframe on availability, outage, PERT, staffing and impact-explanation results."""

from __future__ import annotations

import math
from collections import Counter
from datetime import timedelta
from typing import Any

import pandas as pd
import pytest

import pmsm_core as pm
from pmsm_core import (
    Activity,
    Dependency,
    Duration,
    Project,
    catalogue_availability,
    derived_outages,
    explain_impact,
    outage_statistics,
    pert_analysis,
    service_availability,
    staffing,
)
from pmsm_core import ThreePointEstimate as T
from pmsm_core.examples import demo_catalogue, demo_project
from pmsm_core.model.service import ServiceCatalogue
from pmsm_core.scheduling.risk import PERCENTILES
from pmsm_core.services.availability import report_window

S = timedelta(seconds=1)


@pytest.fixture(scope="module")
def catalogue() -> ServiceCatalogue:
    cat: ServiceCatalogue = demo_catalogue()
    return cat


def _none_or(value: Any) -> Any:
    """pandas' missing value reads back as None."""
    return None if pd.isna(value) else value


class TestAvailabilityFrame:
    """AvailabilityResult.to_dataframe: one row per result, indexed by service."""

    COLUMNS = (
        "availability",
        "method",
        "interval_low",
        "interval_high",
        "confidence",
        "samples",
        "components",
        "shared",
        "assumed",
        "target_percent",
        "meets_target",
        "expected_downtime_hours_per_year",
    )

    def test_one_row_per_service_of_the_demo_catalogue(self, catalogue: ServiceCatalogue) -> None:
        """Concatenated frames hold every service's figures, in the catalogue's order."""
        results = catalogue_availability(catalogue)
        frame = pd.concat([r.to_dataframe() for r in results])
        assert frame.shape == (len(results), len(self.COLUMNS))
        assert frame.index.name == "service"
        assert list(frame.index) == [r.service for r in results]
        assert tuple(frame.columns) == self.COLUMNS
        for r in results:
            row = frame.loc[r.service]
            assert row["availability"] == r.availability
            assert row["method"] == r.method
            assert row["components"] == r.components
            assert row["shared"] == ", ".join(r.shared)
            assert row["assumed"] == ", ".join(r.assumed)
            assert _none_or(row["target_percent"]) == r.target
            assert _none_or(row["meets_target"]) == r.meets_target
            assert row["expected_downtime_hours_per_year"] == pytest.approx(
                r.expected_downtime_hours_per_year
            )
            assert math.isnan(row["interval_low"]) and math.isnan(row["interval_high"])
            assert pd.isna(row["samples"]) and math.isnan(row["confidence"])

    def test_dtypes_stay_clean(self, catalogue: ServiceCatalogue) -> None:
        """Missing samples and targets use nullable dtypes rather than objects."""
        frame = pd.concat([r.to_dataframe() for r in catalogue_availability(catalogue)])
        assert frame["availability"].dtype == "float64"
        assert frame["target_percent"].dtype == "float64"
        assert frame["components"].dtype == "int64"
        assert frame["samples"].dtype == "Int64"
        assert frame["meets_target"].dtype == "boolean"
        assert not frame.loc["TEL", "meets_target"]

    def test_monte_carlo_fills_interval_and_samples(self, catalogue: ServiceCatalogue) -> None:
        """A Monte Carlo estimate carries its interval, confidence and sample count."""
        r = service_availability(catalogue, "SD", method="monte-carlo", samples=5_000, seed=1)
        assert r.interval is not None
        frame = r.to_dataframe()
        assert frame.shape == (1, len(self.COLUMNS))
        assert list(frame.index) == ["SD"]
        row = frame.loc["SD"]
        assert (row["interval_low"], row["interval_high"]) == r.interval
        assert row["confidence"] == r.confidence
        assert row["samples"] == r.samples == 5_000
        assert row["method"] == "monte-carlo"


class TestOutageStatisticsFrame:
    """OutageStatistics.to_dataframe: one row indexed by item, times in minutes."""

    COLUMNS = (
        "start",
        "end",
        "agreed_service_time_minutes",
        "downtime_minutes",
        "uptime_minutes",
        "breaks",
        "availability",
        "mtbf_minutes",
        "mtrs_minutes",
        "mtbsi_minutes",
    )

    @pytest.mark.parametrize("service", ["SD", "PORTAL", "MAIL"])
    def test_derived_outages_in_service_hours(
        self, catalogue: ServiceCatalogue, service: str
    ) -> None:
        """Figures of a demo service's derived outages inside the desk's business hours."""
        records = [o for o in derived_outages(catalogue) if o.item == service]
        window = report_window(catalogue.outages)
        assert window is not None
        stats = outage_statistics(
            records, *window, calendar=catalogue.service_hours("SLA-DESK"), item=service
        )
        frame = stats.to_dataframe()
        assert frame.shape == (1, len(self.COLUMNS))
        assert frame.index.name == "item"
        assert list(frame.index) == [service]
        assert tuple(frame.columns) == self.COLUMNS
        row = frame.loc[service]
        assert row["start"] == stats.start and row["end"] == stats.end
        assert row["agreed_service_time_minutes"] == stats.agreed_service_time
        assert row["downtime_minutes"] == stats.downtime
        assert row["uptime_minutes"] == stats.uptime
        assert row["breaks"] == stats.breaks
        assert _none_or(row["availability"]) == stats.availability
        assert _none_or(row["mtbf_minutes"]) == stats.mtbf
        assert _none_or(row["mtrs_minutes"]) == stats.mtrs
        assert _none_or(row["mtbsi_minutes"]) == stats.mtbsi

    def test_dtypes_and_an_item_without_breaks(self, catalogue: ServiceCatalogue) -> None:
        """An item without outages has NaN for the per-break means; integers stay integers."""
        window = report_window(catalogue.outages)
        assert window is not None
        stats = outage_statistics(catalogue.outages, *window, item="DNS1")
        assert stats.breaks == 0
        frame = stats.to_dataframe()
        assert frame.loc["DNS1", "availability"] == 1.0
        assert frame[["mtbf_minutes", "mtrs_minutes", "mtbsi_minutes"]].isna().all(axis=None)
        for column in ("agreed_service_time_minutes", "downtime_minutes", "breaks"):
            assert frame[column].dtype == "int64"
        assert pd.api.types.is_datetime64_any_dtype(frame["start"])


class TestPertFrame:
    """PertAnalysis.to_dataframe: one row per percentile of the PERT finish."""

    def test_demo_project_is_dated(self) -> None:
        """Finishes are the analysis' percentiles as datetimes, probabilities at least q %."""
        pert = pert_analysis(demo_project())
        frame = pert.to_dataframe()
        assert frame.shape == (len(PERCENTILES), 2)
        assert frame.index.name == "percentile"
        assert list(frame.index) == list(PERCENTILES)
        assert list(frame.columns) == ["finish", "probability"]
        assert pd.api.types.is_datetime64_any_dtype(frame["finish"])
        assert frame["probability"].dtype == "float64"
        assert frame["finish"].is_monotonic_increasing
        for q in PERCENTILES:
            finish = pert.percentile(q)
            assert frame.loc[q, "finish"] == finish
            assert frame.loc[q, "probability"] == pert.probability(finish)
            assert frame.loc[q, "probability"] >= q / 100 - 1e-9
        assert frame.loc[50, "finish"] == pert.mean

    def test_undated_project(self) -> None:
        """Undated finishes are float units and the probabilities are the percentiles."""
        d = Duration
        p = Project(
            "P",
            activities=[
                Activity("A", duration=d(4), estimate=T(d(2), d(4), d(12))),
                Activity("B", duration=d(6), estimate=T(d(4), d(6), d(8))),
            ],
            dependencies=[Dependency("A", "B")],
        )
        pert = pert_analysis(p)
        frame = pert.to_dataframe()
        assert frame["finish"].dtype == "float64"
        assert frame.loc[50, "finish"] == pytest.approx(pert.mean)
        assert list(frame["finish"]) == [pert.percentile(q) for q in PERCENTILES]
        assert list(frame["probability"]) == pytest.approx([q / 100 for q in PERCENTILES])


class TestStaffingFrame:
    """StaffingResult.to_dataframe: one row per agent count around the answer."""

    COLUMNS = (
        "waiting_probability",
        "service_level",
        "average_speed_of_answer_seconds",
        "occupancy",
        "scheduled",
        "meets_target",
    )

    @staticmethod
    def check(r: pm.StaffingResult) -> pd.DataFrame:
        frame = r.to_dataframe()
        first = max(1, math.floor(r.traffic) + 1, r.agents - 10)
        assert frame.index.name == "agents"
        assert list(frame.index) == list(range(first, r.agents + 4))
        assert tuple(frame.columns) == TestStaffingFrame.COLUMNS
        assert frame["scheduled"].dtype == "int64"
        assert frame["meets_target"].dtype == "bool"
        row = frame.loc[r.agents]
        assert row["waiting_probability"] == r.waiting_probability
        assert row["service_level"] == r.service_level
        assert row["occupancy"] == r.occupancy
        assert row["scheduled"] == r.scheduled
        assert row["average_speed_of_answer_seconds"] == pytest.approx(
            r.average_speed_of_answer.total_seconds(), abs=1e-6
        )
        assert frame.index[frame["meets_target"]][0] == r.agents
        assert frame.loc[r.agents :, "meets_target"].all()
        assert frame["service_level"].is_monotonic_increasing
        assert (frame["occupancy"] == r.traffic / frame.index).all()
        return frame

    def test_published_example(self) -> None:
        """The Call Centre Helper example: 11 to 17 agents, 14 the first to meet 80/20."""
        r = staffing(100, timedelta(minutes=30), 180 * S, 20 * S, max_occupancy=0.85, shrinkage=0.3)
        frame = self.check(r)
        assert frame.shape == (7, len(self.COLUMNS))
        assert list(frame.loc[[14, 15], "scheduled"]) == [20, 22]

    def test_occupancy_cap_decides(self) -> None:
        """A tight occupancy cap, not the service level, sets the first row meeting target."""
        r = staffing(100, timedelta(minutes=30), 180 * S, 20 * S, max_occupancy=0.6)
        frame = self.check(r)
        assert frame.loc[r.agents - 1, "service_level"] >= r.target
        assert not frame.loc[r.agents - 1, "meets_target"]

    def test_demo_catalogue_tickets(self, catalogue: ServiceCatalogue) -> None:
        """Staffing the busiest day of the demo desk's tickets (30 minutes each)."""
        per_day = Counter(t.history[0].at.date() for t in catalogue.tickets)
        busiest = max(per_day.values())
        r = staffing(busiest, timedelta(hours=8), timedelta(minutes=30), timedelta(minutes=5))
        frame = self.check(r)
        assert frame.index[0] == 1


class TestImpactExplanationFrame:
    """ImpactExplanation.to_dataframe: one row per candidate component, best first."""

    COLUMNS = (
        "explains",
        "degrades",
        "explained",
        "collateral",
        "complete",
        "consistent",
        "in_cover",
    )

    def test_demo_outage(self, catalogue: ServiceCatalogue) -> None:
        """The service desk and portal down: candidates in order with their flags."""
        e = explain_impact(catalogue, ["SD", "PORTAL"])
        frame = e.to_dataframe()
        assert frame.shape == (len(e.candidates), len(self.COLUMNS))
        assert frame.index.name == "component"
        assert list(frame.index) == [c.component for c in e.candidates]
        assert tuple(frame.columns) == self.COLUMNS
        for c in e.candidates:
            row = frame.loc[c.component]
            assert row["explains"] == ", ".join(c.explains)
            assert row["degrades"] == ", ".join(c.degrades)
            assert row["explained"] == len(c.explains)
            assert row["collateral"] == c.collateral
        assert list(frame.index[frame["complete"]]) == list(e.complete)
        assert list(frame.index[frame["consistent"]]) == list(e.consistent)
        assert set(frame.index[frame["in_cover"]]) == set(e.cover)
        assert frame.loc["ITSM", ["complete", "consistent", "in_cover"]].all()

    def test_dtypes(self, catalogue: ServiceCatalogue) -> None:
        """Counts are integers and flags booleans."""
        frame = explain_impact(catalogue, ["SD", "PORTAL"]).to_dataframe()
        assert frame["explained"].dtype == "int64"
        assert frame["collateral"].dtype == "int64"
        assert (frame[["complete", "consistent", "in_cover"]].dtypes == "bool").all()

    def test_nothing_impacted_gives_an_empty_frame_with_dtypes(
        self, catalogue: ServiceCatalogue
    ) -> None:
        """No impacted items: no rows, but the same columns and dtypes."""
        frame = explain_impact(catalogue, []).to_dataframe()
        assert frame.shape == (0, len(self.COLUMNS))
        assert frame.index.name == "component"
        assert tuple(frame.columns) == self.COLUMNS
        assert frame["collateral"].dtype == "int64"
        assert frame["in_cover"].dtype == "bool"
