"""Process-flow graphs and their analysis.

The flow of a catalogue is an ``nx.MultiDiGraph``: processes are nodes, and every hand-off
of an artefact from one process to another is an edge. Hand-offs come from two places:

* the catalogue's explicit :class:`~pmsm_core.Interface` values, and
* *matching*: when process A lists an artefact among its outputs and process B lists the
  same artefact (compared with :func:`~pmsm_core.model.process.artefact_key`) among its
  inputs, A hands it to B (provenance ``matched``). A match that repeats an explicit
  interface is not added twice.

:func:`analyse_flow` reads the graph and returns a :class:`FlowAnalysis`: inputs nobody
produces, outputs nobody consumes, loops, hand-offs that cross a stage or group,
bottlenecks, the critical path by cycle time after condensing loops, and work in progress
by Little's law. :func:`what_if` says what breaks when processes or hand-offs are
removed, and :func:`flow_paths` lists the routes from one process to another.

Examples
--------
>>> from pmsm_core import Catalogue, Process
>>> cat = Catalogue(
...     "mini",
...     processes=[
...         Process("A", "Plan", inputs=["brief"], outputs=["plan"]),
...         Process("B", "Build", inputs=["plan"], outputs=["product"]),
...     ],
... )
>>> G = flow_graph(cat)
>>> list(G.edges(keys=True))
[('A', 'B', 'plan')]
>>> analyse_flow(cat).unproduced_inputs
(ArtefactRef(process='A', artefact='brief'),)
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Final

import attrs

from pmsm_core.calendars import Duration, WorkCalendar
from pmsm_core.exceptions import Problem, ValidationError
from pmsm_core.model._validators import (
    check_id,
    check_str,
    instance_of,
    number,
    to_tuple,
    tuple_of,
)
from pmsm_core.model.process import Catalogue, Provenance, artefact_key

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx
    import pandas as pd

__all__ = [
    "BETWEENNESS_SAMPLES",
    "EXACT_BETWEENNESS_LIMIT",
    "ArtefactRef",
    "Bottleneck",
    "FlowAnalysis",
    "FlowLoop",
    "Handoff",
    "ProcessLoad",
    "WhatIf",
    "analyse_flow",
    "betweenness",
    "flow_graph",
    "flow_paths",
    "what_if",
]

#: Up to this many processes, betweenness centrality is computed exactly.
EXACT_BETWEENNESS_LIMIT: Final = 1000
#: Above the limit it is estimated from this many sampled source processes (fixed seed).
BETWEENNESS_SAMPLES: Final = 200

# A hand-off to leave out: an interface id, or (source, target, artefact).
HandoffSpec = str | tuple[str, str, str]


# --------------------------------------------------------------------------- result values


def _nested(value: Iterable[Iterable[Any]]) -> tuple[tuple[Any, ...], ...]:
    return tuple(tuple(item) for item in value)


@attrs.frozen
class ArtefactRef:
    """An artefact named by one process: one of its inputs or outputs.

    Examples
    --------
    >>> str(ArtefactRef("4.1", "business documents"))
    "4.1: 'business documents'"
    """

    process: str = attrs.field(validator=check_id)
    artefact: str = attrs.field(validator=check_str)

    def __str__(self) -> str:
        return f"{self.process}: {self.artefact!r}"


@attrs.frozen
class Handoff:
    """One edge of a flow graph: ``source`` hands ``artefact`` to ``target``.

    Parameters
    ----------
    provenance
        ``matched`` for hand-offs found by matching outputs to inputs, otherwise the
        provenance of the explicit interface.
    interface
        The interface id, when the hand-off is an explicit interface with an id.
    from_area, to_area
        The areas (stage, process group or practice group) of the two ends.

    Examples
    --------
    >>> h = Handoff("SD1", "ST1", "service design package", Provenance.PARAPHRASE, "I17")
    >>> h.interface
    'I17'
    """

    source: str = attrs.field(validator=check_id)
    target: str = attrs.field(validator=check_id)
    artefact: str = attrs.field(validator=check_str)
    provenance: Provenance = attrs.field(
        default=Provenance.MATCHED, validator=instance_of(Provenance)
    )
    interface: str | None = attrs.field(default=None, validator=instance_of(str, optional=True))
    from_area: str = attrs.field(default="", kw_only=True, validator=check_str)
    to_area: str = attrs.field(default="", kw_only=True, validator=check_str)


@attrs.frozen
class FlowLoop:
    """A feedback loop: a set of processes that all reach each other through hand-offs.

    Parameters
    ----------
    processes
        The members of the strongly connected component, in catalogue order.
    cycle
        One cycle through some of them, in hand-off order (the last hands back to the
        first).

    Examples
    --------
    >>> FlowLoop(("A", "B"), ("A", "B")).describe()
    'A -> B -> A'
    """

    processes: tuple[str, ...] = attrs.field(converter=to_tuple, validator=tuple_of(str))
    cycle: tuple[str, ...] = attrs.field(converter=to_tuple, validator=tuple_of(str))

    def describe(self) -> str:
        """The example cycle as text, closing back on its first process."""
        return " -> ".join([*self.cycle, self.cycle[0]]) if self.cycle else ""


@attrs.frozen
class Bottleneck:
    """How central a process is in the flow.

    Parameters
    ----------
    betweenness
        Share of the shortest routes between other processes that pass through it
        (normalised betweenness centrality, 0 to 1).
    fan_in, fan_out
        Number of distinct processes it receives from and hands to.

    Examples
    --------
    >>> Bottleneck("ST2", 0.31, 6, 4).degree
    10
    """

    process: str = attrs.field(validator=check_id)
    betweenness: float = attrs.field(validator=number(low=0))
    fan_in: int = attrs.field(validator=number(low=0, integer=True))
    fan_out: int = attrs.field(validator=number(low=0, integer=True))

    @property
    def degree(self) -> int:
        """fan_in + fan_out."""
        return self.fan_in + self.fan_out


@attrs.frozen
class ProcessLoad:
    """Work in progress and throughput of one process by Little's law, L = λ W.

    Parameters
    ----------
    arrival_rate
        λ, work items arriving per hour.
    cycle_time
        W, the time one item spends in the process.
    wip
        L = λ × W (W in hours): the mean number of items in the process.
    capacity
        Items the process can hold at once, if known.
    max_throughput
        capacity / W, items per hour the process can finish at most.
    utilisation
        L / capacity.
    throughput
        Items finished per hour: λ, or the maximum when the process is overloaded.
    overloaded
        True when λ reaches the maximum throughput (utilisation >= 1); then no steady
        state exists and the queue grows.

    Examples
    --------
    >>> load = ProcessLoad.compute("SO2", 3.0, Duration.from_hours(2), capacity=8)
    >>> load.wip, load.max_throughput, load.utilisation, load.overloaded
    (6.0, 4.0, 0.75, False)
    """

    process: str = attrs.field(validator=check_id)
    arrival_rate: float = attrs.field(validator=number(low=0))
    cycle_time: Duration = attrs.field(validator=instance_of(Duration))
    wip: float = attrs.field(validator=number(low=0))
    capacity: int | None = attrs.field(
        default=None, validator=number(low=1, integer=True, optional=True)
    )
    max_throughput: float | None = attrs.field(default=None, validator=number(optional=True))
    utilisation: float | None = attrs.field(default=None, validator=number(optional=True))
    throughput: float = attrs.field(default=0.0, validator=number(low=0))
    overloaded: bool = attrs.field(default=False, validator=instance_of(bool))

    @classmethod
    def compute(
        cls, process: str, arrival_rate: float, cycle_time: Duration, capacity: int | None = None
    ) -> ProcessLoad:
        """Apply Little's law to one process."""
        hours = cycle_time.minutes / 60
        wip = arrival_rate * hours
        max_tp = capacity / hours if capacity is not None and hours > 0 else None
        utilisation = wip / capacity if capacity is not None else None
        overloaded = utilisation is not None and utilisation >= 1
        throughput = min(arrival_rate, max_tp) if max_tp is not None else arrival_rate
        return cls(
            process,
            arrival_rate,
            cycle_time,
            wip,
            capacity,
            max_tp,
            utilisation,
            throughput,
            overloaded,
        )


