"""Shared files: private storage outside MEDIA_ROOT, checked uploads, versions, guarded downloads."""

import io
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.views.static import serve

from partners import actions, checks, filetypes, storage
from partners.models import AccessLog, FileVersion, SharedFile
from tests.conftest import page_text
from tests.identifying_photo import assert_says_nothing, identifying_jpeg

pytestmark = pytest.mark.django_db

EXECUTABLE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"
    + b"\x00" * 200
    + b"This program cannot be run in DOS mode"
)
HTML = b"<!DOCTYPE html>\n<html><body><script>alert(document.cookie)</script></body></html>"


def ooxml(main_type: bytes, extra: dict | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            b'<Override PartName="/word/document.xml" ContentType="' + main_type + b'"/></Types>',
        )
        archive.writestr("word/document.xml", "<w:document/>")
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
    return buffer.getvalue()


def opendocument(mimetype: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", "<manifest:manifest/>")
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def image(format_name: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), (10, 90, 140)).save(buffer, format_name)
    return buffer.getvalue()


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("programme.exe", EXECUTABLE)
    return buffer.getvalue()


ACCEPTED = [
    ("compte-rendu.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n", "application/pdf"),
    (
        "cv.docx",
        ooxml(b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"),
        filetypes.DOCX.content_type,
    ),
    (
        "offres.xlsx",
        ooxml(b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
        filetypes.XLSX.content_type,
    ),
    (
        "atelier.pptx",
        ooxml(b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"),
        filetypes.PPTX.content_type,
    ),
    ("courrier.odt", opendocument(b"application/vnd.oasis.opendocument.text"), filetypes.ODT.content_type),
    (
        "budget.ods",
        opendocument(b"application/vnd.oasis.opendocument.spreadsheet"),
        filetypes.ODS.content_type,
    ),
    ("photo.jpg", image("JPEG"), "image/jpeg"),
    ("affiche.png", image("PNG"), "image/png"),
    ("logo.gif", image("GIF"), "image/gif"),
    ("bandeau.webp", image("WEBP"), "image/webp"),
    ("notes.txt", "Réunion du 12/03 : présents, décisions.\n".encode(), "text/plain"),
    ("ateliers.csv", "date;atelier\n12/03;Atelier CV — Résoudre\n".encode("cp1252"), "text/csv"),
]

REFUSED = [
    ("programme.pdf", EXECUTABLE, "Ce type de fichier n'est pas accepté."),
    ("page.html", HTML, "pages web (HTML)"),
    ("page.txt", HTML, "pages web (HTML)"),
    ("dessin.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "SVG"),
    (
        "macro.docx",
        ooxml(b"application/vnd.ms-word.document.macroEnabled.main+xml", {"word/vbaProject.bin": b"\x00"}),
        "macros",
    ),
    ("archive.zip", plain_zip(), "n'est pas un document bureautique reconnu"),
    ("faux.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 64, "illisible"),
    ("vide.txt", b"", "Le fichier est vide"),
]


@pytest.mark.parametrize(("name", "content", "content_type"), ACCEPTED, ids=[case[0] for case in ACCEPTED])
def test_allowed_types_are_recognised_by_content(name, content, content_type):
    uploaded = SimpleUploadedFile(name, content)

    kind = filetypes.check_upload(uploaded)

    cleaned = filetypes.clean_file_name(name, kind)
    assert filetypes.content_type_for(cleaned, kind) == content_type


@pytest.mark.parametrize(("name", "content", "message"), REFUSED, ids=[case[0] for case in REFUSED])
def test_disallowed_types_are_refused_with_a_french_message(name, content, message):
    with pytest.raises(ValidationError) as error:
        filetypes.check_upload(SimpleUploadedFile(name, content, content_type="application/pdf"))

    assert message in " ".join(error.value.messages)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\inès\\CV Inès.PDF", "CV Inès.pdf"),
        ("rapport.exe", "rapport.pdf"),
        ("\x00\x1b.pdf", "document.pdf"),
        ("sans extension", "sans extension.pdf"),
    ],
)
def test_uploader_file_name_is_cleaned_and_given_the_detected_extension(given, expected):
    assert filetypes.clean_file_name(given, filetypes.PDF) == expected


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("programme.pdf", EXECUTABLE, "Ce type de fichier n'est pas accepté."),
        ("page.html", HTML, "Les pages web (HTML)"),
    ],
)
def test_refused_upload_shows_the_message_and_stores_nothing(client, partner_world, name, content, message):
    client.force_login(partner_world.users["partenaire1"])
    files_before, versions_before = SharedFile.objects.count(), FileVersion.objects.count()
    on_disk = set(storage.private_root().rglob("*"))

    response = client.post(
        reverse("partners:folder_upload", args=[partner_world.folders["shared"].pk]),
        {"file": SimpleUploadedFile(name, content, content_type="application/pdf")},
    )

    assert response.status_code == 200
    html = page_text(response)
    assert message in html
    assert 'class="error-summary"' in html
    assert (SharedFile.objects.count(), FileVersion.objects.count()) == (files_before, versions_before)
    assert set(storage.private_root().rglob("*")) == on_disk


@override_settings(PARTNERS_UPLOAD_MAX_BYTES=1000)
def test_oversized_upload_is_refused_and_stores_nothing(client, partner_world):
    client.force_login(partner_world.users["partenaire1"])
    files_before = SharedFile.objects.count()
    on_disk = set(storage.private_root().rglob("*"))

    response = client.post(
        reverse("partners:folder_upload", args=[partner_world.folders["shared"].pk]),
        {"file": SimpleUploadedFile("gros.txt", b"a" * 2000)},
    )

    assert response.status_code == 200
    assert "Le fichier est trop lourd" in page_text(response)
    assert "La taille maximale est de" in page_text(response)
    assert SharedFile.objects.count() == files_before
    assert set(storage.private_root().rglob("*")) == on_disk


def test_upload_keeps_bytes_outside_media_root_under_a_generated_name(client, partner_world):
    client.force_login(partner_world.users["partenaire2"])

    response = client.post(
        reverse("partners:folder_upload", args=[partner_world.folders["shared"].pk]),
        {"file": SimpleUploadedFile("Liste des offres Mission locale.txt", b"Offre 1\nOffre 2\n")},
        follow=True,
    )

    assert "Le fichier « Liste des offres Mission locale.txt » est ajouté au dossier." in page_text(response)
    version = FileVersion.objects.get(original_name="Liste des offres Mission locale.txt")
    path = storage.stored_path(version.storage_name).resolve()
    assert path.read_bytes() == b"Offre 1\nOffre 2\n"
    assert path.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT).resolve())
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert "offres" not in version.storage_name.lower() and "." not in version.storage_name
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert version.uploaded_by == partner_world.users["partenaire2"]


