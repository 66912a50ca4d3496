"""Every kind of bad plan is caught and names the exact field."""

from __future__ import annotations

from typing import Any

import pytest

from optimizer.errors import InvalidInput
from optimizer.rpc.convert import plan_from_pb
from optimizer.rpc.planfile import plan_from_dict


def violations_of(plan: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(InvalidInput) as caught:
        plan_from_pb(plan_from_dict(plan))
    return {v.field: v.reason for v in caught.value.violations}


def post(plan: dict[str, Any], post_id: str) -> dict[str, Any]:
    return next(p for p in plan["posts"] if p["id"] == post_id)


BAD_PLANS = [
    ("negative attendance", lambda p: p["crowd"].update(attendance=-5), "crowd.attendance", "-5"),
    (
        "inverted post window",
        lambda p: post(p, "junction").update(active_start_min=200, active_end_min=100),
        "posts[5].active_end_min",
        "100 is not after active_start_min 200",
    ),
    (
        "unknown zone",
        lambda p: post(p, "pitch_line").update(zone_id="moon"),
        "posts[3].zone_id",
        "'moon'",
    ),
    (
        "unknown gate of a screening post",
        lambda p: post(p, "screen_b").update(gate_id="gate_z"),
        "posts[1].gate_id",
        "'gate_z'",
    ),
    (
        "lanes without officers",
        lambda p: p["gates"][0].update(officers_per_lane=0),
        "gates[0].officers_per_lane",
        "at least one officer",
    ),
    ("empty pool", lambda p: p["pool"].update(supply=[]), "pool", "no officer"),
    (
        "slot that does not divide the horizon",
        lambda p: p["time_grid"].update(slot_min=35),
        "time_grid.horizon_min",
        "300 is not a whole number of 35-minute slots",
    ),
    (
        "gate shares that do not sum to 1",
        lambda p: p["gates"][1].update(share=0.5),
        "gates.share",
        "1.1",
    ),
    (
        "wave shares that do not sum to 1",
        lambda p: p["crowd"]["arrival_waves"][0].update(share=0.3),
        "crowd.arrival_waves",
        "0.9",
    ),
    (
        "unknown officer type",
        lambda p: post(p, "command").update(officer_type="pilot"),
        "posts[6].officer_type",
        "'pilot'",
    ),
    (
        "hazard likelihood out of range",
        lambda p: p["risk"].update(hazards=[{"name": "fire", "likelihood": 9, "impact": 2}]),
        "risk.hazards[0].likelihood",
        "9",
    ),
    (
        "duplicate post id",
        lambda p: post(p, "command").update(id="junction"),
        "posts[6].id",
        "duplicate id 'junction'",
    ),
    (
        "zone without a ring",
        lambda p: p["zones"][0].pop("ring"),
        "zones[0].ring",
        "RING_CORE",
    ),
    (
        "negative lanes",
        lambda p: p["gates"][1].update(lanes=-2),
        "gates[1].lanes",
        "-2",
    ),
    (
        "pool smaller than the fixed minimums",
        lambda p: p["pool"]["supply"][2].update(count=1),
        "pool",
        "'traffic' need at least 2",
    ),
    (
        "shift lengths inverted",
        lambda p: p["labour"].update(min_shift_min=300, max_shift_min=200),
        "labour.max_shift_min",
        "200 is below min_shift_min 300",
    ),
    (
        "normal wave without spread",
        lambda p: p["crowd"]["arrival_waves"][0].update(sd_min=0),
        "crowd.arrival_waves[0].sd_min",
        "sd > 0",
    ),
    (
        "gate that no post screens",
        lambda p: post(p, "screen_b").update(kind="POST_KIND_FIXED", min_officers=1),
        "gates[1].id",
        "no screening post staffs gate 'gate_b'",
    ),
]


@pytest.mark.parametrize(
    ("change", "field", "fragment"),
    [case[1:] for case in BAD_PLANS],
    ids=[case[0] for case in BAD_PLANS],
)
def test_bad_plan_names_the_field(mutated: Any, change: Any, field: str, fragment: str) -> None:
    found = violations_of(mutated(change))
    assert field in found, found
    assert fragment in found[field]


def test_all_violations_are_reported_at_once(mutated: Any) -> None:
    def break_three(p: dict[str, Any]) -> None:
        p["crowd"]["attendance"] = -1
        p["gates"][0]["lanes"] = 0
        post(p, "command")["zone_id"] = "nowhere"

    found = violations_of(mutated(break_three))
    assert {"crowd.attendance", "gates[0].lanes", "posts[6].zone_id"} <= set(found)


def test_unknown_field_in_file_is_named(mutated: Any) -> None:
    found = violations_of(mutated(lambda p: p["zones"][0].update(rng="RING_CORE")))
    assert "zones[0]" in found
    assert "rng" in found["zones[0]"]


def test_bad_enum_value_is_named(mutated: Any) -> None:
    found = violations_of(mutated(lambda p: p["zones"][1].update(ring="RING_MIDDLE")))
    assert "RING_MIDDLE" in found["zones[1].ring"]


def test_valid_example_converts(quickstart_dict: dict[str, Any]) -> None:
    plan = plan_from_pb(plan_from_dict(quickstart_dict))
    assert plan.grid.n_slots == 20
    assert plan.posts[5].active_end_min == 300
    assert plan.labour.start_step_min == 15
