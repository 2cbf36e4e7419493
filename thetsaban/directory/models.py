"""The directory, modelled on Popolo: who does what, and whom to contact about a problem."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import models
from django.db.models import Case, Prefetch, Q, Value, When
from django.db.models.functions import Lower, Replace
from django.db.models.lookups import Contains
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from thetsaban import links, thai
from thetsaban.directory.choices import ContactKind, OrganisationKind, Visibility
from thetsaban.namewords import NameWord, owner_word_unique
from thetsaban.permissions import RestrictedQuerySet, editable_lgu_ids, is_staff
from thetsaban.places.models import NamedModel


def text_matches(field: str, text: str) -> Q:
    """A Q matching folded `text` (and its dotless spelling) inside a search_text field."""
    folded = thai.fold(text)
    q = Q(**{f"{field}__contains": folded})
    if "." in folded and folded.replace(".", ""):
        q |= Q(**{f"{field}__contains": folded.replace(".", "")})
    return q


def search_text(*parts) -> str:
    """Folded text for icontains matching, with each part also written without dots.

    Thai abbreviations are written with or without dots (ส.ท.ท. / สทท), so both spellings match.
    """
    folded = [thai.fold(p) for p in parts if p]
    dotless = [p.replace(".", "") for p in folded if "." in p]
    return "\n".join(folded + dotless)


def name_hit(text: str, prefix: str = "") -> Q:
    """Where an organisation's name or abbreviation (dots ignored) contains `text`."""
    folded = thai.fold(text)
    dotless = folded.replace(".", "")
    hit = Q(**{f"{prefix}name_th__icontains": folded}) | Q(**{f"{prefix}name_en__icontains": folded})
    if dotless:
        abbreviation = Lower(Replace(f"{prefix}abbreviation", Value("."), Value("")))
        hit |= Q(Contains(abbreviation, Value(dotless)))
    return hit


def own_person(user, field: str = "pk") -> Q:
    """A Q matching the directory entry of `user` themself (nothing for a visitor)."""
    person_id = getattr(user, "person_id", None) if user is not None and user.is_authenticated else None
    return Q(**{field: person_id}) if person_id else Q(pk__in=[])


def visible_levels(user) -> list[str]:
    """The visibility levels a user may see."""
    if is_staff(user):
        return [Visibility.PUBLIC, Visibility.MEMBERS, Visibility.STAFF]
    if user is not None and user.is_authenticated:
        return [Visibility.PUBLIC, Visibility.MEMBERS]
    return [Visibility.PUBLIC]


class OrganisationQuerySet(RestrictedQuerySet):
    def restrict(self, user, action="view"):
        """Organisations are public; staff change any, an LGU editor their LGU's own office."""
        if action == "view" or is_staff(user):
            return self
        if action == "change":
            return self.filter(lgu_id__in=editable_lgu_ids(user))
        return self.none()

    def matching(self, text: str):
        """Organisations whose names, abbreviations or description contain `text` (folded)."""
        return self.filter(text_matches("search_text", text))

    def ranked(self, text: str):
        """Best first: a match in the name or abbreviation before one in the description."""
        return self.annotate(
            directory_rank=Case(When(name_hit(text), then=Value(0)), default=Value(1))
        ).order_by("directory_rank", "sort_name")


class Organisation(NamedModel):
    """An organisation: the league, an agency, a university, a civil-society group, an LGU's office."""

    code = models.SlugField(_("code"), max_length=40, unique=True, null=True, blank=True,
                            help_text=_("A stable short code for imports and links, e.g. nmlt."))
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
    website = models.URLField(_("website"), blank=True, validators=[links.validate_web_url])
    topics = models.ManyToManyField("practices.Theme", blank=True, related_name="organisations",
                                    verbose_name=_("topics"))
    search_text = models.TextField(editable=False, blank=True, default="")

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["sort_name"]

    def get_absolute_url(self):
        return reverse("directory:organisation", args=[self.pk])

    def save(self, *args, **kwargs):
        self.abbreviation = thai.clean(self.abbreviation)
        self.other_names = thai.clean(self.other_names)
        self.description = thai.clean(self.description)
        self.code = self.code or None
        self.search_text = search_text(self.name_th, self.name_en, self.abbreviation,
                                       self.other_names, self.description)
        super().save(*args, **kwargs)

    @property
    def other_name_list(self) -> list[str]:
        return [line.strip() for line in self.other_names.splitlines() if line.strip()]


