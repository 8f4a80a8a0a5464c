"""Rebuild the whole search index from the database, with a progress bar.

The new index is built beside the live one and swapped in at the end, so
searches keep working meanwhile. Operations recorded before the rebuild
started are marked applied; later ones are applied afterwards.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from project.progress import ProgressBar
from search import indexing
from search.models import IndexOperation


class Command(BaseCommand):
    help = "Bangun ulang indeks pencarian dari basis data."

    def handle(self, *args, **options):
        last = IndexOperation.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        progress = ProgressBar(self.stderr, indexing.total_items(), "Indeks ulang")

        def items():
            for item in indexing.all_items():
                progress.step(item.id)
                yield item

        count = indexing.backend().rebuild(items())
        progress.finish()
        IndexOperation.objects.filter(pk__lte=last, applied_at__isnull=True).update(applied_at=timezone.now())
        later = indexing.apply_pending()
        self.stdout.write(self.style.SUCCESS(f"{count} item diindeks; {later} operasi menyusul diterapkan."))
