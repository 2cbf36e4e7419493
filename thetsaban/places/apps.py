from django.utils.translation import gettext_lazy as _

from thetsaban import hooks


class PlacesConfig(hooks.ThetsabanAppConfig):
    name = "thetsaban.places"
    label = "places"
    verbose_name = _("Places")
    urls = (("places/", "thetsaban.places.urls"),)
    api = ("thetsaban.places.api",)
    search = "thetsaban.places.search"
    demo = (_("places"), "thetsaban.places.demo.load")
    navigation = (hooks.NavLink("places:lgus", _("LGUs"), 90),)

    def ready(self):
        # The pickers keep their name-word index current as records are saved.
        from thetsaban.places import pickers  # noqa: F401
