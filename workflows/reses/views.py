"""Pages of the reses service.

Every page and file goes through ``visible_reses`` (``ResesQuerySet.visible_to``):
a reses the user may not see answers 404, whatever the URL. Changing a
reses (its data, requests, photos, attendance sheet) is for the member's
side while recording is open: others who see it get 403. Residents' names
and telephone numbers are shown only where ``personal_data_visible_to``
allows. The member's and the Pimpinan's steps are reached through the task
inbox (``workflows.views.task_page``) and run the registered actions.
"""

import io
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from documents.models import Document
from documents.owners import visible_owner
from documents.responses import protect, stored_file_response
from project.audit.models import AuditEvent, SubmissionReceipt
from project.forms import DoubleSubmission, claim_submission, create_once
from project.notifications.services import mark_read
from workflows.inbox import my_open_tasks
from workflows.pages import TaskPage

from . import rules, services
from .forms import AttendanceForm, ItemForm, OpenResesForm, PeriodForm, PhotosForm, ResesEditForm
from .models import ATTENDANCE, PHOTO, AttendanceSheet, Reses, ResesItem, ResesPeriod
from .printouts import report_pdf

PAGE_SIZE = 25
THUMBNAIL = 480


def visible_reses(user, pk):
    """The reses if ``user`` may see it; 404 otherwise (existence is not revealed)."""
    return Reses.visible_or_404(
        user, pk, Reses.objects.select_related("period", "member__user", "member__dapil", "member__fraksi")
    )


def editable_reses(user, pk):
    """The reses for a change: 404 outside the rule, 403 for those who only read it."""
    reses = visible_reses(user, pk)
    if not reses.is_member_side(user):
        raise PermissionDenied(_("Hanya anggota dan stafnya yang mengubah data reses ini."))
    return reses


def _refusal(request, refused):
    text = " ".join(refused.messages) if isinstance(refused, ValidationError) else str(refused)
    messages.warning(request, text or _("Anda tidak berwenang melakukan ini."))


# --- list, opening, the reses page --------------------------------------------------------


@login_required
def reses_list(request):
    reses = (
        Reses.objects.visible_to(request.user)
        .select_related("period", "member__user", "member__dapil", "member__fraksi")
        .annotate(recorded=Count("items", filter=Q(items__status=ResesItem.Status.RECORDED)))
        .order_by(*Reses._meta.ordering)
    )
    filters = {}
    period = request.GET.get("masa", "")
    if period.isdigit():
        reses, filters["masa"] = reses.filter(period_id=int(period)), period
    year = request.GET.get("tahun", "")
    if year.isdigit():
        reses, filters["tahun"] = reses.filter(period__year=int(year)), year
    status = request.GET.get("status", "")
    if status in Reses.Status.values:
        reses, filters["status"] = reses.filter(status=status), status
    if request.GET.get("saya") == "1":  # the reses this person records (the dashboard's counters)
        reses, filters["saya"] = reses.filter(pk__in=Reses.objects.member_side(request.user).values("pk")), "1"
    if request.GET.get("laporan") == "belum":
        reses, filters["laporan"] = reses.filter(status__in=services.UNREPORTED), "belum"
    if request.GET.get("usulan") == "draf":
        reses, filters["usulan"] = reses.filter(pk__in=services.with_draft_items()), "draf"
    query = request.GET.get("q", "").strip()
    if query:
        reses = reses.filter(Q(member__user__first_name__icontains=query) | Q(member__user__last_name__icontains=query)
                             | Q(venue__icontains=query))
        filters["q"] = query
    page = Paginator(reses, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reses/list.html", {
        "page": page, "filters": filters, "query_string": urlencode(filters),
        "periods": ResesPeriod.objects.all(), "statuses": Reses.Status.choices,
        "years": sorted(set(ResesPeriod.objects.values_list("year", flat=True)), reverse=True),
        "can_open": services.members_recorded_by(request.user).exists(),
    })


