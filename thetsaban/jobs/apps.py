from django.utils.translation import gettext_lazy as _

from thetsaban import hooks


class JobsConfig(hooks.ThetsabanAppConfig):
    name = "thetsaban.jobs"
    label = "jobs"
    verbose_name = _("Background jobs")
    urls = (("jobs/", "thetsaban.jobs.urls"),)
    api = ("thetsaban.jobs.api",)

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        # Each app declares its jobs in its own `jobs.py` (thetsaban/jobs/registry.py): load them
        # all, so that the web process, the worker and the scheduler know every job by name.
        autodiscover_modules("jobs")
