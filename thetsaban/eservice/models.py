"""The e-service: each LGU's catalogue of services, the requests citizens send and their timeline.

An LGU joins by having a `Jurisdiction` (its Open311 `jurisdiction_id`, and where it serves:
a boundary and/or the subdistricts it covers). League-wide services are `Service` rows without
an LGU; an LGU enables one by getting its own copy (`based_on`), with its own office and SLA.
"""

import hashlib
import re
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models.lookups import In
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from thetsaban.eservice.choices import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    Datatype,
    PhotoKind,
    ServiceGroup,
    Status,
)
from thetsaban.eservice.geo import bounds
from thetsaban.naming import BilingualName
from thetsaban.permissions import RestrictedQuerySet, editable_lgu_ids, is_staff


def _staff_lgus(user) -> set[int]:
    return editable_lgu_ids(user)


class _InWritten(In):
    """`column IN ('a', 'b')` with the values written into the SQL instead of bound.

    SQLite uses a partial index only when the query's WHERE holds the index's condition term for
    term, and it decides when the statement is prepared, before bound values are known: so the
    open-request filter spells the statuses out as the index condition does (PostgreSQL proves
    either form). Only for the code's own word-like constants, never for user input.
    """

    def process_rhs(self, compiler, connection):
        values = [str(value) for value in self.rhs]
        if not values or not all(re.fullmatch(r"[a-z_]+", value) for value in values):
            raise ValueError("_InWritten takes only lower-case word constants")
        return "(" + ", ".join(f"'{value}'" for value in values) + ")", ()


class JurisdictionQuerySet(RestrictedQuerySet):
    def restrict(self, user, action="view"):
        """Everyone sees which LGUs take requests; league staff change them."""
        if action == "view":
            return self.filter(active=True) if not is_staff(user) else self
        return self if is_staff(user) else self.none()


class Jurisdiction(models.Model):
    """An LGU that takes requests: its Open311 jurisdiction_id and the area it serves."""

    lgu = models.OneToOneField("places.Lgu", on_delete=models.CASCADE, related_name="jurisdiction",
                               verbose_name=_("LGU"))
    jurisdiction_id = models.SlugField(_("jurisdiction id"), max_length=60, unique=True,
                                       help_text=_("The Open311 jurisdiction_id, for example the LGU's code."))
    active = models.BooleanField(_("taking requests"), default=True)
    # A GeoJSON Polygon or MultiPolygon geometry ([longitude, latitude] pairs), when loaded.
    boundary = models.JSONField(_("boundary"), null=True, blank=True)
    min_lat = models.FloatField(null=True, blank=True, editable=False)
    max_lat = models.FloatField(null=True, blank=True, editable=False)
    min_lon = models.FloatField(null=True, blank=True, editable=False)
    max_lon = models.FloatField(null=True, blank=True, editable=False)

    objects = JurisdictionQuerySet.as_manager()

    class Meta:
        verbose_name = _("e-service jurisdiction")
        verbose_name_plural = _("e-service jurisdictions")
        ordering = ["jurisdiction_id"]

    def __str__(self):
        return self.jurisdiction_id

    def save(self, *args, **kwargs):
        box = bounds(self.boundary) if self.boundary else None
        self.min_lon, self.min_lat, self.max_lon, self.max_lat = box or (None, None, None, None)
        super().save(*args, **kwargs)


class CoveredSubdistrictQuerySet(RestrictedQuerySet):
    def restrict(self, user, action="view"):
        """Where an LGU serves is public; league staff change it."""
        return self if action == "view" or is_staff(user) else self.none()


class CoveredSubdistrict(models.Model):
    """A subdistrict (ตำบล, by its geothai code) that an LGU serves."""

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE, related_name="subdistricts")
    code = models.CharField(_("subdistrict code"), max_length=6, db_index=True)

    objects = CoveredSubdistrictQuerySet.as_manager()

    class Meta:
        verbose_name = _("covered subdistrict")
        verbose_name_plural = _("covered subdistricts")
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "code"], name="eservice_subdistrict_unique",
                                               violation_error_message=_("This subdistrict is already covered."))]

    def __str__(self):
        return self.code


class ServiceQuerySet(RestrictedQuerySet):
    def restrict(self, user, action="view"):
        """Active services are public; league staff change any, an LGU's editors their LGU's."""
        if is_staff(user):
            return self
        if action == "view":
            return self.filter(active=True)
        return self.filter(lgu__in=_staff_lgus(user))

    def offered(self):
        """Services an LGU offers (not the league catalogue itself)."""
        return self.filter(active=True, lgu__isnull=False)


