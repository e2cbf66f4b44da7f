"""Processes, practices and the catalogues that hold them.

A :class:`Process` is any element of a process framework that takes inputs and hands
outputs on: an ITIL 2011 process or function, an ITIL 4 practice or value-chain activity,
a PMBOK process or performance domain (see :class:`~pmsm_core.ProcessKind`). A
:class:`Catalogue` is a validated collection of them, with the :class:`Interface` values
(who hands which artefact to whom) and the principles of the framework. A
:class:`Crosswalk` maps the elements of one catalogue to those of another, and
:class:`ProjectServiceLink` says how a project's process groups meet a service's
lifecycle stages.

Artefacts are named by plain strings. Two names denote the same artefact when they are
equal after case folding and collapsing white space (:func:`artefact_key`), so
``"Project charter"`` and ``"project  charter"`` match.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Any

import attrs

from pmsm_core.calendars import Duration
from pmsm_core.exceptions import Problem, ValidationError
from pmsm_core.model._validators import (
    check_duration,
    check_id,
    check_optional_id,
    check_str,
    fail,
    instance_of,
    number,
    to_tuple,
    tuple_of,
)
from pmsm_core.model.frameworks import (
    KnowledgeArea,
    LifecycleStage,
    PracticeGroup,
    ProcessGroup,
    ProcessKind,
)
from pmsm_core.model.measurement import ProcessKPI

__all__ = [
    "Catalogue",
    "Crosswalk",
    "CrosswalkEntry",
    "Interface",
    "LinkDirection",
    "Principle",
    "Process",
    "ProjectServiceLink",
    "Provenance",
    "artefact_key",
]


def artefact_key(name: str) -> str:
    """The matching key of an artefact name: case-folded, white space collapsed.

    Examples
    --------
    >>> artefact_key("  Project   Charter ")
    'project charter'
    """
    return " ".join(name.casefold().split())


def _check_name(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        raise fail(instance, attribute.name, f"{attribute.name} must be a non-empty string")


def _check_artefacts(
    instance: object, attribute: attrs.Attribute[Any], value: tuple[Any, ...]
) -> None:
    seen: dict[str, int] = {}
    for i, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            raise fail(
                instance,
                f"{attribute.name}[{i}]",
                f"{attribute.name}[{i}] must be a non-empty artefact name, got {item!r}",
            )
        key = artefact_key(item)
        if key in seen:
            raise fail(
                instance,
                f"{attribute.name}[{i}]",
                f"{attribute.name} lists {item!r} twice (also at [{seen[key]}])",
            )
        seen[key] = i


class Provenance(enum.Enum):
    """Where a piece of catalogue data comes from.

    Examples
    --------
    >>> Provenance("paraphrase").value
    'paraphrase'
    """

    SOURCE = "source"
    """Names and groupings as the framework publishes them (facts)."""
    PARAPHRASE = "paraphrase"
    """Restated in this library's words from public secondary material."""
    JUDGEMENT = "judgement"
    """This library's own judgement, e.g. a crosswalk; not an official table."""
    MATCHED = "matched"
    """Found by matching an output name of one process to an input name of another."""
    USER = "user"
    """Supplied by the user of the library."""


@attrs.frozen
class Interface:
    """A hand-off: ``source`` gives ``artefact`` to ``target``.

    Interfaces state hand-offs explicitly; more hand-offs are found by matching the
    outputs of one process to the inputs of another (see
    :func:`~pmsm_core.processes.flow.flow_graph`).

    Examples
    --------
    >>> i = Interface("SO1", "SO2", "exception event", id="I1", provenance=Provenance.PARAPHRASE)
    >>> i.source, i.target, i.provenance.value
    ('SO1', 'SO2', 'paraphrase')
    >>> Interface("SO2", "SO2", "incident")
    Traceback (most recent call last):
    ...
    pmsm_core.exceptions.ValidationError: target: interface: 'SO2' cannot hand an artefact to itself
    """

    source: str = attrs.field(validator=check_id)
    target: str = attrs.field(validator=check_id)
    artefact: str = attrs.field(validator=_check_name)
    id: str | None = attrs.field(default=None, kw_only=True, validator=check_optional_id)
    provenance: Provenance = attrs.field(
        default=Provenance.USER, kw_only=True, validator=instance_of(Provenance)
    )
    notes: str = attrs.field(default="", kw_only=True, validator=check_str)

    def __attrs_post_init__(self) -> None:
        if self.source == self.target:
            raise fail(self, "target", f"{self.source!r} cannot hand an artefact to itself")


