"""Where the e-service keeps personal data (the register of personal data, PDPA)."""

from django.utils.translation import gettext_lazy as _

from thetsaban.hooks import PersonalData

REGISTER = [
    PersonalData(
        "eservice.ServiceRequest", ("reporter", "contact_name", "contact_email", "contact_phone"),
        purpose=_("Reaching the person who reported a problem while the LGU handles it."),
        legal_basis="public_task", subject="reporter", subject_email="contact_email",
        erasure="anonymise", retention_days=730, retention_from="closed_at"),
    PersonalData(
        "eservice.MeToo", ("user", "email"),
        purpose=_("Telling people with the same problem when it is fixed."), legal_basis="consent",
        subject="user", subject_email="email", erasure="anonymise",
        retention_days=730, retention_from="request__closed_at"),
]
