"""JSON documents: round trips, strict reading, error paths, hostile input."""

from __future__ import annotations

import contextlib
import json
import math
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.strategies import calendars, durations, projects

import pmsm_core as pm
from pmsm_core import DocumentError, PmsmError, Project
from pmsm_core.examples import example_text
from pmsm_core.io import read
from pmsm_core.io.json import (
    SCHEMA_VERSION,
    dump,
    dumps,
    load,
    loads,
    make_converter,
    structure,
    unstructure,
)


def paths(exc: pytest.ExceptionInfo[DocumentError]) -> list[str]:
    return [p.path for p in exc.value.problems]


class TestRoundTrip:
    @given(projects())
    def test_project_round_trip(self, project: Project) -> None:
        """loads(dumps(p)) == p and structure(unstructure(p)) == p."""
        assert loads(dumps(project)) == project
        assert structure(unstructure(project), Project) == project

    @given(calendars())
    def test_calendar_round_trip(self, cal: pm.WorkCalendar) -> None:
        """Calendars survive the converter."""
        assert structure(unstructure(cal), pm.WorkCalendar) == cal

    @given(durations(elapsed=None, negative=True))
    def test_duration_round_trip_keeps_unit(self, d: pm.Duration) -> None:
        """Durations keep their length, kind and display unit."""
        back = structure(unstructure(d), pm.Duration)
        assert back == d and back.unit == d.unit

    def test_every_model_value_round_trips(self, small_project: Project) -> None:
        """Each value class of the demo project round-trips on its own too."""
        project = pm.demo_project()
        conv = make_converter()
        for value in [
            *project.activities,
            *project.dependencies,
            *project.risks,
            *project.resources,
            *project.stakeholders,
            *project.procurement,
            *project.quality_metrics,
            *project.phases,
            project.triple_constraint,
        ]:
            assert conv.structure(conv.unstructure(value), type(value)) == value

    def test_files(self, tmp_path: Path, small_project: Project) -> None:
        """dump/load through a file, and read() by extension."""
        path = tmp_path / "p.json"
        dump(small_project, path)
        assert load(path) == small_project
        assert read(path) == small_project

    def test_document_envelope(self, small_project: Project) -> None:
        """Documents carry the schema version and the kind key."""
        doc = json.loads(dumps(small_project))
        assert doc["schema_version"] == SCHEMA_VERSION
        assert set(doc) == {"schema_version", "project"}

    def test_readable_forms(self, small_project: Project) -> None:
        """Durations, datetimes and lags are written as people write them."""
        doc = json.loads(dumps(small_project))["project"]
        assert doc["start"] == "2026-01-05T08:00"
        assert doc["activities"][0]["duration"] == "2d"
        assert doc["dependencies"][1] == {
            "predecessor": "B",
            "successor": "C",
            "type": "SS",
            "lag": "1d",
        }

    def test_project_factors_apply_to_days(self) -> None:
        """'1d' means the project's minutes per day."""
        text = json.dumps(
            {
                "schema_version": 1,
                "project": {
                    "id": "P",
                    "start": "2026-01-05T08:00",
                    "minutes_per_day": 450,
                    "activities": [{"id": "A", "duration": "2d"}],
                },
            }
        )
        project = loads(text)
        assert project.activities[0].duration.minutes == 900
        assert json.loads(dumps(project))["project"]["activities"][0]["duration"] == "2d"

    def test_undated_durations_are_numbers(self) -> None:
        """An undated project writes durations as plain units."""
        p = Project("P", activities=[pm.Activity("A", duration=pm.Duration(7))])
        assert json.loads(dumps(p))["project"]["activities"][0]["duration"] == 7