def test_gps_and_serial_are_stripped_from_a_shared_image_and_its_new_versions(client, partner_world):
    client.force_login(partner_world.users["partenaire1"])

    client.post(
        reverse("partners:folder_upload", args=[partner_world.folders["shared"].pk]),
        {"file": SimpleUploadedFile("Atelier CV.jpg", identifying_jpeg(), content_type="image/jpeg")},
    )
    shared_file = SharedFile.objects.get(title="Atelier CV.jpg")
    client.post(
        reverse("partners:file_new_version", args=[shared_file.pk]),
        {"file": SimpleUploadedFile("Atelier CV.webp", identifying_jpeg(), content_type="image/webp")},
    )

    versions = list(shared_file.versions.order_by("number"))
    assert [version.number for version in versions] == [1, 2]
    for version in versions:
        stored = storage.stored_path(version.storage_name).read_bytes()
        assert_says_nothing(stored)
        assert (version.size, version.content_type) == (len(stored), "image/jpeg")
        assert version.original_name == "Atelier CV.jpg"
        download = client.get(reverse("partners:version_download", args=[version.pk]))
        assert b"".join(download.streaming_content) == stored


def test_private_files_have_no_url_and_are_unreachable_under_media_url(client, partner_world):
    version = partner_world.versions["shared"]
    client.force_login(partner_world.users["partenaire1"])

    content = storage.stored_path(version.storage_name).read_bytes()
    candidates = [
        version.storage_name,
        f"partners/{version.storage_name}",
        f"../private/partners/{version.storage_name}",
    ]
    for path in candidates:
        response = client.get(f"{settings.MEDIA_URL}{path}", follow=True)
        assert response.status_code == 404, path
        assert content not in response.content
        # Even the development server's media view (DEBUG) cannot reach them.
        with pytest.raises((Http404, SuspiciousFileOperation)):
            serve(RequestFactory().get("/"), path, document_root=settings.MEDIA_ROOT)
    with pytest.raises(ValueError, match="no URL"):
        storage.private_storage().url(version.storage_name)
    assert not list(Path(settings.MEDIA_ROOT).rglob(version.storage_name.split("/")[-1]))


