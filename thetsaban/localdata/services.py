"""Writes of the local data hub: areas, figures (entry, import, submission, approval), stewards
and the materialised roll-ups."""

import re
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from decimal import Decimal

import geothai
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from thetsaban import tabular, thai
from thetsaban.accounts.choices import AuditAction
from thetsaban.accounts.models import AuditEntry
from thetsaban.accounts.services import (
    audit_actor_ids,
    check_four_eyes,
    delete_audited,
    record,
    snapshot,
)
from thetsaban.jobs import services as jobs
from thetsaban.localdata import periods as period_codes
from thetsaban.localdata import registries
from thetsaban.localdata.choices import (
    AggregationType,
    AreaLevel,
    IndicatorKind,
    ObservationStatus,
    PeriodType,
    Registry,
    RegistryStatus,
    ValueType,
)
from thetsaban.localdata.models import (
    REGISTRY_MODELS,
    AnalyticsValue,
    CommunityGroup,
    DataSteward,
    District,
    Indicator,
    Observation,
    Subdistrict,
    is_steward,
)
from thetsaban.permissions import editable_lgu_ids, is_staff
from thetsaban.places.models import Lgu, Province

BATCH_SIZE = 2000


# -- areas ------------------------------------------------------------------------------------

@transaction.atomic
def load_areas() -> int:
    """Add the districts and subdistricts of the `geothai` package that are missing (bulk).

    Provinces come from the places app (its demo or import); areas of provinces not loaded are
    skipped. Names of existing codes are brought up to date. Returns how many rows were added."""
    provinces = dict(Province.objects.values_list("code", "pk"))
    existing_districts = dict(District.objects.values_list("code", "pk"))
    new_districts = []
    for province_code in provinces:
        for record_ in geothai.districts(province_code):
            if record_.code not in existing_districts:
                new_districts.append(District(code=record_.code, name_th=record_.name_th, name_en=record_.name_en,
                                              province_id=provinces[province_code]))
    District.objects.bulk_create(new_districts, batch_size=BATCH_SIZE)
    districts = dict(District.objects.values_list("code", "pk"))
    existing_subdistricts = set(Subdistrict.objects.values_list("code", flat=True))
    new_subdistricts = []
    for district_code, district_id in districts.items():
        for record_ in geothai.subdistricts(district_code):
            if record_.code not in existing_subdistricts:
                new_subdistricts.append(Subdistrict(
                    code=record_.code, name_th=record_.name_th, name_en=record_.name_en, district_id=district_id,
                    province_id=provinces[record_.province_code], postal_codes=" ".join(record_.postal_codes)))
    Subdistrict.objects.bulk_create(new_subdistricts, batch_size=BATCH_SIZE)
    return len(new_districts) + len(new_subdistricts)


# -- stewards ---------------------------------------------------------------------------------

@transaction.atomic
def grant_steward(user, *, acting_user) -> DataSteward:
    """Make `user` a data steward (staff, or a command: acting_user=None)."""
    if acting_user is not None and not is_staff(acting_user):
        raise PermissionDenied(_("Only league staff may appoint data stewards."))
    steward, created = DataSteward.objects.get_or_create(user=user)
    if created:
        record(steward, AuditAction.CREATE, acting_user=acting_user)
    return steward


# -- figures ----------------------------------------------------------------------------------

def _trusted(user) -> bool:
    """Data stewards, and a system process (acting_user=None: commands, the demo loader)."""
    return user is None or is_steward(user)


def can_enter(user, lgu) -> bool:
    """Whether `user` enters figures for `lgu`: its editors and data stewards."""
    return _trusted(user) or (lgu is not None and lgu.pk in editable_lgu_ids(user))


def _check_value(indicator: Indicator, value, category: str) -> None:
    if indicator.is_calculated:
        raise ValidationError({"indicator": _("%(code)s is calculated from other indicators; enter those "
                                              "instead.") % {"code": indicator.code}})
    if indicator.is_registry:
        raise ValidationError({"indicator": _("%(code)s is counted from the %(registry)s registry; change the "
                                              "registry instead.") % {"code": indicator.code,
                                                                      "registry": indicator.get_registry_display()}})
    if category and category not in indicator.category_keys():
        raise ValidationError({"category": _("%(category)s is not a disaggregation of %(code)s.")
                               % {"category": category, "code": indicator.code}})


