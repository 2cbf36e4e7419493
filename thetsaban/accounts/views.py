import math

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from thetsaban.accounts.history import describe as describe_history
from thetsaban.accounts.models import AuditEntry
from thetsaban.permissions import is_staff


def history(request, app_label, model, object_id):
    """Staff browse the audit trail of one record: who changed what, when."""
    if not is_staff(request.user):
        raise Http404
    content_type = get_object_or_404(ContentType, app_label=app_label, model=model)
    entries = (AuditEntry.objects.restrict(request.user, "view")
               .filter(content_type=content_type, object_id=object_id).select_related("actor"))
    return render(request, "accounts/history.html", {
        "steps": describe_history(entries, content_type.model_class()),
        "content_type": content_type, "object_id": object_id,
        "record": entries[0].object_repr if entries else object_id,
    })


def locked_out(request, original_response=None, credentials=None):
    """The page shown instead of signing in once a username and address are locked out."""
    # Each try during a lockout starts the wait again (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT).
    until = (getattr(request, "axes_attempt_time", None) or timezone.now()) + get_cool_off(request)
    minutes = max(1, math.ceil((until - timezone.now()).total_seconds() / 60))
    response = render(request, "accounts/locked_out.html", {
        "until": until, "minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT,
    }, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response
