"""The FilterSets of participation: they serve the web lists and the API alike."""

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from thetsaban import thai
from thetsaban.accounts.models import LeagueSettings
from thetsaban.filtering import IntegerFilter, ModelChoiceFilter
from thetsaban.participation.choices import ProposalStatus
from thetsaban.participation.models import Comment, Endorsement, Flag, Follow, Proposal
from thetsaban.participation.targets import (
    ALLOWED_TARGETS,
    CONTENT_TYPE_CHOICES,
    MODERATED_CONTENT,
    TARGET_TYPE_CHOICES,
)
from thetsaban.practices.models import Theme


def _content_type(label: str) -> ContentType:
    app_label, model = label.split(".")
    return ContentType.objects.get_by_natural_key(app_label, model.lower())


class TargetFilterSet(django_filters.FilterSet):
    """Rows attached to a record, chosen by its type word and id."""

    target_type = django_filters.ChoiceFilter(
        method="filter_target_type", label=_("Target type"),
        choices=TARGET_TYPE_CHOICES)
    target_id = IntegerFilter(field_name="object_id", label=_("Target id"),
                                            min_value=1)

    def filter_target_type(self, queryset, name, value):
        return queryset.filter(content_type=_content_type(ALLOWED_TARGETS[value].model_label))


class CommentFilterSet(TargetFilterSet):
    parent = IntegerFilter(field_name="parent_id", label=_("In reply to (comment id)"), min_value=1)

    class Meta:
        model = Comment
        fields = ["hidden"]


class EndorsementFilterSet(TargetFilterSet):
    class Meta:
        model = Endorsement
        fields = []


class FollowFilterSet(TargetFilterSet):
    class Meta:
        model = Follow
        fields = []


class FlagFilterSet(django_filters.FilterSet):
    target_type = django_filters.ChoiceFilter(
        method="filter_target_type", label=_("Flagged content"),
        choices=CONTENT_TYPE_CHOICES)
    target_id = IntegerFilter(field_name="object_id", label=_("Content id"),
                                            min_value=1)
    open = django_filters.BooleanFilter(field_name="resolved_at", lookup_expr="isnull",
                                        label=_("Waiting for a moderator"))

    class Meta:
        model = Flag
        fields = []

    def filter_target_type(self, queryset, name, value):
        return queryset.filter(content_type=_content_type(MODERATED_CONTENT[value]))


class ProposalFilterSet(django_filters.FilterSet):
    """The proposals list: a text query, status, theme and LGU."""

    q = django_filters.CharFilter(method="filter_q", label=_("Search"), max_length=200)
    status = django_filters.ChoiceFilter(choices=ProposalStatus.choices, label=_("Status"))
    theme = ModelChoiceFilter(field_name="themes", to_field_name="code",
                                             queryset=Theme.objects.all(), label=_("Theme"))
    lgu = django_filters.CharFilter(field_name="lgu__code", label=_("LGU code"))
    waiting_for_staff = django_filters.BooleanFilter(
        method="filter_waiting", label=_("Waiting for league staff (reached the support threshold)"))

    class Meta:
        model = Proposal
        fields = []

    def filter_waiting(self, queryset, name, value):
        threshold = LeagueSettings.load().proposal_support_threshold
        waiting = (Q(status=ProposalStatus.OPEN, hidden=False)
                   & (Q(threshold_reached_at__isnull=False) | Q(support_count__gte=threshold)))
        if "support_count" not in queryset.query.annotations:
            queryset = queryset.with_counts()
        return queryset.filter(waiting) if value else queryset.exclude(waiting)

    def filter_q(self, queryset, name, value):
        words = thai.clean(value).split()
        for word in words[:10]:
            queryset = queryset.filter(Q(title__icontains=word) | Q(problem__icontains=word)
                                       | Q(proposal__icontains=word))
        return queryset
