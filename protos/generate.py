"""Generate the Python protobuf and gRPC code from protos/ into the package.

The only code-generation entry point: ``python protos/generate.py [OUT_DIR]``. Output goes to the
repository root by default, so the files land in ``optimizer/rpc/v1/`` and import as
``from optimizer.rpc.v1 import plan_pb2``. A test regenerates into a temporary directory and
compares, so the committed code can never drift from the protos.
"""

from __future__ import annotations

import sys
from pathlib import Path

from grpc_tools import protoc

PROTO_ROOT = Path(__file__).resolve().parent
REPO_ROOT = PROTO_ROOT.parent


def proto_files() -> list[Path]:
    return sorted((PROTO_ROOT / "optimizer" / "rpc" / "v1").glob("*.proto"))


def generate(out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    args = [
        "grpc_tools.protoc",
        f"-I{PROTO_ROOT}",
        f"--python_out={out_dir}",
        f"--pyi_out={out_dir}",
        f"--grpc_python_out={out_dir}",
        *(str(p.relative_to(PROTO_ROOT)) for p in proto_files()),
    ]
    # Relative proto paths keep absolute paths of this machine out of the generated code.
    import os

    cwd = os.getcwd()
    os.chdir(PROTO_ROOT)
    try:
        code = protoc.main(args)
    finally:
        os.chdir(cwd)
    if code != 0:
        raise SystemExit(f"protoc failed with exit code {code}")


if __name__ == "__main__":
    generate(Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else REPO_ROOT)
