"""Acting officials: tasks of a position follow whoever acts for it that day."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from project.audit.models import AuditEvent
from project.org.models import Delegation
from project.org.services import create_delegation, reroute_position_tasks, revoke_delegation
from tests.support import PASSWORD
from workflows import inbox
from workflows.letters.flows import LetterFlow

HOUR = datetime.timedelta(hours=1)


def dispose_task(letter):
    return inbox.open_task(letter, LetterFlow.dispose)


def deputy_acts_for_chair_now(org):
    now = timezone.now()
    create_delegation(position=org.chair_position, delegate=org.deputy, starts_at=now - HOUR, ends_at=now + HOUR)
    reroute_position_tasks()  # on_commit does not run inside the test transaction


def test_delegation_routes_open_and_new_dispose_tasks_to_the_deputy_and_back(org, register):
    before = register()
    assert dispose_task(before).owner == org.chair
    now = timezone.now()
    delegation = create_delegation(
        position=org.chair_position, delegate=org.deputy, starts_at=now - HOUR, ends_at=now + 48 * HOUR,
        reason="Dinas luar", created_by=org.chair,
    )
    reroute_position_tasks()  # on_commit does not run inside the test transaction
    assert dispose_task(before).owner == org.deputy, "open task moved"
    during = register()
    assert dispose_task(during).owner == org.deputy, "new task goes to the deputy"

    revoke_delegation(delegation, by=org.chair)
    reroute_position_tasks()
    assert dispose_task(before).owner == org.chair
    assert dispose_task(during).owner == org.chair


def test_delegation_that_ends_on_its_own_routes_back_on_the_timer_run(org, register):
    letter = register()
    now = timezone.now()
    create_delegation(position=org.chair_position, delegate=org.deputy, starts_at=now - HOUR, ends_at=now + HOUR)
    assert reroute_position_tasks(at=now) == 1
    assert dispose_task(letter).owner == org.deputy
    assert reroute_position_tasks(at=now + 2 * HOUR) == 1, "the period is over"
    assert dispose_task(letter).owner == org.chair


def test_future_delegation_starts_routing_only_when_it_begins(org, register):
    letter = register()
    now = timezone.now()
    create_delegation(position=org.chair_position, delegate=org.deputy, starts_at=now + HOUR, ends_at=now + 5 * HOUR)
    assert reroute_position_tasks(at=now) == 0
    assert dispose_task(letter).owner == org.chair
    reroute_position_tasks(at=now + 2 * HOUR)
    assert dispose_task(letter).owner == org.deputy


def test_acting_deputy_disposes_and_the_trail_names_both(org, register, dispose):
    letter = register()
    deputy_acts_for_chair_now(org)
    disposition = dispose(letter, [org.komisi1], user=org.deputy)
    assert disposition.given_by == org.deputy and disposition.acting_for == org.chair
    event = AuditEvent.objects.for_object(letter).get(action="letter.disposed")
    assert (event.user, event.acting_for) == (org.deputy, org.chair)
    rerouted = AuditEvent.objects.for_object(letter).get(action="task.rerouted")
    assert rerouted.detail["from"] == "chair" and rerouted.detail["to"] == "deputy"


def test_acting_deputy_uses_the_dispose_page_and_sees_for_whom(org, register):
    letter = register()
    deputy_acts_for_chair_now(org)
    client = Client()
    client.login(username="deputy", password=PASSWORD)
    page = client.get(reverse("tasks:task", args=[dispose_task(letter).pk]))
    assert page.status_code == 200
    assert "atas nama Ketua" in page.content.decode()


def test_chair_loses_the_task_page_while_delegated(org, register):
    letter = register()
    deputy_acts_for_chair_now(org)
    client = Client()
    client.login(username="chair", password=PASSWORD)
    assert client.get(reverse("tasks:task", args=[dispose_task(letter).pk])).status_code == 404


def test_delegation_must_have_a_positive_period_and_another_person(org):
    now = timezone.now()
    with pytest.raises(ValidationError):
        create_delegation(position=org.chair_position, delegate=org.deputy, starts_at=now, ends_at=now - HOUR)
    with pytest.raises(ValidationError):
        create_delegation(position=org.chair_position, delegate=org.chair, starts_at=now, ends_at=now + HOUR)
    assert not Delegation.objects.exists()


def test_only_the_holder_may_delegate_a_position(org):
    client = Client()
    client.login(username="komisi1", password=PASSWORD)
    now = timezone.localtime()
    response = client.post(
        reverse("delegations"),
        {
            "position": org.chair_position.pk, "delegate": org.deputy.pk,
            "starts_at": now.strftime("%Y-%m-%dT%H:%M"), "ends_at": (now + HOUR).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 200 and "position" in response.context["form"].errors
    assert not Delegation.objects.exists()
    client.login(username="chair", password=PASSWORD)
    response = client.post(
        reverse("delegations"),
        {
            "position": org.chair_position.pk, "delegate": org.deputy.pk,
            "starts_at": now.strftime("%Y-%m-%dT%H:%M"), "ends_at": (now + HOUR).strftime("%Y-%m-%dT%H:%M"),
            "reason": "Kunjungan kerja",
        },
    )
    assert response.status_code == 302
    assert Delegation.objects.get().delegate == org.deputy
