"""Sessions at the kiosk and elsewhere: nothing of one person is left for the next one.

The kiosk's idle backstop whatever the method, the admin's timer and the short life of a kiosk
session; workspace sessions whatever the login page; the receipt without its code in the
kiosk's history; flash messages kept on the server; one-time form tokens bound to a browser.
"""

import re
import time
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kiosk.middleware import LAST_SEEN_KEY
from kiosk.mode import KIOSK_COOKIE
from partners.middleware import LAST_SEEN_KEY as WORKSPACE_LAST_SEEN_KEY
from partners.models import FollowUpNote, JobSeeker
from posts.models import Proposal
from tests.conftest import PASSWORD, note_data, page_text

pytestmark = pytest.mark.django_db

NEWS = {
    "title": "Le repair café revient",
    "project_name": "Repair café",
    "text": "Chaque samedi.",
    "display_name": "Jo",
}
SESSION_ENDED = "La session ouverte sur ce poste avait pris fin"


@pytest.fixture
def kiosk(client):
    """The test client as the kiosk PC's browser."""
    client.get(reverse("kiosk_home"))
    return client


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def left_idle(client, seconds=181):
    """The kiosk's last sign of life was `seconds` ago (the default limit is 180)."""
    session = client.session
    session[LAST_SEEN_KEY] = time.time() - seconds
    session.save()


def is_browser_session(morsel) -> bool:
    return not morsel["max-age"] and not morsel["expires"]


def admin_login(client, username, remember=True):
    data = {"username": username, "password": PASSWORD}
    if remember:
        data["remember"] = "on"
    return client.post("/admin/login/", data)


def lock_url(page) -> str:
    return reverse("wagtailadmin_pages:lock", args=[page.pk])


# --- The kiosk's idle backstop, whatever the method ----------------------------------------------


def test_after_the_idle_limit_a_workspace_post_ends_the_session_and_writes_nothing(kiosk, partner_world):
    kiosk.force_login(partner_world.users["partenaire1"])
    record = partner_world.records["shared"]
    left_idle(kiosk)
    notes = FollowUpNote.objects.count()

    response = kiosk.post(reverse("partners:note_create", args=[record.pk]), note_data(partner_world))

    assert response.status_code == 302 and response["Location"].startswith("/kiosque/")
    assert FollowUpNote.objects.count() == notes
    assert SESSION_KEY not in kiosk.session
    assert kiosk.get(reverse("partners:dashboard")).status_code == 302


def test_after_the_idle_limit_an_admin_post_ends_the_session_and_writes_nothing(kiosk, make_user, home_page):
    kiosk.force_login(make_user("moderatrice", is_staff=True, is_superuser=True))
    left_idle(kiosk)

    response = kiosk.post(lock_url(home_page))

    assert response.status_code == 302 and response["Location"].startswith("/kiosque/")
    home_page.refresh_from_db()
    assert not home_page.locked
    assert SESSION_KEY not in kiosk.session
    assert "/admin/login/" in kiosk.get("/admin/")["Location"]


def test_a_post_refused_for_a_missing_csrf_token_after_the_limit_does_not_renew_the_timer(
    make_user, home_page
):
    strict = Client(enforce_csrf_checks=True)
    strict.get(reverse("kiosk_home"))
    strict.force_login(make_user("moderatrice", is_staff=True, is_superuser=True))
    left_idle(strict)

    strict.post(lock_url(home_page))  # no CSRF token: the CSRF check would refuse it
    after = strict.get("/admin/")

    assert SESSION_KEY not in strict.session
    assert after.status_code == 302 and "/admin/login/" in after["Location"]
    home_page.refresh_from_db()
    assert not home_page.locked


def test_a_post_after_the_idle_limit_leads_to_the_kiosk_home_with_a_french_message(
    kiosk, make_user, home_page
):
    kiosk.force_login(make_user("moderatrice", is_staff=True, is_superuser=True))
    left_idle(kiosk)

    response = kiosk.post(lock_url(home_page), follow=True)

    assert response.request["PATH_INFO"] == "/kiosque/"
    assert SESSION_ENDED in page_text(response)
    # A page view after the limit goes home too, without a word: nothing was sent.
    kiosk.force_login(make_user("autre", is_staff=True, is_superuser=True))
    left_idle(kiosk)
    quiet = kiosk.get("/admin/", follow=True)
    assert quiet.request["PATH_INFO"] == "/kiosque/"
    assert SESSION_ENDED not in page_text(quiet)


