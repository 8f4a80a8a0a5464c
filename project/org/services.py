"""Organisation rules: unit membership, acting officials, task routing.

Work that belongs to a position (the chair disposes letters) is stored on
the Viewflow task with ``task.data["position"]``; whoever holds or acts for
that position on the day owns the task. When a delegation starts, ends or
is revoked, ``reroute_position_tasks`` moves open tasks to the new owner.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from guardian.shortcuts import assign_perm
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from project.audit.models import AuditEvent

from .models import Delegation, Position, Unit
from .permissions import ensure_unit_permissions, unit_permissions

CHAIR_UNIT_CODE = "pimpinan"
OPEN_TASK_STATUSES = [STATUS.NEW, STATUS.ASSIGNED]


def grant_unit_permissions(unit):
    """Give the unit's group every registered unit permission on its unit (coarse: per unit)."""
    ensure_unit_permissions()
    for perm in unit_permissions():
        assign_perm(perm, unit.group, unit)


def sync_unit_group(unit):
    """Unit group members are exactly the holders of the unit's positions."""
    holders = get_user_model().objects.filter(positions__unit=unit).distinct()
    unit.group.user_set.set(holders)


def chair_position():
    return Position.objects.select_related("holder").get(unit__code=CHAIR_UNIT_CODE, role=Position.Role.HEAD)


def units_of(user):
    """The units a user is a member of (holds a position in)."""
    if not user.is_authenticated:
        return Unit.objects.none()
    return Unit.objects.filter(group__user=user).distinct()


def positions_of(user, at=None):
    """The positions ``user`` holds or acts for now (a delegation gives the delegate the position's work)."""
    if not user.is_authenticated:
        return Position.objects.none()
    acting = Delegation.objects.active(at).filter(delegate=user).values("position_id")
    return Position.objects.filter(Q(holder=user) | Q(pk__in=acting))


def acts_for(user, position, at=None):
    """True when ``user`` holds ``position`` and has not delegated it, or acts for it now."""
    return position.acting_holder(at) == user


def owner_for_position(position_id, at=None):
    return Position.objects.get(pk=position_id).acting_holder(at)


@transaction.atomic
def reroute_position_tasks(at=None):
    """Give every open task routed to a position to whoever acts for it now.

    Called when a delegation is created or revoked and periodically by the
    timers job, so delegations that start or end on their own are honoured.
    Returns the number of tasks moved.
    """
    at = at or timezone.now()
    moved = 0
    tasks = Task.objects.filter(status__in=OPEN_TASK_STATUSES, data__has_key="position").select_for_update()
    owners = {}
    for task in tasks:
        position_id = task.data["position"]
        if position_id not in owners:
            owners[position_id] = owner_for_position(position_id, at)
        owner = owners[position_id]
        if owner is None or task.owner_id == owner.pk:
            continue
        previous = task.owner
        task.owner = owner
        task.status = STATUS.ASSIGNED
        task.save(update_fields=["owner", "status"])
        AuditEvent.record(
            task.process.artifact or task.process,
            "task.rerouted",
            user=None,
            detail={
                "task": task.pk,
                "from": previous.username if previous else None,
                "to": owner.username,
                "position": position_id,
            },
        )
        moved += 1
    return moved


@transaction.atomic
def create_delegation(*, position, delegate, starts_at, ends_at, reason="", kind=Delegation.Kind.PLH, created_by=None):
    delegation = Delegation(
        position=position, delegate=delegate, starts_at=starts_at, ends_at=ends_at, reason=reason, kind=kind,
        created_by=created_by,
    )
    delegation.full_clean()
    delegation.save()
    AuditEvent.record(
        position,
        "delegation.created",
        user=created_by,
        detail={"delegate": delegate.username, "kind": kind, "starts_at": starts_at.isoformat(), "ends_at": ends_at.isoformat()},
    )
    transaction.on_commit(reroute_position_tasks)
    return delegation


@transaction.atomic
def revoke_delegation(delegation, *, by=None):
    delegation.revoked_at = timezone.now()
    delegation.save(update_fields=["revoked_at"])
    AuditEvent.record(delegation.position, "delegation.revoked", user=by, detail={"delegate": delegation.delegate.username})
    transaction.on_commit(reroute_position_tasks)
