"""Paper in a real Chromium: a poster prints on exactly one A4 page, a week's programme on one or
two, without the site's chrome, and the QR code as drawn on screen scans to the event's address."""

import io
from datetime import timedelta
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from django.conf import settings

from posts import printing, recurrence

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    # QR codes name the site's address: here, the live server's.
    pytest.mark.usefixtures("live_site"),
]

A4_POINTS = (595, 842)
LONG_TITLE = "Grande journée de la réparation, du partage et du faire-ensemble au cœur du quartier " * 2
LONG_SUMMARY = (
    "Apportez vos objets en panne : bénévoles, couturières et électriciens vous aident à les réparer, "
    "autour d'un café, avec un atelier pour les enfants, une bourse aux pièces et une exposition. " * 2
)[:300]


def serve_media(browser_page):
    """Public uploads are not served by the test server (DEBUG is off): hand them to the browser."""

    def fulfill(route):
        relative = route.request.url.split(settings.MEDIA_URL, 1)[1]
        route.fulfill(path=str(Path(settings.MEDIA_ROOT) / relative))

    browser_page.route(f"**{settings.MEDIA_URL}**", fulfill)


def print_to_pdf(browser_page) -> PdfReader:
    pdf = browser_page.pdf(format="A4", prefer_css_page_size=True, print_background=True)
    return PdfReader(io.BytesIO(pdf))


def pdf_text(reader: PdfReader) -> str:
    """The text of the PDF, with line breaks and runs of spaces as single spaces."""
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def coming_week_day(offset: int, hour: int):
    monday = printing.coming_week_start(printing.local_today())
    day = monday + timedelta(days=offset)
    return recurrence.day_bounds(day)[0].replace(hour=hour)


@pytest.fixture
def long_event(make_event, make_image):
    """An event that fills every field of a poster to its limit, with a tall photo."""
    from posts.models import EventPage

    event = make_event(
        LONG_TITLE.strip()[:250],
        slug="grande-journee",
        start=coming_week_day(5, 10),
        duration=timedelta(hours=7),
        place_name="Centre social de la Rabière, grande salle du rez-de-chaussée",
        place_address="1 place de la Rabière, 37300 Joué-lès-Tours (bus ligne 3, arrêt Rabière)",
        image=make_image("Affiche haute", size=(1200, 1800)),
        image_alt="Des bénévoles réparent un vélo devant le centre social",
        is_free=False,
        price="2 € l'adhésion annuelle, gratuit pour les moins de 18 ans",
        registration="Sans inscription. " * 20,
        recurrence=recurrence.WEEKLY_RULE,
        recurrence_until=printing.local_today() + timedelta(days=120),
        extra_dates=[printing.local_today() + timedelta(days=3)],
    )
    # The factory writes its own short summary; the poster must hold the longest one allowed.
    EventPage.objects.filter(pk=event.pk).update(summary=LONG_SUMMARY)
    return event


def test_poster_prints_on_exactly_one_a4_page(page, live_server, long_event):
    serve_media(page)
    page.goto(f"{live_server.url}/agenda/grande-journee/affiche/")
    page.wait_for_load_state("load")
    assert page.locator(".poster__image").evaluate("image => image.complete && image.naturalWidth > 0")

    reader = print_to_pdf(page)

    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == A4_POINTS
    text = pdf_text(reader)
    assert "Grande journée de la réparation" in text
    assert "Organisé par Résoudre" in text
    # The footer, with the address the QR code leads to, is never pushed off the page.
    assert f"{live_server.url}/agenda/grande-journee/" in text
    assert "Retour à la page de l'événement" not in text, "screen tools are hidden in print"
    assert "Proposer" not in text, "the site's navigation is hidden in print"


def test_short_poster_is_one_page_too(page, live_server, make_event):
    make_event("Loto", start=coming_week_day(2, 15))
    page.goto(f"{live_server.url}/agenda/loto/affiche/")

    assert len(print_to_pdf(page).pages) == 1


