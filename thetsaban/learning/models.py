"""The learning network: centre staff, events with registrations, feedback and certificates, and
courses made of modules that use practices as case studies."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Avg, Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from thetsaban import links, thai
from thetsaban.coaching.models import Coach
from thetsaban.learning.choices import (
    RATING_CHOICES,
    EnrolmentStatus,
    EventKind,
    EventStatus,
    RegistrationStatus,
)
from thetsaban.permissions import RestrictedQuerySet, is_staff
from thetsaban.practices.models import validate_attachment


def staffed_centre_ids(user) -> set[int]:
    """The learning centres `user` is staff of (cached on the request's user)."""
    if not (user and user.is_authenticated and user.is_active):
        return set()
    cached = getattr(user, "_staffed_centre_ids", None)
    if cached is None:
        cached = set(CentreStaff.objects.filter(user=user).values_list("centre_id", flat=True))
        user._staffed_centre_ids = cached
    return cached


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


class CentreStaffQuerySet(RestrictedQuerySet):
    def restrict(self, user, action="view"):
        """League staff see and change every grant; centre staff see their own centre's team."""
        if is_staff(user):
            return self
        if action == "view":
            return self.filter(centre_id__in=staffed_centre_ids(user))
        return self.none()


class CentreStaff(models.Model):
    """A user who runs one regional learning centre: publishes its events, takes attendance."""

    centre = models.ForeignKey("places.LearningCentre", on_delete=models.CASCADE, related_name="staff",
                               verbose_name=_("learning centre"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="centre_roles", verbose_name=_("user"))
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+", verbose_name=_("granted by"))
    granted_at = models.DateTimeField(_("granted"), auto_now_add=True)

    objects = CentreStaffQuerySet.as_manager()

    class Meta:
        verbose_name = _("centre staff member")
        verbose_name_plural = _("centre staff")
        ordering = ["centre", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "user"], name="learning_centre_staff_unique",
                                    violation_error_message=_("This user is already staff of this centre."))
        ]

    def __str__(self):
        return f"{self.user} – {self.centre}"


class EventQuerySet(RestrictedQuerySet):
    def public(self):
        return self.exclude(status=EventStatus.DRAFT)

    def upcoming(self, now=None):
        return self.filter(ends_at__gte=now or timezone.now()).order_by("starts_at", "pk")

    def past(self, now=None):
        return self.filter(ends_at__lt=now or timezone.now()).order_by("-starts_at", "-pk")

    def with_counts(self):
        """Events with their registered and waiting numbers, in the same query."""
        return self.annotate(
            registered_count=Count("registrations", filter=Q(registrations__status=RegistrationStatus.REGISTERED)),
            waiting_count=Count("registrations", filter=Q(registrations__status=RegistrationStatus.WAITING)),
        )

    def restrict(self, user, action="view"):
        """Published and cancelled events are public; a centre's staff see its drafts and change
        its events; league staff everything."""
        if is_staff(user):
            return self
        own = Q(centre_id__in=staffed_centre_ids(user))
        if action == "view":
            return self.filter(~Q(status=EventStatus.DRAFT) | own)
        if action in ("change", "attendance"):
            return self.filter(own)
        return self.none()


