"""Process-flow graphs and their analysis: hand-made flows with known answers, properties."""

from __future__ import annotations

import itertools
from datetime import datetime

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.strategies_processes import catalogues

from pmsm_core import (
    Catalogue,
    Duration,
    Interface,
    LifecycleStage,
    Process,
    Provenance,
    ValidationError,
    WorkCalendar,
)
from pmsm_core.io.json import structure, unstructure
from pmsm_core.model.process import artefact_key
from pmsm_core.processes.catalog import load_catalogue
from pmsm_core.processes.flow import (
    FlowAnalysis,
    ProcessLoad,
    WhatIf,
    analyse_flow,
    betweenness,
    flow_graph,
    flow_paths,
    what_if,
)
from pmsm_core.processes.render import flow_to_dot, flow_to_mermaid

h = Duration.from_hours


def chain() -> Catalogue:
    """A -> B -> C by matching names; A needs 'brief' that nobody makes; C's report is unused."""
    return Catalogue(
        "chain",
        processes=[
            Process("A", "Plan", inputs=["brief"], outputs=["plan"], cycle_time=h(2)),
            Process("B", "Build", inputs=["Plan"], outputs=["product"], cycle_time=h(3)),
            Process("C", "Check", inputs=["product"], outputs=["report"], cycle_time=h(1)),
        ],
    )


def star() -> Catalogue:
    """Three sources feed hub H, which feeds three sinks: H is the bottleneck."""
    procs = [Process(f"S{i}", f"Source {i}", outputs=[f"in{i}"]) for i in range(3)]
    procs.append(
        Process("H", "Hub", inputs=[f"in{i}" for i in range(3)], outputs=["out"], cycle_time=h(1))
    )
    procs += [Process(f"T{i}", f"Sink {i}", inputs=["out"]) for i in range(3)]
    return Catalogue("star", processes=procs)


def loop() -> Catalogue:
    """A feeds a loop B -> C -> D -> B, which feeds E."""
    return Catalogue(
        "loop",
        processes=[
            Process("A", "a", outputs=["x"], cycle_time=h(1)),
            Process("B", "b", inputs=["x", "back"], outputs=["y"], cycle_time=h(2)),
            Process("C", "c", inputs=["y"], outputs=["z"], cycle_time=h(3)),
            Process("D", "d", inputs=["z"], outputs=["back", "done"], cycle_time=h(4)),
            Process("E", "e", inputs=["done"], cycle_time=h(5)),
        ],
    )


class TestGraph:
    def test_matching_is_case_and_space_blind(self) -> None:
        """'plan' feeds 'Plan'; edges carry artefact, provenance and interface."""
        G = flow_graph(chain())
        assert isinstance(G, nx.MultiDiGraph)
        assert list(G.edges(keys=True)) == [("A", "B", "plan"), ("B", "C", "product")]
        assert G.edges["A", "B", "plan"] == {
            "artefact": "plan",
            "provenance": "matched",
            "interface": None,
            "explicit": False,
        }
        assert G.nodes["A"]["cycle_time"] == 120 and G.nodes["A"]["process"].name == "Plan"

    def test_interface_not_doubled_by_matching(self) -> None:
        """An explicit interface that repeats a match is one edge, with the interface's data."""
        cat = Catalogue(
            "c",
            processes=[Process("A", "a", outputs=["x"]), Process("B", "b", inputs=["x"])],
            interfaces=[Interface("A", "B", "X", id="I1", provenance=Provenance.PARAPHRASE)],
        )
        G = flow_graph(cat)
        assert G.number_of_edges() == 1
        assert G.edges["A", "B", "X"]["interface"] == "I1"

    def test_several_artefacts_between_one_pair(self) -> None:
        """A multigraph: two artefacts between the same pair are two edges."""
        cat = Catalogue(
            "c",
            processes=[Process("A", "a", outputs=["x", "y"]), Process("B", "b", inputs=["x", "y"])],
        )
        assert flow_graph(cat).number_of_edges("A", "B") == 2

    def test_exclusions(self) -> None:
        """Processes, interface ids and (source, target, artefact) triples can be left out."""
        G = flow_graph(chain(), exclude_handoffs=[("A", "B", "PLAN")])
        assert list(G.edges()) == [("B", "C")]
        G = flow_graph(chain(), exclude_processes=["B"])
        assert list(G.nodes) == ["A", "C"] and G.number_of_edges() == 0

    def test_bad_exclusions(self) -> None:
        """Unknown ids and hand-offs that do not exist are errors, not silently ignored."""
        with pytest.raises(ValidationError) as exc:
            flow_graph(chain(), exclude_processes=["Z"], exclude_handoffs=["I9", 42])
        assert [p.path for p in exc.value.problems] == [
            "exclude_processes[0]",
            "exclude_handoffs[0]",
            "exclude_handoffs[1]",
        ]
        with pytest.raises(ValidationError, match="no hand-off of 'plan' from 'A' to 'C'"):
            flow_graph(chain(), exclude_handoffs=[("A", "C", "plan")])
        with pytest.raises(ValidationError, match="as a list"):
            flow_graph(chain(), exclude_processes="A")


