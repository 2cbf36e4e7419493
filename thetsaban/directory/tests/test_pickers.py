"""The person and organisation pickers offer and accept only whom the user may see."""

from django.urls import reverse

from thetsaban.directory.choices import OrganisationKind, Visibility
from thetsaban.directory.models import Organisation, Person
from thetsaban.testing import ThetsabanTestCase


class PersonPickerTests(ThetsabanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.public = Person.objects.create(name_th="สมชาย ตัวอย่าง", name_en="Somchai Example",
                                           visibility=Visibility.PUBLIC, listing_consent=True)
        cls.members = Person.objects.create(name_th="สมหญิง ตัวอย่าง", name_en="Somying Example",
                                            visibility=Visibility.MEMBERS, listing_consent=True)
        cls.unlisted = Person.objects.create(name_th="สมศักดิ์ ตัวอย่าง", name_en="Somsak Example",
                                             visibility=Visibility.PUBLIC, listing_consent=False)

    def keys(self, text):
        response = self.client.get("/api/v1/pickers/persons/", {"q": text})
        self.assertEqual(response.status_code, 200, response.content)
        return {int(r["key"]) for r in response.json()["results"]}

    def test_found_by_thai_and_english_name(self):
        self.login(self.staff)
        self.assertEqual(self.keys("สมชาย"), {self.public.pk})
        self.assertEqual(self.keys("somchai"), {self.public.pk})
        self.assertEqual(self.keys("ตัวอย่าง"), {self.public.pk, self.members.pk, self.unlisted.pk})

    def test_each_user_is_offered_only_whom_they_may_see(self):
        cases = ((None, {self.public.pk}), (self.member, {self.public.pk, self.members.pk}),
                 (self.outsider, {self.public.pk, self.members.pk}),
                 (self.staff, {self.public.pk, self.members.pk, self.unlisted.pk}))
        for user, expected in cases:
            with self.subTest(user=user):
                self.login(user)
                self.assertEqual(self.keys("ตัวอย่าง"), expected)

    def test_a_form_refuses_a_person_the_user_may_not_see(self):
        from thetsaban.directory.pickers import PERSONS
        from thetsaban.pickers import PickerField

        field = PickerField(PERSONS, queryset=Person.objects.restrict(self.member, "view"))
        self.assertEqual(field.clean(f"x [{self.members.pk}]"), self.members)
        self.assertEqual(field.clean(str(self.public.pk)), self.public)
        with self.assertRaisesMessage(Exception, "Nothing matches"):
            field.clean("สมศักดิ์")
        with self.assertRaisesMessage(Exception, "Nothing matches"):
            field.clean("99999999999999999999999")

    def test_bad_input_is_a_400(self):
        for params in ({}, {"q": "x" * 300}, {"q": "ส", "limit": "-1"}):
            self.assertEqual(self.client.get("/api/v1/pickers/persons/", params).status_code, 400)


class OrganisationPickerTests(ThetsabanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.league = Organisation.objects.create(
            code="nmlt", name_th="สันนิบาตเทศบาลแห่งประเทศไทย", name_en="National Municipal League of Thailand",
            abbreviation="ส.ท.ท.", kind=OrganisationKind.LEAGUE)

    def test_found_by_abbreviation_with_or_without_dots_code_and_names(self):
        for text in ("ส.ท.ท.", "สทท", "nmlt", "สันนิบาต", "municipal league"):
            with self.subTest(text=text):
                response = self.client.get("/api/v1/pickers/organisations/", {"q": text})
                self.assertEqual(response.json()["results"][0]["id"], self.league.pk)

    def test_coach_application_takes_a_typed_affiliation(self):
        from thetsaban.coaching.forms import ApplicationForm

        form = ApplicationForm(user=self.member)
        self.assertEqual(form.fields["affiliation"].clean("ส.ท.ท."), self.league)
        self.assertIn('data-picker="/api/v1/pickers/organisations/"', str(form["affiliation"]))
        self.assertTrue(reverse("api-picker-organisations").endswith("/pickers/organisations/"))