@transaction.atomic
def save_observation(*, indicator: Indicator, period: str, value, acting_user, lgu=None, subdistrict=None,
                     category: str = "", comment: str = "", dataset=None) -> Observation:
    """Enter or correct one figure (a draft); approved figures are corrected only by a steward."""
    if lgu is not None and not can_enter(acting_user, lgu):
        raise PermissionDenied(_("You may enter figures only for your own LGU."))
    if subdistrict is not None and not _trusted(acting_user):
        raise PermissionDenied(_("Only data stewards enter figures for subdistricts."))
    _check_value(indicator, value, category)
    parsed = period_codes.parse(period)
    if parsed.type != indicator.period_type:
        raise ValidationError({"period": _("%(code)s is reported per %(type)s, not %(period)s.") % {
            "code": indicator.code, "type": indicator.get_period_type_display(), "period": parsed.code}})
    unit_key = f"lgu:{lgu.pk}" if lgu is not None else f"sub:{subdistrict.code}"
    obs = Observation.objects.select_for_update().filter(
        indicator=indicator, unit_key=unit_key, period=parsed.code, category=category).first()
    before = snapshot(obs) if obs else None
    if obs is None:
        obs = Observation(indicator=indicator, lgu=lgu, subdistrict=subdistrict, category=category)
    elif obs.status == ObservationStatus.APPROVED and not _trusted(acting_user):
        raise PermissionDenied(_("This figure is approved; ask a data steward to correct it."))
    obs.period, obs.period_type, obs.period_start, obs.period_end = (parsed.code, parsed.type, parsed.start,
                                                                      parsed.end)
    obs.value = value
    obs.comment = comment
    obs.dataset = dataset
    obs.entered_by = acting_user if acting_user is not None and acting_user.is_authenticated else None
    if obs.status == ObservationStatus.APPROVED:
        obs.status = ObservationStatus.DRAFT  # a corrected figure is approved again
        obs.approved_by = None
    obs.place_unit()
    obs.full_clean(exclude=["province", "region", "unit_key", "district"])
    obs.save()
    record(obs, AuditAction.UPDATE if before else AuditAction.CREATE, acting_user=acting_user, before=before)
    if before and before.get("status") == ObservationStatus.APPROVED:
        # The roll-ups are refreshed by a background job (thetsaban/localdata/jobs.py).
        jobs.start("localdata.refresh", started_by=acting_user, touched={str(indicator.pk): [parsed.code]})
    return obs


@transaction.atomic
def submit(observations, *, acting_user) -> int:
    """Send drafts to the data stewards; returns how many were submitted."""
    ids = [o.pk for o in observations]
    allowed = Observation.objects.restrict(acting_user, "submit").filter(pk__in=ids,
                                                                        status=ObservationStatus.DRAFT)
    rows = list(allowed.select_for_update())
    if len(rows) != len({o.pk for o in observations if o.status == ObservationStatus.DRAFT}):
        raise PermissionDenied(_("You may submit only your own LGU's draft figures."))
    for obs in rows:
        before = snapshot(obs)
        obs.status = ObservationStatus.SUBMITTED
        obs.save(update_fields=["status", "modified"])
        record(obs, AuditAction.SUBMIT, acting_user=acting_user, before=before)
    return len(rows)


@transaction.atomic
def approve(observations, *, acting_user) -> int:
    """Approve submitted figures (data stewards; never one's own entries: four eyes)."""
    if not is_steward(acting_user):
        raise PermissionDenied(_("Only data stewards approve figures."))
    rows = list(Observation.objects.select_for_update().select_related("indicator").filter(
        pk__in=[o.pk for o in observations], status=ObservationStatus.SUBMITTED))
    notes = {}
    for obs in rows:
        authors = {obs.entered_by_id} | audit_actor_ids(obs)
        notes[obs.pk] = check_four_eyes(acting_user, {a for a in authors if a})
    touched = {}
    for obs in rows:
        before = snapshot(obs)
        obs.status = ObservationStatus.APPROVED
        obs.approved_by = acting_user if acting_user is not None and acting_user.is_authenticated else None
        obs.save(update_fields=["status", "approved_by", "modified"])
        record(obs, AuditAction.PUBLISH, acting_user=acting_user, before=before, note=notes[obs.pk])
        touched.setdefault(obs.indicator_id, set()).add(obs.period)
    if touched:
        jobs.start("localdata.refresh", started_by=acting_user,
                   touched={str(pk): sorted(codes) for pk, codes in touched.items()})
    return len(rows)


@transaction.atomic
def return_to_draft(observations, *, acting_user, comment: str) -> int:
    """Send submitted figures back to the LGU with a comment (stewards)."""
    if not is_steward(acting_user):
        raise PermissionDenied(_("Only data stewards return figures."))
    rows = list(Observation.objects.select_for_update().filter(pk__in=[o.pk for o in observations],
                                                               status=ObservationStatus.SUBMITTED))
    for obs in rows:
        before = snapshot(obs)
        obs.status = ObservationStatus.DRAFT
        obs.comment = comment
        obs.save(update_fields=["status", "comment", "modified"])
        record(obs, AuditAction.RETURN, acting_user=acting_user, before=before, note=comment)
    return len(rows)


# -- import -----------------------------------------------------------------------------------

