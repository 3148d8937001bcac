from django.conf import settings
from django.urls import include, path

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from home import views as home_views
from posts import feeds as posts_feeds
from posts import views as posts_views

urlpatterns = [
    path("healthz", home_views.healthz, name="healthz"),
    path("robots.txt", home_views.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Publications outside the page tree: Wagtail cannot route dotted names such as agenda.ics.
urlpatterns += [
    path("agenda/agenda.ics", posts_views.agenda_ics, name="agenda_ics"),
    path("agenda/<slug:slug>/evenement.ics", posts_views.event_ics, name="event_ics"),
    path("acteurs/<slug:slug>/agenda.ics", posts_views.acteur_agenda_ics, name="acteur_agenda_ics"),
    path("flux/", posts_feeds.PublicationFeed(), name="feed"),
    path("recherche/", posts_views.search, name="search"),
]

# Wagtail serves every other path from the page tree; keep it last.
urlpatterns += [path("", include(wagtail_urls))]
