from django.http import HttpResponse
from django.shortcuts import get_object_or_404

from thetsaban.tests.sample_app.models import Note


def note_list(request):
    return HttpResponse("\n".join(n.title for n in Note.objects.restrict(request.user, "view")))


def note_detail(request, pk):
    return HttpResponse(get_object_or_404(Note.objects.restrict(request.user, "view"), pk=pk).title)
