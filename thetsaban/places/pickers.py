"""Pickers of provinces and LGUs: found by code, Thai or English name, short name, or the Thai
type abbreviation written before a name ("ทน.สงขลา", "ทต.เมืองแกลง", "อบต. บ้านใหม่")."""

from django.db.models import Q
from django.db.models.signals import post_save

from thetsaban.namewords import name_words
from thetsaban.pickers import Picker
from thetsaban.places.choices import LGU_TYPE_ALIASES
from thetsaban.places.models import Lgu, LguNameWord, Province

# Thai words that name a type of LGU ("ทน", "ทน.", "เทศบาลนคร" …) -> (type, full word).
TYPE_WORDS = {}
for _type, _aliases in LGU_TYPE_ALIASES.items():
    _thai = [a for a in _aliases if not a.isascii()]
    _full = max((a for a in _thai if "." not in a), key=len)
    for _alias in _thai:
        TYPE_WORDS[_alias] = (_type, _full)
# The abbreviations with a dot, longest first, as written glued to a name: "ทน.สงขลา".
DOTTED = sorted((a for a in TYPE_WORDS if a.endswith(".")), key=len, reverse=True)
PROVINCE_PREFIXES = ("จังหวัด", "จ.")


def split_type(text: str):
    """("ทน.สงขลา" or "ทน. สงขลา") -> (city, "เทศบาลนคร", "สงขลา"); (None, "", text) without one."""
    for abbreviation in DOTTED:
        if text.startswith(abbreviation) and text[len(abbreviation):].strip():
            lgu_type, full = TYPE_WORDS[abbreviation]
            return lgu_type, full, text[len(abbreviation):].strip()
    first, _space, rest = text.partition(" ")
    if first in TYPE_WORDS and rest.strip():
        lgu_type, full = TYPE_WORDS[first]
        return lgu_type, full, rest.strip()
    return None, "", text


class LguPicker(Picker):
    """LGUs by code, names, short name and type abbreviation."""

    name = "lgus"
    model = Lgu
    key_field = "code"
    order_field = "sort_name"
    word_model = LguNameWord

    def words(self, lgu):
        """Names, code and short name; the type's words alone and glued to the bare place name
        or a word in it ("ทน.สงขลา", "เทศบาลนครสงขลา" also for an LGU stored as "สงขลา",
        "ทต.แกลง"), so that every form `split_type()` reads is a stored word beginning."""
        found = name_words(lgu.name_th, lgu.name_en, lgu.short_name, lgu.code)
        aliases = [a for a in LGU_TYPE_ALIASES.get(lgu.lgu_type, []) if not a.isascii()]
        bare = lgu.name_th
        for alias in sorted(aliases, key=len, reverse=True):
            if bare.startswith(alias) and bare[len(alias):].strip():
                bare = bare[len(alias):].strip()
                break
        # The type glued to the place name or to any word in it ("ทต.แกลง" for เมืองแกลง).
        places = [bare.replace(" ", "")] + list(name_words(bare))
        glued = [alias + place for alias in aliases for place in places]
        found.update({w: True for w in name_words(*aliases, bare, *glued) if w not in found})
        return found

    def exact(self, text):
        condition = (Q(code__iexact=text) | Q(short_name__iexact=text) | Q(name_th=text)
                     | Q(name_en__iexact=text))
        lgu_type, full, rest = split_type(text)
        if lgu_type:
            # Stored with the type word ("เทศบาลนครสงขลา") or, in some lists, without it.
            condition |= Q(name_th=full + rest) | Q(lgu_type=lgu_type, name_th=rest)
        return condition

    def prefix(self, text):
        condition = (Q(name_th__startswith=text) | Q(name_en__istartswith=text)
                     | Q(short_name__istartswith=text) | Q(code__istartswith=text))
        lgu_type, full, rest = split_type(text)
        if lgu_type:
            condition |= Q(name_th__startswith=full + rest) | Q(lgu_type=lgu_type, name_th__startswith=rest)
        return condition

    def word(self, word):
        if word in TYPE_WORDS:
            lgu_type, full = TYPE_WORDS[word]
            return Q(lgu_type=lgu_type) | Q(name_th__contains=full)
        condition = (Q(name_th__contains=word) | Q(name_en__icontains=word)
                     | Q(short_name__icontains=word) | Q(code__icontains=word))
        lgu_type, full, rest = split_type(word)
        if lgu_type:
            condition |= Q(name_th__contains=full + rest) | Q(lgu_type=lgu_type, name_th__contains=rest)
        return condition

    def with_related(self, queryset):
        return queryset.select_related("province")

    def label(self, lgu):
        return lgu.name

    def detail(self, lgu):
        parts = [lgu.short_name, lgu.get_lgu_type_display(), lgu.province.name, lgu.code]
        return " · ".join(p for p in parts if p)


class ProvincePicker(Picker):
    """Provinces by code and names, with or without "จังหวัด" / "จ."."""

    name = "provinces"
    model = Province
    key_field = "code"
    order_field = "sort_name"

    @staticmethod
    def _bare(text):
        for prefix in PROVINCE_PREFIXES:
            if text.startswith(prefix) and text[len(prefix):].strip():
                return text[len(prefix):].strip()
        return text

    def exact(self, text):
        bare = self._bare(text)
        return Q(code=text) | Q(name_th=bare) | Q(name_en__iexact=bare)

    def prefix(self, text):
        bare = self._bare(text)
        return Q(name_th__startswith=bare) | Q(name_en__istartswith=bare)

    def word(self, word):
        bare = self._bare(word)
        if bare in PROVINCE_PREFIXES:
            return Q()
        return Q(name_th__contains=bare) | Q(name_en__icontains=bare) | Q(code=bare)

    def with_related(self, queryset):
        return queryset.select_related("region")

    def label(self, province):
        return province.name

    def detail(self, province):
        return f"{province.region.name} · {province.code}"


LGUS = LguPicker()
PROVINCES = ProvincePicker()




def _refresh_lgu_words(sender, instance, **kwargs):
    LGUS.refresh_words([instance.pk])


post_save.connect(_refresh_lgu_words, sender=Lgu, dispatch_uid="places_lgu_name_words")
