"""API settings referenced by name from REST_FRAMEWORK (kept free of view imports)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, pagination, parsers, permissions, status, throttling
from rest_framework.filters import OrderingFilter

from thetsaban.network import client_address


class RestrictedPermission(permissions.BasePermission):
    """Reads are filtered by restrict(); writes need the object (or creation) to be permitted."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        return bool(request.user and request.user.is_authenticated)

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True
        action = "delete" if request.method == "DELETE" else "change"
        return type(obj)._default_manager.restrict(request.user, action).filter(pk=obj.pk).exists()


class ObjectJSONParser(parsers.JSONParser):
    """A JSON body is one object of named fields: every endpoint reads its body as fields by name."""

    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        if not isinstance(data, dict):
            raise exceptions.ParseError(_("The JSON body must be an object of named fields, not %(kind)s.")
                                        % {"kind": type(data).__name__.replace("NoneType", "null")})
        return data


class CappedPagination(pagination.PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param, 1)
        try:
            number = int(raw)
        except (TypeError, ValueError):
            raise exceptions.ValidationError({"page": "A page number must be a whole number."}) from None
        if number < 1:
            raise exceptions.ValidationError({"page": "A page number starts at 1."})
        return number

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            raise exceptions.ValidationError({"page_size": "page_size must be a whole number."}) from None
        if size < 1:
            raise exceptions.ValidationError({"page_size": "page_size must be at least 1."})
        return min(size, self.max_page_size)


class StrictOrderingFilter(OrderingFilter):
    """Ordering by an unknown field is a 400, and `name` sorts in Thai dictionary order."""

    aliases = {"name": "sort_name", "-name": "-sort_name"}

    def get_ordering(self, request, queryset, view):
        raw = request.query_params.get(self.ordering_param)
        if not raw:
            return self.get_default_ordering(view)
        fields = [f.strip() for f in raw.split(",") if f.strip()]
        allowed = set(getattr(view, "ordering_fields", None) or [])
        bad = [f for f in fields if f.lstrip("-") not in allowed]
        if bad:
            raise exceptions.ValidationError(
                {"ordering": f"Cannot order by {', '.join(bad)}; use one of {', '.join(sorted(allowed))}."}
            )
        return [self.aliases.get(f, f) for f in fields]


class Conflict(exceptions.APIException):
    """A deletion refused because other records still point at the row."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = _("This record is still used by other records and cannot be deleted.")
    default_code = "protected"


def exception_handler(exc, context):
    """Model validation errors become 400s with field messages, and deleting a row still in use
    a 409, never 500s."""
    from rest_framework.views import exception_handler as drf_exception_handler

    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, (ProtectedError, RestrictedError)):
        exc = Conflict()
    return drf_exception_handler(exc, context)


class _RateFromSettings:
    """Reads its rate on each request, so REST_FRAMEWORK overrides (tests, reloads) apply, and
    counts anonymous clients by the same address as the sign-in lockout and posting limits
    (DRF's own guess would trust any X-Forwarded-For a client sends)."""

    def get_rate(self):
        from rest_framework.settings import api_settings

        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request):
        return client_address(request)


class AnonRateThrottle(_RateFromSettings, throttling.AnonRateThrottle):
    """Anonymous requests per client address."""


class UserRateThrottle(_RateFromSettings, throttling.UserRateThrottle):
    """Signed-in requests per user."""


class ScopedRateThrottle(_RateFromSettings, throttling.ScopedRateThrottle):
    """Views with a `throttle_scope` (e.g. "expensive") get that scope's rate as well."""
