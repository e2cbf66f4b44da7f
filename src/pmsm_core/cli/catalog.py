"""Show a process catalogue: itil2011, itil4, pmbok6, pmbok7 or your own JSON file.

Formats: ``table`` (default; purposes shortened to fit, use ``json`` for the full text),
``json`` (the catalogue document, which ``pmsm catalog FILE`` and ``pmsm flow FILE`` read
back), ``mermaid`` (a flowchart of the process flow) and ``dot`` (Graphviz).
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from pmsm_core.cli._output import format_table

if TYPE_CHECKING:
    from pmsm_core.model.process import Catalogue

#: Longest purpose shown in the table, in characters.
PURPOSE_WIDTH = 60


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the arguments of ``pmsm catalog``."""
    parser.add_argument(
        "catalogue", metavar="CATALOG", help="itil2011, itil4, pmbok6, pmbok7 or a JSON file"
    )
    parser.add_argument(
        "--format",
        choices=["table", "json", "mermaid", "dot"],
        default="table",
        help="output format (default: table)",
    )


def run(args: argparse.Namespace) -> int:
    """Print the catalogue in the chosen format."""
    from pmsm_core.processes.catalog import load_catalogue

    catalogue = load_catalogue(args.catalogue)
    if args.format == "json":
        from pmsm_core.io.json import dumps

        print(dumps(catalogue))
    elif args.format == "mermaid":
        from pmsm_core.processes.render import flow_to_mermaid

        print(flow_to_mermaid(catalogue))
    elif args.format == "dot":
        from pmsm_core.processes.render import flow_to_dot

        print(flow_to_dot(catalogue))
    else:
        print(catalogue_table(catalogue))
    return 0


def _short(text: str, width: int = PURPOSE_WIDTH) -> str:
    return text if len(text) <= width else text[: width - 3].rstrip() + "..."


def catalogue_table(catalogue: Catalogue) -> str:
    """Return a readable overview of a catalogue: its elements, counts and principles."""
    title = f"{catalogue.name or catalogue.id} ({catalogue.id})"
    lines = [title, "=" * len(title)]
    with_ka = any(p.knowledge_area is not None for p in catalogue.processes)
    headers = ["id", "name", "kind", "stage / group"]
    if with_ka:
        headers.append("knowledge area")
    headers.append("purpose")
    rows = []
    for p in catalogue.processes:
        row = [p.id, p.name, p.kind.label, p.area_label]
        if with_ka:
            row.append(p.knowledge_area.label if p.knowledge_area else "")
        row.append(_short(p.purpose))
        rows.append(row)
    lines.append(format_table(headers, rows, align="l" * len(headers)))
    lines.append("")
    counts: dict[tuple[str, str], int] = {}
    for p in catalogue.processes:
        key = (p.area_label or "-", p.kind.label)
        counts[key] = counts.get(key, 0) + 1
    lines.append("Counts")
    lines.append(
        format_table(
            ["stage / group", "kind", "count"], [[a, k, n] for (a, k), n in counts.items()]
        )
    )
    total = len(catalogue.processes)
    lines.append(f"Total: {total} element{'s' if total != 1 else ''}")
    if catalogue.interfaces:
        by_provenance: dict[str, int] = {}
        for itf in catalogue.interfaces:
            by_provenance[itf.provenance.value] = by_provenance.get(itf.provenance.value, 0) + 1
        shown = ", ".join(f"{k} {v}" for k, v in by_provenance.items())
        lines.append(f"Interfaces: {len(catalogue.interfaces)} ({shown})")
    if catalogue.principles:
        lines += ["", "Principles"]
        lines += [f"  {pr.id:5} {pr.name}" for pr in catalogue.principles]
    if catalogue.source:
        lines += ["", f"Source: {catalogue.source}"]
    return "\n".join(lines)
