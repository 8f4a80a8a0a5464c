"""Backup and restore of a whole SIAP installation: the database, every stored file, a manifest.

An archive is a folder, not a tarball:

    siap-20261129-104000/
        manifest.json       what is inside: version, engine, migrations, row counts, SHA-256 + size of every file
        database.dump       PostgreSQL: pg_dump --format=custom   (or database.sqlite3 on the embedded default)
        media/...           MEDIA_ROOT as it was: the blob store, one file per SHA-256

A folder because the stored files never change once written (each is named by its SHA-256): rsync or
any incremental copy of the backups folder to another machine then moves only what is new, and
pg_restore reads the dump in place (a custom-format dump inside a tar would have to be unpacked
first). Whoever wants one file runs ``tar`` on the folder.

The search index is not in the archive: it is derived from the database and rebuilt by
``search_reindex`` after a restore.

A restore goes only into an empty installation (a database with no tables, an empty MEDIA_ROOT), so
nothing that exists is ever overwritten, and the archive is checked in full (every hash, no file
missing, none added) before anything is written.
"""

import datetime
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tomllib
from pathlib import Path

import psycopg
from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils.translation import gettext as _

from project.progress import ProgressBar

ARCHIVE_FORMAT = 1
MANIFEST = "manifest.json"
POSTGRESQL_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
MEDIA = "media"
POSTGRESQL_BINARIES = Path("/usr/lib/postgresql")
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A refusal or failure with a message for the operator (already translated)."""


# --- backup ---


def create_backup(backups_folder, *, say, progress_stream):
    """Write a new archive into ``backups_folder`` and return its path.

    The archive is built under a ``.partial`` name and renamed at the end, so an interrupted backup
    is never mistaken for a whole one. The database goes first and the files after it: a stored
    file is written before the row naming it is committed, so every file the dump refers to is
    already on disk when the files are copied.
    """
    backups_folder = Path(backups_folder)
    media_root = Path(settings.MEDIA_ROOT)
    if backups_folder.resolve().is_relative_to(media_root.resolve()):
        raise BackupError(
            _("Folder cadangan %(path)s ada di dalam MEDIA_ROOT; pilih folder lain.") % {"path": backups_folder}
        )
    backups_folder.mkdir(parents=True, exist_ok=True)
    name = f"siap-{datetime.datetime.now(datetime.UTC):%Y%m%d-%H%M%S}"
    archive, partial = backups_folder / name, backups_folder / f"{name}.partial"
    if archive.exists() or partial.exists():
        raise BackupError(_("Arsip %(path)s sudah ada; tunggu sedetik lalu ulangi.") % {"path": archive})
    partial.mkdir()
    try:
        engine = connection.vendor
        say(_("Basis data (%(engine)s) …") % {"engine": engine})
        if engine == "postgresql":
            dump_name, row_counts = POSTGRESQL_DUMP, _dump_postgresql(partial / POSTGRESQL_DUMP)
        elif engine == "sqlite":
            dump_name, row_counts = SQLITE_COPY, _copy_sqlite(partial / SQLITE_COPY)
        else:
            raise BackupError(_("Mesin basis data %(engine)s tidak didukung.") % {"engine": engine})
        files = [_describe(partial, partial / dump_name)]
        say(
            _("Basis data: %(tables)d tabel, %(rows)d baris, %(size)s bita.")
            % {"tables": len(row_counts), "rows": sum(row_counts.values()), "size": f"{files[0]['size']:,}"}
        )
        files += _copy_media(media_root, partial / MEDIA, progress_stream)
        say(
            _("Berkas: %(count)d disalin, %(size)s bita.")
            % {"count": len(files) - 1, "size": f"{sum(f['size'] for f in files[1:]):,}"}
        )
        manifest = {
            "format": ARCHIVE_FORMAT,
            "siap_version": siap_version(),
            "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
            "engine": engine,
            "database": dump_name,
            "migrations": latest_migrations(),
            "row_counts": row_counts,
            "search_index": "not included: rebuilt by search_reindex",
            "files": files,
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
        partial.rename(archive)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return archive


def siap_version():
    with open(settings.BASE_DIR / "pyproject.toml", "rb") as handle:
        return tomllib.load(handle)["project"]["version"]


def latest_migrations():
    """The latest applied migration of each app: which code the data was written by."""
    latest = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        latest[app] = max(name, latest.get(app, name))
    return dict(sorted(latest.items()))


def _dump_postgresql(target):
    """pg_dump of the whole database, with row counts taken in the very snapshot it dumps.

    The counts are read in a repeatable-read transaction whose snapshot pg_dump shares
    (``--snapshot``), so they describe exactly the dump even while SIAP keeps working.
    """
    server_major = _server_major()
    with psycopg.connect(**_psycopg_params(), autocommit=False) as snapshot:
        snapshot.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        snapshot_id = snapshot.execute("SELECT pg_export_snapshot()").fetchone()[0]
        counts = _postgresql_row_counts(snapshot)
        _run_postgresql_tool(
            "pg_dump", server_major,
            ["--format=custom", f"--snapshot={snapshot_id}", f"--file={target}"],
        )
    return counts


# The tables of SIAP's schema, as each engine lists them.
POSTGRESQL_TABLES = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
SQLITE_TABLES = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"


def _row_counts(database, tables_query):
    """Rows per table of an open DB-API connection (psycopg or sqlite3), the tables listed by ``tables_query``."""
    tables = [row[0] for row in database.execute(tables_query)]
    return {table: database.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables}


def _postgresql_row_counts(database):
    return _row_counts(database, POSTGRESQL_TABLES)


def _copy_sqlite(target):
    """SQLite's online backup API: a consistent copy even while SIAP writes (WAL included)."""
    source = sqlite3.connect(settings.DATABASES["default"]["NAME"], timeout=30)
    copy = sqlite3.connect(target)
    try:
        with copy:
            source.backup(copy)  # in one step: no writer can slip in between pages
        return _sqlite_row_counts(copy)
    finally:
        copy.close()
        source.close()


