from django.utils.translation import gettext_lazy as _

from thetsaban import hooks


class TransfersConfig(hooks.ThetsabanAppConfig):
    name = "thetsaban.transfers"
    label = "transfers"
    verbose_name = _("Transfer projects")
    urls = (("transfers/", "thetsaban.transfers.urls"),)
    api = ("thetsaban.transfers.api",)
    search = "thetsaban.transfers.search"
    demo = (_("transfer projects"), "thetsaban.transfers.demo.load")
    participation_targets = {"transferproject": hooks.ParticipationTarget("transfers.TransferProject")}
    navigation = (hooks.NavLink("transfers:list", _("Transfer projects"), 30),)
