"""Headcount and officer-minute lower bounds that need no solver.

They hold for every roster that covers the requirement, so the service can report a gap even when
CP-SAT proves nothing, and they are the per-type figures of ``TypeHeadcount.lower_bound``:

* peak: in each slot every required officer is a different person on duty;
* workload: officer-slots required / the most slots one officer can work, rounded up. With one
  shift per officer that is the longest shift; where an officer may work several shifts (a
  multi-day event), the most slots a chain of shifts with the minimum rest between them and
  within the work cap can cover (``most_slots_per_officer``): the longest shift alone would not
  bound the people then, only the shifts.

Per type, a slot's figure is the larger of: the demand of posts only that type may fill, and the
demand of every post it may fill less what the other types able to fill them could spare (their
pool less the posts only they may fill). Public-order posts thus bind public-order officers as
far as the special police in the pool cannot take them over.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from optimizer.domain.types import Minutes, OfficerTypeId


@dataclass(frozen=True)
class CheapBounds:
    """Overall headcount bound, per-type headcount bounds and required officer-minutes."""

    headcount: int
    by_type: Mapping[OfficerTypeId, int]
    required_minutes: int


def most_slots_per_officer(
    shifts: Sequence[tuple[Minutes, Minutes, int]],
    min_rest: Minutes,
    work_cap: Minutes | None,
    slot_min: Minutes,
) -> int:
    """The most slots one officer can cover over the event: an upper bound, exact with no cap.

    Parameters
    ----------
    shifts
        (start, end, slots covered) of each shift the officer may work.
    min_rest
        Minutes between the end of one shift and the start of the next.
    work_cap
        Working minutes the officer may do over the event (None: no cap). A covered slot is
        wholly working time, so the cap allows at most ``work_cap // slot_min`` of them.
    slot_min
        Slot length.

    The chain of most slots is a weighted interval scheduling over [start, end + rest), solved
    by the usual dynamic programme over the shifts in order of end.
    """
    if not shifts:
        return 0
    ordered = sorted(shifts, key=lambda s: s[1])
    ends = [end + min_rest for _, end, _ in ordered]
    best: list[int] = []  # best[i]: most slots of a chain whose last shift is among the first i+1
    for start, _, slots in ordered:
        # Shifts whose rest has passed by ``start`` are a prefix of ``ordered`` (sorted by end).
        k = bisect.bisect_right(ends, start)
        here = slots + (best[k - 1] if k > 0 else 0)
        best.append(max(here, best[-1] if best else 0))
    most = best[-1]
    if work_cap is not None:
        most = min(most, work_cap // slot_min)
    return most


def _peak_or_workload(totals: Sequence[int], longest_slots: int) -> int:
    peak = max(totals, default=0)
    if longest_slots <= 0:
        return peak
    return max(peak, -(-sum(totals) // longest_slots))


def cheap_bounds(
    demand: Mapping[OfficerTypeId, Sequence[int]],
    coverers: Mapping[OfficerTypeId, Sequence[OfficerTypeId]],
    longest_slots: Mapping[OfficerTypeId, int],
    slot_min: Minutes,
    available: Mapping[OfficerTypeId, int] | None = None,
) -> CheapBounds:
    """Peak and workload bounds, overall and per officer type.

    Parameters
    ----------
    demand
        Officers needed per slot, summed over the posts of each post type.
    coverers
        For each post type, the officer types that may fill it.
    longest_slots
        For each officer type, the most slots one officer of it may cover over the event: the
        longest shift, or with several shifts per officer ``most_slots_per_officer`` (0 if none).
    slot_min
        Slot length, to turn officer-slots into officer-minutes.
    available
        Officers of each type in the pool; without it, other types are assumed unlimited.
    """
    n_slots = max((len(row) for row in demand.values()), default=0)
    total = [sum(row[s] for row in demand.values()) for s in range(n_slots)]
    overall = _peak_or_workload(total, max(longest_slots.values(), default=0))

    def only(officer_type: OfficerTypeId) -> list[int]:
        own = [b for b, who in coverers.items() if tuple(who) == (officer_type,)]
        return [sum(demand[b][s] for b in own) for s in range(n_slots)]

    by_type: dict[OfficerTypeId, int] = {}
    for officer_type, longest in longest_slots.items():
        needed = only(officer_type)
        if available is not None:
            fillable = [b for b, who in coverers.items() if officer_type in who]
            others = {t for b in fillable for t in coverers[b] if t != officer_type}
            spare = [
                sum(max(0, available.get(t, 0) - only(t)[s]) for t in others)
                for s in range(n_slots)
            ]
            for s in range(n_slots):
                left = sum(demand[b][s] for b in fillable) - spare[s]
                needed[s] = max(needed[s], left)
        by_type[officer_type] = _peak_or_workload(needed, longest)
    return CheapBounds(overall, by_type, sum(total) * slot_min)
