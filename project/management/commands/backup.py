"""Back up the whole installation into a new archive folder (see project/backup.py for what it holds).

Meant for cron: ``manage.py backup /var/backups/siap`` writes ``siap-YYYYmmdd-HHMMSS`` there and
prints its path; exit status 1 on any failure, with nothing half-written left behind.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from project.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "Cadangkan basis data, semua berkas tersimpan dan manifest SHA-256 ke folder arsip baru."

    def add_arguments(self, parser):
        parser.add_argument("backups_folder", help="folder tempat arsip baru siap-YYYYmmdd-HHMMSS dibuat")

    def handle(self, *args, backups_folder, **options):
        try:
            archive = create_backup(backups_folder, say=self.stdout.write, progress_stream=self.stderr)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(_("Arsip cadangan selesai: %(path)s") % {"path": archive}))
