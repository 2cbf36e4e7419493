"""The shared test base: a league staff member, a reviewer, an editor of one LGU, an outsider
(an editor of another LGU), a signed-in member and an anonymous visitor."""

from django.contrib.auth.hashers import make_password
from django.test import TestCase

from thetsaban.accounts.models import LeagueSettings, LguMembership, User
from thetsaban.places.choices import LguType
from thetsaban.places.models import Country, Lgu, Province, Region


def make_place_tree():
    """A country, two regions, two provinces and two LGUs (Songkhla and Chiang Rai)."""
    thailand = Country.objects.create(code="TH", name_th="ไทย", name_en="Thailand")
    south = Region.objects.create(country=thailand, code="south", name_th="ภาคใต้", name_en="South")
    north = Region.objects.create(country=thailand, code="north", name_th="ภาคเหนือ", name_en="North")
    songkhla = Province.objects.create(country=thailand, region=south, code="90",
                                       name_th="สงขลา", name_en="Songkhla")
    chiang_rai = Province.objects.create(country=thailand, region=north, code="57",
                                         name_th="เชียงราย", name_en="Chiang Rai")
    lgu = Lgu.objects.create(code="TEST-SK", name_th="เทศบาลนครสงขลา", name_en="Songkhla City Municipality",
                             short_name="SK", lgu_type=LguType.CITY, province=songkhla,
                             latitude="7.1898", longitude="100.5954")
    other = Lgu.objects.create(code="TEST-CR", name_th="เทศบาลนครเชียงราย", name_en="Chiang Rai City Municipality",
                               short_name="CR", lgu_type=LguType.CITY, province=chiang_rai,
                               latitude="19.9105", longitude="99.8406")
    return lgu, other


class ThetsabanTestCase(TestCase):
    """Data every permission test needs; subclasses add their own in setUpTestData."""

    password = "correct-horse-battery"

    @classmethod
    def setUpTestData(cls):
        cls.lgu, cls.other_lgu = make_place_tree()
        hashed = make_password(cls.password)
        cls.staff = User.objects.create(username="staff", is_staff=True, is_superuser=True, password=hashed)
        cls.reviewer = User.objects.create(username="reviewer", is_reviewer=True, password=hashed)
        cls.editor = User.objects.create(username="editor", password=hashed)
        cls.outsider = User.objects.create(username="outsider", password=hashed)
        cls.member = User.objects.create(username="member", password=hashed)
        LguMembership.objects.create(user=cls.editor, lgu=cls.lgu)
        LguMembership.objects.create(user=cls.outsider, lgu=cls.other_lgu)

    def login(self, user):
        """Sign `user` in on the test client (None stays anonymous)."""
        self.client.logout()
        if user is not None:
            self.client.force_login(user)
        return user


def allow_self_approval(allowed: bool = True):
    """Turn the league's self-approval setting on (or off) as staff would."""
    settings = LeagueSettings.load()
    settings.allow_self_approval = allowed
    settings.save()
    return settings


def admin_form_data(response) -> dict:
    """The values an admin change page would post back as they stand: the form's and every
    inline's (with their management forms), so a test adds only the rows it changes."""
    from django.forms import MultiWidget

    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            key = form.add_prefix(name)
            widget = form.fields[name].widget
            if isinstance(widget, MultiWidget):  # a date and a time, posted as name_0 and name_1
                parts = value if isinstance(value, list) else widget.decompress(value)
                data.update({f"{key}_{i}": str(part) for i, part in enumerate(parts) if part is not None})
            elif value is True:
                data[key] = "on"
            elif isinstance(value, (list, tuple)):
                data[key] = [str(v) for v in value]
            else:
                data[key] = str(value)
    return data
