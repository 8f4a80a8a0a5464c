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


def everyone(user):
    return True


@dataclass(frozen=True)
class MenuEntry:
    title: str
    url_name: str
    allowed: Callable = everyone  # user -> bool: the entry shows only to users who can use it


@dataclass(frozen=True)
class Counter:
    """A number on the dashboard and the list it counts.

    ``url_name`` with ``query`` (a dict of GET parameters) must open exactly
    the items counted: "8 surat menunggu disposisi" leads to those 8.
    """

    label: str
    value: int
    url_name: str
    query: dict | None = None

    @property
    def url(self):
        from django.urls import reverse
        from django.utils.http import urlencode

        url = reverse(self.url_name)
        return f"{url}?{urlencode(self.query, doseq=True)}" if self.query else url


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
    unit_permissions: dict = field(default_factory=dict)  # "org.<codename>" -> label (on org.Unit)
    role_permissions: dict = field(default_factory=dict)  # role (project.org.roles) -> ["app.codename", …]
    upload_policies: tuple = ()
    task_actions: dict = field(default_factory=dict)  # flow node -> [TaskAction]
    periodic_tasks: tuple = ()  # (name, "app.tasks.task", seconds): run by the worker's beat
    demo: str | None = None  # dotted path of build(count=None, progress=None): this process's demo data
    deadline_of: Callable | None = None  # task -> date or None (shown in inboxes; past it the task is overdue)
    # (subject of another process, user) -> [(title, url)]: this process's items that refer to it (a reply to a
    # letter), shown on that subject's page; the callable says which subjects it knows and applies its own rule
    related: Callable | None = None

    @classmethod
    def of_app(cls, app_config, **declared):
        """A process named after its app: label, verbose name, ``<app>.urls`` and, if present, ``<app>.api``."""
        defaults = {"name": app_config.label, "title": app_config.verbose_name, "urls": f"{app_config.name}.urls"}
        if importlib.util.find_spec(f"{app_config.name}.api") is not None:
            defaults["api_urls"] = f"{app_config.name}.api"
        return cls(**{**defaults, **declared})

    def visible_to(self, user):
        return self.subject_model.objects.visible_to(user)

    def visible_or_404(self, user, pk):
        return self.subject_model.visible_or_404(user, pk)

    def actions_for(self, node):
        return list(self.task_actions.get(node, ()))


_PROCESSES = {}
_DASHBOARD_COUNTERS = []  # user -> [Counter], from apps that are not processes (the archive, the trail)


def register(process):
    """Called from a workflow app's ``ready``: record the process and hand its parts to their owners."""
    from documents import validation
    from project.audit.models import register_actions
    from project.celery import app as celery_app
    from project.notifications.models import register_kinds
    from project.org.permissions import register_unit_permissions
    from project.org.roles import register_role_permissions

    if process.name in _PROCESSES:
        raise ValueError(f"process {process.name!r} is registered twice")
    _PROCESSES[process.name] = process
    register_actions(process.trail_labels)
    register_kinds(process.notification_kinds)
    register_unit_permissions(process.unit_permissions)
    register_role_permissions(process.role_permissions)
    for policy in process.upload_policies:
        validation.register_policy(policy)
    for name, task, seconds in process.periodic_tasks:
        celery_app.add_periodic_task(seconds, celery_app.signature(task), name=name)
    return process


def register_counters(counters):
    """An app that is not a process (the document archive, the trail) adds dashboard counters: user -> [Counter]."""
    _DASHBOARD_COUNTERS.append(counters)


def dashboard_counters(user):
    """Every counter for ``user``: the processes' first, then the other apps'."""
    found = []
    for process in _PROCESSES.values():
        if process.counters:
            found += process.counters(user)
    for counters in _DASHBOARD_COUNTERS:
        found += counters(user)
    return found


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
