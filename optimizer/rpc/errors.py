"""Map the optimiser's exceptions to gRPC status codes, in one place, and log every call.

InvalidInput -> INVALID_ARGUMENT with a google.rpc.BadRequest listing every field violation.
Busy -> RESOURCE_EXHAUSTED with a google.rpc.RetryInfo (every solve slot is taken).
Cancelled -> CANCELLED (the caller cancelled, or the server cancelled on shutdown).
Anything else -> INTERNAL with a generic message and an error id; the traceback goes to the log,
never to the caller.

The same wrapper gives each call its request id (``logs.REQUEST_ID``), echoes it to the caller
in the initial metadata, and logs one line when the call ends with its code and duration.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import logging
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import grpc
from google.protobuf import any_pb2, duration_pb2
from google.rpc import code_pb2, error_details_pb2, status_pb2
from grpc_status import rpc_status

from optimizer.errors import Cancelled, InvalidInput
from optimizer.rpc.logs import REQUEST_ID, REQUEST_ID_KEY, request_id_from

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


class Busy(Exception):
    """Every solve slot is taken; the caller should retry after ``retry_after_s``."""

    def __init__(self, slots: int, retry_after_s: float) -> None:
        super().__init__(f"all {slots} solve slots busy")
        self.slots = slots
        self.retry_after_s = retry_after_s


def busy_status(active: int, retry_after_s: float) -> status_pb2.Status:
    """RESOURCE_EXHAUSTED with a ``google.rpc.RetryInfo`` saying when to try again."""
    delay = duration_pb2.Duration()
    delay.FromNanoseconds(int(retry_after_s * 1e9))
    detail = any_pb2.Any()
    detail.Pack(error_details_pb2.RetryInfo(retry_delay=delay))
    return status_pb2.Status(
        code=code_pb2.RESOURCE_EXHAUSTED,
        message=f"server busy: {active} solves running, the most it runs at once; "
        f"retry in {retry_after_s:g} s",
        details=[detail],
    )


def _handle(exc: Exception, name: str, context: grpc.ServicerContext) -> None:
    """Abort the call with the status ``exc`` maps to (abort raises, so this never returns)."""
    if context.code() is not None:
        # Already aborted: abort() raised this (a bare Exception) to end the call.
        raise exc
    if isinstance(exc, InvalidInput):
        context.abort_with_status(rpc_status.to_status(bad_request_status(exc)))
    if isinstance(exc, Busy):
        status = busy_status(exc.slots, exc.retry_after_s)
        context.abort_with_status(rpc_status.to_status(status))
    if isinstance(exc, Cancelled):
        context.abort(grpc.StatusCode.CANCELLED, "cancelled: the run was stopped before its end")
    # abort() raises an exception of grpc's own to end the call; let it through.
    if type(exc).__module__.startswith("grpc"):
        raise exc
    error_id = uuid.uuid4().hex[:12]
    log.exception("internal error %s in %s", error_id, name)
    context.abort(grpc.StatusCode.INTERNAL, f"internal error (id {error_id})")


def _begin(context: grpc.ServicerContext) -> tuple[Any, float]:
    request_id = request_id_from(context.invocation_metadata())
    token = REQUEST_ID.set(request_id)
    context.send_initial_metadata(((REQUEST_ID_KEY, request_id),))
    return token, time.perf_counter()


def _end(name: str, context: grpc.ServicerContext, token: Any, started: float) -> None:
    code = context.code() if hasattr(context, "code") else None
    code_name = "OK" if code is None else str(getattr(code, "name", code))
    if code is None and not context.is_active():
        code_name = "CANCELLED"
    log.info(
        "%s %s",
        name,
        code_name,
        extra={
            "method": name,
            "code": code_name,
            "duration_ms": round(1000 * (time.perf_counter() - started), 1),
            "peer": context.peer(),
        },
    )
    # A stream abandoned by its caller is closed later, from another thread's context.
    with contextlib.suppress(ValueError):
        REQUEST_ID.reset(token)


def mapped_errors(handler: Handler) -> Handler:
    """Decorate a servicer method (unary or server-streaming) so every exception leaves as the
    right status code, and the call is logged with its request id."""
    name = handler.__name__

    if inspect.isgeneratorfunction(handler):

        @functools.wraps(handler)
        def stream(self: Any, request: Any, context: grpc.ServicerContext) -> Iterator[Any]:
            token, started = _begin(context)
            try:
                yield from handler(self, request, context)
            except Exception as exc:
                _handle(exc, name, context)
            finally:
                _end(name, context, token, started)

        return stream  # type: ignore[return-value]

    @functools.wraps(handler)
    def unary(self: Any, request: Any, context: grpc.ServicerContext) -> Any:
        token, started = _begin(context)
        try:
            return handler(self, request, context)
        except Exception as exc:
            _handle(exc, name, context)
        finally:
            _end(name, context, token, started)

    return unary  # type: ignore[return-value]
