from optimizer.rpc.v1 import plan_pb2 as _plan_pb2
from optimizer.rpc.v1 import replan_pb2 as _replan_pb2
from optimizer.rpc.v1 import replan_rules_pb2 as _replan_rules_pb2
from optimizer.rpc.v1 import result_pb2 as _result_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class EventStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    EVENT_STATUS_UNSPECIFIED: _ClassVar[EventStatus]
    EVENT_STATUS_NOTHING_PUBLISHED: _ClassVar[EventStatus]
    EVENT_STATUS_UP_TO_DATE: _ClassVar[EventStatus]
    EVENT_STATUS_DUE: _ClassVar[EventStatus]
    EVENT_STATUS_AWAITING_PUBLICATION: _ClassVar[EventStatus]

class PlanPhase(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PLAN_PHASE_UNSPECIFIED: _ClassVar[PlanPhase]
    PLAN_PHASE_VALIDATE: _ClassVar[PlanPhase]
    PLAN_PHASE_SIMULATE: _ClassVar[PlanPhase]
    PLAN_PHASE_REQUIREMENTS: _ClassVar[PlanPhase]
    PLAN_PHASE_SOLVE: _ClassVar[PlanPhase]
    PLAN_PHASE_VERIFY: _ClassVar[PlanPhase]

class JobState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    JOB_STATE_UNSPECIFIED: _ClassVar[JobState]
    JOB_STATE_RUNNING: _ClassVar[JobState]
    JOB_STATE_SUCCEEDED: _ClassVar[JobState]
    JOB_STATE_FAILED: _ClassVar[JobState]
    JOB_STATE_CANCELLED: _ClassVar[JobState]
EVENT_STATUS_UNSPECIFIED: EventStatus
EVENT_STATUS_NOTHING_PUBLISHED: EventStatus
EVENT_STATUS_UP_TO_DATE: EventStatus
EVENT_STATUS_DUE: EventStatus
EVENT_STATUS_AWAITING_PUBLICATION: EventStatus
PLAN_PHASE_UNSPECIFIED: PlanPhase
PLAN_PHASE_VALIDATE: PlanPhase
PLAN_PHASE_SIMULATE: PlanPhase
PLAN_PHASE_REQUIREMENTS: PlanPhase
PLAN_PHASE_SOLVE: PlanPhase
PLAN_PHASE_VERIFY: PlanPhase
JOB_STATE_UNSPECIFIED: JobState
JOB_STATE_RUNNING: JobState
JOB_STATE_SUCCEEDED: JobState
JOB_STATE_FAILED: JobState
JOB_STATE_CANCELLED: JobState

class PlanRequest(_message.Message):
    __slots__ = ("plan", "options", "event_id", "publish")
    PLAN_FIELD_NUMBER: _ClassVar[int]
    OPTIONS_FIELD_NUMBER: _ClassVar[int]
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    PUBLISH_FIELD_NUMBER: _ClassVar[int]
    plan: _plan_pb2.EventPlan
    options: _result_pb2.RunOptions
    event_id: str
    publish: bool
    def __init__(self, plan: _Optional[_Union[_plan_pb2.EventPlan, _Mapping]] = ..., options: _Optional[_Union[_result_pb2.RunOptions, _Mapping]] = ..., event_id: _Optional[str] = ..., publish: _Optional[bool] = ...) -> None: ...

class ReplanRequest(_message.Message):
    __slots__ = ("event_id", "plan", "published", "rules", "options", "now", "publish")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    PLAN_FIELD_NUMBER: _ClassVar[int]
    PUBLISHED_FIELD_NUMBER: _ClassVar[int]
    RULES_FIELD_NUMBER: _ClassVar[int]
    OPTIONS_FIELD_NUMBER: _ClassVar[int]
    NOW_FIELD_NUMBER: _ClassVar[int]
    PUBLISH_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    plan: _plan_pb2.EventPlan
    published: _result_pb2.PlanResult
    rules: _replan_rules_pb2.ReplanRules
    options: _result_pb2.RunOptions
    now: str
    publish: bool
    def __init__(self, event_id: _Optional[str] = ..., plan: _Optional[_Union[_plan_pb2.EventPlan, _Mapping]] = ..., published: _Optional[_Union[_result_pb2.PlanResult, _Mapping]] = ..., rules: _Optional[_Union[_replan_rules_pb2.ReplanRules, _Mapping]] = ..., options: _Optional[_Union[_result_pb2.RunOptions, _Mapping]] = ..., now: _Optional[str] = ..., publish: _Optional[bool] = ...) -> None: ...

class ReplanResponse(_message.Message):
    __slots__ = ("replan", "event_id", "plan_version", "roster_id", "base_roster_id", "published")
    REPLAN_FIELD_NUMBER: _ClassVar[int]
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    PLAN_VERSION_FIELD_NUMBER: _ClassVar[int]
    ROSTER_ID_FIELD_NUMBER: _ClassVar[int]
    BASE_ROSTER_ID_FIELD_NUMBER: _ClassVar[int]
    PUBLISHED_FIELD_NUMBER: _ClassVar[int]
    replan: _replan_pb2.ReplanResult
    event_id: str
    plan_version: int
    roster_id: int
    base_roster_id: int
    published: bool
    def __init__(self, replan: _Optional[_Union[_replan_pb2.ReplanResult, _Mapping]] = ..., event_id: _Optional[str] = ..., plan_version: _Optional[int] = ..., roster_id: _Optional[int] = ..., base_roster_id: _Optional[int] = ..., published: _Optional[bool] = ...) -> None: ...

class ListEventsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class EventInfo(_message.Message):
    __slots__ = ("event_id", "name", "plan_versions", "latest_plan_version", "latest_plan_hash", "published_roster_id", "published_plan_version", "published_at", "pending_roster_id", "status", "created_at")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PLAN_VERSIONS_FIELD_NUMBER: _ClassVar[int]
    LATEST_PLAN_VERSION_FIELD_NUMBER: _ClassVar[int]
    LATEST_PLAN_HASH_FIELD_NUMBER: _ClassVar[int]
    PUBLISHED_ROSTER_ID_FIELD_NUMBER: _ClassVar[int]
    PUBLISHED_PLAN_VERSION_FIELD_NUMBER: _ClassVar[int]
    PUBLISHED_AT_FIELD_NUMBER: _ClassVar[int]
    PENDING_ROSTER_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    name: str
    plan_versions: int
    latest_plan_version: int
    latest_plan_hash: str
    published_roster_id: int
    published_plan_version: int
    published_at: str
    pending_roster_id: int
    status: EventStatus
    created_at: str
    def __init__(self, event_id: _Optional[str] = ..., name: _Optional[str] = ..., plan_versions: _Optional[int] = ..., latest_plan_version: _Optional[int] = ..., latest_plan_hash: _Optional[str] = ..., published_roster_id: _Optional[int] = ..., published_plan_version: _Optional[int] = ..., published_at: _Optional[str] = ..., pending_roster_id: _Optional[int] = ..., status: _Optional[_Union[EventStatus, str]] = ..., created_at: _Optional[str] = ...) -> None: ...

class ListEventsResponse(_message.Message):
    __slots__ = ("events",)
    EVENTS_FIELD_NUMBER: _ClassVar[int]
    events: _containers.RepeatedCompositeFieldContainer[EventInfo]
    def __init__(self, events: _Optional[_Iterable[_Union[EventInfo, _Mapping]]] = ...) -> None: ...

class GetRosterRequest(_message.Message):
    __slots__ = ("roster_id", "event_id")
    ROSTER_ID_FIELD_NUMBER: _ClassVar[int]
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    roster_id: int
    event_id: str
    def __init__(self, roster_id: _Optional[int] = ..., event_id: _Optional[str] = ...) -> None: ...

class StoredRoster(_message.Message):
    __slots__ = ("roster_id", "event_id", "plan_version", "plan_hash", "created_at", "origin", "base_roster_id", "published", "result", "replan")
    ROSTER_ID_FIELD_NUMBER: _ClassVar[int]
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    PLAN_VERSION_FIELD_NUMBER: _ClassVar[int]
    PLAN_HASH_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    BASE_ROSTER_ID_FIELD_NUMBER: _ClassVar[int]
    PUBLISHED_FIELD_NUMBER: _ClassVar[int]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    REPLAN_FIELD_NUMBER: _ClassVar[int]
    roster_id: int
    event_id: str
    plan_version: int
    plan_hash: str
    created_at: str
    origin: str
    base_roster_id: int
    published: bool
    result: _result_pb2.PlanResult
    replan: _replan_pb2.ReplanResult
    def __init__(self, roster_id: _Optional[int] = ..., event_id: _Optional[str] = ..., plan_version: _Optional[int] = ..., plan_hash: _Optional[str] = ..., created_at: _Optional[str] = ..., origin: _Optional[str] = ..., base_roster_id: _Optional[int] = ..., published: _Optional[bool] = ..., result: _Optional[_Union[_result_pb2.PlanResult, _Mapping]] = ..., replan: _Optional[_Union[_replan_pb2.ReplanResult, _Mapping]] = ...) -> None: ...

class PublishRosterRequest(_message.Message):
    __slots__ = ("roster_id",)
    ROSTER_ID_FIELD_NUMBER: _ClassVar[int]
    roster_id: int
    def __init__(self, roster_id: _Optional[int] = ...) -> None: ...

class PutPlanRequest(_message.Message):
    __slots__ = ("event_id", "plan")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    PLAN_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    plan: _plan_pb2.EventPlan
    def __init__(self, event_id: _Optional[str] = ..., plan: _Optional[_Union[_plan_pb2.EventPlan, _Mapping]] = ...) -> None: ...

class PutPlanResponse(_message.Message):
    __slots__ = ("event_id", "version", "plan_hash", "created")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    PLAN_HASH_FIELD_NUMBER: _ClassVar[int]
    CREATED_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    version: int
    plan_hash: str
    created: bool
    def __init__(self, event_id: _Optional[str] = ..., version: _Optional[int] = ..., plan_hash: _Optional[str] = ..., created: _Optional[bool] = ...) -> None: ...

class SimulateRequest(_message.Message):
    __slots__ = ("plan", "options")
    PLAN_FIELD_NUMBER: _ClassVar[int]
    OPTIONS_FIELD_NUMBER: _ClassVar[int]
    plan: _plan_pb2.EventPlan
    options: _result_pb2.RunOptions
    def __init__(self, plan: _Optional[_Union[_plan_pb2.EventPlan, _Mapping]] = ..., options: _Optional[_Union[_result_pb2.RunOptions, _Mapping]] = ...) -> None: ...

class SimulateResponse(_message.Message):
    __slots__ = ("risk_level", "targets", "simulation", "requirements", "timings")
    RISK_LEVEL_FIELD_NUMBER: _ClassVar[int]
    TARGETS_FIELD_NUMBER: _ClassVar[int]
    SIMULATION_FIELD_NUMBER: _ClassVar[int]
    REQUIREMENTS_FIELD_NUMBER: _ClassVar[int]
    TIMINGS_FIELD_NUMBER: _ClassVar[int]
    risk_level: _plan_pb2.RiskLevel
    targets: _plan_pb2.RiskTargets
    simulation: _result_pb2.SimulationReport
    requirements: _containers.RepeatedCompositeFieldContainer[_result_pb2.Requirement]
    timings: _containers.RepeatedCompositeFieldContainer[_result_pb2.StageTiming]
    def __init__(self, risk_level: _Optional[_Union[_plan_pb2.RiskLevel, str]] = ..., targets: _Optional[_Union[_plan_pb2.RiskTargets, _Mapping]] = ..., simulation: _Optional[_Union[_result_pb2.SimulationReport, _Mapping]] = ..., requirements: _Optional[_Iterable[_Union[_result_pb2.Requirement, _Mapping]]] = ..., timings: _Optional[_Iterable[_Union[_result_pb2.StageTiming, _Mapping]]] = ...) -> None: ...

class ValidateRequest(_message.Message):
    __slots__ = ("plan",)
    PLAN_FIELD_NUMBER: _ClassVar[int]
    plan: _plan_pb2.EventPlan
    def __init__(self, plan: _Optional[_Union[_plan_pb2.EventPlan, _Mapping]] = ...) -> None: ...

class ValidateResponse(_message.Message):
    __slots__ = ("risk_level", "risk_reason", "slots", "posts", "officers_available")
    RISK_LEVEL_FIELD_NUMBER: _ClassVar[int]
    RISK_REASON_FIELD_NUMBER: _ClassVar[int]
    SLOTS_FIELD_NUMBER: _ClassVar[int]
    POSTS_FIELD_NUMBER: _ClassVar[int]
    OFFICERS_AVAILABLE_FIELD_NUMBER: _ClassVar[int]
    risk_level: _plan_pb2.RiskLevel
    risk_reason: str
    slots: int
    posts: int
    officers_available: int
    def __init__(self, risk_level: _Optional[_Union[_plan_pb2.RiskLevel, str]] = ..., risk_reason: _Optional[str] = ..., slots: _Optional[int] = ..., posts: _Optional[int] = ..., officers_available: _Optional[int] = ...) -> None: ...

class PlanProgress(_message.Message):
    __slots__ = ("phase", "message", "step", "total", "solver_stage", "objective", "bound", "headcount", "elapsed_s")
    PHASE_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    STEP_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    SOLVER_STAGE_FIELD_NUMBER: _ClassVar[int]
    OBJECTIVE_FIELD_NUMBER: _ClassVar[int]
    BOUND_FIELD_NUMBER: _ClassVar[int]
    HEADCOUNT_FIELD_NUMBER: _ClassVar[int]
    ELAPSED_S_FIELD_NUMBER: _ClassVar[int]
    phase: PlanPhase
    message: str
    step: int
    total: int
    solver_stage: str
    objective: int
    bound: int
    headcount: int
    elapsed_s: float
    def __init__(self, phase: _Optional[_Union[PlanPhase, str]] = ..., message: _Optional[str] = ..., step: _Optional[int] = ..., total: _Optional[int] = ..., solver_stage: _Optional[str] = ..., objective: _Optional[int] = ..., bound: _Optional[int] = ..., headcount: _Optional[int] = ..., elapsed_s: _Optional[float] = ...) -> None: ...

class PlanEvent(_message.Message):
    __slots__ = ("progress", "result")
    PROGRESS_FIELD_NUMBER: _ClassVar[int]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    progress: PlanProgress
    result: _result_pb2.PlanResult
    def __init__(self, progress: _Optional[_Union[PlanProgress, _Mapping]] = ..., result: _Optional[_Union[_result_pb2.PlanResult, _Mapping]] = ...) -> None: ...

class Job(_message.Message):
    __slots__ = ("job_id", "state", "progress", "result", "error_code", "error_message", "create_time_s", "end_time_s", "plan_name")
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    PROGRESS_FIELD_NUMBER: _ClassVar[int]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    ERROR_CODE_FIELD_NUMBER: _ClassVar[int]
    ERROR_MESSAGE_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_S_FIELD_NUMBER: _ClassVar[int]
    END_TIME_S_FIELD_NUMBER: _ClassVar[int]
    PLAN_NAME_FIELD_NUMBER: _ClassVar[int]
    job_id: str
    state: JobState
    progress: PlanProgress
    result: _result_pb2.PlanResult
    error_code: int
    error_message: str
    create_time_s: float
    end_time_s: float
    plan_name: str
    def __init__(self, job_id: _Optional[str] = ..., state: _Optional[_Union[JobState, str]] = ..., progress: _Optional[_Union[PlanProgress, _Mapping]] = ..., result: _Optional[_Union[_result_pb2.PlanResult, _Mapping]] = ..., error_code: _Optional[int] = ..., error_message: _Optional[str] = ..., create_time_s: _Optional[float] = ..., end_time_s: _Optional[float] = ..., plan_name: _Optional[str] = ...) -> None: ...

class GetJobRequest(_message.Message):
    __slots__ = ("job_id",)
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    job_id: str
    def __init__(self, job_id: _Optional[str] = ...) -> None: ...

class CancelJobRequest(_message.Message):
    __slots__ = ("job_id",)
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    job_id: str
    def __init__(self, job_id: _Optional[str] = ...) -> None: ...

class ListJobsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListJobsResponse(_message.Message):
    __slots__ = ("jobs",)
    JOBS_FIELD_NUMBER: _ClassVar[int]
    jobs: _containers.RepeatedCompositeFieldContainer[Job]
    def __init__(self, jobs: _Optional[_Iterable[_Union[Job, _Mapping]]] = ...) -> None: ...

class ComparePoliciesRequest(_message.Message):
    __slots__ = ("plan", "options", "policies")
    PLAN_FIELD_NUMBER: _ClassVar[int]
    OPTIONS_FIELD_NUMBER: _ClassVar[int]
    POLICIES_FIELD_NUMBER: _ClassVar[int]
    plan: _plan_pb2.EventPlan
    options: _result_pb2.RunOptions
    policies: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, plan: _Optional[_Union[_plan_pb2.EventPlan, _Mapping]] = ..., options: _Optional[_Union[_result_pb2.RunOptions, _Mapping]] = ..., policies: _Optional[_Iterable[str]] = ...) -> None: ...

