"""Frames, notebook HTML, charts and text diagrams."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

import attrs
import matplotlib
import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from tests.strategies import projects

from pmsm_core import (
    Activity,
    Assignment,
    Dependency,
    Duration,
    LinkType,
    Project,
    Resource,
    ValidationError,
    level,
    over_allocations,
    schedule,
)
from pmsm_core.examples import demo_catalogue, demo_project
from pmsm_core.processes.catalog import load_catalogue
from pmsm_core.processes.flow import analyse_flow, flow_graph
from pmsm_core.services.graph import impact
from pmsm_core.viz import text
from pmsm_core.viz.flow import flow_diagram
from pmsm_core.viz.gantt import gantt
from pmsm_core.viz.network import layered_layout, network_diagram
from pmsm_core.viz.resources import resource_histogram, resource_usage

matplotlib.use("Agg")
import matplotlib.pyplot as plt


def png(figure) -> np.ndarray:  # type: ignore[no-untyped-def]
    """Render a figure to PNG and read the pixels back."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=40)
    plt.close(figure)
    buffer.seek(0)
    return plt.imread(buffer)


def non_trivial(pixels: np.ndarray, *, colour: tuple[float, float, float] | None = None) -> bool:
    """Many distinct colours, not mostly blank; optionally contains a given colour."""
    flat = pixels[..., :3].reshape(-1, 3)
    ink = np.mean(np.any(flat < 0.95, axis=1))
    distinct = len(np.unique((flat * 255).astype(np.uint8), axis=0))
    found = True
    if colour is not None:
        found = bool(np.any(np.all(np.abs(flat - np.array(colour)) < 0.03, axis=1)))
    return bool(ink > 0.02 and distinct > 20 and found)


ORANGE = (0xD5 / 255, 0x5E / 255, 0x00 / 255)


@pytest.fixture(scope="module")
def demo() -> Project:
    return attrs.evolve(demo_project(), status_date=datetime(2026, 2, 16, 8))


class TestFrames:
    """to_dataframe on projects, schedules and the service/process results."""

    def test_schedule_frame_matches_schedule(self, demo: Project) -> None:
        """Every row carries the scheduled values of its activity."""
        s = schedule(demo)
        frame = s.to_dataframe()
        assert list(frame.index) == [a.id for a in s]
        for a in s:
            row = frame.loc[a.id]
            assert row["total_float"] == a.total_float and row["critical"] == a.critical
            assert row["early_start"] == a.early_start
        assert frame["critical"].sum() == len(s.critical)

    def test_project_frame(self, demo: Project) -> None:
        """WBS order, levels, predecessors with type and lag, resources with units."""
        frame = demo.to_dataframe()
        assert list(frame.index) == [a.id for _, a in demo.walk()]
        assert frame.loc["I1", "level"] == 1 and frame.loc["INIT", "summary"]
        p = Project(
            "P",
            start=datetime(2026, 1, 5, 8),
            resources=[Resource("R")],
            activities=[
                Activity("A", duration=Duration.from_days(1)),
                Activity("B", duration=Duration.from_days(2), assignments=[Assignment("R", 0.5)]),
            ],
            dependencies=[Dependency("A", "B", LinkType.FF, Duration.from_days(-1))],
        )
        f = p.to_dataframe()
        assert f.loc["B", "predecessors"] == "A FF-1d"
        assert f.loc["B", "resources"] == "R x0.5"
        assert f.loc["B", "duration_text"] == "2d"

    def test_results_of_services_and_processes(self) -> None:
        """Impact, flow analysis and maturity results have frames too."""
        cat = demo_catalogue()
        node = cat.configuration_items[0].id
        result = impact(cat, [node])
        frame = result.to_dataframe()
        assert set(frame.index) == set(result.down) | set(result.degraded)
        flow = analyse_flow(load_catalogue("itil2011")).to_dataframe()
        assert flow.index[0] == "CSI1" and flow["betweenness"].iloc[0] > 0

    @settings(max_examples=25)
    @given(projects(dated=None, with_extras=False))
    def test_frames_have_one_row_per_activity(self, project: Project) -> None:
        """For any project: one row per activity in both frames, ids as the index."""
        assert len(project.to_dataframe()) == len(project.activities)
        assert sorted(schedule(project).to_dataframe().index) == sorted(
            a.id for a in project.activities
        )


class TestHtml:
    """_repr_html_ for notebooks."""

    def test_project_and_schedule_html(self, demo: Project) -> None:
        """Escaped, with a header line and one row per activity."""
        html = demo._repr_html_()
        assert html.count("<tr>") == len(demo.activities) + 1
        s = schedule(demo)
        shtml = s._repr_html_()
        assert "critical path " + " → ".join(s.critical_paths[0]) in shtml
        assert "&lt;b&gt;" in Project("P", activities=[Activity("A", "<b>")])._repr_html_()

    def test_long_tables_are_cut(self) -> None:
        """Big projects show the first rows and say how many were left out."""
        p = Project("P", activities=[Activity(f"A{i}", duration=Duration(1)) for i in range(100)])
        assert "40 more rows" in p._repr_html_()
        assert "40 more rows" in schedule(p)._repr_html_()


