"""Starting background jobs, running them, and what they tell the people who wait.

`start(name, started_by=..., **arguments)` records a queued `Job` (with an audit entry) and puts
it on the queue (Django's Tasks API, `tasks.run_job`); the worker (`manage.py db_worker`), or the
request itself with the immediate backend that `make run` uses, calls `execute(job_id)`, which
runs the declared function inside one transaction (all or nothing), keeps the progress and the
result or error on the job, retries a failure when the job says it is safe, and records the end
in the audit trail.

On the database backend the queue entry is written in the caller's transaction: a job started by
a write that is rolled back is never run, and the worker sees the job only once it is committed.
"""

import logging
import threading
import time
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DEFAULT_DB_ALIAS, connections, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thetsaban.accounts.choices import AuditAction
from thetsaban.accounts.services import record, snapshot
from thetsaban.jobs import registry
from thetsaban.jobs.choices import JobStatus
from thetsaban.jobs.models import Job
from thetsaban.jobs.tasks import run_job

logger = logging.getLogger(__name__)

# Seconds before the n-th retry (database backend; the immediate backend retries at once).
RETRY_DELAYS = (30, 120, 600)
# At most one progress write per this many seconds (the last one is always written).
PROGRESS_EVERY = 0.5


class RowErrors(Exception):
    """An import refused: nothing was written, and each refused row is listed on the job's page.

    `errors` are dicts with "row" (the row number people see in their file), "field" (the
    column, or "") and "message"."""

    def __init__(self, errors: list[dict], message: str = ""):
        self.errors = [{"row": e.get("row"), "field": str(e.get("field") or ""),
                        "message": str(e.get("message") or "")} for e in errors]
        super().__init__(message or _("%(n)s rows were refused; nothing was imported.")
                         % {"n": len(self.errors)})


# ---- starting ----------------------------------------------------------------------------------

def _user(user):
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def start(name: str, *, started_by=None, **arguments) -> Job:
    """Queue the job `name` with JSON-ready `arguments`; returns the job (finished already when
    the queue runs jobs immediately)."""
    job_type = registry.get(name)
    with transaction.atomic():
        job = Job.objects.create(name=name, started_by=_user(started_by), arguments=arguments,
                                 max_attempts=1 + job_type.retries)
        record(job, AuditAction.CREATE, acting_user=started_by, note=_("Job queued"))
        _enqueue(job)
    job.refresh_from_db()
    return job


def _enqueue(job: Job, delay: int = 0) -> None:
    task = run_job
    if delay and task.get_backend().supports_defer:
        task = task.using(run_after=timezone.now() + timedelta(seconds=delay))
    result = task.enqueue(job.pk)
    Job.objects.filter(pk=job.pk, task_id="").update(task_id=str(result.id)[:64])


# ---- progress ----------------------------------------------------------------------------------

_side = threading.local()


def _side_connection():
    """A second connection to the primary, in autocommit: progress written while the job's own
    transaction is still open is seen at once by the status page (PostgreSQL)."""
    conn = getattr(_side, "connection", None)
    if conn is None:
        conn = connections.create_connection(router.db_for_write(Job) or DEFAULT_DB_ALIAS)
        _side.connection = conn
    return conn


def _close_side_connection():
    conn = getattr(_side, "connection", None)
    if conn is not None:
        conn.close()
        _side.connection = None


def _write_progress(job_id: int, done: int, total, message: str) -> None:
    alias = router.db_for_write(Job) or DEFAULT_DB_ALIAS
    conn = connections[alias]
    if conn.vendor == "postgresql" and conn.in_atomic_block:
        side = _side_connection()
        table = Job._meta.db_table
        with side.cursor() as cursor:
            cursor.execute(f'UPDATE "{table}" SET done = %s, total = %s, message = %s WHERE id = %s',
                           [done, total, message[:300], job_id])
            if cursor.rowcount:
                return
    # SQLite (one writer at a time), or a job not yet committed (a test, or a job started and
    # run inside the same transaction): written in the job's own transaction.
    Job.objects.filter(pk=job_id).update(done=done, total=total, message=message[:300])


