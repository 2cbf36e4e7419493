from django.urls import path

from thetsaban.directory import views

app_name = "directory"
urlpatterns = [
    path("", views.index, name="index"),
    path("organisation/<int:pk>/", views.index, name="organisation"),
    path("person/<int:pk>/", views.index, name="person"),
]