@attrs.frozen(repr=False)
class FlowAnalysis:
    """The analysis of a catalogue's process flow (see :func:`analyse_flow`).

    Attributes
    ----------
    catalogue : str
        Id of the catalogue analysed.
    processes, handoffs : int
        Number of nodes and edges of the flow graph.
    sources, sinks, isolated : tuple of str
        Processes nothing is handed to, that hand nothing on, and that have no hand-off.
    unproduced_inputs : tuple of ArtefactRef
        Inputs no process hands over and the catalogue does not list as external.
    unconsumed_outputs : tuple of ArtefactRef
        Outputs no process takes and the catalogue does not list as external.
    loops : tuple of FlowLoop
        Feedback loops (strongly connected components of two or more processes).
    cycles : tuple of tuple of str
        The short cycles (up to ``max_loop_length`` processes), at most ``max_cycles``.
    cross_handoffs : tuple of Handoff
        Hand-offs between processes of different stages or groups.
    bottlenecks : tuple of Bottleneck
        The most central processes, most central first.
    betweenness_exact : bool
        False when betweenness was estimated from sampled sources (large flows).
    critical_path : tuple of tuple of str
        The longest route by cycle time after condensing loops: each step is one process,
        or the members of one loop taken together.
    critical_path_time : Duration
        Sum of the cycle times along it (a loop counts the sum of its members' times).
    missing_cycle_times : tuple of str
        Processes without a cycle time (counted as zero).
    loads : tuple of ProcessLoad
        Little's law per process with an arrival rate and a cycle time.
    total_wip : float or None
        Sum of the work in progress of ``loads``.
    warnings : tuple of str
        What the analysis could not do or had to estimate.

    Examples
    --------
    >>> from pmsm_core.processes.catalog import load_catalogue
    >>> fa = analyse_flow(load_catalogue("itil2011"))
    >>> fa.processes, len(fa.unproduced_inputs), len(fa.loops)
    (30, 0, 1)
    >>> [b.process for b in fa.bottlenecks[:3]]
    ['CSI1', 'ST2', 'SD3']
    """

    catalogue: str = attrs.field(validator=check_str)
    processes: int = attrs.field(validator=number(low=0, integer=True))
    handoffs: int = attrs.field(validator=number(low=0, integer=True))
    sources: tuple[str, ...] = attrs.field(converter=to_tuple, validator=tuple_of(str))
    sinks: tuple[str, ...] = attrs.field(converter=to_tuple, validator=tuple_of(str))
    isolated: tuple[str, ...] = attrs.field(converter=to_tuple, validator=tuple_of(str))
    unproduced_inputs: tuple[ArtefactRef, ...] = attrs.field(
        converter=to_tuple, validator=tuple_of(ArtefactRef)
    )
    unconsumed_outputs: tuple[ArtefactRef, ...] = attrs.field(
        converter=to_tuple, validator=tuple_of(ArtefactRef)
    )
    loops: tuple[FlowLoop, ...] = attrs.field(converter=to_tuple, validator=tuple_of(FlowLoop))
    cycles: tuple[tuple[str, ...], ...] = attrs.field(converter=_nested)
    cross_handoffs: tuple[Handoff, ...] = attrs.field(
        converter=to_tuple, validator=tuple_of(Handoff)
    )
    bottlenecks: tuple[Bottleneck, ...] = attrs.field(
        converter=to_tuple, validator=tuple_of(Bottleneck)
    )
    betweenness_exact: bool = attrs.field(validator=instance_of(bool))
    critical_path: tuple[tuple[str, ...], ...] = attrs.field(converter=_nested)
    critical_path_time: Duration = attrs.field(validator=instance_of(Duration))
    missing_cycle_times: tuple[str, ...] = attrs.field(converter=to_tuple, validator=tuple_of(str))
    loads: tuple[ProcessLoad, ...] = attrs.field(
        converter=to_tuple, validator=tuple_of(ProcessLoad)
    )
    total_wip: float | None = attrs.field(default=None, validator=number(optional=True))
    warnings: tuple[str, ...] = attrs.field(default=(), converter=to_tuple, validator=tuple_of(str))

    def __repr__(self) -> str:
        return (
            f"FlowAnalysis(catalogue={self.catalogue!r}, processes={self.processes}, "
            f"handoffs={self.handoffs}, loops={len(self.loops)}, "
            f"critical_path={len(self.critical_path_processes)} processes)"
        )

    @property
    def critical_path_processes(self) -> tuple[str, ...]:
        """The processes of the critical path, loops flattened, in flow order."""
        return tuple(p for step in self.critical_path for p in step)

    @property
    def is_acyclic(self) -> bool:
        """True when the flow has no feedback loop."""
        return not self.loops

    def to_dataframe(self) -> pd.DataFrame:
        """Bottlenecks and loads per process as a pandas DataFrame (``pandas`` extra).

        See :func:`pmsm_core.viz.frames.flow_frame` for the columns.
        """
        from pmsm_core.viz.frames import flow_frame

        return flow_frame(self)

    def cross_handoff_counts(self) -> dict[tuple[str, str], int]:
        """How many hand-offs go from each area to each other area.

        Examples
        --------
        >>> from pmsm_core.processes.catalog import load_catalogue
        >>> counts = analyse_flow(load_catalogue("pmbok6")).cross_handoff_counts()
        >>> counts[("Initiating", "Planning")]
        20
        """
        counts: dict[tuple[str, str], int] = {}
        for h in self.cross_handoffs:
            key = (h.from_area, h.to_area)
            counts[key] = counts.get(key, 0) + 1
        return counts

    def finish(self, start: datetime, calendar: WorkCalendar | None = None) -> datetime:
        """When one work item started at ``start`` leaves the critical path.

        Working cycle times are laid on ``calendar`` (the standard calendar by default);
        elapsed cycle times run round the clock.

        Examples
        --------
        >>> from pmsm_core import Catalogue, Process
        >>> cat = Catalogue(
        ...     "c",
        ...     processes=[
        ...         Process("A", "a", outputs=["x"], cycle_time=Duration.from_hours(6)),
        ...         Process("B", "b", inputs=["x"], cycle_time=Duration.from_hours(4)),
        ...     ],
        ... )
        >>> analyse_flow(cat).finish(datetime(2026, 1, 2, 9))  # Friday 09:00 + 10 working hours
        datetime.datetime(2026, 1, 5, 11, 0)
        """
        minutes = self.critical_path_time.minutes
        if self.critical_path_time.elapsed:
            return start + timedelta(minutes=minutes)
        cal = calendar if calendar is not None else WorkCalendar.standard()
        return cal.add(start, minutes)


