"""The newsroom: news posts of the league and of the regional learning centres, linked to
practices, transfer projects (pilots), learning events and recommendations; and the joint
undertakings of LGUs (cooperation groups with a lead LGU, members and agreements)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from thetsaban import thai
from thetsaban.learning.models import staffed_centre_ids
from thetsaban.newsroom.choices import PostStatus
from thetsaban.permissions import RestrictedQuerySet, editable_lgu_ids, is_staff
from thetsaban.practices.models import validate_attachment

IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png")


def validate_image(upload) -> None:
    """A news picture: a JPEG or PNG that is what its name says (the attachments' own check)."""
    if not str(upload.name).lower().endswith(IMAGE_EXTENSIONS):
        raise ValidationError(_("The picture must be a JPEG or PNG file."))
    validate_attachment(upload)


class NewsPostQuerySet(RestrictedQuerySet):
    def published(self):
        return self.filter(status=PostStatus.PUBLISHED, published_at__isnull=False)

    def restrict(self, user, action="view"):
        """Published posts are public; a centre's staff see and keep their centre's posts (never the
        league's or another centre's); league staff everything."""
        if is_staff(user):
            return self
        own = Q(centre_id__in=staffed_centre_ids(user))
        if action == "view":
            return self.filter(Q(status=PostStatus.PUBLISHED) | own)
        if action == "change":
            return self.filter(own)
        return self.none()


def image_path(instance, filename):
    return f"newsroom/images/{filename}"


class NewsPost(models.Model):
    """A news post by the league (no centre) or by one regional learning centre."""

    centre = models.ForeignKey("places.LearningCentre", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="news_posts", verbose_name=_("learning centre"),
                               help_text=_("Empty for news of the league."))
    status = models.CharField(_("status"), max_length=20, choices=PostStatus, default=PostStatus.DRAFT,
                              db_index=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=400)
    body = models.TextField(_("text"), blank=True)
    image = models.FileField(_("picture"), upload_to=image_path, blank=True, validators=[validate_image])
    image_alt = models.CharField(_("picture description"), max_length=200, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="news_posts", verbose_name=_("author"))
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    themes = models.ManyToManyField("practices.Theme", blank=True, related_name="news_posts",
                                    verbose_name=_("themes"))
    practices = models.ManyToManyField("practices.Practice", blank=True, related_name="news_posts",
                                       verbose_name=_("practices"))
    transfers = models.ManyToManyField("transfers.TransferProject", blank=True, related_name="news_posts",
                                       verbose_name=_("pilots (transfer projects)"))
    events = models.ManyToManyField("learning.Event", blank=True, related_name="news_posts",
                                    verbose_name=_("learning events"))
    recommendations = models.ManyToManyField("policy.Recommendation", blank=True, related_name="news_posts",
                                             verbose_name=_("recommendations"))
    is_example = models.BooleanField(_("example data"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = NewsPostQuerySet.as_manager()

    class Meta:
        verbose_name = _("news post")
        verbose_name_plural = _("news posts")
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(status=PostStatus.DRAFT) | Q(published_at__isnull=False),
                                   name="newsroom_post_published_has_date",
                                   violation_error_message=_("A published post needs its publication date.")),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.title = thai.clean(self.title)
        self.summary = thai.clean(self.summary)
        self.body = thai.clean(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("newsroom:detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.status == PostStatus.PUBLISHED

    @property
    def paragraphs(self) -> list[str]:
        return [part.strip() for part in self.body.split("\n\n") if part.strip()]


class UndertakingQuerySet(RestrictedQuerySet):
    def restrict(self, user, action="view"):
        """Undertakings are public; the lead LGU's editors (and league staff) keep them."""
        if action == "view" or is_staff(user):
            return self
        if action == "change":
            return self.filter(lead_lgu_id__in=editable_lgu_ids(user))
        return self.none()

    def for_lgu(self, lgu):
        return self.filter(Q(lead_lgu=lgu) | Q(members=lgu)).distinct()


class JointUndertaking(models.Model):
    """A cooperation group of LGUs: a joint waste-disposal centre, a river-basin network …"""

    title = models.CharField(_("name"), max_length=200)
    purpose = models.TextField(_("purpose"))
    lead_lgu = models.ForeignKey("places.Lgu", on_delete=models.PROTECT, related_name="led_undertakings",
                                 verbose_name=_("lead LGU"))
    members = models.ManyToManyField("places.Lgu", blank=True, related_name="joint_undertakings",
                                     verbose_name=_("member LGUs"))
    start_date = models.DateField(_("start date"), null=True, blank=True)
    practices = models.ManyToManyField("practices.Practice", blank=True, related_name="joint_undertakings",
                                       verbose_name=_("shared practices"))
    indicators = models.ManyToManyField("localdata.Indicator", blank=True, related_name="joint_undertakings",
                                        verbose_name=_("shared indicators"),
                                        help_text=_("Indicators of the data hub the member LGUs follow together."))
    is_example = models.BooleanField(_("example data"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = UndertakingQuerySet.as_manager()

    class Meta:
        verbose_name = _("joint undertaking")
        verbose_name_plural = _("joint undertakings")
        ordering = ["title", "pk"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.title = thai.clean(self.title)
        self.purpose = thai.clean(self.purpose)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("newsroom:undertaking", args=[self.pk])

    def all_lgus(self) -> list:
        """The lead LGU first, then the members."""
        others = [lgu for lgu in self.members.all() if lgu.pk != self.lead_lgu_id]
        return [self.lead_lgu, *others]


class AgreementQuerySet(RestrictedQuerySet):
    def restrict(self, user, action="view"):
        """The agreements are read by the editors of the undertaking's LGUs (lead and members) and
        league staff; the lead LGU's editors add them."""
        if is_staff(user):
            return self
        lgus = editable_lgu_ids(user)
        lead = Q(undertaking__lead_lgu_id__in=lgus)
        if action == "view":
            return self.filter(lead | Q(undertaking__members__in=lgus)).distinct()
        if action == "change":
            return self.filter(lead)
        return self.none()


def agreement_path(instance, filename):
    return f"newsroom/agreements/{instance.undertaking_id}/{filename}"


class Agreement(models.Model):
    """A signed agreement (memorandum, joint regulation) of a joint undertaking, as a document."""

    undertaking = models.ForeignKey(JointUndertaking, on_delete=models.CASCADE, related_name="agreements",
                                    verbose_name=_("joint undertaking"))
    title = models.CharField(_("title"), max_length=200)
    signed_on = models.DateField(_("signed"), null=True, blank=True)
    file = models.FileField(_("document"), upload_to=agreement_path, validators=[validate_attachment])
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["undertaking", "signed_on", "pk"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.title = thai.clean(self.title)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("newsroom:agreement", args=[self.pk])
