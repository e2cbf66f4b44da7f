"""Shipped process catalogues and the tools to load, extend, tailor and cross-walk them.

The catalogues are JSON documents inside the package (``processes/catalogues/``), read
through the same converter as every other document, so they are validated exactly like a
catalogue of your own:

========== =============================================================================
name       contents
========== =============================================================================
itil2011   26 processes and 4 functions by lifecycle stage, interfaces I1-I34
itil4      34 practices (14 / 17 / 3), the 6 value-chain activities, 7 guiding principles
pmbok6     49 processes on the 5 process groups x 10 knowledge areas grid
pmbok7     8 performance domains and 12 principles
========== =============================================================================

Examples
--------
>>> itil = load_catalogue("itil2011")
>>> len(itil), itil.process("SO2").name
(30, 'Incident management')
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any, Final, TypeVar

import attrs

from pmsm_core.exceptions import DocumentError, Problem, ValidationError
from pmsm_core.model.process import (
    Catalogue,
    Crosswalk,
    Interface,
    Principle,
    Process,
    ProjectServiceLink,
    Provenance,
    artefact_key,
)

__all__ = [
    "CATALOGUES",
    "CROSSWALKS",
    "catalogue_names",
    "extend_catalogue",
    "load_catalogue",
    "load_crosswalk",
    "map_interfaces",
    "project_service_links",
    "tailor_catalogue",
]

T = TypeVar("T")

#: Shipped catalogue name -> data file in ``pmsm_core/processes/catalogues``.
CATALOGUES: Final[dict[str, str]] = {
    "itil2011": "itil2011.json",
    "itil4": "itil4.json",
    "pmbok6": "pmbok6.json",
    "pmbok7": "pmbok7.json",
}

#: Shipped crosswalk name -> data file.
CROSSWALKS: Final[dict[str, str]] = {"itil2011-itil4": "crosswalk_itil2011_itil4.json"}

_DATA: Final = "pmsm_core.processes.catalogues"


def _data_text(filename: str) -> str:
    return resources.files(_DATA).joinpath(filename).read_text(encoding="utf-8")


def catalogue_names() -> tuple[str, ...]:
    """The names of the shipped catalogues.

    Examples
    --------
    >>> catalogue_names()
    ('itil2011', 'itil4', 'pmbok6', 'pmbok7')
    """
    return tuple(CATALOGUES)


@functools.cache
def _shipped(name: str) -> Catalogue:
    from pmsm_core.io.json import loads

    value: Catalogue = loads(_data_text(CATALOGUES[name]), Catalogue)
    return value


def load_catalogue(name: str | os.PathLike[str]) -> Catalogue:
    """Return a shipped catalogue by name, or read a catalogue document from a JSON file.

    Parameters
    ----------
    name
        ``"itil2011"``, ``"itil4"``, ``"pmbok6"``, ``"pmbok7"``, or the path of a JSON
        document ``{"schema_version": 1, "process_catalogue": {...}}``.

    Raises
    ------
    DocumentError
        For an unknown name, a file that cannot be read or an invalid document (every
        problem with its JSON path).

    Examples
    --------
    >>> load_catalogue("pmbok6").process("6.5").name
    'Develop Schedule'
    >>> load_catalogue("itil5")
    Traceback (most recent call last):
    ...
    pmsm_core.exceptions.DocumentError: unknown catalogue 'itil5': use one of itil2011, itil4, ...
    """
    if isinstance(name, str) and name in CATALOGUES:
        return _shipped(name)
    path = Path(name)
    if isinstance(name, str) and path.suffix.lower() != ".json" and not path.exists():
        msg = (
            f"unknown catalogue {name!r}: use one of {', '.join(CATALOGUES)} "
            "or the path of a JSON file"
        )
        raise DocumentError(msg)
    from pmsm_core.io.json import load

    value: Catalogue = load(path, Catalogue)
    return value


def _load_data(filename: str, key: str, cls: Any) -> Any:
    from pmsm_core.io.json import structure

    data = json.loads(_data_text(filename))
    try:
        return structure(data[key], cls)
    except DocumentError as exc:  # pragma: no cover - shipped data is tested
        msg = f"{filename}: $.{key}"
        raise exc.prefixed(msg) from None


def load_crosswalk(name: str | os.PathLike[str]) -> Crosswalk:
    """Return a shipped crosswalk by name, or read one from a JSON file.

    A crosswalk file is ``{"schema_version": 1, "process_crosswalk": {...}}``.

    Raises
    ------
    DocumentError
        For an unknown name or an invalid document.

    Examples
    --------
    >>> cw = load_crosswalk("itil2011-itil4")
    >>> cw.targets("ST4")
    ('release-management', 'deployment-management')
    >>> cw.sources("change-enablement")
    ('ST2', 'ST6')
    """
    if isinstance(name, str) and name in CROSSWALKS:
        return _cached_crosswalk(name)
    path = Path(name)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        known = ", ".join(CROSSWALKS)
        msg = f"cannot read crosswalk {os.fspath(name)!r} ({exc.strerror}); shipped: {known}"
        raise DocumentError(msg, path="$") from None
    return _read_envelope(text, "process_crosswalk", Crosswalk)  # type: ignore[no-any-return]


@functools.cache
def _cached_crosswalk(name: str) -> Crosswalk:
    value: Crosswalk = _load_data(CROSSWALKS[name], "process_crosswalk", Crosswalk)
    return value


def _read_envelope(text: str, key: str, cls: Any) -> Any:
    from pmsm_core.io.json import SCHEMA_VERSION, structure

    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        msg = f"not valid JSON: {exc}"
        raise DocumentError(msg, path="$") from None
    if not isinstance(data, dict) or set(data) != {"schema_version", key}:
        msg = f"expected an object with exactly the keys 'schema_version' and {key!r}"
        raise DocumentError(msg, path="$")
    if data["schema_version"] != SCHEMA_VERSION or isinstance(data["schema_version"], bool):
        msg = f"expected {SCHEMA_VERSION}, got {data['schema_version']!r}"
        raise DocumentError(msg, path="$.schema_version")
    try:
        return structure(data[key], cls)
    except DocumentError as exc:
        raise DocumentError([_reroot(p, key) for p in exc.problems]) from None


def _reroot(problem: Problem, key: str) -> Problem:
    path = problem.path
    rest = path[1:] if path.startswith("$") else ("." + path if path else "")
    return Problem(f"$.{key}{rest}", problem.message)


@functools.cache
def project_service_links() -> tuple[ProjectServiceLink, ...]:
    """How a project's five process groups and a service's five lifecycle stages meet.

    Each :class:`~pmsm_core.ProjectServiceLink` names a process group, a lifecycle stage,
    the direction of the hand-off and the artefact that passes (this library's
    judgement). The concepts page of the documentation is built from this data.

    Examples
    --------
    >>> for link in project_service_links()[:5]:
    ...     print(f"{link.group.label:27} {link.direction.value:19} {link.stage.label}")
    Initiating                  service-to-project  Service Strategy
    Planning                    service-to-project  Service Design
    Executing                   project-to-service  Service Transition
    Monitoring and Controlling  project-to-service  Service Transition
    Closing                     project-to-service  Service Transition
    """
    value: tuple[ProjectServiceLink, ...] = _load_data(
        "project_service.json", "project_service_links", tuple[ProjectServiceLink, ...]
    )
    return value


# --------------------------------------------------------------------------- extend and tailor


def extend_catalogue(
    base: Catalogue,
    *,
    processes: Iterable[Process] = (),
    interfaces: Iterable[Interface] = (),
    principles: Iterable[Principle] = (),
    external_inputs: Iterable[str] = (),
    external_outputs: Iterable[str] = (),
    replace: bool = False,
    id: str | None = None,
    name: str | None = None,
) -> Catalogue:
    """Return ``base`` with more processes, interfaces, principles and external artefacts.

    Parameters
    ----------
    base
        The catalogue to extend (unchanged; values are immutable).
    processes
        New processes, appended in order. With ``replace=True`` a process whose id is
        already in ``base`` takes the place of the old one instead.
    interfaces, principles
        Appended.
    external_inputs, external_outputs
        Appended, skipping names ``base`` already lists.
    id, name
        Identity of the new catalogue (``base``'s by default).

    Raises
    ------
    ValidationError
        When the result breaks a catalogue rule (a duplicate id without ``replace``,
        an interface to an unknown process ...).

    Examples
    --------
    >>> from pmsm_core import Process, Interface, LifecycleStage
    >>> itil = load_catalogue("itil2011")
    >>> mine = extend_catalogue(
    ...     itil,
    ...     processes=[Process("X1", "Vendor escalation", stage=LifecycleStage.SERVICE_OPERATION)],
    ...     interfaces=[Interface("SO2", "X1", "vendor ticket")],
    ...     id="acme-itil",
    ... )
    >>> len(mine), mine.id
    (31, 'acme-itil')
    """
    new_processes = list(base.processes)
    position = {p.id: i for i, p in enumerate(new_processes)}
    for p in processes:
        if replace and p.id in position:
            new_processes[position[p.id]] = p
        else:
            position.setdefault(p.id, len(new_processes))
            new_processes.append(p)
    known_in = {artefact_key(a) for a in base.external_inputs}
    known_out = {artefact_key(a) for a in base.external_outputs}
    return attrs.evolve(
        base,
        id=base.id if id is None else id,
        name=base.name if name is None else name,
        processes=new_processes,
        interfaces=[*base.interfaces, *interfaces],
        principles=[*base.principles, *principles],
        external_inputs=[
            *base.external_inputs,
            *_new_names(external_inputs, known_in),
        ],
        external_outputs=[
            *base.external_outputs,
            *_new_names(external_outputs, known_out),
        ],
    )


def _new_names(names: Iterable[str], known: set[str]) -> list[str]:
    out: list[Any] = []
    items: list[object] = list(names)
    for name in items:
        key = artefact_key(name) if isinstance(name, str) else repr(name)
        if key not in known:
            known.add(key)
            out.append(name)
    return out


def tailor_catalogue(
    catalogue: Catalogue,
    *,
    keep: Iterable[str] | None = None,
    drop: Iterable[str] = (),
    drop_interfaces: Iterable[str] = (),
    changes: Mapping[str, Mapping[str, Any]] | None = None,
    id: str | None = None,
    name: str | None = None,
) -> Catalogue:
    """Return a tailored copy of a catalogue: a subset of processes, edited fields.

    Parameters
    ----------
    keep
        Ids of the processes to keep (all when None).
    drop
        Ids of processes to remove. Interfaces to or from a removed process go with it.
    drop_interfaces
        Ids of interfaces to remove.
    changes
        Per process id, the fields to change and their new values, e.g.
        ``{"SO2": {"cycle_time": Duration.from_hours(4), "arrival_rate": 3.0}}``.
    id, name
        Identity of the tailored catalogue (the original's by default).

    Raises
    ------
    ValidationError
        For ids that are not in the catalogue, fields a process does not have, or values
        a field rejects; each problem names the id or field.

    Examples
    --------
    >>> from pmsm_core import Duration
    >>> ops = tailor_catalogue(
    ...     load_catalogue("itil2011"),
    ...     keep=["SO1", "SO2", "SO4", "ST7", "F1"],
    ...     changes={"SO2": {"cycle_time": Duration.from_hours(4)}},
    ...     id="ops",
    ... )
    >>> [p.id for p in ops.processes], str(ops.process("SO2").cycle_time)
    (['ST7', 'SO1', 'SO2', 'SO4', 'F1'], '4h')
    >>> [i.id for i in ops.interfaces][:3]
    ['I1', 'I2', 'I4']
    >>> tailor_catalogue(ops, drop=["SO9"])
    Traceback (most recent call last):
    ...
    pmsm_core.exceptions.ValidationError: drop[0]: unknown process 'SO9' in catalogue 'ops'
    """
    problems: list[Problem] = []
    keep_list = None if keep is None else _id_list(keep)
    drop_list = _id_list(drop)
    drop_itf = _id_list(drop_interfaces)
    for label, ids in (("keep", keep_list or []), ("drop", drop_list)):
        problems.extend(
            Problem(f"{label}[{i}]", f"unknown process {pid!r} in catalogue {catalogue.id!r}")
            for i, pid in enumerate(ids)
            if pid not in catalogue
        )
    interface_ids = {itf.id for itf in catalogue.interfaces if itf.id is not None}
    problems.extend(
        Problem(f"drop_interfaces[{i}]", f"unknown interface {iid!r} in catalogue {catalogue.id!r}")
        for i, iid in enumerate(drop_itf)
        if iid not in interface_ids
    )
    changes = dict(changes or {})
    fields = {f.name for f in attrs.fields(Process)}
    for pid, raw in changes.items():
        change: object = raw
        if pid not in catalogue:
            problems.append(
                Problem(f"changes[{pid!r}]", f"unknown process {pid!r} in {catalogue.id!r}")
            )
            continue
        if not isinstance(change, Mapping):
            problems.append(Problem(f"changes[{pid!r}]", "expected a mapping of field -> value"))
            continue
        problems.extend(
            Problem(f"changes[{pid!r}].{field}", f"a process has no field {field!r}")
            for field in change
            if field not in fields or field == "id"
        )
    if problems:
        raise ValidationError(problems)
    kept = set(catalogue._index) if keep_list is None else set(keep_list)
    kept -= set(drop_list)
    processes = []
    for p in catalogue.processes:
        if p.id not in kept:
            continue
        if p.id in changes:
            try:
                p = attrs.evolve(p, **changes[p.id])
            except ValidationError as exc:
                msg = f"changes[{p.id!r}]"
                raise exc.prefixed(msg) from None
            except TypeError as exc:  # a value of the wrong type for a converter
                raise ValidationError(str(exc), path=f"changes[{p.id!r}]") from None
        processes.append(p)
    gone = set(drop_itf)
    interfaces = [
        itf
        for itf in catalogue.interfaces
        if itf.source in kept and itf.target in kept and (itf.id is None or itf.id not in gone)
    ]
    return attrs.evolve(
        catalogue,
        id=catalogue.id if id is None else id,
        name=catalogue.name if name is None else name,
        processes=processes,
        interfaces=interfaces,
    )


def _id_list(ids: Iterable[str]) -> list[str]:
    if isinstance(ids, str):
        msg = f"expected a list of ids, got the string {ids!r}"
        raise ValidationError(msg)
    return list(ids)


# --------------------------------------------------------------------------- crosswalks


def map_interfaces(
    crosswalk: Crosswalk, source: Catalogue, target: Catalogue
) -> tuple[Interface, ...]:
    """Carry the hand-offs of ``source`` over to ``target`` through a crosswalk.

    Every hand-off of the source flow (explicit interfaces and matched outputs -> inputs,
    see :func:`~pmsm_core.processes.flow.flow_graph`) from ``a`` to ``b`` becomes an
    interface from each counterpart of ``a`` to each counterpart of ``b``. Hand-offs that
    fall inside one target element (both ends map onto it) are dropped, as are those
    with an unmapped end. Duplicates are merged; each interface's ``notes`` say which
    source hand-offs it came from. Provenance is ``judgement``.

    Raises
    ------
    ValidationError
        When the crosswalk names ids missing from either catalogue.

    Examples
    --------
    >>> cw = load_crosswalk("itil2011-itil4")
    >>> mapped = map_interfaces(cw, load_catalogue("itil2011"), load_catalogue("itil4"))
    >>> i = next(i for i in mapped if i.notes.startswith("itil2011 I5 "))
    >>> i.source, i.target, i.artefact
    ('problem-management', 'change-enablement', 'request for change')
    """
    from pmsm_core.processes.flow import flow_graph

    crosswalk.check(source, target)
    graph = flow_graph(source)
    out: dict[tuple[str, str, str], Interface] = {}
    for u, v, data in graph.edges(data=True):
        if data["interface"] is not None:
            note = f"{source.id} {data['interface']} ({u} -> {v})"
        else:
            note = f"{source.id} {u} -> {v} ({data['provenance']})"
        for tu in crosswalk.targets(u):
            for tv in crosswalk.targets(v):
                if tu == tv:
                    continue
                key = (tu, tv, artefact_key(data["artefact"]))
                if key in out:
                    old = out[key]
                    out[key] = attrs.evolve(old, notes=f"{old.notes}; {note}")
                else:
                    out[key] = Interface(
                        tu, tv, data["artefact"], provenance=Provenance.JUDGEMENT, notes=note
                    )
    return tuple(out.values())
