"""Pages of the newsroom (news list, post, writing and publishing, pictures) and of the joint
undertakings (list with a map, one undertaking, its form, its agreements)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.utils.translation import gettext as _

from thetsaban.learning.models import Event, staffed_centre_ids
from thetsaban.localdata.choices import AreaLevel
from thetsaban.localdata.models import Indicator
from thetsaban.newsroom import services
from thetsaban.newsroom.choices import PostStatus
from thetsaban.newsroom.forms import AgreementForm, NewsPostForm, UndertakingForm
from thetsaban.newsroom.indicators import shared_values
from thetsaban.newsroom.models import Agreement, JointUndertaking, NewsPost
from thetsaban.permissions import editable_lgu_ids, is_staff
from thetsaban.places.models import LearningCentre, Lgu
from thetsaban.policy.models import Recommendation
from thetsaban.practices.models import Practice, Theme
from thetsaban.restricted import RestrictedDetailView, RestrictedListView, RestrictedView
from thetsaban.storage import serve_file
from thetsaban.transfers.models import TransferProject


def _refused(request, error):
    messages.error(request, " ".join(error.messages) if isinstance(error, ValidationError) else str(error))


def map_settings() -> dict:
    """The tiles and icons every Leaflet map of the site uses."""
    return {"tiles": settings.MAP_TILES_URL, "icons": static("leaflet/images/"),
            # The default tiles are OpenStreetMap's, whose licence asks for this credit.
            "attribution": _("Map data © OpenStreetMap contributors")
            if "openstreetmap" in settings.MAP_TILES_URL else ""}


# --- News ------------------------------------------------------------------------------------

class NewsListView(RestrictedListView):
    """Published news, newest first, of the league or of one centre, on one theme; and the writer's
    own drafts."""

    model = NewsPost
    template_name = "newsroom/list.html"
    context_object_name = "posts"
    paginate_by = 20

    def refine_queryset(self, queryset):
        queryset = queryset.published().select_related("centre__region")
        self.centre = self.theme = None
        if self.request.GET.get("centre"):
            self.centre = get_object_or_404(self.restricted(LearningCentre).select_related("region"),
                                            region__code=self.request.GET["centre"])
            queryset = queryset.filter(centre=self.centre)
        if self.request.GET.get("theme"):
            self.theme = get_object_or_404(self.restricted(Theme), code=self.request.GET["theme"])
            queryset = queryset.filter(themes=self.theme)
        return queryset.order_by("-published_at", "-pk")

    def get_context_data(self, **kwargs):
        drafts = (self.restricted(NewsPost, "change").filter(status=PostStatus.DRAFT)
                  .select_related("centre__region").order_by("-updated_at"))
        return super().get_context_data(
            centre=self.centre, theme=self.theme, drafts=drafts, may_write=services.may_write(self.request.user),
            centres=self.restricted(LearningCentre).select_related("region"),
            themes=self.restricted(Theme), **kwargs)


class NewsDetailView(RestrictedDetailView):
    """One news post, with the practices, pilots, events and recommendations it is about."""

    model = NewsPost
    template_name = "newsroom/detail.html"
    context_object_name = "post"

    def refine_queryset(self, queryset):
        return queryset.select_related("centre__region", "author").prefetch_related("themes")

    def get_context_data(self, **kwargs):
        post = self.object
        return super().get_context_data(
            practices=self.restricted(Practice).published().filter(news_posts=post).select_related("lgu"),
            transfers=self.restricted(TransferProject).filter(news_posts=post).select_related("target_lgu"),
            events=self.restricted(Event).filter(news_posts=post).select_related("centre__region"),
            recommendations=self.restricted(Recommendation).visible().filter(news_posts=post),
            may_change=self.restricted(NewsPost, "change").filter(pk=post.pk).exists(),
            **kwargs)


class NewsFormView(RestrictedView):
    """Write a new post or change one: league staff for the league and any centre, a centre's staff
    for their centre only."""

    model = NewsPost
    action = "change"
    template_name = "newsroom/form.html"

    def _post(self, pk):
        if pk is None:
            return NewsPost()
        return get_object_or_404(self.restricted(), pk=pk)

    def _form(self, post, data=None, files=None):
        user = self.request.user
        centres = self.restricted(LearningCentre).select_related("region")
        if not is_staff(user):
            centres = centres.filter(pk__in=staffed_centre_ids(user))
        choices = {
            "centre": centres, "themes": self.restricted(Theme),
            "practices": self.restricted(Practice).published(),
            "transfers": self.restricted(TransferProject).order_by("title"),
            "events": self.restricted(Event).select_related("centre__region").order_by("-starts_at"),
            "recommendations": self.restricted(Recommendation).visible().order_by("title"),
        }
        return NewsPostForm(data, files, instance=post, choices=choices, league=is_staff(user))

    def _allowed(self, pk):
        if not self.request.user.is_authenticated:
            return redirect_to_login(self.request.get_full_path())
        if pk is None and not services.may_write(self.request.user):
            raise PermissionDenied
        return None

    def get(self, request, pk=None):
        refused = self._allowed(pk)
        if refused:
            return refused
        post = self._post(pk)
        return render(request, self.template_name, {"form": self._form(post), "post": post})

    def post(self, request, pk=None):
        refused = self._allowed(pk)
        if refused:
            return refused
        post = self._post(pk)
        form = self._form(post, request.POST, request.FILES)
        if form.is_valid():
            links = {name: form.cleaned_data[name]
                     for name in ("themes", "practices", "transfers", "events", "recommendations")}
            try:
                post = services.save_post(form.instance, acting_user=request.user, links=links)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The news post was saved."))
                return redirect(post)
        return render(request, self.template_name, {"form": form, "post": post}, status=400)


class PublishView(RestrictedView):
    """Publish a draft, or take a published post back to draft."""

    model = NewsPost
    action = "change"

    def post(self, request, pk):
        post = get_object_or_404(self.restricted(), pk=pk)
        try:
            if request.POST.get("withdraw"):
                services.withdraw_post(post, acting_user=request.user)
                messages.success(request, _("The post is a draft again."))
            else:
                services.publish_post(post, acting_user=request.user)
                messages.success(request, _("The post is published."))
        except ValidationError as error:
            _refused(request, error)
        return redirect(post)


class NewsImageView(RestrictedView):
    """A post's picture, for those who may see the post."""

    model = NewsPost

    def get(self, request, pk):
        post = get_object_or_404(self.restricted(), pk=pk)
        return serve_file(post.image)


