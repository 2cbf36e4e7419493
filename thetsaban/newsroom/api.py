"""The newsroom in the platform API (/api/v1/): news posts and joint undertakings, read only."""

from django.db.models import Prefetch
from django.urls import reverse
from rest_framework import serializers, viewsets

from thetsaban.api import ModelSerializer, RestrictedViewSetMixin
from thetsaban.learning.models import Event
from thetsaban.newsroom.filters import NewsPostFilterSet, UndertakingFilterSet
from thetsaban.newsroom.models import Agreement, JointUndertaking, NewsPost
from thetsaban.policy.models import Recommendation
from thetsaban.practices.models import Practice


class NewsPostSerializer(ModelSerializer):
    centre = serializers.CharField(source="centre.region.code", read_only=True, allow_null=True, default=None,
                                   help_text="The region code of the centre; null for news of the league.")
    themes = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    practices = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    transfers = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    events = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    recommendations = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    image = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = NewsPost
        fields = ["id", "centre", "status", "title", "summary", "body", "published_at", "themes", "practices",
                  "transfers", "events", "recommendations", "image", "is_example", "url"]
        read_only_fields = fields

    def get_image(self, post) -> str | None:
        if not post.image:
            return None
        return self.context["request"].build_absolute_uri(reverse("newsroom:image", args=[post.pk]))

    def get_url(self, post) -> str:
        return self.context["request"].build_absolute_uri(post.get_absolute_url())


class NewsPostViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """News of the league and the learning centres: published posts for everyone, drafts for their writers."""

    queryset = NewsPost.objects.select_related("centre__region")
    serializer_class = NewsPostSerializer
    filterset_class = NewsPostFilterSet
    ordering_fields = ["published_at", "id"]
    ordering = ["-published_at", "-id"]

    def base_queryset(self):
        """Linked records only as far as the reader may see them (no draft practice or event)."""
        user = self.request.user
        return self.queryset.prefetch_related(
            "themes", "transfers",
            Prefetch("practices", queryset=Practice.objects.restrict(user, "view").published()),
            Prefetch("events", queryset=Event.objects.restrict(user, "view")),
            Prefetch("recommendations", queryset=Recommendation.objects.restrict(user, "view").visible()))


class AgreementSerializer(ModelSerializer):
    file = serializers.SerializerMethodField()

    class Meta:
        model = Agreement
        fields = ["id", "title", "signed_on", "file"]
        read_only_fields = fields

    def get_file(self, agreement) -> str:
        return self.context["request"].build_absolute_uri(agreement.get_absolute_url())


class UndertakingSerializer(ModelSerializer):
    lead_lgu = serializers.CharField(source="lead_lgu.code", read_only=True)
    members = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    practices = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    indicators = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True,
                                              help_text="Codes of the data hub's indicators the LGUs share.")
    agreements = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = JointUndertaking
        fields = ["id", "title", "purpose", "lead_lgu", "members", "start_date", "practices", "indicators", "agreements",
                  "is_example", "url"]
        read_only_fields = fields

    def get_agreements(self, undertaking) -> list[dict]:
        """The agreements the reader may open (the editors of the undertaking's LGUs, staff)."""
        request = self.context["request"]
        rows = Agreement.objects.restrict(request.user, "view").filter(undertaking=undertaking)
        return AgreementSerializer(rows, many=True, context=self.context).data

    def get_url(self, undertaking) -> str:
        return self.context["request"].build_absolute_uri(undertaking.get_absolute_url())


class UndertakingViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Joint undertakings of LGUs (public), with the agreements the reader may open."""

    queryset = JointUndertaking.objects.select_related("lead_lgu").prefetch_related("indicators")
    serializer_class = UndertakingSerializer
    filterset_class = UndertakingFilterSet
    ordering_fields = ["title", "id"]
    ordering = ["id"]

    def base_queryset(self):
        practices = Practice.objects.restrict(self.request.user, "view").published()
        return self.queryset.prefetch_related("members", Prefetch("practices", queryset=practices))


def register(router):
    router.register("news", NewsPostViewSet, basename="news-post")
    router.register("joint-undertakings", UndertakingViewSet, basename="joint-undertaking")
