"""Every rule a plan must obey, checked at once so the planner sees all problems in one pass.

Paths name fields as the plan file and the protobuf message spell them (``posts[3].zone_id``);
each reason quotes the offending value. Upper bounds on every number keep a valid plan inside
what the simulation and the solver can handle (an unbounded count once overflowed int64 inside
CP-SAT in a prototype).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from optimizer import risk as risk_mod
from optimizer.domain.types import (
    MAX_CONTINUOUS_BY_LEVEL,
    EventPlan,
    PostKind,
    RiskTargets,
    TargetOverrides,
    Wave,
    WaveShape,
)
from optimizer.errors import InvalidInput, Violation

MAX_HORIZON_MIN = 7 * 24 * 60
MAX_SLOTS = 2016
MAX_LANES = 500
MAX_OFFICERS_PER_LANE = 20
MAX_ATTENDANCE = 5_000_000
MAX_OFFICERS = 100_000
MAX_POST_MINIMUM = 10_000
SHARE_TOLERANCE = 1e-6


class _Collector:
    def __init__(self) -> None:
        self.violations: list[Violation] = []

    def add(self, path: str, reason: str) -> None:
        self.violations.append(Violation(path, reason))

    def check(self, ok: bool, path: str, reason: str) -> bool:
        if not ok:
            self.add(path, reason)
        return ok

    def number(self, value: float, path: str, low: float, high: float) -> None:
        self.check(low <= value <= high, path, f"{value!r} is outside [{low:g}, {high:g}]")

    def unique_ids(self, ids: Iterable[str], path: str) -> None:
        seen: set[str] = set()
        for index, ident in enumerate(ids):
            if not ident:
                self.add(f"{path}[{index}].id", "must not be empty")
            elif ident in seen:
                self.add(f"{path}[{index}].id", f"duplicate id {ident!r}")
            seen.add(ident)

    def window(self, start: int, end: int, path: str, horizon: int, names: tuple[str, str]) -> None:
        lo, hi = names
        start_ok = self.check(
            0 <= start <= horizon, f"{path}.{lo}", f"{start} is outside [0, {horizon}]"
        )
        end_ok = self.check(0 < end <= horizon, f"{path}.{hi}", f"{end} is outside (0, {horizon}]")
        if start_ok and end_ok:
            self.check(end > start, f"{path}.{hi}", f"{end} is not after {lo} {start}")


def validate_plan(plan: EventPlan) -> list[Violation]:
    """All violations of ``plan``; an empty list means the plan is valid."""
    c = _Collector()
    grid = plan.grid
    horizon = grid.horizon_min
    grid_ok = _check_grid(c, plan)
    if not grid_ok:
        horizon = max(horizon, 0)

    for i, phase in enumerate(plan.phases):
        c.check(bool(phase.name), f"phases[{i}].name", "must not be empty")
        c.window(phase.start_min, phase.end_min, f"phases[{i}]", horizon, ("start_min", "end_min"))

    c.unique_ids((z.id for z in plan.zones), "zones")
    for i, zone in enumerate(plan.zones):
        c.number(zone.area_m2, f"zones[{i}].area_m2", 0, 1e8)
    zone_ids: set[str] = {z.id for z in plan.zones}
    c.check(bool(plan.zones), "zones", "a plan needs at least one zone")

    type_ids: set[str] = {t.id for t in plan.pool.types}
    _check_gates(c, plan, zone_ids)
    _check_posts(c, plan, zone_ids, type_ids, horizon)
    _check_crowd(c, plan, horizon)
    _check_risk(c, plan)
    _check_overrides(c, plan)
    _check_exits(c, plan, zone_ids)
    _check_pool(c, plan, type_ids, horizon)
    _check_labour(c, plan)
    _check_requirements(c, plan, type_ids, horizon)
    _check_work_minutes(c, plan)
    _check_course(c, plan, horizon)
    return c.violations


def ensure_valid(plan: EventPlan) -> EventPlan:
    """``plan`` itself, or InvalidInput naming every violation."""
    violations = validate_plan(plan)
    if violations:
        raise InvalidInput(violations)
    return plan


def _check_grid(c: _Collector, plan: EventPlan) -> bool:
    grid = plan.grid
    ok = c.check(
        1 <= grid.slot_min <= 240, "time_grid.slot_min", f"{grid.slot_min} is outside [1, 240]"
    )
    ok &= c.check(
        0 < grid.horizon_min <= MAX_HORIZON_MIN,
        "time_grid.horizon_min",
        f"{grid.horizon_min} is outside (0, {MAX_HORIZON_MIN}] (one week)",
    )
    if ok:
        ok &= c.check(
            grid.horizon_min % grid.slot_min == 0,
            "time_grid.horizon_min",
            f"{grid.horizon_min} is not a whole number of {grid.slot_min}-minute slots",
        )
        ok &= c.check(
            grid.n_slots <= MAX_SLOTS,
            "time_grid.slot_min",
            f"{grid.slot_min} gives {grid.n_slots} slots, more than {MAX_SLOTS}",
        )
    return ok


def _check_gates(c: _Collector, plan: EventPlan, zone_ids: set[str]) -> None:
    c.unique_ids((g.id for g in plan.gates), "gates")
    screened = {p.gate_id for p in plan.posts if p.kind is PostKind.SCREENING}
    for i, gate in enumerate(plan.gates):
        path = f"gates[{i}]"
        c.check(gate.zone_id in zone_ids, f"{path}.zone_id", f"unknown zone {gate.zone_id!r}")
        c.number(gate.lanes, f"{path}.lanes", 1, MAX_LANES)
        c.check(
            1 <= gate.officers_per_lane <= MAX_OFFICERS_PER_LANE,
            f"{path}.officers_per_lane",
            f"{gate.officers_per_lane} is outside [1, {MAX_OFFICERS_PER_LANE}]: "
            "a lane needs at least one officer",
        )
        c.number(gate.service_mean_s, f"{path}.service_mean_s", 0, 3600)
        c.number(gate.service_cv, f"{path}.service_cv", 0, 5)
        c.number(gate.share, f"{path}.share", 0, 1)
        c.number(gate.spill_queue, f"{path}.spill_queue", 0, 1_000_000)
        c.number(gate.spill_walk_min, f"{path}.spill_walk_min", 0, 120)
        later = {g.id for g in plan.gates[i + 1 :]}
        if gate.spill_queue > 0 or gate.spill_to is not None:
            # Later gates only: spill-over then never cycles, and gates run in plan order.
            c.check(
                gate.spill_to in later,
                f"{path}.spill_to_gate_id",
                f"{gate.spill_to!r}: spill-over needs a gate listed after {gate.id!r}",
            )
        c.check(
            gate.id in screened,
            f"{path}.id",
            f"no screening post staffs gate {gate.id!r}: add a post with kind "
            "POST_KIND_SCREENING and gate_id set to it",
        )
    if plan.gates and plan.crowd.attendance > 0:
        total = sum(g.share for g in plan.gates)
        c.check(
            abs(total - 1.0) <= SHARE_TOLERANCE,
            "gates.share",
            f"gate shares sum to {total:g}, not 1",
        )
    if plan.crowd.attendance > 0:
        c.check(bool(plan.gates), "gates", "an attendance above 0 needs at least one gate")


def _check_posts(
    c: _Collector, plan: EventPlan, zone_ids: set[str], type_ids: set[str], horizon: int
) -> None:
    c.unique_ids((p.id for p in plan.posts), "posts")
    c.check(bool(plan.posts), "posts", "a plan needs at least one post")
    gate_ids = {g.id for g in plan.gates}
    # A post with a curve given by the plan needs no minimum of its own.
    given = {r.post_id for r in plan.requirements}
    for i, post in enumerate(plan.posts):
        path = f"posts[{i}]"
        c.check(post.zone_id in zone_ids, f"{path}.zone_id", f"unknown zone {post.zone_id!r}")
        c.check(
            post.officer_type in type_ids,
            f"{path}.officer_type",
            f"unknown officer type {post.officer_type!r}",
        )
        c.window(
            post.active_start_min,
            post.active_end_min,
            path,
            horizon,
            ("active_start_min", "active_end_min"),
        )
        c.number(post.min_officers, f"{path}.min_officers", 0, MAX_POST_MINIMUM)
        c.number(post.attendees_per_officer, f"{path}.attendees_per_officer", 0, 1e6)
        c.number(post.reach_m, f"{path}.reach_m", 0, 1e5)
        c.number(post.officers_per_unit, f"{path}.officers_per_unit", 0, 100)
        for j, covered in enumerate(post.covers_zone_ids):
            c.check(
                covered in zone_ids,
                f"{path}.covers_zone_ids[{j}]",
                f"unknown zone {covered!r}",
            )
        if post.kind is PostKind.SCREENING:
            c.check(
                post.gate_id in gate_ids,
                f"{path}.gate_id",
                f"screening post needs a known gate, got {post.gate_id!r}",
            )
        elif post.kind is not PostKind.PATROL and post.id not in given:
            c.check(
                post.min_officers >= 1,
                f"{path}.min_officers",
                f"{post.min_officers}: a {post.kind.value} post needs at least 1 officer",
            )


def _check_wave(c: _Collector, wave: Wave, path: str, horizon: int) -> None:
    c.number(wave.share, f"{path}.share", 1e-9, 1)
    c.window(wave.start_min, wave.end_min, path, horizon, ("start_min", "end_min"))
    if wave.shape is WaveShape.NORMAL:
        c.check(wave.sd_min > 0, f"{path}.sd_min", f"{wave.sd_min!r}: a normal wave needs sd > 0")
    if wave.shape in (WaveShape.NORMAL, WaveShape.TRIANGULAR):
        c.check(
            wave.start_min <= wave.peak_min <= wave.end_min,
            f"{path}.peak_min",
            f"{wave.peak_min} is outside the wave [{wave.start_min}, {wave.end_min}]",
        )
    if wave.shape is WaveShape.PER_SLOT:
        weights = wave.slot_weights
        c.check(bool(weights), f"{path}.slot_weights", "a per-slot wave needs weights")
        for j, weight in enumerate(weights):
            c.number(weight, f"{path}.slot_weights[{j}]", 0, 1e9)
        c.check(
            not weights or sum(weights) > 0,
            f"{path}.slot_weights",
            "weights sum to 0",
        )


def _check_crowd(c: _Collector, plan: EventPlan, horizon: int) -> None:
    crowd = plan.crowd
    c.number(crowd.attendance, "crowd.attendance", 0, MAX_ATTENDANCE)
    for kind, waves in (
        ("arrival_waves", crowd.arrival_waves),
        ("egress_waves", crowd.egress_waves),
    ):
        for i, wave in enumerate(waves):
            _check_wave(c, wave, f"crowd.{kind}[{i}]", horizon)
        if waves:
            total = sum(w.share for w in waves)
            c.check(
                abs(total - 1.0) <= SHARE_TOLERANCE,
                f"crowd.{kind}",
                f"wave shares sum to {total:g}, not 1",
            )
    if crowd.attendance > 0:
        c.check(
            bool(crowd.arrival_waves),
            "crowd.arrival_waves",
            f"attendance {crowd.attendance} needs at least one arrival wave",
        )


def _check_risk(c: _Collector, plan: EventPlan) -> None:
    for i, hazard in enumerate(plan.risk.hazards):
        c.check(bool(hazard.name), f"risk.hazards[{i}].name", "must not be empty")
        c.number(hazard.likelihood, f"risk.hazards[{i}].likelihood", 1, 5)
        c.number(hazard.impact, f"risk.hazards[{i}].impact", 1, 5)
    targets = plan.risk.overrides
    if targets is not None:
        c.number(targets.wait_target_min, "risk.targets.wait_target_min", 0, 600)
        c.check(
            0 <= targets.wait_quantile < 1,
            "risk.targets.wait_quantile",
            f"{targets.wait_quantile!r} is outside [0, 1)",
        )
        c.number(targets.attendees_per_officer, "risk.targets.attendees_per_officer", 0, 1e6)
        c.number(targets.density_warning, "risk.targets.density_warning", 0, 10)
        c.number(targets.density_critical, "risk.targets.density_critical", 0, 10)
        c.number(targets.reserve_share, "risk.targets.reserve_share", 0, 1)
        c.number(targets.incidents_per_10k_hours, "risk.targets.incidents_per_10k_hours", 0, 1e4)
        c.number(targets.incident_service_min, "risk.targets.incident_service_min", 0, 1440)
        c.check(
            0 <= targets.response_busy_max < 1,
            "risk.targets.response_busy_max",
            f"{targets.response_busy_max!r} is outside [0, 1)",
        )
        for name in ("response_core_min", "response_inner_min", "response_outer_min"):
            c.number(getattr(targets, name), f"risk.targets.{name}", 0, 120)
        c.number(targets.min_response_points, "risk.targets.min_response_points", 0, 1000)
        c.number(
            targets.attendees_per_extra_point, "risk.targets.attendees_per_extra_point", 0, 1e7
        )
        c.number(targets.response_unit_officers, "risk.targets.response_unit_officers", 0, 100)
        c.number(targets.patrol_density_factor, "risk.targets.patrol_density_factor", 0, 10)


# Bounds of a target field set by a zone, gate or post: (low, high, high excluded).
_OVERRIDE_BOUNDS: dict[str, tuple[float, float, bool]] = {
    "wait_target_min": (0, 600, False),
    "attendees_per_officer": (0, 1e6, False),
    "density_warning": (0, 10, False),
    "density_critical": (0, 10, False),
    "reserve_share": (0, 1, False),
    "incidents_per_10k_hours": (0, 1e4, False),
    "incident_service_min": (0, 1440, False),
    "response_busy_max": (0, 1, True),
    "response_core_min": (0, 120, False),
    "response_inner_min": (0, 120, False),
    "response_outer_min": (0, 120, False),
    "response_unit_officers": (0, 100, False),
    "patrol_density_factor": (0, 10, False),
}


def _check_overrides(c: _Collector, plan: EventPlan) -> None:
    """Targets of zones, gates and posts: in range, at the level they belong to, and consistent.

    Plan-wide fields belong under risk.targets; wait fields to zones and gates (lanes are sized
    per gate). With the overrides applied, every zone and post keeps its warning density below
    its critical one.
    """
    base = risk_mod.assess(plan.risk).targets
    owners: list[tuple[str, TargetOverrides, frozenset[str], RiskTargets | None]] = []
    for i, zone in enumerate(plan.zones):
        targets = risk_mod.zone_targets(plan, base, zone.id)
        owners.append((f"zones[{i}].targets", zone.targets, frozenset(), targets))
    not_gate = frozenset(_OVERRIDE_BOUNDS) - risk_mod.WAIT_FIELDS
    for i, gate in enumerate(plan.gates):
        owners.append((f"gates[{i}].targets", gate.targets, not_gate, None))
    for i, post in enumerate(plan.posts):
        targets = risk_mod.post_targets(plan, base, post)
        owners.append((f"posts[{i}].targets", post.targets, risk_mod.WAIT_FIELDS, targets))
    for path, overrides, misplaced, effective in owners:
        for name in TargetOverrides.__dataclass_fields__:
            value = getattr(overrides, name)
            if value is None:
                continue
            where = f"{path}.{name}"
            if name in risk_mod.PLAN_WIDE_FIELDS:
                c.add(where, f"{value!r}: plan-wide, set it under risk.targets")
            elif name in misplaced:
                level = "zones or gates" if name in risk_mod.WAIT_FIELDS else "zones or posts"
                c.add(where, f"{value!r}: set it on {level}")
            elif name == "wait_quantile":
                c.check(0 < value < 1, where, f"{value!r} is outside (0, 1)")
            else:
                low, high, open_high = _OVERRIDE_BOUNDS[name]
                if open_high:
                    c.check(low <= value < high, where, f"{value!r} is outside [{low:g}, {high:g})")
                else:
                    c.number(value, where, low, high)
        touched = overrides.density_warning is not None or overrides.density_critical is not None
        if effective is not None and touched:
            name = "density_critical" if overrides.density_warning is None else "density_warning"
            c.check(
                effective.density_warning < effective.density_critical,
                f"{path}.{name}",
                f"warning {effective.density_warning:g} is not below critical"
                f" {effective.density_critical:g} persons/m2 (with the inherited value)",
            )


def _check_exits(c: _Collector, plan: EventPlan, zone_ids: set[str]) -> None:
    """Exits: unique ids, a known zone, a width and a flow in range; a positive egress target."""
    c.unique_ids((e.id for e in plan.exits), "exits")
    for i, exit_ in enumerate(plan.exits):
        path = f"exits[{i}]"
        c.check(exit_.zone_id in zone_ids, f"{path}.zone_id", f"unknown zone {exit_.zone_id!r}")
        c.check(
            0 < exit_.width_m <= 100, f"{path}.width_m", f"{exit_.width_m!r} is outside (0, 100]"
        )
        c.check(
            0 < exit_.flow_per_m_min <= 200,
            f"exits[{i}].flow_per_m_min",
            f"{exit_.flow_per_m_min!r} is outside (0, 200]",
        )
    exit_ids = {e.id for e in plan.exits}
    for i, post in enumerate(plan.posts):
        if post.exit_id is not None:
            c.check(
                post.exit_id in exit_ids, f"posts[{i}].exit_id", f"unknown exit {post.exit_id!r}"
            )
    c.check(
        0 < plan.egress_target_min <= 600,
        "egress_target_min",
        f"{plan.egress_target_min!r} is outside (0, 600]",
    )


def _check_pool(c: _Collector, plan: EventPlan, type_ids: set[str], horizon: int) -> None:
    pool = plan.pool
    c.unique_ids((t.id for t in pool.types), "pool.types")
    c.check(bool(pool.types), "pool.types", "the pool needs at least one officer type")
    for i, officer_type in enumerate(pool.types):
        for j, other in enumerate(officer_type.can_cover):
            c.check(
                other in type_ids,
                f"pool.types[{i}].can_cover[{j}]",
                f"unknown officer type {other!r}",
            )
    for i, supply in enumerate(pool.supply):
        path = f"pool.supply[{i}]"
        c.check(
            supply.officer_type in type_ids,
            f"{path}.officer_type",
            f"unknown officer type {supply.officer_type!r}",
        )
        c.number(supply.count, f"{path}.count", 0, MAX_OFFICERS)
        c.window(
            supply.available_start_min,
            supply.available_end_min,
            path,
            horizon,
            ("available_start_min", "available_end_min"),
        )
    c.unique_ids((o.id for o in pool.officers), "pool.officers")
    for i, officer in enumerate(pool.officers):
        path = f"pool.officers[{i}]"
        c.check(
            officer.officer_type in type_ids,
            f"{path}.officer_type",
            f"unknown officer type {officer.officer_type!r}",
        )
        c.window(
            officer.available_start_min,
            officer.available_end_min,
            path,
            horizon,
            ("available_start_min", "available_end_min"),
        )
    available = Counter[str]()
    for supply in pool.supply:
        available[supply.officer_type] += max(supply.count, 0)
    for officer in pool.officers:
        available[officer.officer_type] += 1
    total = sum(available.values())
    c.check(total <= MAX_OFFICERS, "pool", f"{total} officers, more than {MAX_OFFICERS}")
    if not c.check(total > 0, "pool", "the pool holds no officer: add supply or officers"):
        return
    _check_fixed_minimums(c, plan, available)


def _check_fixed_minimums(c: _Collector, plan: EventPlan, available: Counter[str]) -> None:
    """The pool must at least hold the fixed minimums of every type at their busiest moment."""
    fillers: dict[str, set[str]] = {}
    for t in plan.pool.types:
        for covered in plan.pool.covers(t.id):
            fillers.setdefault(covered, set()).add(t.id)
    minimums: dict[str, Counter[int]] = {}
    for post in plan.posts:
        if post.min_officers <= 0 or post.active_end_min <= post.active_start_min:
            continue
        per_minute = minimums.setdefault(post.officer_type, Counter())
        per_minute[post.active_start_min] += post.min_officers
        per_minute[post.active_end_min] -= post.min_officers
    for officer_type, deltas in sorted(minimums.items()):
        running, peak = 0, 0
        for minute in sorted(deltas):
            running += deltas[minute]
            peak = max(peak, running)
        can_fill = sum(available[t] for t in fillers.get(officer_type, {officer_type}))
        c.check(
            peak <= can_fill,
            "pool",
            f"posts of type {officer_type!r} need at least {peak} officers at once, "
            f"but only {can_fill} in the pool can fill them",
        )


def _check_labour(c: _Collector, plan: EventPlan) -> None:
    rules = plan.labour
    c.number(rules.min_shift_min, "labour.min_shift_min", 30, 24 * 60)
    c.number(rules.max_shift_min, "labour.max_shift_min", 30, 24 * 60)
    if rules.max_shift_min < rules.min_shift_min:
        c.add(
            "labour.max_shift_min",
            f"{rules.max_shift_min} is below min_shift_min {rules.min_shift_min}",
        )
    c.number(rules.shift_step_min, "labour.shift_step_min", 1, 24 * 60)
    slot = max(plan.grid.slot_min, 1)
    if c.check(rules.start_step_min >= 1, "labour.start_step_min", f"{rules.start_step_min} < 1"):
        c.check(
            rules.start_step_min % slot == 0,
            "labour.start_step_min",
            f"{rules.start_step_min} is not a multiple of the {slot}-minute slot",
        )
    for i, rule in enumerate(rules.break_rules):
        c.number(rule.min_shift_min, f"labour.break_rules[{i}].min_shift_min", 0, 24 * 60)
        c.number(rule.break_min, f"labour.break_rules[{i}].break_min", 0, 180)
    c.number(rules.break_window_start_min, "labour.break_window_start_min", 0, 24 * 60)
    if rules.break_window_end_min < rules.break_window_start_min:
        c.add(
            "labour.break_window_end_min",
            f"{rules.break_window_end_min} is before break_window_start_min "
            f"{rules.break_window_start_min}",
        )
    if 0 < plan.grid.horizon_min < rules.min_shift_min:
        c.add(
            "labour.min_shift_min",
            f"{rules.min_shift_min} is longer than the {plan.grid.horizon_min}-minute horizon",
        )
    _check_post_rules(c, plan)


def _check_post_rules(c: _Collector, plan: EventPlan) -> None:
    """Rotation, stint, rest and travel minutes; zones named; a stint that fits the rotation.

    A slot next to the break or shift end stands for up to two slots' minutes in a stint, so the
    rotation limit must hold two slots, and the minimum stint must end two slots before it (else
    an officer could be due to stay and due to leave at once).
    """
    rules = plan.labour
    slot = max(plan.grid.slot_min, 1)
    c.number(rules.max_continuous_post_min, "labour.max_continuous_post_min", 0, 24 * 60)
    if 0 < rules.max_continuous_post_min < 2 * slot:
        c.add(
            "labour.max_continuous_post_min",
            f"{rules.max_continuous_post_min} is shorter than two {slot}-minute slots",
        )
    c.number(rules.min_stint_min, "labour.min_stint_min", 0, 24 * 60)
    limit = rules.max_continuous_post_min or min(MAX_CONTINUOUS_BY_LEVEL.values())
    if rules.min_stint_min > limit - 2 * slot:
        c.add(
            "labour.min_stint_min",
            f"{rules.min_stint_min} does not end two {slot}-minute slots before the "
            f"{limit}-minute rotation limit (max_continuous_post_min)",
        )
    c.number(rules.min_rest_min, "labour.min_rest_min", 0, 7 * 24 * 60)
    c.number(rules.default_travel_min, "labour.default_travel_min", 0, 24 * 60)
    zone_ids = {z.id for z in plan.zones}
    pairs: set[frozenset[str]] = set()
    for i, travel in enumerate(rules.travel):
        path = f"labour.travel[{i}]"
        ends = (("from_zone_id", travel.from_zone_id), ("to_zone_id", travel.to_zone_id))
        for name, zone in ends:
            c.check(zone in zone_ids, f"{path}.{name}", f"unknown zone {zone!r}")
        c.check(
            travel.from_zone_id != travel.to_zone_id,
            f"{path}.to_zone_id",
            f"zone {travel.to_zone_id!r} to itself: within a zone there is no travel",
        )
        pair = frozenset((travel.from_zone_id, travel.to_zone_id))
        c.check(
            pair not in pairs,
            path,
            f"{travel.from_zone_id!r} and {travel.to_zone_id!r} are listed twice "
            "(travel is the same either way)",
        )
        pairs.add(pair)
        c.number(travel.minutes, f"{path}.minutes", 0, 24 * 60)
    for i, officer in enumerate(plan.pool.officers):
        if officer.previous_duty_end_min is not None:
            c.number(
                officer.previous_duty_end_min,
                f"pool.officers[{i}].previous_duty_end_min",
                -MAX_WORK_MIN,
                plan.grid.horizon_min,
            )


def _check_requirements(c: _Collector, plan: EventPlan, type_ids: set[str], horizon: int) -> None:
    """Given curves name a known post once, a known type, and runs inside the post's window."""
    posts = {p.id: p for p in plan.posts}
    seen: set[str] = set()
    for i, req in enumerate(plan.requirements):
        path = f"requirements[{i}]"
        post = posts.get(req.post_id)
        c.check(post is not None, f"{path}.post_id", f"unknown post {req.post_id!r}")
        c.check(
            req.post_id not in seen,
            f"{path}.post_id",
            f"post {req.post_id!r} already has a requirement",
        )
        seen.add(req.post_id)
        if req.officer_type is not None:
            c.check(
                req.officer_type in type_ids,
                f"{path}.officer_type",
                f"unknown officer type {req.officer_type!r}",
            )
        c.check(bool(req.runs), f"{path}.runs", "a requirement needs at least one run")
        for j, run in enumerate(req.runs):
            run_path = f"{path}.runs[{j}]"
            c.window(run.start_min, run.end_min, run_path, horizon, ("start_min", "end_min"))
            c.number(run.officers, f"{run_path}.officers", 0, MAX_POST_MINIMUM)
            if post is not None and 0 <= run.start_min < run.end_min <= horizon:
                c.check(
                    post.active_start_min <= run.start_min,
                    f"{run_path}.start_min",
                    f"{run.start_min} is before post {post.id!r} opens at {post.active_start_min}",
                )
                c.check(
                    run.end_min <= post.active_end_min,
                    f"{run_path}.end_min",
                    f"{run.end_min} is after post {post.id!r} closes at {post.active_end_min}",
                )


