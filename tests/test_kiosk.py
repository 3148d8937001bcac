"""Kiosk mode on the social-centre PC: the cookie, the simplified shell, the reset, the receipt's QR code."""

import re
import time

import pytest
import segno
import zxingcpp
from bs4 import BeautifulSoup
from PIL import Image

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.test import override_settings
from django.urls import reverse

from agora.qr import qr_svg
from kiosk.middleware import LAST_SEEN_KEY
from kiosk.mode import KIOSK_COOKIE
from posts.models import Proposal
from posts.moderation import setup_moderation

pytestmark = pytest.mark.django_db

PASSWORD = "un-mot-de-passe-solide"
NEWS = {
    "title": "Le repair café revient",
    "project_name": "Repair café",
    "text": "Chaque samedi.",
    "display_name": "Jo",
}
PERSONAL_FIELDS = {
    "evenement": ["display_name", "contact_email"],
    "portrait": ["person_name", "consent_given_by", "display_name", "contact_email"],
    "actualite": ["display_name", "contact_email"],
}


@pytest.fixture
def kiosk(client):
    """The test client as the kiosk PC's browser."""
    client.get(reverse("kiosk_home"))
    return client


@pytest.fixture
def open_to_residents(make_acteur):
    from django.core.cache import cache

    host = make_acteur("Centre social de la Rabière")
    setup_moderation()
    cache.clear()
    yield host
    cache.clear()


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def session_cookie_is_browser_session(response) -> bool:
    morsel = response.cookies["sessionid"]
    return not morsel["max-age"] and not morsel["expires"]


# --- Entering and leaving kiosk mode ----------------------------------------------------------


def test_kiosk_home_sets_a_browser_session_httponly_lax_cookie(client, home_page):
    response = client.get("/kiosque/")

    assert response.status_code == 200
    morsel = response.cookies[KIOSK_COOKIE]
    assert morsel.value == "1"
    assert morsel["httponly"] is True
    assert morsel["samesite"] == "Lax"
    assert morsel["path"] == "/"
    assert not morsel["max-age"] and not morsel["expires"]
    assert "no-store" in response["Cache-Control"]


def test_kiosk_home_offers_large_buttons_to_read_and_to_propose(client, home_page):
    soup = soup_of(client.get("/kiosque/"))

    actions = {
        link.select_one(".kiosk-action__title").text: link["href"] for link in soup.select("a.kiosk-action")
    }
    assert actions == {
        "Lire l'agenda": "/agenda/",
        "Proposer un événement": "/proposer/evenement/",
        "Proposer un portrait": "/proposer/portrait/",
        "Proposer une actualité": "/proposer/actualite/",
    }
    assert len(soup.find_all("h1")) == 1


def test_leaving_kiosk_mode_asks_then_deletes_the_cookie_and_logs_out(kiosk, make_user):
    kiosk.force_login(make_user())

    confirmation = kiosk.get("/kiosque/quitter/")
    response = kiosk.post("/kiosque/quitter/")

    assert confirmation.status_code == 200
    assert 'action="/kiosque/quitter/"' in confirmation.content.decode()
    assert response.status_code == 302 and response["Location"] == "/"
    assert response.cookies[KIOSK_COOKIE].value == ""
    assert SESSION_KEY not in kiosk.session
    assert "Accueil du kiosque" not in kiosk.get("/").content.decode()


# --- The shell in kiosk mode --------------------------------------------------------------------


def test_kiosk_pages_get_the_simplified_header_and_the_timer(kiosk, home_page):
    soup = soup_of(kiosk.get("/"))

    header = soup.select_one("header.site-header--kiosk")
    assert header.find("a", string="Accueil du kiosque")["href"] == "/kiosque/"
    assert header.find("a", string="J'ai fini : tout effacer")["href"] == "/kiosque/reinitialiser/"
    assert soup.select_one("nav.main-nav") is None
    assert soup.select_one("a.skip-link")["href"] == "#contenu"
    assert [script["src"] for script in soup.find_all("script")] == ["/static/kiosk/kiosk.js"]
    dialog = soup.select_one("dialog#kiosque-alerte")
    assert dialog["data-idle-seconds"] == "180"
    assert dialog["data-warning-seconds"] == "30"
    assert dialog["data-reset-url"] == "/kiosque/reinitialiser/"
    assert dialog.select_one("[aria-live]") is not None
    assert dialog.find("button", string="Je suis encore là")["type"] == "button"


