"""The participation API: comments, endorsements, proposals, flags and follows.

Writes go through services.py; a rate limit is a 429 with Retry-After, a bad target a 400.
"""

from django.core.validators import ProhibitNullCharactersValidator
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from thetsaban.accounts.services import delete_audited
from thetsaban.api import ModelSerializer, RestrictedSlugRelatedField, RestrictedViewSetMixin
from thetsaban.network import client_address
from thetsaban.participation import services
from thetsaban.participation.filters import (
    CommentFilterSet,
    EndorsementFilterSet,
    FlagFilterSet,
    FollowFilterSet,
    ProposalFilterSet,
)
from thetsaban.participation.models import Comment, Endorsement, Flag, Follow, Proposal
from thetsaban.participation.ratelimit import RateLimited
from thetsaban.participation.targets import (
    ALLOWED_TARGETS,
    CONTENT_TYPE_CHOICES,
    MODERATED_CONTENT,
    TARGET_TYPE_CHOICES,
    UnknownTarget,
    content_type_of,
    find,
    rows_for,
)
from thetsaban.places.models import Lgu
from thetsaban.practices.models import Theme


class TextField(serializers.CharField):
    """Text whose control characters (NUL included) the service removes, rather than refusing it;
    the service also applies the real length cap with its own message."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 100_000)
        super().__init__(**kwargs)
        self.validators = [v for v in self.validators
                           if not isinstance(v, ProhibitNullCharactersValidator)]


def _find_or_400(target_type, target_id, user, registry=None):
    try:
        return find(target_type, target_id, user, registry=registry)
    except UnknownTarget as error:
        raise exceptions.ValidationError({"target_id": [str(error)]}) from None


def _rate_limited(error: RateLimited):
    return exceptions.Throttled(wait=error.retry_after, detail=str(error.message))


class TargetSerializer(ModelSerializer):
    """A row attached to a record named by `target_type` and `target_id`."""

    target_type = serializers.ChoiceField(choices=TARGET_TYPE_CHOICES, source="content_type.model")
    target_id = serializers.IntegerField(source="object_id", min_value=1)

    def validated_target(self):
        data = self.validated_data
        return _find_or_400(data["content_type"]["model"], data["object_id"],
                            self.context["request"].user)


class CommentSerializer(TargetSerializer):
    author = serializers.CharField(source="author.username", read_only=True)
    text = TextField(help_text="Plain text, at most 5,000 characters after cleaning.")

    class Meta:
        model = Comment
        fields = ["id", "target_type", "target_id", "author", "text", "created_at", "hidden"]
        read_only_fields = ["created_at", "hidden"]


class ReasonSerializer(serializers.Serializer):
    reason = TextField(max_length=2000)


class ModerationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    action = serializers.CharField()
    reason = serializers.CharField()
    created_at = serializers.DateTimeField()


class ModerationActionsMixin:
    """POST …/{id}/hide/ and …/{id}/restore/ with a reason: moderators only."""

    def _moderate(self, request, service):
        reason = ReasonSerializer(data=request.data)
        reason.is_valid(raise_exception=True)
        moderation = service(self.get_object(), reason.validated_data["reason"],
                             acting_user=request.user)
        return Response(ModerationSerializer(moderation).data)

    @extend_schema(request=ReasonSerializer, responses=ModerationSerializer)
    @action(detail=True, methods=["post"])
    def hide(self, request, pk=None):
        """Hide this from the public, with the reason (moderators)."""
        return self._moderate(request, services.hide)

    @extend_schema(request=ReasonSerializer, responses=ModerationSerializer)
    @action(detail=True, methods=["post"])
    def restore(self, request, pk=None):
        """Show this again, or keep it visible and resolve its flags, with the reason (moderators)."""
        return self._moderate(request, services.restore)


class CommentViewSet(ModerationActionsMixin, RestrictedViewSetMixin, mixins.ListModelMixin,
                     mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Comments on practices, transfer projects, recommendations and proposals.

    Everyone reads visible comments; members post; moderators see hidden ones and hide or
    restore. Filter with `target_type` and `target_id`.
    """

    queryset = Comment.objects.select_related("author", "content_type")
    serializer_class = CommentSerializer
    filterset_class = CommentFilterSet
    ordering_fields = ["created_at"]
    ordering = ["created_at", "pk"]

    def perform_create(self, serializer):
        target = serializer.validated_target()
        try:
            serializer.instance = services.post_comment(
                target, serializer.validated_data["text"], acting_user=self.request.user,
                ip=client_address(self.request))
        except RateLimited as error:
            raise _rate_limited(error) from None


class EndorsementSerializer(TargetSerializer):
    class Meta:
        model = Endorsement
        fields = ["id", "target_type", "target_id", "created_at"]
        read_only_fields = ["created_at"]


class EndorsementCountSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    endorsed = serializers.BooleanField()


