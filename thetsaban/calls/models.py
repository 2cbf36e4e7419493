"""Calls for new practices: a call with themes, weighted criteria, a deadline and a jury; the
LGUs' entries; each juror's conflict-of-interest declaration and scores; the published ranking."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from thetsaban import thai
from thetsaban.permissions import RestrictedQuerySet, editable_lgu_ids, is_staff

# A criterion is scored from 0 to this.
MAX_SCORE = 10


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


class CallStatus(models.TextChoices):
    OPEN = "open", _("Open")
    PUBLISHED = "published", _("Results published")


class CallQuerySet(RestrictedQuerySet):
    def restrict(self, user, action="view"):
        """Calls are public; league staff run them."""
        if action == "view" or is_staff(user):
            return self
        return self.none()


class Call(models.Model):
    """A call for new practices (for example a yearly award round), run by the league."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    themes = models.ManyToManyField("practices.Theme", blank=True, related_name="calls",
                                    verbose_name=_("themes"))
    deadline = models.DateTimeField(_("deadline for entries"))
    winners = models.PositiveSmallIntegerField(
        _("places recognised"), default=1, validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_("How many of the top places are recognised when the results are published."))
    status = models.CharField(_("status"), max_length=20, choices=CallStatus, default=CallStatus.OPEN,
                              db_index=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("opened by"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                     blank=True, related_name="+", verbose_name=_("results published by"))
    published_at = models.DateTimeField(_("results published"), null=True, blank=True)
    # The last withdrawal of published results (they are published again through the same
    # four-eyes publication): who, when and why, shown on the call's page.
    results_withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                             blank=True, related_name="+", verbose_name=_("results withdrawn by"))
    results_withdrawn_at = models.DateTimeField(_("results withdrawn"), null=True, blank=True)
    results_withdrawal_reason = models.CharField(_("reason for withdrawing the results"), max_length=500,
                                                 blank=True)
    is_example = models.BooleanField(_("example data"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = CallQuerySet.as_manager()

    class Meta:
        verbose_name = _("call for practices")
        verbose_name_plural = _("calls for practices")
        ordering = ["-deadline", "-pk"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.title = thai.clean(self.title)
        self.description = thai.clean(self.description)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("calls:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        """Entries are taken (and withdrawn) until the deadline."""
        return self.status == CallStatus.OPEN and timezone.now() < self.deadline

    @property
    def is_published(self) -> bool:
        return self.status == CallStatus.PUBLISHED

    @property
    def results_withdrawn(self) -> bool:
        """Whether results once published were withdrawn and are not published again yet."""
        return not self.is_published and self.results_withdrawn_at is not None


class CriterionQuerySet(RestrictedQuerySet):
    def restrict(self, user, action="view"):
        if action == "view" or is_staff(user):
            return self
        return self.none()


class Criterion(models.Model):
    """What the jury scores, with its weight in the total."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("call"))
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    name = models.CharField(_("criterion"), max_length=200)
    weight = models.PositiveSmallIntegerField(_("weight"), validators=[MinValueValidator(1), MaxValueValidator(100)])

    objects = CriterionQuerySet.as_manager()

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["call", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(weight__gte=1, weight__lte=100), name="calls_criterion_weight_range",
                                   violation_error_message=_("A weight is from 1 to 100.")),
        ]

    def __str__(self):
        return self.name


def jury_call_ids(user) -> set[int]:
    """The calls `user` sits on the jury of (cached on the request's user)."""
    if not _signed_in(user):
        return set()
    cached = getattr(user, "_jury_call_ids", None)
    if cached is None:
        cached = set(Juror.objects.filter(user=user).values_list("call_id", flat=True))
        user._jury_call_ids = cached
    return cached


class JurorQuerySet(RestrictedQuerySet):
    def restrict(self, user, action="view"):
        """The jury of a call is public; league staff appoint it."""
        if action == "view" or is_staff(user):
            return self
        return self.none()


class Juror(models.Model):
    """A member of a call's jury."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="jurors", verbose_name=_("call"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jury_seats",
                             verbose_name=_("juror"))
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("appointed by"))
    added_at = models.DateTimeField(_("appointed"), auto_now_add=True)

    objects = JurorQuerySet.as_manager()

    class Meta:
        verbose_name = _("juror")
        verbose_name_plural = _("jury")
        ordering = ["call", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["call", "user"], name="calls_juror_unique",
                                    violation_error_message=_("This user is already on the jury.")),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.user.get_full_name() or self.user.get_username()


class EntryQuerySet(RestrictedQuerySet):
    def active(self):
        return self.filter(withdrawn_at__isnull=True)

    def restrict(self, user, action="view"):
        """Entries are seen by league staff, the call's jury and the entering LGU's editors, and by
        everyone once the results are published; the LGU's editors withdraw them."""
        if is_staff(user):
            return self
        mine = Q(practice__lgu_id__in=editable_lgu_ids(user))
        if action == "view":
            return self.filter(mine | Q(call_id__in=jury_call_ids(user))
                               | Q(call__status=CallStatus.PUBLISHED, withdrawn_at__isnull=True))
        if action == "change":
            return self.filter(mine)
        return self.none()


class Entry(models.Model):
    """A practice an LGU entered in a call."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="entries", verbose_name=_("call"))
    practice = models.ForeignKey("practices.Practice", on_delete=models.PROTECT, related_name="call_entries",
                                 verbose_name=_("practice"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("entered by"))
    submitted_at = models.DateTimeField(_("entered"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    # Filled when the results are published.
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)
    total = models.DecimalField(_("weighted score"), max_digits=6, decimal_places=2, null=True, blank=True)
    tied = models.BooleanField(_("tied"), default=False)
    recognised = models.BooleanField(_("recognised"), default=False)
    is_example = models.BooleanField(_("example data"), default=False)

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        ordering = ["call", "rank", "submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["call", "practice"], name="calls_entry_unique",
                                    violation_error_message=_("This practice is already entered in this call.")),
        ]

    def __str__(self):
        return f"{self.practice} – {self.call}"

    def get_absolute_url(self):
        return reverse("calls:entry", args=[self.pk])

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class DeclarationQuerySet(RestrictedQuerySet):
    def restrict(self, user, action="view"):
        """A juror's declarations are seen by them and league staff."""
        if is_staff(user):
            return self
        if not _signed_in(user):
            return self.none()
        if action in ("view", "change"):
            return self.filter(juror__user=user)
        return self.none()


class Declaration(models.Model):
    """A juror's declaration, for one entry, of a conflict of interest (or of none)."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="declarations", verbose_name=_("entry"))
    juror = models.ForeignKey(Juror, on_delete=models.CASCADE, related_name="declarations", verbose_name=_("juror"))
    conflict = models.BooleanField(_("conflict of interest"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    declared_at = models.DateTimeField(_("declared"), auto_now=True)

    objects = DeclarationQuerySet.as_manager()

    class Meta:
        verbose_name = _("declaration of interest")
        verbose_name_plural = _("declarations of interest")
        constraints = [
            models.UniqueConstraint(fields=["entry", "juror"], name="calls_declaration_unique",
                                    violation_error_message=_("This juror has already declared for this entry.")),
        ]

    def __str__(self):
        return f"{self.juror} – {self.entry}"


def scored_entry_ids(user) -> set[int]:
    """The entries `user` has submitted their own scores for."""
    if not _signed_in(user):
        return set()
    return set(Score.objects.filter(juror__user=user).values_list("entry_id", flat=True).distinct())


class ScoreQuerySet(RestrictedQuerySet):
    def restrict(self, user, action="view"):
        """Before the results are published a juror sees their own scores, and the other jurors'
        scores of an entry only once they have submitted their own for it; nobody else sees any
        (league staff follow the ranking's totals, not the scores). After publication all are public."""
        published = Q(entry__call__status=CallStatus.PUBLISHED)
        if action != "view":
            return self.filter(juror__user=user) if _signed_in(user) else self.none()
        if not _signed_in(user):
            return self.filter(published)
        return self.filter(published | Q(juror__user=user) | Q(entry_id__in=scored_entry_ids(user)))


class Score(models.Model):
    """One juror's score of one entry on one criterion."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="scores", verbose_name=_("entry"))
    juror = models.ForeignKey(Juror, on_delete=models.CASCADE, related_name="scores", verbose_name=_("juror"))
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores",
                                  verbose_name=_("criterion"))
    value = models.PositiveSmallIntegerField(_("score"), validators=[MinValueValidator(0), MaxValueValidator(MAX_SCORE)])
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), auto_now=True)

    objects = ScoreQuerySet.as_manager()

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["entry", "juror", "criterion__position"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "juror", "criterion"], name="calls_score_unique",
                                    violation_error_message=_("This juror has already scored this criterion.")),
            models.CheckConstraint(condition=Q(value__gte=0, value__lte=MAX_SCORE), name="calls_score_range",
                                   violation_error_message=_("A score is from 0 to 10.")),
        ]

    def __str__(self):
        return f"{self.juror} – {self.entry} – {self.criterion}: {self.value}"
