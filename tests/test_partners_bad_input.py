"""Bad input on every form of the partner workspace, and a private storage that fails.

Whatever is sent, the answer is the form again with a French message, or a clean 4xx page;
never a 500, and nothing half-stored: the rows of every partner model and the bytes in the
private storage stay as they were, and every stored byte still belongs to a version.
"""

import datetime
import io
import re
import resource
import signal
import struct
import zipfile
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

import pytest

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError
from django.db.models import QuerySet
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone

from agora import submissions
from partners import actions, filetypes, storage
from partners import urls as partner_urls
from partners.models import (
    AccessLog,
    Consent,
    FileVersion,
    Folder,
    FolderShare,
    FollowUpNote,
    JobSeeker,
    SharedFile,
)
from tests.conftest import PASSWORD, World, note_data, page_text

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
MODELS = (Folder, FolderShare, SharedFile, FileVersion, JobSeeker, Consent, FollowUpNote, AccessLog)
# Right-to-left scripts, emoji (a skin tone, a flag) and the characters HTML escapes.
RTL_EMOJI = "מרים عائشة 🧑🏽‍🌾 🇫🇷 <marquee>&\"'"
# Django's upload parser drops non-printable characters, the emoji joiner (U+200D) among them.
RTL_EMOJI_FILE_NAME = "سيرة ذاتية מרים 📄🇫🇷 <marquee>&'.txt"


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what a request defers to the commit (deleting bytes) as production would."""

    @contextmanager
    def run():
        with django_capture_on_commit_callbacks(execute=True):
            yield

    return run


# --- What is stored, and whether it holds together ---------------------------------------------


def stored_files() -> set[str]:
    root = storage.private_root()
    return {path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file()}


def snapshot() -> dict:
    state = {model.__name__: model.objects.count() for model in MODELS}
    state["active consents"] = Consent.objects.active().count()
    state["bytes"] = stored_files()
    return state


def assert_consistent() -> None:
    """Every stored byte belongs to a version and every version has its bytes; every file has
    a version; every record keeps its referent organisation's consent."""
    assert stored_files() == set(FileVersion.objects.values_list("storage_name", flat=True))
    assert not SharedFile.objects.filter(versions__isnull=True).exists()
    for record in JobSeeker.objects.all():
        assert record.consents.filter(organisation=record.referent_organisation_id).exists()


def assert_refused(response, message: str, field: str | None = None) -> None:
    assert response.status_code == 200
    html = page_text(response)
    assert 'class="error-summary"' in html
    assert message in html, html[html.find('class="error-summary"') :][:800]
    if field:
        assert f'id="id_{field}_error"' in html


# --- Every form that posts, with data it accepts ------------------------------------------------


def text_upload(name: str = "Compte rendu.txt", text: str = "Compte rendu de l'atelier.\n"):
    return SimpleUploadedFile(name, text.encode(), content_type="text/plain")


@dataclass(frozen=True)
class Endpoint:
    user: str | None
    url: Callable[[World], str]
    data: Callable[[World], dict]
    # The model a create form adds a row to; such forms carry a one-time token.
    creates: str | None = None


def record_data(partner_world: World, **overrides) -> dict:
    data = {
        "first_name": "Nadia",
        "last_name": "Benali",
        "email": "nadia@example.org",
        "phone": "06 12 34 56 78",
        "status": JobSeeker.Status.SEARCHING,
        "organisation": partner_world.organisations["resoudre"].pk,
        "referent": partner_world.users["partenaire1"].pk,
        "last_contact_on": TODAY().isoformat(),
        "consent": "on",
        "consent_given_on": TODAY().isoformat(),
    }
    data.update(overrides)
    return data


def record_edit_data(partner_world: World, **overrides) -> dict:
    data = record_data(partner_world, first_name="Inès", last_name="Moreau", status=JobSeeker.Status.TRAINING)
    for name in ("organisation", "consent", "consent_given_on"):
        del data[name]
    data.update(overrides)
    return data


def consent_data(partner_world: World, **overrides) -> dict:
    data = {
        "organisation": partner_world.organisations["courteline"].pk,
        "scope": Consent.Scope.FULL,
        "given_on": TODAY().isoformat(),
        "confirm": "on",
    }
    data.update(overrides)
    return data


def empty_folder_url(partner_world: World) -> str:
    folder = actions.create_folder(
        partner_world.users["partenaire1"],
        organisation=partner_world.organisations["resoudre"],
        name="Dossier vide",
    )
    return reverse("partners:folder_delete", args=[folder.pk])


def url(name: str, kind: str | None = None, key: str | None = None) -> Callable[[World], str]:
    if kind is None:
        return lambda partner_world: reverse(f"partners:{name}")
    return lambda partner_world: reverse(f"partners:{name}", args=[partner_world.objects(kind)[key].pk])


