"""Pages of the local data hub: indicators with their roll-ups, areas, data entry, review,
imports, the entry status of an LGU, and datasets."""


import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db.models import Avg, Count, Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from thetsaban import tabular
from thetsaban.jobs import services as jobs
from thetsaban.jobs.choices import JobStatus
from thetsaban.localdata import charts, ckan, periods, rollups, services
from thetsaban.localdata.choices import AreaLevel, ObservationStatus, Theme
from thetsaban.localdata.forms import ObservationImportForm, ReviewForm
from thetsaban.localdata.models import (
    Dataset,
    District,
    Indicator,
    Observation,
    Subdistrict,
    is_steward,
)
from thetsaban.localdata.quality import score
from thetsaban.places.models import Lgu, Province, Region
from thetsaban.restricted import RestrictedView
from thetsaban.storage import serve_file

LEVELS = (AreaLevel.REGION, AreaLevel.PROVINCE, AreaLevel.LGU)


def _thai() -> bool:
    return get_language() != "en"


def _edge_figure(indicator, *, newest: bool):
    """(period start, period code, period end) of the oldest or newest approved total figure of
    an indicator (of its numerator or denominator when calculated), or None.

    Totals (category "") only, as the pages show: each part is then one seek at an end of the
    covering roll-up index (indicator, status, category, period_start, ...) instead of reading
    every approved figure of the indicator (78,500 of them at national size) to sort them."""
    found = []
    for part in _parts(indicator):
        figures = Observation.objects.approved().filter(indicator=part, category="")  # read by hand: approved figures only, which are public
        figures = figures.order_by("-period_start" if newest else "period_start")
        edge = figures.values_list("period_start", "period", "period_end").first()
        if edge is not None:
            found.append(edge)
    if not found:
        return None
    return max(found) if newest else min(found)


def _latest_period(indicator) -> periods.Period | None:
    last = _edge_figure(indicator, newest=True)
    if last is None:
        return None
    period = periods.parse(last[1])
    if period.type != indicator.period_type:
        return None
    return period


class IndicatorPage(RestrictedView):
    """A page over the indicators the user may see."""

    model = Indicator


class IndicatorList(IndicatorPage):
    """Indicators by theme, each with its national value for its latest period."""

    def get(self, request):
        indicators = list(self.restricted())
        rows = []
        for indicator in indicators:
            period = _latest_period(indicator)
            national = rollups.stored_or_live(indicator, period) if period else None
            rows.append({"indicator": indicator, "period": period.label(_thai()) if period else "", "national": national})
        themes = [(label, [r for r in rows if r["indicator"].theme == value]) for value, label in Theme.choices]
        return render(request, "localdata/indicator_list.html", {"themes": [t for t in themes if t[1]],
                                                                 "steward": is_steward(request.user)})


def _scope(request):
    """(level of the areas compared, within) from ?level=&region=&province=."""
    level = request.GET.get("level", AreaLevel.REGION)
    if level not in LEVELS:
        level = AreaLevel.REGION
    within = None
    if request.GET.get("province"):
        province = Province.objects.filter(code=request.GET["province"]).first()  # read by hand: areas are public reference data
        if province:
            within, level = (AreaLevel.PROVINCE, province.pk), AreaLevel.LGU
    elif request.GET.get("region"):
        region = Region.objects.filter(code=request.GET["region"]).first()  # read by hand: areas are public reference data
        if region:
            within = (AreaLevel.REGION, region.pk)
            if level == AreaLevel.REGION:
                level = AreaLevel.PROVINCE
    return level, within


def _period_choices(indicator):
    first, last = _edge_figure(indicator, newest=False), _edge_figure(indicator, newest=True)
    if first is None:
        return []
    return periods.periods_in(indicator.period_type, first[2].year, last[2].year)


def _parts(indicator):
    return [indicator.numerator, indicator.denominator] if indicator.is_calculated else [indicator]


