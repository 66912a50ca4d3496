"""The post rules of the labour rules, resolved for the posts of one requirement list.

The post assignment (``assign.py``) works on requirement indices, so the plan's rotation limit
(by post kind and risk level), minimum stint and zone-to-zone travel are looked up here once.
A requirement whose post the plan does not list has no zone (no travel to or from it) and no
rotation limit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from optimizer.domain.types import EventPlan, Minutes, Requirement, RiskLevel, ZoneId
from optimizer.risk import assess


@dataclass(frozen=True)
class PostRules:
    """Rotation, stint and travel rules per requirement, in the requirements' order.

    ``max_continuous_min[p]`` is the longest continuous time at post ``p`` (0: no limit);
    ``travel_min[p][q]`` the minutes from post ``p`` to post ``q``.
    """

    max_continuous_min: tuple[Minutes, ...]
    min_stint_min: Minutes
    travel_min: tuple[tuple[Minutes, ...], ...]

    @staticmethod
    def none(n_posts: int) -> PostRules:
        """No rotation limit, no minimum stint, no travel."""
        return PostRules((0,) * n_posts, 0, tuple((0,) * n_posts for _ in range(n_posts)))

    @property
    def any_travel(self) -> bool:
        return any(any(row) for row in self.travel_min)


def plan_risk_level(plan: EventPlan) -> RiskLevel:
    """The plan's risk level, derived from its hazards when it gives none."""
    return plan.risk.level if plan.risk.level is not None else assess(plan.risk).level


def post_rules(plan: EventPlan, requirements: Sequence[Requirement]) -> PostRules:
    """Resolve ``plan.labour``'s post rules for ``requirements``."""
    labour = plan.labour
    level = plan_risk_level(plan)
    posts = {p.id: p for p in plan.posts}
    limits = []
    zones: list[ZoneId | None] = []
    for req in requirements:
        post = posts.get(req.post_id)
        limits.append(0 if post is None else labour.max_continuous_for(post.kind, level))
        zones.append(None if post is None else post.zone_id)
    travel = tuple(
        tuple(0 if a is None or b is None else labour.travel_min(a, b) for b in zones)
        for a in zones
    )
    return PostRules(tuple(limits), labour.min_stint_min, travel)
