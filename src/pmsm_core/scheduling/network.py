"""The lean, integer-indexed CPM core that applications embed.

A :class:`Network` holds activity durations and links as numpy arrays. Times are integers
in one timeline: plain units for undated projects, working minutes of a single calendar for
dated ones (the domain-level :func:`~pmsm_core.schedule` converts). Every link type reduces
to one inequality on early starts::

    FS: ES[s] >= ES[p] + d[p] + lag        SS: ES[s] >= ES[p] + lag
    FF: ES[s] >= ES[p] + d[p] + lag - d[s]  SF: ES[s] >= ES[p] + lag - d[s]

so each link carries a weight ``w`` and the passes are longest-path computations on a DAG.

How it stays fast
-----------------
Activities are sorted into topological *levels* (no link inside a level) by a frontier
sweep, then renumbered so that each level is a contiguous block and the links into (and out
of) a level are contiguous slices of the link arrays. Wide levels are processed with a few
numpy calls each (``maximum.reduceat``); runs of narrow levels (long chains) with a plain
loop over the same slices, so deep and wide networks both cost about one pass over the
links. No networkx dictionaries are touched on this path.
"""

from __future__ import annotations

import contextlib
import enum
from collections.abc import Hashable, Sequence
from typing import TYPE_CHECKING, Any, Final

import attrs
import numpy as np
import numpy.typing as npt

from pmsm_core._util import no_gc
from pmsm_core.exceptions import CycleError, ValidationError

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

    from pmsm_core.model.project import Project
    from pmsm_core.scheduling.results import ScheduleOptions

__all__ = ["CPMResult", "ConstraintCode", "LinkCode", "Network"]

IntArray = npt.NDArray[np.int64]
AnyInt = npt.NDArray[np.signedinteger[Any]]
BoolArray = npt.NDArray[np.bool_]

#: Sentinel for "no value" in integer arrays (far outside any real time).
NONE: Final = np.iinfo(np.int64).min // 4
#: Largest magnitude accepted for durations and lags in the core.
MAX_TIME: Final = 10**12
#: Integer type of activity and link indices.
_INDEX: Final = np.int32
#: Levels with fewer links than this are processed by the scalar loop.
_THIN: Final = 96


class LinkCode(enum.IntEnum):
    """Integer codes of the four link types in the core arrays."""

    FS = 0
    SS = 1
    FF = 2
    SF = 3


class ConstraintCode(enum.IntEnum):
    """Integer codes of schedule constraints in the core arrays."""

    ASAP = 0
    ALAP = 1
    MSO = 2
    MFO = 3
    SNET = 4
    SNLT = 5
    FNET = 6
    FNLT = 7


_LINK_NAMES: Final = {"FS": 0, "SS": 1, "FF": 2, "SF": 3}


def _int_array(values: Any, name: str, *, size: int | None = None) -> IntArray:
    try:
        arr = np.asarray(values)
    except (ValueError, TypeError) as exc:
        msg = f"{name} must be an array of whole numbers: {exc}"
        raise ValidationError(msg, path=name) from None
    if arr.dtype == object or arr.dtype.kind not in "iub":
        if (
            arr.dtype.kind == "f"
            and arr.size
            and np.all(np.isfinite(arr))
            and np.all(arr == np.round(arr))
        ) or arr.size == 0:
            arr = arr.astype(np.int64)
        else:
            msg = f"{name} must hold whole numbers, got dtype {arr.dtype}"
            raise ValidationError(msg, path=name)
    arr = arr.astype(np.int64, copy=False).reshape(-1) if arr.ndim <= 1 else arr.astype(np.int64)
    if size is not None and arr.shape[0] != size:
        msg = f"{name} must have {size} entries, got {arr.shape[0]}"
        raise ValidationError(msg, path=name)
    if arr.size and int(np.abs(arr).max()) > MAX_TIME:
        msg = f"{name} values must lie within ±{MAX_TIME}"
        raise ValidationError(msg, path=name)
    return np.ascontiguousarray(arr)


def _link_code(value: Any) -> int | None:
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, str | np.str_):
        return _LINK_NAMES.get(str(value).upper())
    if isinstance(value, int | np.integer) and not isinstance(value, bool) and 0 <= int(value) <= 3:
        return int(value)
    return None


def _link_codes(values: Any, m: int) -> npt.NDArray[np.int8]:
    if values is None:
        return np.zeros(m, dtype=np.int8)
    arr = values if isinstance(values, np.ndarray) else np.asarray(list(values), dtype=object)
    arr = arr.reshape(-1)
    if arr.shape[0] != m:
        msg = f"link_types must have {m} entries, got {arr.shape[0]}"
        raise ValidationError(msg, path="link_types")
    if arr.dtype.kind in "iu":
        bad = np.flatnonzero((arr < 0) | (arr > 3))
        if bad.size:
            i = int(bad[0])
            msg = f"link_types[{i}]: expected 'FS', 'SS', 'FF', 'SF' or 0-3, got {arr[i]!r}"
            raise ValidationError(msg, path=f"link_types[{i}]")
        return arr.astype(np.int8)
    cache: dict[Any, int | None] = {}
    out = np.empty(m, dtype=np.int8)
    for i, v in enumerate(arr.tolist()):
        try:
            code = cache[v]
        except (KeyError, TypeError):
            code = _link_code(v)
            with contextlib.suppress(TypeError):
                cache[v] = code
        if code is None:
            msg = f"link_types[{i}]: expected 'FS', 'SS', 'FF', 'SF' or 0-3, got {v!r}"
            raise ValidationError(msg, path=f"link_types[{i}]")
        out[i] = code
    return out


