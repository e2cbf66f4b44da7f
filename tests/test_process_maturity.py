"""Maturity levels, roll-ups, priorities and the KPI hierarchy, checked against hand computations."""

from __future__ import annotations

import pytest
from hypothesis import given
from tests.strategies_processes import maturity_assessments, measurement_models, small_questionnaire

from pmsm_core import (
    Answer,
    Catalogue,
    LifecycleStage,
    MaturityAssessment,
    MaturityLevel,
    Measure,
    MeasureDirection,
    MeasureLevel,
    MeasurementModel,
    Process,
    ProcessAssessment,
    Question,
    Questionnaire,
    ValidationError,
)
from pmsm_core.io.json import structure, unstructure
from pmsm_core.processes.catalog import load_catalogue
from pmsm_core.processes.maturity import (
    MaturityReport,
    MeasurementReport,
    RollUpRule,
    assess_maturity,
    evaluate_measures,
    process_level,
)

L = MaturityLevel


def catalogue() -> Catalogue:
    """A -> B -> C; A and B in Service Design, C in Service Operation."""
    design, operation = LifecycleStage.SERVICE_DESIGN, LifecycleStage.SERVICE_OPERATION
    return Catalogue(
        "mini",
        processes=[
            Process("A", "a", stage=design, outputs=["x"]),
            Process("B", "b", stage=design, inputs=["x"], outputs=["y"]),
            Process("C", "c", stage=operation, inputs=["y"]),
        ],
    )


def answers(**scores: float) -> list[Answer]:
    return [Answer(q, s) for q, s in scores.items()]


def assessment() -> MaturityAssessment:
    """A reaches level 3; B fails level 2 (so level 1) despite a perfect level 3; C is at 5."""
    q = small_questionnaire()
    return MaturityAssessment(
        "hand",
        q,
        [
            ProcessAssessment(
                "A",
                answers(q20=1, q21=1, q30=1, q31=0.5, q40=1, q41=0),
                target=L.MANAGED,
                weight=2.0,
            ),
            ProcessAssessment("B", answers(q20=1, q21=0.4, q30=1, q31=1), target=L.DEFINED),
            ProcessAssessment("C", [Answer(x.id, 1.0) for x in q.questions]),
        ],
        default_target=L.REPEATABLE,
    )


class TestLevels:
    def test_staged_levels(self) -> None:
        """A: scores 1, .75, .5, 0 -> level 3. B: .7 at level 2 -> level 1. C: level 5."""
        a = assessment()
        q = a.questionnaire
        assert process_level(q, a.assessment("A")) == (L.DEFINED, (1.0, 0.75, 0.5, 0.0))
        assert process_level(q, a.assessment("B"))[0] is L.INITIAL
        assert process_level(q, a.assessment("C"))[0] is L.OPTIMIZING

    def test_pass_mark(self) -> None:
        """With a pass mark of 0.5, A also reaches level 4."""
        q = small_questionnaire(pass_mark=0.5)
        pa = ProcessAssessment("A", answers(q20=1, q21=1, q30=1, q31=0.5, q40=1, q41=0))
        assert process_level(q, pa)[0] is L.MANAGED

    def test_no_answers(self) -> None:
        """No answers: level 1."""
        assert process_level(small_questionnaire(), ProcessAssessment("A"))[0] is L.INITIAL


