from django.db import models
from django.utils.translation import gettext_lazy as _

from thetsaban import thai
from thetsaban.permissions import RestrictedQuerySet, is_staff
from thetsaban.search.choices import DocumentKind


class SearchDocumentQuerySet(RestrictedQuerySet):
    def restrict(self, user, action="view"):
        # Only public records are ever indexed, so everyone may read the index.
        return self if action == "view" else self.none()


class SearchDocument(models.Model):
    """One public record in the search index.

    The full-text part lives beside it in the database: an FTS5 table on SQLite, tsvector
    columns with a GIN index on PostgreSQL (see `thetsaban.search.backends`). Both are
    written in the same transaction as the record, so the index cannot drift.
    """

    kind = models.CharField(_("type"), max_length=20, choices=DocumentKind)
    object_id = models.PositiveBigIntegerField()
    title = models.CharField(_("title"), max_length=300)
    title_en = models.CharField(_("English title"), max_length=300, blank=True)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(max_length=300)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SearchDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_unique")
        ]

    def __str__(self):
        return f"{self.kind}:{self.object_id} {self.title}"


class AbbreviationQuerySet(RestrictedQuerySet):
    def restrict(self, user, action="view"):
        return self if action == "view" or is_staff(user) else self.none()


class Abbreviation(models.Model):
    """Equivalent spellings searched as one: ส.ท.ท. = สทท = สันนิบาตเทศบาลแห่งประเทศไทย = NMLT."""

    forms = models.TextField(
        _("equivalent forms"),
        help_text=_("One form per line: abbreviations, full names, English names."))
    note = models.CharField(_("meaning"), max_length=300, blank=True)

    objects = AbbreviationQuerySet.as_manager()

    class Meta:
        verbose_name = _("abbreviation")
        verbose_name_plural = _("abbreviations")
        ordering = ["pk"]

    def __str__(self):
        return " = ".join(self.form_list)

    @property
    def form_list(self) -> list[str]:
        return [thai.clean(line) for line in self.forms.splitlines() if line.strip()]
