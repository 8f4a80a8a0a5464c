"""Faults on the production topology, each ending with nothing lost and nothing done twice.

Every test puts back what it broke (in a ``finally``), so the topology is whole
for the tests after it. The checks read the topology's own PostgreSQL, Redis
and Elasticsearch directly: what users would see, not what SIAP reports.
"""

import concurrent.futures
import datetime
import json
import subprocess
import tempfile
import threading
import time
import uuid

import psycopg
import pytest
import redis
import requests

from tests.prod.client import SiapClient, UnexpectedResponse
from tests.prod.conftest import FAST_RECOVERY
from tests.prod.topology import PYTHON, ROOT, port_open

PASSWORD = "siap-demo"
STAMP_NOTE = "Stempel nomor agenda"
UNAVAILABLE_TEXT = "SIAP sedang tidak tersedia"


def wait_for(condition, timeout, what, every=1.0):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"after {timeout} s still waiting for {what}")
        time.sleep(every)


@pytest.fixture(scope="module")
def topology(production):
    """The session's topology, whose beat and recovery run in seconds: the waits below are sized for that."""
    slow = {key: production.env.get(key) for key, value in FAST_RECOVERY.items() if production.env.get(key) != value}
    assert not slow, f"the topology runs without FAST_RECOVERY: {slow}"
    return production


def shell(t, code):
    """Run ``code`` in ``manage.py shell`` with the topology's settings; its last printed line, as JSON."""
    result = t.manage("shell", "-c", code)
    return json.loads(result.stdout.strip().splitlines()[-1])


def sql(t, query, *params):
    with psycopg.connect(t.env["DATABASE_URL"], connect_timeout=5) as connection:
        return connection.execute(query, params).fetchall()


def broker(t):
    return redis.Redis.from_url(t.env["BROKER_URL"], socket_timeout=5)


REGISTER_LETTERS = """
import datetime, json
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from documents.models import ClassificationCode
from fixtures.letters import letter_pdf
from workflows.letters.services import register_letter
registrar = get_user_model().objects.get(username="registrar")
code = ClassificationCode.objects.get(code="000")
today = timezone.localdate()
pks = []
for index in range({count}):
    number, subject = "{tag}/%d" % index, "Uji gangguan {tag} surat %d" % index
    pdf = letter_pdf("Dinas Uji Gangguan", number, today, subject)
    with transaction.atomic():
        letter = register_letter(
            data=dict(sender="Dinas Uji Gangguan", sender_number=number, letter_date=today - datetime.timedelta(days=1),
                      received_date=today, subject=subject, nature="biasa", classification=code),
            scan=SimpleUploadedFile("surat.pdf", pdf, content_type="application/pdf"), user=registrar, page_count=1)
    pks.append(letter.pk)
print(json.dumps(pks))
"""

STAMPS_OF_LETTERS = """
import json
from project.audit.models import AuditEvent
from workflows.letters.models import Letter
from workflows.letters.services import STAMP_NOTE
found = {{}}
for letter in Letter.objects.filter(pk__in={pks}):
    versions = letter.scan.versions.all()
    found[letter.pk] = {{
        "versions": versions.count(),
        "stamped": versions.filter(note=STAMP_NOTE).count(),
        "stamped_events": AuditEvent.objects.for_object(letter).filter(action="scan.stamped").count(),
        "text": versions.get(number=1).text_status,
        "pages": [list(version.pages.values_list("number", flat=True)) for version in versions],
    }}
print(json.dumps(found))
"""


def register_letters(t, count):
    return shell(t, REGISTER_LETTERS.format(count=count, tag=uuid.uuid4().hex[:8]))


def stamped_count(t, pks):
    """How many of these letters have a stamped scan, read from PostgreSQL (cheap enough to poll)."""
    return sql(t, """
        select count(distinct d.owner_id) from documents_documentversion v
        join documents_document d on d.id = v.document_id
        join django_content_type c on c.id = d.owner_type_id
        where c.app_label = 'letters' and c.model = 'letter' and d.role = 'scan' and v.note = %s
          and d.owner_id = any(%s)""", STAMP_NOTE, [str(pk) for pk in pks])[0][0]


