"""Schedule risk analysis: estimates, the Monte Carlo engine, its results, PERT, CLI, charts.

Reference answers come from outside the engine: the CPM schedule (fixed durations),
PSPLIB MPM times, analytic means and variances, scipy's distributions and numerical
integration of the maximum of two paths. Statistical tolerances are derived from the
iteration count (5 standard errors, or the Dvoretzky-Kiefer-Wolfowitz bound at a one in a
million failure rate), so the tests do not flake.
"""

from __future__ import annotations

import json
import math
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from tests.strategies import estimates, projects

import pmsm_core as pm
from pmsm_core import (
    Activity,
    ConstraintType,
    Dependency,
    Distribution,
    DocumentError,
    Duration,
    EmpiricalEstimate,
    FixedEstimate,
    LinkType,
    LognormalEstimate,
    PercentLag,
    Progress,
    Project,
    Risk,
    ScheduleConstraint,
    ScheduleOptions,
    ThreePointEstimate,
    TripleConstraint,
    UniformEstimate,
    ValidationError,
    pert_analysis,
    schedule,
    simulate,
)
from pmsm_core.cli import main
from pmsm_core.io.json import structure, unstructure
from pmsm_core.io.psplib import read_sm
from pmsm_core.scheduling import _montecarlo as mc
from pmsm_core.scheduling.compile import compile_project
from pmsm_core.scheduling.risk import PERCENTILES, RiskResult, _prepare

DATA = Path(__file__).parent / "data"
d = Duration
TRI = Distribution.TRIANGULAR


def dkw(n: int, alpha: float = 1e-6) -> float:
    """Dvoretzky-Kiefer-Wolfowitz: sup |F_n - F| exceeds this with probability < alpha."""
    return math.sqrt(math.log(2 / alpha) / (2 * n))


def strip(project: Project) -> Project:
    """The project with planned durations only: no estimates, no risk register."""
    return attrs.evolve(
        project, risks=(), activities=[attrs.evolve(a, estimate=None) for a in project.activities]
    )


def chain(params: list[tuple[int, int, int]], kind: Distribution = TRI) -> Project:
    acts = [
        Activity(
            f"A{i}", duration=d(m), estimate=ThreePointEstimate(d(o), d(m), d(p), distribution=kind)
        )
        for i, (o, m, p) in enumerate(params)
    ]
    deps = [Dependency(f"A{i}", f"A{i + 1}") for i in range(len(params) - 1)]
    return Project("chain", activities=acts, dependencies=deps)


def single(estimate: Any, duration: int = 5) -> Project:
    return Project("one", activities=[Activity("A", duration=d(duration), estimate=estimate)])


def mixed_project() -> Project:
    """Every distribution kind, a risk register, constraints, all link types, a summary."""
    acts = [
        Activity("S", "Summary"),
        Activity("A", duration=d(5), parent="S", estimate=ThreePointEstimate(d(3), d(5), d(11))),
        Activity(
            "B",
            duration=d(4),
            parent="S",
            estimate=ThreePointEstimate(d(2), d(4), d(9), distribution=TRI),
        ),
        Activity("C", duration=d(6), estimate=UniformEstimate(d(4), d(9))),
        Activity("D", duration=d(3), estimate=LognormalEstimate(d(3), d(1))),
        Activity("E", duration=d(2), estimate=EmpiricalEstimate([d(1), d(2), d(2), d(6)])),
        Activity(
            "F",
            duration=d(4),
            estimate=FixedEstimate(d(5)),
            constraint=ScheduleConstraint(ConstraintType.SNET, 6),
        ),
        Activity(
            "G", duration=d(3), constraint=ScheduleConstraint(ConstraintType.ALAP), deadline=40
        ),
        Activity("M", milestone=True),
    ]
    deps = [
        Dependency("A", "B", LinkType.SS, d(1)),
        Dependency("S", "C"),
        Dependency("B", "D", LinkType.FF, d(1)),
        Dependency("C", "E", LinkType.SF, d(8)),
        Dependency("D", "F"),
        Dependency("E", "G", lag=PercentLag(50.0)),
        Dependency("F", "M"),
        Dependency("G", "M"),
    ]
    risks = [
        Risk("R1", probability=0.3, schedule_impact=d(4), affected_activities=["C"]),
        Risk("R2", probability=0.2, schedule_factor=1.5, affected_activities=["S"]),
    ]
    return Project(
        "mixed",
        activities=acts,
        dependencies=deps,
        risks=risks,
        triple_constraint=TripleConstraint(target_finish=30, deadline=36),
    )


# --------------------------------------------------------------------------- estimates


