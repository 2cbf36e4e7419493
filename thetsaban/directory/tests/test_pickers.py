"""The person and organisation pickers offer and accept only whom the user may see."""

from unittest import mock

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


class NameWordIndexTests(ThetsabanTestCase):
    """The person picker is answered from its name-word index, which saves keep current."""

    def keys(self, text):
        self.login(self.staff)
        response = self.client.get("/api/v1/pickers/persons/", {"q": text})
        self.assertEqual(response.status_code, 200, response.content)
        return [int(r["key"]) for r in response.json()["results"]]

    def test_a_renamed_person_is_found_by_the_new_name_only(self):
        person = Person.objects.create(name_th="มานี ตัวอย่างหนึ่ง", name_en="Mani Example",
                                       visibility=Visibility.PUBLIC, listing_consent=True)
        self.assertEqual(self.keys("มานี"), [person.pk])
        person.name_th = "ปิติ ตัวอย่างสอง"
        person.save()
        self.assertEqual(self.keys("มานี"), [])
        self.assertEqual(self.keys("ปิติ ตัวอย่างสอง"), [person.pk])
        person.delete()
        self.assertEqual(self.keys("ปิติ"), [])

    def test_a_word_is_found_by_its_beginning_and_from_inside_a_thai_name(self):
        person = Person.objects.create(name_th="สมชาย ตัวอย่างบ้านใหม่", name_en="Somchai Example",
                                       visibility=Visibility.PUBLIC, listing_consent=True)
        for text in ("สมช", "บ้านใหม่", "SOMCH exam", "สมชาย ตัวอย่างบ้าน"):
            with self.subTest(text=text):
                self.assertEqual(self.keys(text), [person.pk])

    def test_names_whose_words_begin_with_the_text_come_first(self):
        # "ชัย" begins ชัยวัฒน์ but only ends สุรชัย: the beginning ranks first.
        inside = Person.objects.create(name_th="สุรชัย ตัวอย่าง", visibility=Visibility.PUBLIC,
                                       listing_consent=True)
        begins = Person.objects.create(name_th="ชัยวัฒน์ ตัวอย่าง", visibility=Visibility.PUBLIC,
                                       listing_consent=True)
        found = self.keys("ชัย ตัวอย่าง")
        self.assertEqual(found[0], begins.pk)
        self.assertEqual(found.count(inside.pk), len(found) - 1)

    def test_the_look_up_reads_indexes_not_the_whole_table(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from thetsaban.directory.pickers import PERSONS

        Person.objects.create(name_th="มานะ ตัวอย่าง", visibility=Visibility.PUBLIC, listing_consent=True)
        with CaptureQueriesContext(connection) as captured:
            found = list(PERSONS.matches(Person.objects.restrict(self.member, "view"), "มานะ ตัวอย่าง")[:10])
        self.assertEqual([p.name_th for p in found], ["มานะ ตัวอย่าง"])
        plans = []
        with connection.cursor() as cursor:
            for query in captured:
                if connection.vendor == "sqlite":
                    cursor.execute("EXPLAIN QUERY PLAN " + query["sql"])
                    plans.append(" | ".join(str(row[-1]) for row in cursor.fetchall()))
                else:
                    cursor.execute("SET LOCAL enable_seqscan = off")
                    cursor.execute("EXPLAIN " + query["sql"])
                    plans.append(" | ".join(row[0] for row in cursor.fetchall()))
        for plan in plans:
            self.assertNotIn("SCAN directory_person ", plan + " ")
            self.assertNotIn("Seq Scan on directory_person ", plan)
        # The ids are listed from the name-word index alone, by ranges of its indexes.
        listing = [plan for plan in plans if "directory_person " not in plan + " "
                   and "directory_person\"" not in plan]
        self.assertTrue(listing, plans)
        for plan in listing:
            self.assertIn("directory_person", plan)
            self.assertNotIn("SCAN U0 ", plan + " ")
            self.assertNotIn("SCAN directory_personnameword", plan)
            self.assertNotIn("Seq Scan", plan)


class TwoQueryLookUpTests(ThetsabanTestCase):
    """A person or organisation look-up lists the matching ids from the name-word index, then
    ranks those records: two queries on PostgreSQL (its planner picks the typed word that drives
    the first), with the same answers in the same order as the counted look-up of SQLite, and
    the same again when too many match to be listed."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()

        def person(name_th, visibility=Visibility.PUBLIC, consent=True):
            return Person.objects.create(name_th=name_th, visibility=visibility,
                                         listing_consent=consent, is_example=True)

        cls.inside = person("วิชัย ตัวอย่างสมชาย")  # "สมชาย" only inside a Thai word
        cls.at_start = person("สมชายดี ตัวอย่างนา")  # every typed word begins a word
        cls.at_start_too = person("ตัวอย่างทอง สมชาย")
        cls.prefix = person("สมชาย ตัวอย่างบ้านใหม่")
        cls.exact = person("สมชาย ตัวอย่าง")
        cls.members_only = person("สมชาย ตัวอย่างสอง", visibility=Visibility.MEMBERS)
        cls.unlisted = person("สมชาย ตัวอย่างสาม", consent=False)
        cls.other = person("มานะ ตัวอย่าง")
        cls.league = Organisation.objects.create(
            code="nmlt", name_th="สันนิบาตเทศบาลแห่งประเทศไทย", abbreviation="ส.ท.ท.",
            name_en="National Municipal League of Thailand", kind=OrganisationKind.LEAGUE)
        cls.network = Organisation.objects.create(
            name_th="เครือข่ายเทศบาลตัวอย่าง", name_en="Example Municipal Network",
            kind=OrganisationKind.LEAGUE)

    def look_up(self, kind, text, user):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        self.login(user)
        self.client.get(f"/api/v1/pickers/{kind}/", {"q": "x"})  # the session is read once before
        with CaptureQueriesContext(connection) as captured:
            response = self.client.get(f"/api/v1/pickers/{kind}/", {"q": text})
        self.assertEqual(response.status_code, 200, response.content)
        word_queries = [q for q in captured if "nameword" in q["sql"]]
        return [r["id"] for r in response.json()["results"]], len(captured), len(word_queries)

    def test_persons_in_rank_order_in_two_queries(self):
        from django.db import connection

        expected = {
            None: [self.exact, self.prefix, self.at_start_too, self.at_start, self.inside],
            self.member: [self.exact, self.prefix, self.members_only, self.at_start_too,
                          self.at_start, self.inside],
            self.staff: [self.exact, self.prefix, self.members_only, self.unlisted,
                         self.at_start_too, self.at_start, self.inside],
        }
        for user, persons in expected.items():
            with self.subTest(user=user):
                found, queries, word_queries = self.look_up("persons", "สมชาย ตัวอย่าง", user)
                self.assertEqual(found, [p.pk for p in persons])
                if connection.vendor == "postgresql":
                    # The session and the user (when signed in), then the ids and the ranking.
                    self.assertEqual(word_queries, 2)
                    self.assertLessEqual(queries, 4)
                else:
                    # SQLite first counts each typed word's entries to choose the driver.
                    self.assertEqual(word_queries, 4)
                with mock.patch("thetsaban.pickers.LISTED_MATCHES", 2):
                    found, queries, word_queries = self.look_up("persons", "สมชาย ตัวอย่าง", user)
                self.assertEqual(found, [p.pk for p in persons])

    def test_organisations_in_two_queries(self):
        from django.db import connection

        for text, expected in (("ส.ท.ท.", [self.league]), ("เทศบาล", [self.network, self.league]),
                               ("municipal league", [self.league]),
                               ("เทศบาล ตัวอย่าง", [self.network])):
            with self.subTest(text=text):
                found, queries, word_queries = self.look_up("organisations", text, self.member)
                self.assertEqual(found, [o.pk for o in expected])
                if connection.vendor == "postgresql":
                    self.assertEqual(word_queries, 2)
                    self.assertLessEqual(queries, 4)
