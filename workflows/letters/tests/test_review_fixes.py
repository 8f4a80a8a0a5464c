"""Issue 12's review findings: extensions that outlive their branch, locks on closing, the migration's data step,
re-stamping a corrected scan, the dispose page's queries, the API's registrar and release endpoints, a cancelled
letter's dispose form and notifications, and the unread-dispositions counter."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS, STATUS
from viewflow.workflow.timers import fire_due_timers

from api.testing import token_client
from documents.pdf import tanggal
from project.audit.models import AuditEvent
from project.notifications.models import Notification
from project.notifications.services import notify
from tests.support import letter_data
from workflows import inbox
from workflows.letters import services
from workflows.letters.flows import ExtensionFlow, LetterFlow
from workflows.letters.models import (
    DeadlineExtension,
    Disposition,
    DispositionBranch,
    Letter,
)
from workflows.letters.tasks import prepare_scan
from workflows.letters.tests.support import follow_up_task, login, token

TODAY = timezone.localdate()
migration = importlib.import_module("workflows.letters.migrations.0004_cancel_untimed_dispositions_extensions")


def timers(host_task, status=STATUS.SCHEDULED):
    return Task.objects.filter(previous=host_task, flow_task_type="TIMER", status=status)


def decide_task():
    return Task.objects.get(flow_task=ExtensionFlow.decide)


# --- 1. closing a branch withdraws its pending extension request --------------


def test_closing_a_branch_withdraws_its_pending_extension_and_the_chairs_task(org, held_branch):
    later = TODAY + datetime.timedelta(days=10)
    extension = services.request_extension(held_branch, user=org.k1, new_deadline=later, reason="Menunggu data")
    task = decide_task()
    assert task in inbox.inbox_tasks(org.chair)
    services.close_branch(held_branch, user=org.k1, report="Sudah selesai")
    extension.refresh_from_db()
    assert extension.status == DeadlineExtension.Status.WITHDRAWN
    assert extension.get_status_display() == "Gugur — tindak lanjut sudah selesai"
    task.refresh_from_db()
    assert task.status == STATUS.CANCELED and task.process.status == PROCESS.CANCELED
    assert not inbox.inbox_tasks(org.chair).filter(flow_task=ExtensionFlow.decide).exists()
    letter = services.branch_of_task(held_branch).letter
    assert AuditEvent.objects.for_object(letter).filter(action="extension.withdrawn").exists()
    with pytest.raises(ValidationError, match="sudah selesai"):
        services.decide_extension(task, user=org.chair, grant=True)
    assert services.branch_of_task(held_branch).deadline == TODAY + datetime.timedelta(days=2)


def test_deciding_on_a_closed_branch_is_refused_with_a_reason(org, held_branch):
    services.request_extension(held_branch, user=org.k1, new_deadline=TODAY + datetime.timedelta(days=9), reason="r")
    DispositionBranch.objects.filter(pk=services.branch_of_task(held_branch).pk).update(
        status=DispositionBranch.Status.CLOSED)
    with pytest.raises(ValidationError, match="sudah selesai"):
        services.decide_extension(decide_task(), user=org.chair, grant=True)


# --- 2. closing locks the branch row and writes only what it changes -----------


def test_closing_locks_the_branch_and_leaves_its_deadline_alone(org, held_branch):
    with CaptureQueriesContext(connection) as queries:
        services.close_branch(held_branch, user=org.k1, report="Selesai")
    sql = [query["sql"] for query in queries.captured_queries]
    assert any('FROM "letters_dispositionbranch"' in q and "FOR UPDATE" in q for q in sql)
    updates = [q for q in sql if q.startswith('UPDATE "letters_dispositionbranch"')]
    assert updates and not any('"deadline"' in q or '"overdue"' in q for q in updates), updates


# --- 8. the migration's data step, and an untimed branch's timer firing --------


def test_the_data_step_takes_open_untimed_branches_off_the_clock(org, register, dispose):
    timed, untimed = register(), register(subject="Tembusan")
    dispose(timed, [org.komisi1], deadline=TODAY + datetime.timedelta(days=3))
    dispose(untimed, [org.komisi1], deadline=TODAY - datetime.timedelta(days=1))
    Disposition.objects.filter(letter=untimed).update(instruction="diketahui")  # as disposed before issue 12
    DispositionBranch.objects.update(deadline=None)
    DispositionBranch.objects.filter(disposition__letter=untimed).update(overdue=True)
    migration.branches_work_to_their_disposition_deadline(apps, connection.schema_editor())
    timed_branch = DispositionBranch.objects.get(disposition__letter=timed)
    untimed_branch = DispositionBranch.objects.get(disposition__letter=untimed)
    assert timed_branch.deadline == TODAY + datetime.timedelta(days=3)
    assert untimed_branch.deadline is None and not untimed_branch.overdue
    assert timers(follow_up_task(timed, org.komisi1)).count() == 1
    untimed_task = follow_up_task(untimed, org.komisi1)
    assert not timers(untimed_task).exists() and timers(untimed_task, STATUS.CANCELED).count() == 1


def test_the_reverse_step_gives_untimed_dispositions_the_day_they_were_given(org, register, dispose):
    letter = register()
    dispose(letter, [org.komisi1], instruction="diketahui")
    disposition = Disposition.objects.get(letter=letter)
    assert disposition.deadline is None
    migration.dispositions_have_a_deadline_again(apps, connection.schema_editor())
    disposition.refresh_from_db()
    assert disposition.deadline == timezone.localdate(disposition.given_at)


def test_a_timer_firing_for_a_branch_without_deadline_changes_nothing(org, register, dispose):
    letter = register()
    dispose(letter, [org.komisi1])
    DispositionBranch.objects.filter(disposition__letter=letter).update(deadline=None)  # an old untimed branch
    timers(follow_up_task(letter, org.komisi1)).update(scheduled=timezone.now())
    assert fire_due_timers() == 1
    branch = DispositionBranch.objects.get(disposition__letter=letter)
    assert not branch.overdue and not Notification.objects.filter(kind="overdue").exists()
    assert not AuditEvent.objects.for_object(letter).filter(action="branch.overdue").exists()


# --- 9. a corrected received date is stamped again ------------------------------


def test_correcting_the_received_date_stamps_the_scan_again(org, register, eager_jobs, django_capture_on_commit_callbacks):
    letter = register()
    assert prepare_scan(letter.pk) == 2, "read and stamped, as after registering"
    new_date = letter.received_date - datetime.timedelta(days=1)
    data = {**letter_data(org), "received_date": new_date, "letter_date": new_date - datetime.timedelta(days=1)}
    with django_capture_on_commit_callbacks(execute=True):
        services.correct_letter(letter, user=org.registrar, data=data)
    scan = Letter.objects.get(pk=letter.pk).scan
    newest = scan.versions.order_by("-number").first()
    assert newest.number == 3 and newest.note == services.RESTAMP_NOTE
    assert tanggal(new_date) in newest.pages.get(number=1).text
    assert AuditEvent.objects.for_object(letter).filter(action="scan.restamped").exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.correct_letter(letter, user=org.registrar, data={**data, "subject": "Perihal lain"})
    assert scan.versions.count() == 3, "only the received date is on the stamp"


def test_a_scan_not_stamped_yet_is_left_to_its_first_stamp(org, register):
    letter = register()
    assert services.stamp_scan(letter, again=True) is None
    assert letter.scan.versions.count() == 1


# --- 12. the dispose page reads only the dispose tasks --------------------------


def test_the_dispose_page_does_not_build_the_whole_inbox(org, register, monkeypatch):
    first, second = register(), register(subject="Kedua")
    task = inbox.open_task(first, LetterFlow.dispose)
    assert list(services.waiting_dispositions(org.chair)) == [task, inbox.open_task(second, LetterFlow.dispose)]

    def no_rows(*args, **kwargs):
        raise AssertionError("the whole inbox was built")

    monkeypatch.setattr(inbox, "rows", no_rows)
    chair = login(org.chair)
    page = chair.get(reverse("tasks:task", args=[task.pk])).content.decode()
    assert reverse("tasks:task", args=[inbox.open_task(second, LetterFlow.dispose).pk]) in page
    response = chair.post(reverse("tasks:task", args=[task.pk]), {"decision": "file", "note": "", "submission_token": token()})
    assert response.url == reverse("tasks:task", args=[inbox.open_task(second, LetterFlow.dispose).pk])


# --- 13. the API: release, correct and cancel -----------------------------------


def test_the_api_releases_a_claimed_task_only_for_its_holder(org, register, dispose):
    letter = register()
    dispose(letter, [org.komisi1])
    task = follow_up_task(letter, org.komisi1)
    inbox.claim(task, user=org.k1)
    url = f"/api/v1/tasks/{task.pk}/release/"
    assert token_client(org.k2).post(url).status_code == 404, "not theirs, not in their queue"
    assert token_client(org.k1_staff).post(url).status_code == 404, "claimed by someone else"
    response = token_client(org.k1).post(url)
    assert response.status_code == 200 and response.json()["id"] == task.pk
    task.refresh_from_db()
    assert task.owner is None and task.status == STATUS.NEW
    assert DispositionBranch.objects.get(disposition__letter=letter).claimed_by is None
    other = register()
    chair_task = inbox.open_task(other, LetterFlow.dispose)
    response = token_client(org.chair).post(f"/api/v1/tasks/{chair_task.pk}/release/")
    assert response.status_code == 403 and "antrean unit" in response.json()["detail"]


def test_the_api_corrects_and_cancels_like_the_page_and_refuses_others(org, register, dispose):
    letter = register()
    for user in (org.k1, org.chair):
        client = token_client(user)
        assert client.patch(f"/api/v1/letters/{letter.pk}/correct/", {"subject": "x"}, format="json").status_code == 403
        assert client.post(f"/api/v1/letters/{letter.pk}/cancel/", {"reason": "x"}, format="json").status_code == 403
    registrar = token_client(org.registrar)
    response = registrar.patch(f"/api/v1/letters/{letter.pk}/correct/", {"subject": "Perihal yang benar"}, format="json")
    assert response.status_code == 200 and response.json()["subject"] == "Perihal yang benar"
    assert AuditEvent.objects.for_object(letter).filter(action="letter.corrected", user=org.registrar).exists()
    response = registrar.post(f"/api/v1/letters/{letter.pk}/correct/", {"subject": "Hanya perihal"}, format="json")
    assert response.status_code == 400 and "sender" in response.json()["errors"], "POST takes every field"
    assert registrar.post(f"/api/v1/letters/{letter.pk}/cancel/", {}, format="json").status_code == 400
    response = registrar.post(f"/api/v1/letters/{letter.pk}/cancel/", {"reason": "Terdaftar dua kali"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    response = registrar.patch(f"/api/v1/letters/{letter.pk}/correct/", {"subject": "lagi"}, format="json")
    assert response.status_code == 400
    disposed = register(subject="Sudah didisposisikan")
    dispose(disposed, [org.komisi1])
    response = registrar.post(f"/api/v1/letters/{disposed.pk}/cancel/", {"reason": "x"}, format="json")
    assert response.status_code == 400 and Letter.objects.get(pk=disposed.pk).status == Letter.Status.IN_FOLLOW_UP
    assert token_client(org.registrar).post("/api/v1/letters/999999/cancel/", {"reason": "x"}, format="json").status_code == 404


# --- 16. a cancelled letter: the chair's open form, and the notifications ---------


def test_disposing_a_cancelled_letter_says_it_was_cancelled(org, register):
    letter = register()
    task = inbox.open_task(letter, LetterFlow.dispose)
    notify([org.chair, org.k1], kind="task", message="Surat baru", url=letter.get_absolute_url(),
           subject_key=letter.subject_key)
    services.cancel_letter(letter, user=org.registrar, reason="Keliru")
    assert not Notification.objects.filter(subject_key=letter.subject_key, read_at__isnull=True).exists()
    with pytest.raises(ValidationError, match="Pendaftaran surat ini sudah dibatalkan."):
        services.dispose(task, user=org.chair, units=[org.komisi1], instruction="dibahas", note="",
                         deadline=TODAY + datetime.timedelta(days=3))
    with pytest.raises(ValidationError, match="Pendaftaran surat ini sudah dibatalkan."):
        services.file_without_disposition(task, user=org.chair)
    response = login(org.chair).post(reverse("tasks:task", args=[task.pk]),
                                     {"decision": "file", "note": "", "submission_token": token()})
    assert response.status_code == 404, "the cancelled task is no longer the chair's (workflows.inbox.task_for)"


# --- 7. the unread-dispositions counter opens exactly what it counts -------------


def test_the_unread_dispositions_counter_opens_exactly_those_notifications(org, register, dispose):
    first, second, third = register(), register(subject="Dua"), register(subject="Tiga")
    for letter in (first, second, third):
        dispose(letter, [org.komisi1])
    login(org.k1).get(third.get_absolute_url())  # opening the letter reads its notification
    notify([org.k1], kind="task", message="Tugas lain", url="/")
    counter = next(c for c in services.dashboard_counters(org.k1) if c.label == "Disposisi belum dibaca")
    assert counter.value == 2 and counter.query == {"jenis": "disposition", "belum_dibaca": "1"}
    page = login(org.k1).get(counter.url).content.decode()
    assert page.count('class="notification') == counter.value
    assert 'class="active-filters"' in page and "Hapus semua filter" in page
    everything = login(org.k1).get(reverse("notifications")).content.decode()
    assert everything.count('class="notification') == 4 and 'class="active-filters"' not in everything
