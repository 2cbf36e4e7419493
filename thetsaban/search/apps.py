from django.utils.translation import gettext_lazy as _

from thetsaban import hooks


class SearchConfig(hooks.ThetsabanAppConfig):
    name = "thetsaban.search"
    label = "search"
    verbose_name = _("Search")
    urls = (("search/", "thetsaban.search.urls"),)
    api = ("thetsaban.search.api",)
    demo = (_("abbreviations"), "thetsaban.search.demo.load")
    navigation = (hooks.NavLink("search:page", _("Search"), 100),)

    def ready(self):
        from thetsaban.search import signals

        signals.connect()  # keeps the index in step with the records
