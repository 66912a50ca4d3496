from __future__ import annotations

import numpy as np
import pytest
from sim_factories import TARGETS, gate, plan, uniform_wave

from optimizer.domain.types import Wave, WaveShape
from optimizer.simulation import simulate, simulate_detailed
from optimizer.simulation.model import screen
from optimizer.simulation.service import draw_service_min, service_mean_s
from optimizer.staffing.erlang import erlang_c, mean_wait


def test_mmc_mean_wait_matches_erlang_c() -> None:
    """Stationary Poisson arrivals, exponential screening (cv 1), 8 lanes at load 6 Erlangs.

    Attendees arriving in the first 30 minutes (warm-up from empty) are left out. Over 30
    replications the mean wait and the share that waits at all scatter by about 1.5% and 1% (seen
    over seeds 0-5), so 10% and 5% are safe tolerances that still catch a wrong model.
    """
    rate_per_min, service_min, lanes = 20.0, 0.3, 8
    horizon = 240
    p = plan(
        gates=(gate(lanes=lanes, service_mean_s=service_min * 60, service_cv=1.0),),
        attendance=int(rate_per_min * horizon),
        horizon_min=horizon,
    )
    run = simulate_detailed(p, TARGETS, {}, replications=30, seed=11)
    waits = np.concatenate([r.wait_min[r.arrival_min >= 30] for r in run.gate_runs[p.gates[0].id]])
    expected = mean_wait(lanes, rate_per_min, service_min)
    assert waits.mean() == pytest.approx(expected, rel=0.10)
    waited = (waits > 0).mean()
    assert waited == pytest.approx(erlang_c(lanes, rate_per_min * service_min), rel=0.05)
    utilisation = np.mean(run.result.gates[0].utilisation[2:])
    assert utilisation == pytest.approx(rate_per_min * service_min / lanes, rel=0.03)


def test_same_seed_same_result_and_other_seed_other_result() -> None:
    p = plan(gates=(gate(lanes=3),), attendance=2000)
    lanes = {"north": [3, 2, 1, 2] * 4}
    first = simulate(p, TARGETS, lanes, replications=3, seed=5)
    assert simulate(p, TARGETS, lanes, replications=3, seed=5) == first
    assert simulate(p, TARGETS, lanes, replications=3, seed=6) != first


def test_replications_do_not_depend_on_their_count() -> None:
    """Replication r draws from child r of the seed, so fewer replications give a prefix."""
    p = plan(gates=(gate(lanes=3),), attendance=2000)
    few = simulate_detailed(p, TARGETS, {}, replications=2, seed=5)
    many = simulate_detailed(p, TARGETS, {}, replications=4, seed=5)
    for a, b in zip(few.gate_runs["north"], many.gate_runs["north"][:2], strict=True):
        np.testing.assert_array_equal(a.wait_min, b.wait_min)


def test_worker_processes_give_the_same_result() -> None:
    p = plan(gates=(gate("a", share=0.5), gate("b", share=0.5, lanes=4)), attendance=3000)
    alone = simulate(p, TARGETS, {}, replications=3, seed=9)
    assert simulate(p, TARGETS, {}, replications=3, seed=9, workers=2) == alone


def test_everyone_is_screened_and_stays_when_lanes_suffice() -> None:
    """No egress waves: every arrival is screened, and all screened by the end are inside."""
    p = plan(gates=(gate("a", share=0.7), gate("b", share=0.3)), attendance=3000)
    run = simulate_detailed(p, TARGETS, {}, replications=4, seed=2)
    gate_runs = list(run.gate_runs.values())
    arrived = [sum(runs[rep].arrival_min.size for runs in gate_runs) for rep in range(4)]
    inside = [sum(int((runs[rep].entry_min < 240).sum()) for runs in gate_runs) for rep in range(4)]
    for runs in run.gate_runs.values():
        for r in runs:
            assert np.isfinite(r.wait_min).all()
    assert run.result.zones[0].occupancy_max[-1] == max(inside)
    assert run.result.attendees_simulated == sum(arrived)
    total_mean = sum(sum(g.arrivals_mean) for g in run.result.gates)
    assert total_mean == pytest.approx(3000, rel=0.05)


def test_egress_empties_the_zone() -> None:
    p = plan(
        attendance=2000,
        arrival_waves=(uniform_wave(0, 120),),
        egress_waves=(Wave("out", WaveShape.UNIFORM, 1.0, 180, 210),),
    )
    zone = simulate(p, TARGETS, {}, replications=2, seed=1).zones[0]
    assert zone.occupancy_mean[7] == pytest.approx(2000, rel=0.1)  # 105-120: nearly all in
    assert zone.occupancy_max[-1] == 0  # everyone left by 210
    assert zone.density_max[7] == pytest.approx(zone.occupancy_max[7] / 2000.0)


def test_closed_lanes_screen_nobody_and_queue_carries_over() -> None:
    """No lane in slot 1: nobody starts there; arrivals then start at the slot-2 boundary."""
    rng = np.random.default_rng(4)
    arrival = np.sort(rng.uniform(0, 45, 300))
    service = rng.gamma(4.0, 0.025, 300)
    start = screen(arrival, service, [2, 0, 2], lanes_max=2, slot_min=15)
    assert not ((start >= 15) & (start < 30)).any()
    waiting = (arrival >= 15) & (arrival < 30)
    assert start[waiting].min() == pytest.approx(30.0)


def test_lanes_close_without_preemption() -> None:
    """At every screening start, attendees in screening never exceed the slot's open lanes."""
    rng = np.random.default_rng(8)
    lanes = [5, 2, 4, 1, 3, 5]
    arrival = np.sort(rng.uniform(0, 90, 3000))
    service = rng.gamma(2.0, 0.1, 3000)
    start = screen(arrival, service, lanes, lanes_max=5, slot_min=15)
    end = start + service
    assert np.isfinite(start).all()
    for t in start:
        busy = int(((start <= t) & (end > t)).sum())
        assert busy <= lanes[min(int(t // 15), len(lanes) - 1)]


def test_attendees_never_screened_wait_forever() -> None:
    p = plan(attendance=500, arrival_waves=(uniform_wave(0, 60),), horizon_min=60)
    result = simulate(p, TARGETS, {"north": [2, 2, 0, 0]}, replications=2, seed=3)
    gate_stats = result.gates[0]
    assert gate_stats.wait_quantile_min[2] == float("inf")
    assert gate_stats.wait_quantile_min[0] < 5.0
    assert gate_stats.replications_met == 0.0


def test_service_times_have_the_gate_mean_and_cv() -> None:
    g = gate(service_cv=0.0)  # 0 means the default cv of 0.5
    times = draw_service_min(g, 200_000, np.random.default_rng(0))
    assert times.mean() == pytest.approx(service_mean_s(g) / 60, rel=0.01)
    assert times.std() / times.mean() == pytest.approx(0.5, rel=0.02)


def test_lane_counts_are_checked() -> None:
    p = plan()
    with pytest.raises(ValueError, match="slots"):
        simulate(p, TARGETS, {"north": [1, 2]}, replications=1, seed=0)
    with pytest.raises(ValueError, match="outside"):
        simulate(p, TARGETS, {"north": [11] * 16}, replications=1, seed=0)
