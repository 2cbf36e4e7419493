from django.urls import path

from thetsaban.directory import views

app_name = "directory"
urlpatterns = [
    path("", views.DirectoryIndexView.as_view(), name="index"),
    path("organisation/<int:pk>/", views.OrganisationDetailView.as_view(), name="organisation"),
    path("organisation/<int:pk>/edit/", views.OrganisationEdit.as_view(), name="organisation_edit"),
    path("organisation/<int:organisation_pk>/roles/new/", views.PostEdit.as_view(), name="post_add"),
    path("role/<int:pk>/edit/", views.PostEdit.as_view(), name="post_edit"),
    path("person/<int:pk>/", views.PersonDetailView.as_view(), name="person"),
]
