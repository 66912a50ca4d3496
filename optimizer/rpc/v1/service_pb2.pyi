from optimizer.rpc.v1 import plan_pb2 as _plan_pb2
from optimizer.rpc.v1 import result_pb2 as _result_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class PlanRequest(_message.Message):
    __slots__ = ("plan", "options")
    PLAN_FIELD_NUMBER: _ClassVar[int]
    OPTIONS_FIELD_NUMBER: _ClassVar[int]
    plan: _plan_pb2.EventPlan
    options: _result_pb2.RunOptions
    def __init__(self, plan: _Optional[_Union[_plan_pb2.EventPlan, _Mapping]] = ..., options: _Optional[_Union[_result_pb2.RunOptions, _Mapping]] = ...) -> None: ...

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
