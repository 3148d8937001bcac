"""Shared fixtures: the test clock, the page tree, users, the partner world, and a real Chromium
for browser tests. Test modules import the plain helpers (`at`, `page_text`, `note_data`…) from here."""

from __future__ import annotations

import datetime
import html
import os
import shutil
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial

import pytest

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from wagtail.models import Site

from home.models import HomePage
from partners import actions
from partners.models import Consent, FolderShare, FollowUpNote, Membership, Organisation
from posts.recurrence import PARIS

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
# Clearing a Redis cache empties its whole database: each pytest-xdist worker has one of its own
# (gw0 the 14th, gw1 the 13th…).
REDIS_TEST_URL = os.environ.get("AGORA_TEST_REDIS_URL") or "redis://127.0.0.1:6379/{}".format(
    14 - int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))
)

# What a developer's machine may lack, and how to get it. The tests that need it are skipped
# there, with a notice at the end of the run; CI sets the variable, which makes them fail instead.
SERVICES = {
    "Chromium": ("AGORA_REQUIRE_BROWSER", "Installez-le (apt-get install chromium) pour les lancer."),
    "Redis": (
        "AGORA_REQUIRE_REDIS",
        "Lancez un serveur Redis (apt-get install redis-server) pour les lancer.",
    ),
}


# --- The test clock -------------------------------------------------------------------------


class Clock:
    """Called like timezone.now(); a test moves it by assigning `moment`."""

    def __init__(self, moment: datetime.datetime):
        self.moment = moment

    def __call__(self) -> datetime.datetime:
        return self.moment


@pytest.fixture
def clock(request, monkeypatch) -> Clock:
    """timezone.now(), Agora's and Wagtail's alike, frozen at the test module's `NOW`."""
    moment = getattr(request.module, "NOW", None)
    if not isinstance(moment, datetime.datetime):
        pytest.fail(f"{request.module.__name__} uses the clock but sets no NOW (an aware datetime).")
    frozen = Clock(moment)
    monkeypatch.setattr(timezone, "now", frozen)
    return frozen


def at(day: datetime.date | str, hour=14, minute=0) -> datetime.datetime:
    """That day at that hour, Paris time."""
    day = datetime.date.fromisoformat(day) if isinstance(day, str) else day
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=PARIS)


def page_text(response) -> str:
    """The response's HTML with entities decoded (Django escapes apostrophes)."""
    return html.unescape(response.content.decode())


# --- Caches, the page tree and users ---------------------------------------------------------


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


