from django.urls import path

from thetsaban.directory import views

app_name = "directory"
urlpatterns = [
    path("", views.DirectoryIndexView.as_view(), name="index"),
    path("organisation/<int:pk>/", views.OrganisationDetailView.as_view(), name="organisation"),
    path("person/<int:pk>/", views.PersonDetailView.as_view(), name="person"),
]
