"""Document pages and downloads: visible exactly when the owner is (``documents.owners``)."""


from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from project.audit.models import FILE_VIEWED, AuditEvent, record_opening

from . import retention
from .disposal import disposal_list_pdf
from .forms import DisposalDecisionForm
from .models import Document, FinalDisposition
from .owners import visible_owner
from .responses import EscapingCsvWriter, content_disposition, protect, stored_file_response

PDF_MEDIA_TYPE = "application/pdf"


def visible_document(user, pk):
    """(document, owner) if the user may see the owner; 404 otherwise."""
    document = Document.objects.filter(pk=pk).select_related("owner_type", "created_by").first()
    owner = visible_owner(user, document) if document else None
    if owner is None:
        raise Http404(_("Dokumen tidak ditemukan."))
    return document, owner


@login_required
def document_detail(request, pk):
    document, owner = visible_document(request.user, pk)
    record_opening(owner, document=document.pk)  # the page shows the file (its viewer records no opening)
    versions = document.versions.select_related("blob", "uploaded_by").prefetch_related("pages").order_by("-number")
    return render(request, "documents/document_detail.html", {"document": document, "owner": owner, "versions": versions})


@login_required
def download_version(request, pk, number):
    return _serve_version(request, pk, number, inline=False)


@login_required
def view_version(request, pk, number):
    """The same file with the same check, ``inline`` for the page's PDF viewer (``_pdf_viewer.html``).

    Only a PDF is ever served inline; anything else still comes as an attachment, never rendered by the browser.
    Shown inline, the file is one ``file.viewed`` event: neither a download (it is no export) nor an opening
    of a *rahasia* subject, which the page that embeds the viewer has recorded already.
    """
    return _serve_version(request, pk, number, inline=True)


def _serve_version(request, pk, number, *, inline):
    document, owner = visible_document(request.user, pk)
    version = document.versions.filter(number=number).select_related("blob").first()
    if version is None:
        raise Http404(_("Versi tidak ditemukan."))
    inline = inline and version.media_type == PDF_MEDIA_TYPE
    detail = {"document": document.pk, "title": document.title, "version": number, "sha256": version.sha256}
    if inline:
        AuditEvent.record(owner, FILE_VIEWED, detail=detail)
    else:
        AuditEvent.record(owner, "file.downloaded", detail=detail)
        record_opening(owner, document=document.pk)
    name = _download_name(document, version)
    response = stored_file_response(version.blob, name)
    if inline:
        response["Content-Disposition"] = content_disposition(name, "inline")
    return response


def _download_name(document, version):
    name = version.original_name or document.title
    return name if version.number == 1 else f"v{version.number}-{name}"


@login_required
@permission_required("documents.manage_retention", raise_exception=True)
def retention_report(request):
    """The archivist's JRA report for a year (``bagian``: one section only), deciding the due items it lists."""
    year = _year(request.GET.get("tahun"))
    if request.method == "POST":
        _decide(request)
        return redirect(request.get_full_path())
    sections = retention.report(year, request.user)
    if request.GET.get("bagian") in sections:
        sections = {request.GET["bagian"]: sections[request.GET["bagian"]]}
    if request.GET.get("format") == "csv":
        AuditEvent.record(request.user, "register.exported", detail={"register": "retention", "year": year})
        return _retention_csv(year, sections)
    return render(
        request,
        "documents/retention.html",
        {
            "year": year, "sections": sections, "choices": FinalDisposition.choices, "years": range(year - 3, year + 4),
            "decidable": year <= timezone.localdate().year,
        },
    )


def _decide(request):
    """One decision for the checked items: all recorded, or none when one of them may not be decided now."""
    form = DisposalDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Keputusan tidak dicatat: %(errors)s") % {"errors": form.errors.as_text()})
        return
    decision = form.cleaned_data["decision"]
    try:
        recorded, repeated = retention.decide_many(
            form.cleaned_data["item"], decision=decision, note=form.cleaned_data["note"], user=request.user
        )
    except retention.NotDue:
        messages.error(request, _("Keputusan tidak dicatat: ada arsip yang belum jatuh tempo atau tidak Anda kelola."))
        return
    if recorded:
        messages.success(request, _("Keputusan %(decision)s dicatat untuk %(n)s arsip.") % {
            "decision": FinalDisposition(decision).label, "n": len(recorded)})
    if repeated:
        messages.info(request, _("%(n)s arsip sudah diputuskan sebelumnya; tidak dicatat ulang.") % {"n": repeated})


@login_required
@permission_required("documents.manage_retention", raise_exception=True)
def disposal_list(request):
    """The daftar arsip usul musnah as a PDF: every item the archivist may see whose decision is musnah."""
    rows = retention.disposal_list(request.user)
    pdf = disposal_list_pdf(rows, request.user)
    # a file leaving SIAP, like the retention CSV: counted among the auditors' exports
    AuditEvent.record(request.user, "disposal.exported", detail={"count": len(rows)})
    return protect(HttpResponse(pdf, content_type="application/pdf"), "daftar-arsip-usul-musnah.pdf", "inline")


def _year(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return timezone.localdate().year


def _retention_csv(year, sections):
    response = protect(HttpResponse(content_type="text/csv; charset=utf-8"), f"retensi-{year}.csv")
    response.write("\ufeff")
    writer = EscapingCsvWriter(response)
    writer.writerow([_("Bagian"), _("Kode"), _("Unit"), _("Arsip"), _("Ditutup"), _("Inaktif sejak"), _("Jatuh tempo"),
                     _("Keterangan akhir"), _("Keputusan")])
    labels = {"inactive": _("Menjadi inaktif"), "due": _("Jatuh tempo penyusutan"), "unscheduled": _("Tanpa JRA")}
    for section, groups in sections.items():
        for (code, unit), rows in groups.items():
            for row in rows:
                writer.writerow([labels[section], code, unit, row.item.title, row.item.closed_on.isoformat(),
                                 row.inactive_from or "", row.due_year or "", row.final_disposition,
                                 row.decision.get_decision_display() if row.decision else ""])
    return response
