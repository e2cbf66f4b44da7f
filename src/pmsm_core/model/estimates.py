"""Duration estimates of activities: the distributions schedule risk analysis samples from.

An activity's ``estimate`` says how long it may really take. Five value types cover the
usual choices; each knows its :class:`Distribution` (``kind``), its mean and standard
deviation, and validates its parameters on construction:

* :class:`ThreePointEstimate`: optimistic, most likely and pessimistic durations, sampled
  as PERT-beta (the default) or triangular;
* :class:`UniformEstimate`: any duration between a low and a high one;
* :class:`LognormalEstimate`: a given mean and standard deviation, with a long right tail;
* :class:`FixedEstimate`: always the same duration (a degenerate distribution);
* :class:`EmpiricalEstimate`: one of the observed durations, each equally likely.

All durations are working time (minutes, or plain units in an undated project), never
elapsed. An activity without an estimate keeps its planned duration in a simulation.
"""

from __future__ import annotations

import enum
import math
from typing import Any

import attrs

from pmsm_core.calendars import Duration
from pmsm_core.model._validators import check_duration, fail, instance_of, to_tuple

__all__ = [
    "Distribution",
    "DurationEstimate",
    "EmpiricalEstimate",
    "FixedEstimate",
    "LognormalEstimate",
    "ThreePointEstimate",
    "UniformEstimate",
]


class Distribution(enum.Enum):
    """The kinds of duration distribution a simulation samples from.

    The values are the ``"type"`` tags of estimates in JSON documents.
    """

    PERT = "pert"
    """PERT-beta between the optimistic and pessimistic durations, shape λ = 4; its mean
    is (o + 4m + p) / 6."""
    TRIANGULAR = "triangular"
    """Triangular between the optimistic and pessimistic durations, peaking at the most
    likely one; its mean is (o + m + p) / 3."""
    UNIFORM = "uniform"
    """Uniform between a low and a high duration."""
    LOGNORMAL = "lognormal"
    """Lognormal with a given mean and standard deviation (a long right tail)."""
    FIXED = "fixed"
    """Always the same duration (a degenerate distribution)."""
    EMPIRICAL = "empirical"
    """One of a sample of observed durations, each equally likely (a bootstrap)."""