ENDPOINTS = {
    "login": Endpoint(
        None, url("login"), lambda partner_world: {"username": "partenaire1", "password": PASSWORD}
    ),
    "logout": Endpoint("partenaire1", url("logout"), lambda partner_world: {}),
    "folder_create": Endpoint(
        "partenaire1",
        url("folder_create"),
        lambda partner_world: {
            "organisation": partner_world.organisations["resoudre"].pk,
            "name": "Ateliers numériques",
            "description": "Supports des ateliers.",
        },
        creates="Folder",
    ),
    "folder_upload": Endpoint(
        "partenaire1",
        url("folder_upload", "folders", "shared"),
        lambda partner_world: {"file": text_upload()},
        creates="SharedFile",
    ),
    "folder_shares": Endpoint(
        "partenaire1",
        url("folder_shares", "folders", "private"),
        lambda partner_world: {
            "organisation": partner_world.organisations["courteline"].pk,
            "access": "read",
        },
    ),
    "folder_delete": Endpoint("partenaire1", empty_folder_url, lambda partner_world: {}),
    "file_new_version": Endpoint(
        "partenaire1",
        url("file_new_version", "files", "shared"),
        lambda partner_world: {"file": text_upload("Compte rendu v3.txt")},
        creates="FileVersion",
    ),
    "file_delete": Endpoint("partenaire1", url("file_delete", "files", "private"), lambda partner_world: {}),
    "record_create": Endpoint("partenaire1", url("record_create"), record_data, creates="JobSeeker"),
    "record_edit": Endpoint("partenaire1", url("record_edit", "records", "shared"), record_edit_data),
    "note_create": Endpoint(
        "partenaire1", url("note_create", "records", "shared"), note_data, creates="FollowUpNote"
    ),
    "note_edit": Endpoint(
        "partenaire1",
        url("note_edit", "notes", "shared_by_p1"),
        lambda partner_world: {
            key: value for key, value in note_data(partner_world).items() if key != "organisation"
        },
    ),
    "consent_create": Endpoint(
        "partenaire1", url("consent_create", "records", "resoudre_only"), consent_data, creates="Consent"
    ),
    "consent_withdraw": Endpoint(
        "partenaire1", url("consent_withdraw", "consents", "shared_mission"), lambda partner_world: {}
    ),
    "record_erase": Endpoint(
        "partenaire1", url("record_erase", "records", "resoudre_only"), lambda partner_world: {}
    ),
}
READ_ONLY = {
    "dashboard",
    "folder_list",
    "folder_detail",
    "file_detail",
    "file_download",
    "version_download",
    "record_list",
    "record_detail",
    "record_export",
    "record_export_json",
    "record_log",
}
CREATE_FORMS = [name for name, endpoint in ENDPOINTS.items() if endpoint.creates]


def logged_in(client: Client, partner_world: World, endpoint: Endpoint) -> Client:
    if endpoint.user:
        client.force_login(partner_world.users[endpoint.user])
    return client


def csrf_client(partner_world: World, endpoint: Endpoint) -> tuple[Client, str]:
    """A client that checks CSRF as browsers meet it, and the token a page gave it."""
    client = logged_in(Client(enforce_csrf_checks=True), partner_world, endpoint)
    client.get(reverse("partners:dashboard" if endpoint.user else "partners:login"))
    return client, client.cookies["csrftoken"].value


def test_every_url_of_the_workspace_is_in_the_corpus_or_read_only():
    names = {pattern.name for pattern in partner_urls.urlpatterns}

    assert names == set(ENDPOINTS) | READ_ONLY


@pytest.mark.parametrize("name", list(ENDPOINTS))
def test_each_form_of_the_corpus_is_accepted_with_its_csrf_token(partner_world, commit, name):
    endpoint = ENDPOINTS[name]
    client, token = csrf_client(partner_world, endpoint)
    target, data = endpoint.url(partner_world), endpoint.data(partner_world)
    before = snapshot()

    with commit():
        response = client.post(target, {**data, "csrfmiddlewaretoken": token})

    assert response.status_code == 302, page_text(response)[:2000]
    if name not in ("login", "logout"):
        assert snapshot() != before
    assert_consistent()


# --- Missing CSRF token -------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(ENDPOINTS))
def test_missing_csrf_token_is_a_french_403_and_changes_nothing(partner_world, name):
    endpoint = ENDPOINTS[name]
    client, _token = csrf_client(partner_world, endpoint)
    target, data = endpoint.url(partner_world), endpoint.data(partner_world)
    before = snapshot()

    response = client.post(target, data)

    assert response.status_code == 403
    html = page_text(response)
    assert "Formulaire expiré" in html and "Rien n'a été enregistré" in html
    assert snapshot() == before


# --- Fields: overlong, null bytes, invalid and impossible dates, invalid choices ----------------

