"""The OpenAPI schema at /api/schema/ as a contract: every operation documents the errors it can
answer with, in the shape `restapi.exception_handler` gives them.

Which errors an operation can give follows from how it is built, so they are added here once
rather than declared on each view:

- 400 when it reads query parameters (filters, ordering, pagination) or a request body, and on
  a delete that a rule refuses (withdrawing support from a closed proposal);
- 403 when a user can be refused: a token or session that does not authenticate, or a
  permission that says no (the API answers 403, never 401: session authentication comes first
  and asks for no `WWW-Authenticate` challenge);
- 404 when the path names a record, or for a page past the end of a list;
- 409 on a delete, when other records still use the one deleted;
- 413 when it reads a request body, for a body over the upload limit, and 415 for a body in a
  format the endpoint does not read;
- 429 everywhere, for a client over its request rate.
"""

import copy

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import is_list_serializer
from rest_framework import permissions, serializers
from rest_framework.mixins import ListModelMixin

WRITE_METHODS = {"POST", "PUT", "PATCH"}


class ErrorSerializer(serializers.Serializer):
    """Most errors: one message."""

    detail = serializers.CharField(help_text="What went wrong, in the user's language.")


class ValidationErrorSerializer(serializers.Serializer):
    """Bad input: messages per field (`detail` or `non_field_errors` when no field is to blame)."""


class ValidationErrorExtension(OpenApiSerializerExtension):
    """A 400 maps each field to its messages (nested fields to their own errors), or, for an
    error about the request as a whole, is a list of messages."""

    target_class = ValidationErrorSerializer

    def map_serializer(self, auto_schema, direction):
        messages = {"anyOf": [
            {"type": "string"},
            {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "object"}]}},
            {"type": "object"},
        ]}
        return {
            "oneOf": [
                {"type": "object", "additionalProperties": messages},
                {"type": "array", "items": {"type": "string"}},
            ],
            "description": ValidationErrorSerializer.__doc__,
        }


ERRORS = {
    "400": (ValidationErrorSerializer, "The input is not valid; the body says why, per field."),
    "403": (ErrorSerializer, "Not signed in, or not allowed to do this."),
    "404": (ErrorSerializer, "No such record (or not one this user may see), or no such page."),
    "409": (ErrorSerializer, "Other records still use this one, so it cannot be deleted."),
    "413": (ErrorSerializer, "The request body is too large."),
    "415": (ErrorSerializer, "The request body is not in a format this endpoint reads."),
    "429": (ErrorSerializer, "Too many requests; try again after the time in Retry-After."),
}


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's schema, with the error responses each operation can give."""

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        responses = operation["responses"]
        for code in self.error_codes(operation):
            if code not in responses:
                serializer, description = ERRORS[code]
                response = self._get_response_for_code(serializer, code)
                response["description"] = description
                responses[code] = response
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def error_codes(self, operation) -> list[str]:
        codes = ["429"]
        has_query = any(p["in"] == "query" for p in operation.get("parameters", []))
        if self.method in WRITE_METHODS or self.method == "DELETE" or has_query:
            codes.append("400")
        if self.method in WRITE_METHODS:
            codes += ["413", "415"]
        if self.view.get_authenticators() or self.method not in permissions.SAFE_METHODS or any(
                not isinstance(p, permissions.AllowAny) for p in self.view.get_permissions()):
            codes.append("403")
        if "{" in self.path or (self._is_list_view() and self._get_paginator()):
            codes.append("404")
        if self.method == "DELETE":
            codes.append("409")
        return codes

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        # DRF builds a read-only model field without allow_null / allow_blank, though it
        # answers null (or "" in a choice) where the column allows it: say so in the schema.
        model_field = _model_field(field)
        if field.read_only and model_field is not None:
            field = copy.copy(field)
            if model_field.null:
                field.allow_null = True
            if model_field.blank and isinstance(field, serializers.ChoiceField):
                field.allow_blank = True
        return super()._map_serializer_field(field, direction, bypass_extensions)

    def _is_list_view(self, serializer=None):
        # A hand-written `list` of a plain ViewSet (a coverage report, say) answers one object,
        # unless its @extend_schema says many=True.
        if getattr(self.view, "action", None) == "list" and not isinstance(self.view, ListModelMixin):
            if serializer is None:
                serializer = self.get_response_serializers()
            if isinstance(serializer, dict) and serializer:
                serializer = serializer[min(serializer, key=str)]
            return is_list_serializer(serializer)
        return super()._is_list_view(serializer)


def _model_field(field):
    """The model column a ModelSerializer's field reads, if it reads one directly."""
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    source = getattr(field, "source", None)
    if model is None or not source or "." in source or source == "*":
        return None
    try:
        model_field = model._meta.get_field(source)
    except FieldDoesNotExist:
        return None
    # Only the model's own columns (a reverse relation has no null or blank of its own).
    return model_field if model_field.concrete and not model_field.many_to_many else None
