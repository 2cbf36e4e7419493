from django.urls import path

from thetsaban.coaching import matching_views as views

app_name = "matching"
urlpatterns = [
    path("", views.MatchingHome.as_view(), name="home"),
    path("run/", views.run, name="run_now"),
    path("runs/<int:pk>/", views.RunDetail.as_view(), name="run"),
    path("runs/<int:pk>/accept-all/", views.accept_all, name="accept_all"),
    path("proposals/<int:pk>/accept/", views.accept, name="accept"),
    path("proposals/<int:pk>/reject/", views.reject, name="reject"),
]
