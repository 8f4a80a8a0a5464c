"""The shared task lists: what a row says, the filters dashboards link to, the menu, and giving a task back."""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.module_loading import import_string
from viewflow.workflow.status import STATUS

from fixtures import organisation
from project.audit.models import AuditEvent
from tests.memos.services import create_memo
from tests.support import PASSWORD, restore_migration_data
from workflows import inbox, registry
from workflows.letters.flows import LetterFlow


def client_for(user):
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def listed(response):
    """How many rows the list page shows in all (the page's paginator counts them)."""
    assert response.status_code == 200, response.status_code
    return response.context["page"].paginator.count


# --- what a row says ------------------------------------------------------------------------------------------------


def test_a_row_says_what_the_step_is_about_how_urgent_and_from_whom(org, register):
    register(subject="Undangan rapat kerja", nature="sangat_segera", sender="Dinas PU")
    page = client_for(org.chair).get(reverse("tasks:inbox")).content.decode()
    assert "Disposisi pimpinan" in page
    assert "Undangan rapat kerja" in page and "Dinas PU" in page
    assert 'class="nature nature-sangat_segera">Sangat segera<' in page
    assert re.search(r'class="task-age">(sekarang|\d+\W+detik yang lalu)<', page), "the row tells its age"


def test_a_row_about_a_subject_the_user_may_not_see_says_nothing_of_it(org, register):
    letter = register(subject="Perkara rahasia", nature="rahasia")
    task = letter.process.task_set.get(flow_task=LetterFlow.dispose)
    [row] = inbox.rows([task], org.member)  # someone whom the letters' rule does not let see it
    assert row.subject is None and row.nature is None and row.counterpart == ""
    assert "rahasia" not in row.summary.lower()
    [row] = inbox.rows([task], org.chair)
    assert row.summary.endswith("Perkara rahasia") and row.nature.value == "rahasia"


def test_filters_and_sorting_follow_the_get_parameters(org, register):
    urgent = register(subject="Surat segera", nature="segera")
    register(subject="Surat biasa", nature="biasa")
    client = client_for(org.chair)

    assert listed(client.get(reverse("tasks:inbox"))) == 2
    only_urgent = client.get(reverse("tasks:inbox"), {"sifat": "segera"})
    assert listed(only_urgent) == 1 and "Surat segera" in only_urgent.content.decode()
    assert "Hapus semua filter" in only_urgent.content.decode()
    assert listed(client.get(reverse("tasks:inbox"), {"proses": "letters", "langkah": "dispose"})) == 2
    assert listed(client.get(reverse("tasks:inbox"), {"proses": "minutes"})) == 0
    assert listed(client.get(reverse("tasks:inbox"), {"langkah": "follow_up"})) == 0
    assert listed(client.get(reverse("tasks:inbox"), {"terlambat": "1"})) == 0, "the chair's step has no deadline"

    oldest_first = client.get(reverse("tasks:inbox"), {"urut": "umur"}).context["rows"]
    assert oldest_first[0].subject == urgent
    newest_first = client.get(reverse("tasks:inbox")).context["rows"]
    assert newest_first[-1].subject == urgent


def test_deadline_sort_puts_the_nearest_first_and_tasks_without_one_last(org, register, dispose):
    today = datetime.date.today()
    later, sooner, untimed = register(), register(), register()
    dispose(later, [org.komisi1], deadline=today + datetime.timedelta(days=9))
    dispose(sooner, [org.komisi1], deadline=today + datetime.timedelta(days=2))
    dispose(untimed, [org.komisi1], instruction="diketahui")
    for letter in (untimed, sooner, later):
        inbox.claim(inbox.open_task(letter, LetterFlow.follow_up), user=org.k1)
    ordered = inbox.rows(inbox.Filters(sort="batas").apply(inbox.inbox_tasks(org.k1)), org.k1)
    assert [row.subject for row in ordered] == [sooner, later, untimed]
    assert [row.deadline for row in ordered] == [today + datetime.timedelta(days=2), today + datetime.timedelta(days=9), None]


