"""The social-centre kiosk in a real Chromium: keyboard only, idle reset, a first-time resident."""

import io
import os
import re
from datetime import timedelta

import pytest

from django.contrib.sessions.models import Session
from django.utils import timezone

from posts.models import Proposal
from tests.conftest import CHROMIUM_ARGS, CHROMIUM_PATH

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    # QR codes name the site's address: here, the live server's.
    pytest.mark.usefixtures("live_site"),
]

RECEIPT_HEADING = "Merci, votre proposition est envoyée"


@pytest.fixture(scope="module")
def french_chromium(chromium):
    """Chromium with a French interface, as on the kiosk PC: date fields read jj/mm/aaaa.

    The page's locale alone does not change how Chromium lays out date and time fields; its
    interface language does, and needs Debian's chromium-l10n.
    """
    browser = chromium.browser_type.launch(
        executable_path=CHROMIUM_PATH,
        headless=True,
        args=CHROMIUM_ARGS,
        env={**os.environ, "LANGUAGE": "fr_FR:fr", "LANG": "fr_FR.UTF-8"},
    )
    probe = browser.new_page(locale="fr-FR")
    probe.set_content('<input type="date" id="d">')
    probe.focus("#d")
    probe.keyboard.type("15032027")
    laid_out_in_french = probe.eval_on_selector("#d", "field => field.value") == "2027-03-15"
    probe.close()
    if not laid_out_in_french:
        browser.close()
        pytest.fail("Chromium n'a pas d'interface en français : installez chromium-l10n (apt-get).")
    yield browser
    browser.close()


@pytest.fixture
def kiosk_page(french_chromium):
    context = french_chromium.new_context(locale="fr-FR")
    browser_page = context.new_page()
    yield browser_page
    context.close()


def focused(page) -> dict:
    return page.evaluate(
        "() => ({id: document.activeElement.id, text: document.activeElement.textContent.trim()})"
    )


def tab_to(page, *, element_id=None, text=None, max_presses=25) -> int:
    """Press Tab until the wanted element has the focus; how many presses it took."""
    for presses in range(1, max_presses + 1):
        page.keyboard.press("Tab")
        now = focused(page)
        if (element_id and now["id"] == element_id) or (text and now["text"].startswith(text)):
            return presses
    raise AssertionError(f"{element_id or text!r} never got the focus with Tab (last: {focused(page)})")


def error_summary(page) -> str:
    summary = page.locator(".error-summary")
    return summary.inner_text() if summary.count() else ""


def test_resident_proposes_an_event_at_the_kiosk_with_the_keyboard_only(
    kiosk_page, live_server, neighbourhood
):
    page = kiosk_page
    import zxingcpp
    from PIL import Image

    day = timezone.localdate() + timedelta(days=10)
    page.goto(live_server.url + "/kiosque/")

    tab_to(page, text="Proposer un événement")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/proposer/evenement/")

    # The form's fields, in their order: one Tab from one to the next, the optional ones left empty.
    tab_to(page, element_id="id_title")
    page.keyboard.type("Repair café de printemps")
    tab_to(page, element_id="id_day")
    page.keyboard.type(day.strftime("%d%m%Y"))  # fr-FR: jj/mm/aaaa, the browser moves along
    tab_to(page, element_id="id_start_time")
    page.keyboard.type("1430")
    tab_to(page, element_id="id_place_name")
    page.keyboard.type("Salle du centre social")
    tab_to(page, element_id="id_text")
    page.keyboard.type("On répare ensemble petits appareils et vêtements.")
    tab_to(page, element_id="id_display_name")
    page.keyboard.type("Nadia")
    tab_to(page, text="Envoyer ma proposition")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.get_by_role("heading", level=1).inner_text() == RECEIPT_HEADING, error_summary(page)
    proposal = Proposal.objects.get()
    assert proposal.title == "Repair café de printemps"
    assert page.locator(".receipt__code").inner_text() == proposal.code
    # The QR code, as the browser draws it, opens the follow-up page of this proposal.
    qr = page.locator(".receipt__qr svg")
    assert qr.get_attribute("role") == "img"
    picture = Image.open(io.BytesIO(qr.screenshot()))
    decoded = [barcode.text for barcode in zxingcpp.read_barcodes(picture)]
    assert decoded == [f"{live_server.url}/proposer/suivi/{proposal.code}/"]


