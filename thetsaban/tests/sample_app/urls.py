from django.urls import path

from thetsaban.tests.sample_app import views

app_name = "sample_app"
urlpatterns = [
    path("", views.NoteList.as_view(), name="list"),
    path("<int:pk>/", views.NoteDetail.as_view(), name="detail"),
]
