"""TLS from a certificate and key; bearer tokens through the interceptor; health stays open."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

from optimizer.rpc.planfile import plan_from_dict
from optimizer.rpc.server import TlsConfig
from optimizer.rpc.v1 import result_pb2, service_pb2
from tests.rpc.conftest import SlowPlan

TOKEN = "s3cret-token"


def _self_signed(folder: Path, name: str) -> tuple[bytes, bytes]:
    """A self-signed certificate and key for ``name``, made with the openssl command."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", f"/CN={name}", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
            "-keyout", str(folder / f"{name}.key"), "-out", str(folder / f"{name}.pem"),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return (folder / f"{name}.pem").read_bytes(), (folder / f"{name}.key").read_bytes()


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, bytes]:
    """The server's certificate for localhost and 127.0.0.1, and its key."""
    return _self_signed(tmp_path_factory.mktemp("tls"), "localhost")


def _validate(plan: dict[str, Any]) -> service_pb2.ValidateRequest:
    return service_pb2.ValidateRequest(plan=plan_from_dict(plan))


def test_tls_serves_a_client_that_trusts_the_certificate(
    serve: Any, certificate: tuple[bytes, bytes], quickstart_dict: dict[str, Any]
) -> None:
    cert, key = certificate

    def secure(port: int) -> grpc.Channel:
        return grpc.secure_channel(
            f"localhost:{port}", grpc.ssl_channel_credentials(root_certificates=cert)
        )

    with serve(tls=TlsConfig(cert, key), channel_factory=secure) as served:
        reply = served.stub.Validate(_validate(quickstart_dict), timeout=10)
        assert reply.posts == 7
    with serve(tls=TlsConfig(cert, key)) as served:  # a plaintext client on the TLS port
        with pytest.raises(grpc.RpcError) as caught:
            served.stub.Validate(_validate(quickstart_dict), timeout=5)
        assert caught.value.code() == grpc.StatusCode.UNAVAILABLE


@pytest.mark.parametrize(
    "metadata",
    [(), (("authorization", "Bearer wrong"),), (("authorization", f"Basic {TOKEN}"),)],
    ids=["missing", "wrong", "not-bearer"],
)
def test_calls_without_a_valid_token_are_unauthenticated(
    serve: Any, quickstart_dict: dict[str, Any], metadata: tuple[tuple[str, str], ...]
) -> None:
    slow = SlowPlan()
    with serve(tokens=frozenset({TOKEN}), plan_function=slow) as served:
        request = service_pb2.PlanRequest(
            plan=plan_from_dict(quickstart_dict), options=result_pb2.RunOptions(replications=1)
        )
        calls = [
            lambda: served.stub.Validate(_validate(quickstart_dict), metadata=metadata, timeout=5),
            lambda: served.stub.Plan(request, metadata=metadata, timeout=5),
            lambda: list(served.stub.PlanStream(request, metadata=metadata, timeout=5)),
        ]
        for call in calls:
            with pytest.raises(grpc.RpcError) as caught:
                call()
            assert caught.value.code() == grpc.StatusCode.UNAUTHENTICATED
        assert not slow.started.is_set(), "a refused call never reaches the servicer"
        health = health_pb2_grpc.HealthStub(served.channel)
        reply = health.Check(health_pb2.HealthCheckRequest(service=""), timeout=5)
        assert reply.status == health_pb2.HealthCheckResponse.SERVING


def test_a_valid_token_is_let_through(serve: Any, quickstart_dict: dict[str, Any]) -> None:
    with serve(tokens=frozenset({"other", TOKEN})) as served:
        reply = served.stub.Validate(
            _validate(quickstart_dict),
            metadata=(("authorization", f"Bearer {TOKEN}"),),
            timeout=5,
        )
        assert reply.officers_available == 92


def test_tls_with_call_credentials(
    serve: Any, certificate: tuple[bytes, bytes], quickstart_dict: dict[str, Any]
) -> None:
    """What a deployed client does: TLS channel plus ``access_token_call_credentials``."""
    cert, key = certificate

    def secure(port: int) -> grpc.Channel:
        credentials = grpc.composite_channel_credentials(
            grpc.ssl_channel_credentials(root_certificates=cert),
            grpc.access_token_call_credentials(TOKEN),
        )
        return grpc.secure_channel(f"localhost:{port}", credentials)

    with serve(
        tls=TlsConfig(cert, key), tokens=frozenset({TOKEN}), channel_factory=secure
    ) as served:
        assert served.stub.Validate(_validate(quickstart_dict), timeout=10).posts == 7


@pytest.mark.parametrize("open_reflection", [False, True])
def test_reflection_needs_a_token_unless_opened(serve: Any, open_reflection: bool) -> None:
    with serve(tokens=frozenset({TOKEN}), open_reflection=open_reflection) as served:
        reflection = reflection_pb2_grpc.ServerReflectionStub(served.channel)
        request = reflection_pb2.ServerReflectionRequest(list_services="")
        if open_reflection:
            replies = list(reflection.ServerReflectionInfo(iter([request]), timeout=5))
            assert replies[0].list_services_response.service
        else:
            with pytest.raises(grpc.RpcError) as caught:
                list(reflection.ServerReflectionInfo(iter([request]), timeout=5))
            assert caught.value.code() == grpc.StatusCode.UNAUTHENTICATED


def test_mutual_tls_refuses_a_client_without_a_certificate(
    serve: Any,
    certificate: tuple[bytes, bytes],
    quickstart_dict: dict[str, Any],
    tmp_path: Path,
) -> None:
    cert, key = certificate
    client_cert, client_key = _self_signed(tmp_path, "planning-tool")

    def with_client_cert(port: int) -> grpc.Channel:
        credentials = grpc.ssl_channel_credentials(cert, client_key, client_cert)
        return grpc.secure_channel(f"localhost:{port}", credentials)

    def without(port: int) -> grpc.Channel:
        return grpc.secure_channel(f"localhost:{port}", grpc.ssl_channel_credentials(cert))

    tls = TlsConfig(cert, key, client_ca=client_cert)
    with serve(tls=tls, channel_factory=with_client_cert) as served:
        assert served.stub.Validate(_validate(quickstart_dict), timeout=10).posts == 7
    with serve(tls=tls, channel_factory=without) as served:
        with pytest.raises(grpc.RpcError) as caught:
            served.stub.Validate(_validate(quickstart_dict), timeout=5)
        assert caught.value.code() == grpc.StatusCode.UNAVAILABLE
