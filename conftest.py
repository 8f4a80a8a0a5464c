"""Fixtures for every test in the repository (helpers live in tests/support.py)."""

import logging

import pytest

from tests.support import Org, letter_data, pdf_upload


class LoggerRegistry(dict):
    """The logging module's registry of named loggers, whose ``values()`` is a copy taken at once.

    At the start of each phase of a test, pytest's log capture walks ``loggerDict.values()``
    without logging's lock, to attach its handler to non-propagating loggers. A Celery worker
    or the live server, running in threads of the test process, creates loggers whenever it
    first imports a module, and the walk then fails with "dictionary changed size during
    iteration" (seen once in CI, at the start of the minutes journey). ``list()`` of a dict
    view is one C call under the GIL, so the copy cannot see a change half-way.
    """

    def values(self):
        return list(super().values())


def pytest_configure(config):
    manager = logging.Logger.manager
    manager.loggerDict = LoggerRegistry(manager.loggerDict)


@pytest.fixture(autouse=True)
def elasticsearch_node_lock(request):
    """A test on the one Elasticsearch test node holds a shared lock on it; the tests of
    search/tests/test_elasticsearch.py (one stops and restarts the node) hold it alone. So two runs
    side by side on one machine never see the node vanish under them."""
    import fcntl
    import os
    import tempfile

    callspec = getattr(request.node, "callspec", None)
    alone = request.node.path.name == "test_elasticsearch.py"
    on_node = request.node.get_closest_marker("elasticsearch") or (callspec and "elasticsearch" in callspec.params.values())
    if not alone and not on_node:
        yield
        return
    with open(os.path.join(tempfile.gettempdir(), "siap-test-elasticsearch.lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX if alone else fcntl.LOCK_SH)
        yield


@pytest.fixture(autouse=True)
def private_media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SIAP_SEND_EMAIL = False
    settings.SEARCH_URL = f"embedded://{tmp_path / 'search.sqlite3'}"
    # fast hashing: test users are created by the dozen
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # and cheap signing-key stretching (the cost is written with each key, so the same code reads it back)
    settings.SIAP_SIGNING_KEY_COST = 10
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def fresh_cache():
    """Rate limits, throttles and form tokens are counted in the cache: each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in Indonesian: the test client leaves the last request's language active in the thread."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def org(db):
    return Org()


@pytest.fixture
def register(org):
    """Register a letter through the service, as the registrar."""
    from workflows.letters import services

    def _register(**overrides):
        data = letter_data(org, **overrides)
        return services.register_letter(
            data=data, scan=pdf_upload(subject=data["subject"]), user=org.registrar, page_count=1
        )

    return _register


@pytest.fixture
def dispose(org):
    """Dispose a letter as the chair (or ``user``) to ``units``."""
    import datetime

    from django.utils import timezone

    from workflows import inbox
    from workflows.letters import services
    from workflows.letters.flows import LetterFlow

    def _dispose(letter, units, *, user=None, deadline=None, instruction="ditindaklanjuti"):
        task = inbox.open_task(letter, LetterFlow.dispose)
        return services.dispose(
            task,
            user=user or org.chair,
            units=units,
            instruction=instruction,
            note="Mohon ditindaklanjuti",
            deadline=deadline or timezone.localdate() + datetime.timedelta(days=7),
        )

    return _dispose


@pytest.fixture(scope="session")
def tiny_nemo(tmp_path_factory):
    """Path of the tiny NeMo CTC model (tests.tiny_nemo), built once per run."""
    from tests.support import tiny_nemo_model

    return tiny_nemo_model(tmp_path_factory.mktemp("nemo"))


@pytest.fixture
def nemo_engine(settings, tiny_nemo):
    """Transcription jobs use the tiny NeMo model."""
    from asr.engines import load_engine

    settings.ASR_ENGINE = "nemo"
    settings.ASR_NEMO_MODEL = str(tiny_nemo)
    load_engine.cache_clear()
    yield str(tiny_nemo)
    load_engine.cache_clear()


@pytest.fixture
def eager_jobs():
    """Background jobs queued on commit run at once, in the test's process."""
    from project.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture
def redis_worker(settings):
    """A real Celery worker on the Redis broker, taking the default queue and the asr queue."""
    from celery.contrib.testing.worker import start_worker

    from asr.engines import load_engine
    from project.celery import app

    app.conf.broker_url = settings.BROKER_URL
    app.conf.result_backend = settings.BROKER_URL  # results only to assert on them in tests
    # Celery caches the result backend per thread once any task ran (an eager job
    # earlier in the run cached the disabled one); build it again from this config
    vars(app._local).pop("backend", None)
    app.conf.task_ignore_result = False
    app.conf.task_always_eager = False
    app.control.purge()  # jobs queued by earlier tests refer to rows that are gone
    load_engine.cache_clear()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30, queues=["celery", "asr"]) as worker:
        yield worker


@pytest.fixture(params=["embedded", "elasticsearch"])
def search_engine(request, settings):
    """Each search test runs on both backends: the embedded engine and the Elasticsearch test node."""
    import uuid

    from search import indexing
    from tests.support import elasticsearch_url

    if request.param == "elasticsearch":
        settings.SEARCH_URL = elasticsearch_url()
        settings.SEARCH_INDEX = f"siap-test-{uuid.uuid4().hex[:10]}"
    backend = indexing.backend()
    yield backend
    if request.param == "elasticsearch":
        backend.drop()


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server (aiosmtpd) on loopback that Django sends to; ``.handler.messages`` is what arrived."""
    from tests.smtp import start_smtp_server

    server = start_smtp_server()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = server.hostname, server.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.SIAP_SEND_EMAIL = True
    yield server
    server.stop()
