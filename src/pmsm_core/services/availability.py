"""Availability: composed over the dependency graph, and measured from outage records.

Composed availability
---------------------
Every configuration item is up with its own probability (its ``availability``), all
independently; a plain node is up when it is up itself and all its providers are up
(*series*), a redundancy group when at least ``min_up`` members are up (*k-of-n*; one of
*n* is *parallel*). :func:`service_availability` computes the probability that a service is
up and says which method it used:

``series-parallel``
    Exact. Used when no component with an availability below 1 reaches the service along
    two different paths: the structure is then a tree of series, parallel and k-of-n
    blocks and reduces bottom-up (k-of-n of unequal members via the Poisson-binomial
    distribution).
``factoring``
    Exact. Components that reach the service along several paths (a hypervisor under both
    members of a cluster) break that reduction; the engine conditions on the up/down state
    of each of them -- every combination at once, as numpy arrays -- and reduces the rest
    as a tree. The cost doubles with each shared component, so it is used up to
    ``max_exact`` of them.
``enumeration``
    Exact. Every component's state is enumerated (on request, for small graphs).
``monte-carlo``
    An estimate from random component states, with a Wilson score confidence interval.
    Used for structures with more shared components than ``max_exact``.

Measured availability
---------------------
From outage records, counted only inside agreed service time (AST) on a calendar of
service hours: ``A = (AST - downtime) / AST``; breaks are the outages that overlap
service time, and with *n* breaks ``MTRS = downtime / n``, ``MTBF = (AST - downtime) / n``
and ``MTBSI = AST / n = MTBF + MTRS``, so that ``A = MTBF / MTBSI``.
:func:`derived_outages` turns outages of configuration items into outages of the services
they take down, honouring redundancy.
"""

from __future__ import annotations

import itertools
import math
import statistics
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Final

import attrs

from pmsm_core.calendars import WorkCalendar, to_minute_index
from pmsm_core.exceptions import ValidationError
from pmsm_core.model.service import Outage
from pmsm_core.services._periods import check_period, next_period, period_start
from pmsm_core.services.graph import GROUP, ServiceGraph, _as_graph, impact

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from pmsm_core.model.service import ServiceCatalogue

__all__ = [
    "METHODS",
    "AvailabilityResult",
    "OutageCount",
    "OutageStatistics",
    "catalogue_availability",
    "derived_outages",
    "k_of_n_availability",
    "outage_counts",
    "outage_statistics",
    "parallel_availability",
    "series_availability",
    "service_availability",
]

#: Methods :func:`service_availability` accepts.
METHODS: Final = ("auto", "series-parallel", "factoring", "enumeration", "monte-carlo")

#: Largest number of components enumerated by ``method="enumeration"``.
MAX_ENUMERATION: Final = 20

_MINUTES_PER_YEAR: Final = 525_600


# --------------------------------------------------------------------------- formulas


def _check_values(values: Iterable[float], what: str) -> list[float]:
    out: list[float] = []
    given: Iterable[object] = values
    for i, value in enumerate(given):
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
            or not 0.0 <= value <= 1.0
        ):
            msg = f"{what}[{i}] must be an availability in [0, 1], got {value!r}"
            raise ValidationError(msg, path=f"{what}[{i}]")
        out.append(float(value))
    return out


def series_availability(availabilities: Iterable[float]) -> float:
    """Availability of components that must all be up: the product ``A1 × A2 × ...``.

    Raises
    ------
    ValidationError
        If a value lies outside [0, 1].

    Examples
    --------
    >>> round(series_availability([0.99, 0.98]), 6)
    0.9702
    """
    return math.prod(_check_values(availabilities, "availabilities"))


def parallel_availability(availabilities: Iterable[float]) -> float:
    """Availability of components of which one suffices: ``1 - (1 - A1)(1 - A2)...``.

    Raises
    ------
    ValidationError
        If a value lies outside [0, 1].

    Examples
    --------
    >>> round(parallel_availability([0.99, 0.98]), 6)
    0.9998
    """
    return 1.0 - math.prod(1.0 - a for a in _check_values(availabilities, "availabilities"))


