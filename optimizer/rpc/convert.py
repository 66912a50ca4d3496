"""The only module that knows both worlds: protobuf messages <-> domain types.

Reading a plan fills the documented defaults (fields left at 0 or unspecified), collects every
field it cannot convert, then runs the domain validation, so a caller gets all violations at once.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from optimizer import risk as risk_mod
from optimizer.domain import types as d
from optimizer.domain.runs import equal_runs
from optimizer.domain.validate import validate_plan
from optimizer.errors import InvalidInput, Violation
from optimizer.rpc.v1 import plan_pb2, result_pb2, service_pb2

if TYPE_CHECKING:
    from optimizer.pipeline import PlanOutcome, Progress, SimulateOutcome
    from optimizer.rpc.jobs import JobSnapshot

E = TypeVar("E", bound=enum.Enum)

MAX_REPLICATIONS = 1000
MAX_TIME_LIMIT_S = 3600.0
MAX_WORKERS = 16

# Screening strictness follows the risk level when a gate does not set it (research section 6).
DEFAULT_SCREENING = {
    d.RiskLevel.LOW: d.ScreeningLevel.METAL_DETECTOR,
    d.RiskLevel.MEDIUM: d.ScreeningLevel.BAG_CHECK,
    d.RiskLevel.HIGH: d.ScreeningLevel.REAL_NAME_ID,
}


class _Reader:
    def __init__(self) -> None:
        self.violations: list[Violation] = []

    def enum(self, value: int, pb_enum: object, domain: type[E], path: str) -> E | None:
        """The domain member named like the pb value (RING_CORE -> Ring.CORE), None if unset."""
        descriptor = pb_enum.DESCRIPTOR  # type: ignore[attr-defined]
        prefix = descriptor.values[0].name.removesuffix("UNSPECIFIED")
        number = descriptor.values_by_number.get(value)
        if number is None:
            self.violations.append(Violation(path, f"unknown value {value}"))
            return None
        name = number.name.removeprefix(prefix)
        if name == "UNSPECIFIED":
            return None
        return domain[name]

    def required_enum(
        self, value: int, pb_enum: object, domain: type[E], path: str, fallback: E
    ) -> E:
        member = self.enum(value, pb_enum, domain, path)
        if member is None:
            names = ", ".join(v.name for v in pb_enum.DESCRIPTOR.values[1:])  # type: ignore[attr-defined]
            self.violations.append(Violation(path, f"must be set to one of {names}"))
            return fallback
        return member


def _end_or_horizon(end_min: int, horizon: int) -> int:
    return end_min if end_min else horizon


def plan_from_pb(msg: plan_pb2.EventPlan) -> d.EventPlan:
    """The domain plan of ``msg`` with defaults filled; InvalidInput lists every violation."""
    r = _Reader()
    grid = d.TimeGrid(
        slot_min=msg.time_grid.slot_min or 15,
        horizon_min=msg.time_grid.horizon_min,
        start_time=msg.time_grid.start_time,
    )
    horizon = grid.horizon_min
    risk = d.Risk(
        level=r.enum(msg.risk.level, plan_pb2.RiskLevel, d.RiskLevel, "risk.level"),
        hazards=tuple(d.Hazard(h.name, h.likelihood, h.impact) for h in msg.risk.hazards),
        overrides=_targets_from_pb(msg.risk.targets) if msg.risk.HasField("targets") else None,
    )
    level = risk_mod.assess(risk).level
    zones = tuple(
        d.Zone(
            id=d.ZoneId(z.id),
            name=z.name or z.id,
            ring=r.required_enum(z.ring, plan_pb2.Ring, d.Ring, f"zones[{i}].ring", d.Ring.CORE),
            area_m2=z.area_m2,
            targets=_overrides_from_pb(z.targets),
        )
        for i, z in enumerate(msg.zones)
    )
    gates = tuple(
        d.Gate(
            id=d.GateId(g.id),
            zone_id=d.ZoneId(g.zone_id),
            lanes=g.lanes,
            officers_per_lane=g.officers_per_lane,
            screening_level=r.enum(
                g.screening_level,
                plan_pb2.ScreeningLevel,
                d.ScreeningLevel,
                f"gates[{i}].screening_level",
            )
            or DEFAULT_SCREENING[level],
            service_mean_s=g.service_mean_s,
            service_cv=g.service_cv,
            share=g.share,
            spill_queue=g.spill_queue,
            spill_to=d.GateId(g.spill_to_gate_id) if g.spill_to_gate_id else None,
            spill_walk_min=g.spill_walk_min,
            targets=_overrides_from_pb(g.targets),
        )
        for i, g in enumerate(msg.gates)
    )
    posts = tuple(
        d.Post(
            id=d.PostId(p.id),
            kind=r.required_enum(
                p.kind, plan_pb2.PostKind, d.PostKind, f"posts[{i}].kind", d.PostKind.FIXED
            ),
            zone_id=d.ZoneId(p.zone_id),
            officer_type=d.OfficerTypeId(p.officer_type),
            active_start_min=p.active_start_min,
            active_end_min=_end_or_horizon(p.active_end_min, horizon),
            min_officers=p.min_officers,
            gate_id=d.GateId(p.gate_id) if p.gate_id else None,
            attendees_per_officer=p.attendees_per_officer,
            covers_zone_ids=tuple(d.ZoneId(z) for z in p.covers_zone_ids),
            reach_m=p.reach_m,
            officers_per_unit=p.officers_per_unit,
            targets=_overrides_from_pb(p.targets),
            exit_id=p.exit_id or None,
        )
        for i, p in enumerate(msg.posts)
    )
    crowd = d.CrowdForecast(
        attendance=msg.crowd.attendance,
        arrival_waves=_waves(r, msg.crowd.arrival_waves, "crowd.arrival_waves"),
        egress_waves=_waves(r, msg.crowd.egress_waves, "crowd.egress_waves"),
    )
    pool = d.OfficerPool(
        types=tuple(
            d.OfficerType(
                id=d.OfficerTypeId(t.id),
                name=t.name or t.id,
                can_cover=tuple(d.OfficerTypeId(c) for c in t.can_cover),
            )
            for t in msg.pool.types
        ),
        supply=tuple(
            d.Supply(
                officer_type=d.OfficerTypeId(s.officer_type),
                count=s.count,
                available_start_min=s.available_start_min,
                available_end_min=_end_or_horizon(s.available_end_min, horizon),
            )
            for s in msg.pool.supply
        ),
        officers=tuple(
            d.Officer(
                id=o.id,
                officer_type=d.OfficerTypeId(o.officer_type),
                available_start_min=o.available_start_min,
                available_end_min=_end_or_horizon(o.available_end_min, horizon),
                worked_min=o.worked_min,
                max_work_min=o.max_work_min,
                previous_duty_end_min=(
                    o.previous_duty_end_min if o.HasField("previous_duty_end_min") else None
                ),
            )
            for o in msg.pool.officers
        ),
    )
    order = tuple(
        r.required_enum(
            term,
            plan_pb2.ObjectiveTerm,
            d.ObjectiveTerm,
            f"objective.order[{i}]",
            d.ObjectiveTerm.HEADCOUNT,
        )
        for i, term in enumerate(msg.objective.order)
    )
    if len(set(order)) != len(order):
        r.violations.append(Violation("objective.order", "a term is listed twice"))
    plan = d.EventPlan(
        name=msg.name,
        grid=grid,
        zones=zones,
        gates=gates,
        posts=posts,
        crowd=crowd,
        risk=risk,
        pool=pool,
        labour=_labour_from_pb(msg.labour, grid.slot_min),
        objective=order or (d.ObjectiveTerm.HEADCOUNT, d.ObjectiveTerm.OFFICER_HOURS),
        phases=tuple(d.Phase(p.name, p.start_min, p.end_min) for p in msg.phases),
        requirements=requirements_from_pb(msg.requirements),
        substitutes_in_reserve=msg.objective.substitutes_in_reserve,
        course=course_from_pb(msg.course) if msg.HasField("course") else None,
        exits=tuple(
            d.Exit(
                id=e.id,
                zone_id=d.ZoneId(e.zone_id),
                width_m=e.width_m,
                flow_per_m_min=e.flow_per_m_min or risk_mod.EXIT_FLOW_PER_M_MIN[level],
            )
            for e in msg.exits
        ),
        egress_target_min=(
            msg.egress_target_min
            if msg.HasField("egress_target_min")
            else risk_mod.EGRESS_TARGET_MIN
        ),
    )
    violations = r.violations + validate_plan(plan)
    if msg.HasField("replan"):
        # The standing re-plan rules stay in the message (their window is placed on the clock
        # only when a re-plan runs), but a plan file with bad rules is refused now.
        from optimizer.rpc.replan_convert import check_rules_pb

        violations += check_rules_pb(msg.replan)
    if violations:
        raise InvalidInput(violations)
    return plan


def course_from_pb(msg: plan_pb2.Course) -> d.Course:
    """A road race; margins left out take the defaults, paces left at 0 stay 0 for validation."""
    defaults = d.Course(corrals=(), segments=(), cutoff_pace_min_km=0.0)
    return d.Course(
        corrals=tuple(
            d.Corral(c.name, c.start_min, c.runners, c.pace_mean_min_km, c.pace_sd_min_km)
            for c in msg.corrals
        ),
        segments=tuple(
            d.CourseSegment(
                id=s.id,
                start_km=s.start_km,
                end_km=s.end_km,
                post_ids=tuple(d.PostId(p) for p in s.post_ids),
                spectators=s.spectators,
            )
            for s in msg.segments
        ),
        cutoff_pace_min_km=msg.cutoff_pace_min_km,
        fastest_pace_min_km=msg.fastest_pace_min_km or defaults.fastest_pace_min_km,
        margin_before_min=msg.margin_before_min
        if msg.HasField("margin_before_min")
        else defaults.margin_before_min,
        margin_after_min=msg.margin_after_min
        if msg.HasField("margin_after_min")
        else defaults.margin_after_min,
    )


def requirements_from_pb(
    msgs: Sequence[plan_pb2.PostRequirement],
) -> tuple[d.PostRequirement, ...]:
    """Requirement curves given by the plan; an empty officer type takes the post's."""
    return tuple(
        d.PostRequirement(
            post_id=d.PostId(m.post_id),
            runs=tuple(d.RequirementSpan(r.start_min, r.end_min, r.officers) for r in m.runs),
            officer_type=d.OfficerTypeId(m.officer_type) if m.officer_type else None,
        )
        for m in msgs
    )