@login_required
def open_reses(request):
    members = services.members_recorded_by(request.user)
    if not members.exists():
        raise PermissionDenied(_("Hanya anggota DPRD dan stafnya yang membuka reses."))
    form = OpenResesForm(request.POST or None, members=members)
    first = _first_submission(request)
    if first is not None:
        messages.warning(request, _("Formulir ini sudah dikirim; reses tidak dibuka dua kali."))
        return redirect(first.result_url or "reses:list")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            reses = create_once(data["submission_token"], request.user, lambda: services.open_reses(
                period=data["period"], member=data["member"], starts_on=data["starts_on"], ends_on=data["ends_on"],
                places=list(data["places"]), venue=data["venue"], residents_present=data["residents_present"] or 0,
                user=request.user,
            ))
        except DoubleSubmission as first:
            messages.warning(request, _("Formulir ini sudah dikirim; reses tidak dibuka dua kali."))
            return redirect(first.result_url or "reses:list")
        except ValidationError as refused:
            form.add_error(None, refused)
        except PermissionDenied as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("Reses dibuka. Catat usulan warga dari halaman ini."))
            return redirect(reses)
    return render(request, "reses/open.html", {"form": form})


def _first_submission(request):
    """The receipt of this form's earlier submission by this user (sent twice), or None."""
    token = request.POST.get("submission_token", "") if request.method == "POST" else ""
    return SubmissionReceipt.objects.filter(token=token, user=request.user).first() if token else None


@login_required
def reses_detail(request, pk):
    reses = visible_reses(request.user, pk)
    mark_read(request.user, reses.subject_key)
    member_side = reses.is_member_side(request.user)
    items = ResesItem.objects.filter(reses=reses).select_related("kelurahan__kecamatan", "kamus", "opd")
    if not member_side:
        items = items.filter(status=ResesItem.Status.RECORDED)
    items = list(items)
    photos_by_item = {}
    for document in Document.objects.filter(
        owner_type__app_label="reses", owner_type__model="resesitem", owner_id__in=[str(item.pk) for item in items],
        role=PHOTO,
    ).order_by("pk"):
        photos_by_item.setdefault(int(document.owner_id), []).append(document)
    for item in items:
        item.photo_documents = photos_by_item.get(item.pk, [])
    editable = member_side and reses.is_open
    personal = reses.shows_personal_data_to(request.user)
    report = reses.report()
    return render(request, "reses/detail.html", {
        "reses": reses,
        "places": reses.places.select_related("kecamatan"),
        "items": items,
        "drafts": sum(1 for item in items if item.is_draft),
        "photos": list(reses.photos()),
        "sheet": reses.attendance_sheet() if personal else None,
        "has_sheet": reses.attendance_sheet() is not None,
        "report": report,
        "member_side": member_side,
        "editable": editable,
        "personal": personal,
        "attendance_form": AttendanceForm() if editable else None,
        "photos_form": PhotosForm() if editable else None,
        "problems": rules.finishing_problems(reses) if editable else [],
        "trail": reses.trail_rows(),
        "my_tasks": my_open_tasks(reses, request.user),
    })


@login_required
def reses_edit(request, pk):
    reses = editable_reses(request.user, pk)
    form = ResesEditForm(request.POST or None, instance=reses)
    if not reses.is_open:
        messages.warning(request, _("Pencatatan reses ini sudah selesai; datanya tidak dapat diubah lagi."))
        return redirect(reses)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_reses(reses, starts_on=data["starts_on"], ends_on=data["ends_on"], places=list(data["places"]),
                                  venue=data["venue"], residents_present=data["residents_present"], user=request.user)
        except (ValidationError, PermissionDenied) as refused:
            _refusal(request, refused)
        else:
            messages.success(request, _("Data reses disimpan."))
        return redirect(reses)
    return render(request, "reses/edit.html", {"reses": reses, "form": form})


def _posted_once(request, form, action):
    """Run ``action()`` once for this form's token; tell the person how it went."""
    try:
        with transaction.atomic():
            claim_submission(form.cleaned_data["submission_token"], request.user)
            action()
    except DoubleSubmission:
        messages.warning(request, _("Formulir ini sudah dikirim sebelumnya; tidak ada yang diubah."))
        return False
    except (ValidationError, PermissionDenied) as refused:
        _refusal(request, refused)
        return False
    return True


def _form_errors(request, form):
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


@login_required
@require_POST
def upload_attendance(request, pk):
    reses = editable_reses(request.user, pk)
    form = AttendanceForm(request.POST, request.FILES)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        file, media_type, pages = form.cleaned_data["sheet"]
        if _posted_once(request, form, lambda: services.add_attendance_sheet(
                reses, file=file, media_type=media_type, page_count=pages, user=request.user)):
            messages.success(request, _("Daftar hadir diunggah."))
    return redirect(reses)


