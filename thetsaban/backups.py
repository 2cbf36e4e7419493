"""Backups that restore: the database (pg_dump custom format, or SQLite's online backup) and the
uploaded files, with a manifest of every table's row count and checksum to verify a restore.

A backup is a directory: `database.dump` (PostgreSQL) or `database.sqlite3` (SQLite),
`media.tar.gz` (MEDIA_ROOT, or every file of the object store) and `manifest.json`. Used by `manage.py backup` and `manage.py restore`.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from datetime import UTC, datetime
from pathlib import Path

import dj_database_url
from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.utils import load_backend

from thetsaban.storage import is_local, stored_names


class BackupError(Exception):
    pass


def table_fingerprints(connection) -> dict[str, dict]:
    """Each table's row count and a SHA-256 over its rows in a fixed order (all columns)."""
    result = {}
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        for table in tables:
            columns = [c.name for c in connection.introspection.get_table_description(cursor, table)]
            keys = connection.introspection.get_primary_key_columns(cursor, table)
            positions = ([columns.index(key) + 1 for key in keys if key in columns]
                         or range(1, len(columns) + 1))
            order = ", ".join(str(n) for n in positions)
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted} ORDER BY {order}")  # noqa: S608 (table names from introspection)
            digest = hashlib.sha256()
            count = 0
            while rows := cursor.fetchmany(1000):
                for row in rows:
                    digest.update(repr(tuple(_plain(value) for value in row)).encode())
                count += len(rows)
            result[table] = {"rows": count, "sha256": digest.hexdigest()}
    return result


def _plain(value):
    if isinstance(value, memoryview):
        return bytes(value)
    return value


def _pg_dsn(db: dict) -> list[str]:
    """libpq connection arguments for pg_dump/pg_restore; the password goes in PGPASSWORD."""
    args = ["--host", db.get("HOST") or "localhost", "--port", str(db.get("PORT") or 5432),
            "--username", db.get("USER") or "postgres", "--dbname", db["NAME"]]
    return args


def _pg_env(db: dict) -> dict:
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def backup(target: Path, alias: str = "default") -> Path:
    """Write a backup of the database `alias` and MEDIA_ROOT into a new directory under
    `target`; returns that directory."""
    connection = connections[alias]
    created = datetime.now(UTC)
    directory = Path(target) / created.strftime("thetsaban-%Y%m%dT%H%M%S%fZ")
    directory.mkdir(parents=True)
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        database_file = "database.dump"
        result = subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", "--file", str(directory / database_file),
             *_pg_dsn(db)], env=_pg_env(db), capture_output=True, text=True)
        if result.returncode != 0:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    elif connection.vendor == "sqlite":
        database_file = "database.sqlite3"
        connection.ensure_connection()
        copy = sqlite3.connect(directory / database_file)
        with copy:
            connection.connection.backup(copy)
        copy.close()
    else:
        raise BackupError(f"no backup for {connection.vendor}")
    media = Path(settings.MEDIA_ROOT)
    with tarfile.open(directory / "media.tar.gz", "w:gz") as archive:
        if not is_local():
            _archive_object_store(archive)
        elif media.exists():
            archive.add(media, arcname="media")
    manifest = {
        "created": created.isoformat(), "engine": connection.vendor, "database": database_file,
        "tables": table_fingerprints(connection),
    }
    (directory / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True))
    return directory


def restore(source: Path, database_url: str | None = None, media_root: Path | None = None):
    """Restore a backup directory into the database at `database_url` (default: this site's)
    and into MEDIA_ROOT (or `media_root`), then check every table against the manifest.
    Returns the list of tables that differ (empty when the restore is exact)."""
    source = Path(source)
    manifest = json.loads((source / "manifest.json").read_text())
    db = (dj_database_url.parse(database_url) if database_url
          else dict(connections["default"].settings_dict))
    engine = "postgresql" if "postgresql" in db["ENGINE"] else "sqlite"
    if engine != manifest["engine"]:
        raise BackupError(f"the backup is of {manifest['engine']}, the target is {engine}")
    if engine == "postgresql":
        result = subprocess.run(
            ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
             "--exit-on-error", *_pg_dsn(db), str(source / manifest["database"])],
            env=_pg_env(db), capture_output=True, text=True)
        if result.returncode != 0:
            raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
    else:
        copy = sqlite3.connect(source / manifest["database"])
        target = sqlite3.connect(db["NAME"])
        with target:
            copy.backup(target)
        copy.close()
        target.close()
    if media_root is None and not is_local():
        with tarfile.open(source / "media.tar.gz") as archive:
            _restore_object_store(archive)
        return verify(manifest, db)
    media = Path(media_root or settings.MEDIA_ROOT)
    with tarfile.open(source / "media.tar.gz") as archive:
        staging = media.with_name(media.name + ".restoring")
        shutil.rmtree(staging, ignore_errors=True)
        archive.extractall(staging, filter="data")
        shutil.rmtree(media, ignore_errors=True)
        restored = staging / "media"
        if restored.exists():
            restored.rename(media)
        else:
            media.mkdir(parents=True)
        shutil.rmtree(staging, ignore_errors=True)
    return verify(manifest, db)


def _archive_object_store(archive: tarfile.TarFile):
    """The object store's files into the archive, under media/ as a disk's would be."""
    for name in stored_names():
        with default_storage.open(name, "rb") as handle:
            data = handle.read()
        info = tarfile.TarInfo(f"media/{name}")
        info.size = len(data)
        info.mtime = int(datetime.now(UTC).timestamp())
        archive.addfile(info, io.BytesIO(data))


def _restore_object_store(archive: tarfile.TarFile):
    """Replace the object store's files by the archive's: what is there goes, each file comes
    back under its own name."""
    for name in list(stored_names()):
        default_storage.delete(name)
    for member in archive.getmembers():
        if not member.isfile() or not member.name.startswith("media/"):
            continue
        name = member.name.removeprefix("media/")
        if ".." in Path(name).parts:
            raise BackupError(f"the archive names a file outside media/: {member.name}")
        with archive.extractfile(member) as handle:
            saved = default_storage.save(name, File(handle))
        if saved != name:
            raise BackupError(f"{name} came back as {saved}")


def verify(manifest: dict, db: dict) -> list[str]:
    """The tables of the database `db` whose row count or checksum differs from the manifest."""
    # A private connection, not registered in django.db.connections: the restored database is
    # not one of the site's; it carries the alias of the database it stands in for.
    settings_dict = {**connections[DEFAULT_DB_ALIAS].settings_dict, **db}
    wrapper = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, DEFAULT_DB_ALIAS)
    try:
        found = table_fingerprints(wrapper)
    finally:
        wrapper.close()
    expected = manifest["tables"]
    return sorted(t for t in set(expected) | set(found) if expected.get(t) != found.get(t))
