"""Writes of the e-service: the catalogue, requests, their status changes and the reporters' replies.

Every function runs in one transaction, writes the audit record and sends e-mail after commit.
"""

import logging
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from thetsaban import hooks
from thetsaban.accounts.choices import AuditAction
from thetsaban.accounts.services import record, snapshot
from thetsaban.eservice import geo
from thetsaban.eservice.choices import OPEN_STATUSES, Datatype, PhotoKind, Status
from thetsaban.eservice.models import (
    ApiClient,
    Attribute,
    CoveredSubdistrict,
    Jurisdiction,
    MeToo,
    Photo,
    Service,
    ServiceRequest,
    Update,
)
from thetsaban.eservice.photos import clean_photo
from thetsaban.permissions import can, editable_lgu_ids, is_staff
from thetsaban.places.models import Lgu

logger = logging.getLogger(__name__)

MAX_DESCRIPTION = 4000
DUPLICATE_RADIUS_M = 50
DUPLICATE_DAYS = 30
REJECT_DAYS = 14
MAX_PHOTOS = 5

# The league-wide catalogue: code, Thai and English names, group, keywords, SLA hours (ack, fix).
LEAGUE_CATALOGUE = [
    ("street_lights", "ไฟฟ้าส่องสว่างชำรุด", "Street lights", "streets", "ไฟดับ,เสาไฟ,หลอดไฟ,lamp", 24, 72),
    ("roads_footpaths", "ถนนและทางเท้าชำรุด", "Roads and footpaths", "streets", "หลุม,ถนน,ทางเท้า,pothole", 24, 168),
    ("drains_flooding", "ท่อระบายน้ำและน้ำท่วม", "Drains and flooding", "water", "น้ำท่วม,ท่ออุดตัน,drain", 12, 72),
    ("waste_collection", "ขยะไม่ได้รับการจัดเก็บ", "Waste collection", "environment", "ขยะ,ถังขยะ,rubbish", 24, 48),
    ("water_supply", "ประปาและน้ำใช้", "Water supply", "water", "น้ำประปา,ท่อแตก,น้ำไม่ไหล", 12, 48),
    ("trees", "ต้นไม้และกิ่งไม้", "Trees", "environment", "ต้นไม้ล้ม,กิ่งไม้,ตัดแต่ง", 24, 168),
    ("stray_animals", "สัตว์จรจัด", "Stray animals", "public_order", "สุนัขจรจัด,แมว,dog", 24, 168),
    ("noise", "เหตุเดือดร้อนรำคาญและเสียงดัง", "Noise", "public_order", "เสียงดัง,รำคาญ,noise", 24, 168),
    ("other", "เรื่องอื่น ๆ", "Other", "other", "", 48, 336),
]


class Refused(ValidationError):
    """A change the rules do not allow (a ValidationError with a message for the person)."""


# --- Catalogue -----------------------------------------------------------------------------

@transaction.atomic
def ensure_league_catalogue(*, acting_user=None) -> int:
    """Add the league-wide services that are missing; return how many were added."""
    added = 0
    for code, name_th, name_en, group, keywords, ack, fix in LEAGUE_CATALOGUE:
        if Service.objects.filter(lgu__isnull=True, code=code).exists():
            continue
        service = Service.objects.create(code=code, name_th=name_th, name_en=name_en, group=group,
                                         keywords=keywords, ack_hours=ack, fix_hours=fix)
        record(service, AuditAction.CREATE, acting_user=acting_user)
        added += 1
    return added


@transaction.atomic
def join(lgu: Lgu, *, acting_user=None, jurisdiction_id: str = "", subdistricts=(), boundary=None,
         services=None) -> Jurisdiction:
    """Let an LGU take requests: its jurisdiction, the area it serves and the league services it enables."""
    if acting_user is not None and not is_staff(acting_user):
        raise PermissionDenied(_("Only league staff add an LGU to the e-service."))
    jurisdiction, created = Jurisdiction.objects.get_or_create(
        lgu=lgu, defaults={"jurisdiction_id": jurisdiction_id or lgu.code.lower(), "boundary": boundary})
    if created:
        record(jurisdiction, AuditAction.CREATE, acting_user=acting_user)
    for code in subdistricts:
        CoveredSubdistrict.objects.get_or_create(jurisdiction=jurisdiction, code=code)
    ensure_league_catalogue(acting_user=acting_user)
    league = Service.objects.filter(lgu__isnull=True)
    if services is not None:
        league = league.filter(code__in=services)
    for service in league:
        enable_service(lgu, service, acting_user=acting_user)
    return jurisdiction


