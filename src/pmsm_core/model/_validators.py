"""Field validators and converters shared by the domain values.

Every validator raises :class:`~pmsm_core.exceptions.ValidationError` with the field name
as the problem's path and a message that names the object (``activity 'A': ...``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any, Final

import attrs

from pmsm_core.calendars import Duration
from pmsm_core.exceptions import ValidationError

#: Largest magnitude accepted for money and other plain numbers.
MAX_NUMBER: Final = 1e15
#: Largest magnitude of an undated time point (plain time units).
MAX_TIME_UNITS: Final = 10**10


def who(instance: object) -> str:
    """Describe ``instance`` for messages: ``activity 'A'`` or ``dependency``."""
    name = type(instance).__name__
    words = "".join(" " + c.lower() if c.isupper() else c for c in name).strip()
    ident = getattr(instance, "id", None)
    return f"{words} {ident!r}" if isinstance(ident, str) else words


def fail(instance: object, field: str, message: str) -> ValidationError:
    """Build the error for ``field`` of ``instance``."""
    return ValidationError(f"{who(instance)}: {message}", path=field)


def check_id(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """An identifier: a non-empty string without surrounding blanks."""
    if not isinstance(value, str) or not value or value != value.strip():
        msg = (
            f"{attribute.name} must be a non-empty string without surrounding blanks, got {value!r}"
        )
        raise ValidationError(msg, path=attribute.name)


def check_optional_id(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """An optional reference to another object's id."""
    if value is not None:
        check_id(instance, attribute, value)


def check_str(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Any string."""
    if not isinstance(value, str):
        raise fail(instance, attribute.name, f"{attribute.name} must be a string, got {value!r}")


def check_bool(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A real boolean (not 0/1)."""
    if not isinstance(value, bool):
        raise fail(
            instance, attribute.name, f"{attribute.name} must be true or false, got {value!r}"
        )


def number(
    *,
    low: float | None = None,
    high: float | None = None,
    optional: bool = False,
    integer: bool = False,
) -> Callable[[object, attrs.Attribute[Any], Any], None]:
    """A finite number within ``[low, high]`` (bools rejected)."""

    def validate(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is None and optional:
            return
        kinds = (int,) if integer else (int, float)
        if isinstance(value, bool) or not isinstance(value, kinds):
            expected = "a whole number" if integer else "a number"
            raise fail(
                instance, attribute.name, f"{attribute.name} must be {expected}, got {value!r}"
            )
        if not math.isfinite(value) or abs(value) > MAX_NUMBER:
            raise fail(
                instance,
                attribute.name,
                f"{attribute.name} must be finite and within ±1e15, got {value!r}",
            )
        if low is not None and value < low:
            raise fail(
                instance, attribute.name, f"{attribute.name} must be >= {low:g}, got {value!r}"
            )
        if high is not None and value > high:
            raise fail(
                instance, attribute.name, f"{attribute.name} must be <= {high:g}, got {value!r}"
            )

    return validate


def instance_of(cls: type | tuple[type, ...], *, optional: bool = False) -> Callable[..., None]:
    """``value`` is an instance of ``cls`` (or None when ``optional``)."""

    def validate(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is None and optional:
            return
        if not isinstance(value, cls):
            names = cls.__name__ if isinstance(cls, type) else " or ".join(c.__name__ for c in cls)
            raise fail(instance, attribute.name, f"{attribute.name} must be {names}, got {value!r}")

    return validate


def tuple_of(cls: type | tuple[type, ...]) -> Callable[..., None]:
    """Every item of a tuple field is an instance of ``cls``."""

    def validate(instance: object, attribute: attrs.Attribute[Any], value: tuple[Any, ...]) -> None:
        for index, item in enumerate(value):
            if not isinstance(item, cls):
                names = (
                    cls.__name__ if isinstance(cls, type) else " or ".join(c.__name__ for c in cls)
                )
                msg = f"{who(instance)}: {attribute.name}[{index}] must be {names}, got {item!r}"
                raise ValidationError(
                    msg,
                    path=f"{attribute.name}[{index}]",
                )

    return validate


def to_tuple(value: Iterable[Any]) -> tuple[Any, ...]:
    """Converter: lists (and other iterables, not strings) become tuples."""
    if isinstance(value, str | bytes):
        return (value,)
    return tuple(value)


def check_duration(
    *, non_negative: bool = False, optional: bool = False
) -> Callable[[object, attrs.Attribute[Any], Any], None]:
    """A :class:`Duration`; optionally non-negative."""

    def validate(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is None and optional:
            return
        if not isinstance(value, Duration):
            raise fail(
                instance, attribute.name, f"{attribute.name} must be a Duration, got {value!r}"
            )
        if non_negative and value.minutes < 0:
            raise fail(
                instance, attribute.name, f"{attribute.name} must not be negative, got {value}"
            )

    return validate


def check_datetime(value: object) -> str | None:
    """Return a message if ``value`` is not a naive, whole-minute datetime."""
    if not isinstance(value, datetime):
        return f"expected a datetime, got {value!r}"
    if value.tzinfo is not None:
        return f"datetimes are naive local times; got one with a time zone: {value.isoformat()}"
    if value.second or value.microsecond:
        return f"datetimes have minute resolution; got {value.isoformat()}"
    return None


def check_timepoint(optional: bool = True) -> Callable[[object, attrs.Attribute[Any], Any], None]:
    """A point in time: a naive datetime (dated project) or a number of units (undated)."""

    def validate(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is None and optional:
            return
        if isinstance(value, int) and not isinstance(value, bool):
            if abs(value) > MAX_TIME_UNITS:
                raise fail(
                    instance,
                    attribute.name,
                    f"{attribute.name} must lie within ±1e10 units, got {value}",
                )
            return
        problem = check_datetime(value)
        if problem:
            raise fail(
                instance,
                attribute.name,
                f"{attribute.name}: {problem} (or whole time units for undated projects)",
            )

    return validate


def check_date(optional: bool = True) -> Callable[[object, attrs.Attribute[Any], Any], None]:
    """A calendar date (not a datetime)."""

    def validate(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is None and optional:
            return
        if not isinstance(value, date) or isinstance(value, datetime):
            raise fail(instance, attribute.name, f"{attribute.name} must be a date, got {value!r}")

    return validate
