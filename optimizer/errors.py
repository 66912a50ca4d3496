"""Exceptions of the optimiser.

    OptimizerError
    ├── InvalidInput   (a ValueError) the plan or the options are wrong; carries every violation
    ├── SolverError    the solver failed in a way that is a bug, not an answer (MODEL_INVALID)
    └── Cancelled      the caller asked the run to stop (a stop event was set) before it finished

An infeasible roster is not an error: it is returned with status INFEASIBLE and its shortfalls.
"""

from __future__ import annotations

from dataclasses import dataclass


class OptimizerError(Exception):
    """Base of every error the optimiser raises on purpose."""


@dataclass(frozen=True)
class Violation:
    """One bad field: its path in the plan (``posts[3].zone_id``) and what is wrong with it."""

    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.field}: {self.reason}"


class InvalidInput(OptimizerError, ValueError):
    """The input breaks one or more rules; ``violations`` lists them all."""

    def __init__(self, violations: list[Violation] | tuple[Violation, ...]) -> None:
        self.violations = tuple(violations)
        super().__init__("; ".join(str(v) for v in self.violations))


class SolverError(OptimizerError):
    """The solver rejected a model the optimiser built: a bug to report, not a user error."""


class Cancelled(OptimizerError):
    """The run was stopped on request (its stop event was set); there is no result."""
