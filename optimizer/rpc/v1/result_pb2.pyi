from optimizer.rpc.v1 import plan_pb2 as _plan_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class SolveStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SOLVE_STATUS_UNSPECIFIED: _ClassVar[SolveStatus]
    SOLVE_STATUS_OPTIMAL: _ClassVar[SolveStatus]
    SOLVE_STATUS_FEASIBLE: _ClassVar[SolveStatus]
    SOLVE_STATUS_INFEASIBLE: _ClassVar[SolveStatus]
    SOLVE_STATUS_UNKNOWN: _ClassVar[SolveStatus]
SOLVE_STATUS_UNSPECIFIED: SolveStatus
SOLVE_STATUS_OPTIMAL: SolveStatus
SOLVE_STATUS_FEASIBLE: SolveStatus
SOLVE_STATUS_INFEASIBLE: SolveStatus
SOLVE_STATUS_UNKNOWN: SolveStatus

class RunOptions(_message.Message):
    __slots__ = ("seed", "replications", "time_limit_s", "workers")
    SEED_FIELD_NUMBER: _ClassVar[int]
    REPLICATIONS_FIELD_NUMBER: _ClassVar[int]
    TIME_LIMIT_S_FIELD_NUMBER: _ClassVar[int]
    WORKERS_FIELD_NUMBER: _ClassVar[int]
    seed: int
    replications: int
    time_limit_s: float
    workers: int
    def __init__(self, seed: _Optional[int] = ..., replications: _Optional[int] = ..., time_limit_s: _Optional[float] = ..., workers: _Optional[int] = ...) -> None: ...

class RequirementRun(_message.Message):
    __slots__ = ("start_min", "end_min", "officers", "reason")
    START_MIN_FIELD_NUMBER: _ClassVar[int]
    END_MIN_FIELD_NUMBER: _ClassVar[int]
    OFFICERS_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    start_min: int
    end_min: int
    officers: int
    reason: str
    def __init__(self, start_min: _Optional[int] = ..., end_min: _Optional[int] = ..., officers: _Optional[int] = ..., reason: _Optional[str] = ...) -> None: ...

class Requirement(_message.Message):
    __slots__ = ("post_id", "officer_type", "runs", "peak_officers", "officer_minutes")
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    OFFICER_TYPE_FIELD_NUMBER: _ClassVar[int]
    RUNS_FIELD_NUMBER: _ClassVar[int]
    PEAK_OFFICERS_FIELD_NUMBER: _ClassVar[int]
    OFFICER_MINUTES_FIELD_NUMBER: _ClassVar[int]
    post_id: str
    officer_type: str
    runs: _containers.RepeatedCompositeFieldContainer[RequirementRun]
    peak_officers: int
    officer_minutes: int
    def __init__(self, post_id: _Optional[str] = ..., officer_type: _Optional[str] = ..., runs: _Optional[_Iterable[_Union[RequirementRun, _Mapping]]] = ..., peak_officers: _Optional[int] = ..., officer_minutes: _Optional[int] = ...) -> None: ...

class Stint(_message.Message):
    __slots__ = ("post_id", "start_min", "end_min")
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    START_MIN_FIELD_NUMBER: _ClassVar[int]
    END_MIN_FIELD_NUMBER: _ClassVar[int]
    post_id: str
    start_min: int
    end_min: int
    def __init__(self, post_id: _Optional[str] = ..., start_min: _Optional[int] = ..., end_min: _Optional[int] = ...) -> None: ...

