"""Backups of a whole Agora: the database and both media roots in one archive with checksums.

An archive (`agora-<date>.tar.gz`) holds `manifest.json`, the database (`database.pgdump`,
made by pg_dump, or `database.sqlite3`, made with SQLite's online backup API), and the
files of MEDIA_ROOT (`media/`) and PRIVATE_MEDIA_ROOT (`private/`). The manifest lists
every member with its SHA-256, so a restore refuses an archive that was damaged.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

MANIFEST = "manifest.json"
FORMAT_VERSION = 1


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


def dump_database(target_dir: Path) -> Path:
    if is_postgresql():
        target = target_dir / "database.pgdump"
        args, env = pg_environment()
        name = connection.settings_dict["NAME"]
        # Arguments come from the settings, never from a visitor; pg_dump is looked up on PATH.
        command = ["pg_dump", "--format=custom", "--no-owner", *args, "--file", str(target), name]
        result = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603
        if result.returncode != 0:
            raise BackupError(f"pg_dump a échoué : {result.stderr.strip()}")
        return target
    if connection.vendor != "sqlite":
        raise BackupError(f"Base de données non prise en charge : {connection.vendor}.")
    target = target_dir / "database.sqlite3"
    connection.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        connection.connection.backup(destination)
    finally:
        destination.close()
    return target


def restore_database(source: Path) -> None:
    if source.name == "database.pgdump":
        if not is_postgresql():
            raise BackupError("Cette sauvegarde vient de PostgreSQL : restaurez-la sur PostgreSQL.")
        args, env = pg_environment()
        name = connection.settings_dict["NAME"]
        connection.close()
        command = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", *args]
        command += ["--dbname", name, str(source)]
        result = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603
        if result.returncode != 0:
            raise BackupError(f"pg_restore a échoué : {result.stderr.strip()}")
        return
    if connection.vendor != "sqlite":
        raise BackupError("Cette sauvegarde vient de SQLite : restaurez-la sur SQLite.")
    connection.ensure_connection()
    archived = sqlite3.connect(source)
    try:
        archived.backup(connection.connection)
    finally:
        archived.close()


def create_backup(output_dir: Path, log: Callable[[str], None] = lambda message: None) -> Path:
    """Write a new archive into `output_dir` and return its path."""
    output_dir.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    archive_path = output_dir / f"agora-{stamp}.tar.gz"
    with tempfile.TemporaryDirectory(prefix="agora-backup-") as work:
        work_dir = Path(work)
        log("Base de données…")
        database = dump_database(work_dir)
        members = {database.name: database}
        for prefix, root in media_roots().items():
            files = sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []
            log(f"Fichiers « {prefix} » : {len(files)}")
            for path in files:
                members[f"{prefix}/{path.relative_to(root).as_posix()}"] = path
        manifest = {
            "format": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(),
            "database": database.name,
            "files": {
                name: {"sha256": sha256(path), "size": path.stat().st_size} for name, path in members.items()
            },
        }
        manifest_path = work_dir / MANIFEST
        manifest_path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
        partial = archive_path.with_suffix(".partial")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(manifest_path, arcname=MANIFEST)
            for index, (name, path) in enumerate(members.items(), start=1):
                archive.add(path, arcname=name)
                if index % 50 == 0 or index == len(members):
                    log(f"Archive : {index}/{len(members)} éléments")
        partial.rename(archive_path)  # never leave a half-written archive under the final name
    return archive_path


def read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        return json.loads(archive.extractfile(MANIFEST).read())
    except (KeyError, AttributeError, ValueError):
        raise BackupError(
            "Cette archive n'est pas une sauvegarde d'Agora (manifeste absent ou illisible)."
        ) from None


def restore_backup(archive_path: Path, log: Callable[[str], None] = lambda message: None) -> dict:
    """Check every checksum, then replace the database and both media roots. Returns the manifest."""
    if not archive_path.is_file():
        raise BackupError(f"Archive introuvable : {archive_path}")
    with (
        tempfile.TemporaryDirectory(prefix="agora-restore-") as work,
        tarfile.open(archive_path, "r:gz") as archive,
    ):
        work_dir = Path(work)
        manifest = read_manifest(archive)
        expected = manifest.get("files", {})
        log(f"Vérification de {len(expected)} éléments…")
        archive.extractall(work_dir, filter="data")
        for name, meta in expected.items():
            path = work_dir / name
            if not path.is_file() or sha256(path) != meta["sha256"]:
                raise BackupError(
                    f"Archive abîmée : « {name} » ne correspond pas au manifeste. Rien n'a été restauré."
                )

        log("Base de données…")
        restore_database(work_dir / manifest["database"])
        for prefix, root in media_roots().items():
            source = work_dir / prefix
            count = sum(1 for name in expected if name.startswith(f"{prefix}/"))
            log(f"Fichiers « {prefix} » : {count}")
            if root.exists():
                shutil.rmtree(root)
            if source.exists():
                shutil.copytree(source, root)
            else:
                root.mkdir(parents=True, exist_ok=True)
    return manifest
