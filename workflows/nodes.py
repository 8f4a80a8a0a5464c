"""The flow base class and Viewflow node types shared by SIAP's workflows.

- ``Flow``: every SIAP flow; two people acting on one process queue on its
  row (``SELECT … FOR UPDATE`` on PostgreSQL) instead of both moving it.
  The lock waits for the row (``nowait=False``): Viewflow's default fails
  fast and retries, but it catches the lock error inside the savepoint it
  opened, which leaves the caller's transaction aborted — and every SIAP
  service already runs in one, so the second of two units closing their
  branches of one letter at the same moment got an error page. A real
  deadlock still ends in PostgreSQL's error, which rolls back (a 503).

- ``PositionView``: a human task owned by whoever holds or acts for a position
  (the chair, the head of a commission) on the day. The position is kept in
  ``task.data["position"]`` so ``project.org.services.reroute_position_tasks``
  can move the task when a delegation starts or ends.
- ``UnitView``: a human task for any member of one unit, given by a callable
  (``.Unit(this.some_unit)``) and kept in ``task.data["unit"]``; the unit's
  group holds the object permission, so the task shows in every member's
  queue (Viewflow's guardian-aware queue). One member claims it
  (``workflows.inbox.claim``); ``.OnClaim(this.callback)`` is what the flow
  does then (callback(task, user), inside the claiming transaction).
  The one who claimed it may give it back (``workflows.inbox.release``);
  ``.OnRelease(this.callback)`` undoes then what claiming did. Its timeout
  boundaries (``.OnTimeout``) are stopped or armed again through
  ``cancel_timeouts`` / ``rearm_timeouts``, so no flow reaches into
  Viewflow's boundary internals itself.
- ``ForEachSplit``: a parallel split that creates one task per item of a data
  source (one follow-up branch per recipient unit).
"""

from viewflow import this
from viewflow.workflow import flow, lock
from viewflow.workflow.models import Task
from viewflow.workflow.nodes.boundary import TimerBoundary
from viewflow.workflow.nodes.split import SplitActivation
from viewflow.workflow.status import STATUS

from project.org.models import Position, Unit


class Flow(flow.Flow):
    lock_impl = lock.SelectForUpdateLock(nowait=False)


POSITION_ONLY = "org.position_holder_only"  # a permission no user or group holds (PositionView)


class PositionView(flow.View):
    def __init__(self, view, **kwargs):
        super().__init__(view, **kwargs)
        self._position = None
        self._owner_permission_obj = None

    def Position(self, position):
        """``position``: callable(activation) -> Position."""
        self._position = position
        return self

    def _resolve(self, instance):
        super()._resolve(instance)
        self._position = this.resolve(instance, self._position)

    def calc_owner_permission(self, activation):
        """A permission nobody is granted: the task is never "available for everyone", even while the position
        is vacant (it then waits unassigned until ``reroute_position_tasks`` finds a holder or an acting one)."""
        return POSITION_ONLY

    def calc_owner(self, activation):
        position = self._position(activation)
        activation.task.data = {**(activation.task.data or {}), "position": position.pk}
        return position.acting_holder()

    def position_of(self, task):
        return Position.objects.get(pk=task.data["position"])

    def can_assign(self, user, task):
        """Nobody claims a position's task, a superuser neither: it goes to whoever holds or acts for the position
        (``calc_owner``, then ``reroute_position_tasks``)."""
        return False


class UnitView(flow.View):
    def __init__(self, view, **kwargs):
        super().__init__(view, **kwargs)
        self._unit = None
        self._on_claim = None
        self._on_release = None

    def Unit(self, unit):
        """``unit``: callable(activation) -> Unit whose members may claim the task."""
        self._unit = unit
        return self

    def OnClaim(self, callback):
        """``callback``: callable(task, user), run when a member claims the task."""
        self._on_claim = callback
        return self

    def OnRelease(self, callback):
        """``callback``: callable(task, user), run when the member who claimed the task gives it back to the queue."""
        self._on_release = callback
        return self

    def _resolve(self, instance):
        super()._resolve(instance)
        self._unit = this.resolve(instance, self._unit)
        self._on_claim = this.resolve(instance, self._on_claim)
        self._on_release = this.resolve(instance, self._on_release)

    def calc_owner_permission_obj(self, activation):
        unit = self._unit(activation)
        activation.task.data = {**(activation.task.data or {}), "unit": unit.pk}
        return unit

    @property
    def on_claim(self):
        return self._on_claim

    @property
    def on_release(self):
        return self._on_release

    def unit_of(self, task):
        return Unit.objects.get(pk=task.data["unit"])

    def can_assign(self, user, task):
        if task.owner_id or not user.is_authenticated:
            return False
        return user.has_perm(task.owner_permission, task.owner_permission_obj)

    # --- timeout boundaries (``.OnTimeout``) of one of this node's tasks ---------

    def _timeout_boundaries(self):
        return [event for event in self._boundary_events if isinstance(event, TimerBoundary)]

    def scheduled_timeouts(self, task):
        """The timers armed for ``task`` (one of this node's tasks) that have not fired or been cancelled yet."""
        return Task.objects.filter(flow_task__in=self._timeout_boundaries(), previous=task, status=STATUS.SCHEDULED)

    def cancel_timeouts(self, task):
        """Cancel the timers still waiting on ``task``: they never fire. Returns how many were cancelled.

        Run inside the transaction that changes what the timers were for (a
        disposition without a deadline), so no timer sweep sees them in
        between. (Viewflow itself cancels them when the task finishes.)
        """
        cancelled = 0
        for timer in self.scheduled_timeouts(task):
            activation = timer.flow_task.activation_class(timer)
            if activation.cancel.can_proceed():
                activation.cancel()
                cancelled += 1
        return cancelled

    def rearm_timeouts(self, task):
        """Arm ``task``'s timeout boundaries again, computing their moment anew (a deadline moved).

        Timers still waiting are cancelled first, so each boundary has exactly
        one scheduled timer afterwards, due at what its delay callable says now.
        Nothing happens for a task that is no longer open.
        """
        if task.status in (STATUS.DONE, STATUS.CANCELED):
            return
        self.cancel_timeouts(task)
        host_activation = self.activation_class(task)
        for boundary in self._timeout_boundaries():
            boundary._arm(host_activation)


class ForEachSplitActivation(SplitActivation):
    @SplitActivation.status.super()
    def activate(self):
        for node, data_source in self.flow_task._items_sources:
            for item in data_source(self):
                self.next_tasks.append((node, item))
        if not self.next_tasks:
            raise ValueError(f"{self.flow_task.name}: the data source produced no branch")


class ForEachSplit(flow.Split):
    activation_class = ForEachSplitActivation

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._items_sources = []

    def Next(self, node, data_source=None):
        """``data_source``: callable(activation) -> list of task data dicts, one task each."""
        self._items_sources.append((node, data_source))
        return super().Next(node)

    def _resolve(self, instance):
        super()._resolve(instance)
        self._items_sources = [
            (this.resolve(instance, node), this.resolve(instance, source)) for node, source in self._items_sources
        ]