NULL = "Le caractère nul n’est pas autorisé."
INVALID_DATE = "Saisissez une date valide."
INVALID_CHOICE = "Sélectionnez un choix valide."
REQUIRED = "Champ requis."


def at_most(limit: int) -> str:
    return f"Assurez-vous que cette valeur comporte au plus {limit} caractères"


FIELD_CASES = [
    # Folders
    ("folder_create", {"name": "x" * 201}, "name", at_most(200)),
    ("folder_create", {"name": "Dossier\x00"}, "name", NULL),
    ("folder_create", {"description": "Description\x00"}, "description", NULL),
    ("folder_create", {"name": " \t "}, "name", REQUIRED),
    ("folder_create", {"organisation": "abc"}, "organisation", INVALID_CHOICE),
    ("folder_create", {"organisation": "1\x00"}, "organisation", NULL),
    ("folder_create", {"envoi": "x" * 65}, None, at_most(64)),
    ("folder_shares", {"access": "admin"}, "access", INVALID_CHOICE),
    ("folder_shares", {"access": "read\x00"}, "access", INVALID_CHOICE),
    ("folder_shares", {"organisation": "99999999999999999999999"}, "organisation", INVALID_CHOICE),
    # Records
    ("record_create", {"first_name": "x" * 101}, "first_name", at_most(100)),
    ("record_create", {"last_name": "x" * 101}, "last_name", at_most(100)),
    ("record_create", {"phone": "0" * 31}, "phone", at_most(30)),
    (
        "record_create",
        {"email": "x" * 300 + "@example.org"},
        "email",
        at_most(254),
    ),
    ("record_create", {"last_name": "Benali\x00"}, "last_name", NULL),
    ("record_create", {"phone": "06\x00"}, "phone", NULL),
    ("record_create", {"status": "radié"}, "status", INVALID_CHOICE),
    ("record_create", {"referent": "user:partenaire3"}, "referent", INVALID_CHOICE),
    ("record_create", {"consent": ""}, "consent", "Sans l'accord de la personne"),
    ("record_create", {"last_contact_on": "2999-01-01"}, "last_contact_on", "ne peut pas être dans le futur"),
    ("record_edit", {"first_name": "x" * 101}, "first_name", at_most(100)),
    ("record_edit", {"last_name": ""}, "last_name", REQUIRED),
    ("record_edit", {"last_name": "\x00"}, "last_name", NULL),
    ("record_edit", {"status": "1 OR 1=1"}, "status", INVALID_CHOICE),
    # Notes
    ("note_create", {"text": "Entretien\x00"}, "text", NULL),
    ("note_create", {"text": " \n "}, "text", "la note ne peut pas être vide"),
    ("note_create", {"next_step": "x" * 256}, "next_step", at_most(255)),
    ("note_create", {"next_step": "\x00"}, "next_step", NULL),
    ("note_create", {"next_step": ""}, "next_step", "Décrivez la prochaine étape"),
    ("note_create", {"kind": "<script>"}, "kind", INVALID_CHOICE),
    ("note_create", {"organisation": "organisation:mission"}, "organisation", INVALID_CHOICE),
    ("note_create", {"date": "2999-01-01"}, "date", "ne peut pas être dans le futur"),
    ("note_edit", {"text": "\x00"}, "text", NULL),
    ("note_edit", {"next_step": "x" * 256}, "next_step", at_most(255)),
    # Two dates: the next step cannot come before the exchange it follows, nor be past.
    (
        "note_create",
        {"next_step_on": (TODAY() - datetime.timedelta(days=1)).isoformat()},
        "next_step_on",
        "La date de la prochaine étape est déjà passée",
    ),
    # Consents
    ("consent_create", {"scope": "tout"}, "scope", INVALID_CHOICE),
    ("consent_create", {"confirm": ""}, "confirm", "sans l'accord de la personne, rien n'est partagé"),
    ("consent_create", {"given_on": "2999-01-01"}, "given_on", "ne peut pas être dans le futur"),
    # Already consented: the referent organisation itself.
    ("consent_create", {"organisation": "organisation:resoudre"}, "organisation", INVALID_CHOICE),
    # Login
    ("login", {"username": "partenaire1\x00"}, "username", NULL),
    ("login", {"password": PASSWORD + "\x00"}, "password", NULL),
    ("login", {"username": "x" * 151}, "username", at_most(150)),
    ("login", {"username": "x" * 5000}, "username", at_most(150)),
    ("login", {"username": RTL_EMOJI}, None, "Identifiant ou mot de passe incorrect."),
]
DATE_FIELDS = [
    ("record_create", "last_contact_on"),
    ("record_create", "consent_given_on"),
    ("record_edit", "last_contact_on"),
    ("note_create", "date"),
    ("note_create", "next_step_on"),
    ("note_edit", "date"),
    ("note_edit", "next_step_on"),
    ("consent_create", "given_on"),
]
BAD_DATES = [
    "2026-02-30",
    "99999-01-01",
    "demain",
    "2026-13-01",
    "0000-01-01",
    "2026-02-28\x00",
    "١٤/٠٢/٢٠٢٦",
]
FIELD_CASES += [
    (name, {field: value}, field, INVALID_DATE) for name, field in DATE_FIELDS for value in BAD_DATES
]


