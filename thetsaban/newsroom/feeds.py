"""Atom and RSS feeds of the published news: the league's, a centre's and a theme's, built with
Django's syndication framework (the tests read them back with `feedparser`)."""

from contextvars import ContextVar

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from thetsaban.newsroom.models import NewsPost
from thetsaban.places.models import LearningCentre
from thetsaban.practices.models import Theme

ITEMS = 30

# The request being answered (a Feed instance serves every request: no per-request attribute).
_request = ContextVar("newsroom_feed_request")


class NewsFeed(Feed):
    """RSS 2.0 of the league's news (every centre's included)."""

    def get_object(self, request, region=None, theme=None):
        _request.set(request)
        if region:
            return get_object_or_404(LearningCentre.objects.select_related("region"), region__code=region)  # read by hand: the centres are public places (restrict() views every one)
        if theme:
            return get_object_or_404(Theme.objects.all(), code=theme)  # read by hand: themes are a public list
        return None

    def title(self, obj):
        if isinstance(obj, LearningCentre):
            return _("News of %(centre)s") % {"centre": obj.name}
        if isinstance(obj, Theme):
            return _("News on %(theme)s") % {"theme": obj.name}
        return _("News of the league · Thetsaban")

    def link(self, obj):
        url = reverse("newsroom:list")
        if isinstance(obj, LearningCentre):
            return f"{url}?centre={obj.region.code}"
        if isinstance(obj, Theme):
            return f"{url}?theme={obj.code}"
        return url

    def description(self, obj):
        return _("News of the learning network, its practices, pilots and events.")

    def items(self, obj):
        posts = NewsPost.objects.published().select_related("centre__region", "author")  # read by hand: a feed is public, published posts only
        if isinstance(obj, LearningCentre):
            posts = posts.filter(centre=obj)
        elif isinstance(obj, Theme):
            posts = posts.filter(themes=obj)
        return posts.order_by("-published_at", "-pk")[:ITEMS]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_guid(self, item):
        return f"thetsaban-news-{item.pk}"

    item_guid_is_permalink = False

    def item_categories(self, item):
        return [theme.name for theme in item.themes.all()]

    def item_enclosure_url(self, item):
        if item.image:
            return _request.get().build_absolute_uri(reverse("newsroom:image", args=[item.pk]))
        return None

    def item_enclosure_length(self, item):
        try:
            return item.image.size if item.image else 0
        except OSError:
            return 0

    def item_enclosure_mime_type(self, item):
        return "image/png" if item.image and item.image.name.lower().endswith(".png") else "image/jpeg"


class AtomNewsFeed(NewsFeed):
    """The same news as Atom 1.0."""

    feed_type = Atom1Feed

    def subtitle(self, obj):
        return self.description(obj)
