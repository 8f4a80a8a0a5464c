"""Pages of the aspiration service: the handlers' list and pages, the steps, and the residents' public pages.

Every staff page loads aspirations through ``Aspiration.objects.visible_to``
(404 outside it); names and contacts show only to the desk, a *rahasia*
aspiration's content only to its handlers (``models.Aspiration``).
"""

import logging
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from project.notifications.services import mark_read
from workflows.inbox import my_open_tasks
from workflows.pages import ActionsPage

from . import dashboard as figures
from . import exports, public, services
from .forms import (DraftPokirForm, FollowUpNoteForm, LinkAgendaItemForm, LinkPokirForm, PublicAspirationForm,
                    TrackForm)
from .models import DOCUMENT_ROLE_LABELS, Aspiration, Category

log = logging.getLogger(__name__)

PAGE_SIZE = 25


class StepView(ActionsPage):
    """A step's page: the aspiration as this person may see it, and one form per action of the step."""

    template_name = "aspirations/step.html"
    subject_name = "aspiration"
    done_url = "tasks:inbox"

    def page(self, forms, **extra):
        return self.render(forms=forms, **extra, **aspiration_context(self.request.user, self.subject))


class VerifyView(StepView):
    actions = ("verify",)

    def page(self, forms, **extra):
        return super().page(forms, show_duplicates=True, duplicates=services.open_duplicates_of(self.subject), **extra)


class DisposeView(StepView):
    actions = ("dispose",)


class FollowUpView(StepView):
    actions = ("answer",)


class ApproveView(StepView):
    actions = ("approve", "return")


def aspiration_context(user, aspiration):
    """What any page shows of one aspiration to ``user``: content and sender only as far as the rules allow."""
    show_content = aspiration.content_shown_to(user)
    return {
        "aspiration": aspiration,
        "show_content": show_content,
        "documents": [(document, DOCUMENT_ROLE_LABELS.get(document.role, document.role))
                      for document in aspiration.documents()] if show_content else [],
        "show_personal": user.has_perm("aspirations.view_aspiration_personal_data"),
        "sender": aspiration.sender_shown_to(user),
        "timeline": aspiration.timeline.all(),
        "late": overdue(aspiration),
    }


def _filtered(request, preset=None):
    """The aspirations this person sees, narrowed by the list's filters; ``(queryset, filters)``."""
    aspirations = Aspiration.objects.visible_to(request.user).with_content_shown(request.user).select_related("unit", "kelurahan")
    if preset == "late":
        aspirations = services.late_aspirations(aspirations.exclude(status__in=Aspiration.FINISHED))
    filters = {}
    if request.GET.get("terbuka") == "1":  # not yet finished (the dashboard's counter)
        aspirations, filters["terbuka"] = aspirations.exclude(status__in=Aspiration.FINISHED), "1"
    for key, field, values in (("status", "status", Aspiration.Status.values), ("saluran", "channel", Aspiration.Channel.values),
                               ("kategori", "category", Category.values)):
        value = request.GET.get(key, "")
        if value in values:
            aspirations = aspirations.filter(**{field: value})
            filters[key] = value
    return aspirations, filters


