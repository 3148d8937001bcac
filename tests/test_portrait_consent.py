"""Droit à l'image: a portrait is live only while its person's consent is recorded and active."""

import re
from datetime import timedelta
from pathlib import Path

import pytest

from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from wagtail.actions.delete_page import DeletePageAction
from wagtail.actions.publish_page_revision import PublishPagePermissionError, PublishPageRevisionAction
from wagtail.models import GroupApprovalTask, PageLogEntry, Workflow, WorkflowPage, WorkflowTask
from wagtail.models.audit_log import ModelLogEntry
from wagtail.test.utils.form_data import nested_form_data, querydict_from_html, streamfield

from posts.actions import CONSENT_WITHDRAWN_ACTION, withdraw_consent
from posts.models import PortraitConsent, PortraitPage
from tests.conftest import page_text

pytestmark = pytest.mark.django_db

CONSENT_MISSING = (
    "Ce portrait ne peut pas être publié : le consentement de la personne "
    "(droit à l'image) n'est pas enregistré ou a été retiré."
)


def edit_url(page) -> str:
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))


def editor_form_data(client, url):
    """The editor's form as a browser would submit it, read from the rendered view.

    The body StreamField is drawn by JavaScript, so the test sends it as an empty stream.
    """
    response = client.get(url)
    assert response.status_code == 200
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    data.update(nested_form_data({"body": streamfield([])}))
    return data


def edit_form_data(client, page, url=None):
    return editor_form_data(client, url or edit_url(page))


def add_consent(portrait, **fields) -> PortraitConsent:
    fields.setdefault("given_by", portrait.person_name)
    fields.setdefault("method", PortraitConsent.Method.WRITTEN)
    return PortraitConsent.objects.create(portrait=portrait, **fields)


@pytest.fixture
def moderation(sections, admin_user):
    """A one-task workflow on the portraits section, as moderation sets it up."""
    workflow = Workflow.objects.create(name="Modération légère (test)")
    task = GroupApprovalTask.objects.create(name="Relecture")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.create(workflow=workflow, page=sections["portraits"])
    return workflow


# --- The model rule ------------------------------------------------------------------------


def test_publishing_portrait_without_consent_raises_clear_french_error(make_portrait, client):
    portrait = make_portrait(publish=False, consent=False)

    with pytest.raises(ValidationError) as error:
        portrait.save_revision().publish()

    assert CONSENT_MISSING in error.value.messages
    portrait.refresh_from_db()
    assert not portrait.live
    assert client.get(portrait.url).status_code == 404


def test_portrait_without_consent_set_live_in_code_is_refused_by_the_model(make_portrait, client):
    portrait = make_portrait(publish=False, consent=False)
    portrait.live = True

    with pytest.raises(ValidationError) as error:
        portrait.save()

    assert CONSENT_MISSING in error.value.messages
    assert not PortraitPage.objects.get(pk=portrait.pk).live
    assert client.get("/portraits/portrait-de-lina/").status_code == 404


def test_publish_action_refuses_portrait_without_consent_with_or_without_permission_checks(
    make_portrait, admin_user
):
    portrait = make_portrait(publish=False, consent=False)
    revision = portrait.save_revision(user=admin_user)

    with pytest.raises(PublishPagePermissionError):
        PublishPageRevisionAction(revision, user=admin_user).execute()
    with pytest.raises(ValidationError):
        PublishPageRevisionAction(revision, user=admin_user).execute(skip_permission_checks=True)

    assert not PortraitPage.objects.get(pk=portrait.pk).live


def test_permission_tester_offers_publishing_a_portrait_only_with_consent(make_portrait, admin_user):
    without = make_portrait(title="Portrait sans accord", publish=False, consent=False)
    with_consent = make_portrait(title="Portrait avec accord", publish=False)

    assert not without.permissions_for_user(admin_user).can_publish()
    assert with_consent.permissions_for_user(admin_user).can_publish()
    withdraw_consent(with_consent.consents.get())
    assert not PortraitPage.objects.get(pk=with_consent.pk).permissions_for_user(admin_user).can_publish()


def test_portrait_with_recorded_consent_publishes_and_is_served(make_portrait, client):
    portrait = make_portrait(title="Portrait de Samia", person_name="Samia")

    assert portrait.live
    response = client.get("/portraits/portrait-de-samia/")
    assert response.status_code == 200
    assert "Portrait de Samia" in page_text(response)


