"""Incoming letters (surat masuk), their dispositions and follow-up branches.

A ``Letter`` is the register entry; its life runs in a Viewflow process whose
``artifact`` is the letter (see ``flows.py``). Its files — the scan, the
attachments, the units' report files — are documents it owns in the document
store (``documents``), each with its versions. A ``Disposition`` is the
chair's instruction; each recipient unit gets one ``DispositionBranch``,
followed up in parallel and closed with a report.
"""

from django.conf import settings
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from documents.models import ClassificationCode
from project.org.models import Unit
from workflows.registry import once_per_request
from workflows.subjects import Subject


class Nature(models.TextChoices):
    BIASA = "biasa", _("Biasa")
    SEGERA = "segera", _("Segera")
    SANGAT_SEGERA = "sangat_segera", _("Sangat segera")
    RAHASIA = "rahasia", _("Rahasia")


# Roles of the letter's documents.
SCAN, ATTACHMENT, REPORT = "scan", "attachment", "report"
DOCUMENT_ROLE_LABELS = {SCAN: _("Pindaian surat"), ATTACHMENT: _("Lampiran"), REPORT: _("Laporan tindak lanjut")}


class AgendaCounter(models.Model):
    """The last agenda number given in a calendar year (one row per year)."""

    year = models.PositiveIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    @classmethod
    def next_number(cls, year):
        """Take the next agenda number of ``year``: gap-free and unique under concurrency.

        Must run inside the transaction that saves the letter: the counter row
        stays locked (SELECT … FOR UPDATE) until that transaction commits, so
        concurrent registrations queue here, and a rollback gives the number back.
        """
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("AgendaCounter.next_number must run inside transaction.atomic()")
        cls.objects.get_or_create(year=year)
        counter = cls.objects.select_for_update().get(year=year)
        counter.last_number += 1
        counter.save(update_fields=["last_number"])
        return counter.last_number


def letter_upload_path(instance, filename):
    """Referenced by migration 0001 only: letters now keep their files as documents."""
    return f"letters/{filename}"


def attachment_upload_path(instance, filename):
    """Referenced by migration 0001 only: letters now keep their files as documents."""
    return f"letters/attachments/{filename}"


class LetterQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The one rule for who may see which letter; every list, page and file uses it.

        - registrar, auditor (model-wide ``letters.view_all_letters``): all letters;
        - the chair, and whoever acts for the chair now: all letters;
        - other members of Pimpinan: every letter that is not rahasia;
        - members of a unit that a letter was disposed to: that letter.
        """
        from project.org import services as org

        if not user.is_authenticated:
            return self.none()
        reach = once_per_request(("letters.reach", user.pk), lambda: _letter_reach(user))
        if reach == ALL_LETTERS:
            return self
        disposed_to_mine = Exists(
            DispositionBranch.objects.filter(disposition__letter=OuterRef("pk"), unit__in=org.units_of(user))
        )
        rule = Q(disposed_to_mine)
        if reach == PIMPINAN:
            rule |= ~Q(nature=Nature.RAHASIA)
        return self.filter(rule)


ALL_LETTERS, PIMPINAN, OWN_UNITS = "all", "pimpinan", "units"


def _letter_reach(user):
    """Which part of ``visible_to``'s rule applies to ``user`` (a page asks it once, ``once_per_request``)."""
    from project.org import services as org

    if user.is_superuser or user.has_perm("letters.view_all_letters"):
        return ALL_LETTERS
    chair = org.chair_position()
    if chair.holder_id == user.pk or org.acts_for(user, chair):
        return ALL_LETTERS
    if org.units_of(user).filter(code=org.CHAIR_UNIT_CODE).exists():
        return PIMPINAN
    return OWN_UNITS


class Letter(Subject, models.Model):
    not_found = _("Surat tidak ditemukan.")

    class Status(models.TextChoices):
        AWAITING_DISPOSITION = "awaiting_disposition", _("Menunggu disposisi")
        IN_FOLLOW_UP = "in_follow_up", _("Ditindaklanjuti")
        ARCHIVED = "archived", _("Diarsipkan")
        CANCELLED = "cancelled", _("Dibatalkan")

    agenda_year = models.PositiveIntegerField(_("tahun agenda"), editable=False)
    agenda_number = models.PositiveIntegerField(_("nomor agenda"), editable=False)
    sender = models.CharField(_("pengirim"), max_length=255)
    sender_number = models.CharField(_("nomor surat"), max_length=120)
    letter_date = models.DateField(_("tanggal surat"))
    received_date = models.DateField(_("tanggal diterima"))
    subject = models.CharField(_("perihal"), max_length=500)
    nature = models.CharField(_("sifat"), max_length=20, choices=Nature.choices, default=Nature.BIASA)
    classification = models.ForeignKey(
        ClassificationCode, verbose_name=_("kode klasifikasi"), on_delete=models.PROTECT, related_name="letters"
    )
    status = models.CharField(
        _("status"), max_length=30, choices=Status.choices, default=Status.AWAITING_DISPOSITION, db_index=True
    )
    filed_without_disposition = models.BooleanField(_("diarsipkan tanpa disposisi"), default=False)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField(_("didaftarkan"), default=timezone.now)
    archived_at = models.DateTimeField(_("diarsipkan"), null=True, blank=True)
    cancel_reason = models.TextField(_("alasan pembatalan"), blank=True)
    cancelled_at = models.DateTimeField(_("dibatalkan"), null=True, blank=True)
    process = models.OneToOneField(
        "viewflow.Process", null=True, blank=True, on_delete=models.SET_NULL, related_name="letter"
    )

    objects = LetterQuerySet.as_manager()

    class Meta:
        verbose_name = _("surat masuk")
        verbose_name_plural = _("surat masuk")
        ordering = ["-agenda_year", "-agenda_number"]
        constraints = [
            models.UniqueConstraint(fields=["agenda_year", "agenda_number"], name="unique_agenda_number_per_year")
        ]
        permissions = [("view_all_letters", _("Melihat semua surat masuk"))]

    def __str__(self):
        return f"{self.agenda_label} — {self.subject}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("letters:detail", args=[self.pk])

    @property
    def awaiting_disposition(self):
        """Registered and not yet disposed or filed: the registrar may still correct or cancel it."""
        return self.status == self.Status.AWAITING_DISPOSITION

    @property
    def agenda_label(self):
        return f"{self.agenda_number:04d}/{self.agenda_year}"

    @property
    def scan(self):
        """The scanned letter (its newest version is the stamped copy once stamping ran)."""
        return self.documents(SCAN).first()

    def file_stem(self):
        return f"surat-{self.agenda_year}-{self.agenda_number:04d}"

    def evidence_title(self):
        return f"Surat masuk {self.agenda_label}"

    def evidence_metadata(self):
        return {
            "Nomor agenda": self.agenda_label,
            "Pengirim": self.sender,
            "Nomor surat": self.sender_number,
            "Tanggal surat": self.letter_date.isoformat(),
            "Tanggal diterima": self.received_date.isoformat(),
            "Perihal": self.subject,
            "Sifat": self.get_nature_display(),
            "Klasifikasi": str(self.classification),
            "Status": self.get_status_display(),
        }


