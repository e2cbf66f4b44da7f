"""Draw a Gantt chart of a project: critical path, float, milestones, summaries.

Schedules the project (JSON, MSPDI .xml, PSPLIB ... by extension) and writes the chart to a
PNG, SVG or PDF file chosen by the output's extension. Needs the ``plot`` extra (matplotlib).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from pmsm_core.cli.schedule import add_schedule_options

FORMATS = (".png", ".svg", ".pdf")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the arguments of ``pmsm gantt``."""
    parser.add_argument("file", help="project document (.json, .xml, .sm, .rcp)")
    parser.add_argument(
        "-o", "--output", required=True, help="chart file to write: .png, .svg or .pdf"
    )
    parser.add_argument("--links", action="store_true", help="draw an arrow for every link")
    parser.add_argument("--no-float", action="store_true", help="leave out the float bars")
    parser.add_argument(
        "--status-date",
        metavar="DATE",
        help="draw the status-date line here (ISO date-time; default: the project's)",
    )
    parser.add_argument("--dpi", type=int, default=120, help="resolution of PNG files")
    add_schedule_options(parser)


def run(args: argparse.Namespace) -> int:
    """Schedule ``args.file`` and write its Gantt chart to ``args.output``."""
    from datetime import datetime

    from pmsm_core._util import require
    from pmsm_core.cli.schedule import load_project, options_from
    from pmsm_core.exceptions import ValidationError

    suffix = Path(args.output).suffix.lower()
    if suffix not in FORMATS:
        msg = f"--output: expected a .png, .svg or .pdf file, got {args.output!r}"
        raise ValidationError(msg)
    require("matplotlib", "plot")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from pmsm_core.scheduling import schedule
    from pmsm_core.viz.gantt import gantt

    project = load_project(args.file)
    status: datetime | int | None = project.status_date
    if args.status_date:
        try:
            status = datetime.fromisoformat(args.status_date)
        except ValueError:
            msg = (
                "--status-date: expected an ISO date-time such as 2026-02-16, "
                f"got {args.status_date!r}"
            )
            raise ValidationError(msg) from None
    result = schedule(project, options=options_from(args, project))
    ax = gantt(
        result,
        status_date=status,
        links=args.links,
        floats=not args.no_float,
        title=project.name or project.id,
    )
    figure = ax.get_figure(root=True)
    assert figure is not None
    figure.savefig(args.output, dpi=args.dpi)
    plt.close(figure)
    print(f"{args.output}: Gantt chart of {len(result.activities)} activities")
    return 0
