"""Maturity and measurement at several levels.

Two engines:

* :func:`assess_maturity` turns the answers of a :class:`~pmsm_core.MaturityAssessment`
  into a maturity level from 1 (Initial) to 5 (Optimizing) per process, rolls the levels
  up per stage (or process group) and for the organisation, and ranks the gaps to the
  target levels as improvement priorities.
* :func:`evaluate_measures` judges a :class:`~pmsm_core.MeasurementModel` (process KPI ->
  service metric -> business outcome) against its targets at every level.

The rules
---------
**Level of a process (staged).** For each level L from 2 to 5, the level's *score* is the
mean of the answers (0 to 1) to that level's questions; unanswered questions count 0. The
process is at the highest level L such that every level from 2 up to L scores at least
the questionnaire's ``pass_mark``; otherwise it is at level 1. A process cannot skip a
level: a high score at level 4 does not count while level 3 is not reached.

**Roll-up.** With :attr:`RollUpRule.WEAKEST_LINK` (the default) a stage, and the
organisation, are at the lowest level of their processes: a stage is only as mature as its
least mature process. With :attr:`RollUpRule.WEIGHTED_MEAN` they are at the weighted mean
of their processes' levels (the weights of the process assessments), rounded down. Both
report the weighted mean as ``score``. The organisation is rolled up from all processes
directly, not from the stages, so that stages with many processes weigh more.

**Priority.** The gap is ``target - level`` (0 when the target is met or missing). The
priority is ``gap x weight x (1 + reach / (n - 1))`` where, when a catalogue is given,
``reach`` is the number of the other ``n - 1`` processes its hand-offs reach in the
catalogue's flow: improving a process that feeds many others counts for more. Without a
catalogue the factor is 1.

**Attainment of a measure.** For a higher-is-better measure with a positive target it is
``actual / target``, for a lower-is-better one ``target / actual``, capped to 0..1 (1 means
the target is met; with a target of 0 or less it is 1 when met and 0 otherwise). A measure
above the process level also gets the weighted mean of the *effective* attainment of the
measures feeding it (``contributing``); the effective attainment of a measure is its own
when observed, and the contributing one otherwise. So a service metric without data is
estimated from its process KPIs, and a missed business outcome names the missed service
metrics that explain it.
"""

from __future__ import annotations

import enum
import functools
import json
import math
from collections.abc import Mapping
from importlib import resources
from typing import TYPE_CHECKING, Final

import attrs

from pmsm_core.exceptions import Problem, ValidationError
from pmsm_core.model._validators import (
    check_id,
    check_str,
    instance_of,
    number,
    to_tuple,
    tuple_of,
)
from pmsm_core.model.measurement import (
    MaturityAssessment,
    MaturityLevel,
    MeasureLevel,
    MeasurementModel,
    ProcessAssessment,
    Questionnaire,
)
from pmsm_core.model.process import Catalogue, Process

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "AreaMaturity",
    "LevelSummary",
    "MaturityReport",
    "MeasureResult",
    "MeasurementReport",
    "ProcessMaturity",
    "RollUpRule",
    "assess_maturity",
    "default_questionnaire",
    "evaluate_measures",
    "process_level",
]

_LEVELS: Final = (
    MaturityLevel.REPEATABLE,
    MaturityLevel.DEFINED,
    MaturityLevel.MANAGED,
    MaturityLevel.OPTIMIZING,
)
_AREA_ATTRIBUTES: Final = ("area", "stage", "group", "knowledge_area", "practice_group", "kind")


@functools.cache
def default_questionnaire() -> Questionnaire:
    """A generic questionnaire shipped with the library: one statement per level and area.

    Twenty statements (levels 2 to 5 x the five assessment areas of the ITIL Process
    Maturity Framework: vision and steering, process, people, technology, culture),
    written for this library. Question ids are ``L<level>-<area>``, e.g.
    ``"L3-people"``. The pass mark is 0.75.

    Examples
    --------
    >>> q = default_questionnaire()
    >>> len(q.questions), q.question("L2-process").level.label
    (20, 'Repeatable')
    """
    from pmsm_core.io.json import structure

    text = resources.files("pmsm_core.processes.catalogues").joinpath("maturity_questionnaire.json")
    data = json.loads(text.read_text(encoding="utf-8"))
    value: Questionnaire = structure(data["questionnaire"], Questionnaire)
    return value