def _check_lgu_editor(user, lgu_id) -> None:
    if user is not None and not (is_staff(user) or lgu_id in editable_lgu_ids(user)):
        raise PermissionDenied(_("Only this LGU's editors and league staff may do this."))


@transaction.atomic
def enable_service(lgu: Lgu, league_service: Service, *, acting_user=None, office=None, post=None,
                   ack_hours=None, fix_hours=None) -> Service:
    """The LGU's own copy of a league-wide service (with its attributes), made once."""
    _check_lgu_editor(acting_user, lgu.pk)
    existing = Service.objects.filter(lgu=lgu, code=league_service.code).first()
    if existing:
        return existing
    service = Service(
        lgu=lgu, based_on=league_service, code=league_service.code, name_th=league_service.name_th,
        name_en=league_service.name_en, description=league_service.description,
        group=league_service.group, keywords=league_service.keywords, office=office, post=post,
        ack_hours=ack_hours or league_service.ack_hours, fix_hours=fix_hours or league_service.fix_hours)
    service.full_clean()
    service.save()
    for attribute in league_service.attributes.all():
        Attribute.objects.create(service=service, code=attribute.code, datatype=attribute.datatype,
                                 description=attribute.description, required=attribute.required,
                                 order=attribute.order, values=attribute.values,
                                 datatype_description=attribute.datatype_description)
    record(service, AuditAction.CREATE, acting_user=acting_user)
    return service


@transaction.atomic
def save_service(service: Service, *, acting_user) -> Service:
    """Save a service an LGU offers (its own or its copy of a league one)."""
    if service.lgu_id is None:
        if acting_user is not None and not is_staff(acting_user):
            raise PermissionDenied(_("Only league staff change the league catalogue."))
    else:
        _check_lgu_editor(acting_user, service.lgu_id)
    before = snapshot(Service.objects.get(pk=service.pk)) if service.pk else None
    service.full_clean()
    service.save()
    record(service, AuditAction.UPDATE if before else AuditAction.CREATE, acting_user=acting_user, before=before)
    return service


@transaction.atomic
def issue_api_key(name: str, *, acting_user, lgu=None, per_minute: int = 60) -> ApiClient:
    """A new client application and its key (league staff only).

    Only the key's hash and first characters are stored; the key itself is on the returned
    client as `plain_key`, to be shown once."""
    if acting_user is not None and not is_staff(acting_user):
        raise PermissionDenied(_("Only league staff issue API keys."))
    client = ApiClient(name=name, lgu=lgu, per_minute=per_minute)
    key = client.set_new_key()
    client.save()
    record(client, AuditAction.CREATE, acting_user=acting_user)
    client.plain_key = key
    return client


# --- Finding the LGU, duplicates -------------------------------------------------------------

def lgu_at(lat: float | None, lon: float | None, subdistrict_code: str = "") -> tuple[Lgu | None, str]:
    """The LGU serving a place and how it was found: "boundary", "subdistrict", "nearest" (to be
    confirmed by the citizen) or "" when none is near."""
    jurisdictions = Jurisdiction.objects.filter(active=True).select_related("lgu")
    if lat is not None and lon is not None:
        boxed = jurisdictions.filter(boundary__isnull=False, min_lat__lte=lat, max_lat__gte=lat,
                                     min_lon__lte=lon, max_lon__gte=lon)
        for jurisdiction in boxed:
            if geo.contains(jurisdiction.boundary, lat, lon):
                return jurisdiction.lgu, "boundary"
    if subdistrict_code:
        covered = CoveredSubdistrict.objects.filter(code=subdistrict_code, jurisdiction__active=True).select_related(
            "jurisdiction__lgu").first()
        if covered:
            return covered.jurisdiction.lgu, "subdistrict"
    if lat is not None and lon is not None:
        located = [j.lgu for j in jurisdictions if j.lgu.has_location]
        if located:
            nearest = min(located, key=lambda lgu: geo.distance_m(lat, lon, float(lgu.latitude), float(lgu.longitude)))
            return nearest, "nearest"
    return None, ""


