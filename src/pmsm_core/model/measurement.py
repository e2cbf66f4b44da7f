"""Measurement at several levels: KPIs, the KPI hierarchy and process maturity assessments.

A service is measured at several levels so that ongoing work can be judged at every stage:
*process KPIs* (how well a process runs) contribute to *service metrics* (what the
customers of a service experience), which contribute to *business outcomes* (what the
organisation gains). :class:`MeasurementModel` holds such a hierarchy; the engine
:func:`~pmsm_core.processes.maturity.evaluate_measures` judges it against targets.

Process maturity is assessed with a :class:`Questionnaire` whose questions each belong to
a maturity level from 2 (Repeatable) to 5 (Optimizing); a :class:`MaturityAssessment`
records the answers per process. The engine
:func:`~pmsm_core.processes.maturity.assess_maturity` turns them into levels, rolls them up
and ranks improvements.
"""

from __future__ import annotations

import enum
import functools
from typing import Any

import attrs

from pmsm_core.exceptions import Problem, ValidationError
from pmsm_core.model._validators import (
    check_id,
    check_optional_id,
    check_str,
    fail,
    instance_of,
    number,
    to_tuple,
    tuple_of,
)

__all__ = [
    "Answer",
    "AssessmentArea",
    "MaturityAssessment",
    "MaturityLevel",
    "Measure",
    "MeasureDirection",
    "MeasureLevel",
    "MeasurementModel",
    "ProcessAssessment",
    "ProcessKPI",
    "Question",
    "Questionnaire",
]


