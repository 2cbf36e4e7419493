"""Demo data from the seed document: the six pilots as transfer projects, with their issue logs.

Every Thai sentence below is quoted word for word from the seed deck
(policy-recommendations.th.txt; English in policy-recommendations.en.md), with only its HTML
fragments, bullets and LGU tags stripped; each bullet is one line. The deck gives no dates,
motivations, coaches, logframes or people for the pilots, so none are made up: those stay
empty, and the project page shows the motivation as not recorded. The deck is from the close
of the programme, so the pilots are closed (IATI 4); their dates are unknown and left blank.
The deck does not say where each pilot's practice came from, so source_practice is empty and
source_note says so.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from thetsaban import thai
from thetsaban.coaching import matching_services
from thetsaban.coaching.models import MatchingRun
from thetsaban.hooks import EXAMPLE_MARK
from thetsaban.places.models import Lgu
from thetsaban.practices.demo import load_themes
from thetsaban.practices.models import Theme
from thetsaban.transfers import services
from thetsaban.transfers.choices import IssueLevel, ProjectStatus
from thetsaban.transfers.models import Issue, TransferProject

logger = logging.getLogger(__name__)

SOURCE_NOTE = ("เอกสารต้นทาง (ข้อเสนอแนะเชิงนโยบาย, DELGOSEA) ไม่ได้ระบุว่าแนวปฏิบัติที่นำมาปรับใช้มาจากที่ใด"
               " / The seed document does not name where this practice came from.")

# (Thai short name, full Thai name, deck code) of each pilot, its theme code and the project
# title as the deck's table gives it.
PILOTS = [
    (("ทน.สงขลา", "เทศบาลนครสงขลา", "SK"), "governance", "ปรับปรุงประสิทธิภาพการให้บริการประชาชน"),
    (("ทน.เชียงราย", "เทศบาลนครเชียงราย", "CR"), "governance", "การบูรณาการความร่วมมือระหว่างเครือข่ายเมือง"),
    (("ทน.ยะลา", "เทศบาลนครยะลา", "YL"), "governance", "การให้บริการสาธารณะ โดยการมีส่วนร่วมของชุมชน"),
    (("ทต.เมืองแกลง", "เทศบาลตำบลเมืองแกลง", "KLAENG"), "environment", "เมืองคาร์บอนต่ำ"),
    (("ทน.อุดรธานี", "เทศบาลนครอุดรธานี", "UDON"), "environment", "การจัดการน้ำเสียของเมือง"),
    (("ทน.ปากเกร็ด", "เทศบาลนครปากเกร็ด", "PK"), "budget",
     "การอนุรักษ์และพัฒนาตลาดเก่าอย่างมีส่วนร่วมอย่างยั่งยืน"),
]

# The deck's problems and recommendations at project level ("ข้อเสนอแนะ : ระดับโครงการ") and
# municipality level ("ข้อเสนอแนะ : ระดับหน่วยงาน (เทศบาล)"): (level, LGU tag as the deck
# writes it, problem, recommendation). A problem tagged with two codes goes into both pilots'
# logs. The deck gives no effects at these levels, so effect stays blank.
_PK_PROJECT_RECOMMENDATION = (
    "ควรจัดให้มีการอบรม ศึกษาดูงาน ให้ปรับเปลี่ยนแนวคิดในการพัฒนาชุมชน โดยชุมชนเอง และผลักดันให้กลุ่มตั้งเป็นมูลนิธิต่อไป\n"
    "แผนต่างๆต้องจัดทำโดยการมีส่วนร่วมในชุมชน")
_YL_PROJECT_RECOMMENDATION = (
    "ส่งเสริมความสัมพันธ์ภายในชุมชนและระหว่างเทศบาลและชุมชนอย่างต่อเนื่องและจริงจัง\n"
    "ให้ความสำคัญและยกย่องบุคคลที่มีจิตสาธารณะที่เข้าร่วมกิจกรรมของชุมชนและเทศบาล")
ISSUES = [
    (IssueLevel.PROJECT, "SK", "ขาดผู้เชี่ยวชาญด้านซอฟต์แวร์งบประมาณจำกัด", "ขอรับการสนับสนุนจาก กพร."),
    (IssueLevel.PROJECT, "CR", "ปัญหาด้านกำลังคน\nวิทยากรที่เลี้ยงมีภารกิจอื่น\nเปลี่ยนแปลงคณะผู้บริหาร",
     "มีการปรับแผนการทำงานให้เหมาะสมตามสถานการณ์\nการทำความเข้าใจ"),
    (IssueLevel.PROJECT, "PK", "สมาชิกในตลาดมีหลายกลุ่ม ขาดผู้นำตลาดที่แท้จริง", _PK_PROJECT_RECOMMENDATION),
    (IssueLevel.PROJECT, "PK", "โครงการในตลาดไม่ต่อเนื่อง ไม่สามารถตอบสนองความต้องการของกลุ่มตลาดได้",
     _PK_PROJECT_RECOMMENDATION),
    (IssueLevel.PROJECT, "YL", "ชุมชนในเขตเทศบาลนครยะลา มีลักษณะความเป็นอยู่ของชุมชนเมืองสูง",
     _YL_PROJECT_RECOMMENDATION),
    (IssueLevel.PROJECT, "YL", "ผู้นำชุมชนไม่ให้ความสำคัญกับโครงการฯ", _YL_PROJECT_RECOMMENDATION),
    (IssueLevel.MUNICIPALITY, "SK,YL", "หน่วยงานหลักขาดบุคลากรที่จะรับผิดชอบดูแลโครงการฯ อย่างต่อเนื่อง",
     "ผู้บริหารต้องให้ความสำคัญกับโครงการอย่างจริงจังและสร้างแรงจูงใจให้กับบุคลากร\n"
     "ผู้บริหารท้องถิ่นต้องให้ความสำคัญในระดับนโยบายอย่างต่อเนื่อง"),
    (IssueLevel.MUNICIPALITY, "CR", "อปท.บางแห่งไม่ให้ความสำคัญในการลดปริมาณขยะ",
     "สร้างกลไกการมีส่วนร่วมระหว่าง อปท. กับ ประชาชน (Co-management) ในการจัดการขยะมูลฝอยอย่างครบวงจร "
     "(ต้นทางถึงปลายทาง)\n"
     "เพิ่มประสิทธิภาพในการขับเคลื่อน อปท. ให้เข้ามาดูแลสิ่งแวดล้อมตามภารกิจของตนอย่างเห็นผล "
     "(การขับเคลื่อนกระบวนการจัดการขยะอย่างครบวงจร)"),
    (IssueLevel.MUNICIPALITY, "PK",
     "มีปัญหาทางการเมืองท้องถิ่นในตลาด และปัญหาสะสมจากการพัฒนาตลาดในช่วงแรกของเทศบาล",
     "เทศบาลควรปรับบทบาทเป็น ผู้สนับสนุนดูแลตลาด ตามภารกิจในอำนาจหน้าที่\n"
     "เทศบาลควรนำกระบวนการ จัดทำแผนชุมชน เป็นเครื่องมือในการพัฒนาตลาดเก่าๆ ผ่านกระบวนการชุมชน "
     "หรือตั้งกลุ่มตลาดเก่าเป็นชุมชนต่อไป"),
]


# Example data, not from the seed: pilots under way that have no coach yet, so that coach
# matching has projects to propose coaches for. (LGU names, theme code, title, days since start.)
EXAMPLE_PILOTS = [
    (("ทน.สงขลา", "เทศบาลนครสงขลา", "SK"), "environment", "ธนาคารขยะรีไซเคิลในชุมชน", 30),
    (("ทน.เชียงราย", "เทศบาลนครเชียงราย", "CR"), "budget", "ประชาคมงบประมาณประจำปี", 45),
    (("ทน.อุดรธานี", "เทศบาลนครอุดรธานี", "UDON"), "participation", "สภาเด็กและเยาวชนร่วมวางแผนเมือง", 60),
]
EXAMPLE_SOURCE = f"{EXAMPLE_MARK}: load_demo"


def load_examples(themes) -> int:
    """Create the example pilots under way without a coach that are missing; then, once, run the
    coach matching so that its page shows proposals to accept or reject."""
    today = timezone.localdate()
    added = 0
    for names, theme_code, title, days in EXAMPLE_PILOTS:
        lgu = find_lgu(names)
        title = f"{EXAMPLE_MARK}: {title}"
        if lgu is None or TransferProject.objects.filter(is_example=True, title=title).exists():
            continue
        services.save_project(TransferProject(
            title=title, target_lgu=lgu, theme=themes.get(theme_code), source_note=EXAMPLE_SOURCE,
            status=ProjectStatus.IMPLEMENTATION, is_example=True,
            planned_start=today - timedelta(days=days), planned_end=today + timedelta(days=365 - days),
        ), acting_user=None, note="demo")
        added += 1
    if not MatchingRun.objects.exists() and TransferProject.objects.filter(is_example=True).exists():
        matching_services.run_matching(acting_user=None)
    return added


def find_lgu(names):
    """The places demo's LGU of a pilot, by its short name, Thai name or deck code."""
    short, thai_name, code = names
    condition = Q(name_th=thai_name) | Q(short_name__in=[short, code]) | Q(code=f"DEMO-{code}")
    return Lgu.objects.filter(condition).order_by("pk").first()


