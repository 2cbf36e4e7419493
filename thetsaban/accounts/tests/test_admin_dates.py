"""Dates in the admin are typed and shown in the Buddhist Era, like the site's forms."""

import datetime

from django.contrib import admin
from django.test import RequestFactory
from django.utils import translation

from thetsaban.dates import ThaiDateField
from thetsaban.practices.models import Practice
from thetsaban.testing import ThetsabanTestCase
from thetsaban.transfers.models import TransferProject


class AdminBuddhistEraDateTests(ThetsabanTestCase):
    def form_class(self, model):
        request = RequestFactory().get("/")
        request.user = self.staff
        return admin.site._registry[model].get_form(request)

    def test_admin_date_fields_read_buddhist_era(self):
        for model, name in ((Practice, "start_date"), (TransferProject, "planned_start")):
            with self.subTest(model=model):
                field = self.form_class(model).base_fields[name]
                self.assertIsInstance(field, ThaiDateField)
                self.assertEqual(field.clean("10/3/2569"), datetime.date(2026, 3, 10))

    def test_admin_date_box_shows_the_buddhist_era_on_thai_pages(self):
        field = self.form_class(Practice).base_fields["start_date"]
        with translation.override("th"):
            html = field.widget.render("start_date", datetime.date(2026, 3, 10))
        self.assertIn("2569", html)
