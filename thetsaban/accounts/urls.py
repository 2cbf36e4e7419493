from allauth.account import views as account_views
from django.urls import path

from thetsaban.accounts import views

app_name = "accounts"
urlpatterns = [
    # The sign-in and sign-out pages are django-allauth's (by e-mail or username; the lockout of
    # django-axes applies); their names stay those the templates and tests use.
    path("login/", account_views.login, name="login"),
    path("logout/", account_views.logout, name="logout"),
    path("profile/", views.profile, name="profile"),
    path("delete/", views.delete_account, name="delete_account"),
    path("roles/", views.role_requests_mine, name="role_requests_mine"),
    path("roles/new/", views.role_request_new, name="role_request_new"),
    path("roles/<int:pk>/withdraw/", views.role_request_withdraw, name="role_request_withdraw"),
    path("role-requests/", views.role_requests, name="role_requests"),
    path("role-requests/<int:pk>/decide/", views.role_request_decide, name="role_request_decide"),
    path("history/<str:app_label>/<str:model>/<str:object_id>/", views.history, name="history"),
]
