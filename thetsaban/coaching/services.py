"""Writes for the coach pool: applications, vetting, competencies, trainings and imports.

Every function runs in one transaction, takes `acting_user` as a keyword and leaves an audit
record. `acting_user=None` means a trusted system process (a management command, the demo
loader); views and the API always pass the request's user, which may be anonymous.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from thetsaban import thai
from thetsaban.accounts.choices import AuditAction
from thetsaban.accounts.models import AuditEntry, User
from thetsaban.accounts.services import (
    OwnWorkRefused,
    audit_actor_ids,
    check_four_eyes,
    delete_audited,
    is_system,
    own_work_reason,
    record,
    save_audited,
    snapshot,
)
from thetsaban.coaching.choices import CoachStatus
from thetsaban.coaching.models import Coach, Competency, Training
from thetsaban.directory.choices import ContactKind, Visibility
from thetsaban.directory.models import ContactDetail, Person
from thetsaban.permissions import is_reviewer, is_staff
from thetsaban.tabular import ImportRejected, Problem, read_table

# Fields of Coach an applicant fills in; the vetting fields change only through approve/reject.
APPLICANT_FIELDS = ("home_province", "affiliation", "capacity", "availability", "motivation")
PERSON_FIELDS = ("name_th", "name_en", "honorific", "listing_consent", "visibility")
# A change to these parts of a competency makes a reviewer's confirmation void.
COMPETENCY_CONTENT = ("theme_id", "title", "evidence")


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def may_review(user) -> bool:
    """Whether `user` may vet coach applications and record trainings."""
    return is_system(user) or is_reviewer(user)


# The audit notes of the applicant's own writes (a staff member may apply on someone's behalf).
APPLICATION_NOTES = ("coach application", "coach application updated")


def applicant_ids(coach: Coach) -> set[int]:
    """Who a coach record is about or was applied for by: its account, the account of its
    directory person, and whoever filed or changed the application."""
    ids = set(User.objects.filter(person_id=coach.person_id).values_list("pk", flat=True))
    if coach.user_id:
        ids.add(coach.user_id)
    if coach.pk:
        ids |= set(AuditEntry.objects.for_object(coach).filter(
            note__in=APPLICATION_NOTES, actor__isnull=False).values_list("actor_id", flat=True))
    return ids


def competency_author_ids(competency: Competency) -> set[int]:
    """Who a competency is about or was written by: the coach's applicants and its editors."""
    return applicant_ids(competency.coach) | audit_actor_ids(competency, exclude_notes=("confirmed",))


def mark_vetting_refusals(user, coaches) -> None:
    """Set `vetting_refusal` on each coach: why `user` may not approve them, confirm their
    competencies or record their trainings (their own application), or ""."""
    coaches = list(coaches)
    mine = set()
    if user.is_authenticated and coaches:
        mine = {c.pk for c in coaches
                if c.user_id == user.pk or (user.person_id and c.person_id == user.person_id)}
        mine |= {int(pk) for pk in AuditEntry.objects.for_model(Coach).filter(
            object_id__in=[str(c.pk) for c in coaches], actor=user, note__in=APPLICATION_NOTES,
        ).values_list("object_id", flat=True)}
    for coach in coaches:
        coach.vetting_refusal = own_work_reason(user, [user.pk]) if coach.pk in mine else ""


def coach_emails(coach: Coach) -> list[str]:
    """Where to write to a coach: their account's address, else their person's e-mail details."""
    if coach.user_id and coach.user.email:
        return [coach.user.email]
    return list(ContactDetail.objects.filter(person_id=coach.person_id, kind=ContactKind.EMAIL)
                .values_list("value", flat=True))


def _notify(recipients, subject: str, body: str) -> bool:
    """Send one e-mail after the transaction commits (never for a rolled-back change); False
    when there is nobody to write to."""
    recipients = sorted({r for r in recipients if r})
    if not recipients:
        return False
    transaction.on_commit(lambda: send_mail(
        subject, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=True))
    return True


def _reviewer_emails() -> list[str]:
    from django.db.models import Q

    reviewers = User.objects.filter(Q(is_reviewer=True) | Q(is_staff=True), is_active=True)
    return list(reviewers.exclude(email="").values_list("email", flat=True))


