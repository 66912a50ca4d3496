"""Scenario families: plan generators with parameters and a seed, and the bundled examples.

A family turns ``params`` (plain YAML values) and a seed into an ``EventPlan``. Generators write
the plan document, the JSON/YAML form of the ``EventPlan`` message, and load it the way a plan
file is loaded, so every generated plan is validated and takes the documented defaults.

- ``example``: a plan file (``file``, relative to the sweep spec); the seed is not used.
- ``stadium``: a ground with screened gates, a bowl, a concourse and an approach; parameters
  below in ``STADIUM_DEFAULTS``. The seed draws the share of the crowd each gate takes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from optimizer.domain.types import EventPlan
from optimizer.errors import InvalidInput, Violation
from optimizer.risk import assess
from optimizer.rpc import convert
from optimizer.rpc.planfile import load_plan_message, plan_from_dict
from optimizer.simulation import service_mean_s
from optimizer.simulation.arrivals import arrival_curve
from optimizer.simulation.sampling import gate_shares
from optimizer.staffing.response import required_points

Params = Mapping[str, Any]
Family = Callable[[Params, int, Path], EventPlan]

STADIUM_DEFAULTS: dict[str, Any] = {
    "attendance": 8000,
    "gates": 3,
    # Gates open this long before kick-off; the main wave peaks ``peak_before_min`` before it.
    "open_before_min": 120,
    "peak_before_min": 20,
    # Share of the crowd in the late triangular wave (the rest arrive early, normally spread):
    # higher is peakier.
    "peak_share": 0.6,
    "early_sd_min": 30,
    "risk": "medium",
    # Officers available per type; public order is the pool that binds.
    "public_order": 200,
    "special_police": 30,
    "traffic": 8,
    "min_shift_min": 180,
    "max_shift_min": 480,
    # Lanes per gate: this many times the busy lanes at the peak arrival rate (Erlang load at
    # the risk level's screening time), plus two; below 1 the gates cannot hold the target.
    "lane_headroom": 1.5,
}
MATCH_MIN = 105
EGRESS_MIN = 45
PREP_MIN = 30


def example(params: Params, seed: int, base_dir: Path) -> EventPlan:
    """The plan file ``params["file"]`` (a path relative to ``base_dir``)."""
    if "file" not in params:
        raise InvalidInput([Violation("params.file", "the example family needs a plan file")])
    return convert.plan_from_pb(load_plan_message(base_dir / str(params["file"])))


def stadium(params: Params, seed: int, base_dir: Path) -> EventPlan:
    """A generated match-day plan (see the module docstring and ``STADIUM_DEFAULTS``)."""
    return convert.plan_from_pb(plan_from_dict(stadium_document(params, seed)))


def stadium_document(params: Params, seed: int) -> dict[str, Any]:
    """The plan document of ``stadium`` (the YAML a planner would write).

    Lanes are sized in a second pass, once the screening time of the risk level is known: a gate
    that cannot hold the wait target with every lane open would make every policy miss alike
    and tell nothing about them. Rapid-response points likewise number what the risk level
    requires, alternating between bowl and concourse.
    """
    draft = stadium_draft(
        params, seed, lanes=[1] * int({**STADIUM_DEFAULTS, **params}["gates"]), points=1
    )
    plan = convert.plan_from_pb(plan_from_dict(draft))
    points = max(1, required_points(assess(plan.risk).targets, plan.crowd.attendance))
    peak_per_min = float(arrival_curve(plan.crowd, plan.grid).max()) / plan.grid.slot_min
    headroom = float({**STADIUM_DEFAULTS, **params}["lane_headroom"])
    lanes = [
        math.ceil(headroom * peak_per_min * share * service_mean_s(gate) / 60.0) + 2
        for gate, share in zip(plan.gates, gate_shares(plan), strict=True)
    ]
    return stadium_draft(params, seed, lanes, points)


def stadium_draft(params: Params, seed: int, lanes: list[int], points: int) -> dict[str, Any]:
    """The plan document of ``stadium`` with the given lanes per gate and response points."""
    unknown = sorted(set(params) - set(STADIUM_DEFAULTS))
    if unknown:
        raise InvalidInput([Violation(f"params.{k}", "not a stadium parameter") for k in unknown])
    p = {**STADIUM_DEFAULTS, **params}
    attendance = int(p["attendance"])
    n_gates = int(p["gates"])
    kickoff = PREP_MIN + int(p["open_before_min"])
    horizon = kickoff + MATCH_MIN + EGRESS_MIN
    gates_open = PREP_MIN
    shares = np.random.default_rng(seed).dirichlet(np.full(n_gates, 30.0))
    shares = np.round(shares, 3)
    shares[-1] = round(1.0 - float(shares[:-1].sum()), 3)
    gates = [
        {
            "id": f"gate_{k + 1}",
            "zone_id": "bowl",
            "lanes": lanes[k],
            "officers_per_lane": 2,
            "share": float(shares[k]),
        }
        for k in range(n_gates)
    ]
    screen_end = kickoff + 15
    posts: list[dict[str, Any]] = [
        {
            "id": f"screen_{k + 1}",
            "kind": "POST_KIND_SCREENING",
            "gate_id": f"gate_{k + 1}",
            "zone_id": "concourse",
            "officer_type": "public_order",
            "active_start_min": gates_open,
            "active_end_min": screen_end,
        }
        for k in range(n_gates)
    ]
    posts += [
        _post("bowl_patrol", "POST_KIND_PATROL", "bowl", "public_order", 2, gates_open, horizon),
        _post("pitch_line", "POST_KIND_FIXED", "bowl", "public_order", 4, kickoff - 15,
              kickoff + MATCH_MIN),
        _post("junction", "POST_KIND_TRAFFIC", "approach", "traffic", 2, 0, horizon),
        _post("command", "POST_KIND_COMMAND", "concourse", "public_order", 1, 0, horizon),
    ]  # fmt: skip
    # As many rapid-response points as the risk level asks for (``staffing.response``).
    posts += [
        _post(f"response_{k + 1}", "POST_KIND_RAPID_RESPONSE", "concourse" if k % 2 else "bowl",
              "special_police", 2, gates_open - 15, horizon)
        for k in range(points)
    ]  # fmt: skip
    peak = kickoff - int(p["peak_before_min"])
    peak_share = float(p["peak_share"])
    return {
        "name": f"stadium {attendance} seed {seed}",
        "time_grid": {"slot_min": 15, "horizon_min": horizon},
        "zones": [
            {"id": "bowl", "name": "Bowl", "ring": "RING_CORE", "area_m2": attendance * 0.6},
            {
                "id": "concourse",
                "name": "Concourse",
                "ring": "RING_INNER",
                "area_m2": attendance * 0.4,
            },
            {"id": "approach", "name": "Approach", "ring": "RING_OUTER", "area_m2": attendance},
        ],  # fmt: skip
        "gates": gates,
        "posts": posts,
        "crowd": {
            "attendance": attendance,
            "arrival_waves": [
                {
                    "name": "early",
                    "shape": "WAVE_SHAPE_NORMAL",
                    "share": round(1 - peak_share, 3),
                    "start_min": gates_open,
                    "end_min": kickoff,
                    "peak_min": (gates_open + peak) // 2,
                    "sd_min": float(p["early_sd_min"]),
                },
                {
                    "name": "main",
                    "shape": "WAVE_SHAPE_TRIANGULAR",
                    "share": peak_share,
                    "start_min": max(gates_open, peak - 45),
                    "peak_min": peak,
                    "end_min": kickoff + 10,
                },
            ],
            "egress_waves": [
                {
                    "name": "full time",
                    "shape": "WAVE_SHAPE_NORMAL",
                    "share": 1.0,
                    "start_min": kickoff + MATCH_MIN - 10,
                    "end_min": horizon,
                    "peak_min": kickoff + MATCH_MIN + 10,
                    "sd_min": 8,
                },
            ],
        },  # fmt: skip
        "risk": {"level": f"RISK_LEVEL_{str(p['risk']).upper()}"},
        "pool": {
            "types": [
                {"id": "public_order", "name": "Public order"},
                {"id": "special_police", "name": "Special police", "can_cover": ["public_order"]},
                {"id": "traffic", "name": "Traffic police"},
            ],
            "supply": [
                {"officer_type": t, "count": int(p[t])}
                for t in ("public_order", "special_police", "traffic")
            ],
        },
        "labour": {
            "min_shift_min": int(p["min_shift_min"]),
            "max_shift_min": int(p["max_shift_min"]),
            "shift_step_min": 60,
        },
    }


def _post(
    post_id: str, kind: str, zone: str, officer_type: str, minimum: int, start: int, end: int
) -> dict[str, Any]:
    return {
        "id": post_id,
        "kind": kind,
        "zone_id": zone,
        "officer_type": officer_type,
        "min_officers": minimum,
        "active_start_min": start,
        "active_end_min": end,
    }


FAMILIES: dict[str, Family] = {"example": example, "stadium": stadium}


def make_plan(family: str, params: Params, seed: int, base_dir: Path) -> EventPlan:
    """The plan of ``family`` with ``params`` and ``seed``.

    Raises
    ------
    InvalidInput
        The family is unknown, a parameter is not one of its own, or the plan is invalid.
    """
    if family not in FAMILIES:
        known = ", ".join(FAMILIES)
        raise InvalidInput([Violation("family", f"unknown family {family!r}; known: {known}")])
    return FAMILIES[family](params, seed, base_dir)
