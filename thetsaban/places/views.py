from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from thetsaban.places.models import Lgu, Province, Region


class LguListView(ListView):
    template_name = "places/lgu_list.html"
    paginate_by = 50

    def get_queryset(self):
        return Lgu.objects.restrict(self.request.user, "view").with_place()


class LguDetailView(DetailView):
    template_name = "places/lgu_detail.html"
    context_object_name = "lgu"

    def get_object(self):
        return get_object_or_404(Lgu.objects.restrict(self.request.user, "view").with_place(),
                                 code=self.kwargs["code"])


class RegionDetailView(DetailView):
    template_name = "places/region_detail.html"
    context_object_name = "region"

    def get_object(self):
        return get_object_or_404(Region.objects.restrict(self.request.user, "view"),
                                 code=self.kwargs["code"])


class ProvinceDetailView(DetailView):
    template_name = "places/province_detail.html"
    context_object_name = "province"

    def get_object(self):
        return get_object_or_404(Province.objects.restrict(self.request.user, "view"),
                                 code=self.kwargs["code"])
