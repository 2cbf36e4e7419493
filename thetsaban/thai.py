"""The Thai-language toolkit: clean, fold, segment, sort and date Thai text.

Used by every app: text is cleaned before it is stored, folded and segmented before it is
indexed or searched, sorted by a dictionary-order key, and dated in the Buddhist Era.
"""

import re
import unicodedata
from datetime import date, datetime
from functools import lru_cache

from pythainlp import (
    thai_above_vowels,
    thai_below_vowels,
    thai_follow_vowels,
    thai_lead_vowels,
    thai_tonemarks,
)
from pythainlp.util import normalize as _pythainlp_normalize

# Characters that are invisible but break matching: zero-width space/joiners, word joiner, BOM.
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
# C0/C1 control characters other than tab and newline.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_THAI_DIGIT = re.compile("[๐-๙]")
# Nikhahit + sara aa, as pasted from slides and PDFs, is sara am; a tone mark may sit between.
_DECOMPOSED_AM = re.compile("\u0e4d([\u0e48-\u0e4b]?)\u0e32")
_THAI_RUN = re.compile(r"[\u0e01-\u0e4f]+")
_TOKEN = re.compile(r"[\u0e01-\u0e4f\u0e50-\u0e59]+|[^\W_]+")
_LEADING_VOWELS = "เแโใไ"
_TONE_MARKS = "\u0e48\u0e49\u0e4a\u0e4b\u0e4c"  # mai ek .. thanthakhat: secondary in sorting


_DANGLING = f"{thai_above_vowels}{thai_below_vowels}{thai_tonemarks}\u0e3a\u0e4c\u0e4d\u0e4e"
_NO_REPEAT = f"{thai_follow_vowels}{thai_lead_vowels}{thai_above_vowels}{thai_below_vowels}\u0e3a\u0e4c\u0e4d\u0e4e"
# Every spelling that PyThaiNLP's normalize() would change: dangling marks, two sara e, marks
# in the wrong order, decomposed sara am, lakkhangyao for sara aa, repeated vowels or tone
# marks. Text with none of them (nearly all text) skips the dozen regex passes it costs.
_NEEDS_NORMALIZE = re.compile("|".join([
    f"^[{_DANGLING}]", f"\\s[{_DANGLING}]",
    "\u0e40\u0e40",
    f"[{thai_tonemarks}\u0e4c][{thai_above_vowels}{thai_below_vowels}]",
    "\u0e4d",
    f"[{thai_follow_vowels}][{thai_tonemarks}]",
    "\u0e45",
    f"([{_NO_REPEAT}])\\s*\\1",
    f"[{thai_tonemarks}]{{2,}}",
]))


def clean(text: str | None) -> str:
    """Make text safe to store: NFC, sara am recomposed, no zero-width or control characters."""
    if not text:
        return ""
    text = str(text)
    if text.isascii() and text.isprintable():
        # Plain printable ASCII (codes, numbers, most cells of a large import): NFC leaves it as
        # it is and it has no zero-width, control or Thai characters, so only the ends change.
        return text.strip()
    text = unicodedata.normalize("NFC", text)
    text = _ZERO_WIDTH.sub("", text)
    text = _CONTROL.sub("", text)
    text = _DECOMPOSED_AM.sub(lambda m: m.group(1) + "\u0e33", text)
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def fold(text: str | None) -> str:
    """Fold text for matching: cleaned, Thai spelling normalised, Arabic digits, lower case."""
    text = clean(text)
    if not text:
        return ""
    if _NEEDS_NORMALIZE.search(text):
        text = _pythainlp_normalize(text)
    if _THAI_DIGIT.search(text):
        text = text.translate(_THAI_DIGITS)
    return text.casefold()


