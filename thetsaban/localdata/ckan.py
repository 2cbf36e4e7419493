"""Datasets as CKAN sees them: package dicts with the GD-Catalog fields, and package_search.

Every search hit is the full package_show record (the CKAN harvester fetches nothing else).
`fq` understands what harvesters and portals send: `field:value`, `field:"quoted value"`,
`-field:value` (negation), `A OR B` within a field, and `metadata_modified:[X TO *]`.
"""

import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.db import connection
from django.db.models import Q
from django.utils.dateparse import parse_datetime

from thetsaban import thai
from thetsaban.directory.models import Organisation
from thetsaban.localdata.choices import GDC_CHOICES, GDC_MULTI, DatasetState
from thetsaban.localdata.models import Dataset, DatasetGroup, Resource, Tag

ROWS_DEFAULT = 10
ROWS_MAX = 1000
GDC_FIELDS = ("data_type", "maintainer", "maintainer_email", "objective", "update_frequency_unit",
              "update_frequency_interval", "geo_coverage", "data_source", "data_format", "data_category",
              "license_id", "accessible_condition", "data_language", "allow_harvest", "first_year_of_data",
              "last_year_of_data", "disaggregate", "unit_of_measure", "unit_of_multiplier", "calculation_method",
              "official_statistics")
FACETABLE = {"organization", "groups", "tags", "res_format", "data_type", "data_category", "license_id"}


class SearchQueryError(ValueError):
    """A q, fq or sort that cannot be understood (CKAN's "Search Query Error")."""


def iso(value) -> str | None:
    if value is None:
        return None
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds")


def organization_dict(org, *, package_count: int | None = None) -> dict:
    data = {"id": str(org.pk), "name": org.code or f"org-{org.pk}", "title": org.name_th,
            "display_name": org.name_th, "description": org.description, "type": "organization",
            "state": "active", "is_organization": True, "approval_status": "approved",
            "image_url": "", "created": None}
    if package_count is not None:
        data["package_count"] = package_count
    return data


def group_dict(group, *, package_count: int | None = None) -> dict:
    data = {"id": group.name, "name": group.name, "title": group.name_th, "display_name": group.name_th,
            "description": group.description, "type": "group", "state": "active", "is_organization": False,
            "approval_status": "approved", "image_url": "", "created": iso(group.created)}
    if package_count is not None:
        data["package_count"] = package_count
    return data


def resource_dict(resource: Resource, base_url: str) -> dict:
    from django.urls import reverse

    url = resource.url
    if resource.kind in ("extract_csv", "extract_json"):
        url = base_url + reverse("localdata:extract", args=[resource.dataset.name, resource.pk])
    elif resource.upload:
        url = base_url + reverse("localdata:resource_file", args=[resource.dataset.name, resource.pk])
    data = {"id": str(resource.pk), "package_id": str(resource.dataset.ckan_id), "name": resource.name,
            "description": resource.description, "format": resource.format, "url": url,
            "url_type": "upload" if resource.upload else None, "position": resource.position,
            "created": iso(resource.created), "last_modified": iso(resource.last_modified),
            "state": "active", "resource_type": resource.kind}
    data.update({k: v for k, v in resource.extras.items() if k not in data})
    return data


def package_dict(dataset: Dataset, base_url: str, *, quality: dict | None = None) -> dict:
    """The package_show record: CKAN's core keys plus the GD-Catalog fields at the top level."""
    from thetsaban.localdata.quality import score

    org = dataset.owner_org
    related = getattr(dataset, "ckan_related", None)
    if related is None:
        related = Related(tags=[t.name for t in dataset.tags.all()],
                          groups=[(g.name, g.name_th) for g in dataset.groups.all()],
                          resources=list(dataset.resources.all()))
    tags = sorted(related.tags)
    resources = [resource_dict(r, base_url) for r in related.resources]
    data = {
        "id": str(dataset.ckan_id), "name": dataset.name, "title": dataset.title, "notes": dataset.notes,
        "type": "dataset", "state": dataset.state, "private": dataset.private, "url": dataset.url,
        "version": dataset.version, "owner_org": str(org.pk), "organization": organization_dict(org),
        "author": "", "author_email": "",
        "license_title": dataset.license_id,
        "metadata_created": iso(dataset.metadata_created), "metadata_modified": iso(dataset.metadata_modified),
        "tags": [{"name": t, "display_name": t, "state": "active"} for t in tags],
        "tag_string": ",".join(tags),
        "groups": [{"id": name, "name": name, "title": title, "display_name": title}
                   for name, title in related.groups],
        "resources": resources, "num_resources": len(resources), "num_tags": len(tags),
        "extras": [{"key": k, "value": v if isinstance(v, str) else str(v)} for k, v in sorted(dataset.extras.items())],
        "relationships_as_object": [], "relationships_as_subject": [], "isopen": dataset.license_id.startswith(
            ("Creative Commons Attribution", "Open Data Common", "GNU")),
    }
    for name in GDC_FIELDS:
        value = getattr(dataset, name)
        if isinstance(value, bool):
            value = "True" if value else "False"
        data[name] = value
    data["quality"] = quality if quality is not None else score(dataset, resources=related.resources)
    return data


