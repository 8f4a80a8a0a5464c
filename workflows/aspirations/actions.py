"""What a person does on an aspiration's steps: each step's form and the service it calls.

Registered with the process (``apps.py``): the task pages and the API's
task actions both run these.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workflows.registry import TaskAction

from . import services
from .forms import AnswerForm, ApproveForm, DisposeForm, ReturnAnswerForm, VerifyForm


def _aspiration(task):
    return services.aspiration_of_task(task)


def verify_form(task, user, data=None, files=None, prefix=None):
    return VerifyForm(data, aspiration=_aspiration(task), prefix=prefix)


def verify(task, user, data):
    aspiration = services.verify(
        task, user=user, decision=data["decision"], note=data.get("note", ""), duplicate_of=data.get("duplicate_of"),
        referral_note=data.get("referral_note", ""), info_request=data.get("info_request", ""),
        category=data.get("category"),
    )
    return _("Aspirasi %(code)s: %(status)s.") % {"code": aspiration.code, "status": aspiration.get_status_display()}


def dispose_form(task, user, data=None, files=None, prefix=None):
    return DisposeForm(data, aspiration=_aspiration(task), prefix=prefix)


def dispose(task, user, data):
    aspiration = services.dispose(task, user=user, unit=data.get("unit"), members=data.get("members") or (),
                                  note=data.get("note", ""))
    return _("Aspirasi %(code)s didisposisikan.") % {"code": aspiration.code}


def answer_form(task, user, data=None, files=None, prefix=None):
    aspiration = _aspiration(task)
    return AnswerForm(data, initial={"answer": aspiration.answer}, prefix=prefix)


def answer(task, user, data):
    aspiration = services.draft_answer(task, user=user, answer=data["answer"])
    if aspiration.unit_id:
        return _("Jawaban aspirasi %(code)s diteruskan kepada pimpinan unit untuk disetujui.") % {"code": aspiration.code}
    return _("Jawaban aspirasi %(code)s dikirim kepada pengirim.") % {"code": aspiration.code}


def approve_form(task, user, data=None, files=None, prefix=None):
    return ApproveForm(data, initial={"answer": _aspiration(task).answer}, prefix=prefix)


def approve(task, user, data):
    aspiration = services.approve_answer(task, user=user, approve=True, answer=data["answer"])
    return _("Jawaban aspirasi %(code)s disetujui dan dikirim.") % {"code": aspiration.code}


def return_form(task, user, data=None, files=None, prefix=None):
    return ReturnAnswerForm(data, prefix=prefix)


def return_(task, user, data):
    aspiration = services.approve_answer(task, user=user, approve=False, note=data["note"])
    return _("Jawaban aspirasi %(code)s dikembalikan kepada unit.") % {"code": aspiration.code}


def task_actions(flow):
    return {
        flow.verify: [TaskAction("verify", gettext_lazy("Simpan hasil verifikasi"), verify_form, verify)],
        flow.dispose: [TaskAction("dispose", gettext_lazy("Disposisikan"), dispose_form, dispose)],
        flow.follow_up: [TaskAction("answer", gettext_lazy("Selesaikan tindak lanjut dengan jawaban"), answer_form, answer)],
        flow.approve: [
            TaskAction("approve", gettext_lazy("Setujui dan kirim jawaban"), approve_form, approve),
            TaskAction("return", gettext_lazy("Kembalikan kepada unit"), return_form, return_),
        ],
    }
