"""Association staff in the admin: a start page that says what to do next, and one obvious button.

courteline is staff of a moderated association, resoudre of a trusted one (see the `world` of
tests/test_publishing_rights.py); moderatrice keeps Wagtail's menus and the moderators' panels.
"""

from datetime import time, timedelta

import pytest
from bs4 import BeautifulSoup

from django.urls import reverse
from django.utils import timezone

from wagtail.models import TaskState
from wagtail.test.utils.form_data import rich_text, streamfield

from posts.actions import submit_proposal
from posts.models import EventPage, Proposal
from posts.proposals import ProposalData
from tests.conftest import client_for
from tests.test_publishing_rights import (  # noqa: F401 (fixture)
    add_url,
    draft_of,
    drafts,
    edit_url,
    page_form,
)

pytestmark = pytest.mark.django_db


def buttons(response) -> list[str]:
    """The editor's action buttons in order: the first is the main one, the others in its menu."""
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    footer = soup.select_one("footer")
    return [" ".join(button.get_text(" ").split()) for button in footer.select("button[type=submit]")]


def section_of(home, key) -> str:
    soup = BeautifulSoup(home.content.decode(), "html.parser")
    section = soup.select_one(f".agora-publications--{key}")
    return " ".join(section.get_text(" ").split()) if section else ""


# --- One obvious button ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["event", "news"])
def test_moderated_staff_are_offered_send_to_moderation_first_and_no_publish(world, kind):
    response = client_for(world, "courteline").get(add_url(world, kind))

    assert buttons(response)[0] == "Envoyer à la modération"
    assert "Enregistrer le brouillon" in buttons(response)[1:]
    assert not any("Publier" in label or "Soumettre" in label for label in buttons(response))


@pytest.mark.parametrize("kind", ["event", "news"])
def test_trusted_staff_are_offered_publish_first_and_no_workflow(world, kind):
    response = client_for(world, "resoudre").get(add_url(world, kind))

    assert buttons(response)[0] == "Publier"
    assert "Enregistrer le brouillon" in buttons(response)[1:]
    assert not any("modération" in label.lower() or "Soumettre" in label for label in buttons(response))


def test_trusted_staff_see_publish_first_when_editing_their_draft(world):
    draft = draft_of(world, "event", "Atelier vélo", world["resoudre"], "resoudre")

    response = client_for(world, "resoudre").get(edit_url(draft))

    assert buttons(response)[0] == "Publier"


def test_a_portrait_goes_to_moderation_even_for_trusted_staff(world):
    """No one publishes a portrait before its consent is recorded, which moderators do."""
    response = client_for(world, "resoudre").get(add_url(world, "portrait"))

    assert buttons(response)[0] == "Envoyer à la modération"


def test_moderators_keep_the_editors_own_menu(world):
    response = client_for(world, "moderatrice").get(add_url(world, "event"))

    assert buttons(response)[0] == "Enregistrer le brouillon"
    assert any("Publier" in label for label in buttons(response))


def test_the_main_button_sends_the_event_to_moderation(world):
    client = client_for(world, "courteline")
    data = page_form("event", "Atelier couture", world["courteline"], **{"action-submit": "1"})

    response = client.post(add_url(world, "event"), data)

    assert response.status_code == 302
    event = EventPage.objects.get(title="Atelier couture")
    assert event.workflow_in_progress and not event.live
    assert "Atelier couture" in section_of(client.get(reverse("wagtailadmin_home")), "waiting")


# --- The start page ----------------------------------------------------------------------------


def test_staff_land_on_big_actions_that_open_the_right_create_forms(world):
    home = client_for(world, "courteline").get(reverse("wagtailadmin_home"))

    soup = BeautifulSoup(home.content.decode(), "html.parser")
    actions = {link.get_text(strip=True): link["href"] for link in soup.select(".agora-start-action")}
    back_home = "?next=%2Fadmin%2F"
    assert actions == {
        "Créer un événement": add_url(world, "event") + back_home,
        "Créer une actualité": add_url(world, "news") + back_home,
        "Proposer un portrait": add_url(world, "portrait") + back_home,
    }
    assert "Votre association n'a encore rien publié" in home.content.decode().replace("&#x27;", "'")


def test_the_create_form_has_the_association_filled_in(world):
    response = client_for(world, "courteline").get(add_url(world, "event"))

    soup = BeautifulSoup(response.content.decode(), "html.parser")
    selected = soup.select_one("select[name=acteur] option[selected]")
    assert selected is not None and selected["value"] == str(world["courteline"].pk)


def test_my_publications_show_each_state_with_its_next_action_and_the_refusal_reason(world, drafts):
    courteline = client_for(world, "courteline")
    for title in ("Atelier en attente", "Atelier refusé"):
        data = page_form("event", title, world["courteline"], **{"action-submit": "1"})
        assert courteline.post(add_url(world, "event"), data).status_code == 302
    refused = EventPage.objects.get(title="Atelier refusé")
    task_state = TaskState.objects.get(
        workflow_state__object_id=str(refused.pk), status=TaskState.STATUS_IN_PROGRESS
    )
    moderator = client_for(world, "moderatrice")
    url = reverse("wagtailadmin_pages:workflow_action", args=[refused.pk, "reject", task_state.pk])
    moderator.post(url, {"comment": "Ajoutez l'adresse du lieu, s'il vous plaît."})
    submit_proposal(
        Proposal.Kind.EVENT,
        ProposalData(
            title="Proposition de Nora pour Courteline",
            text="Un atelier de boutures.",
            display_name="Nora",
            day=timezone.localdate() + timedelta(days=5),
            start_time=time(14, 0),
            place_name="Devant le centre social",
            acteur=world["courteline"],
        ),
    )

    home = courteline.get(reverse("wagtailadmin_home"))

    assert "Atelier refusé" in section_of(home, "refused")
    assert "Ajoutez l'adresse du lieu, s'il vous plaît." in section_of(home, "refused")
    assert "Corriger et renvoyer" in section_of(home, "refused")
    assert "Atelier en attente" in section_of(home, "waiting")
    assert "Atelier de Courteline" in section_of(home, "draft") and "Continuer" in section_of(home, "draft")
    assert "Atelier ouvert de Courteline" in section_of(home, "published")
    assert "Voir en ligne" in section_of(home, "published")
    # Neither another association's pages nor residents' proposals the moderators have not published.
    text = home.content.decode()
    assert "Atelier de Résoudre" not in text and "Nora" not in text


def test_moderators_get_their_panels_not_the_staff_start_page(world):
    home = client_for(world, "moderatrice").get(reverse("wagtailadmin_home"))

    text = home.content.decode()
    assert "agora-start-action" not in text
    assert "Propositions en attente" in text


def test_an_empty_summary_is_taken_from_the_start_of_the_content(world):
    body = streamfield(
        [("paragraph", rich_text("<p>On tricote ensemble.</p><p>Laine fournie &amp; thé offert.</p>"))]
    )
    data = page_form("event", "Atelier tricot", world["courteline"], summary="", body=body)

    response = client_for(world, "courteline").post(add_url(world, "event"), data)

    assert response.status_code == 302
    assert (
        EventPage.objects.get(title="Atelier tricot").summary
        == "On tricote ensemble.\nLaine fournie & thé offert."
    )
