"""Service engines at scale: impact analysis on a 100,000-CI graph, SLA clocks for
1,000,000 tickets.

Goals (issue 4):
* impact analysis on a 100,000-CI dependency graph: <= 1 s per query after a one-off build;
* SLA clocks for 1,000,000 ticket records with state histories on a business-hours calendar
  with holidays: <= 10 s.

Baselines, measured in the same run: for impact, a straightforward networkx pass that
re-evaluates every node in topological order per query; for SLA clocks, a per-ticket
Python loop over the state changes that asks the calendar for each interval's working
minutes and each deadline (the calendar is already table-driven, so the baseline does not
walk minute by minute), on a sample of tickets, scaled per ticket.

Run: python benchmarks/bench_services.py [--cis 100000] [--tickets 1000000]
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import datetime

import networkx as nx
import numpy as np

from _common import holiday_calendar, median_time, table
from pmsm_core import (
    ConfigurationItem,
    Duration,
    RedundancyGroup,
    Service,
    ServiceCatalogue,
    ServiceDependency,
    ServiceGraph,
    ServiceLevelAgreement,
    ServiceLevelTarget,
    TargetMetric,
    TicketTable,
    TicketType,
    WorkCalendar,
    clock_tickets,
    explain_impact,
    impact,
    single_points_of_failure,
)
from pmsm_core._util import no_gc

# --------------------------------------------------------------------------- impact


def infrastructure(cis: int, services: int, seed: int = 1) -> ServiceCatalogue:
    """A layered estate: power and network pairs, hosts, VMs, application components,
    clusters (k of n) and services that also depend on each other."""
    rng = random.Random(seed)
    items: list[ConfigurationItem] = []
    groups: list[RedundancyGroup] = []
    deps: list[ServiceDependency] = []

    def add(prefix: str, count: int, kind: str, availability: float) -> list[str]:
        start = len(items)
        ids = [f"{prefix}{i}" for i in range(count)]
        items.extend(ConfigurationItem(i, type=kind, availability=availability) for i in ids)
        assert len(items) == start + count
        return ids

    feeds = add("PDU", 40, "power", 0.9995)
    power = [f"POWER{i}" for i in range(20)]
    groups += [RedundancyGroup(power[i], feeds[2 * i : 2 * i + 2]) for i in range(20)]
    switches = add("SW", 400, "network", 0.9995)
    pairs = [f"NET{i}" for i in range(200)]
    groups += [RedundancyGroup(pairs[i], switches[2 * i : 2 * i + 2]) for i in range(200)]
    hosts = add("HV", cis // 50, "hypervisor", 0.998)
    for h in hosts:
        deps.append(ServiceDependency(h, rng.choice(power)))
        deps.append(ServiceDependency(h, rng.choice(pairs)))
    vms = add("VM", cis * 55 // 100, "virtual machine", 0.999)
    deps.extend(ServiceDependency(v, rng.choice(hosts)) for v in vms)
    rest = cis - len(items)
    apps = add("APP", rest, "application", 0.9995)
    clusters: list[str] = []
    for i, a in enumerate(apps):
        if i % 4 == 0:
            members = rng.sample(vms, 3)
            cluster = f"CL{i}"
            groups.append(RedundancyGroup(cluster, members, min_up=rng.choice([1, 2])))
            clusters.append(cluster)
            deps.append(ServiceDependency(a, cluster))
        else:
            deps.append(ServiceDependency(a, rng.choice(vms)))
        if i > 10 and rng.random() < 0.2:
            deps.append(ServiceDependency(a, apps[rng.randrange(i)]))
    service_ids = [f"SVC{i}" for i in range(services)]
    for i, s in enumerate(service_ids):
        deps.extend(ServiceDependency(s, p) for p in rng.sample(apps, rng.randint(3, 10)))
        if i > 5:
            picks = rng.sample(service_ids[:i], rng.randint(0, 2))
            deps.extend(ServiceDependency(s, p) for p in picks)
    return ServiceCatalogue(
        "estate",
        services=[Service(s) for s in service_ids],
        configuration_items=items,
        redundancy_groups=groups,
        dependencies=deps,
    )


def networkx_impact(
    graph: nx.DiGraph, order: list[str], need: dict[str, int], failed: set[str]
) -> int:
    """Baseline: evaluate every node in topological order, counting down providers."""
    status: dict[str, int] = {}
    down = 0
    for v in order:
        providers = graph.pred[v]
        lost = sum(1 for p in providers if status[p] == 2)
        touched = any(status[p] for p in providers)
        if v in failed or len(providers) - lost < need[v]:
            status[v] = 2
            down += v not in need or graph.nodes[v]["kind"] != "group"
        else:
            status[v] = 1 if touched else 0
    return down


def bench_impact(cis: int, services: int, repeat: int) -> None:
    print(f"== impact analysis: {cis:,} configuration items, {services:,} services ==")
    start = time.perf_counter()
    with no_gc():
        catalogue = infrastructure(cis, services)
    build_catalogue = time.perf_counter() - start
    start = time.perf_counter()
    graph = ServiceGraph(catalogue)
    build_graph = time.perf_counter() - start
    print(
        f"one-off build: catalogue (validated) {build_catalogue:.2f} s, "
        f"compiled graph {build_graph:.2f} s; {len(graph):,} nodes, "
        f"{len(catalogue.dependencies):,} dependencies, "
        f"{len(catalogue.redundancy_groups):,} redundancy groups"
    )
    rng = random.Random(7)
    ci_ids = [c.id for c in catalogue.configuration_items]
    hosts = [c for c in ci_ids if c.startswith("HV")]
    queries = {
        "1 random CI": [rng.choice(ci_ids)],
        "5 random CIs": rng.sample(ci_ids, 5),
        "50 random CIs": rng.sample(ci_ids, 50),
        "one hypervisor": [rng.choice(hosts)],
        "both feeds of a power pair": ["PDU0", "PDU1"],
        "both switches of 10 pairs": [f"SW{i}" for i in range(20)],
        "every power feed (worst case)": [f"PDU{i}" for i in range(40)],
    }
    nxg = catalogue.to_networkx()
    order = list(nx.topological_sort(nxg))
    need = {v: len(nxg.pred[v]) for v in nxg}
    for g in catalogue.redundancy_groups:
        need[g.id] = g.required
    rows = []
    for label, failed in queries.items():
        seconds, result = median_time(lambda f=failed: impact(graph, f), repeat=repeat)
        base, base_down = median_time(
            lambda f=failed: networkx_impact(nxg, order, need, set(f)), repeat=max(1, repeat // 2)
        )
        assert base_down == len(result.down), (base_down, len(result.down))
        rows.append(
            [
                label,
                len(result.services_down),
                len(result.services_degraded),
                len(result.down),
                seconds * 1000,
                base * 1000,
                base / seconds,
            ]
        )
    print(
        table(
            [
                "failed",
                "svc down",
                "svc degraded",
                "items down",
                "ms/query",
                "networkx ms",
                "speed-up",
            ],
            rows,
        )
    )
    worst = max(r[4] for r in rows)
    print(f"slowest query {worst:.1f} ms (goal <= 1000 ms)")
    cause = queries["one hypervisor"]
    down = impact(graph, cause).services_down
    seconds, explanation = median_time(lambda: explain_impact(graph, down), repeat=1)
    print(
        f"reverse question for the {len(down)} services {cause[0]} takes down: "
        f"{seconds:.2f} s, {len(explanation.candidates):,} candidates, consistent "
        f"explanations {', '.join(explanation.consistent)}"
    )
    targets = [s.id for s in catalogue.services[:50]]
    seconds, spofs = median_time(lambda: single_points_of_failure(graph, targets), repeat=1)
    print(f"single points of failure of 50 services: {seconds:.2f} s ({len(spofs):,} found)\n")


# --------------------------------------------------------------------------- SLA clocks


STATE_NAMES = ("new", "assigned", "pending", "resolved", "closed", "cancelled")


def ticket_arrays(n: int, seed: int = 3) -> tuple[np.ndarray, ...]:
    """n tickets over two years: new -> assigned -> (pending -> assigned)? -> resolved ->
    closed, some cancelled, some still open; 3 to 6 state changes each."""
    rng = np.random.default_rng(seed)
    opened = np.datetime64("2026-01-01T00:00") + rng.integers(0, 2 * 365 * 1440, n).astype(
        "timedelta64[m]"
    )
    lengths = rng.choice([3, 4, 5, 6], n, p=[0.15, 0.45, 0.3, 0.1])
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    total = int(offsets[-1])
    first = offsets[:-1]
    position = np.arange(total) - np.repeat(first, lengths)
    gaps = rng.exponential(600, total).astype(np.int64)
    gaps[first] = 0
    ticket = np.repeat(np.arange(n), lengths)
    steps = np.cumsum(gaps)
    steps -= np.repeat(steps[first], lengths)
    times = np.repeat(opened, lengths) + steps.astype("timedelta64[m]")
    # state by position: 0 new, 1 assigned, then pending/assigned pairs, then resolved, closed
    last = np.repeat(lengths, lengths) - 1
    states = np.where(position == 0, 0, 1)
    middle = (position >= 2) & (position < last - 1)
    states = np.where(middle & (position % 2 == 0), 2, states)
    states = np.where(position == last - 1, 3, states)
    states = np.where(position == last, 4, states)
    cancelled = rng.random(n) < 0.03
    states = np.where(cancelled[ticket] & (position == last), 5, states)
    priorities = rng.choice([1, 2, 3, 4], n, p=[0.05, 0.2, 0.5, 0.25]).astype(np.int8)
    types = (rng.random(n) < 0.4).astype(np.int8)
    ids = np.array([f"T{i}" for i in range(n)], dtype=object)
    return ids, offsets, times, states.astype(np.int32), priorities, types


def agreement() -> ServiceLevelAgreement:
    hours = Duration.from_hours
    return ServiceLevelAgreement(
        "SLA",
        services=["SD"],
        service_hours="business-hours",
        targets=[
            ServiceLevelTarget(TargetMetric.RESPONSE, time=Duration(15), priority=1),
            ServiceLevelTarget(TargetMetric.RESPONSE, time=Duration(30), priority=2),
            ServiceLevelTarget(TargetMetric.RESPONSE, time=hours(2)),
            ServiceLevelTarget(TargetMetric.RESOLUTION, time=hours(4), priority=1),
            ServiceLevelTarget(TargetMetric.RESOLUTION, time=hours(8), priority=2),
            ServiceLevelTarget(TargetMetric.RESOLUTION, time=hours(24), priority=3),
            ServiceLevelTarget(TargetMetric.RESOLUTION, time=hours(40)),
        ],
    )


def loop_clocks(
    ids: np.ndarray,
    offsets: np.ndarray,
    times: np.ndarray,
    *,
    states: np.ndarray,
    priorities: np.ndarray,
    sla: ServiceLevelAgreement,
    calendar: WorkCalendar,
    as_of: datetime,
) -> list[tuple[str, int, datetime | None]]:
    """Baseline: resolution clocks ticket by ticket with the calendar's scalar methods."""
    halted = set(sla.pause_states) | set(sla.resolved_states) | set(sla.cancelled_states)
    out = []
    stamps = times.astype("datetime64[m]").astype(datetime)
    for i in range(len(ids)):
        target = sla.target_for(TargetMetric.RESOLUTION, int(priorities[i]), TicketType.INCIDENT)
        assert target is not None
        assert target.time is not None
        goal = target.time.minutes
        elapsed = 0
        deadline = None
        lo, hi = int(offsets[i]), int(offsets[i + 1])
        for j in range(lo, hi):
            begin = min(stamps[j], as_of)
            end = min(stamps[j + 1] if j + 1 < hi else as_of, as_of)
            if STATE_NAMES[states[j]] in halted:
                continue
            minutes = calendar.working_minutes_between(begin, end)
            if deadline is None and elapsed + minutes >= goal:
                deadline = calendar.add(begin, goal - elapsed)
            elapsed += minutes
        out.append((str(ids[i]), elapsed, deadline))
    return out


