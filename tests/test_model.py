"""The project domain model: field validation, cross-object checks, derived values."""

from __future__ import annotations

from datetime import UTC, datetime

import attrs
import networkx as nx
import pytest
from hypothesis import given
from tests.strategies import projects

from pmsm_core import (
    Activity,
    Assignment,
    ConstraintType,
    Dependency,
    Duration,
    LinkType,
    PercentLag,
    Phase,
    ProcessGroup,
    Progress,
    Project,
    ProjectBuilder,
    QualityMetric,
    Resource,
    Risk,
    ScheduleConstraint,
    Stakeholder,
    ThreePointEstimate,
    TripleConstraint,
    ValidationError,
    WorkCalendar,
)


def problems(exc: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return [str(p) for p in exc.value.problems]


class TestValues:
    def test_frozen(self) -> None:
        """Values cannot be changed in place; evolve validates again."""
        a = Activity("A", duration=Duration(5))
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            a.name = "x"  # type: ignore[misc]
        with pytest.raises(ValidationError, match="must not be negative"):
            attrs.evolve(a, duration=Duration(-1))

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"id": ""}, "non-empty string"),
            ({"id": " A"}, "surrounding blanks"),
            ({"id": "A", "duration": Duration(-5)}, "must not be negative"),
            ({"id": "A", "duration": Duration(60, elapsed=True)}, "working time"),
            (
                {"id": "A", "milestone": True, "duration": Duration(60)},
                "milestone has zero duration",
            ),
            ({"id": "A", "cost": -1.0}, "cost must be >= 0"),
            ({"id": "A", "cost": float("nan")}, "finite"),
            ({"id": "A", "cost": 1e300}, "finite"),
            ({"id": "A", "milestone": 1}, "true or false"),
            ({"id": "A", "deadline": datetime(2026, 1, 1, tzinfo=UTC)}, "naive"),
            ({"id": "A", "deadline": datetime(2026, 1, 1, 8, 0, 30)}, "minute resolution"),
        ],
    )
    def test_activity_field_errors(self, kwargs: dict, message: str) -> None:
        """Field errors name the activity, the field and the value."""
        with pytest.raises(ValidationError, match=message):
            Activity(**kwargs)

    def test_constraint_date_rules(self) -> None:
        """Date-taking constraints need a date; ASAP and ALAP take none."""
        with pytest.raises(ValidationError, match="needs a date"):
            ScheduleConstraint(ConstraintType.FNLT)
        with pytest.raises(ValidationError, match="takes no date"):
            ScheduleConstraint(ConstraintType.ALAP, datetime(2026, 1, 1))

    def test_self_link(self) -> None:
        """An activity cannot depend on itself."""
        with pytest.raises(ValidationError, match="cannot depend on itself"):
            Dependency("A", "A")

    def test_three_point_order(self) -> None:
        """Optimistic <= most likely <= pessimistic."""
        with pytest.raises(ValidationError, match="optimistic <= most likely"):
            ThreePointEstimate(Duration(5), Duration(3), Duration(9))

    def test_progress_rules(self) -> None:
        """Finish before start, a finish without start, or 100 % without finish are errors."""
        with pytest.raises(ValidationError, match="comes before"):
            Progress(datetime(2026, 1, 5, 8), datetime(2026, 1, 2, 8), percent_complete=100)
        with pytest.raises(ValidationError, match="needs an actual start"):
            Progress(None, datetime(2026, 1, 2, 8), percent_complete=100)
        with pytest.raises(ValidationError, match="needs an actual start"):
            Progress(percent_complete=10)
        with pytest.raises(ValidationError, match="<= 100"):
            Progress(0, percent_complete=120)

    def test_lag_accepts_int_and_percent(self) -> None:
        """An int lag is minutes (units); percent lags scale the predecessor."""
        assert Dependency("A", "B", lag=3).lag == Duration(3)  # type: ignore[arg-type]
        assert PercentLag(50).of(Duration(960)) == Duration(480)

    def test_derived_figures(self) -> None:
        """Risk exposure, stakeholder engagement and quality checks."""
        assert Risk("R", probability=0.5, impact=3).exposure == 1.5
        assert Stakeholder("S", interest=1, influence=5).engagement == "keep satisfied"
        assert QualityMetric("Q", target=10, tolerance=1, direction="max").is_met(11)
        assert not QualityMetric("Q", target=10, tolerance=1).is_met(12)
        assert TripleConstraint(budget=10).within_budget(10)


