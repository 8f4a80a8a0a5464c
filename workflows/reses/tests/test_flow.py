"""The reses process through its services: open → record → submit → acknowledge, and every refusal."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from viewflow.workflow.status import STATUS

from project.audit.models import AuditEvent
from project.notifications.models import Notification
from project.org.services import create_delegation
from workflows import inbox
from workflows.reses import services
from workflows.reses.flows import ResesFlow
from workflows.reses.models import REPORT, Reses, ResesItem

from .support import complete_recording, item_data, record_item


def test_a_reses_goes_from_opening_to_the_chairs_acknowledgement(council):
    reses = council.open(user=council.aide)
    record = inbox.open_task(reses, ResesFlow.record)
    assert record.owner == council.member_user and record.status == STATUS.ASSIGNED, "the member's step, by name"
    assert reses.status == Reses.Status.OPEN

    record_item(council, reses)
    record_item(council, reses, request="Pemasangan lampu jalan", kamus=council.pju, volume=Decimal("6"))
    complete_recording(council, reses)
    services.finish_recording(record, user=council.member_user)
    reses.refresh_from_db()
    assert reses.status == Reses.Status.RECORDED and reses.recorded_at

    submit = inbox.open_task(reses, ResesFlow.submit)
    assert submit.owner == council.member_user
    services.submit_report(submit, user=council.member_user, summary="Dua aspirasi utama.")
    reses.refresh_from_db()
    assert reses.status == Reses.Status.REPORTED and reses.reported_by == council.member_user
    report = reses.documents(REPORT).get()
    assert report.current.media_type == "application/pdf"
    assert Notification.objects.filter(recipient=council.chair, kind=services.REPORT_NOTICE).exists()

    acknowledge = inbox.open_task(reses, ResesFlow.acknowledge)
    assert acknowledge.owner == council.chair and acknowledge.data["position"] == council.org.chair_position.pk
    services.acknowledge_report(acknowledge, user=council.chair, note="Diteruskan ke Banggar.")
    reses.refresh_from_db()
    assert reses.status == Reses.Status.ACKNOWLEDGED and reses.acknowledged_by == council.chair
    assert reses.process.status == STATUS.DONE
    assert {council.member_user, council.aide} <= {
        n.recipient for n in Notification.objects.filter(kind=services.ACKNOWLEDGED_NOTICE)}
    actions = list(AuditEvent.objects.for_object(reses).values_list("action", flat=True))
    assert actions == [
        "reses.opened", "item.drafted", "item.recorded", "item.drafted", "item.recorded", "attendance.uploaded",
        "reses.recorded", "report.submitted", "report.acknowledged",
    ]


def test_a_deputy_acting_for_the_chair_acknowledges_in_the_chairs_name(council, reported):
    now = timezone.now()
    create_delegation(position=council.org.chair_position, delegate=council.deputy, starts_at=now - datetime.timedelta(hours=1),
                      ends_at=now + datetime.timedelta(days=2), created_by=council.chair)
    from project.org.services import reroute_position_tasks

    reroute_position_tasks()
    task = inbox.open_task(reported, ResesFlow.acknowledge)
    assert task.owner == council.deputy
    services.acknowledge_report(task, user=council.deputy)
    event = AuditEvent.objects.for_object(reported).get(action="report.acknowledged")
    assert event.user == council.deputy and event.acting_for == council.chair


def test_without_the_previous_report_the_next_reses_cannot_be_opened(council):
    first = council.open()
    with pytest.raises(ValidationError) as refused:
        council.open(period=council.period2)
    message = " ".join(refused.value.messages)
    assert "masa sidang I tahun 2026" in message and "Pasal 88 ayat 6" in message
    assert not Reses.objects.filter(period=council.period2).exists()

    record_item(council, first)
    complete_recording(council, first)
    services.finish_recording(inbox.open_task(first, ResesFlow.record), user=council.member_user)
    with pytest.raises(ValidationError, match="belum diserahkan"):
        council.open(period=council.period2)  # recorded is not reported
    services.submit_report(inbox.open_task(first, ResesFlow.submit), user=council.member_user)
    assert council.open(period=council.period2).status == Reses.Status.OPEN, "submitted is enough; acknowledgement is not awaited"


def test_another_members_missing_report_blocks_nobody_else(council):
    council.open()
    assert council.open(member=council.other, period=council.period2).pk


@pytest.mark.parametrize("starts, ends, message", [
    (datetime.date(2026, 4, 12), datetime.date(2026, 4, 14), "harus di dalam masa sidang I tahun 2026"),
    (datetime.date(2026, 4, 18), datetime.date(2026, 4, 20), "harus di dalam"),
    (datetime.date(2026, 4, 13), datetime.date(2026, 4, 19), "paling lama 6 hari"),
    (datetime.date(2026, 4, 16), datetime.date(2026, 4, 14), "tidak boleh sebelum"),
])
def test_dates_outside_the_period_or_longer_than_six_days_are_refused(council, starts, ends, message):
    with pytest.raises(ValidationError) as refused:
        council.open(starts_on=starts, ends_on=ends)
    assert message in " ".join(refused.value.messages)
    assert not Reses.objects.exists()


def test_six_days_within_the_period_are_fine(council):
    reses = council.open(starts_on=datetime.date(2026, 4, 14), ends_on=datetime.date(2026, 4, 19))
    assert reses.days == 6


def test_a_kelurahan_outside_the_members_dapil_is_refused(council):
    with pytest.raises(ValidationError) as refused:
        council.open(places=[council.kota[0], council.selatan[0]])
    message = " ".join(refused.value.messages)
    assert council.selatan[0].name in message and "Dapil Balikpapan 5" in message
    reses = council.open()
    with pytest.raises(ValidationError) as refused:
        services.save_item(reses, client_key=uuid.uuid4(), data=item_data(council, reses, kelurahan=council.selatan[0]),
                           user=council.aide)
    assert "tidak berada di Dapil Balikpapan 5" in " ".join(refused.value.messages)
    assert not ResesItem.objects.exists()


def test_only_the_member_or_their_staff_open_a_reses(council):
    with pytest.raises(PermissionDenied):
        council.open(user=council.other_aide)
    with pytest.raises(PermissionDenied):
        council.open(user=council.verifier)
    assert council.open(user=council.aide).created_by == council.aide


def test_a_second_reses_in_the_same_period_is_refused(council):
    council.open()
    with pytest.raises(ValidationError, match="sudah dibuka"):
        council.open()


@pytest.mark.parametrize("volume", [Decimal("0"), Decimal("-5")])
def test_zero_or_negative_volume_is_refused(council, volume):
    reses = council.open()
    with pytest.raises(ValidationError) as refused:
        services.save_item(reses, client_key=uuid.uuid4(), data=item_data(council, reses, volume=volume),
                           user=council.aide, record=True)
    assert "Volume harus lebih dari nol." in refused.value.messages
    assert not ResesItem.objects.exists()


def test_the_same_client_key_saves_one_draft_and_catat_records_it(council):
    reses = council.open()
    key = uuid.uuid4()
    first, outcome = services.save_item(reses, client_key=key, data={"problem": "Jalan rusak"}, user=council.aide)
    again, _ = services.save_item(reses, client_key=key, data={"problem": "Jalan rusak parah"}, user=council.aide)
    assert outcome == "drafted" and first.pk == again.pk and ResesItem.objects.count() == 1
    assert again.status == ResesItem.Status.DRAFT and again.problem == "Jalan rusak parah"

    with pytest.raises(ValidationError) as refused:
        services.save_item(reses, client_key=key, data={}, user=council.aide, record=True)
    assert set(refused.value.message_dict) == {"request", "kelurahan", "kind", "volume", "unit", "kamus"}
    assert ResesItem.objects.get().status == ResesItem.Status.DRAFT

    item, outcome = services.save_item(reses, client_key=key, data=item_data(council, reses), user=council.aide, record=True)
    assert outcome == "recorded" and item.status == ResesItem.Status.RECORDED and ResesItem.objects.count() == 1
    assert (item.kind, item.unit, item.opd) == ("fisik", "meter", council.drainase.opd), "the kamus fills its defaults"
    assert list(AuditEvent.objects.for_object(reses).values_list("action", flat=True)) == [
        "reses.opened", "item.drafted", "item.recorded"], "autosaves of a draft do not flood the trail"


def test_a_client_key_of_another_reses_is_refused(council):
    mine = council.open()
    theirs = council.open(member=council.other)
    key = uuid.uuid4()
    services.save_item(theirs, client_key=key, data={"problem": "punya mereka"}, user=council.other_aide)
    with pytest.raises(PermissionDenied):
        services.save_item(mine, client_key=key, data={"problem": "bukan milik saya"}, user=council.aide)
    assert ResesItem.objects.get().problem == "punya mereka"


def test_a_recorded_item_must_stay_complete(council):
    reses = council.open()
    item = record_item(council, reses)
    with pytest.raises(ValidationError):
        services.save_item(reses, client_key=item.client_key, data={"request": ""}, user=council.aide)
    item.refresh_from_db()
    assert item.request and item.status == ResesItem.Status.RECORDED


def test_closing_the_recording_needs_requests_attendance_and_no_drafts(council):
    reses = council.open()
    task = inbox.open_task(reses, ResesFlow.record)
    services.save_item(reses, client_key=uuid.uuid4(), data={"problem": "draf"}, user=council.aide)
    with pytest.raises(PermissionDenied) as refused:
        services.finish_recording(task, user=council.member_user)
    for text in ("Belum ada usulan warga yang dicatat.", "Masih ada 1 usulan draf", "jumlah warga", "daftar hadir"):
        assert text in str(refused.value)
    reses.refresh_from_db()
    assert reses.status == Reses.Status.OPEN


def test_staff_cannot_do_the_members_steps_and_nothing_changes_once_recorded(council):
    reses = council.open()
    record_item(council, reses)
    complete_recording(council, reses)
    task = inbox.open_task(reses, ResesFlow.record)
    with pytest.raises(PermissionDenied):
        services.finish_recording(task, user=council.aide)
    services.finish_recording(task, user=council.member_user)
    with pytest.raises(PermissionDenied, match="sudah selesai"):
        services.save_item(reses, client_key=uuid.uuid4(), data={"problem": "terlambat"}, user=council.aide)
    with pytest.raises(PermissionDenied):
        services.finish_recording(task, user=council.member_user)


def test_a_draft_can_be_deleted_but_a_recorded_item_cannot(council):
    reses = council.open()
    draft, _ = services.save_item(reses, client_key=uuid.uuid4(), data={"problem": "x"}, user=council.aide)
    recorded = record_item(council, reses)
    services.delete_draft(draft, user=council.aide)
    with pytest.raises(PermissionDenied):
        services.delete_draft(recorded, user=council.aide)
    assert list(ResesItem.objects.all()) == [recorded]


def test_deadlines_of_the_members_steps_are_the_report_due_date(council):
    reses = council.open()
    assert services.task_deadline(inbox.open_task(reses, ResesFlow.record)) == council.period1.report_due


def test_the_dashboard_counts_drafts_for_the_members_side_only(council):
    reses = council.open()
    services.save_item(reses, client_key=uuid.uuid4(), data={"problem": "x"}, user=council.aide)
    for user in (council.member_user, council.aide):
        counters = {counter.label: counter.value for counter in services.dashboard_counters(user)}
        assert counters["Reses dengan usulan draf"] == 1 and counters["Reses belum dilaporkan"] == 1
    assert services.dashboard_counters(council.auditor) == []
    assert {c.label: c.value for c in services.dashboard_counters(council.other_aide)}["Reses dengan usulan draf"] == 0


def test_steps_are_refused_to_others_and_not_done_twice(council, reported):
    submit = reported.process.task_set.get(flow_task=ResesFlow.submit)
    with pytest.raises(PermissionDenied):
        services.submit_report(submit, user=council.member_user)
    acknowledge = inbox.open_task(reported, ResesFlow.acknowledge)
    for user in (council.deputy, council.member_user, council.verifier):
        with pytest.raises(PermissionDenied):
            services.acknowledge_report(acknowledge, user=user)
    services.acknowledge_report(acknowledge, user=council.chair)
    with pytest.raises(PermissionDenied):
        services.acknowledge_report(acknowledge, user=council.chair)
    assert AuditEvent.objects.for_object(reported).filter(action="report.acknowledged").count() == 1