@attrs.frozen(eq=False)
class CPMResult:
    """Arrays computed by :meth:`Network.cpm`, indexed like the network's activities.

    All times are integers in the network's timeline. ``start``/``finish`` are where each
    activity is placed (its late dates for ALAP activities, its early dates otherwise).

    Attributes
    ----------
    early_start, early_finish, late_start, late_finish : ndarray of int64
        Forward- and backward-pass dates.
    start_slack, finish_slack : ndarray of int64
        ``late_start - early_start`` and ``late_finish - early_finish``.
    total_float : ndarray of int64
        The smaller of the two slacks (Microsoft Project's Total Slack).
    free_float : ndarray of int64
        Delay possible without moving any successor's early date, floored at 0 and never
        more than the (non-negative part of the) total float.
    finish : int
        The project finish (latest early finish).
    driving : ndarray of bool
        Per link: True when it sets its successor's early start.
    """

    early_start: IntArray
    early_finish: IntArray
    late_start: IntArray
    late_finish: IntArray
    start_slack: IntArray
    finish_slack: IntArray
    total_float: IntArray
    free_float: IntArray
    finish: int
    start: IntArray
    placed_finish: IntArray
    driving: BoolArray
    logic_start: IntArray
    constraint_override: BoolArray

    def critical(self, threshold: int = 0) -> BoolArray:
        """Boolean mask of activities whose total float is at most ``threshold``."""
        mask: BoolArray = self.total_float <= threshold
        return mask


