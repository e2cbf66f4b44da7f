"""Shared fixtures and hypothesis profiles.

Profiles: ``dev`` (default, quick) and ``ci`` (more examples); choose with
``HYPOTHESIS_PROFILE=ci``.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from pmsm_core import Activity, Dependency, Duration, LinkType, Project, WorkCalendar

settings.register_profile(
    "dev", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "ci", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

DATA = Path(__file__).parent / "data"


@pytest.fixture
def data_dir() -> Path:
    """The folder of golden files and test data (with their licence notices)."""
    return DATA


@pytest.fixture
def standard() -> WorkCalendar:
    """Microsoft Project's Standard calendar."""
    return WorkCalendar.standard()


@pytest.fixture
def small_project() -> Project:
    """A dated five-activity project with every link type."""
    d = Duration.from_days
    return Project(
        "small",
        "Small",
        start=datetime(2026, 1, 5, 8),
        activities=[
            Activity("A", "Design", d(2)),
            Activity("B", "Build", d(3)),
            Activity("C", "Test", d(2)),
            Activity("D", "Document", d(1)),
            Activity("M", "Done", milestone=True),
        ],
        dependencies=[
            Dependency("A", "B"),
            Dependency("B", "C", LinkType.SS, d(1)),
            Dependency("B", "D", LinkType.FF),
            Dependency("C", "M"),
            Dependency("D", "M", LinkType.SF),
        ],
    )
