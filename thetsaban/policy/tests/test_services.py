"""Service functions: audited writes, the timeline with checked attachments, promotions."""

from datetime import date

from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from thetsaban.accounts.models import AuditEntry
from thetsaban.policy import services
from thetsaban.policy.choices import ActorRole, Level, RecommendationStatus
from thetsaban.policy.models import Recommendation
from thetsaban.policy.tests.base import PolicyTestCase

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class PromoteIssueTests(PolicyTestCase):
    def test_promote_issue_keeps_the_link_both_ways(self):
        recommendation = services.promote_issue(self.issue, self.staff)
        self.assertEqual(list(self.issue.recommendations.all()), [recommendation])
        self.assertEqual(list(recommendation.issues.all()), [self.issue])
        self.assertEqual(list(recommendation.projects.all()), [self.project])
        self.assertEqual(list(recommendation.lgus.all()), [self.lgu])
        self.assertEqual(list(recommendation.themes.all()), [self.governance])
        self.assertEqual((recommendation.level, recommendation.problem, recommendation.effect,
                          recommendation.recommendation, recommendation.lgu_codes),
                         (Level.PROJECT, "ขาดผู้เชี่ยวชาญด้านซอฟต์แวร์", "ระบบล่าช้า",
                          "ขอรับการสนับสนุนจาก กพร.", "SK"))
        self.assertTrue(AuditEntry.objects.filter(object_id=str(recommendation.pk),
                                                  content_type__model="recommendation").exists())

    def test_promoting_twice_returns_the_same_recommendation(self):
        first = services.promote_issue(self.issue, self.staff)
        self.assertEqual(services.promote_issue(self.issue, self.staff), first)
        self.assertEqual(Recommendation.objects.filter(issues=self.issue).count(), 1)

    def test_the_pilots_editor_promotes_and_owns_it_but_another_lgus_editor_cannot(self):
        with self.assertRaises(PermissionDenied):
            services.promote_issue(self.issue, self.outsider)
        with self.assertRaises(PermissionDenied):
            services.promote_issue(self.issue, self.member)
        recommendation = services.promote_issue(self.issue, self.editor)
        self.assertEqual(recommendation.owner, self.editor)

    def test_promote_issue_page(self):
        self.login(self.editor)
        response = self.client.post(f"/policy/issues/{self.issue.pk}/promote/")
        recommendation = self.issue.recommendations.get()
        self.assertRedirects(response, recommendation.get_absolute_url())
        self.login(self.outsider)
        response = self.client.post(f"/policy/issues/{self.issue.pk}/promote/")
        self.assertEqual(response.status_code, 403)

    def test_promote_issue_api(self):
        self.login(self.editor)
        response = self.client.post("/api/v1/recommendations/promote-issue/", {"issue": self.issue.pk},
                                    content_type="application/json")
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["issues"], [self.issue.pk])
        response = self.client.post("/api/v1/recommendations/promote-issue/", {"issue": "x"},
                                    content_type="application/json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("issue", response.json())


class PromoteProposalTests(PolicyTestCase):
    def test_staff_promote_a_proposal_onto_the_leagues_agenda(self):
        from thetsaban.participation.models import Proposal

        proposal = Proposal.objects.create(author=self.member, lgu=self.lgu, title="ทำเยอะจนเป็นวาระ",
                                           problem="นโยบายมาจากข้างบน", proposal="สร้าง Bottom-up Policy")
        proposal.themes.add(self.governance)
        with self.assertRaises(PermissionDenied):
            services.promote_proposal(proposal, self.editor)
        recommendation = services.promote_proposal(proposal, self.staff)
        proposal.refresh_from_db()
        self.assertEqual(proposal.promoted_to, recommendation)
        self.assertEqual(proposal.status, "promoted")
        self.assertEqual(recommendation.level, Level.LEAGUE)
        self.assertEqual(recommendation.recommendation, "สร้าง Bottom-up Policy")
        self.assertEqual(list(recommendation.proposals.all()), [proposal])
        self.assertEqual(services.promote_proposal(proposal, self.staff), recommendation)


class TimelineTests(PolicyTestCase):
    def test_status_change_is_a_dated_timeline_entry_and_audited(self):
        # League staff forward it (its owner may not: nobody accepts their own recommendation).
        update = services.add_update(self.proposed, acting_user=self.staff, text="ส่งต่อแล้ว",
                                     date=date(2025, 2, 1), status=RecommendationStatus.FORWARDED,
                                     progress=10)
        self.proposed.refresh_from_db()
        self.assertEqual(self.proposed.status, RecommendationStatus.FORWARDED)
        self.assertEqual(update.author, self.staff)
        entries = AuditEntry.objects.filter(object_id=str(self.proposed.pk),
                                            content_type__model="recommendation")
        self.assertEqual(entries.count(), 1)
        self.assertTrue(entries.get().note)  # what changed: the old and the new status
        self.assertEqual(entries.get().after["status"], RecommendationStatus.FORWARDED)

    def test_implemented_sets_the_actual_end(self):
        services.add_update(self.proposed, acting_user=self.staff, text="เสร็จ", date=date(2025, 3, 1),
                            status=RecommendationStatus.IMPLEMENTED, progress=100)
        self.proposed.refresh_from_db()
        self.assertEqual(self.proposed.actual_end, date(2025, 3, 1))

    def test_others_cannot_add_updates(self):
        for user in (self.outsider, self.member):
            with self.assertRaises(PermissionDenied):
                services.add_update(self.proposed, acting_user=user, text="x")

    def test_attachment_types_and_content_are_checked_like_practices(self):
        good = SimpleUploadedFile("minutes.pdf", PDF, content_type="application/pdf")
        update = services.add_update(self.proposed, acting_user=self.editor, text="บันทึก",
                                     attachment=good)
        self.assertTrue(update.attachment.name.endswith(".pdf"))
        self.assertEqual(update.attachment_size, len(PDF))
        for upload in (SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream"),
                       SimpleUploadedFile("fake.pdf", b"not a pdf", content_type="application/pdf")):
            with self.assertRaises(ValidationError):
                services.add_update(self.proposed, acting_user=self.editor, text="x", attachment=upload)

    @override_settings(MAX_UPLOAD_MB=0)
    def test_attachment_size_is_checked(self):
        upload = SimpleUploadedFile("minutes.pdf", PDF, content_type="application/pdf")
        with self.assertRaises(ValidationError) as caught:
            services.add_update(self.proposed, acting_user=self.editor, text="x", attachment=upload)
        self.assertIn("MB", str(caught.exception))

    def test_followers_are_told_of_a_status_change(self):
        from django.contrib.contenttypes.models import ContentType

        from thetsaban.participation.models import Follow

        self.member.email = "member@example.org"
        self.member.save()
        Follow.objects.create(user=self.member, object_id=self.proposed.pk,
                              content_type=ContentType.objects.get_for_model(Recommendation))
        with self.captureOnCommitCallbacks(execute=True):
            services.add_update(self.proposed, acting_user=self.staff, text="รับไปพิจารณา",
                                status=RecommendationStatus.UNDER_CONSIDERATION)
        self.assertEqual(len(mail.outbox), 1)
        self.assertIn("รับไปพิจารณา", mail.outbox[0].body)


class SaveRecommendationTests(PolicyTestCase):
    def test_text_is_cleaned_and_codes_normalised(self):
        recommendation = Recommendation(level=Level.PROJECT, recommendation="โครงการเทศบาลนําร่อง\u200b",
                                        lgu_codes="sk; yl")
        services.save_recommendation(recommendation, acting_user=self.staff)
        self.assertEqual(recommendation.recommendation, "โครงการเทศบาลนำร่อง")
        self.assertEqual(recommendation.lgu_codes, "SK, YL")
        self.assertEqual(recommendation.title, "โครงการเทศบาลนำร่อง")
        self.assertEqual(recommendation.owner, self.staff)

    def test_owner_cannot_change_status_or_give_it_away_by_editing(self):
        self.proposed.status = RecommendationStatus.ADOPTED
        self.proposed.owner = self.member
        services.save_recommendation(self.proposed, acting_user=self.editor)
        self.proposed.refresh_from_db()
        self.assertEqual((self.proposed.status, self.proposed.owner),
                         (RecommendationStatus.PROPOSED, self.editor))

    def test_actors_replace_and_duplicates_are_refused(self):
        services.save_recommendation(self.proposed, acting_user=self.editor, actors=[
            (self.league, ActorRole.ACCOUNTABLE, ""), (self.opdc, ActorRole.SUPPORTING, "ช่วย")])
        self.assertEqual(self.proposed.actors.count(), 2)
        services.save_recommendation(self.proposed, acting_user=self.editor, actors=[
            (self.opdc, ActorRole.SUPPORTING, "ช่วยเหลือ")])
        self.assertEqual([(a.organisation, a.note) for a in self.proposed.actors.all()],
                         [(self.opdc, "ช่วยเหลือ")])
        with self.assertRaises(ValidationError):
            services.save_recommendation(self.proposed, acting_user=self.editor, actors=[
                (self.opdc, ActorRole.SUPPORTING, ""), (self.opdc, ActorRole.SUPPORTING, "")])

    def test_a_new_recommendation_cannot_start_adopted(self):
        with self.assertRaises(ValidationError):
            services.save_recommendation(Recommendation(level=Level.POLICY, recommendation="x",
                                                        status=RecommendationStatus.ADOPTED),
                                         acting_user=self.staff)
