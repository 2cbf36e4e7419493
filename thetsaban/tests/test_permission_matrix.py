"""The permission matrix: one table of role x object x action -> allowed, checked through the
pages and the API for every model that has them.

Each row of MATRIX names an object of the fixture below, an action and the roles allowed to
perform it; every other role must be refused. For each role the test asks the API and the
pages (where the object has them): a viewable object is in the API list and its detail answers
200, a hidden one is absent and answers 404; an allowed write answers 2xx, a refused one 4xx
and leaves the row, the table's row count and the audit trail as they were. Every check runs
in a savepoint that is rolled back, so the rows never disturb one another.

Rows whose secure outcome depends on a fix still under way name that finding in `pending`:
they expect the secure outcome and are marked as expected failures until the fix is merged.
"""

import unittest
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.cache import cache
from django.db import transaction
from django.test import Client, SimpleTestCase
from django.urls import reverse
from django.utils import timezone

from thetsaban.accounts.models import AuditEntry, User
from thetsaban.coaching.choices import CoachStatus
from thetsaban.coaching.models import Assignment, Coach, Training
from thetsaban.directory import services as directory
from thetsaban.directory.choices import ContactKind, OrganisationKind, Visibility
from thetsaban.directory.models import ContactDetail, Membership, Organisation, Person, Post
from thetsaban.participation.models import Comment, Proposal
from thetsaban.participation.targets import content_type_of
from thetsaban.places.models import Lgu
from thetsaban.policy.choices import Level, RecommendationStatus
from thetsaban.policy.models import Recommendation
from thetsaban.practices.choices import ReviewStatus, Tier
from thetsaban.practices.models import Practice, Theme
from thetsaban.testing import ThetsabanTestCase
from thetsaban.transfers.choices import LogframeLevel
from thetsaban.transfers.models import (
    FinalEvaluation,
    Indicator,
    Issue,
    LogbookEntry,
    LogframeItem,
    Milestone,
    MonitoringReport,
    StudyVisit,
    TaskforceMember,
    TransferProject,
)

# The roles. EDITOR edits for LGU A (Songkhla), OTHER for LGU B (Chiang Rai); COACH is the
# signed-in coach assigned to LGU A's transfer project.
ANON, MEMBER, EDITOR, OTHER, REVIEWER, MODERATOR, COACH, STAFF = (
    "anonymous", "member", "editor", "other-editor", "reviewer", "moderator", "coach", "staff")
ROLES = (ANON, MEMBER, EDITOR, OTHER, REVIEWER, MODERATOR, COACH, STAFF)
EVERYONE = frozenset(ROLES)
SIGNED_IN = EVERYONE - {ANON}
NOBODY = frozenset()


def only(*roles):
    return frozenset(roles)


@dataclass(frozen=True)
class Target:
    """How to reach one kind of object: its API route, its pages, a harmless change."""

    model: type
    api: str | None = None  # list URL; the detail is api + "<lookup>/"
    lookup: str = "pk"
    patch: dict | None = None  # an API change that any allowed role may make
    create: dict | None = None  # an API body creating a sibling (callables take the test case)
    page: str | None = None  # URL name of the detail page
    edit_page: str | None = None  # URL name of the edit page (GET)
    page_args: tuple = ("pk",)  # attributes of the object that fill the page URL
    delete_page: str | None = None  # URL name of the delete page (POST)
    actions: dict = field(default_factory=dict)  # name -> (URL name, body, API or page)


@dataclass(frozen=True)
class Row:
    """One line of the matrix: who may perform `action` on `target`."""

    target: str
    action: str
    allowed: frozenset
    pending: str = ""  # the finding whose fix is not merged yet

    @property
    def name(self):
        return f"test_{self.target}_{self.action}".replace("-", "_")


# Actions performed through API workflow routes: (route, JSON body, status when allowed).
PRACTICE_ACTIONS = {
    "submit": ("/api/v1/practices/{pk}/submit/", {}),
    "publish": ("/api/v1/practices/{pk}/publish/", {"tier": Tier.BEST}),
    "return": ("/api/v1/practices/{pk}/return/", {"comment": "More results, please."}),
}
COACH_ACTIONS = {
    "approve": ("/api/v1/coaching/coaches/{pk}/approve/", {"reason": ""}),
    "reject": ("/api/v1/coaching/coaches/{pk}/reject/", {"reason": "Not yet."}),
}
MODERATION_ACTIONS = {
    "hide": ("{api}{pk}/hide/", {"reason": "Off topic."}),
    "restore": ("{api}{pk}/restore/", {"reason": "Back on topic."}),
}


