"""The task inbox shared by every workflow: dashboard, inbox, queue, archive.

Viewflow's own list views check only model-wide permissions, so SIAP uses
its task managers here and checks each task itself: a user sees a task when
it is theirs, or when it is unclaimed and they may claim it (the unit's
object permission, via ``node.can_assign``).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from project.notifications.models import Notification
from workflows.letters import services as letter_services
from workflows.letters.flows import LetterFlow
from workflows.letters.models import DispositionBranch, Letter
from workflows.minutes.flows import MinutesFlow

FLOWS = [LetterFlow, MinutesFlow]
PAGE_SIZE = 25


def _human_tasks():
    return (
        Task.objects.filter(process__flow_class__in=FLOWS, flow_task_type="HUMAN")
        .select_related("process", "owner")
        .prefetch_related("process__artifact")
    )


def inbox_tasks(user):
    return _human_tasks().filter(owner=user, status=STATUS.ASSIGNED).order_by("-created")


def queue_tasks(user):
    return _human_tasks().user_queue(user).filter(status=STATUS.NEW, owner__isnull=True).order_by("-created")


def archive_tasks(user):
    return _human_tasks().filter(owner=user, status=STATUS.DONE).order_by("-finished")


def _task_rows(tasks):
    return [{"task": task, "title": task.flow_task.task_title or str(task.flow_task), "subject": task.process.artifact} for task in tasks]


@login_required
def dashboard(request):
    user = request.user
    letters = Letter.objects.visible_to(user)
    overdue = DispositionBranch.objects.filter(
        disposition__letter__in=letters, overdue=True
    ).exclude(status=DispositionBranch.Status.CLOSED)
    counters = [
        {
            "label": _("Surat menunggu disposisi"),
            "value": inbox_tasks(user).filter(flow_task=LetterFlow.dispose).count()
            if not user.has_perm("letters.view_all_letters")
            else letters.filter(status=Letter.Status.AWAITING_DISPOSITION).count(),
            "url": "tasks:inbox",
        },
        {
            "label": _("Disposisi belum dibaca"),
            "value": Notification.objects.filter(
                recipient=user, kind=Notification.Kind.DISPOSITION, read_at__isnull=True
            ).count(),
            "url": "notifications",
        },
        {"label": _("Tindak lanjut lewat batas waktu"), "value": overdue.count(), "url": "letters:list"},
        {"label": _("Tugas di kotak masuk"), "value": inbox_tasks(user).count(), "url": "tasks:inbox"},
        {"label": _("Tugas di antrean unit"), "value": queue_tasks(user).count(), "url": "tasks:queue"},
    ]
    return render(
        request,
        "workflows/dashboard.html",
        {"counters": counters, "rows": _task_rows(inbox_tasks(user)[:10]), "overdue": overdue.select_related("unit", "disposition__letter")[:10]},
    )


def _task_list(request, tasks, title, empty):
    page = Paginator(tasks, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "workflows/task_list.html",
        {"page": page, "rows": _task_rows(page.object_list), "title": title, "empty": empty},
    )


@login_required
def inbox(request):
    return _task_list(request, inbox_tasks(request.user), _("Kotak masuk"), _("Tidak ada tugas untuk Anda."))


@login_required
def queue(request):
    return _task_list(
        request, queue_tasks(request.user), _("Antrean unit"), _("Tidak ada tugas yang menunggu diambil.")
    )


@login_required
def archive(request):
    return _task_list(request, archive_tasks(request.user), _("Arsip tugas"), _("Belum ada tugas yang selesai."))


def _task_for(user, task_pk):
    """The open task if it is the user's or claimable by them; 404 otherwise."""
    task = Task.objects.filter(pk=task_pk, process__flow_class__in=FLOWS, flow_task_type="HUMAN").first()
    if task is None:
        raise Http404(_("Tugas tidak ditemukan."))
    if task.status == STATUS.ASSIGNED and task.owner_id == user.pk:
        return task
    if task.status == STATUS.NEW and task.flow_task.can_assign(user, task):
        return task
    raise Http404(_("Tugas tidak ditemukan atau sudah dikerjakan."))


@login_required
def task_page(request, task_pk):
    task = _task_for(request.user, task_pk)
    if task.owner_id != request.user.pk:
        return render(request, "workflows/claim.html", {"task": task, "subject": task.process.artifact})
    return task.flow_task.view(request, task=task)


@login_required
@require_POST
def claim(request, task_pk):
    task = _task_for(request.user, task_pk)
    try:
        letter_services.claim_branch(task, user=request.user)
    except PermissionDenied as refused:
        messages.warning(request, str(refused))
        return redirect("tasks:queue")
    messages.success(request, _("Tugas diambil dan masuk ke kotak masuk Anda."))
    return redirect("tasks:task", task_pk=task.pk)


@login_required
def notifications(request):
    items = Notification.objects.filter(recipient=request.user)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "workflows/notifications.html", {"page": page})
