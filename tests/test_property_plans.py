"""Hypothesis-generated plans through the real pipeline and the real service (issue 6, item 8).

Small random plans (1-3 zones, 0-2 gates each with its screening post, 1-6 posts of every kind,
a small crowd in random waves, a random pool with substitutes, named officers and availability
windows, sometimes given requirement curves) are built in the plan file's JSON form, the form a
planner writes, and read by the same code as a gRPC request.

- Every valid plan is planned by ``pipeline.plan`` (one replication, short time limit) and its
  roster must pass the independent checker ``check_roster``: full cover with a headcount at or
  above the proven bound, or INFEASIBLE with exactly the shortfalls the shifts leave.
- Every invalid plan (a valid one with one to three known rule breaks) sent to a plan RPC must
  end INVALID_ARGUMENT with a ``google.rpc.BadRequest`` naming each broken field; never
  INTERNAL or UNKNOWN.

The default run is derandomised and takes about half a minute; for a longer, random nightly run
set ``OPTIMIZER_PROPERTY_EXAMPLES`` (valid plans; three times as many invalid ones), e.g.
``OPTIMIZER_PROPERTY_EXAMPLES=400 pytest tests/test_property_plans.py``.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import grpc
import pytest
from google.rpc import error_details_pb2
from grpc_status import rpc_status
from hypothesis import HealthCheck, event, given, note, settings
from hypothesis import strategies as st

from optimizer import pipeline
from optimizer.domain.types import RunOptions, SolveStatus
from optimizer.roster.check import check_roster
from optimizer.rpc import convert
from optimizer.rpc.planfile import plan_from_dict
from optimizer.rpc.v1 import result_pb2, service_pb2

_NIGHTLY = int(os.environ.get("OPTIMIZER_PROPERTY_EXAMPLES", "0"))
# Tuned so the default run stays near 25 s on a shared 2-core machine.
VALID_EXAMPLES = _NIGHTLY or 120
INVALID_EXAMPLES = 3 * _NIGHTLY or 150
# One replication keeps the simulation cheap; the plans are small enough to solve in well under
# the limit, so a roster is always found in time (UNKNOWN would be a finding).
OPTIONS = RunOptions(seed=0, replications=1, time_limit_s=3.0, workers=1)
SETTINGS: dict[str, Any] = {
    "deadline": None,
    "derandomize": not _NIGHTLY,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
}

KINDS = ["POST_KIND_FIXED", "POST_KIND_PATROL", "POST_KIND_RAPID_RESPONSE", "POST_KIND_TRAFFIC"]
KINDS += ["POST_KIND_COMMAND"]
RINGS = ["RING_CORE", "RING_INNER", "RING_OUTER"]
LEVELS = ["RISK_LEVEL_LOW", "RISK_LEVEL_MEDIUM", "RISK_LEVEL_HIGH"]
TERMS = ["OBJECTIVE_TERM_HEADCOUNT", "OBJECTIVE_TERM_OFFICER_HOURS", "OBJECTIVE_TERM_OVER_COVER"]
TERMS += ["OBJECTIVE_TERM_POST_CHANGES"]

Plan = dict[str, Any]


def _window(draw: st.DrawFn, horizon: int, step: int = 5) -> tuple[int, int]:
    """A window [start, end) inside the horizon, on a ``step``-minute grid, at least one step."""
    start = draw(st.integers(0, horizon // step - 1)) * step
    end = draw(st.integers(start // step + 1, horizon // step)) * step
    return start, end


def _wave(draw: st.DrawFn, horizon: int, slot: int, share: float) -> dict[str, Any]:
    start, end = _window(draw, horizon)
    shape = draw(
        st.sampled_from(
            [
                "WAVE_SHAPE_UNIFORM",
                "WAVE_SHAPE_NORMAL",
                "WAVE_SHAPE_TRIANGULAR",
                "WAVE_SHAPE_PER_SLOT",
            ]
        )
    )
    wave: dict[str, Any] = {"shape": shape, "share": share, "start_min": start, "end_min": end}
    if shape in ("WAVE_SHAPE_NORMAL", "WAVE_SHAPE_TRIANGULAR"):
        wave["peak_min"] = draw(st.integers(start, end))
    if shape == "WAVE_SHAPE_NORMAL":
        wave["sd_min"] = draw(st.sampled_from([2.0, 10.0, 30.0]))
    if shape == "WAVE_SHAPE_PER_SLOT":
        count = draw(st.integers(1, max(1, (end - start) // slot)))
        weights = draw(
            st.lists(st.sampled_from([0.0, 0.5, 1.0, 3.0]), min_size=count, max_size=count)
        )
        wave["slot_weights"] = weights if sum(weights) > 0 else [*weights[:-1], 1.0]
    return wave


def _waves(draw: st.DrawFn, horizon: int, slot: int, most: int) -> list[dict[str, Any]]:
    """One or more waves whose shares sum to exactly 1 (tenths, which add up in binary)."""
    if draw(st.integers(1, most)) == 1:
        return [_wave(draw, horizon, slot, 1.0)]
    first = draw(st.integers(1, 9)) / 10
    return [_wave(draw, horizon, slot, first), _wave(draw, horizon, slot, round(1 - first, 1))]


@st.composite
def valid_plans(draw: st.DrawFn) -> Plan:
    """A small plan that obeys every documented rule, in the plan file's JSON form."""
    slot = draw(st.sampled_from([15, 30, 60]))
    horizon = draw(st.integers(-(-240 // slot), 480 // slot)) * slot
    zones = [
        {
            "id": f"z{i}",
            "ring": draw(st.sampled_from(RINGS)),
            "area_m2": draw(st.sampled_from([300.0, 2000.0, 9000.0])),
        }
        for i in range(draw(st.integers(1, 3)))
    ]
    zone_ids = [z["id"] for z in zones]
    n_types = draw(st.integers(1, 3))
    type_ids = [f"t{i}" for i in range(n_types)]
    types = []
    for t in type_ids:
        others = [o for o in type_ids if o != t]
        covers = draw(st.lists(st.sampled_from(others), unique=True)) if others else []
        types.append({"id": t, "can_cover": covers})
    n_gates = draw(st.integers(0, 2))
    attendance = draw(st.sampled_from([0, 200, 800, 2000])) if n_gates else 0
    gates: list[dict[str, Any]] = []
    posts: list[dict[str, Any]] = []
    first_share = draw(st.integers(1, 9)) / 10
    for g in range(n_gates):
        share = 1.0 if n_gates == 1 else (first_share if g == 0 else round(1 - first_share, 1))
        gates.append(
            {
                "id": f"g{g}",
                "zone_id": draw(st.sampled_from(zone_ids)),
                "lanes": draw(st.integers(1, 6)),
                "officers_per_lane": draw(st.integers(1, 2)),
                "share": share,
            }
        )
        start, end = _window(draw, horizon)
        posts.append(
            {
                "id": f"screen{g}",
                "kind": "POST_KIND_SCREENING",
                "gate_id": f"g{g}",
                "zone_id": draw(st.sampled_from(zone_ids)),
                "officer_type": draw(st.sampled_from(type_ids)),
                "active_start_min": start,
                "active_end_min": end,
            }
        )
    if n_gates == 2 and draw(st.booleans()):
        gates[0].update(spill_queue=draw(st.integers(1, 50)), spill_to_gate_id="g1")
    for p in range(draw(st.integers(0 if n_gates else 1, 6 - n_gates))):
        kind = draw(st.sampled_from(KINDS))
        start, end = _window(draw, horizon)
        post: dict[str, Any] = {
            "id": f"p{p}",
            "kind": kind,
            "zone_id": draw(st.sampled_from(zone_ids)),
            "officer_type": draw(st.sampled_from(type_ids)),
            "active_start_min": start,
            "min_officers": draw(st.integers(0 if kind == "POST_KIND_PATROL" else 1, 3)),
        }
        if end < horizon or draw(st.booleans()):
            post["active_end_min"] = end  # left out, it means "to the horizon"
        if kind == "POST_KIND_PATROL":
            post["attendees_per_officer"] = draw(st.sampled_from([0.0, 150.0, 600.0]))
        if kind == "POST_KIND_RAPID_RESPONSE":
            post["covers_zone_ids"] = draw(st.lists(st.sampled_from(zone_ids), unique=True))
        posts.append(post)
    requirements = []
    for post in posts:
        if post["kind"] != "POST_KIND_SCREENING" and draw(st.integers(0, 3)) == 0:
            start = post["active_start_min"]
            end = post.get("active_end_min", horizon)
            run_start, run_end = _window(draw, end - start)
            requirements.append(
                {
                    "post_id": post["id"],
                    "runs": [
                        {
                            "start_min": start + run_start,
                            "end_min": start + run_end,
                            "officers": draw(st.integers(0, 3)),
                        }
                    ],
                }
            )
    crowd: dict[str, Any] = {"attendance": attendance}
    if attendance or draw(st.booleans()):
        crowd["arrival_waves"] = _waves(draw, horizon, slot, 2)
    if draw(st.booleans()):
        crowd["egress_waves"] = _waves(draw, horizon, slot, 1)
    # Enough of each type for its posts' minimums, sometimes little more: short pools are valid
    # plans too, answered INFEASIBLE with the shortfall.
    supply = []
    for t in type_ids:
        minimum = sum(p.get("min_officers", 0) for p in posts if p["officer_type"] == t)
        entry: dict[str, Any] = {
            "officer_type": t,
            "count": minimum + draw(st.sampled_from([0, 2, 10, 40])),
        }
        if draw(st.integers(0, 3)) == 0:
            entry["available_start_min"], entry["available_end_min"] = _window(draw, horizon, 15)
        supply.append(entry)
    if not any(entry["count"] for entry in supply):
        supply[0]["count"] = 1  # a pool needs an officer; with no minimums, none may be needed
    officers = []
    for i in range(draw(st.integers(0, 2))):
        officer: dict[str, Any] = {
            "id": f"officer{i}",
            "officer_type": draw(st.sampled_from(type_ids)),
        }
        if draw(st.booleans()):
            officer["available_start_min"], officer["available_end_min"] = _window(
                draw, horizon, 15
            )
        if draw(st.booleans()):
            officer["worked_min"] = draw(st.sampled_from([0, 120, 600]))
            officer["max_work_min"] = draw(st.sampled_from([0, 300, 720]))
        officers.append(officer)
    min_shift = draw(st.sampled_from([s for s in (120, 180, 240) if s <= horizon]))
    labour: dict[str, Any] = {
        "min_shift_min": min_shift,
        "max_shift_min": min_shift + draw(st.sampled_from([0, 60, 120])),
        "shift_step_min": draw(st.sampled_from([30, 60, 90])),
        "start_step_min": slot * draw(st.integers(1, 2)),
    }
    if draw(st.booleans()):
        labour["break_rules"] = [
            {"min_shift_min": threshold, "break_min": draw(st.sampled_from([0, 15, 30, 45]))}
            for threshold in draw(st.lists(st.sampled_from([60, 120, 180, 240]), max_size=2))
        ]
        window_start = draw(st.sampled_from([60, 120, 180]))  # 0 would mean "the default"
        labour["break_window_start_min"] = window_start
        labour["break_window_end_min"] = window_start + draw(st.sampled_from([0, 60, 120]))
    if draw(st.integers(0, 3)) == 0:
        labour["max_work_min"] = draw(st.sampled_from([240, 600]))
    risk: dict[str, Any]
    if draw(st.booleans()):
        risk = {"level": draw(st.sampled_from(LEVELS))}
    else:
        risk = {
            "hazards": [
                {
                    "name": "crowd",
                    "likelihood": draw(st.integers(1, 5)),
                    "impact": draw(st.integers(1, 5)),
                }
            ]
        }
    plan: Plan = {
        "name": "generated",
        "time_grid": {"slot_min": slot, "horizon_min": horizon},
        "zones": zones,
        "gates": gates,
        "posts": posts,
        "crowd": crowd,
        "risk": risk,
        "pool": {"types": types, "supply": supply, "officers": officers},
        "labour": labour,
    }
    if requirements:
        plan["requirements"] = requirements
    if draw(st.booleans()):
        order = draw(st.permutations(TERMS))[: draw(st.integers(1, len(TERMS)))]
        plan["objective"] = {"order": order, "substitutes_in_reserve": draw(st.booleans())}
    return plan


# ---- rule breaks: each changes a valid plan and names the field the violation must carry ----


@dataclass(frozen=True)
class Break:
    name: str
    applies: Callable[[Plan], bool]
    apply: Callable[[Plan, int], str]  # (plan, a random index) -> the path expected
    # Breaks that would hide or move earlier ones (a horizon that takes every window inside it, a
    # pool with no officer left, posts removed) come first or not at all.
    first_only: bool = False


def _pick(items: list[Any], index: int) -> tuple[int, Any]:
    i = index % len(items)
    return i, items[i]


def _unknown_post_zone(plan: Plan, k: int) -> str:
    i, post = _pick(plan["posts"], k)
    post["zone_id"] = "nowhere"
    return f"posts[{i}].zone_id"


def _inverted_post_window(plan: Plan, k: int) -> str:
    # Not a post whose minimum breaks the pool: an empty window would take it out of that check.
    i, post = _pick([(i, p) for i, p in enumerate(plan["posts"]) if not _huge(p)], k)[1]
    post["active_start_min"], post["active_end_min"] = 60, 30
    return f"posts[{i}].active_end_min"


def _unknown_post_type(plan: Plan, k: int) -> str:
    i, post = _pick(plan["posts"], k)
    post["officer_type"] = "nobody"
    return f"posts[{i}].officer_type"


def _gate_shares(plan: Plan, k: int) -> str:
    plan["gates"][0]["share"] = 0.5 if plan["gates"][0]["share"] != 0.5 else 0.25
    return "gates.share"


def _wave_shares(plan: Plan, k: int) -> str:
    plan["crowd"]["arrival_waves"][0]["share"] = 0.05
    return "crowd.arrival_waves"


def _wave_past_horizon(plan: Plan, k: int) -> str:
    i, wave = _pick(plan["crowd"]["arrival_waves"], k)
    wave["end_min"] = plan["time_grid"]["horizon_min"] + 15
    return f"crowd.arrival_waves[{i}].end_min"


HUGE_MINIMUM = 5000  # far beyond any generated pool


def _huge(post: dict[str, Any]) -> bool:
    return bool(post.get("min_officers", 0) >= HUGE_MINIMUM)


def _counted(post: dict[str, Any]) -> bool:
    """A post whose minimum the pool check counts: not screening, window not inverted."""
    return bool(
        post["kind"] != "POST_KIND_SCREENING"
        and post.get("active_end_min", 1) > post["active_start_min"]
    )


def _pool_below_minimums(plan: Plan, k: int) -> str:
    _, post = _pick([p for p in plan["posts"] if _counted(p)], k)
    post["min_officers"] = HUGE_MINIMUM
    return "pool"


def _empty_pool(plan: Plan, k: int) -> str:
    plan["pool"]["supply"] = []
    plan["pool"]["officers"] = []
    return "pool"


def _horizon_too_long(plan: Plan, k: int) -> str:
    plan["time_grid"]["horizon_min"] = 8 * 24 * 60
    return "time_grid.horizon_min"


def _gate_without_screening(plan: Plan, k: int) -> str:
    i, gate = _pick(plan["gates"], k)
    plan["posts"] = [p for p in plan["posts"] if p.get("gate_id") != gate["id"]]
    return f"gates[{i}].id"


def _unknown_screened_gate(plan: Plan, k: int) -> str:
    screening = [i for i, p in enumerate(plan["posts"]) if p["kind"] == "POST_KIND_SCREENING"]
    _, i = _pick(screening, k)
    plan["posts"][i]["gate_id"] = "no_gate"
    return f"posts[{i}].gate_id"


def _duplicate_zone(plan: Plan, k: int) -> str:
    plan["zones"].append(dict(plan["zones"][0]))
    return f"zones[{len(plan['zones']) - 1}].id"


def _unknown_substitute(plan: Plan, k: int) -> str:
    i, officer_type = _pick(plan["pool"]["types"], k)
    officer_type["can_cover"] = [*officer_type["can_cover"], "ghost"]
    return f"pool.types[{i}].can_cover[{len(officer_type['can_cover']) - 1}]"


def _shift_limits_crossed(plan: Plan, k: int) -> str:
    plan["labour"]["max_shift_min"] = plan["labour"]["min_shift_min"] - 30
    return "labour.max_shift_min"


def _attendance_too_large(plan: Plan, k: int) -> str:
    # Above the maximum rather than negative: a negative one would switch off the gate checks.
    plan["crowd"]["attendance"] = 5_000_001 + k
    return "crowd.attendance"


def _ring_unset(plan: Plan, k: int) -> str:
    i, zone = _pick(plan["zones"], k)
    zone["ring"] = "RING_UNSPECIFIED"
    return f"zones[{i}].ring"


def _requirement_unknown_post(plan: Plan, k: int) -> str:
    requirements = plan.setdefault("requirements", [])
    requirements.append(
        {"post_id": "ghost", "runs": [{"start_min": 0, "end_min": 15, "officers": 1}]}
    )
    return f"requirements[{len(requirements) - 1}].post_id"


def _lanes_zero(plan: Plan, k: int) -> str:
    i, gate = _pick(plan["gates"], k)
    gate["lanes"] = 0
    return f"gates[{i}].lanes"


def _officer_window_inverted(plan: Plan, k: int) -> str:
    i, officer = _pick(plan["pool"]["officers"], k)
    officer["available_start_min"], officer["available_end_min"] = 120, 60
    return f"pool.officers[{i}].available_end_min"


def _has(*keys: str) -> Callable[[Plan], bool]:
    def check(plan: Plan) -> bool:
        value: Any = plan
        for key in keys:
            value = value.get(key) if isinstance(value, dict) else None
        return bool(value)

    return check


BREAKS = [
    Break("unknown post zone", _has("posts"), _unknown_post_zone),
    Break(
        "inverted post window",
        lambda p: any(not _huge(x) for x in p["posts"]),
        _inverted_post_window,
    ),
    Break("unknown post type", _has("posts"), _unknown_post_type),
    Break(
        "gate shares",
        lambda p: len(p["gates"]) == 2 and p["crowd"]["attendance"] > 0,
        _gate_shares,
    ),
    Break("wave shares", _has("crowd", "arrival_waves"), _wave_shares),
    Break("wave past horizon", _has("crowd", "arrival_waves"), _wave_past_horizon),
    Break(
        "pool below minimums",
        lambda p: any(_counted(x) for x in p["posts"]),
        _pool_below_minimums,
    ),
    Break("empty pool", lambda p: True, _empty_pool, first_only=True),
    Break("horizon too long", lambda p: True, _horizon_too_long, first_only=True),
    Break("gate without screening", _has("gates"), _gate_without_screening, first_only=True),
    Break(
        "unknown screened gate",
        lambda p: any(x["kind"] == "POST_KIND_SCREENING" for x in p["posts"]),
        _unknown_screened_gate,
    ),
    Break("duplicate zone", lambda p: True, _duplicate_zone),
    Break("unknown substitute", lambda p: True, _unknown_substitute),
    Break("shift limits crossed", lambda p: True, _shift_limits_crossed),
    Break("attendance too large", lambda p: True, _attendance_too_large),
    Break("ring unset", lambda p: True, _ring_unset),
    Break("requirement for an unknown post", lambda p: True, _requirement_unknown_post),
    Break("gate without lanes", _has("gates"), _lanes_zero),
    Break("officer window inverted", _has("pool", "officers"), _officer_window_inverted),
]


@st.composite
def invalid_plans(draw: st.DrawFn) -> tuple[Plan, list[str]]:
    """A valid plan with one to three rule breaks, and the field path each must be reported at.

    Breaks are applied one after the other to the plan as it stands (so a path names the field
    where it is now), each chosen among those that still apply.
    """
    plan = copy.deepcopy(draw(valid_plans()))
    expected: list[str] = []
    for _ in range(draw(st.integers(1, 3))):
        usable = [b for b in BREAKS if b.applies(plan) and not (b.first_only and expected)]
        chosen = draw(st.sampled_from(usable))
        note(f"break: {chosen.name}")
        expected.append(chosen.apply(plan, draw(st.integers(0, 5))))
    return plan, expected


# ---- the properties ---------------------------------------------------------------------------


def _plan_and_check(document: Plan) -> pipeline.PlanOutcome:
    message = plan_from_dict(document)
    plan = convert.plan_from_pb(message)  # raises InvalidInput: the generator or validator is wrong
    outcome = pipeline.plan(plan, OPTIONS)
    roster = outcome.roster
    seen = f"{roster.status.name}, headcount {roster.headcount}, bound {roster.lower_bound}"
    assert roster.status is not SolveStatus.UNKNOWN, f"no roster for a small plan: {seen}"
    problems = check_roster(outcome.plan, outcome.requirements, roster)
    assert problems == [], (seen, problems[:10])
    if roster.status is SolveStatus.INFEASIBLE:
        assert roster.shortfalls, "INFEASIBLE without a shortfall"
    else:
        assert roster.headcount >= roster.lower_bound
        assert not roster.shortfalls
    # What the service would send back converts without error.
    result = convert.plan_result_to_pb(outcome)
    officers = {s.officer_id for s in result.shifts}
    assert result.summary.headcount == len(officers) == roster.headcount
    assert result.summary.duties == len(result.shifts)
    return outcome


@settings(max_examples=VALID_EXAMPLES, **SETTINGS)
@given(document=valid_plans())
def test_every_valid_plan_gets_a_roster_the_independent_checker_accepts(document: Plan) -> None:
    outcome = _plan_and_check(document)
    event(f"status {outcome.roster.status.name}")
    event("simulated" if outcome.simulation.replications else "requirements given")


def test_a_requirements_only_plan_comes_through_the_property() -> None:
    """The generator reaches the path without simulation: a plan whose posts all carry curves."""
    document: Plan = {
        "name": "given curves",
        "time_grid": {"slot_min": 30, "horizon_min": 360},
        "zones": [{"id": "z0", "ring": "RING_OUTER", "area_m2": 2000.0}],
        "posts": [
            {
                "id": "p0",
                "kind": "POST_KIND_TRAFFIC",
                "zone_id": "z0",
                "officer_type": "t0",
                "active_start_min": 0,
                "min_officers": 1,
            }
        ],
        "requirements": [
            {"post_id": "p0", "runs": [{"start_min": 30, "end_min": 300, "officers": 2}]}
        ],
        "crowd": {"attendance": 0},
        "risk": {"level": "RISK_LEVEL_LOW"},
        "pool": {"types": [{"id": "t0"}], "supply": [{"officer_type": "t0", "count": 6}]},
        "labour": {"min_shift_min": 180, "max_shift_min": 300, "shift_step_min": 60},
    }
    outcome = _plan_and_check(document)
    assert outcome.simulation.replications == 0
    assert outcome.roster.status is SolveStatus.OPTIMAL


RPCS = ["Plan", "PlanStream", "SubmitJob", "Simulate", "Validate"]


def _call(stub: Any, method: str, message: Any) -> None:
    plan_request = service_pb2.PlanRequest(
        plan=message, options=result_pb2.RunOptions(replications=1, time_limit_s=1)
    )
    if method == "Plan":
        stub.Plan(plan_request, timeout=10)
    elif method == "PlanStream":
        for _ in stub.PlanStream(plan_request, timeout=10):
            pass
    elif method == "SubmitJob":
        stub.SubmitJob(plan_request, timeout=10)
    elif method == "Simulate":
        stub.Simulate(service_pb2.SimulateRequest(plan=message), timeout=10)
    else:
        stub.Validate(service_pb2.ValidateRequest(plan=message), timeout=10)


def test_every_invalid_plan_gets_invalid_argument_naming_each_broken_field(
    stub: tuple[Any, grpc.Channel],
) -> None:
    service, _ = stub

    @settings(max_examples=INVALID_EXAMPLES, **SETTINGS)
    @given(case=invalid_plans(), method=st.sampled_from(RPCS))
    def check(case: tuple[Plan, list[str]], method: str) -> None:
        document, expected = case
        message = plan_from_dict(document)
        with pytest.raises(grpc.RpcError) as caught:
            _call(service, method, message)
        error = caught.value
        assert error.code() == grpc.StatusCode.INVALID_ARGUMENT, (error.code(), error.details())
        status = rpc_status.from_call(error)
        assert status is not None
        fields: list[str] = []
        for detail in status.details:
            bad = error_details_pb2.BadRequest()
            if detail.Unpack(bad):
                fields.extend(v.field for v in bad.field_violations)
        missing = [path for path in expected if path not in fields]
        assert not missing, f"expected violations at {missing}, got {fields}"

    check()


def test_valid_plans_pass_validation_through_the_service(stub: tuple[Any, grpc.Channel]) -> None:
    """The other half of the split: what the generator calls valid, the service calls valid."""
    service, _ = stub

    @settings(max_examples=INVALID_EXAMPLES, **SETTINGS)
    @given(document=valid_plans())
    def check(document: Plan) -> None:
        reply = service.Validate(
            service_pb2.ValidateRequest(plan=plan_from_dict(document)), timeout=10
        )
        assert reply.posts == len(document["posts"])

    check()