OBSERVATION_COLUMNS = [
    tabular.Column("indicator", required=True, aliases=("ตัวชี้วัด", "indicator_code", "รหัสตัวชี้วัด")),
    tabular.Column("lgu", aliases=("อปท.", "lgu_code", "รหัส อปท.", "รหัสอปท")),
    tabular.Column("subdistrict", aliases=("ตำบล", "subdistrict_code", "รหัสตำบล")),
    tabular.Column("period", required=True, aliases=("ช่วงเวลา", "ปี", "งวด")),
    tabular.Column("category", aliases=("กลุ่มย่อย", "disaggregation")),
    tabular.Column("value", required=True, aliases=("ค่า", "จำนวน")),
    tabular.Column("comment", aliases=("หมายเหตุ",)),
]


@dataclass
class ImportResult:
    """What an import of figures did."""

    rows: int
    created: int
    updated: int
    encoding: str
    ignored_columns: list[str] = field(default_factory=list)
    audit_entry: AuditEntry | None = None


def _stage(progress, total, description):
    return nullcontext(None) if progress is None else progress(total=total, desc=description)


def import_observations(source, *, acting_user, filename: str = "", progress=None, dataset=None,
                        status: str = ObservationStatus.DRAFT, is_example: bool = False,
                        max_bytes: int | None = None) -> ImportResult:
    """Import figures from CSV or XLSX (UTF-8, BOM or Windows-874), all rows or none.

    Periods may be Buddhist Era years, fiscal years (FY2569) and Thai digits. Every problem is
    named by row and column (ImportRejected); LGU editors may import only their own LGU's rows.
    Existing figures with the same key are updated unless approved (a steward's import updates
    those too and they go back to draft)."""
    table = tabular.read_table(source, OBSERVATION_COLUMNS, filename=filename, max_bytes=max_bytes)
    return import_rows(table.rows, acting_user=acting_user, filename=filename, progress=progress, dataset=dataset,
                       status=status, is_example=is_example, encoding=table.encoding,
                       ignored=table.ignored_columns)


def _importable(indicators: dict, raw: str) -> tuple:
    """(indicator or None, the problem or "") of an indicator cell, worked out once per code."""
    indicator = indicators.get(raw.strip().casefold())
    if indicator is None:
        return None, _("no indicator has the code '%(code)s'") % {"code": raw}
    if indicator.is_calculated:
        return None, _("%(code)s is calculated; import its numerator and denominator") % {"code": indicator.code}
    if indicator.is_registry:
        return None, (_("%(code)s is counted from the %(registry)s registry; change the registry instead")
                      % {"code": indicator.code, "registry": indicator.get_registry_display()})
    return indicator, ""


# A value written plainly (up to 15 digits, up to 4 decimals): read without the general parser.
PLAIN_NUMBER = re.compile(r"-?\d{1,15}(\.\d{1,4})?")
# A whole column of such values, one a line: checked in one pass instead of cell by cell.
_PLAIN_NUMBERS = re.compile(r"(?:-?\d{1,15}(?:\.\d{1,4})?\n)*")
# Rows checked between two progress updates.
CHECK_CHUNK = 10_000
# The columns of Observation an import writes, in the order _RowChecker builds them (unit and
# period expand to several columns each; modified is added when written).
_UNIT_COLUMNS = ("lgu_id", "subdistrict_id", "district_id", "province_id", "region_id", "unit_key")
_PERIOD_COLUMNS = ("period", "period_type", "period_start", "period_end")


