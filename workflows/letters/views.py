"""Pages of the incoming-letter service.

Every page and file goes through ``visible_letter``: a letter the user may
not see answers 404, whatever the URL. Task pages (dispose, follow up) are
reached through the task inbox (``workflows.views.task_page``), which has
already checked that the task is the user's; what they do is the step's
registered action (``actions.py``), the same the API runs.
"""

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from documents.responses import protect
from project.audit.models import AuditEvent
from project.notifications.services import mark_read
from workflows import registry
from workflows.inbox import my_open_tasks
from workflows.pages import TaskPage, create_page

from . import actions, services
from .forms import RegisterLetterForm
from .models import DOCUMENT_ROLE_LABELS, Letter, Nature
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
    return create_page(
        request,
        RegisterLetterForm(request.POST or None, request.FILES or None),
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
            "related": registry.related_items(letter, request.user),
        },
    )


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
        return self.render(form=self.action_form("dispose"), acting_for=self._acting_for())

    def _acting_for(self):
        position = self.task.flow_task.position_of(self.task)
        return position.holder if position.holder_id != self.request.user.pk else None

    def post(self, request):
        form = self.action_form("dispose", request.POST)
        if not form.is_valid():
            return self.render(form=form, acting_for=self._acting_for())
        return self.act("dispose", form)


class FollowUpView(TaskPage):
    """One page, two actions: close the branch with a report, or forward it to a staff member."""

    template_name = "letters/follow_up.html"
    subject_name = "letter"

    def get(self, request):
        return self.render(**self.forms())

    def forms(self, close_data=None, forward_data=None, files=None):
        return {
            "branch": services.branch_of_task(self.task),
            "close_form": self.action_form("close", close_data, files, prefix="close"),
            "forward_form": self.action_form("forward", forward_data, prefix="forward"),
        }

    def post(self, request):
        action = "forward" if "forward" in request.POST else "close"
        context = self.forms(
            close_data=request.POST if action == "close" else None,
            forward_data=request.POST if action == "forward" else None,
            files=request.FILES,
        )
        form = context[f"{action}_form"]
        if not form.is_valid():
            return self.render(**context)
        return self.act(action, form)
