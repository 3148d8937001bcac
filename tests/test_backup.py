"""manage.py backup and restore: a round trip gives back the same content, files and checksums."""

import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest

from django.conf import settings
from django.core.management import CommandError, call_command

from wagtail.models import Page

from home.backups import MANIFEST

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def tree_checksums(root: Path) -> dict[str, str]:
    if not root.exists():
        return {}
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def content(make_news, make_image):
    image = make_image("Atelier vidéo")
    news = make_news("Le CV vidéo de Yanis", image=image, image_alt="Yanis devant une caméra")
    private = Path(settings.PRIVATE_MEDIA_ROOT) / "partners" / "compte-rendu.txt"
    private.parent.mkdir(parents=True, exist_ok=True)
    private.write_text("Réunion des partenaires du 12/03", encoding="utf-8")
    return news


def test_backup_and_restore_round_trip(content, tmp_path, capsys):
    media_before = tree_checksums(Path(settings.MEDIA_ROOT))
    private_before = tree_checksums(Path(settings.PRIVATE_MEDIA_ROOT))
    titles_before = sorted(Page.objects.values_list("title", flat=True))

    call_command("backup", "--output", str(tmp_path))
    archive = next(tmp_path.glob("agora-*.tar.gz"))
    assert "Sauvegarde écrite" in capsys.readouterr().out

    # Lose things: a page, a public file changed, a private file deleted, a stray file added.
    Page.objects.get(pk=content.pk).delete()
    next(Path(settings.MEDIA_ROOT).rglob("*.jpg")).write_bytes(b"abime")
    (Path(settings.PRIVATE_MEDIA_ROOT) / "partners" / "compte-rendu.txt").unlink()
    (Path(settings.PRIVATE_MEDIA_ROOT) / "intrus.txt").write_text("x")

    call_command("restore", str(archive), "--yes")

    assert sorted(Page.objects.values_list("title", flat=True)) == titles_before
    assert tree_checksums(Path(settings.MEDIA_ROOT)) == media_before
    assert tree_checksums(Path(settings.PRIVATE_MEDIA_ROOT)) == private_before
    with tarfile.open(archive) as opened:
        manifest = json.loads(opened.extractfile(MANIFEST).read())
    private_names = {name for name in manifest["files"] if name.startswith("private/")}
    assert private_names == {f"private/{name}" for name in private_before}
    for name, checksum in media_before.items():
        assert manifest["files"][f"media/{name}"]["sha256"] == checksum


def test_restore_refuses_a_damaged_archive_and_changes_nothing(content, tmp_path):
    call_command("backup", "--output", str(tmp_path))
    archive = next(tmp_path.glob("agora-*.tar.gz"))
    damaged = tmp_path / "abimee.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name.startswith("private/"):
                data = b"modifie"
                member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    pages_before = Page.objects.count()
    Page.objects.get(pk=content.pk).delete()

    with pytest.raises(CommandError, match="Archive abîmée"):
        call_command("restore", str(damaged), "--yes")

    assert Page.objects.count() == pages_before - 1


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path, db):
    bogus = tmp_path / "autre.tar.gz"
    with tarfile.open(bogus, "w:gz") as archive:
        note = tmp_path / "note.txt"
        note.write_text("pas une sauvegarde")
        archive.add(note, arcname="note.txt")

    with pytest.raises(CommandError, match="pas une sauvegarde d'Agora"):
        call_command("restore", str(bogus), "--yes")
    assert MANIFEST == "manifest.json"