@transaction.atomic
def save_applicant_person(user, *, acting_user, name_th: str, name_en: str = "",
                          honorific: str = "", listing_consent: bool = False,
                          visibility: str = Visibility.MEMBERS) -> Person:
    """Create the directory person of a signed-in user, or update it, and link it to them."""
    person = user.person if user.person_id else Person()
    consent_changed = person.pk is None or person.listing_consent != listing_consent
    person.name_th = thai.clean(name_th)
    person.name_en = thai.clean(name_en)
    person.honorific = thai.clean(honorific)
    person.listing_consent = bool(listing_consent)
    person.visibility = visibility
    if consent_changed:
        person.consent_recorded_at = timezone.now() if listing_consent else None
    save_audited(person, acting_user=acting_user, note="coach application")
    if user.person_id != person.pk:
        before = snapshot(user)
        user.person = person
        user.save(update_fields=["person"])
        record(user, AuditAction.UPDATE, acting_user=acting_user, before=before,
               note="linked to directory person")
    return person


def _competency_changed(competency: Competency) -> bool:
    if competency.pk is None:
        return True
    stored = Competency.objects.filter(pk=competency.pk).values(*COMPETENCY_CONTENT).first()
    return stored is None or any(stored[name] != getattr(competency, name)
                                 for name in COMPETENCY_CONTENT)


@transaction.atomic
def submit_application(user, *, acting_user, person: dict, coach: dict, themes, languages,
                       competencies=(), deleted_competencies=(), notify: bool = True) -> Coach:
    """A signed-in member applies to become a coach (or updates their application or profile).

    A rejected applicant who applies again goes back to the vetting queue; an approved coach
    stays approved, but a competency whose content changes loses its confirmation.
    """
    if not _signed_in(user):
        raise PermissionDenied(_("Sign in to apply as a coach."))
    if not (is_system(acting_user) or acting_user == user or is_staff(acting_user)):
        raise PermissionDenied(_("You can only apply for yourself."))
    languages = list(languages)
    if not languages:
        raise ValidationError({"languages": _("Choose at least one language you coach in.")})
    existing = Coach.objects.select_for_update().filter(user=user).first()
    if existing is None and user.person_id:
        existing = Coach.objects.select_for_update().filter(person_id=user.person_id).first()
    the_person = save_applicant_person(user, acting_user=acting_user, **person)
    instance = existing or Coach(person=the_person, user=user)
    is_new = instance.pk is None
    for name in APPLICANT_FIELDS:
        if name in coach:
            setattr(instance, name, coach[name])
    instance.user = user
    if instance.status in (CoachStatus.REJECTED, CoachStatus.INACTIVE):
        instance.status = CoachStatus.APPLIED
        instance.decision_reason = ""
        instance.reviewed_by = None
        instance.reviewed_at = None
    save_audited(instance, acting_user=acting_user,
                 m2m={"themes": list(themes), "languages": languages},
                 note="coach application" if is_new else "coach application updated")
    for competency in deleted_competencies:
        if competency.pk and competency.coach_id == instance.pk:
            delete_audited(competency, acting_user=acting_user)
    for competency in competencies:
        if competency.pk and competency.coach_id != instance.pk:
            raise PermissionDenied(_("This competency belongs to another coach."))
        competency.coach = instance
        save_competency(competency, acting_user=acting_user)
    if notify and instance.status == CoachStatus.APPLIED:
        _notify(_reviewer_emails(),
                _("Coach application: %(name)s") % {"name": the_person.name_th},
                _("%(name)s applied to join the coach pool.\n\nVetting queue: %(url)s")
                % {"name": the_person.name_th, "url": reverse("coaching:review_queue")})
    return instance


def _locked(coach: Coach) -> Coach:
    # Re-read under a row lock so that two reviewers cannot decide the same application at once.
    return Coach.objects.select_for_update(of=("self",)).select_related("person", "user").get(
        pk=coach.pk)


def _decide(coach: Coach, *, acting_user, status: str, reason: str, note: str) -> Coach:
    before = snapshot(coach)
    coach.status = status
    coach.decision_reason = thai.clean(reason)
    coach.reviewed_by = acting_user if _signed_in(acting_user) else None
    coach.reviewed_at = timezone.now()
    coach.full_clean()
    coach.save()
    record(coach, AuditAction.UPDATE, acting_user=acting_user, before=before, note=note)
    return coach