class _RowChecker:
    """Checks rows of figures column by column: each distinct indicator, LGU, subdistrict, period
    and (indicator, period) or (indicator, category) pair is looked up once, plain values are
    recognised for the whole column at once, and only unusual cells are parsed one by one. Every
    problem is named by row and column, in the order of the rows and then of the columns."""

    def __init__(self, rows, acting_user):
        self.indicators = {i.code.casefold(): i for i in Indicator.objects.all()}
        self.lgus = {code.casefold(): (pk, province_id) for pk, code, province_id
                     in Lgu.objects.values_list("pk", "code", "province_id")}
        self.region_of = dict(Province.objects.values_list("pk", "region_id"))
        self.editable = editable_lgu_ids(acting_user)
        self.steward = _trusted(acting_user)
        columns = rows[0].values.keys() if rows else ()
        self.has_subdistrict = "subdistrict" in columns
        self.has_category = "category" in columns
        self.has_comment = "comment" in columns
        codes = {tabular._number_text(r.values["subdistrict"]) for r in rows if r.values["subdistrict"]} \
            if self.has_subdistrict else set()
        codes.discard("")
        self.subdistricts = {code: (pk, district_id, province_id) for pk, code, district_id, province_id
                             in Subdistrict.objects.filter(code__in=codes).values_list(
                                 "pk", "code", "district_id", "province_id")} if codes else {}
        self.indicator_of, self.unit_of, self.period_of, self.category_of = {}, {}, {}, {}
        self.period_fits = {}
        self.seen = {}
        self.problems = []  # (row number, column order, message, column)
        self.checked = []

    def _indicator(self, raw):
        return _importable(self.indicators, raw)

    def _unit(self, key):
        """((lgu, subdistrict, district, province, region, unit key) or None, problem, column)."""
        lgu_code, raw_sub = key
        lgu_code = lgu_code.strip()
        sub_code = tabular._number_text(raw_sub) if raw_sub else ""
        if bool(lgu_code) == bool(sub_code):
            return None, _("give either an LGU code or a subdistrict code"), "lgu"
        if lgu_code:
            found = self.lgus.get(lgu_code.casefold())
            if found is None:
                return None, _("no LGU has the code '%(code)s'") % {"code": lgu_code}, "lgu"
            if not self.steward and found[0] not in self.editable:
                return None, _("you may import figures only for your own LGU"), "lgu"
            return (found[0], None, None, found[1], self.region_of[found[1]], f"lgu:{found[0]}"), "", ""
        found = self.subdistricts.get(sub_code)
        if found is None:
            return None, _("no subdistrict has the code '%(code)s'") % {"code": sub_code}, "subdistrict"
        if not self.steward:
            return None, _("only data stewards import figures for subdistricts"), "subdistrict"
        return (None, found[0], found[1], found[2], self.region_of[found[2]], f"sub:{sub_code}"), "", ""

    def _period(self, raw):
        try:
            return period_codes.parse(raw), ""
        except period_codes.PeriodError as error:
            return None, str(error)

    def _resolve(self, cache, keys, resolve):
        for key in set(keys).difference(cache):
            cache[key] = resolve(key)
        return [cache[key] for key in keys]

    def check(self, rows):
        numbers = [r.number for r in rows]
        values = [r.values for r in rows]
        problems = self.problems
        blank = [""] * len(rows)

        raw_indicators = [v["indicator"] for v in values]
        found = self._resolve(self.indicator_of, raw_indicators, self._indicator)
        indicators = [f[0] for f in found]
        # Whether any row is incomplete is known from the distinct cells (model instances and
        # periods compare in Python, so rows are not scanned for None).
        incomplete = any(self.indicator_of[raw][1] for raw in set(raw_indicators))
        if incomplete:
            for number, (_indicator, problem) in zip(numbers, found, strict=True):
                if problem:
                    problems.append((number, 0, problem, "indicator"))

        lgu_cells = [v.get("lgu", "") for v in values]
        sub_cells = [v["subdistrict"] for v in values] if self.has_subdistrict else blank
        unit_keys = list(zip(lgu_cells, sub_cells, strict=True))
        found = self._resolve(self.unit_of, unit_keys, self._unit)
        units = [f[0] for f in found]
        if any(self.unit_of[key][1] for key in set(unit_keys)):
            incomplete = True
            for number, (_unit, problem, column) in zip(numbers, found, strict=True):
                if problem:
                    problems.append((number, 1, problem, column))

        raw_periods = [v["period"] for v in values]
        found = self._resolve(self.period_of, raw_periods, self._period)
        periods = [f[0] for f in found]
        if any(self.period_of[raw][1] for raw in set(raw_periods)):
            incomplete = True
            for number, (_period, problem) in zip(numbers, found, strict=True):
                if problem:
                    problems.append((number, 2, problem, "period"))
        # A period of another type than the indicator's is refused (and the row not written).
        pairs = list(zip(raw_indicators, raw_periods, strict=True))
        distinct = set(pairs)
        for pair in distinct.difference(self.period_fits):
            indicator, period = self.indicator_of[pair[0]][0], self.period_of[pair[1]][0]
            self.period_fits[pair] = "" if indicator is None or period is None or (
                period.type == indicator.period_type) else (
                _("%(code)s is reported per %(type)s, not %(period)s") % {
                    "code": indicator.code, "type": indicator.get_period_type_display(), "period": pair[1]})
        if any(self.period_fits[pair] for pair in distinct):
            incomplete = True
            for index, (number, pair) in enumerate(zip(numbers, pairs, strict=True)):
                if self.period_fits[pair]:
                    problems.append((number, 3, self.period_fits[pair], "period"))
                    periods[index] = None

        categories = [v["category"].strip() for v in values] if self.has_category else blank
        if self.has_category and any(categories):
            for number, indicator, category in zip(numbers, indicators, categories, strict=True):
                if category and indicator is not None:
                    if indicator.pk not in self.category_of:
                        self.category_of[indicator.pk] = indicator.category_keys()
                    if category not in self.category_of[indicator.pk]:
                        problems.append((number, 4, _("'%(category)s' is not a disaggregation of %(code)s")
                                         % {"category": category, "code": indicator.code}, "category"))

        raw_values = [v["value"] for v in values]
        if _PLAIN_NUMBERS.fullmatch("\n".join(raw_values) + "\n") and "" not in raw_values:
            numbers_ = list(map(Decimal, raw_values))  # in range and at most 4 decimals by their form
        else:
            numbers_ = []
            for number, raw_value in zip(numbers, raw_values, strict=True):
                numbers_.append(self._value(number, raw_value))

        comments = blank
        if self.has_comment and any(v["comment"] for v in values):
            comments = []
            for number, v in zip(numbers, values, strict=True):
                comment = ""
                if v["comment"]:
                    try:
                        comment = tabular.parse_text(v["comment"], max_length=1000)
                    except tabular.CellError as error:
                        problems.append((number, 6, str(error), "comment"))
                comments.append(comment)

        complete = zip(indicators, units, periods, categories, numbers_, comments, numbers, strict=True)
        if incomplete or None in numbers_:
            complete = [c for c in complete if c[0] is not None and c[1] is not None and c[2] is not None
                        and c[4] is not None]
        else:
            complete = list(complete)
        keys = [(c[0].id, c[1][5], c[2].code, c[3]) for c in complete]
        first = dict(zip(keys, numbers, strict=True)) if len(keys) == len(numbers) else None
        if first is not None and len(first) == len(keys) and first.keys().isdisjoint(self.seen):
            self.seen.update(first)
            self.checked.extend(complete)
            return
        for key, row in zip(keys, complete, strict=True):
            if key in self.seen:
                problems.append((row[6], 7, _("the same figure is also on row %(row)s") % {"row": self.seen[key]},
                                 ""))
                continue
            self.seen[key] = row[6]
            self.checked.append(row)

    def _value(self, number, raw_value):
        if PLAIN_NUMBER.fullmatch(raw_value):
            return Decimal(raw_value)
        try:
            value = tabular.parse_decimal(raw_value.replace(",", ""), minimum=-10**15, maximum=10**15, places=4)
            if value is None:
                raise tabular.CellError(_("a value is required"))
        except tabular.CellError as error:
            self.problems.append((number, 5, str(error), "value"))
            return None
        return value

    def raise_if_any(self):
        if self.problems:
            self.problems.sort(key=lambda p: (p[0], p[1]))
            raise tabular.ImportRejected([tabular.Problem(str(message), number, column)
                                          for number, _order, message, column in self.problems])


