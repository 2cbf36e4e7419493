"""The panels other apps include: rendered here so that their pages only add one line."""

from django.template import Context, Template
from django.test import RequestFactory

from thetsaban.policy import services
from thetsaban.policy.tests.base import PolicyTestCase


class TagTests(PolicyTestCase):
    def render(self, text, user, **context):
        request = RequestFactory().get("/")
        request.user = user
        return Template("{% load policy_tags %}" + text).render(
            Context({"request": request, "csrf_token": "t", **context}))

    def test_panel_lists_the_recommendations_citing_a_project(self):
        from django.contrib.auth.models import AnonymousUser

        html = self.render("{% recommendations_panel project %}", AnonymousUser(), project=self.project)
        self.assertIn("No recommendation cites this yet", html)
        recommendation = services.promote_issue(self.issue, self.staff)
        html = self.render("{% recommendations_panel project %}", AnonymousUser(), project=self.project)
        self.assertIn(recommendation.get_absolute_url(), html)
        html = self.render("{% recommendations_panel lgu %}", AnonymousUser(), lgu=self.lgu)
        self.assertIn(recommendation.get_absolute_url(), html)

    def test_promote_button_for_the_pilots_editor_only(self):
        html = self.render("{% promote_issue_button issue %}", self.editor, issue=self.issue)
        self.assertIn(f"/policy/issues/{self.issue.pk}/promote/", html)
        html = self.render("{% promote_issue_button issue %}", self.outsider, issue=self.issue)
        self.assertNotIn("promote", html)
        recommendation = services.promote_issue(self.issue, self.staff)
        html = self.render("{% promote_issue_button issue %}", self.outsider, issue=self.issue)
        self.assertIn(recommendation.get_absolute_url(), html)