class TestAnalysis:
    def test_orphan_input_and_unused_output(self) -> None:
        """'brief' is produced by nobody and 'report' consumed by nobody."""
        fa = analyse_flow(chain())
        assert [str(r) for r in fa.unproduced_inputs] == ["A: 'brief'"]
        assert [str(r) for r in fa.unconsumed_outputs] == ["C: 'report'"]
        assert fa.sources == ("A",) and fa.sinks == ("C",) and fa.is_acyclic

    def test_external_artefacts_are_not_gaps(self) -> None:
        """Listing them as external inputs and outputs removes them from the gaps."""
        cat = chain()
        cat = Catalogue(
            "c", processes=cat.processes, external_inputs=["Brief"], external_outputs=["report"]
        )
        fa = analyse_flow(cat)
        assert fa.unproduced_inputs == () and fa.unconsumed_outputs == ()

    def test_interface_satisfies_an_input(self) -> None:
        """An explicit interface into a process counts as producing its input."""
        cat = Catalogue(
            "c",
            processes=[Process("A", "a"), Process("B", "b", inputs=["x"])],
            interfaces=[Interface("A", "B", "x")],
        )
        assert analyse_flow(cat).unproduced_inputs == ()

    def test_loop(self) -> None:
        """B -> C -> D -> B is one loop; its example cycle follows the hand-offs."""
        fa = analyse_flow(loop())
        assert len(fa.loops) == 1
        assert fa.loops[0].processes == ("B", "C", "D")
        assert fa.loops[0].describe() == "B -> C -> D -> B"
        assert fa.cycles == (("B", "C", "D"),)

    def test_critical_path_condenses_the_loop(self) -> None:
        """A (1h), the loop B+C+D (2+3+4h), E (5h): 15 hours."""
        fa = analyse_flow(loop())
        assert fa.critical_path == (("A",), ("B", "C", "D"), ("E",))
        assert fa.critical_path_time == h(15)
        assert fa.critical_path_processes == ("A", "B", "C", "D", "E")

    def test_critical_path_takes_the_longest_branch(self) -> None:
        """Two branches from A to D: the one through C (5h) beats B (3h): 2 + 5 + 1 = 8h."""
        cat = Catalogue(
            "c",
            processes=[
                Process("A", "a", outputs=["x"], cycle_time=h(2)),
                Process("B", "b", inputs=["x"], outputs=["y"], cycle_time=h(3)),
                Process("C", "c", inputs=["x"], outputs=["y"], cycle_time=h(5)),
                Process("D", "d", inputs=["y"], cycle_time=h(1)),
            ],
        )
        fa = analyse_flow(cat)
        assert fa.critical_path_processes == ("A", "C", "D")
        assert fa.critical_path_time.minutes == 480
        assert fa.missing_cycle_times == ()

    def test_without_cycle_times_the_longest_chain(self) -> None:
        """With no cycle times the critical path is the chain through most processes."""
        cat = Catalogue(
            "c",
            processes=[
                Process("A", "a", outputs=["x"]),
                Process("B", "b", inputs=["x"], outputs=["y"]),
                Process("C", "c", inputs=["y"], outputs=["z"]),
                Process("D", "d", inputs=["x", "z"]),
            ],
        )
        fa = analyse_flow(cat)
        assert fa.critical_path_processes == ("A", "B", "C", "D")
        assert fa.critical_path_time == Duration(0)
        assert fa.missing_cycle_times == ("A", "B", "C", "D")
        assert any("longest chain" in w for w in fa.warnings)

    def test_elapsed_cycle_times(self) -> None:
        """Elapsed cycle times give an elapsed critical path and a round-the-clock finish."""
        cat = Catalogue(
            "c",
            processes=[
                Process("A", "a", outputs=["x"], cycle_time=Duration.from_days(1, elapsed=True)),
                Process("B", "b", inputs=["x"], cycle_time=Duration.from_hours(6, elapsed=True)),
            ],
        )
        fa = analyse_flow(cat)
        assert fa.critical_path_time == Duration(1800, elapsed=True)
        assert fa.finish(datetime(2026, 1, 3, 8)) == datetime(2026, 1, 4, 14)

    def test_finish_on_a_calendar(self) -> None:
        """Working cycle times run on the given calendar (here 24 hours a day)."""
        fa = analyse_flow(loop())
        start = datetime(2026, 1, 3, 8)
        assert fa.finish(start, WorkCalendar.twenty_four_hours()) == datetime(2026, 1, 3, 23)

    def test_bottleneck(self) -> None:
        """The hub carries every route from a source to a sink: betweenness 9 / (6 x 5)."""
        fa = analyse_flow(star())
        top = fa.bottlenecks[0]
        assert top.process == "H"
        assert top.betweenness == pytest.approx(9 / 30)
        assert (top.fan_in, top.fan_out) == (3, 3)
        assert [b.process for b in fa.bottlenecks[1:]] == ["S0", "S1", "S2", "T0", "T1", "T2"]
        assert len(analyse_flow(star(), top=2).bottlenecks) == 2

    def test_cross_stage_hand_offs(self) -> None:
        """Hand-offs between stages are listed and counted; inside one stage they are not."""
        design, transition = LifecycleStage.SERVICE_DESIGN, LifecycleStage.SERVICE_TRANSITION
        cat = Catalogue(
            "c",
            processes=[
                Process("A", "a", stage=design, outputs=["x"]),
                Process("B", "b", stage=design, inputs=["x"], outputs=["y"]),
                Process("C", "c", stage=transition, inputs=["y"]),
                Process("D", "d", inputs=["y"]),
            ],
        )
        fa = analyse_flow(cat)
        assert [(x.source, x.target, x.from_area, x.to_area) for x in fa.cross_handoffs] == [
            ("B", "C", "Service Design", "Service Transition")
        ]
        assert fa.cross_handoff_counts() == {("Service Design", "Service Transition"): 1}

    def test_isolated_and_empty(self) -> None:
        """Processes without hand-offs are isolated; an empty catalogue analyses to nothing."""
        fa = analyse_flow(Catalogue("c", processes=[Process("A", "a")]))
        assert fa.isolated == ("A",) and fa.critical_path == (("A",),)
        empty = analyse_flow(Catalogue("e"))
        assert empty.processes == 0 and empty.critical_path == () and empty.bottlenecks == ()

    def test_littles_law(self) -> None:
        """L = λW: 3 items/h x 2 h = 6 in progress; capacity 8 -> 75 % used."""
        cat = Catalogue(
            "c",
            processes=[
                Process("A", "a", cycle_time=h(2), arrival_rate=3.0, capacity=8),
                Process("B", "b", cycle_time=Duration(30), arrival_rate=10.0, capacity=4),
                Process("C", "c", arrival_rate=1.0),
            ],
        )
        fa = analyse_flow(cat)
        a, b = fa.loads
        assert (a.wip, a.utilisation, a.max_throughput, a.throughput, a.overloaded) == (
            6.0,
            0.75,
            4.0,
            3.0,
            False,
        )
        # 10/h for half an hour = 5 in progress, but only 4 fit: 8/h at most, overloaded.
        assert (b.wip, b.max_throughput, b.throughput, b.overloaded) == (5.0, 8.0, 8.0, True)
        assert fa.total_wip == 11.0
        assert any("C: an arrival rate but no cycle time" in w for w in fa.warnings)

    def test_arrival_rate_overrides(self) -> None:
        """arrival_rates overrides the processes' own; bad keys and values are errors."""
        fa = analyse_flow(chain(), arrival_rates={"B": 2})
        assert [(x.process, x.wip) for x in fa.loads] == [("B", 6.0)]
        with pytest.raises(ValidationError) as exc:
            analyse_flow(chain(), arrival_rates={"Z": 1.0, "A": -1.0, "B": float("nan")})
        assert [p.path for p in exc.value.problems] == [
            "arrival_rates['Z']",
            "arrival_rates['A']",
            "arrival_rates['B']",
        ]
        with pytest.raises(ValidationError, match="top must be"):
            analyse_flow(chain(), top=-1)

    def test_process_load_without_capacity(self) -> None:
        """Without a capacity, throughput is the arrival rate and nothing is overloaded."""
        load = ProcessLoad.compute("A", 2.0, h(3))
        assert (load.wip, load.throughput, load.utilisation, load.overloaded) == (
            6.0,
            2.0,
            None,
            False,
        )

    def test_result_round_trip(self) -> None:
        """FlowAnalysis and WhatIf are values: they survive the converter."""
        fa = analyse_flow(load_catalogue("itil2011"), arrival_rates={"SO2": 1.5})
        assert structure(unstructure(fa), FlowAnalysis) == fa
        w = what_if(load_catalogue("itil2011"), remove_processes=["ST2"])
        assert structure(unstructure(w), WhatIf) == w

    def test_many_short_cycles_are_capped(self) -> None:
        """At most max_cycles short cycles are listed, with a warning."""
        fa = analyse_flow(load_catalogue("pmbok6"), max_cycles=5)
        assert len(fa.cycles) == 5 and any("more than 5 cycles" in w for w in fa.warnings)