def _check_rows(rows, acting_user, progress):
    """The rows as (indicator, unit, period, category, value, comment, row number), all checked;
    ImportRejected names every problem by row and column."""
    checker = _RowChecker(rows, acting_user)
    with _stage(progress, len(rows), _("Checking rows")) as bar:
        for start in range(0, len(rows), CHECK_CHUNK):
            chunk = rows[start:start + CHECK_CHUNK]
            checker.check(chunk)
            if bar is not None:
                bar.update(len(chunk))
    checker.raise_if_any()
    return checker.checked


def import_rows(rows, *, acting_user, filename="", progress=None, dataset=None, status=ObservationStatus.DRAFT,
                is_example=False, encoding="", ignored=()) -> ImportResult:
    """Check and write rows already read (tabular.Row), in bulk and in one transaction."""
    if status == ObservationStatus.APPROVED and acting_user is not None:
        raise PermissionDenied(_("Imported figures are approved by a data steward afterwards."))
    checked = _check_rows(rows, acting_user, progress)
    with transaction.atomic():
        created, updated = _write(checked, acting_user, dataset, status, is_example, progress)
        result = ImportResult(len(rows), created, updated, encoding, list(ignored))
        actor = acting_user if acting_user is not None and acting_user.is_authenticated else None
        summary = _("Figures imported from %(file)s: %(rows)s rows, %(created)s new, %(updated)s updated") % {
            "file": filename or "-", "rows": len(rows), "created": created, "updated": updated}
        result.audit_entry = AuditEntry.objects.create(
            actor=actor, action=AuditAction.IMPORT, content_type=ContentType.objects.get_for_model(Observation),
            object_id="", object_repr=summary[:300], note=summary,
            after={"file": filename, "encoding": encoding, "rows": len(rows), "created": created,
                   "updated": updated, "example": is_example})
    return result


def _write(checked, acting_user, dataset, status, is_example, progress):
    steward = _trusted(acting_user)
    user = acting_user if acting_user is not None and acting_user.is_authenticated else None
    existing = {}
    indicator_ids = {c[0].id for c in checked}
    if Observation.objects.filter(indicator_id__in=indicator_ids).exists():
        keys = {(c[0].id, c[1][5], c[2].code, c[3]) for c in checked}
        unit_keys = {k[1] for k in keys}
        period_codes_ = {k[2] for k in keys}
        # Plain rows, not model instances: a chunk of a large import may meet tens of thousands
        # of the figures the chunk before it wrote.
        for pk, *key, obs_status in Observation.objects.filter(
                indicator_id__in=indicator_ids, unit_key__in=unit_keys, period__in=period_codes_).order_by().values_list(
                "pk", "indicator_id", "unit_key", "period", "category", "status"):
            key = tuple(key)
            if key in keys:
                existing[key] = (pk, obs_status)
    new, changed = checked, []
    if existing:
        new = []
        now = timezone.now()
        for row in checked:
            indicator, unit, period, category, value, comment, number = row
            found = existing.get((indicator.id, unit[5], period.code, category))
            if found is None:
                new.append(row)
                continue
            if found[1] == ObservationStatus.APPROVED and not steward:
                raise tabular.ImportRejected([tabular.Problem(
                    _("this figure is approved; ask a data steward to correct it"), number, "value")])
            changed.append(Observation(pk=found[0], value=value, comment=comment, status=status, entered_by=user,
                                       modified=now))
    fixed = {"status": status, "dataset_id": dataset.pk if dataset else None, "entered_by_id": user.pk if user else None,
             "approved_by_id": None, "is_example": is_example}
    with _stage(progress, len(new) + len(changed), _("Writing figures")) as bar, _import_cache():
        for start in range(0, len(new), WRITE_BATCH):
            batch = new[start:start + WRITE_BATCH]
            _insert_checked(batch, fixed)
            if bar is not None:
                bar.update(len(batch))
        if changed:
            Observation.objects.bulk_update(changed, ["value", "comment", "status", "entered_by", "modified"],
                                            batch_size=BATCH_SIZE)
            if bar is not None:
                bar.update(len(changed))
    return len(new), len(changed)


