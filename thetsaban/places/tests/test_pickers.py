"""The LGU and province pickers: found by every form of name, through the API, forms and filters."""

from django.http import QueryDict
from django.urls import reverse

from thetsaban.places.choices import LguType
from thetsaban.places.models import Lgu
from thetsaban.practices.choices import ReviewStatus, Tier
from thetsaban.practices.models import Practice, Theme
from thetsaban.testing import ThetsabanTestCase

URL = "/api/v1/pickers/lgus/"


class LguPickerTests(ThetsabanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        province = cls.lgu.province
        cls.klaeng = Lgu.objects.create(
            code="TEST-KLAENG", name_th="เทศบาลตำบลเมืองแกลง", name_en="Mueang Klaeng Subdistrict Municipality",
            short_name="ทต.เมืองแกลง", lgu_type=LguType.SUBDISTRICT_MUNICIPALITY, province=province)
        cls.town = Lgu.objects.create(
            code="TEST-SKT", name_th="เทศบาลเมืองสงขลาใต้", lgu_type=LguType.TOWN, province=province)
        cls.sao = Lgu.objects.create(
            code="TEST-BM", name_th="องค์การบริหารส่วนตำบลบ้านใหม่", name_en="Ban Mai SAO",
            lgu_type=LguType.SAO, province=province)

    def first(self, text, **extra):
        response = self.client.get(URL, {"q": text, **extra})
        self.assertEqual(response.status_code, 200, response.content)
        results = response.json()["results"]
        return results[0]["key"] if results else None

    def test_found_by_code_thai_english_short_name_and_abbreviation(self):
        for text in ("TEST-SK", "test-sk", "เทศบาลนครสงขลา", "Songkhla City Municipality", "songkhla",
                     "SK", "ทน.สงขลา", "ทน. สงขลา", "ทน สงขลา", "สงขลา"):
            with self.subTest(text=text):
                self.assertEqual(self.first(text), "TEST-SK")
        self.assertEqual(self.first("ทต.เมืองแกลง"), "TEST-KLAENG")
        self.assertEqual(self.first("ทต.แกลง"), "TEST-KLAENG")
        self.assertEqual(self.first("อบต.บ้านใหม่"), "TEST-BM")
        self.assertEqual(self.first("อบต. บ้านใหม่"), "TEST-BM")
        self.assertEqual(self.first("ทม.สงขลาใต้"), "TEST-SKT")

    def test_a_type_abbreviation_alone_lists_that_type(self):
        response = self.client.get(URL, {"q": "อบต."})
        self.assertEqual([r["key"] for r in response.json()["results"]], ["TEST-BM"])

    def test_exact_name_comes_before_longer_names(self):
        response = self.client.get(URL, {"q": "ทน.สงขลา"})
        keys = [r["key"] for r in response.json()["results"]]
        self.assertEqual(keys[0], "TEST-SK")
        self.assertNotIn("TEST-CR", keys)

    def test_suggestion_shows_what_tells_lgus_apart(self):
        result = self.client.get(URL, {"q": "ทต.เมืองแกลง"}).json()["results"][0]
        self.assertEqual(result["value"], f"{result['label']} [TEST-KLAENG]")
        self.assertIn(self.lgu.province.name, result["detail"])
        self.assertIn("ทต.เมืองแกลง", result["detail"])

    def test_everyone_may_pick_lgus(self):
        for user in (None, self.member, self.editor, self.outsider, self.staff):
            self.login(user)
            self.assertEqual(self.first("ทน.สงขลา"), "TEST-SK")

    def test_bad_input_is_a_400_that_says_why(self):
        for params in ({}, {"q": ""}, {"q": "   "}, {"q": "x" * 201}, {"q": "ทน", "limit": "0"},
                       {"q": "ทน", "limit": "many"}, {"q": "ทน", "limit": "99"}, {"q": "\x00"}):
            with self.subTest(params=params):
                response = self.client.get(URL, params)
                self.assertEqual(response.status_code, 400)
                self.assertTrue(set(response.json()) & {"q", "limit", "detail"})

    def test_nothing_found_is_an_empty_list(self):
        self.assertIsNone(self.first("ไม่มีเทศบาลนี้"))

    def test_province_picker_takes_the_province_word(self):
        response = self.client.get("/api/v1/pickers/provinces/", {"q": "จ.สงขลา"})
        self.assertEqual(response.json()["results"][0]["key"], "90")

    def test_the_schema_lists_the_picker_endpoints(self):
        schema = self.client.get("/api/schema/", {"format": "json"}).json()
        for kind in ("lgus", "provinces", "persons", "organisations", "practices"):
            self.assertIn(f"/api/v1/pickers/{kind}/", schema["paths"])


class LguTypedInFormsTests(ThetsabanTestCase):
    """A typed "ทน.สงขลา" stores the right LGU where an LGU is entered, or names the field."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        Lgu.objects.create(code="TEST-SK2", name_th="เทศบาลเมืองสงขลา", lgu_type=LguType.TOWN,
                           province=cls.lgu.province)
        cls.theme = Theme.objects.create(code="environment", name_th="สิ่งแวดล้อม", name_en="Environment")

    def test_proposal_with_typed_abbreviation_stores_the_lgu(self):
        from thetsaban.participation.models import Proposal

        self.login(self.member)
        response = self.client.post(reverse("participation:proposal_new"), {
            "title": "ถนนน้ำท่วม", "problem": "น้ำท่วมทุกปี", "proposal": "ขุดลอกคลอง", "lgu": "ทน.สงขลา"})
        self.assertEqual(response.status_code, 302, response.content[:2000])
        self.assertEqual(Proposal.objects.get().lgu, self.lgu)

    def test_chosen_suggestion_text_is_read_back_by_its_code(self):
        from thetsaban.participation.models import Proposal

        self.login(self.member)
        self.client.post(reverse("participation:proposal_new"), {
            "title": "t", "problem": "p", "proposal": "c", "lgu": "เทศบาลนครเชียงราย [TEST-CR]"})
        self.assertEqual(Proposal.objects.get().lgu, self.other_lgu)

    def test_ambiguous_text_names_the_field_and_the_candidates(self):
        self.login(self.member)
        response = self.client.post(reverse("participation:proposal_new"), {
            "title": "t", "problem": "p", "proposal": "c", "lgu": "สงขลา"})
        self.assertEqual(response.status_code, 400)
        errors = response.context["form"].errors
        self.assertEqual(list(errors), ["lgu"])
        self.assertIn("TEST-SK", errors["lgu"][0])
        self.assertIn("TEST-SK2", errors["lgu"][0])

    def test_staff_practice_form_takes_the_abbreviation(self):
        self.login(self.staff)
        response = self.client.post(reverse("practices:create"), {
            "lgu": "ทน.สงขลา", "title_th": "คัดแยกขยะ", "summary": "สรุป", "themes": [self.theme.pk],
            "maturity": "pilot", "recognition": "", **_empty_formsets()})
        self.assertEqual(response.status_code, 302, response.context and response.context["form"].errors)
        self.assertEqual(Practice.objects.get(title_th="คัดแยกขยะ").lgu, self.lgu)

    def test_practice_list_and_api_filter_by_abbreviation(self):
        Practice.objects.create(lgu=self.lgu, title_th="ตลาดเก่า", summary="s", status=ReviewStatus.PUBLISHED,
                                tier=Tier.GOOD)
        Practice.objects.create(lgu=self.other_lgu, title_th="น้ำเสีย", summary="s", status=ReviewStatus.PUBLISHED,
                                tier=Tier.GOOD)
        response = self.client.get("/api/v1/practices/", {"lgu": "ทน.สงขลา"})
        self.assertEqual([r["title_th"] for r in response.json()["results"]], ["ตลาดเก่า"])
        response = self.client.get("/api/v1/practices/", {"lgu": "ไม่มี"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("lgu", response.json())
        response = self.client.get(reverse("practices:list"), {"lgu": "ทน.เชียงราย"})
        self.assertContains(response, "น้ำเสีย")
        self.assertNotContains(response, "ตลาดเก่า")


def _empty_formsets():
    data = {}
    for prefix in ("steps", "results", "partners", "attachments"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0",
                     f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"})
    return data


class AdminLguSearchTests(ThetsabanTestCase):
    def test_admin_autocomplete_finds_the_abbreviation(self):
        self.login(self.staff)
        response = self.client.get("/admin/autocomplete/", {
            "term": "ทน.สงขลา", "app_label": "practices", "model_name": "practice", "field_name": "lgu"})
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["results"][0]["id"], str(self.lgu.pk))


class ChipPickerTests(ThetsabanTestCase):
    """A picker of several LGUs: chosen ones are ticked chips, more are typed in the box."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.comma = Lgu.objects.create(code="TEST-COMMA", name_th="เทศบาลตำบลนา, ทุ่ง",
                                       lgu_type=LguType.SUBDISTRICT_MUNICIPALITY, province=cls.lgu.province)

    def form(self, data=None, initial=None):
        from django import forms

        from thetsaban.pickers import PickerMultipleField
        from thetsaban.places.pickers import LGUS

        class LgusForm(forms.Form):
            lgus = PickerMultipleField(LGUS, queryset=Lgu.objects.all(), label="LGUs", required=False)

        return LgusForm(data=data, initial=initial)

    def test_chosen_records_render_as_ticked_checkboxes_with_a_box_for_more(self):
        html = str(self.form(initial={"lgus": [self.lgu, self.comma]})["lgus"])
        self.assertIn('class="picker-chip-list"', html)
        self.assertInHTML(f'<input type="checkbox" name="lgus" value="{self.lgu.name} [{self.lgu.code}]" checked>', html)
        self.assertInHTML(f'<input type="checkbox" name="lgus" value="{self.comma.name} [TEST-COMMA]" checked>', html)
        self.assertIn('data-picker="/api/v1/pickers/lgus/"', html)
        self.assertIn('aria-label="', html)
        self.assertNotIn("<script>", html)

    def test_ticked_chips_and_typed_names_are_resolved_by_the_server(self):
        data = QueryDict(mutable=True)
        data.setlist("lgus", [f"{self.comma.name} [TEST-COMMA]", f"ทน.สงขลา, {self.other_lgu.code}"])
        form = self.form(data=data)
        self.assertTrue(form.is_valid(), form.errors)
        self.assertEqual(form.cleaned_data["lgus"], [self.comma, self.lgu, self.other_lgu])

    def test_an_unticked_chip_is_removed_and_an_unknown_name_is_an_error_naming_it(self):
        data = QueryDict(mutable=True)
        data.setlist("lgus", [f"{self.lgu.name} [{self.lgu.code}]"])
        form = self.form(data=data, initial={"lgus": [self.lgu, self.comma]})
        self.assertTrue(form.is_valid())
        self.assertTrue(form.has_changed())
        self.assertEqual(form.cleaned_data["lgus"], [self.lgu])
        data.setlist("lgus", [f"{self.lgu.name} [{self.lgu.code}]", "ไม่มีเทศบาลนี้"])
        form = self.form(data=data)
        self.assertFalse(form.is_valid())
        self.assertIn("ไม่มีเทศบาลนี้", str(form.errors["lgus"]))
        html = str(form["lgus"])
        self.assertInHTML(f'<input type="checkbox" name="lgus" value="{self.lgu.name} [{self.lgu.code}]" checked>', html)
        self.assertIn('value="ไม่มีเทศบาลนี้"', html)
