"""Pages of the incoming-letter service.

Every page and file goes through ``visible_letter``: a letter the user may
not see answers 404, whatever the URL. Task pages (dispose, follow up) are
reached through the task inbox (``workflows.views.task_page``), which has
already checked that the task is the user's.
"""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from viewflow.workflow.status import STATUS

from documents.evidence import build_bundle
from documents.responses import csv_cell, protect
from project.audit.models import AuditEvent, action_label
from project.forms import DoubleSubmission, claim_submission
from project.notifications.services import mark_read

from . import services
from .forms import CloseBranchForm, DisposeForm, ForwardBranchForm, RegisterLetterForm
from .models import DOCUMENT_ROLE_LABELS, Letter, Nature
from .printouts import disposition_sheet_pdf

PAGE_SIZE = 25


def visible_letter(user, pk):
    """The letter if ``user`` may see it; 404 otherwise (existence is not revealed)."""
    try:
        return Letter.objects.visible_to(user).select_related("classification", "registered_by").get(pk=pk)
    except Letter.DoesNotExist:
        raise Http404(_("Surat tidak ditemukan."))


@login_required
def letter_list(request):
    letters = Letter.objects.visible_to(request.user).select_related("classification")
    query = request.GET.get("q", "").strip()
    if query:
        letters = letters.filter(
            Q(subject__icontains=query) | Q(sender__icontains=query) | Q(sender_number__icontains=query)
        )
    status = request.GET.get("status", "")
    if status in Letter.Status.values:
        letters = letters.filter(status=status)
    nature = request.GET.get("nature", "")
    if nature in Nature.values:
        letters = letters.filter(nature=nature)
    page = Paginator(letters, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "letters/letter_list.html",
        {
            "page": page,
            "query": query,
            "status": status,
            "nature": nature,
            "statuses": Letter.Status.choices,
            "natures": Nature.choices,
        },
    )


@login_required
@permission_required("letters.add_letter", raise_exception=True)
def register(request):
    if request.method == "POST":
        form = RegisterLetterForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                with transaction.atomic():
                    receipt = claim_submission(form.cleaned_data["submission_token"], request.user)
                    letter = services.register_letter(
                        data=form.letter_data(),
                        scan=form.cleaned_data["scan"],
                        attachments=form.cleaned_data["attachments"],
                        user=request.user,
                        page_count=form.page_count,
                    )
                    receipt.result_url = letter.get_absolute_url()
                    receipt.save(update_fields=["result_url"])
            except DoubleSubmission as done:
                messages.warning(request, _("Formulir ini sudah dikirim; surat tidak didaftarkan dua kali."))
                return redirect(done.result_url or "letters:list")
            messages.success(
                request, _("Surat didaftarkan dengan nomor agenda %(agenda)s.") % {"agenda": letter.agenda_label}
            )
            return redirect(letter)
    else:
        form = RegisterLetterForm()
    return render(request, "letters/register.html", {"form": form})


@login_required
def letter_detail(request, pk):
    letter = visible_letter(request.user, pk)
    mark_read(request.user, letter.subject_key)
    dispositions = letter.dispositions.select_related("given_by", "acting_for").prefetch_related(
        "branches__unit", "branches__claimed_by", "branches__closed_by", "branches__forwarded_to"
    )
    my_tasks = []
    if letter.process_id:
        open_tasks = letter.process.task_set.filter(status__in=[STATUS.NEW, STATUS.ASSIGNED], flow_task_type="HUMAN")
        my_tasks = [
            task for task in open_tasks
            if task.owner_id == request.user.pk or (task.owner_id is None and task.flow_task.can_assign(request.user, task))
        ]
    return render(
        request,
        "letters/letter_detail.html",
        {
            "letter": letter,
            "dispositions": dispositions,
            "documents": [(document, DOCUMENT_ROLE_LABELS[document.role]) for document in letter.documents()],
            "trail": trail_rows(letter),
            "my_tasks": my_tasks,
        },
    )


def trail_rows(letter):
    events = AuditEvent.objects.for_object(letter).select_related("user", "acting_for")
    return [
        {
            "at": event.at,
            "action": action_label(event.action),
            "user": _person(event.user) or _("Sistem"),
            "acting_for": _person(event.acting_for),
            "client_address": event.client_address or "",
            "detail": event.detail,
        }
        for event in events
    ]


def _person(user):
    if user is None:
        return ""
    return user.get_full_name() or user.username


@login_required
def disposition_sheet(request, pk):
    letter = visible_letter(request.user, pk)
    AuditEvent.record(letter, "sheet.printed")
    response = HttpResponse(disposition_sheet_pdf(letter), content_type="application/pdf")
    return protect(response, f"lembar-disposisi-{letter.agenda_year}-{letter.agenda_number:04d}.pdf", "inline")


