"""Server limits: concurrent solves, problem size. Configuration comes from the caller (cli.py).

A solve is CPU-bound and holds hundreds of MB, so the server runs at most ``max_solves`` at once
and refuses the next with RESOURCE_EXHAUSTED and a retry hint rather than queueing it behind an
unknown wait. The slot is released when the work has really ended (the solver thread returned),
not when the call ends, so a cancelled call cannot let a second solve start beside the first.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from optimizer.domain.types import EventPlan
from optimizer.errors import InvalidInput, Violation


@dataclass(frozen=True)
class Limits:
    """What one server accepts.

    Attributes
    ----------
    max_solves
        Plan, PlanStream and Simulate calls running at once; more get RESOURCE_EXHAUSTED.
    retry_after_s
        The retry delay suggested with RESOURCE_EXHAUSTED (``google.rpc.RetryInfo``).
    max_problem_size
        Largest slots x posts x officers available a plan may have. The default admits the
        roster benchmark's largest case (64 x 150 x about 7,600 = 73 million), which solves in
        under a minute on 2 cores; a plan ten times that would not.
    """

    max_solves: int = 2
    retry_after_s: float = 5.0
    max_problem_size: int = 200_000_000

    def __post_init__(self) -> None:
        if self.max_solves < 1:
            raise ValueError(f"max_solves must be at least 1, got {self.max_solves}")
        if self.retry_after_s < 0:
            raise ValueError(f"retry_after_s must be at least 0, got {self.retry_after_s}")
        if self.max_problem_size < 1:
            raise ValueError(f"max_problem_size must be at least 1, got {self.max_problem_size}")


def officers_available(plan: EventPlan) -> int:
    """Officers the pool offers: the supply counts plus the named officers."""
    return sum(s.count for s in plan.pool.supply) + len(plan.pool.officers)


def check_problem_size(plan: EventPlan, limits: Limits) -> None:
    """Raise InvalidInput naming the three factors when the plan is larger than the server takes."""
    slots, posts, officers = plan.grid.n_slots, len(plan.posts), officers_available(plan)
    size = slots * posts * officers
    if size > limits.max_problem_size:
        raise InvalidInput(
            [
                Violation(
                    "plan",
                    f"problem too large: {slots} slots x {posts} posts x {officers} officers = "
                    f"{size:,} exceeds this server's limit of {limits.max_problem_size:,}; use "
                    "longer slots, fewer posts or a smaller pool, or split the event",
                )
            ]
        )


class SolveSlots:
    """A counting semaphore that never blocks: ``try_acquire`` or be told the server is busy."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._lock = threading.Lock()
        self._active = 0

    @property
    def active(self) -> int:
        """Slots held now."""
        with self._lock:
            return self._active

    def try_acquire(self) -> bool:
        with self._lock:
            if self._active >= self._size:
                return False
            self._active += 1
            return True

    def release(self) -> None:
        with self._lock:
            if self._active == 0:
                raise RuntimeError("SolveSlots released more often than acquired")
            self._active -= 1
