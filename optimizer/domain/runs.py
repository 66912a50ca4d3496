"""Runs of equal values along the slot grid: how per-slot rows become readable time ranges."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")


def equal_runs(values: Sequence[T]) -> Iterator[tuple[int, int, T]]:
    """``(first, end, value)`` for each maximal run of equal consecutive values; ``end`` is
    exclusive, so the run covers slots ``first .. end - 1``."""
    first = 0
    for value, group in itertools.groupby(values):
        end = first + sum(1 for _ in group)
        yield first, end, value
        first = end
