"""The catalogue of local governments' practices and its review workflow."""

import os
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from thetsaban import thai
from thetsaban.permissions import RestrictedQuerySet, editable_lgu_ids, is_reviewer, is_staff
from thetsaban.practices.choices import (
    AttachmentKind,
    Maturity,
    Recognition,
    ReviewStatus,
    SupportKind,
    Tier,
)


class ThemeQuerySet(RestrictedQuerySet):
    def restrict(self, user, action="view"):
        return self if action == "view" or is_staff(user) else self.none()


class Theme(models.Model):
    """A main theme of the programme (good governance, environment, budget, participation)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = ThemeQuerySet.as_manager()

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["position", "code"]

    def __str__(self):
        return self.name

    @property
    def name(self):
        return self.name_en if get_language() == "en" and self.name_en else self.name_th


class PracticeQuerySet(RestrictedQuerySet):
    def published(self):
        return self.filter(status=ReviewStatus.PUBLISHED)

    def restrict(self, user, action="view"):
        """Published practices are public; editors see and change their LGU's; reviewers review."""
        if is_staff(user):
            return self
        mine = Q(lgu_id__in=editable_lgu_ids(user))
        if action == "view":
            if is_reviewer(user):
                return self.filter(Q(status=ReviewStatus.PUBLISHED) | Q(status=ReviewStatus.SUBMITTED) | mine)
            return self.filter(Q(status=ReviewStatus.PUBLISHED) | mine)
        if action in ("change", "submit", "delete"):
            return self.filter(mine)
        if action == "review":
            if is_reviewer(user):
                return self.filter(status=ReviewStatus.SUBMITTED)
            return self.none()
        return self.none()

    def with_related(self):
        return self.select_related("lgu", "lgu__province", "lgu__province__region").prefetch_related("themes")


