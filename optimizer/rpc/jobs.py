"""Jobs: plan runs that outlive the call that started them, kept for a bounded time.

A job runs on its own thread with its own stop event, so a client may submit, disconnect and
come back for the result; only ``cancel`` (or server shutdown) stops it. Finished jobs are kept
for ``retention_s`` and at most ``max_kept`` of them, oldest dropped first, so the memory the
results hold stays bounded; running jobs are bounded by the solve slots.
"""

from __future__ import annotations

import contextvars
import enum
import logging
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace

from google.rpc import code_pb2

from optimizer import pipeline
from optimizer.errors import Cancelled, InvalidInput
from optimizer.rpc.v1 import result_pb2

log = logging.getLogger(__name__)

# What a job runs: the plan flow with its progress handler and stop event bound in.
JobWork = Callable[[pipeline.ProgressHandler, threading.Event], result_pb2.PlanResult]


class JobState(enum.Enum):
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class JobSnapshot:
    """A job as it stood when read; safe to use outside the store's lock."""

    job_id: str
    plan_name: str
    state: JobState
    created_s: float
    ended_s: float | None = None
    progress: pipeline.Progress | None = None
    progress_elapsed_s: float = 0.0
    result: result_pb2.PlanResult | None = None
    error_code: int = 0
    error_message: str = ""
    # Digest of the submitter's bearer token (``auth.caller_identity``); None: no token.
    owner: str | None = None


def _error(exc: Exception, job_id: str) -> tuple[JobState, int, str]:
    if isinstance(exc, Cancelled):
        return JobState.CANCELLED, code_pb2.CANCELLED, "cancelled: the job was stopped on request"
    if isinstance(exc, InvalidInput):
        return JobState.FAILED, code_pb2.INVALID_ARGUMENT, f"invalid plan: {exc}"[:4000]
    error_id = uuid.uuid4().hex[:12]
    log.error("internal error %s in job %s", error_id, job_id, exc_info=exc)
    return JobState.FAILED, code_pb2.INTERNAL, f"internal error (id {error_id})"


class JobStore:
    """Running and finished jobs.

    Parameters
    ----------
    retention_s
        How long a finished job is kept.
    max_kept
        Most finished jobs kept; beyond it the oldest finished go first.
    """

    def __init__(self, retention_s: float = 3600.0, max_kept: int = 100) -> None:
        self._retention_s = retention_s
        self._max_kept = max_kept
        self._lock = threading.Lock()
        self._jobs: dict[str, JobSnapshot] = {}
        self._stops: dict[str, threading.Event] = {}
        self._threads: dict[str, threading.Thread] = {}

    def start(
        self,
        plan_name: str,
        work: JobWork,
        on_end: Callable[[], None],
        owner: str | None = None,
    ) -> JobSnapshot:
        """Run ``work`` on a new thread as a job; ``on_end`` is called when it has returned."""
        job_id = uuid.uuid4().hex
        stop = threading.Event()
        snapshot = JobSnapshot(job_id, plan_name, JobState.RUNNING, time.time(), owner=owner)
        started = time.monotonic()

        def on_progress(progress: pipeline.Progress) -> None:
            with self._lock:
                current = self._jobs.get(job_id)
                if current is not None and current.state is JobState.RUNNING:
                    self._jobs[job_id] = replace(
                        current, progress=progress, progress_elapsed_s=time.monotonic() - started
                    )

        def run() -> None:
            result: result_pb2.PlanResult | None = None
            state, code, message = JobState.SUCCEEDED, 0, ""
            try:
                result = work(on_progress, stop)
            except Exception as exc:
                state, code, message = _error(exc, job_id)
            finally:
                on_end()
            with self._lock:
                self._jobs[job_id] = replace(
                    self._jobs[job_id],
                    state=state,
                    ended_s=time.time(),
                    result=result,
                    error_code=code,
                    error_message=message,
                )
                del self._stops[job_id]
                del self._threads[job_id]
            log.info("job %s %s", job_id, state.value)

        thread = threading.Thread(
            target=contextvars.copy_context().run, args=(run,), name=f"job-{job_id[:8]}"
        )
        with self._lock:
            self._evict()
            self._jobs[job_id] = snapshot
            self._stops[job_id] = stop
            self._threads[job_id] = thread
        thread.start()
        log.info("job %s started for %r", job_id, plan_name)
        return snapshot

    def get(self, job_id: str) -> JobSnapshot | None:
        with self._lock:
            self._evict()
            return self._jobs.get(job_id)

    def list(self) -> list[JobSnapshot]:
        """Jobs kept, newest first."""
        with self._lock:
            self._evict()
            return sorted(self._jobs.values(), key=lambda j: j.created_s, reverse=True)

    def cancel(self, job_id: str, wait_s: float = 1.0) -> JobSnapshot | None:
        """Stop a running job and wait up to ``wait_s`` for it to end; None if unknown."""
        with self._lock:
            if job_id not in self._jobs:
                return None
            stop, thread = self._stops.get(job_id), self._threads.get(job_id)
        if stop is not None and thread is not None:
            stop.set()
            thread.join(wait_s)
        return self.get(job_id)

    def running(self) -> int:
        with self._lock:
            return len(self._threads)

    def shutdown(self, grace_s: float, stop_wait_s: float = 2.0) -> None:
        """Let running jobs finish within ``grace_s``, then stop the rest and wait for them."""
        deadline = time.monotonic() + grace_s
        with self._lock:
            threads = list(self._threads.values())
            stops = list(self._stops.values())
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        for stop in stops:
            stop.set()
        for thread in threads:
            thread.join(stop_wait_s)

    def _evict(self) -> None:
        # Called with the lock held. Running jobs are never dropped.
        now = time.time()
        finished = sorted(
            (j for j in self._jobs.values() if j.ended_s is not None), key=lambda j: j.ended_s or 0
        )
        expired = [j for j in finished if now - (j.ended_s or now) > self._retention_s]
        extra = max(0, len(finished) - len(expired) - self._max_kept)
        kept_old = [j for j in finished if j not in expired][:extra]
        for job in (*expired, *kept_old):
            del self._jobs[job.job_id]
