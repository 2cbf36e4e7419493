"""Shared pieces of the REST API views and the router that collects every app's routes."""

from rest_framework import viewsets
from rest_framework.routers import DefaultRouter


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
    """Collect every app's API routes under /api/v1/."""
    from thetsaban.directory import api as directory_api
    from thetsaban.places import api as places_api
    from thetsaban.practices import api as practices_api

    router = DefaultRouter()
    for module in (places_api, directory_api, practices_api):
        module.register(router)
    return router