class TestCharts:
    """Charts render to PNG with content (the images were also looked at by eye)."""

    def test_gantt(self, demo: Project) -> None:
        """Critical (orange) and normal (blue) bars, float, milestones, status date."""
        ax = gantt(demo, links=True)
        labels = [t.get_text() for t in ax.get_yticklabels()]
        assert len(labels) == len(demo.activities)
        assert [line.get_xdata()[0] for line in ax.lines] == [datetime(2026, 2, 16, 8)]
        assert non_trivial(png(ax.figure), colour=ORANGE)

    def test_gantt_of_undated_schedule(self) -> None:
        """Undated schedules use plain time units on the axis."""
        p = Project(
            "U",
            activities=[Activity("A", duration=Duration(3)), Activity("B", duration=Duration(2))],
            dependencies=[Dependency("A", "B")],
        )
        ax = gantt(schedule(p), status_date=2)
        assert ax.get_xlabel() == "time units"
        assert non_trivial(png(ax.figure), colour=ORANGE)

    def test_network_diagram(self, small_project: Project) -> None:
        """One box per leaf activity and one arrow per link; critical boxes orange."""
        ax = network_diagram(small_project)
        assert len(ax.patches) == len(small_project.activities) + len(small_project.dependencies)
        assert non_trivial(png(ax.figure), colour=ORANGE)

    def test_layered_layout(self) -> None:
        """Columns are depths; rows are unique within a column; cycles do not break it."""
        nodes = list("ABCDE")
        edges = [("A", "B"), ("A", "C"), ("B", "D"), ("C", "D"), ("D", "E")]
        place = layered_layout(nodes, edges)
        assert [place[n][0] for n in nodes] == [0, 1, 1, 2, 3]
        cyclic = layered_layout(nodes, [*edges, ("E", "B")])
        assert len(set(cyclic.values())) == len(nodes)

    @settings(max_examples=30)
    @given(projects(dated=False, with_summaries=False, with_extras=False))
    def test_layout_respects_links(self, project: Project) -> None:
        """In an acyclic network every link points to a later column."""
        edges = [(d.predecessor, d.successor) for d in project.dependencies]
        place = layered_layout([a.id for a in project.activities], edges)
        assert all(place[u][0] < place[v][0] for u, v in edges)
        assert nx.is_directed_acyclic_graph(nx.DiGraph(edges)) or not edges

    def test_flow_diagram(self) -> None:
        """ITIL 2011: one box per process in the flow, arrows for hand-offs."""
        cat = load_catalogue("itil2011")
        ax = flow_diagram(cat)
        boxes = [p for p in ax.patches if type(p).__name__ == "FancyBboxPatch"]
        assert len(boxes) == analyse_flow(cat).processes
        arrows = [p for p in ax.patches if type(p).__name__ == "FancyArrowPatch"]
        assert len(arrows) == len({(u, v) for u, v in flow_graph(cat).edges() if u != v})
        assert non_trivial(png(ax.figure))

    def test_resource_usage_by_hand(self) -> None:
        """Daily loads count working days only, summed over activities, against capacity."""
        p = Project(
            "P",
            start=datetime(2026, 1, 8, 8),  # Thursday
            resources=[Resource("R", capacity=1.0)],
            activities=[
                Activity("A", duration=Duration.from_days(3), assignments=[Assignment("R")]),
                Activity("B", duration=Duration.from_days(1), assignments=[Assignment("R", 0.5)]),
            ],
        )
        usage = resource_usage(p)[0]
        loads = dict(zip(usage.periods, usage.load, strict=True))
        d = datetime(2026, 1, 8).date()
        assert loads[d] == 1.5  # A and B on Thursday
        assert loads[d.replace(day=10)] == 0.0  # Saturday
        assert loads[d.replace(day=12)] == 1.0  # A ends on Monday
        assert usage.over_allocated == (d,)
        assert usage.to_dataframe().loc[d, "over"]

    def test_resource_usage_by_week_and_month(self, demo: Project) -> None:
        """A week's (month's) load is the largest of its days' peaks, labelled by its
        Monday (first day); periods that do not suit the project are refused."""
        days = {u.resource: u for u in resource_usage(demo)}
        for period, label in (
            ("week", lambda d: d - timedelta(days=d.weekday())),
            ("month", lambda d: d.replace(day=1)),
        ):
            for u in resource_usage(demo, period=period):
                expected: dict[date, float] = {}
                for d, x in zip(days[u.resource].periods, days[u.resource].load, strict=True):
                    expected[label(d)] = max(expected.get(label(d), 0.0), x)
                assert dict(zip(u.periods, u.load, strict=True)) == expected
        with pytest.raises(ValidationError, match="period must be"):
            resource_usage(demo, period=7)
        undated = Project("U", activities=[Activity("A", duration=Duration(3))])
        with pytest.raises(ValidationError, match="period must be"):
            resource_usage(undated, period="week")
        fig = resource_histogram(demo, period="week")
        assert non_trivial(png(fig), colour=ORANGE)

    def test_resource_histogram(self, demo: Project) -> None:
        """One panel per resource in use, over-allocations in orange."""
        fig = resource_histogram(demo)
        used = [u for u in resource_usage(demo) if u.peak > 0]
        assert len(fig.axes) == len(used)
        assert non_trivial(png(fig), colour=ORANGE)
        with pytest.raises(ValidationError, match=r"resources: unknown resource\(s\) \['nobody'\]"):
            resource_histogram(demo, resources=["nobody"])

    def test_resource_usage_is_peak_units(self) -> None:
        """Two activities one after the other on the same day load the resource once; a
        levelled schedule shows no over-allocated day, and the days over capacity are
        those over_allocations() reports to the minute."""
        half_day = Duration.from_hours(4)
        p = Project(
            "P",
            start=datetime(2026, 1, 8, 8),  # Thursday
            resources=[Resource("R", capacity=1.0)],
            activities=[
                Activity("A", duration=half_day, assignments=[Assignment("R")]),
                Activity("B", duration=half_day, assignments=[Assignment("R")]),
                Activity("C", duration=half_day, assignments=[Assignment("R", 0.5)]),
            ],
            dependencies=[Dependency("A", "C")],
        )
        d = datetime(2026, 1, 8).date()
        before = resource_usage(p)[0]
        cpm = dict(zip(before.periods, before.load, strict=True))
        assert cpm[d] == 2.0  # A and B together in the morning; C (0.5) after lunch
        assert [o.start.date() for o in over_allocations(p)] == [d]
        levelled = level(p)
        usage = resource_usage(p, levelled.schedule)[0]
        loads = dict(zip(usage.periods, usage.load, strict=True))
        assert usage.over_allocated == ()
        assert loads[d] == 1.0  # A, then B or C: one at a time, on the same day
        assert over_allocations(p, levelled) == ()


