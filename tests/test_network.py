"""The lean CPM core: Network builders, passes, floats, cycles, against a reference."""

from __future__ import annotations

from datetime import datetime

import networkx as nx
import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from tests.reference_cpm import reference_cpm
from tests.strategies import projects

from pmsm_core import (
    Activity,
    CycleError,
    Duration,
    Project,
    SchedulingError,
    ValidationError,
    WorkCalendar,
    schedule,
)
from pmsm_core.calendars import to_minute_index
from pmsm_core.scheduling import ConstraintCode, Network

LINKS = ["FS", "SS", "FF", "SF"]
KINDS = ["ASAP", "ALAP", "MSO", "MFO", "SNET", "SNLT", "FNET", "FNLT"]


@st.composite
def networks(draw, *, max_n: int = 14, constraints: bool = True, shape: str = "any", links=LINKS):
    """Random DAGs (links from lower to higher index, shuffled), all link types and lags."""
    n = draw(st.integers(1, max_n))
    durations = draw(st.lists(st.integers(0, 12), min_size=n, max_size=n))
    pairs = set()
    if shape == "chain":
        pairs = {(i, i + 1) for i in range(n - 1)}
    else:
        for _ in range(draw(st.integers(0, 3 * n))):
            a, b = draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1))
            if a != b:
                pairs.add((min(a, b), max(a, b)))
    links = [
        (a, b, draw(st.sampled_from(links)), draw(st.integers(-6, 8))) for a, b in sorted(pairs)
    ]
    perm = draw(st.permutations(range(n)))
    links = [(perm[a], perm[b], t, lag) for a, b, t, lag in links]
    durations = [durations[perm.index(i)] for i in range(n)]
    cons: dict[int, tuple[str, int]] = {}
    deadlines: dict[int, int] = {}
    if constraints:
        for i in range(n):
            if draw(st.integers(0, 3)) == 0:
                cons[i] = (draw(st.sampled_from(KINDS)), draw(st.integers(0, 40)))
            if draw(st.integers(0, 5)) == 0:
                deadlines[i] = draw(st.integers(0, 60))
    return durations, links, cons, deadlines


def build(durations, links, cons=None, deadlines=None) -> Network:
    net = Network.from_edges(
        durations,
        [(p, s) for p, s, _, _ in links],
        link_types=[t for _, _, t, _ in links],
        lags=[lag for _, _, _, lag in links],
    )
    if cons or deadlines:
        n = len(durations)
        types = [ConstraintCode[cons[i][0]] if i in (cons or {}) else 0 for i in range(n)]
        times = [cons[i][1] if i in (cons or {}) else 0 for i in range(n)]
        dl = [deadlines.get(i, -(2**61)) if deadlines else -(2**61) for i in range(n)]
        from pmsm_core.scheduling.network import NONE

        dl = [NONE if v == -(2**61) else v for v in dl]
        net = net.with_constraints(types, times, deadlines=dl)
    return net


