"""``static-peak``: every post held at its peak requirement throughout its active window.

How most events are staffed today: officers are posted for the whole event and stay at their
post. Each post gets, in every active slot, the peak of the pipeline's own requirement for it,
so it holds the same standards as ``optimised`` at the cost of the peak all day. Its window is
worked in back-to-back fixed shifts, as few as the longest shift allows; each officer stays on
one post for one shift. Breaks follow the labour rules, staggered over the break window, and
relief officers on the same post (shortest shifts) are added until no break leaves the post
below its peak. The
roster is built, not solved: there is nothing to optimise once the deployment is fixed.
"""

from __future__ import annotations

import math

from optimizer.domain.types import (
    EventPlan,
    Minutes,
    OfficerTypeId,
    Post,
    Requirement,
    Roster,
    Shift,
    SolveStatus,
    Stint,
    TypeHeadcount,
)
from optimizer.policies.registry import PolicyContext, PolicyResult, register
from optimizer.roster.templates import break_options, covered_slots
from optimizer.staffing.posts import active_slots


@register("static-peak", "every post at its peak requirement all day, one post per officer")
def static_peak(context: PolicyContext) -> PolicyResult:
    plan = context.plan
    requirements = peak_requirements(plan, context.base.requirements)
    shifts: list[Shift] = []
    for post, requirement in zip(plan.posts, requirements, strict=True):
        peak = max(requirement.officers, default=0)
        slots = list(active_slots(plan, post))
        if peak <= 0 or not slots:
            continue
        start = plan.grid.slot_start(slots[0])
        end = plan.grid.slot_start(slots[-1]) + plan.grid.slot_min
        for block_start, block_end in _blocks(plan, start, end):
            shifts.extend(
                _post_shifts(
                    plan, post, requirement.officer_type, peak, block_start, block_end, len(shifts)
                )
            )
    return PolicyResult(_roster(plan, tuple(shifts)), requirements)


def peak_requirements(
    plan: EventPlan, requirements: tuple[Requirement, ...]
) -> tuple[Requirement, ...]:
    """Each post's requirement raised to its peak in every slot of its active window."""
    out = []
    for post, requirement in zip(plan.posts, requirements, strict=True):
        peak = max(requirement.officers, default=0)
        active = set(active_slots(plan, post))
        officers = tuple(peak if k in active else 0 for k in range(plan.grid.n_slots))
        reasons = tuple(
            f"peak {peak} all day" if k in active else "inactive" for k in range(plan.grid.n_slots)
        )
        out.append(Requirement(post.id, requirement.officer_type, officers, reasons))
    return tuple(out)


