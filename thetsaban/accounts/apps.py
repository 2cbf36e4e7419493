from django.core.management import call_command
from django.db.models.signals import post_delete, post_migrate
from django.utils.translation import gettext_lazy as _

from thetsaban import hooks


def create_cache_table(using="default", **kwargs):
    """After `migrate`, create the database cache's table when that is the configured cache."""
    call_command("createcachetable", database=using, verbosity=0)


class AccountsConfig(hooks.ThetsabanAppConfig):
    name = "thetsaban.accounts"
    label = "accounts"
    privacy = "thetsaban.accounts.privacy"
    verbose_name = _("Accounts and audit")
    # The platform's own account pages first: they keep the sign-in and sign-out URLs.
    urls = (("accounts/", "thetsaban.accounts.urls"), ("accounts/", "thetsaban.accounts.allauth_urls"))
    api = ("thetsaban.accounts.api",)
    navigation = (
        hooks.NavLink("accounts:role_requests", _("Role requests"), 140, audience="staff"),
        hooks.NavLink("admin:index", _("Administration"), 150, audience="staff"),
    )

    def ready(self):
        # Registers the integer `in` lookup that leaves out numbers the database cannot hold.
        from thetsaban import filtering  # noqa: F401

        post_migrate.connect(create_cache_table, sender=self, dispatch_uid="thetsaban.cache_table")
        # A deleted record's uploaded files are deleted with it (disk or object store).
        from thetsaban.storage import delete_stored_files
        post_delete.connect(delete_stored_files, dispatch_uid="thetsaban.stored_files")
