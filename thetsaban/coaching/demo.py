"""Demo data of the coach pool: the working languages, and a few clearly marked example coaches.

The seed names no coaches (it asks for the pool: "at least 1 coach per municipality"), so no
person is invented: the example coaches are labelled as example data in their names and
flagged is_example, spread over the five regions so that the coverage page has something
to show. Loading twice adds nothing.
"""

from django.db import transaction
from django.utils import timezone

from thetsaban.accounts.services import save_audited
from thetsaban.coaching.choices import Availability, CoachStatus
from thetsaban.coaching.models import Coach, Competency, Language
from thetsaban.directory.choices import Visibility
from thetsaban.directory.models import Person
from thetsaban.hooks import EXAMPLE_MARK
from thetsaban.places.models import Province
from thetsaban.practices.models import Theme

# ISO 639-1 code, Thai name, English name: Thai and the languages of the league's ASEAN peers.
LANGUAGES = [
    ("th", "ไทย", "Thai"),
    ("en", "อังกฤษ", "English"),
    ("lo", "ลาว", "Lao"),
    ("km", "เขมร", "Khmer"),
    ("vi", "เวียดนาม", "Vietnamese"),
    ("id", "อินโดนีเซีย", "Indonesian"),
    ("ms", "มลายู", "Malay"),
    ("tl", "ตากาล็อก", "Tagalog"),
    ("my", "พม่า", "Burmese"),
]

# (home province code, languages, themes, capacity, availability): two per region.
EXAMPLE_COACHES = [
    ("57", ["th", "en"], ["participation", "governance"], 2, Availability.AVAILABLE),
    ("50", ["th"], ["environment"], 1, Availability.LIMITED),
    ("41", ["th", "lo"], ["budget", "participation"], 2, Availability.AVAILABLE),
    ("40", ["th"], ["governance"], 1, Availability.AVAILABLE),
    ("12", ["th", "en"], ["environment", "participation"], 3, Availability.AVAILABLE),
    ("73", ["th"], ["budget"], 1, Availability.UNAVAILABLE),
    ("21", ["th", "km"], ["environment"], 2, Availability.AVAILABLE),
    ("20", ["th", "en"], ["governance", "budget"], 1, Availability.LIMITED),
    ("90", ["th", "ms"], ["participation"], 2, Availability.AVAILABLE),
    ("95", ["th", "ms"], ["environment", "governance"], 1, Availability.AVAILABLE),
]
NAME_TH = "โค้ชตัวอย่าง {n} (ข้อมูลตัวอย่าง)"
NAME_EN = "Example coach {n} (example data)"
COMPETENCY_TH = "เป็นพี่เลี้ยงให้เทศบาลนำแนวปฏิบัติที่ดีไปปรับใช้ (ข้อมูลตัวอย่าง)"

# Example applications waiting for a reviewer to vet, so that the vetting queue has work:
# (home province code, languages, themes).
EXAMPLE_APPLICATIONS = [
    ("90", ["th", "ms"], ["environment"]),
    ("57", ["th", "en"], ["budget", "governance"]),
]
APPLICANT_TH = EXAMPLE_MARK + ": ผู้สมัครเป็นโค้ช {n}"
APPLICANT_EN = "Example data: coach applicant {n}"


def load_languages() -> int:
    """Create the working languages that are missing; returns how many were added."""
    added = 0
    for code, name_th, name_en in LANGUAGES:
        if not Language.objects.filter(code=code).exists():
            save_audited(Language(code=code, name_th=name_th, name_en=name_en),
                         acting_user=None, note="demo")
            added += 1
    return added


@transaction.atomic
def load() -> int:
    """Create the demo records that are missing; returns how many were added."""
    added = load_languages()
    languages = {lang.code: lang for lang in Language.objects.all()}
    themes = {theme.code: theme for theme in Theme.objects.all()}
    provinces = {p.code: p for p in Province.objects.filter(
        code__in=[spec[0] for spec in EXAMPLE_COACHES])}
    now = timezone.now()
    for n, (province, codes, theme_codes, capacity, availability) in enumerate(
            EXAMPLE_COACHES, start=1):
        if province not in provinces:
            continue  # the places demo has not loaded the provinces
        name = NAME_TH.format(n=n)
        if Person.objects.filter(name_th=name, is_example=True).exists():
            continue
        person = save_audited(Person(
            name_th=name, name_en=NAME_EN.format(n=n), is_example=True,
            visibility=Visibility.PUBLIC, listing_consent=True, consent_recorded_at=now,
            summary="ข้อมูลตัวอย่าง (example data)"), acting_user=None, note="demo")
        coach = save_audited(Coach(
            person=person, status=CoachStatus.APPROVED, home_province=provinces[province],
            capacity=capacity, availability=availability, is_example=True, reviewed_at=now,
            motivation="ข้อมูลตัวอย่าง (example data)"),
            acting_user=None, note="demo",
            m2m={"languages": [languages[c] for c in codes if c in languages],
                 "themes": [themes[c] for c in theme_codes if c in themes]})
        save_audited(Competency(coach=coach, theme=themes.get(theme_codes[0]),
                                title=COMPETENCY_TH, evidence="ข้อมูลตัวอย่าง (example data)"),
                     acting_user=None, note="demo")
        added += 1
    return added + load_applications(languages, themes)


def load_applications(languages, themes) -> int:
    """Create the example coach applications waiting to be vetted that are missing."""
    provinces = {p.code: p for p in Province.objects.filter(
        code__in=[spec[0] for spec in EXAMPLE_APPLICATIONS])}
    now = timezone.now()
    added = 0
    for n, (province, codes, theme_codes) in enumerate(EXAMPLE_APPLICATIONS, start=1):
        name = APPLICANT_TH.format(n=n)
        if province not in provinces or Person.objects.filter(name_th=name, is_example=True).exists():
            continue
        person = save_audited(Person(
            name_th=name, name_en=APPLICANT_EN.format(n=n), is_example=True,
            visibility=Visibility.PUBLIC, listing_consent=True, consent_recorded_at=now,
            summary=EXAMPLE_MARK), acting_user=None, note="demo")
        coach = save_audited(Coach(
            person=person, status=CoachStatus.APPLIED, home_province=provinces[province], capacity=1,
            availability=Availability.AVAILABLE, is_example=True,
            motivation=EXAMPLE_MARK + ": อยากเป็นพี่เลี้ยงให้เทศบาลที่นำแนวปฏิบัติไปปรับใช้"),
            acting_user=None, note="demo",
            m2m={"languages": [languages[c] for c in codes if c in languages],
                 "themes": [themes[c] for c in theme_codes if c in themes]})
        save_audited(Competency(coach=coach, theme=themes.get(theme_codes[0]), title=COMPETENCY_TH,
                                evidence=EXAMPLE_MARK), acting_user=None, note="demo")
        added += 1
    return added
