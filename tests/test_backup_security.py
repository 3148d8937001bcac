"""Backups hold password hashes, sessions, job-seeker records and private files: they are readable
by the site's account alone, can be encrypted to an age public key, are rotated, and a restore
erases again what was erased after the backup was taken."""

import io
import json
import os
import stat
import tarfile
from pathlib import Path

import pyrage
import pytest

from django.conf import settings
from django.core.management import CommandError, call_command
from django.core.management.base import SystemCheckError
from django.db import connection, connections
from django.urls import reverse

from wagtail.models import Page

from agora import erasure
from letter.models import DigestSubscription
from partners import actions, storage
from partners.models import JobSeeker
from tests.conftest import build_world

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def own_media_roots(settings, tmp_path):
    """Each test backs up and restores its own files, not what other tests left in the shared roots."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private_media"


@pytest.fixture(autouse=True)
def journal(settings, tmp_path) -> Path:
    settings.AGORA_ERASURE_JOURNAL = tmp_path / "journal" / "erasure-journal.jsonl"
    return settings.AGORA_ERASURE_JOURNAL


@pytest.fixture
def umask_022():
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.fixture
def private_file():
    path = Path(settings.PRIVATE_MEDIA_ROOT) / "partners" / "ab" / "compte-rendu.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("Réunion des partenaires du 12/03", encoding="utf-8")
    return path


@pytest.fixture
def key_pair(tmp_path):
    """An age identity written as age-keygen writes it, and its public key."""
    identity = pyrage.x25519.Identity.generate()
    recipient = str(identity.to_public())
    path = tmp_path / "cle-privee.txt"
    path.write_text(f"# created: 2026-03-12\n# public key: {recipient}\n{identity}\n", encoding="utf-8")
    return path, recipient


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def backup(output: Path, *args) -> tuple[Path, str]:
    out = io.StringIO()
    call_command("backup", "--output", str(output), *args, stdout=out)
    written = out.getvalue().rsplit("Sauvegarde écrite : ", 1)[1].strip()
    return Path(written), out.getvalue()


def restore(archive: Path, *args) -> str:
    out = io.StringIO()
    call_command("restore", str(archive), "--yes", *args, stdout=out)
    return out.getvalue()


# --- Permissions ---------------------------------------------------------------------------


def test_backup_archive_is_0600_in_a_0700_folder_even_with_umask_022(tmp_path, umask_022, private_file):
    output = tmp_path / "sauvegardes"

    archive, _text = backup(output)

    assert mode(output) == 0o700
    assert mode(archive) == 0o600
    assert [path.name for path in output.iterdir()] == [archive.name]


def test_backup_tightens_a_folder_open_to_other_accounts_and_says_so(tmp_path, umask_022):
    output = tmp_path / "sauvegardes"
    output.mkdir(mode=0o755)
    output.chmod(0o755)

    archive, text = backup(output)

    assert mode(output) == 0o700
    assert mode(archive) == 0o600
    assert "0755" in text and "0700" in text


def test_restore_recreates_private_folders_0700_and_files_0600(tmp_path, umask_022, private_file):
    archive, _text = backup(tmp_path / "sauvegardes")
    private_root = Path(settings.PRIVATE_MEDIA_ROOT)

    restore(archive)

    assert private_file.read_text(encoding="utf-8") == "Réunion des partenaires du 12/03"
    directories = [private_root, *(path for path in private_root.rglob("*") if path.is_dir())]
    assert len(directories) == 3
    assert {mode(path) for path in directories} == {0o700}
    assert {mode(path) for path in private_root.rglob("*") if path.is_file()} == {0o600}


# --- Encryption ----------------------------------------------------------------------------


def test_encrypted_backup_is_not_a_readable_tar_and_restores_with_the_identity(
    tmp_path, key_pair, make_news, private_file
):
    identity, recipient = key_pair
    news = make_news("Le CV vidéo de Yanis")
    output = tmp_path / "sauvegardes"

    archive, _text = backup(output, "--encrypt-to", recipient)

    assert archive.name.endswith(".tar.gz.age")
    assert [path.name for path in output.iterdir()] == [archive.name]
    assert archive.read_bytes().startswith(b"age-encryption.org/v1\n")
    assert not tarfile.is_tarfile(archive)
    assert b"Yanis" not in archive.read_bytes()

    Page.objects.get(pk=news.pk).delete()
    private_file.unlink()
    restore(archive, "--identity", str(identity))

    assert Page.objects.filter(pk=news.pk, title="Le CV vidéo de Yanis").exists()
    assert private_file.read_text(encoding="utf-8") == "Réunion des partenaires du 12/03"


def test_backup_encrypts_to_the_keys_of_the_setting(tmp_path, key_pair, settings):
    identity, recipient = key_pair
    settings.BACKUP_ENCRYPT_TO = [recipient]

    archive, _text = backup(tmp_path / "sauvegardes")

    assert archive.name.endswith(".tar.gz.age")
    assert (
        pyrage.decrypt(
            archive.read_bytes(), [pyrage.x25519.Identity.from_str(identity.read_text().splitlines()[-1])]
        )[:2]
        == b"\x1f\x8b"
    )


def test_restore_refuses_a_wrong_or_missing_identity_with_a_french_message(tmp_path, key_pair, make_news):
    _identity, recipient = key_pair
    news = make_news("Le jardin partagé s'agrandit")
    archive, _text = backup(tmp_path / "sauvegardes", "--encrypt-to", recipient)
    Page.objects.get(pk=news.pk).delete()
    other = tmp_path / "autre-cle.txt"
    other.write_text(f"{pyrage.x25519.Identity.generate()}\n", encoding="utf-8")

    with pytest.raises(CommandError, match="Cette clé privée ne peut pas déchiffrer cette sauvegarde"):
        restore(archive, "--identity", str(other))
    with pytest.raises(CommandError, match="Cette sauvegarde est chiffrée"):
        restore(archive)
    with pytest.raises(CommandError, match="Fichier de clé privée introuvable"):
        restore(archive, "--identity", str(tmp_path / "absente.txt"))
    not_a_key = tmp_path / "pas-une-cle.txt"
    not_a_key.write_text("bonjour\n", encoding="utf-8")
    with pytest.raises(CommandError, match="ne contient pas de clé privée age"):
        restore(archive, "--identity", str(not_a_key))

    assert not Page.objects.filter(pk=news.pk).exists()


def test_backup_refuses_an_invalid_public_key_with_a_french_message(tmp_path, db):
    output = tmp_path / "sauvegardes"

    with pytest.raises(CommandError, match="Clé publique age invalide"):
        backup(output, "--encrypt-to", "age1pasunecle")

    assert not output.exists() or not any(output.iterdir())


def test_restore_refuses_a_file_that_is_not_an_archive_with_a_french_message(tmp_path, db):
    bogus = tmp_path / "agora-20260312-020000.tar.gz"
    bogus.write_bytes(b"ceci n'est pas une archive")

    with pytest.raises(CommandError, match="pas une sauvegarde d'Agora"):
        restore(bogus)


# --- Rotation ------------------------------------------------------------------------------


def test_keep_2_leaves_the_two_newest_archives_and_foreign_files_untouched(tmp_path):
    output = tmp_path / "sauvegardes"
    output.mkdir(mode=0o700)
    old = ["agora-20250101-020000.tar.gz", "agora-20250102-020000.tar.gz.age", "agora-20250103-020000.tar.gz"]
    foreign = ["notes.txt", "agora-manuelle.tar.gz", "agora-20240101-020000.tar.gz.partial", "autre.tar.gz"]
    for name in old + foreign:
        (output / name).write_bytes(b"x")

    archive, text = backup(output, "--keep", "2")

    assert sorted(path.name for path in output.iterdir()) == sorted([archive.name, old[-1], *foreign])
    for name in old[:2]:
        assert f"Supprimée : {name}" in text
    assert "agora-20250103-020000.tar.gz" not in text


def test_keep_refuses_zero(tmp_path, db):
    with pytest.raises(CommandError, match="au moins 1"):
        backup(tmp_path / "sauvegardes", "--keep", "0")


# --- Erasure journal -----------------------------------------------------------------------


def test_a_record_erased_after_a_backup_is_erased_again_after_restoring_that_backup(
    client, tmp_path, journal, sections
):
    world = build_world()
    record = world.records["shared"]
    kept = world.records["resoudre_only"]
    linked = world.files["linked_shared"].versions.get()
    subscription = DigestSubscription.objects.create(email="lina@example.org", confirmed_at=record.created_at)
    other_subscription = DigestSubscription.objects.create(email="yanis@example.org")
    archive, _text = backup(tmp_path / "sauvegardes")

    client.force_login(world.users["partenaire1"])
    client.post(reverse("partners:record_erase", args=[record.pk]))
    client.post(f"/lettre/desinscription/{subscription.token}/")
    assert not JobSeeker.objects.filter(pk=record.pk).exists()
    assert not DigestSubscription.objects.filter(pk=subscription.pk).exists()

    lines = [json.loads(line) for line in journal.read_text(encoding="utf-8").splitlines()]
    assert [(line["model"], line["pk"]) for line in lines] == [
        ("partners.jobseeker", record.pk),
        ("letter.digestsubscription", subscription.pk),
    ]
    assert all(set(line) == {"model", "pk", "at"} for line in lines)
    assert "Moreau" not in journal.read_text(encoding="utf-8")
    assert "lina@" not in journal.read_text(encoding="utf-8")

    text = restore(archive)

    assert "effacés de nouveau d'après le journal des effacements : 2" in text
    assert not JobSeeker.objects.filter(pk=record.pk).exists()
    assert not DigestSubscription.objects.filter(pk=subscription.pk).exists()
    assert not storage.stored_path(linked.storage_name).exists()
    assert JobSeeker.objects.filter(pk=kept.pk).exists()
    assert DigestSubscription.objects.filter(pk=other_subscription.pk).exists()
    # Replaying writes nothing new: the journal keeps one line per erasure.
    assert len(journal.read_text(encoding="utf-8").splitlines()) == 2


def test_purged_records_and_forgotten_addresses_are_journaled_and_erased_again(tmp_path, journal, sections):
    world = build_world()
    expired = world.records["courteline"]
    JobSeeker.objects.filter(pk=expired.pk).update(last_contact_on="2020-01-01")
    pending = DigestSubscription.objects.create(email="oubli@example.org")
    DigestSubscription.objects.filter(pk=pending.pk).update(created_at="2020-01-01T00:00:00Z")
    archive, _text = backup(tmp_path / "sauvegardes")

    call_command("purge_expired", stdout=io.StringIO())
    call_command("send_digest", stdout=io.StringIO())
    assert not JobSeeker.objects.filter(pk=expired.pk).exists()
    assert not DigestSubscription.objects.filter(pk=pending.pk).exists()

    restore(archive)

    assert not JobSeeker.objects.filter(pk=expired.pk).exists()
    assert not DigestSubscription.objects.filter(pk=pending.pk).exists()


def test_erasures_journaled_while_the_letter_lived_in_posts_are_still_replayed(journal):
    forgotten = DigestSubscription.objects.create(email="lina@example.org")
    kept = DigestSubscription.objects.create(email="yanis@example.org")
    journal.parent.mkdir(mode=0o700)
    line = {"model": "posts.digestsubscription", "pk": forgotten.pk, "at": "2026-11-01T09:30:00+00:00"}
    journal.write_text(json.dumps(line) + "\n", encoding="utf-8")

    report = erasure.replay(erasure.read_journal())

    assert (report.erased, report.unknown_models) == (1, set())
    assert not DigestSubscription.objects.filter(pk=forgotten.pk).exists()
    assert DigestSubscription.objects.filter(pk=kept.pk).exists()


def test_restore_does_not_replay_erasures_older_than_the_backup(tmp_path, sections):
    world = build_world()
    organisation, user = world.organisations["resoudre"], world.users["partenaire1"]
    first_backup, _text = backup(tmp_path / "avant")

    gone = actions.create_record(user, organisation=organisation, first_name="Léa", last_name="Martin")
    actions.erase_record(user, gone)
    restore(first_backup)
    # The restored database numbers records from where the backup stood: the number comes back.
    newcomer = actions.create_record(user, organisation=organisation, first_name="Noé", last_name="Garcia")
    assert newcomer.pk == gone.pk
    second_backup, _text = backup(tmp_path / "apres")

    text = restore(second_backup)

    assert JobSeeker.objects.filter(pk=newcomer.pk, first_name="Noé").exists()
    assert "effacés de nouveau d'après le journal des effacements : 0" in text


def test_erasure_journal_inside_a_backed_up_folder_is_refused_by_the_checks(settings):
    settings.AGORA_ERASURE_JOURNAL = Path(settings.PRIVATE_MEDIA_ROOT) / "erasure-journal.jsonl"

    with pytest.raises(SystemCheckError, match="home.E001"):
        call_command("check")


# --- SQLite --------------------------------------------------------------------------------


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")
def test_every_new_sqlite_connection_has_secure_delete_on(tmp_path):
    # Some SQLite builds (Debian's) turn secure_delete on by default, others do not: the probe
    # starts from "off", as those others do, and the new connection must still report it on.
    probe = type(connections["default"])(
        {
            **connection.settings_dict,
            "NAME": str(tmp_path / "sonde.sqlite3"),
            "OPTIONS": {"init_command": "PRAGMA secure_delete = OFF"},
        },
        alias="secure_delete_probe",
    )
    try:
        with probe.cursor() as cursor:
            cursor.execute("PRAGMA secure_delete")
            assert cursor.fetchone()[0] == 1
    finally:
        probe.close()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA secure_delete")
        assert cursor.fetchone()[0] == 1
