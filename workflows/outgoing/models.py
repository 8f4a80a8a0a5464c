"""Official letters of the council's organs (e-Piper: naskah dinas keluar).

An ``OutgoingLetter`` is drafted by a unit's staff from a kind's template,
verified by the head of the drafting unit, initialled (paraf) by up to three
officials in the order configured for its signer (``ParafRule``), signed by
the signer's position (the number is taken at that moment, ``NumberCounter``),
and dispatched: e-mail to outside addressees, delivery of a nota dinas into
the recipient units' queues, or printed and sent by courier (``Dispatch``).
The signed PDF is a document it owns (role ``final``); its public
``verification_token`` is what the QR code on the PDF opens.
"""

import secrets

from django.conf import settings
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from documents.models import ClassificationCode
from project.org.models import Position, Unit
from workflows.letters.models import Nature
from workflows.subjects import Subject

from .kinds import Kind

# Roles of the letter's documents.
FINAL, ATTACHMENT = "final", "attachment"
DOCUMENT_ROLE_LABELS = {FINAL: _("Naskah bertanda tangan elektronik"), ATTACHMENT: _("Lampiran")}


class Aspect(models.TextChoices):
    """What each official in the paraf chain checks (in this order, as the regulation lists them)."""

    SUBSTANSI = "substansi", _("Substansi")
    REDAKSI = "redaksi", _("Redaksi")
    PENGETIKAN = "pengetikan", _("Pengetikan")


class ParafRule(models.Model):
    """The configured paraf chain for letters signed by one position: at most three officials, in order."""

    signer_position = models.ForeignKey(
        Position, verbose_name=_("penanda tangan"), on_delete=models.CASCADE, related_name="paraf_rules"
    )
    order = models.PositiveSmallIntegerField(_("urutan"), choices=[(1, "1"), (2, "2"), (3, "3")])
    aspect = models.CharField(_("yang diperiksa"), max_length=20, choices=Aspect.choices)
    position = models.ForeignKey(Position, verbose_name=_("pemaraf"), on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("aturan paraf")
        verbose_name_plural = _("aturan paraf")
        ordering = ["signer_position", "order"]
        constraints = [
            models.UniqueConstraint(fields=["signer_position", "order"], name="one_paraf_per_order"),
            models.UniqueConstraint(fields=["signer_position", "position"], name="one_paraf_per_official"),
        ]

    def __str__(self):
        return f"{self.signer_position}: {self.order}. {self.position} ({self.get_aspect_display()})"


class NumberCounter(models.Model):
    """The last serial number given to a unit's letters of one classification family in one year."""

    year = models.PositiveIntegerField()
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    family = models.CharField(max_length=20)  # the classification's main code, e.g. "000" for 000.8.3.3
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["year", "unit", "family"], name="one_counter_per_family")]

    @classmethod
    def next_number(cls, *, year, unit, family):
        """Take the next serial: gap-free and unique when many letters are signed at once.

        Must run inside the transaction that signs the letter: the row stays
        locked (SELECT … FOR UPDATE) until it commits, so concurrent signings
        queue here, and a failed signing (a wrong passphrase) gives the number back.
        """
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("NumberCounter.next_number must run inside transaction.atomic()")
        cls.objects.get_or_create(year=year, unit=unit, family=family)
        counter = cls.objects.select_for_update().get(year=year, unit=unit, family=family)
        counter.last_number += 1
        counter.save(update_fields=["last_number"])
        return counter.last_number


def classification_family(code):
    """The main code a classification belongs to: ``000.8.3.3`` → ``000``."""
    return code.split(".", 1)[0]


def new_verification_token():
    return secrets.token_urlsafe(16)


class OutgoingLetterQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The one rule for who may see which outgoing letter; every list, page, file, search and API uses it.

        - the drafting unit's members: all of its letters, drafts included;
        - the officials in its chain — the verifier's, paraf officials' and
          signer's positions (held, or acted for now), and whoever acted on it:
          the letter, drafts included;
        - the units a nota dinas was delivered to: that letter, once delivered;
        - auditors, archivists and the registrar (``outgoing.view_all_outgoing``):
          signed letters that are not rahasia.
        Superusers see everything.
        """
        from project.org import services as org

        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        units = org.units_of(user)
        positions = org.positions_of(user)
        in_chain = (
            Q(drafting_unit__in=units)
            | Q(verifier_position__in=positions)
            | Q(signer_position__in=positions)
            | Q(signed_by=user)
            | Exists(ParafStep.objects.filter(letter=OuterRef("pk")).filter(Q(position__in=positions) | Q(initialled_by=user)))
            | Exists(Review.objects.filter(letter=OuterRef("pk"), by=user))
        )
        delivered = Exists(Dispatch.objects.filter(letter=OuterRef("pk"), unit__in=units, method=Dispatch.Method.INTERNAL))
        rule = in_chain | delivered
        if user.has_perm("outgoing.view_all_outgoing"):
            rule |= Q(status__in=OutgoingLetter.SIGNED_STATES) & ~Q(nature=Nature.RAHASIA)
        return self.filter(rule)

    def signed(self):
        return self.filter(status__in=OutgoingLetter.SIGNED_STATES)


class OutgoingLetter(Subject, models.Model):
    not_found = _("Naskah dinas tidak ditemukan.")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        RETURNED = "returned", _("Dikembalikan untuk diperbaiki")
        VERIFYING = "verifying", _("Menunggu verifikasi")
        PARAF = "paraf", _("Menunggu paraf")
        SIGNING = "signing", _("Menunggu tanda tangan")
        SIGNED = "signed", _("Ditandatangani, menunggu pengiriman")
        SENT = "sent", _("Terkirim")

    EDITABLE = (Status.DRAFT, Status.RETURNED)
    SIGNED_STATES = (Status.SIGNED, Status.SENT)

    kind = models.CharField(_("jenis naskah"), max_length=30, choices=Kind.choices)
    drafting_unit = models.ForeignKey(
        Unit, verbose_name=_("unit pengolah"), on_delete=models.PROTECT, related_name="outgoing_letters"
    )
    nature = models.CharField(_("sifat"), max_length=20, choices=Nature.choices, default=Nature.BIASA)
    classification = models.ForeignKey(
        ClassificationCode, verbose_name=_("kode klasifikasi"), on_delete=models.PROTECT, related_name="outgoing_letters"
    )
    subject = models.CharField(_("hal / tentang"), max_length=500)
    addressees = models.TextField(_("kepada (Yth.)"), blank=True, help_text=_("Satu tujuan per baris."))
    addressee_place = models.CharField(_("di"), max_length=120, blank=True, default="Tempat")
    body = models.TextField(_("isi"), help_text=_("Paragraf dipisahkan baris kosong."))
    event_day = models.CharField(_("hari/tanggal acara"), max_length=120, blank=True)
    event_time = models.CharField(_("waktu acara"), max_length=120, blank=True)
    event_place = models.CharField(_("tempat acara"), max_length=255, blank=True)
    event_agenda = models.CharField(_("acara"), max_length=500, blank=True)
    copies = models.TextField(_("tembusan"), blank=True, help_text=_("Satu tembusan per baris."))
    email_recipients = models.TextField(
        _("dikirim melalui e-mail ke"), blank=True, help_text=_("Satu alamat e-mail per baris (penerima di luar DPRD).")
    )
    recipient_units = models.ManyToManyField(
        Unit, verbose_name=_("unit penerima (nota dinas)"), blank=True, related_name="incoming_memos"
    )
    reply_to = models.ForeignKey(
        "letters.Letter", verbose_name=_("membalas surat masuk"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="replies",
    )
    signer_position = models.ForeignKey(
        Position, verbose_name=_("penanda tangan"), on_delete=models.PROTECT, related_name="+"
    )
    on_behalf_of = models.ForeignKey(
        Position, verbose_name=_("atas nama (a.n.)"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    through_position = models.ForeignKey(
        Position, verbose_name=_("untuk beliau (u.b.) dari"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", help_text=_("Jabatan perantara bila mandat diteruskan satu tingkat ke bawah."),
    )
    verifier_position = models.ForeignKey(
        Position, verbose_name=_("verifikator"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)
    submitted_at = models.DateTimeField(_("diajukan"), null=True, blank=True)

    # set at signing, never changed afterwards
    number = models.CharField(_("nomor"), max_length=120, blank=True)
    number_year = models.PositiveIntegerField(null=True, blank=True, editable=False)
    number_family = models.CharField(max_length=20, blank=True, editable=False)
    serial = models.PositiveIntegerField(null=True, blank=True, editable=False)
    letter_date = models.DateField(_("tanggal"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_as = models.CharField(max_length=4, blank=True)  # "", "Plh.", "Plt.": the signer acted for the position
    signed_at = models.DateTimeField(_("ditandatangani"), null=True, blank=True)
    signed_sha256 = models.CharField(max_length=64, blank=True)
    verification_token = models.CharField(max_length=40, unique=True, default=new_verification_token, editable=False)
    sent_at = models.DateTimeField(_("dikirim"), null=True, blank=True)
    process = models.OneToOneField(
        "viewflow.Process", null=True, blank=True, on_delete=models.SET_NULL, related_name="outgoing_letter"
    )

    objects = OutgoingLetterQuerySet.as_manager()

    class Meta:
        verbose_name = _("naskah dinas keluar")
        verbose_name_plural = _("naskah dinas keluar")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["number_year", "drafting_unit", "number_family", "serial"], name="unique_outgoing_serial",
                condition=Q(serial__isnull=False),
            ),
            models.UniqueConstraint(fields=["number"], condition=~Q(number=""), name="unique_outgoing_number"),
        ]
        permissions = [("view_all_outgoing", _("Melihat semua naskah dinas keluar yang tidak rahasia"))]

    def __str__(self):
        return f"{self.number or _('(draf)')} — {self.subject}"

    def task_counterpart(self):
        """An inbox row names the letter's first addressee ("Yth. Kepala Dinas PU")."""
        return next((line.strip() for line in self.addressees.splitlines() if line.strip()), "")

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("outgoing:detail", args=[self.pk])

    @property
    def is_signed(self):
        return self.status in self.SIGNED_STATES

    @property
    def is_rahasia(self):
        return self.nature == Nature.RAHASIA

    @property
    def final_document(self):
        return self.documents(FINAL).first()

    def addressee_list(self):
        return _lines(self.addressees)

    def copy_list(self):
        return _lines(self.copies)

    def email_list(self):
        return _lines(self.email_recipients)

    def file_stem(self):
        if self.serial:
            return f"naskah-{self.number_year}-{self.drafting_unit.code}-{self.serial:04d}"
        return f"draf-naskah-{self.pk}"

    def evidence_title(self):
        return f"{self.get_kind_display()} {self.number or '(draf)'}"

    def evidence_metadata(self):
        return {
            "Jenis": self.get_kind_display(),
            "Nomor": self.number or "-",
            "Tanggal": self.letter_date.isoformat() if self.letter_date else "-",
            "Unit pengolah": str(self.drafting_unit),
            "Hal": self.subject,
            "Sifat": self.get_nature_display(),
            "Klasifikasi": str(self.classification),
            "Penanda tangan": str(self.signer_position),
            "SHA-256 naskah": self.signed_sha256 or "-",
            "Status": self.get_status_display(),
        }


