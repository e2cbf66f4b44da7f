"""Schedule risk analysis: Monte Carlo iterations per second, and scaling out.

Goals (issue 7):

* 10,000 iterations x 1,000 activities (FS links) in <= 0.5 s on one core, against a
  per-iteration Python loop over the CPM engine measured in the same run (the loop samples
  the durations of one iteration with numpy, builds a ``Network`` and runs ``cpm()``; a few
  hundred iterations are timed and the time is extrapolated to the same count).
* 1,000,000 iterations x 1,000 activities through a local process pool in chunks in
  <= 60 s, with peak memory bounded by the chunk size (stated for two chunk sizes).

Projects: 1,000 activities with triangular estimates (most likely 2-19 units, optimistic
up to 2 less, pessimistic 1-9 more), FS links; "random" links each activity to 1-4
predecessors among the previous 1,000 (the generator of ``bench_cpm.py``: a wide network,
few levels), "deep" among the previous 50 (many levels, more like a real plan).

Run: python benchmarks/bench_risk.py [--repeat 3] [--loop 300] [--million 1000000]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

from _common import median_time, table
from pmsm_core import Activity, Dependency, Distribution, Duration, Project, ThreePointEstimate
from pmsm_core.scheduling import Network, simulate


def arrays(n: int, window: int, seed: int = 1) -> dict[str, np.ndarray]:
    """Estimates (o, m, p) and FS links of a random network."""
    rng = np.random.default_rng(seed)
    per = rng.choice([1, 2, 2, 3, 3, 4], size=n)
    succ = np.repeat(np.arange(n), per)
    pred = succ - rng.integers(1, window, size=succ.size)
    keep = pred >= 0
    key = np.unique(pred[keep] * n + succ[keep])
    m = rng.integers(2, 20, size=n)
    return {
        "o": np.maximum(1, m - rng.integers(0, 3, size=n)),
        "m": m,
        "p": m + rng.integers(1, 10, size=n),
        "edges": np.stack([key // n, key % n], axis=1),
    }


def project(data: dict[str, np.ndarray]) -> Project:
    o, m, p = data["o"].tolist(), data["m"].tolist(), data["p"].tolist()
    acts = [
        Activity(
            f"A{i}",
            duration=Duration(m[i]),
            estimate=ThreePointEstimate(
                Duration(o[i]), Duration(m[i]), Duration(p[i]), distribution=Distribution.TRIANGULAR
            ),
        )
        for i in range(len(m))
    ]
    deps = [Dependency(f"A{a}", f"A{b}") for a, b in data["edges"].tolist()]
    return Project("bench", activities=acts, dependencies=deps)


def python_loop(data: dict[str, np.ndarray], iterations: int, seed: int = 1) -> float:
    """Baseline: one CPM per iteration (durations in thousandths, the engine takes
    integers); returns the mean finish and counts criticality like the simulation."""
    rng = np.random.default_rng(seed)
    o, m, p = (data[k].astype(float) for k in "omp")
    critical = np.zeros(len(m), np.int64)
    total = 0.0
    for _ in range(iterations):
        durations = np.rint(rng.triangular(o, m, p) * 1000).astype(np.int64)
        result = Network.from_edges(durations, data["edges"]).cpm()
        critical += result.total_float <= 0
        total += result.finish / 1000
    return total / iterations


def one_core(args: argparse.Namespace) -> None:
    rows = []
    for name, window in (("random", 1000), ("deep", 50)):
        data = arrays(args.activities, window)
        proj = project(data)
        depth = Network.from_edges(data["m"], data["edges"]).depth
        cpu: list[float] = []

        def run(proj: Project = proj, cpu: list[float] = cpu) -> object:
            start = time.process_time()
            out = simulate(proj, args.iterations, seed=1)
            cpu.append(time.process_time() - start)
            return out

        t_sim, result = median_time(run, repeat=args.repeat)
        t_cpu = statistics.median(cpu[1:])  # without the warm-up
        start = time.perf_counter()
        python_loop(data, args.loop)
        t_loop = (time.perf_counter() - start) / args.loop * args.iterations
        rows.append(
            [
                name,
                args.activities,
                len(data["edges"]),
                depth,
                t_sim,
                t_cpu,
                result.detail_iterations,
                t_loop,
                t_loop / t_sim,
            ]
        )
    print(
        f"{args.iterations:,} iterations, one process (median of {args.repeat}); Python loop "
        f"over Network.cpm() timed for {args.loop} iterations and extrapolated"
    )
    print(
        table(
            [
                "network",
                "activities",
                "links",
                "levels",
                "simulate s",
                "cpu s",
                "detail its",
                "loop s",
                "x faster",
            ],
            rows,
        )
    )
    print(
        f"goal: <= 0.5 s -> {'met' if rows[0][4] <= 0.5 else 'MISSED'} (random network; "
        "cpu s is the process time, what the machine's other load does not inflate much)"
    )


def million(args: argparse.Namespace) -> None:
    rows = []
    for chunk in (None, 16_384):
        command = [
            sys.executable,
            __file__,
            "--child",
            "--iterations",
            str(args.million),
            "--activities",
            str(args.activities),
            "--workers",
            str(args.workers),
        ]
        if chunk is not None:
            command += ["--chunk-size", str(chunk)]
        out = subprocess.run(command, check=True, capture_output=True, text=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        rows.append(
            [
                f"{r['chunk']:,}",
                r["chunks"],
                r["seconds"],
                r["cpu_s"],
                r["heap_mb"],
                r["parent_rss_mb"],
                r["child_rss_mb"],
                r["p80"],
            ]
        )
    print(
        f"\n{args.million:,} iterations x {args.activities:,} activities (random network), "
        f"ProcessPoolExecutor({args.workers}); each row in a fresh process"
    )
    print(
        table(
            [
                "chunk its",
                "chunks",
                "wall s",
                "cpu s (all)",
                "parent heap MB",
                "parent RSS MB",
                "child RSS MB",
                "P80",
            ],
            rows,
        )
    )
    print(f"goal: <= 60 s -> {'met' if rows[0][2] <= 60 else 'MISSED'} (default chunks)")


def child(args: argparse.Namespace) -> None:
    """One 1M run in a fresh process: wall time and peak memory of parent and workers."""
    from concurrent.futures import ProcessPoolExecutor

    from pmsm_core.scheduling import _montecarlo as mc

    proj = project(arrays(args.activities, 1000))
    chunks: list[int] = []
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        tracemalloc.start()
        start = time.perf_counter()
        result = simulate(
            proj,
            args.iterations,
            seed=1,
            executor=pool,
            chunk_size=args.chunk_size,
            progress=lambda done, total: chunks.append(done),
        )
        seconds = time.perf_counter() - start
        _, heap = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    blocks = -(-args.iterations // mc.BLOCK)
    per = -(-args.chunk_size // mc.BLOCK) if args.chunk_size else max(1, min(64, -(-blocks // 16)))
    kb = 1024
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(
        json.dumps(
            {
                "chunk": per * mc.BLOCK,
                "chunks": len(chunks),
                "seconds": seconds,
                "cpu_s": me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime,
                "heap_mb": heap / 1e6,
                "parent_rss_mb": me.ru_maxrss * kb / 1e6,
                "child_rss_mb": kids.ru_maxrss * kb / 1e6,
                "p80": round(result.percentile(80), 2),
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=10_000)
    parser.add_argument("--activities", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--loop", type=int, default=300, help="iterations of the Python loop")
    parser.add_argument("--million", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--chunk-size", type=int, default=None)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    one_core(args)
    if args.million:
        million(args)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    main()
