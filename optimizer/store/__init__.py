"""The plan store: events, plan versions, rosters and publications in one SQLite file.

Text and figures only (no protobuf, no solver): callers convert their messages to JSON text.
See ``optimizer.store.store`` for durability and concurrency, ``optimizer.store.schema`` for
migrations.
"""

from optimizer.store.errors import NotFound, NothingPublished, SchemaTooNew, StoreError
from optimizer.store.schema import MIGRATIONS, SCHEMA_VERSION, migrate
from optimizer.store.store import (
    EventState,
    EventStatus,
    PlanStore,
    PlanVersion,
    Publication,
    RosterRecord,
    StoredRoster,
    canonical_json,
    check_event_id,
    content_hash,
)

__all__ = [
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "EventState",
    "EventStatus",
    "NotFound",
    "NothingPublished",
    "PlanStore",
    "PlanVersion",
    "Publication",
    "RosterRecord",
    "SchemaTooNew",
    "StoreError",
    "StoredRoster",
    "canonical_json",
    "check_event_id",
    "content_hash",
    "migrate",
]
