"""(Re)build the text layer of document versions, with a progress bar."""

from django.core.management.base import BaseCommand

from documents.models import DocumentVersion
from documents.services import versions_needing_text
from documents.text import process_version
from project.progress import ProgressBar


class Command(BaseCommand):
    help = "Ekstraksi ulang teks dokumen (pypdf, lalu OCR untuk halaman pindaian)."

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group()
        which.add_argument("--all", action="store_true", help="every version (default: only those not done yet)")
        which.add_argument("--id", type=int, action="append", dest="ids", help="one version id (repeatable)")

    def handle(self, *args, all=False, ids=None, **options):
        if ids:
            versions = DocumentVersion.objects.filter(pk__in=ids)
        elif all:
            versions = DocumentVersion.objects.all()
        else:
            versions = versions_needing_text()
        versions = versions.order_by("pk")
        progress = ProgressBar(self.stderr, versions.count(), "Ekstraksi teks")
        outcome = {}
        for item in versions.iterator():
            status = process_version(item)
            outcome[status] = outcome.get(status, 0) + 1
            progress.step(f"{item} → {status}")
        progress.finish()
        self.stdout.write(", ".join(f"{status}: {count}" for status, count in sorted(outcome.items())) or "nothing to do")
