"""Small event plans built straight from the domain dataclasses, for roster tests."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

from optimizer.domain.types import (
    CrowdForecast,
    EventPlan,
    LabourRules,
    ObjectiveTerm,
    Officer,
    OfficerPool,
    OfficerType,
    OfficerTypeId,
    Post,
    PostId,
    PostKind,
    Requirement,
    Ring,
    Risk,
    RiskLevel,
    Stint,
    Supply,
    TimeGrid,
    Zone,
    ZoneId,
)

PO = OfficerTypeId("public_order")
SP = OfficerTypeId("special_police")
TR = OfficerTypeId("traffic")


def without_post_rules(labour: LabourRules) -> LabourRules:
    """``labour`` with no rotation limit (a day at one post) and no minimum stint."""
    return dataclasses.replace(labour, max_continuous_post_min=24 * 60, min_stint_min=0)


def make_plan(
    posts: Mapping[str, OfficerTypeId],
    *,
    slot_min: int = 15,
    horizon_min: int = 480,
    types: Sequence[OfficerType] = (OfficerType(PO, "public order"),),
    supply: Sequence[Supply] = (),
    officers: Sequence[Officer] = (),
    labour: LabourRules | None = None,
    objective: tuple[ObjectiveTerm, ...] = (ObjectiveTerm.HEADCOUNT, ObjectiveTerm.OFFICER_HOURS),
    post_rules: bool = False,
) -> EventPlan:
    """A one-zone plan with fixed posts of the given types and the given pool.

    Unless ``post_rules``, the labour rules' rotation limit and minimum stint are switched off:
    the tests built on this factory check other things on plans of one or two posts, where
    rotation alone would decide the roster (``test_labour_rules.py`` tests the post rules).
    """
    zone = Zone(ZoneId("z"), "zone", Ring.CORE, 1000.0)
    labour = labour if labour is not None else LabourRules()
    if not post_rules:
        labour = without_post_rules(labour)
    return EventPlan(
        name="test",
        grid=TimeGrid(slot_min, horizon_min),
        zones=(zone,),
        gates=(),
        posts=tuple(
            Post(PostId(pid), PostKind.FIXED, zone.id, officer_type, 0, horizon_min)
            for pid, officer_type in posts.items()
        ),
        crowd=CrowdForecast(attendance=0, arrival_waves=()),
        risk=Risk(level=RiskLevel.LOW),
        pool=OfficerPool(types=tuple(types), supply=tuple(supply), officers=tuple(officers)),
        labour=labour,
        objective=objective,
    )


def requirement(post_id: str, officer_type: OfficerTypeId, officers: Sequence[int]) -> Requirement:
    return Requirement(PostId(post_id), officer_type, tuple(officers), ("test",) * len(officers))


def flat(n_slots: int, value: int, start: int = 0, end: int | None = None) -> list[int]:
    """``value`` officers in slots [start, end), none elsewhere."""
    stop = n_slots if end is None else end
    return [value if start <= s < stop else 0 for s in range(n_slots)]


def stint(post_id: str, start_min: int, end_min: int) -> Stint:
    return Stint(PostId(post_id), start_min, end_min)


# A requirements-only plan file (as a dict): two route kilometres of a road race.
ROUTE: dict[str, Any] = {
    "name": "route section",
    "time_grid": {"slot_min": 15, "horizon_min": 600},
    "zones": [{"id": "km5", "ring": "RING_OUTER"}, {"id": "km10", "ring": "RING_OUTER"}],
    "posts": [
        {
            "id": "km5_barrier",
            "kind": "POST_KIND_FIXED",
            "zone_id": "km5",
            "officer_type": "public_order",
        },
        {
            "id": "km5_junction",
            "kind": "POST_KIND_TRAFFIC",
            "zone_id": "km5",
            "officer_type": "traffic",
        },
        {
            "id": "km10_barrier",
            "kind": "POST_KIND_FIXED",
            "zone_id": "km10",
            "officer_type": "public_order",
            "active_start_min": 60,
            "active_end_min": 540,
        },
    ],
    "requirements": [
        # The road closes ahead of the lead runners and reopens after the sweep vehicle.
        {
            "post_id": "km5_barrier",
            "runs": [
                {"start_min": 0, "end_min": 300, "officers": 4},
                {"start_min": 60, "end_min": 120, "officers": 2},
            ],
        },
        {"post_id": "km5_junction", "runs": [{"start_min": 0, "end_min": 330, "officers": 3}]},
        {"post_id": "km10_barrier", "runs": [{"start_min": 90, "end_min": 420, "officers": 5}]},
    ],
    "risk": {"level": "RISK_LEVEL_MEDIUM"},
    "pool": {
        "types": [
            {"id": "public_order"},
            {"id": "traffic"},
            {"id": "special_police", "can_cover": ["public_order"]},
        ],
        "supply": [
            {"officer_type": "public_order", "count": 40},
            {"officer_type": "traffic", "count": 10},
            {"officer_type": "special_police", "count": 10},
        ],
    },
}
