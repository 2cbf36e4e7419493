from django.urls import path  # noqa: F401

from thetsaban.participation import views  # noqa: F401

app_name = "participation"
urlpatterns = []