@attrs.frozen(repr=False)
class WhatIf:
    """What breaks when processes or hand-offs are removed (see :func:`what_if`).

    Attributes
    ----------
    removed_processes : tuple of str
        The processes removed.
    removed_handoffs : tuple of Handoff
        Every hand-off that disappears, including those of removed processes.
    new_unproduced_inputs : tuple of ArtefactRef
        Inputs of remaining processes that lose their last producer.
    new_unconsumed_outputs : tuple of ArtefactRef
        Outputs of remaining processes that lose their last consumer.
    disconnected : tuple of str
        Remaining processes that had hand-offs and now have none.
    reachable_pairs_before, reachable_pairs_after : int
        Ordered pairs (a, b) of remaining processes, a != b, where a's work reaches b.
    lost_pairs : tuple of tuple of str
        Up to 20 of the pairs cut apart, as examples.

    Examples
    --------
    >>> from pmsm_core.processes.catalog import load_catalogue
    >>> w = what_if(load_catalogue("itil2011"), remove_processes=["ST2"])
    >>> [str(r) for r in w.new_unproduced_inputs][:2]
    ["ST3: 'configuration record updates'", "ST4: 'authorised change'"]
    >>> w.breaks
    True
    """

    removed_processes: tuple[str, ...] = attrs.field(converter=to_tuple, validator=tuple_of(str))
    removed_handoffs: tuple[Handoff, ...] = attrs.field(
        converter=to_tuple, validator=tuple_of(Handoff)
    )
    new_unproduced_inputs: tuple[ArtefactRef, ...] = attrs.field(
        converter=to_tuple, validator=tuple_of(ArtefactRef)
    )
    new_unconsumed_outputs: tuple[ArtefactRef, ...] = attrs.field(
        converter=to_tuple, validator=tuple_of(ArtefactRef)
    )
    disconnected: tuple[str, ...] = attrs.field(converter=to_tuple, validator=tuple_of(str))
    reachable_pairs_before: int = attrs.field(validator=number(low=0, integer=True))
    reachable_pairs_after: int = attrs.field(validator=number(low=0, integer=True))
    lost_pairs: tuple[tuple[str, str], ...] = attrs.field(converter=_nested)

    def __repr__(self) -> str:
        return (
            f"WhatIf(removed_processes={len(self.removed_processes)}, "
            f"removed_handoffs={len(self.removed_handoffs)}, "
            f"new_unproduced_inputs={len(self.new_unproduced_inputs)}, "
            f"lost_reachability={self.lost_reachability})"
        )

    @property
    def lost_reachability(self) -> int:
        """Ordered pairs of remaining processes that no longer reach each other."""
        return self.reachable_pairs_before - self.reachable_pairs_after

    @property
    def breaks(self) -> bool:
        """True when an input's producer, an output's consumer or a route is lost."""
        return bool(
            self.new_unproduced_inputs
            or self.new_unconsumed_outputs
            or self.disconnected
            or self.lost_reachability
        )