def _waves(r: _Reader, waves: Sequence[plan_pb2.Wave], path: str) -> tuple[d.Wave, ...]:
    return tuple(
        d.Wave(
            name=w.name or f"wave {i + 1}",
            shape=r.required_enum(
                w.shape, plan_pb2.WaveShape, d.WaveShape, f"{path}[{i}].shape", d.WaveShape.UNIFORM
            ),
            share=w.share,
            start_min=w.start_min,
            end_min=w.end_min,
            peak_min=w.peak_min,
            sd_min=w.sd_min,
            slot_weights=tuple(w.slot_weights),
        )
        for i, w in enumerate(waves)
    )


def _targets_from_pb(msg: plan_pb2.RiskTargets) -> d.RiskTargets:
    return d.RiskTargets(
        wait_target_min=msg.wait_target_min,
        wait_quantile=msg.wait_quantile,
        attendees_per_officer=msg.attendees_per_officer,
        density_warning=msg.density_warning,
        density_critical=msg.density_critical,
        reserve_share=msg.reserve_share,
        incidents_per_10k_hours=msg.incidents_per_10k_hours,
        incident_service_min=msg.incident_service_min,
        response_busy_max=msg.response_busy_max,
        response_core_min=msg.response_core_min,
        response_inner_min=msg.response_inner_min,
        response_outer_min=msg.response_outer_min,
        min_response_points=msg.min_response_points,
        attendees_per_extra_point=msg.attendees_per_extra_point,
        response_unit_officers=msg.response_unit_officers,
        patrol_density_factor=msg.patrol_density_factor,
    )