class Run:
    """What a job function receives: its job, who started it, and a way to report progress."""

    def __init__(self, job: Job):
        self.job = job
        self.acting_user = job.started_by
        self._written = 0.0

    def progress(self, done: int, total: int | None = None, message=None) -> None:
        """`done` of `total` steps, with an optional message people read (“Indexing practices”)."""
        job = self.job
        job.done = max(0, int(done))
        if total is not None:
            job.total = max(0, int(total))
        if message is not None:
            job.message = str(message)
        now = time.monotonic()
        last = job.total is not None and job.done >= job.total
        if last or message is not None or now - self._written >= PROGRESS_EVERY:
            self._written = now
            _write_progress(job.pk, job.done, job.total, job.message)

    def step(self, count: int = 1, message=None) -> None:
        """`count` more steps done."""
        self.progress(self.job.done + count, None, message)


# ---- running -----------------------------------------------------------------------------------

def _user_message(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(str(m) for m in error.messages)
    if isinstance(error, PermissionDenied):
        return str(error) or _("Permission denied.")
    return _("The job stopped with an unexpected error (%(kind)s). League staff can see the "
             "details in the server log.") % {"kind": type(error).__name__}


def _finish(job: Job, before: dict, note: str) -> None:
    job.finished_at = timezone.now()
    job.save()
    record(job, AuditAction.UPDATE, acting_user=job.started_by, before=before, note=note)


def execute(job_id: int) -> str:
    """Run one queued job to its end; returns its status. Called by the queue (tasks.run_job)."""
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now())
    job = Job.objects.select_related("started_by").filter(pk=job_id).first()
    if not claimed or job is None:
        return job.status if job else "missing"
    job.attempts += 1
    Job.objects.filter(pk=job.pk).update(attempts=job.attempts)
    before = snapshot(job)
    try:
        job_type = registry.get(job.name)
        with transaction.atomic():
            result = job_type.function(Run(job), **job.arguments)
    except RowErrors as refused:
        job.status, job.error, job.row_errors = JobStatus.FAILED, str(refused), refused.errors
        _finish(job, before, _("Job failed: rows refused"))
    except Exception as error:  # noqa: BLE001 (whatever failed is recorded on the job)
        safe = not isinstance(error, ValidationError | PermissionDenied | LookupError)
        if safe:  # a refusal is the job's answer; anything else is for the server log
            logger.exception("Background job %s #%s failed", job.name, job.pk)
        if safe and job.attempts < job.max_attempts:
            job.status = JobStatus.QUEUED
            job.message = _("Attempt %(n)s of %(most)s failed; it will be tried again.") % {
                "n": job.attempts, "most": job.max_attempts}
            job.save(update_fields=["status", "message"])
            record(job, AuditAction.UPDATE, acting_user=job.started_by, before=before,
                   note=_("Job attempt failed, retrying"))
            delay = RETRY_DELAYS[min(job.attempts, len(RETRY_DELAYS)) - 1]
            _enqueue(job, delay)
            job.refresh_from_db()
            return job.status
        job.status, job.error = JobStatus.FAILED, _user_message(error)
        _finish(job, before, _("Job failed"))
    else:
        result = dict(result or {})
        job.status, job.result = JobStatus.SUCCEEDED, result
        if job.total is not None:
            job.done = job.total
        if result.get("message"):
            job.message = str(result["message"])[:300]
        _finish(job, before, _("Job done"))
    finally:
        _close_side_connection()
    return job.status


# ---- queue state (health and metrics) ----------------------------------------------------------

def queue_state() -> dict:
    """Jobs waiting in the queue and the age in seconds of the oldest (0 when none wait)."""
    waiting = Job.objects.waiting()
    oldest = waiting.order_by("created_at").values_list("created_at", flat=True).first()
    age = (timezone.now() - oldest).total_seconds() if oldest else 0.0
    return {"waiting": waiting.count(), "running": Job.objects.filter(status=JobStatus.RUNNING).count(),
            "oldest_seconds": round(max(age, 0.0), 1)}
