"""The plan store's records: versions, rosters, publications and each event's state."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from optimizer.errors import InvalidInput
from optimizer.store import (
    EventStatus,
    NotFound,
    NothingPublished,
    PlanStore,
    canonical_json,
    content_hash,
)

from .records import plan_text, record


@pytest.fixture
def store(tmp_path: Path) -> Iterator[PlanStore]:
    with PlanStore(tmp_path / "plans.db") as opened:
        yield opened


def test_an_equal_plan_is_not_a_new_version_but_going_back_is(store: PlanStore) -> None:
    first, created = store.add_plan("match", plan_text(4000, "match"), "match")
    assert (first.version, created) == (1, True)
    # Same document, other key order and spacing: the same canonical text, no new version.
    reordered = json.dumps({"crowd": {"attendance": 4000}, "name": "match"}, indent=4)
    again, created = store.add_plan("match", reordered, "match")
    assert (again.version, created) == (1, False)
    second, created = store.add_plan("match", plan_text(4400, "match"), "match")
    assert (second.version, created) == (2, True)
    back, created = store.add_plan("match", plan_text(4000, "match"), "match")
    assert (back.version, created, back.plan_hash) == (3, True, first.plan_hash)
    assert [v.version for v in store.plan_versions("match")] == [1, 2, 3]
    assert store.latest_plan("match") == back
    assert first.plan_hash == content_hash(canonical_json(plan_text(4000, "match")))


def test_rosters_publications_and_event_states(store: PlanStore) -> None:
    store.add_plan("match", plan_text(4000), "match")
    assert store.event("match").status is EventStatus.NOTHING_PUBLISHED
    with pytest.raises(NothingPublished):
        store.published("match")
    first = store.add_roster("match", 1, record(1))
    assert not first.published and store.event("match").status is EventStatus.NOTHING_PUBLISHED
    store.publish(first.roster_id)
    assert store.event("match").status is EventStatus.UP_TO_DATE
    assert store.published("match").result_json == first.result_json

    store.add_plan("match", plan_text(4400), "match")
    state = store.event("match")
    assert (state.status, state.latest_version, state.published_plan_version) == (
        EventStatus.DUE,
        2,
        1,
    )
    # A plain plan of the new version does not settle the due re-plan; a re-plan does.
    store.add_roster("match", 2, record(2))
    assert store.event("match").status is EventStatus.DUE
    replan = store.add_roster(
        "match", 2, record(3, origin="replan", base_roster_id=first.roster_id)
    )
    state = store.event("match")
    assert (state.status, state.pending_roster_id) == (
        EventStatus.AWAITING_PUBLICATION,
        replan.roster_id,
    )
    store.publish(replan.roster_id)
    assert store.event("match").status is EventStatus.UP_TO_DATE
    # Publishing the roster in force again adds nothing; going back to the first is history.
    store.publish(replan.roster_id)
    store.publish(first.roster_id)
    assert [p.roster_id for p in store.publications("match")] == [1, 3, 1]
    # Roster 3 re-planned the latest plan from roster 1, in force again: it awaits again.
    assert store.event("match").status is EventStatus.AWAITING_PUBLICATION
    listed = store.rosters("match")
    assert [r.roster_id for r in listed] == [1, 2, 3]
    assert [r.published for r in listed] == [True, False, False]
    assert all(r.result_json == "" for r in listed)
    assert [r.origin for r in listed] == ["plan", "plan", "replan"]


def test_publish_with_the_roster_is_one_write(store: PlanStore) -> None:
    store.add_plan("match", plan_text(4000))
    roster = store.add_roster("match", 1, record(1), publish=True)
    assert roster.published
    assert store.published("match").roster_id == roster.roster_id


def test_unknown_things_are_not_found(store: PlanStore) -> None:
    store.add_plan("match", plan_text(4000))
    with pytest.raises(NotFound, match="no event 'cup'"):
        store.event("cup")
    with pytest.raises(NotFound, match="no event 'cup'"):
        store.published("cup")
    with pytest.raises(NotFound, match="no roster 9"):
        store.roster(9)
    with pytest.raises(NotFound, match="no roster 9"):
        store.publish(9)
    with pytest.raises(NotFound, match="no plan version 4"):
        store.add_roster("match", 4, record(1))
    with pytest.raises(NotFound, match="no event 'cup'"):
        store.add_roster("cup", 1, record(1))


def test_bad_input_names_the_field(store: PlanStore) -> None:
    with pytest.raises(InvalidInput, match="event_id: 'a b' is not an event id"):
        store.add_plan("a b", plan_text(1))
    with pytest.raises(InvalidInput, match="plan: not JSON"):
        store.add_plan("match", "{")
    with pytest.raises(InvalidInput, match="plan: must be a JSON object, got list"):
        store.add_plan("match", "[]")
    store.add_plan("match", plan_text(1))
    store.add_plan("cup", plan_text(1))
    other = store.add_roster("cup", 1, record(1))
    with pytest.raises(InvalidInput, match="belongs to event 'cup'"):
        store.add_roster("match", 1, record(2, origin="replan", base_roster_id=other.roster_id))
    with pytest.raises(InvalidInput, match="base_roster_id"):
        store.add_roster("match", 1, record(2, origin="replan"))
    with pytest.raises(InvalidInput, match="result_json: not JSON"):
        store.add_roster("match", 1, replace(record(2), result_json="x"))
    assert store.rosters("match") == []


def test_history_cannot_be_rewritten(store: PlanStore, tmp_path: Path) -> None:
    store.add_plan("match", plan_text(4000))
    store.add_roster("match", 1, record(1), publish=True)
    conn = sqlite3.connect(tmp_path / "plans.db")
    try:
        for statement in (
            "UPDATE plans SET plan_json = '{}'",
            "DELETE FROM rosters",
            "DELETE FROM publications",
        ):
            with pytest.raises(sqlite3.IntegrityError, match="kept as written"):
                conn.execute(statement)
    finally:
        conn.close()


def test_threads_share_one_store(store: PlanStore) -> None:
    store.add_plan("match", plan_text(0))
    errors: list[BaseException] = []

    def write(worker: int) -> None:
        try:
            for i in range(20):
                store.add_plan("match", plan_text(1000 * worker + i + 1))
                store.events()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert [v.version for v in store.plan_versions("match")] == list(range(1, 82))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=10,
)


@settings(max_examples=50, deadline=None)
@given(st.dictionaries(st.text(max_size=4), json_values, max_size=5))
def test_canonical_text_is_the_same_for_equal_documents(document: dict[str, object]) -> None:
    spaced = json.dumps(document, indent=2)
    reversed_keys = json.dumps(dict(reversed(list(document.items()))))
    assert canonical_json(spaced) == canonical_json(reversed_keys)
    assert json.loads(canonical_json(spaced)) == document


def test_the_store_imports_no_protobuf_grpc_or_solver() -> None:
    code = (
        "import sys, optimizer.store, optimizer.store.report; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('google', 'grpc', 'ortools', 'simpy')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]"


operations = st.lists(
    st.one_of(
        st.tuples(st.just("plan"), st.integers(0, 2)),
        st.tuples(st.just("roster"), st.booleans()),
        st.tuples(st.just("publish"), st.integers(0, 20)),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=25, deadline=None)
@given(operations)
def test_event_states_follow_a_model_of_the_history(
    tmp_path_factory: pytest.TempPathFactory, ops: list[tuple[str, object]]
) -> None:
    """Random histories of plan versions (three possible contents), plain and re-plan rosters
    and publications, against a list-based model of what the store should answer."""
    versions: list[int] = []  # content of each version
    rosters: list[tuple[int, int | None]] = []  # (version index, base roster index or None)
    published: list[int] = []  # roster indexes, in order of publication
    path = tmp_path_factory.mktemp("model") / "plans.db"
    with PlanStore(path) as store:
        for op, arg in ops:
            if op == "plan":
                assert isinstance(arg, int)
                _, created = store.add_plan("e", plan_text(arg))
                assert created == (not versions or versions[-1] != arg)
                if created:
                    versions.append(arg)
            elif op == "roster" and versions:
                replan = bool(arg) and bool(published)
                base = published[-1] if replan else None
                stored = store.add_roster(
                    "e",
                    len(versions),
                    record(
                        len(rosters),
                        origin="replan" if replan else "plan",
                        base_roster_id=None if base is None else base + 1,
                    ),
                )
                assert stored.roster_id == len(rosters) + 1
                rosters.append((len(versions) - 1, base))
            elif op == "publish" and rosters:
                assert isinstance(arg, int)
                chosen = arg % len(rosters)
                store.publish(chosen + 1)
                if not published or published[-1] != chosen:
                    published.append(chosen)
        if not versions:
            assert store.events() == []
            return
        state = store.event("e")
        assert state.latest_version == len(versions)
        assert [p.roster_id - 1 for p in store.publications("e")] == published
        if not published:
            assert state.status is EventStatus.NOTHING_PUBLISHED
            return
        current = published[-1]
        if versions[rosters[current][0]] == versions[-1]:
            assert state.status is EventStatus.UP_TO_DATE
            return
        pending = [
            i
            for i, (version, base) in enumerate(rosters)
            if base == current and versions[version] == versions[-1]
        ]
        if pending:
            assert state.status is EventStatus.AWAITING_PUBLICATION
            assert state.pending_roster_id == pending[-1] + 1
        else:
            assert state.status is EventStatus.DUE
