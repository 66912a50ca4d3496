"""Targets set by a zone, gate or post: inheritance, use in requirements and verification."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sim_factories import TARGETS, cover, gate, plan, post, uniform_wave, zone

from optimizer.domain.types import (
    EventPlan,
    PostKind,
    RiskTargets,
    TargetOverrides,
    ZoneId,
    ZoneSlotStats,
)
from optimizer.errors import InvalidInput
from optimizer.risk import apply_overrides, gate_targets, post_targets, set_by, zone_targets
from optimizer.rpc.convert import plan_from_pb
from optimizer.rpc.planfile import plan_from_dict
from optimizer.staffing.posts import patrol_requirement, response_requirement
from optimizer.staffing.requirements import derive_requirements
from optimizer.staffing.response import modified_offered_load, point_loads
from optimizer.verify import verify

FULL = RiskTargets(
    wait_target_min=5.0,
    wait_quantile=0.9,
    attendees_per_officer=100.0,
    density_warning=1.7,
    density_critical=3.0,
    reserve_share=0.2,
    incidents_per_10k_hours=5.0,
    incident_service_min=25.0,
    response_busy_max=0.05,
    response_core_min=1.0,
    response_inner_min=3.0,
    response_outer_min=5.0,
    min_response_points=1,
    response_unit_officers=2,
    patrol_density_factor=2.0,
)

_NUMBERS = st.one_of(st.none(), st.floats(0, 100, allow_nan=False))


@given(st.fixed_dictionaries({f.name: _NUMBERS for f in dataclasses.fields(TargetOverrides)}))
def test_a_set_field_replaces_and_an_unset_one_inherits(values: dict[str, Any]) -> None:
    overrides = TargetOverrides(**values)
    merged = apply_overrides(FULL, overrides)
    for name, value in values.items():
        assert getattr(merged, name) == (getattr(FULL, name) if value is None else value)


def layered() -> EventPlan:
    """Zone ``vip`` tightens the wait and the ratio; its gate and a post tighten further."""
    vip = dataclasses.replace(
        zone("vip", area_m2=500.0),
        targets=TargetOverrides(wait_target_min=3.0, attendees_per_officer=40.0, reserve_share=0),
    )
    gates = (
        gate("north", share=0.5),
        dataclasses.replace(
            gate("vip_gate", zone_id="vip", share=0.5),
            targets=TargetOverrides(wait_quantile=0.95),
        ),
    )
    posts = (
        post("screen_n", PostKind.SCREENING, gate_id="north"),
        post("screen_v", PostKind.SCREENING, gate_id="vip_gate", zone_id="stand"),
        post("patrol_v", PostKind.PATROL, zone_id="vip"),
        dataclasses.replace(
            post("patrol_s", PostKind.PATROL),
            targets=TargetOverrides(attendees_per_officer=60.0, density_warning=0.5),
        ),
    )
    return plan(zones=(zone(), vip), gates=gates, posts=posts, attendance=1600)


def test_targets_pass_from_plan_to_zone_to_gate_and_post() -> None:
    event = layered()
    stand, vip = (zone_targets(event, FULL, z) for z in ("stand", "vip"))
    assert stand == FULL
    assert (vip.wait_target_min, vip.attendees_per_officer, vip.reserve_share) == (3.0, 40.0, 0.0)
    vip_gate = gate_targets(event, FULL, event.gate("vip_gate"))
    assert (vip_gate.wait_target_min, vip_gate.wait_quantile) == (3.0, 0.95)
    assert gate_targets(event, FULL, event.gate("north")) == FULL
    # A screening post takes its gate's targets, whatever zone it stands in.
    screen_v = post_targets(event, FULL, event.posts[1])
    assert (screen_v.wait_target_min, screen_v.wait_quantile) == (3.0, 0.95)
    patrol_s = post_targets(event, FULL, event.posts[3])
    assert (patrol_s.attendees_per_officer, patrol_s.density_warning) == (60.0, 0.5)
    assert patrol_s.reserve_share == FULL.reserve_share
    assert set_by(event, "wait_quantile", gate=event.gate("vip_gate")) == " (gate vip_gate)"
    assert set_by(event, "wait_target_min", post=event.posts[1]) == " (zone vip)"
    assert set_by(event, "wait_target_min", gate=event.gate("north")) == ""
    assert set_by(event, "density_warning", post=event.posts[3]) == " (post patrol_s)"


def _zone_stats(zone_id: str, present: float, area: float, n_slots: int) -> ZoneSlotStats:
    peak = (present,) * n_slots
    return ZoneSlotStats(ZoneId(zone_id), peak, peak, tuple(p / area for p in peak))


@given(st.floats(1, 5000))
def test_a_zone_ratio_and_a_zero_reserve_size_its_patrols(present: float) -> None:
    """Zone vip: 1 per 40 and no reserve (0 is a value, not "inherit"); below warning density."""
    event = layered()
    stats = _zone_stats("vip", present, 1e9, event.grid.n_slots)
    req = patrol_requirement(event, event.posts[2], stats, FULL)
    assert set(req.officers) == {math.ceil(present / 40.0 - 1e-9)}
    assert "reserve_share of zone vip" in req.reasons[0]


def test_a_post_density_threshold_tightens_only_its_own_ratio() -> None:
    """patrol_s warns from 0.5 persons/m2: at 1.0 it scales by 1 + (2 - 1) * 0.5 / 2.5 = 1.2."""
    event = layered()
    stats = _zone_stats("stand", 2000.0, 2000.0, event.grid.n_slots)
    req = patrol_requirement(event, event.posts[3], stats, FULL)
    expected = math.ceil(2000.0 * 1.2 / 60.0 * 1.2 - 1e-9)
    assert set(req.officers) == {expected}
    assert "density_warning of post patrol_s" in req.reasons[0]


def test_gate_wait_targets_drive_the_lanes_and_verification_checks_them() -> None:
    """A 1-minute P95 target at one of two equal gates needs more lanes there; verification
    judges each gate by its own target and says who set it."""
    tight = TargetOverrides(wait_target_min=1.0, wait_quantile=0.95)
    event = plan(
        gates=(
            gate("north", share=0.5, lanes=12),
            dataclasses.replace(gate("south", share=0.5, lanes=12), targets=tight),
        ),
        posts=(
            post("screen_n", PostKind.SCREENING, gate_id="north"),
            post("screen_s", PostKind.SCREENING, gate_id="south"),
        ),
        attendance=3000,
        arrival_waves=(uniform_wave(0, 90),),
    )
    requirements, result = derive_requirements(event, TARGETS, 4, seed=3)
    north, south = (sum(r.officers) for r in requirements)
    assert south > north
    assert "<= 1 min (set by gate south)" in requirements[1].reasons[1]
    assert max(result.gate("south").wait_quantile_min) <= 1.0
    checks, _ = verify(event, TARGETS, cover(requirements, event.grid), requirements, 4, seed=3)
    by_name = {c.name: c for c in checks}
    assert by_name["screening wait south"].target == "P95 wait <= 1.0 min (set by gate south)"
    assert by_name["screening wait north"].target == "P90 wait <= 5.0 min"
    # The check's value is the quantile the gate's own target names.
    assert by_name["screening wait south"].met


def test_verification_holds_each_zone_to_its_own_density() -> None:
    """Same crowd, two zones of one area: only the zone whose critical density is lowered fails."""
    low = TargetOverrides(density_warning=0.1, density_critical=0.2)
    event = plan(
        zones=(zone("a", area_m2=1000.0), dataclasses.replace(zone("b", 1000.0), targets=low)),
        gates=(gate("ga", zone_id="a", share=0.5), gate("gb", zone_id="b", share=0.5)),
        attendance=2000,
        arrival_waves=(uniform_wave(0, 60),),
    )
    requirements, _ = derive_requirements(event, TARGETS, 2, seed=1)
    checks, result = verify(event, TARGETS, (), requirements, 2, seed=1)
    by_name = {c.name: c for c in checks}
    assert max(result.zone("b").density_max) > 0.2
    assert by_name["density a"].met and by_name["density a"].target == "< 3 persons/m2"
    assert not by_name["density b"].met
    assert by_name["density b"].target == "< 0.2 persons/m2 (set by zone b)"


def test_zone_incident_rates_add_as_infinite_server_loads() -> None:
    """Two covered zones with their own rates: one service time gives the MOL of the summed
    rate; a second service time adds its own MOL curve."""
    hot = TargetOverrides(incidents_per_10k_hours=20.0)
    event = plan(
        zones=(zone("a"), dataclasses.replace(zone("b"), targets=hot)),
        posts=(post("rr", PostKind.RAPID_RESPONSE, zone_id="a", min_officers=2),),
    )
    n = event.grid.n_slots
    stats = {
        ZoneId("a"): _zone_stats("a", 3000.0, 2000.0, n),
        ZoneId("b"): _zone_stats("b", 1000.0, 2000.0, n),
    }
    load = point_loads(event, FULL, stats)[event.posts[0].id]
    rate = (3000.0 * 5.0 + 1000.0 * 20.0) / 10_000 / 60
    expected = modified_offered_load([rate] * n, 25.0, 15)
    assert load.offered_load == pytest.approx(tuple(expected))
    slow = dataclasses.replace(
        event,
        zones=(
            zone("a"),
            dataclasses.replace(
                zone("b"), targets=dataclasses.replace(hot, incident_service_min=60.0)
            ),
        ),
    )
    load = point_loads(slow, FULL, stats)[event.posts[0].id]
    expected = modified_offered_load([3000.0 * 5.0 / 6e5] * n, 25.0, 15) + modified_offered_load(
        [1000.0 * 20.0 / 6e5] * n, 60.0, 15
    )
    assert load.offered_load == pytest.approx(tuple(expected))


def test_a_post_can_switch_its_units_off_and_keep_its_minimum() -> None:
    """response_busy_max 0 on the post leaves the loss model off: the minimum plus reserve."""
    event = plan(
        posts=(
            dataclasses.replace(
                post("rr", PostKind.RAPID_RESPONSE, min_officers=2),
                targets=TargetOverrides(response_busy_max=0.0, reserve_share=0.5),
            ),
        )
    )
    n = event.grid.n_slots
    loads = point_loads(event, FULL, {ZoneId("stand"): _zone_stats("stand", 5e4, 2000.0, n)})
    req = response_requirement(event, event.posts[0], loads[event.posts[0].id], FULL)
    assert set(req.officers) == {3}


# ---- plan files -----------------------------------------------------------------------------


def _violations(plan_dict: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(InvalidInput) as caught:
        plan_from_pb(plan_from_dict(plan_dict))
    return {v.field: v.reason for v in caught.value.violations}


def test_a_plan_file_marks_zero_as_set(
    mutated: Callable[[Callable[[dict[str, Any]], None]], dict[str, Any]],
) -> None:
    def change(p: dict[str, Any]) -> None:
        p["zones"][0]["targets"] = {"reserve_share": 0, "density_warning": 1.5}
        p["gates"][1]["targets"] = {"wait_target_min": 4}
        p["posts"][2]["targets"] = {"attendees_per_officer": 80}

    event = plan_from_pb(plan_from_dict(mutated(change)))
    assert event.zones[0].targets == TargetOverrides(reserve_share=0.0, density_warning=1.5)
    assert event.zones[1].targets == TargetOverrides()
    assert event.gates[1].targets == TargetOverrides(wait_target_min=4.0)
    assert event.posts[2].targets.attendees_per_officer == 80.0


@pytest.mark.parametrize(
    ("where", "targets", "path", "says"),
    [
        ("zones", {"min_response_points": 3}, "zones[0].targets.min_response_points", "plan-wide"),
        ("posts", {"wait_target_min": 2}, "posts[2].targets.wait_target_min", "zones or gates"),
        ("gates", {"reserve_share": 0.1}, "gates[0].targets.reserve_share", "zones or posts"),
        ("gates", {"wait_quantile": 0}, "gates[0].targets.wait_quantile", "0.0 is outside (0, 1)"),
        ("zones", {"reserve_share": -0.5}, "zones[0].targets.reserve_share", "-0.5 is outside"),
        ("posts", {"response_busy_max": 1}, "posts[2].targets.response_busy_max", "[0, 1)"),
        ("zones", {"density_warning": 4}, "zones[0].targets.density_warning", "not below"),
        ("posts", {"density_critical": 1}, "posts[2].targets.density_critical", "critical 1"),
    ],
)
def test_bad_overrides_name_the_field_and_value(
    mutated: Callable[[Callable[[dict[str, Any]], None]], dict[str, Any]],
    where: str,
    targets: dict[str, Any],
    path: str,
    says: str,
) -> None:
    index = 2 if where == "posts" else 0
    found = _violations(mutated(lambda p: p[where][index].update(targets=targets)))
    assert path in found, found
    assert says in found[path]
