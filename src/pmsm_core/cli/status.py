"""Where is the project against its baseline? Variances, slipping activities, earned value.

Reads a project document (JSON, or Microsoft Project XML ``.xml``) with a baseline and
progress, reschedules it from its status date and prints the schedule variances against
the baseline, the slipping activities, earned value (PV, EV, AC, SV, CV, SPI, CPI, the
named EACs, ETC, VAC, TCPI), earned schedule and the budget check; ``--format json`` gives
the same figures as JSON. Variances are working minutes in JSON and days in the table.
"""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import TYPE_CHECKING, Any

from pmsm_core.cli._output import format_table, print_json
from pmsm_core.cli.schedule import add_schedule_options, float_text, load_project, when

if TYPE_CHECKING:
    from pmsm_core.model import Project
    from pmsm_core.scheduling.baseline import BaselineComparison
    from pmsm_core.scheduling.earned_value import EarnedValue


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the arguments of ``pmsm status``."""
    parser.add_argument("file", help="project document with a baseline and progress (.json, .xml)")
    parser.add_argument(
        "--status-date",
        metavar="D",
        help="measure at this date (ISO, e.g. 2026-03-16T17:00; a number for undated "
        "projects) instead of the project's status date",
    )
    parser.add_argument(
        "--baseline", metavar="N", type=int, default=0, help="baseline number 0-10 (default 0)"
    )
    parser.add_argument(
        "--periods",
        default=None,
        help="grid of earned schedule and the S-curve: day, week (default) or month; a "
        "number of units for undated projects",
    )
    parser.add_argument(
        "--eac",
        choices=["cpi", "budget-rate", "cpi-spi", "bottom-up"],
        default="cpi",
        help="the EAC formula used for ETC, VAC, TCPI and the budget check (default cpi: "
        "BAC / CPI)",
    )
    parser.add_argument("--format", choices=["table", "json"], default="table")
    add_schedule_options(parser)


def _status_date(project: Project, text: str | None) -> datetime | int | None:
    from pmsm_core.exceptions import ValidationError

    if text is None:
        return project.status_date
    try:
        if project.is_dated:
            value = datetime.fromisoformat(text)
            return value.replace(second=0, microsecond=0)
        return int(text)
    except ValueError:
        kind = "an ISO date such as 2026-03-16T17:00" if project.is_dated else "a whole number"
        msg = f"--status-date: expected {kind}, got {text!r}"
        raise ValidationError(msg) from None


def run(args: argparse.Namespace) -> int:
    """Print the status report of ``args.file``."""
    import attrs

    from pmsm_core.cli.schedule import options_from
    from pmsm_core.exceptions import ValidationError
    from pmsm_core.scheduling.baseline import compare_with_baseline
    from pmsm_core.scheduling.earned_value import earned_value
    from pmsm_core.scheduling.schedule import schedule

    project = load_project(args.file)
    status = _status_date(project, args.status_date)
    if status != project.status_date:
        project = attrs.evolve(project, status_date=status)  # validates actuals against it
    periods: Any = args.periods
    if periods is not None and not project.is_dated:
        try:
            periods = int(periods)
        except ValueError:
            msg = f"--periods: expected a whole number of units, got {args.periods!r}"
            raise ValidationError(msg) from None
    current = schedule(project, options=options_from(args, project))
    comparison = compare_with_baseline(project, current, baseline=args.baseline)
    ev = earned_value(project, baseline=args.baseline, periods=periods, eac_method=args.eac)
    if args.format == "json":
        print_json(
            {
                "project": project.id,
                "status_date": ev.to_dict()["status_date"],
                "schedule": comparison.to_dict(),
                "slipping": [x.id for x in comparison.slipping()],
                "earned_value": ev.to_dict(),
                "warnings": [str(w) for w in current.warnings],
            }
        )
    else:
        print(status_report(project, comparison, ev, [str(w) for w in current.warnings]))
    return 0


def _money(value: float | None) -> str:
    return "n/a" if value is None else f"{value:,.2f}"


def _index(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _signed(project: Project, minutes: int | None) -> str:
    if minutes is None:
        return ""
    text = float_text(project, abs(minutes))
    return text if minutes == 0 else ("+" if minutes > 0 else "-") + text


def status_report(
    project: Project, c: BaselineComparison, ev: EarnedValue, warnings: list[str]
) -> str:
    """The plain-text report: schedule against the baseline, slipping activities, earned
    value, earned schedule, budget."""
    name = project.name or project.id
    lines = [
        f"{name}: status at {when(ev.status_date)} against baseline {c.baseline}"
        + (f" ({c.baseline_name})" if c.baseline_name else ""),
        "",
        "Schedule against the baseline",
        format_table(
            ["", "current", "baseline", "variance"],
            [
                [
                    "start",
                    when(c.start),
                    when(c.baseline_start),
                    _signed(project, c.start_variance),
                ],
                [
                    "finish",
                    when(c.finish),
                    when(c.baseline_finish),
                    _signed(project, c.finish_variance),
                ],
                ["duration", "", "", _signed(project, c.duration_variance)],
            ],
            align="lllr",
        ),
        "",
    ]
    slipping = c.slipping()
    if slipping:
        lines += [
            "Slipping activities",
            format_table(
                ["id", "name", "baseline finish", "finish", "variance"],
                [
                    [
                        x.id,
                        x.name,
                        when(x.baseline_finish),
                        when(x.finish),
                        _signed(project, x.finish_variance),
                    ]
                    for x in slipping
                ],
                align="llllr",
            ),
            "",
        ]
    else:
        lines += ["No slipping activities.", ""]
    rows = [
        ["BAC", "budget at completion", _money(ev.bac)],
        ["PV", "planned value", _money(ev.pv)],
        ["EV", "earned value", _money(ev.ev)],
        ["AC", "actual cost", _money(ev.ac)],
        ["SV", "schedule variance EV - PV", _money(ev.sv)],
        ["CV", "cost variance EV - AC", _money(ev.cv)],
        ["SPI", "EV / PV", _index(ev.spi)],
        ["CPI", "EV / AC", _index(ev.cpi)],
    ]
    rows += [[f"EAC {e.method}", e.formula, _money(e.value)] for e in ev.estimates]
    rows += [
        ["ETC", f"EAC ({ev.eac_method}) - AC", _money(ev.etc)],
        ["VAC", "BAC - EAC", _money(ev.vac)],
        ["TCPI", "to BAC: (BAC - EV) / (BAC - AC)", _index(ev.tcpi_bac)],
        ["TCPI", "to EAC: (BAC - EV) / (EAC - AC)", _index(ev.tcpi_eac)],
    ]
    done = ev.percent_complete
    lines += [
        f"Earned value ({'n/a' if done is None else f'{done:.1f} %'} complete)",
        format_table(["", "", "value"], rows, align="llr"),
        "",
    ]
    es = ev.earned_schedule
    if es is not None:
        unit = {"day": "days", "week": "weeks", "month": "months"}.get(
            es.period, f"periods of {es.period}"
        )
        lines += [
            f"Earned schedule (in {unit} from the baseline start)",
            format_table(
                ["", "", "value"],
                [
                    ["ES", "earned schedule", f"{es.es:.2f}"],
                    ["AT", "actual time", f"{es.at:.2f}"],
                    ["PD", "planned duration", f"{es.pd:.2f}"],
                    ["SV(t)", "ES - AT", f"{es.sv_t:+.2f}"],
                    ["SPI(t)", "ES / AT", _index(es.spi_t)],
                    ["IEAC(t)", "PD / SPI(t)", "n/a" if es.ieac_t is None else f"{es.ieac_t:.2f}"],
                    ["", "forecast finish", when(es.forecast_finish) or "n/a"],
                ],
                align="llr",
            ),
            "",
        ]
    b = ev.budget
    if b.budget is None:
        lines.append("Budget: none set in the triple constraint.")
    elif b.within:
        lines.append(
            f"Budget {_money(b.budget)}: EAC {_money(b.eac)} fits, {_money(b.margin)} to spare."
        )
    elif b.within is None:
        lines.append(f"Budget {_money(b.budget)}: no EAC yet ({ev.eac_method} is undefined).")
    else:
        lines.append(
            f"Budget {_money(b.budget)}: EAC {_money(b.eac)} exceeds it by "
            f"{_money(-(b.margin or 0.0))}."
        )
    notes = [*warnings, *(w for w in ev.warnings if "exceeds the budget" not in w)]
    if notes:
        lines += ["", "Warnings:", *(f"  - {w}" for w in notes)]
    return "\n".join(lines).rstrip()
