"""Writes of the local data hub: areas, figures (entry, import, submission, approval), stewards
and the materialised roll-ups."""

import re
from contextlib import nullcontext
from dataclasses import dataclass, field
from decimal import Decimal

import geothai
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
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


def _check_rows(rows, acting_user, progress):
    problems = tabular.Problems()
    indicators = {i.code.casefold(): i for i in Indicator.objects.all()}
    categories = {}
    lgus = {code.casefold(): (pk, province_id) for pk, code, province_id
            in Lgu.objects.values_list("pk", "code", "province_id")}
    region_of = dict(Province.objects.values_list("pk", "region_id"))
    editable = editable_lgu_ids(acting_user)
    steward = _trusted(acting_user)
    subdistrict_codes = {r.values.get("subdistrict", "").strip() for r in rows} - {""}
    subdistricts = {code: (pk, district_id, province_id) for pk, code, district_id, province_id
                    in Subdistrict.objects.filter(code__in=subdistrict_codes).values_list(
                        "pk", "code", "district_id", "province_id")} if subdistrict_codes else {}
    parsed_periods = {}
    indicator_of = {}
    checked = []
    seen = {}
    with _stage(progress, len(rows), _("Checking rows")) as bar:
        for row in rows:
            v = row.values
            raw_indicator = v["indicator"]
            found_indicator = indicator_of.get(raw_indicator)
            if found_indicator is None:
                found_indicator = indicator_of[raw_indicator] = _importable(indicators, raw_indicator)
            indicator, indicator_problem = found_indicator
            if indicator_problem:
                problems.add(indicator_problem, row.number, "indicator")
            lgu_code = v.get("lgu", "").strip()
            raw_sub = v.get("subdistrict", "")
            sub_code = tabular._number_text(raw_sub) if raw_sub else ""
            unit = None
            if bool(lgu_code) == bool(sub_code):
                problems.add(_("give either an LGU code or a subdistrict code"), row.number, "lgu")
            elif lgu_code:
                found = lgus.get(lgu_code.casefold())
                if found is None:
                    problems.add(_("no LGU has the code '%(code)s'") % {"code": lgu_code}, row.number, "lgu")
                elif not steward and found[0] not in editable:
                    problems.add(_("you may import figures only for your own LGU"), row.number, "lgu")
                else:
                    unit = ("lgu", found[0], None, found[1], f"lgu:{found[0]}")
            else:
                found = subdistricts.get(sub_code)
                if found is None:
                    problems.add(_("no subdistrict has the code '%(code)s'") % {"code": sub_code}, row.number,
                                 "subdistrict")
                elif not steward:
                    problems.add(_("only data stewards import figures for subdistricts"), row.number,
                                 "subdistrict")
                else:
                    unit = ("sub", found[0], found[1], found[2], f"sub:{sub_code}")
            raw_period = v["period"]
            period = parsed_periods.get(raw_period)
            if period is None:
                try:
                    period = parsed_periods[raw_period] = period_codes.parse(raw_period)
                except period_codes.PeriodError as error:
                    problems.add(str(error), row.number, "period")
            if period is not None and indicator is not None and period.type != indicator.period_type:
                problems.add(_("%(code)s is reported per %(type)s, not %(period)s") % {
                    "code": indicator.code, "type": indicator.get_period_type_display(), "period": raw_period},
                    row.number, "period")
                period = None
            category = v.get("category", "").strip()
            if category and indicator is not None:
                if indicator.pk not in categories:
                    categories[indicator.pk] = indicator.category_keys()
                if category not in categories[indicator.pk]:
                    problems.add(_("'%(category)s' is not a disaggregation of %(code)s")
                                 % {"category": category, "code": indicator.code}, row.number, "category")
            raw_value = v["value"]
            if PLAIN_NUMBER.fullmatch(raw_value):
                value = Decimal(raw_value)  # most cells: in range and at most 4 decimals by their form
            else:
                try:
                    value = tabular.parse_decimal(raw_value.replace(",", ""), minimum=-10**15, maximum=10**15,
                                                  places=4)
                    if value is None:
                        raise tabular.CellError(_("a value is required"))
                except tabular.CellError as error:
                    problems.add(str(error), row.number, "value")
                    value = None
            comment = ""
            if v.get("comment"):
                try:
                    comment = tabular.parse_text(v["comment"], max_length=1000)
                except tabular.CellError as error:
                    problems.add(str(error), row.number, "comment")
            if indicator is not None and unit is not None and period is not None and value is not None:
                key = (indicator.id, unit[4], period.code, category)
                if key in seen:
                    problems.add(_("the same figure is also on row %(row)s") % {"row": seen[key]}, row.number)
                    continue
                seen[key] = row.number
                checked.append((indicator, unit, period, category, value, comment, region_of[unit[3]], row.number))
            if bar is not None:
                bar.update(1)
    problems.raise_if_any()
    return checked


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
        keys = {(c[0].id, c[1][4], c[2].code, c[3]) for c in checked}
        unit_keys = {k[1] for k in keys}
        period_codes_ = {k[2] for k in keys}
        for obs in Observation.objects.filter(indicator_id__in=indicator_ids, unit_key__in=unit_keys,
                                              period__in=period_codes_).only(
                "pk", "indicator_id", "unit_key", "period", "category", "status"):
            key = (obs.indicator_id, obs.unit_key, obs.period, obs.category)
            if key in keys:
                existing[key] = obs
    new, changed = [], []
    dataset_id, user_id = (dataset.pk if dataset else None), (user.pk if user else None)
    for indicator, unit, period, category, value, comment, region_id, number in checked:
        obs = existing.get((indicator.id, unit[4], period.code, category)) if existing else None
        if obs is not None:
            if obs.status == ObservationStatus.APPROVED and not steward:
                raise tabular.ImportRejected([tabular.Problem(
                    _("this figure is approved; ask a data steward to correct it"), number, "value")])
            obs.value, obs.comment, obs.status, obs.entered_by = value, comment, status, user
            obs.modified = timezone.now()
            changed.append(obs)
            continue
        new.append({
            "indicator_id": indicator.id, "lgu_id": unit[1] if unit[0] == "lgu" else None,
            "subdistrict_id": unit[1] if unit[0] == "sub" else None, "district_id": unit[2], "province_id": unit[3],
            "region_id": region_id, "unit_key": unit[4], "period": period.code, "period_type": period.type,
            "period_start": period.start, "period_end": period.end, "category": category, "value": value,
            "comment": comment, "status": status, "dataset_id": dataset_id,
            "entered_by_id": user_id, "approved_by_id": None, "is_example": is_example})
    with _stage(progress, len(new) + len(changed), _("Writing figures")) as bar:
        for start in range(0, len(new), BATCH_SIZE):
            batch = new[start:start + BATCH_SIZE]
            insert_observations(batch)
            if bar is not None:
                bar.update(len(batch))
        if changed:
            Observation.objects.bulk_update(changed, ["value", "comment", "status", "entered_by", "modified"],
                                            batch_size=BATCH_SIZE)
            if bar is not None:
                bar.update(len(changed))
    return len(new), len(changed)


def insert_observations(rows: list[dict]) -> None:
    """Insert checked rows in one statement per batch: COPY on PostgreSQL, executemany on SQLite.

    The rows were checked by _check_rows (or built by the example generator); the ORM's per-row
    model instances and value preparation would cost more than the database's own work."""
    if not rows:
        return
    now = timezone.now()
    columns = list(rows[0]) + ["modified"]
    table = connection.ops.quote_name(Observation._meta.db_table)
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
