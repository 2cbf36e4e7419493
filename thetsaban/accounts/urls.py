from allauth.account import views as account_views
from django.urls import path

from thetsaban.accounts import views

app_name = "accounts"
urlpatterns = [
    # The sign-in and sign-out pages are django-allauth's (by e-mail or username; the lockout of
    # django-axes applies); their names stay those the templates and tests use.
    path("login/", account_views.login, name="login"),
    path("logout/", account_views.logout, name="logout"),
    path("profile/", views.Profile.as_view(), name="profile"),
    path("delete/", views.DeleteAccount.as_view(), name="delete_account"),
    path("roles/", views.RoleRequestsMine.as_view(), name="role_requests_mine"),
    path("roles/new/", views.RoleRequestNew.as_view(), name="role_request_new"),
    path("roles/<int:pk>/withdraw/", views.RoleRequestWithdraw.as_view(), name="role_request_withdraw"),
    path("role-requests/", views.RoleRequests.as_view(), name="role_requests"),
    path("role-requests/<int:pk>/decide/", views.RoleRequestDecide.as_view(), name="role_request_decide"),
    path("history/<str:app_label>/<str:model>/<str:object_id>/", views.History.as_view(), name="history"),
]