class TestBuilders:
    def test_from_edges_accepts_arrays_and_sequences(self) -> None:
        """numpy arrays and plain sequences give the same network."""
        a = Network.from_edges([1, 2, 3], [(0, 1), (1, 2)])
        b = Network.from_edges(np.array([1, 2, 3]), np.array([[0, 1], [1, 2]]))
        assert a.cpm().early_start.tolist() == b.cpm().early_start.tolist() == [0, 1, 3]

    def test_link_type_forms(self) -> None:
        """Link types as strings, enums or codes."""
        from pmsm_core import LinkType

        for types in (["SS"], [LinkType.SS], [1], np.array([1])):
            net = Network.from_edges([4, 1], [(0, 1)], link_types=types, lags=[2])
            assert net.cpm().early_start.tolist() == [0, 2]

    def test_from_networkx(self) -> None:
        """Attribute names are configurable; ids keep the node names."""
        G = nx.DiGraph()
        G.add_node("x", d=3)
        G.add_node("y", d=1)
        G.add_edge("x", "y", kind="FF", gap=1)
        net = Network.from_networkx(G, duration="d", link_type="kind", lag="gap")
        assert net.ids == ["x", "y"]
        assert net.cpm().early_finish.tolist() == [3, 4]

    @pytest.mark.parametrize(
        ("durations", "edges", "kwargs", "message"),
        [
            ([1, -1], [], {}, "durations\\[1\\] must not be negative"),
            ([1, 1], [(0, 2)], {}, "not an activity index"),
            ([1, 1], [(0, 0)], {}, "to itself"),
            ([1, 1], [(0, 1)], {"link_types": ["XX"]}, "expected 'FS'"),
            ([1, 1], [(0, 1)], {"lags": [1, 2]}, "must have 1 entries"),
            ([1.5, 1], [], {}, "whole numbers"),
            ([10**13], [], {}, "within"),
            ([1, 1], [(0, 1, 2)], {}, "pairs"),
        ],
    )
    def test_bad_input(self, durations, edges, kwargs, message) -> None:
        """Bad arrays raise ValidationError naming the entry."""
        with pytest.raises(ValidationError, match=message):
            Network.from_edges(durations, edges, **kwargs)

    def test_cycle_lists_the_cycle(self) -> None:
        """A cycle raises CycleError with the activities of one cycle in order."""
        with pytest.raises(CycleError) as exc:
            Network.from_edges([1] * 5, [(0, 1), (1, 2), (2, 3), (3, 1), (3, 4)], ids=list("ABCDE"))
        cycle = exc.value.cycle
        assert sorted(cycle) == ["B", "C", "D"]
        assert "->" in str(exc.value)

    def test_empty_network(self) -> None:
        """No activities: finish equals start."""
        r = Network.from_edges([], []).cpm(start=5)
        assert r.finish == 5 and r.early_start.size == 0


class TestTextbook:
    def test_classic_example(self) -> None:
        """A textbook AON network: A(3) B(4) C(2) D(5) E(1); critical A-B-D-E, finish 13."""
        # A->B, A->C, B->D, C->D, D->E
        net = Network.from_edges([3, 4, 2, 5, 1], [(0, 1), (0, 2), (1, 3), (2, 3), (3, 4)])
        r = net.cpm()
        assert r.finish == 13
        assert r.early_start.tolist() == [0, 3, 3, 7, 12]
        assert r.late_start.tolist() == [0, 3, 5, 7, 12]
        assert r.total_float.tolist() == [0, 0, 2, 0, 0]
        assert r.free_float.tolist() == [0, 0, 2, 0, 0]
        assert r.critical().tolist() == [True, True, False, True, True]

    def test_every_link_type(self) -> None:
        """FS, SS, FF and SF with lags, computed by hand."""
        # A(5) -FS+2-> B(3); A -SS+1-> C(2); A -FF+1-> D(2); A -SF+4-> E(3)
        net = Network.from_edges(
            [5, 3, 2, 2, 3],
            [(0, 1), (0, 2), (0, 3), (0, 4)],
            link_types=["FS", "SS", "FF", "SF"],
            lags=[2, 1, 1, 4],
        )
        r = net.cpm()
        assert r.early_start.tolist() == [0, 7, 1, 4, 1]
        assert r.early_finish.tolist() == [5, 10, 3, 6, 4]
        assert r.finish == 10

    def test_multiple_critical_paths(self) -> None:
        """With the option, each chain's last activity keeps zero float."""
        net = Network.from_edges([5, 2, 1, 1], [(0, 1), (2, 3)])
        assert net.cpm().total_float.tolist() == [0, 0, 5, 5]
        assert net.cpm(multiple_critical_paths=True).total_float.tolist() == [0, 0, 0, 0]

    def test_deadline_makes_negative_float(self) -> None:
        """A deadline before the early finish shows as negative float upstream."""
        from pmsm_core.scheduling.network import NONE

        net = Network.from_edges([4, 4], [(0, 1)]).with_constraints(
            [0, 0], [0, 0], deadlines=[NONE, 6]
        )
        r = net.cpm()
        assert r.total_float.tolist() == [-2, -2]
        assert r.early_start.tolist() == [0, 4]

    def test_constraints(self) -> None:
        """SNET moves a start, MSO fixes it, FNLT (honoured) pulls it back against logic."""
        net = Network.from_edges([3, 2, 2], [(0, 1), (0, 2)])
        r = net.with_constraints([0, ConstraintCode.SNET, ConstraintCode.FNLT], [0, 6, 4]).cpm()
        assert r.early_start.tolist() == [0, 6, 2]
        assert r.constraint_override.tolist() == [False, False, True]
        off = net.with_constraints([0, 0, ConstraintCode.FNLT], [0, 0, 4]).cpm(
            honor_constraints=False
        )
        assert off.early_start.tolist() == [0, 3, 3]
        mso = net.with_constraints([0, ConstraintCode.MSO, 0], [0, 1, 0]).cpm()
        assert mso.early_start.tolist()[1] == 1 and mso.total_float.tolist()[1] == 0

    def test_alap(self) -> None:
        """An ALAP activity sits at its late dates and pulls its ASAP successor along."""
        # A(2) -> C(1); B(1, ALAP) -> C; A long chain D(6) sets the finish
        net = Network.from_edges([2, 1, 1, 6], [(0, 2), (1, 2)])
        r = net.with_constraints([0, ConstraintCode.ALAP, 0, 0], [0] * 4).cpm()
        assert r.start.tolist()[1] == 4 and r.total_float.tolist()[1] == 0
        assert r.early_start.tolist()[2] == 5


