from django.conf import settings


def site(request):
    """Values every page needs: the map tiles and the upload limit."""
    return {"MAP_TILES_URL": settings.MAP_TILES_URL, "MAX_UPLOAD_MB": settings.MAX_UPLOAD_MB}
