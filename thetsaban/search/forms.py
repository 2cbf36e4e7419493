from django import forms
from django.utils.translation import gettext_lazy as _

from thetsaban.search.choices import DocumentKind
from thetsaban.search.services import MAX_QUERY_CHARS


class SearchForm(forms.Form):
    """The search box and its type filter, shared by the page and the API."""

    q = forms.CharField(label=_("Search"), max_length=MAX_QUERY_CHARS, required=False)
    type = forms.MultipleChoiceField(label=_("Type"), choices=DocumentKind.choices, required=False)
    page = forms.IntegerField(min_value=1, max_value=500, required=False)
    page_size = forms.IntegerField(min_value=1, max_value=100, required=False)

    def clean_type(self):
        values = []
        for value in self.cleaned_data["type"]:
            values.extend(v for v in value.split(",") if v)
        return values
