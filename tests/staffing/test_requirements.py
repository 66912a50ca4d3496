from __future__ import annotations

import math

import numpy as np
import pytest
from sim_factories import TARGETS, gate, plan, post, uniform_wave, zone

from optimizer.domain.types import EventPlan, PostKind, Wave, WaveShape
from optimizer.simulation import simulate, simulate_detailed
from optimizer.simulation.arrivals import arrival_curve
from optimizer.simulation.service import service_mean_s
from optimizer.staffing.erlang import min_servers_for_wait_quantile
from optimizer.staffing.requirements import derive_requirements

REPS = 4


def busy_gate_plan(**kwargs: object) -> EventPlan:
    """One gate, 4,000 attendees in a normal wave peaking at 150 min (about 8 lanes at peak)."""
    options: dict[str, object] = {
        "gates": (gate(lanes=12),),
        "posts": (post("screen", PostKind.SCREENING, gate_id="north"),),
        "attendance": 4000,
        "arrival_waves": (Wave("w", WaveShape.NORMAL, 1.0, 60, 210, peak_min=150, sd_min=20.0),),
    }
    options.update(kwargs)
    return plan(**options)  # type: ignore[arg-type]


def test_screening_holds_the_wait_target_in_every_slot() -> None:
    p = busy_gate_plan()
    (req,), result = derive_requirements(p, TARGETS, REPS, seed=1)
    stats = result.gates[0]
    assert max(stats.wait_quantile_min) <= TARGETS.wait_target_min
    assert req.officers == tuple(n * 2 for n in stats.lanes_open)
    assert max(stats.lanes_open) >= 6
    assert "officers hold P90 wait" in req.reasons[10] and "<= 5 min (95% CI" in req.reasons[10]
    assert req.reasons[10].startswith("gate north, +2:30-+2:45: ")
    assert len(stats.wait_quantile_ci_min) == p.grid.n_slots
    assert all(h >= 0 for h in stats.wait_quantile_ci_min)


def test_returned_simulation_is_the_one_with_the_final_lanes() -> None:
    p = busy_gate_plan()
    _, result = derive_requirements(p, TARGETS, REPS, seed=1)
    lanes = {"north": result.gates[0].lanes_open}
    assert simulate(p, TARGETS, lanes, REPS, seed=1) == result


def test_lanes_stay_inside_the_post_window() -> None:
    """The post works 120-180 only: no lanes, no officers and "inactive" outside it."""
    p = busy_gate_plan(posts=(post("screen", PostKind.SCREENING, gate_id="north", start_min=120,
                                   end_min=180),))  # fmt: skip
    (req,), result = derive_requirements(p, TARGETS, REPS, seed=1)
    lanes = result.gates[0].lanes_open
    assert all(n == 0 for k, n in enumerate(lanes) if not 8 <= k < 12)
    assert req.reasons[4] == "inactive" and req.officers[4] == 0
    assert sum(lanes[8:12]) > 0


def test_too_few_lanes_are_capped_and_say_so() -> None:
    p = busy_gate_plan(gates=(gate(lanes=3),))
    (req,), result = derive_requirements(p, TARGETS, REPS, seed=1)
    peak = int(np.argmax(result.gates[0].arrivals_mean))
    assert result.gates[0].lanes_open[peak] == 3
    assert req.reasons[peak].startswith("capped at 3 lanes: target missed (P90 wait")


def test_posts_sharing_a_gate_split_its_lanes() -> None:
    p = busy_gate_plan(
        posts=(
            post("a", PostKind.SCREENING, gate_id="north"),
            post("b", PostKind.SCREENING, gate_id="north"),
        )
    )
    (a, b), result = derive_requirements(p, TARGETS, REPS, seed=1)
    for slot, lanes in enumerate(result.gates[0].lanes_open):
        assert a.officers[slot] + b.officers[slot] == 2 * lanes
        assert 0 <= a.officers[slot] - b.officers[slot] <= 2  # the first post takes the odd lane
    assert " of " in a.reasons[10] and "lanes at north" in a.reasons[10]


def test_a_queue_carried_into_an_empty_slot_gets_lanes() -> None:
    """Arrivals only in slot 4 at 4.5 Erlangs: Erlang gives slot 5 no lane (no arrivals), but
    the queue left at the end of slot 4 must still be screened there."""
    p = busy_gate_plan(
        arrival_waves=(uniform_wave(60, 75),),
        attendance=675,
    )
    (req,), result = derive_requirements(p, TARGETS, REPS, seed=2)
    stats = result.gates[0]
    assert stats.arrivals_mean[5] == 0
    assert stats.lanes_open[5] > 0
    assert stats.replications_met == 1.0
    assert "never screened" not in " ".join(req.reasons)


