"""The seed's recommendations in the demo, and the report rebuilt from them as HTML, XLSX, DOCX."""

import io
import shutil
import subprocess
import tempfile
import unittest
from pathlib import Path

from django.contrib.staticfiles import finders
from django.test import TestCase
from django.urls import reverse

from thetsaban.policy import demo
from thetsaban.policy.choices import ActorRole, Level, RecommendationStatus
from thetsaban.policy.coverage import build_coverage
from thetsaban.policy.filters import overdue_q
from thetsaban.policy.models import Recommendation
from thetsaban.transfers.models import Issue, TransferProject

# Exact Thai strings of the seed, several per level.
SEED = {
    Level.PROJECT: ["ขอรับการสนับสนุนจาก กพร.",
                    "ให้ความสำคัญและยกย่องบุคคลที่มีจิตสาธารณะที่เข้าร่วมกิจกรรมของชุมชนและเทศบาล",
                    "แผนต่างๆต้องจัดทำโดยการมีส่วนร่วมในชุมชน",
                    "มีความอดทน และมุ่งมั่นของคนทำงาน"],
    Level.MUNICIPALITY: ["ผู้บริหารท้องถิ่นต้องให้ความสำคัญในระดับนโยบายอย่างต่อเนื่อง",
                         "อปท.บางแห่งไม่ให้ความสำคัญในการลดปริมาณขยะ",
                         "หรือตั้งกลุ่มตลาดเก่าเป็นชุมชนต่อไป",
                         "การจัดการขยะในเชียงราย ต่างคนต่างทำ ภาคประชาชนและภาครัฐควรมาทำงานร่วมกัน"],
    Level.LEAGUE: ["ส.ท.ท. ต้องหนุนเสริม Best Practice ได้อย่างไรเพื่อให้เกิดการทำงานอย่างต่อเนื่อง",
                   "ส.ท.ท. จะสร้าง Best Practice ใหม่ได้อย่างไร",
                   "ส.ท.ท. ต้องสนับสนุนการเพิ่มจำนวน Coach อย่างน้อย 1 เทศบาล : 1 Coach",
                   "ส.ท.ท.ต้องสร้างความเข้มแข็งและเสริมบทบาทของ ศูนย์เครือข่ายการเรียนรู้ด้านการจัดการเมืองและสิ่งแวดล้อม ทั้ง 5 ภาค",
                   "ให้ท้องถิ่นทำเยอะ จนกลายมาเป็น Agenda ของ สทท. ต่อไป"],
    Level.PARTNER: ["จัดทำข้อเสนอต่อรัฐบาลเพื่อสนับสนุนท้องถิ่น",
                    "การทำวิจัยร่วมกับองค์กรปกครองส่วนท้องถิ่น และการจัดทำหลักสูตรท้องถิ่น",
                    "ร่วมให้ข้อคิดเห็น สร้างการเรียนรู้ในระดับชุมชน",
                    "ร่วมสนับสนุนการทำงานขององค์กรปกครองส่วนท้องถิ่น ในการสร้างความรู้ความเข้าใจที่ถูกต้อง"],
    Level.POLICY: ["การแก้กฎหมายให้อปท. สามารถทำงานในชุมชนได้อย่างคล่องตัวได้",
                   "ควรสนับสนุนให้มีการออกกฎหมายเพื่อรองรับกับหลัก 3Rs",
                   "ควรมีหน่วยงาน กลางที่วางระบบ และพัฒนา E- Gov ของ อปท. ให้เป็นระบบ เดียวกัน",
                   "ส่งเสริมการมีส่วนร่วมผ่านตัวแทนประชาชนหรือกลุ่มประชาสังคม",
                   "ท้องถิ่นไม่สามารถร่วมกันทำงานได้ โดยเฉพาะในการจัดการสิ่งแวดล้อมที่ต้องอาศัยการบริหารสิ่งแวดล้อมข้ามพรมแดน Transboundary",
                   "ข้อกำหนดและระเบียบ", "กฎหมายเกี่ยวกับการกระจายอำนาจ",
                   "ควรสร้าง Bottom-up Policy เพื่อลดจุดอ่อนของตัวเอง"],
}

