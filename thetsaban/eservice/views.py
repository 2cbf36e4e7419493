"""The e-service pages: report a problem, follow it, the staff inbox, public lists, map and statistics."""

import geothai
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import View

from thetsaban.accounts.models import User
from thetsaban.dates import format_date
from thetsaban.directory.models import Organisation
from thetsaban.eservice import services, stats
from thetsaban.eservice.choices import Datatype, Status
from thetsaban.eservice.filters import RequestFilter
from thetsaban.eservice.forms import (
    AssignForm,
    BulkForm,
    HandleForm,
    InboxLguForm,
    LocationForm,
    RejectFixForm,
    ReportForm,
    ServiceForm,
)
from thetsaban.eservice.models import (
    Jurisdiction,
    Photo,
    ResponseTemplate,
    Service,
    ServiceRequest,
    Update,
)
from thetsaban.filtering import StablePaginator
from thetsaban.permissions import editable_lgu_ids, is_staff
from thetsaban.places.models import Lgu
from thetsaban.restricted import RestrictedView
from thetsaban.storage import serve_file

PAGE_SIZE = 50
MAP_POINTS = 2000


def _map_settings() -> dict:
    return {"tiles": settings.MAP_TILES_URL, "icons": static("leaflet/images/"),
            "attribution": _("Map data © OpenStreetMap contributors")
            if "openstreetmap" in settings.MAP_TILES_URL else ""}


def _raw_answers(post, service) -> dict:
    answers = {}
    for attribute in service.attributes.all():
        values = post.getlist(f"attribute[{attribute.code}]") + post.getlist(f"attribute[{attribute.code}][]")
        if values:
            answers[attribute.code] = values
    return answers


class RequestPage(RestrictedView):
    """A page over the service requests the user may see (and the LGUs' catalogues)."""

    model = ServiceRequest

    def visible_request(self, pk):
        """A public request the user may see, or 404."""
        return get_object_or_404(self.restricted().public()
                                 .select_related("lgu", "service", "duplicate_of", "assigned_office", "assigned_to"),
                                 pk=pk)

    def handled_request(self, pk):
        """A request the user may see and handle (its LGU's staff), else 404 or 403."""
        item = get_object_or_404(self.restricted(), pk=pk)
        if not services.may_handle(self.request.user, item):
            raise PermissionDenied(_("Only this LGU's staff handle its requests."))
        return item

    def jurisdiction(self, jurisdiction_id):
        return get_object_or_404(self.restricted(Jurisdiction).select_related("lgu"),
                                 jurisdiction_id=jurisdiction_id)


# --- Reporting ----------------------------------------------------------------------------------

class Report(RequestPage):
    """Report a problem: first where (map or address), then what, photos and contact."""

    def get(self, request):
        source = request.POST if request.method == "POST" else request.GET
        location = LocationForm(source or None)
        if not source or not location.is_valid():
            return render(request, "eservice/report_location.html", {"location": location, "map": _map_settings()})
        data = location.cleaned_data
        lgu, method = services.lgu_at(data.get("lat"), data.get("lon"), data.get("subdistrict") or "")
        if lgu is None:
            location.add_error(None, _("No local government of the league takes requests for this place yet."))
            return render(request, "eservice/report_location.html", {"location": location, "map": _map_settings()})
        offered = self.restricted(Service).filter(lgu=lgu).prefetch_related("attributes")
        form = ReportForm(request.POST or None, request.FILES or None, services=offered,
                          must_confirm_lgu=method == "nearest")
        duplicates, attribute_errors = [], {}
        if request.method == "POST" and form.is_valid():
            service = form.cleaned_data["service"]
            if data.get("lat") is not None and not form.cleaned_data["send_anyway"]:
                duplicates = services.likely_duplicates(service, data["lat"], data["lon"])
            if not duplicates:
                try:
                    answers = services.clean_answers(service, _raw_answers(request.POST, service))
                    created = services.submit_request(
                        service=service, description=form.cleaned_data["description"], lat=data.get("lat"),
                        lon=data.get("lon"), address=location.address_text(),
                        subdistrict_code=data.get("subdistrict") or "", answers=answers,
                        photos=form.cleaned_data["photos"], reporter=request.user,
                        contact_name=form.cleaned_data["contact_name"],
                        contact_email=form.cleaned_data["contact_email"],
                        contact_phone=form.cleaned_data["contact_phone"], acting_user=request.user)
                except ValidationError as error:
                    for field, errors in error.message_dict.items():
                        if field in form.fields:
                            form.add_error(field, errors)
                        elif field in {a.code for a in service.attributes.all()}:
                            attribute_errors[field] = errors
                        else:
                            form.add_error(None, errors)
                else:
                    messages.success(request, _("Thank you: your request #%(id)s was sent to %(lgu)s.") % {
                        "id": created.pk, "lgu": lgu.name})
                    return redirect(created.get_absolute_url() + f"?key={created.reporter_key}")
        return render(request, "eservice/report_form.html", {
            "location": location, "form": form, "lgu": lgu, "method": method, "services": offered,
            "duplicates": duplicates, "attribute_errors": attribute_errors, "posted": request.POST,
            "datatypes": Datatype, "address": location.address_text()})

    # One body shows the form and takes it back (request.method tells them apart).
    post = get


