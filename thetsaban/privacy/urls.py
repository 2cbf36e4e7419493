from django.urls import path

from thetsaban.privacy import views

app_name = "privacy"
urlpatterns = [
    path("", views.Home.as_view(), name="home"),
    path("requests/new/", views.RequestNew.as_view(), name="request_new"),
    path("requests/<int:pk>/", views.RequestDetail.as_view(), name="request"),
    path("requests/<int:pk>/withdraw/", views.RequestWithdraw.as_view(), name="request_withdraw"),
    path("requests/<int:pk>/decide/", views.RequestDecide.as_view(), name="request_decide"),
    path("requests/<int:pk>/copy.zip", views.RequestExport.as_view(), name="request_export"),
    path("queue/", views.Queue.as_view(), name="queue"),
    path("queue/record/", views.RequestRecord.as_view(), name="request_record"),
    path("register/", views.RegisterPage.as_view(), name="register"),
    path("register.csv", views.RegisterCsv.as_view(), name="register_csv"),
    path("breaches/", views.Breaches.as_view(), name="breaches"),
    path("breaches/new/", views.BreachEdit.as_view(), name="breach_new"),
    path("breaches/<int:pk>/", views.BreachEdit.as_view(), name="breach"),
]