class Event(models.Model):
    """A training, study visit, forum or online session run by a regional learning centre."""

    centre = models.ForeignKey("places.LearningCentre", on_delete=models.PROTECT, related_name="events",
                               verbose_name=_("learning centre"))
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind, default=EventKind.TRAINING)
    status = models.CharField(_("status"), max_length=20, choices=EventStatus, default=EventStatus.DRAFT,
                              db_index=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    ends_at = models.DateTimeField(_("ends"))
    place_name = models.CharField(_("place"), max_length=200, blank=True)
    host_lgu = models.ForeignKey("places.Lgu", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="learning_events", verbose_name=_("host LGU"))
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True,
                                   validators=[MinValueValidator(-90), MaxValueValidator(90)])
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True,
                                    validators=[MinValueValidator(-180), MaxValueValidator(180)])
    online_url = models.URLField(_("online link"), blank=True, validators=[links.validate_web_url])
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True,
                                           validators=[MinValueValidator(1), MaxValueValidator(100_000)],
                                           help_text=_("Leave empty for no limit."))
    study_visit = models.ForeignKey("transfers.StudyVisit", on_delete=models.SET_NULL, null=True,
                                    blank=True, related_name="learning_events",
                                    verbose_name=_("study visit of a transfer project"))
    practices = models.ManyToManyField("practices.Practice", blank=True, related_name="learning_events",
                                       verbose_name=_("practices"))
    is_example = models.BooleanField(_("example data"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gte=models.F("starts_at")),
                                   name="learning_event_ends_after_start",
                                   violation_error_message=_("The event must end after it starts.")),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.title = thai.clean(self.title)
        self.description = thai.clean(self.description)
        self.place_name = thai.clean(self.place_name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("learning:event", args=[self.pk])

    def clean(self):
        if self.kind == EventKind.ONLINE and not self.online_url:
            raise ValidationError({"online_url": _("An online session needs its link.")})
        if self.kind != EventKind.ONLINE and not (self.place_name or self.host_lgu_id):
            raise ValidationError({"place_name": _("Give the place of the event (or its host LGU).")})
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError({"longitude": _("Give both latitude and longitude, or neither.")})

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def location(self):
        """The point on the map: its own, or its host LGU's."""
        if self.has_location:
            return float(self.latitude), float(self.longitude)
        if self.host_lgu_id and self.host_lgu.has_location:
            return float(self.host_lgu.latitude), float(self.host_lgu.longitude)
        return None

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def is_open_for_registration(self) -> bool:
        return self.status == EventStatus.PUBLISHED and not self.has_started

    def ratings(self) -> dict:
        """The feedback's average ratings and how many answered."""
        return Feedback.objects.filter(registration__event=self).aggregate(
            answers=Count("pk"), overall=Avg("overall"), content=Avg("content"), organisation=Avg("organisation"))


class RegistrationQuerySet(RestrictedQuerySet):
    def active(self):
        return self.exclude(status=RegistrationStatus.CANCELLED)

    def restrict(self, user, action="view"):
        """A member sees and cancels their own registrations; a centre's staff its events' ones."""
        if is_staff(user):
            return self
        if not _signed_in(user):
            return self.none()
        own = Q(user=user)
        centre = Q(event__centre_id__in=staffed_centre_ids(user))
        if action in ("view", "change"):
            return self.filter(own | centre)
        if action == "attendance":
            return self.filter(centre)
        return self.none()


class Registration(models.Model):
    """A member's place at an event: registered, on the waiting list or cancelled; attended or not."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations",
                              verbose_name=_("event"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="event_registrations", verbose_name=_("participant"))
    status = models.CharField(_("status"), max_length=20, choices=RegistrationStatus,
                              default=RegistrationStatus.REGISTERED, db_index=True)
    registered_at = models.DateTimeField(_("registered"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    attended = models.BooleanField(_("attended"), default=False)
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)
    certificate_code = models.CharField(_("certificate code"), max_length=20, unique=True, null=True,
                                        blank=True)
    is_example = models.BooleanField(_("example data"), default=False)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["registered_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="learning_registration_unique",
                                    violation_error_message=_("This person is already registered for this event.")),
            models.CheckConstraint(condition=Q(attended=False) | Q(status=RegistrationStatus.REGISTERED),
                                   name="learning_registration_attended_registered",
                                   violation_error_message=_("Only a registered participant can have attended.")),
        ]

    def __str__(self):
        return f"{self.user} – {self.event}"

    @property
    def participant_name(self) -> str:
        return self.user.get_full_name() or self.user.get_username()


class FeedbackQuerySet(RestrictedQuerySet):
    def restrict(self, user, action="view"):
        """Answers are read by the centre's staff and their author; the event shows averages only."""
        if is_staff(user):
            return self
        if not _signed_in(user):
            return self.none()
        own = Q(registration__user=user)
        if action == "view":
            return self.filter(own | Q(registration__event__centre_id__in=staffed_centre_ids(user)))
        if action == "change":
            return self.filter(own)
        return self.none()


class Feedback(models.Model):
    """An attendee's short feedback on an event: three ratings from 1 to 5 and a comment."""

    registration = models.OneToOneField(Registration, on_delete=models.CASCADE, related_name="feedback",
                                        verbose_name=_("registration"))
    overall = models.PositiveSmallIntegerField(_("overall"), choices=RATING_CHOICES)
    content = models.PositiveSmallIntegerField(_("content and speakers"), choices=RATING_CHOICES)
    organisation = models.PositiveSmallIntegerField(_("organisation"), choices=RATING_CHOICES)
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    submitted_at = models.DateTimeField(_("submitted"), auto_now=True)

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        constraints = [
            models.CheckConstraint(
                condition=Q(overall__gte=1, overall__lte=5, content__gte=1, content__lte=5,
                            organisation__gte=1, organisation__lte=5),
                name="learning_feedback_ratings_range",
                violation_error_message=_("Ratings are from 1 to 5.")),
        ]

    def __str__(self):
        return str(self.registration)


class CourseQuerySet(RestrictedQuerySet):
    def restrict(self, user, action="view"):
        """Published courses are public; a centre's staff keep their centre's courses."""
        if is_staff(user):
            return self
        own = Q(centre_id__in=staffed_centre_ids(user))
        if action == "view":
            return self.filter(Q(is_published=True) | own)
        if action == "change":
            return self.filter(own)
        return self.none()


class Course(models.Model):
    """A course (a local curriculum) made of modules, offered by an academic institution or partner."""

    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    outcomes = models.TextField(_("learning outcomes"), blank=True, help_text=_("One per line."))
    provider = models.ForeignKey("directory.Organisation", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="courses", verbose_name=_("provider"))
    centre = models.ForeignKey("places.LearningCentre", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="courses", verbose_name=_("learning centre"))
    themes = models.ManyToManyField("practices.Theme", blank=True, related_name="courses",
                                    verbose_name=_("themes"))
    is_published = models.BooleanField(_("published"), default=False)
    is_example = models.BooleanField(_("example data"), default=False)

    objects = CourseQuerySet.as_manager()

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["title", "pk"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.title = thai.clean(self.title)
        self.summary = thai.clean(self.summary)
        self.outcomes = thai.clean(self.outcomes)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("learning:course", args=[self.pk])

    @property
    def outcome_list(self) -> list[str]:
        return [line.strip() for line in self.outcomes.splitlines() if line.strip()]


class CoursePartQuerySet(RestrictedQuerySet):
    """Modules and materials are seen and kept with their course."""

    course_path = "course"

    def restrict(self, user, action="view"):
        courses = Course.objects.restrict(user, action).values("pk")
        return self.filter(**{f"{self.course_path}__in": courses})


class ModuleQuerySet(CoursePartQuerySet):
    course_path = "course"


class Module(models.Model):
    """One module of a course: its outcomes, the practices it studies as cases, its materials."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="modules",
                               verbose_name=_("course"))
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    outcomes = models.TextField(_("learning outcomes"), blank=True, help_text=_("One per line."))
    practices = models.ManyToManyField("practices.Practice", blank=True, related_name="course_modules",
                                       verbose_name=_("case studies"))

    objects = ModuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        ordering = ["course", "position", "pk"]

    def __str__(self):
        return self.title

    @property
    def outcome_list(self) -> list[str]:
        return [line.strip() for line in self.outcomes.splitlines() if line.strip()]


class MaterialQuerySet(CoursePartQuerySet):
    course_path = "module__course"


def material_path(instance, filename):
    return f"learning/materials/{instance.module_id}/{filename}"


class Material(models.Model):
    """A file or a link a module's learners use."""

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="materials",
                               verbose_name=_("module"))
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("link"), blank=True, validators=[links.validate_web_url])
    # Checked as the practices' attachments are: an allowed type, content that matches it, at most
    # MAX_UPLOAD_MB.
    file = models.FileField(_("file"), upload_to=material_path, blank=True, max_length=255,
                            validators=[validate_attachment])

    objects = MaterialQuerySet.as_manager()

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["module", "pk"]

    def __str__(self):
        return self.title

    def clean(self):
        if not self.url and not self.file:
            raise ValidationError({"url": _("Give a link or a file.")})
        if self.url and self.file:
            raise ValidationError({"url": _("Give a link or a file, not both.")})