def test_a_post_before_the_idle_limit_goes_through(kiosk, make_user, home_page):
    kiosk.force_login(make_user("moderatrice", is_staff=True, is_superuser=True))
    left_idle(kiosk, seconds=100)

    kiosk.post(lock_url(home_page))

    home_page.refresh_from_db()
    assert home_page.locked
    assert SESSION_KEY in kiosk.session


def test_an_idle_receipt_at_the_kiosk_is_gone_for_the_next_person(kiosk, moderation):
    kiosk.post("/proposer/actualite/", NEWS)
    code = Proposal.objects.get().code
    left_idle(kiosk)

    response = kiosk.get("/proposer/recu/", follow=True)

    assert code not in response.content.decode()
    assert code not in kiosk.get("/proposer/recu/", follow=True).content.decode()


# --- The Wagtail admin at the kiosk: the same timer, a short session ------------------------------


@pytest.mark.parametrize("path", ["/admin/login/", "/admin/"])
def test_the_wagtail_admin_at_the_kiosk_has_the_kiosk_timer(kiosk, make_user, home_page, path):
    if path == "/admin/":
        kiosk.force_login(make_user("moderatrice", is_staff=True, is_superuser=True))

    soup = soup_of(kiosk.get(path))

    dialog = soup.select_one("dialog#kiosque-alerte")
    assert dialog["data-idle-seconds"] == "180"
    assert dialog["data-warning-seconds"] == "30"
    assert dialog["data-reset-url"] == "/kiosque/reinitialiser/"
    assert dialog.find("button", string="Je suis encore là") is not None
    assert "/static/kiosk/kiosk.js" in [script.get("src") for script in soup.find_all("script")]


def test_the_wagtail_admin_outside_the_kiosk_has_no_kiosk_timer(client, make_user, home_page):
    client.force_login(make_user("moderatrice", is_staff=True, is_superuser=True))

    soup = soup_of(client.get("/admin/"))

    assert soup.select_one("dialog#kiosque-alerte") is None
    assert "/static/kiosk/kiosk.js" not in [script.get("src") for script in soup.find_all("script")]


def test_a_session_opened_at_the_kiosk_lives_only_minutes_on_the_server(kiosk, make_user):
    make_user("moderatrice", password=PASSWORD, is_staff=True, is_superuser=True)

    response = admin_login(kiosk, "moderatrice", remember=True)

    assert is_browser_session(response.cookies["sessionid"])
    stored = Session.objects.get(session_key=response.cookies["sessionid"].value)
    assert stored.expire_date < timezone.now() + timedelta(minutes=10)


def test_outside_the_kiosk_a_session_keeps_its_usual_age(client, make_user):
    make_user("moderatrice", password=PASSWORD, is_staff=True, is_superuser=True)

    response = admin_login(client, "moderatrice", remember=True)

    stored = Session.objects.get(session_key=response.cookies["sessionid"].value)
    assert stored.expire_date > timezone.now() + timedelta(days=13)


def test_at_the_kiosk_a_session_holding_only_a_message_ends_with_the_browser(kiosk, partner_world):
    kiosk.force_login(partner_world.users["partenaire1"])

    response = kiosk.post(reverse("partners:logout"))

    assert is_browser_session(response.cookies["sessionid"])
    assert "Vous êtes déconnecté·e" in page_text(kiosk.get(response["Location"]))


# --- A partner's session, whatever the login page ---------------------------------------------------


def test_partner_logged_in_at_the_admin_with_remember_me_gets_a_browser_session(client, partner_world):
    response = admin_login(client, "partenaire1", remember=True)

    assert response.status_code == 302
    assert SESSION_KEY in client.session
    assert is_browser_session(response.cookies["sessionid"])
    assert client.session.get_expire_at_browser_close()


def test_partner_logged_in_at_the_admin_idles_out_of_the_workspace_after_thirty_minutes(
    client, partner_world
):
    admin_login(client, "partenaire1", remember=True)
    session = client.session
    assert WORKSPACE_LAST_SEEN_KEY in session, "the login counts as activity"
    session[WORKSPACE_LAST_SEEN_KEY] -= 31 * 60
    session.save()

    response = client.get("/espace-partenaires/personnes/")

    assert response.status_code == 302 and response["Location"].startswith("/espace-partenaires/connexion/")
    assert SESSION_KEY not in client.session
    assert "Votre session a expiré après 30 minutes sans activité." in page_text(
        client.get(response["Location"])
    )


