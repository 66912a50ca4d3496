"""Write ``examples/marathon.yaml``: a city marathon as a requirements-only plan.

Run: ``python benchmarks/make_marathon.py [--out examples/marathon.yaml]``.

The course is 42 km with four runner waves starting 07:30 to 08:15. Each kilometre has two
barrier posts and a crossing (public order) and a junction (traffic); every 5 km a rapid-response
point (special police); start and finish areas have their own posts and a command post runs all
day. A kilometre's road is closed from an hour before the lead runners reach it until half an hour
after the sweep vehicle has passed, so the closures follow the runners along the course; while it
is closed a post needs its base strength, and more while the main pack passes (a bump that widens
with distance as the field spreads). Figures are judgement sized to the research defaults:
120 officers per km at medium risk and up to 200 at high risk (DOMAIN_RESEARCH.md section 6), so
about 5,000 officers on duty at the peak. The plan is generated, not hand-written, so it is
reproducible: same script, same file.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SLOT_MIN = 15
HORIZON_MIN = 17 * 60  # 05:00 to 22:00
COURSE_KM = 42
WAVE_STARTS_MIN = (150, 165, 180, 195)  # 07:30 to 08:15
LEAD_PACE_MIN_PER_KM = 3.0
PACK_PACE_MIN_PER_KM = 6.0
SWEEP_PACE_MIN_PER_KM = 9.5
SECTION_KM = 5


def _slot_floor(minute: float) -> int:
    return max(0, min(HORIZON_MIN, int(minute // SLOT_MIN) * SLOT_MIN))


def _slot_ceil(minute: float) -> int:
    return max(0, min(HORIZON_MIN, -(-int(math.ceil(minute)) // SLOT_MIN) * SLOT_MIN))


def _runs(curve: list[int]) -> list[tuple[int, int, int]]:
    """(start_min, end_min, officers) for runs of equal, non-zero counts in a per-slot curve."""
    runs: list[tuple[int, int, int]] = []
    for slot, officers in enumerate(curve):
        start = slot * SLOT_MIN
        if officers and runs and runs[-1][1] == start and runs[-1][2] == officers:
            runs[-1] = (runs[-1][0], start + SLOT_MIN, officers)
        elif officers:
            runs.append((start, start + SLOT_MIN, officers))
    return runs


def _curve(
    open_min: int, close_min: int, base: int, bump: int, peak: float, sd: float
) -> list[int]:
    """``base`` officers while open, plus a Gaussian bump of height ``bump`` around ``peak``."""
    curve = []
    for slot in range(HORIZON_MIN // SLOT_MIN):
        mid = slot * SLOT_MIN + SLOT_MIN / 2
        if not open_min <= slot * SLOT_MIN < close_min:
            curve.append(0)
            continue
        extra = bump * math.exp(-0.5 * ((mid - peak) / sd) ** 2) if sd > 0 else 0.0
        curve.append(base + math.ceil(extra - 0.5))
    return curve


def _posts() -> Iterator[tuple[str, str, str, str, list[int]]]:
    """(post id, kind, zone id, officer type, per-slot curve) for every post of the event."""
    lead0, pack0, sweep0 = WAVE_STARTS_MIN[0], sum(WAVE_STARTS_MIN) / 4, WAVE_STARTS_MIN[-1]
    for km in range(COURSE_KM):
        mid_km = km + 0.5
        lead = lead0 + LEAD_PACE_MIN_PER_KM * mid_km
        pack = pack0 + PACK_PACE_MIN_PER_KM * mid_km
        sweep = sweep0 + SWEEP_PACE_MIN_PER_KM * (km + 1)
        closed, reopened = _slot_floor(lead - 60), _slot_ceil(sweep + 30)
        spread = 20 + 1.2 * km  # the field stretches out with distance
        zone = f"route_{km // SECTION_KM * SECTION_KM:02d}"
        # Barriers on both sides hold the crowd back; a few more while the pack passes.
        for side in ("left", "right"):
            curve = _curve(closed, reopened, 36 + km % 3, 20, pack, spread)
            yield f"km{km:02d}_barrier_{side}", "POST_KIND_FIXED", zone, "public_order", curve
        curve = _curve(closed, reopened, 22, 12, pack, spread)
        yield f"km{km:02d}_crossing", "POST_KIND_FIXED", zone, "public_order", curve
        # Diversions go up half an hour before the closure and come down after it.
        curve = _curve(
            max(0, closed - 30), min(HORIZON_MIN, reopened + 30), 18 + km % 4, 0, 0.0, 0.0
        )
        yield f"km{km:02d}_junction", "POST_KIND_TRAFFIC", zone, "traffic", curve
    for km in range(0, COURSE_KM, SECTION_KM):
        lead = lead0 + LEAD_PACE_MIN_PER_KM * km
        sweep = sweep0 + SWEEP_PACE_MIN_PER_KM * min(COURSE_KM, km + SECTION_KM)
        curve = _curve(_slot_floor(lead - 90), _slot_ceil(sweep + 30), 24, 0, 0.0, 0.0)
        yield (
            f"response_km{km:02d}",
            "POST_KIND_RAPID_RESPONSE",
            f"route_{km:02d}",
            ("special_police"),
            curve,
        )
    # Start area: runners gather from 05:30, the last wave leaves at 08:15.
    for i in range(8):
        curve = _curve(30, 255, 20, 25, 135, 40)
        yield f"start_pen_{i + 1}", "POST_KIND_FIXED", "start", "public_order", curve
    for i in range(3):
        curve = _curve(0, 300, 16, 0, 0.0, 0.0)
        yield f"start_traffic_{i + 1}", "POST_KIND_TRAFFIC", "start", "traffic", curve
    yield (
        "start_response",
        "POST_KIND_RAPID_RESPONSE",
        "start",
        "special_police",
        _curve(30, 300, 30, 0, 0.0, 0.0),
    )
    # Finish area: from the lead runners' arrival to the sweep, then the crowd disperses.
    finish_lead = lead0 + LEAD_PACE_MIN_PER_KM * COURSE_KM
    finish_pack = pack0 + PACK_PACE_MIN_PER_KM * COURSE_KM
    finish_sweep = sweep0 + SWEEP_PACE_MIN_PER_KM * COURSE_KM
    for i in range(10):
        curve = _curve(
            _slot_floor(finish_lead - 90), _slot_ceil(finish_sweep + 90), 30, 30, finish_pack, 60
        )
        yield f"finish_area_{i + 1}", "POST_KIND_FIXED", "finish", "public_order", curve
    for i in range(4):
        curve = _curve(_slot_floor(finish_lead - 90), _slot_ceil(finish_sweep + 150), 18, 0, 0, 0)
        yield f"finish_traffic_{i + 1}", "POST_KIND_TRAFFIC", "finish", "traffic", curve
    yield (
        "finish_response",
        "POST_KIND_RAPID_RESPONSE",
        "finish",
        "special_police",
        _curve(_slot_floor(finish_lead - 90), _slot_ceil(finish_sweep + 90), 40, 0, 0.0, 0.0),
    )
    # The evening: the runners' party in the finish park until 22:00.
    for i in range(4):
        curve = _curve(_slot_floor(finish_sweep + 60), HORIZON_MIN, 25, 15, 900, 45)
        yield f"party_{i + 1}", "POST_KIND_FIXED", "finish", "public_order", curve
    yield (
        "command",
        "POST_KIND_COMMAND",
        "finish",
        "command",
        _curve(0, HORIZON_MIN, 12, 0, 0.0, 0.0),
    )


def render() -> str:
    posts = list(_posts())
    zones = sorted({zone for _, _, zone, _, _ in posts})
    peak = max(sum(c[s] for *_, c in posts) for s in range(HORIZON_MIN // SLOT_MIN))
    by_type: dict[str, list[int]] = {}
    for _, _, _, officer_type, curve in posts:
        row = by_type.setdefault(officer_type, [0] * len(curve))
        for s, n in enumerate(curve):
            row[s] += n
    lines = [
        f"# City marathon: 42 km, four runner waves, {peak:,} officers needed at the peak.",
        "# GENERATED by benchmarks/make_marathon.py; edit the script, not this file.",
        "#",
        "# A requirements-only plan: every post's requirement is given below (`requirements`)",
        "# instead of simulated, so no gates or crowd forecast are needed. Each kilometre's road",
        "# closes an hour before the lead runners and reopens half an hour after the sweep",
        f"# vehicle; {len(posts)} posts, peak requirement {peak} officers at once.",
        "# Minute 0 is 05:00; the horizon ends at 22:00.",
        'name: "City marathon: 42 km, requirements given per post"',
        "",
        "time_grid:",
        '  start_time: "2026-10-18T05:00:00+08:00"',
        f"  slot_min: {SLOT_MIN}",
        f"  horizon_min: {HORIZON_MIN}",
        "",
        "zones:",
    ]
    for zone in zones:
        ring = "RING_CORE" if zone in ("start", "finish") else "RING_OUTER"
        lines.append(f"  - {{id: {zone}, ring: {ring}}}")
    lines += ["", "posts:"]
    for post_id, kind, zone, officer_type, _ in posts:
        lines.append(
            f"  - {{id: {post_id}, kind: {kind}, zone_id: {zone}, officer_type: {officer_type}}}"
        )
    lines += ["", "requirements:"]
    for post_id, _, _, _, curve in posts:
        lines.append(f"  - post_id: {post_id}")
        lines.append("    runs:")
        for start, end, officers in _runs(curve):
            lines.append(f"      - {{start_min: {start}, end_min: {end}, officers: {officers}}}")
    # The pool: a third above each type's peak (special police also stand in for public order),
    # a quarter of it only from 11:00, as relief forces arrive.
    lines += [
        "",
        "risk:",
        "  level: RISK_LEVEL_HIGH",
        "",
        "pool:",
        "  types:",
        "    - {id: public_order, name: Public order police}",
        "    - {id: special_police, name: Special police, can_cover: [public_order]}",
        "    - {id: traffic, name: Traffic police}",
        "    - {id: command, name: Command officers}",
        "  supply:",
    ]
    for officer_type in ("public_order", "special_police", "traffic", "command"):
        # Command posts run all 17 hours, longer than any shift: they need two reliefs.
        factor = 2.5 if officer_type == "command" else 1.35
        total = math.ceil(factor * max(by_type[officer_type])) + 5
        late = total // 4
        lines.append(f"    - {{officer_type: {officer_type}, count: {total - late}}}")
        lines.append(
            f"    - {{officer_type: {officer_type}, count: {late}, available_start_min: 360}}"
        )
    lines += [
        "",
        "labour:",
        "  # High risk: shifts of 4 to 12 hours in whole hours (DOMAIN_RESEARCH.md section 6).",
        "  min_shift_min: 240",
        "  max_shift_min: 720",
        "  shift_step_min: 60",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "examples" / "marathon.yaml")
    args = parser.parse_args()
    args.out.write_text(render(), encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
