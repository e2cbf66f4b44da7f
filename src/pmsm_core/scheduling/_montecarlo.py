"""The Monte Carlo kernel of schedule risk analysis (private; see :mod:`.risk`).

A :class:`RiskModel` is a project compiled once into plain numpy arrays (picklable, so
that executors can ship it to other processes). :func:`run_chunk` samples durations for
a range of *blocks* of iterations and runs the CPM passes on all of them at once, with one
row per activity and one column per iteration.

Layout and speed
----------------
Activities are renumbered level by level (topological levels), and within a level by
decreasing number of predecessors. The forward pass then treats the ``j``-th incoming
link of every activity of a level together (a *slot*): the activities with more than
``j`` predecessors are a prefix of the level, so each slot is one gather of predecessor
rows and one in-place ``maximum`` on a slice. The backward pass runs on late finishes in
its own order (level by level, most successors first), so that its slots are prefixes
too. Times are float64 working minutes (or units); whole-number inputs give whole-number
results exactly, so fixed durations reproduce the integer CPM engine.

Random numbers
--------------
Iteration ``i`` belongs to block ``i // BLOCK``. Each block draws from its own streams,
``SeedSequence(entropy, spawn_key=(block, purpose))`` for the purposes durations,
correlation scores and risk events, and always draws a whole block. So an iteration's
random numbers depend only on the seed and its index: chunking and executors only decide
which process computes which blocks, and results are bit-identical whatever they are.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Final

import attrs
import numpy as np
import numpy.typing as npt

__all__ = [
    "BLOCK",
    "ChunkResult",
    "RiskModel",
    "Workspace",
    "passes",
    "pct_lags",
    "run_chunk",
    "sample_block",
    "workspace",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]
BoolArray = npt.NDArray[np.bool_]

#: Iterations per block: the unit of random streams (and of the Iman-Conover reordering).
BLOCK: Final = 1024
#: Budget of the early-date array of one window of columns, in bytes (twice as
#: much for networks of narrow levels, see :func:`pass_columns`).
PASS_BYTES: Final = 4 * 2**20
#: Purposes of the per-block random streams.
_DURATIONS, _SCORES, _EVENTS = 0, 1, 2


@attrs.define(eq=False)
class Slot:
    """The ``j``-th link of each activity of a level that has more than ``j`` links.

    ``rows`` are the activities updated (always the first ones of their level; forward:
    early starts of successors, backward: late finishes of predecessors),
    ``src`` the rows of the stacked time array the candidates come from, ``lag`` the
    constant lags (None when all zero), ``sub_d`` positions whose candidate loses the
    duration of ``sub_rows`` (forward: FF/SF links lose the successor's duration;
    backward: SS/SF links gain the predecessor's; ``sub_all`` when every link does),
    ``pct`` positions with percent lags (fraction, predecessor row, and the calibration
    ``num / den`` of their length).
    """

    rows: IntArray
    src: IntArray
    lag: FloatArray | None
    sub_d: IntArray | None
    sub_rows: IntArray | None
    sub_all: bool
    pct_pos: IntArray | None
    pct_frac: FloatArray | None
    pct_pred: IntArray | None
    pct_num: FloatArray | None
    pct_den: FloatArray | None

    #: Number of links (and of activities updated).
    size: int = attrs.field(init=False, default=0)

    def __attrs_post_init__(self) -> None:
        self.size = int(self.rows.shape[0])


@attrs.define(eq=False)
class Level:
    """One topological level: activities ``lo..hi-1`` and their link slots.

    Forward slots and the ``cap``/``fix`` constraints (on early starts; ``*_sub_d`` marks
    finish constraints, which lose the duration) use forward row numbers; backward slots
    and the ``l*`` constraints (on late finishes; ``*_sub_d`` marks start constraints,
    which gain the duration) backward row numbers. Both orders hold the same activities
    in ``lo..hi-1``.
    """

    lo: int
    hi: int
    forward: list[Slot]
    backward: list[Slot]
    # forward constraint ops (rows are absolute): caps, fixed starts
    cap_rows: IntArray | None = None
    cap_time: FloatArray | None = None
    cap_sub_d: BoolArray | None = None
    fix_rows: IntArray | None = None
    fix_time: FloatArray | None = None
    fix_sub_d: BoolArray | None = None
    # backward constraint ops (rows in backward order): caps, deadlines, fixed late finishes
    lcap_rows: IntArray | None = None
    lcap_time: FloatArray | None = None
    lcap_sub_d: BoolArray | None = None
    ldl_rows: IntArray | None = None
    ldl_time: FloatArray | None = None
    ldl_sub_d: BoolArray | None = None
    lset_rows: IntArray | None = None
    lset_time: FloatArray | None = None
    lset_sub_d: BoolArray | None = None


@attrs.define(eq=False)
class Sampler:
    """How one group of activities (rows) draws durations."""

    kind: str
    rows: IntArray
    a: FloatArray
    b: FloatArray
    c: FloatArray
    table: FloatArray | None = None
    sizes: FloatArray | None = None


@attrs.define(eq=False)
class RiskEvent:
    """A risk from the register: when it occurs, durations of ``rows`` change."""

    probability: float
    rows: IntArray
    factor: float
    add: float


@attrs.define(eq=False)
class RiskModel:
    """A project compiled for simulation.

    Rows are activities in *forward order* (level by level, most predecessors first);
    the backward pass uses *backward order* (level by level, most successors first):
    backward row ``i`` is forward row ``perm[i]``, and ``inv_perm`` maps back.

    Progress: sampled durations are the work still to schedule. Rows ``prog_rows`` (in
    progress, uncertain) draw a total duration and keep ``prog_num / prog_den`` of it
    (remaining / planned); started rows without uncertainty hold their remaining (or,
    complete, actual) duration in ``base``. ``pinned_rows`` (complete) last ``pinned_d``
    on the project calendar whatever their own duration, ``complete_rows`` are never
    critical, and ``done`` (work done, own time) is added to reported durations. Fixed
    starts of started rows are their ``floor`` (no links lead into them).
    """

    n: int
    ids: list[str]
    old_of_new: IntArray
    new_of_old: IntArray
    perm: IntArray
    inv_perm: IntArray
    levels: list[Level]
    depth: int
    base: FloatArray
    scale_rows: IntArray | None
    scale_num: FloatArray | None
    scale_den: FloatArray | None
    floor: FloatArray
    floor_var_rows: IntArray | None
    floor_var_time: FloatArray | None
    no_successor: IntArray | None
    no_successor_back: IntArray | None
    alap: IntArray | None
    alap_back: IntArray | None
    samplers: list[Sampler]
    events: list[RiskEvent]
    corr_rows: IntArray | None
    corr_chol: FloatArray | None
    deadline_rows: list[IntArray]
    deadline_time: FloatArray
    threshold: float
    entropy: int
    iterations: int
    detail: int
    honor: bool = True
    multiple_critical_paths: bool = False
    widest_slot: int = 0
    fixed_rows: IntArray | None = None
    prog_rows: IntArray | None = None
    prog_num: FloatArray | None = None
    prog_den: FloatArray | None = None
    pinned_rows: IntArray | None = None
    pinned_d: FloatArray | None = None
    complete_rows: IntArray | None = None
    done: FloatArray | None = None

    @property
    def blocks(self) -> int:
        """Number of blocks of iterations (the last one may be partial)."""
        return -(-self.iterations // BLOCK)


@attrs.define(eq=False)
class ChunkResult:
    """What a chunk of blocks sends back: exact, order-free aggregates.

    ``finishes`` holds the project finish of each iteration, ``critical`` and
    ``deadlines_met`` integer counts, ``duration_sums`` one row of per-activity duration
    sums per block (summed by the caller in block order, so the total does not depend on
    the chunking), ``detail_*`` the durations and finishes of the iterations below the
    detail limit.
    """

    first_block: int
    finishes: FloatArray
    critical: npt.NDArray[np.int64]
    deadlines_met: npt.NDArray[np.int64]
    duration_sums: FloatArray
    detail_durations: FloatArray
    detail_finishes: FloatArray


# --------------------------------------------------------------------------- sampling


def _stream(model: RiskModel, block: int, purpose: int) -> np.random.Generator:
    seq = np.random.SeedSequence(model.entropy, spawn_key=(block, purpose))
    return np.random.Generator(np.random.PCG64(seq))


def sample_block(model: RiskModel, block: int, *, out: FloatArray | None = None) -> FloatArray:
    """Durations of one whole block (activity rows x ``BLOCK`` iterations), own minutes."""
    n = model.n
    if out is None:
        out = np.empty((n, BLOCK))
    if model.fixed_rows is None:
        out[:] = model.base[:, None]
    elif model.fixed_rows.shape[0]:
        out[model.fixed_rows] = model.base[model.fixed_rows, None]
    if model.samplers:
        rng = _stream(model, block, _DURATIONS)
        single = block * BLOCK >= model.detail
        for s in model.samplers:
            _draw(s, rng, out, single=single)
    if model.corr_rows is not None and model.corr_chol is not None:
        rows = model.corr_rows
        out[rows] = _iman_conover(out[rows], model.corr_chol, _stream(model, block, _SCORES))
    if model.prog_rows is not None and model.prog_num is not None and model.prog_den is not None:
        # work in progress: the remaining share of the sampled total (multiply first, so
        # the planned duration maps exactly onto the remaining one); risks act after
        rows = model.prog_rows
        part = out[rows] * model.prog_num[:, None]
        part /= model.prog_den[:, None]
        out[rows] = part
    if model.events:
        rng = _stream(model, block, _EVENTS)
        u = rng.random((len(model.events), BLOCK))
        for k, event in enumerate(model.events):
            hit = np.flatnonzero(u[k] < event.probability)
            if not hit.shape[0]:
                continue
            where = np.ix_(event.rows, hit)
            part = out[where] * event.factor + event.add
            np.maximum(part, 0.0, out=part)
            out[where] = part
    return out


#: Rows transformed at a time: keeps the temporaries of a sampler in the L2 cache.
_ROWS: Final = 32


def _draw(s: Sampler, rng: np.random.Generator, out: FloatArray, *, single: bool) -> None:
    """Draw the durations of the rows of ``s`` into ``out`` (in the rows' order).

    ``single``: triangular draws in single precision (see below), for blocks past the
    detail iterations; those feed rank statistics, where the ties that 24-bit uniforms
    make likely among thousands of draws would cost more than single precision saves.
    """
    k = s.rows.shape[0]
    ft = np.float32 if single and s.kind == "triangular" else np.float64
    u = np.empty((min(k, _ROWS), BLOCK), dtype=ft)
    # rows that follow one another (all activities of one kind, say): write in place
    first = int(s.rows[0]) if k else 0
    consecutive = k > 0 and bool(np.array_equal(s.rows, np.arange(first, first + k)))
    for r0 in range(0, k, _ROWS):
        r1 = min(k, r0 + _ROWS)
        part = u[: r1 - r0]
        a, b, c = s.a[r0:r1, None], s.b[r0:r1, None], s.c[r0:r1, None]
        if s.kind == "triangular":
            # inverse CDF of the offset from the optimistic duration, branch-free (both
            # branches blended by the 0/1 mask); in single precision it halves the cost
            # of the hottest loop of a simulation, the offset then exact to about 1e-7 of
            # the estimate's width (far below the sampling error), and a zero width still
            # gives exactly the optimistic (= pessimistic) value
            assert s.table is not None
            rng.random(out=part, dtype=ft)
            table = s.table[r0:r1].astype(ft)
            left, right, cut = table[:, 0:1], table[:, 1:2], table[:, 2:3]
            low = part * left
            np.sqrt(low, out=low)
            high = np.subtract(ft(1.0), part)
            high *= right
            np.sqrt(high, out=high)
            np.subtract((c - a).astype(ft), high, out=high)
            mask = (part < cut).astype(ft)
            low -= high
            low *= mask
            low += high
            if consecutive:
                np.add(low, a, out=out[first + r0 : first + r1])
            else:
                out[s.rows[r0:r1]] = low + a
        elif s.kind == "pert":
            # a, b: beta shapes, c: width; the optimistic duration is table[:, 0]
            assert s.table is not None
            x = rng.beta(s.a[r0:r1, None], s.b[r0:r1, None], size=part.shape)
            x *= s.c[r0:r1, None]
            x += s.table[r0:r1]
            out[s.rows[r0:r1]] = x
        elif s.kind == "uniform":
            rng.random(out=part)
            part *= b - a
            part += a
            out[s.rows[r0:r1]] = part
        elif s.kind == "lognormal":
            z = rng.standard_normal(part.shape)
            z *= s.b[r0:r1, None]
            z += s.a[r0:r1, None]
            np.exp(z, out=z)
            out[s.rows[r0:r1]] = z
        else:  # empirical: a uniform index into each row's samples
            assert s.table is not None
            assert s.sizes is not None
            rng.random(out=part)
            sizes = s.sizes[r0:r1, None]
            idx = (part * sizes).astype(np.intp)
            np.minimum(idx, (sizes - 1).astype(np.intp), out=idx)
            out[s.rows[r0:r1]] = np.take_along_axis(s.table[r0:r1], idx, axis=1)


def _iman_conover(x: FloatArray, chol: FloatArray, rng: np.random.Generator) -> FloatArray:
    """Reorder each row of ``x`` so that the rows get the rank correlation of ``chol``.

    Scores are standard normal, standardised, decorrelated by the inverse Cholesky factor
    of their own correlation and recorrelated by ``chol`` (so their sample correlation is
    exactly the target); each row of ``x`` is then permuted to have its score's ranks.
    Every row keeps its values: the marginals are unchanged. Products are summed with
    ``einsum`` (no BLAS threads), so the result does not depend on the process.
    """
    k, m = x.shape
    z = rng.standard_normal((k, m))
    z -= z.mean(axis=1, keepdims=True)
    z /= np.sqrt((z * z).mean(axis=1, keepdims=True))
    own = np.einsum("im,jm->ij", z, z) / m
    try:
        lower = np.linalg.cholesky(own)
    except np.linalg.LinAlgError:  # pragma: no cover - needs k >= m iterations per block
        lower = np.eye(k)
    mix = np.einsum("ij,jk->ik", chol, np.linalg.inv(lower))
    scores = np.einsum("ij,jm->im", mix, z)
    order = np.argsort(scores, axis=1, kind="stable")
    out = np.empty_like(x)
    np.put_along_axis(out, order, np.sort(x, axis=1), axis=1)
    return out


# --------------------------------------------------------------------------- passes


@attrs.define(eq=False)
class PassResult:
    """Times of one batch of iterations (rows: activities, columns: iterations).

    ``early`` stacks early starts over early finishes in forward row order; ``late`` late
    starts over late finishes and ``total_float`` in backward row order (see
    :attr:`RiskModel.perm`); ``placed_finish`` is where each activity finishes (its late
    finish when ALAP), in forward order. ``total_float`` is None when the passes counted
    critical activities themselves (``critical=`` of :func:`passes`).
    """

    early: FloatArray
    late: FloatArray | None
    finish: FloatArray
    total_float: FloatArray | None
    placed_finish: FloatArray

    def total_float_forward(self, model: RiskModel) -> FloatArray:
        """Total floats in forward row order."""
        assert self.total_float is not None
        out: FloatArray = np.take(self.total_float, model.inv_perm, axis=0)
        return out


class Workspace:
    """Arrays the passes over ``model`` reuse from one window of iterations to the next,
    so that windows (and chunks run one after the other in one thread) allocate no fresh
    memory: large fresh arrays cost page faults, and numpy asks for huge pages on them,
    which the kernel may compact memory for. Early and late dates, the candidates of one
    slot, per-level scratch and one sampled block; :meth:`get` gives C-contiguous views
    for any number of columns up to ``width``.
    """

    def __init__(self, model: RiskModel, width: int) -> None:
        n = model.n
        self.model, self.width = model, width
        self.widest = max((level.hi - level.lo for level in model.levels), default=0)
        self._early = np.empty(2 * n * width)
        self._late = np.empty(2 * n * width)
        self._buffer = np.empty(model.widest_slot * width)
        self._level = np.empty(self.widest * width)
        self._flags = np.empty(self.widest * width, dtype=bool)
        self._views: dict[int, Views] = {}
        self.block: FloatArray = np.empty((0, 0))

    def fits(self, model: RiskModel, cols: int) -> bool:
        """True when this workspace serves ``model`` for ``cols`` columns."""
        return model is self.model and cols <= self.width

    def get(self, cols: int) -> Views:
        """The arrays for ``cols`` columns (at most ``width``)."""
        views = self._views.get(cols)
        if views is None:
            n, slot = self.model.n, self.model.widest_slot

            def view(flat: npt.NDArray[Any], rows: int) -> Any:
                return flat[: rows * cols].reshape(rows, cols)

            views = Views(
                early=view(self._early, 2 * n),
                late=view(self._late, 2 * n),
                buffer=view(self._buffer, slot),
                level=view(self._level, self.widest),
                flags=view(self._flags, self.widest),
            )
            self._views[cols] = views
        return views


@attrs.define(eq=False)
class Views:
    """The arrays of a :class:`Workspace` for one number of columns."""

    early: FloatArray
    late: FloatArray
    buffer: FloatArray
    level: FloatArray
    flags: BoolArray


def effective(model: RiskModel, own: FloatArray) -> FloatArray:
    """Durations on the project calendar (calibrated scaling of other calendars; complete
    work pinned to its actual length)."""
    scaled = model.scale_rows is not None and model.scale_num is not None
    if not scaled and model.pinned_rows is None:
        return own
    out = own.copy()
    if model.scale_rows is not None and model.scale_num is not None:
        assert model.scale_den is not None
        rows = model.scale_rows
        # multiply first: planned durations map exactly onto their calibrated length
        out[rows] = own[rows] * model.scale_num[:, None] / model.scale_den[:, None]
    if model.pinned_rows is not None and model.pinned_d is not None:
        out[model.pinned_rows] = model.pinned_d[:, None]
    return out


def passes(
    model: RiskModel,
    own: FloatArray,
    *,
    backward: bool = True,
    work: Workspace | None = None,
    critical: npt.NDArray[np.int64] | None = None,
) -> PassResult:
    """Forward (and backward) passes on durations ``own`` (rows x iterations).

    ``work`` lends the arrays (a :class:`Workspace` at least as wide as ``own``; the
    result's arrays are its views, valid until the next call). With ``critical`` (one
    count per activity, backward order) the backward pass adds 1 for every iteration in
    which an activity is critical, level by level while its dates are in the cache, and
    the result carries no total floats (ALAP projects count after their second pass).
    """
    n = model.n
    cols = own.shape[1]
    if work is None or not work.fits(model, cols):
        work = Workspace(model, cols)
    views = work.get(cols)
    d = effective(model, own)
    early = views.early
    _forward(model, d, own, early, None, views)
    finish = early[n:].max(axis=0) if n else np.zeros(cols)
    if not backward and model.alap is None:
        return PassResult(early, None, finish, None, early[n:])
    late = views.late
    # per-level work in the backward pass pays on wide levels; on narrow ones the numpy
    # calls it adds cost more than the cache misses it saves
    fused = critical is not None and model.alap is None and _wide(model)
    _backward(model, d, own, early, late, finish, views, critical if fused else None)
    placed = early[n:]
    if model.alap is not None:
        assert model.alap_back is not None
        early2 = np.empty((2 * n, cols))
        _forward(model, d, own, early2, late, views)
        early = early2
        finish = early[n:].max(axis=0)
        placed = early[n:].copy()
        placed[model.alap] = np.maximum(late[n + model.alap_back], placed[model.alap])
    total = None
    if backward and not fused:
        total = np.take(early[:n], model.perm, axis=0)
        np.subtract(late[:n], total, out=total)
        if model.alap_back is not None:
            total[model.alap_back] = np.minimum(total[model.alap_back], 0.0)
        if critical is not None:
            critical += np.count_nonzero(total <= _limit(model, finish), axis=1)
    return PassResult(early, late, finish, total, placed)


def _wide(model: RiskModel) -> bool:
    """Levels of 64 activities or more on average."""
    return model.n >= 64 * max(1, len(model.levels))


def _limit(model: RiskModel, finish: FloatArray) -> FloatArray:
    """Total float at most this is critical: the threshold, plus a tolerance relative to
    the finish for the rounding of sampled durations."""
    limit: FloatArray = np.abs(finish)
    limit += 1.0
    limit *= 1e-9
    limit += model.threshold
    return limit


def pct_lags(slot: Slot, own: FloatArray) -> FloatArray:
    """Percent lags of a slot: the predecessor's sampled duration times the percentage,
    rounded to whole minutes (units) as :func:`~pmsm_core.schedule` does."""
    assert slot.pct_frac is not None
    assert slot.pct_pred is not None
    assert slot.pct_num is not None
    assert slot.pct_den is not None
    lag = np.rint(own[slot.pct_pred] * slot.pct_frac[:, None])
    lag *= slot.pct_num[:, None]
    lag /= slot.pct_den[:, None]
    return lag


def _forward(
    model: RiskModel,
    d: FloatArray,
    own: FloatArray,
    early: FloatArray,
    late: FloatArray | None,
    views: Views,
) -> None:
    """Early dates into ``early``; with ``late`` (backward order), the ALAP pass: links
    from ALAP activities start from their late dates."""
    n = model.n
    es = early[:n]
    es[:] = model.floor[:, None]
    if model.floor_var_rows is not None and model.floor_var_time is not None:
        rows = model.floor_var_rows
        es[rows] = np.maximum(es[rows], model.floor_var_time[:, None] - d[rows])
    source = early
    alap = model.alap
    if late is not None and alap is not None:
        source = np.empty_like(early)
    buffer = views.buffer
    for level in model.levels:
        lo, hi = level.lo, level.hi
        for slot in level.forward:
            k = slot.size
            # indices are always valid; mode "raise" would copy the output once more
            cand = np.take(source, slot.src, axis=0, out=buffer[:k], mode="clip")
            if slot.lag is not None:
                cand += slot.lag
            if slot.pct_pos is not None:
                cand[slot.pct_pos] += pct_lags(slot, own)
            if slot.sub_all:
                cand -= d[lo : lo + k]
            elif slot.sub_d is not None and slot.sub_rows is not None:
                cand[slot.sub_d] -= d[slot.sub_rows]
            target = es[lo : lo + k]
            np.maximum(target, cand, out=target)
        if model.honor and (level.cap_rows is not None or level.fix_rows is not None):
            _caps(es, d, level.cap_rows, level.cap_time, level.cap_sub_d, fixed=False)
            _caps(es, d, level.fix_rows, level.fix_time, level.fix_sub_d, fixed=True)
        np.add(es[lo:hi], d[lo:hi], out=early[n + lo : n + hi])
        if source is not early and late is not None and alap is not None:
            source[lo:hi] = early[lo:hi]
            source[n + lo : n + hi] = early[n + lo : n + hi]
            assert model.alap_back is not None
            mine = (alap >= lo) & (alap < hi)
            if mine.any():
                rows, back = alap[mine], model.alap_back[mine]
                # at the late dates, never before the early ones
                source[rows] = np.maximum(late[back], early[rows])
                source[n + rows] = np.maximum(late[n + back], early[n + rows])


def _caps(
    times: FloatArray,
    d: FloatArray,
    rows: IntArray | None,
    values: FloatArray | None,
    minus_d: BoolArray | None,
    *,
    fixed: bool,
    sign: float = -1.0,
    first: int = 0,
) -> None:
    """``times[rows] = min(times[rows], value)`` (or ``= value`` when ``fixed``), where a
    value is a constraint time plus ``sign`` times the duration where ``minus_d`` (row
    ``r``'s duration is ``d[r - first]``)."""
    if rows is None or values is None or minus_d is None:
        return
    value = np.repeat(values[:, None], times.shape[1], axis=1)
    if minus_d.any():
        value[minus_d] += sign * d[rows[minus_d] - first]
    times[rows] = value if fixed else np.minimum(times[rows], value)


def _backward(
    model: RiskModel,
    d: FloatArray,
    own: FloatArray,
    early: FloatArray,
    late: FloatArray,
    finish: FloatArray,
    views: Views,
    critical: npt.NDArray[np.int64] | None = None,
) -> None:
    """Late dates into ``late``, in backward row order (``d`` in forward order).

    The recursion runs on late *finishes*: a finish-to-start link bounds its
    predecessor's late finish directly, so the usual FS network needs no per-link
    duration arithmetic; start links (SS, SF) add the predecessor's duration. A level
    holds the same activities in both orders, so its durations (and, with ``critical``,
    its early starts) are gathered level by level, while they are in the cache.
    """
    n = model.n
    lf = late[n:]
    lf[:] = finish[None, :]
    if model.multiple_critical_paths and model.no_successor is not None:
        assert model.no_successor_back is not None
        rows, back = model.no_successor, model.no_successor_back
        lf[back] = np.minimum(early[n + rows], finish[None, :])
    limit = _limit(model, finish) if critical is not None else None
    perm = model.perm
    buffer, scratch = views.buffer, views.level
    wide = _wide(model)
    # (fancy indexing: np.take would first copy a strided ``d`` whole)
    d_back = None if wide else d[perm]
    for level in reversed(model.levels):
        lo, hi = level.lo, level.hi
        # durations of this level in backward order
        dl = d[perm[lo:hi]] if d_back is None else d_back[lo:hi]
        for slot in level.backward:
            k = slot.size
            cand = np.take(late, slot.src, axis=0, out=buffer[:k], mode="clip")
            if slot.lag is not None:
                cand -= slot.lag
            if slot.pct_pos is not None:
                cand[slot.pct_pos] -= pct_lags(slot, own)
            if slot.sub_all:
                cand += dl[:k]
            elif slot.sub_d is not None and slot.sub_rows is not None:
                cand[slot.sub_d] += dl[slot.sub_rows - lo]
            target = lf[lo : lo + k]
            np.minimum(target, cand, out=target)
        if not (level.lcap_rows is None and level.ldl_rows is None and level.lset_rows is None):
            _caps(lf, dl, level.lcap_rows, level.lcap_time, level.lcap_sub_d, **_BACK, first=lo)
            _caps(lf, dl, level.ldl_rows, level.ldl_time, level.ldl_sub_d, **_BACK, first=lo)
            _caps(lf, dl, level.lset_rows, level.lset_time, level.lset_sub_d, **_SET, first=lo)
        ls = late[lo:hi]
        np.subtract(lf[lo:hi], dl, out=ls)
        if critical is not None and limit is not None:
            # total float (late start - early start) of the level, and who is critical
            total = np.take(early, perm[lo:hi], axis=0, out=scratch[: hi - lo], mode="clip")
            np.subtract(ls, total, out=total)
            flags = np.less_equal(total, limit, out=views.flags[: hi - lo])
            critical[lo:hi] += np.add.reduce(flags, axis=1, dtype=np.int64)


_BACK: Final[dict[str, Any]] = {"fixed": False, "sign": 1.0}
_SET: Final[dict[str, Any]] = {"fixed": True, "sign": 1.0}


# --------------------------------------------------------------------------- chunks


def pass_columns(model: RiskModel) -> int:
    """Iterations per pass: a power of two up to ``BLOCK`` whose array of early dates
    (two rows of 8 bytes per activity and iteration) fits in ``PASS_BYTES``.

    Measured on the 1,000-activity benchmark networks with reused arrays: a wide network
    (8 levels) runs best with windows of 256 iterations, alone and on two worker
    processes that share the cache, while a deep one (85 levels, a numpy call per link
    slot and window) pays less per iteration with wider windows; so networks whose
    levels hold fewer than 64 activities on average get twice the budget.
    """
    budget = PASS_BYTES if _wide(model) else 2 * PASS_BYTES
    width = BLOCK
    while width > 64 and max(1, model.n) * width * 16 > budget:
        width //= 2
    return width


def run_chunk(
    model: RiskModel,
    first_block: int,
    stop_block: int,
    work: Workspace | None = None,
    detail: tuple[FloatArray, FloatArray] | None = None,
) -> ChunkResult:
    """Simulate blocks ``first_block..stop_block-1`` and aggregate them.

    Each block is sampled whole, then its columns go through the passes in windows of
    :func:`pass_columns` iterations (the passes treat columns independently, so the
    window changes nothing but speed). ``work`` lends the arrays of the passes (chunks
    run one after the other in one thread can share one, see :func:`workspace`);
    ``detail``, the caller's detail matrices (activities x ``model.detail``), receives
    the detail durations and finishes in place of the result's (in-process runs).
    """
    n = model.n
    first_it = first_block * BLOCK
    stop_it = min(stop_block * BLOCK, model.iterations)
    count = max(0, stop_it - first_it)
    finishes = np.empty(count)
    critical_back = np.zeros(n, np.int64)
    met = np.zeros(len(model.deadline_rows), np.int64)
    sums = np.zeros((stop_block - first_block, n))
    detail_cols = max(0, min(model.detail, stop_it) - first_it)
    if detail is None:
        detail_d, detail_f, offset = np.empty((n, detail_cols)), np.empty((n, detail_cols)), 0
    else:
        detail_d, detail_f = detail
        offset = first_it  # columns of the caller's matrices are iterations
    width = pass_columns(model)
    if work is None or not work.fits(model, width):
        work = workspace(model)
    if work.block.shape != (n, BLOCK):
        work.block = np.empty((n, BLOCK))
    own_block = work.block
    for b in range(first_block, stop_block):
        sample_block(model, b, out=own_block)
        lo_it = b * BLOCK
        valid = min(BLOCK, model.iterations - lo_it)
        sums[b - first_block] = own_block[:, :valid].sum(axis=1)
        for c0 in range(0, valid, width):
            c1 = min(valid, c0 + width)
            own = own_block[:, c0:c1]
            result = passes(model, own, work=work, critical=critical_back)
            f = result.finish
            at = lo_it + c0 - first_it
            finishes[at : at + c1 - c0] = f
            placed = result.placed_finish
            for k, rows in enumerate(model.deadline_rows):
                met[k] += int(np.count_nonzero(placed[rows].max(axis=0) <= model.deadline_time[k]))
            take = min(c1 - c0, model.detail - (lo_it + c0))
            if take > 0:
                detail_d[:, offset + at : offset + at + take] = own[:, :take]
                detail_f[:, offset + at : offset + at + take] = placed[:, :take]
    critical = np.empty(n, np.int64)
    critical[model.perm] = critical_back
    if model.complete_rows is not None:
        critical[model.complete_rows] = 0  # complete work is never critical
    if detail is not None:
        detail_d = detail_f = np.empty((n, 0))
    return ChunkResult(first_block, finishes, critical, met, sums, detail_d, detail_f)


def workspace(model: RiskModel) -> Workspace:
    """A :class:`Workspace` for :func:`run_chunk` on ``model``, with room for one sampled
    block."""
    work = Workspace(model, pass_columns(model))
    work.block = np.empty((model.n, BLOCK))
    return work


def chunk_plan(blocks: int, chunk_blocks: int) -> list[tuple[int, int]]:
    """Consecutive ranges of ``chunk_blocks`` blocks covering ``0..blocks-1``."""
    return [(b, min(blocks, b + chunk_blocks)) for b in range(0, blocks, chunk_blocks)]


# --------------------------------------------------------------------------- statistics


def average_ranks(values: FloatArray) -> FloatArray:
    """Ranks 1..m along the last axis, ties sharing their average rank (rows independent)."""
    x = np.atleast_2d(values)
    rows, m = x.shape
    if m == 0:
        return np.zeros_like(x)
    order = np.argsort(x, axis=1, kind="stable")
    sorted_x = np.take_along_axis(x, order, axis=1)
    new_group = np.ones((rows, m), dtype=bool)
    new_group[:, 1:] = sorted_x[:, 1:] != sorted_x[:, :-1]
    group = np.cumsum(new_group.ravel()).reshape(rows, m) - 1
    positions = np.broadcast_to(np.arange(1, m + 1, dtype=np.float64), (rows, m)).ravel()
    flat = group.ravel()
    totals = np.bincount(flat, weights=positions)
    counts = np.bincount(flat)
    mean_rank = (totals / counts)[flat].reshape(rows, m)
    ranks = np.empty((rows, m))
    np.put_along_axis(ranks, order, mean_rank, axis=1)
    out: FloatArray = ranks.reshape(np.shape(values)) if values.ndim == 1 else ranks
    return out


def spearman(
    rows: FloatArray, target: FloatArray, *, varies: BoolArray | None = None
) -> FloatArray:
    """Spearman rank correlation of each row of ``rows`` with ``target`` (0 when constant).

    Ties share their average rank. Rows of distinct values (the usual case for continuous
    distributions) take a fast path: their ranks are positions in sorted order, so the
    sum of rank products is a gather of the target's ranks and one dot product; the
    order comes from one sort of integer keys (:func:`_distinct_order`). Sums use
    ``einsum`` (no BLAS threads), so the result is the same in every process. With
    ``varies`` (one flag per row), says which rows are not constant.
    """
    k, m = rows.shape
    out = np.zeros(k)
    if varies is not None:
        varies[:] = False
    if k == 0 or m < 2:
        return out
    rb = average_ranks(target)
    rb -= rb.mean()
    sb = math.sqrt(float(rb @ rb))
    order, exact = _distinct_order(rows)
    if varies is not None:
        varies[exact] = True
        others = np.flatnonzero(~exact)
        if others.shape[0]:
            part = rows[others]
            varies[others] = part.max(axis=1) > part.min(axis=1)
    if sb == 0:
        return out
    free = np.flatnonzero(exact)
    if free.shape[0]:
        positions = np.arange(1, m + 1, dtype=np.float64)
        sa = math.sqrt(m * (m * m - 1) / 12)
        gathered = np.take(rb, order if free.shape[0] == k else order[free])
        del order
        # einsum, not BLAS: no threads, and the same sums in every process
        out[free] = np.einsum("ij,j->i", gathered, positions) / (sa * sb)
        del gathered
    tied = np.flatnonzero(~exact)
    if tied.shape[0]:
        ra = average_ranks(rows[tied])
        ra -= ra.mean(axis=1, keepdims=True)
        den = np.sqrt(np.einsum("ij,ij->i", ra, ra)) * sb
        dot = np.einsum("ij,j->i", ra, rb)
        out[tied] = np.where(den > 0, dot / np.where(den > 0, den, 1.0), 0.0)
    clipped: FloatArray = np.clip(out, -1.0, 1.0)
    return clipped


def _distinct_order(rows: FloatArray) -> tuple[npt.NDArray[np.int64], BoolArray]:
    """The order that sorts each row, and which rows it sorts exactly with all values
    distinct (the others need :func:`average_ranks`).

    Non-negative floats order like their bit patterns read as integers, so one integer
    sort of keys (the pattern with its lowest bits replaced by the column) gives value
    and order together, about twice as fast as ``argsort``. Shortening the patterns keeps
    the order of any two values whose keys differ; values that agree on the kept bits (a
    tie, or values within about 2**-40 of each other) are flagged, never misordered.
    Rows with a negative value are flagged too.
    """
    m = rows.shape[1]
    bits = max(1, (m - 1).bit_length())
    low = (1 << bits) - 1
    keys = np.add(rows, 0.0).view(np.int64)  # a copy, and -0.0 becomes 0.0
    keys &= ~low
    keys |= np.arange(m, dtype=np.int64)
    keys.sort(axis=1)
    order = keys & low
    keys &= ~low
    exact = ~(keys[:, 1:] == keys[:, :-1]).any(axis=1)
    exact &= keys[:, 0] >= 0  # a negative value (sign bit set) orders wrongly
    return order, exact


def row_percentiles(values: FloatArray, percents: Sequence[float]) -> FloatArray:
    """Percentiles of each row (numpy's linear method), from one sort of the rows.

    Returns an array of shape (rows, len(percents)).
    """
    k, m = values.shape
    if m == 0:
        return np.full((k, len(percents)), np.nan)
    xs = np.sort(values, axis=1)
    h = (m - 1) * np.asarray(percents, dtype=np.float64) / 100
    lo = np.floor(h).astype(np.intp)
    hi = np.minimum(lo + 1, m - 1)
    frac = h - lo
    low = xs[:, lo]
    out: FloatArray = low + (xs[:, hi] - low) * frac
    return out


def spearman_to_pearson(rho: float) -> float:
    """The normal-score correlation that gives Spearman's ``rho``: 2 sin(π ρ / 6)."""
    return 2 * math.sin(math.pi * rho / 6)


def as_index(values: Sequence[int]) -> IntArray:
    """An index array (intp) from a sequence of ints."""
    return np.asarray(values, dtype=np.intp)


def empty_index() -> IntArray:
    """An empty index array."""
    return np.zeros(0, dtype=np.intp)
