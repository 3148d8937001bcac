"""The private storage of partner files: outside MEDIA_ROOT, generated names, no URL.

Bytes are written under PRIVATE_MEDIA_ROOT/partners/<2 hex>/<32 hex>, readable by the
application's account only. They leave the server through `download_response` alone, which
the views call after partners.access has allowed the download; in production the proxy can
send the bytes itself (X-Accel-Redirect) from an `internal` location.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

CHUNK = 64 * 1024


class PrivateStorage(FileSystemStorage):
    """A file system storage that has no public URL, by construction."""

    def url(self, name):
        raise ValueError("Partner files have no URL: serve them through partners.views.")


def private_root() -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT) / "partners"


def private_storage() -> PrivateStorage:
    # Built on each call so that the settings in force (tests override them) apply.
    return PrivateStorage(
        location=private_root(),
        base_url=None,
        file_permissions_mode=0o600,
        directory_permissions_mode=0o700,
    )


def new_storage_name() -> str:
    token = secrets.token_hex(16)
    return f"{token[:2]}/{token}"


@dataclass(frozen=True)
class StoredFile:
    name: str
    size: int
    sha256: str


class StorageUnavailable(Exception):
    """The private storage could not take a file (disk full, permissions, missing folder).
    Nothing of the file is left behind; the message says so to the person who sent it."""

    def __init__(self):
        super().__init__(
            _(
                "Le fichier n'a pas pu être enregistré : l'espace de stockage du site est "
                "momentanément indisponible. Rien n'a été ajouté ; réessayez dans quelques minutes, "
                "et prévenez l'administratrice du site si le problème continue."
            )
        )

    @property
    def message(self) -> str:
        return self.args[0]


def store(uploaded) -> StoredFile:
    """Copy an uploaded file into the private storage under a new generated name.

    Raises StorageUnavailable when the storage refuses the bytes; a partly written file is
    removed first.
    """
    storage = private_storage()
    name = new_storage_name()
    path = Path(storage.path(name))
    digest = hashlib.sha256()
    size = 0
    created = False
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        uploaded.seek(0)
        # "xb": a generated name never overwrites an existing file.
        with open(path, "xb") as target:
            created = True
            while chunk := uploaded.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                target.write(chunk)
        path.chmod(0o600)
    except BaseException as error:
        # Whatever stopped the copy, no part of the file stays behind.
        if created:
            _remove_partial(path)
        if not isinstance(error, OSError):
            raise
        logger.exception("Could not store an uploaded file in the private storage")
        raise StorageUnavailable() from error
    return StoredFile(name=name, size=size, sha256=digest.hexdigest())


def _remove_partial(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        logger.exception("Could not remove the partly written private file %s", path.name)


def stored_names_before(moment: datetime.datetime) -> set[str]:
    """Names of the files in the private storage last written before `moment`."""
    root = private_root()
    if not root.is_dir():
        return set()
    limit = moment.timestamp()
    return {
        path.relative_to(root).as_posix()
        for path in root.glob("*/*")
        if path.is_file() and path.stat().st_mtime < limit
    }


def delete_stored(names: Iterable[str]) -> None:
    storage = private_storage()
    for name in names:
        try:
            storage.delete(name)
        except OSError:
            logger.exception("Could not delete the private file %s", name)


def stored_path(name: str) -> Path:
    return Path(private_storage().path(name))


def download_response(*, storage_name: str, filename: str, content_type: str) -> HttpResponse:
    """The bytes of a stored file, as an attachment that browsers neither render nor sniff."""
    prefix = settings.PARTNERS_X_ACCEL_REDIRECT_PREFIX
    if prefix:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = f"{prefix.rstrip('/')}/{quote(storage_name)}"
    else:
        response = FileResponse(
            open(stored_path(storage_name), "rb"),  # noqa: SIM115 (FileResponse closes it)
            content_type=content_type,
        )
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    # Should a browser ever render it anyway, nothing in it may run or load.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
