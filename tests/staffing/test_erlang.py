from __future__ import annotations

import pytest

from optimizer.staffing.erlang import (
    erlang_c,
    mean_wait,
    min_servers_for_wait_quantile,
    prob_empty,
    service_level,
)

# Research case T1: 100 arrivals per 30 min, mean service 180 s, 80% answered within 20 s.
T1_RATE_PER_MIN = 100 / 30
T1_SERVICE_MIN = 3.0
T1_WAIT_MIN = 20 / 60


def test_t1_staffing_is_14_servers() -> None:
    assert min_servers_for_wait_quantile(T1_RATE_PER_MIN, T1_SERVICE_MIN, T1_WAIT_MIN, 0.8) == 14


def test_t1_figures_at_14_servers() -> None:
    assert erlang_c(14, 10.0) == pytest.approx(0.1741319, abs=5e-8)
    assert service_level(14, T1_RATE_PER_MIN, T1_SERVICE_MIN, T1_WAIT_MIN) == pytest.approx(
        0.88835, abs=5e-6
    )
    assert mean_wait(14, T1_RATE_PER_MIN, T1_SERVICE_MIN) * 60 == pytest.approx(7.83594, abs=5e-6)
    occupancy = 10.0 / 14  # A / s
    assert occupancy == pytest.approx(0.7142857, abs=5e-8)


def test_t1_neighbours() -> None:
    assert service_level(13, T1_RATE_PER_MIN, T1_SERVICE_MIN, T1_WAIT_MIN) == pytest.approx(
        0.79559, abs=5e-6
    )
    assert erlang_c(11, 10.0) == pytest.approx(0.6821182, abs=5e-8)


def test_t4_mm3() -> None:
    """Gross & Harris M/M/3 with lambda = 6/h, mu = 3/h: p0 = 1/9, W = 0.48148 h."""
    assert prob_empty(3, 2.0) == pytest.approx(1 / 9, rel=1e-12)
    assert mean_wait(3, 6.0, 1 / 3) + 1 / 3 == pytest.approx(0.48148, abs=5e-6)


def test_unstable_and_empty_systems() -> None:
    assert erlang_c(10, 10.0) == 1.0
    assert mean_wait(10, 10.0, 1.0) == float("inf")
    assert service_level(3, 0.0, 1.0, 0.0) == 1.0
    assert min_servers_for_wait_quantile(0.0, 0.1, 5.0, 0.9) == 0


def test_large_systems_stay_finite() -> None:
    """The B recursion handles loads where A**s / s! would overflow a float."""
    assert 0.0 < erlang_c(1000, 950.0) < 1.0
    assert 0.0 < prob_empty(110, 100.0) < 1e-40
    assert prob_empty(1000, 950.0) >= 0.0


def test_quantile_must_be_a_probability() -> None:
    with pytest.raises(ValueError, match="quantile"):
        min_servers_for_wait_quantile(1.0, 1.0, 1.0, 1.0)
