"""Open311 GeoReport v2 at /open311/v2/, in XML (the default) and JSON, for every LGU at once.

One endpoint serves all jurisdictions, so `jurisdiction_id` is required: 400 when it is missing,
404 when no LGU has it. Errors are the spec's list of {code, description}. Times are ISO 8601
with the time zone. `lon` is accepted beside `long` (as FixMyStreet does). mySociety's
`servicerequestupdates` extension lets a city's back-office system exchange status updates.
POSTs need an API key that league staff issue per client application; each key is rate-limited.
"""

import uuid
import xml.etree.ElementTree as ET
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db.models import Count, F, OuterRef, Subquery
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from thetsaban.eservice import services
from thetsaban.eservice.choices import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    OUR_UPDATE_STATUS,
    UPDATE_STATUSES,
    Status,
)
from thetsaban.eservice.models import (
    ApiClient,
    Jurisdiction,
    Photo,
    Service,
    ServiceRequest,
    Update,
)

DEFAULT_DAYS = 90
MAX_REQUESTS = 1000
SPEC = "http://wiki.open311.org/GeoReport_v2"


class Open311Error(Exception):
    """An error answered as the spec's [{code, description}] with that HTTP status."""

    def __init__(self, status: int, description: str):
        super().__init__(description)
        self.status = status
        self.description = description


# --- Rendering -------------------------------------------------------------------------------

def _xml_value(parent, name, value):
    element = ET.SubElement(parent, name)
    if isinstance(value, dict):
        for key, inner in value.items():
            _xml_value(element, key, inner)
    elif isinstance(value, list):
        child = name[:-1] if name.endswith("s") else "item"
        for inner in value:
            _xml_value(element, child, inner)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = str(value)


def render(fmt: str, root: str, item: str, rows, status: int = 200):
    """A list of rows as JSON, or as XML <root><item>…</item></root>."""
    if fmt == "json":
        return JsonResponse(rows, safe=False, status=status, json_dumps_params={"ensure_ascii": False})
    element = ET.Element(root)
    if isinstance(rows, dict):
        for key, value in rows.items():
            _xml_value(element, key, value)
    else:
        for row in rows:
            _xml_value(element, item, row)
    body = b'<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(element, encoding="utf-8", xml_declaration=False)
    return HttpResponse(body, status=status, content_type="text/xml; charset=utf-8")


def error(fmt: str, status: int, description: str):
    return render(fmt, "errors", "error", [{"code": status, "description": description}], status=status)


def iso(moment) -> str | None:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def _endpoint(view):
    """Answer Open311Error and ValidationError in the spec's error shape, in the asked format."""

    def wrapped(request, *args, fmt="xml", **kwargs):
        fmt = fmt or "xml"
        try:
            return view(request, *args, fmt=fmt, **kwargs)
        except Open311Error as problem:
            return error(fmt, problem.status, problem.description)
        except PermissionDenied as problem:
            return error(fmt, 403, str(problem) or "Forbidden")
        except ValidationError as problem:
            messages = ([f"{field}: {' '.join(msgs)}" for field, msgs in problem.message_dict.items()]
                        if hasattr(problem, "error_dict") else problem.messages)
            return render(fmt, "errors", "error", [{"code": 400, "description": m} for m in messages], status=400)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return csrf_exempt(wrapped)


# --- Shared checks ---------------------------------------------------------------------------

def jurisdiction_of(request) -> Jurisdiction:
    source = request.POST if request.method == "POST" else request.GET
    value = source.get("jurisdiction_id", "").strip()
    if not value:
        raise Open311Error(400, "jurisdiction_id was not provided")
    found = Jurisdiction.objects.restrict(None, "view").select_related("lgu").filter(jurisdiction_id=value).first()
    if found is None:
        raise Open311Error(404, f"jurisdiction_id not found: {value}")
    return found


