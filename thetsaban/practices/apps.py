from django.utils.translation import gettext_lazy as _

from thetsaban import hooks


class PracticesConfig(hooks.ThetsabanAppConfig):
    name = "thetsaban.practices"
    label = "practices"
    verbose_name = _("Best practices")
    urls = (("practices/", "thetsaban.practices.urls"),)
    api = ("thetsaban.practices.api",)
    search = "thetsaban.practices.search"
    demo = (_("practices"), "thetsaban.practices.demo.load")
    participation_targets = {
        "practice": hooks.ParticipationTarget("practices.Practice", endorsable=True, published_only=True)}
    navigation = (
        hooks.NavLink("practices:list", _("Practices"), 10),
        hooks.NavLink("practices:map", _("Map"), 20),
        hooks.NavLink("practices:review_queue", _("Review"), 110, audience="reviewer"),
        hooks.NavLink("practices:mine", _("My work"), 160, audience="signed_in"),
    )
    example_data = (hooks.ExampleData("practices", _("practices"), "thetsaban.practices.examples.generate_for_command"),)
