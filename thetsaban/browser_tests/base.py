"""Browser tests: Playwright's Python package driving Debian's chromium (never a downloaded one)."""

import os

from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from django.test import override_settings, tag

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the tests
# themselves are ordinary blocking calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@tag("browser")
# The platform's own default language (the unit tests read English source strings instead):
# a visitor sees Thai until they use the language switch, whatever their browser prefers.
@override_settings(LANGUAGE_CODE="th")
class BrowserTestCase(StaticLiveServerTestCase):
    """A live server and a headless chromium page that only talks to it."""

    host = "127.0.0.1"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        from playwright.sync_api import sync_playwright

        cls.playwright = sync_playwright().start()
        cls.browser = cls.playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

    @classmethod
    def tearDownClass(cls):
        cls.browser.close()
        cls.playwright.stop()
        super().tearDownClass()

    def setUp(self):
        super().setUp()
        self.context = self.browser.new_context(locale="th-TH")
        # Nothing may leave this machine: block every request that is not to the live server.
        self.context.route(
            "**/*",
            lambda route: route.continue_() if route.request.url.startswith(self.live_server_url)
            else route.abort(),
        )
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        # Chromium reports every resource or inline code the Content-Security-Policy blocks
        # as a console error ("Refused to ... because it violates ...").
        self.csp_violations = []
        self.page.on("console", self._note_csp_violation)

    def tearDown(self):
        self.context.close()
        super().tearDown()

    def _note_csp_violation(self, message):
        if "Content Security Policy" in message.text:
            self.csp_violations.append(f"{self.page.url}: {message.text}")

    def assert_no_csp_violation(self):
        """Nothing on the pages seen so far was blocked by the Content-Security-Policy."""
        self.assertEqual(self.csp_violations, [])

    def visit(self, path: str):
        return self.page.goto(self.live_server_url + path)

    def sign_in(self, username: str, password: str):
        self.visit("/accounts/login/")
        self.page.fill("#id_login", username)
        self.page.fill("#id_password", password)
        self.page.click("form.stacked button[type=submit]")