def test_idle_kiosk_warns_then_resets_and_ends_the_logged_in_session(
    page, live_server, neighbourhood, make_user
):
    from axe_playwright_python.sync_playwright import Axe

    make_user("moderatrice", password="un-mot-de-passe-solide", is_staff=True, is_superuser=True)
    page.clock.install()
    page.goto(live_server.url + "/kiosque/")

    # Someone logs into the admin at the kiosk and ticks "remember me"...
    page.goto(live_server.url + "/admin/login/")
    page.locator("input[name=username]").fill("moderatrice")
    page.locator("input[name=password]").fill("un-mot-de-passe-solide")
    page.locator("input[name=remember]").check()
    with page.expect_navigation():
        page.locator("form button[type=submit]").click()
    assert "/admin/login/" not in page.url
    session_cookie = next(c for c in page.context.cookies() if c["name"] == "sessionid")
    # ...but at the kiosk the session cookie ends with the browser all the same.
    assert session_cookie["expires"] == -1
    assert Session.objects.filter(session_key=session_cookie["value"]).exists()

    # ...then starts a proposal and walks away.
    page.goto(live_server.url + "/kiosque/")
    page.get_by_role("link", name="Proposer une actualité").click()
    page.get_by_label("Titre de la nouvelle").fill("Texte de la personne précédente")

    warning = page.get_by_role("dialog", name="Êtes-vous encore là ?")
    assert not warning.is_visible()
    page.clock.fast_forward("02:31")
    warning.wait_for(state="visible")
    assert page.evaluate("document.activeElement.textContent") == "Je suis encore là"
    assert re.search(
        r"Retour à l'accueil dans \d+ secondes\.", page.locator("[data-kiosk-live]").inner_text()
    )
    violations = Axe().run(page).response["violations"]
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]

    # "Je suis encore là" (Enter on the focused button) gives the full time back.
    page.keyboard.press("Enter")
    warning.wait_for(state="hidden")
    page.clock.fast_forward("01:00")
    assert not warning.is_visible()

    page.clock.fast_forward("01:31")
    warning.wait_for(state="visible")
    with page.expect_navigation(url=re.compile(r"/kiosque/$")):
        page.clock.fast_forward("00:31")

    assert page.get_by_role("link", name="Accueil du kiosque").get_attribute("aria-current") == "page"
    assert not Session.objects.filter(session_key=session_cookie["value"]).exists()
    assert "sessionid" not in {c["name"] for c in page.context.cookies()}
    # The form left behind is gone from the history; older pages lead back to the kiosk home.
    page.go_back(wait_until="commit")
    page.wait_for_url(re.compile(r"/kiosque/$"))
    page.wait_for_load_state()
    assert "Texte de la personne précédente" not in page.content()
    response = page.goto(live_server.url + "/admin/")
    assert "/admin/login/" in response.url


def test_first_time_resident_proposes_in_six_actions_with_the_visible_french_labels(
    page, live_server, neighbourhood
):
    page.goto(live_server.url + "/kiosque/")
    actions = [
        lambda: page.get_by_role("link", name="Proposer une actualité").click(),
        lambda: page.get_by_label("Titre de la nouvelle").fill("Le repair café revient"),
        lambda: page.get_by_label("Nom du projet").fill("Repair café"),
        lambda: page.get_by_label(re.compile(r"^La nouvelle")).fill("Il revient chaque premier samedi."),
        lambda: page.get_by_label("Votre nom, tel qu'il sera affiché").fill("Jo"),
        lambda: page.get_by_role("button", name="Envoyer ma proposition").click(),
    ]
    assert len(actions) <= 6
    for action in actions:
        action()

    page.get_by_role("heading", name=RECEIPT_HEADING).wait_for()
    assert Proposal.objects.get().title == "Le repair café revient"


TARGET_SIZE_JS = """() => [...document.querySelectorAll(
    'header a, header button, main a, main button, main input, main select, main textarea'
)].filter(el => el.type !== 'hidden' && !el.closest('[aria-hidden="true"]') && el.getClientRects().length)
 .map(el => ({what: el.outerHTML.slice(0, 80), ...el.getBoundingClientRect().toJSON()}))
 .filter(box => box.width < 44 || box.height < 44)"""


def test_every_control_at_the_kiosk_is_a_large_tap_target(page, live_server, neighbourhood):
    page.goto(live_server.url + "/kiosque/")
    for path in ("/kiosque/", "/proposer/portrait/", "/proposer/"):
        page.goto(live_server.url + path)
        assert page.evaluate(TARGET_SIZE_JS) == [], path


def test_admin_at_the_kiosk_resets_too_even_with_unsaved_changes_in_a_form(
    page, live_server, neighbourhood, make_user
):
    from wagtail.models import Collection

    make_user("moderatrice", password="un-mot-de-passe-solide", is_staff=True, is_superuser=True)
    page.clock.install()
    page.goto(live_server.url + "/kiosque/")
    page.goto(live_server.url + "/admin/login/")
    page.locator("input[name=username]").fill("moderatrice")
    page.locator("input[name=password]").fill("un-mot-de-passe-solide")
    with page.expect_navigation():
        page.locator("form button[type=submit]").click()

    # Someone starts filling in a form of the admin, then walks away without saving it.
    asked = []
    page.on("dialog", lambda dialog: asked.append(dialog.type))
    page.goto(live_server.url + "/admin/collections/add/")
    page.clock.fast_forward("00:05")  # the form notes its initial state after a short delay
    page.locator("#id_name").click()
    page.keyboard.type("Saisie de la personne précédente")
    page.keyboard.press("Tab")
    page.clock.fast_forward("00:05")
    assert page.locator("form[data-w-unsaved-has-edits-value=true]").count() == 1
    warning = page.get_by_role("dialog", name="Êtes-vous encore là ?")
    page.clock.fast_forward("02:26")
    warning.wait_for(state="visible")
    # The form's "leave this page?" question does not hold the reset.
    with page.expect_navigation(url=re.compile(r"/kiosque/$")):
        page.clock.fast_forward("00:31")

    assert asked == []
    response = page.goto(live_server.url + "/admin/")
    assert "/admin/login/" in response.url
    assert not Collection.objects.filter(name="Saisie de la personne précédente").exists()