def _check_name(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        raise fail(instance, attribute.name, f"{attribute.name} must be a non-empty string")


class MeasureDirection(enum.Enum):
    """Whether a measure is better when it is higher or when it is lower.

    Examples
    --------
    >>> MeasureDirection("lower-is-better").better(2.0, 3.0)
    True
    """

    HIGHER_IS_BETTER = "higher-is-better"
    LOWER_IS_BETTER = "lower-is-better"

    def better(self, a: float, b: float) -> bool:
        """True when ``a`` is strictly better than ``b``."""
        return a > b if self is MeasureDirection.HIGHER_IS_BETTER else a < b

    def meets(self, actual: float, target: float) -> bool:
        """True when ``actual`` reaches ``target`` (equal counts as reaching it)."""
        return actual >= target if self is MeasureDirection.HIGHER_IS_BETTER else actual <= target


@attrs.frozen
class ProcessKPI:
    """A key performance indicator of one process.

    Parameters
    ----------
    id
        Unique within its process.
    name
        What is measured, in words.
    unit
        The unit of the values (``"%"``, ``"hours"``, ``"count"`` ...).
    direction
        Whether higher or lower values are better.
    target
        The value to reach, if the organisation has set one.

    Examples
    --------
    >>> kpi = ProcessKPI("first-fix", "Incidents resolved at first contact", unit="%", target=70.0)
    >>> kpi.direction.value
    'higher-is-better'
    """

    id: str = attrs.field(validator=check_id)
    name: str = attrs.field(validator=_check_name)
    unit: str = attrs.field(default="", kw_only=True, validator=check_str)
    direction: MeasureDirection = attrs.field(
        default=MeasureDirection.HIGHER_IS_BETTER,
        kw_only=True,
        validator=instance_of(MeasureDirection),
    )
    target: float | None = attrs.field(default=None, kw_only=True, validator=number(optional=True))
    description: str = attrs.field(default="", kw_only=True, validator=check_str)


class MeasureLevel(enum.Enum):
    """The three levels of the measurement hierarchy, from the bottom up.

    Examples
    --------
    >>> MeasureLevel.PROCESS.above
    <MeasureLevel.SERVICE: 'service'>
    >>> MeasureLevel.BUSINESS.above is None
    True
    """

    PROCESS = "process"
    SERVICE = "service"
    BUSINESS = "business"

    @property
    def rank(self) -> int:
        """0 for process, 1 for service, 2 for business."""
        return list(MeasureLevel).index(self)

    @property
    def above(self) -> MeasureLevel | None:
        """The level a measure of this level contributes to (None at the top)."""
        levels = list(MeasureLevel)
        return levels[self.rank + 1] if self.rank + 1 < len(levels) else None


@attrs.frozen
class Measure:
    """One measure of the hierarchy: a process KPI, a service metric or a business outcome.

    Parameters
    ----------
    id, name
        Identity and description.
    level
        :class:`MeasureLevel`.
    target
        The value to reach; without one the measure is reported but never judged.
    direction
        Whether higher or lower values are better.
    contributes_to
        Ids of measures one level up that this one feeds (a process KPI may feed several
        service metrics).
    weight
        Relative weight among the measures that feed the same measure above.
    process
        For a process KPI: the id of the process it measures (checked against a catalogue
        when one is given).

    Examples
    --------
    >>> m = Measure(
    ...     "mttr",
    ...     "Mean time to restore",
    ...     MeasureLevel.PROCESS,
    ...     target=4.0,
    ...     direction=MeasureDirection.LOWER_IS_BETTER,
    ...     contributes_to=["availability"],
    ... )
    >>> m.contributes_to
    ('availability',)
    """

    id: str = attrs.field(validator=check_id)
    name: str = attrs.field(validator=_check_name)
    level: MeasureLevel = attrs.field(validator=instance_of(MeasureLevel))
    target: float | None = attrs.field(default=None, kw_only=True, validator=number(optional=True))
    direction: MeasureDirection = attrs.field(
        default=MeasureDirection.HIGHER_IS_BETTER,
        kw_only=True,
        validator=instance_of(MeasureDirection),
    )
    unit: str = attrs.field(default="", kw_only=True, validator=check_str)
    contributes_to: tuple[str, ...] = attrs.field(
        default=(), kw_only=True, converter=to_tuple, validator=tuple_of(str)
    )
    weight: float = attrs.field(default=1.0, kw_only=True, validator=number(low=0))
    process: str | None = attrs.field(default=None, kw_only=True, validator=check_optional_id)
    description: str = attrs.field(default="", kw_only=True, validator=check_str)

    def __attrs_post_init__(self) -> None:
        if self.level is MeasureLevel.BUSINESS and self.contributes_to:
            raise fail(self, "contributes_to", "a business outcome is the top of the hierarchy")
        if self.process is not None and self.level is not MeasureLevel.PROCESS:
            raise fail(self, "process", "only a process-level measure names a process")
        if len(set(self.contributes_to)) != len(self.contributes_to):
            raise fail(self, "contributes_to", "lists a measure twice")


@attrs.frozen(repr=False)
class MeasurementModel:
    """A validated hierarchy of measures: process KPI -> service metric -> business outcome.

    Raises
    ------
    ValidationError
        With one problem per rule broken: duplicate ids, links to unknown measures, links
        that do not go exactly one level up.

    Examples
    --------
    >>> model = MeasurementModel(
    ...     "desk",
    ...     measures=[
    ...         Measure("revenue-kept", "Customers retained", MeasureLevel.BUSINESS, target=95.0),
    ...         Measure(
    ...             "csat",
    ...             "Customer satisfaction",
    ...             MeasureLevel.SERVICE,
    ...             target=4.0,
    ...             contributes_to=["revenue-kept"],
    ...         ),
    ...         Measure(
    ...             "ffr",
    ...             "First-contact resolution",
    ...             MeasureLevel.PROCESS,
    ...             target=70.0,
    ...             contributes_to=["csat"],
    ...         ),
    ...     ],
    ... )
    >>> model.contributors("csat")
    ('ffr',)
    >>> MeasurementModel(
    ...     "bad", measures=[Measure("a", "A", MeasureLevel.PROCESS, contributes_to=["x"])]
    ... )
    Traceback (most recent call last):
    ...
    pmsm_core.exceptions.ValidationError: measures[0].contributes_to[0]: measure 'a': unknown ...
    """

    id: str = attrs.field(validator=check_id)
    name: str = attrs.field(default="", validator=check_str)
    measures: tuple[Measure, ...] = attrs.field(
        default=(), kw_only=True, converter=to_tuple, validator=tuple_of(Measure)
    )
    description: str = attrs.field(default="", kw_only=True, validator=check_str)

    _index: dict[str, int] = attrs.field(init=False, eq=False, repr=False)
    _below: dict[str, tuple[str, ...]] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        index: dict[str, int] = {}
        for i, m in enumerate(self.measures):
            if m.id in index:
                problems.append(Problem(f"measures[{i}].id", f"duplicate measure id {m.id!r}"))
            else:
                index[m.id] = i
        below: dict[str, list[str]] = {}
        for i, m in enumerate(self.measures):
            for j, ref in enumerate(m.contributes_to):
                where = f"measures[{i}].contributes_to[{j}]"
                if ref not in index:
                    problems.append(Problem(where, f"measure {m.id!r}: unknown measure {ref!r}"))
                    continue
                up = self.measures[index[ref]]
                if up.level is not m.level.above:
                    problems.append(
                        Problem(
                            where,
                            f"measure {m.id!r} ({m.level.value}) may feed only a "
                            f"{m.level.above.value if m.level.above else '-'} measure; "
                            f"{ref!r} is a {up.level.value} measure",
                        )
                    )
                    continue
                below.setdefault(ref, []).append(m.id)
        if problems:
            raise ValidationError(problems)
        object.__setattr__(self, "_index", index)
        object.__setattr__(self, "_below", {k: tuple(v) for k, v in below.items()})

    def __repr__(self) -> str:
        return f"MeasurementModel(id={self.id!r}, measures={len(self.measures)})"

    def measure(self, measure_id: str) -> Measure:
        """The measure with id ``measure_id``.

        Raises
        ------
        KeyError
            If no measure has that id.
        """
        return self.measures[self._index[measure_id]]

    def __contains__(self, measure_id: object) -> bool:
        return measure_id in self._index

    def contributors(self, measure_id: str) -> tuple[str, ...]:
        """Ids of the measures one level down that feed ``measure_id``."""
        return self._below.get(measure_id, ())

    def at_level(self, level: MeasureLevel) -> tuple[Measure, ...]:
        """The measures of one level, in model order."""
        return tuple(m for m in self.measures if m.level is level)


# --------------------------------------------------------------------------- maturity


@functools.total_ordering
class MaturityLevel(enum.Enum):
    """Process maturity from 1 to 5, with the level names of the ITIL Process Maturity Framework.

    Levels are ordered, and subtracting two gives the number of levels between them (the
    gap). In JSON a level is its number.

    Examples
    --------
    >>> MaturityLevel.MANAGED - MaturityLevel.REPEATABLE
    2
    >>> MaturityLevel(3).label, MaturityLevel.DEFINED < MaturityLevel.MANAGED
    ('Defined', True)
    """

    INITIAL = 1
    REPEATABLE = 2
    DEFINED = 3
    MANAGED = 4
    OPTIMIZING = 5

    @property
    def label(self) -> str:
        """The level's name (Initial, Repeatable, Defined, Managed or Optimizing)."""
        return self.name.capitalize()

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, MaturityLevel):
            return NotImplemented
        return self.value < other.value

    def __sub__(self, other: MaturityLevel) -> int:
        if not isinstance(other, MaturityLevel):
            return NotImplemented
        return int(self.value - other.value)

    def __int__(self) -> int:
        return int(self.value)


