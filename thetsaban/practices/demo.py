"""Demo data from the seed document: the four themes and the six pilot practices.

Every sentence below is quoted from, or composed only of, the seed deck
(../shared/seed/policy-recommendations.th.txt, English rendering in policy-recommendations.en.md).
The deck gives no dates, steps, results or people, so none are made up here. The tier
("promising") is the lowest, because the deck calls these pilots and records no review.
"""

import logging

from django.db import transaction
from django.db.models import Q

from thetsaban import thai
from thetsaban.accounts.services import save_audited
from thetsaban.directory.models import Organisation
from thetsaban.hooks import EXAMPLE_MARK
from thetsaban.places.models import Lgu
from thetsaban.practices import services
from thetsaban.practices.choices import Maturity, Recognition, SupportKind, Tier
from thetsaban.practices.models import Practice, PracticePartner, Theme

logger = logging.getLogger(__name__)

SOURCE_NOTE = ("ข้อเสนอแนะเชิงนโยบาย โครงการความร่วมมือเพื่อส่งเสริมธรรมาภิบาลในการจัดการเมือง "
               "สำหรับองค์กรปกครองส่วนท้องถิ่นในภูมิภาคเอเชียตะวันออกเฉียงใต้ (DELGOSEA)")
PROJECT_TH = ("โครงการความร่วมมือเพื่อส่งเสริมธรรมาภิบาลในการจัดการเมือง สำหรับองค์กรปกครองส่วนท้องถิ่น"
              "ในภูมิภาคเอเชียตะวันออกเฉียงใต้")
RECOGNITION_DETAIL = "เทศบาลนำร่อง " + PROJECT_TH + " (DELGOSEA)"

# (code, Thai name, English name, Thai description from the seed)
THEMES = [
    ("governance", "ธรรมาภิบาลในองค์กร", "Good governance in the organisation", ""),
    ("environment", "การบริการสาธารณะด้านสิ่งแวดล้อม", "Environmental public services", ""),
    ("budget", "การบริหารจัดการงบประมาณและการลงทุน", "Budget and investment management", ""),
    ("participation", "การมีส่วนร่วมในการวางแผนและตัดสินใจ",
     "Participation in planning and decision-making",
     "เป็นตัวหลักในการดำเนินงานของทุกประเด็น"),
]

def _summary(short: str, title: str, theme_th: str) -> str:
    return (f"{short} เป็นเทศบาลนำร่องของ{PROJECT_TH} ในประเด็นหลัก {theme_th}: {title} "
            "โดยมีการมีส่วนร่วมในการวางแผนและตัดสินใจเป็นตัวหลักในการดำเนินงานของทุกประเด็น")


