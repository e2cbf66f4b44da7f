"""SLA clocks: elapsed business time, pauses, deadlines, warnings, breaches, compliance.

A clock belongs to one ticket, one agreement and one metric, and is timed on the
agreement's service hours (a :class:`~pmsm_core.WorkCalendar`; round the clock when the
agreement names none). Business time is counted only inside service hours, never walking
minute by minute: every state change is mapped once to the calendar's working coordinates
(:meth:`~pmsm_core.calendars.WorkingTimeTable.to_working_array`) and the rest is numpy
arithmetic over all tickets at once.

Semantics
---------
* **Response** clock: runs from the opening while the ticket is in one of the
  agreement's ``new_states``, and stops when it first enters any other state (it is
  cancelled if that state is a cancelled state).
* **Resolution** clock: runs whenever the ticket is in a state that is neither a pause, a
  resolved nor a cancelled state; a pause (e.g. waiting for the customer) stops it without
  ending it; a resolved state completes it (a reopened ticket's clock runs on); a
  cancelled state drops it from compliance.
* **Target**: the shortest of the agreement's targets that matches the metric, the
  ticket's priority and type (none: no clock).
* **Breach**: the clock has counted more than the target. **Warning**: it has reached
  the target's warning share (75 % by default).
* **Deadline**: the instant the clock reached (or, if it has not yet, will reach when it
  keeps running from now, or from its stop) the target; reading it as a finish, a deadline
  that falls at the end of a working day is that day's closing time.
* **Compliance** per agreement, target and period (of the ticket's opening):
  ``met / (met + breached)``; clocks still running within target and cancelled clocks
  are left out.

Tickets come as :class:`~pmsm_core.Ticket` values or, for millions of records, as a
columnar :class:`TicketTable`.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Final

import attrs
import numpy as np

from pmsm_core.calendars import (
    WorkCalendar,
    WorkingTimeTable,
    from_minute_index,
    to_minute_index,
)
from pmsm_core.exceptions import ValidationError
from pmsm_core.model._validators import check_datetime
from pmsm_core.model.service import Agreement, TargetMetric, Ticket, TicketType
from pmsm_core.services._periods import check_period, period_codes

if TYPE_CHECKING:  # pragma: no cover
    import numpy.typing as npt
    import pandas as pd

    from pmsm_core.model.service import ServiceCatalogue

__all__ = [
    "ClockStage",
    "Compliance",
    "SlaClock",
    "SlaReport",
    "TicketTable",
    "clock_tickets",
    "sla_report",
]

_TYPES: Final = (TicketType.INCIDENT, TicketType.SERVICE_REQUEST)
_TYPE_CODE: Final = {t: i for i, t in enumerate(_TYPES)}
_METRICS: Final = (TargetMetric.RESPONSE, TargetMetric.RESOLUTION)
_EPOCH: Final = date(1970, 1, 1).toordinal() * 1440
_NAT: Final = np.iinfo(np.int64).min


class ClockStage(enum.Enum):
    """Where a clock stands at the reporting instant."""

    RUNNING = "running"
    PAUSED = "paused"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


_STAGES: Final = tuple(ClockStage)
_RUNNING, _PAUSED, _COMPLETED, _CANCELLED = range(4)


# --------------------------------------------------------------------------- input


def _minutes(values: Any, what: str) -> npt.NDArray[np.int64]:
    arr = np.asarray(values)
    if arr.dtype.kind == "M":
        return arr.astype("datetime64[m]").astype(np.int64) + _EPOCH
    if arr.dtype.kind in "iu":
        return arr.astype(np.int64)
    if arr.dtype.kind == "O" and all(isinstance(v, datetime) for v in arr.ravel()):
        return np.fromiter((to_minute_index(v) for v in arr.ravel()), np.int64, arr.size)
    msg = f"{what} must be datetime64 values (or minute indices), got dtype {arr.dtype}"
    raise ValidationError(msg, path=what)


@attrs.frozen(eq=False, repr=False)
class TicketTable:
    """Tickets and their state histories as columns: the fast input of the SLA engine.

    Ticket *i*'s state changes are ``times[offsets[i]:offsets[i + 1]]`` (minute indices,
    see :func:`~pmsm_core.calendars.to_minute_index`) with states
    ``state_names[states[...]]``. Build it with :meth:`from_tickets` or
    :meth:`from_arrays`; both validate.

    Examples
    --------
    >>> from pmsm_core import StateChange, Ticket
    >>> table = TicketTable.from_tickets(
    ...     [
    ...         Ticket(
    ...             "T1",
    ...             "SD",
    ...             [
    ...                 StateChange(datetime(2026, 3, 2, 9), "new"),
    ...                 StateChange(datetime(2026, 3, 2, 10), "resolved"),
    ...             ],
    ...         ),
    ...     ]
    ... )
    >>> len(table), table.state_names, table.offsets.tolist()
    (1, ('new', 'resolved'), [0, 2])
    """

    ids: npt.NDArray[Any]
    offsets: npt.NDArray[np.int64]
    times: npt.NDArray[np.int64]
    states: npt.NDArray[np.int32]
    state_names: tuple[str, ...]
    priorities: npt.NDArray[np.int8]
    types: npt.NDArray[np.int8]
    services: npt.NDArray[np.int32] | None = None
    service_names: tuple[str, ...] = ()
    agreements: npt.NDArray[np.int32] | None = None
    agreement_names: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __repr__(self) -> str:
        return f"TicketTable({len(self)} tickets, {len(self.times)} state changes)"

    @classmethod
    def from_tickets(cls, tickets: Iterable[Ticket]) -> TicketTable:
        """Columns from :class:`~pmsm_core.Ticket` values (already validated)."""
        items = list(tickets)
        checked: list[object] = list(items)
        for i, t in enumerate(checked):
            if not isinstance(t, Ticket):
                msg = f"tickets[{i}] must be a Ticket, got {t!r}"
                raise ValidationError(msg, path=f"tickets[{i}]")
        state_index: dict[str, int] = {}
        service_index: dict[str, int] = {}
        agreement_index: dict[str, int] = {}
        lengths = np.fromiter((len(t.history) for t in items), np.int64, len(items))
        offsets = np.zeros(len(items) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        times = np.fromiter(
            (to_minute_index(c.at) for t in items for c in t.history), np.int64, int(offsets[-1])
        )
        states = np.fromiter(
            (state_index.setdefault(c.state, len(state_index)) for t in items for c in t.history),
            np.int32,
            int(offsets[-1]),
        )
        return cls(
            np.array([t.id for t in items], dtype=object),
            offsets,
            times,
            states,
            tuple(state_index),
            np.fromiter((t.priority for t in items), np.int8, len(items)),
            np.fromiter((_TYPE_CODE[t.type] for t in items), np.int8, len(items)),
            np.fromiter(
                (service_index.setdefault(t.service, len(service_index)) for t in items),
                np.int32,
                len(items),
            ),
            tuple(service_index),
            np.fromiter(
                (
                    -1
                    if t.agreement is None
                    else agreement_index.setdefault(t.agreement, len(agreement_index))
                    for t in items
                ),
                np.int32,
                len(items),
            ),
            tuple(agreement_index),
        )

    @classmethod
    def from_arrays(
        cls,
        ids: Sequence[str] | npt.NDArray[Any],
        offsets: npt.ArrayLike,
        times: npt.ArrayLike,
        states: npt.ArrayLike,
        *,
        state_names: Sequence[str] | None = None,
        priorities: npt.ArrayLike | None = None,
        types: npt.ArrayLike | None = None,
    ) -> TicketTable:
        """Columns from numpy arrays, validated in bulk.

        Parameters
        ----------
        ids
            One id per ticket.
        offsets
            ``n + 1`` non-decreasing positions into ``times``/``states``, from 0 to their
            length; every ticket needs at least one state change.
        times
            ``datetime64`` values (or minute indices), non-decreasing within each ticket.
        states
            State names, or integer codes into ``state_names``.
        priorities
            1..5 per ticket (3 when None).
        types
            0 for incidents, 1 for service requests (incidents when None).

        Raises
        ------
        ValidationError
            Naming the first ticket (and state change) at fault.

        Examples
        --------
        >>> import numpy as np
        >>> table = TicketTable.from_arrays(
        ...     ["T1", "T2"],
        ...     [0, 2, 3],
        ...     np.array(
        ...         ["2026-03-02T09:00", "2026-03-02T10:00", "2026-03-02T11:00"],
        ...         dtype="datetime64[m]",
        ...     ),
        ...     ["new", "resolved", "new"],
        ... )
        >>> len(table), table.state_names
        (2, ('new', 'resolved'))
        >>> TicketTable.from_arrays(
        ...     ["T1"],
        ...     [0, 2],
        ...     np.array(["2026-03-02T10:00", "2026-03-02T09:00"], dtype="datetime64[m]"),
        ...     ["new", "resolved"],
        ... )
        Traceback (most recent call last):
        ...
        pmsm_core.exceptions.ValidationError: history[1].at: ticket 'T1': state changes must be in time order; 2026-03-02T09:00 comes before 2026-03-02T10:00
        """  # noqa: E501
        id_array = np.asarray(ids, dtype=object)
        n = len(id_array)
        off = np.asarray(offsets)
        if off.dtype.kind not in "iu" or off.shape != (n + 1,):
            msg = f"offsets must be {n + 1} whole numbers (one more than the tickets)"
            raise ValidationError(msg, path="offsets")
        off = off.astype(np.int64)
        minutes = _minutes(times, "times")
        if minutes.ndim != 1:
            msg = "times must be one-dimensional"
            raise ValidationError(msg, path="times")
        total = len(minutes)
        if n == 0:
            if total or off[0] != 0:
                msg = "no tickets, yet there are state changes"
                raise ValidationError(msg, path="offsets")
        elif off[0] != 0 or off[-1] != total:
            msg = f"offsets must start at 0 and end at {total} (the number of state changes)"
            raise ValidationError(msg, path="offsets")
        steps = np.diff(off)
        if (steps <= 0).any():
            first = int(np.flatnonzero(steps <= 0)[0])
            msg = f"ticket {id_array[first]!r} has no state change (offsets must increase)"
            raise ValidationError(msg, path=f"offsets[{first + 1}]")
        if minutes.size and (
            minutes.min() < 0 or minutes.max() >= date.max.toordinal() * 1440 + 1440
        ):
            msg = "times lie outside the years 1 to 9999"
            raise ValidationError(msg, path="times")
        back = np.flatnonzero(np.diff(minutes) < 0) + 1
        if back.size:
            starts = np.zeros(total, dtype=bool)
            starts[off[:-1]] = True
            back = back[~starts[back]]
        if back.size:
            event = int(back[0])
            ticket = int(np.searchsorted(off, event, side="right") - 1)
            before = from_minute_index(int(minutes[event - 1])).isoformat(timespec="minutes")
            after = from_minute_index(int(minutes[event])).isoformat(timespec="minutes")
            msg = (
                f"ticket {id_array[ticket]!r}: state changes must be in time order; "
                f"{after} comes before {before}"
            )
            raise ValidationError(msg, path=f"history[{event - int(off[ticket])}].at")
        raw_states = np.asarray(states)
        if raw_states.shape != (total,):
            msg = f"states must have one entry per state change ({total})"
            raise ValidationError(msg, path="states")
        if raw_states.dtype.kind in "iu":
            if state_names is None:
                msg = "integer state codes need state_names"
                raise ValidationError(msg, path="state_names")
            names = tuple(str(s) for s in state_names)
            if raw_states.size and (raw_states.min() < 0 or raw_states.max() >= len(names)):
                msg = f"state codes must lie in 0..{len(names) - 1}"
                raise ValidationError(msg, path="states")
            codes = raw_states.astype(np.int32)
        else:
            unique, inverse = np.unique(raw_states.astype(str), return_inverse=True)
            names = tuple(str(u) for u in unique)
            codes = inverse.astype(np.int32)
        for i, name in enumerate(names):
            if not name or name != name.strip():
                msg = f"state names must be non-empty without surrounding blanks, got {name!r}"
                raise ValidationError(msg, path=f"state_names[{i}]")
        pri = np.full(n, 3, np.int8) if priorities is None else np.asarray(priorities)
        if (
            pri.shape != (n,)
            or pri.dtype.kind not in "iu"
            or (n and (pri.min() < 1 or pri.max() > 5))
        ):
            msg = "priorities must be one whole number in 1..5 per ticket"
            raise ValidationError(msg, path="priorities")
        kinds = np.zeros(n, np.int8) if types is None else np.asarray(types)
        if (
            kinds.shape != (n,)
            or kinds.dtype.kind not in "iu"
            or (n and (kinds.min() < 0 or kinds.max() > 1))
        ):
            msg = "types must be 0 (incident) or 1 (service request) per ticket"
            raise ValidationError(msg, path="types")
        return cls(id_array, off, minutes, codes, names, pri.astype(np.int8), kinds.astype(np.int8))


# --------------------------------------------------------------------------- results


@attrs.frozen
class SlaClock:
    """One ticket's clock under one agreement and metric.

    Attributes
    ----------
    ticket, agreement, metric, target
        What is timed, under which agreement, and the target's label.
    target_minutes
        The target in business minutes.
    opened
        When the ticket was opened.
    elapsed
        Business minutes counted so far (only inside service hours, outside pauses).
    paused
        Business minutes spent in pause states.
    stage
        :class:`ClockStage` at the reporting instant.
    breached, warning
        Whether the clock passed 100 % / its warning share of the target.
    deadline, warning_at
        When it reached (or will reach) the target / the warning share.
    stopped
        When the clock stopped (completed or cancelled), else None.

    Examples
    --------
    >>> c = SlaClock(
    ...     "T1",
    ...     "SLA",
    ...     TargetMetric.RESOLUTION,
    ...     "resolution P2 8h",
    ...     480,
    ...     datetime(2026, 3, 2, 9),
    ...     elapsed=360,
    ...     stage=ClockStage.RUNNING,
    ... )
    >>> c.percent, c.remaining, c.outcome
    (75.0, 120, 'pending')
    """

    ticket: str
    agreement: str
    metric: TargetMetric
    target: str
    target_minutes: int
    opened: datetime
    elapsed: int = 0
    paused: int = 0
    stage: ClockStage = ClockStage.RUNNING
    breached: bool = False
    warning: bool = False
    deadline: datetime | None = None
    warning_at: datetime | None = None
    stopped: datetime | None = None

    @property
    def percent(self) -> float:
        """Elapsed time as a percentage of the target."""
        return 100.0 * self.elapsed / self.target_minutes

    @property
    def remaining(self) -> int:
        """Business minutes left before a breach (negative once breached)."""
        return self.target_minutes - self.elapsed

    @property
    def outcome(self) -> str:
        """``"met"``, ``"breached"``, ``"pending"`` (running within target) or
        ``"cancelled"``."""
        if self.stage is ClockStage.CANCELLED:
            return "cancelled"
        if self.breached:
            return "breached"
        return "met" if self.stage is ClockStage.COMPLETED else "pending"


@attrs.frozen
class Compliance:
    """Met and breached clocks of one agreement target in one period.

    Examples
    --------
    >>> c = Compliance(
    ...     "SLA",
    ...     TargetMetric.RESOLUTION,
    ...     "resolution P1 4h",
    ...     date(2026, 3, 1),
    ...     met=18,
    ...     breached=2,
    ...     pending=1,
    ...     goal=95.0,
    ... )
    >>> c.percent, c.meets_goal
    (90.0, False)
    """

    agreement: str
    metric: TargetMetric
    target: str
    period: date
    met: int = 0
    breached: int = 0
    pending: int = 0
    cancelled: int = 0
    goal: float | None = None

    @property
    def percent(self) -> float | None:
        """``met / (met + breached)`` in percent; None when nothing was decided."""
        decided = self.met + self.breached
        return 100.0 * self.met / decided if decided else None

    @property
    def meets_goal(self) -> bool | None:
        """Whether the percentage reaches the agreed compliance goal (None without one)."""
        percent = self.percent
        if self.goal is None or percent is None:
            return None
        return percent >= self.goal - 1e-9


@attrs.frozen(eq=False, repr=False)
class SlaReport:
    """Clocks of many tickets, as columns (one row per ticket, agreement and metric).

    Use :meth:`clock` or :meth:`clocks` for :class:`SlaClock` values,
    :meth:`compliance` for met / breached shares per period, :meth:`to_dataframe` for
    pandas.

    Examples
    --------
    >>> from pmsm_core import (
    ...     Duration,
    ...     ServiceLevelAgreement,
    ...     ServiceLevelTarget,
    ...     StateChange,
    ...     Ticket,
    ... )
    >>> sla = ServiceLevelAgreement(
    ...     "SLA",
    ...     services=["SD"],
    ...     targets=[ServiceLevelTarget(TargetMetric.RESOLUTION, time=Duration.from_hours(2))],
    ... )
    >>> t = Ticket(
    ...     "T1",
    ...     "SD",
    ...     [
    ...         StateChange(datetime(2026, 3, 2, 9), "new"),
    ...         StateChange(datetime(2026, 3, 2, 12), "resolved"),
    ...     ],
    ... )
    >>> report = clock_tickets([t], sla)
    >>> len(report), report.clock(0).outcome, report.clock(0).elapsed
    (1, 'breached', 180)
    """

    as_of: datetime
    tickets: npt.NDArray[Any]
    agreement_names: tuple[str, ...]
    agreements: npt.NDArray[np.int32]
    metrics: npt.NDArray[np.int8]
    target_names: tuple[str, ...]
    targets: npt.NDArray[np.int32]
    goals: npt.NDArray[np.float64]
    opened: npt.NDArray[np.int64]
    target_minutes: npt.NDArray[np.int64]
    elapsed: npt.NDArray[np.int64]
    paused: npt.NDArray[np.int64]
    stages: npt.NDArray[np.int8]
    breached: npt.NDArray[np.bool_]
    warned: npt.NDArray[np.bool_]
    deadlines: npt.NDArray[np.int64]
    warnings_at: npt.NDArray[np.int64]
    stopped: npt.NDArray[np.int64]

    def __len__(self) -> int:
        return len(self.tickets)

    def __repr__(self) -> str:
        met = int(((self.stages == _COMPLETED) & ~self.breached).sum())
        return (
            f"SlaReport(as_of={self.as_of.isoformat(timespec='minutes')}, clocks={len(self)}, "
            f"met={met}, breached={int(self.breached[self.stages != _CANCELLED].sum())})"
        )

    def clock(self, i: int) -> SlaClock:
        """The clock in row ``i`` as a value."""

        def when(value: int) -> datetime | None:
            return None if value == _NAT else from_minute_index(int(value))

        opened = when(int(self.opened[i]))
        assert opened is not None
        return SlaClock(
            str(self.tickets[i]),
            self.agreement_names[int(self.agreements[i])],
            _METRICS[int(self.metrics[i])],
            self.target_names[int(self.targets[i])],
            int(self.target_minutes[i]),
            opened,
            elapsed=int(self.elapsed[i]),
            paused=int(self.paused[i]),
            stage=_STAGES[int(self.stages[i])],
            breached=bool(self.breached[i]),
            warning=bool(self.warned[i]),
            deadline=when(int(self.deadlines[i])),
            warning_at=when(int(self.warnings_at[i])),
            stopped=when(int(self.stopped[i])),
        )

    def clocks(self) -> Iterator[SlaClock]:
        """Every clock as a value, in row order."""
        for i in range(len(self)):
            yield self.clock(i)

    def compliance(self, period: str = "month") -> tuple[Compliance, ...]:
        """Met, breached, pending and cancelled clocks per agreement target and period.

        Clocks are grouped by the period in which their ticket was opened.

        Parameters
        ----------
        period
            ``"day"``, ``"week"``, ``"month"``, ``"quarter"`` or ``"year"``.
        """
        check_period(period)
        if not len(self):
            return ()
        days = self.opened // 1440
        codes = period_codes(days, period)
        outcome = np.where(
            self.stages == _CANCELLED,
            3,
            np.where(self.breached, 1, np.where(self.stages == _COMPLETED, 0, 2)),
        )
        low = int(codes.min())
        span = int(codes.max()) - low + 1
        n_targets = max(1, len(self.target_names))
        key = (
            (self.agreements.astype(np.int64) * 2 + self.metrics) * n_targets + self.targets
        ) * span + (codes - low)
        size = len(self.agreement_names) * 2 * n_targets * span
        if size <= 20_000_000:
            counts = np.bincount(key * 4 + outcome, minlength=size * 4).reshape(size, 4)
            first = np.full(size, -1, dtype=np.int64)
            first[key[::-1]] = np.arange(len(key) - 1, -1, -1)
            groups = np.flatnonzero(first >= 0)
            counts = counts[groups]
            first = first[groups]
        else:  # pragma: no cover - only for very many agreements x targets x periods
            unique, first, inverse = np.unique(key, return_index=True, return_inverse=True)
            counts = np.zeros((len(unique), 4), dtype=np.int64)
            np.add.at(counts, (inverse, outcome), 1)
        out = []
        for k in range(len(first)):
            row = int(first[k])
            goal = float(self.goals[row])
            out.append(
                Compliance(
                    self.agreement_names[int(self.agreements[row])],
                    _METRICS[int(self.metrics[row])],
                    self.target_names[int(self.targets[row])],
                    date.fromordinal(int(codes[row])),
                    met=int(counts[k, 0]),
                    breached=int(counts[k, 1]),
                    pending=int(counts[k, 2]),
                    cancelled=int(counts[k, 3]),
                    goal=None if np.isnan(goal) else goal,
                )
            )
        out.sort(key=lambda c: (c.agreement, c.metric.value, c.target, c.period))
        return tuple(out)

    def to_dataframe(self) -> pd.DataFrame:
        """The clocks as a pandas DataFrame (needs the ``pandas`` extra)."""
        from pmsm_core._util import require

        require("pandas", "pandas")
        import pandas as pd

        def stamps(values: npt.NDArray[np.int64]) -> Any:
            out = (values - _EPOCH).astype("datetime64[m]")
            out[values == _NAT] = np.datetime64("NaT")
            return out

        return pd.DataFrame(
            {
                "ticket": self.tickets,
                "agreement": np.asarray(self.agreement_names, dtype=object)[self.agreements],
                "metric": [_METRICS[int(m)].value for m in self.metrics],
                "target": np.asarray(self.target_names, dtype=object)[self.targets],
                "opened": stamps(self.opened),
                "target_minutes": self.target_minutes,
                "elapsed": self.elapsed,
                "paused": self.paused,
                "stage": [_STAGES[int(s)].value for s in self.stages],
                "breached": self.breached,
                "warning": self.warned,
                "deadline": stamps(self.deadlines),
                "warning_at": stamps(self.warnings_at),
                "stopped": stamps(self.stopped),
            }
        )

    @classmethod
    def concat(cls, reports: Sequence[SlaReport], as_of: datetime) -> SlaReport:
        """Join reports made at the same instant."""
        if not reports:
            return _empty(as_of)
        agreement_index: dict[str, int] = {}
        target_index: dict[str, int] = {}
        agreements, targets = [], []
        for r in reports:
            remap = np.array(
                [agreement_index.setdefault(a, len(agreement_index)) for a in r.agreement_names]
                or [0],
                dtype=np.int32,
            )
            agreements.append(remap[r.agreements])
            remap = np.array(
                [target_index.setdefault(t, len(target_index)) for t in r.target_names] or [0],
                dtype=np.int32,
            )
            targets.append(remap[r.targets])
        columns = {
            f.name: np.concatenate([getattr(r, f.name) for r in reports])
            for f in attrs.fields(cls)
            if f.name not in ("as_of", "agreement_names", "agreements", "target_names", "targets")
        }
        columns["agreements"] = np.concatenate(agreements)
        columns["targets"] = np.concatenate(targets)
        return cls(
            as_of=as_of,
            agreement_names=tuple(agreement_index),
            target_names=tuple(target_index),
            **columns,
        )


def _empty(as_of: datetime) -> SlaReport:
    i64 = np.zeros(0, np.int64)
    i32 = np.zeros(0, np.int32)
    return SlaReport(
        as_of,
        np.zeros(0, object),
        (),
        i32,
        np.zeros(0, np.int8),
        (),
        i32,
        np.zeros(0, np.float64),
        i64,
        i64,
        i64,
        i64,
        np.zeros(0, np.int8),
        np.zeros(0, bool),
        np.zeros(0, bool),
        i64,
        i64,
        i64,
    )


# --------------------------------------------------------------------------- engine


def _agreement_check(agreement: Any) -> Agreement:
    if not isinstance(agreement, Agreement):
        msg = f"expected an SLA, OLA or underpinning contract, got {type(agreement).__name__}"
        raise ValidationError(msg, path="agreement")
    return agreement


def _as_of(table: TicketTable, as_of: datetime | None) -> tuple[datetime, int]:
    if as_of is None:
        if not len(table.times):
            return datetime(1970, 1, 1), _EPOCH
        last = int(table.times.max())
        return from_minute_index(last), last
    problem = check_datetime(as_of)
    if problem:
        msg = f"as_of: {problem}"
        raise ValidationError(msg, path="as_of")
    return as_of, to_minute_index(as_of)


def clock_tickets(
    tickets: TicketTable | Iterable[Ticket],
    agreement: Agreement,
    calendar: WorkCalendar | None = None,
    *,
    as_of: datetime | None = None,
) -> SlaReport:
    """Time tickets under one agreement: response and resolution clocks, vectorised.

    Parameters
    ----------
    tickets
        :class:`~pmsm_core.Ticket` values or a :class:`TicketTable`. Tickets naming
        another agreement, or a service the agreement does not cover, are skipped.
    agreement
        The SLA, OLA or underpinning contract; its targets, new, pause, resolved and
        cancelled states decide the clocks.
    calendar
        The agreed service hours (round the clock when None).
    as_of
        The reporting instant; state changes after it are ignored and tickets opened
        after it are left out. Default: the latest state change.

    Returns
    -------
    SlaReport

    Raises
    ------
    ValidationError
        For a wrong agreement or ``as_of``, or invalid ticket data.

    Examples
    --------
    Resolution within 4 business hours on 08:00-17:00 weekdays; the ticket is opened on
    Friday at 15:00, waits for the customer on Monday from 09:00 to 11:00 and is resolved
    on Monday at 13:00. Two hours on Friday, one on Monday before the pause and two after
    it: five hours, a breach. The deadline was Monday 11:00 without the pause, 13:00 with
    it -- the clock passed 4 hours at noon.

    >>> from pmsm_core import (
    ...     Duration,
    ...     ServiceLevelAgreement,
    ...     ServiceLevelTarget,
    ...     StateChange,
    ...     Ticket,
    ...     WorkCalendar,
    ... )
    >>> hours = WorkCalendar(
    ...     "bh", {d: ["08:00-17:00"] for d in ("mon", "tue", "wed", "thu", "fri")}
    ... )
    >>> sla = ServiceLevelAgreement(
    ...     "SLA",
    ...     services=["SD"],
    ...     targets=[ServiceLevelTarget(TargetMetric.RESOLUTION, time=Duration.from_hours(4))],
    ... )
    >>> t = Ticket(
    ...     "T1",
    ...     "SD",
    ...     [
    ...         StateChange(datetime(2026, 3, 6, 15), "new"),
    ...         StateChange(datetime(2026, 3, 9, 9), "pending"),
    ...         StateChange(datetime(2026, 3, 9, 11), "assigned"),
    ...         StateChange(datetime(2026, 3, 9, 13), "resolved"),
    ...     ],
    ... )
    >>> c = clock_tickets([t], sla, hours).clock(0)
    >>> c.elapsed, c.paused, c.breached, c.deadline
    (300, 120, True, datetime.datetime(2026, 3, 9, 12, 0))
    """
    agreement = _agreement_check(agreement)
    table = tickets if isinstance(tickets, TicketTable) else TicketTable.from_tickets(tickets)
    when, t_now = _as_of(table, as_of)
    cal: object = calendar if calendar is not None else WorkCalendar.twenty_four_hours()
    if not isinstance(cal, WorkCalendar):
        msg = f"calendar must be a WorkCalendar, got {type(cal).__name__}"
        raise ValidationError(msg, path="calendar")
    n = len(table)
    keep = np.ones(n, dtype=bool)
    if table.agreements is not None and table.agreement_names:
        names = np.asarray(table.agreement_names, dtype=object)
        own = np.flatnonzero(names == agreement.id)
        keep &= (table.agreements == -1) | np.isin(table.agreements, own)
    if table.services is not None:
        covered = np.flatnonzero(
            np.isin(np.asarray(table.service_names, dtype=object), list(agreement.services))
        )
        keep &= np.isin(table.services, covered)
    first_times = table.times[table.offsets[:-1]] if n else np.zeros(0, np.int64)
    keep &= first_times <= t_now
    if not keep.any():
        return _empty(when)
    # every state change mapped once to working time (clipped at the reporting instant)
    working = cal.table
    w_all = working.to_working_array(np.minimum(table.times, t_now))
    w_now = working.to_working(t_now)
    reports = []
    for code, metric in enumerate(_METRICS):
        minutes = np.zeros((6, 2), dtype=np.int64)
        label_code = np.zeros((6, 2), dtype=np.int32)
        labels: dict[str, int] = {}
        warn = np.zeros((6, 2), dtype=np.float64)
        goal = np.full((6, 2), np.nan)
        for priority in range(1, 6):
            for type_code, kind in enumerate(_TYPES):
                target = agreement.target_for(metric, priority, kind)
                if target is not None:
                    assert target.time is not None
                    minutes[priority, type_code] = target.time.minutes
                    label_code[priority, type_code] = labels.setdefault(target.label, len(labels))
                    warn[priority, type_code] = target.warning
                    if target.compliance is not None:
                        goal[priority, type_code] = target.compliance
        if not labels:
            continue
        per_ticket = minutes[table.priorities, table.types]
        chosen = np.flatnonzero(keep & (per_ticket > 0))
        if not chosen.size:
            continue
        pick = (table.priorities[chosen], table.types[chosen])
        reports.append(
            _clock(
                table,
                chosen,
                agreement,
                metric=metric,
                working=working,
                w_all=w_all,
                w_now=w_now,
                t_now=t_now,
                when=when,
                target=per_ticket[chosen],
                target_names=tuple(labels),
                target_codes=label_code[pick],
                warn=warn[pick],
                goal=goal[pick],
                code=code,
            )
        )
    return SlaReport.concat(reports, when)


def _clock(
    table: TicketTable,
    chosen: npt.NDArray[np.intp],
    agreement: Agreement,
    *,
    metric: TargetMetric,
    working: WorkingTimeTable,
    w_all: npt.NDArray[np.int64],
    w_now: int,
    t_now: int,
    when: datetime,
    target: npt.NDArray[np.int64],
    target_names: tuple[str, ...],
    target_codes: npt.NDArray[np.int32],
    warn: npt.NDArray[np.float64],
    goal: npt.NDArray[np.float64],
    code: int,
) -> SlaReport:
    m = len(chosen)
    starts = table.offsets[chosen]
    lengths = table.offsets[chosen + 1] - starts
    offsets = np.zeros(m + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    total = int(offsets[-1])
    first = offsets[:-1]
    last_of_ticket = offsets[1:] - 1
    event = np.arange(total) - np.repeat(first - starts, lengths)
    times = table.times[event]
    states = table.states[event]
    names = table.state_names

    def flags(group: tuple[str, ...]) -> npt.NDArray[np.bool_]:
        return np.isin(np.asarray(names, dtype=object), list(group))

    is_new = flags(agreement.new_states)[states]
    is_pause = flags(agreement.pause_states)[states]
    is_resolved = flags(agreement.resolved_states)[states]
    is_cancelled = flags(agreement.cancelled_states)[states]

    valid = times <= t_now
    count = np.add.reduceat(valid.astype(np.int64), first)
    last = first + count - 1  # the state change in force at t_now
    # interval i runs from change i to change i + 1 (the last one to t_now), in working time
    w_begin = w_all[event]
    w_end = np.empty(total, dtype=np.int64)
    w_end[:-1] = w_begin[1:]
    w_end[last_of_ticket] = w_now
    business = w_end - w_begin
    index = np.arange(total)
    big = np.iinfo(np.int64).max

    stage = np.full(m, _RUNNING, dtype=np.int8)
    stop_index = np.full(m, -1, dtype=np.int64)
    if metric is TargetMetric.RESPONSE:
        answered = valid & ~is_new
        first_answer = np.minimum.reduceat(np.where(answered, index, big), first)
        has_answer = first_answer < big
        run = is_new & (index < np.repeat(np.where(has_answer, first_answer, big), lengths))
        paused = np.zeros(m, dtype=np.int64)
        stop_index[has_answer] = first_answer[has_answer]
        stage[has_answer] = np.where(is_cancelled[first_answer[has_answer]], _CANCELLED, _COMPLETED)
    else:
        halted = is_pause | is_resolved | is_cancelled
        run = ~halted
        paused = np.add.reduceat(np.where(is_pause, business, 0), first)
        final_resolved = is_resolved[last]
        final_cancelled = is_cancelled[last]
        stage[is_pause[last]] = _PAUSED
        stage[final_resolved] = _COMPLETED
        stage[final_cancelled] = _CANCELLED
        ends = is_resolved | is_cancelled
        block = ends & np.concatenate(([True], ~ends[:-1]))
        block[first] = ends[first]
        block_start = np.maximum.accumulate(np.where(block, index, 0))
        done = final_resolved | final_cancelled
        stop_index[done] = block_start[last[done]]
    has_stop = stop_index >= 0
    stopped = np.where(has_stop, times[np.maximum(stop_index, 0)], _NAT)
    w_reference = np.where(has_stop, w_begin[np.maximum(stop_index, 0)], w_now)
    counted = np.where(run, business, 0)
    elapsed = np.add.reduceat(counted, first)
    cumulative = np.cumsum(counted)
    base = np.repeat(cumulative[first] - counted[first], lengths)
    after = cumulative - base
    before = after - counted
    warn_minutes = np.ceil(target * warn / 100.0 - 1e-9).astype(np.int64)
    positive = run & (counted > 0)

    def crossing(threshold: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        threshold_e = np.repeat(threshold, lengths)
        hit = positive & (before < threshold_e) & (after >= threshold_e)
        position = np.minimum.reduceat(np.where(hit, index, big), first)
        found = position < big
        safe = np.where(found, position, 0)
        goal_w = np.where(
            found,
            w_begin[safe] + (threshold - before[safe]),
            w_reference + (threshold - elapsed),
        )
        result: npt.NDArray[np.int64] = working.from_working_array(goal_w, finish=True)
        return result

    return SlaReport(
        when,
        table.ids[chosen],
        (agreement.id,),
        np.zeros(m, dtype=np.int32),
        np.full(m, code, dtype=np.int8),
        target_names,
        target_codes.astype(np.int32),
        goal.astype(np.float64),
        times[first],
        target.astype(np.int64),
        elapsed.astype(np.int64),
        paused.astype(np.int64),
        stage,
        elapsed > target,
        elapsed >= warn_minutes,
        crossing(target),
        crossing(warn_minutes),
        stopped,
    )


def sla_report(
    catalogue: ServiceCatalogue,
    *,
    as_of: datetime | None = None,
    tickets: TicketTable | Iterable[Ticket] | None = None,
) -> SlaReport:
    """Clock the catalogue's tickets under every agreement that covers them.

    A ticket that names an agreement is timed under that one only; otherwise under each
    SLA, OLA and underpinning contract covering its service, each on its own service
    hours.

    Parameters
    ----------
    catalogue
        The service catalogue (agreements, calendars and, by default, tickets).
    as_of
        The reporting instant; default the latest state change.
    tickets
        Other tickets to time instead of the catalogue's.

    Examples
    --------
    >>> from pmsm_core import demo_catalogue
    >>> report = sla_report(demo_catalogue())
    >>> sorted({c.agreement for c in report.compliance()})
    ['OLA-INFRA', 'SLA-DESK', 'SLA-MAIL', 'UC-TEL']
    """
    source = catalogue.tickets if tickets is None else tickets
    table = source if isinstance(source, TicketTable) else TicketTable.from_tickets(source)
    when, _ = _as_of(table, as_of)
    reports = [
        clock_tickets(
            table, agreement, catalogue.calendar_by_id(agreement.service_hours), as_of=when
        )
        for agreement in catalogue.agreements
    ]
    return SlaReport.concat(reports, when)