def test_outside_kiosk_mode_the_site_has_its_normal_header_and_no_script(client, home_page):
    soup = soup_of(client.get("/"))

    assert soup.select_one("nav.main-nav") is not None
    assert soup.select_one("header.site-header--kiosk") is None
    assert soup.find_all("script") == []
    assert soup.select_one("dialog") is None


@override_settings(KIOSK_IDLE_SECONDS=120, KIOSK_WARNING_SECONDS=90)
def test_idle_time_comes_from_the_settings_and_the_warning_is_at_most_half_of_it(kiosk, home_page):
    dialog = soup_of(kiosk.get("/")).select_one("dialog#kiosque-alerte")

    assert dialog["data-idle-seconds"] == "120"
    assert dialog["data-warning-seconds"] == "60"


def test_kiosk_pages_keep_the_strict_csp_and_stay_out_of_shared_caches(kiosk, home_page):
    response = kiosk.get("/")

    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
    assert "private" in response["Cache-Control"]
    assert "style=" not in response.content.decode()


def test_the_timer_script_is_a_static_file(client):
    from django.contrib.staticfiles import finders

    script = finders.find("kiosk/kiosk.js")
    assert script is not None
    source = open(script, encoding="utf-8").read()  # noqa: SIM115
    assert "data-idle-seconds" in source and "location.replace" in source


# --- Reset: the next person finds nothing ---------------------------------------------------------


def test_reset_logs_out_flushes_the_session_and_returns_to_the_kiosk_home(kiosk, make_user):
    kiosk.force_login(make_user())
    session = kiosk.session
    session["brouillon"] = "données de la personne précédente"
    session.save()
    old_key = session.session_key

    response = kiosk.get("/kiosque/reinitialiser/")

    assert response.status_code == 302
    assert response["Location"] == "/kiosque/"
    assert not Session.objects.filter(session_key=old_key).exists()
    assert dict(kiosk.session.items()) == {}
    assert "no-store" in response["Cache-Control"]


def test_reset_also_works_as_a_post(kiosk, make_user):
    kiosk.force_login(make_user())

    response = kiosk.post("/kiosque/reinitialiser/")

    assert response.status_code == 302 and response["Location"] == "/kiosque/"
    assert SESSION_KEY not in kiosk.session


def test_reset_outside_kiosk_mode_logs_nobody_out(client, make_user):
    client.force_login(make_user())

    response = client.get("/kiosque/reinitialiser/")

    assert response.status_code == 302 and response["Location"] == "/"
    assert SESSION_KEY in client.session


def test_idle_authenticated_kiosk_session_is_ended_at_the_next_page_view(kiosk, make_user, home_page):
    kiosk.force_login(make_user())
    session = kiosk.session
    session[LAST_SEEN_KEY] = time.time() - 181
    session.save()

    response = kiosk.get("/")

    assert response.status_code == 302 and response["Location"] == "/kiosque/"
    assert SESSION_KEY not in kiosk.session


def test_active_kiosk_session_is_kept(kiosk, make_user, home_page):
    kiosk.force_login(make_user())
    kiosk.get("/")

    response = kiosk.get("/")

    assert response.status_code == 200
    assert SESSION_KEY in kiosk.session


# --- No "remember me" at the kiosk -----------------------------------------------------------------


def admin_login(client, user, remember):
    data = {"username": user.username, "password": PASSWORD}
    if remember:
        data["remember"] = "on"
    return client.post("/admin/login/", data)


def test_at_the_kiosk_remember_me_still_gives_a_browser_session_cookie(kiosk, make_user):
    user = make_user("moderatrice", password=PASSWORD, is_staff=True, is_superuser=True)

    response = admin_login(kiosk, user, remember=True)

    assert response.status_code == 302
    assert session_cookie_is_browser_session(response)
    assert kiosk.session.get_expire_at_browser_close()


def test_outside_the_kiosk_remember_me_is_left_to_the_admin(client, make_user):
    user = make_user("moderatrice", password=PASSWORD, is_staff=True, is_superuser=True)

    response = admin_login(client, user, remember=True)

    assert response.status_code == 302
    assert not session_cookie_is_browser_session(response)


