from django.urls import path

from thetsaban.places import views

app_name = "places"
urlpatterns = [
    path("", views.LguListView.as_view(), name="lgus"),
    path("import/", views.LguImportView.as_view(), name="import"),
    path("lgu/<str:code>/", views.LguDetailView.as_view(), name="lgu"),
    path("region/<slug:code>/", views.RegionDetailView.as_view(), name="region"),
    path("province/<str:code>/", views.ProvinceDetailView.as_view(), name="province"),
]
