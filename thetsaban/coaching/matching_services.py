"""Coach matching against the database: reading the solver's input, runs, and staff decisions.

Every write runs in one transaction, takes `acting_user` as a keyword and leaves an audit
record. Only league staff run matching and decide on proposals; `acting_user=None` means a
trusted system process (the `match_coaches` management command).

Places: a coach's home is the centroid of their home province, computed as the mean of the
coordinates of the province's LGUs; a province without any located LGU falls back to the
centroid of its region's LGUs, and a region without any to "unknown" (the solver then charges
the full distance cap). A project is placed at its target LGU's own coordinates, else at the
centroid of the LGU's province, else of its region.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Avg, Count, Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from thetsaban.accounts.choices import AuditAction
from thetsaban.accounts.services import (
    OwnWorkRefused,
    check_four_eyes,
    record,
    save_audited,
    snapshot,
)
from thetsaban.coaching.choices import AssignmentRole, Availability, CoachStatus, ProposalDecision
from thetsaban.coaching.matching import (
    DEFAULT_LANGUAGE,
    CoachInput,
    ProjectInput,
    Solution,
    Weights,
    solve,
)
from thetsaban.coaching.models import (
    Assignment,
    Coach,
    Competency,
    MatchingRun,
    MatchProposal,
    coached_work,
)
from thetsaban.coaching.services import applicant_ids
from thetsaban.dates import format_date
from thetsaban.directory.models import Membership
from thetsaban.permissions import is_staff
from thetsaban.places.models import Lgu, Province


def may_match(user) -> bool:
    """Whether `user` may run matching and decide on proposals: staff, or the system (None)."""
    return user is None or is_staff(user)


def _require(user) -> None:
    if not may_match(user):
        raise PermissionDenied(_("Only league staff run coach matching."))


# Reads for pages and API. MatchingRun and MatchProposal have no restrict() yet (the models
# are shared), so their one staff-only rule lives here and every view goes through it.
def runs_for(user):
    """Matching runs `user` may see: staff see all, everyone else none."""
    return MatchingRun.objects.restrict(user, "view")


def proposals_for(user):
    """Match proposals `user` may see, with what their listing needs in the same query."""
    base = MatchProposal.objects.select_related(
        "run", "coach__person", "coach__home_province__region", "project__target_lgu__province__region",
        "project__theme", "decided_by", "assignment")
    return base.restrict(user, "view")


def active_load(coach_ids=None) -> dict[int, int]:
    """Number of active assignments (on active projects) per coach."""
    qs = Assignment.objects.active().filter(project__in=coached_work().objects.active())
    if coach_ids is not None:
        qs = qs.filter(coach_id__in=coach_ids)
    return dict(qs.values_list("coach_id").annotate(n=Count("pk")).values_list("coach_id", "n"))


def _centroids():
    """(province id -> (lat, lon), region id -> (lat, lon)) from the located LGUs."""
    located = Lgu.objects.filter(latitude__isnull=False, longitude__isnull=False)
    provinces = {row["province_id"]: (float(row["lat"]), float(row["lon"]))
                 for row in located.values("province_id").annotate(lat=Avg("latitude"), lon=Avg("longitude"))}
    regions = {row["province__region_id"]: (float(row["lat"]), float(row["lon"]))
               for row in located.values("province__region_id").annotate(lat=Avg("latitude"), lon=Avg("longitude"))}
    for province_id, region_id in Province.objects.values_list("pk", "region_id"):
        if province_id not in provinces and region_id in regions:
            provinces[province_id] = regions[region_id]
    return provinces, regions


@dataclass
class MatchingInput:
    """The solver's input read from the database, with the records it came from."""

    coaches: list[CoachInput]
    projects: list[ProjectInput]
    coach_records: dict[int, Coach]
    project_records: dict


