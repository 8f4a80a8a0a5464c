"""What a person does on each step of a meeting's minutes: the step's form and the service it calls.

Registered with the process (``apps.py``); the task pages and the API both
use them.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from project.forms import OnceOnlyForm
from workflows.registry import TaskAction

from . import services
from .forms import ApprovalForm, SubmitMinutesForm
from .models import Meeting


def start_form(task, user, data=None, files=None, prefix=None):
    return OnceOnlyForm(data, prefix=prefix)


def start(task, user, data):
    services.start_transcription(task, user=user)
    return _("Transkripsi dimulai. Anda akan diberi tahu saat transkrip siap dikoreksi.")


def submit_form(task, user, data=None, files=None, prefix=None):
    return SubmitMinutesForm(data, instance=Meeting.objects.get(pk=task.process.artifact_object_id), prefix=prefix)


def submit(task, user, data):
    services.submit_minutes(task, user=user, data=SubmitMinutesForm.minutes_data(data), confirm=data["confirm"])
    return _("Risalah diajukan kepada pimpinan rapat untuk disetujui.")


def decide_form(task, user, data=None, files=None, prefix=None):
    return ApprovalForm(data, prefix=prefix, meeting=Meeting.objects.get(pk=task.process.artifact_object_id))


def decide(task, user, data):
    approve = data["decision"] == ApprovalForm.APPROVE
    services.decide_minutes(task, user=user, approve=approve, note=data["note"], confirm=data["confirm"])
    if approve:
        return _("Risalah disetujui; PDF-nya sedang dicetak dan terbit dalam beberapa saat.")
    return _("Risalah dikembalikan kepada notulis.")


def task_actions(flow):
    return {
        flow.record: [TaskAction("start", gettext_lazy("Mulai transkripsi"), start_form, start)],
        flow.correct: [TaskAction("submit", gettext_lazy("Ajukan risalah"), submit_form, submit)],
        flow.approve: [TaskAction("decide", gettext_lazy("Setujui atau kembalikan"), decide_form, decide)],
    }
