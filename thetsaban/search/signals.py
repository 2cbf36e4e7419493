"""Keep the search index in step with the records (a true cross-app cascade)."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from thetsaban.search import services
from thetsaban.search.documents import kind_of


@receiver(post_save)
def index_saved(sender, instance, raw=False, **kwargs):
    if raw or kind_of(sender) is None:
        return
    services.index_object(instance)
    from thetsaban.places.models import Lgu

    if sender is Lgu:
        # A practice is found by its LGU's name too.
        for practice in instance.practices.all():
            services.index_object(practice)


@receiver(post_delete)
def unindex_deleted(sender, instance, **kwargs):
    if kind_of(sender) is not None:
        services.remove_object(sender, instance.pk)


@receiver(m2m_changed)
def index_relations(sender, instance, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear") and kind_of(type(instance)):
        services.index_object(instance)
