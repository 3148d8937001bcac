"""Association staff and moderators in a real Chromium, from their start page: the number of
actions it takes.

The login (username, password, button) comes before and is not counted: the actions counted
start on the admin's start page, where staff land.
"""

import re
from datetime import timedelta

import pytest

from django.utils import timezone

from posts.models import EventPage, Proposal
from tests.test_proposals import event_data, news_data, propose

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "un-mot-de-passe-solide"  # make_user's


def log_in(page, live_server, username, lands_on="Mes publications"):
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.get_by_role("heading", name=lands_on).wait_for()


def type_into(page, label, text):
    """One action: click into the field named by its visible label (Wagtail marks required ones
    with an asterisk) and type. Clicking, as a person does, closes the date picker left open by
    the field before."""
    field = page.get_by_role("textbox", name=re.compile(rf"^{label}\*?$"))
    field.click()
    field.fill(text)


def event_actions(page, title, start):
    """What staff do on the start page to create an event and press the main button."""
    day = start.strftime("%Y-%m-%d")
    return [
        lambda: page.get_by_role("link", name="Créer un événement").click(),
        lambda: type_into(page, "Titre", title),
        lambda: type_into(page, "Début", f"{day} 14:00"),
        lambda: type_into(page, "Fin", f"{day} 17:00"),
        lambda: type_into(page, "Lieu", "Salle Courteline, 48 rue Courteline"),
    ]


def publications_section(page, heading):
    return page.locator("section.agora-publications").filter(has=page.get_by_role("heading", name=heading))


def test_moderated_staff_send_an_event_to_moderation_in_six_actions_and_see_it_waiting(
    page, live_server, world
):
    log_in(page, live_server, "courteline")
    start = timezone.localtime() + timedelta(days=10)
    actions = [
        *event_actions(page, "Atelier tricot du jeudi", start),
        lambda: page.get_by_role("button", name="Envoyer à la modération").click(),
    ]

    assert len(actions) <= 6
    for action in actions:
        action()

    page.get_by_role("heading", name="Mes publications").wait_for()
    waiting = publications_section(page, "En attente de modération")
    assert "Atelier tricot du jeudi" in waiting.inner_text()
    event = EventPage.objects.get(title="Atelier tricot du jeudi")
    assert event.workflow_in_progress and not event.live
    assert event.acteur_id == world["courteline"].pk


def test_trusted_staff_publish_an_event_directly_and_see_it_live(page, live_server, world):
    log_in(page, live_server, "resoudre")
    start = timezone.localtime() + timedelta(days=12)
    actions = [
        *event_actions(page, "Café réparation de décembre", start),
        lambda: page.get_by_role("button", name="Publier").click(),
    ]

    assert len(actions) <= 6
    for action in actions:
        action()

    page.get_by_role("heading", name="Mes publications").wait_for()
    published = publications_section(page, "Publiées")
    assert "Café réparation de décembre" in published.inner_text()
    event = EventPage.objects.get(title="Café réparation de décembre")
    assert event.live and not event.workflow_in_progress
    page.get_by_role("link", name="Voir en ligne : Café réparation de décembre").click()
    page.get_by_role("heading", name="Café réparation de décembre", level=1).wait_for()
    assert "Tarif non précisé" in page.inner_text("main")


def test_the_moderator_refuses_with_a_reason_then_publishes_the_next_proposal(
    page, live_server, client, moderation
):
    propose(client, "evenement", event_data(title="Troc de boutures"))
    propose(client, "actualite", news_data(title="Les bancs du square sont réparés"))
    first, second = Proposal.objects.order_by("created_at", "pk")
    log_in(page, live_server, "moderatrice", lands_on="Propositions en attente")
    reason = "Il manque l'heure de fin : proposez-le de nouveau avec l'horaire complet."

    page.get_by_role("link", name="Relire : Troc de boutures").click()
    page.get_by_role("button", name="Refuser").click()
    page.get_by_text("Écrivez la raison : la personne qui a proposé la publication la lira.").wait_for()
    page.get_by_label("Raison du refus").fill(reason)
    page.get_by_role("button", name="Refuser").click()

    page.get_by_text("Refusé : la personne a été prévenue.").wait_for()
    page.get_by_role("heading", name="Les bancs du square sont réparés").wait_for()
    page.get_by_role("button", name="Publier").click()
    page.get_by_text("Publié : « Les bancs du square sont réparés ».").wait_for()
    page.get_by_text("Plus aucune proposition en attente.").wait_for()

    second.refresh_from_db()
    page.goto(live_server.url + second.page.url)
    page.get_by_role("heading", name="Les bancs du square sont réparés", level=1).wait_for()
    page.goto(live_server.url + f"/proposer/suivi/{first.code}/")
    follow_up = page.inner_text("main")
    assert "Non retenue" in follow_up and reason in follow_up
