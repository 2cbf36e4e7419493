"""Links to other sites: only http(s) addresses are stored as websites or rendered as links.

Anything else (javascript:, data:, file:, a bare word) would run or open something the reader did
not ask for, so it is refused on input and never becomes an href.
"""

from urllib.parse import urlsplit

from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

WEB_SCHEMES = ("http", "https")

validate_web_url = URLValidator(
    schemes=list(WEB_SCHEMES),
    message=_("Enter a full web address starting with http:// or https://."),
)


def web_href(value) -> str:
    """`value` when it is an http(s) address with a host, otherwise "" (no link)."""
    text = str(value or "").strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        return ""
    return text if parts.scheme.lower() in WEB_SCHEMES and parts.netloc else ""
