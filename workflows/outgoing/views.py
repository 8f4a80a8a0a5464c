"""Pages of the outgoing-letter service: the list, a draft's pages, the steps, the register, and the public check.

Every staff page loads letters through ``OutgoingLetter.objects.visible_to``
(404 outside it). The verification page needs no login: it shows what the QR
code on a signed letter promises (number, date, signer, the signature's
state) and checks an uploaded file.
"""

import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from documents.responses import EscapingCsvWriter, protect
from project import throttling
from project.audit.models import AuditEvent
from project.notifications.services import mark_read
from project.signing.backends import get_signer
from workflows.inbox import my_open_tasks
from workflows.letters.models import Letter
from project.forms import DoubleSubmission, claim_submission
from workflows import actions, registry
from workflows.pages import ActionsPage, create_page, refusal_message

from . import services
from .forms import DraftForm, VerifyUploadForm, too_large_message
from .kinds import Kind
from .models import DOCUMENT_ROLE_LABELS, Dispatch, OutgoingLetter

PAGE_SIZE = 25
FORM_OVERHEAD_BYTES = 64 * 1024  # the multipart envelope and the CSRF token around the uploaded file


def _visible(user, pk):
    return OutgoingLetter.visible_or_404(user, pk, OutgoingLetter.objects.select_related(
        "drafting_unit", "classification", "signer_position__unit", "signer_position__holder", "on_behalf_of",
        "through_position", "reply_to", "signed_by", "created_by",
    ))


@login_required
def letter_list(request):
    letters = OutgoingLetter.objects.visible_to(request.user).select_related("drafting_unit", "classification")
    query = request.GET.get("q", "").strip()
    if query:
        letters = letters.filter(subject__icontains=query) | letters.filter(number__icontains=query)
    status = request.GET.get("status", "")
    if status in OutgoingLetter.Status.values:
        letters = letters.filter(status=status)
    kind = request.GET.get("kind", "")
    if kind in Kind.values:
        letters = letters.filter(kind=kind)
    own_units = request.GET.get("unit") == "saya"  # the letters the person's units draft (the dashboard's counters)
    if own_units:
        letters = letters.filter(drafting_unit__in=services.drafting_units(request.user))
    drafts = request.GET.get("draf") == "1"  # still being drafted: a draft, or returned for correction
    if drafts:
        letters = letters.filter(status__in=OutgoingLetter.EDITABLE)
    page = Paginator(letters.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "outgoing/list.html", {
        "page": page, "query": query, "status": status, "kind": kind, "statuses": OutgoingLetter.Status.choices,
        "kinds": Kind.choices, "may_draft": services.drafting_units(request.user).exists(),
        "own_units": own_units, "drafts": drafts,
        "query_string": urlencode({key: value for key, value in (
            ("q", query), ("status", status), ("kind", kind), ("unit", "saya" if own_units else ""),
            ("draf", "1" if drafts else "")) if value}),
    })


@login_required
def new(request):
    if not services.drafting_units(request.user).exists():
        raise PermissionDenied(_("Anda tidak termasuk unit yang menyusun naskah dinas."))
    reply_to = None
    if request.GET.get("balas"):
        if not request.GET["balas"].isascii() or not request.GET["balas"].isdigit():
            raise Http404(Letter.not_found)
        reply_to = Letter.visible_or_404(request.user, request.GET["balas"])
    form = DraftForm(request.POST or None, request.FILES or None, user=request.user, reply_to=reply_to)
    return create_page(
        request, form, "outgoing/edit.html",
        lambda form: services.create_draft(
            user=request.user, unit=form.cleaned_data["unit"], data=form.content(),
            recipient_units=form.cleaned_data["recipient_units"], attachments=form.cleaned_data["attachments"],
            archive_documents=form.cleaned_data.get("archive_documents") or (),
        ),
        done=lambda letter: _("Draf disimpan. Periksa pratinjaunya, lalu ajukan untuk verifikasi."),
        again=_("Formulir ini sudah dikirim; draf tidak dibuat dua kali."),
    )