class Shift(_message.Message):
    __slots__ = ("officer_id", "officer_type", "start_min", "end_min", "break_start_min", "break_end_min", "stints")
    OFFICER_ID_FIELD_NUMBER: _ClassVar[int]
    OFFICER_TYPE_FIELD_NUMBER: _ClassVar[int]
    START_MIN_FIELD_NUMBER: _ClassVar[int]
    END_MIN_FIELD_NUMBER: _ClassVar[int]
    BREAK_START_MIN_FIELD_NUMBER: _ClassVar[int]
    BREAK_END_MIN_FIELD_NUMBER: _ClassVar[int]
    STINTS_FIELD_NUMBER: _ClassVar[int]
    officer_id: str
    officer_type: str
    start_min: int
    end_min: int
    break_start_min: int
    break_end_min: int
    stints: _containers.RepeatedCompositeFieldContainer[Stint]
    def __init__(self, officer_id: _Optional[str] = ..., officer_type: _Optional[str] = ..., start_min: _Optional[int] = ..., end_min: _Optional[int] = ..., break_start_min: _Optional[int] = ..., break_end_min: _Optional[int] = ..., stints: _Optional[_Iterable[_Union[Stint, _Mapping]]] = ...) -> None: ...

class TypeHeadcount(_message.Message):
    __slots__ = ("officer_type", "headcount", "lower_bound", "available", "officer_minutes", "duties")
    OFFICER_TYPE_FIELD_NUMBER: _ClassVar[int]
    HEADCOUNT_FIELD_NUMBER: _ClassVar[int]
    LOWER_BOUND_FIELD_NUMBER: _ClassVar[int]
    AVAILABLE_FIELD_NUMBER: _ClassVar[int]
    OFFICER_MINUTES_FIELD_NUMBER: _ClassVar[int]
    DUTIES_FIELD_NUMBER: _ClassVar[int]
    officer_type: str
    headcount: int
    lower_bound: int
    available: int
    officer_minutes: int
    duties: int
    def __init__(self, officer_type: _Optional[str] = ..., headcount: _Optional[int] = ..., lower_bound: _Optional[int] = ..., available: _Optional[int] = ..., officer_minutes: _Optional[int] = ..., duties: _Optional[int] = ...) -> None: ...

class Shortfall(_message.Message):
    __slots__ = ("officer_type", "start_min", "end_min", "officers")
    OFFICER_TYPE_FIELD_NUMBER: _ClassVar[int]
    START_MIN_FIELD_NUMBER: _ClassVar[int]
    END_MIN_FIELD_NUMBER: _ClassVar[int]
    OFFICERS_FIELD_NUMBER: _ClassVar[int]
    officer_type: str
    start_min: int
    end_min: int
    officers: int
    def __init__(self, officer_type: _Optional[str] = ..., start_min: _Optional[int] = ..., end_min: _Optional[int] = ..., officers: _Optional[int] = ...) -> None: ...

