from django.urls import path  # noqa: F401

from thetsaban.transfers import views  # noqa: F401

app_name = "transfers"
urlpatterns = []
