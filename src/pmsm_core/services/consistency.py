"""Consistency: how regularly a service delivers its results, period after period.

A service must deliver its results *on a consistent basis*. For each target this module
lines up one measured value per period and reports the share of periods that met the
target and how much the value varied: mean, sample standard deviation, coefficient of
variation (standard deviation / mean), lowest and highest value.

:func:`consistency` gathers three kinds of targets from a catalogue:

* ``availability``: measured availability within agreed service time per period (from
  outage records, including outages derived through the dependency graph) against the
  strictest agreed availability;
* ``compliance``: the share of SLA clocks met per period against a target's compliance
  goal (e.g. 95 % of priority-1 incidents resolved within 4 hours);
* ``result``: the measurements of the results in each service's boundary against their
  quality metric (first-contact resolution at least 70 % ...).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING

import attrs

from pmsm_core.exceptions import ValidationError
from pmsm_core.services._periods import check_period, next_period, period_range, period_start

if TYPE_CHECKING:  # pragma: no cover
    from pmsm_core.model.service import ServiceCatalogue

__all__ = ["PeriodValue", "TargetConsistency", "consistency"]


@attrs.frozen
class PeriodValue:
    """One period's measured value and whether it met the target (None: no data).

    Examples
    --------
    >>> PeriodValue(date(2026, 3, 1), 99.93, True).met
    True
    """

    period: date
    value: float | None
    met: bool | None


def _is_met(value: float, goal: float, direction: str, tolerance: float) -> bool:
    if direction == "min":
        return value >= goal - tolerance - 1e-9
    if direction == "max":
        return value <= goal + tolerance + 1e-9
    return abs(value - goal) <= tolerance + 1e-9


@attrs.frozen
class TargetConsistency:
    """How consistently one target was met across periods.

    Attributes
    ----------
    service
        The service the target belongs to.
    source
        ``"availability"``, ``"compliance"`` or ``"result"``.
    target
        A label for the target.
    goal, direction, tolerance
        The target value; ``"min"`` (at least), ``"max"`` (at most) or ``"target"``
        (within ``tolerance`` either side).
    periods
        One :class:`PeriodValue` per period, in order.

    Examples
    --------
    >>> c = TargetConsistency.from_values(
    ...     "SD",
    ...     "result",
    ...     "First-contact resolution",
    ...     70.0,
    ...     [(date(2026, 3, 1), 68.5), (date(2026, 4, 1), 72.0), (date(2026, 5, 1), 74.1)],
    ... )
    >>> c.met, c.share_met, round(c.mean, 2), round(c.stdev, 2), round(c.cv, 4)
    (2, 0.6666666666666666, 71.53, 2.83, 0.0395)
    """

    service: str
    source: str
    target: str
    goal: float
    direction: str = "min"
    tolerance: float = 0.0
    periods: tuple[PeriodValue, ...] = ()

    @classmethod
    def from_values(
        cls,
        service: str,
        source: str,
        target: str,
        goal: float,
        values: Iterable[tuple[date, float | None]],
        *,
        direction: str = "min",
        tolerance: float = 0.0,
    ) -> TargetConsistency:
        """Build from ``(period, value)`` pairs; a value of None means no data."""
        if direction not in ("min", "max", "target"):
            msg = f"direction must be 'min', 'max' or 'target', got {direction!r}"
            raise ValidationError(msg, path="direction")
        rows = []
        for when, value in values:
            if value is None:
                rows.append(PeriodValue(when, None, None))
                continue
            if not math.isfinite(value):
                msg = f"value for {when} must be finite, got {value!r}"
                raise ValidationError(msg, path="values")
            rows.append(PeriodValue(when, float(value), _is_met(value, goal, direction, tolerance)))
        return cls(service, source, target, goal, direction, tolerance, tuple(rows))

    @property
    def values(self) -> tuple[float, ...]:
        """The measured values (periods without data left out)."""
        return tuple(p.value for p in self.periods if p.value is not None)

    @property
    def measured(self) -> int:
        """Periods with a measured value."""
        return len(self.values)

    @property
    def met(self) -> int:
        """Periods that met the target."""
        return sum(1 for p in self.periods if p.met)

    @property
    def share_met(self) -> float | None:
        """Met periods / measured periods (None without data)."""
        return self.met / self.measured if self.measured else None

    @property
    def mean(self) -> float | None:
        """Mean of the measured values."""
        return statistics.fmean(self.values) if self.values else None

    @property
    def stdev(self) -> float | None:
        """Sample standard deviation of the measured values (None below two periods)."""
        return statistics.stdev(self.values) if len(self.values) >= 2 else None

    @property
    def cv(self) -> float | None:
        """Coefficient of variation, stdev / mean (None when undefined)."""
        mean, stdev = self.mean, self.stdev
        if mean is None or stdev is None or mean == 0:
            return None
        return stdev / abs(mean)

    @property
    def minimum(self) -> float | None:
        """Lowest measured value."""
        return min(self.values) if self.values else None

    @property
    def maximum(self) -> float | None:
        """Highest measured value."""
        return max(self.values) if self.values else None


def _window(catalogue: ServiceCatalogue) -> tuple[date, date] | None:
    days: list[date] = []
    days += [o.start.date() for o in catalogue.outages]
    days += [o.end.date() for o in catalogue.outages]
    days += [t.opened.date() for t in catalogue.tickets]
    days += [m.period for m in catalogue.measurements]
    if not days:
        return None
    first = period_start(min(days), "month")
    return first, next_period(period_start(max(days), "month"), "month")


def consistency(
    catalogue: ServiceCatalogue,
    *,
    start: date | None = None,
    end: date | None = None,
    period: str = "month",
    as_of: datetime | None = None,
) -> tuple[TargetConsistency, ...]:
    """Consistency of every availability target, compliance goal and boundary result.

    Parameters
    ----------
    catalogue
        The service catalogue with its outages, tickets and measurements.
    start, end
        The reporting window ``[start, end)`` (dates); default: the whole months covering
        the records. Result measurements are used as recorded, if they fall in the window.
    period
        Period length for availability and compliance: ``"day"``, ``"week"``,
        ``"month"``, ``"quarter"`` or ``"year"``.
    as_of
        Reporting instant for the SLA clocks (default: the latest state change).

    Returns
    -------
    tuple of TargetConsistency
        Availability targets, then compliance goals, then results; by service within each.

    Examples
    --------
    >>> from pmsm_core import demo_catalogue
    >>> rows = consistency(demo_catalogue())
    >>> fcr = next(r for r in rows if r.target == "First-contact resolution")
    >>> fcr.met, fcr.measured
    (2, 3)
    """
    from pmsm_core.services.availability import derived_outages, outage_statistics
    from pmsm_core.services.graph import ServiceGraph
    from pmsm_core.services.sla import sla_report

    check_period(period)
    window = _window(catalogue)
    if start is None or end is None:
        if window is None:
            return ()
        start = start or window[0]
        end = end or window[1]
    pairs: tuple[tuple[str, object], ...] = (("start", start), ("end", end))
    for name, value in pairs:
        if not isinstance(value, date) or isinstance(value, datetime):
            msg = f"{name} must be a date, got {value!r}"
            raise ValidationError(msg, path=name)
    if end <= start:
        msg = f"end {end} must come after start {start}"
        raise ValidationError(msg, path="end")
    periods = period_range(start, end, period)
    bounds = [(max(p, start), min(next_period(p, period), end)) for p in periods]
    out: list[TargetConsistency] = []

    graph = ServiceGraph(catalogue)
    down = derived_outages(graph)
    for service in sorted(catalogue.services, key=lambda s: s.id):
        best = None
        for agreement in catalogue.agreements_for(service.id):
            goal = agreement.availability_target
            if goal is not None and (best is None or goal > best[0]):
                best = (goal, agreement)
        if best is None:
            continue
        goal, agreement = best
        hours = catalogue.calendar_by_id(agreement.service_hours)
        mine = [o for o in down if o.item == service.id]
        values: list[tuple[date, float | None]] = []
        for p, (lo, hi) in zip(periods, bounds, strict=True):
            stats = outage_statistics(
                mine,
                datetime.combine(lo, datetime.min.time()),
                datetime.combine(hi, datetime.min.time()),
                calendar=hours,
                item=service.id,
            )
            a = stats.availability
            values.append((p, None if a is None else 100.0 * a))
        out.append(
            TargetConsistency.from_values(
                service.id,
                "availability",
                f"availability {goal:g} % ({agreement.id})",
                goal,
                values,
            )
        )

    report = sla_report(catalogue, as_of=as_of)
    rows = report.compliance(period)
    by_target: dict[tuple[str, str], dict[date, float | None]] = {}
    goals: dict[tuple[str, str], float] = {}
    for row in rows:
        if row.goal is None or not start <= row.period < end:
            continue
        key = (row.agreement, row.target)
        by_target.setdefault(key, {})[row.period] = row.percent
        goals[key] = row.goal
    for (agreement_id, label), measured in sorted(by_target.items()):
        services = ", ".join(catalogue.agreement(agreement_id).services)
        out.append(
            TargetConsistency.from_values(
                services,
                "compliance",
                f"{label} ({agreement_id})",
                goals[(agreement_id, label)],
                [(p, measured.get(p)) for p in periods],
            )
        )

    for service in sorted(catalogue.services, key=lambda s: s.id):
        for metric in service.boundary.results:
            points = sorted(
                (m.period, m.value)
                for m in catalogue.measurements
                if m.service == service.id and m.result == metric.id and start <= m.period < end
            )
            if not points:
                continue
            out.append(
                TargetConsistency.from_values(
                    service.id,
                    "result",
                    metric.name or metric.id,
                    metric.target,
                    points,
                    direction=metric.direction,
                    tolerance=metric.tolerance,
                )
            )
    return tuple(out)
