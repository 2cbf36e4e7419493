"""What the transfer projects put into the search index (read by the search app through hooks)."""

from django.utils.translation import gettext_lazy as _

from thetsaban.hooks import SearchIndex
from thetsaban.search.documents import is_public, join


def transfer_document(project) -> dict | None:
    if not is_public(project):
        return None
    lgu = project.target_lgu
    return {
        "title": project.title,
        "body": join(project.motivation_text, project.source_note,
                     project.source_practice.title_th if project.source_practice_id else "",
                     lgu.name_th, lgu.name_en, lgu.province.name_th,
                     project.theme.name_th if project.theme_id else ""),
        "url": project.get_absolute_url(),
    }


INDEXES = [
    SearchIndex("transfer", 6, _("Transfer project"), "transfers.TransferProject", transfer_document,
                select_related=("target_lgu__province", "source_practice", "theme"),
                dependents={"places.Lgu": lambda lgu: lgu.transfers.all()}),
]