MAX_WORK_MIN = 366 * 24 * 60


def _check_work_minutes(c: _Collector, plan: EventPlan) -> None:
    """Minutes worked and caps are counts of minutes within a year."""
    c.number(plan.labour.max_work_min, "labour.max_work_min", 0, MAX_WORK_MIN)
    for i, officer in enumerate(plan.pool.officers):
        c.number(officer.worked_min, f"pool.officers[{i}].worked_min", 0, MAX_WORK_MIN)
        c.number(officer.max_work_min, f"pool.officers[{i}].max_work_min", 0, MAX_WORK_MIN)


MAX_RUNNERS = 1_000_000
MAX_COURSE_KM = 250.0


def _check_course(c: _Collector, plan: EventPlan, horizon: int) -> None:
    """Corrals start inside the horizon; segments follow each other; each post on one segment."""
    course = plan.course
    if course is None:
        return
    c.check(bool(course.corrals), "course.corrals", "a course needs at least one corral")
    for i, corral in enumerate(course.corrals):
        path = f"course.corrals[{i}]"
        c.number(corral.start_min, f"{path}.start_min", 0, max(horizon - 1, 0))
        c.number(corral.runners, f"{path}.runners", 1, MAX_RUNNERS)
        c.number(corral.pace_mean_min_km, f"{path}.pace_mean_min_km", 1.0, 60.0)
        c.number(corral.pace_sd_min_km, f"{path}.pace_sd_min_km", 0.0, 30.0)
    c.number(course.cutoff_pace_min_km, "course.cutoff_pace_min_km", 1.0, 60.0)
    c.number(course.fastest_pace_min_km, "course.fastest_pace_min_km", 1.0, 60.0)
    c.check(
        course.fastest_pace_min_km < course.cutoff_pace_min_km,
        "course.fastest_pace_min_km",
        f"{course.fastest_pace_min_km:g} is not faster than the cut-off pace"
        f" {course.cutoff_pace_min_km:g}",
    )
    c.number(course.margin_before_min, "course.margin_before_min", 0.0, 24 * 60)
    c.number(course.margin_after_min, "course.margin_after_min", 0.0, 24 * 60)
    c.check(bool(course.segments), "course.segments", "a course needs at least one segment")
    c.unique_ids((s.id for s in course.segments), "course.segments")
    posts = {p.id: p for p in plan.posts}
    placed: set[str] = set()
    for i, segment in enumerate(course.segments):
        path = f"course.segments[{i}]"
        c.check(bool(segment.id), f"{path}.id", "must not be empty")
        c.number(segment.start_km, f"{path}.start_km", 0.0, MAX_COURSE_KM)
        c.number(segment.end_km, f"{path}.end_km", 0.0, MAX_COURSE_KM)
        c.check(
            segment.end_km > segment.start_km,
            f"{path}.end_km",
            f"{segment.end_km:g} is not after start_km {segment.start_km:g}",
        )
        if i > 0:
            before = course.segments[i - 1]
            c.check(
                abs(segment.start_km - before.end_km) <= 1e-9,
                f"{path}.start_km",
                f"{segment.start_km:g} does not continue the segment before, which ends at"
                f" {before.end_km:g}",
            )
        c.number(segment.spectators, f"{path}.spectators", 0, MAX_ATTENDANCE)
        for j, post_id in enumerate(segment.post_ids):
            post_path = f"{path}.post_ids[{j}]"
            c.check(post_id in posts, post_path, f"unknown post {post_id!r}")
            c.check(post_id not in placed, post_path, f"post {post_id!r} is on another segment")
            placed.add(post_id)
            post = posts.get(post_id)
            if post is not None:
                c.check(
                    post.kind is not PostKind.SCREENING,
                    post_path,
                    f"post {post_id!r} is a screening post: its lanes follow its gate's queue",
                )
