"""Background jobs: the record of each run, its status page and API, retries, the queue."""

import sys
import tempfile
from pathlib import Path

from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test import TransactionTestCase, override_settings, tag
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from thetsaban.accounts.models import AuditEntry, User
from thetsaban.jobs import services
from thetsaban.jobs.choices import JobStatus
from thetsaban.jobs.models import Job
from thetsaban.jobs.registry import job
from thetsaban.testing import ThetsabanTestCase, make_place_tree

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
FLAKY = {"failures": 0}


@job("tests.count", "Count to n")
def count(run, n):
    for step in range(n):
        run.progress(step + 1, n, f"step {step + 1}")
    return {"message": f"counted to {n}", "url": "/"}


@job("tests.refused", "Refuse and write nothing")
def refused(run, username):
    User.objects.create(username=username)
    raise ValidationError("The file has no header row.")


@job("tests.crash", "Crash")
def crash(run):
    raise RuntimeError("secret internals /etc/thetsaban.env")


@job("tests.flaky", "Fail once, then succeed", retries=2)
def flaky(run):
    FLAKY["failures"] += 1
    if FLAKY["failures"] == 1:
        raise ConnectionError("the mail server hung up")
    return {"message": "done on a retry"}


@job("tests.rows", "Import with bad rows")
def rows(run):
    User.objects.create(username="imported-before-the-check")
    raise services.RowErrors([{"row": 3, "field": "code", "message": "Code TEST-XX is not an LGU."},
                              {"row": 7, "field": "year", "message": "Year 3000 is in the future."}])


class JobRunTests(ThetsabanTestCase):
    def test_a_job_runs_with_progress_result_and_audit(self):
        started = services.start("tests.count", started_by=self.editor, n=5)
        self.assertEqual(started.status, JobStatus.SUCCEEDED)
        self.assertEqual((started.done, started.total, started.percent), (5, 5, 100))
        self.assertEqual(started.result, {"message": "counted to 5", "url": "/"})
        self.assertEqual(started.message, "counted to 5")
        self.assertEqual(started.started_by, self.editor)
        self.assertIsNotNone(started.started_at)
        self.assertIsNotNone(started.finished_at)
        entries = AuditEntry.objects.for_object(started).order_by("id")
        self.assertEqual([(e.actor, e.action) for e in entries],
                         [(self.editor, "create"), (self.editor, "update")])
        self.assertEqual(entries[1].after["status"], "succeeded")

    def test_a_refused_job_writes_nothing_and_says_why(self):
        failed = services.start("tests.refused", started_by=self.staff, username="not-kept")
        self.assertEqual(failed.status, JobStatus.FAILED)
        self.assertEqual(failed.error, "The file has no header row.")
        self.assertEqual(failed.attempts, 1)  # a refusal is not retried
        self.assertFalse(User.objects.filter(username="not-kept").exists())
        self.assertEqual(AuditEntry.objects.for_object(failed).count(), 2)

    def test_an_unexpected_error_does_not_show_internals(self):
        with self.assertLogs("thetsaban.jobs.services", "ERROR"):
            failed = services.start("tests.crash", started_by=self.editor)
        self.assertEqual(failed.status, JobStatus.FAILED)
        self.assertNotIn("secret", failed.error)
        self.assertIn("RuntimeError", failed.error)
        self.login(self.editor)
        response = self.client.get(failed.get_absolute_url())
        self.assertNotContains(response, "secret internals")

    def test_a_safe_job_is_retried(self):
        FLAKY["failures"] = 0
        with self.assertLogs("thetsaban.jobs.services", "ERROR"):
            done = services.start("tests.flaky", started_by=self.staff)
        self.assertEqual(done.status, JobStatus.SUCCEEDED)
        self.assertEqual((done.attempts, done.max_attempts), (2, 3))
        notes = list(AuditEntry.objects.for_object(done).order_by("id").values_list("note", flat=True))
        self.assertEqual(len(notes), 3)
        self.assertIn("retrying", notes[1])

    def test_refused_rows_are_listed_on_the_status_page_and_nothing_is_imported(self):
        failed = services.start("tests.rows", started_by=self.editor)
        self.assertEqual(failed.status, JobStatus.FAILED)
        self.assertFalse(User.objects.filter(username="imported-before-the-check").exists())
        self.login(self.editor)
        response = self.client.get(failed.get_absolute_url(), headers={"accept-language": "en"})
        self.assertContains(response, "<td>3</td><td>code</td><td>Code TEST-XX is not an LGU.</td>",
                            html=True)
        self.assertContains(response, "Year 3000 is in the future.")
        api = self.client.get(f"/api/v1/jobs/{failed.pk}/").json()
        self.assertEqual(api["row_errors"][1], {"row": 7, "field": "year",
                                                "message": "Year 3000 is in the future."})

    def test_e_mail_goes_out_through_a_job(self):
        with override_settings(EMAIL_BACKEND="thetsaban.jobs.mail.QueuedEmailBackend",
                               JOBS_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            sent = mail.send_mail("สวัสดี", "ข้อความ", "league@example.org", ["a@example.org"])
        self.assertEqual(sent, 1)
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].subject, "สวัสดี")
        run = Job.objects.get(name="mail.send")
        self.assertEqual((run.status, run.done, run.total), (JobStatus.SUCCEEDED, 1, 1))
        # The text is neither kept on the job nor copied into the audit trail.
        self.assertEqual(run.arguments, {"messages": 1})
        for entry in AuditEntry.objects.for_object(run):
            self.assertNotIn("ข้อความ", str(entry.before) + str(entry.after))


