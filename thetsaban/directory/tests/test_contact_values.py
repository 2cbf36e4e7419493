"""Contact values are checked by kind wherever they are written, and only http(s) becomes a link."""

import json

from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.urls import reverse

from thetsaban.directory import demo, services
from thetsaban.directory.choices import ContactKind, Visibility
from thetsaban.directory.models import ContactDetail, Organisation
from thetsaban.directory.tests.base import DirectoryTestCase
from thetsaban.places import demo as places_demo
from thetsaban.places.models import Lgu

GOOD = [
    ("email", "waste@songkhla.example.org"),
    ("phone", "0 7431 2000"),
    ("phone", "+66 74 312 000 ต่อ 12"),
    ("mobile", "081-234-5678"),
    ("fax", "(074) 312-001"),
    ("line", "@songkhlacity"),
    ("line", "songkhla.city_01"),
    ("line", "https://line.me/R/ti/p/@songkhlacity"),
    ("website", "https://www.songkhla.example.org/waste"),
    ("website", "http://songkhla.example.org"),
    ("address", "ถนนราชดำเนิน ตำบลบ่อยาง อำเภอเมืองสงขลา 90000"),
]

BAD = [
    ("website", "javascript:alert(document.cookie)", "http"),
    ("website", "data:text/html,<script>alert(1)</script>", "http"),
    ("website", "ftp://files.example.org", "http"),
    ("website", "www.songkhla.example.org", "http"),
    ("line", "javascript:alert(1)", "LINE"),
    ("line", "ftp://line.example.org", "http"),
    ("email", "javascript:alert(1)", "e-mail"),
    ("email", "not-an-address", "e-mail"),
    ("phone", "call me maybe", "telephone"),
    ("phone", "javascript:alert(1)", "telephone"),
    ("mobile", "12", "telephone"),
    ("fax", "0 7431 2000 ต่อ abc", "telephone"),
    ("address", "   ", ""),  # the API trims it and says the field may not be blank
]


class ContactValueTests(DirectoryTestCase):
    """Services, the API and the role form refuse a value that does not fit its kind."""

    def post(self, url, data):
        return self.client.post(url, json.dumps(data), content_type="application/json")

    def test_service_accepts_good_values_and_refuses_bad_ones_naming_the_value(self):
        for kind, value in GOOD:
            services.create_contact_detail(acting_user=self.staff, post=self.waste_post, kind=kind,
                                           value=value, visibility=Visibility.PUBLIC, consent=True)
        for kind, value, _word in BAD:
            with self.assertRaises(ValidationError, msg=(kind, value)) as caught:
                services.create_contact_detail(acting_user=self.staff, post=self.waste_post,
                                               kind=kind, value=value)
            self.assertIn("value", caught.exception.message_dict)
        self.assertFalse(ContactDetail.objects.filter(value__startswith="javascript").exists())

    def test_api_answers_400_with_a_message_on_the_value(self):
        self.login(self.editor)
        for kind, value, word in BAD:
            response = self.post("/api/v1/contact-details/", {
                "post": self.waste_post.pk, "kind": kind, "value": value,
                "visibility": "public", "consent": True})
            self.assertEqual(response.status_code, 400, (kind, value))
            message = " ".join(response.json()["value"])
            self.assertIn(word.lower(), message.lower(), (kind, value, message))
        detail = ContactDetail.objects.filter(post=self.waste_post, kind="phone").first()
        response = self.client.patch(f"/api/v1/contact-details/{detail.pk}/",
                                     json.dumps({"kind": "website"}),
                                     content_type="application/json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("value", response.json())
        self.assertFalse(ContactDetail.objects.filter(value__startswith="javascript").exists())

    def test_role_form_shows_the_error_on_the_row_and_writes_nothing(self):
        self.login(self.editor)
        response = self.client.post(reverse("directory:post_edit", args=[self.waste_post.pk]), {
            "label_th": "ผู้ประสานงานการจัดการขยะ", "responsibilities": "ใหม่",
            "topics": [self.environment.pk],
            "contacts-TOTAL_FORMS": "1", "contacts-INITIAL_FORMS": "0",
            "contacts-MIN_NUM_FORMS": "0", "contacts-MAX_NUM_FORMS": "1000",
            "contacts-0-kind": "website", "contacts-0-value": "javascript:alert(1)",
            "contacts-0-visibility": "public", "contacts-0-consent": "on"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Row 1")
        self.assertContains(response, "https://")
        self.assertFalse(ContactDetail.objects.filter(value__startswith="javascript").exists())
        self.assertNotEqual(self.waste_post.__class__.objects.get(pk=self.waste_post.pk)
                            .responsibilities, "ใหม่")

    def test_organisation_website_must_be_http(self):
        self.login(self.editor)
        for website in ("javascript:alert(1)", "ftp://files.example.org"):
            response = self.client.patch(f"/api/v1/organisations/{self.office.pk}/",
                                         json.dumps({"website": website}),
                                         content_type="application/json")
            self.assertEqual(response.status_code, 400, website)
            self.assertIn("website", response.json())
        response = self.client.patch(f"/api/v1/organisations/{self.office.pk}/",
                                     json.dumps({"website": "https://songkhla.example.org"}),
                                     content_type="application/json")
        self.assertEqual(response.status_code, 200)

    def test_a_stored_non_http_value_is_never_a_link(self):
        # Rows written before the checks existed, straight into the table.
        ContactDetail.objects.create(organisation=self.office, kind=ContactKind.WEBSITE,
                                     value="javascript:alert(1)", visibility=Visibility.PUBLIC,
                                     consent=True)
        ContactDetail.objects.create(organisation=self.office, kind=ContactKind.LINE,
                                     value="javascript:alert(2)", visibility=Visibility.PUBLIC,
                                     consent=True)
        Organisation.objects.filter(pk=self.office.pk).update(website="javascript:alert(3)")
        response = self.client.get(self.office.get_absolute_url())
        self.assertContains(response, "javascript:alert(1)")
        self.assertNotContains(response, 'href="javascript')
        self.assertNotContains(response, "href='javascript")

    def test_demo_contacts_and_websites_pass_the_checks(self):
        places_demo.load()
        demo.load()
        details = ContactDetail.objects.filter(organisation__code__isnull=False)
        self.assertTrue(details.exists())
        for detail in details:
            detail.full_clean()
        for organisation in Organisation.objects.all():
            organisation.full_clean()

    def test_an_lgu_website_that_is_not_http_is_shown_as_text(self):
        Lgu.objects.filter(pk=self.lgu.pk).update(website="javascript:alert(4)")
        response = self.client.get(self.lgu.get_absolute_url())
        self.assertContains(response, "javascript:alert(4)")
        self.assertNotContains(response, 'href="javascript')

    def test_web_href_filter_lets_only_http_addresses_through(self):
        template = Template("{{ value|web_href }}")
        for value, expected in [("https://example.org/a", "https://example.org/a"),
                                ("HTTP://example.org", "HTTP://example.org"),
                                ("javascript:alert(1)", ""), (" JavaScript:alert(1)", ""),
                                ("data:text/html,x", ""), ("https:///nohost", ""),
                                ("//example.org", ""), ("", ""), (None, "")]:
            self.assertEqual(template.render(Context({"value": value})), expected, value)
