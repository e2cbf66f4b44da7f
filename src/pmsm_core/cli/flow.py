"""Analyse the process flow of a catalogue: itil2011, itil4, pmbok6, pmbok7 or a JSON file.

Prints the inputs nobody produces, the outputs nobody consumes, feedback loops, hand-offs
that cross stages or groups, bottlenecks, the critical path by cycle time (loops
condensed) and work in progress by Little's law. ``--remove`` shows what breaks without
some processes or interfaces; ``--paths`` lists the routes between two processes.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from pmsm_core.cli._output import format_table

if TYPE_CHECKING:
    from pmsm_core.model.process import Catalogue
    from pmsm_core.processes.flow import FlowAnalysis, WhatIf

#: Short cycles listed in the text report (all of them are in --format json).
CYCLES_SHOWN = 10


def _rate(text: str) -> tuple[str, float]:
    pid, sep, value = text.rpartition("=")
    try:
        rate = float(value)
    except ValueError:
        rate = float("nan")
    if not sep or not pid or rate != rate or rate < 0 or rate == float("inf"):  # noqa: PLR0124
        msg = f"expected ID=RATE with a rate >= 0 (items per hour), got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return pid, rate


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the arguments of ``pmsm flow``."""
    parser.add_argument(
        "catalogue", metavar="CATALOG", help="itil2011, itil4, pmbok6, pmbok7 or a JSON file"
    )
    parser.add_argument("--top", type=int, default=5, help="bottlenecks to list (default 5)")
    parser.add_argument(
        "--arrival",
        type=_rate,
        action="append",
        default=[],
        metavar="ID=RATE",
        help="work items per hour arriving at a process (repeatable)",
    )
    parser.add_argument(
        "--remove",
        action="append",
        default=[],
        metavar="ID",
        help="what-if: remove this process or interface (repeatable)",
    )
    parser.add_argument(
        "--paths", nargs=2, metavar=("FROM", "TO"), help="list the routes between two processes"
    )
    parser.add_argument("--format", choices=["text", "json"], default="text")


def run(args: argparse.Namespace) -> int:
    """Print the flow analysis."""
    from pmsm_core.exceptions import ValidationError
    from pmsm_core.processes.catalog import load_catalogue
    from pmsm_core.processes.flow import analyse_flow, flow_paths, what_if

    catalogue = load_catalogue(args.catalogue)
    if args.top < 0:
        msg = f"--top must be >= 0, got {args.top}"
        raise ValidationError(msg)
    analysis = analyse_flow(catalogue, arrival_rates=dict(args.arrival), top=args.top)
    change = None
    if args.remove:
        interface_ids = {i.id for i in catalogue.interfaces if i.id is not None}
        processes = [x for x in args.remove if x in catalogue]
        unknown = [x for x in args.remove if x not in catalogue and x not in interface_ids]
        if unknown:
            msg = f"--remove: {', '.join(map(repr, unknown))} is neither a process nor an interface"
            raise ValidationError(msg)
        handoffs = [x for x in args.remove if x not in catalogue]
        change = what_if(catalogue, remove_processes=processes, remove_handoffs=handoffs)
    paths = flow_paths(catalogue, *args.paths) if args.paths else None
    if args.format == "json":
        from pmsm_core.cli._output import print_json
        from pmsm_core.io.json import unstructure

        out = {"analysis": unstructure(analysis)}
        if change is not None:
            out["what_if"] = unstructure(change)
        if paths is not None:
            out["paths"] = [list(p) for p in paths]
        print_json(out)
        return 0
    print(flow_report(catalogue, analysis))
    if change is not None:
        print()
        print(what_if_report(change, args.remove))
    if paths is not None:
        print()
        print(f"Routes from {args.paths[0]} to {args.paths[1]} (shortest first)")
        if not paths:
            print("  none: no chain of hand-offs connects them")
        for route in paths:
            print("  " + " -> ".join(route))
    return 0


def _names(catalogue: Catalogue, ids: tuple[str, ...] | list[str]) -> str:
    return ", ".join(ids) if ids else "-"


