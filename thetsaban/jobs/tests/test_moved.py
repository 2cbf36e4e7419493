"""The operations that run as background jobs: index rebuild and re-index, roll-up refresh,
matching, overdue reminders, and the scheduler that starts the periodic ones."""

from datetime import timedelta
from decimal import Decimal
from io import StringIO
from unittest import mock

from django.contrib.auth.hashers import make_password
from django.core import mail
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from thetsaban.accounts.models import LguMembership, User
from thetsaban.eservice.models import ServiceRequest
from thetsaban.eservice.tests.base import EserviceTestCase
from thetsaban.jobs import registry
from thetsaban.jobs.choices import JobStatus
from thetsaban.jobs.management.commands.run_schedule import due_jobs
from thetsaban.jobs.models import Job
from thetsaban.localdata import services as localdata
from thetsaban.localdata.models import AnalyticsValue
from thetsaban.localdata.tests.base import DataHubTestCase
from thetsaban.places.choices import LguType
from thetsaban.places.models import Lgu
from thetsaban.search.models import Abbreviation, SearchDocument
from thetsaban.testing import ThetsabanTestCase


def run_worker():
    """`manage.py db_worker --batch` in this process, inside the test's transaction (the worker
    closes "old" connections between jobs, which would close the test's own)."""
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)


class SearchJobTests(ThetsabanTestCase):
    @override_settings(SEARCH_REINDEX_INLINE_MAX=1)
    def test_renaming_a_province_of_many_lgus_re_indexes_them_in_a_job(self):
        Lgu.objects.create(code="TEST-SK2", name_th="เทศบาลเมืองทดสอบ", name_en="Test Town",
                           lgu_type=LguType.TOWN, province=self.lgu.province)
        province = self.lgu.province
        province.name_en = "Songkhla Renamed"
        province.save()
        job = Job.objects.get(name="search.reindex")
        self.assertEqual((job.status, job.done, job.total), (JobStatus.SUCCEEDED, 2, 2))
        self.assertIsNone(job.started_by)  # the system, after the audited rename
        self.assertEqual(SearchDocument.objects.filter(kind="lgu", body__contains="Songkhla Renamed").count(), 2)

    def test_a_small_rename_re_indexes_at_once(self):
        province = self.lgu.province
        province.name_en = "Songkhla Again"
        province.save()
        self.assertFalse(Job.objects.exists())
        self.assertTrue(SearchDocument.objects.filter(kind="lgu", body__contains="Songkhla Again").exists())

    def test_staff_rebuild_the_index_from_the_admin_and_land_on_the_job(self):
        abbreviation = Abbreviation.objects.create(forms="อบต.\nองค์การบริหารส่วนตำบล")
        self.login(self.staff)
        response = self.client.post(reverse("admin:search_abbreviation_changelist"),
                                    {"action": "rebuild_index", "_selected_action": [abbreviation.pk]})
        job = Job.objects.get(name="search.rebuild")
        self.assertRedirects(response, job.get_absolute_url())
        self.assertEqual((job.status, job.started_by), (JobStatus.SUCCEEDED, self.staff))
        self.assertEqual(job.done, job.total)
        self.assertContains(self.client.get(job.get_absolute_url()), "MB")


    def test_the_rebuild_command_can_queue_the_rebuild(self):
        call_command("rebuild_search_index", "--background", "--kind", "lgu", stdout=StringIO())
        job = Job.objects.get(name="search.rebuild")
        self.assertEqual((job.status, job.arguments), (JobStatus.SUCCEEDED, {"kinds": ["lgu"]}))
        self.assertEqual(job.total, Lgu.objects.count())


class MatchingJobTests(ThetsabanTestCase):
    def test_the_run_button_starts_a_job_and_shows_the_run(self):
        self.login(self.staff)
        response = self.client.post(reverse("matching:run_now"))
        job = Job.objects.get(name="coaching.matching")
        self.assertEqual((job.status, job.started_by), (JobStatus.SUCCEEDED, self.staff))
        self.assertRedirects(response, job.result["url"])


class RollupJobTests(DataHubTestCase):
    def test_approving_refreshes_the_rollups_in_a_job(self):
        obs = localdata.save_observation(indicator=self.waste, lgu=self.lgu, period="2569",
                                         value=Decimal(120), acting_user=self.editor)
        localdata.submit([obs], acting_user=self.editor)
        localdata.approve([obs], acting_user=self.steward)
        job = Job.objects.get(name="localdata.refresh")
        self.assertEqual((job.status, job.started_by), (JobStatus.SUCCEEDED, self.steward))
        self.assertEqual(job.arguments, {"touched": {str(self.waste.pk): ["2026"]}})
        self.assertTrue(AnalyticsValue.objects.filter(indicator=self.waste, level="nation",
                                                      period="2026").exists())

    def test_the_hourly_refresh_covers_recent_approvals(self):
        AnalyticsValue.objects.all().delete()
        call_command("run_schedule", "--once", stdout=StringIO())
        job = Job.objects.get(name="localdata.refresh_recent")
        self.assertEqual(job.status, JobStatus.SUCCEEDED, job.error)
        self.assertTrue(AnalyticsValue.objects.filter(indicator=self.waste, level="nation").exists())


