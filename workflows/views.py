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
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from project.notifications.models import KIND_LABELS, Notification

from . import inbox, registry
from .context_processors import has_unit_queue
from .subjects import evidence_response, trail_csv_response

PAGE_SIZE = 25


@login_required
def dashboard(request):
    user = request.user
    counters = registry.dashboard_counters(user)
    attention = [item for process in registry.processes() if process.attention for item in process.attention(user)]
    mine = inbox.inbox_tasks(user)
    counters.append(registry.Counter(_("Tugas di kotak masuk"), registry.capped_count(mine), "tasks:inbox"))
    overdue = inbox.Filters(overdue=True)
    late = registry.capped_count(overdue.apply(mine))
    if late:
        counters.append(registry.Counter(_("Lewat batas waktu"), late, "tasks:inbox", overdue.query()))
    if has_unit_queue(user):
        queued = registry.capped_count(inbox.queue_tasks(user))
        counters.append(registry.Counter(_("Tugas di antrean unit"), queued, "tasks:queue"))
    rows = inbox.rows(mine[:10], user)
    return render(request, "workflows/dashboard.html", {"counters": counters, "rows": rows, "attention": attention})


def _task_list(request, tasks, title, empty, *, sortable_by_deadline=True):
    """A page of task rows narrowed and sorted by the page's GET parameters (``inbox.Filters``), in the database."""
    filters = inbox.Filters.from_query(request.GET)
    page = Paginator(filters.apply(tasks), PAGE_SIZE).get_page(request.GET.get("page"))
    choices = inbox.FilterChoices.of(tasks)
    return render(request, "workflows/task_list.html", {
        "page": page, "rows": inbox.rows(page.object_list, request.user), "title": title, "filters": filters,
        "choices": choices,
        "active": _active_filters(request, filters, choices), "sortable_by_deadline": sortable_by_deadline,
        "query_string": urlencode(filters.query()),
        "empty": _("Tidak ada tugas yang sesuai dengan filter.") if filters.narrowing else empty,
    })


def _active_filters(request, filters, choices):
    """``[(label, url without it)]`` for each filter in force, so each can be cleared on its own."""
    labels = {
        "proses": dict(choices.processes).get(filters.process, filters.process),
        "langkah": dict(choices.nodes).get(filters.node, filters.node),
        "sifat": dict(choices.natures).get(filters.nature, filters.nature),
        "terlambat": _("Lewat batas waktu"),
    }
    query = filters.query()
    return [
        (labels[name], f"{request.path}?{urlencode({k: v for k, v in query.items() if k != name})}")
        for name in ("proses", "langkah", "sifat", "terlambat") if name in query
    ]


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
    """Finished tasks, newest first, filtered and sorted (no task of it is overdue)."""
    tasks = inbox.archive_tasks(request.user)
    return _task_list(request, tasks, _("Arsip tugas"), _("Belum ada tugas yang selesai."), sortable_by_deadline=False)


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
@require_POST
def release(request, task_pk):
    """The member who claimed a unit's task gives it back to the unit's queue."""
    task = inbox.task_for(request.user, task_pk)
    try:
        inbox.release(task, user=request.user)
    except PermissionDenied as refused:
        messages.warning(request, str(refused))
        return redirect("tasks:inbox")
    messages.success(request, _("Tugas dikembalikan ke antrean unit."))
    return redirect("tasks:queue")


@login_required
def notifications(request):
    """The user's notifications; ``jenis=<kind>`` and ``belum_dibaca=1`` narrow them (dashboard counters link here)."""
    items = Notification.objects.filter(recipient=request.user)
    kind = request.GET.get("jenis", "").strip()
    unread = request.GET.get("belum_dibaca") == "1"
    query = {key: value for key, value in (("jenis", kind), ("belum_dibaca", "1" if unread else "")) if value}
    if kind:
        items = items.filter(kind=kind)
    if unread:
        items = items.filter(read_at__isnull=True)
    labels = {"jenis": KIND_LABELS.get(kind, kind), "belum_dibaca": _("Belum dibaca")}
    active = [
        (labels[name], f"{request.path}?{urlencode({k: v for k, v in query.items() if k != name})}")
        for name in ("jenis", "belum_dibaca") if name in query
    ]
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "workflows/notifications.html", {
        "page": page, "active": active, "query_string": urlencode(query), "clear_url": request.path,
    })


# --- what every subject has: its trail as CSV, the auditors' evidence bundle (see urls.subject_urls) ---


@login_required
def trail_csv(request, pk, process):
    return trail_csv_response(registry.get(process).visible_or_404(request.user, pk))


@login_required
@permission_required("documents.export_evidence", raise_exception=True)
def evidence(request, pk, process):
    """Auditors: the subject's files, checksums, text and trail in one ZIP."""
    return evidence_response(request, registry.get(process).visible_or_404(request.user, pk))