class TestRollUp:
    def test_weakest_link(self) -> None:
        """Service Design = min(3, 1) = 1, score (2x3 + 1x1) / 3; organisation min = 1."""
        report = assess_maturity(assessment(), catalogue())
        design = report.area("Service Design")
        assert design.level is L.INITIAL
        assert design.score == pytest.approx(7 / 3)
        assert design.processes == ("A", "B") and design.below_target == ("A", "B")
        assert report.area("Service Operation").level is L.OPTIMIZING
        org = report.organisation
        assert org is not None
        assert (org.level, org.score) == (L.INITIAL, 3.0)

    def test_weighted_mean(self) -> None:
        """Weighted mean rounded down: Design floor(2.33) = 2, organisation floor(3.0) = 3."""
        report = assess_maturity(assessment(), catalogue(), rule="weighted-mean")
        assert report.rule is RollUpRule.WEIGHTED_MEAN
        assert report.area("Service Design").level is L.REPEATABLE
        assert report.organisation is not None and report.organisation.level is L.DEFINED

    def test_gaps_priorities_and_next_steps(self) -> None:
        """A: gap 1 x weight 2 x (1 + 2/2) = 4. B: gap 2 x 1 x (1 + 1/2) = 3. C meets its target."""
        report = assess_maturity(assessment(), catalogue())
        a, b, c = report.processes
        assert (a.gap, a.priority, a.next_steps, a.unanswered) == (1, 4.0, ("q41",), ("q50", "q51"))
        assert (b.gap, b.priority, b.next_steps) == (2, 3.0, ("q21",))
        assert (c.target, c.gap, c.priority, c.next_steps) == (L.REPEATABLE, 0, 0.0, ())
        assert report.priorities == ("A", "B")
        assert report.process("B").area == "Service Design"

    def test_without_catalogue(self) -> None:
        """Without a catalogue there are no areas and the flow factor is 1 (A: 1 x 2 = 2)."""
        report = assess_maturity(assessment())
        assert report.areas == ()
        assert [p.priority for p in report.processes] == [2.0, 2.0, 0.0]
        assert report.priorities == ("B", "A")  # equal priority: the larger gap first

    def test_roll_up_by_other_attribute(self) -> None:
        """by='kind' rolls up by the kind of element instead of the stage."""
        report = assess_maturity(assessment(), catalogue(), by="kind")
        assert [a.area for a in report.areas] == ["process"]

    def test_itil_catalogue(self) -> None:
        """Roll-up over the shipped ITIL 2011 stages uses the stage labels."""
        q = small_questionnaire()
        a = MaturityAssessment(
            "x",
            q,
            [ProcessAssessment(pid, answers(q20=1, q21=1)) for pid in ("SO2", "SO4", "SD3")],
        )
        report = assess_maturity(a, load_catalogue("itil2011"))
        assert [(x.area, x.level) for x in report.areas] == [
            ("Service Design", L.REPEATABLE),
            ("Service Operation", L.REPEATABLE),
        ]

    def test_zero_weights(self) -> None:
        """When every weight is 0 the mean falls back to equal weights."""
        q = small_questionnaire()
        a = MaturityAssessment("z", q, [ProcessAssessment("A", weight=0.0)])
        org = assess_maturity(a).organisation
        assert org is not None and org.score == 1.0

    def test_errors(self) -> None:
        """Processes missing from the catalogue, bad rules and bad 'by' are errors."""
        q = small_questionnaire()
        a = MaturityAssessment("x", q, [ProcessAssessment("Z")])
        with pytest.raises(ValidationError, match="process 'Z' is not in 'mini'"):
            assess_maturity(a, catalogue())
        with pytest.raises(ValidationError, match="rule must be one of"):
            assess_maturity(a, rule="median")
        with pytest.raises(ValidationError, match="by must be one of"):
            assess_maturity(a, by="colour")

    def test_report_round_trip(self) -> None:
        """Reports are values: they survive the converter."""
        report = assess_maturity(assessment(), catalogue())
        assert structure(unstructure(report), MaturityReport) == report

    @given(maturity_assessments())
    def test_levels_never_exceed_the_first_failed_level(self, a: MaturityAssessment) -> None:
        """A process's level is below every level whose score misses the pass mark."""
        for pm_ in assess_maturity(a).processes:
            for lvl, score in zip(range(2, 6), pm_.level_scores, strict=True):
                if score < a.questionnaire.pass_mark:
                    assert int(pm_.level) < lvl
                    break
            org = assess_maturity(a).organisation
            assert org is not None and org.level <= pm_.level