class TestErrors:
    def load_project(self, project: dict[str, Any]) -> Any:
        return loads(json.dumps({"schema_version": 1, "project": project}))

    def test_paths_for_field_errors(self) -> None:
        """Each wrong value is reported with its JSON path."""
        with pytest.raises(DocumentError) as exc:
            self.load_project(
                {
                    "id": "P",
                    "colour": "red",
                    "activities": [
                        {"id": "A", "duration": "x"},
                        {"id": 5},
                        {"id": "C", "cost": "12"},
                    ],
                    "dependencies": [{"predecessor": "A", "successor": "C", "type": "XX"}],
                }
            )
        assert paths(exc) == [
            "$.project.activities[0].duration",
            "$.project.activities[1].id",
            "$.project.activities[2].cost",
            "$.project.dependencies[0].type",
            "$.project",
        ]
        assert "unknown key(s) ['colour']" in str(exc.value)
        assert "expected one of 'FS', 'SS', 'FF', 'SF'" in str(exc.value)

    def test_paths_for_cross_object_errors(self) -> None:
        """Reference errors from the project checks carry full paths too."""
        with pytest.raises(DocumentError) as exc:
            self.load_project(
                {
                    "id": "P",
                    "activities": [{"id": "A"}],
                    "dependencies": [{"predecessor": "A", "successor": "B"}],
                }
            )
        assert paths(exc) == ["$.project.dependencies[0].successor"]

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("", "not valid JSON"),
            ("[1, 2]", "a document is a JSON object"),
            ('{"project": {"id": "P"}}', "missing"),
            ('{"schema_version": "1", "project": {"id": "P"}}', "whole number"),
            ('{"schema_version": 99, "project": {"id": "P"}}', "newer than this library"),
            ('{"schema_version": 0, "project": {"id": "P"}}', "unknown schema version"),
            ('{"schema_version": 1, "thing": {}}', "unknown key"),
            ('{"schema_version": 1}', "expected exactly one of"),
            (
                '{"schema_version": 1, "project": {"id": "P", "minutes_per_day": NaN}}',
                "not a valid JSON number",
            ),
            (
                '{"schema_version": 1, "project": {"id": "P", "start": "2026-01-05T08:00+02:00"}}',
                "time zone",
            ),
            (
                '{"schema_version": 1, "project": {"id": "P", "activities": {"a": 1}}}',
                "expected a list",
            ),
            ('{"schema_version": 1, "project": [1]}', "expected an object"),
        ],
    )
    def test_envelope_and_type_errors(self, text: str, message: str) -> None:
        """Broken envelopes and JSON types give a DocumentError naming the problem."""
        with pytest.raises(DocumentError, match=message):
            loads(text)

    def test_deep_nesting(self) -> None:
        """Deeply nested input is a DocumentError, never a RecursionError."""
        with pytest.raises(DocumentError, match=r"nested too deeply|invalid|expected"):
            loads('{"schema_version": 1, "project": ' + "[" * 100_000 + "]" * 100_000 + "}")

    def test_huge_numbers(self) -> None:
        """Huge integers and floats are rejected with a clear message."""
        with pytest.raises(DocumentError, match="minutes"):
            self.load_project({"id": "P", "activities": [{"id": "A", "duration": 10**30}]})
        with pytest.raises(DocumentError, match="finite"):
            loads(
                '{"schema_version": 1, "project": {"id": "P", "activities": [{"id": "A", "cost": 1e400}]}}'
            )
        with pytest.raises(DocumentError):
            loads(
                '{"schema_version": 1, "project": {"id": "P", "minutes_per_day": 1'
                + "0" * 5000
                + "}}"
            )

    def test_missing_file(self, tmp_path: Path) -> None:
        """A missing file is a DocumentError naming the file."""
        with pytest.raises(DocumentError, match="cannot read"):
            load(tmp_path / "none.json")

    def test_wrong_kind(self) -> None:
        """Asking for a specific class checks the document kind."""
        with pytest.raises(DocumentError, match="expected a WorkCalendar document"):
            loads(dumps(Project("P")), pm.WorkCalendar)


def broken_demo(*, field_error: bool = True, references: bool = True) -> dict[str, Any]:
    """The demo project document with a negative duration and four broken references."""
    doc: dict[str, Any] = json.loads(example_text("service-desk-launch"))
    project = doc["project"]
    if field_error:
        project["activities"][3]["duration"] = "-2d"
    if references:
        project["dependencies"][0]["predecessor"] = "NOPE"
        project["activities"].append({"id": "I1", "name": "Copy of the charter"})
        project["activities"][5]["calendar"] = "night-shift"
        project["activities"][6]["assignments"][0]["resource"] = "GHOST"
    return doc


