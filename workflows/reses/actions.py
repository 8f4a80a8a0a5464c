"""What a person does on each step of a reses: the step's form and the service it calls.

Registered with the process (``apps.py``); the task pages and the API
(``/api/v1/tasks/<id>/actions/<name>/``) both use them.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workflows.registry import TaskAction

from . import services
from .forms import AcknowledgeForm, FinishRecordingForm, SubmitReportForm
from .models import Reses


def _reses(task):
    return Reses.objects.select_related("period", "member__user").get(pk=task.process.artifact_object_id)


def finish_form(task, user, data=None, files=None, prefix=None):
    return FinishRecordingForm(data, reses=_reses(task), prefix=prefix)


def finish(task, user, data):
    services.finish_recording(task, user=user)
    return _("Pencatatan reses selesai. Periksa laporan, lalu serahkan kepada Pimpinan.")


def submit_form(task, user, data=None, files=None, prefix=None):
    return SubmitReportForm(data, prefix=prefix, initial={"summary": _reses(task).summary})


def submit(task, user, data):
    reses = services.submit_report(task, user=user, summary=data.get("summary", ""))
    return _("Laporan hasil reses %(period)s diserahkan kepada Pimpinan DPRD.") % {"period": reses.period}


def acknowledge_form(task, user, data=None, files=None, prefix=None):
    return AcknowledgeForm(data, prefix=prefix)


def acknowledge(task, user, data):
    reses = services.acknowledge_report(task, user=user, note=data.get("note", ""))
    return _("Laporan reses %(member)s diterima.") % {"member": reses.member}


def task_actions(flow):
    return {
        flow.record: [TaskAction("finish", gettext_lazy("Selesai mencatat"), finish_form, finish)],
        flow.submit: [TaskAction("submit", gettext_lazy("Serahkan laporan"), submit_form, submit)],
        flow.acknowledge: [TaskAction("acknowledge", gettext_lazy("Terima laporan"), acknowledge_form, acknowledge)],
    }
