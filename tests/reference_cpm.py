"""A slow, obviously-correct CPM used as an oracle in the tests.

It follows the documented rules literally, one activity at a time, with plain dicts and
repeated relaxation in a topological order found by the simplest possible method.
"""

from __future__ import annotations

from collections.abc import Sequence

NONE = None


def reference_cpm(
    durations: Sequence[int],
    links: Sequence[tuple[int, int, str, int]],
    *,
    constraints: dict[int, tuple[str, int]] | None = None,
    deadlines: dict[int, int] | None = None,
    start: int = 0,
    multiple_critical_paths: bool = False,
    honor: bool = True,
) -> dict[str, list[int] | int]:
    """Return ES, EF, LS, LF, TF, FF per activity and the finish."""
    n = len(durations)
    d = list(durations)
    constraints = constraints or {}
    deadlines = deadlines or {}
    preds: dict[int, list[tuple[int, str, int]]] = {i: [] for i in range(n)}
    succs: dict[int, list[tuple[int, str, int]]] = {i: [] for i in range(n)}
    for p, s, t, lag in links:
        preds[s].append((p, t, lag))
        succs[p].append((s, t, lag))
    # topological order: repeatedly take an activity whose predecessors are all placed
    order: list[int] = []
    placed: set[int] = set()
    while len(order) < n:
        progress = False
        for i in range(n):
            if i not in placed and all(p in placed for p, _, _ in preds[i]):
                order.append(i)
                placed.add(i)
                progress = True
        assert progress, "cycle"

    def candidate(p: int, s: int, t: str, lag: int, es: dict[int, int]) -> int:
        if t == "FS":
            return es[p] + d[p] + lag
        if t == "SS":
            return es[p] + lag
        if t == "FF":
            return es[p] + d[p] + lag - d[s]
        return es[p] + lag - d[s]  # SF

    def forward(source: dict[int, int] | None) -> dict[int, int]:
        es: dict[int, int] = {}
        for i in order:
            value = start
            kind, date = constraints.get(i, ("ASAP", 0))
            if kind == "SNET":
                value = max(value, date)
            if kind == "FNET":
                value = max(value, date - d[i])
            for p, t, lag in preds[i]:
                if source is None or constraints.get(p, ("",))[0] != "ALAP":
                    value = max(value, candidate(p, i, t, lag, es))
                else:  # an ALAP predecessor sits at its late start, never before its early one
                    placed = {p: max(source[p], es[p])}
                    value = max(value, candidate(p, i, t, lag, placed))
            if honor:
                if kind == "SNLT":
                    value = min(value, date)
                if kind == "FNLT":
                    value = min(value, date - d[i])
                if kind == "MSO":
                    value = date
                if kind == "MFO":
                    value = date - d[i]
            elif kind in ("MSO", "MFO"):
                value = max(value, date if kind == "MSO" else date - d[i])
            es[i] = value
        return es

    es = forward(None)
    finish = max((es[i] + d[i] for i in range(n)), default=start)
    ls: dict[int, int] = {}
    for i in reversed(order):
        lf = min(es[i] + d[i], finish) if multiple_critical_paths and not succs[i] else finish
        for s, t, lag in succs[i]:
            # the latest finish of i that keeps the successor's late dates
            if t == "FS":
                bound = ls[s] - lag
            elif t == "SS":
                bound = ls[s] - lag + d[i]
            elif t == "FF":
                bound = ls[s] + d[s] - lag
            else:
                bound = ls[s] + d[s] - lag + d[i]
            lf = min(lf, bound)
        kind, date = constraints.get(i, ("ASAP", 0))
        if kind == "SNLT":
            lf = min(lf, date + d[i])
        if kind == "FNLT":
            lf = min(lf, date)
        if i in deadlines:
            lf = min(lf, deadlines[i])
        if kind == "MSO":
            lf = date + d[i]
        if kind == "MFO":
            lf = date
        ls[i] = lf - d[i]
    alap = {i for i, (k, _) in constraints.items() if k == "ALAP"}
    if alap:
        es = forward(ls)
    placed_start = {i: (max(ls[i], es[i]) if i in alap else es[i]) for i in range(n)}
    tf = {i: (min(0, ls[i] - es[i]) if i in alap else ls[i] - es[i]) for i in range(n)}
    ff: dict[int, int] = {}
    for i in range(n):
        gaps = []
        for s, t, lag in succs[i]:
            if t == "FS":
                gap = placed_start[s] - (placed_start[i] + d[i]) - lag
            elif t == "SS":
                gap = placed_start[s] - placed_start[i] - lag
            elif t == "FF":
                gap = placed_start[s] + d[s] - (placed_start[i] + d[i]) - lag
            else:
                gap = placed_start[s] + d[s] - placed_start[i] - lag
            gaps.append(gap)
        ff[i] = max(0, min(gaps) if gaps else tf[i])
        if gaps:
            ff[i] = min(ff[i], max(tf[i], 0))
    return {
        "ES": [es[i] for i in range(n)],
        "EF": [es[i] + d[i] for i in range(n)],
        "LS": [ls[i] for i in range(n)],
        "LF": [ls[i] + d[i] for i in range(n)],
        "TF": [tf[i] for i in range(n)],
        "FF": [ff[i] for i in range(n)],
        "finish": finish,
    }
