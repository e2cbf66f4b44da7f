"""JSON documents: every domain value to and from JSON through one cattrs converter.

A document is an object with a ``schema_version`` and exactly one key naming its kind::

    {"schema_version": 1, "project": {"id": "P1", "name": "...", "activities": [...]}}

Duration estimates are a tagged union: their ``"type"`` is the distribution (``"pert"``,
``"triangular"``, ``"uniform"``, ``"lognormal"``, ``"fixed"``, ``"empirical"``); a
three-point estimate without a ``"type"`` is PERT-beta, as in documents written before
the other kinds existed::

    "estimate": {"type": "triangular", "optimistic": "3d", "most_likely": "5d",
                 "pessimistic": "9d"}
    "estimate": {"type": "lognormal", "mean": "5d", "std": "2d"}
    "estimate": {"type": "empirical", "samples": ["4d", "5d", "5d", "7d"]}

Readable forms are used where people write documents by hand: durations as ``"3d"``,
``"4h"``, ``"30m"``, ``"2ed"`` (elapsed) or a plain number of minutes (of units in an
undated project), lags also as ``"50%"``, datetimes as ISO strings ``"2026-01-05T08:00"``,
dates as ``"2026-12-25"``, working times as ``"08:00-12:00"`` and week patterns as
``{"mon": ["08:00-12:00", "13:00-17:00"], ...}``. Working days, weeks and months in a
project's durations use that project's ``minutes_per_day``, ``minutes_per_week`` and
``days_per_month``.

Reading is strict: unknown keys, wrong JSON types (``"5"`` for a number, ``1`` for
``true``), unknown enum values and broken references are errors. Every problem comes back
in one :class:`~pmsm_core.exceptions.DocumentError`, each with the JSON path of the value
at fault; a wrong value does not hide a project's broken references.
"""

from __future__ import annotations

import contextlib
import enum
import functools
import json
import os
import re
from collections.abc import Callable, Iterator, Mapping
from contextvars import ContextVar
from datetime import date, datetime
from pathlib import Path
from typing import Any, Final, TypeVar, get_args, get_origin

import attrs
from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError, IterableValidationError
from cattrs.preconf.json import JsonConverter
from cattrs.preconf.json import make_converter as _make_json_converter

from pmsm_core._util import no_gc
from pmsm_core.calendars import (
    CalendarException,
    Duration,
    DurationFactors,
    WorkCalendar,
    WorkingTime,
)
from pmsm_core.exceptions import DocumentError, Problem, ValidationError
from pmsm_core.model.estimates import (
    Distribution,
    DurationEstimate,
    EmpiricalEstimate,
    FixedEstimate,
    LognormalEstimate,
    ThreePointEstimate,
    UniformEstimate,
)
from pmsm_core.model.project import PercentLag, Project

__all__ = [
    "DOCUMENT_KINDS",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "configure_converter",
    "dump",
    "dumps",
    "load",
    "loads",
    "make_converter",
    "register_document_kind",
    "structure",
    "unstructure",
]

T = TypeVar("T")

#: The schema version this library writes.
SCHEMA_VERSION: Final = 1

#: Document kinds, mapping the key under which a value is stored to its class (or to
#: ``"module:Class"``, imported when a document of that kind is read or written).
DOCUMENT_KINDS: dict[str, type[Any] | str] = {
    "project": Project,
    "process_catalogue": "pmsm_core.model.process:Catalogue",
    "service_catalogue": "pmsm_core.model.service:ServiceCatalogue",
}

#: Upgrades of older documents. ``MIGRATIONS[n]`` turns a version ``n`` document (the whole
#: JSON object) into a version ``n + 1`` document. Empty while only version 1 exists.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}

#: Largest document :func:`loads` accepts, in bytes (a guard against memory exhaustion).
MAX_DOCUMENT_BYTES: Final = 512 * 1024 * 1024

_DAY_NAMES: Final = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@attrs.frozen
class _TimeContext:
    factors: DurationFactors = attrs.field(factory=DurationFactors)
    dated: bool = True


_DEFAULT_CONTEXT: Final = _TimeContext()
_CONTEXT: ContextVar[_TimeContext] = ContextVar("pmsm_time_context")


@contextlib.contextmanager
def _time_context(context: _TimeContext) -> Iterator[None]:
    token = _CONTEXT.set(context)
    try:
        yield
    finally:
        _CONTEXT.reset(token)


def register_document_kind(key: str, cls: type[Any] | str) -> None:
    """Register a value class (or ``"module:Class"``) as a document kind stored under ``key``."""
    DOCUMENT_KINDS[key] = cls