# Rows sent in one COPY (PostgreSQL) or executemany (SQLite).
WRITE_BATCH = 20_000
# SQLite's page cache while an import writes, in KiB (its default is 2 MiB). Figures arrive by
# indicator and LGU while the indexes order them by period, area or LGU first, so each figure
# lands on another page of every index: with the default cache those pages are read again and
# written out over and over. The cache only grows as pages are read and shrinks back after.
IMPORT_CACHE_KIB = 262_144


@contextmanager
def _import_cache():
    """A larger SQLite page cache for the length of an import's writes (PostgreSQL's is shared)."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (before,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


_OBSERVATION_TABLE = Observation._meta.db_table
_CHECKED_COLUMNS = ("indicator_id", *_UNIT_COLUMNS, *_PERIOD_COLUMNS, "category", "value", "comment")
# Text in PostgreSQL's COPY text format: backslash, tab and line ends escaped.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    return str(value).translate(_COPY_ESCAPES)


def _insert_checked(rows, fixed: dict) -> None:
    """Insert rows checked by _RowChecker ((indicator, unit, period, category, value, comment,
    row number)) with the same `fixed` columns, in one statement: COPY on PostgreSQL,
    executemany on SQLite. The parts shared by many rows (the unit's and the period's columns)
    are converted once each."""
    columns = (*_CHECKED_COLUMNS, *fixed, "modified")
    now = timezone.now()
    table = connection.ops.quote_name(_OBSERVATION_TABLE)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    units, periods = {}, {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            tail = "\t".join(_copy_text(v) for v in (*fixed.values(), now.isoformat())) + "\n"
            lines = []
            for indicator, unit, period, category, value, comment, _number in rows:
                unit_text = units.get(unit)
                if unit_text is None:
                    unit_text = units[unit] = "\t".join(map(_copy_text, unit))
                period_text = periods.get(period)
                if period_text is None:
                    period_text = periods[period] = "\t".join(map(_copy_text, (
                        period.code, period.type, period.start.isoformat(), period.end.isoformat())))
                lines.append(f"{indicator.id}\t{unit_text}\t{period_text}\t{_copy_text(category) if category else ''}"
                             f"\t{value}\t{_copy_text(comment) if comment else ''}\t{tail}")
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                copy.write("".join(lines))
            return
        tail = (*fixed.values(), connection.ops.adapt_datetimefield_value(now))
        values = []
        for indicator, unit, period, category, value, comment, _number in rows:
            period_values = periods.get(period)
            if period_values is None:
                period_values = periods[period] = (period.code, period.type, str(period.start), str(period.end))
            values.append((indicator.id, *unit, *period_values, category, str(value), comment, *tail))
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})", values)


def insert_observations(rows: list[dict]) -> None:
    """Insert rows built by the example generator (dicts of column values) in one statement:
    COPY on PostgreSQL, executemany on SQLite, without the ORM's per-row model instances."""
    if not rows:
        return
    now = timezone.now()
    columns = list(rows[0]) + ["modified"]
    table = connection.ops.quote_name(_OBSERVATION_TABLE)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row([*row.values(), now])
            return
        stamp = connection.ops.adapt_datetimefield_value(now)
        converted = [i for i, c in enumerate(columns) if c in ("period_start", "period_end", "value")]
        values = []
        for row in rows:
            line = list(row.values())
            for i in converted:
                line[i] = str(line[i])
            line.append(stamp)
            values.append(line)
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})", values)


# -- materialised roll-ups --------------------------------------------------------------------

# An import job that wrote at least this many figures queues maintain_figures() afterwards.
MAINTAIN_AFTER_ROWS = 50_000


def maintain_figures() -> bool:
    """VACUUM (ANALYZE) the figures' table on PostgreSQL, as autovacuum would later: after a large
    import the planner learns how many figures there are, and roll-ups read the covering index
    alone (the new rows marked visible) instead of visiting every new row's table page. VACUUM
    cannot run inside a transaction, so it runs on a connection of its own, in autocommit.
    SQLite keeps no visibility map and plans without statistics: nothing to do (False)."""
    if connection.vendor != "postgresql":
        return False
    side = connections.create_connection(connection.alias)
    try:
        with side.cursor() as cursor:
            cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(_OBSERVATION_TABLE)}")
    finally:
        side.close()
    return True