# The six rows of the deck's policy table: issue, sub-issue, problem, effect (start), codes.
POLICY_TABLE = [
    ("กฎหมายเกี่ยวกับการกระจายอำนาจ", "1) การให้อำนาจท้องถิ่นอย่างแท้จริง",
     "ไม่สามารถดำเนินงานได้ตามที่กำหนดไว้", ""),
    ("กฎหมายเกี่ยวกับการกระจายอำนาจ", "2) การถ่ายโอนภารกิจ",
     "ถ่ายโอนมาแล้ว แต่อปท. ยังประสบปัญหางบประมาณคน และเครื่องมือ", "CR"),
    ("กฎหมายกระจายอำนาจ", "3) ความเป็นอิสระ (Autonomy)",
     "การดึงภาคประชาชนมีส่วนร่วมในการให้บริการสาธารณะในชุมชนของตนเอง", "YL"),
    ("พระราชกฤษฎีกา การปรับปรุงการ ให้บริการประชาชน ฯ (E-Gov)", "1) เป็นเพียง แนวทางกว้างๆ",
     "ขาดงบประมาณ ผู้เชี่ยวชาญ และ หน่วยงานกลาง ที่ให้การ สนับสนุน", ""),
    ("ระเบียบ หนังสือสั่งการอื่นๆ", "1) การให้อำนาจเทศบาลในการจัดตั้งกลุ่มในพื้นที่กรณี ทน.ปากเกร็ด",
     "เทศบาลไม่สามารถตั้งกลุ่มเองได้", "PK"),
    ("ระเบียบ หนังสือสั่งการ อื่นๆ", "2) ไม่มีระเบียบที่ส่งเสริมให้ท้องถิ่นมาทำกิจการร่วมกัน",
     "ท้องถิ่นไม่สามารถร่วมกันทำงานได้", "CR"),
]


def load_demo_chain():
    """The demos this one builds on (places, directory, practices), then this one."""
    from thetsaban.directory import demo as directory_demo
    from thetsaban.places import demo as places_demo
    from thetsaban.practices import demo as practices_demo

    places_demo.load()
    directory_demo.load()
    practices_demo.load()
    return demo.load()


class DemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.added = load_demo_chain()

    def test_every_seed_recommendation_is_loaded_at_its_level(self):
        self.assertEqual(self.added, len(demo.RECOMMENDATIONS) + len(demo.EXAMPLE_OVERDUE))
        seed = Recommendation.objects.filter(is_example=False)
        counts = {level: seed.filter(level=level).count() for level in Level.values}
        self.assertEqual(counts, {"project": 10, "municipality": 4, "league": 16, "partner": 14,
                                  "policy": 19})
        for level, texts in SEED.items():
            rows = Recommendation.objects.filter(level=level)
            for text in texts:
                self.assertTrue(any(text in " ".join([r.issue, r.sub_issue, r.problem, r.effect,
                                                      r.recommendation]) for r in rows), (level, text))

    def test_loading_again_adds_nothing(self):
        self.assertEqual(demo.load(), 0)
        self.assertEqual(Recommendation.objects.filter(is_example=False).count(), len(demo.RECOMMENDATIONS))
        self.assertEqual(Recommendation.objects.filter(is_example=True).count(), len(demo.EXAMPLE_OVERDUE))

    def test_example_recommendations_are_marked_overdue_and_apart_from_the_seed(self):
        examples = Recommendation.objects.filter(is_example=True)
        self.assertEqual(set(examples.values_list("pk", flat=True)),
                         set(Recommendation.objects.filter(overdue_q()).values_list("pk", flat=True)))
        for recommendation in examples:
            self.assertTrue(recommendation.title.startswith("ตัวอย่าง (example data)"))
            self.assertFalse(recommendation.source.startswith(demo.SOURCE))

    def test_the_policy_table_has_its_six_rows_and_five_columns(self):
        rows = list(Recommendation.objects.filter(level=Level.POLICY, issue="ข้อกำหนดและระเบียบ")
                    .order_by("position"))
        self.assertEqual(len(rows), 6)
        for row, (sub_issue, problem, effect, codes) in zip(rows, POLICY_TABLE, strict=True):
            self.assertEqual(row.sub_issue, sub_issue)
            self.assertTrue(row.problem.startswith(problem), row.problem)
            self.assertTrue(row.effect.startswith(effect), row.effect)
            self.assertTrue(row.recommendation)
            self.assertEqual(row.lgu_codes, codes)

    def test_text_is_clean_and_from_the_seed(self):
        self.assertFalse(Recommendation.objects.filter(recommendation__contains="<").exists())
        self.assertFalse(Recommendation.objects.filter(recommendation__contains="•").exists())
        self.assertFalse(Recommendation.objects.filter(recommendation__contains="\u0e4d\u0e32").exists())
        self.assertTrue(Recommendation.objects.filter(recommendation__contains="เทศบาลนำร่อง").exists())
        seed = Recommendation.objects.filter(is_example=False)
        self.assertEqual(set(seed.values_list("status", flat=True)),
                         {RecommendationStatus.PROPOSED, RecommendationStatus.UNDER_CONSIDERATION})
        self.assertTrue(all(source.startswith(demo.SOURCE)
                            for source in seed.values_list("source", flat=True)))
        self.assertFalse(seed.filter(planned_end__isnull=False).exists())  # the seed gives no dates

    def test_partners_and_the_league_are_actors(self):
        kpi = Recommendation.objects.get(recommendation="จัดทำข้อเสนอต่อรัฐบาลเพื่อสนับสนุนท้องถิ่น")
        self.assertEqual([a.organisation.code for a in kpi.actors.all()], ["kpi"])
        coach = Recommendation.objects.get(recommendation__startswith="ส.ท.ท. ต้องสนับสนุนการเพิ่มจำนวน Coach")
        self.assertEqual([(a.organisation.code, a.role) for a in coach.actors.all()],
                         [("nmlt", ActorRole.ACCOUNTABLE)])
        self.assertEqual(set(Recommendation.objects.filter(level=Level.PARTNER)
                             .values_list("actors__organisation__code", flat=True)),
                         {"kpi", "academic-regional", "civil-society", "media"})

    def test_lgu_codes_link_the_pilots(self):
        row = Recommendation.objects.get(problem__startswith="หน่วยงานหลักขาดบุคลากร")
        self.assertEqual(row.lgu_codes, "SK, YL")
        self.assertEqual(sorted(row.lgus.values_list("code", flat=True)), ["DEMO-SK", "DEMO-YL"])

    def test_coverage_reveals_the_critique_on_the_demo(self):
        # The seed's own recommendations; the example ones are the overdue (test above).
        report = build_coverage(Recommendation.objects.restrict(None, "view").filter(is_example=False))
        checks = {name: {i["id"] for i in items} for name, items in report["checks"].items()}
        policy = set(Recommendation.objects.filter(level=Level.POLICY).values_list("pk", flat=True))
        self.assertEqual(len(policy), 19)
        for name in ("missing_agency", "missing_time_frame", "missing_target", "missing_partners"):
            self.assertLessEqual(policy, checks[name], name)
        self.assertEqual(report["total"], len(demo.RECOMMENDATIONS))
        league = Recommendation.objects.get(recommendation="ส.ท.ท. จะสร้าง Best Practice ใหม่ได้อย่างไร")
        self.assertNotIn(league.pk, checks["missing_agency"])
        self.assertIn(league.pk, checks["missing_time_frame"])
        self.assertEqual(checks["overdue"], set())
        page = self.client.get(reverse("policy:coverage"))
        self.assertContains(page, "ควรมีหน่วยงาน กลางที่วางระบบ")


