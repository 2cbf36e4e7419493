"""Request checks shared by every page and API endpoint."""

from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _

_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


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
            return HttpResponseBadRequest(
                _("The request contains a NUL character, which is not allowed in addresses or fields."),
                content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    @staticmethod
    def _carries_nul(request) -> bool:
        if "\x00" in request.path or "\x00" in request.path_info or _has_nul(request.GET.lists()):
            return True
        if request.method == "POST" and request.content_type in _FORM_TYPES:
            return _has_nul(request.POST.lists())
        return False
