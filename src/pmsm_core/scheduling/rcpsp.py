"""Resource-constrained scheduling on integer arrays: the engine behind :func:`~pmsm_core.level`.

The problem (RCPSP with generalised precedence): activities with integer durations and
per-resource demands, links that each give a lower bound ``S[s] >= S[p] + w`` (the weights
of :class:`~pmsm_core.Network`, so every link type and lag is covered), renewable resources
with a capacity, release times, optionally pinned activities (they keep their start and
their load) and latest starts. The objective is the makespan.

How it works
------------
Schedules are built in **batches**: ``B`` schedules advance together through a *schedule
generation scheme* (SGS). At step ``k`` every schedule of the batch picks one eligible
activity (all its predecessors placed) by a priority rule, plain or by regret-based biased
random sampling, and the earliest start that fits is found for all schedules at once on a
``(B, resources, horizon)`` array of free capacity: a boolean "fits at t" row per
schedule, a cumulative count of blocked periods, and the first ``t >= ES`` whose next
``d`` periods hold no blocked one.

* **Serial SGS**: the chosen activity goes to its earliest precedence- and
  resource-feasible start (active schedules).
* **Parallel SGS**: among the eligible activities, those that can start earliest (never
  before the previous decision time) compete, and the priority rule picks one
  (non-delay schedules).
* **Forward-backward improvement** (justification; Tormos & Lova 2001, Valls, Ballestín &
  Quintanilla 2005): the same serial SGS on the reversed network, taking activities by
  latest finish, shifts every activity right without lengthening the schedule; a forward
  pass by earliest start then shifts them left again, often shortening it.
* **Evolution**: after the first sampled and justified schedules (30 % of the budget), a
  genetic algorithm on activity lists (Hartmann's two-point crossover, swap mutation,
  binary tournaments, the 60 best distinct schedules kept) recombines the best ones in
  generations of 60 children. Half are decoded forward by the serial SGS and justified
  (three passes), half backward from their parents' finish order and shifted left (two
  passes); each child's justified start order becomes its activity list.

The defaults (LFT, serial, these sizes) were picked by measurement on PSPLIB j30: on the
56 instances the plain search missed, backward decoding, larger generations and the
genetic phase each lowered the deviation at 5,000 schedules (see
``benchmarks/bench_levelling.py`` for the tables on all 480).

A *schedule* in the counts is one SGS pass (forward or backward), as in the literature
(Hartmann & Kolisch 2000), so ``schedules=1000`` compares with published tables.

Time is an integer grid (the caller compresses it to the greatest common divisor of its
durations and lags). The horizon grows on demand and each step searches only up to the
schedules' frontier (the last finish placed), so memory and work stay near
``B x resources x makespan``.
"""

from __future__ import annotations

import enum
import math
import time
from collections.abc import Callable
from typing import Any, Final

import attrs
import numpy as np
import numpy.typing as npt

from pmsm_core.exceptions import SchedulingError, ValidationError
from pmsm_core.scheduling.network import NONE, Network

__all__ = [
    "Improvement",
    "PriorityRule",
    "RcpspResult",
    "ScheduleScheme",
    "solve_cp_sat",
    "solve_rcpsp",
]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

#: Cells of the ``(batch, resources, horizon)`` array a batch may use.
_CELLS: Final = 3_000_000
_EPS: Final = 1e-9


class PriorityRule(enum.Enum):
    """Classic priority rules of list scheduling (Kolisch 1996)."""

    LFT = "LFT"
    """Latest finish time first (CPM late finish)."""
    LST = "LST"
    """Latest start time first (CPM late start)."""
    MIN_SLACK = "MSLK"
    """Minimum slack first (late start minus the current earliest start)."""
    GRPW = "GRPW"
    """Greatest rank positional weight first (own duration plus the durations of the
    direct successors)."""
    MTS = "MTS"
    """Most total successors (all activities that follow, directly or not)."""
    RANDOM = "RANDOM"
    """No preference (sampling draws every eligible activity with equal chance; a single
    pass takes the lowest index)."""


class ScheduleScheme(enum.Enum):
    """Schedule generation schemes."""

    SERIAL = "serial"
    """Activity-incrementing (each activity goes to its earliest feasible start)."""
    PARALLEL = "parallel"
    """Time-incrementing (at each decision time, start what fits, by priority)."""


class Improvement(enum.Enum):
    """What is done with sampled schedules."""

    NONE = "none"
    """Keep the sampled schedules as they are."""
    JUSTIFY = "justify"
    """Forward-backward improvement (double justification) of every sampled schedule."""
    EVOLVE = "evolve"
    """Justification, then a genetic algorithm on the best justified schedules."""


@attrs.frozen(eq=False)
class RcpspResult:
    """The best schedule found by :func:`solve_rcpsp`.

    Attributes
    ----------
    starts
        Start of every activity (the network's indices).
    makespan
        Latest finish.
    overload
        Resource-units x time that could not be fitted (only with latest starts, else 0).
    forced
        Activities placed over capacity because no fitting start met their latest start.
    schedules
        Schedules generated (forward and backward passes each count).
    seconds
        Wall time.
    history
        ``(schedules generated, best makespan)`` after each batch.
    optimal
        True when CP-SAT proved the makespan minimal.
    lower_bound
        The best lower bound CP-SAT proved (None for the heuristic).
    """

    starts: IntArray
    makespan: int
    overload: float
    forced: npt.NDArray[np.bool_]
    schedules: int
    seconds: float
    history: tuple[tuple[int, int], ...] = ()
    optimal: bool = False
    lower_bound: int | None = None