class Network:
    """An integer-indexed activity network: durations, links, constraints.

    Build it with :meth:`from_edges`, :meth:`from_networkx` or :meth:`from_project`;
    then call :meth:`cpm`.

    Parameters
    ----------
    durations
        One duration per activity (non-negative integers).
    predecessors, successors
        Link end points as activity indices.
    link_types
        Codes 0-3 for FS, SS, FF, SF (see :class:`~pmsm_core.scheduling.network.LinkCode`).
    lags
        Integer lags (negative for leads).
    ids
        Optional labels of the activities, used in error messages (cycles).

    Raises
    ------
    ValidationError
        On negative durations, indices out of range or self-links.
    CycleError
        When the links contain a cycle; the error lists one cycle in order.

    Examples
    --------
    >>> net = Network.from_edges([3, 2, 4], [(0, 1), (0, 2)], link_types=["FS", "SS"], lags=[0, 1])
    >>> result = net.cpm()
    >>> result.early_start.tolist(), result.finish
    ([0, 3, 1], 5)
    >>> result.total_float.tolist()
    [0, 0, 0]
    """

    __slots__ = (
        "_alap",
        "_blocks",
        "_caps",
        "_ctime",
        "_ctype",
        "_deadlines",
        "_fixed",
        "_floors",
        "_has_constraints",
        "_in_p",
        "_in_start",
        "_in_w",
        "_levels",
        "_new",
        "_order",
        "_out_s",
        "_out_start",
        "_out_w",
        "durations",
        "edge_in_pos",
        "edge_out_pos",
        "ids",
        "lags",
        "link_types",
        "n",
        "predecessors",
        "successors",
        "weights",
    )

    def __init__(
        self,
        durations: Any,
        predecessors: Any,
        successors: Any,
        link_types: Any = None,
        lags: Any = None,
        *,
        ids: Sequence[Hashable] | None = None,
    ) -> None:
        with no_gc():
            self.durations = _int_array(durations, "durations")
            n = self.n = int(self.durations.shape[0])
            if n and int(self.durations.min()) < 0:
                bad = int(np.flatnonzero(self.durations < 0)[0])
                msg = f"durations[{bad}] must not be negative, got {int(self.durations[bad])}"
                raise ValidationError(msg, path=f"durations[{bad}]")
            self.predecessors = _int_array(predecessors, "predecessors")
            m = int(self.predecessors.shape[0])
            self.successors = _int_array(successors, "successors", size=m)
            self.link_types = _link_codes(link_types, m)
            self.lags = np.zeros(m, np.int64) if lags is None else _int_array(lags, "lags", size=m)
            self.ids = list(ids) if ids is not None else None
            if self.ids is not None and len(self.ids) != n:
                msg = f"ids must have {n} entries, got {len(self.ids)}"
                raise ValidationError(msg, path="ids")
            if m:
                for name, arr in (
                    ("predecessors", self.predecessors),
                    ("successors", self.successors),
                ):
                    lo, hi = int(arr.min()), int(arr.max())
                    if lo < 0 or hi >= n:
                        bad = int(np.flatnonzero((arr < 0) | (arr >= n))[0])
                        msg = (
                            f"{name}[{bad}] = {int(arr[bad])} is not an activity index (0..{n - 1})"
                        )
                        raise ValidationError(msg, path=f"{name}[{bad}]")
                loops = np.flatnonzero(self.predecessors == self.successors)
                if loops.size:
                    i = int(loops[0])
                    label = self._label(int(self.predecessors[i]))
                    msg = f"link {i} joins activity {label} to itself"
                    raise ValidationError(msg, path=f"edges[{i}]")
            # indices fit in 32 bits: half the memory of the link arrays
            self.predecessors = self.predecessors.astype(_INDEX)
            self.successors = self.successors.astype(_INDEX)
            self._ctype = np.zeros(n, np.int8)
            self._ctime = np.zeros(n, np.int64)
            self._deadlines = np.full(n, NONE, np.int64)
            self._has_constraints = False
            self._compile()

    # ------------------------------------------------------------------ builders
    @classmethod
    def from_edges(
        cls,
        durations: Any,
        edges: Any,
        *,
        link_types: Any = None,
        lags: Any = None,
        ids: Sequence[Hashable] | None = None,
    ) -> Network:
        """Build a network from durations and ``(predecessor, successor)`` index pairs.

        ``edges`` may be a sequence of pairs or an ``(m, 2)`` numpy array; ``link_types``
        holds ``"FS"``/``"SS"``/``"FF"``/``"SF"`` strings or codes 0-3 (FS by default);
        ``lags`` holds integers (0 by default).

        Examples
        --------
        >>> import numpy as np
        >>> net = Network.from_edges(np.array([2, 3]), np.array([[0, 1]]))
        >>> net.cpm().early_finish.tolist()
        [2, 5]
        """
        try:
            pairs = np.asarray(edges, dtype=np.int64)
        except (ValueError, TypeError, OverflowError) as exc:
            msg = f"edges must be (predecessor, successor) index pairs: {exc}"
            raise ValidationError(msg, path="edges") from None
        if pairs.size == 0:
            pairs = np.zeros((0, 2), np.int64)
        if pairs.ndim != 2 or pairs.shape[1] != 2:
            msg = f"edges must be (predecessor, successor) index pairs, got shape {pairs.shape}"
            raise ValidationError(msg, path="edges")
        return cls(durations, pairs[:, 0], pairs[:, 1], link_types, lags, ids=ids)

    @classmethod
    def from_project(cls, project: Project, *, options: ScheduleOptions | None = None) -> Network:
        """Compile a :class:`~pmsm_core.Project` into the integer network that
        :func:`~pmsm_core.schedule` runs, for applications that reschedule it many times.

        Its activities are the project's leaves (``ids`` holds their activity ids, in
        project order); links to and from summaries become links between their leaves;
        constraints and deadlines come along. Times are plain units (undated projects) or
        working minutes of the project calendar counted from the project start, so
        ``cpm()`` gives the numbers behind :func:`~pmsm_core.schedule`'s dates (convert
        back with ``project.calendar``).

        Parameters
        ----------
        project
            A project timed by one calendar.
        options
            Scheduling options; only ``lag_calendar`` matters here.

        Raises
        ------
        SchedulingError
            When one integer timeline cannot represent the project: activities on their
            own calendars, elapsed lags, actual progress, or start-type links from a
            summary (their lags depend on dates). :func:`~pmsm_core.schedule` handles
            those with its calendar engine.

        Examples
        --------
        >>> from pmsm_core import Activity, Dependency, Duration, Project
        >>> p = Project(
        ...     "P",
        ...     activities=[Activity("A", duration=Duration(3)), Activity("B", duration=2)],
        ...     dependencies=[Dependency("A", "B")],
        ... )
        >>> net = Network.from_project(p)
        >>> net.ids, net.cpm().early_start.tolist()
        (['A', 'B'], [0, 3])
        """
        from pmsm_core.exceptions import SchedulingError
        from pmsm_core.scheduling.compile import compile_project
        from pmsm_core.scheduling.results import ScheduleOptions
        from pmsm_core.scheduling.schedule import _integer_network

        compiled = compile_project(project, options or ScheduleOptions())
        reasons = []
        if not compiled.single_calendar:
            reasons.append("activities on calendars of their own, or elapsed lags")
        if any(a.progress is not None and a.progress.started for a in project.activities):
            reasons.append("actual progress")
        if compiled.deferred:
            reasons.append("start-type links from summaries")
        if reasons:
            msg = (
                f"project {project.id!r} does not fit one integer timeline ({'; '.join(reasons)})"
                "; schedule() handles it with its calendar engine"
            )
            raise SchedulingError(msg)
        network, *_ = _integer_network(compiled)
        return network

    @classmethod
    def from_networkx(
        cls,
        G: nx.DiGraph,
        *,
        duration: str = "duration",
        link_type: str = "type",
        lag: str = "lag",
    ) -> Network:
        """Build a network from an ``nx.DiGraph`` with attributes on nodes and edges.

        Nodes need the ``duration`` attribute; edges may carry ``link_type`` (``"FS"``
        ... ; FS when absent) and ``lag`` (0 when absent). Activities are numbered in
        ``list(G)`` order and ``ids`` holds the node names.

        Examples
        --------
        >>> import networkx as nx
        >>> G = nx.DiGraph()
        >>> G.add_node("a", duration=2)
        >>> G.add_node("b", duration=1)
        >>> G.add_edge("a", "b", type="SS", lag=1)
        >>> Network.from_networkx(G).cpm().early_start.tolist()
        [0, 1]
        """
        nodes = list(G)
        index = {node: i for i, node in enumerate(nodes)}
        durations = []
        for node in nodes:
            value = G.nodes[node].get(duration)
            if value is None:
                msg = f"node {node!r} has no {duration!r} attribute"
                raise ValidationError(msg, path=f"nodes[{node!r}].{duration}")
            durations.append(value)
        preds, succs, types, lags = [], [], [], []
        for u, v, data in G.edges(data=True):
            preds.append(index[u])
            succs.append(index[v])
            types.append(data.get(link_type, "FS"))
            value = data.get(lag, 0)
            lags.append(0 if value is None else value)
        return cls(durations, preds, succs, types, lags, ids=nodes)

    def with_constraints(
        self,
        types: Any,
        times: Any,
        *,
        deadlines: Any = None,
    ) -> Network:
        """Return a copy with schedule constraints and deadlines.

        Parameters
        ----------
        types
            One :class:`~pmsm_core.scheduling.network.ConstraintCode` per activity (0 = ASAP).
        times
            The constraint date per activity in the network's timeline (ignored for ASAP
            and ALAP).
        deadlines
            Per-activity deadlines; ``NONE`` (or None for the whole array) for none.

        Examples
        --------
        >>> net = Network.from_edges([2, 3], [(0, 1)])
        >>> snet = net.with_constraints([0, ConstraintCode.SNET], [0, 4])
        >>> snet.cpm().early_start.tolist()
        [0, 4]
        """
        clone = object.__new__(Network)
        for name in Network.__slots__:
            object.__setattr__(clone, name, getattr(self, name))
        codes = _int_array(types, "constraint types", size=self.n)
        if codes.size and (int(codes.min()) < 0 or int(codes.max()) > 7):
            msg = "constraint types must be codes 0-7"
            raise ValidationError(msg, path="constraint_types")
        clone._ctype = codes.astype(np.int8)
        clone._ctime = _int_array(times, "constraint times", size=self.n)
        clone._deadlines = (
            np.full(self.n, NONE, np.int64)
            if deadlines is None
            else np.asarray(deadlines, dtype=np.int64).reshape(-1).copy()
        )
        if clone._deadlines.shape[0] != self.n:
            msg = f"deadlines must have {self.n} entries"
            raise ValidationError(msg, path="deadlines")
        clone._has_constraints = bool(codes.any() or (clone._deadlines != NONE).any())
        clone._prepare_constraints()
        return clone

    # ------------------------------------------------------------------ compile
    def _label(self, index: int) -> str:
        return repr(self.ids[index]) if self.ids is not None else str(index)

    def _compile(self) -> None:
        n = self.n
        p, s, d = self.predecessors, self.successors, self.durations
        t = self.link_types
        # one weight per link: ES[s] >= ES[p] + w
        w = self.lags.copy()
        from_finish = np.flatnonzero((t == LinkCode.FS) | (t == LinkCode.FF))
        w[from_finish] += d[p[from_finish]]
        del from_finish
        to_finish = np.flatnonzero((t == LinkCode.FF) | (t == LinkCode.SF))
        w[to_finish] -= d[s[to_finish]]
        del to_finish
        if w.size and int(np.abs(w).max()) < 2**31 - 1:
            w = w.astype(np.int32)  # half the memory; candidates are computed in int64
        self.weights = w
        by_p, p_start = _group(p, n)
        order, level_sizes = _topological_levels(n, s, by_p, p_start, self)
        new = np.empty(n, _INDEX)
        new[order] = np.arange(n, dtype=_INDEX)
        self._order, self._new = order, new
        self._levels = np.zeros(len(level_sizes) + 1, np.int64)
        np.cumsum(level_sizes, out=self._levels[1:])
        # links out of each activity, grouped by renumbered predecessor: the groups of the
        # original grouping, taken in topological order (no second sort needed)
        eout, self._out_start = _regroup(by_p, p_start, order)
        self.edge_out_pos = eout
        self._out_s = np.take(new, np.take(s, eout))
        self._out_w = np.take(w, eout)
        # links into each activity, grouped by renumbered successor
        by_s, s_start = _group(s, n)
        ein, self._in_start = _regroup(by_s, s_start, order)
        self.edge_in_pos = ein
        self._in_p = np.take(new, np.take(p, ein))
        self._in_w = np.take(w, ein)
        self._blocks = _blocks(self._levels, self._in_start, self._out_start)
        self._prepare_constraints()

    def _prepare_constraints(self) -> None:
        """Per renumbered activity: floors, caps and fixed starts of the forward pass."""
        order = self._order
        ctype, ctime = self._ctype[order], self._ctime[order]
        d = self.durations[order]
        floors = np.full(self.n, NONE, np.int64)
        caps = np.full(self.n, -NONE, np.int64)
        fixed = np.full(self.n, NONE, np.int64)
        floors = np.where(ctype == ConstraintCode.SNET, ctime, floors)
        floors = np.where(ctype == ConstraintCode.FNET, ctime - d, floors)
        caps = np.where(ctype == ConstraintCode.SNLT, ctime, caps)
        caps = np.where(ctype == ConstraintCode.FNLT, ctime - d, caps)
        fixed = np.where(ctype == ConstraintCode.MSO, ctime, fixed)
        fixed = np.where(ctype == ConstraintCode.MFO, ctime - d, fixed)
        self._floors, self._caps, self._fixed = floors, caps, fixed
        self._alap = ctype == ConstraintCode.ALAP

    # ------------------------------------------------------------------ queries
    @property
    def topological_order(self) -> IntArray:
        """Activity indices in a topological order (level by level)."""
        return self._order.copy()

    @property
    def depth(self) -> int:
        """Number of topological levels (the longest chain, counted in activities)."""
        return int(self._levels.shape[0] - 1)

    @property
    def constraint_types(self) -> npt.NDArray[np.int8]:
        """Per-activity :class:`~pmsm_core.scheduling.network.ConstraintCode` values."""
        return self._ctype.copy()

    # ------------------------------------------------------------------ passes
    def cpm(
        self,
        *,
        start: int = 0,
        finish: int | None = None,
        multiple_critical_paths: bool = False,
        honor_constraints: bool = True,
        fixed_starts: Any = None,
        earliest_starts: Any = None,
    ) -> CPMResult:
        """Run the forward and backward passes and compute floats.

        Parameters
        ----------
        start
            The project start; no activity starts earlier except by a hard constraint.
        finish
            Impose a project finish for the backward pass (default: the latest early
            finish).
        multiple_critical_paths
            Microsoft Project's option: an activity without successors gets its own early
            finish as late finish, so every chain shows its own critical path.
        honor_constraints
            Microsoft Project's "tasks will always honor their constraint dates": SNLT,
            FNLT, MSO and MFO beat logic (negative float shows the conflict). When False,
            logic wins and MSO/MFO act as start/finish-no-earlier-than.
        fixed_starts, earliest_starts
            Per-activity early starts that are fixed (progress: an actual start beats logic
            and constraints) or floors (no start before the status date); ``NONE`` where
            there is none. Used by :func:`~pmsm_core.schedule` for activities with progress.

        Returns
        -------
        CPMResult
            Arrays indexed like the network's activities.

        Examples
        --------
        >>> net = Network.from_edges([3, 2, 2], [(0, 2), (1, 2)])
        >>> r = net.cpm()
        >>> r.total_float.tolist(), r.free_float.tolist()
        ([0, 1, 0], [0, 1, 0])
        """
        with no_gc():
            return self._cpm(
                start,
                finish,
                multiple_critical_paths,
                honor_constraints,
                fixed_starts,
                earliest_starts,
            )

    def _cpm(
        self,
        start: int,
        finish: int | None,
        mcp: bool,
        honor: bool,
        fixed_starts: Any = None,
        earliest_starts: Any = None,
    ) -> CPMResult:
        n = self.n
        order = self._order
        d = self.durations[order]
        floors = np.maximum(self._floors, start)
        caps, fixed = self._caps, self._fixed
        if self._has_constraints and not honor:
            floors = np.where(fixed != NONE, np.maximum(floors, fixed), floors)
            caps = np.full(n, -NONE, np.int64)
            fixed = np.full(n, NONE, np.int64)
        has_caps = self._has_constraints and bool((caps != -NONE).any() or (fixed != NONE).any())
        if earliest_starts is not None:
            floors = np.maximum(floors, np.asarray(earliest_starts, np.int64).reshape(-1)[order])
        if fixed_starts is not None:
            progress = np.asarray(fixed_starts, np.int64).reshape(-1)[order]
            fixed = np.where(progress != NONE, progress, fixed)
            has_caps = has_caps or bool((progress != NONE).any())
        es, link_max = self._forward(floors, caps, fixed, has_caps, None, None)
        ef = es + d
        finish_value = int(ef.max()) if n else start
        if finish is not None:
            finish_value = int(finish)
        ls = self._backward(es, ef, d, finish_value, mcp)
        alap = self._alap
        if self._has_constraints and alap.any():
            es, link_max = self._forward(floors, caps, fixed, has_caps, ls, alap)
            ef = es + d
        lf = ls + d
        start_slack = ls - es
        finish_slack = lf - ef
        total = np.minimum(start_slack, finish_slack)
        placed_start = es
        if self._has_constraints and alap.any():
            # an ALAP activity has used up its float; negative float (a conflict) still shows
            start_slack = np.where(alap, np.minimum(start_slack, 0), start_slack)
            finish_slack = np.where(alap, np.minimum(finish_slack, 0), finish_slack)
            total = np.where(alap, np.minimum(total, 0), total)
            placed_start = np.where(alap, np.maximum(ls, es), es)
        free = self._free_float(placed_start, d, total)
        # driving links: the candidate equals the successor's logic maximum and its start
        src = placed_start
        cand = src[self._in_p] + self._in_w
        succ_of_in = np.repeat(np.arange(n, dtype=_INDEX), np.diff(self._in_start))
        driving_in = (cand == link_max[succ_of_in]) & (link_max[succ_of_in] == es[succ_of_in])
        driving = np.empty(driving_in.shape[0], dtype=bool)
        driving[self.edge_in_pos] = driving_in
        override = (link_max != NONE) & (es < link_max)
        inv = self._new

        def back(arr: Any) -> Any:
            return np.take(arr, inv)  # faster than arr[inv] for large gathers

        return CPMResult(
            early_start=back(es),
            early_finish=back(ef),
            late_start=back(ls),
            late_finish=back(lf),
            start_slack=back(start_slack),
            finish_slack=back(finish_slack),
            total_float=back(total),
            free_float=back(free),
            finish=finish_value,
            start=back(placed_start),
            placed_finish=back(placed_start + d),
            driving=driving,
            logic_start=back(link_max),
            constraint_override=back(override),
        )

    def _forward(
        self,
        floors: IntArray,
        caps: IntArray,
        fixed: IntArray,
        has_caps: bool,
        late: IntArray | None,
        alap: BoolArray | None,
    ) -> tuple[IntArray, IntArray]:
        n = self.n
        es = floors.copy()
        link_max = np.full(n, NONE, np.int64)
        in_p, in_w, in_start = self._in_p, self._in_w, self._in_start
        use_late = late is not None and alap is not None
        for kind, lo, hi in self._blocks:
            if kind:
                elo, ehi = int(in_start[lo]), int(in_start[hi])
                if ehi > elo:
                    preds = in_p[elo:ehi]
                    src = es[preds]
                    if use_late:
                        # an ALAP predecessor sits at its late start, never before its early one
                        src = np.where(alap[preds], np.maximum(late[preds], src), src)  # type: ignore[index]
                    cand = src + in_w[elo:ehi]
                    starts = in_start[lo:hi] - elo
                    has = in_start[lo + 1 : hi + 1] > in_start[lo:hi]
                    red = np.maximum.reduceat(cand, starts[has])
                    nodes = np.flatnonzero(has) + lo
                    link_max[nodes] = red
                    es[nodes] = np.maximum(es[nodes], red)
                if has_caps:
                    seg = slice(lo, hi)
                    es[seg] = np.minimum(es[seg], caps[seg])
                    es[seg] = np.where(fixed[seg] != NONE, fixed[seg], es[seg])
            else:
                _forward_scalar(
                    lo,
                    hi,
                    es,
                    link_max,
                    in_p,
                    in_w,
                    in_start,
                    caps,
                    fixed,
                    has_caps,
                    late if use_late else None,
                    alap if use_late else None,
                )
        return es, link_max

    def _backward(
        self, es: IntArray, ef: IntArray, d: IntArray, finish: int, mcp: bool
    ) -> IntArray:
        n = self.n
        out_s, out_w, out_start = self._out_s, self._out_w, self._out_start
        ls = finish - d
        if mcp:
            no_succ = out_start[1:] == out_start[:-1]
            ls = np.where(no_succ, np.minimum(ef, finish) - d, ls)
        order = self._order
        post = self._has_constraints
        if post:
            ctype, ctime = self._ctype[order], self._ctime[order]
            mso, mfo = ctype == ConstraintCode.MSO, ctype == ConstraintCode.MFO
            snlt, fnlt = ctype == ConstraintCode.SNLT, ctype == ConstraintCode.FNLT
            dl = self._deadlines[order]
            cap_ls = np.full(n, -NONE, np.int64)
            cap_ls = np.where(snlt, ctime, cap_ls)
            cap_ls = np.where(fnlt, ctime - d, cap_ls)
            cap_ls = np.where(dl != NONE, np.minimum(cap_ls, dl - d), cap_ls)
            set_ls = np.full(n, NONE, np.int64)
            set_ls = np.where(mso, ctime, set_ls)
            set_ls = np.where(mfo, ctime - d, set_ls)
        else:
            cap_ls = set_ls = np.empty(0, np.int64)
        for kind, lo, hi in reversed(self._blocks):
            if kind:
                elo, ehi = int(out_start[lo]), int(out_start[hi])
                if ehi > elo:
                    cand = ls[out_s[elo:ehi]] - out_w[elo:ehi]
                    starts = out_start[lo:hi] - elo
                    has = out_start[lo + 1 : hi + 1] > out_start[lo:hi]
                    red = np.minimum.reduceat(cand, starts[has])
                    nodes = np.flatnonzero(has) + lo
                    ls[nodes] = np.minimum(ls[nodes], red)
                if post:
                    seg = slice(lo, hi)
                    ls[seg] = np.minimum(ls[seg], cap_ls[seg])
                    ls[seg] = np.where(set_ls[seg] != NONE, set_ls[seg], ls[seg])
            else:
                _backward_scalar(lo, hi, ls, out_s, out_w, out_start, cap_ls, set_ls, post)
        return ls

    def _free_float(self, placed: IntArray, d: IntArray, total: IntArray) -> IntArray:
        n = self.n
        out_s, out_w, out_start = self._out_s, self._out_w, self._out_start
        free = np.maximum(total, 0)
        if out_s.shape[0]:
            pred = np.repeat(np.arange(n, dtype=_INDEX), np.diff(out_start))
            gap = placed[out_s] - placed[pred] - out_w
            has = out_start[1:] > out_start[:-1]
            red = np.minimum.reduceat(gap, out_start[:-1][has])
            # never more than the total float: a free float beyond it would move the finish
            free[has] = np.minimum(np.maximum(red, 0), free[has])
        return free

    def __repr__(self) -> str:
        return f"Network(n={self.n}, links={self.predecessors.shape[0]}, depth={self.depth})"


