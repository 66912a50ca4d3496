"""Small plans for re-plan tests, built from the domain dataclasses (no simulation)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

from optimizer.domain.types import (
    BreakRule,
    CrowdForecast,
    EventPlan,
    LabourRules,
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
    Roster,
    RunOptions,
    Supply,
    TimeGrid,
    Zone,
    ZoneId,
)
from optimizer.roster import solve_roster

PO = OfficerTypeId("public_order")
SP = OfficerTypeId("special_police")
OPTIONS = RunOptions(time_limit_s=10.0)

# 2-4 h shifts on the hour, a 30-minute break 60-90 minutes in from 3 h on; 30-minute slots;
# no rotation limit or minimum stint (the rules would decide everything on one or two posts).
LABOUR = LabourRules(
    min_shift_min=120,
    max_shift_min=240,
    shift_step_min=60,
    start_step_min=60,
    break_rules=(BreakRule(180, 30),),
    break_window_start_min=60,
    break_window_end_min=90,
    max_continuous_post_min=24 * 60,
    min_stint_min=0,
)


def make_plan(
    posts: Mapping[str, OfficerTypeId],
    *,
    slot_min: int = 30,
    horizon_min: int = 360,
    types: Sequence[OfficerType] = (OfficerType(PO, "public order"),),
    supply: Sequence[Supply] = (),
    officers: Sequence[Officer] = (),
    labour: LabourRules = LABOUR,
    start_time: str = "2026-05-16T08:00:00+08:00",
) -> EventPlan:
    """A one-zone plan with fixed posts of the given types and the given pool."""
    zone = Zone(ZoneId("z"), "zone", Ring.CORE, 1000.0)
    return EventPlan(
        name="replan test",
        grid=TimeGrid(slot_min, horizon_min, start_time),
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
    )


def requirement(post_id: str, officer_type: OfficerTypeId, officers: Sequence[int]) -> Requirement:
    return Requirement(PostId(post_id), officer_type, tuple(officers), ("test",) * len(officers))


def with_supply(plan: EventPlan, supply: Sequence[Supply]) -> EventPlan:
    return dataclasses.replace(plan, pool=dataclasses.replace(plan.pool, supply=tuple(supply)))


def publish(plan: EventPlan, requirements: Sequence[Requirement]) -> Roster:
    """The roster a plain plan run gives: what the tests treat as published."""
    return solve_roster(plan, requirements, OPTIONS)
