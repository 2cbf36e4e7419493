from django.conf import settings
from django.utils.functional import SimpleLazyObject

from thetsaban import hooks


def site(request):
    """Values every page needs: the map tiles, the upload limit and the main navigation.

    The navigation is what the installed apps declare (thetsaban/hooks.py): the links everyone
    sees, and (read only when the page shows them) those for the signed-in user's roles.
    """
    links = hooks.navigation()
    return {
        "MAP_TILES_URL": settings.MAP_TILES_URL,
        "MAX_UPLOAD_MB": settings.MAX_UPLOAD_MB,
        "navigation": [link for link in links if link.audience == "everyone"],
        "personal_navigation": SimpleLazyObject(lambda: [
            link for link in links if link.audience != "everyone" and link.visible_to(request.user)]),
    }
