"""Pages of the learning network: the centres, their events and calendars, registration,
attendance, certificates and their public check, feedback, and courses."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thetsaban.coaching.models import Coach
from thetsaban.directory.models import Person
from thetsaban.learning import dashboard, ics, services
from thetsaban.learning.certificates import certificate_pdf
from thetsaban.learning.choices import RegistrationStatus
from thetsaban.learning.forms import (
    CourseForm,
    EventForm,
    FeedbackForm,
    GrantForm,
    MaterialForm,
    ModuleForm,
)
from thetsaban.learning.models import (
    CentreStaff,
    Course,
    Enrolment,
    Event,
    Material,
    Module,
    Registration,
    staffed_centre_ids,
)
from thetsaban.learning.services import may_keep_course, may_run
from thetsaban.permissions import is_reviewer, is_staff
from thetsaban.places.models import LearningCentre, Lgu
from thetsaban.practices.models import Practice
from thetsaban.restricted import RestrictedDetailView, RestrictedListView, RestrictedView
from thetsaban.storage import serve_file

UPCOMING_ON_INDEX = 20
PAST_ON_CENTRE = 20


def _refused(request, error):
    messages.error(request, " ".join(error.messages) if isinstance(error, ValidationError) else str(error))


class LearningView(RestrictedView):
    """A page of the learning network: finds its centre and event through `restricted()`."""

    def centre(self, region):
        centres = self.restricted(LearningCentre).select_related("region", "host")
        return get_object_or_404(centres, region__code=region)

    def event(self, pk, action="view"):
        events = self.restricted(Event, action).select_related("centre__region", "host_lgu")
        return get_object_or_404(events, pk=pk)


class Index(LearningView):
    """The five centres and the league's upcoming events."""

    def get(self, request):
        centres = self.restricted(LearningCentre).select_related("region", "host")
        events = (self.restricted(Event).public().upcoming()
                  .select_related("centre__region", "host_lgu").with_counts()[:UPCOMING_ON_INDEX])
        return render(request, "learning/index.html", {"centres": centres, "events": events})


class CentrePage(LearningView):
    """A centre: host, staff, the region's LGUs, coaches, pilots and practices, events, dashboard."""

    def get(self, request, region):
        centre = self.centre(region)
        user = request.user
        events = self.restricted(Event).filter(centre=centre).select_related("host_lgu").with_counts()
        team = list(CentreStaff.objects.filter(centre=centre).select_related("user__person"))  # read by hand: the centre's public team list shows only people the directory lets the viewer see (below)
        visible_people = set(self.restricted(Person).filter(
            pk__in=[grant.user.person_id for grant in team if grant.user.person_id]).values_list("pk", flat=True))
        context = {
            "centre": centre,
            "region": centre.region,
            "team": [grant.user.person for grant in team if grant.user.person_id in visible_people],
            "team_grants": team if is_staff(user) else [],
            "runs_centre": may_run(user, centre),
            "grant_form": GrantForm() if is_staff(user) else None,
            "lgus": self.restricted(Lgu).filter(province__region=centre.region).select_related("province"),
            "coaches": self.restricted(Coach).approved().filter(
                home_province__region=centre.region).select_related("person", "home_province"),
            "practices": self.restricted(Practice).published().filter(
                lgu__province__region=centre.region).select_related("lgu")[:50],
            "upcoming": events.upcoming(),
            "past": events.past()[:PAST_ON_CENTRE],
            "courses": self.restricted(Course).filter(centre=centre).select_related("provider"),
            "dashboard": dashboard.region_dashboard(centre.region, user),
        }
        return render(request, "learning/centre.html", context)


@method_decorator(require_POST, name="dispatch")
class Grant(LearningView):
    """League staff give a user the staff role of this centre."""

    def post(self, request, region):
        centre = self.centre(region)
        if not is_staff(request.user):
            raise PermissionDenied
        form = GrantForm(request.POST)
        if form.is_valid():
            try:
                services.grant_centre_staff(centre, form.cleaned_data["username"], acting_user=request.user)
                messages.success(request, _("%(user)s is now staff of this centre.") % {
                    "user": form.cleaned_data["username"]})
            except ValidationError as error:
                _refused(request, error)
        else:
            messages.error(request, " ".join(form.errors["username"]))
        return redirect("learning:centre", region)