class PersonQuerySet(RestrictedQuerySet):
    def restrict(self, user, action="view"):
        """Listed persons by visibility and consent, and one's own entry; a person changes their
        own entry, an LGU editor the people of their LGU's offices that they may see.

        Being in an office is a membership, and an editor may only create memberships for
        people they already keep (see MembershipSerializer): so only staff, the person, or the
        person's own LGU place anyone in an office, and no editor claims a stranger.
        """
        if is_staff(user):
            return self
        mine = own_person(user)
        if action == "view":
            return self.filter(Q(visibility__in=visible_levels(user), listing_consent=True) | mine)
        if action == "change":
            colleagues = Membership.objects.filter(
                organisation__lgu_id__in=editable_lgu_ids(user)).values("person_id")
            # A subquery rather than a join, so the result needs no distinct().
            return self.restrict(user, "view").filter(mine | Q(pk__in=colleagues))
        return self.none()

    def matching(self, text: str):
        """Persons whose names or summary contain `text` (folded)."""
        return self.filter(text_matches("search_text", text))


class Person(models.Model):
    """A person in the directory; listed only with their consent (PDPA)."""

    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    honorific = models.CharField(_("honorific"), max_length=40, blank=True)
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
    is_example = models.BooleanField(
        _("example data"), default=False,
        help_text=_("Generated example data, not a real person."))
    search_text = models.TextField(editable=False, blank=True, default="")

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["sort_name"]

    name = NamedModel.name

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name_th = thai.clean(self.name_th)
        self.name_en = thai.clean(self.name_en)
        self.summary = thai.clean(self.summary)
        self.sort_name = thai.sort_key(self.name_th)
        self.search_text = search_text(self.name_th, self.name_en, self.summary)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("directory:person", args=[self.pk])


class PostQuerySet(RestrictedQuerySet):
    def restrict(self, user, action="view"):
        """Posts are public; staff change any, an LGU editor the posts of their LGU's office."""
        if action == "view" or is_staff(user):
            return self
        if action in ("change", "delete"):
            return self.filter(organisation__lgu_id__in=editable_lgu_ids(user))
        return self.none()

    def matching(self, text: str):
        """Posts whose role, responsibilities or organisation's names contain `text` (folded)."""
        return self.filter(text_matches("search_text", text)
                           | text_matches("organisation__search_text", text))

    def ranked(self, text: str):
        """Best first: the organisation's own name or abbreviation, then the role's label."""
        folded = thai.fold(text)
        return self.annotate(directory_rank=Case(
            When(name_hit(text, "organisation__"), then=Value(0)),
            When(Q(label_th__icontains=folded) | Q(label_en__icontains=folded), then=Value(1)),
            default=Value(2),
        )).order_by("directory_rank", "organisation__sort_name", "label_th")

    def for_directory(self, user):
        """Posts with their organisation, topics, and the holders and contact details `user` may see.

        Holders land in `current_holders` (each person with `visible_contacts`), the post's and the
        organisation's details in `visible_contacts`; the query count does not grow with the data.
        """
        return self.select_related("organisation", "organisation__lgu").prefetch_related(
            "topics",
            Prefetch("contact_details", queryset=ContactDetail.objects.restrict(user, "view"),
                     to_attr="visible_contacts"),
            Prefetch("organisation__contact_details",
                     queryset=ContactDetail.objects.restrict(user, "view"),
                     to_attr="visible_contacts"),
            Prefetch("memberships", queryset=Membership.objects.restrict(user, "view").current()
                     .select_related("person").prefetch_related(
                         Prefetch("person__contact_details",
                                  queryset=ContactDetail.objects.restrict(user, "view"),
                                  to_attr="visible_contacts")),
                     to_attr="current_holders"),
        )


