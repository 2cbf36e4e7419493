from django.urls import path

from thetsaban.newsroom import feeds, views

app_name = "newsroom"
urlpatterns = [
    path("", views.NewsListView.as_view(), name="list"),
    path("new/", views.NewsFormView.as_view(), name="new"),
    path("<int:pk>/", views.NewsDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.NewsFormView.as_view(), name="edit"),
    path("<int:pk>/publish/", views.PublishView.as_view(), name="publish"),
    path("<int:pk>/picture/", views.NewsImageView.as_view(), name="image"),
    path("feed/rss/", feeds.NewsFeed(), name="rss"),
    path("feed/atom/", feeds.AtomNewsFeed(), name="atom"),
    path("centres/<slug:region>/rss/", feeds.NewsFeed(), name="centre_rss"),
    path("centres/<slug:region>/atom/", feeds.AtomNewsFeed(), name="centre_atom"),
    path("themes/<slug:theme>/rss/", feeds.NewsFeed(), name="theme_rss"),
    path("themes/<slug:theme>/atom/", feeds.AtomNewsFeed(), name="theme_atom"),
    path("joint-undertakings/", views.UndertakingListView.as_view(), name="undertakings"),
    path("joint-undertakings/new/", views.UndertakingFormView.as_view(), name="undertaking_new"),
    path("joint-undertakings/<int:pk>/", views.UndertakingDetailView.as_view(), name="undertaking"),
    path("joint-undertakings/<int:pk>/edit/", views.UndertakingFormView.as_view(), name="undertaking_edit"),
    path("joint-undertakings/<int:pk>/agreements/", views.AgreementAddView.as_view(), name="agreement_add"),
    path("agreements/<int:pk>/", views.AgreementFileView.as_view(), name="agreement"),
]
