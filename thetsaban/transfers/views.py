"""Pages of transfer projects: the list, one project with its sections, and the forms that write."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thetsaban import thai
from thetsaban.accounts.services import OwnWorkRefused
from thetsaban.directory.models import Person
from thetsaban.filtering import StablePaginator
from thetsaban.permissions import editable_lgu_ids, is_staff
from thetsaban.restapi import throttled_page
from thetsaban.restricted import RestrictedDetailView, RestrictedView
from thetsaban.sorting import Sorting, rank_of
from thetsaban.tabular import ImportRejected
from thetsaban.transfers import importers, services
from thetsaban.transfers.choices import (
    MOTIVATION_QUESTION_TH,
    IssueLevel,
    LogframeLevel,
    ProjectStatus,
)
from thetsaban.transfers.filters import TransferProjectFilterSet
from thetsaban.transfers.forms import (
    EvaluationForm,
    ImportForm,
    IndicatorForm,
    IssueForm,
    LogbookEntryForm,
    LogframeItemForm,
    MilestoneForm,
    ProjectForm,
    ReportForm,
    StatusForm,
    StudyVisitForm,
    TaskforceMemberForm,
)
from thetsaban.transfers.models import (
    FinalEvaluation,
    Indicator,
    Issue,
    LogbookEntry,
    LogframeItem,
    Milestone,
    MonitoringReport,
    StudyVisit,
    TaskforceMember,
    TransferProject,
)
from thetsaban.transfers.visibility import logbook_with_visible_coaches, visible_assignments

PAGE_SIZE = 20

# The list's sortable columns (?sort=lgu, ?sort=-status …); by default the newest first.
SORT_COLUMNS = {
    "title": ("title", "pk"),
    "lgu": ("target_lgu__sort_name", "pk"),
    "theme": ("theme__position", "theme__code", "pk"),
    "status": (rank_of("status", ProjectStatus.values), "pk"),
}
ISSUE_LEVELS = list(IssueLevel.values)


class ProjectPage(RestrictedView):
    """A page over transfer projects the user may see (and, for its forms, their parts)."""

    model = TransferProject

    def project(self, pk, *related):
        """The project `pk` if the user may see it (404 otherwise), with `related` joined."""
        projects = self.restricted(TransferProject, "view")
        return get_object_or_404(projects.select_related(*related) if related else projects, pk=pk)


class ProjectList(ProjectPage):
    """All transfer projects, filtered by status, theme, region, LGU and motivation."""

    def get(self, request):
        user = request.user
        filterset = TransferProjectFilterSet(request.GET, queryset=(
            self.restricted()
            .select_related("target_lgu", "target_lgu__province", "target_lgu__province__region",
                            "theme", "source_practice", "source_practice__lgu")
            .prefetch_related(Prefetch("assignments", queryset=visible_assignments(user).active(),
                                       to_attr="active_assignments"))))
        projects = filterset.qs if filterset.is_valid() else TransferProject.objects.none()
        sorting = Sorting.from_request(request, SORT_COLUMNS)
        page = StablePaginator(sorting.order(projects), PAGE_SIZE).get_page(request.GET.get("page"))
        params = request.GET.copy()
        params.pop("page", None)
        return render(request, "transfers/list.html", {
            "filter": filterset,
            "page": page,
            "sorting": sorting,
            "query_string": params.urlencode(),
            "can_add": is_staff(user) or bool(editable_lgu_ids(user)),
            "can_import": is_staff(user),
        })


def _logframe_rows(items):
    """The logframe in reading order, goal first, each item followed by the items under it."""
    rank = {level: i for i, level in enumerate(LogframeLevel.values)}
    children = {}
    for item in items:
        children.setdefault(item.parent_id, []).append(item)
    for siblings in children.values():
        siblings.sort(key=lambda i: (rank[i.level], i.position, i.pk))
    rows, seen = [], set()

    def walk(parent_id, depth):
        for item in children.get(parent_id, []):
            if item.pk in seen:
                continue
            seen.add(item.pk)
            rows.append((item, depth))
            walk(item.pk, depth + 1)

    walk(None, 0)
    return rows


class ProjectDetail(RestrictedDetailView):
    """One project: concept (logframe), team, milestones, logbook, reports, visits, issues, evaluation."""

    model = TransferProject
    template_name = "transfers/detail.html"
    context_object_name = "project"

    def refine_queryset(self, queryset):
        user = self.request.user
        visible_people = self.restricted(Person)
        return (queryset
                .select_related("target_lgu", "target_lgu__province", "target_lgu__province__region",
                                "theme", "language", "source_practice", "source_practice__lgu")
                .prefetch_related(
                    Prefetch("assignments", queryset=visible_assignments(user)),
                    Prefetch("taskforce", queryset=TaskforceMember.objects.select_related("person")
                             .filter(person__in=visible_people)),
                    "logframe", Prefetch("indicators", queryset=Indicator.objects.select_related("item")),
                    "milestones",
                    Prefetch("logbook", queryset=logbook_with_visible_coaches(user)),
                    Prefetch("reports", queryset=MonitoringReport.objects.prefetch_related(
                        "readings", "activity_statuses")),
                    Prefetch("study_visits", queryset=StudyVisit.objects.select_related("host_lgu")
                             .prefetch_related(Prefetch("participants", queryset=visible_people))),
                    "issues__recommendations",
                ))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        evaluation = (self.restricted(FinalEvaluation).filter(project=self.object)
                      .select_related("evaluator").first())
        context.update(project_context(self.request.user, self.object, evaluation))
        return context


def project_context(user, project, evaluation) -> dict:
    """The project page's sections of `project` and what `user` may do on it."""
    can_change = user.is_authenticated and services.may(user, project, "change")
    can_log = user.is_authenticated and services.may(user, project, "log")
    items = list(project.logframe.all())
    activities = [i for i in items if i.level == LogframeLevel.ACTIVITY]
    indicators = list(project.indicators.all())
    reports = [(report, services.report_matrix(report, indicators, activities))
               for report in project.reports.all()]
    return {
        "project": project,
        "logframe_rows": _logframe_rows(items),
        "indicators": indicators,
        "reports": reports,
        "evaluation": evaluation,
        "issues": sorted(project.issues.all(), key=lambda i: (ISSUE_LEVELS.index(i.level), i.position, i.pk)),
        "motivation_question": thai.clean(MOTIVATION_QUESTION_TH),
        "can_change": can_change,
        "can_log": can_log,
        "evaluation_refusal": services.evaluation_refusal(user, project) if can_change else "",
        "is_coach": services.coach_of(user, project) is not None,
        "status_form": StatusForm(allowed=services.allowed_statuses(project)) if can_change else None,
        "history_url": (reverse("accounts:history", args=["transfers", "transferproject", project.pk])
                        if is_staff(user) else ""),
    }


