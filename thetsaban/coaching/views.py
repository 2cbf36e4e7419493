"""Pages of the coach pool: registry, coach page, application, vetting, coverage, import/export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thetsaban import hooks
from thetsaban.accounts.services import OwnWorkRefused
from thetsaban.coaching import coverage as coverage_report
from thetsaban.coaching import importers, services
from thetsaban.coaching.charts import coverage_charts
from thetsaban.coaching.choices import CoachStatus
from thetsaban.coaching.filters import CoachFilterSet
from thetsaban.coaching.forms import (
    ApplicationForm,
    ApproveForm,
    CoachImportForm,
    CompetencyFormSet,
    RejectForm,
    TrainingForm,
)
from thetsaban.coaching.models import Assignment, Coach, Competency
from thetsaban.filtering import StablePaginator
from thetsaban.permissions import is_reviewer, is_staff
from thetsaban.restapi import throttled_page
from thetsaban.restricted import RestrictedDetailView, RestrictedView
from thetsaban.tabular import ImportRejected

PAGE_SIZE = 20


class CoachList(RestrictedView):
    """The public registry of approved coaches, filtered by theme, region, language, availability."""

    model = Coach

    def registry(self):
        """The coaches a visitor finds in the registry: approved ones they may see; reviewers may
        also choose another status with the status filter."""
        coaches = self.restricted()
        if not (is_reviewer(self.request.user) and self.request.GET.get("status")):
            coaches = coaches.approved()
        return coaches.with_details(self.request.user)

    def get(self, request):
        filterset = CoachFilterSet(request.GET, queryset=self.registry())
        coaches = filterset.qs if filterset.is_valid() else Coach.objects.none()
        page = StablePaginator(coaches, PAGE_SIZE).get_page(request.GET.get("page"))
        own = None
        if request.user.is_authenticated:
            own = self.restricted(Coach, "change").filter(user=request.user).first()
        return render(request, "coaching/list.html", {
            "filter": filterset, "page": page, "own": own,
            "is_reviewer": is_reviewer(request.user), "is_staff": is_staff(request.user),
        }, status=200 if filterset.is_valid() else 400)


class CoachDetail(RestrictedDetailView):
    """One coach: themes, languages, competencies, trainings, permitted contacts and projects."""

    model = Coach
    template_name = "coaching/detail.html"

    def refine_queryset(self, queryset):
        return (queryset.with_details(self.request.user).select_related("user")
                .prefetch_related(
                    Prefetch("competencies", queryset=Competency.objects.select_related(
                        "theme", "confirmed_by")),
                    "trainings__provider"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, coach = self.request.user, self.object
        assignments = (self.restricted(Assignment).filter(coach=coach)
                       .select_related("project__target_lgu").order_by("-started_on", "-pk"))
        reviewer = is_reviewer(user)
        if reviewer:
            services.mark_vetting_refusals(user, [coach])
        context.update({
            "coach": coach,
            "assignments": assignments,
            "is_reviewer": reviewer,
            "is_own": user.is_authenticated and coach.user_id == user.pk,
            "approve_form": ApproveForm(), "reject_form": RejectForm(),
            "training_form": TrainingForm() if reviewer else None,
            # What other apps know of the coach (the learning network's completed courses).
            "sections": hooks.coach_page_sections(coach, user),
            "history_url": (reverse("accounts:history", args=["coaching", "coach", coach.pk])
                            if is_staff(user) else ""),
        })
        return context


@method_decorator(login_required, name="dispatch")
class Apply(RestrictedView):
    """A signed-in member applies to the coach pool, or changes their application or profile."""

    model = Coach
    action = "change"

    def get(self, request):
        user = request.user
        coach = self.restricted().filter(user=user).first()
        if coach is None and user.person_id:
            coach = Coach.objects.filter(person_id=user.person_id).first()
        instance = coach or Coach()
        form = ApplicationForm(request.POST or None, instance=instance, user=user)
        formset = CompetencyFormSet(request.POST or None, instance=instance, prefix="competencies")
        if request.method == "POST" and form.is_valid() and formset.is_valid():
            try:
                with transaction.atomic():
                    competencies = formset.save(commit=False)
                    coach = services.submit_application(
                        user, acting_user=user, person=form.person_values(),
                        coach=form.coach_values(), themes=form.cleaned_data["themes"],
                        languages=form.cleaned_data["languages"], competencies=competencies,
                        deleted_competencies=formset.deleted_objects)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if coach.status == CoachStatus.APPLIED:
                    messages.success(request, _("Thank you. Your application is with the reviewers; "
                                                "you will get an e-mail when they decide."))
                else:
                    messages.success(request, _("Your coach profile is saved."))
                return redirect(coach)
        return render(request, "coaching/apply.html", {
            "form": form, "formset": formset, "coach": coach,
        }, status=400 if request.method == "POST" else 200)

    # One body shows the form and takes it back (request.method tells them apart).
    post = get


def _require_reviewer(user):
    if not is_reviewer(user):
        raise PermissionDenied(_("Only reviewers vet coach applications."))


@method_decorator(login_required, name="dispatch")
class ReviewQueue(RestrictedView):
    """Applications waiting for a reviewer, oldest first, with their competencies."""

    model = Coach
    action = "review"

    def get(self, request):
        _require_reviewer(request.user)
        coaches = (self.restricted().pending()
                   .with_details(request.user)
                   .prefetch_related(Prefetch("competencies",
                                              queryset=Competency.objects.select_related("theme")))
                   .annotate(n_competencies=Count("competencies", distinct=True))
                   .order_by("applied_at", "pk"))
        page = StablePaginator(coaches, PAGE_SIZE).get_page(request.GET.get("page"))
        services.mark_vetting_refusals(request.user, page)
        return render(request, "coaching/review_queue.html", {
            "page": page, "approve_form": ApproveForm(), "reject_form": RejectForm(),
        })


def _back(request, coach):
    target = request.POST.get("next") or ""
    if target == "queue":
        return redirect("coaching:review_queue")
    return redirect(coach)


@method_decorator([login_required, require_POST], name="dispatch")
class Vetting(RestrictedView):
    """A reviewer's decision on a coach, posted from the coach's page or the queue."""

    model = Coach
    action = "review"

    def reviewable(self, pk):
        _require_reviewer(self.request.user)
        return get_object_or_404(self.restricted(), pk=pk)


class Approve(Vetting):
    """A reviewer approves an application."""

    def post(self, request, pk):
        coach = self.reviewable(pk)
        form = ApproveForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("The note is too long."))
            return _back(request, coach)
        try:
            coach = services.approve_coach(coach, acting_user=request.user,
                                           reason=form.cleaned_data["reason"])
        except OwnWorkRefused as error:
            messages.error(request, str(error))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            if coach.told_by_email:
                text = _("%(name)s is approved and was told by e-mail.")
            else:
                text = _("%(name)s is approved. They have no e-mail address on record, so nobody has "
                         "told them yet: please let them know yourself.")
            messages.success(request, text % {"name": coach.person.name})
        return _back(request, coach)


class Reject(Vetting):
    """A reviewer rejects an application; the reason is required."""

    def post(self, request, pk):
        coach = self.reviewable(pk)
        form = RejectForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give the reason for rejecting the application."))
            return _back(request, coach)
        try:
            coach = services.reject_coach(coach, acting_user=request.user,
                                          reason=form.cleaned_data["reason"])
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            if coach.told_by_email:
                text = _("The application of %(name)s is rejected; the applicant was told by e-mail.")
            else:
                text = _("The application of %(name)s is rejected. The applicant has no e-mail address "
                         "on record, so nobody has told them yet: please let them know yourself.")
            messages.success(request, text % {"name": coach.person.name})
        return _back(request, coach)


class ConfirmCompetency(Vetting):
    """A reviewer confirms one competency of a coach."""

    model = Competency

    def post(self, request, pk):
        _require_reviewer(request.user)
        competency = get_object_or_404(self.restricted().select_related("coach"), pk=pk)
        try:
            services.confirm_competency(competency, acting_user=request.user)
        except OwnWorkRefused as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The competency is confirmed."))
        return _back(request, competency.coach)


class AddTraining(Vetting):
    """A reviewer or staff member records a training or certificate of a coach."""

    def post(self, request, pk):
        coach = self.reviewable(pk)
        form = TrainingForm(request.POST)
        if form.is_valid():
            try:
                services.add_training(coach, acting_user=request.user, **form.cleaned_data)
            except OwnWorkRefused as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("The training is recorded."))
        else:
            for field, errors in form.errors.items():
                label = form.fields[field].label if field in form.fields else ""
                for error in errors:
                    messages.error(request, f"{label}: {error}" if label else error)
        return redirect(coach)


def coverage(request):
    """Coverage of municipalities by coaches per region, with a chart and a map."""
    report = coverage_report.compute()
    return render(request, "coaching/coverage.html", {
        "report": report,
        "charts": coverage_charts(report),
        "map_regions": [
            {"name": r.name, "lat": r.latitude, "lng": r.longitude, "coaches": r.coaches,
             "municipalities": r.municipalities, "ratio": r.ratio, "to_recruit": r.to_recruit,
             "meets_target": r.meets_target, "centre": r.learning_centre}
            for r in report.regions if r.latitude is not None],
    })


@login_required
def import_coaches(request):
    """Staff upload a list of coaches; every problem is shown, or what was imported."""
    if not is_staff(request.user):
        raise PermissionDenied(_("Only league staff import coaches."))
    context = {"form": CoachImportForm()}
    status = 200
    if request.method == "POST":
        form = CoachImportForm(request.POST, request.FILES)
        context["form"] = form
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                context["result"] = services.import_coaches(
                    upload, acting_user=request.user, filename=upload.name)
                context["form"] = CoachImportForm()
            except ImportRejected as rejected:
                context["problems"] = rejected.problems
                status = 400
        else:
            status = 400
    return render(request, "coaching/import.html", context, status=status)


EXPORT_FORMATS = {
    "csv": ("text/csv; charset=utf-8", importers.write_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             importers.write_xlsx),
}


@method_decorator([login_required, throttled_page("expensive")], name="dispatch")
class ExportCoaches(RestrictedView):
    """Staff download the coaches (filtered like the registry) as CSV or XLSX."""

    model = Coach

    def get(self, request):
        if not is_staff(request.user):
            raise PermissionDenied(_("Only league staff export coaches."))
        fmt = request.GET.get("format", "csv")
        if fmt not in EXPORT_FORMATS:
            return HttpResponse(_("Unknown format %(format)s; use csv or xlsx.") % {"format": fmt},
                                status=400, content_type="text/plain; charset=utf-8")
        params = request.GET.copy()
        params.pop("format", None)
        filterset = CoachFilterSet(params, queryset=self.restricted())
        if not filterset.is_valid():
            return HttpResponse("; ".join(f"{k}: {' '.join(v)}" for k, v in filterset.errors.items()),
                                status=400, content_type="text/plain; charset=utf-8")
        content_type, write = EXPORT_FORMATS[fmt]
        response = HttpResponse(write(filterset.qs), content_type=content_type)
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="coaches-{stamp}.{fmt}"'
        return response
