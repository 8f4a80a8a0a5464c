"""Benchmark: the task pages and the letter list at ten years of archive (100,000 letters).

Run on demand (``make bench`` runs it)::

    .venv/bin/python tests/bench/bench_pages.py [--letters 100000] [--requests 40]

Uses the PostgreSQL database of ``BENCH_DATABASE_URL`` (default: ``siap_bench`` beside the test
database of ``DATABASE_URL``, created when missing). An empty one is migrated, gets the demo
(``load_demo``) and ``bench_data --letters N``; one that holds the letters already is reused.

Each page is asked for in-process through Django's test client (no network, no server): a few warm-up
requests, then ``--requests`` measured ones, as the chair (about a third of the letters wait in the
chair's inbox), a commission member (unit queue, inbox, dashboard) and the registrar (every letter).
Prints the queries and p50/p95 server time of each page, menu and base template included, and
records the worst p95 against the goal of 100 ms. It measures, it does not judge: exit 0 either way.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
GOAL_MS = 100
WARM_UP = 3


def bench_database_url():
    """``BENCH_DATABASE_URL``, or the ``siap_bench`` database on the server of ``DATABASE_URL``."""
    if os.environ.get("BENCH_DATABASE_URL"):
        return os.environ["BENCH_DATABASE_URL"]
    base = urlsplit(os.environ.get("DATABASE_URL", "postgres://siap:siap@127.0.0.1:55432/siap"))
    return urlunsplit(base._replace(path="/siap_bench"))


def ensure_database(url):
    """Create the bench database when the server does not have it yet."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def prepare(letters):
    """Migrate, load the demo and the bulk letters unless the database holds them already."""
    from django.core.management import call_command

    from workflows.letters.models import Letter

    call_command("migrate", interactive=False, verbosity=0)
    if not Letter.objects.exists():
        call_command("load_demo")
    if Letter.objects.count() < letters:
        started = time.monotonic()
        call_command("bench_data", letters=letters - Letter.objects.count())
        print(f"bench_data: {time.monotonic() - started:.0f} s")


def pages():
    """``(who, label, url)`` of every page measured."""
    from django.urls import reverse

    chair, member, registrar = "chair", member_username(), "registrar"
    return [
        (chair, "dashboard", reverse("dashboard")),
        (chair, "inbox", reverse("tasks:inbox")),
        (chair, "inbox, deadline order", reverse("tasks:inbox") + "?urut=batas"),
        (chair, "inbox, rahasia only", reverse("tasks:inbox") + "?sifat=rahasia"),
        (chair, "archive", reverse("tasks:archive")),
        (chair, "letter list", reverse("letters:list")),
        (member, "dashboard", reverse("dashboard")),
        (member, "unit queue", reverse("tasks:queue")),
        (member, "inbox", reverse("tasks:inbox")),
        (member, "inbox, overdue", reverse("tasks:inbox") + "?terlambat=1"),
        (member, "archive", reverse("tasks:archive")),
        (member, "letter list", reverse("letters:list")),
        (registrar, "dashboard", reverse("dashboard")),
        (registrar, "letter list", reverse("letters:list")),
        (registrar, "letter list, awaiting", reverse("letters:list") + "?status=awaiting_disposition"),
        (registrar, "letter list, overdue", reverse("letters:list") + "?terlambat=1"),
    ]


def member_username():
    """A member of the commission with the most open branches: the busiest unit queue."""
    from django.db.models import Count

    from workflows.letters.models import DispositionBranch

    busiest = (
        DispositionBranch.objects.filter(status=DispositionBranch.Status.OPEN)
        .values("unit").annotate(open=Count("pk")).order_by("-open").first()
    )
    from project.org.models import Unit

    return Unit.objects.get(pk=busiest["unit"]).group.user_set.order_by("username").first().username


def measure(client, url, requests):
    """``(queries, [milliseconds])`` of ``requests`` GETs of ``url`` after a few unmeasured ones."""
    from django.db import connection

    for _ in range(WARM_UP):
        assert client.get(url).status_code == 200, url
    executed = []

    def counting(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counting):
        client.get(url)
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    return len(executed), timings


def p95(timings):
    return statistics.quantiles(timings, n=20)[-1]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--letters", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=40)
    options = parser.parse_args(argv)

    url = bench_database_url()
    ensure_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import setup_test_environment

    from tests.bench.results import record
    from workflows.letters.models import Letter

    setup_test_environment()  # the test client's response context, and ALLOWED_HOSTS for "testserver"
    prepare(options.letters)
    print(f"{Letter.objects.count()} letters; {os.getloadavg()[0]:.1f} load average")
    clients = {}
    worst = (0.0, "")
    print(f"{'user':<12} {'page':<26} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8}")
    for who, label, path in pages():
        if who not in clients:
            clients[who] = Client()
            clients[who].force_login(get_user_model().objects.get(username=who))
        queries, timings = measure(clients[who], path, options.requests)
        page_p95 = p95(timings)
        print(f"{who:<12} {label:<26} {queries:>7} {statistics.median(timings):>8.1f} {page_p95:>8.1f}")
        worst = max(worst, (page_p95, f"{label} ({who})"))
    met = worst[0] <= GOAL_MS
    load = os.getloadavg()[0]
    note = "" if met else (
        f"{worst[0] - GOAL_MS:.0f} ms over on {worst[1]}; load average {load:.1f} on {os.cpu_count()} cores"
    )
    record(
        f"pages at {options.letters:,} letters, p95 (worst page)", f"{worst[0]:.0f} ms ({worst[1]})",
        f"≤ {GOAL_MS} ms", met, note,
    )
    print(f"worst p95 {worst[0]:.0f} ms: {worst[1]} (goal ≤ {GOAL_MS} ms: {'met' if met else 'not met'})")


if __name__ == "__main__":
    main()