def test_staff_without_membership_keep_remember_me_at_the_admin(client, partner_world):
    response = admin_login(client, "moderatrice", remember=True)

    assert not is_browser_session(response.cookies["sessionid"])


# --- The receipt at the kiosk: no code in the browser's history ----------------------------------------


def test_at_the_kiosk_the_receipt_is_shown_at_an_address_without_its_code(kiosk, moderation):
    response = kiosk.post("/proposer/actualite/", NEWS)
    code = Proposal.objects.get().code

    assert response.status_code == 302 and response["Location"] == "/proposer/recu/"
    receipt = kiosk.get(response["Location"])
    soup = soup_of(receipt)
    assert soup.select_one(".receipt__code").text == code
    assert soup.select_one(".receipt__qr svg")["role"] == "img"
    # No link of the page would put the code in the history either.
    assert not [link["href"] for link in soup.find_all("a") if code in link["href"]]


def test_a_proposal_sent_twice_at_the_kiosk_shows_the_same_receipt_without_its_code(kiosk, moderation):
    form = kiosk.get("/proposer/actualite/").content.decode()
    token = re.search(r'name="envoi" value="([^"]+)"', form).group(1)

    first = kiosk.post("/proposer/actualite/", {**NEWS, "envoi": token})
    second = kiosk.post("/proposer/actualite/", {**NEWS, "envoi": token})

    assert first["Location"] == second["Location"] == "/proposer/recu/"
    assert Proposal.objects.count() == 1


def test_the_kiosk_reset_clears_the_receipt(kiosk, moderation):
    kiosk.post("/proposer/actualite/", NEWS)
    code = Proposal.objects.get().code

    kiosk.get("/kiosque/reinitialiser/")
    response = kiosk.get("/proposer/recu/")

    assert response.status_code == 302 and response["Location"] == "/proposer/"
    assert code not in response.content.decode()


def test_outside_the_kiosk_the_receipt_keeps_its_address_with_the_code(client, moderation):
    response = client.post("/proposer/actualite/", NEWS)
    code = Proposal.objects.get().code

    assert response["Location"] == f"/proposer/recu/{code}/"
    assert code in client.get(response["Location"]).content.decode()
    # The kiosk's address shows nothing to a browser that holds no receipt.
    assert client.get("/proposer/recu/")["Location"] == "/proposer/"
    assert KIOSK_COOKIE not in client.cookies


# --- Flash messages stay on the server ------------------------------------------------------------


def test_a_message_carrying_a_name_never_appears_in_a_messages_cookie(client, partner_world):
    client.force_login(partner_world.users["partenaire1"])
    today = timezone.localdate().isoformat()
    data = {
        "first_name": "Nadia",
        "last_name": "Benali",
        "status": JobSeeker.Status.SEARCHING,
        "organisation": partner_world.organisations["resoudre"].pk,
        "referent": partner_world.users["partenaire1"].pk,
        "last_contact_on": today,
        "consent": "on",
        "consent_given_on": today,
    }

    response = client.post(reverse("partners:record_create"), data)
    shown = client.get(response["Location"])

    assert response.status_code == 302
    assert "La fiche de Nadia Benali est créée." in page_text(shown)
    for cookies in (response.cookies, shown.cookies, client.cookies):
        assert "messages" not in cookies
        assert all("Benali" not in morsel.value for morsel in cookies.values())


# --- One-time form tokens belong to the browser that was shown the form ---------------------------------


def test_a_one_time_token_replayed_from_another_browser_does_not_get_the_first_receipt(client, moderation):
    form = client.get("/proposer/actualite/").content.decode()
    token = re.search(r'name="envoi" value="([^"]+)"', form).group(1)
    client.post("/proposer/actualite/", {**NEWS, "envoi": token})
    code = Proposal.objects.get().code
    other = Client()
    other.get("/proposer/actualite/")

    response = other.post(
        "/proposer/actualite/", {**NEWS, "title": "Autre chose", "envoi": token}, follow=True
    )

    assert code not in response.content.decode()
    assert Proposal.objects.count() == 2
