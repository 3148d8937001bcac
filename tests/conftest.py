"""Shared fixtures: the page tree, users, and a real Chromium for browser tests."""

import os
import shutil

import pytest

from django.contrib.auth import get_user_model

from wagtail.models import Site

from home.models import HomePage

CHROMIUM_PATH = os.environ.get("AGORA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
_browser_notice: list[str] = []


@pytest.fixture(autouse=True)
def fresh_caches():
    """Each test's database starts afresh, and so must the caches: rate-limit counts, one-time
    submission tokens, Wagtail's site root paths, the page cache and image renditions."""
    from django.core.cache import caches

    def forget():
        for cache in caches.all():
            cache.clear()

    forget()
    yield
    forget()


@pytest.fixture
def home_page(db) -> HomePage:
    """The home page created by the migrations, served by the default site."""
    return HomePage.objects.get()


@pytest.fixture
def site(home_page) -> Site:
    return Site.objects.get(is_default_site=True)


@pytest.fixture
def make_user(db):
    def make(username="habitante", password="un-mot-de-passe-solide", **extra):
        return get_user_model().objects.create_user(username=username, password=password, **extra)

    return make


def chromium_available() -> bool:
    return bool(shutil.which(CHROMIUM_PATH)) and _playwright_installed()


def _playwright_installed() -> bool:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.fixture(scope="session")
def chromium():
    """A headless Debian Chromium driven by Playwright; never a browser Playwright downloads.

    Without Chromium the test is skipped with a notice, unless AGORA_REQUIRE_BROWSER is set
    (as in CI), where a missing browser is a failure.
    """
    if not chromium_available():
        reason = f"Chromium introuvable ({CHROMIUM_PATH}) : tests navigateur ignorés."
        if os.environ.get("AGORA_REQUIRE_BROWSER"):
            pytest.fail(reason + " AGORA_REQUIRE_BROWSER est défini : ils sont obligatoires.")
        _browser_notice.append(reason)
        pytest.skip(reason)
    # Playwright's sync API runs an event loop in this thread; the ORM calls made by
    # fixtures around it are still synchronous and safe.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    context = chromium.new_context(locale="fr-FR")
    browser_page = context.new_page()
    yield browser_page
    context.close()


def pytest_terminal_summary(terminalreporter):
    if _browser_notice:
        terminalreporter.write_sep("!", "NOTICE", yellow=True, bold=True)
        terminalreporter.write_line(_browser_notice[0], yellow=True, bold=True)
        terminalreporter.write_line("Installez-le (apt-get install chromium) pour les lancer.", yellow=True)


# --- Publishing: the page tree and small factories --------------------------------------


@pytest.fixture
def sections(home_page):
    """The four section indexes under the home page, as DESIGN's URL contract has them."""
    from posts.models import ActeurIndexPage, AgendaIndexPage, NewsIndexPage, PortraitIndexPage

    made = {}
    for key, model, title, slug in [
        ("agenda", AgendaIndexPage, "Agenda", "agenda"),
        ("news", NewsIndexPage, "Actualités", "actualites"),
        ("portraits", PortraitIndexPage, "Portraits", "portraits"),
        ("acteurs", ActeurIndexPage, "Acteurs du quartier", "acteurs"),
    ]:
        made[key] = home_page.add_child(instance=model(title=title, slug=slug))
    return made


@pytest.fixture
def make_image(db):
    from PIL import Image as PILImage

    from django.core.files.images import ImageFile

    from wagtail.images import get_image_model

    def make(title="Atelier", size=(640, 400), color=(30, 90, 140)):
        import io

        buffer = io.BytesIO()
        PILImage.new("RGB", size, color).save(buffer, "JPEG")
        return get_image_model().objects.create(
            title=title, file=ImageFile(buffer, name=f"{title.lower().replace(' ', '-')}.jpg")
        )

    return make


@pytest.fixture
def make_acteur(sections):
    from posts.models import ActeurPage

    def make(title="Résoudre", publish=True, **fields):
        acteur = ActeurPage(title=title, summary=f"Présentation de {title}", **fields)
        return _publish(acteur, sections["acteurs"], publish)

    return make


@pytest.fixture
def acteur(make_acteur):
    return make_acteur()


def _publish(page, parent, publish):
    """Add `page` under `parent` as a draft, then publish its first revision if asked."""
    page.live = False
    parent.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
        page.refresh_from_db()
    return page


@pytest.fixture
def make_event(sections, acteur):
    """An event at a given start (aware datetime); recurring with recurrence/recurrence_until."""
    from datetime import timedelta

    from django.utils import timezone

    from posts.models import EventExtraDate, EventPage

    def make(title="Atelier informatique", start=None, duration=timedelta(hours=2), publish=True, **fields):
        start = start or timezone.now() + timedelta(days=2)
        extra_dates = fields.pop("extra_dates", [])
        fields.setdefault("acteur", acteur)
        fields.setdefault("place_name", "Centre social de la Rabière")
        event = EventPage(
            title=title,
            summary=f"Résumé de {title}",
            start=start,
            end=start + duration,
            **fields,
        )
        event.extra_dates = [EventExtraDate(date=day) for day in extra_dates]
        return _publish(event, sections["agenda"], publish)

    return make


@pytest.fixture
def make_news(sections, acteur):
    from posts.models import ProjectNewsPage

    def make(title="Le projet avance", publish=True, **fields):
        fields.setdefault("acteur", acteur)
        page = ProjectNewsPage(title=title, summary=f"Résumé de {title}", **fields)
        return _publish(page, sections["news"], publish)

    return make


@pytest.fixture
def make_portrait(sections, acteur):
    """A portrait; published ones get a recorded consent first, as the rule requires."""
    from posts.models import PortraitConsent, PortraitPage

    def make(title="Portrait de Lina", publish=True, consent=True, **fields):
        fields.setdefault("acteur", acteur)
        fields.setdefault("person_name", "Lina")
        fields.setdefault("role", "bénévole")
        page = PortraitPage(title=title, summary=f"Résumé de {title}", **fields)
        _publish(page, sections["portraits"], publish=False)
        if consent:
            PortraitConsent.objects.create(
                portrait=page, given_by=fields["person_name"], method=PortraitConsent.Method.WRITTEN
            )
        if publish:
            page.save_revision().publish()
            page.refresh_from_db()
        return page

    return make


# --- Kiosk and accessibility (browser tests) ---------------------------------------------


@pytest.fixture
def neighbourhood(make_acteur, make_event, make_news, make_portrait, make_image):
    """A small published neighbourhood, open to residents' proposals, with a clean rate limit."""
    from datetime import timedelta

    from django.core.cache import cache
    from django.utils import timezone

    from posts.moderation import setup_moderation

    host = make_acteur("Centre social de la Rabière", welcomes_residents=True)
    setup_moderation()
    cache.clear()
    made = {
        "host": host,
        "event": make_event(
            "Atelier informatique pour débuter",
            # On the hour, as the admin enters it (no microseconds in <time datetime>).
            start=(timezone.now() + timedelta(days=2)).replace(minute=0, second=0, microsecond=0),
            image=make_image("Atelier"),
            image_alt="Des habitantes devant des ordinateurs",
        ),
        "news": make_news("Le jardin partagé s'agrandit"),
        "portrait": make_portrait("Portrait de Lina"),
    }
    yield made
    cache.clear()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """The test database, whose serialized contents every connection object can restore.

    Playwright's sync API runs an event loop in the test thread; from then on Django (through
    asgiref) hands out new connection objects, which lack the contents serialized at setup.
    Browser tests that ran after other database tests then started from an empty database
    (no home page) instead of the migrations' data: serialized_rollback needs them everywhere.
    """
    from django.db import connections

    shared = []
    for connection in connections.all(initialized_only=True):
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents is not None:
            type(connection)._test_serialized_contents = contents
            shared.append(type(connection))
    yield
    for backend in shared:
        del backend._test_serialized_contents


@pytest.fixture
def moderation(sections, make_acteur, make_user):
    """Sections, a host social centre, the workflow, and a moderator with an e-mail address."""
    from django.contrib.auth.models import Group

    from posts.moderation import MODERATORS_GROUP, setup_moderation

    host = make_acteur("Centre social de la Rabière", welcomes_residents=True)
    setup_moderation()
    moderator = make_user("moderatrice", email="moderatrice@example.org")
    moderator.groups.add(Group.objects.get(name=MODERATORS_GROUP))
    return {"host": host, "moderator": moderator, "sections": sections}
