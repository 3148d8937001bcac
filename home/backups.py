"""Backups of a whole Agora: the database and both media roots in one archive with checksums.

An archive (`agora-<date>.tar.gz`) holds `manifest.json`, the database (`database.pgdump`,
made by pg_dump, or `database.sqlite3`, made with SQLite's online backup API), and the
files of MEDIA_ROOT (`media/`) and PRIVATE_MEDIA_ROOT (`private/`). The manifest lists
every member with its SHA-256, so a restore refuses an archive that was damaged.

Archives hold password hashes, sessions, job seekers' records and private files. They are
written 0600 in a 0700 folder whatever the umask. Encrypted to age public keys, an archive
is `agora-<date>.tar.gz.age` and never exists in clear on disk: the tar stream goes through
the encryption on its way to the file, and the database dump stays in memory.

A restore re-creates PRIVATE_MEDIA_ROOT with its folders 0700 and files 0600, then erases
again the records that the erasure journal (agora.erasure) lists as erased since the backup
was taken: older archives still hold them.
"""

import datetime
import gzip
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import stat
import subprocess
import tarfile
import tempfile
import threading
import zlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import BinaryIO

import pyrage

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from agora import erasure

MANIFEST = "manifest.json"
FORMAT_VERSION = 1
AGE_HEADER = b"age-encryption.org/v1\n"
# What `backup` writes, and the only files `--keep` may delete.
ARCHIVE_NAME = re.compile(r"agora-\d{8}-\d{6}\.tar\.gz(\.age)?")
PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600

Log = Callable[[str], None]


class BackupError(Exception):
    """Something prevents a backup or a restore; the message says what, in French."""


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def media_roots() -> dict[str, Path]:
    return {"media": Path(settings.MEDIA_ROOT), "private": Path(settings.PRIVATE_MEDIA_ROOT)}


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def pg_environment() -> tuple[list[str], dict]:
    db = connection.settings_dict
    args = ["--host", db.get("HOST") or "localhost", "--username", db.get("USER") or "postgres"]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


# --- Files only this account reads --------------------------------------------------------


def private_folder(path: Path, log: Log) -> None:
    """Create `path` 0700, or tighten it to 0700 if other accounts may enter it."""
    path.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
    before = stat.S_IMODE(path.stat().st_mode)
    if before & 0o077:
        path.chmod(PRIVATE_DIR_MODE)
        log(
            _(
                "Dossier %(path)s resserré de %(before)s à 0700 : les autres comptes du serveur n'y entrent plus."
            )
            % {"path": path, "before": f"{before:04o}"}
        )


