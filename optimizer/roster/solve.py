"""The roster stage: requirements in, a minimum-officer roster with its proven bound out.

Steps: build the covering problem (``problem.py``); solve it lexicographically in the plan's
objective order, substitution last (``solver.py``); when the pool cannot cover the requirement,
solve again allowing shortfall, fewest uncovered officer-slots first; put the duties on posts slot
by slot (``assign.py``); on multi-day events chain each group's duties into officers, several
duties each with the rest between them (``chain.py``); report bounds, per-type figures and the
shortfalls the shifts really leave.
"""

from __future__ import annotations

import bisect
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

from ortools.sat.python import cp_model

from optimizer.domain.types import (
    EventPlan,
    ObjectiveTerm,
    OfficerTypeId,
    PoolNeed,
    PostId,
    PostShortfall,
    Requirement,
    Roster,
    RunOptions,
    Shift,
    Shortfall,
    SolveStatus,
    Supply,
    TimeGrid,
    TypeHeadcount,
)
from optimizer.roster.assign import (
    Assignment,
    Duty,
    assign_posts,
    name_duties,
    post_shortfalls,
    shortfalls,
)
from optimizer.roster.chain import chain_duties, max_overlap
from optimizer.roster.model import Column, CoverInput, CoverModel, build_cover_model
from optimizer.roster.problem import RosterProblem, build_problem
from optimizer.roster.rules import PostRules, post_rules
from optimizer.roster.solver import ProgressHandler, StagedSolution, solve_stages
from optimizer.roster.templates import OfficerGroup

# POST_CHANGES has no stage: the post assignment, which runs after the shift model, keeps moves
# as few as it can slot by slot, wherever the term is listed.
OBJECTIVE_NAMES = {
    ObjectiveTerm.HEADCOUNT: "headcount",
    ObjectiveTerm.OFFICER_HOURS: "officer_hours",
    ObjectiveTerm.OVER_COVER: "over_cover",
}
# Always last: substitutes (special police on public-order posts) stay in reserve unless using
# them wins on a term the plan lists.
SUBSTITUTION = "substitution"
# The substitution stage starts from the incumbent and gets at most this share of the time limit
# on CP-SAT's deterministic clock (so it ends alike on every run): on the marathon example, with
# officer-hours capped, it found no roster of its own in 49 s unhinted; hinted and capped it cut
# substitution from 445 to 80 officer-slots in 13 s. It only breaks ties: the incumbent stands.
SUBSTITUTION_BUDGET = 0.15
# When the pool is short, this share of the time limit is kept for the second question: the
# smallest pool that covers everything (the least-shortfall roster gets the rest).
POOL_NEED_SHARE = 0.25
# Most times the shift model is solved again for what the post rules left uncovered, and most
# rounds of relief officers added after that (see ``RosterSolver._relieve``).
RULE_ROUNDS = 3
RELIEF_ROUNDS = 10