class TestProjectChecks:
    def test_collects_every_problem(self) -> None:
        """Project validation lists all problems with their paths at once."""
        with pytest.raises(ValidationError) as exc:
            Project(
                "P",
                activities=[
                    Activity("A", phase="nope"),
                    Activity("A"),
                    Activity("B", parent="ghost", assignments=[Assignment("who")]),
                ],
                dependencies=[Dependency("A", "Z"), Dependency("A", "B"), Dependency("A", "B")],
                risks=[Risk("R", owner="nobody", affected_activities=["Q"])],
            )
        found = problems(exc)
        assert "activities[1].id: duplicate activity id 'A'" in found
        assert "activities[0].phase: activity 'A': unknown phase 'nope'" in found
        assert "activities[2].parent: activity 'B': unknown parent activity 'ghost'" in found
        assert (
            "activities[2].assignments[0].resource: activity 'B': unknown resource 'who'" in found
        )
        assert "dependencies[0].successor: unknown activity 'Z'" in found
        assert any(p.startswith("dependencies[2]: duplicate link") for p in found)
        assert "risks[0].owner: risk 'R': unknown stakeholder 'nobody'" in found
        assert "risks[0].affected_activities[0]: risk 'R': unknown activity 'Q'" in found

    def test_summary_rules(self) -> None:
        """Summaries have no duration, are no milestones, and take no links to their own
        descendants."""
        with pytest.raises(ValidationError) as exc:
            Project(
                "P",
                activities=[
                    Activity("S", duration=Duration(5)),
                    Activity("C", parent="S"),
                    Activity("T", milestone=True),
                    Activity("U", parent="T"),
                ],
                dependencies=[Dependency("S", "C"), Dependency("U", "T")],
            )
        found = "\n".join(problems(exc))
        assert "summary activity 'S' takes its duration from its children" in found
        assert "summary activity 'T' cannot be a milestone" in found
        assert "link from summary 'S' to its own descendant 'C' makes no sense" in found
        assert "link from 'U' to its own summary 'T' makes no sense" in found

    def test_wbs_cycle(self) -> None:
        """A parent chain that loops is reported with the loop."""
        with pytest.raises(ValidationError, match="the WBS has a cycle: A -> B -> A"):
            Project("P", activities=[Activity("A", parent="B"), Activity("B", parent="A")])

    def test_dated_and_undated_times(self) -> None:
        """A dated project needs datetimes, an undated one numbers."""
        with pytest.raises(ValidationError, match="a dated project needs a datetime"):
            Project("P", start=datetime(2026, 1, 5, 8), activities=[Activity("A", deadline=5)])
        with pytest.raises(ValidationError, match="undated project counts time in units"):
            Project("P", activities=[Activity("A", deadline=datetime(2026, 1, 5, 8))])
        with pytest.raises(ValidationError, match="elapsed lags need a dated project"):
            Project(
                "P",
                activities=[Activity("A"), Activity("B")],
                dependencies=[Dependency("A", "B", lag=Duration(60, elapsed=True))],
            )

    def test_unknown_calendar(self) -> None:
        """Activity and resource calendars must exist."""
        with pytest.raises(ValidationError) as exc:
            Project(
                "P",
                start=datetime(2026, 1, 5, 8),
                activities=[Activity("A", calendar="night")],
                resources=[Resource("R", calendar="day")],
            )
        assert len(exc.value.problems) == 2
        p = Project(
            "P",
            start=datetime(2026, 1, 5, 8),
            calendars=[WorkCalendar.night_shift("night")],
            activities=[Activity("A", calendar="night")],
        )
        assert p.activity_calendar("A").name == "Night Shift"


class TestQueries:
    def test_wbs_queries(self) -> None:
        """children, leaves, walk and is_summary follow the parent links."""
        p = Project(
            "P",
            activities=[
                Activity("S"),
                Activity("T", parent="S"),
                Activity("a", parent="T"),
                Activity("b", parent="S"),
                Activity("c"),
            ],
        )
        assert p.children("S") == ("T", "b")
        assert p.leaves("S") == ("a", "b")
        assert [(lvl, a.id) for lvl, a in p.walk()] == [
            (0, "S"),
            (1, "T"),
            (2, "a"),
            (1, "b"),
            (0, "c"),
        ]
        assert p.is_summary("T") and not p.is_summary("a")

    def test_communication_channels(self) -> None:
        """n stakeholders give n(n-1)/2 channels."""
        p = Project("P", stakeholders=[Stakeholder(f"S{i}") for i in range(7)])
        assert len(p.communication_channels) == 21

    def test_builder(self) -> None:
        """The builder collects, validates on build, and types links by string."""
        b = ProjectBuilder(
            "P", settings={"phases": [Phase("x", process_group=ProcessGroup.CLOSING)]}
        )
        b.add_activity("A", duration=3)
        b.add_activity("B", duration=Duration(2))
        b.link("A", "B", "SF", 1)
        p = b.build()
        assert p.dependencies[0].type is LinkType.SF
        b.link("B", "nowhere")
        with pytest.raises(ValidationError, match="unknown activity 'nowhere'"):
            b.build()

    def test_total_cost(self) -> None:
        """Fixed costs plus hours x rate plus cost per use plus procurement."""
        p = Project(
            "P",
            start=datetime(2026, 1, 5, 8),
            resources=[Resource("R", cost_per_hour=50, cost_per_use=10)],
            activities=[
                Activity(
                    "A",
                    duration=Duration.from_days(1),
                    cost=100,
                    assignments=[Assignment("R", 0.5)],
                )
            ],
        )
        assert p.total_cost == 100 + 50 * 4 + 10

    def test_to_networkx(self, small_project: Project) -> None:
        """Activities become nodes with attributes, links edges with type and lag."""
        G = small_project.to_networkx()
        assert isinstance(G, nx.DiGraph)
        assert set(G) == {"A", "B", "C", "D", "M"}
        assert G.edges["B", "C"]["type"] == "SS" and G.edges["B", "C"]["lag"] == 480
        assert G.nodes["M"]["milestone"] and G.nodes["A"]["duration"] == 960
        assert nx.is_directed_acyclic_graph(G)

    @given(projects())
    def test_generated_projects_are_valid(self, project: Project) -> None:
        """Strategies build valid projects; to_networkx keeps every node and link."""
        G = project.to_networkx()
        assert G.number_of_nodes() == len(project.activities)
        assert G.number_of_edges() == len(project.dependencies)