def likely_duplicates(service: Service, lat: float, lon: float, *, now=None, limit: int = 5) -> list:
    """Open or recent requests of the same service within 50 m in the last 30 days, nearest first."""
    now = now or timezone.now()
    dlat, dlon = geo.degree_box(lat, lon, DUPLICATE_RADIUS_M)
    candidates = (ServiceRequest.objects.public()
                  .filter(service=service, requested_at__gte=now - timedelta(days=DUPLICATE_DAYS),
                          latitude__gte=lat - dlat, latitude__lte=lat + dlat,
                          longitude__gte=lon - dlon, longitude__lte=lon + dlon)
                  .exclude(status=Status.DUPLICATE).select_related("service"))
    near = []
    for candidate in candidates:
        distance = geo.distance_m(lat, lon, float(candidate.latitude), float(candidate.longitude))
        if distance <= DUPLICATE_RADIUS_M:
            candidate.distance_m = round(distance)
            near.append(candidate)
    return sorted(near, key=lambda r: r.distance_m)[:limit]


# --- Reporting --------------------------------------------------------------------------------

def clean_answers(service: Service, raw: dict) -> dict:
    """The answers to a service's attributes, checked; raw maps code -> list of strings.

    A ValidationError maps each wrong attribute's code to its message.
    """
    answers, errors = {}, {}
    for attribute in service.attributes.all():
        values = [v.strip() for v in raw.get(attribute.code, []) if v is not None and v.strip()]
        if not values:
            if attribute.required:
                errors[attribute.code] = _("%(question)s is required.") % {"question": attribute.description}
            continue
        try:
            answers[attribute.code] = _clean_answer(attribute, values)
        except ValidationError as error:
            errors[attribute.code] = error.messages[0]
    unknown = sorted(set(raw) - {a.code for a in service.attributes.all()})
    for code in unknown:
        errors[code] = _("This service does not ask %(code)s.") % {"code": code}
    if errors:
        raise ValidationError(errors)
    return answers


def _clean_answer(attribute: Attribute, values: list[str]):
    kind = attribute.datatype
    if kind == Datatype.MULTI:
        wrong = [v for v in values if v not in attribute.keys]
        if wrong:
            raise ValidationError(_("%(value)s is not one of the choices.") % {"value": wrong[0]})
        return values
    if len(values) > 1:
        raise ValidationError(_("%(question)s takes one answer.") % {"question": attribute.description})
    value = values[0]
    if kind == Datatype.SINGLE and value not in attribute.keys:
        raise ValidationError(_("%(value)s is not one of the choices.") % {"value": value})
    if kind == Datatype.NUMBER:
        try:
            float(value)
        except ValueError as error:
            raise ValidationError(_("%(value)s is not a number.") % {"value": value}) from error
    if kind == Datatype.DATETIME and parse_datetime(value) is None:
        raise ValidationError(_("%(value)s is not a date and time (ISO 8601).") % {"value": value})
    limit = 4000 if kind == Datatype.TEXT else 300
    if len(value) > limit:
        raise ValidationError(_("The answer is longer than %(limit)s characters.") % {"limit": limit})
    return value


def clean_position(lat, lon) -> tuple[Decimal | None, Decimal | None]:
    """Latitude and longitude as numbers in range, or a ValidationError naming the field."""
    if lat in (None, "") and lon in (None, ""):
        return None, None
    try:
        lat_value, lon_value = float(lat), float(lon)
    except (TypeError, ValueError, OverflowError) as error:
        raise ValidationError({"lat": _("Latitude and longitude must be numbers.")}) from error
    if not (-90 <= lat_value <= 90) or lat_value != lat_value:
        raise ValidationError({"lat": _("Latitude must be between -90 and 90.")})
    if not (-180 <= lon_value <= 180) or lon_value != lon_value:
        raise ValidationError({"long": _("Longitude must be between -180 and 180.")})
    return Decimal(f"{lat_value:.6f}"), Decimal(f"{lon_value:.6f}")


