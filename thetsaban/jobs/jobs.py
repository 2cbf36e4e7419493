"""The jobs the core declares: sending e-mail."""

from django.utils.translation import gettext_lazy as _

from thetsaban.jobs.mail import from_json, send_now
from thetsaban.jobs.registry import job


@job("mail.send", _("Send e-mail"), retries=3)
def send_mail(run, messages):
    """Send queued e-mail; safe to retry (a batch that failed was not sent)."""
    run.progress(0, len(messages))
    sent = send_now(from_json(m) for m in messages)
    run.progress(len(messages), len(messages))
    return {"message": _("%(n)s e-mails sent.") % {"n": sent}}
