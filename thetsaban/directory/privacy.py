"""Where the directory keeps personal data (the register of personal data, PDPA)."""

from django.utils.translation import gettext_lazy as _

from thetsaban.hooks import PersonalData

REGISTER = [
    PersonalData(
        "directory.Person", ("name_th", "name_en", "honorific", "summary", "listing_consent"),
        purpose=_("The directory of people who hold posts in LGUs and the league."),
        legal_basis="public_task", subject="user", erasure="keep",
        keep_reason=_("Office holders are listed as a public task; an entry is withdrawn or "
                      "redacted in the directory itself (manage.py redact_audit --person).")),
    PersonalData(
        "directory.ContactDetail", ("kind", "value", "label"),
        purpose=_("Reaching people in their posts."), legal_basis="public_task",
        subject="person__user", erasure="keep",
        keep_reason=_("Kept with the directory entry it belongs to.")),
]
