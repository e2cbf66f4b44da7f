"""SLA clocks: hand-timed tickets across nights, weekends, holidays and pauses; a
minute-by-minute oracle; compliance; the columnar input."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.strategies_services import STATES, histories

import pmsm_core as pm
from pmsm_core import (
    CalendarException,
    ClockStage,
    Duration,
    OperationalLevelAgreement,
    ServiceLevelAgreement,
    ServiceLevelTarget,
    StateChange,
    TargetMetric,
    Ticket,
    TicketTable,
    TicketType,
    ValidationError,
    WorkCalendar,
    clock_tickets,
    sla_report,
)

D = datetime
HOURS = WorkCalendar(
    "bh",
    {d: ["08:00-12:00", "13:00-18:00"] for d in ("mon", "tue", "wed", "thu", "fri")},
    exceptions=[
        CalendarException(date(2026, 3, 9), name="Staff day"),
        CalendarException(date(2026, 4, 3), date(2026, 4, 6), name="Easter"),
    ],
)
RES, RESP = TargetMetric.RESOLUTION, TargetMetric.RESPONSE


def sla(
    resolution: int = 240, response: int | None = 30, **kwargs: object
) -> ServiceLevelAgreement:
    targets = [ServiceLevelTarget(RES, time=Duration(resolution))]
    if response is not None:
        targets.append(ServiceLevelTarget(RESP, time=Duration(response)))
    return ServiceLevelAgreement(
        "SLA",
        services=["SD"],
        targets=targets,
        pause_states=["pending", "waiting-for-customer"],
        **kwargs,  # type: ignore[arg-type]
    )


def ticket(*changes: tuple[datetime, str], **kwargs: object) -> Ticket:
    return Ticket("T", "SD", [StateChange(a, s) for a, s in changes], **kwargs)  # type: ignore[arg-type]


def resolution(
    t: Ticket, agreement: ServiceLevelAgreement | None = None, **kw: object
) -> pm.SlaClock:
    report = clock_tickets([t], agreement or sla(), kw.pop("calendar", HOURS), **kw)  # type: ignore[arg-type]
    return next(c for c in report.clocks() if c.metric is RES)


def response(
    t: Ticket, agreement: ServiceLevelAgreement | None = None, **kw: object
) -> pm.SlaClock:
    report = clock_tickets([t], agreement or sla(), kw.pop("calendar", HOURS), **kw)  # type: ignore[arg-type]
    return next(c for c in report.clocks() if c.metric is RESP)


class TestHandTimed:
    def test_across_a_night(self) -> None:
        """Tue 16:00 -> Wed 10:00: 2 h (16-18) + 2 h (08-10) = 240 min, exactly the target:
        met, not breached; the deadline is Wed 10:00."""
        c = resolution(ticket((D(2026, 3, 3, 16), "new"), (D(2026, 3, 4, 10), "resolved")))
        assert (c.elapsed, c.breached, c.outcome, c.stage) == (
            240,
            False,
            "met",
            ClockStage.COMPLETED,
        )
        assert c.deadline == D(2026, 3, 4, 10) and c.stopped == D(2026, 3, 4, 10)

    def test_lunch_break_and_finish_reading(self) -> None:
        """Opened 09:00 with a 3 h target: 09-12 is 3 h, so the deadline reads 12:00
        (the end of the morning, not 13:00)."""
        c = resolution(ticket((D(2026, 3, 3, 9), "new"), (D(2026, 3, 3, 14), "resolved")), sla(180))
        assert c.deadline == D(2026, 3, 3, 12) and c.elapsed == 240 and c.breached

    def test_across_a_weekend_and_a_holiday(self) -> None:
        """Fri 17:00 -> Tue 09:30 with Monday a staff day: 1 h + 1.5 h = 150 min."""
        c = resolution(ticket((D(2026, 3, 6, 17), "new"), (D(2026, 3, 10, 9, 30), "resolved")))
        assert c.elapsed == 150 and not c.breached
        assert c.deadline == D(2026, 3, 10, 11)

    def test_across_easter(self) -> None:
        """Thu 2 April 17:00 -> Tue 7 April 09:00 with Good Friday to Easter Monday off."""
        c = resolution(ticket((D(2026, 4, 2, 17), "new"), (D(2026, 4, 7, 9), "resolved")))
        assert c.elapsed == 120

    def test_pause_moves_the_deadline(self) -> None:
        """Opened Tue 09:00, waiting for the customer 10:00-15:00 (4 business hours, lunch
        excluded), resolved 18:00: 1 h + 3 h = 240 min counted, 240 min paused; the
        deadline moved from 14:00 to 18:00."""
        c = resolution(
            ticket(
                (D(2026, 3, 3, 9), "new"),
                (D(2026, 3, 3, 10), "waiting-for-customer"),
                (D(2026, 3, 3, 15), "assigned"),
                (D(2026, 3, 3, 18), "resolved"),
            )
        )
        assert (c.elapsed, c.paused, c.breached) == (240, 240, False)
        assert c.deadline == D(2026, 3, 3, 18)

    def test_pause_over_a_night(self) -> None:
        """A pause from Tue 17:00 to Wed 09:00 costs 2 business hours of pause, none of
        the clock."""
        c = resolution(
            ticket(
                (D(2026, 3, 3, 16), "new"),
                (D(2026, 3, 3, 17), "pending"),
                (D(2026, 3, 4, 9), "assigned"),
                (D(2026, 3, 4, 10), "resolved"),
            )
        )
        assert (c.elapsed, c.paused) == (120, 120)

    def test_response_clock(self) -> None:
        """Response: Fri 17:50 new -> Tue 08:10 assigned (Monday is a staff day): 20 min."""
        c = response(
            ticket(
                (D(2026, 3, 6, 17, 50), "new"),
                (D(2026, 3, 10, 8, 10), "assigned"),
                (D(2026, 3, 10, 12), "resolved"),
            )
        )
        assert (c.elapsed, c.stage, c.breached) == (20, ClockStage.COMPLETED, False)
        assert c.stopped == D(2026, 3, 10, 8, 10)
        assert c.deadline == D(2026, 3, 10, 8, 20)

    def test_reopened_ticket_resumes(self) -> None:
        """Resolved then reopened: the clock runs again until the next resolution."""
        c = resolution(
            ticket(
                (D(2026, 3, 3, 9), "new"),
                (D(2026, 3, 3, 10), "resolved"),
                (D(2026, 3, 4, 9), "assigned"),
                (D(2026, 3, 4, 11), "resolved"),
                (D(2026, 3, 5, 9), "closed"),
            )
        )
        assert c.elapsed == 180 and c.stopped == D(2026, 3, 4, 11)

    def test_cancelled(self) -> None:
        """A cancelled ticket's clock is cancelled and left out of compliance."""
        t = ticket((D(2026, 3, 3, 9), "new"), (D(2026, 3, 4, 9), "cancelled"))
        c = resolution(t)
        assert c.stage is ClockStage.CANCELLED and c.outcome == "cancelled"
        assert c.elapsed == 540 and c.breached
        report = clock_tickets([t], sla(), HOURS)
        row = next(r for r in report.compliance() if r.metric is RES)
        assert (row.met, row.breached, row.cancelled, row.percent) == (0, 0, 1, None)

    def test_still_running_projects_the_deadline(self) -> None:
        """Open at the reporting instant: deadline projected from now; warning at 75 %."""
        t = ticket((D(2026, 3, 3, 9), "new"), (D(2026, 3, 3, 9, 10), "assigned"))
        c = resolution(t, as_of=D(2026, 3, 3, 11, 30))
        assert (c.elapsed, c.stage, c.outcome) == (150, ClockStage.RUNNING, "pending")
        # 90 minutes left: 11:30-12:00, then 13:00-14:00 after lunch
        assert c.deadline == D(2026, 3, 3, 14)
        assert c.warning_at == D(2026, 3, 3, 12) and not c.warning  # 75 % = 180 min
        later = resolution(t, as_of=D(2026, 3, 3, 15))
        assert later.elapsed == 300 and later.warning and later.breached
        assert later.deadline == D(2026, 3, 3, 14) and later.warning_at == D(2026, 3, 3, 12)

    def test_paused_at_the_reporting_instant(self) -> None:
        """A paused clock is PAUSED; its deadline assumes it resumes now."""
        t = ticket((D(2026, 3, 3, 9), "new"), (D(2026, 3, 3, 10), "pending"))
        c = resolution(t, as_of=D(2026, 3, 3, 16))
        assert (c.stage, c.elapsed, c.paused) == (ClockStage.PAUSED, 60, 300)
        assert c.deadline == D(2026, 3, 4, 9)

    def test_round_the_clock(self) -> None:
        """Without service hours the clock runs 24 × 7."""
        t = ticket((D(2026, 3, 6, 22), "new"), (D(2026, 3, 7, 4), "resolved"))
        report = clock_tickets([t], sla(300))
        c = next(c for c in report.clocks() if c.metric is RES)
        assert c.elapsed == 360 and c.breached and c.deadline == D(2026, 3, 7, 3)

    def test_events_after_as_of_are_ignored(self) -> None:
        """As of Tuesday noon the ticket is still open, and tickets opened later are absent."""
        early = ticket((D(2026, 3, 3, 9), "new"), (D(2026, 3, 4, 9), "resolved"))
        late = Ticket("LATE", "SD", [StateChange(D(2026, 3, 5, 9), "new")])
        report = clock_tickets([early, late], sla(response=None), HOURS, as_of=D(2026, 3, 3, 12))
        assert [c.ticket for c in report.clocks()] == ["T"]
        assert report.clock(0).stage is ClockStage.RUNNING and report.clock(0).elapsed == 180

    def test_target_selection_and_scope(self) -> None:
        """Priority and type pick the target; other services and agreements are skipped."""
        agreement = ServiceLevelAgreement(
            "SLA",
            services=["SD"],
            targets=[
                ServiceLevelTarget(RES, time=Duration(480)),
                ServiceLevelTarget(RES, time=Duration(60), priority=1),
                ServiceLevelTarget(
                    RES, time=Duration(30), priority=1, ticket_type=TicketType.SERVICE_REQUEST
                ),
            ],
        )
        opened = [StateChange(D(2026, 3, 3, 9), "new")]
        tickets = [
            Ticket("P1", "SD", opened, priority=1),
            Ticket("P1R", "SD", opened, priority=1, type=TicketType.SERVICE_REQUEST),
            Ticket("P3", "SD", opened, priority=3),
            Ticket("OTHER", "MAIL", opened, priority=1),
            Ticket("OLA", "SD", opened, priority=1, agreement="OLA-X"),
        ]
        report = clock_tickets(tickets, agreement, HOURS, as_of=D(2026, 3, 3, 10))
        assert {c.ticket: c.target_minutes for c in report.clocks()} == {
            "P1": 60,
            "P1R": 30,
            "P3": 480,
        }

    def test_errors(self) -> None:
        """Wrong agreement, calendar or instant give clear errors."""
        t = ticket((D(2026, 3, 3, 9), "new"))
        with pytest.raises(ValidationError, match="expected an SLA"):
            clock_tickets([t], "SLA")  # type: ignore[arg-type]
        with pytest.raises(ValidationError, match="calendar must be a WorkCalendar"):
            clock_tickets([t], sla(), "bh")  # type: ignore[arg-type]
        with pytest.raises(ValidationError, match="as_of"):
            clock_tickets([t], sla(), as_of=D(2026, 3, 3, 9, 0, 30))
        with pytest.raises(ValidationError, match="must be a Ticket"):
            clock_tickets(["T"], sla())  # type: ignore[list-item]


