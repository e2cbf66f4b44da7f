"""Process values and catalogues: validation, JSON documents, loading, extending, tailoring."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.strategies_processes import catalogues, maturity_assessments, measurement_models

import pmsm_core as pm
from pmsm_core import (
    Catalogue,
    Crosswalk,
    CrosswalkEntry,
    DocumentError,
    Duration,
    Interface,
    LifecycleStage,
    MaturityLevel,
    Principle,
    Process,
    ProcessKPI,
    ValidationError,
)
from pmsm_core.io.json import dumps, loads, structure, unstructure
from pmsm_core.processes.catalog import (
    extend_catalogue,
    load_catalogue,
    load_crosswalk,
    tailor_catalogue,
)


def paths(exc: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return [p.path for p in exc.value.problems]


def doc(catalogue: dict[str, object]) -> str:
    return json.dumps({"schema_version": 1, "process_catalogue": catalogue})


class TestProcess:
    def test_name_required(self) -> None:
        """A process needs a name."""
        with pytest.raises(ValidationError, match="name must be a non-empty string"):
            Process("A", " ")

    def test_artefacts_unique_ignoring_case_and_spaces(self) -> None:
        """Inputs may not list the same artefact twice, whatever its spelling."""
        with pytest.raises(ValidationError) as exc:
            Process("A", "a", outputs=["Change  Request", "change request"])
        assert paths(exc) == ["outputs[1]"]

    def test_empty_artefact_name(self) -> None:
        """Artefact names are non-empty strings."""
        with pytest.raises(ValidationError, match=r"inputs\[0\] must be a non-empty artefact"):
            Process("A", "a", inputs=[""])

    def test_negative_cycle_time(self) -> None:
        """Cycle times are not negative."""
        with pytest.raises(ValidationError, match="must not be negative"):
            Process("A", "a", cycle_time=Duration(-5))

    def test_capacity_and_rate(self) -> None:
        """Capacity is a whole number >= 1, arrival rates are >= 0."""
        with pytest.raises(ValidationError, match="capacity must be >= 1"):
            Process("A", "a", capacity=0)
        with pytest.raises(ValidationError, match="arrival_rate must be >= 0"):
            Process("A", "a", arrival_rate=-1.0)

    def test_duplicate_kpi(self) -> None:
        """KPI ids are unique within a process."""
        with pytest.raises(ValidationError, match="duplicate KPI id 'k'"):
            Process("A", "a", kpis=[ProcessKPI("k", "x"), ProcessKPI("k", "y")])

    def test_area(self) -> None:
        """The area joins the stage, group and practice group that are set."""
        p = Process("A", "a", stage=LifecycleStage.SERVICE_DESIGN, group=pm.ProcessGroup.PLANNING)
        assert p.area_label == "Service Design / Planning"
        assert Process("B", "b").area == ()


class TestInterface:
    def test_self_hand_off(self) -> None:
        """A process cannot hand an artefact to itself."""
        with pytest.raises(ValidationError, match="to itself"):
            Interface("A", "A", "x")

    def test_bad_id(self) -> None:
        """Interface ids are trimmed non-empty strings."""
        with pytest.raises(ValidationError, match="id must be a non-empty string"):
            Interface("A", "B", "x", id=" I1")


class TestCatalogue:
    def test_collects_every_problem(self) -> None:
        """Duplicate ids, unknown ends, repeated hand-offs and clashes are all reported."""
        with pytest.raises(ValidationError) as exc:
            Catalogue(
                "c",
                processes=[Process("A", "a"), Process("A", "a2"), Process("B", "b")],
                interfaces=[
                    Interface("A", "Z", "x", id="I1"),
                    Interface("A", "B", "x", id="I1"),
                    Interface("A", "B", "X "),
                ],
                principles=[Principle("B", "clash"), Principle("P", "p"), Principle("P", "q")],
            )
        assert paths(exc) == [
            "processes[1].id",
            "principles[0].id",
            "principles[2].id",
            "interfaces[0].target",
            "interfaces[1].id",
            "interfaces[2]",
        ]

    def test_cycle_time_kinds_not_mixed(self) -> None:
        """Working and elapsed cycle times cannot be mixed in one catalogue."""
        with pytest.raises(ValidationError, match="use one kind of time") as exc:
            Catalogue(
                "c",
                processes=[
                    Process("A", "a", cycle_time=Duration.from_hours(2)),
                    Process("B", "b", cycle_time=Duration.from_days(1, elapsed=True)),
                ],
            )
        assert paths(exc) == ["processes[1].cycle_time"]

    def test_queries(self) -> None:
        """process(), index_of(), of_kind() and count_by() answer from the catalogue."""
        cat = load_catalogue("itil2011")
        assert cat.index_of("SO2") == 21
        with pytest.raises(KeyError):
            cat.process("nope")
        assert cat.count_by("kind")[pm.ProcessKind.FUNCTION] == 4
        assert repr(cat) == "Catalogue(id='itil2011', processes=30, interfaces=66)"


class TestDocuments:
    @given(catalogues(rich=True))
    def test_round_trip(self, cat: Catalogue) -> None:
        """loads(dumps(c)) == c and structure(unstructure(c)) == c."""
        assert loads(dumps(cat)) == cat
        assert structure(unstructure(cat), Catalogue) == cat

    @given(maturity_assessments())
    def test_assessment_round_trip(self, assessment: pm.MaturityAssessment) -> None:
        """Maturity assessments survive the converter; levels are written as numbers."""
        data = unstructure(assessment)
        assert structure(data, pm.MaturityAssessment) == assessment
        assert all(isinstance(q["level"], int) for q in data["questionnaire"]["questions"])

    @given(measurement_models())
    def test_measurement_model_round_trip(self, model: pm.MeasurementModel) -> None:
        """KPI hierarchies survive the converter."""
        assert structure(unstructure(model), pm.MeasurementModel) == model

    def test_crosswalk_round_trip(self) -> None:
        """The shipped crosswalk survives the converter."""
        cw = load_crosswalk("itil2011-itil4")
        assert structure(unstructure(cw), Crosswalk) == cw

    def test_errors_have_json_paths(self) -> None:
        """Unknown keys, bad enums and rule breaks come back together with their paths."""
        text = doc(
            {
                "id": "c",
                "processes": [
                    {"id": "A", "name": "a", "stage": "service-nothing"},
                    {"id": "B", "name": "b", "colour": "red"},
                    {"id": "C", "name": "c", "cycle_time": "three days"},
                ],
                "interfaces": [{"source": "A", "target": "B"}],
            }
        )
        with pytest.raises(DocumentError) as exc:
            loads(text)
        found = paths(exc)
        assert "$.process_catalogue.processes[0].stage" in found
        assert "$.process_catalogue.processes[1]" in found
        assert "$.process_catalogue.processes[2].cycle_time" in found
        assert "$.process_catalogue.interfaces[0].artefact" in found

    def test_cross_object_problem_paths(self) -> None:
        """Problems found by the catalogue carry the document path too."""
        text = doc(
            {
                "id": "c",
                "processes": [{"id": "A", "name": "a"}],
                "interfaces": [{"source": "A", "target": "Q", "artefact": "x"}],
            }
        )
        with pytest.raises(DocumentError) as exc:
            loads(text)
        assert paths(exc) == ["$.process_catalogue.interfaces[0].target"]

    @pytest.mark.parametrize("bad", [True, 3.0, "3", 0, 6])
    def test_maturity_level_strict(self, bad: object) -> None:
        """A level is a whole number from 1 to 5: not true, 3.0 or '3'."""
        with pytest.raises(DocumentError, match="expected one of 1, 2, 3, 4, 5"):
            structure({"process": "A", "answers": [], "target": bad}, pm.ProcessAssessment)
        assert structure({"process": "A", "target": 3}, pm.ProcessAssessment).target is (
            MaturityLevel.DEFINED
        )

    @given(
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
            lambda inner: (
                st.lists(inner, max_size=4)
                | st.dictionaries(
                    st.sampled_from(
                        [
                            "id",
                            "name",
                            "processes",
                            "inputs",
                            "interfaces",
                            "source",
                            "target",
                            "artefact",
                            "cycle_time",
                            "kpis",
                            "stage",
                            "x",
                        ]
                    ),
                    inner,
                    max_size=5,
                )
            ),
            max_leaves=20,
        )
    )
    def test_hostile_documents(self, payload: object) -> None:
        """Whatever the JSON, reading fails only with DocumentError."""
        text = json.dumps({"schema_version": 1, "process_catalogue": payload})
        with contextlib.suppress(DocumentError):
            loads(text)


class TestLoading:
    def test_unknown_name(self) -> None:
        """An unknown catalogue name lists the shipped ones."""
        with pytest.raises(DocumentError, match="use one of itil2011, itil4, pmbok6, pmbok7"):
            load_catalogue("itil3")

    def test_file(self, tmp_path: Path) -> None:
        """A catalogue document is read from a file, and files are checked like any document."""
        mine = tailor_catalogue(load_catalogue("itil2011"), keep=["SO2", "SO4"], id="mine")
        path = tmp_path / "mine.json"
        pm.dump(mine, path)
        assert load_catalogue(path) == mine
        assert load_catalogue(str(path)) == mine
        with pytest.raises(DocumentError, match="cannot read"):
            load_catalogue(tmp_path / "missing.json")

    def test_wrong_kind_of_document(self, tmp_path: Path) -> None:
        """A project document is not a catalogue."""
        path = tmp_path / "p.json"
        pm.dump(pm.Project("P"), path)
        with pytest.raises(DocumentError, match="expected a Catalogue document"):
            load_catalogue(path)

    def test_crosswalk_file(self, tmp_path: Path) -> None:
        """Crosswalks load from files; bad envelopes and paths are reported."""
        cw = Crosswalk("x", entries=[CrosswalkEntry("A", ["b"])])
        path = tmp_path / "cw.json"
        path.write_text(json.dumps({"schema_version": 1, "process_crosswalk": unstructure(cw)}))
        assert load_crosswalk(path) == cw
        path.write_text(json.dumps({"schema_version": 1, "process_crosswalk": {"id": 5}}))
        with pytest.raises(DocumentError) as exc:
            load_crosswalk(path)
        assert paths(exc) == ["$.process_crosswalk.id"]
        path.write_text("{}")
        with pytest.raises(DocumentError, match="exactly the keys"):
            load_crosswalk(path)
        path.write_text("{")
        with pytest.raises(DocumentError, match="not valid JSON"):
            load_crosswalk(path)
        with pytest.raises(DocumentError, match="cannot read crosswalk"):
            load_crosswalk(tmp_path / "nope.json")


class TestCrosswalkValues:
    def test_duplicates(self) -> None:
        """A source is mapped once; a row lists each target once."""
        with pytest.raises(ValidationError, match="mapped twice"):
            Crosswalk("x", entries=[CrosswalkEntry("A"), CrosswalkEntry("A", ["b"])])
        with pytest.raises(ValidationError, match="lists a target twice"):
            CrosswalkEntry("A", ["b", "b"])

    def test_check_against_catalogues(self) -> None:
        """check() names every id missing from either catalogue."""
        cw = Crosswalk("x", entries=[CrosswalkEntry("SO2", ["nope"]), CrosswalkEntry("Q", [])])
        with pytest.raises(ValidationError) as exc:
            cw.check(load_catalogue("itil2011"), load_catalogue("itil4"))
        assert paths(exc) == ["entries[0].targets[0]", "entries[1].source"]


class TestExtendAndTailor:
    def test_extend_appends_and_replaces(self) -> None:
        """New processes are appended; replace=True swaps one with the same id."""
        base = load_catalogue("pmbok7")
        new = Process("PD9", "Sustainability", kind=pm.ProcessKind.PERFORMANCE_DOMAIN)
        bigger = extend_catalogue(
            base,
            processes=[new],
            interfaces=[Interface("PD9", "PD4", "sustainability goals")],
            external_inputs=["regulation", "REGULATION"],
            id="pmbok7-plus",
        )
        assert len(bigger) == 9 and bigger.process("PD9") == new
        assert bigger.external_inputs == ("regulation",)
        assert base.id == "pmbok7" and len(base) == 8
        swapped = extend_catalogue(base, processes=[Process("PD2", "Crew")], replace=True)
        assert swapped.process("PD2").name == "Crew" and swapped.index_of("PD2") == 1

    def test_extend_rejects_duplicates(self) -> None:
        """Without replace, an id already in the catalogue is an error."""
        with pytest.raises(ValidationError, match="duplicate process id 'PD2'"):
            extend_catalogue(load_catalogue("pmbok7"), processes=[Process("PD2", "Crew")])

    def test_tailor_drops_interfaces_with_processes(self) -> None:
        """Dropping a process drops its interfaces; drop_interfaces removes by id."""
        cat = tailor_catalogue(load_catalogue("itil2011"), drop=["ST2"], drop_interfaces=["I1"])
        assert "ST2" not in cat and len(cat) == 29
        assert all("ST2" not in (i.source, i.target) for i in cat.interfaces)
        assert "I1" not in {i.id for i in cat.interfaces}

    def test_tailor_changes_fields(self) -> None:
        """changes edits fields of named processes and validates the new values."""
        cat = tailor_catalogue(
            load_catalogue("itil2011"),
            changes={"SO2": {"cycle_time": Duration.from_hours(4), "arrival_rate": 3.0}},
        )
        assert cat.process("SO2").arrival_rate == 3.0
        with pytest.raises(ValidationError) as exc:
            tailor_catalogue(cat, changes={"SO2": {"capacity": 0}})
        assert paths(exc) == ["changes['SO2'].capacity"]

    def test_tailor_errors(self) -> None:
        """Unknown ids, interfaces and fields are reported together."""
        with pytest.raises(ValidationError) as exc:
            tailor_catalogue(
                load_catalogue("itil2011"),
                keep=["SO2", "XX"],
                drop=["YY"],
                drop_interfaces=["I99"],
                changes={"ZZ": {}, "SO2": {"colour": "red", "id": "new"}, "SO4": 5},  # type: ignore[dict-item]
            )
        assert paths(exc) == [
            "keep[1]",
            "drop[0]",
            "drop_interfaces[0]",
            "changes['ZZ']",
            "changes['SO2'].colour",
            "changes['SO2'].id",
            "changes['SO4']",
        ]

    def test_tailor_wants_lists(self) -> None:
        """A single string is not mistaken for a list of one-letter ids."""
        with pytest.raises(ValidationError, match="expected a list of ids"):
            tailor_catalogue(load_catalogue("itil2011"), keep="SO2")