class Instruction(models.TextChoices):
    """The standard disposition instructions of the secretariat's lembar disposisi."""

    DIKETAHUI = "diketahui", _("Untuk diketahui")
    DITINDAKLANJUTI = "ditindaklanjuti", _("Untuk ditindaklanjuti")
    DIBAHAS = "dibahas", _("Untuk dibahas")
    SIAPKAN_JAWABAN = "jawaban", _("Siapkan jawaban")
    HADIRI = "hadiri", _("Hadiri / wakili")
    KOORDINASIKAN = "koordinasi", _("Koordinasikan")
    PENDAPAT = "pendapat", _("Berikan saran / pendapat")
    ARSIPKAN = "arsipkan", _("Arsipkan")


class Disposition(models.Model):
    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="dispositions")
    instruction = models.CharField(_("instruksi"), max_length=30, choices=Instruction.choices)
    note = models.TextField(_("catatan"), blank=True)
    # None for "untuk diketahui": the units only take note, nothing can be late
    deadline = models.DateField(_("batas waktu"), null=True, blank=True)
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    acting_for = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    given_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["given_at", "pk"]


class DispositionBranch(models.Model):
    """One recipient unit's follow-up of a disposition."""

    class Status(models.TextChoices):
        OPEN = "open", _("Belum diambil")
        CLAIMED = "claimed", _("Sedang ditindaklanjuti")
        CLOSED = "closed", _("Selesai")

    disposition = models.ForeignKey(Disposition, on_delete=models.CASCADE, related_name="branches")
    unit = models.ForeignKey(Unit, verbose_name=_("unit tujuan"), on_delete=models.PROTECT, related_name="branches")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    # the deadline this unit works to: the disposition's, until the chair grants an extension
    deadline = models.DateField(_("batas waktu"), null=True, blank=True)
    overdue = models.BooleanField(_("lewat batas waktu"), default=False)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    forwarded_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    forward_note = models.TextField(_("catatan penerusan"), blank=True)
    report = models.TextField(_("laporan tindak lanjut"), blank=True)
    report_document = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["disposition", "unit__name"]
        constraints = [models.UniqueConstraint(fields=["disposition", "unit"], name="one_branch_per_unit")]
        indexes = [
            # open branches past their deadline (``services.open_overdue_branches``): a few among every branch ever
            models.Index(
                fields=["disposition"], condition=Q(overdue=True) & ~Q(status="closed"), name="open_overdue_branch"
            ),
        ]

    def __str__(self):
        return f"{self.disposition.letter.agenda_label} → {self.unit}"

    @property
    def letter(self):
        return self.disposition.letter


class DeadlineExtension(models.Model):
    """A unit's request to the chair for a later deadline on its branch, and the chair's answer.

    The chair decides it as a task of ``ExtensionFlow`` (its process's
    artifact is the letter, so the inbox shows and guards it like any
    letter task). One open request per branch at a time; closing the branch
    withdraws a request still pending and cancels the chair's task.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu keputusan")
        GRANTED = "granted", _("Dikabulkan")
        REFUSED = "refused", _("Ditolak")
        # the branch was closed before the chair decided: nothing left to extend
        WITHDRAWN = "withdrawn", _("Gugur — tindak lanjut sudah selesai")

    branch = models.ForeignKey(DispositionBranch, on_delete=models.CASCADE, related_name="extensions")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    previous_deadline = models.DateField(_("batas waktu semula"))
    new_deadline = models.DateField(_("batas waktu baru yang diminta"))
    reason = models.TextField(_("alasan"))
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acting_for = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("catatan keputusan"), blank=True)

    class Meta:
        ordering = ["requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["branch"], condition=Q(status="pending"), name="one_pending_extension_per_branch"
            )
        ]

    def __str__(self):
        return f"{self.branch}: {self.new_deadline}"
