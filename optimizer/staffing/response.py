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

Confidence margin. Verification judges a point on the largest peak of a fresh set of
replications, so units sized on the largest peak of the requirement's own set would fail it about
half the time in slots at the edge of a unit. The units are therefore sized on the peaks raised
by a prediction margin (``with_margin``): with s the spread of the replications' peaks, the
difference between the largest of R replications and the largest of R fresh ones has standard
deviation about sqrt(2) * d_R * s, d_R being the standard deviation of the largest of R standard
normals, and the margin is the one-sided 95% Student t quantile with R - 1 degrees of freedom
(s is itself estimated) times that: about 1.6 s with R = 8, or 1-2% of the crowd at a stadium,
and 7.4 s with R = 2, as the lanes' bound is wide with few replications. On 32 generated match
days (``benchmarks/sweeps/families.yaml``: 6,000 and 12,000 spectators, 40 or 80 % late, medium
or high risk, seeds 0-3; 8 replications; requirements covered exactly and re-simulated for
verification) 3 missed "response units" without a margin, 1 with the normal quantile 1.645 in
place of t, and none with this margin.

Reach. A unit walks from its point to the farthest place it must reach (``Post.reach_m``, or the
radius of a circle holding the point's share of its own zone's area). Walking speed falls with
crowd density (IMO table, below), taken at the highest density of the point's zone and the zones
it covers in the slot (the walk may cross any of them). The reach time must be within the
response target of the point's own ring (the 1-3-5 minute circles). More officers at a point do
not shorten the walk: a point that cannot reach in time needs another point or a sterile corridor,
and the reason and the verification say so.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

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
from optimizer.risk import post_targets, zone_targets
from optimizer.simulation.stats import t_quantile
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
    # Whether an incident rate and service time apply to some zone it covers (else no units).
    incident_model: bool = True


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

    ``targets`` are the plan level's. Each covered zone's incidents come at that zone's rate and
    hold a unit for its service time (``risk.zone_targets``), unless the post sets its own, which
    then applies to every zone it covers; the loads of zones add (infinite-server loads do), and
    zones with one service time share one MOL curve, so a single service time gives the MOL of
    the summed rate exactly. The response-time target is the post's own for its zone's ring.
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
        own = post_targets(plan, targets, post)
        present = np.zeros(n_slots)
        density = np.zeros(n_slots)
        per_min = np.zeros(n_slots)
        # Incident rate per minute by service time: one MOL curve per service time.
        by_service: dict[float, FloatArray] = {}
        walked = {*covered(post), post.zone_id}
        for zone_id in sorted(walked):
            stats = zones.get(zone_id)
            if stats is None:
                continue
            if zone_id in covered(post):
                mine = np.asarray(stats.occupancy_max) / sharing[zone_id]
                present += mine
                rate, service = _incidents(post, zone_targets(plan, targets, zone_id))
                if rate > 0 and service > 0:
                    zone_per_min = mine * rate / 10_000 / 60
                    per_min += zone_per_min
                    by_service[service] = by_service.get(service, np.zeros(n_slots)) + zone_per_min
            density = np.maximum(density, np.asarray(stats.density_max))
        load = np.zeros(n_slots)
        for service, rates in sorted(by_service.items()):
            load += modified_offered_load([float(r) for r in rates], service, plan.grid.slot_min)
        modelled = any(
            min(_incidents(post, zone_targets(plan, targets, z))) > 0 for z in covered(post)
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
            target_min=response_target_min(own, plan.zone(post.zone_id).ring),
            incident_model=modelled,
        )
    return out


def with_margin(stats: ZoneSlotStats, replications: int) -> ZoneSlotStats:
    """``stats`` with each slot's largest peak raised by the prediction margin (module docstring).

    Density is left as simulated: the margin is for the incident load, and the walk is judged on
    the simulated crowd, as verification judges it. With fewer than two replications, or without
    the peaks' confidence half-widths, ``stats`` itself.

    Parameters
    ----------
    stats
        A zone's statistics over ``replications``; ``occupancy_peak_ci`` is the 95% half-width
        of the mean peak, from which the replications' spread is recovered.
    replications
        How many replications ``stats`` summarise.
    """
    if replications < 2 or not stats.occupancy_peak_ci:
        return stats
    factor = (
        t_quantile(0.95, replications - 1)
        * math.sqrt(2.0)
        * largest_normal_sd(replications)
        * math.sqrt(replications)
        / t_quantile(0.975, replications - 1)
    )
    raised = tuple(
        peak + (half * factor if math.isfinite(half) else 0.0)
        for peak, half in zip(stats.occupancy_max, stats.occupancy_peak_ci, strict=True)
    )
    return replace(stats, occupancy_max=raised)


@functools.cache
def largest_normal_sd(count: int) -> float:
    """Standard deviation of the largest of ``count`` independent standard normals.

    By quadrature of its density ``count * phi(x) * Phi(x) ** (count - 1)`` (1 for one draw;
    about 0.61 for eight).
    """
    x = np.linspace(-10.0, 10.0, 40_001)
    phi = np.exp(-(x**2) / 2) / math.sqrt(2 * math.pi)
    cdf = 0.5 * (1 + np.array([math.erf(v / math.sqrt(2)) for v in x]))
    density = count * phi * cdf ** (count - 1)
    step = float(x[1] - x[0])
    mean = float((x * density).sum() * step)
    second = float((x**2 * density).sum() * step)
    return math.sqrt(max(0.0, second - mean**2))


def _incidents(post: Post, zone: RiskTargets) -> tuple[float, float]:
    """Incident rate per 10,000 attendee-hours and service minutes for ``post`` in a zone.

    The post's own settings win over the zone's (a point may know it faces a rowdier crowd).
    """
    rate, service = post.targets.incidents_per_10k_hours, post.targets.incident_service_min
    return (
        zone.incidents_per_10k_hours if rate is None else rate,
        zone.incident_service_min if service is None else service,
    )


def _reach_m(plan: EventPlan, post: Post, points: Sequence[Post]) -> float:
    """The post's reach, or the radius of its share of its own zone's area."""
    if post.reach_m > 0:
        return post.reach_m
    in_zone = sum(1 for p in points if p.zone_id == post.zone_id)
    area = plan.zone(post.zone_id).area_m2
    return math.sqrt(area / max(in_zone, 1) / math.pi) if area > 0 else 0.0