class EnrolmentQuerySet(RestrictedQuerySet):
    def completed(self):
        return self.filter(status=EnrolmentStatus.COMPLETED)

    def restrict(self, user, action="view"):
        """A member sees and keeps their own enrolments (progress, withdrawal); the staff of the
        course's centre (league staff for a course of no centre) see them and record completion.
        A coach's completed courses are part of their profile: whoever may see the coach sees
        their completions of published courses."""
        if is_staff(user):
            return self
        if not _signed_in(user):
            return self.none() if action != "view" else self.filter(self._on_profiles(user))
        own = Q(user=user)
        centre = Q(course__centre_id__in=staffed_centre_ids(user))
        if action == "view":
            return self.filter(own | centre | self._on_profiles(user))
        if action == "progress":
            return self.filter(own)
        if action == "complete":
            return self.filter(centre)
        if action == "change":
            return self.filter(own | centre)
        return self.none()

    @staticmethod
    def _on_profiles(user) -> Q:
        return Q(status=EnrolmentStatus.COMPLETED, course__is_published=True,
                 user__in=Coach.objects.restrict(user, "view").filter(user__isnull=False).values("user"))


class Enrolment(models.Model):
    """A member's place on a course: enrolled (with the modules they have done), completed (as
    recorded by the course's centre staff, never by the member) or withdrawn."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="enrolments",
                               verbose_name=_("course"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="course_enrolments", verbose_name=_("learner"))
    status = models.CharField(_("status"), max_length=20, choices=EnrolmentStatus,
                              default=EnrolmentStatus.ENROLLED, db_index=True)
    enrolled_at = models.DateTimeField(_("enrolled"), default=timezone.now)
    modules_done = models.ManyToManyField(Module, blank=True, related_name="+",
                                          verbose_name=_("modules done"))
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                     blank=True, related_name="+", verbose_name=_("completion recorded by"))
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    is_example = models.BooleanField(_("example data"), default=False)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("course enrolment")
        verbose_name_plural = _("course enrolments")
        ordering = ["enrolled_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["course", "user"], name="learning_enrolment_unique",
                                    violation_error_message=_("This person is already enrolled in this course.")),
            models.CheckConstraint(
                condition=(Q(status=EnrolmentStatus.COMPLETED, completed_at__isnull=False)
                           | (~Q(status=EnrolmentStatus.COMPLETED) & Q(completed_at__isnull=True))),
                name="learning_enrolment_completed_dated",
                violation_error_message=_("A completed course has its completion date, and only then.")),
        ]

    def __str__(self):
        return f"{self.user} – {self.course}"

    @property
    def learner_name(self) -> str:
        return self.user.get_full_name() or self.user.get_username()
