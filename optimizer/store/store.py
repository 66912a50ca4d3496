"""``PlanStore``: every plan version, every roster and every publication of each event, in SQLite.

The store keeps text and figures only: a plan is its canonical JSON text (the EventPlan message
in JSON form, keys sorted) with a SHA-256 content hash, a roster is its result as JSON text (the
PlanResult message) beside the figures a listing needs. Converting messages is the callers' job,
so this package imports neither protobuf nor the solver.

Durability: WAL journal with ``synchronous=FULL``, so a committed write survives a crash or a
power cut, and every write is one ``BEGIN IMMEDIATE`` ... ``COMMIT`` transaction, so a process
killed in the middle of one leaves the store exactly as it was before it. Concurrency: writers
in other processes wait for the write lock up to ``busy_timeout_s``; readers never wait (WAL).
Within a process one connection is shared under a lock, so threads of a server may share a
``PlanStore``.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from optimizer.errors import InvalidInput, Violation
from optimizer.store.errors import NotFound, NothingPublished, SchemaTooNew, StoreError
from optimizer.store.schema import SCHEMA_VERSION, migrate, user_version

# Letters, digits and . _ : - ; starting with a letter or digit: safe in file names, URLs, logs.
EVENT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")
ORIGINS = ("plan", "replan")
DEFAULT_BUSY_TIMEOUT_S = 30.0

WriteHook = Callable[[str], None]


def check_event_id(event_id: str, field: str = "event_id") -> str:
    """``event_id`` itself, or InvalidInput naming ``field`` and the value."""
    if not EVENT_ID.fullmatch(event_id):
        raise InvalidInput(
            [
                Violation(
                    field,
                    f"{event_id!r} is not an event id: 1 to 128 letters, digits or . _ : -, "
                    "starting with a letter or digit",
                )
            ]
        )
    return event_id


def canonical_json(text: str, field: str = "plan") -> str:
    """``text`` re-written with sorted keys and no spaces, so equal documents are equal text."""
    try:
        document = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise InvalidInput([Violation(field, f"not JSON: {exc}")]) from exc
    if not isinstance(document, dict):
        raise InvalidInput(
            [Violation(field, f"must be a JSON object, got {type(document).__name__}")]
        )
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_hash(canonical: str) -> str:
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


@dataclass(frozen=True)
class PlanVersion:
    """One version of an event's plan; versions count 1, 2, ... per event."""

    event_id: str
    version: int
    name: str
    plan_json: str
    plan_hash: str
    created_at: str


@dataclass(frozen=True)
class RosterRecord:
    """A roster to store: the result as JSON text and the figures listings show.

    ``origin`` is ``"plan"`` or ``"replan"``; a re-plan names the published roster it started
    from (``base_roster_id``) and may carry its diff and conflicts as JSON (``replan_json``).
    """

    result_json: str
    status: str
    headcount: int
    lower_bound: int
    gap: float
    seed: int
    workers: int
    time_limit_s: float
    replications: int
    versions: tuple[tuple[str, str], ...]
    origin: str = "plan"
    base_roster_id: int | None = None
    replan_json: str | None = None


@dataclass(frozen=True)
class StoredRoster:
    """A roster as stored. ``result_json`` is empty in listings (``PlanStore.rosters``)."""

    roster_id: int
    event_id: str
    plan_version: int
    plan_hash: str
    created_at: str
    origin: str
    base_roster_id: int | None
    status: str
    headcount: int
    lower_bound: int
    gap: float
    seed: int
    workers: int
    time_limit_s: float
    replications: int
    versions: tuple[tuple[str, str], ...]
    result_json: str
    replan_json: str | None
    published: bool


@dataclass(frozen=True)
class Publication:
    event_id: str
    roster_id: int
    published_at: str


class EventStatus(enum.Enum):
    """Where an event stands between its latest plan version and its published roster."""

    NOTHING_PUBLISHED = "nothing published"
    # The published roster was made for a plan equal to the latest version.
    UP_TO_DATE = "up to date"
    # The latest plan differs from the published roster's and no re-plan of it has been made.
    DUE = "due"
    # A re-plan of the latest plan against the published roster is stored but not published.
    AWAITING_PUBLICATION = "awaiting publication"


@dataclass(frozen=True)
class EventState:
    """One event: its plan versions and its published roster, and so whether it is due."""

    event_id: str
    name: str
    created_at: str
    plan_versions: int
    latest_version: int
    latest_hash: str
    published_roster_id: int | None
    published_plan_version: int | None
    published_at: str | None
    pending_roster_id: int | None
    status: EventStatus


