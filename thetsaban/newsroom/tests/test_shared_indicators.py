"""Indicators a joint undertaking shares: the lead LGU's editors choose them, and the page shows
each partner LGU's approved figure side by side (table and chart), never a figure not approved."""

from django.urls import reverse

from thetsaban.accounts.models import AuditEntry
from thetsaban.localdata.choices import ObservationStatus
from thetsaban.localdata.models import Indicator
from thetsaban.localdata.tests.base import observe
from thetsaban.newsroom.tests.base import NewsroomTestCase


class SharedIndicatorTests(NewsroomTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.tonnes = Indicator.objects.create(code="waste-tonnes", name_th="ปริมาณขยะที่เก็บได้", theme="waste",
                                              unit="ตัน")
        cls.recycled = Indicator.objects.create(code="recycled-share", name_th="สัดส่วนขยะรีไซเคิล",
                                                theme="waste", unit="ร้อยละ")
        observe(cls.tonnes, cls.lgu, "2023", "900")
        observe(cls.tonnes, cls.lgu, "2024", "1250")
        observe(cls.tonnes, cls.neighbour, "2024", "430")
        # The member LGU's figure is still a draft: nobody sees it on the undertaking's page.
        observe(cls.tonnes, cls.other_lgu, "2024", "777", status=ObservationStatus.DRAFT)
        cls.undertaking.indicators.set([cls.tonnes, cls.recycled])

    def form(self, **extra):
        data = {"title": self.undertaking.title, "purpose": self.undertaking.purpose, "lead_lgu": self.lgu.code,
                "start_date": "", "members": f"{self.neighbour.code}; {self.other_lgu.code}", "practices": ""}
        data.update(extra)
        return data

    def table(self, response) -> str:
        return response.content.decode().split('id="shared-indicators-table"')[1].split("</table>")[0]

    def test_the_page_shows_approved_figures_side_by_side_with_a_chart(self):
        for user in (None, self.member, self.outsider, self.editor):
            with self.subTest(user=user):
                self.login(user)
                response = self.client.get(self.undertaking.get_absolute_url())
                table = self.table(response)
                self.assertIn("ปริมาณขยะที่เก็บได้", table)
                self.assertIn("<td>2024</td>", table)  # the latest approved period
                self.assertIn("1,250", table)
                self.assertIn("430", table)
                self.assertNotIn("777", response.content.decode())
                self.assertNotIn("900", table)
                self.assertIn("No approved figure yet.", table)  # the share has none
                # Columns in the order lead LGU, members.
                self.assertLess(table.index(self.lgu.name), table.index(self.neighbour.name))
                self.assertContains(response, 'aria-labelledby="shared-chart-waste-tonnes"')
                self.assertContains(response, f"<title>{self.neighbour.name}: 430</title>", html=False)
                self.assertNotContains(response, 'aria-labelledby="shared-chart-recycled-share"')

    def test_an_undertaking_without_shared_indicators_shows_no_section(self):
        self.undertaking.indicators.clear()
        self.assertNotContains(self.client.get(self.undertaking.get_absolute_url()), 'id="shared-indicators"')

    def test_the_lead_lgus_editor_chooses_the_indicators_audited(self):
        self.login(self.editor)
        url = reverse("newsroom:undertaking_edit", args=[self.undertaking.pk])
        self.assertContains(self.client.get(url), "สัดส่วนขยะรีไซเคิล")
        response = self.client.post(url, self.form(indicators=[str(self.recycled.pk)]))
        self.assertRedirects(response, self.undertaking.get_absolute_url())
        self.assertEqual(list(self.undertaking.indicators.all()), [self.recycled])
        entry = AuditEntry.objects.filter(content_type__model="jointundertaking",
                                          object_id=str(self.undertaking.pk)).latest("pk")
        self.assertEqual(entry.actor, self.editor)
        self.assertEqual(entry.after["indicators"], [self.recycled.pk])

    def test_others_cannot_change_the_shared_indicators(self):
        url = reverse("newsroom:undertaking_edit", args=[self.undertaking.pk])
        for user in (self.outsider, self.member, self.south_staff):
            with self.subTest(user=user):
                self.login(user)
                self.assertEqual(self.client.post(url, self.form(indicators=[])).status_code, 404)
        self.login(None)
        response = self.client.post(url, self.form(indicators=[]))
        self.assertEqual(response.status_code, 302)
        self.assertIn("login", response["Location"])
        self.assertEqual(self.undertaking.indicators.count(), 2)

    def test_the_api_names_the_shared_indicators(self):
        self.login(None)
        data = self.client.get(f"/api/v1/joint-undertakings/{self.undertaking.pk}/").json()
        self.assertEqual(sorted(data["indicators"]), ["recycled-share", "waste-tonnes"])
