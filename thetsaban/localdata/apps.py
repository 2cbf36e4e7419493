from django.utils.translation import gettext_lazy as _

from thetsaban import hooks


class LocalDataConfig(hooks.ThetsabanAppConfig):
    name = "thetsaban.localdata"
    label = "localdata"
    privacy = "thetsaban.localdata.privacy"
    verbose_name = _("Local data hub")
    urls = (("data/", "thetsaban.localdata.urls"), ("", "thetsaban.localdata.ckan_urls"))
    api = ("thetsaban.localdata.api",)
    search = "thetsaban.localdata.search"
    demo = (_("local data hub"), "thetsaban.localdata.demo.load")
    navigation = (hooks.NavLink("localdata:indicators", _("Local data"), 70),)
    example_data = (hooks.ExampleData("observations", _("observations"), "thetsaban.localdata.examples.generate_for_command",
                                      options=(("indicators", _("How many example indicators (default 40)."),),)),)
