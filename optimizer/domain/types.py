"""Domain types of an event plan and of what the optimiser derives from it.

Plain frozen dataclasses with no protobuf, grpc, ortools or simpy imports, so every stage can be
used and tested on its own. Times are integer minutes from the start of the planning horizon;
``Minutes`` names that unit. Converters to and from protobuf messages live in ``optimizer.rpc``.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field
from typing import NewType

Minutes = int
ZoneId = NewType("ZoneId", str)
GateId = NewType("GateId", str)
PostId = NewType("PostId", str)
OfficerTypeId = NewType("OfficerTypeId", str)


class Ring(enum.Enum):
    CORE = "core"
    INNER = "inner"
    OUTER = "outer"


class ScreeningLevel(enum.Enum):
    TICKET_ONLY = "ticket_only"
    METAL_DETECTOR = "metal_detector"
    BAG_CHECK = "bag_check"
    REAL_NAME_ID = "real_name_id"


class PostKind(enum.Enum):
    SCREENING = "screening"
    FIXED = "fixed"
    PATROL = "patrol"
    RAPID_RESPONSE = "rapid_response"
    TRAFFIC = "traffic"
    COMMAND = "command"


class WaveShape(enum.Enum):
    NORMAL = "normal"
    UNIFORM = "uniform"
    TRIANGULAR = "triangular"
    PER_SLOT = "per_slot"


class RiskLevel(enum.IntEnum):
    LOW = 1
    MEDIUM = 2
    HIGH = 3


class SolveStatus(enum.Enum):
    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    UNKNOWN = "unknown"


class ObjectiveTerm(enum.Enum):
    HEADCOUNT = "headcount"
    OFFICER_HOURS = "officer_hours"
    POST_CHANGES = "post_changes"
    OVER_COVER = "over_cover"


@dataclass(frozen=True)
class TimeGrid:
    slot_min: Minutes
    horizon_min: Minutes
    start_time: str = ""

    def start(self) -> dt.datetime | None:
        """``start_time`` as a datetime; None when it is empty or not ISO 8601."""
        try:
            return dt.datetime.fromisoformat(self.start_time) if self.start_time else None
        except ValueError:
            return None

    @property
    def n_slots(self) -> int:
        return self.horizon_min // self.slot_min

    def slot_start(self, slot: int) -> Minutes:
        return slot * self.slot_min

    def slot_of(self, minute: float) -> int:
        """Slot holding ``minute``; the horizon's end falls in the last slot."""
        return min(int(minute // self.slot_min), self.n_slots - 1)

    def slots_in(self, start_min: Minutes, end_min: Minutes) -> range:
        """Slots that overlap [start_min, end_min)."""
        first = max(0, start_min // self.slot_min)
        last = min(self.n_slots, -(-end_min // self.slot_min))
        return range(first, last)


@dataclass(frozen=True)
class Phase:
    name: str
    start_min: Minutes
    end_min: Minutes


@dataclass(frozen=True)
class TargetOverrides:
    """Risk targets a zone, gate or post sets for itself (see ``RiskTargets`` for the fields).

    None inherits the value from above (plan level -> zone -> gate or post); any number, 0
    included, replaces it. See ``optimizer.risk`` for the inheritance.
    """

    wait_target_min: float | None = None
    wait_quantile: float | None = None
    attendees_per_officer: float | None = None
    density_warning: float | None = None
    density_critical: float | None = None
    reserve_share: float | None = None
    incidents_per_10k_hours: float | None = None
    incident_service_min: float | None = None
    response_busy_max: float | None = None
    response_core_min: float | None = None
    response_inner_min: float | None = None
    response_outer_min: float | None = None
    min_response_points: int | None = None
    attendees_per_extra_point: float | None = None
    response_unit_officers: int | None = None
    patrol_density_factor: float | None = None


@dataclass(frozen=True)
class Exit:
    """A way out of ``zone_id``: ``width_m`` clear metres passing ``flow_per_m_min`` persons per
    metre a minute. See ``optimizer.simulation.exits``."""

    id: str
    zone_id: ZoneId
    width_m: float
    flow_per_m_min: float

    @property
    def capacity_per_min(self) -> float:
        return self.width_m * self.flow_per_m_min


@dataclass(frozen=True)
class Zone:
    id: ZoneId
    name: str
    ring: Ring
    area_m2: float
    targets: TargetOverrides = field(default_factory=TargetOverrides)


@dataclass(frozen=True)
class Gate:
    id: GateId
    zone_id: ZoneId
    lanes: int
    officers_per_lane: int
    screening_level: ScreeningLevel
    service_mean_s: float
    service_cv: float
    share: float
    # Spill-over: an arrival finding ``spill_queue`` or more queueing (0: never) walks
    # ``spill_walk_min`` to ``spill_to``, a later gate in plan order. See ``simulation.model``.
    spill_queue: int = 0
    spill_to: GateId | None = None
    spill_walk_min: float = 0.0
    # Its own wait target (see ``optimizer.risk.gate_targets``).
    targets: TargetOverrides = field(default_factory=TargetOverrides)


@dataclass(frozen=True)
class Post:
    id: PostId
    kind: PostKind
    zone_id: ZoneId
    officer_type: OfficerTypeId
    active_start_min: Minutes
    active_end_min: Minutes
    min_officers: int = 0
    gate_id: GateId | None = None
    attendees_per_officer: float = 0.0
    # Rapid-response posts: zones answered (empty: all), reach in metres (0: from the zone's
    # area), officers per unit (0: the risk level's). See ``optimizer.staffing.response``.
    covers_zone_ids: tuple[ZoneId, ...] = ()
    reach_m: float = 0.0
    officers_per_unit: int = 0
    # Its own targets (see ``optimizer.risk.post_targets``).
    targets: TargetOverrides = field(default_factory=TargetOverrides)
    # An exit it stewards: required only while egress passes it (``staffing.posts``).
    exit_id: str | None = None


@dataclass(frozen=True)
class Wave:
    name: str
    shape: WaveShape
    share: float
    start_min: Minutes
    end_min: Minutes
    peak_min: Minutes = 0
    sd_min: float = 0.0
    slot_weights: tuple[float, ...] = ()


@dataclass(frozen=True)
class CrowdForecast:
    attendance: int
    arrival_waves: tuple[Wave, ...]
    egress_waves: tuple[Wave, ...] = ()


@dataclass(frozen=True)
class Hazard:
    name: str
    likelihood: int
    impact: int

    @property
    def score(self) -> int:
        return self.likelihood * self.impact


@dataclass(frozen=True)
class RiskTargets:
    """What the risk level demands. See ``optimizer.risk`` for the defaults and their sources."""

    wait_target_min: float
    wait_quantile: float
    attendees_per_officer: float
    density_warning: float
    density_critical: float
    reserve_share: float
    # Rapid response; 0 leaves a target off (and, in overrides, takes the level's default).
    incidents_per_10k_hours: float = 0.0
    incident_service_min: float = 0.0
    response_busy_max: float = 0.0
    response_core_min: float = 0.0
    response_inner_min: float = 0.0
    response_outer_min: float = 0.0
    min_response_points: int = 0
    attendees_per_extra_point: float = 0.0
    response_unit_officers: int = 0
    # Patrol officers per attendee times up to this at critical density (see staffing.posts).
    patrol_density_factor: float = 0.0


@dataclass(frozen=True)
class Risk:
    """Risk as the planner gave it: a level, or hazards to derive it from, plus target overrides.

    Overrides hold only the targets the planner set; 0 means "take the level's default".
    """

    level: RiskLevel | None
    hazards: tuple[Hazard, ...] = ()
    overrides: RiskTargets | None = None


@dataclass(frozen=True)
class OfficerType:
    id: OfficerTypeId
    name: str
    can_cover: tuple[OfficerTypeId, ...] = ()


@dataclass(frozen=True)
class Supply:
    """``count`` anonymous officers of one type, available in [start, end) minutes."""

    officer_type: OfficerTypeId
    count: int
    available_start_min: Minutes
    available_end_min: Minutes


@dataclass(frozen=True)
class Officer:
    """A named officer; ``worked_min`` already worked, ``max_work_min`` 0 takes the labour cap."""

    id: str
    officer_type: OfficerTypeId
    available_start_min: Minutes
    available_end_min: Minutes
    worked_min: Minutes = 0
    max_work_min: Minutes = 0
    # End of the officer's last duty before this event (minutes on the event's clock, often
    # negative); None: rested. Availability starts no earlier than this plus the minimum rest.
    previous_duty_end_min: Minutes | None = None


@dataclass(frozen=True)
class OfficerPool:
    types: tuple[OfficerType, ...]
    supply: tuple[Supply, ...] = ()
    officers: tuple[Officer, ...] = ()

    def covers(self, officer_type: OfficerTypeId) -> tuple[OfficerTypeId, ...]:
        """Post types an officer of ``officer_type`` may fill: its own first, then substitutes."""
        for t in self.types:
            if t.id == officer_type:
                return (t.id, *(c for c in t.can_cover if c != t.id))
        return (officer_type,)


@dataclass(frozen=True)
class BreakRule:
    min_shift_min: Minutes
    break_min: Minutes


@dataclass(frozen=True)
class ZoneTravel:
    """Minutes to walk between two zones, either way."""

    from_zone_id: ZoneId
    to_zone_id: ZoneId
    minutes: Minutes


# Posts an officer holds standing in one place, whose alertness fades: screening lanes, fixed
# posts and traffic points rotate. Patrols move by nature, rapid-response teams wait on call and
# command posts need continuity, so they do not.
ROTATING_POST_KINDS = frozenset({PostKind.SCREENING, PostKind.FIXED, PostKind.TRAFFIC})
# Longest continuous time at one rotating post by risk level (DOMAIN_RESEARCH section 6: 3 h at
# low risk, 2 h at medium and high; armed-police sentry practice is 2 h).
MAX_CONTINUOUS_BY_LEVEL: dict[RiskLevel, Minutes] = {
    RiskLevel.LOW: 180,
    RiskLevel.MEDIUM: 120,
    RiskLevel.HIGH: 120,
}


@dataclass(frozen=True)
class LabourRules:
    min_shift_min: Minutes = 240
    max_shift_min: Minutes = 720
    shift_step_min: Minutes = 60
    start_step_min: Minutes = 15
    break_rules: tuple[BreakRule, ...] = (
        BreakRule(240, 30),
        BreakRule(360, 35),
        BreakRule(420, 40),
        BreakRule(480, 45),
        BreakRule(540, 50),
        BreakRule(600, 60),
    )
    break_window_start_min: Minutes = 180
    break_window_end_min: Minutes = 360
    # Most working minutes of a named officer in the reference period; 0: no limit.
    max_work_min: Minutes = 0
    # Longest continuous time at one rotating post (``ROTATING_POST_KINDS``) before the officer
    # moves or goes on break; 0: the risk level's (``MAX_CONTINUOUS_BY_LEVEL``).
    max_continuous_post_min: Minutes = 0
    # Shortest stay at a post once placed, unless the shift or the break ends first; 0: none.
    # No source gives one, and the slot-by-slot assignment cannot see ahead: 30 minutes left
    # 647 officer-slots uncovered on the marathon example before re-solving.
    min_stint_min: Minutes = 0
    # Least rest between two duties of one officer (11 h, the WTR daily rest).
    min_rest_min: Minutes = 660
    # Travel between posts in different zones that ``travel`` does not list; within a zone: 0.
    default_travel_min: Minutes = 0
    travel: tuple[ZoneTravel, ...] = ()

    def travel_min(self, a: ZoneId, b: ZoneId) -> Minutes:
        """Minutes an officer needs from a post in zone ``a`` to one in zone ``b`` (symmetric)."""
        if a == b:
            return 0
        for t in self.travel:
            if {t.from_zone_id, t.to_zone_id} == {a, b}:
                return t.minutes
        return self.default_travel_min

    def max_continuous_for(self, kind: PostKind, level: RiskLevel) -> Minutes:
        """Longest continuous time at a post of ``kind`` at risk ``level``; 0: no limit."""
        if kind not in ROTATING_POST_KINDS:
            return 0
        return self.max_continuous_post_min or MAX_CONTINUOUS_BY_LEVEL[level]

    def work_left(self, officer: Officer) -> Minutes | None:
        """Working minutes ``officer`` may still do, or None when no cap applies."""
        cap = officer.max_work_min or self.max_work_min
        return None if cap <= 0 else max(0, cap - officer.worked_min)

    def break_for(self, length_min: Minutes) -> Minutes:
        """Break of a shift of ``length_min``: the rule with the largest threshold it reaches."""
        best = 0
        for rule in sorted(self.break_rules, key=lambda r: r.min_shift_min):
            if length_min >= rule.min_shift_min:
                best = rule.break_min
        return best


@dataclass(frozen=True)
class RequirementSpan:
    """``officers`` needed from ``start_min`` to ``end_min``; every slot it touches needs them."""

    start_min: Minutes
    end_min: Minutes
    officers: int


@dataclass(frozen=True)
class PostRequirement:
    """A requirement curve the planner gives for one post instead of the simulated one.

    ``officer_type`` None means the post's own type; overlapping runs add up.
    """

    post_id: PostId
    runs: tuple[RequirementSpan, ...]
    officer_type: OfficerTypeId | None = None


@dataclass(frozen=True)
class Corral:
    """Runners released together: ``runners`` at ``start_min``, pace mean and sd in min/km."""

    name: str
    start_min: float
    runners: int
    pace_mean_min_km: float
    pace_sd_min_km: float


@dataclass(frozen=True)
class CourseSegment:
    """A stretch of a course from ``start_km`` to ``end_km``, its posts and its spectators."""

    id: str
    start_km: float
    end_km: float
    post_ids: tuple[PostId, ...] = ()
    spectators: int = 0


@dataclass(frozen=True)
class Course:
    """A road race: corrals, segments in course order, the sweep's pace and closure margins.

    See ``optimizer.simulation.course`` for how segments close and reopen.
    """

    corrals: tuple[Corral, ...]
    segments: tuple[CourseSegment, ...]
    cutoff_pace_min_km: float
    fastest_pace_min_km: float = 2.9
    margin_before_min: float = 30.0
    margin_after_min: float = 15.0


@dataclass(frozen=True)
class EventPlan:
    name: str
    grid: TimeGrid
    zones: tuple[Zone, ...]
    gates: tuple[Gate, ...]
    posts: tuple[Post, ...]
    crowd: CrowdForecast
    risk: Risk
    pool: OfficerPool
    labour: LabourRules = field(default_factory=LabourRules)
    objective: tuple[ObjectiveTerm, ...] = (ObjectiveTerm.HEADCOUNT, ObjectiveTerm.OFFICER_HOURS)
    phases: tuple[Phase, ...] = ()
    requirements: tuple[PostRequirement, ...] = ()
    # Minimise officers standing in at other types' posts right after headcount, not last.
    substitutes_in_reserve: bool = False
    # A road race whose segments' posts are required only while the segment is closed.
    course: Course | None = None
    # Exits that egress passes through, and the minutes a zone's crowd must be able to leave in.
    exits: tuple[Exit, ...] = ()
    egress_target_min: float = 8.0

    def zone(self, zone_id: str) -> Zone:
        return next(z for z in self.zones if z.id == zone_id)

    def gate(self, gate_id: str) -> Gate:
        return next(g for g in self.gates if g.id == gate_id)


@dataclass(frozen=True)
class RunOptions:
    seed: int = 0
    replications: int = 10
    time_limit_s: float = 30.0
    workers: int = 1


# ---- what the stages derive ------------------------------------------------------------------


@dataclass(frozen=True)
class Requirement:
    """Officers of ``officer_type`` needed at ``post_id`` in each slot, with the reason per slot."""

    post_id: PostId
    officer_type: OfficerTypeId
    officers: tuple[int, ...]
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Stint:
    post_id: PostId
    start_min: Minutes
    end_min: Minutes


@dataclass(frozen=True)
class Shift:
    """One officer's duty: [start_min, end_min) with a break [break_start_min, break_end_min)."""

    officer_id: str
    officer_type: OfficerTypeId
    start_min: Minutes
    end_min: Minutes
    break_start_min: Minutes
    break_end_min: Minutes
    stints: tuple[Stint, ...] = ()

    @property
    def working_min(self) -> Minutes:
        return self.end_min - self.start_min - (self.break_end_min - self.break_start_min)

    def works_at(self, minute: Minutes) -> bool:
        return self.start_min <= minute < self.end_min and not (
            self.break_start_min <= minute < self.break_end_min
        )


@dataclass(frozen=True)
class TypeHeadcount:
    officer_type: OfficerTypeId
    headcount: int
    lower_bound: int
    available: int
    officer_minutes: int
    # Duties (shifts) of this type; 0 when not counted (then one per officer).
    duties: int = 0


@dataclass(frozen=True)
class Shortfall:
    officer_type: OfficerTypeId
    start_min: Minutes
    end_min: Minutes
    officers: int


@dataclass(frozen=True)
class PostShortfall:
    """Officers missing at one post over [start_min, end_min); ``weight``: its risk weight."""

    post_id: PostId
    officer_type: OfficerTypeId
    start_min: Minutes
    end_min: Minutes
    officers: int
    weight: int


@dataclass(frozen=True)
class PoolNeed:
    """Officers of a type in the pool, and the pool size (that plus the fewest to add) that covers
    every requirement; never below ``available``."""

    officer_type: OfficerTypeId
    available: int
    needed: int


@dataclass(frozen=True)
class Roster:
    status: SolveStatus
    shifts: tuple[Shift, ...]
    headcount: int
    lower_bound: int
    officer_minutes: int
    officer_minutes_lower_bound: int
    by_type: tuple[TypeHeadcount, ...] = ()
    shortfalls: tuple[Shortfall, ...] = ()
    # When the pool is short: the missing officer-slots weighted by post risk, per-post runs, and
    # the smallest pool per type that covers everything (``pool_proven``: with fewest additions
    # proven minimal). See ``optimizer.roster.priority`` and ``optimizer.roster.solve``.
    weighted_shortfall: int = 0
    # CP-SAT's proven lower bound on ``weighted_shortfall``: equal to it when proven least.
    weighted_shortfall_bound: int = 0
    post_shortfalls: tuple[PostShortfall, ...] = ()
    pool_needed: tuple[PoolNeed, ...] = ()
    pool_proven: bool = False
    # What the post rules (rotation, minimum stint, travel) cost: officers added over the first
    # shift model's roster, and how many times the shift model was solved again for them.
    rules_added_officers: int = 0
    rules_resolves: int = 0
    # Officer-minutes spent walking between zones, and moves forced by the rotation limit.
    travel_officer_min: int = 0
    rotations: int = 0
    # Duties (shifts): ``headcount`` counts distinct officers, and on a multi-day event one officer
    # may work several duties. 0 when not counted (then one per officer).
    duties: int = 0

    @property
    def gap(self) -> float:
        """(headcount - lower_bound) / headcount; 0 when the pool is short, because the bound is
        then for full coverage, which a short roster does not reach (the weighted shortfall and
        its own bound say how good a short roster is)."""
        if self.headcount == 0 or self.status is SolveStatus.INFEASIBLE:
            return 0.0
        return (self.headcount - self.lower_bound) / self.headcount


@dataclass(frozen=True)
class GateSlotStats:
    """One gate over the slots of the horizon; arrays are indexed by slot."""

    gate_id: GateId
    arrivals_mean: tuple[float, ...]
    lanes_open: tuple[int, ...]
    wait_mean_min: tuple[float, ...]
    # Wait at the target quantile over attendees arriving in the slot, pooled over replications.
    wait_quantile_min: tuple[float, ...]
    queue_max: tuple[float, ...]
    utilisation: tuple[float, ...]
    # Share of replications in which every slot met the wait target (1.0 when all did).
    replications_met: float = 1.0
    # Arrivals per replication who spilled over to another gate, by slot (empty: none possible).
    spilled_mean: tuple[float, ...] = ()
    # Half-width of the 95% confidence interval of wait_quantile_min over the replications.
    wait_quantile_ci_min: tuple[float, ...] = ()
    # Half-widths of the 95% confidence intervals of the arrivals per replication, the mean wait,
    # the mean of the replications' longest queues and the utilisation (empty: not measured).
    arrivals_ci: tuple[float, ...] = ()
    wait_mean_ci_min: tuple[float, ...] = ()
    queue_max_ci: tuple[float, ...] = ()
    utilisation_ci: tuple[float, ...] = ()


@dataclass(frozen=True)
class ZoneSlotStats:
    """One zone over the slots; ``occupancy_max`` is the largest peak over the replications."""

    zone_id: ZoneId
    occupancy_mean: tuple[float, ...]
    occupancy_max: tuple[float, ...]
    density_max: tuple[float, ...]
    # Half-widths of 95% confidence intervals over the replications (empty: not computed): of
    # occupancy_mean, and of the mean over replications of each one's peak in the slot
    # (occupancy_peak_mean) and that peak's density.
    occupancy_mean_ci: tuple[float, ...] = ()
    occupancy_peak_mean: tuple[float, ...] = ()
    occupancy_peak_ci: tuple[float, ...] = ()
    density_peak_ci: tuple[float, ...] = ()


@dataclass(frozen=True)
class ExitStats:
    """Egress through one exit over the replications (waits pooled over their attendees).

    ``passed_mean`` persons per replication, ``wait_quantile_min`` the 90th percentile of the
    wait to pass (queue and passage) with ``wait_quantile_ci_min`` the half-width of its 95%
    confidence interval, ``wait_max_min`` the longest wait in any replication, ``last_out_min``
    the latest passage in any replication.
    """

    exit_id: str
    zone_id: ZoneId
    passed_mean: float
    wait_quantile_min: float
    wait_quantile_ci_min: float
    wait_max_min: float
    last_out_min: float
    passed_by_slot: tuple[float, ...] = ()


@dataclass(frozen=True)
class SimulationResult:
    replications: int
    seed: int
    attendees_simulated: int
    gates: tuple[GateSlotStats, ...]
    zones: tuple[ZoneSlotStats, ...]
    exits: tuple[ExitStats, ...] = ()

    def gate(self, gate_id: str) -> GateSlotStats:
        return next(g for g in self.gates if g.gate_id == gate_id)

    def zone(self, zone_id: str) -> ZoneSlotStats:
        return next(z for z in self.zones if z.zone_id == zone_id)


@dataclass(frozen=True)
class TargetCheck:
    """One risk target, checked by re-simulating the event with the roster on duty."""

    name: str
    target: str
    value: float
    unit: str
    met: bool
    replications_met: float
    detail: str = ""
    # Half-width of the 95% confidence interval of value over the replications (0: none).
    value_ci: float = 0.0
    # Whether the target also holds at the pessimistic end of that interval (None: no interval).
    met_at_bound: bool | None = None