class RollUpRule(enum.Enum):
    """How process levels roll up into a stage's and the organisation's level.

    Examples
    --------
    >>> RollUpRule("weighted-mean")
    <RollUpRule.WEIGHTED_MEAN: 'weighted-mean'>
    """

    WEAKEST_LINK = "weakest-link"
    """The lowest level among the processes."""
    WEIGHTED_MEAN = "weighted-mean"
    """The weighted mean of the levels, rounded down."""


def process_level(
    questionnaire: Questionnaire, assessment: ProcessAssessment
) -> tuple[MaturityLevel, tuple[float, ...]]:
    """The maturity level of one process and its score at each level from 2 to 5.

    Examples
    --------
    >>> from pmsm_core import Answer
    >>> q = default_questionnaire()
    >>> answers = [Answer(x.id, 1.0) for x in q.at_level(MaturityLevel.REPEATABLE)]
    >>> answers += [Answer(x.id, 0.8) for x in q.at_level(MaturityLevel.DEFINED)]
    >>> process_level(q, ProcessAssessment("SO2", answers))
    (<MaturityLevel.DEFINED: 3>, (1.0, 0.8, 0.0, 0.0))
    """
    scores = []
    for level in _LEVELS:
        questions = questionnaire.at_level(level)
        total = math.fsum(assessment.score_of(q.id) for q in questions)
        scores.append(total / len(questions))
    achieved = MaturityLevel.INITIAL
    for level, score in zip(_LEVELS, scores, strict=True):
        if score + 1e-12 < questionnaire.pass_mark:
            break
        achieved = level
    return achieved, tuple(scores)


@attrs.frozen
class ProcessMaturity:
    """The assessed maturity of one process.

    Parameters
    ----------
    level
        The level reached.
    level_scores
        The score (0 to 1) at levels 2, 3, 4 and 5.
    target
        The target level, if any.
    gap
        ``target - level``, 0 when the target is met or missing.
    priority
        The improvement priority (see the module's rules).
    area
        The stage or group the process belongs to ("" without a catalogue).
    next_steps
        Ids of the questions of the next level up that are not fully in place, weakest
        first: what to work on to climb one level.
    unanswered
        Ids of questions not answered (counted as 0).

    Examples
    --------
    >>> pm = ProcessMaturity("SO2", MaturityLevel.DEFINED, (1.0, 0.8, 0.2, 0.0))
    >>> pm.gap, pm.level.label
    (0, 'Defined')
    """

    process: str = attrs.field(validator=check_id)
    level: MaturityLevel = attrs.field(validator=instance_of(MaturityLevel))
    level_scores: tuple[float, ...] = attrs.field(converter=to_tuple, validator=tuple_of(float))
    target: MaturityLevel | None = attrs.field(
        default=None, validator=instance_of(MaturityLevel, optional=True)
    )
    gap: int = attrs.field(default=0, validator=number(low=0, high=4, integer=True))
    priority: float = attrs.field(default=0.0, validator=number(low=0))
    weight: float = attrs.field(default=1.0, kw_only=True, validator=number(low=0))
    area: str = attrs.field(default="", kw_only=True, validator=check_str)
    next_steps: tuple[str, ...] = attrs.field(
        default=(), kw_only=True, converter=to_tuple, validator=tuple_of(str)
    )
    unanswered: tuple[str, ...] = attrs.field(
        default=(), kw_only=True, converter=to_tuple, validator=tuple_of(str)
    )


@attrs.frozen
class AreaMaturity:
    """The rolled-up maturity of a stage, a group or the whole organisation.

    Parameters
    ----------
    area
        The stage or group label; ``"organisation"`` for the whole.
    level
        The level by the roll-up rule.
    score
        The weighted mean of the processes' levels.
    processes
        The processes rolled up.
    below_target
        Those whose level is under their target.

    Examples
    --------
    >>> AreaMaturity("Service Operation", MaturityLevel.REPEATABLE, 2.5, ("SO1", "SO2")).level
    <MaturityLevel.REPEATABLE: 2>
    """

    area: str = attrs.field(validator=check_str)
    level: MaturityLevel = attrs.field(validator=instance_of(MaturityLevel))
    score: float = attrs.field(validator=number(low=1, high=5))
    processes: tuple[str, ...] = attrs.field(converter=to_tuple, validator=tuple_of(str))
    below_target: tuple[str, ...] = attrs.field(
        default=(), converter=to_tuple, validator=tuple_of(str)
    )