def test_private_root_inside_media_root_fails_the_system_check(tmp_path):
    with override_settings(MEDIA_ROOT=tmp_path, PRIVATE_MEDIA_ROOT=tmp_path / "private"):
        errors = checks.private_media_outside_public_roots(None)
    assert [error.id for error in errors] == ["partners.E001"]
    assert checks.private_media_outside_public_roots(None) == []


def test_download_is_an_attachment_never_sniffed_nor_cached(client, partner_world):
    client.force_login(partner_world.users["partenaire2"])

    response = client.get(reverse("partners:file_download", args=[partner_world.files["shared"].pk]))

    assert response.status_code == 200
    assert (
        b"".join(response.streaming_content)
        == storage.stored_path(partner_world.versions["shared_v2"].storage_name).read_bytes()
    )
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Compte%20rendu%20r%C3%A9union%20v2.txt" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Type"] == "text/plain"
    assert "X-Accel-Redirect" not in response


@override_settings(PARTNERS_X_ACCEL_REDIRECT_PREFIX="/fichiers-prives/")
def test_download_is_handed_to_the_proxy_when_configured(client, partner_world):
    version = partner_world.versions["shared"]
    client.force_login(partner_world.users["partenaire1"])

    response = client.get(reverse("partners:version_download", args=[version.pk]))

    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/fichiers-prives/{version.storage_name}"
    assert response.content == b""
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]


def test_each_download_is_logged(client, partner_world):
    version = partner_world.versions["linked_shared"]
    client.force_login(partner_world.users["partenaire2"])

    response = client.get(reverse("partners:version_download", args=[version.pk]))
    b"".join(response.streaming_content)

    entry = AccessLog.objects.filter(action=AccessLog.Action.DOWNLOAD).get()
    assert (entry.user, entry.target_type, entry.target_id) == (
        partner_world.users["partenaire2"],
        AccessLog.Target.VERSION,
        version.pk,
    )
    assert entry.record_id == partner_world.records["shared"].pk


def test_new_version_keeps_the_history_with_uploader_and_date(client, partner_world):
    shared_file = partner_world.files["readonly"]
    client.force_login(partner_world.users["partenaire1"])

    response = client.post(
        reverse("partners:file_new_version", args=[shared_file.pk]),
        {"file": SimpleUploadedFile("Calendrier des ateliers (avril).csv", b"date;atelier\n")},
        follow=True,
    )

    html = page_text(response)
    assert "La version 2 de « Calendrier des ateliers.csv » est enregistrée" in html
    assert list(shared_file.versions.values_list("number", flat=True)) == [2, 1]
    assert "Calendrier des ateliers (avril).csv" in html and "Calendrier des ateliers.csv" in html
    assert html.count("Partenaire1") >= 2
    first = shared_file.versions.get(number=1)
    download = client.get(reverse("partners:version_download", args=[first.pk]))
    assert b"".join(download.streaming_content) == "Compte rendu de la réunion des partenaires.\n".encode()


