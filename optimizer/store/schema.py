"""The plan store's schema as an ordered list of migration steps.

``PRAGMA user_version`` holds the number of steps applied. Opening a store applies the missing
steps in order, each in its own ``BEGIN IMMEDIATE`` transaction that also sets the new version,
so a process killed during an upgrade leaves the store at the last complete step, and two
processes opening an old store at once apply each step once. A store whose version is above
``SCHEMA_VERSION`` was written by a newer optimiser and is refused rather than guessed at.

Steps are never edited once released: a change to the schema is a new step at the end.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from optimizer.store.errors import SchemaTooNew


@dataclass(frozen=True)
class Migration:
    """One schema step: ``version`` is the ``user_version`` once its statements have run."""

    version: int
    summary: str
    statements: tuple[str, ...]


# History is never rewritten: plan versions, rosters and publications can be added, not changed.
# The triggers make that a property of the file, not only of this module's code.
_IMMUTABLE = tuple(
    f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
    f"BEGIN SELECT RAISE(ABORT, '{table} are kept as written'); END"
    for table in ("plans", "rosters", "publications")
    for action in ("UPDATE", "DELETE")
)

MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "events, plan versions, rosters and publications",
        (
            """CREATE TABLE events (
                event_id TEXT PRIMARY KEY,
                created_at TEXT NOT NULL
            ) STRICT""",
            """CREATE TABLE plans (
                plan_id INTEGER PRIMARY KEY,
                event_id TEXT NOT NULL REFERENCES events (event_id),
                version INTEGER NOT NULL,
                name TEXT NOT NULL,
                plan_json TEXT NOT NULL,
                plan_hash TEXT NOT NULL,
                created_at TEXT NOT NULL,
                UNIQUE (event_id, version)
            ) STRICT""",
            """CREATE TABLE rosters (
                roster_id INTEGER PRIMARY KEY AUTOINCREMENT,
                event_id TEXT NOT NULL REFERENCES events (event_id),
                plan_id INTEGER NOT NULL REFERENCES plans (plan_id),
                result_json TEXT NOT NULL,
                status TEXT NOT NULL,
                headcount INTEGER NOT NULL,
                lower_bound INTEGER NOT NULL,
                gap REAL NOT NULL,
                seed INTEGER NOT NULL,
                workers INTEGER NOT NULL,
                time_limit_s REAL NOT NULL,
                replications INTEGER NOT NULL,
                versions_json TEXT NOT NULL,
                created_at TEXT NOT NULL
            ) STRICT""",
            """CREATE TABLE publications (
                publication_id INTEGER PRIMARY KEY,
                event_id TEXT NOT NULL REFERENCES events (event_id),
                roster_id INTEGER NOT NULL REFERENCES rosters (roster_id),
                published_at TEXT NOT NULL
            ) STRICT""",
            "CREATE INDEX rosters_by_event ON rosters (event_id, roster_id)",
            "CREATE INDEX publications_by_event ON publications (event_id, publication_id)",
            *_IMMUTABLE,
        ),
    ),
    Migration(
        2,
        "where a roster came from: a plan, or a re-plan of a published roster, with its diff",
        (
            # Rosters written before re-planning existed all came from a plan.
            "ALTER TABLE rosters ADD COLUMN origin TEXT NOT NULL DEFAULT 'plan' "
            "CHECK (origin IN ('plan', 'replan'))",
            "ALTER TABLE rosters ADD COLUMN base_roster_id INTEGER REFERENCES rosters (roster_id)",
            # The re-plan's diff and conflicts as JSON (the caller's format); NULL for plans.
            "ALTER TABLE rosters ADD COLUMN replan_json TEXT",
            "CREATE INDEX rosters_by_base ON rosters (base_roster_id)",
        ),
    ),
)

SCHEMA_VERSION = MIGRATIONS[-1].version


def user_version(conn: sqlite3.Connection) -> int:
    version: int = conn.execute("PRAGMA user_version").fetchone()[0]
    return version


def migrate(conn: sqlite3.Connection, target: int = SCHEMA_VERSION, source: str = "store") -> int:
    """Apply the steps above the store's version up to ``target``; returns the version reached.

    ``conn`` must be in autocommit mode (``isolation_level=None``): each step runs in its own
    explicit transaction. Raises ``SchemaTooNew`` for a store written by a newer optimiser.
    """
    if user_version(conn) > SCHEMA_VERSION:
        raise SchemaTooNew(source, user_version(conn), SCHEMA_VERSION)
    for step in MIGRATIONS:
        if step.version > target:
            break
        if user_version(conn) >= step.version:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have applied the step while this one waited for the lock.
            if user_version(conn) < step.version:
                for statement in step.statements:
                    conn.execute(statement)
                # user_version is in the database header, written by this same transaction.
                conn.execute(f"PRAGMA user_version = {step.version:d}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return user_version(conn)
