import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from thetsaban.accounts.models import AuditEntry
from thetsaban.newsroom.models import Agreement, JointUndertaking
from thetsaban.newsroom.tests.base import NewsroomTestCase

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class UndertakingPageTests(NewsroomTestCase):
    def test_listed_on_each_member_and_the_lead_lgus_page_but_not_elsewhere(self):
        for lgu in (self.lgu, self.neighbour, self.other_lgu):
            with self.subTest(lgu=lgu.code):
                response = self.client.get(lgu.get_absolute_url())
                self.assertContains(response, "ศูนย์กำจัดขยะรวม")
        self.undertaking.members.remove(self.other_lgu)
        self.assertNotContains(self.client.get(self.other_lgu.get_absolute_url()), "ศูนย์กำจัดขยะรวม")

    def test_the_list_has_a_map_of_the_located_lgus_with_the_lead_marked(self):
        response = self.client.get(reverse("newsroom:undertakings"))
        self.assertContains(response, "ศูนย์กำจัดขยะรวม")
        self.assertContains(response, "leaflet/leaflet.js")
        script = response.content.decode().split('id="undertakings-map-data"')[1].split(">", 1)[1].split("</script>")[0]
        data = json.loads(script)
        markers = {marker["name"]: marker["lead"] for marker in data["markers"]}
        self.assertEqual(markers[self.lgu.name], True)
        self.assertEqual(markers[self.neighbour.name], False)

    def test_the_page_shows_lgus_purpose_and_shared_practices(self):
        response = self.client.get(self.undertaking.get_absolute_url())
        self.assertContains(response, "กำจัดขยะร่วมกัน")
        self.assertContains(response, "ธนาคารขยะชุมชน")
        self.assertContains(response, self.neighbour.name)
        self.assertContains(response, 'property="og:title" content="ศูนย์กำจัดขยะรวม"')


class UndertakingPermissionTests(NewsroomTestCase):
    def form(self, **extra):
        data = {"title": "เครือข่ายลุ่มน้ำ", "purpose": "ดูแลลุ่มน้ำร่วมกัน", "lead_lgu": self.lgu.code,
                "start_date": "1/10/2567", "members": self.neighbour.code, "practices": ""}
        data.update(extra)
        return data

    def test_the_lead_lgus_editor_edits_and_adds_an_agreement_audited(self):
        self.login(self.editor)
        url = reverse("newsroom:undertaking_edit", args=[self.undertaking.pk])
        response = self.client.post(url, self.form(title="ศูนย์กำจัดขยะรวม (ปรับปรุง)"))
        self.assertRedirects(response, self.undertaking.get_absolute_url())
        self.undertaking.refresh_from_db()
        self.assertEqual(self.undertaking.title, "ศูนย์กำจัดขยะรวม (ปรับปรุง)")
        self.assertEqual(str(self.undertaking.start_date), "2024-10-01")
        self.assertEqual(list(self.undertaking.members.all()), [self.neighbour])
        upload = SimpleUploadedFile("mou.pdf", PDF, content_type="application/pdf")
        self.client.post(reverse("newsroom:agreement_add", args=[self.undertaking.pk]),
                         {"title": "บันทึกข้อตกลง", "signed_on": "", "file": upload})
        agreement = Agreement.objects.get()
        self.assertEqual(b"".join(self.client.get(agreement.get_absolute_url()).streaming_content), PDF)
        actors = set(AuditEntry.objects.filter(content_type__model__in=["jointundertaking", "agreement"])
                     .values_list("actor__username", flat=True))
        self.assertEqual(actors, {"editor"})

    def test_another_lgu_a_member_centre_staff_and_anonymous_cannot_edit(self):
        url = reverse("newsroom:undertaking_edit", args=[self.undertaking.pk])
        for user in (self.outsider, self.member, self.south_staff):
            with self.subTest(user=user):
                self.login(user)
                self.assertEqual(self.client.get(url).status_code, 404)
                self.assertEqual(self.client.post(url, self.form(title="ยึด")).status_code, 404)
                upload = SimpleUploadedFile("mou.pdf", PDF)
                self.assertEqual(self.client.post(reverse("newsroom:agreement_add", args=[self.undertaking.pk]),
                                                  {"title": "x", "file": upload}).status_code, 404)
        self.login(None)
        self.assertEqual(self.client.get(url).status_code, 302)
        self.undertaking.refresh_from_db()
        self.assertEqual(self.undertaking.title, "ศูนย์กำจัดขยะรวม")
        self.assertFalse(Agreement.objects.exists())

    def test_an_editor_records_an_undertaking_only_with_their_own_lgu_as_lead(self):
        self.login(self.outsider)
        response = self.client.post(reverse("newsroom:undertaking_new"), self.form())
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Lead LGU", status_code=400)
        response = self.client.post(reverse("newsroom:undertaking_new"),
                                    self.form(lead_lgu=self.other_lgu.code, members=self.lgu.code))
        created = JointUndertaking.objects.get(title="เครือข่ายลุ่มน้ำ")
        self.assertRedirects(response, created.get_absolute_url())
        self.assertEqual(created.lead_lgu, self.other_lgu)
        self.login(self.member)
        self.assertEqual(self.client.get(reverse("newsroom:undertaking_new")).status_code, 403)

    def test_agreements_open_only_to_the_undertakings_lgus_and_staff(self):
        agreement = Agreement.objects.create(undertaking=self.undertaking, title="บันทึกข้อตกลง",
                                             file=SimpleUploadedFile("mou.pdf", PDF))
        self.undertaking.members.set([self.neighbour])
        for user, status in ((self.editor, 200), (self.staff, 200), (self.outsider, 404), (self.member, 404),
                             (self.south_staff, 404), (None, 404)):
            with self.subTest(user=user):
                self.login(user)
                self.assertEqual(self.client.get(agreement.get_absolute_url()).status_code, status)
                page = self.client.get(self.undertaking.get_absolute_url())
                self.assertEqual("บันทึกข้อตกลง" in page.content.decode(), status == 200)