@attrs.frozen(repr=False)
class MaturityReport:
    """The result of :func:`assess_maturity`.

    Attributes
    ----------
    processes : tuple of ProcessMaturity
        One per process assessed, in assessment order.
    areas : tuple of AreaMaturity
        One per stage or group, in catalogue order (empty without a catalogue).
    organisation : AreaMaturity or None
        The roll-up over all processes (None when nothing was assessed).
    priorities : tuple of str
        Ids of the processes below target, highest priority first.

    Examples
    --------
    >>> report = MaturityReport("a", RollUpRule.WEAKEST_LINK, 0.75, (), (), None, ())
    >>> report.process("x")
    Traceback (most recent call last):
    ...
    KeyError: 'x'
    """

    assessment: str = attrs.field(validator=check_str)
    rule: RollUpRule = attrs.field(validator=instance_of(RollUpRule))
    pass_mark: float = attrs.field(validator=number(low=0, high=1))
    processes: tuple[ProcessMaturity, ...] = attrs.field(
        converter=to_tuple, validator=tuple_of(ProcessMaturity)
    )
    areas: tuple[AreaMaturity, ...] = attrs.field(
        converter=to_tuple, validator=tuple_of(AreaMaturity)
    )
    organisation: AreaMaturity | None = attrs.field(
        validator=instance_of(AreaMaturity, optional=True)
    )
    priorities: tuple[str, ...] = attrs.field(converter=to_tuple, validator=tuple_of(str))

    def to_dataframe(self) -> pd.DataFrame:
        """One row per assessed process as a pandas DataFrame (``pandas`` extra).

        See :func:`pmsm_core.viz.frames.maturity_frame` for the columns.
        """
        from pmsm_core.viz.frames import maturity_frame

        return maturity_frame(self)

    def __repr__(self) -> str:
        org = self.organisation.level.value if self.organisation else None
        return (
            f"MaturityReport(assessment={self.assessment!r}, processes={len(self.processes)}, "
            f"organisation_level={org}, below_target={len(self.priorities)})"
        )

    def process(self, process_id: str) -> ProcessMaturity:
        """The result for one process.

        Raises
        ------
        KeyError
            If the process was not assessed.
        """
        for pm in self.processes:
            if pm.process == process_id:
                return pm
        raise KeyError(process_id)

    def area(self, label: str) -> AreaMaturity:
        """The roll-up of one stage or group, by its label (e.g. ``"Service Design"``).

        Raises
        ------
        KeyError
            If no assessed process belongs to that area.
        """
        for am in self.areas:
            if am.area == label:
                return am
        raise KeyError(label)


def _area_of(process: Process, by: str) -> str:
    if by == "area":
        return process.area_label
    value = getattr(process, by)
    return "" if value is None else str(getattr(value, "label", value.value))


def _roll_up(label: str, members: list[ProcessMaturity], rule: RollUpRule) -> AreaMaturity:
    weights = [m.weight for m in members]
    if math.fsum(weights) <= 0:
        weights = [1.0] * len(members)
    score = math.fsum(w * int(m.level) for w, m in zip(weights, members, strict=True)) / math.fsum(
        weights
    )
    if rule is RollUpRule.WEAKEST_LINK:
        level = min(m.level for m in members)
    else:
        level = MaturityLevel(max(1, min(5, math.floor(score + 1e-9))))
    return AreaMaturity(
        label,
        level,
        score,
        [m.process for m in members],
        [m.process for m in members if m.gap > 0],
    )