def k_of_n_availability(k: int, availabilities: Sequence[float]) -> float:
    """Availability of *n* components of which at least *k* must be up.

    Members may differ (the Poisson-binomial distribution); for *n* identical members
    with availability *A* it equals ``sum(C(n, i) A^i (1 - A)^(n - i) for i >= k)``.

    Raises
    ------
    ValidationError
        If ``k`` is not in 0..n or a value lies outside [0, 1].

    Examples
    --------
    >>> round(k_of_n_availability(2, [0.9, 0.9, 0.9]), 6)  # 3 × 0.81 × 0.1 + 0.729
    0.972
    """
    values = _check_values(availabilities, "availabilities")
    count: object = k
    if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= len(values):
        msg = f"k must be a whole number in 0..{len(values)}, got {k!r}"
        raise ValidationError(msg, path="k")
    return float(_at_least_k(values, k))


def _at_least_k(probabilities: Sequence[Any], k: int) -> Any:
    """P(at least k of independent events), probabilities may be floats or arrays."""
    if k <= 0:
        return 1.0
    # dist[j] = P(exactly j up so far) for j < k; dist[k] = P(at least k up so far)
    dist: list[Any] = [1.0] + [0.0] * k
    for p in probabilities:
        q = 1.0 - p
        top = dist[k] + dist[k - 1] * p
        for j in range(k - 1, 0, -1):
            dist[j] = dist[j] * q + dist[j - 1] * p
        dist[0] = dist[0] * q
        dist[k] = top
    return dist[k]


# --------------------------------------------------------------------------- composition


@attrs.frozen
class AvailabilityResult:
    """The availability of one service, composed over its dependency graph.

    Attributes
    ----------
    service
        The service id.
    availability
        Probability that the service is up, as a fraction.
    method
        ``"series-parallel"``, ``"factoring"``, ``"enumeration"`` or ``"monte-carlo"``.
    interval
        For Monte Carlo: the confidence interval (Wilson score); None for exact methods.
    confidence
        The confidence level of ``interval``.
    samples
        Monte Carlo samples drawn.
    components
        How many components with an availability below 1 the service depends on.
    shared
        Components that reach the service along several paths (the ones factoring
        conditions on).
    assumed
        Configuration items without an availability, taken as always up.
    target
        The agreed availability in percent (the strictest covering agreement), if any.

    Examples
    --------
    >>> r = AvailabilityResult("MAIL", 0.9995, "series-parallel", target=99.9)
    >>> r.meets_target, round(r.expected_downtime_hours_per_year, 2)
    (True, 4.38)
    """

    service: str
    availability: float
    method: str
    interval: tuple[float, float] | None = None
    confidence: float | None = None
    samples: int | None = None
    components: int = 0
    shared: tuple[str, ...] = ()
    assumed: tuple[str, ...] = ()
    target: float | None = None

    @property
    def meets_target(self) -> bool | None:
        """Whether the availability reaches the agreed target (None without a target)."""
        if self.target is None:
            return None
        return self.availability * 100 >= self.target - 1e-9

    @property
    def expected_downtime_hours_per_year(self) -> float:
        """``(1 - A) × 8760`` hours: the expected downtime over a year round the clock."""
        return (1.0 - self.availability) * _MINUTES_PER_YEAR / 60

    def to_dataframe(self) -> pd.DataFrame:
        """The result as a one-row pandas DataFrame indexed by ``service`` (``pandas`` extra).

        Columns: ``availability`` (a fraction), ``method``, ``interval_low`` and
        ``interval_high`` (NaN for exact methods), ``confidence``, ``samples`` (nullable
        integers), ``components``, ``shared`` and ``assumed`` (comma-separated ids),
        ``target_percent``, ``meets_target`` (nullable booleans) and
        ``expected_downtime_hours_per_year``. :func:`catalogue_availability` returns a
        tuple of results; ``pd.concat`` their frames for one row per service.

        Returns
        -------
        pandas.DataFrame

        Examples
        --------
        >>> r = AvailabilityResult("MAIL", 0.9995, "series-parallel", target=99.9)
        >>> r.to_dataframe()[["availability", "target_percent", "meets_target"]]
                 availability  target_percent  meets_target
        service
        MAIL           0.9995            99.9          True

        One row per service of a catalogue:

        >>> import pandas as pd
        >>> from pmsm_core import demo_catalogue
        >>> results = catalogue_availability(demo_catalogue())
        >>> frame = pd.concat([r.to_dataframe() for r in results])
        >>> frame.loc[["SD", "TEL"], ["method", "components", "meets_target"]]
                          method  components  meets_target
        service
        SD             factoring          21          True
        TEL      series-parallel           6         False
        """
        from pmsm_core._util import require

        require("pandas", "pandas")
        import pandas as pd

        low, high = self.interval if self.interval is not None else (math.nan, math.nan)
        row = {
            "service": self.service,
            "availability": self.availability,
            "method": self.method,
            "interval_low": low,
            "interval_high": high,
            "confidence": math.nan if self.confidence is None else self.confidence,
            "samples": self.samples,
            "components": self.components,
            "shared": ", ".join(self.shared),
            "assumed": ", ".join(self.assumed),
            "target_percent": math.nan if self.target is None else self.target,
            "meets_target": self.meets_target,
            "expected_downtime_hours_per_year": self.expected_downtime_hours_per_year,
        }
        frame: pd.DataFrame = (
            pd.DataFrame([row])
            .astype({"samples": "Int64", "components": "int64", "meets_target": "boolean"})
            .set_index("service")
        )
        return frame


