"""Pages of the registries that count themselves: community groups, community forests, water
sources and waste facilities, each with its chart, its records and the indicators it keeps."""

from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView

from thetsaban import thai
from thetsaban.localdata import charts, periods, rollups, services
from thetsaban.localdata.choices import IndicatorKind, Registry, RegistryStatus
from thetsaban.localdata.forms import REGISTRY_FORMS
from thetsaban.localdata.models import REGISTRY_MODELS, Indicator, is_steward
from thetsaban.permissions import editable_lgu_ids
from thetsaban.restricted import RestrictedDetailView, RestrictedListView, RestrictedUpdateView

PAGE_SIZE = 50


def _registry_indicators(user, registry):
    return Indicator.objects.restrict(user, "view").filter(kind=IndicatorKind.REGISTRY, registry=registry)


def _may_add(user) -> bool:
    return bool(user.is_authenticated and (is_steward(user) or editable_lgu_ids(user)))


def registry_index(request):
    """The four registries with their totals of active records and the indicators they keep."""
    year = periods.parse(str(timezone.localdate().year))
    rows = []
    for registry, model in REGISTRY_MODELS.items():
        records = model.objects.restrict(request.user, "view")
        summary = records.aggregate(total=Count("pk"), active=Count("pk", filter=Q(status=RegistryStatus.ACTIVE)))
        indicators = [(indicator, rollups.stored_or_live(indicator, year))
                      for indicator in _registry_indicators(request.user, registry)]
        rows.append({"registry": registry, "label": Registry(registry).label, "summary": summary,
                     "indicators": indicators})
    return render(request, "localdata/registry_index.html", {
        "rows": rows, "year": year.label(get_language() != "en"), "may_add": _may_add(request.user)})


class RegistryMixin:
    """The registry of the page's model (each registry has its own routes)."""

    @property
    def registry(self) -> str:
        return self.model.REGISTRY

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(registry=self.registry, registry_label=Registry(self.registry).label,
                       verbose_name=self.model._meta.verbose_name, measure_label=self.model.MEASURE[1]
                       if self.model.MEASURE else "", type_choices=self.model.type_choices(),
                       may_add=_may_add(self.request.user))
        return context


class RegistryListView(RegistryMixin, RestrictedListView):
    """A registry's records with filters (LGU, province, type, status, name) and charts of the
    active records by type and by province."""

    template_name = "localdata/registry_list.html"
    paginate_by = PAGE_SIZE

    def refine_queryset(self, queryset):
        queryset = queryset.select_related("lgu", "province", "subdistrict")
        get = self.request.GET
        if get.get("lgu"):
            queryset = queryset.filter(lgu__code=get["lgu"].strip())
        if get.get("province"):
            queryset = queryset.filter(province__code=get["province"].strip())
        if get.get("type") and self.model.TYPE_FIELD:
            queryset = queryset.filter(**{self.model.TYPE_FIELD: get["type"]})
        if get.get("status") in RegistryStatus.values:
            queryset = queryset.filter(status=get["status"])
        if get.get("example") in ("true", "false"):
            queryset = queryset.filter(is_example=get["example"] == "true")
        if get.get("q"):
            queryset = queryset.filter(Q(name_th__icontains=thai.clean(get["q"])) | Q(name_en__icontains=get["q"]))
        return queryset.order_by("province__sort_name", "name_th", "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filtered = self.object_list.filter(status=RegistryStatus.ACTIVE).order_by()
        measure = self.model.MEASURE[0] if self.model.MEASURE else None
        context["totals"] = filtered.aggregate(active=Count("pk"), **({"measure": Sum(measure)} if measure else {}))
        if self.model.TYPE_FIELD:
            labels = dict(self.model.type_choices())
            by_type = filtered.values_list(self.model.TYPE_FIELD).annotate(n=Count("pk")).order_by("-n")
            context["by_type"] = charts.bars([SimpleNamespace(name=str(labels.get(t, t)), value=n)
                                              for t, n in by_type])
        by_province = filtered.values_list("province__name_th").annotate(n=Count("pk")).order_by("-n")[:20]
        context["by_province"] = charts.bars([SimpleNamespace(name=name, value=n) for name, n in by_province])
        context["indicators"] = _registry_indicators(self.request.user, self.registry)
        context["statuses"] = RegistryStatus.choices
        context["filters"] = self.request.GET
        return context


class RegistryDetailView(RegistryMixin, RestrictedDetailView):
    """One record: where it is, its figures, and a contact person only with their consent."""

    template_name = "localdata/registry_detail.html"
    context_object_name = "entry"

    def refine_queryset(self, queryset):
        return queryset.select_related("lgu", "province", "subdistrict__district")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        entry = self.object
        context["contact"] = entry.public_contact(self.request.user) if hasattr(entry, "public_contact") else None
        context["may_change"] = type(entry).objects.restrict(self.request.user, "change").filter(pk=entry.pk).exists()
        context["fields"] = [(entry._meta.get_field(name).verbose_name, getattr(entry, name))
                             for name in entry.SUMMABLE]
        return context


class RegistryFormMixin(RegistryMixin):
    template_name = "localdata/registry_form.html"

    def get_form_class(self):
        return REGISTRY_FORMS[self.registry]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        try:
            entry = services.save_registry_record(form.instance, acting_user=self.request.user)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved. The registry's indicators are counted again."))
        return redirect(entry.get_absolute_url())


class RegistryCreateView(LoginRequiredMixin, RegistryFormMixin, FormView):
    """Add a record: an LGU's editors for their LGU, data stewards anywhere."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not _may_add(request.user):
            raise PermissionDenied(_("Only LGU editors and data stewards add registry records."))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.model()
        return kwargs


class RegistryUpdateView(LoginRequiredMixin, RegistryFormMixin, RestrictedUpdateView):
    """Change a record the user may change (404 otherwise)."""


class RegistryDeleteView(LoginRequiredMixin, RegistryMixin, View):
    """Remove a record (POST), counted out of its registry's indicators."""

    model = None

    def post(self, request, pk, **kwargs):
        entry = self.model.objects.restrict(request.user, "delete").filter(pk=pk).first()
        if entry is None:
            raise Http404
        services.delete_registry_record(entry, acting_user=request.user)
        messages.success(request, _("Removed. The registry's indicators are counted again."))
        return redirect("localdata:registry", registry=self.registry)


def views_for(model) -> dict:
    """The page classes of one registry (each names its model, as the view-style test expects)."""
    bases = {"list": RegistryListView, "add": RegistryCreateView, "detail": RegistryDetailView,
             "edit": RegistryUpdateView, "delete": RegistryDeleteView}
    return {name: type(f"{model.__name__}{base.__name__.removeprefix('Registry')}", (base,),
                       {"model": model, "__module__": __name__, "__doc__": base.__doc__})
            for name, base in bases.items()}
