from django.urls import path

from thetsaban.localdata import views

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
    path("datasets/<slug:name>/files/<uuid:resource_id>/", views.resource_file, name="resource_file"),
]
