"""Bearer-token authentication as a server interceptor.

Every call must carry ``authorization: Bearer <token>`` with one of the configured tokens, or it
ends with UNAUTHENTICATED before the servicer runs. Methods under ``open_prefixes`` (health
checking by default, so probes work without a secret) pass without one. Tokens are compared in
constant time. The interceptor answers a refused call with a handler of the same shape as the
real one, so streaming methods are refused as cleanly as unary ones.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Callable, Iterable
from typing import Any

import grpc

log = logging.getLogger(__name__)

HEALTH_PREFIX = "/grpc.health.v1.Health/"
REFLECTION_PREFIX = "/grpc.reflection."


def bearer_token(metadata: Iterable[tuple[str, str | bytes]] | None) -> str | None:
    """The token of the first ``authorization: Bearer ...`` entry, or None."""
    for key, value in metadata or ():
        if key != "authorization" or not isinstance(value, str):
            continue
        scheme, _, token = value.partition(" ")
        if scheme.lower() == "bearer":
            return token.strip()
    return None


def caller_identity(metadata: Iterable[tuple[str, str | bytes]] | None) -> str | None:
    """Who owns what this call creates: a digest of its bearer token, None without one.

    With authentication on, every call that reaches the servicer carries a valid token, so each
    token sees only its own jobs. A digest, not the token, is kept with the job: a secret held
    in memory for an hour would be one more place to leak it from.
    """
    token = bearer_token(metadata)
    return None if token is None else hashlib.sha256(token.encode()).hexdigest()


def _deny(request: Any, context: grpc.ServicerContext) -> Any:
    context.abort(grpc.StatusCode.UNAUTHENTICATED, "missing or invalid bearer token")


def _deny_stream(request: Any, context: grpc.ServicerContext) -> Any:
    context.abort(grpc.StatusCode.UNAUTHENTICATED, "missing or invalid bearer token")
    yield  # pragma: no cover - makes this a generator, the shape a streaming handler has


class TokenAuthInterceptor(grpc.ServerInterceptor):  # type: ignore[misc]
    """Refuses calls without a valid bearer token, except to ``open_prefixes``.

    Parameters
    ----------
    tokens
        Accepted tokens; must not be empty (an empty set would lock everyone out silently).
    open_prefixes
        Method-name prefixes reachable without a token.
    """

    def __init__(self, tokens: Iterable[str], open_prefixes: tuple[str, ...] = (HEALTH_PREFIX,)):
        self._tokens = tuple(t.encode() for t in tokens if t)
        if not self._tokens:
            raise ValueError("token authentication needs at least one non-empty token")
        self._open = open_prefixes

    def _allowed(self, metadata: Iterable[tuple[str, str | bytes]] | None) -> bool:
        token = bearer_token(metadata)
        if token is None:
            return False
        given = token.encode()
        # Compare with every token so the time taken does not tell which one nearly matched.
        return any([hmac.compare_digest(given, t) for t in self._tokens])

    def intercept_service(
        self,
        continuation: Callable[[grpc.HandlerCallDetails], grpc.RpcMethodHandler | None],
        handler_call_details: grpc.HandlerCallDetails,
    ) -> grpc.RpcMethodHandler | None:
        method: str = handler_call_details.method
        if method.startswith(self._open) or self._allowed(handler_call_details.invocation_metadata):
            return continuation(handler_call_details)
        handler = continuation(handler_call_details)
        if handler is None:
            return None
        log.warning("refused %s: missing or invalid bearer token", method)
        if handler.unary_unary is not None:
            return grpc.unary_unary_rpc_method_handler(
                _deny, handler.request_deserializer, handler.response_serializer
            )
        if handler.unary_stream is not None:
            return grpc.unary_stream_rpc_method_handler(
                _deny_stream, handler.request_deserializer, handler.response_serializer
            )
        if handler.stream_unary is not None:
            return grpc.stream_unary_rpc_method_handler(
                _deny, handler.request_deserializer, handler.response_serializer
            )
        return grpc.stream_stream_rpc_method_handler(
            _deny_stream, handler.request_deserializer, handler.response_serializer
        )