# --------------------------------------------------------------------------- instance


@attrs.define
class _Direction:
    """Links of one direction padded to a rectangle: successors and weights per activity."""

    succ: npt.NDArray[np.intp]  # (n, m) successor indices, n = dummy
    weight: IntArray  # (n, m)
    npred: IntArray  # (n + 1,) unplaced predecessors at the start
    base_lb: IntArray  # (n + 1,) lower bounds at the start


class _Instance:
    """Arrays shared by every pass."""

    def __init__(
        self,
        network: Network,
        demands: Any,
        capacities: Any,
        release: Any,
        pinned: Any,
        latest: Any,
    ) -> None:
        n = network.n
        self.n = n
        d = network.durations.astype(np.int64)
        self.d = d
        cap = np.asarray(capacities, dtype=np.float64).reshape(-1)
        dem = np.asarray(demands, dtype=np.float64).reshape(n, -1) if n else np.zeros((0, cap.size))
        if dem.shape[1] != cap.shape[0]:
            msg = f"demands have {dem.shape[1]} resources, capacities {cap.shape[0]}"
            raise ValidationError(msg, path="demands")
        if dem.size and (not np.all(np.isfinite(dem)) or dem.min() < 0):
            msg = "demands must be finite and not negative"
            raise ValidationError(msg, path="demands")
        if cap.size and (not np.all(np.isfinite(cap)) or cap.min() < 0):
            msg = "capacities must be finite and not negative"
            raise ValidationError(msg, path="capacities")
        dem = np.where(d[:, None] > 0, dem, 0.0) if n else dem
        # resources that can never bind are dropped: no demand, or all demands together fit
        used = dem.sum(axis=0) > cap + _EPS if n else np.zeros(cap.shape[0], bool)
        self.resources = np.flatnonzero(used)
        dem, cap = dem[:, used], cap[used]
        too_big = dem > cap[None, :] + _EPS
        if too_big.any():
            j, k = (int(x[0]) for x in np.nonzero(too_big))
            raise _too_big(network, j, int(self.resources[k]), dem[j, k], cap[k])
        # integer arithmetic when the units allow it (PSPLIB, whole people, halves...)
        self.integral = False
        for scale in (1, 100, 10_000):
            sd, sc = dem * scale, cap * scale
            whole = np.all(np.abs(sd - np.round(sd)) < 1e-6) and np.all(
                np.abs(sc - np.round(sc)) < 1e-6
            )
            if whole and max(sc.max(initial=0), sd.max(initial=0)) < 2**30:
                dem, cap = np.round(sd), np.round(sc)
                self.integral = True
                self.scale = scale
                break
        dtype: Any = np.int32 if self.integral else np.float64
        self.dtype = dtype
        self.r = dem.astype(dtype)
        self.cap = cap.astype(dtype)
        self.k = int(cap.shape[0])
        self.uses = (self.r > 0).any(axis=1) if self.k else np.zeros(n, bool)
        # release times, pinned starts, latest starts
        self.release = _ints(release, n, 0)
        self.pinned = _ints(pinned, n, NONE)
        self.is_pinned = self.pinned != NONE
        self.latest = _ints(latest, n, -NONE)
        self.has_latest = bool((self.latest != -NONE).any())
        self.free_count = int(n - self.is_pinned.sum())
        # links
        P = network.predecessors.astype(np.int64)
        S = network.successors.astype(np.int64)
        W = network.weights.astype(np.int64)
        self.P, self.S, self.W = P, S, W
        self.fwd = self._direction(P, S, W, self.release)
        self.bwd = self._direction(S, P, W + d[S] - d[P], np.zeros(n, np.int64))
        # pinned load: the capacity left to the others, over the pinned span
        self.pin_end = 0
        if self.is_pinned.any():
            ends = self.pinned[self.is_pinned] + d[self.is_pinned]
            self.pin_end = int(max(0, ends.max()))
        self.pin_lo = int(min(0, self.pinned[self.is_pinned].min())) if self.is_pinned.any() else 0
        # a horizon no serial schedule exceeds (each activity starts at the latest when all
        # earlier ones are done, its links satisfied)
        extra = np.zeros(n + 1, np.int64)
        if P.size:
            np.maximum.at(extra, S, W - d[P])
        free = ~self.is_pinned
        self.bound = int(
            max(int(self.release.max(initial=0)), self.pin_end)
            + int((d[free] + extra[:n][free]).sum())
            + 1
        )
        self.lf, self.ls, self.es = self._cpm(network)

    def _direction(self, P: IntArray, S: IntArray, W: IntArray, release: IntArray) -> _Direction:
        n = self.n
        pinned = self.is_pinned
        out_deg = np.bincount(P, minlength=n) if P.size else np.zeros(n, np.int64)
        m = max(1, int(out_deg.max(initial=0)))
        succ = np.full((n + 1, m), n, dtype=np.intp)
        weight = np.zeros((n + 1, m), dtype=np.int64)
        if P.size:
            order = np.argsort(P, kind="stable")
            ps, ss, ws = P[order], S[order], W[order]
            first = np.zeros(n + 1, np.int64)
            np.cumsum(out_deg, out=first[1:])
            col = np.arange(ps.shape[0]) - first[ps]
            succ[ps, col] = ss
            weight[ps, col] = ws
        # placed predecessors at the start: the pinned ones
        live = ~pinned[P] if P.size else np.zeros(0, bool)
        npred = np.zeros(n + 1, np.int64)
        if P.size:
            np.add.at(npred, S[live], 1)
        base_lb = np.zeros(n + 1, np.int64)
        base_lb[:n] = release
        return _Direction(succ=succ, weight=weight, npred=npred, base_lb=base_lb)

    def _cpm(self, network: Network) -> tuple[IntArray, IntArray, IntArray]:
        if self.is_pinned.any() or (self.release != 0).any():
            types = np.where(self.is_pinned, 2, np.where(self.release != 0, 4, 0))
            times = np.where(self.is_pinned, self.pinned, self.release)
            net = network.with_constraints(types, times)
        else:
            net = network
        r = net.cpm()
        return r.late_finish, r.late_start, r.early_start

    def priorities(self, rule: PriorityRule) -> FloatArray:
        """Static priority values, smaller is more urgent."""
        n, d = self.n, self.d
        if rule is PriorityRule.LFT:
            return self.lf.astype(np.float64)
        if rule in (PriorityRule.LST, PriorityRule.MIN_SLACK):
            return self.ls.astype(np.float64)
        if rule is PriorityRule.GRPW:
            value = d.astype(np.float64).copy()
            np.add.at(value, self.P, d[self.S])
            return -value
        if rule is PriorityRule.MTS:
            return -_descendants(n, self.P, self.S).astype(np.float64)
        return np.zeros(n, np.float64)

    def base_free(self, horizon: int) -> npt.NDArray[Any]:
        """Free capacity per resource and period after the pinned activities (K, horizon)."""
        free = np.empty((self.k, horizon), self.dtype)
        free[:] = self.cap[:, None]
        for j in np.flatnonzero(self.is_pinned & self.uses):
            lo, hi = max(0, int(self.pinned[j])), min(horizon, int(self.pinned[j] + self.d[j]))
            if hi > lo:
                free[:, lo:hi] -= self.r[j][:, None]
        np.maximum(free, 0, out=free)
        return free


