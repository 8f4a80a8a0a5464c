from django.db import transaction

from project.audit.models import AuditEvent
from search import indexing
from workflows.steps import complete_human_task, lock_assigned_task

from .models import Memo


def create_memo(*, title, priority, unit, user):
    from .flows import MemoFlow

    with transaction.atomic():
        memo = Memo.objects.create(title=title, priority=priority, unit=unit)
        AuditEvent.record(memo, "memo.created", user=user)
        MemoFlow.start.run(memo=memo)
        indexing.schedule(f"memo:{memo.pk}")
    return memo


def mark_claimed(task, user):
    memo = Memo.objects.get(pk=task.process.artifact_object_id)
    memo.status, memo.claimed_by = Memo.Status.CLAIMED, user
    memo.save(update_fields=["status", "claimed_by"])
    AuditEvent.record(memo, "memo.claimed", user=user)


@transaction.atomic
def review(task, *, user, note):
    task = lock_assigned_task(task, user)
    memo = Memo.objects.get(pk=task.process.artifact_object_id)
    memo.status, memo.note = Memo.Status.DONE, note
    memo.save(update_fields=["status", "note"])
    AuditEvent.record(memo, "memo.reviewed", user=user)
    complete_human_task(task, user)
    indexing.schedule(f"memo:{memo.pk}")


def demo(count=None, progress=None):
    from django.contrib.auth import get_user_model

    from project.org.models import Unit

    user = get_user_model().objects.filter(is_superuser=False).order_by("pk").first()
    units = list(Unit.objects.filter(code__startswith="komisi").order_by("code")[:2])
    for index in range(count or 3):
        create_memo(title=f"Memo uji {index + 1}", priority=list(Memo.Priority.values)[index % 2],
                    unit=units[index % len(units)], user=user)