def case_id(case: tuple) -> str:
    name, overrides, _field, _message = case
    ((key, value),) = overrides.items()
    return f"{name}-{key}-{ascii(value)[1:-1][:20]}"


def resolve(partner_world: World, overrides: dict) -> dict:
    """Values "organisation:<key>" and "user:<key>" stand for the ids of the partner_world's objects."""
    objects = {"organisation": partner_world.organisations, "user": partner_world.users}
    resolved = {}
    for name, value in overrides.items():
        kind, _colon, key = value.partition(":")
        resolved[name] = objects[kind][key].pk if kind in objects and key else value
    return resolved


# A refused form stores nothing: the hundred cases share one world, built once. One process runs
# the whole class (`make test` distributes with --dist loadgroup).
@pytest.mark.xdist_group("partners_bad_fields")
class TestBadFields:
    @pytest.mark.parametrize(
        ("name", "overrides", "field", "message"), FIELD_CASES, ids=map(case_id, FIELD_CASES)
    )
    def test_bad_field_is_refused_with_a_french_message_and_nothing_stored(
        self, client, shared_partner_world, name, overrides, field, message
    ):
        world = shared_partner_world
        endpoint = ENDPOINTS[name]
        logged_in(client, world, endpoint)
        target, data = endpoint.url(world), {**endpoint.data(world), **resolve(world, overrides)}
        before = snapshot()

        response = client.post(target, data)

        assert_refused(response, message, field)
        assert snapshot() == before
        assert_consistent()


def test_next_step_moved_before_the_exchange_is_refused_on_edit(client, partner_world):
    note = partner_world.notes["shared_by_p1"]
    FollowUpNote.objects.filter(pk=note.pk).update(
        date=TODAY() - datetime.timedelta(days=20), next_step_on=TODAY() - datetime.timedelta(days=10)
    )
    note.refresh_from_db()
    client.force_login(partner_world.users["partenaire1"])

    response = client.post(
        reverse("partners:note_edit", args=[note.pk]),
        {
            "date": TODAY().isoformat(),
            "kind": note.kind,
            "text": note.text,
            "next_step": "Relancer l'employeur",
            "next_step_on": note.next_step_on.isoformat(),
        },
    )

    assert_refused(
        response, "La prochaine étape ne peut pas être prévue avant la date de l'échange", "next_step_on"
    )
    note.refresh_from_db()
    assert note.date == TODAY() - datetime.timedelta(days=20)


URLS_WITH_ID = [pattern.name for pattern in partner_urls.urlpatterns if "<int:pk>" in str(pattern.pattern)]


@pytest.mark.parametrize("name", URLS_WITH_ID)
def test_an_id_beyond_the_database_range_is_a_404(client, partner_world, name):
    client.force_login(partner_world.users["partenaire1"])
    before = snapshot()

    response = client.post(reverse(f"partners:{name}", args=[10**30]))

    assert response.status_code == 404
    after = snapshot()
    assert after.pop("AccessLog") == before.pop("AccessLog") + 1
    assert after == before
    denial = AccessLog.objects.latest("pk")
    assert (denial.action, denial.target_id) == (AccessLog.Action.DENIED, None)


# --- Right-to-left and emoji text: stored and shown back intact, escaped ------------------------

TEXT_CASES = {
    "folder_create": (
        {"name": RTL_EMOJI, "description": RTL_EMOJI},
        lambda: Folder.objects.latest("pk"),
        ("name", "description"),
    ),
    "record_create": (
        {"first_name": RTL_EMOJI, "last_name": RTL_EMOJI, "phone": "٠٦ ١٢ ٣٤ ٥٦ ٧٨"},
        lambda: JobSeeker.objects.latest("pk"),
        ("first_name", "last_name", "phone"),
    ),
    "record_edit": (
        {"first_name": RTL_EMOJI, "last_name": RTL_EMOJI},
        lambda: JobSeeker.objects.get(first_name=RTL_EMOJI),
        ("first_name", "last_name"),
    ),
    "note_create": (
        {"text": RTL_EMOJI, "next_step": RTL_EMOJI},
        lambda: FollowUpNote.objects.latest("pk"),
        ("text", "next_step"),
    ),
    "note_edit": (
        {"text": RTL_EMOJI, "next_step": RTL_EMOJI},
        lambda: FollowUpNote.objects.get(text=RTL_EMOJI),
        ("text", "next_step"),
    ),
}


