from django.urls import path  # noqa: F401

from thetsaban.coaching import views  # noqa: F401

app_name = "coaching"
urlpatterns = []
