"""Writes of datasets and resources (the CKAN Action API and the pages call these)."""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thetsaban import thai
from thetsaban.accounts.choices import AuditAction
from thetsaban.accounts.services import record, snapshot
from thetsaban.directory.models import Organisation
from thetsaban.localdata import ckan
from thetsaban.localdata.choices import GDC_MULTI, DatasetState, ResourceKind
from thetsaban.localdata.models import Dataset, DatasetGroup, Resource, Tag, is_steward

NAME = re.compile(r"^[a-z0-9_\-]{2,100}$")
TAG = re.compile(r"^[\u0e01-\u0e59\w \-.]{1,100}$")
_TEXT_FIELDS = ("title", "notes", "url", "version", "data_type", "maintainer", "maintainer_email",
                "update_frequency_unit", "geo_coverage", "data_source", "data_category", "license_id",
                "accessible_condition", "first_year_of_data", "last_year_of_data", "unit_of_measure",
                "unit_of_multiplier", "calculation_method")
_KNOWN = set(_TEXT_FIELDS) | set(GDC_MULTI) | {
    "name", "owner_org", "private", "tags", "tag_string", "groups", "resources", "extras", "id", "state",
    "update_frequency_interval", "allow_harvest", "official_statistics", "type", "organization", "metadata_created",
    "metadata_modified", "num_resources", "num_tags", "license_title", "isopen", "quality", "author",
    "author_email", "relationships_as_object", "relationships_as_subject", "creator_user_id"}


def find_organisation(value) -> Organisation | None:
    value = str(value or "").strip()
    if not value:
        return None
    if value.startswith("org-") and value[4:].isdigit():
        value = value[4:]
    if value.isdigit():
        return Organisation.objects.filter(pk=int(value)).first()
    return Organisation.objects.filter(code=value).first()


def may_publish_for(user, organisation) -> bool:
    """Data stewards publish for every organisation; LGU editors for their LGU's office."""
    return is_steward(user) or Organisation.objects.restrict(user, "change").filter(pk=organisation.pk).exists()


def _bool(value) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("true", "1", "yes", "on")


@transaction.atomic
def save_dataset(data: dict, *, acting_user, dataset: Dataset | None = None, partial: bool = False) -> Dataset:
    """Create or change a dataset from a CKAN-shaped dict; ValidationError names each bad field.

    Unknown keys are kept as extras (CKAN clients send many); `partial` (package_patch) leaves
    the fields not given as they are."""
    errors = {}
    creating = dataset is None
    before = None if creating else snapshot(dataset)
    if creating:
        dataset = Dataset(created_by=acting_user if acting_user is not None and acting_user.is_authenticated else None)
    if "owner_org" in data or creating:
        organisation = find_organisation(data.get("owner_org"))
        if organisation is None:
            errors["owner_org"] = [_("Organisation does not exist")]
        elif not may_publish_for(acting_user, organisation):
            raise PermissionDenied(_("You may not publish datasets for this organisation."))
        else:
            dataset.owner_org = organisation
    if not creating and not Dataset.objects.restrict(acting_user, "change").filter(pk=dataset.pk).exists():
        raise PermissionDenied(_("You may not change this dataset."))
    if "name" in data or creating:
        name = str(data.get("name") or "").strip()
        if not NAME.fullmatch(name):
            errors["name"] = [_("Must be 2 to 100 lowercase letters, digits, - or _")]
        elif Dataset.objects.filter(name=name).exclude(pk=dataset.pk).exists():
            errors["name"] = [_("That URL is already in use.")]
        else:
            dataset.name = name
    if creating and not str(data.get("title") or "").strip():
        data = dict(data, title=data.get("name", ""))
    for field in _TEXT_FIELDS:
        if field in data or (not partial and not creating and field in ("notes",)):
            value = data.get(field)
            setattr(dataset, field, thai.clean("" if value is None else str(value)))
    for field in GDC_MULTI:
        if field in data:
            value = data[field]
            if isinstance(value, str):
                value = [v.strip() for v in value.split(",") if v.strip()] if value else []
            setattr(dataset, field, value)
    for field in ("allow_harvest", "official_statistics", "private"):
        if field in data:
            setattr(dataset, field, _bool(data[field]))
    if "update_frequency_interval" in data:
        value = data["update_frequency_interval"]
        try:
            dataset.update_frequency_interval = int(value) if value not in (None, "") else None
        except (TypeError, ValueError):
            errors["update_frequency_interval"] = [_("Must be a whole number")]
    errors.update(ckan.validate_gdc({f: getattr(dataset, f) for f in ckan.GDC_FIELDS
                                     if f in ckan.GDC_CHOICES or f in GDC_MULTI}))
    if dataset.maintainer_email:
        try:
            validate_email(dataset.maintainer_email)
        except ValidationError:
            errors["maintainer_email"] = [_("Enter a valid e-mail address")]
    for field in ("first_year_of_data", "last_year_of_data"):
        value = getattr(dataset, field)
        if value and not (value.isdigit() and 2443 <= int(value) <= 2700):
            errors[field] = [_("A Buddhist Era year such as 2569")]
    if dataset.url:
        try:
            URLValidator(schemes=["http", "https"])(dataset.url)
        except ValidationError:
            errors["url"] = [_("Enter a valid URL")]
    tags = None
    if "tags" in data or "tag_string" in data:
        raw = data.get("tags")
        if raw is None:
            raw = [t for t in str(data.get("tag_string") or "").split(",")]
        tags = sorted({thai.clean(t["name"] if isinstance(t, dict) else str(t)).strip() for t in raw} - {""})
        wrong = [t for t in tags if not TAG.fullmatch(t)]
        if wrong:
            errors["tags"] = [_("Tag %(tag)s must be letters, digits, spaces, - _ or .") % {"tag": wrong[0]}]
    groups = None
    if "groups" in data:
        names = [g.get("name") or g.get("id") if isinstance(g, dict) else str(g) for g in data["groups"] or []]
        groups = list(DatasetGroup.objects.filter(name__in=names))
        missing = sorted(set(names) - {g.name for g in groups})
        if missing:
            errors["groups"] = [_("Group %(name)s does not exist") % {"name": missing[0]}]
    extras = dict(dataset.extras) if partial or not creating else {}
    if "extras" in data:
        items = data["extras"] or []
        if not isinstance(items, list):
            errors["extras"] = [_("A list of {key, value}")]
        else:
            extras = {str(item.get("key")): item.get("value") for item in items if isinstance(item, dict)}
    for key, value in data.items():
        if key not in _KNOWN and not key.startswith("_") and isinstance(value, (str, int, float, bool)):
            extras[key] = value
    dataset.extras = extras
    if not dataset.title:
        errors.setdefault("title", [_("Missing value")])
    if errors:
        raise ValidationError(errors)
    dataset.state = DatasetState.ACTIVE if "state" not in data or data["state"] != "deleted" else dataset.state
    dataset.metadata_modified = timezone.now()
    dataset.search_text = ckan.search_text(dataset, tags if tags is not None else (
        [] if creating else list(dataset.tags.values_list("name", flat=True))))
    dataset.save()
    if tags is not None:
        dataset.tags.set([Tag.objects.get_or_create(name=t)[0] for t in tags])
    if groups is not None:
        dataset.groups.set(groups)
    if "resources" in data and isinstance(data["resources"], list):
        keep = []
        for position, item in enumerate(data["resources"]):
            resource = dataset.resources.filter(pk=item.get("id")).first() if item.get("id") else None
            keep.append(_save_resource(dataset, item, resource, position).pk)
        dataset.resources.exclude(pk__in=keep).delete()
    record(dataset, AuditAction.CREATE if creating else AuditAction.UPDATE, acting_user=acting_user, before=before)
    return dataset


