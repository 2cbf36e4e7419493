from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "thetsaban.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self):
        from thetsaban.search import signals

        signals.connect()  # keeps the index in step with the records
