from django.shortcuts import render

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
