"""Tasks of every registered process: inbox, unit queue, archive, claiming.

Viewflow's own task lists check only model-wide permissions, so SIAP builds
them from Viewflow's task manager and checks each task itself: a user sees a
task when it is theirs, or when it is unclaimed and they may claim it (the
unit's object permission, via ``node.can_assign``). Pages and the API both
use these functions.

Each row says what its step is about (the subject's ``task_summary``), how
urgent the subject is (``task_nature``), who it comes from
(``task_counterpart``) and its deadline (the process's ``deadline_of``);
inboxes are small, so ``Filters`` narrows and sorts the rows in Python after
one query for the tasks and one per subject type.
"""

from dataclasses import dataclass, field
from datetime import date

from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from project.audit.models import AuditEvent

from . import registry
from .nodes import UnitView


def human_tasks():
    """Human tasks of the registered processes, with their subjects (one query per subject type)."""
    subjects = [
        process.subject_model.objects.select_related(*getattr(process.subject_model, "task_row_related", ()))
        for process in registry.processes()
    ]
    return (
        Task.objects.filter(process__flow_class__in=registry.flows(), flow_task_type="HUMAN")
        .select_related("process", "owner")
        .prefetch_related(GenericPrefetch("process__artifact", subjects))
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


@transaction.atomic
def release(task, *, user):
    """Give a claimed task back to its unit's queue: no owner again, and every member may claim it.

    Only its owner releases it, and only a task that came from a unit queue
    (a ``UnitView``): a position's task belongs to whoever holds the position.
    The node's release hook (``UnitView.OnRelease``) then undoes what claiming
    did; without one the trail records the release.
    """
    task = Task.objects.select_for_update().get(pk=task.pk)
    if not isinstance(task.flow_task, UnitView):
        raise PermissionDenied(_("Tugas ini bukan dari antrean unit, jadi tidak dapat dikembalikan."))
    if task.status != STATUS.ASSIGNED:
        raise PermissionDenied(_("Tugas ini sudah tidak berada di kotak masuk siapa pun."))
    if task.owner_id != user.pk:
        raise PermissionDenied(_("Hanya pemegang tugas yang dapat mengembalikannya ke antrean."))
    with task.activation() as activation:
        activation.unassign()
    on_release = task.flow_task.on_release
    if on_release is not None:
        on_release(task, user)
    else:
        AuditEvent.record(task.process.artifact, "task.released", user=user, detail={"task": str(task.flow_task.task_title)})
    return task


@dataclass(frozen=True)
class Nature:
    """How urgent or restricted a subject is (a letter's *sifat*): the filter's value and the label shown."""

    value: str
    label: str


@dataclass
class TaskRow:
    """A task as inboxes and the API list it.

    ``title`` is the step ("Disposisi pimpinan"); ``summary`` what it is about
    ("0012/2026 — Undangan rapat kerja"), ``counterpart`` who it comes from
    ("Dinas PU"). A row about a subject the user may not see carries no
    subject, summary, nature or counterpart.
    """

    task: Task
    process: registry.Process
    title: str
    subject: object
    deadline: date | None
    summary: str = ""
    nature: Nature | None = None
    counterpart: str = ""

    @property
    def overdue(self):
        return self.deadline is not None and self.deadline < timezone.localdate() and self.task.status != STATUS.DONE

    @property
    def node_name(self):
        return self.task.flow_task.name


def rows(tasks, user=None):
    """The rows of ``tasks``; with ``user``, subjects the user may not see are left out of the rows' text.

    Costs one query per process present (which subjects are visible), plus
    whatever a process's ``deadline_of`` asks of the database for an open task.
    """
    tasks = list(tasks)
    visible = _visible_subjects(tasks, user) if user is not None else None
    result = []
    for task in tasks:
        process = registry.process_of_task(task)
        open_ = task.status != STATUS.DONE  # a finished task's deadline no longer matters
        deadline = process.deadline_of(task) if process.deadline_of and open_ else None
        title = str(task.flow_task.task_title or task.flow_task)
        subject = task.process.artifact
        if subject is None or (visible is not None and task.process.artifact_object_id not in visible[process.name]):
            result.append(TaskRow(task=task, process=process, title=title, subject=None, deadline=deadline,
                                  summary=_("(tidak dapat ditampilkan)")))
            continue
        result.append(TaskRow(
            task=task, process=process, title=title, subject=subject, deadline=deadline,
            summary=_subject_says(subject, "task_summary", task) or str(subject),
            nature=_nature_of(subject), counterpart=_subject_says(subject, "task_counterpart") or "",
        ))
    return result


def _visible_subjects(tasks, user):
    """process name -> pks of the tasks' subjects that ``user`` may see (one query per process)."""
    wanted = {}
    for task in tasks:
        wanted.setdefault(registry.process_of_task(task).name, set()).add(task.process.artifact_object_id)
    visible = {}
    for name, pks in wanted.items():
        visible[name] = set(registry.get(name).visible_to(user).filter(pk__in=pks).values_list("pk", flat=True))
    return visible


def _subject_says(subject, method, *args):
    """A subject-protocol method's answer (``workflows.subjects.Subject``), or None for a subject without it."""
    ask = getattr(subject, method, None)
    return ask(*args) if ask is not None else None


def _nature_of(subject):
    found = _subject_says(subject, "task_nature")
    return Nature(value=found[0], label=str(found[1])) if found else None


@dataclass(frozen=True)
class Filters:
    """What an inbox, queue or archive page shows, from its GET parameters (a contract: dashboards link to them).

    ``proses`` (process name), ``langkah`` (flow node name), ``sifat`` (nature
    value), ``terlambat=1`` (overdue only) and ``urut`` (``batas``: deadline
    first, no deadline last; ``umur``: oldest first; otherwise newest first).
    """

    process: str = ""
    node: str = ""
    nature: str = ""
    overdue: bool = False
    sort: str = ""
    SORTS = ("batas", "umur")

    @classmethod
    def from_query(cls, query):
        sort = query.get("urut", "")
        return cls(
            process=query.get("proses", "").strip(), node=query.get("langkah", "").strip(),
            nature=query.get("sifat", "").strip(), overdue=query.get("terlambat") == "1",
            sort=sort if sort in cls.SORTS else "",
        )

    def query(self):
        """The GET parameters that give these filters back (without the page)."""
        pairs = {"proses": self.process, "langkah": self.node, "sifat": self.nature,
                 "terlambat": "1" if self.overdue else "", "urut": self.sort}
        return {key: value for key, value in pairs.items() if value}

    @property
    def narrowing(self):
        return bool(self.process or self.node or self.nature or self.overdue)

    def apply(self, rows):
        chosen = [
            row for row in rows
            if (not self.process or row.process.name == self.process)
            and (not self.node or row.node_name == self.node)
            and (not self.nature or (row.nature is not None and row.nature.value == self.nature))
            and (not self.overdue or row.overdue)
        ]
        if self.sort == "batas":
            chosen.sort(key=lambda row: (row.deadline is None, row.deadline or date.max, row.task.created))
        elif self.sort == "umur":
            chosen.sort(key=lambda row: row.task.created)
        return chosen


@dataclass
class FilterChoices:
    """The values the rows offer to filter on, each with its label: [(value, label)]."""

    processes: list = field(default_factory=list)
    nodes: list = field(default_factory=list)
    natures: list = field(default_factory=list)

    @classmethod
    def of(cls, rows):
        processes, nodes, natures = {}, {}, {}
        for row in rows:
            processes.setdefault(row.process.name, str(row.process.title))
            nodes.setdefault(row.node_name, row.title)
            if row.nature is not None:
                natures.setdefault(row.nature.value, row.nature.label)
        return cls(list(processes.items()), list(nodes.items()), list(natures.items()))

