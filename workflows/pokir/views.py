"""Pages of e-Pokir.

Every page, photo and export goes through ``Pokir.objects.visible_to``: a
pokir the user may not see answers 404 by every URL. The verifier's and
the chair's steps are task pages (``workflows.pages.TaskPage``) reached
through the inbox and queue; what they do is the step's registered action
(``actions.py``), the same the API runs. The public recap page needs no
login and shows only final and exported pokir, without personal data.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from documents.responses import content_disposition, protect, stored_file_response
from documents.validation import IMAGES
from project.audit.models import AuditEvent
from project.forms import DoubleSubmission, claim_submission
from project.notifications.services import mark_read
from project.org.models import Dapil
from workflows.inbox import my_open_tasks
from workflows.pages import TaskPage, create_page, refusal_message

from . import charts, checklist, services
from .forms import NOTE_LABELS, ExportForm, NewPokirForm, PhotoForm, PokirForm, PokirYearForm, RealisationForm
from .models import Pokir, PokirExport, PokirReview, PokirYear, members_drafted_by

PAGE_SIZE = 25


def visible_pokir(user, pk):
    return Pokir.visible_or_404(
        user, pk,
        Pokir.objects.select_related("year", "member__user", "member__dapil", "member__fraksi", "kelurahan__kecamatan__dapil",
                                     "kamus__opd", "opd", "realisation_opd", "created_by", "verified_by"),
    )


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# --- lists ---------------------------------------------------------------------------


@login_required
def pokir_list(request, preset=None):
    pokirs = Pokir.objects.visible_to(request.user).select_related("member__user", "member__dapil", "kelurahan", "opd")
    query = request.GET.get("q", "").strip()
    pokirs = services.filter_text(pokirs, query)
    status = preset or request.GET.get("status", "")
    if status in Pokir.Status.values:
        pokirs = pokirs.filter(status=status)
    year = _int(request.GET.get("tahun"))
    if year:
        pokirs = pokirs.filter(year_id=year)
    dapil = request.GET.get("dapil", "")
    if dapil:
        pokirs = pokirs.filter(member__dapil__code=dapil)
    own = services.own_pokir(request.user) if request.GET.get("sendiri") == "1" else None
    if own is not None:  # the pokir this person drafts (the dashboard's counters)
        pokirs = pokirs.filter(pk__in=own.values("pk"))
    page = Paginator(pokirs, PAGE_SIZE).get_page(request.GET.get("page"))
    filters = {key: value for key, value in (("q", query), ("status", "" if preset else status), ("tahun", year or ""),
                                              ("dapil", dapil), ("sendiri", "1" if own is not None else "")) if value}
    return render(request, "pokir/list.html", {
        "page": page, "query": query, "status": status, "year": year, "dapil": dapil, "preset": preset, "own": own is not None,
        "statuses": Pokir.Status.choices, "years": PokirYear.objects.all(), "dapils": Dapil.objects.all(),
        "query_string": urlencode(filters),
        "may_create": members_drafted_by(request.user).exists(),
        "recap_waiting": services.recap_tasks(request.user).count(),
    })


def awaiting(request):
    return pokir_list(request, preset=Pokir.Status.SUBMITTED)


def returned(request):
    return pokir_list(request, preset=Pokir.Status.RETURNED)


def drafts(request):
    return pokir_list(request, preset=Pokir.Status.DRAFT)


# --- a member's draft ------------------------------------------------------------------


@login_required
def create(request):
    members = list(members_drafted_by(request.user))
    if not members:
        raise PermissionDenied(_("Hanya anggota DPRD dan stafnya yang menyusun pokir."))
    chosen = _int(request.GET.get("anggota"))
    member = next((m for m in members if m.pk == chosen), members[0])
    if not services.open_years().exists():
        messages.warning(request, _("Belum ada tahun anggaran yang menerima pokir; hubungi verifikator."))
        return redirect("pokir:list")
    form = NewPokirForm(request.POST or None, member=member, members=members)
    return create_page(
        request, form, "pokir/create.html",
        lambda form: services.create_draft(
            member=member, year=form.cleaned_data["year"], user=request.user,
            items=form.cleaned_data["reses_items"], title=form.cleaned_data["title"],
        ),
        done=lambda pokir: _("Draf %(number)s dibuat; lengkapi lalu ajukan.") % {"number": pokir.number},
        again=_("Formulir ini sudah dikirim; draf tidak dibuat dua kali."),
    )


@login_required
def edit(request, pk):
    pokir = visible_pokir(request.user, pk)
    if not services.may_edit(request.user, pokir):
        raise PermissionDenied(_("Hanya anggota pengusul dan stafnya yang dapat mengubah pokir ini."))
    if not pokir.editable:
        messages.warning(request, _("Pokir berstatus “%(status)s” tidak dapat diubah.") % {"status": pokir.get_status_display()})
        return redirect(pokir)
    form = PokirForm(request.POST or None, instance=pokir)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_pokir(pokir, user=request.user, data=form.pokir_data(), items=form.cleaned_data["reses_items"])
            if "send" in request.POST:
                services.submit(pokir, user=request.user)
                messages.success(request, _("Pokir %(number)s diajukan untuk verifikasi.") % {"number": pokir.number})
            else:
                messages.success(request, _("Perubahan disimpan."))
        except PermissionDenied as refused:
            messages.warning(request, refusal_message(refused))
        except ValidationError as invalid:
            messages.error(request, " ".join(invalid.messages))
            return render(request, "pokir/edit.html", _edit_context(pokir, form))
        return redirect(pokir)
    return render(request, "pokir/edit.html", _edit_context(pokir, form))


def _edit_context(pokir, form, photo_form=None):
    notes = pokir.return_notes or {}
    field_notes = {}
    for group, fields in services.NOTE_FIELDS.items():
        if group in notes and fields:
            field_notes[fields[0]] = notes[group]
    general = [(NOTE_LABELS[group], note) for group, note in notes.items()
               if group in NOTE_LABELS and not services.NOTE_FIELDS.get(group)]
    return {
        "pokir": pokir, "form": form, "field_notes": field_notes, "general_notes": general,
        "notes": [(NOTE_LABELS.get(group, group), note) for group, note in notes.items()],
        "photos": pokir.photos(), "photo_form": photo_form or PhotoForm(),
    }


@login_required
@require_POST
def add_photos(request, pk):
    pokir = visible_pokir(request.user, pk)
    form = PhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "pokir/edit.html", _edit_context(pokir, PokirForm(instance=pokir), photo_form=form), status=400)
    try:
        with transaction.atomic():
            claim_submission(form.cleaned_data["submission_token"], request.user)
            documents = services.add_photos(pokir, user=request.user, files=form.cleaned_data["photos"])
    except (DoubleSubmission, PermissionDenied) as refused:
        messages.warning(request, refusal_message(refused))
        return redirect(pokir)
    messages.success(request, _("%(n)d foto ditambahkan.") % {"n": len(documents)})
    return redirect("pokir:edit", pk=pokir.pk)


@login_required
@require_POST
def submit(request, pk):
    pokir = visible_pokir(request.user, pk)
    try:
        services.submit(pokir, user=request.user)
    except PermissionDenied as refused:
        messages.warning(request, refusal_message(refused))
    else:
        messages.success(request, _("Pokir %(number)s diajukan untuk verifikasi.") % {"number": pokir.number})
    return redirect(pokir)


@login_required
@require_POST
def discard(request, pk):
    pokir = visible_pokir(request.user, pk)
    try:
        services.discard_draft(pokir, user=request.user)
    except PermissionDenied as refused:
        messages.warning(request, refusal_message(refused))
        return redirect(pokir)
    messages.success(request, _("Draf dihapus."))
    return redirect("pokir:list")


# --- one pokir -------------------------------------------------------------------------


@login_required
def detail(request, pk):
    pokir = visible_pokir(request.user, pk)
    mark_read(request.user, pokir.subject_key)
    verifier = request.user.has_perm("pokir.verify_pokir")
    checks = checklist.checklist(pokir, candidates=None if verifier else Pokir.objects.visible_to(request.user))
    realisation_form = None
    if verifier and pokir.status == Pokir.Status.EXPORTED:
        realisation_form = RealisationForm(initial={
            "realisation": pokir.realisation or None, "realisation_opd": pokir.realisation_opd_id or pokir.opd_id,
            "realisation_year": pokir.realisation_year or pokir.year_id, "realisation_budget": pokir.realisation_budget,
            "realisation_note": pokir.realisation_note,
        })
    return render(request, "pokir/detail.html", {
        "pokir": pokir,
        "checks": checks,
        "photos": pokir.photos(),
        "items": pokir.reses_items.select_related("kelurahan", "reses__period"),
        "shared": services.shared_items(pokir),
        "notes": [(NOTE_LABELS.get(group, group), note) for group, note in (pokir.return_notes or {}).items()],
        "reviews": pokir.reviews.select_related("by", "acting_for"),
        "decisions": PokirReview.Decision,
        "trail": pokir.trail_rows(),
        "my_tasks": my_open_tasks(pokir, request.user),
        "may_edit": pokir.editable and services.may_edit(request.user, pokir),
        "realisation_form": realisation_form,
    })


@login_required
def photo(request, pk, document_pk):
    """A photo of the pokir (its own, or one of its reses items'), for whoever sees the pokir; recorded in its trail."""
    pokir = visible_pokir(request.user, pk)
    document = pokir.photos().filter(pk=document_pk).first()
    version = document.current if document is not None else None
    if version is None:
        raise Http404(_("Foto tidak ditemukan."))
    AuditEvent.record(pokir, "file.downloaded", detail={
        "document": document.pk, "title": document.title, "version": version.number, "sha256": version.sha256,
    })
    response = stored_file_response(version.blob, version.original_name or document.title)
    if version.blob.media_type in IMAGES:
        response["Content-Disposition"] = content_disposition(version.original_name or document.title, "inline")
    return response


@login_required
@require_POST
def realisation(request, pk):
    pokir = visible_pokir(request.user, pk)
    if not request.user.has_perm("pokir.verify_pokir"):
        raise PermissionDenied(_("Hanya verifikator yang mencatat realisasi pokir."))
    form = RealisationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Realisasi tidak dicatat: %(errors)s") % {"errors": " ".join(
            str(message) for errors in form.errors.values() for message in errors)})
        return redirect(pokir)
    try:
        with transaction.atomic():
            claim_submission(form.cleaned_data["submission_token"], request.user)
            services.record_realisation(pokir, user=request.user, data=form.cleaned_data)
    except (DoubleSubmission, PermissionDenied) as refused:
        messages.warning(request, refusal_message(refused))
        return redirect(pokir)
    messages.success(request, _("Realisasi pokir %(number)s dicatat.") % {"number": pokir.number})
    return redirect(pokir)


