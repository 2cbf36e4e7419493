"""The indexed kinds of record, read from the apps' declarations, and helpers for their documents.

Each app declares its kinds in its own `search.py` (`INDEXES`, a list of `hooks.SearchIndex`),
named by its AppConfig; this module only walks them, and names no app.
"""

from functools import cache

from thetsaban import hooks


def join(*parts) -> str:
    """The non-empty parts of a document's body, one per line."""
    return "\n".join(str(p) for p in parts if p)


def is_public(record) -> bool:
    """Whether an anonymous visitor may see `record` (the model's own restrict() rule)."""
    from django.contrib.auth.models import AnonymousUser  # needs the auth app's models loaded

    return type(record)._default_manager.restrict(AnonymousUser(), "view").filter(pk=record.pk).exists()


@cache
def indexes() -> dict:
    """Indexed kinds: kind -> SearchIndex, by their stored number."""
    return {index.kind: index for index in hooks.search_indexes()}


def kind_choices() -> list[tuple]:
    """(kind, label) of every indexed kind, for forms, filters and the API."""
    return [(kind, index.label) for kind, index in indexes().items()]


def registry() -> dict:
    """Indexed models: kind -> (model, builder)."""
    return {kind: (index.model, index.build) for kind, index in indexes().items()}


def kind_of(model) -> str | None:
    for kind, index in indexes().items():
        if model is index.model:
            return kind
    return None


def dependents() -> dict:
    """Models whose rows are written into other records' documents.

    model -> function(instance) -> {kind: queryset of records to re-index}. Saving or
    deleting such a row (a rename, an edited step) re-indexes those records.
    """
    from django.apps import apps

    found: dict = {}
    for kind, index in indexes().items():
        for label, records in index.dependents.items():
            found.setdefault(apps.get_model(label), []).append((kind, records))

    def collect(entries):
        return lambda instance: {kind: records(instance) for kind, records in entries}

    return {model: collect(entries) for model, entries in found.items()}
