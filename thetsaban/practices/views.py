"""Pages of the practice catalogue: list, map, detail, editor, my work and the review queue."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.db.models.expressions import Window
from django.db.models.functions import RowNumber
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thetsaban.directory.models import ContactDetail, Person
from thetsaban.filtering import StablePaginator
from thetsaban.permissions import editable_lgu_ids, is_reviewer, is_staff
from thetsaban.practices import services
from thetsaban.practices.choices import ReviewStatus
from thetsaban.practices.filters import PracticeFilterSet
from thetsaban.practices.forms import FORMSETS, PracticeForm, PublishForm, ReturnForm
from thetsaban.practices.models import Practice
from thetsaban.restricted import RestrictedDetailView, RestrictedView
from thetsaban.storage import serve_file

PAGE_SIZE = 20
MAP_TITLES_PER_LGU = 5


def _page(request, queryset):
    paginator = StablePaginator(queryset, PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


def _with_links(request, facets):
    """Give each facet value the link that selects it (or, when selected, removes it)."""
    for name, facet in facets.items():
        for value in facet["values"]:
            params = request.GET.copy()
            params.pop("page", None)
            if value["selected"]:
                params.pop(name, None)
            else:
                params[name] = value["value"]
            value["url"] = "?" + params.urlencode()
    return facets


class PublishedPractices(RestrictedView):
    """A page over the published practices the user may see."""

    model = Practice

    def published(self):
        return self.restricted().published()


class PracticeList(PublishedPractices):
    """The public catalogue: published practices with facets, search, sorting and pages."""

    def get(self, request):
        filterset = PracticeFilterSet(request.GET, request=request, queryset=self.published())
        practices = filterset.qs.select_related("lgu", "lgu__province").prefetch_related("themes")
        return render(request, "practices/list.html", {
            "filter": filterset,
            "page": _page(request, practices),
            "facets": _with_links(request, filterset.facet_counts()),
            "query": request.GET.get("q", ""),
            "sort": request.GET.get("sort", ""),
        })


class PracticeMap(PublishedPractices):
    """The map of published practices, filtered by the same facets as the list."""

    def get(self, request):
        filterset = PracticeFilterSet(request.GET, request=request, queryset=self.published().filter(
            lgu__latitude__isnull=False, lgu__longitude__isnull=False))
        # The map can only show practices whose LGU has coordinates: say how many others match.
        everywhere = PracticeFilterSet(request.GET, request=request, queryset=self.published())
        located = unlocated = None
        if everywhere.is_valid():
            located = everywhere.qs.filter(lgu__latitude__isnull=False, lgu__longitude__isnull=False).count()
            unlocated = everywhere.qs.count() - located
        return render(request, "practices/map.html", {
            "filter": filterset,
            "facets": _with_links(request, filterset.facet_counts()),
            "data_url": reverse("practices:map_data") + "?" + request.GET.urlencode(),
            "located": located, "unlocated": unlocated,
        })


class MapData(PublishedPractices):
    """Markers for the map as JSON: one per LGU, with its count and newest practices."""

    def get(self, request):
        return map_markers(request, self.published().filter(
            lgu__latitude__isnull=False, lgu__longitude__isnull=False))


def map_markers(request, base):
    """The markers of the practices in `base` (already restricted) that match the filters."""
    filterset = PracticeFilterSet(request.GET, request=request, queryset=base)
    if not filterset.is_valid():
        return JsonResponse({"errors": filterset.errors}, status=400)
    filtered = filterset.qs.order_by()
    counts = {row["lgu_id"]: row["n"] for row in
              filtered.values("lgu_id").annotate(n=Count("pk")).order_by()}
    newest = (filtered.annotate(rank=Window(RowNumber(), partition_by="lgu_id",
                                            order_by=("-published_at", "-pk")))
              .filter(rank__lte=MAP_TITLES_PER_LGU)
              .values("pk", "title_th", "title_en", "lgu_id", "lgu__code", "lgu__name_th",
                      "lgu__name_en", "lgu__latitude", "lgu__longitude"))
    english = get_language() == "en"
    markers = {}
    for row in newest:
        marker = markers.setdefault(row["lgu_id"], {
            "lgu": (row["lgu__name_en"] if english and row["lgu__name_en"] else row["lgu__name_th"]),
            "lgu_url": reverse("places:lgu", args=[row["lgu__code"]]),
            "lat": float(row["lgu__latitude"]), "lng": float(row["lgu__longitude"]),
            "count": counts.get(row["lgu_id"], 0), "practices": [],
        })
        marker["practices"].append({
            "title": row["title_en"] if english and row["title_en"] else row["title_th"],
            "url": reverse("practices:detail", args=[row["pk"]]),
        })
    return JsonResponse({"count": sum(counts.values()), "markers": list(markers.values())})


class Attachment(RestrictedView):
    """One attachment of a practice, for whoever may see the practice (a draft's files only for
    its editors and reviewers); from the object store, a short-lived signed link."""

    model = Practice

    def get(self, request, pk, attachment_pk):
        practice = get_object_or_404(self.restricted(), pk=pk)
        item = get_object_or_404(practice.attachments.all(), pk=attachment_pk)
        return serve_file(item.file)


class PracticeDetail(RestrictedDetailView):
    """Everything about one practice, with its contact persons' permitted details."""

    model = Practice
    template_name = "practices/detail.html"

    def refine_queryset(self, queryset):
        return queryset.select_related(
            "lgu", "lgu__province", "lgu__province__region").prefetch_related(
            "themes", "steps", "results", "attachments",
            "partners__organisation",
            Prefetch("contacts", queryset=self.restricted(Person).prefetch_related(
                Prefetch("contact_details", queryset=self.restricted(ContactDetail),
                         to_attr="visible_details"))))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        practice = self.object
        theme_ids = [t.pk for t in practice.themes.all()]
        related = (self.restricted().published()
                   .filter(themes__in=theme_ids).exclude(lgu_id=practice.lgu_id)
                   .annotate(shared=Count("themes", filter=Q(themes__in=theme_ids)))
                   .select_related("lgu", "lgu__province").prefetch_related("themes")
                   .order_by("-shared", "-published_at", "-pk")[:5])
        context.update(practice_context(self.request.user, practice))
        context["related"] = related
        return context


