"""What the practices app puts into the search index (read by the search app through hooks)."""

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from thetsaban.hooks import SearchIndex
from thetsaban.search.documents import join


def practice_document(practice) -> dict | None:
    if not practice.is_published:
        return None
    lgu = practice.lgu
    with translation.override("th"):
        themes = [t.name_th + " " + t.name_en for t in practice.themes.all()]
        steps = [join(s.title, s.description, s.output) for s in practice.steps.all()]
        results = [join(r.description, r.indicator) for r in practice.results.all()]
    return {
        "title": practice.title_th,
        "title_en": practice.title_en,
        "body": join(
            practice.summary, practice.situation_before, practice.objectives, *steps, *results,
            practice.transferability, practice.lessons, practice.recognition_detail,
            lgu.name_th, lgu.name_en, lgu.short_name, lgu.province.name_th, lgu.province.name_en,
            *themes,
        ),
        "url": practice.get_absolute_url(),
    }


def _practices(**lookup):
    from thetsaban.practices.models import (
        Practice,  # the models are not loaded when INDEXES is read
    )

    return Practice.objects.filter(**lookup)


INDEXES = [
    SearchIndex("practice", 1, _("Practice"), "practices.Practice", practice_document,
                select_related=("lgu__province",), prefetch_related=("themes", "steps", "results"),
                dependents={
                    "practices.PracticeStep": lambda step: _practices(pk=step.practice_id),
                    "practices.PracticeResult": lambda result: _practices(pk=result.practice_id),
                    "practices.Theme": lambda theme: theme.practices.all(),
                    "places.Province": lambda province: _practices(lgu__province=province),
                    "places.Lgu": lambda lgu: lgu.practices.all(),
                }),
]
