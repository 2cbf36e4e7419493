"""One permission filter per model: `Model.objects.restrict(user, action)`.

Every view, API endpoint, admin page and export goes through it, so a rule is written once.
Actions are "view", "change", "delete" and model-specific ones such as "review".
"""

from django.db import models


class RestrictedQuerySet(models.QuerySet):
    """A queryset that knows which of its rows a user may see or act on."""

    def restrict(self, user, action: str = "view"):
        """Rows of this queryset that `user` may perform `action` on."""
        raise NotImplementedError(f"{self.model.__name__} must define restrict()")


def is_staff(user) -> bool:
    """League staff: run the programme and may do everything."""
    return bool(user and user.is_authenticated and user.is_active and user.is_staff)


def is_reviewer(user) -> bool:
    """Reviewers validate practices (and staff may too)."""
    return is_staff(user) or bool(
        user and user.is_authenticated and user.is_active and getattr(user, "is_reviewer", False)
    )


def editable_lgu_ids(user) -> set[int]:
    """The LGUs a user edits for, through their LGU memberships (cached per request user)."""
    if not (user and user.is_authenticated and user.is_active):
        return set()
    cached = getattr(user, "_editable_lgu_ids", None)
    if cached is None:
        cached = set(user.lgu_memberships.values_list("lgu_id", flat=True))
        user._editable_lgu_ids = cached
    return cached


def can(user, action: str, obj) -> bool:
    """Whether `user` may perform `action` on one object, by the model's own restrict()."""
    return type(obj)._default_manager.restrict(user, action).filter(pk=obj.pk).exists()
