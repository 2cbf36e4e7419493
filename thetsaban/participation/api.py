"""The participation API: comments, endorsements, proposals, flags and follows.

Writes go through services.py; a rate limit is a 429 with Retry-After, a bad target a 400.
"""

from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext as _
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
from thetsaban.participation.models import (
    Comment,
    Endorsement,
    Flag,
    Follow,
    Notification,
    Proposal,
)
from thetsaban.participation.ratelimit import RateLimited
from thetsaban.participation.targets import (
    ALLOWED_TARGETS,
    CONTENT_TYPE_CHOICES,
    MODERATED_CONTENT,
    TARGET_TYPE_CHOICES,
    UnknownTarget,
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
    text = TextField(help_text="Plain text, at most 5,000 characters after cleaning. Empty once "
                               "its author has withdrawn the comment.")
    parent = serializers.IntegerField(
        source="parent_id", min_value=1, max_value=2**63 - 1, required=False, allow_null=True,
        help_text="The comment this one replies to (on the same record); empty for a comment on "
                  "the record itself.")
    withdrawn = serializers.BooleanField(read_only=True)

    class Meta:
        model = Comment
        fields = ["id", "target_type", "target_id", "parent", "depth", "author", "text",
                  "created_at", "edited_at", "withdrawn", "withdrawn_at", "hidden"]
        read_only_fields = ["depth", "created_at", "edited_at", "withdrawn_at", "hidden"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if instance.withdrawn:
            data["text"] = ""  # what it said stays in the audit trail only
        return data


class CommentEditSerializer(serializers.Serializer):
    text = TextField(help_text="The corrected text: plain text, at most 5,000 characters.")


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
                     mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
                     viewsets.GenericViewSet):
    """Comments on practices, transfer projects, recommendations and proposals, and replies.

    Everyone reads visible comments; members post, reply (`parent`), and correct (PATCH, while
    the league's rules allow) or withdraw their own; moderators see hidden ones and hide or
    restore. Filter with `target_type`, `target_id` and `parent`.
    """

    queryset = Comment.objects.select_related("author", "content_type")
    serializer_class = CommentSerializer
    filterset_class = CommentFilterSet
    ordering_fields = ["created_at"]
    ordering = ["created_at", "pk"]

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return CommentEditSerializer
        return super().get_serializer_class()

    def perform_create(self, serializer):
        target = serializer.validated_target()
        parent = None
        parent_id = serializer.validated_data.get("parent_id")
        if parent_id is not None:
            parent = Comment.objects.restrict(self.request.user, "view").filter(pk=parent_id).first()
            if parent is None:
                raise exceptions.ValidationError({"parent": [
                    _("There is no comment %(id)s that you can reply to.") % {"id": parent_id}]})
        try:
            serializer.instance = services.post_comment(
                target, serializer.validated_data["text"], acting_user=self.request.user,
                ip=client_address(self.request), parent=parent)
        except RateLimited as error:
            raise _rate_limited(error) from None

    @extend_schema(request=CommentEditSerializer, responses=CommentSerializer)
    def update(self, request, *args, **kwargs):
        """Correct one's own comment (its author, within the league's minutes, while nobody replied)."""
        edit = CommentEditSerializer(data=request.data)
        edit.is_valid(raise_exception=True)
        comment = services.edit_comment(self.get_object(), edit.validated_data["text"],
                                        acting_user=request.user)
        return Response(CommentSerializer(comment, context=self.get_serializer_context()).data)

    @extend_schema(request=CommentEditSerializer, responses=CommentSerializer)
    def partial_update(self, request, *args, **kwargs):
        """Correct one's own comment (as PUT)."""
        return self.update(request, *args, **kwargs)

    @extend_schema(request=None, responses=CommentSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Withdraw one's own comment: it stays in its thread, marked withdrawn, without its text."""
        comment = services.withdraw_comment(self.get_object(), acting_user=request.user)
        return Response(CommentSerializer(comment, context=self.get_serializer_context()).data)


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
    """A member's own support for recommendations, practices and open proposals: list, add, withdraw.

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
    support_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Proposal
        fields = ["id", "url", "title", "problem", "proposal", "themes", "lgu", "status",
                  "promoted_to", "hidden", "author", "created_at", "edited_at", "comment_count",
                  "support_count", "threshold_reached_at"]
        read_only_fields = ["status", "promoted_to", "hidden", "created_at", "edited_at",
                            "threshold_reached_at"]


class PromotedSerializer(serializers.Serializer):
    recommendation = serializers.IntegerField()
    url = serializers.CharField()


class ProposalViewSet(ModerationActionsMixin, RestrictedViewSetMixin, mixins.ListModelMixin,
                      mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
                      viewsets.GenericViewSet):
    """Members' bottom-up proposals. Members support them through `endorsements/`; one with
    enough supporters waits for staff (`waiting_for_staff=true`), who promote it into a
    recommendation or close it. Its author changes it (while open and unsupported) or withdraws it.
    """

    queryset = Proposal.objects.select_related("author", "lgu").prefetch_related("themes")
    serializer_class = ProposalSerializer
    filterset_class = ProposalFilterSet
    ordering_fields = ["created_at", "title"]
    ordering = ["-created_at", "-pk"]

    def get_queryset(self):
        return super().get_queryset().with_counts()

    def perform_update(self, serializer):
        data = serializer.validated_data
        item = serializer.instance
        themes = data["themes"] if "themes" in data else list(item.themes.all())
        services.edit_proposal(
            item, acting_user=self.request.user, title=data.get("title", item.title),
            problem=data.get("problem", item.problem), proposal=data.get("proposal", item.proposal),
            themes=themes, lgu=data["lgu"] if "lgu" in data else item.lgu)
        serializer.instance = self.get_queryset().get(pk=item.pk)

    @extend_schema(request=None, responses=ProposalSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Withdraw one's own open proposal."""
        services.withdraw_proposal(self.get_object(), acting_user=request.user)
        return Response(ProposalSerializer(self.get_queryset().get(pk=pk),
                                           context=self.get_serializer_context()).data)

    @extend_schema(request=ReasonSerializer, responses=ProposalSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close an open proposal without promoting it, with the reason (league staff)."""
        reason = ReasonSerializer(data=request.data)
        reason.is_valid(raise_exception=True)
        services.close_proposal(self.get_object(), reason.validated_data["reason"],
                                acting_user=request.user)
        return Response(ProposalSerializer(self.get_queryset().get(pk=pk),
                                           context=self.get_serializer_context()).data)

    def perform_create(self, serializer):
        data = serializer.validated_data
        try:
            item = services.submit_proposal(
                acting_user=self.request.user, ip=client_address(self.request),
                title=data["title"], problem=data["problem"], proposal=data["proposal"],
                themes=data.get("themes", []), lgu=data.get("lgu"))
        except RateLimited as error:
            raise _rate_limited(error) from None
        item.comment_count = item.support_count = 0
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


class NotificationSerializer(TargetSerializer):
    url = serializers.CharField(read_only=True, help_text="The page of the record that changed.")
    unread = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "target_type", "target_id", "record", "summary", "url", "created_at",
                  "read_at", "unread"]
        read_only_fields = fields

    def get_unread(self, notification) -> bool:
        return notification.read_at is None


class MarkedReadSerializer(serializers.Serializer):
    marked_read = serializers.IntegerField(help_text="How many notices were unread and are now read.")


@extend_schema(parameters=[OpenApiParameter("unread", bool, description="true: only unread notices.")])
class NotificationViewSet(RestrictedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                          viewsets.GenericViewSet):
    """A member's stored notices (what changed on what they follow): list and mark read.

    Each member sees only their own; a visitor who is not signed in has none.
    """

    queryset = Notification.objects.select_related("content_type")
    serializer_class = NotificationSerializer
    ordering = ["-created_at", "-pk"]

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.request.query_params.get("unread", "").lower() in ("1", "true", "yes"):
            queryset = queryset.unread()
        return queryset

    def _require_member(self, request):
        if not request.user.is_authenticated:
            raise exceptions.NotAuthenticated()

    @extend_schema(request=None, responses=MarkedReadSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        """Mark one of one's notices read."""
        self._require_member(request)
        notification = self.get_object()
        count = services.mark_read(Notification.objects.filter(pk=notification.pk), acting_user=request.user)
        return Response({"marked_read": count})

    @extend_schema(request=None, responses=MarkedReadSerializer)
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        """Mark every one of one's notices read."""
        self._require_member(request)
        count = services.mark_read(self.get_queryset(), acting_user=request.user)
        return Response({"marked_read": count})


def register(router):
    """Add this app's API routes."""
    router.register("comments", CommentViewSet, basename="comment")
    router.register("endorsements", EndorsementViewSet, basename="endorsement")
    router.register("proposals", ProposalViewSet, basename="proposal")
    router.register("flags", FlagViewSet, basename="flag")
    router.register("follows", FollowViewSet, basename="follow")
    router.register("notices", NotificationViewSet, basename="notice")

