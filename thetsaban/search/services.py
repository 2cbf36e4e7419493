"""Keeping the search index current, and querying it."""

import functools
import html
import re
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, connections, router, transaction
from django.db.models import BooleanField, F, FloatField, Q
from django.db.models.expressions import RawSQL

from thetsaban import thai
from thetsaban.jobs import services as jobs
from thetsaban.search.backends import backend
from thetsaban.search.documents import dependents, indexes, kind_of, registry
from thetsaban.search.models import Abbreviation, SearchDocument

MAX_QUERY_CHARS = 200
MAX_TERMS = 12


def index_tokens(content: dict) -> tuple[list[str], list[str]]:
    """The title and body tokens of a document: Thai and English fields both."""
    title_tokens = thai.index_tokens(content["title"]) + thai.index_tokens(content.get("title_en", ""))
    return title_tokens, thai.index_tokens(content.get("body", ""))


@transaction.atomic
def index_object(obj) -> SearchDocument | None:
    """Write (or remove) one record's entry, in the caller's transaction."""
    kind = kind_of(type(obj))
    if kind is None:
        return None
    _model, builder = registry()[kind]
    content = builder(obj)
    if content is None:
        remove_object(type(obj), obj.pk)
        return None
    document, _created = SearchDocument.objects.update_or_create(
        kind=kind, object_id=obj.pk,
        defaults={
            "title": content["title"][:300],
            "title_en": content.get("title_en", "")[:300],
            "body": content.get("body", ""),
            "url": content["url"],
        },
    )
    title_tokens, body_tokens = index_tokens(content)
    with connection.cursor() as cursor:
        backend().write(cursor, document.pk, kind, title_tokens, body_tokens)
    return document


@transaction.atomic
def remove_object(model, pk) -> None:
    """Take a record out of the index."""
    kind = kind_of(model)
    document = SearchDocument.objects.filter(kind=kind, object_id=pk).first()
    if document is None:
        return
    with connection.cursor() as cursor:
        backend().delete(cursor, document.pk, document.kind)
    document.delete()


def index_dependents(instance) -> None:
    """Re-index the records whose documents carry `instance` (a renamed theme, an edited step).

    More than SEARCH_REINDEX_INLINE_MAX records (a renamed province, a theme of thousands of
    practices) are re-indexed by a background job, queued in the saving transaction."""
    for kind, queryset in dependents()[type(instance)](instance).items():
        pks = list(queryset.order_by().values_list("pk", flat=True))
        if len(pks) > settings.SEARCH_REINDEX_INLINE_MAX:
            jobs.start("search.reindex", kind=kind, pks=pks)
        elif pks:
            bulk_index(kind, pks)


def _prefetched(kind, pks):
    index = indexes()[kind]
    queryset = index.model._default_manager.filter(pk__in=pks)
    if index.select_related:
        queryset = queryset.select_related(*index.select_related)
    if index.prefetch_related:
        queryset = queryset.prefetch_related(*index.prefetch_related)
    return queryset


def _tokenize(content: dict) -> tuple[list[str], list[str]]:
    return index_tokens(content)


def _tokenizer_pool(size: int):
    """Worker processes for segmenting large batches (segmentation is the costly part)."""
    import multiprocessing
    import os

    workers = min(os.cpu_count() or 1, 8)
    if size < PARALLEL_FROM or workers < 2:
        return None
    thai.tokens("ทดสอบ")  # load the dictionary once, before the workers fork
    return multiprocessing.get_context("fork").Pool(workers)


PARALLEL_FROM = 5000


