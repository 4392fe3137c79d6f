from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import TemplateView
from django.views.i18n import set_language

from items import landscape_views
from items.sitemaps import EnforcementActionSitemap, IssueSitemap, ItemsListPageSitemap, NewsItemSitemap
from regulators import urls as regulators_urls
from regulators.sitemaps import InstrumentSitemap, RegulatorSitemap, RegulatorsListPageSitemap

admin.site.site_header = "Cybersecurity and Data Protection Review"
admin.site.site_title = "Review editors"
admin.site.index_title = "Editorial desk"

SITEMAPS = {
    "pages": ItemsListPageSitemap,
    "regulator-pages": RegulatorsListPageSitemap,
    "issues": IssueSitemap,
    "items": NewsItemSitemap,
    "enforcement": EnforcementActionSitemap,
    "regulators": RegulatorSitemap,
    "instruments": InstrumentSitemap,
}

urlpatterns = [
    path("admin/", admin.site.urls),
    # The language switcher is in every page's header. Without a CSRF token in it, public pages
    # are the same bytes for every anonymous reader and can be cached whole (page_cache.py).
    # Forging it could only change a reader's language: the view checks `next` is on this site.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("api/", include("api.urls")),
    path("", include("items.urls")),
    path("", include((regulators_urls.urlpatterns + landscape_views.urlpatterns, "regulators"))),
    path("", include("alerts.urls")),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", TemplateView.as_view(template_name="robots.txt", content_type="text/plain"), name="robots"),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