class RosterSolver:
    """One roster solve that another thread can stop.

    Parameters
    ----------
    plan, requirements, options, on_progress, stop_event
        As for ``solve_roster``. ``stop()`` sets ``stop_event`` (one is made if none is given).
    """

    def __init__(
        self,
        plan: EventPlan,
        requirements: Sequence[Requirement],
        options: RunOptions,
        on_progress: ProgressHandler | None = None,
        stop_event: threading.Event | None = None,
    ) -> None:
        self._plan = plan
        self._requirements = tuple(requirements)
        self._options = options
        self._on_progress = on_progress
        self._stop_event = stop_event if stop_event is not None else threading.Event()
        self._staged: StagedSolution | None = None
        # The duties behind the latest post assignment, for chaining them into officers.
        self._duties: list[Duty] = []
        # Officer-slots the post rules added to the demand, (type, weight) -> officers per slot.
        self._rule_demand: dict[tuple[int, int], list[int]] = {}

    @property
    def staged(self) -> StagedSolution | None:
        """How each CP-SAT stage ended (None before ``solve`` or when nothing was demanded)."""
        return self._staged

    def stop(self) -> None:
        """Ask a running (or not yet started) solve to stop as soon as it can.

        Safe from any thread; the solve then returns the best roster found so far.
        """
        self._stop_event.set()

    def solve(self) -> Roster:
        """Solve and return the roster. See ``solve_roster``."""
        started = time.perf_counter()
        problem = build_problem(self._plan, self._requirements)
        if not problem.has_demand:
            return self._roster(problem, SolveStatus.OPTIMAL, (), ())
        objectives = [
            OBJECTIVE_NAMES[o] for o in dict.fromkeys(self._plan.objective) if o in OBJECTIVE_NAMES
        ]
        objectives = [*(objectives or ["headcount", "officer_hours"]), SUBSTITUTION]
        if self._plan.substitutes_in_reserve and "headcount" in objectives:
            objectives.remove(SUBSTITUTION)
            objectives.insert(objectives.index("headcount") + 1, SUBSTITUTION)
        cover = build_cover_model(problem.cover)
        if not cover.substitutable:
            objectives.remove(SUBSTITUTION)
        staged = self._run(cover, objectives, started)
        shortfall_mode = staged.infeasible
        if shortfall_mode:
            # Least weighted shortfall first (``optimizer.roster.priority``), then the plan's order.
            staged = self._run(
                build_cover_model(problem.cover, allow_shortfall=True),
                ["uncovered", *objectives],
                started,
                self._options.time_limit_s * (1 - POOL_NEED_SHARE),
            )
        self._staged = staged
        grid = self._plan.grid
        if staged.x is None:
            if not shortfall_mode:
                return self._roster(problem, SolveStatus.UNKNOWN, (), ())
            # No best-effort roster in time: with no shifts, the whole requirement is missing.
            nobody = {r.post_id: (0,) * grid.n_slots for r in self._requirements}
            return self._short_roster(problem, (), nobody, started)
        rules = post_rules(self._plan, self._requirements)
        duties = name_duties(problem.templates, problem.cover.columns, staged.x)
        assignment = self._assign(problem, duties, rules)
        if shortfall_mode:
            return self._short_roster(
                problem, self._chain(problem, assignment.shifts), assignment.staffed, started
            )
        status = SolveStatus.OPTIMAL if staged.stages[0].proven else SolveStatus.FEASIBLE
        first_shifts = self._chain(problem, assignment.shifts)
        first_headcount = _people(first_shifts)
        if first_headcount > sum(people_per_group(problem, staged.x)):
            # A work cap kept the chaining from the people the model counted: not proven.
            status = SolveStatus.FEASIBLE
        counts, assignment, resolves = self._resolve_for_rules(
            problem, objectives, rules, list(staged.x), assignment, started
        )
        assignment = self._relieve(problem, rules, counts, assignment)
        missing = shortfalls(self._requirements, assignment.staffed, grid)
        by_post = post_shortfalls(self._requirements, assignment.staffed, grid, problem.weights)
        shifts = self._chain(problem, assignment.shifts)
        needed: tuple[PoolNeed, ...] = ()
        if by_post:
            # The pool cannot staff every post under the post rules: a short roster, said so,
            # with the pool that covers the demand plus what the rules took and still miss (an
            # estimate: the shift model does not see the rules, so it is never called proven).
            status = SolveStatus.INFEASIBLE
            self._add_gaps(problem, self._rule_demand, by_post)
            needed, _ = self._pool_needed(problem, started, self._rule_demand)
        elif resolves or _people(shifts) > first_headcount:
            # The first model's bound holds for every roster the rules allow (they only remove
            # rosters), so it stays the bound; optimal only when the headcount meets it.
            status = SolveStatus.FEASIBLE
        roster = self._roster(problem, status, shifts, missing)
        if status is SolveStatus.FEASIBLE and roster.headcount <= roster.lower_bound:
            status = SolveStatus.OPTIMAL
        return replace(
            roster,
            status=status,
            rules_added_officers=roster.headcount - first_headcount,
            rules_resolves=resolves,
            travel_officer_min=assignment.travel_min,
            rotations=assignment.rotations,
            post_shortfalls=by_post,
            pool_needed=needed,
            weighted_shortfall=sum(
                f.officers * f.weight * ((f.end_min - f.start_min) // grid.slot_min)
                for f in by_post
            ),
        )

    def _resolve_for_rules(
        self,
        problem: RosterProblem,
        objectives: Sequence[str],
        rules: PostRules,
        counts: list[int],
        assignment: Assignment,
        started: float,
    ) -> tuple[list[int], Assignment, int]:
        """Add what the post rules left uncovered to the demand and solve again, a few rounds.

        The shift model counts officers per type and slot, not who stands where, so rotation,
        minimum stints and walks can leave a post short in a slot the model covered. Each round
        adds those officer-slots (cumulatively) to the demand of the post's type and weight and
        solves the shift model again with the time left, until a roster covers everything, a
        model has no roster (the pool is too small for the added demand) or no time is left.
        Returns the column counts, their assignment and the number of re-solves.
        """
        grid = self._plan.grid
        extra = self._rule_demand
        resolves = 0
        for _ in range(RULE_ROUNDS):
            gaps = post_shortfalls(self._requirements, assignment.staffed, grid, problem.weights)
            if not gaps or self._stop_event.is_set():
                break
            if self._options.time_limit_s - (time.perf_counter() - started) <= 0:
                break
            self._add_gaps(problem, extra, gaps)
            cover_input = _with_extra_demand(problem.cover, extra)
            # Substitution only breaks ties; re-solves skip it to leave time for more rounds.
            staged = self._run(
                build_cover_model(cover_input),
                [o for o in objectives if o != SUBSTITUTION],
                started,
            )
            if staged.x is None or staged.infeasible:
                break
            resolves += 1
            counts = list(staged.x)
            duties = name_duties(problem.templates, problem.cover.columns, counts)
            assignment = self._assign(problem, duties, rules)
        return counts, assignment, resolves

    def _add_gaps(
        self,
        problem: RosterProblem,
        extra: dict[tuple[int, int], list[int]],
        gaps: Sequence[PostShortfall],
    ) -> None:
        """Add the officer-slots of ``gaps`` to ``extra`` ((type, weight) -> officers per slot)."""
        grid = self._plan.grid
        index = {t: b for b, t in enumerate(problem.type_ids)}
        weight_of = dict(zip((r.post_id for r in self._requirements), problem.weights, strict=True))
        for f in gaps:
            row = extra.setdefault(
                (index[f.officer_type], weight_of[f.post_id]), [0] * grid.n_slots
            )
            for s in grid.slots_in(f.start_min, f.end_min):
                row[s] += f.officers

    def _relieve(
        self, problem: RosterProblem, rules: PostRules, counts: list[int], assignment: Assignment
    ) -> Assignment:
        """Add relief officers where the post rules still leave posts short, a few rounds.

        When re-solving did not close every gap (no time left, or the model keeps placing its
        officers where the rules then strand them), officers from the pool's spare capacity are
        added on the shifts that cover the most still-missing officer-slots of the short post
        type (own type first, then substitutes; shortest shift on ties), and posts are assigned
        again. Where officers may work several duties, a duty an officer already on the roster
        can add (rest and all) comes before any that needs one more officer, one at a time.
        Stops when everything is covered or the pool has nobody left who would help.
        """
        grid = self._plan.grid
        for _ in range(RELIEF_ROUNDS):
            gaps = post_shortfalls(self._requirements, assignment.staffed, grid, problem.weights)
            if not gaps:
                break
            used = people_per_group(problem, counts)
            if not any(add_relief(problem, counts, used, gaps, grid)):
                break
            duties = name_duties(problem.templates, problem.cover.columns, counts)
            assignment = self._assign(problem, duties, rules)
        return assignment

    def _assign(self, problem: RosterProblem, duties: list[Duty], rules: PostRules) -> Assignment:
        """Posts for ``duties`` (``assign_posts``), remembering the duties for the chaining."""
        self._duties = duties
        return assign_posts(
            duties,
            self._requirements,
            problem.covers,
            self._plan.grid,
            problem.weights,
            rules=rules,
            stop_event=self._stop_event,
        )

    def _chain(self, problem: RosterProblem, shifts: tuple[Shift, ...]) -> tuple[Shift, ...]:
        """``shifts`` (of the latest assignment) chained into officers where the rest allows."""
        if not shifts or not problem.cover.chained_groups():
            return shifts
        group_of = {d.officer_id: d.group for d in self._duties}
        return chain_duties(
            shifts,
            [group_of[s.officer_id] for s in shifts],
            problem.templates.groups,
            problem.cover.min_rest,
            self._plan.labour.max_work_min,
        )

    def _short_roster(
        self,
        problem: RosterProblem,
        shifts: tuple[Shift, ...],
        staffed: Mapping[PostId, Sequence[int]],
        started: float,
    ) -> Roster:
        """The least-shortfall roster with its diagnosis: per post and type, and the pool needed."""
        grid = self._plan.grid
        missing = shortfalls(self._requirements, staffed, grid)
        by_post = post_shortfalls(self._requirements, staffed, grid, problem.weights)
        weighted = sum(
            f.officers * f.weight * ((f.end_min - f.start_min) // grid.slot_min) for f in by_post
        )
        first = self._staged.stages[0] if self._staged and self._staged.stages else None
        bound = first.bound if first is not None and first.bound is not None else 0
        needed, proven = self._pool_needed(problem, started)
        roster = self._roster(problem, SolveStatus.INFEASIBLE, shifts, missing)
        return replace(
            roster,
            weighted_shortfall=weighted,
            weighted_shortfall_bound=min(bound, weighted),
            post_shortfalls=by_post,
            pool_needed=needed,
            pool_proven=proven,
        )

    def _pool_needed(
        self,
        problem: RosterProblem,
        started: float,
        more_demand: Mapping[tuple[int, int], Sequence[int]] | None = None,
    ) -> tuple[tuple[PoolNeed, ...], bool]:
        """The pool per type that covers every requirement, with the fewest officers added.

        The pool gets, per type, as many extra officers available all event long as the peak
        demand; CP-SAT then minimises how many of them the cover uses (a group's officers beyond
        its size in the plan). Named officers are not cloned: their caps stay. Returns the needs
        (empty when no cover was found in the time left) and whether the additions are proven
        fewest. It gets what is left of the time limit; none left, no answer.
        ``more_demand`` is added on top of the requirements (see ``_with_extra_demand``).
        """
        plan = self._plan
        demand = _with_extra_demand(problem.cover, more_demand or {}).demand
        # Enough for anything: twice the peaks covers a rotation reserve (at most one relief per
        # officer on a post), and under a work cap the demand's minutes over the cap more.
        big = max(1, 2 * sum(max(row, default=0) for row in demand))
        if plan.labour.max_work_min > 0:
            busy_min = sum(sum(row) for row in demand) * plan.grid.slot_min
            big += -(-busy_min // plan.labour.max_work_min)
        extra = tuple(Supply(t, big, 0, plan.grid.horizon_min) for t in problem.type_ids)
        larger = replace(plan, pool=replace(plan.pool, supply=(*plan.pool.supply, *extra)))
        wider = build_problem(larger, self._requirements)
        original = {_group_key(g): g.count for g in problem.templates.groups}
        cover = build_cover_model(_with_extra_demand(wider.cover, more_demand or {}))
        added: list[tuple[int, cp_model.IntVar]] = []
        for g, group in enumerate(wider.templates.groups):
            owned = original.get(_group_key(group), 0)
            if group.count <= owned or g not in cover.group_columns:
                continue
            more = cover.model.new_int_var(0, group.count - owned, f"added[{g}]")
            cover.model.add(more >= cover.group_people(g) - owned)
            added.append((g, more))
        cover.extra["pool_added"] = cp_model.LinearExpr.sum([v for _, v in added])
        left = self._options.time_limit_s - (time.perf_counter() - started)
        if left <= 0:
            return (), False
        staged = solve_stages(
            cover,
            ["pool_added"],
            left,
            seed=self._options.seed,
            workers=self._options.workers,
            stop_event=self._stop_event,
        )
        if staged.x is None:
            return (), False
        used = dict(enumerate(people_per_group(wider, staged.x)))
        available: dict[OfficerTypeId, int] = dict.fromkeys(problem.type_ids, 0)
        for group in problem.templates.groups:
            available[group.officer_type] += group.count
        more_of = dict.fromkeys(problem.type_ids, 0)
        for g, _ in added:
            group = wider.templates.groups[g]
            owned = original.get(_group_key(group), 0)
            more_of[group.officer_type] += max(0, used.get(g, 0) - owned)
        needs = tuple(
            PoolNeed(t, available[t], available[t] + more_of[t])
            for t in problem.type_ids
            if available[t] or more_of[t]
        )
        return needs, staged.stages[0].proven

    def _run(
        self,
        cover: CoverModel,
        objectives: Sequence[str],
        started: float,
        time_limit_s: float | None = None,
    ) -> StagedSolution:
        return solve_stages(
            cover,
            objectives,
            self._options.time_limit_s if time_limit_s is None else time_limit_s,
            seed=self._options.seed,
            workers=self._options.workers,
            started=started,
            on_progress=self._on_progress,
            stop_event=self._stop_event,
            hinted=(SUBSTITUTION,),
            budget_caps={SUBSTITUTION: SUBSTITUTION_BUDGET},
        )

    def _roster(
        self,
        problem: RosterProblem,
        status: SolveStatus,
        shifts: tuple[Shift, ...],
        missing: tuple[Shortfall, ...],
    ) -> Roster:
        headcount_bound, minutes_bound = proven_bounds(problem, self._staged)
        by_type = type_headcounts(problem, shifts)
        return Roster(
            status=status,
            shifts=shifts,
            headcount=_people(shifts),
            duties=len(shifts),
            lower_bound=headcount_bound,
            officer_minutes=sum(s.end_min - s.start_min for s in shifts),
            officer_minutes_lower_bound=minutes_bound,
            by_type=by_type,
            shortfalls=missing,
        )


def _people(shifts: Sequence[Shift]) -> int:
    return len({s.officer_id for s in shifts})


def add_relief(
    problem: RosterProblem,
    counts: list[int],
    used: list[int],
    gaps: Sequence[Shortfall | PostShortfall],
    grid: TimeGrid,
    allowed: Callable[[Column], bool] = lambda column: True,
    chained: frozenset[int] | None = None,
) -> list[int]:
    """Relief duties for ``gaps``: added to ``counts`` (and the people to ``used``), returned per
    column.

    Per short post type, greedily: the column (among ``allowed``) covering the most missing
    slots, a duty an officer already counted can add (rest and all) before one that needs one
    more officer, own type before substitutes, shortest on ties; as many of it as every short
    slot it covers still misses, one at a time where duties chain (the next may no longer fit
    the same officers), never past a group's officers. ``chained``: the groups whose officers
    work several duties (default: the model's).
    """
    templates = problem.templates
    columns = problem.cover.columns
    if chained is None:
        chained = problem.cover.chained_groups()
    index = {t: b for b, t in enumerate(problem.type_ids)}
    missing: dict[int, list[int]] = {}
    for f in gaps:
        row = missing.setdefault(index[f.officer_type], [0] * grid.n_slots)
        for s in grid.slots_in(f.start_min, f.end_min):
            row[s] += f.officers
    added = [0] * len(columns)
    for b, row in sorted(missing.items()):
        while any(row):
            raises = raises_people(problem, counts, chained)
            best: tuple[tuple[int, int, int, int], int] | None = None
            for k, c in enumerate(columns):
                if raises[k] and used[c.group] >= templates.groups[c.group].count:
                    continue
                if b not in problem.cover.covers[c.officer_type] or not allowed(c):
                    continue
                gain = sum(1 for s in c.slots if row[s] > 0)
                if gain == 0:
                    continue
                key = (int(raises[k]), -gain, int(c.officer_type != b), len(c.slots))
                if best is None or key < best[0]:
                    best = (key, k)
            if best is None:
                break
            k = best[1]
            group = columns[k].group
            n = 1
            if group not in chained:
                n = min(
                    templates.groups[group].count - used[group],
                    min(row[s] for s in columns[k].slots if row[s] > 0),
                )
            counts[k] += n
            added[k] += n
            used[group] += n if raises[k] else 0
            for s in columns[k].slots:
                row[s] = max(0, row[s] - n)
    return added


def people_per_group(problem: RosterProblem, counts: Sequence[int]) -> list[int]:
    """Officers each group needs for ``counts`` duties per column: one per duty, or where its
    officers may work several, the most duties overlapping with the rest after each."""
    chained = problem.cover.chained_groups()
    used = [0] * len(problem.templates.groups)
    spans: dict[int, list[tuple[int, int]]] = {}
    for c, n in zip(problem.cover.columns, counts, strict=True):
        if c.group in chained:
            spans.setdefault(c.group, []).extend([(c.start_min, c.end_min)] * n)
        else:
            used[c.group] += n
    for g, intervals in spans.items():
        used[g] = max_overlap(intervals, problem.cover.min_rest)
    return used


def raises_people(
    problem: RosterProblem, counts: Sequence[int], chained: frozenset[int]
) -> list[bool]:
    """Per column, whether one more duty on it needs one more officer of its group.

    Outside ``chained`` groups always. Inside, when the most duties overlapping (each with the
    rest after it) somewhere in the new duty's [start, end + rest) already equals the group's
    officers (``chain.max_overlap``): interval graphs are perfect, so below it one more fits.
    """
    columns = problem.cover.columns
    rest = problem.cover.min_rest
    raises = [True] * len(columns)
    # Under a work cap the rest alone does not say who can take a duty: count it as one more.
    caps = problem.cover.work_caps
    chained = frozenset(g for g in chained if g >= len(caps) or caps[g] is None)
    if not chained:
        return raises
    events: dict[int, list[tuple[int, int]]] = {g: [] for g in chained}
    for c, n in zip(columns, counts, strict=True):
        if c.group in chained and n > 0:
            events[c.group] += [(c.start_min, n), (c.end_min + rest, -n)]
    # Per group: event times, the duties live from each time on, and the most ever live.
    profiles: dict[int, tuple[list[int], list[int], int]] = {}
    for g, changes in events.items():
        times: list[int] = []
        live: list[int] = []
        current = 0
        for t, change in sorted(changes):
            current += change
            if times and times[-1] == t:
                live[-1] = current
            else:
                times.append(t)
                live.append(current)
        profiles[g] = (times, live, max(live, default=0))
    for j, c in enumerate(columns):
        if c.group not in chained:
            continue
        times, live, most = profiles[c.group]
        if most == 0:
            continue
        first = bisect.bisect_right(times, c.start_min) - 1
        last = bisect.bisect_left(times, c.end_min + rest)
        window = live[max(first, 0) : last]
        raises[j] = max(window, default=0) >= most
    return raises


def _with_extra_demand(
    cover: CoverInput, extra: Mapping[tuple[int, int], Sequence[int]]
) -> CoverInput:
    """``cover`` with ``extra[(type, weight)]`` officers per slot added to the demand and tiers."""
    demand = [list(row) for row in cover.demand]
    tiers = [dict(by_type) for by_type in cover.tiers] if cover.tiers else []
    for (b, weight), row in extra.items():
        demand[b] = [d + n for d, n in zip(demand[b], row, strict=True)]
        if tiers:
            old = tiers[b].get(weight, (0,) * cover.n_slots)
            tiers[b][weight] = tuple(d + n for d, n in zip(old, row, strict=True))
    return replace(
        cover,
        demand=tuple(tuple(row) for row in demand),
        tiers=tuple(tuple(sorted(by_type.items(), reverse=True)) for by_type in tiers),
    )


def proven_bounds(problem: RosterProblem, staged: StagedSolution | None) -> tuple[int, int]:
    """Lower bounds on headcount and paid minutes: the cheap ones, raised by CP-SAT's.

    A later stage only searches rosters no worse on the earlier objectives, a set that holds the
    lexicographic optimum, so its bound is still a bound for its objective. When the solve
    answered the shortfall question (its first stage is ``uncovered``) the cheap bounds stay:
    CP-SAT's are not about covering everything. A roster the post rules left short (INFEASIBLE
    after a full-cover solve) keeps CP-SAT's: the rules only remove rosters.
    """
    headcount_bound = problem.bounds.headcount
    minutes_bound = problem.bounds.required_minutes
    if staged is not None and staged.stages and staged.stages[0].objective != "uncovered":
        first = staged.stages[0]
        if first.objective == "headcount" and first.bound is not None:
            headcount_bound = max(headcount_bound, first.bound)
        for stage in staged.stages:
            if stage.objective == "officer_hours" and stage.bound is not None:
                minutes_bound = max(minutes_bound, stage.bound)
    return headcount_bound, minutes_bound


def type_headcounts(problem: RosterProblem, shifts: Sequence[Shift]) -> tuple[TypeHeadcount, ...]:
    """Per officer type: officers rostered, the cheap bound, the pool and paid minutes."""
    available: dict[OfficerTypeId, int] = dict.fromkeys(problem.type_ids, 0)
    for group in problem.templates.groups:
        available[group.officer_type] += group.count
    return tuple(
        TypeHeadcount(
            officer_type=t,
            headcount=_people([s for s in shifts if s.officer_type == t]),
            lower_bound=problem.bounds.by_type.get(t, 0),
            available=available[t],
            officer_minutes=sum(s.end_min - s.start_min for s in shifts if s.officer_type == t),
            duties=sum(1 for s in shifts if s.officer_type == t),
        )
        for t in problem.type_ids
    )


def _group_key(group: OfficerGroup) -> tuple[object, ...]:
    return (group.officer_type, group.start_min, group.end_min, group.officer_ids, group.work_left)


def solve_roster(
    plan: EventPlan,
    requirements: Sequence[Requirement],
    options: RunOptions,
    on_progress: ProgressHandler | None = None,
    stop_event: threading.Event | None = None,
) -> Roster:
    """Fewest officers (then fewest paid minutes) covering every post in every slot.

    The objectives are minimised one after the other in the plan's order (headcount and
    officer-hours by default; over-cover when listed; post changes are left to the post
    assignment), then the officer-slots in which an officer fills a post of another type, so
    special police stay in reserve when public-order officers do as well. With
    ``plan.substitutes_in_reserve`` that last term moves to right after headcount.

    Parameters
    ----------
    plan
        The event plan: grid, officer pool (types, substitution, supply and named officers with
        availability windows), labour rules and objective order.
    requirements
        One per post: officers of the post's type needed in each slot of ``plan.grid``.
    options
        ``time_limit_s`` (wall clock for the whole solve; the first objective gets 70 % of it,
        later ones what is left), ``workers`` (1 by default; 2 or more use interleaved search
        so the result stays reproducible) and ``seed``.
    on_progress
        Called from solver threads with a ``ProgressEvent`` on every incumbent and bound.
    stop_event
        Set it from another thread to stop early with the best roster so far.

    Returns
    -------
    Roster
        ``headcount`` counts officers and ``duties`` shifts: on an event long enough for two
        shifts ``labour.min_rest_min`` apart, an officer may work several (``chain.py``).
        OPTIMAL when the first objective was proven optimal (and the officers meet its bound);
        FEASIBLE when time ran out or the solve was stopped after a roster was found; UNKNOWN
        (no shifts) when none was; INFEASIBLE when the pool cannot cover the requirement, and
        then ``shifts`` is a roster leaving the fewest officer-slots uncovered, each weighted by
        its post's risk (``optimizer.roster.priority``; total in ``weighted_shortfall``),
        ``shortfalls`` says which post type misses how many officers when, ``post_shortfalls``
        the same per post (heaviest first) and ``pool_needed`` the pool per type that would
        cover everything (found with the last quarter of the time limit; ``pool_proven`` when
        its additions are fewest). ``lower_bound`` is CP-SAT's proven headcount bound or the
        peak/workload bound, whichever is higher (for INFEASIBLE, the latter only).

    Raises
    ------
    InvalidInput
        A requirement does not match the grid, is negative, or names a post twice.
    SolverError
        CP-SAT rejected the model (a bug).
    """
    return RosterSolver(plan, requirements, options, on_progress, stop_event).solve()
