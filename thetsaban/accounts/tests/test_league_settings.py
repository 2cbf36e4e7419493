"""The league setting that allows self-approval: off by default, changed only by staff, audited."""

from django.core.exceptions import PermissionDenied
from django.urls import reverse

from thetsaban.accounts.models import AuditEntry, LeagueSettings, User
from thetsaban.accounts.services import (
    SELF_APPROVAL_NOTE,
    OwnWorkRefused,
    check_four_eyes,
    save_league_settings,
)
from thetsaban.testing import ThetsabanTestCase

# The admin form's other settings, posted as they stand (test_participation_settings changes them).
OTHER_FIELDS = {"proposal_support_threshold": 10, "comment_edit_minutes": 30}


class LeagueSettingsTests(ThetsabanTestCase):
    def admin_url(self):
        settings = LeagueSettings.load()
        if settings._state.adding:
            return reverse("admin:accounts_leaguesettings_add")
        return reverse("admin:accounts_leaguesettings_change", args=[settings.pk])

    def test_self_approval_is_off_by_default(self):
        self.assertFalse(LeagueSettings.load().allow_self_approval)
        with self.assertRaises(OwnWorkRefused):
            check_four_eyes(self.reviewer, {self.reviewer.pk})
        self.assertEqual(check_four_eyes(self.reviewer, {self.editor.pk}, "ok"), "ok")
        self.assertEqual(check_four_eyes(None, {self.editor.pk}, "ok"), "ok")  # a system process

    def test_staff_turn_it_on_in_the_admin_and_it_is_audited_with_before_and_after(self):
        self.login(self.staff)
        self.assertContains(self.client.get(self.admin_url()), "self-approval")
        response = self.client.post(self.admin_url(), {"allow_self_approval": "on", **OTHER_FIELDS})
        self.assertEqual(response.status_code, 302)
        self.assertContains(self.client.get(self.admin_url()), "audit trail")
        self.assertTrue(LeagueSettings.load().allow_self_approval)
        entry = AuditEntry.objects.for_object(LeagueSettings.load()).get()
        self.assertEqual(entry.actor, self.staff)
        self.assertIn(("allow_self_approval", None, True), entry.changes)
        response = self.client.post(self.admin_url(), OTHER_FIELDS)
        self.assertFalse(LeagueSettings.load().allow_self_approval)
        entry = AuditEntry.objects.for_object(LeagueSettings.load()).first()
        self.assertEqual(entry.changes, [("allow_self_approval", True, False)])

    def test_self_approval_when_allowed_is_noted(self):
        save_league_settings(LeagueSettings(allow_self_approval=True), acting_user=self.staff)
        self.assertEqual(check_four_eyes(self.reviewer, {self.reviewer.pk}, "approved"),
                         f"approved; {SELF_APPROVAL_NOTE}")

    def test_nobody_but_staff_changes_it(self):
        for user in (self.reviewer, self.editor, self.outsider, self.member):
            with self.subTest(user=user):
                with self.assertRaises(PermissionDenied):
                    save_league_settings(LeagueSettings(allow_self_approval=True), acting_user=user)
                self.login(user)
                response = self.client.post(self.admin_url(), {"allow_self_approval": "on"})
                self.assertRedirects(response, f"{reverse('admin:login')}?next={self.admin_url()}",
                                     fetch_redirect_response=False)
        self.login(None)
        self.client.post(self.admin_url(), {"allow_self_approval": "on"})
        self.assertFalse(LeagueSettings.load().allow_self_approval)
        self.assertFalse(AuditEntry.objects.filter(content_type__model="leaguesettings").exists())

    def test_there_is_no_api_route_for_the_setting(self):
        # The setting has no API route: it cannot be read or changed with a token.
        self.login(self.reviewer)
        for method in ("get", "post", "put", "patch"):
            with self.subTest(method=method):
                response = getattr(self.client, method)("/api/v1/league-settings/", {},
                                                        content_type="application/json")
                self.assertEqual(response.status_code, 404)
        schema = self.client.get("/api/schema/").content.decode()
        self.assertNotIn("allow_self_approval", schema)

    def test_a_staff_member_without_superuser_rights_still_changes_it(self):
        clerk = User.objects.create(username="clerk", is_staff=True)
        self.login(clerk)
        self.client.post(self.admin_url(), {"allow_self_approval": "on", **OTHER_FIELDS})
        self.assertTrue(LeagueSettings.load().allow_self_approval)


class ParticipationSettingsTests(ThetsabanTestCase):
    def test_staff_set_the_support_threshold_and_edit_minutes_in_the_admin_audited(self):
        self.login(self.staff)
        url = reverse("admin:accounts_leaguesettings_add")
        page = self.client.get(url)
        self.assertContains(page, "Supporters a proposal needs")
        response = self.client.post(url, {"proposal_support_threshold": 25, "comment_edit_minutes": 0})
        self.assertEqual(response.status_code, 302)
        settings = LeagueSettings.load()
        self.assertEqual((settings.proposal_support_threshold, settings.comment_edit_minutes), (25, 0))
        entry = AuditEntry.objects.for_object(settings).get()
        self.assertIn(("proposal_support_threshold", None, 25), entry.changes)

    def test_a_threshold_below_one_is_refused_with_the_fields_name(self):
        self.login(self.staff)
        response = self.client.post(reverse("admin:accounts_leaguesettings_add"),
                                    {"proposal_support_threshold": 0, "comment_edit_minutes": 30})
        self.assertEqual(response.status_code, 200)
        self.assertIn("proposal_support_threshold", response.context["adminform"].form.errors)
        self.assertFalse(LeagueSettings.objects.exists())
