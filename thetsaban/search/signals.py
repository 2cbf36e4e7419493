"""Keep the search index in step with the records (a true cross-app cascade).

Only the indexed models and the models written into their documents (see
`documents.dependents`) are connected; the work runs in the saving transaction.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

from thetsaban.search import services
from thetsaban.search.documents import dependents, kind_of, registry


def index_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        services.index_object(instance)


def unindex_deleted(sender, instance, **kwargs):
    services.remove_object(sender, instance.pk)


def index_dependents(sender, instance, raw=False, **kwargs):
    if not raw:
        services.index_dependents(instance)


def index_relations(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        services.index_object(instance)
    elif pk_set:
        # theme.practices.add(practice): the records on the other side changed.
        services.bulk_index(kind_of(model), sorted(pk_set))


def connect():
    """Connect the receivers to the models that matter (called once, from the app's ready())."""
    for model, _builder in registry().values():
        post_save.connect(index_saved, sender=model, dispatch_uid=f"search-index-{model._meta.label}")
        post_delete.connect(unindex_deleted, sender=model, dispatch_uid=f"search-unindex-{model._meta.label}")
        for field in model._meta.many_to_many:
            m2m_changed.connect(index_relations, sender=field.remote_field.through,
                                dispatch_uid=f"search-m2m-{model._meta.label}-{field.name}")
    for model in dependents():
        post_save.connect(index_dependents, sender=model, dispatch_uid=f"search-dependents-{model._meta.label}")
        post_delete.connect(index_dependents, sender=model,
                            dispatch_uid=f"search-dependents-deleted-{model._meta.label}")
