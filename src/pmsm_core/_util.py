"""Small internal helpers shared by several modules."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small objects.

    Bulk builds of frozen values create no reference cycles, yet each allocation burst
    triggers collections; pausing them cuts build times by half or more.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def require(module: str, extra: str) -> None:
    """Raise :class:`~pmsm_core.exceptions.MissingExtraError` unless ``module`` imports."""
    import importlib.util

    from pmsm_core.exceptions import MissingExtraError

    if importlib.util.find_spec(module) is None:
        raise MissingExtraError(module, extra)
