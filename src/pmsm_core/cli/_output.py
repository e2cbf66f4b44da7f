"""Printing helpers for the command line: plain-text tables, JSON, CSV."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Sequence
from typing import Any, TextIO


def format_table(
    headers: Sequence[str], rows: Sequence[Sequence[Any]], *, align: str | None = None
) -> str:
    """Return an aligned plain-text table.

    ``align`` has one character per column: ``l`` (left) or ``r`` (right); numbers are
    right-aligned by default.

    Examples
    --------
    >>> print(format_table(["id", "days"], [["A", 3], ["BB", 12]]))
    id  days
    --  ----
    A      3
    BB    12
    """
    text = [[_cell(v) for v in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in text:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))
    if align is None:
        align = "".join(
            "r" if rows and all(_is_number(r[i]) for r in rows if r[i] is not None) else "l"
            for i in range(len(headers))
        )

    def line(cells: Sequence[str]) -> str:
        parts = [
            c.rjust(widths[i]) if align[i] == "r" else c.ljust(widths[i])
            for i, c in enumerate(cells)
        ]
        return "  ".join(parts).rstrip()

    out = [line(list(headers)), line(["-" * w for w in widths])]
    out.extend(line(row) for row in text)
    return "\n".join(out)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, float):
        return f"{value:,.2f}" if abs(value) >= 1000 else f"{value:g}"
    return str(value)


def print_json(data: Any, stream: TextIO | None = None) -> None:
    """Print ``data`` as indented JSON."""
    stream = stream or sys.stdout
    json.dump(data, stream, indent=2, ensure_ascii=False, allow_nan=False, default=str)
    stream.write("\n")


def csv_text(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """Return CSV text with a header row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue()
