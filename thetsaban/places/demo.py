"""Demo data: Thailand, the five learning-network regions, the 77 provinces and the seed's LGUs.

Provinces come from the `geothai` package (official codes, Thai and English names), not from
a list typed in here. The LGUs are the six pilot municipalities the seed deck names.
"""

from decimal import Decimal

import geothai
from django.db import transaction

from thetsaban.places.choices import LguType
from thetsaban.places.models import Country, LearningCentre, Lgu, Province, Region

# The five regions of the league's learning-network centres (the seed: "ทั้ง 5 ภาค").
REGIONS = [
    ("north", "ภาคเหนือ", "North"),
    ("northeast", "ภาคตะวันออกเฉียงเหนือ", "Northeast"),
    ("central", "ภาคกลาง", "Central"),
    ("east", "ภาคตะวันออก", "East"),
    ("south", "ภาคใต้", "South"),
]

CENTRE_NAME_TH = "ศูนย์เครือข่ายการเรียนรู้ด้านการจัดการเมืองและสิ่งแวดล้อม {region}"
CENTRE_NAME_EN = "Learning-network centre for city and environmental management, {region}"

# First digit of the official province code -> region code (see region_for_province_code).
REGION_BY_FIRST_DIGIT = {
    "1": "central",
    "2": "east",
    "3": "northeast",
    "4": "northeast",
    "5": "north",
    "6": "north",
    "7": "central",
    "8": "south",
    "9": "south",
}

# The pilot municipalities of the seed deck. The official national LGU codes are not in the
# seed, so these codes are clearly marked demo codes ("DEMO-..." with the deck's SK, CR, YL, PK):
# importing the national list adds the real records beside them. Short names are the deck's
# Thai ones (ทน.สงขลา). Coordinates are approximate town-hall locations.
# Population and website are left blank: the seed does not give them.
LGUS = [
    {
        "code": "DEMO-SK", "short_name": "ทน.สงขลา", "lgu_type": LguType.CITY, "province": "90",
        "name_th": "เทศบาลนครสงขลา", "name_en": "Songkhla City Municipality",
        "latitude": "7.198800", "longitude": "100.595100",
    },
    {
        "code": "DEMO-CR", "short_name": "ทน.เชียงราย", "lgu_type": LguType.CITY, "province": "57",
        "name_th": "เทศบาลนครเชียงราย", "name_en": "Chiang Rai City Municipality",
        "latitude": "19.910500", "longitude": "99.840600",
    },
    {
        "code": "DEMO-YL", "short_name": "ทน.ยะลา", "lgu_type": LguType.CITY, "province": "95",
        "name_th": "เทศบาลนครยะลา", "name_en": "Yala City Municipality",
        "latitude": "6.544600", "longitude": "101.281300",
    },
    {
        "code": "DEMO-KLAENG", "short_name": "ทต.เมืองแกลง",
        "lgu_type": LguType.SUBDISTRICT_MUNICIPALITY, "province": "21",
        "name_th": "เทศบาลตำบลเมืองแกลง", "name_en": "Mueang Klaeng Subdistrict Municipality",
        "latitude": "12.778000", "longitude": "101.653000",
    },
    {
        "code": "DEMO-UDON", "short_name": "ทน.อุดรธานี", "lgu_type": LguType.CITY, "province": "41",
        "name_th": "เทศบาลนครอุดรธานี", "name_en": "Udon Thani City Municipality",
        "latitude": "17.415600", "longitude": "102.785900",
    },
    {
        "code": "DEMO-PK", "short_name": "ทน.ปากเกร็ด", "lgu_type": LguType.CITY, "province": "12",
        "name_th": "เทศบาลนครปากเกร็ด", "name_en": "Pak Kret City Municipality",
        "latitude": "13.912000", "longitude": "100.498000",
    },
]


def region_for_province_code(code: str) -> str:
    """The default learning-network region of a province, by the first digit of its code.

    The official two-digit province codes group the country: 1x and 7x central (Bangkok and
    the west), 2x east, 3x and 4x northeast, 5x and 6x north, 8x and 9x south. This is only the
    starting point loaded with the demo: which region a province belongs to is data that staff
    change in the admin (Province.region), and a later load never overwrites it.
    """
    return REGION_BY_FIRST_DIGIT[str(code)[0]]


@transaction.atomic
def load() -> int:
    """Create the demo records that are missing; returns how many were added."""
    added = 0

    thailand, created = Country.objects.get_or_create(
        code="TH", defaults={"name_th": "ไทย", "name_en": "Thailand"})
    added += created

    regions = {}
    for code, name_th, name_en in REGIONS:
        region, created = Region.objects.get_or_create(
            code=code, defaults={"country": thailand, "name_th": name_th, "name_en": name_en})
        regions[code] = region
        added += created
        _centre, created = LearningCentre.objects.get_or_create(
            region=region, defaults={
                "name_th": CENTRE_NAME_TH.format(region=name_th),
                "name_en": CENTRE_NAME_EN.format(region=name_en),
            })
        added += created

    provinces = {}
    for record in geothai.provinces():
        province, created = Province.objects.get_or_create(
            code=str(record.code), defaults={
                "country": thailand,
                "region": regions[region_for_province_code(record.code)],
                "name_th": record.name_th,
                "name_en": record.name_en,
            })
        provinces[province.code] = province
        added += created

    for data in LGUS:
        values = dict(data, province=provinces[data["province"]],
                      latitude=Decimal(data["latitude"]), longitude=Decimal(data["longitude"]))
        code = values.pop("code")
        _lgu, created = Lgu.objects.get_or_create(code=code, defaults=values)
        added += created
    return added
