from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from thetsaban import thai
from thetsaban.namewords import NameWord, owner_word_unique
from thetsaban.naming import BilingualName
from thetsaban.permissions import RestrictedQuerySet, is_staff
from thetsaban.places.choices import LGU_TYPE_SHORT, LguType


class NamedModel(BilingualName, models.Model):
    """A record with a Thai and an English name, sorted in Thai dictionary order."""

    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    sort_name = models.CharField(max_length=255, editable=False, db_index=True, default="")

    class Meta:
        abstract = True

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name_th = thai.clean(self.name_th)
        self.name_en = thai.clean(self.name_en)
        self.sort_name = thai.sort_key(self.name_th)
        super().save(*args, **kwargs)


class PlaceQuerySet(RestrictedQuerySet):
    """Places are public reference data that only staff change."""

    def restrict(self, user, action="view"):
        if action == "view" or is_staff(user):
            return self
        return self.none()


class Country(NamedModel):
    """A country whose local governments use the platform (Thailand first)."""

    code = models.CharField(_("ISO code"), max_length=2, unique=True)

    objects = PlaceQuerySet.as_manager()

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["sort_name"]


class Region(NamedModel):
    """A region of the league's learning network (North, Northeast, Central, East, South)."""

    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="regions",
                                verbose_name=_("country"))
    code = models.SlugField(_("code"), max_length=20, unique=True)

    objects = PlaceQuerySet.as_manager()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["sort_name"]

    def get_absolute_url(self):
        return reverse("places:region", args=[self.code])


class Province(NamedModel):
    """A province (จังหวัด) with its official two-digit code."""

    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="provinces",
                                verbose_name=_("country"))
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="provinces",
                               verbose_name=_("region"))
    code = models.CharField(_("code"), max_length=4, unique=True)

    objects = PlaceQuerySet.as_manager()

    class Meta:
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        ordering = ["sort_name"]

    def get_absolute_url(self):
        return reverse("places:province", args=[self.code])


class LguQuerySet(PlaceQuerySet):
    """LGUs: public reference data, with the joins their lists need."""

    def with_place(self):
        """LGUs with their province and region, for lists that show both."""
        return self.select_related("province", "province__region")


class Lgu(NamedModel):
    """A local government organisation (องค์กรปกครองส่วนท้องถิ่น, อปท.)."""

    code = models.CharField(_("code"), max_length=20, unique=True,
                            help_text=_("The official code of the national list of LGUs."))
    short_name = models.CharField(_("short name"), max_length=60, blank=True,
                                  help_text=_("For example ทน.สงขลา or the deck's code SK."))
    lgu_type = models.CharField(_("type"), max_length=20, choices=LguType, db_index=True)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="lgus",
                                 verbose_name=_("province"))
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    website = models.URLField(_("website"), blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True,
                                   blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True,
                                    blank=True)

    objects = LguQuerySet.as_manager()

    class Meta:
        verbose_name = _("LGU")
        verbose_name_plural = _("LGUs")
        ordering = ["sort_name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True) | models.Q(latitude__gte=-90, latitude__lte=90),
                name="places_lgu_latitude_range",
                violation_error_message=_("Latitude must be between -90 and 90."),
            ),
            models.CheckConstraint(
                condition=models.Q(longitude__isnull=True) | models.Q(longitude__gte=-180, longitude__lte=180),
                name="places_lgu_longitude_range",
                violation_error_message=_("Longitude must be between -180 and 180."),
            ),
        ]

    def get_absolute_url(self):
        return reverse("places:lgu", args=[self.code])

    @property
    def type_abbreviation(self) -> str:
        return LGU_TYPE_SHORT.get(self.lgu_type, "")

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class LearningCentre(NamedModel):
    """A learning-network centre for city and environmental management, one per region."""

    region = models.OneToOneField(Region, on_delete=models.PROTECT, related_name="learning_centre",
                                  verbose_name=_("region"))
    host = models.ForeignKey("directory.Organisation", on_delete=models.PROTECT, null=True,
                             blank=True, related_name="hosted_centres",
                             verbose_name=_("host organisation"))
    description = models.TextField(_("description"), blank=True)

    objects = PlaceQuerySet.as_manager()

    class Meta:
        verbose_name = _("learning centre")
        verbose_name_plural = _("learning centres")
        ordering = ["sort_name"]


class LguNameWord(NameWord):
    """A beginning of an LGU's name words, code or short name, for the LGU picker."""

    owner = models.ForeignKey(Lgu, on_delete=models.CASCADE, related_name="name_words")

    class Meta:
        constraints = [owner_word_unique("places_lgu_name_word_unique")]
