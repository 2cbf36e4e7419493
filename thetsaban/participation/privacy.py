"""Where participation keeps personal data (the register of personal data, PDPA)."""

from django.utils.translation import gettext_lazy as _

from thetsaban.hooks import PersonalData

REGISTER = [
    PersonalData(
        "participation.Comment", ("author", "text", "created_at"),
        purpose=_("Public comments on the league's records, shown with the member's name."),
        legal_basis="public_task", subject="author", erasure="reassign"),
    PersonalData(
        "participation.Proposal", ("author", "title", "problem", "proposal", "created_at"),
        purpose=_("Members' proposals to the league, open to support."),
        legal_basis="public_task", subject="author", erasure="reassign"),
    PersonalData(
        "participation.Endorsement", ("user", "created_at"),
        purpose=_("Counting the support a proposal has."), legal_basis="public_task",
        subject="user", erasure="reassign"),
    PersonalData(
        "participation.Flag", ("reporter", "reason", "created_at"),
        purpose=_("Reports of content to moderators."), legal_basis="legitimate_interest",
        subject="reporter", erasure="delete"),
    PersonalData(
        "participation.Follow", ("user", "created_at"),
        purpose=_("Telling the member about changes to what they follow."), legal_basis="consent",
        subject="user", erasure="delete"),
    PersonalData(
        "participation.Notification", ("recipient", "summary", "created_at", "read_at"),
        purpose=_("Notices about followed records on the member's page."), legal_basis="consent",
        subject="recipient", erasure="delete"),
]