def assess_maturity(
    assessment: MaturityAssessment,
    catalogue: Catalogue | None = None,
    *,
    rule: RollUpRule | str = RollUpRule.WEAKEST_LINK,
    by: str = "area",
) -> MaturityReport:
    """Turn assessment answers into maturity levels, roll-ups, gaps and priorities.

    Parameters
    ----------
    assessment
        The questionnaire and the answers per process.
    catalogue
        The catalogue the processes come from; enables roll-ups per stage or group and
        flow-aware priorities. Every assessed process must be in it.
    rule
        :class:`RollUpRule` (or its value) for stages and the organisation.
    by
        What to roll up by: ``"area"`` (stage, process group or practice group, the
        default), ``"stage"``, ``"group"``, ``"knowledge_area"``, ``"practice_group"`` or
        ``"kind"``.

    Raises
    ------
    ValidationError
        For processes missing from the catalogue, an unknown rule or ``by``.

    Examples
    --------
    >>> from pmsm_core import Answer, MaturityAssessment, ProcessAssessment
    >>> from pmsm_core.processes.catalog import load_catalogue
    >>> q = default_questionnaire()
    >>> def answers(level):
    ...     return [Answer(x.id, 1.0) for x in q.questions if int(x.level) <= level]
    >>> a = MaturityAssessment(
    ...     "2026",
    ...     q,
    ...     [
    ...         ProcessAssessment("SO2", answers(3), target=MaturityLevel.MANAGED),
    ...         ProcessAssessment("SO4", answers(2), target=MaturityLevel.DEFINED),
    ...     ],
    ... )
    >>> report = assess_maturity(a, load_catalogue("itil2011"))
    >>> [(p.process, p.level.value, p.gap) for p in report.processes]
    [('SO2', 3, 1), ('SO4', 2, 1)]
    >>> report.area("Service Operation").level, report.priorities
    (<MaturityLevel.REPEATABLE: 2>, ('SO2', 'SO4'))
    """
    try:
        rule = RollUpRule(rule)
    except ValueError:
        allowed = ", ".join(repr(r.value) for r in RollUpRule)
        msg = f"rule must be one of {allowed}, got {rule!r}"
        raise ValidationError(msg, path="rule") from None
    if by not in _AREA_ATTRIBUTES:
        msg = f"by must be one of {', '.join(map(repr, _AREA_ATTRIBUTES))}, got {by!r}"
        raise ValidationError(msg, path="by")
    questionnaire = assessment.questionnaire
    if catalogue is not None:
        missing = [
            Problem(f"processes[{i}].process", f"process {pa.process!r} is not in {catalogue.id!r}")
            for i, pa in enumerate(assessment.processes)
            if pa.process not in catalogue
        ]
        if missing:
            raise ValidationError(missing)
    reach = _reach_counts(catalogue) if catalogue is not None else {}
    others = max(1, len(catalogue) - 1) if catalogue is not None else 1
    results = []
    for pa in assessment.processes:
        level, scores = process_level(questionnaire, pa)
        target = assessment.target_of(pa.process)
        gap = max(0, target - level) if target is not None else 0
        factor = 1 + reach.get(pa.process, 0) / others if catalogue is not None else 1.0
        next_steps: list[str] = []
        if level < MaturityLevel.OPTIMIZING:
            nxt = questionnaire.at_level(MaturityLevel(int(level) + 1))
            pending = [q for q in nxt if pa.score_of(q.id) < 1]
            pending.sort(key=lambda q: pa.score_of(q.id))
            next_steps = [q.id for q in pending]
        answered = {a.question for a in pa.answers}
        area = _area_of(catalogue.process(pa.process), by) if catalogue is not None else ""
        results.append(
            ProcessMaturity(
                pa.process,
                level,
                scores,
                target,
                gap,
                gap * pa.weight * factor,
                weight=pa.weight,
                area=area,
                next_steps=next_steps,
                unanswered=[q.id for q in questionnaire.questions if q.id not in answered],
            )
        )
    areas: list[AreaMaturity] = []
    if catalogue is not None:
        groups: dict[str, list[ProcessMaturity]] = {}
        for pm in sorted(results, key=lambda r: catalogue.index_of(r.process)):
            if pm.area:
                groups.setdefault(pm.area, []).append(pm)
        areas = [_roll_up(label, members, rule) for label, members in groups.items()]
    organisation = _roll_up("organisation", results, rule) if results else None
    order = {pm.process: i for i, pm in enumerate(results)}
    ranked = sorted(
        (pm for pm in results if pm.gap > 0),
        key=lambda pm: (-pm.priority, -pm.gap, order[pm.process]),
    )
    return MaturityReport(
        assessment.id,
        rule,
        questionnaire.pass_mark,
        results,
        areas,
        organisation,
        [pm.process for pm in ranked],
    )


def _reach_counts(catalogue: Catalogue) -> dict[str, int]:
    from pmsm_core.processes.flow import _reach_bits, _simple, flow_graph

    bits = _reach_bits(_simple(flow_graph(catalogue)), catalogue._index)
    return {pid: value.bit_count() for pid, value in bits.items()}


