"""Request checks shared by every page and API endpoint."""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _

_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
# Room for the form fields and multipart boundaries that travel with a file of the largest size.
FORM_OVERHEAD_BYTES = 256 * 1024


def _refusal(request, message: str, status: int):
    """A refusal before any view runs: JSON `{"detail": …}` under /api/ (the API's documented
    error body), plain text elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=status)
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def _has_nul(pairs) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in pairs)


class RefuseNulBytesMiddleware:
    """A NUL byte in the path, the query string or a form field is a 400.

    PostgreSQL cannot store or compare text holding NUL, so such a value would otherwise reach
    the database driver and fail there; no legitimate link or form sends one.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._carries_nul(request):
            return _refusal(request, _(
                "The request contains a NUL character, which is not allowed in addresses or fields."
            ), 400)
        return self.get_response(request)

    @staticmethod
    def _carries_nul(request) -> bool:
        if "\x00" in request.path or "\x00" in request.path_info or _has_nul(request.GET.lists()):
            return True
        if request.method == "POST" and request.content_type in _FORM_TYPES:
            return _has_nul(request.POST.lists())
        return False


class UploadLimitMiddleware:
    """Answer 413 to a request whose body is larger than MAX_UPLOAD_MB, before it is read.

    The length is the one the request announces (Content-Length); Django reads no more than
    that, and nothing from a body sent without one, so no larger body is ever read. It comes
    before any middleware that reads the form (RefuseNulBytesMiddleware, CSRF)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.MAX_UPLOAD_MB * 1024 * 1024 + FORM_OVERHEAD_BYTES
        if length > limit:
            message = _("The upload is larger than %(mb)s MB; send a smaller file.") % {
                "mb": settings.MAX_UPLOAD_MB}
            return _refusal(request, message, 413)
        return self.get_response(request)