def _forward_scalar(
    lo: int,
    hi: int,
    es: IntArray,
    link_max: IntArray,
    in_p: AnyInt,
    in_w: AnyInt,
    in_start: AnyInt,
    caps: IntArray,
    fixed: IntArray,
    has_caps: bool,
    late: IntArray | None,
    alap: BoolArray | None,
) -> None:
    """Forward pass over activities ``lo..hi-1`` one by one (runs of thin levels)."""
    starts = in_start[lo : hi + 1].tolist()
    elo = starts[0]
    preds = in_p[elo : starts[-1]].tolist()
    weights = in_w[elo : starts[-1]].tolist()
    values = es.data
    lmax = link_max.data
    cap_v = caps.data if has_caps else None
    fix_v = fixed.data if has_caps else None
    late_v = late.data if late is not None else None
    alap_l = alap.view(np.uint8) if alap is not None else None
    alap_v = alap_l.data if alap_l is not None else None
    none = NONE
    for k, v in enumerate(range(lo, hi)):
        a, b = starts[k] - elo, starts[k + 1] - elo
        if b > a:
            best = none
            for e in range(a, b):
                p = preds[e]
                if late_v is not None and alap_v is not None and alap_v[p]:
                    c = max(late_v[p], values[p]) + weights[e]
                else:
                    c = values[p] + weights[e]
                best = max(best, c)
            lmax[v] = best
            values[v] = max(values[v], best)
        if cap_v is not None and fix_v is not None:
            values[v] = min(values[v], cap_v[v])
            if fix_v[v] != none:
                values[v] = fix_v[v]


