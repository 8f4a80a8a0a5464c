"""The aspiration list as CSV, for those with ``aspirations.export_aspirations``.

Rows are what the person sees (``visible_to``, with the list's filters); the
subject of a *rahasia* aspiration only for those who handle it; names and
contacts only with ``view_aspiration_personal_data`` (an *anonim* one never
has a name). The file is one ``aspiration.export_made`` event (on the person
who made it: the auditors' export counter counts files, not rows); every
aspiration in it gets an ``aspiration.exported`` event in its own trail,
written in one statement.
"""


from django.contrib.contenttypes.models import ContentType
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.responses import EscapingCsvWriter, protect
from project.audit.middleware import client_address, current_request
from project.audit.models import AuditEvent

from .models import Aspiration


def _due(aspiration):
    if aspiration.status == Aspiration.Status.RECEIVED:
        return aspiration.verify_due
    if aspiration.status in (Aspiration.Status.IN_FOLLOW_UP, Aspiration.Status.ANSWER_DRAFTED):
        return aspiration.follow_up_due
    return None


def rows(user, aspirations):
    """The header and one row per aspiration, as ``user`` may see them."""
    personal = user.has_perm("aspirations.view_aspiration_personal_data")
    readable = set(aspirations.content_visible_to(user).values_list("pk", flat=True))
    today = timezone.localdate()
    header = [_("Kode"), _("Diterima"), _("Saluran"), _("Kategori"), _("Kerahasiaan"), _("Kelurahan"), _("Kecamatan"),
              _("Perihal"), _("Status"), _("Unit tujuan"), _("Batas waktu"), _("Lewat batas"), _("Dijawab")]
    if personal:
        header += [_("Nama"), _("Telepon"), _("Surel"), _("WhatsApp")]
    yield header
    for aspiration in aspirations.select_related("unit", "kelurahan__kecamatan"):
        due = _due(aspiration)
        row = [
            aspiration.code,
            timezone.localtime(aspiration.received_at).strftime("%Y-%m-%d %H:%M"),
            aspiration.get_channel_display(),
            aspiration.get_category_display(),
            aspiration.get_privacy_display(),
            aspiration.kelurahan.name if aspiration.kelurahan_id else "",
            aspiration.kelurahan.kecamatan.name if aspiration.kelurahan_id else "",
            aspiration.subject if aspiration.pk in readable else _("(rahasia)"),
            aspiration.get_status_display(),
            aspiration.unit.name if aspiration.unit_id else "",
            due.isoformat() if due else "",
            _("ya") if due is not None and due < today else "",
            timezone.localtime(aspiration.answered_at).strftime("%Y-%m-%d %H:%M") if aspiration.answered_at else "",
        ]
        if personal:
            row += ["" if aspiration.anonymous else aspiration.name, aspiration.phone, aspiration.email, aspiration.wa_id]
        yield row


def record(user, pks, personal):
    """One ``aspiration.export_made`` event for the file, and one ``aspiration.exported`` on each aspiration in it."""
    request = current_request()
    content_type = ContentType.objects.get_for_model(Aspiration)
    address = client_address(request) if request is not None else None
    detail = {"personal_data": personal, "rows": len(pks)}
    AuditEvent.record(user, "aspiration.export_made", user=user, detail=detail)
    AuditEvent.objects.bulk_create([
        AuditEvent(content_type=content_type, object_id=str(pk), action="aspiration.exported", user=user,
                   client_address=address, detail=detail)
        for pk in pks
    ])


def csv_response(user, aspirations):
    personal = user.has_perm("aspirations.view_aspiration_personal_data")
    response = protect(HttpResponse(content_type="text/csv; charset=utf-8"),
                       f"aspirasi-{timezone.localdate():%Y%m%d}.csv")
    response.write("\ufeff")  # so spreadsheet programs read UTF-8
    writer = EscapingCsvWriter(response)
    for row in rows(user, aspirations):
        writer.writerow(row)
    record(user, list(aspirations.values_list("pk", flat=True)), personal)
    return response