def refresh_analytics(indicator: Indicator, periods) -> int:
    """Recompute the stored roll-ups (nation, regions, provinces) of an indicator for some periods,
    and of the calculated indicators built on it."""
    from thetsaban.localdata import rollups

    dependants = list(Indicator.objects.filter(numerator=indicator)) + list(
        Indicator.objects.filter(denominator=indicator))
    written = 0
    with transaction.atomic():
        for target in [indicator, *dependants]:
            for period in periods:
                AnalyticsValue.objects.filter(indicator=target, period=period.code).delete()
                rows = []
                for level in (AreaLevel.NATION, AreaLevel.REGION, AreaLevel.PROVINCE):
                    for value in rollups.rollup(target, period, level):
                        if value.reported:
                            code = value.code
                            rows.append(AnalyticsValue(indicator=target, level=level, area=code, period=period.code,
                                                       value=value.value, numerator=value.numerator,
                                                       denominator=value.denominator, reported=value.reported,
                                                       expected=value.expected))
                AnalyticsValue.objects.bulk_create(rows)
                written += len(rows)
    return written


# -- registries that count themselves ---------------------------------------------------------

def may_keep_registry(user, lgu) -> bool:
    """Whether `user` adds and changes registry records of `lgu` (None: a subdistrict-only record)."""
    if _trusted(user):
        return True
    return lgu is not None and lgu.pk in editable_lgu_ids(user)


@transaction.atomic
def ensure_registry_indicators(*, acting_user=None) -> list[Indicator]:
    """Create the standard registry indicators that are missing (registries.STANDARD), audited."""
    existing = {i.code: i for i in Indicator.objects.filter(code__in=[s.code for s in registries.STANDARD])}
    made = []
    for spec in registries.STANDARD:
        if spec.code in existing:
            continue
        name_th, name_en = registries.REGISTRY_NAMES[spec.registry]
        indicator = Indicator(
            code=spec.code, name_th=spec.name_th, name_en=spec.name_en, theme=spec.theme, unit=spec.unit,
            kind=IndicatorKind.REGISTRY, registry=spec.registry, registry_measure=spec.measure,
            registry_type=spec.type, decimals=spec.decimals, period_type=PeriodType.YEAR,
            value_type=ValueType.NUMBER if spec.measure else ValueType.INTEGER,
            definition_th=registries.DEFINITION_TH % {"registry": name_th},
            definition_en=registries.DEFINITION_EN % {"registry": name_en},
            source=_("Registries of the local data hub"))
        indicator.set_aggregation(AggregationType.LAST_SUM_AREA)
        indicator.full_clean()
        indicator.save()
        record(indicator, AuditAction.CREATE, acting_user=acting_user, note=_("registry indicator"))
        made.append(indicator)
    return made


def _unit_records(model, unit_keys=None):
    records = model.objects.all()
    if unit_keys is not None:
        lgu_ids = [int(k[4:]) for k in unit_keys if k.startswith("lgu:")]
        sub_codes = [k[4:] for k in unit_keys if k.startswith("sub:")]
        records = records.filter(Q(lgu_id__in=lgu_ids) | Q(lgu__isnull=True, subdistrict__code__in=sub_codes))
    return records


def _units_of(records) -> set[str]:
    return {f"lgu:{lgu_id}" if lgu_id else f"sub:{code}"
            for lgu_id, code in records.values_list("lgu_id", "subdistrict__code").distinct()}


def _registry_values(indicator: Indicator, model, period, unit_keys=None) -> dict:
    """{unit key: value} of a registry indicator: every unit with a record (0 when none is active)."""
    records = _unit_records(model, unit_keys)
    values = dict.fromkeys(_units_of(records), Decimal(0))
    counted = records.filter(Q(founded__isnull=True) | Q(founded__lte=period.end), status=RegistryStatus.ACTIVE)
    if indicator.registry_type:
        counted = counted.filter(**{model.TYPE_FIELD: indicator.registry_type})
    measure = Sum(indicator.registry_measure) if indicator.registry_measure else Count("pk")
    for lgu_id, value in counted.filter(lgu__isnull=False).values_list("lgu_id").annotate(v=measure).values_list(
            "lgu_id", "v"):
        values[f"lgu:{lgu_id}"] = Decimal(value or 0)
    for code, value in counted.filter(lgu__isnull=True).values_list("subdistrict__code").annotate(
            v=measure).values_list("subdistrict__code", "v"):
        values[f"sub:{code}"] = Decimal(value or 0)
    return values


