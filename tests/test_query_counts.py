"""Every task page and the letter list cost the same number of queries with ten (here fifty) times the letters.

A page whose queries grow with the archive (a query per task, per letter,
per permission) is slow after ten years whatever its indexes. Here each page
is counted — menu and base template included — on a few letters moved
through the services, then again after ``fixtures.bench`` has added fifty
times as many (open branches in the unit queues, tasks in the chair's inbox,
finished ones in the archives: more than a page of each).
"""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.timers import fire_due_timers

from fixtures import bench
from workflows import inbox
from workflows.letters import services
from workflows.letters.flows import LetterFlow

DEMO_LETTERS = 6

PAGES = [
    ("chair", "dashboard", {}),
    ("chair", "tasks:inbox", {}),
    ("chair", "tasks:inbox", {"urut": "batas"}),
    ("chair", "tasks:inbox", {"sifat": "rahasia", "proses": "letters"}),
    ("chair", "tasks:archive", {}),
    ("chair", "letters:list", {}),
    ("k1", "dashboard", {}),
    ("k1", "tasks:queue", {}),
    ("k1", "tasks:inbox", {"terlambat": "1"}),
    ("k1", "tasks:inbox", {}),
    ("k1", "tasks:archive", {}),
    ("k1", "letters:list", {}),
    ("registrar", "dashboard", {}),
    ("registrar", "letters:list", {"terlambat": "1"}),
]


@pytest.fixture
def demo(org, register, dispose):
    """A few letters in every state the pages show: awaiting, in a unit's queue, claimed, overdue, closed."""
    letters = [register(nature=nature) for nature in ("biasa", "segera", "biasa", "rahasia", "biasa", "biasa")]
    assert len(letters) == DEMO_LETTERS
    dispose(letters[0], [org.komisi1, org.komisi2])
    dispose(letters[1], [org.komisi1], deadline=timezone.localdate() - datetime.timedelta(days=2))
    dispose(letters[2], [org.komisi1])
    claimed = inbox.open_task(letters[1], LetterFlow.follow_up)
    inbox.claim(claimed, user=org.k1)
    closed = inbox.claim(inbox.open_task(letters[2], LetterFlow.follow_up), user=org.k1)
    services.close_branch(closed, user=org.k1, report="Selesai dibahas.")
    fire_due_timers()  # the overdue branch is flagged, as the timers job does
    return letters


def query_counts(org):
    """``{page: queries}`` of each page, asked once before counting (what is cached per process is then warm)."""
    counts = {}
    for who, url_name, query in PAGES:
        client = Client()
        client.force_login(getattr(org, who))
        url = reverse(url_name)
        assert client.get(url, query).status_code == 200
        with CaptureQueriesContext(connection) as queries:
            client.get(url, query)
        counts[f"{who} {url_name} {query}"] = len(queries)
    return counts


def test_every_page_costs_the_same_queries_with_ten_times_the_letters(org, demo):
    small = query_counts(org)
    bench.generate(50 * DEMO_LETTERS, years=0.1)  # recent letters: most still in follow-up, pages overflow
    assert inbox.queue_tasks(org.k1).count() > 25 and inbox.inbox_tasks(org.chair).count() > 25, "more than a page"
    assert query_counts(org) == small


def test_the_bulk_letters_are_what_the_pages_show(org, demo):
    """What ``bench.generate`` writes is found by the pages' own rules: queue, inbox, deadlines, visibility."""
    states = bench.generate(60, years=0.1)
    chair_tasks = inbox.inbox_tasks(org.chair)
    assert chair_tasks.count() == states["awaiting_disposition"] + DEMO_LETTERS - 3
    queued = inbox.rows(inbox.queue_tasks(org.k1)[:5], org.k1)
    assert queued and all(row.subject is not None and row.node_name == "follow_up" for row in queued)
    assert all(row.deadline == services.task_deadline(row.task) for row in queued)
