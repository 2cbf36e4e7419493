from django.utils.translation import gettext_lazy as _

from thetsaban import hooks


class CallsConfig(hooks.ThetsabanAppConfig):
    """Calls for new practices: the league's award rounds, LGUs' entries and the jury's scores."""

    name = "thetsaban.calls"
    label = "calls"
    verbose_name = _("Calls for practices")
    urls = (("calls/", "thetsaban.calls.urls"),)
    api = ("thetsaban.calls.api",)
    demo = (_("calls for practices"), "thetsaban.calls.demo.load")
    navigation = (
        hooks.NavLink("calls:index", _("Calls for practices"), 76),
    )
    privacy = "thetsaban.calls.privacy"
