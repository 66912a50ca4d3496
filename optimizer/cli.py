"""The ``optimizer`` command: plan | validate | simulate | serve | bench | store | replan.

The only module that reads argv or the environment. Bad input prints every violation as
``field: reason`` and exits 2; nothing the user writes produces a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from optimizer import pipeline, report
from optimizer.domain.types import EventPlan, RunOptions
from optimizer.errors import InvalidInput, OptimizerError, Violation
from optimizer.replan_report import diff_csv, diff_text
from optimizer.risk import assess
from optimizer.rpc import convert, store_ops, store_replan
from optimizer.rpc.planfile import load_plan_message, write_plan_result, write_simulate_response
from optimizer.rpc.v1.replan_rules_pb2 import ReplanRules as ReplanRulesMessage
from optimizer.store import (
    EventStatus,
    NotFound,
    NothingPublished,
    PlanStore,
    SchemaTooNew,
    StoreError,
)
from optimizer.store import report as store_report

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_INVALID = 2
# A roster was stored but a person must look before it is published: a re-plan kept a pin or the
# frozen window at the cost of a shortfall, or the pool cannot cover the plan.
EXIT_REVIEW = 3
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
    plan.add_argument(
        "--store",
        metavar="DB",
        help="also record the plan version and the roster in this plan store (an SQLite file, "
        "created if absent)",
    )
    plan.add_argument(
        "--event",
        metavar="ID",
        help="the event the plan belongs to in --store (default: the plan file's name)",
    )
    plan.add_argument(
        "--publish",
        action="store_true",
        help="with --store, publish the roster when it covers every requirement",
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
    serve.add_argument(
        "--store",
        metavar="DB",
        help="plan store (SQLite file, created if absent) for Replan, ListEvents, GetRoster, "
        "PublishRoster, PutPlan and Plan calls naming an event",
    )
    bench = commands.add_parser("bench", help="benchmark roster policies over a sweep spec")
    bench.add_argument("file", metavar="SPEC", help="sweep spec, YAML (see benchmarks/sweeps/)")
    bench.add_argument(
        "--workers", type=int, default=1, help="local processes, one scenario each (default 1)"
    )
    bench.add_argument("--out", default="bench-out", help="output directory (default bench-out)")
    bench.add_argument("--scheduler", help="Dask scheduler address: run there instead")
    bench.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    _add_store_commands(commands)
    _add_replan_command(commands)
    return parser


def _add_store_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--store", metavar="DB", required=True, help="the plan store (SQLite file)")


def _add_store_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    store = commands.add_parser(
        "store",
        help="what a plan store holds: events, plan versions, rosters, publications",
        description="A plan store keeps every plan version of each event, every roster made "
        "for them (by plan or replan), and which roster is published. Roster ids are numbers "
        "shown by 'store rosters'.",
    )
    actions = store.add_subparsers(dest="store_command", required=True, metavar="ACTION")
    events = actions.add_parser(
        "events", help="every event: plan versions, published roster, whether a re-plan is due"
    )
    _add_store_option(events)
    rosters = actions.add_parser("rosters", help="an event's rosters, oldest first")
    rosters.add_argument("event", metavar="EVENT")
    _add_store_option(rosters)
    history = actions.add_parser("history", help="an event's plan versions and publications")
    history.add_argument("event", metavar="EVENT")
    _add_store_option(history)
    show = actions.add_parser("show", help="one roster: its figures, origin and diff")
    show.add_argument("roster_id", metavar="ROSTER_ID", type=int)
    show.add_argument("--json", metavar="FILE", help="also write its result (roster.json form)")
    _add_store_option(show)
    publish = actions.add_parser(
        "publish", help="make a roster its event's published one (the history is kept)"
    )
    publish.add_argument("roster_id", metavar="ROSTER_ID", type=int)
    _add_store_option(publish)
    add_plan = actions.add_parser(
        "add-plan",
        help="store a plan file as the event's next plan version (the event is created if "
        "new; a plan equal to the latest version is not stored twice)",
    )
    add_plan.add_argument("event", metavar="EVENT")
    add_plan.add_argument("file", metavar="PLAN", help="event plan, YAML or JSON")
    _add_store_option(add_plan)


REPLAN_EPILOG = """\
exit codes (for cron or a systemd timer):
  0  every re-plan covers its plan and was stored (and published with --publish), or
     nothing was due
  1  an event failed (its re-plan was not stored; the next run tries it again), or the
     store could not be written
  2  bad usage or input: unknown event, nothing published, invalid plan or option
  3  a roster was stored that a person must look at before it is published: a pin or the
     frozen window was kept at the cost of a shortfall, or the pool cannot cover the plan
  With --due, the most severe code over all events (1, then 3, then 0).

