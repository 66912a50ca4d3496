"""Headcount and officer-minute lower bounds that need no solver.

They hold for every roster that covers the requirement, so the service can report a gap even when
CP-SAT proves nothing, and they are the per-type figures of ``TypeHeadcount.lower_bound``:

* peak: in each slot every required officer is a different person on duty;
* workload: officer-slots required / the most slots one shift can work, rounded up.

Per type, only posts that no other type may fill count (public-order posts bound nobody when
special police may fill them too), so each figure is a bound on that type's own headcount.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from optimizer.domain.types import Minutes, OfficerTypeId


@dataclass(frozen=True)
class CheapBounds:
    """Overall headcount bound, per-type headcount bounds and required officer-minutes."""

    headcount: int
    by_type: Mapping[OfficerTypeId, int]
    required_minutes: int


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
) -> CheapBounds:
    """Peak and workload bounds, overall and per officer type.

    Parameters
    ----------
    demand
        Officers needed per slot, summed over the posts of each post type.
    coverers
        For each post type, the officer types that may fill it.
    longest_slots
        For each officer type, the most slots a shift it may work covers (0 if none).
    slot_min
        Slot length, to turn officer-slots into officer-minutes.
    """
    n_slots = max((len(row) for row in demand.values()), default=0)
    total = [sum(row[s] for row in demand.values()) for s in range(n_slots)]
    overall = _peak_or_workload(total, max(longest_slots.values(), default=0))
    by_type: dict[OfficerTypeId, int] = {}
    for officer_type, longest in longest_slots.items():
        own = [b for b, who in coverers.items() if tuple(who) == (officer_type,)]
        only = [sum(demand[b][s] for b in own) for s in range(n_slots)]
        by_type[officer_type] = _peak_or_workload(only, longest)
    return CheapBounds(overall, by_type, sum(total) * slot_min)
