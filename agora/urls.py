from django.conf import settings
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from bilans import views as bilans_views
from home import views as home_views
from posts.views import feeds as posts_feeds
from posts.views import map as posts_map_views
from posts.views import proposals as proposal_views
from posts.views import public as posts_public_views
from posts.views import reports as posts_report_views

urlpatterns = [
    path("healthz", home_views.healthz, name="healthz"),
    path("robots.txt", home_views.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.DEBUG:
    # Public uploads on a laptop, as the reverse proxy serves them in production (agora.media).
    from django.urls import re_path

    from agora.media import serve_public_media

    urlpatterns += [re_path(rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.+)$", serve_public_media)]

# Publications outside the page tree: Wagtail cannot route dotted names such as agenda.ics.
urlpatterns += [
    path("agenda/agenda.ics", posts_feeds.agenda_ics, name="agenda_ics"),
    path("agenda/<slug:slug>/evenement.ics", posts_feeds.event_ics, name="event_ics"),
    path("acteurs/<slug:slug>/agenda.ics", posts_feeds.acteur_agenda_ics, name="acteur_agenda_ics"),
    path("flux/", posts_feeds.PublicationFeed(), name="feed"),
    path("recherche/", posts_public_views.search, name="search"),
    path("carte/", posts_map_views.neighbourhood_map, name="map"),
    path("signaler/<int:page_id>/", posts_report_views.report_page, name="report_content"),
    path("proposer/", proposal_views.propose_index, name="propose_index"),
    path("proposer/suivi/<str:code>/", proposal_views.proposal_status, name="proposal_status"),
    path("proposer/recu/", proposal_views.kiosk_receipt, name="kiosk_receipt"),
    path("proposer/recu/<str:code>/", proposal_views.proposal_receipt, name="proposal_receipt"),
    path("proposer/photo/<str:token>/", proposal_views.kept_photo, name="kept_photo"),
    path("proposer/photo-telephone/<str:token>/", proposal_views.phone_photo, name="phone_photo"),
    path(
        "proposer/photo-telephone/<str:token>/etat/",
        proposal_views.phone_photo_status,
        name="phone_photo_status",
    ),
    path("proposer/<slug:kind>/", proposal_views.propose, name="propose"),
    path("lettre/", include("letter.urls")),
    # The FR | EN switch of the header. Without a CSRF token: a token would keep every page out
    # of the page cache, and a forged request can do no more than choose a language.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
]

# The private partner workspace (login required).
urlpatterns += [path("espace-partenaires/", include("partners.urls"))]

# Kiosk mode for the social-centre PC.
urlpatterns += [path("kiosque/", include("kiosk.urls"))]

# The agora's year in numbers, and the associations' own, for those that chose to show it.
urlpatterns += [
    path("bilan/<int:year>/", bilans_views.public_year, name="bilan_year"),
    path("bilan/<int:year>/<slug:slug>/", bilans_views.public_acteur_year, name="bilan_acteur_year"),
]

# Wagtail serves every other path from the page tree; keep it last.
urlpatterns += [path("", include(wagtail_urls))]
