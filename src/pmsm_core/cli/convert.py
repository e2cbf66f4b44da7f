"""Convert a project between formats: JSON documents and Microsoft Project XML (MSPDI).

The input format comes from its extension (every format ``pmsm schedule`` reads); the output
format from the output's extension: ``.json`` for a JSON document, ``.xml`` for MSPDI (with
the computed schedule filled in). What the target format cannot hold is listed as a warning
on standard error.
"""

from __future__ import annotations

import argparse
from pathlib import Path

#: Output extension -> what is written.
WRITERS = {".json": "a JSON project document", ".xml": "Microsoft Project XML (MSPDI)"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the arguments of ``pmsm convert``."""
    parser.add_argument("input", help="project to read (.json, .xml, .sm, .rcp)")
    parser.add_argument("output", help="file to write: .json or .xml")
    parser.add_argument(
        "--no-schedule",
        action="store_true",
        help="MSPDI: write the inputs only, without computed dates and slack",
    )


def run(args: argparse.Namespace) -> int:
    """Read ``args.input`` and write it to ``args.output``."""
    from pmsm_core.cli.schedule import load_project
    from pmsm_core.exceptions import DocumentError

    suffix = Path(args.output).suffix.lower()
    if suffix not in WRITERS:
        known = ", ".join(sorted(WRITERS))
        msg = f"cannot write {args.output!r}: unknown file type {suffix!r} (known: {known})"
        raise DocumentError(msg)
    project = load_project(args.input)
    if suffix == ".json":
        from pmsm_core.io.json import dump

        dump(project, args.output)
    else:
        from pmsm_core.io.mspdi import write

        write(project, args.output, schedule=not args.no_schedule)
    print(
        f"{args.output}: {WRITERS[suffix]}, {len(project.activities)} activities, "
        f"{len(project.dependencies)} links"
    )
    return 0
