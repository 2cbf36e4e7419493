"""Shared pieces of the REST API views and the router that collects every app's routes."""

from rest_framework import relations, serializers, viewsets
from rest_framework.routers import DefaultRouter

from thetsaban import hooks
from thetsaban.filtering import in_integer_range


class RestrictedRelatedFieldMixin:
    """A related field whose choices are the rows the requesting user may see, chosen per request.

    The queryset given when the serializer class is declared is only the model's full table: each
    request narrows it with the model's restrict(user, "view"), both for the rows a body may name
    and for the choices the browsable API's form lists. A row the user may not see "does not exist".
    """

    def get_queryset(self):
        queryset = super().get_queryset()
        if queryset is None:
            return None
        request = self.context.get("request")
        return queryset.restrict(getattr(request, "user", None), "view")


class RestrictedPrimaryKeyRelatedField(RestrictedRelatedFieldMixin, relations.PrimaryKeyRelatedField):
    """A row chosen by its id, among those the user may see; an id out of range does not exist."""

    def to_internal_value(self, data):
        # A whole number too large for the database names no row; other values keep DRF's messages.
        if isinstance(data, (int, str)) and not isinstance(data, bool) and str(data).strip().lstrip("-").isdigit() \
                and not in_integer_range(data):
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)


class RestrictedSlugRelatedField(RestrictedRelatedFieldMixin, relations.SlugRelatedField):
    """A row chosen by its code, among those the user may see; a code holding NUL does not exist."""

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data.replace("\x00", ""))
        return super().to_internal_value(data)


class ModelSerializer(serializers.ModelSerializer):
    """A model serializer whose generated related fields offer only rows the user may see."""

    serializer_related_field = RestrictedPrimaryKeyRelatedField


class RestrictedViewSetMixin:
    """Every API list and detail goes through the model's restrict(user, action)."""

    queryset_action = "view"

    def get_queryset(self):
        return self.base_queryset().restrict(self.request.user, self.queryset_action)

    def base_queryset(self):
        return self.queryset.all()


class ReadWriteViewSet(RestrictedViewSetMixin, viewsets.ModelViewSet):
    """A model API whose writes go through the app's service functions."""


def build_router() -> DefaultRouter:
    """Collect every installed app's API routes under /api/v1/ (each app names its API modules)."""
    router = DefaultRouter()
    hooks.register_api_routes(router)
    return router