@login_required
@require_POST
def upload_photos(request, pk):
    reses = editable_reses(request.user, pk)
    form = PhotosForm(request.POST, request.FILES)
    if not form.is_valid():
        _form_errors(request, form)
    elif _posted_once(request, form, lambda: services.add_photos(reses, photos=form.cleaned_data["photos"], user=request.user)):
        messages.success(request, _("Foto disimpan (tanpa data lokasi)."))
    return redirect(reses)


# --- requests (items): typed on a phone, saved as drafts, recorded ---------------------------


def _item_page(request, reses, form, item=None, client_key=None):
    return render(request, "reses/item_form.html", {
        "reses": reses, "form": form, "item": item, "client_key": client_key or (item.client_key if item else uuid.uuid4()),
        "photos": list(item.documents(PHOTO)) if item and item.pk else [],
    })


@login_required
def item_new(request, pk):
    reses = editable_reses(request.user, pk)
    if not reses.is_open:
        messages.warning(request, _("Pencatatan reses ini sudah selesai; datanya tidak dapat diubah lagi."))
        return redirect(reses)
    return _item_page(request, reses, ItemForm(reses=reses))


@login_required
def item_page(request, pk):
    item = get_object_or_404(ResesItem.objects.visible_to(request.user).select_related("reses__member"), pk=pk)
    reses = item.reses
    if not (reses.is_open and reses.is_member_side(request.user)):
        return redirect(item.get_anchor_url())
    return _item_page(request, reses, ItemForm(instance=item, reses=reses), item=item)


def _wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


@login_required
@require_POST
def item_save(request, pk):
    """Save a request under its ``client_key``: the page's autosave (JSON) and its plain submit both come here."""
    reses = editable_reses(request.user, pk)
    try:
        client_key = uuid.UUID(request.POST.get("client_key", ""))
    except ValueError:
        return _item_refused(request, reses, _("Formulir tidak lengkap; muat ulang halaman dan coba lagi."), status=400)
    item = ResesItem.objects.filter(client_key=client_key).first()
    if item is not None and item.reses_id != reses.pk:
        raise Http404(_("Usulan tidak ditemukan."))
    record = request.POST.get("action") == ItemForm.RECORD
    autosave = request.POST.get("autosave") == "1"
    form = ItemForm(request.POST, None if autosave else request.FILES, instance=item or ResesItem(reses=reses),
                    reses=reses, record=record and not autosave)
    if not form.is_valid():
        if _wants_json(request):
            return JsonResponse({
                "ok": False, "message": _("Belum tersimpan: periksa isian yang ditandai."),
                "errors": {field: [str(error) for error in errors] for field, errors in form.errors.items()},
            }, status=400)
        return _item_page(request, reses, form, item=item, client_key=client_key)
    try:
        item, outcome = services.save_item(
            reses, client_key=client_key, data=form.item_data(), photos=form.cleaned_data.get("photos") or [],
            user=request.user, record=record and not autosave,
        )
    except ValidationError as refused:
        if _wants_json(request):
            return JsonResponse({"ok": False, "message": " ".join(refused.messages)}, status=400)
        for field, errors in getattr(refused, "error_dict", {None: refused.error_list}).items():
            form.add_error(field if field in form.fields else None, errors)
        return _item_page(request, reses, form, item=item, client_key=client_key)
    except PermissionDenied as refused:
        return _item_refused(request, reses, str(refused), status=403)
    if _wants_json(request):
        return JsonResponse({
            "ok": True, "item": item.pk, "status": item.status, "url": item.get_absolute_url(),
            "latitude": str(item.latitude) if item.latitude is not None else "",
            "longitude": str(item.longitude) if item.longitude is not None else "",
            "message": _("Tersimpan pukul %(time)s") % {"time": time_format(timezone.localtime(), "H.i.s")},
        })
    if outcome == "recorded":
        messages.success(request, _("Usulan dicatat: %(request)s") % {"request": item})
        return redirect(item.get_anchor_url())
    if outcome == "updated":
        messages.success(request, _("Perubahan usulan disimpan."))
        return redirect(item.get_anchor_url())
    messages.success(request, _("Draf disimpan. Lengkapi lalu tekan Catat."))
    return redirect(item.get_absolute_url())


def _item_refused(request, reses, message, status):
    if _wants_json(request):
        return JsonResponse({"ok": False, "message": message}, status=status)
    messages.warning(request, message)
    return redirect(reses)


@login_required
@require_POST
def item_delete(request, pk):
    item = get_object_or_404(ResesItem.objects.visible_to(request.user), pk=pk)
    reses = editable_reses(request.user, item.reses_id)
    try:
        services.delete_draft(item, user=request.user)
    except PermissionDenied as refused:
        _refusal(request, refused)
    else:
        messages.success(request, _("Draf usulan dihapus."))
    return redirect(reses)


