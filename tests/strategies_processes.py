"""Hypothesis strategies for processes, catalogues, measurement and maturity values.

Valid by construction, with keyword knobs for the shapes the properties need.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from pmsm_core import (
    Answer,
    AssessmentArea,
    Catalogue,
    Duration,
    Interface,
    KnowledgeArea,
    LifecycleStage,
    MaturityAssessment,
    MaturityLevel,
    Measure,
    MeasureDirection,
    MeasureLevel,
    MeasurementModel,
    Principle,
    Process,
    ProcessAssessment,
    ProcessGroup,
    ProcessKind,
    ProcessKPI,
    Provenance,
    Question,
    Questionnaire,
)

ARTEFACTS = [f"artefact {i}" for i in range(8)]
texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12
)
finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)


@st.composite
def kpis(draw: Any, *, index: int = 0) -> ProcessKPI:
    """A KPI with an optional target."""
    return ProcessKPI(
        f"k{index}",
        draw(st.sampled_from(["Lead time", "First-time right", "Backlog"])),
        unit=draw(st.sampled_from(["", "%", "hours"])),
        direction=draw(st.sampled_from(list(MeasureDirection))),
        target=draw(st.none() | finite),
    )


@st.composite
def processes(
    draw: Any,
    pid: str,
    *,
    artefacts: list[str] = ARTEFACTS,
    cycle_times: bool = True,
    rich: bool = False,
) -> Process:
    """A process named ``pid`` with random inputs and outputs from ``artefacts``."""
    inputs = draw(st.lists(st.sampled_from(artefacts), unique=True, max_size=3))
    outputs = draw(st.lists(st.sampled_from(artefacts), unique=True, max_size=3))
    kwargs: dict[str, Any] = {}
    if cycle_times:
        kwargs["cycle_time"] = draw(st.none() | st.integers(0, 5000).map(Duration))
    if rich:
        kwargs.update(
            kind=draw(st.sampled_from(list(ProcessKind))),
            framework=draw(texts),
            edition=draw(texts),
            stage=draw(st.none() | st.sampled_from(list(LifecycleStage))),
            group=draw(st.none() | st.sampled_from(list(ProcessGroup))),
            knowledge_area=draw(st.none() | st.sampled_from(list(KnowledgeArea))),
            purpose=draw(texts),
            roles=draw(st.lists(texts, max_size=2)),
            activities=draw(st.lists(texts, max_size=2)),
            kpis=[draw(kpis(index=i)) for i in range(draw(st.integers(0, 2)))],
            arrival_rate=draw(st.none() | st.floats(0, 100, allow_nan=False)),
            capacity=draw(st.none() | st.integers(1, 50)),
            notes=draw(texts),
        )
    return Process(pid, f"Process {pid}", inputs=inputs, outputs=outputs, **kwargs)


@st.composite
def catalogues(
    draw: Any,
    *,
    min_processes: int = 0,
    max_processes: int = 8,
    max_interfaces: int = 10,
    cycle_times: bool = True,
    rich: bool = False,
) -> Catalogue:
    """A valid catalogue: random processes, interfaces, external artefacts."""
    n = draw(st.integers(min_processes, max_processes))
    ids = [f"P{i}" for i in range(n)]
    procs = [draw(processes(pid, cycle_times=cycle_times, rich=rich)) for pid in ids]
    interfaces: list[Interface] = []
    seen: set[tuple[str, str, str]] = set()
    if n >= 2:
        for k in range(draw(st.integers(0, max_interfaces))):
            a, b = draw(st.lists(st.sampled_from(ids), min_size=2, max_size=2, unique=True))
            art = draw(st.sampled_from(ARTEFACTS))
            if (a, b, art) in seen:
                continue
            seen.add((a, b, art))
            interfaces.append(
                Interface(
                    a,
                    b,
                    art,
                    id=draw(st.none() | st.just(f"I{k}")),
                    provenance=draw(st.sampled_from(list(Provenance))),
                )
            )
    principles = []
    if rich:
        principles = [Principle(f"PR{i}", f"Principle {i}") for i in range(draw(st.integers(0, 2)))]
    return Catalogue(
        draw(st.sampled_from(["c", "cat-1", "mine"])),
        draw(texts),
        framework=draw(texts) if rich else "",
        processes=procs,
        interfaces=interfaces,
        principles=principles,
        external_inputs=draw(st.lists(st.sampled_from(ARTEFACTS), unique=True, max_size=2)),
        external_outputs=draw(st.lists(st.sampled_from(ARTEFACTS), unique=True, max_size=2)),
    )


@st.composite
def measurement_models(draw: Any, *, max_per_level: int = 3) -> MeasurementModel:
    """A three-level KPI hierarchy with random links one level up."""
    measures: list[Measure] = []
    above: list[str] = []
    for level in reversed(list(MeasureLevel)):
        ids = [f"{level.value[0]}{i}" for i in range(draw(st.integers(1, max_per_level)))]
        measures.extend(
            Measure(
                mid,
                f"Measure {mid}",
                level,
                target=draw(st.none() | st.floats(-100, 100, allow_nan=False)),
                direction=draw(st.sampled_from(list(MeasureDirection))),
                contributes_to=draw(st.lists(st.sampled_from(above), unique=True)) if above else [],
                weight=draw(st.floats(0, 5, allow_nan=False)),
            )
            for mid in ids
        )
        above = ids
    return MeasurementModel("m", measures=measures)


def small_questionnaire(pass_mark: float = 0.75, per_level: int = 2) -> Questionnaire:
    """``per_level`` questions for each level 2..5, ids ``q<level><n>``."""
    areas = list(AssessmentArea)
    return Questionnaire(
        "small",
        questions=[
            Question(
                f"q{lvl}{n}", f"Practice {n} of level {lvl}", MaturityLevel(lvl), area=areas[n]
            )
            for lvl in (2, 3, 4, 5)
            for n in range(per_level)
        ],
        pass_mark=pass_mark,
    )


@st.composite
def maturity_assessments(draw: Any) -> MaturityAssessment:
    """Random answers for a few processes on the small questionnaire."""
    q = small_questionnaire()
    ids = [x.id for x in q.questions]
    pas = []
    for i in range(draw(st.integers(0, 4))):
        answered = draw(st.lists(st.sampled_from(ids), unique=True))
        pas.append(
            ProcessAssessment(
                f"P{i}",
                [Answer(a, draw(st.floats(0, 1, allow_nan=False))) for a in answered],
                target=draw(st.none() | st.sampled_from(list(MaturityLevel))),
                weight=draw(st.floats(0, 10, allow_nan=False)),
            )
        )
    return MaturityAssessment(
        "a", q, pas, default_target=draw(st.none() | st.sampled_from(list(MaturityLevel)))
    )