class JobPermissionTests(ThetsabanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.job = services.start("tests.count", started_by=cls.editor, n=3)

    def test_the_owner_sees_the_status_page_with_a_progress_bar(self):
        self.login(self.editor)
        response = self.client.get(self.job.get_absolute_url(), headers={"accept-language": "en"})
        self.assertContains(response, '<progress id="job-progress" max="3" value="3"')
        self.assertContains(response, "3 / 3")
        self.assertContains(response, "counted to 3")
        self.assertContains(response, "jobs/progress.js")
        self.assertContains(response, f'data-job-url="/api/v1/jobs/{self.job.pk}/"')
        self.assertNotContains(response, "<script>")
        self.assertContains(self.client.get(reverse("jobs:list")), self.job.get_absolute_url())

    def test_a_running_job_page_follows_it(self):
        running = Job.objects.create(name="tests.count", started_by=self.editor,
                                     status=JobStatus.RUNNING, done=2, total=8, message="step 2")
        self.login(self.editor)
        response = self.client.get(running.get_absolute_url())
        self.assertContains(response, 'data-finished="0"')
        self.assertContains(response, 'max="8" value="2"')
        self.assertEqual(self.client.get(f"/api/v1/jobs/{running.pk}/").json()["percent"], 25)

    def test_staff_see_every_job(self):
        self.login(self.staff)
        self.assertEqual(self.client.get(self.job.get_absolute_url()).status_code, 200)
        self.assertEqual(self.client.get(f"/api/v1/jobs/{self.job.pk}/").status_code, 200)

    def test_another_lgus_user_and_a_member_do_not(self):
        for user in (self.outsider, self.member, self.reviewer):
            self.login(user)
            with self.subTest(user=user.username):
                self.assertEqual(self.client.get(self.job.get_absolute_url()).status_code, 404)
                self.assertEqual(self.client.get(f"/api/v1/jobs/{self.job.pk}/").status_code, 404)
                self.assertEqual(self.client.get("/api/v1/jobs/").json()["count"], 0)
                self.assertNotContains(self.client.get(reverse("jobs:list")),
                                       self.job.get_absolute_url())

    def test_anonymous_visitors_are_asked_to_sign_in(self):
        self.login(None)
        response = self.client.get(self.job.get_absolute_url())
        self.assertEqual(response.status_code, 302)
        self.assertIn("login", response["Location"])
        self.assertIn(self.client.get(f"/api/v1/jobs/{self.job.pk}/").status_code, (401, 403))
        self.assertIn(self.client.get("/api/v1/jobs/").status_code, (401, 403))


@override_settings(TASKS=DATABASE_QUEUE, METRICS_TOKEN="metrics-test-token")
class DatabaseQueueTests(TransactionTestCase):
    """The database queue: a job waits until a worker (`manage.py db_worker`) runs it."""

    databases = "__all__"  # /metrics also measures each read replica's lag (DATABASE_REPLICA_URLS)

    def setUp(self):
        make_place_tree()
        self.staff = User.objects.create(username="staff", is_staff=True)

    def test_a_queued_job_waits_is_counted_and_a_worker_runs_it(self):
        queued = services.start("search.rebuild", started_by=self.staff)
        self.assertEqual(queued.status, JobStatus.QUEUED)
        self.assertEqual(DBTaskResult.objects.get().args_kwargs, {"args": [queued.pk], "kwargs": {}})
        health = self.client.get("/health/").json()
        self.assertEqual(health["checks"]["queue"]["waiting"], 1)
        metrics = self.client.get("/metrics", headers={"authorization": "Bearer metrics-test-token"})
        self.assertIn(b"thetsaban_jobs_waiting 1.0", metrics.content)
        self.assertIn(b"thetsaban_jobs_oldest_waiting_seconds", metrics.content)
        call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)
        queued.refresh_from_db()
        self.assertEqual(queued.status, JobStatus.SUCCEEDED, queued.error)
        self.assertEqual(DBTaskResult.objects.get().status, "SUCCESSFUL")
        self.assertEqual(self.client.get("/health/").json()["checks"]["queue"]["waiting"], 0)

    def test_a_job_started_by_a_write_that_is_rolled_back_never_runs(self):
        from django.db import transaction

        try:
            with transaction.atomic():
                services.start("search.rebuild", started_by=self.staff)
                raise RuntimeError("the write failed")
        except RuntimeError:
            pass
        self.assertFalse(Job.objects.exists())
        self.assertFalse(DBTaskResult.objects.exists())