@login_required
def aspiration_list(request, preset=None):
    aspirations, filters = _filtered(request, preset)
    page = Paginator(aspirations, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    return render(request, "aspirations/list.html", {
        "page": page, "preset": preset, "filters": filters, "query_string": urlencode(filters),
        "statuses": Aspiration.Status.choices, "channels": Aspiration.Channel.choices, "categories": Category.choices,
        "today": today,
        "rows": [(aspiration, aspiration.content_shown, aspiration.current_due, overdue(aspiration, today))
                 for aspiration in page],
    })


def overdue(aspiration, today=None):
    return services.deadlines.is_late(aspiration.current_due, today)


@login_required
def late(request):
    return aspiration_list(request, preset="late")


def _visible(request, pk):
    return Aspiration.visible_or_404(
        request.user, pk, Aspiration.objects.select_related("unit", "kelurahan__kecamatan", "pokir", "agenda_item__meeting"))


@login_required
def detail(request, pk):
    aspiration = _visible(request, pk)
    mark_read(request.user, aspiration.subject_key)
    return render(request, "aspirations/detail.html", detail_context(request, aspiration))


def detail_context(request, aspiration, **forms):
    user = request.user
    context = aspiration_context(user, aspiration)
    handler = services.may_follow_up(user, aspiration)
    in_follow_up = aspiration.status in (Aspiration.Status.IN_FOLLOW_UP, Aspiration.Status.ANSWER_DRAFTED)
    if context["show_content"]:
        context["notes"] = aspiration.follow_up_notes.select_related("by")
    context.update(
        messages_=aspiration.messages.all(),
        due=aspiration.current_due,
        my_tasks=my_open_tasks(aspiration, user),
        trail=aspiration.trail_rows(),
        merged=aspiration.merged.all() if context["show_content"] else (),
        note_form=forms.get("note_form") or (FollowUpNoteForm() if handler and in_follow_up else None),
        pokir_form=forms.get("pokir_form") or (LinkPokirForm(user=user) if handler and not aspiration.finished else None),
        agenda_form=forms.get("agenda_form") or (
            LinkAgendaItemForm(user=user) if handler and not aspiration.finished else None),
        draft_pokir_form=forms.get("draft_pokir_form") or (
            DraftPokirForm.offered_to(user, aspiration) if not aspiration.finished and not aspiration.pokir_id else None),
    )
    return context


@login_required
@require_POST
def draft_pokir(request, pk):
    """A pokir draft from the aspiration, then on to the pokir's edit page to complete it."""
    aspiration = _visible(request, pk)
    form = DraftPokirForm(request.POST, user=request.user)
    if not form.is_valid():
        return render(request, "aspirations/detail.html", detail_context(request, aspiration, draft_pokir_form=form),
                      status=400)
    try:
        pokir = services.draft_pokir_from(aspiration, user=request.user, **form.cleaned_data)
    except (PermissionDenied, ValidationError) as refused:
        messages.warning(request, " ".join(getattr(refused, "messages", [str(refused)])))
        return redirect(aspiration)
    messages.success(request, _("Draf pokir dibuat dari aspirasi %(code)s; lengkapi isiannya.") % {"code": aspiration.code})
    return redirect("pokir:edit", pokir.pk)


@login_required
@require_POST
def add_note(request, pk):
    aspiration = _visible(request, pk)
    form = FollowUpNoteForm(request.POST, request.FILES)
    if form.is_valid():
        file, media_type = form.cleaned_data["document"] or (None, None)
        try:
            services.add_note(aspiration, user=request.user, text=form.cleaned_data["text"], file=file, media_type=media_type)
        except PermissionDenied as refused:
            messages.warning(request, str(refused))
            return redirect(aspiration)
        messages.success(request, _("Catatan tindak lanjut disimpan."))
        return redirect(aspiration)
    return render(request, "aspirations/detail.html", detail_context(request, aspiration, note_form=form), status=400)


@login_required
@require_POST
def link(request, pk, target):
    aspiration = _visible(request, pk)
    if target == "pokir":
        form = LinkPokirForm(request.POST, user=request.user)
    else:
        form = LinkAgendaItemForm(request.POST, user=request.user)
    if not form.is_valid():
        key = "pokir_form" if target == "pokir" else "agenda_form"
        return render(request, "aspirations/detail.html", detail_context(request, aspiration, **{key: form}), status=400)
    try:
        if target == "pokir":
            services.link_pokir(aspiration, user=request.user, pokir=form.cleaned_data["pokir"])
            messages.success(request, _("Aspirasi ditautkan ke pokir."))
        else:
            services.link_agenda_item(aspiration, user=request.user, agenda_item=form.cleaned_data["agenda_item"])
            messages.success(request, _("Aspirasi ditautkan ke acara rapat."))
    except PermissionDenied as refused:
        messages.warning(request, str(refused))
    return redirect(aspiration)


# --- figures and export --------------------------------------------------------------------


@login_required
def dashboard(request):
    if not Aspiration.objects.visible_to(request.user).exists():
        raise Http404(Aspiration.not_found)
    return render(request, "aspirations/dashboard.html", figures.dashboard(request.user))


@login_required
@permission_required("aspirations.export_aspirations", raise_exception=True)
def export_csv(request):
    aspirations, _filters = _filtered(request)
    return exports.csv_response(request.user, aspirations)


# --- the residents' public pages (no login) -------------------------------------------------


def _limited(request):
    return render(request, "aspirations/limited.html", status=429)


def submit(request):
    """The web form: a resident sends an aspiration; the code is shown on the next page (kept in the session)."""
    if request.method != "POST":
        return render(request, "aspirations/submit.html", {"form": PublicAspirationForm()})
    if not public.allowed(request, public.FORM):
        return _limited(request)
    if public.too_large(request):
        return render(request, "aspirations/submit.html", {
            "form": PublicAspirationForm(), "refused": _("Kiriman terlalu besar. Kurangi jumlah atau ukuran lampiran."),
        }, status=413)
    form = PublicAspirationForm(request.POST, request.FILES)
    if public.is_bot(form):
        public.pretend_success(request)
        return redirect("aspirations:submitted")
    if not form.is_valid():
        return render(request, "aspirations/submit.html", {"form": form}, status=400)
    token = form.cleaned_data["submission_token"]
    first = public.claim_token(request, token)
    if first is not None:
        if first:
            request.session[public.SESSION_KEY] = {"pk": first}
            return redirect("aspirations:submitted")
        return render(request, "aspirations/submit.html", {
            "form": form, "refused": _("Formulir ini sedang diproses. Tunggu sebentar, lalu muat ulang halaman."),
        }, status=409)
    try:
        aspiration = services.receive(**form.receive_arguments())
    except ValidationError as refused:
        public.token_failed(token)
        form.add_error(None, refused)
        return render(request, "aspirations/submit.html", {"form": form}, status=400)
    except Exception:
        public.token_failed(token)
        raise
    public.token_done(request, token, aspiration)
    public.remember_sent(request, aspiration)
    return redirect("aspirations:submitted")


def submitted(request):
    sent = public.sent(request)
    if sent is None:
        return redirect("aspirations:submit")
    code, has_contact = sent
    return render(request, "aspirations/submitted.html", {"code": code, "has_contact": has_contact})


def _track_page(request, aspiration):
    if aspiration is None:
        return render(request, "aspirations/track_unknown.html", {"form": TrackForm()}, status=404)
    shows_answer = aspiration.answered_at is not None and aspiration.answer  # also a merged one's, from its parent
    return render(request, "aspirations/track.html", {
        "aspiration": aspiration, "timeline": aspiration.timeline.all(), "shows_answer": shows_answer,
    })


def track_lookup(request):
    """No login: a resident types the code; the same page answers an unknown and a malformed one (404)."""
    if "kode" not in request.GET:
        return render(request, "aspirations/track_lookup.html", {"form": TrackForm()})
    if not public.allowed(request, public.TRACK):
        return _limited(request)
    return _track_page(request, services.find_by_code(request.GET["kode"]))


def track(request, code):
    """No login: the public timeline and answer of one aspiration, by its code (never a name or contact)."""
    if not public.allowed(request, public.TRACK):
        return _limited(request)
    return _track_page(request, services.find_by_code(code))
