"""The subject protocol: what every process is about (a letter, a meeting, next a pokir).

A subject model mixes in ``Subject`` and defines ``not_found``, ``get_absolute_url``,
``evidence_title()``, ``evidence_metadata()`` (its register data, label ->
value) and ``file_stem()`` (a file-name-safe name: "surat-2026-0001").
What an inbox row says about a task on it comes from ``task_summary(task)``,
``task_nature()`` and ``task_counterpart()``: the defaults read ``str()``, a
``nature`` field and a ``sender`` field, and a process overrides what they
get wrong (``task_row_related`` names what those read through foreign keys).
Its manager has ``visible_to(user)``, the one rule for who sees it;
``visible_or_404`` loads it for a page, a file or an API call (and records the opening of a
*rahasia* one, ``is_restricted()``, for the auditors). Every subject then has the same key for notifications,
the same trail rows (same columns everywhere), its documents, and the same
trail CSV and auditors' evidence bundle.
"""


from django.http import FileResponse, Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from documents.evidence import build_bundle
from documents.responses import EscapingCsvWriter, protect
from project.audit.details import describe, person_name, summary
from project.audit.models import AuditEvent, action_label, record_opening


class Subject:
    not_found = _lazy("Tidak ditemukan.")  # the 404 text; says nothing about whether it exists
    task_row_related = ()  # foreign keys the inbox loads with the subject (what str() and task_summary read)

    @classmethod
    def visible_or_404(cls, user, pk, queryset=None):
        """The subject if ``user`` may see it; 404 otherwise (existence is not revealed)."""
        subject = (queryset if queryset is not None else cls.objects).visible_to(user).filter(pk=pk).first()
        if subject is None:
            raise Http404(cls.not_found)
        record_opening(subject)
        return subject

    def is_restricted(self):
        """A *rahasia* subject: each opening of it (page, file, API) is recorded in its trail for the auditors."""
        nature = self.task_nature()
        return nature is not None and nature[0] == "rahasia"

    def task_summary(self, task):
        """What a task about this subject is about, in one line ("0012/2026 — Undangan rapat kerja")."""
        return str(self)

    def task_nature(self):
        """``(value, label)`` of how urgent or restricted the subject is (a letter's sifat), or None."""
        value = getattr(self, "nature", "")
        if not value:
            return None
        display = getattr(self, "get_nature_display", None)
        return value, display() if display is not None else value

    def task_counterpart(self):
        """Who the subject comes from or goes to, as an inbox names them (a letter's sender)."""
        return getattr(self, "sender", "") or ""

    @property
    def subject_key(self):
        """Key that ties notifications to this subject."""
        return f"{self._meta.model_name}:{self.pk}"

    def documents(self, role=None):
        from documents.services import documents_of

        return documents_of(self, role)

    def evidence_documents(self):
        """The files an auditor's evidence bundle carries: all of the subject's, unless a process narrows it."""
        return self.documents()

    def trail_rows(self):
        events = AuditEvent.objects.for_object(self).select_related("user", "acting_for")
        return [
            {
                "at": event.at,
                "action": action_label(event.action),
                "user": person_name(event.user) or _("Sistem"),
                "acting_for": person_name(event.acting_for),
                "client_address": event.client_address or "",
                "action_code": event.action,
                "detail": event.detail,
                "details": describe(event.detail, action=event.action),  # what pages show: labelled values, not codes
            }
            for event in events
        ]


def trail_csv_response(subject):
    """The subject's whole trail as CSV (recorded in the trail itself)."""
    AuditEvent.record(subject, "trail.exported")
    response = protect(HttpResponse(content_type="text/csv; charset=utf-8"), f"jejak-{subject.file_stem()}.csv")
    response.write("\ufeff")  # so spreadsheet programs read UTF-8
    writer = EscapingCsvWriter(response)
    writer.writerow([_("Waktu"), _("Tindakan"), _("Pengguna"), _("Atas nama"), _("Alamat klien"), _("Rincian")])
    for row in subject.trail_rows():
        writer.writerow(
            [
                timezone.localtime(row["at"]).isoformat(),
                row["action"],
                row["user"],
                row["acting_for"],
                row["client_address"],
                summary(row["detail"], action=row["action_code"], full_hashes=True),
            ]
        )
    return response


def evidence_response(request, subject):
    """Auditors: the subject's files, checksums, text and trail in one ZIP (recorded in the trail)."""
    AuditEvent.record(subject, "evidence.exported")
    bundle = build_bundle(
        title=subject.evidence_title(),
        metadata=subject.evidence_metadata(),
        documents=subject.evidence_documents(),
        trail_rows=subject.trail_rows(),
        made_by=person_name(request.user),
    )
    return protect(FileResponse(bundle, content_type="application/zip"), f"bukti-{subject.file_stem()}.zip")

