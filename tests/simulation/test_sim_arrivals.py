from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from optimizer.domain.types import CrowdForecast, TimeGrid, Wave, WaveShape
from optimizer.simulation.arrivals import (
    arrival_curve,
    draw_departures,
    draw_times,
    expected_per_slot,
    wave_curve,
)

GRID = TimeGrid(slot_min=15, horizon_min=300)


@st.composite
def waves_inside(draw: st.DrawFn) -> Wave:
    """Any wave whose whole window lies inside GRID's horizon."""
    shape = draw(st.sampled_from(list(WaveShape)))
    start = draw(st.integers(0, 290))
    end = draw(st.integers(start + 1, 300))
    if shape is WaveShape.PER_SLOT:
        first = start // GRID.slot_min
        weights = draw(
            st.lists(st.floats(0, 100), min_size=1, max_size=GRID.n_slots - first).filter(
                lambda w: sum(w) > 0
            )
        )
        return Wave("w", shape, 1.0, start, end, slot_weights=tuple(weights))
    peak = draw(st.integers(start, end))
    sd = draw(st.floats(0.0, 200.0))
    return Wave("w", shape, 1.0, start, end, peak_min=peak, sd_min=sd)


@settings(max_examples=150, deadline=None)
@given(wave=waves_inside(), volume=st.floats(0.0, 1e6))
def test_curves_are_non_negative_and_conserve_volume(wave: Wave, volume: float) -> None:
    curve = wave_curve(wave, volume, GRID)
    assert curve.shape == (GRID.n_slots,)
    assert (curve >= 0).all()
    assert math.isclose(curve.sum(), volume, rel_tol=1e-6, abs_tol=1e-9)


@settings(max_examples=50, deadline=None)
@given(waves=st.lists(waves_inside(), min_size=1, max_size=4), attendance=st.integers(0, 100_000))
def test_forecast_carries_share_times_attendance(waves: list[Wave], attendance: int) -> None:
    shares = np.random.default_rng(len(waves)).dirichlet(np.ones(len(waves)))
    waves = [Wave(w.name, w.shape, float(s), w.start_min, w.end_min, w.peak_min, w.sd_min,
                  w.slot_weights) for w, s in zip(waves, shares, strict=True)]  # fmt: skip
    total = expected_per_slot(waves, attendance, GRID).sum()
    assert math.isclose(total, attendance, rel_tol=1e-6, abs_tol=1e-6)


def test_uniform_spreads_evenly_over_its_window() -> None:
    curve = wave_curve(Wave("u", WaveShape.UNIFORM, 1.0, 30, 90), 600.0, GRID)
    assert curve[:2].sum() == 0
    assert curve[2:6] == pytest.approx([150.0] * 4)
    assert curve[6:].sum() == 0


def test_triangular_integrates_exactly_per_slot() -> None:
    """Rising edge from 0 to a peak at 30 over two 15-min slots: shares 1/8 and 3/8."""
    curve = wave_curve(Wave("t", WaveShape.TRIANGULAR, 1.0, 0, 60, peak_min=30), 8.0, GRID)
    assert curve[:4] == pytest.approx([1.0, 3.0, 3.0, 1.0])


def test_normal_is_truncated_to_its_window_and_renormalised() -> None:
    wave = Wave("n", WaveShape.NORMAL, 1.0, 60, 120, peak_min=120, sd_min=30.0)
    curve = wave_curve(wave, 100.0, GRID)
    assert curve[:4].sum() == 0 and curve[8:].sum() == 0
    assert curve.sum() == pytest.approx(100.0)
    assert list(curve[4:8]) == sorted(curve[4:8])  # rising towards the peak at the window's end


def test_per_slot_weights_start_at_the_slot_holding_start() -> None:
    wave = Wave("p", WaveShape.PER_SLOT, 1.0, 40, 100, slot_weights=(1.0, 3.0))
    assert wave_curve(wave, 4.0, GRID)[:4] == pytest.approx([0.0, 0.0, 1.0, 3.0])


def test_volume_outside_the_horizon_is_dropped() -> None:
    curve = wave_curve(Wave("u", WaveShape.UNIFORM, 1.0, 240, 360), 120.0, GRID)
    assert curve.sum() == pytest.approx(60.0)


def test_drawn_times_follow_the_curve() -> None:
    """Per-slot counts average to the curve; times are sorted and inside their slots."""
    crowd = CrowdForecast(2000, (Wave("n", WaveShape.NORMAL, 1.0, 0, 300, 150, 40.0),))
    expected = arrival_curve(crowd, GRID)
    rng = np.random.default_rng(7)
    counts = np.zeros(GRID.n_slots)
    reps = 200
    for _ in range(reps):
        times = draw_times(expected, GRID, rng)
        assert (np.diff(times) >= 0).all()
        assert times.min() >= 0 and times.max() < GRID.horizon_min
        counts += np.bincount((times // GRID.slot_min).astype(int), minlength=GRID.n_slots)
    # Poisson: the mean of 200 draws is within 4 standard errors of the curve.
    assert np.all(np.abs(counts / reps - expected) <= 4 * np.sqrt(expected / reps) + 1e-9)


def test_departures_without_egress_waves_are_at_the_horizon_end() -> None:
    rng = np.random.default_rng(0)
    times = draw_departures(np.zeros(GRID.n_slots), 5, 100, GRID, rng)
    assert (times == GRID.horizon_min).all()


def test_departures_follow_the_egress_share() -> None:
    """Half the attendance leaves in [240, 270); the other half stays to the end."""
    crowd = CrowdForecast(1000, (), (Wave("out", WaveShape.UNIFORM, 0.5, 240, 270),))
    rng = np.random.default_rng(3)
    egress = expected_per_slot(crowd.egress_waves, crowd.attendance, GRID)
    times = draw_departures(egress, 10_000, crowd.attendance, GRID, rng)
    leaving = times < GRID.horizon_min
    assert leaving.mean() == pytest.approx(0.5, abs=0.02)
    assert times[leaving].min() >= 240 and times[leaving].max() < 270