--due re-plans each event whose latest plan version differs from the plan of its published
roster, against that roster. The new roster is stored; without --publish it awaits a person's
'optimizer store publish ROSTER_ID', and the event is not re-planned again until its plan
changes or another roster is published. With --publish, rosters that cover their plan and keep
every pin are published at once; the others are only stored (exit 3). Events with nothing
published are listed, not re-planned.
"""


def _add_replan_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    replan = commands.add_parser(
        "replan",
        help="re-plan a stored event against its published roster, changing it as little "
        "as possible; --due re-plans every event whose plan changed",
        description="Re-plan an event of the store: the latest plan version (or --plan, "
        "stored first as a new version) against the event's published roster. Prints the "
        "roster summary and the changes; the new roster is stored. The plan's own re-plan "
        "rules apply; --freeze-hours, --freeze-until and --max-changes replace them, --pin "
        "adds to its pinned officers. Run options default to those of the published roster.",
        epilog=REPLAN_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    replan.add_argument("event", metavar="EVENT", nargs="?", help="the event to re-plan")
    _add_store_option(replan)
    replan.add_argument(
        "--due", action="store_true", help="re-plan every event whose plan changed (no EVENT)"
    )
    replan.add_argument("--plan", metavar="NEW_PLAN", help="store this plan file first")
    replan.add_argument(
        "--freeze-hours",
        type=float,
        metavar="H",
        help="keep every published shift starting within H hours of --now as it is",
    )
    replan.add_argument(
        "--freeze-until",
        metavar="ISO",
        help="keep every published shift starting before this local time as it is",
    )
    replan.add_argument(
        "--pin",
        nargs="+",
        action="extend",
        default=[],
        metavar="OFFICER_ID",
        help="keep these officers' published shifts exactly",
    )
    replan.add_argument(
        "--max-changes", type=int, metavar="N", help="change at most N officers' shifts"
    )
    replan.add_argument(
        "--now", metavar="ISO", help="the time the re-plan is made (default: the clock)"
    )
    replan.add_argument(
        "--publish",
        action="store_true",
        help="publish each new roster that covers its plan and keeps every pin",
    )
    replan.add_argument("--diff-csv", metavar="FILE", help="write the changes as CSV")
    replan.add_argument("--seed", type=int, help="random seed")
    replan.add_argument("--replications", type=int, help="simulation replications")
    replan.add_argument("--time-limit", type=float, help="roster solver time limit (s)")
    replan.add_argument("--workers", type=int, help="solver workers")
    replan.add_argument("--quiet", action="store_true", help="no progress lines on stderr")


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
    if (args.event or args.publish) and not args.store:
        raise InvalidInput([Violation("--event/--publish", "only with --store")])
    message = load_plan_message(args.file)
    plan = convert.plan_from_pb(message)
    options = _options(args)
    store = _open_store(args.store) if args.store else None
    try:
        stored = None
        if store is not None:
            event_id = args.event or store_ops.event_from_file_name(Path(args.file).stem)
            # The version is stored before the run: it is part of the event even if the run fails.
            stored = (event_id, *store_ops.put_plan(store, event_id, message))
        display = _progress(args)
        try:
            outcome = pipeline.plan(plan, options, on_progress=display)
        finally:
            if display is not None:
                display.close()
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        write_plan_result(outcome, out / "roster.json")
        (out / "roster.csv").write_text(report.roster_csv(outcome), encoding="utf-8")
        print(report.plan_summary(outcome))
        print(f"Wrote {out / 'roster.json'} and {out / 'roster.csv'}")
        if store is not None and stored is not None:
            event_id, version, created = stored
            recorded = store_ops.record_plan(
                store, event_id, version, created, outcome, args.publish
            )
            print(_recorded_line(recorded, args.publish))
    finally:
        if store is not None:
            store.close()
    return report.exit_code(outcome)


def _recorded_line(recorded: store_ops.Recorded, publish: bool) -> str:
    version = recorded.plan
    roster = recorded.roster
    line = (
        f"Stored in event {version.event_id}: plan version {version.version}"
        f"{'' if recorded.plan_created else ' (unchanged)'}, roster {roster.roster_id}"
    )
    if roster.published:
        return line + ", published"
    if publish:
        return line + f", NOT published: {roster.status} (optimizer store publish to override)"
    return line


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
    if args.store:
        # Open (and upgrade) the store before anything else starts: a bad one stops the start.
        _open_store(args.store).close()
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
            store_path=args.store,
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


def _replan_rules(args: argparse.Namespace, standing: ReplanRulesMessage) -> ReplanRulesMessage:
    """The plan's standing rules with the command line's flags applied over them."""
    rules = type(standing)()
    rules.CopyFrom(standing)
    if args.freeze_hours is not None and args.freeze_until is not None:
        raise InvalidInput([Violation("--freeze-hours/--freeze-until", "give one or neither")])
    if args.freeze_hours is not None:
        rules.freeze_hours = args.freeze_hours
        rules.ClearField("freeze_until")
    if args.freeze_until is not None:
        rules.freeze_until = args.freeze_until
        rules.ClearField("freeze_hours")
    if args.max_changes is not None:
        rules.max_changes = args.max_changes
    # Pins only ever add to the plan's: a flag never frees an officer the plan pins.
    rules.pinned_officer_ids.extend(p for p in args.pin if p not in rules.pinned_officer_ids)
    return rules


def _replan_options(args: argparse.Namespace, base: RunOptions) -> RunOptions:
    """The published roster's run options with any the command line gives."""
    return convert.validate_options(
        RunOptions(
            seed=base.seed if args.seed is None else args.seed,
            replications=base.replications if args.replications is None else args.replications,
            time_limit_s=base.time_limit_s if args.time_limit is None else args.time_limit,
            workers=base.workers if args.workers is None else args.workers,
        )
    )