def read_input() -> MatchingInput:
    """Approved coaches (available or limited) with places left, and active projects without a coach."""
    provinces, regions = _centroids()
    coach_qs = (Coach.objects.approved().exclude(availability=Availability.UNAVAILABLE)
                .select_related("person", "home_province__region", "affiliation")
                .prefetch_related("languages", "themes"))
    coach_records = {c.pk: c for c in coach_qs}
    load = active_load(list(coach_records))
    confirmed: dict[int, set[str]] = {}
    declared: dict[int, set[str]] = {}
    for coach_id, theme, confirmed_at in (Competency.objects.filter(coach_id__in=list(coach_records),
                                                                    theme__isnull=False)
                                          .values_list("coach_id", "theme__code", "confirmed_at")):
        (confirmed if confirmed_at else declared).setdefault(coach_id, set()).add(theme)
    # A coach works for the LGU of their affiliation and of any organisation they are a current member of.
    own: dict[int, set[int]] = {}
    person_to_coach = {c.person_id: c.pk for c in coach_records.values()}
    for person_id, lgu_id in (Membership.objects.current()
                              .filter(person_id__in=list(person_to_coach), organisation__lgu__isnull=False)
                              .values_list("person_id", "organisation__lgu_id")):
        own.setdefault(person_to_coach[person_id], set()).add(lgu_id)
    coaches = []
    for coach in coach_records.values():
        left = coach.capacity - load.get(coach.pk, 0)
        if left <= 0:
            continue
        lat, lon = provinces.get(coach.home_province_id, (None, None))
        lgus = own.get(coach.pk, set())
        if coach.affiliation_id and coach.affiliation.lgu_id:
            lgus.add(coach.affiliation.lgu_id)
        themes = {t.code for t in coach.themes.all()} | declared.get(coach.pk, set())
        coaches.append(CoachInput(
            id=coach.pk, lat=lat, lon=lon, region=coach.home_province.region.code,
            languages=frozenset(lang.code for lang in coach.languages.all()), capacity=left,
            themes_declared=frozenset(themes), themes_confirmed=frozenset(confirmed.get(coach.pk, set())),
            own_lgus=frozenset(lgus)))

    coached = Assignment.objects.active().filter(project=OuterRef("pk"))
    project_qs = (coached_work().objects.active().filter(~Exists(coached))
                  .select_related("target_lgu__province__region", "theme", "language").order_by("pk"))
    project_records = {p.pk: p for p in project_qs}
    projects = []
    for project in project_records.values():
        lgu = project.target_lgu
        if lgu.has_location:
            lat, lon = float(lgu.latitude), float(lgu.longitude)
        else:
            lat, lon = provinces.get(lgu.province_id) or regions.get(lgu.province.region_id) or (None, None)
        projects.append(ProjectInput(
            id=project.pk, lgu_id=lgu.pk, lat=lat, lon=lon, region=lgu.province.region.code,
            theme=project.theme.code if project.theme_id else None,
            language=project.language.code if project.language_id else DEFAULT_LANGUAGE))
    return MatchingInput(coaches, projects, coach_records, project_records)


def propose(weights: Weights | None = None) -> tuple[Solution, MatchingInput]:
    """Solve the matching on the current data without storing anything."""
    data = read_input()
    return solve(data.coaches, data.projects, weights=weights or Weights()), data


def explanation_for(solution: Solution, data: MatchingInput) -> dict[int, dict]:
    """Each proposed pair's JSON explanation, by project id."""
    coaches = {c.id: c for c in data.coaches}
    projects = {p.id: p for p in data.projects}
    return {pair.project_id: pair.explanation(projects[pair.project_id], coaches[pair.coach_id])
            for pair in solution.pairs}


@transaction.atomic
def run_matching(*, acting_user, with_solution: bool = False):
    """Solve the matching and store the run with one pending proposal per matched project.

    Returns the run, or (run, solution, input) with `with_solution`.
    """
    _require(acting_user)
    solution, data = propose()
    explanations = explanation_for(solution, data)
    run = MatchingRun.objects.create(
        created_by=acting_user if acting_user is not None and acting_user.is_authenticated else None,
        total_cost=solution.total_cost, solve_ms=round(solution.solve_seconds * 1000),
        projects_without_coach=len(data.projects), unmatched=len(solution.unmatched))
    MatchProposal.objects.bulk_create([
        MatchProposal(run=run, project_id=pair.project_id, coach_id=pair.coach_id, cost=pair.cost,
                      explanation=explanations[pair.project_id])
        for pair in solution.pairs])
    record(run, AuditAction.CREATE, acting_user=acting_user,
           note=f"{len(solution.pairs)} proposals, {len(solution.unmatched)} unmatched, "
                f"total cost {solution.total_cost}")
    return (run, solution, data) if with_solution else run


def coach_own_lgu_ids(coach: Coach) -> set[int]:
    """The LGUs a coach works for: their affiliation's and those of organisations they are a
    current member of (a coach does not coach their own LGU)."""
    lgus = set(Membership.objects.current().filter(person_id=coach.person_id, organisation__lgu__isnull=False)
               .values_list("organisation__lgu_id", flat=True))
    if coach.affiliation_id and coach.affiliation.lgu_id:
        lgus.add(coach.affiliation.lgu_id)
    return lgus


