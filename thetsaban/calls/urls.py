from django.urls import path

from thetsaban.calls import views

app_name = "calls"
urlpatterns = [
    path("", views.CallListView.as_view(), name="index"),
    path("new/", views.CallCreateView.as_view(), name="new"),
    path("<int:pk>/", views.CallDetailView.as_view(), name="detail"),
    path("<int:pk>/jury/", views.JurorAddView.as_view(), name="juror_add"),
    path("<int:pk>/jury/<int:juror>/remove/", views.JurorRemoveView.as_view(), name="juror_remove"),
    path("<int:pk>/enter/", views.EnterView.as_view(), name="enter"),
    path("<int:pk>/publish/", views.PublishView.as_view(), name="publish"),
    path("<int:pk>/unpublish/", views.UnpublishView.as_view(), name="unpublish"),
    path("entries/<int:pk>/", views.EntryDetailView.as_view(), name="entry"),
    path("entries/<int:pk>/withdraw/", views.WithdrawView.as_view(), name="withdraw"),
    path("entries/<int:pk>/declare/", views.DeclareView.as_view(), name="declare"),
    path("entries/<int:pk>/score/", views.ScoreView.as_view(), name="score"),
]