def client_of(request, *, required: bool = True) -> ApiClient | None:
    """The client application of the api_key, counted against its per-minute limit."""
    key = (request.POST.get("api_key") or request.GET.get("api_key") or "").strip()
    if not key:
        if required:
            raise Open311Error(403, "api_key was not provided")
        return None
    client = ApiClient.objects.filter(key_hash=ApiClient.hash_key(key), active=True).first()
    if client is None:
        raise Open311Error(403, "api_key is not valid")
    window = int(timezone.now().timestamp() // 60)
    counter = f"open311:{client.pk}:{window}"
    cache.add(counter, 0, timeout=120)
    if cache.incr(counter) > client.per_minute:
        raise Open311Error(429, f"rate limit of {client.per_minute} requests per minute exceeded")
    return client


def _date(value: str, name: str):
    moment = parse_datetime(value.strip().replace(" ", "+"))
    if moment is None:
        raise Open311Error(400, f"{name} is not an ISO 8601 date and time: {value}")
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _absolute(request, path: str) -> str:
    return request.build_absolute_uri(path)


# --- Services ---------------------------------------------------------------------------------

def _service_row(service: Service) -> dict:
    return {"service_code": service.code, "service_name": service.name_th,
            "description": service.description or service.name_en, "metadata": bool(service.attribute_count),
            "type": "realtime", "keywords": service.keywords, "group": service.get_group_display()}


@_endpoint
@require_http_methods(["GET"])
def discovery(request, fmt):
    """Where the endpoint is and what it speaks."""
    url = _absolute(request, reverse("open311:discovery", kwargs={"fmt": "xml"})).rsplit("/", 1)[0]
    return render(fmt, "discovery", "", {
        "changeset": iso(timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)),
        "contact": settings.DEFAULT_FROM_EMAIL, "key_service": _absolute(request, "/admin/"),
        "endpoints": [{"specification": SPEC, "url": url, "changeset": "2026-12-01T00:00:00+07:00",
                       "type": "production", "formats": ["text/xml", "application/json"]}]})


@_endpoint
@require_http_methods(["GET"])
def service_list(request, fmt):
    """The services a jurisdiction offers."""
    jurisdiction = jurisdiction_of(request)
    offered = (Service.objects.restrict(None, "view").filter(lgu=jurisdiction.lgu)
               .annotate(attribute_count=Count("attributes")).order_by("group", "code"))
    return render(fmt, "services", "service", [_service_row(s) for s in offered])


@_endpoint
@require_http_methods(["GET"])
def service_definition(request, code, fmt):
    """A service's attributes (extra questions)."""
    jurisdiction = jurisdiction_of(request)
    service = Service.objects.restrict(None, "view").filter(lgu=jurisdiction.lgu, code=code).first()
    if service is None:
        raise Open311Error(404, f"service_code not found: {code}")
    attributes = [{
        "variable": True, "code": a.code, "datatype": a.datatype, "required": a.required,
        "datatype_description": a.datatype_description, "order": a.order, "description": a.description,
        "values": [{"key": v["key"], "name": v["name"]} for v in a.values]}
        for a in service.attributes.all()]
    return render(fmt, "service_definition", "", {"service_code": service.code, "attributes": attributes})


# --- Requests ---------------------------------------------------------------------------------

def _with_extras(queryset):
    latest_note = Update.objects.filter(request=OuterRef("pk"), public=True).exclude(note="").order_by("-created_at", "-pk")
    first_photo = Photo.objects.filter(request=OuterRef("pk")).order_by("pk")
    return queryset.select_related("service", "assigned_office").annotate(
        status_notes=Subquery(latest_note.values("note")[:1]),
        photo_id=Subquery(first_photo.values("pk")[:1]))


def _request_row(request, item: ServiceRequest) -> dict:
    media = item.media_url or (_absolute(request, reverse("eservice:photo", args=[item.photo_id]))
                               if item.photo_id else "")
    return {
        "service_request_id": str(item.pk), "status": item.open311_status, "status_notes": item.status_notes or "",
        "service_name": item.service.name_th, "service_code": item.service.code, "description": item.description,
        "agency_responsible": str(item.assigned_office or item.lgu_name), "service_notice": "",
        "requested_datetime": iso(item.requested_at), "updated_datetime": iso(item.updated_at),
        "expected_datetime": iso(item.fix_due_at) if item.is_open else None,
        "address": item.address, "address_id": "", "zipcode": "",
        "lat": float(item.latitude) if item.latitude is not None else None,
        "long": float(item.longitude) if item.longitude is not None else None,
        "media_url": media, "detailed_status": OUR_UPDATE_STATUS.get(item.status, "OPEN"),
    }


def _rows(request, queryset):
    return [_request_row(request, item) for item in _with_extras(queryset.annotate(lgu_name=F("lgu__name_th")))]


