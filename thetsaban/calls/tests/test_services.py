from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from thetsaban.accounts.models import AuditEntry
from thetsaban.accounts.services import OwnWorkRefused
from thetsaban.calls import services
from thetsaban.calls.models import Call, Entry, Score
from thetsaban.calls.tests.base import CallsTestCase
from thetsaban.practices.choices import Recognition


class EntryRulesTests(CallsTestCase):
    def test_an_editor_enters_and_withdraws_a_draft_of_their_own_lgu_audited(self):
        entry = services.enter_practice(self.call, self.draft, acting_user=self.editor)
        self.assertTrue(AuditEntry.objects.filter(object_id=str(entry.pk), actor=self.editor, note="entered").exists())
        services.withdraw_entry(entry, acting_user=self.editor)
        entry.refresh_from_db()
        self.assertTrue(entry.is_withdrawn)
        again = services.enter_practice(self.call, self.draft, acting_user=self.editor)
        self.assertEqual(again.pk, entry.pk)
        self.assertFalse(again.is_withdrawn)

    def test_an_editor_of_another_lgu_cannot_enter_or_withdraw(self):
        with self.assertRaises(PermissionDenied):
            services.enter_practice(self.call, self.draft, acting_user=self.outsider)
        with self.assertRaises(PermissionDenied):
            services.withdraw_entry(self.entry, acting_user=self.outsider)

    def test_entries_close_at_the_deadline(self):
        self.close()
        with self.assertRaisesMessage(ValidationError, "closed"):
            services.enter_practice(self.call, self.draft, acting_user=self.editor)
        with self.assertRaisesMessage(ValidationError, "deadline has passed"):
            services.withdraw_entry(self.entry, acting_user=self.editor)

    def test_a_practice_without_the_calls_themes_is_refused_by_name(self):
        off_theme = self.make_practice(self.lgu, "ถนนปลอดภัย", theme=self.other_theme)
        with self.assertRaisesMessage(ValidationError, "ถนนปลอดภัย"):
            services.enter_practice(self.call, off_theme, acting_user=self.editor)

    def test_only_staff_open_calls_and_a_bad_weight_is_named(self):
        call = Call(title="x", deadline=timezone.now() + timedelta(days=1))
        with self.assertRaises(PermissionDenied):
            services.open_call(call, criteria=[("a", 10)], acting_user=self.editor)
        with self.assertRaisesMessage(ValidationError, "Criterion 2 (b)"):
            services.open_call(call, criteria=[("a", 10), ("b", 500)], acting_user=self.staff)


class JuryRulesTests(CallsTestCase):
    def test_a_juror_never_scores_an_entry_of_their_own_lgu(self):
        with self.assertRaisesMessage(PermissionDenied, "your own LGU"):
            services.declare_interest(self.entry, conflict=False, acting_user=self.local_juror)
        with self.assertRaisesMessage(PermissionDenied, "your own LGU"):
            services.submit_scores(self.entry, {self.results.pk: 5, self.innovation.pk: 5},
                                   acting_user=self.local_juror)
        self.assertFalse(Score.objects.filter(juror__user=self.local_juror).exists())
        self.score(self.other_entry, self.local_juror, 7, 7)  # another LGU's entry: allowed

    def test_scores_need_a_declaration_and_a_conflict_stops_scoring(self):
        with self.assertRaisesMessage(ValidationError, "Declare first"):
            services.submit_scores(self.entry, {self.results.pk: 5, self.innovation.pk: 5}, acting_user=self.juror)
        services.declare_interest(self.entry, conflict=True, note="ที่ปรึกษาโครงการ", acting_user=self.juror)
        with self.assertRaisesMessage(ValidationError, "conflict of interest"):
            services.submit_scores(self.entry, {self.results.pk: 5, self.innovation.pk: 5}, acting_user=self.juror)

    def test_a_non_juror_cannot_score_and_a_bad_value_names_the_criterion(self):
        with self.assertRaises(PermissionDenied):
            services.declare_interest(self.entry, conflict=False, acting_user=self.staff)
        services.declare_interest(self.entry, conflict=False, acting_user=self.juror)
        with self.assertRaisesMessage(ValidationError, "นวัตกรรม"):
            services.submit_scores(self.entry, {self.results.pk: 5, self.innovation.pk: 11}, acting_user=self.juror)
        with self.assertRaisesMessage(ValidationError, "ผลลัพธ์"):
            services.submit_scores(self.entry, {self.results.pk: "", self.innovation.pk: 3}, acting_user=self.juror)

    def test_others_scores_are_seen_only_after_ones_own(self):
        self.score(self.entry, self.juror, 8, 6)
        self.assertEqual(Score.objects.restrict(self.juror2).filter(entry=self.entry).count(), 0)
        self.assertEqual(Score.objects.restrict(self.staff).filter(entry=self.entry).count(), 0)
        self.score(self.entry, self.juror2, 5, 5)
        self.assertEqual(Score.objects.restrict(self.juror2).filter(entry=self.entry).count(), 4)


class RankingTests(CallsTestCase):
    def test_weighted_total_and_a_tie_broken_by_the_heaviest_criterion(self):
        # 0.6*8 + 0.4*5 = 6.80 and 0.6*6 + 0.4*8 = 6.80: equal totals, "ผลลัพธ์" (60) decides.
        self.score(self.entry, self.juror, 8, 5)
        self.score(self.other_entry, self.juror, 6, 8)
        rows = services.ranking(self.call)
        self.assertEqual([(r.entry, str(r.total), r.rank, r.tied) for r in rows],
                         [(self.entry, "6.80", 1, False), (self.other_entry, "6.80", 2, False)])
        self.assertIn("ผลลัพธ์", rows[0].tie_note)

    def test_entries_equal_on_every_criterion_share_the_place(self):
        self.score(self.entry, self.juror, 7, 7)
        self.score(self.other_entry, self.juror, 7, 7)
        rows = services.ranking(self.call)
        self.assertEqual([(r.rank, r.tied) for r in rows], [(1, True), (1, True)])
        self.assertIn("tied", rows[0].tie_note)


class PublishTests(CallsTestCase):
    def test_the_opener_does_not_publish_alone_another_staff_member_does(self):
        self.score(self.entry, self.juror, 9, 9)
        self.score(self.other_entry, self.juror, 5, 5)
        with self.assertRaisesMessage(ValidationError, "after the deadline"):
            services.publish_results(self.call, acting_user=self.staff2)
        self.close()
        with self.assertRaises(OwnWorkRefused):
            services.publish_results(self.call, acting_user=self.staff)
        with self.assertRaises(PermissionDenied):
            services.publish_results(self.call, acting_user=self.juror)
        services.publish_results(self.call, acting_user=self.staff2)
        self.call.refresh_from_db()
        self.assertTrue(self.call.is_published)
        winner = Entry.objects.get(pk=self.entry.pk)
        self.assertEqual((winner.rank, winner.recognised), (1, True))
        self.assertFalse(Entry.objects.get(pk=self.other_entry.pk).recognised)
        self.practice.refresh_from_db()
        self.assertEqual(self.practice.recognition, Recognition.PROGRAMME)
        self.assertIn("รางวัลแนวปฏิบัติที่ดี 2569", self.practice.recognition_detail)
        self.assertTrue(AuditEntry.objects.filter(object_id=str(self.practice.pk), note="call results").exists())
        self.assertEqual(Score.objects.restrict(None).count(), 4)
        with self.assertRaisesMessage(ValidationError, "published"):
            services.submit_scores(self.entry, {self.results.pk: 1, self.innovation.pk: 1}, acting_user=self.juror2)
