from django.urls import path

from thetsaban.localdata import registry_views, views
from thetsaban.localdata.models import REGISTRY_MODELS

app_name = "localdata"
urlpatterns = [
    path("", views.indicator_list, name="indicators"),
    path("indicator/<slug:code>/", views.indicator_detail, name="indicator"),
    path("indicator/<slug:code>/download/", views.indicator_download, name="indicator_download"),
    path("area/<str:level>/<str:code>/", views.area_detail, name="area"),
    path("entry/<str:code>/", views.EntryView.as_view(), name="entry"),
    path("status/<str:code>/", views.entry_status, name="status"),
    path("review/", views.ReviewView.as_view(), name="review"),
    path("import/", views.ImportView.as_view(), name="import"),
    path("datasets/", views.dataset_list, name="datasets"),
    path("datasets/<slug:name>/", views.dataset_detail, name="dataset"),
    path("datasets/<slug:name>/extract/<uuid:resource_id>/", views.extract, name="extract"),
    path("registries/", registry_views.registry_index, name="registries"),
]
for _registry, _model in REGISTRY_MODELS.items():
    urlpatterns += [
        path(f"registries/{_registry}/", registry_views.RegistryListView.as_view(model=_model),
             name="registry", kwargs={"registry": _registry}),
        path(f"registries/{_registry}/add/", registry_views.RegistryCreateView.as_view(model=_model),
             name="registry_add", kwargs={"registry": _registry}),
        path(f"registries/{_registry}/<int:pk>/", registry_views.RegistryDetailView.as_view(model=_model),
             name="registry_record", kwargs={"registry": _registry}),
        path(f"registries/{_registry}/<int:pk>/edit/", registry_views.RegistryUpdateView.as_view(model=_model),
             name="registry_edit", kwargs={"registry": _registry}),
        path(f"registries/{_registry}/<int:pk>/delete/", registry_views.RegistryDeleteView.as_view(model=_model),
             name="registry_delete", kwargs={"registry": _registry}),
    ]
