"""Microsoft Project XML (MSPDI): read and write projects.

MSPDI (Microsoft Project Data Interchange) is the XML that Microsoft Project writes with
*Save As > XML* and that most scheduling tools read. :func:`read` and :func:`reads` turn a
file into a :class:`~pmsm_core.Project`; :func:`write` and :func:`writes` do the reverse,
with the computed schedule (dates, slack, critical flags) filled in so that viewers which
do not reschedule still show dates.

What maps to what
-----------------
* **Tasks** become activities in outline order; ``OutlineLevel`` gives the WBS parent,
  summaries are the tasks with children, ``Milestone`` and zero durations give milestones.
  Activity ids are the task ``UID`` values, or the values of the custom text field whose
  alias is ``pmsm id`` (which :func:`write` adds when ids are not plain numbers).
* **Links** (``PredecessorLink``): type codes 0 FF, 1 FS, 2 SF, 3 SS; ``LinkLag`` in tenths
  of a minute of working time, or of elapsed time for the elapsed ``LagFormat`` codes, or a
  whole percentage for the percent codes 19 (``%``) and 20 (``e%``).
* **Calendars**: base calendars with their week (``DayType`` 1 Sunday .. 7 Saturday) and
  exceptions (single days, ranges and every recurring pattern, expanded to dates; work
  weeks become dated exceptions). Derived calendars take their base calendar's week and
  exceptions and override them; a resource calendar without changes of its own refers to
  its base calendar. Calendar ids are made from the names (``Night Shift`` ->
  ``night-shift``).
* **Constraints** (codes 0 ASAP .. 7 FNLT), deadlines, fixed cost, notes, progress
  (actual dates, percent complete, remaining duration, actual cost), **resources** (work,
  material, cost; max units, standard rate per hour, cost per use, calendar),
  **assignments** (units, work) and **baselines** 0 to 10 (start, finish, duration, cost,
  work). Money is stored in hundredths in MSPDI and in currency units here.

What the engine does not model is reported with an :class:`MspdiWarning`, never dropped
silently: manually scheduled tasks are read as automatically scheduled, tasks timed by
their resources' calendars are timed by their own calendar, elapsed task durations become
the working time between the saved start and finish, cross-project links are left out.
Writing warns about the parts of a project MSPDI has no place for (phases, risks, three-
point estimates ...).

Reading is safe on hostile input without any optional package: documents with a DTD
(the carrier of entity-expansion and external-entity attacks) are refused before parsing,
numbers and durations are bounded, and every problem raises
:class:`~pmsm_core.exceptions.DocumentError` naming the element, e.g.
``Tasks/Task[UID=7]/PredecessorLink[1]/Type``.
"""

from __future__ import annotations

import calendar as _calendar
import math
import os
import re
import warnings
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final
from xml.parsers import expat

from pmsm_core._util import no_gc
from pmsm_core.calendars import (
    CalendarException,
    Duration,
    TimeUnit,
    WorkCalendar,
    WorkingTime,
)
from pmsm_core.exceptions import DocumentError, PmsmError, Problem, ValidationError
from pmsm_core.model.progress import Baseline, BaselineActivity, Progress
from pmsm_core.model.project import (
    Activity,
    ConstraintType,
    Dependency,
    LinkType,
    PercentLag,
    Project,
    ScheduleConstraint,
)
from pmsm_core.model.resources import Assignment, Resource, ResourceKind

if TYPE_CHECKING:  # pragma: no cover
    from pmsm_core.scheduling.results import Schedule

__all__ = [
    "ID_FIELD_ALIAS",
    "MAX_BYTES",
    "MspdiWarning",
    "read",
    "reads",
    "write",
    "writes",
]

NAMESPACE: Final = "http://schemas.microsoft.com/project"
#: Largest document accepted, in bytes.
MAX_BYTES: Final = 512 * 1024 * 1024
#: Alias of the custom text field that carries activity and resource ids.
ID_FIELD_ALIAS: Final = "pmsm id"
#: Most dates one recurring calendar exception or work week may expand to.
MAX_EXPANDED_DAYS: Final = 50_000

_TASK_TEXT1: Final = "188743731"
_RESOURCE_TEXT1: Final = "205520904"
_UNASSIGNED_RESOURCE: Final = -65535
_MAX_UID: Final = 2**31 - 1

_LINK_TYPES: Final = {0: LinkType.FF, 1: LinkType.FS, 2: LinkType.SF, 3: LinkType.SS}
_LINK_CODES: Final = {v: k for k, v in _LINK_TYPES.items()}
_CONSTRAINTS: Final = {
    0: ConstraintType.ASAP,
    1: ConstraintType.ALAP,
    2: ConstraintType.MSO,
    3: ConstraintType.MFO,
    4: ConstraintType.SNET,
    5: ConstraintType.SNLT,
    6: ConstraintType.FNET,
    7: ConstraintType.FNLT,
}
_CONSTRAINT_CODES: Final = {v: k for k, v in _CONSTRAINTS.items()}
# duration / lag format code -> (unit, elapsed); None for the percent codes
_FORMATS: Final[dict[int, tuple[TimeUnit, bool] | None]] = {
    3: (TimeUnit.MINUTE, False),
    4: (TimeUnit.MINUTE, True),
    5: (TimeUnit.HOUR, False),
    6: (TimeUnit.HOUR, True),
    7: (TimeUnit.DAY, False),
    8: (TimeUnit.DAY, True),
    9: (TimeUnit.WEEK, False),
    10: (TimeUnit.WEEK, True),
    11: (TimeUnit.MONTH, False),
    12: (TimeUnit.MONTH, True),
    19: None,
    20: None,
    21: (TimeUnit.MINUTE, False),
}
_FORMAT_CODES: Final = {
    (TimeUnit.MINUTE, False): 3,
    (TimeUnit.MINUTE, True): 4,
    (TimeUnit.HOUR, False): 5,
    (TimeUnit.HOUR, True): 6,
    (TimeUnit.DAY, False): 7,
    (TimeUnit.DAY, True): 8,
    (TimeUnit.WEEK, False): 9,
    (TimeUnit.WEEK, True): 10,
    (TimeUnit.MONTH, False): 11,
    (TimeUnit.MONTH, True): 12,
}
_FAST_TYPES: Final = {str(k): v for k, v in _LINK_TYPES.items()}
_FAST_FORMATS: Final = {str(k): v for k, v in _FORMATS.items() if v is not None}
_RESOURCE_KINDS: Final = {0: ResourceKind.MATERIAL, 1: ResourceKind.WORK, 2: ResourceKind.COST}
_RESOURCE_CODES: Final = {v: k for k, v in _RESOURCE_KINDS.items()}

_INT_RE: Final = re.compile(r"^\s*[+-]?\d{1,18}\s*$")
_NUMBER_RE: Final = re.compile(
    r"^\s*[+-]?(\d{1,18}(\.\d{0,18})?|\.\d{1,18})([eE][+-]?\d{1,3})?\s*$"
)
_DATE_RE: Final = re.compile(
    r"^\s*(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?)?\s*$"
)
_TIME_RE: Final = re.compile(r"^\s*(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?\s*$")
_DURATION_RE: Final = re.compile(
    r"^\s*(-)?P(?:(\d{1,9})D)?(?:T(?:(\d{1,12}(?:\.\d{1,9})?)H)?(?:(\d{1,12}(?:\.\d{1,9})?)M)?"
    r"(?:(\d{1,12}(?:\.\d{1,9})?)S)?)?\s*$"
)
_SLUG_RE: Final = re.compile(r"[^0-9a-z]+")
_FAST_DURATION_RE: Final = re.compile(r"PT(\d{1,9})H([0-5]?\d)M0S$")


class MspdiWarning(UserWarning):
    """Part of a project could not be carried across exactly (reported, never dropped silently).

    Examples
    --------
    >>> import warnings
    >>> from pmsm_core.model import Activity, Project, ThreePointEstimate
    >>> p = Project(
    ...     "P",
    ...     start=datetime(2026, 1, 5, 8),
    ...     activities=[
    ...         Activity(
    ...             "A",
    ...             duration=Duration(480),
    ...             estimate=ThreePointEstimate(Duration(240), Duration(480), Duration(960)),
    ...         )
    ...     ],
    ... )
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     _ = writes(p)
    >>> print(caught[0].message)
    MSPDI has no place for duration estimates (1 activity: A); they are not written
    """


def _warn(message: str) -> None:
    """Warn, attributing the warning to the first caller outside this module."""
    import sys
    from types import FrameType

    level = 1
    frame: FrameType | None = sys._getframe(1)
    while frame is not None and frame.f_code.co_filename == __file__:
        level += 1
        frame = frame.f_back
    warnings.warn(message, MspdiWarning, stacklevel=level)


def _listing(ids: list[str], what: str) -> str:
    """``1 activity: A`` or ``7 activities: A, B, C, D, E, ...``."""
    shown = ", ".join(ids[:5]) + (", ..." if len(ids) > 5 else "")
    plural = what if len(ids) == 1 else (what[:-1] + "ies" if what.endswith("y") else what + "s")
    return f"{len(ids)} {plural}: {shown}"


# =========================================================================== safe parsing


class _RefusedError(Exception):
    """Raised inside expat handlers to stop parsing."""


class _RootReachedError(Exception):
    """The prolog ended without a DTD."""


def _refuse(*_: Any) -> Any:
    raise _RefusedError


def _reach_root(*_: Any) -> Any:
    raise _RootReachedError


