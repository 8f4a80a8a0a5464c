"""A memo that one unit reviews: the smallest process, registered from a test app.

It exists to show that a process is one package: nothing shared names it,
yet its tasks reach the inbox and queue, claiming works, its items are
searchable with a facet of its own, and the parity test covers it.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse

from project.org import services as org
from project.org.models import Unit
from workflows.subjects import Subject


class MemoQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Members of the memo's unit; auditors (``memos.view_all_memos``) see all."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser or user.has_perm("memos.view_all_memos"):
            return self
        return self.filter(unit__in=org.units_of(user))


class Memo(Subject, models.Model):
    not_found = "Memo tidak ditemukan."

    class Priority(models.TextChoices):
        LOW = "rendah", "Rendah"
        HIGH = "tinggi", "Tinggi"

    class Status(models.TextChoices):
        OPEN = "open", "Menunggu"
        CLAIMED = "claimed", "Ditinjau"
        DONE = "done", "Selesai"

    title = models.CharField(max_length=200)
    priority = models.CharField(max_length=10, choices=Priority.choices)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    claimed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)
    process = models.OneToOneField("viewflow.Process", null=True, blank=True, on_delete=models.SET_NULL, related_name="memo")

    objects = MemoQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        permissions = [("view_all_memos", "Melihat semua memo")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("memos:detail", args=[self.pk])

    def file_stem(self):
        return f"memo-{self.pk}"

    def evidence_title(self):
        return f"Memo {self.title}"

    def evidence_metadata(self):
        return {"Judul": self.title, "Unit": str(self.unit), "Status": self.get_status_display()}
