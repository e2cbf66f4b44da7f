"""Check a document (project JSON, and every other supported format) and list each problem.

Exits with status 0 when the document is valid and 1 when it is not, printing one line per
problem with its location.
"""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the arguments of ``pmsm validate``."""
    parser.add_argument("file", help="document to check (.json; other formats by extension)")


def run(args: argparse.Namespace) -> int:
    """Validate ``args.file``; print problems; return 0 if valid, 1 if not."""
    from pmsm_core.exceptions import ValidationError
    from pmsm_core.io import read

    try:
        value = read(args.file)
    except ValidationError as exc:
        for problem in exc.problems:
            print(problem)
        count = len(exc.problems)
        print(f"{args.file}: {count} problem{'s' if count != 1 else ''}")
        return 1
    print(f"{args.file}: valid {_describe(value)}")
    return 0


def _describe(value: object) -> str:
    kind = type(value).__name__
    ident = getattr(value, "id", None) or getattr(value, "name", None)
    parts = [f"{kind} {ident!r}" if ident else kind]
    for attribute in ("activities", "dependencies", "services", "processes"):
        items = getattr(value, attribute, None)
        if isinstance(items, tuple):
            parts.append(f"{len(items)} {attribute}")
    return ", ".join(parts)