def _too_big(network: Network, j: int, k: int, need: float, cap: float) -> SchedulingError:
    label = repr(network.ids[j]) if network.ids is not None else str(j)
    msg = (
        f"activity {label} needs {need:g} units of resource {k} but only {cap:g} exist; "
        "no schedule can fit it (raise the capacity or lower the units)"
    )
    return SchedulingError(msg)


def _ints(values: Any, n: int, default: int) -> IntArray:
    if values is None:
        return np.full(n, default, np.int64)
    arr = np.asarray(values, dtype=np.int64).reshape(-1)
    if arr.shape[0] != n:
        msg = f"expected {n} values, got {arr.shape[0]}"
        raise ValidationError(msg)
    return arr.copy()


def _descendants(n: int, P: IntArray, S: IntArray) -> IntArray:
    """Number of activities reachable from each activity (bitsets as Python ints)."""
    succ: list[list[int]] = [[] for _ in range(n)]
    indeg = [0] * n
    for p, s in zip(P.tolist(), S.tolist(), strict=True):
        succ[p].append(s)
        indeg[s] += 1
    order = []
    stack = [i for i in range(n) if indeg[i] == 0]
    while stack:
        v = stack.pop()
        order.append(v)
        for s in succ[v]:
            indeg[s] -= 1
            if indeg[s] == 0:
                stack.append(s)
    reach = [0] * n
    for v in reversed(order):
        bits = 0
        for s in succ[v]:
            bits |= reach[s] | (1 << s)
        reach[v] = bits
    return np.asarray([r.bit_count() for r in reach], dtype=np.int64)


# --------------------------------------------------------------------------- the SGS


def _choose(
    eligible: npt.NDArray[np.bool_],
    prio: FloatArray,
    rng: np.random.Generator | None,
    alpha: float,
    greedy: int = 0,
) -> npt.NDArray[np.intp]:
    """Pick one eligible activity per row: the most urgent (ties: the lowest index), or by
    regret-based biased random sampling; the first ``greedy`` rows always take the most
    urgent."""
    key = np.where(eligible, prio, np.inf)
    if rng is None:
        best: npt.NDArray[np.intp] = np.argmin(key, axis=1)
        return best
    worst = np.where(eligible, prio, -np.inf).max(axis=1)
    weight = worst[:, None] - prio
    weight += 1.0
    if alpha != 1.0:
        weight **= alpha
    weight[~eligible] = 0.0
    cum = np.cumsum(weight, axis=1)
    u = rng.random(prio.shape[0]) * cum[:, -1]
    pick: npt.NDArray[np.intp] = np.argmax(cum > u[:, None], axis=1)
    if greedy:
        pick[:greedy] = np.argmin(key[:greedy], axis=1)
    return pick


