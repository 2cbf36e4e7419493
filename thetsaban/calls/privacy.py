"""Where the calls for practices keep personal data (the register of personal data, PDPA)."""

from django.utils.translation import gettext_lazy as _

from thetsaban.hooks import PersonalData

_KEEP = _("The record of a call’s jury and results, which must stay verifiable; the link to the "
          "deleted account is cleared or kept as the call’s audited record.")

REGISTER = [
    PersonalData("calls.Juror", ("user", "added_by", "added_at"),
                 purpose=_("Naming the jury of a call for practices."), legal_basis="public_task",
                 subject="user", erasure="keep", keep_reason=_KEEP),
    PersonalData("calls.Score", ("juror", "value", "comment", "submitted_at"),
                 purpose=_("A juror’s independent scores of an entry."), legal_basis="public_task",
                 subject="juror__user", erasure="keep", keep_reason=_KEEP),
    PersonalData("calls.Declaration", ("juror", "conflict", "note", "declared_at"),
                 purpose=_("A juror’s declaration of conflicts of interest."), legal_basis="public_task",
                 subject="juror__user", erasure="keep", keep_reason=_KEEP),
    PersonalData("calls.Entry", ("submitted_by", "submitted_at"),
                 purpose=_("Who entered an LGU’s practice in a call."), legal_basis="public_task",
                 subject="submitted_by", erasure="keep", keep_reason=_KEEP),
    PersonalData("calls.Call", ("opened_by", "published_by"),
                 purpose=_("Who opened a call and who published its results (the four-eyes rule)."),
                 legal_basis="public_task", subject="opened_by", erasure="keep", keep_reason=_KEEP),
]