def _check_prolog(data: bytes) -> None:
    """Refuse documents with a DTD: entity expansion and external entities need one.

    Only the prolog is scanned (expat stops at the first element), so this costs nothing
    on large files; the full parse that follows can then meet no entity declarations.
    """
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    parser.ExternalEntityRefHandler = _refuse
    parser.StartElementHandler = _reach_root
    try:
        parser.Parse(data, True)
    except _RootReachedError:
        return
    except _RefusedError:
        msg = (
            "documents with a DTD (<!DOCTYPE ...>) are refused: MSPDI needs none, and DTDs "
            "carry entity-expansion and external-entity attacks"
        )
        raise DocumentError(msg, path="Project") from None
    except expat.ExpatError as exc:
        msg = f"not well-formed XML: {exc}"
        raise DocumentError(msg, path="Project") from None
    except LookupError as exc:  # an unknown encoding in the XML declaration
        msg = f"unreadable XML declaration: {exc}"
        raise DocumentError(msg, path="Project") from None
    msg = "the document has no root element"
    raise DocumentError(msg, path="Project")


def _parse(data: bytes) -> ET.Element:
    if len(data) > MAX_BYTES:
        msg = f"document of {len(data)} bytes exceeds the limit of {MAX_BYTES}"
        raise DocumentError(msg, path="Project")
    _check_prolog(data)
    # Microsoft Project declares one default namespace on the root; dropping it before the
    # parse leaves plain tag names (other forms are stripped after parsing)
    head = data[:4096]
    start = head.find(b"<Project")
    if start >= 0:
        end = head.find(b">", start)
        if end > 0:
            tag = re.sub(rb'\sxmlns="[^"]*"', b"", head[start:end], count=1)
            data = head[:start] + tag + data[end:]
    try:
        # safe: _check_prolog refused any DTD, so no entity can be declared or fetched
        root = ET.fromstring(data)  # noqa: S314
    except ET.ParseError as exc:
        msg = f"not well-formed XML: {exc}"
        raise DocumentError(msg, path="Project") from None
    if _local(root.tag) != "Project":
        msg = (
            f"expected a Microsoft Project XML document (root <Project>), got <{_local(root.tag)}>"
        )
        raise DocumentError(msg, path=_local(root.tag))
    # drop any remaining namespaces, so that every later look-up is a plain string compare
    if root.tag[0] == "{" or any(e.tag[0] == "{" for e in root):
        for element in root.iter():
            name = element.tag
            if name[0] == "{":
                element.tag = name[name.index("}") + 1 :]
    return root


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _children(element: ET.Element) -> dict[str, ET.Element]:
    """Child elements by name, the first of each (namespaces were stripped after parsing)."""
    return {child.tag: child for child in reversed(element)}


def _all(element: ET.Element | None, name: str) -> list[ET.Element]:
    if element is None:
        return []
    return [c for c in element if c.tag == name]


# =========================================================================== field parsing


class _Fields:
    """Typed access to one element's children; problems are collected with their paths."""

    __slots__ = ("kids", "path", "problems")

    def __init__(self, element: ET.Element, path: str, problems: list[Problem]) -> None:
        self.kids = _children(element)
        self.path = path
        self.problems = problems

    def fail(self, name: str, message: str) -> None:
        self.problems.append(Problem(f"{self.path}/{name}", message))

    def text(self, name: str) -> str | None:
        element = self.kids.get(name)
        if element is None:
            return None
        return element.text or ""

    def string(self, name: str, default: str = "") -> str:
        value = self.text(name)
        return default if value is None else value

    def integer(self, name: str, default: int | None = None) -> int | None:
        element = self.kids.get(name)
        if element is None:
            return default
        raw = element.text or ""
        if raw.isdigit() and len(raw) < 19 and raw.isascii():  # the common case
            return int(raw)
        if not raw.strip():
            return default
        if not _INT_RE.match(raw):
            self.fail(name, f"expected a whole number, got {raw[:40]!r}")
            return default
        return int(raw)

    def number(self, name: str, default: float | None = None) -> float | None:
        raw = self.text(name)
        if raw is None or not raw.strip():
            return default
        if not _NUMBER_RE.match(raw):
            self.fail(name, f"expected a number, got {raw[:40]!r}")
            return default
        value = float(raw)
        if not math.isfinite(value) or abs(value) > 1e15:
            self.fail(name, f"expected a number within ±1e15, got {raw[:40]!r}")
            return default
        return value

    def decimal(self, name: str) -> Decimal | None:
        raw = self.text(name)
        if raw is None or not raw.strip():
            return None
        if not _NUMBER_RE.match(raw):
            self.fail(name, f"expected a number, got {raw[:40]!r}")
            return None
        try:
            value = Decimal(raw.strip())
        except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
            self.fail(name, f"expected a number, got {raw[:40]!r}")
            return None
        if abs(value) > Decimal(10) ** 17:
            self.fail(name, f"expected a number within ±1e17, got {raw[:40]!r}")
            return None
        return value

    def money(self, name: str) -> float:
        """A currency amount stored in hundredths."""
        element = self.kids.get(name)
        if element is None or element.text == "0":
            return 0.0
        value = self.decimal(name)
        return 0.0 if value is None else float(value / 100)

    def flag(self, name: str) -> bool:
        raw = self.text(name)
        if raw is None:
            return False
        value = raw.strip().lower()
        if value in ("1", "true"):
            return True
        if value in ("0", "false", ""):
            return False
        self.fail(name, f"expected 0 or 1, got {raw[:40]!r}")
        return False

    def when(self, name: str) -> datetime | None:
        raw = self.text(name)
        if raw is None or not raw.strip():
            return None
        result = parse_datetime(raw)
        if result is None:
            self.fail(name, f"expected a date-time such as 2026-01-05T08:00:00, got {raw[:40]!r}")
        return result

    def duration(self, name: str) -> int | None:
        """Minutes of an ISO 8601 duration (``PT8H0M0S``)."""
        raw = self.text(name)
        if raw is None or not raw.strip():
            return None
        minutes = parse_duration(raw)
        if minutes is None:
            self.fail(name, f"expected a duration such as PT8H0M0S, got {raw[:40]!r}")
        return minutes


def parse_datetime(text: str) -> datetime | None:
    """``2026-01-05T08:00:00`` -> datetime (seconds dropped); None when malformed.

    Examples
    --------
    >>> parse_datetime("2026-01-05T08:00:00"), parse_datetime("2026-02-30T08:00:00")
    (datetime.datetime(2026, 1, 5, 8, 0), None)
    """
    match = _DATE_RE.match(text)
    if match is None:
        return None
    y, mo, d, h, mi = (int(g) if g else 0 for g in match.groups()[:5])
    if h == 24 and mi == 0:
        h, extra = 0, timedelta(days=1)
    else:
        extra = timedelta()
    try:
        return datetime(y, mo, d, h, mi) + extra
    except (ValueError, OverflowError):
        return None


def parse_duration(text: str) -> int | None:
    """Whole minutes of an ISO 8601 duration (``PT8H30M0S``, ``P1DT2H``); None when malformed.

    Days count 24 hours, as ISO 8601 says; Microsoft Project writes hours only.

    Examples
    --------
    >>> parse_duration("PT8H30M0S"), parse_duration("-PT4H0M0S"), parse_duration("5 days")
    (510, -240, None)
    """
    fast = _FAST_DURATION_RE.match(text)
    if fast is not None:  # what Microsoft Project and this library write
        return int(fast.group(1)) * 60 + int(fast.group(2))
    match = _DURATION_RE.match(text)
    if match is None or text.strip().endswith(("P", "T")):
        return None
    sign, days, hours, minutes, seconds = match.groups()
    total = Decimal(days or 0) * 1440 + Decimal(hours or 0) * 60 + Decimal(minutes or 0)
    total += Decimal(seconds or 0) / 60
    value = int(total.to_integral_value())
    if abs(value) > 10**10:
        return None
    return -value if sign else value


def _clock(text: str | None) -> int | None:
    if text is None:
        return None
    match = _TIME_RE.match(text)
    if match is None:
        return None
    h, m = int(match.group(1)), int(match.group(2))
    if h > 24 or m > 59 or (h == 24 and m):
        return None
    return h * 60 + m


def _slug(name: str) -> str:
    return _SLUG_RE.sub("-", name.lower()).strip("-")


# =========================================================================== calendars


class _RawCalendar:
    """A calendar element before inheritance is resolved."""

    __slots__ = ("base", "days", "exceptions", "is_base", "name", "path", "uid", "weeks")

    def __init__(self, uid: int, name: str, path: str) -> None:
        self.uid = uid
        self.name = name
        self.path = path
        self.is_base = True
        self.base: int | None = None
        self.days: dict[int, tuple[WorkingTime, ...]] = {}
        self.exceptions: list[tuple[date, date, tuple[WorkingTime, ...], str]] = []
        self.weeks: list[tuple[date, date, dict[int, tuple[WorkingTime, ...]], str]] = []

    @property
    def own_changes(self) -> bool:
        return bool(self.days or self.exceptions or self.weeks)


_STANDARD_TIMES: Final = (WorkingTime(480, 720), WorkingTime(780, 1020))


def _working_times(
    fields: _Fields, element: ET.Element, path: str, problems: list[Problem]
) -> tuple[WorkingTime, ...]:
    if not fields.flag("DayWorking"):
        return ()
    container = fields.kids.get("WorkingTimes")
    items = _all(container, "WorkingTime")
    if not items:
        return _STANDARD_TIMES
    out: list[WorkingTime] = []
    for k, item in enumerate(items, 1):
        where = f"{path}/WorkingTimes/WorkingTime[{k}]"
        f = _Fields(item, where, problems)
        start, end = _clock(f.text("FromTime")), _clock(f.text("ToTime"))
        if start is None or end is None:
            problems.append(Problem(where, "expected FromTime and ToTime such as 08:00:00"))
            continue
        if end == 0:
            end = 1440
        if end <= start or start >= 1440:
            problems.append(Problem(where, f"ToTime must come after FromTime, got {start}..{end}"))
            continue
        out.append(WorkingTime(start, end))
    out.sort()
    merged: list[WorkingTime] = []
    for wt in out:
        if merged and wt.start < merged[-1].end:
            problems.append(Problem(path, f"working times {merged[-1]} and {wt} overlap"))
            continue
        merged.append(wt)
    return tuple(merged)


