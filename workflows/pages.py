"""The base of every step's page.

``workflows.views.task_page`` has already checked that the task is the
user's; the page loads the task's subject through its process's
visibility rule and runs the step's registered actions
(``registry.TaskAction``) through ``workflows.actions.run``, as the API
does.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from project.forms import DoubleSubmission, create_once

from . import actions, registry


def create_page(request, form, template, create, *, done, again):
    """A page whose form makes one new subject (registers a letter, schedules a meeting), once per form.

    ``create(form)`` makes the subject from the valid form; ``done(subject)``
    is the success message; ``again`` the warning for a form sent twice,
    which then leads to what the first submission made.
    """
    if request.method == "POST" and form.is_valid():
        try:
            subject = create_once(form.cleaned_data["submission_token"], request.user, lambda: create(form))
        except DoubleSubmission as first:
            messages.warning(request, again)
            return redirect(first.result_url or request.path)
        messages.success(request, done(subject))
        return redirect(subject)
    return render(request, template, {"form": form})


def refusal_message(refused):
    if isinstance(refused, DoubleSubmission):
        return _("Formulir ini sudah dikirim sebelumnya; tidak ada yang diubah.")
    return str(refused) or _("Anda tidak berwenang melakukan ini.")


class TaskPage(View):
    template_name = None
    subject_name = "subject"  # the subject's name in the template's context too ("letter", "meeting")
    done_url = "tasks:inbox"  # where a finished step leads; None: back to the subject's page

    def dispatch(self, request, *args, task, **kwargs):
        self.task = task
        self.process = registry.process_of_task(task)
        self.subject = self.process.visible_or_404(request.user, task.process.artifact_object_id)
        return super().dispatch(request, *args, **kwargs)

    def render(self, **context):
        return render(self.request, self.template_name, {
            "task": self.task, "subject": self.subject, self.subject_name: self.subject, **context,
        })

    def action_form(self, name, data=None, files=None, prefix=None):
        action = registry.action_for(self.task, name)
        return action.form(self.task, self.request.user, data, files, prefix=prefix)

    def act(self, name, form):
        """Run the step's action with the valid ``form``, once; tell the person how it went."""
        try:
            message = actions.run(registry.action_for(self.task, name), self.task, self.request.user, form)
        except (DoubleSubmission, PermissionDenied) as refused:
            messages.warning(self.request, refusal_message(refused))
            return redirect(self.subject)
        except ValidationError as refused:  # a rule the service checks against the current state (not the form)
            messages.warning(self.request, " ".join(refused.messages))
            return redirect(self.subject)
        messages.success(self.request, message)
        return redirect(self.done_url or self.subject)


class ActionsPage(TaskPage):
    """A step's page with one form per action of the step (verify or return, sign, …); only the sent one is bound.

    Subclasses name ``actions`` and may add to the page with ``page()``.
    """

    actions = ()

    def forms(self, action=None, data=None, files=None):
        """``(name, form, button title)`` of each of the step's actions; only ``action``'s form is bound."""
        return [
            (name, self.action_form(name, data if name == action else None, files if name == action else None,
                                    prefix=name), registry.action_for(self.task, name).title)
            for name in self.actions
        ]

    def page(self, forms, **extra):
        return self.render(forms=forms, **extra)

    def get(self, request):
        return self.page(self.forms())

    def post(self, request):
        action = next((name for name in self.actions if f"{name}-submission_token" in request.POST), self.actions[0])
        forms = self.forms(action, request.POST, request.FILES)
        form = next(form for name, form, _title in forms if name == action)
        if not form.is_valid():
            return self.page(forms)
        return self.act(action, form)