class TestTextDiagrams:
    """Mermaid and DOT text: complete, deterministic, escaped."""

    def test_schedule_mermaid_lists_every_leaf(self, demo: Project) -> None:
        """One task line per leaf, a section per top-level summary, critical marked."""
        out = text.schedule_to_mermaid(demo)
        s = schedule(demo)
        leaves = [a for a in s if not a.summary]
        tasks = [line for line in out.splitlines() if ", t" in line or ":t" in line]
        assert len(tasks) == len(leaves)
        assert out.count("section ") == 5
        assert out.count(":crit") == sum(a.critical for a in leaves)
        assert out == text.schedule_to_mermaid(demo)

    def test_schedule_dot_is_a_graph_of_the_links(self, small_project: Project) -> None:
        """Nodes and edges of the DOT text equal the schedule's activities and links."""
        out = text.schedule_to_dot(small_project)
        assert out.count("->") == len(small_project.dependencies)
        assert out.count("shape=record") == 1 and out.count("[label=") >= 5

    def test_dependencies_escape_quotes(self) -> None:
        """Quotes and newlines in names cannot break the text."""
        p = Project("P", activities=[Activity("A", 'say "x"\nnow'), Activity("B")])
        assert "#quot;x#quot; now" in text.dependencies_to_mermaid(p)
        assert 'say \\"x\\" now' in text.dependencies_to_dot(p)
        with pytest.raises(ValueError, match="direction"):
            text.dependencies_to_mermaid(p, direction="up")

    def test_dependencies_with_schedule_mark_critical(self, demo: Project) -> None:
        """Critical activities (not summaries, which are subgraphs) get the critical class."""
        s = schedule(demo)
        out = text.dependencies_to_mermaid(demo, schedule=s)
        assert out.count(":::critical") == sum(a.critical and not a.summary for a in s)
        assert out.count("-->") == len(demo.dependencies)

    def test_services(self) -> None:
        """Every node and dependency of the demo catalogue; impact colours."""
        cat = demo_catalogue()
        graph = cat.to_networkx()
        out = text.services_to_mermaid(cat, impact=impact(cat, [cat.configuration_items[0].id]))
        assert out.count("-->") == graph.number_of_edges()
        assert "classDef down" in out
        dot = text.services_to_dot(cat)
        assert dot.count("->") == graph.number_of_edges()

    def test_flow_renderings_have_one_implementation(self) -> None:
        """processes.render re-exports the viz implementation."""
        from pmsm_core.processes import render

        assert render.flow_to_mermaid is text.flow_to_mermaid
        assert render.flow_to_dot is text.flow_to_dot
