from django.urls import path  # noqa: F401

from thetsaban.policy import views  # noqa: F401

app_name = "policy"
urlpatterns = []
