"""The local data hub: areas below the province, indicators, observations, datasets.

Two hierarchies hold figures (DHIS2's organisation units): the administrative areas nation →
region → province (the places app's) → district (อำเภอ) → subdistrict (ตำบล), and the LGUs
(อปท.), which belong to a province and may cover several subdistricts without nesting in them.
An observation is made for one LGU or one subdistrict; its province and region are copied onto
it so that any roll-up is one indexed GROUP BY (see rollups.py).
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from thetsaban import thai
from thetsaban.directory.models import Organisation, Person
from thetsaban.localdata.choices import (
    AGGREGATION_AXES,
    PERSONAL_DATA,
    AggregationType,
    AreaAggregation,
    AreaLevel,
    DatasetState,
    GroupType,
    IndicatorKind,
    ObservationStatus,
    PeriodType,
    Registry,
    RegistryStatus,
    ResourceKind,
    Theme,
    TimeAggregation,
    ValueType,
    WasteFacilityType,
    WaterSourceType,
)
from thetsaban.naming import BilingualName
from thetsaban.permissions import RestrictedQuerySet, editable_lgu_ids, is_staff


def is_steward(user) -> bool:
    """Data stewards approve figures and manage indicators and datasets (staff are stewards too)."""
    if is_staff(user):
        return True
    if not (user and user.is_authenticated and user.is_active):
        return False
    cached = getattr(user, "_is_data_steward", None)
    if cached is None:
        cached = DataSteward.objects.filter(user=user).exists()
        user._is_data_steward = cached
    return cached


class Named(BilingualName, models.Model):
    """A Thai and an English name, the Thai one sorted in dictionary order."""

    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.name


class ReferenceQuerySet(RestrictedQuerySet):
    """Reference data: everyone sees it, data stewards change it."""

    def restrict(self, user, action="view"):
        if action == "view" or is_steward(user):
            return self
        return self.none()


class DataSteward(models.Model):
    """A person who approves the figures LGUs enter and curates indicators and datasets."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="data_steward", verbose_name=_("user"))
    since = models.DateTimeField(_("since"), default=timezone.now)

    class StewardQuerySet(RestrictedQuerySet):
        def restrict(self, user, action="view"):
            if is_staff(user):
                return self
            if action == "view" and user and user.is_authenticated:
                return self.filter(user=user)
            return self.none()

    objects = StewardQuerySet.as_manager()

    class Meta:
        verbose_name = _("data steward")
        verbose_name_plural = _("data stewards")

    def __str__(self):
        return str(self.user)


class District(Named):
    """A district (อำเภอ, or เขต in Bangkok) with its DOPA code."""

    code = models.CharField(_("code"), max_length=4, unique=True)
    province = models.ForeignKey("places.Province", on_delete=models.PROTECT, related_name="districts",
                                 verbose_name=_("province"))
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["code"]

    def get_absolute_url(self):
        return reverse("localdata:area", args=["district", self.code])


