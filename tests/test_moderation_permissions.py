"""Who may create, edit, submit, publish and see drafts: every role against every action.

Roles: anonymous visitor, a resident proposing without an account, courteline (staff of an
untrusted association), resoudre (staff of a trusted association), moderatrice, partenaire1
and admin. Pages: a draft event of each association.
"""

from datetime import timedelta

import pytest

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from home.models import HomePage
from posts.models import ActeurPage, EventPage, Proposal
from posts.moderation import MODERATORS_GROUP, PARTNERS_GROUP, setup_moderation
from tests.conftest import add_sections, build_staff_world, client_for, new_event, shared_rows

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "courteline", "resoudre", "moderatrice", "partenaire1", "admin"]


@pytest.fixture
def world(world):
    return with_partner_and_drafts(world)


def with_partner_and_drafts(world) -> dict:
    """The staff world, with a moderator who gets e-mails, a partner, and a draft event of each
    association."""
    partner = get_user_model().objects.create_user("partenaire1")
    partner.groups.add(Group.objects.get(name=PARTNERS_GROUP))
    world["users"].update(anonymous=None, partenaire1=partner)
    get_user_model().objects.filter(username="moderatrice").update(email="moderatrice@example.org")
    world["users"]["moderatrice"].refresh_from_db()
    acteurs = world["acteurs"] = (world["resoudre"], world["courteline"])
    world["drafts"] = {
        key: new_event(world["sections"], acteur, f"Atelier de {acteur.title}", publish=False)
        for key, acteur in zip(("resoudre", "courteline"), acteurs, strict=True)
    }
    return world


@pytest.fixture(scope="class")
def shared_world(django_db_setup, django_db_blocker):
    """The same world, built once for a class of tests that only read it."""
    with shared_rows(django_db_blocker):
        yield with_partner_and_drafts(build_staff_world(add_sections(HomePage.objects.get())))


def allowed(response) -> bool:
    return response.status_code == 200


# role -> (may create, may edit/preview the draft of: set of associations, may publish: set)
EXPECTED = {
    "anonymous": (False, set(), set()),
    "courteline": (True, {"courteline"}, set()),
    "resoudre": (True, {"resoudre"}, {"resoudre"}),
    "moderatrice": (True, {"resoudre", "courteline"}, {"resoudre", "courteline"}),
    "partenaire1": (False, set(), set()),
    "admin": (True, {"resoudre", "courteline"}, {"resoudre", "courteline"}),
}


# Who may do what, read from one world built once. One process runs the whole class (`make test`
# distributes with --dist loadgroup).
@pytest.mark.xdist_group("moderation_permissions_matrix")
class TestMatrix:
    @pytest.mark.parametrize("role", ROLES)
    def test_create_an_event_in_the_admin(self, shared_world, role):
        world = shared_world
        agenda = world["sections"]["agenda"]

        response = client_for(world, role).get(f"/admin/pages/add/posts/eventpage/{agenda.pk}/")

        assert allowed(response) is EXPECTED[role][0]

    @pytest.mark.parametrize("role", ROLES)
    @pytest.mark.parametrize("owner", ["resoudre", "courteline"])
    def test_edit_and_see_the_draft_of_an_association(self, shared_world, role, owner):
        world = shared_world
        draft = world["drafts"][owner]
        client = client_for(world, role)

        edit = client.get(f"/admin/pages/{draft.pk}/edit/")
        preview = client.get(f"/admin/pages/{draft.pk}/view_draft/")

        may_edit = owner in EXPECTED[role][1]
        assert allowed(edit) is may_edit
        assert allowed(preview) is may_edit
        # Nobody, not even the admin, sees a draft at its public address.
        assert client.get(draft.url if draft.url else f"/agenda/{draft.slug}/").status_code == 404

    @pytest.mark.parametrize("role", ROLES)
    @pytest.mark.parametrize("owner", ["resoudre", "courteline"])
    def test_publish_permission(self, shared_world, role, owner):
        world = shared_world
        draft = world["drafts"][owner]
        user = world["users"][role]

        if user is None:
            assert not draft.permissions_for_user(get_user_model()(is_active=False)).can_publish()
            return
        assert draft.permissions_for_user(user).can_publish() is (owner in EXPECTED[role][2])


