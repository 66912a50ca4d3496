"""The policy interface and the registry of policies by name.

A policy turns a plan, and the pipeline's simulation of it, into a roster. Every policy gets the
same ``PolicyContext``: the plan, the outcome of ``pipeline.simulate`` (risk targets, the
simulation-driven requirements and the crowd simulation behind them) and the run options, so
policies differ only in what they staff to and how they build shifts, never in the crowd they
see. Adding a policy is one module with a function decorated by ``register``, imported from
``optimizer.policies``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from optimizer.domain.types import EventPlan, Requirement, Roster, RunOptions
from optimizer.pipeline import SimulateOutcome


@dataclass(frozen=True)
class PolicyContext:
    """What every policy starts from.

    ``base`` is ``pipeline.simulate(plan, options)``: its requirements are the pipeline's own
    (simulation-driven), and its simulation the crowd every policy plans for.
    """

    plan: EventPlan
    base: SimulateOutcome
    options: RunOptions


@dataclass(frozen=True)
class PolicyResult:
    """A policy's roster and the requirements it staffed to (one per post, plan order)."""

    roster: Roster
    requirements: tuple[Requirement, ...]


PolicyFn = Callable[[PolicyContext], PolicyResult]


@dataclass(frozen=True)
class Policy:
    name: str
    description: str
    build: PolicyFn


_REGISTRY: dict[str, Policy] = {}


def register(name: str, description: str) -> Callable[[PolicyFn], PolicyFn]:
    """Register the decorated function as the policy ``name``.

    Raises
    ------
    ValueError
        ``name`` is already registered (two modules claiming one name is a bug).
    """

    def add(build: PolicyFn) -> PolicyFn:
        if name in _REGISTRY:
            raise ValueError(f"Policy {name!r} is registered twice")
        _REGISTRY[name] = Policy(name, description, build)
        return build

    return add


def get_policy(name: str) -> Policy:
    """The policy registered as ``name``.

    Raises
    ------
    KeyError
        No policy has that name; the message lists the known ones.
    """
    try:
        return _REGISTRY[name]
    except KeyError:
        raise KeyError(f"unknown policy {name!r}; known: {', '.join(policy_names())}") from None


def policy_names() -> tuple[str, ...]:
    """Registered policy names in registration order."""
    return tuple(_REGISTRY)
