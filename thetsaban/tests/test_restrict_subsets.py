"""Whatever a user may change, delete or otherwise act on, they may also see.

For every model whose manager is a RestrictedQuerySet, and for every action its restrict()
names, the rows `restrict(user, action)` returns are a subset of `restrict(user, "view")`,
for users of every role, over the demo data plus directory entries at every visibility.
"""

import inspect
import os
import re

from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.test import TestCase

from thetsaban.accounts.models import LguMembership, User
from thetsaban.coaching.models import Coach
from thetsaban.directory import services
from thetsaban.directory.choices import ContactKind, Visibility
from thetsaban.directory.models import Organisation, Person
from thetsaban.permissions import RestrictedQuerySet
from thetsaban.places.models import Lgu

# Every restrict() knows these; model-specific actions are read from its source.
COMMON_ACTIONS = {"change", "delete"}


def restricted_models():
    """(model, queryset class) for each model whose default manager restricts."""
    found = []
    for model in apps.get_models():
        queryset_class = getattr(model._default_manager, "_queryset_class", None)
        if queryset_class and issubclass(queryset_class, RestrictedQuerySet):
            found.append((model, queryset_class))
    return found


def actions_of(queryset_class) -> set[str]:
    """The actions a restrict() tests for: the quoted words on its lines that mention `action`."""
    actions = set(COMMON_ACTIONS)
    for klass in queryset_class.__mro__:
        method = klass.__dict__.get("restrict")
        if method is None or klass is RestrictedQuerySet:
            continue
        for line in inspect.getsource(method).splitlines():
            if re.search(r"\baction\b", line):
                actions |= set(re.findall(r"[\"']([a-z_]+)[\"']", line))
    return actions - {"view"}


class RestrictSubsetTests(TestCase):
    """change, delete and every other action stay within view, for every role."""

    @classmethod
    def setUpTestData(cls):
        with open(os.devnull, "w") as quiet:
            call_command("load_demo", stdout=quiet)
        songkhla = Lgu.objects.get(code="DEMO-SK")
        chiang_rai = Lgu.objects.get(code="DEMO-CR")
        office = Organisation.objects.get(lgu=songkhla)
        other_office = Organisation.objects.get(lgu=chiang_rai)
        # Directory entries at every visibility, with and without consent, in both offices.
        people = []
        for organisation in (office, other_office):
            for visibility in Visibility.values:
                for consent in (True, False):
                    person = services.create_person(
                        acting_user=None, name_th=f"ตัวอย่าง {visibility} {consent} (example data)",
                        is_example=True, visibility=visibility, listing_consent=consent,
                        organisation=organisation)
                    people.append(person)
                    for level in Visibility.values:
                        for owner in ({"person": person}, {"organisation": organisation}):
                            services.create_contact_detail(
                                acting_user=None, kind=ContactKind.EMAIL,
                                value=f"{level}-{consent}@example.org", visibility=level,
                                consent=consent, **owner)
        cls.users = {"anonymous": AnonymousUser()}
        for name, flags in [("member", {}), ("editor", {}), ("other-editor", {}),
                            ("reviewer", {"is_reviewer": True}), ("moderator", {"is_moderator": True}),
                            ("staff", {"is_staff": True, "is_superuser": True}), ("coach", {}),
                            ("listed-self", {}), ("hidden-self", {})]:
            cls.users[name] = User.objects.create(username=name, **flags)
        LguMembership.objects.create(user=cls.users["editor"], lgu=songkhla)
        LguMembership.objects.create(user=cls.users["other-editor"], lgu=chiang_rai)
        # A coach signed in as themself, and people who are directory entries themselves.
        coach = Coach.objects.filter(assignments__isnull=False).first() or Coach.objects.first()
        coach.user = cls.users["coach"]
        coach.save()
        cls.users["coach"].person = coach.person
        cls.users["coach"].save()
        cls.users["listed-self"].person = people[0]
        cls.users["listed-self"].save()
        cls.users["hidden-self"].person = people[-1]  # staff-only, without consent
        cls.users["hidden-self"].save()
        LguMembership.objects.create(user=cls.users["hidden-self"], lgu=chiang_rai)

    def test_every_action_is_within_view_for_every_role(self):
        models = restricted_models()
        self.assertGreater(len(models), 20)
        failures = []
        for model, queryset_class in models:
            manager = model._default_manager
            for role, user in self.users.items():
                viewable = set(manager.restrict(user, "view").values_list("pk", flat=True))
                for action in sorted(actions_of(queryset_class)):
                    acted = set(manager.restrict(user, action).values_list("pk", flat=True))
                    if not acted <= viewable:
                        failures.append(f"{model.__name__}: {role} may {action} "
                                        f"{len(acted - viewable)} rows they cannot view")
        self.assertEqual(failures, [])

    def test_the_demo_gives_every_role_something_to_act_on(self):
        # Guards the test above against passing on empty sets.
        for role in ("editor", "other-editor", "listed-self"):
            self.assertTrue(Person.objects.restrict(self.users[role], "change").exists(), role)
        self.assertTrue(Coach.objects.restrict(self.users["coach"], "change").exists())
