"""Pokok-pokok pikiran (pokir): a council member's budget proposals, verified before they go to SIPD.

A ``Pokir`` is one proposal of one member for one budget year (``PokirYear``,
which carries the year's submission deadline and per-member ceiling). It
is often built from the member's reses items (``workflows.reses``); its
life runs in a Viewflow process (``flows.py``): draft → submitted →
verified by the secretariat (or returned with notes per field, or
rejected) → approved into the Pimpinan's recap → final (locked) →
exported for SIPD input. The realisation (was it accommodated in the RKPD?)
is recorded on the final pokir later.

Who sees which pokir is one rule, ``PokirQuerySet.visible_to``.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from project.org.models import CouncilMember, Position
from project.reference.models import Opd, ProposalFields
from workflows.reses.models import ResesItem
from workflows.subjects import Subject

PHOTO = "photo"  # role of a pokir's photo documents (the same role name reses items use)
DOCUMENT_ROLE_LABELS = {PHOTO: _("Foto lokasi")}


class PokirYear(models.Model):
    """A budget year's calendar: when submissions close, the ceiling per member, when drafts are reminded."""

    year = models.PositiveIntegerField(_("tahun anggaran"), unique=True)
    deadline = models.DateField(_("batas pengajuan"))
    ceiling_per_member = models.DecimalField(
        _("pagu per anggota (Rp)"), max_digits=15, decimal_places=0, null=True, blank=True,
        help_text=_("Kosongkan bila tahun ini tidak memakai pagu per anggota."),
    )
    reminder_working_days = models.PositiveSmallIntegerField(
        _("pengingat (hari kerja sebelum batas)"), default=5,
        help_text=_("Anggota yang masih punya draf diingatkan sekian hari kerja sebelum batas; 0 = tanpa pengingat."),
    )
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("kalender pokir")
        verbose_name_plural = _("kalender pokir")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ceiling_per_member__isnull=True) | Q(ceiling_per_member__gte=0), name="pokir_ceiling_not_negative"
            ),
        ]

    def __str__(self):
        return f"TA {self.year}"


def members_visible_to(user):
    """The council members whose pokir ``user`` sees, or None for all of them (the rule of ``visible_to``)."""
    from project.org import services as org

    if not user.is_authenticated:
        return CouncilMember.objects.none()
    if user.is_superuser or user.has_perm("pokir.view_all_pokir"):
        return None
    chair = Position.objects.filter(unit__code=org.CHAIR_UNIT_CODE, role=Position.Role.HEAD).first()
    if chair is not None and (chair.holder_id == user.pk or org.acts_for(user, chair)):
        return None
    if org.units_of(user).filter(code=org.CHAIR_UNIT_CODE).exists():
        return None
    return CouncilMember.objects.filter(Q(user=user) | Q(staff=user) | Q(fraksi__leader=user))


def members_drafted_by(user):
    """The members ``user`` may draft and edit pokir for: themselves, and the members whose staff they are."""
    if not user.is_authenticated:
        return CouncilMember.objects.none()
    return CouncilMember.objects.filter(Q(user=user) | Q(staff=user)).distinct().select_related("user", "dapil")


class PokirQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The one rule for who sees which pokir; every list, page, file, export, search item and API call uses it.

        - auditors and verifiers (``pokir.view_all_pokir``) and superusers: every pokir;
        - the chair, whoever acts for the chair now, and members of the Pimpinan unit: every pokir;
        - a council member: their own pokir; the member's staff (``CouncilMember.staff``): that member's;
        - a fraksi leader (``Fraksi.leader``): the pokir of the fraksi's members.
        """
        members = members_visible_to(user)
        if members is None:
            return self
        return self.filter(member__in=members.values("pk"))

    def delete(self):
        if self.exclude(status=Pokir.Status.DRAFT, submitted_at__isnull=True).exists():
            raise PermissionDenied(_("Pokir yang sudah diajukan tidak dapat dihapus."))
        return super().delete()


class Pokir(Subject, ProposalFields):
    not_found = _("Pokir tidak ditemukan.")

    class Status(models.TextChoices):
        DRAFT = "draf", _("Draf")
        SUBMITTED = "diajukan", _("Menunggu verifikasi")
        RETURNED = "dikembalikan", _("Dikembalikan")
        REJECTED = "ditolak", _("Ditolak")
        VERIFIED = "terverifikasi", _("Terverifikasi, menunggu rekap")
        FINAL = "final", _("Final")
        EXPORTED = "diekspor", _("Diekspor untuk SIPD")

    class Realisation(models.TextChoices):
        ACCOMMODATED = "terakomodir", _("Terakomodir dalam RKPD")
        RESERVE = "cadangan", _("Cadangan")
        NOT_ACCOMMODATED = "tidak_terakomodir", _("Tidak terakomodir")

    EDITABLE = (Status.DRAFT, Status.RETURNED)
    LOCKED = (Status.FINAL, Status.EXPORTED)

    year = models.ForeignKey(
        PokirYear, verbose_name=_("tahun anggaran"), to_field="year", db_column="year", on_delete=models.PROTECT,
        related_name="pokir",
    )
    member = models.ForeignKey(CouncilMember, verbose_name=_("anggota"), on_delete=models.PROTECT, related_name="pokir")
    title = models.CharField(_("usulan"), max_length=300)
    reses_items = models.ManyToManyField(ResesItem, verbose_name=_("usulan reses"), blank=True, related_name="pokir")

    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    return_notes = models.JSONField(_("catatan pengembalian"), default=dict, blank=True)  # field group -> note
    rejection_reason = models.TextField(_("alasan penolakan"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)
    submitted_at = models.DateTimeField(_("pertama diajukan"), null=True, blank=True)
    last_submitted_at = models.DateTimeField(_("terakhir diajukan"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verified_at = models.DateTimeField(_("diverifikasi"), null=True, blank=True)
    finalised_at = models.DateTimeField(_("final"), null=True, blank=True)
    exported_at = models.DateTimeField(_("diekspor"), null=True, blank=True)

    realisation = models.CharField(_("realisasi"), max_length=20, choices=Realisation.choices, blank=True)
    realisation_opd = models.ForeignKey(
        Opd, verbose_name=_("OPD pelaksana"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    realisation_year = models.PositiveIntegerField(_("tahun realisasi"), null=True, blank=True)
    realisation_budget = models.DecimalField(_("anggaran (Rp)"), max_digits=15, decimal_places=0, null=True, blank=True)
    realisation_note = models.TextField(_("keterangan realisasi"), blank=True)
    realised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    realised_at = models.DateTimeField(_("realisasi dicatat"), null=True, blank=True)

    process = models.OneToOneField("viewflow.Process", null=True, blank=True, on_delete=models.SET_NULL, related_name="pokir")

    objects = PokirQuerySet.as_manager()

    class Meta:
        verbose_name = _("pokir")
        verbose_name_plural = _("pokir")
        ordering = ["-year", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(volume__isnull=True) | Q(volume__gt=0), name="pokir_volume_positive"),
            models.CheckConstraint(
                condition=Q(estimated_cost__isnull=True) | Q(estimated_cost__gte=0), name="pokir_cost_not_negative"
            ),
        ]
        permissions = [
            ("view_all_pokir", _("Melihat semua pokir")),
            ("verify_pokir", _("Memverifikasi pokir")),
            ("manage_pokir_years", _("Mengatur kalender pokir")),
            ("export_pokir", _("Mengekspor rekap pokir untuk SIPD")),
        ]

    task_row_related = ("member__user",)

    def __str__(self):
        return f"{self.number} — {self.title}"

    def task_counterpart(self):
        """An inbox row names the member whose pokir it is."""
        return str(self.member)

    def delete(self, *args, **kwargs):
        """Only a draft that was never submitted may go; a submitted, verified or final pokir is never deleted."""
        stored = type(self).objects.filter(pk=self.pk).values_list("status", "submitted_at").first()
        if self.status != self.Status.DRAFT or (stored and (stored[0] != self.Status.DRAFT or stored[1] is not None)):
            raise PermissionDenied(_("Pokir yang sudah diajukan tidak dapat dihapus."))
        return super().delete(*args, **kwargs)

    @property
    def number(self):
        return f"POKIR-{self.year_id}-{self.pk or 0:05d}"

    @property
    def editable(self):
        return self.status in self.EDITABLE

    @property
    def locked(self):
        return self.status in self.LOCKED

    @property
    def full_address(self):
        parts = [self.address]
        if self.rt or self.rw:
            parts.append(f"RT {self.rt or '-'}/RW {self.rw or '-'}")
        if self.kelurahan_id:
            parts.append(f"Kel. {self.kelurahan.name}, Kec. {self.kelurahan.kecamatan.name}")
        return ", ".join(part for part in parts if part)

    def get_absolute_url(self):
        return reverse("pokir:detail", args=[self.pk])

    def file_stem(self):
        return f"pokir-{self.year_id}-{self.pk:05d}"

    def evidence_title(self):
        return f"Pokir {self.number}"

    def evidence_metadata(self):
        return {
            "Nomor": self.number,
            "Tahun anggaran": str(self.year_id),
            "Anggota": str(self.member),
            "Usulan": self.title,
            "Permasalahan": self.problem,
            "Lokasi": self.full_address,
            "Letak batas": self.boundaries,
            "Volume": f"{self.volume or ''} {self.unit}".strip(),
            "Perkiraan biaya (Rp)": str(self.estimated_cost or ""),
            "Kamus usulan": str(self.kamus or ""),
            "OPD tujuan": str(self.opd or ""),
            "Status": self.get_status_display(),
            "Realisasi": self.get_realisation_display(),
        }

    def photos(self):
        """The pokir's own photo documents, then those of the reses items it came from."""
        from django.contrib.contenttypes.models import ContentType

        from documents.models import Document

        own = Q(owner_type=ContentType.objects.get_for_model(Pokir), owner_id=str(self.pk))
        item_ids = [str(pk) for pk in self.reses_items.values_list("pk", flat=True)]
        from_items = Q(owner_type=ContentType.objects.get_for_model(ResesItem), owner_id__in=item_ids) if item_ids else Q(pk__in=[])
        return (
            Document.objects.filter(own | from_items, role=PHOTO)
            .select_related("owner_type")
            .prefetch_related("versions__blob")
            .order_by("created_at", "pk")
        )