# LGU lookups: the places demo's short names, Thai names and the deck's codes.
PRACTICES = [
    {
        "lgu": ("ทน.สงขลา", "เทศบาลนครสงขลา", "SK"),
        "title_th": "ปรับปรุงประสิทธิภาพการให้บริการประชาชน",
        "title_en": "Improving the efficiency of services to the public",
        "themes": ["governance", "participation"],
        "situation_before": "",
        "failures": ("- ขาดผู้เชี่ยวชาญด้านซอฟต์แวร์ งบประมาณจำกัด (SK)\n"
                     "- หน่วยงานหลักขาดบุคลากรที่จะรับผิดชอบดูแลโครงการฯ อย่างต่อเนื่อง (SK,YL)"),
        "lessons": ("- ขอรับการสนับสนุนจาก กพร.\n"
                    "- ผู้บริหารต้องให้ความสำคัญกับโครงการอย่างจริงจังและสร้างแรงจูงใจให้กับบุคลากร\n"
                    "- ผู้บริหารท้องถิ่นต้องให้ความสำคัญในระดับนโยบายอย่างต่อเนื่อง\n"
                    "- การสานต่อโครงการ: โครงการของ ทน.สงขลา – ความร่วมมือของ กพร. และมหาวิทยาลัย\n"
                    "- ทน.สงขลา ขอการสนับสนุนจาก สทท ในการร่วมพัฒนาระบบ E-Gov"),
        "partners": [
            (("กพร.", "กพร", "OPDC"), "กพร.", SupportKind.OTHER,
             "ขอรับการสนับสนุนจาก กพร.; ความร่วมมือของ กพร. และมหาวิทยาลัย"),
            ((), "มหาวิทยาลัย", SupportKind.OTHER, "ความร่วมมือของ กพร. และมหาวิทยาลัย"),
            (("ส.ท.ท.", "สทท", "สทท.", "NMLT"), "ส.ท.ท.", SupportKind.OTHER,
             "ทน.สงขลา ขอการสนับสนุนจาก สทท ในการร่วมพัฒนาระบบ E-Gov"),
        ],
    },
    {
        "lgu": ("ทน.เชียงราย", "เทศบาลนครเชียงราย", "CR"),
        "title_th": "การบูรณาการความร่วมมือระหว่างเครือข่ายเมือง",
        "title_en": "Integrating cooperation among city networks",
        "themes": ["governance", "participation"],
        "situation_before": ("- การจัดการขยะในเชียงราย ต่างคนต่างทำ ภาคประชาชนและภาครัฐควรมาทำงานร่วมกัน\n"
                             "- อปท.บางแห่งไม่ให้ความสำคัญในการลดปริมาณขยะ (CR)\n"
                             "- ถ่ายโอนมาพร้อมวัสดุอุปกรณ์ที่เสื่อมสภาพ เป็นภาระกับท้องถิ่น (CR)\n"
                             "- ท้องถิ่นไม่สามารถร่วมกันทำงานได้ โดยเฉพาะในการจัดการสิ่งแวดล้อมที่ต้องอาศัย"
                             "การบริหารสิ่งแวดล้อมข้ามพรมแดน Transboundary (CR)"),
        "failures": ("ปัญหาด้านกำลังคน\n— วิทยากรที่เลี้ยงมีภารกิจอื่น\n— เปลี่ยนแปลงคณะผู้บริหาร (CR)"),
        "lessons": ("- มีการปรับแผนการทำงานให้เหมาะสมตามสถานการณ์ การทำความเข้าใจ\n"
                    "- สร้างกลไกการมีส่วนร่วมระหว่าง อปท. กับ ประชาชน (Co-management) "
                    "ในการจัดการขยะมูลฝอยอย่างครบวงจร (ต้นทางถึงปลายทาง)\n"
                    "- เพิ่มประสิทธิภาพในการขับเคลื่อน อปท. ให้เข้ามาดูแลสิ่งแวดล้อมตามภารกิจของตนอย่างเห็นผล "
                    "(การขับเคลื่อนกระบวนการจัดการขยะอย่างครบวงจร)\n"
                    "- ใช้ IT ฐานกลาง เพื่อช่วยให้การแก้ปัญหาในพื้นที่ทำได้อย่างถูกต้องเหมาะสม "
                    "(เชียงรายได้ทดลองทำแล้ว)"),
        "partners": [],
    },
    {
        "lgu": ("ทน.ยะลา", "เทศบาลนครยะลา", "YL"),
        "title_th": "การให้บริการสาธารณะ โดยการมีส่วนร่วมของชุมชน",
        "title_en": "Public services through community participation",
        "themes": ["governance", "participation"],
        "situation_before": ("- ชุมชนในเขตเทศบาลนครยะลา มีลักษณะความเป็นอยู่ของชุมชนเมืองสูง (YL)\n"
                             "- การดึงภาคประชาชนมีส่วนร่วมในการให้บริการสาธารณะในชุมชนของตนเอง (YL)"),
        "failures": ("- ผู้นำชุมชนไม่ให้ความสำคัญกับโครงการฯ (YL)\n"
                     "- หน่วยงานหลักขาดบุคลากรที่จะรับผิดชอบดูแลโครงการฯ อย่างต่อเนื่อง (SK,YL)"),
        "lessons": ("- ส่งเสริมความสัมพันธ์ภายในชุมชนและระหว่างเทศบาลและชุมชนอย่างต่อเนื่องและจริงจัง\n"
                    "- ให้ความสำคัญและยกย่องบุคคลที่มีจิตสาธารณะที่เข้าร่วมกิจกรรมของชุมชนและเทศบาล\n"
                    "- ผู้บริหารต้องให้ความสำคัญกับโครงการอย่างจริงจังและสร้างแรงจูงใจให้กับบุคลากร\n"
                    "- ผู้บริหารท้องถิ่นต้องให้ความสำคัญในระดับนโยบายอย่างต่อเนื่อง"),
        "partners": [],
    },
    {
        "lgu": ("ทต.เมืองแกลง", "เทศบาลตำบลเมืองแกลง", "KLAENG"),
        "title_th": "เมืองคาร์บอนต่ำ",
        "title_en": "Low-carbon city",
        "themes": ["environment", "participation"],
        "situation_before": "", "failures": "", "lessons": "", "partners": [],
    },
    {
        "lgu": ("ทน.อุดรธานี", "เทศบาลนครอุดรธานี", "UDON"),
        "title_th": "การจัดการน้ำเสียของเมือง",
        "title_en": "City wastewater management",
        "themes": ["environment", "participation"],
        "situation_before": "", "failures": "", "lessons": "", "partners": [],
    },
    {
        "lgu": ("ทน.ปากเกร็ด", "เทศบาลนครปากเกร็ด", "PK"),
        "title_th": "การอนุรักษ์และพัฒนาตลาดเก่าอย่างมีส่วนร่วมอย่างยั่งยืน",
        "title_en": "Participatory, sustainable conservation and development of an old market",
        "themes": ["budget", "participation"],
        "situation_before": ("- มีปัญหาทางการเมืองท้องถิ่นในตลาด และปัญหาสะสมจากการพัฒนาตลาดในช่วงแรกของเทศบาล (PK)\n"
                             "- สมาชิกในตลาดมีหลายกลุ่ม ขาดผู้นำตลาดที่แท้จริง (PK)"),
        "failures": ("- โครงการในตลาดไม่ต่อเนื่อง ไม่สามารถตอบสนองความต้องการของกลุ่มตลาดได้ (PK)\n"
                     "- เทศบาลไม่สามารถตั้งกลุ่มเองได้ แต่ต้องทำโดยท้องถิ่นผ่านอำเภอเท่านั้น "
                     "และการสนับสนุนของเทศบาลตามหลักเกณฑ์เงินอุดหนุนของท้องถิ่น\n"
                     "- สองมาตรฐานในการให้ค่าตอบแทน (PK)"),
        "lessons": ("- ควรจัดให้มีการอบรม ศึกษาดูงาน ให้ปรับเปลี่ยนแนวคิดในการพัฒนาชุมชน โดยชุมชนเอง "
                    "และผลักดันให้กลุ่มตั้งเป็นมูลนิธิต่อไป\n"
                    "- แผนต่างๆต้องจัดทำโดยการมีส่วนร่วมในชุมชน\n"
                    "- เทศบาลควรปรับบทบาทเป็น ผู้สนับสนุนดูแลตลาด ตามภารกิจในอำนาจหน้าที่\n"
                    "- เทศบาลควรนำกระบวนการ จัดทำแผนชุมชน เป็นเครื่องมือในการพัฒนาตลาดเก่าๆ "
                    "ผ่านกระบวนการชุมชน หรือตั้งกลุ่มตลาดเก่าเป็นชุมชนต่อไป"),
        "partners": [],
    },
]


