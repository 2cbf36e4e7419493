"""The jobs the core declares: sending e-mail, pruning the queue."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult

from thetsaban.jobs.mail import from_json, send_now
from thetsaban.jobs.registry import job


@job("mail.send", _("Send e-mail"), retries=3)
def send_mail(run, messages):
    """Send queued e-mail; safe to retry (a batch that failed was not sent)."""
    run.progress(0, len(messages))
    sent = send_now(from_json(m) for m in messages)
    run.progress(len(messages), len(messages))
    return {"message": _("%(n)s e-mails sent.") % {"n": sent}}


# Finished queue entries kept this long (each job's own record and audit entries stay).
QUEUE_KEPT = timedelta(days=30)


@job("jobs.prune_queue", _("Prune finished queue entries"), retries=1, every=timedelta(days=1))
def prune_queue(run):
    """Once a day: delete the queue's entries of jobs finished more than 30 days ago."""
    deleted, _by_model = DBTaskResult.objects.finished().filter(
        finished_at__lt=timezone.now() - QUEUE_KEPT).delete()
    return {"message": _("%(n)s finished queue entries deleted.") % {"n": deleted}}