@pytest.mark.parametrize("name", list(TEXT_CASES))
def test_right_to_left_and_emoji_text_is_stored_intact_and_shown_escaped(client, partner_world, name):
    overrides, stored, fields = TEXT_CASES[name]
    endpoint = ENDPOINTS[name]
    logged_in(client, partner_world, endpoint)

    response = client.post(
        endpoint.url(partner_world), {**endpoint.data(partner_world), **overrides}, follow=True
    )

    assert response.status_code == 200
    obj = stored()
    for field in fields:
        assert getattr(obj, field) == overrides[field]
    raw = response.content.decode()
    assert overrides[fields[0]] in page_text(response)
    assert "<marquee>" not in raw and "&lt;marquee&gt;" in raw
    assert_consistent()


def test_right_to_left_and_emoji_file_name_is_kept_shown_escaped_and_sent_back(client, partner_world):
    client.force_login(partner_world.users["partenaire1"])
    folder = partner_world.folders["shared"]

    response = client.post(
        reverse("partners:folder_upload", args=[folder.pk]),
        {"file": text_upload(RTL_EMOJI_FILE_NAME, "مرحبا 👋\n")},
        follow=True,
    )

    assert response.status_code == 200
    version = FileVersion.objects.latest("pk")
    assert version.original_name == version.file.title == RTL_EMOJI_FILE_NAME
    raw = response.content.decode()
    assert RTL_EMOJI_FILE_NAME in page_text(response)
    assert "<marquee>" not in raw and "&lt;marquee&gt;" in raw
    download = client.get(reverse("partners:version_download", args=[version.pk]))
    assert b"".join(download.streaming_content) == "مرحبا 👋\n".encode()
    assert "filename*=utf-8''" in download["Content-Disposition"]
    assert_consistent()


# --- Uploads: empty, overlong names, refused and damaged files, too heavy ------------------------


def damaged_office(damage: str) -> bytes:
    """A Word document damaged the ways that used to escape the type check as a 500."""
    method = zipfile.ZIP_LZMA if damage == "lzma stream" else zipfile.ZIP_DEFLATED
    if damage == "undecodable name":
        method = zipfile.ZIP_STORED
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=method) as archive:
        archive.writestr(
            "[Content_Types].xml",
            b'<Types><Override ContentType="application/vnd.openxmlformats-officedocument.'
            b'wordprocessingml.document.main+xml"/></Types>' + b" " * 3000,
        )
        archive.writestr("word/document.xml", "<w:document/>")
    data = bytearray(buffer.getvalue())
    if damage in ("deflate stream", "lzma stream"):
        start = 30 + len("[Content_Types].xml")
        for index in range(start + 4, start + 24):
            data[index] ^= 0x5A
    elif damage == "directory offset":
        end = data.rindex(b"PK\x05\x06")
        struct.pack_into("<I", data, end + 16, len(data) * 4)
    elif damage == "undecodable name":
        directory = data.index(b"PK\x01\x02")
        flags = struct.unpack_from("<H", data, directory + 8)[0]
        struct.pack_into("<H", data, directory + 8, flags | 0x800)  # "names are UTF-8"
        data[directory + 46] = 0xFF
    return bytes(data)


UPLOAD_CASES = {
    "empty file": (("vide.txt", b""), "Le fichier est vide."),
    "null bytes in a text file": (
        ("notes.txt", b"Bonjour\x00\x00\x00"),
        "Ce type de fichier n'est pas accepté.",
    ),
    "deflate stream": (
        ("cv.docx", damaged_office("deflate stream")),
        "n'est pas un document bureautique reconnu",
    ),
    "lzma stream": (("cv.docx", damaged_office("lzma stream")), "n'est pas un document bureautique reconnu"),
    "directory offset": (
        ("cv.docx", damaged_office("directory offset")),
        "n'est pas un document bureautique reconnu",
    ),
    "undecodable name": (
        ("cv.docx", damaged_office("undecodable name")),
        "n'est pas un document bureautique reconnu",
    ),
}


@pytest.mark.parametrize("name", ["folder_upload", "file_new_version"])
@pytest.mark.parametrize("case", list(UPLOAD_CASES))
def test_bad_upload_is_refused_with_a_french_message_and_nothing_stored(client, partner_world, name, case):
    (file_name, content), message = UPLOAD_CASES[case]
    endpoint = ENDPOINTS[name]
    logged_in(client, partner_world, endpoint)
    target = endpoint.url(partner_world)
    before = snapshot()

    response = client.post(target, {"file": SimpleUploadedFile(file_name, content)})

    assert_refused(response, message, "file")
    assert snapshot() == before
    assert_consistent()


@pytest.mark.parametrize("case", list(UPLOAD_CASES)[2:])
def test_damaged_office_document_is_refused_by_the_type_check(case):
    (file_name, content), message = UPLOAD_CASES[case]

    with pytest.raises(ValidationError) as error:
        filetypes.check_upload(SimpleUploadedFile(file_name, content))

    assert message in " ".join(error.value.messages)


