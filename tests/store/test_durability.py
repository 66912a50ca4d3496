"""A process killed in the middle of a store write, and two processes writing at once.

The writer runs in a child process. To kill it while its transaction is open, the store's
write hook (``on_write_step``) makes it print a line and sleep at a named step before the commit;
the test SIGKILLs it on that line, so the kill lands inside the transaction every time, not by
luck of timing. Then the store is reopened: the earlier state must be whole, the killed write
absent, and SQLite's integrity check clean.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from optimizer.store import EventStatus, PlanStore, StoreError

from .records import plan_text, record, result_text

ROOT = Path(__file__).resolve().parents[2]

CHILD = textwrap.dedent(
    """
    import sys, time
    sys.path.insert(0, {root!r})
    from tests.store.records import plan_text, record
    from optimizer.store import PlanStore

    path, stop_at, action = sys.argv[1:4]

    def hook(step):
        if step == stop_at:
            print("inside " + step, flush=True)
            time.sleep(120)

    store = PlanStore(path, on_write_step=hook)
    if action == "new-event":
        store.add_plan("cup", plan_text(1, "cup"), "cup")
    elif action == "new-version":
        store.add_plan("match", plan_text(5000, "match"), "match")
    elif action == "publish-replan":
        # A large result: a roster of thousands of shifts spans many database pages.
        replan = record(7, size=20000, origin="replan", base_roster_id=1, replan_json="{{}}")
        store.add_roster("match", 2, replan, publish=True)
    elif action == "publish":
        store.publish(2)
    print("committed", flush=True)
    """
)


def _earlier_state(path: Path) -> None:
    """Event ``match``: plan versions 1 and 2, roster 1 (published, v1), roster 2 (v2)."""
    with PlanStore(path) as store:
        store.add_plan("match", plan_text(4000, "match"), "match")
        store.add_roster("match", 1, record(1, size=500), publish=True)
        store.add_plan("match", plan_text(4400, "match"), "match")
        store.add_roster("match", 2, record(2, size=500))


def _snapshot(path: Path) -> dict[str, object]:
    with PlanStore(path) as store:
        assert store.integrity_check() == "ok"
        return {
            "events": [
                (e.event_id, e.latest_version, e.published_roster_id) for e in store.events()
            ],
            "versions": [(v.version, v.plan_hash) for v in store.plan_versions("match")],
            "rosters": [(r.roster_id, r.result_json) for r in map(store.roster, (1, 2))],
            "publications": [p.roster_id for p in store.publications("match")],
        }


@pytest.mark.parametrize(
    ("action", "step"),
    [
        ("new-event", "event"),  # the event row written, its first plan version not yet
        ("new-event", "plan"),
        ("new-version", "plan"),
        ("publish-replan", "roster"),  # the roster written, its publication not yet
        ("publish-replan", "publication"),
        ("publish", "publication"),
    ],
)
def test_a_write_killed_inside_its_transaction_leaves_the_earlier_state(
    tmp_path: Path, action: str, step: str
) -> None:
    path = tmp_path / "plans.db"
    _earlier_state(path)
    before = _snapshot(path)
    script = CHILD.format(root=str(ROOT))
    child = subprocess.Popen(
        [sys.executable, "-c", script, str(path), step, action],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        line = child.stdout.readline()
        assert line == f"inside {step}\n", child.stderr.read() if child.stderr else ""
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.kill()
        child.communicate()
    assert child.returncode == -signal.SIGKILL
    assert _snapshot(path) == before
    with PlanStore(path) as store:
        # Still writable, and the write the killed process attempted now goes through whole.
        store.add_roster("match", 2, record(9, origin="replan", base_roster_id=1), publish=True)
        assert store.event("match").status is EventStatus.UP_TO_DATE
        assert store.integrity_check() == "ok"


def test_the_same_write_without_a_kill_commits(tmp_path: Path) -> None:
    """The child above does write when left alone: the kill is what the first test measures."""
    path = tmp_path / "plans.db"
    _earlier_state(path)
    script = CHILD.format(root=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-c", script, str(path), "never", "publish-replan"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stdout == "committed\n"
    with PlanStore(path) as store:
        published = store.published("match")
        assert (published.roster_id, published.result_json) == (3, result_text(7, 20000))


WRITER = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, {root!r})
    from tests.store.records import plan_text, record
    from optimizer.store import PlanStore

    path, worker, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    with PlanStore(path) as store:
        for i in range(count):
            tag = 1000 * worker + i
            version, _ = store.add_plan("match", plan_text(tag, "match"), "match")
            store.add_roster("match", version.version, record(tag, size=200), publish=True)
    """
)


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "plans.db"
    count = 25
    script = WRITER.format(root=str(ROOT))
    children = [
        subprocess.Popen([sys.executable, "-c", script, str(path), str(w), str(count)])
        for w in (1, 2)
    ]
    for child in children:
        assert child.wait(timeout=120) == 0
    with PlanStore(path) as store:
        assert store.integrity_check() == "ok"
        versions = store.plan_versions("match")
        # Each process's versions numbered without gaps or duplicates, interleaved in any order.
        assert [v.version for v in versions] == list(range(1, 2 * count + 1))
        tags = sorted(json.loads(v.plan_json)["crowd"]["attendance"] for v in versions)
        assert tags == sorted(1000 * w + i for w in (1, 2) for i in range(count))
        rosters = store.rosters("match")
        assert len(rosters) == 2 * count
        for listed in rosters:
            roster = store.roster(listed.roster_id)
            # Every roster was stored whole, for the plan version its writer had just added.
            assert roster.result_json == result_text(roster.seed, 200)
            version = store.plan_version("match", roster.plan_version)
            assert json.loads(version.plan_json)["crowd"]["attendance"] == roster.seed
        assert len(store.publications("match")) == 2 * count