# --- files: photos inline, the report ------------------------------------------------------------


@login_required
def photo(request, pk):
    """A stored photo (already free of metadata) inline for the pages; ``?ukuran=kecil`` a thumbnail."""
    document = Document.objects.filter(pk=pk, role__in=[PHOTO, ATTENDANCE]).select_related("owner_type").first()
    owner = visible_owner(request.user, document) if document else None
    if owner is None or not isinstance(owner, (Reses, ResesItem, AttendanceSheet)):
        raise Http404(_("Foto tidak ditemukan."))
    version = document.current
    if not version.media_type.startswith("image/"):
        raise Http404(_("Foto tidak ditemukan."))
    if request.GET.get("ukuran") == "kecil":
        from PIL import Image

        with version.blob.file.open("rb") as handle, Image.open(handle) as image:
            image.draft("RGB", (THUMBNAIL, THUMBNAIL))
            image = image.convert("RGB")
            image.thumbnail((THUMBNAIL, THUMBNAIL))
            buffer = io.BytesIO()
            image.save(buffer, "JPEG", quality=80)
        response = HttpResponse(buffer.getvalue(), content_type="image/jpeg")
        return protect(response, f"kecil-{version.original_name}", "inline")
    response = stored_file_response(version.blob, version.original_name)
    response["Content-Disposition"] = response["Content-Disposition"].replace("attachment", "inline", 1)
    return response


@login_required
def report(request, pk):
    """The laporan hasil reses as it stands now (names and telephone numbers only for those who may see them)."""
    reses = visible_reses(request.user, pk)
    AuditEvent.record(reses, "report.printed")
    content = report_pdf(reses, personal=reses.shows_personal_data_to(request.user))
    return protect(HttpResponse(content, content_type="application/pdf"), f"laporan-{reses.file_stem()}.pdf", "inline")


# --- periods (the secretariat) --------------------------------------------------------------------


@login_required
@permission_required("reses.manage_reses_periods", raise_exception=True)
def periods(request):
    rows = ResesPeriod.objects.annotate(count=Count("reses"))
    return render(request, "reses/periods.html", {"periods": rows})


@login_required
@permission_required("reses.manage_reses_periods", raise_exception=True)
def period_form(request, pk=None):
    instance = get_object_or_404(ResesPeriod, pk=pk) if pk else None
    form = PeriodForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            period = services.save_period(data=form.period_data(), user=request.user, instance=instance)
        except ValidationError as refused:
            for field, errors in refused.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("%(period)s disimpan.") % {"period": period})
            return redirect("reses:periods")
    return render(request, "reses/period_form.html", {"form": form, "period": instance})


# --- task pages (dispatched from workflows.views.task_page) ---------------------------------------


class RecordStepView(TaskPage):
    """The member closes the recording once every request is recorded and the attendance is documented."""

    template_name = "reses/record_step.html"
    subject_name = "reses"
    done_url = None

    def get(self, request):
        return self.render(form=self.action_form("finish"), problems=rules.finishing_problems(self.subject))

    def post(self, request):
        form = self.action_form("finish", request.POST)
        if not form.is_valid():
            return self.render(form=form, problems=[])
        return self.act("finish", form)


class SubmitStepView(TaskPage):
    template_name = "reses/submit_step.html"
    subject_name = "reses"
    done_url = None

    def get(self, request):
        return self.render(form=self.action_form("submit"), items=self.subject.items.recorded().count())

    def post(self, request):
        form = self.action_form("submit", request.POST)
        if not form.is_valid():
            return self.render(form=form, items=self.subject.items.recorded().count())
        return self.act("submit", form)


class AcknowledgeStepView(TaskPage):
    template_name = "reses/acknowledge_step.html"
    subject_name = "reses"

    def _acting_for(self):
        position = self.task.flow_task.position_of(self.task)
        return position.holder if position.holder_id != self.request.user.pk else None

    def get(self, request):
        return self.render(form=self.action_form("acknowledge"), report=self.subject.report(),
                           items=self.subject.items.recorded().count(), acting_for=self._acting_for())

    def post(self, request):
        form = self.action_form("acknowledge", request.POST)
        if not form.is_valid():
            return self.render(form=form, report=self.subject.report(), items=self.subject.items.recorded().count(),
                               acting_for=self._acting_for())
        return self.act("acknowledge", form)
