"""Map the optimiser's exceptions to gRPC status codes, in one place.

InvalidInput -> INVALID_ARGUMENT with a google.rpc.BadRequest listing every field violation.
Anything else -> INTERNAL with a generic message and an error id; the traceback goes to the log,
never to the caller.
"""

from __future__ import annotations

import functools
import logging
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

import grpc
from google.protobuf import any_pb2
from google.rpc import code_pb2, error_details_pb2, status_pb2
from grpc_status import rpc_status

from optimizer.errors import InvalidInput

log = logging.getLogger(__name__)

Handler = TypeVar("Handler", bound=Callable[..., Any])


def bad_request_status(exc: InvalidInput) -> status_pb2.Status:
    detail = any_pb2.Any()
    detail.Pack(
        error_details_pb2.BadRequest(
            field_violations=[
                error_details_pb2.BadRequest.FieldViolation(field=v.field, description=v.reason)
                for v in exc.violations
            ]
        )
    )
    count = len(exc.violations)
    message = f"invalid plan: {count} violation{'s' if count != 1 else ''}: {exc}"
    return status_pb2.Status(
        code=code_pb2.INVALID_ARGUMENT, message=message[:4000], details=[detail]
    )


def mapped_errors(handler: Handler) -> Handler:
    """Decorate a servicer method so every exception leaves as the right status code."""

    @functools.wraps(handler)
    def wrapper(self: Any, request: Any, context: grpc.ServicerContext) -> Any:
        try:
            return handler(self, request, context)
        except InvalidInput as exc:
            context.abort_with_status(rpc_status.to_status(bad_request_status(exc)))
        except Exception as exc:
            # abort() raises an exception of grpc's own to end the call; let it through.
            if type(exc).__module__.startswith("grpc"):
                raise
            error_id = uuid.uuid4().hex[:12]
            log.exception("internal error %s in %s", error_id, handler.__name__)
            context.abort(grpc.StatusCode.INTERNAL, f"internal error (id {error_id})")

    return wrapper  # type: ignore[return-value]
