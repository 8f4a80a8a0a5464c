"""The task pages shared by every registered process: dashboard, inbox, queue, archive.

What they list comes from ``workflows.inbox`` (the registry's flows, each
task checked for the user); what the dashboard counts comes from each
process's registered counters and attention lists.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from project.notifications.models import Notification

from . import inbox, registry
from .subjects import evidence_response, trail_csv_response

PAGE_SIZE = 25


@login_required
def dashboard(request):
    user = request.user
    counters = registry.dashboard_counters(user)
    attention = [item for process in registry.processes() if process.attention for item in process.attention(user)]
    counters += [
        registry.Counter(_("Tugas di kotak masuk"), inbox.inbox_tasks(user).count(), "tasks:inbox"),
        registry.Counter(_("Tugas di antrean unit"), inbox.queue_tasks(user).count(), "tasks:queue"),
    ]
    return render(request, "workflows/dashboard.html", {
        "counters": counters, "rows": inbox.rows(inbox.inbox_tasks(user)[:10]), "attention": attention,
    })


def _task_list(request, tasks, title, empty):
    page = Paginator(tasks, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "workflows/task_list.html",
        {"page": page, "rows": inbox.rows(page.object_list), "title": title, "empty": empty},
    )


@login_required
def inbox_page(request):
    return _task_list(request, inbox.inbox_tasks(request.user), _("Kotak masuk"), _("Tidak ada tugas untuk Anda."))


@login_required
def queue(request):
    return _task_list(
        request, inbox.queue_tasks(request.user), _("Antrean unit"), _("Tidak ada tugas yang menunggu diambil.")
    )


@login_required
def archive(request):
    return _task_list(request, inbox.archive_tasks(request.user), _("Arsip tugas"), _("Belum ada tugas yang selesai."))


@login_required
def task_page(request, task_pk):
    task = inbox.task_for(request.user, task_pk)
    if task.owner_id != request.user.pk:
        return render(request, "workflows/claim.html", {"task": task, "subject": task.process.artifact})
    return task.flow_task.view(request, task=task)


@login_required
@require_POST
def claim(request, task_pk):
    task = inbox.task_for(request.user, task_pk)
    try:
        inbox.claim(task, user=request.user)
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


# --- what every subject has: its trail as CSV, the auditors' evidence bundle (see urls.subject_urls) ---


@login_required
def trail_csv(request, pk, process):
    return trail_csv_response(registry.get(process).visible_or_404(request.user, pk))


@login_required
@permission_required("documents.export_evidence", raise_exception=True)
def evidence(request, pk, process):
    """Auditors: the subject's files, checksums, text and trail in one ZIP."""
    return evidence_response(request, registry.get(process).visible_or_404(request.user, pk))