@transaction.atomic
def bulk_index(kind: str, objects, batch_size: int = 1000, progress=None) -> int:
    """Index many records of one kind at once (imports, generated data); returns bytes of text indexed."""
    pks = [getattr(o, "pk", o) for o in objects]
    _model, builder = registry()[kind]
    engine = backend()
    indexed_bytes = 0
    pool = _tokenizer_pool(len(pks))
    try:
        for start in range(0, len(pks), batch_size):
            chunk = pks[start:start + batch_size]
            stale = list(SearchDocument.objects.filter(kind=kind, object_id__in=chunk)
                         .values_list("pk", flat=True))
            if stale:
                with connection.cursor() as cursor:
                    for pk in stale:
                        engine.delete(cursor, pk, kind)
                SearchDocument.objects.filter(pk__in=stale).delete()
            contents, documents = [], []
            for obj in _prefetched(kind, chunk):
                content = builder(obj)
                if content is None:
                    continue
                contents.append(content)
                documents.append(SearchDocument(
                    kind=kind, object_id=obj.pk, title=content["title"][:300],
                    title_en=content.get("title_en", "")[:300], body=content.get("body", ""),
                    url=content["url"],
                ))
            documents = SearchDocument.objects.bulk_create(documents)
            token_lists = (pool.map(_tokenize, contents, chunksize=25) if pool
                           else [_tokenize(c) for c in contents])
            rows = [(document.pk, kind, title, body)
                    for document, (title, body) in zip(documents, token_lists, strict=True)]
            with connection.cursor() as cursor:
                engine.write_many(cursor, rows)
            indexed_bytes += sum(
                len((c["title"] + c.get("title_en", "") + c.get("body", "")).encode()) for c in contents
            )
            if progress:
                progress(len(chunk))
    finally:
        if pool:
            pool.close()
            pool.join()
    return indexed_bytes


def rebuild(kinds=None, progress=None) -> int:
    """Rebuild the index (or some kinds) from the records; returns bytes of text indexed."""
    indexed = 0
    for kind, (model, _builder) in registry().items():
        if kinds and kind not in kinds:
            continue
        with transaction.atomic():
            with connection.cursor() as cursor:
                backend().delete_kind(cursor, kind)
            SearchDocument.objects.filter(kind=kind).delete()
            pks = list(model._default_manager.order_by("pk").values_list("pk", flat=True))
            indexed += bulk_index(kind, pks, progress=progress)
    with connection.cursor() as cursor:
        backend().optimize(cursor)
    return indexed


@dataclass
class Drift:
    kind: str
    missing: int  # records that should be found but have no document
    stale: int  # documents whose text no longer matches their record
    extra: int  # documents of records that are gone or no longer public


def drift(kinds=None, batch_size: int = 1000) -> list[Drift]:
    """Compare every record with its index entry, per kind (for `rebuild_search_index --check`)."""
    report = []
    for kind, (model, builder) in registry().items():
        if kinds and kind not in kinds:
            continue
        documents = {row[0]: row[1:] for row in SearchDocument.objects.filter(kind=kind).values_list(
            "object_id", "title", "title_en", "body", "url")}
        with connection.cursor() as cursor:
            indexed = backend().indexed_count(cursor, kind)
        missing = stale = 0
        wanted = set()
        pks = list(model._default_manager.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(pks), batch_size):
            for obj in _prefetched(kind, pks[start:start + batch_size]):
                content = builder(obj)
                if content is None:
                    continue
                wanted.add(obj.pk)
                expected = (content["title"][:300], content.get("title_en", "")[:300],
                            content.get("body", ""), content["url"])
                if obj.pk not in documents:
                    missing += 1
                elif documents[obj.pk] != expected:
                    stale += 1
        extra = len(set(documents) - wanted) + abs(indexed - len(documents))
        report.append(Drift(kind, missing, stale, extra))
    return report


# -- querying ---------------------------------------------------------------------------------


def abbreviation_groups() -> list[list[list[str]]]:
    """Each group of equivalent forms as token lists, longest forms first.

    The table is read on every query (one small read, so an edit counts at once in every
    process); only the segmenting of its forms, the costly part, is remembered.
    """
    return _abbreviation_groups(tuple(Abbreviation.objects.order_by("pk").values_list("forms", flat=True)))


@functools.lru_cache(maxsize=4)
def _abbreviation_groups(table: tuple[str, ...]) -> list[list[list[str]]]:
    groups = []
    for text in table:
        forms = []
        for form in Abbreviation(forms=text).form_list:
            tokens = thai.tokens(form)
            if tokens and tokens not in forms:
                forms.append(tokens)
        if len(forms) > 1:
            groups.append(sorted(forms, key=len, reverse=True))
    return groups


def parse_query(text: str) -> list[list[list[str]]]:
    """Turn a query into terms; each term lists alternative phrases (abbreviations expanded)."""
    tokens = thai.tokens((text or "")[:MAX_QUERY_CHARS])
    groups = abbreviation_groups() if tokens else []
    terms: list[list[list[str]]] = []
    i = 0
    while i < len(tokens) and len(terms) < MAX_TERMS:
        best = None
        for group in groups:
            for form in group:
                if tokens[i:i + len(form)] == form and (best is None or len(form) > len(best[1])):
                    best = (group, form)
        if best:
            terms.append(best[0])
            i += len(best[1])
        else:
            # Documents carry the parts of their compounds, so a part finds the compound; a
            # compound also finds its parts written apart ("ขยะมูลฝอย" finds "ขยะ มูลฝอย").
            pieces = list(thai.parts(tokens[i]))
            terms.append([[tokens[i]], pieces] if len(pieces) > 1 else [[tokens[i]]])
            i += 1
    return terms


