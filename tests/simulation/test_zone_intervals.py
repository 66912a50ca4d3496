"""Confidence intervals of the zone statistics, recomputed by brute force from the attendees."""

from __future__ import annotations

import math

import numpy as np
import pytest
from sim_factories import TARGETS, gate, plan, uniform_wave, zone

from optimizer.domain.types import EventPlan
from optimizer.simulation import simulate_detailed

REPS = 5
T975_4 = 2.776  # Student t, 97.5%, 4 degrees of freedom (published tables)


def event() -> EventPlan:
    return plan(
        zones=(zone("stand", area_m2=800.0),),
        gates=(gate(lanes=3),),
        attendance=1500,
        arrival_waves=(uniform_wave(0, 60),),
        egress_waves=(uniform_wave(90, 120),),
        horizon_min=150,
    )


def test_zone_intervals_are_student_t_over_the_replications_of_each_statistic() -> None:
    p = event()
    run = simulate_detailed(p, TARGETS, {"north": [3] * p.grid.n_slots}, REPS, seed=4)
    stats = run.result.zone("stand")
    n = p.grid.n_slots
    # Time-average occupancy of each replication and slot, sampled on a fine grid of instants.
    instants = np.arange(0.0, p.grid.horizon_min, 0.05) + 0.025
    means = np.zeros((REPS, n))
    for r, gate_run in enumerate(run.gate_runs["north"]):
        entry, exit_ = gate_run.entry_min, gate_run.exit_min
        ok = np.isfinite(entry)
        inside = [int(((entry[ok] <= t) & (exit_[ok] > t)).sum()) for t in instants]
        means[r] = np.array(inside).reshape(n, -1).mean(axis=1)
    assert stats.occupancy_mean == pytest.approx(means.mean(axis=0), abs=0.5)
    half = T975_4 * means.std(axis=0, ddof=1) / math.sqrt(REPS)
    assert stats.occupancy_mean_ci == pytest.approx(half, abs=0.5)
    assert max(stats.occupancy_mean_ci) > 0
    peaks = run.occupancy_max_by_rep["stand"]
    assert stats.occupancy_peak_mean == pytest.approx(peaks.mean(axis=0))
    peak_half = T975_4 * peaks.std(axis=0, ddof=1) / math.sqrt(REPS)
    assert stats.occupancy_peak_ci == pytest.approx(peak_half)
    assert stats.density_peak_ci == pytest.approx(peak_half / 800.0)
    # The largest peak is at least the mean peak: the two statistics are different things.
    assert (np.array(stats.occupancy_max) >= np.array(stats.occupancy_peak_mean) - 1e-9).all()


def test_one_replication_has_no_interval() -> None:
    p = event()
    run = simulate_detailed(p, TARGETS, {"north": [3] * p.grid.n_slots}, 1, seed=4)
    stats = run.result.zone("stand")
    assert set(stats.occupancy_mean_ci) == {0.0} and set(stats.occupancy_peak_ci) == {0.0}
