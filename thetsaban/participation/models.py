"""People's participation on every record: comments, endorsements, proposals, flags, follows."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from thetsaban.participation.choices import ModerationAction, ProposalStatus
from thetsaban.participation.targets import ALLOWED_TARGETS
from thetsaban.permissions import RestrictedQuerySet, is_staff


def is_moderator(user) -> bool:
    """Moderators hide and restore content; staff are moderators."""
    return is_staff(user) or bool(user and user.is_authenticated and getattr(user, "is_moderator", False))


class TargetedModel(models.Model):
    """Something attached to a record: a practice, a transfer project or a recommendation."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")

    class Meta:
        abstract = True
        indexes = [models.Index(fields=["content_type", "object_id"])]


def on_records_open_to(user) -> Q:
    """Rows attached to a record open to `user` (the rule the pages' participation panel follows:
    not a draft practice, not a hidden proposal, nothing `user` may not see)."""
    condition = Q(pk__in=[])
    for entry in ALLOWED_TARGETS.values():
        condition |= Q(content_type=ContentType.objects.get_for_model(entry.model),
                       object_id__in=entry.visible(user).values("pk"))
    return condition


class CommentQuerySet(RestrictedQuerySet):
    def restrict(self, user, action="view"):
        if is_moderator(user):
            return self
        # A comment is no more visible than the record it is on, through the pages or the API.
        rows = self.filter(on_records_open_to(user))
        mine = Q(author=user) if user is not None and user.is_authenticated else Q(pk__in=[])
        if action == "view":
            return rows.filter(Q(hidden=False) | mine)
        if action == "change":
            return rows.filter(mine, hidden=False)
        return rows.none()


class Comment(TargetedModel):
    """A signed-in member's comment on a record, or their reply to another comment on it."""

    # Replies nest this deep at most (0 is a comment on the record itself).
    MAX_DEPTH = 3

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="comments")
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True,
                               related_name="replies", verbose_name=_("in reply to"))
    depth = models.PositiveSmallIntegerField(_("depth"), default=0, editable=False)
    text = models.TextField(_("comment"), max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(_("last edited"), null=True, blank=True)
    # A withdrawn comment keeps its place in the thread (its replies stay) but not its text on
    # the pages; the audit trail keeps what it said.
    withdrawn_at = models.DateTimeField(_("withdrawn by its author"), null=True, blank=True)
    hidden = models.BooleanField(_("hidden by a moderator"), default=False)

    objects = CommentQuerySet.as_manager()

    class Meta(TargetedModel.Meta):
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(depth__lte=3), name="participation_comment_depth",
                                   violation_error_message=_("Replies nest three levels deep at most.")),
        ]

    def __str__(self):
        return self.text[:60]

    def get_absolute_url(self):
        target = self.target
        base = target.get_absolute_url() if target is not None else ""
        return f"{base}#comment-{self.pk}"

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class OwnRowsQuerySet(RestrictedQuerySet):
    """Rows that belong to one user (endorsements, flags, follows): each sees their own."""

    owner_field = "user"

    def restrict(self, user, action="view"):
        if is_staff(user):
            return self
        if user is None or not user.is_authenticated:
            return self.none()
        if action in ("view", "delete"):
            return self.filter(**{self.owner_field: user})
        return self.none()


class EndorsementQuerySet(OwnRowsQuerySet):
    pass


