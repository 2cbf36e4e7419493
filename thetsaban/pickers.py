"""Pickers: form fields that name a record the way people write it, with suggestions as they type.

A picker knows how one kind of record (an LGU, a person, an organisation, a practice) is found
by what someone types: its code, Thai or English name, short name or abbreviation. The same
picker serves three doors, so they cannot disagree:

- `suggest()` behind `/api/v1/pickers/<kind>/?q=…` (PickerAPIView), which the autocomplete box
  calls as the user types;
- `resolve()` in `PickerField.clean()`, so a form posted without JavaScript (a plain text box)
  still stores the right record, or says which field is unknown or ambiguous;
- the same `resolve()` in list and API filters (`PickerFilter`).

Every door reads through the model's `restrict(user, "view")`: a person the user may not see is
neither suggested nor accepted.

The box (`PickerInput`) is a text input with the ARIA combobox pattern added by
`static/thetsaban/picker.js`; a chosen suggestion writes "label [key]" into the box, which
`resolve()` reads back by its key. Ranking is one ordering over every match: exact name, code
or abbreviation first, then names that begin with the text, then the rest; ties in Thai
dictionary order, then by id.

A picker with a `word_model` (LGUs, persons, organisations) is answered from an index of the
beginnings of its records' name words instead of reading the table: each record keeps its
folded name words (`thai.fold`), the word left after a dot or hyphen ("ทน.สงขลา" -> "สงขลา"),
the rest of a Thai word from each dictionary-word boundary ("เทศบาลนครสงขลา" -> "นครสงขลา",
"สงขลา") and whatever `words()` adds. A typed word matches a record when it begins one of
those words, found by an index range scan (a `>=`/`<` range on SQLite, `LIKE 'x%'` on a
pattern index on PostgreSQL). The typed word with the fewest index entries drives the query;
the others are checked per entry on the (record, word) index, so only the ids of records that
match every word leave the index. PostgreSQL's planner estimates how many entries each typed word
begins from the index statistics and chooses that driver itself; SQLite cannot, so there each
typed word's entries are first counted (up to DRIVER_COUNT) to write the fewest as the driver.
Up to LISTED_MATCHES matching ids are then ranked by a second query that names them; when more
match, that query takes them as a subquery. Names whose words begin with
every typed word rank before names where a typed word begins only inside a Thai word.
The services and signals that write those records keep their words current (`refresh_words`).
"""

import re

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Value, When
from django.templatetags.static import static
from django.urls import path
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from thetsaban import thai
from thetsaban.namewords import DRIVER_COUNT, WORD_LENGTH

MAX_CHARS = 200
DEFAULT_LIMIT = 10
MAX_LIMIT = 20
# The key a chosen suggestion carries at the end of the box: "เทศบาลนครสงขลา [DEMO-SK]".
KEY_AT_END = re.compile(r"\[\s*([^\[\]]{1,60}?)\s*\]\s*$")
AMBIGUOUS_SHOWN = 3
# At most this many matching records are handed to the ranking query by id (_indexed_matches).
LISTED_MATCHES = 500


