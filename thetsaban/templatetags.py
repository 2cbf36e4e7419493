"""Template filters every page uses (loaded as builtins, see settings.TEMPLATES)."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from thetsaban import dates, links, thai

register = template.Library()


@register.filter
def localdate(value, style: str = "long"):
    """A date in the reader's language: Buddhist Era with Thai month names on Thai pages."""
    return dates.format_date(value, style)


@register.filter
def fiscalyear(value):
    """The Thai fiscal year (October to September) of a date, for budget figures."""
    return dates.format_fiscal_year(value)


@register.filter
def localyear(value):
    """A year in the reader's era (B.E. on Thai pages)."""
    if not value:
        return ""
    return thai.buddhist_year(int(value)) if get_language() == "th" else value


@register.filter
def filesize(value):
    """Bytes as KB or MB."""
    value = int(value or 0)
    if value >= 1024 * 1024:
        return f"{value / 1024 / 1024:.1f} MB"
    return f"{max(1, value // 1024)} KB"


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (for facets and pages)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    params.pop("page", None) if "page" not in changes else None
    return "?" + params.urlencode()


@register.simple_tag(takes_context=True)
def sort_header(context, sorting, column: str, label):
    """A column header whose link sorts the list by `column` (thetsaban/sorting.py); the sorted
    column says which way with aria-sort, and a second click reverses it."""
    state = sorting.aria_sort(column)
    return format_html(
        '<th scope="col"{}><a class="sort" href="{}">{}</a></th>',
        format_html(' aria-sort="{}"', state) if state else "",
        query_with(context, sort=sorting.next_value(column)), label)


@register.filter
def web_href(value):
    """An address fit for href: http(s) only, otherwise "" (so the template shows plain text)."""
    return links.web_href(value)


@register.filter
def first_of_kind(items, kind: str):
    """The first of `items` whose `kind` is `kind` (a practice's first photo), or None."""
    return next((item for item in items or () if getattr(item, "kind", None) == kind), None)


@register.simple_tag(takes_context=True)
def social_card(context, title, summary, image_url="", kind="article"):
    """Open Graph and Twitter card meta tags, so a shared link shows a title, summary and picture.

    `image_url` is a path or an absolute address (none: a card without a picture)."""
    request = context.get("request")
    absolute = request.build_absolute_uri if request is not None else (lambda url=None: url or "")
    summary = " ".join(str(summary or "").split())
    if len(summary) > 300:
        summary = summary[:299] + "…"
    tags = [("property", "og:type", kind), ("property", "og:title", title),
            ("property", "og:description", summary), ("property", "og:url", absolute()),
            ("property", "og:site_name", _("Thetsaban")),
            ("name", "twitter:card", "summary_large_image" if image_url else "summary"),
            ("name", "twitter:title", title), ("name", "twitter:description", summary)]
    if image_url:
        image = absolute(str(image_url))
        tags += [("property", "og:image", image), ("name", "twitter:image", image)]
    return format_html_join("\n", '<meta {}="{}" content="{}">', ((a, n, str(c)) for a, n, c in tags))