class RosterSummary(_message.Message):
    __slots__ = ("status", "headcount", "lower_bound", "gap", "officer_minutes", "officer_minutes_lower_bound", "by_type", "shortfalls", "weighted_shortfall", "post_shortfalls", "pool_needed", "pool_needed_proven", "weighted_shortfall_lower_bound", "rules_added_officers", "rules_resolves", "travel_officer_min", "rotations", "duties")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    HEADCOUNT_FIELD_NUMBER: _ClassVar[int]
    LOWER_BOUND_FIELD_NUMBER: _ClassVar[int]
    GAP_FIELD_NUMBER: _ClassVar[int]
    OFFICER_MINUTES_FIELD_NUMBER: _ClassVar[int]
    OFFICER_MINUTES_LOWER_BOUND_FIELD_NUMBER: _ClassVar[int]
    BY_TYPE_FIELD_NUMBER: _ClassVar[int]
    SHORTFALLS_FIELD_NUMBER: _ClassVar[int]
    WEIGHTED_SHORTFALL_FIELD_NUMBER: _ClassVar[int]
    POST_SHORTFALLS_FIELD_NUMBER: _ClassVar[int]
    POOL_NEEDED_FIELD_NUMBER: _ClassVar[int]
    POOL_NEEDED_PROVEN_FIELD_NUMBER: _ClassVar[int]
    WEIGHTED_SHORTFALL_LOWER_BOUND_FIELD_NUMBER: _ClassVar[int]
    RULES_ADDED_OFFICERS_FIELD_NUMBER: _ClassVar[int]
    RULES_RESOLVES_FIELD_NUMBER: _ClassVar[int]
    TRAVEL_OFFICER_MIN_FIELD_NUMBER: _ClassVar[int]
    ROTATIONS_FIELD_NUMBER: _ClassVar[int]
    DUTIES_FIELD_NUMBER: _ClassVar[int]
    status: SolveStatus
    headcount: int
    lower_bound: int
    gap: float
    officer_minutes: int
    officer_minutes_lower_bound: int
    by_type: _containers.RepeatedCompositeFieldContainer[TypeHeadcount]
    shortfalls: _containers.RepeatedCompositeFieldContainer[Shortfall]
    weighted_shortfall: int
    post_shortfalls: _containers.RepeatedCompositeFieldContainer[PostShortfall]
    pool_needed: _containers.RepeatedCompositeFieldContainer[PoolNeed]
    pool_needed_proven: bool
    weighted_shortfall_lower_bound: int
    rules_added_officers: int
    rules_resolves: int
    travel_officer_min: int
    rotations: int
    duties: int
    def __init__(self, status: _Optional[_Union[SolveStatus, str]] = ..., headcount: _Optional[int] = ..., lower_bound: _Optional[int] = ..., gap: _Optional[float] = ..., officer_minutes: _Optional[int] = ..., officer_minutes_lower_bound: _Optional[int] = ..., by_type: _Optional[_Iterable[_Union[TypeHeadcount, _Mapping]]] = ..., shortfalls: _Optional[_Iterable[_Union[Shortfall, _Mapping]]] = ..., weighted_shortfall: _Optional[int] = ..., post_shortfalls: _Optional[_Iterable[_Union[PostShortfall, _Mapping]]] = ..., pool_needed: _Optional[_Iterable[_Union[PoolNeed, _Mapping]]] = ..., pool_needed_proven: _Optional[bool] = ..., weighted_shortfall_lower_bound: _Optional[int] = ..., rules_added_officers: _Optional[int] = ..., rules_resolves: _Optional[int] = ..., travel_officer_min: _Optional[int] = ..., rotations: _Optional[int] = ..., duties: _Optional[int] = ...) -> None: ...

class PostShortfall(_message.Message):
    __slots__ = ("post_id", "officer_type", "start_min", "end_min", "officers", "weight")
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    OFFICER_TYPE_FIELD_NUMBER: _ClassVar[int]
    START_MIN_FIELD_NUMBER: _ClassVar[int]
    END_MIN_FIELD_NUMBER: _ClassVar[int]
    OFFICERS_FIELD_NUMBER: _ClassVar[int]
    WEIGHT_FIELD_NUMBER: _ClassVar[int]
    post_id: str
    officer_type: str
    start_min: int
    end_min: int
    officers: int
    weight: int
    def __init__(self, post_id: _Optional[str] = ..., officer_type: _Optional[str] = ..., start_min: _Optional[int] = ..., end_min: _Optional[int] = ..., officers: _Optional[int] = ..., weight: _Optional[int] = ...) -> None: ...

class PoolNeed(_message.Message):
    __slots__ = ("officer_type", "available", "needed")
    OFFICER_TYPE_FIELD_NUMBER: _ClassVar[int]
    AVAILABLE_FIELD_NUMBER: _ClassVar[int]
    NEEDED_FIELD_NUMBER: _ClassVar[int]
    officer_type: str
    available: int
    needed: int
    def __init__(self, officer_type: _Optional[str] = ..., available: _Optional[int] = ..., needed: _Optional[int] = ...) -> None: ...

