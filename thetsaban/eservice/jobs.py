"""The e-service's periodic job: the daily reminder of overdue requests (the SLA check)."""

from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thetsaban.accounts.models import LguMembership
from thetsaban.eservice.choices import OPEN_STATUSES, Status
from thetsaban.eservice.models import ServiceRequest
from thetsaban.jobs.registry import job
from thetsaban.places.models import Lgu

# At most this many requests are listed in one reminder; the inbox link shows them all.
LISTED = 20


def overdue_requests(now=None):
    """Open requests past their fix-by time, or still unacknowledged past their acknowledge-by
    time (the inbox's "overdue only" filter)."""
    now = now or timezone.now()
    return ServiceRequest.objects.filter(status__in=OPEN_STATUSES, example=False).filter(
        Q(fix_due_at__lt=now) | Q(status=Status.OPEN, ack_due_at__lt=now))


def _site(path: str) -> str:
    return getattr(settings, "SITE_URL", "").rstrip("/") + path


@job("eservice.overdue_reminders", gettext_lazy("Remind LGUs of overdue e-service requests"),
     every=timedelta(days=1))
def overdue_reminders(run):
    """Once a day: e-mail each LGU's editors (and whoever a request is assigned to) the list of
    their overdue requests, with a link to the inbox filtered to them. Not retried: a second
    attempt could send the same reminder twice."""
    overdue = overdue_requests().select_related("service", "assigned_to").order_by("fix_due_at", "pk")
    by_lgu = {}
    for item in overdue:
        by_lgu.setdefault(item.lgu_id, []).append(item)
    run.progress(0, len(by_lgu), _("Checking overdue requests"))
    messages = []
    for lgu in Lgu.objects.filter(pk__in=by_lgu).order_by("pk"):
        items = by_lgu[lgu.pk]
        recipients = set(LguMembership.objects.filter(lgu=lgu, user__is_active=True)
                         .exclude(user__email="").values_list("user__email", flat=True))
        recipients |= {i.assigned_to.email for i in items if i.assigned_to_id and i.assigned_to.email}
        if recipients:
            lines = [f"#{i.pk} {i.service.name} – {_('fix by')} {timezone.localtime(i.fix_due_at):%Y-%m-%d %H:%M}"
                     f"\n{_site(i.get_absolute_url())}" for i in items[:LISTED]]
            inbox = _site(reverse("eservice:inbox") + "?" + urlencode({"lgu": lgu.code, "overdue": "true"}))
            body = _("%(lgu)s has %(n)s overdue requests:") % {"lgu": lgu, "n": len(items)} + "\n\n" \
                + "\n\n".join(lines) + "\n\n" + _("All of them in the inbox: %(url)s") % {"url": inbox}
            subject = _("%(n)s overdue e-service requests at %(lgu)s") % {"n": len(items), "lgu": lgu}
            messages.extend(EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [to])
                            for to in sorted(recipients))
        run.step(1, str(lgu))
    if messages:
        get_connection().send_messages(messages)
    return {"message": _("%(lgus)s LGUs reminded of %(n)s overdue requests (%(mails)s e-mails).")
            % {"lgus": len(by_lgu), "n": len(overdue), "mails": len(messages)}}