def test_deleting_a_file_asks_first_then_removes_every_version_from_disk(
    client, partner_world, django_capture_on_commit_callbacks
):
    shared_file = partner_world.files["shared"]
    paths = [
        storage.stored_path(name) for name in shared_file.versions.values_list("storage_name", flat=True)
    ]
    client.force_login(partner_world.users["partenaire2"])
    url = reverse("partners:file_delete", args=[shared_file.pk])

    confirmation = client.get(url)
    assert "Le fichier et ses 2 versions seront supprimés définitivement" in page_text(confirmation)
    assert all(path.exists() for path in paths)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)

    assert "sont supprimés" in page_text(response)
    assert not SharedFile.objects.filter(pk=shared_file.pk).exists()
    assert not any(path.exists() for path in paths)
    assert AccessLog.objects.filter(action=AccessLog.Action.FILE_DELETE, target_id=shared_file.pk).exists()


def test_upload_action_removes_the_bytes_when_the_database_write_fails(partner_world, monkeypatch):
    on_disk = set(storage.private_root().rglob("*"))

    def broken(*args, **kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr(actions, "_add_version", broken)
    with pytest.raises(RuntimeError):
        actions.upload_file(
            partner_world.users["partenaire1"],
            partner_world.folders["private"],
            ContentFile(b"x", name="x.txt"),
        )

    assert {p for p in storage.private_root().rglob("*") if p.is_file()} == {
        p for p in on_disk if p.is_file()
    }


def test_organisation_admin_creates_a_folder_and_shares_it(client, partner_world):
    client.force_login(partner_world.users["partenaire3"])

    response = client.post(
        reverse("partners:folder_create"),
        {
            "organisation": partner_world.organisations["courteline"].pk,
            "name": "Parcours de femmes",
            "description": "",
        },
        follow=True,
    )
    assert "Le dossier « Parcours de femmes » est créé." in page_text(response)
    folder = partner_world.organisations["courteline"].folders.get(name="Parcours de femmes")

    response = client.post(
        reverse("partners:folder_shares", args=[folder.pk]),
        {"organisation": partner_world.organisations["mission"].pk, "access": "read"},
        follow=True,
    )

    assert "Mission locale a maintenant accès au dossier : lecture seule." in page_text(response)
    client.force_login(partner_world.users["partenaire2"])
    assert client.get(reverse("partners:folder_detail", args=[folder.pk])).status_code == 200
    assert client.get(reverse("partners:folder_upload", args=[folder.pk])).status_code == 404


def test_folder_with_files_cannot_be_deleted(client, partner_world):
    client.force_login(partner_world.users["partenaire1"])

    response = client.post(reverse("partners:folder_delete", args=[partner_world.folders["private"].pk]))

    assert response.status_code == 200
    assert "supprimez-les d'abord" in page_text(response)
    assert partner_world.folders["private"].files.exists()


def test_folder_delete_page_counts_only_the_files_its_admin_may_see(
    client, partner_world, django_capture_on_commit_callbacks
):
    # Four files in the shared folder; Karim's CV stays hidden from Résoudre, which owns the
    # folder but holds Karim's consent for his record only.
    folder, hidden = partner_world.folders["shared"], partner_world.files["linked_record_only"]
    hidden_notice = "1 fichier que votre organisation ne voit pas"
    client.force_login(partner_world.users["partenaire1"])
    url = reverse("partners:folder_delete", args=[folder.pk])

    html = page_text(client.get(url))

    assert "Le dossier contient encore 3 fichiers" in html
    assert hidden_notice in html
    assert hidden.title not in html and hidden.versions.get().original_name not in html

    for key in ("shared", "linked_shared", "linked_resoudre_only"):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("partners:file_delete", args=[partner_world.files[key].pk]))
    html = page_text(client.get(url))

    assert "contient encore" not in html
    assert hidden_notice in html and hidden.title not in html
    assert "Oui, supprimer le dossier" not in html
    assert client.post(url).status_code == 200
    assert SharedFile.objects.filter(pk=hidden.pk, folder=folder).exists()


def test_unreadable_storage_gives_a_french_503_and_logs_no_download(client, partner_world, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(storage, "open", refuse, raising=False)
    client.force_login(partner_world.users["partenaire2"])

    response = client.get(reverse("partners:file_download", args=[partner_world.files["shared"].pk]))

    assert response.status_code == 503
    assert "ne peut pas être lu pour le moment" in page_text(response)
    assert not AccessLog.objects.filter(action=AccessLog.Action.DOWNLOAD).exists()
