"""Pages of the incoming-letter service.

Every page and file goes through ``visible_letter``: a letter the user may
not see answers 404, whatever the URL. Task pages (dispose, follow up) are
reached through the task inbox (``workflows.views.task_page``), which has
already checked that the task is the user's; what they do is the step's
registered action (``actions.py``), the same the API runs.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from documents.responses import protect
from project.audit.models import AuditEvent
from project.forms import DoubleSubmission, create_once
from project.notifications.services import mark_read
from workflows import registry
from workflows.inbox import my_open_tasks
from workflows.pages import TaskPage, create_page, refusal_message

from . import actions, services
from .forms import CancelLetterForm, CorrectLetterForm, RegisterLetterForm
from .models import DOCUMENT_ROLE_LABELS, DeadlineExtension, Letter, Nature
from .printouts import disposition_sheet_pdf

PAGE_SIZE = 25


def visible_letter(user, pk):
    """The letter if ``user`` may see it; 404 otherwise (existence is not revealed)."""
    return Letter.visible_or_404(user, pk, Letter.objects.select_related("classification", "registered_by"))


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
    overdue = request.GET.get("terlambat") == "1"
    if overdue:
        letters = services.overdue_letters(letters)
    page = Paginator(letters, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "letters/letter_list.html",
        {
            "page": page,
            "query": query,
            "status": status,
            "nature": nature,
            "overdue": overdue,
            "statuses": Letter.Status.choices,
            "natures": Nature.choices,
        },
    )


@login_required
@permission_required("letters.add_letter", raise_exception=True)
def register(request):
    return create_page(
        request,
        RegisterLetterForm(request.POST or None, request.FILES or None, user=request.user),
        "letters/register.html",
        lambda form: actions.register(form, request.user),
        done=lambda letter: _("Surat didaftarkan dengan nomor agenda %(agenda)s.") % {"agenda": letter.agenda_label},
        again=_("Formulir ini sudah dikirim; surat tidak didaftarkan dua kali."),
    )


@login_required
def letter_detail(request, pk):
    letter = visible_letter(request.user, pk)
    mark_read(request.user, letter.subject_key)
    dispositions = letter.dispositions.select_related("given_by", "acting_for").prefetch_related(
        "branches__unit", "branches__claimed_by", "branches__closed_by", "branches__forwarded_to"
    )
    return render(
        request,
        "letters/letter_detail.html",
        {
            "letter": letter,
            "dispositions": dispositions,
            "documents": [(document, DOCUMENT_ROLE_LABELS[document.role]) for document in letter.documents()],
            "trail": letter.trail_rows(),
            "my_tasks": my_open_tasks(letter, request.user),
            "missing_stamp": services.missing_stamp(letter),
            "related": registry.related_items(letter, request.user),
        },
    )


@login_required
@permission_required("letters.add_letter", raise_exception=True)
def correct(request, pk):
    """The registrar corrects a letter's data, or cancels its registration, while it awaits disposition."""
    letter = visible_letter(request.user, pk)
    if not letter.awaiting_disposition:
        messages.warning(request, _("Surat yang sudah didisposisikan atau dibatalkan tidak dapat diubah lagi."))
        return redirect(letter)
    # the service reloads the letter under a lock and compares with what is stored, not with this instance
    form = CorrectLetterForm(request.POST or None, instance=letter)
    if request.method == "POST" and form.is_valid():
        done = _("Data surat %(agenda)s dikoreksi.") % {"agenda": letter.agenda_label}
        return _once(request, form, lambda: services.correct_letter(letter, user=request.user, data=form.letter_data()),
                     done, letter)
    return render(request, "letters/correct.html", {"letter": letter, "form": form, "cancel_form": CancelLetterForm()})


@login_required
@permission_required("letters.add_letter", raise_exception=True)
@require_POST
def cancel(request, pk):
    letter = visible_letter(request.user, pk)
    form = CancelLetterForm(request.POST)
    if not form.is_valid():
        return render(request, "letters/correct.html", {
            "letter": letter, "form": CorrectLetterForm(instance=letter), "cancel_form": form,
        })
    done = _("Pendaftaran surat %(agenda)s dibatalkan.") % {"agenda": letter.agenda_label}
    reason = form.cleaned_data["reason"]
    return _once(request, form, lambda: services.cancel_letter(letter, user=request.user, reason=reason), done, letter)


