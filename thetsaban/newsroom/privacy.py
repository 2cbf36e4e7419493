"""Where the newsroom keeps personal data (the register of personal data, PDPA)."""

from django.utils.translation import gettext_lazy as _

from thetsaban.hooks import PersonalData

REGISTER = [
    PersonalData(
        "newsroom.NewsPost", ("author",),
        purpose=_("Who wrote a news post of the league or of a learning centre."), legal_basis="public_task",
        subject="author", erasure="anonymise"),
]