def practice_context(user, practice) -> dict:
    """What the practice page says the user may do with `practice`."""
    can_review = services.may_review(user, practice) and user.is_authenticated
    if can_review:
        services.mark_publish_refusals(user, [practice])
    return {
        "practice": practice,
        "can_edit": services.may_edit(user, practice) and user.is_authenticated,
        "can_submit": services.may_submit(user, practice) and user.is_authenticated,
        "can_review": can_review,
        "is_editor": is_staff(user) or practice.lgu_id in editable_lgu_ids(user),
        "history_url": (reverse("accounts:history", args=["practices", "practice", practice.pk])
                        if is_staff(user) else ""),
        "publish_form": PublishForm(),
        "return_form": ReturnForm(),
    }


def _formsets(request, practice):
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    return [(name, formset_class(data, files, instance=practice, prefix=name))
            for name, formset_class in FORMSETS]


@method_decorator(login_required, name="dispatch")
class PracticeEdit(RestrictedView):
    """Create or change a practice with its steps, results, partners and attachments."""

    model = Practice
    action = "change"

    def get(self, request, pk=None):
        user = request.user
        if pk is None:
            if not (is_staff(user) or editable_lgu_ids(user)):
                raise PermissionDenied(_("Only LGU editors can add practices."))
            practice = Practice()
        else:
            practice = get_object_or_404(self.restricted(), pk=pk)
            if not services.may_edit(user, practice):
                messages.error(request, _("A practice that is %(status)s cannot be changed.")
                               % {"status": practice.get_status_display()})
                return redirect(practice)
        form = PracticeForm(request.POST or None, request.FILES or None, instance=practice, user=user)
        formsets = _formsets(request, practice)
        if request.method == "POST":
            valid = form.is_valid() and all(fs.is_valid() for _name, fs in formsets)
            if valid:
                try:
                    with transaction.atomic():
                        practice = form.save(commit=False)
                        children, deleted = [], []
                        for _name, formset in formsets:
                            children += formset.save(commit=False)
                            deleted += formset.deleted_objects
                        practice = services.save_practice(
                            practice, acting_user=user, themes=form.cleaned_data["themes"],
                            contacts=form.cleaned_data.get("contacts") or [],
                            children=children, deleted=deleted)
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    messages.success(request, _("The practice is saved."))
                    return redirect(practice)
        return render(request, "practices/form.html", {
            "form": form, "formsets": formsets, "practice": practice,
        })

    # One body shows the form and takes it back (request.method tells them apart).
    post = get