# --------------------------------------------------------------------------- the graph


def flow_graph(
    catalogue: Catalogue,
    *,
    exclude_processes: Iterable[str] = (),
    exclude_handoffs: Iterable[str | tuple[str, str, str]] = (),
) -> nx.MultiDiGraph:
    """Return the process flow of a catalogue as an ``nx.MultiDiGraph``.

    Nodes are process ids, in catalogue order, with the attributes ``name``, ``kind``,
    ``area`` (e.g. ``"Service Design"``), ``cycle_time`` (minutes or None) and ``process``
    (the :class:`~pmsm_core.Process` itself). Each edge is one hand-off, keyed by the
    artefact's name, with the attributes ``artefact``, ``provenance`` (``"matched"`` or
    the interface's), ``interface`` (its id or None) and ``explicit`` (True for an
    interface of the catalogue, False for a match).

    Parameters
    ----------
    catalogue
        The catalogue.
    exclude_processes
        Ids of processes to leave out, with their hand-offs.
    exclude_handoffs
        Hand-offs to leave out: interface ids, or ``(source, target, artefact)`` triples
        (which also remove matched hand-offs).

    Raises
    ------
    ValidationError
        For an id or hand-off that is not in the catalogue.

    Examples
    --------
    >>> from pmsm_core.processes.catalog import load_catalogue
    >>> G = flow_graph(load_catalogue("itil2011"))
    >>> G.edges["SO1", "SO2", "exception event"]["interface"]
    'I1'
    >>> G.edges["F1", "SO2", "incident"]["provenance"]
    'matched'
    """
    import networkx as nx

    removed, ids, triples = _exclusions(catalogue, exclude_processes, exclude_handoffs)
    graph = nx.MultiDiGraph(id=catalogue.id, name=catalogue.name)
    for p in catalogue.processes:
        if p.id in removed:
            continue
        graph.add_node(
            p.id,
            name=p.name,
            kind=p.kind.value,
            area=p.area_label,
            cycle_time=None if p.cycle_time is None else p.cycle_time.minutes,
            process=p,
        )
    seen: set[tuple[str, str, str]] = set()
    used: set[tuple[str, str, str]] = set()
    for itf in catalogue.interfaces:
        if itf.source in removed or itf.target in removed:
            continue
        key = (itf.source, itf.target, artefact_key(itf.artefact))
        if (itf.id is not None and itf.id in ids) or key in triples:
            used.add(key)
            seen.add(key)
            continue
        seen.add(key)
        graph.add_edge(
            itf.source,
            itf.target,
            key=itf.artefact,
            artefact=itf.artefact,
            provenance=itf.provenance.value,
            interface=itf.id,
            explicit=True,
        )
    producers: dict[str, list[tuple[str, str]]] = {}
    consumers: dict[str, list[str]] = {}
    for p in catalogue.processes:
        if p.id in removed:
            continue
        for name in p.outputs:
            producers.setdefault(artefact_key(name), []).append((p.id, name))
        for name in p.inputs:
            consumers.setdefault(artefact_key(name), []).append(p.id)
    for akey, prods in producers.items():
        cons = consumers.get(akey)
        if not cons:
            continue
        for u, name in prods:
            for v in cons:
                if u == v:
                    continue
                key = (u, v, akey)
                if key in seen:
                    continue
                if key in triples:
                    used.add(key)
                    continue
                graph.add_edge(
                    u,
                    v,
                    key=name,
                    artefact=name,
                    provenance="matched",
                    interface=None,
                    explicit=False,
                )
    unused = [t for t in triples if t not in used]
    if unused:
        problems = [
            Problem("exclude_handoffs", f"no hand-off of {a!r} from {u!r} to {v!r}")
            for u, v, a in unused
        ]
        raise ValidationError(problems)
    return graph


