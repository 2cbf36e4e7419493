"""Dates in forms and filters, typed and shown in the Buddhist Era.

Every date a person types (model forms, plain forms, the filters of web lists and the API's
query parameters) goes through `ThaiDateField`: "10/3/2569", "2569-03-10" and "10 มี.ค. 2569"
are read as Buddhist Era, a Gregorian year only where it cannot be mistaken (below 2200), and
a year out of range is refused with a message naming the field. Thai pages show the value as
day/month/BE year. The input is a text box, not the browser's date picker, whose calendar is
Gregorian. JSON bodies of the API stay ISO-8601 Gregorian, as every client expects.
"""

import django_filters
from django import forms
from django.db import models
from django.utils import formats, timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from thetsaban import thai

DATE_HELP = _("Day/month/year in the Buddhist Era (10/3/2569), or year-month-day (2026-03-10).")


def _thai_page() -> bool:
    return (translation.get_language() or "th").startswith("th")


def format_fiscal_year(value) -> str:
    """The Thai fiscal year of a date for budget figures: "ปีงบประมาณ 2569" on Thai pages."""
    if not value:
        return ""
    year = thai.fiscal_year(value)
    if _thai_page():
        return gettext("fiscal year %(year)s") % {"year": thai.buddhist_year(year)}
    return gettext("fiscal year %(year)s") % {"year": year}


def format_date(value, style: str = "long") -> str:
    """A date (or a moment, in local time) in the reader's language: Buddhist Era in Thai.

    Pages, reports, exports and e-mails all date themselves with it ("10 มีนาคม 2569").
    """
    if not value:
        return ""
    if getattr(value, "tzinfo", None) is not None:
        value = timezone.localtime(value)
    if _thai_page():
        return thai.thai_date(value, short=(style == "short"))
    return formats.date_format(value, "j M Y" if style == "short" else "j F Y")


class ThaiDateInput(forms.TextInput):
    """A date box: day/month/BE year on Thai pages, ISO on English ones, with the format shown."""

    def __init__(self, attrs=None):
        super().__init__({"autocomplete": "off", "spellcheck": "false", "size": 12, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, str):
            # What was typed comes back in the page's own form when it is a date.
            try:
                value = thai.parse_date(value) or value
            except thai.DateError:
                pass
        if hasattr(value, "year"):
            return thai.numeric_thai_date(value) if _thai_page() else value.isoformat()
        return super().format_value(value)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].setdefault(
            "placeholder", gettext("dd/mm/yyyy (BE)") if _thai_page() else gettext("yyyy-mm-dd"))
        return context


class ThaiDateField(forms.DateField):
    """A date typed in the Buddhist Era, or in Gregorian where the year is unambiguous."""

    widget = ThaiDateInput

    def __init__(self, *args, **kwargs):
        if not kwargs.get("help_text"):
            kwargs["help_text"] = DATE_HELP
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if hasattr(value, "year"):
            return value if not hasattr(value, "date") else value.date()
        field = self.label or gettext("Date")
        try:
            return thai.parse_date(str(value))
        except thai.DateError as error:
            if error.code == "ambiguous_year":
                message = _("%(field)s: the year %(year)s could be Buddhist Era or Gregorian; "
                            "type the Buddhist Era year, for example 2569.")
            elif error.code == "year_out_of_range":
                message = _("%(field)s: the year %(year)s is out of range; type a Buddhist Era "
                            "year from %(first)s to %(last)s.")
            else:
                message = _("%(field)s: “%(value)s” is not a date; type day/month/year in the "
                            "Buddhist Era, for example 10/3/2569.")
            raise forms.ValidationError(message, code=error.code, params={
                "field": field, "year": error.year, "value": value,
                "first": thai.buddhist_year(thai.EARLIEST_YEAR),
                "last": thai.buddhist_year(thai.LATEST_YEAR)}) from None


class ThaiDateFilter(django_filters.DateFilter):
    """A date filter of a list or of the API, typed like every other date."""

    field_class = ThaiDateField


class FiscalYear(int):
    """A (Gregorian) Thai fiscal year as a filter value, shown as "fiscal year 2569" on Thai pages."""

    def __str__(self):
        year = thai.buddhist_year(self) if _thai_page() else int(self)
        return gettext("fiscal year %(year)s") % {"year": year}


class FiscalYearField(forms.Field):
    """A Thai fiscal year (October to September) typed as its Buddhist Era year (2569), or as a
    Gregorian year where that cannot be mistaken (2026); "ปีงบประมาณ 2569" and Thai digits too."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "size": 6, "maxlength": 40})

    def __init__(self, *args, **kwargs):
        if not kwargs.get("help_text"):
            kwargs["help_text"] = _("The fiscal year, 1 October to 30 September, in the Buddhist Era "
                                    "(2569 runs from 1/10/2568 to 30/9/2569).")
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if isinstance(value, int):
            return FiscalYear(value)
        text = thai.clean(str(value or "")[:40]).translate(str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789"))
        for word in ("ปีงบประมาณ", "ปีงบ", "พ.ศ.", "fiscal year", "fy"):
            text = text.lower().replace(word, "")
        text = text.strip()
        if not text:
            return None
        field = self.label or gettext("Fiscal year")
        if not text.isdigit() or len(text) != 4:
            raise forms.ValidationError(
                _("%(field)s: “%(value)s” is not a year; type the Buddhist Era year, for example 2569."),
                code="invalid", params={"field": field, "value": value})
        year = int(text)
        if year >= thai.BUDDHIST_ERA_FROM:
            year -= 543
        elif year >= thai.GREGORIAN_UNTIL:
            raise forms.ValidationError(
                _("%(field)s: the year %(year)s could be Buddhist Era or Gregorian; type the "
                  "Buddhist Era year, for example 2569."), code="ambiguous_year",
                params={"field": field, "year": text})
        if not thai.EARLIEST_YEAR < year <= thai.LATEST_YEAR:
            raise forms.ValidationError(
                _("%(field)s: the year %(year)s is out of range; type a Buddhist Era year from "
                  "%(first)s to %(last)s."), code="year_out_of_range",
                params={"field": field, "year": text, "first": thai.buddhist_year(thai.EARLIEST_YEAR + 1),
                        "last": thai.buddhist_year(thai.LATEST_YEAR)})
        return FiscalYear(year)


@extend_schema_field(OpenApiTypes.STR)
class FiscalYearFilter(django_filters.Filter):
    """Rows whose date (`field_name`, a date or `…__date`) falls in the fiscal year typed."""

    field_class = FiscalYearField

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        first, last = thai.fiscal_year_range(int(value))
        return self.get_method(qs)(**{f"{self.field_name}__range": (first, last)})


def formfield(db_field, **kwargs):
    """The form field of a model field: dates are `ThaiDateField` (a model form's callback)."""
    if isinstance(db_field, models.DateField) and not isinstance(db_field, models.DateTimeField):
        kwargs["form_class"] = ThaiDateField
    return db_field.formfield(**kwargs)


def use_in_admin():
    """Make every Django admin form (inlines included) use ThaiDateField for date columns."""
    from django.contrib.admin import options

    options.FORMFIELD_FOR_DBFIELD_DEFAULTS[models.DateField] = {
        "form_class": ThaiDateField, "widget": ThaiDateInput}
