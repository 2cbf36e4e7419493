"""The practice picker: published practices (and one's own) by title or by their LGU's name."""

from django.db.models import Q

from thetsaban.pickers import Picker
from thetsaban.places.models import Lgu
from thetsaban.places.pickers import LGUS
from thetsaban.practices.models import Practice


class PracticePicker(Picker):
    """Practices by Thai or English title, or by their LGU (short name and abbreviation too)."""

    name = "practices"
    model = Practice
    order_field = "sort_title"

    def exact(self, text):
        return Q(title_th=text) | Q(title_en__iexact=text)

    def prefix(self, text):
        return Q(title_th__startswith=text) | Q(title_en__istartswith=text)

    def word(self, word):
        by_lgu = Q(lgu__in=Lgu.objects.filter(LGUS.word(word)))
        return Q(title_th__contains=word) | Q(title_en__icontains=word) | by_lgu

    def with_related(self, queryset):
        return queryset.select_related("lgu")

    def label(self, practice):
        return practice.title

    def detail(self, practice):
        return practice.lgu.name


PRACTICES = PracticePicker()
