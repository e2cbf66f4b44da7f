"""Erlang C staffing against the published worked example, utilisation, Little's law."""

from __future__ import annotations

import math
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pmsm_core import (
    ValidationError,
    average_speed_of_answer,
    erlang_c,
    littles_law,
    service_level,
    staffing,
    utilisation,
)

S = timedelta(seconds=1)


def erlang_c_factorials(n: int, a: float) -> float:
    """The textbook formula with factorials (fine for small n), as an independent check."""
    top = a**n / math.factorial(n) * n / (n - a)
    return top / (sum(a**k / math.factorial(k) for k in range(n)) + top)


class TestPublishedExample:
    """Call Centre Helper's "Erlang C formula example" (100 calls per 30 minutes, 180 s
    handling, 80 % in 20 s, 85 % maximum occupancy, 30 % shrinkage), as also published in
    the pyworkforce documentation: 14 agents on the phones, 20 scheduled, service level
    0.88835, waiting probability 0.17413, occupancy 0.71429."""

    def test_requirements(self) -> None:
        """The published figures."""
        r = staffing(
            100,
            timedelta(minutes=30),
            180 * S,
            20 * S,
            target=0.8,
            max_occupancy=0.85,
            shrinkage=0.3,
        )
        assert r.traffic == 10.0
        assert (r.agents, r.scheduled) == (14, 20)
        assert r.service_level == pytest.approx(0.8883500191794669, rel=1e-12)
        assert r.waiting_probability == pytest.approx(0.1741319335950498, rel=1e-12)
        assert r.occupancy == pytest.approx(0.7142857142857143)
        assert r.average_speed_of_answer.total_seconds() == pytest.approx(7.84, abs=0.01)

    def test_agents_around_the_answer(self) -> None:
        """13 agents answer 79.6 % within 20 s (just short); 14 answer 88.8 %."""
        assert service_level(13, 10.0, 180 * S, 20 * S) == pytest.approx(0.7956, abs=1e-4)
        assert service_level(14, 10.0, 180 * S, 20 * S) == pytest.approx(0.8884, abs=1e-4)
        table = [round(erlang_c(n, 10.0), 4) for n in range(11, 16)]
        assert table == [0.6821, 0.4494, 0.2853, 0.1741, 0.102]


class TestFormulas:
    @given(st.integers(1, 60), st.floats(0.01, 0.99))
    def test_recursion_equals_factorial_formula(self, n: int, load: float) -> None:
        """The Erlang B recursion equals the factorial form of Erlang C."""
        a = n * load
        assert erlang_c(n, a) == pytest.approx(erlang_c_factorials(n, a), rel=1e-9)

    @given(st.integers(1, 200), st.floats(0.05, 0.95))
    def test_more_agents_wait_less(self, n: int, load: float) -> None:
        """Adding an agent never raises the probability of waiting."""
        a = n * load
        assert erlang_c(n + 1, a) <= erlang_c(n, a) + 1e-12

    def test_overload_and_edges(self) -> None:
        """Overloaded queues always wait; no traffic never waits; large n stays finite."""
        assert erlang_c(5, 5.0) == 1.0 and erlang_c(5, 0.0) == 0.0
        assert service_level(5, 6.0, 60 * S, 20 * S) == 0.0
        assert 0 < erlang_c(1000, 950.0) < 1
        with pytest.raises(ValidationError, match="grows without bound"):
            average_speed_of_answer(5, 5.0, 60 * S)

    def test_staffing_meets_the_target_with_the_fewest_agents(self) -> None:
        """The answer is minimal: one agent fewer misses the target."""
        r = staffing(360, timedelta(minutes=30), 240 * S, 15 * S, target=0.9)
        assert r.traffic == 48.0
        assert r.service_level >= 0.9
        assert service_level(r.agents - 1, 48.0, 240 * S, 15 * S) < 0.9

    def test_occupancy_cap(self) -> None:
        """A maximum occupancy can require more agents than the service level."""
        r = staffing(100, timedelta(minutes=30), 180 * S, 20 * S, max_occupancy=0.6)
        assert r.agents == 17 and r.occupancy <= 0.6

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"arrivals": -1}, "arrivals"),
            ({"interval": 30}, "interval must be a timedelta"),
            ({"handling_time": timedelta(0)}, "handling_time must be positive"),
            ({"target": 1.0}, "below 1"),
            ({"max_occupancy": 1.5}, r"\(0, 1\]"),
            ({"shrinkage": 1.0}, "shrinkage"),
            ({"arrivals": 1e12}, "more than 100000 agents"),
        ],
    )
    def test_bad_input(self, kwargs: dict[str, object], message: str) -> None:
        """Every input is checked."""
        args: dict[str, object] = {
            "arrivals": 100,
            "interval": timedelta(minutes=30),
            "handling_time": 180 * S,
            "answer_time": 20 * S,
        }
        args.update(kwargs)
        with pytest.raises(ValidationError, match=message):
            staffing(**args)  # type: ignore[arg-type]
        with pytest.raises(ValidationError, match="agents must be"):
            erlang_c(0, 1.0)


class TestQueues:
    def test_utilisation(self) -> None:
        """λ × S / c."""
        assert utilisation(12, 0.25, servers=4) == 0.75
        assert utilisation(10, 0.5) == 5.0
        with pytest.raises(ValidationError, match="servers"):
            utilisation(1, 1, servers=0)

    @given(st.floats(0.01, 1e4), st.floats(0.01, 1e3))
    def test_littles_law_round_trip(self, rate: float, time: float) -> None:
        """L = λW, and any two give the third back."""
        wip = littles_law(arrival_rate=rate, time_in_system=time)
        assert wip == pytest.approx(rate * time)
        assert littles_law(work_in_progress=wip, arrival_rate=rate) == pytest.approx(time)
        assert littles_law(work_in_progress=wip, time_in_system=time) == pytest.approx(rate)

    def test_littles_law_errors(self) -> None:
        """Exactly two known values, and no division by zero."""
        with pytest.raises(ValidationError, match="exactly two"):
            littles_law(arrival_rate=1)
        with pytest.raises(ValidationError, match="exactly two"):
            littles_law(arrival_rate=1, time_in_system=2, work_in_progress=2)
        with pytest.raises(ValidationError, match="arrival_rate must be positive"):
            littles_law(arrival_rate=0, work_in_progress=3)
        with pytest.raises(ValidationError, match="non-negative"):
            littles_law(arrival_rate=-1, time_in_system=3)
