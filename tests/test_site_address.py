"""Every absolute link Agora writes names the site's configured address (SITE_URL), whatever
Host the request came with: pages, sitemap, robots.txt, feeds, calendars, QR codes, e-mails."""

import re
from xml.etree import ElementTree

import pytest
from icalendar import Calendar

from django.core import mail
from django.core.mail.backends import locmem
from django.test import override_settings

from wagtail.models import Site

from agora.addresses import sync_default_site
from agora.mail import SiteMessageIds
from tests.test_printing import decode_qr
from tests.test_proposals import event_data, propose

pytestmark = pytest.mark.django_db

ADDRESS = "https://agora.example.org"
# The same site, reached through another of its host names (a laptop's 127.0.0.1, a proxy).
OTHER_HOST = {"HTTP_HOST": "127.0.0.1"}


class Outbox(SiteMessageIds, locmem.EmailBackend):
    """The test outbox behind the same Message-ID rule as the site's SMTP and console backends."""


@pytest.fixture
def published_at_address(settings, neighbourhood, sections):
    settings.WAGTAILADMIN_BASE_URL = ADDRESS
    sync_default_site()
    return neighbourhood


def absolute_links(text: str) -> list[str]:
    return re.findall(r"https?://[^\s\"'<>]+", text)


def test_migrate_gives_wagtails_default_site_the_configured_address(settings, site):
    settings.WAGTAILADMIN_BASE_URL = ADDRESS

    sync_default_site()

    site = Site.objects.get(is_default_site=True)
    assert site.root_url == ADDRESS


def test_sitemap_robots_and_feed_name_the_site_address_not_the_requests_host(client, published_at_address):
    robots = client.get("/robots.txt", **OTHER_HOST).content.decode()
    assert f"Sitemap: {ADDRESS}/sitemap.xml" in robots

    sitemap = ElementTree.fromstring(client.get("/sitemap.xml", **OTHER_HOST).content)
    locations = [element.text for element in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert locations and all(location.startswith(f"{ADDRESS}/") for location in locations)

    feed = ElementTree.fromstring(client.get("/flux/", **OTHER_HOST).content)
    links = [element.text for element in feed.iter("link")]
    assert links and all(link.startswith(f"{ADDRESS}/") for link in links)


def test_calendars_and_their_subscription_links_name_the_site_address(client, published_at_address):
    event = published_at_address["event"]

    calendar = Calendar.from_ical(client.get("/agenda/agenda.ics", **OTHER_HOST).content)
    assert [str(vevent["URL"]) for vevent in calendar.walk("VEVENT")] == [f"{ADDRESS}{event.url}"]
    agenda = client.get("/agenda/", **OTHER_HOST).content.decode()
    assert "webcal://agora.example.org/agenda/agenda.ics" in agenda
    event_page = client.get(event.url, **OTHER_HOST).content.decode()
    assert "127.0.0.1" not in " ".join(absolute_links(event_page))


def test_the_posters_qr_code_leads_to_the_site_address(admin_client, published_at_address):
    event = published_at_address["event"]

    response = admin_client.get(f"{event.url}affiche/", **OTHER_HOST)

    assert decode_qr(response.content.decode()) == [f"{ADDRESS}{event.url}"]


@override_settings(EMAIL_BACKEND="tests.test_site_address.Outbox")
def test_e_mails_link_to_the_site_address_and_carry_a_message_id_on_its_domain(client, moderation, settings):
    settings.WAGTAILADMIN_BASE_URL = ADDRESS

    propose(client, "evenement", event_data())

    assert mail.outbox, "the moderators are told of the proposal"
    for message in mail.outbox:
        assert message.message()["Message-ID"].endswith("@agora.example.org>")
        assert all(link.startswith(f"{ADDRESS}/") for link in absolute_links(message.body))
