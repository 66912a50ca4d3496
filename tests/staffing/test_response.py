"""Rapid response: incidents from the crowd, units by Erlang B on the MOL load, reach by density."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from sim_factories import TARGETS, cover, gate, plan, post, uniform_wave, zone

from optimizer.domain.types import (
    EventPlan,
    PostKind,
    Ring,
    ZoneId,
    ZoneSlotStats,
)
from optimizer.risk import DEFAULT_TARGETS
from optimizer.staffing.erlang import erlang_b
from optimizer.staffing.posts import response_requirement
from optimizer.staffing.requirements import derive_requirements
from optimizer.staffing.response import (
    largest_normal_sd,
    modified_offered_load,
    point_loads,
    required_points,
    response_target_min,
    units_needed,
    walking_speed,
    with_margin,
)
from optimizer.verify import verify

RESPONSE = dataclasses.replace(
    TARGETS,
    incidents_per_10k_hours=50.0,
    incident_service_min=30.0,
    response_busy_max=0.05,
    response_core_min=1.0,
    response_inner_min=3.0,
    response_outer_min=5.0,
    min_response_points=2,
    response_unit_officers=2,
)


def test_walking_speed_follows_the_imo_figures() -> None:
    assert walking_speed(0.0) == 1.25
    assert walking_speed(1.9) == pytest.approx(0.67)
    assert walking_speed(3.2) == pytest.approx(0.20)
    assert walking_speed(5.0) == pytest.approx(0.10)
    assert walking_speed(1.0) < 1.25


@pytest.mark.parametrize("load", [0.05, 0.5, 1.25, 4.0, 20.0])
@pytest.mark.parametrize("busy_max", [0.01, 0.05, 0.2])
def test_units_are_the_fewest_that_hold_the_busy_target(load: float, busy_max: float) -> None:
    units = units_needed(load, busy_max)
    assert erlang_b(units, load) <= busy_max < erlang_b(units - 1, load)


def test_no_load_needs_no_unit() -> None:
    assert units_needed(0.0, 0.05) == 0 and units_needed(2.0, 0.0) == 0


def test_mol_matches_the_infinite_server_mean_under_sinusoidal_arrivals() -> None:
    """Eick, Massey & Whitt (1993): m(t) = a/mu + b (mu sin ct - c cos ct) / (mu^2 + c^2)."""
    a, b, c, service = 2.0, 1.5, 2 * math.pi / 240, 30.0
    mu = 1 / service
    step = 0.25
    t = np.arange(0, 2400, step)
    # Rate averaged over each step, so the piecewise-constant process has the same mean.
    rates = a + b * (np.cos(c * t) - np.cos(c * (t + step))) / (c * step)
    loads = modified_offered_load(rates.tolist(), service, step)
    late = t > 600  # the start-up transient from empty has died out
    exact = a / mu + b * (mu * np.sin(c * (t + step)) - c * np.cos(c * (t + step))) / (mu**2 + c**2)
    assert np.abs(loads[late] - exact[late]).max() < 0.01 * a / mu
    # The busy peak lags the arrival peak (60 min) by arctan(c / mu) / c.
    peak = t[late][np.argmax(loads[late])] % 240
    assert peak == pytest.approx(60 + math.atan(c / mu) / c, abs=1.0)


def test_mol_is_steady_on_a_constant_rate_and_lags_a_step() -> None:
    loads = modified_offered_load([0.5] * 40, 20.0, 15)
    assert loads[0] < 10.0 and loads[-1] == pytest.approx(10.0)
    assert all(np.diff(loads) >= 0)


def test_required_points_scale_with_attendance_when_asked() -> None:
    assert required_points(RESPONSE, 30_000) == 2
    assert (
        required_points(dataclasses.replace(RESPONSE, attendees_per_extra_point=5000), 30_000) == 8
    )


def test_default_targets_follow_the_one_three_five_minute_circles() -> None:
    high = DEFAULT_TARGETS[max(DEFAULT_TARGETS)]
    assert [response_target_min(high, ring) for ring in Ring] == [1.0, 3.0, 5.0]
    assert high.min_response_points == 5


def stats(zone_id: str, present: float, density: float, n_slots: int = 16) -> ZoneSlotStats:
    return ZoneSlotStats(
        ZoneId(zone_id), (present,) * n_slots, (present,) * n_slots, (density,) * n_slots
    )


def two_point_plan() -> EventPlan:
    return plan(
        zones=(zone("stand", area_m2=4000.0), zone("plaza", area_m2=3142.0)),
        posts=(
            post("rr_stand", PostKind.RAPID_RESPONSE, zone_id="stand", min_officers=2),
            post("rr_plaza", PostKind.RAPID_RESPONSE, zone_id="plaza", min_officers=2),
        ),
    )


def test_points_share_the_incidents_of_the_zones_they_cover() -> None:
    p = two_point_plan()
    zones = {
        ZoneId("stand"): stats("stand", 4000.0, 1.9),
        ZoneId("plaza"): stats("plaza", 0.0, 0.0),
    }
    loads = point_loads(p, RESPONSE, zones)
    # 4,000 present, shared by two points: 2,000 each at 50 per 10,000 h = 10 incidents/h.
    assert loads["rr_stand"].incidents_per_h[0] == pytest.approx(10.0)
    assert loads["rr_plaza"].present[0] == pytest.approx(2000.0)
    # The plaza point's reach: a circle of 3,142 m2 has a 31.6 m radius, walked at the stand's
    # density (the walk may cross it) 0.67 m/s: 0.79 min, within the inner ring's 3 minutes.
    plaza = loads["rr_plaza"]
    assert plaza.reach_m == pytest.approx(math.sqrt(3142.0 / math.pi))
    assert plaza.reach_min[0] == pytest.approx(plaza.reach_m / 0.67 / 60)
    assert plaza.target_min == 3.0


def test_requirement_holds_the_busy_target_with_reserve_and_reasons() -> None:
    p = two_point_plan()
    zones = {
        ZoneId("stand"): stats("stand", 4000.0, 1.9),
        ZoneId("plaza"): stats("plaza", 0.0, 0.0),
    }
    load = point_loads(p, RESPONSE, zones)["rr_stand"]
    req = response_requirement(p, p.posts[0], load, RESPONSE)
    last = req.officers[-1]
    units = units_needed(load.offered_load[-1], 0.05)
    assert last == math.ceil(units * 2 * 1.2)
    assert req.reasons[-1].startswith(f"{units} x 2 officers keep P(all busy) = ")
    assert "10.00 incidents/h" in req.reasons[-1] and "+20% reserve" in req.reasons[-1]
    # Reach of the stand point: 35.7 m at 0.67 m/s is 0.9 min, within the inner ring's 3 minutes.
    assert "reach 36 m at 0.67 m/s = 0.9 min <= 3 min" in req.reasons[-1]
    off = response_requirement(p, p.posts[0], load, TARGETS)
    assert set(off.officers) == {math.ceil(2 * 1.2)}


def test_reach_beyond_the_target_says_what_would_help() -> None:
    p = two_point_plan()
    zones = {
        ZoneId("stand"): stats("stand", 4000.0, 3.3),
        ZoneId("plaza"): stats("plaza", 0.0, 0.0),
    }
    load = point_loads(p, RESPONSE, zones)["rr_stand"]
    req = response_requirement(p, p.posts[0], load, RESPONSE)
    # At 3.3 persons/m2 the walk slows to 0.17 m/s: 3.6 minutes for 36 m.
    assert "> 3 min: needs another point or a sterile corridor" in req.reasons[-1]


@pytest.fixture(scope="module")
def crowd_with_points() -> EventPlan:
    return plan(
        zones=(zone("stand", area_m2=3000.0),),
        gates=(gate(lanes=10),),
        posts=(
            post("screen", PostKind.SCREENING, gate_id="north"),
            post("rr_1", PostKind.RAPID_RESPONSE, min_officers=2),
            post("rr_2", PostKind.RAPID_RESPONSE, min_officers=2),
        ),
        attendance=3000,
        arrival_waves=(uniform_wave(0, 90),),
    )


def test_a_covering_roster_meets_the_response_checks_and_a_thin_one_does_not(
    crowd_with_points: EventPlan,
) -> None:
    p = crowd_with_points
    required, _ = derive_requirements(p, RESPONSE, 3, seed=0)
    assert max(required[1].officers) > math.ceil(2 * 1.2)  # the crowd, not the minimum, decides
    checks, _ = verify(p, RESPONSE, cover(required, p.grid), required, 3, seed=0)
    by_name = {c.name: c for c in checks}
    for name in ("response points", "response units rr_1", "response units rr_2", "response reach"):
        assert by_name[name].met, by_name[name]
    thin = tuple(
        r if r.post_id != "rr_1" else dataclasses.replace(r, officers=(2,) * len(r.officers))
        for r in required
    )
    checks, _ = verify(p, RESPONSE, cover(thin, p.grid), required, 3, seed=0)
    units = {c.name: c for c in checks}["response units rr_1"]
    assert not units.met and units.value > 0.05 and "units of 2" in units.detail
    fewer = dataclasses.replace(RESPONSE, min_response_points=3)
    checks, _ = verify(p, fewer, cover(required, p.grid), required, 3, seed=0)
    points = {c.name: c for c in checks}["response points"]
    assert not points.met and points.value == 2


def test_new_fields_come_from_the_plan_message_and_are_validated() -> None:
    from optimizer.errors import InvalidInput
    from optimizer.rpc.convert import plan_from_pb
    from optimizer.rpc.v1 import plan_pb2

    msg = plan_pb2.EventPlan(name="x")
    msg.time_grid.horizon_min = 240
    msg.zones.add(id="stand", ring=plan_pb2.RING_CORE, area_m2=100)
    rr = msg.posts.add(
        id="rr",
        kind=plan_pb2.POST_KIND_RAPID_RESPONSE,
        zone_id="stand",
        officer_type="police",
        min_officers=2,
        active_end_min=240,
        covers_zone_ids=["stand"],
        reach_m=40,
        officers_per_unit=3,
    )
    msg.risk.targets.incidents_per_10k_hours = 7
    msg.risk.targets.min_response_points = 4
    msg.pool.types.add(id="police")
    msg.pool.supply.add(officer_type="police", count=10)
    p = plan_from_pb(msg)
    assert p.posts[0].covers_zone_ids == ("stand",) and p.posts[0].officers_per_unit == 3
    assert p.posts[0].reach_m == 40
    assert p.risk.overrides is not None and p.risk.overrides.incidents_per_10k_hours == 7
    rr.covers_zone_ids.append("nowhere")
    rr.reach_m = -5
    msg.risk.targets.response_busy_max = 1.5
    with pytest.raises(InvalidInput) as error:
        plan_from_pb(msg)
    found = {v.field: v.reason for v in error.value.violations}
    assert found["posts[0].covers_zone_ids[1]"] == "unknown zone 'nowhere'"
    assert found["posts[0].reach_m"] == "-5.0 is outside [0, 100000]"
    assert found["risk.targets.response_busy_max"] == "1.5 is outside [0, 1)"


def test_units_are_sized_on_the_peak_plus_a_prediction_margin() -> None:
    """With 8 replications whose mean peak has a 95% half-width of 600 (sd 600 sqrt(8) / 2.365),
    the margin is t(0.95, 7) 1.895 x sqrt(2) x 0.6107 (sd of the largest of 8 normals) x sd.
    The density (the walk) stays as simulated; one replication changes nothing."""
    p = two_point_plan()
    n = p.grid.n_slots
    plain = stats("stand", 4000.0, 1.9, n)
    spread = dataclasses.replace(plain, occupancy_peak_ci=(600.0,) * n)
    raised = with_margin(spread, 8)
    margin = 1.895 * math.sqrt(2) * 0.6107 * 600.0 * math.sqrt(8) / 2.365
    assert raised.occupancy_max == pytest.approx((4000.0 + margin,) * n, rel=1e-4)
    assert raised.density_max == plain.density_max
    assert with_margin(plain, 8) is plain and with_margin(spread, 1) is spread
    empty = {ZoneId("plaza"): stats("plaza", 0.0, 0.0, n)}
    base = point_loads(p, RESPONSE, {ZoneId("stand"): plain, **empty})["rr_stand"]
    more = point_loads(p, RESPONSE, {ZoneId("stand"): raised, **empty})["rr_stand"]
    ratio = raised.occupancy_max[-1] / 4000.0
    assert more.offered_load[-1] == pytest.approx(base.offered_load[-1] * ratio)
    assert (
        response_requirement(p, p.posts[0], more, RESPONSE).officers[-1]
        >= (response_requirement(p, p.posts[0], base, RESPONSE).officers[-1])
    )


def test_largest_normal_sd_matches_closed_forms_and_sampling() -> None:
    # Var of the larger of two standard normals is 1 - 1/pi; of three, about 0.5595.
    assert largest_normal_sd(1) == pytest.approx(1.0, abs=1e-6)
    assert largest_normal_sd(2) == pytest.approx(math.sqrt(1 - 1 / math.pi), abs=1e-6)
    assert largest_normal_sd(3) ** 2 == pytest.approx(0.5595, abs=1e-4)
    draws = np.random.default_rng(0).standard_normal((200_000, 8)).max(axis=1)
    assert largest_normal_sd(8) == pytest.approx(draws.std(), abs=0.005)


def test_the_requirement_uses_the_margin_of_its_own_simulation(
    crowd_with_points: EventPlan,
) -> None:
    p = crowd_with_points
    required, result = derive_requirements(p, RESPONSE, 3, seed=0)
    zone_stats = result.zone("stand")
    assert max(zone_stats.occupancy_peak_ci) > 0
    margined = point_loads(p, RESPONSE, {ZoneId("stand"): with_margin(zone_stats, 3)})
    for post_, req in zip(p.posts[1:], required[1:], strict=True):
        load = margined[post_.id]
        expected = response_requirement(p, post_, load, RESPONSE)
        assert req.officers == expected.officers
