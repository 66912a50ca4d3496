"""Multi-day events: each day's egress empties that day's crowd; nobody stays overnight."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from sim_factories import TARGETS, gate, plan, uniform_wave

from optimizer.domain.types import TimeGrid
from optimizer.rpc.convert import plan_from_pb
from optimizer.rpc.planfile import load_plan_message
from optimizer.simulation import simulate
from optimizer.simulation.arrivals import coupled_departures

EXAMPLES = Path(__file__).resolve().parent.parent.parent / "examples"


def test_each_day_leaves_before_the_next_arrives() -> None:
    two_days = plan(
        gates=(gate(lanes=20),),
        attendance=4000,
        horizon_min=480,
        arrival_waves=(uniform_wave(0, 60, 0.5), uniform_wave(240, 300, 0.5)),
        egress_waves=(uniform_wave(120, 150, 0.5), uniform_wave(360, 390, 0.5)),
    )
    result = simulate(two_days, TARGETS, {}, replications=3, seed=2)
    occupancy = np.asarray(result.zones[0].occupancy_max)
    # Slots 10-15 (150-240 min) lie between day one's egress and day two's arrivals.
    assert occupancy[10:16].max() == 0
    assert occupancy[26:].max() == 0
    assert occupancy[5] > 1500 and occupancy[20] > 1500


def test_departures_follow_arrivals_quantile_for_quantile() -> None:
    grid = TimeGrid(15, 120)
    arrivals = np.array([1.0, 1.0, 0, 0, 0, 0, 0, 0])
    egress = np.array([0, 0, 0, 0, 0, 0, 1.0, 1.0])
    arrival_min = np.array([0.0, 7.5, 15.0, 29.9])
    leave = coupled_departures(arrival_min, arrivals, egress, 2.0, grid)
    assert np.allclose(leave, [90.0, 97.5, 105.0, 119.9])
    # Half the crowd leaves inside the horizon: the later half stays to the end.
    half = coupled_departures(arrival_min, arrivals, egress / 2, 2.0, grid)
    assert np.allclose(half, [90.0, 105.0, 120.0, 120.0])


def test_music_festival_example_is_valid_over_three_days() -> None:
    event = plan_from_pb(load_plan_message(EXAMPLES / "music_festival.yaml"))
    assert event.grid.n_slots == 288 and event.crowd.attendance == 60_000
    # Egress runs past midnight (minute 720 is 00:00 after the first day).
    assert max(w.end_min for w in event.crowd.egress_waves[:2]) > 720