def _deny(request, message=None):
    """Anonymous visitors are sent to sign in; signed-in users without the right get a 403."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied(message or _("You cannot change this project."))


def _show_errors(form, error: ValidationError):
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class ProjectEdit(ProjectPage):
    """Start a transfer project, or change one (the adopting LGU's editors and staff)."""

    def get(self, request, pk=None):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if pk is None:
            if not (is_staff(user) or editable_lgu_ids(user)):
                raise PermissionDenied(_("Only LGU editors and league staff can start transfer projects."))
            project = TransferProject()
        else:
            project = self.project(pk)
            if not services.may(user, project, "change"):
                return _deny(request)
        form = ProjectForm(request.POST or None, instance=project, user=user)
        if request.method == "POST" and form.is_valid():
            try:
                project = services.save_project(form.save(commit=False), acting_user=user)
            except ValidationError as error:
                _show_errors(form, error)
            except PermissionDenied as error:
                form.add_error("target_lgu", str(error))
            else:
                messages.success(request, _("The project is saved."))
                return redirect(project)
        return render(request, "transfers/form.html", {
            "form": form, "project": project if project.pk else None,
            "heading": _("Edit transfer project") if project.pk else _("Start a transfer project"),
        })

    # One body shows the form and takes it back (request.method tells them apart).
    post = get


class ProjectStatusChange(ProjectPage):
    """Move the project to another status (IATI), from the detail page."""

    def post(self, request, pk):
        user = request.user
        project = self.project(pk)
        if not services.may(user, project, "change"):
            return _deny(request)
        form = StatusForm(request.POST, allowed=services.allowed_statuses(project))
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect(project)
        try:
            services.change_status(project, form.cleaned_data["status"], acting_user=user,
                                   on=form.cleaned_data["on"], note=form.cleaned_data["note"])
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The status is changed."))
        return redirect(project)


@dataclass(frozen=True)
class Part:
    """A kind of record kept on a project page, and how it is written."""

    model: type
    form: type
    save: Callable
    action: str
    anchor: str
    title: str
    m2m: tuple = ()


PARTS = {
    "logframe": Part(LogframeItem, LogframeItemForm, services.save_logframe_item, "change", "concept",
                     gettext_lazy("Logframe item")),
    "indicators": Part(Indicator, IndicatorForm, services.save_indicator, "change", "concept",
                       gettext_lazy("Indicator")),
    "taskforce": Part(TaskforceMember, TaskforceMemberForm, services.save_taskforce_member, "change",
                      "team", gettext_lazy("Taskforce member")),
    "milestones": Part(Milestone, MilestoneForm, services.save_milestone, "change", "milestones",
                       gettext_lazy("Milestone")),
    "logbook": Part(LogbookEntry, LogbookEntryForm, services.save_logbook_entry, "log", "logbook",
                    gettext_lazy("Logbook entry")),
    "visits": Part(StudyVisit, StudyVisitForm, services.save_study_visit, "change", "visits",
                   gettext_lazy("Study visit"), m2m=("participants",)),
    "issues": Part(Issue, IssueForm, services.save_issue, "log", "issues", gettext_lazy("Issue")),
}

# Reports have their own form (the matrix); this entry serves their deletion.
REPORT_PART = Part(MonitoringReport, ReportForm, services.save_report, "log", "reports",
                   gettext_lazy("Monitoring report"))


def _part_or_404(kind):
    part = PARTS.get(kind)
    if part is None:
        raise Http404
    return part


class PartEdit(ProjectPage):
    """Add or change one record of a project (logframe item, milestone, logbook entry …)."""

    def get(self, request, pk, kind, part_pk=None):
        part = _part_or_404(kind)
        user = request.user
        project = self.project(pk, "target_lgu", "source_practice")
        if not services.may(user, project, part.action) or not user.is_authenticated:
            return _deny(request)
        instance = (get_object_or_404(self.restricted(part.model, "change"), pk=part_pk, project=project)
                    if part_pk else part.model(project=project))
        form = part.form(request.POST or None, instance=instance, project=project, user=user)
        if request.method == "POST" and form.is_valid():
            obj = form.save(commit=False)
            kwargs = {name: form.cleaned_data[name] for name in part.m2m}
            try:
                part.save(obj, acting_user=user, **kwargs)
            except ValidationError as error:
                _show_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect(f"{project.get_absolute_url()}#{part.anchor}")
        return render(request, "transfers/part_form.html", {
            "form": form, "project": project, "part": part, "kind": kind, "instance": instance,
            "heading": part.title,
        })

    # One body shows the form and takes it back (request.method tells them apart).
    post = get


class PartDelete(ProjectPage):
    """Delete one record of a project."""

    def post(self, request, pk, kind, part_pk):
        part = REPORT_PART if kind == "reports" else _part_or_404(kind)
        user = request.user
        project = self.project(pk)
        if not services.may(user, project, part.action):
            return _deny(request)
        obj = get_object_or_404(self.restricted(part.model, "delete"), pk=part_pk, project=project)
        services.delete_part(obj, acting_user=user)
        messages.success(request, _("Deleted."))
        return redirect(f"{project.get_absolute_url()}#{part.anchor}")


def _matrix_parts(project):
    items = list(project.logframe.all())
    return list(project.indicators.all()), [i for i in items if i.level == LogframeLevel.ACTIVITY]


class ReportEdit(ProjectPage):
    """Write a monitoring report: the narrative and, per indicator and activity, the matrix."""

    def get(self, request, pk, report_pk=None):
        user = request.user
        project = self.project(pk)
        if not services.may(user, project, "log") or not user.is_authenticated:
            return _deny(request)
        report = (get_object_or_404(self.restricted(MonitoringReport, "change")
                                    .prefetch_related("readings", "activity_statuses"), pk=report_pk, project=project)
                  if report_pk else MonitoringReport(project=project))
        indicators, activities = _matrix_parts(project)
        form = ReportForm(request.POST or None, instance=report, project=project, user=user,
                          indicators=indicators, activities=activities)
        if request.method == "POST" and form.is_valid():
            readings, statuses = form.matrix()
            try:
                report = services.save_report(form.save(commit=False), acting_user=user,
                                              readings=readings, statuses=statuses)
            except ValidationError as error:
                _show_errors(form, error)
            else:
                messages.success(request, _("The report is saved."))
                return redirect("transfers:report", pk=project.pk, report_pk=report.pk)
        return render(request, "transfers/report_form.html", {"form": form, "project": project, "report": report})

    # One body shows the form and takes it back (request.method tells them apart).
    post = get


class ReportDetail(ProjectPage):
    """A monitoring report: its narrative and the matrix of target against actual."""

    def get(self, request, pk, report_pk):
        user = request.user
        project = self.project(pk, "target_lgu")
        report = get_object_or_404(self.restricted(MonitoringReport).select_related("author")
                                   .prefetch_related("readings", "activity_statuses"), pk=report_pk, project=project)
        indicators, activities = _matrix_parts(project)
        return render(request, "transfers/report_detail.html", {
            "project": project, "report": report,
            "matrix": services.report_matrix(report, indicators, activities),
            "can_log": user.is_authenticated and services.may(user, project, "log"),
        })


class EvaluationEdit(ProjectPage):
    """Write the project's final evaluation."""

    def get(self, request, pk):
        user = request.user
        project = self.project(pk)
        if not services.may(user, project, "change") or not user.is_authenticated:
            return _deny(request)
        evaluation = self.restricted(FinalEvaluation).filter(project=project).first() or FinalEvaluation(project=project)
        form = EvaluationForm(request.POST or None, instance=evaluation, project=project, user=user)
        if request.method == "POST" and form.is_valid():
            try:
                services.save_evaluation(form.save(commit=False), acting_user=user)
            except OwnWorkRefused as error:
                form.add_error(None, str(error))
            except ValidationError as error:
                _show_errors(form, error)
            else:
                messages.success(request, _("The evaluation is saved."))
                return redirect(f"{project.get_absolute_url()}#evaluation")
        return render(request, "transfers/part_form.html", {
            "form": form, "project": project, "heading": _("Final evaluation"),
            "refusal": services.evaluation_refusal(user, project),  # said before anything is written
        })

    # One body shows the form and takes it back (request.method tells them apart).
    post = get


def project_import(request):
    """League staff import transfer projects from CSV or XLSX; nothing is written if a row is wrong."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not is_staff(request.user):
        raise PermissionDenied(_("Only league staff can import transfer projects."))
    form = ImportForm(request.POST or None, request.FILES or None)
    problems, result = [], None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = importers.import_projects(upload, acting_user=request.user, filename=upload.name)
        except ImportRejected as rejected:
            problems = [str(p) for p in rejected.problems]
        else:
            messages.success(request, _("%(created)s projects created, %(updated)s updated.")
                             % {"created": result.created, "updated": result.updated})
            return redirect("transfers:import")
    status = 400 if request.method == "POST" else 200
    return render(request, "transfers/import.html", {
        "form": form, "problems": problems, "columns": importers.COLUMN_NAMES,
    }, status=status)


@method_decorator(throttled_page("expensive"), name="dispatch")
class ProjectExport(ProjectPage):
    """The filtered project list as CSV or XLSX, in the columns the import reads."""

    def get(self, request, fmt):
        if fmt not in ("csv", "xlsx"):
            raise Http404
        filterset = TransferProjectFilterSet(request.GET, queryset=self.restricted())
        if not filterset.is_valid():
            return HttpResponse("; ".join(f"{k}: {' '.join(v)}" for k, v in filterset.errors.items()),
                                status=400, content_type="text/plain; charset=utf-8")
        projects = importers.export_queryset(filterset.qs)
        if fmt == "xlsx":
            response = HttpResponse(importers.export_xlsx(projects), content_type=(
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
        else:
            response = HttpResponse(importers.export_csv(projects), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="transfer-projects.{fmt}"'
        return response