@lru_cache(maxsize=1)
def _segmenter():
    """newmm segmentation by nlpo3 (Rust) over PyThaiNLP's own dictionary: the same words.

    nlpo3 is called directly rather than through word_tokenize(), whose per-call overhead
    costs more than the segmentation itself on short runs of Thai text.
    """
    from importlib.resources import as_file, files

    import nlpo3

    with as_file(files("pythainlp.corpus").joinpath("words_th.txt")) as path:
        message, loaded = nlpo3.load_dict(str(path), "thetsaban")
    if not loaded and "exist" not in message.lower():  # already loaded in this process is fine
        raise RuntimeError(message)

    def segment(run: str) -> list[str]:
        return nlpo3.segment(run, "thetsaban")

    return segment


def segment_thai(run: str) -> list[str]:
    """Segment one run of Thai letters into dictionary words."""
    return _segmenter()(run)


@lru_cache(maxsize=1)
def _dictionary() -> frozenset[str]:
    from pythainlp.corpus.common import thai_words

    return frozenset(thai_words())


@lru_cache(maxsize=200_000)
def parts(word: str) -> tuple[str, ...]:
    """The dictionary words a compound is made of (ขยะมูลฝอย -> ขยะ, มูลฝอย), or () if none.

    The dictionary tokenizer keeps compounds whole, so a search for one of their parts
    would miss them; the index adds the parts after the document's own words.
    """
    if len(word) < 4 or not _THAI_RUN.fullmatch(word):
        return ()
    words = _dictionary()
    n = len(word)
    # best[i]: fewest dictionary pieces (each at least two letters) that spell word[:i].
    best: list[tuple[int, int] | None] = [None] * (n + 1)
    best[0] = (0, 0)
    for end in range(2, n + 1):
        for start in range(0, end - 1):
            if best[start] is not None and (start, end) != (0, n) and word[start:end] in words:
                count = best[start][0] + 1
                if best[end] is None or count < best[end][0]:
                    best[end] = (count, start)
    if best[n] is None:
        return ()
    pieces, end = [], n
    while end > 0:
        start = best[end][1]
        pieces.append(word[start:end])
        end = start
    return tuple(reversed(pieces))


def index_tokens(text: str | None) -> list[str]:
    """Tokens for the index: the words in order, then the parts of compound words."""
    words = tokens(text)
    extra = [piece for word in words for piece in parts(word)]
    return words + extra


def tokens(text: str | None) -> list[str]:
    """Split folded text into index tokens: Thai words by dictionary, other words by letters."""
    result: list[str] = []
    for match in _TOKEN.finditer(fold(text)):
        piece = match.group(0)
        if _THAI_RUN.fullmatch(piece):
            result.extend(word for word in segment_thai(piece) if word.strip())
        else:
            result.append(piece)
    return result


def sort_key(text: str | None) -> str:
    """A key that orders Thai text in dictionary order under plain binary comparison.

    Leading vowels (เ แ โ ใ ไ) are written before the consonant they follow in speech, so
    dictionary order skips them; tone marks only break ties. The key is hex text so that
    any database collation compares it byte by byte.
    """
    text = fold(text)
    primary: list[str] = []
    secondary: list[str] = []
    chars = list(text)
    i = 0
    while i < len(chars):
        char = chars[i]
        if char in _LEADING_VOWELS and i + 1 < len(chars):
            primary.append(chars[i + 1])
            primary.append(char)
            i += 2
            continue
        if char in _TONE_MARKS:
            secondary.append(char)
        else:
            primary.append(char)
        i += 1
    key = "".join(f"{ord(c):05x}" for c in primary)
    tie = "".join(f"{ord(c):05x}" for c in secondary)
    # "!" sorts before every hex digit, so a name comes before the longer names it begins.
    return (key + "!" + tie)[:250]


THAI_MONTHS = [
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
]
THAI_MONTHS_SHORT = [
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
]


def buddhist_year(year: int) -> int:
    """The Buddhist Era year of a Gregorian year."""
    return year + 543


