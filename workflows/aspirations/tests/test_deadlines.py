"""Deadlines in working days (weekends, national holidays, cuti bersama, the secretariat's own days) and the
timers that escalate a late step: first to the step's unit head, then to the Sekretaris DPRD."""

import datetime

import pytest
from django.utils import timezone
from viewflow.workflow.timers import fire_due_timers

from project.audit.models import AuditEvent
from project.notifications.models import Notification
from project.reference.models import NonWorkingDay
from workflows.aspirations import deadlines, services
from workflows.aspirations.flows import AspirationFlow
from workflows.aspirations.models import Aspiration, CategoryDeadline

from .support import dispose, receive, task_of, verify

pytestmark = pytest.mark.django_db

TUESDAY_22_DEC_2026 = datetime.date(2026, 12, 22)


def _at(day, hour=10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def test_verification_deadline_skips_weekend_cuti_bersama_and_christmas(world):
    aspiration = receive(world, received_at=_at(TUESDAY_22_DEC_2026))
    # Wed 23 (1) · Thu 24 cuti bersama Natal · Fri 25 Natal · Sat, Sun · Mon 28 (2) · Tue 29 (3)
    assert aspiration.verify_due == datetime.date(2026, 12, 29)


def test_a_day_the_secretariat_adds_is_not_a_working_day(world):
    NonWorkingDay.objects.create(date=datetime.date(2026, 12, 28), name="HUT Kota Balikpapan (contoh)")
    aspiration = receive(world, received_at=_at(TUESDAY_22_DEC_2026))
    assert aspiration.verify_due == datetime.date(2026, 12, 30)


def test_follow_up_deadline_skips_independence_day(world):
    aspiration = Aspiration(category=Aspiration.Category.COMPLAINT)
    # Fri 14 (1) · Sat, Sun · Mon 17 Agustus · Tue 18 (2) … Fri 21 (5)
    assert deadlines.follow_up_due(aspiration, on=datetime.date(2026, 8, 13)) == datetime.date(2026, 8, 21)


def test_deadlines_are_configured_per_category(world):
    CategoryDeadline.objects.create(category=Aspiration.Category.INFORMATION, verify_days=1, follow_up_days=10)
    aspiration = receive(world, category=Aspiration.Category.INFORMATION, received_at=_at(datetime.date(2026, 11, 27)))
    assert aspiration.verify_due == datetime.date(2026, 11, 30), "Friday + 1 working day = Monday"


def test_late_verification_escalates_to_the_desk_head_then_the_secretary(world):
    aspiration = receive(world, received_at=timezone.now() - datetime.timedelta(days=21))
    assert deadlines.is_late(aspiration.verify_due)
    fire_due_timers()
    escalations = AuditEvent.objects.for_object(aspiration).filter(action="aspiration.escalated")
    assert sorted((e.detail["level"], e.detail["to"]) for e in escalations) == [(1, "kabag.umum"), (2, "sekwan")]
    assert Notification.objects.filter(recipient=world.desk_head, kind=services.LATE_NOTICE).count() == 1
    assert Notification.objects.filter(recipient=world.sekwan, kind=services.LATE_NOTICE).count() == 1
    assert task_of(aspiration, AspirationFlow.verify).status == "NEW", "escalation never takes the step away"
    assert aspiration in services.late_aspirations(Aspiration.objects.all())
    fire_due_timers()
    assert escalations.count() == 2, "each level once"


def test_an_aspiration_within_its_deadline_is_not_escalated(world):
    aspiration = receive(world)
    fire_due_timers()
    assert not AuditEvent.objects.for_object(aspiration).filter(action="aspiration.escalated").exists()
    assert aspiration not in services.late_aspirations(Aspiration.objects.all())


def test_late_follow_up_escalates_to_the_commission_head(world):
    aspiration = receive(world, received_at=timezone.now() - datetime.timedelta(days=30))
    verify(world, aspiration)
    Aspiration.objects.filter(pk=aspiration.pk).update(received_at=timezone.now())  # verification itself is done
    dispose(world, aspiration, unit=world.org.komisi1)
    Aspiration.objects.filter(pk=aspiration.pk).update(follow_up_due=timezone.localdate() - datetime.timedelta(days=20))
    # the timers were armed with the deadline the disposition set; re-arm them as if twenty days had passed
    task = task_of(aspiration, AspirationFlow.follow_up)
    past = timezone.now() - datetime.timedelta(days=1)
    type(task).objects.filter(previous=task, flow_task_type="TIMER").update(scheduled=past)
    fire_due_timers()
    levels = {e.detail["level"]: e.detail["to"] for e in AuditEvent.objects.for_object(aspiration).filter(
        action="aspiration.escalated", detail__step="follow_up")}
    assert levels == {1: "komisi1", 2: "sekwan"}


def test_verifying_in_time_cancels_the_timers(world):
    aspiration = receive(world)
    verify(world, aspiration)
    timers = aspiration.process.task_set.filter(flow_task_type="TIMER", previous__flow_task=AspirationFlow.verify)
    assert timers.exists() and all(timer.status == "CANCELED" for timer in timers)
