"""Tasks of every registered process: inbox, unit queue, archive, claiming.

Viewflow's own task lists check only model-wide permissions, so SIAP builds
them from Viewflow's task manager and checks each task itself: a user sees a
task when it is theirs, or when it is unclaimed and they may claim it (the
unit's object permission, via ``node.can_assign``). Pages and the API both
use these functions.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from project.audit.models import AuditEvent

from . import registry


def human_tasks():
    return (
        Task.objects.filter(process__flow_class__in=registry.flows(), flow_task_type="HUMAN")
        .select_related("process", "owner")
        .prefetch_related("process__artifact")
    )


def inbox_tasks(user):
    return human_tasks().filter(owner=user, status=STATUS.ASSIGNED).order_by("-created")


def queue_tasks(user):
    return human_tasks().user_queue(user).filter(status=STATUS.NEW, owner__isnull=True).order_by("-created")


def archive_tasks(user):
    return human_tasks().filter(owner=user, status=STATUS.DONE).order_by("-finished")


def may_act_on(user, task):
    """The open task is the user's, or unclaimed and claimable by them."""
    if task.status == STATUS.ASSIGNED and task.owner_id == user.pk:
        return True
    return task.status == STATUS.NEW and task.flow_task.can_assign(user, task)


def task_for(user, task_pk):
    """The open human task if it is the user's or claimable by them, about a subject they see; 404 otherwise.

    Pages and the API both come here, so no task is worked on by someone
    its process's rule does not let see the subject.
    """
    task = human_tasks().filter(pk=task_pk).first()
    if task is None:
        raise Http404(_("Tugas tidak ditemukan."))
    if not may_act_on(user, task):
        raise Http404(_("Tugas tidak ditemukan atau sudah dikerjakan."))
    registry.process_of_task(task).visible_or_404(user, task.process.artifact_object_id)
    return task


def open_tasks(subject, node, user=None):
    """The subject's open tasks of ``node`` (owned by ``user`` if given)."""
    if subject.process_id is None:
        return Task.objects.none()
    tasks = subject.process.task_set.filter(flow_task=node, status__in=[STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED])
    if user is not None:
        tasks = tasks.filter(owner=user)
    return tasks


def open_task(subject, node, user=None):
    """The subject's open task of ``node`` (owned by ``user`` if given), or None."""
    return open_tasks(subject, node, user).first()


def my_open_tasks(subject, user):
    """The subject's open human tasks this user may work on now (theirs, or claimable)."""
    if subject.process_id is None:
        return []
    tasks = subject.process.task_set.filter(status__in=[STATUS.NEW, STATUS.ASSIGNED], flow_task_type="HUMAN")
    return [task for task in tasks.select_related("owner") if may_act_on(user, task)]


@transaction.atomic
def claim(task, *, user):
    """Take an unclaimed task into ``user``'s inbox (row lock, then assign), then the node's claim hook.

    Two people claiming at once: the second finds the row claimed and is told by whom.
    """
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.owner_id:
        raise PermissionDenied(_("Tugas ini sudah diambil oleh %(name)s.") % {"name": task.owner.get_full_name() or task.owner})
    if task.status != STATUS.NEW:
        raise PermissionDenied(_("Tugas ini sudah dikerjakan oleh orang lain."))
    with task.activation() as activation:
        if not activation.assign.has_perm(user):
            raise PermissionDenied(_("Anda tidak berwenang mengambil tugas ini."))
        activation.assign(user)
    on_claim = getattr(task.flow_task, "on_claim", None)
    if on_claim is not None:
        on_claim(task, user)
    else:
        AuditEvent.record(task.process.artifact, "task.claimed", user=user, detail={"task": str(task.flow_task.task_title)})
    return task


@dataclass
class TaskRow:
    """A task as inboxes and the API list it."""

    task: Task
    process: registry.Process
    title: str
    subject: object
    deadline: date | None

    @property
    def overdue(self):
        return self.deadline is not None and self.deadline < timezone.localdate() and self.task.status != STATUS.DONE


def rows(tasks):
    result = []
    for task in tasks:
        process = registry.process_of_task(task)
        deadline = process.deadline_of(task) if process.deadline_of else None
        title = task.flow_task.task_title or str(task.flow_task)
        result.append(TaskRow(task=task, process=process, title=str(title), subject=task.process.artifact, deadline=deadline))
    return result
