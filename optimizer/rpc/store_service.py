"""The store's side of the service: records to messages, and store errors to status codes.

NotFound -> NOT_FOUND; NothingPublished -> FAILED_PRECONDITION; any other StoreError (the store
is busy past its timeout, the disk is full) -> UNAVAILABLE, which a caller may retry. A server
started without a store answers the store calls with FAILED_PRECONDITION.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, NoReturn, TypeVar

import grpc
from google.protobuf import json_format

from optimizer.errors import InvalidInput, Violation
from optimizer.rpc import store_ops
from optimizer.rpc.v1 import service_pb2
from optimizer.store import (
    EventState,
    NotFound,
    NothingPublished,
    PlanStore,
    PlanVersion,
    StoredRoster,
    StoreError,
)

Handler = TypeVar("Handler", bound=Callable[..., Any])

NO_STORE = "this server runs without a plan store: start it with 'optimizer serve --store DB'"
# Trailing metadata of Plan and PlanStream calls that name an event: the stored roster's id.
ROSTER_ID_KEY = "optimizer-roster-id"


def abort_for(exc: StoreError, context: grpc.ServicerContext) -> NoReturn:
    """End the call with the status ``exc`` maps to."""
    if isinstance(exc, NotFound):
        context.abort(grpc.StatusCode.NOT_FOUND, str(exc))
    elif isinstance(exc, NothingPublished):
        context.abort(grpc.StatusCode.FAILED_PRECONDITION, str(exc))
    else:
        context.abort(grpc.StatusCode.UNAVAILABLE, f"plan store unavailable: {exc}")
    raise AssertionError("abort() raises") from exc


def store_errors(handler: Handler) -> Handler:
    """Decorate a unary servicer method (inside ``mapped_errors``) to map store errors."""

    @functools.wraps(handler)
    def call(self: Any, request: Any, context: grpc.ServicerContext) -> Any:
        try:
            return handler(self, request, context)
        except StoreError as exc:
            abort_for(exc, context)

    return call  # type: ignore[return-value]


def require_store(store: PlanStore | None, context: grpc.ServicerContext) -> PlanStore:
    if store is None:
        context.abort(grpc.StatusCode.FAILED_PRECONDITION, NO_STORE)
    assert store is not None  # abort() raised
    return store


def roster_id_from(value: int, field: str = "roster_id") -> int:
    if value <= 0:
        raise InvalidInput([Violation(field, f"{value} is not a roster id (a positive number)")])
    return value


_STATUS = {
    "nothing published": service_pb2.EVENT_STATUS_NOTHING_PUBLISHED,
    "up to date": service_pb2.EVENT_STATUS_UP_TO_DATE,
    "due": service_pb2.EVENT_STATUS_DUE,
    "awaiting publication": service_pb2.EVENT_STATUS_AWAITING_PUBLICATION,
}


def event_to_pb(state: EventState) -> service_pb2.EventInfo:
    return service_pb2.EventInfo(
        event_id=state.event_id,
        name=state.name,
        plan_versions=state.plan_versions,
        latest_plan_version=state.latest_version,
        latest_plan_hash=state.latest_hash,
        published_roster_id=state.published_roster_id or 0,
        published_plan_version=state.published_plan_version or 0,
        published_at=state.published_at or "",
        pending_roster_id=state.pending_roster_id or 0,
        status=_STATUS[state.status.value],
        created_at=state.created_at,
    )


def stored_roster_to_pb(roster: StoredRoster) -> service_pb2.StoredRoster:
    """The record, with its result and re-plan diff when it was loaded with them."""
    message = service_pb2.StoredRoster(
        roster_id=roster.roster_id,
        event_id=roster.event_id,
        plan_version=roster.plan_version,
        plan_hash=roster.plan_hash,
        created_at=roster.created_at,
        origin=roster.origin,
        base_roster_id=roster.base_roster_id or 0,
        published=roster.published,
    )
    if roster.result_json:
        message.result.CopyFrom(store_ops.result_message(roster))
        if roster.replan_json:
            json_format.Parse(roster.replan_json, message.replan)
    return message


def put_plan_response(version: PlanVersion, created: bool) -> service_pb2.PutPlanResponse:
    return service_pb2.PutPlanResponse(
        event_id=version.event_id,
        version=version.version,
        plan_hash=version.plan_hash,
        created=created,
    )