def flow_report(catalogue: Catalogue, fa: FlowAnalysis) -> str:
    """Return the text report of a flow analysis."""
    title = f"Process flow of {catalogue.name or catalogue.id} ({catalogue.id})"
    lines = [title, "=" * len(title)]
    lines.append(f"{fa.processes} processes, {fa.handoffs} hand-offs")
    lines.append(
        f"Sources: {_names(catalogue, fa.sources)}   Sinks: {_names(catalogue, fa.sinks)}   "
        f"Isolated: {_names(catalogue, fa.isolated)}"
    )
    lines.append("")
    for title_, refs in (
        ("Inputs nobody produces", fa.unproduced_inputs),
        ("Outputs nobody consumes", fa.unconsumed_outputs),
    ):
        lines.append(f"{title_}: {len(refs) or 'none'}")
        lines += [f"  {ref}" for ref in refs]
    lines.append("")
    lines.append(f"Feedback loops: {len(fa.loops) or 'none'}")
    for loop in fa.loops:
        lines.append(f"  {len(loop.processes)} processes: {', '.join(loop.processes)}")
        lines.append(f"    for example {loop.describe()}")
    if fa.cycles:
        shown = fa.cycles[:CYCLES_SHOWN]
        lines.append(f"Short cycles: {len(fa.cycles)}")
        lines += ["  " + " -> ".join([*c, c[0]]) for c in shown]
        if len(fa.cycles) > len(shown):
            lines.append(f"  ... {len(fa.cycles) - len(shown)} more (--format json lists all)")
    lines.append("")
    counts = fa.cross_handoff_counts()
    lines.append(f"Hand-offs across stages or groups: {len(fa.cross_handoffs) or 'none'}")
    if counts:
        lines.append(
            format_table(["from", "to", "hand-offs"], [[a, b, n] for (a, b), n in counts.items()])
        )
    lines.append("")
    if fa.bottlenecks:
        exact = "" if fa.betweenness_exact else " (estimated)"
        lines.append(f"Bottlenecks{exact}")
        lines.append(
            format_table(
                ["process", "name", "betweenness", "fan-in", "fan-out"],
                [
                    [
                        b.process,
                        catalogue.process(b.process).name,
                        round(b.betweenness, 3),
                        b.fan_in,
                        b.fan_out,
                    ]
                    for b in fa.bottlenecks
                ],
            )
        )
        lines.append("")
    n = len(fa.critical_path_processes)
    lines.append(
        f"Critical path: {n} process{'es' if n != 1 else ''}, cycle time {fa.critical_path_time}"
    )
    for step in fa.critical_path:
        if len(step) == 1:
            lines.append(f"  {step[0]:8} {catalogue.process(step[0]).name}")
        else:
            lines.append(f"  loop of {len(step)}: {', '.join(step)}")
    if fa.loads:
        lines.append("")
        lines.append("Little's law (L = arrival rate x cycle time)")
        lines.append(
            format_table(
                ["process", "arrivals/h", "cycle time", "WIP", "capacity", "utilisation", "state"],
                [
                    [
                        ld.process,
                        ld.arrival_rate,
                        str(ld.cycle_time),
                        round(ld.wip, 2),
                        ld.capacity,
                        None if ld.utilisation is None else round(ld.utilisation, 2),
                        "overloaded" if ld.overloaded else "",
                    ]
                    for ld in fa.loads
                ],
            )
        )
        if fa.total_wip is not None:
            lines.append(f"Total work in progress: {fa.total_wip:.2f}")
    if fa.warnings:
        lines.append("")
        lines += [f"note: {w}" for w in fa.warnings]
    return "\n".join(lines)


def what_if_report(w: WhatIf, removed: list[str]) -> str:
    """Return the text report of a what-if; ``removed`` names what was taken out."""
    lines = ["What if these are removed: " + ", ".join(removed)]
    lines.append(f"Hand-offs lost: {len(w.removed_handoffs)}")
    lines += [f"  {h.source} -> {h.target}: {h.artefact}" for h in w.removed_handoffs]
    for title, refs in (
        ("Inputs that lose their last producer", w.new_unproduced_inputs),
        ("Outputs that lose their last consumer", w.new_unconsumed_outputs),
    ):
        lines.append(f"{title}: {len(refs) or 'none'}")
        lines += [f"  {ref}" for ref in refs]
    if w.disconnected:
        lines.append(f"Cut off from every hand-off: {', '.join(w.disconnected)}")
    lines.append(
        f"Reachability: {w.reachable_pairs_before} -> {w.reachable_pairs_after} ordered pairs "
        f"({w.lost_reachability} lost)"
    )
    if w.lost_pairs:
        shown = ", ".join(f"{a}->{b}" for a, b in w.lost_pairs)
        more = " ..." if w.lost_reachability > len(w.lost_pairs) else ""
        lines.append(f"  for example {shown}{more}")
    lines.append("Something breaks." if w.breaks else "Nothing breaks.")
    return "\n".join(lines)
