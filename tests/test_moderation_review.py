"""Moderators decide with two words: "Publier" and "Refuser", the reason required and read by the
author; residents' proposals are reviewed one after the other from the admin home."""

import html
import importlib

import pytest
from bs4 import BeautifulSoup

from django.apps import apps
from django.core import mail
from django.test import Client
from django.urls import reverse

from wagtail.models import GroupApprovalTask, Task, TaskState, Workflow, WorkflowPage, WorkflowTask

from posts.models import ActeurPage, EventPage, ModerationTask, Proposal
from posts.moderation import TASK_NAME, WORKFLOW_NAME, setup_moderation
from tests.conftest import client_for, page_text
from tests.test_proposals import event_data, news_data, propose
from tests.test_publishing_rights import add_url, page_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator(moderation):
    client = Client()
    client.force_login(moderation["moderator"])
    return client


@pytest.fixture
def two_proposals(client, moderation):
    propose(client, "evenement", event_data())
    propose(client, "actualite", news_data(contact_email=""))
    return list(Proposal.objects.order_by("created_at", "pk"))


def review_url(proposal):
    return reverse("agora_review_proposal", args=[proposal.pk])


def messages_of(response) -> list[str]:
    """The messages shown, without their buttons."""
    return [html.unescape(str(message).split("\n")[0].strip()) for message in response.context["messages"]]


def workflow_buttons(client, page) -> list[str]:
    soup = BeautifulSoup(
        client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content, "html.parser"
    )
    return [" ".join(button.get_text(" ").split()) for button in soup.select("footer button")]


# --- The review page ---------------------------------------------------------------------------


def test_the_pending_list_leads_to_a_review_page_with_the_proposal_and_its_preview(moderator, two_proposals):
    first = two_proposals[0]
    home = moderator.get(reverse("wagtailadmin_home")).content.decode()
    assert f'href="{review_url(first)}"' in home

    response = moderator.get(review_url(first))

    assert response.status_code == 200
    text = page_text(response)
    assert "Fête des voisins de la rue Jean-Bart" in text
    assert "Lina — en son nom" in text
    assert "Chacun apporte un plat." in text
    assert "2 propositions en attente, celle-ci comprise." in text
    assert (
        reverse(
            "wagtailadmin_pages:workflow_preview", args=[first.page_id, first.page.current_workflow_task.pk]
        )
        in text
    )


def test_only_moderators_review(moderation, make_user, two_proposals):
    staff = make_user("equipe-du-centre")
    staff.groups.add(ActeurPage.objects.get(pk=moderation["host"].pk).staff_group)
    client = Client()
    client.force_login(staff)

    response = client.get(review_url(two_proposals[0]))

    assert response.status_code in (302, 403)
    assert Proposal.objects.get(pk=two_proposals[0].pk).status == Proposal.Status.PENDING


def test_refusing_without_a_reason_is_refused_and_changes_nothing(moderator, two_proposals):
    response = moderator.post(review_url(two_proposals[0]), {"action": "reject", "comment": "  "})

    assert response.status_code == 200
    assert "Écrivez la raison : la personne qui a proposé la publication la lira." in page_text(response)
    assert Proposal.objects.get(pk=two_proposals[0].pk).status == Proposal.Status.PENDING
    assert two_proposals[0].page.workflow_in_progress


def test_refusing_with_a_reason_tells_the_resident_and_opens_the_next_proposal(
    client, moderator, two_proposals
):
    first, second = two_proposals
    reason = "Il manque l'heure de fin : proposez-la de nouveau avec l'horaire complet."

    response = moderator.post(review_url(first), {"action": "reject", "comment": reason}, follow=True)

    assert response.redirect_chain[-1][0] == review_url(second)
    assert "Refusé : la personne a été prévenue." in messages_of(response)
    follow_up = page_text(client.get(f"/proposer/suivi/{first.code}/"))
    assert "Non retenue" in follow_up and reason in follow_up
    assert any(reason in message.body for message in mail.outbox if message.to == ["lina@example.org"])


