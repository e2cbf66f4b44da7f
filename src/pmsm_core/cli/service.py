"""Service management on a service catalogue document: impact, availability, SLA clocks.

  pmsm service impact FILE --down ID [ID ...]   what a failure takes down or degrades
  pmsm service impact FILE --down ID --explain  which components could explain it
  pmsm service availability FILE                modelled and measured availability
  pmsm service sla FILE                         SLA compliance per agreement and period

Every sub-command prints a table, or JSON with ``--format json``.
"""

from __future__ import annotations

import argparse
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from pmsm_core.cli._output import format_table, print_json

if TYPE_CHECKING:
    from pmsm_core.model.service import ServiceCatalogue


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the sub-commands of ``pmsm service``."""
    sub = parser.add_subparsers(dest="service_command", metavar="SUBCOMMAND", required=True)

    impact = sub.add_parser(
        "impact",
        help="services and items down or degraded after failures",
        description="Propagate failures through the dependency graph, honouring redundancy "
        "groups; with --explain, list the components whose single failure would explain "
        "the given items being down.",
    )
    impact.add_argument("file", help="service catalogue document (.json)")
    impact.add_argument(
        "--down", nargs="+", required=True, metavar="ID", help="failed services or items"
    )
    impact.add_argument(
        "--explain",
        action="store_true",
        help="treat the ids as observed down and list components that could explain them",
    )
    _format(impact)

    availability = sub.add_parser(
        "availability",
        help="modelled availability per service and measured availability from outages",
        description="Compose each service's availability from its components (series, "
        "parallel, k-of-n; the method is reported) and measure availability, MTBF, MTRS and "
        "MTBSI from outage records within agreed service hours.",
    )
    availability.add_argument("file", help="service catalogue document (.json)")
    availability.add_argument(
        "--method",
        default="auto",
        choices=["auto", "series-parallel", "factoring", "enumeration", "monte-carlo"],
        help="composition method (default: auto, exact whenever affordable)",
    )
    availability.add_argument(
        "--samples", type=int, default=200_000, help="Monte Carlo samples (default 200000)"
    )
    availability.add_argument("--seed", type=int, default=0, help="Monte Carlo seed (default 0)")
    availability.add_argument(
        "--from", dest="start", type=_date, help="first day of the measurement window"
    )
    availability.add_argument(
        "--to", dest="end", type=_date, help="day after the measurement window"
    )
    _format(availability)

    sla = sub.add_parser(
        "sla",
        help="SLA clocks and compliance per agreement, target and period",
        description="Time every ticket under the agreements covering its service, in "
        "business hours with pause states, and report met / breached per period.",
    )
    sla.add_argument("file", help="service catalogue document (.json)")
    sla.add_argument(
        "--as-of", type=_datetime, help="reporting instant (default: latest state change)"
    )
    sla.add_argument(
        "--period",
        default="month",
        choices=["day", "week", "month", "quarter", "year"],
        help="compliance period (default: month)",
    )
    sla.add_argument("--clocks", action="store_true", help="also list every clock")
    _format(sla)


def _format(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format", choices=["table", "json"], default="table", help="output format"
    )


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        msg = f"expected a date such as 2026-03-01, got {text!r}"
        raise argparse.ArgumentTypeError(msg) from None


def _datetime(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        msg = f"expected a datetime such as 2026-05-29T17:00, got {text!r}"
        raise argparse.ArgumentTypeError(msg) from None
    if value.tzinfo is not None:
        msg = "datetimes are naive local times; remove the time zone"
        raise argparse.ArgumentTypeError(msg)
    return value.replace(second=0, microsecond=0)


def run(args: argparse.Namespace) -> int:
    """Run the chosen ``pmsm service`` sub-command."""
    catalogue = _read(args.file)
    if args.service_command == "impact":
        return _impact(catalogue, args)
    if args.service_command == "availability":
        return _availability(catalogue, args)
    return _sla(catalogue, args)


def _read(path: str) -> ServiceCatalogue:
    from pmsm_core.exceptions import DocumentError
    from pmsm_core.io import read
    from pmsm_core.model.service import ServiceCatalogue

    value = read(path)
    if not isinstance(value, ServiceCatalogue):
        msg = f"{path}: expected a service catalogue document, got a {type(value).__name__}"
        raise DocumentError(msg, path="$")
    return value


# --------------------------------------------------------------------------- impact


def _impact(catalogue: ServiceCatalogue, args: argparse.Namespace) -> int:
    from pmsm_core.services.graph import ServiceGraph, explain_impact, impact

    graph = ServiceGraph(catalogue)
    if args.explain:
        explanation = explain_impact(graph, args.down)
        if args.format == "json":
            print_json(
                {
                    "impacted": list(explanation.impacted),
                    "complete": list(explanation.complete),
                    "consistent": list(explanation.consistent),
                    "cover": list(explanation.cover),
                    "unexplained": list(explanation.unexplained),
                    "candidates": [
                        {
                            "component": c.component,
                            "kind": graph.kind(c.component),
                            "explains": list(c.explains),
                            "degrades": list(c.degrades),
                            "collateral": c.collateral,
                        }
                        for c in explanation.candidates
                    ],
                }
            )
            return 0
        print(f"Observed down: {', '.join(explanation.impacted)}")
        print(f"Explains all of them alone: {', '.join(explanation.complete) or '-'}")
        print(f"... and takes down nothing else: {', '.join(explanation.consistent) or '-'}")
        if explanation.unexplained:
            print(f"No single failure explains: {', '.join(explanation.unexplained)}")
        print()
        rows = [
            [
                c.component,
                graph.kind(c.component),
                len(c.explains),
                c.collateral,
                ", ".join(c.explains),
            ]
            for c in explanation.candidates[:25]
        ]
        print(format_table(["component", "kind", "explains", "collateral", "items"], rows))
        return 0
    result = impact(graph, args.down)
    if args.format == "json":
        print_json(
            {
                "failed": list(result.failed),
                "services": [
                    {"service": s.service, "status": s.status.value, "causes": list(s.causes)}
                    for s in result.services
                ],
                "down": list(result.down),
                "degraded": list(result.degraded),
                "groups": [
                    {
                        "group": g.group,
                        "status": g.status.value,
                        "members": g.members,
                        "members_down": g.members_down,
                        "min_up": g.min_up,
                    }
                    for g in result.groups
                ],
            }
        )
        return 0
    print(f"Failed: {', '.join(result.failed)}")
    print(
        f"Services down: {len(result.services_down)}, degraded: {len(result.services_degraded)}"
        f"; items down: {len(result.down)}, degraded: {len(result.degraded)}"
    )
    print()
    if result.services:
        rows = [
            [s.service, catalogue.service(s.service).name, s.status.value, ", ".join(s.causes)]
            for s in result.services
        ]
        print(format_table(["service", "name", "status", "caused by"], rows))
    else:
        print("No service is affected.")
    if result.groups:
        print()
        rows = [
            [g.group, f"{g.members_up} of {g.members}", g.min_up, g.status.value]
            for g in result.groups
        ]
        print(format_table(["redundancy group", "up", "needs", "status"], rows, align="llrl"))
    return 0


# --------------------------------------------------------------------------- availability


def _availability(catalogue: ServiceCatalogue, args: argparse.Namespace) -> int:
    from pmsm_core.exceptions import ValidationError
    from pmsm_core.services.availability import (
        derived_outages,
        outage_statistics,
        report_window,
        service_availability,
    )
    from pmsm_core.services.graph import ServiceGraph

    graph = ServiceGraph(catalogue)
    outages = derived_outages(graph)
    window = report_window(outages)
    start = (
        datetime.combine(args.start, datetime.min.time())
        if args.start
        else (window[0] if window else None)
    )
    end = (
        datetime.combine(args.end, datetime.min.time())
        if args.end
        else (window[1] if window else None)
    )
    if start is not None and end is not None and end <= start:
        msg = f"--to {end.date()} must come after --from {start.date()}"
        raise ValidationError(msg)
    rows: list[dict[str, Any]] = []
    for service in sorted(catalogue.services, key=lambda s: s.id):
        model = service_availability(
            graph, service.id, method=args.method, samples=args.samples, seed=args.seed
        )
        row: dict[str, Any] = {
            "service": service.id,
            "name": service.name,
            "target": model.target,
            "modelled": model.availability,
            "method": model.method,
            "interval": list(model.interval) if model.interval else None,
            "meets_target": model.meets_target,
            "shared_components": list(model.shared),
            "assumed_always_up": list(model.assumed),
        }
        if start is not None and end is not None:
            agreements = [a for a in catalogue.agreements_for(service.id) if a.availability_target]
            best = max(agreements, key=lambda a: a.availability_target or 0.0, default=None)
            hours = catalogue.calendar_by_id(best.service_hours if best else None)
            stats = outage_statistics(
                [o for o in outages if o.item == service.id],
                start,
                end,
                calendar=hours,
                item=service.id,
            )
            row.update(
                {
                    "window": [
                        start.isoformat(timespec="minutes"),
                        end.isoformat(timespec="minutes"),
                    ],
                    "service_hours": hours.id,
                    "agreed_service_time": stats.agreed_service_time,
                    "downtime": stats.downtime,
                    "breaks": stats.breaks,
                    "measured": stats.availability,
                    "mtbf": stats.mtbf,
                    "mtrs": stats.mtrs,
                    "mtbsi": stats.mtbsi,
                }
            )
        rows.append(row)
    if args.format == "json":
        print_json({"catalogue": catalogue.id, "services": rows})
        return 0
    print(f"{catalogue.name or catalogue.id}: availability")
    if start is not None and end is not None:
        print(f"Measured from {start:%Y-%m-%d} to {end:%Y-%m-%d} within agreed service hours")
    print()
    table = [
        [
            row["service"],
            _pct(row["target"] / 100 if row["target"] is not None else None),
            _pct(row["modelled"]),
            row["method"],
            {True: "yes", False: "NO", None: ""}[row["meets_target"]],
            _pct(row.get("measured")),
            row.get("downtime", ""),
            row.get("breaks", ""),
            _hours(row.get("mtbf")),
            _minutes(row.get("mtrs")),
        ]
        for row in rows
    ]
    print(
        format_table(
            [
                "service",
                "target",
                "modelled",
                "method",
                "meets",
                "measured",
                "down min",
                "breaks",
                "MTBF h",
                "MTRS min",
            ],
            table,
            align="lrrllrrrrr",
        )
    )
    return 0


def _pct(value: float | None) -> str:
    return "" if value is None else f"{100 * value:.3f} %"


def _hours(minutes: float | None) -> str:
    return "" if minutes is None else f"{minutes / 60:.1f}"


def _minutes(minutes: float | None) -> str:
    return "" if minutes is None else f"{minutes:.0f}"


def _hm(minutes: int) -> str:
    sign = "-" if minutes < 0 else ""
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours}:{rest:02d}"


# --------------------------------------------------------------------------- sla


def _sla(catalogue: ServiceCatalogue, args: argparse.Namespace) -> int:
    from pmsm_core.services.sla import sla_report

    report = sla_report(catalogue, as_of=args.as_of)
    rows = report.compliance(args.period)
    if args.format == "json":
        data: dict[str, Any] = {
            "as_of": report.as_of.isoformat(timespec="minutes"),
            "period": args.period,
            "compliance": [
                {
                    "agreement": c.agreement,
                    "metric": c.metric.value,
                    "target": c.target,
                    "period": c.period.isoformat(),
                    "met": c.met,
                    "breached": c.breached,
                    "pending": c.pending,
                    "cancelled": c.cancelled,
                    "percent": c.percent,
                    "goal": c.goal,
                    "meets_goal": c.meets_goal,
                }
                for c in rows
            ],
        }
        if args.clocks:
            data["clocks"] = [_clock_json(c) for c in report.clocks()]
        print_json(data)
        return 0
    print(f"{catalogue.name or catalogue.id}: SLA clocks as of {report.as_of:%a %Y-%m-%d %H:%M}")
    print()
    table = [
        [
            c.agreement,
            c.target,
            c.period.isoformat(),
            c.met,
            c.breached,
            c.pending,
            "" if c.percent is None else f"{c.percent:.1f} %",
            "" if c.goal is None else f"{c.goal:g} %",
            {True: "yes", False: "NO", None: ""}[c.meets_goal],
        ]
        for c in rows
    ]
    print(
        format_table(
            [
                "agreement",
                "target",
                "period",
                "met",
                "breached",
                "open",
                "compliance",
                "goal",
                "meets",
            ],
            table,
            align="lllrrrrrl",
        )
    )
    if args.clocks:
        print()
        clock_rows = [
            [
                c.ticket,
                c.agreement,
                c.target,
                _hm(c.elapsed),
                f"{c.percent:.0f} %",
                c.stage.value,
                c.outcome,
                "" if c.deadline is None else f"{c.deadline:%Y-%m-%d %H:%M}",
            ]
            for c in report.clocks()
        ]
        print(
            format_table(
                [
                    "ticket",
                    "agreement",
                    "target",
                    "elapsed",
                    "used",
                    "stage",
                    "outcome",
                    "deadline",
                ],
                clock_rows,
                align="llllrlll",
            )
        )
    return 0


def _clock_json(clock: Any) -> dict[str, Any]:
    def when(value: datetime | None) -> str | None:
        return None if value is None else value.isoformat(timespec="minutes")

    return {
        "ticket": clock.ticket,
        "agreement": clock.agreement,
        "metric": clock.metric.value,
        "target": clock.target,
        "target_minutes": clock.target_minutes,
        "opened": when(clock.opened),
        "elapsed": clock.elapsed,
        "paused": clock.paused,
        "percent": clock.percent,
        "stage": clock.stage.value,
        "outcome": clock.outcome,
        "breached": clock.breached,
        "warning": clock.warning,
        "deadline": when(clock.deadline),
        "warning_at": when(clock.warning_at),
        "stopped": when(clock.stopped),
    }


# --------------------------------------------------------------------------- demo


def service_overview(catalogue: ServiceCatalogue) -> str:
    """Return a readable overview of a service catalogue for ``pmsm demo``.

    Services with their agreed and modelled availability, the single points of failure,
    what the failure of the component that degrades most services does (redundancy
    absorbing it), and SLA compliance per month.
    """
    from pmsm_core.services.availability import service_availability
    from pmsm_core.services.graph import (
        ServiceGraph,
        blast_radius,
        impact,
        single_points_of_failure,
    )
    from pmsm_core.services.sla import sla_report

    graph = ServiceGraph(catalogue)
    title = f"{catalogue.name} ({catalogue.id})" if catalogue.name else catalogue.id
    lines = [title, "=" * len(title)]
    if catalogue.description:
        lines += [catalogue.description, ""]
    rows = []
    for service in catalogue.services:
        model = service_availability(graph, service.id)
        rows.append(
            [
                service.id,
                service.name,
                service.status.value,
                service.stage.label,
                _pct(model.target / 100 if model.target is not None else None),
                _pct(model.availability),
                model.method,
            ]
        )
    lines.append("Services (availability modelled from components, redundancy honoured)")
    lines.append(
        format_table(
            ["id", "name", "portfolio", "stage", "agreed", "modelled", "method"],
            rows,
            align="llllrrl",
        )
    )
    lines.append("")
    spofs = single_points_of_failure(graph)
    if spofs:
        lines.append("Single points of failure")
        lines += [f"  {s.component:<10} takes down {', '.join(s.services)}" for s in spofs]
        lines.append("")
    hypervisors = [
        b
        for b in blast_radius(graph)
        if b.kind == "ci" and b.services_down == 0 and b.services_degraded
    ]
    if hypervisors:
        worst = hypervisors[0]
        result = impact(graph, [worst.component])
        lines.append(
            f"If {worst.component} fails, redundancy keeps every service up; degraded: "
            + ", ".join(result.services_degraded)
        )
        lines.append("")
    report = sla_report(catalogue)
    compliance = report.compliance("month")
    if compliance:
        lines.append(f"SLA compliance by month (clocks as of {report.as_of:%Y-%m-%d %H:%M})")
        table = []
        for c in compliance:
            if c.goal is None:
                continue
            table.append(
                [
                    c.agreement,
                    c.target,
                    f"{c.period:%Y-%m}",
                    c.met,
                    c.breached,
                    "" if c.percent is None else f"{c.percent:.0f} %",
                    f"{c.goal:g} %",
                ]
            )
        lines.append(
            format_table(
                ["agreement", "target", "month", "met", "breached", "compliance", "goal"],
                table,
                align="lllrrrr",
            )
        )
    return "\n".join(lines).rstrip()