class Picker:
    """How one kind of record is found by what people type (subclassed per kind)."""

    #: the URL segment under /api/v1/pickers/ and the box's data attribute
    name = ""
    model = None
    #: the field whose value the box carries in brackets (unique)
    key_field = "pk"
    #: the Thai dictionary order field (ties among equally good matches)
    order_field = "pk"
    #: the NameWord model indexing these records' names (None: matched by `word()` on the table)
    word_model = None

    def queryset(self, user):
        """The records `user` may see and so pick."""
        return self.model.objects.restrict(user, "view")

    # -- what subclasses describe --------------------------------------------------------------

    def exact(self, text: str) -> Q:
        """Records named exactly `text` (code, name, short name, abbreviation)."""
        raise NotImplementedError

    def prefix(self, text: str) -> Q:
        """Records whose name begins with `text`."""
        raise NotImplementedError

    def word(self, word: str) -> Q:
        """Records where one typed word appears (in any of their names); without a word model."""
        raise NotImplementedError

    def words(self, obj) -> dict[str, bool]:
        """The name words `obj` is found by (with a word model): see `name_words()`."""
        raise NotImplementedError

    def word_prefixes(self, word: str) -> list[str]:
        """The stored word beginnings one typed word stands for (its dotless spelling too)."""
        folded = thai.fold(word)[:WORD_LENGTH]
        dotless = folded.replace(".", "")
        return [w for w in dict.fromkeys((folded, dotless)) if w]

    def label(self, obj) -> str:
        raise NotImplementedError

    def detail(self, obj) -> str:
        """A second line that tells records of the same name apart (province, type …)."""
        return ""

    def with_related(self, queryset):
        return queryset

    # -- shared behaviour ----------------------------------------------------------------------

    def key(self, obj) -> str:
        return str(getattr(obj, self.key_field))

    def choice_text(self, obj) -> str:
        """What the box holds for a chosen record, read back by `resolve()`."""
        return f"{self.label(obj)} [{self.key(obj)}]"

    def matches(self, queryset, text: str):
        """Every record matching `text`, best first (see the module docstring)."""
        text = thai.clean(text)[:MAX_CHARS]
        words = text.split()
        if not words:
            return queryset.none()
        if self.word_model is not None:
            return self._indexed_matches(queryset, text, words)
        condition = self.exact(text)
        every_word = Q()
        for word in words:
            every_word &= self.word(word)
        rank = Case(When(self.exact(text), then=Value(0)), When(self.prefix(text), then=Value(1)),
                    default=Value(2), output_field=IntegerField())
        return (queryset.filter(condition | every_word).annotate(picker_rank=rank)
                .order_by("picker_rank", self.order_field, "pk"))

    @staticmethod
    def _begins_any(prefixes, field: str = "word") -> Q:
        condition = Q()
        for prefix in prefixes:
            condition |= Q(**{f"{field}__begins": prefix})
        return condition

    def _indexed_matches(self, queryset, text, words):
        """Matches from the name-word index: every typed word begins a stored word.

        An exact name, code or abbreviation is among them, since each of its words is stored.
        """
        typed = [prefixes for prefixes in map(self.word_prefixes, dict.fromkeys(words)) if prefixes]
        if not typed:
            return queryset.none()
        entries = self.word_model._default_manager
        db = queryset.db

        def entry_count(prefixes):
            return entries.using(db).filter(self._begins_any(prefixes))[:DRIVER_COUNT].count()

        if len(typed) > 1 and connections[db].vendor != "postgresql":
            # PostgreSQL joins the words in the order its estimates favour (module docstring).
            typed.sort(key=entry_count)
        driver, *others = typed
        # The other words are checked on the driver's entries, inside the index, so the records
        # table is read only for the owners that match every word (however many the driver has).
        owners = entries.filter(self._begins_any(driver))
        at_start = Q(Exists(entries.filter(self._begins_any(driver), owner=OuterRef("pk"), starts=True)))
        for prefixes in others:
            owners = owners.filter(Exists(entries.filter(self._begins_any(prefixes),
                                                         owner=OuterRef("owner_id"))))
            at_start &= Q(Exists(entries.filter(self._begins_any(prefixes), owner=OuterRef("pk"),
                                                starts=True)))
        # When few records match, their ids go into the ranking query as a list: the planner
        # then knows how few rows it ranks (estimated through the subquery, it may reckon with
        # the whole table and read every entry of a common word to rank them).
        found = list(owners.using(db).values_list("owner_id", flat=True)[:LISTED_MATCHES + 1])
        if len(found) <= LISTED_MATCHES:
            condition = Q(pk__in=sorted(set(found)))
        else:
            condition = Q(pk__in=owners.values("owner_id"))
        rank = Case(When(self.exact(text), then=Value(0)), When(self.prefix(text), then=Value(1)),
                    When(at_start, then=Value(2)), default=Value(3), output_field=IntegerField())
        return (queryset.filter(condition).annotate(picker_rank=rank)
                .order_by("picker_rank", self.order_field, "pk"))

    # -- the name-word index ---------------------------------------------------------------------

    def refresh_words(self, ids, *, replace: bool = True) -> None:
        """Rewrite the name words of the records `ids` (after a save, an import or a backfill)."""
        ids = list(ids)
        entries = self.word_model._default_manager
        for start in range(0, len(ids), 2000):
            chunk = ids[start:start + 2000]
            if replace:
                entries.filter(owner_id__in=chunk).delete()
            rows = [self.word_model(owner_id=obj.pk, word=word, starts=begins)
                    for obj in self.model._default_manager.filter(pk__in=chunk)
                    for word, begins in self.words(obj).items()]
            entries.bulk_create(rows, batch_size=5000)

    def refresh_all_words(self) -> None:
        """Rebuild the whole name-word index of this kind of record."""
        self.word_model._default_manager.all().delete()
        self.refresh_words(self.model._default_manager.order_by("pk").values_list("pk", flat=True),
                           replace=False)

    def suggest(self, queryset, text: str, limit: int = DEFAULT_LIMIT) -> list:
        return list(self.with_related(self.matches(queryset, text))[:limit])

    def as_suggestion(self, obj) -> dict:
        return {"id": obj.pk, "key": self.key(obj), "label": self.label(obj),
                "detail": self.detail(obj), "value": self.choice_text(obj)}

    def resolve(self, queryset, text: str):
        """The one record `text` names, or a ValidationError saying it is unknown or ambiguous."""
        text = thai.clean(text)
        if len(text) > MAX_CHARS:
            raise ValidationError(_("Write at most %(max)d characters."), params={"max": MAX_CHARS},
                                  code="max_length")
        if self.key_field == "pk" and text.isdigit():
            # A bare id, as a form posted by a script or an older page sends it.
            found = self._by_key(queryset, text)
            if found is not None:
                return found
        keyed = KEY_AT_END.search(text)
        if keyed:
            found = self._by_key(queryset, keyed.group(1))
            if found is not None:
                return found
            text = text[:keyed.start()].strip()
        exact_among = self.matches(queryset, text) if self.word_model is not None else queryset
        exact = list(exact_among.filter(self.exact(text))[:AMBIGUOUS_SHOWN + 1])
        if len(exact) == 1:
            return exact[0]
        candidates = exact or self.suggest(queryset, text, AMBIGUOUS_SHOWN + 1)
        if not candidates:
            raise ValidationError(_("Nothing matches “%(value)s”; type part of a name and choose "
                                    "from the suggestions, or give the code."),
                                  params={"value": text}, code="unknown")
        if len(candidates) == 1:
            return candidates[0]
        shown = "; ".join(self.choice_text(obj) for obj in candidates[:AMBIGUOUS_SHOWN])
        raise ValidationError(_("“%(value)s” matches more than one: %(candidates)s. Choose one, or "
                                "give its code."),
                              params={"value": text, "candidates": shown}, code="ambiguous")

    def _by_key(self, queryset, key: str):
        field = self.model._meta.get_field(self.key_field) if self.key_field != "pk" else self.model._meta.pk
        try:
            value = field.to_python(key)
        except ValidationError:
            return None
        if isinstance(value, int) and not (0 < value < 2**63):
            return None
        return queryset.filter(**{self.key_field: value}).first()