TARGETS = {
    # places
    "lgu": Target(Lgu, api="/api/v1/lgus/", lookup="code", patch={"name_en": "Renamed"},
                  page="places:lgu", page_args=("code",)),
    "spare-lgu": Target(Lgu, api="/api/v1/lgus/", lookup="code"),
    # practices
    "practice-published": Target(Practice, api="/api/v1/practices/", patch={"title_en": "Renamed"},
                                 page="practices:detail", edit_page="practices:edit"),
    "practice-draft": Target(Practice, api="/api/v1/practices/", patch={"title_en": "Renamed"},
                             page="practices:detail", edit_page="practices:edit",
                             actions=PRACTICE_ACTIONS,
                             create=lambda t: {"lgu": t.lgu.code, "title_th": "ใหม่", "summary": "ส",
                                               "themes": ["governance"]}),
    "practice-submitted": Target(Practice, api="/api/v1/practices/", page="practices:detail",
                                 actions=PRACTICE_ACTIONS),
    "practice-by-reviewer": Target(Practice, api="/api/v1/practices/", page="practices:detail",
                                   actions=PRACTICE_ACTIONS),
    # directory
    "office": Target(Organisation, api="/api/v1/organisations/", patch={"name_en": "Renamed"},
                     page="directory:organisation", edit_page="directory:organisation_edit",
                     create={"name_th": "องค์กรใหม่", "kind": OrganisationKind.ACADEMIC}),
    "league": Target(Organisation, api="/api/v1/organisations/", patch={"name_en": "Renamed"},
                     page="directory:organisation", edit_page="directory:organisation_edit"),
    "colleague": Target(Person, api="/api/v1/persons/", patch={"name_en": "Renamed"},
                        page="directory:person"),
    "stranger": Target(Person, api="/api/v1/persons/", patch={"name_en": "Renamed"},
                       page="directory:person"),
    "staff-only-person": Target(Person, api="/api/v1/persons/", patch={"name_en": "Renamed"},
                                page="directory:person"),
    "post": Target(Post, api="/api/v1/posts/", patch={"label_en": "Renamed"},
                   edit_page="directory:post_edit"),
    "membership": Target(Membership, api="/api/v1/memberships/", patch={"role": "Deputy"}),
    "office-contact": Target(ContactDetail, api="/api/v1/contact-details/", patch={"label": "Desk"}),
    "staff-contact": Target(ContactDetail, api="/api/v1/contact-details/", patch={"label": "Desk"}),
    # coaching
    "coach": Target(Coach, api="/api/v1/coaching/coaches/", page="coaching:coach"),
    "application": Target(Coach, api="/api/v1/coaching/coaches/", page="coaching:coach",
                          actions=COACH_ACTIONS),
    "reviewer-application": Target(Coach, api="/api/v1/coaching/coaches/", page="coaching:coach",
                                   actions=COACH_ACTIONS),
    "training": Target(Training, api="/api/v1/coaching/trainings/"),
    # transfers
    "project": Target(TransferProject, api="/api/v1/transfers/projects/", patch={"title": "Renamed"},
                      page="transfers:project", edit_page="transfers:edit"),
    "other-project": Target(TransferProject, api="/api/v1/transfers/projects/",
                            patch={"title": "Renamed"}, page="transfers:project",
                            edit_page="transfers:edit"),
    "logframe": Target(LogframeItem, api="/api/v1/transfers/logframe/", patch={"text": "Renamed"},
                       create=lambda t: {"project": t.objects["project"].pk, "level": LogframeLevel.GOAL,
                                         "text": "Goal"}),
    "indicator": Target(Indicator, api="/api/v1/transfers/indicators/", patch={"name": "Renamed"}),
    "taskforce": Target(TaskforceMember, api="/api/v1/transfers/taskforce/", patch={"role": "Chair"}),
    "milestone": Target(Milestone, api="/api/v1/transfers/milestones/", patch={"title": "Renamed"}),
    "logbook": Target(LogbookEntry, api="/api/v1/transfers/logbook/", patch={"activity": "Renamed"},
                      create=lambda t: {"project": t.objects["project"].pk, "date": "2026-01-02",
                                        "activity": "Visit"}),
    "report": Target(MonitoringReport, api="/api/v1/transfers/reports/",
                     patch={"narrative": "Renamed"}),
    "visit": Target(StudyVisit, api="/api/v1/transfers/visits/", patch={"purpose": "Renamed"}),
    "issue": Target(Issue, api="/api/v1/transfers/issues/", patch={"problem": "Renamed"}),
    "evaluation": Target(FinalEvaluation, api="/api/v1/transfers/evaluations/",
                         patch={"summary": "Renamed"}),
    # policy
    "recommendation": Target(Recommendation, api="/api/v1/recommendations/", patch={"title": "Renamed"},
                             page="policy:recommendation", edit_page="policy:edit",
                             create={"level": Level.LEAGUE, "title": "New", "recommendation": "Do it"}),
    "draft-recommendation": Target(Recommendation, api="/api/v1/recommendations/",
                                   patch={"title": "Renamed"}, page="policy:recommendation",
                                   edit_page="policy:edit"),
    # participation
    "proposal": Target(Proposal, api="/api/v1/proposals/", page="participation:proposal",
                       actions=MODERATION_ACTIONS),
    "hidden-proposal": Target(Proposal, api="/api/v1/proposals/", page="participation:proposal",
                              actions=MODERATION_ACTIONS),
    "comment": Target(Comment, api="/api/v1/comments/", actions=MODERATION_ACTIONS,
                      create=lambda t: {"target_type": "practice", "target_id": t.objects["practice-published"].pk,
                                        "text": "Well done."}),
    "comment-on-hidden-proposal": Target(Comment, api="/api/v1/comments/"),
}