# Example data, not from the seed: practices an LGU has submitted and a reviewer has yet to vet,
# so that the review queue has work. Marked in the title and with is_example.
EXAMPLES = [
    {
        "lgu": ("ทน.ยะลา", "เทศบาลนครยะลา", "YL"),
        "title_th": f"{EXAMPLE_MARK}: ธนาคารขยะรีไซเคิลในชุมชน",
        "title_en": "Example data: a community recycling waste bank",
        "summary": (f"{EXAMPLE_MARK} ชุมชนตั้งธนาคารขยะให้ครัวเรือนนำขยะรีไซเคิลมาฝากและขายร่วมกัน "
                    "ข้อความนี้เป็นข้อมูลตัวอย่างสำหรับทดลองใช้คิวตรวจทาน ไม่ได้บรรยายเทศบาลจริง"),
        "themes": ["environment", "participation"],
    },
    {
        "lgu": ("ทต.เมืองแกลง", "เทศบาลตำบลเมืองแกลง", "KLAENG"),
        "title_th": f"{EXAMPLE_MARK}: ประชาคมงบประมาณประจำปี",
        "title_en": "Example data: a yearly budget assembly",
        "summary": (f"{EXAMPLE_MARK} เทศบาลเปิดเวทีให้ประชาชนร่วมเลือกโครงการในงบประมาณประจำปี "
                    "ข้อความนี้เป็นข้อมูลตัวอย่างสำหรับทดลองใช้คิวตรวจทาน ไม่ได้บรรยายเทศบาลจริง"),
        "themes": ["budget", "participation"],
    },
]
EXAMPLE_SOURCE = f"{EXAMPLE_MARK}: load_demo"


