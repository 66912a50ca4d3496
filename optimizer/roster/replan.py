"""Re-planning against a published roster: fewest officers, then fewest changes to what was sent.

The model is the covering model of ``optimizer.roster.model`` with the published officers in it.
The published officers who can still work their shift exactly as published (named officer still
available for it, its posts still in the plan, its shape still allowed) are counted per class of
identical shifts (group, hours, stints): ``k[c]`` of class ``c`` are kept exactly, hours and
posts (one variable per class, not per officer: the marathon's 6,650 officers fall into about
2,400 classes). A kept officer covers the posts of their stints, so per post and slot the demand
left for the others is ``r[p, s] >= d[p, s] - kept there`` (an officer at a post beyond its
demand covers nothing elsewhere). Everyone else is a free duty ``x[j]`` on a column (group x
template), covering the per-type demand left as in the plain model.

On multi-day events one officer may work several duties (shifts), each the minimum rest after
the last (``optimizer.roster.chain``). Everything above is per duty: a published duty is kept
exactly or not, and a pin keeps all of its officer's duties, the frozen window each duty that
starts in it. Headcount is people: in a group whose officers may work several duties,
``people[g]`` is at least the duties holding someone at each start (a duty holds its officer
over [start, end + rest)), pinned and frozen officers counted whole (``_people``), as
``build_cover_model`` counts them; the changes stage then minimises duties before changes, so a
duty that covers nothing is released even when its officer stays for the others.

Changes are counted per duty and officer group (type, availability window), where officers can
stand in for one another: ``C[g]`` published duties of the group not kept exactly, ``F[g]`` free
duties in it; ``min(C, F)`` of them are moved (one change each), the rest released or added, so
the group changes ``max(C[g], F[g])`` duties. With one duty per officer this is the diff's count
exactly, except that a free duty may by chance land on a moved officer's published posts (then
the diff counts one less). An officer working several duties takes over a released duty only
where the rest to their other duties allows, so the diff may count more; when that breaks the
cap, the result names the cap.

Stages: headcount, changes (duties first), then the plan's other terms, substitution last
(right after changes with ``substitutes_in_reserve``). Frozen and pinned duties are kept,
columns starting in the frozen window get ``x[j] = 0`` and the cap is ``changes <= max_changes``.
The first stage's hint is a warm start found with the plain model: every published officer who
can stay kept, and the fewest more for what they leave (``_warm_start``; also the answer when
the full model finds nothing in time); without one, the published roster itself. Where officers
work several duties (and nothing is pinned or frozen), the plain roster keeping the most
published duties (``_plain_start``) is a second candidate: every published duty kept can cost
far more people than the new plan needs, more than the model sheds in its time. As in
``solve_roster``, what the post rules (rotation, minimum stints, walks) leave uncovered gets
relief duties, those an officer already on the roster can add first (``_relief``); only when
that leaves gaps is it added to the demand and the model solved again, a few rounds. Candidates
rank by missing officer-minutes, then people, duties and changed duties (``_rank``); the
published roster itself is kept whole when it still covers the new plan with as few officers.
When the model is infeasible, a
copy with one assumption literal per pin, one for the frozen window and one for the cap asks
CP-SAT which of them together prevent full cover (``sufficient_assumptions_for_infeasibility``),
the set is shrunk to a minimal one by deletion, each member is explained in words, and the
roster kept is the least weighted shortfall one that keeps them all (as ``solve_roster`` does
for a short pool). A pin or frozen shift the new plan cannot hold at all (the officer is no
longer available, a post is gone, the labour rules no longer allow the shift) is named too: when
only its posts stand in the way the officer keeps the hours at other posts, otherwise they are
re-planned like any other. A cap below the officers who must change anyway is raised to them,
and named.

Naming: kept duties keep their officer and shift. Free duties of a group go first to the
group's published duties not kept (same template first, then the nearest start; an officer
working several duties only where the rest and the work cap allow), then to named officers not
in the published roster, then to new ids ``<type>-NNNN`` unused in the published roster. Free
duties are placed on what the kept officers leave of each post, preferring the posts each
officer held. Where officers may work several duties, the free duties left are then chained
(``chain_duties`` with the kept and matched ids fixed): they join a kept officer where the rest
and the cap allow, else make new officers, who take the ids of published officers all of whose
duties changed. Kept chains may need more people than the model counted: then the group is
chained again with only pinned and frozen duties fixed (``optimizer.roster.replan_chain``).
"""

from __future__ import annotations

import re
import threading
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from ortools.sat.python import cp_model

from optimizer.domain.clock import Clock
from optimizer.domain.coverage import officers_by_post, working_slots
from optimizer.domain.replan import (
    PinConflict,
    ReplanRules,
    diff_rosters,
    duty_key,
    validate_rules,
)
from optimizer.domain.types import (
    EventPlan,
    OfficerTypeId,
    PostId,
    Requirement,
    Roster,
    RunOptions,
    Shift,
    SolveStatus,
)
from optimizer.errors import InvalidInput, Violation
from optimizer.roster.assign import (
    Assignment,
    Duty,
    assign_posts,
    next_anonymous_id,
    post_shortfalls,
    shortfalls,
)
from optimizer.roster.model import CoverInput, CoverModel, build_cover_model, working_officers
from optimizer.roster.problem import RosterProblem, build_problem
from optimizer.roster.replan_chain import (
    DutyChaining,
    NamedDuties,
    PublishedDuty,
    match_owners,
    shape,
)
from optimizer.roster.rules import post_rules
from optimizer.roster.solve import (
    OBJECTIVE_NAMES,
    RELIEF_ROUNDS,
    RULE_ROUNDS,
    SUBSTITUTION,
    SUBSTITUTION_BUDGET,
    add_relief,
    people_per_group,
    proven_bounds,
    type_headcounts,
)
from optimizer.roster.solver import ProgressHandler, StagedSolution, configure_solver, solve_stages
from optimizer.roster.templates import OfficerGroup, Template, shift_templates

CHANGES = "changes"
# Where officers may work several duties, the changes stage minimises duties first (weighted
# above every change), so a duty that covers nothing is released even when its officer stays
# for other duties. One stage, not two: on the festival the separate duties stage took its whole
# share without improving, and the changes stage then got no time.
DUTIES_THEN_CHANGES = "duties, changes"
# Share of the time limit the search for conflicting pins may take when the pins prevent cover;
# the least-shortfall roster that keeps them gets what is left.
DIAGNOSIS_SHARE = 0.25
# Share of the time limit (on CP-SAT's deterministic clock) for the warm start: the published
# officers kept and the fewest more to cover what they leave.
WARM_SHARE = 0.3
# Share of the time limit (deterministic clock) for the plain roster keeping the most published
# duties, a second candidate where officers work several duties (``_plain_candidate``): on the
# festival the model, hinted with every published duty kept, rarely improves on it in time.
PLAIN_SHARE = 0.35


@dataclass(frozen=True)
class ReplanRoster:
    """The new roster, the pins it could not keep with full cover, and per-officer notes."""

    roster: Roster
    conflicts: tuple[PinConflict, ...]
    notes: Mapping[str, str] = field(default_factory=dict)
    staged: StagedSolution | None = None


@dataclass
class _Model:
    cover: CoverModel
    x: list[cp_model.IntVar]
    # Published officers with the same group, hours and stints are interchangeable: one
    # variable per class counts how many are kept; a class lists its officers, locked first.
    k: list[cp_model.IntVar]
    classes: list[list[int]]
    changes: cp_model.LinearExpr
    # Assumption literals (diagnosis only): name -> literal.
    literals: dict[str, cp_model.IntVar]


@dataclass(frozen=True)
class _Solution:
    """Free duties per column and the published officers kept exactly (by index)."""

    free: tuple[int, ...]
    kept: frozenset[int]

    @staticmethod
    def of(built: _Model, values: Sequence[int]) -> _Solution:
        """The solution of ``values`` (``built.cover.x``'s): each class keeps its first officers."""
        n = len(built.x)
        counts = values[n:]
        kept = {i for members, v in zip(built.classes, counts, strict=True) for i in members[:v]}
        return _Solution(tuple(values[:n]), frozenset(kept))


def _is_anonymous_id(officer_id: str, officer_type: str) -> bool:
    return re.fullmatch(rf"{re.escape(officer_type)}-\d+", officer_id) is not None


