from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.functional import SimpleLazyObject

from thetsaban import hooks


def current_section(path: str, links) -> str:
    """The URL name of the navigation link whose address is the longest prefix of `path`.

    /practices/12/ is in "Practices" (/practices/), /practices/map/ in "Map": the longest
    prefix wins. The home page (/) is no section.
    """
    best, best_length = "", 1
    for link in links:
        try:
            url = reverse(link.url_name)
        except NoReverseMatch:
            continue
        if path.startswith(url) and len(url) > best_length:
            best, best_length = link.url_name, len(url)
    return best


def site(request):
    """Values every page needs: the map tiles, the upload limit and the main navigation.

    The navigation is what the installed apps declare (thetsaban/hooks.py): the links everyone
    sees, and (read only when the page shows them) those for the signed-in user's roles.
    `current_section` names the link marked aria-current in the navigation.
    """
    links = hooks.navigation()
    return {
        "MAP_TILES_URL": settings.MAP_TILES_URL,
        "MAX_UPLOAD_MB": settings.MAX_UPLOAD_MB,
        "navigation": [link for link in links if link.audience == "everyone"],
        "personal_navigation": SimpleLazyObject(lambda: [
            link for link in links if link.audience != "everyone" and link.visible_to(request.user)]),
        "current_section": SimpleLazyObject(lambda: current_section(request.path, links)),
    }
