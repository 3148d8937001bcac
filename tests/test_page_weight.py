"""Light pages: the home page under 100 KB of HTML+CSS+JS, nothing loaded from another host, and
static files compressed, fingerprinted and cached for a long time by whitenoise."""

import importlib
import re
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from django.core.management import call_command
from django.test import RequestFactory, override_settings
from django.utils import timezone

from kiosk.mode import KIOSK_COOKIE

pytestmark = pytest.mark.django_db

BUDGET_BYTES = 100 * 1024
FAR_FUTURE = 10 * 365 * 24 * 3600  # whitenoise's max-age for fingerprinted files


class Resources(HTMLParser):
    """The scripts, stylesheets, fonts, frames and images a page asks the browser to load."""

    def __init__(self):
        super().__init__()
        self.stylesheets, self.scripts, self.other = [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("href"):
            rel = (attrs.get("rel") or "").split()
            if "stylesheet" in rel:
                self.stylesheets.append(attrs["href"])
            elif {"preload", "prefetch", "preconnect", "dns-prefetch", "icon", "modulepreload"} & set(rel):
                self.other.append(attrs["href"])
        elif tag == "script" and attrs.get("src"):
            self.scripts.append(attrs["src"])
        elif tag in ("img", "source", "iframe", "video", "audio") and (
            attrs.get("src") or attrs.get("srcset")
        ):
            self.other.extend(re.findall(r"(\S+)(?:\s+\d+[wx])?,?", attrs.get("src") or attrs["srcset"]))


def parse(html: str) -> Resources:
    found = Resources()
    found.feed(html)
    return found


def is_other_host(url: str) -> bool:
    parts = urlsplit(url)
    return bool(parts.netloc) and parts.netloc not in ("testserver", "localhost", "127.0.0.1")


def body_of(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


@pytest.fixture
def demo_like_home(make_acteur, make_event, make_news, make_portrait, make_image):
    """As many cards as the demo shows on the home page, each with an image."""
    now = timezone.now()
    acteurs = [
        make_acteur(f"Association numéro {number}", logo=make_image(f"Logo {number}")) for number in range(6)
    ]
    for number in range(8):
        event = make_event(
            f"Atelier de quartier numéro {number}",
            start=now + timedelta(days=1 + number % 6, hours=number),
            acteur=acteurs[number % 6],
            image=make_image(f"Atelier {number}"),
            image_alt=f"Des habitants à l'atelier {number}",
            publish=False,
        )
        event.tags.add("quartier", f"thème {number}")
        event.save_revision().publish()
    for number in range(6):
        make_news(
            f"Nouvelle du projet numéro {number}",
            image=make_image(f"Nouvelle {number}"),
            image_alt=f"Le chantier {number}",
        )
    for number in range(4):
        make_portrait(f"Portrait numéro {number}", person_name=f"Personne {number}")


def weight(client, **extra) -> tuple[int, Resources, str]:
    response = client.get("/", **extra)
    assert response.status_code == 200
    html = response.content.decode()
    resources = parse(html)
    total = len(response.content)
    for url in [*resources.stylesheets, *resources.scripts]:
        if is_other_host(url):
            continue
        asset = client.get(url)
        assert asset.status_code == 200, url
        total += len(body_of(asset))
    return total, resources, html


def test_home_page_with_demo_like_content_weighs_under_100_kb(client, demo_like_home):
    total, resources, html = weight(client)
    assert resources.stylesheets, "the page has its stylesheet"
    assert html.count("<picture") >= 6, "the cards are rendered"
    assert total < BUDGET_BYTES, f"{total} bytes of HTML+CSS+JS"


def test_kiosk_home_page_with_its_script_stays_under_100_kb(client, demo_like_home):
    client.cookies[KIOSK_COOKIE] = "1"
    total, resources, _html = weight(client)
    assert resources.scripts, "the kiosk timer is loaded"
    assert total < BUDGET_BYTES, f"{total} bytes of HTML+CSS+JS"


def test_home_page_loads_nothing_from_another_host(client, demo_like_home):
    _total, resources, html = weight(client)
    for url in [*resources.stylesheets, *resources.scripts, *resources.other]:
        assert not is_other_host(url), url
    for url in resources.stylesheets:
        css = body_of(client.get(url)).decode()
        assert not re.search(r"@import|url\(\s*['\"]?(https?:)?//", css), url
    assert "fonts.googleapis" not in html


def test_card_images_are_lazy_modern_renditions_with_srcset(client, demo_like_home):
    html = client.get("/").content.decode()
    assert 'type="image/avif"' in html
    assert 'type="image/webp"' in html
    assert "srcset=" in html
    assert 'loading="lazy"' in html


def production_storages(monkeypatch) -> dict:
    monkeypatch.setenv("SECRET_KEY", "agora-tests-only-production-settings")
    monkeypatch.setenv("ALLOWED_HOSTS", "agora.example")
    monkeypatch.setenv("SITE_URL", "https://agora.example")
    production = importlib.import_module("agora.settings.production")
    return importlib.reload(production).STORAGES


def test_static_files_are_compressed_fingerprinted_and_cached_far_ahead(tmp_path, monkeypatch, settings):
    storages = production_storages(monkeypatch)
    assert storages["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"

    # Only Agora's own static/ folder: collecting Wagtail's admin files would take long.
    with override_settings(
        STORAGES=storages,
        STATIC_ROOT=tmp_path,
        STATICFILES_FINDERS=["django.contrib.staticfiles.finders.FileSystemFinder"],
        WHITENOISE_USE_FINDERS=False,
        WHITENOISE_AUTOREFRESH=False,
        DEBUG=False,
    ):
        call_command("collectstatic", interactive=False, verbosity=0)
        from whitenoise.middleware import WhiteNoiseMiddleware

        from django.contrib.staticfiles.storage import staticfiles_storage
        from django.http import HttpResponse

        hashed = staticfiles_storage.url("css/agora.css")
        assert re.fullmatch(r"/static/css/agora\.[0-9a-f]{12}\.css", hashed)
        assert (tmp_path / hashed.removeprefix("/static/")).with_suffix(".css.gz").exists()

        whitenoise = WhiteNoiseMiddleware(lambda request: HttpResponse(status=404))
        factory = RequestFactory()

        response = whitenoise(factory.get(hashed, HTTP_ACCEPT_ENCODING="gzip, br"))
        assert response.status_code == 200
        assert response["Content-Encoding"] in ("gzip", "br")
        assert f"max-age={FAR_FUTURE}" in response["Cache-Control"]
        assert "immutable" in response["Cache-Control"]

        # The unhashed name is still served, but only for a short time.
        plain = whitenoise(factory.get("/static/css/agora.css"))
        assert plain.status_code == 200
        assert "immutable" not in plain["Cache-Control"]