def _replan_one(
    store: PlanStore, event_id: str, args: argparse.Namespace
) -> store_replan.StoredReplan:
    """Re-plan one stored event with the command line's rules and options; the stored re-plan."""
    base = store.published(event_id)
    flags = (args.freeze_hours, args.freeze_until, args.max_changes)
    rules = None  # the plan's own: its violations are named replan.<field>
    if args.pin or any(flag is not None for flag in flags):
        standing = store_ops.plan_message(store.latest_plan(event_id)).replan
        rules = _replan_rules(args, standing)
    display = _progress(args)
    try:
        return store_replan.replan_stored(
            store,
            event_id,
            rules=rules,
            options=_replan_options(args, store_ops.stored_options(base)),
            now=args.now or "",
            publish=args.publish,
            on_progress=display,
        )
    except InvalidInput as exc:
        if rules is None:
            raise
        raise InvalidInput([_flag_violation(v) for v in exc.violations]) from exc
    finally:
        if display is not None:
            display.close()


# Fields of the re-plan's rules that the command line sets with a flag.
_FLAGS = {
    "freeze_hours": "--freeze-hours",
    "freeze_until": "--freeze-until",
    "max_changes": "--max-changes",
    "pinned_officer_ids": "--pin",
}


def _flag_violation(violation: Violation) -> Violation:
    """``violation`` named by the flag that set the field (``rules.<field>`` as the request's
    rules are named, ``replan.<field>`` as the re-plan names a pin it cannot find)."""
    head, _, rest = violation.field.partition(".")
    name = rest.split("[", 1)[0]
    if head in ("rules", "replan") and name in _FLAGS:
        return Violation(_FLAGS[name] + rest[len(name) :], violation.reason)
    return violation


