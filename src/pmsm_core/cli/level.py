"""Level a project's resources: no work resource over its capacity, links kept.

Reads project JSON documents, Microsoft Project XML, PSPLIB ``.sm`` and Patterson ``.rcp``
files. The table lists the activities levelling moved, how far and why; ``--format json``
prints the fields of ``pmsm schedule --format json`` for the levelled schedule (``finish``
is the levelled finish) with each activity's ``delay`` (working minutes for dated
projects, units for undated ones) and its explanation. A progress bar goes to the
terminal's standard error on runs longer than a moment.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import TYPE_CHECKING, Any, TextIO

from pmsm_core.cli._output import format_table, print_json
from pmsm_core.cli.schedule import add_schedule_options

if TYPE_CHECKING:
    from pmsm_core.model import Project
    from pmsm_core.scheduling.levelling import LevelledSchedule

#: Seconds a run must last before the progress bar appears.
PROGRESS_AFTER = 0.5


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the arguments of ``pmsm level``."""
    parser.add_argument("file", help="project document (.json, .xml, .sm, .rcp)")
    parser.add_argument(
        "--schedules",
        type=int,
        default=1000,
        metavar="N",
        help="schedules the heuristic generates (default 1000; 1 = one pass of the rule)",
    )
    parser.add_argument("--seed", type=int, default=0, metavar="S", help="random seed (0)")
    parser.add_argument(
        "--time-limit", type=float, default=None, metavar="SECONDS", help="stop the search"
    )
    parser.add_argument(
        "--within-float",
        action="store_true",
        help="never move an activity past its late start (the finish stays)",
    )
    parser.add_argument(
        "--method",
        choices=["heuristic", "cp-sat"],
        default="heuristic",
        help="cp-sat: OR-Tools' exact solver for small projects (ortools extra)",
    )
    parser.add_argument("--format", choices=["table", "json"], default="table")
    parser.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show a progress bar on standard error (default: when it is a terminal)",
    )
    add_schedule_options(parser)


class ProgressBar:
    """A one-line progress bar on a stream, shown once a run lasts ``after`` seconds."""

    def __init__(self, stream: TextIO, *, after: float | None = None, width: int = 30) -> None:
        self.stream = stream
        self.after = PROGRESS_AFTER if after is None else after
        self.width = width
        self.started = time.perf_counter()
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        elapsed = time.perf_counter() - self.started
        if elapsed < self.after and not self.shown:
            return
        self.shown = True
        filled = self.width * done // max(total, 1)
        bar = "#" * filled + "-" * (self.width - filled)
        self.stream.write(f"\rlevelling [{bar}] {done}/{total} schedules, {elapsed:.1f} s")
        self.stream.flush()

    def close(self) -> None:
        """End the bar's line (nothing when it never showed)."""
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()


def run(args: argparse.Namespace) -> int:
    """Level ``args.file`` and print the result."""
    from pmsm_core.cli.schedule import load_project, options_from
    from pmsm_core.scheduling.levelling import level

    project = load_project(args.file)
    show = args.progress if args.progress is not None else sys.stderr.isatty()
    bar = ProgressBar(sys.stderr) if show else None
    try:
        result = level(
            project,
            schedules=args.schedules,
            seed=args.seed,
            time_limit=args.time_limit,
            within_float=args.within_float,
            method=args.method,
            options=options_from(args, project),
            progress=bar,
        )
    finally:
        if bar is not None:
            bar.close()
    if args.format == "json":
        print_json(result.to_dict())
    else:
        print(level_report(project, result))
    return 0


def _when(value: Any) -> str:
    from pmsm_core.cli.schedule import when

    return when(value)


def level_report(project: Project, result: LevelledSchedule) -> str:
    """The finish before and after, the moved activities and why, what is left over."""
    from pmsm_core.cli.schedule import float_text
    from pmsm_core.scheduling.levelling import over_allocations

    before = over_allocations(project, result.cpm)
    after = over_allocations(project, result.schedule)
    longer = result.makespan - result.cpm_makespan
    method = (
        f"CP-SAT{' (optimal)' if result.optimal else ''}"
        if result.method == "cp-sat"
        else f"{result.schedules} schedule{'' if result.schedules == 1 else 's'}"
    )
    lines = [
        (
            f"{project.name or project.id}: finish {_when(result.cpm.finish)} -> "
            f"{_when(result.finish)} (+{float_text(project, longer)}); "
            f"{method} in {result.seconds:.2f} s"
        ),
        f"Over-allocations: {len(before)} before levelling, {len(after)} after",
        "",
    ]
    rows = []
    for _, activity in project.walk():
        a = result[activity.id]
        if a.summary or not (a.delay or a.unresolved):
            continue
        rows.append(
            [
                a.id,
                activity.name,
                _when(a.start),
                _when(a.finish),
                float_text(project, a.delay),
                a.explanation,
            ]
        )
    if rows:
        lines.append(
            format_table(["id", "name", "start", "finish", "delay", "why"], rows, align="llllrl")
        )
    else:
        lines.append("No activity had to move.")
    paths = result.schedule.critical_paths
    if paths:
        lines += ["", f"Critical path (links and resource hand-overs): {' -> '.join(paths[0])}"]
    if after:
        lines += ["", "Still over capacity:"]
        lines += [f"  - {x}" for x in after]
    if result.warnings:
        lines += ["", "Warnings:"]
        lines += [f"  - {w}" for w in result.warnings]
    return "\n".join(lines).rstrip()