def _exclusions(
    catalogue: Catalogue, processes: Iterable[str], handoffs: Iterable[HandoffSpec]
) -> tuple[set[str], set[str], set[tuple[str, str, str]]]:
    problems: list[Problem] = []
    if isinstance(processes, str) or isinstance(handoffs, str):
        msg = "give ids as a list, not as one string"
        raise ValidationError(msg)
    removed: set[str] = set()
    process_items: list[object] = list(processes)
    for i, pid in enumerate(process_items):
        if not isinstance(pid, str) or pid not in catalogue:
            problems.append(
                Problem(f"exclude_processes[{i}]", f"unknown process {pid!r} in {catalogue.id!r}")
            )
        else:
            removed.add(pid)
    interface_ids = {itf.id for itf in catalogue.interfaces if itf.id is not None}
    ids: set[str] = set()
    triples: set[tuple[str, str, str]] = set()
    handoff_items: list[object] = list(handoffs)
    for i, spec in enumerate(handoff_items):
        if isinstance(spec, str):
            if spec not in interface_ids:
                problems.append(
                    Problem(
                        f"exclude_handoffs[{i}]",
                        f"unknown interface {spec!r} in {catalogue.id!r}",
                    )
                )
            ids.add(spec)
        elif (
            isinstance(spec, tuple | list)
            and len(spec) == 3
            and all(isinstance(s, str) for s in spec)
        ):
            triples.add((spec[0], spec[1], artefact_key(spec[2])))
        else:
            problems.append(
                Problem(
                    f"exclude_handoffs[{i}]",
                    f"expected an interface id or (source, target, artefact), got {spec!r}",
                )
            )
    if problems:
        raise ValidationError(problems)
    return removed, ids, triples


def _simple(graph: nx.MultiDiGraph) -> nx.DiGraph:
    import networkx as nx

    simple = nx.DiGraph()
    simple.add_nodes_from(graph.nodes)
    simple.add_edges_from(graph.edges())
    return simple


def _port_keys(graph: nx.MultiDiGraph) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    incoming: dict[str, set[str]] = {n: set() for n in graph.nodes}
    outgoing: dict[str, set[str]] = {n: set() for n in graph.nodes}
    for u, v, artefact in graph.edges(data="artefact"):
        key = artefact_key(artefact)
        outgoing[u].add(key)
        incoming[v].add(key)
    return incoming, outgoing


def _orphans(
    catalogue: Catalogue, graph: nx.MultiDiGraph
) -> tuple[list[ArtefactRef], list[ArtefactRef]]:
    incoming, outgoing = _port_keys(graph)
    external_in = {artefact_key(a) for a in catalogue.external_inputs}
    external_out = {artefact_key(a) for a in catalogue.external_outputs}
    unproduced: list[ArtefactRef] = []
    unconsumed: list[ArtefactRef] = []
    for p in catalogue.processes:
        if p.id not in incoming:
            continue
        for name in p.inputs:
            key = artefact_key(name)
            if key not in external_in and key not in incoming[p.id]:
                unproduced.append(ArtefactRef(p.id, name))
        for name in p.outputs:
            key = artefact_key(name)
            if key not in external_out and key not in outgoing[p.id]:
                unconsumed.append(ArtefactRef(p.id, name))
    return unproduced, unconsumed


# --------------------------------------------------------------------------- analysis


