"""Sweep specs, the sweep runner and its outputs, on tiny scenarios.

Results must depend only on seeds: the same spec gives the same CSV here, in a spawn process pool
of two and on a Dask cluster.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from optimizer.bench import output, runner
from optimizer.bench.judge import COLUMNS
from optimizer.bench.spec import load_spec, parse_spec
from optimizer.cli import main
from optimizer.errors import InvalidInput

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

TINY: dict[str, Any] = {
    "name": "tiny",
    "policies": ["static-peak", "sipp-flex", "optimised"],
    "seeds": [0, 1],
    "replications": 2,
    "time_limit_s": 10,
    "scenarios": [
        {
            "name": "tiny",
            "family": "stadium",
            "params": {"attendance": 1200, "gates": 2},
            "grid": {"peak_share": [0.5]},
        }
    ],
}


@pytest.fixture(scope="module")
def here_csv() -> str:
    """The tiny sweep run in this process (the reference the other paths must reproduce)."""
    return output.results_csv(runner.run_sweep(parse_spec(TINY, Path("."))))


def test_grid_expands_in_written_order() -> None:
    spec = parse_spec(
        {"scenarios": [{"name": "s", "family": "stadium", "grid": {"a": [1, 2], "b": ["x", "y"]}}]},
        Path("."),
    )
    assert [s.name for s in spec.scenarios] == ["s a=1 b=x", "s a=1 b=y", "s a=2 b=x", "s a=2 b=y"]
    assert spec.plot_scenario == "s a=1 b=x"


def test_spec_problems_are_listed_together() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_spec({"policies": ["nope"], "replications": 0, "scenarios": []}, Path("."))
    fields = {v.field for v in caught.value.violations}
    assert {"policies", "replications", "scenarios"} <= fields


def test_unknown_family_parameter_is_rejected_before_work() -> None:
    spec = parse_spec(
        {"scenarios": [{"family": "stadium", "params": {"atendance": 10}}]}, Path(".")
    )
    with pytest.raises(InvalidInput, match="stadium"):
        runner.run_sweep(spec)


def test_rows_have_every_column_per_policy_and_seed(here_csv: str) -> None:
    lines = here_csv.splitlines()
    assert lines[0].split(",") == list(COLUMNS)
    assert len(lines) == 1 + 2 * 3
    assert [line.split(",")[2] for line in lines[1:4]] == ["static-peak", "sipp-flex", "optimised"]


def test_same_csv_with_two_spawned_workers(here_csv: str) -> None:
    with runner.local_executor(2) as pool:
        assert pool is not None
        result = runner.run_sweep(parse_spec(TINY, Path(".")), pool)
    assert output.results_csv(result) == here_csv


def test_same_csv_on_a_dask_cluster(here_csv: str) -> None:
    distributed = pytest.importorskip(
        "dask.distributed", reason="dask is an optional extra: pip install 'optimizer[dask]'"
    )
    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
        ) as cluster,
        runner.dask_executor(cluster.scheduler_address) as executor,
    ):
        result = runner.run_sweep(parse_spec(TINY, Path(".")), executor)
    assert output.results_csv(result) == here_csv


def test_optimised_holds_what_static_peak_holds_on_quickstart(tmp_path: Path) -> None:
    spec_path = tmp_path / "spec.yaml"
    spec_path.write_text(
        yaml.safe_dump(
            {
                "policies": ["static-peak", "optimised"],
                "replications": 2,
                "scenarios": [
                    {
                        "name": "quickstart",
                        "family": "example",
                        "params": {"file": str(EXAMPLES / "quickstart.yaml")},
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    result = runner.run_sweep(load_spec(spec_path))
    static, optimised = result.results[0].rows
    assert static["missed"] == ""  # the baseline holds every target
    assert optimised["missed"] == ""
    assert float(optimised["officer_hours"]) < float(static["officer_hours"])
    assert "| quickstart | optimised |" in output.summary_markdown(result)


def test_cli_writes_csv_and_markdown_and_says_when_plots_are_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    spec_path = tmp_path / "tiny.yaml"
    spec_path.write_text(yaml.safe_dump({**TINY, "seeds": [0]}), encoding="utf-8")
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # as if it were not installed
    out = tmp_path / "out"
    assert main(["bench", str(spec_path), "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert "matplotlib is not installed" in captured.out
    assert "bench 1/1 done" in captured.err
    assert (out / "results.csv").is_file() and (out / "summary.md").is_file()
    assert not (out / "coverage.png").exists()


def test_plots_are_written_with_matplotlib(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib", reason="plots are an optional extra: optimizer[plots]")
    result = runner.run_sweep(parse_spec({**TINY, "seeds": [0]}, Path(".")))
    notes = output.write_outputs(result, tmp_path)
    assert (tmp_path / "cost_vs_compliance.png").stat().st_size > 0
    assert (tmp_path / "coverage.png").stat().st_size > 0
    assert notes == ["plots: cost_vs_compliance.png, coverage.png"]