def _overrides_from_pb(msg: plan_pb2.RiskTargets) -> d.TargetOverrides:
    """The fields ``msg`` sets (presence, not value: 0 is an override too)."""
    return d.TargetOverrides(
        **{
            f.name: getattr(msg, f.name) if msg.HasField(f.name) else None
            for f in dataclasses.fields(d.TargetOverrides)
        }
    )


def _labour_from_pb(msg: plan_pb2.LabourRules, slot_min: int) -> d.LabourRules:
    defaults = d.LabourRules()
    return d.LabourRules(
        min_shift_min=msg.min_shift_min or defaults.min_shift_min,
        max_shift_min=msg.max_shift_min or defaults.max_shift_min,
        shift_step_min=msg.shift_step_min or defaults.shift_step_min,
        start_step_min=msg.start_step_min or slot_min,
        break_rules=tuple(d.BreakRule(b.min_shift_min, b.break_min) for b in msg.break_rules)
        or defaults.break_rules,
        break_window_start_min=msg.break_window_start_min or defaults.break_window_start_min,
        break_window_end_min=msg.break_window_end_min or defaults.break_window_end_min,
        max_work_min=msg.max_work_min,
        max_continuous_post_min=msg.max_continuous_post_min,
        min_stint_min=msg.min_stint_min,
        min_rest_min=msg.min_rest_min or defaults.min_rest_min,
        default_travel_min=msg.default_travel_min,
        travel=tuple(
            d.ZoneTravel(d.ZoneId(t.from_zone_id), d.ZoneId(t.to_zone_id), t.minutes)
            for t in msg.travel
        ),
    )


