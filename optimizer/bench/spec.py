"""Sweep specs: which scenario families, parameter grids, policies, replications and seeds.

A spec is a small YAML file::

    name: bundled
    policies: [static-peak, fixed-shifts, sipp-flex, optimised]
    seeds: [0]                 # one run of every scenario per seed
    replications: 10           # simulation replications (requirements and the judge)
    time_limit_s: 30           # roster solver limit per policy
    plot_scenario: quickstart  # demand against coverage is drawn for this one
    scenarios:
      - {name: quickstart, family: example, params: {file: ../../examples/quickstart.yaml}}
      - name: synth
        family: stadium
        params: {attendance: 6000}
        grid: {peak_share: [0.4, 0.8]}   # one scenario per combination

Relative paths in ``params`` are relative to the spec file. A grid expands in the order its keys
and values are written, and a scenario's name gets ``key=value`` for each grid key.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from optimizer.errors import InvalidInput, Violation
from optimizer.policies import policy_names


@dataclass(frozen=True)
class Scenario:
    """One point of a grid: a family with all its parameters."""

    name: str
    family: str
    params: tuple[tuple[str, Any], ...]


@dataclass(frozen=True)
class SweepSpec:
    name: str
    scenarios: tuple[Scenario, ...]
    policies: tuple[str, ...]
    seeds: tuple[int, ...]
    replications: int
    time_limit_s: float
    plot_scenario: str
    base_dir: Path


def load_spec(path: str | Path) -> SweepSpec:
    """Read and check the sweep spec at ``path``.

    Raises
    ------
    InvalidInput
        The file cannot be read or parsed, or a field is missing or wrong; every problem is
        listed.
    """
    path = Path(path)
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InvalidInput([Violation("spec", f"cannot read {path}: {exc}")]) from exc
    if not isinstance(document, dict):
        raise InvalidInput([Violation("spec", f"{path} is not a mapping")])
    try:
        return parse_spec(document, path.parent)
    except (TypeError, ValueError) as exc:
        if isinstance(exc, InvalidInput):
            raise
        raise InvalidInput([Violation("spec", f"{path}: {exc}")]) from exc


def parse_spec(document: dict[str, Any], base_dir: Path) -> SweepSpec:
    """The ``SweepSpec`` of a parsed spec document (see the module docstring)."""
    problems: list[Violation] = []
    policies = tuple(str(p) for p in document.get("policies", policy_names()))
    for p in policies:
        if p not in policy_names():
            problems.append(
                Violation("policies", f"unknown policy {p!r}; known: {', '.join(policy_names())}")
            )
    seeds = tuple(int(s) for s in document.get("seeds", [0]))
    replications = int(document.get("replications", 10))
    if replications < 1:
        problems.append(Violation("replications", f"{replications} is not positive"))
    time_limit_s = float(document.get("time_limit_s", 30.0))
    if time_limit_s <= 0:
        problems.append(Violation("time_limit_s", f"{time_limit_s} is not positive"))
    scenarios: list[Scenario] = []
    for i, entry in enumerate(document.get("scenarios", [])):
        if not isinstance(entry, dict) or "family" not in entry:
            problems.append(Violation(f"scenarios[{i}]", "needs a family"))
            continue
        scenarios.extend(_expand(entry, i))
    if not scenarios:
        problems.append(Violation("scenarios", "no scenario"))
    names = [s.name for s in scenarios]
    for name in sorted({n for n in names if names.count(n) > 1}):
        problems.append(Violation("scenarios", f"name {name!r} is used twice"))
    if not seeds:
        problems.append(Violation("seeds", "no seed"))
    plot = str(document.get("plot_scenario", names[0] if names else ""))
    if names and plot not in names:
        problems.append(Violation("plot_scenario", f"{plot!r} is not a scenario of the sweep"))
    if problems:
        raise InvalidInput(problems)
    return SweepSpec(
        name=str(document.get("name", "sweep")),
        scenarios=tuple(scenarios),
        policies=policies,
        seeds=seeds,
        replications=replications,
        time_limit_s=time_limit_s,
        plot_scenario=plot,
        base_dir=base_dir,
    )


def _expand(entry: dict[str, Any], index: int) -> list[Scenario]:
    family = str(entry["family"])
    name = str(entry.get("name", f"{family}{index}"))
    params = dict(entry.get("params") or {})
    grid = dict(entry.get("grid") or {})
    keys = list(grid)
    out = []
    for values in itertools.product(*(list(grid[k]) for k in keys)):
        point = {**params, **dict(zip(keys, values, strict=True))}
        suffix = "".join(f" {k}={v}" for k, v in zip(keys, values, strict=True))
        out.append(Scenario(name + suffix, family, tuple(point.items())))
    return out