@method_decorator(require_POST, name="dispatch")
class Revoke(LearningView):
    """League staff take the centre staff role away."""

    model = CentreStaff
    action = "change"

    def post(self, request, region, pk):
        centre = self.centre(region)
        grant = get_object_or_404(self.restricted(), pk=pk, centre=centre)
        services.revoke_centre_staff(grant, acting_user=request.user)
        messages.success(request, _("The role was taken away."))
        return redirect("learning:centre", region)


def _calendar_response(request, events, name):
    base = f"{request.scheme}://{request.get_host()}"
    response = HttpResponse(ics.calendar(events, name=name, base_url=base), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="events.ics"'
    return response



class LeagueCalendar(LearningView):
    """Every centre's published events as an iCalendar feed (the same for every reader: the
    published events are those anyone may see)."""

    def get(self, request):
        events = self.restricted(Event).public().select_related("host_lgu").order_by("starts_at", "pk")
        return _calendar_response(request, events, _("Learning network events"))


class CentreCalendar(LearningView):
    """One centre's published events as an iCalendar feed."""

    def get(self, request, region):
        centre = self.centre(region)
        events = (self.restricted(Event).public().filter(centre=centre)
                  .select_related("host_lgu").order_by("starts_at", "pk"))
        return _calendar_response(request, events, str(centre))


def _json_ld(request, event) -> str:
    """The event as a schema.org Event JSON-LD element; markup in the text cannot end it."""
    url = request.build_absolute_uri(event.get_absolute_url())
    data = {"@context": "https://schema.org", "@type": "Event", "name": event.title, "url": url,
            "startDate": timezone.localtime(event.starts_at).isoformat(),
            "endDate": timezone.localtime(event.ends_at).isoformat(),
            "eventStatus": "https://schema.org/EventCancelled" if event.status == "cancelled"
            else "https://schema.org/EventScheduled",
            "organizer": {"@type": "Organization", "name": str(event.centre),
                          "url": request.build_absolute_uri(reverse("learning:centre", args=[event.centre.region.code]))}}
    if event.description:
        data["description"] = event.description
    if event.online_url:
        data["eventAttendanceMode"] = "https://schema.org/OnlineEventAttendanceMode"
        data["location"] = {"@type": "VirtualLocation", "url": event.online_url}
    else:
        data["eventAttendanceMode"] = "https://schema.org/OfflineEventAttendanceMode"
        place = {"@type": "Place", "name": event.place_name or (event.host_lgu.name if event.host_lgu_id else "")}
        if event.host_lgu_id:
            place["address"] = {"@type": "PostalAddress", "addressRegion": event.host_lgu.province.name,
                                "addressCountry": "TH"}
        if event.location:
            place["geo"] = {"@type": "GeoCoordinates", "latitude": event.location[0], "longitude": event.location[1]}
        data["location"] = place
    if event.capacity:
        data["maximumAttendeeCapacity"] = event.capacity
    text = json.dumps(data, ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    # A data block, never run (so the Content-Security-Policy has nothing to allow); written here
    # rather than in the template, where every <script> must load a file.
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


class EventDetail(RestrictedDetailView):
    """An event: when and where, places left, registering, ratings; attendance for its staff."""

    model = Event
    template_name = "learning/event_detail.html"

    def refine_queryset(self, queryset):
        return queryset.with_counts().select_related("centre__region", "host_lgu__province", "study_visit__project")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        request, item = self.request, self.object
        mine = None
        if request.user.is_authenticated:
            mine = self.restricted(Registration).filter(event=item, user=request.user).first()
        location = item.location
        context.update({
            "event": item, "mine": mine, "ratings": item.ratings(), "runs_centre": may_run(request.user, item.centre),
            "json_ld": _json_ld(request, item),
            "practices": self.restricted(Practice).published().filter(learning_events=item),
            "places_left": None if item.capacity is None else max(0, item.capacity - item.registered_count),
            "map_data": {"lat": location[0], "lon": location[1], "name": item.place_name or item.title,
                         "tiles": settings.MAP_TILES_URL, "icons": static("leaflet/images/"),
                         "attribution": _("Map data © OpenStreetMap contributors")
                         if "openstreetmap" in settings.MAP_TILES_URL else ""} if location else None,
        })
        return context


@method_decorator(login_required, name="dispatch")
class EventEdit(LearningView):
    """Create or change an event of a centre the user runs."""

    def get(self, request, region=None, pk=None):
        return self.page(request, region, pk)

    def post(self, request, region=None, pk=None):
        return self.page(request, region, pk)

    def page(self, request, region, pk):
        if pk is not None:
            instance = self.event(pk, "change")
            centre = instance.centre
        else:
            centre = self.centre(region)
            if not may_run(request.user, centre):
                raise Http404
            instance = Event(centre=centre)
        form = EventForm(request.POST or None, instance=instance, user=request.user)
        if request.method == "POST" and form.is_valid():
            try:
                saved = services.save_event(form.save(commit=False), acting_user=request.user,
                                            practices=form.cleaned_data["practices"])
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("The event was saved."))
                return redirect(saved)
        return render(request, "learning/event_form.html", {"form": form, "centre": centre, "event": instance})


@method_decorator([require_POST, login_required], name="dispatch")
class Register(LearningView):
    """Register the signed-in member (a place, or the waiting list)."""

    def post(self, request, pk):
        item = self.event(pk)
        try:
            registration = services.register(item, user=request.user, acting_user=request.user)
        except ValidationError as error:
            _refused(request, error)
        else:
            if registration.status == RegistrationStatus.WAITING:
                messages.warning(request, _("The event is full: you are on the waiting list."))
            else:
                messages.success(request, _("You are registered."))
        return redirect(item)


@method_decorator([require_POST, login_required], name="dispatch")
class Cancel(LearningView):
    """Cancel one's registration; the first on the waiting list takes the place."""

    def post(self, request, pk):
        item = self.event(pk)
        number = request.POST.get("registration", "")
        registration = get_object_or_404(self.restricted(Registration, "change"),
                                         event=item, pk=int(number) if number.isdigit() else 0)
        try:
            services.cancel_registration(registration, acting_user=request.user)
        except ValidationError as error:
            _refused(request, error)
        else:
            messages.success(request, _("The registration was cancelled."))
        return redirect(request.POST.get("next") == "attendance" and reverse("learning:attendance", args=[item.pk])
                        or item.get_absolute_url())


@method_decorator(login_required, name="dispatch")
class Attendance(LearningView):
    """The centre's staff see who registered and tick who came."""

    def get(self, request, pk):
        return self.page(request, pk)

    def post(self, request, pk):
        return self.page(request, pk)

    def page(self, request, pk):
        item = self.event(pk, "attendance")
        registrations = (self.restricted(Registration, "attendance").filter(event=item)
                         .select_related("user").order_by("status", "registered_at", "pk"))
        if request.method == "POST":
            try:
                changed = services.take_attendance(item, attended_ids=request.POST.getlist("attended"),
                                                   acting_user=request.user)
            except (ValidationError, ValueError) as error:
                _refused(request, error if isinstance(error, ValidationError) else ValidationError(
                    _("Attendance: a ticked row is not a registration of this event.")))
            else:
                messages.success(request, _("Attendance saved (%(count)s changed).") % {"count": changed})
                return redirect("learning:attendance", item.pk)
        coach_users = set(self.restricted(Coach).filter(
            user_id__in=[r.user_id for r in registrations if r.attended]).values_list("user_id", flat=True))
        return render(request, "learning/attendance.html", {
            "event": item, "registrations": registrations, "coach_users": coach_users,
            "may_record_training": is_reviewer(request.user)})


@method_decorator([require_POST, login_required], name="dispatch")
class RecordTraining(LearningView):
    """A reviewer (or league staff) puts an attended training on the attendee's coach profile."""

    def post(self, request, pk, registration):
        item = self.event(pk, "attendance")
        attendee = get_object_or_404(self.restricted(Registration, "attendance")
                                     .select_related("user", "event__centre__host"), event=item, pk=registration)
        try:
            training = services.record_on_coach_profile(attendee, acting_user=request.user)
        except (ValidationError, PermissionDenied) as error:
            _refused(request, error)
        else:
            messages.success(request, _("The training is now on %(coach)s's profile.") % {"coach": training.coach})
        return redirect("learning:attendance", item.pk)


@method_decorator(login_required, name="dispatch")
class FeedbackPage(LearningView):
    """An attendee rates the event."""

    def get(self, request, pk):
        return self.page(request, pk)

    def post(self, request, pk):
        return self.page(request, pk)

    def page(self, request, pk):
        item = self.event(pk)
        registration = get_object_or_404(self.restricted(Registration, "change"),
                                         event=item, user=request.user, attended=True)
        existing = getattr(registration, "feedback", None)
        initial = {"overall": existing.overall, "content": existing.content, "organisation": existing.organisation,
                   "comment": existing.comment} if existing else None
        form = FeedbackForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            services.submit_feedback(registration, acting_user=request.user, **form.cleaned_data)
            messages.success(request, _("Thank you for your feedback."))
            return redirect(item)
        return render(request, "learning/feedback.html", {"event": item, "form": form})


@method_decorator(login_required, name="dispatch")
class Certificate(LearningView):
    """The certificate of one's own attended registration, as PDF."""

    model = Registration

    def get(self, request, pk):
        registration = get_object_or_404(self.restricted().select_related("event__centre", "user"),
                                         pk=pk, attended=True)
        verify_url = request.build_absolute_uri(reverse("learning:verify")) + f"?code={registration.certificate_code}"
        response = HttpResponse(certificate_pdf(registration, verify_url=verify_url), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="certificate-{registration.certificate_code}.pdf"'
        return response


class Verify(LearningView):
    """Anyone checks a certificate's code: who attended what, and when."""

    def get(self, request):
        code = request.GET.get("code", "").strip().upper()
        found = None
        if code:
            # Certificates are public proof: the code itself is the permission to read this one row.
            found = (Registration.objects.filter(certificate_code=code, attended=True)  # read by hand: the certificate's own code unlocks only its row
                     .select_related("event__centre", "user").first())
        return render(request, "learning/verify.html", {"code": code, "found": found, "checked": bool(code)})


class CourseList(RestrictedListView):
    """Courses and curricula of the learning network."""

    model = Course
    template_name = "learning/course_list.html"
    context_object_name = "courses"

    def refine_queryset(self, queryset):
        return queryset.select_related("provider", "centre").prefetch_related("themes")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["may_add"] = is_staff(user) or bool(staffed_centre_ids(user))
        return context


def _form_errors(form, error):
    """Put a service's refusal on the form, by field where it names one."""
    if hasattr(error, "message_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@method_decorator(login_required, name="dispatch")
class CourseEdit(LearningView):
    """League staff and centre staff create a course, and change the courses they keep."""

    def get(self, request, pk=None):
        return self.page(request, pk)

    def post(self, request, pk=None):
        return self.page(request, pk)

    def page(self, request, pk):
        if pk is not None:
            instance = _course(self, pk, "change")
        else:
            if not (is_staff(request.user) or staffed_centre_ids(request.user)):
                raise PermissionDenied
            instance = Course()
        form = CourseForm(request.POST or None, instance=instance, user=request.user)
        if request.method == "POST" and form.is_valid():
            try:
                saved = services.save_course(form.save(commit=False), acting_user=request.user,
                                             themes=form.cleaned_data["themes"])
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(request, _("The course was saved."))
                return redirect(saved)
        return render(request, "learning/course_form.html", {"form": form, "course": instance})


@method_decorator(login_required, name="dispatch")
class ModuleEdit(LearningView):
    """The course's keepers add a module and change it."""

    def get(self, request, course=None, pk=None):
        return self.page(request, course, pk)

    def post(self, request, course=None, pk=None):
        return self.page(request, course, pk)

    def page(self, request, course, pk):
        if pk is not None:
            instance = get_object_or_404(self.restricted(Module, "change").select_related("course"), pk=pk)
            parent = instance.course
        else:
            parent = _course(self, course, "change")
            instance = Module(course=parent, position=self.restricted(Module).filter(course=parent).count() + 1)
        form = ModuleForm(request.POST or None, instance=instance, user=request.user)
        if request.method == "POST" and form.is_valid():
            try:
                services.save_module(form.save(commit=False), acting_user=request.user,
                                     practices=form.cleaned_data["practices"])
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(request, _("The module was saved."))
                return redirect(parent)
        return render(request, "learning/module_form.html", {"form": form, "course": parent, "module": instance})


def _module_url(module) -> str:
    """The course page, at the module."""
    return f"{module.course.get_absolute_url()}#module-{module.pk}"


@method_decorator(login_required, name="dispatch")
class MaterialEdit(LearningView):
    """The course's keepers add a file or link to a module, and change it."""

    def get(self, request, module=None, pk=None):
        return self.page(request, module, pk)

    def post(self, request, module=None, pk=None):
        return self.page(request, module, pk)

    def page(self, request, module, pk):
        if pk is not None:
            instance = get_object_or_404(self.restricted(Material, "change").select_related("module__course"), pk=pk)
            parent = instance.module
        else:
            parent = get_object_or_404(self.restricted(Module, "change").select_related("course"), pk=module)
            instance = Material(module=parent)
        form = MaterialForm(request.POST or None, request.FILES or None, instance=instance)
        if request.method == "POST" and form.is_valid():
            try:
                services.save_material(form.save(commit=False), acting_user=request.user)
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(request, _("The material was saved."))
                return redirect(_module_url(parent))
        return render(request, "learning/material_form.html", {
            "form": form, "course": parent.course, "module": parent, "material": instance})


@method_decorator([require_POST, login_required], name="dispatch")
class MaterialDelete(LearningView):
    """The course's keepers remove a file or link from a module."""

    def post(self, request, pk):
        material = get_object_or_404(self.restricted(Material, "change").select_related("module__course"), pk=pk)
        module = material.module
        services.delete_material(material, acting_user=request.user)
        messages.success(request, _("The material was removed."))
        return redirect(_module_url(module))


class CourseDetail(RestrictedDetailView):
    """A course with its modules, their outcomes, case-study practices and materials."""

    model = Course
    template_name = "learning/course_detail.html"

    def refine_queryset(self, queryset):
        return queryset.select_related("provider", "centre")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, course = self.request.user, self.object
        mine = None
        if user.is_authenticated:
            mine = self.restricted(Enrolment, "progress").filter(course=course, user=user).first()
        context.update({
            "modules": self.restricted(Module).filter(course=course).prefetch_related(
                "materials", Prefetch("practices", queryset=self.restricted(Practice).published())),
            "mine": mine,
            "done_ids": set(mine.modules_done.values_list("pk", flat=True)) if mine else set(),
            "keeps_course": user.is_authenticated and may_keep_course(user, course),
        })
        return context


def _course(view, pk, action="view"):
    return get_object_or_404(view.restricted(Course, action).select_related("centre__region"), pk=pk)


@method_decorator([require_POST, login_required], name="dispatch")
class Enrol(LearningView):
    """The signed-in member enrols in a published course."""

    def post(self, request, pk):
        course = _course(self, pk)
        try:
            services.enrol(course, user=request.user, acting_user=request.user)
        except ValidationError as error:
            _refused(request, error)
        else:
            messages.success(request, _("You are enrolled in this course."))
        return redirect(course)


@method_decorator([require_POST, login_required], name="dispatch")
class Progress(LearningView):
    """The learner ticks the modules they have done, or withdraws from the course."""

    def post(self, request, pk):
        course = _course(self, pk)
        enrolment = get_object_or_404(self.restricted(Enrolment, "progress"), course=course, user=request.user)
        try:
            if "withdraw" in request.POST:
                services.withdraw(enrolment, acting_user=request.user)
                messages.success(request, _("You have withdrawn from this course."))
            else:
                modules = request.POST.getlist("modules")
                if not all(number.isdigit() for number in modules):
                    raise services.Refused(_("Modules done: a ticked module is not a module of this course."))
                services.set_progress(enrolment, module_ids=modules, acting_user=request.user)
                messages.success(request, _("Your progress was saved."))
        except ValidationError as error:
            _refused(request, error)
        return redirect(course)


@method_decorator(login_required, name="dispatch")
class Learners(LearningView):
    """The course's staff see who enrolled, how far each has come, and record completion."""

    def get(self, request, pk):
        course = _course(self, pk, "change")
        enrolments = (self.restricted(Enrolment, "complete").filter(course=course)
                      .select_related("user", "completed_by").prefetch_related("modules_done")
                      .order_by("status", "enrolled_at", "pk"))
        return render(request, "learning/learners.html", {
            "course": course, "enrolments": enrolments,
            "module_count": self.restricted(Module).filter(course=course).count()})


@method_decorator([require_POST, login_required], name="dispatch")
class Complete(LearningView):
    """The course's staff record that a learner completed it (never their own enrolment)."""

    def post(self, request, pk, enrolment):
        course = _course(self, pk, "change")
        learner = get_object_or_404(self.restricted(Enrolment, "complete").select_related("user", "course"),
                                    course=course, pk=enrolment)
        try:
            services.complete(learner, acting_user=request.user)
        except (ValidationError, PermissionDenied) as error:
            _refused(request, error)
        else:
            messages.success(request, _("%(name)s completed the course.") % {"name": learner.learner_name})
        return redirect("learning:learners", course.pk)


class MaterialFile(LearningView):
    """A module's file, to those who may see its course."""

    model = Material

    def get(self, request, pk):
        item = get_object_or_404(self.restricted(), pk=pk)
        if not item.file:
            raise Http404
        # From disk, or a short-lived signed link to the object store (thetsaban/storage.py).
        return serve_file(item.file, download_name=item.file.name.rsplit("/", 1)[-1])
