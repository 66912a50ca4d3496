"""Tiny plan files for store, CLI and service round trips: requirements given, so no crowd is
simulated and the solver proves its roster in well under a second."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

# Run options that keep a round trip fast; the seed is fixed so reruns give the same roster.
FAST = ["--time-limit", "5", "--replications", "1", "--quiet"]


def tiny_plan(door: int = 2, desk: int = 1, name: str = "Tiny", pool: int = 10) -> dict[str, Any]:
    """Two posts in one hall: ``door`` officers all day, ``desk`` officers 10:00-14:00."""
    return {
        "name": name,
        "time_grid": {
            "start_time": "2026-05-16T08:00:00+08:00",
            "slot_min": 30,
            "horizon_min": 480,
        },
        "zones": [{"id": "hall", "name": "Hall", "ring": "RING_CORE", "area_m2": 1000}],
        "posts": [
            {"id": "door", "kind": "POST_KIND_FIXED", "zone_id": "hall", "officer_type": "guard"},
            {"id": "desk", "kind": "POST_KIND_FIXED", "zone_id": "hall", "officer_type": "guard"},
        ],
        "requirements": [
            {"post_id": "door", "runs": [{"start_min": 0, "end_min": 480, "officers": door}]},
            {"post_id": "desk", "runs": [{"start_min": 120, "end_min": 360, "officers": desk}]},
        ],
        "risk": {"level": "RISK_LEVEL_LOW"},
        "pool": {
            "types": [{"id": "guard", "name": "Guard"}],
            "supply": [{"officer_type": "guard", "count": pool}],
        },
        "labour": {"min_shift_min": 240, "max_shift_min": 480, "shift_step_min": 60},
    }


def write_plan(path: Path, **changes: Any) -> Path:
    path.write_text(yaml.safe_dump(tiny_plan(**changes)), encoding="utf-8")
    return path