def load_examples() -> int:
    """Create the example practices waiting for review that are missing; returns how many."""
    themes = {t.code: t for t in Theme.objects.all()}
    added = 0
    for spec in EXAMPLES:
        lgu = _find_lgu(spec["lgu"])
        if lgu is None or Practice.objects.filter(is_example=True, title_th=spec["title_th"]).exists():
            continue
        practice = services.save_practice(
            Practice(lgu=lgu, title_th=spec["title_th"], title_en=spec["title_en"],
                     summary=spec["summary"], maturity=Maturity.PILOT, is_example=True,
                     source_note=EXAMPLE_SOURCE),
            acting_user=None, themes=[themes[c] for c in spec["themes"] if c in themes], note="demo")
        services.submit_practice(practice, acting_user=None, notify=False)
        added += 1
    return added


def _find_lgu(names):
    short, thai_name, code = names
    condition = Q(name_th=thai_name) | Q(short_name__in=[short, code]) | Q(code=f"DEMO-{code}")
    return Lgu.objects.filter(condition).order_by("pk").first()


def _find_organisation(abbreviations):
    if not abbreviations:
        return None
    return Organisation.objects.filter(abbreviation__in=abbreviations).order_by("pk").first()


def load_themes() -> int:
    """Create the four themes of the seed that are missing; returns how many were added."""
    added = 0
    for position, (code, name_th, name_en, description) in enumerate(THEMES, start=1):
        if Theme.objects.filter(code=code).exists():
            continue
        save_audited(Theme(code=code, name_th=name_th, name_en=name_en, description=description,
                           position=position), acting_user=None, note="demo")
        added += 1
    return added


@transaction.atomic
def load() -> int:
    """Create the demo records that are missing; returns how many were added."""
    added = load_themes()
    themes = {t.code: t for t in Theme.objects.all()}
    for spec in PRACTICES:
        lgu = _find_lgu(spec["lgu"])
        if lgu is None:
            logger.warning("Demo practice %s skipped: LGU %s is not loaded.",
                           spec["title_en"], spec["lgu"][0])
            continue
        title = thai.clean(spec["title_th"])
        if Practice.objects.filter(lgu=lgu, title_th=title).exists():
            continue
        theme_th = themes[spec["themes"][0]].name_th
        practice = Practice(
            lgu=lgu, title_th=title, title_en=spec["title_en"],
            summary=_summary(spec["lgu"][0], title, theme_th),
            situation_before=spec["situation_before"],
            lessons=spec["lessons"],
            failures=spec["failures"],
            maturity=Maturity.PILOT, recognition=Recognition.PROGRAMME,
            recognition_detail=RECOGNITION_DETAIL, source_note=SOURCE_NOTE,
        )
        partners = []
        for abbreviations, name, support, detail in spec["partners"]:
            organisation = _find_organisation(abbreviations)
            partners.append(PracticePartner(organisation=organisation,
                                            name="" if organisation else name,
                                            support=support, detail=detail))
        practice = services.save_practice(
            practice, acting_user=None, themes=[themes[c] for c in spec["themes"]],
            children=partners, note="demo")
        practice = services.submit_practice(practice, acting_user=None, notify=False)
        services.publish_practice(practice, acting_user=None, tier=Tier.PROMISING,
                                  comment="", notify=False)
        added += 1
    return added + load_examples()

