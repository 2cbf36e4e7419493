"""The jobs the apps declare, by name.

An app declares each background job in its own `jobs.py` with the `job` decorator; the jobs app
loads every app's `jobs.py` when Django starts (web, worker and scheduler alike), so a job is
found by its name in any process:

    @job("search.rebuild", _("Rebuild the search index"), retries=2)
    def rebuild_index(run, kinds=None):
        ...
        run.progress(done, total, _("Indexing practices"))
        return {"message": ...}

The function receives a `services.Run` (the job, who started it, progress) and the job's
arguments (JSON values). Its return value (a dict with optionally "message" and "url") is the
job's result. `retries` is how many more attempts a failure gets: only for jobs that are safe to
run again (they start afresh or skip what is done). `every` makes it periodic: the scheduler
(`manage.py run_schedule`) starts it that often, as the system.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.utils.functional import Promise


@dataclass(frozen=True)
class JobType:
    name: str
    label: str | Promise
    function: object
    retries: int = 0
    every: timedelta | None = None


_JOBS: dict[str, JobType] = {}


def job(name: str, label, *, retries: int = 0, every: timedelta | None = None):
    """Declare the decorated function as the background job `name`."""

    def decorate(function):
        _JOBS[name] = JobType(name, label, function, retries, every)
        return function

    return decorate


def get(name: str) -> JobType:
    try:
        return _JOBS[name]
    except KeyError:
        raise LookupError(f"No background job is declared as {name!r}") from None


def label_of(name: str):
    job_type = _JOBS.get(name)
    return job_type.label if job_type else name


def periodic() -> list[JobType]:
    """The jobs the scheduler starts, by name."""
    return sorted((j for j in _JOBS.values() if j.every), key=lambda j: j.name)


def names() -> list[str]:
    return sorted(_JOBS)