# --- the steps (dispatched from workflows.views.task_page) --------------------------------


class VerifyView(TaskPage):
    """The checklist, similar proposals side by side, and the three decisions: verify, return, reject."""

    template_name = "pokir/verify.html"
    subject_name = "pokir"
    ACTIONS = ("verify", "return", "reject")

    def forms(self, action=None, data=None):
        return {f"{name}_form": self.action_form(name, data if name == action else None, prefix=name) for name in self.ACTIONS}

    def page(self, **forms):
        pokir = self.subject
        return self.render(checks=checklist.checklist(pokir), photos=pokir.photos(), shared=services.shared_items(pokir),
                           items=pokir.reses_items.select_related("kelurahan", "reses__period"), **forms)

    def get(self, request):
        return self.page(**self.forms())

    def post(self, request):
        action = next((name for name in self.ACTIONS if name in request.POST), "verify")
        forms = self.forms(action, request.POST)
        form = forms[f"{action}_form"]
        if not form.is_valid():
            return self.page(**forms)
        return self.act(action, form)


class RecapView(TaskPage):
    template_name = "pokir/recap.html"
    subject_name = "pokir"

    def get(self, request):
        return self.page(self.action_form("approve"))

    def page(self, form):
        position = self.task.flow_task.position_of(self.task)
        acting_for = position.holder if position.holder_id != self.request.user.pk else None
        return self.render(form=form, acting_for=acting_for, checks=checklist.checklist(self.subject),
                           overrides=self.subject.reviews.filter(decision=PokirReview.Decision.VERIFIED).last())

    def post(self, request):
        form = self.action_form("approve", request.POST)
        if not form.is_valid():
            return self.page(form)
        return self.act("approve", form)


