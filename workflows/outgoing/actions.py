"""What a person does on an outgoing letter's steps: each step's form and the service it calls.

Registered with the process (``apps.py``): the task pages and the API's task
actions both run these, so the chain's order, the passphrase and the number
are enforced the same from the chair's phone and from a script.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workflows.registry import TaskAction

from . import services
from .forms import DispatchForm, NoteForm, ReturnForm, SignForm


def note_form(task, user, data=None, files=None, prefix=None):
    return NoteForm(data, prefix=prefix)


def return_form(task, user, data=None, files=None, prefix=None):
    return ReturnForm(data, prefix=prefix)


def sign_form(task, user, data=None, files=None, prefix=None):
    return SignForm(data, prefix=prefix)


def dispatch_form(task, user, data=None, files=None, prefix=None):
    return DispatchForm(data, prefix=prefix)


def verify(task, user, data):
    services.verify(task, user=user, note=data.get("note", ""))
    return _("Draf diverifikasi dan diteruskan.")


def initial(task, user, data):
    services.initial(task, user=user, note=data.get("note", ""))
    return _("Naskah diparaf dan diteruskan.")


def return_(task, user, data):
    services.return_draft(task, user=user, note=data["note"])
    return _("Draf dikembalikan kepada unit pengolah dengan catatan.")


def sign(task, user, data):
    letter = services.sign(task, user=user, passphrase=data["passphrase"])
    return _("Naskah ditandatangani secara elektronik dengan nomor %(number)s.") % {"number": letter.number}


def dispatch(task, user, data):
    letter = services.dispatch(task, user=user, courier=data.get("courier", False), note=data.get("note", ""))
    return _("Naskah %(number)s dikirim.") % {"number": letter.number}


def receive(task, user, data):
    letter = services.receive(task, user=user, note=data.get("note", ""))
    return _("Nota dinas %(number)s diterima.") % {"number": letter.number}


def task_actions(flow):
    send_back = TaskAction("return", gettext_lazy("Kembalikan untuk diperbaiki"), return_form, return_)
    return {
        flow.verify: [TaskAction("verify", gettext_lazy("Verifikasi"), note_form, verify), send_back],
        flow.paraf: [TaskAction("initial", gettext_lazy("Paraf"), note_form, initial), send_back],
        flow.sign: [TaskAction("sign", gettext_lazy("Tandatangani"), sign_form, sign)],
        flow.dispatch: [TaskAction("dispatch", gettext_lazy("Kirim"), dispatch_form, dispatch)],
        flow.receive: [TaskAction("receive", gettext_lazy("Terima"), note_form, receive)],
    }