def options_from_pb(msg: result_pb2.RunOptions) -> d.RunOptions:
    """Run options with defaults for fields left at 0; InvalidInput names any out of range."""
    defaults = d.RunOptions()
    options = d.RunOptions(
        seed=msg.seed,
        replications=msg.replications or defaults.replications,
        time_limit_s=msg.time_limit_s or defaults.time_limit_s,
        workers=msg.workers or defaults.workers,
    )
    return validate_options(options)


def validate_options(options: d.RunOptions) -> d.RunOptions:
    violations = []
    if not 0 <= options.seed < 2**31:
        violations.append(Violation("options.seed", f"{options.seed} is outside [0, 2^31)"))
    if not 1 <= options.replications <= MAX_REPLICATIONS:
        violations.append(
            Violation(
                "options.replications",
                f"{options.replications} is outside [1, {MAX_REPLICATIONS}]",
            )
        )
    if not 0 < options.time_limit_s <= MAX_TIME_LIMIT_S:
        violations.append(
            Violation(
                "options.time_limit_s",
                f"{options.time_limit_s!r} is outside (0, {MAX_TIME_LIMIT_S:g}]",
            )
        )
    if not 1 <= options.workers <= MAX_WORKERS:
        violations.append(
            Violation("options.workers", f"{options.workers} is outside [1, {MAX_WORKERS}]")
        )
    if violations:
        raise InvalidInput(violations)
    return options


# ---- domain -> protobuf ----------------------------------------------------------------------


def pb_enum(member: enum.Enum, message_enum: object) -> Any:
    """The number of ``member`` in the protobuf enum whose values are ``<PREFIX>_<NAME>``."""
    descriptor = message_enum.DESCRIPTOR  # type: ignore[attr-defined]
    prefix = descriptor.values[0].name.removesuffix("UNSPECIFIED")
    return int(descriptor.values_by_name[prefix + member.name].number)


def targets_to_pb(targets: d.RiskTargets) -> plan_pb2.RiskTargets:
    return plan_pb2.RiskTargets(
        wait_target_min=targets.wait_target_min,
        wait_quantile=targets.wait_quantile,
        attendees_per_officer=targets.attendees_per_officer,
        density_warning=targets.density_warning,
        density_critical=targets.density_critical,
        reserve_share=targets.reserve_share,
        incidents_per_10k_hours=targets.incidents_per_10k_hours,
        incident_service_min=targets.incident_service_min,
        response_busy_max=targets.response_busy_max,
        response_core_min=targets.response_core_min,
        response_inner_min=targets.response_inner_min,
        response_outer_min=targets.response_outer_min,
        min_response_points=targets.min_response_points,
        attendees_per_extra_point=targets.attendees_per_extra_point,
        response_unit_officers=targets.response_unit_officers,
        patrol_density_factor=targets.patrol_density_factor,
    )


def requirement_to_pb(req: d.Requirement, grid: d.TimeGrid) -> result_pb2.Requirement:
    """Consecutive slots with the same count and reason become one run; zero runs are dropped."""
    msg = result_pb2.Requirement(
        post_id=req.post_id,
        officer_type=req.officer_type,
        peak_officers=max(req.officers, default=0),
        officer_minutes=sum(req.officers) * grid.slot_min,
    )
    slots = list(zip(req.officers, req.reasons, strict=True))
    for first, end, (officers, reason) in equal_runs(slots):
        if officers:
            msg.runs.add(
                start_min=grid.slot_start(first),
                end_min=grid.slot_start(end),
                officers=officers,
                reason=reason,
            )
    return msg


