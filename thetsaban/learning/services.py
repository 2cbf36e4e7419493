"""Writes of the learning network: centre staff grants, events, registrations with a waiting
list, attendance, certificates and feedback, courses with their modules, enrolments and completion.

Every function checks the permission, runs in one transaction, writes the audit record and
sends e-mail after commit.
"""

import secrets
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thetsaban import dates, storage, thai
from thetsaban.accounts.choices import AuditAction
from thetsaban.accounts.services import check_four_eyes, is_system, record, snapshot
from thetsaban.coaching import services as coaching
from thetsaban.coaching.choices import TrainingKind
from thetsaban.coaching.models import Coach
from thetsaban.learning.choices import EnrolmentStatus, EventStatus, RegistrationStatus
from thetsaban.learning.models import (
    CentreStaff,
    Course,
    Enrolment,
    Event,
    Feedback,
    Material,
    Module,
    Registration,
)
from thetsaban.permissions import can, is_staff

# Registered participants are reminded this long before their event starts.
REMINDER_AHEAD = timedelta(hours=24)

# Unambiguous letters and digits for certificate codes (no 0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


class Refused(ValidationError):
    """A change the rules do not allow (a ValidationError with a message for the person)."""


def _require(condition: bool, message: str):
    if not condition:
        raise PermissionDenied(message)


# --- Centre staff ----------------------------------------------------------------------------

@transaction.atomic
def grant_centre_staff(centre, user, *, acting_user) -> CentreStaff:
    """Make `user` staff of a regional learning centre (league staff decide)."""
    _require(is_system(acting_user) or is_staff(acting_user), _("Only league staff grant the centre staff role."))
    if not user.is_active:
        raise Refused(_("%(user)s: the account is not active.") % {"user": user})
    if CentreStaff.objects.filter(centre=centre, user=user).exists():
        raise Refused(_("%(user)s is already staff of %(centre)s.") % {"user": user, "centre": centre})
    grant = CentreStaff.objects.create(centre=centre, user=user,
                                       granted_by=acting_user if not is_system(acting_user) else None)
    record(grant, AuditAction.CREATE, acting_user=acting_user)
    return grant


@transaction.atomic
def save_centre_staff(grant: CentreStaff, *, acting_user) -> CentreStaff:
    """A grant made in the administration: a new one goes through grant_centre_staff() (league
    staff only, an active account, once per centre, who granted it); a saved one does not change
    (revoke it and grant another)."""
    if grant.pk is not None:
        _require(is_system(acting_user) or is_staff(acting_user), _("Only league staff grant the centre staff role."))
        stored = CentreStaff.objects.get(pk=grant.pk)
        if (stored.centre_id, stored.user_id) != (grant.centre_id, grant.user_id):
            raise Refused(_("A grant does not change: revoke it and grant the role again."))
        return stored
    made = grant_centre_staff(grant.centre, grant.user, acting_user=acting_user)
    grant.pk, grant.granted_by, grant.granted_at = made.pk, made.granted_by, made.granted_at
    return grant


@transaction.atomic
def revoke_centre_staff(grant: CentreStaff, *, acting_user) -> None:
    """Take the centre staff role away again (league staff decide)."""
    _require(is_system(acting_user) or is_staff(acting_user), _("Only league staff revoke the centre staff role."))
    record(grant, AuditAction.DELETE, acting_user=acting_user, before=snapshot(grant))
    grant.delete()


# --- Events ----------------------------------------------------------------------------------

def may_run(user, centre) -> bool:
    """Whether `user` may publish and keep the events of `centre`."""
    if is_system(user) or is_staff(user):
        return True
    return CentreStaff.objects.filter(centre=centre, user=user).exists() if user.is_authenticated else False


@transaction.atomic
def save_event(event: Event, *, acting_user, practices=None) -> Event:
    """Create or change an event of a centre the acting user runs."""
    before = None
    if event.pk:
        old = Event.objects.get(pk=event.pk)
        _require(may_run(acting_user, old.centre), _("You do not run this event's learning centre."))
        before = snapshot(old)
    _require(may_run(acting_user, event.centre), _("You do not run this learning centre."))
    event.full_clean()
    event.save()
    if practices is not None:
        event.practices.set(practices)
    record(event, AuditAction.UPDATE if before else AuditAction.CREATE, acting_user=acting_user, before=before)
    return event