def _sqlite_row_counts(database):
    return _row_counts(database, SQLITE_TABLES)


def _copy_media(media_root, target, progress_stream):
    """Copy every file under MEDIA_ROOT, hashing it on the way (one read per file)."""
    sources = sorted(path for path in media_root.rglob("*") if path.is_file()) if media_root.is_dir() else []
    progress = ProgressBar(progress_stream, len(sources), _("Menyalin berkas"))
    described = []
    for source in sources:
        copy = target / source.relative_to(media_root)
        copy.parent.mkdir(parents=True, exist_ok=True)
        digest, size = _copy_hashing(source, copy)
        described.append({"path": copy.relative_to(target.parent).as_posix(), "sha256": digest, "size": size})
        progress.step(source.name)
    progress.finish()
    return described


def _copy_hashing(source, target):
    digest, size = hashlib.sha256(), 0
    with open(source, "rb") as reading, open(target, "xb") as writing:
        for chunk in iter(lambda: reading.read(CHUNK), b""):
            digest.update(chunk)
            size += len(chunk)
            writing.write(chunk)
    shutil.copystat(source, target)
    return digest.hexdigest(), size


def _describe(archive, path):
    digest, size = _hash_file(path)
    return {"path": path.relative_to(archive).as_posix(), "sha256": digest, "size": size}


def _hash_file(path):
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


# --- restore ---


