from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from thetsaban import views
from thetsaban.api import build_router
from thetsaban.directory.api import PopoloExportView
from thetsaban.search.api import SearchAPIView

urlpatterns = [
    path("", views.home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("thetsaban.accounts.urls")),
    path("places/", include("thetsaban.places.urls")),
    path("directory/", include("thetsaban.directory.urls")),
    path("practices/", include("thetsaban.practices.urls")),
    path("search/", include("thetsaban.search.urls")),
    path("coaching/matching/", include("thetsaban.coaching.matching_urls")),
    path("coaching/", include("thetsaban.coaching.urls")),
    path("transfers/", include("thetsaban.transfers.urls")),
    path("policy/", include("thetsaban.policy.urls")),
    path("participation/", include("thetsaban.participation.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/popolo.json", PopoloExportView.as_view(), name="popolo"),
    path("api/v1/search/", SearchAPIView.as_view(), name="api-search"),
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
