"""The privacy app's own entries in the register of personal data."""

from django.utils.translation import gettext_lazy as _

from thetsaban.hooks import PersonalData

REGISTER = [
    PersonalData(
        "privacy.SubjectRequest", ("subject", "subject_name", "subject_email", "details", "identity_note"),
        purpose=_("Answering a person's request about their personal data (PDPA ss.30-36)."),
        legal_basis="legal_obligation", subject="subject", subject_email="subject_email",
        erasure="anonymise"),
]
