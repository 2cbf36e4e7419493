"""Enumerations of the local data hub: aggregation rules, periods, statuses and GD-Catalog values."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AreaLevel(models.TextChoices):
    NATION = "nation", _("nation")
    REGION = "region", _("region")
    PROVINCE = "province", _("province")
    DISTRICT = "district", _("district")
    SUBDISTRICT = "subdistrict", _("subdistrict")
    LGU = "lgu", _("LGU")


class TimeAggregation(models.TextChoices):
    """How an indicator's values of one unit combine over the periods inside a longer one."""

    SUM = "sum", _("sum")
    AVERAGE = "average", _("average")
    LAST = "last", _("last value")
    MIN = "min", _("minimum")
    MAX = "max", _("maximum")
    COUNT = "count", _("count of values")


class AreaAggregation(models.TextChoices):
    """How the values of the units inside an area combine into the area's value."""

    SUM = "sum", _("sum")
    AVERAGE = "average", _("average")
    MIN = "min", _("minimum")
    MAX = "max", _("maximum")


class AggregationType(models.TextChoices):
    """DHIS2-like named pairs (over time, over areas); the two axes are stored separately."""

    SUM = "sum", _("sum")
    AVERAGE = "average", _("average")
    AVERAGE_SUM_AREA = "average_sum_area", _("average over time, sum over areas")
    LAST_SUM_AREA = "last_sum_area", _("last value over time, sum over areas (stocks)")
    MIN = "min", _("minimum")
    MAX = "max", _("maximum")
    COUNT = "count", _("count")


# AggregationType -> (time rule, area rule)
AGGREGATION_AXES = {
    AggregationType.SUM: (TimeAggregation.SUM, AreaAggregation.SUM),
    AggregationType.AVERAGE: (TimeAggregation.AVERAGE, AreaAggregation.AVERAGE),
    AggregationType.AVERAGE_SUM_AREA: (TimeAggregation.AVERAGE, AreaAggregation.SUM),
    AggregationType.LAST_SUM_AREA: (TimeAggregation.LAST, AreaAggregation.SUM),
    AggregationType.MIN: (TimeAggregation.MIN, AreaAggregation.MIN),
    AggregationType.MAX: (TimeAggregation.MAX, AreaAggregation.MAX),
    AggregationType.COUNT: (TimeAggregation.COUNT, AreaAggregation.SUM),
}


class PeriodType(models.TextChoices):
    YEAR = "year", _("year")
    FISCAL_YEAR = "fiscal_year", _("Thai fiscal year (October to September)")
    HALF_YEAR = "half_year", _("half-year")
    QUARTER = "quarter", _("quarter")
    MONTH = "month", _("month")


class ValueType(models.TextChoices):
    NUMBER = "number", _("number")
    INTEGER = "integer", _("whole number")
    PERCENT = "percent", _("percentage")


class Theme(models.TextChoices):
    WATER = "water", _("water")
    WASTE = "waste", _("waste")
    FOREST = "forest", _("forest and environment")
    SOCIAL_CAPITAL = "social_capital", _("social capital")
    SERVICES = "services", _("services")
    FINANCE = "finance", _("finance")
    POPULATION = "population", _("population")


class IndicatorKind(models.TextChoices):
    ENTERED = "entered", _("entered")
    CALCULATED = "calculated", _("calculated (numerator / denominator x factor)")
    REGISTRY = "registry", _("counted from a registry")


# -- registries that count themselves ---------------------------------------------------------

class Registry(models.TextChoices):
    """The registries whose records are counted (and summed) into indicators."""

    COMMUNITY_GROUP = "community_group", _("community groups")
    COMMUNITY_FOREST = "community_forest", _("community forests")
    WATER_SOURCE = "water_source", _("water sources")
    WASTE_FACILITY = "waste_facility", _("waste facilities")


class RegistryStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    DORMANT = "dormant", _("dormant")
    CLOSED = "closed", _("closed")


class GroupType(models.TextChoices):
    """Kinds of community group (social capital)."""

    SAVINGS = "savings", _("savings group")
    ELDERLY = "elderly", _("elderly club")
    VOLUNTEERS = "volunteers", _("volunteers")
    ENTERPRISE = "enterprise", _("community enterprise")
    WATER_USERS = "water_users", _("water users' group")
    WOMEN = "women", _("women's group")
    YOUTH = "youth", _("youth group")
    OTHER = "other", _("other group")


class WaterSourceType(models.TextChoices):
    POND = "pond", _("pond or swamp")
    RESERVOIR = "reservoir", _("reservoir")
    WEIR = "weir", _("check dam or weir")
    WELL = "well", _("shallow well")
    GROUNDWATER = "groundwater", _("groundwater well")
    CANAL = "canal", _("canal or stream")
    PIPED = "piped", _("village water supply")


class WasteFacilityType(models.TextChoices):
    WASTE_BANK = "waste_bank", _("waste bank")
    COMPOST = "compost", _("composting site")
    TRANSFER = "transfer", _("transfer station")
    LANDFILL = "landfill", _("sanitary landfill")
    INCINERATOR = "incinerator", _("incinerator")
    RECYCLING = "recycling", _("recycling centre")
    HAZARDOUS = "hazardous", _("hazardous waste drop-off")


class ObservationStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    APPROVED = "approved", _("approved")


class DatasetState(models.TextChoices):
    ACTIVE = "active", _("active")
    DELETED = "deleted", _("deleted")