def analyse_flow(
    catalogue: Catalogue,
    *,
    arrival_rates: Mapping[str, float] | None = None,
    top: int = 10,
    max_loop_length: int = 4,
    max_cycles: int = 50,
) -> FlowAnalysis:
    """Analyse the process flow of a catalogue.

    Parameters
    ----------
    catalogue
        The catalogue; its processes' cycle times, arrival rates and capacities are used.
    arrival_rates
        Work items per hour by process id, overriding the processes' own
        ``arrival_rate``.
    top
        How many bottlenecks to report.
    max_loop_length, max_cycles
        Report the simple cycles of at most this many processes, and at most this many
        of them.

    Returns
    -------
    FlowAnalysis

    Notes
    -----
    *Loops* are the strongly connected components of two or more processes. The *critical
    path* is computed on the condensation, where each loop becomes one step whose cycle
    time is the sum of its members' (one pass through every member): it is the route with
    the largest total cycle time, and among equal times the one through most processes,
    so without any cycle times it is the longest chain of hand-offs. *Bottlenecks* rank
    processes by betweenness centrality, then by fan-in + fan-out; above
    :data:`~pmsm_core.processes.flow.EXACT_BETWEENNESS_LIMIT` processes betweenness is
    estimated from :data:`~pmsm_core.processes.flow.BETWEENNESS_SAMPLES` sampled sources
    with a fixed seed. *Loads* apply Little's law, L = λ W, to every process with an
    arrival rate and a cycle time.

    Raises
    ------
    ValidationError
        For arrival rates of unknown processes or rates that are not finite numbers >= 0.

    Examples
    --------
    >>> from pmsm_core.processes.catalog import load_catalogue
    >>> fa = analyse_flow(load_catalogue("pmbok6"))
    >>> fa.critical_path[0], fa.critical_path[-1]
    (('4.1',), ('4.7',))
    >>> [str(r) for r in fa.unproduced_inputs]
    []
    """
    import networkx as nx

    rates = _arrival_rates(catalogue, arrival_rates)
    _check_count("top", top, 0)
    _check_count("max_loop_length", max_loop_length, 1)
    _check_count("max_cycles", max_cycles, 0)
    graph = flow_graph(catalogue)
    simple = _simple(graph)
    index = catalogue._index
    order = sorted(simple.nodes, key=index.__getitem__)
    warnings: list[str] = []

    sources = [n for n in order if simple.in_degree(n) == 0 and simple.out_degree(n) > 0]
    sinks = [n for n in order if simple.out_degree(n) == 0 and simple.in_degree(n) > 0]
    isolated = [n for n in order if simple.degree(n) == 0]
    unproduced, unconsumed = _orphans(catalogue, graph)

    sccs = [sorted(c, key=index.__getitem__) for c in nx.strongly_connected_components(simple)]
    loops = []
    for members in sorted((c for c in sccs if len(c) > 1), key=lambda c: index[c[0]]):
        edges = nx.find_cycle(simple.subgraph(members), source=members[0])
        loops.append(FlowLoop(members, [u for u, _ in edges]))
    cycles = _short_cycles(simple, index, max_loop_length, max_cycles, warnings)

    cross = []
    for u, v, data in graph.edges(data=True):
        pu, pv = catalogue.process(u), catalogue.process(v)
        if pu.area and pv.area and pu.area != pv.area:
            cross.append(
                Handoff(
                    u,
                    v,
                    data["artefact"],
                    Provenance(data["provenance"]),
                    data["interface"],
                    from_area=pu.area_label,
                    to_area=pv.area_label,
                )
            )
    cross.sort(key=lambda h: (index[h.source], index[h.target], h.artefact))

    n = simple.number_of_nodes()
    exact = n <= EXACT_BETWEENNESS_LIMIT
    centrality = betweenness(simple, None if exact else BETWEENNESS_SAMPLES)
    if not exact:
        warnings.append(
            f"betweenness estimated from {BETWEENNESS_SAMPLES} sampled sources ({n} processes)"
        )
    ranked = sorted(
        (p for p in order if simple.degree(p)),
        key=lambda p: (-centrality[p], -simple.degree(p), index[p]),
    )
    bottlenecks = [
        Bottleneck(p, max(0.0, float(centrality[p])), simple.in_degree(p), simple.out_degree(p))
        for p in ranked[:top]
    ]

    path, minutes = _critical_path(catalogue, simple, sccs)
    elapsed = catalogue.cycle_time_elapsed
    missing = [p.id for p in catalogue.processes if p.cycle_time is None]
    if n and len(missing) == n:
        warnings.append("no process has a cycle time: the critical path is the longest chain")

    loads = []
    for p in catalogue.processes:
        rate = rates.get(p.id)
        if rate is None:
            continue
        if p.cycle_time is None:
            warnings.append(f"{p.id}: an arrival rate but no cycle time; Little's law needs both")
            continue
        loads.append(ProcessLoad.compute(p.id, rate, p.cycle_time, p.capacity))
    total_wip = math.fsum(load.wip for load in loads) if loads else None

    return FlowAnalysis(
        catalogue=catalogue.id,
        processes=n,
        handoffs=graph.number_of_edges(),
        sources=sources,
        sinks=sinks,
        isolated=isolated,
        unproduced_inputs=unproduced,
        unconsumed_outputs=unconsumed,
        loops=loops,
        cycles=cycles,
        cross_handoffs=cross,
        bottlenecks=bottlenecks,
        betweenness_exact=exact,
        critical_path=path,
        critical_path_time=Duration(minutes, elapsed=elapsed),
        missing_cycle_times=missing,
        loads=loads,
        total_wip=total_wip,
        warnings=warnings,
    )