class AssessmentArea(enum.Enum):
    """The five areas the ITIL Process Maturity Framework looks at in each process.

    Examples
    --------
    >>> AssessmentArea.VISION_AND_STEERING.label
    'Vision and steering'
    """

    VISION_AND_STEERING = "vision-and-steering"
    PROCESS = "process"
    PEOPLE = "people"
    TECHNOLOGY = "technology"
    CULTURE = "culture"

    @property
    def label(self) -> str:
        """The area in words."""
        return self.value.replace("-", " ").capitalize()


def _check_question_level(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, MaturityLevel) or value is MaturityLevel.INITIAL:
        raise fail(
            instance,
            attribute.name,
            f"a question belongs to a level from 2 to 5 (level 1 needs nothing), got {value!r}",
        )


@attrs.frozen
class Question:
    """One question of a maturity questionnaire.

    A question states a practice that a process at ``level`` has in place; the answer
    says how far it is in place (0 to 1).

    Examples
    --------
    >>> Question("q1", "The process is documented.", MaturityLevel.DEFINED).level.label
    'Defined'
    """

    id: str = attrs.field(validator=check_id)
    text: str = attrs.field(validator=_check_name)
    level: MaturityLevel = attrs.field(validator=_check_question_level)
    area: AssessmentArea | None = attrs.field(
        default=None, kw_only=True, validator=instance_of(AssessmentArea, optional=True)
    )