def test_an_overdue_follow_up_is_marked_and_filtered(org, register, dispose):
    letter = register()
    dispose(letter, units=[org.komisi1], deadline=datetime.date.today() - datetime.timedelta(days=2))
    task = letter.process.task_set.get(flow_task=LetterFlow.follow_up)
    inbox.claim(task, user=org.k1)
    client = client_for(org.k1)
    page = client.get(reverse("tasks:inbox"), {"terlambat": "1"})
    assert listed(page) == 1 and "lewat batas waktu" in page.content.decode()


def test_the_inbox_costs_the_same_queries_for_one_task_as_for_three(org, register):
    register()
    client = client_for(org.chair)
    client.get(reverse("tasks:inbox"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("tasks:inbox"))
    register(), register()
    with CaptureQueriesContext(connection) as three:
        client.get(reverse("tasks:inbox"))
    assert len(three) == len(one), [query["sql"] for query in three.captured_queries]


# --- the dashboard's own counters -----------------------------------------------------------------------------------


def test_the_dashboards_task_counters_open_exactly_what_they_count(org, register, dispose):
    for _ in range(2):
        letter = register()
        dispose(letter, units=[org.komisi1], deadline=datetime.date.today() - datetime.timedelta(days=1))
    inbox.claim(letter.process.task_set.get(flow_task=LetterFlow.follow_up), user=org.k1)
    client = client_for(org.k1)
    counters = {counter.label: counter for counter in client.get(reverse("dashboard")).context["counters"]}
    assert counters["Tugas di kotak masuk"].value == 1
    assert counters["Lewat batas waktu"].url == reverse("tasks:inbox") + "?terlambat=1"
    assert counters["Tugas di antrean unit"].value == 1
    for label in ("Tugas di kotak masuk", "Lewat batas waktu", "Tugas di antrean unit"):
        assert listed(client.get(counters[label].url)) == counters[label].value, label
    chair_counters = [counter.label for counter in client_for(org.chair).get(reverse("dashboard")).context["counters"]]
    assert "Lewat batas waktu" not in chair_counters, "shown only to people with overdue tasks"


@pytest.mark.django_db
def test_every_counter_of_the_demo_opens_a_list_of_exactly_that_many():
    """Aspirations, pokir, reses, outgoing and the task lists: each counter's number is the linked list's rows."""
    from django.contrib.auth import get_user_model

    restore_migration_data()  # an earlier browser test's flush took the demo letters' classification codes
    organisation.build()
    for name in ("letters", "aspirations", "pokir", "reses", "outgoing"):  # the meetings' demo (audio) counts nothing here
        import_string(registry.get(name).demo)(count=3)
    checked, kinds = 0, set()
    for user in get_user_model().objects.filter(is_superuser=False).order_by("username"):
        counters = [counter for name in ("aspirations", "pokir", "reses", "outgoing")
                    for counter in registry.get(name).counters(user)]
        kind = tuple(counter.label for counter in counters)
        if kind in kinds and user.username not in ("chair", "komisi1", "registrar"):
            continue  # one person of each kind (the 45 members have the same counters)
        kinds.add(kind)
        client = Client()
        client.force_login(user)
        if user.username in ("chair", "komisi1", "registrar"):  # the people with tasks in the demo
            counters += [counter for counter in client.get(reverse("dashboard")).context["counters"]
                         if counter.label in TASK_COUNTERS]
        for counter in counters:
            assert listed(client.get(counter.url)) == counter.value, (user.username, counter.label, counter.url)
            checked += 1
    assert checked > 10, checked


TASK_COUNTERS = ("Tugas di kotak masuk", "Lewat batas waktu", "Tugas di antrean unit")


# --- the menu -------------------------------------------------------------------------------------------------------


def test_the_menu_shows_only_what_the_user_can_use(org):
    auditor_page = client_for(org.auditor).get(reverse("dashboard")).content.decode()
    assert reverse("delegations") not in auditor_page, "an auditor delegates nothing"
    assert reverse("tasks:queue") not in auditor_page, "an auditor belongs to no unit"
    member_page = client_for(org.k1).get(reverse("dashboard")).content.decode()
    assert reverse("delegations") in member_page and reverse("tasks:queue") in member_page
    assert 'id="menu-toggle"' in member_page and "siap/siap.js" in member_page


def test_the_menu_shows_delegations_to_whoever_acts_for_someone(org):
    from project.org.services import create_delegation

    from django.utils import timezone

    create_delegation(position=org.chair_position, delegate=org.auditor, starts_at=timezone.now(),
                      ends_at=timezone.now() + datetime.timedelta(days=3), created_by=org.chair)
    assert reverse("delegations") in client_for(org.auditor).get(reverse("dashboard")).content.decode()


# --- giving a claimed task back -------------------------------------------------------------------------------------


@pytest.fixture
def memo_task(org):
    memo = create_memo(title="Memo anggaran", priority="tinggi", unit=org.komisi1, user=org.registrar)
    return memo, memo.process.task_set.get(flow_task_type="HUMAN")


def test_the_owner_gives_a_task_back_and_another_member_claims_it(org, memo_task):
    memo, task = memo_task
    inbox.claim(task, user=org.k1)
    answer = client_for(org.k1).post(reverse("tasks:release", args=[task.pk]))
    assert answer.status_code == 302 and answer.url == reverse("tasks:queue")
    task.refresh_from_db()
    assert task.status == STATUS.NEW and task.owner_id is None
    assert AuditEvent.objects.for_object(memo).filter(action="task.released", user=org.k1).exists()
    staff = client_for(org.k1_staff)
    assert listed(staff.get(reverse("tasks:queue"))) == 1
    staff.post(reverse("tasks:claim", args=[task.pk]))
    task.refresh_from_db()
    assert task.owner == org.k1_staff and task.status == STATUS.ASSIGNED


def test_the_release_hook_runs_instead_of_the_trail_event(org, memo_task, monkeypatch):
    memo, task = memo_task
    inbox.claim(task, user=org.k1)
    calls = []
    monkeypatch.setattr(type(task.flow_task), "on_release", property(lambda node: lambda t, u: calls.append((t.pk, u))))
    inbox.release(task, user=org.k1)
    assert calls == [(task.pk, org.k1)]
    assert not AuditEvent.objects.for_object(memo).filter(action="task.released").exists()


def test_only_the_owner_releases_and_only_once(org, memo_task):
    memo, task = memo_task
    inbox.claim(task, user=org.k1)
    refused = client_for(org.k1_staff).post(reverse("tasks:release", args=[task.pk]))
    assert refused.status_code == 404, "someone else's task is not theirs to give back"
    with pytest.raises(inbox.PermissionDenied):
        inbox.release(task, user=org.k1_staff)

    client = client_for(org.k1)
    client.post(reverse("tasks:release", args=[task.pk]))
    again = client.post(reverse("tasks:release", args=[task.pk]), follow=True)
    assert "sudah tidak berada di kotak masuk" in again.content.decode()
    task.refresh_from_db()
    assert task.status == STATUS.NEW and task.owner_id is None


def test_a_positions_task_cannot_be_released(org, register):
    letter = register()
    task = letter.process.task_set.get(flow_task=LetterFlow.dispose)
    assert task.owner == org.chair
    answer = client_for(org.chair).post(reverse("tasks:release", args=[task.pk]), follow=True)
    assert "bukan dari antrean unit" in answer.content.decode()
    task.refresh_from_db()
    assert task.owner == org.chair and task.status == STATUS.ASSIGNED


def test_the_release_button_is_a_shared_include(org, memo_task, rf):
    from django.template.loader import render_to_string

    _memo, task = memo_task
    inbox.claim(task, user=org.k1)
    task.refresh_from_db()
    request = rf.get("/")
    request.user = org.k1
    html = render_to_string("workflows/_release_form.html", {"task": task}, request=request)
    assert reverse("tasks:release", args=[task.pk]) in html and "Kembalikan ke antrean" in html
    request.user = org.k1_staff
    assert "form" not in render_to_string("workflows/_release_form.html", {"task": task}, request=request)