class EndorsementViewSet(RestrictedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                         mixins.CreateModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """A member's own support for recommendations and practices: list, add, withdraw.

    Who supports what is private; `count/` gives anyone the number of supporters of a record.
    """

    queryset = Endorsement.objects.select_related("content_type").order_by("-pk")
    serializer_class = EndorsementSerializer
    filterset_class = EndorsementFilterSet
    ordering = ["-created_at", "-pk"]

    def perform_create(self, serializer):
        serializer.instance = services.endorse(serializer.validated_target(),
                                               acting_user=self.request.user)

    def perform_destroy(self, instance):
        target = instance.target
        if target is None:  # the record itself was deleted
            raise exceptions.NotFound()
        services.withdraw_endorsement(target, acting_user=self.request.user)

    @extend_schema(
        parameters=[OpenApiParameter("target_type", str, enum=list(ALLOWED_TARGETS), required=True),
                    OpenApiParameter("target_id", int, required=True)],
        responses=EndorsementCountSerializer)
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def count(self, request):
        """How many members support a record, and whether the caller does."""
        target = _find_or_400(request.query_params.get("target_type"),
                              request.query_params.get("target_id"), request.user)
        rows = rows_for(Endorsement, target)
        endorsed = request.user.is_authenticated and rows.filter(user=request.user).exists()
        return Response({"count": rows.count(), "endorsed": endorsed})


class ProposalSerializer(ModelSerializer):
    url = serializers.CharField(source="get_absolute_url", read_only=True)
    author = serializers.CharField(source="author.username", read_only=True)
    themes = RestrictedSlugRelatedField(slug_field="code", many=True, required=False,
                                          queryset=Theme.objects.all())
    lgu = RestrictedSlugRelatedField(slug_field="code", required=False, allow_null=True,
                                       queryset=Lgu.objects.all())
    title = TextField()
    problem = TextField()
    proposal = TextField()
    comment_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Proposal
        fields = ["id", "url", "title", "problem", "proposal", "themes", "lgu", "status",
                  "promoted_to", "hidden", "author", "created_at", "comment_count"]
        read_only_fields = ["status", "promoted_to", "hidden", "created_at"]


class PromotedSerializer(serializers.Serializer):
    recommendation = serializers.IntegerField()
    url = serializers.CharField()


class ProposalViewSet(ModerationActionsMixin, RestrictedViewSetMixin, mixins.ListModelMixin,
                      mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Members' bottom-up proposals; staff promote one into a recommendation."""

    queryset = Proposal.objects.select_related("author", "lgu").prefetch_related("themes")
    serializer_class = ProposalSerializer
    filterset_class = ProposalFilterSet
    ordering_fields = ["created_at", "title"]
    ordering = ["-created_at", "-pk"]

    def get_queryset(self):
        comments = (Comment.objects.filter(content_type=content_type_of(Proposal), hidden=False,
                                           object_id=OuterRef("pk"))
                    .order_by().values("object_id").annotate(n=Count("pk")).values("n"))
        return super().get_queryset().annotate(
            comment_count=Coalesce(Subquery(comments, output_field=IntegerField()), 0))

    def perform_create(self, serializer):
        data = serializer.validated_data
        try:
            item = services.submit_proposal(
                acting_user=self.request.user, ip=client_address(self.request),
                title=data["title"], problem=data["problem"], proposal=data["proposal"],
                themes=data.get("themes", []), lgu=data.get("lgu"))
        except RateLimited as error:
            raise _rate_limited(error) from None
        item.comment_count = 0
        serializer.instance = item

    @extend_schema(request=None, responses={201: PromotedSerializer})
    @action(detail=True, methods=["post"])
    def promote(self, request, pk=None):
        """Promote this proposal into a policy recommendation (league staff)."""
        recommendation = services.promote_proposal(self.get_object(), acting_user=request.user)
        return Response({"recommendation": recommendation.pk,
                         "url": recommendation.get_absolute_url()}, status=status.HTTP_201_CREATED)


class FlagSerializer(ModelSerializer):
    target_type = serializers.ChoiceField(choices=CONTENT_TYPE_CHOICES, source="content_type.model")
    target_id = serializers.IntegerField(source="object_id", min_value=1)
    reporter = serializers.CharField(source="reporter.username", read_only=True)
    reason = TextField(max_length=2000)

    class Meta:
        model = Flag
        fields = ["id", "target_type", "target_id", "reason", "reporter", "created_at", "resolved_at"]
        read_only_fields = ["created_at", "resolved_at"]


class FlagViewSet(RestrictedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                  mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Reports of comments or proposals: members file them and see their own; moderators see all."""

    queryset = Flag.objects.select_related("reporter", "content_type")
    serializer_class = FlagSerializer
    filterset_class = FlagFilterSet
    ordering = ["created_at", "pk"]

    def perform_create(self, serializer):
        data = serializer.validated_data
        kind = data["content_type"]["model"]
        target = _find_or_400(kind, data["object_id"], self.request.user, registry=MODERATED_CONTENT)
        serializer.instance = services.flag(target, data["reason"], acting_user=self.request.user)


class FollowSerializer(TargetSerializer):
    class Meta:
        model = Follow
        fields = ["id", "target_type", "target_id", "created_at"]
        read_only_fields = ["created_at"]


class FollowViewSet(RestrictedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                    mixins.CreateModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """The records a member follows (changes are e-mailed): list, follow, unfollow."""

    queryset = Follow.objects.select_related("content_type").order_by("-pk")
    serializer_class = FollowSerializer
    filterset_class = FollowFilterSet
    ordering = ["-created_at", "-pk"]

    def perform_create(self, serializer):
        serializer.instance = services.follow(serializer.validated_target(),
                                              acting_user=self.request.user)

    def perform_destroy(self, instance):
        target = instance.target
        if target is None:
            delete_audited(instance, acting_user=self.request.user)
            return
        services.unfollow(target, acting_user=self.request.user)


def register(router):
    """Add this app's API routes."""
    router.register("comments", CommentViewSet, basename="comment")
    router.register("endorsements", EndorsementViewSet, basename="endorsement")
    router.register("proposals", ProposalViewSet, basename="proposal")
    router.register("flags", FlagViewSet, basename="flag")
    router.register("follows", FollowViewSet, basename="follow")

