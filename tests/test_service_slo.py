"""Error budgets, burn rates and the Site Reliability Workbook's multi-window alerts."""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pmsm_core import (
    ErrorBudget,
    ValidationError,
    budget_consumed,
    burn_rate,
    error_budget,
    evaluate_alerts,
    multiwindow_alert_rules,
)

DAY = timedelta(days=1)


class TestBudget:
    @pytest.mark.parametrize(
        ("objective", "window", "minutes"),
        [
            (0.999, 30 * DAY, 43.2),
            (0.9995, 28 * DAY, 20.16),
            (0.99, 7 * DAY, 100.8),
            (0.9999, 365 * DAY, 52.56),
        ],
    )
    def test_published_budgets(self, objective: float, window: timedelta, minutes: float) -> None:
        """(1 - SLO) × window: 99.9 % over 30 days is 43.2 minutes."""
        assert error_budget(objective, window).total_seconds() / 60 == pytest.approx(minutes)

    def test_event_budget(self) -> None:
        """Request-based budget: 0.1 % of 2,000,000 requests is 2,000 bad ones."""
        b = ErrorBudget(0.999, 30 * DAY, total=2_000_000, bad=500)
        assert b.allowed == pytest.approx(2000)
        assert b.consumed == pytest.approx(0.25) and b.remaining == pytest.approx(0.75)
        assert b.error_rate == pytest.approx(0.00025) and b.burn_rate == pytest.approx(0.25)
        assert b.budget == error_budget(0.999, 30 * DAY)

    def test_time_budget(self) -> None:
        """Downtime against a time budget: 21.6 of 43.2 minutes is half of it."""
        b = ErrorBudget.from_downtime(0.999, 30 * DAY, timedelta(minutes=21.6))
        assert b.consumed == pytest.approx(0.5)
        over = ErrorBudget.from_downtime(0.999, 30 * DAY, timedelta(minutes=86.4))
        assert over.remaining == pytest.approx(-1.0)

    def test_no_events(self) -> None:
        """Nothing measured: nothing consumed."""
        assert ErrorBudget(0.99, DAY).consumed == 0.0

    @pytest.mark.parametrize(
        ("call", "message"),
        [
            (lambda: error_budget(99.9, DAY), "strictly between 0 and 1"),
            (lambda: error_budget(1.0, DAY), "strictly between 0 and 1"),
            (lambda: error_budget(0.99, timedelta(0)), "positive timedelta"),
            (lambda: error_budget(0.99, 30), "positive timedelta"),
            (lambda: burn_rate(1.5, 0.99), r"\[0, 1\]"),
            (lambda: burn_rate(-0.1, 0.99), "negative"),
            (lambda: ErrorBudget(0.99, DAY, total=10, bad=11), "cannot exceed"),
            (lambda: ErrorBudget(0.99, DAY, total=float("nan")), "finite"),
            (lambda: ErrorBudget.from_downtime(0.99, DAY, timedelta(-1)), "non-negative"),
        ],
    )
    def test_bad_input(self, call: object, message: str) -> None:
        """Objectives are fractions, windows positive timedeltas, counts consistent."""
        with pytest.raises(ValidationError, match=message):
            call()  # type: ignore[operator]