class PickerInput(forms.TextInput):
    """A text box that becomes an ARIA combobox with suggestions when JavaScript runs.

    Without JavaScript it stays a text box that the server resolves (PickerField). The script
    loads its own stylesheet, so a page needs nothing but the field.
    """

    def __init__(self, picker: Picker, separator: str = "", attrs=None):
        self.picker = picker
        self.separator = separator
        super().__init__(attrs)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        extra = {"data-picker": f"/api/v1/pickers/{self.picker.name}/", "autocomplete": "off",
                 "spellcheck": "false", "data-picker-css": static("thetsaban/picker.css"),
                 "data-picker-count": _("Suggestions: %(count)s. Use the up and down arrows to choose."),
                 "data-picker-none": _("No suggestion; the text you type is looked up when you save.")}
        if self.separator:
            extra["data-picker-separator"] = self.separator
        context["widget"]["attrs"].update(extra)
        return context

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        # The CSP allows no inline script; the file guards against running twice.
        return html + format_html('<script src="{}" defer></script>', static("thetsaban/picker.js"))


class PickerField(forms.Field):
    """One record named by code, name, short name or abbreviation (PickerInput suggests them).

    `queryset` is what the user may pick; forms narrow it per user as with ModelChoiceField.
    """

    def __init__(self, picker: Picker, *, queryset=None, **kwargs):
        self.picker = picker
        self.queryset = queryset if queryset is not None else picker.model.objects.none()
        kwargs.setdefault("widget", PickerInput(picker))
        for unused in ("to_field_name", "limit_choices_to", "empty_label", "blank"):
            kwargs.pop(unused, None)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, self.picker.model):
            return self.picker.choice_text(value)
        if isinstance(value, int):
            obj = self.picker.model._default_manager.filter(pk=value).first()
            return self.picker.choice_text(obj) if obj else ""
        return value

    def to_python(self, value):
        text = thai.clean(value if isinstance(value, str) else "")
        if not text:
            return None
        return self.picker.resolve(self.queryset, text)

    def has_changed(self, initial, data):
        return self.prepare_value(initial) != (data or "")