def _due(start: datetime, hours: int) -> datetime:
    return start + timedelta(hours=hours)


@transaction.atomic
def submit_request(*, service: Service, description: str, lat=None, lon=None, address: str = "",
                   subdistrict_code: str = "", answers: dict | None = None, photos=(), reporter=None,
                   contact_name: str = "", contact_email: str = "", contact_phone: str = "",
                   media_url: str = "", client: ApiClient | None = None, acting_user=None,
                   requested_at=None, example: bool = False) -> ServiceRequest:
    """Record a citizen's request to the service's LGU, with its photos; nothing is kept if any part is wrong."""
    if service.lgu_id is None or not service.active:
        raise ValidationError({"service_code": _("This service is not offered here.")})
    description = (description or "").strip()
    if len(description) > MAX_DESCRIPTION:
        raise ValidationError({"description": _("The description is longer than %(limit)s characters.") % {
            "limit": MAX_DESCRIPTION}})
    if lat is None and not address.strip():
        raise ValidationError({"lat": _("Give the place: a point on the map or an address.")})
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"media": _("At most %(count)s photos.") % {"count": MAX_PHOTOS}})
    cleaned_photos = []
    for upload in photos:
        try:
            cleaned_photos.append(clean_photo(upload))
        except ValidationError as error:
            raise ValidationError({"media": error.messages}) from error
    now = requested_at or timezone.now()
    lat, lon = clean_position(lat, lon)
    request = ServiceRequest(
        lgu_id=service.lgu_id, service=service, description=description, latitude=lat, longitude=lon,
        address=address.strip()[:300], subdistrict_code=subdistrict_code, attributes=answers or {},
        media_url=media_url, reporter=reporter if reporter is not None and reporter.is_authenticated else None,
        contact_name=contact_name.strip(), contact_email=contact_email.strip(), contact_phone=contact_phone.strip(),
        client=client, requested_at=now, updated_at=now, ack_due_at=_due(now, service.ack_hours),
        fix_due_at=_due(now, service.fix_hours), assigned_office=service.office,
        example=example)
    request.full_clean(exclude=["token", "reporter_key"])
    request.save()
    for photo, thumb, width, height in cleaned_photos:
        _add_photo(request, photo, thumb, width, height, PhotoKind.BEFORE)
    Update.objects.create(request=request, created_at=now, status=Status.OPEN, author=request.reporter,
                          note=_("Request received."), client=client)
    record(request, AuditAction.CREATE, acting_user=acting_user)
    email = reporter_email(request)
    if email:
        _mail([email], _("Your request #%(id)s was received") % {"id": request.pk},
              _("Thank you. %(lgu)s received your request about %(service)s. Follow it here: %(url)s\n\n"
                "To tell us the fix did not work, use this private link: %(private)s") % {
                  "lgu": request.lgu, "service": service.name_th, "url": _url(request.get_absolute_url()),
                  "private": _url(request.get_absolute_url() + f"?key={request.reporter_key}")})
    return request


def _add_photo(request, photo: bytes, thumb: bytes, width: int, height: int, kind, update=None) -> Photo:
    item = Photo(request=request, update=update, kind=kind, width=width, height=height)
    item.image.save("photo.jpg", ContentFile(photo), save=False)
    item.thumbnail.save("thumb.jpg", ContentFile(thumb), save=False)
    item.save()
    return item


@transaction.atomic
def add_me_too(request: ServiceRequest, *, user) -> MeToo:
    """A signed-in person has the same problem: counted once and told of each public change."""
    if not (user and user.is_authenticated):
        raise PermissionDenied(_("Sign in to say you have the same problem."))
    if request.reporter_id == user.pk:
        raise Refused(_("You reported this request yourself."))
    me_too, created = MeToo.objects.get_or_create(request=request, user=user, defaults={"email": user.email})
    if created:
        record(me_too, AuditAction.CREATE, acting_user=user)
    return me_too


# --- Handling -------------------------------------------------------------------------------