def test_publishing_confirms_and_the_last_one_leads_home(client, moderator, two_proposals):
    first, second = two_proposals
    moderator.post(review_url(first), {"action": "approve"})

    response = moderator.post(review_url(second), {"action": "approve"}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("wagtailadmin_home")
    assert f"Publié : « {second.title} »." in messages_of(response)
    assert "Plus aucune proposition en attente." in messages_of(response)
    for proposal in two_proposals:
        proposal.refresh_from_db()
        assert proposal.status == Proposal.Status.PUBLISHED
        assert client.get(proposal.page.url).status_code == 200


def test_a_proposal_decided_meanwhile_says_so_and_moves_on(moderator, two_proposals):
    first, second = two_proposals
    moderator.post(review_url(first), {"action": "approve"})

    response = moderator.get(review_url(first), follow=True)

    assert response.redirect_chain[-1][0] == review_url(second)
    assert "Cette proposition a déjà été traitée." in messages_of(response)


# --- The editor's workflow actions -------------------------------------------------------------


def test_the_editor_offers_publish_and_refuse_on_a_residents_proposal(moderator, two_proposals):
    buttons = workflow_buttons(moderator, two_proposals[0].page)

    assert "Publier" in buttons and "Refuser" in buttons
    assert not any("Demander des modifications" in label or "et publier" in label for label in buttons)


def test_association_pages_may_also_be_sent_back_for_changes(world):
    courteline = client_for(world, "courteline")
    data = page_form("event", "Atelier couture", world["courteline"], **{"action-submit": "1"})
    assert courteline.post(add_url(world, "event"), data).status_code == 302
    event = EventPage.objects.get(title="Atelier couture")

    buttons = workflow_buttons(client_for(world, "moderatrice"), event)

    assert {"Publier", "Refuser", "Demander des modifications"} <= set(buttons)


@pytest.mark.parametrize("action", ["reject", "request_changes"])
def test_a_refusal_from_the_editor_needs_a_reason(moderator, two_proposals, action):
    page = two_proposals[0].page
    task_state = TaskState.objects.get(
        workflow_state__object_id=str(page.pk), status=TaskState.STATUS_IN_PROGRESS
    )
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk])

    moderator.post(url, {"comment": ""}, headers={"x-requested-with": "XMLHttpRequest"})

    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_IN_PROGRESS


# --- The task of sites set up before ModerationTask -----------------------------------------------


def test_the_moderators_group_approval_task_becomes_a_moderation_task_in_place(client, moderation):
    """A site whose workflow ran on a plain group-approval task keeps its task, with the proposals
    waiting on it, once the migration has converted it."""
    ModerationTask.objects.all().delete()
    Task.objects.all().delete()
    Workflow.objects.all().delete()
    old = GroupApprovalTask.objects.create(name=TASK_NAME)
    old.groups.set(moderation["moderator"].groups.all())
    workflow = Workflow.objects.create(name=WORKFLOW_NAME, active=True)
    WorkflowTask.objects.create(workflow=workflow, task=old, sort_order=0)
    WorkflowPage.objects.create(workflow=workflow, page=moderation["sections"]["agenda"].get_parent())
    propose(client, "evenement", event_data())
    waiting = TaskState.objects.get(status=TaskState.STATUS_IN_PROGRESS)

    migration = importlib.import_module("posts.migrations.0009_moderation_task")
    migration.convert_the_moderators_task(apps, None)
    setup_moderation()

    assert Task.objects.get(pk=old.pk).specific.__class__ is ModerationTask
    assert list(Task.objects.values_list("pk", flat=True)) == [old.pk]
    waiting.refresh_from_db()
    assert isinstance(waiting.task.specific, ModerationTask)
    proposal = Proposal.objects.get()
    moderator = Client()
    moderator.force_login(moderation["moderator"])
    assert moderator.post(review_url(proposal), {"action": "reject", "comment": ""}).status_code == 200
    moderator.post(review_url(proposal), {"action": "approve"})
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.PUBLISHED