class TestEstimates:
    def test_mean_and_std_match_scipy(self) -> None:
        """Each estimate's mean and standard deviation are those of its distribution."""
        from scipy import stats

        tri = ThreePointEstimate(d(2), d(3), d(9), distribution=TRI)
        ref = stats.triang(1 / 7, loc=2, scale=7)
        assert tri.mean_minutes == pytest.approx(ref.mean())
        assert tri.std_minutes == pytest.approx(ref.std())
        pert = ThreePointEstimate(d(2), d(3), d(9))
        a, b = 1 + 4 * 1 / 7, 1 + 4 * 6 / 7
        ref = stats.beta(a, b, loc=2, scale=7)
        assert pert.mean_minutes == pytest.approx(ref.mean()) == pert.pert_mean
        assert pert.std_minutes == pytest.approx(ref.std())
        assert pert.pert_std == pytest.approx(7 / 6)
        uni = UniformEstimate(d(2), d(8))
        assert (uni.mean_minutes, uni.std_minutes) == pytest.approx(
            (stats.uniform(2, 6).mean(), stats.uniform(2, 6).std())
        )
        logn = LognormalEstimate(d(50), d(20))
        mu, sigma = logn.log_parameters
        ref = stats.lognorm(s=sigma, scale=math.exp(mu))
        assert (ref.mean(), ref.std()) == pytest.approx((50, 20))

    @pytest.mark.parametrize(
        ("make", "path", "words"),
        [
            (lambda: UniformEstimate(d(5), d(4)), "high", "low <= high"),
            (lambda: LognormalEstimate(d(0), d(1)), "mean", "must be positive"),
            (lambda: LognormalEstimate(d(5), d(-1)), "std", "must not be negative"),
            (lambda: EmpiricalEstimate([]), "samples", "at least one sample"),
            (lambda: EmpiricalEstimate([d(1), d(-1)]), "samples[1]", "non-negative"),
            (lambda: FixedEstimate(Duration(60, elapsed=True)), "duration", "not elapsed"),
            (
                lambda: ThreePointEstimate(d(1), d(2), d(3), distribution=Distribution.UNIFORM),
                "distribution",
                "PERT-beta or triangular",
            ),
            (lambda: ThreePointEstimate(d(3), d(2), d(4)), "most_likely", "optimistic <="),
        ],
    )
    def test_bad_parameters(self, make: Any, path: str, words: str) -> None:
        """Bad parameters raise ValidationError naming the field and the rule."""
        with pytest.raises(ValidationError, match=words) as exc:
            make()
        assert exc.value.problems[0].path == path

    def test_milestones_and_summaries_take_no_estimate(self) -> None:
        """A milestone or a summary with an estimate is an error, not silently ignored."""
        with pytest.raises(ValidationError, match="milestone"):
            Activity("M", milestone=True, estimate=FixedEstimate(d(1)))
        with pytest.raises(ValidationError) as exc:
            Project(
                "P",
                activities=[
                    Activity("S", estimate=FixedEstimate(d(1))),
                    Activity("A", duration=d(1), parent="S"),
                ],
            )
        assert exc.value.problems[0].path == "activities[0].estimate"

    def test_json_tags(self) -> None:
        """JSON names the distribution in "type"; untyped three-point estimates are PERT."""
        conv_in = {
            "id": "P",
            "activities": [
                {"id": "A", "estimate": {"optimistic": 1, "most_likely": 2, "pessimistic": 4}},
                {
                    "id": "B",
                    "estimate": {
                        "type": "triangular",
                        "optimistic": 1,
                        "most_likely": 2,
                        "pessimistic": 4,
                    },
                },
                {"id": "C", "estimate": {"type": "uniform", "low": 1, "high": 3}},
                {"id": "D", "estimate": {"type": "lognormal", "mean": 5, "std": 2}},
                {"id": "E", "estimate": {"type": "fixed", "duration": 3}},
                {"id": "F", "estimate": {"type": "empirical", "samples": [1, 2, 2]}},
            ],
        }
        p = structure(conv_in, Project)
        kinds = [a.estimate.kind for a in p.activities if a.estimate is not None]
        assert kinds == [
            Distribution.PERT,
            Distribution.TRIANGULAR,
            Distribution.UNIFORM,
            Distribution.LOGNORMAL,
            Distribution.FIXED,
            Distribution.EMPIRICAL,
        ]
        out = unstructure(p)["activities"]
        assert "type" not in out[0]["estimate"]  # documents written before stay the same
        assert [a["estimate"].get("type") for a in out[1:]] == [
            "triangular",
            "uniform",
            "lognormal",
            "fixed",
            "empirical",
        ]
        assert structure(unstructure(p), Project) == p

    @pytest.mark.parametrize(
        ("estimate", "path", "words"),
        [
            ({"type": "beta"}, "$.activities[0].estimate.type", "one of 'pert'"),
            ({"type": "uniform", "low": 1}, "$.activities[0].estimate.high", "required"),
            (
                {"distribution": "triangular", "optimistic": 1, "most_likely": 1, "pessimistic": 1},
                "$.activities[0].estimate",
                '"type"',
            ),
            (
                {"type": "uniform", "low": 3, "high": 1},
                "$.activities[0].estimate.high",
                "low <= high",
            ),
            (
                {"type": "fixed", "duration": 1, "extra": 2},
                "$.activities[0].estimate",
                "unknown key",
            ),
        ],
    )
    def test_json_errors_name_the_path(self, estimate: Any, path: str, words: str) -> None:
        """Bad estimates in documents are reported with their JSON path."""
        with pytest.raises(DocumentError) as exc:
            structure({"id": "P", "activities": [{"id": "A", "estimate": estimate}]}, Project)
        problem = exc.value.problems[0]
        assert problem.path == path and words in problem.message

    @given(estimates(dated=True))
    def test_round_trip(self, estimate: Any) -> None:
        """Every kind of estimate survives the converter."""
        a = Activity("A", duration=d(60), estimate=estimate)
        assert structure(unstructure(a), Activity) == a


# --------------------------------------------------------------------------- fixed = CPM


class TestFixedDurationsAreCPM:
    def test_demo_project(self) -> None:
        """Planned durations give the CPM finish exactly on the dated demo project (other
        calendars, elapsed lags, SNET, ALAP, deadlines), and the CPM critical activities."""
        project = strip(pm.demo_project())
        s = schedule(project)
        r = simulate(project, 2000, seed=1)
        assert r.percentile(0) == r.percentile(100) == r.mean == s.finish == r.cpm_finish
        assert r.std == 0
        for a in s.activities:
            if not a.summary:
                assert r.criticality[a.id] == (1.0 if a.critical else 0.0), a.id
        for a in r.activities:
            if project.activity(a.id).calendar is None:  # read on the project calendar
                assert set(a.finish_percentiles) == {s[a.id].finish}, a.id
        assert not [w for w in r.warnings if "instead of the CPM finish" in w]

    @pytest.mark.parametrize(
        "estimate",
        [
            lambda m: ThreePointEstimate(d(m), d(m), d(m)),
            lambda m: ThreePointEstimate(d(m), d(m), d(m), distribution=TRI),
            lambda m: UniformEstimate(d(m), d(m)),
            lambda m: LognormalEstimate(d(m), d(0)) if m else FixedEstimate(d(0)),
            lambda m: EmpiricalEstimate([d(m)]),
            lambda m: FixedEstimate(d(m)),
        ],
    )
    def test_degenerate_distributions(self, estimate: Any) -> None:
        """Every kind of degenerate estimate reproduces the CPM finish exactly."""
        base = strip(pm.demo_project())
        acts = [
            a
            if a.is_milestone or base.is_summary(a.id)
            else attrs.evolve(a, estimate=estimate(a.duration.minutes))
            for a in base.activities
        ]
        project = attrs.evolve(base, activities=acts)
        r = simulate(project, 100, seed=3)
        assert r.percentile(0) == r.percentile(100) == schedule(base).finish

    @pytest.mark.parametrize("honor", [True, False])
    @pytest.mark.parametrize("mcp", [True, False])
    def test_every_constraint(self, honor: bool, mcp: bool) -> None:
        """SNET, FNET, MSO, MFO, SNLT, FNLT, ALAP and deadlines as schedule() applies them,
        with and without honouring constraints and multiple critical paths."""
        c = ScheduleConstraint
        t = ConstraintType
        acts = [
            Activity("A", duration=d(4)),
            Activity("B", duration=d(3), constraint=c(t.SNET, 6)),
            Activity("C", duration=d(2), constraint=c(t.FNET, 15)),
            Activity("D", duration=d(5), constraint=c(t.MSO, 2)),
            Activity("E", duration=d(2), constraint=c(t.MFO, 30)),
            Activity("F", duration=d(4), constraint=c(t.SNLT, 3)),
            Activity("G", duration=d(3), constraint=c(t.FNLT, 12), deadline=11),
            Activity("H", duration=d(2), constraint=c(t.ALAP)),
            Activity("I", duration=d(6)),
            Activity("J", duration=d(1), deadline=14),
        ]
        deps = [
            Dependency("A", "B"),
            Dependency("A", "C", LinkType.SS, d(2)),
            Dependency("B", "D"),
            Dependency("C", "E", LinkType.FF, d(3)),
            Dependency("A", "F"),
            Dependency("F", "G", LinkType.SF, d(9)),
            Dependency("A", "H"),
            Dependency("H", "I"),
            Dependency("D", "J", lag=PercentLag(40.0)),
        ]
        project = Project("C", activities=acts, dependencies=deps)
        options = ScheduleOptions(honor_constraints=honor, multiple_critical_paths=mcp)
        s = schedule(project, options=options)
        r = simulate(project, 10, seed=1, options=options)
        assert r.percentile(50) == s.finish
        for a in s.activities:
            assert r.criticality[a.id] == (1.0 if a.critical else 0.0), (a.id, a.total_float)
        for a in r.activities:
            assert set(a.finish_percentiles) == {s[a.id].finish}, a.id
        met = r.deadline_probabilities
        assert met == {x: float(s[x].finish <= project.activity(x).deadline) for x in ("G", "J")}

    @settings(max_examples=40)
    @given(projects(with_extras=False), st.booleans(), st.booleans())
    def test_generated_projects(self, project: Project, honor: bool, mcp: bool) -> None:
        """Generated projects (constraints, deadlines, summaries, every link type, percent
        and elapsed lags, other calendars): the same finish and critical activities as
        schedule() whenever one calendar times everything; otherwise the same finish or
        a warning saying the calendars do not map exactly."""
        project = strip(project)
        options = ScheduleOptions(honor_constraints=honor, multiple_critical_paths=mcp)
        s = schedule(project, options=options)
        r = simulate(project, 1, seed=0, options=options)
        if compile_project(project, options).single_calendar:
            assert r.percentile(50) == s.finish
            for a in s.activities:
                if not a.summary:
                    assert r.criticality[a.id] == (1.0 if a.critical else 0.0), a.id
        else:
            assert r.percentile(50) == s.finish or any(
                "instead of the CPM" in w for w in r.warnings
            )

    def test_psplib_mpm_times(self) -> None:
        """PSPLIB j30 instances (no estimates): every iteration finishes at the MPM time."""
        for path in sorted((DATA / "psplib" / "j30").glob("*.sm"))[::12]:
            project, info = read_sm(path)
            r = simulate(project, 1, seed=0)
            assert r.percentile(50) == r.cpm_finish == info.mpm_time, path.name


