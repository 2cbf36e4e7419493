from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.shortcuts import get_object_or_404, render

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
        "entries": entries, "content_type": content_type, "object_id": object_id,
        "record": entries[0].object_repr if entries else object_id,
    })
