from django.urls import reverse

from thetsaban.accounts.models import AuditEntry
from thetsaban.directory import services
from thetsaban.directory.choices import Visibility
from thetsaban.directory.models import ContactDetail, Membership, Organisation, Person, Post
from thetsaban.directory.tests.base import DirectoryTestCase
from thetsaban.testing import ThetsabanTestCase


class DirectoryServiceTests(DirectoryTestCase):
    """Every write leaves an audit record; consent time follows consent."""

    def test_consent_time_is_recorded_kept_and_cleared(self):
        person = services.create_person(acting_user=self.staff,
                                        name_th="ตัวอย่าง ยินยอม (example data)",
                                        listing_consent=True, visibility=Visibility.PUBLIC)
        first = person.consent_recorded_at
        self.assertIsNotNone(first)
        services.update_person(person, acting_user=self.staff, summary="งาน")
        self.assertEqual(person.consent_recorded_at, first)
        services.update_person(person, acting_user=self.staff, listing_consent=False)
        self.assertIsNone(person.consent_recorded_at)
        self.assertEqual(AuditEntry.objects.for_object(person).count(), 3)

    def test_thai_text_is_cleaned_before_storage(self):
        post = services.create_post(acting_user=self.staff, organisation=self.office,
                                    label_th="\u200bงานนําร่อง ", responsibilities="นําร่อง")
        self.assertEqual(post.label_th, "งานนำร่อง")
        self.assertEqual(post.responsibilities, "นำร่อง")


class DirectoryAdminTests(DirectoryTestCase):
    """Admin saves go into the audit trail, and consent time is stamped there too."""

    def test_admin_pages_open(self):
        self.login(self.staff)
        for name in ("organisation", "post", "person", "membership", "contactdetail"):
            response = self.client.get(reverse(f"admin:directory_{name}_changelist"))
            self.assertEqual(response.status_code, 200, name)
        response = self.client.get(reverse("admin:directory_organisation_change",
                                           args=[self.office.pk]))
        self.assertEqual(response.status_code, 200)

    def test_admin_person_save_is_audited_with_consent_time(self):
        self.login(self.staff)
        person = self.persons["unconsented"]
        data = {
            "name_th": person.name_th, "name_en": "", "honorific": "", "summary": "",
            "visibility": "public", "listing_consent": "on", "is_example": "on",
            "contact_details-TOTAL_FORMS": "1", "contact_details-INITIAL_FORMS": "1",
            "contact_details-MIN_NUM_FORMS": "0", "contact_details-MAX_NUM_FORMS": "1000",
            "contact_details-0-id": str(person.contact_details.get().pk),
            "contact_details-0-person": str(person.pk),
            "contact_details-0-kind": "email", "contact_details-0-value": "changed@example.org",
            "contact_details-0-label": "", "contact_details-0-visibility": "public",
            "contact_details-0-consent": "on",
            "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "0", "memberships-MAX_NUM_FORMS": "1000",
        }
        response = self.client.post(reverse("admin:directory_person_change", args=[person.pk]), data)
        self.assertEqual(response.status_code, 302, response.content.decode()[:3000])
        person = Person.objects.get(pk=person.pk)
        self.assertTrue(person.listing_consent)
        self.assertIsNotNone(person.consent_recorded_at)
        self.assertTrue(AuditEntry.objects.for_object(person).filter(actor=self.staff).exists())
        detail = ContactDetail.objects.get(value="changed@example.org")
        entry = AuditEntry.objects.for_object(detail).filter(actor=self.staff).get()
        self.assertEqual(entry.before["value"], "person-unconsented@example.org")


class MembershipAdminDefaultsTests(ThetsabanTestCase):
    """A membership added in the admin is saved by the directory service: on a post's page the
    organisation may be left empty (it is the post's), and the row is audited once."""

    def test_a_membership_added_on_a_post_page_is_in_the_posts_organisation(self):
        from thetsaban.testing import admin_form_data

        organisation = Organisation.objects.create(name_th="สำนักปลัด (ตัวอย่าง)", lgu=self.lgu)
        post = Post.objects.create(organisation=organisation, label_th="ปลัดเทศบาล")
        person = Person.objects.create(name_th="บุคคลตัวอย่าง (ข้อมูลตัวอย่าง)")
        self.login(self.staff)
        url = reverse("admin:directory_post_change", args=[post.pk])
        data = admin_form_data(self.client.get(url))
        prefix = next(k for k in data if k.endswith("-TOTAL_FORMS") and "membership" in k).removesuffix("-TOTAL_FORMS")
        data.update({f"{prefix}-TOTAL_FORMS": "1", f"{prefix}-0-person": str(person.pk),
                     f"{prefix}-0-role": "หัวหน้า"})
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 302, response.context and [
            f.formset.errors for f in response.context["inline_admin_formsets"]])
        membership = Membership.objects.get(person=person)
        self.assertEqual((membership.organisation, membership.post), (organisation, post))
        entry = AuditEntry.objects.for_object(membership).get()
        self.assertEqual((entry.action, entry.actor), ("create", self.staff))

    def test_a_membership_without_organisation_or_post_is_refused_with_a_message(self):
        person = Person.objects.create(name_th="บุคคลตัวอย่าง (ข้อมูลตัวอย่าง)")
        self.login(self.staff)
        response = self.client.post(reverse("admin:directory_membership_add"),
                                    {"person": person.pk, "role": "สมาชิก"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Choose the organisation, or a post in it.")
        self.assertFalse(Membership.objects.exists())