def test_steep_fall_needs_more_lanes_than_the_stationary_estimate() -> None:
    """A peak above the gate's 6 lanes (7.5 Erlangs) drops to 2 Erlangs in the next slot.

    Erlang C per slot (SIPP) gives the second slot 3 lanes for its own arrivals, but they queue
    behind the peak's backlog; the simulation adds lanes there until the target holds.
    """
    p = busy_gate_plan(
        gates=(gate(lanes=6),),
        arrival_waves=(Wave("peak", WaveShape.PER_SLOT, 1.0, 60, 90, slot_weights=(7.5, 2.0)),),
        attendance=1425,
    )
    (req,), result = derive_requirements(p, TARGETS, REPS, seed=3)
    g = p.gates[0]
    rate = arrival_curve(p.crowd, p.grid)[5] / p.grid.slot_min
    sipp = min_servers_for_wait_quantile(rate, service_mean_s(g) / 60, 5.0, 0.9)
    stats = result.gates[0]
    assert sipp == 3
    assert stats.lanes_open[4] == 6
    assert stats.lanes_open[5] > sipp
    assert stats.wait_quantile_min[5] <= TARGETS.wait_target_min


def test_gate_without_screening_post_has_all_lanes_open() -> None:
    p = busy_gate_plan(posts=())
    requirements, result = derive_requirements(p, TARGETS, REPS, seed=1)
    assert requirements == ()
    assert result.gates[0].lanes_open == (12,) * p.grid.n_slots


def test_patrol_follows_peak_occupancy_with_reserve_and_minimum() -> None:
    p = plan(
        zones=(zone("stand"),),
        posts=(
            post("p1", PostKind.PATROL, min_officers=3),
            post("p2", PostKind.PATROL, attendees_per_officer=50.0, start_min=60),
        ),
        attendance=3000,
        arrival_waves=(uniform_wave(60, 180),),
    )
    (p1, p2), result = derive_requirements(p, TARGETS, REPS, seed=1)
    occupancy = result.zones[0].occupancy_max
    for slot in range(p.grid.n_slots):
        sharing = 2 if slot >= 4 else 1
        need1 = math.ceil(occupancy[slot] / sharing / 100 * 1.2 - 1e-9)
        assert p1.officers[slot] == max(3, need1)
        if slot >= 4:
            assert p2.officers[slot] == math.ceil(occupancy[slot] / 2 / 50 * 1.2 - 1e-9)
    assert p2.officers[:4] == (0, 0, 0, 0) and p2.reasons[0] == "inactive"
    assert p1.reasons[0] == (
        "fixed minimum 3 (ratio 1:100 on 0 present in stand (+20% reserve) gives 0)"
    )
    assert p1.reasons[-1].startswith("ratio 1:100 on 1,")
    assert p1.reasons[-1].endswith("present in stand (+20% reserve)")


def test_minimum_posts() -> None:
    p = plan(
        posts=(
            post("rr", PostKind.RAPID_RESPONSE, min_officers=5),
            post("fixed", PostKind.FIXED, min_officers=2, start_min=20, end_min=50),
            post("cmd", PostKind.COMMAND, min_officers=1),
            post("traffic", PostKind.TRAFFIC, min_officers=4, end_min=15),
        ),
        attendance=100,
    )
    (rr, fixed, cmd, traffic), _ = derive_requirements(p, TARGETS, 1, seed=0)
    assert rr.officers == (6,) * 16 and rr.reasons[0] == "minimum 5 +20% reserve"
    # [20, 50) overlaps slots 1, 2 and 3.
    assert fixed.officers[:5] == (0, 2, 2, 2, 0) and fixed.reasons[1] == "fixed minimum 2"
    assert cmd.officers == (1,) * 16
    assert traffic.officers[:2] == (4, 0)


def test_same_seed_same_requirements() -> None:
    p = busy_gate_plan()
    assert derive_requirements(p, TARGETS, 2, seed=4) == derive_requirements(p, TARGETS, 2, seed=4)


@pytest.mark.parametrize("gates", [1, 3])
def test_requirement_per_post_and_slot(gates: int) -> None:
    gs = tuple(gate(f"g{i}", share=1.0) for i in range(gates))
    posts = tuple(post(f"s{i}", PostKind.SCREENING, gate_id=f"g{i}") for i in range(gates))
    p = plan(gates=gs, posts=posts, attendance=1000)
    requirements, result = derive_requirements(p, TARGETS, 2, seed=0)
    assert [r.post_id for r in requirements] == [f"s{i}" for i in range(gates)]
    assert all(len(r.officers) == len(r.reasons) == p.grid.n_slots for r in requirements)
    assert simulate_detailed(p, TARGETS, {}, 2, 0).result.attendees_simulated == (
        result.attendees_simulated
    )


def test_arrivals_as_the_post_ends_do_not_drive_lanes_to_the_cap() -> None:
    """Arrivals run up to the end of the post's window; those in its last minutes may be left
    queueing (P90 allows it), which the reason reports instead of adding every lane."""
    p = busy_gate_plan(
        posts=(post("screen", PostKind.SCREENING, gate_id="north", start_min=60, end_min=120),),
        arrival_waves=(uniform_wave(60, 120),),
        attendance=3000,
    )
    (req,), result = derive_requirements(p, TARGETS, REPS, seed=1)
    stats = result.gates[0]
    assert stats.lanes_open[7] < 12
    assert max(stats.wait_quantile_min) <= TARGETS.wait_target_min
    assert "arriving as the post ends never screened" in req.reasons[7]