class GateSlotStats(_message.Message):
    __slots__ = ("start_min", "arrivals", "lanes_open", "wait_mean_min", "wait_quantile_min", "queue_max", "utilisation", "spilled", "wait_quantile_ci_min", "arrivals_ci", "wait_mean_ci_min", "queue_max_ci", "utilisation_ci")
    START_MIN_FIELD_NUMBER: _ClassVar[int]
    ARRIVALS_FIELD_NUMBER: _ClassVar[int]
    LANES_OPEN_FIELD_NUMBER: _ClassVar[int]
    WAIT_MEAN_MIN_FIELD_NUMBER: _ClassVar[int]
    WAIT_QUANTILE_MIN_FIELD_NUMBER: _ClassVar[int]
    QUEUE_MAX_FIELD_NUMBER: _ClassVar[int]
    UTILISATION_FIELD_NUMBER: _ClassVar[int]
    SPILLED_FIELD_NUMBER: _ClassVar[int]
    WAIT_QUANTILE_CI_MIN_FIELD_NUMBER: _ClassVar[int]
    ARRIVALS_CI_FIELD_NUMBER: _ClassVar[int]
    WAIT_MEAN_CI_MIN_FIELD_NUMBER: _ClassVar[int]
    QUEUE_MAX_CI_FIELD_NUMBER: _ClassVar[int]
    UTILISATION_CI_FIELD_NUMBER: _ClassVar[int]
    start_min: int
    arrivals: float
    lanes_open: int
    wait_mean_min: float
    wait_quantile_min: float
    queue_max: float
    utilisation: float
    spilled: float
    wait_quantile_ci_min: float
    arrivals_ci: float
    wait_mean_ci_min: float
    queue_max_ci: float
    utilisation_ci: float
    def __init__(self, start_min: _Optional[int] = ..., arrivals: _Optional[float] = ..., lanes_open: _Optional[int] = ..., wait_mean_min: _Optional[float] = ..., wait_quantile_min: _Optional[float] = ..., queue_max: _Optional[float] = ..., utilisation: _Optional[float] = ..., spilled: _Optional[float] = ..., wait_quantile_ci_min: _Optional[float] = ..., arrivals_ci: _Optional[float] = ..., wait_mean_ci_min: _Optional[float] = ..., queue_max_ci: _Optional[float] = ..., utilisation_ci: _Optional[float] = ...) -> None: ...

class GateStats(_message.Message):
    __slots__ = ("gate_id", "slots")
    GATE_ID_FIELD_NUMBER: _ClassVar[int]
    SLOTS_FIELD_NUMBER: _ClassVar[int]
    gate_id: str
    slots: _containers.RepeatedCompositeFieldContainer[GateSlotStats]
    def __init__(self, gate_id: _Optional[str] = ..., slots: _Optional[_Iterable[_Union[GateSlotStats, _Mapping]]] = ...) -> None: ...

class ZoneSlotStats(_message.Message):
    __slots__ = ("start_min", "occupancy_mean", "occupancy_max", "density_max", "occupancy_mean_ci", "occupancy_peak_mean", "occupancy_peak_ci", "density_peak_ci")
    START_MIN_FIELD_NUMBER: _ClassVar[int]
    OCCUPANCY_MEAN_FIELD_NUMBER: _ClassVar[int]
    OCCUPANCY_MAX_FIELD_NUMBER: _ClassVar[int]
    DENSITY_MAX_FIELD_NUMBER: _ClassVar[int]
    OCCUPANCY_MEAN_CI_FIELD_NUMBER: _ClassVar[int]
    OCCUPANCY_PEAK_MEAN_FIELD_NUMBER: _ClassVar[int]
    OCCUPANCY_PEAK_CI_FIELD_NUMBER: _ClassVar[int]
    DENSITY_PEAK_CI_FIELD_NUMBER: _ClassVar[int]
    start_min: int
    occupancy_mean: float
    occupancy_max: float
    density_max: float
    occupancy_mean_ci: float
    occupancy_peak_mean: float
    occupancy_peak_ci: float
    density_peak_ci: float
    def __init__(self, start_min: _Optional[int] = ..., occupancy_mean: _Optional[float] = ..., occupancy_max: _Optional[float] = ..., density_max: _Optional[float] = ..., occupancy_mean_ci: _Optional[float] = ..., occupancy_peak_mean: _Optional[float] = ..., occupancy_peak_ci: _Optional[float] = ..., density_peak_ci: _Optional[float] = ...) -> None: ...