def test_poster_qr_code_on_screen_scans_to_the_event_page(page, live_server, long_event):
    page.set_viewport_size({"width": 1000, "height": 1400})
    page.goto(f"{live_server.url}/agenda/grande-journee/affiche/")

    screenshot = page.locator(".poster__qr svg").screenshot()

    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(screenshot)))
    assert [result.text for result in results] == [f"{live_server.url}/agenda/grande-journee/"]


def test_programme_of_a_busy_week_prints_on_one_or_two_pages(page, live_server, make_event, make_acteur):
    maison = make_acteur("Maison des habitants du quartier")
    for offset in range(7):
        for hour in (9, 14, 18):
            make_event(
                f"Atelier {offset}-{hour} : couture, numérique ou jardin partagé",
                start=coming_week_day(offset, hour),
                acteur=maison,
                place_name="Centre social de la Rabière, salle 2",
            )

    page.goto(f"{live_server.url}/agenda/programme/")
    reader = print_to_pdf(page)

    assert 1 <= len(reader.pages) <= 2
    text = pdf_text(reader)
    assert "Programme de la semaine" in text
    assert "Semaine précédente" not in text, "week navigation is hidden in print"

    screenshot = page.locator(".programme__qr svg").screenshot()
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(screenshot)))
    assert [result.text for result in results] == [f"{live_server.url}/agenda/"]


def test_print_and_digest_pages_have_no_axe_violation(page, live_server, long_event):
    from axe_playwright_python.sync_playwright import Axe

    from letter.models import DigestSubscription

    subscription = DigestSubscription.objects.create(email="lina@example.org")
    page.context.add_cookies([{"name": "agora_kiosque", "value": "1", "url": live_server.url}])
    pages = {
        "affiche": "/agenda/grande-journee/affiche/",
        "programme": "/agenda/programme/",
        "evenement-avec-liens": "/agenda/grande-journee/",
        "agenda-avec-liens": "/agenda/",
        "lettre": "/lettre/",
        "lettre-merci": "/lettre/merci/",
        "lettre-confirmer": f"/lettre/confirmer/{subscription.token}/",
        "lettre-desinscription": f"/lettre/desinscription/{subscription.token}/",
        "lettre-lien-invalide": "/lettre/desinscription/inconnu/",
    }
    violations = {}
    for name, path in pages.items():
        page.goto(live_server.url + path)
        response = Axe().run(page).response
        found = [f"{v['id']}: {[node['target'] for node in v['nodes']]}" for v in response["violations"]]
        if found:
            violations[name] = found
    page.goto(live_server.url + "/lettre/")
    page.get_by_role("button", name="M'inscrire").click()
    page.locator(".error-summary").wait_for()
    found = [v["id"] for v in Axe().run(page).response["violations"]]
    if found:
        violations["lettre-erreurs"] = found

    assert violations == {}


def test_anonymous_visitor_prints_the_poster_from_the_event_page(page, live_server, make_event):
    make_event("Loto", start=coming_week_day(2, 15))
    # The print dialog cannot be driven: the test counts the calls instead.
    page.add_init_script("window.print = function () { window.printed = (window.printed || 0) + 1; };")
    page.goto(f"{live_server.url}/agenda/loto/")

    page.get_by_role("link", name="Imprimer l'affiche (A4)").click()
    page.get_by_role("button", name="Imprimer").click()

    assert page.url == f"{live_server.url}/agenda/loto/affiche/"
    assert page.evaluate("window.printed") == 1


def test_without_javascript_the_print_button_stays_hidden_and_the_page_says_how(
    chromium, live_server, make_event
):
    make_event("Loto", start=coming_week_day(2, 15))
    context = chromium.new_context(locale="fr-FR", java_script_enabled=False)
    try:
        browser_page = context.new_page()
        browser_page.goto(f"{live_server.url}/agenda/programme/")

        assert browser_page.get_by_role("button", name="Imprimer").count() == 0
        assert "Ctrl + P" in browser_page.locator(".print-tools").inner_text()
    finally:
        context.close()