def reporter_email(request: ServiceRequest) -> str:
    if request.contact_email:
        return request.contact_email
    return request.reporter.email if request.reporter_id and request.reporter.email else ""


def _url(path: str) -> str:
    return getattr(settings, "SITE_URL", "").rstrip("/") + path


def _mail(recipients: list[str], subject: str, body: str) -> None:
    messages = [EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [to]) for to in recipients]

    def send():
        try:
            get_connection(fail_silently=True).send_messages(messages)
        except Exception:  # a mail server outage must not break the page that caused the change
            logger.exception("Could not send the e-service e-mail %s", subject)

    transaction.on_commit(send)


def _notify(request: ServiceRequest, summary: str, acting_user=None) -> None:
    """Tell the reporter and everyone who said "me too" about a public change."""
    recipients = {reporter_email(request)} | set(
        request.me_too.exclude(email="").values_list("email", flat=True))
    recipients.discard("")
    if acting_user is not None and getattr(acting_user, "email", ""):
        recipients.discard(acting_user.email)
    if recipients:
        _mail(sorted(recipients), _("Request #%(id)s: %(summary)s") % {"id": request.pk, "summary": summary},
              f"{summary}\n\n{_url(request.get_absolute_url())}")
    hooks.record_changed.send(sender=ServiceRequest, record=request, summary=summary, acting_user=acting_user)


def _stamp(request: ServiceRequest, status: str, now) -> None:
    request.status = status
    request.updated_at = now
    if status != Status.OPEN and request.acknowledged_at is None:
        request.acknowledged_at = now
    if status == Status.FIXED:
        request.fixed_at = now
    if status in OPEN_STATUSES:
        request.closed_at = None
        if status == Status.OPEN:
            request.fixed_at = None
    else:
        request.closed_at = now


@transaction.atomic
def change_status(request: ServiceRequest, *, acting_user, status: str = "", note: str = "",
                  internal_note: str = "", reason: str = "", after_photo=None, duplicate_of=None,
                  referred_to: str = "", client: ApiClient | None = None, external_id: str = "",
                  when=None) -> ServiceRequest:
    """Move a request on (or only add notes); the rules of each status are checked here.

    Fixed needs an after photo or a written account of the fix; closed without a fix needs a
    reason; a duplicate names the original of the same LGU; a referral names who takes it.
    """
    if client is None:
        # acting_user=None is a trusted process (demo loader, command); an anonymous visitor is not.
        if acting_user is not None and not acting_user.is_authenticated:
            raise PermissionDenied(_("Sign in first."))
        _check_lgu_editor(acting_user, request.lgu_id)
    request = ServiceRequest.objects.select_for_update().get(pk=request.pk)
    before = snapshot(request)
    now = when or timezone.now()
    reason, note, internal_note = reason.strip(), note.strip(), internal_note.strip()
    if status and status not in Status.values:
        raise Refused({"status": _("Unknown status %(status)s.") % {"status": status}})
    if status == request.status and not (note or internal_note):
        raise Refused({"status": _("The request already has this status.")})
    photo = None
    if status == Status.FIXED:
        if after_photo is None and not (reason or note):
            raise Refused({"reason": _("A request is marked fixed only with an after photo or a written account of the fix.")})
        if after_photo is not None:
            photo = clean_photo(after_photo)
        request.fix_reason = reason or note
    if status == Status.CLOSED:
        if not (reason or note):
            raise Refused({"reason": _("Say why the request is closed without a fix.")})
        request.close_reason = reason or note
    if status == Status.DUPLICATE:
        if duplicate_of is None or duplicate_of.pk == request.pk or duplicate_of.lgu_id != request.lgu_id:
            raise Refused({"duplicate_of": _("Name the original request of the same LGU.")})
        if duplicate_of.status == Status.DUPLICATE:
            raise Refused({"duplicate_of": _("The original is itself a duplicate: name its original.")})
        request.duplicate_of = duplicate_of
    if status == Status.REFERRED:
        referred_to = referred_to.strip() or reason
        if not referred_to:
            raise Refused({"referred_to": _("Say which LGU or agency takes the request.")})
        request.referred_to = referred_to[:200]
    if status:
        _stamp(request, status, now)
    else:
        request.updated_at = now
    request.save()
    author = acting_user if acting_user is not None and acting_user.is_authenticated else None
    update = None
    if status or note:
        update = Update.objects.create(request=request, created_at=now, author=author, status=status,
                                       note=note or (reason if status in (Status.FIXED, Status.CLOSED) else ""),
                                       public=True, client=client, external_id=external_id)
    if internal_note:
        Update.objects.create(request=request, created_at=now, author=author, note=internal_note, public=False)
    if photo:
        _add_photo(request, *photo, PhotoKind.AFTER, update=update)
    record(request, AuditAction.UPDATE, acting_user=acting_user, before=before,
           note=f"status {before['status']} -> {request.status}" if status else "note")
    if update is not None:
        _notify(request, (request.get_status_display() + (": " + note if note else "")) if status else note,
                acting_user)
    return request