def test_withdrawing_consent_unpublishes_portrait_at_once(make_portrait, admin_user, client):
    portrait = make_portrait()
    url = portrait.url
    assert client.get(url).status_code == 200
    consent = portrait.consents.get()

    assert withdraw_consent(consent, user=admin_user) is True

    assert client.get(url).status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    portrait.refresh_from_db()
    assert not portrait.live
    # The page history says who took it offline, and the consent's history keeps the withdrawal.
    unpublish = PageLogEntry.objects.filter(page=portrait, action="wagtail.unpublish").get()
    assert unpublish.user == admin_user
    assert ModelLogEntry.objects.filter(action=CONSENT_WITHDRAWN_ACTION, object_id=str(consent.pk)).exists()


def test_portrait_renditions_are_gone_after_consent_withdrawal(
    make_portrait, make_image, admin_client, client, django_capture_on_commit_callbacks
):
    portrait = make_portrait(image=make_image("Lina au jardin"), image_alt="Lina arrose les tomates")
    html = client.get(portrait.url).content.decode()
    rendition_files = {
        Path(settings.MEDIA_ROOT) / url.removeprefix(settings.MEDIA_URL)
        for url in re.findall(rf"{settings.MEDIA_URL}images/[^\s\"',]+", html)
    }
    assert rendition_files and all(path.exists() for path in rendition_files)
    withdraw_url = reverse("portrait_consents:withdraw", args=(portrait.consents.get().pk,))

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(withdraw_url)

    assert client.get(portrait.url).status_code == 404
    assert [path for path in rendition_files if path.exists()] == []
    assert not portrait.image.renditions.exists()


def test_withdrawing_consent_twice_changes_nothing(make_portrait, admin_user):
    consent = make_portrait().consents.get()
    withdraw_consent(consent, user=admin_user)
    withdrawn_at = PortraitConsent.objects.get(pk=consent.pk).withdrawn_at

    assert withdraw_consent(PortraitConsent.objects.get(pk=consent.pk), user=admin_user) is False
    assert PortraitConsent.objects.get(pk=consent.pk).withdrawn_at == withdrawn_at


def test_withdrawing_one_of_two_active_consents_keeps_portrait_online(make_portrait, client):
    portrait = make_portrait()
    second = add_consent(portrait, given_by="Sa tutrice")

    assert withdraw_consent(second) is False

    assert client.get(portrait.url).status_code == 200


def test_consent_withdrawn_outside_the_action_still_unpublishes(make_portrait, client):
    """A shell or data fix that sets withdrawn_at goes through the signal."""
    portrait = make_portrait()
    consent = portrait.consents.get()
    url = portrait.url

    consent.withdrawn_at = timezone.now()
    consent.save()

    assert client.get(url).status_code == 404


def test_deleting_the_consent_unpublishes_portrait(make_portrait, client):
    portrait = make_portrait()
    url = portrait.url

    portrait.consents.get().delete()

    assert client.get(url).status_code == 404


def test_republishing_an_old_revision_after_withdrawal_is_refused(make_portrait, client):
    portrait = make_portrait()
    old_revision = portrait.live_revision
    withdraw_consent(portrait.consents.get())

    with pytest.raises(ValidationError) as error:
        old_revision.publish()

    assert CONSENT_MISSING in error.value.messages
    assert client.get("/portraits/portrait-de-lina/").status_code == 404


def test_withdrawal_cancels_a_scheduled_publication(make_portrait):
    portrait = make_portrait(publish=False)
    portrait.go_live_at = timezone.now() + timedelta(days=3)
    revision = portrait.save_revision()
    revision.publish()
    revision.refresh_from_db()
    assert revision.approved_go_live_at is not None

    withdraw_consent(portrait.consents.get())

    revision.refresh_from_db()
    assert revision.approved_go_live_at is None
    assert PortraitPage.objects.get(pk=portrait.pk).scheduled_revision is None


def test_deleting_a_live_portrait_deletes_its_consents_without_a_spurious_unpublish(
    make_portrait, admin_user
):
    portrait = make_portrait()

    DeletePageAction(portrait, user=admin_user).execute()

    assert not PortraitPage.objects.filter(pk=portrait.pk).exists()
    assert not PortraitConsent.objects.exists()
    assert not PageLogEntry.objects.filter(page_id=portrait.pk, action="wagtail.unpublish").exists()


# --- The page editor -----------------------------------------------------------------------


