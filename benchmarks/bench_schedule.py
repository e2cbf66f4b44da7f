"""schedule() end to end on a dated 100,000-activity project on the Standard calendar.

Goal (issue 3): <= 5 s. Baselines in the same run, each checked against schedule():

* a straightforward networkx CPM: an ``nx.DiGraph`` of the activities, forward and backward
  passes in working minutes over a topological order, total float, and every date
  converted with the project calendar (what a user without this library writes);
* the calendar engine (activity by activity, each on its own calendar), which the library
  uses for multi-calendar projects, forced on the same project; it must give an equal
  schedule.

Run: python benchmarks/bench_schedule.py [--n 100000]
"""

from __future__ import annotations

import argparse

import networkx as nx

from _common import median_time, table
from bench_json import big_project
from pmsm_core import ScheduleOptions, schedule
from pmsm_core.scheduling.compile import compile_project
from pmsm_core.scheduling.schedule import _assemble, _run


def forced(project, engine: str):
    options = ScheduleOptions()
    compiled = compile_project(project, options)
    return _assemble(compiled, _run(compiled, options, engine=engine), options)


def networkx_schedule(project) -> dict[str, tuple]:
    """Baseline: early and late dates and total float per activity (FS links)."""
    cal, start = project.calendar, project.start
    G = nx.DiGraph()
    G.add_nodes_from((a.id, {"d": a.duration.minutes}) for a in project.activities)
    G.add_edges_from((d.predecessor, d.successor) for d in project.dependencies)
    order = list(nx.topological_sort(G))
    es: dict[str, int] = {}
    for v in order:
        es[v] = max((es[u] + G.nodes[u]["d"] for u in G.predecessors(v)), default=0)
    finish = max(es[v] + G.nodes[v]["d"] for v in G)
    lf: dict[str, int] = {}
    for v in reversed(order):
        lf[v] = min((lf[w] - G.nodes[w]["d"] for w in G.successors(v)), default=finish)
    out = {}
    for v in G:
        d = G.nodes[v]["d"]
        out[v] = (
            cal.next_working_instant(cal.add(start, es[v])),
            cal.add(start, es[v] + d),
            lf[v] - d - es[v],
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    project = big_project(args.n)
    t_fast, fast = median_time(lambda: schedule(project), repeat=args.repeat)
    t_nx, base = median_time(lambda: networkx_schedule(project), repeat=1, warmup=0)
    for a in fast.activities:
        assert (a.early_start, a.early_finish, a.total_float) == base[a.id], a.id
    t_slow, slow = median_time(lambda: forced(project, "calendar"), repeat=1, warmup=0)
    assert fast == slow, "engines disagree"
    rows = [
        ["schedule() (integer engine)", t_fast, t_nx / t_fast, t_slow / t_fast],
        ["baseline: networkx CPM + calendar", t_nx, 1.0, t_slow / t_nx],
        ["baseline: calendar engine", t_slow, t_nx / t_slow, 1.0],
    ]
    print(
        f"{args.n:,} activities, {len(project.dependencies):,} links, Standard calendar "
        f"(median of {args.repeat}); finish {fast.finish:%Y-%m-%d %H:%M}"
    )
    print(table(["engine", "seconds", "x networkx", "x calendar engine"], rows))
    print(f"goal: <= 5 s -> {'met' if t_fast <= 5 else 'MISSED'}")


if __name__ == "__main__":
    main()
