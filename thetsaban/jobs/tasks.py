"""The one task the queue knows: run a recorded job (thetsaban/jobs/services.py).

Django's Tasks API through the django-tasks backport (and django-tasks-db's database backend):
on Django 6 the import becomes `from django.tasks import task`, nothing else changes.
"""

from django_tasks import task


@task()
def run_job(job_id: int) -> str:
    from thetsaban.jobs.services import execute  # the services import this task

    return execute(job_id)
