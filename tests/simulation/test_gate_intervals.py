"""Confidence intervals of the gate statistics: recomputed by hand, and covering the true mean."""

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


def _half(by_rep: np.ndarray) -> np.ndarray:
    return T975_4 * by_rep.std(axis=0, ddof=1) / math.sqrt(REPS)


def test_gate_intervals_are_student_t_over_each_replications_own_figures() -> None:
    p = event()
    lanes = [3] * p.grid.n_slots
    run = simulate_detailed(p, TARGETS, {"north": lanes}, REPS, seed=4)
    stats = run.result.gates[0]
    n = p.grid.n_slots
    arrivals = np.zeros((REPS, n))
    mean_wait = np.zeros((REPS, n))
    for r, g in enumerate(run.gate_runs["north"]):
        for k in range(n):
            in_slot = g.wait_min[g.arrival_slot == k]
            arrivals[r, k] = in_slot.size
            mean_wait[r, k] = in_slot.mean() if in_slot.size else 0.0
    queues = np.array([g.queue_max for g in run.gate_runs["north"]])
    busy = np.array([g.busy_lane_min for g in run.gate_runs["north"]]) / (3 * p.grid.slot_min)
    assert stats.arrivals_ci == pytest.approx(_half(arrivals))
    assert stats.wait_mean_ci_min == pytest.approx(_half(mean_wait))
    assert stats.queue_max_ci == pytest.approx(_half(queues))
    assert stats.utilisation_ci == pytest.approx(_half(busy))
    assert max(stats.arrivals_ci) > 0 and max(stats.wait_mean_ci_min) > 0


def test_arrival_intervals_cover_the_forecast_mean_about_95_percent_of_the_time() -> None:
    # 1,500 arrivals spread uniformly over the first hour: 375 per 15-minute slot on average.
    p = event()
    lanes = [3] * p.grid.n_slots
    covered = judged = 0
    for seed in range(20):
        stats = simulate_detailed(p, TARGETS, {"north": lanes}, REPS, seed=seed).result.gates[0]
        for k in range(4):
            judged += 1
            covered += abs(stats.arrivals_mean[k] - 375.0) <= stats.arrivals_ci[k]
    # 80 intervals at 95 %: fewer than 68 covering has a binomial probability below 0.1 %.
    assert covered >= 68, f"{covered} of {judged} intervals cover the mean"