def _period(
    f: _Fields, path: str, problems: list[Problem], name: str = "TimePeriod"
) -> tuple[date, date] | None:
    element = f.kids.get(name)
    if element is None:
        problems.append(Problem(f"{path}/{name}", "expected a FromDate and a ToDate"))
        return None
    p = _Fields(element, f"{path}/{name}", problems)
    start, end = p.when("FromDate"), p.when("ToDate")
    if start is None or end is None:
        if not any(pr.path.startswith(f"{path}/{name}/") for pr in problems):
            problems.append(Problem(f"{path}/{name}", "expected a FromDate and a ToDate"))
        return None
    last = end.date()
    if end.hour == 0 and end.minute == 0 and last > start.date():
        last -= timedelta(days=1)  # an exclusive midnight end
    if last < start.date():
        problems.append(Problem(f"{path}/{name}", f"ToDate {end} comes before FromDate {start}"))
        return None
    return start.date(), last


def _read_calendars(
    root: dict[str, ET.Element], problems: list[Problem]
) -> dict[int, _RawCalendar]:
    raw: dict[int, _RawCalendar] = {}
    for i, element in enumerate(_all(root.get("Calendars"), "Calendar"), 1):
        f = _Fields(element, f"Calendars/Calendar[{i}]", problems)
        uid = f.integer("UID")
        if uid is None:
            if f.text("UID") is None:
                f.fail("UID", "every calendar needs a UID")
            continue
        path = f"Calendars/Calendar[UID={uid}]"
        f.path = path
        if uid in raw:
            f.fail("UID", f"duplicate calendar UID {uid}")
            continue
        cal = _RawCalendar(uid, f.string("Name").strip(), path)
        cal.is_base = f.flag("IsBaseCalendar")
        base = f.integer("BaseCalendarUID")
        cal.base = None if cal.is_base or base is None or base < 0 else base
        for k, day in enumerate(_all(f.kids.get("WeekDays"), "WeekDay"), 1):
            where = f"{path}/WeekDays/WeekDay[{k}]"
            d = _Fields(day, where, problems)
            kind = d.integer("DayType")
            if kind is None or not 0 <= kind <= 7:
                d.fail(
                    "DayType",
                    "expected 0 (exception) or 1 (Sunday) .. 7 (Saturday), "
                    f"got {d.text('DayType')!r}",
                )
                continue
            times = _working_times(d, day, where, problems)
            if kind == 0:
                span = _period(d, where, problems)
                if span is not None:
                    cal.exceptions.append((span[0], span[1], times, ""))
            else:
                cal.days[(kind + 5) % 7] = times
        exceptions = _all(f.kids.get("Exceptions"), "Exception")
        if exceptions:  # the Project 2007+ form replaces the DayType 0 entries
            cal.exceptions = []
        for k, exc in enumerate(exceptions, 1):
            where = f"{path}/Exceptions/Exception[{k}]"
            cal.exceptions.extend(_expand_exception(exc, where, problems))
        for k, week in enumerate(_all(f.kids.get("WorkWeeks"), "WorkWeek"), 1):
            where = f"{path}/WorkWeeks/WorkWeek[{k}]"
            w = _Fields(week, where, problems)
            span = _period(w, where, problems)
            days: dict[int, tuple[WorkingTime, ...]] = {}
            for j, day in enumerate(_all(w.kids.get("WeekDays"), "WeekDay"), 1):
                dwhere = f"{where}/WeekDays/WeekDay[{j}]"
                d = _Fields(day, dwhere, problems)
                kind = d.integer("DayType")
                if kind is None or not 1 <= kind <= 7:
                    d.fail("DayType", "expected 1 (Sunday) .. 7 (Saturday)")
                    continue
                days[(kind + 5) % 7] = _working_times(d, day, dwhere, problems)
            if span is not None:
                if (span[1] - span[0]).days >= MAX_EXPANDED_DAYS:
                    problems.append(
                        Problem(where, f"a work week may cover at most {MAX_EXPANDED_DAYS} days")
                    )
                    continue
                cal.weeks.append((span[0], span[1], days, w.string("Name")))
        raw[uid] = cal
    return raw


def _expand_exception(
    element: ET.Element, path: str, problems: list[Problem]
) -> list[tuple[date, date, tuple[WorkingTime, ...], str]]:
    """One MSPDI exception (perhaps recurring) -> date ranges with their working times."""
    f = _Fields(element, path, problems)
    span = _period(f, path, problems)
    times = _working_times(f, element, path, problems)
    name = f.string("Name")
    if span is None:
        return []
    first, last = span
    kind = f.integer("Type", 1)
    period = max(1, f.integer("Period", 1) or 1)
    count = f.integer("Occurrences") if f.flag("EnteredByOccurrences") else None
    if count is not None and not 1 <= count <= MAX_EXPANDED_DAYS:
        f.fail("Occurrences", f"expected 1 .. {MAX_EXPANDED_DAYS}, got {count}")
        return []
    if kind == 1 and period == 1 and count is None:
        return [(first, last, times, name)]
    dates = _recurrence(f, kind, first, last, period, count)
    if dates is None:
        return []
    out: list[tuple[date, date, tuple[WorkingTime, ...], str]] = []
    for day in dates:  # consecutive days join into one range
        if out and out[-1][1] + timedelta(days=1) == day:
            out[-1] = (out[-1][0], day, times, name)
        else:
            out.append((day, day, times, name))
    return out


def _recurrence(
    f: _Fields, kind: int | None, first: date, last: date, period: int, count: int | None
) -> list[date] | None:
    limit = count if count is not None else MAX_EXPANDED_DAYS + 1
    end = last if count is None else date.max
    out: list[date] = []

    def push(day: date) -> bool:
        if day < first or day > end:
            return True
        out.append(day)
        return len(out) < limit

    try:
        if kind in (1, 7, 8):  # daily, daily by count, weekdays by count
            day, step = first, timedelta(days=period)
            while day <= end and len(out) < limit:
                if kind != 8 or day.weekday() < 5:
                    out.append(day)
                day += step if kind != 8 else timedelta(days=1)
        elif kind == 6:  # weekly on the days of a bit mask (1 Sunday .. 64 Saturday)
            mask = f.integer("DaysOfWeek", 0) or 0
            weekdays = [(bit + 6) % 7 for bit in range(7) if mask >> bit & 1]
            if not weekdays:
                f.fail("DaysOfWeek", "a weekly exception needs at least one day")
                return None
            week = first - timedelta(days=first.weekday())
            while week <= end and len(out) < limit:
                for wd in sorted(weekdays):
                    if not push(week + timedelta(days=wd)):
                        break
                week += timedelta(weeks=period)
        elif kind in (2, 3, 4, 5):  # yearly / monthly, by day of month or by position
            yearly = kind in (2, 3)
            month0 = f.integer("Month", first.month - 1) if yearly else None
            year, month = first.year, (month0 + 1 if month0 is not None else first.month)
            if not 1 <= month <= 12:
                f.fail("Month", f"expected 0 (January) .. 11 (December), got {month0}")
                return None
            while date(year, month, 1) <= end and len(out) < limit:
                hit = _month_day(f, kind in (2, 4), year, month)
                if hit is None:
                    return None
                if not push(hit):
                    break
                if yearly:
                    year += period
                else:
                    month += period
                    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
        else:
            f.fail("Type", f"expected an exception type 1 .. 8, got {kind}")
            return None
    except OverflowError:
        pass  # ran past the year 9999
    if len(out) > MAX_EXPANDED_DAYS:
        f.fail("Type", f"a recurring exception may cover at most {MAX_EXPANDED_DAYS} days")
        return None
    return out


def _month_day(f: _Fields, by_day: bool, year: int, month: int) -> date | None:
    length = _calendar.monthrange(year, month)[1]
    if by_day:
        number = f.integer("MonthDay", 1) or 1
        if not 1 <= number <= 31:
            f.fail("MonthDay", f"expected 1 .. 31, got {number}")
            return None
        return date(year, month, min(number, length))
    item = f.integer("MonthItem", 0)
    position = f.integer("MonthPosition", 0)
    if item is None or not 0 <= item <= 9:
        f.fail("MonthItem", "expected 0 (day) .. 9 (Saturday)")
        return None
    if position is None or not 0 <= position <= 4:
        f.fail("MonthPosition", "expected 0 (first) .. 4 (last)")
        return None
    days = [date(year, month, d) for d in range(1, length + 1)]
    if item == 1:
        days = [d for d in days if d.weekday() < 5]
    elif item == 2:
        days = [d for d in days if d.weekday() >= 5]
    elif item >= 3:
        days = [d for d in days if d.weekday() == (item - 3 + 6) % 7]
    return days[-1] if position == 4 else days[min(position, len(days) - 1)]