def assert_each_stamped_once(t, pks):
    wait_for(lambda: stamped_count(t, pks) == len(pks), 120, f"{len(pks)} stamped scans", every=2)
    found = shell(t, STAMPS_OF_LETTERS.format(pks=list(pks)))
    assert sorted(int(pk) for pk in found) == sorted(pks)
    for pk, letter in found.items():
        assert letter["stamped"] == 1 and letter["versions"] == 2, f"letter {pk}: {letter}"
        assert letter["stamped_events"] == 1, f"letter {pk} recorded its stamp {letter['stamped_events']} times"
        assert letter["text"] == "done", f"letter {pk}: {letter}"
        for pages in letter["pages"]:
            assert pages == sorted(set(pages)) and pages, f"letter {pk}: page texts {letter['pages']}"


CORRECT_TRANSCRIPT = """
import datetime, json, sys
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from fixtures.meetings import RECORDING
from project.org.models import Unit
from workflows.minutes import search_items, services
from workflows.minutes.models import TranscriptLine
users = {{user.username: user for user in get_user_model().objects.filter(username__in=["registrar", "komisi2"])}}
notulis = users["registrar"]
meeting = services.schedule_meeting(
    data=dict(title="Rapat uji gangguan {marker}", kind="kerja", is_closed=True, unit=Unit.objects.get(code="komisi-2"),
              date=timezone.localdate(), start_time=datetime.time(9, 0), place="Ruang Rapat Komisi II",
              chair=users["komisi2"], secretary=notulis),
    agenda=["Pembahasan"], invitees=[], guests=[], user=notulis)
recording = services.add_recording(
    meeting, file=SimpleUploadedFile(RECORDING.name, RECORDING.read_bytes(), content_type="audio/ogg"),
    media_type="audio/ogg", user=notulis)
with transaction.atomic():  # the lines as the transcription stores them (services.append_lines)
    TranscriptLine.objects.bulk_create(
        TranscriptLine(meeting=meeting, recording=recording, position=index, start=index, end=index + 1,
                       machine_text="drainase tersumbat", text="drainase tersumbat") for index in range({count}))
    search_items.schedule_lines(recording.lines.all())
lines = list(recording.lines.select_related("meeting").order_by("position"))
for written, line in enumerate(lines, start=1):
    services.save_line(line, text="Drainase tersumbat di RT %d, koreksi {marker}." % written,
                       speaker=None, agenda_item=None, user=notulis)
    if written in {pauses}:
        print("written", written, flush=True)
        sys.stdin.readline()
print(json.dumps([line.pk for line in lines]), flush=True)
"""


def test_elasticsearch_stopped_during_1000_writes_loses_no_item(topology):
    """The notulis corrects 1,000 transcript lines, each its own transaction and outbox row; Elasticsearch stops
    while the corrections go on. Every correction must be found once it is back, none more than once.

    The writer waits at 300 until the stop has begun (the corrections from 301 on race the shutdown) and at 650
    until Elasticsearch is down (the rest are written with no engine at all)."""
    t = topology
    marker = f"gangguanes{uuid.uuid4().hex[:8]}"
    errors = tempfile.TemporaryFile(mode="w+")  # a file, not a pipe: a full pipe would stop the writer
    writer = subprocess.Popen(
        [str(PYTHON), "manage.py", "shell", "-c", CORRECT_TRANSCRIPT.format(marker=marker, count=1000, pauses={300, 650})],
        cwd=ROOT, env=t.env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors, text=True,
    )
    stopping = concurrent.futures.ThreadPoolExecutor(max_workers=1)
    try:
        printed = []
        for line in writer.stdout:
            printed.append(line.strip())
            if line.startswith("written 300"):
                stopped = stopping.submit(t.stop_service, "elasticsearch")
            elif line.startswith("written 650"):
                stopped.result(timeout=90)
                assert not port_open(t.ports["elasticsearch"]), "Elasticsearch is down for the last 350 corrections"
            else:
                continue
            writer.stdin.write("\n")
            writer.stdin.flush()
        errors.seek(0)
        assert writer.wait(300) == 0, errors.read()[-3000:]
        assert [line for line in printed if line.startswith("written")] == ["written 300", "written 650"], printed
        pks = json.loads(printed[-1])
        assert len(set(pks)) == 1000
    finally:
        if writer.poll() is None:
            writer.kill()
        stopping.shutdown()
        errors.close()
        t.start_service("elasticsearch")

    search_url = f"{t.env['SEARCH_URL']}/{t.env.get('SEARCH_INDEX', 'siap-items')}"
    query = {"simple_query_string": {"query": marker, "lenient": True}}
    expected = {f"transcript:{pk}" for pk in pks}

    def found_ids():
        requests.post(f"{search_url}/_refresh", timeout=10)
        answer = requests.post(f"{search_url}/_search", timeout=30, json={
            "query": query, "size": 5000, "_source": False,
        }).json()
        return {hit["_id"] for hit in answer.get("hits", {}).get("hits", [])}

    wait_for(lambda: found_ids() == expected, 180, "all 1,000 corrections searchable", every=1)
    indexed = requests.post(f"{search_url}/_count", timeout=30, json={"query": query}).json()["count"]
    stored = sql(t, "select count(*) from minutes_transcriptline where text like %s", f"%{marker}%")[0][0]
    assert indexed == stored == 1000
    # the run that sent the last batch marks it applied when its transaction commits, just after Elasticsearch has it
    wait_for(lambda: not sql(t, "select count(*) from search_indexoperation where applied_at is null")[0][0],
             30, "the outbox drained", every=0.5)


