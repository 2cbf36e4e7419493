"""What the local data hub puts into the site's search (read by the search app through hooks):
indicators (reference data, public) and the datasets anyone may see (active, not private, not
personal data). Only public records are indexed, so nobody finds a dataset they may not view."""

from django.utils.translation import gettext_lazy as _

from thetsaban.hooks import SearchIndex
from thetsaban.search.documents import join


def indicator_document(indicator) -> dict | None:
    return {
        "title": indicator.name_th,
        "title_en": indicator.name_en,
        "body": join(indicator.code, indicator.definition_th, indicator.definition_en, indicator.unit,
                     indicator.get_theme_display(), indicator.source, indicator.sdg_tags, indicator.umf_tags),
        "url": indicator.get_absolute_url(),
    }


def dataset_document(dataset) -> dict | None:
    if not dataset.is_public:
        return None
    return {
        "title": dataset.title,
        "body": join(dataset.name, dataset.notes, dataset.owner_org.name_th, dataset.owner_org.name_en,
                     *(tag.name for tag in dataset.tags.all()), *(group.name_th for group in dataset.groups.all()),
                     dataset.indicator.name_th if dataset.indicator else "", dataset.data_type, dataset.data_source,
                     dataset.geo_coverage, dataset.unit_of_measure),
        "url": dataset.get_absolute_url(),
    }


INDEXES = [
    # Numbers 9-19 are left to the apps being added beside this one.
    SearchIndex("indicator", 20, _("Indicator"), "localdata.Indicator", indicator_document),
    SearchIndex("dataset", 21, _("Dataset"), "localdata.Dataset", dataset_document,
                select_related=("owner_org", "indicator"), prefetch_related=("tags", "groups"),
                dependents={"directory.Organisation": lambda organisation: organisation.datasets.all(),
                            "localdata.Indicator": lambda indicator: indicator.datasets.all()}),
]