class _Calendars:
    """Resolved calendars: inheritance applied, ids given, references mapped."""

    def __init__(self, raw: dict[int, _RawCalendar], problems: list[Problem]) -> None:
        self.raw = raw
        self.problems = problems
        self.ids: dict[int, str] = {}
        self.values: dict[str, WorkCalendar] = {}
        self._resolved: dict[int, tuple[list[tuple[WorkingTime, ...]], list[Any]]] = {}
        used: set[str] = set()
        for uid, cal in raw.items():
            if cal.is_base or cal.own_changes:
                ident = _slug(cal.name) or f"calendar-{uid}"
                if ident in used:
                    ident = f"{ident}-{uid}"
                used.add(ident)
                self.ids[uid] = ident

    def resolve(self, uid: int, seen: tuple[int, ...] = ()) -> tuple[list[Any], list[Any]] | None:
        if uid in self._resolved:
            return self._resolved[uid]
        cal = self.raw[uid]
        if uid in seen:
            self.problems.append(Problem(cal.path, "calendars derive from each other in a cycle"))
            return None
        week: list[tuple[WorkingTime, ...]] = [_STANDARD_TIMES] * 5 + [(), ()]
        exceptions: list[Any] = []
        if cal.base is not None:
            if cal.base not in self.raw:
                self.problems.append(
                    Problem(f"{cal.path}/BaseCalendarUID", f"no calendar has UID {cal.base}")
                )
                return None
            inherited = self.resolve(cal.base, (*seen, uid))
            if inherited is None:
                return None
            week, exceptions = list(inherited[0]), list(inherited[1])
        elif not cal.is_base:
            week = [()] * 7
        for day, times in cal.days.items():
            week[day] = times
        own: list[Any] = list(cal.exceptions)
        for start, end, days, name in cal.weeks:
            own.extend(_week_exceptions(start, end, days, week, own, name))
        if own:
            exceptions = [e for e in exceptions if not any(_overlap(e, o) for o in own)] + own
        exceptions.sort(key=lambda e: e[0])
        result = (week, exceptions)
        self._resolved[uid] = result
        return result

    def reference(self, uid: int | None, path: str) -> str | None:
        """Calendar id for a reference; None for 'no calendar' (-1)."""
        if uid is None or uid < 0:
            return None
        if uid not in self.raw:
            self.problems.append(Problem(path, f"no calendar has UID {uid}"))
            return None
        cal = self.raw[uid]
        while uid not in self.ids and cal.base is not None:
            if cal.base not in self.raw:
                self.problems.append(
                    Problem(f"{cal.path}/BaseCalendarUID", f"no calendar has UID {cal.base}")
                )
                return None
            uid = cal.base
            cal = self.raw[uid]
        if uid not in self.ids:
            self.problems.append(Problem(path, f"calendar UID {uid} has no base calendar"))
            return None
        ident = self.ids[uid]
        if ident not in self.values:
            self.values[ident] = self._build(uid, ident)
        return ident

    def _build(self, uid: int, ident: str) -> WorkCalendar:
        cal = self.raw[uid]
        resolved = self.resolve(uid)
        if resolved is None:
            return WorkCalendar.standard(ident)
        week, exceptions = resolved
        try:
            return WorkCalendar(
                ident,
                week,
                exceptions=[
                    CalendarException(s, e, working_times=t, name=n) for s, e, t, n in exceptions
                ],
                name=cal.name,
            )
        except ValidationError as exc:
            self.problems.extend(p.prefixed(cal.path) for p in exc.problems)
            return WorkCalendar.standard(ident)


