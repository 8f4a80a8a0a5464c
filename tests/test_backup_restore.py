"""Backup and restore round trips: a real installation is backed up, restored into a second, empty
one (its own database and MEDIA_ROOT, run as a separate process as an operator would), and the two
are compared row by row and file by file. Damaged archives and non-empty targets are refused
before anything is written."""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from tests.support import requires_postgresql

MANAGE = str(settings.BASE_DIR / "manage.py")


def manage(*arguments, **environment):
    """Run manage.py in a fresh process with ``environment`` over this one's (None removes a variable)."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "PYTHONUNBUFFERED": "1"}
    for name, value in environment.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = str(value)
    return subprocess.run(
        [sys.executable, MANAGE, *arguments], env=env, capture_output=True, text=True, timeout=600,
        cwd=settings.BASE_DIR,
    )


def file_hashes(folder):
    folder = Path(folder)
    if not folder.is_dir():
        return {}
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*")) if path.is_file()
    }


def only_archive(backups):
    archives = [path for path in Path(backups).iterdir() if path.is_dir()]
    assert len(archives) == 1, archives
    return archives[0]


# --- PostgreSQL ---


def source_database():
    """The test database as psycopg parameters (pg_dump and the comparison read it from outside)."""
    database = connection.settings_dict
    return {"dbname": database["NAME"], "user": database["USER"], "password": database["PASSWORD"],
            "host": database["HOST"], "port": database["PORT"]}


@pytest.fixture
def empty_postgresql_database():
    """A second, freshly created database (no tables): the target of a restore. Dropped afterwards."""
    server = {**source_database(), "dbname": "postgres"}
    name = f"siap_h4_restore_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(**server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    target = {**server, "dbname": name}
    target["url"] = f"postgres://{server['user']}:{server['password']}@{server['host']}:{server['port']}/{name}"
    yield target
    with psycopg.connect(**server, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def postgresql_params(target):
    return {key: value for key, value in target.items() if key != "url"}


def postgresql_tables(database):
    return [
        row[0] for row in database.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
        )
    ]


def postgresql_rows(database, table):
    """Every row with every column (whatever columns the table has today), in primary-key order."""
    cursor = database.execute(f'SELECT * FROM "{table}" ORDER BY id')
    columns = [column.name for column in cursor.description]
    return columns, cursor.fetchall()


def postgresql_sequences(database):
    return database.execute(
        "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = current_schema() ORDER BY 1"
    ).fetchall()


def installation_environment(tmp_path, name, database_url):
    """The environment of a second installation: its own database, files, search index and var folder."""
    folder = tmp_path / name
    return {
        "DATABASE_URL": database_url,
        "SIAP_VAR_DIR": folder / "var",
        "MEDIA_ROOT": folder / "media",
        "SEARCH_URL": f"embedded://{folder / 'search.sqlite3'}",
        "BROKER_URL": "filesystem://",
    }


def populate(org, register, dispose):
    """Letters with real scans (each with its text extracted and its agenda stamp as a new
    version), disposed and followed up: rows in most tables, several stored files, a trail."""
    flooding = register(subject="Permohonan audiensi banjir Jalan Soekarno-Hatta")
    register(subject="Undangan rapat koordinasi drainase Klandasan")
    register(subject="Laporan pengaduan jalan rusak Sepinggan")
    dispose(flooding, [org.komisi1, org.komisi2])
    return flooding


@requires_postgresql
@pytest.mark.django_db(transaction=True)
def test_round_trip_restores_every_letter_file_and_trail_row(
    org, register, dispose, eager_jobs, tmp_path, empty_postgresql_database
):
    from documents.models import Blob
    from project.audit.models import AuditEvent
    from workflows.letters.models import Letter

    populate(org, register, dispose)
    assert Blob.objects.count() >= 3 and AuditEvent.objects.count() >= 4
    call_command("backup", tmp_path / "backups")
    archive = only_archive(tmp_path / "backups")
    manifest = json.loads((archive / "manifest.json").read_text())
    assert manifest["engine"] == "postgresql" and manifest["database"] == "database.dump"
    assert manifest["migrations"]["audit"] == max(
        MigrationRecorder.Migration.objects.filter(app="audit").values_list("name", flat=True)
    )
    assert manifest["row_counts"]["audit_auditevent"] == AuditEvent.objects.count()
    source_files = file_hashes(settings.MEDIA_ROOT)
    archived_files = {
        entry["path"].removeprefix("media/"): entry["sha256"] for entry in manifest["files"] if entry["path"] != "database.dump"
    }
    assert archived_files == source_files

    # into the installation it came from (not empty): refused, nothing touched
    trail_before = AuditEvent.objects.count()
    with pytest.raises(CommandError, match="tidak kosong"):
        call_command("restore", archive)
    assert AuditEvent.objects.count() == trail_before and file_hashes(settings.MEDIA_ROOT) == source_files

    target = empty_postgresql_database
    environment = installation_environment(tmp_path, "restored", target["url"])
    restored = manage("restore", archive, **environment)
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert f"{len(source_files)} berkas diperiksa, 0 bermasalah." in restored.stdout
    assert "item diindeks" in restored.stdout

    with psycopg.connect(**source_database()) as source, psycopg.connect(**postgresql_params(target)) as copy:
        tables = postgresql_tables(source)
        assert postgresql_tables(copy) == tables
        for table in tables:
            count = f'SELECT count(*) FROM "{table}"'
            assert copy.execute(count).fetchone() == source.execute(count).fetchone(), table
        for model in (Letter, AuditEvent, Blob):
            table = model._meta.db_table
            assert postgresql_rows(copy, table) == postgresql_rows(source, table), table
        assert postgresql_rows(copy, Letter._meta.db_table)[1], "no letter compared"
        assert postgresql_sequences(copy) == postgresql_sequences(source)
        trigger = "SELECT tgname FROM pg_trigger WHERE tgname = 'audit_event_append_only'"
        assert copy.execute(trigger).fetchall() == source.execute(trigger).fetchall() != []
    assert file_hashes(environment["MEDIA_ROOT"]) == source_files
    for blob in Blob.objects.all():
        assert file_hashes(environment["MEDIA_ROOT"])[blob.file.name] == blob.sha256

    checked = manage("verify_files", **environment)
    assert checked.returncode == 0 and "0 bermasalah" in checked.stdout, checked.stdout + checked.stderr
    found = manage("search", "banjir", "--user", org.auditor.username, "--json", **environment)
    assert found.returncode == 0, found.stderr
    hits = json.loads(found.stdout)["hits"]
    assert [hit["title"] for hit in hits if "banjir" in hit["title"]], hits


@requires_postgresql
@pytest.mark.django_db(transaction=True)
def test_damaged_archive_or_other_engine_is_refused_before_anything_is_written(
    org, register, tmp_path, empty_postgresql_database
):
    register(subject="Permohonan audiensi banjir Jalan Soekarno-Hatta")
    call_command("backup", tmp_path / "backups")
    archive = only_archive(tmp_path / "backups")
    blob = next(path for path in (archive / "media").rglob("*") if path.is_file())
    blob_name = blob.relative_to(archive).as_posix()

    def damaged(name, damage):
        copy = tmp_path / name
        shutil.copytree(archive, copy)
        damage(copy)
        return copy

    def change_one_byte(copy):
        content = bytearray((copy / blob_name).read_bytes())
        content[len(content) // 2] ^= 0x01
        (copy / blob_name).write_bytes(bytes(content))

    cases = [
        (damaged("changed-byte", change_one_byte), f"{blob_name} berubah"),
        (damaged("missing-file", lambda copy: (copy / blob_name).unlink()), f"{blob_name} hilang"),
        (damaged("extra-file", lambda copy: (copy / "media" / "stray.pdf").write_bytes(b"%PDF-1.4")),
         "media/stray.pdf tidak tercantum"),
        (damaged("missing-dump", lambda copy: (copy / "database.dump").unlink()), "database.dump hilang"),
    ]
    target = empty_postgresql_database
    environment = installation_environment(tmp_path, "target", target["url"])
    for damaged_archive, reason in cases:
        refused = manage("restore", damaged_archive, **environment)
        assert refused.returncode == 1, refused.stdout
        assert reason in refused.stderr, refused.stderr
        with psycopg.connect(**postgresql_params(target)) as copy:
            assert postgresql_tables(copy) == []
        assert file_hashes(environment["MEDIA_ROOT"]) == {}

    sqlite_environment = installation_environment(tmp_path, "sqlite", None)
    refused = manage("restore", archive, **sqlite_environment)
    assert refused.returncode == 1 and "berisi basis data postgresql" in refused.stderr, refused.stderr
    assert file_hashes(sqlite_environment["MEDIA_ROOT"]) == {}
    assert not sqlite_content(sqlite_environment["SIAP_VAR_DIR"] / "siap.sqlite3")


# --- SQLite, the embedded default ---

POPULATE_SQLITE = """
from tests.support import Org, letter_data, pdf_upload
from workflows.letters import services
org = Org()
subjects = ["Permohonan audiensi banjir Jalan Soekarno-Hatta", "Undangan rapat drainase Klandasan"]
for subject in subjects:
    data = letter_data(org, subject=subject)
    services.register_letter(data=data, scan=pdf_upload(subject=subject), user=org.registrar, page_count=1)