@attrs.frozen(repr=False)
class Questionnaire:
    """The questions a maturity assessment asks, each tied to a level from 2 to 5.

    Parameters
    ----------
    pass_mark
        The share (0 to 1) of a level's questions, weighted by how far each is in place,
        that a process needs for that level to count as achieved.

    Raises
    ------
    ValidationError
        For duplicate question ids or a level from 2 to 5 without questions.

    Examples
    --------
    >>> q = Questionnaire(
    ...     "mini",
    ...     questions=[
    ...         Question(f"L{n}", f"Practice of level {n}", MaturityLevel(n)) for n in (2, 3, 4, 5)
    ...     ],
    ... )
    >>> [x.id for x in q.at_level(MaturityLevel.DEFINED)], q.pass_mark
    (['L3'], 0.75)
    """

    id: str = attrs.field(validator=check_id)
    name: str = attrs.field(default="", validator=check_str)
    questions: tuple[Question, ...] = attrs.field(
        default=(), kw_only=True, converter=to_tuple, validator=tuple_of(Question)
    )
    pass_mark: float = attrs.field(default=0.75, kw_only=True, validator=number(low=0, high=1))
    description: str = attrs.field(default="", kw_only=True, validator=check_str)

    _index: dict[str, int] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        index: dict[str, int] = {}
        for i, q in enumerate(self.questions):
            if q.id in index:
                problems.append(Problem(f"questions[{i}].id", f"duplicate question id {q.id!r}"))
            else:
                index[q.id] = i
        missing = [
            lvl.value
            for lvl in MaturityLevel
            if lvl is not MaturityLevel.INITIAL and not any(q.level is lvl for q in self.questions)
        ]
        if missing:
            problems.append(
                Problem(
                    "questions", f"questionnaire {self.id!r}: no question for level(s) {missing}"
                )
            )
        if problems:
            raise ValidationError(problems)
        object.__setattr__(self, "_index", index)

    def __repr__(self) -> str:
        return f"Questionnaire(id={self.id!r}, questions={len(self.questions)})"

    def __contains__(self, question_id: object) -> bool:
        return question_id in self._index

    def question(self, question_id: str) -> Question:
        """The question with id ``question_id``.

        Raises
        ------
        KeyError
            If no question has that id.
        """
        return self.questions[self._index[question_id]]

    def at_level(self, level: MaturityLevel) -> tuple[Question, ...]:
        """The questions of one level, in questionnaire order."""
        return tuple(q for q in self.questions if q.level is level)


@attrs.frozen
class Answer:
    """How far the practice a question describes is in place: 0 (not at all) to 1 (fully).

    Examples
    --------
    >>> Answer("q1", 0.5).score
    0.5
    >>> Answer("q1", 2.0)
    Traceback (most recent call last):
    ...
    pmsm_core.exceptions.ValidationError: score: answer: score must be <= 1, got 2.0
    """

    question: str = attrs.field(validator=check_id)
    score: float = attrs.field(validator=number(low=0, high=1))


