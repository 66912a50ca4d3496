"""How much an uncovered officer-slot at a post weighs when the pool is short.

The weight of a post is its kind's weight times its ring's, so a missing screener at a core-ring
gate (4 x 3 = 12) counts twelve times a missing traffic officer on the outer ring (1 x 1). The
order follows the risk each post answers for (DOMAIN_RESEARCH section 6 and the risk matrix of
``optimizer.risk``): screening and rapid response stop or answer an incident, command keeps the
operation led, fixed posts and patrols watch, traffic posts keep roads clear away from the crowd.

| post kind      | weight |   | ring  | weight |
|----------------|--------|---|-------|--------|
| screening      | 4      |   | core  | 3      |
| rapid response | 4      |   | inner | 2      |
| command        | 3      |   | outer | 1      |
| fixed          | 2      |   |       |        |
| patrol         | 2      |   |       |        |
| traffic        | 1      |   |       |        |

A requirement for a post the plan does not list weighs 1.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from optimizer.domain.types import EventPlan, PostKind, Requirement, Ring

KIND_WEIGHT: Mapping[PostKind, int] = {
    PostKind.SCREENING: 4,
    PostKind.RAPID_RESPONSE: 4,
    PostKind.COMMAND: 3,
    PostKind.FIXED: 2,
    PostKind.PATROL: 2,
    PostKind.TRAFFIC: 1,
}
RING_WEIGHT: Mapping[Ring, int] = {Ring.CORE: 3, Ring.INNER: 2, Ring.OUTER: 1}


def post_weights(plan: EventPlan, requirements: Sequence[Requirement]) -> tuple[int, ...]:
    """Shortfall weight of each requirement's post (see the module's table), in their order."""
    rings = {z.id: z.ring for z in plan.zones}
    posts = {p.id: p for p in plan.posts}
    weights = []
    for req in requirements:
        post = posts.get(req.post_id)
        if post is None:
            weights.append(1)
            continue
        ring = rings.get(post.zone_id)
        weights.append(KIND_WEIGHT[post.kind] * (RING_WEIGHT[ring] if ring is not None else 1))
    return tuple(weights)
