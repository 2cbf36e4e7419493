from django.db import models
from django.utils.translation import gettext_lazy as _


class LguType(models.TextChoices):
    """Kinds of Thai local government (องค์กรปกครองส่วนท้องถิ่น, อปท.)."""

    CITY = "city", _("City municipality")  # เทศบาลนคร, ทน.
    TOWN = "town", _("Town municipality")  # เทศบาลเมือง, ทม.
    SUBDISTRICT_MUNICIPALITY = "subdistrict", _("Subdistrict municipality")  # เทศบาลตำบล, ทต.
    SAO = "sao", _("Subdistrict administrative organisation")  # อบต.
    PAO = "pao", _("Provincial administrative organisation")  # อบจ.
    SPECIAL = "special", _("Special local government")  # กทม., เมืองพัทยา


# Thai prefixes and abbreviations of each type, used to read the national LGU list.
LGU_TYPE_ALIASES = {
    LguType.CITY: ["city", "ทน", "ทน.", "เทศบาลนคร"],
    LguType.TOWN: ["town", "ทม", "ทม.", "เทศบาลเมือง"],
    LguType.SUBDISTRICT_MUNICIPALITY: ["subdistrict", "ทต", "ทต.", "เทศบาลตำบล"],
    LguType.SAO: ["sao", "อบต", "อบต.", "องค์การบริหารส่วนตำบล"],
    LguType.PAO: ["pao", "อบจ", "อบจ.", "องค์การบริหารส่วนจังหวัด"],
    LguType.SPECIAL: ["special", "พิเศษ", "กทม", "กรุงเทพมหานคร", "เมืองพัทยา"],
}

LGU_TYPE_SHORT = {
    LguType.CITY: "ทน.",
    LguType.TOWN: "ทม.",
    LguType.SUBDISTRICT_MUNICIPALITY: "ทต.",
    LguType.SAO: "อบต.",
    LguType.PAO: "อบจ.",
    LguType.SPECIAL: "",
}