# --------------------------------------------------------------------------- KPI hierarchy


@attrs.frozen
class MeasureResult:
    """One measure judged against its target.

    Parameters
    ----------
    actual
        The observed value (None when there is no observation).
    met
        Whether the target is met (None without an observation or a target).
    attainment
        How much of the target is reached, 0 to 1 (None when not judged).
    contributing
        Weighted mean of the effective attainment of the measures feeding this one.
    effective
        ``attainment`` when known, else ``contributing``.
    missed_contributors
        The measures feeding this one that missed their targets.

    Examples
    --------
    >>> r = MeasureResult("csat", MeasureLevel.SERVICE, 3.6, 4.0, False, 0.9)
    >>> r.met, r.attainment
    (False, 0.9)
    """

    measure: str = attrs.field(validator=check_id)
    level: MeasureLevel = attrs.field(validator=instance_of(MeasureLevel))
    actual: float | None = attrs.field(default=None, validator=number(optional=True))
    target: float | None = attrs.field(default=None, validator=number(optional=True))
    met: bool | None = attrs.field(default=None, validator=instance_of(bool, optional=True))
    attainment: float | None = attrs.field(
        default=None, validator=number(low=0, high=1, optional=True)
    )
    contributing: float | None = attrs.field(
        default=None, kw_only=True, validator=number(low=0, high=1, optional=True)
    )
    effective: float | None = attrs.field(
        default=None, kw_only=True, validator=number(low=0, high=1, optional=True)
    )
    missed_contributors: tuple[str, ...] = attrs.field(
        default=(), kw_only=True, converter=to_tuple, validator=tuple_of(str)
    )


@attrs.frozen
class LevelSummary:
    """How the measures of one level fared.

    Examples
    --------
    >>> LevelSummary(MeasureLevel.PROCESS, 3, 2, 1, 0, 0.9).measures
    3
    """

    level: MeasureLevel = attrs.field(validator=instance_of(MeasureLevel))
    measures: int = attrs.field(validator=number(low=0, integer=True))
    met: int = attrs.field(validator=number(low=0, integer=True))
    missed: int = attrs.field(validator=number(low=0, integer=True))
    no_data: int = attrs.field(validator=number(low=0, integer=True))
    mean_attainment: float | None = attrs.field(
        default=None, validator=number(low=0, high=1, optional=True)
    )


@attrs.frozen(repr=False)
class MeasurementReport:
    """The result of :func:`evaluate_measures`: every measure and a summary per level.

    Examples
    --------
    >>> MeasurementReport("m", (), ()).result("x")
    Traceback (most recent call last):
    ...
    KeyError: 'x'
    """

    model: str = attrs.field(validator=check_str)
    results: tuple[MeasureResult, ...] = attrs.field(
        converter=to_tuple, validator=tuple_of(MeasureResult)
    )
    levels: tuple[LevelSummary, ...] = attrs.field(
        converter=to_tuple, validator=tuple_of(LevelSummary)
    )

    def __repr__(self) -> str:
        return f"MeasurementReport(model={self.model!r}, measures={len(self.results)})"

    def result(self, measure_id: str) -> MeasureResult:
        """The result of one measure.

        Raises
        ------
        KeyError
            If the model has no such measure.
        """
        for r in self.results:
            if r.measure == measure_id:
                return r
        raise KeyError(measure_id)

    def level(self, level: MeasureLevel) -> LevelSummary:
        """The summary of one level."""
        for s in self.levels:
            if s.level is level:
                return s
        raise KeyError(level)  # pragma: no cover - every level is summarised


def _attainment(actual: float, target: float, higher: bool) -> float:
    if higher:
        if target <= 0:
            return 1.0 if actual >= target else 0.0
        return min(1.0, max(0.0, actual / target))
    if actual <= target:
        return 1.0
    if target <= 0:
        return 0.0
    return min(1.0, max(0.0, target / actual))