@login_required
def recap(request):
    """The chair's recap: every verified pokir waiting in the chair's inbox, by year; approve them at once."""
    tasks = list(services.recap_tasks(request.user).order_by("created"))
    if request.method == "POST":
        approved, refused = 0, []
        wanted = _int(request.POST.get("tahun"))
        for task in tasks:
            pokir = services.pokir_of_task(task)
            if wanted and pokir.year_id != wanted:
                continue
            try:
                services.approve_recap(task, user=request.user, note=request.POST.get("note", "").strip()[:2000])
                approved += 1
            except PermissionDenied as refusal:
                refused.append(f"{pokir.number}: {refusal}")
        if approved:
            messages.success(request, _("%(n)d pokir masuk rekap dan final.") % {"n": approved})
        for line in refused:
            messages.warning(request, line)
        return redirect("pokir:recap")
    waiting = {}
    for task in tasks:
        pokir = services.pokir_of_task(task)
        waiting.setdefault(pokir.year_id, []).append((task, pokir))
    return render(request, "pokir/recap_list.html", {"waiting": sorted(waiting.items())})


# --- the secretariat: calendar, export ----------------------------------------------------


@login_required
@permission_required("pokir.manage_pokir_years", raise_exception=True)
def years(request, year=None):
    instance = None
    if year is not None:
        instance = PokirYear.objects.filter(year=year).first()
        if instance is None:
            raise Http404(_("Tahun anggaran tidak ditemukan."))
    form = PokirYearForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_year(user=request.user, instance=instance, data=form.year_data())
        except ValidationError as invalid:
            for field, errors in invalid.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            messages.success(request, _("Kalender pokir TA %(year)s disimpan.") % {"year": saved.year})
            return redirect("pokir:years")
    calendar = [(year, services.reminder_day(year), services.days_left(year)) for year in PokirYear.objects.all()]
    return render(request, "pokir/years.html", {"form": form, "instance": instance, "calendar": calendar})