@transaction.atomic
def load() -> int:
    """Create the demo records that are missing; returns how many were added."""
    added = load_themes()
    themes = {t.code: t for t in Theme.objects.all()}
    projects_by_code = {}
    for names, theme_code, title in PILOTS:
        lgu = find_lgu(names)
        if lgu is None:
            logger.warning("Demo transfer project %s skipped: LGU %s is not loaded.", title, names[0])
            continue
        title = thai.clean(title)
        project = TransferProject.objects.filter(target_lgu=lgu, title=title).first()
        if project is None:
            project = services.save_project(TransferProject(
                title=title, target_lgu=lgu, theme=themes.get(theme_code), source_note=SOURCE_NOTE,
                status=ProjectStatus.CLOSED,
            ), acting_user=None, note="demo")
            added += 1
        projects_by_code[names[2]] = project

    for position, (level, tag, problem, recommendation) in enumerate(ISSUES, start=1):
        for code in tag.split(","):
            project = projects_by_code.get(code)
            if project is None:
                continue
            problem_text = thai.clean(problem)
            if Issue.objects.filter(project=project, level=level, problem=problem_text).exists():
                continue
            services.save_issue(Issue(project=project, level=level, problem=problem_text,
                                      recommendation=thai.clean(recommendation), lgu_code=tag,
                                      position=position), acting_user=None)
            added += 1
    return added + load_examples(themes)
