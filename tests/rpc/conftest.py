"""Servers built per test with their own limits, security and plan function."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import grpc
import pytest

from optimizer import pipeline
from optimizer.domain.types import EventPlan, RunOptions
from optimizer.errors import Cancelled
from optimizer.rpc.limits import Limits
from optimizer.rpc.server import RunningServer, ServerConfig, running_server
from optimizer.rpc.servicer import OptimizerServicer
from optimizer.rpc.v1 import service_pb2_grpc


@dataclass
class SlowPlan:
    """A plan function that reports one progress event, then works until stopped.

    It stands in for a long solve, so the tests of slots, cancellation and shutdown do not depend
    on how fast CP-SAT is on the day. ``started`` is set when it begins, ``stopped_at`` records
    the monotonic time it noticed its stop event (``stopped`` is set then: the caller may see
    its call end before the worker thread gets there), ``deadlines`` the deadlines it was given.
    """

    seconds: float = 30.0
    started: threading.Event = field(default_factory=threading.Event)
    stopped_at: list[float] = field(default_factory=list)
    stopped: threading.Event = field(default_factory=threading.Event)
    deadlines: list[float | None] = field(default_factory=list)

    def __call__(
        self,
        plan: EventPlan,
        options: RunOptions,
        on_progress: pipeline.ProgressHandler | None = None,
        stop_event: threading.Event | None = None,
        deadline: float | None = None,
    ) -> pipeline.PlanOutcome:
        assert stop_event is not None
        self.deadlines.append(deadline)
        if on_progress is not None:
            on_progress(pipeline.Progress(pipeline.Phase.SOLVE, "pretending to solve"))
        self.started.set()
        if stop_event.wait(self.seconds):
            self.stopped_at.append(time.monotonic())
            self.stopped.set()
            raise Cancelled("stopped")
        raise AssertionError("SlowPlan ran out its time without being stopped")


@dataclass
class Served:
    running: RunningServer
    channel: grpc.Channel
    stub: service_pb2_grpc.OptimizerServiceStub

    @property
    def servicer(self) -> OptimizerServicer:
        return self.running.servicer


ServeFactory = Callable[..., Any]


@pytest.fixture
def serve() -> Iterator[Callable[..., Any]]:
    """``serve(limits=..., plan_function=..., **config)`` -> a running ``Served`` (context)."""

    @contextmanager
    def make(
        limits: Limits | None = None,
        plan_function: Any = None,
        channel_factory: Callable[[int], grpc.Channel] | None = None,
        **config: Any,
    ) -> Iterator[Served]:
        limits = limits if limits is not None else Limits()
        servicer = OptimizerServicer(
            limits, plan_function if plan_function is not None else pipeline.plan
        )
        cfg = ServerConfig(address="127.0.0.1:0", limits=limits, **config)
        with running_server(cfg, servicer) as running:
            if channel_factory is not None:
                channel = channel_factory(running.port)
            else:
                channel = grpc.insecure_channel(f"127.0.0.1:{running.port}")
            try:
                yield Served(running, channel, service_pb2_grpc.OptimizerServiceStub(channel))
            finally:
                channel.close()

    yield make


# Stop times measured on an idle 2-core machine are 0.04-0.2 s (the target is 1 s). The tests
# prove work stops long before it would have finished, with a bound a loaded CI machine meets;
# the figures themselves are printed here and measured in benchmarks/, not asserted to the
# millisecond.
STOP_BOUND_S = 5.0


def wait_until(predicate: Callable[[], bool], timeout_s: float) -> float:
    """Seconds until ``predicate()`` held, polling every 10 ms; fails after ``timeout_s``."""
    start = time.monotonic()
    while not predicate():
        if time.monotonic() - start > timeout_s:
            raise AssertionError(f"condition not met within {timeout_s} s")
        time.sleep(0.01)
    return time.monotonic() - start
