"""Writes of the calls for practices: opening a call with its criteria and jury, entering and
withdrawing practices, jurors' declarations and scores, and publishing the results with the
recognition of the winning practices. Every function checks the permission, runs in one
transaction and writes the audit record. `acting_user=None` is a trusted system process."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from thetsaban.accounts.choices import AuditAction
from thetsaban.accounts.services import check_four_eyes, is_system, record, save_audited, snapshot
from thetsaban.calls.models import (
    MAX_SCORE,
    Call,
    CallStatus,
    Criterion,
    Declaration,
    Entry,
    Juror,
    Score,
)
from thetsaban.permissions import editable_lgu_ids, is_staff
from thetsaban.practices.choices import Recognition, ReviewStatus

# Practices in these statuses may be entered (a new practice is written first as a draft).
ENTERABLE_STATUSES = (ReviewStatus.DRAFT, ReviewStatus.RETURNED, ReviewStatus.SUBMITTED, ReviewStatus.PUBLISHED)


class Refused(ValidationError):
    """A change the rules do not allow (a ValidationError with a message for the person)."""


def _require(condition: bool, message: str):
    if not condition:
        raise PermissionDenied(message)


def _staff(user) -> bool:
    return is_system(user) or is_staff(user)


# --- Calls, criteria and jury -----------------------------------------------------------------

@transaction.atomic
def open_call(call: Call, *, criteria, acting_user, themes=()) -> Call:
    """League staff open a call with its criteria: (name, weight) pairs."""
    _require(_staff(acting_user), _("Only league staff open a call."))
    criteria = [(str(name).strip(), weight) for name, weight in criteria if str(name).strip()]
    if not criteria:
        raise Refused({"criteria": _("Give at least one criterion with its weight.")})
    for number, (name, weight) in enumerate(criteria, 1):
        if not isinstance(weight, int) or not 1 <= weight <= 100:
            raise Refused({"criteria": _("Criterion %(number)s (%(name)s): the weight must be a whole number "
                                         "from 1 to 100.") % {"number": number, "name": name}})
    if acting_user is not None and acting_user.is_authenticated:
        call.opened_by = acting_user
    call.status = CallStatus.OPEN
    save_audited(call, acting_user=acting_user, m2m={"themes": list(themes)})
    for position, (name, weight) in enumerate(criteria, 1):
        save_audited(Criterion(call=call, position=position, name=name, weight=weight), acting_user=acting_user)
    return call


@transaction.atomic
def appoint_juror(call: Call, user, *, acting_user) -> Juror:
    """League staff put a user on the call's jury."""
    _require(_staff(acting_user), _("Only league staff appoint the jury."))
    if call.is_published:
        raise Refused(_("The results are published; the jury can no longer change."))
    if not user.is_active:
        raise Refused(_("%(user)s is not an active account.") % {"user": user.get_username()})
    if Juror.objects.filter(call=call, user=user).exists():
        raise Refused(_("%(user)s is already on the jury.") % {"user": user.get_username()})
    juror = Juror(call=call, user=user, added_by=acting_user if acting_user and acting_user.is_authenticated else None)
    return save_audited(juror, acting_user=acting_user)


@transaction.atomic
def remove_juror(juror: Juror, *, acting_user) -> None:
    """League staff take a juror off the jury before they have scored."""
    _require(_staff(acting_user), _("Only league staff change the jury."))
    if juror.scores.exists():
        raise Refused(_("%(juror)s has already scored entries and stays on the jury.") % {"juror": juror.display_name})
    record(juror, AuditAction.DELETE, acting_user=acting_user, before=snapshot(juror))
    juror.delete()


# --- Entries ---------------------------------------------------------------------------------