class TestPathsAndWhatIf:
    def test_paths(self) -> None:
        """Routes between two processes, shortest first; none when unreachable."""
        assert flow_paths(loop(), "A", "E") == (("A", "B", "C", "D", "E"),)
        assert flow_paths(loop(), "E", "A") == ()
        assert flow_paths(loop(), "C", "C") == (("C",),)
        assert flow_paths(flow_graph(loop()), "C", "B") == (("C", "D", "B"),)
        with pytest.raises(ValidationError) as exc:
            flow_paths(loop(), "A", "Q", limit=0)
        assert [p.path for p in exc.value.problems] == ["target"]
        with pytest.raises(ValidationError, match="limit"):
            flow_paths(loop(), "A", "E", limit=0)

    def test_remove_the_hub(self) -> None:
        """Without H, the sinks lose their input, the sources their consumer, 9 routes go."""
        w = what_if(star(), remove_processes=["H"])
        assert [str(r) for r in w.new_unproduced_inputs] == ["T0: 'out'", "T1: 'out'", "T2: 'out'"]
        assert [r.process for r in w.new_unconsumed_outputs] == ["S0", "S1", "S2"]
        assert len(w.removed_handoffs) == 6
        assert w.disconnected == ("S0", "S1", "S2", "T0", "T1", "T2")
        assert (w.reachable_pairs_before, w.reachable_pairs_after) == (9, 0)
        assert w.lost_reachability == 9 and w.breaks
        assert w.lost_pairs[0] == ("S0", "T0")

    def test_remove_a_redundant_hand_off(self) -> None:
        """Removing one of two parallel routes loses a hand-off but no reachability."""
        cat = Catalogue(
            "c",
            processes=[
                Process("A", "a", outputs=["x"]),
                Process("B", "b", inputs=["x"], outputs=["y"]),
                Process("C", "c", inputs=["x", "y"]),
            ],
        )
        w = what_if(cat, remove_handoffs=[("A", "C", "x")])
        assert [str(r) for r in w.new_unproduced_inputs] == ["C: 'x'"]
        assert w.lost_reachability == 0 and w.reachable_pairs_before == 3

    def test_nothing_removed(self) -> None:
        """Removing nothing breaks nothing."""
        w = what_if(loop())
        assert not w.breaks and w.removed_handoffs == ()


