"""Pages of policy recommendations: list, detail, editor, timeline, coverage and the report."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thetsaban.accounts.services import OwnWorkRefused
from thetsaban.filtering import StablePaginator
from thetsaban.permissions import is_staff
from thetsaban.policy import services
from thetsaban.policy.choices import LEVEL_ORDER, Level, RecommendationStatus
from thetsaban.policy.coverage import build_coverage, parse_days
from thetsaban.policy.filters import RecommendationFilterSet
from thetsaban.policy.forms import RecommendationForm, UpdateForm, actor_formset, actors_from
from thetsaban.policy.models import Recommendation, RecommendationActor
from thetsaban.policy.report import DOCX_TYPE, XLSX_TYPE, build_report, render_docx, render_xlsx
from thetsaban.practices.models import Practice, Theme
from thetsaban.restapi import throttled_page
from thetsaban.sorting import Sorting, rank_of
from thetsaban.storage import serve_file
from thetsaban.transfers.models import Issue

PAGE_SIZE = 25

# The list's sortable columns (?sort=title, ?sort=-status …); by default the deck's level order.
SORT_COLUMNS = {
    "level": ("level_rank", "position", "pk"),
    "title": ("title", "pk"),
    "status": (rank_of("status", RecommendationStatus.values), "-progress", "pk"),
}


def _filtered(request):
    """The FilterSet over what the user may see; bad values make it invalid (shown as a 400)."""
    return RecommendationFilterSet(request.GET or None,
                                   queryset=Recommendation.objects.restrict(request.user, "view"))


def _errors(filterset) -> list[str]:
    labels = {name: f.label for name, f in filterset.filters.items()}
    return [f"{labels.get(name, name)}: {error}"
            for name, errors in filterset.errors.items() for error in errors]


def recommendation_list(request):
    """Recommendations filtered by level, theme, status, agency, overdue and period."""
    filterset = _filtered(request)
    valid = filterset.is_valid() if filterset.is_bound else True
    queryset = (filterset.qs if valid else Recommendation.objects.none())
    sorting = Sorting.from_request(request, SORT_COLUMNS)
    queryset = (sorting.order(queryset.in_level_order()).select_related("owner")
                .prefetch_related("themes", Prefetch(
                    "actors", queryset=RecommendationActor.objects.select_related("organisation"))))
    page = StablePaginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "policy/list.html", {
        "filter": filterset, "page": page, "errors": [] if valid else _errors(filterset),
        "sorting": sorting,
        "can_create": request.user.is_authenticated and services.may_create(request.user),
        "levels": Level.choices, "statuses": RecommendationStatus.choices,
        "themes": Theme.objects.restrict(request.user, "view").order_by("position", "code"),
    }, status=200 if valid else 400)


def update_attachment(request, pk, update_pk):
    """The file of one timeline entry, for whoever may see the recommendation; from the object
    store, a short-lived signed link."""
    recommendation = get_object_or_404(Recommendation.objects.restrict(request.user, "view"), pk=pk)
    update = get_object_or_404(recommendation.updates.exclude(attachment=""), pk=update_pk)
    return serve_file(update.attachment, download_name=update.attachment_name)


def recommendation_detail(request, pk):
    """Everything about one recommendation: the problem, who, when, the target, the timeline."""
    user = request.user
    recommendation = get_object_or_404(
        Recommendation.objects.restrict(user, "view").select_related("owner").prefetch_related(
            "themes", "lgus", "projects__target_lgu",
            Prefetch("issues", queryset=Issue.objects.select_related("project")),
            Prefetch("practices", queryset=Practice.objects.restrict(user, "view").published()
                     .select_related("lgu")),
            Prefetch("actors", queryset=RecommendationActor.objects.select_related("organisation")),
            "updates__author"),
        pk=pk)
    can_change = user.is_authenticated and services.may_change(user, recommendation)
    return render(request, "policy/detail.html", {
        "recommendation": recommendation,
        "can_change": can_change,
        "update_form": UpdateForm(initial={"date": timezone.localdate()}) if can_change else None,
        "history_url": (reverse("accounts:history", args=["policy", "recommendation", recommendation.pk])
                        if is_staff(user) else ""),
    })


@login_required
def recommendation_edit(request, pk=None):
    """Create or change a recommendation with its agencies and partners (staff or owner)."""
    user = request.user
    if pk is None:
        if not services.may_create(user):
            raise PermissionDenied(_("Only league staff and LGU editors can add recommendations."))
        recommendation = Recommendation()
    else:
        recommendation = get_object_or_404(Recommendation.objects.restrict(user, "change"), pk=pk)
    form = RecommendationForm(request.POST or None, instance=recommendation, user=user)
    actors = actor_formset(request.POST or None, instance=recommendation)
    if request.method == "POST" and form.is_valid() and actors.is_valid():
        try:
            with transaction.atomic():
                recommendation = form.save(commit=False)
                data = form.cleaned_data
                recommendation = services.save_recommendation(
                    recommendation, acting_user=user, themes=data["themes"],
                    lgus=data["lgu_list"], issues=data["issues"], practices=data["practices"],
                    projects=data["projects"], actors=actors_from(actors))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The recommendation is saved."))
            return redirect(recommendation)
    return render(request, "policy/form.html", {
        "form": form, "actors": actors, "recommendation": recommendation,
    }, status=400 if request.method == "POST" else 200)


@login_required
def recommendation_update(request, pk):
    """Add a dated timeline entry (status, progress, attachment) to a recommendation."""
    recommendation = get_object_or_404(Recommendation.objects.restrict(request.user, "change"), pk=pk)
    form = UpdateForm(request.POST or None, request.FILES or None,
                      initial={"date": timezone.localdate()},
                      approval_refusal=services.approval_refusal(request.user, recommendation))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_update(recommendation, acting_user=request.user, text=data["text"],
                                date=data["date"], status=data.get("status") or "",
                                progress=data.get("progress"), attachment=data.get("attachment"))
        except OwnWorkRefused as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The update is added to the timeline."))
            return redirect(recommendation)
    return render(request, "policy/update_form.html", {
        "form": form, "recommendation": recommendation,
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def promote_issue(request, issue_pk):
    """Promote an issue-log item of a transfer project into a recommendation."""
    issue = get_object_or_404(Issue.objects.restrict(request.user, "view").select_related("project"),
                              pk=issue_pk)
    already = issue.recommendations.exists()
    recommendation = services.promote_issue(issue, request.user)
    if already:
        messages.info(request, _("This issue was already promoted; here is its recommendation."))
    else:
        messages.success(request, _("The issue is now a recommendation."))
    return redirect(recommendation)


def coverage(request):
    """The critique as checks: themes by levels, missing agencies, partners, time frames,
    targets, overdue and stalled recommendations."""
    filterset = _filtered(request)
    errors = _errors(filterset) if filterset.is_bound and not filterset.is_valid() else []
    try:
        days = parse_days(request.GET.get("days"))
    except ValidationError as error:
        errors += [f"days: {m}" for m in error.message_dict["days"]]
        days = None
    if errors:
        return render(request, "policy/coverage.html", {"errors": errors, "filter": filterset},
                      status=400)
    report = build_coverage(filterset.qs, days=days)
    return render(request, "policy/coverage.html", {
        "coverage": report, "filter": filterset, "levels": [Level(level) for level in LEVEL_ORDER],
        "days": days,
    })


def _report(request):
    filterset = _filtered(request)
    if filterset.is_bound and not filterset.is_valid():
        return None, filterset
    if not filterset.is_bound:
        return build_report(filterset.qs), filterset
    return build_report(filterset.qs, filters=filterset.describe(),
                        level=filterset.form.cleaned_data.get("level")), filterset


@throttled_page("expensive")
def report_page(request):
    """The report as a printable page in the Sarabun font."""
    report, filterset = _report(request)
    if report is None:
        return render(request, "policy/report.html", {"errors": _errors(filterset),
                                                      "filter": filterset}, status=400)
    query = request.GET.urlencode()
    return render(request, "policy/report.html", {
        "report": report, "filter": filterset, "query": query,
        "levels": Level.choices, "statuses": RecommendationStatus.choices,
        "themes": Theme.objects.restrict(request.user, "view").order_by("position", "code"),
    })


def _download(request, render_file, content_type, extension):
    report, filterset = _report(request)
    if report is None:
        return HttpResponse("\n".join(_errors(filterset)), status=400,
                            content_type="text/plain; charset=utf-8")
    response = HttpResponse(render_file(report), content_type=content_type)
    filename = f"policy-recommendations-{report['generated'].isoformat()}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@throttled_page("expensive")
def report_xlsx(request):
    """The report as an XLSX workbook."""
    return _download(request, render_xlsx, XLSX_TYPE, "xlsx")


@throttled_page("expensive")
def report_docx(request):
    """The report as a DOCX document."""
    return _download(request, render_docx, DOCX_TYPE, "docx")
