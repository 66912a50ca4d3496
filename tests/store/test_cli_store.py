"""``optimizer plan --store`` and ``optimizer store ...``: what is recorded, listed, published."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from optimizer.cli import main
from optimizer.store import SCHEMA_VERSION, PlanStore

from .plans import FAST, write_plan


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_plan_records_its_version_and_roster(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = write_plan(tmp_path / "hall.yaml")
    db = str(tmp_path / "plans.db")
    first_out, second_out = tmp_path / "first", tmp_path / "second"
    code, out, _ = _run(
        capsys, "plan", str(plan), "--out", str(first_out), "--store", db, "--publish", *FAST
    )
    assert code == 0
    # The event id defaults to the file's name.
    assert "Stored in event hall: plan version 1, roster 1, published" in out
    code, out, _ = _run(capsys, "plan", str(plan), "--out", str(second_out), "--store", db, *FAST)
    assert code == 0
    assert "Stored in event hall: plan version 1 (unchanged), roster 2" in out
    assert "published" not in out.splitlines()[-1]

    code, out, _ = _run(capsys, "store", "events", "--store", db)
    assert out.strip() == "hall: Tiny; plan v1; published roster 1 (plan v1); up to date"
    code, out, _ = _run(capsys, "store", "rosters", "hall", "--store", db)
    rows = out.strip().splitlines()
    assert len(rows) == 3 and rows[0].split()[0] == "roster"
    assert rows[1].split()[0] == "1" and rows[1].rstrip().endswith("yes")
    assert rows[2].split()[0] == "2" and not rows[2].rstrip().endswith("yes")

    # The stored result is the roster.json the same run wrote.
    shown = tmp_path / "shown.json"
    code, out, _ = _run(capsys, "store", "show", "1", "--store", db, "--json", str(shown))
    assert code == 0 and "Roster 1 of event hall, plan version 1" in out
    assert "seed 0, workers 1, replications 1, time limit 5 s" in out
    assert json.loads(shown.read_text()) == json.loads((first_out / "roster.json").read_text())

    code, out, _ = _run(capsys, "store", "publish", "2", "--store", db)
    assert code == 0 and "Event hall: roster 2 published" in out
    code, out, _ = _run(capsys, "store", "history", "hall", "--store", db)
    publications = out.split("Publications:")[1].split()
    assert publications[1::3] == ["roster", "roster"] and publications[2::3] == ["1", "2"]


def test_add_plan_makes_the_event_due(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "plans.db")
    plan = write_plan(tmp_path / "v1.yaml")
    assert (
        _run(
            capsys,
            "plan",
            str(plan),
            "--out",
            str(tmp_path),
            "--store",
            db,
            "--event",
            "cup-final",
            "--publish",
            *FAST,
        )[0]
        == 0
    )
    code, out, _ = _run(capsys, "store", "add-plan", "cup-final", str(plan), "--store", db)
    assert (code, out.strip()) == (
        0,
        "Event cup-final: plan version 1 equal to the latest version: not stored again",
    )
    changed = write_plan(tmp_path / "v2.yaml", door=3)
    code, out, _ = _run(capsys, "store", "add-plan", "cup-final", str(changed), "--store", db)
    assert (code, out.strip()) == (0, "Event cup-final: plan version 2 stored")
    code, out, _ = _run(capsys, "store", "events", "--store", db)
    assert out.strip().endswith("published roster 1 (plan v1); re-plan due")


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["store", "rosters", "nosuch"], "no event 'nosuch' in the store"),
        (["store", "show", "99"], "no roster 99 in the store"),
        (["store", "publish", "99"], "no roster 99 in the store"),
        (["store", "add-plan", "a b", "PLAN"], "event_id: 'a b' is not an event id"),
        (["replan", "nosuch"], "no event 'nosuch' in the store"),
        (["replan"], "EVENT: name the event to re-plan, or give --due"),
        (["replan", "--due", "--pin", "o1"], "--due: re-plans every due event; leave out --pin"),
    ],
)
def test_bad_store_requests_exit_2_naming_what_is_wrong(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], fragment: str
) -> None:
    plan = write_plan(tmp_path / "hall.yaml")
    db = str(tmp_path / "plans.db")
    with PlanStore(db):
        pass
    argv = [str(plan) if a == "PLAN" else a for a in argv]
    code, _, err = _run(capsys, *argv, "--store", db)
    assert code == 2
    assert fragment in err
    assert "Traceback" not in err


def test_an_invalid_plan_is_not_stored(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "plans.db")
    bad = write_plan(tmp_path / "bad.yaml", door=-1)
    code, _, err = _run(capsys, "store", "add-plan", "hall", str(bad), "--store", db)
    assert code == 2 and "requirements[0].runs[0].officers" in err
    code, _, err = _run(capsys, "plan", str(bad), "--store", db, "--out", str(tmp_path), *FAST)
    assert code == 2
    with PlanStore(db) as store:
        assert store.events() == []


def test_plan_options_need_a_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = write_plan(tmp_path / "hall.yaml")
    code, _, err = _run(capsys, "plan", str(plan), "--event", "hall", *FAST)
    assert code == 2 and "--event/--publish: only with --store" in err


def test_a_store_from_a_newer_release_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "plans.db"
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    code, _, err = _run(capsys, "store", "events", "--store", str(db))
    assert code == 2 and "newer than this optimiser knows" in err


def test_help_documents_the_store_actions_and_the_exit_codes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        main(["store", "--help"])
    out = capsys.readouterr().out
    for action in ("events", "rosters", "history", "show", "publish", "add-plan"):
        assert action in out
    with pytest.raises(SystemExit):
        main(["replan", "--help"])
    out = capsys.readouterr().out
    for code in ("0", "1", "2", "3"):
        assert f"\n  {code}  " in out
    assert "--due" in out and "--publish" in out
