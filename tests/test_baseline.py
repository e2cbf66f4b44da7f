"""Baselines: saving the plan and comparing schedules with it."""

from __future__ import annotations

import math
import warnings
from datetime import datetime
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from tests.strategies import projects

from pmsm_core import (
    Activity,
    Assignment,
    BaselineComparison,
    Dependency,
    Duration,
    ProcurementItem,
    Progress,
    Project,
    Resource,
    ResourceKind,
    ValidationError,
    compare_with_baseline,
    save_baseline,
    schedule,
)
from pmsm_core.io.json import structure, unstructure
from pmsm_core.io.mspdi import read as read_mspdi
from pmsm_core.scheduling.baseline import planned_costs, unallocated_cost

DATA = Path(__file__).parent / "data" / "mspdi"
d = Duration.from_days
MON = datetime(2026, 1, 5, 8)


@pytest.fixture
def costed() -> Project:
    """Three activities with fixed costs, people at hourly rates and a purchase."""
    return Project(
        "P",
        start=MON,
        activities=[
            Activity("S", "Phase"),
            Activity("A", "Design", d(2), parent="S", cost=100.0, assignments=[Assignment("PM")]),
            Activity(
                "B",
                "Build",
                d(3),
                parent="S",
                assignments=[Assignment("ENG", 2.0), Assignment("LIC", work=Duration(0))],
            ),
            Activity("C", "Test", d(1), assignments=[Assignment("ENG", 0.5, work=d(1))]),
        ],
        dependencies=[Dependency("A", "B"), Dependency("B", "C")],
        resources=[
            Resource("PM", cost_per_hour=100.0),
            Resource("ENG", cost_per_hour=80.0, cost_per_use=50.0),
            Resource("LIC", kind=ResourceKind.COST, cost_per_use=500.0),
        ],
        procurement=[
            ProcurementItem("PO1", cost=1000.0, activity="C"),
            ProcurementItem("PO2", cost=300.0),
        ],
    )


class TestSave:
    def test_values_by_hand(self, costed: Project) -> None:
        """Start, finish, duration, cost and work of every activity, summaries summed."""
        p = save_baseline(costed, saved=datetime(2026, 1, 2, 9))
        (b,) = p.baselines
        assert (b.number, b.name, b.saved) == (0, "Baseline", datetime(2026, 1, 2, 9))
        got = {x.activity: x for x in b.activities}
        # A: 100 fixed + PM 16 h x 100 = 1,700; work 16 h
        assert (got["A"].start, got["A"].finish) == (MON, datetime(2026, 1, 6, 17))
        assert (got["A"].cost, got["A"].work) == (1700.0, d(2))
        # B: ENG 2 units x 24 h x 80 + 50 per use = 3,890, licence 500 per use: 4,390;
        # work counts work resources only: 48 h
        assert (got["B"].cost, got["B"].work, got["B"].duration) == (4390.0, d(6), d(3))
        # C: ENG 8 h x 80 + 50 = 690, plus the purchase tied to C: 1,690
        assert got["C"].cost == 1690.0
        # the summary spans its children and carries their sum
        assert (got["S"].start, got["S"].finish) == (MON, datetime(2026, 1, 9, 17))
        assert (got["S"].cost, got["S"].work) == (6090.0, d(8))
        # leaf costs plus procurement tied to no activity = the project's total cost
        costs = planned_costs(costed)
        assert unallocated_cost(costed) == 300.0
        assert costs["A"] + costs["B"] + costs["C"] + 300.0 == costed.total_cost

    def test_numbers_names_and_replacement(self, costed: Project) -> None:
        """Up to 11 baselines 0..10, sorted; saving a number again replaces it."""
        p = costed
        for n in (3, 0, 10):
            p = save_baseline(p, n)
        assert [(b.number, b.name) for b in p.baselines] == [
            (0, "Baseline"),
            (3, "Baseline 3"),
            (10, "Baseline 10"),
        ]
        longer = attrs.evolve(
            p, activities=[*p.activities[:3], attrs.evolve(p.activities[3], duration=d(4))]
        )
        p2 = save_baseline(longer, 3, name="re-plan")
        assert [b.name for b in p2.baselines] == ["Baseline", "re-plan", "Baseline 10"]
        assert p2.baselines[1].activities[3].duration == d(4)
        assert costed.baselines == ()  # values are never changed in place

    @pytest.mark.parametrize("number", [11, -1, True, 2.0])
    def test_bad_numbers(self, costed: Project, number: object) -> None:
        """Baseline numbers outside 0..10 are a clear error."""
        with pytest.raises(ValidationError, match="from 0 to 10") as err:
            save_baseline(costed, number)  # type: ignore[arg-type]
        assert err.value.problems[0].path == "number"

    @settings(max_examples=25)
    @given(projects(with_extras=True))
    def test_costs_add_up_and_baselines_round_trip(self, project: Project) -> None:
        """Leaf costs + unallocated procurement = total cost; a saved baseline survives JSON."""
        costs = planned_costs(project)
        leaves = [a.id for a in project.activities if not project.is_summary(a.id)]
        other = unallocated_cost(project)
        assert math.isclose(
            sum(costs[x] for x in leaves) + other, project.total_cost, rel_tol=1e-9, abs_tol=1e-6
        )
        saved = save_baseline(project, 7)
        assert structure(unstructure(saved), Project) == saved


