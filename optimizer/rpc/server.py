"""Build and run the gRPC server: the optimiser service, health checking and reflection."""

from __future__ import annotations

import contextlib
import logging
import signal
import threading
from collections.abc import Iterator
from concurrent import futures
from dataclasses import dataclass

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from optimizer.rpc.servicer import OptimizerServicer
from optimizer.rpc.v1 import service_pb2, service_pb2_grpc

log = logging.getLogger(__name__)

SERVICE_NAME = service_pb2.DESCRIPTOR.services_by_name["OptimizerService"].full_name
MAX_MESSAGE_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class ServerConfig:
    address: str = "127.0.0.1:50051"
    # Larger than the number of concurrent solves, so health checks answer while solves run.
    max_workers: int = 8
    reflection: bool = True
    grace_s: float = 10.0


@dataclass
class RunningServer:
    server: grpc.Server
    health: health.HealthServicer
    port: int

    def drain(self, grace_s: float) -> None:
        """Report NOT_SERVING, refuse new calls and give running ones ``grace_s`` to finish."""
        self.health.enter_graceful_shutdown()
        self.server.stop(grace_s).wait()


def start_server(config: ServerConfig) -> RunningServer:
    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=config.max_workers),
        options=[
            ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES),
            ("grpc.max_send_message_length", MAX_MESSAGE_BYTES),
        ],
    )
    service_pb2_grpc.add_OptimizerServiceServicer_to_server(  # type: ignore[no-untyped-call]
        OptimizerServicer(), server
    )
    health_servicer = health.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    services = [SERVICE_NAME, health.SERVICE_NAME]
    if config.reflection:
        services.append(reflection.SERVICE_NAME)
        reflection.enable_server_reflection(services, server)
    port = server.add_insecure_port(config.address)
    if port == 0:
        raise OSError(f"cannot listen on {config.address}")
    server.start()
    for name in ("", SERVICE_NAME):
        health_servicer.set(name, health_pb2.HealthCheckResponse.SERVING)
    return RunningServer(server, health_servicer, port)


@contextlib.contextmanager
def running_server(config: ServerConfig) -> Iterator[RunningServer]:
    running = start_server(config)
    try:
        yield running
    finally:
        running.drain(0)


def serve(config: ServerConfig) -> None:
    """Serve until SIGINT or SIGTERM, then drain gracefully."""
    running = start_server(config)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    host = config.address.rsplit(":", 1)[0]
    log.info("serving %s on %s:%d", SERVICE_NAME, host, running.port)
    print(
        f"optimizer: serving {SERVICE_NAME} on {host}:{running.port} (Ctrl-C to stop)", flush=True
    )
    stop.wait()
    print("optimizer: draining", flush=True)
    running.drain(config.grace_s)