class Subdistrict(Named):
    """A subdistrict (ตำบล, or แขวง in Bangkok) with its DOPA code."""

    code = models.CharField(_("code"), max_length=6, unique=True)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="subdistricts",
                                 verbose_name=_("district"))
    province = models.ForeignKey("places.Province", on_delete=models.PROTECT, related_name="subdistricts",
                                 verbose_name=_("province"))
    postal_codes = models.CharField(_("postal codes"), max_length=60, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("subdistrict")
        verbose_name_plural = _("subdistricts")
        ordering = ["code"]

    def get_absolute_url(self):
        return reverse("localdata:area", args=["subdistrict", self.code])


class LguCoverage(models.Model):
    """One subdistrict (or part of it) an LGU serves; an LGU may cover several."""

    lgu = models.ForeignKey("places.Lgu", on_delete=models.CASCADE, related_name="coverage",
                            verbose_name=_("LGU"))
    subdistrict = models.ForeignKey(Subdistrict, on_delete=models.CASCADE, related_name="lgu_coverage",
                                    verbose_name=_("subdistrict"))

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("LGU coverage")
        verbose_name_plural = _("LGU coverage")
        constraints = [models.UniqueConstraint(fields=["lgu", "subdistrict"], name="localdata_coverage_unique")]

    def __str__(self):
        return f"{self.lgu} – {self.subdistrict}"


class Disaggregation(Named):
    """A way to split a figure (sex, age band, ...), with its options."""

    code = models.SlugField(_("code"), max_length=40, unique=True)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("disaggregation")
        verbose_name_plural = _("disaggregations")
        ordering = ["code"]


class DisaggregationOption(Named):
    """One option of a disaggregation (female, 60 and over, ...); its code is `category:option`."""

    disaggregation = models.ForeignKey(Disaggregation, on_delete=models.CASCADE, related_name="options",
                                       verbose_name=_("disaggregation"))
    code = models.SlugField(_("code"), max_length=40)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("disaggregation option")
        verbose_name_plural = _("disaggregation options")
        ordering = ["disaggregation__code", "code"]
        constraints = [models.UniqueConstraint(fields=["disaggregation", "code"],
                                               name="localdata_option_unique")]

    @property
    def key(self) -> str:
        return f"{self.disaggregation.code}:{self.code}"


class Indicator(BilingualName, models.Model):
    """A figure LGUs report (or one calculated from two others), with how it aggregates."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name_th = models.CharField(_("name (Thai)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    definition_th = models.TextField(_("definition (Thai)"), blank=True)
    definition_en = models.TextField(_("definition (English)"), blank=True)
    theme = models.CharField(_("theme"), max_length=20, choices=Theme, db_index=True)
    kind = models.CharField(_("kind"), max_length=12, choices=IndicatorKind, default=IndicatorKind.ENTERED)
    unit = models.CharField(_("unit"), max_length=60, blank=True)
    multiplier = models.PositiveBigIntegerField(_("multiplier"), default=1,
                                                help_text=_("Values are in units of this many (1000 for thousands)."))
    value_type = models.CharField(_("value type"), max_length=10, choices=ValueType, default=ValueType.NUMBER)
    decimals = models.PositiveSmallIntegerField(_("decimals"), default=0)
    period_type = models.CharField(_("period type"), max_length=12, choices=PeriodType, default=PeriodType.YEAR)
    unit_level = models.CharField(_("reported by"), max_length=12, default=AreaLevel.LGU,
                                  choices=[(AreaLevel.LGU, _("LGU")), (AreaLevel.SUBDISTRICT, _("subdistrict"))])
    time_aggregation = models.CharField(_("aggregation over time"), max_length=10, choices=TimeAggregation,
                                        default=TimeAggregation.SUM)
    area_aggregation = models.CharField(_("aggregation over areas"), max_length=10, choices=AreaAggregation,
                                        default=AreaAggregation.SUM)
    disaggregations = models.ManyToManyField(Disaggregation, blank=True, related_name="indicators",
                                             verbose_name=_("disaggregations"))
    numerator = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("numerator"))
    denominator = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("denominator"))
    factor = models.PositiveIntegerField(_("factor"), default=1, help_text=_("1, 100, 1000 or 100000."))
    # A registry's indicator: its values are counted (or summed) from the registry's active
    # records of each LGU or subdistrict (services.count_registry), never entered.
    registry = models.CharField(_("counted from the registry"), max_length=20, choices=Registry, blank=True)
    registry_measure = models.CharField(_("measure"), max_length=40, blank=True,
                                        help_text=_("Empty to count the records, or the field to sum "
                                                    "(members, area_rai, capacity_m3, capacity_tonnes)."))
    registry_type = models.CharField(_("only records of the type"), max_length=20, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    sdg_tags = models.CharField(_("SDG targets"), max_length=200, blank=True, help_text=_("For example 6.1.1, 11.6.1"))
    umf_tags = models.CharField(_("UN-Habitat Urban Monitoring Framework"), max_length=200, blank=True)
    licence = models.CharField(_("licence"), max_length=80, default="Creative Commons Attributions")

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["theme", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[IndicatorKind.ENTERED, IndicatorKind.REGISTRY], numerator__isnull=True,
                            denominator__isnull=True)
                | Q(kind=IndicatorKind.CALCULATED, numerator__isnull=False, denominator__isnull=False),
                name="localdata_indicator_parts_by_kind",
                violation_error_message=_("A calculated indicator needs a numerator and a denominator; "
                                          "an entered one has neither.")),
            models.CheckConstraint(
                condition=Q(kind=IndicatorKind.REGISTRY, registry__gt="")
                | (~Q(kind=IndicatorKind.REGISTRY) & Q(registry="")),
                name="localdata_indicator_registry_by_kind",
                violation_error_message=_("An indicator counted from a registry names its registry; "
                                          "other indicators name none.")),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("localdata:indicator", args=[self.code])

    @property
    def definition(self) -> str:
        if get_language() == "en" and self.definition_en:
            return self.definition_en
        return self.definition_th

    @property
    def is_calculated(self) -> bool:
        return self.kind == IndicatorKind.CALCULATED

    @property
    def is_registry(self) -> bool:
        return self.kind == IndicatorKind.REGISTRY

    def clean(self):
        if self.is_registry and self.registry:
            model = REGISTRY_MODELS[self.registry]
            if self.registry_measure and self.registry_measure not in model.SUMMABLE:
                raise ValidationError({"registry_measure": _("%(registry)s can sum only %(fields)s.") % {
                    "registry": Registry(self.registry).label, "fields": ", ".join(model.SUMMABLE)}})
            types = [value for value, _label in model.type_choices()]
            if self.registry_type and self.registry_type not in types:
                raise ValidationError({"registry_type": _("%(registry)s has the types %(types)s.") % {
                    "registry": Registry(self.registry).label, "types": ", ".join(types)}})

    @property
    def aggregation_type(self) -> str:
        """The DHIS2-like name of this pair of rules, or "" for a pair without one."""
        for name, axes in AGGREGATION_AXES.items():
            if axes == (self.time_aggregation, self.area_aggregation):
                return name
        return ""

    def set_aggregation(self, aggregation_type: str) -> None:
        self.time_aggregation, self.area_aggregation = AGGREGATION_AXES[AggregationType(aggregation_type)]

    def category_keys(self) -> set[str]:
        """The disaggregation keys (`sex:female`) a value of this indicator may carry."""
        return {f"{d}:{o}" for d, o in DisaggregationOption.objects.filter(
            disaggregation__indicators=self).values_list("disaggregation__code", "code")}


class ObservationQuerySet(RestrictedQuerySet):
    def restrict(self, user, action="view"):
        """The public sees approved figures; an LGU's editors also their own LGU's drafts and
        submissions, which they change until approved; data stewards see, change and approve all."""
        if is_steward(user):
            return self
        lgus = editable_lgu_ids(user)
        if action == "view":
            return self.filter(Q(status=ObservationStatus.APPROVED) | Q(lgu_id__in=lgus))
        if action in ("change", "delete", "submit"):
            return self.filter(lgu_id__in=lgus).exclude(status=ObservationStatus.APPROVED)
        return self.none()

    def approved(self):
        return self.filter(status=ObservationStatus.APPROVED)


class Observation(models.Model):
    """One figure: an indicator's value for one LGU or subdistrict, period and category."""

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="observations", db_index=False,
                                  verbose_name=_("indicator"))
    lgu = models.ForeignKey("places.Lgu", on_delete=models.PROTECT, null=True, blank=True, db_index=False,
                            related_name="observations", verbose_name=_("LGU"))
    subdistrict = models.ForeignKey(Subdistrict, on_delete=models.PROTECT, null=True, blank=True, db_index=False,
                                    related_name="observations", verbose_name=_("subdistrict"))
    # Copied from the LGU or subdistrict so that roll-ups are single GROUP BY queries. Foreign keys
    # carry no index of their own: the composite indexes in Meta lead with the columns queries
    # filter on, and every extra index slows the bulk imports of national figures.
    # Being copies of what the LGU or subdistrict already names, they carry no foreign-key
    # constraint of their own: on PostgreSQL each constraint is a per-row check (and row lock)
    # at commit, which cost more than the insert itself in national imports. Deleting a
    # province or region still stops at its figures (PROTECT, checked by Django).
    district = models.ForeignKey(District, on_delete=models.PROTECT, null=True, blank=True, db_index=False,
                                 related_name="+", editable=False, db_constraint=False)
    province = models.ForeignKey("places.Province", on_delete=models.PROTECT, related_name="+", db_index=False,
                                 editable=False, db_constraint=False)
    region = models.ForeignKey("places.Region", on_delete=models.PROTECT, related_name="+", editable=False,
                               db_index=False, db_constraint=False)
    # "lgu:<id>" or "sub:<code>": one unique key for either kind of unit.
    unit_key = models.CharField(max_length=30, editable=False)
    period = models.CharField(_("period"), max_length=12)
    period_type = models.CharField(_("period type"), max_length=12, choices=PeriodType)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    category = models.CharField(_("category"), max_length=82, blank=True, default="",
                                help_text=_("A disaggregation option such as sex:female; empty for the total."))
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=4)
    status = models.CharField(_("status"), max_length=10, choices=ObservationStatus,
                              default=ObservationStatus.DRAFT)
    comment = models.TextField(_("comment"), blank=True)
    dataset = models.ForeignKey("Dataset", on_delete=models.SET_NULL, null=True, blank=True, db_index=False,
                                related_name="observations", verbose_name=_("source dataset"))
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, db_index=False,
                                   related_name="+", verbose_name=_("entered by"))
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, db_index=False,
                                    related_name="+", verbose_name=_("approved by"))
    is_example = models.BooleanField(_("example data"), default=False)
    modified = models.DateTimeField(_("modified"), auto_now=True)

    objects = ObservationQuerySet.as_manager()

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        ordering = ["indicator", "period_start", "unit_key"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "unit_key", "period", "category"],
                                    name="localdata_observation_unique",
                                    violation_error_message=_("This figure has already been entered.")),
            models.CheckConstraint(condition=Q(lgu__isnull=False, subdistrict__isnull=True)
                                   | Q(lgu__isnull=True, subdistrict__isnull=False),
                                   name="localdata_observation_one_unit",
                                   violation_error_message=_("A figure belongs to an LGU or a subdistrict.")),
        ]
        indexes = [
            # Covering: its key also holds every column a roll-up reads (the period's end, every
            # area a roll-up groups or narrows by, the unit and the value), so a roll-up reads the
            # index alone instead of fetching each of the nation's 7,850 rows from the table.
            # Key columns, not include=: SQLite has no INCLUDE and would drop those columns.
            models.Index(fields=["indicator", "status", "category", "period_start", "period_end", "region",
                                 "province", "district", "lgu", "subdistrict", "unit_key", "value"],
                         name="localdata_obs_rollup_cover"),
            # No index of (indicator, province, period_start) beside it: every query by province
            # (roll-ups, their series and provenance) names the status and category too and reads
            # this one, and each index more is one more b-tree written per imported figure.
            models.Index(fields=["lgu", "period"], name="localdata_obs_lgu_period"),
            # A dataset's figures, for deleting a dataset (SET_NULL, then the foreign-key check
            # at commit): without it each deleted dataset reads the whole table. Only rows that
            # name a dataset are in it, so figures entered without one cost the import nothing.
            models.Index(fields=["dataset"], name="localdata_obs_dataset",
                         condition=Q(dataset__isnull=False)),
            # A subdistrict's figures (its page, PROTECT when one is deleted), the same way: the
            # national imports, all by LGU, add nothing to it.
            models.Index(fields=["subdistrict"], name="localdata_obs_subdistrict",
                         condition=Q(subdistrict__isnull=False)),
        ]

    def __str__(self):
        return f"{self.indicator.code} {self.unit_key} {self.period} {self.category}".strip()

    def place_unit(self):
        """Copy the province, region and district of the LGU or subdistrict onto the figure."""
        if self.lgu_id:
            lgu = self.lgu
            self.unit_key = f"lgu:{lgu.pk}"
            self.province_id = lgu.province_id
            self.region_id = lgu.province.region_id
            self.district_id = None
        elif self.subdistrict_id:
            sub = self.subdistrict
            self.unit_key = f"sub:{sub.code}"
            self.province_id = sub.province_id
            self.district_id = sub.district_id
            self.region_id = sub.province.region_id