def check_assignment(coach: Coach, project, *, role: str = AssignmentRole.LEAD, acting_user=None,
                     exclude=None) -> str:
    """Refuse a coach on a project the way matching does; return the note for the audit entry.

    The coach is approved and has a place left, the project is active and has no lead coach yet
    (for a lead), the coach does not work for the project's LGU, and staff do not give
    themselves a project (four eyes). `exclude` is the assignment being changed, if any.
    Raises ValidationError, or OwnWorkRefused for the four-eyes rule.
    """
    _require(acting_user)
    if not project.is_active:
        raise ValidationError(_("Project “%(project)s” is no longer active.") % {"project": project})
    others = Assignment.objects.active().filter(project=project)
    if exclude is not None and exclude.pk:
        others = others.exclude(pk=exclude.pk)
    if others.filter(coach=coach).exists():
        raise ValidationError(_("This coach is already on this project."))
    if role == AssignmentRole.LEAD and others.filter(role=AssignmentRole.LEAD).exists():
        raise ValidationError(_("Project “%(project)s” already has a coach.") % {"project": project})
    if coach.status != CoachStatus.APPROVED:
        raise ValidationError(_("%(coach)s is no longer an approved coach.") % {"coach": coach})
    if project.target_lgu_id in coach_own_lgu_ids(coach):
        raise ValidationError(_("%(coach)s works for %(lgu)s and cannot coach its own project.")
                              % {"coach": coach, "lgu": project.target_lgu})
    load = active_load([coach.pk]).get(coach.pk, 0)
    if exclude is not None and exclude.pk and exclude.ended_on is None and exclude.coach_id == coach.pk:
        load -= 1  # the assignment being changed already counts
    if load >= coach.capacity:
        raise ValidationError(_("%(coach)s is now full: %(load)s of %(capacity)s projects.")
                              % {"coach": coach, "load": load, "capacity": coach.capacity})
    # A staff member who is also a coach does not give themselves a project.
    return check_four_eyes(acting_user, applicant_ids(coach))


def _notify_coach(assignment: Assignment) -> bool:
    """E-mail the coach about their new project once the transaction has committed; False if
    the coach has no address to write to."""
    from thetsaban.coaching.services import coach_emails

    recipients = coach_emails(assignment.coach)
    if not recipients:
        return False
    project = assignment.project
    url = getattr(settings, "SITE_URL", "").rstrip("/") + reverse("transfers:project", args=[project.pk])
    subject = _("You are the coach of “%(project)s”") % {"project": project}
    values = {"project": project, "lgu": project.target_lgu, "date": format_date(assignment.started_on),
              "url": url}
    if assignment.role == AssignmentRole.LEAD:
        body = _("League staff have assigned you as the lead coach of “%(project)s” (%(lgu)s) "
                 "from %(date)s.\n\nProject page: %(url)s") % values
    else:
        body = _("League staff have added you to the coach team of “%(project)s” (%(lgu)s) "
                 "from %(date)s.\n\nProject page: %(url)s") % values
    transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients,
                                            fail_silently=True))
    return True


@transaction.atomic
def accept_proposal(proposal: MatchProposal, *, acting_user) -> Assignment:
    """Make a proposal the project's lead-coach assignment and tell the coach by e-mail.

    The assignment's `coach_emailed` says whether an e-mail is on its way (a coach with no
    address is not written to), so that nobody is told the coach knows when they do not.
    """
    _require(acting_user)
    proposal = (MatchProposal.objects.select_for_update(of=("self",))
                .select_related("project__target_lgu").get(pk=proposal.pk))
    # Lock the coach too, so two acceptances cannot both take the coach's last place.
    coach = (Coach.objects.select_for_update(of=("self",)).select_related("person", "user")
             .get(pk=proposal.coach_id))
    if proposal.decision != ProposalDecision.PENDING:
        raise ValidationError(_("This proposal has already been decided (%(decision)s).")
                              % {"decision": proposal.get_decision_display()})
    before = snapshot(proposal)
    assignment = assign_coach(coach, proposal.project, acting_user=acting_user, proposal=proposal,
                              note=f"accepted match proposal {proposal.pk}")
    proposal.decision = ProposalDecision.ACCEPTED
    proposal.decided_by = acting_user if acting_user is not None and acting_user.is_authenticated else None
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["decision", "decided_by", "decided_at"])
    record(proposal, AuditAction.UPDATE, acting_user=acting_user, before=before, note="accepted")
    return assignment