_ROSTER_COLUMNS = """
    r.roster_id, r.event_id, p.version, p.plan_hash, r.created_at, r.origin, r.base_roster_id,
    r.status, r.headcount, r.lower_bound, r.gap, r.seed, r.workers, r.time_limit_s,
    r.replications, r.versions_json, {result}, r.replan_json,
    r.roster_id = (SELECT q.roster_id FROM publications q WHERE q.event_id = r.event_id
                   ORDER BY q.publication_id DESC LIMIT 1)
"""


def _roster(row: Sequence[Any]) -> StoredRoster:
    versions = tuple((str(k), str(v)) for k, v in json.loads(row[15]))
    return StoredRoster(
        roster_id=row[0],
        event_id=row[1],
        plan_version=row[2],
        plan_hash=row[3],
        created_at=row[4],
        origin=row[5],
        base_roster_id=row[6],
        status=row[7],
        headcount=row[8],
        lower_bound=row[9],
        gap=row[10],
        seed=row[11],
        workers=row[12],
        time_limit_s=row[13],
        replications=row[14],
        versions=versions,
        result_json=row[16],
        replan_json=row[17],
        published=bool(row[18]),
    )


class PlanStore:
    """The plan store in the SQLite file ``path``, created if absent, upgraded if older.

    Parameters
    ----------
    path
        The database file. Its directory must exist.
    busy_timeout_s
        How long a write waits for another process's write to finish before giving up.
    on_write_step
        Called with a step name inside each write transaction, after each row is written and
        before the commit: a fault-injection point for tests that kill a process mid-write.

    Raises
    ------
    StoreError
        The file is not a plan store, cannot be opened, or (``SchemaTooNew``) was written by a
        newer optimiser.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        busy_timeout_s: float = DEFAULT_BUSY_TIMEOUT_S,
        on_write_step: WriteHook | None = None,
    ) -> None:
        self.path = Path(path)
        self.busy_timeout_s = busy_timeout_s
        self._on_write_step = on_write_step
        self._lock = threading.RLock()
        try:
            # Autocommit mode: transactions are the explicit BEGIN IMMEDIATE ... COMMIT below,
            # not the sqlite3 module's implicit ones.
            self._conn = sqlite3.connect(
                self.path,
                timeout=busy_timeout_s,
                isolation_level=None,
                check_same_thread=False,
            )
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the store {str(self.path)!r}: {exc}") from exc
        try:
            self._configure()
            migrate(self._conn, source=f"the store {str(self.path)!r}")
        except BaseException:
            self._conn.close()
            raise

    def _configure(self) -> None:
        conn = self._conn
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_s * 1000):d}")
            found = user_version(conn)
            if found > SCHEMA_VERSION:
                # Refused before anything is written, even the journal mode in the header.
                raise SchemaTooNew(f"the store {str(self.path)!r}", found, SCHEMA_VERSION)
            mode = self._enter_wal()
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise StoreError(
                    f"the store {str(self.path)!r} stayed locked by another process for "
                    f"{self.busy_timeout_s:g} s: {exc}"
                ) from exc
            raise StoreError(
                f"{str(self.path)!r} is not a plan store (not an SQLite database): {exc}"
            ) from exc
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"{str(self.path)!r} is not a plan store (not an SQLite database): {exc}"
            ) from exc
        if str(mode).lower() != "wal":
            # WAL needs shared memory, which some network file systems lack.
            raise StoreError(
                f"cannot use the store {str(self.path)!r} with a write-ahead log "
                f"(journal mode stays {mode!r}); keep it on a local file system"
            )

    def _enter_wal(self) -> object:
        """Switch to the write-ahead log, waiting out other processes doing the same.

        Changing the journal mode needs the database to itself and SQLite reports "database is
        locked" at once, without its busy handler, when another process opens the same new store
        at that moment; so the switch is retried here until ``busy_timeout_s`` runs out.
        """
        deadline = time.monotonic() + self.busy_timeout_s
        pause = 0.005
        while True:
            try:
                return self._conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            except sqlite3.OperationalError as exc:
                busy = "locked" in str(exc) or "busy" in str(exc)
                if not busy or time.monotonic() >= deadline:
                    raise
                time.sleep(pause)
                pause = min(pause * 2, 0.2)

    # ---- lifecycle -------------------------------------------------------------------------

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> PlanStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        with self._lock:
            return user_version(self._conn)

    # ---- transactions ----------------------------------------------------------------------

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: all of it is committed, or none of it."""
        with self._lock:
            conn = self._conn
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise StoreError(
                    f"the store {str(self.path)!r} is busy: another process held its write lock "
                    f"for more than {self.busy_timeout_s:g} s ({exc})"
                ) from exc
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """A consistent snapshot for queries of several statements."""
        with self._lock:
            conn = self._conn
            conn.execute("BEGIN")
            try:
                yield conn
            finally:
                if conn.in_transaction:
                    conn.execute("COMMIT")

    def _step(self, name: str) -> None:
        if self._on_write_step is not None:
            self._on_write_step(name)

    # ---- plans -----------------------------------------------------------------------------

    def add_plan(self, event_id: str, plan_json: str, name: str = "") -> tuple[PlanVersion, bool]:
        """Store ``plan_json`` as the event's next plan version, creating the event if new.

        A plan equal (as JSON) to the event's latest version is not stored again: that version
        is returned with False. A plan equal to an older version is a new version (the plan went
        back), whose hash equals the older one's.
        """
        check_event_id(event_id)
        canonical = canonical_json(plan_json)
        digest = content_hash(canonical)
        with self._write() as conn:
            latest = self._latest_plan(conn, event_id)
            if latest is not None and latest.plan_hash == digest:
                return latest, False
            now = _now()
            if latest is None:
                conn.execute(
                    "INSERT OR IGNORE INTO events (event_id, created_at) VALUES (?, ?)",
                    (event_id, now),
                )
                self._step("event")
            version = 1 if latest is None else latest.version + 1
            conn.execute(
                "INSERT INTO plans (event_id, version, name, plan_json, plan_hash, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (event_id, version, name, canonical, digest, now),
            )
            self._step("plan")
            return PlanVersion(event_id, version, name, canonical, digest, now), True

    @staticmethod
    def _latest_plan(conn: sqlite3.Connection, event_id: str) -> PlanVersion | None:
        row = conn.execute(
            "SELECT event_id, version, name, plan_json, plan_hash, created_at FROM plans "
            "WHERE event_id = ? ORDER BY version DESC LIMIT 1",
            (event_id,),
        ).fetchone()
        return None if row is None else PlanVersion(*row)

    def latest_plan(self, event_id: str) -> PlanVersion:
        """The event's newest plan version; NotFound for an unknown event."""
        with self._lock:
            found = self._latest_plan(self._conn, event_id)
        if found is None:
            raise NotFound(f"no event {event_id!r} in the store")
        return found

    def plan_version(self, event_id: str, version: int) -> PlanVersion:
        with self._lock:
            row = self._conn.execute(
                "SELECT event_id, version, name, plan_json, plan_hash, created_at FROM plans "
                "WHERE event_id = ? AND version = ?",
                (event_id, version),
            ).fetchone()
        if row is None:
            self._require_event(event_id)
            raise NotFound(f"event {event_id!r} has no plan version {version}")
        return PlanVersion(*row)

    def plan_versions(self, event_id: str) -> list[PlanVersion]:
        """Every version of the event's plan, oldest first."""
        with self._read() as conn:
            self._require_event(event_id, conn)
            rows = conn.execute(
                "SELECT event_id, version, name, plan_json, plan_hash, created_at FROM plans "
                "WHERE event_id = ? ORDER BY version",
                (event_id,),
            ).fetchall()
        return [PlanVersion(*row) for row in rows]

    def _require_event(self, event_id: str, conn: sqlite3.Connection | None = None) -> None:
        with self._lock:
            row = (
                (conn or self._conn)
                .execute("SELECT 1 FROM events WHERE event_id = ?", (event_id,))
                .fetchone()
            )
        if row is None:
            raise NotFound(f"no event {event_id!r} in the store")

    # ---- rosters ---------------------------------------------------------------------------

    def add_roster(
        self, event_id: str, plan_version: int, record: RosterRecord, *, publish: bool = False
    ) -> StoredRoster:
        """Store ``record`` as a roster made for the event's ``plan_version``; with ``publish``,
        publish it in the same transaction."""
        if record.origin not in ORIGINS:
            raise InvalidInput([Violation("origin", f"{record.origin!r} is not one of {ORIGINS}")])
        if (record.origin == "replan") != (record.base_roster_id is not None):
            raise InvalidInput(
                [Violation("base_roster_id", "a re-plan names its base roster; a plan does not")]
            )
        canonical_json(record.result_json, "result_json")
        if record.replan_json is not None:
            canonical_json(record.replan_json, "replan_json")
        with self._write() as conn:
            row = conn.execute(
                "SELECT plan_id FROM plans WHERE event_id = ? AND version = ?",
                (event_id, plan_version),
            ).fetchone()
            if row is None:
                self._require_event(event_id, conn)
                raise NotFound(f"event {event_id!r} has no plan version {plan_version}")
            if record.base_roster_id is not None:
                self._roster_event(conn, record.base_roster_id, event_id)
            cursor = conn.execute(
                "INSERT INTO rosters (event_id, plan_id, result_json, status, headcount, "
                "lower_bound, gap, seed, workers, time_limit_s, replications, versions_json, "
                "created_at, origin, base_roster_id, replan_json) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    event_id,
                    row[0],
                    record.result_json,
                    record.status,
                    record.headcount,
                    record.lower_bound,
                    record.gap,
                    record.seed,
                    record.workers,
                    record.time_limit_s,
                    record.replications,
                    json.dumps([list(pair) for pair in record.versions]),
                    _now(),
                    record.origin,
                    record.base_roster_id,
                    record.replan_json,
                ),
            )
            roster_id = cursor.lastrowid
            assert roster_id is not None
            self._step("roster")
            if publish:
                self._publish(conn, event_id, roster_id)
            return self._load_roster(conn, roster_id, with_result=True)

    def _roster_event(self, conn: sqlite3.Connection, roster_id: int, event_id: str) -> None:
        row = conn.execute(
            "SELECT event_id FROM rosters WHERE roster_id = ?", (roster_id,)
        ).fetchone()
        if row is None:
            raise NotFound(f"no roster {roster_id} in the store")
        if row[0] != event_id:
            raise InvalidInput(
                [
                    Violation(
                        "base_roster_id",
                        f"roster {roster_id} belongs to event {row[0]!r}, not {event_id!r}",
                    )
                ]
            )

    @staticmethod
    def _load_roster(conn: sqlite3.Connection, roster_id: int, with_result: bool) -> StoredRoster:
        columns = _ROSTER_COLUMNS.format(result="r.result_json" if with_result else "''")
        row = conn.execute(
            f"SELECT {columns} FROM rosters r JOIN plans p ON p.plan_id = r.plan_id "
            "WHERE r.roster_id = ?",
            (roster_id,),
        ).fetchone()
        if row is None:
            raise NotFound(f"no roster {roster_id} in the store")
        return _roster(row)

    def roster(self, roster_id: int) -> StoredRoster:
        """The roster with its result; NotFound for an unknown id."""
        with self._read() as conn:
            return self._load_roster(conn, roster_id, with_result=True)

    def rosters(self, event_id: str) -> list[StoredRoster]:
        """The event's rosters, oldest first, without their results (``result_json`` empty)."""
        columns = _ROSTER_COLUMNS.format(result="''")
        with self._read() as conn:
            self._require_event(event_id, conn)
            rows = conn.execute(
                f"SELECT {columns} FROM rosters r JOIN plans p ON p.plan_id = r.plan_id "
                "WHERE r.event_id = ? ORDER BY r.roster_id",
                (event_id,),
            ).fetchall()
        return [_roster(row) for row in rows]

    def published(self, event_id: str) -> StoredRoster:
        """The event's published roster with its result.

        Raises NotFound for an unknown event, NothingPublished when none is published.
        """
        with self._read() as conn:
            self._require_event(event_id, conn)
            roster_id = self._published_id(conn, event_id)
            if roster_id is None:
                raise NothingPublished(f"event {event_id!r} has no published roster")
            return self._load_roster(conn, roster_id, with_result=True)

    @staticmethod
    def _published_id(conn: sqlite3.Connection, event_id: str) -> int | None:
        row = conn.execute(
            "SELECT roster_id FROM publications WHERE event_id = ? "
            "ORDER BY publication_id DESC LIMIT 1",
            (event_id,),
        ).fetchone()
        return None if row is None else int(row[0])

    # ---- publication -----------------------------------------------------------------------

    def publish(self, roster_id: int) -> Publication:
        """Make ``roster_id`` its event's published roster. Publishing the roster already
        published changes nothing; the publications before stay in the history."""
        with self._write() as conn:
            row = conn.execute(
                "SELECT event_id FROM rosters WHERE roster_id = ?", (roster_id,)
            ).fetchone()
            if row is None:
                raise NotFound(f"no roster {roster_id} in the store")
            return self._publish(conn, row[0], roster_id)

    def _publish(self, conn: sqlite3.Connection, event_id: str, roster_id: int) -> Publication:
        current = conn.execute(
            "SELECT roster_id, published_at FROM publications WHERE event_id = ? "
            "ORDER BY publication_id DESC LIMIT 1",
            (event_id,),
        ).fetchone()
        if current is not None and current[0] == roster_id:
            return Publication(event_id, roster_id, current[1])
        now = _now()
        conn.execute(
            "INSERT INTO publications (event_id, roster_id, published_at) VALUES (?, ?, ?)",
            (event_id, roster_id, now),
        )
        self._step("publication")
        return Publication(event_id, roster_id, now)

    def publications(self, event_id: str) -> list[Publication]:
        """Every publication of the event, oldest first; the last is the one in force."""
        with self._read() as conn:
            self._require_event(event_id, conn)
            rows = conn.execute(
                "SELECT event_id, roster_id, published_at FROM publications "
                "WHERE event_id = ? ORDER BY publication_id",
                (event_id,),
            ).fetchall()
        return [Publication(*row) for row in rows]

    # ---- events ----------------------------------------------------------------------------

    def events(self) -> list[EventState]:
        """Every event with its state, by event id."""
        with self._read() as conn:
            ids = [r[0] for r in conn.execute("SELECT event_id FROM events ORDER BY event_id")]
            return [self._event_state(conn, event_id) for event_id in ids]

    def event(self, event_id: str) -> EventState:
        with self._read() as conn:
            self._require_event(event_id, conn)
            return self._event_state(conn, event_id)

    def _event_state(self, conn: sqlite3.Connection, event_id: str) -> EventState:
        created_at, count = conn.execute(
            "SELECT e.created_at, (SELECT count(*) FROM plans p WHERE p.event_id = e.event_id) "
            "FROM events e WHERE e.event_id = ?",
            (event_id,),
        ).fetchone()
        latest = self._latest_plan(conn, event_id)
        assert latest is not None  # an event is created with its first plan version
        published = conn.execute(
            "SELECT q.roster_id, p.version, p.plan_hash, q.published_at FROM publications q "
            "JOIN rosters r ON r.roster_id = q.roster_id JOIN plans p ON p.plan_id = r.plan_id "
            "WHERE q.event_id = ? ORDER BY q.publication_id DESC LIMIT 1",
            (event_id,),
        ).fetchone()
        pending: int | None = None
        if published is None:
            status = EventStatus.NOTHING_PUBLISHED
        elif published[2] == latest.plan_hash:
            status = EventStatus.UP_TO_DATE
        else:
            row = conn.execute(
                "SELECT r.roster_id FROM rosters r JOIN plans p ON p.plan_id = r.plan_id "
                "WHERE r.event_id = ? AND r.origin = 'replan' AND r.base_roster_id = ? "
                "AND p.plan_hash = ? ORDER BY r.roster_id DESC LIMIT 1",
                (event_id, published[0], latest.plan_hash),
            ).fetchone()
            pending = None if row is None else int(row[0])
            status = EventStatus.DUE if pending is None else EventStatus.AWAITING_PUBLICATION
        return EventState(
            event_id=event_id,
            name=latest.name,
            created_at=created_at,
            plan_versions=count,
            latest_version=latest.version,
            latest_hash=latest.plan_hash,
            published_roster_id=None if published is None else published[0],
            published_plan_version=None if published is None else published[1],
            published_at=None if published is None else published[3],
            pending_roster_id=pending,
            status=status,
        )

    def integrity_check(self) -> str:
        """SQLite's own check of the file: ``"ok"`` when sound."""
        with self._lock:
            rows = self._conn.execute("PRAGMA integrity_check").fetchall()
        return "\n".join(str(r[0]) for r in rows)


__all__ = [
    "SCHEMA_VERSION",
    "EventState",
    "EventStatus",
    "PlanStore",
    "PlanVersion",
    "Publication",
    "RosterRecord",
    "StoredRoster",
    "canonical_json",
    "check_event_id",
    "content_hash",
]
