"""Compare what the database has with what the index holds."""

import sys

from django.core.management.base import BaseCommand

from search import indexing
from search.models import IndexOperation


class Command(BaseCommand):
    help = "Bandingkan jumlah item di basis data dan di indeks pencarian."

    def handle(self, *args, **options):
        expected = indexing.total_items()
        indexed = indexing.backend().count()
        pending = IndexOperation.objects.filter(applied_at__isnull=True).count()
        self.stdout.write(f"basis data: {expected}\nindeks: {indexed}\noperasi tertunda: {pending}")
        if expected != indexed or pending:
            self.stdout.write(self.style.WARNING("Indeks belum sesuai; jalankan search_reindex atau tunggu pekerja."))
            sys.exit(1)
        self.stdout.write(self.style.SUCCESS("Indeks sesuai."))
