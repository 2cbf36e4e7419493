"""The jobs the core declares: sending e-mail, pruning the queue, failing jobs lost with a worker."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult

from thetsaban.accounts.choices import AuditAction
from thetsaban.accounts.services import record, snapshot
from thetsaban.jobs.choices import JobStatus
from thetsaban.jobs.mail import from_json, send_now
from thetsaban.jobs.models import Job
from thetsaban.jobs.registry import job


@job("mail.send", _("Send e-mail"), retries=3)
def send_mail(run, messages):
    """Send queued e-mail; safe to retry (a batch that failed was not sent)."""
    run.progress(0, len(messages))
    sent = send_now(from_json(m) for m in messages)
    run.progress(len(messages), len(messages))
    run.job.arguments = {"messages": len(messages)}  # the text (reset links) is not kept
    return {"message": _("%(n)s e-mails sent.") % {"n": sent}}


# Finished queue entries kept this long (each job's own record and audit entries stay).
QUEUE_KEPT = timedelta(days=30)


@job("jobs.prune_queue", _("Prune finished queue entries"), retries=1, every=timedelta(days=1))
def prune_queue(run):
    """Once a day: delete the queue's entries of jobs finished more than 30 days ago."""
    deleted, _by_model = DBTaskResult.objects.finished().filter(
        finished_at__lt=timezone.now() - QUEUE_KEPT).delete()
    return {"message": _("%(n)s finished queue entries deleted.") % {"n": deleted}}


# A job still running after this long was lost with its worker (killed, or its machine stopped).
LOST_AFTER = timedelta(hours=6)


@job("jobs.fail_lost", _("Mark jobs lost with their worker as failed"), every=timedelta(minutes=30))
def fail_lost(run):
    """Every half hour: a job that has been running for six hours is marked failed, so that its
    page stops waiting and the person who started it can start it again."""
    lost = Job.objects.filter(status=JobStatus.RUNNING, started_at__lt=timezone.now() - LOST_AFTER)
    count = 0
    for item in lost.exclude(pk=run.job.pk):
        before = snapshot(item)
        item.status, item.finished_at = JobStatus.FAILED, timezone.now()
        item.error = gettext("The worker running this job stopped before it finished; start it again.")
        item.save(update_fields=["status", "finished_at", "error"])
        record(item, AuditAction.UPDATE, acting_user=None, before=before, note=item.error)
        count += 1
    return {"message": gettext("%(n)s lost jobs marked as failed.") % {"n": count}}