class TestAgainstReference:
    @given(networks())
    def test_matches_reference(self, data) -> None:
        """The vectorised core equals the slow reference, constraints and deadlines included."""
        durations, links, cons, deadlines = data
        r = build(durations, links, cons, deadlines).cpm()
        ref = reference_cpm(durations, links, constraints=cons, deadlines=deadlines)
        assert r.early_start.tolist() == ref["ES"]
        assert r.late_start.tolist() == ref["LS"]
        assert r.total_float.tolist() == ref["TF"]
        assert r.free_float.tolist() == ref["FF"]
        assert r.finish == ref["finish"]

    @given(networks(), st.booleans(), st.booleans(), st.integers(-5, 5))
    def test_options_match_reference(self, data, mcp, honor, start) -> None:
        """Multiple critical paths, honour flag and start offset follow the reference."""
        durations, links, cons, deadlines = data
        r = build(durations, links, cons, deadlines).cpm(
            start=start, multiple_critical_paths=mcp, honor_constraints=honor
        )
        ref = reference_cpm(
            durations,
            links,
            constraints=cons,
            deadlines=deadlines,
            start=start,
            multiple_critical_paths=mcp,
            honor=honor,
        )
        assert r.early_start.tolist() == ref["ES"]
        assert r.late_finish.tolist() == ref["LF"]
        assert r.free_float.tolist() == ref["FF"]

    @given(networks(max_n=400, constraints=False, shape="chain"))
    def test_long_chains(self, data) -> None:
        """Deep chains (the scalar path) agree with the reference too."""
        durations, links, _, _ = data
        r = build(durations, links).cpm()
        ref = reference_cpm(durations, links)
        assert r.early_start.tolist() == ref["ES"] and r.late_start.tolist() == ref["LS"]

    def test_wide_and_deep_mix(self) -> None:
        """A large random network exercises the numpy blocks; compare with the reference."""
        rng = np.random.default_rng(7)
        n = 3000
        links = [
            (int(i), j, LINKS[int(rng.integers(4))], int(rng.integers(-3, 6)))
            for j in range(1, n)
            for i in rng.choice(j, size=min(j, 3), replace=False)
        ]
        durations = rng.integers(0, 10, size=n).tolist()
        r = build(durations, links).cpm()
        ref = reference_cpm(durations, links)
        assert r.early_start.tolist() == ref["ES"]
        assert r.late_start.tolist() == ref["LS"]
        assert r.free_float.tolist() == ref["FF"]