@pytest.mark.parametrize("name", ["folder_upload", "file_new_version"])
def test_missing_file_is_refused(client, partner_world, name):
    endpoint = ENDPOINTS[name]
    logged_in(client, partner_world, endpoint)
    before = snapshot()

    response = client.post(endpoint.url(partner_world), {"envoi": submissions.new_token()})

    assert_refused(response, REQUIRED, "file")
    assert snapshot() == before


def test_upload_for_a_person_not_followed_is_refused(client, partner_world):
    client.force_login(partner_world.users["partenaire2"])
    before = snapshot()

    response = client.post(
        reverse("partners:folder_upload", args=[partner_world.folders["shared"].pk]),
        {"file": text_upload(), "job_seeker": partner_world.records["resoudre_only"].pk},
    )

    assert_refused(response, INVALID_CHOICE, "job_seeker")
    assert snapshot() == before


def test_overlong_and_control_character_file_names_are_shortened_and_cleaned(client, partner_world):
    client.force_login(partner_world.users["partenaire1"])

    client.post(
        reverse("partners:folder_upload", args=[partner_world.folders["shared"].pk]),
        {"file": text_upload("\u202e" + "é" * 3000 + "\x00.txt")},
    )

    version = FileVersion.objects.latest("pk")
    assert version.original_name == "é" * 120 + ".txt"
    assert_consistent()


@override_settings(PARTNERS_UPLOAD_MAX_BYTES=3 * 1024 * 1024)
@pytest.mark.parametrize("name", ["folder_upload", "file_new_version"])
def test_file_beyond_the_upload_limit_is_refused_and_leaves_no_temporary_file(
    client, partner_world, tmp_path, name
):
    endpoint = ENDPOINTS[name]
    logged_in(client, partner_world, endpoint)
    target = endpoint.url(partner_world)
    before = snapshot()
    # Beyond FILE_UPLOAD_MAX_MEMORY_SIZE too: Django spools it to a temporary file first.
    heavy = SimpleUploadedFile("lourd.txt", b"a" * (4 * 1024 * 1024))

    spool = tmp_path / "spool"
    spool.mkdir()

    with override_settings(FILE_UPLOAD_TEMP_DIR=str(spool)):
        response = client.post(target, {"file": heavy})

    assert_refused(response, "Le fichier est trop lourd", "file")
    assert snapshot() == before
    assert list(spool.iterdir()) == []


# --- Huge bodies --------------------------------------------------------------------------------


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=10_000)
@pytest.mark.parametrize("name", list(ENDPOINTS))
def test_huge_body_is_a_clean_400_and_changes_nothing(partner_world, name):
    endpoint = ENDPOINTS[name]
    client, token = csrf_client(partner_world, endpoint)
    client.raise_request_exception = False
    target, data = endpoint.url(partner_world), endpoint.data(partner_world)
    before = snapshot()

    response = client.post(target, {**data, "csrfmiddlewaretoken": token, "remplissage": "x" * 50_000})

    assert response.status_code == 400
    assert snapshot() == before


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=10_000)
@pytest.mark.parametrize(
    "name", [name for name, endpoint in ENDPOINTS.items() if endpoint.creates or name.endswith("_edit")]
)
def test_huge_body_read_by_the_form_itself_is_a_clean_400(client, partner_world, name):
    """Without the CSRF middleware reading the body first, the view does: same answer."""
    endpoint = ENDPOINTS[name]
    logged_in(client, partner_world, endpoint)
    client.raise_request_exception = False
    target, data = endpoint.url(partner_world), endpoint.data(partner_world)
    before = snapshot()

    response = client.post(target, {**data, "text": "x" * 50_000})

    assert response.status_code == 400
    assert snapshot() == before


@override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=50, DATA_UPLOAD_MAX_NUMBER_FILES=2)
@pytest.mark.parametrize("flood", ["fields", "files"])
def test_too_many_fields_or_files_is_a_clean_400(client, partner_world, flood):
    client.force_login(partner_world.users["partenaire1"])
    client.raise_request_exception = False
    before = snapshot()
    if flood == "fields":
        data = {"file": text_upload(), **{f"champ{number}": "x" for number in range(100)}}
    else:
        data = {"file": [text_upload(f"{number}.txt") for number in range(5)]}

    response = client.post(reverse("partners:folder_upload", args=[partner_world.folders["shared"].pk]), data)

    assert response.status_code == 400
    assert snapshot() == before


# --- Double click: a create form sent twice creates once ----------------------------------------


def shown_token(client: Client, target: str) -> str:
    html = page_text(client.get(target))
    return re.search(r'name="envoi" value="([^"]+)"', html).group(1)