@dataclass
class Result:
    kind: str
    object_id: int
    title: str
    title_en: str
    url: str
    snippet: str
    score: float


def search(text: str, kinds: list[str] | None = None, limit: int = 20, offset: int = 0):
    """Ranked public records matching `text`; returns (total, results).

    One read statement, outside any transaction: on SQLite a write transaction elsewhere
    never makes a search wait (WAL readers see the last committed state).
    """
    query = parse_query(text)
    if not query:
        return 0, []
    # A read replica when there is one (the tsvector table is replicated like any other).
    with connections[router.db_for_read(SearchDocument)].cursor() as cursor:
        total, hits = backend().search(cursor, query, kinds, limit, offset)
    documents = SearchDocument.objects.in_bulk([h.document_id for h in hits])
    words = query_words(query)
    results = []
    for hit in hits:
        document = documents.get(hit.document_id)
        if document is None:
            continue
        results.append(Result(
            kind=document.kind, object_id=document.object_id, title=document.title,
            title_en=document.title_en, url=document.url,
            snippet=snippet(document.body, words), score=hit.rank,
        ))
    return total, results


def query_words(query) -> list[str]:
    return sorted({t for term in query for phrase in term for t in phrase}, key=len, reverse=True)


def ranked(queryset, text: str):
    """`queryset` narrowed to the records matching `text` and ordered by the search ranking.

    The match, the other filters, the count and the page are one database query, ranked over
    every match (see `thetsaban.search.backends`); returns None when `text` has no words.
    Records of the queryset that are not indexed (drafts) can be OR-ed in by the caller with
    `matching()`; they sort after every indexed match.
    """
    ranking = _ranking(queryset, text)
    if ranking is None:
        return None
    return order_by_rank(queryset.filter(pk__in=RawSQL(*ranking.matches)), text)


def matching(queryset, text: str):
    """A Q object: the records of `queryset`'s model whose index entry matches `text` (or None)."""
    ranking = _ranking(queryset, text)
    return None if ranking is None else Q(pk__in=RawSQL(*ranking.matches))


def order_by_rank(queryset, text: str):
    """Order `queryset` by the search ranking of `text`; unmatched records last, then by id."""
    ranking = _ranking(queryset, text)
    if ranking is None:
        return queryset
    return queryset.annotate(
        search_in_title=RawSQL(*ranking.in_title, output_field=BooleanField()),
        search_score=RawSQL(*ranking.score, output_field=FloatField()),
    ).order_by(F("search_in_title").desc(nulls_last=True), F("search_score").desc(nulls_last=True), "pk")


def _ranking(queryset, text: str):
    kind = kind_of(queryset.model)
    query = parse_query(text)
    if kind is None or not query:
        return None
    model = queryset.model
    pk_column = f"{connection.ops.quote_name(model._meta.db_table)}.{connection.ops.quote_name(model._meta.pk.column)}"
    return backend().ranking(query, kind, pk_column)


def snippet(body: str, words: list[str], width: int = 160) -> str:
    """A window of the text around the first match, HTML-escaped, with matches in <mark>.

    Matches are found in the plain text and each piece is escaped on its own, so a mark can
    never fall inside an entity such as `&amp;`.
    """
    if not body:
        return ""
    # Thai digits are searched as Arabic ones; the translation keeps every position.
    plain = body.translate(THAI_DIGITS)
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE) if words else None
    found = pattern.search(plain) if pattern else None
    first = found.start() if found else 0
    start = max(0, first - width // 3)
    end = min(len(body), start + width)
    window, plain_window = body[start:end].replace("\n", " "), plain[start:end]
    pieces, at = [], 0
    for match in (pattern.finditer(plain_window) if pattern else ()):
        pieces.append(html.escape(window[at:match.start()]))
        pieces.append("<mark>" + html.escape(window[match.start():match.end()]) + "</mark>")
        at = match.end()
    pieces.append(html.escape(window[at:]))
    return ("…" if start > 0 else "") + "".join(pieces) + ("…" if end < len(body) else "")


THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
