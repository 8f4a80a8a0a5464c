"""The dispose and follow-up pages: forms that validate, and two people on one task."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.support import PASSWORD
from workflows import inbox
from workflows.letters.flows import LetterFlow
from workflows.letters.forms import DisposeForm
from workflows.letters.models import Disposition, DispositionBranch, Letter


def login(username):
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def token():
    return DisposeForm(units=None).fields["submission_token"].initial


@pytest.fixture
def letter(register):
    return register()


def dispose_url(letter):
    return reverse("tasks:task", args=[inbox.open_task(letter, LetterFlow.dispose).pk])


def test_chair_disposes_through_the_page(org, letter):
    deadline = timezone.localdate() + datetime.timedelta(days=5)
    response = login("chair").post(
        dispose_url(letter),
        {"decision": "dispose", "units": [org.komisi1.pk, org.komisi2.pk], "instruction": "dibahas",
         "note": "Bahas di rapat kerja", "deadline": deadline.isoformat(), "submission_token": token()},
    )
    assert response.status_code == 302
    disposition = Disposition.objects.get(letter=letter)
    assert set(disposition.branches.values_list("unit__code", flat=True)) == {"komisi-1", "komisi-2"}
    assert disposition.deadline == deadline


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"decision": "dispose", "instruction": "dibahas"}, "units", "sedikitnya satu unit"),
        ({"decision": "dispose", "units": "UNIT", "instruction": ""}, "instruction", "Pilih instruksi"),
        ({"decision": "dispose", "units": "UNIT", "instruction": "dibahas", "deadline": "2000-01-01"}, "deadline", "masa lalu"),
    ],
)
def test_incomplete_disposition_is_refused(org, letter, data, field, message):
    data = {**data, "submission_token": token()}
    if data.get("units") == "UNIT":
        data["units"] = [org.komisi1.pk]
    data.setdefault("deadline", (timezone.localdate() + datetime.timedelta(days=1)).isoformat())
    response = login("chair").post(dispose_url(letter), data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Disposition.objects.exists()


def test_chair_can_file_without_disposition(org, letter):
    response = login("chair").post(dispose_url(letter), {"decision": "file", "note": "", "submission_token": token()})
    assert response.status_code == 302
    assert Letter.objects.get(pk=letter.pk).status == Letter.Status.ARCHIVED


def test_dispose_page_posted_twice_disposes_once(org, letter):
    url = dispose_url(letter)
    data = {"decision": "dispose", "units": [org.komisi1.pk], "instruction": "dibahas",
            "deadline": timezone.localdate().isoformat(), "submission_token": token()}
    client = login("chair")
    assert client.post(url, data).status_code == 302
    second = client.post(url, {**data, "submission_token": token()})
    assert second.status_code == 404, "the task is done; its page is gone"
    assert DispositionBranch.objects.count() == 1


def test_unit_member_claims_and_closes_through_the_pages(org, letter, dispose):
    dispose(letter, [org.komisi1])
    task = letter.process.task_set.get(flow_task=LetterFlow.follow_up)
    client = login("komisi1")
    assert "Ambil tugas" in client.get(reverse("tasks:task", args=[task.pk])).content.decode()
    assert client.post(reverse("tasks:claim", args=[task.pk])).status_code == 302
    # a second member of the unit now finds the task taken
    assert login("staf1").get(reverse("tasks:task", args=[task.pk])).status_code == 404
    page = client.get(reverse("tasks:task", args=[task.pk]))
    assert page.status_code == 200 and "Laporkan selesai" in page.content.decode()
    empty = client.post(reverse("tasks:task", args=[task.pk]), {"close-report": "", "close-submission_token": token(), "close": "1"})
    assert "close_form" in empty.context and empty.context["close_form"].errors["report"]
    done = client.post(
        reverse("tasks:task", args=[task.pk]),
        {"close-report": "Sudah dibahas", "close-submission_token": token(), "close": "1"},
    )
    assert done.status_code == 302
    assert Letter.objects.get(pk=letter.pk).status == Letter.Status.ARCHIVED


def test_forwarding_through_the_page(org, letter, dispose):
    dispose(letter, [org.komisi1])
    task = letter.process.task_set.get(flow_task=LetterFlow.follow_up)
    inbox.claim(task, user=org.k1)
    response = login("komisi1").post(
        reverse("tasks:task", args=[task.pk]),
        {"forward-staff": org.k1_staff.pk, "forward-note": "Siapkan jawaban", "forward-submission_token": token(), "forward": "1"},
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.owner == org.k1_staff
    assert login("staf1").get(reverse("tasks:inbox")).content.decode().count(reverse("tasks:task", args=[task.pk])) == 1


def test_pages_are_translated_to_english(org, letter):
    client = login("chair")
    client.cookies["django_language"] = "en"
    page = client.get(reverse("letters:list")).content.decode()
    assert "Incoming letters" in page and "Surat masuk</h1>" not in page
    client.cookies["django_language"] = "id"
    assert "Surat masuk" in client.get(reverse("letters:list")).content.decode()