@dataclass
class Related:
    """What package_dict reads of a dataset's tags, groups (name, title) and resources."""

    tags: list = field(default_factory=list)
    groups: list = field(default_factory=list)
    resources: list = field(default_factory=list)


def attach_related(datasets) -> None:
    """Give each dataset its Related (as `ckan_related`) in one query per kind: plain rows for tags
    and groups, resources with their dataset set. Prefetching builds a related manager and
    copies a queryset for each dataset and each time it is read, which cost more than the
    queries themselves on a page of search results."""
    by_pk = {dataset.pk: dataset for dataset in datasets}
    for dataset in datasets:
        dataset.ckan_related = Related()
    if not by_pk:
        return
    tags = Dataset.tags.through.objects.filter(dataset_id__in=by_pk).values_list("dataset_id", "tag__name")
    for dataset_id, name in tags:
        by_pk[dataset_id].ckan_related.tags.append(name)
    groups = (Dataset.groups.through.objects.filter(dataset_id__in=by_pk).order_by("datasetgroup__name")
              .values_list("dataset_id", "datasetgroup__name", "datasetgroup__name_th"))
    for dataset_id, name, title in groups:
        by_pk[dataset_id].ckan_related.groups.append((name, title))
    for resource in Resource.objects.filter(dataset_id__in=by_pk).order_by("position", "created"):
        dataset = by_pk[resource.dataset_id]
        resource.dataset = dataset
        dataset.ckan_related.resources.append(resource)


def search_text(dataset: Dataset, tags=()) -> str:
    return " ".join(thai.fold(p) for p in (dataset.name, dataset.title, dataset.notes, dataset.data_source,
                                            " ".join(tags), dataset.owner_org.name_th) if p)


# -- package_search ----------------------------------------------------------------------------

_RANGE = re.compile(r"\[\s*(\S+)\s+TO\s+(\S+)\s*\]", re.I)
_TERM = re.compile(r'(-?)([A-Za-z_.]+):("(?:[^"\\]|\\.)*"|\[[^\]]*\]|\([^)]*\)|\S+)')


def _field_query(field_name: str, value: str) -> Q:
    value = value.strip()
    if value.startswith("(") and value.endswith(")"):
        parts = [p for p in re.split(r"\s+OR\s+", value[1:-1].strip()) if p]
        query = Q(pk__in=[])
        for part in parts:
            query |= _field_query(field_name, part)
        return query
    if value.startswith('"') and value.endswith('"') and len(value) >= 2:
        value = value[1:-1].replace('\\"', '"')
    if field_name in ("organization", "owner_org"):
        # An organisation's name (its code), its id, or the `org-<id>` name of one without a code.
        query = Q(owner_org__code=value)
        if value.isdigit():
            query |= Q(owner_org_id=value)
        elif value.startswith("org-") and value[4:].isdigit():
            query |= Q(owner_org_id=value[4:])
        return query
    # Many-valued fields filter through a subquery rather than a join, so that a dataset matches
    # once (no DISTINCT over whole rows) and `groups:a groups:b` means in both groups, as in Solr.
    if field_name == "groups":
        return Q(pk__in=Dataset.groups.through.objects.filter(datasetgroup__name=value).values("dataset_id"))
    if field_name == "tags":
        return Q(pk__in=Dataset.tags.through.objects.filter(tag__name=value).values("dataset_id"))
    if field_name == "res_format":
        return Q(pk__in=Resource.objects.filter(format__iexact=value).values("dataset_id"))
    if field_name in ("name", "id"):
        if field_name == "id":
            try:
                return Q(ckan_id=uuid.UUID(value))
            except ValueError:
                return Q(pk__in=[])
        return Q(name=value)
    if field_name in ("metadata_modified", "metadata_created"):
        match = _RANGE.fullmatch(value)
        if not match:
            raise SearchQueryError(f"Cannot read {field_name}:{value}; use [2026-01-01T00:00:00Z TO *]")
        query = Q()
        for bound, lookup in ((match[1], "gte"), (match[2], "lte")):
            if bound != "*":
                moment = _moment(bound)
                query &= Q(**{f"{field_name}__{lookup}": moment})
        return query
    if field_name in ("data_type", "data_category", "license_id", "geo_coverage", "update_frequency_unit",
                      "state"):
        return Q(**{field_name: value})
    if field_name in GDC_MULTI:
        return Q(**{f"{field_name}__icontains": value})
    if field_name in ("text", "title", "notes"):
        return Q(search_text__contains=thai.fold(value.strip("*")))
    raise SearchQueryError(f"Unknown field in fq: {field_name}")


