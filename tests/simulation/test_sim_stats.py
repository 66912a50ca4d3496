from __future__ import annotations

import numpy as np
import pytest

from optimizer.domain.types import TimeGrid
from optimizer.simulation.stats import ci_half_width, level_integral, level_max, slot_quantiles

GRID = TimeGrid(slot_min=10, horizon_min=30)


def test_level_integral_counts_open_time_per_slot() -> None:
    """[5, 25) spans three slots; [12, inf) never closes; [28, 40) runs past the horizon."""
    up = np.array([5.0, 12.0, 28.0])
    down = np.array([25.0, np.inf, 40.0])
    assert level_integral(up, down, GRID) == pytest.approx([5.0, 18.0, 17.0])


def test_level_max_carries_the_level_into_quiet_slots() -> None:
    up = np.array([1.0, 2.0, 3.0])
    down = np.array([4.0, 25.0])  # the third interval never closes
    assert level_max(up, down, GRID).tolist() == [3.0, 2.0, 2.0]


def test_level_max_applies_ends_before_starts_at_equal_times() -> None:
    assert level_max(np.array([1.0, 5.0]), np.array([5.0, 8.0]), GRID).tolist() == [1.0, 0.0, 0.0]


def test_slot_quantiles_match_numpy_on_finite_values() -> None:
    rng = np.random.default_rng(0)
    values = rng.exponential(size=500)
    slots = rng.integers(0, 3, size=500)
    expected = [np.quantile(values[slots == k], 0.9) for k in range(3)]
    assert slot_quantiles(values, slots, 3, 0.9) == pytest.approx(expected, rel=1e-12)


def test_slot_quantiles_reach_infinity_only_when_the_quantile_does() -> None:
    values = np.array([1.0, 2.0, 3.0, np.inf, 1.0, np.inf])
    slots = np.array([0, 0, 0, 0, 1, 1])
    assert slot_quantiles(values, slots, 3, 0.5).tolist() == [2.5, np.inf, 0.0]
    assert slot_quantiles(values, slots, 3, 0.9)[0] == np.inf


def test_ci_half_width_is_student_t_over_replications() -> None:
    by_rep = np.array([[1.0, 2.0, 0.0], [3.0, 2.0, np.inf]])
    half = ci_half_width(by_rep)
    # sd of (1, 3) is sqrt(2); t(0.975, 1) = 12.706; / sqrt(2): 12.706.
    assert half[0] == pytest.approx(12.706) and half[1] == 0.0 and half[2] == np.inf
    assert ci_half_width(by_rep[:1]).tolist() == [0.0, 0.0, 0.0]
