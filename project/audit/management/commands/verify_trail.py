"""Walk the audit trail's hash chain; report every event changed, and every place where events were removed.

Exit status 1 on any break, so cron or CI can alert. At the end it prints the
chain's head (``sequence:hash``): keep it outside the database (the backup
manifest, the operator's log). A later ``--expect-head`` with it shows
whether the chain still runs through that event: without it, cutting off the
newest events, or rewriting the chain from one event onwards and recomputing
every hash after it, goes unnoticed.
"""

import sys

from django.core.management.base import BaseCommand, CommandError

from project.audit.chain import walk
from project.audit.models import AuditEvent
from project.progress import ProgressBar

PROBLEMS = {
    "changed": "BERUBAH",  # its content does not match its hash
    "deleted": "TERPUTUS",  # the events before it are missing (deleted), or were rewritten
}


class Command(BaseCommand):
    help = "Periksa rantai hash jejak audit: peristiwa yang diubah atau dihapus langsung di basis data."

    def add_arguments(self, parser):
        parser.add_argument(
            "--expect-head", metavar="URUTAN:HASH",
            help="Kepala rantai yang dicatat sebelumnya; rantai harus masih melewati peristiwa itu.",
        )

    def handle(self, *args, **options):
        expected = _expected_head(options["expect_head"])
        linked = AuditEvent.objects.filter(sequence__isnull=False)
        progress = ProgressBar(self.stderr, linked.count(), "Memeriksa jejak")
        checked, breaks, head, found_expected = 0, 0, None, expected is None
        for event, problem in walk(AuditEvent):
            progress.step(str(event.sequence))
            checked, head = checked + 1, event
            if expected is not None and event.sequence == expected[0]:
                found_expected = event.row_hash == expected[1]
            if problem is not None:
                breaks += 1
                self.stdout.write(f"{PROBLEMS[problem]}\t{event.sequence}\t{event.pk}\t{event.at.isoformat()}\t{event.action}")
        progress.finish()
        if not found_expected:
            breaks += 1
            self.stdout.write(f"KEPALA HILANG\t{expected[0]}:{expected[1]}")
        unlinked = AuditEvent.objects.filter(sequence__isnull=True).count()
        if unlinked:
            self.stdout.write(f"{unlinked} peristiwa belum masuk rantai (ditautkan setelah transaksinya selesai).")
        if head is not None:
            self.stdout.write(f"Kepala rantai: {head.sequence}:{head.row_hash}")
        summary = f"{checked} peristiwa diperiksa, {breaks} kerusakan."
        if breaks:
            self.stdout.write(self.style.ERROR(summary))
            sys.exit(1)
        self.stdout.write(self.style.SUCCESS(summary))


def _expected_head(value):
    if value is None:
        return None
    sequence, _colon, digest = value.partition(":")
    if not sequence.isdigit() or len(digest) != 64:
        raise CommandError("--expect-head: URUTAN:HASH, mis. 1234:" + "0" * 64)
    return int(sequence), digest.lower()