class TestAssessmentValues:
    def test_questionnaire_rules(self) -> None:
        """Every level from 2 to 5 needs a question; ids are unique; level 1 has none."""
        with pytest.raises(ValidationError, match=r"no question for level\(s\) \[4, 5\]"):
            Questionnaire(
                "q", questions=[Question("a", "x", L.REPEATABLE), Question("b", "y", L.DEFINED)]
            )
        with pytest.raises(ValidationError, match="level from 2 to 5"):
            Question("a", "x", L.INITIAL)
        q = small_questionnaire()
        with pytest.raises(ValidationError, match="duplicate question id"):
            Questionnaire("q", questions=[*q.questions, q.questions[0]])

    def test_answers(self) -> None:
        """Scores lie in 0..1; a question is answered once; unknown questions are errors."""
        with pytest.raises(ValidationError, match="score must be >= 0"):
            Answer("q", -0.1)
        with pytest.raises(ValidationError, match="answered twice"):
            ProcessAssessment("A", [Answer("q", 1), Answer("q", 0)])
        with pytest.raises(ValidationError) as exc:
            MaturityAssessment(
                "a",
                small_questionnaire(),
                [ProcessAssessment("A", [Answer("zz", 1)]), ProcessAssessment("A")],
            )
        assert [p.path for p in exc.value.problems] == [
            "processes[0].answers[0].question",
            "processes[1].process",
        ]

    def test_level_arithmetic(self) -> None:
        """Levels order, subtract and convert to int; no comparison with plain numbers."""
        assert L.MANAGED - L.INITIAL == 3 and int(L.DEFINED) == 3
        assert sorted([L.MANAGED, L.INITIAL]) == [L.INITIAL, L.MANAGED]
        with pytest.raises(TypeError):
            _ = L.MANAGED < 3  # type: ignore[operator]


def kpi_model() -> MeasurementModel:
    lower = MeasureDirection.LOWER_IS_BETTER
    return MeasurementModel(
        "desk",
        measures=[
            Measure("revenue", "Revenue kept", MeasureLevel.BUSINESS, target=100.0),
            Measure("risk", "Regulatory findings", MeasureLevel.BUSINESS, target=0.0, direction=lower),
            Measure("csat", "Satisfaction", MeasureLevel.SERVICE, target=4.0, contributes_to=["revenue"]),
            Measure(
                "avail", "Availability", MeasureLevel.SERVICE, target=99.5,
                contributes_to=["revenue", "risk"], weight=3.0,
            ),
            Measure("ffr", "First-contact fixes", MeasureLevel.PROCESS, target=70.0, contributes_to=["csat"]),
            Measure(
                "mttr", "Mean time to restore", MeasureLevel.PROCESS, target=4.0, direction=lower,
                contributes_to=["csat", "avail"], process="SO2",
            ),
            Measure("changes", "Failed changes", MeasureLevel.PROCESS, direction=lower, contributes_to=["avail"]),
        ],
    )  # fmt: skip


