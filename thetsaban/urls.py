from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from thetsaban import hooks, views
from thetsaban.api import build_router

# The admin's names (its colours and font: templates/admin/base_site.html).
admin.site.site_header = _("Thetsaban administration")
admin.site.site_title = _("Thetsaban administration")
admin.site.index_title = _("Records of the platform")

urlpatterns = [
    path("", views.Home.as_view(), name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    # Each installed app's pages, under the prefixes its AppConfig declares (thetsaban/hooks.py).
    *hooks.url_patterns(),
    path("admin/", admin.site.urls),
    path("api/v1/", include(hooks.api_url_patterns())),
    path("api/v1/", include(build_router().urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its script as a file (?script), so the page needs no inline script.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(
        url_name="api-schema", template_name="api/swagger_ui.html"), name="api-docs"),
]
# A URL under /api/ that matches no route (an id that is not a number, say) answers JSON too.
handler404 = views.page_not_found

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
