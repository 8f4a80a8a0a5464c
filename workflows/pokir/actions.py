"""What a person does on a pokir's steps: each step's form and the service it calls.

Registered with the process (``apps.py``): the task pages and the API's
task actions both run these, so the checklist is enforced the same from
the verifier's screen and from a script.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workflows.registry import TaskAction

from . import checklist, services
from .forms import RecapForm, RejectForm, ReturnForm, VerifyForm


def _pokir(task):
    return services.pokir_of_task(task)


def verify_form(task, user, data=None, files=None, prefix=None):
    return VerifyForm(data, checks=checklist.checklist(_pokir(task)), prefix=prefix)


def verify(task, user, data):
    pokir = services.verify(task, user=user, overrides=_overrides(data), note=data.get("note", ""))
    return _("Pokir %(number)s terverifikasi dan diteruskan ke rekap pimpinan.") % {"number": pokir.number}


def _overrides(data):
    return {key.removeprefix("reason_"): value for key, value in data.items()
            if key.startswith("reason_") and data.get(f"override_{key.removeprefix('reason_')}")}


def return_form(task, user, data=None, files=None, prefix=None):
    return ReturnForm(data, prefix=prefix)


def return_(task, user, data):
    notes = {key.removeprefix("note_"): value for key, value in data.items() if key.startswith("note_") and value}
    pokir = services.return_pokir(task, user=user, notes=notes)
    return _("Pokir %(number)s dikembalikan kepada anggota dengan catatan.") % {"number": pokir.number}


def reject_form(task, user, data=None, files=None, prefix=None):
    return RejectForm(data, prefix=prefix)


def reject(task, user, data):
    pokir = services.reject(task, user=user, reason=data["reason"])
    return _("Pokir %(number)s ditolak.") % {"number": pokir.number}


def recap_form(task, user, data=None, files=None, prefix=None):
    return RecapForm(data, prefix=prefix)


def approve(task, user, data):
    pokir = services.approve_recap(task, user=user, note=data.get("note", ""))
    return _("Pokir %(number)s masuk rekap dan final.") % {"number": pokir.number}


def task_actions(flow):
    return {
        flow.verify: [
            TaskAction("verify", gettext_lazy("Verifikasi"), verify_form, verify),
            TaskAction("return", gettext_lazy("Kembalikan untuk diperbaiki"), return_form, return_),
            TaskAction("reject", gettext_lazy("Tolak"), reject_form, reject),
        ],
        flow.recap: [TaskAction("approve", gettext_lazy("Setujui dalam rekap"), recap_form, approve)],
    }
