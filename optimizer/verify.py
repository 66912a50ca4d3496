"""Check a roster against the risk targets by re-simulating the event with it on duty.

Independent of the roster solver: it sees only the shifts, counts officers per post and slot the
way every stage does (``domain.coverage``), opens the lanes those officers can staff and simulates
the crowd again with fresh random numbers, so the requirements are not judged on the very draws
they were fitted to.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from optimizer.domain.clock import Clock
from optimizer.domain.coverage import officers_by_post
from optimizer.domain.types import (
    EventPlan,
    GateId,
    Post,
    PostId,
    PostKind,
    Requirement,
    RiskTargets,
    Shift,
    SimulationResult,
    TargetCheck,
    Zone,
    ZoneId,
    ZoneSlotStats,
)
from optimizer.risk import gate_targets, post_targets, set_by, set_by_note, zone_targets
from optimizer.simulation import SimulationRun, simulate_detailed
from optimizer.simulation.course import (
    COURSE_STREAM,
    closed_in_order,
    closures,
    draw_runners,
    segment_active_slots,
)
from optimizer.simulation.stats import ci_half_width
from optimizer.staffing.erlang import erlang_b
from optimizer.staffing.labels import people, quantile_label
from optimizer.staffing.posts import active_slots, density_scale
from optimizer.staffing.response import PointLoad, point_loads, required_points, unit_officers

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
    stop_event: threading.Event | None = None,
    on_replication: Callable[[int, int], None] | None = None,
) -> tuple[tuple[TargetCheck, ...], SimulationResult]:
    """Re-simulate the event with the roster's officers and check every risk target.

    Lanes open at a gate in a slot are ``min(gate.lanes, sum of officers // officers_per_lane)``
    over its screening posts; a gate without screening posts has all its lanes open, as in the
    requirements. The simulation uses ``verification_seed(seed)``, never ``seed`` itself.

    Returns
    -------
    tuple
        The checks: a screening wait per gate, a patrol ratio per zone with patrol posts, a
        density per zone with an area, the rapid-response points (their number, the units per
        point, their reach; see ``response_checks``), and "minimum posts" for every non-screening
        post; then the verification simulation.
    """
    on_post = officers_by_post(shifts, plan.grid)
    lanes = rostered_lanes(plan, on_post)
    run = simulate_detailed(
        plan,
        targets,
        lanes,
        replications,
        verification_seed(seed),
        workers=workers,
        stop_event=stop_event,
        on_replication=on_replication,
    )
    checks = [
        *screening_checks(plan, targets, run),
        *patrol_checks(plan, targets, run, on_post),
        *density_checks(plan, targets, run),
        *egress_checks(plan, run),
        *response_checks(plan, targets, run, on_post),
        minimum_posts_check(plan, requirements, on_post),
    ]
    if plan.course is not None:
        checks.append(course_check(plan, requirements, on_post, replications, seed))
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
    """Per gate: every slot's pooled quantile wait within the gate's own target.

    ``targets`` are the plan level's; each gate is held to its own (``risk.gate_targets``) and
    the check's target names it, with the zone or gate that set it. Attendees left queueing when
    the lanes close count as infinite waits, so they fail a slot only when there are more of them
    than the quantile allows; the detail counts them anyway.
    """
    checks = []
    for stats in run.result.gates:
        gate = plan.gate(stats.gate_id)
        own = gate_targets(plan, targets, gate)
        label = quantile_label(own.wait_quantile)
        waits = stats.wait_quantile_min
        missed = [k for k, w in enumerate(waits) if w > own.wait_target_min]
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
        if sum(stats.spilled_mean):
            detail += (
                f"; {sum(stats.spilled_mean):,.1f} per replication went on to"
                f" {plan.gate(stats.gate_id).spill_to} (queue at its spill-over threshold)"
            )
        worst_slot = max(range(len(waits)), key=lambda k: waits[k], default=0)
        ci = stats.wait_quantile_ci_min[worst_slot] if stats.wait_quantile_ci_min else 0.0
        if waits and math.isfinite(worst) and ci > 0:
            detail += (
                f"; worst slot {_when(plan, worst_slot)}: {label} {worst:.1f} min"
                f" (95% CI {max(0.0, worst - ci):.1f}-{worst + ci:.1f})"
            )
        at_bound = None
        if stats.wait_quantile_ci_min and run.result.replications > 1:
            upper = np.asarray(waits) + np.asarray(stats.wait_quantile_ci_min)
            at_bound = bool((upper <= own.wait_target_min).all())
        checks.append(
            TargetCheck(
                name=f"screening wait {stats.gate_id}",
                target=f"{label} wait <= {own.wait_target_min:.1f} min"
                + set_by_note(
                    set_by(plan, "wait_target_min", gate=gate),
                    set_by(plan, "wait_quantile", gate=gate),
                ),
                value=worst,
                unit="min",
                met=not missed,
                replications_met=stats.replications_met,
                detail=detail + _bound_text(at_bound, not missed),
                value_ci=ci,
                met_at_bound=at_bound,
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
    them, as the requirements do, amounts to. No officer with people present is ``inf``. Above
    the warning density each attendee counts ``density_scale`` times (the ratio tightens as in the
    requirements), so the value is attendees per officer weighted by density. Each post's own
    targets apply (``risk.post_targets``): in a slot, an attendee counts the mean over the active
    posts of ``ratio * scale_p / ratio_p``, which is ``scale`` when the posts agree and in general
    makes "value <= ratio" the same as "officers >= what the posts' own rules ask".
    """
    n_slots = plan.grid.n_slots
    checks = []
    for zone in plan.zones:
        posts = [p for p in plan.posts if p.kind is PostKind.PATROL and p.zone_id == zone.id]
        if not posts:
            continue
        own = [post_targets(plan, targets, p) for p in posts]
        ratios = [
            p.attendees_per_officer or t.attendees_per_officer
            for p, t in zip(posts, own, strict=True)
        ]
        ratio = len(ratios) / sum(1 / r for r in ratios)
        slots = sorted({k for p in posts for k in active_slots(plan, p)})
        officers = np.array(
            [sum(on_post.get(p.id, [0] * n_slots)[k] for p in posts) for k in slots], dtype=float
        )
        by_rep = run.occupancy_max_by_rep[zone.id][:, slots]
        by_rep = by_rep * _patrol_weights(plan, zone, posts, own, ratio, ratios, by_rep, slots)
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
        bound = _mean_bound(plan, per_officer, slots, ratio, people)
        checks.append(
            TargetCheck(
                name=f"patrol ratio {zone.id}",
                target=f"<= {ratio:g} attendees per patrol officer"
                + _scaled_note(own)
                + set_by_note(
                    *(
                        set_by(plan, name, post=p)
                        for p in posts
                        for name in ("attendees_per_officer", "patrol_density_factor")
                    )
                ),
                value=value,
                unit="attendees/officer",
                met=not missed,
                replications_met=float((per_officer <= ratio).all(axis=1).mean()),
                detail=detail + bound.text + _bound_text(bound.met, not missed),
                value_ci=bound.ci,
                met_at_bound=bound.met,
            )
        )
    return checks


def density_checks(plan: EventPlan, targets: RiskTargets, run: SimulationRun) -> list[TargetCheck]:
    """Per zone with an area: peak density below critical; slots above warning are named.

    Each zone is held to its own thresholds (``risk.zone_targets``), named in the target.
    """
    checks = []
    for zone in plan.zones:
        if zone.area_m2 <= 0:
            continue
        own = zone_targets(plan, targets, zone.id)
        source = set_by_note(set_by(plan, "density_critical", zone_id=zone.id))
        density = run.result.zone(zone.id).density_max
        value = max(density, default=0.0)
        warned = [k for k, d in enumerate(density) if d > own.density_warning]
        if warned:
            detail = f"above warning {own.density_warning:g} persons/m2 in " + _slot_list(
                plan, [(k, f"{density[k]:.2f}") for k in warned]
            )
        else:
            detail = f"never above warning {own.density_warning:g} persons/m2"
        by_rep = run.occupancy_max_by_rep[zone.id] / zone.area_m2
        critical = own.density_critical
        slots = range(plan.grid.n_slots)
        bound = _mean_bound(plan, by_rep, slots, critical, "{:.2f}".format, strict=True)
        checks.append(
            TargetCheck(
                name=f"density {zone.id}",
                target=f"< {own.density_critical:g} persons/m2{source}",
                value=value,
                unit="persons/m2",
                met=value < own.density_critical,
                replications_met=float((by_rep < own.density_critical).all(axis=1).mean()),
                detail=detail + bound.text + _bound_text(bound.met, value < critical),
                value_ci=bound.ci,
                met_at_bound=bound.met,
            )
        )
    return checks


def egress_checks(plan: EventPlan, run: SimulationRun) -> list[TargetCheck]:
    """Per zone with exits: it can empty within ``plan.egress_target_min``, and nobody waits
    longer than that at its exits in the simulated egress.

    The first is the Green Guide's design check: the zone's largest peak (worst replication)
    through all its exits at their flow; its interval is that of the mean peak. The second comes
    from the queues at the exits in the simulation (``simulation.exits``). ``replications_met``
    judges each replication by its own peak and waits.
    """
    checks = []
    target = plan.egress_target_min
    for zone in plan.zones:
        exits = [e for e in plan.exits if e.zone_id == zone.id]
        if not exits:
            continue
        capacity = sum(e.capacity_per_min for e in exits)
        peaks = run.occupancy_max_by_rep[zone.id].max(axis=1)
        emptying = peaks / capacity
        value = float(emptying.max(initial=0.0))
        waits = run.exit_wait_max_by_rep.get(zone.id, np.zeros(len(peaks)))
        longest = float(waits.max(initial=0.0))
        stats = [x for x in run.result.exits if x.zone_id == zone.id]
        p90 = max((x.wait_quantile_min for x in stats), default=0.0)
        last = max((x.last_out_min for x in stats), default=0.0)
        width = sum(e.width_m for e in exits)
        detail = (
            f"peak {people(float(peaks.max(initial=0.0)))} through {len(exits)} exits of"
            f" {width:g} m ({capacity:,.0f} persons/min) in {value:.1f} min; simulated egress:"
            f" P90 wait at an exit {p90:.1f} min, longest {longest:.1f} min, last out"
            f" {Clock(plan.grid)(round(last))}"
        )
        met = value <= target and longest <= target
        ci, at_bound, interval = 0.0, None, ""
        if len(emptying) > 1:
            mean = float(emptying.mean())
            ci = float(ci_half_width(emptying.reshape(-1, 1))[0])
            at_bound = mean + ci <= target
            interval = (
                f"; emptying, mean over replications {mean:.1f} min"
                f" (95% CI {max(0.0, mean - ci):.1f}-{mean + ci:.1f})"
            )
        checks.append(
            TargetCheck(
                name=f"egress {zone.id}",
                target=f"empties within {target:g} min through its exits; no exit wait longer",
                value=value,
                unit="min",
                met=met,
                replications_met=float(((emptying <= target) & (waits <= target)).mean()),
                detail=detail + interval + _bound_text(at_bound, met),
                value_ci=ci,
                met_at_bound=at_bound,
            )
        )
    return checks


def response_checks(
    plan: EventPlan,
    targets: RiskTargets,
    run: SimulationRun,
    on_post: Mapping[PostId, Sequence[int]],
) -> list[TargetCheck]:
    """Rapid response against the crowd of the verification run (``staffing.response``).

    - "response points": at least ``required_points`` rapid-response posts active in every slot
      with people present in a zone;
    - "response units <post>" per point: with the rostered officers less the reserve, in units,
      P(all units busy) by Erlang B on the point's offered load within ``response_busy_max`` in
      every active slot;
    - "response reach": every point's walk, at the density of the slot, within its ring's target.

    A check is left out when its targets are off (0). ``targets`` are the plan level's (the
    number of points); each point is held to its own busy target, unit size and reserve, and its
    zone's response time (``risk.post_targets``). ``replications_met`` judges each replication by
    its own zone peaks.
    """
    zones = {z.zone_id: z for z in run.result.zones}
    by_rep = [_zones_of_rep(plan, run, r) for r in range(run.result.replications)]
    checks = []
    points = [p for p in plan.posts if p.kind is PostKind.RAPID_RESPONSE]
    needed = required_points(targets, plan.crowd.attendance)
    if needed > 0:
        checks.append(_points_check(plan, points, needed, zones, by_rep))
    loads = point_loads(plan, targets, zones)
    loads_by_rep = [point_loads(plan, targets, z) for z in by_rep]
    for post in points:
        own = post_targets(plan, targets, post)
        if loads[post.id].incident_model and own.response_busy_max > 0:
            rostered = on_post.get(post.id, [0] * plan.grid.n_slots)
            checks.append(_units_check(plan, own, post, rostered, loads, loads_by_rep))
    timed = [p for p in points if loads[p.id].target_min > 0]
    if timed:
        checks.append(_reach_check(plan, timed, loads, loads_by_rep))
    return checks


def _units_check(
    plan: EventPlan,
    targets: RiskTargets,
    post: Post,
    rostered: Sequence[int],
    loads: Mapping[PostId, PointLoad],
    loads_by_rep: Sequence[Mapping[PostId, PointLoad]],
) -> TargetCheck:
    """P(all units of ``post`` busy) in its active slots with the rostered units (less reserve).

    ``targets`` are the post's own (``risk.post_targets``).
    """
    slots = list(active_slots(plan, post))
    size = unit_officers(post, targets)
    units = {k: int(rostered[k] / (1 + targets.reserve_share) + 1e-9) // size for k in slots}

    def busy(load: PointLoad, k: int) -> float:
        offered = load.offered_load[k]
        return erlang_b(units[k], offered) if offered > 0 else 0.0

    load = loads[post.id]
    worst = max(slots, key=lambda k: busy(load, k), default=None)
    value = busy(load, worst) if worst is not None else 0.0
    held = [
        all(busy(rep[post.id], k) <= targets.response_busy_max for k in slots)
        for rep in loads_by_rep
    ]
    busy_max = targets.response_busy_max
    bound = _mean_bound(
        plan,
        np.array([[busy(rep[post.id], k) for k in slots] for rep in loads_by_rep]),
        slots,
        busy_max,
        "{:.3f}".format,
    )
    detail = "no active slot"
    if worst is not None:
        detail = (
            f"worst {_when(plan, worst)}: {units[worst]} units of {size} for"
            f" {load.incidents_per_h[worst]:.2f} incidents/h"
            f" (MOL load {load.offered_load[worst]:.2f} erl)"
        )
    return TargetCheck(
        name=f"response units {post.id}",
        target=f"P(all units busy) <= {targets.response_busy_max:g}"
        + set_by_note(set_by(plan, "response_busy_max", post=post)),
        value=value,
        unit="probability",
        met=value <= targets.response_busy_max,
        replications_met=float(np.mean(held)) if held else 1.0,
        detail=detail + bound.text + _bound_text(bound.met, value <= busy_max),
        value_ci=bound.ci,
        met_at_bound=bound.met,
    )


def _zones_of_rep(plan: EventPlan, run: SimulationRun, rep: int) -> dict[ZoneId, ZoneSlotStats]:
    """Zone statistics of one replication: its own peaks (means are not kept per replication)."""
    out = {}
    for stats in run.result.zones:
        peak = run.occupancy_max_by_rep[stats.zone_id][rep]
        area = plan.zone(stats.zone_id).area_m2
        density = peak / area if area > 0 else np.zeros_like(peak)
        out[stats.zone_id] = replace(
            stats,
            occupancy_max=tuple(float(v) for v in peak),
            density_max=tuple(float(v) for v in density),
        )
    return out


def _points_check(
    plan: EventPlan,
    points: Sequence[Post],
    needed: int,
    zones: Mapping[ZoneId, ZoneSlotStats],
    by_rep: Sequence[Mapping[ZoneId, ZoneSlotStats]],
) -> TargetCheck:
    active = [
        sum(1 for p in points if k in active_slots(plan, p)) for k in range(plan.grid.n_slots)
    ]

    def fewest(stats: Mapping[ZoneId, ZoneSlotStats]) -> int:
        crowded = [
            k
            for k in range(plan.grid.n_slots)
            if any(z.occupancy_max[k] > 0 for z in stats.values())
        ]
        return min((active[k] for k in crowded), default=needed)

    value = fewest(zones)
    short = [
        k
        for k in range(plan.grid.n_slots)
        if active[k] < needed and any(z.occupancy_max[k] > 0 for z in zones.values())
    ]
    detail = f"at least {value} active while people are present"
    if short:
        detail = "too few in " + _slot_list(plan, [(k, f"{active[k]} active") for k in short])
    return TargetCheck(
        name="response points",
        target=f">= {needed} rapid-response points while people are present",
        value=float(value),
        unit="points",
        met=value >= needed,
        replications_met=float(np.mean([fewest(z) >= needed for z in by_rep])),
        detail=detail,
    )


def _reach_check(
    plan: EventPlan,
    points: Sequence[Post],
    loads: Mapping[PostId, PointLoad],
    loads_by_rep: Sequence[Mapping[PostId, PointLoad]],
) -> TargetCheck:
    def excess(load: PointLoad, post: Post) -> float:
        """Worst reach over the target in the post's active slots (<= 0 when within)."""
        return max(
            (load.reach_min[k] - load.target_min for k in active_slots(plan, post)),
            default=-math.inf,
        )

    worst = max(points, key=lambda p: excess(loads[p.id], p))
    late = [p for p in points if excess(loads[p.id], p) > 0]
    load = loads[worst.id]
    reach = max((load.reach_min[k] for k in active_slots(plan, worst)), default=0.0)
    if late:
        detail = "too slow: " + ", ".join(
            f"{p.id} {loads[p.id].target_min + excess(loads[p.id], p):.1f} of"
            f" {loads[p.id].target_min:g} min"
            for p in late[:MAX_LISTED]
        )
    else:
        detail = (
            f"slowest {worst.id}: {reach:.1f} of {load.target_min:g} min ({load.reach_m:.0f} m)"
        )
    held = [all(excess(rep[p.id], p) <= 0 for p in points) for rep in loads_by_rep]
    return TargetCheck(
        name="response reach",
        target="every point reaches its area within its ring's response time",
        value=reach,
        unit="min",
        met=not late,
        replications_met=float(np.mean(held)) if held else 1.0,
        detail=detail,
    )


def course_check(
    plan: EventPlan,
    requirements: Sequence[Requirement],
    on_post: Mapping[PostId, Sequence[int]],
    replications: int,
    seed: int,
) -> TargetCheck:
    """Segments close and reopen in course order, and their posts are staffed while closed.

    Each replication draws a fresh field of runners (stream ``COURSE_STREAM`` under the
    verification seed, not the requirements' seed) and times the closures again; it holds when
    the segments close and reopen in order along the course and every post on a segment has at
    least its required strength (its largest requirement) in every slot of the fresh closure
    within its active window. ``value`` is the number of segments short in some replication.
    """
    course = plan.course
    if course is None:
        raise ValueError("the plan has no course")
    n_slots = plan.grid.n_slots
    need = {r.post_id: max(r.officers, default=0) for r in requirements}
    posts = {p.id: p for p in plan.posts}
    held: list[bool] = []
    short: dict[str, str] = {}
    out_of_order = 0
    last: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
    base = verification_seed(seed)
    for rep in range(max(1, replications)):
        sequence = np.random.SeedSequence(base, spawn_key=(COURSE_STREAM, rep))
        found = closures(course, draw_runners(course, np.random.default_rng(sequence)))
        ok = closed_in_order(found)
        out_of_order += 0 if ok else 1
        for segment, closure in zip(course.segments, found, strict=True):
            closed = set(segment_active_slots(closure, plan.grid))
            for post_id in segment.post_ids:
                rostered = on_post.get(post_id, [0] * n_slots)
                window = closed & set(active_slots(plan, posts[post_id]))
                gaps = sorted(k for k in window if rostered[k] < need.get(post_id, 0))
                if gaps:
                    ok = False
                    short.setdefault(segment.id, f"{post_id} short from {_when(plan, gaps[0])}")
        held.append(ok)
        last = (found[0].close_min, found[-1].close_min, found[0].reopen_min, found[-1].reopen_min)
    at = Clock(plan.grid)
    detail = (
        f"{len(course.segments)} segments close {at(last[0])}-{at(last[1])} and"
        f" reopen {at(last[2])}-{at(last[3])}, in order along the course"
        f" over {len(held)} fresh fields of runners"
    )
    if out_of_order:
        detail = f"closures out of course order in {out_of_order} of {len(held)} fields; " + detail
    if short:
        listed = [f"{seg}: {what}" for seg, what in list(short.items())[:MAX_LISTED]]
        if len(short) > MAX_LISTED:
            listed.append(f"and {len(short) - MAX_LISTED} more segments")
        detail = "; ".join(listed) + "; " + detail
    return TargetCheck(
        name="course closures",
        target="segments close and reopen in course order; posts staffed while closed",
        value=float(len(short)),
        unit="segments short",
        met=all(held),
        replications_met=float(np.mean(held)),
        detail=detail,
    )


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


def _density_scales(present: FloatArray, zone: Zone, targets: RiskTargets) -> FloatArray:
    """``density_scale`` of each entry of ``present`` (people in ``zone``); 1 without an area."""
    if zone.area_m2 <= 0:
        return np.ones_like(present)
    scale = np.vectorize(lambda people_: density_scale(people_ / zone.area_m2, targets))
    scales: FloatArray = scale(present).astype(np.float64)
    return scales


@dataclass(frozen=True)
class _Bound:
    """A check's statistic as a mean over replications with its 95% confidence interval.

    ``ci`` is the half-width at the slot whose upper end is worst, ``met`` whether every slot's
    upper end holds the target (None with fewer than two replications), ``text`` a detail part.
    """

    ci: float
    met: bool | None
    text: str


def _mean_bound(
    plan: EventPlan,
    by_rep: FloatArray,
    slots: Sequence[int],
    limit: float,
    show: Callable[[float], str],
    *,
    strict: bool = False,
) -> _Bound:
    """The mean over replications of ``by_rep`` (replications x ``slots``, lower is better), its
    upper 95% confidence bound per slot, and whether every bound is within ``limit`` (below it
    when ``strict``).

    The checks' values are the worst replication (a conservative statistic, kept as it was);
    the bound says how far the mean may be from the target given the replications' spread.
    """
    if by_rep.ndim != 2 or by_rep.shape[0] < 2 or by_rep.shape[1] == 0:
        return _Bound(0.0, None, "")
    mean = by_rep.mean(axis=0)
    half = ci_half_width(by_rep)
    upper = mean + half
    j = int(np.argmax(upper))
    held = bool(np.all(upper < limit if strict else upper <= limit))
    ci = float(half[j])
    if not math.isfinite(ci):
        return _Bound(ci, False, f"; {_when(plan, slots[j])} unbounded over the replications")
    text = (
        f"; mean over replications {show(float(mean[j]))} at {_when(plan, slots[j])}"
        f" (95% CI {show(max(0.0, float(mean[j]) - ci))}-{show(float(upper[j]))})"
    )
    return _Bound(ci, held, text)


def _bound_text(at_bound: bool | None, met: bool) -> str:
    """What the confidence bound adds to a met target."""
    if at_bound is None or not met:
        return ""
    if at_bound:
        return "; met at the 95% confidence bound"
    return "; met, but not at the 95% confidence bound: more replications would settle it"


def _patrol_weights(
    plan: EventPlan,
    zone: Zone,
    posts: Sequence[Post],
    own: Sequence[RiskTargets],
    ratio: float,
    ratios: Sequence[float],
    present: FloatArray,
    slots: Sequence[int],
) -> FloatArray:
    """How many times each attendee in ``present`` (replications x ``slots``) counts.

    The mean over the posts active in the slot of ``ratio * density_scale_p / ratio_p`` (see
    ``patrol_checks``).
    """
    weights = np.ones_like(present)
    for j, k in enumerate(slots):
        terms = [
            _density_scales(present[:, j], zone, t) * ratio / r
            for p, t, r in zip(posts, own, ratios, strict=True)
            if k in active_slots(plan, p)
        ]
        if terms:
            weights[:, j] = np.mean(terms, axis=0)
    return weights


def _scaled_note(own: Sequence[RiskTargets]) -> str:
    """How the ratio tightens with density, when the posts' targets make it tighten."""
    rules = {(t.patrol_density_factor, t.density_warning, t.density_critical) for t in own}
    if all(factor <= 1 for factor, _, _ in rules):
        return ""
    if len(rules) > 1:
        return ", tightening with density by each post's own thresholds"
    factor, warning, critical = rules.pop()
    return f", tightening to 1/{factor:g} of it from {warning:g} to {critical:g} persons/m2"


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
    """Start of ``slot`` as the planner reads it (with the date on multi-day plans)."""
    return Clock(plan.grid)(plan.grid.slot_start(slot))
