"""API settings referenced by name from REST_FRAMEWORK (kept free of view imports), and the
same rate limits for the pages that do the work of a throttled endpoint."""

import functools
import math

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, pagination, parsers, permissions, status, throttling
from rest_framework.filters import OrderingFilter

from thetsaban.filtering import StablePaginator
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
    # The primary key breaks ties in every list's order, so walking the pages lists each record once.
    django_paginator_class = StablePaginator
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
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("This record is still used by other records and cannot be deleted.")
    default_code = "protected"


def exception_handler(exc, context):
    """Model validation errors become 400s with field messages, a delete of a record others
    still use a 409, never 500s."""
    from rest_framework.views import exception_handler as drf_exception_handler

    if isinstance(exc, (ProtectedError, RestrictedError)):
        exc = Conflict()
    elif isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
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


class PageRateThrottle(_RateFromSettings, throttling.SimpleRateThrottle):
    """A scope's API rate applied to a page, counted in the same place as the API's views of
    that scope (per account when signed in, else per address), so changing door does not
    start a new count."""

    def __init__(self, scope: str):
        self.scope = scope
        super().__init__()

    def get_cache_key(self, request, view):
        user = getattr(request, "user", None)
        ident = user.pk if user is not None and user.is_authenticated else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


def throttled_page(scope: str):
    """Decorate a page view with the rate of an API throttle scope (e.g. "expensive": the search
    page and the exports do the work of the throttled search and report endpoints); past the
    rate it answers 429 with Retry-After."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            throttle = PageRateThrottle(scope)
            if throttle.allow_request(request, None):
                return view(request, *args, **kwargs)
            seconds = max(1, math.ceil(throttle.wait() or 1))
            response = render(request, "too_many_requests.html", {"seconds": seconds}, status=429)
            response["Retry-After"] = str(seconds)
            return response

        return wrapped

    return decorator
