"""The committed generated code is exactly what protos/generate.py produces from the protos."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_generated_code_matches_protos(tmp_path: Path) -> None:
    # In a child process: grpc_tools' protoc and ortools abort when loaded into one process.
    subprocess.run(
        [sys.executable, str(ROOT / "protos" / "generate.py"), str(tmp_path)], check=True
    )
    fresh = sorted((tmp_path / "optimizer" / "rpc" / "v1").glob("*_pb2*.py*"))
    committed = sorted((ROOT / "optimizer" / "rpc" / "v1").glob("*_pb2*.py*"))
    assert [p.name for p in fresh] == [p.name for p in committed]
    for new, old in zip(fresh, committed, strict=True):
        assert new.read_text() == old.read_text(), f"{old.name} is stale: run protos/generate.py"
