import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils import timezone
from django.utils.translation import gettext as _

from thetsaban.jobs import registry, services
from thetsaban.jobs.models import Job


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
            "the data hub's roll-up refresh, …). Run exactly one in the whole deployment.")

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Start the due jobs once and exit.")
        parser.add_argument("--interval", type=float, default=30,
                            help="Seconds between checks (default 30).")
        parser.add_argument("--list", action="store_true", dest="list_jobs",
                            help="List the periodic jobs and exit.")

    def handle(self, *args, once=False, interval=30, list_jobs=False, **options):
        if list_jobs:
            for job_type in registry.periodic():
                self.stdout.write(f"{job_type.name}\t{job_type.every}\t{job_type.label}")
            return
        while True:
            for job_type in due_jobs():
                job = services.start(job_type.name)
                self.stdout.write(_("%(job)s: %(status)s") % {"job": job, "status": job.get_status_display()})
            if once:
                return
            time.sleep(interval)
            close_old_connections()  # a lost database connection is opened again
