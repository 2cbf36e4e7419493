from django.urls import path

from thetsaban.tests.sample_app import views

app_name = "sample_app"
urlpatterns = [
    path("", views.note_list, name="list"),
    path("<int:pk>/", views.note_detail, name="detail"),
]
