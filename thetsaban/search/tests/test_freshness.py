"""Renaming a record re-indexes the records whose documents carry its name."""

from django.urls import reverse
from django.utils import timezone

from thetsaban.directory.choices import OrganisationKind, Visibility
from thetsaban.directory.models import Membership, Organisation, Person
from thetsaban.practices.models import Practice, PracticeStep, Theme
from thetsaban.search import services
from thetsaban.testing import ThetsabanTestCase


class RenamesReindexTests(ThetsabanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.theme = Theme.objects.create(code="green", name_th="สิ่งแวดล้อม", name_en="Environment")
        cls.practice = Practice.objects.create(
            lgu=cls.lgu, title_th="คัดแยกขยะ", summary="ชุมชน", status="published", tier="good",
            published_at=timezone.now())
        cls.practice.themes.add(cls.theme)
        cls.organisation = Organisation.objects.create(
            kind=OrganisationKind.ACADEMIC, name_th="สถาบันวิจัย", lgu=cls.lgu)
        cls.person = Person.objects.create(name_th="ผู้ประสานงาน ตัวอย่าง", visibility=Visibility.PUBLIC,
                                           listing_consent=True)
        Membership.objects.create(person=cls.person, organisation=cls.organisation, role="นักวิจัย")

    def found(self, q, kind):
        data = self.client.get(reverse("api-search"), {"q": q, "type": kind}).json()
        return [r["id"] for r in data["results"]]

    def test_renaming_a_theme_reindexes_its_practices(self):
        self.theme.name_th = "ภูมิทัศน์เมือง"
        self.theme.save()
        self.assertEqual(self.found("ภูมิทัศน์", "practice"), [self.practice.pk])

    def test_adding_a_practice_from_the_themes_side_reindexes_it(self):
        other = Theme.objects.create(code="water", name_th="แหล่งน้ำ", name_en="Water")
        other.practices.add(self.practice)
        self.assertEqual(self.found("แหล่งน้ำ", "practice"), [self.practice.pk])

    def test_renaming_a_province_reindexes_its_lgus_and_practices(self):
        province = self.lgu.province
        province.name_th = "นครใหม่"
        province.save()
        self.assertEqual(self.found("นครใหม่", "practice"), [self.practice.pk])
        self.assertEqual(self.found("นครใหม่", "lgu"), [self.lgu.pk])

    def test_renaming_an_lgu_reindexes_its_practices_and_organisations(self):
        self.lgu.name_th = "เทศบาลเมืองทดลอง"
        self.lgu.save()
        self.assertEqual(self.found("ทดลอง", "practice"), [self.practice.pk])
        self.assertEqual(self.found("ทดลอง", "organisation"), [self.organisation.pk])

    def test_renaming_an_organisation_reindexes_its_members(self):
        self.organisation.name_th = "มหาวิทยาลัยชุมชน"
        self.organisation.save()
        self.assertEqual(self.found("มหาวิทยาลัยชุมชน", "person"), [self.person.pk])

    def test_an_admin_edit_of_a_step_reindexes_the_practice(self):
        self.client.force_login(self.staff)
        url = reverse("admin:practices_practice_change", args=[self.practice.pk])
        form = self.client.get(url).context["adminform"].form
        data = {name: form[name].value() or "" for name in form.fields if name not in ("themes", "contacts")}
        data["themes"] = [self.theme.pk]
        for prefix in ("steps", "results", "partners", "attachments"):
            data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
        data.update({"steps-TOTAL_FORMS": "1", "steps-0-title": "ตั้งธนาคารขยะรีไซเคิล",
                     "steps-0-description": "รับซื้อขวด", "steps-0-position": "1"})
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 302, getattr(response, "context", None)
                         and [f.errors for f in response.context["inline_admin_formsets"]])
        self.assertTrue(PracticeStep.objects.filter(practice=self.practice).exists())
        self.assertEqual(self.found("ธนาคารขยะ", "practice"), [self.practice.pk])

    def test_rebuild_check_reports_no_drift_then_a_stale_document(self):
        from io import StringIO

        from django.core.management import call_command

        out = StringIO()
        call_command("rebuild_search_index", "--check", stdout=out)
        self.assertIn("0 missing, 0 stale, 0 extra", out.getvalue())
        Practice.objects.filter(pk=self.practice.pk).update(title_th="เปลี่ยนชื่อโดยไม่ผ่านระบบ")
        out = StringIO()
        with self.assertRaises(SystemExit):
            call_command("rebuild_search_index", "--check", stdout=out)
        self.assertIn("0 missing, 1 stale, 0 extra", out.getvalue())
        services.index_object(Practice.objects.get(pk=self.practice.pk))
