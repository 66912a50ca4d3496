"""Check a roster against the risk targets by re-simulating the event with it on duty.

Independent of the roster solver: it sees only the shifts, counts officers per post and slot the
way every stage does (``domain.coverage``), opens the lanes those officers can staff and simulates
the crowd again with fresh random numbers, so the requirements are not judged on the very draws
they were fitted to.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

from optimizer.domain.coverage import officers_by_post
from optimizer.domain.types import (
    EventPlan,
    GateId,
    PostId,
    PostKind,
    Requirement,
    RiskTargets,
    Shift,
    SimulationResult,
    TargetCheck,
    Zone,
)
from optimizer.simulation import SimulationRun, simulate_detailed
from optimizer.staffing.labels import people, quantile_label
from optimizer.staffing.posts import active_slots

FloatArray = npt.NDArray[np.float64]

# Spawn key of the verification stream under the caller's seed.
VERIFY_STREAM = 0x766572
# Slots named in a check's detail before "and N more".
MAX_LISTED = 4


def verify(
    plan: EventPlan,
    targets: RiskTargets,
    shifts: Sequence[Shift],
    requirements: Sequence[Requirement],
    replications: int,
    seed: int,
    *,
    workers: int = 1,
) -> tuple[tuple[TargetCheck, ...], SimulationResult]:
    """Re-simulate the event with the roster's officers and check every risk target.

    Lanes open at a gate in a slot are ``min(gate.lanes, sum of officers // officers_per_lane)``
    over its screening posts; a gate without screening posts has all its lanes open, as in the
    requirements. The simulation uses ``verification_seed(seed)``, never ``seed`` itself.

    Returns
    -------
    tuple
        The checks: a screening wait per gate, a patrol ratio per zone with patrol posts, a
        density per zone with an area, and "minimum posts" for every non-screening post; then the
        verification simulation.
    """
    on_post = officers_by_post(shifts, plan.grid)
    lanes = rostered_lanes(plan, on_post)
    run = simulate_detailed(
        plan, targets, lanes, replications, verification_seed(seed), workers=workers
    )
    checks = [
        *screening_checks(plan, targets, run),
        *patrol_checks(plan, targets, run, on_post),
        *density_checks(plan, targets, run),
        minimum_posts_check(plan, requirements, on_post),
    ]
    return tuple(checks), run.result


def verification_seed(seed: int) -> int:
    """A seed in [0, 2**31) for verification, independent of the stream ``seed`` itself gives."""
    state = np.random.SeedSequence(seed, spawn_key=(VERIFY_STREAM,)).generate_state(1)
    return int(state[0]) >> 1


def rostered_lanes(
    plan: EventPlan, on_post: Mapping[PostId, Sequence[int]]
) -> dict[GateId, list[int]]:
    """Lanes the rostered officers can staff at each gate and slot."""
    n_slots = plan.grid.n_slots
    lanes = {}
    for gate in plan.gates:
        posts = [p for p in plan.posts if p.kind is PostKind.SCREENING and p.gate_id == gate.id]
        if not posts or gate.officers_per_lane <= 0:
            lanes[gate.id] = [gate.lanes] * n_slots
            continue
        staffed = [
            sum(on_post.get(p.id, [0] * n_slots)[slot] // gate.officers_per_lane for p in posts)
            for slot in range(n_slots)
        ]
        lanes[gate.id] = [min(gate.lanes, n) for n in staffed]
    return lanes


def screening_checks(
    plan: EventPlan, targets: RiskTargets, run: SimulationRun
) -> list[TargetCheck]:
    """Per gate: every slot's pooled quantile wait within the target.

    Attendees left queueing when the lanes close count as infinite waits, so they fail a slot
    only when there are more of them than the quantile allows; the detail counts them anyway.
    """
    label = quantile_label(targets.wait_quantile)
    checks = []
    for stats in run.result.gates:
        waits = stats.wait_quantile_min
        missed = [k for k, w in enumerate(waits) if w > targets.wait_target_min]
        worst = max(waits, default=0.0)
        if missed:
            detail = "missed in " + _slot_list(
                plan, [(k, f"{label} {waits[k]:.1f} min") for k in missed]
            )
        else:
            detail = f"every slot within target; {max(stats.lanes_open, default=0)} lanes at most"
        runs = run.gate_runs[stats.gate_id]
        never = sum(int((~np.isfinite(r.wait_min)).sum()) for r in runs) / len(runs)
        if never:
            # Within the quantile, so allowed, but a planner should know and extend the post.
            detail += f"; {never:,.1f} per replication never screened (lanes closed on a queue)"
        checks.append(
            TargetCheck(
                name=f"screening wait {stats.gate_id}",
                target=f"{label} wait <= {targets.wait_target_min:.1f} min",
                value=worst,
                unit="min",
                met=not missed,
                replications_met=stats.replications_met,
                detail=detail,
            )
        )
    return checks


def patrol_checks(
    plan: EventPlan,
    targets: RiskTargets,
    run: SimulationRun,
    on_post: Mapping[PostId, Sequence[int]],
) -> list[TargetCheck]:
    """Per zone with patrol posts: attendees per rostered patrol officer within the ratio.

    Only slots in which one of the zone's patrol posts is active count. With several posts the
    zone's ratio is the harmonic mean of theirs, which is what splitting the crowd evenly among
    them, as the requirements do, amounts to. No officer with people present is ``inf``.
    """
    n_slots = plan.grid.n_slots
    checks = []
    for zone in plan.zones:
        posts = [p for p in plan.posts if p.kind is PostKind.PATROL and p.zone_id == zone.id]
        if not posts:
            continue
        ratios = [p.attendees_per_officer or targets.attendees_per_officer for p in posts]
        ratio = len(ratios) / sum(1 / r for r in ratios)
        slots = sorted({k for p in posts for k in active_slots(plan, p)})
        officers = np.array(
            [sum(on_post.get(p.id, [0] * n_slots)[k] for p in posts) for k in slots], dtype=float
        )
        by_rep = run.occupancy_max_by_rep[zone.id][:, slots]
        per_officer = _per_officer(by_rep, officers)
        worst_by_slot = _per_officer(by_rep.max(axis=0), officers)
        missed = [k for k, v in zip(slots, worst_by_slot, strict=True) if v > ratio]
        value = float(worst_by_slot.max(initial=0.0))
        if missed:
            detail = "above the ratio in " + _slot_list(
                plan, [(k, _present(run, zone, k, officers[slots.index(k)])) for k in missed]
            )
        else:
            detail = f"{people(value)} per officer at worst"
        checks.append(
            TargetCheck(
                name=f"patrol ratio {zone.id}",
                target=f"<= {ratio:g} attendees per patrol officer",
                value=value,
                unit="attendees/officer",
                met=not missed,
                replications_met=float((per_officer <= ratio).all(axis=1).mean()),
                detail=detail,
            )
        )
    return checks


def density_checks(plan: EventPlan, targets: RiskTargets, run: SimulationRun) -> list[TargetCheck]:
    """Per zone with an area: peak density below critical; slots above warning are named."""
    checks = []
    for zone in plan.zones:
        if zone.area_m2 <= 0:
            continue
        density = run.result.zone(zone.id).density_max
        value = max(density, default=0.0)
        warned = [k for k, d in enumerate(density) if d > targets.density_warning]
        if warned:
            detail = f"above warning {targets.density_warning:g} persons/m2 in " + _slot_list(
                plan, [(k, f"{density[k]:.2f}") for k in warned]
            )
        else:
            detail = f"never above warning {targets.density_warning:g} persons/m2"
        by_rep = run.occupancy_max_by_rep[zone.id] / zone.area_m2
        checks.append(
            TargetCheck(
                name=f"density {zone.id}",
                target=f"< {targets.density_critical:g} persons/m2",
                value=value,
                unit="persons/m2",
                met=value < targets.density_critical,
                replications_met=float((by_rep < targets.density_critical).all(axis=1).mean()),
                detail=detail,
            )
        )
    return checks


def minimum_posts_check(
    plan: EventPlan,
    requirements: Sequence[Requirement],
    on_post: Mapping[PostId, Sequence[int]],
) -> TargetCheck:
    """Every non-screening post has at least its required officers in every active slot."""
    n_slots = plan.grid.n_slots
    required = {r.post_id: r for r in requirements}
    short_posts = []
    short_slots = 0
    for post in plan.posts:
        if post.kind is PostKind.SCREENING or post.id not in required:
            continue
        rostered = on_post.get(post.id, [0] * n_slots)
        need = required[post.id].officers
        short = [k for k in active_slots(plan, post) if rostered[k] < need[k]]
        if short:
            short_slots += len(short)
            slots = "1 slot" if len(short) == 1 else f"{len(short)} slots"
            short_posts.append(f"{post.id} short in {slots} from {_when(plan, short[0])}")
    if short_posts:
        detail = "; ".join(short_posts[:MAX_LISTED])
        if len(short_posts) > MAX_LISTED:
            detail += f"; and {len(short_posts) - MAX_LISTED} more posts"
    else:
        detail = "every non-screening post covered"
    return TargetCheck(
        name="minimum posts",
        target="every non-screening post at its requirement in every active slot",
        value=float(short_slots),
        unit="post-slots short",
        met=short_slots == 0,
        replications_met=1.0 if short_slots == 0 else 0.0,
        detail=detail,
    )


def _per_officer(present: FloatArray, officers: FloatArray) -> FloatArray:
    """Attendees per officer; ``inf`` where people are present and nobody is on duty."""
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(officers > 0, present / np.maximum(officers, 1), np.inf)
    return np.where(present > 0, ratio, 0.0)


def _present(run: SimulationRun, zone: Zone, slot: int, officers: float) -> str:
    occupancy = run.result.zone(zone.id).occupancy_max[slot]
    return f"{people(occupancy)} present, {officers:.0f} officers"


def _slot_list(plan: EventPlan, items: Sequence[tuple[int, str]]) -> str:
    """``"14:30 (7.2 min), 14:45 (6.1 min) and 3 more slots"`` from (slot, what) pairs."""
    shown = [f"{_when(plan, k)} ({what})" for k, what in items[:MAX_LISTED]]
    if len(items) > MAX_LISTED:
        shown.append(f"and {len(items) - MAX_LISTED} more slots")
    return ", ".join(shown)


def _when(plan: EventPlan, slot: int) -> str:
    """Start of ``slot`` as wall-clock time when the plan has a start time, else as +H:MM."""
    minute = plan.grid.slot_start(slot)
    try:
        start = dt.datetime.fromisoformat(plan.grid.start_time)
    except ValueError:
        return f"+{minute // 60}:{minute % 60:02d}"
    return (start + dt.timedelta(minutes=minute)).strftime("%H:%M")
