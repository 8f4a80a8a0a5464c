"""Document pages and downloads: visible exactly when the owner is (``documents.owners``)."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from project.audit.models import AuditEvent

from . import retention
from .forms import DisposalDecisionForm
from .models import Document, FinalDisposition
from .owners import visible_owner
from .responses import csv_cell, protect, stored_file_response


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
    versions = document.versions.select_related("blob", "uploaded_by").prefetch_related("pages").order_by("-number")
    return render(request, "documents/document_detail.html", {"document": document, "owner": owner, "versions": versions})


@login_required
def download_version(request, pk, number):
    document, owner = visible_document(request.user, pk)
    version = document.versions.filter(number=number).select_related("blob").first()
    if version is None:
        raise Http404(_("Versi tidak ditemukan."))
    AuditEvent.record(
        owner,
        "file.downloaded",
        detail={"document": document.pk, "title": document.title, "version": number, "sha256": version.sha256},
    )
    return stored_file_response(version.blob, _download_name(document, version))


def _download_name(document, version):
    name = version.original_name or document.title
    return name if version.number == 1 else f"v{version.number}-{name}"


@login_required
@permission_required("documents.manage_retention", raise_exception=True)
def retention_report(request):
    """The archivist's JRA report for a year, with disposal decisions recorded per item."""
    year = _year(request.GET.get("tahun"))
    if request.method == "POST":
        form = DisposalDecisionForm(request.POST)
        if form.is_valid():
            _decision, subject = retention.decide(
                form.cleaned_data["item"], decision=form.cleaned_data["decision"],
                note=form.cleaned_data["note"], user=request.user,
            )
            messages.success(request, _("Keputusan untuk %(item)s dicatat.") % {"item": subject})
        else:
            messages.error(request, _("Keputusan tidak dicatat: %(errors)s") % {"errors": form.errors.as_text()})
        return redirect(f"{request.path}?tahun={year}")
    sections = retention.report(year)
    if request.GET.get("format") == "csv":
        return _retention_csv(year, sections)
    return render(
        request,
        "documents/retention.html",
        {"year": year, "sections": sections, "choices": FinalDisposition.choices, "years": range(year - 3, year + 4)},
    )


def _year(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return timezone.localdate().year


def _retention_csv(year, sections):
    response = protect(HttpResponse(content_type="text/csv; charset=utf-8"), f"retensi-{year}.csv")
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([_("Bagian"), _("Kode"), _("Unit"), _("Arsip"), _("Ditutup"), _("Inaktif sejak"), _("Jatuh tempo"),
                     _("Keterangan akhir"), _("Keputusan")])
    labels = {"inactive": _("Menjadi inaktif"), "due": _("Jatuh tempo penyusutan"), "unscheduled": _("Tanpa JRA")}
    for section, groups in sections.items():
        for (code, unit), rows in groups.items():
            for row in rows:
                writer.writerow([labels[section], code, csv_cell(unit), csv_cell(row.item.title), row.item.closed_on.isoformat(),
                                 row.inactive_from or "", row.due_year or "", row.final_disposition,
                                 row.decision.get_decision_display() if row.decision else ""])
    return response
