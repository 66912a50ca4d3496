"""The command line: the README's first command, bad input, reproducibility."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from optimizer import pipeline
from optimizer.cli import ProgressDisplay, main
from optimizer.roster import ProgressEvent

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
FAST = ["--replications", "3", "--quiet"]


def test_plan_writes_roster_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["plan", str(EXAMPLES / "quickstart.yaml"), "--out", str(tmp_path), *FAST])
    out = capsys.readouterr().out
    assert code == 0
    assert "Roster: OPTIMAL" in out
    assert "lower bound" in out and "Verification" in out
    result = json.loads((tmp_path / "roster.json").read_text())
    assert result["summary"]["headcount"] == len(result["shifts"])
    rows = (tmp_path / "roster.csv").read_text().splitlines()
    assert rows[0].startswith("officer_id,officer_type,post_id,start,end,break")
    stints = sum(len(s["stints"]) for s in result["shifts"])
    assert len(rows) == 1 + stints


def test_same_seed_gives_identical_results(tmp_path: Path) -> None:
    outputs = []
    for run in ("a", "b"):
        out = tmp_path / run
        assert main(["plan", str(EXAMPLES / "quickstart.yaml"), "--out", str(out), *FAST]) == 0
        result = json.loads((out / "roster.json").read_text())
        result.pop("timings")  # wall-clock seconds differ from run to run by nature
        outputs.append((json.dumps(result, sort_keys=True), (out / "roster.csv").read_bytes()))
    assert outputs[0] == outputs[1]


def test_broken_field_exits_non_zero_naming_it(
    tmp_path: Path, mutated: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(mutated(lambda p: p["gates"][1].update(lanes=-4))))
    code = main(["plan", str(bad), "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 2
    assert "gates[1].lanes: -4 is outside [1, 500]" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("zones: [", "not valid YAML"),
        ("- just\n- a list\n", "must hold a mapping"),
        ("zones: [{id: a, ring: RING_NOWHERE}]", "zones[0].ring"),
    ],
)
def test_unreadable_files_exit_2(
    tmp_path: Path, content: str, fragment: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(content)
    assert main(["validate", str(path)]) == 2
    assert fragment in capsys.readouterr().err


def test_missing_file_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "no/such/plan.yaml"]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_validate_and_simulate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(EXAMPLES / "stadium_match.yaml")]) == 0
    assert "risk HIGH" in capsys.readouterr().out
    out_json = tmp_path / "sim.json"
    code = main(["simulate", str(EXAMPLES / "quickstart.yaml"), "--json", str(out_json), *FAST])
    assert code == 0
    assert json.loads(out_json.read_text())["simulation"]["gates"]


def test_bad_option_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["plan", str(EXAMPLES / "quickstart.yaml"), "--replications", "0", "--quiet"])
    assert code == 2
    assert "options.replications" in capsys.readouterr().err


def test_plan_shows_progress_on_stderr_unless_quiet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["plan", str(EXAMPLES / "quickstart.yaml"), "--out", str(tmp_path)]
    assert main([*args, "--replications", "2"]) == 0
    err = capsys.readouterr().err
    for phase in ("validate", "simulate", "requirements", "solve", "verify"):
        assert f"] {phase}" in err
    assert re.search(r"\[####-\] solve +headcount: \d+ \(bound \d+, gap", err)
    assert main([*args, "--replications", "2", "--quiet"]) == 0
    assert capsys.readouterr().err == ""


def test_progress_display_redraws_one_line_on_a_terminal() -> None:
    stream = io.StringIO()
    display = ProgressDisplay(stream, tty=True)
    display(pipeline.Progress(pipeline.Phase.VALIDATE, "validating the plan"))
    solver = ProgressEvent("headcount", 0, 60, 55, 60, 0.3)
    display(pipeline.Progress(pipeline.Phase.SOLVE, "solving", solver=solver))
    display.close()
    text = stream.getvalue()
    assert text.count("\r") == 2 and text.endswith("\n") and text.count("\n") == 1
    assert "[####-] solve        headcount: 60 (bound 55, gap 8.3%)" in text


@pytest.mark.parametrize(
    ("extra", "fragment"),
    [
        (["--tls-cert", "cert.pem"], "--tls-cert/--tls-key: give both or neither"),
        (["--tls-cert", "no/cert.pem", "--tls-key", "no/key.pem"], "--tls-cert: cannot read"),
        (["--tokens-file", "no/tokens"], "--tokens-file: cannot read"),
        (["--max-solves", "0"], "max_solves must be at least 1"),
    ],
)
def test_serve_refuses_bad_security_options(
    extra: list[str], fragment: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["serve", "--address", "127.0.0.1:0", *extra]) == 2
    assert fragment in capsys.readouterr().err


def test_tokens_come_from_the_file_or_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from optimizer.cli import TOKENS_ENV, _tokens, build_parser

    tokens = tmp_path / "tokens"
    tokens.write_text("# planning tools\nalpha\n\n  beta  \n")
    parse = build_parser().parse_args
    monkeypatch.delenv(TOKENS_ENV, raising=False)
    assert _tokens(parse(["serve", "--tokens-file", str(tokens)])) == {"alpha", "beta"}
    assert _tokens(parse(["serve"])) is None
    monkeypatch.setenv(TOKENS_ENV, "gamma, delta")
    assert _tokens(parse(["serve"])) == {"gamma", "delta"}