def oracle(
    t: Ticket, agreement: ServiceLevelAgreement, as_of: datetime, metric: TargetMetric
) -> dict[str, object]:
    """Walk minute by minute (the slow, obvious way)."""
    target = agreement.target_for(metric, t.priority, t.type)
    assert target is not None and target.time is not None
    goal = target.time.minutes
    changes = [c for c in t.history if c.at <= as_of]
    halted = (
        set(agreement.pause_states)
        | set(agreement.resolved_states)
        | set(agreement.cancelled_states)
    )
    answer = next((c for c in changes if c.state not in agreement.new_states), None)
    first_answer = answer.at if answer is not None else None

    def state(minute: datetime) -> str:
        return [c for c in changes if c.at <= minute][-1].state

    def running(minute: datetime) -> bool:
        s = state(minute)
        if metric is RESP:
            return s in agreement.new_states and (first_answer is None or minute < first_answer)
        return s not in halted

    elapsed = paused = 0
    deadline = None
    minute = changes[0].at
    while minute < as_of:
        if HOURS.is_working(minute):
            if running(minute):
                elapsed += 1
                if elapsed == goal:
                    deadline = minute + timedelta(minutes=1)
            elif metric is RES and state(minute) in agreement.pause_states:
                paused += 1
        minute += timedelta(minutes=1)
    if metric is RESP:
        stage = (
            "running"
            if answer is None
            else ("cancelled" if answer.state in agreement.cancelled_states else "completed")
        )
        stop = first_answer
    else:
        final = changes[-1].state
        stage = (
            "completed"
            if final in agreement.resolved_states
            else "cancelled"
            if final in agreement.cancelled_states
            else "paused"
            if final in agreement.pause_states
            else "running"
        )
        stop = None
        if stage in ("completed", "cancelled"):
            ends = set(agreement.resolved_states) | set(agreement.cancelled_states)
            stop = changes[-1].at
            for c in reversed(changes):
                if c.state not in ends:
                    break
                stop = c.at
    if deadline is None:
        left = goal - elapsed
        minute = stop if stop is not None else as_of
        while left > 0:
            if HOURS.is_working(minute):
                left -= 1
            minute += timedelta(minutes=1)
        deadline = minute
    return {
        "elapsed": elapsed,
        "paused": paused,
        "stage": stage,
        "deadline": deadline,
        "breached": elapsed > goal,
        "stopped": stop,
    }


