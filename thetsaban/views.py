from django.http import JsonResponse
from django.shortcuts import render
from django.views import defaults
from rest_framework.exceptions import NotFound

from thetsaban.places.models import Lgu
from thetsaban.practices.models import Practice, Theme


def home(request):
    """The front page: search, the themes, and the newest published practices."""
    practices = Practice.objects.restrict(request.user, "view").published().with_related()[:6]
    return render(request, "home.html", {
        "practices": practices,
        "themes": Theme.objects.all(),
        "practice_count": Practice.objects.published().count(),
        "lgu_count": Lgu.objects.filter(practices__status="published").distinct().count(),
    })


def page_not_found(request, exception):
    """A missing page; under /api/ the JSON error body the API's own 404s have."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(NotFound.default_detail)}, status=404)
    return defaults.page_not_found(request, exception)