# --- Registration and the waiting list --------------------------------------------------------

def _locked(event: Event) -> Event:
    """The event row, locked so that two people cannot take the last place at once."""
    return Event.objects.select_for_update().get(pk=event.pk)


def _notify(user, subject: str, body: str):
    if user.email:
        transaction.on_commit(lambda: send_mail(subject, body, None, [user.email], fail_silently=True))


@transaction.atomic
def register(event: Event, *, user, acting_user) -> Registration:
    """Register `user` for an event: a place while there is one, otherwise the waiting list."""
    _require(user is not None and user.is_authenticated, _("Sign in to register."))
    _require(is_system(acting_user) or acting_user == user or may_run(acting_user, event.centre),
             _("You may register only yourself."))
    event = _locked(event)
    if not event.is_open_for_registration:
        raise Refused(_("Registration for “%(event)s” is closed.") % {"event": event})
    registration = Registration.objects.filter(event=event, user=user).first()
    if registration and registration.status != RegistrationStatus.CANCELLED:
        raise Refused(_("You are already registered for “%(event)s”.") % {"event": event})
    taken = event.registrations.filter(status=RegistrationStatus.REGISTERED).count()
    full = event.capacity is not None and taken >= event.capacity
    status = RegistrationStatus.WAITING if full else RegistrationStatus.REGISTERED
    before = snapshot(registration) if registration else None
    if registration is None:
        registration = Registration(event=event, user=user)
    registration.status = status
    registration.registered_at = timezone.now()
    registration.cancelled_at = None
    registration.save()
    record(registration, AuditAction.UPDATE if before else AuditAction.CREATE, acting_user=acting_user,
           before=before, note="waiting list" if full else "")
    return registration


