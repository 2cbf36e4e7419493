"""The directory, modelled on Popolo: who does what, and whom to contact about a problem."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from thetsaban import thai
from thetsaban.directory.choices import ContactKind, OrganisationKind, Visibility
from thetsaban.permissions import RestrictedQuerySet, editable_lgu_ids, is_staff
from thetsaban.places.models import NamedModel


def visible_levels(user) -> list[str]:
    """The visibility levels a user may see."""
    if is_staff(user):
        return [Visibility.PUBLIC, Visibility.MEMBERS, Visibility.STAFF]
    if user is not None and user.is_authenticated:
        return [Visibility.PUBLIC, Visibility.MEMBERS]
    return [Visibility.PUBLIC]


class OrganisationQuerySet(RestrictedQuerySet):
    def restrict(self, user, action="view"):
        if action == "view" or is_staff(user):
            return self
        if action == "change":
            return self.filter(lgu_id__in=editable_lgu_ids(user))
        return self.none()


class Organisation(NamedModel):
    """An organisation: the league, an agency, a university, a civil-society group, an LGU's office."""

    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind, db_index=True)
    abbreviation = models.CharField(_("abbreviation"), max_length=40, blank=True,
                                    help_text=_("For example ส.ท.ท. or OPDC."))
    other_names = models.TextField(_("other names"), blank=True,
                                   help_text=_("One per line: former names, English abbreviations."))
    parent = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="children", verbose_name=_("parent organisation"))
    lgu = models.ForeignKey("places.Lgu", on_delete=models.SET_NULL, null=True, blank=True,
                            related_name="organisations", verbose_name=_("LGU"))
    description = models.TextField(_("what it does"), blank=True)
    website = models.URLField(_("website"), blank=True)
    topics = models.ManyToManyField("practices.Theme", blank=True, related_name="organisations",
                                    verbose_name=_("topics"))

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["sort_name"]

    def get_absolute_url(self):
        return reverse("directory:organisation", args=[self.pk])

    @property
    def other_name_list(self) -> list[str]:
        return [line.strip() for line in self.other_names.splitlines() if line.strip()]


class PersonQuerySet(RestrictedQuerySet):
    def restrict(self, user, action="view"):
        if is_staff(user):
            return self
        if action == "view":
            return self.filter(visibility__in=visible_levels(user), listing_consent=True)
        if action == "change":
            mine = Q(user=user) if user is not None and user.is_authenticated else Q(pk__in=[])
            return self.filter(
                mine | Q(memberships__organisation__lgu_id__in=editable_lgu_ids(user))
            ).distinct()
        return self.none()


class Person(models.Model):
    """A person in the directory; listed only with their consent (PDPA)."""

    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    honorific = models.CharField(_("title"), max_length=40, blank=True)
    sort_name = models.CharField(max_length=255, editable=False, db_index=True, default="")
    summary = models.TextField(_("what they work on"), blank=True)
    topics = models.ManyToManyField("practices.Theme", blank=True, related_name="persons",
                                    verbose_name=_("topics"))
    visibility = models.CharField(_("listed for"), max_length=10, choices=Visibility,
                                  default=Visibility.MEMBERS)
    listing_consent = models.BooleanField(
        _("consents to be listed"), default=False,
        help_text=_("The person agreed to appear in the directory at this visibility."))
    consent_recorded_at = models.DateTimeField(_("consent recorded"), null=True, blank=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["sort_name"]

    __str__ = NamedModel.__str__
    name = NamedModel.name

    def save(self, *args, **kwargs):
        self.name_th = thai.clean(self.name_th)
        self.name_en = thai.clean(self.name_en)
        self.sort_name = thai.sort_key(self.name_th)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("directory:person", args=[self.pk])


class Post(models.Model):
    """A role in an organisation; it keeps its contact details when the holder changes."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="posts",
                                     verbose_name=_("organisation"))
    label_th = models.CharField(_("role (Thai)"), max_length=200)
    label_en = models.CharField(_("role (English)"), max_length=200, blank=True)
    responsibilities = models.TextField(_("responsible for"), blank=True)
    topics = models.ManyToManyField("practices.Theme", blank=True, related_name="posts",
                                    verbose_name=_("topics"))

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["organisation__sort_name", "label_th"]

    def __str__(self):
        return f"{self.label} – {self.organisation}"

    @property
    def label(self) -> str:
        from django.utils.translation import get_language

        return self.label_en if get_language() == "en" and self.label_en else self.label_th

    def save(self, *args, **kwargs):
        self.label_th = thai.clean(self.label_th)
        self.label_en = thai.clean(self.label_en)
        super().save(*args, **kwargs)


class MembershipQuerySet(RestrictedQuerySet):
    def restrict(self, user, action="view"):
        if is_staff(user):
            return self
        if action == "view":
            return self.filter(person__in=Person.objects.restrict(user, "view"))
        if action == "change":
            return self.filter(organisation__lgu_id__in=editable_lgu_ids(user))
        return self.none()

    def current(self):
        from django.utils import timezone

        today = timezone.localdate()
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=today))


class Membership(models.Model):
    """A person holding a post (or simply belonging to an organisation) between two dates."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships",
                               verbose_name=_("person"))
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                                     related_name="memberships", verbose_name=_("organisation"))
    post = models.ForeignKey(Post, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="memberships", verbose_name=_("post"))
    role = models.CharField(_("role"), max_length=200, blank=True)
    start_date = models.DateField(_("from"), null=True, blank=True)
    end_date = models.DateField(_("until"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["-start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="directory_membership_dates_ordered",
                violation_error_message=_("A membership cannot end before it starts."),
            )
        ]

    def __str__(self):
        return f"{self.person} – {self.post or self.role} ({self.organisation})"

    def clean(self):
        if self.post_id and self.organisation_id and self.post.organisation_id != self.organisation_id:
            raise ValidationError({"post": _("The post belongs to another organisation.")})


class ContactDetailQuerySet(RestrictedQuerySet):
    def restrict(self, user, action="view"):
        if is_staff(user):
            return self
        if action == "view":
            return self.filter(visibility__in=visible_levels(user), consent=True)
        return self.none()


class ContactDetail(models.Model):
    """A way to reach a person, a post or an organisation, shown only to its visibility level."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, null=True, blank=True,
                               related_name="contact_details")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, null=True, blank=True,
                             related_name="contact_details")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, null=True,
                                     blank=True, related_name="contact_details")
    kind = models.CharField(_("kind"), max_length=10, choices=ContactKind)
    value = models.CharField(_("value"), max_length=300)
    label = models.CharField(_("label"), max_length=100, blank=True)
    visibility = models.CharField(_("visible to"), max_length=10, choices=Visibility,
                                  default=Visibility.STAFF)
    consent = models.BooleanField(_("consent to publish"), default=False)

    objects = ContactDetailQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact detail")
        verbose_name_plural = _("contact details")
        ordering = ["kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(person__isnull=False, post__isnull=True, organisation__isnull=True)
                    | Q(person__isnull=True, post__isnull=False, organisation__isnull=True)
                    | Q(person__isnull=True, post__isnull=True, organisation__isnull=False)
                ),
                name="directory_contact_has_one_owner",
                violation_error_message=_("A contact detail belongs to exactly one person, post or organisation."),
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.value}"
