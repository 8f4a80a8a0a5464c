"""Check every stored file against its SHA-256; report what is missing or altered.

Exit status 1 when any file is missing or altered, so cron or CI can alert.
"""

import sys

from django.core.management.base import BaseCommand

from documents.models import Blob
from documents.services import verify_blob
from project.progress import ProgressBar


class Command(BaseCommand):
    help = "Periksa keutuhan semua berkas tersimpan terhadap SHA-256-nya."

    def handle(self, *args, **options):
        blobs = Blob.objects.order_by("pk")
        progress = ProgressBar(self.stderr, blobs.count(), "Memeriksa berkas")
        problems = []
        for blob in blobs.iterator():
            state = verify_blob(blob)
            progress.step(blob.sha256[:12])
            if state != "ok":
                problems.append((state, blob))
        progress.finish()
        for state, blob in problems:
            versions = ", ".join(str(version) for version in blob.versions.select_related("document")[:5])
            label = "HILANG" if state == "missing" else "BERUBAH"
            self.stdout.write(f"{label}\t{blob.sha256}\t{blob.file.name}\t{versions}")
        summary = f"{blobs.count()} berkas diperiksa, {len(problems)} bermasalah."
        if problems:
            self.stdout.write(self.style.ERROR(summary))
            sys.exit(1)
        self.stdout.write(self.style.SUCCESS(summary))