def test_editor_offers_no_publish_button_without_consent(make_portrait, admin_client):
    portrait = make_portrait(publish=False, consent=False)

    response = admin_client.get(edit_url(portrait))

    assert response.status_code == 200
    page = page_text(response)
    assert 'name="action-publish"' not in page
    assert "Ce portrait ne pourra être publié qu'une fois le consentement" in page
    assert reverse("portrait_consents:add") + f"?portrait={portrait.pk}" in page


def test_editor_offers_publish_button_with_consent(make_portrait, admin_client):
    portrait = make_portrait(publish=False)

    response = admin_client.get(edit_url(portrait))

    assert 'name="action-publish"' in response.content.decode()


def test_forged_publish_in_editor_saves_draft_and_explains_why(make_portrait, admin_client, client):
    portrait = make_portrait(publish=False, consent=False)
    data = edit_form_data(admin_client, portrait)
    data["title"] = "Portrait de Lina, relu"
    data["action-publish"] = "action-publish"

    response = admin_client.post(edit_url(portrait), data, follow=True)

    assert response.status_code == 200
    assert CONSENT_MISSING in page_text(response)
    portrait.refresh_from_db()
    assert not portrait.live
    # Nothing typed is lost: the edit is the latest draft.
    assert portrait.get_latest_revision_as_object().title == "Portrait de Lina, relu"
    assert client.get("/portraits/portrait-de-lina/").status_code == 404


def test_publish_in_editor_with_consent_publishes(make_portrait, admin_client, client):
    portrait = make_portrait(publish=False)
    data = edit_form_data(admin_client, portrait)
    data["action-publish"] = "action-publish"

    response = admin_client.post(edit_url(portrait), data)

    assert response.status_code == 302
    portrait.refresh_from_db()
    assert portrait.live
    assert client.get(portrait.url).status_code == 200


def test_new_portrait_form_offers_no_publish_button(sections, admin_client):
    url = reverse("wagtailadmin_pages:add", args=("posts", "portraitpage", sections["portraits"].pk))

    response = admin_client.get(url)

    assert response.status_code == 200
    assert 'name="action-publish"' not in response.content.decode()


def new_portrait_form_data(client, url, acteur, **extra):
    data = editor_form_data(client, url)
    values = {
        "title": "Portrait de Nadia",
        "slug": "portrait-de-nadia",
        "acteur": str(acteur.pk),
        "summary": "Nadia anime l'atelier couture.",
        "person_name": "Nadia",
        "role": "bénévole",
        **extra,
    }
    for key, value in values.items():
        data[key] = value
    return data


def test_new_portrait_can_be_saved_as_draft_in_admin(sections, acteur, admin_client):
    url = reverse("wagtailadmin_pages:add", args=("posts", "portraitpage", sections["portraits"].pk))

    response = admin_client.post(url, new_portrait_form_data(admin_client, url, acteur))

    portrait = PortraitPage.objects.get(slug="portrait-de-nadia")
    assert response.status_code == 302
    assert response["Location"] == edit_url(portrait)
    assert not portrait.live


def test_forged_publish_of_new_portrait_creates_a_draft_with_message(sections, acteur, admin_client):
    url = reverse("wagtailadmin_pages:add", args=("posts", "portraitpage", sections["portraits"].pk))
    data = new_portrait_form_data(admin_client, url, acteur, **{"action-publish": "action-publish"})

    response = admin_client.post(url, data, follow=True)

    assert response.status_code == 200
    assert CONSENT_MISSING in page_text(response)
    portrait = PortraitPage.objects.get(slug="portrait-de-nadia")
    assert not portrait.live
    assert portrait.summary == "Nadia anime l'atelier couture."


def test_new_portrait_created_live_in_code_is_refused(sections, acteur):
    portrait = PortraitPage(
        title="Portrait direct", acteur=acteur, summary="…", person_name="Ali", role="habitant"
    )

    with pytest.raises(ValidationError) as error:
        sections["portraits"].add_child(instance=portrait)

    assert CONSENT_MISSING in error.value.messages
    assert not PortraitPage.objects.filter(title="Portrait direct").exists()


def test_reverting_to_an_old_revision_after_withdrawal_keeps_portrait_offline(
    make_portrait, admin_client, client
):
    portrait = make_portrait()
    old_revision = portrait.live_revision
    withdraw_consent(portrait.consents.get())
    url = reverse("wagtailadmin_pages:revisions_revert", args=(portrait.pk, old_revision.pk))
    data = edit_form_data(admin_client, portrait, url=url)
    data["action-publish"] = "action-publish"

    response = admin_client.post(url, data, follow=True)

    assert response.status_code == 200
    assert CONSENT_MISSING in page_text(response)
    assert not PortraitPage.objects.get(pk=portrait.pk).live
    assert client.get("/portraits/portrait-de-lina/").status_code == 404


