"""Error pages inside the site's layout saying what to do next, and Thai unless chosen."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.test import Client, override_settings
from django.urls import path, reverse

from thetsaban.testing import ThetsabanTestCase
from thetsaban.urls import urlpatterns as site_urlpatterns


def broken_view(request):
    raise RuntimeError("a bug")


def refusing_view(request):
    raise PermissionDenied("Only league staff may close a pilot.")


urlpatterns = [
    *site_urlpatterns,
    path("test-broken/", broken_view),
    path("test-refused/", refusing_view),
]


@override_settings(ROOT_URLCONF=__name__)
class ErrorPageTests(ThetsabanTestCase):
    def test_missing_page_is_in_the_site_layout_with_ways_onward(self):
        page = self.client.get("/no-such-page/")
        self.assertEqual(page.status_code, 404)
        self.assertContains(page, "Page not found", status_code=404)
        self.assertContains(page, 'class="skip"', status_code=404)  # the site layout
        self.assertContains(page, f'href="{reverse("search:page")}"', status_code=404)
        self.assertNotContains(page, "The requested resource was not found", status_code=404)

    def test_missing_record_gives_the_same_page(self):
        page = self.client.get(reverse("policy:recommendation", args=[999999]))
        self.assertContains(page, "Page not found", status_code=404)

    def test_refusal_says_who_grants_the_right_and_offers_sign_in_to_a_visitor(self):
        page = self.client.get("/test-refused/")
        self.assertEqual(page.status_code, 403)
        self.assertContains(page, "You may not do this", status_code=403)
        self.assertContains(page, "Only league staff may close a pilot.", status_code=403)
        self.assertContains(page, "granted by league staff", status_code=403)
        self.assertContains(page, f'href="{reverse("accounts:login")}?next=', status_code=403)

    def test_a_signed_in_member_refused_is_not_asked_to_sign_in(self):
        self.login(self.member)
        page = self.client.get(reverse("matching:home"))
        self.assertEqual(page.status_code, 403)
        self.assertContains(page, "granted by league staff", status_code=403)
        self.assertNotContains(page, "you may have the right once signed in", status_code=403)

    def test_bad_request_page(self):
        with self.assertLogs("django.security.DisallowedHost", "ERROR"):
            page = self.client.get("/", HTTP_HOST="not-our-site.example")
        self.assertEqual(page.status_code, 400)
        self.assertContains(page, "The request could not be understood", status_code=400)
        self.assertContains(page, "Go back, check what was typed", status_code=400)

    def test_server_error_page_renders_without_a_request_context(self):
        client = Client(raise_request_exception=False)
        with self.assertLogs("django.request", "ERROR"):
            page = client.get("/test-broken/")
        self.assertEqual(page.status_code, 500)
        self.assertContains(page, "Something went wrong", status_code=500)
        self.assertContains(page, "Try again in a few minutes.", status_code=500)
        self.assertContains(page, "/static/thetsaban/site.css", status_code=500)
        self.assertNotContains(page, "Server Error (500)", status_code=500)

    @override_settings(LANGUAGE_CODE="th")
    def test_error_pages_are_thai_by_default_and_english_when_chosen(self):
        page = self.client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
        self.assertContains(page, '<html lang="th">', status_code=404)
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        page = self.client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="th")
        self.assertContains(page, '<html lang="en">', status_code=404)
        self.assertContains(page, "Page not found", status_code=404)


@override_settings(LANGUAGE_CODE="th")
class LanguageTests(ThetsabanTestCase):
    def test_a_browser_preferring_english_gets_thai(self):
        page = self.client.get(reverse("policy:list"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
        self.assertContains(page, '<html lang="th">')
        self.assertContains(page, "ข้อเสนอแนะเชิงนโยบาย")
        self.assertEqual(page["Content-Language"], "th")

    def test_the_language_switch_choice_wins(self):
        response = self.client.post(reverse("set_language"), {"language": "en", "next": "/policy/"},
                                    HTTP_ACCEPT_LANGUAGE="th")
        self.assertEqual(response.status_code, 302)
        page = self.client.get(reverse("policy:list"), HTTP_ACCEPT_LANGUAGE="th")
        self.assertContains(page, '<html lang="en">')
        self.assertContains(page, "Policy recommendations")
        self.client.post(reverse("set_language"), {"language": "th", "next": "/policy/"})
        page = self.client.get(reverse("policy:list"), HTTP_ACCEPT_LANGUAGE="en")
        self.assertContains(page, '<html lang="th">')

    def test_an_unknown_language_in_the_cookie_falls_back_to_thai(self):
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
        page = self.client.get(reverse("policy:list"))
        self.assertContains(page, '<html lang="th">')
