"""The project's settings, plus a process that only the tests install (tests/memos).

Run in parallel (``pytest -n 2``), each test process takes a Redis database of its own:
the one ``BROKER_URL`` names for the first, the next ones for the others. Otherwise the
Celery worker a test starts would take the jobs another test process queued, and one
process's purge would empty the other's queue. (pytest-django already gives each test
process a database of its own; files and search indices are per test.) The environment
variable itself is changed, so that whatever reads it (these settings, Celery, the
processes a test starts) agrees.
"""

import os
from urllib.parse import urlsplit, urlunsplit


def redis_url_of_test_process(url, process_number):
    """``url`` with its database number moved ``process_number`` places on (``redis://host/7`` → ``/8`` for 1)."""
    parts = urlsplit(url)
    database = int(parts.path.strip("/") or 0) + process_number
    if database > 15:
        raise ValueError(f"{url}: too many test processes for Redis's 16 databases (process {process_number})")
    return urlunsplit(parts._replace(path=f"/{database}"))


_test_process = os.environ.get("PYTEST_XDIST_WORKER", "")  # gw0, gw1, … when run in parallel
if _test_process and os.environ.get("BROKER_URL", "").startswith("redis"):
    os.environ["BROKER_URL"] = redis_url_of_test_process(os.environ["BROKER_URL"], int(_test_process.removeprefix("gw")))

from project.settings import *  # noqa: E402, F403

INSTALLED_APPS = [*INSTALLED_APPS, "tests.memos"]  # noqa: F405
