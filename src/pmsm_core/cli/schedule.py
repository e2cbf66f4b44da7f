"""Schedule a project: early and late dates, floats, critical path.

Reads project JSON documents and PSPLIB ``.sm`` / Patterson ``.rcp`` files (and every other
format with a registered reader). Floats are working minutes for dated projects and plain
units for undated ones in JSON and CSV; the table shows them in days.
"""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import TYPE_CHECKING, Any

from pmsm_core.cli._output import csv_text, format_table, print_json

if TYPE_CHECKING:
    from pmsm_core.model import Project
    from pmsm_core.scheduling import Schedule, ScheduleOptions


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the arguments of ``pmsm schedule``."""
    parser.add_argument("file", help="project document (.json, .sm, .rcp, ...)")
    parser.add_argument("--format", choices=["table", "json", "csv"], default="table")
    add_schedule_options(parser)


def add_schedule_options(parser: argparse.ArgumentParser) -> None:
    """Options shared by the commands that schedule (schedule, gantt ...)."""
    parser.add_argument(
        "--critical-threshold",
        metavar="X",
        default="0",
        help="activities with total float <= X are critical: a duration such as 1d or 4h "
        "for dated projects (a bare number is minutes), units for undated ones (default 0)",
    )
    parser.add_argument(
        "--multiple-critical-paths",
        action="store_true",
        help="each chain's last activity gets its own early finish as late finish",
    )
    parser.add_argument(
        "--ignore-constraints",
        action="store_true",
        help="let logic beat constraint dates (constraints are only flagged)",
    )
    parser.add_argument(
        "--lag-calendar",
        choices=["successor", "predecessor", "project", "24h"],
        default="successor",
        help="the calendar working-time lags count on (default: the successor's)",
    )
    parser.add_argument(
        "--longest-path",
        action="store_true",
        help="critical means on the longest (driving) path, not total float <= threshold",
    )


def options_from(args: argparse.Namespace, project: Project) -> ScheduleOptions:
    """Build :class:`~pmsm_core.ScheduleOptions` from the command-line flags."""
    from pmsm_core.calendars import Duration
    from pmsm_core.exceptions import ValidationError
    from pmsm_core.scheduling import CriticalDefinition, LagCalendar, ScheduleOptions

    text = str(args.critical_threshold)
    try:
        threshold = Duration.parse(text, project.factors).minutes if project.is_dated else int(text)
    except ValueError:
        msg = f"--critical-threshold: expected a duration such as 1d (or units), got {text!r}"
        raise ValidationError(msg) from None
    return ScheduleOptions(
        critical_threshold=threshold,
        multiple_critical_paths=args.multiple_critical_paths,
        honor_constraints=not args.ignore_constraints,
        lag_calendar=LagCalendar(args.lag_calendar),
        critical_definition=(
            CriticalDefinition.LONGEST_PATH if args.longest_path else CriticalDefinition.TOTAL_FLOAT
        ),
    )


def load_project(path: str) -> Project:
    """Read ``path`` with the reader for its extension and insist on a project."""
    from pmsm_core.exceptions import DocumentError
    from pmsm_core.io import read
    from pmsm_core.model import Project

    value = read(path)
    if not isinstance(value, Project):
        msg = f"{path}: expected a project, got a {type(value).__name__}"
        raise DocumentError(msg, path="$")
    return value


def run(args: argparse.Namespace) -> int:
    """Schedule ``args.file`` and print the result."""
    from pmsm_core.scheduling import schedule

    project = load_project(args.file)
    result = schedule(project, options=options_from(args, project))
    if args.format == "json":
        print_json(result.to_dict())
    elif args.format == "csv":
        data = result.to_dict()
        headers = list(data["activities"][0]) if data["activities"] else ["id"]
        print(csv_text(headers, [list(a.values()) for a in data["activities"]]), end="")
    else:
        print(schedule_report(project, result))
    return 0


def when(value: Any) -> str:
    """A schedule time for people: ``Mon 2026-01-05 08:00`` or a plain number."""
    if isinstance(value, datetime):
        return value.strftime("%a %Y-%m-%d %H:%M")
    return "" if value is None else str(value)


def float_text(project: Project, minutes: int) -> str:
    """A float for people: days for dated projects (``1.5d``), units otherwise."""
    if not project.is_dated:
        return str(minutes)
    if minutes == 0:
        return "0"
    from pmsm_core.calendars import Duration, TimeUnit

    return Duration(minutes, unit=TimeUnit.DAY).format(project.factors)


def schedule_table(project: Project, result: Schedule) -> str:
    """The schedule in WBS order: dates, floats, critical marks."""
    rows = []
    for level, activity in project.walk():
        a = result[activity.id]
        kind = "summary" if a.summary else ("milestone" if a.milestone else "")
        duration = "" if a.milestone else float_text(project, a.duration)
        rows.append(
            [
                "  " * level + a.id,
                activity.name,
                duration,
                when(a.start),
                when(a.finish),
                float_text(project, a.total_float),
                float_text(project, a.free_float),
                "*" if a.critical else "",
                kind,
            ]
        )
    return format_table(
        ["id", "name", "duration", "start", "finish", "total float", "free float", "crit", "kind"],
        rows,
        align="lllllrrll",
    )


def schedule_report(project: Project, result: Schedule) -> str:
    """Schedule table, critical path(s), finish against targets, warnings."""
    lines = [
        f"{project.name or project.id}: {when(result.start)} -> {when(result.finish)}",
        "",
        schedule_table(project, result),
        "",
    ]
    for i, path in enumerate(result.critical_paths[:3], 1):
        label = "Critical path" if len(result.critical_paths) == 1 else f"Critical path {i}"
        lines.append(f"{label}: {' -> '.join(path)}")
    if len(result.critical_paths) > 3:
        lines.append(f"... and {len(result.critical_paths) - 3} more critical paths")
    tc = project.triple_constraint
    if tc.target_finish is not None:
        verdict = _versus(project, result.finish, tc.target_finish)
        lines.append(f"Target finish {when(tc.target_finish)}: {verdict}")
    if tc.deadline is not None:
        lines.append(
            f"Deadline {when(tc.deadline)}: {_versus(project, result.finish, tc.deadline)}"
        )
    if result.warnings:
        lines += ["", "Warnings:"]
        lines += [f"  - {w}" for w in result.warnings]
    return "\n".join(lines).rstrip()


def _versus(project: Project, finish: Any, target: Any) -> str:
    if isinstance(finish, datetime) and isinstance(target, datetime):
        margin = project.calendar.working_minutes_between(finish, target)
    else:
        margin = int(target) - int(finish)
    if margin >= 0:
        return f"met with {float_text(project, margin)} to spare"
    return f"missed by {float_text(project, -margin)}"
