"""Only one scheduler starts the periodic jobs, however many `run_schedule` processes run."""

import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command
from django.db import connection
from django.test import TransactionTestCase, tag
from django.utils import translation

from thetsaban.jobs import registry
from thetsaban.jobs.management.commands.run_schedule import ANOTHER_RUNNING, TAKING_OVER, WAITING
from thetsaban.jobs.models import Job
from thetsaban.jobs.scheduler_lock import SchedulerLock
from thetsaban.testing import ThetsabanTestCase


class SchedulerLockTests(ThetsabanTestCase):
    def test_a_second_scheduler_cannot_take_the_lock_until_the_first_lets_go(self):
        first, second = SchedulerLock(), SchedulerLock()
        self.addCleanup(first.release)
        self.addCleanup(second.release)
        self.assertTrue(first.acquire())
        self.assertTrue(first.acquire())  # still held
        self.assertFalse(second.acquire())
        first.release()
        self.assertTrue(second.acquire())

    def test_a_scheduler_run_while_another_holds_the_lock_exits_and_starts_nothing(self):
        running = SchedulerLock()
        self.addCleanup(running.release)
        self.assertTrue(running.acquire())
        for arguments in (["--once"], ["--no-wait", "--interval", "0"]):
            with self.assertRaisesMessage(CommandError, "Another scheduler is already running"):
                call_command("run_schedule", *arguments, stdout=StringIO())
        self.assertFalse(Job.objects.exists())
        running.release()
        call_command("run_schedule", "--once", stdout=StringIO())
        self.assertEqual(Job.objects.filter(started_by=None).count(), len(registry.periodic()))


@tag("postgresql")
class TwoSchedulerProcessesTests(TransactionTestCase):
    """Real `manage.py run_schedule` processes against PostgreSQL (an advisory lock)."""

    def setUp(self):
        if connection.vendor != "postgresql":
            self.skipTest("the scheduler process test runs against PostgreSQL")

    def wait_for(self, process, text, timeout=180):
        deadline = time.monotonic() + timeout
        while text not in process.output():
            if process.popen.poll() is not None or time.monotonic() > deadline:
                self.fail(f"no {text!r} from the scheduler:\n{process.output()}")
            time.sleep(0.2)

    def test_only_one_of_two_schedulers_starts_the_jobs_and_the_other_takes_over(self):
        from thetsaban.tests.serving import Process, production_env, subprocess_database_url

        periodic = [job_type.name for job_type in registry.periodic()]
        with translation.override("th"):  # the language of a production process
            another, waits, takes_over = str(ANOTHER_RUNNING), str(WAITING), str(TAKING_OVER)
        with tempfile.TemporaryDirectory() as var:
            env = production_env(Path(var), DATABASE_URL=subprocess_database_url(Path(var)),
                                 PYTHONUNBUFFERED="1")
            command = [sys.executable, "manage.py", "run_schedule", "--interval", "0.5"]
            first = Process(command, env, log=Path(var) / "first.log")
            self.addCleanup(first.stop)
            second = Process(command, env, log=Path(var) / "second.log")
            self.addCleanup(second.stop)
            # Whichever took the lock starts every periodic job; the other waits.
            deadline = time.monotonic() + 180
            while not (waits in first.output() or waits in second.output()):
                if time.monotonic() > deadline:
                    self.fail(f"neither scheduler waits:\n{first.output()}\n{second.output()}")
                time.sleep(0.2)
            running, waiting = (second, first) if waits in first.output() else (first, second)
            while Job.objects.filter(started_by=None).count() < len(periodic):
                if time.monotonic() > deadline:
                    self.fail(f"the jobs were not started:\n{running.output()}")
                time.sleep(0.2)
            time.sleep(2)  # several rounds of both
            for name in periodic:
                self.assertEqual(Job.objects.filter(name=name, started_by=None).count(), 1, name)
            self.assertEqual(waiting.output().strip(), waits)

            # A third one asked not to wait says why it exits.
            third = Process([*command, "--no-wait"], env, log=Path(var) / "third.log")
            self.addCleanup(third.stop)
            third.popen.wait(timeout=180)
            self.assertEqual(third.popen.returncode, 1, third.output())
            self.assertIn(another, third.output())

            # The running one stops: the waiting one takes over (no job is due again yet).
            running.stop()
            self.wait_for(waiting, takes_over, timeout=30)
            time.sleep(1)
            self.assertEqual(Job.objects.filter(started_by=None).count(), len(periodic))
            waiting.stop()