@login_required
@permission_required("pokir.export_pokir", raise_exception=True)
def export(request):
    if request.method == "POST":
        form = ExportForm(request.POST)
        year = PokirYear.objects.filter(year=_int(request.POST.get("tahun"))).first()
        if year is None or not form.is_valid():
            messages.error(request, _("Pilih tahun anggaran dan format ekspor."))
            return redirect("pokir:export")
        try:
            with transaction.atomic():
                claim_submission(form.cleaned_data["submission_token"], request.user)
                _export, content, filename = services.export_year(year, user=request.user, fmt=form.cleaned_data["format"])
        except (DoubleSubmission, PermissionDenied) as refused:
            messages.warning(request, refusal_message(refused))
            return redirect("pokir:export")
        media_type = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                      if form.cleaned_data["format"] == PokirExport.Format.XLSX else "text/csv; charset=utf-8")
        return protect(HttpResponse(content, content_type=media_type), filename)
    rows = []
    for year in PokirYear.objects.all():
        counts = services.by_status(Pokir.objects.visible_to(request.user).filter(year=year))
        rows.append((year, counts, ExportForm()))
    return render(request, "pokir/export.html", {
        "rows": rows, "exports": PokirExport.objects.select_related("made_by")[:20], "statuses": Pokir.Status,
    })


# --- figures, and the public recap --------------------------------------------------------


@login_required
def dashboard(request):
    year = _int(request.GET.get("tahun"))
    return render(request, "pokir/dashboard.html", {
        "charts": charts.dashboard(request.user, year), "year": year, "years": PokirYear.objects.all(),
    })


PUBLIC_STATUSES = Pokir.LOCKED


def public(request):
    """No login: the final pokir recap per dapil and year — what, where (kelurahan), OPD, status, realisation.

    Nothing personal (no member, no address, no proposer) and no per-pokir
    URL: only final and exported pokir exist here, so nothing can be
    enumerated that is not already public.
    """
    published = Pokir.objects.filter(status__in=PUBLIC_STATUSES)
    years = sorted(set(published.values_list("year_id", flat=True)), reverse=True)
    year = _int(request.GET.get("tahun"))
    if year not in years:
        year = years[0] if years else None
    dapils = list(Dapil.objects.order_by("code"))
    dapil = next((d for d in dapils if d.code == request.GET.get("dapil")), None)
    rows = published.filter(year_id=year).select_related("member__dapil", "kelurahan__kecamatan", "opd", "realisation_opd")
    if dapil is not None:
        rows = rows.filter(member__dapil=dapil)
    sections = {}
    for pokir in rows.order_by("member__dapil__code", "kelurahan__kecamatan__name", "kelurahan__name", "pk"):
        sections.setdefault(pokir.member.dapil, []).append(pokir)
    return render(request, "pokir/public.html", {
        "years": years, "year": year, "dapils": dapils, "dapil": dapil, "sections": list(sections.items()),
    })
