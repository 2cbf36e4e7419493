from django.urls import path

from thetsaban.participation import mypage, views

app_name = "participation"
urlpatterns = [
    path("me/", mypage.me, name="me"),
    path("me/notifications/", mypage.notifications, name="notifications"),
    path("me/notifications/read/", mypage.notifications_read, name="notifications_read"),
    path("proposals/", views.proposal_list, name="proposals"),
    path("proposals/new/", views.proposal_new, name="proposal_new"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal"),
    path("proposals/queue/", views.proposal_queue, name="proposal_queue"),
    path("proposals/<int:pk>/edit/", views.proposal_edit, name="proposal_edit"),
    path("proposals/<int:pk>/withdraw/", views.proposal_withdraw, name="proposal_withdraw"),
    path("proposals/<int:pk>/close/", views.proposal_close, name="proposal_close"),
    path("proposals/<int:pk>/promote/", views.proposal_promote, name="proposal_promote"),
    path("comments/<int:pk>/edit/", views.comment_edit, name="comment_edit"),
    path("comments/<int:pk>/withdraw/", views.comment_withdraw, name="comment_withdraw"),
    path("moderation/", views.moderation_queue, name="moderation"),
    path("flag/<str:kind>/<int:pk>/", views.flag, name="flag"),
    path("moderate/<str:kind>/<int:pk>/<str:action>/", views.moderate, name="moderate"),
    path("<str:target_type>/<int:pk>/comment/", views.comment, name="comment"),
    path("<str:target_type>/<int:pk>/endorse/", views.endorse, name="endorse"),
    path("<str:target_type>/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<str:target_type>/<int:pk>/follow/", views.follow, name="follow"),
    path("<str:target_type>/<int:pk>/unfollow/", views.unfollow, name="unfollow"),
]
