"""The name-word index behind the pickers: the beginnings of records' name words.

Kept apart from `thetsaban.pickers` (forms and API views) so that models can import it while
the app registry loads. See the pickers module for how a query uses it.
"""

import re
from functools import lru_cache

from django.db import models
from django.db.models import Lookup

from thetsaban import thai

# Longest stored name word; a longer typed word is looked up by its first WORD_LENGTH letters.
WORD_LENGTH = 100
# How many index entries are counted per typed word to choose the one that drives the query.
DRIVER_COUNT = 2000
_WORD_BREAKS = re.compile(r"[.\-/(),:;\[\]'\"]+")


class WordField(models.CharField):
    """A folded name word, looked up by its beginning through the `begins` lookup."""


@WordField.register_lookup
class Begins(Lookup):
    """`word__begins=text`: an index range scan on every database.

    SQLite compares text byte by byte (UTF-8 keeps code point order), so a range from the text
    to the text followed by the last code point is exactly "begins with"; PostgreSQL answers
    LIKE 'text%' from the field's pattern index (db_index adds one).
    """

    lookup_name = "begins"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"({lhs} >= %s AND {lhs} < %s)", [*lhs_params, self.rhs, self.rhs + "\U0010ffff"]

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} LIKE %s", [*lhs_params, connection.ops.prep_for_like_query(self.rhs) + "%"]


class NameWord(models.Model):
    """One beginning of a record's name words (a concrete model adds `owner`, the record)."""

    word = WordField(max_length=WORD_LENGTH, db_index=True)
    #: the word begins a word of the name as written (not only a dictionary word inside one)
    starts = models.BooleanField(default=True)

    class Meta:
        abstract = True


def owner_word_unique(name: str) -> models.UniqueConstraint:
    """One entry per (record, word), and the index that checks a typed word per candidate.

    On PostgreSQL the word column uses the pattern operator class, so that `word LIKE 'x%'`
    for one owner is an index range (owner_id = n AND word ~>=~ 'x' AND word ~<~ 'y') rather
    than a filter over the record's words or a scan of every record's entries for 'x'; other
    databases ignore the operator classes.
    """
    return models.UniqueConstraint(fields=["owner", "word"], name=name,
                                   opclasses=["int8_ops", "varchar_pattern_ops"])


def name_words(*texts, starts: bool = True) -> dict[str, bool]:
    """The words a name is found by: {folded word: begins a written word}."""
    found: dict[str, bool] = {}
    for text in texts:
        for written in thai.fold(text).split():
            for word, begins in _written_word(written, starts):
                found[word] = found.get(word, False) or begins
    return found


@lru_cache(maxsize=100_000)
def _written_word(written: str, starts: bool) -> tuple[tuple[str, bool], ...]:
    """The stored words of one folded written word (names repeat, so this is cached)."""
    found: dict[str, bool] = {}

    def add(word, begins):
        word = word.strip()[:WORD_LENGTH]
        if word:
            found[word] = found.get(word, False) or begins

    add(written, starts)
    add(written.replace(".", ""), starts)
    for piece in _WORD_BREAKS.split(written):
        add(piece, starts)
        position = 0
        for token in thai.tokens(piece):
            at = piece.find(token, position)
            if at < 0:
                continue
            add(piece[at:], False)
            inner = at
            for part in thai.parts(token):
                add(piece[inner:], False)
                inner += len(part)
            position = at + len(token)
    return tuple(found.items())