class Post(models.Model):
    """A role in an organisation; it keeps its contact details when the holder changes."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="posts",
                                     verbose_name=_("organisation"))
    label_th = models.CharField(_("role (Thai)"), max_length=200)
    label_en = models.CharField(_("role (English)"), max_length=200, blank=True)
    responsibilities = models.TextField(_("responsible for"), blank=True)
    topics = models.ManyToManyField("practices.Theme", blank=True, related_name="posts",
                                    verbose_name=_("topics"))
    search_text = models.TextField(editable=False, blank=True, default="")

    objects = PostQuerySet.as_manager()

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["organisation__sort_name", "label_th"]

    def __str__(self):
        return f"{self.label} – {self.organisation}"

    def save(self, *args, **kwargs):
        self.label_th = thai.clean(self.label_th)
        self.label_en = thai.clean(self.label_en)
        self.responsibilities = thai.clean(self.responsibilities)
        self.search_text = search_text(self.label_th, self.label_en, self.responsibilities)
        super().save(*args, **kwargs)

    @property
    def label(self) -> str:
        from django.utils.translation import get_language

        return self.label_en if get_language() == "en" and self.label_en else self.label_th


class MembershipQuerySet(RestrictedQuerySet):
    def restrict(self, user, action="view"):
        """Memberships of visible persons; editors change those in their LGU's office."""
        if is_staff(user):
            return self
        visible = self.filter(person__in=Person.objects.restrict(user, "view"))
        if action == "view":
            return visible
        if action in ("change", "delete"):
            return visible.filter(organisation__lgu_id__in=editable_lgu_ids(user))
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
        """Consented details at the viewer's level, never those of a person hidden from them, and
        one's own; editors change those they see of their LGU office, its posts and its people."""
        if is_staff(user):
            return self
        if action == "view":
            return self.filter(
                Q(Q(person__isnull=True) | Q(person__in=Person.objects.restrict(user, "view")),
                  visibility__in=visible_levels(user), consent=True)
                | own_person(user, "person_id")
            )
        if action in ("change", "delete"):
            lgu_ids = editable_lgu_ids(user)
            return self.restrict(user, "view").filter(
                Q(organisation__lgu_id__in=lgu_ids)
                | Q(post__organisation__lgu_id__in=lgu_ids)
                | Q(person__in=Person.objects.restrict(user, "change"))
            )
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

    def save(self, *args, **kwargs):
        self.value = thai.clean(self.value)
        self.label = thai.clean(self.label)
        super().save(*args, **kwargs)

    def clean(self):
        """The value must be what its kind says: an e-mail address, a number, an http(s) site."""
        super().clean()
        check = CONTACT_CHECKS.get(self.kind)
        if check is not None:
            try:
                check(thai.clean(self.value))
            except ValidationError as error:
                raise ValidationError({"value": error.messages}) from None

    @property
    def owner(self):
        return self.person or self.post or self.organisation

    @property
    def href(self) -> str:
        """A link that opens the detail (mail, phone, web), or "" when there is none."""
        if self.kind == ContactKind.EMAIL:
            return f"mailto:{self.value}"
        if self.kind in (ContactKind.PHONE, ContactKind.MOBILE):
            number = PHONE_EXTENSION.split(self.value)[0]
            digits = "".join(c for c in number if c in "0123456789+")
            return f"tel:{digits}" if digits.strip("+") else ""
        if self.kind in (ContactKind.WEBSITE, ContactKind.LINE):
            return links.web_href(self.value)
        return ""


# A telephone number: digits with spaces, dashes, dots or brackets, an optional leading +, and an
# optional extension after "ต่อ" (Thai), "ext." or "x".
PHONE_EXTENSION = re.compile(r"\s*(?:ต่อ|ext\.?|x)\s*(?=\d)", re.IGNORECASE)
PHONE_NUMBER = re.compile(r"\+?[0-9(][0-9 ().\-]*")
# A LINE ID: letters, digits, dots, dashes and underscores; official accounts start with @.
LINE_ID = re.compile(r"@?[A-Za-z0-9._\-]{1,50}")


def validate_phone(value: str) -> None:
    """A telephone, mobile or fax number of 3 to 15 digits (E.164), with an optional extension."""
    parts = PHONE_EXTENSION.split(value, maxsplit=1)
    number, extension = parts[0], parts[1] if len(parts) > 1 else ""
    digits = sum(c.isascii() and c.isdigit() for c in number)
    if not (PHONE_NUMBER.fullmatch(number) and 3 <= digits <= 15
            and (not extension or (extension.isascii() and extension.isdigit()
                                   and len(extension) <= 6))):
        raise ValidationError(_(
            "Enter a telephone number: digits (0-9) with spaces, dashes or brackets, an optional "
            "leading +, and an extension after “ต่อ” or “ext.”, e.g. 0 7431 2000 ต่อ 12."))


def validate_line(value: str) -> None:
    """A LINE ID (or @official account), or an http(s) link such as https://line.me/ti/p/..."""
    if LINE_ID.fullmatch(value):
        return
    if links.web_href(value):
        links.validate_web_url(value)
        return
    raise ValidationError(_(
        "Enter a LINE ID (letters, digits, dots, dashes or underscores, an official account "
        "starting with @) or a link starting with https://."))


def validate_address(value: str) -> None:
    """A postal address: any text, but not a link (it is never shown as one)."""
    if not value.strip():
        raise ValidationError(_("Enter the address."))


# What each kind of contact detail must look like (one place for services, forms, admin and API).
CONTACT_CHECKS = {
    ContactKind.EMAIL: EmailValidator(message=_("Enter an e-mail address such as name@example.org.")),
    ContactKind.PHONE: validate_phone,
    ContactKind.MOBILE: validate_phone,
    ContactKind.FAX: validate_phone,
    ContactKind.LINE: validate_line,
    ContactKind.WEBSITE: links.validate_web_url,
    ContactKind.ADDRESS: validate_address,
}


class PersonNameWord(NameWord):
    """A beginning of a person's name words (Thai and English), for the person picker."""

    owner = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="name_words")

    class Meta:
        constraints = [owner_word_unique("directory_person_name_word_unique")]


class OrganisationNameWord(NameWord):
    """A beginning of an organisation's names, abbreviation, other names or code."""

    owner = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="name_words")

    class Meta:
        constraints = [owner_word_unique("directory_organisation_name_word_unique")]
