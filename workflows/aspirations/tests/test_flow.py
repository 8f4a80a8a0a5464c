"""The process from receipt to closing, through the services pages and the API call."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from project.audit.models import AuditEvent
from workflows.aspirations import services
from workflows.aspirations.flows import AspirationFlow
from workflows.aspirations.models import Aspiration, AspirationMessage

from .support import answer, approve, dispose, receive, task_of, verify

pytestmark = pytest.mark.django_db


def test_unit_path_from_receipt_to_answer_and_reopening_once(world):
    aspiration = receive(world)
    assert aspiration.status == Aspiration.Status.RECEIVED and aspiration.verify_due
    assert aspiration.messages.filter(purpose="receipt", direction="out").count() == 1
    verify(world, aspiration)
    dispose(world, aspiration, unit=world.org.komisi1)
    aspiration.refresh_from_db()
    assert aspiration.status == Aspiration.Status.IN_FOLLOW_UP and aspiration.follow_up_due
    answer(aspiration, world.org.k1_staff)
    aspiration.refresh_from_db()
    assert aspiration.status == Aspiration.Status.ANSWER_DRAFTED
    approve(aspiration, world.org.k1)
    aspiration.refresh_from_db()
    assert aspiration.status == Aspiration.Status.ANSWERED and aspiration.answered_at
    assert aspiration.messages.filter(purpose="answer", direction="out").count() == 1

    assert services.receive_reply(aspiration, channel="email", text="Lampu masih padam.") == "reopened"
    aspiration.refresh_from_db()
    assert aspiration.status == Aspiration.Status.IN_FOLLOW_UP and aspiration.reopened_at
    answer(aspiration, world.org.k1_staff, "Dinas memperbaiki lampu hari ini.")
    approve(aspiration, world.org.k1)
    assert services.receive_reply(aspiration, channel="email", text="Terima kasih") == "recorded", "reopened only once"
    aspiration.refresh_from_db()
    assert aspiration.status == Aspiration.Status.ANSWERED
    timeline = list(aspiration.timeline.values_list("status", flat=True))
    assert timeline[0] == "diterima" and timeline[-1] == "dijawab"


def test_members_path_skips_the_unit_head(world):
    aspiration = receive(world)
    verify(world, aspiration)
    dispose(world, aspiration, members=[world.member])
    task = task_of(aspiration, AspirationFlow.follow_up)
    assert not task.flow_task.can_assign(world.other_user, task), "a member of another dapil cannot take it"
    answer(aspiration, world.org.member)
    aspiration.refresh_from_db()
    assert aspiration.status == Aspiration.Status.ANSWERED


def test_dispose_refuses_members_of_another_dapil(world):
    aspiration = receive(world)
    verify(world, aspiration)
    task = task_of(aspiration, AspirationFlow.dispose)
    with pytest.raises(ValidationError):
        services.dispose(task, user=world.org.chair, members=[world.other])
    aspiration.refresh_from_db()
    assert aspiration.status == Aspiration.Status.VERIFIED


def test_needs_info_waits_for_the_resident_then_verification_resumes(world):
    aspiration = receive(world)
    verify(world, aspiration, "needs_info", info_request="Di RT berapa tepatnya?")
    aspiration.refresh_from_db()
    assert aspiration.status == Aspiration.Status.NEEDS_INFO
    assert aspiration.messages.filter(purpose="info_request").exists()
    assert services.receive_reply(aspiration, channel="web", text="RT 12, dekat masjid.") == "resumed"
    assert task_of(aspiration, AspirationFlow.verify) is not None


def test_duplicate_and_referral_end_the_process(world):
    first = receive(world)
    second = receive(world, subject="Lampu jalan mati di RT 12")
    verify(world, second, "duplicate", duplicate_of=first)
    second.refresh_from_db()
    assert second.status == Aspiration.Status.MERGED and second.merged_into == first and second.process.finished
    third = receive(world, subject="Sertifikat tanah")
    verify(world, third, "referred", referral_note="Silakan ke Kantor Pertanahan Kota Balikpapan.")
    third.refresh_from_db()
    assert third.status == Aspiration.Status.REFERRED and third.process.finished


def test_answer_returned_by_the_unit_head_goes_back_to_the_unit(world):
    aspiration = receive(world)
    verify(world, aspiration)
    dispose(world, aspiration, unit=world.org.komisi1)
    answer(aspiration, world.org.k1_staff)
    task = task_of(aspiration, AspirationFlow.approve)
    services.approve_answer(task, user=world.org.k1, approve=False, note="Sebutkan tanggal perbaikan.")
    follow_up = task_of(aspiration, AspirationFlow.follow_up)
    assert follow_up.status == "NEW"
    assert AuditEvent.objects.for_object(aspiration).filter(action="aspiration.answer_returned").exists()


def test_two_people_verifying_one_task_the_second_is_refused(world):
    aspiration = receive(world)
    task = task_of(aspiration, AspirationFlow.verify, world.org.registrar)
    services.verify(task, user=world.org.registrar, decision="valid")
    with pytest.raises(PermissionDenied):
        services.verify(task, user=world.org.registrar, decision="valid")


def test_anonymous_keeps_no_name(world):
    aspiration = receive(world, privacy=Aspiration.Privacy.ANONYMOUS, name="Budi")
    assert aspiration.name == ""
    assert aspiration.sender_shown_to(world.org.registrar) == "Anonim"


def test_no_contact_means_nothing_is_sent(world):
    aspiration = receive(world, email="", phone="")
    message = aspiration.messages.get(purpose="receipt")
    assert message.delivery == AspirationMessage.Delivery.NOT_SENT
