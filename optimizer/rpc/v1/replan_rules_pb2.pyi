from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class ReplanRules(_message.Message):
    __slots__ = ("freeze_hours", "freeze_until", "pinned_officer_ids", "max_changes")
    FREEZE_HOURS_FIELD_NUMBER: _ClassVar[int]
    FREEZE_UNTIL_FIELD_NUMBER: _ClassVar[int]
    PINNED_OFFICER_IDS_FIELD_NUMBER: _ClassVar[int]
    MAX_CHANGES_FIELD_NUMBER: _ClassVar[int]
    freeze_hours: float
    freeze_until: str
    pinned_officer_ids: _containers.RepeatedScalarFieldContainer[str]
    max_changes: int
    def __init__(self, freeze_hours: _Optional[float] = ..., freeze_until: _Optional[str] = ..., pinned_officer_ids: _Optional[_Iterable[str]] = ..., max_changes: _Optional[int] = ...) -> None: ...
