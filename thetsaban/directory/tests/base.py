"""Directory test data: organisations, posts, and example persons at every visibility level."""

from thetsaban.directory import services
from thetsaban.directory.choices import ContactKind, OrganisationKind, Visibility
from thetsaban.practices.models import Theme
from thetsaban.testing import ThetsabanTestCase


class DirectoryTestCase(ThetsabanTestCase):
    """Adds the league, two LGU offices, posts on two topics and four example persons.

    Contact values name who may see them, so a leak shows in the assertion message.
    """

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.governance = Theme.objects.create(code="governance", name_th="ธรรมาภิบาลในองค์กร",
                                              name_en="Good governance in the organisation")
        cls.environment = Theme.objects.create(code="environment",
                                               name_th="การบริการสาธารณะด้านสิ่งแวดล้อม",
                                               name_en="Environmental public services")
        cls.league = services.create_organisation(
            acting_user=None, name_th="สันนิบาตเทศบาลแห่งประเทศไทย",
            name_en="National Municipal League of Thailand", abbreviation="ส.ท.ท.",
            other_names="NMLT", kind=OrganisationKind.LEAGUE)
        cls.office = services.create_organisation(
            acting_user=None, name_th="เทศบาลนครสงขลา", name_en="Songkhla City Municipality",
            kind=OrganisationKind.LGU_ADMINISTRATION, lgu=cls.lgu)
        cls.other_office = services.create_organisation(
            acting_user=None, name_th="เทศบาลนครเชียงราย", name_en="Chiang Rai City Municipality",
            kind=OrganisationKind.LGU_ADMINISTRATION, lgu=cls.other_lgu)
        cls.coach_post = services.create_post(
            acting_user=None, organisation=cls.league, label_th="ระบบ Coach (วิทยากรพี่เลี้ยง)",
            label_en="Coach system", responsibilities="สนับสนุนการเพิ่มจำนวน Coach",
            topics=[cls.governance])
        cls.waste_post = services.create_post(
            acting_user=None, organisation=cls.office, label_th="ผู้ประสานงานการจัดการขยะ",
            label_en="Waste management coordinator",
            responsibilities="การจัดการขยะมูลฝอยอย่างครบวงจร", topics=[cls.environment])
        cls.other_post = services.create_post(
            acting_user=None, organisation=cls.other_office, label_th="ผู้ประสานงานเครือข่ายเมือง",
            topics=[cls.governance])
        cls.persons = {}
        for key, visibility, consent in [
            ("public", Visibility.PUBLIC, True),
            ("members", Visibility.MEMBERS, True),
            ("staffonly", Visibility.STAFF, True),
            ("unconsented", Visibility.PUBLIC, False),
        ]:
            person = services.create_person(
                acting_user=None, name_th=f"ตัวอย่าง {key} (example data)", is_example=True,
                visibility=visibility, listing_consent=consent)
            services.create_membership(acting_user=None, person=person, post=cls.waste_post)
            services.create_contact_detail(
                acting_user=None, person=person, kind=ContactKind.EMAIL,
                value=f"person-{key}@example.org", visibility=Visibility.PUBLIC, consent=True)
            cls.persons[key] = person
        public = cls.persons["public"]
        for value, visibility, consent in [
            ("detail-public@example.org", Visibility.PUBLIC, True),
            ("detail-members@example.org", Visibility.MEMBERS, True),
            ("detail-staff@example.org", Visibility.STAFF, True),
            ("detail-unconsented@example.org", Visibility.PUBLIC, False),
        ]:
            services.create_contact_detail(acting_user=None, person=public, kind=ContactKind.EMAIL,
                                           value=value, visibility=visibility, consent=consent)
        services.create_contact_detail(acting_user=None, post=cls.waste_post,
                                       kind=ContactKind.PHONE, value="074-000-0001",
                                       visibility=Visibility.PUBLIC, consent=True)
        services.create_contact_detail(acting_user=None, post=cls.waste_post,
                                       kind=ContactKind.PHONE, value="074-000-0002",
                                       visibility=Visibility.MEMBERS, consent=True)
        services.create_contact_detail(acting_user=None, organisation=cls.league,
                                       kind=ContactKind.WEBSITE, value="https://league.example.org",
                                       visibility=Visibility.PUBLIC, consent=True)

    # What each viewer may see, and what must never reach them.
    PUBLIC_ONLY = ["person-public@", "detail-public@", "074-000-0001"]
    MEMBERS_ONLY = ["person-members@", "detail-members@", "074-000-0002"]
    STAFF_ONLY = ["person-staffonly@", "detail-staff@", "person-unconsented@",
                  "detail-unconsented@"]

    def assert_visible(self, text, fragments):
        for fragment in fragments:
            self.assertIn(fragment, text, f"{fragment} should be visible")

    def assert_hidden(self, text, fragments):
        for fragment in fragments:
            self.assertNotIn(fragment, text, f"{fragment} leaked")

    def add_rows(self, n):
        """More organisations, posts, holders and contacts, to show query counts do not grow."""
        for i in range(n):
            org = services.create_organisation(acting_user=None, name_th=f"องค์กรตัวอย่าง {i}",
                                               kind=OrganisationKind.ACADEMIC)
            post = services.create_post(acting_user=None, organisation=org,
                                        label_th=f"ผู้ประสานงานตัวอย่าง {i}",
                                        topics=[self.governance, self.environment])
            person = services.create_person(acting_user=None, name_th=f"ตัวอย่าง ผู้ประสานงาน {i} (example data)",
                                            is_example=True, visibility=Visibility.PUBLIC,
                                            listing_consent=True)
            services.create_membership(acting_user=None, person=person, post=post)
            for owner in ({"person": person}, {"post": post}, {"organisation": org}):
                services.create_contact_detail(acting_user=None, kind=ContactKind.EMAIL,
                                               value=f"row{i}@example.org",
                                               visibility=Visibility.PUBLIC, consent=True, **owner)