def service_availability(
    graph: ServiceGraph | ServiceCatalogue,
    service: str,
    *,
    method: str = "auto",
    samples: int = 200_000,
    seed: int | None = 0,
    confidence: float = 0.95,
    max_exact: int = 16,
) -> AvailabilityResult:
    """Probability that ``service`` is up, composed from its components' availabilities.

    Parameters
    ----------
    graph
        A :class:`~pmsm_core.ServiceGraph` or a catalogue.
    service
        The service id (any configuration item works too).
    method
        ``"auto"`` (exact whenever affordable, else Monte Carlo), or one of
        ``"series-parallel"``, ``"factoring"``, ``"enumeration"``, ``"monte-carlo"``.
    samples, seed, confidence
        Monte Carlo settings; ``seed=None`` draws a fresh random seed.
    max_exact
        Largest number of shared components ``"auto"`` conditions on exactly.

    Returns
    -------
    AvailabilityResult

    Raises
    ------
    ValidationError
        For an unknown id, an unknown method, ``"series-parallel"`` on a structure with
        shared components, or ``"enumeration"`` over more than 20 components.

    Examples
    --------
    >>> from pmsm_core import (
    ...     ConfigurationItem,
    ...     RedundancyGroup,
    ...     Service,
    ...     ServiceCatalogue,
    ...     ServiceDependency,
    ... )
    >>> cat = ServiceCatalogue(
    ...     "IT",
    ...     services=[Service("APP")],
    ...     configuration_items=[
    ...         ConfigurationItem("VM1", availability=0.99),
    ...         ConfigurationItem("VM2", availability=0.99),
    ...         ConfigurationItem("DB", availability=0.999),
    ...     ],
    ...     redundancy_groups=[RedundancyGroup("FARM", ["VM1", "VM2"])],
    ...     dependencies=[ServiceDependency("APP", "FARM"), ServiceDependency("APP", "DB")],
    ... )
    >>> r = service_availability(cat, "APP")
    >>> r.method, round(r.availability, 6)  # (1 - 0.01²) × 0.999
    ('series-parallel', 0.9989)
    >>> mc = service_availability(cat, "APP", method="monte-carlo", samples=20_000)
    >>> mc.interval[0] <= r.availability <= mc.interval[1]
    True
    """
    g = _as_graph(graph)
    if method not in METHODS:
        msg = f"method must be one of {', '.join(METHODS)}; got {method!r}"
        raise ValidationError(msg, path="method")
    draws: object = samples
    level: object = confidence
    if isinstance(draws, bool) or not isinstance(draws, int) or draws < 1:
        msg = f"samples must be a positive whole number, got {samples!r}"
        raise ValidationError(msg, path="samples")
    if not isinstance(level, float | int) or not 0 < level < 1:
        msg = f"confidence must lie strictly between 0 and 1, got {confidence!r}"
        raise ValidationError(msg, path="confidence")
    (s,) = g._resolve([service], "service", allow_groups=True)
    ancestors = sorted(g._reach([s], forward=False))
    in_tree = set(ancestors)
    values: dict[int, float] = {}
    assumed: list[str] = []
    for v in ancestors:
        a = g._availability[v]
        if a is None:
            assumed.append(g.ids[v])
            a = 1.0
        values[v] = a
    random = [v for v in ancestors if 0.0 < values[v] < 1.0]
    paths: dict[int, int] = {s: 1}
    for v in reversed(ancestors):
        if v != s:
            paths[v] = min(2, sum(paths[d] for d in g._dependents[v] if d in in_tree))
    shared = [v for v in random if paths[v] >= 2]
    target = g.catalogue.availability_target(g.ids[s]) if g._kinds[s] == 0 else None
    common: dict[str, Any] = {
        "components": len(random),
        "shared": tuple(g.ids[v] for v in shared),
        "assumed": tuple(sorted(assumed)),
        "target": target,
    }
    chosen = method
    if method == "auto":
        affordable = len(shared) <= max_exact and (2 ** len(shared)) * len(ancestors) <= 2e8
        chosen = "series-parallel" if not shared else ("factoring" if affordable else "monte-carlo")
    if chosen == "series-parallel" and shared:
        names = ", ".join(g.ids[v] for v in shared[:5])
        msg = (
            f"service {g.ids[s]!r} shares components ({names}) between branches; "
            "series-parallel reduction would be wrong, use 'factoring' or 'auto'"
        )
        raise ValidationError(msg, path="method")
    if chosen == "monte-carlo":
        estimate, interval = _monte_carlo(
            g, s, ancestors, values, samples=samples, seed=seed, confidence=confidence
        )
        return AvailabilityResult(
            g.ids[s],
            estimate,
            "monte-carlo",
            interval,
            float(confidence),
            samples,
            **common,
        )
    condition = shared
    if chosen == "enumeration":
        if len(random) > MAX_ENUMERATION:
            msg = (
                f"enumeration over {len(random)} components is too large "
                f"(at most {MAX_ENUMERATION}); use 'factoring' or 'monte-carlo'"
            )
            raise ValidationError(msg, path="method")
        condition = random
    result = _exact(g, s, ancestors, values, condition)
    return AvailabilityResult(g.ids[s], result, chosen, **common)