def _moment(text: str) -> datetime:
    text = text.strip()
    if text.upper().startswith("NOW"):
        return datetime.now(UTC)
    value = parse_datetime(text.replace("Z", "+00:00")) if "T" in text else None
    if value is None:
        try:
            value = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise SearchQueryError(f"Cannot read the date {text}") from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


def parse_fq(fq: str) -> Q:
    """A Solr-style filter query as a Q: terms are ANDed, `-` negates, `OR` joins neighbours."""
    query = Q()
    text = (fq or "").strip()
    if not text:
        return query
    pending_or = None
    position = 0
    tokens = []
    while position < len(text):
        if text[position].isspace():
            position += 1
            continue
        if text.startswith("OR ", position) or text.startswith("AND ", position):
            tokens.append(text[position:text.index(" ", position)])
            position = text.index(" ", position) + 1
            continue
        if text.startswith("+", position):
            position += 1
            continue
        match = _TERM.match(text, position)
        if not match:
            raise SearchQueryError(f"Cannot read the filter query near: {text[position:position + 40]}")
        term = _field_query(match[2], match[3])
        tokens.append(~term if match[1] else term)
        position = match.end()
    for token in tokens:
        if token == "AND":
            continue
        if token == "OR":
            pending_or = True
            continue
        if pending_or and tokens:
            query = _or_last(query, token)
            pending_or = None
        else:
            query &= token
    return query


def _or_last(query: Q, term: Q) -> Q:
    """Join `term` to the last AND-ed term with OR (Solr's default operator is AND between terms)."""
    if query.connector == Q.AND and len(query.children) > 1:
        *rest, last = query.children
        combined = Q(*rest) if rest else Q()
        last_q = last if isinstance(last, Q) else Q(last)
        return combined & (last_q | term)
    return query | term


_SORTS = {"id": "ckan_id", "name": "name", "title_string": "title", "title": "title",
          "metadata_modified": "metadata_modified", "metadata_created": "metadata_created"}


def parse_sort(sort: str) -> list[str]:
    order = []
    for part in (sort or "").split(","):
        words = part.split()
        if not words:
            continue
        if words[0] == "score":
            continue  # relevance: ties broken by the next keys
        if words[0] not in _SORTS or (len(words) > 1 and words[1].lower() not in ("asc", "desc")):
            raise SearchQueryError(f"Cannot sort by {part.strip()}")
        prefix = "-" if len(words) > 1 and words[1].lower() == "desc" else ""
        order.append(prefix + _SORTS[words[0]])
    if not order:
        order = ["-metadata_modified"]
    if not {"pk", "-pk", "ckan_id", "-ckan_id"} & set(order):
        order.append("pk")  # a stable order, so that start really pages
    return order


def search(queryset, *, q="", fq="", sort="", rows=ROWS_DEFAULT, start=0, facet_fields=(), include_deleted=False,
           facet_limit=50):
    """(count, datasets of the page, facets) of a package_search over `queryset` (already restricted).

    A constant number of queries whatever the page size: the page (its ids sorted and sliced in a
    subquery, so that only `rows` whole rows are read), one each for its tags, groups and
    resources, and one for the count and every facet asked for together (or the count alone,
    unless the page shows it)."""
    if not include_deleted:
        queryset = queryset.filter(state=DatasetState.ACTIVE)
    q = (q or "").strip()
    if q and q not in ("*:*", "*"):
        if _TERM.search(q):
            queryset = queryset.filter(parse_fq(q))
        else:
            for word in thai.fold(q).split():
                queryset = queryset.filter(search_text__contains=word.strip("*"))
    if fq:
        queryset = queryset.filter(parse_fq(fq))
    order = parse_sort(sort)
    page = []
    if rows:
        ids = queryset.order_by(*order).values("pk")[start:start + rows]
        page = list(Dataset.objects.filter(pk__in=ids).order_by(*order).select_related("owner_org"))
        attach_related(page)
    names = [name for name in dict.fromkeys(facet_fields) if name in FACETABLE]
    if names:
        facets, count = _facets(names, queryset, facet_limit)  # the count comes with them
    elif rows and len(page) < rows and (page or not start):
        facets, count = {}, start + len(page)  # the last page: the count is known without counting
    else:
        facets, count = {}, queryset.count()
    return count, page, facets