class TestBurnRate:
    def test_workbook_values(self) -> None:
        """Burn rate 14.4 for an hour spends 2 % of a 30-day budget; 6 for six hours 5 %;
        1 for three days 10 %."""
        assert burn_rate(0.0144, 0.999) == pytest.approx(14.4)
        assert budget_consumed(14.4, timedelta(hours=1), 30 * DAY) == pytest.approx(0.02)
        assert budget_consumed(6, timedelta(hours=6), 30 * DAY) == pytest.approx(0.05)
        assert budget_consumed(1, 3 * DAY, 30 * DAY) == pytest.approx(0.10)
        assert budget_consumed(1, 30 * DAY, 30 * DAY) == pytest.approx(1.0)

    @given(st.floats(0.5, 0.99999), st.floats(0, 1))
    def test_burn_rate_one_spends_the_window(self, objective: float, share: float) -> None:
        """At burn rate 1 a window of any length spends its own share of the budget."""
        window = 30 * DAY
        assert budget_consumed(1.0, window * share + timedelta(seconds=1), window) == (
            pytest.approx(share + 1 / window.total_seconds(), abs=1e-9)
        )

    def test_rules_for_99_9(self) -> None:
        """The workbook's table for a 99.9 % SLO over 30 days."""
        rules = multiwindow_alert_rules(0.999)
        table = [
            (
                r.severity,
                r.long_window,
                r.short_window,
                round(r.burn_rate, 6),
                round(r.error_rate_threshold, 8),
                r.budget_consumed,
            )
            for r in rules
        ]
        assert table == [
            ("page", timedelta(hours=1), timedelta(minutes=5), 14.4, 0.0144, 0.02),
            ("page", timedelta(hours=6), timedelta(minutes=30), 6.0, 0.006, 0.05),
            ("ticket", 3 * DAY, timedelta(hours=6), 1.0, 0.001, 0.10),
        ]

    @given(st.floats(0.9, 0.99999), st.integers(7, 90))
    def test_rules_scale_with_the_window(self, objective: float, days: int) -> None:
        """Whatever the window, each rule fires after spending its share of the budget."""
        window = days * DAY
        for rule in multiwindow_alert_rules(objective, window):
            assert budget_consumed(rule.burn_rate, rule.long_window, window) == pytest.approx(
                rule.budget_consumed
            )
            assert rule.short_window * 12 == rule.long_window

    def test_custom_policy_and_errors(self) -> None:
        """Policies are checked."""
        rules = multiwindow_alert_rules(
            0.99, DAY, [("page", 0.5, timedelta(hours=2))], short_ratio=4
        )
        assert rules[0].burn_rate == pytest.approx(6.0)
        assert rules[0].short_window == timedelta(minutes=30)
        with pytest.raises(ValidationError, match="shorter than the SLO window"):
            multiwindow_alert_rules(0.99, DAY, [("page", 0.5, DAY)])
        with pytest.raises(ValidationError, match=r"\(0, 1\]"):
            multiwindow_alert_rules(0.99, DAY, [("page", 2.0, timedelta(hours=1))])
        with pytest.raises(ValidationError, match="policy entries"):
            multiwindow_alert_rules(0.99, DAY, [("page",)])  # type: ignore[list-item]
        with pytest.raises(ValidationError, match="short_ratio"):
            multiwindow_alert_rules(0.99, short_ratio=0)


class TestAlerts:
    def minutes(self, hours: int) -> list[datetime]:
        start = datetime(2026, 3, 2)
        return [start + timedelta(minutes=i) for i in range(1, hours * 60 + 1)]

    def test_fast_burn_pages(self) -> None:
        """A full hour at 2 % errors (burn 20) fires every rule; recovery stops the page
        within the 5-minute short window although the hour still looks bad."""
        times = self.minutes(1)
        rules = multiwindow_alert_rules(0.999)
        total = np.full(60, 1000)
        firing = evaluate_alerts(rules, times, total, np.full(60, 20), times[-1])
        assert [e.firing for e in firing] == [True, True, True]
        assert firing[0].long_burn_rate == pytest.approx(20.0)
        recovered = np.r_[np.full(54, 20), np.zeros(6)]
        after = evaluate_alerts(rules, times, total, recovered, times[-1])
        assert after[0].long_error_rate == pytest.approx(0.018)
        assert after[0].short_error_rate == 0.0
        assert not after[0].firing

    def test_slow_burn_tickets(self) -> None:
        """Six hours at 0.2 % (burn 2): not a page, but the ticket rule fires."""
        times = self.minutes(6)
        rules = multiwindow_alert_rules(0.999)
        evaluations = evaluate_alerts(
            rules,
            np.array(times, dtype="datetime64[m]"),
            np.full(360, 1000),
            np.full(360, 2),
            times[-1],
        )
        assert [e.firing for e in evaluations] == [False, False, True]

    def test_no_traffic(self) -> None:
        """Without events there is no error rate and nothing fires."""
        e = evaluate_alerts(multiwindow_alert_rules(0.999), [], [], [], datetime(2026, 3, 2))
        assert all(x.long_error_rate is None and not x.firing for x in e)
        assert e[0].long_burn_rate is None

    def test_bad_counts(self) -> None:
        """Counts must line up and make sense."""
        rules = multiwindow_alert_rules(0.999)
        t = [datetime(2026, 3, 2)]
        with pytest.raises(ValidationError, match="equal length"):
            evaluate_alerts(rules, t, [1, 2], [0], t[0])
        with pytest.raises(ValidationError, match="0 <= bad <= total"):
            evaluate_alerts(rules, t, [1], [2], t[0])
        with pytest.raises(ValidationError, match="datetimes"):
            evaluate_alerts(rules, ["x"], [1], [0], t[0])
        with pytest.raises(ValidationError, match="BurnRateAlert"):
            evaluate_alerts(["rule"], t, [1], [0], t[0])  # type: ignore[list-item]
        with pytest.raises(ValidationError, match="at must be a datetime"):
            evaluate_alerts(rules, t, [1], [0], "now")  # type: ignore[arg-type]
