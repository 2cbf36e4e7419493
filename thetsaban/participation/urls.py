from django.urls import path

from thetsaban.participation import mypage, views

app_name = "participation"
urlpatterns = [
    path("me/", mypage.MyPage.as_view(), name="me"),
    path("me/notifications/", mypage.Notifications.as_view(), name="notifications"),
    path("me/notifications/read/", mypage.NotificationsRead.as_view(), name="notifications_read"),
    path("proposals/", views.ProposalList.as_view(), name="proposals"),
    path("proposals/new/", views.proposal_new, name="proposal_new"),
    path("proposals/<int:pk>/", views.ProposalDetail.as_view(), name="proposal"),
    path("proposals/queue/", views.proposal_queue, name="proposal_queue"),
    path("proposals/<int:pk>/edit/", views.ProposalEdit.as_view(), name="proposal_edit"),
    path("proposals/<int:pk>/withdraw/", views.ProposalWithdraw.as_view(), name="proposal_withdraw"),
    path("proposals/<int:pk>/close/", views.ProposalClose.as_view(), name="proposal_close"),
    path("proposals/<int:pk>/promote/", views.ProposalPromote.as_view(), name="proposal_promote"),
    path("comments/<int:pk>/edit/", views.CommentEdit.as_view(), name="comment_edit"),
    path("comments/<int:pk>/withdraw/", views.CommentWithdraw.as_view(), name="comment_withdraw"),
    path("moderation/", views.ModerationQueue.as_view(), name="moderation"),
    path("flag/<str:kind>/<int:pk>/", views.FlagContent.as_view(), name="flag"),
    path("moderate/<str:kind>/<int:pk>/<str:action>/", views.Moderate.as_view(), name="moderate"),
    path("<str:target_type>/<int:pk>/comment/", views.CommentPost.as_view(), name="comment"),
    path("<str:target_type>/<int:pk>/endorse/", views.endorse, name="endorse"),
    path("<str:target_type>/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<str:target_type>/<int:pk>/follow/", views.follow, name="follow"),
    path("<str:target_type>/<int:pk>/unfollow/", views.unfollow, name="unfollow"),
]