@login_required
@permission_required("documents.export_evidence", raise_exception=True)
def evidence_bundle(request, pk):
    """Auditors: the letter's files, checksums, text and trail in one ZIP."""
    letter = visible_letter(request.user, pk)
    AuditEvent.record(letter, "evidence.exported")
    bundle = build_bundle(
        title=f"Surat masuk {letter.agenda_label}",
        metadata={
            "Nomor agenda": letter.agenda_label,
            "Pengirim": letter.sender,
            "Nomor surat": letter.sender_number,
            "Tanggal surat": letter.letter_date.isoformat(),
            "Tanggal diterima": letter.received_date.isoformat(),
            "Perihal": letter.subject,
            "Sifat": letter.get_nature_display(),
            "Klasifikasi": str(letter.classification),
            "Status": letter.get_status_display(),
        },
        documents=letter.documents(),
        trail_rows=trail_rows(letter),
        made_by=request.user.get_full_name() or request.user.username,
    )
    response = FileResponse(bundle, content_type="application/zip")
    return protect(response, f"bukti-surat-{letter.agenda_year}-{letter.agenda_number:04d}.zip")


@login_required
def trail_csv(request, pk):
    letter = visible_letter(request.user, pk)
    AuditEvent.record(letter, "trail.exported")
    response = protect(
        HttpResponse(content_type="text/csv; charset=utf-8"), f"jejak-{letter.agenda_year}-{letter.agenda_number:04d}.csv"
    )
    response.write("\ufeff")  # so spreadsheet programs read UTF-8
    writer = csv.writer(response)
    writer.writerow([_("Waktu"), _("Tindakan"), _("Pengguna"), _("Atas nama"), _("Alamat klien"), _("Rincian")])
    for row in trail_rows(letter):
        writer.writerow(
            [
                timezone.localtime(row["at"]).isoformat(),
                row["action"],
                csv_cell(row["user"]),
                csv_cell(row["acting_for"]),
                row["client_address"],
                csv_cell(", ".join(f"{key}={value}" for key, value in row["detail"].items())),
            ]
        )
    return response


# --- task pages (dispatched from workflows.views.task_page) -----------------


class TaskPage(View):
    """Base for pages of one task; ``task`` is checked by the dispatcher."""

    template_name = None

    def dispatch(self, request, *args, task, **kwargs):
        self.task = task
        self.letter = visible_letter(request.user, task.process.artifact_object_id)
        return super().dispatch(request, *args, **kwargs)

    def render(self, **context):
        return render(self.request, self.template_name, {"task": self.task, "letter": self.letter, **context})

    def done(self, message):
        messages.success(self.request, message)
        return redirect("tasks:inbox")


class DisposeView(TaskPage):
    template_name = "letters/dispose.html"

    def form(self, data=None):
        return DisposeForm(data, units=services.recipient_units_choices())

    def get(self, request):
        return self.render(form=self.form(), acting_for=self._acting_for())

    def _acting_for(self):
        position = self.task.flow_task.position_of(self.task)
        return position.holder if position.holder_id != self.request.user.pk else None

    def post(self, request):
        form = self.form(request.POST)
        if not form.is_valid():
            return self.render(form=form, acting_for=self._acting_for())
        data = form.cleaned_data
        try:
            with transaction.atomic():
                claim_submission(data["submission_token"], request.user)
                if data["decision"] == DisposeForm.FILE:
                    services.file_without_disposition(self.task, user=request.user, note=data["note"])
                    message = _("Surat %(agenda)s diarsipkan tanpa disposisi.")
                else:
                    services.dispose(
                        self.task,
                        user=request.user,
                        units=list(data["units"]),
                        instruction=data["instruction"],
                        note=data["note"],
                        deadline=data["deadline"],
                    )
                    message = _("Disposisi surat %(agenda)s terkirim.")
        except (DoubleSubmission, PermissionDenied) as refused:
            messages.warning(request, _refusal_message(refused))
            return redirect(self.letter)
        return self.done(message % {"agenda": self.letter.agenda_label})


class FollowUpView(TaskPage):
    template_name = "letters/follow_up.html"

    def get(self, request):
        return self.render(**self.forms())

    def forms(self, close_data=None, forward_data=None, files=None):
        branch = services.branch_of_task(self.task)
        staff = branch.unit.group.user_set.exclude(pk=self.request.user.pk).order_by("first_name")
        return {
            "branch": branch,
            "close_form": CloseBranchForm(close_data, files, prefix="close"),
            "forward_form": ForwardBranchForm(forward_data, prefix="forward", staff=staff),
        }

    def post(self, request):
        forwarding = "forward" in request.POST
        context = self.forms(
            close_data=None if forwarding else request.POST,
            forward_data=request.POST if forwarding else None,
            files=request.FILES,
        )
        form = context["forward_form" if forwarding else "close_form"]
        if not form.is_valid():
            return self.render(**context)
        data = form.cleaned_data
        try:
            with transaction.atomic():
                claim_submission(data["submission_token"], request.user)
                if forwarding:
                    services.forward_branch(self.task, user=request.user, staff=data["staff"], note=data["note"])
                    message = _("Disposisi %(agenda)s diteruskan.")
                else:
                    services.close_branch(
                        self.task, user=request.user, report=data["report"], report_file=data.get("report_file")
                    )
                    message = _("Tindak lanjut %(agenda)s selesai dilaporkan.")
        except (DoubleSubmission, PermissionDenied) as refused:
            messages.warning(request, _refusal_message(refused))
            return redirect(self.letter)
        return self.done(message % {"agenda": self.letter.agenda_label})


def _refusal_message(refused):
    if isinstance(refused, DoubleSubmission):
        return _("Formulir ini sudah dikirim sebelumnya; tidak ada yang diubah.")
    return str(refused) or _("Anda tidak berwenang melakukan ini.")
