"""The curated public API."""

from __future__ import annotations

import enum
import inspect

import pytest

import pmsm_core


def test_all_is_sorted_and_unique() -> None:
    """__all__ is sorted and has no duplicates."""
    assert list(pmsm_core.__all__) == sorted(set(pmsm_core.__all__))


def test_every_public_name_resolves_and_is_documented() -> None:
    """Every name in __all__ imports and has a docstring."""
    for name in pmsm_core.__all__:
        value = getattr(pmsm_core, name)
        if name == "__version__":
            continue
        assert inspect.getdoc(value), f"{name} has no docstring"


def test_public_callables_have_examples() -> None:
    """Public classes and functions show a runnable example (doctests run in the suite)."""
    missing = []
    for name in pmsm_core.__all__:
        value = getattr(pmsm_core, name)
        is_value_class = inspect.isclass(value) and not issubclass(value, BaseException | enum.Enum)
        documented = ">>>" in (inspect.getdoc(value) or "")
        if (is_value_class or inspect.isfunction(value)) and not documented:
            missing.append(name)
    assert not missing, f"no Examples section: {missing}"


def test_unknown_attribute() -> None:
    """Unknown names raise AttributeError as usual."""
    with pytest.raises(AttributeError, match="no_such_thing"):
        pmsm_core.no_such_thing