# --------------------------------------------------------------------------- evidence


class TestDistributions:
    def test_chain_of_triangular_activities(self) -> None:
        """n triangular activities in a chain: the finish's mean and variance are the
        analytic sums, within 5 standard errors of 40,000 iterations."""
        params = [(1, 3, 8), (2, 2, 5), (0, 4, 4), (3, 6, 12), (1, 2, 3), (5, 9, 20), (2, 7, 9)]
        n = 40_000
        r = simulate(chain(params), n, seed=11)
        mean = sum((o + m + p) / 3 for o, m, p in params)
        var = sum((o * o + m * m + p * p - o * m - o * p - m * p) / 18 for o, m, p in params)
        assert abs(r.mean_offset - mean) <= 5 * math.sqrt(var / n)
        # the sum of triangulars has negative excess kurtosis: the normal-theory standard
        # error of the sample variance is an upper bound
        assert abs(r.std**2 - var) <= 5 * var * math.sqrt(2 / (n - 1))
        assert r.criticality == {f"A{i}": 1.0 for i in range(len(params))}

    def test_two_parallel_paths_match_numerical_integration(self) -> None:
        """max(triangular, uniform + PERT): the simulated finish distribution matches the
        distribution of the maximum computed by numerical integration (scipy)."""
        from scipy import integrate, stats

        project = Project(
            "parallel",
            activities=[
                Activity(
                    "A",
                    duration=d(10),
                    estimate=ThreePointEstimate(d(6), d(10), d(18), distribution=TRI),
                ),
                Activity("B", duration=d(5), estimate=UniformEstimate(d(3), d(7))),
                Activity("C", duration=d(6), estimate=ThreePointEstimate(d(4), d(6), d(10))),
            ],
            dependencies=[Dependency("B", "C")],
        )
        n = 40_000
        r = simulate(project, n, seed=5)
        path1 = stats.triang(4 / 12, loc=6, scale=12)
        c = stats.beta(1 + 4 * 2 / 6, 1 + 4 * 4 / 6, loc=4, scale=6)
        x = np.linspace(3, 7, 4001)  # B is uniform on [3, 7]: density 1/4

        def f_path2(t: float) -> float:  # P(B + C <= t), the convolution integral
            return float(integrate.simpson(c.cdf(t - x) / 4, x=x))

        grid = np.linspace(6, 18, 241)
        cdf2 = np.array([f_path2(t) for t in grid])
        cdf = path1.cdf(grid) * cdf2  # P(max <= t) = F1(t) F2(t)
        mean = 6 + integrate.simpson(1 - cdf, x=grid)  # E[X] = low + integral of 1 - F
        second = 36 + integrate.simpson(2 * grid * (1 - cdf), x=grid)
        std = math.sqrt(second - mean**2)
        assert abs(r.mean_offset - mean) <= 5 * std / math.sqrt(n) + 1e-3  # + quadrature
        assert abs(r.std - std) <= 5 * std / math.sqrt(2 * n) + 1e-3
        eps = dkw(n) + 1e-3  # + the 0.1 % resolution of the stored distribution
        for t in (8.0, 10.0, 11.5, 13.0, 15.0, 17.0):
            assert abs(r.probability(t) - path1.cdf(t) * f_path2(t)) <= eps, t
        # B (and C) are critical when path 2 is the longer one: 1 - P(path1 > path2)
        crit_b = 1 - integrate.simpson(path1.pdf(grid) * cdf2, x=grid)
        assert abs(r.criticality["B"] - crit_b) <= 5 * math.sqrt(crit_b * (1 - crit_b) / n) + 1e-3
        assert r.criticality["A"] + r.criticality["B"] == pytest.approx(1.0)

    @pytest.mark.parametrize(
        ("estimate", "ref"),
        [
            (ThreePointEstimate(d(2), d(3), d(9), distribution=TRI), ("triang", (1 / 7,), 2, 7)),
            (ThreePointEstimate(d(2), d(3), d(9)), ("beta", (1 + 4 / 7, 1 + 24 / 7), 2, 7)),
            (UniformEstimate(d(2), d(8)), ("uniform", (), 2, 6)),
            (LognormalEstimate(d(50), d(20)), ("lognorm", None, 0, None)),
        ],
    )
    def test_marginals(self, estimate: Any, ref: Any) -> None:
        """Sampled durations follow the distribution: the simulated percentiles lie within
        the DKW band of scipy's CDF."""
        from scipy import stats

        name, shape, loc, scale = ref
        if name == "lognorm":
            mu, sigma = estimate.log_parameters
            dist = stats.lognorm(s=sigma, scale=math.exp(mu))
        else:
            dist = getattr(stats, name)(*shape, loc=loc, scale=scale)
        n = 20_000
        r = simulate(single(estimate), n, seed=2)
        eps = dkw(n) + 1e-3
        for q in (1, 5, 10, 25, 50, 75, 90, 95, 99):
            assert abs(dist.cdf(r.percentile(q)) - q / 100) <= eps, q
        assert abs(r.mean_offset - dist.mean()) <= 5 * dist.std() / math.sqrt(n)

    def test_empirical_sample(self) -> None:
        """An empirical estimate draws each observed value equally often."""
        n = 20_000
        r = simulate(single(EmpiricalEstimate([d(1), d(2), d(2), d(6)])), n, seed=4)
        for value, share in ((1, 0.25), (2, 0.75), (5, 0.75), (6, 1.0)):
            assert (
                abs(r.probability(value) - share) <= 5 * math.sqrt(share * (1 - share) / n) + 1e-3
            )
        assert r.minimum == 1 and r.maximum == 6

    def test_risk_events(self) -> None:
        """A risk occurs with its probability and adds its impact (or multiplies by its
        factor) on each affected activity; risk_events=False leaves it out."""
        n = 20_000
        base = Project(
            "R",
            activities=[
                Activity("S", "Phase"),
                Activity("A", duration=d(10), parent="S"),
                Activity("B", duration=d(4), parent="S"),
            ],
            dependencies=[Dependency("A", "B")],
            risks=[
                Risk("R1", probability=0.3, schedule_impact=d(5), affected_activities=["A"]),
                Risk("R2", probability=0.5, schedule_factor=2.0, affected_activities=["S"]),
            ],
        )
        r = simulate(base, n, seed=8)
        # risks act in register order: none 14 (.35), R1 19 (.15), R2 28 (.35), both
        # (10 + 5) * 2 + 4 * 2 = 38 (.15)
        for t, p in ((14, 0.35), (19, 0.5), (28, 0.85), (37, 0.85), (38, 1.0)):
            assert abs(r.probability(t) - p) <= 5 * math.sqrt(p * (1 - p) / n) + 1e-3, t
        assert r.activity("A").mean_duration == pytest.approx((10 + 0.3 * 5) * 1.5, rel=0.02)
        quiet = simulate(base, 1000, seed=8, risk_events=False)
        assert quiet.percentile(0) == quiet.percentile(100) == 14

    def test_rank_correlation(self) -> None:
        """Iman-Conover reaches the target Spearman correlations and keeps every
        activity's sampled values (its marginal distribution)."""
        from scipy import stats

        acts = [
            Activity("A", duration=d(5), estimate=UniformEstimate(d(2), d(8))),
            Activity("B", duration=d(5), estimate=LognormalEstimate(d(5), d(2))),
            Activity(
                "C", duration=d(5), estimate=ThreePointEstimate(d(1), d(4), d(12), distribution=TRI)
            ),
        ]
        project = Project("corr", activities=acts)
        target = {("A", "B"): 0.7, ("B", "C"): -0.4, ("A", "C"): -0.2}
        options = ScheduleOptions()
        plain = _prepare(
            project,
            options,
            iterations=8 * mc.BLOCK,
            entropy=9,
            detail=0,
            risk_events=True,
            correlation=None,
        )
        corr = _prepare(
            project,
            options,
            iterations=8 * mc.BLOCK,
            entropy=9,
            detail=0,
            risk_events=True,
            correlation=target,
        )
        row = {aid: i for i, aid in enumerate(corr.model.ids)}
        x = np.hstack([mc.sample_block(corr.model, b) for b in range(8)])
        y = np.hstack([mc.sample_block(plain.model, b) for b in range(8)])
        for (a, b), rho in target.items():
            got = stats.spearmanr(x[row[a]], x[row[b]]).statistic
            assert abs(got - rho) <= 0.03, (a, b, got)
        for b in range(8):  # each block is a permutation of the uncorrelated sample
            block = slice(b * mc.BLOCK, (b + 1) * mc.BLOCK)
            assert np.array_equal(np.sort(x[:, block], axis=1), np.sort(y[:, block], axis=1))
        # and the simulation itself reports the same marginals
        r1 = simulate(project, 4 * mc.BLOCK, seed=9)
        r2 = simulate(project, 4 * mc.BLOCK, seed=9, correlation=target)
        for a1, a2 in zip(r1.activities, r2.activities, strict=True):
            assert a1.mean_duration == pytest.approx(a2.mean_duration, rel=1e-12)

    @pytest.mark.parametrize(
        ("correlation", "words"),
        [
            ({("A", "B"): 1.5}, "from -1 to 1"),
            ({("A", "A"): 0.5}, "itself"),
            ({("A", "X"): 0.5}, "unknown activity"),
            ({("A", "F"): 0.5}, "no uncertain duration"),
            ({("A", "B"): 0.9, ("B", "C"): 0.9, ("A", "C"): -0.9}, "not positive definite"),
            ({("A", "B"): 0.5, ("B", "A"): 0.4}, "given twice"),
            ({"AB": 0.5}, "pairs of activity ids"),
        ],
    )
    def test_bad_correlations(self, correlation: Any, words: str) -> None:
        """Bad correlation targets raise ValidationError saying what is wrong."""
        acts = [Activity(x, duration=d(5), estimate=UniformEstimate(d(2), d(8))) for x in "ABC"]
        project = Project("P", activities=[*acts, Activity("F", duration=d(3))])
        with pytest.raises(ValidationError, match=words):
            simulate(project, 10, seed=1, correlation=correlation)