def _working(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    check_duration(non_negative=True)(instance, attribute, value)
    if value.elapsed:
        raise fail(
            instance,
            attribute.name,
            f"{attribute.name}: estimates are working time, not elapsed, got {value}",
        )


@attrs.frozen
class ThreePointEstimate:
    """Optimistic, most likely and pessimistic durations of an activity.

    The classic PERT figures are :attr:`pert_mean` (o + 4m + p) / 6 and :attr:`pert_std`
    (p - o) / 6. A simulation samples a PERT-beta distribution (the default) or a
    triangular one on the same three points (``distribution``).

    Examples
    --------
    >>> e = ThreePointEstimate(Duration(240), Duration(480), Duration(1080))
    >>> e.pert_mean, e.pert_std
    (540.0, 140.0)
    >>> t = ThreePointEstimate(
    ...     Duration(240), Duration(480), Duration(1080), distribution=Distribution.TRIANGULAR
    ... )
    >>> t.mean_minutes, round(t.std_minutes, 1)
    (600.0, 176.6)
    >>> ThreePointEstimate(Duration(5), Duration(3), Duration(9))
    Traceback (most recent call last):
    ...
    pmsm_core.exceptions.ValidationError: most_likely: three point estimate: needs optimistic <= ...
    """

    optimistic: Duration = attrs.field(validator=_working)
    most_likely: Duration = attrs.field(validator=_working)
    pessimistic: Duration = attrs.field(validator=_working)
    distribution: Distribution = attrs.field(
        default=Distribution.PERT, kw_only=True, validator=instance_of(Distribution)
    )

    def __attrs_post_init__(self) -> None:
        o, m, p = self.optimistic.minutes, self.most_likely.minutes, self.pessimistic.minutes
        if not o <= m <= p:
            raise fail(
                self,
                "most_likely",
                f"needs optimistic <= most likely <= pessimistic, got {o}, {m}, {p} minutes",
            )
        if self.distribution not in (Distribution.PERT, Distribution.TRIANGULAR):
            raise fail(
                self,
                "distribution",
                "a three-point estimate is PERT-beta or triangular, got "
                f"{self.distribution.value!r}; use UniformEstimate, LognormalEstimate, "
                "FixedEstimate or EmpiricalEstimate for the others",
            )

    @property
    def kind(self) -> Distribution:
        """The distribution sampled (PERT-beta or triangular)."""
        return self.distribution

    @property
    def pert_mean(self) -> float:
        """PERT mean (o + 4m + p) / 6, in minutes."""
        o, m, p = self.optimistic.minutes, self.most_likely.minutes, self.pessimistic.minutes
        return (o + 4 * m + p) / 6

    @property
    def pert_std(self) -> float:
        """PERT standard deviation (p - o) / 6, in minutes."""
        return (self.pessimistic.minutes - self.optimistic.minutes) / 6

    @property
    def mean_minutes(self) -> float:
        """Mean of the sampled distribution, in minutes (units when undated)."""
        o, m, p = self.optimistic.minutes, self.most_likely.minutes, self.pessimistic.minutes
        if self.distribution is Distribution.TRIANGULAR:
            return (o + m + p) / 3
        return (o + 4 * m + p) / 6

    @property
    def std_minutes(self) -> float:
        """Standard deviation of the sampled distribution, in minutes (units when undated).

        For PERT-beta this is the beta distribution's own standard deviation, which equals
        the classic (p - o) / 6 only when the most likely value is the midpoint.
        """
        o, m, p = self.optimistic.minutes, self.most_likely.minutes, self.pessimistic.minutes
        if p == o:
            return 0.0
        if self.distribution is Distribution.TRIANGULAR:
            return math.sqrt((o * o + m * m + p * p - o * m - o * p - m * p) / 18)
        a, b = pert_shape(o, m, p)
        return (p - o) * math.sqrt(a * b / ((a + b) ** 2 * (a + b + 1)))


def pert_shape(o: float, m: float, p: float) -> tuple[float, float]:
    """Beta shape parameters (α, β) of the PERT distribution on ``o <= m <= p`` (λ = 4).

    Examples
    --------
    >>> pert_shape(0, 1, 4)
    (2.0, 4.0)
    """
    width = p - o
    if width == 0:
        return 1.0, 1.0
    return 1 + 4 * (m - o) / width, 1 + 4 * (p - m) / width


@attrs.frozen
class UniformEstimate:
    """Any duration between ``low`` and ``high`` is equally likely.

    Examples
    --------
    >>> u = UniformEstimate(Duration(480), Duration(960))
    >>> u.mean_minutes, round(u.std_minutes, 2)
    (720.0, 138.56)
    """

    low: Duration = attrs.field(validator=_working)
    high: Duration = attrs.field(validator=_working)

    def __attrs_post_init__(self) -> None:
        if self.low.minutes > self.high.minutes:
            raise fail(
                self,
                "high",
                f"needs low <= high, got {self.low.minutes} > {self.high.minutes} minutes",
            )

    @property
    def kind(self) -> Distribution:
        """:attr:`Distribution.UNIFORM`."""
        return Distribution.UNIFORM

    @property
    def mean_minutes(self) -> float:
        """(low + high) / 2, in minutes (units when undated)."""
        return (self.low.minutes + self.high.minutes) / 2

    @property
    def std_minutes(self) -> float:
        """(high - low) / √12, in minutes (units when undated)."""
        return (self.high.minutes - self.low.minutes) / math.sqrt(12)


@attrs.frozen
class LognormalEstimate:
    """A lognormal duration with the given ``mean`` and standard deviation ``std``.

    The right tail is long: a small chance of a much longer duration. The parameters of
    the underlying normal are σ² = ln(1 + std²/mean²) and μ = ln(mean) - σ²/2.

    Examples
    --------
    >>> e = LognormalEstimate(Duration(2400), Duration(960))
    >>> e.mean_minutes, e.std_minutes
    (2400.0, 960.0)
    >>> LognormalEstimate(Duration(0), Duration(60))
    Traceback (most recent call last):
    ...
    pmsm_core.exceptions.ValidationError: mean: lognormal estimate: the mean must be positive, ...
    """

    mean: Duration = attrs.field(validator=_working)
    std: Duration = attrs.field(validator=_working)

    def __attrs_post_init__(self) -> None:
        if self.mean.minutes <= 0:
            raise fail(self, "mean", f"the mean must be positive, got {self.mean}")

    @property
    def kind(self) -> Distribution:
        """:attr:`Distribution.LOGNORMAL`."""
        return Distribution.LOGNORMAL

    @property
    def mean_minutes(self) -> float:
        """The mean, in minutes (units when undated)."""
        return float(self.mean.minutes)

    @property
    def std_minutes(self) -> float:
        """The standard deviation, in minutes (units when undated)."""
        return float(self.std.minutes)

    @property
    def log_parameters(self) -> tuple[float, float]:
        """(μ, σ) of the normal distribution of the logarithm.

        Examples
        --------
        >>> mu, sigma = LognormalEstimate(Duration(100), Duration(0)).log_parameters
        >>> round(mu, 6), sigma
        (4.60517, 0.0)
        """
        m, s = self.mean.minutes, self.std.minutes
        sigma2 = math.log1p((s / m) ** 2)
        return math.log(m) - sigma2 / 2, math.sqrt(sigma2)


@attrs.frozen
class FixedEstimate:
    """Always exactly ``duration`` (a degenerate distribution).

    Examples
    --------
    >>> FixedEstimate(Duration(480)).mean_minutes, FixedEstimate(Duration(480)).std_minutes
    (480.0, 0.0)
    """

    duration: Duration = attrs.field(validator=_working)

    @property
    def kind(self) -> Distribution:
        """:attr:`Distribution.FIXED`."""
        return Distribution.FIXED

    @property
    def mean_minutes(self) -> float:
        """The duration, in minutes (units when undated)."""
        return float(self.duration.minutes)

    @property
    def std_minutes(self) -> float:
        """0."""
        return 0.0


@attrs.frozen
class EmpiricalEstimate:
    """One of the observed ``samples``, each equally likely (drawn with replacement).

    Use it when past durations of similar work are known.

    Examples
    --------
    >>> e = EmpiricalEstimate([Duration(3), Duration(4), Duration(8)])
    >>> e.mean_minutes, round(e.std_minutes, 3)
    (5.0, 2.16)
    >>> EmpiricalEstimate([])
    Traceback (most recent call last):
    ...
    pmsm_core.exceptions.ValidationError: samples: empirical estimate: needs at least one sample
    """

    samples: tuple[Duration, ...] = attrs.field(converter=to_tuple)

    @samples.validator
    def _check_samples(self, attribute: attrs.Attribute[Any], value: tuple[Any, ...]) -> None:
        if not value:
            raise fail(self, "samples", "needs at least one sample")
        for i, item in enumerate(value):
            if not isinstance(item, Duration) or item.minutes < 0 or item.elapsed:
                raise fail(
                    self,
                    f"samples[{i}]",
                    f"samples[{i}] must be a non-negative working Duration, got {item!r}",
                )

    @property
    def kind(self) -> Distribution:
        """:attr:`Distribution.EMPIRICAL`."""
        return Distribution.EMPIRICAL

    @property
    def mean_minutes(self) -> float:
        """The sample mean, in minutes (units when undated)."""
        return sum(s.minutes for s in self.samples) / len(self.samples)

    @property
    def std_minutes(self) -> float:
        """The standard deviation of drawing one sample (population formula)."""
        mean = self.mean_minutes
        return math.sqrt(sum((s.minutes - mean) ** 2 for s in self.samples) / len(self.samples))


#: Every estimate value type (what an activity's ``estimate`` holds).
DurationEstimate = (
    ThreePointEstimate | UniformEstimate | LognormalEstimate | FixedEstimate | EmpiricalEstimate
)

#: The estimate classes, for isinstance checks.
ESTIMATE_TYPES: tuple[type, ...] = (
    ThreePointEstimate,
    UniformEstimate,
    LognormalEstimate,
    FixedEstimate,
    EmpiricalEstimate,
)
