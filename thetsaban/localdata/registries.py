"""The indicators the registries keep up to date themselves (see services.count_registry).

Each counts the active records of one registry in every LGU (or subdistrict, for records without
an LGU), or sums one of their fields, optionally only records of one type. A value is a stock:
its year's latest value over time, summed over areas, like a population."""

from dataclasses import dataclass

from thetsaban.localdata.choices import (
    GroupType,
    Registry,
    Theme,
    WasteFacilityType,
    WaterSourceType,
)


@dataclass(frozen=True)
class RegistryIndicator:
    code: str
    registry: str
    name_th: str
    name_en: str
    theme: str
    unit: str
    measure: str = ""  # empty: count the records
    type: str = ""  # empty: every type
    decimals: int = 0


GROUP, FOREST, WATER, WASTE = (Registry.COMMUNITY_GROUP, Registry.COMMUNITY_FOREST, Registry.WATER_SOURCE,
                               Registry.WASTE_FACILITY)

STANDARD = [
    RegistryIndicator("registry-community-groups", GROUP, "จำนวนกลุ่มองค์กรชุมชน", "Community groups",
                      Theme.SOCIAL_CAPITAL, "กลุ่ม"),
    RegistryIndicator("registry-community-group-members", GROUP, "จำนวนสมาชิกกลุ่มองค์กรชุมชน",
                      "Members of community groups", Theme.SOCIAL_CAPITAL, "คน", measure="members"),
    RegistryIndicator("registry-savings-groups", GROUP, "จำนวนกลุ่มออมทรัพย์", "Savings groups",
                      Theme.SOCIAL_CAPITAL, "กลุ่ม", type=GroupType.SAVINGS),
    RegistryIndicator("registry-elderly-clubs", GROUP, "จำนวนชมรมผู้สูงอายุ", "Elderly clubs",
                      Theme.SOCIAL_CAPITAL, "ชมรม", type=GroupType.ELDERLY),
    RegistryIndicator("registry-volunteer-groups", GROUP, "จำนวนกลุ่มอาสาสมัคร", "Volunteer groups",
                      Theme.SOCIAL_CAPITAL, "กลุ่ม", type=GroupType.VOLUNTEERS),
    RegistryIndicator("registry-community-enterprises", GROUP, "จำนวนวิสาหกิจชุมชน", "Community enterprises",
                      Theme.SOCIAL_CAPITAL, "แห่ง", type=GroupType.ENTERPRISE),
    RegistryIndicator("registry-water-users-groups", GROUP, "จำนวนกลุ่มผู้ใช้น้ำ", "Water users' groups",
                      Theme.WATER, "กลุ่ม", type=GroupType.WATER_USERS),
    RegistryIndicator("registry-community-forests", FOREST, "จำนวนป่าชุมชน", "Community forests",
                      Theme.FOREST, "แห่ง"),
    RegistryIndicator("registry-community-forest-area", FOREST, "พื้นที่ป่าชุมชนตามทะเบียน",
                      "Registered community forest area", Theme.FOREST, "ไร่", measure="area_rai", decimals=2),
    RegistryIndicator("registry-water-sources", WATER, "จำนวนแหล่งน้ำ", "Water sources", Theme.WATER, "แห่ง"),
    RegistryIndicator("registry-water-source-capacity", WATER, "ความจุแหล่งน้ำรวม", "Water source capacity",
                      Theme.WATER, "ลูกบาศก์เมตร", measure="capacity_m3", decimals=2),
    RegistryIndicator("registry-village-water-supplies", WATER, "จำนวนระบบประปาหมู่บ้าน",
                      "Village water supplies", Theme.WATER, "แห่ง", type=WaterSourceType.PIPED),
    RegistryIndicator("registry-waste-facilities", WASTE, "จำนวนสถานที่จัดการขยะ", "Waste facilities",
                      Theme.WASTE, "แห่ง"),
    RegistryIndicator("registry-waste-banks", WASTE, "จำนวนธนาคารขยะ", "Waste banks", Theme.WASTE, "แห่ง",
                      type=WasteFacilityType.WASTE_BANK),
    RegistryIndicator("registry-waste-capacity", WASTE, "ความสามารถรับขยะรวม", "Waste handling capacity",
                      Theme.WASTE, "ตันต่อวัน", measure="capacity_tonnes", decimals=2),
]

DEFINITION_TH = ("นับจากทะเบียน%(registry)sของแต่ละ อปท. (หรือตำบล) โดยอัตโนมัติ เฉพาะรายการที่ยังดำเนินการอยู่ "
                 "ค่าของปีคือค่าล่าสุดในปีนั้น และรวมกันตามพื้นที่")
DEFINITION_EN = ("Counted automatically from each LGU's (or subdistrict's) %(registry)s registry, active records "
                 "only; a year's value is its latest, summed over areas.")
REGISTRY_NAMES = {GROUP: ("กลุ่มองค์กรชุมชน", "community group"), FOREST: ("ป่าชุมชน", "community forest"),
                  WATER: ("แหล่งน้ำ", "water source"), WASTE: ("สถานที่จัดการขยะ", "waste facility")}