# Facets counted by key: (the table linking a dataset to the key, or None for the dataset's own
# column; that column; the model the key names; the field the facet shows).
_FACETS_BY_KEY = {"groups": (Dataset.groups.through, "datasetgroup_id", DatasetGroup, "name"),
                  "tags": (Dataset.tags.through, "tag_id", Tag, "name"),
                  "organization": (None, "owner_org_id", Organisation, "code")}
_PLAIN_FACETS = ("data_type", "data_category", "license_id")


def _facets(names, matched, limit) -> tuple[dict, int]:
    """({facet: {value: number of matched datasets}, the most frequent first}, the number of
    matched datasets), all in one statement.

    The matched datasets are read once into a materialised table; each facet is counted from it
    by key (the group, tag or organisation id), and only the few keys are then named, so no
    dataset row is joined to a name."""
    quote = connection.ops.quote_name
    plain = [name for name in _PLAIN_FACETS if name in names]
    columns = ["pk", "owner_org", *plain]
    sql, params = matched.order_by().values(*columns).query.sql_with_params()
    parts = [f"WITH m(id, owner_org_id{''.join(', ' + quote(n) for n in plain)}) AS MATERIALIZED ({sql})",
             "SELECT '', '', COUNT(*) FROM m"]
    for name in names:
        if name in _FACETS_BY_KEY:
            link, key, model, label = _FACETS_BY_KEY[name]
            counted = ("SELECT owner_org_id AS k, COUNT(*) AS n FROM m WHERE owner_org_id IS NOT NULL GROUP BY owner_org_id"
                       if link is None else
                       f"SELECT t.{quote(key)} AS k, COUNT(*) AS n FROM m JOIN {quote(link._meta.db_table)} t"
                       f" ON t.{quote('dataset_id')} = m.id GROUP BY t.{quote(key)}")
            parts.append(f"SELECT '{name}', named.{quote(label)}, c.n FROM ({counted}) c"
                         f" JOIN {quote(model._meta.db_table)} named ON named.{quote(model._meta.pk.column)} = c.k")
        elif name == "res_format":
            parts.append(f"SELECT 'res_format', r.{quote('format')}, COUNT(DISTINCT r.{quote('dataset_id')})"
                         f" FROM {quote(Resource._meta.db_table)} r WHERE r.{quote('dataset_id')} IN (SELECT id FROM m)"
                         f" GROUP BY r.{quote('format')}")
        else:
            parts.append(f"SELECT '{name}', {quote(name)}, COUNT(*) FROM m GROUP BY {quote(name)}")
    with connection.cursor() as cursor:
        cursor.execute(parts[0] + " " + " UNION ALL ".join(parts[1:]), params)
        rows = cursor.fetchall()
    total, counts = 0, {name: [] for name in names}
    for name, value, n in rows:
        if not name:
            total = n
        elif value not in ("", None):
            counts[name].append((value, n))
    return {name: dict(sorted(found, key=lambda row: (-row[1], row[0]))[:limit])
            for name, found in counts.items()}, total


def search_facets(facets: dict) -> dict:
    return {name: {"title": name, "items": [{"name": k, "display_name": k, "count": n} for k, n in values.items()]}
            for name, values in facets.items()}


def validate_gdc(data: dict) -> dict:
    """Errors (field -> [messages]) for GD-Catalog values outside the allowed lists."""
    errors = {}
    for name, allowed in GDC_CHOICES.items():
        if name not in data or data[name] in (None, ""):
            continue
        values = data[name] if isinstance(data[name], list) else [data[name]]
        if name not in GDC_MULTI and isinstance(data[name], list):
            errors[name] = ["A single value is expected"]
            continue
        wrong = [v for v in values if v not in allowed]
        if wrong:
            errors[name] = [f"Value must be one of: {', '.join(allowed)} (got {', '.join(map(str, wrong))})"]
    return errors


def all_groups():
    return DatasetGroup.objects.all()
