"""Risk: a matrix of hazards (likelihood x impact) gives the event's level; the level gives targets.

Defaults and their sources are in the research notes (DOMAIN_RESEARCH section 6):
- wait targets: P90 queue time outside the perimeter, 15 / 10 / 5 min (Mercedes-Benz Stadium's
  5-minute goal anchors the high level; the rest is judgement);
- patrol ratio: one mobile officer per 250 / 150 / 100 attendees (SGSA 1:250, NFPA/IFC 1:250,
  Queensland 1:100);
- static crowd density warning / critical: 2.0/3.5, 2.0/3.3, 1.7/3.0 persons per m2 (queueing LOS D
  starts at 1.7 and E at 3.3; Still: critical about 4);
- reserve share of patrol and rapid-response force: 10 / 15 / 20 %;
- rapid response (``optimizer.staffing.response``):
  - incidents needing a unit, 2 / 3 / 5 per 10,000 attendee-hours, each holding the unit 15 / 20 /
    25 min: judgement. No police incident rate for events was found; the order of magnitude
    follows mass-gathering medical studies (about 0.5-2 patients per 1,000 attendees over an
    event of some hours, i.e. 1-7 per 10,000 attendee-hours), raised with the risk level;
  - P(every unit of a point busy) at most 0.20 / 0.10 / 0.05: judgement;
  - response targets core / inner / outer ring 5/5/5, 3/3/5, 1/3/5 min: the Chinese 1-3-5 minute
    rapid-response circles (Wuhan, Tianjin) and Hohhot's 3 minutes, mapped to levels by judgement;
  - at least 1 / 1 / 5 points: five from the project's source reports for major events (no outside
    source for the number); the research's "+1 point per 10,000 (medium) or 5,000 (high)
    attendees" is a judgement left to the plan (attendees_per_extra_point, 0 = off);
  - two officers per unit, the smallest team that may intervene: judgement;
- patrols: officers per attendee doubled at critical density, rising linearly from the warning
  density (``patrol_density_factor`` 2): judgement, so that a crowd nearing the critical density,
  where the Green Guide and Still ask for active crowd management, gets twice the eyes.

Zones, gates and posts may set their own targets (``TargetOverrides``): the plan level's targets
(defaults with the plan's overrides) pass to each zone, a zone's to its gates and posts, and each
field a zone, gate or post sets replaces the inherited one (``zone_targets``, ``gate_targets``,
``post_targets``). The response-point count is plan-wide, and a wait target belongs to gates
(set on a zone, it applies to the zone's gates): validation rejects those fields elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from optimizer.domain.types import (
    EventPlan,
    Gate,
    Post,
    PostKind,
    Risk,
    RiskLevel,
    RiskTargets,
    TargetOverrides,
)

DEFAULT_TARGETS: dict[RiskLevel, RiskTargets] = {
    RiskLevel.LOW: RiskTargets(
        wait_target_min=15.0,
        wait_quantile=0.9,
        attendees_per_officer=250.0,
        density_warning=2.0,
        density_critical=3.5,
        reserve_share=0.10,
        incidents_per_10k_hours=2.0,
        incident_service_min=15.0,
        response_busy_max=0.20,
        response_core_min=5.0,
        response_inner_min=5.0,
        response_outer_min=5.0,
        min_response_points=1,
        response_unit_officers=2,
        patrol_density_factor=2.0,
    ),
    RiskLevel.MEDIUM: RiskTargets(
        wait_target_min=10.0,
        wait_quantile=0.9,
        attendees_per_officer=150.0,
        density_warning=2.0,
        density_critical=3.3,
        reserve_share=0.15,
        incidents_per_10k_hours=3.0,
        incident_service_min=20.0,
        response_busy_max=0.10,
        response_core_min=3.0,
        response_inner_min=3.0,
        response_outer_min=5.0,
        min_response_points=1,
        response_unit_officers=2,
        patrol_density_factor=2.0,
    ),
    RiskLevel.HIGH: RiskTargets(
        wait_target_min=5.0,
        wait_quantile=0.9,
        attendees_per_officer=100.0,
        density_warning=1.7,
        density_critical=3.0,
        reserve_share=0.20,
        incidents_per_10k_hours=5.0,
        incident_service_min=25.0,
        response_busy_max=0.05,
        response_core_min=1.0,
        response_inner_min=3.0,
        response_outer_min=5.0,
        min_response_points=5,
        response_unit_officers=2,
        patrol_density_factor=2.0,
    ),
}

# Egress (``optimizer.simulation.exits``): flow through an exit, persons per metre of width per
# minute, 82 on the level at low risk and 66 (Fruin's walkway LOS D/E boundary, also the Green
# Guide 6th edition's stepped figure, a secondary source) at medium and high, per the research's
# default table; and the normal maximum egress time from viewing accommodation, 8 minutes
# (Green Guide 10.7, via FLA/SGSA), at every level.
EXIT_FLOW_PER_M_MIN: dict[RiskLevel, float] = {
    RiskLevel.LOW: 82.0,
    RiskLevel.MEDIUM: 66.0,
    RiskLevel.HIGH: 66.0,
}
EGRESS_TARGET_MIN = 8.0

# Fields that only the plan level sets: counts over the whole event.
PLAN_WIDE_FIELDS = frozenset({"min_response_points", "attendees_per_extra_point"})
# Fields of the screening wait target: lanes are sized per gate, so posts do not set them.
WAIT_FIELDS = frozenset({"wait_target_min", "wait_quantile"})

# A 5 x 5 matrix: scores up to 6 are low, 8 to 12 medium, 15 and above high.
HIGH_FROM_SCORE = 15
MEDIUM_FROM_SCORE = 8


@dataclass(frozen=True)
class RiskAssessment:
    level: RiskLevel
    reason: str
    targets: RiskTargets


def level_from_score(score: int) -> RiskLevel:
    if score >= HIGH_FROM_SCORE:
        return RiskLevel.HIGH
    if score >= MEDIUM_FROM_SCORE:
        return RiskLevel.MEDIUM
    return RiskLevel.LOW


def assess(risk: Risk) -> RiskAssessment:
    """The event's level and targets: the level set by the planner, else the worst hazard's score.

    The planner's level wins over hazards (it may include intelligence the matrix lacks). With
    neither, the level is medium. Target overrides replace the level's defaults field by field;
    a field left at 0 keeps the default.
    """
    worst = max(risk.hazards, key=lambda h: h.score, default=None)
    if risk.level is not None:
        level, reason = risk.level, f"set by the plan: {risk.level.name.lower()}"
        if worst is not None and level_from_score(worst.score) > level:
            reason += (
                f" (note: hazard '{worst.name}' scores {worst.likelihood}x{worst.impact}="
                f"{worst.score}, which alone would be {level_from_score(worst.score).name.lower()})"
            )
    elif worst is not None:
        level = level_from_score(worst.score)
        reason = (
            f"worst hazard '{worst.name}' scores {worst.likelihood}x{worst.impact}={worst.score}"
            f" (low <= 6 < medium <= 12 < high >= {HIGH_FROM_SCORE})"
        )
    else:
        level, reason = RiskLevel.MEDIUM, "no level or hazard given: medium by default"
    targets = DEFAULT_TARGETS[level]
    if risk.overrides is not None:
        changes = {
            f.name: getattr(risk.overrides, f.name)
            for f in fields(RiskTargets)
            if getattr(risk.overrides, f.name)
        }
        targets = replace(targets, **changes)
    return RiskAssessment(level=level, reason=reason, targets=targets)


def apply_overrides(targets: RiskTargets, overrides: TargetOverrides) -> RiskTargets:
    """``targets`` with every field ``overrides`` sets (not None, 0 included) replaced."""
    changes = {
        f.name: value
        for f in fields(TargetOverrides)
        if (value := getattr(overrides, f.name)) is not None
    }
    return replace(targets, **changes) if changes else targets


def zone_targets(plan: EventPlan, base: RiskTargets, zone_id: str) -> RiskTargets:
    """The targets of zone ``zone_id``: the plan level's ``base`` with the zone's overrides.

    Parameters
    ----------
    plan
        The event.
    base
        The plan level's targets (``assess(plan.risk).targets``).
    zone_id
        A zone of ``plan``; an unknown id takes ``base`` unchanged.
    """
    zone = next((z for z in plan.zones if z.id == zone_id), None)
    return base if zone is None else apply_overrides(base, zone.targets)


def gate_targets(plan: EventPlan, base: RiskTargets, gate: Gate) -> RiskTargets:
    """The targets of ``gate``: its zone's, with the gate's own overrides."""
    return apply_overrides(zone_targets(plan, base, gate.zone_id), gate.targets)


def post_targets(plan: EventPlan, base: RiskTargets, post: Post) -> RiskTargets:
    """The targets of ``post``: its zone's (a screening post's: its gate's), with its own."""
    above = zone_targets(plan, base, post.zone_id)
    if post.kind is PostKind.SCREENING and post.gate_id is not None:
        gate = next((g for g in plan.gates if g.id == post.gate_id), None)
        if gate is not None:
            above = gate_targets(plan, base, gate)
    return apply_overrides(above, post.targets)