def edit_form(page, **extra):
    data = nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "acteur": page.acteur_id,
            "summary": page.summary,
            "start": timezone.localtime(page.start).strftime("%Y-%m-%d %H:%M"),
            "end": timezone.localtime(page.end).strftime("%Y-%m-%d %H:%M"),
            "recurrence": "",
            "place_name": page.place_name,
            "is_free": "True",
            "body": streamfield([("paragraph", rich_text("<p>Texte</p>"))]),
            "extra_dates": {"TOTAL_FORMS": 0, "INITIAL_FORMS": 0, "MIN_NUM_FORMS": 0, "MAX_NUM_FORMS": 1000},
            "comments": {"TOTAL_FORMS": 0, "INITIAL_FORMS": 0, "MIN_NUM_FORMS": 0, "MAX_NUM_FORMS": 1000},
        }
    )
    data.update(extra)
    return data


def test_trusted_staff_publish_their_own_page_directly(world):
    draft = world["drafts"]["resoudre"]

    client_for(world, "resoudre").post(
        f"/admin/pages/{draft.pk}/edit/", edit_form(draft, **{"action-publish": "1"})
    )

    draft.refresh_from_db()
    assert draft.live


def test_untrusted_staff_cannot_publish_and_submit_to_moderation(world):
    from django.core import mail

    draft = world["drafts"]["courteline"]
    client = client_for(world, "courteline")

    client.post(f"/admin/pages/{draft.pk}/edit/", edit_form(draft, **{"action-publish": "1"}))
    draft.refresh_from_db()
    assert not draft.live

    client.post(f"/admin/pages/{draft.pk}/edit/", edit_form(draft, **{"action-submit": "1"}))
    draft.refresh_from_db()
    assert not draft.live
    assert draft.workflow_in_progress
    assert [message.to for message in mail.outbox] == [["moderatrice@example.org"]]
    assert "Atelier de Courteline" in mail.outbox[0].subject


def test_staff_cannot_edit_the_other_associations_live_page_either(world):
    resoudre_acteur, _ = world["acteurs"]
    live = new_event(world["sections"], resoudre_acteur, "Permanence de Résoudre")
    client = client_for(world, "courteline")

    assert client.get(f"/admin/pages/{live.pk}/edit/").status_code != 200
    client.post(f"/admin/pages/{live.pk}/unpublish/")
    live.refresh_from_db()
    assert live.live


def test_resident_proposal_creates_only_a_draft_and_sees_no_draft(world):
    cache.clear()
    client = Client()
    day = (timezone.localdate() + timedelta(days=5)).isoformat()

    response = client.post(
        "/proposer/evenement/",
        {
            "title": "Troc de plantes",
            "day": day,
            "start_time": "10:00",
            "place_name": "Devant le centre social",
            "text": "Apportez vos boutures.",
            "display_name": "Nora",
        },
    )

    assert response.status_code == 302
    page = EventPage.objects.get(title="Troc de plantes")
    assert not page.live and page.workflow_in_progress
    assert client.get(page.url or "/agenda/troc-de-plantes/").status_code == 404
    assert client.get(f"/admin/pages/{page.pk}/edit/").status_code == 302  # to the login page
    assert not page.permissions_for_user(page.owner).can_publish()
    assert Proposal.objects.get(page=page).status == Proposal.Status.PENDING


def test_setup_moderation_is_idempotent(world):
    from wagtail.models import (
        Collection,
        GroupCollectionPermission,
        GroupPagePermission,
        Workflow,
        WorkflowPage,
    )

    def counts():
        return (
            Group.objects.count(),
            GroupPagePermission.objects.count(),
            Workflow.objects.filter(active=True).count(),
            WorkflowPage.objects.count(),
            Collection.objects.count(),
            GroupCollectionPermission.objects.count(),
        )

    before = counts()
    setup_moderation()

    assert counts() == before
    assert Workflow.objects.filter(active=True).get().name == "Modération légère"


def test_trust_change_takes_publish_right_away(world):
    resoudre_acteur, _ = world["acteurs"]
    draft = world["drafts"]["resoudre"]
    ActeurPage.objects.filter(pk=resoudre_acteur.pk).update(trusted=False)
    resoudre_acteur.refresh_from_db()

    setup_moderation()

    user = get_user_model().objects.get(username="resoudre")
    assert not draft.permissions_for_user(user).can_publish()


def test_residents_photos_collection_is_for_moderators_only(world):
    from wagtail.models import GroupCollectionPermission

    from posts.moderation import residents_photos_collection

    rights = GroupCollectionPermission.objects.filter(collection=residents_photos_collection())

    assert {right.group.name for right in rights} == {MODERATORS_GROUP}
    assert {right.permission.codename for right in rights} == {"add_image", "choose_image", "change_image"}
    # Nobody but administrators has image rights on the root, which would reach it too.
    root_rights = GroupCollectionPermission.objects.filter(collection__depth=1)
    assert not root_rights.filter(permission__content_type__app_label="wagtailimages").exists()