@attrs.frozen
class ProcessAssessment:
    """The answers given for one process, its target level and its importance.

    Parameters
    ----------
    process
        The process (or function, practice) id.
    answers
        One :class:`Answer` per question answered; unanswered questions count as 0.
    target
        The maturity level the organisation wants for this process.
    weight
        Importance of the process in roll-ups and improvement priorities.

    Examples
    --------
    >>> a = ProcessAssessment("SO2", [Answer("q1", 1.0)], target=MaturityLevel.DEFINED)
    >>> a.score_of("q1"), a.score_of("q2")
    (1.0, 0.0)
    """

    process: str = attrs.field(validator=check_id)
    answers: tuple[Answer, ...] = attrs.field(
        default=(), converter=to_tuple, validator=tuple_of(Answer)
    )
    target: MaturityLevel | None = attrs.field(
        default=None, kw_only=True, validator=instance_of(MaturityLevel, optional=True)
    )
    weight: float = attrs.field(default=1.0, kw_only=True, validator=number(low=0))
    notes: str = attrs.field(default="", kw_only=True, validator=check_str)

    def __attrs_post_init__(self) -> None:
        seen: set[str] = set()
        for i, answer in enumerate(self.answers):
            if answer.question in seen:
                raise fail(
                    self, f"answers[{i}].question", f"question {answer.question!r} answered twice"
                )
            seen.add(answer.question)

    def score_of(self, question_id: str) -> float:
        """The score given to ``question_id`` (0 when it was not answered)."""
        for answer in self.answers:
            if answer.question == question_id:
                return answer.score
        return 0.0


@attrs.frozen(repr=False)
class MaturityAssessment:
    """A maturity assessment: a questionnaire and the answers for each process assessed.

    Parameters
    ----------
    questionnaire
        The questions asked.
    processes
        One :class:`ProcessAssessment` per process.
    catalogue
        Id of the process catalogue the processes come from (informative).
    default_target
        The target level of processes that have none of their own.

    Raises
    ------
    ValidationError
        For a process assessed twice or answers to questions the questionnaire lacks.

    Examples
    --------
    >>> from pmsm_core.processes.maturity import default_questionnaire
    >>> qn = default_questionnaire()
    >>> a = MaturityAssessment("2026", qn, [ProcessAssessment("SO2", [Answer("L2-process", 1.0)])])
    >>> a.assessment("SO2").score_of("L2-process")
    1.0
    >>> MaturityAssessment("x", qn, [ProcessAssessment("SO2", [Answer("nope", 1.0)])])
    Traceback (most recent call last):
    ...
    pmsm_core.exceptions.ValidationError: processes[0].answers[0].question: unknown question 'nope'
    """

    id: str = attrs.field(validator=check_id)
    questionnaire: Questionnaire = attrs.field(validator=instance_of(Questionnaire))
    processes: tuple[ProcessAssessment, ...] = attrs.field(
        default=(), converter=to_tuple, validator=tuple_of(ProcessAssessment)
    )
    catalogue: str = attrs.field(default="", kw_only=True, validator=check_str)
    default_target: MaturityLevel | None = attrs.field(
        default=None, kw_only=True, validator=instance_of(MaturityLevel, optional=True)
    )
    description: str = attrs.field(default="", kw_only=True, validator=check_str)

    _index: dict[str, int] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        index: dict[str, int] = {}
        for i, pa in enumerate(self.processes):
            if pa.process in index:
                problems.append(
                    Problem(f"processes[{i}].process", f"process {pa.process!r} assessed twice")
                )
            else:
                index[pa.process] = i
            for j, answer in enumerate(pa.answers):
                if answer.question not in self.questionnaire:
                    problems.append(
                        Problem(
                            f"processes[{i}].answers[{j}].question",
                            f"unknown question {answer.question!r}",
                        )
                    )
        if problems:
            raise ValidationError(problems)
        object.__setattr__(self, "_index", index)

    def __repr__(self) -> str:
        return f"MaturityAssessment(id={self.id!r}, processes={len(self.processes)})"

    def assessment(self, process_id: str) -> ProcessAssessment:
        """The assessment of ``process_id``.

        Raises
        ------
        KeyError
            If the process was not assessed.
        """
        return self.processes[self._index[process_id]]

    def target_of(self, process_id: str) -> MaturityLevel | None:
        """The target level of a process: its own, else the assessment's default."""
        own = self.assessment(process_id).target
        return own if own is not None else self.default_target