def _descendants(G: nx.MultiDiGraph) -> dict[str, set[str]]:
    return {n: nx.descendants(G, n) for n in G.nodes}


class TestProperties:
    @given(catalogues(), st.data())
    def test_removing_a_hand_off_never_adds_reachability(
        self, cat: Catalogue, data: st.DataObject
    ) -> None:
        """After removing hand-offs, every process reaches a subset of what it reached."""
        G = flow_graph(cat)
        edges = [(u, v, d["artefact"]) for u, v, d in G.edges(data=True)]
        gone = data.draw(st.lists(st.sampled_from(edges), unique=True) if edges else st.just([]))
        after = flow_graph(cat, exclude_handoffs=gone)
        before_reach, after_reach = _descendants(G), _descendants(after)
        assert all(after_reach[n] <= before_reach[n] for n in G.nodes)
        w = what_if(cat, remove_handoffs=gone)
        lost = sum(len(before_reach[n] - after_reach[n]) for n in G.nodes)
        assert w.lost_reachability == lost >= 0
        assert len(w.removed_handoffs) == len(gone)

    @given(catalogues(), st.data())
    def test_removing_processes_matches_brute_force(
        self, cat: Catalogue, data: st.DataObject
    ) -> None:
        """what_if's reachability counts equal networkx descendants before and after."""
        ids = [p.id for p in cat.processes]
        gone = data.draw(st.lists(st.sampled_from(ids), unique=True) if ids else st.just([]))
        w = what_if(cat, remove_processes=gone)
        G, after = flow_graph(cat), flow_graph(cat, exclude_processes=gone)
        kept = set(after.nodes)
        before_pairs = sum(len(nx.descendants(G, n) & kept) for n in kept)
        after_pairs = sum(len(nx.descendants(after, n)) for n in kept)
        assert (w.reachable_pairs_before, w.reachable_pairs_after) == (before_pairs, after_pairs)

    @given(catalogues(min_processes=1))
    def test_critical_path_at_least_every_cycle_time(self, cat: Catalogue) -> None:
        """The flow critical path is at least as long as any single process's cycle time."""
        fa = analyse_flow(cat)
        times = [p.cycle_time.minutes for p in cat.processes if p.cycle_time is not None]
        assert fa.critical_path_time.minutes >= max(times, default=0)
        assert fa.critical_path_time.minutes <= sum(times)

    @given(catalogues(min_processes=1))
    def test_critical_path_is_a_route(self, cat: Catalogue) -> None:
        """Consecutive steps of the critical path are joined by a hand-off; loops are SCCs."""
        fa = analyse_flow(cat)
        G = flow_graph(cat)
        for step in fa.critical_path:
            assert len(step) == 1 or nx.is_strongly_connected(G.subgraph(step))
        for a, b in itertools.pairwise(fa.critical_path):
            assert any(G.has_edge(u, v) for u in a for v in b)
        assert sorted(fa.critical_path_processes) == sorted(set(fa.critical_path_processes))

    @given(catalogues())
    def test_edges_are_interfaces_or_matches(self, cat: Catalogue) -> None:
        """Every edge is an interface or an output of its source matching an input of its target."""
        G = flow_graph(cat)
        explicit = {(i.source, i.target, artefact_key(i.artefact)) for i in cat.interfaces}
        for u, v, data in G.edges(data=True):
            key = (u, v, artefact_key(data["artefact"]))
            if not data["explicit"]:
                assert data["provenance"] == "matched"
                assert artefact_key(data["artefact"]) in map(artefact_key, cat.process(u).outputs)
                assert artefact_key(data["artefact"]) in map(artefact_key, cat.process(v).inputs)
                assert key not in explicit
            else:
                assert key in explicit

    @given(catalogues())
    def test_gaps_match_their_definition(self, cat: Catalogue) -> None:
        """An input is a gap exactly when no hand-off brings it and it is not external."""
        G = flow_graph(cat)
        external = {artefact_key(a) for a in cat.external_inputs}
        expected = [
            (p.id, a)
            for p in cat.processes
            for a in p.inputs
            if artefact_key(a) not in external
            and not any(
                artefact_key(d["artefact"]) == artefact_key(a)
                for _, _, d in G.in_edges(p.id, data=True)
            )
        ]
        got = [(r.process, r.artefact) for r in analyse_flow(cat).unproduced_inputs]
        assert got == expected


