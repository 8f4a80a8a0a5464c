"""In-app notifications; e-mail copies go out through a Celery task when configured."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    class Kind(models.TextChoices):
        DISPOSITION = "disposition", _("Disposisi baru")
        OVERDUE = "overdue", _("Lewat batas waktu")
        TASK = "task", _("Tugas")

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
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
