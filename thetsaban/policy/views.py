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
from django.utils.decorators import method_decorator
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
from thetsaban.restricted import RestrictedDetailView, RestrictedView
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


class RecommendationPage(RestrictedView):
    """A page over the recommendations the user may see."""

    model = Recommendation

    def filtered(self):
        """The FilterSet over what the user may see; bad values make it invalid (shown as a 400)."""
        return RecommendationFilterSet(self.request.GET or None, queryset=self.restricted())

    def themes(self):
        return self.restricted(Theme).order_by("position", "code")


def _errors(filterset) -> list[str]:
    labels = {name: f.label for name, f in filterset.filters.items()}
    return [f"{labels.get(name, name)}: {error}"
            for name, errors in filterset.errors.items() for error in errors]


class RecommendationList(RecommendationPage):
    """Recommendations filtered by level, theme, status, agency, overdue and period."""

    def get(self, request):
        filterset = self.filtered()
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
            "themes": self.themes(),
        }, status=200 if valid else 400)


class UpdateAttachment(RestrictedView):
    """The file of one timeline entry, for whoever may see the recommendation; from the object
    store, a short-lived signed link."""

    model = Recommendation

    def get(self, request, pk, update_pk):
        recommendation = get_object_or_404(self.restricted(), pk=pk)
        update = get_object_or_404(recommendation.updates.exclude(attachment=""), pk=update_pk)
        return serve_file(update.attachment, download_name=update.attachment_name)


class RecommendationDetail(RestrictedDetailView):
    """Everything about one recommendation: the problem, who, when, the target, the timeline."""

    model = Recommendation
    template_name = "policy/detail.html"

    def refine_queryset(self, queryset):
        return queryset.select_related("owner").prefetch_related(
            "themes", "lgus", "projects__target_lgu",
            Prefetch("issues", queryset=Issue.objects.select_related("project")),
            Prefetch("practices", queryset=self.restricted(Practice).published()
                     .select_related("lgu")),
            Prefetch("actors", queryset=RecommendationActor.objects.select_related("organisation")),
            "updates__author")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, recommendation = self.request.user, self.object
        can_change = user.is_authenticated and services.may_change(user, recommendation)
        context.update({
            "recommendation": recommendation,
            "can_change": can_change,
            "update_form": UpdateForm(initial={"date": timezone.localdate()}) if can_change else None,
            "history_url": (reverse("accounts:history", args=["policy", "recommendation", recommendation.pk])
                            if is_staff(user) else ""),
        })
        return context


@method_decorator(login_required, name="dispatch")
class RecommendationEdit(RecommendationPage):
    """Create or change a recommendation with its agencies and partners (staff or owner)."""

    action = "change"

    def get(self, request, pk=None):
        user = request.user
        if pk is None:
            if not services.may_create(user):
                raise PermissionDenied(_("Only league staff and LGU editors can add recommendations."))
            recommendation = Recommendation()
        else:
            recommendation = get_object_or_404(self.restricted(), pk=pk)
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

    # One body shows the form and takes it back (request.method tells them apart).
    post = get


@method_decorator(login_required, name="dispatch")
class RecommendationUpdate(RecommendationPage):
    """Add a dated timeline entry (status, progress, attachment) to a recommendation."""

    action = "change"

    def get(self, request, pk):
        recommendation = get_object_or_404(self.restricted(), pk=pk)
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

    # One body shows the form and takes it back (request.method tells them apart).
    post = get


@method_decorator([login_required, require_POST], name="dispatch")
class PromoteIssue(RestrictedView):
    """Promote an issue-log item of a transfer project into a recommendation."""

    model = Issue

    def post(self, request, issue_pk):
        issue = get_object_or_404(self.restricted().select_related("project"), pk=issue_pk)
        already = issue.recommendations.exists()
        recommendation = services.promote_issue(issue, request.user)
        if already:
            messages.info(request, _("This issue was already promoted; here is its recommendation."))
        else:
            messages.success(request, _("The issue is now a recommendation."))
        return redirect(recommendation)


class Coverage(RecommendationPage):
    """The critique as checks: themes by levels, missing agencies, partners, time frames,
    targets, overdue and stalled recommendations."""

    def get(self, request):
        filterset = self.filtered()
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


class ReportPage(RecommendationPage):
    """The report over the recommendations the user may see, filtered like the list."""

    def report(self):
        filterset = self.filtered()
        if filterset.is_bound and not filterset.is_valid():
            return None, filterset
        if not filterset.is_bound:
            return build_report(filterset.qs), filterset
        return build_report(filterset.qs, filters=filterset.describe(),
                            level=filterset.form.cleaned_data.get("level")), filterset


@method_decorator(throttled_page("expensive"), name="dispatch")
class Report(ReportPage):
    """The report as a printable page in the Sarabun font."""

    def get(self, request):
        report, filterset = self.report()
        if report is None:
            return render(request, "policy/report.html", {"errors": _errors(filterset),
                                                          "filter": filterset}, status=400)
        query = request.GET.urlencode()
        return render(request, "policy/report.html", {
            "report": report, "filter": filterset, "query": query,
            "levels": Level.choices, "statuses": RecommendationStatus.choices,
            "themes": self.themes(),
        })


@method_decorator(throttled_page("expensive"), name="dispatch")
class ReportDownload(ReportPage):
    """The report as a file: `render_file(report)` of `content_type`, named with `extension`."""

    render_file = None
    content_type = ""
    extension = ""

    def get(self, request):
        report, filterset = self.report()
        if report is None:
            return HttpResponse("\n".join(_errors(filterset)), status=400,
                                content_type="text/plain; charset=utf-8")
        response = HttpResponse(self.render_file(report), content_type=self.content_type)
        filename = f"policy-recommendations-{report['generated'].isoformat()}.{self.extension}"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class ReportXlsx(ReportDownload):
    """The report as an XLSX workbook."""

    render_file, content_type, extension = staticmethod(render_xlsx), XLSX_TYPE, "xlsx"


class ReportDocx(ReportDownload):
    """The report as a DOCX document."""

    render_file, content_type, extension = staticmethod(render_docx), DOCX_TYPE, "docx"
