"""Every public page on a phone and through axe-core, in Thai and in English, and the main staff
pages too: no sideways scrolling at 390 px, no serious or critical accessibility violation,
headings in order, a menu button and folded filters on phones, named map markers."""

import os

from axe_playwright_python.sync_playwright import Axe, AxeResults
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.urls import reverse

from thetsaban.accounts.models import User
from thetsaban.browser_tests.base import BrowserTestCase
from thetsaban.coaching.models import Coach
from thetsaban.directory.models import Organisation, Person
from thetsaban.participation.models import Proposal
from thetsaban.places.models import Lgu, Region
from thetsaban.policy.models import Recommendation
from thetsaban.practices.models import Practice
from thetsaban.transfers.models import TransferProject

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# axe-core's impact levels that fail the suite; "moderate" and "minor" ones are reported by axe
# but left to judgement (headings are checked below on their own).
BLOCKING = {"serious", "critical"}

# Each heading at most one level below the one before it, starting from a single h1.
HEADING_ORDER = """() => {
  const problems = [];
  let previous = 0;
  for (const heading of document.querySelectorAll("h1, h2, h3, h4, h5, h6")) {
    const level = Number(heading.tagName[1]);
    if (level > previous + 1) {
      problems.push(`${heading.tagName} after h${previous}: ${heading.textContent.trim().slice(0, 50)}`);
    }
    previous = level;
  }
  const ones = document.querySelectorAll("h1").length;
  if (ones !== 1) { problems.push(`${ones} h1 headings`); }
  return problems;
}"""

AXE_SCRIPT = Axe().axe_script