#: Every problem of ``broken_demo()``, in the order they are reported.
BROKEN_DEMO_PROBLEMS = [
    ("$.project.activities[3].duration", "activity 'I3': duration must not be negative, got -2d"),
    ("$.project.activities[32].id", "duplicate activity id 'I1'"),
    ("$.project.activities[5].calendar", "activity 'P1': unknown calendar 'night-shift'"),
    (
        "$.project.activities[6].assignments[0].resource",
        "activity 'P2': unknown resource 'GHOST'",
    ),
    ("$.project.dependencies[0].predecessor", "unknown activity 'NOPE'"),
]


def problems_of(doc: dict[str, Any]) -> list[tuple[str, str]]:
    with pytest.raises(DocumentError) as exc:
        loads(json.dumps(doc))
    return [(p.path, p.message) for p in exc.value.problems]


class TestMixedErrors:
    """Field errors do not hide the project's cross-object checks."""

    def load_project(self, project: dict[str, Any]) -> list[tuple[str, str]]:
        return problems_of({"schema_version": 1, "project": project})

    def test_field_and_reference_errors_together(self) -> None:
        """A bad field and broken references are all reported, each once, with its path."""
        assert problems_of(broken_demo()) == BROKEN_DEMO_PROBLEMS

    def test_union_of_the_separate_reports(self) -> None:
        """Mixed errors report what the field errors and the reference errors report apart."""
        fields = problems_of(broken_demo(references=False))
        references = problems_of(broken_demo(field_error=False))
        assert problems_of(broken_demo()) == fields + references

    def test_structure_reports_them_too(self) -> None:
        """structure() lists the same problems, rooted at $."""
        with pytest.raises(DocumentError) as exc:
            structure(broken_demo()["project"], Project)
        expected = [(path.replace("$.project", "$"), m) for path, m in BROKEN_DEMO_PROBLEMS]
        assert [(p.path, p.message) for p in exc.value.problems] == expected

    def test_dropped_items_keep_document_indices(self) -> None:
        """Items that cannot be read are left out, and later paths still count them."""
        problems = self.load_project(
            {
                "id": "P",
                "activities": [{"id": 5}, {"id": "A"}, {"id": "B", "parent": "Q"}],
                "dependencies": [
                    {"predecessor": 5, "successor": "B"},
                    {"predecessor": "A", "successor": "B"},
                    {"predecessor": "A", "successor": "X"},
                    {"predecessor": "A", "successor": "B", "lag": "1d"},
                ],
            }
        )
        assert problems == [
            ("$.project.activities[0].id", "expected a string, got 5"),
            ("$.project.dependencies[0].predecessor", "expected a string, got 5"),
            ("$.project.activities[2].parent", "activity 'B': unknown parent activity 'Q'"),
            ("$.project.dependencies[2].successor", "unknown activity 'X'"),
            (
                "$.project.dependencies[3]",
                "duplicate link 'A' -> 'B' (also dependencies[1]); keep one link per pair",
            ),
        ]

    def test_nested_items(self) -> None:
        """Broken assignments are left out; the others are still checked."""
        problems = self.load_project(
            {
                "id": "P",
                "resources": [{"id": "R"}],
                "activities": [
                    {
                        "id": "A",
                        "assignments": [
                            {"resource": 5},
                            {"resource": "R", "units": "x"},
                            {"resource": "Q"},
                        ],
                    }
                ],
            }
        )
        assert [path for path, _ in problems] == [
            "$.project.activities[0].assignments[0].resource",
            "$.project.activities[0].assignments[1].units",
            "$.project.activities[0].assignments[2].resource",
        ]

    def test_project_field_checks_do_not_hide_references(self) -> None:
        """A project field out of range and a broken reference are both reported."""
        problems = self.load_project(
            {
                "id": "P",
                "minutes_per_day": 0,
                "activities": [{"id": "A"}],
                "dependencies": [{"predecessor": "A", "successor": "Z"}],
            }
        )
        assert [path for path, _ in problems] == [
            "$.project.minutes_per_day",
            "$.project.dependencies[0].successor",
        ]

    def test_each_object_reports_all_its_problems(self) -> None:
        """A wrong JSON type does not hide a rule broken by another field of the same object."""
        problems = self.load_project(
            {"id": "P", "activities": [{"id": "B", "milestone": "yes", "duration": "-3d"}]}
        )
        assert [path for path, _ in problems] == [
            "$.project.activities[0].milestone",
            "$.project.activities[0].duration",
        ]

    def test_broken_start_keeps_the_project_dated(self) -> None:
        """A broken start is one problem, not one per calendar or date of a dated project."""
        problems = self.load_project(
            {
                "id": "P",
                "start": "soon",
                "calendars": [{"id": "c"}],
                "activities": [
                    {"id": "A", "calendar": "c", "deadline": "2026-01-30T17:00"},
                    {"id": "B", "calendar": "d"},
                ],
            }
        )
        assert [path for path, _ in problems] == [
            "$.project.start",
            "$.project.activities[1].calendar",
        ]

    @pytest.mark.parametrize(
        "project",
        [
            {"id": "P", "activities": {"A": {"id": "A"}}},
            {"id": "P", "activites": [{"id": "A"}]},
            {"id": "P", "activities": [{"id": "A"}], "colour": {"id": "x"}},
        ],
        ids=["activities-not-a-list", "misspelt-key", "unknown-key-holding-ids"],
    )
    def test_lost_ids_skip_reference_checks(self, project: dict[str, Any]) -> None:
        """When values holding ids cannot be read, references to them are not called unknown."""
        project["dependencies"] = [{"predecessor": "A", "successor": "B"}]
        problems = self.load_project(project)
        assert len(problems) == 1
        assert "unknown activity" not in problems[0][1]