class _Replanner(DutyChaining):
    def __init__(
        self,
        plan: EventPlan,
        requirements: Sequence[Requirement],
        published: Roster,
        options: RunOptions,
        rules: ReplanRules,
        on_progress: ProgressHandler | None,
        stop_event: threading.Event | None,
    ) -> None:
        self.plan = plan
        self.grid = plan.grid
        self.requirements = tuple(requirements)
        self.published = published
        self.options = options
        self.rules = rules
        self.on_progress = on_progress
        self.stop_event = stop_event if stop_event is not None else threading.Event()
        self.problem: RosterProblem = build_problem(plan, requirements)
        self.post_index = {r.post_id: p for p, r in enumerate(self.requirements)}
        self.type_index = {t: i for i, t in enumerate(self.problem.type_ids)}
        self.clock = Clock(plan.grid)
        self.named = {o.id: o for o in plan.pool.officers}
        self.notes: dict[str, str] = {}
        # (post index, slot) -> officers added to the demand for the post rules (see ``solve``).
        self.extra: dict[tuple[int, int], int] = {}
        self.officers = self._classify()
        # Groups whose officers may work several duties: those the model chains, and those of
        # published officers who already do.
        duties_of: dict[str, int] = defaultdict(int)
        for s in published.shifts:
            duties_of[s.officer_id] += 1
        self.chained = self.problem.cover.chained_groups() | {
            o.group for o in self.officers if o.group >= 0 and duties_of[o.shift.officer_id] > 1
        }
        # Per chained group, the pinned or frozen officers who keep a duty: fixed chains.
        locked_ids: dict[int, set[str]] = defaultdict(set)
        for o in self.officers:
            if o.group in self.chained and o.keepable and o.locked_by:
                locked_ids[o.group].add(o.shift.officer_id)
        self.locked_people = {g: len(ids) for g, ids in locked_ids.items()}
        # Officers who change whatever the roster (their shift cannot stay as published); a
        # cap below them cannot hold, so it is raised to them and named as a conflict.
        self.forced = sum(1 for o in self.officers if not o.keepable)
        cap = rules.max_changes
        self.cap = None if cap is None else max(cap, self.forced)

    # ---- published officers ------------------------------------------------------------------

    def _classify(self) -> list[PublishedDuty]:
        plan, grid = self.plan, self.grid
        groups = self.problem.templates.groups
        named = self.named
        group_of_named = {oid: g for g, group in enumerate(groups) for oid in group.officer_ids}
        shapes = {shape(t) for t in shift_templates(plan.labour, grid)}
        templates = self.problem.templates.templates
        columns = {
            (c.group, shape(templates[c.template])): j
            for j, c in enumerate(self.problem.cover.columns)
        }
        pinned = set(self.rules.pinned_officer_ids)
        # Anonymous officers are pooled: hand each the allowing group with most room left,
        # the officers with fewest choices first, so a split supply fills as it did.
        # An officer working several duties (multi-day events) is one person: all their duties
        # go to one group, chosen with all of them.
        room = [group.anonymous for group in groups]
        shifts = self.published.shifts
        duties_of: dict[str, list[int]] = defaultdict(list)
        for i, shift in enumerate(shifts):
            duties_of[shift.officer_id].append(i)
        anonymous_choice: dict[int, int] = {}
        candidates: dict[str, list[int]] = {}
        for officer_id, indices in duties_of.items():
            first = shifts[indices[0]]
            if officer_id in named or not _is_anonymous_id(officer_id, first.officer_type):
                continue
            of_type = [
                g
                for g, group in enumerate(groups)
                if group.officer_type == first.officer_type and group.anonymous > 0
            ]
            allowing = [
                g for g in of_type if all(self._allows(groups[g], shifts[i]) for i in indices)
            ]
            candidates[officer_id] = allowing or sorted(
                of_type, key=lambda g: -sum(self._overlap(groups[g], shifts[i]) for i in indices)
            )
        for officer_id in sorted(candidates, key=lambda o: (len(candidates[o]), o)):
            if candidates[officer_id]:
                best = max(candidates[officer_id], key=lambda g: (room[g], -g))
                for i in duties_of[officer_id]:
                    anonymous_choice[i] = best
                room[best] -= 1
        # Working minutes each named officer's kept duties add up to, earliest duty first.
        worked: dict[str, int] = defaultdict(int)
        order = sorted(range(len(shifts)), key=lambda i: (shifts[i].start_min, i))
        result: list[PublishedDuty | None] = [None] * len(shifts)
        for i in order:
            shift = shifts[i]
            locked = []
            if shift.officer_id in pinned:
                locked.append("pin")
            if shift.start_min < self.rules.freeze_until_min:
                locked.append("freeze")
            group = -1
            why = ""
            if shift.officer_id in named:
                officer = named[shift.officer_id]
                group = group_of_named.get(shift.officer_id, -1)
                if officer.officer_type != shift.officer_type:
                    why = f"{shift.officer_id} is now a {officer.officer_type} officer"
                    group = -1
                elif group < 0 or not self._allows(groups[group], shift):
                    why = self._unavailable(shift, group)
                else:
                    why = self._over_cap(shift, worked[shift.officer_id])
            elif i in anonymous_choice:
                group = anonymous_choice[i]
                if not self._allows(groups[group], shift):
                    why = (
                        f"no {shift.officer_type} officers are available "
                        f"{self.clock.span(shift.start_min, shift.end_min)} in the new pool"
                    )
            else:
                why = f"{shift.officer_id} is no longer in the officer pool"
            column = -1
            if not why:
                why, hours_kept = self._unkeepable(shift, shapes)
                if why and hours_kept:
                    column = columns.get((group, shape(shift)), -1)
            if not why or column >= 0:
                worked[shift.officer_id] += shift.working_min
            result[i] = PublishedDuty(i, shift, group, not why, why, tuple(locked), column)
            if why:
                self.notes[duty_key(shift)] = why
                if len(duties_of[shift.officer_id]) == 1:
                    self.notes[shift.officer_id] = why
        return [o for o in result if o is not None]

    def _over_cap(self, shift: Shift, worked: int) -> str:
        """Why a named officer's earlier duties leave no room for ``shift`` ("" when they do)."""
        if worked == 0:
            return ""
        left = self.plan.labour.work_left(self.named[shift.officer_id])
        if left is None or worked + shift.working_min <= left:
            return ""
        return (
            f"{shift.officer_id} has {left} working minutes left, and their earlier duties "
            f"take {worked} of them before the shift "
            f"{self.clock.span(shift.start_min, shift.end_min)}"
        )

    def _allows(self, group: OfficerGroup, shift: Shift) -> bool:
        if group.work_left is not None and shift.working_min > group.work_left:
            return False
        return group.start_min <= shift.start_min and shift.end_min <= group.end_min

    @staticmethod
    def _overlap(group: OfficerGroup, shift: Shift) -> int:
        return max(0, min(group.end_min, shift.end_min) - max(group.start_min, shift.start_min))

    def _unavailable(self, shift: Shift, group: int) -> str:
        officer = self.named[shift.officer_id]
        span = self.clock.span(shift.start_min, shift.end_min)
        left = self.plan.labour.work_left(officer)
        if left is not None and shift.working_min > left:
            return (
                f"{shift.officer_id} has {left} working minutes left, "
                f"fewer than the {shift.working_min} of the shift {span}"
            )
        end = officer.available_end_min if officer.available_end_min > 0 else self.grid.horizon_min
        window = self.clock.span(officer.available_start_min, end)
        return f"{shift.officer_id} is now available {window}, which no longer holds {span}"

    def _unkeepable(self, shift: Shift, shapes: set[tuple[int, int, int, int]]) -> tuple[str, bool]:
        """Why the shift cannot stay exactly as published under the new plan ("" when it can),
        and whether its hours could still stay (only its posts stand in the way)."""
        if shape(shift) not in shapes:
            return (
                f"the labour rules no longer allow the shift "
                f"{self.clock.span(shift.start_min, shift.end_min)} with its break",
                False,
            )
        if shift.end_min > self.grid.horizon_min:
            return "the shift ends after the new horizon", False
        for stint in shift.stints:
            if stint.post_id not in self.post_index:
                return f"post {stint.post_id} is no longer in the plan", True
            post_type = self.requirements[self.post_index[stint.post_id]].officer_type
            if post_type not in self.plan.pool.covers(shift.officer_type):
                return (
                    f"post {stint.post_id} now needs {post_type} officers, "
                    f"which a {shift.officer_type} officer cannot fill",
                    True,
                )
        return "", True

    # ---- the model ---------------------------------------------------------------------------

    def _kept_cover(self, officer: PublishedDuty) -> dict[tuple[int, int], int]:
        """(post index, slot) -> 1 for each slot the published officer covers at a post."""
        cells: dict[tuple[int, int], int] = {}
        shift = officer.shift
        for stint in shift.stints:
            p = self.post_index.get(stint.post_id)
            if p is None:
                continue
            lo = max(stint.start_min, shift.start_min)
            hi = min(stint.end_min, shift.end_min)
            for s in working_slots(shift, lo, hi, self.grid):
                cells[p, s] = cells.get((p, s), 0) + 1
        return cells

    def _build(self, shortfall: bool, assumptions: bool, start: _Solution | None = None) -> _Model:
        """The re-plan model; with ``assumptions``, pins, freeze and cap hang on literals."""
        problem = self.problem
        inp = problem.cover
        model = cp_model.CpModel()
        n_slots = inp.n_slots
        n_post_types = len(inp.demand)
        caps = list(inp.group_caps)
        # The demand with what earlier rounds found the post rules need on top (see ``solve``).
        demand = [list(row) for row in inp.demand]
        for (p, s), n in self.extra.items():
            demand[self.type_index[self.requirements[p].officer_type]][s] += n
        coverable = [
            [sum(demand[b][s] for b in inp.covers[a] if b < n_post_types) for s in range(n_slots)]
            for a in range(len(inp.covers))
        ]
        freeze = self.rules.freeze_until_min
        literals: dict[str, cp_model.IntVar] = {}
        freeze_lit: cp_model.IntVar | None = None
        if assumptions and freeze > 0:
            freeze_lit = model.new_bool_var("assume[freeze]")
            literals["freeze"] = freeze_lit
        literals_of_pins: dict[str, cp_model.IntVar] = {}

        def pin_literal(officer_id: str) -> cp_model.IntVar:
            if officer_id not in literals_of_pins:
                lit = model.new_bool_var(f"assume[pin {officer_id}]")
                literals_of_pins[officer_id] = lit
                literals[f"pin:{officer_id}"] = lit
            return literals_of_pins[officer_id]

        # Pinned or frozen officers who keep their hours at other posts hold a free duty.
        held: dict[int, list[PublishedDuty]] = defaultdict(list)
        for officer in self.officers:
            if officer.held:
                held[officer.column].append(officer)
        upper = []
        x = []
        templates = problem.templates.templates
        for j, column in enumerate(inp.columns):
            peak = max((coverable[column.officer_type][s] for s in column.slots), default=0)
            here = held.get(j, [])
            ub = max(min(caps[column.group], peak), len(here))
            frozen_column = templates[column.template].start_min < freeze
            lb = len(here) if not assumptions else 0
            if frozen_column and not assumptions:
                ub = len(here)
            var = model.new_int_var(lb, ub, f"x[{j}]")
            if assumptions:
                if frozen_column and freeze_lit is not None:
                    model.add(var == len(here)).only_enforce_if(freeze_lit)
                pins = [pin_literal(o.shift.officer_id) for o in here if "pin" in o.locked_by]
                if pins:
                    model.add(var >= sum(pins))
            upper.append(ub)
            x.append(var)
        working = working_officers(model, inp, x, upper)

        # Kept officers: who stands where, and the demand left per post. One variable per
        # class of identical published shifts (on the marathon, 6,650 officers in far fewer).
        by_class: dict[tuple[object, ...], list[PublishedDuty]] = defaultdict(list)
        for officer in self.officers:
            if officer.keepable:
                shift = officer.shift
                key = (officer.group, shift.officer_type, shape(shift), shift.stints)
                by_class[key].append(officer)
        classes: list[list[int]] = []
        k: list[cp_model.IntVar] = []
        kept_at: dict[tuple[int, int], list[tuple[cp_model.IntVar, int]]] = defaultdict(list)
        paid_terms: list[tuple[cp_model.IntVar, int]] = []
        slot_terms: list[tuple[cp_model.IntVar, int]] = []
        kept_substitute: list[tuple[cp_model.IntVar, int]] = []
        kept_in: list[list[cp_model.IntVar]] = [[] for _ in caps]
        # Per group, each class's (variable, start, end, working minutes, locked members), for
        # counting people.
        kept_spans: list[list[tuple[cp_model.IntVar, int, int, int, int]]] = [[] for _ in caps]
        for c, members in enumerate(by_class.values()):
            members = sorted(members, key=lambda o: (not o.locked_by, o.shift.officer_id))
            locked = [o for o in members if o.locked_by]
            var = model.new_int_var(0 if assumptions else len(locked), len(members), f"k[{c}]")
            k.append(var)
            classes.append([o.index for o in members])
            kept_in[members[0].group].append(var)
            shift = members[0].shift
            kept_spans[members[0].group].append(
                (
                    var,
                    shift.start_min,
                    shift.end_min,
                    shift.working_min,
                    0 if assumptions else len(locked),
                )
            )
            cells = self._kept_cover(members[0])
            for cell, n in cells.items():
                kept_at[cell].append((var, n))
            paid_terms.append((var, shift.end_min - shift.start_min))
            slot_terms.append((var, sum(cells.values())))
            own = shift.officer_type
            other = sum(
                n for (p, _), n in cells.items() if self.requirements[p].officer_type != own
            )
            if other:
                kept_substitute.append((var, other))
            if assumptions and locked:
                # Kept at least as many as the locks in force: one indicator per locked
                # officer, true when its pin or the frozen window is assumed.
                indicators = []
                for o in locked:
                    lits = []
                    if "pin" in o.locked_by:
                        lits.append(pin_literal(o.shift.officer_id))
                    if "freeze" in o.locked_by and freeze_lit is not None:
                        lits.append(freeze_lit)
                    if len(lits) == 1:
                        indicators.append(lits[0])
                    elif lits:
                        either = model.new_bool_var(f"locked[{o.index}]")
                        for lit in lits:
                            model.add_implication(lit, either)
                        indicators.append(either)
                if indicators:
                    model.add(var >= sum(indicators))

        # Per group: kept plus free officers within its size; changes max(C, F).
        free_in: list[list[cp_model.IntVar]] = [[] for _ in caps]
        for j, column in enumerate(inp.columns):
            free_in[column.group].append(x[j])
        lost_in = [0] * len(caps)
        lost_nowhere = 0
        published_in = [0] * len(caps)
        for officer in self.officers:
            if officer.keepable:
                published_in[officer.group] += 1
            elif officer.group >= 0:
                lost_in[officer.group] += 1
            else:
                lost_nowhere += 1
        people = self._people(model, inp, x, kept_spans, assumptions)
        change_terms: list[cp_model.LinearExprT] = []
        most_changes = 0
        for g, cap in enumerate(caps):
            if g not in people and (kept_in[g] or free_in[g]):
                model.add(sum(kept_in[g]) + sum(free_in[g]) <= cap)
            published_here = published_in[g] + lost_in[g]
            if not published_here and not free_in[g]:
                continue
            changed = published_here - sum(kept_in[g])  # C[g]
            added = sum(free_in[g])  # F[g]
            ch = model.new_int_var(0, max(published_here, cap), f"changes[{g}]")
            most_changes += max(published_here, cap)
            model.add(ch >= changed)
            model.add(ch >= added)
            change_terms.append(ch)
        changes = cp_model.LinearExpr.sum(change_terms) + lost_nowhere
        if self.cap is not None:
            cap_constraint = model.add(changes <= self.cap)
            if assumptions:
                lit = model.new_bool_var("assume[cap]")
                literals["cap"] = lit
                cap_constraint.only_enforce_if(lit)

        # Demand left per post type and slot after the kept officers.
        weights = problem.weights or (1,) * len(self.requirements)
        need: list[list[list[cp_model.LinearExprT]]] = [
            [[] for _ in range(n_slots)] for _ in range(n_post_types)
        ]
        shortfall_terms: list[tuple[cp_model.IntVar, int]] = []
        shortfall_vars: list[cp_model.IntVar] = []
        for p, req in enumerate(self.requirements):
            b = self.type_index[req.officer_type]
            for s, given in enumerate(req.officers):
                d = given + self.extra.get((p, s), 0)
                if d <= 0:
                    continue
                u = None
                if shortfall:
                    u = model.new_int_var(0, d, f"u[{p}|{s}]")
                    shortfall_terms.append((u, weights[p]))
                    shortfall_vars.append(u)
                kept_here = kept_at.get((p, s))
                if kept_here:
                    r = model.new_int_var(0, d, f"r[{p}|{s}]")
                    kept_sum = cp_model.LinearExpr.weighted_sum(
                        [v for v, _ in kept_here], [n for _, n in kept_here]
                    )
                    left = d - kept_sum - (u if u is not None else 0)
                    model.add(r >= left)
                    need[b][s].append(r)
                else:
                    need[b][s].append(d - u if u is not None else d)

        # Free officers reaching each post type, as in the plain model.
        inflow: list[list[list[cp_model.LinearExprT]]] = [
            [[] for _ in range(n_slots)] for _ in range(n_post_types)
        ]
        substitutes: list[cp_model.LinearExprT] = []
        variables: list[cp_model.IntVar] = list(x) + [
            w for row in working for w in row if w is not None
        ]
        demanded = [any(row) for row in demand]
        for a in range(len(inp.covers)):
            targets = [b for b in inp.covers[a] if b < n_post_types and demanded[b]]
            for s in range(n_slots):
                on_duty = working[a][s]
                if on_duty is None:
                    continue
                live = [b for b in targets if demand[b][s] > 0]
                if len(live) == 1:
                    inflow[live[0]][s].append(on_duty)
                    if live[0] != a:
                        substitutes.append(on_duty)
                elif len(live) > 1:
                    flows = [model.new_int_var(0, demand[b][s], f"f[{a}->{b}|{s}]") for b in live]
                    variables.extend(flows)
                    model.add(sum(flows) <= on_duty)
                    for b, flow in zip(live, flows, strict=True):
                        inflow[b][s].append(flow)
                        if b != a:
                            substitutes.append(flow)
        for b in range(n_post_types):
            for s in range(n_slots):
                if need[b][s]:
                    model.add(sum(inflow[b][s]) >= sum(need[b][s]))

        kept_vars = list(k)
        variables.extend(kept_vars)
        variables.extend(shortfall_vars)
        variables.extend(people.values())
        # People, not duties: a group whose officers may work several duties counts its people
        # variable (as ``build_cover_model`` does), every other group its duties.
        headcount = (
            cp_model.LinearExpr.sum(list(people.values()))
            + cp_model.LinearExpr.sum(
                [x[j] for j, c in enumerate(inp.columns) if c.group not in people]
            )
            + cp_model.LinearExpr.sum(
                [v for g, spans in enumerate(kept_spans) if g not in people for v, *_ in spans]
            )
        )
        paid = cp_model.LinearExpr.weighted_sum(
            x, [c.cost for c in inp.columns]
        ) + cp_model.LinearExpr.weighted_sum([v for v, _ in paid_terms], [c for _, c in paid_terms])
        demanded_slots = sum(sum(row) for row in demand)
        over_cover = (
            cp_model.LinearExpr.weighted_sum(x, [len(c.slots) for c in inp.columns])
            + cp_model.LinearExpr.weighted_sum(
                [v for v, _ in slot_terms], [c for _, c in slot_terms]
            )
            - demanded_slots
        )
        substitution = cp_model.LinearExpr.sum(substitutes) + cp_model.LinearExpr.weighted_sum(
            [v for v, _ in kept_substitute], [c for _, c in kept_substitute]
        )
        uncovered = (
            cp_model.LinearExpr.weighted_sum(
                [v for v, _ in shortfall_terms], [w for _, w in shortfall_terms]
            )
            if shortfall
            else None
        )
        cover = CoverModel(
            model,
            [*x, *kept_vars],
            headcount,
            paid,
            uncovered,
            over_cover,
            substitution,
            {},
            variables,
            substitutable=bool(substitutes or kept_substitute),
            extra={
                CHANGES: changes,
                DUTIES_THEN_CHANGES: (
                    cp_model.LinearExpr.sum(x) + cp_model.LinearExpr.sum(kept_vars)
                )
                * (most_changes + lost_nowhere + 1)
                + changes,
            },
        )
        if start is not None:
            # A roster known to hold (``_warm_start``): hinted with any number of workers.
            for var, indices in zip(kept_vars, classes, strict=True):
                model.add_hint(var, sum(1 for i in indices if i in start.kept))
            for var, n in zip(x, start.free, strict=True):
                model.add_hint(var, n)
        elif self.options.workers <= 1 or shortfall:
            # The published roster is the warm start: everyone kept, nobody added. Not with
            # interleaved workers on the full-cover model: CP-SAT 9.15 aborts the process
            # ("Check failed: heuristics.fixed_search != nullptr") when such a hinted model is
            # infeasible, as a short pool makes it (the shortfall model never is).
            for var, indices in zip(kept_vars, classes, strict=True):
                model.add_hint(var, len(indices))
            for var in x:
                model.add_hint(var, 0)
        return _Model(cover, x, k, classes, changes, literals)

    def _people(
        self,
        model: cp_model.CpModel,
        inp: CoverInput,
        x: Sequence[cp_model.IntVar],
        kept_spans: Sequence[Sequence[tuple[cp_model.IntVar, int, int, int, int]]],
        assumptions: bool,
    ) -> dict[int, cp_model.IntVar]:
        """``people[g]`` for each group whose officers may work several duties.

        As ``optimizer.roster.model`` counts them, with the kept duties in: a duty holds its
        officer over [start, end + rest), and the people a group needs are at least the duties
        holding someone at each start (interval graphs are perfect, so chaining reaches that
        count), and under a work cap at least their working minutes over the cap.

        A pinned or frozen officer keeps their duties and their id: a fixed chain, with which
        the count above can fall short (two such officers may each block half of a duty that
        fits neither). Each counts as one person for the whole event instead, their locked
        duties left out of the overlap: a count the chaining always reaches
        (``DutyChaining.chain``), but no bound, since a new duty may still join them (then the
        roster has fewer people than counted, and its lower bound is the cheap one). Other kept
        duties keep their officers only while that costs no one (``DutyChaining._rechain``).
        """
        people: dict[int, cp_model.IntVar] = {}
        if not self.chained:
            return people
        rest = inp.min_rest
        for g in sorted(self.chained):
            spans: list[tuple[cp_model.LinearExprT, int, int, int]] = [
                (x[j], c.start_min, c.end_min, c.working_min)
                for j, c in enumerate(inp.columns)
                if c.group == g
            ]
            spans.extend((v - n, a, b, w) for v, a, b, w, n in kept_spans[g])
            if not spans:
                continue
            locked = 0 if assumptions else self.locked_people.get(g, 0)
            p = model.new_int_var(0, inp.group_caps[g], f"people[{g}]")
            model.add(p >= locked)
            for t in sorted({start for _, start, _, _ in spans}):
                live = [v for v, start, end, _ in spans if start <= t < end + rest]
                model.add(p >= locked + cp_model.LinearExpr.sum(live))
            work = inp.work_caps[g] if g < len(inp.work_caps) else None
            if work is not None:
                model.add(
                    (p - locked) * work >= cp_model.LinearExpr.sum([v * w for v, _, _, w in spans])
                )
            people[g] = p
        return people

    def _warm_start(self, limit: float) -> tuple[_Solution | None, bool]:
        """Every published officer who can stay kept, and the fewest more for what is left.

        A plain covering model (``optimizer.roster.model``) on the demand the kept officers
        leave, in the groups' room left; held officers keep their columns, the frozen window's
        columns stay as they are. Found quickly (most of the demand is already covered), it is
        a roster the re-plan model holds, so it is that model's hint, and the answer when the
        model finds nothing in time (on the marathon example the full model found no roster in
        60 s from scratch). When that cover is impossible, the least weighted shortfall instead
        (by post weight, as the re-plan's shortfall model), with the rest of ``limit``: then the
        flag is True. None when nothing is found in time, or the roster breaks the cap.
        """
        started = time.perf_counter()
        problem = self.problem
        inp = problem.cover
        grid = self.grid
        kept = [o for o in self.officers if o.keepable]
        on_post = officers_by_post([o.shift for o in kept], grid)
        demand = [[0] * inp.n_slots for _ in inp.demand]
        weights = problem.weights or (1,) * len(self.requirements)
        split: list[dict[int, list[int]]] = [{} for _ in inp.demand]
        for p, req in enumerate(self.requirements):
            b = self.type_index[req.officer_type]
            row = on_post.get(req.post_id, [0] * grid.n_slots)
            tier = split[b].setdefault(weights[p], [0] * inp.n_slots)
            for s, d in enumerate(req.officers):
                left = max(0, d + self.extra.get((p, s), 0) - row[s])
                demand[b][s] += left
                tier[s] += left
        tiers = tuple(
            tuple((w, tuple(row)) for w, row in sorted(by_weight.items(), reverse=True))
            for by_weight in split
        )
        caps = list(inp.group_caps)
        chained = self.chained
        counted: set[tuple[int, str]] = set()
        for o in kept:
            if o.group in chained:
                # One person however many duties they keep; the free duties count their own
                # people on top (a warm start, not the optimum).
                if (o.group, o.shift.officer_id) in counted:
                    continue
                counted.add((o.group, o.shift.officer_id))
            caps[o.group] -= 1
        if min(caps, default=0) < 0:
            return None, False
        left_over = replace(
            inp, demand=tuple(tuple(row) for row in demand), group_caps=tuple(caps), tiers=tiers
        )
        held = self._held_columns()
        templates = problem.templates.templates
        for shortfall in (False, True):
            cover = build_cover_model(left_over, allow_shortfall=shortfall)
            for j, column in enumerate(inp.columns):
                if templates[column.template].start_min < self.rules.freeze_until_min:
                    cover.model.add(cover.x[j] == held.get(j, 0))
                elif held.get(j, 0):
                    cover.model.add(cover.x[j] >= held[j])
            staged = solve_stages(
                cover,
                ["uncovered", "headcount"] if shortfall else ["headcount"],
                limit,
                seed=self.options.seed,
                workers=self.options.workers,
                started=started,
                stop_event=self.stop_event,
            )
            if staged.x is not None or not staged.infeasible:
                break
        if staged.x is None:
            return None, False
        solution = _Solution(tuple(staged.x), frozenset(o.index for o in kept))
        if self.cap is not None and self._changes_of(solution) > self.cap:
            return None, False
        return solution, shortfall

    def _plain_candidate(self, warm: _Solution, limit: float) -> _Solution | None:
        """Where officers work several duties, the plain roster keeping the most published
        duties (``_plain_start``) when the model counts fewer officers for it than for
        ``warm``: a second candidate, assembled (and relieved) besides the model's roster.

        Every published duty kept, the fewest people can be many more than the new plan needs:
        on the festival with 10 % more tickets, 182 with all 499 kept against 171 with 36
        changed, and from the 182 hint the re-plan model found nothing better in 60 s (under
        load; the plain model found 174 from scratch). Not the model's hint: kept officers
        stay on their published posts there, the plain model only counts officers per type,
        and hinted with it the model ended on 186. Only without pins or frozen duties (as
        ``_plain_start``); None otherwise."""
        if self._kept_columns(self.officers) is None:
            return None
        plain = self._plain_start(limit)
        if plain is None:
            return None
        counted = self._counted(plain)
        warm_counted = self._counted(warm)
        if counted is None or (warm_counted is not None and counted >= warm_counted):
            return None
        return plain

    def _counted(self, solution: _Solution) -> int | None:
        """Officers the model counts for ``solution`` (one per duty outside the chained groups,
        the most duties overlapping with the rest inside); None when a kept duty has no column.
        """
        whole = self._kept_columns([o for o in self.officers if o.index in solution.kept])
        if whole is None:
            return None
        counts = [a + b for a, b in zip(solution.free, whole, strict=True)]
        return sum(people_per_group(self.problem, counts))

    def _kept_columns(self, kept: Sequence[PublishedDuty]) -> list[int] | None:
        """Kept duties per column, where officers may work several duties, none is pinned or
        frozen and every kept duty has a column of its group's; None otherwise."""
        if not self.chained or any(o.locked_by for o in self.officers):
            return None
        inp = self.problem.cover
        templates = self.problem.templates.templates
        column_of = {(c.group, shape(templates[c.template])): j for j, c in enumerate(inp.columns)}
        whole = [0] * len(inp.columns)
        for o in kept:
            j = column_of.get((o.group, shape(o.shift)), -1)
            if j < 0:
                return None
            whole[j] += 1
        return whole

    def _plain_start(self, limit: float) -> _Solution | None:
        """The plain least-shortfall roster (as ``solve_roster`` makes it for a short pool),
        then, among those, the one keeping most published officers' hours: per column, at most
        its duties (the aggregate count: posts are not seen). Each column keeps that many of
        the published officers of its hours.

        Only without pinned or frozen published officers (it keeps neither); columns starting in
        the frozen window stay empty. None when nothing is found in time or the roster breaks
        the cap.
        """
        inp = self.problem.cover
        cover = build_cover_model(inp, allow_shortfall=True)
        templates = self.problem.templates.templates
        column_of = {(c.group, shape(templates[c.template])): j for j, c in enumerate(inp.columns)}
        published = [0] * len(inp.columns)
        for o in self.officers:
            j = column_of.get((o.group, shape(o.shift)), -1)
            if o.keepable and j >= 0:
                published[j] += 1
        for j, column in enumerate(inp.columns):
            if templates[column.template].start_min < self.rules.freeze_until_min:
                cover.model.add(cover.x[j] == 0)
        kept_terms = []
        for j, n in enumerate(published):
            if n:
                kept_j = cover.model.new_int_var(0, n, f"kept[{j}]")
                cover.model.add(kept_j <= cover.x[j])
                kept_terms.append(kept_j)
        cover.extra[CHANGES] = sum(published) - cp_model.LinearExpr.sum(kept_terms)
        staged = solve_stages(
            cover,
            ["uncovered", "headcount", CHANGES],
            limit,
            seed=self.options.seed,
            workers=self.options.workers,
            stop_event=self.stop_event,
        )
        if staged.x is None:
            return None
        room = list(staged.x)
        kept = set()
        for o in sorted(self.officers, key=lambda o: o.shift.officer_id):
            j = column_of.get((o.group, shape(o.shift)), -1)
            if o.keepable and j >= 0 and room[j] > 0:
                room[j] -= 1
                kept.add(o.index)
        solution = _Solution(tuple(room), frozenset(kept))
        if self.cap is not None and self._changes_of(solution) > self.cap:
            return None
        return solution

    def _held_columns(self) -> dict[int, int]:
        """Column -> pinned or frozen officers keeping their hours there (see ``PublishedDuty``)."""
        held: dict[int, int] = defaultdict(int)
        for o in self.officers:
            if o.held:
                held[o.column] += 1
        return held

    def _keep_all(self) -> _Solution:
        """Every published officer who can stay kept, the held ones on their hours, no one else:
        a roster the shortfall model always holds."""
        held = self._held_columns()
        free = tuple(held.get(j, 0) for j in range(len(self.problem.cover.columns)))
        return _Solution(free, frozenset(o.index for o in self.officers if o.keepable))

    def _changes_of(self, solution: _Solution) -> int:
        """The model's count of changed officers for ``solution`` (see the module docstring)."""
        changed: dict[int, int] = defaultdict(int)
        nowhere = 0
        for o in self.officers:
            if o.index in solution.kept:
                continue
            if o.group >= 0:
                changed[o.group] += 1
            else:
                nowhere += 1
        free: dict[int, int] = defaultdict(int)
        for column, n in zip(self.problem.cover.columns, solution.free, strict=True):
            free[column.group] += n
        groups = changed.keys() | free.keys()
        return nowhere + sum(max(changed[g], free[g]) for g in groups)

    # ---- solving -----------------------------------------------------------------------------

    def _objectives(self) -> list[str]:
        names = [
            OBJECTIVE_NAMES[o] for o in dict.fromkeys(self.plan.objective) if o in OBJECTIVE_NAMES
        ]
        names = names or ["headcount", "officer_hours"]
        at = names.index("headcount") + 1 if "headcount" in names else 0
        changes = DUTIES_THEN_CHANGES if self.chained else CHANGES
        names.insert(at, changes)
        if self.plan.substitutes_in_reserve:
            names.insert(names.index(changes) + 1, SUBSTITUTION)
        else:
            names.append(SUBSTITUTION)
        return names

    def _stages(
        self, built: _Model, objectives: Sequence[str], started: float, limit: float
    ) -> StagedSolution:
        names = [n for n in objectives if n != SUBSTITUTION or built.cover.substitutable]
        return solve_stages(
            built.cover,
            names,
            limit,
            seed=self.options.seed,
            workers=self.options.workers,
            started=started,
            on_progress=self.on_progress,
            stop_event=self.stop_event,
            hinted=(CHANGES, DUTIES_THEN_CHANGES, SUBSTITUTION),
            budget_caps={SUBSTITUTION: SUBSTITUTION_BUDGET},
        )

    def solve(self) -> ReplanRoster:
        started = time.perf_counter()
        limit = self.options.time_limit_s
        conflicts = self._impossible_locks()
        releasable = self.cap is None or len(self.officers) <= self.cap
        if (
            not self.problem.has_demand
            and not any(o.locked_by for o in self.officers)
            and releasable
        ):
            return ReplanRoster(
                self._roster(_Solution((), frozenset()), None, SolveStatus.OPTIMAL),
                conflicts,
                self.notes,
            )
        warm, warm_short = self._warm_start(limit * WARM_SHARE) if self.officers else (None, False)
        plain = None
        if warm is not None and not warm_short:
            plain = self._plain_candidate(warm, limit * PLAIN_SHARE)
        built = self._build(shortfall=False, assumptions=False, start=None if warm_short else warm)
        objectives = self._objectives()
        staged = self._stages(built, objectives, started, limit)
        if not staged.infeasible:
            if staged.x is None and (warm is None or warm_short):
                roster = self._roster(None, staged, SolveStatus.UNKNOWN)
                return ReplanRoster(roster, conflicts, self.notes, staged)
            if staged.x is None:
                solution = warm
                status = SolveStatus.FEASIBLE
                assert solution is not None
            else:
                solution = _Solution.of(built, staged.x)
                proven = staged.stages[0].proven
                status = SolveStatus.OPTIMAL if proven else SolveStatus.FEASIBLE
            roster = self._rule_rounds(solution, status, objectives, staged, started)
            if plain is not None:
                other = self._assembled(plain, staged, status)
                if other.shortfalls:
                    other, _ = self._relief(plain, other, staged, status)
                if other.headcount > other.lower_bound:
                    other = replace(other, status=SolveStatus.FEASIBLE)
                roster = min(roster, other, key=self._rank)
            conflicts += self._cap_broken(roster, conflicts)
            return ReplanRoster(roster, conflicts, self.notes, staged)
        diag_limit = min(limit - (time.perf_counter() - started), limit * DIAGNOSIS_SHARE)
        core = self._diagnose(max(diag_limit, 0.05))
        short_start = warm if warm_short else None
        candidates = [short_start] if short_start is not None else []
        if not any(o.locked_by for o in self.officers):
            # Keeping every published officer can leave far more uncovered than the pool must
            # (on the marathon with 5 % fewer officers, 1,047 officer-hours against 191): the
            # plain least-shortfall roster, with the published officers kept where it agrees.
            left = limit - (time.perf_counter() - started)
            plain = self._plain_start(max(0.05, min(limit * WARM_SHARE, left / 2)))
            if plain is not None:
                candidates.append(plain)
        short = self._build(
            shortfall=True, assumptions=False, start=candidates[-1] if candidates else None
        )
        staged = self._stages(short, ["uncovered", *objectives], started, limit)
        if staged.x is not None:
            candidates.insert(0, _Solution.of(short, staged.x))
        if not candidates:
            # Nothing in time: everyone kept as published.
            candidates.append(self._keep_all())
        roster = min(
            (self._assembled(c, staged, SolveStatus.INFEASIBLE) for c in candidates),
            key=self._rank,
        )
        conflicts += tuple(self._explain(name, core, roster) for name in core)
        conflicts += self._cap_broken(roster, conflicts)
        return ReplanRoster(roster, conflicts, self.notes, staged)

    def _cap_broken(self, roster: Roster, named: Sequence[PinConflict]) -> tuple[PinConflict, ...]:
        """The cap, named when the roster changes more duties than it allows and nothing has
        named it yet.

        The model counts a group's changes as if every new duty could take over any released
        one; an officer working several duties takes a new one only where the rest allows, so
        the diff can count more.
        """
        if self.cap is None or any(c.officer_id == "" for c in named):
            return ()
        changed = diff_rosters(self.published.shifts, roster.shifts).total
        if changed <= self.cap:
            return ()
        return (
            PinConflict(
                "",
                f"the cap of {self.rules.max_changes} changes is not kept: {changed} duties "
                f"change, as officers working several duties can take over a released duty only "
                f"where the rest between their duties allows",
            ),
        )

    def _rule_rounds(
        self,
        solution: _Solution,
        status: SolveStatus,
        objectives: Sequence[str],
        first: StagedSolution,
        started: float,
    ) -> Roster:
        """Solve again with what the post rules left uncovered added to the demand.

        As ``solve_roster`` does: the model counts officers per type and slot, not who stands
        where, so rotation, minimum stints and walks can leave a post short in a slot the model
        covered. Each round adds those officer-slots (cumulatively) to the demand. Every
        roster with gaps also gets relief duties (``_relief``), joining officers already on it
        where the rest allows: a re-solve answers a larger question than the post rules ask, in
        what is left of the time limit (often nothing on the festival), and neither way alone
        always finds the fewest officers. The best of them all by ``_rank`` wins.
        """
        grid = self.grid
        roster = self._assembled(solution, first, status)
        best = roster
        if roster.shortfalls:
            relieved, _ = self._relief(solution, roster, first, status)
            if self._rank(relieved) < self._rank(best):
                best = relieved
        for _ in range(RULE_ROUNDS):
            staffed = officers_by_post(roster.shifts, grid)
            gaps = [
                (p, s, need - staffed.get(req.post_id, [0] * grid.n_slots)[s])
                for p, req in enumerate(self.requirements)
                for s, need in enumerate(req.officers)
                if need > staffed.get(req.post_id, [0] * grid.n_slots)[s]
            ]
            if not gaps or self.stop_event.is_set():
                break
            if self.options.time_limit_s - (time.perf_counter() - started) <= 0:
                break
            for p, s, n in gaps:
                self.extra[p, s] = self.extra.get((p, s), 0) + n
            built = self._build(shortfall=False, assumptions=False)
            staged = self._stages(built, objectives, started, self.options.time_limit_s)
            if staged.x is None or staged.infeasible:
                break
            again = _Solution.of(built, staged.x)
            roster = self._assembled(again, first, status)
            if roster.headcount > roster.lower_bound:
                roster = replace(roster, status=SolveStatus.FEASIBLE)
            if self._rank(roster) < self._rank(best):
                best = roster
            if roster.shortfalls:
                relieved, _ = self._relief(again, roster, first, status)
                if self._rank(relieved) < self._rank(best):
                    best = relieved
        published = self._published_as_is(first)
        if published is not None and self._rank(published) <= self._rank(best):
            # The rounds chase what the post rules need from a roster the model picked; when
            # the published roster already covers the new plan with as few officers, it wins.
            best = published
        return best

    def _relief(
        self,
        solution: _Solution,
        roster: Roster,
        first: StagedSolution | None,
        status: SolveStatus,
    ) -> tuple[Roster, _Solution]:
        """``roster`` (of ``solution``) with relief duties where the post rules leave it short.

        As ``RosterSolver._relieve``: per round, for each short officer type, free duties are
        added on the columns covering the most still-missing slots, a duty an officer already
        on the roster can add (rest and all, kept duties counted) before any that needs one
        more officer, own type before substitutes, shortest on ties; one at a time in groups
        whose officers work several duties. Never in the frozen window, never past a group's
        officers; kept officers stay kept. Returns the best roster by ``_rank`` and its
        solution (``roster`` and ``solution`` when no relief helps).
        """
        problem = self.problem
        inp = problem.cover
        columns = inp.columns
        templates = problem.templates
        grid = self.grid
        chained = frozenset(self.chained)
        column_of = {
            (c.group, shape(templates.templates[c.template])): j for j, c in enumerate(columns)
        }
        kept = [0] * len(columns)
        # Kept duties outside every column still hold their officers: one each.
        off_grid: dict[int, set[str]] = defaultdict(set)
        for o in self.officers:
            if o.index not in solution.kept or o.group < 0:
                continue
            j = column_of.get((o.group, shape(o.shift)), -1)
            if j >= 0:
                kept[j] += 1
            else:
                off_grid[o.group].add(o.shift.officer_id)
        free = list(solution.free)
        best = roster, solution
        for _ in range(RELIEF_ROUNDS):
            if not roster.shortfalls or self.stop_event.is_set():
                break
            counts = [a + b for a, b in zip(free, kept, strict=True)]
            used = people_per_group(problem, counts)
            for g, ids in off_grid.items():
                used[g] += len(ids)
            added = add_relief(
                problem,
                counts,
                used,
                roster.shortfalls,
                grid,
                lambda c: templates.templates[c.template].start_min >= self.rules.freeze_until_min,
                chained,
            )
            if not any(added):
                break
            free = [a + n for a, n in zip(free, added, strict=True)]
            relieved = _Solution(tuple(free), solution.kept)
            roster = self._assembled(relieved, first, status)
            if roster.headcount > roster.lower_bound:
                roster = replace(roster, status=SolveStatus.FEASIBLE)
            if self._rank(roster) < self._rank(best[0]):
                best = roster, relieved
        return best

    def _assembled(
        self, solution: _Solution, bounds: StagedSolution | None, status: SolveStatus
    ) -> Roster:
        """The roster of ``solution``, kept officers on their published posts; when the post
        rules then leave gaps, the better of that and letting unlocked kept officers move."""
        strict = self._roster(solution, bounds, status)
        if not strict.shortfalls:
            return strict
        flexible = self._roster(solution, bounds, status, flexible=True)
        return min(strict, flexible, key=self._rank)

    def _rank(self, roster: Roster) -> tuple[int, int, int, int, int, int]:
        """Rosters compared: within the cap, then missing officer-minutes, officers, duties,
        changed duties and paid minutes (the model's order)."""
        changed = diff_rosters(self.published.shifts, roster.shifts).total
        over_cap = 0 if self.cap is None else max(0, changed - self.cap)
        missing = sum(f.officers * (f.end_min - f.start_min) for f in roster.shortfalls)
        return (
            over_cap,
            missing,
            roster.headcount,
            len(roster.shifts),
            changed,
            roster.officer_minutes,
        )

    def _published_as_is(self, first: StagedSolution) -> Roster | None:
        """The published roster under the new plan, when every officer can keep their shift."""
        if not all(o.keepable for o in self.officers):
            return None
        solution = _Solution(
            (0,) * len(self.problem.cover.columns), frozenset(o.index for o in self.officers)
        )
        roster = self._roster(solution, first, SolveStatus.FEASIBLE)
        if roster.shortfalls:
            return None
        proven = roster.headcount <= roster.lower_bound
        return replace(roster, status=SolveStatus.OPTIMAL if proven else SolveStatus.FEASIBLE)

    def _impossible_locks(self) -> tuple[PinConflict, ...]:
        """Pins and frozen shifts the new plan cannot hold at all, whatever the cover."""
        found = []
        for officer in self.officers:
            if officer.locked_by and not officer.keepable:
                what = "pin on" if "pin" in officer.locked_by else "frozen shift of"
                shift = officer.shift
                reason = (
                    f"{what} {self._describe_shift(shift)} cannot be kept as published: "
                    f"{officer.why_not}"
                )
                if officer.held:
                    span = self.clock.span(shift.start_min, shift.end_min)
                    reason += f"; {shift.officer_id} keeps the hours {span} at other posts"
                found.append(PinConflict(shift.officer_id, reason))
        cap = self.rules.max_changes
        if cap is not None and cap < self.forced:
            found.append(
                PinConflict(
                    "",
                    f"the cap of {cap} changes is below the {self.forced} published officers "
                    f"whose shifts cannot stay as published (see their reasons); "
                    f"the cap is raised to {self.forced}",
                )
            )
        return tuple(found)

    def _describe_shift(self, shift: Shift) -> str:
        posts = list(dict.fromkeys(s.post_id for s in shift.stints))
        where = f" at {', '.join(posts)}" if posts else ""
        return f"{shift.officer_id} ({self.clock.span(shift.start_min, shift.end_min)}{where})"

    def _feasible_with(
        self, built: _Model, names: Sequence[str], limit: float
    ) -> tuple[bool | None, list[str]]:
        """Whether the model holds with the named assumptions; when not, a sufficient subset."""
        model = built.cover.model
        model.clear_assumptions()
        model.add_assumptions([built.literals[n] for n in names])
        solver = cp_model.CpSolver()
        # Cores need a single worker and no objective (CP-SAT's rule for assumptions).
        configure_solver(solver, limit, limit, self.options.seed, 1, 0.0)
        model.clear_objective()  # type: ignore[no-untyped-call]
        status = solver.solve(model)
        if status == cp_model.INFEASIBLE:
            core = set(solver.sufficient_assumptions_for_infeasibility())
            return False, [n for n in names if built.literals[n].index in core]
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return True, []
        return None, list(names)

    def _diagnose(self, limit: float) -> list[str]:
        """The pins (frozen window, cap) that together prevent full cover: a minimal set.

        Empty when the new plan cannot be covered even without them (the pool is short).
        """
        built = self._build(shortfall=False, assumptions=True)
        names = sorted(built.literals)
        if not names:
            return []
        started = time.perf_counter()
        each = limit / (len(names) + 2)
        holds, core = self._feasible_with(built, names, each)
        if holds is not False:
            return []
        if self._feasible_with(built, [], each)[0] is not True:
            # Infeasible (or undecided) with none of them: the pool is short, not the pins.
            return []
        # CP-SAT's core is sufficient, not minimal (and may come back empty when presolve
        # decides): shrink it by deletion, keeping each member whose removal restores cover.
        kept = list(core or names)
        for name in list(kept):
            if time.perf_counter() - started > limit or self.stop_event.is_set():
                break
            trial = [n for n in kept if n != name]
            if self._feasible_with(built, trial, each)[0] is False:
                kept = trial
        return sorted(kept, key=self._conflict_order)

    @staticmethod
    def _conflict_order(name: str) -> tuple[int, str]:
        return (0 if name.startswith("pin:") else 1 if name == "freeze" else 2, name)

    def _explain(self, name: str, core: Sequence[str], roster: Roster) -> PinConflict:
        """Why keeping ``name`` (with the rest of ``core``) leaves the new plan short."""
        others = [n for n in core if n != name]
        with_others = (
            f" together with {', '.join(self._label(n) for n in others)}" if others else ""
        )
        if name == "cap":
            cap = self.rules.max_changes
            reason = (
                f"the cap of {cap} changes{with_others} is too low to cover the new plan: "
                f"{self._short_of(roster, None)}"
            )
            return PinConflict("", reason)
        if name == "freeze":
            reason = (
                f"the frozen window until {self.clock(self.rules.freeze_until_min)}{with_others} "
                f"keeps the published shifts starting before it and adds none: "
                f"{self._short_of(roster, None, before=self.rules.freeze_until_min)}"
            )
            return PinConflict("", reason)
        officer_id = name.removeprefix("pin:")
        duties = [o.shift for o in self.officers if o.shift.officer_id == officer_id]
        # Of an officer working several duties, the one holding someone where no one is needed
        # says most; otherwise the first.
        shift = next((d for d in duties if "where the new plan" in self._held(d)), duties[0])
        held = self._held(shift)
        what = self._describe_shift(shift)
        if len(duties) > 1:
            spans = ", ".join(self.clock.span(d.start_min, d.end_min) for d in duties)
            what = f"{officer_id} (duties {spans}): the duty {self._describe_shift(shift)}"
        reason = f"pin on {what} {held}{with_others}"
        reason += f", while {self._short_of(roster, shift)}"
        return PinConflict(officer_id, reason)

    def _label(self, name: str) -> str:
        if name == "cap":
            return f"the cap of {self.rules.max_changes} changes"
        if name == "freeze":
            return f"the frozen window until {self.clock(self.rules.freeze_until_min)}"
        return f"the pin on {name.removeprefix('pin:')}"

    def _held(self, shift: Shift) -> str:
        """What the pinned shift holds: where it stands beyond the new demand, if anywhere."""
        officer = PublishedDuty(-1, shift, -1, True, "", ())
        cells = self._kept_cover(officer)
        spare = sorted((p, s) for (p, s) in cells if self.requirements[p].officers[s] < 1)
        if spare:
            p, s = spare[0]
            run = [t for (q, t) in spare if q == p]
            start = self.grid.slot_start(min(run))
            end = self.grid.slot_start(max(run) + 1)
            return (
                f"keeps a {shift.officer_type} officer at {self.requirements[p].post_id} "
                f"{self.clock.span(start, end)}, where the new plan needs no one"
            )
        return (
            f"keeps a {shift.officer_type} officer on "
            f"{self.clock.span(shift.start_min, shift.end_min)}"
        )

    def _short_of(self, roster: Roster, shift: Shift | None, before: int | None = None) -> str:
        """Where the roster that keeps the pins is short: its heaviest post shortfall.

        Restricted to the types ``shift``'s officer can fill when given, and to demand before
        ``before`` when given (when nothing is left, unrestricted).
        """
        short = list(roster.post_shortfalls)
        fits = short
        if shift is not None:
            types = set(self.plan.pool.covers(shift.officer_type))
            fits = [f for f in short if f.officer_type in types] or short
        if before is not None:
            fits = [f for f in fits if f.start_min < before] or fits
        if not fits:
            return "the new plan cannot be fully covered"
        f = fits[0]
        return (
            f"the new plan needs {f.officers} more {f.officer_type} at {f.post_id} "
            f"{self.clock.span(f.start_min, f.end_min)}"
        )

    # ---- the roster --------------------------------------------------------------------------

    def _name(self, solution: _Solution, flexible: bool = False) -> NamedDuties:
        """Kept shifts, and the free duties named, with the posts each held (see module doc).

        ``flexible``: kept officers who are neither pinned nor frozen keep their hours but come
        back as duties too, preferring their published posts, so the post assignment may move
        them where the post rules need someone. A free duty takes a published officer's id only
        where it leaves the rest and the work cap between that officer's duties intact.
        """
        problem = self.problem
        columns = problem.cover.columns
        templates = problem.templates.templates
        groups = problem.templates.groups
        free = solution.free
        by_shape = {shape(t): t for t in templates}
        kept: list[Shift] = []
        kept_groups: list[int] = []
        kept_locked: list[bool] = []
        duties: list[Duty] = []
        preferred: list[dict[int, int]] = []
        fixed: list[bool] = []
        duty_locked: list[bool] = []
        busy: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
        for o in self.officers:
            if o.index not in solution.kept:
                continue
            busy[o.shift.officer_id].append(
                (o.shift.start_min, o.shift.end_min, o.shift.working_min)
            )
            template = by_shape.get(shape(o.shift))
            if flexible and not o.locked_by and template is not None:
                duties.append(Duty(o.shift.officer_id, o.shift.officer_type, template, o.group))
                preferred.append({s: p for (p, s) in self._kept_cover(o)})
                fixed.append(True)
                duty_locked.append(False)
            else:
                kept.append(o.shift)
                kept_groups.append(o.group)
                kept_locked.append(bool(o.locked_by))
        changed: dict[int, list[PublishedDuty]] = defaultdict(list)
        for o in self.officers:
            if o.index not in solution.kept and o.group >= 0:
                changed[o.group].append(o)
        slots_by_group: dict[int, list[Template]] = defaultdict(list)
        for j, count in enumerate(free):
            for _ in range(count):
                slots_by_group[columns[j].group].append(templates[columns[j].template])
        published_ids = {s.officer_id for s in self.published.shifts}
        # New anonymous ids skip every published id and every named officer's.
        taken = published_ids | {o.id for o in self.plan.pool.officers}
        next_number: dict[OfficerTypeId, int] = defaultdict(int)
        for g in sorted(slots_by_group):
            group = groups[g]
            # Officers holding their hours (pinned or frozen) take their shape before anyone.
            ranked = sorted(changed[g], key=lambda o: (not o.held, o.shift.officer_id))

            def take(owner: PublishedDuty, template: Template) -> bool:
                mine = busy[owner.shift.officer_id]
                if not self._fits_officer(mine, template, owner):
                    return False
                mine.append((template.start_min, template.end_min, template.working_min))
                return True

            owners = match_owners(slots_by_group[g], ranked, take)
            spare_named = [oid for oid in group.officer_ids if oid not in published_ids]
            for template, owner in zip(slots_by_group[g], owners, strict=True):
                if owner is not None:
                    officer_id = owner.shift.officer_id
                    held = {s: p for (p, s) in self._kept_cover(owner)}
                elif spare_named:
                    officer_id = spare_named.pop(0)
                    held = {}
                else:
                    officer_id = next_anonymous_id(group.officer_type, next_number, taken)
                    held = {}
                taken.add(officer_id)
                duties.append(Duty(officer_id, group.officer_type, template, g))
                preferred.append(held)
                fixed.append(owner is not None)
                duty_locked.append(owner is not None and owner.held)
        return NamedDuties(kept, kept_groups, duties, preferred, fixed, kept_locked, duty_locked)

    def _assemble(
        self, solution: _Solution, flexible: bool = False
    ) -> tuple[tuple[Shift, ...], dict[PostId, tuple[int, ...]], Assignment]:
        """The named roster and the officers each post gets per slot, kept officers included."""
        named = self._name(solution, flexible)
        kept, duties, preferred = named.kept, named.duties, named.preferred
        grid = self.grid
        on_post = officers_by_post(kept, grid)
        residual = tuple(
            replace(
                r,
                officers=tuple(
                    max(0, d - k)
                    for d, k in zip(
                        r.officers, on_post.get(r.post_id, [0] * grid.n_slots), strict=True
                    )
                ),
            )
            for r in self.requirements
        )
        assignment = assign_posts(
            duties,
            residual,
            self.problem.covers,
            grid,
            self.problem.weights,
            preferred=preferred,
            rules=post_rules(self.plan, residual),
            stop_event=self.stop_event,
        )
        staffed = {
            r.post_id: tuple(
                a + b
                for a, b in zip(
                    assignment.staffed[r.post_id],
                    on_post.get(r.post_id, [0] * grid.n_slots),
                    strict=True,
                )
            )
            for r in self.requirements
        }
        order = {t: i for i, t in enumerate(self.problem.type_ids)}
        shifts = sorted(
            self.chain(named, (*kept, *assignment.shifts)),
            key=lambda s: (
                order.get(s.officer_type, len(order)),
                s.start_min,
                s.end_min,
                s.officer_id,
            ),
        )
        return tuple(shifts), staffed, assignment

    def _roster(
        self,
        solution: _Solution | None,
        staged: StagedSolution | None,
        status: SolveStatus,
        flexible: bool = False,
    ) -> Roster:
        """The roster of ``solution`` (None: no shifts), with the bounds ``staged`` proved."""
        problem = self.problem
        grid = self.grid
        if solution is not None:
            shifts, staffed, assignment = self._assemble(solution, flexible)
            rotations, travel = assignment.rotations, assignment.travel_min
        else:
            shifts, staffed, rotations, travel = (
                (),
                {r.post_id: (0,) * grid.n_slots for r in self.requirements},
                0,
                0,
            )
        missing = shortfalls(self.requirements, staffed, grid)
        # Bounds of the re-plan's own question: pins and frozen shifts only add officers, so
        # they still bound the roster returned (not the plain plan's minimum).
        # Locked chains make the model count them as whole-event people, more than a roster in
        # which new duties join them may need: its bounds are then not bounds of the question.
        restricted = any(self.locked_people.values())
        headcount_bound, minutes_bound = proven_bounds(problem, None if restricted else staged)
        if status is not SolveStatus.INFEASIBLE and missing:
            # The post rules left gaps the per-type model could not see: say so.
            status = SolveStatus.FEASIBLE
        by_type = type_headcounts(problem, shifts)
        roster = Roster(
            status=status,
            shifts=shifts,
            headcount=len({s.officer_id for s in shifts}),
            lower_bound=headcount_bound,
            officer_minutes=sum(s.end_min - s.start_min for s in shifts),
            officer_minutes_lower_bound=minutes_bound,
            by_type=by_type,
            shortfalls=missing,
            travel_officer_min=travel,
            rotations=rotations,
            duties=len(shifts),
        )
        if status is SolveStatus.INFEASIBLE:
            by_post = post_shortfalls(self.requirements, staffed, grid, problem.weights)
            weighted = sum(
                f.officers * f.weight * ((f.end_min - f.start_min) // grid.slot_min)
                for f in by_post
            )
            first_stage = staged.stages[0] if staged is not None and staged.stages else None
            bound = (
                first_stage.bound
                if first_stage is not None and first_stage.bound is not None
                else 0
            )
            roster = replace(
                roster,
                weighted_shortfall=weighted,
                weighted_shortfall_bound=min(bound, weighted),
                post_shortfalls=by_post,
            )
        return roster


def replan_roster(
    plan: EventPlan,
    requirements: Sequence[Requirement],
    published: Roster,
    options: RunOptions,
    rules: ReplanRules,
    on_progress: ProgressHandler | None = None,
    stop_event: threading.Event | None = None,
) -> ReplanRoster:
    """A roster for the new ``requirements`` with the fewest officers, then fewest changes.

    Parameters
    ----------
    plan, requirements, options, on_progress, stop_event
        As for ``solve_roster``; the whole re-plan keeps to ``options.time_limit_s``.
    published
        The roster officers were sent.
    rules
        Frozen window, pins and cap (``optimizer.domain.replan.ReplanRules``).

    Returns
    -------
    ReplanRoster
        The roster, and ``conflicts`` when the pins, frozen window or cap leave the new plan
        short: the roster then keeps them all and leaves the least weighted shortfall.

    Raises
    ------
    InvalidInput
        A rule is out of range, or a pinned officer is not in the published roster
        (``replan.pinned_officer_ids[i]``).
    """
    violations = validate_rules(rules, plan.grid)
    published_ids = {s.officer_id for s in published.shifts}
    for i, officer_id in enumerate(rules.pinned_officer_ids):
        if officer_id and officer_id not in published_ids:
            violations.append(
                Violation(
                    f"replan.pinned_officer_ids[{i}]",
                    f"{officer_id!r} has no shift in the published roster",
                )
            )
    if violations:
        raise InvalidInput(violations)
    return _Replanner(
        plan, requirements, published, options, rules, on_progress, stop_event
    ).solve()
