"""Demo abbreviations: the glossary of the seed document."""

from thetsaban.search.models import Abbreviation

# From the "Names and abbreviations" table of shared/seed/policy-recommendations.en.md.
GLOSSARY = [
    (["อปท.", "องค์กรปกครองส่วนท้องถิ่น", "LGU", "local government organisation"], "local government organisation, any kind"),
    (["ทน.", "เทศบาลนคร", "city municipality"], "city municipality"),
    (["ทม.", "เทศบาลเมือง", "town municipality"], "town municipality"),
    (["ทต.", "เทศบาลตำบล", "subdistrict municipality"], "subdistrict municipality"),
    (["อบต.", "องค์การบริหารส่วนตำบล", "SAO"], "subdistrict administrative organisation"),
    (["อบจ.", "องค์การบริหารส่วนจังหวัด", "PAO"], "provincial administrative organisation"),
    (["ส.ท.ท.", "สทท", "สันนิบาตเทศบาลแห่งประเทศไทย", "NMLT", "National Municipal League of Thailand"], "National Municipal League of Thailand"),
    (["DELGOSEA", "Partnership for Democratic Local Governance in Southeast Asia"], "the partnership programme"),
    (["กพร.", "สำนักงานคณะกรรมการพัฒนาระบบราชการ", "OPDC", "Office of the Public Sector Development Commission"], "OPDC"),
    (["สกถ.", "สำนักงานคณะกรรมการการกระจายอำนาจให้แก่องค์กรปกครองส่วนท้องถิ่น", "ONDC"], "decentralisation committee office"),
    (["สตง.", "สำนักงานการตรวจเงินแผ่นดิน", "Office of the Auditor General", "State Audit Office"], "Office of the Auditor General"),
    (["ปชส.", "ประชาสัมพันธ์", "public relations"], "public relations"),
    (["BP", "BPs", "Best Practice", "แนวปฏิบัติที่ดี"], "best practice"),
    (["Coach", "วิทยากรพี่เลี้ยง", "พี่เลี้ยง", "mentor"], "coach"),
    (["3Rs", "reduce reuse recycle"], "reduce, reuse, recycle"),
]


def load() -> int:
    """Create the glossary's abbreviation groups that are missing; returns how many were added."""
    added = 0
    for forms, note in GLOSSARY:
        if not Abbreviation.objects.filter(note=note).exists():
            Abbreviation.objects.create(forms="\n".join(forms), note=note)
            added += 1
    return added
