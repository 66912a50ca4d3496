"""Undecodable requests end as INVALID_ARGUMENT, not INTERNAL.

The sync server answers a request body it cannot parse with INTERNAL ("Exception deserializing
request!"), which would tell a caller the server is at fault for bytes the caller sent. This
interceptor wraps every method's deserializer: a body that does not parse becomes a marker, and
the method answers it with INVALID_ARGUMENT naming the expected message type.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import grpc


class _Undecodable:
    def __init__(self, error: Exception) -> None:
        self.error = error


def _safe(deserializer: Callable[[bytes], Any] | None) -> Callable[[bytes], Any] | None:
    if deserializer is None:
        return None
    decode = deserializer

    def parse(data: bytes) -> Any:
        try:
            return decode(data)
        except Exception as exc:
            return _Undecodable(exc)

    return parse


def _refuse(context: grpc.ServicerContext, method: str, error: _Undecodable) -> None:
    context.abort(
        grpc.StatusCode.INVALID_ARGUMENT,
        f"the request to {method} is not a valid protobuf message: {type(error.error).__name__}",
    )


def _guard_unary(behaviour: Callable[..., Any], method: str) -> Callable[..., Any]:
    def call(request: Any, context: grpc.ServicerContext) -> Any:
        if isinstance(request, _Undecodable):
            _refuse(context, method, request)
        return behaviour(request, context)

    return call


def _guard_stream(behaviour: Callable[..., Any], method: str) -> Callable[..., Any]:
    def call(request: Any, context: grpc.ServicerContext) -> Any:
        if isinstance(request, _Undecodable):
            _refuse(context, method, request)
        yield from behaviour(request, context)

    return call


def _guard_request_stream(behaviour: Callable[..., Any], method: str) -> Callable[..., Any]:
    def call(requests: Any, context: grpc.ServicerContext) -> Any:
        def checked() -> Any:
            for request in requests:
                if isinstance(request, _Undecodable):
                    _refuse(context, method, request)
                yield request

        return behaviour(checked(), context)

    return call


class DecodeGuardInterceptor(grpc.ServerInterceptor):  # type: ignore[misc]
    """Answers undecodable request bodies with INVALID_ARGUMENT on every method."""

    def intercept_service(
        self,
        continuation: Callable[[grpc.HandlerCallDetails], grpc.RpcMethodHandler | None],
        handler_call_details: grpc.HandlerCallDetails,
    ) -> grpc.RpcMethodHandler | None:
        handler = continuation(handler_call_details)
        if handler is None or not hasattr(handler, "_replace"):
            return handler
        method: str = handler_call_details.method
        changes: dict[str, Any] = {"request_deserializer": _safe(handler.request_deserializer)}
        if handler.unary_unary is not None:
            changes["unary_unary"] = _guard_unary(handler.unary_unary, method)
        elif handler.unary_stream is not None:
            changes["unary_stream"] = _guard_stream(handler.unary_stream, method)
        elif handler.stream_unary is not None:
            changes["stream_unary"] = _guard_request_stream(handler.stream_unary, method)
        elif handler.stream_stream is not None:
            changes["stream_stream"] = _guard_request_stream(handler.stream_stream, method)
        return handler._replace(**changes)
