from django.test import SimpleTestCase

from thetsaban import thai


class ThaiToolkitTests(SimpleTestCase):
    def test_clean_recomposes_decomposed_sara_am_from_the_seed(self):
        self.assertEqual(thai.clean("เทศบาลน\u0e4d\u0e32ร่อง"), "เทศบาลนำร่อง")

    def test_clean_removes_zero_width_and_control_characters(self):
        self.assertEqual(thai.clean("สง\u200bขลา\x00\x07"), "สงขลา")

    def test_fold_turns_thai_digits_into_arabic_and_lowercases(self):
        self.assertEqual(thai.fold("ปี ๒๕๖๙ NMLT"), "ปี 2569 nmlt")

    def test_tokens_segment_thai_words_and_keep_english_words(self):
        self.assertEqual(
            thai.tokens("การจัดการขยะมูลฝอย Co-management"),
            ["การ", "จัดการ", "ขยะมูลฝอย", "co", "management"],
        )

    def test_tokens_are_the_same_for_decomposed_and_composed_spelling(self):
        self.assertEqual(thai.tokens("เทศบาลน\u0e4d\u0e32ร่อง"), thai.tokens("เทศบาลนำร่อง"))

    def test_nlpo3_gives_the_same_words_as_newmm_on_the_seed(self):
        from pythainlp.tokenize import word_tokenize

        text = thai.fold("สร้างกลไกการมีส่วนร่วมระหว่าง อปท. กับ ประชาชน ในการจัดการขยะมูลฝอยอย่างครบวงจร")
        for run in text.split():
            self.assertEqual(thai.segment_thai(run), word_tokenize(run, engine="newmm", keep_whitespace=False))

    def test_sort_key_puts_leading_vowel_words_in_dictionary_order(self):
        names = ["เชียงราย", "กรุงเทพมหานคร", "ชุมพร", "แพร่", "ชลบุรี", "อุดรธานี", "เชียงใหม่"]
        self.assertEqual(
            sorted(names, key=thai.sort_key),
            ["กรุงเทพมหานคร", "ชลบุรี", "ชุมพร", "เชียงราย", "เชียงใหม่", "แพร่", "อุดรธานี"],
        )

    def test_thai_date_uses_the_buddhist_era(self):
        import datetime

        self.assertEqual(thai.thai_date(datetime.date(2026, 11, 25)), "25 พฤศจิกายน 2569")
        self.assertEqual(thai.thai_date(datetime.date(2026, 1, 2), short=True), "2 ม.ค. 2569")


class NormaliseShortcutTests(SimpleTestCase):
    def test_text_the_shortcut_skips_is_text_pythainlp_would_not_change(self):
        import random

        from pythainlp.util import normalize

        alphabet = [chr(c) for c in range(0x0E01, 0x0E4F)] + [" ", "a", "1"]
        rng = random.Random(7)
        skipped = 0
        for _ in range(20_000):
            text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12)))
            text = thai.clean(text)
            if not thai._NEEDS_NORMALIZE.search(text):
                skipped += 1
                self.assertEqual(" ".join(normalize(text).split()), " ".join(text.split()), repr(text))
        self.assertGreater(skipped, 100)


class SortKeyPrefixTests(SimpleTestCase):
    def test_a_name_sorts_before_longer_names_it_begins(self):
        self.assertLess(thai.sort_key("ภาคตะวันออก"), thai.sort_key("ภาคตะวันออกเฉียงเหนือ"))