@_endpoint
@require_http_methods(["GET", "POST"])
def requests(request, fmt):
    """GET: requests by the spec's filters. POST: a new request."""
    if request.method == "POST":
        return _create(request, fmt)
    jurisdiction = jurisdiction_of(request)
    queryset = ServiceRequest.objects.restrict(None, "view").public().filter(lgu=jurisdiction.lgu)
    ids = request.GET.get("service_request_id", "").strip()
    if ids:
        try:
            wanted = [int(part) for part in ids.split(",") if part.strip()]
        except ValueError as problem:
            raise Open311Error(400, "service_request_id must be a comma-separated list of numbers") from problem
        if len(wanted) > MAX_REQUESTS:
            raise Open311Error(400, f"at most {MAX_REQUESTS} service_request_id values")
        return render(fmt, "service_requests", "request", _rows(request, queryset.filter(pk__in=wanted)))
    codes = [c.strip() for c in request.GET.get("service_code", "").split(",") if c.strip()]
    if codes:
        queryset = queryset.filter(service__code__in=codes)
    statuses = {s.strip().lower() for s in request.GET.get("status", "").split(",") if s.strip()}
    if statuses - {"open", "closed"}:
        raise Open311Error(400, "status must be open, closed or both")
    if statuses == {"open"}:
        queryset = queryset.filter(status__in=OPEN_STATUSES)
    elif statuses == {"closed"}:
        queryset = queryset.filter(status__in=CLOSED_STATUSES)
    start = _date(request.GET["start_date"], "start_date") if request.GET.get("start_date") else None
    end = _date(request.GET["end_date"], "end_date") if request.GET.get("end_date") else None
    if start and end and end - start > timedelta(days=DEFAULT_DAYS):
        raise Open311Error(400, f"start_date and end_date may not span more than {DEFAULT_DAYS} days")
    if start and end and end < start:
        raise Open311Error(400, "end_date is before start_date")
    if start is None:
        start = (end or timezone.now()) - timedelta(days=DEFAULT_DAYS)
    queryset = queryset.filter(requested_at__gte=start)
    if end is not None:
        queryset = queryset.filter(requested_at__lte=end)
    for name, lookup in (("updated_after", "updated_at__gte"), ("updated_before", "updated_at__lte")):
        if request.GET.get(name):
            queryset = queryset.filter(**{lookup: _date(request.GET[name], name)})
    queryset = queryset.order_by("-requested_at", "-pk")[:MAX_REQUESTS]
    return render(fmt, "service_requests", "request", _rows(request, queryset))


@_endpoint
@require_http_methods(["GET"])
def request_detail(request, request_id, fmt):
    """One request, as a list of one."""
    jurisdiction = jurisdiction_of(request)
    queryset = ServiceRequest.objects.restrict(None, "view").public().filter(lgu=jurisdiction.lgu, pk=request_id)
    rows = _rows(request, queryset)
    if not rows:
        raise Open311Error(404, f"service_request_id not found: {request_id}")
    return render(fmt, "service_requests", "request", rows)


@_endpoint
@require_http_methods(["GET"])
def token(request, token_id, fmt):
    """The request id behind a token."""
    jurisdiction = jurisdiction_of(request)
    item = ServiceRequest.objects.restrict(None, "view").filter(lgu=jurisdiction.lgu, token=_uuid(token_id)).first()
    if item is None:
        raise Open311Error(404, f"token not found: {token_id}")
    return render(fmt, "service_requests", "request", [{"service_request_id": str(item.pk), "token": str(item.token)}])


def _uuid(value: str):
    try:
        return uuid.UUID(value)
    except ValueError as problem:
        raise Open311Error(404, f"token not found: {value}") from problem


def attribute_answers(post) -> dict:
    """attribute[code]=v and attribute[code][]=v (several) -> {code: [values]}."""
    answers = {}
    for key in post:
        if key.startswith("attribute[") and "]" in key:
            code = key[len("attribute["):key.index("]")]
            answers.setdefault(code, []).extend(post.getlist(key))
    return answers


