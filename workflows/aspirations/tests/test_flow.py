"""The process from receipt to closing, through the services pages and the API call."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from project.audit.models import AuditEvent
from workflows.aspirations import deadlines, services
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


def test_a_vacant_unit_head_leaves_the_approval_to_nobody_until_someone_holds_the_position(world):
    from project.org.models import Position
    from project.org.services import reroute_position_tasks
    from workflows import inbox

    head = Position.objects.get(unit=world.org.komisi1, role=Position.Role.HEAD)
    head.holder = None
    head.save()
    aspiration = receive(world)
    verify(world, aspiration)
    dispose(world, aspiration, unit=world.org.komisi1)
    answer(aspiration, world.org.k1_staff)
    task = task_of(aspiration, AspirationFlow.approve)
    for user in (world.outsider, world.org.k1_staff, world.org.registrar):
        assert not task.flow_task.can_assign(user, task), user
        assert task not in inbox.queue_tasks(user), user
    head.holder = world.org.k1
    head.save()
    reroute_position_tasks()
    approve(aspiration, world.org.k1)
    aspiration.refresh_from_db()
    assert aspiration.status == Aspiration.Status.ANSWERED


def test_whoever_acts_for_the_unit_head_sees_and_approves(world):
    import datetime

    from django.utils import timezone

    from project.org.models import Position
    from project.org.services import create_delegation

    head = Position.objects.get(unit=world.org.komisi1, role=Position.Role.HEAD)
    now = timezone.now()
    create_delegation(position=head, delegate=world.outsider, starts_at=now - datetime.timedelta(hours=1),
                      ends_at=now + datetime.timedelta(days=1))
    aspiration = receive(world, privacy=Aspiration.Privacy.CONFIDENTIAL)
    verify(world, aspiration)
    dispose(world, aspiration, unit=world.org.komisi1)
    answer(aspiration, world.org.k1_staff)
    aspiration.refresh_from_db()
    assert aspiration in Aspiration.objects.visible_to(world.outsider)
    assert aspiration.is_handled_by(world.outsider)
    approve(aspiration, world.outsider)
    aspiration.refresh_from_db()
    assert aspiration.status == Aspiration.Status.ANSWERED


def test_a_step_that_comes_round_again_is_escalated_again_and_dapil_follow_ups_reach_the_desk_head(world):
    aspiration = receive(world)
    verify(world, aspiration)
    dispose(world, aspiration, members=[world.member])
    aspiration.refresh_from_db()
    assert services.escalate(aspiration, step=services.FOLLOW_UP_STEP, level=1) == world.desk_head
    assert services.escalate(aspiration, step=services.FOLLOW_UP_STEP, level=1) is None, "once per deadline"
    # the step came round again: its new deadline is counted from a later day
    # (a fixed "today + 7" equalled the first deadline on Mondays)
    aspiration.follow_up_due = deadlines.follow_up_due(aspiration, on=aspiration.follow_up_due)
    aspiration.save()
    assert services.escalate(aspiration, step=services.FOLLOW_UP_STEP, level=1) == world.desk_head


def test_links_are_refused_once_the_aspiration_is_finished(world):
    aspiration = receive(world)
    verify(world, aspiration, "referred", referral_note="Ke BPN.")
    with pytest.raises(PermissionDenied):
        services.link_agenda_item(aspiration, user=world.org.registrar, agenda_item=None)


def test_a_message_whose_worker_died_is_sent_again(world, settings):
    import datetime

    from django.utils import timezone

    from workflows.aspirations.tasks import requeue_stalled_messages

    aspiration = receive(world, email="")
    message = aspiration.messages.get(purpose="receipt")
    AspirationMessage.objects.filter(pk=message.pk).update(
        delivery=AspirationMessage.Delivery.SENDING, sending_since=timezone.now() - datetime.timedelta(hours=1))
    fresh = AspirationMessage.objects.create(aspiration=aspiration, direction="out", channel="email", purpose="status",
                                             delivery=AspirationMessage.Delivery.SENDING, sending_since=timezone.now())
    assert requeue_stalled_messages() == 1
    message.refresh_from_db()
    fresh.refresh_from_db()
    assert message.delivery == AspirationMessage.Delivery.PENDING
    assert fresh.delivery == AspirationMessage.Delivery.SENDING, "a worker still on it is left alone"
