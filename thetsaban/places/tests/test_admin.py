from django.urls import reverse

from thetsaban.accounts.models import AuditEntry
from thetsaban.places.models import Country, LearningCentre, Lgu, Province, Region
from thetsaban.testing import ThetsabanTestCase


class PlacesAdminTests(ThetsabanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        LearningCentre.objects.create(region=cls.lgu.province.region, name_th="ศูนย์ ภาคใต้")

    def test_staff_opens_every_places_admin_page(self):
        self.login(self.staff)
        for model in (Country, Region, Province, Lgu, LearningCentre):
            name = model._meta.model_name
            obj = model.objects.first()
            for url in (reverse(f"admin:places_{name}_changelist"),
                        reverse(f"admin:places_{name}_add"),
                        reverse(f"admin:places_{name}_change", args=[obj.pk])):
                self.assertEqual(self.client.get(url).status_code, 200, url)

    def test_admin_save_of_an_lgu_is_audited(self):
        self.login(self.staff)
        url = reverse("admin:places_lgu_change", args=[self.lgu.pk])
        response = self.client.post(url, {
            "code": self.lgu.code, "name_th": self.lgu.name_th, "name_en": self.lgu.name_en,
            "short_name": "SK", "lgu_type": "city", "province": self.lgu.province_id,
            "population": "60000", "website": "", "latitude": "7.1898", "longitude": "100.5954",
        })
        self.assertEqual(response.status_code, 302, response.content[:2000])
        entry = AuditEntry.objects.for_object(self.lgu).get()
        self.assertEqual((entry.action, entry.actor), ("update", self.staff))
        self.assertEqual(entry.after["population"], 60000)

    def test_non_staff_cannot_open_the_places_admin(self):
        for user in (self.editor, self.outsider, self.member):
            self.login(user)
            response = self.client.get(reverse("admin:places_lgu_changelist"))
            self.assertEqual(response.status_code, 302)