WRITERS_A = only(EDITOR, STAFF)  # LGU A's editors and staff
PROJECT_LOGGERS = only(EDITOR, COACH, STAFF)  # plus the project's coach

# THE TABLE: role x object x action -> allowed. Every role not listed must be refused.
MATRIX = [
    # places: reference data, written by staff only
    Row("lgu", "view", EVERYONE),
    Row("lgu", "change", only(STAFF)),
    Row("spare-lgu", "delete", only(STAFF)),
    # practices: published is public; a draft belongs to its LGU; reviewers see submissions
    Row("practice-published", "view", EVERYONE),
    Row("practice-published", "change", only(STAFF)),  # editors change drafts only
    Row("practice-draft", "view", WRITERS_A),
    Row("practice-draft", "change", WRITERS_A),
    Row("practice-draft", "create", WRITERS_A),
    Row("practice-draft", "submit", WRITERS_A),
    Row("practice-submitted", "view", only(EDITOR, REVIEWER, STAFF)),
    Row("practice-submitted", "publish", only(REVIEWER, STAFF)),
    Row("practice-submitted", "return", only(REVIEWER, STAFF)),
    # escalation: a reviewer publishes the practice they wrote themself
    Row("practice-by-reviewer", "publish", only(STAFF)),
    # directory
    Row("office", "view", EVERYONE),
    Row("office", "change", WRITERS_A),
    Row("office", "delete", only(STAFF)),
    Row("office", "create", only(STAFF)),
    Row("league", "view", EVERYONE),
    Row("league", "change", only(STAFF)),
    Row("colleague", "view", EVERYONE),
    Row("colleague", "change", WRITERS_A),
    Row("colleague", "delete", only(STAFF)),
    Row("stranger", "view", EVERYONE),
    Row("stranger", "change", only(STAFF)),
    Row("stranger", "delete", NOBODY),  # in a taskforce: even staff get a 409, never a 500
    # escalation: an editor links a stranger to their office, then edits them
    Row("stranger", "link-then-change", only(STAFF)),
    Row("staff-only-person", "view", only(STAFF)),
    Row("staff-only-person", "change", only(STAFF)),
    Row("post", "view", EVERYONE),
    Row("post", "change", WRITERS_A),
    Row("post", "delete", WRITERS_A),
    Row("membership", "view", EVERYONE),
    Row("membership", "change", WRITERS_A),
    Row("membership", "delete", WRITERS_A),
    Row("office-contact", "view", EVERYONE),
    Row("office-contact", "change", WRITERS_A),
    Row("office-contact", "delete", WRITERS_A),
    Row("staff-contact", "view", only(STAFF)),
    Row("staff-contact", "change", only(STAFF)),
    # coaching: listed coaches are public; reviewers vet applications
    Row("coach", "view", EVERYONE),
    Row("application", "view", only(REVIEWER, STAFF)),
    Row("application", "approve", only(REVIEWER, STAFF)),
    Row("application", "reject", only(REVIEWER, STAFF)),
    # escalation: a reviewer approves their own application
    Row("reviewer-application", "approve", only(STAFF)),
    Row("training", "view", EVERYONE),
    Row("training", "delete", only(REVIEWER, STAFF)),
    # transfers: projects are public; the target LGU's editors write, coaches keep the logbook
    Row("project", "view", EVERYONE),
    Row("project", "change", WRITERS_A),
    Row("other-project", "view", EVERYONE),
    Row("other-project", "change", only(OTHER, STAFF)),
    Row("logframe", "view", EVERYONE),
    Row("logframe", "change", WRITERS_A),
    Row("logframe", "delete", WRITERS_A),
    Row("logframe", "create", WRITERS_A),
    Row("indicator", "view", EVERYONE),
    Row("indicator", "change", WRITERS_A),
    Row("indicator", "delete", WRITERS_A),
    Row("taskforce", "view", EVERYONE),
    Row("taskforce", "change", WRITERS_A),
    Row("milestone", "view", EVERYONE),
    Row("milestone", "change", WRITERS_A),
    Row("milestone", "delete", WRITERS_A),
    Row("logbook", "view", EVERYONE),
    Row("logbook", "change", PROJECT_LOGGERS),
    Row("logbook", "delete", PROJECT_LOGGERS),
    Row("logbook", "create", PROJECT_LOGGERS),
    Row("report", "view", EVERYONE),
    Row("report", "change", PROJECT_LOGGERS),
    Row("visit", "view", EVERYONE),
    Row("visit", "change", WRITERS_A),
    Row("issue", "view", EVERYONE),
    Row("issue", "change", PROJECT_LOGGERS),  # coaches log issues too
    Row("evaluation", "view", EVERYONE),
    Row("evaluation", "change", WRITERS_A),
    # policy: drafts are their owner's (LGU A's editor); owners and staff change
    Row("recommendation", "view", EVERYONE),
    Row("recommendation", "change", WRITERS_A),
    Row("recommendation", "create", only(EDITOR, OTHER, STAFF)),
    Row("draft-recommendation", "view", WRITERS_A),
    Row("draft-recommendation", "change", WRITERS_A),
    # participation: moderators hide and restore; hidden content leaves public view
    Row("proposal", "view", EVERYONE),
    Row("proposal", "hide", only(MODERATOR, STAFF)),
    Row("hidden-proposal", "view", only(MODERATOR, STAFF)),
    Row("hidden-proposal", "restore", only(MODERATOR, STAFF)),
    Row("comment", "view", EVERYONE),
    Row("comment", "create", SIGNED_IN),
    Row("comment", "hide", only(MODERATOR, STAFF)),
    # escalation: the comments of a proposal a moderator hid stay out of public view
    Row("comment-on-hidden-proposal", "view", only(MODERATOR, STAFF)),
]