@transaction.atomic
def enter_practice(call: Call, practice, *, acting_user) -> Entry:
    """An LGU editor enters a practice of their own LGU before the deadline."""
    _require(is_system(acting_user) or practice.lgu_id in editable_lgu_ids(acting_user),
             _("You can only enter practices of the LGUs you edit for."))
    call = Call.objects.select_for_update().get(pk=call.pk)
    if not call.is_open:
        raise Refused(_("This call is closed: entries were taken until the deadline."))
    if practice.status not in ENTERABLE_STATUSES:
        raise Refused(_("A practice that is %(status)s cannot be entered.") % {"status": practice.get_status_display()})
    theme_ids = set(call.themes.values_list("pk", flat=True))
    if theme_ids and not theme_ids & set(practice.themes.values_list("pk", flat=True)):
        raise Refused(_("“%(practice)s” has none of the call’s themes.") % {"practice": practice.title})
    entry = Entry.objects.filter(call=call, practice=practice).first()
    if entry is not None and not entry.is_withdrawn:
        raise Refused(_("“%(practice)s” is already entered in this call.") % {"practice": practice.title})
    user = acting_user if acting_user is not None and acting_user.is_authenticated else None
    if entry is None:
        entry = Entry(call=call, practice=practice, submitted_by=user,
                      is_example=practice.is_example or call.is_example)
    entry.withdrawn_at, entry.submitted_at, entry.submitted_by = None, timezone.now(), user
    return save_audited(entry, acting_user=acting_user, note="entered")


@transaction.atomic
def withdraw_entry(entry: Entry, *, acting_user) -> Entry:
    """The LGU's editor withdraws its entry before the deadline."""
    _require(is_system(acting_user) or entry.practice.lgu_id in editable_lgu_ids(acting_user),
             _("Only the LGU’s editors withdraw its entry."))
    if not Call.objects.get(pk=entry.call_id).is_open:
        raise Refused(_("The deadline has passed: entries can no longer be withdrawn."))
    if entry.is_withdrawn:
        raise Refused(_("This entry is already withdrawn."))
    entry.withdrawn_at = timezone.now()
    return save_audited(entry, acting_user=acting_user, note="withdrawn")


# --- The jury's work -------------------------------------------------------------------------

def juror_of(call: Call, user) -> Juror | None:
    if not (user and user.is_authenticated and user.is_active):
        return None
    return Juror.objects.filter(call=call, user=user).first()


def own_lgu_refusal(entry: Entry, user) -> str:
    """Why `user` may never score this entry (it is their own LGU's), or ""."""
    if entry.practice.lgu_id in editable_lgu_ids(user):
        return _("This entry is from your own LGU: you may not score it.")
    return ""


def _juror_for(entry: Entry, acting_user) -> Juror:
    call = Call.objects.get(pk=entry.call_id)
    juror = juror_of(call, acting_user)
    _require(juror is not None, _("Only the call’s jury score its entries."))
    if call.is_published:
        raise Refused(_("The results are published; scores can no longer change."))
    if entry.is_withdrawn:
        raise Refused(_("This entry was withdrawn."))
    refusal = own_lgu_refusal(entry, acting_user)
    if refusal:
        raise PermissionDenied(refusal)
    return juror


@transaction.atomic
def declare_interest(entry: Entry, *, conflict: bool, note: str = "", acting_user) -> Declaration:
    """A juror declares, for one entry, a conflict of interest or none. A declared conflict is final
    for the entry: the juror does not score it."""
    juror = _juror_for(entry, acting_user)
    declaration = Declaration.objects.filter(entry=entry, juror=juror).first()
    if declaration is not None and declaration.conflict:
        raise Refused(_("You have declared a conflict of interest with this entry."))
    if conflict and Score.objects.filter(entry=entry, juror=juror).exists():
        Score.objects.filter(entry=entry, juror=juror).delete()
    declaration = declaration or Declaration(entry=entry, juror=juror)
    declaration.conflict, declaration.note = conflict, note.strip()
    return save_audited(declaration, acting_user=acting_user)


