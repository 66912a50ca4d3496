"""The minutes each working slot of a shift stands for, shared by the post assignment and its
repair: a break ending mid-slot gives those minutes to the next slot's post."""

from __future__ import annotations

from dataclasses import dataclass

from optimizer.domain.types import Minutes, TimeGrid
from optimizer.roster.templates import Template


@dataclass(frozen=True)
class Extent:
    """Minutes a working slot of a duty stands for: its own, stretched to a segment end next to
    it (a break ending mid-slot: those minutes go to the next slot's post)."""

    lo: Minutes
    hi: Minutes
    segment: int


def extents_of(template: Template, grid: TimeGrid) -> dict[int, Extent]:
    """The extent of each working slot of ``template``, by slot."""
    if template.break_end_min > template.break_start_min:
        segments = [
            (template.start_min, template.break_start_min),
            (template.break_end_min, template.end_min),
        ]
    else:
        segments = [(template.start_min, template.end_min)]
    result: dict[int, Extent] = {}
    for k, (seg_start, seg_end) in enumerate(segments):
        inside = [
            s
            for s in template.slots
            if seg_start <= grid.slot_start(s) and grid.slot_start(s) + grid.slot_min <= seg_end
        ]
        for j, s in enumerate(inside):
            lo = seg_start if j == 0 else grid.slot_start(s)
            hi = seg_end if j == len(inside) - 1 else grid.slot_start(s) + grid.slot_min
            result[s] = Extent(lo, hi, k)
    return result
