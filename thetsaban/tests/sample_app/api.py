from rest_framework import viewsets

from thetsaban.api import ModelSerializer, RestrictedViewSetMixin
from thetsaban.tests.sample_app.models import Note


class NoteSerializer(ModelSerializer):
    class Meta:
        model = Note
        fields = ["id", "title"]


class NoteViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Note.objects.all()
    serializer_class = NoteSerializer


def register(router):
    router.register("sample-notes", NoteViewSet, basename="sample-note")