class _Free:
    """The ``(B, K, H)`` free capacity of a batch, growing its horizon on demand."""

    def __init__(self, inst: _Instance, free: npt.NDArray[Any]) -> None:
        self.inst = inst
        self.free = free
        self.frontier = np.zeros(free.shape[0], np.int64)

    @property
    def horizon(self) -> int:
        return int(self.free.shape[2])

    def grow(self, at_least: int = 0) -> None:
        """Double the horizon (at least to ``at_least``): capacity is full beyond pins."""
        free = self.free
        B, K, H = free.shape
        extra = max(H, 8, at_least - H)
        more = self.inst.base_free(H + extra)[:, H:]
        self.free = np.concatenate([free, np.broadcast_to(more, (B, K, extra))], axis=2)

    def first_fit(
        self, sub: npt.NDArray[np.intp] | None, rj: npt.NDArray[Any], dj: IntArray, es: IntArray
    ) -> IntArray:
        """First ``t >= es`` per row where demand ``rj`` fits for ``dj`` periods.

        ``sub`` selects rows of the batch (one row may appear several times). Only the
        window from the smallest ``es`` to the latest ``max(es, frontier) + d`` is
        searched: beyond a row's frontier (the last finish placed) everything fits.
        """
        inst = self.inst
        front = self.frontier if sub is None else self.frontier[sub]
        hi = int((np.maximum(es, front) + dj).max(initial=0)) + 1
        if hi > self.horizon:
            self.grow(hi)
        lo = max(0, int(es.min())) if es.size else 0
        free = self.free[:, :, lo:hi] if sub is None else self.free[sub, :, lo:hi]
        B, K, H = free.shape
        dmax = int(dj.max(initial=0))
        width = H + dmax
        blocked = np.ones((B, width), bool)
        need = rj[:, :, None] - _EPS if not inst.integral else rj[:, :, None]
        if K:
            np.any(free < need, axis=1, out=blocked[:, :H])
        else:
            blocked[:, :H] = False
        count = np.zeros((B, width + 1), np.int32)
        np.cumsum(blocked, axis=1, out=count[:, 1:])
        t = np.arange(H)
        index = (np.arange(B) * (width + 1))[:, None] + t[None, :]
        good = count.ravel()[index + dj[:, None]] == count[:, :H]
        good &= t[None, :] >= (es - lo)[:, None]
        at = np.argmax(good, axis=1)
        found = good[np.arange(B), at]
        if not found.all():  # pragma: no cover - the frontier guarantees a fit
            msg = "internal error: no fitting start below the frontier"
            raise SchedulingError(msg)
        out: IntArray = at + lo
        return out

    def earliest(self, j: npt.NDArray[np.intp], es: IntArray, latest: IntArray | None) -> IntArray:
        """Earliest fitting start >= ``es`` of activity ``j[b]`` in each row; with latest
        starts, -1 where none is early enough."""
        s = self.first_fit(None, self.inst.r[j], self.inst.d[j], es)
        if latest is None:
            return s
        return np.where(s <= latest[j], s, -1)

    def take(self, s: IntArray, j: npt.NDArray[np.intp], *, clip: bool) -> FloatArray | None:
        """Use the capacity of activity ``j[b]`` started at ``s[b]``; with ``clip``, never
        below zero, returning the overload per row."""
        inst = self.inst
        dj = inst.d[j]
        end = int((s + dj).max(initial=0))
        if end > self.horizon:
            self.grow(end)
        np.maximum(self.frontier, s + dj, out=self.frontier)
        free = self.free
        H = free.shape[2]
        rel = np.arange(H)[None, :] - s[:, None]
        span = (rel >= 0) & (rel < dj[:, None])
        amount = span[:, None, :] * inst.r[j][:, :, None]
        if not clip:
            free -= amount
            return None
        over: FloatArray = np.maximum(amount - free, 0).sum(axis=(1, 2)).astype(np.float64)
        free -= amount
        np.maximum(free, 0, out=free)
        return over


def _sgs(
    inst: _Instance,
    direction: _Direction,
    prio: FloatArray,
    *,
    rng: np.random.Generator | None = None,
    alpha: float = 1.0,
    dynamic_slack: bool = False,
    parallel: bool = False,
    free: npt.NDArray[Any],
    fixed: IntArray | None = None,
    latest: IntArray | None = None,
    greedy: int = 0,
) -> tuple[IntArray, FloatArray, npt.NDArray[np.bool_]]:
    """Run one pass of the serial (or parallel) SGS for every row of ``prio``.

    ``free`` is the ``(B, K, H)`` free capacity (consumed; its horizon grows when a row
    needs a later start). ``fixed`` holds the per-row starts of pinned activities in this
    direction. Returns starts ``(B, n)``, the overload per row and the forced placements.
    """
    n = inst.n
    B = prio.shape[0]
    rows = np.arange(B)
    column = rows[:, None]
    done = n + 2  # an "unplaced predecessors" count that never reaches 0
    starts = np.zeros((B, n), np.int64)
    unplaced = np.broadcast_to(direction.npred, (B, n + 1)).copy()
    unplaced[:, n] = done
    lb = np.broadcast_to(direction.base_lb, (B, n + 1)).copy()
    overload = np.zeros(B, np.float64)
    forced = np.zeros((B, n), bool)
    succ, weight = direction.succ, direction.weight
    if fixed is not None:
        for pin in np.flatnonzero(inst.is_pinned).tolist():
            starts[:, pin] = fixed[:, pin]
            unplaced[:, pin] = done
            cand = fixed[:, pin : pin + 1] + weight[pin][None, :]
            lb[:, succ[pin]] = np.maximum(lb[:, succ[pin]], cand)
    capacity = _Free(inst, free)
    if fixed is not None and inst.is_pinned.any():
        ends = fixed[:, inst.is_pinned] + inst.d[inst.is_pinned][None, :]
        capacity.frontier = np.maximum(ends.max(axis=1), 0)
    tcur = np.zeros(B, np.int64)
    for _ in range(inst.free_count):
        eligible = unplaced[:, :n] == 0
        if parallel:
            j, s = _parallel_pick(capacity, eligible, prio, lb, tcur, rng, alpha, greedy)
            tcur = s
        else:
            p = prio - lb[:, :n] if dynamic_slack else prio
            j = _choose(eligible, p, rng, alpha, greedy)
            s = capacity.earliest(j, lb[rows, j], latest)
            if latest is not None:
                late = s < 0
                if late.any():
                    # nothing fits before the latest start: keep its logic start, over capacity
                    s = np.where(late, lb[rows, j], s)
                    forced[rows[late], j[late]] = True
        if inst.k:
            over = capacity.take(s, j, clip=latest is not None)
            if over is not None:
                overload += over
        starts[rows, j] = s
        unplaced[rows, j] = done
        sj = succ[j]
        lb[column, sj] = np.maximum(lb[column, sj], s[:, None] + weight[j])
        unplaced[column, sj] -= 1
    return starts, overload / (inst.scale if inst.integral else 1.0), forced