# Answers that mean "refused": never a 2xx, never a 5xx. A page hides what one may not see (404)
# and sends a visitor to sign in (302) before an edit page; a signed-in user gets a 403 or 404,
# or is sent back to a record that can no longer be changed (302).
API_REFUSED = {400, 401, 403, 404, 405, 409}
DETAIL_PAGE_REFUSED = {404}
EDIT_PAGE_REFUSED = {ANON: {302}, "signed-in": {302, 403, 404}}  # 302: back to the record


class PermissionMatrixCase(ThetsabanTestCase):
    """The fixture and the checks; the tests are generated from MATRIX below, one class per app
    (so the parallel runner shares them out), one test per row, every role in each."""

    checks = 0  # individual assertions made, over all rows

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        hashed = make_password(cls.password)
        cls.moderator = User.objects.create(username="moderator", is_moderator=True, password=hashed)
        cls.coach_user = User.objects.create(username="coach", password=hashed)
        cls.citizen = User.objects.create(username="citizen", password=hashed)  # writes, holds no role
        cls.users = {ANON: None, MEMBER: cls.member, EDITOR: cls.editor, OTHER: cls.outsider,
                     REVIEWER: cls.reviewer, MODERATOR: cls.moderator, COACH: cls.coach_user,
                     STAFF: cls.staff}
        theme = Theme.objects.create(code="governance", name_th="ธรรมาภิบาล", name_en="Governance")
        now = timezone.now()
        o = cls.objects = {"lgu": cls.lgu}
        o["spare-lgu"] = Lgu.objects.create(code="TEST-SPARE", name_th="เทศบาลว่าง", lgu_type=cls.lgu.lgu_type,
                                            province=cls.lgu.province)

        def practice(status, **fields):
            return Practice.objects.create(lgu=cls.lgu, title_th="ตลาดเก่า (ข้อมูลตัวอย่าง)", summary="ส",
                                           status=status, is_example=True, **fields)

        o["practice-published"] = practice(ReviewStatus.PUBLISHED, tier=Tier.GOOD, published_at=now)
        o["practice-draft"] = practice(ReviewStatus.DRAFT, created_by=cls.editor)
        o["practice-submitted"] = practice(ReviewStatus.SUBMITTED, created_by=cls.editor)
        o["practice-by-reviewer"] = practice(ReviewStatus.SUBMITTED, created_by=cls.reviewer)
        for item in Practice.objects.all():
            item.themes.add(theme)

        o["office"] = office = directory.create_organisation(
            acting_user=None, name_th="เทศบาลนครสงขลา", kind=OrganisationKind.LGU_ADMINISTRATION, lgu=cls.lgu)
        o["league"] = directory.create_organisation(acting_user=None, name_th="สันนิบาต",
                                                    kind=OrganisationKind.LEAGUE)
        o["post"] = directory.create_post(acting_user=None, organisation=office, label_th="ผู้ประสานงาน")

        def person(name, visibility=Visibility.PUBLIC):
            return directory.create_person(acting_user=None, name_th=f"{name} (example data)", is_example=True,
                                           visibility=visibility, listing_consent=True)

        o["colleague"] = person("เพื่อนร่วมงาน")
        o["stranger"] = person("คนนอก")
        o["staff-only-person"] = person("เฉพาะเจ้าหน้าที่", Visibility.STAFF)
        o["membership"] = directory.create_membership(acting_user=None, person=o["colleague"], post=o["post"])
        directory.create_membership(acting_user=None, person=o["staff-only-person"], post=o["post"])
        o["office-contact"] = directory.create_contact_detail(
            acting_user=None, organisation=office, kind=ContactKind.PHONE, value="074-000-0001",
            visibility=Visibility.PUBLIC, consent=True)
        o["staff-contact"] = directory.create_contact_detail(
            acting_user=None, person=o["colleague"], kind=ContactKind.EMAIL, value="staff@example.org",
            visibility=Visibility.STAFF, consent=True)

        province = cls.lgu.province

        def coach(name, status, user=None):
            entry = person(name)
            if user is not None:
                user.person = entry
                user.save(update_fields=["person"])
            return Coach.objects.create(person=entry, user=user, status=status, home_province=province)

        o["coach"] = coach("พี่เลี้ยง", CoachStatus.APPROVED, user=cls.coach_user)
        o["application"] = coach("ผู้สมัคร", CoachStatus.APPLIED, user=cls.citizen)
        o["reviewer-application"] = coach("ผู้ตรวจสมัคร", CoachStatus.APPLIED, user=cls.reviewer)
        o["training"] = Training.objects.create(coach=o["coach"], kind="nmlt", title="Coach course")

        o["project"] = project = TransferProject.objects.create(
            title="Transfer to Songkhla (example data)", source_note="A practice from elsewhere",
            target_lgu=cls.lgu, is_example=True)
        o["other-project"] = TransferProject.objects.create(
            title="Transfer to Chiang Rai (example data)", source_practice=o["practice-published"],
            target_lgu=cls.other_lgu, is_example=True)
        Assignment.objects.create(coach=o["coach"], project=project)
        o["logframe"] = LogframeItem.objects.create(project=project, level=LogframeLevel.GOAL, text="Goal")
        o["indicator"] = Indicator.objects.create(project=project, name="Waiting time")
        o["taskforce"] = TaskforceMember.objects.create(project=project, person=o["stranger"],
                                                         role="Member")
        o["milestone"] = Milestone.objects.create(project=project, title="Launch")
        o["logbook"] = LogbookEntry.objects.create(project=project, date=date(2026, 1, 1), activity="Visit")
        o["report"] = MonitoringReport.objects.create(project=project, period_start=date(2026, 1, 1),
                                                      period_end=date(2026, 3, 31), narrative="On track")
        o["visit"] = StudyVisit.objects.create(project=project, host_lgu=cls.other_lgu,
                                               visited_on=date(2026, 2, 1))
        o["issue"] = Issue.objects.create(project=project, level=Level.PROJECT, problem="No software expert")
        o["evaluation"] = FinalEvaluation.objects.create(project=project, summary="Done")

        o["recommendation"] = Recommendation.objects.create(
            level=Level.LEAGUE, title="Coach pool", recommendation="ส", owner=cls.editor,
            status=RecommendationStatus.PROPOSED)
        o["draft-recommendation"] = Recommendation.objects.create(
            level=Level.POLICY, title="Draft", recommendation="ส", owner=cls.editor,
            status=RecommendationStatus.DRAFT)

        o["proposal"] = Proposal.objects.create(author=cls.citizen, lgu=cls.lgu, title="Bins",
                                                problem="Overflowing", proposal="More bins")
        o["hidden-proposal"] = Proposal.objects.create(author=cls.citizen, lgu=cls.lgu, title="Spam",
                                                       problem="x", proposal="x", hidden=True)
        o["comment"] = Comment.objects.create(target=o["practice-published"], author=cls.citizen,
                                              text="Good work")
        o["comment-on-hidden-proposal"] = Comment.objects.create(
            content_type=content_type_of(o["hidden-proposal"]), object_id=o["hidden-proposal"].pk,
            author=cls.citizen, text="Comment under a hidden proposal")
        cls.sessions = {}
        for role, user in cls.users.items():
            if user is not None:
                client = Client()
                client.force_login(user)
                cls.sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value

    def setUp(self):
        super().setUp()
        cache.clear()  # rate limits and throttles count in the cache

    # -- one role, one action --------------------------------------------------------------

    def as_role(self, role):
        """Sign in as `role` with the session made once for the class (anonymous: none)."""
        cache.clear()
        self.client.cookies.pop(settings.SESSION_COOKIE_NAME, None)
        if role in self.sessions:
            self.client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[role]

    def snapshot(self, obj):
        """What a refused write must leave as it was: the row, its table's size, the audit."""
        model = type(obj)
        row = model._base_manager.filter(pk=obj.pk).values().first()
        return row, model._base_manager.count(), AuditEntry.objects.count()

    def api_detail(self, key):
        target, obj = TARGETS[key], self.objects[key]
        return f"{target.api}{getattr(obj, target.lookup)}/"

    def page_url(self, name, obj, target):
        return reverse(name, args=[getattr(obj, attr) for attr in target.page_args])

    def check(self, failures, role, what, allowed, response, refused):
        """Record a mismatch between the table and what the server answered."""
        PermissionMatrixCase.checks += 1
        status, said = response.status_code, response.content[:200]
        if status >= 500:
            failures.append(f"{role}: {what} answered {status}")
        elif allowed and not 200 <= status < 300:
            failures.append(f"{role}: {what} answered {status}, expected success: {said}")
        elif not allowed and status not in refused:
            failures.append(f"{role}: {what} answered {status}, expected refusal")

    def check_unchanged(self, failures, role, what, before, obj):
        PermissionMatrixCase.checks += 1
        if self.snapshot(obj) != before:
            failures.append(f"{role}: refused {what} still wrote")

    def attempt(self, failures, role, what, allowed, obj, send):
        """Send one write in a savepoint that is rolled back; a refusal must write nothing."""
        with transaction.atomic():
            before = self.snapshot(obj)
            response = send()
            self.check(failures, role, what, allowed, response, API_REFUSED)
            if not allowed:
                self.check_unchanged(failures, role, what, before, obj)
            transaction.set_rollback(True)

    def run_view(self, failures, role, row, target, obj):
        if target.api:
            response = self.client.get(self.api_detail(row.target))
            self.check(failures, role, "API detail", row.allowed_for(role), response, {404})
            response = self.client.get(target.api, {"page_size": 100})
            self.check(failures, role, "API list", True, response, set())
            key = getattr(obj, target.lookup)
            listed = response.status_code == 200 and any(
                item.get(target.lookup if target.lookup != "pk" else "id") == key
                for item in response.json()["results"])
            PermissionMatrixCase.checks += 1
            if listed != row.allowed_for(role):
                failures.append(f"{role}: API list {'shows' if listed else 'hides'} the object")
        if target.page:
            response = self.client.get(self.page_url(target.page, obj, target))
            self.check(failures, role, "detail page", row.allowed_for(role), response,
                       DETAIL_PAGE_REFUSED)

    def run_change(self, failures, role, row, target, obj):
        if target.patch:
            self.attempt(failures, role, "API PATCH", row.allowed_for(role), obj, lambda: self.client.patch(
                self.api_detail(row.target), target.patch, content_type="application/json"))
        if target.edit_page:
            response = self.client.get(self.page_url(target.edit_page, obj, target))
            refused = EDIT_PAGE_REFUSED.get(role, EDIT_PAGE_REFUSED["signed-in"])
            self.check(failures, role, "edit page", row.allowed_for(role), response, refused)

    def run_delete(self, failures, role, row, target, obj):
        self.attempt(failures, role, "API DELETE", row.allowed_for(role), obj,
                     lambda: self.client.delete(self.api_detail(row.target)))

    def run_create(self, failures, role, row, target, obj):
        body = target.create(self) if callable(target.create) else target.create
        self.attempt(failures, role, "API POST", row.allowed_for(role), obj,
                     lambda: self.client.post(target.api, body, content_type="application/json"))

    def run_link_then_change(self, failures, role, row, target, obj):
        """The directory takeover: link someone to the editor's office, then edit them."""
        with transaction.atomic():
            before = self.snapshot(obj)
            self.client.post("/api/v1/memberships/", {"person": obj.pk, "organisation": self.objects["office"].pk},
                             content_type="application/json")
            response = self.client.patch(self.api_detail(row.target), {"name_en": "Taken over"},
                                         content_type="application/json")
            self.check(failures, role, "link then PATCH", row.allowed_for(role), response,
                       API_REFUSED)
            if not row.allowed_for(role):
                PermissionMatrixCase.checks += 1
                if Person.objects.get(pk=obj.pk).name_en != before[0]["name_en"]:
                    failures.append(f"{role}: renamed a stranger after linking them")
            transaction.set_rollback(True)

    def run_workflow(self, failures, role, row, target, obj):
        route, body = target.actions[row.action]
        url = route.format(pk=obj.pk, api=target.api)
        self.attempt(failures, role, f"API {row.action}", row.allowed_for(role), obj,
                     lambda: self.client.post(url, body, content_type="application/json"))

    def run_row(self, row):
        target, obj = TARGETS[row.target], self.objects[row.target]
        runner = {"view": self.run_view, "change": self.run_change, "delete": self.run_delete,
                  "create": self.run_create, "link-then-change": self.run_link_then_change,
                  }.get(row.action, self.run_workflow)
        failures = []
        for role in ROLES:
            self.as_role(role)
            runner(failures, role, row, target, obj)
        self.assertEqual(failures, [], f"{row.target} / {row.action}")