class PickerChipsInput(PickerInput):
    """Several records as chips: each chosen record is a ticked checkbox (untick to remove) and
    a text box below suggests and adds more.

    Without JavaScript the chips are plain checkboxes and the box takes names separated by
    `separator`, all resolved by the server; the script adds a chosen suggestion as a new chip.
    """

    def __init__(self, picker: Picker, separator: str = ",", attrs=None):
        super().__init__(picker, separator=separator, attrs=attrs)

    def value_from_datadict(self, data, files, name):
        getter = getattr(data, "getlist", None)
        values = getter(name) if getter else data.get(name)
        if values is None or isinstance(values, str):
            return values
        return [value for value in values if isinstance(value, str) and value.strip()]

    def value_omitted_from_data(self, data, files, name):
        return name not in data

    def get_context(self, name, value, attrs):
        items = value if isinstance(value, (list, tuple)) else split_items(value or "", self.separator)
        chips = [item for item in items if is_chosen(item)]
        typed = f"{self.separator} ".join(item for item in items if not is_chosen(item))
        context = super().get_context(name, typed, attrs)
        context["widget"]["chips"] = chips
        return context

    def render(self, name, value, attrs=None, renderer=None):
        context = self.get_context(name, value, attrs)
        box_id = context["widget"]["attrs"].get("id") or f"id_{name}"
        chips = format_html_join(
            "", '<li class="picker-chip"><label><input type="checkbox" name="{}" value="{}" checked> '
                '<span>{}</span></label></li>',
            ((name, chip, KEY_AT_END.sub("", chip).strip()) for chip in context["widget"]["chips"]))
        box = super().render(name, context["widget"]["value"], attrs, renderer)
        return format_html(
            '<div class="picker-chips" data-picker-chips="{}"><ul class="picker-chip-list" id="{}" '
            'aria-label="{}"{}>{}</ul>{}</div>',
            name, f"{box_id}-chosen", _("Chosen; untick one to remove it"),
            format_html(" hidden") if not context["widget"]["chips"] else "", chips, box)


def is_chosen(item: str) -> bool:
    """An item naming one record by its key at the end ("เทศบาลนครสงขลา [DEMO-SK]")."""
    return bool(KEY_AT_END.search(item)) and item.count("[") == 1


def split_items(text: str, separator: str) -> list[str]:
    """Typed items separated by `separator`; one item holding a single "[key]" stays whole,
    so that a chosen record whose name holds the separator is not cut."""
    text = thai.clean(text)
    if is_chosen(text):
        return [text]
    return [part.strip() for part in text.split(separator) if part.strip()]