def _parallel_pick(
    capacity: _Free,
    eligible: npt.NDArray[np.bool_],
    prio: FloatArray,
    lb: IntArray,
    tcur: IntArray,
    rng: np.random.Generator | None,
    alpha: float,
    greedy: int,
) -> tuple[npt.NDArray[np.intp], IntArray]:
    """Parallel SGS step: the earliest start (not before the current decision time) of
    every eligible activity; among those that start first, the rule picks one."""
    inst = capacity.inst
    B, n = eligible.shape
    pb, pj = np.nonzero(eligible)
    es = np.maximum(lb[pb, pj], tcur[pb])
    e = capacity.first_fit(pb, inst.r[pj], inst.d[pj], es)
    emat = np.full((B, n), np.iinfo(np.int64).max, np.int64)
    emat[pb, pj] = e
    best = emat.min(axis=1)
    j = _choose(emat == best[:, None], prio, rng, alpha, greedy)
    return j, best


# --------------------------------------------------------------------------- drivers


def _forward_free(inst: _Instance, rows: int, horizon: int) -> npt.NDArray[Any]:
    base = inst.base_free(horizon)
    return np.broadcast_to(base, (rows, inst.k, horizon)).copy()


def _backward_free(inst: _Instance, makespan: IntArray, horizon: int) -> npt.NDArray[Any]:
    """Reversed free capacity per row: period tau is period ``makespan - 1 - tau``."""
    rows = makespan.shape[0]
    if not inst.is_pinned.any():
        return _forward_free(inst, rows, horizon)
    span = max(horizon, int(makespan.max()) + 1)
    base = inst.base_free(span)
    tau = np.arange(horizon)
    src = makespan[:, None] - 1 - tau[None, :]
    inside = (src >= 0) & (src < span)
    src = np.clip(src, 0, span - 1)
    out = np.empty((rows, inst.k, horizon), inst.dtype)
    for k in range(inst.k):
        out[:, k, :] = np.where(inside, base[k][src], inst.cap[k])
    return out


def _justify(inst: _Instance, starts: IntArray, horizon: int) -> tuple[IntArray, IntArray]:
    """Backward pass by latest finish, then forward pass by earliest start."""
    d = inst.d
    finish = starts + d
    makespan = finish.max(axis=1) if inst.n else np.zeros(starts.shape[0], np.int64)
    rows = starts.shape[0]
    # backward: reversed start = makespan - finish
    key = (makespan[:, None] - finish).astype(np.float64)
    fixed = None
    if inst.is_pinned.any():
        fixed = makespan[:, None] - (inst.pinned + d)[None, :]
    free = _backward_free(inst, makespan, horizon)
    rev, _, _ = _sgs(inst, inst.bwd, key, free=free, fixed=fixed)
    back = makespan[:, None] - rev - d[None, :]
    # forward by the justified starts
    fixed_f = np.broadcast_to(inst.pinned, (rows, inst.n)) if inst.is_pinned.any() else None
    fwd, _, _ = _sgs(
        inst,
        inst.fwd,
        back.astype(np.float64),
        free=_forward_free(inst, rows, horizon),
        fixed=fixed_f,
    )
    return back, fwd


def _makespan(inst: _Instance, starts: IntArray) -> IntArray:
    if inst.n == 0:
        return np.zeros(starts.shape[0], np.int64)
    out: IntArray = (starts + inst.d[None, :]).max(axis=1)
    return out


#: Population of the genetic algorithm, children per generation, mutation rate, and the
#: share of the budget spent on sampling the first population (picked on PSPLIB j30).
_POPULATION: Final = 60
_GENERATION: Final = 60
_MUTATION: Final = 0.05
_SAMPLING_SHARE: Final = 0.3
_BACKWARD_SHARE: Final = 0.5
#: Rows of a sampling batch at most (larger batches gain little and delay time checks).
_MAX_ROWS: Final = 512


