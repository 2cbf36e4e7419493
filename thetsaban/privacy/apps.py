from django.utils.translation import gettext_lazy as _

from thetsaban import hooks


class PrivacyConfig(hooks.ThetsabanAppConfig):
    name = "thetsaban.privacy"
    label = "privacy"
    verbose_name = _("Personal data (PDPA)")
    urls = (("privacy/", "thetsaban.privacy.urls"),)
    api = ("thetsaban.privacy.api",)
    privacy = "thetsaban.privacy.register_entries"
    demo = (_("PDPA requests and a breach (example data)"), "thetsaban.privacy.demo.load")
    navigation = (hooks.NavLink("privacy:home", _("My data (PDPA)"), 145, audience="signed_in"),)

    def ready(self):
        from thetsaban.privacy import ledger, services

        hooks.database_restored.connect(ledger.after_restore, dispatch_uid="thetsaban.privacy.replay")
        hooks.account_deletion_requested.connect(services.on_account_deletion_requested,
                                                 dispatch_uid="thetsaban.privacy.account_deletion")
