from django.urls import path

from thetsaban.eservice import views

app_name = "eservice"
urlpatterns = [
    path("", views.request_list, name="list"),
    path("report/", views.report, name="report"),
    path("report/places.json", views.places, name="places"),
    path("report/nearby.json", views.nearby, name="nearby"),
    path("map.json", views.map_points, name="map"),
    path("inbox/", views.inbox, name="inbox"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/handle/", views.handle, name="handle"),
    path("requests/<int:pk>/assign/", views.assign, name="assign"),
    path("requests/<int:pk>/me-too/", views.me_too, name="me_too"),
    path("requests/<int:pk>/reject-fix/", views.reject_fix, name="reject_fix"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("photos/<int:pk>/thumb/", views.photo, {"size": "thumb"}, name="thumb"),
    path("lgu/<slug:jurisdiction_id>/", views.request_list, name="lgu"),
    path("lgu/<slug:jurisdiction_id>/map.json", views.map_points, name="lgu_map"),
    path("lgu/<slug:jurisdiction_id>/stats/", views.lgu_stats, name="stats"),
    path("lgu/<slug:jurisdiction_id>/services/", views.catalogue, name="catalogue"),
]
