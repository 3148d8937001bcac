"""In whose name staff publish, and what they see of others' work in the admin.

An association's staff credit only their own association, whatever the request says (the
form offers nothing else, refuses anything else, and the permission tester agrees);
moderators and administrators credit any. In the admin, staff see their association's pages
and the sections they add to: not another association's drafts, nor residents' proposals.
"""

import html
import json
from datetime import timedelta

import pytest

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from posts.actions import record_decision, submit_proposal
from posts.models import ActeurPage, EventPage, PortraitPage, ProjectNewsPage, Proposal
from posts.moderation import setup_moderation
from posts.proposals import ProposalData
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

KINDS = {"event": EventPage, "news": ProjectNewsPage, "portrait": PortraitPage}
SECTION_OF = {"event": "agenda", "news": "news", "portrait": "portraits"}
REFUSED = "Vous ne pouvez publier qu'au nom de votre association."


def page_form(kind, title, acteur, **extra):
    """The admin's form of a publication, as an editor sends it."""
    start = timezone.localtime() + timedelta(days=3)
    values = {
        "title": title,
        "slug": slugify(title),
        "acteur": acteur.pk,
        "summary": f"Résumé de {title}",
        "image": "",
        "image_alt": "",
        "body": streamfield([]),
        "tags": "",
        "display_name": "",
        "seo_title": "",
        "search_description": "",
        "go_live_at": "",
        "expire_at": "",
    }
    if kind == "event":
        values.update(
            start=start.strftime("%Y-%m-%d %H:%M"),
            end=(start + timedelta(hours=2)).strftime("%Y-%m-%d %H:%M"),
            recurrence="",
            recurrence_until="",
            extra_dates=inline_formset([]),
            place_name="Centre social",
            place_address="",
            is_free="True",
            price="",
            registration="",
            registration_url="",
            accessibility="",
        )
    elif kind == "news":
        values["project_name"] = "Jardin partagé"
    else:
        values.update(person_name="Lina", role="bénévole")
    values.update(extra)
    return nested_form_data(values)


def add_url(world, kind):
    model = KINDS[kind]
    section = world["sections"][SECTION_OF[kind]]
    return reverse("wagtailadmin_pages:add", args=(model._meta.app_label, model._meta.model_name, section.pk))


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))


def draft_of(world, kind, title, acteur, owner):
    """A draft created by `owner` through the admin."""
    response = client_for(world, owner).post(add_url(world, kind), page_form(kind, title, acteur))
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    return KINDS[kind].objects.get(title=title)


# --- Finding: publishing in another association's name ------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_staff_cannot_publish_in_another_associations_name_when_creating(world, kind):
    title = f"Au nom de Courteline ({kind})"
    data = page_form(kind, title, world["courteline"], **{"action-publish": "1"})

    response = client_for(world, "resoudre").post(add_url(world, kind), data)

    assert response.status_code == 200
    assert REFUSED in html.unescape(response.content.decode())
    assert not KINDS[kind].objects.filter(title=title).exists()
    assert title not in Client().get("/acteurs/courteline/").content.decode()


@pytest.mark.parametrize("action", ["action-publish", "action-submit", None])
@pytest.mark.parametrize("kind", KINDS)
def test_staff_cannot_publish_in_another_associations_name_when_editing(world, kind, action):
    draft = draft_of(world, kind, f"Brouillon de Résoudre ({kind})", world["resoudre"], "resoudre")
    data = page_form(kind, draft.title, world["courteline"], slug=draft.slug)
    if action:
        data[action] = "1"

    response = client_for(world, "resoudre").post(edit_url(draft), data)

    assert response.status_code == 200
    assert REFUSED in html.unescape(response.content.decode())
    draft.refresh_from_db()
    assert not draft.live
    assert draft.acteur_id == world["resoudre"].pk
    assert draft.get_latest_revision_as_object().acteur_id == world["resoudre"].pk


@pytest.mark.parametrize("kind", KINDS)
def test_staff_are_offered_only_their_own_association(world, kind):
    response = client_for(world, "resoudre").get(add_url(world, kind))

    field = response.context["form"]["acteur"]
    choices = [(str(value), label) for value, label in field.field.choices if value != ""]
    assert choices == [(str(world["resoudre"].pk), "Résoudre")]
    assert field.value() == world["resoudre"].pk
    assert "Courteline" not in str(field)


@pytest.mark.parametrize("role", ["moderatrice", "admin"])
@pytest.mark.parametrize("kind", KINDS)
def test_moderators_and_administrators_credit_any_association(world, role, kind):
    draft = draft_of(world, kind, f"Pour Courteline ({kind})", world["courteline"], role)
    assert draft.acteur_id == world["courteline"].pk

    data = page_form(kind, draft.title, world["resoudre"], slug=draft.slug)
    client_for(world, role).post(edit_url(draft), data)

    draft.refresh_from_db()
    assert draft.get_latest_revision_as_object().acteur_id == world["resoudre"].pk