def _replan_line(done: store_replan.StoredReplan) -> str:
    """One line for a scheduler's log: what was re-planned, the figures, what happens next."""
    outcome = done.outcome
    roster = outcome.outcome.roster
    diff = outcome.diff
    base = done.base
    # Officers working several duties (multi-day events): the changes are duties.
    whose = f"duties of {diff.officers_changed} officers " if diff.multi_duty else ""
    line = (
        f"{done.plan.event_id}: re-planned plan v{done.plan.version} against roster "
        f"{base.roster_id} (plan v{base.plan_version}) -> roster {done.roster.roster_id}: "
        f"{roster.status.value}, headcount {roster.headcount} (was {base.headcount}), "
        f"{diff.total} {whose}changed ({diff.added} added, {diff.released} released, "
        f"{diff.shift_changed} moved, {diff.posts_changed} at other posts)"
    )
    if outcome.conflicts:
        line += f"; {len(outcome.conflicts)} pin conflicts"
    if done.roster.published:
        return line + "; published"
    if not done.clean:
        return line + "; NEEDS REVIEW before publishing"
    return line + "; awaits publication"


def _cmd_replan(args: argparse.Namespace) -> int:
    if args.due:
        given = [
            name
            for name, value in (
                ("EVENT", args.event),
                ("--plan", args.plan),
                ("--pin", args.pin),
                ("--diff-csv", args.diff_csv),
                ("--freeze-until", args.freeze_until),
            )
            if value
        ]
        if given:
            raise InvalidInput(
                [Violation("--due", f"re-plans every due event; leave out {', '.join(given)}")]
            )
        with _open_store(args.store) as store:
            return _replan_due(store, args)
    if not args.event:
        raise InvalidInput([Violation("EVENT", "name the event to re-plan, or give --due")])
    with _open_store(args.store) as store:
        if args.plan:
            version, created = store_ops.put_plan(store, args.event, load_plan_message(args.plan))
            state = "stored" if created else "equal to the latest version"
            print(f"Event {args.event}: plan version {version.version} {state}")
        done = _replan_one(store, args.event, args)
    outcome = done.outcome
    cause = "kept pins, frozen window or change cap" if outcome.conflicts else "pool short"
    print(report.plan_summary(outcome.outcome, short_cause=cause))
    print()
    grid = outcome.outcome.plan.grid
    title = f"Changes to published roster {done.base.roster_id}:"
    print(diff_text(outcome.diff, grid, outcome.conflicts, title=title))
    if args.diff_csv:
        Path(args.diff_csv).write_text(diff_csv(outcome.diff, grid), encoding="utf-8")
        print(f"Wrote {args.diff_csv}")
    print(_replan_line(done))
    return EXIT_OK if done.clean else EXIT_REVIEW


def _replan_due(store: PlanStore, args: argparse.Namespace) -> int:
    """Re-plan every due event; one line each; the most severe exit code (1, then 3, then 0)."""
    codes = [EXIT_OK]
    events = store.events()
    if not events:
        print(f"{args.store}: no events")
    for state in events:
        head = f"{state.event_id}: "
        if state.status is EventStatus.NOTHING_PUBLISHED:
            print(head + f"nothing published (plan v{state.latest_version}); not re-planned")
        elif state.status is EventStatus.UP_TO_DATE:
            print(
                head + f"up to date (roster {state.published_roster_id}, "
                f"plan v{state.published_plan_version})"
            )
        elif state.status is EventStatus.AWAITING_PUBLICATION:
            assert state.pending_roster_id is not None
            pending = store.roster(state.pending_roster_id)
            if store_ops.stored_clean(pending):
                print(
                    head + f"re-plan roster {pending.roster_id} of plan v{state.latest_version} "
                    f"awaits publication (optimizer store publish {pending.roster_id})"
                )
            else:
                codes.append(EXIT_REVIEW)
                print(
                    head + f"re-plan roster {pending.roster_id} of plan v{state.latest_version} "
                    f"NEEDS REVIEW ({pending.status}; optimizer store show {pending.roster_id})"
                )
        else:
            try:
                done = _replan_one(store, state.event_id, args)
            except OptimizerError as exc:
                codes.append(EXIT_FAILED)
                print(head + f"FAILED: {exc}", flush=True)
                continue
            except Exception as exc:
                # A fault in one event's re-plan must not keep the night's others from running.
                codes.append(EXIT_FAILED)
                print(head + f"FAILED: internal error: {type(exc).__name__}: {exc}", flush=True)
                continue
            codes.append(EXIT_OK if done.clean else EXIT_REVIEW)
            print(_replan_line(done))
    return EXIT_FAILED if EXIT_FAILED in codes else max(codes)


