"""A small MSPDI reader for the scheduling golden tests (not the library's importer).

It rebuilds the inputs Microsoft Project scheduled (calendars, tasks with the WBS outline,
durations, links, constraints) and returns them together with the answers Microsoft
Project stored in the file.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path
from typing import Any

from pmsm_core import (
    Activity,
    ConstraintType,
    Dependency,
    Duration,
    LinkType,
    PercentLag,
    Project,
    ScheduleConstraint,
    WorkCalendar,
    WorkingTime,
)

NS = {"p": "http://schemas.microsoft.com/project"}
LINK_TYPES = {"0": LinkType.FF, "1": LinkType.FS, "2": LinkType.SF, "3": LinkType.SS}
CONSTRAINTS = {
    "0": ConstraintType.ASAP,
    "1": ConstraintType.ALAP,
    "2": ConstraintType.MSO,
    "3": ConstraintType.MFO,
    "4": ConstraintType.SNET,
    "5": ConstraintType.SNLT,
    "6": ConstraintType.FNET,
    "7": ConstraintType.FNLT,
}
ELAPSED_FORMATS = {"4", "6", "8", "10", "12", "20"}


def minutes_of(text: str) -> int:
    m = re.fullmatch(r"-?PT(\d+)H(\d+)M(\d+)S", text)
    assert m, text
    return int(m.group(1)) * 60 + int(m.group(2))


def clock(text: str) -> int:
    h, m, _ = (int(x) for x in text.split(":"))
    return h * 60 + m


def read_calendars(root: ET.Element) -> dict[str, WorkCalendar]:
    out: dict[str, WorkCalendar] = {}
    for cal in root.find("p:Calendars", NS) or []:
        uid = cal.findtext("p:UID", namespaces=NS)
        name = cal.findtext("p:Name", namespaces=NS) or uid
        if cal.findtext("p:IsBaseCalendar", namespaces=NS) != "1":
            continue
        week: list[tuple[WorkingTime, ...]] = [()] * 7
        for day in cal.findall("p:WeekDays/p:WeekDay", NS):
            kind = int(day.findtext("p:DayType", namespaces=NS))
            if kind == 0:
                continue
            times = []
            if day.findtext("p:DayWorking", namespaces=NS) == "1":
                for wt in day.findall("p:WorkingTimes/p:WorkingTime", NS):
                    start = clock(wt.findtext("p:FromTime", namespaces=NS))
                    end = clock(wt.findtext("p:ToTime", namespaces=NS)) or 1440
                    times.append(WorkingTime(start, end))
            week[(kind + 5) % 7] = tuple(times)  # DayType 1 = Sunday
        out[uid] = WorkCalendar(f"cal-{uid}", week, name=name)
    return out


def read(
    path: Path, *, task_calendars: dict[str, str] | None = None
) -> tuple[Project, dict[str, dict[str, Any]]]:
    """Return the project and, per task UID, the values Microsoft Project stored."""
    root = ET.parse(path).getroot()
    calendars = read_calendars(root)
    project_cal = calendars[root.findtext("p:CalendarUID", namespaces=NS)]
    start = datetime.fromisoformat(root.findtext("p:StartDate", namespaces=NS))
    tasks = [
        t for t in root.findall("p:Tasks/p:Task", NS) if t.findtext("p:UID", namespaces=NS) != "0"
    ]
    stack: list[tuple[int, str]] = []
    activities, dependencies, answers = [], [], {}
    task_calendars = task_calendars or {}
    for t in tasks:
        get = lambda k, t=t: t.findtext(f"p:{k}", namespaces=NS)  # noqa: E731
        uid = get("UID")
        level = int(get("OutlineLevel"))
        while stack and stack[-1][0] >= level:
            stack.pop()
        parent = stack[-1][1] if stack else None
        summary = get("Summary") == "1"
        stack.append((level, uid))
        kind = CONSTRAINTS[get("ConstraintType") or "0"]
        constraint = (
            ScheduleConstraint(kind, datetime.fromisoformat(get("ConstraintDate")))
            if kind.needs_date
            else ScheduleConstraint(kind)
        )
        activities.append(
            Activity(
                uid,
                get("Name") or "",
                Duration(0 if summary else minutes_of(get("Duration"))),
                parent=parent,
                constraint=constraint,
                milestone=get("Milestone") == "1" and not summary,
                calendar=task_calendars.get(uid),
            )
        )
        for link in t.findall("p:PredecessorLink", NS):
            lag_raw = int(link.findtext("p:LinkLag", namespaces=NS) or "0")
            fmt = link.findtext("p:LagFormat", namespaces=NS) or "7"
            if fmt in ("19", "20"):
                lag: Any = PercentLag(lag_raw, elapsed=fmt == "20")
            else:
                lag = Duration(lag_raw // 10, elapsed=fmt in ELAPSED_FORMATS)
            dependencies.append(
                Dependency(
                    link.findtext("p:PredecessorUID", namespaces=NS),
                    uid,
                    LINK_TYPES[link.findtext("p:Type", namespaces=NS)],
                    lag,
                )
            )
        answers[uid] = {
            k: get(k)
            for k in (
                "Start",
                "Finish",
                "EarlyStart",
                "EarlyFinish",
                "LateStart",
                "LateFinish",
                "StartSlack",
                "FinishSlack",
                "TotalSlack",
                "FreeSlack",
                "Critical",
                "Manual",
                "Summary",
            )
        }
    extra = [c for c in calendars.values() if c.id != project_cal.id]
    project = Project(
        path.stem,
        start=start,
        calendar=project_cal,
        calendars=extra,
        activities=activities,
        dependencies=dependencies,
    )
    return project, answers