def test_owning_a_page_credited_to_another_association_gives_no_right_on_it(world):
    """A page resoudre created for Courteline before the rule existed stays Courteline's."""
    draft = draft_of(world, "event", "Ancien brouillon", world["resoudre"], "resoudre")
    EventPage.objects.filter(pk=draft.pk).update(acteur=world["courteline"])
    draft.acteur = world["courteline"]
    draft.save_revision(user=world["users"]["resoudre"])
    draft = EventPage.objects.get(pk=draft.pk)
    client = client_for(world, "resoudre")

    permissions = draft.permissions_for_user(world["users"]["resoudre"])
    assert not permissions.can_publish()
    assert not permissions.can_edit()
    assert not permissions.can_copy()
    data = page_form("event", draft.title, world["courteline"], slug=draft.slug, **{"action-publish": "1"})
    assert client.post(edit_url(draft), data).status_code != 200
    draft.refresh_from_db()
    assert not draft.live
    assert draft.permissions_for_user(world["users"]["courteline"]).can_edit()


# --- Hardening: what staff see of others' pages in the admin --------------------------------


@pytest.fixture
def drafts(world, make_event):
    """A draft of each association, a resident's pending proposal and a declined one, and a
    published event of Courteline."""
    made = {
        "resoudre": draft_of(world, "event", "Atelier de Résoudre", world["resoudre"], "resoudre"),
        "courteline": draft_of(world, "event", "Atelier de Courteline", world["courteline"], "courteline"),
        "published": make_event("Atelier ouvert de Courteline", acteur=world["courteline"]),
    }
    for key, title in [("pending", "Atelier proposé par Nora"), ("declined", "Atelier refusé de Nora")]:
        proposal = submit_proposal(
            Proposal.Kind.EVENT,
            ProposalData(
                title=title,
                text="Apportez vos boutures.",
                display_name="Nora",
                day=timezone.localdate() + timedelta(days=5),
                start_time=timezone.localtime().time().replace(microsecond=0),
                place_name="Devant le centre social",
                acteur=world["host"],  # the resident chose the social centre
            ),
        )
        made[key] = proposal.page
    record_decision(made["declined"], Proposal.Status.DECLINED, "Hors sujet.")
    return made


SEES = {
    "resoudre": {"Atelier de Résoudre"},
    "courteline": {"Atelier de Courteline", "Atelier ouvert de Courteline"},
    "moderatrice": {
        "Atelier de Résoudre",
        "Atelier de Courteline",
        "Atelier ouvert de Courteline",
        "Atelier proposé par Nora",
        "Atelier refusé de Nora",
    },
}
CHOOSERS = {"chooser", "chooser search"}


def admin_listings(world) -> dict[str, str]:
    agenda = world["sections"]["agenda"]
    return {
        "explorer": reverse("wagtailadmin_explore", args=(agenda.pk,)),
        "explorer search": reverse("wagtailadmin_explore", args=(agenda.pk,)) + "?q=Atelier",
        "search": reverse("wagtailadmin_pages:search") + "?q=Atelier",
        "page type usage": reverse("wagtailadmin_pages:type_use", args=("posts", "eventpage")),
        "chooser": reverse("wagtailadmin_choose_page_child", args=(agenda.pk,)),
        "chooser search": reverse("wagtailadmin_choose_page_search") + "?q=Atelier",
        "explorer menu": f"/admin/api/main/pages/?child_of={agenda.pk}&for_explorer=1",
    }


def readable(response) -> str:
    """The text of a page, or of a JSON answer (choosers answer with their HTML in JSON)."""
    if response["Content-Type"].startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode()


@pytest.mark.parametrize("role", SEES)
def test_staff_see_only_their_association_pages_in_the_admin(world, drafts, role):
    client = client_for(world, role)
    every_title = {page.title for page in drafts.values()}

    seen = {}
    for name, url in admin_listings(world).items():
        response = client.get(url)
        assert response.status_code == 200, name
        text = readable(response)
        seen[name] = {title for title in every_title if title in text}

    # Anyone may link to a published page: the page chooser offers it to every editor.
    expected = {
        name: SEES[role] | ({"Atelier ouvert de Courteline"} if name in CHOOSERS else set())
        for name in admin_listings(world)
    }
    assert seen == expected


# --- Residents' proposals belong to the moderators until they publish them ----------------


@pytest.mark.parametrize("state", ["pending", "declined"])
def test_association_staff_cannot_publish_a_residents_proposal_moderators_have_not_published(
    world, drafts, make_user, state
):
    """The host association, even trusted, neither edits nor publishes a resident's proposal
    credited to it while it waits for the moderators or after they declined it."""
    host = ActeurPage.objects.get(pk=world["host"].pk)
    ActeurPage.objects.filter(pk=host.pk).update(trusted=True)
    setup_moderation()
    host_staff = make_user("centre-social")
    host_staff.groups.add(ActeurPage.objects.get(pk=host.pk).staff_group)
    proposal_page = EventPage.objects.get(pk=drafts[state].pk)
    assert proposal_page.acteur_id == host.pk

    permissions = proposal_page.permissions_for_user(host_staff)
    assert not permissions.can_edit()
    assert not permissions.can_publish()
    client = Client()
    client.force_login(host_staff)
    data = page_form("event", proposal_page.title, host, slug=proposal_page.slug, **{"action-publish": "1"})
    assert client.post(edit_url(proposal_page), data).status_code != 200
    proposal_page.refresh_from_db()
    assert not proposal_page.live
    explorer = client.get(reverse("wagtailadmin_explore", args=(world["sections"]["agenda"].pk,)))
    assert proposal_page.title not in explorer.content.decode()
    assert proposal_page.permissions_for_user(world["users"]["moderatrice"]).can_publish()