class Places(View):
    """The districts of a province or the subdistricts of a district, for the address selects."""

    def get(self, request):
        province, district = request.GET.get("province", ""), request.GET.get("district", "")
        if district:
            rows = geothai.subdistricts(district[:4])
        elif province:
            rows = geothai.districts(province[:2])
        else:
            rows = geothai.provinces()
        return JsonResponse({"items": [{"code": row.code, "name": row.name_th} for row in rows]})


class Nearby(RequestPage):
    """Likely duplicates of a request about to be sent (same service, 50 m, 30 days)."""

    def get(self, request):
        try:
            lat, lon = services.clean_position(request.GET.get("lat"), request.GET.get("lon"))
            service = self.restricted(Service).get(pk=int(request.GET.get("service", "")))
        except (ValidationError, ValueError, Service.DoesNotExist):
            return JsonResponse({"items": []})
        if lat is None:
            return JsonResponse({"items": []})
        found = services.likely_duplicates(service, float(lat), float(lon))
        return JsonResponse({"items": [{"id": r.pk, "url": r.get_absolute_url(), "distance_m": r.distance_m,
                                        "status": r.get_status_display(), "description": r.description[:120]}
                                       for r in found]})


# --- One request -----------------------------------------------------------------------------

class RequestDetail(RequestPage):
    """A request's public page and timeline; its LGU's staff also see the contact, internal notes
    and the handling forms."""

    def get(self, request, pk):
        item = self.visible_request(pk)
        handles = services.may_handle(request.user, item)
        key = request.GET.get("key", "")
        timeline = self.restricted(Update).filter(request=item).select_related("author")
        context = {
            "item": item, "handles": handles, "timeline": timeline,
            "photos": self.restricted(Photo).filter(request=item),
            "me_too_count": item.me_too.count(),
            "said_me_too": request.user.is_authenticated and item.me_too.filter(user=request.user).exists(),
            "may_reject": services.may_reject_fix(item, request.user, key),
            "reject_form": RejectFixForm(initial={"key": key}),
            "is_reporter": request.user.is_authenticated and item.reporter_id == request.user.pk,
            "map": _map_settings(),
        }
        if handles:
            context["contact"] = {"name": item.contact_name or (str(item.reporter) if item.reporter_id else ""),
                                  "email": services.reporter_email(item), "phone": item.contact_phone}
            templates = self.restricted(ResponseTemplate).filter(Q(lgu__isnull=True) | Q(lgu=item.lgu_id))
            context["handle_form"] = HandleForm(templates=templates)
            context["assign_form"] = AssignForm(offices=_offices(item.lgu), users=_staff_of(item.lgu),
                                                initial={"office": item.assigned_office_id,
                                                         "user": item.assigned_to_id})
        return render(request, "eservice/request_detail.html", context)


def _offices(lgu):
    return Organisation.objects.filter(lgu=lgu).order_by("sort_name")  # read by hand: the offices of an LGU whose inbox the user may run (assignment choices)


def _staff_of(lgu):
    return User.objects.filter(lgu_memberships__lgu=lgu, is_active=True).distinct().order_by("username")  # read by hand: the editors of an LGU whose inbox the user may run (assignment choices)


@method_decorator([login_required, require_POST], name="dispatch")
class Handle(RequestPage):
    """Change a request's status or add notes (its LGU's staff)."""

    def post(self, request, pk):
        item = self.handled_request(pk)
        templates = self.restricted(ResponseTemplate)
        form = HandleForm(request.POST, request.FILES, templates=templates)
        if form.is_valid():
            data = form.cleaned_data
            original = None
            if data["duplicate_of"]:
                original = self.restricted(ServiceRequest, "change").filter(pk=data["duplicate_of"]).first()
            try:
                services.change_status(item, acting_user=request.user, status=data["status"], note=data["note"],
                                       internal_note=data["internal_note"], reason=data["reason"],
                                       after_photo=data["after_photo"], duplicate_of=original,
                                       referred_to=data["referred_to"])
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                messages.success(request, _("Request #%(id)s updated.") % {"id": item.pk})
        else:
            for _field, errors in form.errors.items():
                for message in errors:
                    messages.error(request, message)
        return redirect(item.get_absolute_url())


