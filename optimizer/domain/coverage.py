"""How many officers a set of shifts puts on each post in each slot.

An officer counts for a slot only when the whole slot lies inside a stint at the post and none of
it inside the break: a post is covered for the full slot or not at all. The roster solver, the
independent checker and the verification all count this way, so they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Iterable

from optimizer.domain.types import Minutes, PostId, Shift, TimeGrid


def working_slots(shift: Shift, start_min: Minutes, end_min: Minutes, grid: TimeGrid) -> list[int]:
    """Slots fully inside [start_min, end_min) of ``shift`` that do not touch its break."""
    slots = []
    first = max(0, -(-start_min // grid.slot_min))
    for slot in range(first, grid.n_slots):
        lo = grid.slot_start(slot)
        hi = lo + grid.slot_min
        if hi > end_min:
            break
        if lo < shift.break_end_min and shift.break_start_min < hi:
            continue
        slots.append(slot)
    return slots


def officers_by_post(shifts: Iterable[Shift], grid: TimeGrid) -> dict[PostId, list[int]]:
    """Officers working at each post in each slot (posts with no stint are absent)."""
    counts: dict[PostId, list[int]] = {}
    for shift in shifts:
        for stint in shift.stints:
            row = counts.setdefault(stint.post_id, [0] * grid.n_slots)
            lo = max(stint.start_min, shift.start_min)
            hi = min(stint.end_min, shift.end_min)
            for slot in working_slots(shift, lo, hi, grid):
                row[slot] += 1
    return counts