def _open_store(path: str) -> PlanStore:
    return PlanStore(path)


def _cmd_store(args: argparse.Namespace) -> int:
    with _open_store(args.store) as store:
        return STORE_ACTIONS[args.store_command](store, args)


def _store_events(store: PlanStore, args: argparse.Namespace) -> int:
    events = store.events()
    if not events:
        print(f"{args.store}: no events")
    for state in events:
        print(store_report.event_line(state))
    return 0


def _store_rosters(store: PlanStore, args: argparse.Namespace) -> int:
    print(store_report.roster_header())
    for roster in store.rosters(args.event):
        print(store_report.roster_row(roster))
    return 0


def _store_history(store: PlanStore, args: argparse.Namespace) -> int:
    for line in store_report.history_lines(
        store.plan_versions(args.event), store.publications(args.event)
    ):
        print(line)
    return 0


def _store_show(store: PlanStore, args: argparse.Namespace) -> int:
    roster = store.roster(args.roster_id)
    print(store_report.roster_details(roster))
    if roster.replan_json:
        # What a person reviewing the re-plan needs: the pins it could not keep, every change.
        diff, conflicts = store_ops.stored_diff(roster)
        plan = store_replan.convert_stored(store, roster.event_id, roster.plan_version)
        title = f"Changes to roster {roster.base_roster_id}:"
        print()
        print(diff_text(diff, plan.grid if plan else None, conflicts, title=title), end="")
    if args.json:
        Path(args.json).write_text(
            json.dumps(json.loads(roster.result_json), indent=2) + "\n", encoding="utf-8"
        )
        print(f"Wrote {args.json}")
    return 0


def _store_publish(store: PlanStore, args: argparse.Namespace) -> int:
    publication = store.publish(args.roster_id)
    print(
        f"Event {publication.event_id}: roster {publication.roster_id} published "
        f"({publication.published_at})"
    )
    return 0


def _store_add_plan(store: PlanStore, args: argparse.Namespace) -> int:
    version, created = store_ops.put_plan(store, args.event, load_plan_message(args.file))
    state = "stored" if created else "equal to the latest version: not stored again"
    print(f"Event {version.event_id}: plan version {version.version} {state}")
    return 0


STORE_ACTIONS = {
    "events": _store_events,
    "rosters": _store_rosters,
    "history": _store_history,
    "show": _store_show,
    "publish": _store_publish,
    "add-plan": _store_add_plan,
}


COMMANDS = {
    "bench": _cmd_bench,
    "plan": _cmd_plan,
    "validate": _cmd_validate,
    "simulate": _cmd_simulate,
    "serve": _cmd_serve,
    "store": _cmd_store,
    "replan": _cmd_replan,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except (NotFound, NothingPublished, SchemaTooNew) as exc:
        print(f"optimizer: {exc}", file=sys.stderr)
        return EXIT_INVALID
    except StoreError as exc:
        print(f"optimizer: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except InvalidInput as exc:
        count = len(exc.violations)
        source = getattr(args, "file", None) or getattr(args, "event", None) or "input"
        print(
            f"optimizer: {source}: {count} problem{'s' if count != 1 else ''}:",
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
