"""pandas DataFrames of projects, schedules and analysis results (the ``pandas`` extra).

One row per activity, service or process, indexed by its id; times stay in the units of
the value they come from (datetimes, or plain units for undated projects; floats in working
minutes). The classes call these functions from their ``to_dataframe`` methods.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pmsm_core._util import require

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from pmsm_core.model.project import Project
    from pmsm_core.processes.flow import FlowAnalysis
    from pmsm_core.processes.maturity import MaturityReport
    from pmsm_core.scheduling.results import Schedule
    from pmsm_core.services.graph import ImpactResult

__all__ = ["flow_frame", "impact_frame", "maturity_frame", "project_frame", "schedule_frame"]


def _pandas() -> Any:
    require("pandas", "pandas")
    import pandas as pd

    return pd


def _frame(rows: list[dict[str, Any]], columns: list[str], index: str) -> pd.DataFrame:
    frame: pd.DataFrame = _pandas().DataFrame(rows, columns=columns).set_index(index)
    return frame


SCHEDULE_COLUMNS = [
    "id",
    "name",
    "parent",
    "summary",
    "milestone",
    "critical",
    "start",
    "finish",
    "duration",
    "early_start",
    "early_finish",
    "late_start",
    "late_finish",
    "start_slack",
    "finish_slack",
    "total_float",
    "free_float",
    "on_longest_path",
    "driving_predecessors",
    "driven_by",
]


def schedule_frame(schedule: Schedule) -> pd.DataFrame:
    """One row per activity: dates, duration and floats, critical flags, what drives it.

    Examples
    --------
    >>> from pmsm_core import Activity, Dependency, Duration, Project, schedule
    >>> p = Project(
    ...     "P",
    ...     activities=[Activity("A", duration=Duration(3)), Activity("B", duration=Duration(2))],
    ...     dependencies=[Dependency("A", "B")],
    ... )
    >>> schedule_frame(schedule(p))[["early_start", "finish", "total_float", "critical"]]
        early_start  finish  total_float  critical
    id
    A             0       3            0      True
    B             3       5            0      True
    """
    rows = [
        {
            "id": a.id,
            "name": a.name,
            "parent": a.parent,
            "summary": a.summary,
            "milestone": a.milestone,
            "critical": a.critical,
            "start": a.start,
            "finish": a.finish,
            "duration": a.duration,
            "early_start": a.early_start,
            "early_finish": a.early_finish,
            "late_start": a.late_start,
            "late_finish": a.late_finish,
            "start_slack": a.start_slack,
            "finish_slack": a.finish_slack,
            "total_float": a.total_float,
            "free_float": a.free_float,
            "on_longest_path": a.on_longest_path,
            "driving_predecessors": ", ".join(a.driving_predecessors),
            "driven_by": a.driven_by,
        }
        for a in schedule.activities
    ]
    return _frame(rows, SCHEDULE_COLUMNS, "id")


PROJECT_COLUMNS = [
    "id",
    "name",
    "parent",
    "level",
    "summary",
    "milestone",
    "duration",
    "duration_text",
    "calendar",
    "constraint",
    "constraint_date",
    "deadline",
    "cost",
    "phase",
    "predecessors",
    "resources",
    "percent_complete",
]


def project_frame(project: Project) -> pd.DataFrame:
    """One row per activity in WBS order: structure, duration, constraints, links, resources.

    ``duration`` is in minutes of working time (units for undated projects),
    ``duration_text`` in its display unit; ``predecessors`` lists ids with their link type
    and lag (``A``, ``B SS+1d``); ``resources`` lists ids with their units.

    Examples
    --------
    >>> from pmsm_core import Activity, Dependency, Duration, LinkType, Project
    >>> p = Project(
    ...     "P",
    ...     activities=[Activity("A", duration=Duration(3)), Activity("B", duration=Duration(2))],
    ...     dependencies=[Dependency("A", "B", LinkType.SS, Duration(1))],
    ... )
    >>> project_frame(p)[["duration", "predecessors"]]
        duration predecessors
    id
    A          3
    B          2      A SS+1m
    """
    preds: dict[str, list[str]] = {}
    factors = project.factors
    for dep in project.dependencies:
        text = dep.predecessor
        lag = dep.lag
        minutes = getattr(lag, "minutes", None)
        if dep.type.value != "FS" or minutes != 0:
            text += f" {dep.type.value}"
            if minutes != 0:
                shown = lag.format(factors) if hasattr(lag, "format") else str(lag)
                text += shown if shown.startswith("-") else f"+{shown}"
        preds.setdefault(dep.successor, []).append(text)
    rows = []
    for level, a in project.walk():
        c = a.constraint
        rows.append(
            {
                "id": a.id,
                "name": a.name,
                "parent": a.parent,
                "level": level,
                "summary": project.is_summary(a.id),
                "milestone": a.is_milestone and not project.is_summary(a.id),
                "duration": a.duration.minutes,
                "duration_text": a.duration.format(factors) if project.is_dated else "",
                "calendar": a.calendar,
                "constraint": c.type.value,
                "constraint_date": c.date,
                "deadline": a.deadline,
                "cost": a.cost,
                "phase": a.phase,
                "predecessors": ", ".join(preds.get(a.id, ())),
                "resources": ", ".join(
                    f"{x.resource}" + (f" x{x.units:g}" if x.units != 1 else "")
                    for x in a.assignments
                ),
                "percent_complete": a.progress.percent_complete if a.progress else 0.0,
            }
        )
    return _frame(rows, PROJECT_COLUMNS, "id")


def impact_frame(result: ImpactResult) -> pd.DataFrame:
    """One row per service or item down or degraded: status, whether it is a service, causes.

    Examples
    --------
    >>> from pmsm_core import ConfigurationItem, Service, ServiceCatalogue, ServiceDependency
    >>> from pmsm_core.services.graph import impact
    >>> cat = ServiceCatalogue(
    ...     "IT",
    ...     services=[Service("MAIL")],
    ...     configuration_items=[ConfigurationItem("MX")],
    ...     dependencies=[ServiceDependency("MAIL", "MX")],
    ... )
    >>> impact_frame(impact(cat, ["MX"]))
         status  service causes
    id
    MAIL   down     True     MX
    MX     down    False
    """
    services = {s.service: s for s in result.services}
    rows = []
    for node in sorted(set(result.down) | set(result.degraded)):
        status = result.status(node)
        rows.append(
            {
                "id": node,
                "status": status.value,
                "service": node in services,
                "causes": ", ".join(services[node].causes) if node in services else "",
            }
        )
    return _frame(rows, ["id", "status", "service", "causes"], "id")


def flow_frame(analysis: FlowAnalysis) -> pd.DataFrame:
    """One row per process that is a bottleneck or has a load: centrality and Little's law.

    Examples
    --------
    >>> from pmsm_core.processes.catalog import load_catalogue
    >>> from pmsm_core.processes.flow import analyse_flow
    >>> frame = flow_frame(analyse_flow(load_catalogue("itil2011")))
    >>> frame.index[0], list(frame.columns[:3])
    ('CSI1', ['betweenness', 'fan_in', 'fan_out'])
    """
    loads = {x.process: x for x in analysis.loads}
    critical = set(analysis.critical_path_processes)
    in_loop = {p for loop in analysis.loops for p in loop.processes}
    ids = [b.process for b in analysis.bottlenecks]
    ids += [p for p in loads if p not in set(ids)]
    central = {b.process: b for b in analysis.bottlenecks}
    rows = []
    for pid in ids:
        b = central.get(pid)
        load = loads.get(pid)
        rows.append(
            {
                "process": pid,
                "betweenness": b.betweenness if b else None,
                "fan_in": b.fan_in if b else None,
                "fan_out": b.fan_out if b else None,
                "critical_path": pid in critical,
                "in_loop": pid in in_loop,
                "arrival_rate": load.arrival_rate if load else None,
                "cycle_time_minutes": load.cycle_time.minutes if load else None,
                "wip": load.wip if load else None,
                "utilisation": load.utilisation if load else None,
                "overloaded": load.overloaded if load else None,
            }
        )
    columns = [
        "process",
        "betweenness",
        "fan_in",
        "fan_out",
        "critical_path",
        "in_loop",
        "arrival_rate",
        "cycle_time_minutes",
        "wip",
        "utilisation",
        "overloaded",
    ]
    return _frame(rows, columns, "process")


def maturity_frame(report: MaturityReport) -> pd.DataFrame:
    """One row per assessed process: level, target, gap, priority and next steps.

    Examples
    --------
    >>> from pmsm_core.processes.maturity import MaturityReport, RollUpRule
    >>> maturity_frame(MaturityReport("a", RollUpRule.WEAKEST_LINK, 0.75, (), (), None, ())).shape
    (0, 7)
    """
    rows = [
        {
            "process": p.process,
            "area": p.area,
            "level": int(p.level.value),
            "level_label": p.level.label,
            "target": int(p.target.value) if p.target is not None else None,
            "gap": p.gap,
            "priority": p.priority,
            "next_steps": ", ".join(p.next_steps),
        }
        for p in report.processes
    ]
    columns = [
        "process",
        "area",
        "level",
        "level_label",
        "target",
        "gap",
        "priority",
        "next_steps",
    ]
    return _frame(rows, columns, "process")