# --------------------------------------------------------------------------- reproducibility


class TestKernel:
    def test_spearman_matches_scipy(self) -> None:
        """Rank correlations and the 'varies' flags are scipy's on rows of distinct
        values, ties, values one ulp apart, negative values, signed zeros and constants."""
        from scipy import stats

        rng = np.random.default_rng(4)
        m = 300
        target = rng.random(m)
        x = rng.random(m)
        near = x.copy()
        near[::7] = np.nextafter(near[1::7][: near[::7].shape[0]], 2)  # one ulp above others
        rows = np.stack(
            [
                x,
                np.round(x * 5),  # ties
                near,
                x - 0.5,  # negative values
                np.where(x < 0.5, -0.0, 0.0),  # signed zeros: all equal
                np.full(m, 3.0),  # constant
                target + 1e-13 * x,  # nearly the target
                -target,
            ]
        )
        varies = np.zeros(rows.shape[0], dtype=bool)
        got = mc.spearman(rows, target, varies=varies)
        for i, row in enumerate(rows):
            constant = bool(np.all(row == row[0]))
            assert varies[i] == (not constant), i
            want = 0.0 if constant else stats.spearmanr(row, target).statistic
            assert got[i] == pytest.approx(want, abs=1e-12), i

    def test_row_percentiles_match_numpy(self) -> None:
        """Per-row percentiles are numpy's linear interpolation."""
        values = np.random.default_rng(5).random((4, 257))
        qs = list(PERCENTILES)
        assert np.allclose(mc.row_percentiles(values, qs), np.percentile(values, qs, axis=1).T)

    @pytest.mark.parametrize("wide", [True, False])
    def test_counting_in_the_passes(self, wide: bool) -> None:
        """Critical counts taken inside the backward pass, with reused arrays, equal
        counts from the total floats; dates are the same with and without a workspace."""
        if wide:  # levels of 100 activities: counted level by level
            acts = [Activity(f"A{i}", duration=d(3 + i % 5)) for i in range(300)]
            deps = [
                Dependency(f"A{i}", f"A{(i // 100 + 1) * 100 + (i * 7) % 100}") for i in range(200)
            ]
            project = Project("wide", activities=acts, dependencies=deps)
        else:
            project = mixed_project()
        prepared = _prepare(
            project,
            ScheduleOptions(),
            iterations=mc.BLOCK,
            entropy=3,
            detail=0,
            risk_events=True,
            correlation=None,
        )
        model = prepared.model
        assert mc._wide(model) == wide
        own = mc.sample_block(model, 0)
        plain = mc.passes(model, own)
        assert plain.total_float is not None
        limit = mc._limit(model, plain.finish)
        want = np.count_nonzero(plain.total_float <= limit, axis=1)
        work = mc.Workspace(model, mc.BLOCK)
        counts = np.zeros(model.n, np.int64)
        for c0 in (0, 512):  # two windows through the same arrays
            got = mc.passes(model, own[:, c0 : c0 + 512], work=work, critical=counts)
            assert np.array_equal(got.finish, plain.finish[c0 : c0 + 512])
            assert np.array_equal(got.placed_finish, plain.placed_finish[:, c0 : c0 + 512])
        assert np.array_equal(counts, want)