def _comparison(request, indicator):
    period_list = _period_choices(indicator)
    period = None
    if request.GET.get("period"):
        try:
            period = periods.parse(request.GET["period"])
        except periods.PeriodError as error:
            messages.error(request, str(error))
    period = period or (period_list[-1] if period_list else None)
    level, within = _scope(request)
    rows = rollups.rollup(indicator, period, level, within=within) if period else []
    return period_list, period, level, within, rows


class IndicatorDetail(IndicatorPage):
    """An indicator: its definition, national time series, areas compared, map, completeness."""

    def get(self, request, code):
        indicator = get_object_or_404(self.restricted(), code=code)
        period_list, period, level, within, rows = _comparison(request, indicator)
        thai = _thai()
        scope_level, scope_key = (within if within else (AreaLevel.NATION, rollups.NATION))
        series = rollups.series(indicator, period_list[-12:], scope_level, scope_key)
        total = rollups.value_for(indicator, period, scope_level, scope_key) if period else None
        provenance = rollups.provenance(indicator, period, within=within) if period else None
        map_points = _map_points(rows, level)
        query = request.GET.copy()
        return render(request, "localdata/indicator_detail.html", {
            "indicator": indicator, "period": period, "period_label": period.label(thai) if period else "",
            "periods": [(p.code, p.label(thai)) for p in reversed(period_list)], "level": level, "rows": rows,
            "bars": charts.bars(rows), "line": charts.line([(p.label(thai), v.value) for p, v in series]),
            "total": total, "provenance": provenance, "map_points": map_points, "MAP_TILES_URL": settings.MAP_TILES_URL,
            "regions": Region.objects.order_by("sort_name"), "query": query.urlencode(),  # read by hand: areas are public reference data
            "within_name": _within_name(within)})


def _within_name(within):
    if not within:
        return _("Thailand")
    model = Region if within[0] == AreaLevel.REGION else Province
    return str(model.objects.get(pk=within[1]))


def _map_points(rows, level) -> list:
    """Circles at the areas' centroids: an LGU's location, or the middle of an area's LGUs."""
    if level == AreaLevel.LGU:
        lgus = {f"lgu:{pk}": (lat, lon) for pk, lat, lon in Lgu.objects.filter(  # read by hand: LGU locations are public reference data (map)
            latitude__isnull=False).values_list("pk", "latitude", "longitude")}
        where = lambda row: lgus.get(row.key)  # noqa: E731
    else:
        column = "province__region_id" if level == AreaLevel.REGION else "province_id"
        centres = {key: (lat, lon) for key, lat, lon in Lgu.objects.filter(latitude__isnull=False).values(  # read by hand: LGU locations are public reference data (map)
            column).annotate(lat=Avg("latitude"), lon=Avg("longitude")).values_list(column, "lat", "lon")}
        where = lambda row: centres.get(row.key)  # noqa: E731
    points = []
    for row in rows:
        place = where(row)
        if place and row.value is not None:
            points.append({"name": row.name, "lat": float(place[0]), "lng": float(place[1]),
                           "value": float(row.value), "label": charts._number(row.value),
                           "reported": row.reported, "expected": row.expected})
    return points


