"""What a person does with a letter: registering it, and each step's form and the service it calls.

Registered with the process (``apps.py``); the task pages and the API both
use them, so a disposition is validated and carried out the same way from
the chair's phone and from a script.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workflows.registry import TaskAction

from . import services
from .forms import CloseBranchForm, DecideExtensionForm, DisposeForm, ForwardBranchForm, RequestExtensionForm


def register(form, user):
    """Register the letter a valid ``RegisterLetterForm`` describes (the register page and the API)."""
    return services.register_letter(
        data=form.letter_data(),
        scan=form.cleaned_data["scan"],
        attachments=form.cleaned_data["attachments"],
        user=user,
        page_count=form.page_count,
    )


def _letter(task):
    return task.process.artifact


def dispose_form(task, user, data=None, files=None, prefix=None):
    return DisposeForm(data, units=services.recipient_units_choices(), prefix=prefix)


def dispose(task, user, data):
    letter = _letter(task)
    if data["decision"] == DisposeForm.FILE:
        services.file_without_disposition(task, user=user, note=data["note"])
        return _("Surat %(agenda)s diarsipkan tanpa disposisi.") % {"agenda": letter.agenda_label}
    services.dispose(
        task, user=user, units=list(data["units"]), instruction=data["instruction"], note=data["note"],
        deadline=data["deadline"],
    )
    return _("Disposisi surat %(agenda)s terkirim.") % {"agenda": letter.agenda_label}


def close_form(task, user, data=None, files=None, prefix=None):
    return CloseBranchForm(data, files, prefix=prefix)


def close(task, user, data):
    services.close_branch(task, user=user, report=data["report"], report_file=data.get("report_file"))
    return _("Tindak lanjut %(agenda)s selesai dilaporkan.") % {"agenda": _letter(task).agenda_label}


def forward_form(task, user, data=None, files=None, prefix=None):
    branch = services.branch_of_task(task)
    staff = branch.unit.group.user_set.exclude(pk=user.pk).select_related("council_member").order_by("first_name")
    return ForwardBranchForm(data, prefix=prefix, staff=staff)


def forward(task, user, data):
    services.forward_branch(task, user=user, staff=data["staff"], note=data["note"])
    return _("Disposisi %(agenda)s diteruskan.") % {"agenda": _letter(task).agenda_label}


def extend_form(task, user, data=None, files=None, prefix=None):
    return RequestExtensionForm(data, prefix=prefix)


def extend(task, user, data):
    services.request_extension(task, user=user, new_deadline=data["new_deadline"], reason=data["reason"])
    return _("Permintaan perpanjangan batas waktu %(agenda)s dikirim kepada pimpinan.") % {
        "agenda": _letter(task).agenda_label
    }


def decide_form(task, user, data=None, files=None, prefix=None):
    return DecideExtensionForm(data, prefix=prefix)


def decide(task, user, data):
    grant = data["decision"] == DecideExtensionForm.GRANT
    services.decide_extension(task, user=user, grant=grant, note=data["note"])
    if grant:
        return _("Perpanjangan batas waktu %(agenda)s dikabulkan.") % {"agenda": _letter(task).agenda_label}
    return _("Perpanjangan batas waktu %(agenda)s ditolak.") % {"agenda": _letter(task).agenda_label}


def task_actions(flow, extension_flow):
    return {
        flow.dispose: [TaskAction("dispose", gettext_lazy("Disposisi pimpinan"), dispose_form, dispose)],
        flow.follow_up: [
            TaskAction("close", gettext_lazy("Tutup tindak lanjut"), close_form, close),
            TaskAction("forward", gettext_lazy("Teruskan ke staf unit"), forward_form, forward),
            TaskAction("extend", gettext_lazy("Minta perpanjangan batas waktu"), extend_form, extend),
        ],
        extension_flow.decide: [
            TaskAction("decide", gettext_lazy("Putuskan perpanjangan batas waktu"), decide_form, decide),
        ],
    }
