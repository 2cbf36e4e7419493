"""The tabular kit's shared look-ups: every importer finds provinces and LGUs, and reads yes
and no, the same way (places, coaching and transfers imports use these)."""

import re
from types import SimpleNamespace

from django.test import SimpleTestCase

from thetsaban.tabular import CellError, PlaceLookup, parse_bool, place_key


def place(pk, code, name_th, name_en="", short_name=""):
    return SimpleNamespace(pk=pk, code=code, name_th=name_th, name_en=name_en, short_name=short_name)


LGUS = [
    place(1, "5900101", "เทศบาลนครสงขลา", "Songkhla City Municipality", "SK"),
    place(2, "5900202", "เทศบาลตำบลบ้านใหม่", "Ban Mai Subdistrict Municipality"),
    place(3, "5900303", "เทศบาลตำบลบ้านใหม่", "Ban Mai Subdistrict Municipality"),
    place(4, "5900404", "เทศบาลเมืองคอหงส์", "Kho Hong Town Municipality"),
    place(5, "6900505", "องค์การบริหารส่วนตำบลท่าข้าม"),
    place(6, "6900606", "องค์การบริหารส่วนจังหวัดสงขลา"),
]
KEYS = ("code", "short_name", "name_th", "name_en")


class PlaceLookupTests(SimpleTestCase):
    def setUp(self):
        self.lgus = PlaceLookup(LGUS, keys=KEYS, unknown="unknown %(value)s",
                                ambiguous="several %(value)s")
        self.provinces = PlaceLookup([place(90, "90", "สงขลา", "Songkhla")])

    def test_an_lgu_is_found_by_code_thai_name_english_name_and_short_name(self):
        for written in ("5900101", "เทศบาลนครสงขลา", "songkhla city municipality", "SK", " sk "):
            with self.subTest(written=written):
                self.assertEqual(self.lgus.find(written).pk, 1)

    def test_an_lgu_is_found_by_its_thai_abbreviation(self):
        for written, pk in (("ทน.สงขลา", 1), ("ทน. สงขลา", 1), ("ทน สงขลา", 1), ("ทม.คอหงส์", 4),
                            ("อบต.ท่าข้าม", 5), ("อบจ.สงขลา", 6), ("เทศบาลนคร สงขลา", 1)):
            with self.subTest(written=written):
                self.assertEqual(self.lgus.find(written).pk, pk)

    def test_a_name_two_lgus_share_asks_for_the_code(self):
        with self.assertRaisesMessage(CellError, "several ทต.บ้านใหม่"):
            self.lgus.find("ทต.บ้านใหม่")
        self.assertEqual(self.lgus.find("5900303").pk, 3)

    def test_an_unknown_or_empty_name_is_a_cell_error(self):
        with self.assertRaisesMessage(CellError, "unknown ทน.ภูเก็ต"):
            self.lgus.find("ทน.ภูเก็ต")
        with self.assertRaisesMessage(CellError, "a value is required"):
            self.lgus.find("  ")

    def test_a_province_is_found_with_or_without_the_word_province(self):
        for written in ("90", "สงขลา", "จังหวัดสงขลา", "จ.สงขลา", "จ. สงขลา", "Songkhla", "Changwat Songkhla"):
            with self.subTest(written=written):
                self.assertEqual(self.provinces.find(written).pk, 90)

    def test_the_abbreviation_alone_is_not_expanded_into_an_empty_name(self):
        self.assertEqual(place_key("ทน."), "ทน.")


class ParseBoolTests(SimpleTestCase):
    def test_yes_and_no_in_thai_and_english(self):
        for written in ("ใช่", "มี", "yes", "YES", "true", "1", "x", "จริง", "ยินยอม", "๑"):
            with self.subTest(written=written):
                self.assertIs(parse_bool(written), True)
        for written in ("ไม่ใช่", "ไม่มี", "no", "false", "0", "", "ไม่", "เท็จ", "ไม่ยินยอม", "๐"):
            with self.subTest(written=written):
                self.assertIs(parse_bool(written), False)

    def test_anything_else_is_refused_naming_the_value(self):
        with self.assertRaisesMessage(CellError, "'บางที' is not yes or no"):
            parse_bool("บางที")


# A module-level yes/no vocabulary or province spelling list, or its own parser for them.
OWN_VOCABULARY = re.compile(r"^_?[A-Z_]*(YES|NO|TRUE|FALSE|PROVINCE_PREFIXES)\b[A-Z_]*\s*=|"
                            r"^def (parse_bool|_fold_province|_parse_consent|province_lookup)\b"
                            r"(?![^\n]*PlaceLookup)", re.M)


class EveryImporterUsesTheKitTests(SimpleTestCase):
    """No importer keeps its own yes/no words or province spellings: they live in the kit."""

    def test_no_importer_defines_its_own_vocabulary(self):
        import importlib

        from thetsaban import hooks

        checked = 0
        for config in hooks.thetsaban_apps():
            try:
                module = importlib.import_module(f"{config.name}.importers")
            except ModuleNotFoundError:
                continue
            checked += 1
            with open(module.__file__, encoding="utf-8") as file:
                source = file.read()
            own = OWN_VOCABULARY.search(source)
            self.assertIsNone(own and own.group(0), f"{module.__name__}: use tabular.parse_bool "
                              "and tabular.PlaceLookup")
        self.assertGreaterEqual(checked, 3)
