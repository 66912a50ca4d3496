"""Schema migrations: a store of any older version opens upgraded with its data; a newer one is
refused; a step that fails leaves the store at the step before."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from optimizer.store import (
    MIGRATIONS,
    SCHEMA_VERSION,
    EventStatus,
    PlanStore,
    SchemaTooNew,
    StoreError,
    migrate,
    schema,
)

from .records import plan_text, record, result_text


def _at_version(path: Path, version: int) -> None:
    """A store built by the steps up to ``version``, holding one event with a published roster
    when the schema has the tables for it (written with the columns of that version)."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        assert migrate(conn, target=version) == version
        if version >= 1:
            now = "2026-01-01T00:00:00.000+00:00"
            conn.execute("INSERT INTO events VALUES ('match', ?)", (now,))
            conn.execute(
                "INSERT INTO plans (event_id, version, name, plan_json, plan_hash, created_at) "
                "VALUES ('match', 1, 'match', ?, 'h1', ?)",
                (plan_text(4000, "match"), now),
            )
            conn.execute(
                "INSERT INTO rosters (event_id, plan_id, result_json, status, headcount, "
                "lower_bound, gap, seed, workers, time_limit_s, replications, versions_json, "
                "created_at) VALUES ('match', 1, ?, 'optimal', 12, 11, 0.08, 4, 1, 5.0, 3, "
                '\'[["optimizer", "0.1.0"]]\', ?)',
                (result_text(4), now),
            )
            conn.execute("INSERT INTO publications VALUES (1, 'match', 1, ?)", (now,))
    finally:
        conn.close()


def test_the_versions_count_up_from_one() -> None:
    assert [m.version for m in MIGRATIONS] == list(range(1, SCHEMA_VERSION + 1))


def test_a_new_file_is_created_at_the_latest_version(tmp_path: Path) -> None:
    with PlanStore(tmp_path / "new.db") as store:
        assert store.schema_version == SCHEMA_VERSION
        assert store.events() == []


@pytest.mark.parametrize("version", range(SCHEMA_VERSION))
def test_an_older_store_is_upgraded_with_its_data(tmp_path: Path, version: int) -> None:
    path = tmp_path / "old.db"
    _at_version(path, version)
    with PlanStore(path) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert store.integrity_check() == "ok"
        if version >= 1:
            roster = store.published("match")
            assert (roster.roster_id, roster.headcount, roster.seed) == (1, 12, 4)
            assert roster.result_json == result_text(4)
            assert roster.versions == (("optimizer", "0.1.0"),)
            # Rosters from before re-planning existed came from a plan.
            assert (roster.origin, roster.base_roster_id, roster.replan_json) == (
                "plan",
                None,
                None,
            )
            assert store.event("match").status is EventStatus.UP_TO_DATE
        # The upgraded store takes every kind of write.
        if version == 0:
            store.add_plan("match", plan_text(4000, "match"), "match")
            store.add_roster("match", 1, record(1), publish=True)
        base = store.published("match").roster_id
        store.add_plan("match", plan_text(4400, "match"), "match")
        replan = store.add_roster(
            "match", 2, record(2, origin="replan", base_roster_id=base, replan_json="{}")
        )
        assert store.event("match").pending_roster_id == replan.roster_id


def test_a_newer_store_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "newer.db"
    _at_version(path, SCHEMA_VERSION)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(SchemaTooNew, match=f"schema version {SCHEMA_VERSION + 1}, newer"):
        PlanStore(path)
    assert path.read_bytes() == before


def test_a_failing_step_leaves_the_store_at_the_step_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "plans.db"
    _at_version(path, SCHEMA_VERSION)
    broken = schema.Migration(
        SCHEMA_VERSION + 1,
        "a step whose second statement fails",
        ("CREATE TABLE notes (note TEXT)", "ALTER TABLE no_such_table ADD COLUMN x TEXT"),
    )
    monkeypatch.setattr(schema, "MIGRATIONS", (*MIGRATIONS, broken))
    monkeypatch.setattr(schema, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        with pytest.raises(sqlite3.OperationalError, match="no_such_table"):
            schema.migrate(conn, target=SCHEMA_VERSION + 1)
        assert schema.user_version(conn) == SCHEMA_VERSION
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        assert "notes" not in tables
    finally:
        conn.close()
    monkeypatch.undo()
    with PlanStore(path) as store:
        assert store.published("match").roster_id == 1


def test_a_file_that_is_not_a_store_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text("name: not a database\n" * 200)
    with pytest.raises(StoreError, match="not a plan store"):
        PlanStore(path)
    with pytest.raises(StoreError, match="cannot open"):
        PlanStore(tmp_path / "no" / "such" / "dir" / "plans.db")
