from optimizer.rpc.v1 import result_pb2 as _result_pb2
from optimizer.rpc.v1 import replan_rules_pb2 as _replan_rules_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union
from optimizer.rpc.v1.replan_rules_pb2 import ReplanRules as ReplanRules

DESCRIPTOR: _descriptor.FileDescriptor

class ChangeKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CHANGE_KIND_UNSPECIFIED: _ClassVar[ChangeKind]
    CHANGE_KIND_ADDED: _ClassVar[ChangeKind]
    CHANGE_KIND_RELEASED: _ClassVar[ChangeKind]
    CHANGE_KIND_SHIFT_CHANGED: _ClassVar[ChangeKind]
    CHANGE_KIND_POSTS_CHANGED: _ClassVar[ChangeKind]
CHANGE_KIND_UNSPECIFIED: ChangeKind
CHANGE_KIND_ADDED: ChangeKind
CHANGE_KIND_RELEASED: ChangeKind
CHANGE_KIND_SHIFT_CHANGED: ChangeKind
CHANGE_KIND_POSTS_CHANGED: ChangeKind

class ShiftChange(_message.Message):
    __slots__ = ("officer_id", "officer_type", "kind", "before", "after", "reason", "duties_before", "duties_after")
    OFFICER_ID_FIELD_NUMBER: _ClassVar[int]
    OFFICER_TYPE_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    BEFORE_FIELD_NUMBER: _ClassVar[int]
    AFTER_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    DUTIES_BEFORE_FIELD_NUMBER: _ClassVar[int]
    DUTIES_AFTER_FIELD_NUMBER: _ClassVar[int]
    officer_id: str
    officer_type: str
    kind: ChangeKind
    before: _result_pb2.Shift
    after: _result_pb2.Shift
    reason: str
    duties_before: int
    duties_after: int
    def __init__(self, officer_id: _Optional[str] = ..., officer_type: _Optional[str] = ..., kind: _Optional[_Union[ChangeKind, str]] = ..., before: _Optional[_Union[_result_pb2.Shift, _Mapping]] = ..., after: _Optional[_Union[_result_pb2.Shift, _Mapping]] = ..., reason: _Optional[str] = ..., duties_before: _Optional[int] = ..., duties_after: _Optional[int] = ...) -> None: ...

class RosterDiff(_message.Message):
    __slots__ = ("changes", "unchanged", "added", "released", "shift_changed", "posts_changed", "published_officers", "unchanged_officers", "officers_changed", "published_duties")
    CHANGES_FIELD_NUMBER: _ClassVar[int]
    UNCHANGED_FIELD_NUMBER: _ClassVar[int]
    ADDED_FIELD_NUMBER: _ClassVar[int]
    RELEASED_FIELD_NUMBER: _ClassVar[int]
    SHIFT_CHANGED_FIELD_NUMBER: _ClassVar[int]
    POSTS_CHANGED_FIELD_NUMBER: _ClassVar[int]
    PUBLISHED_OFFICERS_FIELD_NUMBER: _ClassVar[int]
    UNCHANGED_OFFICERS_FIELD_NUMBER: _ClassVar[int]
    OFFICERS_CHANGED_FIELD_NUMBER: _ClassVar[int]
    PUBLISHED_DUTIES_FIELD_NUMBER: _ClassVar[int]
    changes: _containers.RepeatedCompositeFieldContainer[ShiftChange]
    unchanged: int
    added: int
    released: int
    shift_changed: int
    posts_changed: int
    published_officers: int
    unchanged_officers: int
    officers_changed: int
    published_duties: int
    def __init__(self, changes: _Optional[_Iterable[_Union[ShiftChange, _Mapping]]] = ..., unchanged: _Optional[int] = ..., added: _Optional[int] = ..., released: _Optional[int] = ..., shift_changed: _Optional[int] = ..., posts_changed: _Optional[int] = ..., published_officers: _Optional[int] = ..., unchanged_officers: _Optional[int] = ..., officers_changed: _Optional[int] = ..., published_duties: _Optional[int] = ...) -> None: ...

class PinConflict(_message.Message):
    __slots__ = ("officer_id", "reason")
    OFFICER_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    officer_id: str
    reason: str
    def __init__(self, officer_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class ReplanResult(_message.Message):
    __slots__ = ("result", "diff", "conflicts", "published_headcount", "freeze_until_min", "pinned_officer_ids", "max_changes")
    RESULT_FIELD_NUMBER: _ClassVar[int]
    DIFF_FIELD_NUMBER: _ClassVar[int]
    CONFLICTS_FIELD_NUMBER: _ClassVar[int]
    PUBLISHED_HEADCOUNT_FIELD_NUMBER: _ClassVar[int]
    FREEZE_UNTIL_MIN_FIELD_NUMBER: _ClassVar[int]
    PINNED_OFFICER_IDS_FIELD_NUMBER: _ClassVar[int]
    MAX_CHANGES_FIELD_NUMBER: _ClassVar[int]
    result: _result_pb2.PlanResult
    diff: RosterDiff
    conflicts: _containers.RepeatedCompositeFieldContainer[PinConflict]
    published_headcount: int
    freeze_until_min: int
    pinned_officer_ids: _containers.RepeatedScalarFieldContainer[str]
    max_changes: int
    def __init__(self, result: _Optional[_Union[_result_pb2.PlanResult, _Mapping]] = ..., diff: _Optional[_Union[RosterDiff, _Mapping]] = ..., conflicts: _Optional[_Iterable[_Union[PinConflict, _Mapping]]] = ..., published_headcount: _Optional[int] = ..., freeze_until_min: _Optional[int] = ..., pinned_officer_ids: _Optional[_Iterable[str]] = ..., max_changes: _Optional[int] = ...) -> None: ...