def set_by(
    plan: EventPlan,
    name: str,
    *,
    zone_id: str | None = None,
    gate: Gate | None = None,
    post: Post | None = None,
) -> str:
    """Where field ``name`` of an effective target comes from, for reasons and checks.

    ``" (post P1)"``, ``" (gate G1)"`` or ``" (zone Z1)"`` for the nearest level that sets it,
    ``""`` when it is the plan level's.
    """
    if post is not None:
        if getattr(post.targets, name) is not None:
            return f" (post {post.id})"
        if post.kind is PostKind.SCREENING and post.gate_id is not None:
            gate = next((g for g in plan.gates if g.id == post.gate_id), gate)
        zone_id = post.zone_id
    if gate is not None:
        if getattr(gate.targets, name) is not None:
            return f" (gate {gate.id})"
        zone_id = gate.zone_id
    zone = next((z for z in plan.zones if z.id == zone_id), None)
    if zone is not None and getattr(zone.targets, name) is not None:
        return f" (zone {zone.id})"
    return ""


def set_by_note(*sources: str) -> str:
    """``" (set by zone Z1, gate G1)"`` from ``set_by`` results; ``""`` when none is set."""
    found = list(dict.fromkeys(source.strip(" ()") for source in sources if source))
    return f" (set by {', '.join(found)})" if found else ""