class IndicatorDownload(IndicatorPage):
    """The areas compared on the indicator page, as CSV or XLSX."""

    def get(self, request, code):
        indicator = get_object_or_404(self.restricted(), code=code)
        _period_list, period, level, _within, rows = _comparison(request, indicator)
        header = [_("area code"), _("area"), _("period"), _("value"), _("units reported"), _("units expected")]
        if indicator.is_calculated:
            header += [_("numerator"), _("denominator")]
        table = [header]
        for row in rows:
            line = [row.code, row.name, period.code if period else "", row.value, row.reported, row.expected]
            if indicator.is_calculated:
                line += [row.numerator, row.denominator]
            table.append(line)
        name = f"{indicator.code}-{period.code if period else 'none'}-{level}"
        if request.GET.get("format") == "xlsx":
            response = HttpResponse(tabular.write_xlsx(table, sheet_title=indicator.code),
                                    content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
            return response
        response = HttpResponse(tabular.write_csv(table), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response


class AreaDetail(IndicatorPage):
    """An area's profile: every indicator's latest value there, by theme, with completeness."""

    def get(self, request, level, code):
        if level == "nation":
            area, scope = None, (AreaLevel.NATION, rollups.NATION)
        elif level == "region":
            area = get_object_or_404(Region, code=code)  # read by hand: areas are public reference data
            scope = (AreaLevel.REGION, area.pk)
        elif level == "province":
            area = get_object_or_404(Province, code=code)  # read by hand: areas are public reference data
            scope = (AreaLevel.PROVINCE, area.pk)
        elif level == "district":
            area = get_object_or_404(District, code=code)  # read by hand: areas are public reference data
            scope = (AreaLevel.DISTRICT, area.pk)
        elif level == "subdistrict":
            area = get_object_or_404(Subdistrict, code=code)  # read by hand: areas are public reference data
            scope = (AreaLevel.SUBDISTRICT, area.pk)
        elif level == "lgu":
            area = get_object_or_404(self.restricted(Lgu), code=code)
            scope = (AreaLevel.LGU, area.pk)
        else:
            raise Http404
        rows = []
        for indicator in self.restricted():
            period = _latest_period(indicator)
            if period is None:
                continue
            rows.append({"indicator": indicator, "period": period.label(_thai()),
                         "value": rollups.value_for(indicator, period, *scope)})
        themes = [(label, [r for r in rows if r["indicator"].theme == value]) for value, label in Theme.choices]
        children = []
        if level == "province":
            children = District.objects.filter(province=area).order_by("code")  # read by hand: areas are public reference data
        elif level == "district":
            children = area.subdistricts.order_by("code")
        elif level == "lgu":
            children = Subdistrict.objects.filter(lgu_coverage__lgu=area).order_by("code")  # read by hand: areas are public reference data
        return render(request, "localdata/area_detail.html", {
            "area": area, "level": level, "themes": [t for t in themes if t[1]], "children": children,
            "can_enter": level == "lgu" and services.can_enter(request.user, area)})


def _entry_period(request, lgu):
    text = request.GET.get("period") or request.POST.get("period") or ""
    if not text:
        return None
    try:
        return periods.parse(text)
    except periods.PeriodError as error:
        messages.error(request, str(error))
        return None


class EntryView(LoginRequiredMixin, RestrictedView):
    """The data-entry grid of one LGU and period: one box per indicator (and category)."""

    def setup_grid(self, request, code):
        self.lgu = get_object_or_404(self.restricted(Lgu), code=code)
        if not services.can_enter(request.user, self.lgu):
            raise PermissionDenied(_("You may enter figures only for your own LGU."))
        self.period = _entry_period(request, self.lgu)
        indicators = self.restricted(Indicator).filter(kind="entered").prefetch_related(
            "disaggregations__options")
        if self.period:
            indicators = indicators.filter(period_type=self.period.type)
        existing = {}
        if self.period:
            for obs in self.restricted(Observation).filter(lgu=self.lgu, period=self.period.code):
                existing[(obs.indicator_id, obs.category)] = obs
        self.cells = []
        for indicator in indicators:
            keys = [""] + sorted(f"{d.code}:{o.code}" for d in indicator.disaggregations.all() for o in d.options.all())
            for category in keys:
                obs = existing.get((indicator.pk, category))
                self.cells.append({"indicator": indicator, "category": category, "obs": obs,
                                   "field": f"v-{indicator.pk}-{category}",
                                   "locked": obs is not None and obs.status == ObservationStatus.APPROVED
                                   and not is_steward(request.user)})

    def render_grid(self, request, errors=None):
        return render(request, "localdata/entry.html", {
            "lgu": self.lgu, "period": self.period, "cells": self.cells, "errors": errors or {},
            "period_label": self.period.label(_thai()) if self.period else "",
            "drafts": sum(1 for c in self.cells if c["obs"] and c["obs"].status == ObservationStatus.DRAFT)})

    def get(self, request, code):
        self.setup_grid(request, code)
        return self.render_grid(request)

    def post(self, request, code):
        self.setup_grid(request, code)
        if self.period is None:
            return self.render_grid(request)
        if "submit" in request.POST:
            drafts = [c["obs"] for c in self.cells if c["obs"] and c["obs"].status == ObservationStatus.DRAFT]
            count = services.submit(drafts, acting_user=request.user)
            messages.success(request, _("%(count)s figures sent to the data stewards.") % {"count": count})
            return redirect(f"{request.path}?period={self.period.code}")
        errors, saved = {}, 0
        for cell in self.cells:
            raw = request.POST.get(cell["field"], "").strip()
            if cell["locked"] or raw == "":
                continue
            try:
                value = tabular.parse_decimal(raw.replace(",", ""), places=4)
            except tabular.CellError as error:
                errors[cell["field"]] = str(error)
                continue
            if cell["obs"] is not None and cell["obs"].value == value:
                continue
            try:
                services.save_observation(indicator=cell["indicator"], period=self.period.code, value=value,
                                          category=cell["category"], lgu=self.lgu, acting_user=request.user)
                saved += 1
            except ValidationError as error:
                errors[cell["field"]] = "; ".join(error.messages)
        if errors:
            messages.error(request, _("Some figures were not saved; see the boxes marked below."))
            self.setup_grid(request, code)
            return self.render_grid(request, errors)
        messages.success(request, _("%(count)s figures saved as drafts.") % {"count": saved})
        return redirect(f"{request.path}?period={self.period.code}")


class EntryStatus(RestrictedView):
    """Public: how far an LGU's figures for a period are (entered, submitted, approved)."""

    model = Lgu

    def get(self, request, code):
        lgu = get_object_or_404(self.restricted(), code=code)
        period = _entry_period(request, lgu)
        rows = []
        if period:
            counts = {(r["indicator_id"], r["status"]): r["n"] for r in Observation.objects.filter(  # read by hand: counts per status only, for the public data-entry status page
                lgu=lgu, period=period.code).values("indicator_id", "status").annotate(n=Count("pk"))}
            for indicator in Indicator.objects.filter(kind="entered", period_type=period.type):  # read by hand: indicator definitions are public
                rows.append({"indicator": indicator, **{s: counts.get((indicator.pk, s), 0) for s in ObservationStatus.values}})
        return render(request, "localdata/status.html", {"lgu": lgu, "period": period, "rows": rows,
                                                         "period_label": period.label(_thai()) if period else ""})


class ReviewView(LoginRequiredMixin, RestrictedView):
    """Data stewards: submitted figures to approve (not one's own) or return."""

    def queryset(self, request):
        if not is_steward(request.user):
            raise PermissionDenied(_("Only data stewards review figures."))
        return (self.restricted(Observation).filter(status=ObservationStatus.SUBMITTED)
                .select_related("indicator", "lgu", "subdistrict", "entered_by").order_by("lgu__code", "indicator__code", "period"))

    def get(self, request):
        observations = self.queryset(request)[:500]
        return render(request, "localdata/review.html", {"observations": observations, "form": ReviewForm()})

    def post(self, request):
        chosen = list(self.queryset(request).filter(pk__in=[v for v in request.POST.getlist("obs") if v.isdigit()]))
        if not chosen:
            messages.error(request, _("Choose the figures first."))
            return redirect("localdata:review")
        if "return" in request.POST:
            form = ReviewForm(request.POST)
            comment = form.data.get("comment", "").strip()
            if not comment:
                messages.error(request, _("Say why the figures go back to the LGU."))
                return redirect("localdata:review")
            count = services.return_to_draft(chosen, acting_user=request.user, comment=comment)
            messages.success(request, _("%(count)s figures returned.") % {"count": count})
        else:
            try:
                count = services.approve(chosen, acting_user=request.user)
            except PermissionDenied as error:
                messages.error(request, str(error))
                return redirect("localdata:review")
            messages.success(request, _("%(count)s figures approved.") % {"count": count})
        return redirect("localdata:review")


class ImportView(LoginRequiredMixin, RestrictedView):
    """Import figures from a spreadsheet (an LGU's editors for their LGU, stewards for any)."""

    def check(self, request):
        if not (is_steward(request.user) or request.user.lgu_memberships.exists()):
            raise PermissionDenied(_("Only LGU editors and data stewards import figures."))

    def get(self, request):
        self.check(request)
        return render(request, "localdata/import.html", {"form": ObservationImportForm()})

    def post(self, request):
        self.check(request)
        form = ObservationImportForm(request.POST, request.FILES)
        problems, result = [], None
        if form.is_valid():
            # A background job imports the file (thetsaban/localdata/jobs.py); its page follows a
            # large import. When the job has already finished (the immediate queue), the result
            # or the refused rows are shown here.
            upload = form.cleaned_data["file"]
            name = f"imports/{uuid.uuid4().hex}{Path(upload.name).suffix.lower()[:8]}"
            job = jobs.start("localdata.import", started_by=request.user,
                             path=default_storage.save(name, upload), filename=upload.name)
            if not job.finished:
                return redirect(job.get_absolute_url())
            if job.status == JobStatus.SUCCEEDED:
                result = job.result
            else:
                problems = [tabular.Problem(e["message"], e["row"], e["field"]) for e in job.row_errors] \
                    or [tabular.Problem(job.error)]
        return render(request, "localdata/import.html", {"form": form, "problems": problems, "result": result},
                      status=200 if not problems and form.is_valid() else 400)


class DatasetPage(RestrictedView):
    """A page over the datasets the user may see."""

    model = Dataset


class DatasetList(DatasetPage):
    """The active datasets the user may see, searched like CKAN's package_search, with facets."""

    def get(self, request):
        queryset = self.restricted().active().select_related("owner_org")
        q = request.GET.get("q", "")
        try:
            count, page, facets = ckan.search(queryset, q=q, rows=50, facet_fields=["groups", "data_category"])
        except ckan.SearchQueryError:
            count, page, facets = 0, [], {}
        return render(request, "localdata/dataset_list.html", {"datasets": page, "count": count, "q": q, "facets": facets})


class DatasetDetail(DatasetPage):
    """One dataset with its resources, tags, groups and its quality score."""

    def get(self, request, name):
        dataset = get_object_or_404(self.restricted().active()
                                    .select_related("owner_org", "indicator").prefetch_related("tags", "groups", "resources"),
                                    name=name)
        return render(request, "localdata/dataset_detail.html", {"dataset": dataset, "quality": score(dataset)})


class ResourceFile(DatasetPage):
    """A dataset's uploaded file, for whoever may see the dataset (a private dataset's only for
    its organisation); from the object store, a short-lived signed link."""

    def get(self, request, name, resource_id):
        dataset = get_object_or_404(self.restricted().active(), name=name)
        resource = get_object_or_404(dataset.resources.exclude(upload=""), pk=resource_id)
        return serve_file(resource.upload)


class Extract(DatasetPage):
    """A live extract of a dataset's indicator: its approved figures as CSV or JSON."""

    def get(self, request, name, resource_id):
        dataset = get_object_or_404(self.restricted().active(), name=name)
        resource = get_object_or_404(dataset.resources, pk=resource_id)
        observations = (Observation.objects.approved().filter(Q(dataset=dataset) | Q(indicator=dataset.indicator)  # read by hand: approved figures only, which are public
                                                              if dataset.indicator_id else Q(dataset=dataset))
                        .select_related("indicator", "lgu", "subdistrict").order_by("indicator__code", "period_start", "unit_key"))
        rows = [{"indicator": o.indicator.code, "lgu": o.lgu.code if o.lgu_id else "",
                 "subdistrict": o.subdistrict.code if o.subdistrict_id else "", "period": o.period,
                 "category": o.category, "value": o.value, "example": o.is_example} for o in observations.iterator()]
        # The value stays a number: a string in JSON (DjangoJSONEncoder, exact), and in the CSV not
        # taken for text, so a negative value is not quoted as if it were a formula.
        if resource.kind == "extract_json":
            return JsonResponse({"dataset": dataset.name, "observations": rows}, json_dumps_params={"ensure_ascii": False})
        header = ["indicator", "lgu", "subdistrict", "period", "category", "value", "example"]
        body = tabular.write_csv([header] + [[r[h] for h in header] for r in rows])
        return HttpResponse(body, content_type="text/csv; charset=utf-8")