@tag("postgresql")
@override_settings(TASKS=DATABASE_QUEUE)
class WorkerProcessTests(TransactionTestCase):
    """A real `manage.py db_worker` process against PostgreSQL runs a queued job."""

    def setUp(self):
        if connection.vendor != "postgresql":
            self.skipTest("the worker process test runs against PostgreSQL")
        make_place_tree()
        self.staff = User.objects.create(username="staff", is_staff=True)

    def test_a_worker_process_runs_a_queued_job(self):
        from thetsaban.tests.serving import Process, production_env, subprocess_database_url

        queued = services.start("search.rebuild", started_by=self.staff)
        self.assertEqual(queued.status, JobStatus.QUEUED)
        with tempfile.TemporaryDirectory() as var:
            env = production_env(Path(var), DATABASE_URL=subprocess_database_url(Path(var)),
                                 JOBS_QUEUE="database")
            worker = Process([sys.executable, "manage.py", "db_worker", "--batch", "--no-reload",
                              "--no-startup-delay"], env, log=Path(var) / "worker.log")
            try:
                worker.popen.wait(timeout=120)
            finally:
                worker.stop()
            output = worker.output()
        self.assertEqual(worker.popen.returncode, 0, output)
        queued.refresh_from_db()
        self.assertEqual(queued.status, JobStatus.SUCCEEDED, output)
        self.assertIn("MB", queued.result["message"])  # in Thai, the default language
        self.assertEqual(AuditEntry.objects.for_object(queued).count(), 2)