class _Search:
    """The state of one search: the instance, the best schedule, the population."""

    def __init__(self, inst: _Instance, seed: int) -> None:
        self.inst = inst
        self.rng = np.random.default_rng(seed)
        self.best: tuple[float, int, int] | None = None
        self.best_starts = np.zeros(inst.n, np.int64)
        self.best_forced = np.zeros(inst.n, bool)
        self.best_over = 0.0
        self.done = 0
        self.history: list[tuple[int, int]] = []
        self.pop_keys: IntArray | None = None
        self.pop_fit: IntArray | None = None
        lf = int(inst.lf.max(initial=0))
        self.horizon = max(8, min(inst.bound, lf + int(inst.d.max(initial=0)) + 1))
        self.horizon = max(self.horizon, inst.pin_end + 1)
        self.rows_cap = max(1, min(_MAX_ROWS, _CELLS // max(1, inst.k * self.horizon)))

    def fixed(self, rows: int) -> IntArray | None:
        inst = self.inst
        if not inst.is_pinned.any():
            return None
        return np.broadcast_to(inst.pinned, (rows, inst.n)).copy()

    def free(self, rows: int) -> npt.NDArray[Any]:
        return _forward_free(self.inst, rows, self.horizon)

    def consider(self, starts: IntArray, over: FloatArray, forced: npt.NDArray[np.bool_]) -> None:
        """Keep the best row: least overload, then shortest, then earliest overall."""
        ms = _makespan(self.inst, starts)
        total = starts.sum(axis=1)
        i = int(np.lexsort((total, ms, over))[0])
        cand = (float(over[i]), int(ms[i]), int(total[i]))
        if self.best is None or cand < self.best:
            self.best = cand
            self.best_starts = starts[i].copy()
            self.best_forced = forced[i].copy()
            self.best_over = float(over[i])

    def sample(
        self,
        rows: int,
        prio: FloatArray,
        *,
        random: bool,
        rule: PriorityRule,
        scheme: ScheduleScheme,
        alpha: float,
        justify: bool,
    ) -> IntArray:
        """Sampled (or deterministic) forward passes, justified on request."""
        inst = self.inst
        starts, over, forced = _sgs(
            inst,
            inst.fwd,
            np.broadcast_to(prio, (rows, inst.n)),
            rng=self.rng if random else None,
            alpha=alpha,
            dynamic_slack=rule is PriorityRule.MIN_SLACK,
            parallel=scheme is ScheduleScheme.PARALLEL,
            free=self.free(rows),
            fixed=self.fixed(rows),
            latest=inst.latest if inst.has_latest else None,
            greedy=1 if self.done == 0 else 0,
        )
        self.done += rows
        self.consider(starts, over, forced)
        if justify:
            _, starts = _justify(inst, starts, self.horizon)
            self.done += 2 * rows
            self.consider(starts, over, forced)
        return starts

    def evolve(self, rows: int) -> IntArray:
        """One generation: children of the population, decoded and justified.

        Some children are decoded forward (serial SGS, then a backward and a forward
        justification pass), the others backward (the serial SGS on the reversed network
        from their parents' finish order, then a forward pass): three and two schedules.
        """
        inst = self.inst
        assert self.pop_keys is not None
        assert self.pop_fit is not None
        back_rows = _backward_rows(rows)
        fwd_rows = rows - back_rows
        out = []
        if fwd_rows:
            keys = _offspring(self.pop_keys, self.pop_fit, fwd_rows, self.rng)
            starts, _, _ = _sgs(
                inst, inst.fwd, keys, free=self.free(fwd_rows), fixed=self.fixed(fwd_rows)
            )
            _, starts = _justify(inst, starts, self.horizon)
            self.done += 3 * fwd_rows
            out.append(starts)
        if back_rows:
            finish = self.pop_keys + inst.d[None, :]
            keys = _offspring(-finish, self.pop_fit, back_rows, self.rng)
            frame = np.full(back_rows, inst.bound if inst.is_pinned.any() else 0, np.int64)
            fixed = None
            if inst.is_pinned.any():
                fixed = frame[:, None] - (inst.pinned + inst.d)[None, :]
            rev, _, _ = _sgs(
                inst,
                inst.bwd,
                keys,
                free=_backward_free(inst, frame, self.horizon),
                fixed=fixed,
            )
            order = (frame[:, None] - rev - inst.d[None, :]).astype(np.float64)
            starts, _, _ = _sgs(
                inst, inst.fwd, order, free=self.free(back_rows), fixed=self.fixed(back_rows)
            )
            self.done += 2 * back_rows
            out.append(starts)
        starts = np.concatenate(out)
        none = np.zeros(rows)
        self.consider(starts, none, np.zeros((rows, inst.n), bool))
        self.remember(starts)
        return starts

    def remember(self, starts: IntArray) -> None:
        """Merge justified schedules into the population."""
        ms = _makespan(self.inst, starts)
        if self.pop_keys is None or self.pop_fit is None:
            self.pop_keys, self.pop_fit = _select(starts[:0], ms[:0], starts, ms)
        else:
            self.pop_keys, self.pop_fit = _select(self.pop_keys, self.pop_fit, starts, ms)


def solve_rcpsp(
    network: Network,
    demands: Any,
    capacities: Any,
    *,
    release: Any = None,
    pinned: Any = None,
    latest: Any = None,
    schedules: int = 1000,
    seed: int = 0,
    time_limit: float | None = None,
    rule: PriorityRule = PriorityRule.LFT,
    scheme: ScheduleScheme = ScheduleScheme.SERIAL,
    improvement: Improvement = Improvement.EVOLVE,
    alpha: float = 1.0,
    progress: Callable[[int, int], None] | None = None,
) -> RcpspResult:
    """Find a short resource-feasible schedule of ``network`` (:func:`~pmsm_core.level`'s
    heuristic).

    Parameters
    ----------
    network
        Durations and links (every link type and lag, as weights ``S[s] >= S[p] + w``).
    demands
        ``(n, K)`` units each activity uses of each resource while it runs.
    capacities
        ``(K,)`` units of each resource available at any time.
    release
        Earliest start per activity (0 by default).
    pinned
        Start per activity that must not move (``NONE`` for free ones); its load counts.
        Links into a pinned activity are not enforced.
    latest
        Latest start per activity (``-NONE`` for none): an activity that cannot fit by
        then is placed at its logic start, over capacity, and flagged in
        :attr:`RcpspResult.forced`. The search then minimises the overload first and does
        no justification.
    schedules
        Schedules to generate (a forward or backward pass each). ``1`` applies ``rule``
        once, deterministically; more samples with regret-based biased random sampling.
    seed
        Seed of the random sampling: equal seeds give equal results.
    time_limit
        Stop after about this many seconds (checked between batches).
    rule, scheme
        Priority rule and schedule generation scheme of the sampled passes.
    improvement
        What is done with sampled schedules (see :class:`Improvement`).
    alpha
        Bias of the sampling: weights ``(regret + 1) ** alpha``.
    progress
        Called with ``(schedules done, schedules planned)`` after each batch.

    Returns
    -------
    RcpspResult

    Raises
    ------
    SchedulingError
        If an activity needs more of a resource than its capacity.

    Examples
    --------
    >>> net = Network.from_edges([2, 3, 2], [(0, 2)])
    >>> r = solve_rcpsp(net, [[1], [1], [1]], [1], schedules=10)
    >>> r.makespan, r.starts.tolist()
    (7, [0, 4, 2])
    """
    t0 = time.perf_counter()
    inst = _Instance(network, demands, capacities, release, pinned, latest)
    search = _Search(inst, seed)
    prio = inst.priorities(rule)
    random = schedules > 1 and inst.k > 0
    if inst.has_latest:  # overload first: no justification, serial passes only
        improvement = Improvement.NONE
        scheme = ScheduleScheme.SERIAL
    if not random:
        schedules = 1
    justify = random and improvement is not Improvement.NONE and schedules >= 3
    evolve = justify and improvement is Improvement.EVOLVE
    per_sample = 3 if justify else 1
    sampling_budget = math.ceil(_SAMPLING_SHARE * schedules) if evolve else schedules
    while search.done < schedules:
        if time_limit is not None and search.done and time.perf_counter() - t0 > time_limit:
            break
        left = schedules - search.done
        if left < per_sample:
            break
        if evolve and search.done >= sampling_budget:
            rows = min(_GENERATION, left // 2)
            while rows > 1 and _generation_cost(rows) > left:
                rows -= 1
            if _generation_cost(rows) > left:
                break
            search.evolve(rows)
        else:
            budget = (sampling_budget if evolve else schedules) - search.done
            rows = max(1, min(search.rows_cap, budget // per_sample, left // per_sample))
            starts = search.sample(
                rows,
                prio,
                random=random,
                rule=rule,
                scheme=scheme,
                alpha=alpha,
                justify=justify,
            )
            if evolve:
                search.remember(starts)
        assert search.best is not None
        search.history.append((search.done, search.best[1]))
        if progress is not None:
            progress(min(search.done, schedules), schedules)
    assert search.best is not None
    return RcpspResult(
        starts=search.best_starts,
        makespan=search.best[1],
        overload=search.best_over,
        forced=search.best_forced,
        schedules=search.done,
        seconds=time.perf_counter() - t0,
        history=tuple(search.history),
    )


def _backward_rows(rows: int) -> int:
    """Children of a generation decoded backward."""
    return int(rows * _BACKWARD_SHARE + 0.5)


def _generation_cost(rows: int) -> int:
    """Schedules a generation of ``rows`` children costs (3 forward, 2 backward each)."""
    back = _backward_rows(rows)
    return 3 * (rows - back) + 2 * back


def _select(
    keys: IntArray, fit: IntArray, new: IntArray, new_fit: IntArray
) -> tuple[IntArray, IntArray]:
    """Keep the best distinct schedules (by makespan, then total start)."""
    allk = np.concatenate([keys, new])
    allf = np.concatenate([fit, new_fit])
    total = allk.sum(axis=1)
    order = np.lexsort((total, allf))
    allk, allf = allk[order], allf[order]
    _, first = np.unique(allk, axis=0, return_index=True)
    first.sort()
    first = first[:_POPULATION]
    return allk[first], allf[first]


def _offspring(keys: IntArray, fit: IntArray, rows: int, rng: np.random.Generator) -> FloatArray:
    """Children of the population: two-point crossover of activity lists, swap mutation.

    Parents are picked by binary tournaments on makespan; each parent's activity list is
    its activities in order of start. A child takes the first ``q1`` activities of the
    mother's list, the next ``q2 - q1`` of the father's list that are not taken yet, then
    the rest in the mother's order (Hartmann 1998). The result is returned as keys (list
    positions) for the serial SGS, which takes the eligible activity with the smallest key.
    """
    P, n = keys.shape
    a, b = rng.integers(0, P, rows), rng.integers(0, P, rows)
    mother = np.where(fit[a] <= fit[b], a, b)
    a, b = rng.integers(0, P, rows), rng.integers(0, P, rows)
    father = np.where(fit[a] <= fit[b], a, b)
    tie = np.arange(n)[None, :] * (1.0 / (n + 1))
    pos_m = np.argsort(np.argsort(keys[mother] + tie, axis=1), axis=1)
    pos_f = np.argsort(np.argsort(keys[father] + tie, axis=1), axis=1)
    q1 = rng.integers(0, n + 1, rows)
    q2 = rng.integers(0, n + 1, rows)
    q1, q2 = np.minimum(q1, q2), np.maximum(q1, q2)
    from_m1 = pos_m < q1[:, None]
    rank_f = _rank_among(pos_f, ~from_m1)
    from_f = ~from_m1 & (rank_f < (q2 - q1)[:, None])
    rank_m = _rank_among(pos_m, ~(from_m1 | from_f))
    key = np.where(
        from_m1, pos_m, np.where(from_f, q1[:, None] + rank_f, q2[:, None] + rank_m)
    ).astype(np.float64)
    # mutation: an activity swaps places with the next one in the list
    key += (rng.random((rows, n)) < _MUTATION) * 1.5
    return key


def _rank_among(pos: IntArray, mask: npt.NDArray[np.bool_]) -> IntArray:
    """Rank of each masked activity among the masked ones, in the order ``pos``."""
    order = np.argsort(pos, axis=1)
    taken = np.take_along_axis(mask, order, axis=1)
    rank = np.cumsum(taken, axis=1) - 1
    out = np.empty_like(rank)
    np.put_along_axis(out, order, rank, axis=1)
    return out


# --------------------------------------------------------------------------- CP-SAT


def solve_cp_sat(
    network: Network,
    demands: Any,
    capacities: Any,
    *,
    release: Any = None,
    pinned: Any = None,
    latest: Any = None,
    hint: RcpspResult | None = None,
    time_limit: float = 30.0,
    seed: int = 0,
    workers: int = 1,
) -> RcpspResult:
    """Solve the same problem exactly with Google OR-Tools' CP-SAT (``ortools`` extra).

    A time-indexed-free model: one interval per activity, one cumulative constraint per
    resource, one inequality per link, the makespan minimised. ``hint`` (a heuristic
    result) gives the horizon and a first solution. The answer is left-justified by a
    serial SGS pass in the solver's start order, so every activity starts as early as the
    solver's sequence allows. With ``latest`` the latest starts are hard; when they cannot
    all be met, the hint is returned.

    Returns
    -------
    RcpspResult
        ``optimal`` is True when the solver proved the makespan minimal; ``lower_bound``
        is the best bound it proved.

    Raises
    ------
    MissingExtraError
        Without the ``ortools`` extra.

    Examples
    --------
    >>> net = Network.from_edges([2, 3, 2], [(0, 2)])
    >>> r = solve_cp_sat(net, [[1], [1], [1]], [1])
    >>> r.makespan, r.optimal
    (7, True)
    """
    from pmsm_core._util import require

    require("ortools", "ortools")
    from ortools.sat.python import cp_model

    t0 = time.perf_counter()
    inst = _Instance(network, demands, capacities, release, pinned, latest)
    if not inst.integral:
        msg = "method='cp-sat' needs assignment units and capacities in steps of 0.0001"
        raise ValidationError(msg, path="units")
    if hint is None:
        hint = solve_rcpsp(
            network,
            demands,
            capacities,
            release=release,
            pinned=pinned,
            latest=latest,
            schedules=1,
        )
    n, d = inst.n, inst.d.tolist()
    horizon = max(int(hint.makespan), inst.pin_end, 1)
    if inst.has_latest:
        horizon = max(horizon, int(inst.bound))
    model = cp_model.CpModel()
    start_vars: list[Any] = []
    for j in range(n):
        if inst.is_pinned[j]:
            start_vars.append(model.new_constant(int(inst.pinned[j])))
            continue
        lo = int(inst.release[j])
        hi = max(lo, horizon - d[j])
        if inst.has_latest and inst.latest[j] != -NONE:
            hi = min(hi, int(inst.latest[j]))
        if hi < lo:
            return attrs.evolve(hint, seconds=time.perf_counter() - t0)
        start_vars.append(model.new_int_var(lo, hi, f"s{j}"))
    pinned_mask = inst.is_pinned
    for p, s, w in zip(inst.P.tolist(), inst.S.tolist(), inst.W.tolist(), strict=True):
        if pinned_mask[s]:
            continue
        model.add(start_vars[s] >= start_vars[p] + w)
    r = inst.r.astype(np.int64)
    cap = inst.cap.astype(np.int64)
    for k in range(inst.k):
        intervals, used = [], []
        for j in np.flatnonzero((r[:, k] > 0) & (inst.d > 0)).tolist():
            intervals.append(model.new_fixed_size_interval_var(start_vars[j], d[j], f"i{j}_{k}"))
            used.append(int(r[j, k]))
        if intervals:
            model.add_cumulative(intervals, used, int(cap[k]))
    makespan = model.new_int_var(0, max(horizon, inst.pin_end) + int(max(d, default=0)), "makespan")
    for j in range(n):
        model.add(makespan >= start_vars[j] + d[j])
    model.minimize(makespan)
    for j in range(n):
        if not pinned_mask[j]:
            model.add_hint(start_vars[j], int(hint.starts[j]))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = float(time_limit)
    solver.parameters.num_workers = int(workers)
    solver.parameters.random_seed = int(seed)
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return attrs.evolve(hint, seconds=time.perf_counter() - t0)
    starts = np.asarray([solver.value(v) for v in start_vars], dtype=np.int64)
    # left-justify: a serial pass in the solver's start order never starts anything later
    rows = 1
    fixed = np.broadcast_to(inst.pinned, (rows, n)).copy() if inst.is_pinned.any() else None
    search = _Search(inst, seed)
    again, _, _ = _sgs(
        inst, inst.fwd, starts[None, :].astype(np.float64), free=search.free(rows), fixed=fixed
    )
    if not inst.has_latest and _makespan(inst, again)[0] <= _makespan(inst, starts[None, :])[0]:
        starts = again[0]
    optimal = status == cp_model.OPTIMAL
    value = int(_makespan(inst, starts[None, :])[0])
    return RcpspResult(
        starts=starts,
        makespan=value,
        overload=0.0,
        forced=np.zeros(n, bool),
        schedules=hint.schedules,
        seconds=time.perf_counter() - t0,
        history=hint.history,
        optimal=optimal,
        lower_bound=value if optimal else int(solver.best_objective_bound),
    )