@transaction.atomic
def submit_scores(entry: Entry, values: dict, *, acting_user, comments: dict | None = None) -> list[Score]:
    """A juror's scores of one entry, one per criterion (from 0 to 10), after declaring no conflict
    of interest. They may correct them until the results are published."""
    juror = _juror_for(entry, acting_user)
    declaration = Declaration.objects.filter(entry=entry, juror=juror).first()
    if declaration is None:
        raise Refused(_("Declare first whether you have a conflict of interest with this entry."))
    if declaration.conflict:
        raise Refused(_("You have declared a conflict of interest with this entry: you do not score it."))
    comments = comments or {}
    scores = []
    for criterion in entry.call.criteria.all():
        value = values.get(criterion.pk)
        try:
            value = int(value)
        except (TypeError, ValueError):
            raise Refused({f"criterion_{criterion.pk}": _("%(criterion)s: give a whole number from 0 to %(max)s.")
                           % {"criterion": criterion.name, "max": MAX_SCORE}}) from None
        if not 0 <= value <= MAX_SCORE:
            raise Refused({f"criterion_{criterion.pk}": _("%(criterion)s: give a whole number from 0 to %(max)s.")
                           % {"criterion": criterion.name, "max": MAX_SCORE}})
        score = Score.objects.filter(entry=entry, juror=juror, criterion=criterion).first() \
            or Score(entry=entry, juror=juror, criterion=criterion)
        score.value, score.comment = value, str(comments.get(criterion.pk, "")).strip()[:500]
        scores.append(save_audited(score, acting_user=acting_user))
    return scores


# --- Ranking and results ---------------------------------------------------------------------

