"""Tasks of every registered process: inbox, unit queue, archive, claiming.

Viewflow's own task lists check only model-wide permissions, so SIAP builds
them from Viewflow's task manager and checks each task itself: a user sees a
task when it is theirs, or when it is unclaimed and they may claim it (the
unit's object permission, via ``node.can_assign``). Pages and the API both
use these functions.

Each row says what its step is about (the subject's ``task_summary``), how
urgent the subject is (``task_nature``), who it comes from
(``task_counterpart``) and its deadline (the process's ``deadline_expression``,
else its ``deadline_of``). A desk holds tens of thousands of tasks after some
years (the chair: every letter awaiting disposition), so ``Filters`` narrows
and sorts in the database and pages read only their page's rows: a page costs
the same number of queries whatever the inbox's size.
"""

from dataclasses import dataclass, field
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import models, transaction
from django.db.models import Case, F, Q, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.models import GroupObjectPermission, UserObjectPermission
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import STATUS

from project.audit.models import AuditEvent

from . import registry
from .nodes import UnitView


def human_tasks():
    """Human tasks of the registered processes, with their subjects (one query per subject type).

    Tasks are narrowed by their node (``flow_task``), not by joining the
    process: the task table's own indexes answer the inbox, queue and archive.
    """
    subjects = [
        process.subject_model.objects.select_related(*getattr(process.subject_model, "task_row_related", ()))
        for process in registry.processes()
    ]
    return (
        Task.objects.filter(flow_task__in=_nodes(), flow_task_type="HUMAN")
        .select_related("process", "owner")
        .prefetch_related(GenericPrefetch("process__artifact", subjects))
    )


def _nodes(process=None, name=None):
    """The nodes of the registered flows (of one ``process``; named ``name``), as ``flow_task`` stores them."""
    flows = process.flows if process is not None else registry.flows()
    return [node for flow_class in flows for node in flow_class.instance.nodes() if name is None or node.name == name]


def _deadlines():
    """``{node: expression}``: how the database computes the deadline of each node's tasks (``deadline_expression``)."""
    found = {}
    for process in registry.processes():
        if process.deadline_expression:
            found.update(process.deadline_expression())
    return found


def with_deadlines(tasks):
    """``tasks`` annotated with ``deadline`` (None for a node without one).

    Only the queries that filter or sort by it, and a page's own rows, carry
    it: computing it joins the process and asks a subquery per task.
    """
    whens = [When(flow_task=node, then=expression) for node, expression in _deadlines().items()]
    deadline = Case(*whens, default=None, output_field=models.DateField()) if whens else Value(None, models.DateField())
    return tasks.annotate(deadline=deadline)


def inbox_tasks(user):
    return human_tasks().filter(owner=user, status=STATUS.ASSIGNED).order_by("-created", "-pk")


def queue_tasks(user):
    """Unclaimed tasks ``user`` may claim: Viewflow's ``user_queue`` rule, as one indexable condition."""
    return human_tasks().filter(claimable_by(user), status=STATUS.NEW, owner__isnull=True).order_by("-created", "-pk")


def archive_tasks(user):
    return human_tasks().filter(owner=user, status=STATUS.DONE).order_by("-finished", "-pk")


def claimable_by(user):
    """Which unclaimed tasks ``user`` may claim, read once per request.

    The same rule as Viewflow's ``TaskQuerySet.user_queue`` (no permission
    asked, a model-wide permission, or the object permission on the task's
    unit), but as plain column conditions: Viewflow compares a concatenation
    of two columns, which no index serves, and a check per task
    (``can_assign``) would cost a query per row.
    """
    if user.is_superuser:
        return Q()
    rule = Q(owner_permission__isnull=True) | Q(owner_permission__in=user.get_all_permissions())
    for permission, objects in _object_permissions(user).items():
        rule |= Q(owner_permission=permission, owner_permission_obj_pk__in=objects)
    return rule


def _object_permissions(user):
    """``{"app.codename": {object pk, …}}``: the user's object permissions, their own and their groups'."""
    return registry.once_per_request(("object_permissions", user.pk), lambda: _read_object_permissions(user))