def _overlap(a: tuple[date, date, Any, Any], b: tuple[date, date, Any, Any]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def _week_exceptions(
    start: date,
    end: date,
    days: dict[int, tuple[WorkingTime, ...]],
    week: list[tuple[WorkingTime, ...]],
    taken: list[Any],
    name: str,
) -> list[tuple[date, date, tuple[WorkingTime, ...], str]]:
    """A work week as dated exceptions, skipping days the calendar's exceptions cover."""
    out: list[tuple[date, date, tuple[WorkingTime, ...], str]] = []
    day = start
    while day <= end:
        if not any(t[0] <= day <= t[1] for t in taken):
            times = days.get(day.weekday(), week[day.weekday()])
            if out and out[-1][1] + timedelta(days=1) == day and out[-1][2] == times:
                out[-1] = (out[-1][0], day, times, name)
            else:
                out.append((day, day, times, name))
        day += timedelta(days=1)
    return out


# =========================================================================== reading


def read(path: str | os.PathLike[str]) -> Project:
    """Read a Microsoft Project XML (MSPDI) file into a :class:`~pmsm_core.Project`.

    Parameters
    ----------
    path
        The ``.xml`` file.

    Returns
    -------
    Project
        A dated project; see the module docstring for what maps to what.

    Raises
    ------
    DocumentError
        If the file cannot be read, is not well-formed MSPDI, carries a DTD, or holds an
        invalid value; every problem names its element.

    Warns
    -----
    MspdiWarning
        For parts the engine does not model (manual scheduling, resource-driven dates,
        elapsed task durations, cross-project links).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from pmsm_core.model import Activity
    >>> p = Project(
    ...     "P", start=datetime(2026, 1, 5, 8), activities=[Activity("1", "Plan", Duration(480))]
    ... )
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "plan.xml"
    >>> write(p, path)
    >>> read(path) == p
    True
    """
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        msg = f"cannot read {os.fspath(path)!r}: {exc.strerror}"
        raise DocumentError(msg, path="Project") from None
    return reads(data)


def reads(text: str | bytes) -> Project:
    """Read MSPDI from a string or bytes; see :func:`read`.

    Examples
    --------
    >>> xml = '''<Project xmlns="http://schemas.microsoft.com/project">
    ...   <Name>demo</Name><StartDate>2026-01-05T08:00:00</StartDate>
    ...   <Tasks>
    ...     <Task><UID>1</UID><Name>Design</Name><OutlineLevel>1</OutlineLevel>
    ...       <Duration>PT16H0M0S</Duration><DurationFormat>7</DurationFormat></Task>
    ...     <Task><UID>2</UID><Name>Build</Name><OutlineLevel>1</OutlineLevel>
    ...       <Duration>PT24H0M0S</Duration>
    ...       <PredecessorLink><PredecessorUID>1</PredecessorUID><Type>1</Type>
    ...         <LinkLag>4800</LinkLag><LagFormat>7</LagFormat></PredecessorLink></Task>
    ...   </Tasks>
    ... </Project>'''
    >>> p = reads(xml)
    >>> [(a.id, a.name, str(a.duration)) for a in p.activities]
    [('1', 'Design', '2d'), ('2', 'Build', '3d')]
    >>> p.dependencies[0].lag
    Duration(minutes=480, elapsed=False, unit=<TimeUnit.DAY: 'd'>)
    >>> reads(
    ...     '<Project xmlns="http://schemas.microsoft.com/project"><StartDate>soon</StartDate></Project>'
    ... )
    Traceback (most recent call last):
    ...
    pmsm_core.exceptions.DocumentError: Project/StartDate: expected a date-time such as ...
    """
    data = text.encode("utf-8") if isinstance(text, str) else text
    if isinstance(text, str) and text.lstrip().startswith("<?xml"):
        # the declaration may name another encoding; the text is already decoded
        data = re.sub(rb"^\s*<\?xml[^>]*\?>", b"", data, count=1)
    root = _parse(data)
    with no_gc():
        return _Reader(root).project()


class _Reader:
    def __init__(self, root: ET.Element) -> None:
        self.root = root
        self.problems: list[Problem] = []
        self.head = _Fields(root, "Project", self.problems)
        self.notes: dict[str, list[str]] = {}
        self.calendar = WorkCalendar.standard()
        self.ignore_resource_calendar: set[str] = set()
        self.lags: dict[tuple[str, str], Duration] = {}

    def note(self, kind: str, item: str) -> None:
        self.notes.setdefault(kind, []).append(item)

    def fail(self) -> None:
        if self.problems:
            raise DocumentError(self.problems)

    def project(self) -> Project:
        head = self.head
        kids = head.kids
        start = head.when("StartDate")
        if start is None and "StartDate" not in kids:
            head.fail("StartDate", "an MSPDI project needs a StartDate")
        if not head.flag("ScheduleFromStart") and "ScheduleFromStart" in kids:
            self.note("from-finish", "the project")
        factors = {
            "minutes_per_day": head.integer("MinutesPerDay", 480),
            "minutes_per_week": head.integer("MinutesPerWeek", 2400),
            "days_per_month": head.integer("DaysPerMonth", 20),
        }
        for key, low, high in (
            ("minutes_per_day", 1, 1440),
            ("minutes_per_week", 1, 10080),
            ("days_per_month", 1, 31),
        ):
            value = factors[key]
            if value is None or not low <= value <= high:
                tag = {"minutes_per_day": "MinutesPerDay", "minutes_per_week": "MinutesPerWeek"}
                head.fail(tag.get(key, "DaysPerMonth"), f"expected {low} .. {high}, got {value}")
                factors[key] = {"minutes_per_day": 480, "minutes_per_week": 2400}.get(key, 20)
        status = head.when("StatusDate")
        calendars = _Calendars(_read_calendars(kids, self.problems), self.problems)
        for uid, raw in calendars.raw.items():
            if raw.is_base:  # every base calendar is part of the project, used or not
                calendars.reference(uid, raw.path)
        project_uid = head.integer("CalendarUID")
        project_cal: str | None = None
        if project_uid is not None and project_uid >= 0:
            project_cal = calendars.reference(project_uid, "Project/CalendarUID")
        if project_cal is not None:
            self.calendar = calendars.values[project_cal]
        id_fields = self._id_fields(kids)
        task_elements = _all(kids.get("Tasks"), "Task")
        resources, resource_ids = self._resources(kids, calendars, id_fields)
        activities, dependencies, baselines, uid_of = self._tasks(
            task_elements, calendars, id_fields
        )
        self._assignments(kids, activities, uid_of, resource_ids)
        self._resource_driven(activities, resources, calendars)
        self.fail()
        project_calendar = self.calendar
        order = [calendars.ids[uid] for uid in calendars.raw if uid in calendars.ids]
        others = [c for k, c in calendars.values.items() if k != project_calendar.id]
        ident = self._project_id(head.string("Name").strip())
        title = head.text("Title")
        if title is None and task_elements:  # Microsoft Project keeps the title on task 0
            first = _Fields(task_elements[0], "Tasks/Task[1]", self.problems)
            if first.integer("UID") == 0:
                title = first.string("Name")
        ordered = list(activities.values())
        self._warn_notes()
        try:
            return Project(
                ident,
                title or "",
                start=start,
                calendar=project_calendar,
                calendars=sorted(others, key=lambda c: order.index(c.id)),
                activities=ordered,
                dependencies=dependencies,
                resources=resources,
                baselines=baselines,
                status_date=status,
                **factors,  # type: ignore[arg-type]
            )
        except ValidationError as exc:
            raise DocumentError([p.prefixed("Project (as read)") for p in exc.problems]) from None

    @staticmethod
    def _project_id(name: str) -> str:
        for suffix in (".xml", ".mpp", ".XML", ".MPP"):
            if name.endswith(suffix):
                name = name[: -len(suffix)]
        name = name.strip()
        return name or "project"

    def _id_fields(self, kids: dict[str, ET.Element]) -> set[str]:
        out: set[str] = set()
        for element in _all(kids.get("ExtendedAttributes"), "ExtendedAttribute"):
            f = _Fields(element, "ExtendedAttributes/ExtendedAttribute", self.problems)
            if f.string("Alias").strip() == ID_FIELD_ALIAS:
                out.add(f.string("FieldID").strip())
        return out

    def _custom_id(self, element: ET.Element, id_fields: set[str]) -> str | None:
        if not id_fields:
            return None
        for attribute in element.iterfind("ExtendedAttribute"):
            kids = _children(attribute)
            field = kids.get("FieldID")
            if field is not None and (field.text or "").strip() in id_fields:
                value = kids.get("Value")
                text = (value.text or "") if value is not None else ""
                return text if text and text == text.strip() else None
        return None

    # ------------------------------------------------------------------ resources
    def _resources(
        self, kids: dict[str, ET.Element], calendars: _Calendars, id_fields: set[str]
    ) -> tuple[list[Resource], dict[int, str]]:
        resources: list[Resource] = []
        ids: dict[int, str] = {}
        seen: set[str] = set()
        for i, element in enumerate(_all(kids.get("Resources"), "Resource"), 1):
            f = _Fields(element, f"Resources/Resource[{i}]", self.problems)
            uid = f.integer("UID")
            if uid is None:
                f.fail("UID", "every resource needs a UID")
                continue
            f.path = f"Resources/Resource[UID={uid}]"
            name = f.string("Name")
            if f.flag("IsNull") or (uid == 0 and not name.strip()):
                continue  # blank rows and Microsoft Project's unnamed placeholder
            ident = self._custom_id(element, id_fields) or str(uid)
            if uid in ids or ident in seen:
                f.fail("UID", f"duplicate resource {ident!r}")
                continue
            code = f.integer("Type", 1)
            kind = _RESOURCE_KINDS.get(code if code is not None else 1)
            if kind is None:
                f.fail("Type", f"expected 0 (material), 1 (work) or 2 (cost), got {code}")
                continue
            if f.flag("IsCostResource"):
                kind = ResourceKind.COST
            capacity = f.number("MaxUnits", 1.0)
            rate = f.number("StandardRate", 0.0)
            calendar = calendars.reference(f.integer("CalendarUID"), f"{f.path}/CalendarUID")
            try:
                resources.append(
                    Resource(
                        ident,
                        name,
                        kind=kind,
                        capacity=capacity if capacity is not None else 1.0,
                        calendar=calendar,
                        cost_per_hour=rate if rate is not None else 0.0,
                        cost_per_use=f.money("CostPerUse"),
                    )
                )
            except ValidationError as exc:
                self.problems.extend(p.prefixed(f.path) for p in exc.problems)
                continue
            ids[uid] = ident
            seen.add(ident)
        return resources, ids

    # ------------------------------------------------------------------ tasks
    def _tasks(
        self,
        elements: list[ET.Element],
        calendars: _Calendars,
        id_fields: set[str],
    ) -> tuple[dict[str, Activity], list[Dependency], list[Baseline], dict[int, str]]:
        rows: list[tuple[_Fields, ET.Element, int, str, int]] = []
        uid_of: dict[int, str] = {}
        seen: set[str] = set()
        for i, element in enumerate(elements, 1):
            f = _Fields(element, f"Tasks/Task[{i}]", self.problems)
            uid = f.integer("UID")
            if uid is None:
                f.fail("UID", "every task needs a UID")
                continue
            f.path = f"Tasks/Task[UID={uid}]"
            if uid == 0 or f.flag("IsNull"):
                continue  # the project summary task and blank rows
            ident = self._custom_id(element, id_fields) or str(uid)
            if uid in uid_of or ident in seen:
                f.fail("UID", f"duplicate task {ident!r}")
                continue
            level = f.integer("OutlineLevel")
            if level is None:
                number = f.string("OutlineNumber").strip()
                level = len(number.split(".")) if number else 1
            if not 1 <= level <= 1000:
                f.fail("OutlineLevel", f"expected 1 .. 1000, got {level}")
                continue
            uid_of[uid] = ident
            seen.add(ident)
            rows.append((f, element, uid, ident, level))
        # parents from the outline levels
        parents: dict[str, str | None] = {}
        has_children: set[str] = set()
        stack: list[tuple[int, str]] = []
        for f, _, _, ident, level in rows:
            while stack and stack[-1][0] >= level:
                stack.pop()
            if stack and level > stack[-1][0] + 1:
                f.fail("OutlineLevel", f"level {level} below a task of level {stack[-1][0]}")
            parent = stack[-1][1] if stack else None
            parents[ident] = parent
            if parent is not None:
                has_children.add(parent)
            stack.append((level, ident))
        activities: dict[str, Activity] = {}
        dependencies: list[Dependency] = []
        baselines: dict[int, list[BaselineActivity]] = {}
        for f, element, _uid, ident, _ in rows:
            summary = ident in has_children
            activity = self._activity(f, ident, parents[ident], summary, calendars)
            if activity is not None:
                activities[ident] = activity
            self._links(f, element, ident, uid_of, dependencies)
            self._baselines(f, element, ident, baselines)
        return (
            activities,
            dependencies,
            [Baseline(n, baselines[n]) for n in sorted(baselines)],
            uid_of,
        )

    def _activity(
        self,
        f: _Fields,
        ident: str,
        parent: str | None,
        summary: bool,
        calendars: _Calendars,
    ) -> Activity | None:
        minutes = f.duration("Duration") or 0
        code = f.integer("DurationFormat", 7)
        fmt = _FORMATS.get(_base_format(code))
        unit, elapsed = fmt if fmt is not None else (TimeUnit.DAY, False)
        calendar = calendars.reference(f.integer("CalendarUID"), f"{f.path}/CalendarUID")
        if f.flag("Manual"):
            self.note("manual", ident)
        if f.flag("IgnoreResourceCalendar"):
            self.ignore_resource_calendar.add(ident)
        if summary:
            minutes = 0
        elif elapsed and minutes:
            self.note("elapsed", ident)
            start, finish = f.when("Start"), f.when("Finish")
            cal = calendars.values[calendar] if calendar is not None else self.calendar
            if start is not None and finish is not None and finish >= start:
                minutes = cal.working_minutes_between(start, finish)
            unit = TimeUnit.DAY
        if minutes < 0:
            f.fail("Duration", "a task duration cannot be negative")
            minutes = 0
        milestone = f.flag("Milestone") and not summary
        if milestone and minutes:
            self.note("long-milestone", ident)
            milestone = False
        kind_code = f.integer("ConstraintType", 0)
        kind = _CONSTRAINTS.get(kind_code if kind_code is not None else 0)
        if kind is None:
            f.fail(
                "ConstraintType",
                f"expected a constraint code 0 (ASAP) .. 7 (FNLT), got {kind_code}",
            )
            kind = ConstraintType.ASAP
        constraint = ScheduleConstraint()
        if kind.needs_date:
            when = f.when("ConstraintDate")
            if when is None:
                if f.text("ConstraintDate") is None:
                    f.fail("ConstraintDate", f"constraint {kind.value} needs a ConstraintDate")
            else:
                constraint = ScheduleConstraint(kind, when)
        elif kind is ConstraintType.ALAP:
            constraint = ScheduleConstraint(kind)
        progress = None if summary else self._progress(f)
        try:
            return Activity(
                ident,
                f.string("Name"),
                Duration(minutes, unit=unit),
                parent=parent,
                milestone=milestone,
                calendar=calendar,
                constraint=constraint,
                deadline=f.when("Deadline"),
                cost=f.money("FixedCost"),
                progress=progress,
                notes=f.string("Notes"),
            )
        except ValidationError as exc:
            self.problems.extend(p.prefixed(f.path) for p in exc.problems)
            return None

    def _resource_driven(
        self, activities: dict[str, Activity], resources: list[Resource], calendars: _Calendars
    ) -> None:
        """Note tasks whose work resources run on calendars other than the task's."""
        resource_calendar = {r.id: r.calendar for r in resources if r.kind is ResourceKind.WORK}
        for ident, activity in activities.items():
            if ident in self.ignore_resource_calendar or not activity.duration.minutes:
                continue
            own = activity.calendar or self.calendar.id
            for assignment in activity.assignments:
                cal = resource_calendar.get(assignment.resource)
                if cal is not None and cal != own:
                    self.note("resource-driven", ident)
                    break

    def _progress(self, f: _Fields) -> Progress | None:
        actual_start = f.when("ActualStart")
        percent = f.number("PercentComplete", 0.0) or 0.0
        actual_cost = f.money("ActualCost")
        if actual_start is None and percent == 0 and actual_cost == 0:
            return None
        physical = f.number("PhysicalPercentComplete")
        remaining = f.duration("RemainingDuration") if actual_start is not None else None
        minutes = f.duration("Duration") or 0
        if remaining == minutes - round(minutes * percent / 100):
            remaining = None  # what the percent complete implies: not given separately
        try:
            return Progress(
                actual_start,
                f.when("ActualFinish"),
                percent_complete=percent,
                physical_percent_complete=physical if physical else None,
                remaining_duration=Duration(remaining) if remaining is not None else None,
                actual_cost=actual_cost,
            )
        except ValidationError as exc:
            self.problems.extend(p.prefixed(f.path) for p in exc.problems)
            return None

    def _links(
        self,
        f: _Fields,
        element: ET.Element,
        successor: str,
        uid_of: dict[int, str],
        out: list[Dependency],
    ) -> None:
        lags = self.lags
        for k, link in enumerate(_all(element, "PredecessorLink"), 1):
            # fast path for the common, well-formed link; anything else is checked below
            v = {c.tag: c.text for c in link}
            uid_text, type_text = v.get("PredecessorUID") or "", v.get("Type") or "1"
            lag_text, fmt_text = v.get("LinkLag") or "0", v.get("LagFormat") or "7"
            if (
                v.get("CrossProject") in (None, "0")
                and uid_text.isdigit()
                and len(uid_text) < 12
                and type_text in _FAST_TYPES
                and fmt_text in _FAST_FORMATS
                and lag_text.lstrip("-").isdigit()
                and len(lag_text) < 12
            ):
                predecessor = uid_of.get(int(uid_text))
                key = (lag_text, fmt_text)
                known = lags.get(key)
                if known is None:
                    unit, elapsed = _FAST_FORMATS[fmt_text]
                    known = Duration(round(int(lag_text) / 10), elapsed=elapsed, unit=unit)
                    lags[key] = known
                if predecessor is not None and predecessor != successor:
                    out.append(Dependency(predecessor, successor, _FAST_TYPES[type_text], known))
                    continue
            lf = _Fields(link, f"{f.path}/PredecessorLink[{k}]", self.problems)
            if lf.flag("CrossProject"):
                self.note("cross-project", successor)
                continue
            uid = lf.integer("PredecessorUID")
            if uid is None:
                if lf.text("PredecessorUID") is None:
                    lf.fail("PredecessorUID", "a link needs its predecessor's UID")
                continue
            predecessor = uid_of.get(uid)
            if predecessor is None:
                lf.fail("PredecessorUID", f"no task has UID {uid}")
                continue
            code = lf.integer("Type", 1)
            kind = _LINK_TYPES.get(code if code is not None else 1)
            if kind is None:
                lf.fail(
                    "Type", f"expected a link type 0 (FF), 1 (FS), 2 (SF) or 3 (SS), got {code}"
                )
                continue
            raw = lf.integer("LinkLag", 0) or 0
            fmt_code = lf.integer("LagFormat", 7)
            base = _base_format(fmt_code)
            if base not in _FORMATS:
                lf.fail("LagFormat", f"unknown lag format code {fmt_code}")
                continue
            fmt = _FORMATS[base]
            try:
                if fmt is None:
                    lag: Duration | PercentLag = PercentLag(float(raw), elapsed=base == 20)
                else:
                    unit, elapsed = fmt
                    lag = Duration(round(raw / 10), elapsed=elapsed, unit=unit)
                out.append(Dependency(predecessor, successor, kind, lag))
            except ValidationError as exc:
                self.problems.extend(p.prefixed(lf.path) for p in exc.problems)

    def _baselines(
        self, f: _Fields, element: ET.Element, ident: str, out: dict[int, list[BaselineActivity]]
    ) -> None:
        for k, item in enumerate(_all(element, "Baseline"), 1):
            bf = _Fields(item, f"{f.path}/Baseline[{k}]", self.problems)
            number = bf.integer("Number")
            if number is None or not 0 <= number <= 10:
                bf.fail("Number", f"expected a baseline number 0 .. 10, got {bf.text('Number')!r}")
                continue
            if not any(name in bf.kids for name in ("Start", "Finish", "Duration", "Cost", "Work")):
                continue  # only fields the model does not hold (estimates, fixed cost ...)
            duration = bf.duration("Duration")
            work = bf.duration("Work")
            try:
                out.setdefault(number, []).append(
                    BaselineActivity(
                        ident,
                        bf.when("Start"),
                        bf.when("Finish"),
                        duration=Duration(duration or 0),
                        cost=bf.money("Cost"),
                        work=Duration(work) if work is not None else None,
                    )
                )
            except ValidationError as exc:
                self.problems.extend(p.prefixed(bf.path) for p in exc.problems)

    # ------------------------------------------------------------------ assignments
    def _assignments(
        self,
        kids: dict[str, ET.Element],
        activities: dict[str, Activity],
        uid_of: dict[int, str],
        resource_ids: dict[int, str],
    ) -> None:
        found: dict[str, list[Assignment]] = {}
        durations = {k: a.duration.minutes for k, a in activities.items()}
        for i, element in enumerate(_all(kids.get("Assignments"), "Assignment"), 1):
            f = _Fields(element, f"Assignments/Assignment[{i}]", self.problems)
            uid = f.integer("UID")
            if uid is not None:
                f.path = f"Assignments/Assignment[UID={uid}]"
            task, resource = f.integer("TaskUID"), f.integer("ResourceUID")
            if task is None or resource is None:
                f.fail("TaskUID", "an assignment needs a TaskUID and a ResourceUID")
                continue
            if resource == _UNASSIGNED_RESOURCE or task == 0:
                continue
            activity = uid_of.get(task)
            if activity is None:
                f.fail("TaskUID", f"no task has UID {task}")
                continue
            resource_id = resource_ids.get(resource)
            if resource_id is None:
                f.fail("ResourceUID", f"no resource has UID {resource}")
                continue
            if activity not in activities:
                continue  # the task itself is in error; reported there
            units = f.number("Units", 1.0)
            work = f.duration("Work")
            duration = durations.get(activity, 0)
            if work is not None and units is not None and work == round(duration * units):
                work = None  # what duration x units implies: not given separately
            try:
                found.setdefault(activity, []).append(
                    Assignment(
                        resource_id,
                        units if units is not None else 1.0,
                        work=Duration(work) if work is not None else None,
                    )
                )
            except ValidationError as exc:
                self.problems.extend(p.prefixed(f.path) for p in exc.problems)
        parents = {a.parent for a in activities.values() if a.parent is not None}
        for activity, assignments in found.items():
            if activity in parents:
                self.note("summary-assignment", activity)
                continue
            activities[activity] = _evolve(activities[activity], assignments=tuple(assignments))

    def _warn_notes(self) -> None:
        notes = self.notes
        if "manual" in notes:
            _warn(
                "manually scheduled tasks are read as automatically scheduled (the engine has "
                f"no manual mode) ({_listing(notes['manual'], 'task')})"
            )
        if "resource-driven" in notes:
            _warn(
                "tasks timed by their resources' calendars in Microsoft Project are timed by "
                f"their own calendar here ({_listing(notes['resource-driven'], 'task')})"
            )
        if "elapsed" in notes:
            _warn(
                "elapsed task durations are read as the working time between the saved start "
                f"and finish ({_listing(notes['elapsed'], 'task')})"
            )
        if "long-milestone" in notes:
            _warn(
                "milestones with a duration are read as ordinary activities "
                f"({_listing(notes['long-milestone'], 'task')})"
            )
        if "cross-project" in notes:
            _warn(
                "links into other projects are left out "
                f"({_listing(notes['cross-project'], 'task')})"
            )
        if "summary-assignment" in notes:
            _warn(
                "assignments on summary tasks are left out (assign resources to the children) "
                f"({_listing(notes['summary-assignment'], 'task')})"
            )
        if "from-finish" in notes:
            _warn("the project is scheduled from its finish in the file; it is read from its start")


def _evolve(activity: Activity, **changes: Any) -> Activity:
    import attrs

    return attrs.evolve(activity, **changes)


def _base_format(code: int | None) -> int:
    """Estimated format codes (35..44, 51..53) -> their plain codes."""
    if code is None:
        return 7
    if 35 <= code <= 44:
        return code - 32
    if 51 <= code <= 53:
        return code - 32
    return code


# =========================================================================== writing

_INVALID_XML: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _escape(text: str, where: str) -> str:
    bad = _INVALID_XML.search(text)
    if bad is not None:
        msg = f"character U+{ord(bad.group()):04X} cannot be stored in XML"
        raise DocumentError(msg, path=where)
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def _dt(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:00")


def _iso_duration(minutes: int) -> str:
    sign = "-" if minutes < 0 else ""
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}PT{hours}H{rest}M0S"


def _hundredths(amount: float) -> str:
    value = Decimal(repr(float(amount))) * 100
    text = format(value.normalize(), "f")
    return text[:-2] if text.endswith(".0") else text


def _number(value: float) -> str:
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def _time(minute: int) -> str:
    return f"{minute // 60 % 24:02d}:{minute % 60:02d}:00"


def _uids(ids: list[str]) -> tuple[dict[str, int], bool]:
    """UIDs for ids: the ids themselves when all are plain numbers, else 1, 2, 3 ..."""
    plain = all(
        i.isascii() and i.isdigit() and str(int(i)) == i and 1 <= int(i) <= _MAX_UID for i in ids
    )
    if plain:
        return {i: int(i) for i in ids}, False
    return {i: n for n, i in enumerate(ids, 1)}, True


def writes(project: Project, *, schedule: Schedule | bool = True) -> str:
    """Return ``project`` as Microsoft Project XML (MSPDI) text.

    Parameters
    ----------
    project
        A dated project (MSPDI has no undated form).
    schedule
        ``True`` (default) schedules the project and writes the computed dates, slack and
        critical flags; a :class:`~pmsm_core.scheduling.Schedule` of the project is written
        as given; ``False`` writes the inputs only.

    Raises
    ------
    DocumentError
        For an undated project or text XML cannot hold (control characters).

    Warns
    -----
    MspdiWarning
        For parts of the project MSPDI has no place for.

    Examples
    --------
    >>> from pmsm_core.model import Activity, Dependency
    >>> p = Project(
    ...     "plan",
    ...     "Plan",
    ...     start=datetime(2026, 1, 5, 8),
    ...     activities=[
    ...         Activity("A", "Design", Duration(960)),
    ...         Activity("B", "Build", Duration(480)),
    ...     ],
    ...     dependencies=[Dependency("A", "B")],
    ... )
    >>> text = writes(p)
    >>> "<TotalSlack>0</TotalSlack>" in text, reads(text) == p
    (True, True)
    """
    if project.start is None:
        msg = (
            f"project {project.id!r} is undated; MSPDI files are dated: give the project a start "
            "(and durations in minutes of working time) before writing it"
        )
        raise DocumentError(msg, path="start")
    result: Schedule | None
    if schedule is True:
        from pmsm_core.scheduling.schedule import schedule as run_schedule

        try:
            result = run_schedule(project)
        except PmsmError as exc:
            _warn(f"the project cannot be scheduled ({exc}); dates are left out")
            result = None
    elif schedule is False:
        result = None
    else:
        result = schedule
    _warn_unwritable(project)
    with no_gc():
        return "".join(_Writer(project, result).lines())


def write(
    project: Project, path: str | os.PathLike[str], *, schedule: Schedule | bool = True
) -> None:
    """Write ``project`` to an MSPDI file (UTF-8); see :func:`writes`.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from pmsm_core.model import Activity
    >>> p = Project(
    ...     "P", start=datetime(2026, 1, 5, 8), activities=[Activity("A", duration=Duration(60))]
    ... )
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "p.xml"
    >>> write(p, path)
    >>> path.read_text(encoding="utf-8").startswith('<?xml version="1.0" encoding="UTF-8"')
    True
    """
    Path(path).write_text(writes(project, schedule=schedule), encoding="utf-8")


def _warn_unwritable(project: Project) -> None:
    parts = [
        ("phases", project.phases),
        ("risks", project.risks),
        ("suppliers", project.suppliers),
        ("procurement items", project.procurement),
        ("stakeholders", project.stakeholders),
        ("quality metrics", project.quality_metrics),
    ]
    lost = [f"{len(items)} {name}" for name, items in parts if items]
    tc = project.triple_constraint
    if tc.target_finish is not None or tc.deadline is not None or tc.budget is not None or tc.scope:
        lost.append("the triple constraint")
    if project.description:
        lost.append("the description")
    if lost:
        _warn(f"MSPDI has no place for {', '.join(lost)}; they are not written")
    renamed = [
        f"{c.id!r} as {_slug(c.name or c.id)!r}"
        for c in (project.calendar, *project.calendars)
        if _slug(c.name or c.id) != c.id
    ]
    if renamed:
        _warn(
            "MSPDI keeps calendar names, not ids: reading the file back names calendar "
            + ", ".join(renamed)
        )
    supplied = [r.id for r in project.resources if r.supplier is not None]
    if supplied:
        _warn(
            f"MSPDI has no place for the suppliers of resources ({_listing(supplied, 'resource')})"
            "; they are not written"
        )
    estimates = [a.id for a in project.activities if a.estimate is not None]
    if estimates:
        _warn(
            f"MSPDI has no place for duration estimates ({_listing(estimates, 'activity')}); "
            "they are not written"
        )
    phased = [a.id for a in project.activities if a.phase is not None]
    if phased:
        _warn(f"MSPDI has no place for phases of activities ({_listing(phased, 'activity')})")
    odd = [
        f"{d.predecessor}->{d.successor}"
        for d in project.dependencies
        if isinstance(d.lag, PercentLag) and d.lag.percent != round(d.lag.percent)
    ]
    if odd:
        _warn(f"MSPDI stores whole percent lags; {_listing(odd, 'link')} are rounded")
    fractional = [
        a.id
        for a in project.activities
        if a.progress is not None
        and (
            a.progress.percent_complete != round(a.progress.percent_complete)
            or (a.progress.physical_percent_complete or 0)
            != round(a.progress.physical_percent_complete or 0)
        )
    ]
    if fractional:
        _warn(f"MSPDI stores whole percentages; {_listing(fractional, 'activity')} are rounded")


class _Writer:
    def __init__(self, project: Project, result: Schedule | None) -> None:
        self.p = project
        self.s = result
        order = [a for _, a in project.walk()]
        self.order = order
        self.task_uid, self.task_ids = _uids([a.id for a in order])
        self.res_uid, self.res_ids = _uids([r.id for r in project.resources])
        cals = [project.calendar, *project.calendars]
        self.cal_uid = {c.id: n for n, c in enumerate(cals, 1)}
        self.calendars = cals
        # one derived calendar per resource with a calendar (as Microsoft Project keeps them)
        self.res_cal_uid: dict[str, int] = {}
        next_uid = len(cals) + 1
        for r in project.resources:
            if r.calendar is not None:
                self.res_cal_uid[r.id] = next_uid
                next_uid += 1

    def lines(self) -> Iterator[str]:
        p, s = self.p, self.s
        yield '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        yield f'<Project xmlns="{NAMESPACE}">\n'
        yield "<SaveVersion>14</SaveVersion>\n"
        yield f"<Name>{_escape(p.id, 'id')}</Name>\n"
        yield f"<Title>{_escape(p.name, 'name')}</Title>\n"
        yield "<ScheduleFromStart>1</ScheduleFromStart>\n"
        assert p.start is not None
        yield f"<StartDate>{_dt(p.start)}</StartDate>\n"
        if s is not None and isinstance(s.finish, datetime):
            yield f"<FinishDate>{_dt(s.finish)}</FinishDate>\n"
        yield "<CriticalSlackLimit>0</CriticalSlackLimit>\n"
        yield f"<CalendarUID>{self.cal_uid[p.calendar.id]}</CalendarUID>\n"
        yield f"<MinutesPerDay>{p.minutes_per_day}</MinutesPerDay>\n"
        yield f"<MinutesPerWeek>{p.minutes_per_week}</MinutesPerWeek>\n"
        yield f"<DaysPerMonth>{p.days_per_month}</DaysPerMonth>\n"
        yield "<HonorConstraints>1</HonorConstraints>\n"
        yield "<MultipleCriticalPaths>0</MultipleCriticalPaths>\n"
        if isinstance(p.status_date, datetime):
            yield f"<StatusDate>{_dt(p.status_date)}</StatusDate>\n"
        yield "<NewTasksAreManual>0</NewTasksAreManual>\n"
        if self.task_ids or self.res_ids:
            yield "<ExtendedAttributes>\n"
            if self.task_ids:
                yield (
                    f"<ExtendedAttribute><FieldID>{_TASK_TEXT1}</FieldID><FieldName>Text1"
                    f"</FieldName><Alias>{ID_FIELD_ALIAS}</Alias></ExtendedAttribute>\n"
                )
            if self.res_ids:
                yield (
                    f"<ExtendedAttribute><FieldID>{_RESOURCE_TEXT1}</FieldID><FieldName>Text1"
                    f"</FieldName><Alias>{ID_FIELD_ALIAS}</Alias></ExtendedAttribute>\n"
                )
            yield "</ExtendedAttributes>\n"
        yield "<Calendars>\n"
        for cal in self.calendars:
            yield from self._calendar(cal)
        for r in p.resources:
            if r.calendar is not None:
                yield (
                    f"<Calendar><UID>{self.res_cal_uid[r.id]}</UID>"
                    f"<Name>{_escape(r.name or r.id, f'resources[{r.id}].name')}</Name>"
                    "<IsBaseCalendar>0</IsBaseCalendar>"
                    f"<BaseCalendarUID>{self.cal_uid[r.calendar]}</BaseCalendarUID></Calendar>\n"
                )
        yield "</Calendars>\n<Tasks>\n"
        yield from self._summary_task()
        yield from self._tasks()
        yield "</Tasks>\n"
        if p.resources:
            yield "<Resources>\n"
            yield from self._resources()
            yield "</Resources>\n"
        assignments = [(a, x) for a in self.order for x in a.assignments]
        if assignments:
            yield "<Assignments>\n"
            for n, (activity, asg) in enumerate(assignments, 1):
                work = (
                    asg.work.minutes
                    if asg.work is not None
                    else round(activity.duration.minutes * asg.units)
                )
                share = activity.progress.percent_complete / 100 if activity.progress else 0.0
                done = round(work * share)
                parts = [
                    f"<Assignment><UID>{n}</UID><TaskUID>{self.task_uid[activity.id]}</TaskUID>",
                    f"<ResourceUID>{self.res_uid[asg.resource]}</ResourceUID>",
                    f"<ActualWork>{_iso_duration(done)}</ActualWork>",
                    f"<RemainingWork>{_iso_duration(work - done)}</RemainingWork>",
                    f"<Units>{_number(asg.units)}</Units>",
                    f"<Work>{_iso_duration(work)}</Work>",
                    "</Assignment>\n",
                ]
                yield "".join(parts)
            yield "</Assignments>\n"
        yield "</Project>\n"

    # ------------------------------------------------------------------ calendars
    def _calendar(self, cal: WorkCalendar) -> Iterator[str]:
        where = f"calendars[{cal.id}]"
        yield (
            f"<Calendar><UID>{self.cal_uid[cal.id]}</UID>"
            f"<Name>{_escape(cal.name or cal.id, where + '.name')}</Name>"
            "<IsBaseCalendar>1</IsBaseCalendar><BaseCalendarUID>-1</BaseCalendarUID><WeekDays>"
        )
        for index in range(7):
            day_type = (index + 1) % 7 + 1  # Monday (0) -> 2 ... Sunday (6) -> 1
            yield f"<WeekDay><DayType>{day_type}</DayType>{_day(cal.week[index])}</WeekDay>"
        yield "</WeekDays>"
        if cal.exceptions:
            yield "<Exceptions>"
            for exc in cal.exceptions:
                name = _escape(exc.name, where + ".exceptions.name")
                yield (
                    "<Exception><EnteredByOccurrences>0</EnteredByOccurrences><TimePeriod>"
                    f"<FromDate>{exc.start.isoformat()}T00:00:00</FromDate>"
                    f"<ToDate>{exc.end.isoformat()}T23:59:00</ToDate></TimePeriod>"
                    f"<Occurrences>{exc.days}</Occurrences><Name>{name}</Name><Type>1</Type>"
                    f"{_day(exc.working_times)}</Exception>"
                )
            yield "</Exceptions>"
        yield "</Calendar>\n"

    # ------------------------------------------------------------------ tasks
    def _summary_task(self) -> Iterator[str]:
        p, s = self.p, self.s
        parts = [
            "<Task><UID>0</UID><ID>0</ID>",
            f"<Name>{_escape(p.name or p.id, 'name')}</Name>",
            "<OutlineNumber>0</OutlineNumber><OutlineLevel>0</OutlineLevel>",
        ]
        if s is not None and isinstance(s.start, datetime) and isinstance(s.finish, datetime):
            parts.append(f"<Start>{_dt(s.start)}</Start><Finish>{_dt(s.finish)}</Finish>")
        parts.append("<Summary>1</Summary></Task>\n")
        yield "".join(parts)

    def _tasks(self) -> Iterator[str]:
        p, s = self.p, self.s
        outline: dict[str | None, list[int]] = {}
        numbers: dict[str, str] = {}
        levels: dict[str, int] = {}
        incoming: dict[str, list[Dependency]] = {}
        for dep in p.dependencies:
            incoming.setdefault(dep.successor, []).append(dep)
        baselines: dict[str, list[tuple[int, BaselineActivity]]] = {}
        for b in sorted(p.baselines, key=lambda b: b.number):
            for ba in b.activities:
                baselines.setdefault(ba.activity, []).append((b.number, ba))
        factors = p.factors
        for row, a in enumerate(self.order, 1):
            counter = outline.setdefault(a.parent, [0])
            counter[0] += 1
            parent_number = numbers.get(a.parent) if a.parent is not None else None
            number = f"{parent_number}.{counter[0]}" if parent_number else str(counter[0])
            numbers[a.id] = number
            level = levels[a.id] = (levels[a.parent] + 1) if a.parent is not None else 1
            where = f"activities[{a.id}]"
            summary = p.is_summary(a.id)
            x = [f"<Task><UID>{self.task_uid[a.id]}</UID><ID>{row}</ID>"]
            x.append(f"<Name>{_escape(a.name, where + '.name')}</Name>")
            x.append(f"<WBS>{number}</WBS><OutlineNumber>{number}</OutlineNumber>")
            x.append(f"<OutlineLevel>{level}</OutlineLevel>")
            sa = s[a.id] if s is not None and a.id in s else None
            if sa is not None:
                x.append(f"<Start>{_dt(sa.start)}</Start><Finish>{_dt(sa.finish)}</Finish>")  # type: ignore[arg-type]
            minutes = sa.duration if summary and sa is not None else a.duration.minutes
            x.append(f"<Duration>{_iso_duration(minutes)}</Duration>")
            unit = a.duration.unit if not summary else TimeUnit.DAY
            x.append(f"<DurationFormat>{_FORMAT_CODES[(unit, False)]}</DurationFormat>")
            x.append(f"<Milestone>{int(a.milestone)}</Milestone><Summary>{int(summary)}</Summary>")
            if sa is not None:
                x.append(f"<Critical>{int(sa.critical)}</Critical>")
                x.append(
                    f"<EarlyStart>{_dt(sa.early_start)}</EarlyStart>"  # type: ignore[arg-type]
                    f"<EarlyFinish>{_dt(sa.early_finish)}</EarlyFinish>"  # type: ignore[arg-type]
                    f"<LateStart>{_dt(sa.late_start)}</LateStart>"  # type: ignore[arg-type]
                    f"<LateFinish>{_dt(sa.late_finish)}</LateFinish>"  # type: ignore[arg-type]
                    f"<FreeSlack>{sa.free_float * 10}</FreeSlack>"
                    f"<TotalSlack>{sa.total_float * 10}</TotalSlack>"
                    f"<StartSlack>{sa.start_slack * 10}</StartSlack>"
                    f"<FinishSlack>{sa.finish_slack * 10}</FinishSlack>"
                )
            if a.cost:
                x.append(f"<FixedCost>{_hundredths(a.cost)}</FixedCost>")
            progress = a.progress
            if progress is not None:
                x.append(f"<PercentComplete>{round(progress.percent_complete)}</PercentComplete>")
                if isinstance(progress.actual_start, datetime):
                    x.append(f"<ActualStart>{_dt(progress.actual_start)}</ActualStart>")
                if isinstance(progress.actual_finish, datetime):
                    x.append(f"<ActualFinish>{_dt(progress.actual_finish)}</ActualFinish>")
            done = round(a.duration.minutes * progress.percent_complete / 100) if progress else 0
            x.append(f"<ActualDuration>{_iso_duration(done)}</ActualDuration>")
            if progress is not None:
                x.append(f"<ActualCost>{_hundredths(progress.actual_cost)}</ActualCost>")
            remaining = (
                progress.remaining_duration.minutes
                if progress is not None and progress.remaining_duration is not None
                else a.duration.minutes - done
            )
            x.append(f"<RemainingDuration>{_iso_duration(remaining)}</RemainingDuration>")
            c = a.constraint
            x.append(f"<ConstraintType>{_CONSTRAINT_CODES[c.type]}</ConstraintType>")
            cal_uid = self.cal_uid[a.calendar] if a.calendar is not None else -1
            x.append(f"<CalendarUID>{cal_uid}</CalendarUID>")
            if isinstance(c.date, datetime):
                x.append(f"<ConstraintDate>{_dt(c.date)}</ConstraintDate>")
            if isinstance(a.deadline, datetime):
                x.append(f"<Deadline>{_dt(a.deadline)}</Deadline>")
            if a.assignments:  # the engine times tasks by their own calendar; so should MSP
                x.append("<IgnoreResourceCalendar>1</IgnoreResourceCalendar>")
            if a.notes:
                x.append(f"<Notes>{_escape(a.notes, where + '.notes')}</Notes>")
            if progress is not None and progress.physical_percent_complete is not None:
                x.append(
                    "<PhysicalPercentComplete>"
                    f"{round(progress.physical_percent_complete)}</PhysicalPercentComplete>"
                )
            x.extend(self._link(dep, factors) for dep in incoming.get(a.id, ()))
            if self.task_ids:
                x.append(
                    f"<ExtendedAttribute><FieldID>{_TASK_TEXT1}</FieldID>"
                    f"<Value>{_escape(a.id, where + '.id')}</Value></ExtendedAttribute>"
                )
            for number_, ba in baselines.get(a.id, ()):
                x.append(f"<Baseline><Number>{number_}</Number>")
                if isinstance(ba.start, datetime):
                    x.append(f"<Start>{_dt(ba.start)}</Start>")
                if isinstance(ba.finish, datetime):
                    x.append(f"<Finish>{_dt(ba.finish)}</Finish>")
                x.append(f"<Duration>{_iso_duration(ba.duration.minutes)}</Duration>")
                if ba.work is not None:
                    x.append(f"<Work>{_iso_duration(ba.work.minutes)}</Work>")
                x.append(f"<Cost>{_hundredths(ba.cost)}</Cost></Baseline>")
            x.append("</Task>\n")
            yield "".join(x)

    def _link(self, dep: Dependency, factors: Any) -> str:
        lag = dep.lag
        if isinstance(lag, PercentLag):
            amount, code = round(lag.percent), 20 if lag.elapsed else 19
        else:
            amount, code = lag.minutes * 10, _FORMAT_CODES[(lag.unit, lag.elapsed)]
        return (
            f"<PredecessorLink><PredecessorUID>{self.task_uid[dep.predecessor]}</PredecessorUID>"
            f"<Type>{_LINK_CODES[dep.type]}</Type>"
            f"<LinkLag>{amount}</LinkLag><LagFormat>{code}</LagFormat></PredecessorLink>"
        )

    # ------------------------------------------------------------------ resources
    def _resources(self) -> Iterator[str]:
        for row, r in enumerate(self.p.resources, 1):
            where = f"resources[{r.id}]"
            x = [
                f"<Resource><UID>{self.res_uid[r.id]}</UID><ID>{row}</ID>",
                f"<Name>{_escape(r.name, where + '.name')}</Name>",
                f"<Type>{_RESOURCE_CODES[r.kind]}</Type><IsNull>0</IsNull>",
                f"<MaxUnits>{_number(r.capacity)}</MaxUnits>",
                f"<StandardRate>{_number(r.cost_per_hour)}</StandardRate>",
                "<StandardRateFormat>2</StandardRateFormat>",
                f"<CostPerUse>{_hundredths(r.cost_per_use)}</CostPerUse>",
            ]
            if r.id in self.res_cal_uid:
                x.append(f"<CalendarUID>{self.res_cal_uid[r.id]}</CalendarUID>")
            if self.res_ids:
                x.append(
                    f"<ExtendedAttribute><FieldID>{_RESOURCE_TEXT1}</FieldID>"
                    f"<Value>{_escape(r.id, where + '.id')}</Value></ExtendedAttribute>"
                )
            if r.kind is ResourceKind.COST:
                x.append("<IsCostResource>1</IsCostResource>")
            x.append("</Resource>\n")
            yield "".join(x)


def _day(times: Iterable[WorkingTime]) -> str:
    items = list(times)
    if not items:
        return "<DayWorking>0</DayWorking>"
    spans = "".join(
        f"<WorkingTime><FromTime>{_time(t.start)}</FromTime><ToTime>{_time(t.end)}</ToTime>"
        "</WorkingTime>"
        for t in items
    )
    return f"<DayWorking>1</DayWorking><WorkingTimes>{spans}</WorkingTimes>"