class ZoneStats(_message.Message):
    __slots__ = ("zone_id", "slots")
    ZONE_ID_FIELD_NUMBER: _ClassVar[int]
    SLOTS_FIELD_NUMBER: _ClassVar[int]
    zone_id: str
    slots: _containers.RepeatedCompositeFieldContainer[ZoneSlotStats]
    def __init__(self, zone_id: _Optional[str] = ..., slots: _Optional[_Iterable[_Union[ZoneSlotStats, _Mapping]]] = ...) -> None: ...

class SimulationReport(_message.Message):
    __slots__ = ("replications", "seed", "attendees_simulated", "gates", "zones", "exits")
    REPLICATIONS_FIELD_NUMBER: _ClassVar[int]
    SEED_FIELD_NUMBER: _ClassVar[int]
    ATTENDEES_SIMULATED_FIELD_NUMBER: _ClassVar[int]
    GATES_FIELD_NUMBER: _ClassVar[int]
    ZONES_FIELD_NUMBER: _ClassVar[int]
    EXITS_FIELD_NUMBER: _ClassVar[int]
    replications: int
    seed: int
    attendees_simulated: int
    gates: _containers.RepeatedCompositeFieldContainer[GateStats]
    zones: _containers.RepeatedCompositeFieldContainer[ZoneStats]
    exits: _containers.RepeatedCompositeFieldContainer[ExitStats]
    def __init__(self, replications: _Optional[int] = ..., seed: _Optional[int] = ..., attendees_simulated: _Optional[int] = ..., gates: _Optional[_Iterable[_Union[GateStats, _Mapping]]] = ..., zones: _Optional[_Iterable[_Union[ZoneStats, _Mapping]]] = ..., exits: _Optional[_Iterable[_Union[ExitStats, _Mapping]]] = ...) -> None: ...

class ExitStats(_message.Message):
    __slots__ = ("exit_id", "zone_id", "passed_mean", "wait_quantile_min", "wait_quantile_ci_min", "wait_max_min", "last_out_min", "passed_by_slot")
    EXIT_ID_FIELD_NUMBER: _ClassVar[int]
    ZONE_ID_FIELD_NUMBER: _ClassVar[int]
    PASSED_MEAN_FIELD_NUMBER: _ClassVar[int]
    WAIT_QUANTILE_MIN_FIELD_NUMBER: _ClassVar[int]
    WAIT_QUANTILE_CI_MIN_FIELD_NUMBER: _ClassVar[int]
    WAIT_MAX_MIN_FIELD_NUMBER: _ClassVar[int]
    LAST_OUT_MIN_FIELD_NUMBER: _ClassVar[int]
    PASSED_BY_SLOT_FIELD_NUMBER: _ClassVar[int]
    exit_id: str
    zone_id: str
    passed_mean: float
    wait_quantile_min: float
    wait_quantile_ci_min: float
    wait_max_min: float
    last_out_min: float
    passed_by_slot: _containers.RepeatedScalarFieldContainer[float]
    def __init__(self, exit_id: _Optional[str] = ..., zone_id: _Optional[str] = ..., passed_mean: _Optional[float] = ..., wait_quantile_min: _Optional[float] = ..., wait_quantile_ci_min: _Optional[float] = ..., wait_max_min: _Optional[float] = ..., last_out_min: _Optional[float] = ..., passed_by_slot: _Optional[_Iterable[float]] = ...) -> None: ...

