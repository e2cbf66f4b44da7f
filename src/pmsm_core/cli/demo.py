"""Show the embedded demo project: launching a customer-support service desk.

Prints the project's schedule (dates, floats, critical path, finish against its targets),
its scope, budget, risks and stakeholders.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from pmsm_core.cli._output import format_table

if TYPE_CHECKING:
    from pmsm_core.model import Project


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the arguments of ``pmsm demo``."""
    parser.add_argument(
        "--json", action="store_true", help="print the demo project's JSON document instead"
    )


def run(args: argparse.Namespace) -> int:
    """Print the demo report."""
    from pmsm_core.examples import demo_project, example_text

    if args.json:
        print(example_text("service-desk-launch"), end="")
        return 0
    from pmsm_core.cli.schedule import schedule_report
    from pmsm_core.scheduling import schedule

    project = demo_project()
    overview = project_overview(project)
    header, _, details = overview.partition("\n\n\n")
    print(header)
    print()
    print(schedule_report(project, schedule(project)))
    print()
    print(details)
    from pmsm_core.cli.service import service_overview
    from pmsm_core.examples import demo_catalogue

    print("\n" + service_overview(demo_catalogue()))
    return 0


def project_overview(project: Project) -> str:
    """Return a readable overview of a project: header (dates, budget), then, after a
    double blank line, scope, risks and people."""
    tc = project.triple_constraint
    lines = [f"{project.name} ({project.id})", "=" * len(f"{project.name} ({project.id})")]
    if project.description:
        lines += [project.description, ""]
    start = project.start.strftime("%a %Y-%m-%d %H:%M") if project.start else "undated (time units)"
    lines.append(f"Start: {start}   Calendar: {project.calendar.name or project.calendar.id}")
    if tc.target_finish is not None or tc.deadline is not None:
        lines.append(f"Target finish: {_when(tc.target_finish)}   Deadline: {_when(tc.deadline)}")
    cost = project.total_cost
    if tc.budget is not None:
        share = cost / tc.budget * 100 if tc.budget else float("inf")
        lines.append(f"Planned cost: {cost:,.0f} of a {tc.budget:,.0f} budget ({share:.0f} %)")
    else:
        lines.append(f"Planned cost: {cost:,.0f}")
    lines.append("")

    if project.phases:
        lines.append("Phases: " + ", ".join(p.name or p.id for p in project.phases))
    lines += ["", ""]

    if tc.scope:
        lines.append("Deliverables")
        lines += [f"  {d.id}  {d.name}" for d in tc.scope]
        lines.append("")
    if project.risks:
        risks = sorted(project.risks, key=lambda r: -r.exposure)
        lines.append("Risks by exposure (probability x impact)")
        lines.append(
            format_table(
                ["id", "risk", "p", "impact", "exposure", "response"],
                [
                    [
                        r.id,
                        r.name,
                        r.probability,
                        r.impact,
                        r.exposure,
                        r.response.strategy.value if r.response else "",
                    ]
                    for r in risks
                ],
            )
        )
        lines.append("")
    if project.stakeholders:
        n = len(project.stakeholders)
        channels = len(project.communication_channels)
        lines.append(f"Stakeholders: {n}, communication channels n(n-1)/2 = {channels}")
        lines.append(
            format_table(
                ["id", "name", "role", "engagement"],
                [[s.id, s.name, s.role, s.engagement] for s in project.stakeholders],
            )
        )
    return "\n".join(lines).rstrip()


def _when(value: object) -> str:
    from datetime import datetime

    if isinstance(value, datetime):
        return value.strftime("%a %Y-%m-%d %H:%M")
    return "-" if value is None else str(value)