def verify_archive(archive, *, progress_stream):
    """The archive's manifest, once every file it lists is present with its size and SHA-256 and
    nothing else is there; otherwise a BackupError naming the first file that is wrong."""
    archive = Path(archive)
    manifest_path = archive / MANIFEST
    if not manifest_path.is_file():
        raise BackupError(_("%(path)s bukan arsip SIAP: %(manifest)s tidak ada.") % {"path": archive, "manifest": MANIFEST})
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        listed = {entry["path"]: entry for entry in manifest["files"]}
        absent = sorted({"format", "engine", "database", "migrations", "row_counts"} - manifest.keys())
        if absent:
            raise KeyError(", ".join(absent))
    except (ValueError, KeyError, TypeError) as error:
        raise BackupError(_("Manifest %(path)s rusak: %(error)s") % {"path": manifest_path, "error": error}) from error
    if manifest.get("format") != ARCHIVE_FORMAT:
        raise BackupError(
            _("Format arsip %(found)s tidak dikenal (versi ini membaca format %(known)s).")
            % {"found": manifest.get("format"), "known": ARCHIVE_FORMAT}
        )
    present = {path.relative_to(archive).as_posix() for path in archive.rglob("*") if not path.is_dir()}
    present.discard(MANIFEST)
    missing, extra = sorted(listed.keys() - present), sorted(present - listed.keys())
    if missing:
        raise BackupError(_("Arsip tidak utuh: berkas %(file)s hilang.") % {"file": ", ".join(missing[:5])})
    if extra:
        raise BackupError(
            _("Arsip tidak utuh: berkas %(file)s tidak tercantum di manifest.") % {"file": ", ".join(extra[:5])}
        )
    if manifest["database"] not in listed:
        raise BackupError(_("Arsip tidak utuh: berkas %(file)s hilang.") % {"file": manifest["database"]})
    progress = ProgressBar(progress_stream, len(listed), _("Memeriksa arsip"))
    for path, entry in sorted(listed.items()):
        digest, size = _hash_file(archive / path)
        progress.step(Path(path).name)
        if (digest, size) != (entry["sha256"], entry["size"]):
            progress.finish()
            raise BackupError(
                _("Arsip rusak: berkas %(file)s berubah (SHA-256 %(found)s, seharusnya %(expected)s).")
                % {"file": path, "found": digest, "expected": entry["sha256"]}
            )
    progress.finish()
    return manifest


def check_restorable(manifest):
    """Refuse what cannot be restored here: another engine, newer code, a non-empty installation."""
    if manifest["engine"] != connection.vendor:
        raise BackupError(
            _(
                "Arsip ini berisi basis data %(archive)s, instalasi ini memakai %(here)s. "
                "Pulihkan ke instalasi dengan mesin yang sama (DATABASE_URL)."
            )
            % {"archive": manifest["engine"], "here": connection.vendor}
        )
    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    unknown = sorted(f"{app}.{name}" for app, name in manifest["migrations"].items() if (app, name) not in known)
    if unknown:
        raise BackupError(
            _("Arsip ditulis oleh SIAP %(version)s yang lebih baru: migrasi %(migrations)s tidak dikenal versi ini.")
            % {"version": manifest.get("siap_version", "?"), "migrations": ", ".join(unknown)}
        )
    tables = connection.introspection.table_names()
    if tables:
        raise BackupError(
            _(
                "Basis data tujuan tidak kosong (%(count)d tabel, mis. %(table)s). "
                "Pemulihan hanya ke basis data baru tanpa tabel "
                "(PostgreSQL: dibuat dengan createdb, tanpa migrate; SQLite: berkas yang belum ada)."
            )
            % {"count": len(tables), "table": tables[0]}
        )
    media_root = Path(settings.MEDIA_ROOT)
    if media_root.is_dir() and any(media_root.iterdir()):
        raise BackupError(
            _("MEDIA_ROOT %(path)s tidak kosong. Pemulihan hanya ke folder berkas yang kosong.") % {"path": media_root}
        )


def restore_database(archive, manifest, *, say):
    """Load the dump into the empty database, then check every table's row count against the manifest."""
    dump = Path(archive) / manifest["database"]
    say(_("Memulihkan basis data (%(tables)d tabel) …") % {"tables": len(manifest["row_counts"])})
    if connection.vendor == "postgresql":
        # One transaction: a failure leaves the database as empty as it was. Rows arrive by COPY
        # and triggers are created after the data, so the trail's append-only trigger (which
        # refuses UPDATE and DELETE only) lets every row in unchanged.
        _run_postgresql_tool(
            "pg_restore", _server_major(),
            ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
             str(dump)],
        )
    else:
        connection.close()
        source, target = sqlite3.connect(dump), sqlite3.connect(settings.DATABASES["default"]["NAME"], timeout=30)
        try:
            with target:
                source.backup(target)
        finally:
            source.close()
            target.close()
    found = _restored_row_counts()
    wrong = sorted(
        table for table in manifest["row_counts"].keys() | found.keys()
        if manifest["row_counts"].get(table) != found.get(table)
    )
    if wrong:
        raise BackupError(
            _("Jumlah baris setelah pemulihan tidak sama dengan manifest pada tabel: %(tables)s.")
            % {"tables": ", ".join(wrong)}
        )
    say(_("Basis data dipulihkan: %(rows)d baris.") % {"rows": sum(found.values())})


