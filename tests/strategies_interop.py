"""Hypothesis strategies for the interop adapters (MSPDI, frames, plots, diagrams).

:func:`mspdi_projects` draws dated projects that hold only what Microsoft Project XML can
hold, in the order a file gives them back: activities in outline (WBS) order, links grouped
by successor, whole percentages, calendar ids made from their names.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import attrs
from hypothesis import strategies as st
from tests.strategies import projects

from pmsm_core import (
    Assignment,
    Duration,
    PercentLag,
    Progress,
    Project,
    ResourceKind,
)

_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> str:
    """Text XML 1.0 can hold (no control characters other than tab, newline, return)."""
    return _BAD.sub("?", text)


def slug(name: str) -> str:
    return re.sub(r"[^0-9a-z]+", "-", name.lower()).strip("-")


def canonical(project: Project) -> Project:
    """The same project in the order an MSPDI file gives it back."""
    order = [a for _, a in project.walk()]
    position = {a.id: i for i, a in enumerate(order)}
    dependencies = sorted(
        project.dependencies, key=lambda d: position[d.successor]
    )  # stable: keeps the order within one successor
    return attrs.evolve(project, activities=order, dependencies=dependencies)


@st.composite
def mspdi_projects(draw: Any, *, max_activities: int = 10) -> Project:
    """A dated project holding only what MSPDI holds, in MSPDI order."""
    base = draw(projects(dated=True, max_activities=max_activities, with_extras=False))
    renames: dict[str, str] = {}
    cals = []
    for cal in base.calendars:
        name = f"Shift {draw(st.sampled_from(['A', 'B', 'Night', 'Weekend']))}"
        renames[cal.id] = slug(name)
        cals.append(
            attrs.evolve(
                cal,
                id=slug(name),
                name=name,
                exceptions=[attrs.evolve(e, name=xml_text(e.name)) for e in cal.exceptions],
            )
        )
    project_calendar = base.calendar
    if project_calendar.id != "standard":
        name = draw(st.sampled_from(["Office hours", "Project Hours 2", "Site"]))
        project_calendar = attrs.evolve(
            project_calendar,
            id=slug(name),
            name=name,
            exceptions=[
                attrs.evolve(e, name=xml_text(e.name)) for e in project_calendar.exceptions
            ],
        )
    cal_ids = [c.id for c in cals]
    resources = [
        attrs.evolve(
            r,
            name=xml_text(draw(st.text(max_size=12))),
            kind=draw(st.sampled_from(list(ResourceKind))),
            calendar=draw(st.sampled_from([None, project_calendar.id, *cal_ids])),
            cost_per_use=draw(st.integers(0, 10_000)) / 100,
        )
        for r in base.resources
    ]
    activities = []
    for a in base.activities:
        changes: dict[str, Any] = {
            "name": xml_text(a.name),
            "estimate": None,
            "phase": None,
            "calendar": renames.get(a.calendar, a.calendar) if a.calendar else None,
        }
        if draw(st.integers(0, 4)) == 0:
            changes["notes"] = xml_text(draw(st.text(max_size=30)))
        if a.progress is not None:
            p = a.progress
            percent = float(round(p.percent_complete))
            implied = a.duration.minutes - round(a.duration.minutes * percent / 100)
            remaining = draw(st.integers(0, 2000).filter(lambda m, i=implied: m != i))
            changes["progress"] = Progress(
                p.actual_start,
                percent_complete=percent,
                remaining_duration=Duration(remaining) if draw(st.booleans()) else None,
                actual_cost=draw(st.integers(0, 10_000)) / 100,
            )
        if a.assignments:
            changes["assignments"] = [
                Assignment(
                    x.resource,
                    x.units,
                    work=Duration(
                        draw(
                            st.integers(0, 9600).filter(
                                lambda w, u=x.units, d=a.duration.minutes: w != round(d * u)
                            )
                        )
                    )
                    if draw(st.booleans())
                    else None,
                )
                for x in a.assignments
            ]
        activities.append(attrs.evolve(a, **changes))
    dependencies = [
        attrs.evolve(d, lag=PercentLag(float(round(d.lag.percent))))
        if isinstance(d.lag, PercentLag)
        else d
        for d in base.dependencies
    ]
    assert base.start is not None
    status = base.start + timedelta(days=draw(st.integers(0, 30))) if draw(st.booleans()) else None
    project = Project(
        base.id,
        xml_text(base.name),
        start=base.start,
        calendar=project_calendar,
        calendars=cals,
        activities=activities,
        dependencies=dependencies,
        resources=resources,
        baselines=base.baselines,
        status_date=status,
    )
    return canonical(project)