def _save_resource(dataset, item: dict, resource: Resource | None, position: int) -> Resource:
    resource = resource or Resource(dataset=dataset)
    errors = {}
    url = str(item.get("url") or "").strip()
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            errors["url"] = [_("Enter a valid URL")]
    name = thai.clean(str(item.get("name") or "")) or url.rsplit("/", 1)[-1]
    if not name:
        errors["name"] = [_("Missing value")]
    if errors:
        raise ValidationError(errors)
    resource.name, resource.url, resource.position = name[:300], url, position
    resource.description = thai.clean(str(item.get("description") or ""))
    resource.format = str(item.get("format") or "").strip()[:30] or (url.rsplit(".", 1)[-1].upper()[:30]
                                                                     if "." in url.rsplit("/", 1)[-1] else "")
    if item.get("resource_type") in ResourceKind.values:
        resource.kind = item["resource_type"]
    resource.extras = {k: v for k, v in item.items() if k.startswith("resource_") and isinstance(v, (str, int))}
    resource.last_modified = timezone.now()
    resource.save()
    return resource


@transaction.atomic
def create_resource(dataset: Dataset, item: dict, *, acting_user, upload=None) -> Resource:
    """Add a resource (a link or an uploaded file) to a dataset."""
    if not Dataset.objects.restrict(acting_user, "change").filter(pk=dataset.pk).exists():
        raise PermissionDenied(_("You may not change this dataset."))
    if upload is not None:
        item = dict(item, url=item.get("url") or "", name=item.get("name") or upload.name)
    resource = _save_resource(dataset, item, None, dataset.resources.count())
    if upload is not None:
        resource.upload = upload
        resource.kind = ResourceKind.UPLOAD
        resource.save()
    dataset.metadata_modified = timezone.now()
    dataset.save(update_fields=["metadata_modified"])
    record(resource, AuditAction.CREATE, acting_user=acting_user)
    return resource


@transaction.atomic
def delete_dataset(dataset: Dataset, *, acting_user) -> Dataset:
    """Mark a dataset deleted: harvesters are told (state "deleted") and remove their copy."""
    if not Dataset.objects.restrict(acting_user, "delete").filter(pk=dataset.pk).exists():
        raise PermissionDenied(_("You may not delete this dataset."))
    before = snapshot(dataset)
    dataset.state = DatasetState.DELETED
    dataset.metadata_modified = timezone.now()
    dataset.save(update_fields=["state", "metadata_modified"])
    record(dataset, AuditAction.DELETE, acting_user=acting_user, before=before)
    return dataset
