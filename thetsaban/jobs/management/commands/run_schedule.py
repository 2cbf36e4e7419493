import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thetsaban.jobs import registry, services
from thetsaban.jobs.models import Job
from thetsaban.jobs.scheduler_lock import SchedulerLock

ANOTHER_RUNNING = gettext_lazy("Another scheduler is already running on this database; only one "
                               "may start the periodic jobs, so this one exits.")
WAITING = gettext_lazy("Another scheduler is already running on this database: this one waits "
                       "and takes over when it stops.")
TAKING_OVER = gettext_lazy("The other scheduler has stopped: this one now starts the periodic jobs.")


def due_jobs(now=None) -> list:
    """The periodic jobs whose last run by the system was queued at least their interval ago."""
    now = now or timezone.now()
    due = []
    for job_type in registry.periodic():
        last = (Job.objects.filter(name=job_type.name, started_by=None)
                .order_by("-created_at").values_list("created_at", flat=True).first())
        if last is None or last <= now - job_type.every:
            due.append(job_type)
    return due


class Command(BaseCommand):
    help = ("Start the periodic background jobs when they are due (e-service overdue reminders, "
            "the data hub's roll-up refresh, …). Only one runs them at a time in the whole "
            "deployment (a database lock): another one waits to take over, or with --no-wait "
            "or --once exits.")

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Start the due jobs once and exit.")
        parser.add_argument("--interval", type=float, default=30,
                            help="Seconds between checks (default 30).")
        parser.add_argument("--list", action="store_true", dest="list_jobs",
                            help="List the periodic jobs and exit.")
        parser.add_argument("--no-wait", action="store_true",
                            help="Exit with an error when another scheduler is running.")

    def handle(self, *args, once=False, interval=30, list_jobs=False, no_wait=False, **options):
        if list_jobs:
            for job_type in registry.periodic():
                self.stdout.write(f"{job_type.name}\t{job_type.every}\t{job_type.label}")
            return
        lock = SchedulerLock()
        try:
            self.schedule(lock, once=once, interval=interval, wait=not (no_wait or once))
        finally:
            lock.release()

    def schedule(self, lock, once, interval, wait):
        waiting = False
        while True:
            if lock.acquire():
                if waiting:
                    self.stdout.write(str(TAKING_OVER))
                    waiting = False
                for job_type in due_jobs():
                    job = services.start(job_type.name)
                    self.stdout.write(_("%(job)s: %(status)s") % {"job": job, "status": job.get_status_display()})
            elif not wait:
                raise CommandError(str(ANOTHER_RUNNING))
            elif not waiting:
                self.stdout.write(str(WAITING))
                waiting = True
            if once:
                return
            self.stdout.flush()
            time.sleep(interval)
            close_old_connections()  # a lost database connection is opened again
