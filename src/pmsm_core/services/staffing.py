"""Resourcing service work: Erlang C staffing, utilisation and Little's law.

A service desk is a queue: contacts arrive at random (Poisson), each takes an average
handling time, and callers wait when every agent is busy. With *A* Erlangs of traffic
(arrivals per unit of time × handling time) and *N* agents, the Erlang C formula gives the
probability that a contact waits; from it follow the service level (the share answered
within a target time) ``1 - P(wait) × exp(-(N - A) × t / AHT)``, the average speed of answer
``P(wait) × AHT / (N - A)`` and the occupancy ``A / N``. :func:`staffing` finds the fewest
agents that meet a service level (and, optionally, a maximum occupancy) and adds shrinkage
(breaks, training, absence) to give the agents to schedule.

The probability of waiting is computed through the Erlang B recursion, which stays
accurate for hundreds of agents where factorials would overflow.
"""

from __future__ import annotations

import math
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import attrs

from pmsm_core.exceptions import ValidationError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "StaffingResult",
    "average_speed_of_answer",
    "erlang_c",
    "littles_law",
    "service_level",
    "staffing",
    "utilisation",
]

#: Most agents :func:`staffing` will consider.
MAX_AGENTS = 100_000


def _positive(value: Any, name: str, *, zero: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        msg = f"{name} must be a finite number, got {value!r}"
        raise ValidationError(msg, path=name)
    if value < 0 or (value == 0 and not zero):
        msg = f"{name} must be {'non-negative' if zero else 'positive'}, got {value!r}"
        raise ValidationError(msg, path=name)
    return float(value)


def _agents(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        msg = f"agents must be a whole number >= 1, got {value!r}"
        raise ValidationError(msg, path="agents")
    return value


def _seconds(value: Any, name: str, *, zero: bool = False) -> float:
    if not isinstance(value, timedelta):
        msg = f"{name} must be a timedelta, got {value!r}"
        raise ValidationError(msg, path=name)
    return _positive(value.total_seconds(), name, zero=zero)


def erlang_c(agents: int, traffic: float) -> float:
    """Probability that a contact has to wait (Erlang C), for ``traffic`` Erlangs.

    Returns 1 when ``agents <= traffic`` (the queue grows without bound).

    Examples
    --------
    100 calls in 30 minutes of 3 minutes each are 10 Erlangs; with 14 agents:

    >>> round(erlang_c(14, 10.0), 4)
    0.1741
    """
    n = _agents(agents)
    a = _positive(traffic, "traffic", zero=True)
    if a == 0:
        return 0.0
    if n <= a:
        return 1.0
    b = 1.0
    for k in range(1, n + 1):
        b = a * b / (k + a * b)
    return n * b / (n - a * (1.0 - b))


def service_level(
    agents: int, traffic: float, handling_time: timedelta, answer_time: timedelta
) -> float:
    """Share of contacts answered within ``answer_time`` (0 when overloaded).

    Examples
    --------
    >>> round(service_level(14, 10.0, timedelta(seconds=180), timedelta(seconds=20)), 4)
    0.8884
    """
    aht = _seconds(handling_time, "handling_time")
    wait = _seconds(answer_time, "answer_time", zero=True)
    n = _agents(agents)
    a = _positive(traffic, "traffic", zero=True)
    if n <= a:
        return 0.0
    return 1.0 - erlang_c(n, a) * math.exp(-(n - a) * wait / aht)


def average_speed_of_answer(agents: int, traffic: float, handling_time: timedelta) -> timedelta:
    """Mean wait before an answer: ``P(wait) × AHT / (N - A)``.

    Raises
    ------
    ValidationError
        When ``agents <= traffic`` (the wait grows without bound).

    Examples
    --------
    >>> average_speed_of_answer(
    ...     14, 10.0, timedelta(seconds=180)
    ... ).total_seconds()  # doctest: +ELLIPSIS
    7.83...
    """
    aht = _seconds(handling_time, "handling_time")
    n = _agents(agents)
    a = _positive(traffic, "traffic", zero=True)
    if n <= a:
        msg = f"{n} agents cannot carry {a:g} Erlangs; the queue grows without bound"
        raise ValidationError(msg, path="agents")
    return timedelta(seconds=erlang_c(n, a) * aht / (n - a))


@attrs.frozen
class StaffingResult:
    """Agents needed for a service level, and what they achieve.

    Attributes
    ----------
    traffic
        Offered load in Erlangs: arrivals × handling time / interval.
    agents
        Fewest agents answering ``target`` of the contacts within the answer time (and
        keeping occupancy at or below the maximum).
    scheduled
        Agents to schedule once shrinkage is allowed for: ``agents / (1 - shrinkage)``,
        rounded up.
    waiting_probability, service_level, average_speed_of_answer, occupancy
        What ``agents`` achieve.

    Examples
    --------
    >>> r = staffing(100, timedelta(minutes=30), timedelta(seconds=180), timedelta(seconds=20))
    >>> r.agents, round(r.service_level, 3)
    (14, 0.888)
    """

    arrivals: float
    interval: timedelta
    handling_time: timedelta
    answer_time: timedelta
    target: float
    traffic: float
    agents: int
    scheduled: int
    waiting_probability: float
    service_level: float
    average_speed_of_answer: timedelta
    occupancy: float
    shrinkage: float = 0.0
    max_occupancy: float = 1.0

    def to_dataframe(self) -> pd.DataFrame:
        """What each agent count near the answer achieves (needs the ``pandas`` extra).

        One row per agent count, indexed by ``agents``: from the fewest agents that keep
        the queue stable (more than ``traffic``; at most ten below ``agents``) to three
        above ``agents``. Columns: ``waiting_probability``, ``service_level``,
        ``average_speed_of_answer_seconds``, ``occupancy``, ``scheduled`` (agents to
        schedule after shrinkage) and ``meets_target`` (the service level is reached and
        occupancy stays within ``max_occupancy``; first true at ``agents``).

        Returns
        -------
        pandas.DataFrame

        Examples
        --------
        >>> r = staffing(
        ...     100,
        ...     timedelta(minutes=30),
        ...     timedelta(seconds=180),
        ...     timedelta(seconds=20),
        ...     max_occupancy=0.85,
        ...     shrinkage=0.3,
        ... )
        >>> r.to_dataframe()[["service_level", "occupancy", "scheduled", "meets_target"]].round(3)
                service_level  occupancy  scheduled  meets_target
        agents
        11              0.390      0.909         16         False
        12              0.640      0.833         18         False
        13              0.796      0.769         19         False
        14              0.888      0.714         20          True
        15              0.941      0.667         22          True
        16              0.971      0.625         23          True
        17              0.986      0.588         25          True
        """
        from pmsm_core._util import require

        require("pandas", "pandas")
        import pandas as pd

        fewest = math.ceil(self.traffic / self.max_occupancy - 1e-9)
        first = max(1, math.floor(self.traffic) + 1, self.agents - 10)
        rows = []
        for n in range(first, self.agents + 4):
            level = service_level(n, self.traffic, self.handling_time, self.answer_time)
            speed = average_speed_of_answer(n, self.traffic, self.handling_time)
            rows.append(
                {
                    "agents": n,
                    "waiting_probability": erlang_c(n, self.traffic),
                    "service_level": level,
                    "average_speed_of_answer_seconds": speed.total_seconds(),
                    "occupancy": self.traffic / n,
                    "scheduled": math.ceil(n / (1.0 - self.shrinkage) - 1e-9),
                    "meets_target": level >= self.target - 1e-12 and n >= fewest,
                }
            )
        frame: pd.DataFrame = pd.DataFrame(rows).set_index("agents")
        return frame


def staffing(
    arrivals: float,
    interval: timedelta,
    handling_time: timedelta,
    answer_time: timedelta,
    *,
    target: float = 0.8,
    max_occupancy: float = 1.0,
    shrinkage: float = 0.0,
) -> StaffingResult:
    """Agents needed to answer ``target`` of the contacts within ``answer_time``.

    Parameters
    ----------
    arrivals
        Contacts expected in ``interval``.
    interval
        The planning interval (e.g. 30 minutes).
    handling_time
        Average handling time per contact (talk plus wrap-up).
    answer_time
        The target answer time (e.g. 20 seconds in an "80/20" service level).
    target
        The service level as a fraction (0.8).
    max_occupancy
        Highest acceptable occupancy (traffic / agents), 1.0 for none.
    shrinkage
        Share of paid time agents are unavailable (breaks, training, absence).

    Raises
    ------
    ValidationError
        For non-positive times or arrivals, a target, occupancy or shrinkage outside its
        range, or a load that would need more than 100,000 agents.

    Examples
    --------
    The classic worked example (Call Centre Helper, "Erlang C formula example"): 100 calls
    in 30 minutes, 180 seconds each, 80 % answered within 20 seconds, at most 85 %
    occupancy and 30 % shrinkage: 10 Erlangs, 14 agents on the phones, 20 scheduled.

    >>> r = staffing(
    ...     100,
    ...     timedelta(minutes=30),
    ...     timedelta(seconds=180),
    ...     timedelta(seconds=20),
    ...     max_occupancy=0.85,
    ...     shrinkage=0.3,
    ... )
    >>> r.traffic, r.agents, r.scheduled
    (10.0, 14, 20)
    >>> round(r.waiting_probability, 4), round(r.service_level, 4), round(r.occupancy, 4)
    (0.1741, 0.8884, 0.7143)
    """
    calls = _positive(arrivals, "arrivals", zero=True)
    period = _seconds(interval, "interval")
    aht = _seconds(handling_time, "handling_time")
    _seconds(answer_time, "answer_time", zero=True)
    goal = _positive(target, "target")
    if goal >= 1:
        msg = f"target must be a fraction below 1 (0.8 for 80 %), got {target!r}"
        raise ValidationError(msg, path="target")
    occupancy_cap = _positive(max_occupancy, "max_occupancy")
    if occupancy_cap > 1:
        msg = f"max_occupancy must be a fraction in (0, 1], got {max_occupancy!r}"
        raise ValidationError(msg, path="max_occupancy")
    lost = _positive(shrinkage, "shrinkage", zero=True)
    if lost >= 1:
        msg = f"shrinkage must be a fraction below 1, got {shrinkage!r}"
        raise ValidationError(msg, path="shrinkage")
    traffic = calls * aht / period
    if traffic / occupancy_cap > MAX_AGENTS:
        msg = f"{traffic:g} Erlangs would need more than {MAX_AGENTS} agents"
        raise ValidationError(msg, path="arrivals")
    agents = max(1, math.floor(traffic) + 1, math.ceil(traffic / occupancy_cap - 1e-9))
    while service_level(agents, traffic, handling_time, answer_time) < goal - 1e-12:
        agents += 1
        if agents > MAX_AGENTS:  # pragma: no cover - the load check above prevents it
            msg = f"no staffing up to {MAX_AGENTS} agents reaches the target"
            raise ValidationError(msg, path="target")
    return StaffingResult(
        calls,
        interval,
        handling_time,
        answer_time,
        goal,
        traffic,
        agents,
        math.ceil(agents / (1.0 - lost) - 1e-9),
        erlang_c(agents, traffic),
        service_level(agents, traffic, handling_time, answer_time),
        average_speed_of_answer(agents, traffic, handling_time),
        traffic / agents,
        lost,
        occupancy_cap,
    )


def utilisation(arrival_rate: float, service_time: float, servers: int = 1) -> float:
    """Share of time the servers are busy: ``arrival_rate × service_time / servers``.

    Rate and time must use the same unit (per hour and hours, ...). Values of 1 or more
    mean the work piles up.

    Examples
    --------
    >>> utilisation(12, 0.25, servers=4)  # 12 tickets/hour, 15 minutes each, 4 people
    0.75
    """
    rate = _positive(arrival_rate, "arrival_rate", zero=True)
    time = _positive(service_time, "service_time", zero=True)
    count: object = servers
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        msg = f"servers must be a whole number >= 1, got {servers!r}"
        raise ValidationError(msg, path="servers")
    return rate * time / servers


def littles_law(
    *,
    arrival_rate: float | None = None,
    time_in_system: float | None = None,
    work_in_progress: float | None = None,
) -> float:
    """Little's law ``L = λ × W``: give two of the three, get the third.

    Holds for a stable system over the long run, whatever the distributions; the units
    must agree (tickets per day and days ...).

    Raises
    ------
    ValidationError
        Unless exactly two values are given, all non-negative (a rate of 0 cannot give a
        time).

    Examples
    --------
    40 tickets a day, each open 2.5 days on average: 100 open tickets.

    >>> littles_law(arrival_rate=40, time_in_system=2.5)
    100.0
    >>> littles_law(work_in_progress=100, arrival_rate=40)
    2.5
    """
    given = {
        "arrival_rate": arrival_rate,
        "time_in_system": time_in_system,
        "work_in_progress": work_in_progress,
    }
    known = {k: _positive(v, k, zero=True) for k, v in given.items() if v is not None}
    if len(known) != 2:
        msg = "give exactly two of arrival_rate, time_in_system and work_in_progress"
        raise ValidationError(msg)
    if "work_in_progress" not in known:
        return known["arrival_rate"] * known["time_in_system"]
    if "arrival_rate" not in known:
        if known["time_in_system"] == 0:
            msg = "time_in_system must be positive to derive the arrival rate"
            raise ValidationError(msg, path="time_in_system")
        return known["work_in_progress"] / known["time_in_system"]
    if known["arrival_rate"] == 0:
        msg = "arrival_rate must be positive to derive the time in system"
        raise ValidationError(msg, path="arrival_rate")
    return known["work_in_progress"] / known["arrival_rate"]
