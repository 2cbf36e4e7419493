"""The demo: the six pilots of the seed with their problems and recommendations, word for word."""

import re
import unittest
from pathlib import Path

from django.db.models import Q

from thetsaban.places import demo as places_demo
from thetsaban.testing import ThetsabanTestCase
from thetsaban.transfers import demo
from thetsaban.transfers.choices import IssueLevel, ProjectStatus
from thetsaban.transfers.models import Issue, TransferProject

SEED = Path("/work/shared/seed/policy-recommendations.th.txt")


class DemoTests(ThetsabanTestCase):
    @classmethod
    def setUpTestData(cls):
        # The places demo adds the pilot LGUs beside the two test LGUs (SK and CR, found by short name).
        super().setUpTestData()
        places_demo.load()
        cls.added = demo.load()

    def issues_of(self, code):
        # The demo's own LGUs carry the seed's Thai short names (ทน.ยะลา); their codes keep the deck's.
        return Issue.objects.filter(Q(project__target_lgu__short_name=code)
                                    | Q(project__target_lgu__code=f"DEMO-{code}"))

    def test_six_pilots_are_loaded_closed_without_invented_facts(self):
        projects = TransferProject.objects.filter(is_example=False)
        self.assertEqual(projects.count(), 6)
        for project in projects:
            self.assertEqual(project.status, ProjectStatus.CLOSED)
            self.assertIsNone(project.source_practice)
            self.assertIn("does not name", project.source_note)
            self.assertEqual(project.motivation, "")
            self.assertIsNone(project.planned_start)
            self.assertIsNone(project.actual_end)
            self.assertFalse(project.logbook.exists())
        themes = dict(projects.values_list("title", "theme__code"))
        self.assertEqual(themes["เมืองคาร์บอนต่ำ"], "environment")
        self.assertEqual(themes["การอนุรักษ์และพัฒนาตลาดเก่าอย่างมีส่วนร่วมอย่างยั่งยืน"], "budget")
        self.assertEqual(themes["ปรับปรุงประสิทธิภาพการให้บริการประชาชน"], "governance")

    def test_problems_are_the_seeds_thai_words(self):
        sk = self.issues_of("SK")
        self.assertTrue(sk.filter(level=IssueLevel.PROJECT, problem="ขาดผู้เชี่ยวชาญด้านซอฟต์แวร์งบประมาณจำกัด",
                                  recommendation="ขอรับการสนับสนุนจาก กพร.", lgu_code="SK", effect="").exists())
        self.assertTrue(self.issues_of("PK").filter(
            level=IssueLevel.PROJECT, problem="สมาชิกในตลาดมีหลายกลุ่ม ขาดผู้นำตลาดที่แท้จริง").exists())
        self.assertTrue(self.issues_of("CR").filter(
            level=IssueLevel.MUNICIPALITY, problem="อปท.บางแห่งไม่ให้ความสำคัญในการลดปริมาณขยะ").exists())
        self.assertTrue(self.issues_of("YL").filter(problem="ผู้นำชุมชนไม่ให้ความสำคัญกับโครงการฯ").exists())

    def test_a_problem_tagged_sk_and_yl_is_in_both_logs(self):
        problem = "หน่วยงานหลักขาดบุคลากรที่จะรับผิดชอบดูแลโครงการฯ อย่างต่อเนื่อง"
        for code in ("SK", "YL"):
            issue = self.issues_of(code).get(problem=problem)
            self.assertEqual(issue.level, IssueLevel.MUNICIPALITY)
            self.assertEqual(issue.lgu_code, "SK,YL")
        self.assertFalse(self.issues_of("CR").filter(problem=problem).exists())

    def test_no_issues_are_made_up_for_pilots_the_deck_gives_none(self):
        self.assertFalse(Issue.objects.filter(project__title="เมืองคาร์บอนต่ำ").exists())
        self.assertFalse(Issue.objects.filter(project__title="การจัดการน้ำเสียของเมือง").exists())
        self.assertEqual(Issue.objects.count(), 10)

    def test_example_pilots_under_way_without_a_coach_are_marked_and_matched(self):
        from thetsaban.coaching.models import MatchingRun

        examples = TransferProject.objects.filter(is_example=True)
        self.assertEqual(examples.count(), len(demo.EXAMPLE_PILOTS))
        for project in examples:
            self.assertTrue(project.title.startswith("ตัวอย่าง (example data)"))
            self.assertEqual(project.status, ProjectStatus.IMPLEMENTATION)
            self.assertFalse(project.assignments.exists())
        # Matching ran once (no coaches in this test, so it proposed nothing).
        self.assertEqual(MatchingRun.objects.count(), 1)

    def test_loading_again_adds_nothing(self):
        self.assertGreater(self.added, 0)
        self.assertEqual(demo.load(), 0)
        self.assertEqual(TransferProject.objects.filter(is_example=False).count(), 6)
        self.assertEqual(TransferProject.objects.filter(is_example=True).count(), len(demo.EXAMPLE_PILOTS))

    def test_page_shows_that_the_motivation_is_missing(self):
        project = TransferProject.objects.get(title="ปรับปรุงประสิทธิภาพการให้บริการประชาชน")
        response = self.client.get(project.get_absolute_url())
        self.assertContains(response, 'id="motivation"')
        self.assertContains(response, "KPI")
        self.assertContains(response, "Responsiveness")
        self.assertContains(response, "ขาดผู้เชี่ยวชาญด้านซอฟต์แวร์งบประมาณจำกัด")

    @unittest.skipUnless(SEED.exists(), "the seed document is not on this machine")
    def test_every_line_is_in_the_seed(self):
        text = re.sub(r"<[^>]+>", " ", SEED.read_text(encoding="utf-8"))
        text = re.sub(r"[•●—]", " ", text)
        text = re.sub(r"\s+", " ", text)
        for _level, _tag, problem, recommendation in demo.ISSUES:
            for line in (problem + "\n" + recommendation).split("\n"):
                self.assertIn(re.sub(r"\s+", " ", line), text)