def stamping_in_progress(t):
    """Backends holding a scan's row lock: a stamping job (``prepare_scan``) is between its start and its commit."""
    return sql(t, """select count(distinct l.pid) from pg_locks l join pg_class c on c.oid = l.relation
                     where c.relname = 'documents_document' and l.mode = 'RowShareLock' and l.granted""")[0][0]


def test_worker_killed_mid_job_completes_each_job_exactly_once(topology):
    t = topology
    pks = register_letters(t, 4)

    # one letter done and another being stamped, two to come: the kill lands in the middle of a job
    wait_for(lambda: stamped_count(t, pks) and stamping_in_progress(t), 120, "a stamping job running", every=0.1)
    try:
        t.kill("worker")
        stamped_at_kill = stamped_count(t, pks)
    finally:
        t.start_service("worker")
    assert stamped_at_kill < len(pks), "the kill came before every letter was stamped"
    assert_each_stamped_once(t, pks)


def test_postgresql_restarted_under_load_shows_a_clear_page_and_writes_no_half_letter(topology):
    t = topology
    code = sql(t, "select id from documents_classificationcode where code = '000'")[0][0]
    stop = threading.Event()
    outcomes = []  # (kind, status, text excerpt, when the request was sent), in the order the answers came
    tag = uuid.uuid4().hex[:8]
    before = sql(t, "select coalesce(max(id), 0) from letters_letter")[0][0]

    def writer(number):
        from fixtures.letters import letter_pdf  # the same real letter PDF the demo uses

        client = SiapClient(t.base_url)
        client.login("registrar", PASSWORD)
        index = 0
        while not stop.is_set():
            index += 1
            subject = f"Uji basis data {tag} {number}-{index}"
            today = datetime.date.today()
            pdf = letter_pdf("Dinas Uji Gangguan", f"{tag}/{number}/{index}", today, subject)
            sent = time.monotonic()
            try:
                response = client.post_form("/surat/daftar/", {
                    "sender": "Dinas Uji Gangguan", "sender_number": f"{tag}/{number}/{index}",
                    "letter_date": today.isoformat(), "received_date": today.isoformat(), "subject": subject,
                    "nature": "biasa", "classification": str(code),
                }, files={"scan": ("surat.pdf", pdf, "application/pdf")}, expect=range(100, 600))
            except UnexpectedResponse as refused:  # the form's page itself was not served
                response = refused.response
            except requests.RequestException as problem:
                outcomes.append(("write", 0, str(problem)[:200], sent))
                continue
            outcomes.append(("write", response.status_code, response.text[:3000], sent))

    def reader():
        client = SiapClient(t.base_url)
        client.login("registrar", PASSWORD)
        while not stop.is_set():
            for page in ("/", "/surat/"):
                sent = time.monotonic()
                try:
                    response = client.get(page, expect=range(100, 600))
                except requests.RequestException as problem:
                    outcomes.append(("read", 0, str(problem)[:200], sent))
                    continue
                outcomes.append(("read", response.status_code, response.text[:3000], sent))

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(2)] + [threading.Thread(target=reader)]
    for thread in threads:
        thread.start()
    try:
        wait_for(lambda: sum(1 for o in outcomes if o[0] == "write" and o[1] == 200) >= 2, 60, "letters registered")
        t.restart_service("postgresql")
        restarted, started_again = len(outcomes), time.monotonic()
        wait_for(lambda: sum(1 for o in outcomes[restarted:] if o[1] == 200) >= 6, 60, "pages served again")
    finally:
        stop.set()
        for thread in threads:
            thread.join(60)
        t.start_service("postgresql")

    failures = [o for o in outcomes if o[1] != 200]
    assert failures, "some requests fell into the restart"
    for kind, status, text, _sent in failures:
        assert status == 503, f"{kind}: {status} {text[:500]}"
        assert UNAVAILABLE_TEXT in text and "Traceback" not in text, text[:500]
    # Once a request sent after the restart is served, every later one is. (Answers come in the order requests
    # end: a registration sent during the restart may end with its 503 after quicker pages were served.)
    back = min(sent for _kind, status, _text, sent in outcomes[restarted:] if status == 200 and sent > started_again)
    after = [(kind, status) for kind, status, _text, sent in outcomes if sent > back]
    assert after and all(status == 200 for _kind, status in after), after

    # no half-written letter: each has its scan, its registration in the trail and its open task
    letters = sql(t, "select id, agenda_year, agenda_number from letters_letter where id > %s and subject like %s",
                  before, f"%{tag}%")
    successes = sum(1 for o in outcomes if o[0] == "write" and o[1] == 200)
    writes = sum(1 for o in outcomes if o[0] == "write")
    assert successes <= len(letters) <= writes
    for pk, _year, _number in letters:
        scans = sql(t, """select count(*) from documents_document d join documents_documentversion v
                          on v.document_id = d.id join django_content_type c on c.id = d.owner_type_id
                          where c.app_label = 'letters' and c.model = 'letter' and d.owner_id = %s
                          and d.role = 'scan' and v.number = 1""", str(pk))[0][0]
        events = sql(t, """select count(*) from audit_auditevent e join django_content_type c on c.id = e.content_type_id
                           where c.app_label = 'letters' and c.model = 'letter' and e.object_id = %s
                           and e.action = 'letter.registered'""", str(pk))[0][0]
        tasks = sql(t, """select count(*) from letters_letter l join viewflow_task k on k.process_id = l.process_id
                          where l.id = %s""", pk)[0][0]
        assert (scans, events) == (1, 1) and tasks >= 1, f"letter {pk}: scan {scans}, trail {events}, tasks {tasks}"
    # agenda numbers: every year's register runs 1..n, no gap and no number twice
    for year, numbers in sql(t, "select agenda_year, array_agg(agenda_number order by agenda_number) "
                                "from letters_letter group by agenda_year"):
        assert numbers == list(range(1, len(numbers) + 1)), f"{year}: {numbers}"
    assert_each_stamped_once(t, [pk for pk, _year, _number in letters])