@transaction.atomic
def count_registry(registry: str, *, acting_user=None, unit_keys=None, year: int | None = None) -> int:
    """Bring the registry's indicators up to date for some units (all by default) and a year
    (this one by default): approved values computed from the registry, never entered by hand.

    Records founded after the year are not counted in it. Returns how many values changed."""
    model = REGISTRY_MODELS[registry]
    period = period_codes.parse(str(year or timezone.localdate().year))
    indicators = list(Indicator.objects.filter(kind=IndicatorKind.REGISTRY, registry=registry,
                                               period_type=PeriodType.YEAR))
    changed = 0
    lgus = {lgu.pk: lgu for lgu in Lgu.objects.filter(pk__in=[int(k[4:]) for k in unit_keys or () if
                                                               k.startswith("lgu:")])} if unit_keys else None
    note = _("counted from the %(registry)s registry") % {"registry": Registry(registry).label}
    # A unit's value is example data when every record it counts is.
    real_units = _units_of(_unit_records(model, unit_keys).filter(is_example=False))
    for indicator in indicators:
        values = _registry_values(indicator, model, period, unit_keys)
        for key in unit_keys or ():
            values.setdefault(key, Decimal(0))
        existing = {o.unit_key: o for o in Observation.objects.select_for_update().filter(
            indicator=indicator, period=period.code, category="", unit_key__in=list(values))}
        missing_lgus = {int(k[4:]) for k in values if k.startswith("lgu:")} - set(lgus or {})
        if missing_lgus:
            lgus = {**(lgus or {}), **Lgu.objects.select_related("province").in_bulk(missing_lgus)}
        subs = Subdistrict.objects.select_related("province").in_bulk(
            [k[4:] for k in values if k.startswith("sub:")], field_name="code")
        for key, value in values.items():
            obs = existing.get(key)
            example = key not in real_units
            if (obs is not None and obs.value == value and obs.status == ObservationStatus.APPROVED
                    and obs.is_example == example):
                continue
            before = snapshot(obs) if obs else None
            if obs is None:
                if key.startswith("lgu:"):
                    obs = Observation(indicator=indicator, lgu=lgus[int(key[4:])])
                else:
                    obs = Observation(indicator=indicator, subdistrict=subs[key[4:]])
                obs.period, obs.period_type, obs.period_start, obs.period_end = (period.code, period.type,
                                                                                  period.start, period.end)
                obs.place_unit()
            obs.value, obs.status, obs.comment = value, ObservationStatus.APPROVED, note
            obs.entered_by = obs.approved_by = None
            obs.is_example = example
            obs.save()
            record(obs, AuditAction.UPDATE if before else AuditAction.CREATE, acting_user=acting_user,
                   before=before, note=note)
            changed += 1
    if changed:
        transaction.on_commit(lambda: [refresh_analytics(i, [period]) for i in indicators])
    return changed


def _registry_units(record_) -> set[str]:
    return {record_.unit_key} if record_.pk and record_.unit_key else set()


@transaction.atomic
def save_registry_record(record_, *, acting_user):
    """Add or change a registry record (its LGU's editors, data stewards), audited; its registry's
    indicators are counted again for the units it left and joined."""
    model = type(record_)
    old = model.objects.select_for_update().filter(pk=record_.pk).first() if record_.pk else None
    if old is not None and not model.objects.restrict(acting_user, "change").filter(pk=old.pk).exists():
        raise PermissionDenied(_("You may change only your own LGU's records."))
    if not may_keep_registry(acting_user, record_.lgu if record_.lgu_id else None):
        raise PermissionDenied(_("You may add records only for your own LGU; data stewards add records of "
                                 "subdistricts."))
    before = snapshot(old) if old else None
    record_.name_th = thai.clean(record_.name_th)
    if not record_.lgu_id and not record_.subdistrict_id:
        raise ValidationError({"lgu": _("Give the LGU or the subdistrict.")})
    record_.place()
    if isinstance(record_, CommunityGroup):
        if not record_.contact_id:
            record_.contact_consent = False
        if record_.contact_consent and (old is None or not old.contact_consent or old.contact_id != record_.contact_id):
            record_.consent_recorded_at = timezone.now()
        elif not record_.contact_consent:
            record_.consent_recorded_at = None
    if old is None and acting_user is not None and acting_user.is_authenticated:
        record_.created_by = acting_user
    record_.full_clean(exclude=["province"])
    record_.save()
    record(record_, AuditAction.UPDATE if old else AuditAction.CREATE, acting_user=acting_user, before=before)
    count_registry(model.REGISTRY, acting_user=acting_user, unit_keys=_registry_units(old or record_) |
                   _registry_units(record_))
    return record_


@transaction.atomic
def delete_registry_record(record_, *, acting_user) -> None:
    """Remove a registry record (its LGU's editors, data stewards), audited, and count again."""
    model = type(record_)
    if not model.objects.restrict(acting_user, "delete").filter(pk=record_.pk).exists():
        raise PermissionDenied(_("You may remove only your own LGU's records."))
    units = _registry_units(record_)
    delete_audited(record_, acting_user=acting_user)
    count_registry(model.REGISTRY, acting_user=acting_user, unit_keys=units)
