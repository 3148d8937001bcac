"""The partner workspace demo: idempotent, realistic, and private by construction."""

import pytest

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from home.demo import seed_accounts
from partners import demo, filetypes, storage
from partners.models import (
    Consent,
    FileVersion,
    Folder,
    FolderShare,
    FollowUpNote,
    JobSeeker,
    Membership,
    Organisation,
    SharedFile,
)
from tests.conftest import page_text

pytestmark = pytest.mark.django_db

MODELS = (
    Organisation,
    Membership,
    Folder,
    FolderShare,
    SharedFile,
    FileVersion,
    JobSeeker,
    Consent,
    FollowUpNote,
)


@pytest.fixture
def seeded(db):
    messages = []
    seed_accounts(messages.append)
    demo.seed_partners(messages.append)
    return messages


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_seed_twice_changes_nothing(seeded):
    first = counts()
    files_on_disk = sorted(path for path in storage.private_root().rglob("*") if path.is_file())

    demo.seed_partners(lambda message: None)

    assert counts() == first
    assert sorted(path for path in storage.private_root().rglob("*") if path.is_file()) == files_on_disk


def test_demo_organisations_folder_and_files(seeded):
    memberships = {
        (m.user.username, m.organisation.name)
        for m in Membership.objects.select_related("user", "organisation")
    }
    assert memberships == {
        ("partenaire1", "Résoudre"),
        ("partenaire2", "Mission locale"),
        ("partenaire3", "Association socioculturelle Courteline"),
    }
    folder = Folder.objects.get(name="Suivi emploi — Rabière")
    assert folder.owner.name == "Résoudre"
    assert list(folder.shares.values_list("organisation__name", "access")) == [("Mission locale", "write")]
    titles = set(folder.files.values_list("title", flat=True))
    assert {
        "Compte rendu réunion partenaires.pdf",
        "Calendrier des ateliers.csv",
        "Offres d'emploi de la semaine.txt",
    } <= titles
    assert folder.files.get(title="Calendrier des ateliers.csv").versions.count() == 2
    for version in FileVersion.objects.all():
        path = storage.stored_path(version.storage_name)
        kind = filetypes.check_upload(SimpleUploadedFile(version.original_name, path.read_bytes()))
        assert filetypes.content_type_for(version.original_name, kind) == version.content_type


def test_partenaire1_and_partenaire2_follow_ines_together(client, seeded):
    ines = JobSeeker.objects.get(first_name="Inès", last_name="Moreau")
    assert set(ines.consents.active().values_list("organisation__name", flat=True)) == {
        "Résoudre",
        "Mission locale",
    }
    for username in ("partenaire1", "partenaire2"):
        client.force_login(Membership.objects.get(user__username=username).user)
        html = page_text(client.get(reverse("partners:record_detail", args=[ines.pk])))
        assert "Atelier CV du 12/03 : CV mis à jour, à relire ensemble" in html, username
        assert "Suivi emploi — Rabière" in page_text(client.get(reverse("partners:folder_list")))


def test_partenaire3_sees_none_of_it(client, seeded):
    client.force_login(Membership.objects.get(user__username="partenaire3").user)
    shared_folder = Folder.objects.get(name="Suivi emploi — Rabière")

    folders = page_text(client.get(reverse("partners:folder_list")))
    records = page_text(client.get(reverse("partners:record_list")))
    dashboard = page_text(client.get(reverse("partners:dashboard")))

    assert "Suivi emploi — Rabière" not in folders
    for record in JobSeeker.objects.exclude(
        referent_organisation__name="Association socioculturelle Courteline"
    ):
        assert record.last_name not in records + dashboard
        assert client.get(reverse("partners:record_detail", args=[record.pk])).status_code == 404
    assert client.get(reverse("partners:folder_detail", args=[shared_folder.pk])).status_code == 404
    assert "Yanis Petit" in records
