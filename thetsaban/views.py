from django.http import JsonResponse
from django.shortcuts import render
from django.views import defaults
from rest_framework.exceptions import NotFound

from thetsaban.places.models import Lgu
from thetsaban.practices.models import Practice, Theme
from thetsaban.restricted import RestrictedView


class Home(RestrictedView):
    """The front page: search, the themes, and the newest published practices."""

    model = Practice

    def get(self, request):
        published = self.restricted().published()
        return render(request, "home.html", {
            "practices": published.with_related()[:6],
            "themes": self.restricted(Theme),
            "practice_count": published.count(),
            "lgu_count": self.restricted(Lgu).filter(pk__in=published.values("lgu_id")).count(),
        })


def page_not_found(request, exception):
    """A missing page; under /api/ the JSON error body the API's own 404s have."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(NotFound.default_detail)}, status=404)
    return defaults.page_not_found(request, exception)