class PickerMultipleField(forms.Field):
    """Several records (for example the LGUs of a recommendation), chosen as chips
    (PickerChipsInput) or typed in one box separated by `separator`."""

    def __init__(self, picker: Picker, *, queryset=None, separator: str = ",", **kwargs):
        self.picker = picker
        self.separator = separator
        self.queryset = queryset if queryset is not None else picker.model.objects.none()
        kwargs.setdefault("widget", PickerChipsInput(picker, separator=separator))
        for unused in ("to_field_name", "limit_choices_to", "empty_label", "blank"):
            kwargs.pop(unused, None)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, str) or value is None:
            return value or ""
        items = list(value)
        if items and all(isinstance(item, str) for item in items):
            return items
        if items and not isinstance(items[0], self.picker.model):
            by_pk = self.picker.model._default_manager.in_bulk([v for v in items if isinstance(v, int)])
            items = [by_pk[v] for v in items if v in by_pk]
        return [self.picker.choice_text(obj) for obj in items]

    def _items(self, value) -> list[str]:
        if isinstance(value, (list, tuple)):
            return [part for item in value if isinstance(item, str)
                    for part in split_items(item, self.separator)]
        return split_items(value if isinstance(value, str) else "", self.separator)

    def to_python(self, value):
        found, errors = [], []
        for part in self._items(value):
            try:
                obj = self.picker.resolve(self.queryset, part)
            except ValidationError as error:
                errors.extend(error.error_list)
                continue
            if obj not in found:
                found.append(obj)
        if errors:
            raise ValidationError(errors)
        return found

    def validate(self, value):
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")

    def has_changed(self, initial, data):
        return self._items(self.prepare_value(initial)) != self._items(data or "")


class PickerAPIForm(forms.Form):
    """The query of a picker endpoint: a 400 that says why, never a 500."""

    q = forms.CharField(max_length=MAX_CHARS, strip=True)
    limit = forms.IntegerField(min_value=1, max_value=MAX_LIMIT, required=False)

    def clean_q(self):
        text = thai.clean(self.cleaned_data["q"])
        if not text:
            raise ValidationError(_("Type part of a name or code."), code="required")
        return text


class PickerSuggestionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    key = serializers.CharField(help_text="The record's code (or id): what the box carries in brackets.")
    label = serializers.CharField()
    detail = serializers.CharField(help_text="What tells records of the same name apart.")
    value = serializers.CharField(help_text="The text a chosen suggestion writes into the box.")


class PickerAPIView(APIView):
    """Suggestions for an autocomplete box: records the user may see, best match first."""

    permission_classes = [permissions.AllowAny]
    picker: Picker = None

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, required=True,
                             description="What the user typed: code, Thai or English name, short "
                                         "name or abbreviation (ทน.สงขลา)."),
            OpenApiParameter("limit", int, description=f"At most {MAX_LIMIT}; {DEFAULT_LIMIT} by default."),
        ],
        responses={200: inline_serializer("PickerResponse", {
            "results": PickerSuggestionSerializer(many=True)})},
    )
    def get(self, request):
        form = PickerAPIForm(request.query_params)
        if not form.is_valid():
            return Response(form.errors, status=400)
        queryset = self.picker.queryset(request.user)
        found = self.picker.suggest(queryset, form.cleaned_data["q"],
                                    form.cleaned_data["limit"] or DEFAULT_LIMIT)
        return Response({"results": [self.picker.as_suggestion(obj) for obj in found]})


def picker_path(picker: Picker):
    """The URL pattern of a picker's endpoint, for an app's `api_urlpatterns`."""
    view = type(f"{type(picker).__name__}APIView", (PickerAPIView,), {
        "picker": picker, "__doc__": f"Suggestions of {picker.name} for an autocomplete box, best match first."})
    return path(f"pickers/{picker.name}/", view.as_view(), name=f"api-picker-{picker.name}")


@extend_schema_field(OpenApiTypes.STR)
class PickerFilter(django_filters.Filter):
    """A list or API filter naming one record as a person writes it (ทน.สงขลา, a code …):
    unknown or ambiguous text is an error naming the filter, never an empty list in silence."""

    field_class = PickerField

    def __init__(self, picker: Picker, *args, queryset=None, **kwargs):
        queryset = queryset if queryset is not None else picker.model._default_manager.restrict(None, "view")
        super().__init__(*args, picker=picker, queryset=queryset, **kwargs)