def test_a_session_made_before_kiosk_mode_becomes_a_browser_session_one(client, make_user, home_page):
    user = make_user("moderatrice", password=PASSWORD, is_staff=True, is_superuser=True)
    admin_login(client, user, remember=True)
    client.get("/kiosque/")

    response = client.get("/")

    assert session_cookie_is_browser_session(response)


def test_no_public_form_offers_remember_me(kiosk, home_page):
    for path in ("/kiosque/", "/espace-partenaires/connexion/", "/proposer/evenement/"):
        html = kiosk.get(path).content.decode().lower()
        assert "remember" not in html and "se souvenir" not in html, path


# --- Personal fields are not autocompleted at the kiosk ---------------------------------------------


@pytest.mark.parametrize("kind", sorted(PERSONAL_FIELDS))
def test_at_the_kiosk_personal_fields_have_autocomplete_off(kiosk, home_page, kind):
    soup = soup_of(kiosk.get(f"/proposer/{kind}/"))

    for name in PERSONAL_FIELDS[kind]:
        assert soup.select_one(f"#id_{name}")["autocomplete"] == "off", name


def test_outside_the_kiosk_the_email_may_be_autocompleted(client, home_page):
    soup = soup_of(client.get("/proposer/evenement/"))

    assert soup.select_one("#id_contact_email")["autocomplete"] == "email"


# --- The receipt: the code in large type and as a QR code -----------------------------------------------


def svg_modules(svg: str) -> list[list[bool]]:
    """The dark modules drawn by segno's SVG path (moves and horizontal lines), row by row."""
    size = int(re.search(r'viewBox="0 0 (\d+) \1"', svg).group(1))
    path = re.search(r'<path stroke="#000" d="([^"]+)"', svg).group(1)
    grid = [[False] * size for _ in range(size)]
    x = y = 0.0
    for command, args in re.findall(r"([MmHh])([^MmHh]*)", path):
        numbers = [float(n) for n in args.replace(",", " ").split()]
        if command == "M":
            x, y = numbers
        elif command == "m":
            x, y = x + numbers[0], y + numbers[1]
        else:
            end = numbers[0] if command == "H" else x + numbers[0]
            for column in range(int(min(x, end)), int(max(x, end))):
                grid[int(y)][column] = True
            x = end
    return grid


def decode(grid: list[list[bool]]) -> list[str]:
    scale = 8
    picture = Image.new("L", (len(grid) * scale, len(grid) * scale), 255)
    for row, cells in enumerate(grid):
        for column, dark in enumerate(cells):
            if dark:
                picture.paste(0, (column * scale, row * scale, (column + 1) * scale, (row + 1) * scale))
    return [barcode.text for barcode in zxingcpp.read_barcodes(picture)]


def test_receipt_shows_the_code_large_and_a_qr_code_of_the_follow_up_url(client, open_to_residents):
    response = client.post(
        "/proposer/actualite/",
        NEWS,
    )
    proposal = Proposal.objects.get()
    receipt = client.get(response["Location"])

    soup = soup_of(receipt)
    assert soup.select_one(".receipt__code").text == proposal.code
    assert soup.select_one(".receipt__qr svg")["role"] == "img"
    assert soup.select_one(".receipt__qr svg title").text
    svg = re.search(r"<svg .*?</svg>", receipt.content.decode(), re.S).group(0)
    url = f"http://testserver/proposer/suivi/{proposal.code}/"
    expected = segno.make(url, error="m", micro=False)
    drawn = svg_modules(svg)
    assert drawn == [[bool(cell) for cell in row] for row in expected.matrix_iter(scale=1, border=4)]
    assert decode(drawn) == [url]
    # Drawn on the page itself: no image fetched from a QR code service.
    assert "<img" not in svg and "href" not in svg


def test_qr_title_is_escaped():
    svg = qr_svg("https://example.org/", label='<script>"x"</script>')

    assert "<script>" not in svg
    assert svg.startswith('<svg role="img" ')


def test_kiosk_receipt_leads_back_to_the_kiosk_home(kiosk, open_to_residents):
    response = kiosk.post(
        "/proposer/actualite/",
        NEWS,
    )

    soup = soup_of(kiosk.get(response["Location"]))

    assert soup.find("a", string="Revenir à l'accueil du kiosque")["href"] == "/kiosque/"