class TestProperties:
    @given(networks(constraints=False))
    def test_invariants(self, data) -> None:
        """ES <= LS, EF <= LF, floats >= 0 without constraints; some path is critical."""
        durations, links, _, _ = data
        r = build(durations, links).cpm()
        assert (r.early_start <= r.late_start).all() and (r.early_finish <= r.late_finish).all()
        assert (r.total_float >= 0).all() and (r.free_float >= 0).all()
        assert (r.free_float <= r.total_float).all()
        assert r.critical().any()

    @given(networks(constraints=False, links=["FS", "SS"]), st.data())
    def test_longer_never_earlier_with_fs_ss(self, data, more) -> None:
        """With FS and SS links, lengthening an activity never makes the project finish
        earlier."""
        durations, links, _, _ = data
        base = build(durations, links).cpm().finish
        i = more.draw(st.integers(0, len(durations) - 1))
        longer = list(durations)
        longer[i] += more.draw(st.integers(1, 5))
        assert build(longer, links).cpm().finish >= base

    def test_duration_paradox_with_finish_links(self) -> None:
        """With FF (or SF) links a longer activity can finish the project earlier: its start
        is pulled back by its finish link, and an SS successor follows (the known CPM
        "duration paradox"; Microsoft Project behaves the same)."""
        links = [(1, 0, "FF", 0), (0, 2, "SS", 1)]
        assert build([0, 1, 0], links).cpm().finish == 2
        assert build([1, 1, 0], links).cpm().finish == 1

    @given(networks(constraints=False), st.data())
    def test_adding_a_link_never_finishes_earlier(self, data, more) -> None:
        """Adding a link of any type never makes the project finish earlier."""
        durations, links, _, _ = data
        base = build(durations, links).cpm().finish
        n = len(durations)
        if n >= 2:
            a, b = sorted(
                more.draw(st.lists(st.integers(0, n - 1), min_size=2, max_size=2, unique=True))
            )
            order = build(durations, links).topological_order.tolist()
            if order.index(a) > order.index(b):
                a, b = b, a
            extra = [*links, (a, b, "FS", 0)]
            assert build(durations, extra).cpm().finish >= base

    @given(networks(), st.randoms())
    def test_input_order_does_not_matter(self, data, rnd) -> None:
        """Shuffling the links changes nothing."""
        durations, links, cons, deadlines = data
        shuffled = list(links)
        rnd.shuffle(shuffled)
        a = build(durations, links, cons, deadlines).cpm()
        b = build(durations, shuffled, cons, deadlines).cpm()
        assert a.early_start.tolist() == b.early_start.tolist()
        assert a.total_float.tolist() == b.total_float.tolist()


class TestGrouping:
    @given(
        st.sampled_from([1, 7, 1 << 16, (1 << 16) + 1, 1 << 20, (1 << 31) - 1]),
        st.lists(st.integers(0, 2**31), max_size=300),
    )
    def test_two_pass_radix_sort_is_numpy_stable_argsort(self, n: int, raw: list[int]) -> None:
        """Grouping links by activity: the two 16-bit radix passes give exactly numpy's
        stable argsort, for key ranges on both sides of 2**16."""
        from pmsm_core.scheduling.network import _stable_argsort

        keys = np.asarray([k % n for k in raw], dtype=np.int64)
        expected = np.argsort(keys, kind="stable")
        assert _stable_argsort(keys, n).tolist() == expected.tolist()


class TestFromProject:
    """``Network.from_project`` is the network ``schedule()`` runs: same numbers."""

    @settings(max_examples=80, suppress_health_check=[HealthCheck.filter_too_much])
    @given(projects(max_activities=10))
    def test_agrees_with_schedule(self, project: Project) -> None:
        try:
            net = Network.from_project(project)
        except SchedulingError:
            assume(False)
        s = schedule(project)
        result = net.cpm()
        if project.start is None:

            def coordinate(t: object) -> int:
                return int(t)  # type: ignore[call-overload]

        else:
            table = project.calendar.table
            origin = table.to_working(to_minute_index(project.start))

            def coordinate(t: object) -> int:
                assert isinstance(t, datetime)
                return table.to_working(to_minute_index(t)) - origin

        assert net.ids == [a.id for a in project.activities if not project.is_summary(a.id)]
        for i, aid in enumerate(net.ids or []):
            sa = s[str(aid)]
            assert coordinate(sa.early_start) == result.early_start[i], aid
            assert coordinate(sa.early_finish) == result.early_finish[i], aid
            assert coordinate(sa.late_start) == result.late_start[i], aid
            assert sa.total_float == result.total_float[i], aid
            assert sa.free_float == result.free_float[i], aid

    def test_refuses_what_one_timeline_cannot_hold(self) -> None:
        """Own calendars and progress need schedule()'s calendar engine: a clear error."""
        p = Project(
            "P",
            start=datetime(2026, 3, 2, 8),
            calendars=[WorkCalendar.twenty_four_hours("24h")],
            activities=[Activity("A", duration=Duration.from_days(1), calendar="24h")],
        )
        with pytest.raises(SchedulingError, match="'P' does not fit one integer timeline"):
            Network.from_project(p)
