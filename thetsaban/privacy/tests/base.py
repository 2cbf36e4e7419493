"""Shared data for the privacy tests: a member who reported a problem, proposed, commented and
follows; a neighbour who supports the proposal; a second staff member to decide."""

import tempfile
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.core.cache import cache
from django.test import override_settings

from thetsaban.accounts.models import Profile, User
from thetsaban.accounts.services import save_profile
from thetsaban.eservice.tests.base import EserviceTestCase
from thetsaban.participation import services as participation


class PrivacyTestCase(EserviceTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.second_staff = User.objects.create(username="staff-2", is_staff=True,
                                               password=make_password(cls.password))
        reporter = cls.reporter
        reporter.first_name, reporter.last_name = "Example-Firstname", "Example-Surname"
        save_profile(Profile(user=reporter, affiliation="Example University"), first_name="Example-Firstname",
                     last_name="Example-Surname", acting_user=reporter)
        cache.clear()
        cls.proposal = participation.submit_proposal(
            acting_user=reporter, title="ตัวอย่าง (example data) ลานกีฬาชุมชน", problem="ไม่มีที่ออกกำลังกาย",
            proposal="ใช้ที่ว่างข้างตลาด")
        cls.comment = participation.post_comment(cls.proposal, "ควรมีไฟส่องสว่างด้วย", acting_user=reporter)
        participation.endorse(cls.proposal, acting_user=cls.neighbour)
        cache.clear()

    def setUp(self):
        super().setUp()
        cache.clear()
        self.work = Path(tempfile.mkdtemp(prefix="thetsaban-privacy-"))
        self.ledger = self.work / "ledger.jsonl"
        override = override_settings(PRIVACY_ERASURE_LEDGER=self.ledger)
        override.enable()
        self.addCleanup(override.disable)

    def report_with_contacts(self, **kwargs):
        values = {"contact_name": "Example-Firstname Example-Surname",
                  "contact_email": "reporter@example.org", "contact_phone": "081-234-5678"}
        values.update(kwargs)
        return self.report(**values)