def _restored_row_counts():
    """Counted with the same queries as at backup time, so the two sets of tables compare."""
    if connection.vendor == "postgresql":
        with psycopg.connect(**_psycopg_params()) as database:
            return _postgresql_row_counts(database)
    database = sqlite3.connect(settings.DATABASES["default"]["NAME"])
    try:
        return _sqlite_row_counts(database)
    finally:
        database.close()


def restore_media(archive, manifest, *, say, progress_stream):
    """Copy the stored files into MEDIA_ROOT, checking each hash again as it is written."""
    media_root = Path(settings.MEDIA_ROOT)
    entries = [entry for entry in manifest["files"] if entry["path"].startswith(f"{MEDIA}/")]
    progress = ProgressBar(progress_stream, len(entries), _("Memulihkan berkas"))
    for entry in entries:
        target = media_root / Path(entry["path"]).relative_to(MEDIA)
        target.parent.mkdir(parents=True, exist_ok=True)
        digest, _size = _copy_hashing(Path(archive) / entry["path"], target)
        progress.step(target.name)
        if digest != entry["sha256"]:
            progress.finish()
            raise BackupError(
                _("Berkas %(file)s berubah selama pemulihan; pemulihan berhenti.") % {"file": entry["path"]}
            )
    progress.finish()
    say(_("Berkas dipulihkan: %(count)d.") % {"count": len(entries)})


# --- PostgreSQL client tools ---


def _server_major():
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        return int(cursor.fetchone()[0]) // 10000


def postgresql_tool(name, server_major):
    """The pg_dump/pg_restore to use for a server of ``server_major``.

    The one of the server's own major version when installed; otherwise the oldest newer one
    (pg_dump refuses a server newer than itself, and a newer pg_restore reads older dumps). Debian
    keeps one folder per version under /usr/lib/postgresql; the tool on PATH counts too.
    """
    candidates = {}
    for folder in POSTGRESQL_BINARIES.glob("*/bin"):
        if folder.parent.name.isdigit() and (folder / name).is_file():
            candidates.setdefault(int(folder.parent.name), str(folder / name))
    on_path = shutil.which(name)
    if on_path:
        version = subprocess.run([on_path, "--version"], capture_output=True, text=True).stdout
        match = re.search(r"(\d+)(?:\.\d+)*\s*(?:\(|$)", version.strip())
        if match:
            candidates.setdefault(int(match.group(1)), on_path)
    usable = sorted(major for major in candidates if major >= server_major)
    if not usable:
        raise BackupError(
            _("%(tool)s versi %(major)d atau lebih baru tidak ditemukan (paket postgresql-client-%(major)d).")
            % {"tool": name, "major": server_major}
        )
    return candidates[usable[0]]


def _run_postgresql_tool(name, server_major, arguments):
    """Run pg_dump/pg_restore on DATABASE_URL's server; the password travels in PGPASSWORD only."""
    database = settings.DATABASES["default"]
    environment = {**os.environ, "PGPASSWORD": database.get("PASSWORD") or ""}
    if database.get("OPTIONS", {}).get("sslmode"):
        environment["PGSSLMODE"] = database["OPTIONS"]["sslmode"]
    connection_arguments = [
        f"--{option}={database[key]}"
        for option, key in (("host", "HOST"), ("port", "PORT"), ("username", "USER"), ("dbname", "NAME"))
        if database.get(key)
    ]
    result = subprocess.run(
        [postgresql_tool(name, server_major), *connection_arguments, *arguments],
        env=environment, capture_output=True, text=True,
    )
    if result.returncode != 0:
        raise BackupError(
            _("%(tool)s gagal (kode %(code)d): %(error)s")
            % {"tool": name, "code": result.returncode, "error": result.stderr.strip()[-2000:]}
        )


def _psycopg_params():
    database = settings.DATABASES["default"]
    params = {"dbname": database["NAME"], "user": database.get("USER"), "password": database.get("PASSWORD"),
              "host": database.get("HOST"), "port": database.get("PORT")}
    params.update({key: value for key, value in database.get("OPTIONS", {}).items() if key == "sslmode"})
    return {key: value for key, value in params.items() if value}