class TestAgainstOracle:
    @given(
        st.lists(histories(), min_size=1, max_size=3),
        st.integers(0, 5 * 1440),
        st.sampled_from([60, 240, 600, 1]),
        st.sampled_from([15, 90]),
    )
    def test_clocks_match_minute_walk(
        self, tickets: list[list[StateChange]], offset: int, target: int, answer: int
    ) -> None:
        """Vectorised clocks equal walking every minute, whatever the history and instant."""
        agreement = sla(target, answer)
        values = [Ticket(f"T{i}", "SD", h) for i, h in enumerate(tickets)]
        as_of = D(2026, 3, 6, 7) + timedelta(minutes=offset)
        report = clock_tickets(values, agreement, HOURS, as_of=as_of)
        clocks = {(c.ticket, c.metric): c for c in report.clocks()}
        for t in values:
            for metric in (RESP, RES):
                if t.opened > as_of:
                    assert (t.id, metric) not in clocks
                    continue
                expected = oracle(t, agreement, as_of, metric)
                c = clocks[(t.id, metric)]
                got = {
                    "elapsed": c.elapsed,
                    "paused": c.paused,
                    "stage": c.stage.value,
                    "deadline": c.deadline,
                    "breached": c.breached,
                    "stopped": c.stopped,
                }
                assert got == expected, (t, metric)

    @given(st.lists(histories(), min_size=1, max_size=4), st.integers(0, 6 * 1440))
    def test_never_counts_outside_hours_or_in_pauses(
        self, tickets: list[list[StateChange]], offset: int
    ) -> None:
        """Elapsed + paused never exceed the service time between opening and now."""
        values = [Ticket(f"T{i}", "SD", h) for i, h in enumerate(tickets)]
        as_of = D(2026, 3, 6, 7) + timedelta(minutes=offset)
        for c in clock_tickets(values, sla(), HOURS, as_of=as_of).clocks():
            available = HOURS.working_minutes_between(c.opened, as_of)
            assert c.elapsed >= 0 and c.paused >= 0
            assert c.elapsed + c.paused <= available