def _backward_scalar(
    lo: int,
    hi: int,
    ls: IntArray,
    out_s: AnyInt,
    out_w: AnyInt,
    out_start: AnyInt,
    cap_ls: IntArray,
    set_ls: IntArray,
    post: bool,
) -> None:
    """Backward pass over activities ``hi-1..lo`` one by one."""
    starts = out_start[lo : hi + 1].tolist()
    elo = starts[0]
    succs = out_s[elo : starts[-1]].tolist()
    weights = out_w[elo : starts[-1]].tolist()
    values = ls.data
    cap_v = cap_ls.data if post else None
    set_v = set_ls.data if post else None
    none = NONE
    for k in range(hi - lo - 1, -1, -1):
        v = lo + k
        a, b = starts[k] - elo, starts[k + 1] - elo
        best = values[v]
        for e in range(a, b):
            c = values[succs[e]] - weights[e]
            best = min(best, c)
        if cap_v is not None and set_v is not None:
            best = min(best, cap_v[v])
            if set_v[v] != none:
                best = set_v[v]
        values[v] = best


def _blocks(
    levels: IntArray, in_start: IntArray, out_start: IntArray
) -> list[tuple[bool, int, int]]:
    """Group levels into blocks: a wide level alone (numpy), runs of thin levels (scalar)."""
    blocks: list[tuple[bool, int, int]] = []
    bounds = levels.tolist()
    in_counts = in_start[levels[1:]] - in_start[levels[:-1]]
    out_counts = out_start[levels[1:]] - out_start[levels[:-1]]
    sizes = levels[1:] - levels[:-1]
    wide = ((in_counts >= _THIN) | (out_counts >= _THIN) | (sizes >= _THIN)).tolist()
    run_lo: int | None = None
    for i, is_wide in enumerate(wide):
        lo, hi = bounds[i], bounds[i + 1]
        if is_wide:
            if run_lo is not None:
                blocks.append((False, run_lo, lo))
                run_lo = None
            blocks.append((True, lo, hi))
        elif run_lo is None:
            run_lo = lo
    if run_lo is not None:
        blocks.append((False, run_lo, bounds[-1]))
    return blocks


