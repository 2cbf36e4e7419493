"""What the places app puts into the search index (read by the search app through hooks)."""

from django.utils.translation import gettext_lazy as _

from thetsaban.hooks import SearchIndex
from thetsaban.search.documents import join


def lgu_document(lgu) -> dict | None:
    return {
        "title": lgu.name_th,
        "title_en": lgu.name_en,
        "body": join(lgu.short_name, lgu.code, lgu.get_lgu_type_display(),
                     lgu.province.name_th, lgu.province.name_en),
        "url": lgu.get_absolute_url(),
    }


INDEXES = [
    SearchIndex("lgu", 4, _("LGU"), "places.Lgu", lgu_document, select_related=("province",),
                dependents={"places.Province": lambda province: province.lgus.all()}),
]