class OverdueReminderTests(EserviceTestCase):
    def test_each_lgu_is_reminded_of_its_overdue_requests_once_a_day(self):
        self.editor.email = "editor@example.org"
        self.editor.save()
        LguMembership.objects.create(user=User.objects.create(
            username="cr-editor", email="cr@example.org", password=make_password(self.password)),
            lgu=self.other_lgu)
        late = self.report()
        on_time = self.report(description="ไฟกะพริบ")
        ServiceRequest.objects.filter(pk=late.pk).update(fix_due_at=timezone.now() - timedelta(hours=1))
        mail.outbox.clear()
        output = StringIO()
        call_command("run_schedule", "--once", stdout=output)
        job = Job.objects.get(name="eservice.overdue_reminders")
        self.assertEqual(job.status, JobStatus.SUCCEEDED, job.error)
        reminders = [m for m in mail.outbox if f"#{late.pk} " in m.body]
        self.assertEqual([m.to for m in reminders], [["editor@example.org"]])
        self.assertNotIn(f"#{on_time.pk} ", reminders[0].body)
        self.assertIn("overdue=true", reminders[0].body)
        # Not due again within the day.
        mail.outbox.clear()
        call_command("run_schedule", "--once", stdout=StringIO())
        self.assertEqual(Job.objects.filter(name="eservice.overdue_reminders").count(), 1)
        self.assertEqual(mail.outbox, [])


class ScheduleTests(ThetsabanTestCase):
    def test_every_periodic_job_is_started_when_due_and_not_before(self):
        names = [job_type.name for job_type in registry.periodic()]
        self.assertIn("eservice.overdue_reminders", names)
        self.assertIn("localdata.refresh_recent", names)
        self.assertEqual([j.name for j in due_jobs()], names)
        call_command("run_schedule", "--once", stdout=StringIO())
        self.assertEqual(sorted(Job.objects.values_list("name", flat=True)), names)
        self.assertEqual(due_jobs(), [])
        later = timezone.now() + timedelta(hours=1, minutes=1)
        self.assertEqual([j.name for j in due_jobs(later)], ["jobs.fail_lost", "localdata.refresh_recent"])

    def test_a_job_lost_with_its_worker_is_marked_failed(self):
        lost = Job.objects.create(name="search.rebuild", started_by=self.editor, status=JobStatus.RUNNING,
                                  started_at=timezone.now() - timedelta(hours=7))
        recent = Job.objects.create(name="search.rebuild", status=JobStatus.RUNNING,
                                    started_at=timezone.now() - timedelta(minutes=5))
        call_command("run_schedule", "--once", stdout=StringIO())
        lost.refresh_from_db()
        recent.refresh_from_db()
        self.assertEqual((lost.status, recent.status), (JobStatus.FAILED, JobStatus.RUNNING))
        self.login(self.editor)
        self.assertContains(self.client.get(lost.get_absolute_url(), headers={"accept-language": "en"}),
                            "start it again")

    def test_a_job_started_by_a_person_does_not_count_as_the_schedules(self):
        from thetsaban.jobs import services

        services.start("localdata.refresh_recent", started_by=self.staff)
        self.assertIn("localdata.refresh_recent", [j.name for j in due_jobs()])


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
class ImportJobTests(DataHubTestCase):
    """A large import waits in the queue; its page shows the refused rows, nothing is imported."""

    def test_an_import_with_bad_rows_lists_them_on_the_job_page(self):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from thetsaban.localdata.models import Observation

        before = Observation.objects.count()
        self.login(self.editor)
        upload = SimpleUploadedFile("figures.csv", b"indicator,lgu,period,value\n"
                                    b"waste,TEST-SK,2569,12\nwaste,TEST-CR,2569,1\nnope,TEST-SK,2569,x\n"
)
        response = self.client.post(reverse("localdata:import"), {"file": upload})
        job = Job.objects.get(name="localdata.import")
        self.assertRedirects(response, job.get_absolute_url())
        self.assertEqual(job.status, JobStatus.QUEUED)
        page = self.client.get(job.get_absolute_url(), headers={"accept-language": "en"})
        self.assertContains(page, 'data-finished="0"')
        run_worker()
        job.refresh_from_db()
        self.assertEqual(job.status, JobStatus.FAILED)
        self.assertEqual(Observation.objects.count(), before)
        page = self.client.get(job.get_absolute_url(), headers={"accept-language": "en"})
        self.assertContains(page, "<td>3</td><td>lgu</td>", html=False)
        self.assertContains(page, "<td>4</td><td>indicator</td>", html=False)
        self.assertContains(page, "Refused rows (nothing was imported)")
        # The uploaded file is not kept.
        self.assertFalse(default_storage.exists(job.arguments["path"]))
        # Another LGU's editor does not see it.
        self.login(self.outsider)
        self.assertEqual(self.client.get(job.get_absolute_url()).status_code, 404)

    def test_a_good_import_succeeds_with_its_counts(self):
        from django.core.files.uploadedfile import SimpleUploadedFile

        self.login(self.editor)
        upload = SimpleUploadedFile("figures.csv", b"indicator,lgu,period,value\nwaste,TEST-SK,2569,12\n")
        self.client.post(reverse("localdata:import"), {"file": upload})
        run_worker()
        job = Job.objects.get(name="localdata.import")
        self.assertEqual((job.status, job.result["created"], job.done, job.total),
                         (JobStatus.SUCCEEDED, 1, 1, 1))