class DatasetGroup(Named):
    """A CKAN group: the themes datasets are grouped by."""

    name = models.SlugField(_("name"), max_length=60, unique=True)  # CKAN's group name
    description = models.TextField(_("description"), blank=True)
    created = models.DateTimeField(_("created"), default=timezone.now)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("dataset group")
        verbose_name_plural = _("dataset groups")
        ordering = ["name"]

    def __str__(self):
        return self.title

    @property
    def title(self) -> str:
        if get_language() == "en" and self.name_en:
            return self.name_en
        return self.name_th


class DatasetQuerySet(RestrictedQuerySet):
    def restrict(self, user, action="view"):
        """Public datasets for everyone (deleted ones stay visible as tombstones, so that
        harvesters remove their copies); personal-data and private ones only for the owner
        organisation's LGU editors and data stewards, who also change them."""
        if is_steward(user):
            return self
        lgu_ids = editable_lgu_ids(user)
        # The owner organisations in a subquery, not a join, so that counts and facets over the
        # catalogue read the datasets table alone; no such condition for someone without an LGU.
        own = Q(owner_org__in=Organisation.objects.filter(lgu_id__in=lgu_ids).values("pk"))
        if action == "view":
            public = Q(private=False) & ~Q(data_category=PERSONAL_DATA)
            return self.filter((public | own) if lgu_ids else public)
        if action in ("change", "delete"):
            return self.filter(own) if lgu_ids else self.none()
        return self.none()

    def active(self):
        return self.filter(state=DatasetState.ACTIVE)