def shift_to_pb(shift: d.Shift) -> result_pb2.Shift:
    return result_pb2.Shift(
        officer_id=shift.officer_id,
        officer_type=shift.officer_type,
        start_min=shift.start_min,
        end_min=shift.end_min,
        break_start_min=shift.break_start_min,
        break_end_min=shift.break_end_min,
        stints=[
            result_pb2.Stint(post_id=s.post_id, start_min=s.start_min, end_min=s.end_min)
            for s in shift.stints
        ],
    )


def roster_summary_to_pb(roster: d.Roster) -> result_pb2.RosterSummary:
    return result_pb2.RosterSummary(
        status=pb_enum(roster.status, result_pb2.SolveStatus),
        headcount=roster.headcount,
        lower_bound=roster.lower_bound,
        gap=roster.gap,
        officer_minutes=roster.officer_minutes,
        officer_minutes_lower_bound=roster.officer_minutes_lower_bound,
        by_type=[
            result_pb2.TypeHeadcount(
                officer_type=t.officer_type,
                headcount=t.headcount,
                lower_bound=t.lower_bound,
                available=t.available,
                officer_minutes=t.officer_minutes,
                duties=t.duties or t.headcount,
            )
            for t in roster.by_type
        ],
        shortfalls=[
            result_pb2.Shortfall(
                officer_type=s.officer_type,
                start_min=s.start_min,
                end_min=s.end_min,
                officers=s.officers,
            )
            for s in roster.shortfalls
        ],
        weighted_shortfall=roster.weighted_shortfall,
        weighted_shortfall_lower_bound=roster.weighted_shortfall_bound,
        post_shortfalls=[
            result_pb2.PostShortfall(
                post_id=f.post_id,
                officer_type=f.officer_type,
                start_min=f.start_min,
                end_min=f.end_min,
                officers=f.officers,
                weight=f.weight,
            )
            for f in roster.post_shortfalls
        ],
        pool_needed=[
            result_pb2.PoolNeed(officer_type=n.officer_type, available=n.available, needed=n.needed)
            for n in roster.pool_needed
        ],
        pool_needed_proven=roster.pool_proven,
        rules_added_officers=roster.rules_added_officers,
        rules_resolves=roster.rules_resolves,
        travel_officer_min=roster.travel_officer_min,
        rotations=roster.rotations,
        duties=roster.duties or len(roster.shifts),
    )


def simulation_to_pb(sim: d.SimulationResult, grid: d.TimeGrid) -> result_pb2.SimulationReport:
    msg = result_pb2.SimulationReport(
        replications=sim.replications, seed=sim.seed, attendees_simulated=sim.attendees_simulated
    )
    for gate in sim.gates:
        gate_msg = msg.gates.add(gate_id=gate.gate_id)
        for slot in range(grid.n_slots):
            gate_msg.slots.add(
                start_min=grid.slot_start(slot),
                arrivals=gate.arrivals_mean[slot],
                lanes_open=gate.lanes_open[slot],
                wait_mean_min=gate.wait_mean_min[slot],
                wait_quantile_min=gate.wait_quantile_min[slot],
                queue_max=gate.queue_max[slot],
                utilisation=gate.utilisation[slot],
                spilled=gate.spilled_mean[slot] if gate.spilled_mean else 0.0,
                wait_quantile_ci_min=(
                    gate.wait_quantile_ci_min[slot] if gate.wait_quantile_ci_min else 0.0
                ),
                arrivals_ci=gate.arrivals_ci[slot] if gate.arrivals_ci else 0.0,
                wait_mean_ci_min=gate.wait_mean_ci_min[slot] if gate.wait_mean_ci_min else 0.0,
                queue_max_ci=gate.queue_max_ci[slot] if gate.queue_max_ci else 0.0,
                utilisation_ci=gate.utilisation_ci[slot] if gate.utilisation_ci else 0.0,
            )
    for zone in sim.zones:
        zone_msg = msg.zones.add(zone_id=zone.zone_id)
        for slot in range(grid.n_slots):
            zone_msg.slots.add(
                start_min=grid.slot_start(slot),
                occupancy_mean=zone.occupancy_mean[slot],
                occupancy_max=zone.occupancy_max[slot],
                density_max=zone.density_max[slot],
                occupancy_mean_ci=zone.occupancy_mean_ci[slot] if zone.occupancy_mean_ci else 0.0,
                occupancy_peak_mean=(
                    zone.occupancy_peak_mean[slot] if zone.occupancy_peak_mean else 0.0
                ),
                occupancy_peak_ci=zone.occupancy_peak_ci[slot] if zone.occupancy_peak_ci else 0.0,
                density_peak_ci=zone.density_peak_ci[slot] if zone.density_peak_ci else 0.0,
            )
    for exit_ in sim.exits:
        msg.exits.add(
            exit_id=exit_.exit_id,
            zone_id=exit_.zone_id,
            passed_mean=exit_.passed_mean,
            wait_quantile_min=exit_.wait_quantile_min,
            wait_quantile_ci_min=exit_.wait_quantile_ci_min,
            wait_max_min=exit_.wait_max_min,
            last_out_min=exit_.last_out_min,
            passed_by_slot=exit_.passed_by_slot,
        )
    return msg