# --- Joint undertakings ----------------------------------------------------------------------

def undertaking_markers(undertakings) -> list[dict]:
    """Map markers: every located LGU of each undertaking, the lead marked."""
    markers = []
    for undertaking in undertakings:
        for lgu in undertaking.all_lgus():
            if lgu.has_location:
                markers.append({"lat": float(lgu.latitude), "lon": float(lgu.longitude), "name": lgu.name,
                                "lead": lgu.pk == undertaking.lead_lgu_id, "undertaking": undertaking.title,
                                "url": undertaking.get_absolute_url()})
    return markers


class UndertakingListView(RestrictedListView):
    """The joint undertakings of LGUs, and where their LGUs are on a map."""

    model = JointUndertaking
    template_name = "newsroom/undertakings.html"
    context_object_name = "undertakings"

    def refine_queryset(self, queryset):
        return queryset.select_related("lead_lgu__province").prefetch_related("members")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        markers = undertaking_markers(context["undertakings"])
        context["map_data"] = {**map_settings(), "markers": markers,
                               "lead_label": _("lead LGU")} if markers else None
        context["may_create"] = is_staff(self.request.user) or bool(editable_lgu_ids(self.request.user))
        return context


class UndertakingDetailView(RestrictedDetailView):
    """One joint undertaking: its LGUs, purpose, shared practices and (for its LGUs) agreements."""

    model = JointUndertaking
    template_name = "newsroom/undertaking.html"
    context_object_name = "undertaking"

    def refine_queryset(self, queryset):
        return queryset.select_related("lead_lgu__province").prefetch_related("members__province")

    def get_context_data(self, **kwargs):
        undertaking = self.object
        markers = undertaking_markers([undertaking])
        may_change = self.restricted(JointUndertaking, "change").filter(pk=undertaking.pk).exists()
        lgus = undertaking.all_lgus()
        indicators = self.restricted(Indicator).filter(joint_undertakings=undertaking) \
            .select_related("numerator", "denominator")
        return super().get_context_data(
            practices=self.restricted(Practice).published().filter(joint_undertakings=undertaking)
            .select_related("lgu"),
            partner_lgus=lgus, shared_indicators=shared_values(indicators, lgus),
            agreements=self.restricted(Agreement).filter(undertaking=undertaking),
            may_change=may_change, agreement_form=AgreementForm() if may_change else None,
            map_data={**map_settings(), "markers": markers, "lead_label": _("lead LGU")} if markers else None,
            **kwargs)


