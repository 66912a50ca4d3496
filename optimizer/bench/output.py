"""What a sweep writes: ``results.csv``, ``timings.csv``, ``summary.md`` and PNG plots.

``results.csv`` holds only numbers that depend on the seeds (one row per scenario, seed and
policy), so it is byte for byte the same wherever the sweep ran; solve times go to
``timings.csv``. Plots need matplotlib (``pip install 'optimizer[plots]'``); without it they are
skipped and ``write_outputs`` says so.
"""

from __future__ import annotations

import csv
import importlib
import io
import statistics
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from optimizer.bench.judge import COLUMNS, Row
from optimizer.bench.runner import SweepResult

BASELINE = "static-peak"


def rows_of(result: SweepResult) -> list[Row]:
    return [row for scenario in result.results for row in scenario.rows]


def results_csv(result: SweepResult) -> str:
    """The rows as CSV, in task order and, within a task, in the spec's policy order."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows_of(result))
    return buffer.getvalue()


def timings_csv(result: SweepResult) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["scenario", "seed", "policy", "solve_s"])
    for scenario in result.results:
        for row, seconds in zip(scenario.rows, scenario.solve_s, strict=True):
            writer.writerow([row["scenario"], row["seed"], row["policy"], seconds])
    return buffer.getvalue()


def _mean(rows: Sequence[Row], key: str) -> float:
    return statistics.fmean(float(r[key]) for r in rows)


def summary_markdown(result: SweepResult) -> str:
    """One table: per scenario and policy, means over the seeds, saving against static-peak.

    "holds" counts the targets (verification checks) a policy meets in every seed; "all of
    static-peak's" says whether it meets every check static-peak meets, seed by seed.
    """
    solve = {
        (str(row["scenario"]), int(row["seed"]), str(row["policy"])): seconds
        for scenario in result.results
        for row, seconds in zip(scenario.rows, scenario.solve_s, strict=True)
    }
    rows = rows_of(result)
    lines = [
        f"Sweep `{result.spec.name}`: seeds {list(result.spec.seeds)},"
        f" {result.spec.replications} replications; means over seeds.",
        "",
        "| scenario | policy | headcount | officer-hours | vs static-peak | over-cover h |"
        " wait ok | density ok | response ok | worst wait min | checks met |"
        " holds all of static-peak's | solve s |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|",
    ]
    for scenario in dict.fromkeys(str(r["scenario"]) for r in rows):
        mine = [r for r in rows if r["scenario"] == scenario]
        base = [r for r in mine if r["policy"] == BASELINE]
        for policy in result.spec.policies:
            these = [r for r in mine if r["policy"] == policy]
            hours = _mean(these, "officer_hours")
            saving = "-"
            if base and policy != BASELINE:
                saving = f"{100 * (hours / _mean(base, 'officer_hours') - 1):+.1f}%"
            holds = "-"
            if base and policy != BASELINE:
                holds = "yes" if all(_holds_baseline(r, base) for r in these) else "no"
            seconds = statistics.fmean(solve[(scenario, int(r["seed"]), policy)] for r in these)
            met = min(int(r["checks_met"]) for r in these)
            lines.append(
                f"| {scenario} | {policy} | {_mean(these, 'headcount'):.0f} | {hours:.1f} |"
                f" {saving} | {_mean(these, 'over_cover_h'):.1f} |"
                f" {_pct(these, 'wait_ok')} | {_pct(these, 'density_ok')} |"
                f" {_pct(these, 'response_ok')} | {_mean(these, 'worst_wait_min'):.1f} |"
                f" {met}/{these[0]['checks']} | {holds} | {seconds:.2f} |"
            )
    return "\n".join(lines) + "\n"


def _pct(rows: Sequence[Row], key: str) -> str:
    return f"{100 * _mean(rows, key):.1f}%"


def _holds_baseline(row: Row, base: Sequence[Row]) -> bool:
    """Whether ``row`` misses no check that static-peak meets in the same seed."""
    for b in base:
        if b["seed"] == row["seed"]:
            missed = {m for m in str(row["missed"]).split(";") if m}
            base_missed = {m for m in str(b["missed"]).split(";") if m}
            return missed <= base_missed
    return True


def write_outputs(result: SweepResult, out: Path) -> list[str]:
    """Write every output into ``out``; return notes for the user (e.g. plots skipped)."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.csv").write_text(results_csv(result), encoding="utf-8")
    (out / "timings.csv").write_text(timings_csv(result), encoding="utf-8")
    (out / "summary.md").write_text(summary_markdown(result), encoding="utf-8")
    try:
        # By name: matplotlib is an optional extra, and mypy runs where it is not installed.
        matplotlib = importlib.import_module("matplotlib")
    except ImportError:
        return [
            "plots skipped: matplotlib is not installed (pip install 'optimizer[plots]');"
            " results.csv and summary.md are written"
        ]
    matplotlib.use("Agg")  # files only: no display, no GUI toolkit
    return _plots(result, out)


def _plots(result: SweepResult, out: Path) -> list[str]:
    plt = importlib.import_module("matplotlib.pyplot")
    rows = rows_of(result)
    figure: Any
    figure, axes = plt.subplots(figsize=(7, 4.5))
    for policy in result.spec.policies:
        these = [r for r in rows if r["policy"] == policy]
        axes.scatter(
            [float(r["officer_hours"]) for r in these],
            [100 * int(r["checks_met"]) / int(r["checks"]) for r in these],
            label=policy,
            alpha=0.8,
        )
    axes.set_xscale("log")  # scenarios differ in size by orders of magnitude
    axes.set_xlabel("officer-hours (log scale)")
    axes.set_ylabel("targets met (% of verification checks)")
    axes.set_title(f"Cost against compliance: {result.spec.name}")
    axes.legend()
    figure.tight_layout()
    figure.savefig(out / "cost_vs_compliance.png", dpi=120)
    plt.close(figure)
    written = ["cost_vs_compliance.png"]
    for task, scenario in zip(result.tasks, result.results, strict=True):
        if not task.series:
            continue
        figure, axes = plt.subplots(figsize=(8, 4.5))
        hours = [k * scenario.slot_min / 60 for k in range(len(scenario.demand))]
        axes.step(hours, scenario.demand, where="post", color="black", linewidth=2,
                  label="requirement (optimised)")  # fmt: skip
        for policy, coverage in scenario.coverage:
            axes.step(hours, coverage, where="post", label=policy, alpha=0.8)
        axes.set_xlabel("hours from the start of the horizon")
        axes.set_ylabel("officers on posts")
        axes.set_title(f"Demand against coverage: {task.scenario} (seed {task.seed})")
        axes.legend()
        figure.tight_layout()
        figure.savefig(out / "coverage.png", dpi=120)
        plt.close(figure)
        written.append("coverage.png")
    return [f"plots: {', '.join(written)}"]
