"""In-app notifications; e-mail copies go out through a Celery task when configured."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


TASK = "task"  # every process: a task or a step of one is waiting for the recipient
KIND_LABELS = {TASK: _("Tugas")}


def register_kinds(labels):
    """A process's own kinds of notification (``kind -> label``), named where the process is."""
    KIND_LABELS.update(labels)


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("jenis"), max_length=40)
    message = models.CharField(_("pesan"), max_length=500)
    url = models.CharField(max_length=500, blank=True)
    subject_key = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notifikasi")
        verbose_name_plural = _("notifikasi")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return self.message

    def get_kind_display(self):
        return KIND_LABELS.get(self.kind, self.kind)