def _mutations() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(10**30), max_value=10**30),
        st.floats(allow_nan=False),
        st.text(max_size=8),
        st.just([]),
        st.just({}),
        st.just("2026-02-30T08:00"),
        st.just("1e999d"),
        st.just("-5d"),
        st.lists(st.integers(), max_size=3),
        st.dictionaries(st.text(max_size=4), st.integers(), max_size=2),
    )


def _mutate(doc: Any, data: st.DataObject) -> Any:
    """Replace, delete or add one value somewhere in a JSON document."""
    containers = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            containers.append(node)
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            containers.append(node)
            for v in node:
                walk(v)

    walk(doc)
    target = data.draw(st.sampled_from(containers))
    action = data.draw(st.sampled_from(["replace", "delete", "add"]))
    if isinstance(target, dict):
        keys = sorted(target)
        if action == "add" or not keys:
            target[data.draw(st.text(min_size=1, max_size=6))] = data.draw(_mutations())
        else:
            key = data.draw(st.sampled_from(keys))
            if action == "delete":
                del target[key]
            else:
                target[key] = data.draw(_mutations())
    else:
        if action == "add" or not target:
            target.append(data.draw(_mutations()))
        else:
            i = data.draw(st.integers(0, len(target) - 1))
            if action == "delete":
                del target[i]
            else:
                target[i] = data.draw(_mutations())
    return doc


class TestFuzz:
    @given(projects(), st.data())
    def test_mutated_documents_raise_only_pmsm_errors(
        self, project: Project, data: st.DataObject
    ) -> None:
        """Any single mutation of a valid document loads or raises a PmsmError."""
        doc = json.loads(dumps(project))
        for _ in range(data.draw(st.integers(1, 3))):
            doc = _mutate(doc, data)
        try:
            text = json.dumps(doc)
        except (ValueError, OverflowError):
            return
        error: PmsmError | None = None
        try:
            loads(text)
        except PmsmError as exc:
            error = exc
        if error is not None:
            assert str(error)
            problems = error.problems  # type: ignore[attr-defined]
            assert all(p.path.startswith("$") for p in problems)
            assert len(set(problems)) == len(problems)

    @given(st.binary(max_size=200))
    def test_random_bytes(self, blob: bytes) -> None:
        """Random bytes never escape as anything but a DocumentError."""
        with contextlib.suppress(DocumentError):
            loads(blob)


def test_datetime_forms() -> None:
    """Dates and datetimes are written in ISO form."""
    conv = make_converter()
    assert conv.unstructure(datetime(2026, 1, 5, 8)) == "2026-01-05T08:00"
    assert conv.unstructure(date(2026, 12, 25)) == "2026-12-25"
    assert not math.isnan(conv.structure(1, float))
