"""Where the learning network keeps personal data (the register of personal data, PDPA).

Erasure deletes a member's registrations with their attendance and certificate codes: a
certificate's code then no longer verifies, so the public check never names an erased person
(the name shown there is read from the account at each check, not copied onto the certificate).
Their feedback goes first, so that its deletion is audited rather than cascaded. A place they
held at an upcoming event goes to the first on its waiting list, as when they cancel.
"""

from django.utils.translation import gettext_lazy as _

from thetsaban.hooks import PersonalData

REGISTER = [
    PersonalData(
        "learning.CentreStaff", ("user", "centre", "granted_at"),
        purpose=_("Who runs a regional learning centre: publishes its events and takes attendance."),
        legal_basis="public_task", subject="user", erasure="delete"),
    PersonalData(
        "learning.Feedback", ("overall", "content", "organisation", "comment", "submitted_at"),
        purpose=_("An attendee's ratings and comment, read by the centre's staff to improve its events."),
        legal_basis="consent", subject="registration__user", erasure="delete"),
    PersonalData(
        "learning.Registration", ("event", "user", "status", "registered_at", "cancelled_at", "attended",
                                  "reminded_at", "certificate_code"),
        purpose=_("A member's place at a learning event, the reminder before it, whether they came, "
                  "and the certificate of attendance anyone can check by its code."),
        legal_basis="contract", subject="user", erasure="delete",
        after_erasure="thetsaban.learning.services.release_erased_place"),
    PersonalData(
        "learning.Enrolment", ("course", "user", "status", "enrolled_at", "completed_at", "withdrawn_at"),
        purpose=_("A member's place on a course, their progress and its completion as recorded by the "
                  "course's staff, shown on their coach profile if they are a coach."),
        legal_basis="contract", subject="user", erasure="delete"),
]
