from django.urls import path

from thetsaban.localdata import registry_views, views
from thetsaban.localdata.models import REGISTRY_MODELS

app_name = "localdata"
urlpatterns = [
    path("", views.IndicatorList.as_view(), name="indicators"),
    path("indicator/<slug:code>/", views.IndicatorDetail.as_view(), name="indicator"),
    path("indicator/<slug:code>/download/", views.IndicatorDownload.as_view(), name="indicator_download"),
    path("area/<str:level>/<str:code>/", views.AreaDetail.as_view(), name="area"),
    path("entry/<str:code>/", views.EntryView.as_view(), name="entry"),
    path("status/<str:code>/", views.EntryStatus.as_view(), name="status"),
    path("review/", views.ReviewView.as_view(), name="review"),
    path("import/", views.ImportView.as_view(), name="import"),
    path("datasets/", views.DatasetList.as_view(), name="datasets"),
    path("datasets/<slug:name>/", views.DatasetDetail.as_view(), name="dataset"),
    path("datasets/<slug:name>/extract/<uuid:resource_id>/", views.Extract.as_view(), name="extract"),
    path("datasets/<slug:name>/files/<uuid:resource_id>/", views.ResourceFile.as_view(), name="resource_file"),
    path("registries/", registry_views.registry_index, name="registries"),
]
# Each registry has its own routes, named alike and told apart by their `registry` value:
# reverse("localdata:registry", kwargs={"registry": "community_group"}).
for _registry, _model in REGISTRY_MODELS.items():
    _views = registry_views.views_for(_model)
    _kwargs = {"registry": _registry}
    urlpatterns += [
        path(f"registries/{_registry}/", _views["list"].as_view(), _kwargs, name="registry"),
        path(f"registries/{_registry}/add/", _views["add"].as_view(), _kwargs, name="registry_add"),
        path(f"registries/{_registry}/<int:pk>/", _views["detail"].as_view(), _kwargs, name="registry_record"),
        path(f"registries/{_registry}/<int:pk>/edit/", _views["edit"].as_view(), _kwargs, name="registry_edit"),
        path(f"registries/{_registry}/<int:pk>/delete/", _views["delete"].as_view(), _kwargs,
             name="registry_delete"),
    ]
