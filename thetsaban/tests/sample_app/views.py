from django.http import HttpResponse
from django.shortcuts import get_object_or_404

from thetsaban.restricted import RestrictedView
from thetsaban.tests.sample_app.models import Note


class NoteList(RestrictedView):
    model = Note

    def get(self, request):
        return HttpResponse("\n".join(n.title for n in self.restricted()))


class NoteDetail(RestrictedView):
    model = Note

    def get(self, request, pk):
        return HttpResponse(get_object_or_404(self.restricted(), pk=pk).title)
