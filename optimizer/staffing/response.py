"""Rapid-response points: units sized by a loss model on the crowd's incidents, and their reach.

Incidents. They arrive as a Poisson process whose rate is proportional to the people present:
``incidents_per_10k_hours`` per 10,000 attendee-hours (``optimizer.risk``). A point answers an even
share of the incidents of every zone it covers (``Post.covers_zone_ids``; all zones when empty),
and the people present in a slot are the zone's peak occupancy in it (conservative). Each incident
holds one unit for ``incident_service_min``.

Units. A point is a loss system (an incident finding every unit busy is passed on, not queued), so
its units follow Erlang B: the fewest ``m`` with B(m, A) <= ``response_busy_max``. Service takes
tens of minutes, which is long against a 15-minute slot, so the offered load A is not the slot's
rate times the service time (SIPP) but the modified offered load (MOL, DOMAIN_RESEARCH.md 4.2):
the mean number busy in the infinite-server model, ``dA/dt = rate(t) - A / service``, which lags
the crowd on its way in and trails it on the way out. The rate is constant in a slot, so A moves
monotonically inside it and its largest value is at one of the slot's ends.

Reach. A unit walks from its point to the farthest place it must reach (``Post.reach_m``, or the
radius of a circle holding the point's share of its own zone's area). Walking speed falls with
crowd density (IMO table, below), taken at the highest density of the point's zone and the zones
it covers in the slot (the walk may cross any of them). The reach time must be within the
response target of the point's own ring (the 1-3-5 minute circles). More officers at a point do
not shorten the walk: a point that cannot reach in time needs another point or a sterile corridor,
and the reason and the verification say so.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from optimizer.domain.types import (
    EventPlan,
    Post,
    PostId,
    PostKind,
    Ring,
    RiskTargets,
    ZoneId,
    ZoneSlotStats,
)
from optimizer.staffing.erlang import erlang_b

FloatArray = npt.NDArray[np.float64]

# Walking speed (m/s) by crowd density (persons/m2): free walking 1.25 m/s (IMO tables give
# 1.2-1.3), 0.67 at 1.9, 0.20 at 3.2 and 0.10 at 3.5 or more (IMO table 1.1, DOMAIN_RESEARCH.md 5);
# linear in between. Where the fall starts, 0.5 persons/m2 (free flow), is a judgement.
SPEED_BY_DENSITY: tuple[tuple[float, float], ...] = (
    (0.0, 1.25),
    (0.5, 1.25),
    (1.9, 0.67),
    (3.2, 0.20),
    (3.5, 0.10),
)


@dataclass(frozen=True)
class PointLoad:
    """What one rapid-response point faces in each slot.

    ``present`` people it answers for, ``incidents_per_h`` their incident rate, ``offered_load``
    the MOL load in erlangs (largest in the slot), ``density`` the highest density its walk may
    cross, ``reach_min`` the walk at that density; ``reach_m`` and ``target_min`` are fixed.
    """

    post_id: PostId
    present: tuple[float, ...]
    incidents_per_h: tuple[float, ...]
    offered_load: tuple[float, ...]
    density: tuple[float, ...]
    reach_m: float
    reach_min: tuple[float, ...]
    target_min: float


def walking_speed(density: float) -> float:
    """Walking speed in m/s at ``density`` persons per m2 (``SPEED_BY_DENSITY``)."""
    xs = [d for d, _ in SPEED_BY_DENSITY]
    ys = [v for _, v in SPEED_BY_DENSITY]
    return float(np.interp(density, xs, ys))


def response_target_min(targets: RiskTargets, ring: Ring) -> float:
    """The response-time target of a point in a zone of ``ring`` (0: none)."""
    return {
        Ring.CORE: targets.response_core_min,
        Ring.INNER: targets.response_inner_min,
        Ring.OUTER: targets.response_outer_min,
    }[ring]


def required_points(targets: RiskTargets, attendance: int) -> int:
    """Fewest rapid-response points: the minimum, plus one per ``attendees_per_extra_point``."""
    extra = 0
    if targets.attendees_per_extra_point > 0:
        extra = int(attendance // targets.attendees_per_extra_point)
    return targets.min_response_points + extra


def unit_officers(post: Post, targets: RiskTargets) -> int:
    """Officers in one unit of ``post`` (at least 1)."""
    return max(1, post.officers_per_unit or targets.response_unit_officers or 1)


def units_needed(offered_load: float, busy_max: float) -> int:
    """Fewest units with Erlang B(units, load) <= ``busy_max`` (0 with no load or no target)."""
    if offered_load <= 0 or busy_max <= 0:
        return 0
    units = 1
    while erlang_b(units, offered_load) > busy_max:
        units += 1
    return units


def modified_offered_load(
    rates_per_min: Sequence[float], service_min: float, slot_min: float
) -> FloatArray:
    """Largest mean number busy in each slot of the infinite-server model, from empty.

    With the rate constant in a slot, ``A(t)`` relaxes exponentially towards ``rate * service``,
    so the slot's largest value is at its start or its end.
    """
    loads = np.zeros(len(rates_per_min))
    if service_min <= 0:
        return loads
    decay = math.exp(-slot_min / service_min)
    current = 0.0
    for k, rate in enumerate(rates_per_min):
        steady = rate * service_min
        end = steady + (current - steady) * decay
        loads[k] = max(current, end)
        current = end
    return loads


def point_loads(
    plan: EventPlan, targets: RiskTargets, zones: Mapping[ZoneId, ZoneSlotStats]
) -> dict[PostId, PointLoad]:
    """Load and reach of every rapid-response post in ``plan`` (see the module docstring).

    ``zones`` are the simulated zone statistics; a zone without them has nobody present.
    """
    n_slots = plan.grid.n_slots
    points = [p for p in plan.posts if p.kind is PostKind.RAPID_RESPONSE]
    all_zones = tuple(z.id for z in plan.zones)

    def covered(post: Post) -> tuple[ZoneId, ...]:
        return post.covers_zone_ids or all_zones

    sharing = {z: sum(1 for p in points if z in covered(p)) for z in all_zones}
    out: dict[PostId, PointLoad] = {}
    for post in points:
        present = np.zeros(n_slots)
        density = np.zeros(n_slots)
        walked = {*covered(post), post.zone_id}
        for zone_id in walked:
            stats = zones.get(zone_id)
            if stats is None:
                continue
            if zone_id in covered(post):
                present += np.asarray(stats.occupancy_max) / sharing[zone_id]
            density = np.maximum(density, np.asarray(stats.density_max))
        per_min = present * targets.incidents_per_10k_hours / 10_000 / 60
        load = modified_offered_load(
            [float(r) for r in per_min], targets.incident_service_min, plan.grid.slot_min
        )
        reach = _reach_m(plan, post, points)
        reach_min = tuple(reach / walking_speed(float(d)) / 60 for d in density)
        out[post.id] = PointLoad(
            post_id=post.id,
            present=tuple(float(v) for v in present),
            incidents_per_h=tuple(float(v) * 60 for v in per_min),
            offered_load=tuple(float(v) for v in load),
            density=tuple(float(v) for v in density),
            reach_m=reach,
            reach_min=reach_min,
            target_min=response_target_min(targets, plan.zone(post.zone_id).ring),
        )
    return out


def _reach_m(plan: EventPlan, post: Post, points: Sequence[Post]) -> float:
    """The post's reach, or the radius of its share of its own zone's area."""
    if post.reach_m > 0:
        return post.reach_m
    in_zone = sum(1 for p in points if p.zone_id == post.zone_id)
    area = plan.zone(post.zone_id).area_m2
    return math.sqrt(area / max(in_zone, 1) / math.pi) if area > 0 else 0.0
