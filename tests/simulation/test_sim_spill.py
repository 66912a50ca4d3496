"""Spill-over: arrivals who find a long queue go on to the next gate."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from sim_factories import TARGETS, gate, plan, post, uniform_wave

from optimizer.domain.types import EventPlan, GateId, PostKind
from optimizer.domain.validate import validate_plan
from optimizer.simulation import Simulator, simulate_detailed
from optimizer.simulation.model import screen


def test_an_arrival_finding_the_threshold_queueing_spills() -> None:
    """One lane, 1-minute service, four arrive at once: one screened, two wait, the fourth goes."""
    arrival = np.array([0.0, 0.0, 0.0, 0.0, 5.0])
    start = screen(arrival, np.ones(5), [1], lanes_max=1, slot_min=15, spill_queue=2)
    assert start[:3].tolist() == [0.0, 1.0, 2.0]
    assert np.isnan(start[3])
    assert start[4] == 5.0  # the queue has cleared by then


def two_gates(spill_queue: int = 15) -> EventPlan:
    narrow = dataclasses.replace(
        gate("a", lanes=2, share=0.7),
        spill_queue=spill_queue,
        spill_to=GateId("b") if spill_queue else None,
        spill_walk_min=3.0,
    )
    return plan(
        gates=(narrow, gate("b", lanes=6, share=0.3)),
        posts=(
            post("sa", PostKind.SCREENING, gate_id="a"),
            post("sb", PostKind.SCREENING, gate_id="b"),
        ),
        attendance=2000,
        arrival_waves=(uniform_wave(0, 60),),
    )


def test_spilled_attendees_queue_at_the_next_gate_and_nobody_is_lost() -> None:
    spilling = simulate_detailed(two_gates(), TARGETS, {}, 3, seed=1)
    staying = simulate_detailed(two_gates(0), TARGETS, {}, 3, seed=1)
    assert spilling.result.attendees_simulated == staying.result.attendees_simulated
    a, b = spilling.result.gates
    assert max(a.queue_max) <= 15
    moved = sum(a.spilled_mean)
    assert moved > 50
    assert sum(b.arrivals_mean) == pytest.approx(sum(staying.result.gates[1].arrivals_mean) + moved)
    # They reach gate b after the walk, with the times drawn at gate a (same mean and cv here).
    run_a, run_b = spilling.gate_runs["a"][0], spilling.gate_runs["b"][0]
    for t, s in zip(run_a.spill_arrival_min, run_a.spill_service_min, strict=True):
        found = np.flatnonzero(run_b.arrival_min == t)
        assert found.size == 1 and run_b.entry_min[found[0]] == pytest.approx(
            run_b.arrival_min[found[0]] + run_b.wait_min[found[0]] + s
        )
    assert max(a.wait_quantile_min) < max(staying.result.gates[0].wait_quantile_min)
    assert staying.result.gates[0].spilled_mean == ()


def test_changing_the_first_gate_reruns_the_gate_it_spills_into() -> None:
    p = two_gates()
    n = p.grid.n_slots
    with Simulator(p, 2, seed=3) as simulator:
        first = simulator.gate_runs({"a": [1] * n, "b": [6] * n})
        second = simulator.gate_runs({"a": [2] * n, "b": [6] * n})
        again = simulator.gate_runs({"a": [1] * n, "b": [6] * n})
    assert first["b"][0].arrival_min.size > second["b"][0].arrival_min.size
    assert again["b"] is first["b"]  # cached under both gates' lanes
    fresh = simulate_detailed(p, TARGETS, {"a": [2] * n, "b": [6] * n}, 2, seed=3)
    assert np.array_equal(fresh.gate_runs["b"][1].wait_min, second["b"][1].wait_min)


def test_spill_over_must_go_to_a_later_gate() -> None:
    p = two_gates()
    a, b = p.gates
    backwards = dataclasses.replace(
        p, gates=(a, dataclasses.replace(b, spill_queue=5, spill_to=GateId("a")))
    )
    found = {v.field: v.reason for v in validate_plan(backwards)}
    assert found["gates[1].spill_to_gate_id"] == "'a': spill-over needs a gate listed after 'b'"
    assert not [v for v in validate_plan(p) if v.field.startswith("gates")]