@attrs.frozen
class Principle:
    """A guiding principle of a framework (ITIL 4's seven, PMBOK 7's twelve).

    Examples
    --------
    >>> Principle("PR1", "Stewardship").name
    'Stewardship'
    """

    id: str = attrs.field(validator=check_id)
    name: str = attrs.field(validator=_check_name)
    description: str = attrs.field(default="", kw_only=True, validator=check_str)


@attrs.frozen
class Process:
    """A process, function, practice, value-chain activity or performance domain.

    Parameters
    ----------
    id, name
        Identity; ids are unique within a catalogue.
    kind
        :class:`~pmsm_core.ProcessKind`.
    framework, edition
        The framework and edition it belongs to (``"ITIL"``, ``"2011"``; ``"PMBOK"``,
        ``"6"``; anything for your own processes).
    stage
        ITIL lifecycle stage (:class:`~pmsm_core.LifecycleStage`).
    group, knowledge_area
        PMBOK process group and knowledge area.
    practice_group
        ITIL 4 practice group.
    purpose
        What it is for, in a sentence.
    inputs, outputs
        Names of the artefacts it takes and gives.
    roles
        Who takes part.
    activities
        What it does, step by step.
    kpis
        Its key performance indicators (:class:`~pmsm_core.ProcessKPI`).
    cycle_time
        How long one work item spends in it (working or elapsed time).
    arrival_rate
        Work items arriving per hour (of the same kind of time as ``cycle_time``), for
        Little's law.
    capacity
        How many work items it can have in hand at once.

    Examples
    --------
    >>> p = Process(
    ...     "SO2",
    ...     "Incident management",
    ...     stage=LifecycleStage.SERVICE_OPERATION,
    ...     inputs=["incident"],
    ...     outputs=["resolved incident"],
    ...     cycle_time=Duration.from_hours(4),
    ... )
    >>> p.area
    (<LifecycleStage.SERVICE_OPERATION: 'service-operation'>,)
    >>> Process("X", "Broken", inputs=["a", "A"])
    Traceback (most recent call last):
    ...
    pmsm_core.exceptions.ValidationError: inputs[1]: process 'X': inputs lists 'A' twice ...
    """

    id: str = attrs.field(validator=check_id)
    name: str = attrs.field(validator=_check_name)
    kind: ProcessKind = attrs.field(
        default=ProcessKind.PROCESS, kw_only=True, validator=instance_of(ProcessKind)
    )
    framework: str = attrs.field(default="", kw_only=True, validator=check_str)
    edition: str = attrs.field(default="", kw_only=True, validator=check_str)
    stage: LifecycleStage | None = attrs.field(
        default=None, kw_only=True, validator=instance_of(LifecycleStage, optional=True)
    )
    group: ProcessGroup | None = attrs.field(
        default=None, kw_only=True, validator=instance_of(ProcessGroup, optional=True)
    )
    knowledge_area: KnowledgeArea | None = attrs.field(
        default=None, kw_only=True, validator=instance_of(KnowledgeArea, optional=True)
    )
    practice_group: PracticeGroup | None = attrs.field(
        default=None, kw_only=True, validator=instance_of(PracticeGroup, optional=True)
    )
    purpose: str = attrs.field(default="", kw_only=True, validator=check_str)
    inputs: tuple[str, ...] = attrs.field(
        default=(), kw_only=True, converter=to_tuple, validator=_check_artefacts
    )
    outputs: tuple[str, ...] = attrs.field(
        default=(), kw_only=True, converter=to_tuple, validator=_check_artefacts
    )
    roles: tuple[str, ...] = attrs.field(
        default=(), kw_only=True, converter=to_tuple, validator=tuple_of(str)
    )
    activities: tuple[str, ...] = attrs.field(
        default=(), kw_only=True, converter=to_tuple, validator=tuple_of(str)
    )
    kpis: tuple[ProcessKPI, ...] = attrs.field(
        default=(), kw_only=True, converter=to_tuple, validator=tuple_of(ProcessKPI)
    )
    cycle_time: Duration | None = attrs.field(
        default=None, kw_only=True, validator=check_duration(non_negative=True, optional=True)
    )
    arrival_rate: float | None = attrs.field(
        default=None, kw_only=True, validator=number(low=0, optional=True)
    )
    capacity: int | None = attrs.field(
        default=None, kw_only=True, validator=number(low=1, optional=True, integer=True)
    )
    notes: str = attrs.field(default="", kw_only=True, validator=check_str)

    def __attrs_post_init__(self) -> None:
        seen: set[str] = set()
        for i, kpi in enumerate(self.kpis):
            if kpi.id in seen:
                raise fail(self, f"kpis[{i}].id", f"duplicate KPI id {kpi.id!r}")
            seen.add(kpi.id)

    @property
    def area(self) -> tuple[enum.Enum, ...]:
        """Where the process sits, as the stage, process group and practice group that are set.

        Two processes are in different areas when any of these differs; a hand-off
        between them crosses a stage or group boundary.
        """
        return tuple(a for a in (self.stage, self.group, self.practice_group) if a is not None)

    @property
    def area_label(self) -> str:
        """The area in words, e.g. ``"Service Design"`` or ``"Planning"``."""
        return " / ".join(getattr(a, "label", str(a.value)) for a in self.area)