@pytest.mark.parametrize("name", CREATE_FORMS)
def test_create_form_sent_twice_creates_once_and_shows_the_same_result(client, partner_world, name):
    endpoint = ENDPOINTS[name]
    logged_in(client, partner_world, endpoint)
    target = endpoint.url(partner_world)
    token = shown_token(client, target)
    before = snapshot()

    first = client.post(target, {**endpoint.data(partner_world), "envoi": token})
    after_first = snapshot()
    second = client.post(target, {**endpoint.data(partner_world), "envoi": token})

    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert after_first[endpoint.creates] == before[endpoint.creates] + 1
    assert snapshot() == after_first
    assert_consistent()
    assert shown_token(client, target) != token


@pytest.mark.parametrize("name", CREATE_FORMS)
def test_create_form_still_being_sent_is_not_sent_twice(client, partner_world, name):
    endpoint = ENDPOINTS[name]
    logged_in(client, partner_world, endpoint)
    target = endpoint.url(partner_world)
    token = shown_token(client, target)
    # The first click from this browser, still at work: its token is claimed, no result yet.
    first_click = RequestFactory().post(target)
    first_click.COOKIES = {name: morsel.value for name, morsel in client.cookies.items()}
    submissions.claim(first_click, f"partners:{partner_world.users[endpoint.user].pk}", token)
    before = snapshot()

    response = client.post(target, {**endpoint.data(partner_world), "envoi": token})

    assert_refused(response, "Ce formulaire est déjà en cours d'envoi.")
    assert snapshot() == before


def test_refused_form_keeps_its_token_and_goes_through_once_corrected(client, partner_world):
    client.force_login(partner_world.users["partenaire1"])
    target = reverse("partners:record_create")
    token = shown_token(client, target)

    refused = client.post(target, record_data(partner_world, last_contact_on="demain", envoi=token))
    corrected = client.post(target, record_data(partner_world, envoi=token))

    assert refused.status_code == 200 and f'value="{token}"' in refused.content.decode()
    assert corrected.status_code == 302
    assert JobSeeker.objects.filter(last_name="Benali").count() == 1


def test_a_token_is_tied_to_the_account_that_was_shown_the_form(client, partner_world):
    client.force_login(partner_world.users["partenaire1"])
    target = reverse("partners:record_create")
    token = shown_token(client, target)
    client.post(target, record_data(partner_world, envoi=token))
    other = Client()
    other.force_login(partner_world.users["partenaire3"])

    response = other.post(
        target,
        record_data(
            partner_world,
            envoi=token,
            organisation=partner_world.organisations["courteline"].pk,
            referent=partner_world.users["partenaire3"].pk,
        ),
    )

    assert response.status_code == 302
    assert JobSeeker.objects.filter(last_name="Benali").count() == 2


REPEATABLE = {
    # Sending the same change again changes nothing more (an edit is logged each time).
    "folder_shares": 302,
    "record_edit": 302,
    "note_edit": 302,
    "login": 302,
    "logout": 302,
    # What the first click removed is gone: the second finds nothing to act on.
    "folder_delete": 404,
    "file_delete": 404,
    "consent_withdraw": 404,
    "record_erase": 404,
}


def test_every_form_is_either_one_time_or_repeatable():
    assert set(CREATE_FORMS) | set(REPEATABLE) == set(ENDPOINTS)


@pytest.mark.parametrize("name", list(REPEATABLE))
def test_other_forms_sent_twice_act_once(client, partner_world, commit, name):
    endpoint = ENDPOINTS[name]
    logged_in(client, partner_world, endpoint)
    target, data = endpoint.url(partner_world), endpoint.data(partner_world)

    with commit():
        first = client.post(target, data)
    after_first = snapshot()
    with commit():
        second = client.post(target, data)

    assert first.status_code == 302
    assert second.status_code == REPEATABLE[name]
    after_second = snapshot()
    # An edit is logged each time; a second click on what the first removed is a logged denial.
    if name.endswith("_edit") or REPEATABLE[name] == 404:
        assert after_second.pop("AccessLog") == after_first.pop("AccessLog") + 1
    assert after_second == after_first
    assert_consistent()


# --- Writes that race: the database constraint answers in French --------------------------------


@pytest.fixture
def check_missed(monkeypatch):
    """The check before an insert sees nothing, as when a colleague inserts the same thing
    between the check and the insert: the database constraint has to answer."""
    monkeypatch.setattr(QuerySet, "exists", lambda self: False)


def test_folder_name_taken_meanwhile_is_a_french_error(partner_world, check_missed):
    folders = Folder.objects.count()

    with pytest.raises(ValidationError) as error:
        actions.create_folder(
            partner_world.users["partenaire1"],
            organisation=partner_world.organisations["resoudre"],
            name="Comptes rendus",
        )

    assert error.value.message_dict == {"name": ["Votre organisation a déjà un dossier de ce nom."]}
    assert Folder.objects.count() == folders


