"""The e-service journey on a phone (390 px wide): a citizen reports with a photo, the LGU's staff
fix it with an after photo, the citizen rejects the fix from their private link."""

import io

from django.contrib.auth.hashers import make_password
from PIL import Image

from thetsaban.accounts.models import LguMembership, User
from thetsaban.browser_tests.base import BrowserTestCase
from thetsaban.eservice import services
from thetsaban.eservice.choices import Status
from thetsaban.eservice.models import ServiceRequest
from thetsaban.testing import make_place_tree


def jpeg_bytes(color) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (80, 60), color).save(out, "JPEG")
    return out.getvalue()


class ReportToFixJourneyTests(BrowserTestCase):
    password = "a-long-test-password"

    def setUp(self):
        super().setUp()
        self.lgu, _other = make_place_tree()
        services.join(self.lgu, subdistricts=["900101"])
        self.editor = User.objects.create(username="skstaff", password=make_password(self.password))
        LguMembership.objects.create(user=self.editor, lgu=self.lgu)
        self.page.set_viewport_size({"width": 390, "height": 844})

    def test_report_fix_and_reject_at_phone_width(self):
        page = self.page
        self.visit("/eservice/report/")
        page.click("#report-map", position={"x": 195, "y": 120})
        self.assertNotEqual(page.input_value("[name=lat]"), "")
        page.select_option("[name=province]", "90")
        page.wait_for_selector("[name=district] option[value='9001']", state="attached")
        page.select_option("[name=district]", "9001")
        page.wait_for_selector("[name=subdistrict] option[value='900101']", state="attached")
        page.select_option("[name=subdistrict]", "900101")
        # The address decides here: the tap above was wherever the map happened to open.
        page.evaluate("document.querySelector('[name=lat]').value = ''; document.querySelector('[name=lon]').value = ''")
        page.click("form.eservice-form button[type=submit]")
        page.wait_for_selector("[name=service]")
        self.assertIn(self.lgu.name_th, page.content())
        self.assertLessEqual(page.evaluate("document.documentElement.scrollWidth"), 390)
        page.select_option("[name=service]", label="ไฟฟ้าส่องสว่างชำรุด")
        page.fill("[name=description]", "ไฟถนนดับทั้งซอย หน้าบ้านเลขที่ 12")
        page.set_input_files("[name=photos]", files=[{"name": "lamp.jpg", "mimeType": "image/jpeg",
                                                       "buffer": jpeg_bytes((20, 20, 20))}])
        page.fill("[name=contact_email]", "citizen@example.org")
        page.click("form.eservice-form button[type=submit]")
        page.wait_for_selector(".timeline")
        item = ServiceRequest.objects.get()
        self.assertEqual(item.lgu, self.lgu)
        self.assertEqual(item.photos.count(), 1)
        self.assertNotIn("citizen@example.org", page.content())

        self.sign_in("skstaff", self.password)
        page.wait_for_url(self.live_server_url + "/")
        self.visit("/eservice/inbox/")
        page.click(f"a[href='/eservice/requests/{item.pk}/']")
        self.assertIn("citizen@example.org", page.content())
        page.select_option("#handle [name=status]", "fixed")
        page.set_input_files("#handle [name=after_photo]", files=[{"name": "after.jpg", "mimeType": "image/jpeg",
                                                                    "buffer": jpeg_bytes((250, 250, 200))}])
        page.click("#handle form.stacked button[type=submit]")
        page.wait_for_selector(".status.fixed")
        self.assertEqual(ServiceRequest.objects.get().status, Status.FIXED)

        self.context.clear_cookies()
        self.visit(f"{item.get_absolute_url()}?key={item.reporter_key}")
        page.fill("#reject-fix [name=reason]", "ไฟยังดับอยู่")
        page.click("#reject-fix button[type=submit]")
        page.wait_for_selector(".status.open")
        item.refresh_from_db()
        self.assertEqual((item.status, item.fix_rejections), (Status.OPEN, 1))
        self.assert_no_csp_violation()
