"""Build and run the gRPC server: the optimiser service, health checking and reflection.

Off by default, for the local quickstart: TLS (``ServerConfig.tls``) and bearer-token
authentication (``ServerConfig.tokens``); the CLI reads the certificate, key and tokens and
passes them in. Health checking stays open to probes whatever the authentication.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import threading
from collections.abc import Iterator
from concurrent import futures
from dataclasses import dataclass, field

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from optimizer.rpc.auth import HEALTH_PREFIX, REFLECTION_PREFIX, TokenAuthInterceptor
from optimizer.rpc.decoding import DecodeGuardInterceptor
from optimizer.rpc.limits import Limits
from optimizer.rpc.servicer import OptimizerServicer
from optimizer.rpc.v1 import service_pb2, service_pb2_grpc
from optimizer.store import PlanStore

log = logging.getLogger(__name__)

SERVICE_NAME = service_pb2.DESCRIPTOR.services_by_name["OptimizerService"].full_name
MAX_MESSAGE_BYTES = 64 * 1024 * 1024
# Threads beyond the solve slots: health checks, reflection, Validate and the quick refusals
# of busy or unauthenticated calls must answer while every slot solves (a probe that times out
# would restart a server that is merely busy). A streaming plan holds one pool thread to send.
SPARE_THREADS = 4


@dataclass(frozen=True)
class TlsConfig:
    """PEM-encoded server certificate chain and private key; with ``client_ca``, mutual TLS:
    every client must present a certificate signed by it (service-to-service callers)."""

    certificate_chain: bytes
    private_key: bytes = field(repr=False)
    client_ca: bytes | None = None


@dataclass(frozen=True)
class Keepalive:
    """HTTP/2 keepalive and connection lifetime; clients must agree (grpc.io keepalive guide).

    Attributes
    ----------
    time_ms
        The server pings a connection silent this long. A solve sends nothing for minutes, so
        without pings a client that vanished (laptop shut, NAT entry dropped) would hold its solve
        slot until the solve ended; with them the call is cancelled, and its solve stopped, within
        ``time_ms + timeout_ms`` (80 s). The pings also keep idle-timeout middleboxes open.
    timeout_ms
        How long a ping may go unanswered before the connection is closed.
    min_client_ping_interval_ms
        The fastest a client may ping while the server sends nothing (``keepalive_time_ms`` of
        10,000 or more on the client). Faster pings are strikes; the third closes the connection
        with GOAWAY ``too_many_pings`` and its calls end UNAVAILABLE.
    max_connection_age_ms, max_connection_age_grace_ms
        A connection is asked to go away after the age, so clients reconnect and spread over the
        replicas behind a balancer; calls on it get the grace to finish. The grace outlasts the
        longest call: the solver's time limit is capped at an hour, plus simulation.
    """

    time_ms: int = 60_000
    timeout_ms: int = 20_000
    min_client_ping_interval_ms: int = 10_000
    max_connection_age_ms: int = 30 * 60_000
    max_connection_age_grace_ms: int = 2 * 60 * 60_000

    def options(self) -> list[tuple[str, int]]:
        return [
            ("grpc.keepalive_time_ms", self.time_ms),
            ("grpc.keepalive_timeout_ms", self.timeout_ms),
            # Pings on connections with no call: job pollers keep their channels between polls.
            ("grpc.keepalive_permit_without_calls", 1),
            ("grpc.http2.min_ping_interval_without_data_ms", self.min_client_ping_interval_ms),
            # The server may ping a silent solve's connection as often as it needs to.
            ("grpc.http2.max_pings_without_data", 0),
            ("grpc.max_connection_age_ms", self.max_connection_age_ms),
            ("grpc.max_connection_age_grace_ms", self.max_connection_age_grace_ms),
        ]


@dataclass(frozen=True)
class ServerConfig:
    address: str = "127.0.0.1:50051"
    reflection: bool = True
    grace_s: float = 10.0
    limits: Limits = field(default_factory=Limits)
    tls: TlsConfig | None = None
    # Accepted bearer tokens; None turns authentication off.
    tokens: frozenset[str] | None = field(default=None, repr=False)
    # With tokens: let reflection through without one (health checking always is).
    open_reflection: bool = False
    keepalive: Keepalive = field(default_factory=Keepalive)
    # The plan store file (created if absent) for Replan and the store calls; None: no store.
    store_path: str | None = None

    @property
    def max_workers(self) -> int:
        """Thread pool size: the solve slots plus spare threads for everything else."""
        return self.limits.max_solves + SPARE_THREADS


@dataclass
class RunningServer:
    server: grpc.Server
    health: health.HealthServicer
    servicer: OptimizerServicer
    port: int
    # The store the server opened from ``ServerConfig.store_path``, closed once drained.
    store: PlanStore | None = None

    def drain(self, grace_s: float) -> None:
        """Report NOT_SERVING, refuse new calls and give running ones ``grace_s`` to finish.

        Calls and jobs still running after the grace period are cancelled, which sets their stop
        events: the solves stop within a second and the process can exit.
        """
        self.health.enter_graceful_shutdown()
        stopped = self.server.stop(grace_s)
        self.servicer.jobs.shutdown(grace_s)
        stopped.wait()
        if self.store is not None:
            self.store.close()


def start_server(config: ServerConfig, servicer: OptimizerServicer | None = None) -> RunningServer:
    """Start serving ``config.address``; ``servicer`` defaults to one built from the limits
    and, with ``config.store_path``, the plan store (opened, and upgraded if older, first: a
    store that cannot be opened stops the start with StoreError)."""
    store = None
    if servicer is None and config.store_path is not None:
        store = PlanStore(config.store_path)
    # Authentication first: an unauthenticated caller learns nothing, not even decode errors.
    interceptors: list[grpc.ServerInterceptor] = []
    if config.tokens is not None:
        open_prefixes = (REFLECTION_PREFIX,) if config.open_reflection else ()
        interceptors.append(TokenAuthInterceptor(config.tokens, (HEALTH_PREFIX, *open_prefixes)))
    interceptors.append(DecodeGuardInterceptor())
    server = grpc.server(
        futures.ThreadPoolExecutor(
            max_workers=config.max_workers, thread_name_prefix="optimizer-rpc"
        ),
        interceptors=interceptors,
        options=[
            ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES),
            ("grpc.max_send_message_length", MAX_MESSAGE_BYTES),
            *config.keepalive.options(),
        ],
    )
    if servicer is None:
        servicer = OptimizerServicer(config.limits, store=store)
    service_pb2_grpc.add_OptimizerServiceServicer_to_server(  # type: ignore[no-untyped-call]
        servicer, server
    )
    health_servicer = health.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    services = [SERVICE_NAME, health.SERVICE_NAME]
    if config.reflection:
        services.append(reflection.SERVICE_NAME)
        reflection.enable_server_reflection(services, server)
    if config.tls is not None:
        credentials = grpc.ssl_server_credentials(
            [(config.tls.private_key, config.tls.certificate_chain)],
            root_certificates=config.tls.client_ca,
            require_client_auth=config.tls.client_ca is not None,
        )
        port = server.add_secure_port(config.address, credentials)
    else:
        port = server.add_insecure_port(config.address)
    if port == 0:
        raise OSError(f"cannot listen on {config.address}")
    server.start()
    for name in ("", SERVICE_NAME):
        health_servicer.set(name, health_pb2.HealthCheckResponse.SERVING)
    return RunningServer(server, health_servicer, servicer, port, store)


@contextlib.contextmanager
def running_server(
    config: ServerConfig, servicer: OptimizerServicer | None = None
) -> Iterator[RunningServer]:
    running = start_server(config, servicer)
    try:
        yield running
    finally:
        running.drain(0)


def serve(config: ServerConfig) -> None:
    """Serve until SIGINT or SIGTERM, then drain gracefully (see ``RunningServer.drain``)."""
    running = start_server(config)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    host = config.address.rsplit(":", 1)[0]
    scheme = "TLS" if config.tls is not None else "plaintext"
    auth = "bearer tokens" if config.tokens is not None else "no authentication"
    store = f"plan store {config.store_path}" if config.store_path else "no plan store"
    log.info(
        "serving %s on %s:%d (%s, %s, %d solve slots, %s)",
        SERVICE_NAME,
        host,
        running.port,
        scheme,
        auth,
        config.limits.max_solves,
        store,
    )
    print(
        f"optimizer: serving {SERVICE_NAME} on {host}:{running.port} ({scheme}, {auth}, "
        f"{store}; Ctrl-C to stop)",
        flush=True,
    )
    stop.wait()
    print(f"optimizer: draining (grace {config.grace_s:g} s)", flush=True)
    log.info("draining: health NOT_SERVING, refusing new calls, grace %g s", config.grace_s)
    running.drain(config.grace_s)
    log.info("stopped")