class ResourceKind(models.TextChoices):
    LINK = "link", _("link")
    UPLOAD = "upload", _("uploaded file")
    EXTRACT_CSV = "extract_csv", _("live CSV extract of the observations")
    EXTRACT_JSON = "extract_json", _("live JSON extract of the observations")


# -- GD-Catalog (ckanext-thai_gdc) allowed values, under their schema's field names -----------

PERSONAL_DATA = "ข้อมูลส่วนบุคคล"
PUBLIC_DATA = "ข้อมูลสาธารณะ"

GDC_CHOICES = {
    "data_type": ["ข้อมูลระเบียน", "ข้อมูลสถิติ", "ข้อมูลภูมิสารสนเทศเชิงพื้นที่",
                  "ข้อมูลหลากหลายประเภท", "ข้อมูลประเภทอื่นๆ"],
    "objective": ["ยุทธศาสตร์ชาติ", "แผนพัฒนาเศรษฐกิจและสังคมแห่งชาติ", "แผนความมั่นคงแห่งชาติ",
                  "แผนแม่บทภายใต้ยุทธศาสตร์ชาติ", "แผนปฏิรูปประเทศ", "แผนระดับที่ 3 (มติครม. 4 ธ.ค. 2560)",
                  "นโยบายรัฐบาล/ข้อสั่งการนายกรัฐมนตรี", "มติคณะรัฐมนตรี", "เพื่อการให้บริการประชาชน",
                  "กฎหมายที่เกี่ยวข้อง", "พันธกิจหน่วยงาน", "ดัชนี/ตัวชี้วัดระดับนานาชาติ", "ไม่ทราบ", "อื่นๆ"],
    "update_frequency_unit": ["ไม่ทราบ", "ปี", "ครึ่งปี", "ไตรมาส", "เดือน", "สัปดาห์", "วัน", "วันทำการ",
                              "ชั่วโมง", "นาที", "ตามเวลาจริง",
                              "ไม่มีการปรับปรุงหลังจากการจัดเก็บข้อมูล", "อื่นๆ"],
    "geo_coverage": ["ไม่มี", "โลก", "ทวีป/กลุ่มประเทศในทวีป", "กลุ่มประเทศทางเศรษฐกิจ", "ประเทศ", "ภาค",
                     "จังหวัด", "อำเภอ", "ตำบล", "หมู่บ้าน", "เทศบาล/อบต.", "พิกัด", "ไม่ทราบ", "อื่นๆ"],
    "data_format": ["Database", "CSV", "XML", "Image", "Video", "Audio", "Text", "JSON", "HTML", "XLS",
                    "PDF", "RDF", "NoSQL", "Arc/Info Coverage", "Shapefile", "GeoTiff", "GML", "ไม่ทราบ",
                    "อื่นๆ"],
    "data_category": [PUBLIC_DATA, PERSONAL_DATA, "ข้อมูลความมั่นคง", "ข้อมูลความลับทางราชการ"],
    "license_id": ["License not specified", "Creative Commons Attributions",
                   "Creative Commons Attribution Share-Alike", "Creative Commons Non-Commercial (Any)",
                   "Open Data Common", "GNU Free Documentation License", "อื่นๆ"],
    "data_language": ["ไทย", "อังกฤษ", "จีน", "มลายู", "พม่า", "ลาว", "เขมร", "ญี่ปุ่น", "เกาหลี", "ฝรั่งเศส",
                      "เยอรมัน", "อารบิก", "ไม่ทราบ", "อื่นๆ"],
    "disaggregate": ["ไม่มี", "เพศ", "อายุ/กลุ่มอายุ", "สถานภาพสมรส", "ศาสนา", "ระดับการศึกษา", "อาชีพ",
                     "สถานภาพการทำงาน", "อุตสาหกรรม/ประเภทกิจการ", "รายได้",
                     "ขอบเขตเชิงภูมิศาสตร์หรือเชิงพื้นที่", "ผลิตภัณฑ์", "ไม่ทราบ", "อื่นๆ"],
    "unit_of_multiplier": ["หน่วย", "สิบ", "ร้อย", "พัน", "หมื่น", "แสน", "ล้าน", "สิบล้าน", "ร้อยล้าน",
                           "พันล้าน", "หมื่นล้าน", "แสนล้าน", "ล้านล้าน", "ไม่ทราบ", "อื่นๆ"],
}
# The GD-Catalog fields that hold several values.
GDC_MULTI = ("objective", "data_format", "data_language", "disaggregate")
# Required by the GD-Catalog schema (besides title, name and owner organisation).
GDC_REQUIRED = ("data_type", "maintainer", "maintainer_email", "notes", "objective",
                "update_frequency_unit", "geo_coverage", "data_source", "data_format",
                "data_category", "license_id")

# update_frequency_unit -> EU frequency code (DCAT-AP), and the days it allows between updates.
FREQUENCY = {
    "ปี": ("ANNUAL", 366), "ครึ่งปี": ("ANNUAL_2", 183), "ไตรมาส": ("QUARTERLY", 92),
    "เดือน": ("MONTHLY", 31), "สัปดาห์": ("WEEKLY", 7), "วัน": ("DAILY", 1), "วันทำการ": ("DAILY", 3),
    "ชั่วโมง": ("HOURLY", 1), "นาที": ("CONT", 1), "ตามเวลาจริง": ("CONT", 1),
    "ไม่มีการปรับปรุงหลังจากการจัดเก็บข้อมูล": ("NEVER", None), "ไม่ทราบ": ("UNKNOWN", None),
}
MACHINE_READABLE = {"CSV", "JSON", "XML", "RDF", "XLSX", "XLS", "GEOJSON", "TTL", "JSONLD"}