def catalogue_availability(
    graph: ServiceGraph | ServiceCatalogue, **options: Any
) -> tuple[AvailabilityResult, ...]:
    """:func:`service_availability` for every service of the catalogue, by id.

    Keyword options are passed on (``method``, ``samples``, ``seed`` ...).

    Examples
    --------
    >>> from pmsm_core import ConfigurationItem, Service, ServiceCatalogue, ServiceDependency
    >>> cat = ServiceCatalogue(
    ...     "IT",
    ...     services=[Service("A"), Service("B")],
    ...     configuration_items=[ConfigurationItem("X", availability=0.99)],
    ...     dependencies=[ServiceDependency("A", "X"), ServiceDependency("B", "A")],
    ... )
    >>> [(r.service, r.availability) for r in catalogue_availability(cat)]
    [('A', 0.99), ('B', 0.99)]
    """
    g = _as_graph(graph)
    return tuple(service_availability(g, service, **options) for service in sorted(g.services))


def _exact(
    g: ServiceGraph,
    s: int,
    ancestors: list[int],
    values: dict[int, float],
    condition: Sequence[int],
) -> float:
    """Condition on the states of ``condition`` (all combinations as arrays), reduce the
    rest bottom-up as a tree."""
    import numpy as np

    fixed: dict[int, Any] = {}
    weight: Any = 1.0
    if condition:
        combos = np.arange(2 ** len(condition), dtype=np.int64)
        for bit, v in enumerate(condition):
            up = ((combos >> bit) & 1).astype(np.float64)
            fixed[v] = up
            weight = weight * np.where(up > 0, values[v], 1.0 - values[v])
    in_tree = set(ancestors)
    waiting = {v: sum(1 for d in g._dependents[v] if d in in_tree) for v in ancestors}
    result: dict[int, Any] = {}
    kinds, providers, need = g._kinds, g._providers, g._need
    for v in ancestors:
        provs = providers[v]
        if kinds[v] == GROUP:
            value = _at_least_k([result[p] for p in provs], need[v])
        else:
            value = fixed.get(v, values[v])
            for p in provs:
                value = value * result[p]
        result[v] = value
        for p in provs:
            waiting[p] -= 1
            if waiting[p] == 0 and p != s:
                del result[p]
    total = result[s] * weight
    return float(np.sum(total)) if isinstance(total, np.ndarray) else float(total)


