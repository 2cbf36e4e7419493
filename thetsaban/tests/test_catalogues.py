"""The Thai catalogue is complete, and the compiled catalogues match their sources."""

import ast
import gettext
import re
from pathlib import Path

from django.test import SimpleTestCase

LOCALE = Path(__file__).resolve().parent.parent / "locale"


def read_po(path: Path) -> dict:
    """msgid (with context) -> (translation, fuzzy), from a .po file."""
    entries, current, field, fuzzy = {}, {}, None, False

    def flush():
        nonlocal current, fuzzy
        if "msgid" in current and current["msgid"]:
            key = current["msgid"] if "msgctxt" not in current else current["msgctxt"] + "\x04" + current["msgid"]
            entries[key] = (current.get("msgstr", current.get("msgstr[0]", "")), fuzzy)
        current, fuzzy = {}, False

    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#,") and "fuzzy" in line:
            flush()
            fuzzy = True
            continue
        if line.startswith("#~") or (line.startswith("#") and not current):
            continue
        match = re.match(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?) (".*")$', line)
        if match:
            if match.group(1) in ("msgctxt",) or (match.group(1) == "msgid" and "msgstr" in "".join(current)):
                flush()
            field = match.group(1)
            current[field] = ast.literal_eval(match.group(2))
        elif line.startswith('"') and field:
            current[field] += ast.literal_eval(line)
        elif not line.strip():
            flush()
    flush()
    return entries


class CatalogueTests(SimpleTestCase):
    def test_every_message_has_a_thai_translation(self):
        entries = read_po(LOCALE / "th" / "LC_MESSAGES" / "django.po")
        self.assertGreater(len(entries), 500)
        untranslated = [k for k, (text, _fuzzy) in entries.items() if not text]
        fuzzy = [k for k, (_text, is_fuzzy) in entries.items() if is_fuzzy]
        self.assertEqual(untranslated, [], "run `make messages` and translate the new strings")
        self.assertEqual(fuzzy, [])

    def test_compiled_catalogues_match_their_sources(self):
        for language in ("th", "en"):
            folder = LOCALE / language / "LC_MESSAGES"
            with open(folder / "django.mo", "rb") as handle:
                compiled = gettext.GNUTranslations(handle)._catalog
            for key, (text, _fuzzy) in read_po(folder / "django.po").items():
                if not text:
                    continue
                found = compiled.get(key, compiled.get((key, 0)))
                self.assertEqual(found, text, f"{language}: {key!r} is stale in django.mo; run `make messages`")