class PokirReview(models.Model):
    """One decision on a pokir: returned with notes per field, rejected, verified (with overrides), approved."""

    class Decision(models.TextChoices):
        RETURNED = "returned", _("Dikembalikan")
        REJECTED = "rejected", _("Ditolak")
        VERIFIED = "verified", _("Terverifikasi")
        APPROVED = "approved", _("Disetujui dalam rekap")

    pokir = models.ForeignKey(Pokir, on_delete=models.CASCADE, related_name="reviews")
    decision = models.CharField(_("keputusan"), max_length=20, choices=Decision.choices)
    notes = models.JSONField(_("catatan per isian"), default=dict, blank=True)
    overrides = models.JSONField(_("pemeriksaan yang diabaikan"), default=dict, blank=True)  # check code -> reason
    reason = models.TextField(_("alasan / catatan"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    acting_for = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]


class PokirExport(models.Model):
    """One export of a year's final recap for SIPD input."""

    class Format(models.TextChoices):
        XLSX = "xlsx", "XLSX"
        CSV = "csv", "CSV"

    year = models.ForeignKey(PokirYear, to_field="year", db_column="year", on_delete=models.PROTECT, related_name="exports")
    format = models.CharField(_("format"), max_length=10, choices=Format.choices)
    count = models.PositiveIntegerField(_("jumlah pokir"))
    pokir_ids = models.JSONField(default=list)
    sha256 = models.CharField(max_length=64)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    made_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-made_at", "-pk"]

    def __str__(self):
        return f"Ekspor pokir TA {self.year_id} ({self.format}, {self.count})"


class DeadlineReminder(models.Model):
    """A member was reminded of their drafts before the year's deadline (once per member and year)."""

    year = models.ForeignKey(PokirYear, to_field="year", db_column="year", on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(CouncilMember, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)
    drafts = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["year", "member"], name="one_pokir_reminder_per_member_and_year")]