def _blocks(plan: EventPlan, start: Minutes, end: Minutes) -> list[tuple[Minutes, Minutes]]:
    """[start, end) cut into the fewest equal back-to-back shifts within the longest shift.

    A window shorter than the shortest shift is worked as one shift of the shortest length,
    moved back inside the horizon when it would run past it.
    """
    slot = plan.grid.slot_min
    longest = max(slot, plan.labour.max_shift_min // slot * slot)
    count = math.ceil((end - start) / longest)
    length = math.ceil((end - start) / count / slot) * slot
    blocks = []
    for k in range(count):
        lo = start + k * length
        hi = min(end, lo + length)
        if hi - lo < plan.labour.min_shift_min:
            hi = min(plan.grid.horizon_min, lo + plan.labour.min_shift_min)
            lo = max(0, min(lo, hi - plan.labour.min_shift_min))
        blocks.append((lo, hi))
    return blocks


def _post_shifts(
    plan: EventPlan,
    post: Post,
    officer_type: OfficerTypeId,
    peak: int,
    start: Minutes,
    end: Minutes,
    numbered: int,
) -> list[Shift]:
    """``peak`` officers on ``post`` for [start, end), plus relief until breaks leave no gap.

    The ``peak`` officers take the break options in turn (staggered). Where breaks still leave
    an active slot of the post short, a relief officer joins the post for the shortest shift
    the labour rules allow, placed (start and break) to fill the first short slot and as many
    others as it can; repeated until no slot is short. Relief stays on this post: static
    deployment shares nobody between posts.
    """
    active = set(active_slots(plan, post))
    on_duty = {k: 0 for k in plan.grid.slots_in(start, end) if k in active}
    shifts: list[Shift] = []

    def add(lo: Minutes, hi: Minutes, offset: Minutes, length: Minutes) -> None:
        b_start = lo + offset if length else lo
        for k in covered_slots(lo, hi, b_start, b_start + length, plan.grid):
            if k in on_duty:
                on_duty[k] += 1
        shifts.append(
            Shift(
                officer_id=f"{post.id}-{numbered + len(shifts) + 1}",
                officer_type=officer_type,
                start_min=lo,
                end_min=hi,
                break_start_min=b_start,
                break_end_min=b_start + length,
                stints=(Stint(post.id, lo, hi),),
            )
        )

    options = break_options(plan.labour, plan.grid, end - start) or ((0, 0),)
    for i in range(peak):
        add(start, end, *options[i % len(options)])
    relief_min = max(plan.grid.slot_min, min(plan.labour.min_shift_min, plan.grid.horizon_min))
    relief_options = break_options(plan.labour, plan.grid, relief_min) or ((0, 0),)
    unfixable: set[int] = set()
    # Each relief officer fills the first short slot or marks it unfixable, so this ends.
    while True:
        short = [k for k, n in sorted(on_duty.items()) if n < peak and k not in unfixable]
        if not short:
            return shifts
        best = _relief_for(plan, short[0], set(short), relief_min, relief_options)
        if best is None:
            unfixable.add(short[0])  # no relief shift can work this slot under the rules
            continue
        add(best[0], best[0] + relief_min, *best[1])


def _relief_for(
    plan: EventPlan,
    slot: int,
    short: set[int],
    length_min: Minutes,
    options: tuple[tuple[Minutes, Minutes], ...],
) -> tuple[Minutes, tuple[Minutes, Minutes]] | None:
    """(start, break option) of a relief shift working ``slot`` and the most other short slots.

    Starts are slot boundaries inside the horizon; ties go to the earliest start, then the
    earliest break. None when no relief shift can work ``slot``.
    """
    step = plan.grid.slot_min
    at = plan.grid.slot_start(slot)
    latest = min(at, plan.grid.horizon_min - length_min)
    earliest = max(0, at + step - length_min)
    best: tuple[int, Minutes, tuple[Minutes, Minutes]] | None = None
    for lo in range(earliest // step * step, latest + 1, step):
        for offset, length in options:
            b_start = lo + offset if length else lo
            worked = covered_slots(lo, lo + length_min, b_start, b_start + length, plan.grid)
            if slot not in worked:
                continue
            gain = sum(1 for k in worked if k in short)
            if best is None or gain > best[0]:
                best = (gain, lo, (offset, length))
    return None if best is None else (best[1], best[2])


def _roster(plan: EventPlan, shifts: tuple[Shift, ...]) -> Roster:
    types = list(dict.fromkeys(s.officer_type for s in shifts))
    available: dict[OfficerTypeId, int] = {}
    for supply in plan.pool.supply:
        available[supply.officer_type] = available.get(supply.officer_type, 0) + supply.count
    for officer in plan.pool.officers:
        available[officer.officer_type] = available.get(officer.officer_type, 0) + 1
    by_type = tuple(
        TypeHeadcount(
            officer_type=t,
            headcount=sum(1 for s in shifts if s.officer_type == t),
            lower_bound=0,
            available=available.get(t, 0),
            officer_minutes=sum(s.end_min - s.start_min for s in shifts if s.officer_type == t),
        )
        for t in types
    )
    within_pool = all(row.headcount <= row.available for row in by_type)
    minutes = sum(s.end_min - s.start_min for s in shifts)
    return Roster(
        # Built, not solved: FEASIBLE when the pool has the officers, INFEASIBLE when it has not.
        status=SolveStatus.FEASIBLE if within_pool else SolveStatus.INFEASIBLE,
        shifts=shifts,
        headcount=len(shifts),
        lower_bound=0,
        officer_minutes=minutes,
        officer_minutes_lower_bound=0,
        by_type=by_type,
    )
