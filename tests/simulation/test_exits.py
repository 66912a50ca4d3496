"""Egress through exits: the SimPy queues against a recursion, fluid bounds, zones and checks."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sim_factories import TARGETS, cover, gate, plan, post, uniform_wave, zone

from optimizer.domain.types import EventPlan, Exit, PostKind, ZoneId
from optimizer.errors import InvalidInput
from optimizer.rpc.convert import plan_from_pb, simulation_to_pb
from optimizer.rpc.planfile import plan_from_dict
from optimizer.simulation import simulate_detailed
from optimizer.simulation.exits import pass_exits, simulate_exits
from optimizer.staffing.requirements import derive_requirements
from optimizer.verify import verify


def lindley(departures: np.ndarray, gap: float) -> np.ndarray:
    """One exit, first come first served: through at max(arrival, previous through) + gap."""
    out = np.empty_like(departures)
    last = -np.inf
    for i in np.argsort(departures, kind="stable"):
        last = max(departures[i], last) + gap
        out[i] = last
    return out


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.floats(0, 100, allow_nan=False), min_size=1, max_size=60),
    st.floats(0.5, 200),
)
def test_one_exit_is_the_first_come_first_served_recursion(
    times: list[float], capacity: float
) -> None:
    departures = np.array(times)
    for run in (pass_exits, simulate_exits):
        passage = run(departures, [capacity], 1000.0)
        assert passage.pass_min == pytest.approx(lindley(departures, 1.0 / capacity), abs=1e-9)
        assert set(passage.exit_index.tolist()) == {0}


def test_a_crowd_leaving_at_once_empties_at_the_total_capacity() -> None:
    """1,200 at minute 10 through exits of 100 and 50 a minute: 8 minutes, two thirds through
    the wider one, nobody before their departure."""
    departures = np.full(1200, 10.0)
    passage = simulate_exits(departures, [100.0, 50.0], horizon_min=100.0)
    assert passage.pass_min.max() == pytest.approx(18.0, abs=0.05)
    assert (passage.pass_min > departures).all()
    assert np.bincount(passage.exit_index).tolist() == pytest.approx([800, 400], abs=2)


def test_only_departures_inside_the_horizon_egress() -> None:
    departures = np.array([5.0, 60.0, np.inf])
    passage = pass_exits(departures, [10.0], horizon_min=60.0)
    assert passage.exit_index.tolist() == [0, -1, -1]
    assert passage.pass_min[1:].tolist() == [60.0, np.inf]


def narrow_exit_event(width_m: float) -> EventPlan:
    """2,000 arrive in an hour and leave together in 15 minutes through one exit."""
    base = plan(
        zones=(zone("stand", area_m2=2000.0),),
        gates=(gate(lanes=10),),
        attendance=2000,
        arrival_waves=(uniform_wave(0, 60),),
        egress_waves=(uniform_wave(120, 135),),
        horizon_min=240,
    )
    return dataclasses.replace(base, exits=(Exit("door", ZoneId("stand"), width_m, 66.0),))


def test_a_narrow_exit_keeps_the_crowd_in_and_fails_the_egress_check() -> None:
    """2,000 through 1 m at 66 a minute take 30 minutes: the zone stays occupied after the
    egress wave and the check fails; 6 m (396 a minute, 5.1 minutes) holds."""
    narrow, wide = narrow_exit_event(1.0), narrow_exit_event(6.0)
    lanes = {"north": [10] * narrow.grid.n_slots}
    slow = simulate_detailed(narrow, TARGETS, lanes, 3, seed=2)
    fast = simulate_detailed(wide, TARGETS, lanes, 3, seed=2)
    after = narrow.grid.slot_of(140.0)
    # 2,000 - 66 x 15 = 1,010 still inside at 135, falling by 66 a minute: about 515 on average.
    assert slow.result.zone("stand").occupancy_mean[after] == pytest.approx(515, rel=0.1)
    assert fast.result.zone("stand").occupancy_mean[after] < 50
    (door,) = slow.result.exits
    assert door.wait_max_min > 10 and door.passed_mean == pytest.approx(2000, rel=0.1)
    for event, met in ((narrow, False), (wide, True)):
        required, _ = derive_requirements(event, TARGETS, 2, seed=1)
        checks, _ = verify(event, TARGETS, cover(required, event.grid), required, 3, seed=1)
        egress = {c.name: c for c in checks}["egress stand"]
        assert egress.met is met, egress
        peak = 2000 / (66.0 * (1.0 if not met else 6.0))
        assert egress.value == pytest.approx(peak, rel=0.1)
        assert egress.target == "empties within 8 min through its exits; no exit wait longer"


def test_exit_statistics_reach_the_result_message() -> None:
    event = narrow_exit_event(1.0)
    run = simulate_detailed(event, TARGETS, {"north": [10] * event.grid.n_slots}, 2, seed=2)
    message = simulation_to_pb(run.result, event.grid)
    (door,) = message.exits
    assert door.exit_id == "door" and door.zone_id == "stand"
    assert door.wait_max_min == pytest.approx(run.result.exits[0].wait_max_min)


def test_exits_come_from_the_plan_file_with_the_level_flow(
    mutated: Callable[[Callable[[dict[str, Any]], None]], dict[str, Any]],
) -> None:
    def change(p: dict[str, Any]) -> None:
        p["exits"] = [{"id": "e1", "zone_id": "stand", "width_m": 4}]

    event = plan_from_pb(plan_from_dict(mutated(change)))
    assert event.exits == (Exit("e1", ZoneId("stand"), 4.0, 66.0),)  # medium risk: 66
    assert event.egress_target_min == 8.0


@pytest.mark.parametrize(
    ("change", "path", "says"),
    [
        ({"exits": [{"id": "e1", "zone_id": "moon", "width_m": 4}]}, "exits[0].zone_id", "moon"),
        ({"exits": [{"id": "e1", "zone_id": "stand", "width_m": 0}]}, "exits[0].width_m", "0.0"),
        (
            {"exits": [{"id": "e1", "zone_id": "stand", "width_m": 2, "flow_per_m_min": -3}]},
            "exits[0].flow_per_m_min",
            "-3.0 is outside",
        ),
        ({"egress_target_min": 0}, "egress_target_min", "0.0 is outside (0, 600]"),
    ],
)
def test_bad_exits_name_the_field(
    mutated: Callable[[Callable[[dict[str, Any]], None]], dict[str, Any]],
    change: dict[str, Any],
    path: str,
    says: str,
) -> None:
    with pytest.raises(InvalidInput) as caught:
        plan_from_pb(plan_from_dict(mutated(lambda p: p.update(change))))
    found = {v.field: v.reason for v in caught.value.violations}
    assert path in found and says in found[path], found


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(0, 40), min_size=1, max_size=80),
    st.lists(st.sampled_from([0.5, 1.0, 2.0, 4.0, 3.0]), min_size=1, max_size=4),
)
def test_the_fast_exits_agree_with_the_simpy_model(
    halves: list[int], capacities: list[float]
) -> None:
    """On a half-minute grid, so departures and passages tie, with exits of equal and unequal
    capacities and departures past the horizon."""
    departures = np.array(halves, dtype=float) / 2
    reference = simulate_exits(departures, capacities, horizon_min=18.0)
    fast = pass_exits(departures, capacities, horizon_min=18.0)
    assert fast.exit_index.tolist() == reference.exit_index.tolist()
    assert fast.pass_min == pytest.approx(reference.pass_min, abs=1e-9)


def test_an_exit_post_is_needed_only_while_people_pass_its_exit() -> None:
    event = narrow_exit_event(6.0)
    steward = dataclasses.replace(
        post("door_steward", PostKind.FIXED, min_officers=2), exit_id="door"
    )
    event = dataclasses.replace(event, posts=(steward,))
    (required,), result = derive_requirements(event, TARGETS, 2, seed=1)
    (door,) = result.exits
    passing = [k for k, n in enumerate(door.passed_by_slot) if n > 0]
    assert passing and [k for k, n in enumerate(required.officers) if n] == passing
    assert set(required.officers) == {0, 2}
    assert required.reasons[passing[0]].startswith(
        f"{door.passed_by_slot[passing[0]]:,.0f} leave through door; fixed minimum 2"
    )
    assert required.reasons[0] == "nobody leaves through door"
    # The egress wave (120-135) drives the passages, and the slots add up to everyone out.
    assert min(passing) == event.grid.slot_of(120.0)
    assert sum(door.passed_by_slot) == pytest.approx(door.passed_mean)


def test_a_post_at_an_unknown_exit_is_named(
    mutated: Callable[[Callable[[dict[str, Any]], None]], dict[str, Any]],
) -> None:
    with pytest.raises(InvalidInput) as caught:
        plan_from_pb(plan_from_dict(mutated(lambda p: p["posts"][3].update(exit_id="gate_9"))))
    found = {v.field: v.reason for v in caught.value.violations}
    assert found["posts[3].exit_id"] == "unknown exit 'gate_9'"
