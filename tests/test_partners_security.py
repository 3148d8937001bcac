"""Workspace security: its own login, lockout after failures, idle expiry, no caching, hashing."""

import datetime
import importlib
import time

import pytest
from axes.models import AccessAttempt

from django.contrib.auth import get_user_model
from django.db.models import F
from django.test import Client
from django.urls import reverse

from partners.middleware import LAST_SEEN_KEY
from tests.conftest import PASSWORD, page_text

pytestmark = pytest.mark.django_db

LOGIN = "/espace-partenaires/connexion/"
DASHBOARD = "/espace-partenaires/"


@pytest.fixture
def partner(db):
    from partners.models import Membership, Organisation

    user = get_user_model().objects.create_user("partenaire1", password=PASSWORD, first_name="Paula")
    Membership.objects.create(user=user, organisation=Organisation.objects.create(name="Résoudre"))
    return user


def login(client, username="partenaire1", password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password, **extra})


def test_workspace_has_its_own_login_page_without_remember_me(client, partner):
    html = page_text(client.get(LOGIN))

    assert "Connexion à l'espace partenaires" in html
    assert 'name="username"' in html and 'name="password"' in html
    assert "remember" not in html.lower() and "se souvenir" not in html.lower()
    assert 'type="checkbox"' not in html


def test_login_goes_to_the_dashboard_with_a_browser_session_cookie(client, partner):
    response = login(client)

    assert response.status_code == 302 and response.url == DASHBOARD
    assert client.session.get_expire_at_browser_close()
    cookie = client.cookies["sessionid"]
    assert not cookie["expires"] and not cookie["max-age"]
    assert "Vous êtes connecté·e" in page_text(client.get(DASHBOARD))


def test_login_returns_to_the_requested_page(client, partner):
    first = client.get("/espace-partenaires/personnes/")
    assert first.url == f"{LOGIN}?next=/espace-partenaires/personnes/"

    response = login(client, next="/espace-partenaires/personnes/")

    assert response.url == "/espace-partenaires/personnes/"


def test_wrong_password_gets_a_french_message(client, partner):
    response = login(client, password="mauvais")

    assert response.status_code == 200
    assert "Identifiant ou mot de passe incorrect." in page_text(response)


def test_logout_is_a_post_and_confirms(client, partner):
    client.force_login(partner)
    assert client.get(reverse("partners:logout")).status_code == 405

    response = client.post(reverse("partners:logout"), follow=True)

    assert "Vous êtes déconnecté·e de l'espace partenaires." in page_text(response)
    assert client.get(DASHBOARD).status_code == 302


def test_five_failures_lock_the_login_for_fifteen_minutes(client, partner):
    for attempt in range(4):
        assert login(client, password=f"essai-{attempt}").status_code == 200

    locked = login(client, password="essai-5")

    assert locked.status_code == 429
    html = page_text(locked)
    assert "la connexion est bloquée pendant 15 minutes" in html
    assert "Connexion à l'espace partenaires" in html
    # Even the right password is refused while locked, from this address or for this account.
    assert login(client).status_code == 429
    assert "_auth_user_id" not in client.session
    assert login(client, username="quelquun").status_code == 429

    AccessAttempt.objects.update(attempt_time=F("attempt_time") - datetime.timedelta(minutes=16))

    assert login(client).status_code == 302


def test_lockout_bypass_own_logins_do_not_forget_failures_of_another_account(client, partner, make_user):
    """An attacker guessing `resoudre`'s password from one address, logging in to their own
    account between guesses: 12 wrong guesses in all, and `resoudre` ends up locked."""
    make_user("resoudre", password=PASSWORD)
    attacker = {"REMOTE_ADDR": "198.51.100.7"}
    checked = 0
    for guess in range(12):
        response = client.post(LOGIN, {"username": "resoudre", "password": f"essai-{guess}"}, **attacker)
        checked += response.status_code == 200
        if guess % 3 == 2:
            client.post(LOGIN, {"username": "partenaire1", "password": PASSWORD}, **attacker)
            client.post(reverse("partners:logout"))

    assert checked == 4
    # Locked for the cool-off, even with the right password and from another address.
    elsewhere = Client(REMOTE_ADDR="192.0.2.20")
    assert elsewhere.post(LOGIN, {"username": "resoudre", "password": PASSWORD}).status_code == 429
    assert "_auth_user_id" not in elsewhere.session
    # The address stays locked too, for every account.
    own = {"username": "partenaire1", "password": PASSWORD}
    assert client.post(LOGIN, own, **attacker).status_code == 429

    AccessAttempt.objects.update(attempt_time=F("attempt_time") - datetime.timedelta(minutes=16))

    assert elsewhere.post(LOGIN, {"username": "resoudre", "password": PASSWORD}).status_code == 302


def test_own_successful_login_forgets_own_failures(client, partner):
    for attempt in range(4):
        assert login(client, password=f"essai-{attempt}").status_code == 200
    assert login(client).status_code == 302
    client.post(reverse("partners:logout"))

    for attempt in range(4):
        assert login(client, password=f"encore-{attempt}").status_code == 200
    assert login(client).status_code == 302


def test_lockout_settings():
    base = importlib.import_module("agora.settings.base")

    assert (base.AXES_FAILURE_LIMIT, base.AXES_COOLOFF_TIME * 60) == (5, 15)
    assert base.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"
    assert base.AUTHENTICATION_BACKENDS[0] == "partners.security.LockoutBackend"


def test_passwords_are_hashed_with_argon2_and_validated():
    base = importlib.import_module("agora.settings.base")

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    validators = {validator["NAME"].rsplit(".", 1)[-1] for validator in base.AUTH_PASSWORD_VALIDATORS}
    assert validators == {
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    }


def set_last_seen(client, seconds_ago):
    session = client.session
    session[LAST_SEEN_KEY] = time.time() - seconds_ago
    session.save()


def test_idle_session_expires_after_thirty_minutes(client, partner):
    login(client)
    set_last_seen(client, 31 * 60)

    response = client.get("/espace-partenaires/dossiers/")

    assert response.status_code == 302
    assert response.url == f"{LOGIN}?next=/espace-partenaires/dossiers/"
    assert "_auth_user_id" not in client.session
    html = page_text(client.get(response.url))
    assert "Votre session a expiré après 30 minutes sans activité." in html
    assert client.get(DASHBOARD).status_code == 302


def test_activity_keeps_the_session_alive(client, partner):
    login(client)
    set_last_seen(client, 29 * 60)

    assert client.get(DASHBOARD).status_code == 200
    assert time.time() - client.session[LAST_SEEN_KEY] < 5


@pytest.mark.parametrize(
    "path",
    [
        LOGIN,
        DASHBOARD,
        "/espace-partenaires/dossiers/",
        "/espace-partenaires/personnes/999/",
        "/espace-partenaires/nulle-part/",
    ],
)
def test_every_workspace_response_is_no_store(client, partner, path):
    client.force_login(partner)

    response = client.get(path)

    assert "no-store" in response["Cache-Control"]


def test_anonymous_redirect_is_no_store(client, db):
    response = client.get(DASHBOARD)

    assert response.status_code == 302
    assert "no-store" in response["Cache-Control"]


def test_public_pages_keep_their_own_caching(client, db):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
