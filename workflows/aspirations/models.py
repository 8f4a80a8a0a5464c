"""Public aspirations: what residents send the council by web form, e-mail or WhatsApp.

Every message that starts something becomes one ``Aspiration`` with a
tracking code nobody can derive from another code, the channel it came by
and its own life in a Viewflow process (``flows.py``): received → verified
by the secretariat's desk (valid, merged into an open duplicate, referred
elsewhere, or waiting for more information) → disposed by the Pimpinan to
a commission or AKD, or to the members of the resident's dapil → followed
up → answered (approved by the unit head) through the channel it came by
→ closed, unless the resident replies within 10 working days (once).

``AspirationStatus`` rows are the public timeline the tracking page shows;
``AspirationMessage`` rows are what went in and out through the channels.
Mailboxes (``MailAccount``, ``MailRule``, ``ProcessedMail``) and WhatsApp
deliveries (``WhatsAppInbound``) keep each channel's bookkeeping, so each
e-mail and each ``wamid`` is handled exactly once.

Who sees which aspiration is one rule, ``AspirationQuerySet.visible_to``;
inside it, names and contacts are for the desk only
(``aspirations.view_aspiration_personal_data``) and a *rahasia* aspiration's
content only for those who handle it (``Aspiration.is_handled_by``).
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from project.org.models import CouncilMember, Unit
from project.reference.models import Kelurahan
from workflows.subjects import Subject

ATTACHMENT = "attachment"  # document role of what the resident sent
FOLLOW_UP_DOCUMENT = "follow_up"  # document role of what the unit attached while following up
DOCUMENT_ROLE_LABELS = {ATTACHMENT: _("Lampiran pengirim"), FOLLOW_UP_DOCUMENT: _("Dokumen tindak lanjut")}

# Tracking codes: "ASP-" and 10 characters of Crockford's base32 (50 random bits; no I, L, O, U to misread).
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 10


def new_tracking_code():
    body = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return f"ASP-{body[:5]}-{body[5:]}"


def normalise_tracking_code(text):
    """What a resident types (lower case, spaces, O for 0) as the stored form, or "" when it cannot be one."""
    cleaned = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    cleaned = cleaned.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))
    if cleaned.startswith("ASP"):
        cleaned = cleaned[3:]
    if len(cleaned) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in cleaned):
        return ""
    return f"ASP-{cleaned[:5]}-{cleaned[5:]}"


class Category(models.TextChoices):
    ASPIRATION = "aspirasi", _("Aspirasi")
    COMPLAINT = "pengaduan", _("Pengaduan")
    INFORMATION = "informasi", _("Permintaan informasi")


def whatsapp_number(phone):
    """An Indonesian mobile number as WhatsApp writes it (``08…``/``+628…`` → ``628…``), or "" when it is not one."""
    digits = "".join(ch for ch in (phone or "") if ch.isdigit())
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    return digits if digits.startswith("628") and 10 <= len(digits) <= 15 else ""


class CategoryDeadline(models.Model):
    """Working days each step may take, per category (defaults: SP4N-LAPOR's 3 to verify, 5 to follow up)."""

    category = models.CharField(_("kategori"), max_length=30, unique=True, choices=Category.choices)
    verify_days = models.PositiveSmallIntegerField(_("verifikasi (hari kerja)"), default=3)
    follow_up_days = models.PositiveSmallIntegerField(_("tindak lanjut dan jawaban (hari kerja)"), default=5)
    escalate_after_days = models.PositiveSmallIntegerField(
        _("eskalasi ke Sekretaris DPRD (hari kerja setelah batas)"), default=2,
        help_text=_("Saat batas lewat, kepala unit diberi tahu; sekian hari kerja kemudian Sekretaris DPRD."),
    )

    class Meta:
        verbose_name = _("batas waktu aspirasi")
        verbose_name_plural = _("batas waktu aspirasi")

    def __str__(self):
        return str(self.get_category_display())


class AspirationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The one rule for who sees which aspiration; every list, page, file, export, search item and API call uses it.

        - the desk and auditors (``aspirations.view_all_aspirations``) and superusers: every aspiration;
        - the chair, whoever acts for the chair now, and members of the Pimpinan unit: every aspiration;
        - the heads of the desk's section and of the Sekretariat (they hear of late ones): every aspiration;
        - members of the unit an aspiration was disposed to, and whoever acts for its head now: that aspiration;
        - council members it was disposed to (the resident's dapil): that aspiration;
        - nobody else (residents follow theirs on the public tracking page, by code).
        """

        if not user.is_authenticated:
            return self.none()
        if user.is_superuser or user.has_perm("aspirations.view_all_aspirations") or sees_every_aspiration(user):
            return self
        return self.filter(Q(unit__in=handled_units(user)) | Q(members__user=user)).distinct()

    def with_content_shown(self, user):
        """Each aspiration annotated with ``content_shown`` (may ``user`` read it?), in the list's own query: a
        page of rows costs one query, not a few per *rahasia* row."""
        readable = Aspiration.objects.content_visible_to(user).filter(pk=OuterRef("pk"))
        return self.annotate(content_shown=Exists(readable))

    def content_visible_to(self, user):
        """Those whose subject, text and files ``user`` may read: a *rahasia* one only by those who handle it."""

        visible = self.visible_to(user)
        if user.is_superuser or user.has_perm("aspirations.handle_aspiration") or sees_every_aspiration(user):
            return visible
        confidential = Aspiration.Privacy.CONFIDENTIAL
        return visible.filter(~Q(privacy=confidential) | Q(unit__in=handled_units(user)) | Q(members__user=user)).distinct()


def handled_units(user):
    """The units whose aspirations ``user`` works on: their own, and those whose head they act for now
    (a delegation: the unit head's approval comes to them)."""
    from django.utils import timezone

    from project.org import services as org
    from project.org.models import Delegation, Position

    acting = Delegation.objects.active(timezone.now()).filter(delegate=user, position__role=Position.Role.HEAD)
    return Unit.objects.filter(Q(pk__in=org.units_of(user).values("pk")) | Q(pk__in=acting.values("position__unit")))


def overseeing_positions():
    """The positions that oversee every aspiration: the chair, who disposes them, and the heads who hear of late
    ones — of the desk's section and the Sekretaris DPRD (``SIAP_ASPIRATION_DESK_UNIT``, ``SIAP_SECRETARY_UNIT``)."""
    from project.org import services as org
    from project.org.models import Position

    codes = [org.CHAIR_UNIT_CODE, settings.SIAP_ASPIRATION_DESK_UNIT, settings.SIAP_SECRETARY_UNIT]
    return Position.objects.filter(unit__code__in=codes, role=Position.Role.HEAD)


def sees_every_aspiration(user):
    """Holders of an overseeing position (or whoever acts for one now) and the Pimpinan's members."""
    from project.org import services as org

    for position in overseeing_positions():
        if position.holder_id == user.pk or org.acts_for(user, position):
            return True
    return org.units_of(user).filter(code=org.CHAIR_UNIT_CODE).exists()


class Aspiration(Subject, models.Model):
    not_found = _("Aspirasi tidak ditemukan.")

    class Channel(models.TextChoices):
        WEB = "web", _("Formulir web")
        EMAIL = "email", _("Surel")
        WHATSAPP = "whatsapp", _("WhatsApp")

    Category = Category

    class Privacy(models.TextChoices):
        NORMAL = "biasa", _("Biasa")
        ANONYMOUS = "anonim", _("Anonim (nama tidak ditampilkan kepada siapa pun)")
        CONFIDENTIAL = "rahasia", _("Rahasia (isi hanya untuk petugas yang menangani)")

    class Status(models.TextChoices):
        RECEIVED = "diterima", _("Diterima, menunggu verifikasi")
        NEEDS_INFO = "perlu_informasi", _("Menunggu keterangan tambahan dari pengirim")
        MERGED = "digabung", _("Digabung dengan aspirasi lain")
        REFERRED = "bukan_kewenangan", _("Bukan kewenangan DPRD, dirujuk")
        VERIFIED = "terverifikasi", _("Terverifikasi, menunggu disposisi pimpinan")
        IN_FOLLOW_UP = "ditindaklanjuti", _("Sedang ditindaklanjuti")
        ANSWER_DRAFTED = "jawaban_disusun", _("Jawaban menunggu persetujuan")
        ANSWERED = "dijawab", _("Dijawab")
        CLOSED = "selesai", _("Selesai")

    FINISHED = (Status.MERGED, Status.REFERRED, Status.CLOSED)

    code = models.CharField(_("kode pelacakan"), max_length=20, unique=True, default=new_tracking_code, editable=False)
    channel = models.CharField(_("saluran"), max_length=20, choices=Channel.choices)
    category = models.CharField(_("kategori"), max_length=30, choices=Category.choices, default=Category.ASPIRATION)
    privacy = models.CharField(_("kerahasiaan"), max_length=10, choices=Privacy.choices, default=Privacy.NORMAL)

    # personal data: the desk only (view_aspiration_personal_data); never on the tracking page
    name = models.CharField(_("nama"), max_length=200, blank=True)
    phone = models.CharField(_("telepon"), max_length=30, blank=True)
    email = models.EmailField(_("surel"), blank=True)
    wa_id = models.CharField(_("nomor WhatsApp"), max_length=30, blank=True, db_index=True)
    consent_at = models.DateTimeField(_("persetujuan pemrosesan data"), null=True, blank=True)

    kelurahan = models.ForeignKey(
        Kelurahan, verbose_name=_("kelurahan"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subject = models.CharField(_("perihal"), max_length=200)
    text = models.TextField(_("isi"))

    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED, db_index=True)
    received_at = models.DateTimeField(_("diterima"), db_index=True)
    verify_due = models.DateField(_("batas verifikasi"), null=True, blank=True)
    follow_up_due = models.DateField(_("batas tindak lanjut"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("dieskalasi"), null=True, blank=True)

    merged_into = models.ForeignKey(
        "self", verbose_name=_("digabung ke"), null=True, blank=True, on_delete=models.PROTECT, related_name="merged"
    )
    referral_note = models.TextField(_("catatan rujukan"), blank=True)
    info_request = models.TextField(_("keterangan yang diminta"), blank=True)

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit tujuan"), null=True, blank=True, on_delete=models.PROTECT, related_name="aspirations"
    )
    members = models.ManyToManyField(CouncilMember, verbose_name=_("anggota dapil"), blank=True, related_name="aspirations")
    disposition_note = models.TextField(_("catatan disposisi"), blank=True)
    disposed_at = models.DateTimeField(_("didisposisi"), null=True, blank=True)

    answer = models.TextField(_("jawaban"), blank=True)  # public: shown on the tracking page once sent
    answer_drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answer_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answer_return_note = models.TextField(_("catatan pengembalian jawaban"), blank=True)
    answered_at = models.DateTimeField(_("dijawab"), null=True, blank=True)
    reopened_at = models.DateTimeField(_("dibuka kembali"), null=True, blank=True)  # at most once
    closed_at = models.DateTimeField(_("selesai"), null=True, blank=True)

    # what it became inside the council (the resident sees that it was taken up)
    pokir = models.ForeignKey("pokir.Pokir", verbose_name=_("dijadikan pokir"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="aspirations")
    agenda_item = models.ForeignKey("minutes.AgendaItem", verbose_name=_("dibahas dalam rapat"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="aspirations")

    process = models.OneToOneField("viewflow.Process", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="aspiration")

    objects = AspirationQuerySet.as_manager()

    class Meta:
        verbose_name = _("aspirasi")
        verbose_name_plural = _("aspirasi")
        ordering = ["-received_at", "-pk"]
        indexes = [models.Index(fields=["channel", "received_at"]), models.Index(fields=["unit", "status"])]
        permissions = [
            ("view_all_aspirations", _("Melihat semua aspirasi")),
            ("handle_aspiration", _("Memverifikasi dan menangani aspirasi (meja aspirasi)")),
            ("view_aspiration_personal_data", _("Melihat nama dan kontak pengirim aspirasi")),
            ("export_aspirations", _("Mengekspor daftar aspirasi")),
            ("follow_up_aspiration", _("Menindaklanjuti aspirasi (anggota dapil yang dituju)")),
        ]

    def __str__(self):
        return f"{self.code} — {self.subject}"

    def task_nature(self):
        """A confidential aspiration is *rahasia* in inboxes, as a letter is; the others carry no urgency."""
        if self.privacy == self.Privacy.CONFIDENTIAL:
            return self.privacy, _("Rahasia")
        return None

    def task_counterpart(self):
        """The channel it came by: the sender's name stays with the desk (personal data)."""
        return self.get_channel_display()

    def get_absolute_url(self):
        return reverse("aspirations:detail", args=[self.pk])

    def tracking_url(self):
        return reverse("aspirations:track", args=[self.code])

    def file_stem(self):
        return f"aspirasi-{self.code.lower()}"

    def evidence_title(self):
        return f"Aspirasi {self.code}"

    def evidence_metadata(self):
        """The register data for auditors' evidence: no name or contact (auditors are not the desk)."""
        return {
            "Kode": self.code,
            "Saluran": self.get_channel_display(),
            "Kategori": self.get_category_display(),
            "Kerahasiaan": self.get_privacy_display(),
            "Kelurahan": str(self.kelurahan or ""),
            "Perihal": self.subject if not self.confidential else "(rahasia)",
            "Status": self.get_status_display(),
            "Unit tujuan": str(self.unit or ""),
            "Jawaban": self.answer if not self.confidential else "(rahasia)",
        }

    def evidence_documents(self):
        """Auditors do not read a *rahasia* aspiration's content: its bundle carries the register and the trail only."""
        return self.documents().none() if self.confidential else self.documents()

    @property
    def current_due(self):
        """The deadline of the step it is in (verification, follow-up), or None (``services.late_aspirations``
        is the same rule for a queryset)."""
        if self.status == self.Status.RECEIVED:
            return self.verify_due
        if self.status in (self.Status.IN_FOLLOW_UP, self.Status.ANSWER_DRAFTED):
            return self.follow_up_due
        return None

    @property
    def anonymous(self):
        return self.privacy == self.Privacy.ANONYMOUS

    @property
    def confidential(self):
        return self.privacy == self.Privacy.CONFIDENTIAL

    @property
    def finished(self):
        return self.status in self.FINISHED

    def is_handled_by(self, user):
        """Those who work on it: the desk, the Pimpinan who dispose it, the unit or members it went to."""

        if not user.is_authenticated:
            return False
        if user.is_superuser or user.has_perm("aspirations.handle_aspiration") or sees_every_aspiration(user):
            return True
        if self.unit_id and handled_units(user).filter(pk=self.unit_id).exists():
            return True
        return self.members.filter(user=user).exists()

    def sender_shown_to(self, user):
        """The sender's name as ``user`` may see it: never for *anonim*, only the desk otherwise."""
        if self.anonymous:
            return _("Anonim")
        if not user.has_perm("aspirations.view_aspiration_personal_data"):
            return _("(disembunyikan)")
        return self.name or _("(tanpa nama)")

    def content_shown_to(self, user):
        """Whether ``user`` may read the subject, text and attachments (*rahasia*: handlers only)."""
        return not self.confidential or self.is_handled_by(user)


class AspirationStatus(models.Model):
    """One step of the public timeline: what the resident sees on the tracking page (no names, no contacts)."""

    aspiration = models.ForeignKey(Aspiration, on_delete=models.CASCADE, related_name="timeline")
    status = models.CharField(_("status"), max_length=20, choices=Aspiration.Status.choices)
    public_note = models.TextField(_("keterangan untuk pengirim"), blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]


class FollowUpNote(models.Model):
    """What the unit did: a note, optionally a meeting it was discussed in (documents hang on the aspiration)."""

    aspiration = models.ForeignKey(Aspiration, on_delete=models.CASCADE, related_name="follow_up_notes")
    text = models.TextField(_("catatan"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]


class AspirationMessage(models.Model):
    """A message through a channel: the resident's (in) or SIAP's (out), with its delivery as the channel reports it."""

    class Direction(models.TextChoices):
        IN = "in", _("Masuk")
        OUT = "out", _("Keluar")

    class Purpose(models.TextChoices):
        ORIGINAL = "original", _("Pesan awal")
        RECEIPT = "receipt", _("Tanda terima dan kode pelacakan")
        INFO_REQUEST = "info_request", _("Permintaan keterangan")
        STATUS = "status", _("Perubahan status")
        ANSWER = "answer", _("Jawaban")
        REPLY = "reply", _("Balasan pengirim")

    class Delivery(models.TextChoices):
        PENDING = "pending", _("Menunggu dikirim")
        SENDING = "sending", _("Sedang dikirim")
        SENT = "sent", _("Terkirim")
        DELIVERED = "delivered", _("Diterima")
        READ = "read", _("Dibaca")
        FAILED = "failed", _("Gagal")
        NOT_SENT = "not_sent", _("Tidak dikirim (tanpa kontak atau saluran belum dikonfigurasi)")

    aspiration = models.ForeignKey(Aspiration, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(max_length=3, choices=Direction.choices)
    channel = models.CharField(max_length=20, choices=Aspiration.Channel.choices)
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    text = models.TextField(blank=True)
    external_id = models.CharField(max_length=300, blank=True, db_index=True)  # wamid, Message-ID
    delivery = models.CharField(max_length=20, choices=Delivery.choices, default=Delivery.PENDING)
    error = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    sending_since = models.DateTimeField(null=True, blank=True)  # a worker took it; long ago means the worker died

    class Meta:
        ordering = ["at", "pk"]


class MailAccount(models.Model):
    """A mailbox residents write to, read over IMAP on a schedule (like Paperless-ngx's mail accounts)."""

    class Security(models.TextChoices):
        NONE = "none", _("Tanpa enkripsi")
        SSL = "ssl", _("SSL/TLS")
        STARTTLS = "starttls", _("STARTTLS")

    name = models.CharField(_("nama"), max_length=100, unique=True)
    imap_server = models.CharField(_("server IMAP"), max_length=200)
    imap_port = models.PositiveIntegerField(_("port IMAP"), default=993)
    imap_security = models.CharField(_("keamanan"), max_length=10, choices=Security.choices, default=Security.SSL)
    username = models.CharField(_("nama pengguna"), max_length=200)
    password = models.CharField(_("kata sandi"), max_length=200)
    reply_from = models.EmailField(_("alamat pengirim balasan"), blank=True,
                                   help_text=_("Kosong: alamat pengirim bawaan SIAP."))
    enabled = models.BooleanField(_("aktif"), default=True)
    last_checked_at = models.DateTimeField(_("terakhir diperiksa"), null=True, blank=True)
    last_error = models.TextField(_("galat terakhir"), blank=True)

    class Meta:
        verbose_name = _("kotak surel aspirasi")
        verbose_name_plural = _("kotak surel aspirasi")

    def __str__(self):
        return self.name


class MailRule(models.Model):
    """Which messages of a mailbox become aspirations, and what is done with them afterwards."""

    class Action(models.TextChoices):
        MARK_READ = "mark_read", _("Tandai sudah dibaca")
        MOVE = "move", _("Pindahkan ke folder")

    account = models.ForeignKey(MailAccount, verbose_name=_("kotak surel"), on_delete=models.CASCADE, related_name="rules")
    name = models.CharField(_("nama"), max_length=100)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    folder = models.CharField(_("folder"), max_length=200, default="INBOX")
    filter_from = models.CharField(_("pengirim memuat"), max_length=200, blank=True)
    filter_subject = models.CharField(_("perihal memuat"), max_length=200, blank=True)
    category = models.CharField(_("kategori"), max_length=30, choices=Aspiration.Category.choices,
                                default=Aspiration.Category.ASPIRATION)
    action = models.CharField(_("sesudah diproses"), max_length=20, choices=Action.choices, default=Action.MARK_READ)
    action_parameter = models.CharField(_("folder tujuan"), max_length=200, blank=True)
    enabled = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("aturan surel")
        verbose_name_plural = _("aturan surel")
        ordering = ["account", "order", "pk"]

    def __str__(self):
        return f"{self.account}: {self.name}"


class ProcessedMail(models.Model):
    """One message of one mailbox folder, handled once: the row is written before the aspiration is made.

    (account, folder, UIDVALIDITY, UID) says which message it was in the mailbox; the Message-ID
    catches the same message seen again under another UID (moved, copied, re-delivered).
    """

    class Status(models.TextChoices):
        PROCESSING = "processing", _("Sedang diproses")
        DONE = "done", _("Selesai")
        REFUSED = "refused", _("Ditolak")
        FAILED = "failed", _("Gagal")

    account = models.ForeignKey(MailAccount, on_delete=models.CASCADE, related_name="processed")
    rule = models.ForeignKey(MailRule, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    folder = models.CharField(max_length=200)
    uid_validity = models.CharField(max_length=40, blank=True)
    uid = models.CharField(max_length=40)
    message_id = models.CharField(max_length=998, blank=True)
    sender = models.CharField(max_length=300, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PROCESSING)
    error = models.TextField(blank=True)
    aspiration = models.ForeignKey(Aspiration, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("surel yang diproses")
        verbose_name_plural = _("surel yang diproses")
        constraints = [
            models.UniqueConstraint(fields=["account", "folder", "uid_validity", "uid"], name="one_row_per_mailbox_uid"),
            models.UniqueConstraint(fields=["account", "message_id"], condition=~Q(message_id=""),
                                    name="one_row_per_message_id"),
        ]


class WhatsAppInbound(models.Model):
    """A message received from the WhatsApp Cloud API, by ``wamid``: a webhook delivered twice changes nothing."""

    wamid = models.CharField(max_length=200, unique=True)
    wa_id = models.CharField(max_length=30, db_index=True)
    kind = models.CharField(max_length=20)  # text, image, document, …
    received_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)  # the message's own timestamp
    aspiration = models.ForeignKey(Aspiration, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("pesan WhatsApp masuk")
        verbose_name_plural = _("pesan WhatsApp masuk")