def _group(keys: IntArray, n: int) -> tuple[IntArray, IntArray]:
    """Stable permutation grouping links by ``keys`` (0..n-1), and the group offsets."""
    starts = np.zeros(n + 1, np.int64)
    np.cumsum(np.bincount(keys, minlength=n), out=starts[1:])
    return _stable_argsort(keys, n), starts


def _stable_argsort(keys: IntArray, n: int) -> IntArray:
    """``np.argsort(keys, kind="stable")`` for keys in 0..n-1, as 32-bit indices.

    numpy sorts 16-bit integers stably by radix sort and wider ones by timsort; two radix
    passes over the low and high 16 bits (least significant first) give the same
    permutation about twice as fast for large arrays.
    """
    if n <= 1 << 16:
        return np.argsort(keys.astype(np.uint16), kind="stable").astype(_INDEX)
    wide = keys.astype(np.uint32)
    first = np.argsort((wide & 0xFFFF).astype(np.uint16), kind="stable")
    high = (wide >> 16).astype(np.uint16)[first]
    out: IntArray = first[np.argsort(high, kind="stable")].astype(_INDEX)
    return out


def _regroup(perm: IntArray, starts: IntArray, order: IntArray) -> tuple[IntArray, IntArray]:
    """Concatenate the groups of a grouping in the given order of their keys."""
    a = starts[order]
    counts = starts[order + 1] - a
    new_starts = np.zeros(order.shape[0] + 1, np.int64)
    np.cumsum(counts, out=new_starts[1:])
    total = int(new_starts[-1])
    if total == 0:
        return np.zeros(0, _INDEX), new_starts
    idx = np.repeat(a - new_starts[:-1], counts)
    idx += np.arange(total, dtype=np.int64)
    return perm[idx], new_starts


