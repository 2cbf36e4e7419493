"""What the data hub puts into the search index: indicators and public datasets."""

from django.utils.translation import gettext_lazy as _

from thetsaban.hooks import SearchIndex
from thetsaban.search.documents import join


def indicator_document(indicator) -> dict | None:
    return {"title": indicator.name_th, "title_en": indicator.name_en,
            "body": join(indicator.code, indicator.definition_th, indicator.definition_en, indicator.source),
            "url": indicator.get_absolute_url()}


def dataset_document(dataset) -> dict | None:
    if not dataset.is_public:
        return None
    return {"title": dataset.title, "title_en": "", "body": join(dataset.name, dataset.notes, dataset.data_source),
            "url": dataset.get_absolute_url()}


INDEXES = [
    SearchIndex("indicator", 14, _("Indicator"), "localdata.Indicator", indicator_document),
    SearchIndex("dataset", 15, _("Dataset"), "localdata.Dataset", dataset_document),
]
