"""Adapters between values and the outside world: JSON documents and file formats.

:func:`read` picks a reader by file extension, so the command line and applications can
accept any supported format through one call.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from typing import Any

from pmsm_core.exceptions import DocumentError

__all__ = ["READERS", "read"]

#: File extension -> ``"module:function"`` of the reader (imported on first use).
READERS: dict[str, str] = {
    ".json": "pmsm_core.io.json:load",
    ".sm": "pmsm_core.io.psplib:read",
    ".rcp": "pmsm_core.io.psplib:read",
    ".xml": "pmsm_core.io.mspdi:read",
}


def read(path: str | os.PathLike[str]) -> Any:
    """Read a document from ``path``, choosing the reader by its extension.

    Raises
    ------
    DocumentError
        For an unknown extension or an invalid document.

    Examples
    --------
    >>> read("plan.docx")
    Traceback (most recent call last):
    ...
    pmsm_core.exceptions.DocumentError: cannot read 'plan.docx': unknown file type '.docx' ...
    """
    suffix = Path(path).suffix.lower()
    target = READERS.get(suffix)
    if target is None:
        known = ", ".join(sorted(READERS))
        msg = f"cannot read {os.fspath(path)!r}: unknown file type {suffix!r} (known: {known})"
        raise DocumentError(msg)
    module_name, _, function = target.partition(":")
    reader = getattr(importlib.import_module(module_name), function)
    return reader(path)
