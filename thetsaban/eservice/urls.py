from django.urls import path

from thetsaban.eservice import views

app_name = "eservice"
urlpatterns = [
    path("", views.RequestList.as_view(), name="list"),
    path("report/", views.Report.as_view(), name="report"),
    path("report/places.json", views.Places.as_view(), name="places"),
    path("report/nearby.json", views.Nearby.as_view(), name="nearby"),
    path("map.json", views.MapPoints.as_view(), name="map"),
    path("inbox/", views.Inbox.as_view(), name="inbox"),
    path("requests/<int:pk>/", views.RequestDetail.as_view(), name="request"),
    path("requests/<int:pk>/handle/", views.Handle.as_view(), name="handle"),
    path("requests/<int:pk>/assign/", views.Assign.as_view(), name="assign"),
    path("requests/<int:pk>/me-too/", views.MeToo.as_view(), name="me_too"),
    path("requests/<int:pk>/reject-fix/", views.RejectFix.as_view(), name="reject_fix"),
    path("photos/<int:pk>/", views.PhotoFile.as_view(), name="photo"),
    path("photos/<int:pk>/thumb/", views.PhotoFile.as_view(), {"size": "thumb"}, name="thumb"),
    path("lgu/<slug:jurisdiction_id>/", views.RequestList.as_view(), name="lgu"),
    path("lgu/<slug:jurisdiction_id>/map.json", views.MapPoints.as_view(), name="lgu_map"),
    path("lgu/<slug:jurisdiction_id>/stats/", views.LguStats.as_view(), name="stats"),
    path("lgu/<slug:jurisdiction_id>/services/", views.Catalogue.as_view(), name="catalogue"),
]
