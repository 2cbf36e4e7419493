"""Where uploaded files live, and how a visitor is given one.

Local disk (MEDIA_ROOT) is the default and needs nothing. An S3-compatible object store is chosen
by environment (README, Deploying):

- `MEDIA_STORAGE_URL=s3://BUCKET/PREFIX?endpoint_url=https://...&region_name=...`, or
- the usual `AWS_STORAGE_BUCKET_NAME` (with `AWS_S3_ENDPOINT_URL`, `AWS_S3_REGION_NAME`,
  `AWS_LOCATION`); credentials from `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY` (or whatever
  else boto3 reads: a profile, an instance role).

Every object is stored private (no public ACL). A page never links the store: it links a page
of the platform (a photo, an attachment), which checks the visitor's permission on the record
the file belongs to and then streams the file from disk or, with the object store, redirects to
a signed link that expires after `MEDIA_SIGNED_URL_SECONDS` (300). The platform's link is
stable and public for a public record; a private record's file answers 404 to anyone who may
not see the record, and the signed link it hands out is short-lived and never cached.
"""

import mimetypes
import os
from urllib.parse import parse_qsl, urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage, default_storage
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.utils.translation import gettext as _

from thetsaban.env import env_int, env_str

S3_BACKEND = "storages.backends.s3.S3Storage"
# The options MEDIA_STORAGE_URL may carry in its query string (django-storages' S3 names).
URL_OPTIONS = {"endpoint_url", "region_name", "addressing_style", "signature_version",
               "custom_domain", "url_protocol", "verify"}


def media_storage() -> dict:
    """The STORAGES["default"] entry the environment asks for."""
    url = env_str("MEDIA_STORAGE_URL", "") or ""
    bucket = env_str("AWS_STORAGE_BUCKET_NAME", "") or ""
    if not url and not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    options = {
        "location": env_str("AWS_LOCATION", "") or "",
        "endpoint_url": env_str("AWS_S3_ENDPOINT_URL") or None,
        "region_name": env_str("AWS_S3_REGION_NAME") or None,
        "addressing_style": env_str("AWS_S3_ADDRESSING_STYLE") or None,
    }
    if url:
        parts = urlsplit(url)
        if parts.scheme != "s3" or not parts.hostname:
            raise ImproperlyConfigured(
                f"MEDIA_STORAGE_URL={url!r} is not an object store URL "
                "(s3://bucket/prefix?endpoint_url=https://...)")
        bucket = parts.netloc
        options["location"] = parts.path.strip("/")
        for name, value in parse_qsl(parts.query, keep_blank_values=True):
            if name not in URL_OPTIONS:
                raise ImproperlyConfigured(
                    f"MEDIA_STORAGE_URL: unknown option {name!r} (use one of "
                    f"{', '.join(sorted(URL_OPTIONS))})")
            options[name] = value
    options = {name: value for name, value in options.items() if value not in (None, "")}
    if "verify" in options:
        options["verify"] = options["verify"].lower() not in {"0", "false", "no", "off"}
    return {"BACKEND": S3_BACKEND, "OPTIONS": {
        "bucket_name": bucket,
        "location": options.pop("location", ""),
        # Private objects, reached only through signed links that expire.
        "default_acl": "private",
        "querystring_auth": True,
        "querystring_expire": env_int("MEDIA_SIGNED_URL_SECONDS", 300),
        "signature_version": options.pop("signature_version", "s3v4"),
        # A second upload with the same name gets a name of its own, as on disk.
        "file_overwrite": False,
        **options,
    }}


def is_local(storage=None) -> bool:
    return isinstance(storage or default_storage, FileSystemStorage)


def serve_file(fieldfile, *, download_name: str = "", content_type: str = ""):
    """The answer to a visitor already allowed to see the record `fieldfile` belongs to.

    On disk: the file itself. In the object store: a redirect to a signed link that expires
    after MEDIA_SIGNED_URL_SECONDS; the browser is told not to keep the redirect."""
    if not fieldfile:
        raise Http404(_("This record has no file."))
    name = download_name or os.path.basename(fieldfile.name)
    content_type = content_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
    storage = fieldfile.storage
    if is_local(storage):
        try:
            handle = fieldfile.open("rb")
        except FileNotFoundError as error:
            raise Http404(_("The file is missing.")) from error
        response = FileResponse(handle, content_type=content_type,
                                as_attachment=bool(download_name), filename=name)
        # An uploaded file never runs as a page of the site (as nginx's /media/ location).
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response
    parameters = {"ResponseContentType": content_type}
    if download_name:
        parameters["ResponseContentDisposition"] = _attachment_header(name)
    response = HttpResponseRedirect(storage.url(fieldfile.name, parameters=parameters))
    response["Cache-Control"] = "private, no-store"
    return response


def _attachment_header(name: str) -> str:
    from django.utils.http import content_disposition_header
    return content_disposition_header(True, name)


def media_origins(entry: dict) -> list[str]:
    """The origins signed links point at, for the Content-Security-Policy (img-src): a photo
    shown in a page is a redirect to the object store, which the browser checks too."""
    if entry["BACKEND"] != S3_BACKEND:
        return []
    options = entry["OPTIONS"]
    if options.get("custom_domain"):
        return [f"{options.get('url_protocol', 'https:')}//{options['custom_domain']}"]
    if options.get("endpoint_url"):
        parts = urlsplit(options["endpoint_url"])
        return [f"{parts.scheme}://{parts.netloc}"]
    bucket, region = options["bucket_name"], options.get("region_name")
    hosts = [f"{bucket}.s3.amazonaws.com"] + ([f"{bucket}.s3.{region}.amazonaws.com"] if region else [])
    return [f"https://{host}" for host in hosts]


def delete_stored_files(sender, instance, using=None, **kwargs):
    """After a record with files is deleted (and the deletion committed), its files leave the
    disk or the object store too: nothing of a removed photo or attachment stays reachable."""
    from django.db import models, transaction

    files = [getattr(instance, field.attname) for field in sender._meta.concrete_fields
             if isinstance(field, models.FileField)]
    files = [(file.storage, file.name) for file in files if file]
    if not files:
        return

    def delete():
        for storage, name in files:
            storage.delete(name)
    transaction.on_commit(delete, using=using)


def delete_replaced_files(old, new) -> None:
    """After the save commits, remove the stored files that a change to a record replaced or
    cleared (`old` is the record as it was, None for a new one): as when a record is deleted,
    nothing of a replaced photo or attachment stays reachable."""
    from django.db import models, transaction

    if old is None:
        return
    files = []
    for field in type(old)._meta.concrete_fields:
        if isinstance(field, models.FileField):
            before, after = getattr(old, field.attname), getattr(new, field.attname)
            if before and before.name != (after.name if after else ""):
                files.append((before.storage, before.name))
    if not files:
        return

    def delete():
        for storage, name in files:
            storage.delete(name)
    transaction.on_commit(delete)


def stored_names(storage=None, top: str = ""):
    """Every file's name in `storage` (the default one), folder by folder."""
    storage = storage or default_storage
    folders, files = storage.listdir(top)
    for name in sorted(files):
        yield f"{top}/{name}" if top else name
    for folder in sorted(folders):
        yield from stored_names(storage, f"{top}/{folder}" if top else folder)
