"""Officers each post needs per slot, with the reason, once the lanes and crowd are known.

Every rule gives 0 officers and the reason "inactive" outside the post's active window; a slot is
active when it overlaps [active_start_min, active_end_min).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

from optimizer.domain.clock import Clock
from optimizer.domain.types import (
    EventPlan,
    ExitStats,
    GateId,
    Post,
    PostKind,
    Requirement,
    RiskTargets,
    ZoneSlotStats,
)
from optimizer.risk import post_targets, set_by, set_by_note
from optimizer.staffing.erlang import erlang_b
from optimizer.staffing.labels import people, quantile_label
from optimizer.staffing.lanes import CONFIDENCE, GateLanes
from optimizer.staffing.response import PointLoad, unit_officers, units_needed, walking_speed

INACTIVE = "inactive"

# Officer counts are ceilings of ratios; without the slack 2.0000000001 officers would become 3.
_CEIL_SLACK = 1e-9


def active_slots(plan: EventPlan, post: Post) -> range:
    return plan.grid.slots_in(post.active_start_min, post.active_end_min)


def ceil_count(value: float) -> int:
    return max(0, math.ceil(value - _CEIL_SLACK))


def screening_requirement(
    plan: EventPlan,
    post: Post,
    lanes: Mapping[GateId, GateLanes],
    targets: RiskTargets,
    replications: int,
) -> Requirement:
    """Officers for a share of its gate's lanes: lanes x ``gate.officers_per_lane``.

    Posts of one gate that are active in a slot split its lanes evenly; the first posts in plan
    order take the remainder. ``targets`` are the plan level's; the reason states the gate's own
    wait target (``risk.gate_targets``).
    """
    if post.gate_id is None:
        raise ValueError(f"Screening post {post.id} names no gate")
    gate = plan.gate(post.gate_id)
    gate_lanes = lanes[gate.id]
    targets = post_targets(plan, targets, post)
    label = quantile_label(targets.wait_quantile)
    source = set_by_note(
        set_by(plan, "wait_target_min", post=post), set_by(plan, "wait_quantile", post=post)
    )
    at = Clock(plan.grid)
    active = set(active_slots(plan, post))
    officers, reasons = [], []
    for slot in range(plan.grid.n_slots):
        if slot not in active:
            officers.append(0)
            reasons.append(INACTIVE)
            continue
        sharing = [
            p.id
            for p in plan.posts
            if p.kind is PostKind.SCREENING
            and p.gate_id == gate.id
            and slot in active_slots(plan, p)
        ]
        total = gate_lanes.lanes[slot]
        share, extra = divmod(total, len(sharing))
        mine = share + (1 if sharing.index(post.id) < extra else 0)
        officers.append(mine * gate.officers_per_lane)
        wait = gate_lanes.wait_quantile_min[slot]
        of_total = f"{mine} of {total} lanes at {gate.id}" if len(sharing) > 1 else _lanes(mine)
        if slot in gate_lanes.missed:
            missed = f"target missed ({label} wait {wait:.1f} min)"
            if gate_lanes.unscreened[slot]:
                missed = (
                    f"target missed ({label} wait {wait:.1f} min,"
                    f" {gate_lanes.unscreened[slot]} never screened over {replications} reps)"
                )
            if total >= gate.lanes:
                reasons.append(f"capped at {_lanes(gate.lanes)}: {missed}")
            else:
                reasons.append(f"{of_total}: {missed}")
        elif total == 0:
            reasons.append(f"0 lanes: nobody to screen at {gate.id}")
        else:
            # "gate G3, 17:15-17:30: 7 lanes x 2 officers hold P90 wait 3.2 <= 5.0 min (...)"
            start = plan.grid.slot_start(slot)
            when = f"{at(start)}-{at(start + plan.grid.slot_min)}"
            interval = [f"{replications} reps"]
            if gate_lanes.wait_ci_min:
                half = gate_lanes.wait_ci_min[slot]
                interval.insert(0, f"95% CI {max(0.0, wait - half):.1f}-{wait + half:.1f}")
            if gate_lanes.wait_upper_min:
                upper = gate_lanes.wait_upper_min[slot]
                interval.insert(1, f"{CONFIDENCE * 100:g}% upper bound {upper:.1f}")
            reason = (
                f"gate {gate.id}, {when}: {of_total} x {gate.officers_per_lane} officers hold"
                f" {label} wait {wait:.1f} <= {targets.wait_target_min:g} min{source}"
                f" ({', '.join(interval)}; simulated)"
            )
            if gate_lanes.unscreened[slot]:
                reason += (
                    f"; {gate_lanes.unscreened[slot]} arriving as the post ends never screened"
                    f" over {replications} reps"
                )
            reasons.append(reason)
    return Requirement(post.id, post.officer_type, tuple(officers), tuple(reasons))


def patrol_requirement(
    plan: EventPlan, post: Post, zone: ZoneSlotStats | None, targets: RiskTargets
) -> Requirement:
    """Officers for the zone's peak occupancy at the post's ratio, plus the reserve.

    The occupancy is split evenly among the zone's patrol posts active in the slot; the post's
    ``min_officers`` is a floor while it is active. Above the warning density the ratio tightens
    by ``density_scale``; the reason names the density and the threshold passed. ``targets`` are
    the plan level's; the post's own apply (``risk.post_targets``).
    """
    targets = post_targets(plan, targets, post)
    ratio = post.attendees_per_officer or targets.attendees_per_officer
    if ratio <= 0:
        raise ValueError(f"Patrol post {post.id} has no attendees-per-officer ratio")
    reserve = f"+{targets.reserve_share * 100:g}% reserve" + overridden(
        plan,
        post,
        ("attendees_per_officer", "density_warning", "density_critical", "patrol_density_factor")
        if not post.attendees_per_officer
        else ("density_warning", "density_critical", "patrol_density_factor"),
    )

    def rule(slot: int) -> tuple[int, str]:
        present = zone.occupancy_max[slot] if zone is not None else 0.0
        sharing = sum(
            1
            for p in plan.posts
            if p.kind is PostKind.PATROL
            and p.zone_id == post.zone_id
            and slot in active_slots(plan, p)
        )
        mine = present / sharing
        density = zone.density_max[slot] if zone is not None else 0.0
        scale = density_scale(density, targets)
        need = ceil_count(mine * scale / ratio * (1 + targets.reserve_share))
        on = f"{people(mine)} present in {post.zone_id}"
        if sharing > 1:
            on = f"{people(mine)} of {people(present)} present in {post.zone_id}"
        basis = f"ratio 1:{ratio:g} on {on} ({reserve})"
        if scale > 1:
            passed = "critical" if density >= targets.density_critical else "warning"
            basis = (
                f"ratio 1:{ratio / scale:.0f} (1:{ratio:g} x{scale:.2f} at {density:.2f}"
                f" persons/m2, above {passed} {_threshold(targets, passed):g}) on {on} ({reserve})"
            )
        if post.min_officers > need:
            return post.min_officers, f"fixed minimum {post.min_officers} ({basis} gives {need})"
        return need, basis

    return _per_active_slot(plan, post, rule)


def minimum_requirement(plan: EventPlan, post: Post, targets: RiskTargets) -> Requirement:
    """Rapid response: ``min_officers`` plus the reserve; fixed, traffic, command: the minimum.

    ``targets`` are the plan level's; the post's own reserve applies (``risk.post_targets``).
    """
    targets = post_targets(plan, targets, post)
    if post.kind is PostKind.RAPID_RESPONSE:
        count = ceil_count(post.min_officers * (1 + targets.reserve_share))
        reason = f"minimum {post.min_officers} +{targets.reserve_share * 100:g}% reserve"
        reason += overridden(plan, post, ())
    else:
        count, reason = post.min_officers, f"fixed minimum {post.min_officers}"
    return _per_active_slot(plan, post, lambda slot: (count, reason))


def density_scale(density: float, targets: RiskTargets) -> float:
    """Factor on patrol officers per attendee at ``density`` persons/m2.

    1 up to the warning density, rising linearly to ``patrol_density_factor`` at the critical
    density and staying there beyond; 1 throughout when the factor is 1 or less (off).
    """
    factor = targets.patrol_density_factor
    span = targets.density_critical - targets.density_warning
    if factor <= 1 or span <= 0 or density <= targets.density_warning:
        return 1.0
    return 1.0 + (factor - 1.0) * min(1.0, (density - targets.density_warning) / span)


def overridden(plan: EventPlan, post: Post, names: tuple[str, ...]) -> str:
    """``"; reserve_share of zone Z1, ..."`` for the ``names`` a zone, gate or post sets."""
    parts = [
        f"{name} of {source[2:-1]}"
        for name in (*names, "reserve_share")
        if (source := set_by(plan, name, post=post))
    ]
    return "; " + ", ".join(parts) if parts else ""


def _threshold(targets: RiskTargets, name: str) -> float:
    return targets.density_critical if name == "critical" else targets.density_warning


def response_requirement(
    plan: EventPlan, post: Post, load: PointLoad | None, targets: RiskTargets
) -> Requirement:
    """Rapid response: units that keep P(all busy) within target, at least the minimum, + reserve.

    Units come from Erlang B on the point's modified offered load (``staffing.response``); the
    reason states the load, the busy probability, and whether the walk at the slot's density is
    within the ring's response time. Without an incident rate, service time or busy target the
    minimum alone applies. ``targets`` are the plan level's; the post's own apply
    (``risk.post_targets``), and ``load`` already carries its covered zones' incident rates.
    """
    own = post_targets(plan, targets, post)
    if load is None or not load.incident_model or own.response_busy_max <= 0:
        return minimum_requirement(plan, post, targets)
    targets = own
    size = unit_officers(post, targets)
    reserve = f"+{targets.reserve_share * 100:g}% reserve" + overridden(
        plan, post, ("response_busy_max", "response_unit_officers")
    )

    def rule(slot: int) -> tuple[int, str]:
        offered = load.offered_load[slot]
        units = units_needed(offered, targets.response_busy_max)
        busy = erlang_b(units, offered) if offered > 0 else 0.0
        sized = units * size
        basis = (
            f"{units} x {size} officers keep P(all busy) = {busy:.3f}"
            f" <= {targets.response_busy_max:g} at {load.incidents_per_h[slot]:.2f} incidents/h"
            f" ({people(load.present[slot])} present at the peak + 95% margin,"
            f" MOL load {offered:.2f} erl)"
        )
        reach = _reach_text(load, slot)
        if post.min_officers > sized:
            officers = post.min_officers
            reason = f"minimum {post.min_officers} ({basis}); {reach}; {reserve}"
        else:
            officers = sized
            reason = f"{basis}; {reach}; {reserve}"
        return ceil_count(officers * (1 + targets.reserve_share)), reason

    return _per_active_slot(plan, post, rule)


def _reach_text(load: PointLoad, slot: int) -> str:
    walk = (
        f"reach {load.reach_m:.0f} m at {walking_speed(load.density[slot]):.2f} m/s"
        f" = {load.reach_min[slot]:.1f} min"
    )
    if load.target_min <= 0:
        return walk
    if load.reach_min[slot] <= load.target_min:
        return f"{walk} <= {load.target_min:g} min"
    return f"{walk} > {load.target_min:g} min: needs another point or a sterile corridor"


def at_exit(
    plan: EventPlan, post: Post, requirement: Requirement, exit_: ExitStats | None
) -> Requirement:
    """``requirement`` of a post stewarding an exit, kept only in slots the egress passes it.

    ``exit_`` is the simulated exit (None: nobody passes it); a slot with nobody passing needs no
    one, and a slot with passers keeps the post's own rule and says how many pass.
    """
    passing = exit_.passed_by_slot if exit_ is not None else ()
    officers, reasons = [], []
    for k, (count, why) in enumerate(zip(requirement.officers, requirement.reasons, strict=True)):
        flow = passing[k] if k < len(passing) else 0.0
        if count == 0:
            officers.append(0)
            reasons.append(why)
        elif flow <= 0:
            officers.append(0)
            reasons.append(f"nobody leaves through {post.exit_id}")
        else:
            officers.append(count)
            reasons.append(f"{people(flow)} leave through {post.exit_id}; {why}")
    return Requirement(post.id, requirement.officer_type, tuple(officers), tuple(reasons))


def _lanes(count: int) -> str:
    return f"{count} lane" if count == 1 else f"{count} lanes"


def _per_active_slot(
    plan: EventPlan, post: Post, rule: Callable[[int], tuple[int, str]]
) -> Requirement:
    active = set(active_slots(plan, post))
    cells = [rule(slot) if slot in active else (0, INACTIVE) for slot in range(plan.grid.n_slots)]
    return Requirement(
        post.id,
        post.officer_type,
        tuple(count for count, _ in cells),
        tuple(reason for _, reason in cells),
    )