def _read_object_permissions(user):
    fields = ("content_type__app_label", "permission__codename", "object_pk")
    grants = list(UserObjectPermission.objects.filter(user=user).values_list(*fields))
    grants += GroupObjectPermission.objects.filter(group__user=user).values_list(*fields)
    found = {}
    for app_label, codename, object_pk in grants:
        found.setdefault(f"{app_label}.{codename}", set()).add(object_pk)
    return found


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

    Costs one query per process present (which subjects are visible), one for the deadlines (unless the
    tasks carry them, ``with_deadlines``), plus whatever the ``deadline_of`` of a process without a
    ``deadline_expression`` asks for an open task.
    """
    tasks = list(tasks)
    _load_deadlines(tasks)
    visible = _visible_subjects(tasks, user) if user is not None else None
    result = []
    for task in tasks:
        process = registry.process_of_task(task)
        # a finished task's deadline no longer matters
        deadline = _deadline_of(task, process) if task.status != STATUS.DONE else None
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


def _load_deadlines(tasks):
    """Give each open task of a node with a ``deadline_expression`` its ``deadline`` (one query for the page)."""
    nodes = _deadlines()
    wanted = [task.pk for task in tasks
              if not hasattr(task, "deadline") and task.flow_task in nodes and task.status != STATUS.DONE]
    found = dict(with_deadlines(Task.objects.filter(pk__in=wanted)).values_list("pk", "deadline")) if wanted else {}
    for task in tasks:
        if task.flow_task in nodes and not hasattr(task, "deadline"):
            task.deadline = found.get(task.pk)


def _deadline_of(task, process):
    """The annotated deadline (``human_tasks``) where the process computes it in the database, else ``deadline_of``."""
    if process.deadline_expression and hasattr(task, "deadline"):
        return task.deadline
    return process.deadline_of(task) if process.deadline_of else None


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

    def apply(self, tasks):
        """``tasks`` (a queryset of ``human_tasks``) narrowed and sorted in the database."""
        if self.process:
            process = _process_named(self.process)
            tasks = tasks.filter(flow_task__in=_nodes(process)) if process is not None else tasks.none()
        if self.node:
            tasks = tasks.filter(flow_task__in=_nodes(name=self.node))
        if self.nature:
            tasks = tasks.filter(_of_nature(self.nature))
        if self.overdue:
            tasks = with_deadlines(tasks.filter(flow_task__in=list(_deadlines()))).filter(
                deadline__lt=timezone.localdate()).exclude(status=STATUS.DONE)
        if self.sort == "batas":
            return with_deadlines(tasks).order_by(F("deadline").asc(nulls_last=True), "created", "pk")
        if self.sort == "umur":
            return tasks.order_by("created", "pk")
        return tasks


def _process_named(name):
    try:
        return registry.get(name)
    except KeyError:
        return None


def _of_nature(value):
    """Tasks whose subject has nature ``value``: one condition per process whose subject keeps a nature."""
    rule = Q(pk__in=[])
    for process in registry.processes():
        field = _nature_field(process)
        if field is not None:
            subjects = process.subject_model.objects.filter(**{field.name: value}).values("pk")
            about_them = Process.objects.filter(
                artifact_content_type=ContentType.objects.get_for_model(process.subject_model),
                artifact_object_id__in=subjects,
            )
            rule |= Q(flow_task__in=_nodes(process), process__in=about_them.values("pk"))
    return rule


def _nature_field(process):
    """The subject's field that ``task_nature`` reads (``Process.nature_field``), if the model has it."""
    try:
        return process.subject_model._meta.get_field(process.nature_field)
    except FieldDoesNotExist:  # a subject without a nature
        return None


@dataclass
class FilterChoices:
    """The values the rows offer to filter on, each with its label: [(value, label)]."""

    processes: list = field(default_factory=list)
    nodes: list = field(default_factory=list)
    natures: list = field(default_factory=list)

    @classmethod
    def of(cls, tasks):
        """What ``tasks`` (a queryset) offer: their processes and steps (one query), and the natures their
        processes' subjects can have (each choice of the nature field that ``task_nature`` shows)."""
        processes, nodes, natures = {}, {}, {}
        present = tasks.order_by().prefetch_related(None).values_list("flow_task", flat=True).distinct()
        for node in sorted(present, key=str):
            process = registry.process_of_flow(node.flow_class)
            processes.setdefault(process.name, str(process.title))
            nodes.setdefault(node.name, str(node.task_title or node))
        for name in processes:
            for value, label in _natures_of(registry.get(name)):
                natures.setdefault(value, label)
        return cls(list(processes.items()), list(nodes.items()), list(natures.items()))


def _natures_of(process):
    """``[(value, label)]``: the natures a subject of ``process`` can show, asked of the subject itself."""
    field = _nature_field(process)
    if field is None or not field.choices:
        return []
    shown = (process.subject_model(**{field.name: value}).task_nature() for value, _label in field.flatchoices)
    return [(value, str(label)) for value, label in filter(None, shown)]
