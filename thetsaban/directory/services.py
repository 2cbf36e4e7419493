"""Writes to the directory. Each one is atomic and leaves an audit record.

Callers (pages, API, admin, demo loader) check permissions with restrict() first; these
functions only write.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from thetsaban.accounts.models import AuditEntry, User
from thetsaban.accounts.services import (
    USER_PERSONAL_FIELDS,
    delete_audited,
    redact_audit,
    save_audited,
    values_in_audit,
)
from thetsaban.directory.models import ContactDetail, Membership, Organisation, Person, Post


def _apply(obj, fields: dict):
    for name, value in fields.items():
        setattr(obj, name, value)
    return obj


def _m2m(topics) -> dict | None:
    return None if topics is None else {"topics": list(topics)}


@transaction.atomic
def create_organisation(*, acting_user, topics=None, **fields) -> Organisation:
    """Create an organisation (and its topics)."""
    return save_audited(Organisation(**fields), acting_user=acting_user, m2m=_m2m(topics))


@transaction.atomic
def update_organisation(organisation: Organisation, *, acting_user, topics=None,
                        **fields) -> Organisation:
    """Change an organisation's fields (and topics when given)."""
    _apply(organisation, fields)
    return save_audited(organisation, acting_user=acting_user, m2m=_m2m(topics))


def stamp_consent(person: Person, consented_before: bool) -> None:
    """Record when listing consent was given (PDPA); forget the time when it is withdrawn."""
    if person.listing_consent and not (consented_before and person.consent_recorded_at):
        person.consent_recorded_at = timezone.now()
    elif not person.listing_consent:
        person.consent_recorded_at = None


@transaction.atomic
def create_person(*, acting_user, topics=None, organisation=None, **fields) -> Person:
    """Create a person, recording the time of their listing consent if they gave it, and make
    them a member of `organisation` when one is given (an LGU editor adding a colleague)."""
    fields.pop("consent_recorded_at", None)
    person = Person(**fields)
    stamp_consent(person, consented_before=False)
    save_audited(person, acting_user=acting_user, m2m=_m2m(topics))
    if organisation is not None:
        create_membership(acting_user=acting_user, person=person, organisation=organisation)
    return person


@transaction.atomic
def update_person(person: Person, *, acting_user, topics=None, **fields) -> Person:
    """Change a person; giving consent records its time, withdrawing it clears the time."""
    fields.pop("consent_recorded_at", None)
    stored = Person.objects.filter(pk=person.pk).values_list("listing_consent", flat=True).first()
    _apply(person, fields)
    stamp_consent(person, consented_before=bool(stored))
    return save_audited(person, acting_user=acting_user, m2m=_m2m(topics))


@transaction.atomic
def create_post(*, acting_user, topics=None, **fields) -> Post:
    """Create a post (a role in an organisation) with its topics."""
    return save_audited(Post(**fields), acting_user=acting_user, m2m=_m2m(topics))


@transaction.atomic
def update_post(post: Post, *, acting_user, topics=None, **fields) -> Post:
    """Change a post's label, responsibilities or topics."""
    _apply(post, fields)
    return save_audited(post, acting_user=acting_user, m2m=_m2m(topics))


def fill_membership_defaults(membership: Membership) -> None:
    """A membership of a post is in the post's organisation unless another is given."""
    if membership.post_id and not membership.organisation_id:
        membership.organisation_id = membership.post.organisation_id


@transaction.atomic
def create_membership(*, acting_user, **fields) -> Membership:
    """Put a person in a post or an organisation; the organisation defaults to the post's."""
    return save_record(Membership(**fields), acting_user=acting_user)


@transaction.atomic
def update_membership(membership: Membership, *, acting_user, **fields) -> Membership:
    """Change a membership's post, role or dates (ending it sets end_date)."""
    _apply(membership, fields)
    return save_record(membership, acting_user=acting_user)


@transaction.atomic
def create_contact_detail(*, acting_user, **fields) -> ContactDetail:
    """Add a contact detail to a person, a post or an organisation."""
    return save_audited(ContactDetail(**fields), acting_user=acting_user)


@transaction.atomic
def update_contact_detail(detail: ContactDetail, *, acting_user, **fields) -> ContactDetail:
    """Change a contact detail's value, visibility or consent."""
    _apply(detail, fields)
    return save_audited(detail, acting_user=acting_user)


@transaction.atomic
def save_record(obj, *, acting_user):
    """Save a directory record as the create_ and update_ functions do (the administration's
    path): a person's consent time is stamped, a membership's organisation defaults to its
    post's; audited."""
    if isinstance(obj, Person):
        stored = Person.objects.filter(pk=obj.pk).values_list("listing_consent", flat=True).first()
        stamp_consent(obj, consented_before=bool(stored))
    if isinstance(obj, Membership):
        fill_membership_defaults(obj)
    return save_audited(obj, acting_user=acting_user)


@transaction.atomic
def delete_record(obj, *, acting_user) -> None:
    """Delete a directory record, keeping its last values in the audit trail."""
    delete_audited(obj, acting_user=acting_user)


PERSON_PERSONAL_FIELDS = ("name_th", "name_en", "summary")
CONTACT_PERSONAL_FIELDS = ("value", "label")


def _contact_ids_of(person_id: int) -> set[int]:
    """The person's contact details, those deleted since included (found in the audit trail)."""
    ids = set(ContactDetail.objects.filter(person_id=person_id).values_list("pk", flat=True))
    entries = AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(ContactDetail))
    for entry in entries.only("object_id", "before", "after").iterator():
        if person_id in ((entry.before or {}).get("person_id"), (entry.after or {}).get("person_id")):
            ids.add(int(entry.object_id))
    return ids


@transaction.atomic
def redact_person(person_id: int, *, acting_user, reason: str) -> int:
    """On a PDPA request, blank a directory person's personal data from the audit trail: their
    own entries, their contact details', their user account's, and their names, addresses and
    numbers wherever another entry quotes them. Works after the person was deleted too."""
    records = [(Person, person_id)]
    values = values_in_audit(Person, person_id, PERSON_PERSONAL_FIELDS)
    for contact_id in _contact_ids_of(person_id):
        records.append((ContactDetail, contact_id))
        values |= values_in_audit(ContactDetail, contact_id, CONTACT_PERSONAL_FIELDS)
    for user_id in User.objects.filter(person_id=person_id).values_list("pk", flat=True):
        records.append((User, user_id))
        values |= values_in_audit(User, user_id, USER_PERSONAL_FIELDS)
    return redact_audit(records, personal_values=values, acting_user=acting_user, reason=reason)
