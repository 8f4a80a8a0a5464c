"""The incoming-letter process from registration to archive, through the services."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from viewflow.workflow.status import STATUS
from viewflow.workflow.timers import fire_due_timers

from project.audit.models import AuditEvent
from project.notifications.models import Notification
from tests.support import pdf_text
from workflows import inbox
from workflows.letters import services
from workflows.letters.flows import LetterFlow
from workflows.letters.models import DispositionBranch, Letter
from workflows.letters.printouts import disposition_sheet_pdf


def follow_up_task(letter, unit):
    return letter.process.task_set.get(flow_task=LetterFlow.follow_up, data__unit=unit.pk)


def test_registration_gives_agenda_number_and_chair_task(org, register):
    first, second = register(), register()
    assert (first.agenda_number, second.agenda_number) == (1, 2)
    assert first.agenda_year == timezone.localdate().year
    task = inbox.open_task(first, LetterFlow.dispose)
    assert task.owner == org.chair and task.status == STATUS.ASSIGNED
    assert first.status == Letter.Status.AWAITING_DISPOSITION
    assert AuditEvent.objects.for_object(first).filter(action="letter.registered", user=org.registrar).exists()


def test_two_units_follow_up_in_parallel_then_letter_is_archived(org, register, dispose):
    letter = register()
    dispose(letter, [org.komisi1, org.komisi2])
    letter.refresh_from_db()
    assert letter.status == Letter.Status.IN_FOLLOW_UP
    task1, task2 = follow_up_task(letter, org.komisi1), follow_up_task(letter, org.komisi2)
    assert task1.status == task2.status == STATUS.NEW

    inbox.claim(task1, user=org.k1)
    services.close_branch(task1, user=org.k1, report="Dibahas di rapat Komisi I")
    letter.refresh_from_db()
    assert letter.status == Letter.Status.IN_FOLLOW_UP, "one branch still open"

    inbox.claim(task2, user=org.k2)
    services.close_branch(task2, user=org.k2, report="Dijawab Komisi II")
    letter.refresh_from_db()
    assert letter.status == Letter.Status.ARCHIVED
    assert letter.archived_at is not None
    assert letter.process.status == STATUS.DONE
    actions = list(AuditEvent.objects.for_object(letter).values_list("action", flat=True))
    assert actions == [
        "letter.registered", "letter.disposed", "branch.claimed", "branch.closed",
        "branch.claimed", "branch.closed", "letter.archived",
    ]


def test_filed_without_disposition_goes_straight_to_archive(org, register):
    letter = register()
    services.file_without_disposition(inbox.open_task(letter, LetterFlow.dispose), user=org.chair)
    letter.refresh_from_db()
    assert letter.status == Letter.Status.ARCHIVED and letter.filed_without_disposition
    assert not letter.dispositions.exists()


def test_forwarding_moves_the_branch_to_a_staff_member_of_the_unit(org, register, dispose):
    letter = register()
    dispose(letter, [org.komisi1])
    task = follow_up_task(letter, org.komisi1)
    inbox.claim(task, user=org.k1)
    with pytest.raises(PermissionDenied):
        services.forward_branch(task, user=org.k1, staff=org.k2, note="bukan anggota")
    services.forward_branch(task, user=org.k1, staff=org.k1_staff, note="Siapkan bahan")
    task.refresh_from_db()
    assert task.owner == org.k1_staff
    with pytest.raises(PermissionDenied):
        services.close_branch(task, user=org.k1, report="bukan pemegang lagi")
    services.close_branch(task, user=org.k1_staff, report="Selesai")
    assert Letter.objects.get(pk=letter.pk).status == Letter.Status.ARCHIVED


def test_two_people_cannot_claim_the_same_branch(org, register, dispose):
    letter = register()
    dispose(letter, [org.komisi1])
    task = follow_up_task(letter, org.komisi1)
    inbox.claim(task, user=org.k1)
    with pytest.raises(PermissionDenied):
        inbox.claim(task, user=org.k1_staff)
    task.refresh_from_db()
    assert task.owner == org.k1


def test_member_of_another_unit_cannot_claim(org, register, dispose):
    letter = register()
    dispose(letter, [org.komisi1])
    with pytest.raises(PermissionDenied):
        inbox.claim(follow_up_task(letter, org.komisi1), user=org.k2)


def test_a_disposition_cannot_be_given_twice(org, register, dispose):
    letter = register()
    task = inbox.open_task(letter, LetterFlow.dispose)
    dispose(letter, [org.komisi1])
    with pytest.raises(PermissionDenied):
        services.dispose(task, user=org.chair, units=[org.komisi2], instruction="dibahas", note="", deadline=timezone.localdate())
    assert DispositionBranch.objects.filter(disposition__letter=letter).count() == 1


def test_only_the_acting_chair_may_dispose(org, register):
    letter = register()
    task = inbox.open_task(letter, LetterFlow.dispose)
    with pytest.raises(PermissionDenied):
        services.dispose(task, user=org.deputy, units=[org.komisi1], instruction="dibahas", note="", deadline=timezone.localdate())
    assert not letter.dispositions.exists()


def test_overdue_branch_is_flagged_and_notified_by_the_timer(org, register, dispose):
    letter = register()
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    dispose(letter, [org.komisi1, org.komisi2], deadline=yesterday)
    on_time = follow_up_task(letter, org.komisi2)
    inbox.claim(on_time, user=org.k2)
    services.close_branch(on_time, user=org.k2, report="tepat waktu")
    assert fire_due_timers() == 1, "only the still-open branch has a running deadline timer"
    branch1 = DispositionBranch.objects.get(disposition__letter=letter, unit=org.komisi1)
    branch2 = DispositionBranch.objects.get(disposition__letter=letter, unit=org.komisi2)
    assert branch1.overdue and not branch2.overdue
    overdue_to = set(Notification.objects.filter(kind="overdue").values_list("recipient__username", flat=True))
    assert overdue_to == {"komisi1", "staf1", "chair"}
    assert fire_due_timers() == 0, "a timer fires once"
    # the branch keeps running after its deadline and can still be closed
    task1 = follow_up_task(letter, org.komisi1)
    inbox.claim(task1, user=org.k1)
    services.close_branch(task1, user=org.k1, report="terlambat")
    assert Letter.objects.get(pk=letter.pk).status == Letter.Status.ARCHIVED


def test_deadline_in_the_future_does_not_fire(org, register, dispose):
    letter = register()
    dispose(letter, [org.komisi1], deadline=timezone.localdate())
    assert fire_due_timers() == 0
    assert not DispositionBranch.objects.get(disposition__letter=letter).overdue


def test_disposition_sheet_pdf_has_header_and_dispositions(org, register, dispose):
    letter = register(subject="Permohonan drainase <b>Sepinggan</b>")
    dispose(letter, [org.komisi1, org.komisi2])
    text = pdf_text(disposition_sheet_pdf(letter))
    for expected in [
        "LEMBAR DISPOSISI", "DEWAN PERWAKILAN RAKYAT DAERAH KOTA BALIKPAPAN", letter.agenda_label,
        "Dinas Pekerjaan Umum", "600/12/DPU", "Komisi I", "Komisi II", "Untuk ditindaklanjuti",
        "<b>Sepinggan</b>", "Halaman 1",
    ]:
        assert expected in text, expected
