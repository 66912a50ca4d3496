"""``optimizer replan`` on a stored event and ``optimizer replan --due`` over a store: which
events are re-planned, the lines and exit codes a scheduler acts on, and what is stored."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from optimizer.cli import main
from optimizer.store import EventStatus, PlanStore

from .plans import FAST, write_plan

# Solver time for re-plans: the tiny plans are solved long before it.
REPLAN_FAST = ["--time-limit", "5", "--quiet"]


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str], str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out.strip().splitlines(), captured.err


def _published_events(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], names: str, **plan: Any
) -> str:
    """A store with one planned and published event per letter of ``names``."""
    db = str(tmp_path / "plans.db")
    for name in names:
        path = write_plan(tmp_path / f"{name}.yaml", name=name.upper(), **plan)
        args = ["plan", str(path), "--store", db, "--publish", "--out", str(tmp_path), *FAST]
        assert _run(capsys, *args)[0] == 0
    return db


def _shifts(result_json: str) -> dict[str, Any]:
    return {s["officer_id"]: s for s in json.loads(result_json).get("shifts", [])}


def test_due_replans_exactly_the_events_whose_plan_changed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = _published_events(tmp_path, capsys, "abc")
    # d has a roster but none published: listed, never re-planned.
    quiet = write_plan(tmp_path / "d.yaml", name="D")
    assert _run(capsys, "plan", str(quiet), "--store", db, "--out", str(tmp_path), *FAST)[0] == 0
    changed = write_plan(tmp_path / "b2.yaml", name="B", door=3)
    assert _run(capsys, "store", "add-plan", "b", str(changed), "--store", db)[0] == 0
    with PlanStore(db) as store:
        before = {e.event_id: len(store.rosters(e.event_id)) for e in store.events()}

    code, lines, _ = _run(capsys, "replan", "--due", "--store", db, *REPLAN_FAST)
    assert code == 0
    assert len(lines) == 4
    assert lines[0] == "a: up to date (roster 1, plan v1)"
    assert lines[1].startswith("b: re-planned plan v2 against roster 2 (plan v1) -> roster 5: ")
    assert lines[1].endswith("; awaits publication")
    assert lines[2] == "c: up to date (roster 3, plan v1)"
    assert lines[3] == "d: nothing published (plan v1); not re-planned"

    with PlanStore(db) as store:
        after = {e.event_id: len(store.rosters(e.event_id)) for e in store.events()}
        assert after == {**before, "b": before["b"] + 1}
        new = store.roster(5)
        assert (new.origin, new.base_roster_id, new.plan_version, new.published) == (
            "replan",
            2,
            2,
            False,
        )
        assert store.event("b").status is EventStatus.AWAITING_PUBLICATION
        # The stored diff names exactly the officers whose shift differs between the published
        # result and the new one, compared here as plain JSON.
        old, fresh = _shifts(store.roster(2).result_json), _shifts(new.result_json)
        differ = {o for o in old.keys() | fresh.keys() if old.get(o) != fresh.get(o)}
        assert new.replan_json is not None
        diff = json.loads(new.replan_json)["diff"]
        assert {c["officer_id"] for c in diff.get("changes", [])} == differ
        assert diff.get("unchanged", 0) == len(old.keys() & fresh.keys()) - len(
            differ & old.keys() & fresh.keys()
        )
        # The seed and workers of the published roster are kept.
        assert (new.seed, new.workers) == (store.roster(2).seed, store.roster(2).workers)

    # Run again at once: nothing is re-planned; b waits for a person.
    code, lines, _ = _run(capsys, "replan", "--due", "--store", db, *REPLAN_FAST)
    assert code == 0
    assert lines[1] == (
        "b: re-plan roster 5 of plan v2 awaits publication (optimizer store publish 5)"
    )
    with PlanStore(db) as store:
        assert {e.event_id: len(store.rosters(e.event_id)) for e in store.events()} == after


def test_due_with_publish_publishes_clean_rosters_and_is_then_quiet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = _published_events(tmp_path, capsys, "ab")
    changed = write_plan(tmp_path / "a2.yaml", name="A", desk=2)
    assert _run(capsys, "store", "add-plan", "a", str(changed), "--store", db)[0] == 0
    code, lines, _ = _run(capsys, "replan", "--due", "--publish", "--store", db, *REPLAN_FAST)
    assert code == 0
    assert lines[0].startswith("a: re-planned plan v2 against roster 1") and lines[0].endswith(
        "; published"
    )
    code, lines, _ = _run(capsys, "replan", "--due", "--publish", "--store", db, *REPLAN_FAST)
    assert (code, lines) == (
        0,
        ["a: up to date (roster 3, plan v2)", "b: up to date (roster 2, plan v1)"],
    )


def test_due_exits_3_when_the_frozen_window_costs_cover(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = _published_events(tmp_path, capsys, "ab")
    changed = write_plan(tmp_path / "a2.yaml", name="A", door=3)
    assert _run(capsys, "store", "add-plan", "a", str(changed), "--store", db)[0] == 0
    # Everything frozen from the start of the day: no officer can be added for the third door.
    args = ["replan", "--due", "--publish", "--store", db, "--freeze-hours", "8"]
    args += ["--now", "2026-05-16T08:00:00+08:00", *REPLAN_FAST]
    code, lines, _ = _run(capsys, *args)
    assert code == 3
    assert "pin conflicts; NEEDS REVIEW before publishing" in lines[0]
    with PlanStore(db) as store:
        state = store.event("a")
        # Stored for a person, not published, although --publish was given.
        assert (state.published_roster_id, state.pending_roster_id) == (1, 3)
        assert store.roster(3).status == "infeasible"
        # The frozen window was kept: every published shift is in the new roster unchanged.
        old, new = _shifts(store.roster(1).result_json), _shifts(store.roster(3).result_json)
        assert all(new.get(o) == shift for o, shift in old.items())
    # The next run does not re-plan it again, and still asks for a person.
    code, lines, _ = _run(capsys, "replan", "--due", "--store", db, *REPLAN_FAST)
    assert code == 3
    assert lines[0] == (
        "a: re-plan roster 3 of plan v2 NEEDS REVIEW (infeasible; optimizer store show 3)"
    )
    assert lines[1] == "b: up to date (roster 2, plan v1)"
    # What the reviewer is pointed at: the roster, the pins it could not keep, the changes.
    code, lines, _ = _run(capsys, "store", "show", "3", "--store", db)
    assert code == 0
    assert lines[0].startswith("Roster 3 of event a, plan version 2 (hash ")
    assert "Changes to roster 1:" in lines
    assert "Pins the new plan cannot keep with full cover:" in lines


def test_due_exits_1_when_an_event_fails_and_goes_on_with_the_others(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = _published_events(tmp_path, capsys, "ab")
    with PlanStore(db) as store:
        # A plan version no release would accept (stored by hand, past the CLI's checks).
        store.add_plan("a", json.dumps({"name": "A", "time_grid": {"horizon_min": -5}}))
    changed = write_plan(tmp_path / "b2.yaml", name="B", desk=2)
    assert _run(capsys, "store", "add-plan", "b", str(changed), "--store", db)[0] == 0
    code, lines, _ = _run(capsys, "replan", "--due", "--store", db, *REPLAN_FAST)
    assert code == 1
    assert lines[0].startswith("a: FAILED: ") and "time_grid" in lines[0]
    assert lines[1].startswith("b: re-planned plan v2 against roster 2")
    with PlanStore(db) as store:
        assert store.event("a").status is EventStatus.DUE
        assert len(store.rosters("a")) == 1


def test_replan_one_event_with_a_new_plan_a_pin_and_a_csv(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = _published_events(tmp_path, capsys, "a")
    with PlanStore(db) as store:
        published = _shifts(store.roster(1).result_json)
    pinned = sorted(published)[0]
    changed = write_plan(tmp_path / "a2.yaml", name="A", door=3, desk=2)
    csv_path = tmp_path / "diff.csv"
    args = ["replan", "a", "--store", db, "--plan", str(changed), "--pin", pinned]
    args += ["--diff-csv", str(csv_path), *REPLAN_FAST]
    code, lines, _ = _run(capsys, *args)
    assert code == 0
    assert lines[0] == "Event a: plan version 2 stored"
    assert "Changes to published roster 1:" in lines
    assert lines[-1].startswith("a: re-planned plan v2 against roster 1 (plan v1) -> roster 2")
    with PlanStore(db) as store:
        new = store.roster(2)
        assert _shifts(new.result_json)[pinned] == published[pinned]
        assert new.replan_json is not None
        stored = json.loads(new.replan_json)
    assert stored["pinned_officer_ids"] == [pinned]
    rows = list(csv.DictReader(io.StringIO(csv_path.read_text())))
    assert [r["officer_id"] for r in rows] == [c["officer_id"] for c in stored["diff"]["changes"]]
    assert all(r["reason"] for r in rows)


def test_replanning_an_unchanged_plan_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = _published_events(tmp_path, capsys, "a")
    code, lines, _ = _run(capsys, "replan", "a", "--store", db, *REPLAN_FAST)
    assert code == 0
    assert "0 changed (0 added, 0 released, 0 moved, 0 at other posts)" in lines[-1]
    with PlanStore(db) as store:
        assert _shifts(store.roster(2).result_json) == _shifts(store.roster(1).result_json)


def test_replan_needs_a_published_roster(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "plans.db")
    plan = write_plan(tmp_path / "a.yaml")
    assert _run(capsys, "plan", str(plan), "--store", db, "--out", str(tmp_path), *FAST)[0] == 0
    code, _, err = _run(capsys, "replan", "a", "--store", db, *REPLAN_FAST)
    assert code == 2 and "event 'a' has no published roster" in err