class TestCompare:
    def test_variances_by_hand(self, costed: Project) -> None:
        """B runs a day longer: B and C finish a day late; the summary a day late; the
        project a day late; complete work does not count as slipping."""
        p = save_baseline(costed)
        acts = list(p.activities)
        acts[1] = attrs.evolve(
            acts[1], progress=Progress(MON, datetime(2026, 1, 6, 17), percent_complete=100)
        )
        acts[2] = attrs.evolve(acts[2], duration=d(4), cost=250.0)
        later = attrs.evolve(p, activities=acts)
        c = compare_with_baseline(later)
        assert (c.start_variance, c.finish_variance, c.duration_variance) == (0, 480, 480)
        assert (c["B"].start_variance, c["B"].finish_variance, c["B"].duration_variance) == (
            0,
            480,
            480,
        )
        assert (c["C"].start_variance, c["C"].finish_variance) == (480, 480)
        # B's cost grows by 250 fixed + 2 x 8 h x 80 = 1,530
        assert c["B"].cost_variance == 1530.0 and c.cost - c.baseline_cost == 1530.0
        assert c["S"].summary and c["S"].finish_variance == 480
        assert [x.id for x in c.slipping()] == ["B", "C"]
        assert c.slipping(480) == ()
        assert c["A"].complete and c["A"].finish_variance == 0
        frame = c.to_dataframe()
        assert frame.loc["C", "finish_variance"] == 480 and bool(frame.loc["S", "summary"])
        assert structure(unstructure(c), BaselineComparison) == c
        assert "slipping=2" in repr(c)

    def test_rescheduled_progress_against_the_baseline(self, costed: Project) -> None:
        """A finished a day late (progress): the rescheduled B and C slip by that day."""
        p = save_baseline(costed)
        acts = list(p.activities)
        acts[1] = attrs.evolve(
            acts[1], progress=Progress(MON, datetime(2026, 1, 7, 17), percent_complete=100)
        )
        tracked = attrs.evolve(p, activities=acts, status_date=datetime(2026, 1, 7, 17))
        c = compare_with_baseline(tracked, schedule(tracked))
        assert [(x.id, x.finish_variance) for x in c.slipping()] == [("B", 480), ("C", 480)]
        assert c.finish_variance == 480

    def test_other_baseline_numbers_and_values(self, costed: Project) -> None:
        """Compare with baseline 2, or with a Baseline value; a missing number is an error."""
        p = save_baseline(save_baseline(costed, 2, name="approved"), 0)
        assert compare_with_baseline(p, baseline=2).baseline_name == "approved"
        assert compare_with_baseline(p, baseline=p.baselines[1]).baseline == 2
        with pytest.raises(ValidationError, match="has no baseline 5 \\(it has 0, 2\\)"):
            compare_with_baseline(p, baseline=5)

    def test_activity_added_after_the_baseline(self, costed: Project) -> None:
        """Activities missing from the baseline have no variance and are listed."""
        p = save_baseline(costed)
        more = attrs.evolve(p, activities=[*p.activities, Activity("X", duration=d(1))])
        c = compare_with_baseline(more)
        assert c.not_in_baseline == ("X",) and c["X"].finish_variance is None

    def test_microsoft_project_baselines(self) -> None:
        """task-baselines (Project 2019): Baseline Start/Finish/Duration of the tasks saved
        by Microsoft Project, compared with our schedule in working minutes."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # fields the model does not keep
            project = read_mspdi(DATA / "task-baselines-project2019-mspdi.xml")
        s = schedule(project)
        c = compare_with_baseline(project, s)
        cal = project.calendar
        checked = 0
        for b in project.baselines[0].activities:
            x = c[b.activity]
            if b.start is not None:
                assert x.start_variance == cal.working_minutes_between(b.start, s[b.activity].start)
                checked += 1
            if b.finish is not None:
                assert x.finish_variance == cal.working_minutes_between(
                    b.finish, s[b.activity].finish
                )
            assert x.duration_variance == s[b.activity].duration - b.duration.minutes
        assert checked >= 1