class MatrixTableTests(SimpleTestCase):
    def test_matrix_covers_every_model_it_names(self):
        self.assertEqual({TARGETS[row.target].model for row in MATRIX},
                         {target.model for target in TARGETS.values()})
        self.assertEqual(len({row.name for row in MATRIX}), len(MATRIX), "duplicate rows")


def _row_test(row):
    def test(self):
        self.run_row(row)
    test.__name__ = row.name
    test.__doc__ = f"{row.target}: {row.action} is allowed to {', '.join(sorted(row.allowed)) or 'nobody'}."
    if row.pending:
        test.__doc__ += f" (pending fix: {row.pending})"
        test = unittest.expectedFailure(test)
    return test


Row.allowed_for = lambda self, role: role in self.allowed


def _classes_by_app():
    """One TestCase per app of the matrix, holding that app's rows."""
    classes = {}
    for row in MATRIX:
        app = TARGETS[row.target].model._meta.app_label
        if app not in classes:
            name = f"{app.title()}PermissionMatrixTests"
            classes[app] = type(name, (PermissionMatrixCase,), {"__module__": __name__,
                                                                "__qualname__": name})
        setattr(classes[app], row.name, _row_test(row))
    return {klass.__name__: klass for klass in classes.values()}


globals().update(_classes_by_app())