class DemoLinksToPilotIssuesTests(TestCase):
    def test_project_and_municipality_items_link_the_pilots_issue_log(self):
        from thetsaban.places import demo as places_demo

        places_demo.load()
        from thetsaban.places.models import Lgu

        pilot = TransferProject.objects.create(title="ตลาดเก่า", target_lgu=Lgu.objects.get(code="DEMO-PK"))
        first = Issue.objects.create(project=pilot, level=Level.PROJECT, lgu_code="PK",
                                     problem="• สมาชิกในตลาดมีหลายกลุ่ม ขาดผู้นำตลาดที่แท้จริง (PK)")
        second = Issue.objects.create(project=pilot, level=Level.PROJECT, lgu_code="PK",
                                      problem="โครงการในตลาดไม่ต่อเนื่อง ไม่สามารถตอบสนองความต้องการของกลุ่มตลาดได้")
        demo.load()
        recommendation = first.recommendations.get()
        self.assertEqual(list(second.recommendations.all()), [recommendation])
        self.assertEqual(list(recommendation.projects.all()), [pilot])
        # Issues logged after the first load are linked on the next one.
        late = Issue.objects.create(project=pilot, level=Level.MUNICIPALITY, lgu_code="PK",
                                    problem="มีปัญหาทางการเมืองท้องถิ่นในตลาด และปัญหาสะสมจากการพัฒนาตลาดในช่วงแรกของเทศบาล")
        self.assertEqual(demo.load(), 0)
        self.assertEqual(late.recommendations.get().level, Level.MUNICIPALITY)


class ReportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_demo_chain()

    def test_html_report_carries_every_level(self):
        response = self.client.get(reverse("policy:report"))
        # The print styles and the Thai font come from a static file (no inline styles: CSP).
        self.assertContains(response, "/static/policy/report.css")
        stylesheet = Path(finders.find("policy/report.css")).read_text()
        self.assertIn("fonts/sarabun/Sarabun-Regular.ttf", stylesheet)
        self.assertIn("@media print", stylesheet)
        self.assertTrue(finders.find("fonts/sarabun/Sarabun-Regular.ttf"))
        html = response.content.decode()
        for level, texts in SEED.items():
            self.assertIn(f'id="level-{level}"', html)
            for text in texts:
                self.assertIn(text, html, (level, text))
        # The policy table's five columns and the LGU codes.
        policy = html[html.index('id="level-policy"'):]
        header = policy[policy.index("<thead>"):policy.index("</thead>")]
        self.assertEqual(header.count("<th>"), 9)  # the deck's six, then status, progress, latest update
        self.assertIn('<td class="lgu_codes">CR</td>', policy)

    def test_report_filters(self):
        html = self.client.get(reverse("policy:report"), {"level": "league"}).content.decode()
        self.assertIn(SEED[Level.LEAGUE][0], html)
        self.assertNotIn(SEED[Level.POLICY][0], html)
        self.assertNotIn('id="level-policy"', html)  # only the chosen level's section
        html = self.client.get(reverse("policy:report"), {"theme": "environment"}).content.decode()
        self.assertIn("ควรสนับสนุนให้มีการออกกฎหมายเพื่อรองรับกับหลัก 3Rs", html)
        self.assertNotIn(SEED[Level.LEAGUE][1], html)
        html = self.client.get(reverse("policy:report"), {"status": "under_consideration"}).content.decode()
        self.assertIn("ระเบียบของ สตง. ยังไม่เอื้อ", html)
        self.assertNotIn(SEED[Level.PARTNER][0], html)
        html = self.client.get(reverse("policy:report"), {"date_to": "2000-01-01"}).content.decode()
        self.assertNotIn(SEED[Level.PARTNER][0], html)

    def test_xlsx_opens_and_holds_every_level(self):
        from openpyxl import load_workbook

        response = self.client.get(reverse("policy:report_xlsx"))
        self.assertEqual(response.status_code, 200)
        self.assertIn(".xlsx", response["Content-Disposition"])
        workbook = load_workbook(io.BytesIO(response.content))
        self.assertEqual(len(workbook.sheetnames), 6)  # a summary and one sheet per level
        texts = {}
        for sheet in workbook.worksheets[1:]:
            texts[sheet.title] = "\n".join(str(c.value) for row in sheet.iter_rows() for c in row
                                           if c.value)
            self.assertGreater(sheet.column_dimensions["A"].width, 10)
        sheets = list(texts.values())
        from thetsaban.policy.choices import LEVEL_ORDER

        for index, level in enumerate(LEVEL_ORDER):
            for text in SEED[level]:
                self.assertIn(text, sheets[index], (level, text))
        policy = workbook.worksheets[5]
        header = [c.value for c in policy[1]]
        self.assertEqual(len(header), 9)
        self.assertIn(policy.cell(row=2, column=6).value, (None, ""))  # row 1 of the table: no code
        self.assertEqual(policy.cell(row=3, column=6).value, "CR")

    def test_docx_opens_with_headings_tables_and_the_thai_font(self):
        from docx import Document
        from docx.oxml.ns import qn

        response = self.client.get(reverse("policy:report_docx"))
        self.assertEqual(response.status_code, 200)
        document = Document(io.BytesIO(response.content))
        headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
        self.assertEqual(len(headings), 5)
        self.assertEqual(len(document.tables), 5)
        from thetsaban.policy.choices import LEVEL_ORDER

        for table, level in zip(document.tables, LEVEL_ORDER, strict=True):
            text = "\n".join(cell.text for row in table.rows for cell in row.cells)
            for seed_text in SEED[level]:
                self.assertIn(seed_text, text, (level, seed_text))
        self.assertEqual(len(document.tables[4].columns), 9)
        runs = [run for row in document.tables[4].rows for cell in row.cells
                for paragraph in cell.paragraphs for run in paragraph.runs]
        self.assertTrue(runs)
        for run in runs[:50]:
            fonts = run._element.rPr.rFonts
            self.assertEqual(fonts.get(qn("w:cs")), "Sarabun")
            self.assertEqual(fonts.get(qn("w:ascii")), "Sarabun")

    def test_api_report_links_the_downloads(self):
        body = self.client.get(reverse("policy-report-list"), {"level": "policy"}).json()
        self.assertEqual(body["count"], 19)
        self.assertIn("/policy/report.docx?level=policy", body["downloads"]["docx"])
        self.assertIn("/policy/report.xlsx?level=policy", body["downloads"]["xlsx"])


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@unittest.skipUnless(SOFFICE, "LibreOffice is not installed")
class LibreOfficeTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_demo_chain()

    def test_libreoffice_converts_the_docx_and_xlsx_to_pdf(self):
        with tempfile.TemporaryDirectory() as folder:
            for name, extension in (("policy:report_docx", "docx"), ("policy:report_xlsx", "xlsx")):
                path = Path(folder) / f"report.{extension}"
                path.write_bytes(self.client.get(reverse(name)).content)
                subprocess.run([SOFFICE, "--headless", "--convert-to", "pdf", "--outdir", folder,
                                str(path)], check=True, timeout=180, capture_output=True,
                               env={"HOME": folder, "PATH": "/usr/bin:/bin"})
                pdf = path.with_suffix(".pdf")
                self.assertTrue(pdf.exists(), extension)
                self.assertTrue(pdf.read_bytes().startswith(b"%PDF"))
