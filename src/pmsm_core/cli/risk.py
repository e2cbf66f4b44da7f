"""Schedule risk analysis: Monte Carlo simulation of a project's schedule.

Reads the same files as ``pmsm schedule`` (JSON, Microsoft Project .xml, PSPLIB ...),
samples every activity's duration from its estimate, applies the risk register, and
prints the finish distribution (mean, standard deviation, P5..P95), the chance of meeting
the target finish and deadlines, and each activity's criticality index and duration
sensitivity. ``--workers`` spreads the iterations over processes; a seed gives the same
numbers whatever the number of workers. A progress bar goes to stderr (when it is a
terminal, or with ``--progress``), so JSON on stdout stays clean.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any, TextIO

from pmsm_core.cli._output import format_table, print_json
from pmsm_core.cli.schedule import add_schedule_options

if TYPE_CHECKING:
    from pmsm_core.model import Project
    from pmsm_core.scheduling.risk import RiskResult

#: Activities listed in the table (strongest drivers first).
TOP: int = 20


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the arguments of ``pmsm risk``."""
    parser.add_argument("file", help="project document (.json, .xml, .sm, .rcp, ...)")
    parser.add_argument(
        "--iterations", "-n", type=int, default=10_000, metavar="N", help="default 10000"
    )
    parser.add_argument("--seed", type=int, default=None, metavar="S", help="for repeatable runs")
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        metavar="W",
        help="processes to run the iterations on (default 1: this process)",
    )
    parser.add_argument(
        "--chunk-size",
        type=int,
        default=None,
        metavar="C",
        help="iterations per chunk sent to a worker (results do not depend on it)",
    )
    parser.add_argument("--format", choices=["table", "json"], default="table")
    parser.add_argument(
        "--no-risk-events",
        action="store_true",
        help="leave out the risk register: simulate the duration estimates only",
    )
    parser.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show a progress bar on stderr (default: when stderr is a terminal)",
    )
    add_schedule_options(parser)


class ProgressBar:
    """A one-line progress bar, redrawn in place on ``stream``."""

    def __init__(self, stream: TextIO, width: int = 30) -> None:
        self.stream = stream
        self.width = width
        self.shown = -1

    def __call__(self, done: int, total: int) -> None:
        """Draw ``done`` of ``total`` iterations (only when the percentage changes)."""
        percent = 100 * done // max(1, total)
        if percent == self.shown:
            return
        self.shown = percent
        filled = self.width * done // max(1, total)
        bar = "#" * filled + "." * (self.width - filled)
        self.stream.write(f"\rpmsm risk: [{bar}] {percent:3d}% {done:,}/{total:,} iterations")
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()


def run(args: argparse.Namespace) -> int:
    """Simulate ``args.file`` and print the result."""
    from pmsm_core.cli.schedule import load_project, options_from
    from pmsm_core.exceptions import ValidationError
    from pmsm_core.scheduling.risk import simulate

    if args.workers < 1:
        msg = f"--workers must be at least 1, got {args.workers}"
        raise ValidationError(msg)
    project = load_project(args.file)
    options = options_from(args, project)
    show = args.progress if args.progress is not None else sys.stderr.isatty()
    progress = ProgressBar(sys.stderr) if show else None
    kwargs: dict[str, Any] = {
        "seed": args.seed,
        "chunk_size": args.chunk_size,
        "options": options,
        "risk_events": not args.no_risk_events,
        "progress": progress,
    }
    if args.workers > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=args.workers) as pool:
            result = simulate(project, args.iterations, executor=pool, **kwargs)
    else:
        result = simulate(project, args.iterations, **kwargs)
    for warning in result.warnings:
        print(f"pmsm risk: warning: {warning}", file=sys.stderr)
    if args.format == "json":
        print_json(result.to_dict())
    else:
        print(risk_report(project, result))
    return 0


def risk_report(project: Project, result: RiskResult) -> str:
    """The finish distribution, targets and the activities that drive the finish."""
    from pmsm_core.cli.schedule import when

    def spread(minutes: float) -> str:
        if not project.is_dated:
            return f"{minutes:.2f}"
        return f"{minutes / project.minutes_per_day:.2f}d"

    lines = [
        f"{project.name or project.id}: {result.iterations:,} iterations (seed {result.seed})",
        "",
        f"CPM finish   {when(result.cpm_finish)}",
        f"Mean finish  {_when(result.mean)}   std {spread(result.std)}",
        "",
    ]
    rows = [[q, _when(v)] for q, v in result.percentiles.items()]
    half = (len(rows) + 1) // 2
    paired = [
        [*rows[i], *(rows[i + half] if i + half < len(rows) else ["", ""])] for i in range(half)
    ]
    lines += [format_table(["", "finish", "", "finish"], paired, align="llll"), ""]
    for target in result.targets:
        what = (
            f"Deadline of {target.activity}"
            if target.activity is not None
            else target.name.capitalize()
        )
        lines.append(f"{what} {when(target.date)}: {_chance(target.probability)} chance")
    if result.targets:
        lines.append("")
    names = {a.id: a for a in result.activities}
    ranked = [names[i] for i in result.sensitivity]
    ranked += sorted(
        (a for a in result.activities if a.sensitivity is None),
        key=lambda a: -a.criticality,
    )
    table = [
        [
            a.id,
            a.name,
            f"{100 * a.criticality:.1f}",
            "" if a.sensitivity is None else f"{a.sensitivity:+.2f}",
            spread(a.mean_duration),
            _when(a.finish_percentiles[15]) if a.finish_percentiles else "",
        ]
        for a in ranked[:TOP]
    ]
    lines.append("Activities, strongest drivers of the finish first:")
    lines.append(
        format_table(
            ["id", "name", "crit %", "sensitivity", "mean duration", "P80 finish"],
            table,
            align="llrrrl",
        )
    )
    if len(ranked) > TOP:
        lines.append(f"... and {len(ranked) - TOP} more activities (--format json lists all)")
    return "\n".join(lines).rstrip()


def _chance(p: float) -> str:
    """A probability for people: ``42.0 %``; never rounds a possibility to 0 or 100."""
    if 0 < p < 0.0005:
        return "< 0.1 %"
    if 0.9995 < p < 1:
        return "> 99.9 %"
    return f"{100 * p:.1f} %"


def _when(value: Any) -> str:
    from datetime import datetime

    if isinstance(value, datetime):
        return value.strftime("%a %Y-%m-%d %H:%M")
    return f"{value:.2f}"
