from django.utils.translation import gettext_lazy as _

from thetsaban import hooks


class DirectoryConfig(hooks.ThetsabanAppConfig):
    name = "thetsaban.directory"
    label = "directory"
    privacy = "thetsaban.directory.privacy"
    verbose_name = _("Directory")
    urls = (("directory/", "thetsaban.directory.urls"),)
    api = ("thetsaban.directory.api",)
    search = "thetsaban.directory.search"
    demo = (_("directory"), "thetsaban.directory.demo.load")
    navigation = (hooks.NavLink("directory:index", _("Directory"), 80),)

    def ready(self):
        # The pickers keep their name-word index current as records are saved.
        from thetsaban.directory import pickers  # noqa: F401
