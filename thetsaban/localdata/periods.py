"""Periods: parsing codes such as 2026, 2026S1, 2026Q1, 2026-03 and the Thai fiscal year.

Canonical codes are DHIS2's (Gregorian): `2026`, `2026S1`, `2026Q1`, `2026-03`, and `2025Oct`
for the Thai government fiscal year that runs from October 2025 to September 2026, which Thai
people call ปีงบประมาณ 2569 (the Buddhist Era year in which it ends). People may type Buddhist
Era years (2569), Thai digits, and the fiscal year as FY2569 or ปีงบประมาณ 2569; a year from
2400 up is read as Buddhist Era.
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

from thetsaban.localdata.choices import PeriodType

BE_OFFSET = 543
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_THAI_MONTHS = ["มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม",
                "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม"]


class PeriodError(ValueError):
    """A period that cannot be read; the message says what is expected."""


@dataclass(frozen=True)
class Period:
    """One period: its type, canonical code and first and last day."""

    type: str
    code: str
    start: date
    end: date

    def label(self, thai: bool = True) -> str:
        """How a page shows it: Buddhist Era years on Thai pages."""
        year = self.start.year
        offset = BE_OFFSET if thai else 0
        if self.type == PeriodType.YEAR:
            return str(year + offset)
        if self.type == PeriodType.FISCAL_YEAR:
            if thai:
                return f"ปีงบประมาณ {self.end.year + BE_OFFSET}"
            return f"FY {self.end.year} (Oct {year}–Sep {self.end.year})"
        if self.type == PeriodType.HALF_YEAR:
            half = 1 if self.start.month == 1 else 2
            return f"{year + offset} {'ครึ่งปีที่' if thai else 'H'}{' ' if thai else ''}{half}"
        if self.type == PeriodType.QUARTER:
            quarter = (self.start.month - 1) // 3 + 1
            return f"{year + offset} {'ไตรมาส' if thai else 'Q'}{' ' if thai else ''}{quarter}"
        if thai:
            return f"{_THAI_MONTHS[self.start.month - 1]} {year + offset}"
        return self.start.strftime("%B %Y")

    def __str__(self):
        return self.code


def _month_end(year: int, month: int) -> date:
    if month == 12:
        return date(year, 12, 31)
    return date(year, month + 1, 1) - timedelta(days=1)


def _year(text: str) -> int:
    """A year typed as CE (1900–2199) or Buddhist Era (2400 up)."""
    year = int(text)
    if year >= 2400:
        year -= BE_OFFSET
    if not 1900 <= year <= 2199:
        raise PeriodError(_("'%(value)s' is not a year (use a Buddhist Era year such as 2569)") % {"value": text})
    return year


def year(y: int) -> Period:
    return Period(PeriodType.YEAR, str(y), date(y, 1, 1), date(y, 12, 31))


def fiscal_year(start_year: int) -> Period:
    """The Thai fiscal year that starts in October of `start_year` (CE)."""
    return Period(PeriodType.FISCAL_YEAR, f"{start_year}Oct", date(start_year, 10, 1), date(start_year + 1, 9, 30))


def half_year(y: int, half: int) -> Period:
    first = 1 if half == 1 else 7
    return Period(PeriodType.HALF_YEAR, f"{y}S{half}", date(y, first, 1), _month_end(y, first + 5))


def quarter(y: int, q: int) -> Period:
    first = 3 * (q - 1) + 1
    return Period(PeriodType.QUARTER, f"{y}Q{q}", date(y, first, 1), _month_end(y, first + 2))


def month(y: int, m: int) -> Period:
    return Period(PeriodType.MONTH, f"{y}-{m:02d}", date(y, m, 1), _month_end(y, m))


_PATTERNS = [
    (re.compile(r"(\d{4})"), lambda m: year(_year(m[1]))),
    (re.compile(r"(\d{4})oct"), lambda m: fiscal_year(_year(m[1]))),
    (re.compile(r"(?:fy|ปีงบประมาณ|ปีงบ|งบ)\s*(\d{4})"), lambda m: fiscal_year(_year(m[1]) - 1)),
    (re.compile(r"(\d{4})\s*(?:s|h|ครึ่งปีที่|ครึ่งปี)\s*([12])"), lambda m: half_year(_year(m[1]), int(m[2]))),
    (re.compile(r"(\d{4})\s*(?:q|ไตรมาส(?:ที่)?)\s*([1-4])"), lambda m: quarter(_year(m[1]), int(m[2]))),
    (re.compile(r"(\d{4})[-/]?(\d{2})"), lambda m: _month(_year(m[1]), int(m[2]))),
    (re.compile(r"(\d{1,2})/(\d{4})"), lambda m: _month(_year(m[2]), int(m[1]))),
]


def _month(y: int, m: int) -> Period:
    if not 1 <= m <= 12:
        raise PeriodError(_("%(month)s is not a month (1 to 12)") % {"month": m})
    return month(y, m)


def parse(text: str) -> Period:
    """The period a code or a person's spelling of it stands for; PeriodError if none."""
    cleaned = re.sub(r"\s+", " ", str(text or "").translate(_THAI_DIGITS).strip().lower())
    for pattern, build in _PATTERNS:
        match = pattern.fullmatch(cleaned)
        if match:
            return build(match)
    raise PeriodError(_("'%(value)s' is not a period: write a year (2569), a fiscal year (FY2569), "
                        "a half-year (2569S1), a quarter (2569Q1) or a month (2569-03)") % {"value": text})


def periods_in(period_type: str, first_year: int, last_year: int) -> list[Period]:
    """Every period of a type whose year lies between two years (CE), oldest first."""
    found = []
    for y in range(first_year, last_year + 1):
        if period_type == PeriodType.YEAR:
            found.append(year(y))
        elif period_type == PeriodType.FISCAL_YEAR:
            found.append(fiscal_year(y - 1))
        elif period_type == PeriodType.HALF_YEAR:
            found += [half_year(y, 1), half_year(y, 2)]
        elif period_type == PeriodType.QUARTER:
            found += [quarter(y, q) for q in range(1, 5)]
        else:
            found += [month(y, m) for m in range(1, 13)]
    return found
