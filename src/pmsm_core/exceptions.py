"""The exception tree of pmsm_core.

Every error the library raises on purpose derives from :class:`PmsmError`. Each subclass
also derives from the builtin it behaves like, so ``except ValueError`` keeps working for
callers who do not know this library::

    PmsmError
    ├── ValidationError (ValueError)         a value or aggregate breaks a rule
    │   └── DocumentError                    a JSON/XML/text document cannot be read
    ├── CalendarError (ValueError)           calendar arithmetic is impossible
    ├── CycleError (ValueError)              a dependency cycle; carries the cycle
    ├── SchedulingError (RuntimeError)       a schedule cannot be computed
    └── MissingExtraError (ImportError)      an optional dependency is not installed

Errors carry structured attributes: :class:`ValidationError` a tuple of
:class:`Problem` (a JSON-path-like location and a message), :class:`CycleError` the
ordered activities of one cycle, :class:`MissingExtraError` the extra to install.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

__all__ = [
    "CalendarError",
    "CycleError",
    "DocumentError",
    "MissingExtraError",
    "PmsmError",
    "Problem",
    "SchedulingError",
    "ValidationError",
]


class PmsmError(Exception):
    """Root of every error raised on purpose by pmsm_core."""


class Problem(NamedTuple):
    """One problem found in a value or document.

    Parameters
    ----------
    path
        Where the problem is: a JSON-path-like location such as
        ``$.project.activities[3].duration`` (documents) or
        ``activities[3].duration`` (values), or ``""`` for the object itself.
    message
        What is wrong and what was expected.

    Examples
    --------
    >>> str(Problem("$.activities[0].id", "duplicate id 'A'"))
    "$.activities[0].id: duplicate id 'A'"
    """

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message

    def prefixed(self, prefix: str) -> Problem:
        """Return the same problem located under ``prefix``.

        Examples
        --------
        >>> Problem("activities[1].id", "empty").prefixed("$.project")
        Problem(path='$.project.activities[1].id', message='empty')
        """
        if not self.path:
            return Problem(prefix, self.message)
        sep = "" if self.path.startswith("[") else "."
        return Problem(f"{prefix}{sep}{self.path}" if prefix else self.path, self.message)


class ValidationError(PmsmError, ValueError):
    """A value, an aggregate or a document breaks a rule.

    Attributes
    ----------
    problems : tuple of Problem
        Every problem found, each with its location. Aggregates such as
        :class:`~pmsm_core.Project` collect all problems before raising.

    Examples
    --------
    >>> err = ValidationError([Problem("activities[0].duration", "must be >= 0, got -1")])
    >>> print(err)
    activities[0].duration: must be >= 0, got -1
    >>> isinstance(err, ValueError)
    True
    """

    def __init__(self, problems: Iterable[Problem] | str, *, path: str = "") -> None:
        if isinstance(problems, str):
            problems = [Problem(path, problems)]
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def prefixed(self, prefix: str) -> ValidationError:
        """Return an error of the same class with every path placed under ``prefix``."""
        return type(self)([p.prefixed(prefix) for p in self.problems])


class DocumentError(ValidationError):
    """A document (JSON, MSPDI XML, PSPLIB text) cannot be read into values.

    Paths are JSON paths rooted at ``$`` for JSON documents, element paths for XML and
    ``line N`` for text formats.
    """


class CalendarError(PmsmError, ValueError):
    """Calendar arithmetic is impossible: no working time, or a date out of range."""


class CycleError(PmsmError, ValueError):
    """The dependencies contain a cycle, so no schedule exists.

    Attributes
    ----------
    cycle : tuple of str
        The ids of the activities of one cycle, in link order; the last links back to
        the first.

    Examples
    --------
    >>> err = CycleError(("A", "B", "C"))
    >>> err.cycle
    ('A', 'B', 'C')
    >>> print(err)
    dependency cycle: A -> B -> C -> A
    """

    def __init__(self, cycle: Sequence[str], message: str | None = None) -> None:
        self.cycle: tuple[str, ...] = tuple(cycle)
        if message is None:
            shown = " -> ".join([*self.cycle, self.cycle[0]]) if self.cycle else "(empty)"
            message = f"dependency cycle: {shown}"
        super().__init__(message)


class SchedulingError(PmsmError, RuntimeError):
    """A schedule cannot be computed for a reason other than invalid input."""


class MissingExtraError(PmsmError, ImportError):
    """An optional dependency is needed but not installed.

    Attributes
    ----------
    extra : str
        The name of the pmsm-core extra that provides it.

    Examples
    --------
    >>> print(MissingExtraError("pandas", "pandas"))
    this feature needs 'pandas'; install it with: pip install 'pmsm-core[pandas]'
    """

    def __init__(self, module: str, extra: str) -> None:
        self.module = module
        self.extra = extra
        super().__init__(
            f"this feature needs {module!r}; install it with: pip install 'pmsm-core[{extra}]'"
        )
