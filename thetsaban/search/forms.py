from django import forms
from django.utils.translation import gettext_lazy as _

from thetsaban.search.choices import DocumentKind
from thetsaban.search.services import MAX_QUERY_CHARS


class KindsField(forms.MultipleChoiceField):
    """Kinds given as repeated parameters, comma-separated, or both."""

    def to_python(self, value):
        return [kind for item in super().to_python(value) for kind in item.split(",") if kind]


class SearchForm(forms.Form):
    """The search box and its type filter, shared by the page and the API."""

    q = forms.CharField(label=_("Search"), max_length=MAX_QUERY_CHARS, required=False)
    type = KindsField(label=_("Type"), choices=DocumentKind, required=False)
    page = forms.IntegerField(min_value=1, required=False)  # every match is reachable
    page_size = forms.IntegerField(min_value=1, max_value=100, required=False)