class TestReproducibility:
    def test_chunking_and_executors_give_identical_results(self) -> None:
        """The same seed gives bit-identical results in this process with any chunk
        size, in a process pool and on a dask.distributed cluster."""
        from distributed import Client, LocalCluster

        project = mixed_project()
        correlation = {("C", "D"): 0.5}
        kwargs: dict[str, Any] = {"seed": 42, "correlation": correlation}
        n = 5 * mc.BLOCK - 300  # a partial last block
        reference = simulate(project, n, **kwargs)
        assert simulate(project, n, chunk_size=1, **kwargs) == reference
        assert simulate(project, n, chunk_size=3000, **kwargs) == reference
        with ProcessPoolExecutor(max_workers=2) as pool:
            assert simulate(project, n, executor=pool, chunk_size=2048, **kwargs) == reference
        with (
            LocalCluster(n_workers=1, threads_per_worker=1, dashboard_address=None) as cluster,
            Client(cluster) as client,
        ):
            got = simulate(project, n, executor=client.get_executor(), chunk_size=1024, **kwargs)
        assert got == reference
        assert simulate(project, n, seed=43, correlation=correlation) != reference

    def test_seed_none_records_a_reproducing_seed(self) -> None:
        """Without a seed the result records the entropy that reproduces it."""
        project = mixed_project()
        r = simulate(project, 500)
        assert simulate(project, 500, seed=r.seed) == r

    def test_more_iterations_extend_the_same_sample(self) -> None:
        """Iteration i draws the same numbers whatever the total: a longer run starts with
        the shorter one (its first block's finishes and the detail statistics agree)."""
        project = chain([(1, 3, 8), (2, 4, 9)])
        short = simulate(project, mc.BLOCK, seed=3)
        long = simulate(project, 2 * mc.BLOCK, seed=3, detail_iterations=mc.BLOCK)
        for a, b in zip(short.activities, long.activities, strict=True):
            assert (a.sensitivity, a.finish_percentiles) == (b.sensitivity, b.finish_percentiles)

    def test_progress_is_reported(self) -> None:
        """progress(done, total) is called after each chunk, ending with the total."""
        calls: list[tuple[int, int]] = []
        simulate(
            mixed_project(),
            3000,
            seed=1,
            chunk_size=1024,
            progress=lambda a, b: calls.append((a, b)),
        )
        assert calls[-1] == (3000, 3000)
        assert [c[0] for c in calls] == sorted(c[0] for c in calls) and len(calls) == 3


# --------------------------------------------------------------------------- the result


@pytest.fixture(scope="module")
def result() -> RiskResult:
    """A simulation of the mixed project (every kind of estimate, risks, constraints)."""
    return simulate(mixed_project(), 4000, seed=17)