class TestBetweenness:
    @given(st.integers(0, 12), st.floats(0, 0.6), st.integers(0, 10**6))
    def test_equals_networkx(self, n: int, p: float, seed: int) -> None:
        """Exact betweenness equals networkx's on random directed graphs."""
        G = nx.gnp_random_graph(n, p, seed=seed, directed=True)
        ours, theirs = betweenness(G), nx.betweenness_centrality(G)
        assert ours == pytest.approx(theirs, abs=1e-12)

    @given(st.integers(4, 12), st.integers(0, 10**6), st.data())
    def test_sampled_equals_networkx(self, n: int, seed: int, data: st.DataObject) -> None:
        """Sampled betweenness uses the same sources and scaling as networkx (seed 0)."""
        G = nx.gnp_random_graph(n, 0.3, seed=seed, directed=True)
        k = data.draw(st.integers(2, n - 1))
        ours = betweenness(G, k)
        assert ours == pytest.approx(nx.betweenness_centrality(G, k=k, seed=0), abs=1e-12)

    def test_path_by_hand(self) -> None:
        """On a -> b -> c, b carries 1 of the 2 x 1 ordered pairs of other nodes."""
        assert betweenness(nx.DiGraph([("a", "b"), ("b", "c")])) == {"a": 0.0, "b": 0.5, "c": 0.0}


class TestRendering:
    def test_mermaid_groups_by_stage(self) -> None:
        """Mermaid output has one subgraph per stage and labelled edges."""
        text = flow_to_mermaid(load_catalogue("itil2011"))
        assert text.startswith("flowchart LR")
        assert text.count("subgraph") == 5
        assert 'n20 -->|"exception event"| n21' in text
        with pytest.raises(ValueError, match="direction"):
            flow_to_mermaid(load_catalogue("itil2011"), direction="XY")

    def test_dot_escapes_quotes(self) -> None:
        """DOT output quotes ids and escapes quotes in names."""
        cat = Catalogue(
            "c",
            processes=[Process("A", 'say "hi"', outputs=["x"]), Process("B", "b", inputs=["x"])],
        )
        text = flow_to_dot(cat)
        assert '"A" [label="A\\nsay \\"hi\\""];' in text
        assert '"A" -> "B" [label="x"];' in text
        assert flow_to_dot(load_catalogue("pmbok6")).count("subgraph cluster_") == 5