def check_to_pb(check: d.TargetCheck) -> result_pb2.TargetCheck:
    return result_pb2.TargetCheck(
        name=check.name,
        target=check.target,
        value=check.value,
        unit=check.unit,
        met=check.met,
        replications_met=check.replications_met,
        detail=check.detail,
        value_ci=check.value_ci,
        met_at_bound=check.met_at_bound,
    )


def options_to_pb(options: d.RunOptions) -> result_pb2.RunOptions:
    return result_pb2.RunOptions(
        seed=options.seed,
        replications=options.replications,
        time_limit_s=options.time_limit_s,
        workers=options.workers,
    )


def plan_result_to_pb(outcome: PlanOutcome) -> result_pb2.PlanResult:
    grid = outcome.plan.grid
    return result_pb2.PlanResult(
        plan_name=outcome.plan.name,
        risk_level=pb_enum(outcome.risk.level, plan_pb2.RiskLevel),
        risk_reason=outcome.risk.reason,
        targets=targets_to_pb(outcome.risk.targets),
        requirements=[requirement_to_pb(r, grid) for r in outcome.requirements],
        summary=roster_summary_to_pb(outcome.roster),
        shifts=[shift_to_pb(s) for s in outcome.roster.shifts],
        simulation=simulation_to_pb(outcome.verification_simulation, grid),
        verification=[check_to_pb(c) for c in outcome.verification],
        timings=[result_pb2.StageTiming(stage=n, seconds=s) for n, s in outcome.timings],
        options=options_to_pb(outcome.options),
        versions=dict(outcome.versions),
    )


def simulate_response_to_pb(outcome: SimulateOutcome) -> service_pb2.SimulateResponse:
    grid = outcome.plan.grid
    return service_pb2.SimulateResponse(
        risk_level=pb_enum(outcome.risk.level, plan_pb2.RiskLevel),
        targets=targets_to_pb(outcome.risk.targets),
        simulation=simulation_to_pb(outcome.simulation, grid),
        requirements=[requirement_to_pb(r, grid) for r in outcome.requirements],
        timings=[result_pb2.StageTiming(stage=n, seconds=s) for n, s in outcome.timings],
    )


def progress_to_pb(progress: Progress, elapsed_s: float) -> service_pb2.PlanProgress:
    """A pipeline progress report as sent on ``PlanStream``; ``elapsed_s`` since the call began."""
    message = service_pb2.PlanProgress(
        phase=pb_enum(progress.phase, service_pb2.PlanPhase),
        message=progress.message,
        step=progress.step,
        total=progress.total,
        elapsed_s=round(elapsed_s, 3),
    )
    solver = progress.solver
    if solver is not None:
        message.solver_stage = solver.stage
        message.bound = solver.bound
        if solver.objective is not None:
            message.objective = solver.objective
        if solver.headcount is not None:
            message.headcount = solver.headcount
    return message


def job_to_pb(job: JobSnapshot, with_result: bool = True) -> service_pb2.Job:
    """A job as ``GetJob`` returns it; ``ListJobs`` leaves the results out (``with_result``)."""
    message = service_pb2.Job(
        job_id=job.job_id,
        state=pb_enum(job.state, service_pb2.JobState),
        error_code=job.error_code,
        error_message=job.error_message,
        create_time_s=job.created_s,
        end_time_s=job.ended_s or 0.0,
        plan_name=job.plan_name,
    )
    if job.progress is not None:
        message.progress.CopyFrom(progress_to_pb(job.progress, job.progress_elapsed_s))
    if with_result and job.result is not None:
        message.result.CopyFrom(job.result)
    return message