def evaluate_measures(
    model: MeasurementModel,
    observations: Mapping[str, float],
    *,
    catalogue: Catalogue | None = None,
) -> MeasurementReport:
    """Judge a KPI hierarchy against its targets at each level.

    Parameters
    ----------
    model
        The measures and how they feed each other.
    observations
        Observed values by measure id. Measures without an observation are reported
        with ``actual=None``; service metrics and business outcomes without one are
        estimated from the measures that feed them (``effective``).
    catalogue
        If given, every process-level measure's ``process`` must be one of its processes.

    Raises
    ------
    ValidationError
        For observations of unknown measures, values that are not finite numbers, or
        processes missing from the catalogue.

    Examples
    --------
    >>> from pmsm_core import MeasureDirection, Measure, MeasurementModel
    >>> model = MeasurementModel(
    ...     "desk",
    ...     measures=[
    ...         Measure("kept", "Customers retained", MeasureLevel.BUSINESS, target=95.0),
    ...         Measure(
    ...             "csat",
    ...             "Satisfaction",
    ...             MeasureLevel.SERVICE,
    ...             target=4.0,
    ...             contributes_to=["kept"],
    ...         ),
    ...         Measure(
    ...             "ffr",
    ...             "First-contact fixes",
    ...             MeasureLevel.PROCESS,
    ...             target=70.0,
    ...             contributes_to=["csat"],
    ...         ),
    ...         Measure(
    ...             "mttr",
    ...             "Mean time to restore",
    ...             MeasureLevel.PROCESS,
    ...             target=4.0,
    ...             direction=MeasureDirection.LOWER_IS_BETTER,
    ...             contributes_to=["csat"],
    ...         ),
    ...     ],
    ... )
    >>> report = evaluate_measures(model, {"ffr": 63.0, "mttr": 5.0, "csat": 4.2})
    >>> r = report.result("ffr")
    >>> r.met, r.attainment
    (False, 0.9)
    >>> csat = report.result("csat")
    >>> csat.met, round(csat.contributing, 6)
    (True, 0.85)
    >>> report.result("kept").effective  # no data: estimated from satisfaction
    1.0
    """
    problems: list[Problem] = []
    raw: object = observations
    if not isinstance(raw, Mapping):
        msg = f"observations must map measure ids to numbers, got {type(raw).__name__}"
        raise ValidationError(msg, path="observations")
    values: dict[str, float] = {}
    for key, value in raw.items():
        where = f"observations[{key!r}]"
        if key not in model:
            problems.append(Problem(where, f"unknown measure {key!r} in {model.id!r}"))
        elif (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            problems.append(Problem(where, f"expected a finite number, got {value!r}"))
        else:
            values[key] = float(value)
    if catalogue is not None:
        problems.extend(
            Problem(
                f"measures[{i}].process",
                f"measure {m.id!r}: process {m.process!r} is not in {catalogue.id!r}",
            )
            for i, m in enumerate(model.measures)
            if m.process is not None and m.process not in catalogue
        )
    if problems:
        raise ValidationError(problems)

    done: dict[str, MeasureResult] = {}
    for level in MeasureLevel:
        for m in model.at_level(level):
            actual = values.get(m.id)
            met: bool | None = None
            attainment: float | None = None
            if actual is not None and m.target is not None:
                met = m.direction.meets(actual, m.target)
                higher = m.direction.value == "higher-is-better"
                attainment = _attainment(actual, m.target, higher)
            feeders = [done[c] for c in model.contributors(m.id)]
            weights = {c: model.measure(c).weight for c in model.contributors(m.id)}
            known = [(weights[f.measure], f.effective) for f in feeders if f.effective is not None]
            total = math.fsum(w for w, _ in known)
            contributing = math.fsum(w * e for w, e in known) / total if total > 0 else None
            if contributing is not None:
                contributing = min(1.0, max(0.0, contributing))
            done[m.id] = MeasureResult(
                m.id,
                level,
                actual,
                m.target,
                met,
                attainment,
                contributing=contributing,
                effective=attainment if attainment is not None else contributing,
                missed_contributors=[f.measure for f in feeders if f.met is False],
            )
    results = [done[m.id] for m in model.measures]
    summaries = []
    for level in MeasureLevel:
        rs = [r for r in results if r.level is level]
        judged = [r.attainment for r in rs if r.attainment is not None]
        summaries.append(
            LevelSummary(
                level,
                len(rs),
                sum(1 for r in rs if r.met is True),
                sum(1 for r in rs if r.met is False),
                sum(1 for r in rs if r.met is None),
                math.fsum(judged) / len(judged) if judged else None,
            )
        )
    return MeasurementReport(model.id, results, summaries)