def _two_places(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.01"), ROUND_HALF_UP)


@dataclass
class Ranked:
    entry: Entry
    means: dict = field(default_factory=dict)  # criterion id -> Fraction
    total: Decimal | None = None
    jurors: int = 0
    rank: int | None = None
    tied: bool = False
    tie_note: str = ""


def ranking(call: Call) -> list[Ranked]:
    """The active entries by weighted score: each criterion's mean over the jurors who scored it,
    weighted by the criteria's weights, on the 0–10 scale, to two decimals.

    Ties: equal weighted totals are broken by the mean on the heaviest criterion, then the next
    heaviest, and so on; entries still equal share the rank and are shown as tied."""
    criteria = sorted(call.criteria.all(), key=lambda c: (-c.weight, c.position, c.pk))
    weight_sum = sum(c.weight for c in criteria)
    entries = list(Entry.objects.filter(call=call).active().select_related("practice__lgu"))
    scores = Score.objects.filter(entry__in=entries).values_list("entry_id", "juror_id", "criterion_id", "value")
    by_entry: dict = {}
    for entry_id, juror_id, criterion_id, value in scores:
        by_entry.setdefault(entry_id, {}).setdefault(criterion_id, []).append(value)
        by_entry[entry_id].setdefault("_jurors", set()).add(juror_id)
    rows = []
    for entry in entries:
        data = by_entry.get(entry.pk, {})
        row = Ranked(entry=entry, jurors=len(data.get("_jurors", ())))
        if row.jurors and weight_sum:
            row.means = {c.pk: Fraction(sum(data.get(c.pk, [0])), len(data.get(c.pk, [0]))) for c in criteria}
            row.total = _two_places(sum(c.weight * row.means[c.pk] for c in criteria) / weight_sum)
        rows.append(row)

    def key(row):
        if row.total is None:
            return (1, 0, ())
        return (0, -row.total, tuple(-row.means[c.pk] for c in criteria))

    rows.sort(key=lambda row: (key(row), row.entry.submitted_at, row.entry.pk))
    scored = [row for row in rows if row.total is not None]
    for index, row in enumerate(scored):
        previous = scored[index - 1] if index else None
        if previous is not None and key(previous) == key(row):
            row.rank, row.tied, previous.tied = previous.rank, True, True
        else:
            row.rank = index + 1
        if previous is not None and previous.total == row.total:
            if key(previous) == key(row):
                note = _("Equal weighted total and equal on every criterion: shown as tied.")
            else:
                decider = next(c for c in criteria if previous.means[c.pk] != row.means[c.pk])
                note = _("Equal weighted total %(total)s: the order is decided by the mean score on "
                         "“%(criterion)s” (weight %(weight)s).") % {
                    "total": row.total, "criterion": decider.name, "weight": decider.weight}
            row.tie_note = previous.tie_note = note
    return rows


@transaction.atomic
def publish_results(call: Call, *, acting_user, comment: str = "") -> Call:
    """League staff publish the ranking after the deadline: the top places are recognised and
    the recognition recorded on their practices. The staff member who opened the call does not
    publish alone (the four-eyes rule; a self-approval the league settings allow is noted)."""
    _require(_staff(acting_user), _("Only league staff publish the results."))
    call = Call.objects.select_for_update().get(pk=call.pk)
    if call.is_published:
        raise Refused(_("The results are already published."))
    if timezone.now() < call.deadline:
        raise Refused(_("The results are published after the deadline."))
    rows = ranking(call)
    if not any(row.total is not None for row in rows):
        raise Refused(_("No entry has been scored yet."))
    note = check_four_eyes(acting_user, {call.opened_by_id} - {None}, comment)
    for row in rows:
        entry = row.entry
        before = snapshot(entry)
        entry.rank, entry.total, entry.tied = row.rank, row.total, row.tied
        entry.recognised = row.rank is not None and row.rank <= call.winners
        entry.save(update_fields=["rank", "total", "tied", "recognised"])
        record(entry, AuditAction.UPDATE, acting_user=acting_user, before=before, note="results")
        if entry.recognised:
            _recognise(entry, acting_user=acting_user)
    before = snapshot(call)
    call.status = CallStatus.PUBLISHED
    call.published_at = timezone.now()
    call.published_by = acting_user if acting_user is not None and acting_user.is_authenticated else None
    call.save(update_fields=["status", "published_at", "published_by"])
    record(call, AuditAction.PUBLISH, acting_user=acting_user, before=before, note=note)
    return call


def _recognition_detail(entry: Entry) -> str:
    return _("%(call)s: place %(rank)s") % {"call": entry.call.title, "rank": entry.rank}


def _recognise(entry: Entry, *, acting_user) -> None:
    """Record the call's recognition on the practice (kept if it already holds a higher one)."""
    practice = entry.practice
    before = snapshot(practice)
    detail = _recognition_detail(entry)
    if practice.recognition in ("", Recognition.PROGRAMME):
        practice.recognition = Recognition.PROGRAMME
        practice.recognition_detail = detail[:300]
    else:
        practice.recognition_detail = f"{practice.recognition_detail}; {detail}"[:300]
    practice.save(update_fields=["recognition", "recognition_detail"])
    record(practice, AuditAction.UPDATE, acting_user=acting_user, before=before, note="call results")


def _unrecognise(entry: Entry, *, acting_user) -> None:
    """Take the call's recognition off the practice again (as it was written in any language)."""
    practice = entry.practice
    details = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            details.add(_recognition_detail(entry))
    parts = [part for part in practice.recognition_detail.split("; ") if part and part not in details]
    detail = "; ".join(parts)
    if detail == practice.recognition_detail:
        return
    before = snapshot(practice)
    practice.recognition_detail = detail
    if practice.recognition == Recognition.PROGRAMME and not detail:
        practice.recognition = ""
    practice.save(update_fields=["recognition", "recognition_detail"])
    record(practice, AuditAction.UPDATE, acting_user=acting_user, before=before, note="call results withdrawn")


@transaction.atomic
def unpublish_results(call: Call, *, acting_user, reason: str) -> Call:
    """League staff withdraw published results, giving the reason: the ranking leaves the public
    page, the places and the recognition of the winning practices are taken back, and the jury's
    scores are secret again. The staff member who published the results does not withdraw them
    alone (four eyes, as for publishing). They are published again through `publish_results`."""
    _require(_staff(acting_user), _("Only league staff withdraw the results."))
    reason = str(reason or "").strip()
    if not reason:
        raise Refused({"reason": _("Give the reason for withdrawing the results.")})
    if len(reason) > 500:
        raise Refused({"reason": _("The reason is at most 500 characters.")})
    call = Call.objects.select_for_update().get(pk=call.pk)
    if not call.is_published:
        raise Refused(_("The results of this call are not published."))
    note = check_four_eyes(acting_user, {call.published_by_id} - {None}, reason)
    entries = Entry.objects.filter(call=call).select_related("practice", "call")
    for entry in entries:
        if entry.recognised:
            _unrecognise(entry, acting_user=acting_user)
        if entry.rank is None and entry.total is None and not entry.tied and not entry.recognised:
            continue
        before = snapshot(entry)
        entry.rank, entry.total, entry.tied, entry.recognised = None, None, False, False
        entry.save(update_fields=["rank", "total", "tied", "recognised"])
        record(entry, AuditAction.UPDATE, acting_user=acting_user, before=before, note="results withdrawn")
    before = snapshot(call)
    call.status = CallStatus.OPEN
    call.published_at = None
    call.published_by = None
    call.results_withdrawn_at = timezone.now()
    call.results_withdrawn_by = acting_user if acting_user is not None and acting_user.is_authenticated else None
    call.results_withdrawal_reason = reason
    call.save(update_fields=["status", "published_at", "published_by", "results_withdrawn_at",
                             "results_withdrawn_by", "results_withdrawal_reason"])
    record(call, AuditAction.UPDATE, acting_user=acting_user, before=before,
           note=_("results withdrawn: %(reason)s") % {"reason": note})
    return call


# --- The administration's saves (the same rules as the pages) -----------------------------------

_RESULT_FIELDS = ("status", "published_at", "published_by_id", "results_withdrawn_at", "results_withdrawn_by_id",
                  "results_withdrawal_reason")


@transaction.atomic
def save_call(call: Call, *, acting_user, note: str = "") -> Call:
    """League staff change a call's text, deadline, places and themes (a new one is opened with
    its opener recorded). Its results are published and withdrawn only through `publish_results`
    and `unpublish_results` (four eyes), and a published call's deadline and places stay."""
    _require(_staff(acting_user), _("Only league staff change a call."))
    old = Call.objects.select_for_update().filter(pk=call.pk).first() if call.pk else None
    if old is None:
        if acting_user is not None and acting_user.is_authenticated:
            call.opened_by = acting_user
        call.status, call.published_at, call.published_by = CallStatus.OPEN, None, None
    else:
        if any(getattr(old, name) != getattr(call, name) for name in _RESULT_FIELDS):
            raise Refused(_("The results are published and withdrawn on the call’s page, under four eyes."))
        # (A form shows the deadline to the second: the microseconds are not a change.)
        if old.is_published and (old.deadline.replace(microsecond=0) != call.deadline.replace(microsecond=0)
                                 or old.winners != call.winners):
            raise Refused(_("The results are published: withdraw them before changing the deadline or "
                            "the places recognised."))
    return save_audited(call, acting_user=acting_user, note=note)


@transaction.atomic
def save_criterion(criterion: Criterion, *, acting_user, note: str = "") -> Criterion:
    """League staff add or change a criterion until the results are published."""
    _require(_staff(acting_user), _("Only league staff change the criteria."))
    if Call.objects.get(pk=criterion.call_id).is_published:
        raise Refused(_("The results are published: the criteria no longer change."))
    if not 1 <= (criterion.weight or 0) <= 100:
        raise Refused({"weight": _("A weight is from 1 to 100.")})
    return save_audited(criterion, acting_user=acting_user, note=note)


@transaction.atomic
def delete_criterion(criterion: Criterion, *, acting_user) -> None:
    """League staff remove a criterion nobody has scored yet."""
    _require(_staff(acting_user), _("Only league staff change the criteria."))
    if criterion.scores.exists() or Call.objects.get(pk=criterion.call_id).is_published:
        raise Refused(_("“%(criterion)s” has been scored and stays.") % {"criterion": criterion.name})
    record(criterion, AuditAction.DELETE, acting_user=acting_user, before=snapshot(criterion))
    criterion.delete()


@transaction.atomic
def save_juror(juror: Juror, *, acting_user) -> Juror:
    """A jury seat added in the administration: the appointment's rules (a seat is never changed
    to another person: remove the juror and appoint another)."""
    if juror.pk:
        _require(_staff(acting_user), _("Only league staff change the jury."))
        raise Refused(_("A juror is not replaced: remove the juror and appoint another."))
    return appoint_juror(Call.objects.get(pk=juror.call_id), juror.user, acting_user=acting_user)
