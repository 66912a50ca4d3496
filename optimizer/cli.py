"""The ``optimizer`` command: plan | validate | simulate | serve | bench.

The only module that reads argv or the environment. Bad input prints every violation as
``field: reason`` and exits 2; nothing the user writes produces a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from optimizer import pipeline, report
from optimizer.domain.types import EventPlan, RunOptions
from optimizer.errors import InvalidInput, Violation
from optimizer.risk import assess
from optimizer.rpc import convert
from optimizer.rpc.planfile import load_plan_message, write_plan_result, write_simulate_response

EXIT_INVALID = 2
# Bearer tokens for ``serve``, comma- or whitespace-separated, when no --tokens-file is given.
TOKENS_ENV = "OPTIMIZER_AUTH_TOKENS"


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
    serve.add_argument("--tls-cert", help="PEM certificate chain; with --tls-key, serve TLS")
    serve.add_argument("--tls-key", help="PEM private key of --tls-cert")
    serve.add_argument(
        "--tls-client-ca", help="PEM CA certificates; clients must present a certificate it signed"
    )
    serve.add_argument(
        "--tokens-file",
        help="accepted bearer tokens, one per line (# comments); turns authentication on. "
        f"Without it, tokens are read from ${TOKENS_ENV} when that is set",
    )
    serve.add_argument(
        "--open-reflection",
        action="store_true",
        help="with tokens, leave server reflection reachable without one (health always is)",
    )
    serve.add_argument(
        "--max-solves", type=int, default=2, help="Plan/Simulate calls run at once (default 2)"
    )
    serve.add_argument(
        "--max-problem-size",
        type=int,
        default=200_000_000,
        help="largest slots x posts x officers accepted (default 200,000,000)",
    )
    serve.add_argument(
        "--log-format", choices=["json", "text"], default="json", help="log lines (default json)"
    )
    bench = commands.add_parser("bench", help="benchmark roster policies over a sweep spec")
    bench.add_argument("file", metavar="SPEC", help="sweep spec, YAML (see benchmarks/sweeps/)")
    bench.add_argument(
        "--workers", type=int, default=1, help="local processes, one scenario each (default 1)"
    )
    bench.add_argument("--out", default="bench-out", help="output directory (default bench-out)")
    bench.add_argument("--scheduler", help="Dask scheduler address: run there instead")
    bench.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
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


class ProgressDisplay:
    """Pipeline progress on stderr: the same events the gRPC ``PlanStream`` sends.

    On a terminal, one line rewritten in place with a bar over the five phases; otherwise (a log,
    CI) a line per phase message and per new incumbent, leaving out the per-replication counts
    and the solver's bound-only reports, which come in bursts. Called from CP-SAT's threads too,
    hence the lock.
    """

    PHASES = tuple(pipeline.Phase)
    # Redraw a terminal line at most this often; phase changes are always drawn.
    REDRAW_S = 0.1

    def __init__(self, stream: TextIO, tty: bool | None = None) -> None:
        self._stream = stream
        self._tty = stream.isatty() if tty is None else tty
        self._lock = threading.Lock()
        self._started = time.monotonic()
        self._phase: pipeline.Phase | None = None
        self._drawn_at = 0.0
        self._width = 0
        self._incumbent: tuple[str, int] | None = None

    def line(self, progress: pipeline.Progress) -> str:
        """The text shown for ``progress``."""
        index = self.PHASES.index(progress.phase) + 1
        bar = "#" * index + "-" * (len(self.PHASES) - index)
        elapsed = time.monotonic() - self._started
        text = progress.message
        solver = progress.solver
        if solver is not None and solver.objective is not None:
            gap = ""
            if solver.objective > 0:
                gap = f", gap {100 * (solver.objective - solver.bound) / solver.objective:.1f}%"
            text = f"{solver.stage}: {solver.objective} (bound {solver.bound}{gap})"
        return f"[{bar}] {progress.phase.value:<12} {text}  {elapsed:.1f} s"

    def __call__(self, progress: pipeline.Progress) -> None:
        with self._lock:
            changed = progress.phase is not self._phase
            self._phase = progress.phase
            if not self._tty:
                if self._worth_a_line(progress):
                    print(f"  .. {self.line(progress)}", file=self._stream, flush=True)
                return
            now = time.monotonic()
            if not changed and now - self._drawn_at < self.REDRAW_S:
                return
            self._drawn_at = now
            text = self.line(progress)
            self._stream.write("\r" + text.ljust(self._width))
            self._stream.flush()
            self._width = len(text)

    def _worth_a_line(self, progress: pipeline.Progress) -> bool:
        solver = progress.solver
        if solver is None:
            return not progress.step
        if solver.objective is None or (solver.stage, solver.objective) == self._incumbent:
            return False
        self._incumbent = (solver.stage, solver.objective)
        return True

    def close(self) -> None:
        """End the terminal line so what follows starts on its own."""
        with self._lock:
            if self._tty and self._width:
                self._stream.write("\n")
                self._stream.flush()
                self._width = 0


def _progress(args: argparse.Namespace) -> ProgressDisplay | None:
    return None if args.quiet else ProgressDisplay(sys.stderr)


def _cmd_plan(args: argparse.Namespace) -> int:
    plan = _load(args.file)
    display = _progress(args)
    try:
        outcome = pipeline.plan(plan, _options(args), on_progress=display)
    finally:
        if display is not None:
            display.close()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    write_plan_result(outcome, out / "roster.json")
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
    display = _progress(args)
    try:
        outcome = pipeline.simulate(_load(args.file), _options(args), on_progress=display)
    finally:
        if display is not None:
            display.close()
    print(report.simulate_summary(outcome))
    if args.json:
        write_simulate_response(outcome, args.json)
        print(f"Wrote {args.json}")
    return 0


def _read(path: str, what: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise InvalidInput([Violation(what, f"cannot read {path}: {exc.strerror}")]) from exc


def _tokens(args: argparse.Namespace) -> frozenset[str] | None:
    """Bearer tokens from --tokens-file, else from $OPTIMIZER_AUTH_TOKENS; None: auth off."""
    if args.tokens_file:
        lines = _read(args.tokens_file, "--tokens-file").decode("utf-8").splitlines()
        tokens = frozenset(t.strip() for t in lines if t.strip() and not t.startswith("#"))
        if not tokens:
            raise InvalidInput([Violation("--tokens-file", f"{args.tokens_file} holds no token")])
        return tokens
    found = os.environ.get(TOKENS_ENV, "").replace(",", " ").split()
    return frozenset(found) if found else None


def _cmd_serve(args: argparse.Namespace) -> int:
    from optimizer.rpc import logs
    from optimizer.rpc.limits import Limits
    from optimizer.rpc.server import ServerConfig, TlsConfig, serve

    if bool(args.tls_cert) != bool(args.tls_key):
        raise InvalidInput([Violation("--tls-cert/--tls-key", "give both or neither")])
    if args.tls_client_ca and not args.tls_cert:
        raise InvalidInput([Violation("--tls-client-ca", "needs --tls-cert and --tls-key")])
    tls = None
    if args.tls_cert:
        client_ca = _read(args.tls_client_ca, "--tls-client-ca") if args.tls_client_ca else None
        tls = TlsConfig(
            _read(args.tls_cert, "--tls-cert"), _read(args.tls_key, "--tls-key"), client_ca
        )
    try:
        limits = Limits(max_solves=args.max_solves, max_problem_size=args.max_problem_size)
    except ValueError as exc:
        raise InvalidInput([Violation("serve", str(exc))]) from exc
    logs.configure(json_lines=args.log_format == "json")
    serve(
        ServerConfig(
            address=args.address,
            reflection=not args.no_reflection,
            grace_s=args.grace,
            limits=limits,
            tls=tls,
            tokens=_tokens(args),
            open_reflection=args.open_reflection,
        )
    )
    return 0


def _cmd_bench(args: argparse.Namespace) -> int:
    from optimizer.bench import output, runner
    from optimizer.bench.spec import load_spec

    spec = load_spec(args.file)
    started = time.monotonic()

    def progress(done: int, total: int, task: runner.Task) -> None:
        if not args.quiet:
            print(
                f"  .. bench {done}/{total} done: {task.scenario} seed {task.seed}"
                f"  {time.monotonic() - started:.1f} s",
                file=sys.stderr,
                flush=True,
            )

    if args.scheduler:
        with runner.dask_executor(args.scheduler) as cluster:
            result = runner.run_sweep(spec, cluster, progress)
    else:
        with runner.local_executor(args.workers) as pool:
            result = runner.run_sweep(spec, pool, progress)
    out = Path(args.out)
    notes = output.write_outputs(result, out)
    print(output.summary_markdown(result))
    print(f"Wrote {out / 'results.csv'}, {out / 'timings.csv'} and {out / 'summary.md'}")
    for note in notes:
        print(note)
    return 0


COMMANDS = {
    "bench": _cmd_bench,
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
