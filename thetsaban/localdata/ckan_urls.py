"""The CKAN Action API and DCAT paths, at the site's root as CKAN serves them."""

from django.urls import path, re_path

from thetsaban.localdata import ckan_views

urlpatterns = [
    path("api/3/action/<str:name>", ckan_views.action, name="ckan-action"),
    path("api/action/<str:name>", ckan_views.action, name="ckan-action-unversioned"),
    re_path(r"^dataset/(?P<name>[a-z0-9_\-]+)\.(?P<fmt>ttl|jsonld|rdf)$", ckan_views.dataset_rdf, name="dcat-dataset"),
    re_path(r"^catalog\.(?P<fmt>ttl|jsonld|rdf)$", ckan_views.catalog_rdf, name="dcat-catalog"),
]
