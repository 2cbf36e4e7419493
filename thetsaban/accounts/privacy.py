"""Where the accounts app keeps personal data (the register of personal data, PDPA)."""

from django.utils.translation import gettext_lazy as _

from thetsaban.hooks import PersonalData

REGISTER = [
    PersonalData(
        "accounts.User", ("username", "first_name", "last_name", "email", "date_joined", "last_login"),
        purpose=_("Signing in, and naming the member on what they write and decide."),
        legal_basis="contract", subject="pk", subject_email="email", erasure="delete"),
    PersonalData(
        "account.EmailAddress", ("email", "verified", "primary"),
        purpose=_("Confirming the member's e-mail address and sending them what they asked for."),
        legal_basis="contract", subject="user", subject_email="email", erasure="delete"),
    PersonalData(
        "accounts.Profile", ("affiliation", "lgu", "languages", "email_notifications"),
        purpose=_("What the member tells about themself, and whether they want e-mail."),
        legal_basis="consent", subject="user", erasure="delete"),
    PersonalData(
        "accounts.LguMembership", ("user", "lgu", "role"),
        purpose=_("Who edits an LGU's records."), legal_basis="public_task", subject="user",
        erasure="delete"),
    PersonalData(
        "accounts.RoleRequest", ("user", "role", "lgu", "reason", "created_at"),
        purpose=_("Deciding a member's request for a role."), legal_basis="contract", subject="user",
        erasure="delete"),
    PersonalData(
        "accounts.DeletionRequest", ("user", "username", "reason"),
        purpose=_("Handling a member's request to delete their account."),
        legal_basis="legal_obligation", subject="user", erasure="anonymise"),
    PersonalData(
        "accounts.AuditEntry", ("actor", "action", "object_repr", "at"),
        purpose=_("Who changed which record and when (accountability of every write)."),
        legal_basis="legal_obligation", subject="actor", erasure="keep",
        keep_reason=_("Each write stays provable; the link to the deleted account is cleared and "
                      "the person's values are redacted from every entry.")),
]