@method_decorator([require_POST, login_required], name="dispatch")
class PracticeStep(RestrictedView):
    """A workflow transition posted from a practice's page, its outcome reported as a message."""

    model = Practice

    def act(self, pk, action):
        """Run `action` on the practice (404 when the user may not see it); None if refused."""
        practice = get_object_or_404(self.restricted(), pk=pk)
        try:
            action(practice)
        except PermissionDenied as error:
            messages.error(self.request, str(error) or _("You cannot do this."))
            return None
        except ValidationError as error:
            for message in error.messages:
                messages.error(self.request, message)
            return None
        return practice


class PracticeSubmit(PracticeStep):
    """The LGU editor sends the practice to the reviewers."""

    def post(self, request, pk):
        if self.act(pk, lambda p: services.submit_practice(p, acting_user=request.user)):
            messages.success(request, _("The practice is submitted for review."))
        return redirect("practices:detail", pk=pk)


class PracticePublish(PracticeStep):
    """A reviewer publishes the practice at a tier."""

    def post(self, request, pk):
        form = PublishForm(request.POST)
        if not form.is_valid():
            for field, errors in form.errors.items():
                for error in errors:
                    messages.error(request, f"{form.fields[field].label}: {error}" if field in form.fields else error)
            return redirect("practices:detail", pk=pk)
        done = self.act(pk, lambda p: services.publish_practice(
            p, acting_user=request.user, tier=form.cleaned_data["tier"],
            comment=form.cleaned_data["comment"]))
        if done:
            messages.success(request, _("The practice is published."))
            return redirect("practices:review_queue")
        return redirect("practices:detail", pk=pk)


class PracticeReturn(PracticeStep):
    """A reviewer returns the practice with comments."""

    def post(self, request, pk):
        form = ReturnForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Write what the editor should change."))
            return redirect("practices:detail", pk=pk)
        done = self.act(pk, lambda p: services.return_practice(
            p, acting_user=request.user, comment=form.cleaned_data["comment"]))
        if done:
            messages.success(request, _("The practice is returned to its editor."))
            return redirect("practices:review_queue")
        return redirect("practices:detail", pk=pk)


@method_decorator(login_required, name="dispatch")
class MyWork(RestrictedView):
    """The practices of the user's LGUs in every status, newest change first."""

    model = Practice
    action = "change"

    def get(self, request):
        user = request.user
        practices = (self.restricted()
                     .filter(Q(lgu_id__in=editable_lgu_ids(user)) | Q(created_by=user))
                     .select_related("lgu", "lgu__province").prefetch_related("themes")
                     .order_by("-updated_at", "-pk"))
        filterset = PracticeFilterSet(request.GET, request=request, queryset=practices)
        queryset = filterset.qs.order_by("-updated_at", "-pk") if not request.GET.get("sort") else filterset.qs
        return render(request, "practices/mine.html", {
            "page": _page(request, queryset),
            "filter": filterset,
            "can_add": is_staff(user) or bool(editable_lgu_ids(user)),
        })


@method_decorator(login_required, name="dispatch")
class ReviewQueue(RestrictedView):
    """Submitted practices waiting for a reviewer, oldest first."""

    model = Practice
    action = "review"

    def get(self, request):
        if not is_reviewer(request.user):
            raise Http404
        practices = (self.restricted()
                     .filter(status=ReviewStatus.SUBMITTED)
                     .select_related("lgu", "lgu__province").prefetch_related("themes")
                     .annotate(step_count=Count("steps", distinct=True))
                     .order_by("submitted_at", "pk"))
        page = _page(request, practices)
        services.mark_publish_refusals(request.user, page)
        return render(request, "practices/review_queue.html", {
            "page": page,
            "publish_form": PublishForm(),
            "return_form": ReturnForm(),
        })
