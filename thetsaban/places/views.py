from django.conf import settings
from django.contrib.auth.mixins import UserPassesTestMixin
from django.db.models import Count
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.generic import FormView

from thetsaban import hooks
from thetsaban.filtering import StablePaginator
from thetsaban.permissions import is_staff
from thetsaban.places.filters import LguFilterSet
from thetsaban.places.forms import LguImportForm
from thetsaban.places.models import Lgu, Province, Region
from thetsaban.places.services import import_lgus
from thetsaban.restricted import RestrictedDetailView, RestrictedListView
from thetsaban.sorting import Sorting
from thetsaban.tabular import ImportRejected


class LguListView(RestrictedListView):
    """All LGUs, filtered by region, province, type and name."""

    model = Lgu
    template_name = "places/lgu_list.html"
    context_object_name = "lgus"
    paginate_by = 50
    paginator_class = StablePaginator
    # Sortable columns (?sort=province, ?sort=-name …), names in Thai dictionary order.
    SORT_COLUMNS = {
        "name": ("sort_name", "code"),
        "type": ("lgu_type", "sort_name", "code"),
        "province": ("province__sort_name", "sort_name", "code"),
        "region": ("province__region__sort_name", "province__sort_name", "sort_name", "code"),
    }

    def refine_queryset(self, queryset):
        queryset = queryset.with_place()
        self.filterset = LguFilterSet(self.request.GET or None, queryset=queryset,
                                      request=self.request)
        self.sorting = Sorting.from_request(self.request, self.SORT_COLUMNS)
        return self.sorting.order(self.filterset.qs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(filterset=self.filterset, sorting=self.sorting, **kwargs)


class LguDetailView(RestrictedDetailView):
    """One LGU: its facts, its place on the map and its published practices."""

    model = Lgu
    slug_field = slug_url_kwarg = "code"
    template_name = "places/lgu_detail.html"
    context_object_name = "lgu"

    def refine_queryset(self, queryset):
        return queryset.with_place()

    def get_context_data(self, **kwargs):
        # An LGU's page lists its published practices (a reasoned exception in .importlinter).
        from thetsaban.practices.models import Practice

        practices = (self.restricted(Practice).published()
                     .filter(lgu=self.object).prefetch_related("themes").order_by("sort_title"))
        return super().get_context_data(practices=practices, map_data=self.map_data(),
                                        sections=hooks.lgu_page_sections(self.object, self.request.user),
                                        **kwargs)

    def map_data(self) -> dict | None:
        lgu = self.object
        if not lgu.has_location:
            return None
        return {"lat": float(lgu.latitude), "lon": float(lgu.longitude), "name": lgu.name,
                "tiles": settings.MAP_TILES_URL, "icons": static("leaflet/images/"),
                # The default tiles are OpenStreetMap's, whose licence asks for this credit.
                "attribution": _("Map data © OpenStreetMap contributors")
                if "openstreetmap" in settings.MAP_TILES_URL else ""}


class RegionDetailView(RestrictedDetailView):
    """A region: its provinces with their LGU counts, and its learning centre."""

    model = Region
    slug_field = slug_url_kwarg = "code"
    template_name = "places/region_detail.html"
    context_object_name = "region"

    def refine_queryset(self, queryset):
        return queryset.select_related("country", "learning_centre", "learning_centre__host")

    def get_context_data(self, **kwargs):
        provinces = (self.restricted(Province).filter(region=self.object)
                     # Meta.ordering is not applied to aggregating queries, so it is repeated.
                     .annotate(lgu_count=Count("lgus")).order_by("sort_name"))
        lgu_count = self.restricted(Lgu).filter(province__region=self.object).count()
        centre = getattr(self.object, "learning_centre", None)
        return super().get_context_data(provinces=provinces, lgu_count=lgu_count,
                                        centre=centre, **kwargs)


class ProvinceDetailView(RestrictedDetailView):
    """A province and its LGUs."""

    model = Province
    slug_field = slug_url_kwarg = "code"
    template_name = "places/province_detail.html"
    context_object_name = "province"
    lgus_per_page = 100

    def refine_queryset(self, queryset):
        return queryset.select_related("region")

    def get_context_data(self, **kwargs):
        lgus = self.restricted(Lgu).filter(province=self.object)
        page = StablePaginator(lgus, self.lgus_per_page).get_page(self.request.GET.get("page"))
        return super().get_context_data(page_obj=page, lgus=page.object_list, **kwargs)


class LguImportView(UserPassesTestMixin, FormView):
    """Staff upload the national list of LGUs; every problem is shown, or what was imported."""

    template_name = "places/lgu_import.html"
    form_class = LguImportForm

    def test_func(self):
        return is_staff(self.request.user)

    def form_invalid(self, form):
        return render(self.request, self.template_name, self.get_context_data(form=form), status=400)

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        context = self.get_context_data(form=form)
        try:
            context["result"] = import_lgus(upload, acting_user=self.request.user,
                                            filename=upload.name)
        except ImportRejected as rejected:
            context["problems"] = rejected.problems
            return render(self.request, self.template_name, context, status=400)
        context["form"] = self.form_class()
        return render(self.request, self.template_name, context)