class Practice(models.Model):
    """A local government's practice, documented so that others can learn from and copy it."""

    lgu = models.ForeignKey("places.Lgu", on_delete=models.PROTECT, related_name="practices",
                            verbose_name=_("LGU"))
    title_th = models.CharField(_("title (Thai)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    # Thai dictionary order under a plain binary comparison (see thai.sort_key).
    sort_title = models.CharField(max_length=255, editable=False, db_index=True, default="")
    summary = models.TextField(_("summary"))
    situation_before = models.TextField(_("situation before"), blank=True)
    objectives = models.TextField(_("objectives"), blank=True)
    resources = models.TextField(_("resources and costs"), blank=True)
    budget_baht = models.DecimalField(_("total budget (baht)"), max_digits=14, decimal_places=2,
                                      null=True, blank=True)
    start_date = models.DateField(_("started"), null=True, blank=True)
    end_date = models.DateField(_("ended"), null=True, blank=True)
    # The year facet groups on this copy of start_date's year (an index serves the counts).
    start_year = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    transferability = models.TextField(_("transferability"), blank=True,
                                       help_text=_("What another LGU needs in order to copy it."))
    lessons = models.TextField(_("lessons learned"), blank=True)
    failures = models.TextField(_("what did not work"), blank=True)
    themes = models.ManyToManyField(Theme, related_name="practices", verbose_name=_("themes"))
    contacts = models.ManyToManyField("directory.Person", blank=True, related_name="practices",
                                      verbose_name=_("contact persons"))
    maturity = models.CharField(_("maturity"), max_length=20, choices=Maturity,
                                default=Maturity.PILOT, db_index=True)
    recognition = models.CharField(_("recognition"), max_length=20, choices=Recognition,
                                   blank=True, default=Recognition.NONE, db_index=True)
    recognition_detail = models.CharField(_("award or recognition"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ReviewStatus,
                              default=ReviewStatus.DRAFT, db_index=True)
    tier = models.CharField(_("tier"), max_length=20, choices=Tier, blank=True)
    review_comment = models.TextField(_("reviewer's comments"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    is_example = models.BooleanField(
        _("example data"), default=False,
        help_text=_("Generated example data, not a real practice."))
    source_note = models.CharField(_("source"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PracticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("practice")
        verbose_name_plural = _("practices")
        ordering = ["-published_at", "-pk"]
        # Composite indexes on status let the facet counts read the index, not the wide rows;
        # (status, published_at, id) read backwards gives "newest first" without sorting.
        indexes = [
            models.Index(fields=["status", "published_at", "id"], name="practices_status_published"),
            models.Index(fields=["status", "sort_title"]),
            models.Index(fields=["status", "lgu"]),
            models.Index(fields=["status", "maturity"]),
            models.Index(fields=["status", "recognition"]),
            models.Index(fields=["status", "start_year"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="practices_practice_dates_ordered",
                violation_error_message=_("A practice cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | ~Q(tier=""),
                name="practices_published_has_tier",
                violation_error_message=_("A published practice needs a tier."),
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.sort_title = thai.sort_key(self.title_th)
        self.start_year = self.start_date.year if self.start_date else None
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            derived = {"title_th": "sort_title", "start_date": "start_year"}
            kwargs["update_fields"] = {*update_fields, *(derived[f] for f in update_fields if f in derived)}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("practices:detail", args=[self.pk])

    def clean(self):
        for name in ("title_th", "title_en", "summary", "situation_before", "objectives",
                     "resources", "transferability", "lessons", "failures",
                     "recognition_detail", "review_comment"):
            setattr(self, name, thai.clean(getattr(self, name)))
        if self.recognition and not self.recognition_detail:
            raise ValidationError({"recognition_detail": _("Name the award or recognition.")})

    @property
    def title(self) -> str:
        return self.title_en if get_language() == "en" and self.title_en else self.title_th

    @property
    def year(self) -> int | None:
        return self.start_date.year if self.start_date else None

    @property
    def is_published(self) -> bool:
        return self.status == ReviewStatus.PUBLISHED


class PracticeStep(models.Model):
    """One key step of a practice, in order, with what it produced and what it cost."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("step"), max_length=300)
    description = models.TextField(_("what was done"), blank=True)
    output = models.TextField(_("output"), blank=True)
    people = models.TextField(_("who took part"), blank=True)
    budget = models.CharField(_("budget"), max_length=200, blank=True)
    lessons = models.TextField(_("lessons"), blank=True)

    class Meta:
        verbose_name = _("key step")
        verbose_name_plural = _("key steps")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title


class PracticeResult(models.Model):
    """A result of a practice, measured by an indicator where possible."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="results")
    description = models.TextField(_("result"))
    indicator = models.CharField(_("indicator"), max_length=300, blank=True)
    baseline = models.CharField(_("before"), max_length=100, blank=True)
    value = models.CharField(_("after"), max_length=100, blank=True)
    unit = models.CharField(_("unit"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")
        ordering = ["pk"]

    def __str__(self):
        return self.indicator or self.description[:60]


class PracticePartner(models.Model):
    """A partner of a practice and the kind of support it gave."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey("directory.Organisation", on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="practice_partnerships",
                                     verbose_name=_("organisation"))
    name = models.CharField(_("partner (if not in the directory)"), max_length=200, blank=True)
    support = models.CharField(_("kind of support"), max_length=20, choices=SupportKind)
    detail = models.CharField(_("detail"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | ~Q(name=""),
                name="practices_partner_named",
                violation_error_message=_("Choose an organisation or write the partner's name."),
            )
        ]

    def __str__(self):
        return str(self.organisation or self.name)


ALLOWED_ATTACHMENTS = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".csv": "text/csv",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
}


# Leading bytes of each kind of file; Office Open XML and OpenDocument files are zip archives.
_ZIP_MAGIC = b"PK\x03\x04"
_MAGIC = {
    ".pdf": (b"%PDF-",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
}
# The member that proves a zip archive is the document its extension claims.
_ZIP_MEMBER = {
    ".docx": "word/document.xml",
    ".xlsx": "xl/workbook.xml",
    ".pptx": "ppt/presentation.xml",
    ".odt": "content.xml",
}


def _content_matches(extension: str, upload) -> bool:
    """Whether the file's bytes are what its extension says (a renamed file is refused)."""
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    if extension in _MAGIC:
        return head.startswith(_MAGIC[extension])
    if extension in _ZIP_MEMBER:
        if not head.startswith(_ZIP_MAGIC):
            return False
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return False
        finally:
            upload.seek(0)
        return _ZIP_MEMBER[extension] in names
    if extension == ".csv":
        if b"\x00" in head:
            return False
        for encoding in ("utf-8", "cp874"):
            try:
                # A multi-byte character may be cut at the end of the sample.
                head.decode(encoding) if len(head) < 2048 else head[:-4].decode(encoding)
                return True
            except UnicodeDecodeError:
                continue
        return False
    return False


def validate_attachment(upload) -> None:
    """Refuse files of a type not allowed, whose content does not match, or that are too large."""
    extension = os.path.splitext(upload.name or "")[1].lower()
    if extension not in ALLOWED_ATTACHMENTS:
        raise ValidationError(
            _("Files of type %(extension)s cannot be attached; allowed types: %(allowed)s."),
            code="extension",
            params={"extension": extension or _("(none)"),
                    "allowed": ", ".join(sorted(ALLOWED_ATTACHMENTS))},
        )
    limit = settings.MAX_UPLOAD_MB * 1024 * 1024
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s MB; the limit is %(limit)s MB."),
            code="size",
            params={"size": f"{upload.size / 1024 / 1024:.1f}", "limit": settings.MAX_UPLOAD_MB},
        )
    # Only a new upload is read; a file already stored was checked when it arrived.
    if getattr(upload, "_committed", False):
        return
    if not _content_matches(extension, upload):
        raise ValidationError(
            _("The content of %(name)s is not a real %(extension)s file."),
            code="content",
            params={"name": os.path.basename(upload.name), "extension": extension},
        )


def attachment_path(instance, filename):
    return f"practices/{instance.practice_id}/{filename}"


class PracticeAttachment(models.Model):
    """A file that documents a practice: a report, slides, photos, data."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("type"), max_length=20, choices=AttachmentKind)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=255,
                            validators=[validate_attachment])
    size = models.PositiveIntegerField(_("size in bytes"), default=0, editable=False)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.file:
            try:
                self.size = self.file.size
            except (FileNotFoundError, OSError):
                pass  # the stored file went missing; keep the size recorded at upload
        super().save(*args, **kwargs)

    @property
    def extension(self) -> str:
        return os.path.splitext(self.file.name)[1].lower()