class TestCompliance:
    def test_met_over_met_plus_breached(self) -> None:
        """Compliance per target and month of opening; pending clocks are left out."""
        agreement = ServiceLevelAgreement(
            "SLA",
            services=["SD"],
            targets=[ServiceLevelTarget(RES, time=Duration(60), priority=1, compliance=90.0)],
        )

        def make(i: int, day: int, minutes: int, done: bool = True) -> Ticket:
            opened = D(2026, 3 if day < 32 else 4, (day - 1) % 31 + 1, 9)
            changes = [StateChange(opened, "new")]
            if done:
                changes.append(StateChange(opened + timedelta(minutes=minutes), "resolved"))
            return Ticket(f"T{i}", "SD", changes, priority=1)

        tickets = [make(0, 2, 30), make(1, 3, 50), make(2, 4, 90), make(3, 5, 60)]
        tickets += [make(4, 33, 10), make(5, 34, 0, done=False)]
        report = clock_tickets(tickets, agreement, as_of=D(2026, 4, 3, 9, 30))
        rows = report.compliance()
        assert [(r.period, r.met, r.breached, r.pending) for r in rows] == [
            (date(2026, 3, 1), 3, 1, 0),
            (date(2026, 4, 1), 1, 0, 1),
        ]
        assert rows[0].percent == 75.0 and rows[0].meets_goal is False
        assert rows[1].percent == 100.0 and rows[1].meets_goal is True
        assert rows[0].target == "resolution P1 60m"
        year = report.compliance("year")
        assert (year[0].met, year[0].breached) == (4, 1)

    def test_catalogue_report(self) -> None:
        """sla_report times tickets under every covering agreement on its own hours."""
        cat = pm.demo_catalogue()
        report = sla_report(cat)
        assert report.as_of == D(2026, 5, 29, 17)
        inc = {(c.agreement, c.metric): c for c in report.clocks() if c.ticket == "INC-1001"}
        # Friday 16:30 -> Monday 10:00 on 08:00-18:00: 1.5 h + 2 h = 210 min > 4 h? no: met
        assert inc[("SLA-DESK", RES)].elapsed == 210 and not inc[("SLA-DESK", RES)].breached
        # response: Friday 16:30 -> 16:40, 10 min against 15 min
        assert inc[("SLA-DESK", RESP)].elapsed == 10
        named = {c.agreement for c in report.clocks() if c.ticket == "INC-1006"}
        assert named == {"OLA-INFRA"}
        mail = next(c for c in report.clocks() if c.ticket == "INC-1005")
        assert mail.agreement == "SLA-MAIL" and mail.elapsed == 90  # 24 x 7, 02:35-04:05
        assert "SlaReport(as_of=2026-05-29T17:00" in repr(report)

    def test_dataframe(self) -> None:
        """The report converts to pandas with one row per clock."""
        report = sla_report(pm.demo_catalogue())
        frame = report.to_dataframe()
        assert len(frame) == len(report)
        assert set(frame["outcome" if "outcome" in frame else "stage"]) <= {
            "running",
            "paused",
            "completed",
            "cancelled",
        }
        assert frame["deadline"].notna().all()

    def test_empty(self) -> None:
        """No tickets, no clocks."""
        report = clock_tickets([], sla(), HOURS, as_of=D(2026, 3, 3))
        assert len(report) == 0 and report.compliance() == ()

    def test_ola_uses_its_own_targets(self) -> None:
        """OLAs and underpinning contracts time tickets like SLAs."""
        ola = OperationalLevelAgreement(
            "OLA",
            team="Infra",
            services=["SD"],
            targets=[ServiceLevelTarget(RES, time=Duration(30))],
        )
        t = ticket((D(2026, 3, 3, 9), "new"), (D(2026, 3, 3, 10), "resolved"))
        c = clock_tickets([t], ola, HOURS).clock(0)
        assert c.agreement == "OLA" and c.breached