@transaction.atomic
def approve_coach(coach: Coach, *, acting_user, reason: str = "", notify: bool = True) -> Coach:
    """A reviewer admits an applicant to the coach pool; the applicant is told by e-mail.

    The returned coach's `told_by_email` says whether an e-mail is on its way."""
    if not may_review(acting_user):
        raise PermissionDenied(_("Only a reviewer can vet coach applications."))
    coach = _locked(coach)
    if coach.status == CoachStatus.APPROVED:
        raise ValidationError(_("This coach is already approved."), code="status")
    note = check_four_eyes(acting_user, applicant_ids(coach), "approved")
    _decide(coach, acting_user=acting_user, status=CoachStatus.APPROVED, reason=reason,
            note=note)
    coach.told_by_email = False
    if notify:
        coach.told_by_email = _notify(
            coach_emails(coach), _("Your coach application is approved"),
            _("Dear %(name)s,\n\nyour application to the coach pool is approved.%(reason)s\n\n"
              "Your coach page: %(url)s")
            % {"name": coach.person.name_th, "url": coach.get_absolute_url(),
               "reason": ("\n\n" + coach.decision_reason) if coach.decision_reason else ""})
    return coach


@transaction.atomic
def reject_coach(coach: Coach, *, acting_user, reason: str, notify: bool = True) -> Coach:
    """A reviewer turns an application down with a reason; the applicant is told by e-mail.

    The returned coach's `told_by_email` says whether an e-mail is on its way."""
    if not may_review(acting_user):
        raise PermissionDenied(_("Only a reviewer can vet coach applications."))
    if not thai.clean(reason):
        raise ValidationError({"reason": _("Give the reason for rejecting the application.")})
    coach = _locked(coach)
    if coach.status == CoachStatus.REJECTED:
        raise ValidationError(_("This application is already rejected."), code="status")
    _decide(coach, acting_user=acting_user, status=CoachStatus.REJECTED, reason=reason,
            note="rejected")
    coach.told_by_email = False
    if notify:
        coach.told_by_email = _notify(
            coach_emails(coach), _("Your coach application"),
            _("Dear %(name)s,\n\nyour application to the coach pool was not accepted, for "
              "this reason:\n\n%(reason)s\n\nYou may change your application and apply "
              "again: %(url)s")
            % {"name": coach.person.name_th, "reason": coach.decision_reason,
               "url": reverse("coaching:apply")})
    return coach


@transaction.atomic
def save_competency(competency: Competency, *, acting_user, note: str = "") -> Competency:
    """Save a competency a coach declares (or staff correct in the administration): a change of
    its content (theme, title, evidence) takes its confirmation away, as in an application."""
    competency.title = thai.clean(competency.title)
    competency.evidence = thai.clean(competency.evidence)
    if _competency_changed(competency):
        competency.confirmed_by = None
        competency.confirmed_at = None
    return save_audited(competency, acting_user=acting_user, note=note)


@transaction.atomic
def confirm_competency(competency: Competency, *, acting_user) -> Competency:
    """A reviewer confirms a competency a coach declared (the matching prefers confirmed ones)."""
    if not may_review(acting_user):
        raise PermissionDenied(_("Only a reviewer can confirm competencies."))
    competency = Competency.objects.select_for_update().select_related("coach").get(pk=competency.pk)
    if competency.confirmed_at is not None:
        return competency
    note = check_four_eyes(acting_user, competency_author_ids(competency), "confirmed")
    before = snapshot(competency)
    competency.confirmed_by = acting_user if _signed_in(acting_user) else None
    competency.confirmed_at = timezone.now()
    competency.save(update_fields=["confirmed_by", "confirmed_at"])
    record(competency, AuditAction.UPDATE, acting_user=acting_user, before=before, note=note)
    return competency


@transaction.atomic
def add_training(coach: Coach, *, acting_user, kind: str, title: str, provider=None,
                 completed_on=None, certificate_number: str = "") -> Training:
    """Record a training or certificate (such as a training of trainers) of a coach."""
    if not may_review(acting_user):
        raise PermissionDenied(_("Only reviewers and league staff record trainings."))
    # A training is a credential of the coach: the coach does not record their own.
    note = check_four_eyes(acting_user, applicant_ids(coach))
    training = Training(coach=coach, kind=kind, title=thai.clean(title), provider=provider,
                        completed_on=completed_on,
                        certificate_number=thai.clean(certificate_number))
    return save_audited(training, acting_user=acting_user, note=note)


