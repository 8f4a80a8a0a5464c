"""Running a step's action (``registry.TaskAction``) once, for a page or the API.

The form's one-time token is recorded in the same transaction as the
action, so a double click or a resent request changes nothing twice
(``DoubleSubmission``); the service itself locks the task, so two people
acting on one task get a clear refusal (``PermissionDenied``).
"""

from django.db import transaction

from project.forms import claim_submission


def run(action, task, user, form):
    """Perform ``action`` with the validated ``form``; return the success message."""
    with transaction.atomic():
        claim_submission(form.cleaned_data["submission_token"], user)
        return action.perform(task, user, form.cleaned_data)
