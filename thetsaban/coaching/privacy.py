"""Where coaching keeps personal data (the register of personal data, PDPA)."""

from django.utils.translation import gettext_lazy as _

from thetsaban.hooks import PersonalData

REGISTER = [
    PersonalData(
        "coaching.Coach", ("user", "person", "home_province", "availability", "motivation", "applied_at"),
        purpose=_("Choosing and matching coaches for transfer projects."), legal_basis="contract",
        subject="user", erasure="keep",
        keep_reason=_("The programme's record of who coached which project; the link to the "
                      "deleted account is cleared.")),
]