@transaction.atomic
def cancel_registration(registration: Registration, *, acting_user) -> Registration | None:
    """Cancel a registration; a freed place goes to the first on the waiting list (returned)."""
    _require(is_system(acting_user) or can(acting_user, "change", registration),
             _("You may cancel only your own registration."))
    event = _locked(registration.event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == RegistrationStatus.CANCELLED:
        raise Refused(_("This registration is already cancelled."))
    if registration.attended:
        raise Refused(_("An attended registration cannot be cancelled."))
    freed = registration.status == RegistrationStatus.REGISTERED
    before = snapshot(registration)
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save()
    record(registration, AuditAction.UPDATE, acting_user=acting_user, before=before, note="cancelled")
    if freed and not event.has_started:
        return _promote(event, acting_user=acting_user)
    return None


def release_erased_place(registration: Registration, *, acting_user, reason: str = "") -> Registration | None:
    """An erased member's registration is gone (privacy erasure, hooks.PersonalData.after_erasure):
    a place they held at an event not yet started goes to the first on the waiting list, who is
    e-mailed, as when a member cancels. Returns the promoted registration."""
    if registration.status != RegistrationStatus.REGISTERED:
        return None
    event = Event.objects.select_for_update().filter(pk=registration.event_id).first()
    if event is None or event.has_started or event.status != EventStatus.PUBLISHED:
        return None
    return _promote(event, acting_user=acting_user)


def _promote(event: Event, *, acting_user) -> Registration | None:
    """Give the free place to the first person on the waiting list, and tell them."""
    first = (event.registrations.select_for_update().filter(status=RegistrationStatus.WAITING)
             .order_by("registered_at", "pk").first())
    if first is None:
        return None
    before = snapshot(first)
    first.status = RegistrationStatus.REGISTERED
    first.save(update_fields=["status"])
    record(first, AuditAction.UPDATE, acting_user=acting_user, before=before, note="promoted from the waiting list")
    _notify(first.user, _("You have a place at %(event)s") % {"event": event},
            _("A place became free and you are now registered for “%(event)s”.") % {"event": event})
    return first


@transaction.atomic
def send_reminders(*, within=None, now=None, acting_user=None) -> int:
    """E-mail everyone registered for a published event that starts soon (once each)."""
    now = now or timezone.now()
    within = within or REMINDER_AHEAD
    due = (Registration.objects.select_for_update(of=("self",)).select_related("event", "user")
           .filter(status=RegistrationStatus.REGISTERED, reminded_at__isnull=True,
                   event__status=EventStatus.PUBLISHED, event__starts_at__gt=now,
                   event__starts_at__lte=now + within))
    sent = 0
    for registration in due:
        before = snapshot(registration)
        registration.reminded_at = now
        registration.save(update_fields=["reminded_at"])
        record(registration, AuditAction.UPDATE, acting_user=acting_user, before=before, note="reminder")
        event = registration.event
        where = event.online_url or event.place_name or (event.host_lgu.name if event.host_lgu_id else "")
        _notify(registration.user, _("Reminder: %(event)s") % {"event": event},
                _("“%(event)s” starts on %(when)s. Where: %(where)s") % {
                    "event": event, "when": dates.format_date(event.starts_at)
                    + timezone.localtime(event.starts_at).strftime(" %H:%M"), "where": where})
        sent += 1
    return sent


# --- Attendance, certificates and feedback ----------------------------------------------------

def _new_code() -> str:
    while True:
        code = "-".join("".join(secrets.choice(CODE_ALPHABET) for _i in range(4)) for _j in range(3))
        if not Registration.objects.filter(certificate_code=code).exists():
            return code


@transaction.atomic
def take_attendance(event: Event, *, attended_ids, acting_user) -> int:
    """Mark who of the registered came (the others did not); attendees get a certificate code.

    Returns how many registrations changed."""
    _require(may_run(acting_user, event.centre), _("Only the centre's staff take attendance."))
    if not event.has_started:
        raise Refused(_("Attendance is taken once the event has started."))
    attended_ids = {int(pk) for pk in attended_ids}
    registered = list(event.registrations.select_for_update().filter(status=RegistrationStatus.REGISTERED))
    unknown = attended_ids - {r.pk for r in registered}
    if unknown:
        raise Refused(_("Registration %(ids)s is not a registered participant of this event.")
                      % {"ids": ", ".join(str(pk) for pk in sorted(unknown))})
    changed = 0
    for registration in registered:
        came = registration.pk in attended_ids
        if registration.attended == came:
            continue
        before = snapshot(registration)
        registration.attended = came
        if came and not registration.certificate_code:
            registration.certificate_code = _new_code()
        registration.save(update_fields=["attended", "certificate_code"])
        record(registration, AuditAction.UPDATE, acting_user=acting_user, before=before, note="attendance")
        changed += 1
    return changed


@transaction.atomic
def record_on_coach_profile(registration: Registration, *, acting_user):
    """Put an attended training on the attendee's coach profile, as a training a reviewer records
    (the coaching rules apply: reviewers or league staff, and never their own)."""
    if not registration.attended:
        raise Refused(_("Only an attended event goes on a coach's profile."))
    coach = Coach.objects.filter(user=registration.user).first()
    if coach is None:
        raise Refused(_("%(name)s has no coach profile.") % {"name": registration.participant_name})
    if coach.trainings.filter(certificate_number=registration.certificate_code).exists():
        raise Refused(_("This training is already on the coach's profile."))
    event = registration.event
    return coaching.add_training(coach, acting_user=acting_user, kind=TrainingKind.TRAINING, title=event.title,
                                 provider=event.centre.host, completed_on=timezone.localdate(event.ends_at),
                                 certificate_number=registration.certificate_code)


@transaction.atomic
def submit_feedback(registration: Registration, *, overall: int, content: int, organisation: int,
                    comment: str = "", acting_user) -> Feedback:
    """An attendee's ratings of an event (they may correct them later)."""
    _require(not is_system(acting_user) and acting_user == registration.user,
             _("Only the participant gives their feedback."))
    if not registration.attended:
        raise Refused(_("Feedback is for those who attended."))
    feedback = Feedback.objects.filter(registration=registration).first()
    before = snapshot(feedback) if feedback else None
    feedback = feedback or Feedback(registration=registration)
    feedback.overall, feedback.content, feedback.organisation = overall, content, organisation
    feedback.comment = comment.strip()
    feedback.full_clean()
    feedback.save()
    record(feedback, AuditAction.UPDATE if before else AuditAction.CREATE, acting_user=acting_user, before=before)
    return feedback


# --- Courses ---------------------------------------------------------------------------------

@transaction.atomic
def save_course(course: Course, *, acting_user, themes=None) -> Course:
    """Create or change a course (league staff, or the staff of its centre)."""
    if course.pk:
        _require(is_system(acting_user) or can(acting_user, "change", Course.objects.get(pk=course.pk)),
                 _("You may not change this course."))
    _require(is_system(acting_user) or is_staff(acting_user)
             or (course.centre_id is not None and may_run(acting_user, course.centre)),
             _("Only league staff or the centre's staff keep courses."))
    before = snapshot(Course.objects.get(pk=course.pk)) if course.pk else None
    course.full_clean()
    course.save()
    if themes is not None:
        course.themes.set(themes)
    record(course, AuditAction.UPDATE if before else AuditAction.CREATE, acting_user=acting_user, before=before)
    return course


@transaction.atomic
def save_module(module: Module, *, acting_user, practices=None) -> Module:
    """Create or change a module of a course the acting user keeps."""
    _require(is_system(acting_user) or can(acting_user, "change", Course.objects.get(pk=module.course_id)),
             _("You may not change this course."))
    before = None
    if module.pk:
        old = Module.objects.get(pk=module.pk)
        _require(old.course_id == module.course_id, _("A module stays in its course."))
        before = snapshot(old)
    module.title = thai.clean(module.title)
    module.summary = thai.clean(module.summary)
    module.outcomes = thai.clean(module.outcomes)
    module.full_clean()
    module.save()
    if practices is not None:
        module.practices.set(practices)
    record(module, AuditAction.UPDATE if before else AuditAction.CREATE, acting_user=acting_user, before=before)
    return module


@transaction.atomic
def save_material(material: Material, *, acting_user) -> Material:
    """Add or change a file or link of a module of a course the acting user keeps."""
    module = Module.objects.select_related("course").get(pk=material.module_id)
    _require(is_system(acting_user) or can(acting_user, "change", module.course),
             _("You may not change this course."))
    old = None
    if material.pk:
        old = Material.objects.get(pk=material.pk)
        _require(old.module_id == material.module_id, _("A material stays in its module."))
    before = snapshot(old) if old else None
    material.title = thai.clean(material.title)
    material.full_clean()
    material.save()
    storage.delete_replaced_files(old, material)
    record(material, AuditAction.UPDATE if before else AuditAction.CREATE, acting_user=acting_user, before=before)
    return material


@transaction.atomic
def delete_material(material: Material, *, acting_user) -> None:
    """Remove a file or link from a module (its stored file goes after commit)."""
    material = Material.objects.select_related("module__course").get(pk=material.pk)
    _require(is_system(acting_user) or can(acting_user, "change", material.module.course),
             _("You may not change this course."))
    record(material, AuditAction.DELETE, acting_user=acting_user, before=snapshot(material))
    material.delete()


@transaction.atomic
def publish_event(event: Event, *, acting_user) -> Event:
    """Publish a draft event so members can register."""
    _require(may_run(acting_user, event.centre), _("You do not run this learning centre."))
    if event.status != EventStatus.DRAFT:
        raise Refused(_("Only a draft can be published."))
    before = snapshot(event)
    event.status = EventStatus.PUBLISHED
    event.save(update_fields=["status"])
    record(event, AuditAction.PUBLISH, acting_user=acting_user, before=before)
    return event


# --- Enrolment and completion ------------------------------------------------------------------

def may_keep_course(user, course: Course) -> bool:
    """Whether `user` keeps `course` and records its learners' completion: league staff, or the
    staff of its centre (a course of no centre is the league's)."""
    if is_system(user) or is_staff(user):
        return True
    return course.centre_id is not None and may_run(user, course.centre)


@transaction.atomic
def enrol(course: Course, *, user, acting_user) -> Enrolment:
    """Enrol a member in a published course (again, after withdrawing)."""
    _require(user is not None and user.is_authenticated, _("Sign in to enrol."))
    _require(is_system(acting_user) or acting_user == user, _("You may enrol only yourself."))
    course = Course.objects.select_for_update().get(pk=course.pk)
    if not course.is_published:
        raise Refused(_("“%(course)s” is not open for enrolment.") % {"course": course})
    enrolment = Enrolment.objects.filter(course=course, user=user).first()
    if enrolment and enrolment.status == EnrolmentStatus.COMPLETED:
        raise Refused(_("You have already completed “%(course)s”.") % {"course": course})
    if enrolment and enrolment.status == EnrolmentStatus.ENROLLED:
        raise Refused(_("You are already enrolled in “%(course)s”.") % {"course": course})
    before = snapshot(enrolment) if enrolment else None
    enrolment = enrolment or Enrolment(course=course, user=user)
    enrolment.status = EnrolmentStatus.ENROLLED
    enrolment.enrolled_at = timezone.now()
    enrolment.withdrawn_at = None
    enrolment.save()
    record(enrolment, AuditAction.UPDATE if before else AuditAction.CREATE, acting_user=acting_user,
           before=before, note="enrolled")
    return enrolment


def _open_enrolment(enrolment: Enrolment) -> Enrolment:
    enrolment = Enrolment.objects.select_for_update().select_related("course", "user").get(pk=enrolment.pk)
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise Refused(_("%(name)s is not enrolled in “%(course)s” (%(status)s).") % {
            "name": enrolment.learner_name, "course": enrolment.course, "status": enrolment.get_status_display()})
    return enrolment


@transaction.atomic
def set_progress(enrolment: Enrolment, *, module_ids, acting_user) -> Enrolment:
    """The learner marks which of the course's modules they have done (their own progress: it
    grants nothing, completion is recorded by the course's staff)."""
    _require(is_system(acting_user) or acting_user == enrolment.user, _("Only the learner records their progress."))
    enrolment = _open_enrolment(enrolment)
    wanted = {int(pk) for pk in module_ids}
    modules = list(Module.objects.filter(course=enrolment.course, pk__in=wanted))
    unknown = wanted - {module.pk for module in modules}
    if unknown:
        raise Refused(_("Module %(ids)s is not a module of this course.")
                      % {"ids": ", ".join(str(pk) for pk in sorted(unknown))})
    before = snapshot(enrolment)
    enrolment.modules_done.set(modules)
    record(enrolment, AuditAction.UPDATE, acting_user=acting_user, before=before, note="progress")
    return enrolment


@transaction.atomic
def withdraw(enrolment: Enrolment, *, acting_user) -> Enrolment:
    """The learner leaves a course they have not completed."""
    _require(is_system(acting_user) or acting_user == enrolment.user, _("You may withdraw only yourself."))
    enrolment = _open_enrolment(enrolment)
    before = snapshot(enrolment)
    enrolment.status = EnrolmentStatus.WITHDRAWN
    enrolment.withdrawn_at = timezone.now()
    enrolment.save(update_fields=["status", "withdrawn_at"])
    record(enrolment, AuditAction.UPDATE, acting_user=acting_user, before=before, note="withdrawn")
    return enrolment


@transaction.atomic
def complete(enrolment: Enrolment, *, acting_user) -> Enrolment:
    """Record that a learner completed a course: the course's staff decide, never the learner
    (four eyes: a completion shows on a coach's profile). The learner is told by e-mail."""
    _require(may_keep_course(acting_user, enrolment.course),
             _("Only the staff of the course's learning centre record its completion."))
    enrolment = _open_enrolment(enrolment)
    note = check_four_eyes(acting_user, {enrolment.user_id}, note="completed")
    before = snapshot(enrolment)
    enrolment.status = EnrolmentStatus.COMPLETED
    enrolment.completed_at = timezone.now()
    enrolment.completed_by = acting_user
    enrolment.save(update_fields=["status", "completed_at", "completed_by"])
    record(enrolment, AuditAction.UPDATE, acting_user=acting_user, before=before, note=note)
    course = enrolment.course
    _notify(enrolment.user, _("You completed %(course)s") % {"course": course},
            _("The staff of the course recorded that you completed “%(course)s”.") % {"course": course})
    return enrolment
