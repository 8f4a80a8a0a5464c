"""The one registry of SIAP's processes.

Each process is one package under ``workflows/`` (installed by
``settings.WORKFLOW_APPS``) whose ``AppConfig.ready`` calls
``register(Process.of_app(self, ...))``. Everything shared reads this registry and
never imports a workflow by name: the task inbox, unit queue, archive and
dashboard (its flows and counters), the menu, the URLs (pages and API), the
notification kinds, the trail's action names, the search sources with their
facets, the upload policies and the unit permissions its tasks need.

A process is *about* one subject model (a letter, a meeting): the model's
manager has ``visible_to(user)``, the one rule for who sees which subject,
and the model follows the subject protocol of ``workflows.subjects``.
"""

import importlib.util
from dataclasses import dataclass, field
from typing import Callable

from project import dashboard
from project.dashboard import Counter  # noqa: F401  (processes declare their counters as registry.Counter)


def everyone(user):
    return True


@dataclass(frozen=True)
class MenuEntry:
    title: str
    url_name: str
    allowed: Callable = everyone  # user -> bool: the entry shows only to users who can use it


@dataclass(frozen=True)
class Attention:
    """A line in the dashboard's "needs attention" list (an overdue branch, a late ticket)."""

    text: str
    url: str
    detail: str = ""


@dataclass(frozen=True)
class TaskAction:
    """One thing a person does on a step: the page's form and the service it calls.

    ``form(task, user, data=None, files=None)`` returns the step's form
    (bound when ``data`` is given); ``perform(task, user, cleaned_data)``
    runs the service (one transaction: checks, changes, trail, search
    outbox, task completion) and returns the message shown on success.
    Pages and the API both go through these, so a step validates and acts
    the same whoever calls it.
    """

    name: str
    title: str
    form: Callable
    perform: Callable


@dataclass
class Process:
    name: str  # the app label; also the URL namespace of its pages
    title: str
    subject_model: type
    flows: tuple
    url_prefix: str  # e.g. "surat/"
    urls: str  # module with the pages' urlpatterns
    api_urls: str | None = None  # module with the API's urlpatterns, mounted at /api/v1/<api_prefix>
    api_prefix: str = ""  # e.g. "letters/"
    api_enum_names: dict = field(default_factory=dict)  # schema name -> dotted path of a choices class
    menu: tuple = ()
    counters: Callable | None = None  # user -> [Counter]
    attention: Callable | None = None  # user -> [Attention]
    notification_kinds: dict = field(default_factory=dict)  # kind -> label
    trail_labels: dict = field(default_factory=dict)  # action -> label
    trail_details: dict = field(default_factory=dict)  # its actions' detail key -> label, or -> (label, choices)
    trail_exports: tuple = ()  # actions that record a file leaving SIAP (counted for auditors)
    unit_permissions: dict = field(default_factory=dict)  # "org.<codename>" -> label (on org.Unit)
    role_permissions: dict = field(default_factory=dict)  # role (project.org.roles) -> ["app.codename", …]
    upload_policies: tuple = ()
    task_actions: dict = field(default_factory=dict)  # flow node -> [TaskAction]
    periodic_tasks: tuple = ()  # (name, "app.tasks.task", seconds): run by the worker's beat
    demo: str | None = None  # dotted path of build(count=None, progress=None): this process's demo data
    deadline_of: Callable | None = None  # task -> date or None (shown in inboxes; past it the task is overdue)
    # () -> {node: expression giving the deadline of a task row of that node}: the same dates as ``deadline_of``,
    # computed by the database so that inboxes filter and sort by deadline without reading every task
    deadline_expression: Callable | None = None
    nature_field: str = "nature"  # the subject's field whose values ``task_nature`` shows (inboxes filter on it)
    # (subject of another process, user) -> [(title, url)]: this process's items that refer to it (a reply to a
    # letter), shown on that subject's page; the callable says which subjects it knows and applies its own rule
    related: Callable | None = None

    @classmethod
    def of_app(cls, app_config, **declared):
        """A process named after its app: label, verbose name, ``<app>.urls`` and, if present, ``<app>.api``
        and the trail's names in ``<app>.audit_labels`` (``TRAIL_LABELS``, ``TRAIL_DETAILS``, ``TRAIL_EXPORTS``)."""
        defaults = {"name": app_config.label, "title": app_config.verbose_name, "urls": f"{app_config.name}.urls"}
        if importlib.util.find_spec(f"{app_config.name}.api") is not None:
            defaults["api_urls"] = f"{app_config.name}.api"
        if importlib.util.find_spec(f"{app_config.name}.audit_labels") is not None:
            labels = importlib.import_module(f"{app_config.name}.audit_labels")
            defaults["trail_labels"] = getattr(labels, "TRAIL_LABELS", {})
            defaults["trail_details"] = getattr(labels, "TRAIL_DETAILS", {})
            defaults["trail_exports"] = getattr(labels, "TRAIL_EXPORTS", ())
        return cls(**{**defaults, **declared})

    def visible_to(self, user):
        return self.subject_model.objects.visible_to(user)

    def visible_or_404(self, user, pk):
        return self.subject_model.visible_or_404(user, pk)

    def actions_for(self, node):
        return list(self.task_actions.get(node, ()))