def bench_sla(n: int, repeat: int, baseline_sample: int) -> None:
    print(f"== SLA clocks: {n:,} tickets on a business-hours calendar with holidays ==")
    calendar = holiday_calendar(range(2025, 2029), ("08:00-12:00", "13:00-18:00"))
    sla = agreement()
    ids, offsets, times, states, priorities, types = ticket_arrays(n)
    as_of = datetime(2028, 1, 15, 12)
    print(f"{len(times):,} state changes, reporting instant {as_of:%Y-%m-%d %H:%M}")

    def vectorised() -> object:
        table_ = TicketTable.from_arrays(
            ids,
            offsets,
            times,
            states,
            state_names=STATE_NAMES,
            priorities=priorities,
            types=types,
        )
        report = clock_tickets(table_, sla, calendar, as_of=as_of)
        report.compliance("month")
        return report

    seconds, report = median_time(vectorised, repeat=repeat)
    assert len(report) == 2 * n  # type: ignore[arg-type]
    sample = min(baseline_sample, n)
    base, loop = median_time(
        lambda: loop_clocks(
            ids[:sample],
            offsets[: sample + 1],
            times,
            states=states,
            priorities=priorities,
            sla=sla,
            calendar=calendar,
            as_of=as_of,
        ),
        repeat=1,
        warmup=0,
    )
    resolution = {
        c.ticket: c
        for c in (report.clock(i) for i in range(len(report)))  # type: ignore[attr-defined]
        if c.metric is TargetMetric.RESOLUTION and int(c.ticket[1:]) < 200
    }
    for ticket, elapsed, deadline in loop[:200]:
        clock = resolution[ticket]
        assert clock.elapsed == elapsed, (ticket, clock.elapsed, elapsed)
        if deadline is not None and clock.breached:
            assert clock.deadline == deadline, (ticket, clock.deadline, deadline)
    per_ticket_loop = base / sample
    rows = [
        [
            f"{n:,} tickets (response + resolution, compliance)",
            seconds,
            per_ticket_loop * n,
            per_ticket_loop * n / seconds,
        ]
    ]
    print(
        table(
            ["workload", "vectorised s", f"loop s (from {sample:,})", "speed-up"],
            rows,
        )
    )
    breached = int(report.breached.sum())  # type: ignore[attr-defined]
    print(f"{len(report):,} clocks, {breached:,} breached (goal <= 10 s)\n")  # type: ignore[arg-type]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cis", type=int, default=100_000)
    parser.add_argument("--services", type=int, default=1_000)
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--baseline-sample", type=int, default=10_000)
    args = parser.parse_args()
    bench_impact(args.cis, args.services, args.repeat)
    bench_sla(args.tickets, max(1, args.repeat // 2), args.baseline_sample)


if __name__ == "__main__":
    main()
