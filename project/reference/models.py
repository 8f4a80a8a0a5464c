"""Reference data the processes share: the city's kecamatan and kelurahan, government agencies (OPD)
and the *kamus usulan*, the dictionary every pokir must fit.

Kept by the secretariat in the admin; the demo loads Balikpapan's 6 kecamatan
and 34 kelurahan with the dapil each kecamatan belongs to
(``fixtures/regions.py``).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from project.org.models import Dapil


class Kecamatan(models.Model):
    code = models.SlugField(_("kode"), unique=True)
    name = models.CharField(_("nama"), max_length=120)
    dapil = models.ForeignKey(Dapil, verbose_name=_("dapil"), on_delete=models.PROTECT, related_name="kecamatans")

    class Meta:
        verbose_name = _("kecamatan")
        verbose_name_plural = _("kecamatan")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Kelurahan(models.Model):
    code = models.SlugField(_("kode"), unique=True)
    name = models.CharField(_("nama"), max_length=120)
    kecamatan = models.ForeignKey(Kecamatan, verbose_name=_("kecamatan"), on_delete=models.PROTECT, related_name="kelurahans")

    class Meta:
        verbose_name = _("kelurahan")
        verbose_name_plural = _("kelurahan")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name}, {self.kecamatan.name}"

    @property
    def dapil(self):
        return self.kecamatan.dapil


class Opd(models.Model):
    """A government agency (organisasi perangkat daerah) that carries out proposals."""

    code = models.SlugField(_("kode"), unique=True)
    name = models.CharField(_("nama"), max_length=200)

    class Meta:
        verbose_name = _("OPD")
        verbose_name_plural = _("OPD")
        ordering = ["name"]

    def __str__(self):
        return self.name


class KamusUsulan(models.Model):
    """One entry of the dictionary of proposals: the field of affairs, what it is, and the agency that does it."""

    class Kind(models.TextChoices):
        FISIK = "fisik", _("Fisik")
        NON_FISIK = "non_fisik", _("Non-fisik")

    code = models.SlugField(_("kode"), unique=True)
    urusan = models.CharField(_("urusan / bidang"), max_length=200)
    name = models.CharField(_("usulan"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    unit = models.CharField(_("satuan"), max_length=40)
    opd = models.ForeignKey(Opd, verbose_name=_("OPD tujuan"), on_delete=models.PROTECT, related_name="kamus")
    active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("kamus usulan")
        verbose_name_plural = _("kamus usulan")
        ordering = ["urusan", "name"]

    def __str__(self):
        return f"{self.name} ({self.urusan})"


class ProposalFields(models.Model):
    """What a proposal needs to be carried out (what the planning system asks for): a reses request and a
    pokir have these alike, so a pokir is built from requests field by field."""

    problem = models.TextField(_("permasalahan"), blank=True)
    kelurahan = models.ForeignKey(
        Kelurahan, verbose_name=_("kelurahan"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rt = models.CharField(_("RT"), max_length=10, blank=True)
    rw = models.CharField(_("RW"), max_length=10, blank=True)
    address = models.CharField(_("alamat"), max_length=300, blank=True)
    boundaries = models.CharField(_("letak batas"), max_length=300, blank=True)
    latitude = models.DecimalField(_("lintang"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("bujur"), max_digits=9, decimal_places=6, null=True, blank=True)
    kind = models.CharField(_("jenis"), max_length=20, choices=KamusUsulan.Kind.choices, blank=True)
    volume = models.DecimalField(_("volume"), max_digits=12, decimal_places=2, null=True, blank=True)
    unit = models.CharField(_("satuan"), max_length=40, blank=True)
    estimated_cost = models.DecimalField(_("perkiraan biaya (Rp)"), max_digits=15, decimal_places=0, null=True, blank=True)
    kamus = models.ForeignKey(
        KamusUsulan, verbose_name=_("kamus usulan"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    opd = models.ForeignKey(Opd, verbose_name=_("OPD tujuan"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True


class NonWorkingDay(models.Model):
    """A day the secretariat does not work beyond the national calendar (a regional holiday, an office closure).

    ``project.reference.workdays`` counts every working-day deadline without these days.
    """

    date = models.DateField(_("tanggal"), unique=True)
    name = models.CharField(_("keterangan"), max_length=200)

    class Meta:
        verbose_name = _("hari libur tambahan")
        verbose_name_plural = _("hari libur tambahan")
        ordering = ["-date"]

    def __str__(self):
        return f"{self.date:%d-%m-%Y} {self.name}"
