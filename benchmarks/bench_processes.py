"""Process-flow analysis on large random catalogues (1,000 to 10,000 processes).

Each process hands 1-2 artefacts on and takes 1-3 from processes up to 50 places before it
(5 % from after it, which closes feedback loops), so the flow looks like a long process
landscape with local loops. Rows:

* build: ``flow_graph`` (artefacts indexed by name) against a straightforward matcher that
  compares every input with every other process's outputs;
* betweenness: ``betweenness`` on integer adjacency lists against
  ``nx.betweenness_centrality`` with the same sources (exact up to 1,000 processes,
  200 sampled sources above);
* what-if: ``what_if`` removing 10 processes (bit-set reachability on the condensation)
  against counting ``nx.descendants`` of every process before and after;
* analyse: the whole ``analyse_flow`` (no baseline; its parts are above), with peak memory.

Baselines that would take minutes are measured on a random sample of processes and scaled
to all of them (marked "sampled"); ``--full-baseline`` measures them completely.

Run: python benchmarks/bench_processes.py [--sizes 1000 3000 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random

import networkx as nx

from _common import median_time, peak_memory, table
from pmsm_core import Catalogue, Duration, Process
from pmsm_core.model.process import artefact_key
from pmsm_core.processes.flow import (
    BETWEENNESS_SAMPLES,
    EXACT_BETWEENNESS_LIMIT,
    _simple,
    analyse_flow,
    betweenness,
    flow_graph,
    what_if,
)

SAMPLE = 400


def big_catalogue(n: int, seed: int = 1) -> Catalogue:
    """A random catalogue of n processes (see the module docstring)."""
    rng = random.Random(seed)
    processes = []
    for i in range(n):
        outputs = [f"a{i}.{k}" for k in range(rng.randint(1, 2))]
        inputs = set()
        for _ in range(rng.choice([1, 2, 2, 3])):
            if i and (rng.random() < 0.95 or i + 1 >= n):
                j = rng.randrange(max(0, i - 50), i)
            else:
                j = rng.randrange(i + 1, min(n - 1, i + 50) + 1)
            inputs.add(f"a{j}.0")
        processes.append(
            Process(
                f"P{i}",
                f"Process {i}",
                inputs=sorted(inputs),
                outputs=outputs,
                cycle_time=Duration(rng.randint(30, 480)),
                arrival_rate=rng.uniform(0.1, 5) if rng.random() < 0.1 else None,
            )
        )
    return Catalogue("big", processes=processes, external_outputs=[f"a{i}.1" for i in range(n)])


def naive_matches(catalogue: Catalogue, consumers: list[Process]) -> int:
    """Baseline: compare each input of each consumer with every other process's outputs."""
    count = 0
    for consumer in consumers:
        for name in consumer.inputs:
            key = artefact_key(name)
            for producer in catalogue.processes:
                if producer.id != consumer.id and any(
                    artefact_key(out) == key for out in producer.outputs
                ):
                    count += 1
    return count


def descendant_pairs(graph: nx.DiGraph, nodes: list[str]) -> int:
    """Baseline: reachable pairs by networkx descendants, one process at a time."""
    return sum(len(nx.descendants(graph, v)) for v in nodes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 3_000, 10_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--full-baseline", action="store_true")
    args = parser.parse_args()
    rng = random.Random(7)
    rows = []
    for n in args.sizes:
        cat = big_catalogue(n)
        removed = [f"P{i}" for i in range(0, n, max(1, n // 10))][:10]
        sample = (
            list(cat.processes)
            if args.full_baseline or n <= 1_000
            else rng.sample(list(cat.processes), SAMPLE)
        )
        scale = n / len(sample)
        tag = "" if scale == 1 else " (sampled)"

        t_build, graph = median_time(lambda cat=cat: flow_graph(cat), repeat=args.repeat)
        t_naive, _ = median_time(
            lambda cat=cat, sample=sample: naive_matches(cat, sample), repeat=1, warmup=0
        )
        rows.append([n, "build flow graph", t_build, t_naive * scale, tag])

        simple = _simple(graph)
        k = None if n <= EXACT_BETWEENNESS_LIMIT else BETWEENNESS_SAMPLES
        t_bc, ours = median_time(lambda s=simple, k=k: betweenness(s, k), repeat=args.repeat)
        t_nx, theirs = median_time(
            lambda s=simple, k=k: nx.betweenness_centrality(s, k=k, seed=0),
            repeat=1,
            warmup=0,
        )
        assert max(abs(ours[v] - theirs[v]) for v in ours) < 1e-9
        label = "betweenness (exact)" if k is None else f"betweenness (k={k})"
        rows.append([n, label, t_bc, t_nx, ""])

        t_what, w = median_time(
            lambda cat=cat, r=removed: what_if(cat, remove_processes=r), repeat=args.repeat
        )
        after = _simple(flow_graph(cat, exclude_processes=removed))
        kept = [p.id for p in sample if p.id not in removed]

        def baseline(
            before_graph: nx.DiGraph = simple, after: nx.DiGraph = after, kept: list[str] = kept
        ) -> int:
            before = descendant_pairs(before_graph, kept)
            return before - descendant_pairs(after, kept)

        t_desc, _ = median_time(baseline, repeat=1, warmup=0)
        rows.append([n, "what-if, 10 processes removed", t_what, t_desc * scale, tag])

        t_all, fa = median_time(lambda cat=cat: analyse_flow(cat), repeat=args.repeat)
        memory, _ = peak_memory(lambda cat=cat: analyse_flow(cat))
        rows.append([n, f"analyse_flow (peak {memory:.0f} MB)", t_all, None, ""])
        print(
            f"n={n}: {graph.number_of_edges()} hand-offs, {len(fa.loops)} loops, "
            f"critical path {len(fa.critical_path_processes)} processes "
            f"{fa.critical_path_time}, what-if lost {w.lost_reachability} pairs",
            flush=True,
        )

    print()
    print(
        table(
            ["processes", "step", "pmsm_core s", "baseline s", "ratio", "baseline"],
            [
                [
                    n,
                    step,
                    ours,
                    "-" if base is None else base,
                    "-" if base is None else f"{base / ours:,.1f}x",
                    note.strip() or ("-" if base is None else "measured"),
                ]
                for n, step, ours, base, note in rows
            ],
        )
    )


if __name__ == "__main__":
    main()