# the embedded default's SQL, once on SQLite: the duplicate check ignores case and blanks there too
twin = services.earlier_letters(org.registrar, sender=data["sender"].upper(), sender_number=" " + data["sender_number"])
assert sorted(letter.subject for letter in twin) == sorted(subjects), twin
"""


def sqlite_environment(folder):
    return {"SIAP_VAR_DIR": folder, "DATABASE_URL": None, "MEDIA_ROOT": None, "SEARCH_URL": None,
            "BROKER_URL": "filesystem://"}


def sqlite_content(path):
    """Every table's rows, every column, in rowid order."""
    database = sqlite3.connect(path)
    try:
        tables = [row[0] for row in database.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )]
        return {table: database.execute(f'SELECT * FROM "{table}" ORDER BY rowid').fetchall() for table in tables}
    finally:
        database.close()


def test_sqlite_installation_round_trip(tmp_path):
    source, target = tmp_path / "source", tmp_path / "target"
    for step in (["migrate", "-v0"], ["shell", "-c", POPULATE_SQLITE], ["backup", tmp_path / "backups"]):
        done = manage(*step, **sqlite_environment(source))
        assert done.returncode == 0, done.stdout + done.stderr
    archive = only_archive(tmp_path / "backups")
    assert json.loads((archive / "manifest.json").read_text())["engine"] == "sqlite"

    (target / "media").mkdir(parents=True)
    (target / "media" / "left-over.txt").write_text("x")
    refused = manage("restore", archive, **sqlite_environment(target))
    assert refused.returncode == 1 and "MEDIA_ROOT" in refused.stderr, refused.stderr
    assert not sqlite_content(target / "siap.sqlite3")
    (target / "media" / "left-over.txt").unlink()

    restored = manage("restore", archive, **sqlite_environment(target))
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert "2 berkas diperiksa, 0 bermasalah." in restored.stdout
    original = sqlite_content(source / "siap.sqlite3")
    assert original["letters_letter"] and original["audit_auditevent"]
    copy = sqlite_content(target / "siap.sqlite3")
    # search_reindex marks the pending index operations applied: the one table meant to change
    assert len(copy.pop("search_indexoperation")) == len(original.pop("search_indexoperation"))
    assert copy == original
    assert file_hashes(target / "media") == file_hashes(source / "media") != {}
    found = manage("search", "banjir", "--user", "auditor", "--json", **sqlite_environment(target))
    assert json.loads(found.stdout)["total"] == 1, found.stdout + found.stderr