_PROCESSES = {}


def register(process):
    """Called from a workflow app's ``ready``: record the process and hand its parts to their owners."""
    from documents import validation
    from project.audit.details import register_details
    from project.audit.models import register_actions
    from project.celery import app as celery_app
    from project.notifications.models import register_kinds
    from project.org.permissions import register_unit_permissions
    from project.org.roles import register_role_permissions

    if process.name in _PROCESSES:
        raise ValueError(f"process {process.name!r} is registered twice")
    _PROCESSES[process.name] = process
    register_actions(process.trail_labels, exports=process.trail_exports)
    register_details(process.trail_details, owner=process.name, actions=process.trail_labels)  # its own actions' names
    register_kinds(process.notification_kinds)
    register_unit_permissions(process.unit_permissions)
    register_role_permissions(process.role_permissions)
    for policy in process.upload_policies:
        validation.register_policy(policy)
    for name, task, seconds in process.periodic_tasks:
        celery_app.add_periodic_task(seconds, celery_app.signature(task), name=name)
    return process


COUNT_CAP = 999


def capped_count(queryset):
    """How many rows ``queryset`` has, up to ``COUNT_CAP``; beyond it the text "999+".

    A dashboard counter says how much work waits, not an inventory: counting
    the chair's tens of thousands of tasks on every visit would read them all.
    The list the counter leads to still counts exactly.
    """
    found = queryset.order_by()[:COUNT_CAP + 1].count()
    return f"{COUNT_CAP}+" if found > COUNT_CAP else found


def once_per_request(key, compute):
    """``compute()``, asked once per GET request and remembered on the request for the rest of it.

    A page asks the same questions of the organisation many times (does this
    user act for the chair? — by the menu, each counter, each list's
    visibility rule). Reading them is what a GET does, so their answers
    cannot change while it runs; a POST, and code running outside a request
    (tasks, tests, commands), always computes anew.
    """
    from project.audit.middleware import current_request

    request = current_request()
    if request is None or request.method not in ("GET", "HEAD"):
        return compute()
    remembered = request.__dict__.setdefault("_siap_once", {})
    if key not in remembered:
        remembered[key] = compute()
    return remembered[key]


def dashboard_counters(user):
    """Every counter for ``user``: the processes' first, then the other apps'."""
    found = []
    for process in _PROCESSES.values():
        if process.counters:
            found += process.counters(user)
    return found + dashboard.counters_for(user)


def unregister(name):
    """For tests that register a process of their own."""
    _PROCESSES.pop(name, None)


def processes():
    return list(_PROCESSES.values())


def get(name):
    return _PROCESSES[name]


def related_items(subject, user):
    """What other processes hold about ``subject`` that ``user`` may see: ``[(title, url)]``."""
    return [item for process in _PROCESSES.values() if process.related for item in process.related(subject, user)]


def flows():
    return [flow_class for process in _PROCESSES.values() for flow_class in process.flows]


def process_of_flow(flow_class):
    for process in _PROCESSES.values():
        if flow_class in process.flows:
            return process
    raise LookupError(f"no registered process runs {flow_class!r}")


def process_of_task(task):
    return process_of_flow(task.flow_task.flow_class)


def process_of_subject(subject):
    for process in _PROCESSES.values():
        if isinstance(subject, process.subject_model):
            return process
    raise LookupError(f"no registered process is about {type(subject)!r}")


def actions_for(task):
    return process_of_task(task).actions_for(task.flow_task)


def action_for(task, name):
    for action in actions_for(task):
        if action.name == name:
            return action
    raise LookupError(name)
