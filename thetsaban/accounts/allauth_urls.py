"""django-allauth's account pages (sign-up, confirmation, password reset and change, e-mail
addresses), under the names allauth itself reverses (`account_signup` …), so without a namespace."""

from django.urls import include, path

urlpatterns = [path("", include("allauth.account.urls"))]
