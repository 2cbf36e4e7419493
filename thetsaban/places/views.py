from django.conf import settings
from django.contrib.auth.mixins import UserPassesTestMixin
from django.db.models import Count
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, ListView

from thetsaban.filtering import StablePaginator
from thetsaban.permissions import is_staff
from thetsaban.places.filters import LguFilterSet
from thetsaban.places.forms import LguImportForm
from thetsaban.places.models import Lgu, Province, Region
from thetsaban.places.services import import_lgus
from thetsaban.sorting import Sorting
from thetsaban.tabular import ImportRejected


class LguListView(ListView):
    """All LGUs, filtered by region, province, type and name."""

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

    def get_queryset(self):
        queryset = Lgu.objects.restrict(self.request.user, "view").with_place()
        self.filterset = LguFilterSet(self.request.GET or None, queryset=queryset,
                                      request=self.request)
        self.sorting = Sorting.from_request(self.request, self.SORT_COLUMNS)
        return self.sorting.order(self.filterset.qs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(filterset=self.filterset, sorting=self.sorting, **kwargs)


class LguDetailView(DetailView):
    """One LGU: its facts, its place on the map and its published practices."""

    template_name = "places/lgu_detail.html"
    context_object_name = "lgu"

    def get_object(self):
        return get_object_or_404(Lgu.objects.restrict(self.request.user, "view").with_place(),
                                 code=self.kwargs["code"])

    def get_context_data(self, **kwargs):
        from thetsaban.practices.models import Practice

        practices = (Practice.objects.restrict(self.request.user, "view").published()
                     .filter(lgu=self.object).prefetch_related("themes").order_by("sort_title"))
        return super().get_context_data(practices=practices, map_data=self.map_data(), **kwargs)

    def map_data(self) -> dict | None:
        lgu = self.object
        if not lgu.has_location:
            return None
        return {"lat": float(lgu.latitude), "lon": float(lgu.longitude), "name": lgu.name,
                "tiles": settings.MAP_TILES_URL, "icons": static("leaflet/images/"),
                # The default tiles are OpenStreetMap's, whose licence asks for this credit.
                "attribution": _("Map data © OpenStreetMap contributors")
                if "openstreetmap" in settings.MAP_TILES_URL else ""}


class RegionDetailView(DetailView):
    """A region: its provinces with their LGU counts, and its learning centre."""

    template_name = "places/region_detail.html"
    context_object_name = "region"

    def get_object(self):
        return get_object_or_404(
            Region.objects.restrict(self.request.user, "view").select_related(
                "country", "learning_centre", "learning_centre__host"),
            code=self.kwargs["code"])

    def get_context_data(self, **kwargs):
        user = self.request.user
        provinces = (Province.objects.restrict(user, "view").filter(region=self.object)
                     # Meta.ordering is not applied to aggregating queries, so it is repeated.
                     .annotate(lgu_count=Count("lgus")).order_by("sort_name"))
        lgu_count = Lgu.objects.restrict(user, "view").filter(province__region=self.object).count()
        centre = getattr(self.object, "learning_centre", None)
        return super().get_context_data(provinces=provinces, lgu_count=lgu_count,
                                        centre=centre, **kwargs)


class ProvinceDetailView(DetailView):
    """A province and its LGUs."""

    template_name = "places/province_detail.html"
    context_object_name = "province"
    lgus_per_page = 100

    def get_object(self):
        return get_object_or_404(
            Province.objects.restrict(self.request.user, "view").select_related("region"),
            code=self.kwargs["code"])

    def get_context_data(self, **kwargs):
        lgus = Lgu.objects.restrict(self.request.user, "view").filter(province=self.object)
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