@transaction.atomic
def assign(request: ServiceRequest, *, acting_user, office=None, user=None) -> ServiceRequest:
    """Give a request to an office and/or a person of the LGU (internal: the reporter is not told)."""
    _check_lgu_editor(acting_user, request.lgu_id)
    if user is not None and not (is_staff(user) or request.lgu_id in editable_lgu_ids(user)):
        raise Refused({"assigned_to": _("%(user)s does not work for this LGU.") % {"user": user}})
    before = snapshot(request)
    request.assigned_office = office
    request.assigned_to = user
    request.updated_at = timezone.now()
    request.save(update_fields=["assigned_office", "assigned_to", "updated_at"])
    who = ", ".join(str(x) for x in (office, user) if x is not None) or _("nobody")
    Update.objects.create(request=request, created_at=request.updated_at, author=acting_user, public=False,
                          note=_("Assigned to %(who)s.") % {"who": who})
    record(request, AuditAction.UPDATE, acting_user=acting_user, before=before, note="assigned")
    return request


def bulk_change(requests, *, acting_user, **change) -> tuple[int, list[str]]:
    """Apply one status change to many requests; each goes alone (all-or-nothing per request)."""
    done, errors = 0, []
    for request in requests:
        try:
            change_status(request, acting_user=acting_user, **change)
            done += 1
        except (ValidationError, PermissionDenied) as error:
            errors.append(f"#{request.pk}: {' '.join(getattr(error, 'messages', [str(error)]))}")
    return done, errors


def may_reject_fix(request: ServiceRequest, user=None, key: str = "") -> bool:
    """The reporter (signed in or by their private link) or a "me too" person, within 14 days of the fix."""
    if request.status != Status.FIXED or request.fixed_at is None:
        return False
    if timezone.now() > request.fixed_at + timedelta(days=REJECT_DAYS):
        return False
    if key and str(request.reporter_key) == key:
        return True
    if user is None or not user.is_authenticated:
        return False
    return request.reporter_id == user.pk or request.me_too.filter(user=user).exists()


@transaction.atomic
def reject_fix(request: ServiceRequest, *, user=None, key: str = "", reason: str) -> ServiceRequest:
    """The problem is still there: the request opens again and the rejection is counted."""
    request = ServiceRequest.objects.select_for_update().get(pk=request.pk)
    if not may_reject_fix(request, user, key):
        raise PermissionDenied(_("Only the reporter or someone who said \"me too\" may reject a fix, within %(days)s days.")
                               % {"days": REJECT_DAYS})
    reason = (reason or "").strip()
    if not reason:
        raise Refused({"reason": _("Say what is still wrong.")})
    before = snapshot(request)
    now = timezone.now()
    _stamp(request, Status.OPEN, now)
    request.fix_rejections += 1
    request.fix_due_at = now + timedelta(hours=request.service.fix_hours)
    request.save()
    author = user if user is not None and user.is_authenticated else None
    Update.objects.create(request=request, created_at=now, author=author, status=Status.OPEN,
                          note=reason[:4000], rejects_fix=True)
    record(request, AuditAction.UPDATE, acting_user=author, before=before, note="fix rejected")
    _notify(request, _("The fix was rejected: %(reason)s") % {"reason": reason[:200]}, author)
    return request


def may_handle(user, request: ServiceRequest) -> bool:
    return can(user, "change", request)
