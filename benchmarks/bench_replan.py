"""Stability of re-planning: perturb the bundled examples and compare with planning from scratch.

Run: ``python benchmarks/bench_replan.py [--example quickstart|stadium_match|marathon|festival|all]
[--time-limit S] [--workers N] [--replications N]`` (default: quickstart and stadium_match, the
marathon and the three-day music festival only when asked for or with ``all``; 2 workers). On
the festival officers work several duties (shifts) with the minimum rest between them: changes
are counted per duty, and the lines also give the officers with a changed duty.

For each example the plan is planned and that roster published; then each perturbation is
re-planned against it (``pipeline.replan``) and planned from scratch (``pipeline.plan``, which
ignores the published roster). Perturbations:

* ``tickets +10%``: attendance up 10 % (a requirements-only plan: every requirement up 10 %,
  rounded up);
* ``gate closed``: the gate with the largest share closes, its screening posts with it, and its
  share goes to the other gates of its zone in proportion to theirs (all other gates when it is
  alone); a requirements-only plan closes its busiest post whose zone has another post of the
  same type and hands its requirement to those neighbours, split evenly;
* ``officers -5%``: every supply count down 5 % (rounded down), every twentieth named officer
  gone.

Changes are counted with the same diff for both (``optimizer.domain.replan.diff_rosters``).
Scratch rosters number their officers afresh, so their anonymous ids are first matched to the
published ones the fairest way (whole officers when some work several duties: ``match_people``),
per officer type: identical shifts first, then same hours (only
posts differ), then the rest paired by start time (one change each instead of a release and an
addition). Target: re-planning changes far fewer officers at the same or a nearly equal
headcount. Times are each run's roster stage (the simulation is the same for both); "short h"
is the officer-hours a roster leaves uncovered when the pool is short (status infeasible).
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

from optimizer import pipeline
from optimizer.domain.replan import ReplanRules, diff_rosters
from optimizer.domain.types import (
    EventPlan,
    Gate,
    OfficerTypeId,
    PostRequirement,
    RequirementSpan,
    Roster,
    RunOptions,
    Shift,
)
from optimizer.roster.replan_chain import shape, shared_duties
from optimizer.rpc.convert import plan_from_pb
from optimizer.rpc.planfile import load_plan_message

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
DEFAULT_EXAMPLES = ("quickstart", "stadium_match")
TIME_LIMITS = {"quickstart": 10.0, "stadium_match": 30.0, "marathon": 60.0, "festival": 60.0}
FILES = {"festival": "music_festival"}


# ---- perturbations ---------------------------------------------------------------------------


def tickets_up(plan: EventPlan) -> EventPlan:
    if plan.requirements and not plan.gates:
        return dataclasses.replace(
            plan,
            requirements=tuple(
                dataclasses.replace(
                    r,
                    runs=tuple(
                        dataclasses.replace(span, officers=math.ceil(span.officers * 1.1))
                        for span in r.runs
                    ),
                )
                for r in plan.requirements
            ),
        )
    crowd = dataclasses.replace(plan.crowd, attendance=round(plan.crowd.attendance * 1.1))
    return dataclasses.replace(plan, crowd=crowd)


def _close_gate(plan: EventPlan) -> EventPlan:
    closed = max(plan.gates, key=lambda g: (g.share, g.id))
    neighbours = [g for g in plan.gates if g.id != closed.id and g.zone_id == closed.zone_id]
    neighbours = neighbours or [g for g in plan.gates if g.id != closed.id]
    total = sum(g.share for g in neighbours)

    def reopened(g: Gate) -> Gate:
        share = g.share + closed.share * g.share / total if g in neighbours else g.share
        if g.spill_to == closed.id:
            return dataclasses.replace(g, share=share, spill_to=None, spill_queue=0)
        return dataclasses.replace(g, share=share)

    gates = tuple(reopened(g) for g in plan.gates if g.id != closed.id)
    gone = {p.id for p in plan.posts if p.gate_id == closed.id}
    return dataclasses.replace(
        plan,
        gates=gates,
        posts=tuple(p for p in plan.posts if p.id not in gone),
        requirements=tuple(r for r in plan.requirements if r.post_id not in gone),
    )


def _close_post(plan: EventPlan) -> EventPlan:
    posts = {p.id: p for p in plan.posts}

    def neighbours(post_id: str) -> list[str]:
        post = posts[post_id]
        return [
            p.id
            for p in plan.posts
            if p.id != post_id
            and p.zone_id == post.zone_id
            and p.officer_type == post.officer_type
            and any(r.post_id == p.id for r in plan.requirements)
        ]

    def load(r: PostRequirement) -> int:
        return sum(s.officers * (s.end_min - s.start_min) for s in r.runs)

    closed = max(
        (r for r in plan.requirements if neighbours(r.post_id)),
        key=lambda r: (load(r), r.post_id),
    )
    takers = neighbours(closed.post_id)
    requirements = []
    for r in plan.requirements:
        if r.post_id == closed.post_id:
            continue
        if r.post_id in takers:
            extra = tuple(
                RequirementSpan(s.start_min, s.end_min, math.ceil(s.officers / len(takers)))
                for s in closed.runs
            )
            r = dataclasses.replace(r, runs=(*r.runs, *extra))
        requirements.append(r)
    course = plan.course
    if course is not None:
        course = dataclasses.replace(
            course,
            segments=tuple(
                dataclasses.replace(
                    seg, post_ids=tuple(p for p in seg.post_ids if p != closed.post_id)
                )
                for seg in course.segments
            ),
        )
    return dataclasses.replace(
        plan,
        posts=tuple(p for p in plan.posts if p.id != closed.post_id),
        requirements=tuple(requirements),
        course=course,
    )


def gate_closed(plan: EventPlan) -> EventPlan:
    return _close_gate(plan) if len(plan.gates) > 1 else _close_post(plan)


def officers_down(plan: EventPlan) -> EventPlan:
    named = sorted(plan.pool.officers, key=lambda o: o.id)
    gone = {o.id for o in named[19::20]}
    pool = dataclasses.replace(
        plan.pool,
        supply=tuple(
            dataclasses.replace(s, count=math.floor(s.count * 0.95)) for s in plan.pool.supply
        ),
        officers=tuple(o for o in plan.pool.officers if o.id not in gone),
    )
    return dataclasses.replace(plan, pool=pool)


PERTURBATIONS: dict[str, Callable[[EventPlan], EventPlan]] = {
    "tickets +10%": tickets_up,
    "gate closed": gate_closed,
    "officers -5%": officers_down,
}


# ---- the fairest ids for a scratch roster -----------------------------------------------------


def match_ids(
    published: Sequence[Shift], scratch: Sequence[Shift], named: set[str]
) -> tuple[Shift, ...]:
    """``scratch`` with its anonymous officers renamed to published ids, fewest changes first.

    Named officers are people and keep their ids. Per type: identical shifts (hours and
    stints) take the published ids first, then shifts with the same hours, then the rest are
    paired in order of start; scratch shifts left over get ids unused in ``published``.
    """
    taken = {s.officer_id for s in published}
    result = [s for s in scratch if s.officer_id in named]
    by_type_old: dict[OfficerTypeId, list[Shift]] = defaultdict(list)
    by_type_new: dict[OfficerTypeId, list[Shift]] = defaultdict(list)
    for s in published:
        if s.officer_id not in named:
            by_type_old[s.officer_type].append(s)
    for s in scratch:
        if s.officer_id not in named:
            by_type_new[s.officer_type].append(s)
    fresh = 0
    for officer_type in sorted(by_type_old.keys() | by_type_new.keys()):
        old = sorted(by_type_old[officer_type], key=lambda s: (shape(s), s.officer_id))
        new = sorted(by_type_new[officer_type], key=lambda s: (shape(s), s.officer_id))
        keys: list[Callable[[Shift], object]] = [lambda s: (shape(s), s.stints), shape]
        for key in keys:
            pool: dict[object, list[Shift]] = defaultdict(list)
            for s in old:
                pool[key(s)].append(s)
            rest = []
            for s in new:
                if pool[key(s)]:
                    match = pool[key(s)].pop(0)
                    old.remove(match)
                    result.append(dataclasses.replace(s, officer_id=match.officer_id))
                else:
                    rest.append(s)
            new = rest
        old.sort(key=lambda s: (s.start_min, s.end_min, s.officer_id))
        new.sort(key=lambda s: (s.start_min, s.end_min))
        for s, match in zip(new, old, strict=False):
            result.append(dataclasses.replace(s, officer_id=match.officer_id))
        for s in new[len(old) :]:
            while f"{officer_type}-new-{fresh}" in taken:
                fresh += 1
            result.append(dataclasses.replace(s, officer_id=f"{officer_type}-new-{fresh}"))
            fresh += 1
    return tuple(result)


def match_people(
    published: Sequence[Shift], scratch: Sequence[Shift], named: set[str]
) -> tuple[Shift, ...]:
    """``match_ids`` for rosters whose officers work several duties: whole officers renamed.

    A scratch officer's duties stay together (their rest holds); per type, each takes the id
    of the published officer with whom they share most duties (identical counting two, same
    hours one), greedily, then the rest pair in order of their first start; officers left over
    get ids unused in ``published``. Named officers keep their ids.
    """
    if all(n == 1 for n in Counter(s.officer_id for s in (*published, *scratch)).values()):
        return match_ids(published, scratch, named)
    old: dict[str, list[Shift]] = defaultdict(list)
    new: dict[str, list[Shift]] = defaultdict(list)
    for s in published:
        if s.officer_id not in named:
            old[s.officer_id].append(s)
    for s in scratch:
        if s.officer_id not in named:
            new[s.officer_id].append(s)

    def first(duties: Sequence[Shift]) -> int:
        return min(s.start_min for s in duties)

    rename: dict[str, str] = {}
    for officer_type in sorted({s.officer_type for s in (*published, *scratch)}):
        mine = sorted(p for p in new if new[p][0].officer_type == officer_type)
        theirs = sorted(q for q in old if old[q][0].officer_type == officer_type)
        pairs = sorted(
            (-shared_duties(new[p], old[q]), first(new[p]), p, q)
            for p in mine
            for q in theirs
            if shared_duties(new[p], old[q]) > 0
        )
        taken: set[str] = set()
        for _, _, p, q in pairs:
            if p not in rename and q not in taken:
                rename[p] = q
                taken.add(q)
        rest_new = sorted((p for p in mine if p not in rename), key=lambda p: (first(new[p]), p))
        rest_old = sorted((q for q in theirs if q not in taken), key=lambda q: (first(old[q]), q))
        for p, q in zip(rest_new, rest_old, strict=False):
            rename[p] = q
    used = {s.officer_id for s in published} | set(rename.values())
    fresh = 0
    for p in sorted(new):
        if p not in rename:
            while f"new-{fresh}" in used:
                fresh += 1
            rename[p] = f"new-{fresh}"
            used.add(rename[p])
    return tuple(
        dataclasses.replace(s, officer_id=rename[s.officer_id]) if s.officer_id in rename else s
        for s in scratch
    )


# ---- the run ----------------------------------------------------------------------------------


def _roster_s(outcome: pipeline.PlanOutcome) -> float:
    return dict(outcome.timings).get("roster", 0.0)


def _people(roster: Roster) -> str:
    """Officers, and their duties when some work several ("people/duties")."""
    duties = len(roster.shifts)
    return f"{roster.headcount}" if duties == roster.headcount else f"{roster.headcount}/{duties}"


def _missing_h(roster: Roster) -> str:
    """Officer-hours the roster leaves uncovered ("" when it covers everything)."""
    minutes = sum(f.officers * (f.end_min - f.start_min) for f in roster.shortfalls)
    return f"{minutes / 60:.0f}" if minutes else ""


def run(example: str, options: RunOptions) -> list[tuple[str, ...]]:
    plan = plan_from_pb(load_plan_message(EXAMPLES / f"{FILES.get(example, example)}.yaml"))
    published = pipeline.plan(plan, options)
    base = published.roster
    rows = [
        (
            example,
            "published",
            _people(base),
            base.status.value,
            _missing_h(base),
            "",
            f"{_roster_s(published):.1f}",
            "",
            "",
            "",
            "",
            "",
        )
    ]
    for name, perturb in PERTURBATIONS.items():
        new_plan = perturb(plan)
        named = {o.id for o in new_plan.pool.officers} | {o.id for o in plan.pool.officers}
        started = time.perf_counter()
        replanned = pipeline.replan(
            new_plan, base, options, ReplanRules(), published_requirements=published.requirements
        )
        replan_total = time.perf_counter() - started
        scratch = pipeline.plan(new_plan, options)
        fair = match_people(base.shifts, scratch.roster.shifts, named)
        scratch_diff = diff_rosters(base.shifts, fair)
        roster = replanned.outcome.roster
        rows.append(
            (
                example,
                name,
                _people(roster),
                roster.status.value,
                _missing_h(roster),
                f"{replanned.diff.total}",
                f"{_roster_s(replanned.outcome):.1f}",
                _people(scratch.roster),
                scratch.roster.status.value,
                _missing_h(scratch.roster),
                f"{scratch_diff.total}",
                f"{_roster_s(scratch):.1f}",
            )
        )
        print(
            f"  {example} / {name}: re-plan {replanned.diff.added} added, "
            f"{replanned.diff.released} released, {replanned.diff.shift_changed} moved, "
            f"{replanned.diff.posts_changed} other posts, {replanned.diff.officers_changed} "
            f"officers ({replan_total:.1f} s in all); "
            f"scratch {scratch_diff.added}/{scratch_diff.released}/"
            f"{scratch_diff.shift_changed}/{scratch_diff.posts_changed}, "
            f"{scratch_diff.officers_changed} officers",
            flush=True,
        )
    return rows


HEADER = (
    "example",
    "case",
    "re-plan officers",
    "status",
    "short h",
    "changes",
    "roster s",
    "scratch officers",
    "status",
    "short h",
    "changes",
    "roster s",
)


def table(rows: Sequence[tuple[str, ...]]) -> str:
    widths = [max(len(r[i]) for r in (HEADER, *rows)) for i in range(len(HEADER))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(HEADER, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines.extend("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows)
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--example",
        choices=("quickstart", "stadium_match", "marathon", "festival", "all"),
        action="append",
        help="example to run (repeatable; default: quickstart and stadium_match)",
    )
    parser.add_argument("--time-limit", type=float, default=None, help="solver limit, s")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--replications", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    chosen = args.example or list(DEFAULT_EXAMPLES)
    if "all" in chosen:
        chosen = [*DEFAULT_EXAMPLES, "marathon", "festival"]
    rows: list[tuple[str, ...]] = []
    for example in chosen:
        limit = args.time_limit if args.time_limit is not None else TIME_LIMITS[example]
        options = RunOptions(
            seed=args.seed,
            replications=args.replications,
            time_limit_s=limit,
            workers=args.workers,
        )
        print(f"{example}: time limit {limit:g} s, {args.workers} workers", flush=True)
        rows.extend(run(example, options))
    print()
    print(table(rows))


if __name__ == "__main__":
    main()