class Endorsement(TargetedModel):
    """One member's support for a recommendation or a practice (once per person, withdrawable)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="endorsements")
    created_at = models.DateTimeField(auto_now_add=True)

    # Who supports what is personal data: members see their own; the public sees counts.
    objects = EndorsementQuerySet.as_manager()

    class Meta(TargetedModel.Meta):
        verbose_name = _("endorsement")
        verbose_name_plural = _("endorsements")
        constraints = [
            models.UniqueConstraint(fields=["user", "content_type", "object_id"],
                                    name="participation_endorse_once",
                                    violation_error_message=_("You already support this."))
        ]

    def __str__(self):
        return f"{self.user} + {self.content_type.model} {self.object_id}"


def _count_on(model, target_model, **conditions):
    rows = (model.objects.filter(content_type=ContentType.objects.get_for_model(target_model),
                                 object_id=OuterRef("pk"), **conditions)
            .order_by().values("object_id").annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


class ProposalQuerySet(RestrictedQuerySet):
    def with_counts(self):
        """Each proposal with `comment_count` (shown comments) and `support_count`."""
        return self.annotate(
            comment_count=_count_on(Comment, Proposal, hidden=False, withdrawn_at__isnull=True),
            support_count=_count_on(Endorsement, Proposal))

    def restrict(self, user, action="view"):
        if is_moderator(user):
            return self
        mine = Q(author=user) if user is not None and user.is_authenticated else Q(pk__in=[])
        if action == "view":
            return self.filter(Q(hidden=False) | mine)
        if action == "change":
            return self.filter(mine, status=ProposalStatus.OPEN, hidden=False)
        return self.none()


class Proposal(models.Model):
    """A bottom-up policy proposal from a member, which staff can promote into a recommendation."""

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="proposals")
    lgu = models.ForeignKey("places.Lgu", on_delete=models.SET_NULL, null=True, blank=True,
                            related_name="proposals", verbose_name=_("LGU"))
    themes = models.ManyToManyField("practices.Theme", blank=True, related_name="proposals",
                                    verbose_name=_("themes"))
    title = models.CharField(_("title"), max_length=300)
    problem = models.TextField(_("problem"))
    proposal = models.TextField(_("what should change"))
    status = models.CharField(_("status"), max_length=20, choices=ProposalStatus,
                              default=ProposalStatus.OPEN)
    promoted_to = models.ForeignKey("policy.Recommendation", on_delete=models.SET_NULL, null=True,
                                    blank=True, related_name="proposals",
                                    verbose_name=_("recommendation"))
    hidden = models.BooleanField(_("hidden by a moderator"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(_("last edited"), null=True, blank=True)
    # When it first had as many supporters as the league settings ask: from then on it waits in
    # the staff queue until staff promote or close it.
    threshold_reached_at = models.DateTimeField(_("reached the support threshold"), null=True,
                                                blank=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("participation:proposal", args=[self.pk])


class FlagQuerySet(OwnRowsQuerySet):
    owner_field = "reporter"

    def restrict(self, user, action="view"):
        """Moderators see every flag; a member sees their own."""
        if action == "view" and is_moderator(user):
            return self
        return super().restrict(user, action)

    def open(self):
        return self.filter(resolved_at__isnull=True)


class Flag(TargetedModel):
    """A member's report that content breaks the rules, waiting in the moderation queue."""

    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                 related_name="flags")
    reason = models.CharField(_("reason"), max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    objects = FlagQuerySet.as_manager()

    class Meta(TargetedModel.Meta):
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["reporter", "content_type", "object_id"],
                                    condition=Q(resolved_at__isnull=True),
                                    name="participation_flag_once_while_open",
                                    violation_error_message=_(
                                        "You have already flagged this; a moderator will look at it."))
        ]

    def __str__(self):
        return f"{self.content_type.model} {self.object_id}: {self.reason[:60]}"


class ModerationQuerySet(RestrictedQuerySet):
    def restrict(self, user, action="view"):
        return self if is_moderator(user) and action == "view" else self.none()


class Moderation(TargetedModel):
    """A moderator hiding or restoring content, with the reason (kept for the record)."""

    moderator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                  related_name="+")
    action = models.CharField(_("action"), max_length=10, choices=ModerationAction)
    reason = models.CharField(_("reason"), max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ModerationQuerySet.as_manager()

    class Meta(TargetedModel.Meta):
        verbose_name = _("moderation")
        verbose_name_plural = _("moderation log")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_action_display()} {self.content_type.model} {self.object_id}: {self.reason[:60]}"


class FollowQuerySet(OwnRowsQuerySet):
    pass


class Follow(TargetedModel):
    """A member following a record to be told of its changes by e-mail."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FollowQuerySet.as_manager()

    class Meta(TargetedModel.Meta):
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.UniqueConstraint(fields=["user", "content_type", "object_id"],
                                    name="participation_follow_once",
                                    violation_error_message=_("You already follow this."))
        ]

    def __str__(self):
        return f"{self.user} → {self.content_type.model} {self.object_id}"


class NotificationQuerySet(RestrictedQuerySet):
    def restrict(self, user, action="view"):
        """Each member sees, marks read and clears only their own notices (staff too)."""
        if user is None or not user.is_authenticated:
            return self.none()
        if action in ("view", "change", "delete"):
            return self.filter(recipient=user)
        return self.none()

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(TargetedModel):
    """A notice on a member's page: a record they follow changed (e-mailed as well, if they wish)."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="notifications", verbose_name=_("recipient"))
    record = models.CharField(_("record"), max_length=300)
    summary = models.TextField(_("what changed"), max_length=2000)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read on"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta(TargetedModel.Meta):
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return f"{self.record}: {self.summary[:60]}"
