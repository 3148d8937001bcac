"""Wagtail admin: superusers manage organisations and memberships; nobody else does, and no
job-seeker data ever shows there."""

import pytest

from django.contrib.auth.models import Permission
from django.urls import reverse

from wagtail.admin.viewsets import viewsets
from wagtail.snippets.models import get_snippet_models

from partners.models import Membership, Organisation
from tests.conftest import page_text

pytestmark = pytest.mark.django_db


def admin_urls(partner_world):
    organisation = partner_world.organisations["resoudre"]
    membership = Membership.objects.filter(organisation=organisation).first()
    return [
        reverse("partner_organisations:index"),
        reverse("partner_organisations:add"),
        reverse("partner_organisations:edit", args=[organisation.pk]),
        reverse("partner_organisations:delete", args=[organisation.pk]),
        reverse("partner_memberships:index"),
        reverse("partner_memberships:edit", args=[membership.pk]),
    ]


def test_superuser_manages_organisations_and_memberships(client, partner_world):
    client.force_login(partner_world.users["admin"])

    menu = page_text(client.get("/admin/"))
    assert "Espace partenaires" in menu
    for url in admin_urls(partner_world):
        assert client.get(url).status_code == 200, url

    response = client.post(reverse("partner_organisations:add"), {"name": "Régie Plus"})
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Régie Plus")
    response = client.post(
        reverse("partner_memberships:add"),
        {"user": partner_world.users["courteline"].pk, "organisation": organisation.pk, "role": "admin"},
    )
    assert response.status_code == 302
    assert Membership.objects.filter(
        user=partner_world.users["courteline"], organisation=organisation, role="admin"
    ).exists()


def test_other_admin_users_cannot_reach_partner_admin_even_with_model_permissions(client, partner_world):
    moderator = partner_world.users["moderatrice"]
    moderator.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        *Permission.objects.filter(content_type__app_label="partners"),
    )
    client.force_login(moderator)

    assert "Espace partenaires" not in page_text(client.get("/admin/"))
    for url in admin_urls(partner_world):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert "Mission locale" not in page_text(client.get(url, follow=True)), url
    assert client.post(reverse("partner_organisations:add"), {"name": "Intruse"}).status_code in (302, 403)
    assert not Organisation.objects.filter(name="Intruse").exists()


def test_no_job_seeker_data_in_the_wagtail_admin(client, partner_world):
    client.force_login(partner_world.users["admin"])
    names = [record.last_name for record in partner_world.records.values()]
    note_texts = [note.text for note in partner_world.notes.values()]

    for url in [*admin_urls(partner_world), "/admin/", "/admin/reports/site-history/"]:
        html = page_text(client.get(url, follow=True))
        for text in names + note_texts:
            assert text not in html, (url, text)

    reverse("wagtailadmin_home")  # the admin URLs, and so its viewsets, are loaded
    admin_models = {getattr(viewset, "model", None) for viewset in viewsets.viewsets}
    partner_models = {
        model for model in admin_models if isinstance(model, type) and model._meta.app_label == "partners"
    }
    assert partner_models == {Organisation, Membership}
    assert not [model for model in get_snippet_models() if model._meta.app_label == "partners"]


def test_organisation_in_use_cannot_be_deleted_and_says_why(client, partner_world):
    organisation = partner_world.organisations["resoudre"]
    client.force_login(partner_world.users["admin"])

    response = client.post(reverse("partner_organisations:delete", args=[organisation.pk]), follow=True)

    html = page_text(response)
    assert response.status_code == 200
    assert "ne peut pas être supprimée" in html
    assert Organisation.objects.filter(pk=organisation.pk).exists()
    assert "Moreau" not in html
