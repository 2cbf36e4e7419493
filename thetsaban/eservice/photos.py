"""Photos people attach: read by their content, re-encoded without metadata, with a thumbnail."""

import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
MAX_PIXELS = 40_000_000
LONG_SIDE = 2048
THUMB_SIDE = 320


def max_photo_bytes() -> int:
    return getattr(settings, "ESERVICE_MAX_PHOTO_MB", 8) * 1024 * 1024


def clean_photo(upload) -> tuple[bytes, bytes, int, int]:
    """(photo JPEG, thumbnail JPEG, width, height) of an uploaded image, or a ValidationError.

    The image is decoded and written anew, so nothing of the original file but its pixels is
    kept: no EXIF (the phone's GPS position included), no comments, no trailing data.
    """
    name = getattr(upload, "name", "") or _("photo")
    if upload.size > max_photo_bytes():
        raise ValidationError(_("%(name)s is larger than %(limit)s MB.") % {
            "name": name, "limit": max_photo_bytes() // (1024 * 1024)})
    upload.seek(0)
    data = upload.read()
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError(_("%(name)s has too many pixels.") % {"name": name})
            probe.verify()
        if kind not in ALLOWED_FORMATS:
            raise ValidationError(_("%(name)s is not a JPEG, PNG, WebP or GIF image.") % {"name": name})
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            image = ImageOps.exif_transpose(image).convert("RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise ValidationError(_("%(name)s is not a readable image.") % {"name": name}) from error
    image.thumbnail((LONG_SIDE, LONG_SIDE))
    photo = io.BytesIO()
    image.save(photo, "JPEG", quality=85)
    thumb_image = image.copy()
    thumb_image.thumbnail((THUMB_SIDE, THUMB_SIDE))
    thumb = io.BytesIO()
    thumb_image.save(thumb, "JPEG", quality=80)
    return photo.getvalue(), thumb.getvalue(), image.width, image.height
