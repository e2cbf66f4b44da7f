"""The service dependency graph: impact analysis that honours redundancy.

:class:`ServiceGraph` compiles a :class:`~pmsm_core.ServiceCatalogue` once into an
integer-indexed graph, numbered in topological order (every provider before the nodes that
need it). Queries then touch only the part of the graph a failure can reach:

* :func:`impact` -- given failed services or configuration items, which nodes are *down*
  (a dependency is down, or fewer than *k* members of a redundancy group are up) and which
  are *degraded* (still up, but something they rely on is down or degraded), each with the
  failed items that explain it.
* :func:`explain_impact` -- the reverse question: which single components could explain a
  set of impacted services, which of them would also take down services that are not
  impacted, and a small set of components whose joint failure explains all of them.
* :func:`single_points_of_failure` and :func:`blast_radius` -- what one failure takes down.

The single-failure questions are answered for thousands of candidate failures at once:
each node carries a bit mask with one bit per candidate ("this node is down when that
candidate fails"), combined with OR for plain dependencies and with a bit-sliced
"at least t of n" count for redundancy groups, in one topological pass per block of
candidates.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Final

import attrs

from pmsm_core.exceptions import CycleError, Problem, ValidationError

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx
    import numpy as np
    import numpy.typing as npt
    import pandas as pd

    from pmsm_core.model.service import ServiceCatalogue

__all__ = [
    "BlastRadius",
    "GroupImpact",
    "ImpactCandidate",
    "ImpactExplanation",
    "ImpactResult",
    "ImpactStatus",
    "ServiceGraph",
    "ServiceImpact",
    "SinglePointOfFailure",
    "blast_radius",
    "explain_impact",
    "impact",
    "single_points_of_failure",
]

SERVICE: Final = 0
CI: Final = 1
GROUP: Final = 2
_KIND_NAMES: Final = ("service", "ci", "group")
_KIND_CODES: Final = {"service": SERVICE, "ci": CI, "group": GROUP}

#: Candidates evaluated together in one topological pass (bits per mask).
BLOCK: Final = 4096


class ImpactStatus(enum.Enum):
    """The state of a node after a failure."""

    UP = "up"
    DEGRADED = "degraded"
    DOWN = "down"


# --------------------------------------------------------------------------- the graph


class ServiceGraph:
    """A catalogue's dependency graph, compiled once for fast queries.

    Nodes are the catalogue's services, configuration items and redundancy groups,
    numbered in topological order (providers first). Plain nodes need all their providers;
    a redundancy group needs ``min_up`` of its members.

    Parameters
    ----------
    catalogue
        A validated :class:`~pmsm_core.ServiceCatalogue` (its dependency graph is acyclic).

    Examples
    --------
    >>> from pmsm_core import (
    ...     ConfigurationItem,
    ...     RedundancyGroup,
    ...     Service,
    ...     ServiceCatalogue,
    ...     ServiceDependency,
    ... )
    >>> cat = ServiceCatalogue(
    ...     "IT",
    ...     services=[Service("MAIL")],
    ...     configuration_items=[ConfigurationItem(i) for i in ("MX1", "MX2", "DNS")],
    ...     redundancy_groups=[RedundancyGroup("MX", ["MX1", "MX2"])],
    ...     dependencies=[ServiceDependency("MAIL", "MX"), ServiceDependency("MAIL", "DNS")],
    ... )
    >>> G = ServiceGraph(cat)
    >>> len(G), G.providers("MAIL"), G.dependents("MX1")
    (5, ('MX', 'DNS'), ('MX',))
    """

    __slots__ = (
        "_availability",
        "_dependents",
        "_index",
        "_kinds",
        "_need",
        "_providers",
        "_services",
        "catalogue",
        "ids",
    )

    def __init__(self, catalogue: ServiceCatalogue) -> None:
        from pmsm_core._util import no_gc

        with no_gc():
            self._build(catalogue)

    def _build(self, catalogue: ServiceCatalogue) -> None:
        self.catalogue = catalogue
        raw_ids: list[str] = []
        raw_kinds: list[int] = []
        for node_id, kind in catalogue.nodes():
            raw_ids.append(node_id)
            raw_kinds.append(_KIND_CODES[kind])
        position = {node_id: i for i, node_id in enumerate(raw_ids)}
        raw_providers = [[position[p] for p in catalogue.providers(i)] for i in raw_ids]
        n = len(raw_ids)
        indegree = [len(p) for p in raw_providers]
        raw_dependents: list[list[int]] = [[] for _ in range(n)]
        for v, provs in enumerate(raw_providers):
            for p in provs:
                raw_dependents[p].append(v)
        order = [v for v in range(n) if indegree[v] == 0]
        head = 0
        while head < len(order):
            u = order[head]
            head += 1
            for v in raw_dependents[u]:
                indegree[v] -= 1
                if indegree[v] == 0:
                    order.append(v)
        if len(order) != n:  # pragma: no cover - the catalogue rejects cycles already
            stuck = [raw_ids[v] for v in range(n) if indegree[v] > 0]
            raise CycleError(stuck[:10], f"dependency cycle among {stuck[:10]}")
        new = [0] * n
        for rank, v in enumerate(order):
            new[v] = rank
        self.ids: tuple[str, ...] = tuple(raw_ids[v] for v in order)
        self._index = {node_id: i for i, node_id in enumerate(self.ids)}
        self._kinds = [raw_kinds[v] for v in order]
        self._providers: list[tuple[int, ...]] = [
            tuple(new[p] for p in raw_providers[v]) for v in order
        ]
        dependents: list[list[int]] = [[] for _ in range(n)]
        for v, compiled in enumerate(self._providers):
            for p in compiled:
                dependents[p].append(v)
        self._dependents = [tuple(d) for d in dependents]
        need = [len(p) for p in self._providers]
        availability: list[float | None] = [1.0] * n
        for v, node_id in enumerate(self.ids):
            code = self._kinds[v]
            if code == GROUP:
                need[v] = catalogue.group(node_id).required
            elif code == CI:
                availability[v] = catalogue.item(node_id).availability
        self._need = need
        self._availability = availability
        self._services = tuple(v for v in range(n) if self._kinds[v] == SERVICE)

    # ------------------------------------------------------------------ basics
    def __len__(self) -> int:
        return len(self.ids)

    def __contains__(self, node_id: object) -> bool:
        return node_id in self._index

    def __repr__(self) -> str:
        counts = [sum(1 for k in self._kinds if k == code) for code in (SERVICE, CI, GROUP)]
        return (
            f"ServiceGraph({self.catalogue.id!r}: {counts[0]} services, "
            f"{counts[1]} configuration items, {counts[2]} redundancy groups)"
        )

    @property
    def services(self) -> tuple[str, ...]:
        """Ids of the services, in topological order."""
        return tuple(self.ids[v] for v in self._services)

    def kind(self, node_id: str) -> str:
        """``"service"``, ``"ci"`` or ``"group"``."""
        return _KIND_NAMES[self._kinds[self._lookup(node_id)]]

    def providers(self, node_id: str) -> tuple[str, ...]:
        """What ``node_id`` needs (a group's members for a group)."""
        return tuple(self.ids[p] for p in self._providers[self._lookup(node_id)])

    def dependents(self, node_id: str) -> tuple[str, ...]:
        """The nodes that need ``node_id``."""
        return tuple(self.ids[d] for d in self._dependents[self._lookup(node_id)])

    def required(self, node_id: str) -> int:
        """How many providers ``node_id`` needs up: all of them, or a group's ``min_up``."""
        return self._need[self._lookup(node_id)]

    def to_networkx(self) -> nx.DiGraph:
        """The graph in the impact direction (provider -> dependent); see
        :meth:`ServiceCatalogue.to_networkx <pmsm_core.ServiceCatalogue.to_networkx>`.

        Examples
        --------
        >>> from pmsm_core import ServiceCatalogue, Service, ServiceDependency
        >>> cat = ServiceCatalogue(
        ...     "IT",
        ...     services=[Service("A"), Service("B")],
        ...     dependencies=[ServiceDependency("B", "A")],
        ... )
        >>> list(ServiceGraph(cat).to_networkx().edges)
        [('A', 'B')]
        """
        return self.catalogue.to_networkx()

    def _lookup(self, node_id: str) -> int:
        try:
            return self._index[node_id]
        except (KeyError, TypeError):
            msg = f"unknown service, configuration item or redundancy group {node_id!r}"
            raise ValidationError(msg) from None

    def _resolve(self, ids: Iterable[str], what: str, *, allow_groups: bool = False) -> list[int]:
        if isinstance(ids, str):
            ids = [ids]
        problems: list[Problem] = []
        out: list[int] = []
        seen: set[int] = set()
        given: Iterable[object] = ids
        for i, node_id in enumerate(given):
            v = self._index.get(node_id) if isinstance(node_id, str) else None
            if v is None:
                problems.append(
                    Problem(
                        f"{what}[{i}]",
                        f"unknown service or configuration item {node_id!r} in catalogue "
                        f"{self.catalogue.id!r}",
                    )
                )
            elif self._kinds[v] == GROUP and not allow_groups:
                problems.append(
                    Problem(
                        f"{what}[{i}]",
                        f"{node_id!r} is a redundancy group; it cannot fail by itself, "
                        "name its members instead",
                    )
                )
            elif v not in seen:
                seen.add(v)
                out.append(v)
        if problems:
            raise ValidationError(problems)
        return out

    # ------------------------------------------------------------------ traversal
    def _live(self, v: int) -> bool:
        """True for services in the catalogue part of the portfolio (not pipeline, retired)."""
        from pmsm_core.model.service import PortfolioStatus

        return self.catalogue.service(self.ids[v]).status is PortfolioStatus.CATALOGUE

    def _reach(self, start: Iterable[int], *, forward: bool) -> set[int]:
        adjacency = self._dependents if forward else self._providers
        seen = set(start)
        stack = list(seen)
        while stack:
            u = stack.pop()
            for v in adjacency[u]:
                if v not in seen:
                    seen.add(v)
                    stack.append(v)
        return seen

    def _single_failures(
        self, candidates: Sequence[int], block: int | None = None
    ) -> Iterator[tuple[list[int], list[int], list[int]]]:
        """Yield ``(block_candidates, down, affected)`` masks per block of candidates.

        ``down[v]`` has bit *j* set when node ``v`` is down after the failure of
        ``block_candidates[j]`` alone; ``affected[v]`` when it is down or degraded.
        """
        n = len(self.ids)
        providers = self._providers
        kinds = self._kinds
        need = self._need
        block = block or BLOCK
        ordered = sorted(set(candidates))
        for start in range(0, len(ordered), block):
            chunk = ordered[start : start + block]
            own = {c: 1 << j for j, c in enumerate(chunk)}
            down = [0] * n
            affected = [0] * n
            for v in range(chunk[0], n):
                mine = own.get(v, 0)
                provs = providers[v]
                if kinds[v] == GROUP:
                    d = _at_least([down[p] for p in provs], len(provs) - need[v] + 1)
                    a = 0
                    for p in provs:
                        a |= affected[p]
                    down[v] = d | mine
                    affected[v] = a | d | mine
                else:
                    d = mine
                    a = mine
                    for p in provs:
                        d |= down[p]
                        a |= affected[p]
                    down[v] = d
                    affected[v] = a
            yield chunk, down, affected


def _at_least(masks: list[int], t: int) -> int:
    """Bits set in at least ``t`` of ``masks`` (bit-sliced counting)."""
    if t <= 1:
        out = 0
        for m in masks:
            out |= m
        return out
    if t == len(masks):
        out = -1
        for m in masks:
            out &= m
        return out if masks else 0
    if t > len(masks):
        return 0
    ge = [-1] + [0] * t  # ge[j]: bits seen in at least j masks so far
    for i, m in enumerate(masks):
        if not m:
            continue
        for j in range(min(t, i + 1), 0, -1):
            ge[j] |= ge[j - 1] & m
    return ge[t]


class _BitCounter:
    """Per-bit counters over many masks, kept as binary planes of Python ints."""

    __slots__ = ("planes",)

    def __init__(self) -> None:
        self.planes: list[int] = []

    def add(self, mask: int) -> None:
        planes = self.planes
        i = 0
        while mask:
            if i == len(planes):
                planes.append(mask)
                return
            plane = planes[i]
            planes[i] = plane ^ mask
            mask &= plane
            i += 1

    def counts(self, width: int) -> npt.NDArray[np.int64]:
        import numpy as np

        out = np.zeros(width, dtype=np.int64)
        nbytes = (width + 7) // 8
        for i, plane in enumerate(self.planes):
            raw = np.frombuffer(plane.to_bytes(nbytes, "little"), dtype=np.uint8)
            bits = np.unpackbits(raw, bitorder="little")[:width]
            out += bits.astype(np.int64) << i
        return out


def _bits(mask: int) -> Iterator[int]:
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low


def _as_graph(graph: ServiceGraph | ServiceCatalogue) -> ServiceGraph:
    from pmsm_core.model.service import ServiceCatalogue

    given: object = graph
    if isinstance(given, ServiceGraph):
        return given
    if isinstance(given, ServiceCatalogue):
        return ServiceGraph(given)
    msg = f"expected a ServiceGraph or a ServiceCatalogue, got {type(given).__name__}"
    raise ValidationError(msg)


# --------------------------------------------------------------------------- impact


@attrs.frozen
class ServiceImpact:
    """How one service fares after a failure, and the failed items that explain it.

    Examples
    --------
    >>> ServiceImpact("MAIL", ImpactStatus.DOWN, ("DNS",)).causes
    ('DNS',)
    """

    service: str
    status: ImpactStatus
    causes: tuple[str, ...] = ()


@attrs.frozen
class GroupImpact:
    """A redundancy group that lost members: how many are down and how many it needs.

    Examples
    --------
    >>> g = GroupImpact("MX", ImpactStatus.DEGRADED, members_down=1, members=2, min_up=1)
    >>> g.members_up
    1
    """

    group: str
    status: ImpactStatus
    members_down: int
    members: int
    min_up: int

    @property
    def members_up(self) -> int:
        """Members still up (counting degraded ones as up)."""
        return self.members - self.members_down


@attrs.frozen
class ImpactResult:
    """What a set of failures takes down or degrades.

    Attributes
    ----------
    failed
        The failed services and configuration items, as given.
    services
        Every service that is down or degraded (down first, then by id), with the failed
        items that reach it.
    down, degraded
        Every service and configuration item that is down / degraded, sorted by id
        (failed items are down).
    groups
        Every redundancy group that lost a member, with how many are left.

    Examples
    --------
    >>> from pmsm_core import (
    ...     ConfigurationItem,
    ...     RedundancyGroup,
    ...     Service,
    ...     ServiceCatalogue,
    ...     ServiceDependency,
    ... )
    >>> cat = ServiceCatalogue(
    ...     "IT",
    ...     services=[Service("MAIL")],
    ...     configuration_items=[ConfigurationItem(i) for i in ("MX1", "MX2")],
    ...     redundancy_groups=[RedundancyGroup("MX", ["MX1", "MX2"])],
    ...     dependencies=[ServiceDependency("MAIL", "MX")],
    ... )
    >>> r = impact(cat, ["MX1"])
    >>> r.status("MAIL"), r.groups[0].members_up
    (<ImpactStatus.DEGRADED: 'degraded'>, 1)
    >>> impact(cat, ["MX1", "MX2"]).services
    (ServiceImpact(service='MAIL', status=<ImpactStatus.DOWN: 'down'>, causes=('MX1', 'MX2')),)
    """

    failed: tuple[str, ...]
    services: tuple[ServiceImpact, ...] = ()
    down: tuple[str, ...] = ()
    degraded: tuple[str, ...] = ()
    groups: tuple[GroupImpact, ...] = ()
    _lookup: dict[str, ImpactStatus] = attrs.field(init=False, eq=False, repr=False, factory=dict)

    def status(self, node_id: str) -> ImpactStatus:
        """The status of any node (``UP`` when the failures do not reach it)."""
        lookup = self._lookup
        if not lookup and (self.down or self.degraded or self.groups):
            lookup.update(dict.fromkeys(self.degraded, ImpactStatus.DEGRADED))
            lookup.update(dict.fromkeys(self.down, ImpactStatus.DOWN))
            lookup.update((g.group, g.status) for g in self.groups)
        return lookup.get(node_id, ImpactStatus.UP)

    @property
    def services_down(self) -> tuple[str, ...]:
        """Ids of the services that are down."""
        return tuple(s.service for s in self.services if s.status is ImpactStatus.DOWN)

    @property
    def services_degraded(self) -> tuple[str, ...]:
        """Ids of the services that are degraded."""
        return tuple(s.service for s in self.services if s.status is ImpactStatus.DEGRADED)

    def to_dataframe(self) -> pd.DataFrame:
        """Everything down or degraded as a pandas DataFrame (needs the ``pandas`` extra).

        See :func:`pmsm_core.viz.frames.impact_frame` for the columns.
        """
        from pmsm_core.viz.frames import impact_frame

        return impact_frame(self)


def impact(graph: ServiceGraph | ServiceCatalogue, failed: Iterable[str]) -> ImpactResult:
    """Which services and configuration items are down or degraded after ``failed`` fail.

    A plain node is down when any provider is down; a redundancy group is down when fewer
    than ``min_up`` members are up. A node that stays up although a provider is down or
    degraded is *degraded* (redundancy absorbed the failure, or something it relies on
    runs with less margin). Only the part of the graph the failures can reach is visited.

    Parameters
    ----------
    graph
        A :class:`ServiceGraph` (build it once for repeated queries) or a catalogue.
    failed
        Ids of failed services and configuration items.

    Returns
    -------
    ImpactResult

    Raises
    ------
    ValidationError
        For unknown ids and for redundancy groups (which cannot fail by themselves).

    Examples
    --------
    >>> from pmsm_core import ConfigurationItem, Service, ServiceCatalogue, ServiceDependency
    >>> cat = ServiceCatalogue(
    ...     "IT",
    ...     services=[Service("MAIL"), Service("WEB")],
    ...     configuration_items=[ConfigurationItem("DNS"), ConfigurationItem("MX")],
    ...     dependencies=[
    ...         ServiceDependency("MAIL", "MX"),
    ...         ServiceDependency("MX", "DNS"),
    ...         ServiceDependency("WEB", "DNS"),
    ...     ],
    ... )
    >>> impact(cat, ["DNS"]).services_down
    ('MAIL', 'WEB')
    >>> impact(cat, ["NOPE"])
    Traceback (most recent call last):
    ...
    pmsm_core.exceptions.ValidationError: failed[0]: unknown service or configuration item 'NOPE' in catalogue 'IT'
    """  # noqa: E501
    g = _as_graph(graph)
    start = g._resolve(failed, "failed")
    providers = g._providers
    kinds = g._kinds
    need = g._need
    bit = {v: 1 << j for j, v in enumerate(start)}
    status: dict[int, int] = {}
    cause: dict[int, int] = {}
    lost: dict[int, int] = {}
    for v in sorted(g._reach(start, forward=True)):
        mask = bit.get(v, 0)
        down_count = 0
        for p in providers[v]:
            s = status.get(p)
            if s:
                mask |= cause[p]
                if s == 2:
                    down_count += 1
        st = 2 if v in bit or len(providers[v]) - down_count < need[v] else 1
        status[v] = st
        cause[v] = mask
        if kinds[v] == GROUP:
            lost[v] = down_count
    ids = g.ids
    names = {2: ImpactStatus.DOWN, 1: ImpactStatus.DEGRADED}
    services = sorted(
        (
            ServiceImpact(ids[v], names[st], tuple(ids[start[j]] for j in _bits(cause[v])))
            for v, st in status.items()
            if kinds[v] == SERVICE
        ),
        key=lambda s: (s.status is not ImpactStatus.DOWN, s.service),
    )
    down = sorted(ids[v] for v, st in status.items() if st == 2 and kinds[v] != GROUP)
    degraded = sorted(ids[v] for v, st in status.items() if st == 1 and kinds[v] != GROUP)
    groups = sorted(
        (GroupImpact(ids[v], names[status[v]], lost[v], len(providers[v]), need[v]) for v in lost),
        key=lambda x: x.group,
    )
    return ImpactResult(
        tuple(ids[v] for v in start),
        tuple(services),
        tuple(down),
        tuple(degraded),
        tuple(groups),
    )


# --------------------------------------------------------------------------- reverse


@attrs.frozen
class ImpactCandidate:
    """A component whose failure alone would explain some of the impacted items.

    Attributes
    ----------
    component
        The candidate (a configuration item or a service).
    explains
        The impacted items its failure takes down.
    degrades
        The impacted items its failure only degrades.
    collateral
        How many live services (portfolio status ``catalogue``) that are *not* among the
        impacted ones its failure would also take down, itself excluded (0 means it is
        consistent with everything else being up).

    Examples
    --------
    >>> ImpactCandidate("DNS", ("MAIL", "WEB"), (), 0).collateral
    0
    """

    component: str
    explains: tuple[str, ...]
    degrades: tuple[str, ...] = ()
    collateral: int = 0


@attrs.frozen
class ImpactExplanation:
    """Components that could explain a set of impacted services.

    Attributes
    ----------
    impacted
        The items that were reported down.
    candidates
        Every component whose single failure takes down at least one of them, best first:
        most impacted items explained, then least collateral, then id.
    complete
        Components whose single failure takes down every impacted item.
    consistent
        The complete ones that would take down no other service.
    cover
        A small set of components (chosen greedily) whose joint failure takes down every
        impacted item that any single component can explain; empty when none can.
    unexplained
        Impacted items that no single component's failure takes down (only a combination
        of failures, e.g. in a redundancy group, can).

    Examples
    --------
    >>> e = ImpactExplanation(("MAIL",), complete=("DNS",), consistent=("DNS",))
    >>> e.complete
    ('DNS',)
    """

    impacted: tuple[str, ...]
    candidates: tuple[ImpactCandidate, ...] = ()
    complete: tuple[str, ...] = ()
    consistent: tuple[str, ...] = ()
    cover: tuple[str, ...] = ()
    unexplained: tuple[str, ...] = ()

    def to_dataframe(self) -> pd.DataFrame:
        """One row per candidate component, best first (needs the ``pandas`` extra).

        Indexed by ``component`` in the order of ``candidates``. Columns: ``explains`` and
        ``degrades`` (comma-separated impacted ids), ``explained`` (how many impacted items
        its failure takes down), ``collateral`` (live services it would also take down),
        and the flags ``complete``, ``consistent`` and ``in_cover``. Items in
        ``unexplained`` have no row.

        Returns
        -------
        pandas.DataFrame

        Examples
        --------
        >>> from pmsm_core import ConfigurationItem, Service, ServiceCatalogue, ServiceDependency
        >>> cat = ServiceCatalogue(
        ...     "IT",
        ...     services=[Service("MAIL"), Service("WEB"), Service("CHAT")],
        ...     configuration_items=[ConfigurationItem(i) for i in ("DNS", "NET", "MX")],
        ...     dependencies=[
        ...         ServiceDependency("MAIL", "MX"),
        ...         ServiceDependency("MX", "DNS"),
        ...         ServiceDependency("WEB", "DNS"),
        ...         ServiceDependency("DNS", "NET"),
        ...         ServiceDependency("CHAT", "NET"),
        ...     ],
        ... )
        >>> explain_impact(cat, ["MAIL", "WEB"]).to_dataframe()[
        ...     ["explains", "collateral", "consistent", "in_cover"]
        ... ]
                   explains  collateral  consistent  in_cover
        component
        DNS       MAIL, WEB           0        True      True
        NET       MAIL, WEB           1       False     False
        MAIL           MAIL           0       False     False
        MX             MAIL           0       False     False
        WEB             WEB           0       False     False
        """
        from pmsm_core._util import require

        require("pandas", "pandas")
        import pandas as pd

        complete, consistent, cover = set(self.complete), set(self.consistent), set(self.cover)
        rows = [
            {
                "component": c.component,
                "explains": ", ".join(c.explains),
                "degrades": ", ".join(c.degrades),
                "explained": len(c.explains),
                "collateral": c.collateral,
                "complete": c.component in complete,
                "consistent": c.component in consistent,
                "in_cover": c.component in cover,
            }
            for c in self.candidates
        ]
        dtypes = {
            "component": "str",
            "explains": "str",
            "degrades": "str",
            "explained": "int64",
            "collateral": "int64",
            "complete": "bool",
            "consistent": "bool",
            "in_cover": "bool",
        }
        frame: pd.DataFrame = (
            pd.DataFrame(rows, columns=list(dtypes)).astype(dtypes).set_index("component")
        )
        return frame


def explain_impact(
    graph: ServiceGraph | ServiceCatalogue, impacted: Iterable[str]
) -> ImpactExplanation:
    """Which single components could explain why ``impacted`` are down.

    Every ancestor of an impacted item (and each impacted item itself) is tried as a single
    failure, all at once with bit masks, honouring redundancy: a component behind a
    redundancy group explains a service only if its failure takes down enough members
    (for example a hypervisor that hosts both members of a cluster).

    Parameters
    ----------
    graph
        A :class:`ServiceGraph` or a catalogue.
    impacted
        Ids of the services (or configuration items) observed down.

    Returns
    -------
    ImpactExplanation

    Raises
    ------
    ValidationError
        For unknown ids or redundancy groups.

    Examples
    --------
    >>> from pmsm_core import ConfigurationItem, Service, ServiceCatalogue, ServiceDependency
    >>> cat = ServiceCatalogue(
    ...     "IT",
    ...     services=[Service("MAIL"), Service("WEB"), Service("CHAT")],
    ...     configuration_items=[ConfigurationItem(i) for i in ("DNS", "NET", "MX")],
    ...     dependencies=[
    ...         ServiceDependency("MAIL", "MX"),
    ...         ServiceDependency("MX", "DNS"),
    ...         ServiceDependency("WEB", "DNS"),
    ...         ServiceDependency("DNS", "NET"),
    ...         ServiceDependency("CHAT", "NET"),
    ...     ],
    ... )
    >>> e = explain_impact(cat, ["MAIL", "WEB"])
    >>> e.complete, e.consistent
    (('DNS', 'NET'), ('DNS',))
    """
    g = _as_graph(graph)
    targets = g._resolve(impacted, "impacted")
    if not targets:
        return ImpactExplanation(())
    kinds = g._kinds
    candidates = sorted(v for v in g._reach(targets, forward=False) if kinds[v] != GROUP)
    target_set = set(targets)
    others = [s for s in g._services if s not in target_set and g._live(s)]
    other_set = set(others)
    ids = g.ids
    rows: list[ImpactCandidate] = []
    for chunk, down, affected in g._single_failures(candidates):
        explains: list[list[int]] = [[] for _ in chunk]
        degrades: list[list[int]] = [[] for _ in chunk]
        for t in targets:
            for j in _bits(down[t]):
                explains[j].append(t)
            for j in _bits(affected[t] & ~down[t]):
                degrades[j].append(t)
        counter = _BitCounter()
        for s in others:
            counter.add(down[s])
        collateral = counter.counts(len(chunk))
        for j, c in enumerate(chunk):
            if explains[j]:
                rows.append(
                    ImpactCandidate(
                        ids[c],
                        tuple(ids[t] for t in explains[j]),
                        tuple(ids[t] for t in degrades[j]),
                        int(collateral[j]) - (c in other_set),
                    )
                )
    rows.sort(key=lambda r: (-len(r.explains), r.collateral, r.component))
    complete = tuple(r.component for r in rows if len(r.explains) == len(targets))
    consistent = tuple(
        r.component for r in rows if len(r.explains) == len(targets) and r.collateral == 0
    )
    explainable = {t for r in rows for t in r.explains}
    cover: list[str] = []
    left = set(explainable)
    while left:
        best = max(rows, key=lambda r: (len(left.intersection(r.explains)), -r.collateral))
        cover.append(best.component)
        left.difference_update(best.explains)
    unexplained = tuple(ids[t] for t in targets if ids[t] not in explainable)
    return ImpactExplanation(
        tuple(ids[t] for t in targets),
        tuple(rows),
        complete,
        consistent,
        tuple(cover),
        unexplained,
    )


# --------------------------------------------------------------------------- single failures


@attrs.frozen
class SinglePointOfFailure:
    """A component whose failure alone takes down services.

    Examples
    --------
    >>> SinglePointOfFailure("DNS", "ci", ("MAIL", "WEB")).services
    ('MAIL', 'WEB')
    """

    component: str
    kind: str
    services: tuple[str, ...]


def single_points_of_failure(
    graph: ServiceGraph | ServiceCatalogue, services: Iterable[str] | None = None
) -> tuple[SinglePointOfFailure, ...]:
    """Components whose failure alone takes down at least one of ``services``.

    A component inside a redundancy group is a single point of failure only when its
    failure leaves fewer than ``min_up`` members up, e.g. a hypervisor hosting both members
    of a cluster. A service is not counted as its own single point of failure.

    Parameters
    ----------
    graph
        A :class:`ServiceGraph` or a catalogue.
    services
        The services to protect; all services when None.

    Returns
    -------
    tuple of SinglePointOfFailure
        Most services taken down first, then by id.

    Examples
    --------
    >>> from pmsm_core import (
    ...     ConfigurationItem,
    ...     RedundancyGroup,
    ...     Service,
    ...     ServiceCatalogue,
    ...     ServiceDependency,
    ... )
    >>> cat = ServiceCatalogue(
    ...     "IT",
    ...     services=[Service("APP")],
    ...     configuration_items=[ConfigurationItem(i) for i in ("VM1", "VM2", "HOST")],
    ...     redundancy_groups=[RedundancyGroup("FARM", ["VM1", "VM2"])],
    ...     dependencies=[
    ...         ServiceDependency("APP", "FARM"),
    ...         ServiceDependency("VM1", "HOST"),
    ...         ServiceDependency("VM2", "HOST"),
    ...     ],
    ... )
    >>> [s.component for s in single_points_of_failure(cat)]
    ['HOST']
    """
    g = _as_graph(graph)
    kinds = g._kinds
    if services is None:
        targets = list(g._services)
    else:
        targets = g._resolve(services, "services")
        wrong = [g.ids[t] for t in targets if kinds[t] != SERVICE]
        if wrong:
            msg = f"not services: {wrong}"
            raise ValidationError(msg, path="services")
    candidates = sorted(v for v in g._reach(targets, forward=False) if kinds[v] != GROUP)
    ids = g.ids
    found: dict[int, list[int]] = {}
    for chunk, down, _ in g._single_failures(candidates):
        for t in targets:
            for j in _bits(down[t]):
                c = chunk[j]
                if c != t:
                    found.setdefault(c, []).append(t)
    out = [
        SinglePointOfFailure(ids[c], _KIND_NAMES[kinds[c]], tuple(sorted(ids[t] for t in ts)))
        for c, ts in found.items()
    ]
    out.sort(key=lambda s: (-len(s.services), s.component))
    return tuple(out)


@attrs.frozen
class BlastRadius:
    """What the failure of one component takes with it.

    Attributes
    ----------
    component, kind
        The component and its kind (``"ci"`` or ``"service"``).
    services_down, services_degraded
        How many *other* services go down / are degraded.
    items_down
        How many other services and configuration items go down.

    Examples
    --------
    >>> BlastRadius("DNS", "ci", services_down=2, services_degraded=1, items_down=3).score
    (2, 1, 3)
    """

    component: str
    kind: str
    services_down: int
    services_degraded: int
    items_down: int

    @property
    def score(self) -> tuple[int, int, int]:
        """The ranking key (services down, then degraded, then items down)."""
        return (self.services_down, self.services_degraded, self.items_down)


def blast_radius(
    graph: ServiceGraph | ServiceCatalogue,
    components: Iterable[str] | None = None,
    *,
    top: int | None = None,
) -> tuple[BlastRadius, ...]:
    """Rank components by what their failure alone takes down.

    Parameters
    ----------
    graph
        A :class:`ServiceGraph` or a catalogue.
    components
        The components to rank; every service and configuration item when None.
    top
        Keep only the ``top`` largest.

    Returns
    -------
    tuple of BlastRadius
        Largest first (services down, then degraded, then items down), ties by id.

    Examples
    --------
    >>> from pmsm_core import ConfigurationItem, Service, ServiceCatalogue, ServiceDependency
    >>> cat = ServiceCatalogue(
    ...     "IT",
    ...     services=[Service("MAIL"), Service("WEB")],
    ...     configuration_items=[ConfigurationItem("DNS"), ConfigurationItem("MX")],
    ...     dependencies=[
    ...         ServiceDependency("MAIL", "MX"),
    ...         ServiceDependency("MX", "DNS"),
    ...         ServiceDependency("WEB", "DNS"),
    ...     ],
    ... )
    >>> [(b.component, b.services_down) for b in blast_radius(cat, top=2)]
    [('DNS', 2), ('MX', 1)]
    """
    g = _as_graph(graph)
    kinds = g._kinds
    if components is None:
        candidates = [v for v in range(len(g)) if kinds[v] != GROUP]
    else:
        candidates = g._resolve(components, "components")
    ids = g.ids
    items = [v for v in range(len(g)) if kinds[v] != GROUP]
    out: list[BlastRadius] = []
    for chunk, down, affected in g._single_failures(candidates):
        sd, sa, it = _BitCounter(), _BitCounter(), _BitCounter()
        for s in g._services:
            sd.add(down[s])
            sa.add(affected[s] & ~down[s])
        lo = chunk[0]
        for v in items:
            if v >= lo:
                it.add(down[v])
        width = len(chunk)
        services_down = sd.counts(width)
        services_degraded = sa.counts(width)
        items_down = it.counts(width)
        for j, c in enumerate(chunk):
            self_service = 1 if kinds[c] == SERVICE else 0
            out.append(
                BlastRadius(
                    ids[c],
                    _KIND_NAMES[kinds[c]],
                    int(services_down[j]) - self_service,
                    int(services_degraded[j]),
                    int(items_down[j]) - 1,
                )
            )
    out.sort(key=lambda b: (-b.services_down, -b.services_degraded, -b.items_down, b.component))
    if top is not None:
        out = out[: max(0, top)]
    return tuple(out)