LOOPER = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, {root!r})
    from tests.store.records import plan_text, record
    from optimizer.store import PlanStore

    store = PlanStore(sys.argv[1])
    tag = 0
    while True:
        tag += 1
        version, _ = store.add_plan("match", plan_text(tag, "match"), "match")
        store.add_roster("match", version.version, record(tag, size=3000), publish=True)
        print(tag, flush=True)
    """
)


@pytest.mark.parametrize("after", [3, 8])
def test_a_writer_killed_at_any_moment_leaves_only_whole_writes(tmp_path: Path, after: int) -> None:
    """No hook here: the kill lands wherever the writer is (often inside a commit), after it
    has reported ``after`` commits. Whatever it is, every stored write is whole."""
    path = tmp_path / "plans.db"
    child = subprocess.Popen(
        [sys.executable, "-c", LOOPER.format(root=str(ROOT)), str(path)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        for _ in range(after):
            reported = int(child.stdout.readline())
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.kill()
        child.communicate()
    with PlanStore(path) as store:
        assert store.integrity_check() == "ok"
        versions = store.plan_versions("match")
        rosters = [store.roster(r.roster_id) for r in store.rosters("match")]
        # Nothing reported committed is lost; at most the write under way is missing.
        assert reported <= len(versions) <= reported + 1
        assert len(versions) - 1 <= len(rosters) <= len(versions)
        for roster in rosters:
            assert roster.result_json == result_text(roster.seed, 3000)
            assert roster.plan_version == roster.seed
        assert store.published("match").roster_id == rosters[-1].roster_id


def test_a_held_write_lock_delays_writers_not_readers(tmp_path: Path) -> None:
    path = tmp_path / "plans.db"
    _earlier_state(path)
    before = _snapshot(path)
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD.format(root=str(ROOT)), str(path), "plan", "new-version"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline() == "inside plan\n"
        # The child sits inside its write transaction: reads see the state before it...
        assert _snapshot(path) == before
        # ...and a writer gives up after its busy timeout, saying why.
        with PlanStore(path, busy_timeout_s=0.2) as store:
            with pytest.raises(StoreError, match="is busy: another process held its write lock"):
                store.publish(2)
            assert store.published("match").roster_id == 1
    finally:
        child.kill()
        child.communicate()