class TargetCheck(_message.Message):
    __slots__ = ("name", "target", "value", "unit", "met", "replications_met", "detail", "value_ci", "met_at_bound")
    NAME_FIELD_NUMBER: _ClassVar[int]
    TARGET_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    UNIT_FIELD_NUMBER: _ClassVar[int]
    MET_FIELD_NUMBER: _ClassVar[int]
    REPLICATIONS_MET_FIELD_NUMBER: _ClassVar[int]
    DETAIL_FIELD_NUMBER: _ClassVar[int]
    VALUE_CI_FIELD_NUMBER: _ClassVar[int]
    MET_AT_BOUND_FIELD_NUMBER: _ClassVar[int]
    name: str
    target: str
    value: float
    unit: str
    met: bool
    replications_met: float
    detail: str
    value_ci: float
    met_at_bound: bool
    def __init__(self, name: _Optional[str] = ..., target: _Optional[str] = ..., value: _Optional[float] = ..., unit: _Optional[str] = ..., met: _Optional[bool] = ..., replications_met: _Optional[float] = ..., detail: _Optional[str] = ..., value_ci: _Optional[float] = ..., met_at_bound: _Optional[bool] = ...) -> None: ...

class StageTiming(_message.Message):
    __slots__ = ("stage", "seconds")
    STAGE_FIELD_NUMBER: _ClassVar[int]
    SECONDS_FIELD_NUMBER: _ClassVar[int]
    stage: str
    seconds: float
    def __init__(self, stage: _Optional[str] = ..., seconds: _Optional[float] = ...) -> None: ...

class PlanResult(_message.Message):
    __slots__ = ("plan_name", "risk_level", "risk_reason", "targets", "requirements", "summary", "shifts", "simulation", "verification", "timings", "options", "versions")
    class VersionsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    PLAN_NAME_FIELD_NUMBER: _ClassVar[int]
    RISK_LEVEL_FIELD_NUMBER: _ClassVar[int]
    RISK_REASON_FIELD_NUMBER: _ClassVar[int]
    TARGETS_FIELD_NUMBER: _ClassVar[int]
    REQUIREMENTS_FIELD_NUMBER: _ClassVar[int]
    SUMMARY_FIELD_NUMBER: _ClassVar[int]
    SHIFTS_FIELD_NUMBER: _ClassVar[int]
    SIMULATION_FIELD_NUMBER: _ClassVar[int]
    VERIFICATION_FIELD_NUMBER: _ClassVar[int]
    TIMINGS_FIELD_NUMBER: _ClassVar[int]
    OPTIONS_FIELD_NUMBER: _ClassVar[int]
    VERSIONS_FIELD_NUMBER: _ClassVar[int]
    plan_name: str
    risk_level: _plan_pb2.RiskLevel
    risk_reason: str
    targets: _plan_pb2.RiskTargets
    requirements: _containers.RepeatedCompositeFieldContainer[Requirement]
    summary: RosterSummary
    shifts: _containers.RepeatedCompositeFieldContainer[Shift]
    simulation: SimulationReport
    verification: _containers.RepeatedCompositeFieldContainer[TargetCheck]
    timings: _containers.RepeatedCompositeFieldContainer[StageTiming]
    options: RunOptions
    versions: _containers.ScalarMap[str, str]
    def __init__(self, plan_name: _Optional[str] = ..., risk_level: _Optional[_Union[_plan_pb2.RiskLevel, str]] = ..., risk_reason: _Optional[str] = ..., targets: _Optional[_Union[_plan_pb2.RiskTargets, _Mapping]] = ..., requirements: _Optional[_Iterable[_Union[Requirement, _Mapping]]] = ..., summary: _Optional[_Union[RosterSummary, _Mapping]] = ..., shifts: _Optional[_Iterable[_Union[Shift, _Mapping]]] = ..., simulation: _Optional[_Union[SimulationReport, _Mapping]] = ..., verification: _Optional[_Iterable[_Union[TargetCheck, _Mapping]]] = ..., timings: _Optional[_Iterable[_Union[StageTiming, _Mapping]]] = ..., options: _Optional[_Union[RunOptions, _Mapping]] = ..., versions: _Optional[_Mapping[str, str]] = ...) -> None: ...
