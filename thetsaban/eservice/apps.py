from django.utils.translation import gettext_lazy as _

from thetsaban import hooks


class EserviceConfig(hooks.ThetsabanAppConfig):
    """The e-service: citizens report problems, the LGU's offices fix them (Open311 GeoReport v2)."""

    name = "thetsaban.eservice"
    label = "eservice"
    privacy = "thetsaban.eservice.privacy"
    verbose_name = _("E-service")
    urls = (("eservice/", "thetsaban.eservice.urls"), ("open311/v2/", "thetsaban.eservice.open311_urls"))
    api = ("thetsaban.eservice.api",)
    demo = (_("e-service"), "thetsaban.eservice.demo.load")
    navigation = (
        hooks.NavLink("eservice:report", _("Report a problem"), 85),
        hooks.NavLink("eservice:inbox", _("My requests and inbox"), 86, audience="signed_in"),
    )
    example_data = (hooks.ExampleData("requests", _("requests"), "thetsaban.eservice.examples.generate_for_command"),)