# The Thai government's fiscal year (ปีงบประมาณ) runs from 1 October to 30 September and is
# named by the year it ends in: 1 October 2025 opens fiscal year 2026, BE 2569.
FISCAL_YEAR_FIRST_MONTH = 10


def fiscal_year(value: date) -> int:
    """The (Gregorian) Thai fiscal year a date falls in: October to September, named by its end."""
    return value.year + 1 if value.month >= FISCAL_YEAR_FIRST_MONTH else value.year


def fiscal_year_range(year: int) -> tuple[date, date]:
    """The first and last day of a (Gregorian) fiscal year."""
    return date(year - 1, FISCAL_YEAR_FIRST_MONTH, 1), date(year, FISCAL_YEAR_FIRST_MONTH - 1, 30)


def thai_date(value: date | datetime | None, short: bool = False) -> str:
    """Format a date the Thai way: day, Thai month name, Buddhist Era year."""
    if value is None:
        return ""
    months = THAI_MONTHS_SHORT if short else THAI_MONTHS
    return f"{value.day} {months[value.month - 1]} {buddhist_year(value.year)}"


# Years a typed date may have. A year from BUDDHIST_ERA_FROM up is Buddhist Era; a four-digit
# year below GREGORIAN_UNTIL is Gregorian; the years between could be either and are refused.
BUDDHIST_ERA_FROM = 2400
GREGORIAN_UNTIL = 2200
EARLIEST_YEAR = 1900  # Gregorian; BE 2443
LATEST_YEAR = 2157  # Gregorian; BE 2700

_DATE_DAY_FIRST = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})")
_DATE_YEAR_FIRST = re.compile(r"(\d{4})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})")
_DATE_MONTH_NAMED = re.compile(r"(\d{1,2})\s*([^\d\s]+)\s*(?:พ\.ศ\.|พ\.ศ)?\s*(\d{4})")
_MONTH_NUMBERS = {
    **{name: number for number, name in enumerate(THAI_MONTHS, start=1)},
    **{name: number for number, name in enumerate(THAI_MONTHS_SHORT, start=1)},
    **{name.replace(".", ""): number for number, name in enumerate(THAI_MONTHS_SHORT, start=1)},
}


class DateError(ValueError):
    """A typed date that cannot be read; `code` says why, `year` is the year typed if any."""

    def __init__(self, code: str, year: int | None = None):
        super().__init__(code)
        self.code = code
        self.year = year


def parse_date(text: str | None) -> date | None:
    """Read a typed date, Buddhist Era or unambiguous Gregorian; empty is None.

    Day first ("10/3/2569", "10-03-2569", "10 มี.ค. 2569") or year first ("2569-03-10"), Thai
    or Arabic digits. Raises DateError: "invalid" (not a date), "ambiguous_year" (a year that
    could be either era), "year_out_of_range".
    """
    text = clean(text).translate(_THAI_DIGITS)
    if not text:
        return None
    if match := _DATE_DAY_FIRST.fullmatch(text):
        day, month, year = (int(g) for g in match.groups())
    elif match := _DATE_YEAR_FIRST.fullmatch(text):
        year, month, day = (int(g) for g in match.groups())
    elif (match := _DATE_MONTH_NAMED.fullmatch(text)) and match.group(2) in _MONTH_NUMBERS:
        day, month, year = int(match.group(1)), _MONTH_NUMBERS[match.group(2)], int(match.group(3))
    else:
        raise DateError("invalid")
    typed = year
    if year >= BUDDHIST_ERA_FROM:
        year -= 543
    elif year >= GREGORIAN_UNTIL:
        raise DateError("ambiguous_year", typed)
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise DateError("year_out_of_range", typed)
    try:
        return date(year, month, day)
    except ValueError:
        raise DateError("invalid", typed) from None


def numeric_thai_date(value: date | None) -> str:
    """A date as typed in Thailand: day/month/Buddhist Era year ("10/3/2569")."""
    if value is None:
        return ""
    return f"{value.day}/{value.month}/{buddhist_year(value.year)}"
