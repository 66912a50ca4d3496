from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture(scope="session")
def quickstart_dict() -> dict[str, Any]:
    return yaml.safe_load((EXAMPLES / "quickstart.yaml").read_text(encoding="utf-8"))


@pytest.fixture
def mutated(
    quickstart_dict: dict[str, Any],
) -> Callable[[Callable[[dict[str, Any]], None]], dict[str, Any]]:
    """A deep copy of the quickstart plan with one change applied."""

    def make(change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
        plan = copy.deepcopy(quickstart_dict)
        change(plan)
        return plan

    return make


@pytest.fixture(scope="session")
def stub() -> Iterator[Any]:
    """A real server on a free port, called through the generated stub."""
    import grpc

    from optimizer.rpc.server import ServerConfig, running_server
    from optimizer.rpc.v1 import service_pb2_grpc

    with running_server(ServerConfig(address="127.0.0.1:0")) as server:
        channel = grpc.insecure_channel(f"127.0.0.1:{server.port}")
        yield service_pb2_grpc.OptimizerServiceStub(channel), channel
        channel.close()