def _lines(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class ParafStep(models.Model):
    """One official's paraf on one letter, copied from the signer's ``ParafRule`` when the chain starts."""

    letter = models.ForeignKey(OutgoingLetter, on_delete=models.CASCADE, related_name="paraf_steps")
    order = models.PositiveSmallIntegerField()
    aspect = models.CharField(max_length=20, choices=Aspect.choices)
    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="+")
    initialled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    initialled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["letter", "order"]
        constraints = [models.UniqueConstraint(fields=["letter", "order"], name="one_paraf_step_per_order")]


class Review(models.Model):
    """A decision on a draft along the way: verified, returned (with its note), initialled."""

    class Decision(models.TextChoices):
        VERIFIED = "verified", _("Diverifikasi")
        INITIALLED = "initialled", _("Diparaf")
        RETURNED = "returned", _("Dikembalikan")

    letter = models.ForeignKey(OutgoingLetter, on_delete=models.CASCADE, related_name="reviews")
    step = models.CharField(max_length=20)  # "verify" or "paraf"
    decision = models.CharField(max_length=20, choices=Decision.choices)
    note = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    acting_for = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]


class Dispatch(models.Model):
    """How a signed letter went out to one recipient."""

    class Method(models.TextChoices):
        EMAIL = "email", _("E-mail")
        INTERNAL = "internal", _("Nota dinas internal")
        COURIER = "courier", _("Dicetak, dikirim melalui kurir")

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu pengiriman")
        SENT = "sent", _("Terkirim")
        FAILED = "failed", _("Gagal, akan dicoba lagi")
        RECEIVED = "received", _("Diterima unit")

    letter = models.ForeignKey(OutgoingLetter, on_delete=models.CASCADE, related_name="dispatches")
    method = models.CharField(max_length=20, choices=Method.choices)
    recipient = models.CharField(max_length=255)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["at", "pk"]
