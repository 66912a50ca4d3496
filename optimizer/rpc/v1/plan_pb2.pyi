from optimizer.rpc.v1 import replan_rules_pb2 as _replan_rules_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Ring(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    RING_UNSPECIFIED: _ClassVar[Ring]
    RING_CORE: _ClassVar[Ring]
    RING_INNER: _ClassVar[Ring]
    RING_OUTER: _ClassVar[Ring]

class ScreeningLevel(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SCREENING_LEVEL_UNSPECIFIED: _ClassVar[ScreeningLevel]
    SCREENING_LEVEL_TICKET_ONLY: _ClassVar[ScreeningLevel]
    SCREENING_LEVEL_METAL_DETECTOR: _ClassVar[ScreeningLevel]
    SCREENING_LEVEL_BAG_CHECK: _ClassVar[ScreeningLevel]
    SCREENING_LEVEL_REAL_NAME_ID: _ClassVar[ScreeningLevel]

class PostKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    POST_KIND_UNSPECIFIED: _ClassVar[PostKind]
    POST_KIND_SCREENING: _ClassVar[PostKind]
    POST_KIND_FIXED: _ClassVar[PostKind]
    POST_KIND_PATROL: _ClassVar[PostKind]
    POST_KIND_RAPID_RESPONSE: _ClassVar[PostKind]
    POST_KIND_TRAFFIC: _ClassVar[PostKind]
    POST_KIND_COMMAND: _ClassVar[PostKind]

class WaveShape(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    WAVE_SHAPE_UNSPECIFIED: _ClassVar[WaveShape]
    WAVE_SHAPE_NORMAL: _ClassVar[WaveShape]
    WAVE_SHAPE_UNIFORM: _ClassVar[WaveShape]
    WAVE_SHAPE_TRIANGULAR: _ClassVar[WaveShape]
    WAVE_SHAPE_PER_SLOT: _ClassVar[WaveShape]

class RiskLevel(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    RISK_LEVEL_UNSPECIFIED: _ClassVar[RiskLevel]
    RISK_LEVEL_LOW: _ClassVar[RiskLevel]
    RISK_LEVEL_MEDIUM: _ClassVar[RiskLevel]
    RISK_LEVEL_HIGH: _ClassVar[RiskLevel]

class ObjectiveTerm(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    OBJECTIVE_TERM_UNSPECIFIED: _ClassVar[ObjectiveTerm]
    OBJECTIVE_TERM_HEADCOUNT: _ClassVar[ObjectiveTerm]
    OBJECTIVE_TERM_OFFICER_HOURS: _ClassVar[ObjectiveTerm]
    OBJECTIVE_TERM_POST_CHANGES: _ClassVar[ObjectiveTerm]
    OBJECTIVE_TERM_OVER_COVER: _ClassVar[ObjectiveTerm]
RING_UNSPECIFIED: Ring
RING_CORE: Ring
RING_INNER: Ring
RING_OUTER: Ring
SCREENING_LEVEL_UNSPECIFIED: ScreeningLevel
SCREENING_LEVEL_TICKET_ONLY: ScreeningLevel
SCREENING_LEVEL_METAL_DETECTOR: ScreeningLevel
SCREENING_LEVEL_BAG_CHECK: ScreeningLevel
SCREENING_LEVEL_REAL_NAME_ID: ScreeningLevel
POST_KIND_UNSPECIFIED: PostKind
POST_KIND_SCREENING: PostKind
POST_KIND_FIXED: PostKind
POST_KIND_PATROL: PostKind
POST_KIND_RAPID_RESPONSE: PostKind
POST_KIND_TRAFFIC: PostKind
POST_KIND_COMMAND: PostKind
WAVE_SHAPE_UNSPECIFIED: WaveShape
WAVE_SHAPE_NORMAL: WaveShape
WAVE_SHAPE_UNIFORM: WaveShape
WAVE_SHAPE_TRIANGULAR: WaveShape
WAVE_SHAPE_PER_SLOT: WaveShape
RISK_LEVEL_UNSPECIFIED: RiskLevel
RISK_LEVEL_LOW: RiskLevel
RISK_LEVEL_MEDIUM: RiskLevel
RISK_LEVEL_HIGH: RiskLevel
OBJECTIVE_TERM_UNSPECIFIED: ObjectiveTerm
OBJECTIVE_TERM_HEADCOUNT: ObjectiveTerm
OBJECTIVE_TERM_OFFICER_HOURS: ObjectiveTerm
OBJECTIVE_TERM_POST_CHANGES: ObjectiveTerm
OBJECTIVE_TERM_OVER_COVER: ObjectiveTerm

class EventPlan(_message.Message):
    __slots__ = ("name", "time_grid", "phases", "zones", "gates", "posts", "crowd", "risk", "pool", "labour", "objective", "requirements", "course", "exits", "egress_target_min", "replan")
    NAME_FIELD_NUMBER: _ClassVar[int]
    TIME_GRID_FIELD_NUMBER: _ClassVar[int]
    PHASES_FIELD_NUMBER: _ClassVar[int]
    ZONES_FIELD_NUMBER: _ClassVar[int]
    GATES_FIELD_NUMBER: _ClassVar[int]
    POSTS_FIELD_NUMBER: _ClassVar[int]
    CROWD_FIELD_NUMBER: _ClassVar[int]
    RISK_FIELD_NUMBER: _ClassVar[int]
    POOL_FIELD_NUMBER: _ClassVar[int]
    LABOUR_FIELD_NUMBER: _ClassVar[int]
    OBJECTIVE_FIELD_NUMBER: _ClassVar[int]
    REQUIREMENTS_FIELD_NUMBER: _ClassVar[int]
    COURSE_FIELD_NUMBER: _ClassVar[int]
    EXITS_FIELD_NUMBER: _ClassVar[int]
    EGRESS_TARGET_MIN_FIELD_NUMBER: _ClassVar[int]
    REPLAN_FIELD_NUMBER: _ClassVar[int]
    name: str
    time_grid: TimeGrid
    phases: _containers.RepeatedCompositeFieldContainer[Phase]
    zones: _containers.RepeatedCompositeFieldContainer[Zone]
    gates: _containers.RepeatedCompositeFieldContainer[Gate]
    posts: _containers.RepeatedCompositeFieldContainer[Post]
    crowd: CrowdForecast
    risk: Risk
    pool: OfficerPool
    labour: LabourRules
    objective: Objective
    requirements: _containers.RepeatedCompositeFieldContainer[PostRequirement]
    course: Course
    exits: _containers.RepeatedCompositeFieldContainer[Exit]
    egress_target_min: float
    replan: _replan_rules_pb2.ReplanRules
    def __init__(self, name: _Optional[str] = ..., time_grid: _Optional[_Union[TimeGrid, _Mapping]] = ..., phases: _Optional[_Iterable[_Union[Phase, _Mapping]]] = ..., zones: _Optional[_Iterable[_Union[Zone, _Mapping]]] = ..., gates: _Optional[_Iterable[_Union[Gate, _Mapping]]] = ..., posts: _Optional[_Iterable[_Union[Post, _Mapping]]] = ..., crowd: _Optional[_Union[CrowdForecast, _Mapping]] = ..., risk: _Optional[_Union[Risk, _Mapping]] = ..., pool: _Optional[_Union[OfficerPool, _Mapping]] = ..., labour: _Optional[_Union[LabourRules, _Mapping]] = ..., objective: _Optional[_Union[Objective, _Mapping]] = ..., requirements: _Optional[_Iterable[_Union[PostRequirement, _Mapping]]] = ..., course: _Optional[_Union[Course, _Mapping]] = ..., exits: _Optional[_Iterable[_Union[Exit, _Mapping]]] = ..., egress_target_min: _Optional[float] = ..., replan: _Optional[_Union[_replan_rules_pb2.ReplanRules, _Mapping]] = ...) -> None: ...

class Exit(_message.Message):
    __slots__ = ("id", "zone_id", "width_m", "flow_per_m_min")
    ID_FIELD_NUMBER: _ClassVar[int]
    ZONE_ID_FIELD_NUMBER: _ClassVar[int]
    WIDTH_M_FIELD_NUMBER: _ClassVar[int]
    FLOW_PER_M_MIN_FIELD_NUMBER: _ClassVar[int]
    id: str
    zone_id: str
    width_m: float
    flow_per_m_min: float
    def __init__(self, id: _Optional[str] = ..., zone_id: _Optional[str] = ..., width_m: _Optional[float] = ..., flow_per_m_min: _Optional[float] = ...) -> None: ...

class TimeGrid(_message.Message):
    __slots__ = ("start_time", "slot_min", "horizon_min")
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    SLOT_MIN_FIELD_NUMBER: _ClassVar[int]
    HORIZON_MIN_FIELD_NUMBER: _ClassVar[int]
    start_time: str
    slot_min: int
    horizon_min: int
    def __init__(self, start_time: _Optional[str] = ..., slot_min: _Optional[int] = ..., horizon_min: _Optional[int] = ...) -> None: ...

class Phase(_message.Message):
    __slots__ = ("name", "start_min", "end_min")
    NAME_FIELD_NUMBER: _ClassVar[int]
    START_MIN_FIELD_NUMBER: _ClassVar[int]
    END_MIN_FIELD_NUMBER: _ClassVar[int]
    name: str
    start_min: int
    end_min: int
    def __init__(self, name: _Optional[str] = ..., start_min: _Optional[int] = ..., end_min: _Optional[int] = ...) -> None: ...

class Zone(_message.Message):
    __slots__ = ("id", "name", "ring", "area_m2", "targets")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    RING_FIELD_NUMBER: _ClassVar[int]
    AREA_M2_FIELD_NUMBER: _ClassVar[int]
    TARGETS_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    ring: Ring
    area_m2: float
    targets: RiskTargets
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., ring: _Optional[_Union[Ring, str]] = ..., area_m2: _Optional[float] = ..., targets: _Optional[_Union[RiskTargets, _Mapping]] = ...) -> None: ...

class Gate(_message.Message):
    __slots__ = ("id", "zone_id", "lanes", "officers_per_lane", "screening_level", "service_mean_s", "service_cv", "share", "spill_queue", "spill_to_gate_id", "spill_walk_min", "targets")
    ID_FIELD_NUMBER: _ClassVar[int]
    ZONE_ID_FIELD_NUMBER: _ClassVar[int]
    LANES_FIELD_NUMBER: _ClassVar[int]
    OFFICERS_PER_LANE_FIELD_NUMBER: _ClassVar[int]
    SCREENING_LEVEL_FIELD_NUMBER: _ClassVar[int]
    SERVICE_MEAN_S_FIELD_NUMBER: _ClassVar[int]
    SERVICE_CV_FIELD_NUMBER: _ClassVar[int]
    SHARE_FIELD_NUMBER: _ClassVar[int]
    SPILL_QUEUE_FIELD_NUMBER: _ClassVar[int]
    SPILL_TO_GATE_ID_FIELD_NUMBER: _ClassVar[int]
    SPILL_WALK_MIN_FIELD_NUMBER: _ClassVar[int]
    TARGETS_FIELD_NUMBER: _ClassVar[int]
    id: str
    zone_id: str
    lanes: int
    officers_per_lane: int
    screening_level: ScreeningLevel
    service_mean_s: float
    service_cv: float
    share: float
    spill_queue: int
    spill_to_gate_id: str
    spill_walk_min: float
    targets: RiskTargets
    def __init__(self, id: _Optional[str] = ..., zone_id: _Optional[str] = ..., lanes: _Optional[int] = ..., officers_per_lane: _Optional[int] = ..., screening_level: _Optional[_Union[ScreeningLevel, str]] = ..., service_mean_s: _Optional[float] = ..., service_cv: _Optional[float] = ..., share: _Optional[float] = ..., spill_queue: _Optional[int] = ..., spill_to_gate_id: _Optional[str] = ..., spill_walk_min: _Optional[float] = ..., targets: _Optional[_Union[RiskTargets, _Mapping]] = ...) -> None: ...

class Post(_message.Message):
    __slots__ = ("id", "kind", "zone_id", "officer_type", "active_start_min", "active_end_min", "min_officers", "gate_id", "attendees_per_officer", "covers_zone_ids", "reach_m", "officers_per_unit", "targets", "exit_id")
    ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    ZONE_ID_FIELD_NUMBER: _ClassVar[int]
    OFFICER_TYPE_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_START_MIN_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_END_MIN_FIELD_NUMBER: _ClassVar[int]
    MIN_OFFICERS_FIELD_NUMBER: _ClassVar[int]
    GATE_ID_FIELD_NUMBER: _ClassVar[int]
    ATTENDEES_PER_OFFICER_FIELD_NUMBER: _ClassVar[int]
    COVERS_ZONE_IDS_FIELD_NUMBER: _ClassVar[int]
    REACH_M_FIELD_NUMBER: _ClassVar[int]
    OFFICERS_PER_UNIT_FIELD_NUMBER: _ClassVar[int]
    TARGETS_FIELD_NUMBER: _ClassVar[int]
    EXIT_ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    kind: PostKind
    zone_id: str
    officer_type: str
    active_start_min: int
    active_end_min: int
    min_officers: int
    gate_id: str
    attendees_per_officer: float
    covers_zone_ids: _containers.RepeatedScalarFieldContainer[str]
    reach_m: float
    officers_per_unit: int
    targets: RiskTargets
    exit_id: str
    def __init__(self, id: _Optional[str] = ..., kind: _Optional[_Union[PostKind, str]] = ..., zone_id: _Optional[str] = ..., officer_type: _Optional[str] = ..., active_start_min: _Optional[int] = ..., active_end_min: _Optional[int] = ..., min_officers: _Optional[int] = ..., gate_id: _Optional[str] = ..., attendees_per_officer: _Optional[float] = ..., covers_zone_ids: _Optional[_Iterable[str]] = ..., reach_m: _Optional[float] = ..., officers_per_unit: _Optional[int] = ..., targets: _Optional[_Union[RiskTargets, _Mapping]] = ..., exit_id: _Optional[str] = ...) -> None: ...

class Wave(_message.Message):
    __slots__ = ("name", "shape", "share", "start_min", "end_min", "peak_min", "sd_min", "slot_weights")
    NAME_FIELD_NUMBER: _ClassVar[int]
    SHAPE_FIELD_NUMBER: _ClassVar[int]
    SHARE_FIELD_NUMBER: _ClassVar[int]
    START_MIN_FIELD_NUMBER: _ClassVar[int]
    END_MIN_FIELD_NUMBER: _ClassVar[int]
    PEAK_MIN_FIELD_NUMBER: _ClassVar[int]
    SD_MIN_FIELD_NUMBER: _ClassVar[int]
    SLOT_WEIGHTS_FIELD_NUMBER: _ClassVar[int]
    name: str
    shape: WaveShape
    share: float
    start_min: int
    end_min: int
    peak_min: int
    sd_min: float
    slot_weights: _containers.RepeatedScalarFieldContainer[float]
    def __init__(self, name: _Optional[str] = ..., shape: _Optional[_Union[WaveShape, str]] = ..., share: _Optional[float] = ..., start_min: _Optional[int] = ..., end_min: _Optional[int] = ..., peak_min: _Optional[int] = ..., sd_min: _Optional[float] = ..., slot_weights: _Optional[_Iterable[float]] = ...) -> None: ...

class CrowdForecast(_message.Message):
    __slots__ = ("attendance", "arrival_waves", "egress_waves")
    ATTENDANCE_FIELD_NUMBER: _ClassVar[int]
    ARRIVAL_WAVES_FIELD_NUMBER: _ClassVar[int]
    EGRESS_WAVES_FIELD_NUMBER: _ClassVar[int]
    attendance: int
    arrival_waves: _containers.RepeatedCompositeFieldContainer[Wave]
    egress_waves: _containers.RepeatedCompositeFieldContainer[Wave]
    def __init__(self, attendance: _Optional[int] = ..., arrival_waves: _Optional[_Iterable[_Union[Wave, _Mapping]]] = ..., egress_waves: _Optional[_Iterable[_Union[Wave, _Mapping]]] = ...) -> None: ...

class Hazard(_message.Message):
    __slots__ = ("name", "likelihood", "impact")
    NAME_FIELD_NUMBER: _ClassVar[int]
    LIKELIHOOD_FIELD_NUMBER: _ClassVar[int]
    IMPACT_FIELD_NUMBER: _ClassVar[int]
    name: str
    likelihood: int
    impact: int
    def __init__(self, name: _Optional[str] = ..., likelihood: _Optional[int] = ..., impact: _Optional[int] = ...) -> None: ...

class RiskTargets(_message.Message):
    __slots__ = ("wait_target_min", "wait_quantile", "attendees_per_officer", "density_warning", "density_critical", "reserve_share", "incidents_per_10k_hours", "incident_service_min", "response_busy_max", "response_core_min", "response_inner_min", "response_outer_min", "min_response_points", "attendees_per_extra_point", "response_unit_officers", "patrol_density_factor")
    WAIT_TARGET_MIN_FIELD_NUMBER: _ClassVar[int]
    WAIT_QUANTILE_FIELD_NUMBER: _ClassVar[int]
    ATTENDEES_PER_OFFICER_FIELD_NUMBER: _ClassVar[int]
    DENSITY_WARNING_FIELD_NUMBER: _ClassVar[int]
    DENSITY_CRITICAL_FIELD_NUMBER: _ClassVar[int]
    RESERVE_SHARE_FIELD_NUMBER: _ClassVar[int]
    INCIDENTS_PER_10K_HOURS_FIELD_NUMBER: _ClassVar[int]
    INCIDENT_SERVICE_MIN_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_BUSY_MAX_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_CORE_MIN_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_INNER_MIN_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_OUTER_MIN_FIELD_NUMBER: _ClassVar[int]
    MIN_RESPONSE_POINTS_FIELD_NUMBER: _ClassVar[int]
    ATTENDEES_PER_EXTRA_POINT_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_UNIT_OFFICERS_FIELD_NUMBER: _ClassVar[int]
    PATROL_DENSITY_FACTOR_FIELD_NUMBER: _ClassVar[int]
    wait_target_min: float
    wait_quantile: float
    attendees_per_officer: float
    density_warning: float
    density_critical: float
    reserve_share: float
    incidents_per_10k_hours: float
    incident_service_min: float
    response_busy_max: float
    response_core_min: float
    response_inner_min: float
    response_outer_min: float
    min_response_points: int
    attendees_per_extra_point: float
    response_unit_officers: int
    patrol_density_factor: float
    def __init__(self, wait_target_min: _Optional[float] = ..., wait_quantile: _Optional[float] = ..., attendees_per_officer: _Optional[float] = ..., density_warning: _Optional[float] = ..., density_critical: _Optional[float] = ..., reserve_share: _Optional[float] = ..., incidents_per_10k_hours: _Optional[float] = ..., incident_service_min: _Optional[float] = ..., response_busy_max: _Optional[float] = ..., response_core_min: _Optional[float] = ..., response_inner_min: _Optional[float] = ..., response_outer_min: _Optional[float] = ..., min_response_points: _Optional[int] = ..., attendees_per_extra_point: _Optional[float] = ..., response_unit_officers: _Optional[int] = ..., patrol_density_factor: _Optional[float] = ...) -> None: ...

class Risk(_message.Message):
    __slots__ = ("level", "hazards", "targets")
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    HAZARDS_FIELD_NUMBER: _ClassVar[int]
    TARGETS_FIELD_NUMBER: _ClassVar[int]
    level: RiskLevel
    hazards: _containers.RepeatedCompositeFieldContainer[Hazard]
    targets: RiskTargets
    def __init__(self, level: _Optional[_Union[RiskLevel, str]] = ..., hazards: _Optional[_Iterable[_Union[Hazard, _Mapping]]] = ..., targets: _Optional[_Union[RiskTargets, _Mapping]] = ...) -> None: ...

class OfficerType(_message.Message):
    __slots__ = ("id", "name", "can_cover")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    CAN_COVER_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    can_cover: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., can_cover: _Optional[_Iterable[str]] = ...) -> None: ...

class Supply(_message.Message):
    __slots__ = ("officer_type", "count", "available_start_min", "available_end_min")
    OFFICER_TYPE_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    AVAILABLE_START_MIN_FIELD_NUMBER: _ClassVar[int]
    AVAILABLE_END_MIN_FIELD_NUMBER: _ClassVar[int]
    officer_type: str
    count: int
    available_start_min: int
    available_end_min: int
    def __init__(self, officer_type: _Optional[str] = ..., count: _Optional[int] = ..., available_start_min: _Optional[int] = ..., available_end_min: _Optional[int] = ...) -> None: ...

class Officer(_message.Message):
    __slots__ = ("id", "officer_type", "available_start_min", "available_end_min", "worked_min", "max_work_min", "previous_duty_end_min")
    ID_FIELD_NUMBER: _ClassVar[int]
    OFFICER_TYPE_FIELD_NUMBER: _ClassVar[int]
    AVAILABLE_START_MIN_FIELD_NUMBER: _ClassVar[int]
    AVAILABLE_END_MIN_FIELD_NUMBER: _ClassVar[int]
    WORKED_MIN_FIELD_NUMBER: _ClassVar[int]
    MAX_WORK_MIN_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_DUTY_END_MIN_FIELD_NUMBER: _ClassVar[int]
    id: str
    officer_type: str
    available_start_min: int
    available_end_min: int
    worked_min: int
    max_work_min: int
    previous_duty_end_min: int
    def __init__(self, id: _Optional[str] = ..., officer_type: _Optional[str] = ..., available_start_min: _Optional[int] = ..., available_end_min: _Optional[int] = ..., worked_min: _Optional[int] = ..., max_work_min: _Optional[int] = ..., previous_duty_end_min: _Optional[int] = ...) -> None: ...

class OfficerPool(_message.Message):
    __slots__ = ("types", "supply", "officers")
    TYPES_FIELD_NUMBER: _ClassVar[int]
    SUPPLY_FIELD_NUMBER: _ClassVar[int]
    OFFICERS_FIELD_NUMBER: _ClassVar[int]
    types: _containers.RepeatedCompositeFieldContainer[OfficerType]
    supply: _containers.RepeatedCompositeFieldContainer[Supply]
    officers: _containers.RepeatedCompositeFieldContainer[Officer]
    def __init__(self, types: _Optional[_Iterable[_Union[OfficerType, _Mapping]]] = ..., supply: _Optional[_Iterable[_Union[Supply, _Mapping]]] = ..., officers: _Optional[_Iterable[_Union[Officer, _Mapping]]] = ...) -> None: ...

class BreakRule(_message.Message):
    __slots__ = ("min_shift_min", "break_min")
    MIN_SHIFT_MIN_FIELD_NUMBER: _ClassVar[int]
    BREAK_MIN_FIELD_NUMBER: _ClassVar[int]
    min_shift_min: int
    break_min: int
    def __init__(self, min_shift_min: _Optional[int] = ..., break_min: _Optional[int] = ...) -> None: ...

class LabourRules(_message.Message):
    __slots__ = ("min_shift_min", "max_shift_min", "shift_step_min", "start_step_min", "break_rules", "break_window_start_min", "break_window_end_min", "max_work_min", "max_continuous_post_min", "min_stint_min", "min_rest_min", "default_travel_min", "travel")
    MIN_SHIFT_MIN_FIELD_NUMBER: _ClassVar[int]
    MAX_SHIFT_MIN_FIELD_NUMBER: _ClassVar[int]
    SHIFT_STEP_MIN_FIELD_NUMBER: _ClassVar[int]
    START_STEP_MIN_FIELD_NUMBER: _ClassVar[int]
    BREAK_RULES_FIELD_NUMBER: _ClassVar[int]
    BREAK_WINDOW_START_MIN_FIELD_NUMBER: _ClassVar[int]
    BREAK_WINDOW_END_MIN_FIELD_NUMBER: _ClassVar[int]
    MAX_WORK_MIN_FIELD_NUMBER: _ClassVar[int]
    MAX_CONTINUOUS_POST_MIN_FIELD_NUMBER: _ClassVar[int]
    MIN_STINT_MIN_FIELD_NUMBER: _ClassVar[int]
    MIN_REST_MIN_FIELD_NUMBER: _ClassVar[int]
    DEFAULT_TRAVEL_MIN_FIELD_NUMBER: _ClassVar[int]
    TRAVEL_FIELD_NUMBER: _ClassVar[int]
    min_shift_min: int
    max_shift_min: int
    shift_step_min: int
    start_step_min: int
    break_rules: _containers.RepeatedCompositeFieldContainer[BreakRule]
    break_window_start_min: int
    break_window_end_min: int
    max_work_min: int
    max_continuous_post_min: int
    min_stint_min: int
    min_rest_min: int
    default_travel_min: int
    travel: _containers.RepeatedCompositeFieldContainer[ZoneTravel]
    def __init__(self, min_shift_min: _Optional[int] = ..., max_shift_min: _Optional[int] = ..., shift_step_min: _Optional[int] = ..., start_step_min: _Optional[int] = ..., break_rules: _Optional[_Iterable[_Union[BreakRule, _Mapping]]] = ..., break_window_start_min: _Optional[int] = ..., break_window_end_min: _Optional[int] = ..., max_work_min: _Optional[int] = ..., max_continuous_post_min: _Optional[int] = ..., min_stint_min: _Optional[int] = ..., min_rest_min: _Optional[int] = ..., default_travel_min: _Optional[int] = ..., travel: _Optional[_Iterable[_Union[ZoneTravel, _Mapping]]] = ...) -> None: ...

class ZoneTravel(_message.Message):
    __slots__ = ("from_zone_id", "to_zone_id", "minutes")
    FROM_ZONE_ID_FIELD_NUMBER: _ClassVar[int]
    TO_ZONE_ID_FIELD_NUMBER: _ClassVar[int]
    MINUTES_FIELD_NUMBER: _ClassVar[int]
    from_zone_id: str
    to_zone_id: str
    minutes: int
    def __init__(self, from_zone_id: _Optional[str] = ..., to_zone_id: _Optional[str] = ..., minutes: _Optional[int] = ...) -> None: ...

class Objective(_message.Message):
    __slots__ = ("order", "substitutes_in_reserve")
    ORDER_FIELD_NUMBER: _ClassVar[int]
    SUBSTITUTES_IN_RESERVE_FIELD_NUMBER: _ClassVar[int]
    order: _containers.RepeatedScalarFieldContainer[ObjectiveTerm]
    substitutes_in_reserve: bool
    def __init__(self, order: _Optional[_Iterable[_Union[ObjectiveTerm, str]]] = ..., substitutes_in_reserve: _Optional[bool] = ...) -> None: ...

class RequirementSpan(_message.Message):
    __slots__ = ("start_min", "end_min", "officers")
    START_MIN_FIELD_NUMBER: _ClassVar[int]
    END_MIN_FIELD_NUMBER: _ClassVar[int]
    OFFICERS_FIELD_NUMBER: _ClassVar[int]
    start_min: int
    end_min: int
    officers: int
    def __init__(self, start_min: _Optional[int] = ..., end_min: _Optional[int] = ..., officers: _Optional[int] = ...) -> None: ...

class PostRequirement(_message.Message):
    __slots__ = ("post_id", "officer_type", "runs")
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    OFFICER_TYPE_FIELD_NUMBER: _ClassVar[int]
    RUNS_FIELD_NUMBER: _ClassVar[int]
    post_id: str
    officer_type: str
    runs: _containers.RepeatedCompositeFieldContainer[RequirementSpan]
    def __init__(self, post_id: _Optional[str] = ..., officer_type: _Optional[str] = ..., runs: _Optional[_Iterable[_Union[RequirementSpan, _Mapping]]] = ...) -> None: ...

class Corral(_message.Message):
    __slots__ = ("name", "start_min", "runners", "pace_mean_min_km", "pace_sd_min_km")
    NAME_FIELD_NUMBER: _ClassVar[int]
    START_MIN_FIELD_NUMBER: _ClassVar[int]
    RUNNERS_FIELD_NUMBER: _ClassVar[int]
    PACE_MEAN_MIN_KM_FIELD_NUMBER: _ClassVar[int]
    PACE_SD_MIN_KM_FIELD_NUMBER: _ClassVar[int]
    name: str
    start_min: int
    runners: int
    pace_mean_min_km: float
    pace_sd_min_km: float
    def __init__(self, name: _Optional[str] = ..., start_min: _Optional[int] = ..., runners: _Optional[int] = ..., pace_mean_min_km: _Optional[float] = ..., pace_sd_min_km: _Optional[float] = ...) -> None: ...

class CourseSegment(_message.Message):
    __slots__ = ("id", "start_km", "end_km", "post_ids", "spectators")
    ID_FIELD_NUMBER: _ClassVar[int]
    START_KM_FIELD_NUMBER: _ClassVar[int]
    END_KM_FIELD_NUMBER: _ClassVar[int]
    POST_IDS_FIELD_NUMBER: _ClassVar[int]
    SPECTATORS_FIELD_NUMBER: _ClassVar[int]
    id: str
    start_km: float
    end_km: float
    post_ids: _containers.RepeatedScalarFieldContainer[str]
    spectators: int
    def __init__(self, id: _Optional[str] = ..., start_km: _Optional[float] = ..., end_km: _Optional[float] = ..., post_ids: _Optional[_Iterable[str]] = ..., spectators: _Optional[int] = ...) -> None: ...

class Course(_message.Message):
    __slots__ = ("corrals", "cutoff_pace_min_km", "segments", "margin_before_min", "margin_after_min", "fastest_pace_min_km")
    CORRALS_FIELD_NUMBER: _ClassVar[int]
    CUTOFF_PACE_MIN_KM_FIELD_NUMBER: _ClassVar[int]
    SEGMENTS_FIELD_NUMBER: _ClassVar[int]
    MARGIN_BEFORE_MIN_FIELD_NUMBER: _ClassVar[int]
    MARGIN_AFTER_MIN_FIELD_NUMBER: _ClassVar[int]
    FASTEST_PACE_MIN_KM_FIELD_NUMBER: _ClassVar[int]
    corrals: _containers.RepeatedCompositeFieldContainer[Corral]
    cutoff_pace_min_km: float
    segments: _containers.RepeatedCompositeFieldContainer[CourseSegment]
    margin_before_min: float
    margin_after_min: float
    fastest_pace_min_km: float
    def __init__(self, corrals: _Optional[_Iterable[_Union[Corral, _Mapping]]] = ..., cutoff_pace_min_km: _Optional[float] = ..., segments: _Optional[_Iterable[_Union[CourseSegment, _Mapping]]] = ..., margin_before_min: _Optional[float] = ..., margin_after_min: _Optional[float] = ..., fastest_pace_min_km: _Optional[float] = ...) -> None: ...