def test_consent_recorded_meanwhile_is_a_french_error(partner_world, check_missed):
    consents, logs = Consent.objects.count(), AccessLog.objects.count()

    with pytest.raises(ValidationError) as error:
        actions.grant_consent(
            partner_world.users["partenaire1"],
            partner_world.records["shared"],
            organisation=partner_world.organisations["mission"],
            scope=Consent.Scope.FULL,
        )

    assert error.value.message_dict == {
        "organisation": ["Cette organisation a déjà l'accord de la personne."]
    }
    assert (Consent.objects.count(), AccessLog.objects.count()) == (consents, logs)


# --- The private storage fails during an upload -------------------------------------------------
#
# The tests run as root, whom a read-only folder (chmod) does not stop. So the faults are made
# where root cannot get past them: a file lying where the storage's folder should be, and a
# file-size limit that stops the write half-way (as a full disk does). The permission refusal
# itself is raised where the storage opens its file, as the kernel raises it for other users.


@contextmanager
def folder_is_a_file(root):
    root.mkdir()
    (root / "partners").write_text("pas un dossier")
    with override_settings(PRIVATE_MEDIA_ROOT=root):
        yield


@contextmanager
def disk_full_after(limit: int):
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    # SIGXFSZ would kill the process; ignored, the write past the limit fails with EFBIG.
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)


@contextmanager
def permission_denied(monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    with monkeypatch.context() as patch:
        # Shadows the built-in open() for partners.storage alone.
        patch.setattr(storage, "open", refuse, raising=False)
        yield


@pytest.fixture
def fault(tmp_path, monkeypatch):
    faults = {
        "folder is a file": lambda: folder_is_a_file(tmp_path / "broken"),
        "disk full half-way": lambda: disk_full_after(256 * 1024),
        "permission denied": lambda: permission_denied(monkeypatch),
    }
    return lambda kind: faults[kind]()


FAULTS = ["folder is a file", "disk full half-way", "permission denied"]


@pytest.mark.parametrize("kind", FAULTS)
@pytest.mark.parametrize("name", ["folder_upload", "file_new_version"])
def test_failing_storage_shows_the_form_again_with_a_french_message_and_keeps_nothing(
    client, partner_world, fault, name, kind
):
    endpoint = ENDPOINTS[name]
    logged_in(client, partner_world, endpoint)
    target = endpoint.url(partner_world)
    token = shown_token(client, target)
    before = snapshot()
    # Beyond the file-size limit of the full disk, small enough for Django to keep in memory.
    content = "Ligne du compte rendu.\n" * 40_000

    with fault(kind):
        response = client.post(target, {"file": text_upload("Compte rendu.txt", content), "envoi": token})

    assert response.status_code == 503
    html = page_text(response)
    assert "Le fichier n'a pas pu être enregistré" in html and "réessayez" in html
    assert 'id="id_file_error"' in html
    assert snapshot() == before
    assert_consistent()
    # Once the storage is back, the same form goes through.
    retry = client.post(target, {"file": text_upload("Compte rendu.txt", content), "envoi": token})
    assert retry.status_code == 302
    assert_consistent()


def test_disk_full_half_way_leaves_no_partly_written_file(partner_world):
    before = stored_files()
    content = ContentFile(b"Ligne du compte rendu.\n" * 40_000, name="compte-rendu.txt")

    with disk_full_after(256 * 1024), pytest.raises(storage.StorageUnavailable):
        storage.store(content)

    assert stored_files() == before


def test_generated_name_already_taken_neither_overwrites_nor_deletes_the_other_file(
    partner_world, monkeypatch
):
    existing = partner_world.versions["private"]
    path = storage.stored_path(existing.storage_name)
    content = path.read_bytes()
    before = snapshot()
    monkeypatch.setattr(storage, "new_storage_name", lambda: existing.storage_name)

    with pytest.raises(storage.StorageUnavailable):
        actions.upload_version(
            partner_world.users["partenaire1"],
            partner_world.files["private"],
            ContentFile(b"x", name="x.txt"),
        )

    assert path.read_bytes() == content
    assert snapshot() == before


@pytest.mark.parametrize("name", ["upload_file", "upload_version"])
def test_database_failure_after_the_bytes_are_written_removes_them(partner_world, monkeypatch, name):
    before = snapshot()

    def database_down(*args, **kwargs):
        raise DatabaseError("disk I/O error")

    monkeypatch.setattr(actions, "log_access", database_down)
    user, upload = partner_world.users["partenaire1"], text_upload()
    with pytest.raises(DatabaseError):
        if name == "upload_file":
            actions.upload_file(user, partner_world.folders["private"], upload)
        else:
            actions.upload_version(user, partner_world.files["private"], upload)

    assert snapshot() == before
    assert_consistent()