def _topological_levels(
    n: int, s: IntArray, by_p: IntArray, out_start: IntArray, network: Network
) -> tuple[IntArray, list[int]]:
    """Sort activities into levels by a frontier sweep (Kahn's algorithm, level by level).

    Wide frontiers are processed with numpy, narrow ones with a scalar loop.

    Raises
    ------
    CycleError
        If some activities are never freed: they lie on or behind a cycle.
    """
    succ = s[by_p]
    indeg = np.bincount(s, minlength=n).astype(np.int64)
    stamp = np.zeros(n, np.int64)
    frontier = np.flatnonzero(indeg == 0)
    flat: list[int] = []
    sizes: list[int] = []
    done = 0
    deg_v = indeg.data
    succ_l: list[int] | None = None
    start_l: list[int] | None = None
    while frontier.shape[0]:
        a = out_start[frontier]
        cnt = out_start[frontier + 1] - a
        total = int(cnt.sum())
        if total < _THIN and frontier.shape[0] < _THIN:
            # narrow frontiers (chains): stay in a scalar loop until the frontier widens
            if succ_l is None or start_l is None:
                succ_l, start_l = succ.tolist(), out_start.tolist()
            current: list[int] = frontier.tolist()
            while current:
                flat.extend(current)
                sizes.append(len(current))
                done += len(current)
                ready: list[int] = []
                edges = 0
                for u in current:
                    lo, hi = start_l[u], start_l[u + 1]
                    edges += hi - lo
                    for e in range(lo, hi):
                        v = succ_l[e]
                        deg_v[v] -= 1
                        if deg_v[v] == 0:
                            ready.append(v)
                current = ready
                if edges >= _THIN or len(current) >= _THIN:
                    break
            frontier = np.asarray(current, dtype=np.int64)
            continue
        flat.extend(frontier.tolist())
        sizes.append(int(frontier.shape[0]))
        done += int(frontier.shape[0])
        if total == 0:
            break
        idx = np.repeat(a - (np.cumsum(cnt) - cnt), cnt) + np.arange(total, dtype=np.int64)
        targets = succ[idx]
        np.subtract.at(indeg, targets, 1)  # unbuffered: repeated targets count each time
        freed = targets[indeg[targets] == 0]
        # each freed activity once (it appears once per link from this level), without a
        # sort: the last position written for an activity keeps it
        rank = np.arange(freed.shape[0], dtype=np.int64)
        stamp[freed] = rank
        frontier = freed[stamp[freed] == rank]
    if done < n:
        raise _cycle_error(network.predecessors, s, indeg, network)
    return np.asarray(flat, dtype=_INDEX), sizes


def _cycle_error(p: IntArray, s: IntArray, indeg: IntArray, network: Network) -> CycleError:
    """Find one cycle among the activities left with incoming links."""
    left = indeg > 0
    keep = left[p] & left[s]
    adjacency: dict[int, list[int]] = {}
    for u, v in zip(p[keep].tolist(), s[keep].tolist(), strict=True):
        adjacency.setdefault(u, []).append(v)
    # every remaining node has a remaining predecessor, so walking predecessors must loop;
    # walk successors instead from any node: each remaining node with successors leads on
    color: dict[int, int] = {}
    for root in adjacency:
        if root in color:
            continue
        stack = [(root, iter(adjacency.get(root, ())))]
        path = [root]
        color[root] = 1
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                stack.pop()
                path.pop()
                color[node] = 2
                continue
            state = color.get(nxt, 0)
            if state == 1:
                cycle = path[path.index(nxt) :]
                labels = [str(network.ids[i]) if network.ids is not None else str(i) for i in cycle]
                return CycleError(labels)
            if state == 0:
                color[nxt] = 1
                path.append(nxt)
                stack.append((nxt, iter(adjacency.get(nxt, ()))))
    return CycleError([], "dependency cycle (could not isolate it)")
