from django.urls import path

from thetsaban.directory import views

app_name = "directory"
urlpatterns = [
    path("", views.DirectoryIndexView.as_view(), name="index"),
    path("organisation/<int:pk>/", views.OrganisationDetailView.as_view(), name="organisation"),
    path("organisation/<int:pk>/edit/", views.organisation_edit, name="organisation_edit"),
    path("organisation/<int:organisation_pk>/roles/new/", views.post_edit, name="post_add"),
    path("role/<int:pk>/edit/", views.post_edit, name="post_edit"),
    path("person/<int:pk>/", views.PersonDetailView.as_view(), name="person"),
]
