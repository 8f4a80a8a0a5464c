"""The indexing outbox: the commit that changes an item records what the index must do.

A worker applies pending operations in order (``search.indexing``); if the
search engine is down, they wait and nothing is lost.
"""

from django.db import models


class IndexOperation(models.Model):
    class Op(models.TextChoices):
        UPSERT = "upsert"
        DELETE = "delete"

    item_id = models.CharField(max_length=100, db_index=True)
    op = models.CharField(max_length=10, choices=Op.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]
        permissions = [("export_results", "Mengekspor hasil pencarian (CSV)")]
        indexes = [models.Index(fields=["applied_at", "id"])]
