"""Road-race posts: required only while their segment of the course is closed.

A post on a course segment (``CourseSegment.post_ids``) keeps the rule of its kind (a fixed or
traffic post its minimum), except that a patrol post on a segment watches the segment's
spectators, shared among the segment's patrol posts, at the attendees-per-officer ratio plus the
reserve, and a rapid-response point holds its minimum plus the reserve (nobody on the road is
simulated, so there is no incident load to size units on). Either way the requirement holds only
in the slots that overlap the segment's closure, from its first runner less the margin to the
sweep plus the margin (``simulation.course``); before and after, the road is open and the post
needs nobody.
"""

from __future__ import annotations

from collections.abc import Sequence

from optimizer.domain.clock import Clock
from optimizer.domain.types import (
    Course,
    CourseSegment,
    EventPlan,
    Post,
    PostId,
    PostKind,
    Requirement,
    RiskTargets,
)
from optimizer.risk import post_targets
from optimizer.simulation.course import Closure, plan_closures, segment_active_slots
from optimizer.staffing.labels import people
from optimizer.staffing.posts import INACTIVE, active_slots, ceil_count, minimum_requirement


def segment_of_posts(course: Course) -> dict[PostId, CourseSegment]:
    """The segment each course post stands on."""
    return {post_id: segment for segment in course.segments for post_id in segment.post_ids}


def closure_text(plan: EventPlan, course: Course, segment: CourseSegment, closure: Closure) -> str:
    """``segment S2 (5-10 km) closed 07:45-09:40 (first runner 08:15 - 30 min, sweep ...)``."""
    at = Clock(plan.grid)
    return (
        f"segment {segment.id} ({segment.start_km:g}-{segment.end_km:g} km) closed"
        f" {at(closure.close_min)}-{at(closure.reopen_min)}"
        f" (first runner {at(closure.first_runner_min)}"
        f" - {course.margin_before_min:g} min, sweep {at(closure.sweep_min)}"
        f" + {course.margin_after_min:g} min)"
    )


def course_requirements(
    plan: EventPlan,
    targets: RiskTargets,
    requirements: Sequence[Requirement],
    replications: int,
    seed: int,
) -> tuple[tuple[Requirement, ...], tuple[Closure, ...]]:
    """``requirements`` with every course post limited to its segment's closure.

    Parameters
    ----------
    plan
        The event; without a course the requirements come back unchanged.
    targets
        The plan level's targets (each post's own apply: ``risk.post_targets``).
    requirements
        One per post, in plan order, from the rules of their kinds.
    replications, seed
        Fields of runners drawn to time the closures (``simulation.course.plan_closures``).

    Returns
    -------
    tuple
        The requirements, and the closures of the segments in course order.
    """
    course = plan.course
    if course is None:
        return tuple(requirements), ()
    found = plan_closures(course, replications, seed)
    by_segment = {c.segment: c for c in found}
    on_segment = segment_of_posts(course)
    posts = {p.id: p for p in plan.posts}
    out = []
    for requirement in requirements:
        segment = on_segment.get(requirement.post_id)
        if segment is None:
            out.append(requirement)
            continue
        post = posts[requirement.post_id]
        if post.kind is PostKind.PATROL:
            requirement = _spectator_patrol(plan, post, segment, targets)
        elif post.kind is PostKind.RAPID_RESPONSE:
            # Nobody is simulated on the road (runners and spectators are counted, not
            # simulated), so a course point holds its minimum plus the reserve.
            requirement = minimum_requirement(plan, post, targets)
        out.append(_within_closure(plan, course, segment, by_segment[segment.id], requirement))
    return tuple(out), found


def _spectator_patrol(
    plan: EventPlan, post: Post, segment: CourseSegment, targets: RiskTargets
) -> Requirement:
    """Patrol officers for the segment's spectators, shared among its patrol posts.

    ``targets`` are the plan level's; the post's own ratio and reserve apply.
    """
    targets = post_targets(plan, targets, post)
    ratio = post.attendees_per_officer or targets.attendees_per_officer
    sharing = sum(
        1
        for post_id in segment.post_ids
        if next(p for p in plan.posts if p.id == post_id).kind is PostKind.PATROL
    )
    mine = segment.spectators / max(sharing, 1)
    need = ceil_count(mine / ratio * (1 + targets.reserve_share)) if ratio > 0 else 0
    basis = (
        f"ratio 1:{ratio:g} on {people(mine)} spectators"
        + (f" of {people(segment.spectators)}" if sharing > 1 else "")
        + f" along {segment.id} (+{targets.reserve_share * 100:g}% reserve)"
    )
    if post.min_officers > need:
        count, reason = (
            post.min_officers,
            f"fixed minimum {post.min_officers} ({basis} gives {need})",
        )
    else:
        count, reason = need, basis
    active = set(active_slots(plan, post))
    n = plan.grid.n_slots
    return Requirement(
        post.id,
        post.officer_type,
        tuple(count if k in active else 0 for k in range(n)),
        tuple(reason if k in active else INACTIVE for k in range(n)),
    )


def _within_closure(
    plan: EventPlan,
    course: Course,
    segment: CourseSegment,
    closure: Closure,
    requirement: Requirement,
) -> Requirement:
    closed = set(segment_active_slots(closure, plan.grid))
    at = Clock(plan.grid)
    text = closure_text(plan, course, segment, closure)
    officers, reasons = [], []
    for slot, (count, reason) in enumerate(
        zip(requirement.officers, requirement.reasons, strict=True)
    ):
        if reason == INACTIVE:
            officers.append(0)
            reasons.append(INACTIVE)
        elif slot in closed:
            officers.append(count)
            reasons.append(f"{text}: {reason}")
        elif plan.grid.slot_start(slot) < closure.close_min:
            officers.append(0)
            reasons.append(
                f"segment {segment.id} open: closes {at(closure.close_min)},"
                f" {course.margin_before_min:g} min before its first runner"
            )
        else:
            officers.append(0)
            reasons.append(
                f"segment {segment.id} reopened {at(closure.reopen_min)},"
                f" {course.margin_after_min:g} min after the sweep"
            )
    return Requirement(
        requirement.post_id, requirement.officer_type, tuple(officers), tuple(reasons)
    )