def _index(items: Iterable[Any], attr: str = "id") -> dict[str, int]:
    out: dict[str, int] = {}
    for i, item in enumerate(items):
        out.setdefault(getattr(item, attr), i)
    return out


@attrs.frozen(repr=False)
class Catalogue:
    """A validated collection of processes with the interfaces between them.

    Parameters
    ----------
    id, name
        Identity (``"itil2011"``, ``"ITIL 2011 processes and functions"``).
    framework, edition
        The framework and edition the catalogue describes.
    processes
        The elements (:class:`Process`), in the framework's order.
    interfaces
        Explicit hand-offs (:class:`Interface`).
    principles
        Guiding principles of the framework (:class:`Principle`).
    external_inputs
        Artefacts that come from outside the catalogue (customers, sponsors, the
        business): inputs that no process produces are not gaps when listed here.
    external_outputs
        Artefacts delivered to the outside world: outputs no process consumes are not
        waste when listed here.
    source
        Where the names and groupings come from.

    Raises
    ------
    ValidationError
        With one problem per rule broken: duplicate ids, interfaces naming unknown
        processes, the same hand-off twice, working and elapsed cycle times mixed.

    Examples
    --------
    >>> cat = Catalogue(
    ...     "mini",
    ...     processes=[
    ...         Process("A", "Plan", outputs=["plan"]),
    ...         Process("B", "Build", inputs=["plan"]),
    ...     ],
    ... )
    >>> cat.process("B").name, len(cat), "A" in cat
    ('Build', 2, True)
    >>> Catalogue("bad", processes=[Process("A", "Plan")], interfaces=[Interface("A", "Z", "x")])
    Traceback (most recent call last):
    ...
    pmsm_core.exceptions.ValidationError: interfaces[0].target: unknown process 'Z'
    """

    id: str = attrs.field(validator=check_id)
    name: str = attrs.field(default="", validator=check_str)
    framework: str = attrs.field(default="", kw_only=True, validator=check_str)
    edition: str = attrs.field(default="", kw_only=True, validator=check_str)
    description: str = attrs.field(default="", kw_only=True, validator=check_str)
    processes: tuple[Process, ...] = attrs.field(
        default=(), kw_only=True, converter=to_tuple, validator=tuple_of(Process)
    )
    interfaces: tuple[Interface, ...] = attrs.field(
        default=(), kw_only=True, converter=to_tuple, validator=tuple_of(Interface)
    )
    principles: tuple[Principle, ...] = attrs.field(
        default=(), kw_only=True, converter=to_tuple, validator=tuple_of(Principle)
    )
    external_inputs: tuple[str, ...] = attrs.field(
        default=(), kw_only=True, converter=to_tuple, validator=_check_artefacts
    )
    external_outputs: tuple[str, ...] = attrs.field(
        default=(), kw_only=True, converter=to_tuple, validator=_check_artefacts
    )
    source: str = attrs.field(default="", kw_only=True, validator=check_str)

    _index: dict[str, int] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_index", _index(self.processes))
        problems = _CatalogueChecker(self).run()
        if problems:
            raise ValidationError(problems)

    def __repr__(self) -> str:
        return (
            f"Catalogue(id={self.id!r}, processes={len(self.processes)}, "
            f"interfaces={len(self.interfaces)})"
        )

    def __len__(self) -> int:
        return len(self.processes)

    def __contains__(self, process_id: object) -> bool:
        return process_id in self._index

    def process(self, process_id: str) -> Process:
        """The process with id ``process_id``.

        Raises
        ------
        KeyError
            If the catalogue has no such process.
        """
        return self.processes[self._index[process_id]]

    def index_of(self, process_id: str) -> int:
        """Position of the process in ``processes``."""
        return self._index[process_id]

    def of_kind(self, kind: ProcessKind) -> tuple[Process, ...]:
        """The elements of one kind, in catalogue order.

        Examples
        --------
        >>> from pmsm_core.processes.catalog import load_catalogue
        >>> len(load_catalogue("itil2011").of_kind(ProcessKind.FUNCTION))
        4
        """
        return tuple(p for p in self.processes if p.kind is kind)

    def count_by(self, attribute: str) -> dict[Any, int]:
        """How many elements share each value of ``attribute`` (``"stage"``, ``"group"`` ...).

        Examples
        --------
        >>> from pmsm_core.processes.catalog import load_catalogue
        >>> counts = load_catalogue("pmbok6").count_by("group")
        >>> [counts[g] for g in ProcessGroup]
        [2, 24, 10, 12, 1]
        """
        counts: dict[Any, int] = {}
        for p in self.processes:
            value = getattr(p, attribute)
            counts[value] = counts.get(value, 0) + 1
        return counts

    @property
    def cycle_time_elapsed(self) -> bool:
        """True when the catalogue's cycle times are elapsed time (working time otherwise)."""
        return any(p.cycle_time is not None and p.cycle_time.elapsed for p in self.processes)


