"""Archive classification codes (kode klasifikasi arsip, Permendagri 83/2022)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ClassificationCode(models.Model):
    code = models.CharField(_("kode"), max_length=32, unique=True)
    name = models.CharField(_("nama"), max_length=255)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")

    class Meta:
        verbose_name = _("kode klasifikasi arsip")
        verbose_name_plural = _("kode klasifikasi arsip")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} — {self.name}"
