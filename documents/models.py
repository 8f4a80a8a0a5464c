"""The document store.

- ``Blob``: one stored file, named by its SHA-256; identical content is
  stored once, whoever uploads it.
- ``Document``: a file that belongs to some workflow object (its *owner*, any
  model) in a *role* (the letter's scan, an attachment, a report). Who may
  see a document is decided by its owner (see ``documents.owners``).
- ``DocumentVersion``: the document's history; a new version (a stamped
  copy, a corrected scan) never overwrites an old one.
- ``PageText``: the text layer of a version, page by page, from the PDF's
  own text or from OCR.
- ``ClassificationCode``: archive classification (Permendagri 83/2022) with
  its retention schedule (JRA); ``DisposalDecision`` records what the
  archivist decided for an item — nothing is ever deleted automatically.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .storage import private_storage


class FinalDisposition(models.TextChoices):
    MUSNAH = "musnah", _("Musnah")
    PERMANEN = "permanen", _("Permanen")
    DINILAI_KEMBALI = "dinilai_kembali", _("Dinilai kembali")


class ClassificationCode(models.Model):
    code = models.CharField(_("kode"), max_length=32, unique=True)
    name = models.CharField(_("nama"), max_length=255)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    active_years = models.PositiveSmallIntegerField(_("retensi aktif (tahun)"), null=True, blank=True)
    inactive_years = models.PositiveSmallIntegerField(_("retensi inaktif (tahun)"), null=True, blank=True)
    final_disposition = models.CharField(
        _("keterangan akhir"), max_length=20, choices=FinalDisposition.choices, blank=True
    )

    class Meta:
        verbose_name = _("kode klasifikasi arsip")
        verbose_name_plural = _("kode klasifikasi arsip")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} — {self.name}"

    def retention(self):
        """(active years, inactive years, final disposition), inherited from the nearest coded ancestor."""
        code = self
        while code is not None:
            if code.active_years is not None:
                return code.active_years, code.inactive_years or 0, code.final_disposition
            code = code.parent
        return None


def blob_path(instance, filename):
    return f"blobs/{instance.sha256[:2]}/{instance.sha256[2:4]}/{instance.sha256}"


class Blob(models.Model):
    sha256 = models.CharField(max_length=64, unique=True)
    size = models.PositiveBigIntegerField()
    media_type = models.CharField(max_length=100)
    file = models.FileField(storage=private_storage, upload_to=blob_path, max_length=200)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.sha256


class Document(models.Model):
    owner_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    owner_id = models.CharField(max_length=64)
    owner = GenericForeignKey("owner_type", "owner_id")
    role = models.CharField(_("peran"), max_length=40)
    title = models.CharField(_("judul"), max_length=255)
    # empty for files that came from outside SIAP's users (a resident's attachment, a mailbox)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("dokumen")
        verbose_name_plural = _("dokumen")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["owner_type", "owner_id", "role"])]
        permissions = [("export_evidence", _("Mengunduh paket bukti audit"))]

    def __str__(self):
        return self.title

    @property
    def current(self):
        return self.versions.order_by("-number").first()


class TextStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu ekstraksi")
    RUNNING = "running", _("Sedang diekstraksi")
    OCR = "ocr", _("Sedang OCR")
    DONE = "done", _("Teks tersedia")
    PARTIAL = "partial", _("Teks sebagian")  # some pages could not be read; the version's problems say which
    EMPTY = "empty", _("Tanpa teks")  # read to the end, nothing stored: blank pages, or scans without OCR
    ENCRYPTED = "encrypted", _("Terenkripsi")
    FAILED = "failed", _("Gagal dibaca")
    NOT_APPLICABLE = "n/a", _("Bukan dokumen teks")


class DocumentVersion(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    blob = models.ForeignKey(Blob, on_delete=models.PROTECT, related_name="versions")
    original_name = models.CharField(_("nama berkas asli"), max_length=255)
    note = models.CharField(_("keterangan"), max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    text_status = models.CharField(max_length=20, choices=TextStatus.choices, default=TextStatus.PENDING)
    text_problems = models.JSONField(default=list, blank=True)
    text_updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("versi dokumen")
        verbose_name_plural = _("versi dokumen")
        ordering = ["document", "number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="one_number_per_version")]

    def __str__(self):
        return f"{self.document} v{self.number}"

    @property
    def sha256(self):
        return self.blob.sha256

    @property
    def size(self):
        return self.blob.size

    @property
    def media_type(self):
        return self.blob.media_type

    def text(self):
        return "\n\n".join(page.text for page in self.pages.order_by("number"))

    def problem_messages(self):
        """What reading (and stamping) this version ran into, in plain words (``documents.outcomes``)."""
        from .outcomes import describe

        return describe(self.text_problems)

    def text_sources(self):
        """[(source label, page ranges)]: which pages' text came from the PDF's own layer and which from OCR."""
        from .outcomes import page_ranges

        by_source = {}
        for number, source in self.pages.values_list("number", "source"):
            by_source.setdefault(source, []).append(number)
        return [(PageText.Source(source).label, page_ranges(numbers)) for source, numbers in sorted(by_source.items())]


class PageText(models.Model):
    class Source(models.TextChoices):
        PDF = "pdf", _("Lapisan teks PDF")
        OCR = "ocr", _("OCR")

    version = models.ForeignKey(DocumentVersion, on_delete=models.CASCADE, related_name="pages")
    number = models.PositiveIntegerField()
    text = models.TextField(blank=True)
    source = models.CharField(max_length=10, choices=Source.choices)

    class Meta:
        ordering = ["version", "number"]
        constraints = [models.UniqueConstraint(fields=["version", "number"], name="one_text_per_page")]


class DisposalDecision(models.Model):
    """The archivist's recorded decision on an archive item past its retention."""

    item_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    item_id = models.CharField(max_length=64)
    item = GenericForeignKey("item_type", "item_id")
    decision = models.CharField(_("keputusan"), max_length=20, choices=FinalDisposition.choices)
    note = models.TextField(_("catatan"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("keputusan penyusutan")
        verbose_name_plural = _("keputusan penyusutan")
        ordering = ["-decided_at"]
        permissions = [("manage_retention", _("Mengelola retensi dan penyusutan arsip"))]
