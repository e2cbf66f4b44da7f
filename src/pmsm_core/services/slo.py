"""Service level objectives: error budgets, burn rates and multi-window burn-rate alerts.

An objective (SLO) such as 99.9 % of requests good over 30 days leaves an *error budget*
of ``(1 - SLO) × window``: 43.2 minutes of full outage, or 0.1 % of the requests. The
*burn rate* is how fast the budget is being spent relative to the window: the observed
error rate divided by ``1 - SLO``; at burn rate 1 the budget lasts exactly the window.
An alert over a window *w* that fires at burn rate *b* has consumed ``b × w / window`` of
the budget when it fires.

The multi-window, multi-burn-rate alerts recommended in the Google *Site Reliability
Workbook* (chapter "Alerting on SLOs") page when 2 % of a 30-day budget burns within an
hour or 5 % within six hours, and open a ticket when 10 % burns within three days. Each
rule also checks a short window of one twelfth of its long window, so that an alert stops
soon after the problem does. :func:`multiwindow_alert_rules` derives the burn rates from
the budget shares, so the same policy scales to any SLO window.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Final

import attrs

from pmsm_core.exceptions import ValidationError

if TYPE_CHECKING:  # pragma: no cover
    import numpy.typing as npt

__all__ = [
    "DEFAULT_ALERT_POLICY",
    "AlertEvaluation",
    "BurnRateAlert",
    "ErrorBudget",
    "budget_consumed",
    "burn_rate",
    "error_budget",
    "evaluate_alerts",
    "multiwindow_alert_rules",
]

#: The Site Reliability Workbook's policy, as (severity, share of the budget, long window).
DEFAULT_ALERT_POLICY: Final = (
    ("page", 0.02, timedelta(hours=1)),
    ("page", 0.05, timedelta(hours=6)),
    ("ticket", 0.10, timedelta(days=3)),
)


def _objective(value: Any, name: str = "objective") -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or not 0.0 < value < 1.0
    ):
        msg = (
            f"{name} must be a fraction strictly between 0 and 1 (0.999 for 99.9 %), got {value!r}"
        )
        raise ValidationError(msg, path=name)
    return float(value)


def _window(value: Any, name: str) -> timedelta:
    if not isinstance(value, timedelta) or value <= timedelta(0):
        msg = f"{name} must be a positive timedelta, got {value!r}"
        raise ValidationError(msg, path=name)
    return value


def _non_negative(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        msg = f"{name} must be a finite number, got {value!r}"
        raise ValidationError(msg, path=name)
    if value < 0:
        msg = f"{name} must not be negative, got {value!r}"
        raise ValidationError(msg, path=name)
    return float(value)


def error_budget(objective: float, window: timedelta) -> timedelta:
    """The time a service may be fully down in ``window`` at ``objective``.

    Examples
    --------
    >>> error_budget(0.999, timedelta(days=30))
    datetime.timedelta(seconds=2592)
    >>> error_budget(0.999, timedelta(days=30)).total_seconds() / 60
    43.2
    """
    return _window(window, "window") * (1.0 - _objective(objective))


def burn_rate(error_rate: float, objective: float) -> float:
    """How fast the budget burns: ``error_rate / (1 - objective)``.

    Examples
    --------
    >>> round(burn_rate(0.0144, 0.999), 6)
    14.4
    """
    rate = _non_negative(error_rate, "error_rate")
    if rate > 1:
        msg = f"error_rate is a fraction of events in [0, 1], got {error_rate!r}"
        raise ValidationError(msg, path="error_rate")
    return rate / (1.0 - _objective(objective))


def budget_consumed(rate: float, alert_window: timedelta, slo_window: timedelta) -> float:
    """Share of the budget spent by burning at ``rate`` for ``alert_window``.

    Examples
    --------
    >>> round(budget_consumed(14.4, timedelta(hours=1), timedelta(days=30)), 6)
    0.02
    """
    return (
        _non_negative(rate, "rate")
        * _window(alert_window, "alert_window")
        / _window(slo_window, "slo_window")
    )


@attrs.frozen
class ErrorBudget:
    """An error budget and how much of it is spent.

    ``total`` and ``bad`` count events (requests) or minutes (time-based SLOs, see
    :meth:`from_downtime`).

    Examples
    --------
    >>> b = ErrorBudget(0.999, timedelta(days=30), total=2_000_000, bad=1_500)
    >>> round(b.allowed), round(b.consumed, 2), round(b.remaining, 2), round(b.burn_rate, 2)
    (2000, 0.75, 0.25, 0.75)
    """

    objective: float = attrs.field(converter=_objective)
    window: timedelta = attrs.field()
    total: float = attrs.field(default=0.0, kw_only=True)
    bad: float = attrs.field(default=0.0, kw_only=True)

    def __attrs_post_init__(self) -> None:
        _window(self.window, "window")
        total = _non_negative(self.total, "total")
        bad = _non_negative(self.bad, "bad")
        if bad > total:
            msg = f"bad events ({bad:g}) cannot exceed the total ({total:g})"
            raise ValidationError(msg, path="bad")

    @classmethod
    def from_downtime(cls, objective: float, window: timedelta, downtime: timedelta) -> ErrorBudget:
        """A time-based budget: minutes of the window against minutes of downtime.

        Examples
        --------
        >>> b = ErrorBudget.from_downtime(0.999, timedelta(days=30), timedelta(minutes=21.6))
        >>> round(b.consumed, 3)
        0.5
        """
        minutes = _window(window, "window").total_seconds() / 60
        lost: object = downtime
        if not isinstance(lost, timedelta) or lost < timedelta(0):
            msg = f"downtime must be a non-negative timedelta, got {downtime!r}"
            raise ValidationError(msg, path="downtime")
        return cls(objective, window, total=minutes, bad=downtime.total_seconds() / 60)

    @property
    def budget(self) -> timedelta:
        """The budget as time, ``(1 - objective) × window``."""
        return self.window * (1.0 - self.objective)

    @property
    def allowed(self) -> float:
        """Bad events (or bad minutes) the budget allows, ``(1 - objective) × total``."""
        return (1.0 - self.objective) * self.total

    @property
    def error_rate(self) -> float:
        """``bad / total`` (0 without events)."""
        return self.bad / self.total if self.total else 0.0

    @property
    def consumed(self) -> float:
        """Share of the budget spent (above 1 when exhausted)."""
        if self.allowed == 0:
            return 0.0 if self.bad == 0 else math.inf
        return self.bad / self.allowed

    @property
    def remaining(self) -> float:
        """Share of the budget left (negative when overspent)."""
        return 1.0 - self.consumed

    @property
    def burn_rate(self) -> float:
        """The burn rate over the whole window so far."""
        return self.error_rate / (1.0 - self.objective)


@attrs.frozen
class BurnRateAlert:
    """One multi-window burn-rate alert rule.

    The rule fires when the error rate over both the long and the short window reaches
    ``error_rate_threshold`` (the burn rate times the error budget share ``1 - SLO``).

    Examples
    --------
    >>> rule = multiwindow_alert_rules(0.999)[0]
    >>> rule.severity, rule.long_window, rule.short_window, round(rule.burn_rate, 2)
    ('page', datetime.timedelta(seconds=3600), datetime.timedelta(seconds=300), 14.4)
    >>> round(rule.error_rate_threshold, 6)
    0.0144
    """

    severity: str
    long_window: timedelta
    short_window: timedelta
    burn_rate: float
    budget_consumed: float
    objective: float
    slo_window: timedelta

    @property
    def error_rate_threshold(self) -> float:
        """The error rate at which the rule fires."""
        return self.burn_rate * (1.0 - self.objective)


def multiwindow_alert_rules(
    objective: float,
    slo_window: timedelta = timedelta(days=30),
    policy: Sequence[tuple[str, float, timedelta]] = DEFAULT_ALERT_POLICY,
    *,
    short_ratio: int = 12,
) -> tuple[BurnRateAlert, ...]:
    """Multi-window, multi-burn-rate alert rules for an SLO.

    Each policy entry ``(severity, budget share, long window)`` becomes a rule with burn
    rate ``share × slo_window / long_window`` and a short window of
    ``long_window / short_ratio``.

    Parameters
    ----------
    objective
        The SLO as a fraction (0.999).
    slo_window
        The SLO's compliance window (30 days by default).
    policy
        Severity, budget share and long window of each rule; the Site Reliability
        Workbook's three rules by default.
    short_ratio
        Long window / short window (12 in the workbook).

    Raises
    ------
    ValidationError
        For an objective outside (0, 1), a budget share outside (0, 1], or a long window
        that is not shorter than the SLO window.

    Examples
    --------
    >>> [(r.severity, round(r.burn_rate, 2)) for r in multiwindow_alert_rules(0.999)]
    [('page', 14.4), ('page', 6.0), ('ticket', 1.0)]
    >>> [round(r.burn_rate, 2) for r in multiwindow_alert_rules(0.999, timedelta(days=7))]
    [3.36, 1.4, 0.23]
    """
    objective = _objective(objective)
    _window(slo_window, "slo_window")
    ratio: object = short_ratio
    if isinstance(ratio, bool) or not isinstance(ratio, int) or ratio < 1:
        msg = f"short_ratio must be a whole number >= 1, got {short_ratio!r}"
        raise ValidationError(msg, path="short_ratio")
    rules = []
    for i, entry in enumerate(policy):
        try:
            severity, share, long_window = entry
        except (TypeError, ValueError):
            msg = f"policy entries are (severity, budget share, long window), got {entry!r}"
            raise ValidationError(msg, path=f"policy[{i}]") from None
        share = _non_negative(share, f"policy[{i}] budget share")
        if not 0 < share <= 1:
            msg = f"budget share must lie in (0, 1], got {share!r}"
            raise ValidationError(msg, path=f"policy[{i}]")
        long_window = _window(long_window, f"policy[{i}] long window")
        if long_window >= slo_window:
            msg = f"long window {long_window} must be shorter than the SLO window {slo_window}"
            raise ValidationError(msg, path=f"policy[{i}]")
        rate = share * (slo_window / long_window)
        rules.append(
            BurnRateAlert(
                str(severity),
                long_window,
                long_window / short_ratio,
                rate,
                share,
                objective,
                slo_window,
            )
        )
    return tuple(rules)


@attrs.frozen
class AlertEvaluation:
    """Whether one rule fires at an instant, with the error rates it saw.

    Examples
    --------
    >>> rule = multiwindow_alert_rules(0.999)[0]
    >>> e = AlertEvaluation(rule, long_error_rate=0.02, short_error_rate=0.03, firing=True)
    >>> round(e.long_burn_rate, 1), round(e.short_burn_rate, 1)
    (20.0, 30.0)
    """

    rule: BurnRateAlert
    long_error_rate: float | None
    short_error_rate: float | None
    firing: bool

    @property
    def long_burn_rate(self) -> float | None:
        """Burn rate over the long window (None without events)."""
        if self.long_error_rate is None:
            return None
        return self.long_error_rate / (1.0 - self.rule.objective)

    @property
    def short_burn_rate(self) -> float | None:
        """Burn rate over the short window (None without events)."""
        if self.short_error_rate is None:
            return None
        return self.short_error_rate / (1.0 - self.rule.objective)


def evaluate_alerts(
    rules: Sequence[BurnRateAlert],
    times: Sequence[datetime] | npt.ArrayLike,
    total: npt.ArrayLike,
    bad: npt.ArrayLike,
    at: datetime,
) -> tuple[AlertEvaluation, ...]:
    """Evaluate alert rules at instant ``at`` over counted events.

    Parameters
    ----------
    rules
        From :func:`multiwindow_alert_rules`.
    times
        When each count was taken (datetimes or ``datetime64``), any order.
    total, bad
        Events and bad events counted at each time.
    at
        The evaluation instant; a window *w* covers ``(at - w, at]``.

    Returns
    -------
    tuple of AlertEvaluation
        One per rule, in order.

    Examples
    --------
    One hour of traffic at 1,000 requests a minute against a 99.9 % SLO. When only the
    last 10 minutes fail at 2 %, the hour sees 0.33 % errors (burn rate 3.3): too slow to
    page (14.4 and 6 are needed) but enough for the ticket rule (burn rate 1). When the
    whole hour fails at 2 % (burn rate 20), every rule fires.

    >>> import numpy as np
    >>> start = datetime(2026, 3, 2, 9)
    >>> minutes = [start + timedelta(minutes=i) for i in range(1, 61)]
    >>> total = np.full(60, 1000)
    >>> bad = np.r_[np.zeros(50), np.full(10, 20)]
    >>> rules = multiwindow_alert_rules(0.999)
    >>> [e.firing for e in evaluate_alerts(rules, minutes, total, bad, minutes[-1])]
    [False, False, True]
    >>> [e.firing for e in evaluate_alerts(rules, minutes, total, np.full(60, 20), minutes[-1])]
    [True, True, True]
    """
    import numpy as np

    from pmsm_core.calendars import to_minute_index

    raw = np.asarray(times)
    if raw.dtype.kind == "M":
        stamps = raw.astype("datetime64[s]").astype(np.int64)
    else:
        epoch = datetime(1970, 1, 1)
        try:
            stamps = np.array([(t - epoch).total_seconds() for t in raw.ravel()], dtype=np.int64)
        except TypeError:
            msg = "times must be datetimes or datetime64 values"
            raise ValidationError(msg, path="times") from None
    counts = np.asarray(total, dtype=np.float64)
    errors = np.asarray(bad, dtype=np.float64)
    if not (stamps.shape == counts.shape == errors.shape) or stamps.ndim != 1:
        msg = "times, total and bad must be one-dimensional and of equal length"
        raise ValidationError(msg, path="times")
    if not np.isfinite(counts).all() or not np.isfinite(errors).all():
        msg = "total and bad must be finite numbers"
        raise ValidationError(msg, path="total")
    if (counts < 0).any() or (errors < 0).any() or (errors > counts).any():
        msg = "counts must satisfy 0 <= bad <= total at every time"
        raise ValidationError(msg, path="bad")
    instant: object = at
    if not isinstance(instant, datetime):
        msg = f"at must be a datetime, got {at!r}"
        raise ValidationError(msg, path="at")
    to_minute_index(at)  # checks the range
    order = np.argsort(stamps, kind="stable")
    stamps, counts, errors = stamps[order], counts[order], errors[order]
    cum_total = np.concatenate(([0.0], np.cumsum(counts)))
    cum_bad = np.concatenate(([0.0], np.cumsum(errors)))
    now = int((at - datetime(1970, 1, 1)).total_seconds())
    hi = int(np.searchsorted(stamps, now, side="right"))

    def rate(window: timedelta) -> float | None:
        lo = int(np.searchsorted(stamps, now - int(window.total_seconds()), side="right"))
        events = cum_total[hi] - cum_total[lo]
        if events <= 0:
            return None
        return float((cum_bad[hi] - cum_bad[lo]) / events)

    out = []
    checked: Sequence[object] = rules
    for item in checked:
        if not isinstance(item, BurnRateAlert):
            msg = f"rules must be BurnRateAlert values, got {item!r}"
            raise ValidationError(msg, path="rules")
    for rule in rules:
        long_rate = rate(rule.long_window)
        short_rate = rate(rule.short_window)
        threshold = rule.error_rate_threshold - 1e-12
        firing = (
            long_rate is not None
            and short_rate is not None
            and long_rate >= threshold
            and short_rate >= threshold
        )
        out.append(AlertEvaluation(rule, long_rate, short_rate, firing))
    return tuple(out)