@pytest.fixture(autouse=True)
def french_first():
    """Each test starts in French, as a new process does: a request in English leaves English
    active in the thread (LocaleMiddleware), and commands speak the active language."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield


@contextmanager
def shared_rows(django_db_blocker):
    """For a class- or module-scoped fixture: the rows it makes serve all the tests of its scope,
    and are rolled back after the last of them. Each test still runs in a savepoint of its own
    (pytest-django's `db`), so none sees what another one changed."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


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
        missing("Chromium", CHROMIUM_PATH, "tests navigateur")
    # Playwright's sync API runs an event loop in this thread; the ORM calls made by
    # fixtures around it are still synchronous and safe.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def live_site(settings, live_server):
    """The live server as the site's address (SITE_URL): QR codes and links then lead to it."""
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    return live_server


@pytest.fixture
def page(chromium):
    context = chromium.new_context(locale="fr-FR")
    browser_page = context.new_page()
    yield browser_page
    context.close()


def missing(service: str, where: str, tests: str):
    """Skip the test for want of `service`, or fail it where the service is required (CI)."""
    required_by, _install = SERVICES[service]
    reason = f"{service} introuvable ({where}) : {tests} ignorés."
    if os.environ.get(required_by):
        pytest.fail(f"{reason} {required_by} est défini : ils sont obligatoires.")
    pytest.skip(reason)


def missing_services_notice(skip_reasons) -> list[str]:
    """The lines of the end-of-run notice: each missing service once, and how to get it."""
    lines = []
    for service, (_required_by, install) in SERVICES.items():
        reason = next((r for r in skip_reasons if r.startswith(f"{service} introuvable")), None)
        if reason:
            lines += [reason, install]
    return lines


def pytest_terminal_summary(terminalreporter):
    # Read from the skip reports, which reach the terminal from every worker process.
    reasons = [
        report.longrepr[2].removeprefix("Skipped: ")
        for report in terminalreporter.stats.get("skipped", [])
        if isinstance(report.longrepr, tuple)
    ]
    lines = missing_services_notice(reasons)
    if lines:
        terminalreporter.write_sep("!", "NOTICE", yellow=True, bold=True)
        for line in lines:
            terminalreporter.write_line(line, yellow=True, bold=True)


# --- Redis, production's cache backend -----------------------------------------------------------


def redis_answers(url: str) -> bool:
    import redis

    try:
        return redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping()
    except (redis.exceptions.RedisError, OSError):
        return False


@pytest.fixture(scope="session")
def redis_url() -> str:
    """A Redis database the tests may empty (AGORA_TEST_REDIS_URL); without a server answering there,
    the test is skipped with a notice, unless AGORA_REQUIRE_REDIS is set (as in CI)."""
    if not redis_answers(REDIS_TEST_URL):
        missing("Redis", REDIS_TEST_URL, "tests Redis")
    return REDIS_TEST_URL


# --- Publishing: the page tree and small factories --------------------------------------


# The factories are plain functions, so that a class- or module-scoped fixture can build a world
# shared by several tests (see `shared_rows`); the fixtures below hand them to a single test.


def add_sections(home_page) -> dict:
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


def new_image(title="Atelier", size=(640, 400), color=(30, 90, 140)):
    import io

    from PIL import Image as PILImage

    from django.core.files.images import ImageFile

    from wagtail.images import get_image_model

    buffer = io.BytesIO()
    PILImage.new("RGB", size, color).save(buffer, "JPEG")
    return get_image_model().objects.create(
        title=title, file=ImageFile(buffer, name=f"{title.lower().replace(' ', '-')}.jpg")
    )


def new_acteur(sections, /, title="Résoudre", publish=True, **fields):
    from posts.models import ActeurPage

    acteur = ActeurPage(title=title, summary=f"Présentation de {title}", **fields)
    return _publish(acteur, sections["acteurs"], publish)


def new_event(
    sections,
    acteur,
    /,
    title="Atelier informatique",
    start=None,
    duration=datetime.timedelta(hours=2),
    publish=True,
    **fields,
):
    """An event at a given start (aware datetime); recurring with recurrence/recurrence_until."""
    from posts.models import EventExtraDate, EventPage

    start = start or timezone.now() + datetime.timedelta(days=2)
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


def new_news(sections, acteur, /, title="Le projet avance", publish=True, **fields):
    from posts.models import ProjectNewsPage

    fields.setdefault("acteur", acteur)
    page = ProjectNewsPage(title=title, summary=f"Résumé de {title}", **fields)
    return _publish(page, sections["news"], publish)


def new_portrait(sections, acteur, /, title="Portrait de Lina", publish=True, consent=True, **fields):
    """A portrait; published ones get a recorded consent first, as the rule requires."""
    from posts.models import PortraitConsent, PortraitPage

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
def sections(home_page):
    return add_sections(home_page)


@pytest.fixture
def make_image(db):
    return new_image


@pytest.fixture
def make_acteur(sections):
    return partial(new_acteur, sections)


@pytest.fixture
def acteur(make_acteur):
    return make_acteur()


@pytest.fixture
def make_event(sections, acteur):
    return partial(new_event, sections, acteur)


@pytest.fixture
def make_news(sections, acteur):
    return partial(new_news, sections, acteur)


@pytest.fixture
def make_portrait(sections, acteur):
    return partial(new_portrait, sections, acteur)


# --- Kiosk and accessibility (browser tests) ---------------------------------------------


@pytest.fixture
def neighbourhood(make_acteur, make_event, make_news, make_portrait, make_image):
    """A small published neighbourhood, open to residents' proposals, with a clean rate limit."""
    from datetime import timedelta

    from django.core.cache import cache
    from django.utils import timezone

    from posts.moderation import setup_moderation

    host = make_acteur("Centre social de la Rabière")
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

    host = make_acteur("Centre social de la Rabière")
    setup_moderation()
    moderator = make_user("moderatrice", email="moderatrice@example.org")
    moderator.groups.add(Group.objects.get(name=MODERATORS_GROUP))
    return {"host": host, "moderator": moderator, "sections": sections}


# --- The public site's staff world ----------------------------------------------------------


def build_staff_world(sections) -> dict:
    """Résoudre (trusted) and Courteline (moderated) with their staff, the host social centre, the
    moderation workflow, a moderator and an administrator. A plain function, so that a module-scoped
    fixture can share it (see `shared_rows`); the `world` fixture hands it to a single test."""
    from django.contrib.auth.models import Group

    from posts.models import ActeurPage
    from posts.moderation import MODERATORS_GROUP, setup_moderation

    resoudre = new_acteur(sections, "Résoudre", trusted=True)
    courteline = new_acteur(sections, "Courteline", trusted=False)
    host = new_acteur(sections, "Centre social de la Rabière")
    setup_moderation()
    User = get_user_model()
    users = {
        "resoudre": User.objects.create_user("resoudre", password=PASSWORD),
        "courteline": User.objects.create_user("courteline", password=PASSWORD),
        "moderatrice": User.objects.create_user("moderatrice", password=PASSWORD),
        "admin": User.objects.create_user("admin", password=PASSWORD, is_superuser=True, is_staff=True),
    }
    # Read again: creating an association page creates its staff group.
    resoudre, courteline = (ActeurPage.objects.get(pk=page.pk) for page in (resoudre, courteline))
    users["resoudre"].groups.add(resoudre.staff_group)
    users["courteline"].groups.add(courteline.staff_group)
    users["moderatrice"].groups.add(Group.objects.get(name=MODERATORS_GROUP))
    return {
        "users": users,
        "sections": sections,
        "resoudre": resoudre,
        "courteline": courteline,
        "host": host,
    }


@pytest.fixture
def world(sections) -> dict:
    return build_staff_world(sections)


def client_for(world: dict, role: str):
    """A client logged in as the world's `role`; anonymous where the world has no one for it."""
    from django.test import Client

    client = Client()
    if world["users"].get(role) is not None:
        client.force_login(world["users"][role])
    return client


# --- The partner world -----------------------------------------------------------------------
#
# A small partner world built like the demo seed, for the partner workspace tests. Accounts have
# the demo names. Résoudre (partenaire1, organisation admin) owns folders shared with Mission
# locale (partenaire2, member) read-write and read-only, and one it keeps to itself; Courteline
# (partenaire3, organisation admin) shares nothing. Records cover each case of consent: shared in
# full, shared "record only", private to one organisation, withdrawn. `admin` is a superuser
# without membership; moderatrice, resoudre and courteline are staff of the public site without
# membership.


@pytest.fixture
def partner_world(db, settings, tmp_path) -> World:
    """The partner world, its files in a private storage of this test's own: what a test deletes or
    counts there is exactly this world's."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return build_world()


@pytest.fixture(scope="class")
def shared_partner_world(django_db_setup, django_db_blocker, tmp_path_factory) -> World:
    """The partner world built once for a class of tests that only read it (it takes a fraction of
    a second, and the access matrix asks it a hundred times), rolled back after the class."""
    from django.test import override_settings

    private = tmp_path_factory.mktemp("private")
    with override_settings(PRIVATE_MEDIA_ROOT=private), shared_rows(django_db_blocker):
        yield build_world()


PASSWORD = "un-mot-de-passe-solide"
USERNAMES = ("admin", "moderatrice", "resoudre", "courteline", "partenaire1", "partenaire2", "partenaire3")


@dataclass
class World:
    users: dict = field(default_factory=dict)
    organisations: dict = field(default_factory=dict)
    folders: dict = field(default_factory=dict)
    files: dict = field(default_factory=dict)
    versions: dict = field(default_factory=dict)
    records: dict = field(default_factory=dict)
    notes: dict = field(default_factory=dict)
    consents: dict = field(default_factory=dict)

    def objects(self, kind: str) -> dict:
        return getattr(self, kind)


def text_file(name: str, text: str = "Compte rendu de la réunion des partenaires.\n") -> ContentFile:
    return ContentFile(text.encode(), name=name)


def make_users() -> dict:
    User = get_user_model()
    users = {}
    for username in USERNAMES:
        superuser = username == "admin"
        users[username] = User.objects.create_user(
            username=username,
            password=PASSWORD,
            first_name=username.capitalize(),
            email=f"{username}@agora.example.org",
            is_superuser=superuser,
            is_staff=superuser,
        )
    return users


def build_world() -> World:
    world = World(users=make_users())
    u = world.users
    p1, p2, p3 = u["partenaire1"], u["partenaire2"], u["partenaire3"]
    resoudre = Organisation.objects.create(name="Résoudre")
    mission = Organisation.objects.create(name="Mission locale")
    courteline = Organisation.objects.create(name="Association socioculturelle Courteline")
    world.organisations = {"resoudre": resoudre, "mission": mission, "courteline": courteline}
    Membership.objects.create(user=p1, organisation=resoudre, role=Membership.Role.ADMIN)
    Membership.objects.create(user=p2, organisation=mission, role=Membership.Role.MEMBER)
    Membership.objects.create(user=p3, organisation=courteline, role=Membership.Role.ADMIN)

    # Folders
    f = world.folders
    f["shared"] = actions.create_folder(p1, organisation=resoudre, name="Suivi emploi — Rabière")
    actions.share_folder(p1, f["shared"], mission, FolderShare.Access.WRITE)
    f["readonly"] = actions.create_folder(p1, organisation=resoudre, name="Comptes rendus")
    actions.share_folder(p1, f["readonly"], mission, FolderShare.Access.READ)
    f["private"] = actions.create_folder(p1, organisation=resoudre, name="Interne Résoudre")
    f["courteline"] = actions.create_folder(p3, organisation=courteline, name="Ateliers PREF")

    # Records and consents
    today = timezone.localdate()
    r = world.records

    def record(key, referent, organisation, first, last):
        r[key] = actions.create_record(
            referent,
            organisation=organisation,
            first_name=first,
            last_name=last,
            referent=referent,
            last_contact_on=today - datetime.timedelta(days=10),
        )
        world.consents[f"{key}_referent"] = Consent.objects.get(job_seeker=r[key], organisation=organisation)

    record("shared", p1, resoudre, "Inès", "Moreau")
    record("record_only", p2, mission, "Karim", "Haddad")
    record("resoudre_only", p1, resoudre, "Sophie", "Lambert")
    record("courteline", p3, courteline, "Yanis", "Petit")
    record("withdrawn", p1, resoudre, "Lucas", "Bernard")
    c = world.consents
    c["shared_mission"] = actions.grant_consent(
        p1, r["shared"], organisation=mission, scope=Consent.Scope.FULL
    )
    c["record_only_resoudre"] = actions.grant_consent(
        p2, r["record_only"], organisation=resoudre, scope=Consent.Scope.RECORD
    )
    c["withdrawn_mission"] = actions.grant_consent(
        p1, r["withdrawn"], organisation=mission, scope=Consent.Scope.FULL
    )
    actions.withdraw_consent(p1, c["withdrawn_mission"])

    # Files and versions
    files, versions = world.files, world.versions

    def upload(key, user, folder, name, job_seeker=None):
        version = actions.upload_file(user, folder, text_file(name), job_seeker=job_seeker)
        files[key], versions[key] = version.file, version

    upload("shared", p1, f["shared"], "Compte rendu réunion.txt")
    versions["shared_v2"] = actions.upload_version(
        p2, files["shared"], text_file("Compte rendu réunion v2.txt")
    )
    upload("readonly", p1, f["readonly"], "Calendrier des ateliers.csv")
    upload("private", p1, f["private"], "Notes internes.txt")
    upload("courteline", p3, f["courteline"], "Programme PREF.txt")
    upload("linked_shared", p1, f["shared"], "CV Inès Moreau.txt", job_seeker=r["shared"])
    upload("linked_resoudre_only", p1, f["shared"], "CV Sophie Lambert.txt", job_seeker=r["resoudre_only"])
    upload("linked_record_only", p2, f["shared"], "CV Karim Haddad.txt", job_seeker=r["record_only"])

    # Notes
    n = world.notes

    def note(key, user, record_key, organisation, text):
        n[key] = actions.record_note(user, r[record_key], organisation=organisation, text=text)

    note("shared_by_p1", p1, "shared", resoudre, "Atelier CV du 12/03 : CV mis à jour, à relire ensemble")
    note("shared_by_p2", p2, "shared", mission, "Entretien à la Mission locale : projet de formation.")
    note("record_only_by_p2", p2, "record_only", mission, "Orientation vers une formation logistique.")
    note("resoudre_only_by_p1", p1, "resoudre_only", resoudre, "Appel : a signé un CDD.")
    note("courteline_by_p3", p3, "courteline", courteline, "Atelier PREF : espace candidat créé.")
    return world


def note_data(world: World, **overrides) -> dict:
    """The follow-up note form as a partner of Résoudre fills it in, with `overrides`."""
    today = timezone.localdate()
    data = {
        "date": today.isoformat(),
        "kind": FollowUpNote.Kind.WORKSHOP,
        "organisation": world.organisations["resoudre"].pk,
        "text": "Atelier CV du 12/03 : CV mis à jour, à relire ensemble",
        "next_step": "Relire le CV ensemble",
        "next_step_on": (today + datetime.timedelta(days=7)).isoformat(),
    }
    data.update(overrides)
    return data


def record_form_data(record, **overrides) -> dict:
    """The record edit form as it comes, filled with the record's values, with `overrides`."""
    data = {
        "first_name": record.first_name,
        "last_name": record.last_name,
        "email": record.email,
        "phone": record.phone,
        "status": record.status,
        "referent": record.referent_id or "",
        "last_contact_on": record.last_contact_on.isoformat(),
    }
    data.update(overrides)
    return data
