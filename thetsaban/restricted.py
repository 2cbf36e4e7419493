"""The one view style for pages over records: generic list, detail and edit views whose queryset
is restricted in one place, so a page cannot forget `restrict(user, action)`.

A view names its `model` and the `action` the user needs ("view" for reading pages, "change"
for edit pages) and refines the restricted rows in `refine_queryset` (select_related, filters).
`get_queryset` is not overridden: it is where the restriction happens. Every other restricted
model a page reads (a related list, a Prefetch, a count) comes from `self.restricted(Model,
action)`, never from `Model.objects` directly.

A page that is not one list, one record or one record's form (a filtered list paged with its
facets, a queue, an export, a form that creates or changes a record and its parts, a workflow
step posted from a record's page) subclasses `RestrictedView`: a plain `View` with the same
`restricted()`, whose `get`/`post` find their records through it.
thetsaban/tests/test_view_style.py walks every page and fails when a list or detail view over a
restricted model does not use these bases, or a page reads a restricted model by hand.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.views.generic import DetailView, ListView, UpdateView, View

from thetsaban.permissions import is_staff


class RestrictedQuerysetMixin:
    """Rows of `model` the signed-in (or anonymous) user may do `action` on, refined by the view."""

    model = None
    action = "view"

    def restricted(self, model=None, action: str | None = None):
        """`model`'s rows (this view's model by default) the user may do `action` on: by default
        the view's `action` for its own model, and "view" for any other (the related lists an
        edit page shows are those the user may see)."""
        if model is None or model is self.model:
            return self.model._default_manager.restrict(self.request.user, action or self.action)
        return model._default_manager.restrict(self.request.user, action or "view")

    def refine_queryset(self, queryset):
        """The view's joins, prefetches and filters over the restricted rows."""
        return queryset

    def get_queryset(self):
        return self.refine_queryset(self.restricted())


class RestrictedListView(RestrictedQuerysetMixin, ListView):
    """A list of the records the user may see."""


class RestrictedDetailView(RestrictedQuerysetMixin, DetailView):
    """One record, or 404 when the user may not see it (its existence is not revealed)."""


class RestrictedUpdateView(RestrictedQuerysetMixin, UpdateView):
    """A form changing one record the user may change (404 otherwise)."""

    action = "change"


class RestrictedView(RestrictedQuerysetMixin, View):
    """Any other page over records: it reads them through `self.restricted(Model, action)` (its
    own `model` and `action` by default) and answers 404 for one the user may not see."""


def staff_only(refusal):
    """A decorator for league staff's pages: anonymous visitors are asked to sign in, signed-in
    people who are not staff are refused with `refusal` (a lazy translation)."""
    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not is_staff(request.user):
                raise PermissionDenied(str(refusal))
            return view(request, *args, **kwargs)
        return wrapper
    return decorator
