"""Restore an archive written by ``backup`` into an empty installation, then check and reindex it.

The archive is verified in full before anything is written; the target must be a database with
no tables (freshly created, not migrated) and an empty MEDIA_ROOT. After the database and the
files, ``verify_files`` checks every stored file against the restored rows and ``search_reindex``
rebuilds the search index, which backups do not hold.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils.translation import gettext as _

from project.backup import BackupError, check_restorable, restore_database, restore_media, verify_archive


class Command(BaseCommand):
    help = "Pulihkan arsip cadangan ke instalasi kosong, lalu periksa berkas dan bangun ulang indeks pencarian."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="folder arsip yang dibuat oleh perintah backup")

    def handle(self, *args, archive, **options):
        streams = {"stdout": self.stdout, "stderr": self.stderr}
        try:
            manifest = verify_archive(archive, progress_stream=self.stderr)
            self.stdout.write(
                _("Arsip utuh: %(count)d berkas, SIAP %(version)s, %(engine)s, dibuat %(created)s.")
                % {"count": len(manifest["files"]), "version": manifest.get("siap_version", "?"),
                   "engine": manifest["engine"], "created": manifest.get("created_at", "?")}
            )
            check_restorable(manifest)
            restore_database(archive, manifest, say=self.stdout.write)
            restore_media(archive, manifest, say=self.stdout.write, progress_stream=self.stderr)
        except BackupError as error:
            raise CommandError(str(error)) from error
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            self.stdout.write(_("Arsip dari versi SIAP yang lebih lama: menjalankan migrate …"))
            call_command("migrate", interactive=False, **streams)
        self.stdout.write(_("Memeriksa berkas tersimpan (verify_files) …"))
        try:
            call_command("verify_files", **streams)
        except SystemExit as failure:
            raise CommandError(_("verify_files menemukan berkas bermasalah (lihat di atas).")) from failure
        self.stdout.write(_("Membangun ulang indeks pencarian (search_reindex) …"))
        call_command("search_reindex", **streams)
        self.stdout.write(self.style.SUCCESS(_("Pemulihan selesai dari %(path)s.") % {"path": archive}))