class PolicyRow(_message.Message):
    __slots__ = ("policy", "status", "within_pool", "headcount", "officer_hours", "over_cover_hours", "under_cover_hours", "wait_ok", "density_ok", "response_ok", "worst_wait_min", "checks_met", "checks", "missed", "solve_seconds")
    POLICY_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    WITHIN_POOL_FIELD_NUMBER: _ClassVar[int]
    HEADCOUNT_FIELD_NUMBER: _ClassVar[int]
    OFFICER_HOURS_FIELD_NUMBER: _ClassVar[int]
    OVER_COVER_HOURS_FIELD_NUMBER: _ClassVar[int]
    UNDER_COVER_HOURS_FIELD_NUMBER: _ClassVar[int]
    WAIT_OK_FIELD_NUMBER: _ClassVar[int]
    DENSITY_OK_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_OK_FIELD_NUMBER: _ClassVar[int]
    WORST_WAIT_MIN_FIELD_NUMBER: _ClassVar[int]
    CHECKS_MET_FIELD_NUMBER: _ClassVar[int]
    CHECKS_FIELD_NUMBER: _ClassVar[int]
    MISSED_FIELD_NUMBER: _ClassVar[int]
    SOLVE_SECONDS_FIELD_NUMBER: _ClassVar[int]
    policy: str
    status: str
    within_pool: bool
    headcount: int
    officer_hours: float
    over_cover_hours: float
    under_cover_hours: float
    wait_ok: float
    density_ok: float
    response_ok: float
    worst_wait_min: float
    checks_met: int
    checks: int
    missed: _containers.RepeatedScalarFieldContainer[str]
    solve_seconds: float
    def __init__(self, policy: _Optional[str] = ..., status: _Optional[str] = ..., within_pool: _Optional[bool] = ..., headcount: _Optional[int] = ..., officer_hours: _Optional[float] = ..., over_cover_hours: _Optional[float] = ..., under_cover_hours: _Optional[float] = ..., wait_ok: _Optional[float] = ..., density_ok: _Optional[float] = ..., response_ok: _Optional[float] = ..., worst_wait_min: _Optional[float] = ..., checks_met: _Optional[int] = ..., checks: _Optional[int] = ..., missed: _Optional[_Iterable[str]] = ..., solve_seconds: _Optional[float] = ...) -> None: ...
