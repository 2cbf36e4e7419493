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
    from thetsaban.coaching import api as coaching_api
    from thetsaban.coaching import matching_api
    from thetsaban.directory import api as directory_api
    from thetsaban.participation import api as participation_api
    from thetsaban.places import api as places_api
    from thetsaban.policy import api as policy_api
    from thetsaban.practices import api as practices_api
    from thetsaban.transfers import api as transfers_api

    router = DefaultRouter()
    modules = (places_api, directory_api, practices_api, coaching_api, matching_api,
               transfers_api, policy_api, participation_api)
    for module in modules:
        module.register(router)
    return router