def _monte_carlo(
    g: ServiceGraph,
    s: int,
    ancestors: list[int],
    values: dict[int, float],
    *,
    samples: int,
    seed: int | None,
    confidence: float,
) -> tuple[float, tuple[float, float]]:
    import numpy as np

    rng = np.random.default_rng(seed)
    in_tree = set(ancestors)
    kinds, providers, need = g._kinds, g._providers, g._need
    batch = max(1024, min(samples, int(2e7 // max(1, len(ancestors)))))
    up = 0
    done = 0
    while done < samples:
        m = min(batch, samples - done)
        waiting = {v: sum(1 for d in g._dependents[v] if d in in_tree) for v in ancestors}
        state: dict[int, Any] = {}
        for v in ancestors:
            provs = providers[v]
            if kinds[v] == GROUP:
                count: Any = 0
                for p in provs:
                    count = count + np.asarray(state[p], dtype=np.int32)
                value: Any = np.asarray(count >= need[v])
            else:
                a = values[v]
                value = rng.random(m) < a if 0.0 < a < 1.0 else bool(a >= 1.0)
                for p in provs:
                    value = np.logical_and(value, state[p])
            state[v] = value
            for p in provs:
                waiting[p] -= 1
                if waiting[p] == 0 and p != s:
                    del state[p]
        final = np.broadcast_to(np.asarray(state[s], dtype=bool), (m,))
        up += int(np.count_nonzero(final))
        done += m
    estimate = up / samples
    return estimate, _wilson(up, samples, confidence)


def _wilson(successes: int, n: int, confidence: float) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion."""
    z = statistics.NormalDist().inv_cdf(0.5 + confidence / 2)
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return (max(0.0, centre - half), min(1.0, centre + half))


# --------------------------------------------------------------------------- outages


@attrs.frozen
class OutageStatistics:
    """Availability, MTBF, MTRS and MTBSI of one item from its outage records.

    All times are minutes of agreed service time (AST): time inside the service hours
    within ``[start, end)``. ``breaks`` counts the outages that overlap service time
    (overlapping records merged first).

    Examples
    --------
    >>> s = OutageStatistics(
    ...     "MAIL",
    ...     datetime(2026, 3, 2),
    ...     datetime(2026, 3, 7),
    ...     agreed_service_time=7200,
    ...     downtime=180,
    ...     breaks=2,
    ... )
    >>> s.availability, s.mtbf, s.mtrs, s.mtbsi
    (0.975, 3510.0, 90.0, 3600.0)
    """

    item: str
    start: datetime
    end: datetime
    agreed_service_time: int
    downtime: int
    breaks: int

    @property
    def uptime(self) -> int:
        """AST minus downtime, in minutes."""
        return self.agreed_service_time - self.downtime

    @property
    def availability(self) -> float | None:
        """``(AST - downtime) / AST`` as a fraction; None when there is no service time."""
        if self.agreed_service_time <= 0:
            return None
        return self.uptime / self.agreed_service_time

    @property
    def mtbf(self) -> float | None:
        """Mean time between failures, uptime / breaks (None without breaks)."""
        return self.uptime / self.breaks if self.breaks else None

    @property
    def mtrs(self) -> float | None:
        """Mean time to restore service, downtime / breaks (None without breaks)."""
        return self.downtime / self.breaks if self.breaks else None

    @property
    def mtbsi(self) -> float | None:
        """Mean time between service incidents, AST / breaks = MTBF + MTRS."""
        return self.agreed_service_time / self.breaks if self.breaks else None

    def allowed_downtime(self, target: float) -> float:
        """Downtime (minutes) the period may have at a ``target`` availability in percent:
        ``AST × (1 - target / 100)``."""
        return self.agreed_service_time * (1.0 - target / 100.0)

    def to_dataframe(self) -> pd.DataFrame:
        """The figures as a one-row pandas DataFrame indexed by ``item`` (``pandas`` extra).

        Columns: ``start`` and ``end`` of the window; ``agreed_service_time_minutes``,
        ``downtime_minutes``, ``uptime_minutes`` and ``breaks`` (integers);
        ``availability`` (a fraction) and ``mtbf_minutes``, ``mtrs_minutes``,
        ``mtbsi_minutes`` (floats, NaN where the property is None).

        Returns
        -------
        pandas.DataFrame

        Examples
        --------
        >>> s = OutageStatistics(
        ...     "MAIL",
        ...     datetime(2026, 3, 2),
        ...     datetime(2026, 3, 7),
        ...     agreed_service_time=7200,
        ...     downtime=180,
        ...     breaks=2,
        ... )
        >>> s.to_dataframe()[["downtime_minutes", "breaks", "availability", "mtrs_minutes"]]
              downtime_minutes  breaks  availability  mtrs_minutes
        item
        MAIL               180       2         0.975          90.0
        """
        from pmsm_core._util import require

        require("pandas", "pandas")
        import pandas as pd

        def number(value: float | None) -> float:
            return math.nan if value is None else float(value)

        row = {
            "item": self.item,
            "start": self.start,
            "end": self.end,
            "agreed_service_time_minutes": self.agreed_service_time,
            "downtime_minutes": self.downtime,
            "uptime_minutes": self.uptime,
            "breaks": self.breaks,
            "availability": number(self.availability),
            "mtbf_minutes": number(self.mtbf),
            "mtrs_minutes": number(self.mtrs),
            "mtbsi_minutes": number(self.mtbsi),
        }
        frame: pd.DataFrame = pd.DataFrame([row]).set_index("item")
        return frame


def _check_window(start: datetime, end: datetime) -> None:
    pairs: tuple[tuple[str, object], ...] = (("start", start), ("end", end))
    for name, value in pairs:
        if not isinstance(value, datetime):
            msg = f"{name} must be a datetime, got {value!r}"
            raise ValidationError(msg, path=name)
    if end <= start:
        msg = f"end {end.isoformat()} must come after start {start.isoformat()}"
        raise ValidationError(msg, path="end")


def _merge(intervals: Iterable[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    merged: list[tuple[datetime, datetime]] = []
    for a, b in sorted(intervals):
        if merged and a <= merged[-1][1]:
            if b > merged[-1][1]:
                merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    return merged


def outage_statistics(
    outages: Iterable[Outage],
    start: datetime,
    end: datetime,
    *,
    calendar: WorkCalendar | None = None,
    item: str | None = None,
) -> OutageStatistics:
    """Availability, breaks, MTBF, MTRS and MTBSI within agreed service time.

    Parameters
    ----------
    outages
        Outage records; only those of ``item`` count when it is given.
    start, end
        The reporting window ``[start, end)``.
    calendar
        The agreed service hours; round the clock when None. Downtime outside service
        hours does not count, and an outage entirely outside them is not a break.
    item
        The service or configuration item to report on (default: the single item the
        records name).

    Returns
    -------
    OutageStatistics

    Raises
    ------
    ValidationError
        For an empty or reversed window, or records of several items without ``item``.

    Examples
    --------
    A service with 10-hour days (08:00-18:00) Monday to Friday: one week holds 50 hours
    of agreed service time. An outage from 17:00 to 19:00 costs one hour of it; one on
    Saturday costs nothing and is no break.

    >>> from pmsm_core import Outage, WorkCalendar
    >>> hours = WorkCalendar(
    ...     "bh", {d: ["08:00-18:00"] for d in ("mon", "tue", "wed", "thu", "fri")}
    ... )
    >>> records = [
    ...     Outage("SD", datetime(2026, 3, 3, 17), datetime(2026, 3, 3, 19)),
    ...     Outage("SD", datetime(2026, 3, 7, 10), datetime(2026, 3, 7, 12)),
    ... ]
    >>> s = outage_statistics(records, datetime(2026, 3, 2), datetime(2026, 3, 9), calendar=hours)
    >>> s.agreed_service_time, s.downtime, s.breaks, round(s.availability, 4)
    (3000, 60, 1, 0.98)
    """
    _check_window(start, end)
    records = list(outages)
    checked: list[object] = list(records)
    for i, record in enumerate(checked):
        if not isinstance(record, Outage):
            msg = f"outages[{i}] must be an Outage, got {record!r}"
            raise ValidationError(msg, path=f"outages[{i}]")
    if item is None:
        items = {r.item for r in records}
        if len(items) > 1:
            msg = f"outages name several items {sorted(items)}; say which one with item="
            raise ValidationError(msg, path="item")
        item = items.pop() if items else ""
    table = (calendar or WorkCalendar.twenty_four_hours()).table
    lo, hi = to_minute_index(start), to_minute_index(end)
    w_lo, w_hi = table.to_working(lo), table.to_working(hi)
    downtime = 0
    breaks = 0
    spans = _merge((r.start, r.end) for r in records if r.item == item)
    for a, b in spans:
        ia, ib = max(to_minute_index(a), lo), min(to_minute_index(b), hi)
        if ib <= ia:
            continue
        lost = table.to_working(ib) - table.to_working(ia)
        if lost > 0:
            downtime += lost
            breaks += 1
    return OutageStatistics(item, start, end, w_hi - w_lo, downtime, breaks)


def derived_outages(
    graph: ServiceGraph | ServiceCatalogue, outages: Iterable[Outage] | None = None
) -> tuple[Outage, ...]:
    """Outages of every service and configuration item, derived through the dependency graph.

    The recorded outages (of the catalogue, or ``outages``) are failures; in each stretch
    of time between two record boundaries, :func:`~pmsm_core.impact` decides which nodes
    are down, honouring redundancy. Consecutive stretches of one item are merged.

    Returns
    -------
    tuple of Outage
        Sorted by item and start; the description names the recorded failures behind it.

    Examples
    --------
    >>> from pmsm_core import (
    ...     ConfigurationItem,
    ...     Outage,
    ...     RedundancyGroup,
    ...     Service,
    ...     ServiceCatalogue,
    ...     ServiceDependency,
    ... )
    >>> cat = ServiceCatalogue(
    ...     "IT",
    ...     services=[Service("MAIL")],
    ...     configuration_items=[ConfigurationItem("MX1"), ConfigurationItem("MX2")],
    ...     redundancy_groups=[RedundancyGroup("MX", ["MX1", "MX2"])],
    ...     dependencies=[ServiceDependency("MAIL", "MX")],
    ...     outages=[
    ...         Outage("MX1", datetime(2026, 3, 3, 10), datetime(2026, 3, 3, 12)),
    ...         Outage("MX2", datetime(2026, 3, 3, 11), datetime(2026, 3, 3, 13)),
    ...     ],
    ... )
    >>> [(o.item, o.start.hour, o.end.hour) for o in derived_outages(cat) if o.item == "MAIL"]
    [('MAIL', 11, 12)]
    """
    g = _as_graph(graph)
    records = list(g.catalogue.outages if outages is None else outages)
    g._resolve([r.item for r in records], "outages")
    cuts = sorted({r.start for r in records} | {r.end for r in records})
    open_spans: dict[str, list[tuple[datetime, datetime, str]]] = {}
    for a, b in itertools.pairwise(cuts):
        failed = sorted({r.item for r in records if r.start <= a and r.end >= b})
        if not failed:
            continue
        result = impact(g, failed)
        why = ", ".join(failed)
        for node in result.down:
            spans = open_spans.setdefault(node, [])
            if spans and spans[-1][1] == a:
                spans[-1] = (spans[-1][0], b, _join(spans[-1][2], why))
            else:
                spans.append((a, b, why))
    out = [
        Outage(node, a, b, description=f"down because of: {why}")
        for node, spans in open_spans.items()
        for a, b, why in spans
    ]
    out.sort(key=lambda o: (o.item, o.start))
    return tuple(out)


def _join(first: str, second: str) -> str:
    names = list(dict.fromkeys([*first.split(", "), *second.split(", ")]))
    return ", ".join(names)


@attrs.frozen
class OutageCount:
    """How many outages of one item started in one period, and their total length.

    Examples
    --------
    >>> OutageCount("MAIL", date(2026, 3, 1), 2, 150).outages
    2
    """

    item: str
    period: date
    outages: int
    minutes: int


def outage_counts(outages: Iterable[Outage], period: str = "month") -> tuple[OutageCount, ...]:
    """Outages per item and period (by the period in which each one started).

    Parameters
    ----------
    outages
        Outage records.
    period
        ``"day"``, ``"week"`` (from Monday), ``"month"``, ``"quarter"`` or ``"year"``.

    Examples
    --------
    >>> from pmsm_core import Outage
    >>> counts = outage_counts(
    ...     [
    ...         Outage("MAIL", datetime(2026, 3, 3, 10), datetime(2026, 3, 3, 11)),
    ...         Outage("MAIL", datetime(2026, 3, 20, 10), datetime(2026, 3, 20, 10, 30)),
    ...         Outage("MAIL", datetime(2026, 4, 1, 9), datetime(2026, 4, 1, 9, 15)),
    ...     ]
    ... )
    >>> [(c.period.isoformat(), c.outages, c.minutes) for c in counts]
    [('2026-03-01', 2, 90), ('2026-04-01', 1, 15)]
    """
    check_period(period)
    totals: dict[tuple[str, date], list[int]] = {}
    for record in outages:
        key = (record.item, period_start(record.start, period))
        entry = totals.setdefault(key, [0, 0])
        entry[0] += 1
        entry[1] += record.minutes
    return tuple(
        OutageCount(item, when, count, minutes)
        for (item, when), (count, minutes) in sorted(totals.items())
    )


def report_window(outages: Sequence[Outage]) -> tuple[datetime, datetime] | None:
    """The whole months that cover the outage records (a default reporting window)."""
    if not outages:
        return None
    first = min(o.start for o in outages)
    last = max(o.end for o in outages)
    begin = datetime.combine(period_start(first, "month"), datetime.min.time())
    last_month = datetime.combine(period_start(last, "month"), datetime.min.time())
    if last == last_month:
        return begin, last
    return begin, datetime.combine(next_period(last_month.date(), "month"), datetime.min.time())
