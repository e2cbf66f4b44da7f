"""Earned value and earned schedule: worked examples by hand and properties."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.strategies import projects

from pmsm_core import (
    Activity,
    CostAccrual,
    Dependency,
    Duration,
    EarnedValue,
    LinkType,
    Progress,
    Project,
    ScheduleConstraint,
    TripleConstraint,
    ValidationError,
    earned_value,
    save_baseline,
    schedule,
)
from pmsm_core.io.json import structure, unstructure
from pmsm_core.scheduling.earned_value import cumulative

U = Duration  # undated: one unit is one week in the worked example

approx = pytest.approx


@pytest.fixture
def website() -> Project:
    """Textbook-style plan in weeks: A 0-4 (4,000), B 4-12 (12,000), D 4-8 (2,000),
    C 12-14 (3,000); BAC 21,000; budget 25,000."""
    plan = Project(
        "W",
        "Website",
        activities=[
            Activity("A", "Design", U(4), cost=4000.0),
            Activity("B", "Build", U(8), cost=12000.0),
            Activity("C", "Test", U(2), cost=3000.0),
            Activity("D", "Docs", U(4), cost=2000.0),
        ],
        dependencies=[Dependency("A", "B"), Dependency("B", "C"), Dependency("A", "D")],
        triple_constraint=TripleConstraint(budget=25000.0),
    )
    return save_baseline(plan)


def record(project: Project, status: int, **progress: Progress) -> Project:
    acts = [
        attrs.evolve(a, progress=progress[a.id]) if a.id in progress else a
        for a in project.activities
    ]
    return attrs.evolve(project, activities=acts, status_date=status)


@pytest.fixture
def late(website: Project) -> Project:
    """Week 6: A finished a week late (AC 5,000); B started in week 5, 12.5 % done
    (AC 2,000); D started on time, 50 % of its duration but 40 % physically done
    (AC 1,200); C not started."""
    return record(
        website,
        6,
        A=Progress(0, 5, percent_complete=100, actual_cost=5000.0),
        B=Progress(5, percent_complete=12.5, actual_cost=2000.0),
        D=Progress(4, percent_complete=50, physical_percent_complete=40, actual_cost=1200.0),
    )


class TestWorkedExample:
    def test_every_figure_at_the_status_date(self, late: Project) -> None:
        """PV, EV, AC, variances, indices, the four EACs, ETC, VAC, TCPI, budget."""
        ev = earned_value(late)
        assert ev.bac == 21000.0  # 4,000 + 12,000 + 3,000 + 2,000
        # PV(6) = A 4,000 + B 2/8 x 12,000 = 3,000 + D 2/4 x 2,000 = 1,000 + C 0
        assert ev.pv == approx(8000.0)
        # EV = A 4,000 + B 12.5 % x 12,000 = 1,500 + D 40 % (physical) x 2,000 = 800
        assert ev.ev == approx(6300.0)
        assert ev.ac == approx(8200.0)  # 5,000 + 2,000 + 1,200
        assert ev.sv == approx(-1700.0)  # 6,300 - 8,000
        assert ev.cv == approx(-1900.0)  # 6,300 - 8,200
        assert ev.spi == approx(0.7875)  # 6,300 / 8,000
        assert ev.cpi == approx(0.76829268)  # 6,300 / 8,200
        # EAC = BAC / CPI = 21,000 x 8,200 / 6,300
        assert ev.eac_method == "cpi" and ev.eac == approx(27333.3333)
        assert ev.estimate("budget-rate") == approx(22900.0)  # 8,200 + (21,000 - 6,300)
        # AC + (BAC - EV) / (CPI x SPI) = 8,200 + 14,700 / (0.768293 x 0.7875 = 0.605030)
        assert ev.estimate("cpi-spi") == approx(32496.2963)
        # bottom-up ETC: A 0; B 12,000 x 7/8 (1 of 8 weeks done, 7 remain) = 10,500;
        # D 2,000 x 2/4 = 1,000; C 3,000 -> 14,500; EAC = 8,200 + 14,500
        assert ev.etc_bottom_up == approx(14500.0) and ev.estimate("bottom-up") == approx(22700.0)
        assert ev.etc == approx(19133.3333)  # 27,333.33 - 8,200
        assert ev.vac == approx(-6333.3333)  # 21,000 - 27,333.33
        assert ev.tcpi_bac == approx(1.1484375)  # (21,000 - 6,300) / (21,000 - 8,200)
        assert ev.tcpi_eac == approx(ev.cpi)  # 14,700 / 19,133.33: equals CPI for BAC/CPI
        assert ev.percent_complete == approx(30.0)  # 6,300 / 21,000
        # the budget of 25,000 does not cover an EAC of 27,333.33
        assert ev.budget.within is False and ev.budget.margin == approx(-2333.3333)
        assert any("exceeds the budget" in w for w in ev.warnings)
        b = {a.id: a for a in ev.activities}
        assert (b["B"].pv, b["B"].ev, b["B"].ac, b["B"].spi) == (3000.0, 1500.0, 2000.0, 0.5)
        assert b["C"].spi is None and b["C"].cpi is None  # 0 / 0 is undefined

    def test_earned_schedule_late(self, late: Project) -> None:
        """Lipke: PV_5 = 6,000 <= EV 6,300 < PV_6 = 8,000, so C = 5 and
        I = 300 / 2,000 = 0.15; ES 5.15 weeks against AT 6."""
        es = earned_value(late).earned_schedule
        assert es is not None and es.period == "1 unit"
        assert es.es == approx(5.15)
        assert (es.at, es.pd) == (6.0, 14.0)
        assert es.sv_t == approx(-0.85)
        assert es.spi_t == approx(0.858333333)  # 5.15 / 6
        assert es.ieac_t == approx(16.3106796)  # 14 / 0.858333
        assert es.forecast_finish == 16 and es.es_time == 5

    def test_time_series(self, late: Project) -> None:
        """The S-curve per week: PV from the baseline, EV and AC spread over the actual
        spans up to the status date, None after it."""
        ev = earned_value(late)
        # rates: A 1,000/wk (0-4), B 1,500/wk (4-12), D 500/wk (4-8), C 1,500/wk (12-14)
        expected_pv = [0, 1000, 2000, 3000, 4000, 6000, 8000, 10000, 12000, 13500, 15000]
        expected_pv += [16500, 18000, 19500, 21000]
        assert [p.pv for p in ev.series] == approx(expected_pv)
        # EV: A 4,000 over weeks 0-5; D 800 over 4-6; B 1,500 over 5-6
        assert [p.ev for p in ev.series[:7]] == approx([0, 800, 1600, 2400, 3200, 4400, 6300])
        # AC: A 5,000 over 0-5; D 1,200 over 4-6; B 2,000 over 5-6
        assert [p.ac for p in ev.series[:7]] == approx([0, 1000, 2000, 3000, 4000, 5600, 8200])
        assert all(p.ev is None and p.ac is None for p in ev.series[7:])
        frame = ev.to_dataframe()
        assert frame.loc[6, "spi"] == approx(0.7875) and np.isnan(frame.loc[7, "ev"])
        assert ev.activities_dataframe().loc["D", "ev"] == 800.0

    def test_late_project_at_completion(self, website: Project) -> None:
        """Finished two weeks late at exactly budget: SPI = 1 and SV = 0 (EV = PV = BAC),
        but SPI(t) = 14 / 16 = 0.875 and SV(t) = -2 weeks still show the slip."""
        done = record(
            website,
            16,
            A=Progress(0, 5, percent_complete=100, actual_cost=4000.0),
            B=Progress(5, 14, percent_complete=100, actual_cost=12000.0),
            D=Progress(5, 9, percent_complete=100, actual_cost=2000.0),
            C=Progress(14, 16, percent_complete=100, actual_cost=3000.0),
        )
        ev = earned_value(done)
        assert (ev.spi, ev.sv, ev.cpi, ev.cv) == (1.0, 0.0, 1.0, 0.0)
        es = ev.earned_schedule
        assert es is not None
        assert (es.es, es.at, es.sv_t, es.spi_t) == (14.0, 16.0, -2.0, 0.875)
        assert es.ieac_t == approx(16.0)

    def test_early_project(self, website: Project) -> None:
        """Week 6, ahead: A done, D done (weeks 4-6), B 37.5 % -> EV 10,500; PV_7 =
        10,000 <= EV < PV_8 = 12,000: ES = 7 + 500 / 2,000 = 7.25 against AT 6."""
        ahead = record(
            website,
            6,
            A=Progress(0, 4, percent_complete=100, actual_cost=3800.0),
            D=Progress(4, 6, percent_complete=100, actual_cost=1900.0),
            B=Progress(4, percent_complete=37.5, actual_cost=4400.0),
        )
        ev = earned_value(ahead)
        assert ev.ev == approx(10500.0) and ev.pv == approx(8000.0)
        assert ev.spi == approx(1.3125)  # 10,500 / 8,000
        assert ev.cpi == approx(10500 / 10100)  # AC 3,800 + 1,900 + 4,400
        es = ev.earned_schedule
        assert es is not None
        assert es.es == approx(7.25) and es.sv_t == approx(1.25)
        assert es.spi_t == approx(1.2083333)  # 7.25 / 6
        assert es.ieac_t == approx(11.5862069)  # 14 / 1.208333
        assert ev.budget.within is True

    def test_result_is_a_value(self, late: Project) -> None:
        """The result survives the converter and renders to JSON-ready data."""
        ev = earned_value(late)
        assert structure(unstructure(ev), EarnedValue) == ev
        data = ev.to_dict()
        assert data["spi"] == ev.spi and data["earned_schedule"]["es"] == approx(5.15)
        assert data["estimates"]["budget-rate"] == approx(22900.0)


class TestDatedPhasing:
    def test_working_time_and_calendar_periods(self) -> None:
        """PV spreads over working time (no weekend), and the accrual options."""
        mon = datetime(2026, 1, 5, 8)
        plan = save_baseline(
            Project(
                "P",
                start=mon,
                activities=[
                    Activity("A", duration=Duration.from_days(4), cost=400.0),
                    Activity("B", duration=Duration.from_days(2), cost=200.0),
                    Activity("M", milestone=True, cost=50.0),
                ],
                dependencies=[Dependency("A", "B"), Dependency("B", "M")],
            )
        )
        # B runs Fri 9th and Mon 12th: on Saturday half of it is planned
        saturday = datetime(2026, 1, 10, 12)
        ev = earned_value(attrs.evolve(plan, status_date=saturday), periods="day")
        assert ev.pv == approx(400 + 100)
        assert ev.ev == 0.0 and ev.ac == 0.0
        start = earned_value(attrs.evolve(plan, status_date=saturday), accrual=CostAccrual.START)
        end = earned_value(attrs.evolve(plan, status_date=saturday), accrual=CostAccrual.END)
        assert (start.pv, end.pv) == (600.0, 400.0)
        days = earned_value(attrs.evolve(plan, status_date=saturday), periods="day")
        assert days.series[0].time == mon and days.series[1].time == mon + timedelta(days=1)
        # the milestone's 50 count at its date (Monday 12th 17:00)
        assert days.series[-1].pv == approx(650.0)
        months = earned_value(attrs.evolve(plan, status_date=saturday), periods="month")
        assert [p.time for p in months.series] == [mon, saturday, datetime(2026, 2, 5, 8)]
        explicit = earned_value(
            attrs.evolve(plan, status_date=saturday),
            periods=[mon, datetime(2026, 1, 9, 8), datetime(2026, 1, 13, 8)],
        )
        # the status date (Saturday noon) is a point of the curve as well
        assert [p.pv for p in explicit.series] == approx([0.0, 400.0, 500.0, 650.0])
        assert explicit.series[2].time == saturday


class TestErrors:
    def test_bad_input(self, website: Project, late: Project) -> None:
        """No status date, no such baseline, bad periods, unknown EAC method."""
        with pytest.raises(ValidationError, match="has no status date") as err:
            earned_value(website)
        assert err.value.problems[0].path == "status_date"
        with pytest.raises(ValidationError, match="has no baseline 3"):
            earned_value(late, baseline=3)
        with pytest.raises(ValidationError, match="need a dated project"):
            earned_value(late, periods="week")
        with pytest.raises(ValidationError, match="increase strictly"):
            earned_value(late, periods=[0, 5, 5])
        with pytest.raises(ValidationError, match="eac_method must be one of"):
            earned_value(late, eac_method="guess")
        with pytest.raises(ValidationError, match="must be whole time units"):
            earned_value(late, status_date=datetime(2026, 1, 5))

    def test_activity_not_in_the_baseline(self, late: Project) -> None:
        """Work added after the baseline earns nothing and is named in a warning."""
        extra = attrs.evolve(late, activities=[*late.activities, Activity("X", cost=10.0)])
        ev = earned_value(extra)
        assert ev.bac == 21000.0 and any("not in baseline 0" in w for w in ev.warnings)


def test_cumulative_kernel_against_a_loop() -> None:
    """The vectorised kernel equals a per-activity loop on random spans."""
    rng = np.random.default_rng(7)
    s = rng.integers(0, 1000, 300).astype(float)
    f = s + rng.integers(0, 50, 300)
    v = rng.random(300) * 100
    b = np.linspace(-10, 1100, 97)
    expect = [
        sum(
            val * (min(max((x - a) / (c - a), 0), 1) if c > a else float(x >= a))
            for a, c, val in zip(s, f, v, strict=True)
        )
        for x in b
    ]
    assert cumulative(s, f, v, b).tolist() == approx(expect)


# --------------------------------------------------------------------------- properties


@st.composite
def planned(draw: Any) -> tuple[Project, Any]:
    """A baselined project without constraints and a status date within its span."""
    project = draw(projects(with_extras=False))
    project = attrs.evolve(
        project,
        activities=[
            attrs.evolve(a, constraint=ScheduleConstraint(), progress=None)
            for a in project.activities
        ],
    )
    plan = schedule(project)
    project = save_baseline(project, schedule=plan)
    if project.is_dated:
        span = int((plan.finish - plan.start).total_seconds() // 60)
        status = plan.start + timedelta(minutes=draw(st.integers(0, max(span, 0))))
    else:
        status = draw(st.integers(max(plan.start, 0), max(plan.finish, 0)))
    return project, status


def as_planned(project: Project, status: Any) -> Project:
    """Progress exactly to plan at ``status``: percent complete = share of the baseline
    span elapsed, actual cost = the same share of the baseline cost."""
    base = {b.activity: b for b in project.baselines[0].activities}
    acts = []
    for a in project.activities:
        b = base[a.id]
        if project.is_summary(a.id) or b.start > status:
            acts.append(a)
            continue
        if b.finish <= status or b.start == b.finish:
            progress = Progress(b.start, b.finish, percent_complete=100, actual_cost=b.cost)
        else:
            if project.is_dated:
                cal = project.activity_calendar(a.id)
                done = cal.working_minutes_between(b.start, status)
                total = cal.working_minutes_between(b.start, b.finish)
            else:
                done, total = status - b.start, b.finish - b.start
            share = done / total
            if share >= 1:
                progress = Progress(b.start, b.finish, percent_complete=100, actual_cost=b.cost)
            else:
                progress = Progress(
                    b.start, percent_complete=100 * share, actual_cost=b.cost * share
                )
        acts.append(attrs.evolve(a, progress=progress))
    return attrs.evolve(project, activities=acts, status_date=status)


class TestProperties:
    @settings(max_examples=30)
    @given(planned())
    def test_no_progress_at_the_start(self, case: tuple[Project, Any]) -> None:
        """0 % progress at the project start: EV = AC = 0 (and EV <= PV <= BAC)."""
        project, _ = case
        start = project.start if project.is_dated else 0
        ev = earned_value(attrs.evolve(project, status_date=start))
        assert ev.ev == 0.0 and ev.ac == 0.0
        assert ev.pv <= ev.bac + 1e-6

    @settings(max_examples=30)
    @given(planned())
    def test_exactly_to_plan(self, case: tuple[Project, Any]) -> None:
        """Work done and money spent exactly as planned: SPI = CPI = 1, SV = CV = 0, at any
        status date; EV <= BAC."""
        project, status = case
        ev = earned_value(as_planned(project, status))
        tol = 1e-6 * max(1.0, ev.bac)
        assert abs(ev.sv) <= tol and abs(ev.cv) <= tol
        if ev.pv > tol:
            assert ev.spi == approx(1.0) and ev.cpi == approx(1.0)
        assert ev.ev <= ev.bac + tol

    @settings(max_examples=30)
    @given(planned(), st.data())
    def test_earned_value_never_exceeds_the_budget(
        self, case: tuple[Project, Any], data: Any
    ) -> None:
        """Any recorded progress: 0 <= EV <= BAC; the series ends at the status figures."""
        project, status = case
        tracked = as_planned(project, status)
        acts = []
        for a in tracked.activities:
            p = a.progress
            if p is not None and p.actual_finish is None:
                p = attrs.evolve(
                    p,
                    percent_complete=data.draw(st.floats(0, 100)),
                    physical_percent_complete=data.draw(st.none() | st.floats(0, 100)),
                )
                if p.percent_complete == 100:
                    p = attrs.evolve(p, actual_finish=status)
            acts.append(attrs.evolve(a, progress=p))
        ev = earned_value(attrs.evolve(tracked, activities=acts))
        assert -1e-9 <= ev.ev <= ev.bac * (1 + 1e-12) + 1e-9
        measured = [p for p in ev.series if p.ev is not None]
        if measured and measured[-1].time == status:
            assert measured[-1].ev == approx(ev.ev, rel=1e-9, abs=1e-6)
            assert measured[-1].pv == approx(ev.pv, rel=1e-9, abs=1e-6)

    def test_linked_link_types(self) -> None:
        """SS links and the calendar engine do not change the definitions (smoke)."""
        p = save_baseline(
            Project(
                "P",
                activities=[
                    Activity("A", duration=U(4), cost=4.0),
                    Activity("B", duration=U(4), cost=4.0),
                ],
                dependencies=[Dependency("A", "B", LinkType.SS, U(2))],
            )
        )
        ev = earned_value(record(p, 3, A=Progress(0, percent_complete=75, actual_cost=3.0)))
        # PV(3) = A 3 + B 1; EV = 3
        assert (ev.pv, ev.ev, ev.ac) == (4.0, 3.0, 3.0)
        assert math.isclose(ev.spi or 0, 0.75)