@transaction.atomic
def delete_training(training: Training, *, acting_user) -> None:
    """Remove a training recorded by mistake (its values stay in the audit trail)."""
    if not may_review(acting_user):
        raise PermissionDenied(_("Only reviewers and league staff change trainings."))
    delete_audited(training, acting_user=acting_user)


@dataclass
class ImportResult:
    """What a coach import did: rows read, coaches created, updated and left unchanged."""

    rows: int
    created: int
    updated: int
    unchanged: int
    encoding: str
    ignored_columns: list[str] = field(default_factory=list)


def import_coaches(source, *, acting_user, filename: str = "") -> ImportResult:
    """Create or update coaches from a CSV or XLSX list, all rows or none.

    Every row is checked first and every problem is reported at once (ImportRejected); only a
    clean file is written, in one transaction. Rows are matched to existing coaches by id, else
    by e-mail; columns missing from the file leave those values as they are.
    """
    from thetsaban.coaching.importers import COACH_COLUMNS, check_rows

    if not (is_system(acting_user) or is_staff(acting_user)):
        raise PermissionDenied(_("Only league staff import coaches."))
    table = read_table(source, COACH_COLUMNS, filename=filename)
    rows = check_rows(table)
    return _write_coaches(rows, table, acting_user=acting_user)


def _changed(obj, values: dict) -> bool:
    return any(getattr(obj, name) != value for name, value in values.items())


@transaction.atomic
def _write_coaches(rows, table, *, acting_user) -> ImportResult:
    """Write checked coach rows: person, e-mail detail, coach and its languages and themes."""
    existing = {c.pk: c for c in Coach.objects.filter(
        pk__in=[r.coach_id for r in rows if r.coach_id]).select_related("person", "user")
        .prefetch_related("languages", "themes")}
    created = updated = unchanged = 0
    now = timezone.now()
    for row in rows:
        coach = existing.get(row.coach_id)
        if coach is None:
            person = Person(visibility=Visibility.MEMBERS)
            coach = Coach()
        else:
            person = coach.person
        person_values = dict(row.person)
        if "listing_consent" in person_values and (
                person.pk is None or person.listing_consent != person_values["listing_consent"]):
            person_values["consent_recorded_at"] = now if person_values["listing_consent"] else None
        coach_values = dict(row.coach)
        note = "coach import"
        if coach_values.get("status") == CoachStatus.APPROVED and coach.status != CoachStatus.APPROVED:
            if coach.pk is not None:
                try:
                    note = check_four_eyes(acting_user, applicant_ids(coach), note)
                except OwnWorkRefused as refused:  # the whole file is rolled back
                    raise ImportRejected([Problem(str(refused), row.number, "status")]) from None
            coach_values.update(reviewed_at=now,
                                reviewed_by=acting_user if _signed_in(acting_user) else None)
        m2m = {}
        if row.languages is not None and (coach.pk is None or sorted(
                x.pk for x in coach.languages.all()) != row.languages):
            m2m["languages"] = row.languages
        if row.themes is not None and (coach.pk is None or sorted(
                x.pk for x in coach.themes.all()) != row.themes):
            m2m["themes"] = row.themes
        is_new = coach.pk is None
        touched = is_new or _changed(person, person_values) or _changed(coach, coach_values) or m2m
        if _changed(person, person_values) or person.pk is None:
            for name, value in person_values.items():
                setattr(person, name, value)
            save_audited(person, acting_user=acting_user, note="coach import")
        account_email = coach.user.email.lower() if coach.user_id and coach.user.email else ""
        if row.email and row.email.lower() != account_email and not ContactDetail.objects.filter(
                person=person, kind=ContactKind.EMAIL, value__iexact=row.email).exists():
            # Imported addresses are for league staff only: the file does not carry consent.
            save_audited(ContactDetail(person=person, kind=ContactKind.EMAIL, value=row.email,
                                       visibility=Visibility.STAFF, consent=False),
                         acting_user=acting_user, note="coach import")
            touched = True
        if is_new or _changed(coach, coach_values) or m2m:
            coach.person = person
            for name, value in coach_values.items():
                setattr(coach, name, value)
            save_audited(coach, acting_user=acting_user, m2m=m2m, note=note)
        if is_new:
            created += 1
        elif touched:
            updated += 1
        else:
            unchanged += 1
    return ImportResult(rows=len(rows), created=created, updated=updated, unchanged=unchanged,
                        encoding=table.encoding, ignored_columns=table.ignored_columns)
