"""What the letters' tests share: a signed-in client, a form token, a unit's follow-up task."""

from django.test import Client

from tests.support import PASSWORD
from workflows.letters.flows import LetterFlow
from workflows.letters.forms import DisposeForm


def login(user):
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def token():
    """A fresh one-time form token, as a page would render it."""
    return DisposeForm(units=None).fields["submission_token"].initial


def follow_up_task(letter, unit):
    return letter.process.task_set.get(flow_task=LetterFlow.follow_up, data__unit=unit.pk)