@method_decorator([login_required, require_POST], name="dispatch")
class Assign(RequestPage):
    """Give a request to an office or a staff member of its LGU."""

    def post(self, request, pk):
        item = self.handled_request(pk)
        form = AssignForm(request.POST, offices=_offices(item.lgu), users=_staff_of(item.lgu))
        if form.is_valid():
            try:
                services.assign(item, acting_user=request.user, office=form.cleaned_data["office"],
                                user=form.cleaned_data["user"])
                messages.success(request, _("Assignment saved."))
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
        else:
            messages.error(request, _("Choose an office or a staff member of this LGU."))
        return redirect(item.get_absolute_url())


@method_decorator(require_POST, name="dispatch")
class MeToo(RequestPage):
    """Say "me too" (signed in): counted, and told of each public change."""

    def post(self, request, pk):
        item = self.visible_request(pk)
        if not request.user.is_authenticated:
            return redirect_to_login(item.get_absolute_url())
        try:
            services.add_me_too(item, user=request.user)
            messages.success(request, _("Thank you: we will tell you when this changes."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(item.get_absolute_url())


@method_decorator(require_POST, name="dispatch")
class RejectFix(RequestPage):
    """The reporter (or a "me too" person) says the fix did not work: the request opens again."""

    def post(self, request, pk):
        item = self.visible_request(pk)
        form = RejectFixForm(request.POST)
        key = request.POST.get("key", "")
        if not form.is_valid():
            messages.error(request, _("Say what is still wrong."))
        else:
            try:
                services.reject_fix(item, user=request.user, key=form.cleaned_data["key"],
                                    reason=form.cleaned_data["reason"])
                messages.success(request, _("The request is open again; its staff have been told."))
            except PermissionDenied as error:
                raise PermissionDenied(str(error)) from error
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
        return redirect(item.get_absolute_url() + (f"?key={key}" if key else ""))


class PhotoFile(RestrictedView):
    """A request's photo (re-encoded, without metadata) or its thumbnail: public with its
    request; a hidden request's photos (held back by moderation) only for the request's LGU
    editors and league staff. From the object store, a short-lived signed link
    (thetsaban/storage.py)."""

    model = Photo

    def get(self, request, pk, size="full"):
        item = get_object_or_404(self.restricted().select_related("request"), pk=pk)
        if item.request.hidden and not self.restricted(ServiceRequest, "change").filter(
                pk=item.request_id).exists():
            raise Http404(_("No photo here."))
        field = item.thumbnail if size == "thumb" else item.image
        return serve_file(field, content_type="image/jpeg")


# --- Staff inbox ------------------------------------------------------------------------------

def _inbox_rows(page, now) -> list[dict]:
    """What the inbox shows of each request of the page, worked out once here rather than by the
    template for each cell: the status, the SLA clock (due, or overdue: not fixed by its fix-by
    time, or not acknowledged by its acknowledge-by time) and the dates in the reader's language."""
    labels = dict(Status.choices)
    due_word, overdue_word = _("due"), _("overdue")
    rows = []
    for item in page:
        item.overdue = item.is_open and (
            item.fix_due_at < now or (item.status == Status.OPEN and item.ack_due_at < now))
        due = timezone.localtime(item.fix_due_at)
        reported = timezone.localtime(item.requested_at)
        rows.append({
            "pk": item.pk, "url": item.get_absolute_url(), "service": item.service.name,
            "description": Truncator(item.description).chars(60), "status": item.status,
            "status_label": labels.get(item.status, item.status), "open": item.is_open,
            "overdue": item.overdue,
            "sla": f"{overdue_word if item.overdue else due_word} {format_date(due, 'short')} {due:%H:%M}",
            "assigned": " ".join(str(who) for who in (item.assigned_to, item.assigned_office) if who),
            "reported": f"{format_date(reported, 'short')} {reported:%H:%M}",
        })
    return rows


@method_decorator(login_required, name="dispatch")
class Inbox(RequestPage):
    """The requests of the LGUs a staff member works for, with SLA clocks, filters and bulk changes."""

    def get(self, request):
        lgu, lgu_form, lgus = self.chosen_lgu()
        if lgu is None:
            return self.my_requests()
        queryset = self.restricted(ServiceRequest, "change").filter(lgu=lgu)
        filterset = RequestFilter(request.GET, queryset=queryset, request=request)
        rows = filterset.qs if filterset.is_valid() else queryset.none()
        if request.method == "POST":
            return self.bulk(lgu)
        # The page's rows only, with what one row shows: its service, its status, its clocks and
        # to whom it is assigned (a request's long description and answers stay in the database).
        rows = rows.select_related("service", "assigned_office", "assigned_to").only(
            "pk", "lgu_id", "status", "description", "requested_at", "ack_due_at", "fix_due_at",
            "service__name_th", "service__name_en", "assigned_office", "assigned_to")
        page = StablePaginator(rows.order_by("fix_due_at", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
        now = timezone.now()
        map_data = {**_map_settings(), "points": reverse("eservice:lgu_map", args=[lgu.jurisdiction.jurisdiction_id])
                    + "?" + request.GET.urlencode()}
        return render(request, "eservice/inbox.html", {
            "lgu": lgu, "lgus": lgus, "lgu_form": lgu_form, "map_data": map_data, "filter": filterset, "page": page, "now": now,
            "rows": _inbox_rows(page, now),
            "services": Service.objects.filter(lgu=lgu).only("code", "name_th", "name_en"),  # read by hand: the service catalogue is public (Open311 services)
            "statuses": Status.choices,
            "open_count": queryset.open().count()})

    # The bulk changes are posted to the inbox itself (request.method tells them apart).
    post = get

    def chosen_lgu(self):
        """(the LGU whose inbox this is, league staff's LGU picker, an LGU editor's own LGUs).

        League staff name any LGU that takes requests in the `lgu` parameter (its code, or the
        autocomplete's "name [code]"); text that names none is an error on the picker, over the
        first inbox. An LGU's editors choose among their own LGUs only: another LGU's code gives
        them their own (first) inbox. None for a member who works for no LGU.
        """
        request = self.request
        takes_requests = (self.restricted(Lgu).filter(jurisdiction__isnull=False)
                          .select_related("jurisdiction").order_by("sort_name", "pk"))
        if is_staff(request.user):
            form = InboxLguForm(request.GET, lgus=takes_requests)
            if not form.is_valid():
                return takes_requests.first(), form, []
            lgu = form.cleaned_data["lgu"] or takes_requests.first()
            return lgu, InboxLguForm(initial={"lgu": lgu}, lgus=takes_requests), []
        lgus = list(takes_requests.filter(pk__in=editable_lgu_ids(request.user)))
        chosen = request.GET.get("lgu") or ""
        lgu = next((other for other in lgus if other.code == chosen), lgus[0] if lgus else None)
        return lgu, None, lgus

    def my_requests(self):
        """A member who works for no LGU: the requests they reported or said "me too" on."""
        request = self.request
        rows = (self.restricted().public()
                .filter(Q(reporter=request.user) | Q(me_too__user=request.user)).distinct()
                .select_related("service", "lgu"))
        page = StablePaginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        return render(request, "eservice/my_requests.html", {"page": page})

    def bulk(self, lgu):
        request = self.request
        ids = request.POST.getlist("ids")
        form = BulkForm(request.POST, ids=[int(i) for i in ids if i.isdigit()])
        if not form.is_valid():
            messages.error(request, _("Tick the requests and choose a status."))
            return redirect(request.get_full_path())
        chosen = self.restricted(ServiceRequest, "change").filter(lgu=lgu, pk__in=form.cleaned_data["ids"])
        done, errors = services.bulk_change(chosen, acting_user=request.user, status=form.cleaned_data["status"],
                                            note=form.cleaned_data["note"])
        if done:
            messages.success(request, _("%(count)s requests changed.") % {"count": done})
        for error in errors:
            messages.error(request, error)
        return redirect(request.get_full_path())


# --- Public lists, map, statistics --------------------------------------------------------------

class RequestList(RequestPage):
    """Requests nationally or of one LGU, with filters, a map and pages."""

    def get(self, request, jurisdiction_id=None):
        jurisdiction = self.jurisdiction(jurisdiction_id) if jurisdiction_id else None
        queryset = self.restricted().public().select_related("service", "lgu")
        if jurisdiction:
            queryset = queryset.filter(lgu=jurisdiction.lgu)
        filterset = RequestFilter(request.GET, queryset=queryset, request=request)
        rows = filterset.qs if filterset.is_valid() else queryset.none()
        page = StablePaginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        map_data = {**_map_settings(), "points": (reverse("eservice:lgu_map", args=[jurisdiction.jurisdiction_id])
                                                  if jurisdiction else reverse("eservice:map"))
                    + "?" + request.GET.urlencode()}
        if jurisdiction and jurisdiction.lgu.has_location:
            map_data.update(lat=float(jurisdiction.lgu.latitude), lon=float(jurisdiction.lgu.longitude), zoom=13)
        service_choices = (Service.objects.filter(lgu=jurisdiction.lgu) if jurisdiction  # read by hand: the service catalogue is public (Open311 services)
                           else Service.objects.filter(lgu__isnull=True))  # read by hand: the service catalogue is public (Open311 services)
        return render(request, "eservice/request_list.html", {
            "jurisdiction": jurisdiction, "filter": filterset, "page": page, "statuses": Status.choices,
            "service_choices": service_choices, "map_data": map_data,
            "jurisdictions": self.restricted(Jurisdiction).select_related("lgu")})


class MapPoints(RequestPage):
    """The filtered requests as map points, clustered on a grid when there are many."""

    def get(self, request, jurisdiction_id=None):
        queryset = self.restricted().public().filter(latitude__isnull=False)
        if jurisdiction_id:
            queryset = queryset.filter(lgu=self.jurisdiction(jurisdiction_id).lgu)
        filterset = RequestFilter(request.GET, queryset=queryset, request=request)
        if not filterset.is_valid():
            return JsonResponse({"errors": filterset.errors}, status=400)
        return JsonResponse(stats.map_points(filterset.qs, limit=MAP_POINTS))


class LguStats(RequestPage):
    """An LGU's public record: received, median time to fix, share fixed within the SLA, share of
    fixes rejected, per service and per month, with charts."""

    def get(self, request, jurisdiction_id):
        jurisdiction = self.jurisdiction(jurisdiction_id)
        report = stats.lgu_report(jurisdiction.lgu)
        return render(request, "eservice/stats.html", {"jurisdiction": jurisdiction, "lgu": jurisdiction.lgu,
                                                       "report": report, "charts": stats.charts(report)})


# --- The LGU's catalogue --------------------------------------------------------------------------

@method_decorator(login_required, name="dispatch")
class Catalogue(RequestPage):
    """An LGU's staff enable league services, set each one's office and SLA, and add their own."""

    def get(self, request, jurisdiction_id):
        jurisdiction = self.jurisdiction(jurisdiction_id)
        lgu = jurisdiction.lgu
        if not (is_staff(request.user) or lgu.pk in editable_lgu_ids(request.user)):
            raise PermissionDenied(_("Only this LGU's staff manage its services."))
        offered = self.restricted(Service, "change").filter(lgu=lgu).select_related("office")
        if request.method == "POST":
            try:
                if "enable" in request.POST:
                    league = get_object_or_404(Service.objects.filter(lgu__isnull=True), pk=request.POST["enable"])  # read by hand: the league catalogue is public (Open311 services)
                    services.enable_service(lgu, league, acting_user=request.user)
                    messages.success(request, _("%(service)s is now offered.") % {"service": league.name})
                    return redirect(request.path)
                instance = get_object_or_404(offered, pk=request.POST["service"]) if request.POST.get("service") \
                    else Service(lgu=lgu)
                form = ServiceForm(request.POST, instance=instance, offices=_offices(lgu),
                                   prefix=f"s{instance.pk}" if instance.pk else "new")
                if form.is_valid():
                    services.save_service(form.save(commit=False), acting_user=request.user)
                    messages.success(request, _("Service saved."))
                    return redirect(request.path)
                for field, errors in form.errors.items():
                    for message in errors:
                        label = form.fields[field].label if field in form.fields else ""
                        messages.error(request, f"{label}: {message}" if label else message)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
        enabled = set(offered.values_list("code", flat=True))
        return render(request, "eservice/catalogue.html", {
            "jurisdiction": jurisdiction, "lgu": lgu,
            "forms": [ServiceForm(instance=service, offices=_offices(lgu), prefix=f"s{service.pk}")
                      for service in offered],
            "league": Service.objects.filter(lgu__isnull=True).exclude(code__in=enabled),  # read by hand: the league catalogue is public (Open311 services)
            "new_form": ServiceForm(offices=_offices(lgu), prefix="new")})

    # One body shows the catalogue and takes its forms back (request.method tells them apart).
    post = get