def _create(request, fmt):
    jurisdiction = jurisdiction_of(request)
    client = client_of(request)
    post = request.POST
    code = post.get("service_code", "").strip()
    if not code:
        raise Open311Error(400, "service_code was not provided")
    service = Service.objects.restrict(None, "view").filter(lgu=jurisdiction.lgu, code=code).first()
    if service is None:
        raise Open311Error(400, f"service_code not found: {code}")
    lat, lon = post.get("lat", ""), post.get("long", "") or post.get("lon", "")
    address = post.get("address_string", "").strip() or post.get("address_id", "").strip()
    if (lat == "") != (lon == ""):
        raise Open311Error(400, "lat and long must be given together")
    if (lat == "" or lon == "") and not address:
        raise Open311Error(400, "lat and long, or address_string, are required")
    lat_value, lon_value = services.clean_position(lat or None, lon or None)
    description = post.get("description", "")
    if "<" in description and ">" in description:
        raise Open311Error(400, "description: HTML is not allowed")
    answers = services.clean_answers(service, attribute_answers(post))
    media_url = post.get("media_url", "").strip()
    if media_url and not media_url.lower().startswith(("http://", "https://")):
        raise Open311Error(400, "media_url must be an http or https URL")
    name = " ".join(part for part in (post.get("first_name", "").strip(), post.get("last_name", "").strip()) if part)
    created = services.submit_request(
        service=service, description=description, lat=lat_value, lon=lon_value, address=address,
        answers=answers, photos=request.FILES.getlist("media"), contact_name=name,
        contact_email=_email(post.get("email", "")), contact_phone=post.get("phone", "")[:30],
        media_url=media_url[:500], client=client)
    notice = f"ตอบรับภายใน {service.ack_hours} ชั่วโมง / acknowledged within {service.ack_hours} hours"
    return render(fmt, "service_requests", "request", [{
        "service_request_id": str(created.pk), "service_notice": notice, "account_id": None}], status=201)


def _email(value: str) -> str:
    value = value.strip()
    if value:
        try:
            validate_email(value)
        except ValidationError as problem:
            raise Open311Error(400, "email is not a valid e-mail address") from problem
    return value


# --- mySociety's servicerequestupdates -------------------------------------------------------

def _update_row(request, update: Update) -> dict:
    return {"update_id": str(update.pk), "service_request_id": str(update.request_id),
            "status": OUR_UPDATE_STATUS.get(update.status or update.request.status, "OPEN"),
            "updated_datetime": iso(update.created_at), "description": update.note,
            "media_url": _absolute(request, reverse("eservice:photo", args=[update.photo_id])) if update.photo_id else "",
            "external_status_code": update.external_id}


@_endpoint
@require_http_methods(["GET", "POST"])
def request_updates(request, fmt):
    """GET: public updates between start_date and end_date. POST: a back-office system's update."""
    jurisdiction = jurisdiction_of(request)
    if request.method == "POST":
        return _post_update(request, fmt, jurisdiction)
    client_of(request, required=False)
    end = _date(request.GET["end_date"], "end_date") if request.GET.get("end_date") else timezone.now()
    start = _date(request.GET["start_date"], "start_date") if request.GET.get("start_date") else end - timedelta(days=1)
    updates = (Update.objects.restrict(None, "view").filter(request__lgu=jurisdiction.lgu, request__hidden=False,
                                                            created_at__gte=start, created_at__lte=end)
               .select_related("request")
               .annotate(photo_id=Subquery(Photo.objects.filter(update=OuterRef("pk")).values("pk")[:1]))
               .order_by("created_at", "pk")[:MAX_REQUESTS])
    return render(fmt, "service_request_updates", "request_update", [_update_row(request, u) for u in updates])


def _post_update(request, fmt, jurisdiction):
    client = client_of(request)
    if client.lgu_id != jurisdiction.lgu_id:
        raise Open311Error(403, "this api_key may not post updates for this jurisdiction")
    post = request.POST
    missing = [name for name in ("service_request_id", "update_id", "status", "updated_datetime", "description")
               if not post.get(name, "").strip()]
    if missing:
        raise Open311Error(400, f"missing: {', '.join(missing)}")
    status = UPDATE_STATUSES.get(post["status"].strip().upper())
    if status is None:
        raise Open311Error(400, f"unknown status: {post['status']}")
    try:
        item = ServiceRequest.objects.get(lgu=jurisdiction.lgu, pk=int(post["service_request_id"]))
    except (ValueError, ServiceRequest.DoesNotExist) as problem:
        raise Open311Error(404, f"service_request_id not found: {post['service_request_id']}") from problem
    external = post["update_id"].strip()[:100]
    existing = Update.objects.filter(request=item, client=client, external_id=external).first()
    if existing is None:
        when = _date(post["updated_datetime"], "updated_datetime")
        services.change_status(item, acting_user=None, client=client, external_id=external,
                               status=status if status != item.status else "", note=post["description"].strip(),
                               referred_to=post["description"].strip() if status == Status.REFERRED else "",
                               when=max(when, item.updated_at))
        existing = Update.objects.filter(request=item, client=client, external_id=external).latest("pk")
    return render(fmt, "service_request_updates", "request_update", [{"update_id": str(existing.pk)}])
