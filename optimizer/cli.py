"""The ``optimizer`` command: plan | validate | simulate | serve.

The only module that reads argv or the environment. Bad input prints every violation as
``field: reason`` and exits 2; nothing the user writes produces a traceback.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from google.protobuf import json_format

from optimizer import pipeline, report
from optimizer.domain.types import EventPlan, RunOptions
from optimizer.errors import InvalidInput
from optimizer.risk import assess
from optimizer.rpc import convert
from optimizer.rpc.planfile import load_plan_message

EXIT_INVALID = 2


def _add_run_options(parser: argparse.ArgumentParser) -> None:
    defaults = RunOptions()
    parser.add_argument("file", help="event plan, YAML or JSON (the EventPlan message)")
    parser.add_argument("--seed", type=int, default=defaults.seed, help="random seed (default 0)")
    parser.add_argument(
        "--replications",
        type=int,
        default=defaults.replications,
        help=f"simulation replications (default {defaults.replications})",
    )
    parser.add_argument(
        "--time-limit",
        type=float,
        default=defaults.time_limit_s,
        help=f"roster solver time limit in seconds (default {defaults.time_limit_s:g})",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=defaults.workers,
        help="solver workers (default 1; 1 and 2 are deterministic)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="optimizer",
        description="Staffing optimiser for large-event security: simulate the crowd, derive "
        "officer requirements, solve a minimum-officer roster, verify it.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    plan = commands.add_parser("plan", help="plan a verified minimum-officer roster")
    _add_run_options(plan)
    plan.add_argument(
        "--out", default=".", help="directory for roster.json and roster.csv (default: here)"
    )
    validate = commands.add_parser("validate", help="check a plan and list every problem")
    validate.add_argument("file")
    simulate = commands.add_parser("simulate", help="simulate the crowd and derive requirements")
    _add_run_options(simulate)
    simulate.add_argument("--json", help="also write the SimulateResponse as JSON to this path")
    serve = commands.add_parser("serve", help="run the gRPC service")
    serve.add_argument("--address", default="127.0.0.1:50051", help="host:port to listen on")
    serve.add_argument("--no-reflection", action="store_true", help="disable server reflection")
    serve.add_argument("--grace", type=float, default=10.0, help="drain time on shutdown (s)")
    return parser


def _load(path: str) -> EventPlan:
    return convert.plan_from_pb(load_plan_message(path))


def _options(args: argparse.Namespace) -> RunOptions:
    return convert.validate_options(
        RunOptions(
            seed=args.seed,
            replications=args.replications,
            time_limit_s=args.time_limit,
            workers=args.workers,
        )
    )


def _progress(args: argparse.Namespace) -> pipeline.ProgressHandler | None:
    if args.quiet:
        return None
    return lambda message: print(f"  .. {message}", file=sys.stderr, flush=True)


def _cmd_plan(args: argparse.Namespace) -> int:
    plan = _load(args.file)
    outcome = pipeline.plan(plan, _options(args), on_progress=_progress(args))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    result = convert.plan_result_to_pb(outcome)
    (out / "roster.json").write_text(
        json_format.MessageToJson(result, preserving_proto_field_name=True) + "\n",
        encoding="utf-8",
    )
    (out / "roster.csv").write_text(report.roster_csv(outcome), encoding="utf-8")
    print(report.plan_summary(outcome))
    print(f"Wrote {out / 'roster.json'} and {out / 'roster.csv'}")
    return report.exit_code(outcome)


def _cmd_validate(args: argparse.Namespace) -> int:
    plan = _load(args.file)
    risk = assess(plan.risk)
    available = sum(s.count for s in plan.pool.supply) + len(plan.pool.officers)
    print(
        f"{args.file}: valid. {len(plan.zones)} zones, {len(plan.gates)} gates, "
        f"{len(plan.posts)} posts, {plan.grid.n_slots} slots of {plan.grid.slot_min} min, "
        f"{available} officers; risk {risk.level.name} ({risk.reason})"
    )
    return 0


def _cmd_simulate(args: argparse.Namespace) -> int:
    outcome = pipeline.simulate(_load(args.file), _options(args), on_progress=_progress(args))
    print(report.simulate_summary(outcome))
    if args.json:
        message = convert.simulate_response_to_pb(outcome)
        Path(args.json).write_text(
            json_format.MessageToJson(message, preserving_proto_field_name=True) + "\n",
            encoding="utf-8",
        )
        print(f"Wrote {args.json}")
    return 0


def _cmd_serve(args: argparse.Namespace) -> int:
    from optimizer.rpc.server import ServerConfig, serve

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    serve(ServerConfig(address=args.address, reflection=not args.no_reflection, grace_s=args.grace))
    return 0


COMMANDS = {
    "plan": _cmd_plan,
    "validate": _cmd_validate,
    "simulate": _cmd_simulate,
    "serve": _cmd_serve,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except InvalidInput as exc:
        count = len(exc.violations)
        print(
            f"optimizer: {getattr(args, 'file', 'input')}: {count} problem"
            f"{'s' if count != 1 else ''}:",
            file=sys.stderr,
        )
        for violation in exc.violations:
            print(f"  {violation.field}: {violation.reason}", file=sys.stderr)
        return EXIT_INVALID
    except KeyboardInterrupt:
        print("optimizer: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