class _CatalogueChecker:
    def __init__(self, catalogue: Catalogue) -> None:
        self.c = catalogue
        self.problems: list[Problem] = []

    def add(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    def run(self) -> list[Problem]:
        c = self.c
        seen: set[str] = set()
        for i, p in enumerate(c.processes):
            if p.id in seen:
                self.add(f"processes[{i}].id", f"duplicate process id {p.id!r}")
            seen.add(p.id)
        principles: set[str] = set()
        for i, pr in enumerate(c.principles):
            if pr.id in principles:
                self.add(f"principles[{i}].id", f"duplicate principle id {pr.id!r}")
            elif pr.id in seen:
                self.add(f"principles[{i}].id", f"principle id {pr.id!r} is also a process id")
            principles.add(pr.id)
        self._interfaces()
        self._cycle_times()
        return self.problems

    def _interfaces(self) -> None:
        c = self.c
        ids: set[str] = set()
        pairs: dict[tuple[str, str, str], int] = {}
        for i, itf in enumerate(c.interfaces):
            where = f"interfaces[{i}]"
            if itf.id is not None:
                if itf.id in ids:
                    self.add(f"{where}.id", f"duplicate interface id {itf.id!r}")
                ids.add(itf.id)
            known = True
            for field in ("source", "target"):
                ref = getattr(itf, field)
                if ref not in c._index:
                    self.add(f"{where}.{field}", f"unknown process {ref!r}")
                    known = False
            if not known:
                continue
            key = (itf.source, itf.target, artefact_key(itf.artefact))
            if key in pairs:
                self.add(
                    where,
                    f"{itf.source!r} already hands {itf.artefact!r} to {itf.target!r} "
                    f"(interfaces[{pairs[key]}])",
                )
            else:
                pairs[key] = i

    def _cycle_times(self) -> None:
        first: tuple[int, bool] | None = None
        for i, p in enumerate(self.c.processes):
            if p.cycle_time is None:
                continue
            if first is None:
                first = (i, p.cycle_time.elapsed)
            elif p.cycle_time.elapsed != first[1]:
                kind = "elapsed" if p.cycle_time.elapsed else "working"
                other = "elapsed" if first[1] else "working"
                self.add(
                    f"processes[{i}].cycle_time",
                    f"process {p.id!r}: {kind} cycle time, but processes[{first[0]}] has "
                    f"{other} time; use one kind of time in a catalogue",
                )


# --------------------------------------------------------------------------- crosswalks


@attrs.frozen
class CrosswalkEntry:
    """One row of a crosswalk: an element of the source catalogue and its counterparts.

    An empty ``targets`` says the element has no counterpart.

    Examples
    --------
    >>> e = CrosswalkEntry("ST2", ["change-enablement"])
    >>> e.targets, e.provenance.value
    (('change-enablement',), 'judgement')
    """

    source: str = attrs.field(validator=check_id)
    targets: tuple[str, ...] = attrs.field(default=(), converter=to_tuple, validator=tuple_of(str))
    provenance: Provenance = attrs.field(
        default=Provenance.JUDGEMENT, kw_only=True, validator=instance_of(Provenance)
    )
    notes: str = attrs.field(default="", kw_only=True, validator=check_str)

    def __attrs_post_init__(self) -> None:
        if len(set(self.targets)) != len(self.targets):
            raise fail(self, "targets", f"{self.source!r} lists a target twice")


@attrs.frozen(repr=False)
class Crosswalk:
    """A mapping from the elements of one catalogue to those of another.

    Parameters
    ----------
    source_catalogue, target_catalogue
        Ids of the two catalogues.
    entries
        One :class:`CrosswalkEntry` per source element mapped.

    Examples
    --------
    >>> cw = Crosswalk(
    ...     "x",
    ...     source_catalogue="old",
    ...     target_catalogue="new",
    ...     entries=[CrosswalkEntry("A", ["a1", "a2"]), CrosswalkEntry("B", ["a1"])],
    ... )
    >>> cw.targets("A"), cw.sources("a1")
    (('a1', 'a2'), ('A', 'B'))
    """

    id: str = attrs.field(validator=check_id)
    name: str = attrs.field(default="", validator=check_str)
    source_catalogue: str = attrs.field(default="", kw_only=True, validator=check_str)
    target_catalogue: str = attrs.field(default="", kw_only=True, validator=check_str)
    entries: tuple[CrosswalkEntry, ...] = attrs.field(
        default=(), kw_only=True, converter=to_tuple, validator=tuple_of(CrosswalkEntry)
    )
    description: str = attrs.field(default="", kw_only=True, validator=check_str)

    _index: dict[str, int] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        problems = [
            Problem(f"entries[{i}].source", f"{e.source!r} is mapped twice")
            for i, e in enumerate(self.entries)
            if any(e.source == other.source for other in self.entries[:i])
        ]
        if problems:
            raise ValidationError(problems)
        object.__setattr__(self, "_index", _index(self.entries, "source"))

    def __repr__(self) -> str:
        return (
            f"Crosswalk(id={self.id!r}, {self.source_catalogue!r} -> "
            f"{self.target_catalogue!r}, entries={len(self.entries)})"
        )

    def targets(self, source_id: str) -> tuple[str, ...]:
        """The counterparts of ``source_id`` (empty when it is not mapped)."""
        i = self._index.get(source_id)
        return () if i is None else self.entries[i].targets

    def sources(self, target_id: str) -> tuple[str, ...]:
        """The source elements that map onto ``target_id``."""
        return tuple(e.source for e in self.entries if target_id in e.targets)

    def check(self, source: Catalogue, target: Catalogue) -> None:
        """Check that every id of the crosswalk exists in the two catalogues.

        Raises
        ------
        ValidationError
            Listing each unknown id with its location.

        Examples
        --------
        >>> from pmsm_core.processes.catalog import load_catalogue, load_crosswalk
        >>> load_crosswalk("itil2011-itil4").check(
        ...     load_catalogue("itil2011"), load_catalogue("itil4")
        ... )
        """
        problems: list[Problem] = []
        for i, e in enumerate(self.entries):
            if e.source not in source:
                problems.append(
                    Problem(f"entries[{i}].source", f"{e.source!r} is not in {source.id!r}")
                )
            problems.extend(
                Problem(f"entries[{i}].targets[{j}]", f"{t!r} is not in {target.id!r}")
                for j, t in enumerate(e.targets)
                if t not in target
            )
        if problems:
            raise ValidationError(problems)


# --------------------------------------------------------------------------- projects and services


class LinkDirection(enum.Enum):
    """Which way a :class:`ProjectServiceLink` points.

    Examples
    --------
    >>> LinkDirection.PROJECT_TO_SERVICE.value
    'project-to-service'
    """

    PROJECT_TO_SERVICE = "project-to-service"
    SERVICE_TO_PROJECT = "service-to-project"


@attrs.frozen
class ProjectServiceLink:
    """How a project's process group and a service's lifecycle stage meet.

    Examples
    --------
    >>> link = ProjectServiceLink(
    ...     ProcessGroup.CLOSING,
    ...     LifecycleStage.SERVICE_TRANSITION,
    ...     LinkDirection.PROJECT_TO_SERVICE,
    ...     "accepted deliverables",
    ... )
    >>> link.group.label, "->", link.stage.label
    ('Closing', '->', 'Service Transition')
    """

    group: ProcessGroup = attrs.field(validator=instance_of(ProcessGroup))
    stage: LifecycleStage = attrs.field(validator=instance_of(LifecycleStage))
    direction: LinkDirection = attrs.field(validator=instance_of(LinkDirection))
    artefact: str = attrs.field(validator=_check_name)
    description: str = attrs.field(default="", kw_only=True, validator=check_str)
    provenance: Provenance = attrs.field(
        default=Provenance.JUDGEMENT, kw_only=True, validator=instance_of(Provenance)
    )
