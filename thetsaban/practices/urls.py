from django.urls import path

from thetsaban.practices import views

app_name = "practices"
urlpatterns = [
    path("", views.index, name="list"),
    path("map/", views.index, name="map"),
    path("review/", views.index, name="review_queue"),
    path("mine/", views.index, name="mine"),
    path("<int:pk>/", views.index, name="detail"),
]
