"""The one registry of records people may take part on, and how to find one a user may see.

A target type is the model's lower-case name ("practice", "transferproject", "recommendation",
"proposal"), the same word the API and the URLs use.
"""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _

from thetsaban.hooks import ParticipationTarget, participation_targets

# Each app declares the records people may take part on in its AppConfig (thetsaban/hooks.py).
Target = ParticipationTarget

ALLOWED_TARGETS: dict[str, Target] = participation_targets()

# Members' own content, which anyone signed in may flag and moderators hide or restore.
MODERATED_CONTENT = {"comment": "participation.Comment", "proposal": "participation.Proposal"}

# The same words as choices, for the API, the filters and the OpenAPI enum names.
TARGET_TYPE_CHOICES = [(key, key) for key in ALLOWED_TARGETS]
CONTENT_TYPE_CHOICES = [(key, key) for key in MODERATED_CONTENT]


def type_of(obj) -> str:
    """The target type word of a record ("practice", …)."""
    return obj._meta.model_name


def target_for(obj) -> Target | None:
    """The registry entry of a record, or None when people cannot take part on it."""
    entry = ALLOWED_TARGETS.get(type_of(obj))
    if entry is None or entry.model_label.lower() != obj._meta.label_lower:
        return None
    return entry


class UnknownTarget(LookupError):
    """A target type or id that does not name a record the user may see."""


def find(target_type: str, target_id, user, *, registry=None):
    """The record of this type and id that `user` may see, or UnknownTarget."""
    registry = ALLOWED_TARGETS if registry is None else registry
    entry = registry.get(str(target_type or ""))
    if entry is None:
        raise UnknownTarget(_("Unknown target type %(type)s; use one of %(types)s.") % {
            "type": target_type, "types": ", ".join(sorted(registry))})
    try:
        pk = int(target_id)
    except (TypeError, ValueError):
        raise UnknownTarget(_("The target id must be a whole number.")) from None
    model = entry.model if isinstance(entry, Target) else apps.get_model(entry)
    queryset = entry.visible(user) if isinstance(entry, Target) else model._default_manager.restrict(user, "view")
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise UnknownTarget(_("There is no %(type)s %(id)s that you can see.") % {
            "type": target_type, "id": pk})
    return obj


def content_type_of(obj) -> ContentType:
    """The content type of a record (cached by Django)."""
    return ContentType.objects.get_for_model(obj)


def rows_for(model, obj):
    """The rows of a targeted model (comments, endorsements …) attached to `obj`."""
    return model._default_manager.filter(content_type=content_type_of(obj), object_id=obj.pk)
