from django.urls import path

from thetsaban.privacy import views

app_name = "privacy"
urlpatterns = [
    path("", views.home, name="home"),
    path("requests/new/", views.request_new, name="request_new"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/withdraw/", views.request_withdraw, name="request_withdraw"),
    path("requests/<int:pk>/decide/", views.request_decide, name="request_decide"),
    path("requests/<int:pk>/copy.zip", views.request_export, name="request_export"),
    path("queue/", views.queue, name="queue"),
    path("queue/record/", views.request_record, name="request_record"),
    path("register/", views.register_page, name="register"),
    path("register.csv", views.register_csv, name="register_csv"),
    path("breaches/", views.breaches, name="breaches"),
    path("breaches/new/", views.breach_edit, name="breach_new"),
    path("breaches/<int:pk>/", views.breach_edit, name="breach"),
]
