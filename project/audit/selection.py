"""The auditors' slices of the whole trail: one rule for what a dashboard counter counts and what its list shows.

Whoever reads the trail reads only the events of subjects they may see: a
process's subject by the process's ``visible_to`` (``workflows.registry``), a
document owner by its registered ``visible_to`` (``documents.owners``). An
event about anything else (a person's export of a register or of search
results, a pokir export file) is the auditors' to read as it is.
"""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import EXPORT_ACTIONS, RESTRICTED_OPENED, AuditEvent
from .receivers import SIGN_IN_ACTIONS

# ?kelompok= value -> (title, the actions in it)
GROUPS = {
    "ekspor": (_("Ekspor"), lambda: EXPORT_ACTIONS),
    "rahasia": (_("Akses naskah rahasia"), lambda: {RESTRICTED_OPENED}),
    "masuk": (_("Masuk, keluar dan gagal masuk"), lambda: SIGN_IN_ACTIONS),
}
RECENT_DAYS = 30
MAX_DAYS = 3660


def events(user, group=None, days=None):
    """The events of ``group`` (a key of ``GROUPS``) in the last ``days`` days that ``user`` may read, newest first."""
    found = AuditEvent.objects.filter(readable_by(user))
    if group is not None:
        found = found.filter(action__in=GROUPS[group][1]())
    if days is not None:
        found = found.filter(at__gte=timezone.now() - datetime.timedelta(days=days))
    return found.order_by("-at", "-pk")


def readable_by(user):
    """``Q`` of the events whose subject ``user`` may see, and of those whose subject is no registered subject.

    A rule that lets ``user`` see every subject of its model (no filter: the
    registrar, an auditor) also lets them read the events of a deleted one
    (a draft discarded before it was submitted); anyone else reads only those
    of subjects that exist and that they see.
    """
    rules = subject_rules()
    types = ContentType.objects.get_for_models(*rules, for_concrete_models=True)
    readable = ~Q(content_type__in=list(types.values()))
    for model, visible_to in rules.items():
        visible = visible_to(user)
        of_model = Q(content_type=types[model])
        if not visible.query.has_filters():
            readable |= of_model
        else:
            keys = visible.order_by().annotate(audit_key=Cast("pk", output_field=CharField())).values("audit_key")
            readable |= of_model & Q(object_id__in=keys)
    return readable


def subject_rules():
    """``{model: visible_to(user) -> queryset}`` of every registered subject: the processes' rule first."""
    from documents import owners
    from workflows import registry

    rules = {process.subject_model: process.visible_to for process in registry.processes()}
    for model in owners.registered_models():
        rules.setdefault(model, owners.rules_for(model).visible_to)
    return rules


def from_query(query):
    """``(group, days)`` from a page's GET parameters; what is not understood is left out, not guessed."""
    group = query.get("kelompok")
    days = query.get("sejak", "")
    return (
        group if group in GROUPS else None,
        min(int(days), MAX_DAYS) if days.isdigit() and int(days) > 0 else None,
    )
