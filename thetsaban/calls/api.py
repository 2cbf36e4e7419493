"""Calls for practices in the platform API (/api/v1/calls/...): calls with their criteria and
jury, entries, and scores. Scores follow their own rule: before the results are published a
juror reads only their own (and the others' for an entry once they have scored it)."""

from rest_framework import serializers, viewsets

from thetsaban.api import ModelSerializer, RestrictedViewSetMixin
from thetsaban.calls.filters import CallFilterSet, EntryFilterSet, ScoreFilterSet
from thetsaban.calls.models import Call, Criterion, Entry, Juror, Score


class CriterionSerializer(ModelSerializer):
    class Meta:
        model = Criterion
        fields = ["id", "position", "name", "weight"]
        read_only_fields = fields


class JurorSerializer(ModelSerializer):
    name = serializers.CharField(source="display_name", read_only=True)

    class Meta:
        model = Juror
        fields = ["id", "name"]
        read_only_fields = fields


class CallSerializer(ModelSerializer):
    themes = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    criteria = CriterionSerializer(many=True, read_only=True)
    jury = JurorSerializer(source="jurors", many=True, read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Call
        fields = ["id", "title", "description", "themes", "deadline", "winners", "status", "published_at",
                  "results_withdrawn_at", "results_withdrawal_reason", "criteria", "jury", "is_example", "url"]
        read_only_fields = fields

    def get_url(self, call) -> str:
        return self.context["request"].build_absolute_uri(call.get_absolute_url())


class EntrySerializer(ModelSerializer):
    call = serializers.PrimaryKeyRelatedField(read_only=True)
    practice = serializers.PrimaryKeyRelatedField(read_only=True)
    practice_title = serializers.CharField(source="practice.title_th", read_only=True)
    lgu = serializers.CharField(source="practice.lgu.code", read_only=True)

    class Meta:
        model = Entry
        fields = ["id", "call", "practice", "practice_title", "lgu", "submitted_at", "withdrawn_at", "rank",
                  "total", "tied", "recognised", "is_example"]
        read_only_fields = fields


class ScoreSerializer(ModelSerializer):
    entry = serializers.PrimaryKeyRelatedField(read_only=True)
    juror = serializers.PrimaryKeyRelatedField(read_only=True)
    criterion = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Score
        fields = ["id", "entry", "juror", "criterion", "value", "comment", "submitted_at"]
        read_only_fields = fields


class CallViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Calls for new practices with their themes, weighted criteria and jury."""

    queryset = Call.objects.prefetch_related("themes", "criteria", "jurors__user")
    serializer_class = CallSerializer
    filterset_class = CallFilterSet
    ordering_fields = ["deadline", "id"]
    ordering = ["id"]


class EntryViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Entries: the jury's, the entering LGU's and league staff's; everyone's once results are published."""

    queryset = Entry.objects.select_related("practice__lgu")
    serializer_class = EntrySerializer
    filterset_class = EntryFilterSet
    ordering_fields = ["rank", "id"]
    ordering = ["id"]


class ScoreViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Jury scores: public once the results are published; before, a juror's own only (and the
    others' of an entry the juror has scored)."""

    queryset = Score.objects.all()
    serializer_class = ScoreSerializer
    filterset_class = ScoreFilterSet
    ordering_fields = ["id"]
    ordering = ["id"]


def register(router):
    router.register("calls/entries", EntryViewSet, basename="call-entry")
    router.register("calls/scores", ScoreViewSet, basename="call-score")
    router.register("calls", CallViewSet, basename="call")