def open_private_file(path: Path) -> BinaryIO:
    """`path` opened for writing, readable by this account alone from its first byte on."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, PRIVATE_FILE_MODE)
    # An older file of that name would keep its own mode.
    os.fchmod(descriptor, PRIVATE_FILE_MODE)
    return os.fdopen(descriptor, "wb")


def make_private(root: Path) -> None:
    if not root.exists():
        return
    root.chmod(PRIVATE_DIR_MODE)
    for path in root.rglob("*"):
        path.chmod(PRIVATE_DIR_MODE if path.is_dir() else PRIVATE_FILE_MODE)


# --- Encryption (age, through pyrage) -----------------------------------------------------


@contextmanager
def piped(work: Callable[[BinaryIO], None], mode: str) -> Iterator[BinaryIO]:
    """One end of a pipe, opened in `mode` ("wb" or "rb"); `work` gets the other end in a thread.

    pyrage encrypts and decrypts from a reader to a writer, while tarfile writes to (or reads
    from) one file: the pipe joins them, so that the archive in clear is neither written to
    disk nor held whole in memory. An error of `work` is raised here, in place of what it
    caused on this side (a tar stream cut short).
    """
    read_end, write_end = os.pipe()
    mine, theirs = (write_end, read_end) if mode == "wb" else (read_end, write_end)
    failures: list[Exception] = []

    def run():
        try:
            with open(theirs, "rb" if mode == "wb" else "wb") as handle:
                work(handle)
        except BrokenPipeError:
            pass  # this side stopped reading: it knows why
        except Exception as error:
            failures.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        with open(mine, mode) as handle:
            yield handle
    finally:
        thread.join()
        if failures:
            raise failures[0]


def parse_recipients(keys: list[str]) -> list:
    recipients = []
    for key in keys:
        try:
            recipients.append(pyrage.x25519.Recipient.from_str(key.strip()))
        except pyrage.RecipientError:
            raise BackupError(
                _("Clé publique age invalide : « %(key)s » (attendu : une clé age1…).") % {"key": key}
            ) from None
    return recipients


def read_identities(path: Path | None) -> list:
    """The private keys of an identity file as age-keygen writes it (comment lines start with #)."""
    if path is None:
        raise BackupError(
            _("Cette sauvegarde est chiffrée : donnez le fichier de sa clé privée avec --identity FICHIER.")
        )
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise BackupError(_("Fichier de clé privée introuvable : %(path)s") % {"path": path}) from None
    except (OSError, UnicodeDecodeError):
        raise BackupError(_("Fichier de clé privée illisible : %(path)s") % {"path": path}) from None
    keys = [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
    try:
        identities = [pyrage.x25519.Identity.from_str(key) for key in keys]
    except pyrage.IdentityError:
        identities = []
    if not identities:
        raise BackupError(
            _("Le fichier %(path)s ne contient pas de clé privée age (une ligne AGE-SECRET-KEY-1…).")
            % {"path": path}
        )
    return identities


def encrypting(destination: BinaryIO, recipients: list):
    if not recipients:
        return nullcontext(destination)
    return piped(lambda plain: pyrage.encrypt_io(plain, destination, recipients), "wb")


@contextmanager
def decrypting(source: BinaryIO, identities: list) -> Iterator[BinaryIO]:
    if not identities:
        yield source
        return
    try:
        with piped(lambda plain: pyrage.decrypt_io(source, plain, identities), "rb") as plain:
            yield plain
    except pyrage.DecryptError as error:
        if "no matching keys" in str(error).lower():
            raise BackupError(
                _(
                    "Cette clé privée ne peut pas déchiffrer cette sauvegarde : elle a été chiffrée "
                    "pour une autre clé. Rien n'a été restauré."
                )
            ) from None
        raise BackupError(
            _("Archive chiffrée abîmée (%(error)s). Rien n'a été restauré.") % {"error": error}
        ) from None


# --- Database -----------------------------------------------------------------------------


def dump_database() -> tuple[str, bytes]:
    """The database as the bytes of one file, kept in memory: no copy in clear lands on disk."""
    if is_postgresql():
        args, env = pg_environment()
        name = connection.settings_dict["NAME"]
        # Arguments come from the settings, never from a visitor; pg_dump is looked up on PATH.
        command = ["pg_dump", "--format=custom", "--no-owner", *args, name]
        result = subprocess.run(command, env=env, capture_output=True)  # noqa: S603
        if result.returncode != 0:
            error = result.stderr.decode(errors="replace").strip()
            raise BackupError(_("pg_dump a échoué : %(error)s") % {"error": error})
        return "database.pgdump", result.stdout
    if connection.vendor != "sqlite":
        raise BackupError(
            _("Base de données non prise en charge : %(vendor)s.") % {"vendor": connection.vendor}
        )
    connection.ensure_connection()
    copy = sqlite3.connect(":memory:")
    try:
        connection.connection.backup(copy)
        return "database.sqlite3", copy.serialize()
    finally:
        copy.close()


def restore_database(source: Path) -> None:
    if source.name == "database.pgdump":
        if not is_postgresql():
            raise BackupError(_("Cette sauvegarde vient de PostgreSQL : restaurez-la sur PostgreSQL."))
        args, env = pg_environment()
        name = connection.settings_dict["NAME"]
        connection.close()
        command = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", *args]
        command += ["--dbname", name, str(source)]
        result = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603
        if result.returncode != 0:
            raise BackupError(_("pg_restore a échoué : %(error)s") % {"error": result.stderr.strip()})
        return
    if connection.vendor != "sqlite":
        raise BackupError(_("Cette sauvegarde vient de SQLite : restaurez-la sur SQLite."))
    connection.ensure_connection()
    archived = sqlite3.connect(source)
    try:
        archived.backup(connection.connection)
    finally:
        archived.close()


# --- Backup -------------------------------------------------------------------------------


def add_bytes(archive: tarfile.TarFile, name: str, data: bytes, mtime: float) -> None:
    member = tarfile.TarInfo(name)
    member.size, member.mtime, member.mode = len(data), mtime, PRIVATE_FILE_MODE
    archive.addfile(member, io.BytesIO(data))


def create_backup(
    output_dir: Path,
    *,
    encrypt_to: Sequence[str] = (),
    keep: int | None = None,
    log: Log = lambda message: None,
) -> Path:
    """Write a new archive into `output_dir` and return its path; with `keep`, delete the
    archives older than the `keep` newest."""
    recipients = parse_recipients(list(encrypt_to))
    # Taken before the dump: a restore replays every erasure journaled from this moment on.
    started = timezone.now()
    private_folder(output_dir, log)
    stamp = timezone.localtime(started).strftime("%Y%m%d-%H%M%S")
    archive_path = output_dir / f"agora-{stamp}.tar.gz{'.age' if recipients else ''}"

    log(_("Base de données…"))
    database_name, database = dump_database()
    files = {}
    for prefix, root in media_roots().items():
        paths = sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []
        log(_("Fichiers « %(prefix)s » : %(count)s") % {"prefix": prefix, "count": len(paths)})
        for path in paths:
            files[f"{prefix}/{path.relative_to(root).as_posix()}"] = path
    manifest = {
        "format": FORMAT_VERSION,
        "created_at": started.isoformat(),
        "database": database_name,
        "files": {
            database_name: {"sha256": hashlib.sha256(database).hexdigest(), "size": len(database)},
            **{name: {"sha256": sha256(path), "size": path.stat().st_size} for name, path in files.items()},
        },
    }
    if recipients:
        log(_("Chiffrement pour %(count)s clé(s) publique(s) age.") % {"count": len(recipients)})

    # Never leave a half-written archive under the final name.
    partial = archive_path.with_name(f"{archive_path.name}.partial")
    try:
        with (
            open_private_file(partial) as destination,
            encrypting(destination, recipients) as plain,
            tarfile.open(fileobj=plain, mode="w|gz") as archive,
        ):
            mtime = started.timestamp()
            add_bytes(archive, MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False).encode(), mtime)
            add_bytes(archive, database_name, database, mtime)
            for index, (name, path) in enumerate(files.items(), start=1):
                archive.add(path, arcname=name)
                if index % 50 == 0 or index == len(files):
                    log(_("Archive : %(index)s/%(total)s fichiers") % {"index": index, "total": len(files)})
        partial.rename(archive_path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    if keep is not None:
        remove_old_archives(output_dir, keep, log)
    return archive_path


def remove_old_archives(output_dir: Path, keep: int, log: Log) -> list[Path]:
    """Delete the archives beyond the `keep` newest; files of any other name stay."""
    archives = sorted(
        (path for path in output_dir.iterdir() if ARCHIVE_NAME.fullmatch(path.name) and path.is_file()),
        key=lambda path: path.name,  # the name holds the date, and sorts like it
    )
    old = archives[:-keep]
    for path in old:
        path.unlink()
        log(_("Supprimée : %(name)s") % {"name": path.name})
    return old


# --- Restore ------------------------------------------------------------------------------


def read_manifest(work_dir: Path) -> dict:
    try:
        manifest = json.loads((work_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        manifest = None
    if not isinstance(manifest, dict) or not {"files", "database"} <= manifest.keys():
        raise BackupError(
            _("Cette archive n'est pas une sauvegarde d'Agora (manifeste absent ou illisible).")
        )
    return manifest


def backup_time(manifest: dict) -> datetime.datetime | None:
    try:
        return datetime.datetime.fromisoformat(manifest["created_at"])
    except (KeyError, TypeError, ValueError):
        return None


def restore_backup(
    archive_path: Path, *, identity: Path | None = None, log: Log = lambda message: None
) -> dict:
    """Check every checksum, then replace the database and both media roots, then erase again
    what the erasure journal lists since the backup. Returns the manifest."""
    if not archive_path.is_file():
        raise BackupError(_("Archive introuvable : %(path)s") % {"path": archive_path})
    with (
        archive_path.open("rb") as source,
        tempfile.TemporaryDirectory(prefix="agora-restore-") as work,  # made 0700
    ):
        identities = read_identities(identity) if source.read(len(AGE_HEADER)) == AGE_HEADER else []
        source.seek(0)
        work_dir = Path(work)
        try:
            with decrypting(source, identities) as plain, tarfile.open(fileobj=plain, mode="r|gz") as archive:
                archive.extractall(work_dir, filter="data")
        except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile):
            raise BackupError(
                _(
                    "Cette archive n'est pas une sauvegarde d'Agora, ou elle est abîmée : rien n'a été restauré."
                )
            ) from None
        manifest = read_manifest(work_dir)
        expected = manifest["files"]
        log(_("Vérification de %(count)s éléments…") % {"count": len(expected)})
        for name, meta in expected.items():
            path = work_dir / name
            if not path.is_file() or sha256(path) != meta["sha256"]:
                raise BackupError(
                    _("Archive abîmée : « %(name)s » ne correspond pas au manifeste. Rien n'a été restauré.")
                    % {"name": name}
                )
        # Read before anything is replaced: the journal must never come from the backup.
        erased_since = erasure.read_journal(since=backup_time(manifest))

        log(_("Base de données…"))
        restore_database(work_dir / manifest["database"])
        for prefix, root in media_roots().items():
            source_dir = work_dir / prefix
            log(
                _("Fichiers « %(prefix)s » : %(count)s")
                % {"prefix": prefix, "count": sum(1 for name in expected if name.startswith(f"{prefix}/"))}
            )
            if root.exists():
                shutil.rmtree(root)
            if prefix == "private":
                make_private(source_dir)  # before the copy, which keeps the modes
                root.mkdir(mode=PRIVATE_DIR_MODE, parents=True)
                root.chmod(PRIVATE_DIR_MODE)
            else:
                root.mkdir(parents=True)
            if source_dir.exists():
                shutil.copytree(source_dir, root, dirs_exist_ok=True)

    replayed = erasure.replay(erased_since)
    log(
        _("Enregistrements effacés de nouveau d'après le journal des effacements : %(count)s")
        % {"count": replayed.erased}
    )
    for model in sorted(replayed.unknown_models):
        log(
            _("Journal des effacements : type d'enregistrement inconnu « %(model)s », ignoré.")
            % {"model": model}
        )
    return manifest
