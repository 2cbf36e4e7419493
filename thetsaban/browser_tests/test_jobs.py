"""A job's page follows the job by itself (static/jobs/progress.js, no inline script)."""

from django.contrib.auth.hashers import make_password
from django.utils import timezone
from playwright.sync_api import expect

from thetsaban.accounts.models import User
from thetsaban.browser_tests.base import BrowserTestCase
from thetsaban.jobs.choices import JobStatus
from thetsaban.jobs.models import Job


class JobPageTests(BrowserTestCase):
    def test_the_progress_bar_moves_and_the_result_appears(self):
        User.objects.create(username="editor", password=make_password("correct-horse-battery"))
        owner = User.objects.get(username="editor")
        job = Job.objects.create(name="search.rebuild", started_by=owner, status=JobStatus.RUNNING,
                                 started_at=timezone.now(), done=1, total=10, message="step one")
        self.sign_in("editor", "correct-horse-battery")
        self.page.wait_for_url(lambda url: "/accounts/login/" not in url)
        self.visit(job.get_absolute_url())
        bar = self.page.locator("#job-progress")
        self.assertEqual(bar.get_attribute("value"), "1")
        Job.objects.filter(pk=job.pk).update(done=6, message="step six")
        expect(self.page.locator("#job-progress-text")).to_have_text("6 / 10", timeout=15_000)
        expect(bar).to_have_attribute("value", "6")
        self.assertEqual(self.page.locator("#job-message").inner_text(), "step six")
        Job.objects.filter(pk=job.pk).update(done=10, status=JobStatus.SUCCEEDED, finished_at=timezone.now(),
                                             result={"message": "ดัชนีพร้อมแล้ว"})
        self.page.locator("#job-result").wait_for()
        self.assertIn("ดัชนีพร้อมแล้ว", self.page.locator("#job-result").inner_text())
        self.assert_no_csp_violation()