class PageWalkTests(BrowserTestCase):
    password = "a-long-test-password"

    def setUp(self):
        super().setUp()
        # axe-core is put into every page as it loads (once per test, not once per page).
        self.context.add_init_script(script=AXE_SCRIPT)
        call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"))
        self.staff = User.objects.create(username="leaguestaff", password=make_password(self.password),
                                         is_staff=True)
        if not Proposal.objects.exists():
            Proposal.objects.create(
                author=self.staff, title="ทางเท้าร่มรื่นรอบตลาด (ข้อมูลตัวอย่าง)",
                problem="ทางเท้ารอบตลาดร้อนและแคบ (ข้อมูลตัวอย่าง)",
                proposal="ปลูกต้นไม้และขยายทางเท้า (ข้อมูลตัวอย่าง)")

    # -- the pages ------------------------------------------------------------------------------

    def public_paths(self) -> list[str]:
        """One address of every kind of public page, read from the demo data."""
        anonymous = AnonymousUser()

        def first(model, **filters):
            return model.objects.restrict(anonymous, "view").filter(**filters).order_by("pk").first()

        lgu = first(Lgu, latitude__isnull=False)
        return [
            "/",
            reverse("practices:list"), reverse("practices:map"),
            first(Practice).get_absolute_url(),
            reverse("places:lgus"), lgu.get_absolute_url(),
            first(Region).get_absolute_url(), lgu.province.get_absolute_url(),
            reverse("directory:index"), first(Organisation).get_absolute_url(),
            first(Person).get_absolute_url(),
            reverse("search:page") + "?q=ตลาด",
            reverse("coaching:list"), first(Coach).get_absolute_url(), reverse("coaching:coverage"),
            reverse("transfers:list"), first(TransferProject).get_absolute_url(),
            reverse("policy:list"), first(Recommendation).get_absolute_url(),
            reverse("policy:coverage"), reverse("policy:report"),
            reverse("participation:proposals"), first(Proposal).get_absolute_url(),
            reverse("api-docs"), reverse("accounts:login"), "/no-such-page/",
        ]

    def staff_paths(self) -> list[str]:
        return [reverse("practices:review_queue"), reverse("coaching:review_queue"),
                reverse("matching:home"), reverse("participation:moderation"),
                reverse("practices:mine"), reverse("admin:index")]

    # -- the checks -----------------------------------------------------------------------------

    def use_english(self):
        self.visit("/")
        self.page.click("button[name=language][value=en]")
        self.page.wait_for_load_state()
        self.assertEqual(self.page.locator("html").get_attribute("lang"), "en")

    def problems_on(self, path: str, *, phone: bool) -> list[str]:
        """What is wrong with the page at `path`, as readable lines (none when all is well)."""
        page = self.page
        response = self.visit(path)
        page.wait_for_load_state("load")
        problems = []
        if response.status >= 500:
            problems.append(f"status {response.status}")
        if phone:
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                problems.append(f"{width} px wide at {PHONE['width']} px: scrolls sideways")
        results = AxeResults(page.evaluate("axe.run(document, {resultTypes: ['violations']})"))
        for violation in results.response["violations"]:
            if violation["impact"] in BLOCKING:
                targets = [node["target"] for node in violation["nodes"][:3]]
                problems.append(f"axe {violation['impact']} {violation['id']}: {violation['help']} {targets}")
        # The API docs are Swagger UI's own markup; the admin is Django's.
        if path not in (reverse("api-docs"), reverse("admin:index")):
            problems += [f"headings: {p}" for p in page.evaluate(HEADING_ORDER)]
        return [f"{path}: {problem}" for problem in problems]

    def walk(self, paths, *, phone: bool):
        problems = []
        for path in paths:
            problems += self.problems_on(path, phone=phone)
        self.assertEqual(problems, [], "\n".join(problems))

    # -- the tests ------------------------------------------------------------------------------

    def test_every_public_page_in_thai_fits_a_phone_and_passes_axe(self):
        """Also: the menu and the filters fold on phones, map markers are named."""
        self.page.set_viewport_size(PHONE)
        self.walk(self.public_paths(), phone=True)
        self.assert_no_csp_violation()
        self.check_menu_and_filters()
        self.check_map_markers()

    def test_every_public_page_and_the_staff_pages_in_english_pass_axe(self):
        """And the staff pages in Thai first."""
        self.page.set_viewport_size(DESKTOP)
        self.sign_in("leaguestaff", self.password)
        self.page.wait_for_url(self.live_server_url + "/")
        self.walk(self.staff_paths(), phone=False)
        self.use_english()
        self.walk(self.staff_paths(), phone=False)
        self.context.clear_cookies()  # an anonymous visitor from here on, who chooses English
        self.use_english()
        self.walk(self.public_paths(), phone=False)

    def check_menu_and_filters(self):
        page = self.page
        page.set_viewport_size(PHONE)
        self.visit(reverse("practices:map"))
        nav = page.locator("header.site nav")
        map_link = nav.locator(f"a[href='{reverse('practices:map')}']")
        self.assertFalse(map_link.is_visible())
        page.click("details.menu > summary")
        self.assertTrue(map_link.is_visible())
        # The current section is marked, and only it.
        self.assertEqual(map_link.get_attribute("aria-current"), "page")
        self.assertEqual(nav.locator("[aria-current]").count(), 1)
        page.click("details.menu > summary")
        self.assertFalse(map_link.is_visible())
        facet = page.locator(".facets li a").first
        self.assertFalse(facet.is_visible())
        page.click("details.filters > summary")
        self.assertTrue(facet.is_visible())
        # The map fits the phone's width.
        box = page.locator("#map").bounding_box()
        self.assertLessEqual(box["x"] + box["width"], PHONE["width"])
        # On a wide screen both are open, with no button to press.
        page.set_viewport_size(DESKTOP)
        self.visit(reverse("practices:list"))
        self.assertTrue(page.locator(".facets li a").first.is_visible())
        self.assertFalse(page.locator("details.menu > summary").is_visible())
        self.assertEqual(page.locator("header.site nav a[aria-current]").get_attribute("href"),
                         reverse("practices:list"))

    def check_map_markers(self):
        page = self.page
        self.visit(reverse("practices:map"))
        markers = page.locator(".leaflet-marker-icon")
        markers.first.wait_for()
        located = {}
        for practice in Practice.objects.published().filter(
                lgu__latitude__isnull=False, lgu__longitude__isnull=False).select_related("lgu"):
            located.setdefault(practice.lgu.name, []).append(practice.title)
        self.assertEqual(markers.count(), len(located))
        for i in range(markers.count()):
            label = markers.nth(i).get_attribute("alt")
            self.assertEqual(markers.nth(i).get_attribute("title"), label)
            lgu, _, titles = label.partition(": ")
            self.assertIn(lgu, located)
            self.assertTrue(any(title in titles for title in located[lgu]), label)