# --- Moderation, copies, bulk actions --------------------------------------------------------


def submitted_portrait(make_portrait, moderation, admin_user, consent):
    portrait = make_portrait(publish=False, consent=consent)
    portrait.save_revision(user=admin_user)
    moderation.start(portrait, admin_user)
    return PortraitPage.objects.get(pk=portrait.pk)


def test_moderator_approving_portrait_without_consent_gets_message_not_error(
    make_portrait, moderation, admin_user, admin_client
):
    portrait = submitted_portrait(make_portrait, moderation, admin_user, consent=False)
    task_state = portrait.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=(portrait.pk, "approve", task_state.pk))

    response = admin_client.post(url, {"comment": ""}, follow=True)

    assert response.status_code == 200
    assert CONSENT_MISSING in page_text(response)
    portrait.refresh_from_db()
    assert not portrait.live
    # Still waiting for a moderator, who can approve once the consent is recorded.
    assert portrait.current_workflow_task_state.pk == task_state.pk
    add_consent(portrait)
    admin_client.post(url, {"comment": ""})
    assert PortraitPage.objects.get(pk=portrait.pk).live


def test_moderator_approving_from_editor_without_consent_keeps_edits_as_draft(
    make_portrait, moderation, admin_user, admin_client
):
    portrait = submitted_portrait(make_portrait, moderation, admin_user, consent=False)
    data = edit_form_data(admin_client, portrait)
    data["summary"] = "Résumé corrigé par la modération."
    data["action-workflow-action"] = "true"
    data["workflow-action-name"] = "approve"

    response = admin_client.post(edit_url(portrait), data, follow=True)

    assert response.status_code == 200
    assert CONSENT_MISSING in page_text(response)
    portrait.refresh_from_db()
    assert not portrait.live
    assert portrait.workflow_in_progress
    assert portrait.get_latest_revision_as_object().summary == "Résumé corrigé par la modération."


def test_moderator_approving_portrait_with_consent_publishes_it(
    make_portrait, moderation, admin_user, admin_client
):
    portrait = submitted_portrait(make_portrait, moderation, admin_user, consent=True)
    task_state = portrait.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=(portrait.pk, "approve", task_state.pk))

    response = admin_client.post(url, {"comment": ""})

    assert response.status_code == 302
    assert PortraitPage.objects.get(pk=portrait.pk).live


def test_bulk_publish_refuses_portraits_without_consent(make_portrait, admin_client):
    without = make_portrait(title="Portrait sans accord", publish=False, consent=False)
    with_consent = make_portrait(title="Portrait avec accord", publish=False)
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish"))
    query = f"?id={without.pk}&id={with_consent.pk}&next=/admin/"

    response = admin_client.post(url + query, {"include_descendants": ""}, follow=True)

    assert response.status_code == 200
    assert "« Portrait sans accord »" in page_text(response)
    # All or nothing: the bulk action runs in one transaction.
    assert not PortraitPage.objects.filter(live=True).exists()


def test_bulk_publish_with_descendants_refuses_draft_portraits_without_consent(
    sections, make_portrait, admin_client
):
    make_portrait(title="Portrait sans accord", publish=False, consent=False)
    portraits = sections["portraits"]
    portraits.unpublish()
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish"))

    response = admin_client.post(
        f"{url}?id={portraits.pk}&next=/admin/", {"include_descendants": "on"}, follow=True
    )

    assert response.status_code == 200
    assert "« Portrait sans accord »" in page_text(response)
    portraits.refresh_from_db()
    assert not portraits.live


def test_copying_a_live_portrait_makes_a_draft_and_never_publishes_the_copy(
    make_portrait, sections, admin_client
):
    portrait = make_portrait()
    url = reverse("wagtailadmin_pages:copy", args=(portrait.pk,))
    data = {
        "new_title": "Portrait de Lina (copie)",
        "new_slug": "portrait-de-lina-copie",
        "new_parent_page": str(sections["portraits"].pk),
    }

    refused = admin_client.post(url, {**data, "publish_copies": "on"})
    assert refused.status_code == 200
    assert "La copie d'un portrait ne peut pas être publiée tout de suite" in page_text(refused)
    assert not PortraitPage.objects.filter(slug="portrait-de-lina-copie").exists()

    admin_client.post(url, data)
    copy = PortraitPage.objects.get(slug="portrait-de-lina-copie")
    assert not copy.live