class TestMeasures:
    def test_three_levels_by_hand(self) -> None:
        """Attainment per level, contributions upward, misses explained by their feeders."""
        report = evaluate_measures(
            kpi_model(), {"ffr": 56.0, "mttr": 5.0, "changes": 3.0, "avail": 99.0, "risk": 2.0}
        )
        ffr, mttr, changes = (report.result(x) for x in ("ffr", "mttr", "changes"))
        assert (ffr.met, ffr.attainment) == (False, pytest.approx(0.8))  # 56 / 70
        assert (mttr.met, mttr.attainment) == (False, 0.8)  # 4 / 5, lower is better
        assert (changes.met, changes.attainment) == (None, None)  # no target
        csat = report.result("csat")  # no data: estimated from ffr and mttr
        assert (csat.actual, csat.met) == (None, None)
        assert csat.contributing == pytest.approx(0.8) and csat.effective == pytest.approx(0.8)
        assert csat.missed_contributors == ("ffr", "mttr")
        avail = report.result("avail")
        assert avail.attainment == pytest.approx(99.0 / 99.5)
        assert avail.contributing == pytest.approx(0.8)  # only mttr is judged
        revenue = report.result("revenue")  # weights: csat 1, avail 3
        assert revenue.effective == pytest.approx((0.8 + 3 * 99.0 / 99.5) / 4)
        assert revenue.missed_contributors == ("avail",)
        risk = report.result("risk")  # target 0, lower is better: any finding misses entirely
        assert (risk.met, risk.attainment) == (False, 0.0)

    def test_level_summaries(self) -> None:
        """Counts of met, missed and unjudged measures per level."""
        report = evaluate_measures(kpi_model(), {"ffr": 80.0, "mttr": 3.0, "csat": 4.5})
        process = report.level(MeasureLevel.PROCESS)
        assert (process.measures, process.met, process.missed, process.no_data) == (3, 2, 0, 1)
        assert process.mean_attainment == 1.0
        business = report.level(MeasureLevel.BUSINESS)
        assert (business.no_data, business.mean_attainment) == (2, None)

    def test_targets_at_or_below_zero(self) -> None:
        """Higher-is-better with a target <= 0: met or not, attainment 1 or 0."""
        model = MeasurementModel(
            "m", measures=[Measure("p", "profit", MeasureLevel.BUSINESS, target=0.0)]
        )
        assert evaluate_measures(model, {"p": 5.0}).result("p").attainment == 1.0
        assert evaluate_measures(model, {"p": -5.0}).result("p").attainment == 0.0

    def test_bad_observations(self) -> None:
        """Unknown measures, non-numbers and processes missing from the catalogue are errors."""
        with pytest.raises(ValidationError) as exc:
            evaluate_measures(
                kpi_model(),
                {"nope": 1.0, "ffr": float("inf"), "mttr": True},
                catalogue=load_catalogue("pmbok6"),
            )
        assert [p.path for p in exc.value.problems] == [
            "observations['nope']",
            "observations['ffr']",
            "observations['mttr']",
            "measures[5].process",
        ]
        with pytest.raises(ValidationError, match="observations must map"):
            evaluate_measures(kpi_model(), [("ffr", 1.0)])  # type: ignore[arg-type]

    def test_model_rules(self) -> None:
        """Links go exactly one level up; business outcomes feed nothing."""
        with pytest.raises(ValidationError, match="may feed only a service measure"):
            MeasurementModel(
                "m",
                measures=[
                    Measure("b", "b", MeasureLevel.BUSINESS),
                    Measure("p", "p", MeasureLevel.PROCESS, contributes_to=["b"]),
                ],
            )
        with pytest.raises(ValidationError, match="top of the hierarchy"):
            Measure("b", "b", MeasureLevel.BUSINESS, contributes_to=["x"])
        with pytest.raises(ValidationError, match="only a process-level measure"):
            Measure("s", "s", MeasureLevel.SERVICE, process="SO2")
        with pytest.raises(ValidationError, match="duplicate measure id"):
            MeasurementModel("m", measures=[Measure("a", "a", MeasureLevel.PROCESS)] * 2)

    def test_report_round_trip(self) -> None:
        """Measurement reports survive the converter."""
        report = evaluate_measures(kpi_model(), {"ffr": 56.0, "avail": 99.0})
        assert structure(unstructure(report), MeasurementReport) == report

    @given(measurement_models())
    def test_attainment_bounds(self, model: MeasurementModel) -> None:
        """With every measure observed at its target, every judged measure is met at 1."""
        observations = {m.id: m.target for m in model.measures if m.target is not None}
        report = evaluate_measures(model, observations)
        for r in report.results:
            if r.target is not None:
                assert r.met is True and r.attainment == 1.0
            assert r.effective is None or 0.0 <= r.effective <= 1.0