class Tag(models.Model):
    """A keyword of datasets (Thai allowed)."""

    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Dataset(models.Model):
    """A dataset as CKAN and the GD-Catalog describe it, owned by a directory organisation."""

    # CKAN's package id (the table keeps a whole-number key, as the search index expects).
    ckan_id = models.UUIDField(_("CKAN id"), default=uuid.uuid4, unique=True, editable=False)
    name = models.SlugField(_("name"), max_length=100, unique=True, allow_unicode=False)
    title = models.CharField(_("title"), max_length=300)
    notes = models.TextField(_("description"), blank=True)
    owner_org = models.ForeignKey("directory.Organisation", on_delete=models.PROTECT, related_name="datasets",
                                  verbose_name=_("organisation"))
    groups = models.ManyToManyField(DatasetGroup, blank=True, related_name="datasets", verbose_name=_("groups"))
    tags = models.ManyToManyField(Tag, blank=True, related_name="datasets", verbose_name=_("tags"))
    indicator = models.ForeignKey(Indicator, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="datasets", verbose_name=_("indicator"))
    state = models.CharField(_("state"), max_length=10, choices=DatasetState, default=DatasetState.ACTIVE,
                             db_index=True)
    private = models.BooleanField(_("private"), default=False)
    url = models.URLField(_("homepage"), blank=True)
    version = models.CharField(_("version"), max_length=40, blank=True)
    # GD-Catalog fields, under the schema's names (choices.GDC_CHOICES lists the allowed values).
    data_type = models.CharField("data_type", max_length=60, default="ข้อมูลสถิติ")
    maintainer = models.CharField("maintainer", max_length=200, blank=True)
    maintainer_email = models.EmailField("maintainer_email", blank=True)
    objective = models.JSONField("objective", default=list, blank=True)
    update_frequency_unit = models.CharField("update_frequency_unit", max_length=60, default="ปี")
    update_frequency_interval = models.PositiveIntegerField("update_frequency_interval", null=True, blank=True)
    geo_coverage = models.CharField("geo_coverage", max_length=60, default="เทศบาล/อบต.")
    data_source = models.CharField("data_source", max_length=300, blank=True)
    data_format = models.JSONField("data_format", default=list, blank=True)
    data_category = models.CharField("data_category", max_length=60, default="ข้อมูลสาธารณะ", db_index=True)
    license_id = models.CharField("license_id", max_length=80, default="Creative Commons Attributions")
    accessible_condition = models.TextField("accessible_condition", blank=True)
    data_language = models.JSONField("data_language", default=list, blank=True)
    allow_harvest = models.BooleanField("allow_harvest", default=True)
    first_year_of_data = models.CharField("first_year_of_data", max_length=4, blank=True)
    last_year_of_data = models.CharField("last_year_of_data", max_length=4, blank=True)
    disaggregate = models.JSONField("disaggregate", default=list, blank=True)
    unit_of_measure = models.CharField("unit_of_measure", max_length=100, blank=True)
    unit_of_multiplier = models.CharField("unit_of_multiplier", max_length=30, blank=True)
    calculation_method = models.TextField("calculation_method", blank=True)
    official_statistics = models.BooleanField("official_statistics", default=False)
    # Any other GD-Catalog or CKAN key a client sent, kept and given back as it came.
    extras = models.JSONField(_("other fields"), default=dict, blank=True)
    search_text = models.TextField(editable=False, blank=True, default="")
    metadata_created = models.DateTimeField(_("created"), default=timezone.now)
    metadata_modified = models.DateTimeField(_("modified"), default=timezone.now, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")

    objects = DatasetQuerySet.as_manager()

    class Meta:
        verbose_name = _("dataset")
        verbose_name_plural = _("datasets")
        ordering = ["name"]
        indexes = [
            # package_search: the newest active datasets first without sorting them all, and its
            # counts and organisation facet read from the index alone (it holds the columns of
            # the visibility rule).
            models.Index(fields=["state", "metadata_modified", "private", "data_category", "owner_org"],
                         name="localdata_dataset_listing"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("localdata:dataset", args=[self.name])

    @property
    def is_public(self) -> bool:
        return self.state == DatasetState.ACTIVE and not self.private and self.data_category != PERSONAL_DATA


class ResourceQuerySet(RestrictedQuerySet):
    def restrict(self, user, action="view"):
        datasets = Dataset.objects.restrict(user, "view" if action == "view" else "change")
        return self.filter(dataset__in=datasets)


class Resource(models.Model):
    """A file, a link or a live extract of observations belonging to a dataset."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="resources",
                                verbose_name=_("dataset"))
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=14, choices=ResourceKind, default=ResourceKind.LINK)
    format = models.CharField(_("format"), max_length=30, blank=True)
    url = models.URLField(_("address"), max_length=500, blank=True)
    upload = models.FileField(_("file"), upload_to="localdata/resources/%Y/", blank=True)
    position = models.PositiveIntegerField(default=0)
    extras = models.JSONField(_("other fields"), default=dict, blank=True)
    created = models.DateTimeField(_("created"), default=timezone.now)
    last_modified = models.DateTimeField(_("modified"), default=timezone.now)

    objects = ResourceQuerySet.as_manager()

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["dataset", "position", "created"]

    def __str__(self):
        return self.name


class AnalyticsValue(models.Model):
    """A materialised roll-up: an indicator's value for one area and period, with completeness.

    Refreshed after approvals (services.refresh_analytics) so national pages read one row."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    level = models.CharField(max_length=12)
    area = models.CharField(max_length=20)  # "TH", a region code, a province code
    period = models.CharField(max_length=12)
    category = models.CharField(max_length=82, blank=True, default="")
    value = models.DecimalField(max_digits=28, decimal_places=6, null=True)
    numerator = models.DecimalField(max_digits=28, decimal_places=6, null=True)
    denominator = models.DecimalField(max_digits=28, decimal_places=6, null=True)
    reported = models.PositiveIntegerField(default=0)
    expected = models.PositiveIntegerField(default=0)
    refreshed = models.DateTimeField(default=timezone.now)

    class AnalyticsQuerySet(RestrictedQuerySet):
        def restrict(self, user, action="view"):
            return self if action == "view" else self.none()

    objects = AnalyticsQuerySet.as_manager()

    class Meta:
        verbose_name = _("roll-up")
        verbose_name_plural = _("roll-ups")
        constraints = [models.UniqueConstraint(fields=["indicator", "level", "area", "period", "category"],
                                               name="localdata_analytics_unique")]

    def __str__(self):
        return f"{self.indicator_id} {self.level}:{self.area} {self.period}"


# -- registries that count themselves ---------------------------------------------------------

class RegistryQuerySet(RestrictedQuerySet):
    def restrict(self, user, action="view"):
        """Everyone sees the registries (a contact person only with their consent, see
        RegistryRecord.public_contact); an LGU's editors change its records; data stewards all,
        including records located only in a subdistrict."""
        if action == "view" or is_steward(user):
            return self
        if action in ("change", "delete"):
            return self.filter(lgu_id__in=editable_lgu_ids(user))
        return self.none()

    def active(self):
        return self.filter(status=RegistryStatus.ACTIVE)


class RegistryRecord(Named):
    """A record of a registry, located in an LGU (which keeps it) or only in a subdistrict.

    Its registry's indicators count the active records of each LGU (or, for records without
    an LGU, each subdistrict): see services.count_registry."""

    REGISTRY = ""
    TYPE_FIELD = ""
    # Fields a registry indicator may sum.
    SUMMABLE: tuple = ()
    # The number shown beside each record in lists: (field, label).
    MEASURE: tuple = ()

    registration_number = models.CharField(_("registration number"), max_length=60, blank=True)
    lgu = models.ForeignKey("places.Lgu", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                            verbose_name=_("LGU"))
    subdistrict = models.ForeignKey(Subdistrict, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("subdistrict"))
    province = models.ForeignKey("places.Province", on_delete=models.PROTECT, related_name="+", editable=False)
    status = models.CharField(_("status"), max_length=10, choices=RegistryStatus, default=RegistryStatus.ACTIVE)
    founded = models.DateField(_("founded or registered"), null=True, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_example = models.BooleanField(_("example data"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", editable=False)
    modified = models.DateTimeField(_("modified"), auto_now=True)

    objects = RegistryQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["province", "name_th", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(lgu__isnull=False) | Q(subdistrict__isnull=False),
                                   name="%(app_label)s_%(class)s_located",
                                   violation_error_message=_("Give the LGU or the subdistrict.")),
        ]

    def get_absolute_url(self):
        return reverse("localdata:registry_record", kwargs={"registry": self.REGISTRY, "pk": self.pk})

    @classmethod
    def type_choices(cls) -> list:
        return cls._meta.get_field(cls.TYPE_FIELD).choices if cls.TYPE_FIELD else []

    @property
    def unit_key(self) -> str:
        """The unit the record is counted in: its LGU, else its subdistrict."""
        if self.lgu_id:
            return f"lgu:{self.lgu_id}"
        return f"sub:{self.subdistrict.code}" if self.subdistrict_id else ""

    @property
    def type_label(self) -> str:
        return getattr(self, f"get_{self.TYPE_FIELD}_display")() if self.TYPE_FIELD else ""

    @property
    def measure_value(self):
        return getattr(self, self.MEASURE[0]) if self.MEASURE else None

    def clean(self):
        if self.lgu_id and self.subdistrict_id and self.lgu.province_id != self.subdistrict.province_id:
            # Named under the LGU: forms give the subdistrict as a code of their own.
            raise ValidationError({"lgu": _("The subdistrict is in another province than the LGU.")})

    def place(self):
        """Copy the province from the LGU or the subdistrict."""
        if self.lgu_id:
            self.province_id = self.lgu.province_id
        elif self.subdistrict_id:
            self.province_id = self.subdistrict.province_id


class CommunityGroup(RegistryRecord):
    """A community group (social capital): savings group, elderly club, volunteers, ..."""

    REGISTRY = Registry.COMMUNITY_GROUP
    TYPE_FIELD = "group_type"
    SUMMABLE = ("members",)
    MEASURE = ("members", _("members"))

    group_type = models.CharField(_("type"), max_length=20, choices=GroupType)
    members = models.PositiveIntegerField(_("members"), default=0)
    # The directory's person to contact, shown to the public only with their consent (PDPA).
    contact = models.ForeignKey("directory.Person", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("contact person"))
    contact_consent = models.BooleanField(
        _("the contact agreed to be shown"), default=False,
        help_text=_("Show the contact person with this group only if they agreed (PDPA)."))
    consent_recorded_at = models.DateTimeField(_("consent recorded"), null=True, blank=True, editable=False)

    class Meta(RegistryRecord.Meta):
        verbose_name = _("community group")
        verbose_name_plural = _("community groups")

    def public_contact(self, user):
        """The contact person `user` may see here: only with consent, and only if the directory
        shows that person to `user`."""
        if not (self.contact_id and self.contact_consent):
            return None
        return Person.objects.restrict(user, "view").filter(pk=self.contact_id).first()


class CommunityForest(RegistryRecord):
    """A community forest (ป่าชุมชน) with its area in rai."""

    REGISTRY = Registry.COMMUNITY_FOREST
    SUMMABLE = ("area_rai", "households")
    MEASURE = ("area_rai", _("area (rai)"))

    area_rai = models.DecimalField(_("area (rai)"), max_digits=12, decimal_places=2, default=0)
    households = models.PositiveIntegerField(_("households taking part"), default=0)

    class Meta(RegistryRecord.Meta):
        verbose_name = _("community forest")
        verbose_name_plural = _("community forests")


class WaterSource(RegistryRecord):
    """A water source: pond, reservoir, weir, well, village water supply, ..."""

    REGISTRY = Registry.WATER_SOURCE
    TYPE_FIELD = "source_type"
    SUMMABLE = ("capacity_m3", "households_served")
    MEASURE = ("capacity_m3", _("capacity (m³)"))

    source_type = models.CharField(_("type"), max_length=20, choices=WaterSourceType)
    capacity_m3 = models.DecimalField(_("capacity (m³)"), max_digits=14, decimal_places=2, default=0)
    households_served = models.PositiveIntegerField(_("households served"), default=0)

    class Meta(RegistryRecord.Meta):
        verbose_name = _("water source")
        verbose_name_plural = _("water sources")


class WasteFacility(RegistryRecord):
    """A waste facility: waste bank, composting site, transfer station, landfill, ..."""

    REGISTRY = Registry.WASTE_FACILITY
    TYPE_FIELD = "facility_type"
    SUMMABLE = ("capacity_tonnes",)
    MEASURE = ("capacity_tonnes", _("capacity (tonnes a day)"))

    facility_type = models.CharField(_("type"), max_length=20, choices=WasteFacilityType)
    capacity_tonnes = models.DecimalField(_("capacity (tonnes a day)"), max_digits=10, decimal_places=2, default=0)

    class Meta(RegistryRecord.Meta):
        verbose_name = _("waste facility")
        verbose_name_plural = _("waste facilities")


REGISTRY_MODELS = {model.REGISTRY: model for model in (CommunityGroup, CommunityForest, WaterSource, WasteFacility)}


def fold_text(*parts) -> str:
    return " ".join(thai.fold(p) for p in parts if p)
