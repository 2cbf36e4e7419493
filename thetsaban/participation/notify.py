"""Notices to the followers of a record when it changes: on their page, and by e-mail.

Other apps call it for their own changes (a recommendation's status, a project's progress),
importing it inside the function so that the apps stay loosely coupled:

    from thetsaban.participation.notify import record_changed
    record_changed(recommendation, _("Status changed to adopted"), actor=acting_user)
"""

import logging

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils.translation import gettext as _

from thetsaban.accounts.models import Profile
from thetsaban.participation.models import Follow, Notification
from thetsaban.participation.targets import target_for

logger = logging.getLogger(__name__)


def _may_see(user, obj) -> bool:
    entry = target_for(obj)
    queryset = entry.visible(user) if entry else type(obj)._default_manager.restrict(user, "view")
    return queryset.filter(pk=obj.pk).exists()


def followers(obj, *, exclude=None):
    """Active followers of `obj` who may still see it."""
    follows = (Follow.objects.filter(content_type=ContentType.objects.get_for_model(obj),
                                     object_id=obj.pk, user__is_active=True)
               .select_related("user").order_by("pk"))
    if exclude is not None and getattr(exclude, "pk", None):
        follows = follows.exclude(user=exclude)
    # A record can become private again (a recommendation back to draft): tell only those who can see it.
    return [f.user for f in follows if _may_see(f.user, obj)]


def on_record_changed(sender, record, summary, acting_user=None, **kwargs) -> None:
    """Receiver of hooks.record_changed: another app's record that people may follow changed."""
    record_changed(record, summary, acting_user=acting_user)


def _wants_email(users) -> list:
    """Those of `users` with an address who have not turned the e-mail notices off."""
    off = set(Profile.objects.filter(user__in=users, email_notifications=False)
              .values_list("user_id", flat=True))
    return [user for user in users if user.email and user.pk not in off]


def record_changed(obj, summary, *, actor=None, acting_user=None, detail: str = "") -> int:
    """Tell each follower of `obj` (not the actor): a notice on their page, and one e-mail
    after the transaction commits unless they turned e-mail off. Returns the e-mails sent."""
    actor = actor if actor is not None else acting_user
    followed_by = followers(obj, exclude=actor)
    if not followed_by:
        return 0
    record = str(obj)
    path = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else ""
    content_type = ContentType.objects.get_for_model(obj)
    Notification.objects.bulk_create([
        Notification(recipient=user, content_type=content_type, object_id=obj.pk,
                     record=record[:300], summary=str(summary)[:2000], url=path[:500])
        for user in followed_by])
    recipients = _wants_email(followed_by)
    if not recipients:
        return 0
    url = getattr(settings, "SITE_URL", "").rstrip("/") + path
    subject = _("Change on %(record)s") % {"record": record[:120]}
    parts = [str(summary)]
    if detail:
        parts.append(str(detail))
    if url:
        parts.append(url)
    parts.append(_("You receive this because you follow this record. To stop, open it and "
                   "choose Unfollow."))
    body = "\n\n".join(parts)
    messages = [EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
                for user in recipients]

    def send():
        try:
            get_connection(fail_silently=True).send_messages(messages)
        except Exception:  # a mail server outage must not break the page that caused the change
            logger.exception("Could not e-mail the followers of %s", record)

    transaction.on_commit(send)
    return len(messages)