def test_at_the_kiosk_a_form_sent_back_with_an_error_keeps_the_chosen_photo(
    kiosk_page, live_server, neighbourhood, tmp_path
):
    from PIL import Image

    page = kiosk_page
    photo = tmp_path / "boutures.jpg"
    Image.new("RGB", (320, 200), (40, 140, 70)).save(photo, "JPEG")
    page.goto(live_server.url + "/kiosque/")
    page.get_by_role("link", name="Proposer une actualité").click()
    page.get_by_label("Titre de la nouvelle").fill("Le troc de boutures a eu lieu")
    page.get_by_label("Nom du projet").fill("Troc de boutures")
    page.get_by_label(re.compile(r"^La nouvelle")).fill("Trente personnes sont venues.")
    page.get_by_label("Photo (facultative)").set_input_files(str(photo))
    page.get_by_label("Que montre la photo ?").fill("Des boutures sur une table")
    # The name is forgotten: the form comes back.
    page.get_by_role("button", name="Envoyer ma proposition").click()

    assert "Votre nom" in error_summary(page)
    thumbnail = page.get_by_role("img", name="La photo que vous avez choisie")
    # decode() waits for the picture to arrive: checked at once, a slow machine raced it.
    assert thumbnail.evaluate("img => img.decode().then(() => img.naturalWidth)") > 0
    page.get_by_label("Votre nom, tel qu'il sera affiché").fill("Jo")
    page.get_by_role("button", name="Envoyer ma proposition").click()

    page.get_by_role("heading", name=RECEIPT_HEADING).wait_for(timeout=10_000)
    assert Proposal.objects.get().page.specific.image is not None


def test_a_photo_sent_from_a_phone_to_the_qr_code_appears_on_the_kiosks_form(
    kiosk_page, french_chromium, live_server, neighbourhood, tmp_path
):
    import zxingcpp
    from PIL import Image

    from posts.models import PhotoFromPhone

    page = kiosk_page
    page.goto(live_server.url + "/kiosque/")
    page.get_by_role("link", name="Proposer une actualité").click()
    page.get_by_label("Titre de la nouvelle").fill("Le troc de boutures a eu lieu")
    page.get_by_label("Nom du projet").fill("Troc de boutures")
    page.get_by_label(re.compile(r"^La nouvelle")).fill("Trente personnes sont venues.")
    page.get_by_text("Ajouter une photo depuis mon téléphone").click()
    qr = page.locator(".phone-photo__qr svg")
    decoded = [barcode.text for barcode in zxingcpp.read_barcodes(Image.open(io.BytesIO(qr.screenshot())))]
    assert len(decoded) == 1 and decoded[0].startswith(live_server.url + "/proposer/photo-telephone/")

    # The resident's own phone: another browser, no account.
    photo = tmp_path / "boutures.jpg"
    Image.new("RGB", (320, 200), (40, 140, 70)).save(photo, "JPEG")
    phone = french_chromium.new_context(locale="fr-FR", viewport={"width": 390, "height": 844})
    phone_page = phone.new_page()
    phone_page.goto(decoded[0])
    phone_page.get_by_label("Votre photo").set_input_files(str(photo))
    phone_page.get_by_role("button", name="Envoyer la photo").click()
    phone_page.get_by_text("Photo reçue, merci !").wait_for()

    # Back at the kiosk, the photo shows up within a few seconds.
    thumbnail = page.get_by_role("img", name="La photo envoyée depuis votre téléphone")
    thumbnail.wait_for(timeout=10_000)
    # decode() waits for the picture to arrive: checked at once, a slow machine raced it.
    assert thumbnail.evaluate("img => img.decode().then(() => img.naturalWidth)") > 0
    page.get_by_label("Que montre la photo ?").fill("Des boutures sur une table")
    page.get_by_label("Votre nom, tel qu'il sera affiché").fill("Jo")
    page.get_by_role("button", name="Envoyer ma proposition").click()
    page.get_by_role("heading", name=RECEIPT_HEADING).wait_for(timeout=10_000)
    assert Proposal.objects.get().page.specific.image is not None

    # The address refuses a second use, and an expired one.
    phone_page.goto(decoded[0])
    assert "Ce lien a déjà servi" in phone_page.inner_text("main")
    expired = PhotoFromPhone.objects.create()
    PhotoFromPhone.objects.filter(pk=expired.pk).update(created_at=timezone.now() - timedelta(minutes=16))
    phone_page.goto(f"{live_server.url}/proposer/photo-telephone/{expired.token}/")
    assert "Ce lien a expiré" in phone_page.inner_text("main")
    phone.close()
