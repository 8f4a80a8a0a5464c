"""The append-only audit trail.

Every state change, assignment, delegation, download and export is one
``AuditEvent``: who did it, for whom they acted, when, from which address.
Rows are never updated or deleted: the model refuses it, and on PostgreSQL a
trigger refuses it too (see migrations 0002 and 0004). Each row is linked into
a hash chain right after it is committed (``chain``), so that a change made
past those guards shows in ``manage.py verify_trail``.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from .chain import schedule_linking
from .middleware import client_address, current_request


class AppendOnlyError(Exception):
    pass


class AuditEventQuerySet(models.QuerySet):
    def for_object(self, obj):
        return self.filter(
            content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True), object_id=str(obj.pk)
        )

    def update(self, **kwargs):
        raise AppendOnlyError("audit events are append-only")

    def delete(self):
        raise AppendOnlyError("audit events are append-only")

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        schedule_linking(self.db)
        return created


class AuditEvent(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64)
    subject = GenericForeignKey("content_type", "object_id")
    action = models.CharField(_("tindakan"), max_length=64)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("pengguna"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acting_for = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("atas nama"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)
    client_address = models.GenericIPAddressField(_("alamat klien"), null=True, blank=True)
    detail = models.JSONField(_("rincian"), default=dict, blank=True)
    # the hash chain (``chain``): empty until the row is linked, right after its transaction commits
    sequence = models.BigIntegerField(_("nomor urut rantai"), null=True, blank=True, unique=True, editable=False)
    previous_hash = models.CharField(_("hash sebelumnya"), max_length=64, blank=True, editable=False)
    row_hash = models.CharField(_("hash peristiwa"), max_length=64, blank=True, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("peristiwa audit")
        verbose_name_plural = _("jejak audit")
        ordering = ["at", "pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "at"]),
            # the few rows still to be linked, found without reading the whole trail
            models.Index(fields=["at", "id"], condition=models.Q(sequence__isnull=True), name="audit_event_unlinked"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("audit events are append-only")
        super().save(*args, **kwargs)
        schedule_linking(self._state.db)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit events are append-only")

    @classmethod
    def record(cls, subject, action, *, user=None, acting_for=None, detail=None, keep_address=True):
        """Append one event; user and address default to the current request's.

        ``subject``: the record the event is about, or a model for an event about none of its records (a sign-in
        on a username that matches no account): such an event's ``object_id`` is empty.

        ``keep_address=False`` for what a member of the public sent (an aspiration):
        their network address is personal data that the trail's readers must not get.
        """
        request = current_request()
        if user is None and request is not None and request.user.is_authenticated:
            user = request.user
        token = getattr(request, "api_token", None)  # set by api.authentication for calls with a token
        if token is not None:
            detail = {**(detail or {}), "api_token": token.name}
        return cls.objects.create(
            content_type=ContentType.objects.get_for_model(subject, for_concrete_model=True),
            object_id="" if isinstance(subject, type) else str(subject.pk),
            action=action,
            user=user,
            acting_for=acting_for if acting_for != user else None,
            client_address=client_address(request) if request is not None and keep_address else None,
            detail=detail or {},
        )


# Human-readable names of actions: those every process shares, then each process's own (its registration).
ACTION_LABELS = {
    "task.claimed": _("Tugas diambil dari antrean"),
    "task.released": _("Tugas dikembalikan ke antrean"),
    "task.rerouted": _("Tugas dialihkan (pelimpahan wewenang)"),
    "file.downloaded": _("Berkas diunduh"),
    "file.viewed": _("Berkas dilihat"),
    "trail.exported": _("Jejak diekspor (CSV)"),
    "evidence.exported": _("Paket bukti audit diunduh"),
    "retention.decided": _("Keputusan retensi dicatat"),
    "register.exported": _("Buku register diekspor (CSV)"),
    "search.exported": _("Hasil pencarian diekspor (CSV)"),
    "disposal.exported": _("Daftar arsip usul musnah diunduh (PDF)"),
    "restricted.opened": _("Naskah rahasia dibuka"),
}
# Actions that record a file leaving SIAP: the auditors' export counter counts them (a process adds its own).
EXPORT_ACTIONS = {"trail.exported", "evidence.exported", "register.exported", "search.exported", "disposal.exported"}
RESTRICTED_OPENED = "restricted.opened"
# A file shown in a page's viewer: in the subject's trail, but neither an export nor an opening (the page records that).
FILE_VIEWED = "file.viewed"


def register_actions(labels, exports=()):
    ACTION_LABELS.update(labels)
    EXPORT_ACTIONS.update(exports)


def action_label(action):
    return ACTION_LABELS.get(action, action)


def record_opening(subject, **detail):
    """If ``subject`` is restricted (its ``is_restricted()``: a *rahasia* letter), record that the current
    request opened it, once per request.

    The auditors count these; a page that loads the subject twice (a task page
    checks it, then shows it) is still one opening. Background work opens nothing.
    """
    request = current_request()
    is_restricted = getattr(subject, "is_restricted", None)
    if request is None or is_restricted is None or not is_restricted():
        return
    opened = request.__dict__.setdefault("_siap_opened", set())
    key = (type(subject), subject.pk)
    if key not in opened:
        opened.add(key)
        AuditEvent.record(subject, RESTRICTED_OPENED, detail=detail)


class SubmissionReceipt(models.Model):
    """A form's one-time token, stored when the form is accepted.

    The unique key makes a second submission of the same form (a double click,
    a resent POST) fail inside the transaction instead of creating a twin.
    """

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    result_url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