class UndertakingFormView(RestrictedView):
    """Record a joint undertaking (an LGU's editors, as its lead) or change one (the lead's editors)."""

    model = JointUndertaking
    action = "change"
    template_name = "newsroom/undertaking_form.html"

    def _form(self, undertaking, data=None):
        user = self.request.user
        lgus = self.restricted(Lgu)
        leads = lgus if is_staff(user) else lgus.filter(pk__in=editable_lgu_ids(user))
        return UndertakingForm(data, instance=undertaking, choices={
            "lead_lgu": leads, "members": lgus, "practices": self.restricted(Practice).published(),
            "indicators": self.restricted(Indicator).filter(unit_level=AreaLevel.LGU)})

    def _undertaking(self, pk):
        if not self.request.user.is_authenticated:
            return None
        if pk is None:
            if not (is_staff(self.request.user) or editable_lgu_ids(self.request.user)):
                raise PermissionDenied
            return JointUndertaking()
        return get_object_or_404(self.restricted(), pk=pk)

    def get(self, request, pk=None):
        undertaking = self._undertaking(pk)
        if undertaking is None:
            return redirect_to_login(request.get_full_path())
        return render(request, self.template_name, {"form": self._form(undertaking), "undertaking": undertaking})

    def post(self, request, pk=None):
        undertaking = self._undertaking(pk)
        if undertaking is None:
            return redirect_to_login(request.get_full_path())
        form = self._form(undertaking, request.POST)
        if form.is_valid():
            try:
                undertaking = services.save_undertaking(
                    form.instance, acting_user=request.user, members=form.cleaned_data["members"],
                    practices=form.cleaned_data["practices"], indicators=form.cleaned_data["indicators"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The joint undertaking was saved."))
                return redirect(undertaking)
        return render(request, self.template_name, {"form": form, "undertaking": undertaking}, status=400)


class AgreementAddView(RestrictedView):
    """Attach a signed agreement (the lead LGU's editors)."""

    model = JointUndertaking
    action = "change"

    def post(self, request, pk):
        undertaking = get_object_or_404(self.restricted(), pk=pk)
        form = AgreementForm(request.POST, request.FILES, instance=Agreement(undertaking=undertaking))
        if form.is_valid():
            try:
                services.add_agreement(form.instance, acting_user=request.user)
                messages.success(request, _("The agreement was added."))
            except ValidationError as error:
                _refused(request, error)
        else:
            messages.error(request, " ".join(f"{form.fields[name].label if name in form.fields else ''}: {' '.join(errors)}"
                                             for name, errors in form.errors.items()))
        return redirect(undertaking)


class AgreementFileView(RestrictedView):
    """An agreement's document, for the editors of the undertaking's LGUs and league staff."""

    model = Agreement

    def get(self, request, pk):
        agreement = get_object_or_404(self.restricted(), pk=pk)
        if not agreement.file:
            raise Http404
        return serve_file(agreement.file)
