"""Workspace pages are accessible French HTML without inline script or style: one h1, a label on
every field, an error summary at the top of invalid forms, errors tied to their fields."""

import pytest
from bs4 import BeautifulSoup

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

pytestmark = pytest.mark.django_db

FIELD_TAGS = ("input", "select", "textarea")
UNLABELLED_INPUT_TYPES = {"hidden", "submit", "button"}


def pages(partner_world):
    folder, file = partner_world.folders["shared"], partner_world.files["shared"]
    record, note, consent = (
        partner_world.records["shared"],
        partner_world.notes["shared_by_p1"],
        partner_world.consents["shared_mission"],
    )
    return [
        ("partners:dashboard", []),
        ("partners:folder_list", []),
        ("partners:folder_create", []),
        ("partners:folder_detail", [folder.pk]),
        ("partners:folder_upload", [folder.pk]),
        ("partners:folder_shares", [folder.pk]),
        ("partners:folder_delete", [folder.pk]),
        ("partners:file_detail", [file.pk]),
        ("partners:file_new_version", [file.pk]),
        ("partners:file_delete", [file.pk]),
        ("partners:record_list", []),
        ("partners:record_create", []),
        ("partners:record_detail", [record.pk]),
        ("partners:record_edit", [record.pk]),
        ("partners:note_create", [record.pk]),
        ("partners:note_edit", [note.pk]),
        ("partners:consent_create", [record.pk]),
        ("partners:consent_withdraw", [consent.pk]),
        ("partners:record_export", [record.pk]),
        ("partners:record_erase", [record.pk]),
        ("partners:record_log", [record.pk]),
    ]


def check_accessible(html: str, where: str) -> BeautifulSoup:
    soup = BeautifulSoup(html, "html.parser")
    assert soup.html["lang"] == "fr", where
    assert len(soup.find_all("h1")) == 1, where
    assert not soup.select("[style]"), where
    assert not [script for script in soup.find_all("script") if not script.get("src")], where
    assert not soup.find_all("style"), where
    labels = {label.get("for") for label in soup.find_all("label")}
    for field in soup.find_all(FIELD_TAGS):
        if field.name == "input" and field.get("type") in UNLABELLED_INPUT_TYPES:
            continue
        assert field.get("id") in labels, (where, str(field))
    for element in soup.select("[aria-describedby]"):
        for target in element["aria-describedby"].split():
            assert soup.find(id=target), (where, target)
    return soup


def test_every_workspace_page_is_accessible(client, partner_world):
    client.force_login(partner_world.users["partenaire1"])
    for view, args in pages(partner_world):
        response = client.get(reverse(view, args=args))
        assert response.status_code == 200, view
        check_accessible(response.content.decode(), view)


def test_login_page_is_accessible(client, db):
    response = client.get(reverse("partners:login"))

    check_accessible(response.content.decode(), "login")


def test_invalid_login_shows_an_error_summary(client, partner_world):
    response = client.post(reverse("partners:login"), {"username": "partenaire1", "password": "faux"})

    soup = check_accessible(response.content.decode(), "login")
    summary = soup.select_one(".error-summary")
    assert summary is not None and summary.get("role") == "alert"
    assert "Identifiant ou mot de passe incorrect" in summary.get_text()


@pytest.mark.parametrize(
    ("view", "obj", "data", "field"),
    [
        ("partners:note_create", "record", {"date": "2020-01-01", "kind": "entretien", "text": ""}, "text"),
        (
            "partners:folder_upload",
            "folder",
            {"file": SimpleUploadedFile("page.html", b"<html></html>")},
            "file",
        ),
        ("partners:record_create", None, {"last_name": "", "status": "en_recherche"}, "last_name"),
    ],
)
def test_errors_are_summarised_at_the_top_and_tied_to_their_field(
    client, partner_world, view, obj, data, field
):
    client.force_login(partner_world.users["partenaire1"])
    args = {
        "record": [partner_world.records["shared"].pk],
        "folder": [partner_world.folders["shared"].pk],
        None: [],
    }[obj]

    response = client.post(reverse(view, args=args), data)

    assert response.status_code == 200
    soup = check_accessible(response.content.decode(), view)
    form = soup.select_one("form.ws-form")
    visible = [child for child in form.find_all(recursive=False) if child.get("type") != "hidden"]
    summary = visible[0]
    assert "error-summary" in summary["class"]
    assert summary.select_one(f'a[href="#id_{field}"]')
    widget = soup.find(id=f"id_{field}")
    assert widget.get("aria-invalid") == "true"
    assert f"id_{field}_error" in widget["aria-describedby"].split()
    assert soup.find(id=f"id_{field}_error").get_text(strip=True)
