"""Shared fixture of the coach pool tests: languages, themes and coaches of every status."""

from django.utils import timezone

from thetsaban.coaching.choices import Availability, CoachStatus
from thetsaban.coaching.models import Coach, Competency, Language
from thetsaban.directory.choices import ContactKind, Visibility
from thetsaban.directory.models import ContactDetail, Person
from thetsaban.places.models import Province
from thetsaban.practices.models import Theme
from thetsaban.testing import ThetsabanTestCase


def make_coach(name, province, *, status=CoachStatus.APPROVED, availability=Availability.AVAILABLE,
               visibility=Visibility.PUBLIC, consent=True, user=None, languages=(), themes=(),
               capacity=1):
    """A coach with a directory person, made with plain ORM calls."""
    person = Person.objects.create(name_th=name, visibility=visibility, listing_consent=consent)
    if user is not None:
        user.person = person
        user.save(update_fields=["person"])
    coach = Coach.objects.create(person=person, user=user, status=status, home_province=province,
                                 availability=availability, capacity=capacity)
    coach.languages.set(languages)
    coach.themes.set(themes)
    return coach


class CoachingTestCase(ThetsabanTestCase):
    """Adds: Thai and English, two themes, and coaches of each kind in Songkhla (south).

    - public_coach: approved, listed for everyone, a consented public e-mail and a staff-only phone
    - members_coach: approved, listed for signed-in members only
    - unlisted_coach: approved, no consent to be listed
    - applicant_coach: the pending application of self.applicant
    """

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        from django.contrib.auth.hashers import make_password

        from thetsaban.accounts.models import User

        cls.thai = Language.objects.create(code="th", name_th="ไทย", name_en="Thai")
        cls.english = Language.objects.create(code="en", name_th="อังกฤษ", name_en="English")
        cls.governance = Theme.objects.create(code="governance", name_th="ธรรมาภิบาล",
                                              name_en="Good governance", position=1)
        cls.environment = Theme.objects.create(code="environment", name_th="สิ่งแวดล้อม",
                                               name_en="Environment", position=2)
        cls.songkhla = Province.objects.get(code="90")
        cls.chiang_rai = Province.objects.get(code="57")
        cls.applicant = User.objects.create(username="applicant", email="applicant@example.org",
                                            password=make_password(cls.password))
        cls.public_coach = make_coach("กมล ตัวอย่าง", cls.songkhla, languages=[cls.thai],
                                      themes=[cls.governance])
        ContactDetail.objects.create(person=cls.public_coach.person, kind=ContactKind.EMAIL,
                                     value="public-coach@example.org",
                                     visibility=Visibility.PUBLIC, consent=True)
        ContactDetail.objects.create(person=cls.public_coach.person, kind=ContactKind.PHONE,
                                     value="0812345678", visibility=Visibility.STAFF,
                                     consent=True)
        cls.members_coach = make_coach("ขวัญ ตัวอย่าง", cls.chiang_rai,
                                       visibility=Visibility.MEMBERS,
                                       languages=[cls.thai, cls.english],
                                       themes=[cls.environment])
        cls.unlisted_coach = make_coach("คณิน ตัวอย่าง", cls.songkhla, consent=False,
                                        languages=[cls.thai])
        cls.applicant_coach = make_coach("งามตา ตัวอย่าง", cls.songkhla,
                                         status=CoachStatus.APPLIED, user=cls.applicant,
                                         languages=[cls.thai], themes=[cls.governance])
        cls.competency = Competency.objects.create(
            coach=cls.applicant_coach, theme=cls.governance, title="จัดเวทีประชาคม",
            evidence="โครงการตัวอย่าง")
        cls.applied_at = timezone.now()