@login_required
def edit(request, pk):
    letter = _visible(request.user, pk)
    if not services.may_edit(request.user, letter) or letter.status not in OutgoingLetter.EDITABLE:
        raise PermissionDenied(_("Naskah ini tidak dapat Anda ubah."))
    form = DraftForm(request.POST or None, request.FILES or None, user=request.user, letter=letter)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():  # the form's token and the change are one: a double click saves once
                claim_submission(form.cleaned_data["submission_token"], request.user)
                services.update_draft(letter, user=request.user, data=form.content(),
                                      recipient_units=form.cleaned_data["recipient_units"],
                                      attachments=form.cleaned_data["attachments"],
                                      archive_documents=form.cleaned_data.get("archive_documents") or ())
        except DoubleSubmission as refused:
            messages.warning(request, refusal_message(refused))
            return redirect(letter)
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(request, _("Draf disimpan."))
            return redirect(letter)
    return render(request, "outgoing/edit.html", {"form": form, "letter": letter})


@login_required
def submit(request, pk):
    letter = _visible(request.user, pk)
    if request.method != "POST":
        return redirect(letter)
    try:
        services.submit(letter, user=request.user)
    except (PermissionDenied, ValidationError) as refused:
        messages.warning(request, " ".join(getattr(refused, "messages", [str(refused)])))
    else:
        messages.success(request, _("Draf diajukan kepada %(verifier)s untuk diverifikasi.") % {
            "verifier": services.head_of(letter.drafting_unit)})
    return redirect(letter)


def letter_context(user, letter):
    """What any page shows of one letter: its chain, reviews, dispatches, files and the incoming letter it answers."""
    reply_to = None
    if letter.reply_to_id and Letter.objects.visible_to(user).filter(pk=letter.reply_to_id).exists():
        reply_to = letter.reply_to
    return {
        "letter": letter,
        "reply_to": reply_to,
        "paraf_steps": letter.paraf_steps.select_related("position__unit", "initialled_by"),
        "reviews": letter.reviews.select_related("by", "acting_for"),
        "dispatches": letter.dispatches.select_related("unit"),
        "documents": [(document, DOCUMENT_ROLE_LABELS[document.role]) for document in letter.documents()],
        "recipient_units": letter.recipient_units.all(),
        "last_return": services.last_return(letter),
        "may_edit": letter.status in OutgoingLetter.EDITABLE and services.may_edit(user, letter),
    }


@login_required
def detail(request, pk):
    letter = _visible(request.user, pk)
    mark_read(request.user, letter.subject_key)
    return render(request, "outgoing/detail.html", {
        **letter_context(request.user, letter), "my_tasks": my_open_tasks(letter, request.user),
    })


@login_required
def preview(request, pk):
    """The draft as a PDF (watermarked, unnumbered); a signed letter's PDF is its final document."""
    letter = _visible(request.user, pk)
    if letter.is_signed:
        document = letter.final_document
        return redirect("documents:download", document.pk, document.current.number)
    try:
        pdf = services.preview_pdf(letter)
    except ValidationError as refused:
        messages.warning(request, " ".join(refused.messages))
        return redirect(letter)
    return protect(HttpResponse(pdf, content_type="application/pdf"), f"{letter.file_stem()}.pdf", "inline")


@login_required
def register(request):
    """The outgoing register (buku agenda surat keluar) for a year, as a page or CSV."""
    years = sorted(set(OutgoingLetter.objects.visible_to(request.user).signed().values_list("number_year", flat=True)),
                   reverse=True)
    year = request.GET.get("year", "")
    year = int(year) if re.fullmatch(r"[0-9]{4}", year) else (years[0] if years else None)
    rows = services.register_rows(request.user, year=year)
    if request.GET.get("format") == "csv":
        AuditEvent.record(request.user, "register.exported", detail={"register": "outgoing", "year": year})
        return _register_csv(rows, year)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "outgoing/register.html", {"page": page, "years": years, "year": year})


