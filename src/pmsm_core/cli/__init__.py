"""The ``pmsm`` command line: argument parsing and printing only.

Each sub-command lives in its own module with ``add_arguments(parser)`` and
``run(args) -> int``; modules import the engines (and numpy, networkx) inside ``run`` so
that ``pmsm`` starts quickly.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from pmsm_core._version import __version__

__all__ = ["COMMANDS", "main"]

#: Sub-command name -> (module, one-line help).
COMMANDS: dict[str, tuple[str, str]] = {
    "catalog": ("pmsm_core.cli.catalog", "show a process catalogue (ITIL 2011/4, PMBOK 6/7, file)"),
    "convert": (
        "pmsm_core.cli.convert",
        "convert a project between JSON and Microsoft Project XML",
    ),
    "demo": ("pmsm_core.cli.demo", "show the embedded demo project"),
    "flow": ("pmsm_core.cli.flow", "analyse the process flow of a catalogue"),
    "gantt": ("pmsm_core.cli.gantt", "draw a Gantt chart of a project (PNG, SVG, PDF)"),
    "level": ("pmsm_core.cli.level", "level resources: no resource over capacity, links kept"),
    "risk": (
        "pmsm_core.cli.risk",
        "schedule risk analysis: Monte Carlo finish dates, criticality, drivers",
    ),
    "schedule": ("pmsm_core.cli.schedule", "schedule a project: dates, floats, critical path"),
    "service": (
        "pmsm_core.cli.service",
        "impact, availability and SLA clocks of a service catalogue",
    ),
    "status": (
        "pmsm_core.cli.status",
        "where a project stands: baseline variances, slipping activities, earned value",
    ),
    "validate": ("pmsm_core.cli.validate", "check a document and list every problem"),
}


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with every sub-command."""
    parser = argparse.ArgumentParser(
        prog="pmsm",
        description="Project and IT service management: schedules, services, processes.",
    )
    parser.add_argument("--version", action="version", version=f"pmsm {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module_name, help_text) in COMMANDS.items():
        module = importlib.import_module(module_name)
        command = sub.add_parser(name, help=help_text, description=module.__doc__)
        module.add_arguments(command)
        command.set_defaults(_run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``pmsm`` command; return the exit status.

    Exit status: 0 success, 1 a problem was found or an error occurred, 2 bad usage.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("default")
        try:
            status: int = args._run(args)
        except BrokenPipeError:  # pragma: no cover - e.g. piped into head
            return 0
        except Exception as exc:
            from pmsm_core.exceptions import PmsmError  # imported late: keeps start-up fast

            if not isinstance(exc, PmsmError):
                raise
            print(f"pmsm {args.command}: error: {exc}", file=sys.stderr)
            return 1
        finally:
            for warning in caught:  # e.g. what a file format could not carry across
                print(f"pmsm {args.command}: warning: {warning.message}", file=sys.stderr)
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