@transaction.atomic
def assign_coach(coach: Coach, project, *, acting_user, role: str = AssignmentRole.LEAD,
                 started_on=None, proposal=None, note: str = "", notify: bool = True) -> Assignment:
    """Put a coach on a project's coach team, with the checks of `check_assignment`, and tell
    the coach by e-mail. The one way an assignment is made: matching, pages, API and admin.

    The assignment's `coach_emailed` says whether an e-mail is on its way (a coach with no
    address is not written to), so that nobody is told the coach knows when they do not.
    """
    # Lock the coach, so two assignments cannot both take the coach's last place.
    coach = (Coach.objects.select_for_update(of=("self",)).select_related("person", "user", "affiliation")
             .get(pk=coach.pk))
    # And the project, so that two leads cannot both take it.
    project = (type(project)._default_manager.select_for_update(of=("self",)).select_related("target_lgu")
               .get(pk=project.pk))
    four_eyes = check_assignment(coach, project, role=role, acting_user=acting_user)
    assignment = Assignment(coach=coach, project=project, role=role,
                            started_on=started_on or timezone.localdate(), proposal=proposal)
    save_audited(assignment, acting_user=acting_user, note="; ".join(filter(None, [str(note), four_eyes])))
    assignment.coach_emailed = _notify_coach(assignment) if notify else False
    return assignment


@transaction.atomic
def change_assignment(assignment: Assignment, *, acting_user, role: str, started_on=None,
                      ended_on=None) -> Assignment:
    """Change an assignment's role or dates; an assignment that stays or becomes active is checked
    again (a second lead, a full coach). Ending one needs no check."""
    _require(acting_user)
    stored = Assignment.objects.select_for_update().select_related("project").get(pk=assignment.pk)
    coach = (Coach.objects.select_for_update(of=("self",)).select_related("person", "affiliation")
             .get(pk=stored.coach_id))
    note = ""
    if ended_on is None and (stored.ended_on is not None or role != stored.role):
        note = check_assignment(coach, stored.project, role=role, acting_user=acting_user, exclude=stored)
    assignment.role, assignment.started_on, assignment.ended_on = role, started_on, ended_on
    save_audited(assignment, acting_user=acting_user, note=note)
    return assignment


@transaction.atomic
def reject_proposal(proposal: MatchProposal, *, acting_user, reason: str = "") -> MatchProposal:
    """Turn a proposal down, keeping the reason on the proposal and in the audit trail."""
    _require(acting_user)
    proposal = MatchProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.decision != ProposalDecision.PENDING:
        raise ValidationError(_("This proposal has already been decided (%(decision)s).")
                              % {"decision": proposal.get_decision_display()})
    before = snapshot(proposal)
    proposal.decision = ProposalDecision.REJECTED
    proposal.decided_by = acting_user if acting_user is not None and acting_user.is_authenticated else None
    proposal.decided_at = timezone.now()
    proposal.decision_reason = reason.strip()[:1000]
    proposal.save(update_fields=["decision", "decided_by", "decided_at", "decision_reason"])
    record(proposal, AuditAction.UPDATE, acting_user=acting_user, before=before,
           note=("rejected: " + reason.strip())[:1000] if reason.strip() else "rejected")
    return proposal


def accept_all(run: MatchingRun, *, acting_user) -> tuple[list[Assignment], list[tuple[MatchProposal, str]]]:
    """Accept every pending proposal of a run, each on its own; returns what failed and why."""
    _require(acting_user)
    accepted, failed = [], []
    pending = run.proposals.filter(decision=ProposalDecision.PENDING).select_related(
        "project", "coach__person").order_by("cost", "pk")
    for proposal in pending:
        try:
            accepted.append(accept_proposal(proposal, acting_user=acting_user))
        except ValidationError as error:
            failed.append((proposal, " ".join(error.messages)))
        except OwnWorkRefused as error:
            failed.append((proposal, str(error)))
    return accepted, failed


__all__ = [
    "may_match", "runs_for", "proposals_for", "read_input", "propose", "run_matching",
    "accept_proposal", "reject_proposal", "accept_all", "active_load", "coach_own_lgu_ids",
    "check_assignment", "assign_coach", "change_assignment",
]