def _register_csv(rows, year):
    response = protect(HttpResponse(content_type="text/csv; charset=utf-8"), f"buku-agenda-surat-keluar-{year}.csv")
    response.write("\ufeff")  # so spreadsheet programs read UTF-8
    writer = EscapingCsvWriter(response)
    writer.writerow([_("Nomor"), _("Tanggal"), _("Jenis"), _("Sifat"), _("Hal"), _("Kepada"), _("Unit pengolah"),
                     _("Klasifikasi"), _("Penanda tangan"), _("Dikirim"), _("Cara pengiriman"), _("SHA-256")])
    for letter in rows:
        methods = sorted({row.get_method_display() for row in letter.dispatches.all()})
        writer.writerow([
            letter.number, letter.letter_date.isoformat(), letter.get_kind_display(), letter.get_nature_display(),
            letter.subject, "; ".join(letter.addressee_list()), letter.drafting_unit.name, letter.classification.code,
            (letter.signed_as + " " if letter.signed_as else "") + (letter.signed_by.get_full_name() or letter.signed_by.username),
            letter.sent_at.date().isoformat() if letter.sent_at else "", ", ".join(methods), letter.signed_sha256,
        ])
    return response


# --- the public check (no login) ---------------------------------------------------------------------------------


def verification(request, token):
    """What the QR code opens: the letter's number, date, signer, the stored signature's state, and a file check."""
    letter = get_object_or_404(OutgoingLetter.objects.signed().select_related("signed_by", "signer_position__unit"),
                               verification_token=token)
    document = letter.final_document
    if document is None:
        raise Http404(OutgoingLetter.not_found)
    form = VerifyUploadForm(max_bytes=settings.SIAP_VERIFY_MAX_BYTES)
    result = uploaded = None
    if request.method == "POST":
        # counted and sized before the body is read: an upload costs nothing once refused
        if not throttling.allowed(request, "outgoing_verify", "SIAP_VERIFY_RATE"):
            messages.warning(request, _("Terlalu banyak pemeriksaan dari alamat Anda; coba lagi nanti."))
        elif int(request.META.get("CONTENT_LENGTH") or 0) > settings.SIAP_VERIFY_MAX_BYTES + FORM_OVERHEAD_BYTES:
            messages.warning(request, too_large_message(settings.SIAP_VERIFY_MAX_BYTES))
        else:
            form = VerifyUploadForm(request.POST, request.FILES, max_bytes=settings.SIAP_VERIFY_MAX_BYTES)
            if form.is_valid():
                data = form.cleaned_data["pdf"].read()
                result = get_signer().verify(data)
                uploaded = services.compare_upload(letter, data, result)
                AuditEvent.record(letter, "outgoing.verified_upload", keep_address=False, detail={
                    "status": result.status, "same_file": uploaded["same_file"]})
    return render(request, "outgoing/verification.html", {
        "letter": letter, "signer_name": services.signer_line(letter), "form": form, "result": result,
        "uploaded": uploaded,
    })


# --- task pages (dispatched from workflows.views.task_page) --------------------------------------------------------


class StepView(ActionsPage):
    template_name = "outgoing/step.html"
    subject_name = "letter"
    done_url = "tasks:inbox"

    def page(self, forms, **extra):
        return self.render(forms=forms, **extra, **letter_context(self.request.user, self.subject))


class VerifyView(StepView):
    actions = ("verify", "return")


class ParafView(StepView):
    actions = ("initial", "return")


class SignView(StepView):
    actions = ("sign",)

    def act(self, name, form):
        """A wrong passphrase (or a missing certificate) is told on the signing form itself, to try again there."""
        try:
            message = actions.run(registry.action_for(self.task, name), self.task, self.request.user, form)
        except ValidationError as refused:
            form.add_error(None, refused)
            return self.page([(name, form, registry.action_for(self.task, name).title)])
        except (DoubleSubmission, PermissionDenied) as refused:
            messages.warning(self.request, refusal_message(refused))
            return redirect(self.subject)
        messages.success(self.request, message)
        return redirect(self.done_url)


class DispatchView(StepView):
    actions = ("dispatch",)

    def page(self, forms, **extra):
        pending = [row for row in self.subject.dispatches.all() if row.method == Dispatch.Method.EMAIL]
        return super().page(forms, email_configured=settings.SIAP_SEND_EMAIL, pending=pending, **extra)


class ReceiveView(StepView):
    actions = ("receive",)