# --- The consent admin ---------------------------------------------------------------------


def test_consent_menu_and_listing_show_who_when_how(make_portrait, admin_client):
    make_portrait(title="Portrait de Lina")

    response = admin_client.get(reverse("portrait_consents:index"))

    assert response.status_code == 200
    page = page_text(response)
    assert "Consentements (droit à l'image)" in page
    for text in ["Portrait de Lina", "Lina", "Formulaire signé", "Retirer le consentement"]:
        assert text in page
    for heading in [
        "Portrait",
        "Date du consentement",
        "Forme du consentement",
        "Enregistré le",
        "Retiré le",
    ]:
        assert heading in page


def test_recording_a_consent_sets_recorded_by_to_current_user(make_portrait, admin_client, admin_user):
    portrait = make_portrait(publish=False, consent=False)
    form_url = reverse("portrait_consents:add") + f"?portrait={portrait.pk}"
    assert f'value="{portrait.pk}"' in admin_client.get(form_url).content.decode()

    response = admin_client.post(
        reverse("portrait_consents:add"),
        {
            "portrait": str(portrait.pk),
            "given_by": "Lina Haddad",
            "given_on": "2026-03-02",
            "method": PortraitConsent.Method.EMAIL,
            "scope": "Texte et photo sur le site.",
        },
    )

    assert response.status_code == 302
    consent = PortraitConsent.objects.get(portrait=portrait)
    assert consent.recorded_by == admin_user
    assert consent.is_active
    assert portrait.has_active_consent()


def test_consent_edit_form_keeps_the_portrait_and_offers_withdrawal(make_portrait, admin_client):
    first = make_portrait(title="Portrait de Lina")
    other = make_portrait(title="Portrait de Sami", person_name="Sami", publish=False, consent=False)
    consent = first.consents.get()
    url = reverse("portrait_consents:edit", args=(consent.pk,))

    form = admin_client.get(url)

    assert form.status_code == 200
    assert reverse("portrait_consents:withdraw", args=(consent.pk,)) in form.content.decode()

    response = admin_client.post(
        url,
        {
            "portrait": str(other.pk),
            "given_by": "Lina Haddad",
            "given_on": "2026-03-02",
            "method": PortraitConsent.Method.WRITTEN,
            "scope": "Texte et photo.",
        },
    )

    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.given_by == "Lina Haddad"
    # Moving a consent would leave the first portrait online without one.
    assert consent.portrait_id == first.pk
    assert PortraitPage.objects.get(pk=first.pk).live


def test_consent_listing_searches_person_and_portrait(make_portrait, admin_client):
    make_portrait(title="Portrait de Lina")
    make_portrait(title="Portrait de Sami", person_name="Sami")

    response = admin_client.get(reverse("portrait_consents:index"), {"q": "Sami"})

    page = page_text(response)
    assert "Portrait de Sami" in page
    assert "Portrait de Lina" not in page


def test_withdraw_view_asks_confirmation_then_unpublishes(make_portrait, admin_client, admin_user, client):
    portrait = make_portrait()
    url = portrait.url
    consent = portrait.consents.get()
    withdraw_url = reverse("portrait_consents:withdraw", args=(consent.pk,))

    confirmation = admin_client.get(withdraw_url)

    assert confirmation.status_code == 200
    assert "Retirer le consentement" in page_text(confirmation)
    assert "Portrait de Lina" in page_text(confirmation)
    consent.refresh_from_db()
    assert consent.is_active
    assert client.get(url).status_code == 200

    response = admin_client.post(withdraw_url, follow=True)

    assert response.status_code == 200
    assert "n'est plus en ligne" in page_text(response)
    consent.refresh_from_db()
    assert not consent.is_active
    assert client.get(url).status_code == 404
    assert PageLogEntry.objects.get(page=portrait, action="wagtail.unpublish").user == admin_user


def test_withdraw_view_needs_change_permission(make_portrait, make_user, client):
    consent = make_portrait().consents.get()
    editor = make_user(username="redactrice")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)

    response = client.post(reverse("portrait_consents:withdraw", args=(consent.pk,)))

    # Wagtail answers a permission refusal in the admin with a redirect to the dashboard.
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    consent.refresh_from_db()
    assert consent.is_active