class TestTicketTable:
    def test_from_arrays_equals_from_tickets(self) -> None:
        """Both constructors give the same clocks."""
        tickets = [
            ticket(
                (D(2026, 3, 3, 9), "new"),
                (D(2026, 3, 3, 10), "pending"),
                (D(2026, 3, 4, 9), "resolved"),
            ),
        ]
        arrays = TicketTable.from_arrays(
            ["T"],
            [0, 3],
            np.array(["2026-03-03T09:00", "2026-03-03T10:00", "2026-03-04T09:00"], "datetime64[m]"),
            np.array([0, 1, 2]),
            state_names=["new", "pending", "resolved"],
            priorities=np.array([3]),
            types=np.array([0]),
        )
        a = clock_tickets(tickets, sla(), HOURS)
        b = clock_tickets(arrays, sla(), HOURS)
        assert list(a.clocks()) == list(b.clocks())
        assert "1 tickets, 3 state changes" in repr(arrays)

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"offsets": [0, 2]}, "offsets must be 3 whole numbers"),
            ({"offsets": [0, 0, 3]}, "ticket 'A' has no state change"),
            ({"offsets": [0, 1, 4]}, "must start at 0 and end at 3"),
            ({"states": ["new", "x"]}, "one entry per state change"),
            ({"states": [0, 1, 9], "state_names": ["new", "resolved"]}, r"0\.\.1"),
            ({"states": [0, 1, 1]}, "integer state codes need state_names"),
            ({"states": ["new", " x", "y"]}, "surrounding blanks"),
            ({"priorities": [0, 3]}, "priorities must be"),
            ({"types": [0, 2]}, "types must be 0"),
            ({"times": ["a", "b", "c"]}, "datetime64"),
            (
                {
                    "times": np.array(
                        ["2026-03-03T09:00", "2026-03-03T10:00", "2026-03-03T08:00"],
                        "datetime64[m]",
                    ),
                    "offsets": [0, 1, 3],
                },
                r"history\[1\]\.at: ticket 'B': state changes must be in time order",
            ),
        ],
    )
    def test_from_arrays_validates(self, kwargs: dict[str, object], message: str) -> None:
        """Bulk input is checked, naming the ticket or column at fault."""
        args: dict[str, object] = {
            "ids": ["A", "B"],
            "offsets": [0, 2, 3],
            "times": np.array(
                ["2026-03-03T09:00", "2026-03-03T10:00", "2026-03-03T08:00"], "datetime64[m]"
            ),
            "states": ["new", "resolved", "new"],
        }
        args.update(kwargs)
        with pytest.raises(ValidationError, match=message):
            TicketTable.from_arrays(**args)  # type: ignore[arg-type]

    def test_next_ticket_may_start_earlier(self) -> None:
        """Time order is checked within tickets, not across them."""
        table = TicketTable.from_arrays(
            ["A", "B"],
            [0, 2, 3],
            np.array(["2026-03-03T09:00", "2026-03-03T10:00", "2026-03-03T08:00"], "datetime64[m]"),
            ["new", "resolved", "new"],
        )
        assert len(table) == 2


def test_state_names_are_free() -> None:
    """Agreements decide which states pause or stop; any workflow's names work."""
    agreement = ServiceLevelAgreement(
        "SLA",
        services=["SD"],
        targets=[ServiceLevelTarget(RES, time=Duration(600))],
        new_states=["open"],
        pause_states=["on-hold"],
        resolved_states=["done"],
        cancelled_states=["void"],
    )
    t = ticket(
        (D(2026, 3, 3, 9), "open"), (D(2026, 3, 3, 10), "on-hold"), (D(2026, 3, 3, 11), "done")
    )
    c = clock_tickets([t], agreement, HOURS).clock(0)
    assert (c.elapsed, c.paused, c.stage) == (60, 60, ClockStage.COMPLETED)
    assert set(STATES) >= {"new", "pending"}
