"""Where the local data hub keeps personal data (the register of personal data, PDPA)."""

from django.utils.translation import gettext_lazy as _

from thetsaban.hooks import PersonalData

REGISTER = [
    PersonalData(
        "localdata.DataSteward", ("user", "since"),
        purpose=_("Who keeps the data hub's reference data."), legal_basis="public_task",
        subject="user", erasure="delete"),
    PersonalData(
        "localdata.Dataset", ("maintainer", "maintainer_email"),
        purpose=_("The contact for a published dataset (GD-Catalog)."), legal_basis="public_task",
        subject_email="maintainer_email", erasure="anonymise"),
]