class TestResult:
    def test_percentiles(self, result: RiskResult) -> None:
        """P5..P95 are keyed "P5".."P95", non-decreasing, and agree with percentile(q)."""
        ps = result.percentiles
        assert list(ps) == [f"P{q}" for q in range(5, 100, 5)]
        values = list(ps.values())
        assert values == sorted(values)
        assert result.minimum <= result.percentile(2.5) <= values[0]
        assert result.percentile(80) == ps["P80"]
        with pytest.raises(ValidationError, match="0 to 100"):
            result.percentile(101)

    def test_probabilities(self, result: RiskResult) -> None:
        """The chance of meeting the target finish is counted exactly and agrees with the
        stored distribution; activity deadlines get their own probability."""
        target = result.probability_target
        assert target is not None
        assert abs(result.probability(30) - target) <= 1e-3
        assert result.probability_deadline is not None and result.probability_deadline >= target
        assert set(result.deadline_probabilities) == {"G"}
        assert result.probability(result.maximum) == 1.0
        with pytest.raises(ValidationError, match="units"):
            result.probability(datetime(2026, 1, 1))

    def test_criticality_and_sensitivity(self, result: RiskResult) -> None:
        """Criticality lies in [0, 1], sensitivity in [-1, 1]; fixed activities have none."""
        assert all(0 <= c <= 1 for c in result.criticality.values())
        assert all(-1 <= s <= 1 for s in result.sensitivity.values())
        assert "M" not in result.sensitivity and "G" not in result.sensitivity
        ranked = list(result.sensitivity.values())
        assert [abs(x) for x in ranked] == sorted((abs(x) for x in ranked), reverse=True)
        assert result.tornado(2) == tuple(list(result.sensitivity.items())[:2])

    def test_to_dict_has_the_documented_keys(self, result: RiskResult) -> None:
        """to_dict: iterations, mean, std, percentiles, criticality, sensitivity ..."""
        data = result.to_dict()
        assert {"iterations", "mean", "std", "percentiles", "criticality", "sensitivity"} <= set(
            data
        )
        assert list(data["percentiles"]) == [f"P{q}" for q in PERCENTILES]
        assert json.loads(json.dumps(data)) == data

    def test_to_dataframe(self, result: RiskResult) -> None:
        """One row per leaf activity with criticality, sensitivity and finish percentiles."""
        frame = result.to_dataframe()
        assert list(frame.index) == [a.id for a in result.activities]
        assert frame.loc["G", "probability_deadline"] == result.deadline_probabilities["G"]
        assert frame.loc["A", "P80"] == result.activity("A").finish_percentiles[15]

    def test_round_trip(self, result: RiskResult) -> None:
        """Results are values: the JSON converter round-trips them (dated ones too)."""
        # compared as data: the doctest run may load the module a second time, so class
        # identity (and attrs equality) can differ between the two copies
        for value in (result, simulate(pm.demo_project(), 300, seed=2)):
            data = unstructure(value)
            back = structure(json.loads(json.dumps(data)), type(value))
            assert unstructure(back) == data
            assert back.percentile(80) == value.percentile(80) and back.mean == value.mean

    @pytest.mark.parametrize(
        ("kwargs", "words"),
        [
            ({"iterations": 0}, "iterations must be"),
            ({"iterations": 2.5}, "whole number"),
            ({"seed": -1}, "seed must be"),
            ({"chunk_size": 0}, "chunk_size must be"),
            ({"detail_iterations": -1}, "detail_iterations"),
            ({"executor": "pool"}, "Executor"),
        ],
    )
    def test_bad_arguments(self, kwargs: dict[str, Any], words: str) -> None:
        """Bad arguments raise ValidationError naming the argument."""
        kwargs = {"iterations": 10, **kwargs}
        n = kwargs.pop("iterations")
        with pytest.raises(ValidationError, match=words):
            simulate(mixed_project(), n, **kwargs)

    def test_without_detail_iterations(self) -> None:
        """detail_iterations=0 skips per-activity percentiles and sensitivities."""
        r = simulate(mixed_project(), 500, seed=1, detail_iterations=0)
        assert r.sensitivity == {} and r.activities[0].finish_percentiles == ()

    def test_cycles_are_reported(self) -> None:
        """A dependency cycle raises CycleError, as schedule() does."""
        p = Project(
            "P",
            activities=[Activity("A", duration=d(1)), Activity("B", duration=d(1))],
            dependencies=[Dependency("A", "B"), Dependency("B", "A")],
        )
        with pytest.raises(pm.CycleError):
            simulate(p, 10)

    @settings(max_examples=25)
    @given(
        projects(dated=False, with_extras=False, link_types=(LinkType.FS, LinkType.SS)),
        st.data(),
    )
    def test_optimistic_bounded_estimates_never_beat_cpm(self, project: Project, data: Any) -> None:
        """With FS and SS links and no constraints, finishes only grow with durations: with
        every estimate at least the planned duration no iteration beats the CPM finish.
        Percentiles are monotone. (FF/SF links and finish constraints break the first
        part: a longer activity can start, and let an SS successor start, earlier.)"""
        acts = []
        for a in project.activities:
            a = attrs.evolve(a, constraint=ScheduleConstraint(), estimate=None)
            m = a.duration.minutes
            if not (project.is_summary(a.id) or a.is_milestone):
                extra = data.draw(st.integers(0, 10))
                a = attrs.evolve(
                    a,
                    estimate=data.draw(
                        st.sampled_from(
                            [
                                ThreePointEstimate(
                                    d(m), d(m + extra // 2), d(m + extra), distribution=TRI
                                ),
                                UniformEstimate(d(m), d(m + extra)),
                                EmpiricalEstimate([d(m), d(m + extra)]),
                            ]
                        )
                    ),
                )
            acts.append(a)
        project = attrs.evolve(project, activities=acts)
        assume(
            not any(
                isinstance(x.lag, PercentLag) and x.lag.percent < 0 for x in project.dependencies
            )
        )
        r = simulate(project, 200, seed=data.draw(st.integers(0, 100)))
        assert r.percentile(0) >= schedule(strip(project)).finish
        values = [r.percentile(q) for q in range(0, 101, 5)]
        assert values == sorted(values)
        for a in r.activities:
            assert list(a.finish_percentiles) == sorted(a.finish_percentiles)


# --------------------------------------------------------------------------- progress


def mid_way() -> Project:
    """A project at status date 10 (units): A complete (late), B in progress (40 %), F
    started out of sequence, C, D, E not started; risks on complete and started work.

    By hand, with the planned durations (schedule()): A 0-5 (actual), B from 5, 4 done,
    6 left resuming at 10: 10-16; C after A, floored at the status date: 10-13; D after B
    and C: 16-18; E SS 7 from B's actual start: 12-15; F (its link from C no longer acts)
    4 done, 2 left: 10-12. Finish 18; A is complete (never critical), B and D critical.
    """
    acts = [
        Activity(
            "A",
            duration=d(4),
            estimate=ThreePointEstimate(d(3), d(4), d(8)),
            progress=Progress(0, 5, percent_complete=100),
        ),
        Activity(
            "B",
            duration=d(10),
            estimate=UniformEstimate(d(10), d(20)),
            progress=Progress(5, percent_complete=40),
        ),
        Activity("C", duration=d(3), estimate=UniformEstimate(d(2), d(4))),
        Activity("D", duration=d(2)),
        Activity("E", duration=d(3)),
        Activity("F", duration=d(4), progress=Progress(8, percent_complete=50)),
    ]
    deps = [
        Dependency("A", "B"),
        Dependency("A", "C"),
        Dependency("B", "D"),
        Dependency("C", "D"),
        Dependency("B", "E", LinkType.SS, d(7)),
        Dependency("C", "F"),
    ]
    risks = [
        Risk("R1", probability=1.0, schedule_impact=d(100), affected_activities=["A"]),
        Risk("R2", probability=1.0, schedule_impact=d(1), affected_activities=["B"]),
    ]
    return Project("mid", activities=acts, dependencies=deps, risks=risks, status_date=10)


@st.composite
def under_way(draw: Any, project: Project) -> Project:
    """``project`` part-way through: a status date after its start and, on some leaves,
    actuals before it (complete, in progress, started out of sequence), at working
    instants of the project calendar (whole units when undated)."""
    from pmsm_core.calendars import from_minute_index, to_minute_index

    dated = project.start is not None
    span = draw(st.integers(0, 20_000 if dated else 60))
    if project.start is not None:
        table = project.calendar.table
        origin = table.to_working(to_minute_index(project.start))

        def at(w: int, *, finish: bool) -> Any:
            return from_minute_index(table.from_working(origin + w, finish=finish))

    else:

        def at(w: int, *, finish: bool) -> Any:
            return w

    status = at(span, finish=True) if span else at(0, finish=False)
    acts = []
    for a in project.activities:
        kind = draw(st.sampled_from(["plan", "complete", "started"]))
        if project.is_summary(a.id) or kind == "plan":
            acts.append(attrs.evolve(a, progress=None))
            continue
        s = draw(st.integers(0, span))
        start = at(s, finish=False) if s < span else status
        if kind == "complete":
            # a finish reading after the start (or the status date itself)
            finish = at(draw(st.integers(s + 1, span)), finish=True) if s < span else status
            progress = Progress(start, finish, percent_complete=100)
        else:
            left = draw(st.none() | st.integers(0, 3000 if dated else 30).map(Duration))
            progress = Progress(
                start, percent_complete=draw(st.floats(0, 99)), remaining_duration=left
            )
        acts.append(attrs.evolve(a, progress=progress))
    return attrs.evolve(project, activities=acts, status_date=status)


class TestProgress:
    def test_mid_way_by_hand(self) -> None:
        """Complete work stays where it happened (never critical, no risk), work in
        progress resumes at the status date with the sampled total scaled to its
        remaining share (plus its risks), unstarted work waits for the status date,
        links into started work and SS links from it act as schedule() says."""
        project = mid_way()
        planned = strip(project)
        s = schedule(planned)
        fixed = simulate(planned, 10, seed=1)
        assert fixed.cpm_finish == s.finish == fixed.percentile(0) == fixed.percentile(100) == 18
        assert fixed.criticality == {a.id: float(a.critical) for a in s.activities}
        assert fixed.criticality == {"A": 0, "B": 1, "C": 0, "D": 1, "E": 0, "F": 0}
        for a in fixed.activities:
            assert set(a.finish_percentiles) == {s[a.id].finish}, a.id
            assert a.mean_duration == s[a.id].duration, a.id
        # B's total T ~ U(10, 20) leaves 6/10 of it, plus R2's one unit: D finishes at
        # 10 + 0.6 T + 1 + 2 ~ U(19, 25); R1 on the complete A does nothing
        n = 20_000
        r = simulate(project, n, seed=1)
        assert r.cpm_finish == 18
        eps = dkw(n) + 1e-3
        for t in (19.5, 21.0, 22.0, 23.8, 24.5):
            assert abs(r.probability(t) - (t - 19) / 6) <= eps, t
        assert abs(r.mean_offset - 22) <= 5 * math.sqrt(3) / math.sqrt(n)
        assert r.percentile(0) >= 19 and r.percentile(100) <= 25
        assert r.criticality == {"A": 0, "B": 1, "C": 0, "D": 1, "E": 0, "F": 0}
        assert r.activity("B").sensitivity == pytest.approx(1.0)
        assert r.activity("A").sensitivity is None
        assert set(r.activity("A").finish_percentiles) == {5}
        assert set(r.activity("E").finish_percentiles) == {15}  # 5 + 7, then 3
        assert set(r.activity("F").finish_percentiles) == {12}  # 2 left from 10
        assert all(12 <= t <= 14 for t in r.activity("C").finish_percentiles)
        # mean durations: actual (A), done + remaining (B: 4 + 0.6 * 15 + 1, F: 2 + 2)
        assert r.activity("A").mean_duration == 5 and r.activity("F").mean_duration == 4
        assert abs(r.activity("B").mean_duration - 14) <= 5 * 0.6 * (10 / math.sqrt(12 * n))
        with pytest.raises(ValidationError, match="'A' is complete"):
            simulate(project, 10, correlation={("A", "C"): 0.5})
        # and a seed gives the same numbers whatever the chunking
        short = simulate(project, 2 * mc.BLOCK + 5, seed=4, correlation={("B", "C"): 0.5})
        assert (
            simulate(project, 2 * mc.BLOCK + 5, seed=4, correlation={("B", "C"): 0.5}, chunk_size=1)
            == short
        )

    def test_pert_uses_remaining_work(self) -> None:
        """PERT takes the remaining share of started work (mean and standard deviation),
        complete work exactly, and leaves complete activities off the critical path."""
        pert = pert_analysis(mid_way())
        # B: 10 + 0.6 * 15 = 19 (no risk events in PERT), D: 2 more
        assert pert.mean == pytest.approx(21)
        assert pert.std == pytest.approx(0.6 * 10 / math.sqrt(12))
        assert pert.critical_path == ("B", "D")
        done = Project(
            "done",
            activities=[
                Activity(
                    "A",
                    duration=d(3),
                    estimate=UniformEstimate(d(2), d(9)),
                    progress=Progress(0, 4, percent_complete=100),
                )
            ],
            status_date=6,
        )
        finished = pert_analysis(done)
        assert (finished.mean, finished.std, finished.critical_path) == (4, 0, ())

    @settings(max_examples=40)
    @given(projects(with_extras=False), st.booleans(), st.booleans(), st.booleans(), st.data())
    def test_fixed_durations_follow_schedule(
        self, project: Project, honor: bool, mcp: bool, move: bool, data: Any
    ) -> None:
        """Generated projects part-way through (any actuals, status date, constraints,
        link types): with planned durations the simulation is schedule() exactly, finish,
        critical activities and each activity's finish, whenever one calendar times
        everything."""
        project = strip(data.draw(under_way(project)))
        options = ScheduleOptions(
            honor_constraints=honor,
            multiple_critical_paths=mcp,
            move_incomplete_after_status_date=move,
        )
        s = schedule(project, options=options)
        r = simulate(project, 1, seed=0, options=options)
        if not compile_project(project, options).single_calendar:
            assert r.percentile(50) == s.finish or any(
                "instead of the CPM" in w for w in r.warnings
            )
            return
        assert r.percentile(50) == r.cpm_finish == s.finish
        for a in s.activities:
            if not a.summary:
                assert r.criticality[a.id] == (1.0 if a.critical else 0.0), a.id
                assert set(r.activity(a.id).finish_percentiles) == {a.finish}, a.id
                assert r.activity(a.id).mean_duration == a.duration, a.id

    @settings(max_examples=25)
    @given(
        projects(with_extras=False, link_types=(LinkType.FS, LinkType.SS)),
        st.data(),
    )
    def test_never_before_the_status_date_schedule(self, project: Project, data: Any) -> None:
        """With FS and SS links, no constraints, every estimate at least the planned
        duration and risks that only lengthen work, no iteration finishes before the
        status-date schedule of the planned durations, nor does any activity; complete
        activities stay at their actual finish and, once work has started, unfinished work
        never ends before the status date. (One calendar times everything: the simulation
        reads other calendars as they fell in the CPM schedule.)"""
        acts = []
        for a in project.activities:
            a = attrs.evolve(a, constraint=ScheduleConstraint(), estimate=None, calendar=None)
            m = a.duration.minutes
            if not (project.is_summary(a.id) or a.is_milestone):
                extra = data.draw(st.integers(0, 600))
                a = attrs.evolve(
                    a,
                    estimate=data.draw(
                        st.sampled_from(
                            [
                                ThreePointEstimate(d(m), d(m + extra // 2), d(m + extra)),
                                UniformEstimate(d(m), d(m + extra)),
                                EmpiricalEstimate([d(m), d(m + extra)]),
                            ]
                        )
                    ),
                )
            acts.append(a)
        leaves = [a.id for a in acts if not project.is_summary(a.id)]
        risks = [
            Risk(
                "R",
                probability=0.5,
                schedule_factor=1.5,
                schedule_impact=d(data.draw(st.integers(0, 60))),
                affected_activities=data.draw(st.lists(st.sampled_from(leaves), max_size=3)),
            )
        ]
        deps = [
            attrs.evolve(x, lag=attrs.evolve(x.lag, elapsed=False)) for x in project.dependencies
        ]
        project = attrs.evolve(project, activities=acts, dependencies=deps, risks=risks)
        project = data.draw(under_way(project))
        assume(
            not any(
                isinstance(x.lag, PercentLag) and x.lag.percent < 0 for x in project.dependencies
            )
        )
        s = schedule(strip(project))
        r = simulate(project, 300, seed=data.draw(st.integers(0, 100)))
        assert r.percentile(0) >= s.finish == r.cpm_finish
        # schedule() uses the status date once some work has started
        started = any(a.progress is not None for a in project.activities)
        status = project.status_date if started else None
        for a in r.activities:
            progress = project.activity(a.id).progress
            if progress is not None and progress.finished:
                assert set(a.finish_percentiles) == {s[a.id].finish}, a.id
                assert a.criticality == 0, a.id
                continue
            assert a.finish_percentiles[0] >= s[a.id].finish, a.id
            if status is not None:
                assert a.finish_percentiles[0] >= status, a.id

    def test_dated_example(self) -> None:
        """The dated example at its status date: with planned durations, schedule()'s
        dates exactly; with estimates, the gathered requirements (complete) stay put and
        are never critical, and nothing unfinished ends before the status date."""
        from pmsm_core.examples import load_example

        project = load_example("intranet-status")
        s = schedule(project)
        fixed = simulate(project, 50, seed=1)
        assert fixed.percentile(0) == fixed.percentile(100) == s.finish
        for a in s.activities:
            assert fixed.criticality[a.id] == float(a.critical), a.id
            assert set(fixed.activity(a.id).finish_percentiles) == {a.finish}, a.id
        acts = [
            a
            if a.is_milestone
            else attrs.evolve(
                a,
                estimate=ThreePointEstimate(
                    a.duration, a.duration, Duration(a.duration.minutes * 3 // 2)
                ),
            )
            for a in project.activities
        ]
        risks = [
            Risk(
                "R",
                probability=0.5,
                schedule_impact=Duration.from_days(5),
                affected_activities=["A", "C"],
            )
        ]
        uncertain = attrs.evolve(project, activities=acts, risks=risks)
        r = simulate(uncertain, 4000, seed=3)
        assert r.cpm_finish == s.finish < r.percentile(50) < r.percentile(80)
        requirements = r.activity("A")
        assert requirements.criticality == 0 and requirements.sensitivity is None
        assert set(requirements.finish_percentiles) == {s["A"].finish}
        assert r.activity("A").mean_duration == s["A"].duration
        status = project.status_date
        assert status is not None
        for a in r.activities:
            if a.id != "A":
                assert min(a.finish_percentiles) >= status, a.id
        assert r.criticality["B"] == 1.0  # in progress, driving the finish
        # the design (B, 60 % done) only has 40 % of its spread left: C, ten days
        # unstarted, drives the finish more
        assert abs(r.sensitivity["C"]) > abs(r.sensitivity["B"])


# --------------------------------------------------------------------------- PERT


class TestPert:
    def test_textbook_figures(self) -> None:
        """Mean (o+4m+p)/6 and variance ((p-o)/6)^2 summed along the critical path."""
        p = chain([(2, 4, 12), (4, 6, 8), (1, 1, 1)], kind=Distribution.PERT)
        pert = pert_analysis(p)
        assert pert.mean == pytest.approx(5 + 6 + 1)
        assert pert.std == pytest.approx(math.sqrt((10 / 6) ** 2 + (4 / 6) ** 2))
        assert pert.critical_path == ("A0", "A1", "A2")
        assert pert.probability(12) == pytest.approx(0.5)
        assert pert.percentile(50) == pytest.approx(12)
        assert pert.probability(13) == pytest.approx(
            0.5 + math.erf(1 / pert.std / math.sqrt(2)) / 2
        )

    def test_path_with_the_largest_variance(self) -> None:
        """With two critical paths PERT takes the one with the larger variance."""
        p = Project(
            "P",
            activities=[
                Activity("A", duration=d(10), estimate=ThreePointEstimate(d(9), d(10), d(11))),
                Activity("B", duration=d(10), estimate=ThreePointEstimate(d(4), d(10), d(16))),
            ],
        )
        pert = pert_analysis(p)
        assert pert.critical_path == ("B",) and pert.std == pytest.approx(2.0)

    def test_merge_bias(self) -> None:
        """PERT is optimistic where paths merge: two equal parallel paths each finish by
        their mean half the time, both only a quarter of the time (the simulation)."""
        t = ThreePointEstimate(d(6), d(10), d(14))
        p = Project("P", activities=[Activity(x, duration=d(10), estimate=t) for x in "AB"])
        assert pert_analysis(p).probability(10) == 0.5
        n = 20_000
        r = simulate(p, n, seed=1)
        assert abs(r.probability(10) - 0.25) <= 5 * math.sqrt(0.25 * 0.75 / n) + 1e-3

    def test_dated_project(self) -> None:
        """On the dated demo project PERT's mean is a date on the critical path."""
        pert = pert_analysis(pm.demo_project())
        assert isinstance(pert.mean, datetime)
        assert pert.critical_path[0] in ("I1", "E5") and pert.critical_path[-1] in (
            "C2",
            "C3",
            "C4",
        )
        assert 0 < pert.probability(pert.mean) < 1


# --------------------------------------------------------------------------- CLI and charts


@pytest.fixture
def demo_json(tmp_path: Path) -> Path:
    path = tmp_path / "demo.json"
    path.write_text(pm.dumps(pm.demo_project()), encoding="utf-8")
    return path


class TestCli:
    def test_table(self, demo_json: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """The table shows CPM and mean finish, P5..P95, targets and the drivers."""
        assert main(["risk", str(demo_json), "-n", "1500", "--seed", "3"]) == 0
        out = capsys.readouterr().out
        assert "CPM finish   Mon 2026-03-30 17:00" in out and "P95" in out
        assert "Target finish" in out and "Recruit service desk agents" in out

    def test_json_with_progress_on_stderr(
        self, demo_json: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """JSON on stdout (the documented keys), the progress bar on stderr only; more
        workers give the same numbers."""
        args = ["risk", str(demo_json), "-n", "2500", "--seed", "3", "--format", "json"]
        assert main([*args, "--progress", "--chunk-size", "1024"]) == 0
        captured = capsys.readouterr()
        data = json.loads(captured.out)
        assert data["iterations"] == 2500
        assert list(data["percentiles"]) == [f"P{q}" for q in PERCENTILES]
        assert set(data["criticality"]) == {
            a.id for a in pm.demo_project().activities if not pm.demo_project().is_summary(a.id)
        }
        assert "100% 2,500/2,500 iterations" in captured.err
        assert main([*args, "--workers", "2"]) == 0
        assert json.loads(capsys.readouterr().out) == data

    def test_other_formats(self, capsys: pytest.CaptureFixture[str]) -> None:
        """MSPDI XML and PSPLIB files are read as by pmsm schedule."""
        assert (
            main(["risk", str(DATA / "mspdi" / "sample.xml"), "-n", "200", "--format", "json"]) == 0
        )
        assert "percentiles" in json.loads(capsys.readouterr().out)
        _, info = read_sm(DATA / "psplib" / "j30" / "j301_1.sm")
        assert (
            main(
                [
                    "risk",
                    str(DATA / "psplib" / "j30" / "j301_1.sm"),
                    "-n",
                    "100",
                    "--format",
                    "json",
                ]
            )
            == 0
        )
        assert json.loads(capsys.readouterr().out)["percentiles"]["P50"] == info.mpm_time

    def test_errors(self, demo_json: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """Bad arguments exit with status 1 and a message."""
        assert main(["risk", str(demo_json), "-n", "0"]) == 1
        assert "iterations must be" in capsys.readouterr().err
        assert main(["risk", str(demo_json), "--workers", "0"]) == 1
        assert "--workers" in capsys.readouterr().err


class TestCharts:
    def test_histogram_s_curve_and_tornado(self, tmp_path: Path) -> None:
        """The three charts draw on dated and undated results and save as PNG."""
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        dated = simulate(pm.demo_project(), 2000, seed=5)
        undated = simulate(mixed_project(), 2000, seed=5)
        for r in (dated, undated):
            ax = pm.risk_histogram(r)
            assert sum(bar.get_height() for bar in ax.patches) == pytest.approx(100)
            labels = [t.get_text() for t in ax.texts]
            assert "CPM" in labels and "P80" in labels
            ax.figure.savefig(tmp_path / "h.png")
            ax = pm.risk_s_curve(r)
            assert any(t.get_text().startswith("target") for t in ax.texts)
            ax = pm.risk_tornado(r, top=3)
            assert len(ax.patches) == 3
            ax.figure.savefig(tmp_path / "t.png")
            plt.close("all")
        assert (tmp_path / "h.png").stat().st_size > 10_000