def queued_jobs(t):
    """The jobs waiting in Redis's ``celery`` queue, once Redis has read its file back after a start."""
    def answer():
        try:
            return (broker(t).llen("celery"),)
        except redis.BusyLoadingError:
            return None
    return wait_for(answer, 60, "Redis loading its data")[0]


def test_redis_restarted_with_jobs_queued_keeps_them(topology):
    """Production Redis appends every write to its file: a restart keeps the queued jobs, the worker runs them."""
    t = topology
    t.stop_service("beat")  # what runs must come from the queue Redis kept, not from the beat's recovery
    t.stop_service("worker")
    try:
        pks = register_letters(t, 4)
        assert queued_jobs(t) >= len(pks)
        t.restart_service("redis")
        assert queued_jobs(t) >= len(pks), "the queued jobs survived the restart"
        t.start_service("worker")
        assert_each_stamped_once(t, pks)
    finally:
        t.start_service("redis")
        t.start_service("worker")
        t.start_service("beat")


def test_redis_without_its_data_the_beat_recovers_the_jobs(topology):
    """A Redis that lost everything (no persistence, a new host): the beat queues again what the database says."""
    t = topology
    t.stop_service("worker")
    try:
        pks = register_letters(t, 4)
        broker(t).flushall()
        assert queued_jobs(t) == 0
    finally:
        # the workers declare their queues again (FLUSHALL took the routing tables with the jobs)
        t.restart_service("asr-worker")
        t.start_service("worker")
    assert_each_stamped_once(t, pks)
