"""Store records for tests that need no solver: plans and results as plain JSON text."""

from __future__ import annotations

import json

from optimizer.store import RosterRecord


def plan_text(attendance: int, name: str = "event") -> str:
    """A plan document (the store only needs JSON); ``attendance`` tells versions apart."""
    return json.dumps({"name": name, "crowd": {"attendance": attendance}})


def result_text(tag: int, size: int = 0) -> str:
    """A result document whose content can be recomputed from ``tag`` (``size`` pads it)."""
    return json.dumps({"plan_name": f"r{tag}", "shifts": [{"officer_id": f"o{tag}"}] * size})


def record(
    tag: int,
    *,
    size: int = 0,
    origin: str = "plan",
    base_roster_id: int | None = None,
    replan_json: str | None = None,
) -> RosterRecord:
    """A roster record whose seed is ``tag``, so its result can be checked after a crash."""
    return RosterRecord(
        result_json=result_text(tag, size),
        status="optimal",
        headcount=tag % 50 + 1,
        lower_bound=tag % 50 + 1,
        gap=0.0,
        seed=tag,
        workers=1,
        time_limit_s=5.0,
        replications=3,
        versions=(("optimizer", "test"),),
        origin=origin,
        base_roster_id=base_roster_id,
        replan_json=replan_json,
    )
