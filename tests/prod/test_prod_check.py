"""The production topology as it will run: separate processes, wired to each other, passing the smoke journey.

The journey (tests/prod/journey.py, the same `make prod-check` runs) goes once over HTTPS through nginx;
each test below asserts one thing it must have produced, or one property of the running topology.
"""

import hashlib
import io
import json
import re
import subprocess
import urllib.request

import psutil
import pytest
from pypdf import PdfReader

from tests.audio import character_error_rate

from . import journey as steps
from .topology import (
    NGINX_TEMPLATE, PYTHON, ROOT, TopologyError, compose_services, read_env_file, render_template,
)


@pytest.fixture(scope="module")
def journey(production, tmp_path_factory):
    done = steps.Journey(production.base_url, verify=str(production.certificate),
                         workdir=tmp_path_factory.mktemp("journey"))
    steps.run(done)
    return done


def test_the_worker_stamps_the_registered_scan_as_version_2(journey):
    assert journey.versions == [1, 2]
    assert journey.downloaded[1] == journey.scan, "version 1 is not the uploaded file"
    stamped = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(journey.downloaded[2])).pages)
    assert journey.agenda_label.split("/")[0].strip() in stamped, stamped[:500]
    assert journey.word in stamped
    # what came through nginx is what SIAP stored: each version's SHA-256 as the document's page lists it
    for content in journey.downloaded.values():
        assert hashlib.sha256(content).hexdigest() in journey.document_page


def test_the_disposition_puts_a_follow_up_task_in_the_units_queue(journey):
    assert journey.agenda_label in journey.unit_queue, journey.unit_queue[:1000]
    assert "Tindak lanjut" in journey.unit_queue


def test_elasticsearch_finds_the_letter_for_the_unit_it_went_to(journey, production):
    assert [href for _title, href in journey.search_hits] == [journey.letter_url]
    assert production.env["SEARCH_URL"] == f"http://127.0.0.1:{production.ports['elasticsearch']}"
    with urllib.request.urlopen(f"{production.env['SEARCH_URL']}/_count?q={journey.word}") as answer:
        assert json.load(answer)["count"] >= 1, "the hit did not come from this topology's Elasticsearch"


def test_the_scan_is_streamed_by_nginx_after_siaps_permission_check(journey, production):
    registrar = journey.client(steps.REGISTRAR)
    path = f"{journey.document_url}v2/".removeprefix(production.base_url)
    # gunicorn itself answers with the X-Accel-Redirect header and no body: the bytes came from nginx
    direct = registrar.session.get(
        production.app_url + path, headers={"X-Forwarded-Proto": "https", "Host": "127.0.0.1"},
        cookies={"sessionid": registrar.session.cookies["sessionid"]}, allow_redirects=False,
    )
    assert direct.status_code == 200, direct.status_code
    assert direct.headers["X-Accel-Redirect"].startswith("/protected/") and direct.content == b""
    assert journey.downloaded[2].startswith(b"%PDF") and journey.downloaded[2] != journey.scan
    # the internal location is not reachable from outside, and nobody signed out gets the file
    assert registrar.get(direct.headers["X-Accel-Redirect"], expect=(404,)).status_code == 404
    stranger = steps.SiapClient(production.base_url, verify=str(production.certificate))
    refused = stranger.get(path, expect=(302, 403), allow_redirects=False)
    assert not refused.content.startswith(b"%PDF")


def test_the_asr_worker_transcribes_the_recording_into_lines(journey):
    assert journey.transcript and all(re.search(r"\w{3,}", line) for line in journey.transcript), journey.transcript
    # the bar of the e-Risalah browser journey (tests/browser/test_minutes_journey.py) for espeak-ng's voice
    heard = " ".join(journey.transcript)
    assert character_error_rate(" ".join(steps.SPEECH), heard) < 0.35, heard


def test_gunicorn_runs_at_least_two_workers(production):
    workers = psutil.Process(production.pid("web")).children()
    assert len(workers) >= 2 and all("gunicorn" in " ".join(worker.cmdline()) for worker in workers)


def test_each_celery_worker_consumes_its_own_queue_and_the_beat_runs(production):
    answer = subprocess.run(
        [str(PYTHON.parent / "celery"), "-A", "project", "inspect", "active_queues", "--json", "--timeout", "10"],
        cwd=ROOT, env=production.env, capture_output=True, text=True, timeout=120,
    )
    queues = {node: {queue["name"] for queue in consumed}
              for node, consumed in json.loads(answer.stdout.strip().splitlines()[-1]).items()}
    assert sorted(queues.values(), key=sorted) == [{"asr"}, {"celery"}], queues
    for name in ("worker", "asr-worker", "beat"):
        assert psutil.Process(production.pid(name)).is_running(), name
    assert "beat: Starting" in production.log("beat").read_text()


def test_each_service_is_its_own_process(production):
    pids = {name: production.pid(name) for name in
            ("postgresql", "redis", "elasticsearch", "web", "worker", "asr-worker", "beat", "proxy")}
    assert all(pids.values()) and len(set(pids.values())) == len(pids), pids


def test_compose_runs_every_siap_service_from_the_one_env_file():
    services = compose_services()
    env = read_env_file()
    for name in ("migrate", "web", "worker", "asr-worker", "beat"):
        assert services[name]["env_file"] == "siap.env", name
        assert services[name]["environment"]["SECRET_KEY"].startswith("${SECRET_KEY:?"), name
    assert env["SEARCH_URL"] == "http://elasticsearch:9200" and "elasticsearch" in services
    assert env["DATABASE_URL"].split("@")[1].split(":")[0] in services, "the database host is no compose service"
    assert env["BROKER_URL"].split("//")[1].split(":")[0] in services, "the broker host is no compose service"
    assert int(re.search(r"--workers (\d+)", services["web"]["command"])[1]) >= 2
    assert "--queues=celery" in services["worker"]["command"]
    assert "--queues=asr" in services["asr-worker"]["command"] and "--concurrency=1" in services["asr-worker"]["command"]
    assert "--appendonly yes" in services["redis"]["command"]
    assert services["migrate"]["command"] == "python manage.py migrate --noinput"


def test_the_nginx_template_takes_every_value_from_compose():
    values = {key: str(value) for key, value in compose_services()["nginx"]["environment"].items()}
    rendered = render_template(NGINX_TEMPLATE.read_text(), values)
    assert "${" not in rendered
    assert f"alias {values['SIAP_MEDIA_ROOT']}/;" in rendered and "internal;" in rendered
    assert read_env_file()["SIAP_SENDFILE_PREFIX"] == "/protected/" and "location /protected/" in rendered
    with pytest.raises(TopologyError, match="SIAP_UPSTREAM"):
        render_template(NGINX_TEMPLATE.read_text(), {k: v for k, v in values.items() if k != "SIAP_UPSTREAM"})
