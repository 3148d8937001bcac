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
