"""One view style: every page reads restricted records through `restrict(user, action)`.

The test walks every URL pattern. A generic list or detail view over a restricted model must
use the bases in thetsaban/restricted.py (which restrict the queryset in one place) and not
replace their get_queryset; and no module of pages may read a restricted model by hand
(`Model.objects.filter(...)`, `get_object_or_404(Model, ...)`) except in the few places listed
below, each with its reason, or marked on the line itself with a `# read by hand: <reason>`
comment (so that a new app declares its own exceptions in its own folder). Nor does a page call
`Model.objects.restrict(...)` itself: it reads through the bases' `self.restricted(Model,
action)`, so the restriction happens in one place (the modules still to be converted are listed
below). A new view that forgets the restriction fails here.
"""

import inspect
import re
import sys

from django.apps import apps
from django.test import SimpleTestCase
from django.urls import URLPattern, URLResolver, get_resolver
from django.views.generic.detail import SingleObjectMixin
from django.views.generic.list import MultipleObjectMixin

from thetsaban.permissions import RestrictedQuerySet
from thetsaban.restricted import RestrictedQuerysetMixin

# (module, the exact code) -> why reading the rows without restrict() is right there.
READ_BY_HAND = {
    ("thetsaban.coaching.views", "Coach.objects.filter(person_id=user.person_id)"):
        "the member's own coach record not yet linked to their account, found by their directory "
        "entry (restrict() knows a member's own coach record by the account only)",
    ("thetsaban.directory.views", "Organisation.objects.filter(lgu__isnull=False)"):
        "only as a list of LGU ids, narrowing the restricted LGU choices",
    ("thetsaban.directory.views", "Organisation.objects.get(pk=pk)"):
        "a fresh copy of a row just found through restrict(user, 'change'), for the service",
    ("thetsaban.directory.views", "Post.objects.get(pk=post.pk)"):
        "a fresh copy of a row just found through restrict(user, 'change'), for the service",
    ("thetsaban.directory.views", "ContactDetail.objects.get(pk=instance.pk)"):
        "a fresh copy of a row of a post found through restrict(user, 'change')",
}

# Page modules whose views still call Model.objects.restrict(user, action) themselves instead of
# self.restricted(): they restrict every read, but in each view rather than in one place.
RESTRICT_BY_HAND: dict[str, str] = {}

READ = re.compile(r"\b(?P<model>[A-Z]\w*)\.(?:objects|_default_manager)\.(?P<method>\w+)\(")
MARK = re.compile(r"#\s*read by hand:(?P<why>.*)$")
GET_OR_404 = re.compile(r"get_object_or_404\((?P<model>[A-Z]\w*)\b\s*,")


def restricted_models() -> dict:
    return {model.__name__: model for model in apps.get_models()
            if isinstance(model._default_manager.all(), RestrictedQuerySet)}


def views():
    """(route, view function) of every page, the API's included."""
    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern), pattern.callback
    yield from walk(get_resolver().url_patterns)


def view_model(view_class):
    if getattr(view_class, "model", None) is not None:
        return view_class.model
    queryset = getattr(view_class, "queryset", None)
    return queryset.model if queryset is not None else None


class ViewStyleTests(SimpleTestCase):
    def test_generic_list_and_detail_views_over_restricted_models_restrict_in_one_place(self):
        restricted = set(restricted_models().values())
        checked = 0
        for route, callback in views():
            view_class = getattr(callback, "view_class", None)
            if view_class is None or not view_class.__module__.startswith("thetsaban."):
                continue
            if not issubclass(view_class, SingleObjectMixin | MultipleObjectMixin):
                continue
            with self.subTest(route=route, view=view_class.__name__):
                model = view_model(view_class)
                self.assertIsNotNone(model, "a generic view names its model")
                if model not in restricted:
                    continue
                checked += 1
                self.assertTrue(issubclass(view_class, RestrictedQuerysetMixin),
                                "use RestrictedListView / RestrictedDetailView (thetsaban/restricted.py)")
                self.assertIs(view_class.get_queryset, RestrictedQuerysetMixin.get_queryset,
                              "refine the rows in refine_queryset(); get_queryset restricts them")
                self.assertNotIn("get_object", vars(view_class), "the object comes from get_queryset()")
        self.assertGreaterEqual(checked, 6)

    def test_no_page_reads_a_restricted_model_by_hand(self):
        restricted = restricted_models()
        modules = {callback.__module__ for _route, callback in views()
                   if callback.__module__.startswith("thetsaban.")
                   and callback.__module__.rpartition(".")[2] in ("views", "matching_views", "mypage")}
        self.assertGreaterEqual(len(modules), 8)
        used = set()
        by_hand = set()
        for name in sorted(modules):
            source = inspect.getsource(sys.modules[name])
            for number, line in enumerate(source.splitlines(), 1):
                for match in [*READ.finditer(line), *GET_OR_404.finditer(line)]:
                    if match.group("model") not in restricted:
                        continue
                    if match.groupdict().get("method") == "none":
                        continue
                    if match.groupdict().get("method") == "restrict":
                        if name in RESTRICT_BY_HAND:
                            by_hand.add(name)
                            continue
                        with self.subTest(module=name, line=number):
                            self.fail(f"{line.strip()}: read through self.restricted("
                                      f"{match.group('model')}, action) in a view of thetsaban/restricted.py")
                        continue
                    # A Prefetch's queryset: the parts of rows already found through restrict().
                    if "Prefetch(" in line or line[:match.start()].rstrip().endswith("queryset="):
                        continue
                    marked = MARK.search(line)
                    if marked and marked.group("why").strip():
                        continue
                    reason = next((key for key in READ_BY_HAND if key[0] == name and key[1] in line), None)
                    with self.subTest(module=name, line=number):
                        self.assertIsNotNone(reason, f"{line.strip()}: read through "
                                             f"{match.group('model')}.objects.restrict(user, action)")
                    used.add(reason)
        self.assertEqual(set(READ_BY_HAND) - used, set(), "an exception no longer needed")
        self.assertEqual((set(RESTRICT_BY_HAND) & modules) - by_hand, set(),
                         "a module converted to the one view style: take it off RESTRICT_BY_HAND")

    def test_a_view_that_forgets_the_restriction_is_caught(self):
        from django.views.generic import DetailView

        from thetsaban.practices.models import Practice

        class ForgetfulView(DetailView):
            model = Practice

        self.assertFalse(issubclass(ForgetfulView, RestrictedQuerysetMixin))
        line = "    practice = get_object_or_404(Practice, pk=pk)"
        self.assertEqual(GET_OR_404.search(line).group("model"), "Practice")
        self.assertEqual(READ.search("Practice.objects.filter(pk=1)").group("method"), "filter")
        # restrict() called in a page itself, rather than through self.restricted(), is caught too.
        self.assertEqual(READ.search('Practice.objects.restrict(user, "view")').group("method"), "restrict")
        self.assertNotIn("thetsaban.practices.views", RESTRICT_BY_HAND)
