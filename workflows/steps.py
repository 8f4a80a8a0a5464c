"""Completing human tasks, the same way in every workflow.

Two people may act on one task (two tabs, the chair and a deputy): the
task row is locked and its state checked before anything changes, so the
second one gets a clear refusal instead of a second result.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from viewflow.workflow.status import STATUS


def lock_assigned_task(task, user=None):
    """The task, locked for this transaction, if it is still open (and ``user``'s, when given)."""
    task = type(task).objects.select_for_update().get(pk=task.pk)
    if task.status != STATUS.ASSIGNED:
        raise PermissionDenied(_("Tugas ini sudah dikerjakan oleh orang lain."))
    if user is not None and task.owner_id != user.pk:
        raise PermissionDenied(_("Tugas ini tidak berada di kotak masuk Anda."))
    return task


def complete_human_task(task, user):
    """Run a human task to completion as ``user`` (assigning it first when needed)."""
    with task.activation() as activation:
        if activation.assign.can_proceed() and task.owner_id is None:
            activation.assign(user)
        if not activation.start.has_perm(user):
            raise PermissionDenied(_("Anda tidak berwenang mengerjakan tugas ini."))
        activation.start(None)
        activation.execute()


def bind_process(subject, process):
    """Tie a started process and its subject (a letter, a meeting) to each other; return the subject."""
    process.artifact = subject
    process.save()
    subject.process = process
    subject.save(update_fields=["process"])
    return subject