def _check_count(name: str, value: object, low: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        msg = f"{name} must be a whole number >= {low}, got {value!r}"
        raise ValidationError(msg, path=name)


def betweenness(graph: nx.DiGraph, samples: int | None = None) -> dict[str, float]:
    """Normalised betweenness centrality of every node of a directed graph (Brandes).

    The share of shortest routes between ordered pairs of other nodes that pass through
    each node, divided by (n - 1)(n - 2). With ``samples`` the routes from that many
    source nodes, drawn with ``random.Random(0)``, estimate it: the sum is scaled by
    1 / (k (n - 2)) for nodes not drawn and by 1 / ((k - 1)(n - 2)) for those drawn. The
    values equal ``nx.betweenness_centrality(G, k=samples, normalized=True, seed=0)``;
    this version runs on integer adjacency lists, several times faster.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([("a", "b"), ("b", "c"), ("c", "d")])
    >>> betweenness(G) == nx.betweenness_centrality(G)
    True
    >>> betweenness(G)["b"]  # a->c and a->d pass through b, out of 3 x 2 pairs
    0.3333333333333333
    """
    import random
    from collections import deque

    order = list(graph.nodes)
    n = len(order)
    if n == 0:
        return {}
    position = {node: i for i, node in enumerate(order)}
    succ = [[position[w] for w in graph.successors(v)] for v in order]
    pred = [[position[w] for w in graph.predecessors(v)] for v in order]
    sources: list[int]
    if samples is None or samples >= n:
        sources, sampled = list(range(n)), False
    else:
        drawn = random.Random(0).sample(order, samples)  # noqa: S311 - reproducible, not secret
        sources, sampled = [position[v] for v in drawn], True
    total = [0.0] * n
    for s in sources:
        sigma = [0.0] * n
        dist = [-1] * n
        sigma[s], dist[s] = 1.0, 0
        visited = []
        queue = deque([s])
        while queue:
            v = queue.popleft()
            visited.append(v)
            dv, sv = dist[v] + 1, sigma[v]
            for w in succ[v]:
                if dist[w] < 0:
                    dist[w] = dv
                    queue.append(w)
                if dist[w] == dv:
                    sigma[w] += sv
        delta = [0.0] * n
        for w in reversed(visited):
            if w == s:
                continue
            dw = dist[w] - 1
            coeff = (1.0 + delta[w]) / sigma[w]
            for v in pred[w]:
                if dist[v] == dw:
                    delta[v] += sigma[v] * coeff
            total[w] += delta[w]
    if n <= 2:
        return dict(zip(order, total, strict=True))
    if not sampled:
        scale = 1 / ((n - 1) * (n - 2))
        return {v: t * scale for v, t in zip(order, total, strict=True)}
    k = len(sources)
    drawn_set = set(sources)
    on_source = 1 / ((k - 1) * (n - 2)) if k > 1 else math.nan
    off_source = 1 / (k * (n - 2))
    return {
        v: t * (on_source if i in drawn_set else off_source)
        for i, (v, t) in enumerate(zip(order, total, strict=True))
    }


def _arrival_rates(catalogue: Catalogue, overrides: Mapping[str, float] | None) -> dict[str, float]:
    rates = {p.id: p.arrival_rate for p in catalogue.processes if p.arrival_rate is not None}
    raw: object = overrides
    if raw is None:
        return rates
    if not isinstance(raw, Mapping):
        msg = f"arrival_rates must map process ids to rates, got {type(raw).__name__}"
        raise ValidationError(msg, path="arrival_rates")
    problems = []
    for pid, rate in raw.items():
        where = f"arrival_rates[{pid!r}]"
        if pid not in catalogue:
            problems.append(Problem(where, f"unknown process {pid!r} in {catalogue.id!r}"))
        elif (
            isinstance(rate, bool)
            or not isinstance(rate, int | float)
            or not math.isfinite(rate)
            or rate < 0
        ):
            problems.append(Problem(where, f"expected a finite number >= 0, got {rate!r}"))
        else:
            rates[pid] = float(rate)
    if problems:
        raise ValidationError(problems)
    return rates


def _short_cycles(
    simple: nx.DiGraph, index: Mapping[str, int], bound: int, limit: int, warnings: list[str]
) -> list[tuple[str, ...]]:
    import networkx as nx

    if limit == 0 or bound < 2:
        return []
    found = list(itertools.islice(nx.simple_cycles(simple, length_bound=bound), limit + 1))
    if len(found) > limit:
        found = found[:limit]
        warnings.append(f"more than {limit} cycles of up to {bound} processes; showing {limit}")
    out = []
    for cycle in found:
        start = min(range(len(cycle)), key=lambda i: index[cycle[i]])
        out.append(tuple(cycle[start:] + cycle[:start]))
    out.sort(key=lambda c: (len(c), [index[p] for p in c]))
    return out


def _critical_path(
    catalogue: Catalogue, simple: nx.DiGraph, sccs: list[list[str]]
) -> tuple[list[tuple[str, ...]], int]:
    """Longest route by (cycle time, processes) on the condensation of the flow."""
    if not sccs:
        return [], 0
    comp_of: dict[str, int] = {}
    for c, members in enumerate(sccs):
        for m in members:
            comp_of[m] = c
    weight = [
        sum((catalogue.process(m).cycle_time or Duration.ZERO).minutes for m in members)
        for members in sccs
    ]
    preds: list[set[int]] = [set() for _ in sccs]
    succs: list[set[int]] = [set() for _ in sccs]
    for u, v in simple.edges:
        cu, cv = comp_of[u], comp_of[v]
        if cu != cv:
            preds[cv].add(cu)
            succs[cu].add(cv)
    index = catalogue._index
    # Kahn's algorithm, ties broken by catalogue order for a stable answer.
    import heapq

    first = [index[members[0]] for members in sccs]
    waiting = [len(p) for p in preds]
    heap = [(first[c], c) for c in range(len(sccs)) if waiting[c] == 0]
    heapq.heapify(heap)
    best_time = [0] * len(sccs)
    best_count = [0] * len(sccs)
    back = [-1] * len(sccs)
    top = -1
    while heap:
        _, c = heapq.heappop(heap)
        t0, n0, b = 0, 0, -1
        for p in sorted(preds[c], key=first.__getitem__):
            if (best_time[p], best_count[p]) > (t0, n0):
                t0, n0, b = best_time[p], best_count[p], p
        best_time[c] = t0 + weight[c]
        best_count[c] = n0 + len(sccs[c])
        back[c] = b
        if top < 0 or (best_time[c], best_count[c]) > (best_time[top], best_count[top]):
            top = c
        for s in succs[c]:
            waiting[s] -= 1
            if waiting[s] == 0:
                heapq.heappush(heap, (first[s], s))
    path = []
    c = top
    while c >= 0:
        path.append(tuple(sccs[c]))
        c = back[c]
    path.reverse()
    return path, best_time[top]


# --------------------------------------------------------------------------- routes and what-if


def flow_paths(
    flow: Catalogue | nx.MultiDiGraph, source: str, target: str, *, limit: int = 10
) -> tuple[tuple[str, ...], ...]:
    """The routes from ``source`` to ``target`` through the flow, shortest first.

    Parameters
    ----------
    flow
        A catalogue, or a flow graph from :func:`flow_graph`.
    source, target
        Process ids.
    limit
        At most this many routes (simple paths, no process twice).

    Raises
    ------
    ValidationError
        For an unknown process id or a limit below 1.

    Examples
    --------
    >>> from pmsm_core.processes.catalog import load_catalogue
    >>> flow_paths(load_catalogue("itil2011"), "SO1", "ST7", limit=2)
    (('SO1', 'SO4', 'ST7'), ('SO1', 'SO2', 'SO4', 'ST7'))
    """
    import networkx as nx

    graph = flow_graph(flow) if isinstance(flow, Catalogue) else flow
    ends: list[tuple[str, object]] = [("source", source), ("target", target)]
    problems = [
        Problem(name, f"unknown process {value!r}")
        for name, value in ends
        if not isinstance(value, str) or value not in graph
    ]
    if problems:
        raise ValidationError(problems)
    _check_count("limit", limit, 1)
    if source == target:
        return ((source,),)
    simple = graph if not graph.is_multigraph() else _simple(graph)
    try:
        routes = itertools.islice(nx.shortest_simple_paths(simple, source, target), limit)
        return tuple(tuple(r) for r in routes)
    except nx.NetworkXNoPath:
        return ()


def _reach_bits(simple: nx.DiGraph, index: Mapping[str, int]) -> dict[str, int]:
    """Per node, a bit set (bit = catalogue index) of the other nodes it reaches."""
    import networkx as nx

    sccs = [list(c) for c in nx.strongly_connected_components(simple)]
    condensed = nx.condensation(simple, scc=sccs)
    bits = [0] * len(sccs)
    for c in reversed(list(nx.topological_sort(condensed))):
        value = 0
        for m in condensed.nodes[c]["members"]:
            value |= 1 << index[m]
        for s in condensed.successors(c):
            value |= bits[s]
        bits[c] = value
    mapping = condensed.graph["mapping"]
    return {n: bits[mapping[n]] & ~(1 << index[n]) for n in simple.nodes}


def what_if(
    catalogue: Catalogue,
    *,
    remove_processes: Iterable[str] = (),
    remove_handoffs: Iterable[str | tuple[str, str, str]] = (),
) -> WhatIf:
    """Say what breaks when processes or hand-offs are taken out of the flow.

    Parameters
    ----------
    catalogue
        The catalogue.
    remove_processes
        Ids of the processes to take out (with all their hand-offs).
    remove_handoffs
        Interface ids, or ``(source, target, artefact)`` triples for any hand-off.

    Raises
    ------
    ValidationError
        For ids or hand-offs that are not in the catalogue.

    Examples
    --------
    >>> from pmsm_core.processes.catalog import load_catalogue
    >>> w = what_if(load_catalogue("itil2011"), remove_handoffs=["I17"])
    >>> [str(r) for r in w.new_unproduced_inputs], w.lost_reachability > 0
    (["ST1: 'service design package'"], True)
    """
    remove_processes = (
        list(remove_processes) if not isinstance(remove_processes, str) else [remove_processes]
    )
    remove_handoffs = (
        list(remove_handoffs) if not isinstance(remove_handoffs, str) else [remove_handoffs]
    )
    before = flow_graph(catalogue)
    after = flow_graph(
        catalogue, exclude_processes=remove_processes, exclude_handoffs=remove_handoffs
    )
    index = catalogue._index
    kept = set(after.nodes)
    after_edges = set(after.edges(keys=True))
    removed_handoffs = []
    for u, v, k, data in before.edges(keys=True, data=True):
        if (u, v, k) not in after_edges:
            removed_handoffs.append(
                Handoff(
                    u,
                    v,
                    data["artefact"],
                    Provenance(data["provenance"]),
                    data["interface"],
                    from_area=before.nodes[u]["area"],
                    to_area=before.nodes[v]["area"],
                )
            )
    un0, uc0 = _orphans(catalogue, before)
    un1, uc1 = _orphans(catalogue, after)
    old_un, old_uc = set(un0), set(uc0)
    new_un = [r for r in un1 if r not in old_un]
    new_uc = [r for r in uc1 if r not in old_uc]
    simple0, simple1 = _simple(before), _simple(after)
    disconnected = [
        n
        for n in sorted(kept, key=index.__getitem__)
        if simple0.degree(n) > 0 and simple1.degree(n) == 0
    ]
    reach0 = _reach_bits(simple0, index)
    reach1 = _reach_bits(simple1, index)
    mask = 0
    for n in kept:
        mask |= 1 << index[n]
    pairs0 = pairs1 = 0
    lost: list[tuple[str, str]] = []
    ids = [p.id for p in catalogue.processes]
    for n in sorted(kept, key=index.__getitem__):
        r0 = reach0[n] & mask
        r1 = reach1[n]
        pairs0 += r0.bit_count()
        pairs1 += r1.bit_count()
        gone = r0 & ~r1
        while gone and len(lost) < 20:
            low = gone & -gone
            lost.append((n, ids[low.bit_length() - 1]))
            gone ^= low
    return WhatIf(
        removed_processes=sorted(set(remove_processes), key=index.__getitem__),
        removed_handoffs=removed_handoffs,
        new_unproduced_inputs=new_un,
        new_unconsumed_outputs=new_uc,
        disconnected=disconnected,
        reachable_pairs_before=pairs0,
        reachable_pairs_after=pairs1,
        lost_pairs=lost,
    )