class Service(BilingualName, models.Model):
    """A kind of problem people report (Open311 service); without an LGU, the league catalogue's."""

    lgu = models.ForeignKey("places.Lgu", on_delete=models.CASCADE, null=True, blank=True,
                            related_name="eservices", verbose_name=_("LGU"))
    based_on = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="copies", verbose_name=_("league service"))
    code = models.SlugField(_("service code"), max_length=60)
    name_th = models.CharField(_("name (Thai)"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150, blank=True)
    description = models.TextField(_("description"), blank=True)
    group = models.CharField(_("group"), max_length=20, choices=ServiceGroup, default=ServiceGroup.OTHER)
    keywords = models.CharField(_("keywords"), max_length=300, blank=True,
                                help_text=_("Comma-separated words people may search for."))
    office = models.ForeignKey("directory.Organisation", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="eservices", verbose_name=_("responsible office"))
    post = models.ForeignKey("directory.Post", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="eservices", verbose_name=_("responsible post"))
    ack_hours = models.PositiveIntegerField(_("hours to acknowledge"), default=24)
    fix_hours = models.PositiveIntegerField(_("hours to fix"), default=24 * 7)
    active = models.BooleanField(_("active"), default=True)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["lgu_id", "group", "code"]
        constraints = [
            models.UniqueConstraint(fields=["lgu", "code"], name="eservice_service_code_unique",
                                    violation_error_message=_("This LGU already has a service with this code.")),
            models.UniqueConstraint(fields=["code"], condition=models.Q(lgu__isnull=True),
                                    name="eservice_league_service_code_unique",
                                    violation_error_message=_("The league catalogue already has this code.")),
            models.CheckConstraint(condition=models.Q(fix_hours__gte=models.F("ack_hours")),
                                   name="eservice_service_fix_after_ack",
                                   violation_error_message=_("The time to fix cannot be shorter than the time to acknowledge.")),
        ]

    def __str__(self):
        return self.name


class AttributeQuerySet(RestrictedQuerySet):
    def restrict(self, user, action="view"):
        """As the service it belongs to."""
        return self.filter(service__in=Service.objects.restrict(user, action))


class Attribute(models.Model):
    """An extra question a service asks (Open311 attribute)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="attributes")
    code = models.SlugField(_("code"), max_length=60)
    datatype = models.CharField(_("datatype"), max_length=20, choices=Datatype, default=Datatype.STRING)
    description = models.CharField(_("question"), max_length=300)
    datatype_description = models.CharField(_("hint"), max_length=300, blank=True)
    required = models.BooleanField(_("required"), default=False)
    order = models.PositiveIntegerField(_("order"), default=1)
    # For list datatypes: [{"key": ..., "name": ...}, ...].
    values = models.JSONField(_("values"), default=list, blank=True)

    objects = AttributeQuerySet.as_manager()

    class Meta:
        verbose_name = _("service attribute")
        verbose_name_plural = _("service attributes")
        ordering = ["service_id", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["service", "code"], name="eservice_attribute_unique",
                                               violation_error_message=_("This service already asks this."))]

    def __str__(self):
        return self.code

    @property
    def keys(self) -> list[str]:
        return [str(value["key"]) for value in self.values]


class ServiceRequestQuerySet(RestrictedQuerySet):
    def restrict(self, user, action="view"):
        """Requests are public (without the reporter's contact); the LGU's editors and league
        staff handle them ("change")."""
        if action == "view" or is_staff(user):
            return self
        return self.filter(lgu__in=_staff_lgus(user))

    def open(self):
        """Open requests, by the condition of the open-request index (eservice_req_lgu_open_due)."""
        return self.filter(_InWritten(models.F("status"), OPEN_STATUSES))

    def closed(self):
        return self.filter(status__in=CLOSED_STATUSES)

    def public(self):
        """Requests shown on public maps and lists (duplicates too: they link to the original)."""
        return self.exclude(hidden=True)


class ServiceRequest(models.Model):
    """A problem a citizen reported to an LGU (Open311 service request)."""

    lgu = models.ForeignKey("places.Lgu", on_delete=models.PROTECT, related_name="service_requests",
                            verbose_name=_("LGU"))
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="requests",
                                verbose_name=_("service"))
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.OPEN)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    subdistrict_code = models.CharField(_("subdistrict code"), max_length=6, blank=True)
    attributes = models.JSONField(_("answers"), default=dict, blank=True)
    media_url = models.URLField(_("media URL"), max_length=500, blank=True)
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The reporter's private key to their request (sent by e-mail): rejects a fix without an account.
    reporter_key = models.UUIDField(default=uuid.uuid4, editable=False)
    # Private: never shown to the public, only to the LGU's staff.
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="service_requests", verbose_name=_("reporter"))
    contact_name = models.CharField(_("name"), max_length=150, blank=True)
    contact_email = models.EmailField(_("e-mail"), blank=True)
    contact_phone = models.CharField(_("phone"), max_length=30, blank=True)
    client = models.ForeignKey("eservice.ApiClient", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="requests", verbose_name=_("sent by application"))
    requested_at = models.DateTimeField(_("requested"), db_index=True)
    updated_at = models.DateTimeField(_("updated"), db_index=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    fixed_at = models.DateTimeField(_("fixed"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    ack_due_at = models.DateTimeField(_("acknowledge by"))
    fix_due_at = models.DateTimeField(_("fix by"))
    assigned_office = models.ForeignKey("directory.Organisation", on_delete=models.SET_NULL, null=True,
                                        blank=True, related_name="assigned_requests",
                                        verbose_name=_("assigned office"))
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="assigned_requests", verbose_name=_("assigned to"))
    duplicate_of = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="duplicates", verbose_name=_("duplicate of"))
    referred_to = models.CharField(_("referred to"), max_length=200, blank=True)
    close_reason = models.TextField(_("reason"), blank=True)
    fix_reason = models.TextField(_("what was done"), blank=True)
    fix_rejections = models.PositiveIntegerField(_("fixes rejected"), default=0)
    hidden = models.BooleanField(_("hidden"), default=False)
    example = models.BooleanField(_("example data"), default=False,
                                  help_text=_("Made up for demonstrations and benchmarks."))

    objects = ServiceRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")
        ordering = ["-requested_at", "-pk"]
        indexes = [
            models.Index(fields=["lgu", "status", "requested_at"], name="eservice_req_lgu_status"),
            models.Index(fields=["lgu", "requested_at"], name="eservice_req_lgu_time"),
            models.Index(fields=["lgu", "fix_due_at"], name="eservice_req_lgu_due"),
            # The inbox's open requests by due time, without walking an LGU's closed history
            # (the id too: PostgreSQL then needs no sort for the (due, id) order). Filter with
            # `.open()`, whose WHERE matches this condition term for term on SQLite too.
            models.Index(fields=["lgu", "fix_due_at", "id"], name="eservice_req_lgu_open_due",
                         condition=models.Q(status__in=OPEN_STATUSES)),
            models.Index(fields=["service", "requested_at"], name="eservice_req_service_time"),
            models.Index(fields=["latitude", "longitude"], name="eservice_req_position"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True) | models.Q(latitude__gte=-90, latitude__lte=90),
                name="eservice_request_latitude_range",
                violation_error_message=_("Latitude must be between -90 and 90.")),
            models.CheckConstraint(
                condition=models.Q(longitude__isnull=True) | models.Q(longitude__gte=-180, longitude__lte=180),
                name="eservice_request_longitude_range",
                violation_error_message=_("Longitude must be between -180 and 180.")),
        ]

    def __str__(self):
        return f"#{self.pk} {self.service}"

    def get_absolute_url(self):
        return reverse("eservice:request", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def open311_status(self) -> str:
        return "open" if self.is_open else "closed"

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class UpdateQuerySet(RestrictedQuerySet):
    def restrict(self, user, action="view"):
        """Public notes for everyone, internal ones for the LGU's editors; they change none."""
        if is_staff(user):
            return self if action == "view" else self.none()
        if action == "view":
            return self.filter(models.Q(public=True) | models.Q(request__lgu__in=_staff_lgus(user)))
        return self.none()


class Update(models.Model):
    """One step of a request's timeline: a status change, a note, an assignment (never edited)."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="updates")
    created_at = models.DateTimeField(_("when"), db_index=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("by"))
    status = models.CharField(_("status"), max_length=20, choices=Status, blank=True)
    note = models.TextField(_("note"), max_length=4000, blank=True)
    public = models.BooleanField(_("public"), default=True)
    rejects_fix = models.BooleanField(_("rejects the fix"), default=False)
    client = models.ForeignKey("eservice.ApiClient", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+")
    external_id = models.CharField(max_length=100, blank=True)

    objects = UpdateQuerySet.as_manager()

    class Meta:
        verbose_name = _("request update")
        verbose_name_plural = _("request updates")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.request_id}: {self.status or self.note[:40]}"


class PhotoQuerySet(RestrictedQuerySet):
    def restrict(self, user, action="view"):
        """Photos are public (their location data is stripped); only league staff remove one."""
        if action == "view" or is_staff(user):
            return self
        return self.none()


def _photo_path(photo, filename):
    return f"eservice/{photo.request_id or 'new'}/{uuid.uuid4().hex}.jpg"


class Photo(models.Model):
    """A photo of the problem or of the fix, re-encoded without its metadata."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="photos")
    update = models.ForeignKey(Update, on_delete=models.SET_NULL, null=True, blank=True, related_name="photos")
    kind = models.CharField(_("kind"), max_length=10, choices=PhotoKind, default=PhotoKind.BEFORE)
    image = models.FileField(_("photo"), upload_to=_photo_path)
    thumbnail = models.FileField(_("thumbnail"), upload_to=_photo_path)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PhotoQuerySet.as_manager()

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.image.name


class MeTooQuerySet(RestrictedQuerySet):
    def restrict(self, user, action="view"):
        """Who said "me too" is private: the LGU's editors and the person see it."""
        if is_staff(user):
            return self
        if not (user and user.is_authenticated):
            return self.none()
        mine = models.Q(user=user)
        if action == "view":
            return self.filter(mine | models.Q(request__lgu__in=_staff_lgus(user)))
        return self.filter(mine)


class MeToo(models.Model):
    """Someone else has the same problem: counted, and told when it is fixed."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="me_too")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True,
                             related_name="+")
    email = models.EmailField(_("e-mail"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MeTooQuerySet.as_manager()

    class Meta:
        verbose_name = _("me too")
        verbose_name_plural = _("me too")
        constraints = [models.UniqueConstraint(fields=["request", "user"], name="eservice_me_too_once",
                                               violation_error_message=_("You already said this."))]

    def __str__(self):
        return f"{self.request_id}"


class ResponseTemplateQuerySet(RestrictedQuerySet):
    def restrict(self, user, action="view"):
        """An LGU's editors use the league's templates and keep their own."""
        if is_staff(user):
            return self
        lgus = _staff_lgus(user)
        if not lgus:
            return self.none()
        if action == "view":
            return self.filter(models.Q(lgu__isnull=True) | models.Q(lgu__in=lgus))
        return self.filter(lgu__in=lgus)


class ResponseTemplate(models.Model):
    """A ready answer staff pick when they change a request."""

    lgu = models.ForeignKey("places.Lgu", on_delete=models.CASCADE, null=True, blank=True,
                            related_name="+", verbose_name=_("LGU"))
    title = models.CharField(_("title"), max_length=150)
    text = models.TextField(_("text"))
    status = models.CharField(_("for status"), max_length=20, choices=Status, blank=True)

    objects = ResponseTemplateQuerySet.as_manager()

    class Meta:
        verbose_name = _("response template")
        verbose_name_plural = _("response templates")
        ordering = ["title"]

    def __str__(self):
        return self.title


class ApiClientQuerySet(RestrictedQuerySet):
    def restrict(self, user, action="view"):
        """League staff issue and see the keys."""
        return self if is_staff(user) else self.none()


class ApiClient(models.Model):
    """An application allowed to post requests and updates (Open311 api_key), issued by staff.

    Only a hash of the key is stored, and its first characters to tell keys apart: the key itself
    is shown once, when it is issued (services.issue_api_key), and cannot be read back."""

    PREFIX_LENGTH = 8

    name = models.CharField(_("application"), max_length=150)
    key_prefix = models.CharField(_("key begins with"), max_length=12, editable=False)
    key_hash = models.CharField(_("key hash (SHA-256)"), max_length=64, unique=True, editable=False)
    lgu = models.ForeignKey("places.Lgu", on_delete=models.CASCADE, null=True, blank=True, related_name="+",
                            verbose_name=_("LGU"),
                            help_text=_("A city back-office system may post updates for its own LGU only."))
    active = models.BooleanField(_("active"), default=True)
    per_minute = models.PositiveIntegerField(_("requests per minute"), default=60)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ApiClientQuerySet.as_manager()

    class Meta:
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @staticmethod
    def hash_key(key: str) -> str:
        """The stored form of a key: keys are long random strings, so one SHA-256 suffices."""
        return hashlib.sha256(key.encode()).hexdigest()

    def set_new_key(self) -> str:
        """Give the client a new random key and return it (the only time it can be read)."""
        key = secrets.token_urlsafe(32)
        self.key_prefix = key[:self.PREFIX_LENGTH]
        self.key_hash = self.hash_key(key)
        return key
