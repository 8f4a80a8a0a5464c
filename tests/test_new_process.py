"""A process is one package: the test-only memo process (tests/memos) registers itself and everything works.

Nothing shared names it: its tasks reach the unit queue and inbox, claiming
runs its hook, its step runs through the shared task page, its items are
searchable on both engines with a facet of its own, the menu and dashboard
show it, and the parity test (test_visibility_parity.py) covers it.
"""

import pathlib
import re

from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from search.indexing import apply_pending
from search.port import SearchQuery
from search.registry import principals_of
from tests.memos import services
from tests.memos.flows import MemoFlow
from tests.memos.models import Memo
from tests.support import PASSWORD
from workflows import inbox, registry

ROOT = pathlib.Path(__file__).resolve().parent.parent
SHARED = ["project", "documents", "search", "asr", "workflows/views.py", "workflows/inbox.py", "workflows/registry.py",
          "workflows/pages.py", "workflows/subjects.py", "workflows/actions.py", "workflows/nodes.py", "workflows/steps.py",
          "workflows/context_processors.py", "workflows/diagram.py", "workflows/templatetags", "api"]


def client_for(user):
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_no_shared_module_names_a_process():
    named = re.compile(r"workflows\.(letters|minutes)|tests\.memos|from workflows import (letters|minutes)")
    offenders = []
    for place in SHARED:
        path = ROOT / place
        files = [path] if path.is_file() else [p for p in path.rglob("*.py") if "tests" not in p.parts and "migrations" not in p.parts]
        offenders += [str(f.relative_to(ROOT)) for f in files if named.search(f.read_text())]
    assert offenders == []


def test_the_memo_process_is_registered_with_its_pages_and_menu(org):
    process = registry.get("memos")
    assert process.flows == (MemoFlow,)
    memo = services.create_memo(title="Rapat internal", priority="tinggi", unit=org.komisi1, user=org.registrar)
    page = client_for(org.k1).get("/")
    assert 'href="/memo/"' in page.content.decode() and "Memo menunggu" in page.content.decode()
    assert client_for(org.k1).get(memo.get_absolute_url()).status_code == 200
    assert client_for(org.k2).get(memo.get_absolute_url()).status_code == 404


def test_memo_tasks_are_queued_claimed_with_the_hook_and_done_on_the_shared_page(org):
    memo = services.create_memo(title="Tinjau jadwal kunjungan", priority="rendah", unit=org.komisi1, user=org.registrar)
    task = inbox.open_task(memo, MemoFlow.review)
    assert task in inbox.queue_tasks(org.k1) and task in inbox.queue_tasks(org.k1_staff)
    assert task not in inbox.queue_tasks(org.k2)
    assert "Tinjau memo" in client_for(org.k1).get(reverse("tasks:queue")).content.decode()
    assert client_for(org.k2).get(reverse("tasks:task", args=[task.pk])).status_code == 404

    answer = client_for(org.k1).post(reverse("tasks:claim", args=[task.pk]))
    assert answer.status_code == 302
    memo.refresh_from_db()
    assert memo.status == Memo.Status.CLAIMED and memo.claimed_by == org.k1, "the node's claim hook ran"
    assert task in inbox.inbox_tasks(org.k1)
    try:
        inbox.claim(task, user=org.k1_staff)
    except PermissionDenied as refused:
        assert "sudah diambil" in str(refused)
    else:
        raise AssertionError("a claimed task was claimed twice")

    page = client_for(org.k1).get(reverse("tasks:task", args=[task.pk]))
    token = re.search(r'name="submission_token" value="([0-9a-f]{32})"', page.content.decode()).group(1)
    done = client_for(org.k1).post(reverse("tasks:task", args=[task.pk]), {"note": "Sudah.", "submission_token": token})
    assert done.status_code == 302
    memo.refresh_from_db()
    assert memo.status == Memo.Status.DONE and memo.note == "Sudah."
    assert task in inbox.archive_tasks(org.k1)


def test_memos_are_searchable_with_their_own_facet_on_both_engines(org, search_engine):
    urgent = services.create_memo(title="Kunjungan kerja mendesak", priority="tinggi", unit=org.komisi1, user=org.registrar)
    services.create_memo(title="Kunjungan kerja biasa", priority="rendah", unit=org.komisi1, user=org.registrar)
    services.create_memo(title="Kunjungan kerja Komisi II", priority="tinggi", unit=org.komisi2, user=org.registrar)
    apply_pending()

    result = search_engine.search(SearchQuery(text="kunjungan", principals=principals_of(org.k1)))
    assert result.total == 2, "Komisi II's memo stays outside Komisi I"
    assert dict(result.facets["priority"]) == {"tinggi": 1, "rendah": 1}
    only_urgent = search_engine.search(
        SearchQuery(text="kunjungan", principals=principals_of(org.k1), filters={"priority": ["tinggi"]})
    )
    assert [hit.id for hit in only_urgent.hits] == [f"memo:{urgent.pk}"]
    page = client_for(org.k1).get("/cari/", {"q": "kunjungan"}).content.decode()
    assert "Prioritas" in page, "the facet's declared title shows on the search page"


def test_a_process_adds_its_periodic_task_to_the_beat():
    from project.celery import app

    app.loader.import_default_modules()
    entry = app.conf.beat_schedule["memos-open-count"]
    assert entry["task"] == "tests.memos.tasks.count_open_memos" and entry["schedule"] == 3600
    assert "workflow-timers" in app.conf.beat_schedule, "the shared entries stay"