@login_required
@permission_required("letters.add_letter", raise_exception=True)
@require_POST
def retry_stamp(request, pk):
    """The registrar asks for the agenda stamp again after it failed (the letter page shows why)."""
    letter = visible_letter(request.user, pk)
    try:
        services.retry_stamp(letter, user=request.user)
    except ValidationError as refused:
        messages.warning(request, " ".join(refused.messages))
    else:
        messages.success(request, _("Stempel agenda dicoba lagi; hasilnya tampil di halaman ini sebentar lagi."))
    return redirect(letter)


def _once(request, form, change, done, letter):
    """Run ``change`` once per form; a refusal (already disposed, sent twice) is said, and nothing changes."""
    try:
        create_once(form.cleaned_data["submission_token"], request.user, change)
    except (DoubleSubmission, ValidationError) as refused:
        said = refusal_message(refused) if isinstance(refused, DoubleSubmission) else " ".join(refused.messages)
        messages.warning(request, said)
    else:
        messages.success(request, done)
    return redirect(letter)


@login_required
def disposition_sheet(request, pk):
    letter = visible_letter(request.user, pk)
    AuditEvent.record(letter, "sheet.printed")
    response = HttpResponse(disposition_sheet_pdf(letter), content_type="application/pdf")
    return protect(response, f"lembar-disposisi-{letter.agenda_year}-{letter.agenda_number:04d}.pdf", "inline")


# --- task pages (dispatched from workflows.views.task_page) -----------------


class DisposeView(TaskPage):
    template_name = "letters/dispose.html"
    subject_name = "letter"

    def get(self, request):
        return self.page(self.action_form("dispose"))

    def page(self, form):
        """The chair's next waiting letter and how many wait: counted, not loaded (after some years thousands may)."""
        others = services.waiting_dispositions(self.request.user).exclude(pk=self.task.pk)
        return self.render(form=form, acting_for=self._acting_for(),
                           next_task_pk=others.values_list("pk", flat=True).first(), remaining=others.count())

    def _acting_for(self):
        position = self.task.flow_task.position_of(self.task)
        return position.holder if position.holder_id != self.request.user.pk else None

    def post(self, request):
        form = self.action_form("dispose", request.POST)
        if not form.is_valid():
            return self.page(form)
        return self.act("dispose", form)

    @property
    def done_url(self):
        """After a disposition the chair goes on with the next letter waiting, or back to the inbox when none is."""
        waiting = services.waiting_dispositions(self.request.user).values_list("pk", flat=True).first()
        if waiting is not None:
            return reverse("tasks:task", args=[waiting])
        messages.info(self.request, _("Tidak ada lagi surat yang menunggu disposisi Anda."))
        return reverse("tasks:inbox")


class FollowUpView(TaskPage):
    """One page, three actions: close the branch with a report, forward it to a staff member, or ask the chair
    for a later deadline."""

    template_name = "letters/follow_up.html"
    subject_name = "letter"

    def get(self, request):
        return self.render(**self.forms())

    ACTIONS = ("close", "forward", "extend")

    def forms(self, action=None, data=None, files=None):
        branch = services.branch_of_task(self.task)
        return {
            "branch": branch,
            "pending_extension": branch.extensions.filter(status=DeadlineExtension.Status.PENDING).first(),
            **{
                f"{name}_form": self.action_form(name, data if name == action else None, files, prefix=name)
                for name in self.ACTIONS
            },
        }

    def post(self, request):
        action = next((name for name in self.ACTIONS if name in request.POST), "close")
        context = self.forms(action, request.POST, request.FILES)
        form = context[f"{action}_form"]
        if not form.is_valid():
            return self.render(**context)
        return self.act(action, form)


class DecideExtensionView(TaskPage):
    """The chair grants or refuses a unit's request for a later deadline."""

    template_name = "letters/decide_extension.html"
    subject_name = "letter"

    def get(self, request):
        return self.render(form=self.action_form("decide"), extension=services.extension_of_task(self.task))

    def post(self, request):
        form = self.action_form("decide", request.POST)
        if not form.is_valid():
            return self.render(form=form, extension=services.extension_of_task(self.task))
        return self.act("decide", form)