def _kind_class(key: str) -> type[Any]:
    target = DOCUMENT_KINDS[key]
    if isinstance(target, str):
        import importlib

        module, _, name = target.partition(":")
        target = getattr(importlib.import_module(module), name)
        DOCUMENT_KINDS[key] = target
    return target


# --------------------------------------------------------------------------- primitives


class _JsonTypeError(ValueError):
    """A JSON value of the wrong type; the message says what was expected."""


def _expect(kind: str, value: Any) -> _JsonTypeError:
    shown = json.dumps(value)[:60] if _is_jsonable(value) else repr(value)[:60]
    return _JsonTypeError(f"expected {kind}, got {shown}")


def _is_jsonable(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool | list | dict)


def _structure_str(value: Any, _: Any) -> str:
    if not isinstance(value, str):
        msg = "a string"
        raise _expect(msg, value)
    return value


def _structure_int(value: Any, _: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        msg = "a whole number"
        raise _expect(msg, value)
    return value


def _structure_float(value: Any, _: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        msg = "a number"
        raise _expect(msg, value)
    return float(value)


def _structure_bool(value: Any, _: Any) -> bool:
    if not isinstance(value, bool):
        msg = "true or false"
        raise _expect(msg, value)
    return value


def _structure_datetime(value: Any, _: Any) -> datetime:
    if not isinstance(value, str):
        msg = "an ISO datetime string such as '2026-01-05T08:00'"
        raise _expect(msg, value)
    try:
        result = datetime.fromisoformat(value)
    except ValueError:
        msg = "an ISO datetime string such as '2026-01-05T08:00'"
        raise _expect(msg, value) from None
    if result.tzinfo is not None:
        msg = f"datetimes are naive local times; remove the time zone from {value!r}"
        raise _JsonTypeError(msg)
    return result


def _unstructure_datetime(value: datetime) -> str:
    return value.isoformat(timespec="minutes" if not value.second else "seconds")


def _structure_date(value: Any, _: Any) -> date:
    if not isinstance(value, str):
        msg = "an ISO date string such as '2026-12-25'"
        raise _expect(msg, value)
    try:
        return date.fromisoformat(value)
    except ValueError:
        msg = "an ISO date string such as '2026-12-25'"
        raise _expect(msg, value) from None


def _structure_timepoint(value: Any, _: Any) -> datetime | int | None:
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        return _structure_datetime(value, datetime)
    msg = "an ISO datetime string (or whole time units for undated projects)"
    raise _expect(msg, value)


def _unstructure_timepoint(value: datetime | int | None) -> str | int | None:
    return _unstructure_datetime(value) if isinstance(value, datetime) else value


def _structure_time_or_number(value: Any, _: Any) -> datetime | float:
    """A result time: a datetime (dated projects) or a number of units (undated)."""
    if isinstance(value, str):
        return _structure_datetime(value, datetime)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    msg = "an ISO datetime string or a number of time units"
    raise _expect(msg, value)


def _unstructure_time_or_number(value: datetime | float) -> str | float:
    return _unstructure_datetime(value) if isinstance(value, datetime) else value


@functools.lru_cache(maxsize=4096)
def _parse_duration(text: str, factors: DurationFactors) -> Duration:
    return Duration.parse(text, factors)


def _structure_duration(value: Any, _: Any) -> Duration:
    if isinstance(value, int) and not isinstance(value, bool):
        return Duration(value)
    if isinstance(value, str):
        return _parse_duration(value, _CONTEXT.get(_DEFAULT_CONTEXT).factors)
    msg = "a duration such as '3d', '4h', '30m', '2ed' or a number of minutes"
    raise _expect(msg, value)


def _unstructure_duration(value: Duration) -> str | int:
    context = _CONTEXT.get(_DEFAULT_CONTEXT)
    if not context.dated and not value.elapsed:
        return value.minutes
    return value.format(context.factors)


def _structure_lag(value: Any, _: Any) -> Duration | PercentLag:
    if isinstance(value, str) and value.strip().endswith("%"):
        text = value.strip()[:-1]
        elapsed = text.endswith("e")
        number = text[:-1] if elapsed else text
        try:
            percent = float(number)
        except ValueError:
            msg = "a percent lag such as '50%' or '25e%'"
            raise _expect(msg, value) from None
        return PercentLag(percent, elapsed=elapsed)
    return _structure_duration(value, Duration)


def _unstructure_lag(value: Duration | PercentLag) -> str | int:
    if isinstance(value, PercentLag):
        return str(value)
    return _unstructure_duration(value)


def _structure_working_time(value: Any, _: Any) -> WorkingTime:
    if not isinstance(value, str):
        msg = "a working time such as '08:00-12:00'"
        raise _expect(msg, value)
    return WorkingTime.parse(value)


def _structure_enum(value: Any, cls: type[enum.Enum]) -> enum.Enum:
    allowed = ", ".join(repr(m.value) for m in cls)
    if isinstance(value, bool | float):  # true == 1 and 3.0 == 3 would pick an int member
        msg = f"one of {allowed}"
        raise _expect(msg, value)
    try:
        return cls._value2member_map_[value]
    except (KeyError, TypeError):
        pass
    try:
        return cls(value)
    except (ValueError, TypeError):
        msg = f"one of {allowed}"
        raise _expect(msg, value) from None


def _check_mapping(value: Any, keys: set[str], required: set[str], what: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        msg = f"an object ({what})"
        raise _expect(msg, value)
    extra = set(value) - keys
    if extra:
        msg = ""
        raise ForbiddenExtraKeysError(msg, dict, extra)
    missing = required - set(value)
    if missing:
        msg = f"missing required key(s) {sorted(missing)} for {what}"
        raise _JsonTypeError(msg)
    return value


# --------------------------------------------------------------------------- calendars


def _structure_calendar(conv: JsonConverter) -> Callable[[Any, Any], WorkCalendar]:
    def hook(value: Any, _: Any) -> WorkCalendar:
        data = _check_mapping(value, {"id", "name", "week", "exceptions"}, {"id"}, "a calendar")
        errors: list[Exception] = []
        kwargs: dict[str, Any] = {}
        for key, cls in (("id", str), ("name", str)):
            if key in data:
                try:
                    kwargs[key] = conv.structure(data[key], cls)
                except Exception as exc:
                    exc.__notes__ = [*getattr(exc, "__notes__", []), _note(key, cls)]
                    errors.append(exc)
        if "week" in data:
            try:
                kwargs["week"] = _structure_week(data["week"])
            except Exception as exc:
                exc.__notes__ = [*getattr(exc, "__notes__", []), _note("week", dict)]
                errors.append(exc)
        if "exceptions" in data:
            try:
                kwargs["exceptions"] = conv.structure(
                    data["exceptions"], tuple[CalendarException, ...]
                )
            except Exception as exc:
                exc.__notes__ = [*getattr(exc, "__notes__", []), _note("exceptions", tuple)]
                errors.append(exc)
        if errors:
            msg = "While structuring WorkCalendar"
            raise ClassValidationError(msg, errors, WorkCalendar)
        return WorkCalendar(**kwargs)

    return hook


def _structure_week(week: Any) -> tuple[tuple[WorkingTime, ...], ...]:
    _check_mapping(week, set(_DAY_NAMES), set(), "a week: mon..sun")
    days: list[tuple[WorkingTime, ...]] = []
    for day in _DAY_NAMES:
        items = week.get(day, [])
        if not isinstance(items, list):
            msg = f"a list of working times for {day}"
            raise _expect(msg, items)
        days.append(tuple(_structure_working_time(i, WorkingTime) for i in items))
    return tuple(days)


def _note(name: str, cls: Any) -> Any:
    from cattrs.errors import AttributeValidationNote

    return AttributeValidationNote(f"Structuring class @ attribute {name}", name, cls)


def _unstructure_calendar(conv: JsonConverter) -> Callable[[WorkCalendar], dict[str, Any]]:
    def hook(value: WorkCalendar) -> dict[str, Any]:
        out: dict[str, Any] = {"id": value.id}
        if value.name:
            out["name"] = value.name
        out["week"] = {
            day: [str(wt) for wt in times]
            for day, times in zip(_DAY_NAMES, value.week, strict=True)
        }
        if value.exceptions:
            out["exceptions"] = conv.unstructure(value.exceptions)
        return out

    return hook


# --------------------------------------------------------------------------- estimates

_ESTIMATE_CLASSES: Final[dict[str, type[Any]]] = {
    Distribution.PERT.value: ThreePointEstimate,
    Distribution.TRIANGULAR.value: ThreePointEstimate,
    Distribution.UNIFORM.value: UniformEstimate,
    Distribution.LOGNORMAL.value: LognormalEstimate,
    Distribution.FIXED.value: FixedEstimate,
    Distribution.EMPIRICAL.value: EmpiricalEstimate,
}


def _structure_estimate(conv: JsonConverter) -> Callable[[Any, Any], Any]:
    """The tagged union of estimates: ``"type"`` names the distribution (PERT by default)."""
    hooks = {cls: conv.gen_structure_attrs_fromdict(cls) for cls in set(_ESTIMATE_CLASSES.values())}
    tags = ", ".join(repr(t) for t in _ESTIMATE_CLASSES)

    def hook(value: Any, _: Any) -> Any:
        if value is None:
            return None
        if not isinstance(value, Mapping):
            msg = "an object (a duration estimate)"
            raise _expect(msg, value)
        data = dict(value)
        tag = data.pop("type", Distribution.PERT.value)
        cls = _ESTIMATE_CLASSES.get(tag) if isinstance(tag, str) else None
        if cls is None:
            exc = _expect(f"one of {tags}", tag)
            exc.__notes__ = [_note("type", str)]
            msg = "While structuring a duration estimate"
            raise ClassValidationError(msg, [exc], ThreePointEstimate)
        if cls is ThreePointEstimate:
            if "distribution" in data:
                msg = "unknown key 'distribution': name the distribution in \"type\""
                raise _JsonTypeError(msg)
            data["distribution"] = tag
        return hooks[cls](data, cls)

    return hook


def _unstructure_estimate(conv: JsonConverter, cls: type[Any]) -> Callable[[Any], dict[str, Any]]:
    plain = conv.gen_unstructure_attrs_fromdict(cls)

    def hook(value: Any) -> dict[str, Any]:
        data: dict[str, Any] = plain(value)
        data.pop("distribution", None)
        if value.kind is Distribution.PERT:
            return data  # the default: documents stay as they were before other kinds existed
        return {"type": value.kind.value, **data}

    return hook


# --------------------------------------------------------------------------- projects

_FACTOR_KEYS: Final = ("minutes_per_day", "minutes_per_week", "days_per_month")


def _project_context(data: Any) -> _TimeContext:
    if not isinstance(data, Mapping):
        return _TimeContext()
    kwargs = {k: data[k] for k in _FACTOR_KEYS if k in data}
    try:
        factors = DurationFactors(**kwargs)
    except (ValueError, TypeError):
        factors = DurationFactors()  # the field hooks report the bad value with its path
    return _TimeContext(factors, data.get("start") is not None)


def configure_converter(conv: JsonConverter) -> JsonConverter:
    """Register pmsm_core's hooks on ``conv`` and return it.

    Use this to embed pmsm_core values in your own cattrs-based documents.

    Examples
    --------
    >>> from cattrs.preconf.json import make_converter as cattrs_json
    >>> conv = configure_converter(cattrs_json(forbid_extra_keys=True))
    >>> conv.unstructure(Duration.from_days(2))
    '2d'
    """
    conv.register_structure_hook(str, _structure_str)
    conv.register_structure_hook(int, _structure_int)
    conv.register_structure_hook(float, _structure_float)
    conv.register_structure_hook(bool, _structure_bool)
    conv.register_structure_hook(datetime, _structure_datetime)
    conv.register_unstructure_hook(datetime, _unstructure_datetime)
    conv.register_structure_hook(date, _structure_date)
    conv.register_unstructure_hook(date, date.isoformat)
    for hint in (datetime | int | None, datetime | int):
        conv.register_structure_hook(hint, _structure_timepoint)
        conv.register_unstructure_hook(hint, _unstructure_timepoint)
    conv.register_structure_hook(datetime | None, _optional(_structure_datetime))
    conv.register_structure_hook(datetime | float, _structure_time_or_number)
    conv.register_unstructure_hook(datetime | float, _unstructure_time_or_number)
    conv.register_structure_hook(Duration, _structure_duration)
    conv.register_unstructure_hook(Duration, _unstructure_duration)
    conv.register_structure_hook(Duration | None, _optional(_structure_duration))
    conv.register_structure_hook(Duration | PercentLag, _structure_lag)
    conv.register_unstructure_hook(Duration | PercentLag, _unstructure_lag)
    conv.register_unstructure_hook(PercentLag, str)
    conv.register_structure_hook(WorkingTime, _structure_working_time)
    conv.register_unstructure_hook(WorkingTime, str)
    conv.register_structure_hook_func(
        lambda t: isinstance(t, type) and issubclass(t, enum.Enum), _structure_enum
    )
    conv.register_structure_hook_func(_is_sequence_hint, _strict_sequence(conv))
    conv.register_structure_hook(WorkCalendar, _structure_calendar(conv))
    conv.register_unstructure_hook(WorkCalendar, _unstructure_calendar(conv))
    estimate_hook = _structure_estimate(conv)
    conv.register_structure_hook(DurationEstimate | None, estimate_hook)
    conv.register_structure_hook(DurationEstimate, estimate_hook)
    for cls in set(_ESTIMATE_CLASSES.values()):
        conv.register_unstructure_hook(cls, _unstructure_estimate(conv, cls))

    project_structure = conv.gen_structure_attrs_fromdict(Project)
    project_unstructure = conv.gen_unstructure_attrs_fromdict(Project)

    def structure_project(value: Any, cls: Any) -> Project:
        if not isinstance(value, Mapping):
            msg = "an object (a project)"
            raise _expect(msg, value)
        with _time_context(_project_context(value)):
            project: Project = project_structure(value, cls)
            return project

    def unstructure_project(value: Project) -> dict[str, Any]:
        with _time_context(_TimeContext(value.factors, value.is_dated)):
            data: dict[str, Any] = project_unstructure(value)
            return data

    conv.register_structure_hook(Project, structure_project)
    conv.register_unstructure_hook(Project, unstructure_project)
    return conv


def _optional(hook: Callable[[Any, Any], T]) -> Callable[[Any, Any], T | None]:
    def structure(value: Any, cls: Any) -> T | None:
        return None if value is None else hook(value, cls)

    return structure


def _is_sequence_hint(hint: Any) -> bool:
    return get_origin(hint) is tuple and len(get_args(hint)) == 2 and get_args(hint)[1] is ...


def _strict_sequence(conv: JsonConverter) -> Callable[[Any, Any], tuple[Any, ...]]:
    def hook(value: Any, hint: Any) -> tuple[Any, ...]:
        if not isinstance(value, list | tuple):
            msg = "a list"
            raise _expect(msg, value)
        item_type = get_args(hint)[0]
        handler = conv.get_structure_hook(item_type)
        out: list[Any] = []
        errors: list[Exception] = []
        for index, item in enumerate(value):
            try:
                out.append(handler(item, item_type))
            except Exception as exc:
                from cattrs.errors import IterableValidationNote

                exc.__notes__ = [
                    *getattr(exc, "__notes__", []),
                    IterableValidationNote(f"Structuring {hint} @ index {index}", index, item_type),
                ]
                errors.append(exc)
        if errors:
            msg = f"While structuring {hint!r}"
            raise IterableValidationError(msg, errors, hint)
        return tuple(out)

    return hook


def make_converter() -> JsonConverter:
    """Return a new converter for pmsm_core values (nothing is registered globally).

    Unknown keys are rejected, defaults are omitted when writing, and errors are
    collected so that :func:`loads` can report all of them with their paths.

    Examples
    --------
    >>> from pmsm_core import Activity
    >>> conv = make_converter()
    >>> conv.structure({"id": "A", "duration": "2d"}, Activity).duration.minutes
    960
    """
    conv = _make_json_converter(
        forbid_extra_keys=True, omit_if_default=True, detailed_validation=True
    )
    return configure_converter(conv)


_DEFAULT: JsonConverter | None = None
_FAST: JsonConverter | None = None


def _converter() -> JsonConverter:
    global _DEFAULT  # noqa: PLW0603 - one lazily built converter per process
    if _DEFAULT is None:
        _DEFAULT = make_converter()
    return _DEFAULT


def _fast_converter() -> JsonConverter:
    """The same hooks without cattrs' detailed validation: about a third faster on valid
    documents; any failure is re-run through the detailed converter for the full report."""
    global _FAST  # noqa: PLW0603 - one lazily built converter per process
    if _FAST is None:
        _FAST = configure_converter(
            _make_json_converter(
                forbid_extra_keys=True, omit_if_default=True, detailed_validation=False
            )
        )
    return _FAST


def _structure_any(data: Any, cls: type[T]) -> T:
    """Structure quickly; on failure structure again, collecting every problem."""
    with no_gc():
        # any failure of the fast run is reported by the detailed run below
        with contextlib.suppress(Exception):
            return _fast_converter().structure(data, cls)
        return _converter().structure(data, cls)


# --------------------------------------------------------------------------- errors


def _problems(exc: BaseException, path: str) -> list[Problem]:
    if isinstance(exc, IterableValidationError):
        with_notes, without = exc.group_exceptions()
        out: list[Problem] = []
        for sub, note in with_notes:
            out.extend(_problems(sub, f"{path}[{note.index!r}]"))
        for sub in without:
            out.extend(_problems(sub, path))
        return out
    if isinstance(exc, ClassValidationError):
        with_notes2, without2 = exc.group_exceptions()
        out = []
        for sub, class_note in with_notes2:
            out.extend(_problems(sub, f"{path}.{class_note.name}"))
        for sub in without2:
            out.extend(_problems(sub, path))
        return out
    if isinstance(exc, ValidationError):
        return [p.prefixed(path) for p in exc.problems]
    if isinstance(exc, ForbiddenExtraKeysError):
        return [Problem(path, f"unknown key(s) {sorted(exc.extra_fields)}")]
    if isinstance(exc, KeyError):
        return [Problem(path, "required key missing")]
    if isinstance(exc, _JsonTypeError | ValueError | TypeError):
        return [Problem(path, str(exc) or type(exc).__name__)]
    return [Problem(path, f"{type(exc).__name__}: {exc}")]


def _as_document_error(
    exc: BaseException, path: str, data: Any = None, cls: type[Any] | None = None
) -> DocumentError:
    problems = _problems(exc, path) or [Problem(path, str(exc))]
    if cls is not None and not isinstance(exc, RecursionError):
        problems.extend(p.prefixed(path) for p in _salvage(data, cls))
    return DocumentError(dict.fromkeys(problems))  # in order, without duplicates


# --------------------------------------------------------------------------- salvage

_MISSING: Final = object()
_INDEX: Final = re.compile(r"\[\d+\]")
_PATH_IN_MESSAGE: Final = re.compile(r"[a-z_]+\[\d+\](?:\.[a-z_]+\[\d+\])*")
#: A placeholder start for a project whose ``start`` is broken: it stays a dated project.
_PLACEHOLDER_START: Final = datetime(2000, 1, 3, 8)


def _salvage(data: Any, cls: type[Any]) -> list[Problem]:
    """The problems a failed document (a project or a catalogue) hides behind its field
    errors.

    An object holding a value that cannot be structured is never built, so neither its own
    checks nor the document's cross-object checks (unknown references, duplicate ids ...)
    run. Here the document is structured again, leaving out what cannot be structured, and
    built; the problems found (paths relative to the document) come back, some of them
    already reported.
    """
    roots = [_kind_class(key) for key in DOCUMENT_KINDS]  # documents, not single values
    if not isinstance(data, Mapping) or cls not in roots:
        return []
    salvage = _Salvage(_fast_converter())
    try:
        with no_gc():
            if cls is Project:
                with _time_context(_project_context(data)):
                    checked = salvage.project(data)
            else:
                checked = salvage.root(data, cls)
    except Exception:  # best effort: the field problems are reported anyway
        checked = []
    return salvage.problems + checked


class _Salvage:
    """Best-effort structuring of a document that failed, so that its checks can run.

    What cannot be structured is left out: a field falls back to its default, a list item
    is dropped (paths found later are mapped back to the document's indices), an object
    that still cannot be built is dropped. A value that breaks a field validator is left
    out too, its problem kept. Leaving out something that holds ids would make references
    to them look unknown: then the document's cross-object checks are not reported.
    """

    def __init__(self, conv: JsonConverter) -> None:
        self.conv = conv
        self.problems: list[Problem] = []
        self.moved: dict[str, str] = {}  # path of a kept list item -> its path in the document
        self.complete = True

    def project(self, data: Mapping[str, Any]) -> list[Problem]:
        kwargs = self.fields(data, Project, "", "")
        if data.get("start") is not None and "start" not in kwargs:
            kwargs["start"] = _PLACEHOLDER_START  # broken, but given: keep the project dated
        kwargs.setdefault("id", "?")
        try:
            Project(**kwargs)
        except ValidationError as exc:
            if self.complete:
                return [self.remap(p) for p in exc.problems]
        return []

    def root(self, data: Mapping[str, Any], cls: type[Any]) -> list[Problem]:
        """A catalogue (or any other document root) built from what can be structured."""
        kwargs = self.fields(data, cls, "", "")
        if any(f.alias == "id" for f in attrs.fields(cls)):
            kwargs.setdefault("id", "?")
        try:
            cls(**kwargs)
        except ValidationError as exc:
            if self.complete:
                return [self.remap(p) for p in exc.problems]
        except (TypeError, ValueError):  # a required field is missing, or worse
            pass
        return []

    def remap(self, problem: Problem) -> Problem:
        message = _PATH_IN_MESSAGE.sub(lambda m: self.document_path(m.group()), problem.message)
        return Problem(self.document_path(problem.path), message)

    def document_path(self, path: str) -> str:
        if self.moved:
            for match in reversed(list(_INDEX.finditer(path))):
                old = self.moved.get(path[: match.end()])
                if old is not None:
                    return old + path[match.end() :]
        return path

    def value(self, raw: Any, hint: Any, new: str, old: str) -> Any:
        if _is_sequence_hint(hint) and isinstance(raw, list):
            return self.items(raw, get_args(hint)[0], new, old)
        try:
            return self.conv.structure(raw, hint)
        except Exception:  # any failure: salvage what can be salvaged
            return self.salvaged(raw, hint, new, old)

    def salvaged(self, raw: Any, hint: Any, new: str, old: str) -> Any:
        if attrs.has(hint):
            return self.instance(raw, hint, new, old)
        self.lose(raw)
        return _MISSING

    def items(self, raw: list[Any], item_type: Any, new: str, old: str) -> tuple[Any, ...]:
        """Structure the items that can be; left-out items shift the later ones."""
        handler = self.conv.get_structure_hook(item_type)
        out: list[Any] = []
        for index, item in enumerate(raw):
            position = len(out)
            try:
                value = handler(item, item_type)
            except Exception:  # any failure: salvage what can be salvaged
                value = self.salvaged(item, item_type, f"{new}[{position}]", f"{old}[{index}]")
                if value is _MISSING:
                    continue
            if position != index:
                self.moved[f"{new}[{position}]"] = f"{old}[{index}]"
            out.append(value)
        return tuple(out)

    def instance(self, raw: Any, cls: type[Any], new: str, old: str) -> Any:
        if not isinstance(raw, Mapping):
            self.lose(raw)
            return _MISSING
        kwargs = self.fields(raw, cls, new, old)
        for _ in range(len(kwargs) + 1):
            try:
                return cls(**kwargs)
            except ValidationError as exc:  # a check across fields: leave those fields out
                self.problems.extend(p.prefixed(old) for p in exc.problems)
                names = {_INDEX.split(p.path, 1)[0].split(".", 1)[0] for p in exc.problems}
                if not names & kwargs.keys():
                    break
                for name in names & kwargs.keys():
                    self.lose(raw.get(name))
                    del kwargs[name]
            except (TypeError, ValueError):  # a required field is missing, or worse
                break
        self.lose(raw)
        return _MISSING

    def fields(self, raw: Mapping[str, Any], cls: type[Any], new: str, old: str) -> dict[str, Any]:
        """Structure each field of ``cls`` found in ``raw``; check it as ``cls`` would."""
        kwargs: dict[str, Any] = {}
        known: set[str] = set()
        for field in attrs.fields(attrs.resolve_types(cls)):
            key = field.alias
            if not field.init or key not in raw:
                continue
            known.add(key)
            value = self.value(raw[key], field.type, _join(new, key), _join(old, key))
            if value is not _MISSING:
                kwargs[key] = value
        for key in raw.keys() - known:  # unknown keys, such as a misspelt "activites"
            self.lose(raw[key])
        owner = object.__new__(cls)  # names the object in messages, as the constructor does
        if isinstance(kwargs.get("id"), str):
            object.__setattr__(owner, "id", kwargs["id"])
        for field in attrs.fields(cls):
            key = field.alias
            if key in kwargs and field.validator is not None:
                try:
                    field.validator(owner, field, kwargs[key])
                except Exception as exc:  # reported like a structuring error
                    self.problems.extend(
                        _problems(exc, old if isinstance(exc, ValidationError) else _join(old, key))
                    )
                    self.lose(raw[key])
                    del kwargs[key]
        return kwargs

    def lose(self, raw: Any) -> None:
        """Note that ``raw`` is left out; if it holds ids, references may look unknown."""
        if self.complete and _holds_ids(raw):
            self.complete = False


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _holds_ids(raw: Any) -> bool:
    """Whether ``raw`` holds an object with a usable ``"id"`` that others may refer to."""
    stack = [raw]
    while stack:
        node = stack.pop()
        if isinstance(node, Mapping):
            ident = node.get("id")
            if isinstance(ident, str) and ident and ident == ident.strip():
                return True
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return False


# --------------------------------------------------------------------------- public API


def structure(data: Any, cls: type[T]) -> T:
    """Build a ``cls`` value from plain JSON-like data (dicts, lists, strings, numbers).

    Raises
    ------
    DocumentError
        With every problem and its JSON path (rooted at ``$``).

    Examples
    --------
    >>> structure({"id": "P", "activities": [{"id": "A", "duration": "1d"}]}, Project)
    Project(id='P', name='', undated, activities=1, dependencies=0)
    """
    try:
        return _structure_any(data, cls)
    except DocumentError:
        raise
    except (ValidationError, ClassValidationError, IterableValidationError) as exc:
        raise _as_document_error(exc, "$", data, cls) from None
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
        raise _as_document_error(exc, "$", data, cls) from None


def unstructure(value: Any) -> Any:
    """Return plain JSON-ready data for a pmsm_core value.

    Examples
    --------
    >>> unstructure(WorkCalendar.standard())["week"]["mon"]
    ['08:00-12:00', '13:00-17:00']
    """
    return _converter().unstructure(value)


def _kind_of(value: Any) -> str:
    for key in list(DOCUMENT_KINDS):
        if type(value) is _kind_class(key):
            return key
    kinds = ", ".join(_kind_class(key).__name__ for key in DOCUMENT_KINDS)
    msg = f"cannot write a {type(value).__name__} as a document; document kinds: {kinds}"
    raise TypeError(msg)


def dumps(value: Any, *, indent: int | None = 2) -> str:
    """Serialise a document value (a :class:`~pmsm_core.Project`, ...) to a JSON string.

    Examples
    --------
    >>> text = dumps(Project("P", "Demo"), indent=None)
    >>> text
    '{"schema_version": 1, "project": {"id": "P", "name": "Demo"}}'
    >>> loads(text) == Project("P", "Demo")
    True
    """
    key = _kind_of(value)
    document = {"schema_version": SCHEMA_VERSION, key: unstructure(value)}
    return json.dumps(document, indent=indent, ensure_ascii=False, allow_nan=False)


def dump(value: Any, path: str | os.PathLike[str], *, indent: int | None = 2) -> None:
    """Write a document value to a JSON file (UTF-8).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "p.json"
    >>> dump(Project("P"), path)
    >>> load(path).id
    'P'
    """
    Path(path).write_text(dumps(value, indent=indent) + "\n", encoding="utf-8")


def loads(text: str | bytes, cls: type[T] | None = None) -> Any:
    """Read a JSON document and return its value.

    Parameters
    ----------
    text
        The document.
    cls
        The expected value class (e.g. :class:`~pmsm_core.Project`); any registered kind
        when None.

    Raises
    ------
    DocumentError
        When the text is not JSON, the envelope is wrong, or any value in it is invalid;
        every problem is listed with its JSON path.

    Examples
    --------
    >>> loads('{"schema_version": 1, "project": {"id": "P", "activities": [{"id": 1}]}}')
    Traceback (most recent call last):
    ...
    pmsm_core.exceptions.DocumentError: $.project.activities[0].id: expected a string, got 1
    """
    if len(text) > MAX_DOCUMENT_BYTES:
        msg = f"document of {len(text)} bytes exceeds the limit of {MAX_DOCUMENT_BYTES}"
        raise DocumentError(msg, path="$")
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except RecursionError:
        msg_0 = "the document is nested too deeply"
        raise DocumentError(msg_0, path="$") from None
    except (ValueError, UnicodeDecodeError) as exc:
        msg_0 = f"not valid JSON: {exc}"
        raise DocumentError(msg_0, path="$") from None
    return _from_document(data, cls)


def _reject_constant(name: str) -> Any:
    msg = f"{name} is not a valid JSON number"
    raise ValueError(msg)


def load(path: str | os.PathLike[str], cls: type[T] | None = None) -> Any:
    """Read a JSON document from a file; see :func:`loads`.

    Raises
    ------
    DocumentError
        If the file cannot be read or is not a valid document.

    Examples
    --------
    >>> load("no-such-file.json")
    Traceback (most recent call last):
    ...
    pmsm_core.exceptions.DocumentError: $: cannot read 'no-such-file.json': No such file ...
    """
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        msg = f"cannot read {os.fspath(path)!r}: {exc.strerror}"
        raise DocumentError(msg, path="$") from None
    return loads(raw, cls)


def _from_document(data: Any, cls: type[T] | None) -> Any:
    if not isinstance(data, dict):
        msg = "a document is a JSON object with 'schema_version' and a kind key"
        raise DocumentError(msg, path="$")
    version = data.get("schema_version")
    if "schema_version" not in data:
        msg = f"missing; this library writes {SCHEMA_VERSION}"
        raise DocumentError(msg, path="$.schema_version")
    if isinstance(version, bool) or not isinstance(version, int):
        msg = f"expected a whole number, got {version!r}"
        raise DocumentError(msg, path="$.schema_version")
    if version > SCHEMA_VERSION:
        msg = (
            f"document version {version} is newer than this library supports ({SCHEMA_VERSION}); "
            "upgrade pmsm-core"
        )
        raise DocumentError(msg, path="$.schema_version")
    if version < 1:
        msg_0 = f"unknown schema version {version}"
        raise DocumentError(msg_0, path="$.schema_version")
    while version < SCHEMA_VERSION:
        data = MIGRATIONS[version](data)
        version += 1
    kinds = [k for k in data if k != "schema_version"]
    unknown = [k for k in kinds if k not in DOCUMENT_KINDS]
    if unknown:
        allowed = ", ".join(sorted(DOCUMENT_KINDS))
        msg_0 = f"unknown key(s) {unknown}; expected one of: {allowed}"
        raise DocumentError(msg_0, path="$")
    if len(kinds) != 1:
        allowed = ", ".join(sorted(DOCUMENT_KINDS))
        msg_0 = f"expected exactly one of: {allowed}"
        raise DocumentError(msg_0, path="$")
    key = kinds[0]
    target = _kind_class(key)
    if cls is not None and target is not cls:
        msg = f"expected a {cls.__name__} document, got a {target.__name__} ('{key}')"
        raise DocumentError(msg, path="$")
    try:
        return _structure_any(data[key], target)
    except (ValidationError, ClassValidationError, IterableValidationError) as exc:
        raise _as_document_error(exc, f"$.{key}", data[key], target) from None
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
        raise _as_document_error(exc, f"$.{key}", data[key], target) from None
